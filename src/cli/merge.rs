//! `tiaokuai merge PART_DIR... --out DIR [--force] [--quiet]`
//!
//! Combines the shard folders of one sweep or sensitivity study (each run
//! with `--shard I/N`) into the files a single unsharded run writes, and
//! for a sensitivity study computes `sensitivity.csv`. Refuses parts from
//! different studies, missing or repeated shards, and experiments found in
//! two parts; nothing is written then.
//!
//! ```text
//! tiaokuai merge outputs/shards/part-* --out outputs/uncertain-sweep
//! ```

use std::path::PathBuf;

use tiaokuai::Result;
use tiaokuai::sweep::merge;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Shard folders written by `sweep --shard` or `sensitivity --shard`.
    #[arg(required = true)]
    pub parts: Vec<PathBuf>,
    /// Folder for the merged study.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let rep = merge::merge(&args.parts, &args.out, args.force)?;
    if !args.quiet {
        println!(
            "merged {} parts: {} experiments ({} failed) into {}",
            rep.parts,
            rep.experiments,
            rep.failed,
            args.out.display()
        );
        for (m, why) in &rep.skipped {
            println!("  no indices for {m}: {why}");
        }
    }
    Ok(())
}
