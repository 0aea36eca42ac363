//! Calibration: fit a scenario's `[[uncertainty]]` parameters (the priors)
//! to observed targets by ABC-SMC, with posterior-predictive fit, held-out
//! evaluation and cross-validation over provinces.
//!
//! Rules: a sampled parameter vector is applied exactly as in a sweep (set
//! each dotted path on the scenario's TOML tree, validate again; see
//! [`crate::sweep::model`]); a value the scenario rejects, or a world whose
//! scopes differ from the base world's, simulates to NaN and can never be
//! accepted. Each generation is written whole to
//! `<out>.partial/generations/gen-GGG.csv` before the next starts, so
//! `--resume` continues after a kill with byte-identical results; a shard
//! `I/N` computes its slice of the next unfinished generation into
//! `gen-GGG.shard-I-of-N.csv` and stops, and the unsharded `--resume`
//! uses those rows instead of simulating them again. Particles run in
//! parallel and are collected in particle order.

pub mod abc_smc;
pub mod crossval;
pub mod distance;
pub mod outputs;
pub mod store;
pub mod targets;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use toml::{Table, Value};

use crate::design::{self, Distribution, Uncertainty, path};
use crate::scenario;
use crate::sim::{Context, Runner};
use crate::sweep::plan::Shard;
use crate::{Error, InputError, Result};
use abc_smc::{Particle, Settings};
use targets::Target;

/// The simulator set up for calibration: base scenario, parameters, and
/// the targets to read (fitted first, then held out).
pub struct Problem {
    base: Table,
    file: Option<PathBuf>,
    /// (path, integer key) of each parameter.
    pub paths: Vec<(String, bool)>,
    pub priors: Vec<Distribution>,
    pub strategy: usize,
    pub replicates: u32,
    /// Targets used in the distance.
    pub fit: Vec<Target>,
    /// Targets only evaluated.
    pub holdout: Vec<Target>,
    reader: targets::Reader,
    scopes: usize,
}

impl Problem {
    /// Check the parameters (numeric scenario keys with continuous priors)
    /// and build the base world. `table` is the scenario file's tree.
    pub fn new(
        table: &Table,
        file: Option<&Path>,
        params: &[Uncertainty],
        strategy: Option<&str>,
        replicates: u32,
    ) -> Result<(Problem, Context)> {
        let base = design::strip(table);
        let sc = scenario::from_table(base.clone(), file)?;
        if params.is_empty() {
            let mut e = InputError::new("the scenario has no [[uncertainty]] entries to calibrate")
                .key("uncertainty")
                .suggest("add one [[uncertainty]] block per parameter: its prior (see docs/calibration.md)");
            if let Some(f) = file {
                e = e.file(f);
            }
            return Err(e.into());
        }
        let integer = crate::sweep::model::check_paths(params, &base, file)?;
        for (i, p) in params.iter().enumerate() {
            if matches!(p.dist, Distribution::Categorical { .. }) {
                let mut e = InputError::new(format!(
                    "`{}` has a categorical prior; calibration moves parameters continuously",
                    p.path
                ))
                .key(format!("uncertainty[{i}].dist"))
                .expected("uniform, triangular, normal, truncnormal or lognormal");
                if let Some(f) = file {
                    e = e.file(f);
                }
                return Err(e.into());
            }
        }
        let strategy = match strategy {
            None => sc.baseline_index(),
            Some(name) => sc
                .strategy_index(name)
                .ok_or_else(|| sc.unknown_strategy(name, "--strategy"))?,
        };
        let ctx = Context::new(sc)?;
        let scopes = ctx.world.scopes.scopes.len();
        Ok((
            Problem {
                base,
                file: file.map(Path::to_path_buf),
                paths: params.iter().map(|p| p.path.clone()).zip(integer).collect(),
                priors: params.iter().map(|p| p.dist.clone()).collect(),
                strategy,
                replicates,
                fit: Vec::new(),
                holdout: Vec::new(),
                reader: targets::Reader::new(&ctx, &[]),
                scopes,
            },
            ctx,
        ))
    }

