//! No cliffs: a province too poor or too small for a full-price platform
//! still builds one within the horizon, because build costs scale with the
//! people served and transfers co-fund poorer builders
//! (`platforms.scale_elasticity`, `platforms.cofunding`). The negative
//! control switches both off and the cliff returns.

use tiaokuai::scenario;
use tiaokuai::sim::{Context, Runner};

/// A small, poor western province under provincial builds.
fn poor_province(extra: &str) -> Context {
    let text = format!(
        r#"
name = "poor"
[run]
years = 5
replicates = 4
[world]
preset = "province"
region = "west"
population = 5000000.0
cities = 6
counties_per_city = 3
townships_per_county = 2
[world.attributes]
spread = 0.0
[world.attributes.west]
fiscal = 0.15
digital = 0.3
talent = 0.3
institutions = 0.3
[[strategy]]
name = "provincial"
platforms = "provincial"
standards = "provincial"
{extra}
"#
    );
    Context::new(scenario::from_str(&text, None).expect("valid scenario")).expect("world builds")
}

/// Quarter in which the province's platform is built, if any, per replicate.
fn build_quarters(ctx: &Context) -> Vec<Option<u32>> {
    let mut runner = Runner::new(ctx);
    (0..ctx.scenario.run.replicates)
        .map(|r| {
            let world = ctx.replicate(r);
            let province = (0..world.compiled.n_units)
                .find(|&u| world.compiled.level[u] == tiaokuai::catalog::Level::Province)
                .expect("a province");
            let mut first = None;
            runner.run_observed(&world, 0, r, |t, _, view| {
                if first.is_none() && view.state.built[province] {
                    first = Some(t);
                }
            });
            first
        })
        .collect()
}

#[test]
fn a_poor_small_province_gets_its_platform_within_the_horizon() {
    let built = build_quarters(&poor_province(""));
    assert!(
        built.iter().all(|q| q.is_some_and(|q| q <= 8)),
        "built in quarters {built:?}"
    );
}

#[test]
fn without_scaling_and_cofunding_the_cliff_returns() {
    let ctx = poor_province("[platforms]\nscale_elasticity = 0.0\ncofunding = 0.0\n");
    let built = build_quarters(&ctx);
    assert!(
        built.iter().all(|q| q.is_none()),
        "built in quarters {built:?}"
    );
}
