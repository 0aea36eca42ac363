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

use crate::error::{Error, InputError, Result};
use crate::output::{self, OutDir};
use crate::rng;
use crate::sim::{Context, ReplicateContext, Runner};
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
    runner.run(
        &ctx.replicate(replicate),
        strategy,
        replicate,
        |_, frame| values.extend_from_slice(&frame[..nm]),
    );
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
    runner.run(
        &ctx.replicate(replicate),
        strategy,
        replicate,
        |_, frame| values.extend_from_slice(frame),
    );
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
///
/// Replicates run in chunks: each replicate's world is drawn once and
/// played by every strategy (in parallel), and the chunk's rows go to one
/// file per strategy, which are joined into `timeseries.csv` at the end,
/// so the file lists strategy by strategy, replicate by replicate,
/// whatever the chunk size or thread count.
pub fn run_to_dir(ctx: &Context, opts: &RunOptions) -> Result<RunReport> {
    let start = Instant::now();
    let sc = &ctx.scenario;
    let bytes = crate::world::size::check_output(
        sc,
        ctx.world.scopes.scopes.len(),
        ctx.metrics.defs.len(),
    )?;
    let out = OutDir::create(&opts.out, opts.force)?;
    output::check_free_space(out.dir(), bytes)?;
    let pool = thread_pool(opts.threads)?;
    let n_strategies = sc.strategies.len();
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
    let mut parts = StrategyParts::create(&out, n_strategies)?;
    let mut years = YearValues::new(ctx);
    let mut unit_means = indicators::UnitMeans::new(ctx);
    let total = n_strategies * sc.run.replicates as usize;
    let progress = Progress::new(total, opts.quiet);
    let threads = pool.current_num_threads();
    let per_chunk = replicates_per_chunk(threads, n_strategies, ctx.compiled.n_depts);
    let reps: Vec<u32> = (0..sc.run.replicates).collect();
    for chunk in reps.chunks(per_chunk) {
        let worlds: Vec<ReplicateContext> =
            pool.install(|| chunk.par_iter().map(|&r| ctx.replicate(r)).collect());
        let jobs: Vec<(usize, usize)> = (0..chunk.len())
            .flat_map(|i| (0..n_strategies).map(move |s| (i, s)))
            .collect();
        let results: Vec<JobResult> = pool.install(|| {
            jobs.par_iter()
                .map_init(
                    || Runner::new(ctx),
                    |runner, &(i, s)| job(&worlds[i], runner, s, chunk[i]),
                )
                .collect()
        });
        for (&(i, s), (bytes, yv, ind)) in jobs.iter().zip(results) {
            unit_means.add(s, &worlds[i].world, &ind);
            parts.write(s, &bytes)?;
            years.push(s, yv);
        }
        progress.advance(jobs.len());
    }
    parts.append_to(&mut ts)?;
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
    output::tables::write_strategies(
        &out.path("strategies.csv"),
        &sc.strategies,
        sc.baseline_index(),
        opts.excel_csv,
    )?;
    unit_means.write(ctx, &out.path("indicators.csv"), opts.excel_csv)?;
    output::write_file(&out.path("scenario.toml"), sc.source.text.as_bytes())?;
    let wall = start.elapsed().as_secs_f64();
    manifest(ctx, pool.current_num_threads(), wall).write(&out.path(output::manifest::MANIFEST))?;
    let dir = out.commit()?;
    Ok(RunReport {
        dir,
        wall_time_s: wall,
        runs: total,
        summary: rows,
    })
}

/// Replicates whose worlds are held at once: enough jobs to keep every
/// thread busy (four per thread), but no more than about two million
/// departments of drawn worlds in memory.
fn replicates_per_chunk(threads: usize, strategies: usize, departments: usize) -> usize {
    let for_threads = (threads * 4).div_ceil(strategies.max(1));
    let for_memory = (2_000_000 / departments.max(1)).max(threads);
    for_threads.min(for_memory).max(1)
}

/// One temporary file of time-series rows per strategy, in the folder being
/// written (removed with it on failure).
struct StrategyParts {
    files: Vec<(PathBuf, std::io::BufWriter<std::fs::File>)>,
}

