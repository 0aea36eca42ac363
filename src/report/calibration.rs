//! The calibration report: `tiaokuai report CALIBRATION_DIR` on a folder
//! written by `tiaokuai calibrate` renders one self-contained HTML page
//! (same style and rules as the run report): the settings, prior against
//! posterior for each parameter, observed against simulated for each
//! target, the tolerance schedule and any out-of-sample scores.
//!
//! Rules: every number comes from the folder's files — `parameters.csv`
//! (prior and posterior quantiles), `posterior.csv` (generation 0's prior
//! draws and the last generation's weighted particles, for the
//! histograms), `fit.csv`, `schedule.csv`, `holdout.csv`, `crossval.csv`
//! and `manifest.json` — and is shown as written (tables carry the exact
//! value in `data-value`); nothing is re-simulated. The page is
//! byte-identical for the same folder.

use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::charts::{self, Fan, ForestRow, Hist, esc};
use super::text::fmt_num;
use crate::calibrate::abc_smc::weighted_quantile;
use crate::catalog::Lang;
use crate::catalog::report_text as rt;
use crate::error::{InputError, Result};

/// Whether `dir` holds a calibration (its manifest says `"command": "calibrate"`).
pub fn is_calibration(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("manifest.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .is_some_and(|m| m["command"] == "calibrate")
}

/// One CSV file as rows of named fields, with the line of each row.
struct Table {
    path: PathBuf,
    rows: Vec<(usize, HashMap<String, String>)>,
}

impl Table {
    fn read(dir: &Path, name: &str) -> Result<Table> {
        let path = dir.join(name);
        let bytes = crate::input::read(&path).map_err(|e| match e {
            crate::Error::Input(mut e) => {
                e.suggestion = Some(
                    "point `tiaokuai report` at a folder written by a finished `tiaokuai calibrate`"
                        .into(),
                );
                crate::Error::Input(e)
            }
            other => other,
        })?;
        let mut rd = csv::Reader::from_reader(bytes.as_slice());
        let head = rd
            .headers()
            .map_err(|e| InputError::new(format!("cannot read the header: {e}")).file(&path))?
            .clone();
        let mut rows = Vec::new();
        for (i, rec) in rd.records().enumerate() {
            let rec = rec.map_err(|e| {
                InputError::new(format!("cannot read the row: {e}"))
                    .file(&path)
                    .at(i + 2, 1)
            })?;
            let line = rec.position().map_or(i + 2, |p| p.line() as usize);
            let map = head
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            rows.push((line, map));
        }
        Ok(Table { path, rows })
    }

    /// Text of `col` in row `r` (an error naming the file and line if missing).
    fn text<'a>(&self, r: &'a (usize, HashMap<String, String>), col: &str) -> Result<&'a str> {
        r.1.get(col).map(String::as_str).ok_or_else(|| {
            InputError::new(format!("no `{col}` column"))
                .file(&self.path)
                .at(r.0, 1)
                .expected("the columns `tiaokuai calibrate` writes")
                .into()
        })
    }

    /// Number in `col` of row `r` (empty = NaN; `inf` allowed).
    fn num(&self, r: &(usize, HashMap<String, String>), col: &str) -> Result<f64> {
        let t = self.text(r, col)?;
        if t.is_empty() {
            return Ok(f64::NAN);
        }
        t.parse::<f64>().map_err(|_| {
            InputError::new(format!("`{t}` in column `{col}` is not a number"))
                .file(&self.path)
                .at(r.0, 1)
                .into()
        })
    }
}

/// One parameter's line of `parameters.csv`.
struct Param {
    name: String,
    prior: String,
    prior_q: [f64; 3],
    post_q: [f64; 3],
}

/// One target's line of `fit.csv`.
struct Fit {
    kind: String,
    scope: String,
    metric: String,
    year: String,
    threshold: String,
    observed: f64,
    sd: f64,
    used: String,
    mean: f64,
    p05: f64,
    p95: f64,
    z: f64,
}

