//! The plain-text comparison table for a projector: strategies as rows,
//! headline metrics as columns, paired difference ± 95% half-width.
//!
//! Rules: the baseline row shows the baseline's own mean; other rows show
//! the paired difference and its half-width, marked ▲ when the whole
//! interval lies on the better side, ▼ when it lies on the worse side. Column
//! headers carry ↑ (higher is better) or ↓ (lower is better). Numbers keep
//! three significant digits so columns stay narrow.

use super::Comparison;
use crate::catalog::Lang;
use crate::metrics::Direction;

/// `x` with about `sig` significant digits, without exponent notation for
/// everyday magnitudes.
pub fn short(x: f64, sig: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let mag = x.abs().log10().floor() as i32;
    let decimals = (sig as i32 - 1 - mag).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

/// Decimals that show `x` with `sig` significant digits (at most 6).
/// What the ± interval covers, from the run's `run.world`.
fn covers(draw: &str, lang: Lang) -> &'static str {
    match (draw, lang) {
        ("per-replicate", Lang::En) => {
            "(each replicate drew its own world: the interval covers world uncertainty and exchange noise)"
        }
        ("per-replicate", Lang::Zh) => {
            "（每次重复各自抽取一个世界：区间涵盖世界的不确定性与交换噪声）"
        }
        (_, Lang::En) => {
            "(all replicates shared one drawn world: the interval covers exchange noise in that world only)"
        }
        (_, Lang::Zh) => "（所有重复共用一个抽取的世界：区间只涵盖该世界中的交换噪声）",
    }
}

fn decimals(x: f64, sig: usize) -> usize {
    if x == 0.0 || !x.is_finite() {
        return 0;
    }
    (sig as i32 - 1 - x.abs().log10().floor() as i32).clamp(0, 6) as usize
}

fn arrow(d: Direction) -> &'static str {
    match d {
        Direction::Higher => " ↑",
        Direction::Lower => " ↓",
        Direction::Neutral => "",
    }
}

use crate::output::{display_width as width, pad};

/// The table as text (ends with a newline).
pub fn render(c: &Comparison, lang: Lang) -> String {
    let cols: Vec<&super::MetricInfo> = {
        let mut v: Vec<_> = crate::metrics::registry::headline_ids()
            .iter()
            .filter_map(|id| c.metrics.iter().find(|m| m.id == *id))
            .collect();
        if v.is_empty() {
            v = c.metrics.iter().filter(|m| m.headline).collect();
        }
        v
    };
    let header: Vec<String> = cols
        .iter()
        .map(|m| {
            format!(
                "{}{}",
                if lang == Lang::Zh {
                    m.name(lang)
                } else {
                    &m.id
                },
                arrow(m.direction)
            )
        })
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let n = c.diffs.iter().map(|d| d.n).max().unwrap_or(0);
    for s in &c.strategies {
        let mut row = Vec::new();
        let is_base = *s == c.baseline;
        row.push(if is_base {
            format!("{s} ({})", lang.pick("baseline", "基准"))
        } else {
            s.clone()
        });
        for m in &cols {
            if is_base {
                row.push(
                    c.baseline_means
                        .get(&m.id)
                        .map_or(String::from("–"), |v| short(*v, 3)),
                );
                continue;
            }
            let cell = c
                .diffs
                .iter()
                .find(|d| d.strategy == *s && d.metric == m.id && d.year == c.horizon)
                .map_or(String::from("–"), |d| {
                    let half = (d.ci95_high - d.ci95_low) / 2.0;
                    let sign = m.direction.sign();
                    let mark = if sign * d.ci95_low > 0.0 && sign * d.ci95_high > 0.0 {
                        " ▲"
                    } else if sign * d.ci95_low < 0.0 && sign * d.ci95_high < 0.0 {
                        " ▼"
                    } else {
                        ""
                    };
                    // Three significant digits of the difference, and at
                    // least one of the half-width, so "±0" never appears.
                    let decimals = decimals(d.mean_diff, 3).max(decimals(half, 1));
                    format!("{:+.decimals$} ±{half:.decimals$}{mark}", d.mean_diff)
                });
            row.push(cell);
        }
        rows.push(row);
    }
    let mut widths = vec![width(lang.pick("strategy", "策略"))];
    widths.extend(header.iter().map(|h| width(h) + 2));
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(cell) + 2);
        }
    }
    let mut out = String::new();
    out.push_str(&match lang {
        Lang::En => format!(
            "Paired differences vs `{}` at year {} (n = {n} replicates; ▲ better, ▼ worse at 95%)\n",
            c.baseline, c.horizon
        ),
        Lang::Zh => format!(
            "与基准 `{}` 的配对差值，第 {} 年（n = {n} 次重复；▲ 显著更好，▼ 显著更差，95%）\n",
            c.baseline, c.horizon
        ),
    });
    out.push_str(covers(&c.world_draw, lang));
    out.push('\n');
    let mut line = pad(lang.pick("strategy", "策略"), widths[0] + 2);
    for (h, w) in header.iter().zip(&widths[1..]) {
        line.push_str(&pad(h, *w));
    }
    out.push_str(line.trim_end());
    out.push('\n');
    for r in &rows {
        let mut line = pad(&r[0], widths[0] + 2);
        for (cell, w) in r[1..].iter().zip(&widths[1..]) {
            line.push_str(&pad(cell, *w));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keeps_three_significant_digits() {
        assert_eq!(short(1234.5, 3), "1234");
        assert_eq!(short(12.345, 3), "12.3");
        assert_eq!(short(0.012345, 3), "0.0123");
        assert_eq!(short(0.0, 3), "0");
        assert_eq!(decimals(312.0, 3), 0);
        assert_eq!(decimals(0.04, 1), 2);
        assert_eq!(decimals(0.0, 1), 0);
    }
}