impl StrategyParts {
    fn create(out: &OutDir, n: usize) -> Result<StrategyParts> {
        let files = (0..n)
            .map(|s| {
                let path = out.path(&format!(".timeseries-{s}.part"));
                let f = std::fs::File::create(&path)
                    .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
                Ok((path, std::io::BufWriter::new(f)))
            })
            .collect::<Result<_>>()?;
        Ok(StrategyParts { files })
    }

    fn write(&mut self, s: usize, bytes: &[u8]) -> Result<()> {
        let (path, w) = &mut self.files[s];
        w.write_all(bytes)
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    }

    /// Append every strategy's rows in strategy order, removing the parts.
    fn append_to(self, out: &mut impl Write) -> Result<()> {
        for (path, w) in self.files {
            let err = |e| Error::io(format!("cannot write {}", path.display()), e);
            drop(w.into_inner().map_err(|e| err(e.into_error()))?);
            let mut f = std::fs::File::open(&path).map_err(err)?;
            std::io::copy(&mut f, out).map_err(err)?;
            std::fs::remove_file(&path).map_err(err)?;
        }
        Ok(())
    }
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
pub fn manifest(ctx: &Context, threads: usize, wall_time_s: f64) -> output::RunManifest {
    use output::manifest::{ScenarioSection, StrategySection, WorldSection};
    let sc = &ctx.scenario;
    let by_level = ctx.world.units_by_level();
    let units_by_level = crate::catalog::Level::ALL
        .iter()
        .map(|l| (l.id().to_string(), by_level[*l as usize] as u64))
        .collect();
    // The file's own key tree: the stable schema of the parameters.
    let parameters = toml::from_str::<toml::Table>(&sc.source.text)
        .ok()
        .and_then(|t| serde_json::to_value(t).ok())
        .unwrap_or(serde_json::Value::Null);
    output::RunManifest {
        format: output::RUN_FORMAT.into(),
        format_version: output::FORMAT_VERSION,
        tool_version: crate::VERSION.into(),
        scenario: ScenarioSection {
            name: sc.name.clone(),
            name_zh: sc.name_zh.clone(),
            description: sc.description.clone(),
            description_zh: sc.description_zh.clone(),
            file: sc.source.path.as_ref().map(|p| p.display().to_string()),
            sha256: sc.source.sha256.clone(),
            strategies: sc
                .strategies
                .iter()
                .map(|s| StrategySection {
                    name: s.name.clone(),
                    name_zh: s.name_zh.clone(),
                    description: s.description.clone(),
                    description_zh: s.description_zh.clone(),
                })
                .collect(),
        },
        seed: sc.run.seed,
        replicates: sc.run.replicates,
        years: sc.run.years,
        strategies: sc.strategies.iter().map(|s| s.name.clone()).collect(),
        baseline: Some(sc.strategies[sc.baseline_index()].name.clone()),
        preset: ctx.world.preset.id().into(),
        framework: ctx.framework.origin.clone(),
        world: WorldSection {
            draw: sc.run.world.id().into(),
            covers: world_covers(sc.run.world).into(),
            units_by_level,
            departments: ctx.compiled.n_depts as u64,
            links: ctx.compiled.n_links() as u64,
            horizontal_pairs: ctx.compiled.n_pairs() as u64,
        },
        seeds: (0..sc.run.replicates)
            .map(|r| rng::replicate_seed(sc.run.seed, r))
            .collect(),
        parameters,
        resolved: sc.resolved_json(),
        threads,
        wall_time_s,
        files: [
            "timeseries.csv",
            "summary.csv",
            "scopes.csv",
            "metrics.csv",
            "strategies.csv",
            "indicators.csv",
            "scenario.toml",
            "manifest.json",
        ]
        .map(String::from)
        .to_vec(),
    }
}

/// What an interval over replicates covers, in words (manifest, report, `compare`).
pub fn world_covers(draw: crate::scenario::WorldDraw) -> &'static str {
    match draw {
        crate::scenario::WorldDraw::PerReplicate => {
            "each replicate draws its own world: intervals cover the uncertainty of unobserved attributes, needs and populations (and of the synthetic province's numbers of counties and townships) as well as exchange noise"
        }
        crate::scenario::WorldDraw::Fixed => {
            "all replicates share one drawn world: intervals cover exchange noise in that world only"
        }
    }
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
