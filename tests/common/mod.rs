//! Helpers shared by integration tests: run scenarios through the library
//! and compute paired differences over replicates.
#![allow(dead_code)]

use rayon::prelude::*;
use tiaokuai::experiment::{ScopeSeries, run_scopes};
use tiaokuai::scenario;
use tiaokuai::sim::{Context, Runner};
use tiaokuai::stats::{self, Summary};

/// A scenario from TOML text, with `replicates` replicates.
pub fn context(toml: &str, replicates: u32) -> Context {
    let mut sc = scenario::from_str(toml, None).expect("test scenario is valid");
    sc.run.replicates = replicates;
    Context::new(sc).expect("world builds")
}

/// A shipped scenario with `replicates` replicates.
pub fn shipped(name: &str, replicates: u32) -> Context {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let mut sc = scenario::load(&path).expect("shipped scenario is valid");
    sc.run.replicates = replicates;
    Context::new(sc).expect("world builds")
}

/// All scope series of every replicate of every strategy: `[strategy][replicate]`.
pub fn run_all(ctx: &Context) -> Vec<Vec<ScopeSeries>> {
    let reps = ctx.scenario.run.replicates;
    (0..ctx.scenario.strategies.len())
        .map(|s| {
            (0..reps)
                .into_par_iter()
                .map_init(|| Runner::new(ctx), |r, rep| run_scopes(ctx, r, s, rep))
                .collect()
        })
        .collect()
}

pub fn strategy(ctx: &Context, name: &str) -> usize {
    ctx.scenario
        .strategy_index(name)
        .unwrap_or_else(|| panic!("no strategy {name}"))
}

pub fn metric(ctx: &Context, id: &str) -> usize {
    ctx.metrics
        .index(id)
        .unwrap_or_else(|| panic!("no metric {id}"))
}

pub fn scope(ctx: &Context, kind: &str, id: &str) -> usize {
    ctx.world
        .scopes
        .scopes
        .iter()
        .position(|s| s.kind.id() == kind && s.id == id)
        .unwrap_or_else(|| panic!("no scope {kind}:{id}"))
}

/// Value at the horizon (last time point).
pub fn horizon(s: &ScopeSeries, scope: usize, metric: usize) -> f64 {
    s.at(s.len() - 1, scope, metric)
}

/// Summary (mean and 95% interval) of per-replicate values.
pub fn summary(xs: &[f64]) -> Summary {
    stats::summarize(xs).expect("at least one replicate")
}

/// Paired per-replicate differences f(a) − f(b).
pub fn paired(a: &[ScopeSeries], b: &[ScopeSeries], f: impl Fn(&ScopeSeries) -> f64) -> Summary {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| f(x) - f(y)).collect();
    summary(&d)
}

/// Assert an interval lies above zero, printing the effect.
pub fn assert_positive(what: &str, s: &Summary) {
    println!(
        "{what}: mean {:.4} [{:.4}, {:.4}] (n = {})",
        s.mean, s.ci95_low, s.ci95_high, s.n
    );
    assert!(
        s.ci95_low > 0.0,
        "{what}: interval [{}, {}] does not exclude zero from above",
        s.ci95_low,
        s.ci95_high
    );
}

/// A CSV file's records as header → value maps (any map type); lines starting with `#`
/// are comments (the restated data files carry source notes that way).
pub fn csv_records<M: FromIterator<(String, String)>>(path: &std::path::Path) -> Vec<M> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
