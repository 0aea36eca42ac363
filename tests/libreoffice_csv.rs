//! LibreOffice Calc opens a run's CSV files as `docs/report.md` says: with
//! the documented import settings (filter string `CSV:44,34,76,1,3/2`:
//! comma, double quote, UTF-8, from line 1, column 3 `seed` as text),
//! Chinese text survives, every row splits into the same columns as the
//! file, and the 64-bit seed keeps every digit, whether the file has a
//! byte-order mark (`--excel-csv`) or not. Without them (LibreOffice's
//! default import) Chinese comes out garbled and the seed rounded, which is
//! why the docs give the settings.
//!
//! Converts with headless LibreOffice (`soffice`, Debian's
//! `libreoffice-calc-nogui`, which `.ci/run` installs); skips with a
//! message where `soffice` is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Bin;

/// The documented import settings for `timeseries.csv` (docs/report.md).
const DOCUMENTED: &str = "CSV:44,34,76,1,3/2";
/// Export settings of the check: comma, double quote, UTF-8, quote text cells.
const EXPORT: &str = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true";

const SCENARIO: &str = r#"
name = "lo"
name_zh = "表格导入"
[run]
years = 1
replicates = 2
seed = 42
[world]
preset = "province"
depth = "county"
cities = 2
counties_per_city = 2
[[strategy]]
name = "status-quo"
name_zh = "现状"
platforms = "local"
[[strategy]]
name = "provincial"
name_zh = "省级统建"
platforms = "provincial"
"#;

fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("soffice"))
        .find(|p| p.is_file())
}

/// Convert `files` with `infilter` (None: LibreOffice's default import) to
/// UTF-8 CSV in `out`, with a profile of its own so parallel runs do not
/// share LibreOffice's lock.
fn convert(soffice: &Path, work: &Path, infilter: Option<&str>, files: &[PathBuf], out: &Path) {
    let profile = work.join(format!(
        "profile-{}",
        out.file_name().unwrap().to_string_lossy()
    ));
    let mut cmd = Command::new(soffice);
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .arg("--headless");
    if let Some(f) = infilter {
        cmd.arg(format!("--infilter={f}"));
    }
    cmd.args(["--convert-to", EXPORT, "--outdir"])
        .arg(out)
        .args(files);
    let o = cmd.output().expect("soffice runs");
    assert!(
        o.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// The cells of `got` (LibreOffice's export) against `want` (the file as
/// written): the same rows and columns, every text cell equal (numbers may
/// be reformatted, booleans are upper-cased), and the `seed` column exact.
fn check_same(name: &str, want: &[Vec<String>], got: &[Vec<String>]) {
    assert_eq!(got.len(), want.len(), "{name}: row count");
    let header = &want[0];
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        assert_eq!(g.len(), w.len(), "{name} line {}: {g:?} vs {w:?}", i + 1);
        for (j, (a, b)) in w.iter().zip(g).enumerate() {
            let what = format!("{name} line {} column {}", i + 1, header[j]);
            if a == "true" || a == "false" {
                // Calc shows booleans as TRUE / FALSE.
                assert!(b.eq_ignore_ascii_case(a), "{what}: {b} vs {a}");
            } else if a.parse::<f64>().is_err() || header[j] == "seed" {
                assert_eq!(b, a, "{what}");
            }
        }
    }
}

#[test]
fn libreoffice_imports_run_csv_files_with_the_documented_settings() {
    let Some(soffice) = soffice() else {
        println!(
            "skipped: soffice not found on PATH (install libreoffice-calc-nogui to run this check)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    let sc = work.join("lo.toml");
    std::fs::write(&sc, SCENARIO).unwrap();
    let files = [
        "timeseries.csv",
        "strategies.csv",
        "scopes.csv",
        "metrics.csv",
    ];
    for (variant, flags) in [("plain", &[][..]), ("bom", &["--excel-csv"][..])] {
        let run = work.join(variant);
        Bin::cargo_bin("tiaokuai")
            .unwrap()
            .arg("run")
            .arg(&sc)
            .arg("--out")
            .arg(&run)
            .arg("--quiet")
            .args(flags)
            .assert()
            .success();
        let inputs: Vec<PathBuf> = files.iter().map(|f| run.join(f)).collect();
        assert_eq!(
            std::fs::read(&inputs[0])
                .unwrap()
                .starts_with(b"\xef\xbb\xbf"),
            variant == "bom"
        );
        let documented = work.join(format!("{variant}-documented"));
        convert(&soffice, work, Some(DOCUMENTED), &inputs, &documented);
        let mut chinese = 0;
        for f in files {
            let want = rows(&run.join(f));
            let got = rows(&documented.join(f));
            check_same(&format!("{variant}/{f}"), &want, &got);
            chinese += got.iter().flatten().filter(|c| has_chinese(c)).count();
        }
        assert!(chinese > 10, "{variant}: too few Chinese cells to check");
        let seed = &rows(&documented.join("timeseries.csv"))[1][2];
        assert!(
            seed.len() > 15 && seed.bytes().all(|b| b.is_ascii_digit()),
            "seed {seed}"
        );

        // LibreOffice's default import, as the docs describe it: Chinese
        // garbled (with or without the byte-order mark), the seed rounded.
        let default = work.join(format!("{variant}-default"));
        convert(&soffice, work, None, &inputs, &default);
        let strategies = rows(&default.join("strategies.csv"));
        let names: Vec<&String> = strategies.iter().skip(1).map(|r| &r[2]).collect();
        assert!(
            names.iter().all(|n| !has_chinese(n)),
            "{variant}: LibreOffice's default import now reads UTF-8 ({names:?}); \
             update docs/report.md"
        );
        let seed_default = &rows(&default.join("timeseries.csv"))[1][2];
        assert_ne!(seed_default, seed, "{variant}: the seed was not rounded");
    }
}
