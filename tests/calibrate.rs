//! `tiaokuai calibrate`: parameter recovery from synthetic data, the same
//! results on 1 or 2 threads, after a resume and from shards, located
//! errors for bad targets and priors, and the normal-score kernel against
//! the random walk on the demo calibration.

mod common;

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tiaokuai::calibrate::abc_smc::{Kernel, Settings};
use tiaokuai::calibrate::{self, Finished, Problem, outputs, targets};

/// A small synthetic province (6 cities of 4 counties, 5 years).
fn scenario(priors: &str) -> String {
    format!(
        r#"name = "cal"
[run]
years = 5
replicates = 1
seed = 3
[world]
preset = "province"
depth = "county"
cities = 6
counties_per_city = 4
[[strategy]]
name = "status-quo"
{priors}"#
    )
}

const PRIORS: &str = r#"
[[uncertainty]]
path = "trust.initial"
dist = "uniform"
low = 0.15
high = 0.75
[[uncertainty]]
path = "barriers.unwilling.weight"
dist = "uniform"
low = 0.1
high = 0.9
"#;

/// Targets: (metric, year, sd) read at world scope.
const OBSERVED: [(&str, u32, f64); 5] = [
    ("trust", 0, 0.01),
    ("trust", 3, 0.01),
    ("barrier_unwilling", 1, 0.01),
    ("sharing_horizontal", 2, 0.01),
    ("maturity_index", 5, 1.0),
];

fn problem(replicates: u32) -> (Problem, tiaokuai::sim::Context) {
    let text = scenario(PRIORS);
    let table: toml::Table = toml::from_str(&text).unwrap();
    let params = tiaokuai::design::parse_uncertainties(&table, None).unwrap();
    Problem::new(&table, None, &params, None, replicates).unwrap()
}

/// The targets file a simulation at `truth` produces.
fn synthetic_targets(truth: &[f64], seed: u64) -> String {
    let (mut p, ctx) = problem(4);
    let mut csv = String::from("scope,metric,year,value,sd\n");
    for (m, y, sd) in OBSERVED {
        csv.push_str(&format!("world,{m},{y},0,{sd}\n"));
    }
    let t = targets::parse(&csv, Path::new("t.csv"), &ctx, None).unwrap();
    p.set_targets(&ctx, t, Vec::new()).unwrap();
    let sims = p.simulate(truth, seed);
    let mut csv = String::from("scope,metric,year,value,sd\n");
    for ((m, y, sd), v) in OBSERVED.iter().zip(sims) {
        csv.push_str(&format!("world,{m},{y},{v},{sd}\n"));
    }
    csv
}

/// Posterior 90% intervals of a calibration against `csv`.
fn intervals(csv: &str, seed: u64) -> Vec<(f64, f64)> {
    let (mut p, ctx) = problem(2);
    let t = targets::parse(csv, Path::new("t.csv"), &ctx, None).unwrap();
    p.set_targets(&ctx, t, Vec::new()).unwrap();
    let s = Settings {
        kernel: Kernel::NormalScore,
        particles: 120,
        generations: 5,
        alpha: 0.5,
        min_tolerance: 0.0,
        seed,
    };
    let bar = indicatif::ProgressBar::hidden();
    let Finished::Done(post) = calibrate::run(&p, &s, None, None, None, &bar).unwrap() else {
        panic!("not finished")
    };
    (0..2)
        .map(|j| {
            let (_, lo, _, hi) = outputs::summary(&post.population, j);
            (lo, hi)
        })
        .collect()
}

#[test]
fn calibration_recovers_known_parameters() {
    let truths = [[0.35, 0.3], [0.5, 0.6], [0.62, 0.45]];
    let prior_width = [0.9 * 0.6, 0.9 * 0.8];
    let (mut covered, mut total) = (0, 0);
    for (k, truth) in truths.iter().enumerate() {
        let csv = synthetic_targets(truth, 100 + k as u64);
        let iv = intervals(&csv, k as u64 + 1);
        for j in 0..2 {
            let (lo, hi) = iv[j];
            total += 1;
            if lo <= truth[j] && truth[j] <= hi {
                covered += 1;
            }
            // The data inform the parameter: the interval is much narrower than the prior's.
            assert!(
                hi - lo < 0.6 * prior_width[j],
                "parameter {j}: {lo}..{hi} for truth {truth:?}"
            );
        }
        // Negative control: the interval excludes a value far from the truth.
        let wrong = if truth[0] < 0.45 { 0.7 } else { 0.2 };
        assert!(
            !(iv[0].0 <= wrong && wrong <= iv[0].1),
            "{iv:?} covers {wrong}"
        );
    }
    assert!(
        covered * 10 >= total * 8,
        "90% intervals covered {covered} of {total}"
    );
}

