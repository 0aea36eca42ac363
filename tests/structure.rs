//! Per-replicate structure of the synthetic province (issue 10, item 1):
//! each replicate draws its own number of counties per city and townships
//! per county (`world.counties_dispersion`, `world.townships_dispersion`),
//! so intervals over replicates cover the structure too. Metrics that
//! depend only on the structure (the platforms local builds duplicate)
//! then vary across replicates; with both dispersions at 0 they do not
//! (the negative control), and the outputs stay byte-identical whatever
//! the thread count.

mod common;

use tiaokuai::experiment::{self, RunOptions};
use tiaokuai::scenario;
use tiaokuai::sim::Context;

/// `provincial-vs-local.toml`, local builds only, with `replicates`
/// replicates and `extra` lines added to its `[world]`.
fn local_builds(replicates: u32, extra: &str) -> Context {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join("provincial-vs-local.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("[world]\n", &format!("[world]\n{extra}"), 1);
    let mut sc = scenario::from_str(&text, Some(&path)).expect("scenario is valid");
    sc.select_strategies(&["local".to_string()]).unwrap();
    sc.run.replicates = replicates;
    Context::new(sc).expect("world builds")
}

/// Values of world-scope metric `id` at the end of `year`, one per replicate.
fn at_year(ctx: &Context, id: &str, year: usize) -> Vec<f64> {
    (0..ctx.scenario.run.replicates)
        .map(|r| {
            let s = experiment::run_replicate(ctx, 0, r);
            s.values(id).expect("metric exists")[year * 4]
        })
        .collect()
}

fn sd(xs: &[f64]) -> f64 {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
}

#[test]
fn local_builds_duplicate_and_fit_vary_with_the_drawn_structure() {
    let ctx = local_builds(5, "");
    for year in [3, 5] {
        let dup = at_year(&ctx, "duplicate_platforms", year);
        let fit = at_year(&ctx, "platform_fit", year);
        eprintln!("year {year}: duplicate_platforms {dup:?}, platform_fit {fit:?}");
        assert!(sd(&dup) > 0.0, "duplicate_platforms {dup:?}");
        assert!(sd(&fit) > 0.0, "platform_fit {fit:?}");
    }
    // Negative control: exact counts give every replicate the same
    // structure, and local builds the same number of platforms.
    let exact = local_builds(5, "counties_dispersion = 0\ntownships_dispersion = 0\n");
    let dup = at_year(&exact, "duplicate_platforms", 5);
    assert_eq!(sd(&dup), 0.0, "{dup:?}");
}

#[test]
fn fixed_world_keeps_one_drawn_structure() {
    let text = "name = \"t\"\n[run]\nyears = 2\nreplicates = 3\nworld = \"fixed\"\n[world]\ncities = 4\ndepth = \"county\"\n[[strategy]]\nname = \"local\"\nplatforms = \"local\"\n";
    let ctx = common::context(text, 3);
    for r in 1..3 {
        assert_eq!(ctx.replicate(r).world.structure, ctx.world.structure);
    }
    // Negative control: per replicate, some replicate draws another one.
    let per = common::context(&text.replace("\"fixed\"", "\"per-replicate\""), 3);
    assert!((1..3).any(|r| per.replicate(r).world.structure != per.world.structure));
}

#[test]
fn drawn_structures_are_byte_identical_on_one_and_two_threads() {
    let text = "name = \"t\"\n[run]\nyears = 2\nreplicates = 5\n[world]\ncities = 4\ncounties_per_city = 3\ntownships_per_county = 4\n[[strategy]]\nname = \"local\"\nplatforms = \"local\"\n[[strategy]]\nname = \"provincial\"\nplatforms = \"provincial\"\n";
    let ctx = common::context(text, 5);
    assert!((1..5).any(|r| ctx.replicate(r).world.structure != ctx.world.structure));
    let tmp = tempfile::tempdir().unwrap();
    let run = |threads: usize| {
        let out = tmp.path().join(format!("t{threads}"));
        let opts = RunOptions {
            out: out.clone(),
            force: false,
            threads: Some(threads),
            quiet: true,
            excel_csv: false,
        };
        experiment::run_to_dir(&ctx, &opts).unwrap();
        out
    };
    let (a, b) = (run(1), run(2));
    for f in [
        "timeseries.csv",
        "summary.csv",
        "indicators.csv",
        "scopes.csv",
    ] {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(!x.is_empty());
        assert!(x == y, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn a_county_named_by_a_partnership_is_refused_when_counties_are_drawn() {
    let text = "name = \"t\"\n[world]\ncities = 3\ndepth = \"county\"\n[[strategy]]\nname = \"pair\"\nregional.pairs = [[\"c01-k01\", \"c02\"]]\n";
    let sc = scenario::from_str(text, None).unwrap();
    let e = Context::new(sc).unwrap_err().to_string();
    assert!(
        e.contains("c01-k01") && e.contains("counties_dispersion"),
        "{e}"
    );
    // Negative control: exact counts, or a city, are accepted.
    let exact = text.replace("depth = ", "counties_dispersion = 0\ndepth = ");
    Context::new(scenario::from_str(&exact, None).unwrap()).unwrap();
    let city = text.replace("c01-k01", "c01");
    Context::new(scenario::from_str(&city, None).unwrap()).unwrap();
}

/// Every value of every time point of replicate `r` played by `runner`.
fn frames(ctx: &Context, runner: &mut tiaokuai::sim::Runner, r: u32) -> Vec<u64> {
    let rctx = ctx.replicate(r);
    let mut out = Vec::new();
    runner.run(&rctx, 0, r, |_, f| {
        out.extend(f.iter().map(|x| x.to_bits()))
    });
    out
}

#[test]
fn a_runner_refitted_between_structures_plays_as_a_fresh_one() {
    // A worker's runner refits its buffers in place when a replicate drew
    // another structure (larger, then smaller): what it plays must be
    // bit for bit what a runner built for that replicate plays.
    let ctx = local_builds(4, "");
    let sizes: Vec<usize> = (0..4).map(|r| ctx.replicate(r).compiled.n_depts).collect();
    assert!(
        sizes.windows(2).any(|w| w[0] != w[1]),
        "the replicates drew one structure: {sizes:?}"
    );
    let mut worker = tiaokuai::sim::Runner::new(&ctx);
    for r in [3, 1, 2, 0, 3] {
        let reused = frames(&ctx, &mut worker, r);
        let fresh = frames(&ctx, &mut tiaokuai::sim::Runner::new(&ctx.replicate(r)), r);
        assert!(reused == fresh, "replicate {r} differs after a refit");
    }
}