/// One generation's line of `schedule.csv`.
struct Gen {
    generation: u64,
    tolerance: f64,
    ess: f64,
    resampled: String,
    simulations: String,
    accepted: String,
    /// `distinct` and `distinct_ess` (absent in folders written before
    /// those columns existed).
    distinct: Option<String>,
    distinct_ess: Option<f64>,
}

/// A calibration folder, read.
pub struct CalibrationDir {
    pub dir: PathBuf,
    manifest: Value,
    params: Vec<Param>,
    fits: Vec<Fit>,
    schedule: Vec<Gen>,
    /// Generation 0's draws of each parameter (the prior sample).
    prior_draws: Vec<Vec<f64>>,
    /// The last generation: its number, each parameter's values, the weights.
    last: (usize, Vec<Vec<f64>>, Vec<f64>),
    /// `holdout.csv` and `crossval.csv` when present.
    scores: Option<(Vec<String>, Vec<Vec<String>>)>,
}

impl CalibrationDir {
    /// Read a finished calibration folder.
    pub fn load(dir: &Path) -> Result<CalibrationDir> {
        let mpath = dir.join("manifest.json");
        let text = String::from_utf8_lossy(&crate::input::read(&mpath)?).into_owned();
        let manifest: Value = serde_json::from_str(&text).map_err(|e| {
            InputError::new(format!("not a calibration manifest: {e}")).file(&mpath)
        })?;
        let pt = Table::read(dir, "parameters.csv")?;
        let mut params = Vec::new();
        for r in &pt.rows {
            params.push(Param {
                name: pt.text(r, "parameter")?.to_string(),
                prior: pt.text(r, "prior")?.to_string(),
                prior_q: [
                    pt.num(r, "prior_p05")?,
                    pt.num(r, "prior_p50")?,
                    pt.num(r, "prior_p95")?,
                ],
                post_q: [
                    pt.num(r, "posterior_p05")?,
                    pt.num(r, "posterior_median")?,
                    pt.num(r, "posterior_p95")?,
                ],
            });
        }
        let ft = Table::read(dir, "fit.csv")?;
        let mut fits = Vec::new();
        for r in &ft.rows {
            fits.push(Fit {
                kind: ft.text(r, "kind")?.to_string(),
                scope: ft.text(r, "scope")?.to_string(),
                metric: ft.text(r, "metric")?.to_string(),
                year: ft.text(r, "year")?.to_string(),
                threshold: ft.text(r, "threshold")?.to_string(),
                observed: ft.num(r, "observed")?,
                sd: ft.num(r, "sd")?,
                used: ft.text(r, "used")?.to_string(),
                mean: ft.num(r, "predicted_mean")?,
                p05: ft.num(r, "predicted_p05")?,
                p95: ft.num(r, "predicted_p95")?,
                z: ft.num(r, "z")?,
            });
        }
        let st = Table::read(dir, "schedule.csv")?;
        let mut schedule = Vec::new();
        for r in &st.rows {
            schedule.push(Gen {
                generation: st.num(r, "generation")? as u64,
                tolerance: st.num(r, "tolerance")?,
                ess: st.num(r, "ess")?,
                resampled: st.text(r, "resampled")?.to_string(),
                simulations: st.text(r, "simulations")?.to_string(),
                accepted: st.text(r, "accepted")?.to_string(),
                distinct: r.1.get("distinct").cloned(),
                distinct_ess: match r.1.get("distinct_ess") {
                    Some(_) => Some(st.num(r, "distinct_ess")?),
                    None => None,
                },
            });
        }
        let post = Table::read(dir, "posterior.csv")?;
        let mut gens: Vec<(usize, Vec<f64>, f64)> = Vec::with_capacity(post.rows.len());
        for r in &post.rows {
            let g = post.num(r, "generation")? as usize;
            let theta = params
                .iter()
                .map(|p| post.num(r, &p.name))
                .collect::<Result<Vec<_>>>()?;
            gens.push((g, theta, post.num(r, "weight")?));
        }
        let last_g = gens.iter().map(|x| x.0).max().unwrap_or(0);
        let column = |g: usize, j: usize| -> Vec<f64> {
            gens.iter().filter(|x| x.0 == g).map(|x| x.1[j]).collect()
        };
        let prior_draws = (0..params.len()).map(|j| column(0, j)).collect();
        let last = (
            last_g,
            (0..params.len()).map(|j| column(last_g, j)).collect(),
            gens.iter().filter(|x| x.0 == last_g).map(|x| x.2).collect(),
        );
        let mut scores: Option<(Vec<String>, Vec<Vec<String>>)> = None;
        for name in ["holdout.csv", "crossval.csv"] {
            if !dir.join(name).is_file() {
                continue;
            }
            let t = Table::read(dir, name)?;
            let cols = [
                "set",
                "kind",
                "n",
                "rmse",
                "spearman",
                "kendall",
                "tier_accuracy",
            ];
            let entry = scores
                .get_or_insert_with(|| (cols.iter().map(|c| c.to_string()).collect(), Vec::new()));
            for r in &t.rows {
                entry.1.push(
                    cols.iter()
                        .map(|c| t.text(r, c).map(str::to_string))
                        .collect::<Result<Vec<_>>>()?,
                );
            }
        }
        Ok(CalibrationDir {
            dir: dir.to_path_buf(),
            manifest,
            params,
            fits,
            schedule,
            prior_draws,
            last,
            scores,
        })
    }
}