#[test]
fn every_simulation_seed_gives_a_valid_scenario() {
    // Simulation seeds are 64-bit streams; `run.seed` must be a whole
    // number 0 or more held in an i64, so half of all seeds would be
    // refused (and their particles lost) if written as they are.
    let (mut p, ctx) = problem(1);
    let t = targets::parse(
        "scope,metric,year,value,sd\nworld,trust,1,0.3,0.01\n",
        Path::new("t.csv"),
        &ctx,
        None,
    )
    .unwrap();
    p.set_targets(&ctx, t, Vec::new()).unwrap();
    for seed in [0, 7, 1 << 63, u64::MAX] {
        assert!(p.simulate(&[0.5, 0.35], seed)[0].is_finite(), "seed {seed}");
    }
    // Control: a value the scenario refuses still simulates to NaN.
    assert!(p.simulate(&[2.0, 0.35], 7)[0].is_nan());
}

fn write_inputs(dir: &Path, priors: &str, targets: &str) {
    std::fs::write(dir.join("s.toml"), scenario(priors)).unwrap();
    std::fs::write(dir.join("t.csv"), targets).unwrap();
}

const DEMO_TARGETS: &str = "kind,scope,metric,year,value,sd,low,high\n\
    value,world,trust,0,0.414,0.01,,\n\
    value,world,barrier_unwilling,1,0.14,0.01,,\n\
    value,world,collab_index,5,52.6,,50.5,54.8\n";

fn cal(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("tiaokuai")
        .unwrap()
        .current_dir(dir)
        .args([
            "calibrate",
            "s.toml",
            "--targets",
            "t.csv",
            "--particles",
            "40",
            "--generations",
            "3",
            "--quiet",
        ])
        .args(extra)
        .assert()
}

const FILES: [&str; 5] = [
    "posterior.csv",
    "parameters.csv",
    "fit.csv",
    "schedule.csv",
    "calibrated.toml",
];

fn same_files(a: &Path, b: &Path) {
    for f in FILES {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn same_results_on_one_or_two_threads_after_resume_and_from_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_inputs(d, PRIORS, DEMO_TARGETS);
    cal(d, &["--out", "one", "--threads", "1"]).success();
    cal(d, &["--out", "two", "--threads", "2"]).success();
    same_files(&d.join("one"), &d.join("two"));
    let fit = std::fs::read_to_string(d.join("one/fit.csv")).unwrap();
    assert!(
        fit.starts_with("line,kind,scope,metric,year,threshold,observed,sd,used,predicted_mean")
    );
    assert_eq!(fit.lines().count(), 4);
    let post = std::fs::read_to_string(d.join("one/posterior.csv")).unwrap();
    assert_eq!(post.lines().count(), 1 + 4 * 40);
    // An existing folder is not overwritten without --force.
    cal(d, &["--out", "one"])
        .code(2)
        .stderr(predicate::str::contains("--force"));
    // Resume after a kill: keep generations 0 and 1 only.
    std::fs::create_dir(d.join("res.partial")).unwrap();
    std::fs::create_dir(d.join("res.partial/generations")).unwrap();
    for f in [
        "manifest.json",
        "generations/gen-000.csv",
        "generations/gen-001.csv",
    ] {
        std::fs::copy(d.join("one").join(f), d.join("res.partial").join(f)).unwrap();
    }
    cal(d, &["--out", "res", "--resume"]).success();
    same_files(&d.join("one"), &d.join("res"));
    // Shards: two slices of generation 0, assembled by the resume.
    for sh in ["0/2", "1/2"] {
        cal(d, &["--out", "sh", "--shard", sh]).success();
    }
    assert!(
        d.join("sh.partial/generations/gen-000.shard-1-of-2.csv")
            .exists()
    );
    assert!(!d.join("sh.partial/generations/gen-000.csv").exists());
    cal(d, &["--out", "sh", "--resume"]).success();
    same_files(&d.join("one"), &d.join("sh"));
    // And two slices of a later generation (2), from a run killed after 1.
    std::fs::create_dir_all(d.join("sh2.partial/generations")).unwrap();
    for f in [
        "manifest.json",
        "generations/gen-000.csv",
        "generations/gen-001.csv",
    ] {
        std::fs::copy(d.join("one").join(f), d.join("sh2.partial").join(f)).unwrap();
    }
    for sh in ["1/2", "0/2"] {
        cal(d, &["--out", "sh2", "--shard", sh]).success();
    }
    assert!(
        d.join("sh2.partial/generations/gen-002.shard-0-of-2.csv")
            .exists()
    );
    cal(d, &["--out", "sh2", "--resume"]).success();
    same_files(&d.join("one"), &d.join("sh2"));
    // The random-walk kernel is deterministic too, differs from the
    // default, and a folder started with one kernel is not resumed with
    // the other.
    let rw = ["--kernel", "random-walk"];
    cal(d, &[&rw[..], &["--out", "rw1", "--threads", "1"]].concat()).success();
    cal(d, &[&rw[..], &["--out", "rw2", "--threads", "2"]].concat()).success();
    same_files(&d.join("rw1"), &d.join("rw2"));
    assert_ne!(
        std::fs::read(d.join("one/posterior.csv")).unwrap(),
        std::fs::read(d.join("rw1/posterior.csv")).unwrap()
    );
    cal(d, &["--out", "k", "--shard", "0/2"]).success();
    cal(d, &[&rw[..], &["--out", "k", "--resume"]].concat())
        .code(2)
        .stderr(predicate::str::contains("differs in `kernel`"));
    cal(d, &["--out", "bad", "--kernel", "walk"])
        .code(2)
        .stderr(predicate::str::contains("normal-score or random-walk"));
}

/// Rows of a CSV file written by a calibration.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    common::csv_records(path)
}

