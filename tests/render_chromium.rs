//! End to end: the HTML report renders in headless Chromium to a PNG that is
//! not blank and prints to a multi-page PDF, in English and Chinese.
//!
//! Runs only where `/usr/bin/chromium` exists (Debian's `chromium`
//! package; `.ci/run` installs it) and skips with a message elsewhere. The
//! screenshots are kept in `target/report-render/` as CI artefacts.

mod report_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Bin;
use report_support::{Synthetic, write_run};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Decoded 8-bit PNG: width, height, channels, pixels.
struct Image {
    width: usize,
    height: usize,
    channels: usize,
    data: Vec<u8>,
}

fn be32(b: &[u8]) -> usize {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
}

/// Minimal PNG decoder for the 8-bit grey/RGB/RGBA non-interlaced images
/// Chromium writes: chunks → zlib → undo the per-row filters.
fn decode_png(bytes: &[u8]) -> Image {
    use std::io::Read;
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let (mut pos, mut idat) = (8, Vec::new());
    let (mut width, mut height, mut channels) = (0, 0, 0);
    while pos + 8 <= bytes.len() {
        let len = be32(&bytes[pos..]);
        let kind = &bytes[pos + 4..pos + 8];
        let body = &bytes[pos + 8..pos + 8 + len];
        match kind {
            b"IHDR" => {
                width = be32(body);
                height = be32(&body[4..]);
                assert_eq!(body[8], 8, "only 8-bit PNGs");
                assert_eq!(body[12], 0, "only non-interlaced PNGs");
                channels = match body[9] {
                    0 => 1,
                    2 => 3,
                    4 => 2,
                    6 => 4,
                    c => panic!("PNG colour type {c} not handled"),
                };
            }
            b"IDAT" => idat.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        pos += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * channels;
    let mut data = vec![0u8; stride * height];
    for y in 0..height {
        let filter = raw[y * (stride + 1)];
        let line = &raw[y * (stride + 1) + 1..(y + 1) * (stride + 1)];
        for x in 0..stride {
            let a = if x >= channels {
                data[y * stride + x - channels] as i32
            } else {
                0
            };
            let b = if y > 0 {
                data[(y - 1) * stride + x] as i32
            } else {
                0
            };
            let c = if x >= channels && y > 0 {
                data[(y - 1) * stride + x - channels] as i32
            } else {
                0
            };
            let pred = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) / 2,
                4 => {
                    let p = a + b - c;
                    let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("bad PNG filter {f}"),
            };
            data[y * stride + x] = (line[x] as i32 + pred) as u8;
        }
    }
    Image {
        width,
        height,
        channels,
        data,
    }
}

/// Share of pixels that are not (near) white.
fn inked_share(img: &Image) -> f64 {
    let colour = img.channels.min(3);
    let inked = img
        .data
        .chunks(img.channels)
        .filter(|p| p[..colour].iter().any(|&v| v < 235))
        .count();
    inked as f64 / (img.width * img.height) as f64
}

/// Whether some pixel is close to the given colour (a strategy's line).
fn has_colour(img: &Image, rgb: (u8, u8, u8)) -> bool {
    img.channels >= 3
        && img.data.chunks(img.channels).any(|p| {
            (p[0] as i32 - rgb.0 as i32).abs() < 12
                && (p[1] as i32 - rgb.1 as i32).abs() < 12
                && (p[2] as i32 - rgb.2 as i32).abs() < 12
        })
}

fn artefact_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-render");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn render(html: &Path, png: &Path, pdf: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/render-report.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg(html)
        .arg(png)
        .arg(pdf)
        .env("CHROMIUM", CHROMIUM)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "render-report.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn report_renders_in_headless_chromium() {
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "skipping: {CHROMIUM} not installed (apt-get install -y chromium fonts-noto-cjk)"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), &Synthetic::china());
    let art = artefact_dir();
    for lang in ["en", "zh"] {
        let html = tmp.path().join(format!("report-{lang}.html"));
        Bin::cargo_bin("tiaokuai")
            .unwrap()
            .arg("report")
            .arg(tmp.path())
            .args(["--lang", lang, "-q", "--out"])
            .arg(&html)
            .assert()
            .success();
        let png = art.join(format!("report-{lang}.png"));
        let pdf = art.join(format!("report-{lang}.pdf"));
        render(&html, &png, &pdf);

        let img = decode_png(&std::fs::read(&png).unwrap());
        assert_eq!((img.width, img.height), (1280, 2000));
        let share = inked_share(&img);
        assert!(
            share > 0.03,
            "{lang}: page looks blank ({:.1}% inked)",
            share * 100.0
        );
        // The first strategy's colour (Okabe–Ito blue) is drawn.
        assert!(
            has_colour(&img, (0x00, 0x72, 0xB2)),
            "{lang}: no chart colour on the page"
        );

        let pdf_bytes = std::fs::read(&pdf).unwrap();
        assert!(pdf_bytes.starts_with(b"%PDF-"));
        // Page objects: "/Type /Page" not followed by "s" (that is /Pages).
        let pages = pdf_bytes
            .windows(12)
            .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
            .count();
        assert!(pages >= 2, "{lang}: PDF has {pages} pages");
    }
}

#[test]
fn blank_detector_sees_a_blank_page() {
    // A white 4×2 RGB PNG (filter 0 rows) must count as blank.
    use std::io::Write;
    let raw: Vec<u8> = (0..2)
        .flat_map(|_| std::iter::once(0u8).chain([255u8; 12]))
        .collect();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
    let chunk = |kind: &[u8], body: &[u8]| {
        let mut c = (body.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(body);
        c.extend_from_slice(&[0, 0, 0, 0]); // CRC is not checked here
        c
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &[0, 0, 0, 4, 0, 0, 0, 2, 8, 2, 0, 0, 0]));
    png.extend(chunk(b"IDAT", &idat));
    png.extend(chunk(b"IEND", &[]));
    let img = decode_png(&png);
    assert_eq!((img.width, img.height, img.channels), (4, 2, 3));
    assert_eq!(inked_share(&img), 0.0);
}