/// Number of histogram bins.
const BINS: usize = 20;

/// Share of weight per bin over `edges` (the last bin includes its right edge).
fn shares(x: &[f64], w: &[f64], edges: &[f64]) -> Vec<f64> {
    let n = edges.len() - 1;
    let (lo, hi) = (edges[0], edges[n]);
    let mut out = vec![0.0; n];
    let total: f64 = x
        .iter()
        .zip(w)
        .filter(|(v, wt)| v.is_finite() && wt.is_finite())
        .map(|(_, wt)| wt)
        .sum();
    if total <= 0.0 {
        return out;
    }
    for (v, wt) in x.iter().zip(w) {
        if !v.is_finite() || !wt.is_finite() {
            continue;
        }
        let b = (((v - lo) / (hi - lo)) * n as f64)
            .floor()
            .clamp(0.0, (n - 1) as f64) as usize;
        out[b] += wt / total;
    }
    out
}

fn metric_names() -> HashMap<String, (String, String)> {
    crate::metrics::registry::metrics(&crate::catalog::domains::defaults())
        .into_iter()
        .map(|m| (m.id.clone(), (m.name_en.clone(), m.name_zh.clone())))
        .collect()
}

fn target_label(f: &Fit, names: &HashMap<String, (String, String)>, lang: Lang) -> String {
    let metric = names
        .get(&f.metric)
        .map_or(f.metric.as_str(), |(en, zh)| lang.pick(en, zh));
    let kind = if f.kind == "value" {
        String::new()
    } else if f.threshold.is_empty() {
        format!("{} ", f.kind)
    } else {
        format!("{} > {} ", f.kind, f.threshold)
    };
    format!("{kind}{metric} · {} · {}", f.scope, f.year)
}

/// `<td>` with the shown text and the exact value.
fn num_td(v: f64) -> String {
    format!(
        r#"<td data-value="{}">{}</td>"#,
        crate::output::num(v),
        esc(&fmt_num(v))
    )
}

fn interval(lo: f64, hi: f64) -> String {
    format!("{} – {}", fmt_num(lo), fmt_num(hi))
}

/// A section's opening: its heading and, if any, the note under it.
fn open_section(out: &mut String, title: &rt::Text, note: Option<&rt::Text>, lang: Lang) {
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(title.get(lang)));
    if let Some(note) = note {
        let _ = writeln!(out, r#"<p class="note">{}</p>"#, esc(note.get(lang)));
    }
}