/// The demo calibration (README) with each kernel: both 90% intervals
/// contain the values the observations were simulated with
/// (trust.initial = 0.5, barriers.unwilling.weight = 0.35), and
/// `schedule.csv`'s distinct counts and pooled ESS are consistent (all
/// prior draws distinct, pooled ESS never above the distinct count nor the
/// ESS the tolerance kept). The two kernels' figures are printed; on this
/// problem (a posterior far from the priors' edges) they are close.
#[test]
fn both_kernels_recover_the_demo_truth() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for kernel in ["normal-score", "random-walk"] {
        let out = tmp.path().join(kernel);
        Command::cargo_bin("tiaokuai")
            .unwrap()
            .current_dir(root)
            .arg("calibrate")
            .arg("scenarios/calibration-demo.toml")
            .args(["--targets", "data/targets/demo.csv", "--quiet"])
            .args(["--kernel", kernel, "--out"])
            .arg(&out)
            .assert()
            .success();
        for (p, truth) in rows(&out.join("parameters.csv")).iter().zip([0.5, 0.35]) {
            let q = |k: &str| p[k].parse::<f64>().unwrap();
            assert!(
                q("posterior_p05") <= truth && truth <= q("posterior_p95"),
                "{kernel}: {} interval {}..{} misses {truth}",
                p["parameter"],
                q("posterior_p05"),
                q("posterior_p95")
            );
        }
        let sched = rows(&out.join("schedule.csv"));
        let num = |g: &HashMap<String, String>, k: &str| g[k].parse::<f64>().unwrap();
        assert_eq!(num(&sched[0], "distinct"), 200.0);
        for g in &sched {
            assert!(num(g, "distinct_ess") <= num(g, "distinct") + 1e-9);
            assert!(num(g, "distinct") <= 200.0);
        }
        let last = &sched[sched.len() - 1];
        let sims: f64 = sched.iter().map(|g| num(g, "simulations")).sum();
        eprintln!(
            "{kernel}: simulations {sims}, last generation distinct {}, distinct ESS {}",
            last["distinct"], last["distinct_ess"]
        );
    }
}

#[test]
fn bad_targets_and_priors_exit_2_with_a_located_message() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            PRIORS,
            "scope,metric,year,value,sd\nwrold,trust,1,0.3,0.1\n",
            &[
                "t.csv:2:1",
                "unknown scope `wrold`",
                "did you mean `world:world`",
            ],
        ),
        (
            PRIORS,
            "scope,metric,year,value,sd\nworld,trsut,1,0.3,0.1\n",
            &[
                "t.csv:2:7",
                "unknown metric `trsut`",
                "did you mean `trust`",
            ],
        ),
        (
            PRIORS,
            "scope,metric,year,value,sd\nworld,trust,12,0.3,0.1\n",
            &["t.csv:2:13", "year 12 is outside the run", "0 to 5"],
        ),
        (
            PRIORS,
            "kind,scope,metric,year,value,sd\nrnak,world,trust,1,0.3,0.1\n",
            &["t.csv:2:1", "did you mean `rank`"],
        ),
        (
            "[[uncertainty]]\npath = \"trust.intial\"\ndist = \"uniform\"\nlow = 0.1\nhigh = 0.5\n",
            "scope,metric,year,value,sd\nworld,trust,1,0.3,0.1\n",
            &[
                "s.toml",
                "uncertainty[0].path",
                "unknown parameter path `trust.intial`",
                "did you mean `trust.initial`",
            ],
        ),
        (
            // trust.gain must stay below trust.loss (0.12): every prior draw is invalid.
            "[[uncertainty]]\npath = \"trust.gain\"\ndist = \"uniform\"\nlow = 0.2\nhigh = 0.3\n",
            "scope,metric,year,value,sd\nworld,trust,1,0.3,0.1\n",
            &[
                "zero accepted particles",
                "line 2: value:world:trust:1 — never simulated",
            ],
        ),
    ];
    for (i, (priors, targets, needles)) in cases.into_iter().enumerate() {
        write_inputs(d, priors, targets);
        let x = format!("x{i}");
        let out = cal(d, &["--out", &x]).code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        for n in needles {
            assert!(err.contains(n), "`{n}` not in: {err}");
        }
        assert!(!d.join(&x).exists(), "no output folder after an error");
        assert!(
            !d.join(format!("{x}.partial")).exists(),
            "no unfinished folder after an error"
        );
    }
}

