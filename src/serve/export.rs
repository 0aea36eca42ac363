//! Downloads of the page's current run: the world-scope series as CSV
//! (from the run's answer), and the Excel workbook and HTML report, made
//! by the report module from a full run folder written exactly as
//! `tiaokuai run` writes it.
//!
//! Rules: the run folder lives in a private temporary folder that is
//! removed before the answer is sent; only the requested strategies are
//! run (in the scenario's order, as the CLI's `--strategy` does).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use super::api::{ApiError, Prepared};
use crate::catalog::Lang;
use crate::experiment::{self, RunOptions};
use crate::report::{self, RunDir};
use crate::sim::Context;

/// What can be downloaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Html,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, ApiError> {
        match s {
            "csv" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            "html" => Ok(Format::Html),
            _ => {
                let mut e = ApiError::new(404, format!("no export format `{s}`"));
                e.expected = Some("csv, xlsx or html".into());
                Err(e)
            }
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html; charset=utf-8",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Html => "html",
        }
    }
}

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> TempDir {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    TempDir(std::env::temp_dir().join(format!("tiaokuai-serve-{}-{n}", std::process::id())))
}

/// The workbook or HTML report of a prepared run.
pub fn report(p: &Prepared, format: Format, lang: Lang) -> Result<Vec<u8>, ApiError> {
    let mut sc = p.ctx.scenario.clone();
    let names: Vec<String> = p
        .strategies
        .iter()
        .map(|&s| sc.strategies[s].name.clone())
        .collect();
    sc.select_strategies(&names)?;
    let ctx = Context::new(sc)?;
    let tmp = temp_dir();
    let dir = tmp.0.join(&ctx.scenario.name);
    let opts = RunOptions {
        out: dir.clone(),
        force: true,
        threads: None,
        quiet: true,
        excel_csv: false,
    };
    experiment::run_to_dir(&ctx, &opts)?;
    let run = RunDir::load(&dir)?;
    match format {
        Format::Xlsx => Ok(report::xlsx::build(&run, lang)?),
        _ => Ok(report::html::render(&run, lang).into_bytes()),
    }
}
