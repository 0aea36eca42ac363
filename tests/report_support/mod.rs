//! A synthetic run directory written exactly as the run-directory contract
//! describes (manifest.json, timeseries.csv, summary.csv, scopes.csv,
//! metrics.csv, scenario.toml), so the report can be tested without running
//! the simulator. Values follow a smooth trend per strategy plus
//! deterministic noise per replicate; `summary.csv` is computed from the
//! time series with `tiaokuai::stats::summarize`, as the core does.

#![allow(dead_code, clippy::needless_range_loop)]

pub mod checks;

use std::fmt::Write as _;
use std::path::Path;

use tiaokuai::catalog::{Level, Region, domains, provinces};
use tiaokuai::metrics::registry;

pub struct Synthetic {
    pub preset: &'static str,
    pub strategies: Vec<&'static str>,
    pub baseline: Option<&'static str>,
    pub replicates: usize,
    pub years: usize,
    pub seed: u64,
}

impl Synthetic {
    pub fn china() -> Self {
        Synthetic {
            preset: "china",
            strategies: vec!["status_quo", "provincial_platforms", "national_push"],
            baseline: Some("status_quo"),
            replicates: 6,
            years: 4,
            seed: 42,
        }
    }
    pub fn province() -> Self {
        Synthetic {
            preset: "province",
            strategies: vec!["local_builds", "provincial"],
            baseline: None,
            replicates: 4,
            years: 3,
            seed: 7,
        }
    }
}

/// (scope_level, scope_id, name, name_zh, units, population)
fn scopes(preset: &str) -> Vec<(String, String, String, String, u64, u64)> {
    let mut v = vec![(
        "world".into(),
        "world".into(),
        "World".into(),
        "全域".into(),
        0,
        0,
    )];
    let levels: &[Level] = if preset == "china" {
        &[Level::Province, Level::City, Level::County]
    } else {
        &[Level::City, Level::County, Level::Township]
    };
    for l in levels {
        v.push((
            "level".into(),
            l.id().into(),
            l.name(tiaokuai::catalog::Lang::En).into(),
            l.name(tiaokuai::catalog::Lang::Zh).into(),
            10,
            1000,
        ));
    }
    if preset == "china" {
        for r in Region::ALL {
            v.push((
                "region".into(),
                r.id().into(),
                r.name(tiaokuai::catalog::Lang::En).into(),
                r.name(tiaokuai::catalog::Lang::Zh).into(),
                100,
                1_000_000,
            ));
        }
        for p in provinces::PROVINCES.iter() {
            v.push((
                "province".into(),
                p.id.into(),
                p.name_en.into(),
                p.name_zh.into(),
                (p.prefectures + p.counties) as u64,
                p.population,
            ));
        }
    }
    v.push((
        "rank".into(),
        "prefecture".into(),
        "Prefecture city".into(),
        "地级市".into(),
        5,
        500,
    ));
    v
}

