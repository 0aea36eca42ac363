//! `tiaokuai run SCENARIO [--out DIR] [--force] [--seed N] [--replicates N]
//! [--threads N] [--strategy NAME]... [--framework FILE] [--excel-csv]
//! [--xlsx [--lang en|zh]] [--baseline NAME] [--quiet]`
//!
//! Runs every strategy of a scenario for its replicates and writes the run
//! folder (`timeseries.csv`, `summary.csv`, `scopes.csv`, `metrics.csv`,
//! `scenario.toml`, `manifest.json`), then prints the headline metrics per
//! strategy at the horizon with their 95% intervals. With `--xlsx` it also
//! writes the Excel workbook `results.xlsx` (`results.zh.xlsx` with
//! `--lang zh`) into the run folder (the same
//! as `tiaokuai report RUN_DIR --xlsx`). With `--baseline`, it also writes
//! the paired comparison (`compare.csv`, `regret.csv`, as `tiaokuai compare`).
//!
//! ```text
//! tiaokuai run scenarios/baseline.toml
//! tiaokuai run scenarios/provincial-vs-local.toml --out outputs/pvl --replicates 50
//! ```

use std::path::PathBuf;

use tiaokuai::Result;
use tiaokuai::experiment::{self, RunOptions};
use tiaokuai::metrics::registry;
use tiaokuai::sim::Context;

use super::common::{OutputArgs, RunControl};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub control: RunControl,
    /// Write CSV files with a UTF-8 byte-order mark so Excel shows Chinese text.
    #[arg(long)]
    pub excel_csv: bool,
    /// After the run, compare every strategy with this one (as `tiaokuai compare`).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    /// Also write the Excel workbook results.xlsx (results.zh.xlsx with --lang zh) into the run folder.
    #[arg(long)]
    pub xlsx: bool,
    /// Language of the workbook written by --xlsx: en or zh.
    #[arg(long, default_value = "en", requires = "xlsx")]
    pub lang: String,
    /// Maturity framework to score simulated units with (overrides run.framework).
    #[arg(long, value_name = "FILE")]
    pub framework: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    // Check the language before running, so a typo costs no run time.
    let lang = super::common::parse_lang(&args.lang)?;
    let mut sc = tiaokuai::scenario::load(&args.scenario)?;
    args.control.apply(&mut sc)?;
    if let Some(f) = &args.framework {
        // A path given on the command line is relative to the working folder.
        let abs = std::path::absolute(f).unwrap_or_else(|_| f.clone());
        sc.run.framework = abs.display().to_string();
    }

    let out = args
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(&sc.name));
    if let Some(b) = &args.baseline {
        super::compare::check_baseline(&sc, b)?;
    }
    let ctx = Context::new(sc)?;
    let opts = RunOptions {
        out,
        force: args.output.force,
        threads: args.control.threads,
        quiet: args.output.quiet,
        excel_csv: args.excel_csv,
    };
    let report = experiment::run_to_dir(&ctx, &opts)?;
    if args.xlsx {
        tiaokuai::report::write_xlsx(&report.dir, lang)?;
    }
    if !args.output.quiet {
        print_table(&ctx, &report);
    }
    if let Some(b) = args.baseline {
        super::compare::after_run(&report.dir, b, args.output.quiet)?;
    }
    Ok(())
}

/// Headline metrics per strategy at the horizon: mean [95% interval].
fn print_table(ctx: &Context, report: &experiment::RunReport) {
    let sc = &ctx.scenario;
    let years = sc.run.years;
    println!(
        "{} — {} strategies × {} replicates, {} years, seed {} ({:.1} s)",
        sc.name,
        sc.strategies.len(),
        sc.run.replicates,
        years,
        sc.run.seed,
        report.wall_time_s
    );
    let heads = registry::headline_ids();
    let width = sc
        .strategies
        .iter()
        .map(|s| tiaokuai::output::display_width(&s.name))
        .max()
        .unwrap_or(8)
        .max(8);
    print!("{:width$}", "strategy");
    for h in heads {
        print!("  {h:>26}");
    }
    println!();
    for s in &sc.strategies {
        print!("{}", tiaokuai::output::pad(&s.name, width));
        for h in heads {
            let cell = report
                .summary
                .iter()
                .find(|r| r.strategy == s.name && r.metric == h && r.year == years)
                .map(|r| {
                    format!(
                        "{:.2} [{:.2}, {:.2}]",
                        r.stats.mean, r.stats.ci95_low, r.stats.ci95_high
                    )
                })
                .unwrap_or_else(|| "—".into());
            print!("  {cell:>26}");
        }
        println!();
    }
    println!("results: {}", report.dir.display());
}
