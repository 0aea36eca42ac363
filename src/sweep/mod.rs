//! Running a study (a sweep or a sensitivity design) point by point,
//! streaming results to disk, resumable after a kill, sliceable into shards.
//!
//! Rules: points run in parallel in chunks; each chunk's rows are written in
//! experiment-id order once the whole chunk is done, so output order never
//! depends on thread timing and a kill loses at most the chunk in flight.
//! Memory holds one chunk, never the whole study. The study is written into
//! `<out>.partial/` and renamed to `<out>` when complete, so `<out>` only
//! ever holds finished results; `--resume` continues a `.partial` folder
//! after checking that its manifest has the same identity (scenario hash,
//! design, seed, strategies, replicates). A point whose sampled values make
//! the scenario invalid is recorded as `status=failed` with the reason and
//! the study goes on.

pub mod analysis;
pub mod files;
pub mod folder;
pub mod merge;
pub mod model;
pub mod plan;
pub mod status;
pub mod study;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::{Error, InputError, Result};
use files::ScenarioInfo;
use plan::{Plan, Shard};

/// Values of one strategy at one point: `values[replicate][metric]`, or
/// why it failed.
pub type StrategyOutcome = std::result::Result<Vec<Vec<f64>>, String>;

/// A model that runs design points. Implemented over the simulator in
/// [`crate::sweep::model`], and by simple functions in tests.
pub trait Model: Sync {
    /// Metric ids reported per replicate, in output order.
    fn metrics(&self) -> &[String];
    /// Run `strategies` (indices into the plan's strategies) at a design
    /// point with the plan's parameters set to `values` and the scenario
    /// seed set to `seed`. `Err` means the point itself is invalid.
    fn run_point(
        &self,
        values: &[f64],
        seed: u64,
        strategies: &[usize],
    ) -> std::result::Result<Vec<StrategyOutcome>, String>;
}

/// How to run a study.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub out: PathBuf,
    pub force: bool,
    pub resume: bool,
    pub quiet: bool,
    pub threads: Option<usize>,
    pub shard: Option<Shard>,
}

/// What a finished study did.
#[derive(Debug, Clone)]
pub struct Report {
    pub out: PathBuf,
    /// Experiments in this study (or shard).
    pub experiments: usize,
    /// Experiments found done in a resumed folder.
    pub resumed: usize,
    pub failed: usize,
    /// The reason the first experiment of this invocation failed.
    pub first_failure: Option<String>,
    pub runs: usize,
    pub wall_time_s: f64,
    /// Metrics the sensitivity analysis had to skip, with the reason.
    pub skipped: Vec<(String, String)>,
    /// Nothing to do: the study was already complete.
    pub already_complete: bool,
}

/// `<out>.partial`, where an unfinished study lives.
pub fn partial_dir(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!("{name}.partial"))
}

fn io(ctx: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::io(ctx, e)
}