/// Deterministic noise in [-1, 1) from a few integers (splitmix64).
fn noise(parts: &[u64]) -> f64 {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for p in parts {
        x ^= p.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
    }
    (x >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

fn value(m: &registry::MetricDef, s: usize, r: usize, t: usize, scope: usize, mi: usize) -> f64 {
    let progress = t as f64 / 16.0;
    let base = 20.0 + 8.0 * s as f64 + 30.0 * progress + 3.0 * (scope % 7) as f64 + mi as f64;
    let e = noise(&[s as u64, r as u64, t as u64, scope as u64, mi as u64]);
    let raw = base + 4.0 * e;
    let v = match m.unit {
        "share 0-1" => raw / 100.0,
        "million yuan" => raw * 12.5,
        "platforms" | "innovations" => raw.round(),
        "stage 1-5" => 1.0 + raw / 30.0,
        _ => raw,
    };
    let v = v.max(m.min);
    m.max.map_or(v, |hi| v.min(hi))
}

/// Write the run directory into `dir` (which must exist).
pub fn write_run(dir: &Path, spec: &Synthetic) {
    let ds = domains::defaults();
    let metrics = registry::metrics(&ds);
    let scopes = scopes(spec.preset);
    let times = 1 + 4 * spec.years;
    let seeds: Vec<u64> = (0..spec.replicates)
        .map(|r| spec.seed * 1000 + r as u64)
        .collect();

    let mut ts = String::from(
        "strategy,replicate,seed,year,quarter,scope_level,scope_id,scope_name,metric,value\n",
    );
    // world values[s][m][t][r] for the summary
    let mut world =
        vec![vec![vec![vec![0.0; spec.replicates]; times]; metrics.len()]; spec.strategies.len()];
    for (s, name) in spec.strategies.iter().enumerate() {
        for r in 0..spec.replicates {
            for t in 0..times {
                let (y, q) = if t == 0 {
                    (0, 0)
                } else {
                    ((t - 1) / 4 + 1, (t - 1) % 4 + 1)
                };
                for (ci, sc) in scopes.iter().enumerate() {
                    for (mi, m) in metrics.iter().enumerate() {
                        if m.id == "east_west_gap" && !(sc.0 == "world" && spec.preset == "china") {
                            continue;
                        }
                        let v = value(m, s, r, t, ci, mi);
                        if sc.0 == "world" {
                            world[s][mi][t][r] = v;
                        }
                        let _ = writeln!(
                            ts,
                            "{name},{r},{},{y},{q},{},{},{},{},{v}",
                            seeds[r], sc.0, sc.1, sc.2, m.id
                        );
                    }
                }
            }
        }
    }
    std::fs::write(dir.join("timeseries.csv"), ts).unwrap();

    let mut sum = String::from("strategy,metric,year,n,mean,sd,ci95_low,ci95_high,p05,p50,p95\n");
    for (s, name) in spec.strategies.iter().enumerate() {
        for (mi, m) in metrics.iter().enumerate() {
            if m.id == "east_west_gap" && spec.preset != "china" {
                continue;
            }
            for y in 0..=spec.years {
                let x = tiaokuai::stats::summarize(&world[s][mi][4 * y]).unwrap();
                let _ = writeln!(
                    sum,
                    "{name},{},{y},{},{},{},{},{},{},{},{}",
                    m.id, x.n, x.mean, x.sd, x.ci95_low, x.ci95_high, x.p05, x.p50, x.p95
                );
            }
        }
    }
    std::fs::write(dir.join("summary.csv"), sum).unwrap();

    let mut sc = String::from("scope_level,scope_id,scope_name,scope_name_zh,units,population\n");
    for s in &scopes {
        let _ = writeln!(sc, "{},{},{},{},{},{}", s.0, s.1, s.2, s.3, s.4, s.5);
    }
    std::fs::write(dir.join("scopes.csv"), sc).unwrap();

    // The real writer, so the fixture keeps the run folder's format.
    tiaokuai::output::tables::write_metrics(&dir.join("metrics.csv"), &metrics, false).unwrap();

    let toml = format!("name = \"synthetic-{}\"\n", spec.preset);
    std::fs::write(dir.join("scenario.toml"), &toml).unwrap();
    let strategies: Vec<serde_json::Value> = spec
        .strategies
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mode = ["local", "provincial", "national"][i % 3];
            serde_json::json!({
                "name": n,
                "description": format!("Strategy number {}", i + 1),
                "platforms": {"mode": mode, "year": 1},
                "investment": {"budget": 100.0 + 50.0 * i as f64},
                "reuse": {"promotion": "spontaneous"},
            })
        })
        .collect();
    let manifest = serde_json::json!({
        "format": "tiaokuai-run",
        "format_version": 1,
        "tool_version": "0.1.0",
        "scenario": {"name": format!("synthetic-{}", spec.preset), "description": "A synthetic run for tests.", "file": "scenarios/synthetic.toml", "sha256": "ab12"},
        "seed": spec.seed,
        "replicates": spec.replicates,
        "years": spec.years,
        "strategies": spec.strategies,
        "baseline": spec.baseline,
        "preset": spec.preset,
        "world": {"units_by_level": {"province": 31, "city": 342, "county": 2978}, "departments": 40000, "links": 123456},
        "seeds": seeds,
        "resolved": {"run": {"years": spec.years, "replicates": spec.replicates, "seed": spec.seed}, "world": {"preset": spec.preset}, "strategies": strategies},
        "threads": 2,
        "wall_time_s": 1.5,
        "files": ["timeseries.csv", "summary.csv", "scopes.csv", "metrics.csv", "scenario.toml", "manifest.json"],
    });
    std::fs::write(
        dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap(),
    )
    .unwrap();
}

/// The `summary.csv` rows at `year`: (strategy, metric) → mean.
pub fn summary_means(dir: &Path, year: usize) -> Vec<(String, String, f64)> {
    let mut r = csv::Reader::from_path(dir.join("summary.csv")).unwrap();
    r.records()
        .map(|x| x.unwrap())
        .filter(|x| x[2].parse::<usize>().unwrap() == year)
        .map(|x| {
            (
                x[0].to_string(),
                x[1].to_string(),
                x[4].parse().unwrap_or(f64::NAN),
            )
        })
        .collect()
}
