//! `tiaokuai merge PART_DIR... --out DIR [--force] [--quiet]`
//! `tiaokuai merge PART_DIR... --check`
//!
//! Combines the shard folders of one sweep or sensitivity study (each run
//! with `--shard I/N`) into the files a single unsharded run writes, and
//! for a sensitivity study computes `sensitivity.csv`. Refuses parts from
//! different studies, missing or repeated shards, and experiments found in
//! two parts; nothing is written then. `--check` writes nothing: it lists
//! finished, unfinished and missing shards and exits 0 when every shard is
//! finished, 1 when not (2 for parts of different studies).
//!
//! ```text
//! tiaokuai merge outputs/shards/part-* --check
//! tiaokuai merge outputs/shards/part-* --out outputs/uncertainty-sweep
//! ```

use std::path::PathBuf;

use tiaokuai::sweep::merge;
use tiaokuai::sweep::status::{self, State};
use tiaokuai::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Shard folders written by `sweep --shard` or `sensitivity --shard`.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Folder for the merged study.
    #[arg(long, required_unless_present = "check")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Only report which shards are finished, unfinished or missing; exit 0
    /// if all are finished, 1 if not. Writes nothing.
    #[arg(long, conflicts_with_all = ["out", "force"])]
    pub check: bool,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let Some(out) = args.out.filter(|_| !args.check) else {
        return check(&args.parts, args.quiet);
    };
    let rep = merge::merge(&args.parts, &out, args.force)?;
    if !args.quiet {
        println!(
            "merged {} parts: {} experiments ({} failed) into {}",
            rep.parts,
            rep.experiments,
            rep.failed,
            out.display()
        );
        for (m, why) in &rep.skipped {
            println!("  no indices for {m}: {why}");
        }
    }
    Ok(())
}

fn list(ids: &[usize]) -> String {
    ids.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `--check`: one line per shard, then the verdict.
fn check(parts: &[PathBuf], quiet: bool) -> Result<()> {
    let st = status::check(parts)?;
    let n = st.count;
    let finished = st
        .shards
        .iter()
        .filter(|s| s.state == State::Finished)
        .count();
    if !quiet {
        for i in 0..n {
            let Some(s) = st.shards.iter().find(|s| s.index == i) else {
                println!("shard {i}/{n}  missing");
                continue;
            };
            let state = match s.state {
                State::Finished => "finished",
                State::Unfinished => "unfinished",
            };
            println!(
                "shard {i}/{n}  {state:<10}  {}/{} experiments  {}",
                s.written,
                s.expected,
                s.dir.display()
            );
        }
        for p in &st.absent {
            println!("  no shard in {}", p.display());
        }
    }
    if st.complete() {
        if !quiet {
            println!("complete: {finished} of {n} shards finished");
        }
        return Ok(());
    }
    let mut todo = st.unfinished();
    todo.extend(&st.missing);
    todo.sort_unstable();
    let mut why = format!("incomplete: {finished} of {n} shards finished");
    if !st.unfinished().is_empty() {
        why.push_str(&format!("; unfinished: {}", list(&st.unfinished())));
    }
    if !st.missing.is_empty() {
        why.push_str(&format!("; missing: {}", list(&st.missing)));
    }
    why.push_str(&format!(
        "\n  hint: run shard(s) {} again with the same command (it resumes with --resume), then merge",
        list(&todo)
    ));
    Err(Error::Other(why))
}
