//! Hand-written inline SVG charts for the HTML report: fan charts, grouped
//! bars, a scatter with interval whiskers and a tile-grid map.
//!
//! Rules: output is self-contained SVG text (no scripts, fonts or URLs) that
//! is also well-formed XML; colours come from the Okabe–Ito palette
//! (readable with every common colour-vision deficiency) and a reversed
//! viridis ramp for the map; each strategy keeps one colour everywhere
//! because charts take it from [`strategy_colour`]; every axis names its
//! unit. Each chart carries `data-figure` and each strategy's marks
//! `data-strategy`, so tests can count them.

use std::fmt::Write;

/// Okabe–Ito colours, yellow left out (too faint on white for lines).
const PALETTE: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
];
/// Dash patterns that tell strategies apart once colours repeat.
const DASHES: [&str; 3] = ["", "6 3", "2 3"];

const W: f64 = 680.0;
const H: f64 = 380.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 16.0;
const BOTTOM: f64 = 52.0;

/// Colour of the strategy with this index (same in every chart).
pub fn strategy_colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

fn strategy_dash(i: usize) -> &'static str {
    DASHES[(i / PALETTE.len()) % DASHES.len()]
}

/// Escape text for XML/HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Shortest readable tick label.
fn tick_label(v: f64, step: f64) -> String {
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let s = format!("{v:.decimals$}");
    if s == "-0" { "0".into() } else { s }
}

/// "Nice" axis ticks covering [lo, hi]: steps of 1, 2 or 5 × 10^k.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < 1e-12 {
        (
            lo - 0.5_f64.max(lo.abs() * 0.1),
            hi + 0.5_f64.max(hi.abs() * 0.1),
        )
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut v = start;
    // Stop at the first tick at or above `hi`, so the axis covers the data.
    while ticks.len() < 50 {
        ticks.push(v);
        if v >= hi - step * 1e-9 {
            break;
        }
        v += step;
    }
    ticks
}

/// A linear scale from data to pixels.
#[derive(Debug, Clone, Copy)]
struct Scale {
    d0: f64,
    d1: f64,
    p0: f64,
    p1: f64,
}

impl Scale {
    fn at(&self, v: f64) -> f64 {
        if (self.d1 - self.d0).abs() < 1e-300 {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (v - self.d0) / (self.d1 - self.d0) * (self.p1 - self.p0)
    }
}

/// Approximate rendered width of a label (CJK glyphs are about twice as
/// wide as Latin ones).
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.58 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// Legend of strategies (id, label) along the top; returns the SVG and
/// its height.
fn legend(names: &[(String, String)], width: f64) -> (String, f64) {
    let mut s = String::new();
    let (mut x, mut y) = (LEFT, 18.0);
    for (i, (id, n)) in names.iter().enumerate() {
        let w = 28.0 + text_width(n, 12.0) + 16.0;
        if x + w > width - RIGHT && x > LEFT {
            x = LEFT;
            y += 18.0;
        }
        let _ = write!(
            s,
            r#"<g class="legend" data-strategy="{}"><line x1="{x:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{}" stroke-width="3" stroke-dasharray="{}"/><text x="{:.1}" y="{:.1}">{}</text></g>"#,
            esc(id),
            y - 4.0,
            x + 22.0,
            y - 4.0,
            strategy_colour(i),
            strategy_dash(i),
            x + 27.0,
            y,
            esc(n)
        );
        x += w;
    }
    (s, y + 12.0)
}

/// A chart of the standard size with the legend of `names` (id, label)
/// along the top; returns the open SVG and the top of the plot area.
fn open_with_legend<'a>(
    figure: &str,
    title: &str,
    names: impl Iterator<Item = (&'a String, &'a String)>,
) -> (String, f64) {
    let names: Vec<(String, String)> = names.map(|(n, l)| (n.clone(), l.clone())).collect();
    let (leg, top) = legend(&names, W);
    let mut s = open_svg(figure, title, H);
    s.push_str(&leg);
    (s, top)
}

/// A tick of the horizontal axis at `x` with its label under the axis.
fn x_tick(s: &mut String, x: f64, label: &str) {
    let _ = write!(
        s,
        r#"<line class="axis" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        H - BOTTOM,
        H - BOTTOM + 5.0,
        H - BOTTOM + 19.0,
        label
    );
}