/// Decide where to write and what is already done.
fn prepare(
    plan: &Plan,
    sc: &ScenarioInfo,
    manifest: &Value,
    opts: &RunOptions,
) -> Result<Option<(PathBuf, BTreeSet<usize>)>> {
    let part = partial_dir(&opts.out);
    if opts.resume && !opts.force {
        if part.exists() {
            let old = files::read_manifest(&part)?;
            if let Some(k) = files::identity_mismatch(&old, manifest) {
                return Err(InputError::new(format!(
                    "cannot resume: the unfinished study in `{}` differs in `{k}` (was it started from another scenario or other options?)",
                    part.display()
                ))
                .suggest("run the same command as before, or pass --force to start over")
                .into());
            }
            if old.get("shard") != manifest.get("shard") {
                return Err(InputError::new(format!(
                    "cannot resume: `{}` holds a different shard",
                    part.display()
                ))
                .into());
            }
            let done = files::recover(&part)?;
            return Ok(Some((part, done)));
        }
        if opts.out.join(files::MANIFEST).exists() {
            let old = files::read_manifest(&opts.out)?;
            if files::identity_mismatch(&old, manifest).is_none()
                && old.get("complete") == Some(&Value::Bool(true))
            {
                return Ok(None);
            }
        }
    }
    crate::sweep::folder::check_out_dir(&opts.out, opts.force)?;
    if part.exists() {
        if !opts.force {
            return Err(
                InputError::new(format!("an unfinished study is in `{}`", part.display()))
                    .suggest("pass --resume to continue it or --force to start over")
                    .into(),
            );
        }
        crate::sweep::folder::check_out_dir(&part, true)?;
        std::fs::remove_dir_all(&part).map_err(io(format!("removing {}", part.display())))?;
    }
    std::fs::create_dir_all(&part).map_err(io(format!("creating {}", part.display())))?;
    std::fs::write(part.join(files::SCENARIO), &sc.text)
        .map_err(io(format!("writing {}", files::SCENARIO)))?;
    std::fs::write(
        part.join(files::EXPERIMENTS),
        files::experiments_header(plan),
    )
    .map_err(io(format!("writing {}", files::EXPERIMENTS)))?;
    std::fs::write(part.join(files::OUTCOMES), files::OUTCOMES_HEADER)
        .map_err(io(format!("writing {}", files::OUTCOMES)))?;
    files::write_manifest(&part, manifest)?;
    Ok(Some((part, BTreeSet::new())))
}

/// Points per chunk: enough to keep every thread busy, few enough that a
/// kill loses little.
fn chunk_points(threads: usize) -> usize {
    (threads * 4).max(8)
}

fn progress(total: usize, done: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} experiments · {msg} · elapsed {elapsed} · ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar.set_position(done as u64);
    bar.set_message("– runs/s");
    bar
}

