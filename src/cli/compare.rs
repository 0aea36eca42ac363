//! `tiaokuai compare RUN_DIR [--baseline NAME] [--by-year] [--lang en|zh] [--quiet]`
//!
//! Paired comparison of the strategies of one run: writes `compare.csv`
//! (difference to the baseline per strategy and metric, with a paired 95%
//! interval, the share of replicates where the strategy is better and an
//! effect size) and `regret.csv` into RUN_DIR, and prints a table of the
//! headline metrics for a projector.
//!
//! ```text
//! tiaokuai compare outputs/baseline
//! tiaokuai compare outputs/baseline --baseline local --by-year --lang zh
//! ```

use std::path::{Path, PathBuf};

use tiaokuai::Result;
use tiaokuai::compare::{self, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A run directory written by `tiaokuai run`.
    pub run_dir: PathBuf,
    /// Strategy to compare against (default: the run's baseline, else the first strategy).
    #[arg(long)]
    pub baseline: Option<String>,
    /// One row per year in compare.csv instead of the horizon only.
    #[arg(long)]
    pub by_year: bool,
    /// Language of the table: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Write the files without printing the table.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let lang = super::common::parse_lang(&args.lang)?;
    let c = compare::compare_dir(
        &args.run_dir,
        &Options {
            baseline: args.baseline,
            by_year: args.by_year,
        },
    )?;
    compare::write(&c, &args.run_dir)?;
    if !args.quiet {
        print!("{}", compare::table::render(&c, lang));
        println!(
            "wrote {} and {}",
            args.run_dir.join("compare.csv").display(),
            args.run_dir.join("regret.csv").display()
        );
    }
    Ok(())
}

/// Refuse an unknown `--baseline` before a run starts, not after it ends.
pub fn check_baseline(sc: &tiaokuai::scenario::Scenario, name: &str) -> Result<()> {
    if sc.strategy_index(name).is_some() {
        return Ok(());
    }
    Err(sc.unknown_strategy(name, "--baseline").into())
}

/// `tiaokuai run --baseline NAME`: compare the finished run folder.
pub fn after_run(dir: &Path, baseline: String, quiet: bool) -> Result<()> {
    run(Args {
        run_dir: dir.to_path_buf(),
        baseline: Some(baseline),
        by_year: false,
        lang: "en".into(),
        quiet,
    })
}
