//! The self-contained HTML report: one file with inline CSS and SVG, no
//! scripts, no fonts or images fetched from anywhere, printable to PDF.
//!
//! Rules: tables take their numbers from `summary.csv` (so readers can check
//! them; each cell carries the exact value in `data-value`); charts over
//! time take replicate spreads from `timeseries.csv`; every label comes
//! through [`super::text`] from the catalogue. The output is well-formed
//! XML as well as HTML, so it can be checked with any XML parser.

use std::fmt::Write;

use super::charts::{self, BarSeries, Fan, Point, Tile, esc};
use super::rundir::RunDir;
use super::text::{self, fmt_num, metric_name};
use crate::catalog::report_text as rt;
use crate::catalog::{Lang, provinces};
use crate::stats;

/// Render the whole report.
pub fn render(run: &RunDir, lang: Lang) -> String {
    let mut body = String::new();
    scenario_section(&mut body, run, lang);
    comparison_section(&mut body, run, lang);
    time_section(&mut body, run, lang);
    collaboration_section(&mut body, run, lang);
    regional_section(&mut body, run, lang);
    innovation_section(&mut body, run, lang);
    let title = format!(
        "{} — {}",
        rt::REPORT_TITLE.get(lang),
        run.scenario_label(lang)
    );
    let footer = rt::GENERATED_BY.fill(
        lang,
        &[
            ("version", crate::VERSION),
            ("dir", &run.dir.display().to_string()),
        ],
    );
    page(lang, &title, &body, &footer)
}

/// The page around a report's sections (also the calibration report's).
pub(super) fn page(lang: Lang, title: &str, body: &str, footer: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="{}" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{}</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>{}</h1></header>
<main>
{body}</main>
<footer><p>{}</p></footer>
</body>
</html>
"#,
        lang.pick("en", "zh-Hans"),
        esc(title),
        esc(title),
        esc(footer)
    )
}

