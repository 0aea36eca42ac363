//! Turning a finished sensitivity study into SALib-readable files and
//! indices: `design.csv`, `outputs.csv` and `sensitivity.csv`.
//!
//! Rules: `design.csv` has one row per design point in the design's order
//! (parameter values in their own units, header = parameter paths);
//! `outputs.csv` has the same rows, one column per metric, each cell the
//! mean over replicates at the horizon (empty when the point failed). So
//! `SALib.analyze.sobol.analyze(problem, outputs[metric])` and
//! `SALib.analyze.morris.analyze(problem, design, outputs[metric])` re-check
//! the indices. Replicate noise is reported per metric as
//! `replicate_noise,noise_share`: the share of the variance of the point
//! means that the replicates' spread alone would produce. A metric that
//! failed at some point, or never varies, gets no indices and is listed as
//! skipped.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::files;
use super::plan::{Method, Plan};
use crate::sensitivity::{self, IndexValue};
use crate::{Error, Result};

pub const DESIGN: &str = "design.csv";
pub const OUTPUTS: &str = "outputs.csv";
pub const SENSITIVITY: &str = "sensitivity.csv";

/// Replicate values per (point, metric) from a study folder.
fn replicate_values(dir: &Path, plan: &Plan, metrics: &[String]) -> Result<Vec<Vec<Vec<f64>>>> {
    let index: BTreeMap<&str, usize> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut vals = vec![vec![Vec::new(); metrics.len()]; plan.points.len()];
    let path = dir.join(files::OUTCOMES);
    let mut rdr = csv::Reader::from_path(&path)
        .map_err(|e| Error::Other(format!("reading {}: {e}", path.display())))?;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| Error::Other(format!("reading {}: {e}", path.display())))?;
        let (Some(id), Some(m), Some(v)) = (
            rec.get(0).and_then(|x| x.parse::<usize>().ok()),
            rec.get(2).and_then(|m| index.get(m)),
            rec.get(3).and_then(|x| x.parse::<f64>().ok()),
        ) else {
            return Err(Error::Other(format!(
                "malformed row in {}: {rec:?}",
                path.display()
            )));
        };
        let (p, s) = plan.locate(id);
        if s == 0 && p < vals.len() {
            vals[p][*m].push(v);
        }
    }
    Ok(vals)
}

fn mean(v: &[f64]) -> Option<f64> {
    crate::stats::mean(v)
}

/// Write the three files into `dir`; returns skipped metrics with reasons.
pub fn write(dir: &Path, plan: &Plan, metrics: &[String]) -> Result<Vec<(String, String)>> {
    let vals = replicate_values(dir, plan, metrics)?;
    let names = plan.param_names();

    let mut design = names
        .iter()
        .map(|n| files::field(n))
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    for row in &plan.points {
        design.push_str(&row.iter().map(f64::to_string).collect::<Vec<_>>().join(","));
        design.push('\n');
    }
    crate::sweep::folder::write_atomic(&dir.join(DESIGN), design.as_bytes())?;

    let mut outputs = metrics.join(",") + "\n";
    for point in &vals {
        let cells: Vec<String> = point
            .iter()
            .map(|v| mean(v).map(|x| x.to_string()).unwrap_or_default())
            .collect();
        outputs.push_str(&cells.join(","));
        outputs.push('\n');
    }
    crate::sweep::folder::write_atomic(&dir.join(OUTPUTS), outputs.as_bytes())?;

    let per_metric: Vec<std::result::Result<Vec<IndexValue>, String>> = (0..metrics.len())
        .into_par_iter()
        .map(|m| {
            let reps: Vec<Vec<f64>> = vals.iter().map(|p| p[m].clone()).collect();
            let y: Vec<f64> = reps.iter().map(|r| mean(r).unwrap_or(f64::NAN)).collect();
            if let Some(p) = y.iter().position(|v| !v.is_finite()) {
                return Err(format!("design point {p} has no value (failed run)"));
            }
            let seed = crate::design::rng::derive_seed(plan.seed, "analysis", m as u64);
            let mut idx = match plan.method {
                Method::Sobol { second_order, .. } => sensitivity::sobol::analyze(
                    &y,
                    &names,
                    second_order,
                    sensitivity::DEFAULT_BOOTSTRAP,
                    seed,
                )?,
                Method::Morris { levels, .. } => sensitivity::morris::analyze(
                    &plan.unit,
                    &y,
                    &names,
                    crate::design::morris::delta(levels),
                    sensitivity::DEFAULT_BOOTSTRAP,
                    seed,
                )?,
                Method::Sweep(_) => Vec::new(),
            };
            if let Some(share) = sensitivity::noise_share(&reps) {
                idx.push(IndexValue {
                    parameter: "replicate_noise".into(),
                    index: "noise_share",
                    value: share,
                    ci95_low: f64::NAN,
                    ci95_high: f64::NAN,
                });
            }
            Ok(idx)
        })
        .collect();

    let method = plan.method.id();
    let mut text = String::from("metric,parameter,method,index,value,ci95_low,ci95_high\n");
    let mut skipped = Vec::new();
    for (m, res) in metrics.iter().zip(per_metric) {
        match res {
            Ok(rows) => {
                for r in rows {
                    let ci = |x: f64| {
                        if x.is_finite() {
                            x.to_string()
                        } else {
                            String::new()
                        }
                    };
                    text.push_str(&format!(
                        "{m},{},{method},{},{},{},{}\n",
                        files::field(&r.parameter),
                        r.index,
                        r.value,
                        ci(r.ci95_low),
                        ci(r.ci95_high)
                    ));
                }
            }
            Err(why) => skipped.push((m.clone(), why)),
        }
    }
    crate::sweep::folder::write_atomic(&dir.join(SENSITIVITY), text.as_bytes())?;
    Ok(skipped)
}