    /// Set the targets (fitted, held out), checking on the base scenario
    /// that each one is simulated at all.
    pub fn set_targets(
        &mut self,
        ctx: &Context,
        fit: Vec<Target>,
        holdout: Vec<Target>,
    ) -> Result<()> {
        let all: Vec<Target> = fit.iter().chain(&holdout).cloned().collect();
        self.reader = targets::Reader::new(ctx, &all);
        self.fit = fit;
        self.holdout = holdout;
        let mut out = vec![f64::NAN; all.len()];
        self.read_run(ctx, 0, &mut out);
        if let Some(k) = out.iter().position(|v| v.is_nan()) {
            let t = &all[k];
            return Err(InputError::new(format!(
                "metric `{}` is not reported for scope `{}` in this world",
                t.metric, t.scope
            ))
            .at(t.line, 1)
            .suggest(
                "`tiaokuai run` the scenario and pick a scope and metric present in timeseries.csv",
            )
            .into());
        }
        Ok(())
    }

    /// The same problem with other fitted and held-out targets (of the
    /// same world).
    pub fn with_targets(&self, fit: Vec<Target>, holdout: Vec<Target>) -> Problem {
        let all: Vec<Target> = fit.iter().chain(&holdout).cloned().collect();
        Problem {
            base: self.base.clone(),
            file: self.file.clone(),
            paths: self.paths.clone(),
            priors: self.priors.clone(),
            strategy: self.strategy,
            replicates: self.replicates,
            reader: self.reader.with_targets(&all),
            fit,
            holdout,
            scopes: self.scopes,
        }
    }

    /// All targets, fitted first.
    pub fn all_targets(&self) -> Vec<Target> {
        self.fit.iter().chain(&self.holdout).cloned().collect()
    }

    /// Parameter paths.
    pub fn names(&self) -> Vec<String> {
        self.paths.iter().map(|(p, _)| p.clone()).collect()
    }

    /// The scenario tree with `theta` set.
    pub fn table_at(&self, theta: &[f64]) -> std::result::Result<Table, String> {
        let mut t = self.base.clone();
        for ((p, integer), v) in self.paths.iter().zip(theta) {
            path::set_as(&mut t, p, *v, *integer)?;
        }
        Ok(t)
    }

    fn read_run(&self, ctx: &Context, replicate: u32, out: &mut [f64]) {
        let all: Vec<&Target> = self.fit.iter().chain(&self.holdout).collect();
        let owned: Vec<Target> = all.into_iter().cloned().collect();
        let mut runner = Runner::new(ctx);
        let qs = &self.reader.quarters;
        runner.run(ctx, self.strategy, replicate, |t, frame| {
            if qs.binary_search(&t).is_ok() {
                self.reader.read(&owned, t, frame, out);
            }
        });
    }

    /// Simulate every target at `theta` with scenario seed `seed`: the mean
    /// over the replicates (NaN where the point is invalid).
    pub fn simulate(&self, theta: &[f64], seed: u64) -> Vec<f64> {
        let k = self.fit.len() + self.holdout.len();
        let nan = vec![f64::NAN; k];
        let Ok(mut t) = self.table_at(theta) else {
            return nan;
        };
        if let Value::Table(run) = t.entry("run").or_insert_with(|| Value::Table(Table::new())) {
            // `run.seed` is a whole number 0 or more that TOML holds as an
            // i64: keep the low 63 bits, so no stream seed is refused.
            run.insert(
                "seed".into(),
                Value::Integer((seed & i64::MAX as u64) as i64),
            );
        }
        let Ok(sc) = scenario::from_table(t, self.file.as_deref()) else {
            return nan;
        };
        let Ok(ctx) = Context::new(sc) else {
            return nan;
        };
        if ctx.world.scopes.scopes.len() != self.scopes {
            return nan;
        }
        let mut sum = vec![0.0; k];
        let mut one = vec![f64::NAN; k];
        for r in 0..self.replicates {
            one.fill(f64::NAN);
            self.read_run(&ctx, r, &mut one);
            sum.iter_mut().zip(&one).for_each(|(s, v)| *s += v);
        }
        sum.iter().map(|s| s / f64::from(self.replicates)).collect()
    }

    /// Distance (over the fitted targets) and every simulated value.
    pub fn evaluate(&self, theta: &[f64], seed: u64) -> (f64, Vec<f64>) {
        let sims = self.simulate(theta, seed);
        (distance::distance(&sims[..self.fit.len()], &self.fit), sims)
    }
}

/// Where and how a calibration writes: the same options as a sweep's
/// (output folder, `--force`, `--resume`, `--quiet`, threads, shard).
pub use crate::sweep::RunOptions;

/// One generation's summary.
#[derive(Debug, Clone, PartialEq)]
pub struct GenSummary {
    pub generation: usize,
    pub tolerance: f64,
    pub ess: f64,
    pub resampled: bool,
    pub simulations: usize,
    pub accepted: usize,
    /// Distinct parameter vectors among the living particles after the move.
    pub distinct: usize,
    /// ESS of the living particles after the move, copies pooled
    /// ([`abc_smc::distinct_ess`]).
    pub distinct_ess: f64,
}

