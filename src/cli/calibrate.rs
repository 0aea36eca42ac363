//! `tiaokuai calibrate SCENARIO --targets TARGETS.csv [--method abc-smc]
//! [--kernel normal-score|random-walk] [--particles N] [--generations G] [--alpha A] [--min-tolerance D]
//! [--seed S] [--replicates N] [--strategy NAME] [--out DIR] [--resume]
//! [--shard I/N] [--holdout FILE] [--folds K] [--force] [--quiet] [--threads N]`
//!
//! Fits the scenario's `[[uncertainty]]` parameters (the priors) to the
//! observations in TARGETS.csv by ABC-SMC (Del Moral, Doucet & Jasra 2012)
//! and writes `posterior.csv`, `parameters.csv`, `fit.csv`,
//! `schedule.csv`, `calibrated.toml` (posterior medians written back into
//! the scenario) and `manifest.json`. `--holdout` scores targets never
//! used in fitting; `--folds K` cross-validates over provinces. See
//! docs/calibration.md.
//!
//! ```text
//! tiaokuai calibrate scenarios/calibration-demo.toml --targets data/targets/demo.csv
//! tiaokuai calibrate scenarios/calibration-demo.toml --targets data/targets/demo.csv --resume
//! tiaokuai calibrate S.toml --targets T.csv --out outputs/cal --shard 0/2   # one slice of the next generation
//! ```

use std::path::PathBuf;

use tiaokuai::calibrate::abc_smc::{Kernel, Settings};
use tiaokuai::calibrate::{self, Job, Problem, RunOptions, outputs, targets};
use tiaokuai::sweep::plan::Shard;
use tiaokuai::sweep::study;
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file whose [[uncertainty]] entries are the priors.
    pub scenario: PathBuf,
    /// Observations to fit (CSV: kind,scope,metric,year,value,sd|low,high,threshold,source).
    #[arg(long, value_name = "CSV")]
    pub targets: PathBuf,
    /// Calibration method (only abc-smc).
    #[arg(long, default_value = "abc-smc")]
    pub method: String,
    /// Proposal kernel of the move step: normal-score (steps in the priors' normal scores, always inside the support) or random-walk (steps in parameter units).
    #[arg(long, default_value = "normal-score", value_name = "KERNEL")]
    pub kernel: String,
    /// Particles per generation.
    #[arg(long, default_value_t = 200)]
    pub particles: usize,
    /// Generations after the prior sample.
    #[arg(long, default_value_t = 6)]
    pub generations: usize,
    /// Share of the effective sample size kept when the tolerance shrinks (0-1).
    #[arg(long, default_value_t = 0.5)]
    pub alpha: f64,
    /// Smallest tolerance, in sd units of the targets.
    #[arg(long, default_value_t = 0.0, value_name = "D")]
    pub min_tolerance: f64,
    /// Calibration seed (default: run.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates averaged per simulation.
    #[arg(long, default_value_t = 1)]
    pub replicates: u32,
    /// Strategy simulated (default: the baseline strategy).
    #[arg(long, value_name = "NAME")]
    pub strategy: Option<String>,
    /// Targets scored out of sample, never fitted.
    #[arg(long, value_name = "CSV")]
    pub holdout: Option<PathBuf>,
    /// K-fold cross-validation over the provinces the targets name.
    #[arg(long, value_name = "K")]
    pub folds: Option<usize>,
    /// Output folder (default: outputs/<scenario name>-calibrate).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace an existing output folder or unfinished calibration.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Continue an unfinished calibration in the same output folder.
    #[arg(long)]
    pub resume: bool,
    /// Compute slice I of N (I from 0) of the next unfinished generation, then stop.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