/// The horizontal axis line along the bottom of the plot area, closing
/// the chart.
fn close_with_axis(mut s: String) -> String {
    let _ = write!(
        s,
        r#"<line class="axis" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/></svg>"#,
        H - BOTTOM,
        W - RIGHT,
        H - BOTTOM
    );
    s
}

fn open_svg(figure: &str, title: &str, height: f64) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-figure="{}" viewBox="0 0 {W} {height}" width="{W}" height="{height}" role="img"><title>{}</title>"#,
        esc(figure),
        esc(title)
    )
}

/// Y axis with grid lines and a rotated unit label.
fn y_axis(s: &mut String, ticks: &[f64], sy: Scale, label: &str, x0: f64, x1: f64) {
    let step = if ticks.len() > 1 {
        ticks[1] - ticks[0]
    } else {
        1.0
    };
    for t in ticks {
        let y = sy.at(*t);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x0:.1}" y1="{y:.1}" x2="{x1:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            x0 - 6.0,
            y + 4.0,
            tick_label(*t, step)
        );
    }
    let mid = (sy.p0 + sy.p1) / 2.0;
    let _ = write!(
        s,
        r#"<text class="axis-label" transform="translate(16 {mid:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        esc(label)
    );
}

fn x_label(s: &mut String, label: &str, height: f64) {
    let _ = write!(
        s,
        r#"<text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        (LEFT + W - RIGHT) / 2.0,
        height - 10.0,
        esc(label)
    );
}

/// One line with a band, for a fan chart.
#[derive(Debug, Clone)]
pub struct Fan {
    /// Strategy id (written to `data-strategy`).
    pub name: String,
    /// Strategy name shown in the legend.
    pub label: String,
    /// (x, mean, low, high); NaN points are skipped.
    pub points: Vec<(f64, f64, f64, f64)>,
}

fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((a, b)) => Some((a.min(v), b.max(v))),
        })
}

/// Fan chart: mean line and 5–95% band per strategy over time.
pub fn fan_chart(
    figure: &str,
    title: &str,
    x_label_text: &str,
    y_label: &str,
    fans: &[Fan],
) -> String {
    let (mut s, top) = open_with_legend(figure, title, fans.iter().map(|f| (&f.name, &f.label)));
    let (x0, x1) =
        extent(fans.iter().flat_map(|f| f.points.iter().map(|p| p.0))).unwrap_or((0.0, 1.0));
    let (y0, y1) = extent(
        fans.iter()
            .flat_map(|f| f.points.iter().flat_map(|p| [p.1, p.2, p.3])),
    )
    .unwrap_or((0.0, 1.0));
    let ticks = nice_ticks(y0, y1, 5);
    let sy = Scale {
        d0: ticks[0],
        d1: *ticks.last().unwrap_or(&y1),
        p0: H - BOTTOM,
        p1: top + 8.0,
    };
    let sx = Scale {
        d0: x0,
        d1: x1,
        p0: LEFT,
        p1: W - RIGHT,
    };
    y_axis(&mut s, &ticks, sy, y_label, LEFT, W - RIGHT);
    // Whole years only: a tick per year, or every 2, 5, 10 … years.
    let target = ((x1 - x0).round() as usize).clamp(1, 10);
    for t in nice_ticks(x0, x1, target)
        .into_iter()
        .filter(|t| *t >= x0 - 1e-9 && *t <= x1 + 1e-9 && t.fract().abs() < 1e-9)
    {
        let x = sx.at(t);
        x_tick(&mut s, x, &tick_label(t, 1.0));
    }
    x_label(&mut s, x_label_text, H);
    for (i, f) in fans.iter().enumerate() {
        let pts: Vec<_> = f
            .points
            .iter()
            .filter(|p| p.1.is_finite() && p.2.is_finite() && p.3.is_finite())
            .collect();
        if pts.is_empty() {
            continue;
        }
        let mut band = String::new();
        for p in &pts {
            let _ = write!(band, "{:.1},{:.1} ", sx.at(p.0), sy.at(p.3));
        }
        for p in pts.iter().rev() {
            let _ = write!(band, "{:.1},{:.1} ", sx.at(p.0), sy.at(p.2));
        }
        let line: Vec<String> = pts
            .iter()
            .map(|p| format!("{:.1},{:.1}", sx.at(p.0), sy.at(p.1)))
            .collect();
        let _ = write!(
            s,
            r#"<g class="series" data-strategy="{}"><polygon points="{}" fill="{c}" fill-opacity="0.18" stroke="none"/><polyline points="{}" fill="none" stroke="{c}" stroke-width="2.2" stroke-dasharray="{}"/></g>"#,
            esc(&f.name),
            band.trim_end(),
            line.join(" "),
            strategy_dash(i),
            c = strategy_colour(i),
        );
    }
    close_with_axis(s)
}

