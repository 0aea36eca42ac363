//! Engine throughput measurement: department-quarters per second for a
//! scenario's world, single-threaded and with a thread pool, plus peak
//! memory. Used by `tiaokuai bench` and documented in `docs/PERFORMANCE.md`.
//!
//! Rule: measures the step loop and metric collection only (no output
//! formatting); results are printed by the caller, never asserted in tests.
//! The timed block is repeated and the fastest repetition reported (as
//! `timeit` does): other load on the machine only ever slows a run down,
//! so the fastest is the best estimate of the code's own speed; the median
//! is reported beside it.

use std::time::Instant;

use rayon::prelude::*;

use crate::error::Result;
use crate::experiment::thread_pool;
use crate::sim::{Context, Runner};

/// One measurement.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub label: String,
    /// Departments per replicate (the mean where replicates draw their own
    /// structure).
    pub departments: f64,
    pub quarters: u32,
    pub runs: usize,
    pub threads: usize,
    /// Fastest repetition.
    pub seconds: f64,
    /// Median over the repetitions.
    pub median_seconds: f64,
    pub repeats: usize,
    /// Time to build and compile the world.
    pub build_seconds: f64,
    /// Share of the fastest repetition's replicate time spent drawing,
    /// compiling and planning replicates' own worlds and dropping them
    /// (0 under `run.world = "fixed"`): measured inside the same runs, so
    /// load on the machine that slows everything alike does not move it.
    pub world_share: f64,
}

impl Measurement {
    /// Department-quarters simulated per second.
    pub fn dept_quarters_per_s(&self) -> f64 {
        self.work() / self.seconds
    }
    /// The same over the median repetition.
    pub fn median_dept_quarters_per_s(&self) -> f64 {
        self.work() / self.median_seconds
    }
    fn work(&self) -> f64 {
        self.departments * self.quarters as f64 * self.runs as f64
    }
}

/// Run `runs` replicates of strategy 0 on `threads` threads, `repeats`
/// times, and time each repetition.
pub fn measure(
    ctx: &Context,
    label: &str,
    runs: usize,
    threads: usize,
    repeats: usize,
    build_seconds: f64,
) -> Result<Measurement> {
    let pool = thread_pool(Some(threads))?;
    // Warm caches and allocate per-thread buffers outside the timing.
    let mut sink = 0.0;
    Runner::new(ctx).run(ctx, 0, 0, |_, f| sink += f[0]);
    let mut departments = 0;
    // (seconds, world share) of each repetition.
    let mut times: Vec<(f64, f64)> = (0..repeats.max(1))
        .map(|_| {
            let start = Instant::now();
            let job = pool.install(|| {
                (0..runs as u32)
                    .into_par_iter()
                    .map_init(|| Runner::new(ctx), |runner, r| replicate(ctx, runner, r))
                    .reduce(Job::default, Job::add)
            });
            let seconds = start.elapsed().as_secs_f64();
            std::hint::black_box(job.last + sink);
            departments = job.departments;
            (seconds, job.world_seconds / job.seconds)
        })
        .collect();
    times.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(Measurement {
        label: label.to_string(),
        departments: departments as f64 / runs.max(1) as f64,
        quarters: ctx.quarters(),
        runs,
        threads,
        seconds: times[0].0,
        median_seconds: times[times.len() / 2].0,
        repeats: times.len(),
        build_seconds,
        world_share: times[0].1,
    })
}

/// What the timed replicates add up to.
#[derive(Default)]
struct Job {
    last: f64,
    departments: usize,
    /// Time in whole replicates, and in their own worlds.
    seconds: f64,
    world_seconds: f64,
}

impl Job {
    fn add(self, o: Job) -> Job {
        Job {
            last: self.last + o.last,
            departments: self.departments + o.departments,
            seconds: self.seconds + o.seconds,
            world_seconds: self.world_seconds + o.world_seconds,
        }
    }
}

/// Play replicate `r` of strategy 0 in its own world: the world (drawn,
/// compiled and planned, then dropped) is part of its cost, and timed
/// apart as well.
fn replicate(ctx: &Context, runner: &mut Runner, r: u32) -> Job {
    let start = Instant::now();
    let rctx = ctx.replicate(r);
    let built = start.elapsed();
    let mut last = 0.0;
    runner.run(&rctx, 0, r, |_, f| last = f[0]);
    let departments = rctx.compiled.n_depts;
    let dropping = Instant::now();
    drop(rctx);
    Job {
        last,
        departments,
        seconds: start.elapsed().as_secs_f64(),
        world_seconds: (built + dropping.elapsed()).as_secs_f64(),
    }
}

/// Peak resident memory of this process in bytes (Linux `VmHWM`), if known.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