fn thead(out: &mut String, cols: &[rt::Text], lang: Lang) {
    out.push_str("<table><thead><tr>");
    for c in cols {
        let _ = write!(out, "<th>{}</th>", esc(c.get(lang)));
    }
    out.push_str("</tr></thead><tbody>");
}

/// Render the calibration report.
pub fn render(cal: &CalibrationDir, lang: Lang) -> String {
    let mut body = String::new();
    run_section(&mut body, cal, lang);
    params_section(&mut body, cal, lang);
    fit_section(&mut body, cal, lang);
    schedule_section(&mut body, cal, lang);
    scores_section(&mut body, cal, lang);
    let scenario = cal.manifest["scenario_file"].as_str().unwrap_or("");
    let title = format!("{} — {}", rt::CAL_TITLE.get(lang), scenario);
    let footer = rt::CAL_GENERATED_BY.fill(
        lang,
        &[
            ("version", crate::VERSION),
            ("dir", &cal.dir.display().to_string()),
        ],
    );
    super::html::page(lang, &title, &body, &footer)
}

fn run_section(out: &mut String, cal: &CalibrationDir, lang: Lang) {
    let m = &cal.manifest;
    let id = &m["identity"];
    let s = |v: &Value| match v {
        Value::String(x) => x.clone(),
        Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
        Value::Null => "—".into(),
        other => other.to_string(),
    };
    open_section(out, &rt::CAL_SEC_RUN, None, lang);
    let text = rt::CAL_RUN_TEXT.fill(
        lang,
        &[
            ("params", &cal.params.len().to_string()),
            ("scenario", &s(&m["scenario_file"])),
            (
                "targets",
                &cal.fits
                    .iter()
                    .filter(|f| f.used == "fit")
                    .count()
                    .to_string(),
            ),
            ("targets_file", &s(&m["targets_file"])),
            ("particles", &s(&id["particles"])),
            ("generations", &s(&id["generations"])),
            ("seed", &s(&id["seed"])),
            ("replicates", &s(&id["replicates"])),
            ("simulations", &s(&m["simulations"])),
            ("tolerance", &s(&m["final_tolerance"])),
        ],
    );
    let _ = writeln!(out, "<p>{}</p>", esc(&text));
    if m["complete"] != true {
        let _ = writeln!(
            out,
            r#"<p class="note">{}</p>"#,
            esc(rt::CAL_INCOMPLETE.get(lang))
        );
    }
    out.push_str("</section>\n");
}

