//! Experiments: replicates × strategies of a scenario, run in parallel and
//! written in run order.
//!
//! Rules: **results are ordered by run identity (strategy, replicate),
//! never by completion order**: jobs run in parallel in chunks and each
//! chunk is written in order before the next starts, so memory holds at
//! most one chunk of results however many replicates run, and the files
//! are byte-identical for any thread count.

pub mod indicators;
pub mod summary;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::engine::{Context, Runner};
use crate::error::{Error, InputError, Result};
use crate::output::{self, OutDir};
use crate::rng;
use summary::{SummaryRow, YearValues};

/// World-scope values of one run: one row of metric values per time point.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub metric_ids: Vec<String>,
    /// `values[t * metrics + m]`, t = 0..=4·years.
    pub values: Vec<f64>,
}

impl Series {
    pub fn metric_ids(&self) -> &[String] {
        &self.metric_ids
    }
    fn column(&self, id: &str) -> Option<usize> {
        self.metric_ids.iter().position(|m| m == id)
    }
    /// Values of a metric at every time point.
    pub fn values(&self, id: &str) -> Option<Vec<f64>> {
        let m = self.column(id)?;
        let n = self.metric_ids.len();
        Some(self.values.chunks_exact(n).map(|row| row[m]).collect())
    }
    /// Value of a metric at the horizon.
    pub fn horizon(&self, id: &str) -> Option<f64> {
        let m = self.column(id)?;
        let n = self.metric_ids.len();
        self.values.chunks_exact(n).last().map(|row| row[m])
    }
}

/// Run one replicate of one strategy and keep its world-scope series.
pub fn run_replicate(ctx: &Context, strategy: usize, replicate: u32) -> Series {
    let mut runner = Runner::new(ctx);
    run_with(ctx, &mut runner, strategy, replicate)
}

/// As [`run_replicate`], reusing a runner's buffers.
pub fn run_with(ctx: &Context, runner: &mut Runner, strategy: usize, replicate: u32) -> Series {
    let nm = ctx.metrics.defs.len();
    let mut values = Vec::with_capacity((ctx.quarters() as usize + 1) * nm);
    runner.run(ctx, strategy, replicate, |_, frame| {
        values.extend_from_slice(&frame[..nm])
    });
    Series {
        metric_ids: ctx.metrics.defs.iter().map(|m| m.id.clone()).collect(),
        values,
    }
}

/// Every scope's values of one run: `frames[t][scope][metric]`, flattened.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeSeries {
    pub n_scopes: usize,
    pub n_metrics: usize,
    pub values: Vec<f64>,
}

impl ScopeSeries {
    /// Time points recorded (t = 0 and every quarter).
    pub fn len(&self) -> usize {
        self.values.len() / (self.n_scopes * self.n_metrics).max(1)
    }
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
    /// Value at time point `t` of scope `scope` and metric `metric` (indices).
    pub fn at(&self, t: usize, scope: usize, metric: usize) -> f64 {
        self.values[(t * self.n_scopes + scope) * self.n_metrics + metric]
    }
}

/// Run one replicate of one strategy keeping every scope (for analyses
/// below world scope; a province world holds a few kilobytes per quarter).
pub fn run_scopes(
    ctx: &Context,
    runner: &mut Runner,
    strategy: usize,
    replicate: u32,
) -> ScopeSeries {
    let mut values = Vec::with_capacity((ctx.quarters() as usize + 1) * ctx.frame_len());
    runner.run(ctx, strategy, replicate, |_, frame| {
        values.extend_from_slice(frame)
    });
    ScopeSeries {
        n_scopes: ctx.world.scopes.scopes.len(),
        n_metrics: ctx.metrics.defs.len(),
        values,
    }
}

/// Options of a run to a folder.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub out: PathBuf,
    pub force: bool,
    /// Worker threads (None = all cores).
    pub threads: Option<usize>,
    pub quiet: bool,
    /// Write CSV files with a UTF-8 byte-order mark (for Excel).
    pub excel_csv: bool,
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub dir: PathBuf,
    pub wall_time_s: f64,
    pub runs: usize,
    pub summary: Vec<SummaryRow>,
}

