//! Innovation and reuse reach the headline (issue "no cliffs, no dead
//! channels"): on the shipped `reuse.toml`, institutionalised promotion
//! raises the collaboration index over spontaneous imitation, with paired
//! intervals that exclude zero. The channel is the relief of the *unable*
//! barrier that adopted innovations give the adopter's pairs in their
//! domain (`engine::step::reuse_relief`, `diffusion.effect`). Negative
//! control: with `diffusion.effect = 0` the strategies cannot differ on
//! `collab_index` (adoption then changes costs only), so the interval
//! covers zero.

mod common;

use common::{horizon, metric, paired, run_all, strategy};
use tiaokuai::scenario;
use tiaokuai::sim::Context;
use tiaokuai::stats::Summary;

const REPLICATES: u32 = 8;

fn reuse(extra: &str) -> Context {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reuse.toml");
    let mut table: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let extra: toml::Table = toml::from_str(extra).unwrap();
    for (k, v) in extra {
        table.insert(k, v);
    }
    let mut sc = scenario::from_table(table, Some(&path)).expect("valid scenario");
    sc.run.replicates = REPLICATES;
    Context::new(sc).expect("world builds")
}

/// Paired (promoted − spontaneous) collaboration index of the world at the horizon.
fn effects(ctx: &Context) -> Vec<(&'static str, Summary)> {
    let runs = run_all(ctx);
    let m = metric(ctx, "collab_index");
    let world = common::scope(ctx, "world", "world");
    let base = strategy(ctx, "spontaneous");
    ["provincial", "national"]
        .into_iter()
        .map(|name| {
            let s = strategy(ctx, name);
            let d = paired(&runs[s], &runs[base], |x| horizon(x, world, m));
            println!(
                "collab_index {name} - spontaneous: {:+.3} [{:+.3}, {:+.3}]",
                d.mean, d.ci95_low, d.ci95_high
            );
            (name, d)
        })
        .collect()
}

#[test]
fn promoted_reuse_raises_collaboration_with_paired_intervals_excluding_zero() {
    for (name, d) in effects(&reuse("")) {
        common::assert_positive(&format!("collab_index {name} - spontaneous"), &d);
    }
}

#[test]
fn without_the_reuse_channel_the_strategies_do_not_differ() {
    for (name, d) in effects(&reuse("[diffusion]\neffect = 0.0\n")) {
        assert!(
            d.ci95_low <= 0.0 && d.ci95_high >= 0.0,
            "{name}: [{}, {}] excludes zero without the channel",
            d.ci95_low,
            d.ci95_high
        );
    }
}