fn params_section(out: &mut String, cal: &CalibrationDir, lang: Lang) {
    open_section(out, &rt::CAL_SEC_PARAMS, Some(&rt::CAL_PARAMS_NOTE), lang);
    thead(
        out,
        &[
            rt::CAL_COL_PARAMETER,
            rt::CAL_COL_PRIOR,
            rt::CAL_COL_PRIOR_MEDIAN,
            rt::CAL_COL_PRIOR_90,
            rt::CAL_COL_POST_MEDIAN,
            rt::CAL_COL_POST_90,
            rt::CAL_COL_WIDTH,
        ],
        lang,
    );
    for p in &cal.params {
        let ratio = (p.post_q[2] - p.post_q[0]) / (p.prior_q[2] - p.prior_q[0]);
        let _ = writeln!(
            out,
            r#"<tr data-parameter="{}"><td><code>{}</code></td><td>{}</td>{}<td>{}</td>{}<td>{}</td>{}</tr>"#,
            esc(&p.name),
            esc(&p.name),
            esc(&p.prior),
            num_td(p.prior_q[1]),
            esc(&interval(p.prior_q[0], p.prior_q[2])),
            num_td(p.post_q[1]),
            esc(&interval(p.post_q[0], p.post_q[2])),
            num_td(ratio)
        );
    }
    out.push_str("</tbody></table>\n");
    let (g, values, weights) = &cal.last;
    for (j, p) in cal.params.iter().enumerate() {
        let prior = &cal.prior_draws[j];
        let post = &values[j];
        let all = prior
            .iter()
            .chain(post.iter())
            .copied()
            .filter(|v| v.is_finite());
        let (mut lo, mut hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if !lo.is_finite() {
            continue;
        }
        if hi - lo <= 1e-12 * lo.abs().max(1.0) {
            let pad = 0.5 * lo.abs().max(1.0);
            (lo, hi) = (lo - pad, hi + pad);
        }
        let edges: Vec<f64> = (0..=BINS)
            .map(|k| lo + (hi - lo) * k as f64 / BINS as f64)
            .collect();
        let ones = vec![1.0; prior.len()];
        let series = [
            Hist {
                name: "prior".into(),
                label: rt::CAL_LEGEND_PRIOR.get(lang).into(),
                shares: shares(prior, &ones, &edges),
                median: weighted_quantile(prior, &ones, 0.5),
            },
            Hist {
                name: "posterior".into(),
                label: rt::CAL_LEGEND_POST.fill(lang, &[("g", &g.to_string())]),
                shares: shares(post, weights, &edges),
                median: weighted_quantile(post, weights, 0.5),
            },
        ];
        let svg = charts::histogram_overlay(
            &format!("calibration-parameter-{j}"),
            &p.name,
            &p.name,
            rt::CAL_AXIS_SHARE.get(lang),
            &edges,
            &series,
        );
        let caption = rt::CAL_CAPTION_PARAM.fill(
            lang,
            &[
                ("bins", &BINS.to_string()),
                ("n0", &prior.len().to_string()),
                ("n", &post.len().to_string()),
                ("g", &g.to_string()),
            ],
        );
        super::html::figure(out, &p.name, &svg, &caption);
    }
    out.push_str("</section>\n");
}

fn fit_section(out: &mut String, cal: &CalibrationDir, lang: Lang) {
    let names = metric_names();
    open_section(out, &rt::CAL_SEC_FIT, Some(&rt::CAL_FIT_NOTE), lang);
    let rows: Vec<ForestRow> = cal
        .fits
        .iter()
        .map(|f| ForestRow {
            label: target_label(f, &names, lang),
            value: f.z,
            low: (f.p05 - f.observed) / f.sd,
            high: (f.p95 - f.observed) / f.sd,
        })
        .collect();
    let svg = charts::forest(
        "calibration-fit",
        rt::CAL_FOREST_TITLE.get(lang),
        rt::CAL_FOREST_AXIS.get(lang),
        (-1.645, 1.645),
        &rows,
    );
    super::html::figure(
        out,
        rt::CAL_FOREST_TITLE.get(lang),
        &svg,
        rt::CAL_CAPTION_FOREST.get(lang),
    );
    thead(
        out,
        &[
            rt::CAL_COL_TARGET,
            rt::CAL_COL_USED,
            rt::CAL_COL_OBSERVED,
            rt::CAL_COL_SD,
            rt::CAL_COL_PRED_MEAN,
            rt::CAL_COL_PRED_90,
            rt::CAL_COL_Z,
        ],
        lang,
    );
    for f in &cal.fits {
        let used = if f.used == "holdout" {
            rt::CAL_USED_HOLDOUT
        } else {
            rt::CAL_USED_FIT
        };
        let _ = writeln!(
            out,
            r#"<tr class="target"><td>{}</td><td>{}</td>{}{}{}<td>{}</td>{}</tr>"#,
            esc(&target_label(f, &names, lang)),
            esc(used.get(lang)),
            num_td(f.observed),
            num_td(f.sd),
            num_td(f.mean),
            esc(&interval(f.p05, f.p95)),
            num_td(f.z)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn schedule_section(out: &mut String, cal: &CalibrationDir, lang: Lang) {
    open_section(
        out,
        &rt::CAL_SEC_SCHEDULE,
        Some(&rt::CAL_SCHEDULE_NOTE),
        lang,
    );
    let points: Vec<(f64, f64, f64, f64)> = cal
        .schedule
        .iter()
        .filter(|g| g.tolerance.is_finite())
        .map(|g| (g.generation as f64, g.tolerance, g.tolerance, g.tolerance))
        .collect();
    if !points.is_empty() {
        let last = cal.schedule.last().map_or(0, |g| g.generation);
        let svg = charts::fan_chart(
            "calibration-schedule",
            rt::CAL_SCHEDULE_TITLE.get(lang),
            rt::CAL_AXIS_GENERATION.get(lang),
            rt::CAL_AXIS_TOLERANCE.get(lang),
            &[Fan {
                name: "tolerance".into(),
                label: rt::CAL_COL_TOLERANCE.get(lang).into(),
                points,
            }],
        );
        let caption = rt::CAL_CAPTION_SCHEDULE.fill(lang, &[("g", &last.to_string())]);
        super::html::figure(out, rt::CAL_SCHEDULE_TITLE.get(lang), &svg, &caption);
    }
    thead(
        out,
        &[
            rt::CAL_COL_GENERATION,
            rt::CAL_COL_TOLERANCE,
            rt::CAL_COL_ESS,
            rt::CAL_COL_RESAMPLED,
            rt::CAL_COL_SIMULATIONS,
            rt::CAL_COL_ACCEPTED,
            rt::CAL_COL_DISTINCT,
            rt::CAL_COL_DISTINCT_ESS,
        ],
        lang,
    );
    for g in &cal.schedule {
        let yes = if g.resampled == "true" {
            rt::CAL_YES
        } else {
            rt::CAL_NO
        };
        let tol = if g.tolerance.is_infinite() {
            "<td data-value=\"inf\">∞</td>".to_string()
        } else {
            num_td(g.tolerance)
        };
        let _ = writeln!(
            out,
            r#"<tr class="generation"><td>{}</td>{tol}{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td>{}</tr>"#,
            g.generation,
            num_td(g.ess),
            esc(yes.get(lang)),
            esc(&g.simulations),
            esc(&g.accepted),
            esc(g.distinct.as_deref().unwrap_or("—")),
            g.distinct_ess
                .map_or_else(|| "<td>—</td>".to_string(), num_td)
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn scores_section(out: &mut String, cal: &CalibrationDir, lang: Lang) {
    let Some((cols, rows)) = &cal.scores else {
        return;
    };
    open_section(out, &rt::CAL_SEC_SCORES, Some(&rt::CAL_SCORES_NOTE), lang);
    out.push_str("<table><thead><tr>");
    for c in cols {
        let _ = write!(out, "<th><code>{}</code></th>", esc(c));
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        out.push_str("<tr>");
        for (k, v) in r.iter().enumerate() {
            if k >= 3 {
                match v.parse::<f64>() {
                    Ok(x) => out.push_str(&num_td(x)),
                    Err(_) => {
                        let _ = write!(out, "<td>{}</td>", esc(v));
                    }
                }
            } else {
                let _ = write!(out, "<td>{}</td>", esc(v));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// Write the calibration report of `dir` to `out`.
pub fn write(dir: &Path, lang: Lang, out: &Path, force: bool) -> Result<()> {
    let cal = CalibrationDir::load(dir)?;
    let page = render(&cal, lang);
    crate::output::replace_file(out, page.as_bytes(), force)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_shares_are_weight_shares_per_bin() {
        let edges = [0.0, 1.0, 2.0, 3.0, 4.0];
        // The top edge falls in the last bin; weights need not be normalised.
        let s = shares(&[0.5, 1.5, 1.7, 4.0], &[1.0, 1.0, 2.0, 4.0], &edges);
        assert_eq!(s, vec![0.125, 0.375, 0.0, 0.5]);
        // Equal weights: counts over n; non-finite values are left out.
        let s = shares(&[0.1, 3.9, f64::NAN], &[1.0, 1.0, 1.0], &edges);
        assert_eq!(s, vec![0.5, 0.0, 0.0, 0.5]);
        assert_eq!(shares(&[1.0], &[0.0], &edges), vec![0.0; 4]);
    }
}
