//! `tiaokuai bench [SCENARIO...] [--runs N] [--threads N]`
//!
//! Measures the engine: department-quarters per second on one thread and
//! on `--threads` threads, the time to build the world, and peak memory.
//! Each measurement is repeated `--repeat` times; the table shows the
//! fastest repetition and the median, and `worlds %`, the share of the
//! fastest repetition's replicate time spent drawing, compiling, planning
//! and dropping replicates' own worlds (timed inside the same runs).
//! Without a scenario it measures the built-in province preset (default
//! world, 5 years; each replicate draws its own world and structure, the
//! default `run.world = "per-replicate"`), the same with `run.world =
//! "fixed"` (one world for all replicates: the cost of drawing worlds is
//! the difference), and the china preset at township depth (one
//! replicate), the figures recorded in docs/PERFORMANCE.md.
//!
//! ```text
//! cargo run --release -- bench
//! cargo run --release -- bench scenarios/national.toml --runs 2
//! ```

use std::path::PathBuf;
use std::time::Instant;

use tiaokuai::bench::{self, Measurement};
use tiaokuai::sim::Context;
use tiaokuai::{Result, scenario};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files to measure (default: the province and china presets).
    pub scenarios: Vec<PathBuf>,
    /// Replicates per measurement (default: 40 for small worlds, 2 for large ones).
    #[arg(long)]
    pub runs: Option<usize>,
    /// Threads for the parallel measurement.
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
    /// Repetitions of each measurement (the fastest and the median are shown).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub repeat: u32,
}

pub fn run(args: Args) -> Result<()> {
    let cases: Vec<(String, scenario::Scenario)> = if args.scenarios.is_empty() {
        vec![
            (
                "province preset".into(),
                scenario::from_str("name = \"bench-province\"", None)?,
            ),
            (
                "province preset, world fixed".into(),
                scenario::from_str("name = \"bench-province\"\n[run]\nworld = \"fixed\"", None)?,
            ),
            (
                "china preset, township depth".into(),
                scenario::from_str(
                    "name = \"bench-china\"\n[world]\npreset = \"china\"\ndepth = \"township\"",
                    None,
                )?,
            ),
        ]
    } else {
        args.scenarios
            .iter()
            .map(|p| Ok((p.display().to_string(), scenario::load(p)?)))
            .collect::<Result<_>>()?
    };
    println!(
        "{:<32} {:>9} {:>7} {:>5} {:>8} {:>10} {:>9} {:>16} {:>16}",
        "world",
        "depts",
        "runs",
        "thr",
        "build s",
        "run s",
        "worlds %",
        "dept-quarters/s",
        "median"
    );
    for (label, sc) in cases {
        let t0 = Instant::now();
        let ctx = Context::new(sc)?;
        let build = t0.elapsed().as_secs_f64();
        let runs = args.runs.unwrap_or(if ctx.compiled.n_depts > 100_000 {
            2
        } else {
            40
        });
        for threads in [1, args.threads] {
            let m = bench::measure(&ctx, &label, runs, threads, args.repeat as usize, build)?;
            print_row(&m);
        }
    }
    if let Some(b) = bench::peak_memory() {
        println!("peak memory: {:.0} MiB", b as f64 / (1 << 20) as f64);
    }
    Ok(())
}

fn print_row(m: &Measurement) {
    println!(
        "{:<32} {:>9.0} {:>7} {:>5} {:>8.3} {:>10.3} {:>9.1} {:>16.0} {:>16.0}",
        m.label,
        m.departments,
        m.runs,
        m.threads,
        m.build_seconds,
        m.seconds,
        100.0 * m.world_share,
        m.dept_quarters_per_s(),
        m.median_dept_quarters_per_s()
    );
}
