//! The `tiaokuai` binary: parses flags and dispatches to one subcommand.
//! All work happens in the library; errors are printed with their context
//! and mapped to exit codes (0 ok, 1 failure, 2 bad input).

mod cli;

use clap::Parser;

fn main() {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                tiaokuai::error::EXIT_BAD_INPUT
            } else {
                0
            };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    if let Err(e) = cli::dispatch(cli) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