/// Grouped bars: one group per category, one bar per strategy, optional
/// whiskers (low, high).
#[derive(Debug, Clone)]
pub struct BarSeries {
    /// Strategy id (written to `data-strategy`).
    pub name: String,
    /// Strategy name shown in the legend.
    pub label: String,
    /// One (value, low, high) per group; `None` where missing.
    pub values: Vec<Option<(f64, f64, f64)>>,
}

/// Grouped bar chart with category labels under each group.
pub fn grouped_bars(
    figure: &str,
    title: &str,
    y_label: &str,
    groups: &[String],
    series: &[BarSeries],
) -> String {
    let names: Vec<(String, String)> = series
        .iter()
        .map(|b| (b.name.clone(), b.label.clone()))
        .collect();
    let (leg, top) = legend(&names, W);
    // Long category names wrap onto several lines and need more room.
    let gw = (W - RIGHT - LEFT) / groups.len().max(1) as f64;
    let wrapped: Vec<Vec<String>> = groups.iter().map(|g| wrap(g, gw - 4.0, 11.0)).collect();
    let extra = 13.0 * (wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) - 1) as f64;
    let height = H + extra;
    let mut s = open_svg(figure, title, height);
    s.push_str(&leg);
    let vals = series
        .iter()
        .flat_map(|b| b.values.iter().flatten().flat_map(|v| [v.0, v.1, v.2]));
    let (lo, hi) = extent(vals.chain([0.0])).unwrap_or((0.0, 1.0));
    let ticks = nice_ticks(lo, hi, 5);
    let base = height - BOTTOM - extra;
    let sy = Scale {
        d0: ticks[0],
        d1: *ticks.last().unwrap_or(&hi),
        p0: base,
        p1: top + 8.0,
    };
    y_axis(&mut s, &ticks, sy, y_label, LEFT, W - RIGHT);
    let bw = (gw * 0.8) / series.len().max(1) as f64;
    for (g, lines) in wrapped.iter().enumerate() {
        let cx = LEFT + gw * (g as f64 + 0.5);
        for (k, l) in lines.iter().enumerate() {
            let _ = write!(
                s,
                r#"<text class="tick" x="{cx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                base + 16.0 + 13.0 * k as f64,
                esc(l)
            );
        }
    }
    for (i, b) in series.iter().enumerate() {
        let _ = write!(
            s,
            r#"<g class="series" data-strategy="{}" fill="{}">"#,
            esc(&b.name),
            strategy_colour(i)
        );
        for (g, v) in b.values.iter().enumerate() {
            let Some((v, l, h)) = v else { continue };
            let x = LEFT + gw * g as f64 + gw * 0.1 + bw * i as f64;
            let (ya, yb) = (sy.at(*v), sy.at(0.0_f64.max(ticks[0])));
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}: {}</title></rect>"#,
                ya.min(yb),
                (bw - 1.0).max(1.0),
                (ya - yb).abs(),
                esc(&b.label),
                crate::report::text::fmt_num(*v)
            );
            if (h - l).abs() > 1e-12 {
                let xm = x + bw / 2.0;
                let _ = write!(
                    s,
                    r#"<line class="whisker" x1="{xm:.1}" y1="{:.1}" x2="{xm:.1}" y2="{:.1}"/>"#,
                    sy.at(*l),
                    sy.at(*h)
                );
            }
        }
        s.push_str("</g>");
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{LEFT}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}"/></svg>"#,
        W - RIGHT
    );
    s
}

