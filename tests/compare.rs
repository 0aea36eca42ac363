//! `tiaokuai compare` on small synthetic run directories written by the
//! test: file formats, paired statistics recomputed independently, regret,
//! the projector table and bad input.

use std::fmt::Write as _;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const STRATEGIES: [&str; 3] = ["local", "provincial", "hybrid"];
const REPS: u64 = 12;
const YEARS: u32 = 3;

/// Replicate noise shared by every strategy (common random numbers) plus a
/// small strategy-specific part: the situation paired comparison is for.
fn value(s: usize, metric: &str, r: u64, year: u32) -> f64 {
    let shared = ((r as f64 + 1.0) * 1.7).sin() * 8.0;
    let own = ((r as f64 + 3.0) * (s as f64 + 2.0) * 0.9).cos() * 0.5;
    let effect = [0.0, 3.0, -0.2][s] * year as f64;
    match metric {
        "collab_index" => 40.0 + shared + own + effect,
        "cost_total" => 100.0 + shared + own - effect,
        _ => shared + own,
    }
}

fn write_run(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let manifest = serde_json::json!({
        "format": "tiaokuai-run", "format_version": 1, "tool_version": "0",
        "scenario": {"name": "synthetic", "description": "", "file": "x.toml", "sha256": "0"},
        "seed": 1, "replicates": REPS, "years": YEARS,
        "strategies": STRATEGIES, "baseline": null,
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    let mut ts = String::from(
        "strategy,replicate,seed,year,quarter,scope_level,scope_id,scope_name,metric,value\n",
    );
    for (s, name) in STRATEGIES.iter().enumerate() {
        for r in 0..REPS {
            for (y, q) in std::iter::once((0, 0))
                .chain((1..=YEARS).flat_map(|y| (1..=4).map(move |q| (y, q))))
            {
                for scope in ["world", "province"] {
                    for m in ["collab_index", "cost_total", "custom_x"] {
                        let v = if scope == "world" {
                            value(s, m, r, y)
                        } else {
                            -999.0
                        };
                        let (sl, sid) = if scope == "world" {
                            ("world", "world")
                        } else {
                            ("province", "p1")
                        };
                        writeln!(
                            ts,
                            "{name},{r},{},{y},{q},{sl},{sid},{sid},{m},{v}",
                            100 + r
                        )
                        .unwrap();
                    }
                }
            }
        }
    }
    std::fs::write(dir.join("timeseries.csv"), ts).unwrap();
}

fn tiaokuai() -> Command {
    Command::cargo_bin("tiaokuai").unwrap()
}

fn rows(path: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn compare_writes_paired_statistics_and_a_table() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    write_run(&run);
    tiaokuai()
        .args(["compare", run.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("provincial"))
        .stdout(predicate::str::contains("collab_index ↑"))
        .stdout(predicate::str::contains("cost_total ↓"))
        .stdout(predicate::str::contains("▲"));
    let text = std::fs::read_to_string(run.join("compare.csv")).unwrap();
    assert!(text.starts_with(
        "strategy,baseline,metric,year,n,mean_diff,ci95_low,ci95_high,p_better,effect_size\n"
    ));
    let rows = rows(&run.join("compare.csv"));
    assert_eq!(
        rows.len(),
        2 * 3,
        "two strategies × three metrics at the horizon"
    );
    for row in &rows {
        let s = STRATEGIES.iter().position(|x| *x == row[0]).unwrap();
        assert_eq!(row[1], "local");
        assert_eq!(row[3], YEARS.to_string());
        // Recompute the paired mean difference and t-interval here.
        let d: Vec<f64> = (0..REPS)
            .map(|r| value(s, &row[2], r, YEARS) - value(0, &row[2], r, YEARS))
            .collect();
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = 2.200_985_160_082_949 * sd / n.sqrt(); // t_{0.975, 11}
        let got: Vec<f64> = row[5..8].iter().map(|x| x.parse().unwrap()).collect();
        assert!((got[0] - mean).abs() < 1e-9);
        assert!((got[1] - (mean - half)).abs() < 1e-6 && (got[2] - (mean + half)).abs() < 1e-6);
        assert_eq!(row[4], REPS.to_string());
        if row[2] == "custom_x" {
            assert_eq!(row[8], "", "no better direction, no p_better");
        } else {
            let sign = if row[2] == "cost_total" { -1.0 } else { 1.0 };
            let p = d.iter().filter(|x| sign * **x > 0.0).count() as f64 / n;
            assert!((row[8].parse::<f64>().unwrap() - p).abs() < 1e-12);
        }
        assert!((row[9].parse::<f64>().unwrap() - mean / sd).abs() < 1e-9);
    }
    // Regret: provincial is best on both directed metrics in every replicate.
    let regret = rows_of(&run.join("regret.csv"));
    assert_eq!(regret.len(), 2 * 3);
    for r in &regret {
        if r[2] == "provincial" {
            assert_eq!(r[8], "1", "{r:?}");
            assert_eq!(r[5], "0");
        } else {
            assert_eq!(r[8], "0");
            assert!(r[6].parse::<f64>().unwrap() > 0.0);
        }
    }
}

fn rows_of(path: &Path) -> Vec<Vec<String>> {
    rows(path)
}

#[test]
fn paired_intervals_are_narrower_than_unpaired_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    write_run(&run);
    tiaokuai()
        .args(["compare", run.to_str().unwrap(), "-q"])
        .assert()
        .success();
    for row in rows(&run.join("compare.csv")) {
        let s = STRATEGIES.iter().position(|x| *x == row[0]).unwrap();
        let a: Vec<f64> = (0..REPS).map(|r| value(s, &row[2], r, YEARS)).collect();
        let b: Vec<f64> = (0..REPS).map(|r| value(0, &row[2], r, YEARS)).collect();
        let var = |x: &[f64]| {
            let m = x.iter().sum::<f64>() / x.len() as f64;
            x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
        };
        let unpaired_half = 2.0 * ((var(&a) + var(&b)) / REPS as f64).sqrt();
        let paired_half = (row[7].parse::<f64>().unwrap() - row[6].parse::<f64>().unwrap()) / 2.0;
        assert!(
            paired_half < unpaired_half / 3.0,
            "{row:?}: {paired_half} vs {unpaired_half}"
        );
    }
}

#[test]
fn by_year_and_baseline_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    write_run(&run);
    tiaokuai()
        .args([
            "compare",
            run.to_str().unwrap(),
            "--by-year",
            "--baseline",
            "hybrid",
            "--lang",
            "zh",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("基准"));
    let rows = rows(&run.join("compare.csv"));
    assert_eq!(rows.len(), 2 * 3 * (YEARS as usize + 1));
    assert!(rows.iter().all(|r| r[1] == "hybrid"));
    // Year 0 has no strategy effect, only own noise.
    assert!(rows.iter().any(|r| r[3] == "0"));
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    write_run(&run);
    tiaokuai()
        .args(["compare", run.to_str().unwrap(), "--baseline", "provincal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `provincial`"));
    assert!(!run.join("compare.csv").exists());

    std::fs::write(run.join("manifest.json"), r#"{"format":"something-else"}"#).unwrap();
    tiaokuai()
        .args(["compare", run.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "unknown run-directory format `something-else`",
        ));

    tiaokuai()
        .args(["compare", tmp.path().join("nowhere").to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("run directory not found"));

    write_run(&run);
    std::fs::write(run.join("timeseries.csv"), "a,b\n1,2\n").unwrap();
    tiaokuai()
        .args(["compare", run.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unexpected header"));
    assert!(!run.join("compare.csv").exists());
}
