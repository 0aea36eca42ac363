//! Reading a run directory for comparison: the manifest (format check,
//! strategy order, baseline) and the world-scope year-end values of
//! `timeseries.csv`.
//!
//! Rules: the time series is streamed row by row and only world-scope rows
//! at year ends are kept (year 0 = the initial state, then quarter 4 of
//! each year), so memory grows with strategies × replicates × years ×
//! metrics, never with the number of scopes.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use serde_json::Value;

use crate::{Error, InputError, Result};

/// What the comparison needs from `manifest.json`.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub scenario: String,
    pub strategies: Vec<String>,
    pub baseline: Option<String>,
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

/// Read and check `manifest.json`.
pub fn manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        InputError::new(format!("`{}` is not a run directory: {e}", dir.display()))
            .file(&path)
            .suggest("point at the folder `tiaokuai run` wrote (it holds manifest.json and timeseries.csv)")
    })?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| bad(dir, "manifest.json", format!("not valid JSON: {e}")))?;
    if v.get("format").and_then(Value::as_str) != Some("tiaokuai-run") {
        return Err(bad(
            dir,
            "manifest.json",
            "not a tiaokuai run manifest (format is not \"tiaokuai-run\")",
        ));
    }
    match v.get("format_version").and_then(Value::as_u64) {
        Some(1) => {}
        other => {
            return Err(bad(
                dir,
                "manifest.json",
                format!("run format version {other:?} is not supported; this tool reads version 1"),
            ));
        }
    }
    let strategies: Vec<String> = v
        .get("strategies")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if strategies.is_empty() {
        return Err(bad(
            dir,
            "manifest.json",
            "the manifest lists no strategies",
        ));
    }
    Ok(Manifest {
        scenario: v
            .pointer("/scenario/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        strategies,
        baseline: v.get("baseline").and_then(Value::as_str).map(String::from),
    })
}

const HEADER: [&str; 10] = crate::experiment::TIMESERIES_HEADER;

/// Stream `timeseries.csv` and keep world-scope year-end values.
pub fn year_ends(dir: &Path, strategies: &[String]) -> Result<YearEnds> {
    let path = dir.join("timeseries.csv");
    let file = File::open(&path)
        .map_err(|e| InputError::new(format!("cannot read the time series: {e}")).file(&path))?;
    let mut rdr = csv::Reader::from_reader(std::io::BufReader::new(file));
    let header = rdr
        .headers()
        .map_err(|e| bad(dir, "timeseries.csv", format!("unreadable header: {e}")))?
        .clone();
    let calendar = header.len() == HEADER.len() + 1
        && header.get(HEADER.len()) == Some(crate::experiment::summary::CALENDAR_COLUMN);
    if header.iter().take(HEADER.len()).collect::<Vec<_>>() != HEADER
        || (header.len() != HEADER.len() && !calendar)
    {
        return Err(InputError::new("unexpected header in timeseries.csv")
            .file(&path)
            .expected(HEADER.join(","))
            .into());
    }
    let strategy_index: BTreeMap<&str, usize> = strategies
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut metric_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = YearEnds::default();
    let mut rec = csv::StringRecord::new();
    let mut line = 1u64;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(true) => line += 1,
            Ok(false) => break,
            Err(e) => {
                return Err(bad(
                    dir,
                    "timeseries.csv",
                    format!("line {}: {e}", line + 1),
                ));
            }
        }
        if &rec[5] != "world" {
            continue;
        }
        let num = |i: usize| -> Result<u64> {
            rec[i].parse().map_err(|_| {
                InputError::new(format!("`{}` is not a whole number", &rec[i]))
                    .file(&path)
                    .at(line as usize, i + 1)
                    .key(HEADER[i])
                    .into()
            })
        };
        let (year, quarter) = (num(3)? as u32, num(4)?);
        if !(quarter == 4 || (year == 0 && quarter == 0)) {
            continue;
        }
        let Some(&s) = strategy_index.get(&rec[0]) else {
            return Err(
                InputError::new(format!("strategy `{}` is not in the manifest", &rec[0]))
                    .file(&path)
                    .at(line as usize, 1)
                    .into(),
            );
        };
        let value: f64 = rec[9].parse().map_err(|_| {
            InputError::new(format!("`{}` is not a number", &rec[9]))
                .file(&path)
                .at(line as usize, 10)
        })?;
        let m = match metric_index.get(&rec[8]) {
            Some(&m) => m,
            None => {
                let m = out.metrics.len();
                out.metrics.push(rec[8].to_string());
                metric_index.insert(rec[8].to_string(), m);
                m
            }
        };
        out.horizon = out.horizon.max(year);
        out.values
            .entry((s, m))
            .or_default()
            .entry(year)
            .or_default()
            .insert(num(1)?, value);
    }
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