/// Split a label into lines that fit `width`, breaking after spaces and
/// hyphens (or between characters for Chinese), greedily.
fn wrap(label: &str, width: f64, size: f64) -> Vec<String> {
    // Pieces that may not be broken further.
    let mut pieces: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in label.chars() {
        cur.push(c);
        if c == ' ' || c == '-' || !c.is_ascii() {
            pieces.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        pieces.push(cur);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for p in pieces {
        let candidate = format!("{line}{p}");
        if !line.is_empty() && text_width(candidate.trim_end(), size) > width {
            lines.push(line.trim_end().to_string());
            line = p;
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// One point of a scatter with whiskers on both axes.
#[derive(Debug, Clone)]
pub struct Point {
    /// Strategy id (written to `data-strategy`).
    pub name: String,
    /// Strategy name shown in the legend.
    pub label: String,
    pub x: (f64, f64, f64),
    pub y: (f64, f64, f64),
}

/// Scatter chart, each strategy a point with 95% whiskers on both axes.
pub fn scatter_whiskers(
    figure: &str,
    title: &str,
    x_label_text: &str,
    y_label: &str,
    points: &[Point],
) -> String {
    let (mut s, top) = open_with_legend(figure, title, points.iter().map(|p| (&p.name, &p.label)));
    let (x0, x1) = extent(points.iter().flat_map(|p| [p.x.0, p.x.1, p.x.2])).unwrap_or((0.0, 1.0));
    let (y0, y1) = extent(points.iter().flat_map(|p| [p.y.0, p.y.1, p.y.2])).unwrap_or((0.0, 1.0));
    let yt = nice_ticks(y0, y1, 5);
    let xt = nice_ticks(x0, x1, 6);
    let sy = Scale {
        d0: yt[0],
        d1: *yt.last().unwrap_or(&y1),
        p0: H - BOTTOM,
        p1: top + 8.0,
    };
    let sx = Scale {
        d0: xt[0],
        d1: *xt.last().unwrap_or(&x1),
        p0: LEFT + 10.0,
        p1: W - RIGHT - 10.0,
    };
    y_axis(&mut s, &yt, sy, y_label, LEFT, W - RIGHT);
    let step = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    for t in &xt {
        let x = sx.at(*t);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            H - BOTTOM,
            top + 8.0,
            H - BOTTOM + 19.0,
            tick_label(*t, step)
        );
    }
    x_label(&mut s, x_label_text, H);
    for (i, p) in points.iter().enumerate() {
        if !(p.x.0.is_finite() && p.y.0.is_finite()) {
            continue;
        }
        let (cx, cy) = (sx.at(p.x.0), sy.at(p.y.0));
        let c = strategy_colour(i);
        let _ = write!(
            s,
            r#"<g class="series" data-strategy="{}" stroke="{c}" stroke-width="1.6"><line x1="{:.1}" y1="{cy:.1}" x2="{:.1}" y2="{cy:.1}"/><line x1="{cx:.1}" y1="{:.1}" x2="{cx:.1}" y2="{:.1}"/><circle cx="{cx:.1}" cy="{cy:.1}" r="6" fill="{c}"><title>{}</title></circle></g>"#,
            esc(&p.name),
            sx.at(p.x.1),
            sx.at(p.x.2),
            sy.at(p.y.1),
            sy.at(p.y.2),
            esc(&p.label)
        );
    }
    close_with_axis(s)
}

/// Reversed viridis stops: light (low) to dark (high).
const RAMP: [(u8, u8, u8); 5] = [
    (0xfd, 0xe7, 0x25),
    (0x5e, 0xc9, 0x62),
    (0x21, 0x91, 0x8c),
    (0x3b, 0x52, 0x8b),
    (0x44, 0x01, 0x54),
];

/// Colour for `t` in [0, 1] on the map ramp, and whether text on it
/// should be white.
pub fn ramp(t: f64) -> (String, bool) {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (RAMP.len() - 1) as f64;
    let i = (pos.floor() as usize).min(RAMP.len() - 2);
    let f = pos - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (RAMP[i], RAMP[i + 1]);
    let c = (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2));
    let white = contrast(c, (255, 255, 255)) > contrast(c, (0, 0, 0));
    (format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2), white)
}

/// WCAG relative luminance of an sRGB colour.
fn luminance(c: (u8, u8, u8)) -> f64 {
    let lin = |v: u8| {
        let x = v as f64 / 255.0;
        if x <= 0.04045 {
            x / 12.92
        } else {
            ((x + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// WCAG contrast ratio of two colours (1 to 21).
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// One square of the tile map.
#[derive(Debug, Clone)]
pub struct Tile {
    pub col: u8,
    pub row: u8,
    pub label: String,
    pub value: Option<f64>,
}

/// Tile-grid map of provinces coloured by value on a shared [lo, hi] scale.
#[allow(clippy::too_many_arguments)]
pub fn tile_map(
    figure: &str,
    strategy: &str,
    title: &str,
    unit: &str,
    tiles: &[Tile],
    lo: f64,
    hi: f64,
    no_data: &str,
) -> String {
    const SIZE: f64 = 60.0;
    const GAP: f64 = 4.0;
    let cols = tiles.iter().map(|t| t.col).max().unwrap_or(0) as f64 + 1.0;
    let rows = tiles.iter().map(|t| t.row).max().unwrap_or(0) as f64 + 1.0;
    let width = cols * (SIZE + GAP) + 40.0;
    let height = rows * (SIZE + GAP) + 70.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart map" data-figure="{}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"><title>{}</title><g class="series" data-strategy="{}">"#,
        esc(figure),
        esc(title),
        esc(strategy)
    );
    for t in tiles {
        let x = 20.0 + t.col as f64 * (SIZE + GAP);
        let y = 10.0 + t.row as f64 * (SIZE + GAP);
        let (fill, white) = match t.value {
            Some(v) => ramp(if hi > lo { (v - lo) / (hi - lo) } else { 0.5 }),
            None => ("#dddddd".to_string(), false),
        };
        let value = t
            .value
            .map_or(no_data.to_string(), crate::report::text::fmt_num);
        let ink = if white { "#ffffff" } else { "#000000" };
        let fs = (10.0f64).min((SIZE - 6.0) / text_width(&t.label, 1.0));
        let _ = write!(
            s,
            r#"<g class="tile"><rect x="{x:.1}" y="{y:.1}" width="{SIZE}" height="{SIZE}" rx="4" fill="{fill}"/><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{ink}" class="tile-name" style="font-size:{fs:.1}px">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{ink}" class="tile-value">{}</text><title>{}: {}</title></g>"#,
            x + SIZE / 2.0,
            y + SIZE / 2.0 - 3.0,
            esc(&t.label),
            x + SIZE / 2.0,
            y + SIZE / 2.0 + 13.0,
            esc(&value),
            esc(&t.label),
            esc(&value)
        );
    }
    s.push_str("</g>");
    // Colour legend: a stepped bar from lo to hi.
    let ly = height - 48.0;
    let lw = (width - 40.0).min(300.0);
    for k in 0..20 {
        let (c, _) = ramp(k as f64 / 19.0);
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{ly:.1}" width="{:.1}" height="12" fill="{c}"/>"#,
            20.0 + lw * k as f64 / 20.0,
            lw / 20.0 + 0.5
        );
    }
    let _ = write!(
        s,
        r#"<text class="tick" x="20" y="{:.1}">{}</text><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></svg>"#,
        ly + 26.0,
        crate::report::text::fmt_num(lo),
        20.0 + lw,
        ly + 26.0,
        crate::report::text::fmt_num(hi),
        20.0 + lw / 2.0,
        ly + 40.0,
        esc(unit)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_cover_the_range_with_round_steps() {
        let t = nice_ticks(3.2, 87.0, 5);
        assert_eq!(t.first().copied(), Some(0.0));
        assert!(*t.last().unwrap() >= 87.0);
        assert!((t[1] - t[0] - 20.0).abs() < 1e-9);
        // A flat series still gets a visible range.
        let flat = nice_ticks(5.0, 5.0, 5);
        assert!(flat.first().unwrap() < &5.0 && flat.last().unwrap() > &5.0);
    }

    #[test]
    fn escape_makes_text_safe_for_xml() {
        assert_eq!(esc(r#"a<b & "c">"#), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn tile_labels_are_readable_on_every_colour() {
        // The label colour (white or black) is the one with more contrast,
        // and on every colour of the ramp it reaches WCAG's 4.5:1 for text.
        let hex = |h: &str| {
            let v = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
            (v(1), v(3), v(5))
        };
        for i in 0..=200 {
            let (fill, white) = ramp(i as f64 / 200.0);
            let c = hex(&fill);
            let ink = if white { (255, 255, 255) } else { (0, 0, 0) };
            let other = if white { (0, 0, 0) } else { (255, 255, 255) };
            assert!(contrast(c, ink) >= contrast(c, other), "{fill}");
            assert!(contrast(c, ink) >= 4.5, "{fill}: {}", contrast(c, ink));
        }
    }

    #[test]
    fn ramp_runs_light_to_dark() {
        assert_eq!(ramp(0.0).0, "#fde725");
        assert_eq!(ramp(1.0).0, "#440154");
        assert!(!ramp(0.0).1 && ramp(1.0).1);
    }

    #[test]
    fn colours_repeat_only_with_a_new_dash() {
        assert_ne!(strategy_colour(0), strategy_colour(1));
        assert_eq!(strategy_colour(0), strategy_colour(7));
        assert_ne!(strategy_dash(0), strategy_dash(7));
    }

    #[test]
    fn fan_chart_marks_each_strategy() {
        let fans: Vec<Fan> = ["a", "b"]
            .iter()
            .map(|n| Fan {
                name: n.to_string(),
                label: n.to_uppercase(),
                points: (0..5)
                    .map(|t| (t as f64, t as f64, t as f64 - 1.0, t as f64 + 1.0))
                    .collect(),
            })
            .collect();
        let svg = fan_chart("fan-x", "X", "Year", "index 0-100", &fans);
        assert_eq!(
            svg.matches(r#"class="series" data-strategy="a""#).count(),
            1
        );
        assert_eq!(
            svg.matches(r#"class="series" data-strategy="b""#).count(),
            1
        );
        assert!(svg.contains("index 0-100"));
        assert!(svg.contains(">A</text>"), "legend shows the label");
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn wrap_splits_long_labels_in_two() {
        assert_eq!(wrap("short", 100.0, 11.0), vec!["short"]);
        assert_eq!(
            wrap("Eco-environmental protection", 80.0, 11.0),
            vec!["Eco-", "environmental", "protection"]
        );
        assert_eq!(
            wrap("Government operations", 80.0, 11.0),
            vec!["Government", "operations"]
        );
        assert_eq!(wrap("生态环境保护", 33.0, 11.0), vec!["生态环", "境保护"]);
    }
}

/// One weighted sample shown as a histogram (shares of weight per bin).
#[derive(Debug, Clone)]
pub struct Hist {
    /// Series id (written to `data-series`).
    pub name: String,
    /// Name shown in the legend.
    pub label: String,
    /// Share of the sample's weight in each bin (sums to 1).
    pub shares: Vec<f64>,
    /// Median of the sample, drawn as a vertical line.
    pub median: f64,
}

/// Overlaid histograms over common bins (`edges`, one more than the
/// shares), each with its median as a dashed vertical line.
pub fn histogram_overlay(
    figure: &str,
    title: &str,
    x_label_text: &str,
    y_label: &str,
    edges: &[f64],
    series: &[Hist],
) -> String {
    let (mut s, top) = open_with_legend(figure, title, series.iter().map(|h| (&h.name, &h.label)));
    let (x0, x1) = extent(edges.iter().copied()).unwrap_or((0.0, 1.0));
    let y1 =
        extent(series.iter().flat_map(|h| h.shares.iter().copied())).map_or(1.0, |e| e.1.max(1e-9));
    let yt = nice_ticks(0.0, y1, 5);
    let sy = Scale {
        d0: 0.0,
        d1: *yt.last().unwrap_or(&y1),
        p0: H - BOTTOM,
        p1: top + 8.0,
    };
    let sx = Scale {
        d0: x0,
        d1: x1,
        p0: LEFT + 4.0,
        p1: W - RIGHT - 4.0,
    };
    y_axis(&mut s, &yt, sy, y_label, LEFT, W - RIGHT);
    let xt = nice_ticks(x0, x1, 6);
    let step = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    for t in xt.iter().filter(|t| **t >= x0 - 1e-12 && **t <= x1 + 1e-12) {
        let x = sx.at(*t);
        x_tick(&mut s, x, &tick_label(*t, step));
    }
    x_label(&mut s, x_label_text, H);
    for (i, h) in series.iter().enumerate() {
        let c = strategy_colour(i);
        let _ = write!(
            s,
            r#"<g class="series" data-series="{}" fill="{c}" fill-opacity="0.3" stroke="{c}" stroke-width="1.4">"#,
            esc(&h.name)
        );
        for (b, share) in h.shares.iter().enumerate() {
            if *share <= 0.0 || b + 1 >= edges.len() {
                continue;
            }
            let (xa, xb) = (sx.at(edges[b]), sx.at(edges[b + 1]));
            let (ya, yb) = (sy.at(*share), sy.at(0.0));
            let _ = write!(
                s,
                r#"<rect x="{xa:.1}" y="{ya:.1}" width="{:.1}" height="{:.1}"><title>{}: {}–{}: {}</title></rect>"#,
                (xb - xa).max(0.5),
                (yb - ya).max(0.0),
                esc(&h.label),
                crate::report::text::fmt_num(edges[b]),
                crate::report::text::fmt_num(edges[b + 1]),
                crate::report::text::fmt_num(*share)
            );
        }
        if h.median.is_finite() {
            let xm = sx.at(h.median);
            let _ = write!(
                s,
                r#"<line x1="{xm:.1}" y1="{:.1}" x2="{xm:.1}" y2="{:.1}" stroke-dasharray="5 3" stroke-width="2"><title>{}: {}</title></line>"#,
                H - BOTTOM,
                top + 8.0,
                esc(&h.label),
                crate::report::text::fmt_num(h.median)
            );
        }
        s.push_str("</g>");
    }
    close_with_axis(s)
}

/// One row of a forest plot: a label, a point and an interval.
#[derive(Debug, Clone)]
pub struct ForestRow {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// Forest plot: one row per item, its point and interval on a common
/// horizontal axis, with a shaded reference band `band` (e.g. ±1.645)
/// and a line at zero.
pub fn forest(
    figure: &str,
    title: &str,
    x_label_text: &str,
    band: (f64, f64),
    rows: &[ForestRow],
) -> String {
    const LABEL_W: f64 = 300.0;
    const ROW_H: f64 = 30.0;
    let top = 14.0;
    let height = top + ROW_H * rows.len().max(1) as f64 + BOTTOM;
    let mut s = open_svg(figure, title, height);
    let (x0, x1) = extent(
        rows.iter()
            .flat_map(|r| [r.value, r.low, r.high])
            .chain([band.0, band.1, 0.0]),
    )
    .unwrap_or((-1.0, 1.0));
    let xt = nice_ticks(x0, x1, 7);
    let sx = Scale {
        d0: xt[0],
        d1: *xt.last().unwrap_or(&x1),
        p0: LABEL_W,
        p1: W - RIGHT - 8.0,
    };
    let base = height - BOTTOM;
    let _ = write!(
        s,
        r##"<rect class="band" x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="#999999" fill-opacity="0.18"/>"##,
        sx.at(band.0),
        sx.at(band.1) - sx.at(band.0),
        base - top
    );
    let step = if xt.len() > 1 { xt[1] - xt[0] } else { 1.0 };
    for t in &xt {
        let x = sx.at(*t);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{base:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            base + 19.0,
            tick_label(*t, step)
        );
    }
    let z = sx.at(0.0);
    let _ = write!(
        s,
        r#"<line class="axis" x1="{z:.1}" y1="{top:.1}" x2="{z:.1}" y2="{base:.1}"/>"#
    );
    for (i, r) in rows.iter().enumerate() {
        let cy = top + ROW_H * (i as f64 + 0.5);
        let lines = wrap(&r.label, LABEL_W - 14.0, 11.0);
        let first = cy + 4.0 - 6.5 * (lines.len().min(2) as f64 - 1.0);
        for (k, l) in lines.iter().take(2).enumerate() {
            let _ = write!(
                s,
                r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                LABEL_W - 10.0,
                first + 13.0 * k as f64,
                esc(l)
            );
        }
        if !(r.value.is_finite() && r.low.is_finite() && r.high.is_finite()) {
            continue;
        }
        let c = strategy_colour(0);
        let _ = write!(
            s,
            r#"<g class="row" stroke="{c}" stroke-width="1.8"><line x1="{:.1}" y1="{cy:.1}" x2="{:.1}" y2="{cy:.1}"/><circle cx="{:.1}" cy="{cy:.1}" r="5" fill="{c}"><title>{}: {} ({} – {})</title></circle></g>"#,
            sx.at(r.low),
            sx.at(r.high),
            sx.at(r.value),
            esc(&r.label),
            crate::report::text::fmt_num(r.value),
            crate::report::text::fmt_num(r.low),
            crate::report::text::fmt_num(r.high)
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{LABEL_W}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}"/><text class="axis-label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text></svg>"#,
        W - RIGHT,
        (LABEL_W + W - RIGHT) / 2.0,
        height - 10.0,
        esc(x_label_text)
    );
    s
}