/// Six real provinces at city depth: holdout scores and K-fold
/// cross-validation over provinces.
#[test]
fn holdout_and_folds_score_targets_never_fitted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let sc = r#"name = "cv"
[run]
years = 3
replicates = 1
seed = 9
[world]
preset = "china"
depth = "city"
provinces = ["guangdong", "sichuan", "henan", "gansu", "jilin", "zhejiang"]
[[strategy]]
name = "status-quo"
[[uncertainty]]
path = "trust.initial"
dist = "uniform"
low = 0.15
high = 0.75
"#;
    std::fs::write(d.join("cv.toml"), sc).unwrap();
    let mut t = String::from("kind,scope,metric,year,value,sd,threshold\n");
    for (p, v) in [
        ("guangdong", 57.0),
        ("sichuan", 52.5),
        ("henan", 53.3),
        ("gansu", 52.0),
        ("jilin", 53.0),
        ("zhejiang", 58.0),
    ] {
        t.push_str(&format!("value,province:{p},maturity_index,3,{v},1,\n"));
    }
    t.push_str("value,world,trust,0,0.414,0.01,\ncount,provinces,maturity_index,3,2,0.5,55\n");
    std::fs::write(d.join("t.csv"), t).unwrap();
    std::fs::write(
        d.join("h.csv"),
        "kind,scope,metric,year,value,sd\nrank,province:zhejiang,maturity_index,3,1,0.5\nrank,province:gansu,maturity_index,3,6,0.5\nrank,province:henan,maturity_index,3,3,0.5\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        Command::cargo_bin("tiaokuai")
            .unwrap()
            .current_dir(d)
            .args([
                "calibrate",
                "cv.toml",
                "--targets",
                "t.csv",
                "--particles",
                "30",
                "--generations",
                "2",
                "--quiet",
            ])
            .args(extra)
            .assert()
    };
    run(&["--holdout", "h.csv", "--folds", "3", "--out", "o"]).success();
    let h = std::fs::read_to_string(d.join("o/holdout.csv")).unwrap();
    assert!(
        h.starts_with("set,kind,n,rmse,spearman,kendall,tier_accuracy\nholdout,rank,3,"),
        "{h}"
    );
    let cv = std::fs::read_to_string(d.join("o/crossval.csv")).unwrap();
    for f in [
        "fold-1,value,2,",
        "fold-2,value,2,",
        "fold-3,value,2,",
        "all-folds,value,6,",
    ] {
        assert!(cv.contains(f), "{f} not in {cv}");
    }
    let fit = std::fs::read_to_string(d.join("o/fit.csv")).unwrap();
    assert_eq!(fit.lines().filter(|l| l.contains(",holdout,")).count(), 3);
    assert_eq!(fit.lines().filter(|l| l.contains(",fit,")).count(), 8);
    // Seven folds need seven provinces.
    run(&["--folds", "7", "--out", "o7"])
        .code(2)
        .stderr(predicate::str::contains(
            "--folds 7 needs targets naming at least 7 provinces",
        ));
}

/// With `run.start_year`, target years are calendar years: 2020 is the end
/// of simulated year 5 of a run starting in 2016, and 2012 lies before the
/// run. Without it (the control) 2020 is a simulation year outside the run.
#[test]
fn calendar_years_follow_run_start_year() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let calendar = scenario(PRIORS).replace("seed = 3\n", "seed = 3\nstart_year = 2016\n");
    let target = |year: u32| format!("scope,metric,year,value,sd\nworld,trust,{year},0.4,0.1\n");
    let check = |text: &str, year: u32, out: &str| {
        std::fs::write(d.join("s.toml"), text).unwrap();
        std::fs::write(d.join("t.csv"), target(year)).unwrap();
        let err = cal(d, &["--out", out]);
        String::from_utf8_lossy(&err.get_output().stderr).into_owned()
    };
    let ok = check(&calendar, 2020, "a");
    assert!(!ok.contains("outside the run"), "{ok}");
    assert!(check(&calendar, 2012, "b").contains("year 2012 is outside the run"));
    assert!(check(&scenario(PRIORS), 2020, "c").contains("year 2020 is outside the run"));
}
