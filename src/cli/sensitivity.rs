//! `tiaokuai sensitivity SCENARIO --method sobol|morris [--samples N]
//! [--second-order] [--levels P] [--strategy NAME] [--seed N] [--replicates N]
//! [--out DIR] [--resume] [--force] [--quiet] [--threads N] [--shard I/N]`
//!
//! Which uncertain parameters drive the results? Runs one strategy on a
//! Saltelli design (Sobol': N·(D+2) points, N·(2D+2) with
//! `--second-order`) or on Morris trajectories (r·(D+1) points), averages
//! the replicates of each point, and writes `design.csv` and `outputs.csv`
//! (SALib's row order) and `sensitivity.csv` with bootstrap intervals and
//! each metric's replicate-noise share.
//!
//! ```text
//! tiaokuai sensitivity scenarios/uncertainty.toml --method sobol --samples 256
//! tiaokuai sensitivity scenarios/uncertainty.toml --method morris --samples 20 --levels 4
//! ```

use std::path::PathBuf;

use tiaokuai::sweep::model::SimModel;
use tiaokuai::sweep::plan::{Method, Plan};
use tiaokuai::sweep::{self, study};
use tiaokuai::{InputError, Result};

use super::sweep::{StudyArgs, report};

#[derive(Debug, clap::Args)]
#[command(mut_arg("out", |a| a.help("Output folder (default: outputs/<scenario name>-sobol or -morris)")))]
#[command(mut_arg("seed", |a| a.help("Design seed (overrides run.seed)")))]
#[command(mut_arg("replicates", |a| a.help("Replicates per design point (overrides run.replicates)")))]
#[command(mut_arg("strategies", |a| a.help("Strategy to analyse (default: the scenario's baseline)")))]
pub struct Args {
    /// Scenario file with [[uncertainty]] entries.
    pub scenario: PathBuf,
    /// sobol (variance-based S1, ST) or morris (elementary effects).
    #[arg(long)]
    pub method: String,
    /// Base sample size N (sobol; a power of two is best) or number of trajectories r (morris).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Also estimate second-order Sobol' indices S2 (N·(2D+2) runs).
    #[arg(long)]
    pub second_order: bool,
    /// Grid levels p for Morris (even).
    #[arg(long, default_value_t = 4)]
    pub levels: usize,
    #[command(flatten)]
    pub study: StudyArgs,
}

pub fn run(args: Args) -> Result<()> {
    let study_args = &args.study;
    study_args.check()?;
    let shard = study_args.shard()?;
    let method = match args.method.as_str() {
        "sobol" => Method::Sobol {
            n: args.samples.unwrap_or(64),
            second_order: args.second_order,
        },
        "morris" => {
            if args.second_order {
                return Err(InputError::new("--second-order applies to sobol only")
                    .key("--second-order")
                    .into());
            }
            Method::Morris {
                r: args.samples.unwrap_or(20),
                levels: args.levels,
            }
        }
        other => {
            let mut e = InputError::new(format!("unknown method `{other}`"))
                .key("--method")
                .expected("sobol or morris");
            if let Some(s) = tiaokuai::error::did_you_mean(other, ["sobol", "morris"]) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            return Err(e.into());
        }
    };
    let ctl = &study_args.control;
    if ctl.strategies.len() > 1 {
        return Err(
            InputError::new("sensitivity analysis looks at one strategy at a time")
                .key("--strategy")
                .suggest("run the command once per strategy, each with its own --out")
                .into(),
        );
    }
    let loaded = study::load(&args.scenario)?;
    let full = tiaokuai::scenario::from_table(
        tiaokuai::design::strip(&loaded.table),
        Some(&args.scenario),
    )?;
    let strategy = ctl
        .strategies
        .first()
        .cloned()
        .unwrap_or_else(|| full.strategies[full.baseline_index()].name.clone());
    let (model, sc) = SimModel::new(
        &loaded.table,
        Some(&args.scenario),
        &loaded.params,
        std::slice::from_ref(&strategy),
        ctl.replicates,
    )?;
    let seed = ctl.seed.unwrap_or(sc.run.seed);
    let replicates = ctl.replicates.unwrap_or(sc.run.replicates) as usize;
    let suffix = method.id().to_string();
    let plan = Plan::new(
        method,
        loaded.params.clone(),
        vec![strategy],
        replicates,
        seed,
    )
    .map_err(|e| e.in_file(&args.scenario))?;
    let opts = study_args.options(&sc.name, &suffix, shard);
    let rep = sweep::run(
        &plan,
        &model,
        &loaded.info(&sc.name, sc.run.years as u64),
        &opts,
    )?;
    report(&rep, study_args.output.quiet);
    super::sweep::check_outcome(&rep, shard.is_some())
}
