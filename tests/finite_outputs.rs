//! Every number a run writes is finite, even with every cost, need and
//! budget key at the end of its documented range (docs/limits.md). Before
//! the ranges had finite maxima, `hardware.unit_cost = 1e300` or
//! `investment.budget_per_capita = 1e308` were accepted and wrote `inf`.

use std::path::Path;

use proptest::prelude::*;
use tiaokuai::experiment::{RunOptions, run_to_dir};
use tiaokuai::scenario;
use tiaokuai::sim::Context;

/// (section, key, low, high) of a numeric key.
type Key = (&'static str, &'static str, f64, f64);

/// The keys whose size drives costs and needs.
const KEYS: &[Key] = &[
    ("hardware", "unit_cost", 1e-9, 1e5),
    ("hardware", "need_per_department", 0.0, 5e5),
    ("hardware", "need_per_100k_people", 0.0, 4e6),
    ("hardware", "usage_growth", 0.0, 10.0),
    ("hardware", "initial_coverage", 0.0, 2.0),
    ("investment", "budget_per_capita", 0.0, 1e8),
    ("diffusion", "cost_spontaneous", 0.0, 1.5e6),
    ("diffusion", "cost_promoted", 0.0, 3e5),
    ("platforms", "customisation_cost", 0.0, 4e6),
    ("platforms", "fit_loss", 0.0, 1e6),
    ("platforms.build_cost", "province", 0.0, 1e8),
    ("platforms.build_cost", "city", 0.0, 1e8),
    ("platforms.build_cost", "county", 0.0, 1e8),
    ("platforms.connection_cost", "province", 0.0, 1e8),
    ("platforms.connection_cost", "city", 0.0, 1e8),
    ("platforms.connection_cost", "county", 0.0, 1e8),
];

/// Every cell of a CSV file that reads as a number is finite.
fn assert_finite(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    for (n, line) in text.lines().enumerate() {
        for cell in line.split(',') {
            if let Ok(v) = cell.trim().parse::<f64>() {
                assert!(
                    v.is_finite(),
                    "{}:{}: `{cell}` in `{line}`",
                    path.display(),
                    n + 1
                );
            }
        }
    }
}

fn scenario_text(
    choices: &[u8],
    cities: u32,
    years: u32,
    replicates: u32,
    platforms: &str,
) -> String {
    let mut s = format!(
        "name = \"finite\"\n[run]\nyears = {years}\nreplicates = {replicates}\n\
         [world]\npreset = \"province\"\ndepth = \"county\"\ncities = {cities}\ncounties_per_city = 2\n\
         [defaults]\nplatforms = \"{platforms}\"\n"
    );
    let mut section = "";
    // Sections in a fixed order, each key once: low, high, or the geometric middle.
    let mut keys: Vec<(usize, &Key)> = KEYS.iter().enumerate().collect();
    keys.sort_by_key(|(_, k)| k.0);
    for (i, (sec, key, lo, hi)) in keys {
        if *sec != section {
            s.push_str(&format!("[{sec}]\n"));
            section = sec;
        }
        let v = match choices[i] % 3 {
            0 => *lo,
            1 => *hi,
            _ => (lo.max(1e-9) * hi).sqrt(),
        };
        s.push_str(&format!("{key} = {v:e}\n"));
    }
    s
}

#[test]
fn the_template_states_the_ranges_used_here() {
    // Negative control for the ranges: one step beyond each maximum is refused.
    for (i, (_, key, _, hi)) in KEYS.iter().enumerate() {
        let mut choices = vec![2u8; KEYS.len()];
        choices[i] = 1;
        let ok = scenario_text(&choices, 2, 1, 1, "hybrid");
        scenario::from_str(&ok, None).unwrap_or_else(|e| panic!("{key} = {hi}: {e}"));
        let over = ok.replace(
            &format!("{key} = {hi:e}\n"),
            &format!("{key} = {:e}\n", hi * 10.0),
        );
        assert_ne!(over, ok);
        let e = scenario::from_str(&over, None).expect_err(key);
        assert!(e.to_string().contains("out of range"), "{key}: {e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn every_number_written_is_finite_at_the_ends_of_the_ranges(
        choices in prop::collection::vec(0u8..3, KEYS.len()),
        cities in 2u32..=3,
        years in 1u32..=2,
        replicates in 1u32..=2,
        platforms in prop::sample::select(vec!["local", "city", "provincial", "hybrid"]),
        seed in 0u64..1000,
    ) {
        let text = scenario_text(&choices, cities, years, replicates, platforms);
        let mut sc = scenario::from_str(&text, None).unwrap();
        sc.run.seed = seed;
        let ctx = Context::new(sc).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("run");
        let opts = RunOptions { out: out.clone(), force: false, threads: Some(1), quiet: true, excel_csv: false };
        run_to_dir(&ctx, &opts).unwrap();
        assert_finite(&out.join("summary.csv"));
        assert_finite(&out.join("timeseries.csv"));
    }
}