/// CSS: a system font stack with CJK fonts of Windows, macOS and Linux,
/// and print rules that keep each figure on one page.
const CSS: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; color: #1a1a1a; background: #ffffff; max-width: 1100px; margin: 0 auto; padding: 1.5rem; line-height: 1.5; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 0.4rem 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #cccccc; padding: 0.3rem 0.5rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f0f0; }
td small { color: #555555; white-space: nowrap; }
td.best { background: #d6ebf7; font-weight: 600; }
td.better { background: #d6ebf7; }
td.worse { background: #fbe3d3; }
.note { color: #444444; font-size: 0.9rem; }
figure { margin: 1.2rem 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: #333333; font-size: 0.9rem; max-width: 680px; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg text { font-family: inherit; font-size: 11px; fill: #333333; }
svg .axis-label { font-size: 12px; }
svg .legend text { font-size: 12px; }
svg .grid { stroke: #e3e3e3; stroke-width: 1; }
svg .axis { stroke: #333333; stroke-width: 1; }
svg .whisker { stroke: #222222; stroke-width: 1.2; }
svg .tile-value { font-size: 10px; }
.maps { display: flex; flex-wrap: wrap; gap: 1rem; }
.maps figure { flex: 1 1 420px; }
ul.strategies li { margin-bottom: 0.3rem; }
details.scenario-file pre { background: #f4f4f4; padding: 0.6rem; overflow-x: auto; font-size: 0.8rem; }
code { font-size: 0.85rem; background: #f4f4f4; padding: 0 0.2rem; }
footer { margin-top: 2.5rem; color: #666666; font-size: 0.8rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table { break-inside: avoid; }
  .maps figure { flex: 1 1 45%; }
}
"#;

fn h2(out: &mut String, t: rt::Text, lang: Lang) {
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(t.get(lang)));
}

pub(super) fn figure(out: &mut String, title: &str, svg: &str, caption: &str) {
    let _ = writeln!(
        out,
        "<figure><h3>{}</h3>{svg}<figcaption>{}</figcaption></figure>",
        esc(title),
        esc(caption)
    );
}

/// A strategy's display name, with its id in brackets when they differ.
fn labelled(run: &RunDir, i: usize, lang: Lang) -> String {
    let label = run.strategy_label(i, lang);
    let id = &run.manifest.strategies[i];
    if &label == id {
        label
    } else {
        format!("{label} ({id})")
    }
}

fn scenario_section(out: &mut String, run: &RunDir, lang: Lang) {
    let m = &run.manifest;
    h2(out, rt::SEC_SCENARIO, lang);
    let description = m.description(lang);
    if !description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(description));
    }
    let line = rt::SCENARIO_LINE.fill(
        lang,
        &[
            ("name", &run.scenario_label(lang)),
            ("years", &m.years.to_string()),
            ("n", &m.strategies.len().to_string()),
            ("replicates", &m.replicates.to_string()),
            ("seed", &m.seed),
        ],
    );
    let _ = writeln!(out, "<p>{}</p>", esc(&line));
    let (units, levels) = text::units_by_level(run, lang);
    let world = rt::WORLD_LINE.fill(
        lang,
        &[
            ("preset", text::preset_name(&m.preset, lang)),
            ("units", &text::fmt_count(units)),
            ("levels", &levels),
            (
                "departments",
                &text::fmt_count(text::world_count(run, "departments")),
            ),
            ("links", &text::fmt_count(text::world_count(run, "links"))),
        ],
    );
    let _ = writeln!(out, "<p>{}</p>", esc(&world));
    let draw = match m.world.get("draw").and_then(|d| d.as_str()) {
        Some("per-replicate") => rt::DRAW_PER_REPLICATE,
        _ => rt::DRAW_FIXED,
    };
    let _ = writeln!(out, "<p>{}</p>", esc(draw.get(lang)));
    let _ = writeln!(
        out,
        "<p>{}</p>\n<ul class=\"strategies\">",
        esc(rt::STRATEGIES_LINE.get(lang))
    );
    for (i, (name, diffs)) in text::strategy_differences(run, lang).iter().enumerate() {
        let desc = text::strategy_description(run, name, lang)
            .map(|d| format!(" — {}", esc(&d)))
            .unwrap_or_default();
        let settings = if diffs.is_empty() {
            esc(rt::STRATEGIES_SAME.get(lang))
        } else {
            diffs
                .iter()
                .map(|d| format!("<code>{}</code>", esc(d)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            out,
            "<li><strong style=\"color:{}\">{}</strong>{desc}<br/>{settings}</li>",
            charts::strategy_colour(i),
            esc(&labelled(run, i, lang))
        );
    }
    out.push_str("</ul>\n");
    if let Some(toml) = &run.scenario_toml {
        let _ = writeln!(
            out,
            "<details class=\"scenario-file\"><summary>{}</summary><pre>{}</pre></details>",
            esc(rt::SCENARIO_FILE.get(lang)),
            esc(toml)
        );
    }
    if let Some(bi) = run.baseline_index() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            esc(&rt::BASELINE_LINE.fill(lang, &[("baseline", &labelled(run, bi, lang))]))
        );
    }
    out.push_str("</section>\n");
}

fn headline(run: &RunDir) -> Vec<usize> {
    run.headline()
}

/// Horizon means of a metric per strategy, signed so that larger is better.
fn signed_means(run: &RunDir, metric: usize) -> Vec<Option<f64>> {
    let m = &run.metrics[metric];
    let sign = m.direction.sign();
    run.manifest
        .strategies
        .iter()
        .map(|s| {
            let v = run.summary_row(s, &m.id, run.manifest.years)?.stats.mean * sign;
            (sign != 0.0 && v.is_finite()).then_some(v)
        })
        .collect()
}

/// The strategy with the best horizon mean on a metric and every strategy
/// tied with it: the same mean, or a paired difference from it whose 95%
/// interval includes zero. Empty for a metric without a better direction.
fn best_strategies(run: &RunDir, metric: usize) -> Vec<usize> {
    let v = signed_means(run, metric);
    let Some(best) = v.iter().flatten().copied().reduce(f64::max) else {
        return Vec::new();
    };
    let tol = 1e-9 * best.abs().max(1.0);
    let Some(top) = v.iter().position(|x| x.is_some_and(|x| best - x <= tol)) else {
        return Vec::new();
    };
    (0..v.len())
        .filter(|&i| {
            let Some(x) = v[i] else { return false };
            if best - x <= tol {
                return true;
            }
            stats::summarize(&run.paired_differences(top, i, metric))
                .is_some_and(|d| d.n >= 2 && d.ci95_low <= 0.0 && d.ci95_high >= 0.0)
        })
        .collect()
}

/// A table cell's text: the mean, with its interval on a second line, all
/// with the column's `decimals`.
fn cell_text(mean: f64, lo: f64, hi: f64, decimals: usize) -> String {
    format!(
        "{}<br/><small>[{}, {}]</small>",
        esc(&text::fmt_fixed(mean, decimals)),
        esc(&text::fmt_fixed(lo, decimals)),
        esc(&text::fmt_fixed(hi, decimals))
    )
}

/// Decimals of a table column: from the horizon means of every strategy.
fn column_decimals(run: &RunDir, metric: usize) -> usize {
    let id = &run.metrics[metric].id;
    let means: Vec<f64> = run
        .manifest
        .strategies
        .iter()
        .filter_map(|s| Some(run.summary_row(s, id, run.manifest.years)?.stats.mean))
        .collect();
    text::decimals_for(&means)
}

fn comparison_section(out: &mut String, run: &RunDir, lang: Lang) {
    let years = run.manifest.years;
    h2(out, rt::SEC_COMPARISON, lang);
    let heads = headline(run);
    let note = rt::TABLE_NOTE.fill(lang, &[("years", &years.to_string())]);
    let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&note));
    let _ = write!(
        out,
        "<table class=\"comparison\"><thead><tr><th>{}</th>",
        esc(rt::COL_STRATEGY.get(lang))
    );
    for &h in &heads {
        let m = &run.metrics[h];
        let _ = write!(
            out,
            "<th>{}<br/><small>{}</small></th>",
            esc(metric_name(m, lang)),
            esc(&text::unit_name(&m.unit, lang))
        );
    }
    out.push_str("</tr></thead><tbody>\n");
    let best: Vec<Vec<usize>> = heads.iter().map(|&h| best_strategies(run, h)).collect();
    let decimals: Vec<usize> = heads.iter().map(|&h| column_decimals(run, h)).collect();
    for (si, s) in run.manifest.strategies.iter().enumerate() {
        let _ = write!(out, "<tr><td>{}</td>", esc(&run.strategy_label(si, lang)));
        for (k, &h) in heads.iter().enumerate() {
            let id = &run.metrics[h].id;
            match run.summary_row(s, id, years) {
                Some(r) => {
                    let class = if best[k].contains(&si) {
                        " class=\"best\""
                    } else {
                        ""
                    };
                    let _ = write!(
                        out,
                        "<td{class} data-strategy=\"{}\" data-metric=\"{}\" data-value=\"{}\">{}</td>",
                        esc(s),
                        esc(id),
                        r.stats.mean,
                        cell_text(
                            r.stats.mean,
                            r.stats.ci95_low,
                            r.stats.ci95_high,
                            decimals[k]
                        )
                    );
                }
                None => out.push_str("<td>–</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    if let Some(b) = run.baseline_index() {
        let note = rt::DIFF_NOTE.fill(lang, &[("baseline", &run.strategy_label(b, lang))]);
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&note));
        let _ = write!(
            out,
            "<table class=\"differences\"><thead><tr><th>{}</th>",
            esc(rt::COL_STRATEGY.get(lang))
        );
        for &h in &heads {
            let _ = write!(out, "<th>{}</th>", esc(metric_name(&run.metrics[h], lang)));
        }
        out.push_str("</tr></thead><tbody>\n");
        let diff_decimals: Vec<usize> = heads
            .iter()
            .map(|&h| {
                let means: Vec<f64> = (0..run.manifest.strategies.len())
                    .filter(|&i| i != b)
                    .filter_map(|i| stats::mean(&run.paired_differences(i, b, h)))
                    .collect();
                text::decimals_for(&means)
            })
            .collect();
        for (si, s) in run
            .manifest
            .strategies
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != b)
        {
            let _ = write!(out, "<tr><td>{}</td>", esc(&run.strategy_label(si, lang)));
            for (k, &h) in heads.iter().enumerate() {
                let sign = run.metrics[h].direction.sign();
                match stats::summarize(&run.paired_differences(si, b, h)) {
                    Some(d) => {
                        let class = if sign * d.ci95_low > 0.0 && sign * d.ci95_high > 0.0 {
                            " class=\"better\""
                        } else if sign * d.ci95_low < 0.0 && sign * d.ci95_high < 0.0 {
                            " class=\"worse\""
                        } else {
                            ""
                        };
                        let _ = write!(
                            out,
                            "<td{class} data-strategy=\"{}\" data-metric=\"{}\" data-value=\"{}\">{}</td>",
                            esc(s),
                            esc(&run.metrics[h].id),
                            d.mean,
                            cell_text(d.mean, d.ci95_low, d.ci95_high, diff_decimals[k])
                        );
                    }
                    None => out.push_str("<td>–</td>"),
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</section>\n");
}

/// Mean and 5–95% band of a world metric over time, one fan per strategy.
/// Fan points over time: simulated years, or calendar years with `run.start_year`.
fn fans(run: &RunDir, metric: usize, lang: Lang) -> Vec<Fan> {
    let offset = run.manifest.calendar_year(0).map_or(0.0, f64::from);
    run.manifest
        .strategies
        .iter()
        .enumerate()
        .map(|(s, name)| Fan {
            name: name.clone(),
            label: run.strategy_label(s, lang),
            points: (0..run.times)
                .filter_map(|t| {
                    let sm = stats::summarize(&run.world_values(s, metric, t))?;
                    Some((offset + t as f64 / 4.0, sm.mean, sm.p05, sm.p95))
                })
                .collect(),
        })
        .collect()
}

fn fan_figure(
    out: &mut String,
    run: &RunDir,
    lang: Lang,
    metric: usize,
    title: rt::Text,
    caption: rt::Text,
) {
    let m = &run.metrics[metric];
    let name = metric_name(m, lang);
    let title = title.fill(lang, &[("metric", name)]);
    let svg = charts::fan_chart(
        &format!("fan-{}", m.id),
        &title,
        rt::AXIS_YEAR.get(lang),
        &text::axis_label(m, lang),
        &fans(run, metric, lang),
    );
    let mut caption = format!("{} ({})", caption.get(lang), rt::LEGEND_BAND.get(lang));
    if let Some(lead) = text::lead(run, metric) {
        caption.push(' ');
        caption.push_str(&text::lead_sentence(run, &lead, lang));
    }
    figure(out, &title, &svg, &caption);
}

fn time_section(out: &mut String, run: &RunDir, lang: Lang) {
    h2(out, rt::SEC_TIME, lang);
    for h in headline(run) {
        fan_figure(out, run, lang, h, rt::CHART_FAN, rt::CAPTION_FAN);
    }
    out.push_str("</section>\n");
}

/// Horizon bars from `summary.csv`: one group per metric, whiskers = 95% CI.
fn summary_bars(run: &RunDir, metrics: &[usize], lang: Lang) -> Vec<BarSeries> {
    run.manifest
        .strategies
        .iter()
        .enumerate()
        .map(|(si, s)| BarSeries {
            name: s.clone(),
            label: run.strategy_label(si, lang),
            values: metrics
                .iter()
                .map(|&m| {
                    let r = run.summary_row(s, &run.metrics[m].id, run.manifest.years)?;
                    Some((r.stats.mean, r.stats.ci95_low, r.stats.ci95_high))
                })
                .collect(),
        })
        .collect()
}

/// Mean over strategies of each group's value.
fn group_means(series: &[BarSeries], groups: usize) -> Vec<f64> {
    (0..groups)
        .map(|g| {
            let v: Vec<f64> = series
                .iter()
                .filter_map(|b| b.values[g].map(|x| x.0))
                .collect();
            stats::mean(&v).unwrap_or(f64::NAN)
        })
        .collect()
}

fn collaboration_section(out: &mut String, run: &RunDir, lang: Lang) {
    let has = |id: &str| run.metric_index(id).is_some();
    if !(run.metrics.iter().any(|m| m.id.starts_with("domain_"))
        || has("flow_up")
        || has("cost_total"))
    {
        return;
    }
    h2(out, rt::SEC_COLLAB, lang);
    let domains: Vec<usize> = (0..run.metrics.len())
        .filter(|&i| run.metrics[i].id.starts_with("domain_"))
        .collect();
    if !domains.is_empty() {
        let groups: Vec<String> = domains
            .iter()
            .map(|&d| domain_label(&run.metrics[d], lang))
            .collect();
        let series = summary_bars(run, &domains, lang);
        let means = group_means(&series, groups.len());
        let pick = |better: bool| {
            means
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .max_by(|a, b| {
                    if better {
                        a.1.total_cmp(b.1)
                    } else {
                        b.1.total_cmp(a.1)
                    }
                })
                .map_or("–".to_string(), |(i, _)| groups[i].clone())
        };
        let title = rt::CHART_DOMAINS.get(lang);
        let unit = text::unit_name(&run.metrics[domains[0]].unit, lang);
        let y = format!("{} ({unit})", rt::AXIS_DOMAIN_COLLAB.get(lang));
        let svg = charts::grouped_bars("domains", title, &y, &groups, &series);
        let caption = rt::CAPTION_DOMAINS.fill(
            lang,
            &[("weakest", &pick(false)), ("strongest", &pick(true))],
        );
        figure(out, title, &svg, &caption);
    }
    let flows: Vec<usize> = ["flow_up", "flow_down", "sharing_horizontal"]
        .iter()
        .filter_map(|id| run.metric_index(id))
        .collect();
    if flows.len() == 3 {
        let groups: Vec<String> = flows
            .iter()
            .map(|&f| metric_name(&run.metrics[f], lang).to_string())
            .collect();
        let series = summary_bars(run, &flows, lang);
        let means = group_means(&series, 3);
        let title = rt::CHART_FLOWS.get(lang);
        let unit = text::unit_name(&run.metrics[flows[0]].unit, lang);
        let y = format!("{} ({unit})", rt::AXIS_FLOW.get(lang));
        let svg = charts::grouped_bars("flows", title, &y, &groups, &series);
        let caption = rt::CAPTION_FLOWS.fill(lang, &[("gap", &fmt_num(means[0] - means[1]))]);
        figure(out, title, &svg, &caption);
    }
    if let (Some(cost), Some(collab)) = (
        run.metric_index("cost_total"),
        run.metric_index("collab_index"),
    ) {
        let years = run.manifest.years;
        let points: Vec<Point> = run
            .manifest
            .strategies
            .iter()
            .enumerate()
            .filter_map(|(si, s)| {
                let x = run.summary_row(s, &run.metrics[cost].id, years)?;
                let y = run.summary_row(s, &run.metrics[collab].id, years)?;
                Some(Point {
                    name: s.clone(),
                    label: run.strategy_label(si, lang),
                    x: (x.stats.mean, x.stats.ci95_low, x.stats.ci95_high),
                    y: (y.stats.mean, y.stats.ci95_low, y.stats.ci95_high),
                })
            })
            .collect();
        let best = points
            .iter()
            .filter(|p| p.x.0 > 0.0)
            .max_by(|a, b| (a.y.0 / a.x.0).total_cmp(&(b.y.0 / b.x.0)))
            .map_or("–".to_string(), |p| p.label.clone());
        let title = rt::CHART_EFFICIENCY.get(lang);
        let svg = charts::scatter_whiskers(
            "efficiency",
            title,
            &text::axis_label(&run.metrics[cost], lang),
            &text::axis_label(&run.metrics[collab], lang),
            &points,
        );
        figure(
            out,
            title,
            &svg,
            &rt::CAPTION_EFFICIENCY.fill(lang, &[("best", &best)]),
        );
    }
    out.push_str("</section>\n");
}

/// A domain metric's label without the "Collaboration:" prefix.
fn domain_label(m: &super::rundir::MetricInfo, lang: Lang) -> String {
    let name = metric_name(m, lang);
    name.split_once(['：', ':'])
        .map_or(name, |(_, d)| d.trim())
        .to_string()
}

/// Short Chinese province name for a tile (北京, 内蒙古, 广西 …).
fn short_zh(name: &str) -> &str {
    for suffix in [
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "自治区",
        "省",
        "市",
    ] {
        if let Some(s) = name.strip_suffix(suffix) {
            return s;
        }
    }
    name
}

fn regional_section(out: &mut String, run: &RunDir, lang: Lang) {
    let metric = run
        .metric_index("maturity_index")
        .or_else(|| run.metric_index("collab_index"));
    let Some(metric) = metric else {
        return;
    };
    h2(out, rt::SEC_REGIONS, lang);
    let m = &run.metrics[metric];
    let tiles: Vec<(usize, &provinces::Province)> = run
        .scopes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.level == "province")
        .filter_map(|(i, s)| Some((i, provinces::PROVINCES.iter().find(|p| p.id == s.id)?)))
        .collect();
    if tiles.len() >= 2 {
        let all: Vec<f64> = (0..run.manifest.strategies.len())
            .flat_map(|s| {
                tiles
                    .iter()
                    .filter_map(move |(i, _)| run.scope_horizon_mean(s, *i, metric))
            })
            .collect();
        let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        out.push_str("<div class=\"maps\">\n");
        for (s, id) in run.manifest.strategies.iter().enumerate() {
            let name = &run.strategy_label(s, lang);
            let ts: Vec<Tile> = tiles
                .iter()
                .map(|(i, p)| Tile {
                    col: p.tile.0,
                    row: p.tile.1,
                    label: lang.pick(p.name_en, short_zh(p.name_zh)).to_string(),
                    value: run.scope_horizon_mean(s, *i, metric),
                })
                .collect();
            let ranked: Vec<&Tile> = {
                let mut v: Vec<&Tile> = ts.iter().filter(|t| t.value.is_some()).collect();
                v.sort_by(|a, b| b.value.unwrap_or(0.0).total_cmp(&a.value.unwrap_or(0.0)));
                v
            };
            let top = ranked.first().map_or("–".into(), |t| t.label.clone());
            let bottom = ranked.last().map_or("–".into(), |t| t.label.clone());
            let title = rt::CHART_MAP.fill(lang, &[("strategy", name)]);
            let svg = charts::tile_map(
                &format!("map-{s}"),
                id,
                &title,
                &text::axis_label(m, lang),
                &ts,
                lo,
                hi,
                rt::LEGEND_NO_DATA.get(lang),
            );
            let caption = rt::CAPTION_MAP.fill(
                lang,
                &[("strategy", name), ("top", &top), ("bottom", &bottom)],
            );
            figure(out, &title, &svg, &caption);
        }
        out.push_str("</div>\n");
    } else {
        // Region groups when the world has at least two (a one-province
        // world has one), else levels.
        let level = if run.scopes.iter().filter(|s| s.level == "region").count() >= 2 {
            "region"
        } else {
            "level"
        };
        let scopes: Vec<usize> = (0..run.scopes.len())
            .filter(|&i| run.scopes[i].level == level)
            .collect();
        // One group compares nothing: the chart is left out.
        if scopes.len() >= 2 {
            let groups: Vec<String> = scopes
                .iter()
                .map(|&i| text::scope_name(&run.scopes[i], lang))
                .collect();
            let series: Vec<BarSeries> = run
                .manifest
                .strategies
                .iter()
                .enumerate()
                .map(|(s, name)| BarSeries {
                    name: name.clone(),
                    label: run.strategy_label(s, lang),
                    values: scopes
                        .iter()
                        .map(|&i| run.scope_horizon_mean(s, i, metric).map(|v| (v, v, v)))
                        .collect(),
                })
                .collect();
            let scope = text::scope_level_name(level, lang);
            let title = rt::CHART_REGION_BARS
                .fill(lang, &[("metric", metric_name(m, lang)), ("scope", &scope)]);
            let svg = charts::grouped_bars(
                "regions",
                &title,
                &text::axis_label(m, lang),
                &groups,
                &series,
            );
            figure(
                out,
                &title,
                &svg,
                &rt::CAPTION_REGION_BARS.fill(lang, &[("scope", &scope)]),
            );
        }
    }
    out.push_str("</section>\n");
}

fn innovation_section(out: &mut String, run: &RunDir, lang: Lang) {
    let Some(adoption) = run.metric_index("adoption_share") else {
        return;
    };
    h2(out, rt::SEC_INNOVATION, lang);
    let m = &run.metrics[adoption];
    let title = rt::CHART_ADOPTION.get(lang);
    let svg = charts::fan_chart(
        "adoption",
        title,
        rt::AXIS_YEAR.get(lang),
        &text::axis_label(m, lang),
        &fans(run, adoption, lang),
    );
    let shape = match text::leading_shape(run, adoption) {
        text::Shape::SCurve => rt::SHAPE_S_CURVE,
        text::Shape::Plateau => rt::SHAPE_PLATEAU,
        text::Shape::Rising => rt::SHAPE_RISING,
        text::Shape::Flat => rt::SHAPE_FLAT,
    };
    let mut caption = format!(
        "{} ({})",
        rt::CAPTION_ADOPTION.fill(lang, &[("shape", shape.get(lang))]),
        rt::LEGEND_BAND.get(lang)
    );
    if let Some(lead) = text::lead(run, adoption) {
        caption.push(' ');
        caption.push_str(&text::lead_sentence(run, &lead, lang));
    }
    figure(out, title, &svg, &caption);
    out.push_str("</section>\n");
}