/// Header of `timeseries.csv`.
pub const TIMESERIES_HEADER: [&str; 10] = [
    "strategy",
    "replicate",
    "seed",
    "year",
    "quarter",
    "scope_level",
    "scope_id",
    "scope_name",
    "metric",
    "value",
];

/// Run every (strategy, replicate) and write the run folder.
pub fn run_to_dir(ctx: &Context, opts: &RunOptions) -> Result<RunReport> {
    let start = Instant::now();
    let out = OutDir::create(&opts.out, opts.force)?;
    let pool = thread_pool(opts.threads)?;
    let sc = &ctx.scenario;
    let jobs: Vec<(usize, u32)> = (0..sc.strategies.len())
        .flat_map(|s| (0..sc.run.replicates).map(move |r| (s, r)))
        .collect();
    let ts_path = out.path("timeseries.csv");
    let mut ts = output::csv_writer(&ts_path, opts.excel_csv)?;
    let mut header = TIMESERIES_HEADER.to_vec();
    if sc.run.start_year.is_some() {
        header.push(summary::CALENDAR_COLUMN);
    }
    ts.write_record(&header)
        .map_err(output::csv_err(&ts_path))?;
    let mut ts = ts
        .into_inner()
        .map_err(|e| Error::Other(format!("cannot write {}: {e}", ts_path.display())))?;
    let mut years = YearValues::new(ctx);
    let mut unit_means = indicators::UnitMeans::new(ctx);
    let progress = Progress::new(jobs.len(), opts.quiet);
    let chunk = (pool.current_num_threads() * 4).max(4);
    for part in jobs.chunks(chunk) {
        let results: Vec<JobResult> = pool.install(|| {
            part.par_iter()
                .map_init(
                    || Runner::new(ctx),
                    |runner, &(s, r)| job(ctx, runner, s, r),
                )
                .collect()
        });
        for ((s, _), (bytes, yv, ind)) in part.iter().zip(results) {
            unit_means.add(*s, &ind);
            ts.write_all(&bytes)
                .map_err(|e| Error::io(format!("cannot write {}", ts_path.display()), e))?;
            years.push(*s, yv);
        }
        progress.advance(part.len());
    }
    ts.flush()
        .map_err(|e| Error::io(format!("cannot write {}", ts_path.display()), e))?;
    drop(ts);
    progress.finish();
    let rows = years.summarize();
    summary::write(
        &out.path("summary.csv"),
        &rows,
        opts.excel_csv,
        sc.run.start_year,
    )?;
    output::tables::write_scopes(&out.path("scopes.csv"), &ctx.world.scopes, opts.excel_csv)?;
    output::tables::write_metrics(&out.path("metrics.csv"), &ctx.metrics.defs, opts.excel_csv)?;
    unit_means.write(ctx, &out.path("indicators.csv"), opts.excel_csv)?;
    output::write_file(&out.path("scenario.toml"), sc.source.text.as_bytes())?;
    let wall = start.elapsed().as_secs_f64();
    let manifest = manifest(ctx, pool.current_num_threads(), wall);
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| Error::Other(e.to_string()))?;
    output::write_file(&out.path("manifest.json"), text.as_bytes())?;
    let dir = out.commit()?;
    Ok(RunReport {
        dir,
        wall_time_s: wall,
        runs: jobs.len(),
        summary: rows,
    })
}

/// One job: CSV rows of every scope and time point, and world-scope values at year ends.
/// What one job hands back: CSV rows, world-scope year-end values, and every
/// unit's indicators at the horizon.
type JobResult = (Vec<u8>, Vec<f64>, Vec<f64>);

