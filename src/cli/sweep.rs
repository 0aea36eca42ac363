//! `tiaokuai sweep SCENARIO [--out DIR] [--resume] [--force] [--quiet]
//! [--threads N] [--shard I/N] [--seed N] [--replicates N] [--strategy NAME]...`
//!
//! Runs every strategy of the scenario on every point of the design in its
//! `[experiment]` section (grid, lhs or montecarlo over the
//! `[[uncertainty]]` parameters), each with all replicates. Streams
//! `experiments.csv` and `outcomes.csv` as experiments finish; `--resume`
//! continues a killed sweep; `--shard I/N` runs one slice for a cluster
//! (combine the slices with `tiaokuai merge`).
//!
//! ```text
//! tiaokuai sweep scenarios/uncertainty.toml
//! tiaokuai sweep scenarios/uncertainty.toml --resume          # after a crash
//! tiaokuai sweep scenarios/uncertainty.toml --shard 0/4 --out outputs/shards/part-0
//! ```

use std::path::PathBuf;

use super::common::{OutputArgs, RunControl};
use tiaokuai::sweep::model::SimModel;
use tiaokuai::sweep::plan::{Method, Plan, Shard};
use tiaokuai::sweep::{self, RunOptions, study};
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
#[command(mut_arg("out", |a| a.help("Output folder (default: outputs/<scenario name>-sweep)")))]
#[command(mut_arg("seed", |a| a.help("Design seed (overrides [experiment] seed and run.seed)")))]
pub struct Args {
    /// Scenario file with [[uncertainty]] entries and an [experiment] section.
    pub scenario: PathBuf,
    #[command(flatten)]
    pub study: StudyArgs,
}

/// Flags shared by `sweep` and `sensitivity`.
#[derive(Debug, Clone, clap::Args)]
pub struct StudyArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub control: RunControl,
    /// Continue an unfinished study in the same output folder.
    #[arg(long)]
    pub resume: bool,
    /// Run slice I of N (I from 0) of the design, e.g. 0/4.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
}

impl StudyArgs {
    pub fn shard(&self) -> Result<Option<Shard>> {
        self.shard.as_deref().map(Shard::parse).transpose()
    }

    /// Check the numeric flags before anything runs.
    pub fn check(&self) -> Result<()> {
        if self.control.threads == Some(0) {
            return Err(InputError::new("--threads must be at least 1")
                .key("--threads")
                .into());
        }
        if self.control.replicates == Some(0) {
            return Err(InputError::new("--replicates must be at least 1")
                .key("--replicates")
                .into());
        }
        Ok(())
    }

    /// Run options, with the default folder `outputs/<name>-<suffix>`.
    pub fn options(&self, name: &str, suffix: &str, shard: Option<Shard>) -> RunOptions {
        let out = self.output.out.clone().unwrap_or_else(|| {
            let mut dir = format!("{name}-{suffix}");
            if let Some(s) = shard {
                dir.push_str(&format!("-shard-{}-of-{}", s.index, s.count));
            }
            PathBuf::from("outputs").join(dir)
        });
        RunOptions {
            out,
            force: self.output.force,
            resume: self.resume,
            quiet: self.output.quiet,
            threads: self.control.threads,
            shard,
        }
    }
}

/// Print what a finished study did.
pub fn report(rep: &sweep::Report, quiet: bool) {
    if quiet {
        return;
    }
    if rep.already_complete {
        println!("{} is already complete; nothing to do", rep.out.display());
        return;
    }
    let rate = rep.runs as f64 / rep.wall_time_s.max(1e-9);
    println!(
        "{} experiments ({} resumed, {} failed), {} runs in {:.1} s ({rate:.0} runs/s) → {}",
        rep.experiments,
        rep.resumed,
        rep.failed,
        rep.runs,
        rep.wall_time_s,
        rep.out.display()
    );
    for (m, why) in &rep.skipped {
        println!("  no indices for {m}: {why}");
    }
}

/// A study in which every experiment failed is a failure (exit code 1)
/// that says why, not a success with an empty table.
pub fn check_outcome(rep: &sweep::Report, sharded: bool) -> Result<()> {
    // A shard is a slice: another shard may hold the successes.
    if rep.already_complete || rep.experiments == 0 || rep.failed < rep.experiments || sharded {
        return Ok(());
    }
    let why = rep
        .first_failure
        .as_deref()
        .unwrap_or("see the `reason` column of experiments.csv");
    Err(tiaokuai::Error::Other(format!(
        "all {} experiments failed; the first: {why}\n(the reasons are in {}; `tiaokuai validate` checks one value of each uncertain parameter before a sweep)",
        rep.experiments,
        rep.out.join("experiments.csv").display()
    )))
}

pub fn run(args: Args) -> Result<()> {
    let study_args = &args.study;
    study_args.check()?;
    let shard = study_args.shard()?;
    let loaded = study::load(&args.scenario)?;
    let Some(spec) = loaded.experiment.clone() else {
        return Err(InputError::new("the scenario has no [experiment] section")
            .file(&args.scenario)
            .key("experiment")
            .suggest("add [experiment] with design = \"lhs\" and samples = 64 (or \"grid\" / \"montecarlo\")")
            .into());
    };
    let ctl = &study_args.control;
    let (model, sc) = SimModel::new(
        &loaded.table,
        Some(&args.scenario),
        &loaded.params,
        &ctl.strategies,
        ctl.replicates,
    )?;
    let strategies: Vec<String> = sc.strategies.iter().map(|s| s.name.clone()).collect();
    let seed = ctl.seed.or(spec.seed).unwrap_or(sc.run.seed);
    let replicates = ctl.replicates.unwrap_or(sc.run.replicates) as usize;
    let plan = Plan::new(
        Method::Sweep(spec),
        loaded.params.clone(),
        strategies,
        replicates,
        seed,
    )
    .map_err(|e| e.in_file(&args.scenario))?;
    let opts = study_args.options(&sc.name, "sweep", shard);
    let rep = sweep::run(
        &plan,
        &model,
        &loaded.info(&sc.name, sc.run.years as u64),
        &opts,
    )?;
    report(&rep, study_args.output.quiet);
    check_outcome(&rep, shard.is_some())
}