/// What a calibration produced.
#[derive(Debug, Clone)]
pub struct Posterior {
    pub population: Vec<Particle>,
    pub schedule: Vec<GenSummary>,
    pub simulations: usize,
}

/// How a run ended.
#[derive(Debug, Clone)]
pub enum Finished {
    Done(Posterior),
    /// A shard wrote its slice of this generation.
    Shard {
        generation: usize,
        particles: usize,
    },
}

/// The error for a generation with no living particle.
pub fn unreachable_error(problem: &Problem, pop: &[Particle]) -> Error {
    let mut lines = Vec::new();
    for (k, t) in problem.fit.iter().enumerate() {
        let best = pop
            .iter()
            .map(|p| p.sims[k])
            .filter(|v| !v.is_nan())
            .min_by(|a, b| {
                distance::z(*a, t)
                    .abs()
                    .total_cmp(&distance::z(*b, t).abs())
            });
        match best {
            None => lines.push(format!("line {}: {} — never simulated", t.line, t.label())),
            Some(v) if distance::z(v, t).abs() > 3.0 => lines.push(format!(
                "line {}: {} — observed {} ± {}, closest simulated {}",
                t.line,
                t.label(),
                t.value,
                t.sd,
                crate::output::num(v)
            )),
            _ => {}
        }
    }
    let list = if lines.is_empty() {
        "every target is reached by some particle, but never all together".to_string()
    } else {
        format!(
            "unreachable targets (no particle within 3 sd):\n    {}",
            lines.join("\n    ")
        )
    };
    InputError::new(format!("zero accepted particles: {list}"))
        .suggest("widen the priors, check the targets' units and sd, or lower --min-tolerance")
        .into()
}

fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Other(format!("cannot start worker threads: {e}")))
}

/// A generation's summary from its particles.
fn summary(g: usize, prep: Option<&abc_smc::Prepared>, pop: &[Particle]) -> GenSummary {
    GenSummary {
        generation: g,
        tolerance: prep.map_or(f64::INFINITY, |p| p.tolerance),
        ess: prep.map_or(pop.len() as f64, |p| p.ess),
        resampled: prep.is_some_and(|p| p.resampled),
        simulations: pop.iter().filter(|p| p.simulated).count(),
        accepted: pop.iter().filter(|p| p.moved && p.simulated).count(),
        distinct: abc_smc::distinct(pop),
        distinct_ess: abc_smc::distinct_ess(pop),
    }
}

/// Run ABC-SMC. With a `store`, every generation is saved and a resumed or
/// sharded run picks up what is there; without one, the run is in memory
/// (cross-validation folds).
pub fn run(
    problem: &Problem,
    s: &Settings,
    store: Option<&store::Store>,
    shard: Option<Shard>,
    threads: Option<usize>,
    bar: &indicatif::ProgressBar,
) -> Result<Finished> {
    let pool = pool(threads)?;
    let eval = |th: &[f64], seed: u64| problem.evaluate(th, seed);
    let n = s.particles;
    let mut pop: Vec<Particle> = Vec::new();
    let mut schedule = Vec::new();
    let mut start = 0;
    if let Some(st) = store {
        for g in 0..=s.generations {
            match st.load(g, problem)? {
                Some((p, sum)) => {
                    pop = p;
                    schedule.push(sum);
                    start = g + 1;
                }
                None => break,
            }
        }
    }
    bar.set_position((start * n) as u64);
    for g in start..=s.generations {
        let prep = if g == 0 {
            None
        } else {
            Some(
                abc_smc::prepare(&pop, &problem.priors, s, g)
                    .ok_or_else(|| unreachable_error(problem, &pop))?,
            )
        };
        let mut known = match store {
            Some(st) => st.load_shards(g, problem)?,
            None => Default::default(),
        };
        let todo: Vec<usize> = (0..n)
            .filter(|i| shard.is_none_or(|sh| sh.owns(*i)) && !known.contains_key(i))
            .collect();
        bar.inc((n - todo.len()) as u64);
        let done: Vec<Particle> = pool.install(|| {
            todo.par_iter()
                .map(|&i| {
                    let p = match &prep {
                        None => abc_smc::initial(s, &problem.priors, i, &eval),
                        Some(pr) => abc_smc::step(pr, &problem.priors, s, g, i, &eval),
                    };
                    bar.inc(1);
                    p
                })
                .collect()
        });
        for (i, p) in todo.into_iter().zip(done) {
            known.insert(i, p);
        }
        if let Some(sh) = shard {
            let st = store.ok_or_else(|| Error::Other("a shard needs an output folder".into()))?;
            let rows: Vec<(usize, Particle)> =
                known.into_iter().filter(|(i, _)| sh.owns(*i)).collect();
            let count = rows.len();
            st.save_shard(g, sh, &rows, prep.as_ref(), problem)?;
            return Ok(Finished::Shard {
                generation: g,
                particles: count,
            });
        }
        pop = known.into_values().collect();
        let sum = summary(g, prep.as_ref(), &pop);
        if g == 0 && pop.iter().all(|p| !p.distance.is_finite()) {
            return Err(unreachable_error(problem, &pop));
        }
        if let Some(st) = store {
            st.save(g, &pop, &sum, problem)?;
        }
        schedule.push(sum);
    }
    let simulations = schedule.iter().map(|g| g.simulations).sum();
    Ok(Finished::Done(Posterior {
        population: pop,
        schedule,
        simulations,
    }))
}