fn job(ctx: &Context, runner: &mut Runner, s: usize, r: u32) -> JobResult {
    let sc = &ctx.scenario;
    let nm = ctx.metrics.defs.len();
    let seed = rng::replicate_seed(sc.run.seed, r).to_string();
    let rep = r.to_string();
    let name = &sc.strategies[s].name;
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::with_capacity(1 << 16));
    let mut year_values = Vec::with_capacity((sc.run.years as usize + 1) * nm);
    let mut indicators = Vec::new();
    let last = ctx.quarters();
    runner.run_observed(ctx, s, r, |t, frame, view| {
        if t == last {
            indicators.extend_from_slice(view.indicators);
        }
        let (year, quarter) = if t == 0 {
            (0, 0)
        } else {
            ((t - 1) / 4 + 1, (t - 1) % 4 + 1)
        };
        let (ys, qs) = (year.to_string(), quarter.to_string());
        let cal = sc.run.calendar_year(year).map(|y| y.to_string());
        for (si, scope) in ctx.world.scopes.scopes.iter().enumerate() {
            for (mi, m) in ctx.metrics.defs.iter().enumerate() {
                let v = frame[si * nm + mi];
                if v.is_nan() {
                    continue;
                }
                let value = output::num(v);
                let rec = [
                    name.as_str(),
                    &rep,
                    &seed,
                    &ys,
                    &qs,
                    scope.kind.id(),
                    &scope.id,
                    &scope.name_en,
                    &m.id,
                    &value,
                ];
                // Writing into memory cannot fail.
                let _ = match &cal {
                    None => w.write_record(rec),
                    Some(c) => w.write_record(rec.iter().copied().chain([c.as_str()])),
                };
            }
        }
        if t % 4 == 0 {
            year_values.extend_from_slice(&frame[..nm]);
        }
    });
    (w.into_inner().unwrap_or_default(), year_values, indicators)
}

/// A rayon pool with the requested number of threads.
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    if threads == Some(0) {
        return Err(InputError::new("--threads must be at least 1")
            .key("--threads")
            .into());
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))
}

/// The `manifest.json` of a run folder.
pub fn manifest(ctx: &Context, threads: usize, wall_time_s: f64) -> serde_json::Value {
    let sc = &ctx.scenario;
    let by_level = ctx.world.units_by_level();
    let levels = crate::catalog::Level::ALL;
    let units: serde_json::Map<String, serde_json::Value> = levels
        .iter()
        .map(|l| (l.id().to_string(), serde_json::json!(by_level[*l as usize])))
        .collect();
    serde_json::json!({
        "format": output::RUN_FORMAT,
        "format_version": output::FORMAT_VERSION,
        "tool_version": crate::VERSION,
        "scenario": {
            "name": sc.name,
            "name_zh": sc.name_zh,
            "description": sc.description,
            "file": sc.source.path.as_ref().map(|p| p.display().to_string()),
            "sha256": sc.source.sha256,
        },
        "seed": sc.run.seed,
        "replicates": sc.run.replicates,
        "years": sc.run.years,
        "strategies": sc.strategies.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        "baseline": sc.strategies[sc.baseline_index()].name,
        "preset": ctx.world.preset.id(),
        "framework": ctx.framework.origin,
        "world": {
            "units_by_level": units,
            "departments": ctx.compiled.n_depts,
            "links": ctx.world.graph.links(),
            "horizontal_pairs": ctx.compiled.n_pairs(),
        },
        "seeds": (0..sc.run.replicates).map(|r| rng::replicate_seed(sc.run.seed, r)).collect::<Vec<_>>(),
        "resolved": sc.resolved_json(),
        "threads": threads,
        "wall_time_s": wall_time_s,
        "files": ["timeseries.csv", "summary.csv", "scopes.csv", "metrics.csv", "indicators.csv", "scenario.toml", "manifest.json"],
    })
}

/// A progress bar on stderr, shown only once a run has taken a second.
struct Progress {
    bar: indicatif::ProgressBar,
    start: Instant,
    quiet: bool,
}

impl Progress {
    fn new(total: usize, quiet: bool) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs  {per_sec}  eta {eta}",
        ) {
            bar.set_style(style);
        }
        Progress {
            bar,
            start: Instant::now(),
            quiet,
        }
    }
    fn advance(&self, n: usize) {
        if !self.quiet && self.bar.is_hidden() && self.start.elapsed().as_secs_f64() > 1.0 {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.inc(n as u64);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