/// Run a study. With `opts.shard`, only that slice of the points runs and
/// no analysis is done (merge the shards first).
pub fn run(plan: &Plan, model: &dyn Model, sc: &ScenarioInfo, opts: &RunOptions) -> Result<Report> {
    let start = Instant::now();
    let mut manifest = files::manifest(plan, sc, model.metrics(), opts.shard);
    let all_ids = plan.ids(opts.shard);
    let Some((dir, done)) = prepare(plan, sc, &manifest, opts)? else {
        return Ok(Report {
            out: opts.out.clone(),
            experiments: all_ids.len(),
            resumed: all_ids.len(),
            failed: 0,
            first_failure: None,
            runs: 0,
            wall_time_s: 0.0,
            skipped: Vec::new(),
            already_complete: true,
        });
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))?;
    let threads = pool.current_num_threads();
    let todo: Vec<usize> = all_ids
        .iter()
        .copied()
        .filter(|id| !done.contains(id))
        .collect();
    // Group pending experiments by point, keeping id order.
    let mut points: Vec<(usize, Vec<usize>)> = Vec::new();
    for id in &todo {
        let (p, s) = plan.locate(*id);
        match points.last_mut() {
            Some((lp, ss)) if *lp == p => ss.push(s),
            _ => points.push((p, vec![s])),
        }
    }
    let bar = progress(all_ids.len(), done.len(), opts.quiet);
    // Where no terminal shows the bar (a batch job's log), one line per chunk.
    let log_lines = !opts.quiet && !std::io::IsTerminal::is_terminal(&std::io::stderr());
    let (mut finished, mut failed, mut runs) = (0usize, 0usize, 0usize);
    let mut first_failure: Option<String> = None;
    let metrics = model.metrics();
    for chunk in points.chunks(chunk_points(threads)) {
        let results: Vec<std::result::Result<Vec<StrategyOutcome>, String>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|(p, ss)| model.run_point(&plan.points[*p], plan.point_seed(*p), ss))
                .collect()
        });
        let (mut out_text, mut exp_text) = (String::new(), String::new());
        for ((p, ss), res) in chunk.iter().zip(results) {
            let per: Vec<StrategyOutcome> = match res {
                Ok(v) if v.len() == ss.len() => v,
                Ok(_) => {
                    vec![
                        Err("internal: the model returned the wrong number of strategies".into());
                        ss.len()
                    ]
                }
                Err(why) => vec![Err(why); ss.len()],
            };
            for (s, outcome) in ss.iter().zip(per) {
                let id = plan.experiment_id(*p, *s);
                match outcome {
                    Ok(reps) => {
                        for (r, vals) in reps.iter().enumerate() {
                            // A metric the world lacks at this point (NaN) has no row, as in `run`.
                            for (m, v) in metrics.iter().zip(vals).filter(|(_, v)| !v.is_nan()) {
                                out_text.push_str(&format!("{id},{r},{m},{v}\n"));
                            }
                        }
                        runs += reps.len();
                        exp_text.push_str(&files::experiment_row(plan, id, &plan.points[*p], None));
                    }
                    Err(why) => {
                        failed += 1;
                        if first_failure.is_none() {
                            first_failure = Some(why.clone());
                        }
                        exp_text.push_str(&files::experiment_row(
                            plan,
                            id,
                            &plan.points[*p],
                            Some(&why),
                        ));
                    }
                }
                finished += 1;
            }
        }
        files::append(&dir.join(files::OUTCOMES), &out_text)?;
        files::append(&dir.join(files::EXPERIMENTS), &exp_text)?;
        bar.set_position((done.len() + finished) as u64);
        let secs = start.elapsed().as_secs_f64().max(1e-9);
        bar.set_message(format!("{:.0} runs/s", runs as f64 / secs));
        if log_lines {
            eprintln!(
                "{}/{} experiments · {:.0} runs/s · {:.1} s",
                done.len() + finished,
                all_ids.len(),
                runs as f64 / secs,
                secs
            );
        }
    }
    bar.finish_and_clear();
    let previously_failed = count_failed(&dir)?.saturating_sub(failed);
    let wall = start.elapsed().as_secs_f64();
    let mut skipped = Vec::new();
    let mut written = vec![files::SCENARIO, files::EXPERIMENTS, files::OUTCOMES];
    if opts.shard.is_none() && !matches!(plan.method, plan::Method::Sweep(_)) {
        skipped = analysis::write(&dir, plan, metrics)?;
        written.extend([analysis::DESIGN, analysis::OUTPUTS, analysis::SENSITIVITY]);
    }
    written.push(files::MANIFEST);
    manifest["complete"] = json!(true);
    manifest["completed"] = json!(all_ids.len());
    manifest["failed"] = json!(failed + previously_failed);
    manifest["threads"] = json!(threads);
    manifest["wall_time_s"] = json!((wall * 1000.0).round() / 1000.0);
    manifest["files"] = json!(written);
    files::write_manifest(&dir, &manifest)?;
    crate::sweep::folder::commit_dir(&dir, &opts.out)?;
    Ok(Report {
        out: opts.out.clone(),
        experiments: all_ids.len(),
        resumed: done.len(),
        failed: failed + previously_failed,
        first_failure,
        runs,
        wall_time_s: wall,
        skipped,
        already_complete: false,
    })
}

/// Failed experiments recorded in a study folder.
pub fn count_failed(dir: &Path) -> Result<usize> {
    let text = std::fs::read_to_string(dir.join(files::EXPERIMENTS))
        .map_err(io(format!("reading {}", files::EXPERIMENTS)))?;
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let status = rdr
        .headers()
        .ok()
        .and_then(|h| h.iter().position(|c| c == "status"))
        .unwrap_or(usize::MAX);
    Ok(rdr
        .records()
        .flatten()
        .filter(|r| r.get(status) == Some("failed"))
        .count())
}

#[cfg(test)]
mod tests;
