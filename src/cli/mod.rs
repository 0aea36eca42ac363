//! The command-line front end: one file per subcommand, each opening with its
//! usage and exposing `run(args) -> Result<()>`. Shared flags are defined
//! once in [`common`] and flattened into the subcommands that take them.

pub mod assess;
pub mod bench;
pub mod common;
pub mod list;
pub mod new;
pub mod report;
pub mod run;
pub mod serve;
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
        Command::Report(a) => report::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Bench(a) => bench::run(a),
    }
}
