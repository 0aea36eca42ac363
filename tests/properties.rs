//! Property tests: for random scenario parameters, every written value is
//! finite and inside its metric's range; more budget never lowers hardware
//! capacity or coverage.

use proptest::prelude::*;
use tiaokuai::scenario;
use tiaokuai::sim::{Context, Runner};

const SMALL: &str = "name = \"p\"\n[run]\nyears = 2\n[world]\ncities = 3\ncounties_per_city = 2\ntownships_per_county = 3\n";

fn ctx(extra: &str) -> Context {
    Context::new(scenario::from_str(&format!("{SMALL}{extra}"), None).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn values_are_finite_and_in_range(
        seed in 0u64..1000,
        platforms in prop::sample::select(vec!["local", "city", "provincial", "hybrid"]),
        standards in prop::sample::select(vec!["none", "provincial", "national"]),
        budget in 0.0f64..3.0,
        reform in 0.0f64..1.0,
        heterogeneity in 0.0f64..2.0,
        transfers in 0.0f64..1.0,
    ) {
        let extra = format!(
            "[world.attributes]\nspread = 0.2\n[defaults]\nplatforms = \"{platforms}\"\nstandards = \"{standards}\"\n[defaults.investment]\nbudget = {budget}\n[defaults.institutions]\nproperty_rights = {{ year = 1, strength = {reform} }}\n[defaults.regional]\ntransfers = {transfers}\nbackstop = true\n"
        );
        let mut sc = scenario::from_str(&format!("{SMALL}{extra}"), None).unwrap();
        sc.run.seed = seed;
        sc.world.heterogeneity = heterogeneity;
        let ctx = Context::new(sc).unwrap();
        let defs = &ctx.metrics.defs;
        let mut runner = Runner::new(&ctx);
        runner.run(&ctx, 0, 0, |t, frame| {
            for (i, v) in frame.iter().enumerate() {
                let m = &defs[i % defs.len()];
                if v.is_nan() {
                    continue; // not applicable: never written
                }
                assert!(v.is_finite(), "t={t} {}: {v}", m.id);
                assert!(*v >= m.min - 1e-9, "t={t} {} = {v} below {}", m.id, m.min);
                if let Some(hi) = m.max {
                    assert!(*v <= hi + 1e-9, "t={t} {} = {v} above {hi}", m.id);
                }
            }
        });
    }

    #[test]
    fn more_budget_never_lowers_hardware(low in 0.0f64..2.0, extra in 0.0f64..2.0, uniform in any::<bool>()) {
        // Usage growth off so that need depends on people and departments only.
        let mode = if uniform { "uniform" } else { "needs" };
        let scen = |b: f64| ctx(&format!("[hardware]\nusage_growth = 0.0\n[defaults.investment]\nbudget = {b}\nhardware_deployment = \"{mode}\"\n"));
        let (a, b) = (scen(low), scen(low + extra));
        let last = |c: &Context| {
            let mut cap = Vec::new();
            let mut cov = Vec::new();
            Runner::new(c).run_observed(c, 0, 0, |_, _, view| {
                cap = view.state.hw_cap.clone();
                cov = view.indicators.chunks(15).map(|r| r[0]).collect();
            });
            (cap, cov)
        };
        let ((cap_a, cov_a), (cap_b, cov_b)) = (last(&a), last(&b));
        for u in 0..cap_a.len() {
            prop_assert!(cap_b[u] >= cap_a[u] - 1e-9, "unit {u}: capacity {} < {}", cap_b[u], cap_a[u]);
            if !cov_a[u].is_nan() {
                prop_assert!(cov_b[u] >= cov_a[u] - 1e-9, "unit {u}: coverage {} < {}", cov_b[u], cov_a[u]);
            }
        }
    }
}

#[test]
fn same_seed_same_values_different_seed_different_values() {
    let c = ctx("");
    let a = tiaokuai::experiment::run_replicate(&c, 0, 0);
    let b = tiaokuai::experiment::run_replicate(&c, 0, 0);
    let d = tiaokuai::experiment::run_replicate(&c, 0, 1);
    let bits =
        |s: &tiaokuai::experiment::Series| s.values.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    assert_ne!(bits(&a), bits(&d));
}