/// A calibration of a scenario file against a targets file, with outputs.
pub struct Job<'a> {
    pub problem: &'a Problem,
    pub settings: Settings,
    pub scenario_file: &'a Path,
    pub scenario_text: &'a str,
    pub targets_file: &'a Path,
    pub targets_text: &'a str,
    pub holdout: Option<(&'a Path, &'a str)>,
    pub folds: Option<usize>,
    pub opts: RunOptions,
}

/// What a finished job reports.
#[derive(Debug, Clone)]
pub struct Report {
    pub out: PathBuf,
    pub finished: Option<Posterior>,
    pub shard: Option<(usize, usize)>,
    pub wall_time_s: f64,
    pub already_complete: bool,
    pub holdout: Vec<crossval::Scores>,
    pub folds: Vec<crossval::Scores>,
}

/// Run a job: calibrate (resumable, shardable), then write every output.
pub fn run_job(job: &Job) -> Result<Report> {
    let start = Instant::now();
    if let Some(k) = job.folds {
        crossval::check(&job.problem.fit, k)?;
    }
    let manifest = outputs::identity(job);
    let Some(st) = store::Store::open(&job.opts, &manifest)? else {
        return Ok(Report {
            out: job.opts.out.clone(),
            finished: None,
            shard: None,
            wall_time_s: 0.0,
            already_complete: true,
            holdout: Vec::new(),
            folds: Vec::new(),
        });
    };
    st.write_inputs(job)?;
    let s = &job.settings;
    let total = (s.generations + 1) * s.particles;
    let bar = outputs::progress(total, job.opts.quiet);
    let fin = run(
        job.problem,
        s,
        Some(&st),
        job.opts.shard,
        job.opts.threads,
        &bar,
    );
    bar.finish_and_clear();
    let fin = match fin {
        Ok(f) => f,
        Err(e) => {
            // A calibration that could not start leaves nothing behind;
            // a resumed one keeps its saved generations.
            if st.fresh && matches!(e, Error::Input(_)) {
                let _ = std::fs::remove_dir_all(&st.dir);
            }
            return Err(e);
        }
    };
    let post = match fin {
        Finished::Shard {
            generation,
            particles,
        } => {
            return Ok(Report {
                out: st.dir.clone(),
                finished: None,
                shard: Some((generation, particles)),
                wall_time_s: start.elapsed().as_secs_f64(),
                already_complete: false,
                holdout: Vec::new(),
                folds: Vec::new(),
            });
        }
        Finished::Done(p) => p,
    };
    let holdout = if job.problem.holdout.is_empty() {
        Vec::new()
    } else {
        let pred = outputs::predictive(
            &post.population,
            job.problem.fit.len()..job.problem.fit.len() + job.problem.holdout.len(),
        );
        crossval::scores("holdout", &job.problem.holdout, &pred)
    };
    let folds = match job.folds {
        Some(k) => crossval::folds(job.problem, s, k, job.opts.threads, job.opts.quiet)?,
        None => Vec::new(),
    };
    let wall = start.elapsed().as_secs_f64();
    outputs::write_all(job, &st, &post, &holdout, &folds, wall)?;
    crate::sweep::folder::commit_dir(&st.dir, &job.opts.out)?;
    Ok(Report {
        out: job.opts.out.clone(),
        finished: Some(post),
        shard: None,
        wall_time_s: wall,
        already_complete: false,
        holdout,
        folds,
    })
}
