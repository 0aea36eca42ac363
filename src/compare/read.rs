//! Reading a run directory for comparison: the manifest (format check,
//! strategy order, baseline) and the world-scope year-end values of
//! `timeseries.csv`.
//!
//! Rules: the time series is streamed row by row and only world-scope rows
//! at year ends are kept (year 0 = the initial state, then quarter 4 of
//! each year), so memory grows with strategies × replicates × years ×
//! metrics, never with the number of scopes.

use std::collections::BTreeMap;
use std::path::Path;

use crate::{Error, InputError, Result};

/// What the comparison needs from `manifest.json`.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub scenario: String,
    pub strategies: Vec<String>,
    pub baseline: Option<String>,
    /// `run.world` of the run: `per-replicate` or `fixed`.
    pub world_draw: String,
}

/// Year-end world values: `values[(strategy, metric)][year][replicate]`.
#[derive(Debug, Default)]
pub struct YearEnds {
    /// Metric ids in order of first appearance (the registry's order).
    pub metrics: Vec<String>,
    pub values: BTreeMap<(usize, usize), BTreeMap<u32, BTreeMap<u64, f64>>>,
    /// Last year present.
    pub horizon: u32,
}

fn bad(dir: &Path, file: &str, msg: impl Into<String>) -> Error {
    InputError::new(msg).file(dir.join(file)).into()
}

/// Read and check `manifest.json` through the one reader,
/// [`crate::output::manifest::read`].
pub fn manifest(dir: &Path) -> Result<Manifest> {
    let m = crate::output::manifest::read(dir)?;
    Ok(Manifest {
        scenario: m.scenario.name,
        strategies: m.strategies,
        baseline: m.baseline,
        world_draw: m.world.draw,
    })
}

/// Stream `timeseries.csv` through the one reader,
/// [`crate::output::timeseries::for_each`], and keep world-scope year-end
/// values.
pub fn year_ends(dir: &Path, strategies: &[String]) -> Result<YearEnds> {
    let path = dir.join("timeseries.csv");
    let mut metric_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = YearEnds::default();
    crate::output::timeseries::for_each(&path, strategies, |row| {
        if row.scope_level != "world" || !(row.quarter == 4 || row.time == 0) {
            return Ok(());
        }
        let value = row.value()?;
        let m = match metric_index.get(row.metric) {
            Some(&m) => m,
            None => {
                let m = out.metrics.len();
                out.metrics.push(row.metric.to_string());
                metric_index.insert(row.metric.to_string(), m);
                m
            }
        };
        out.horizon = out.horizon.max(row.year);
        out.values
            .entry((row.strategy, m))
            .or_default()
            .entry(row.year)
            .or_default()
            .insert(row.replicate, value);
        Ok(())
    })?;
    if out.metrics.is_empty() {
        return Err(bad(
            dir,
            "timeseries.csv",
            "no world-scope rows: nothing to compare",
        ));
    }
    Ok(out)
}

/// Direction and display names per metric from the run's `metrics.csv`
/// (the registry as the run saw it), if the file is there.
pub fn run_metrics(dir: &Path) -> BTreeMap<String, (String, String, String, bool)> {
    let mut out = BTreeMap::new();
    let Ok(mut rdr) = csv::Reader::from_path(dir.join("metrics.csv")) else {
        return out;
    };
    let Ok(h) = rdr.headers().cloned() else {
        return out;
    };
    let col = |name: &str| h.iter().position(|c| c == name);
    let (Some(id), Some(en), Some(zh), Some(dir_c), Some(head)) = (
        col("metric"),
        col("name_en"),
        col("name_zh"),
        col("direction"),
        col("headline"),
    ) else {
        return out;
    };
    for rec in rdr.records().flatten() {
        out.insert(
            rec[id].to_string(),
            (
                rec[en].to_string(),
                rec[zh].to_string(),
                rec[dir_c].to_string(),
                &rec[head] == "true",
            ),
        );
    }
    out
}
