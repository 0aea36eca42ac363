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
    if !matches!(cli.command, cli::Command::Serve(_)) {
        quiet_on_closed_pipe();
    }
    let result = cli::dispatch(cli);
    for note in tiaokuai::output::guard::take_notices() {
        eprintln!("note: {note}");
    }
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}

/// A reader that stops early (`tiaokuai list | head -1`) ends the program
/// quietly, as it does other command-line tools, instead of a panic. The
/// server keeps Rust's default (a closed connection is an error to handle).
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