fn check(a: &Args) -> Result<()> {
    let bad = |key: &str, msg: String| -> tiaokuai::Error {
        InputError::new(msg).key(key.to_string()).into()
    };
    if a.method != "abc-smc" {
        return Err(InputError::new(format!("unknown method `{}`", a.method))
            .key("--method")
            .expected("abc-smc")
            .into());
    }
    if Kernel::parse(&a.kernel).is_none() {
        return Err(InputError::new(format!("unknown kernel `{}`", a.kernel))
            .key("--kernel")
            .expected(Kernel::IDS.join(" or "))
            .into());
    }
    if a.particles < 2 {
        return Err(bad("--particles", "--particles must be at least 2".into()));
    }
    if !(a.alpha > 0.0 && a.alpha < 1.0) {
        return Err(bad(
            "--alpha",
            format!("--alpha must lie strictly between 0 and 1, got {}", a.alpha),
        ));
    }
    if !(a.min_tolerance >= 0.0 && a.min_tolerance.is_finite()) {
        return Err(bad(
            "--min-tolerance",
            "--min-tolerance must be a number ≥ 0".into(),
        ));
    }
    if a.replicates == 0 {
        return Err(bad(
            "--replicates",
            "--replicates must be at least 1".into(),
        ));
    }
    if a.threads == Some(0) {
        return Err(bad("--threads", "--threads must be at least 1".into()));
    }
    if a.shard.is_some() && (a.folds.is_some() || a.holdout.is_some()) {
        return Err(bad(
            "--shard",
            "--shard computes one slice of a generation; give --holdout and --folds to the final unsharded --resume".into(),
        ));
    }
    Ok(())
}

pub fn run(a: Args) -> Result<()> {
    check(&a)?;
    let shard = a.shard.as_deref().map(Shard::parse).transpose()?;
    let loaded = study::load(&a.scenario)?;
    let (mut problem, ctx) = Problem::new(
        &loaded.table,
        Some(&a.scenario),
        &loaded.params,
        a.strategy.as_deref(),
        a.replicates,
    )?;
    // With `run.start_year` target years are calendar years; without it,
    // simulation years.
    let start_year = ctx.scenario.run.start_year;
    let targets_text = tiaokuai::scenario::read_text(&a.targets)?;
    let fit = targets::parse(&targets_text, &a.targets, &ctx, start_year)?;
    let holdout_text = match &a.holdout {
        Some(p) => Some(tiaokuai::scenario::read_text(p)?),
        None => None,
    };
    let holdout = match (&a.holdout, &holdout_text) {
        (Some(p), Some(t)) => targets::parse(t, p, &ctx, start_year)?,
        _ => Vec::new(),
    };
    problem
        .set_targets(&ctx, fit, holdout)
        .map_err(|e| e.in_file(&a.targets))?;
    let seed = a.seed.unwrap_or(ctx.scenario.run.seed);
    let out = a.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs").join(format!("{}-calibrate", ctx.scenario.name))
    });
    let job = Job {
        problem: &problem,
        settings: Settings {
            kernel: Kernel::parse(&a.kernel).unwrap_or_default(),
            particles: a.particles,
            generations: a.generations,
            alpha: a.alpha,
            min_tolerance: a.min_tolerance,
            seed,
        },
        scenario_file: &a.scenario,
        scenario_text: &loaded.text,
        targets_file: &a.targets,
        targets_text: &targets_text,
        holdout: a.holdout.as_deref().zip(holdout_text.as_deref()),
        folds: a.folds,
        opts: RunOptions {
            out,
            force: a.force,
            resume: a.resume,
            quiet: a.quiet,
            threads: a.threads,
            shard,
        },
    };
    let rep = calibrate::run_job(&job)?;
    if a.quiet {
        return Ok(());
    }
    if rep.already_complete {
        println!("{} is already complete; nothing to do", rep.out.display());
        return Ok(());
    }
    if let Some((g, k)) = rep.shard {
        println!(
            "shard wrote {k} particles of generation {g} into {}; run the same command without --shard, with --resume, once every shard is done",
            rep.out.display()
        );
        return Ok(());
    }
    let Some(post) = &rep.finished else {
        return Ok(());
    };
    println!(
        "{} simulations in {:.1} s; final tolerance {} sd → {}",
        post.simulations,
        rep.wall_time_s,
        tiaokuai::output::num(post.schedule.last().map_or(f64::NAN, |g| g.tolerance)),
        rep.out.display()
    );
    println!(
        "{:<40} {:>10} {:>10} {:>10}",
        "parameter", "p05", "median", "p95"
    );
    for (j, name) in problem.names().iter().enumerate() {
        let (_, lo, med, hi) = outputs::summary(&post.population, j);
        println!("{name:<40} {lo:>10.4} {med:>10.4} {hi:>10.4}");
    }
    for s in rep.holdout.iter().chain(&rep.folds) {
        println!(
            "{} {}: n={} RMSE={:.3} ρ={:.3} τ={:.3} tier accuracy={:.2}",
            s.set, s.kind, s.n, s.rmse, s.spearman, s.kendall, s.tier_accuracy
        );
    }
    Ok(())
}
