//! `summary.csv`: for each strategy, metric and year, the world-scope value
//! at the end of the year summarised over replicates — mean, sd, 95%
//! t-interval of the mean, and the 5th, 50th and 95th percentiles.
//!
//! Memory: one value per (strategy, replicate, year, metric) at world scope
//! — a few kilobytes per replicate — is kept for the percentiles; the
//! per-quarter, per-scope rows stream to disk.

use std::path::Path;

use crate::error::Result;
use crate::output::{csv_err, csv_writer, num};
use crate::sim::Context;
use crate::stats::{self, Summary};

/// One row of `summary.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    pub strategy: String,
    pub metric: String,
    pub year: u32,
    pub stats: Summary,
}

/// Header of `summary.csv`.
pub const HEADER: [&str; 11] = [
    "strategy",
    "metric",
    "year",
    "n",
    "mean",
    "sd",
    "ci95_low",
    "ci95_high",
    "p05",
    "p50",
    "p95",
];

/// Column added after [`HEADER`] when the scenario sets `run.start_year`.
pub const CALENDAR_COLUMN: &str = "calendar_year";

/// World-scope year-end values collected during a run.
pub struct YearValues {
    strategies: Vec<String>,
    metrics: Vec<String>,
    years: usize,
    /// `values[strategy][replicate]` = years × metrics.
    values: Vec<Vec<Vec<f64>>>,
}

impl YearValues {
    pub fn new(ctx: &Context) -> Self {
        let sc = &ctx.scenario;
        YearValues {
            strategies: sc.strategies.iter().map(|s| s.name.clone()).collect(),
            metrics: ctx.metrics.defs.iter().map(|m| m.id.clone()).collect(),
            years: sc.run.years as usize + 1,
            values: vec![Vec::new(); sc.strategies.len()],
        }
    }

    /// Add one replicate of a strategy (replicates arrive in order).
    pub fn push(&mut self, strategy: usize, values: Vec<f64>) {
        self.values[strategy].push(values);
    }

    /// Summaries in (strategy, metric, year) order; rows with no values are left out.
    pub fn summarize(&self) -> Vec<SummaryRow> {
        let nm = self.metrics.len();
        let mut rows = Vec::new();
        let mut xs = Vec::new();
        for (s, reps) in self.values.iter().enumerate() {
            for (m, metric) in self.metrics.iter().enumerate() {
                for y in 0..self.years {
                    xs.clear();
                    xs.extend(reps.iter().map(|v| v[y * nm + m]).filter(|x| !x.is_nan()));
                    if let Some(st) = stats::summarize(&xs) {
                        rows.push(SummaryRow {
                            strategy: self.strategies[s].clone(),
                            metric: metric.clone(),
                            year: y as u32,
                            stats: st,
                        });
                    }
                }
            }
        }
        rows
    }
}

/// Write `summary.csv`.
/// With `start_year`, a last column `calendar_year` = start_year − 1 + year.
pub fn write(path: &Path, rows: &[SummaryRow], bom: bool, start_year: Option<i32>) -> Result<()> {
    let mut w = csv_writer(path, bom)?;
    let e = csv_err(path);
    let mut header = HEADER.to_vec();
    if start_year.is_some() {
        header.push(CALENDAR_COLUMN);
    }
    w.write_record(&header).map_err(&e)?;
    for r in rows {
        let s = &r.stats;
        let mut rec = vec![
            r.strategy.clone(),
            r.metric.clone(),
            r.year.to_string(),
            s.n.to_string(),
            num(s.mean),
            num(s.sd),
            num(s.ci95_low),
            num(s.ci95_high),
            num(s.p05),
            num(s.p50),
            num(s.p95),
        ];
        if let Some(y) = start_year {
            rec.push((y - 1 + r.year as i32).to_string());
        }
        w.write_record(&rec).map_err(&e)?;
    }
    w.flush()
        .map_err(|x| crate::Error::io(format!("cannot write {}", path.display()), x))
}
