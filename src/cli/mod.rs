//! The command-line front end: one file per subcommand, each opening with its
//! usage and exposing `run(args) -> Result<()>`. Shared flags are defined
//! once in [`common`] and flattened into the subcommands that take them.

pub mod assess;
pub mod bench;
pub mod calibrate;
pub mod common;
pub mod compare;
pub mod list;
pub mod merge;
pub mod new;
pub mod report;
pub mod run;
pub mod sensitivity;
pub mod serve;
pub mod sweep;
pub mod validate;

use clap::{Parser, Subcommand};

/// tiaokuai — simulate and assess tiao-kuai collaboration in digital government.
#[derive(Debug, Parser)]
#[command(name = "tiaokuai", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario: every strategy × replicate, into a run folder.
    Run(run::Args),
    /// Check scenario files without running them.
    Validate(validate::Args),
    /// Write a commented scenario template.
    New(new::Args),
    /// Score units with a composite-indicator framework (maturity assessment).
    Assess(assess::Args),
    /// List presets, departments, domains, levers and metrics.
    List(list::Args),
    /// Paired comparison of a run's strategies against a baseline.
    Compare(compare::Args),
    /// Run every strategy over a design of uncertain parameters.
    Sweep(sweep::Args),
    /// Sobol' or Morris sensitivity analysis of the uncertain parameters.
    Sensitivity(sensitivity::Args),
    /// Fit the [[uncertainty]] parameters to observed targets (ABC-SMC).
    Calibrate(calibrate::Args),
    /// Merge the shards of a sweep or sensitivity study.
    Merge(merge::Args),
    /// Write the HTML report (and with --xlsx the Excel workbook) of a run directory.
    Report(report::Args),
    /// Classroom mode: an interactive local web page over the simulator.
    Serve(serve::Args),
    /// Measure engine throughput (department-quarters per second) and memory.
    Bench(bench::Args),
}

/// Run the parsed command.
pub fn dispatch(cli: Cli) -> tiaokuai::Result<()> {
    match cli.command {
        Command::Run(a) => run::run(a),
        Command::Validate(a) => validate::run(a),
        Command::New(a) => new::run(a),
        Command::Assess(a) => assess::run(a),
        Command::List(a) => list::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Sweep(a) => sweep::run(a),
        Command::Sensitivity(a) => sensitivity::run(a),
        Command::Calibrate(a) => calibrate::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Report(a) => report::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Bench(a) => bench::run(a),
    }
}
