//! Engine tests with a small analytic model standing in for the simulator.

use std::path::Path;

use super::plan::{Method, Plan, Shard};
use super::*;
use crate::design::{DesignKind, Distribution, ExperimentSpec, Uncertainty, rng};

struct Toy {
    metrics: Vec<String>,
    replicates: usize,
}

impl Model for Toy {
    fn metrics(&self) -> &[String] {
        &self.metrics
    }
    fn run_point(
        &self,
        v: &[f64],
        seed: u64,
        strategies: &[usize],
    ) -> std::result::Result<Vec<StrategyOutcome>, String> {
        if v[0] > 0.95 {
            return Err(format!("a = {} is above 0.95", v[0]));
        }
        Ok(strategies
            .iter()
            .map(|&s| {
                if s == 1 && v[1] > 5.9 {
                    return Err("strategy b cannot run with b > 5.9".into());
                }
                Ok((0..self.replicates)
                    .map(|r| {
                        let noise = rng::unit(&mut rng::generator(seed, "toy", r as u64)) - 0.5;
                        vec![
                            3.0 * v[0] + v[1] * v[1] + s as f64 + 0.1 * noise,
                            v[0] * v[1],
                        ]
                    })
                    .collect())
            })
            .collect())
    }
}

fn toy() -> Toy {
    Toy {
        metrics: vec!["y".into(), "z".into()],
        replicates: 3,
    }
}

fn params() -> Vec<Uncertainty> {
    vec![
        Uncertainty {
            path: "a.x".into(),
            dist: Distribution::uniform(0.0, 1.0).unwrap(),
            levels: None,
        },
        Uncertainty {
            path: "b".into(),
            dist: Distribution::uniform(5.0, 6.0).unwrap(),
            levels: None,
        },
    ]
}

fn sc() -> files::ScenarioInfo {
    files::ScenarioInfo {
        name: "toy".into(),
        file: "toy.toml".into(),
        sha256: "abc".into(),
        text: "[[uncertainty]]\npath = \"a.x\"\ndist = \"uniform\"\nlow = 0.0\nhigh = 1.0\n\n[[uncertainty]]\npath = \"b\"\ndist = \"uniform\"\nlow = 5.0\nhigh = 6.0\n".into(),
        years: 1,
    }
}

fn sweep_plan() -> Plan {
    let spec = ExperimentSpec {
        design: DesignKind::Lhs,
        samples: 40,
        seed: None,
    };
    Plan::new(
        Method::Sweep(spec),
        params(),
        vec!["a".into(), "b".into()],
        3,
        11,
    )
    .unwrap()
}

fn opts(out: &Path) -> RunOptions {
    RunOptions {
        out: out.to_path_buf(),
        force: false,
        resume: false,
        quiet: true,
        threads: Some(2),
        shard: None,
    }
}

fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f)).unwrap()
}

#[test]
fn sweep_writes_rows_in_id_order_and_records_failures() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let plan = sweep_plan();
    let rep = run(&plan, &toy(), &sc(), &opts(&out)).unwrap();
    assert_eq!(rep.experiments, 80);
    let exp = read(&out, files::EXPERIMENTS);
    let lines: Vec<&str> = exp.lines().collect();
    assert_eq!(
        lines[0],
        "experiment,point,strategy,a.x,b,seed,status,reason"
    );
    assert_eq!(lines.len(), 81);
    for (i, l) in lines[1..].iter().enumerate() {
        assert_eq!(files::line_id(l), Some(i));
    }
    let failed = lines.iter().filter(|l| l.contains(",failed,")).count();
    assert!(
        failed > 0 && failed == rep.failed,
        "{failed} vs {}",
        rep.failed
    );
    assert!(exp.contains("is above 0.95") || exp.contains("cannot run"));
    // Outcomes: replicates × metrics rows for every ok experiment.
    let ok = 80 - failed;
    assert_eq!(read(&out, files::OUTCOMES).lines().count(), 1 + ok * 3 * 2);
    let man = files::read_manifest(&out).unwrap();
    assert_eq!(man["complete"], true);
    assert_eq!(man["failed"], failed);
    assert!(!partial_dir(&out).exists());
    // Same seed, other thread count: byte-identical.
    let out1 = tmp.path().join("s1");
    run(
        &plan,
        &toy(),
        &sc(),
        &RunOptions {
            threads: Some(1),
            ..opts(&out1)
        },
    )
    .unwrap();
    assert_eq!(exp, read(&out1, files::EXPERIMENTS));
    assert_eq!(read(&out, files::OUTCOMES), read(&out1, files::OUTCOMES));
}

#[test]
fn existing_output_needs_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "x").unwrap();
    let e = run(&sweep_plan(), &toy(), &sc(), &opts(&out)).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(out.join("keep.txt").exists());
    let forced = RunOptions {
        force: true,
        ..opts(&out)
    };
    // --force replaces only a folder this tool wrote.
    let e = run(&sweep_plan(), &toy(), &sc(), &forced).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(out.join("keep.txt").exists());
    std::fs::write(out.join("manifest.json"), r#"{"format":"tiaokuai-sweep"}"#).unwrap();
    run(&sweep_plan(), &toy(), &sc(), &forced).unwrap();
    assert!(!out.join("keep.txt").exists());
}

/// Simulate a kill: keep the first `keep` experiment rows, cut the next line
/// in half and leave stray outcome rows, as a crash mid-chunk would.
fn simulate_kill(done: &Path, keep: usize) -> std::path::PathBuf {
    let part = partial_dir(done);
    std::fs::rename(done, &part).unwrap();
    let exp = read(&part, files::EXPERIMENTS);
    let lines: Vec<&str> = exp.lines().collect();
    let mut cut = lines[..=keep].join("\n") + "\n";
    cut.push_str(&lines[keep + 1][..5]);
    std::fs::write(part.join(files::EXPERIMENTS), cut).unwrap();
    let mut man = files::read_manifest(&part).unwrap();
    man["complete"] = false.into();
    files::write_manifest(&part, &man).unwrap();
    part
}

#[test]
fn resume_after_a_kill_finishes_with_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    let plan = sweep_plan();
    run(&plan, &toy(), &sc(), &opts(&full)).unwrap();
    let killed = tmp.path().join("killed");
    run(&plan, &toy(), &sc(), &opts(&killed)).unwrap();
    simulate_kill(&killed, 23);
    // Without --resume the unfinished folder is not touched.
    let e = run(&plan, &toy(), &sc(), &opts(&killed)).unwrap_err();
    assert!(e.to_string().contains("--resume"), "{e}");
    let resume = || {
        let o = RunOptions {
            resume: true,
            ..opts(&killed)
        };
        run(&plan, &toy(), &sc(), &o).unwrap()
    };
    let rep = resume();
    assert_eq!(rep.resumed, 23);
    for f in [files::EXPERIMENTS, files::OUTCOMES] {
        assert_eq!(read(&full, f), read(&killed, f), "{f}");
    }
    // Resuming a finished study does nothing.
    let rep = resume();
    assert!(rep.already_complete);
}

#[test]
fn resume_refuses_another_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let plan = sweep_plan();
    run(&plan, &toy(), &sc(), &opts(&out)).unwrap();
    simulate_kill(&out, 5);
    let other = files::ScenarioInfo {
        sha256: "def".into(),
        ..sc()
    };
    let e = run(
        &plan,
        &toy(),
        &other,
        &RunOptions {
            resume: true,
            ..opts(&out)
        },
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("scenario"), "{e}");
    assert!(partial_dir(&out).join(files::EXPERIMENTS).exists());
}

fn shards_then_merge(plan: &Plan, tmp: &Path, n: usize) -> std::path::PathBuf {
    let parts: Vec<_> = (0..n)
        .map(|i| {
            let p = tmp.join(format!("part{i}"));
            let shard = Some(Shard { index: i, count: n });
            run(plan, &toy(), &sc(), &RunOptions { shard, ..opts(&p) }).unwrap();
            p
        })
        .collect();
    let merged = tmp.join("merged");
    merge::merge(&parts, &merged, false).unwrap();
    merged
}

#[test]
fn three_shards_merged_equal_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = sweep_plan();
    let whole = tmp.path().join("whole");
    run(&plan, &toy(), &sc(), &opts(&whole)).unwrap();
    let merged = shards_then_merge(&plan, tmp.path(), 3);
    for f in [files::EXPERIMENTS, files::OUTCOMES, files::SCENARIO] {
        assert_eq!(read(&whole, f), read(&merged, f), "{f}");
    }
    let (a, b) = (
        files::read_manifest(&whole).unwrap(),
        files::read_manifest(&merged).unwrap(),
    );
    assert_eq!(files::identity_mismatch(&a, &b), None);
    assert_eq!(a["failed"], b["failed"]);
}

#[test]
fn sensitivity_shards_merge_to_the_same_indices() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = Plan::new(
        Method::Sobol {
            n: 64,
            second_order: false,
        },
        params(),
        vec!["a".into()],
        3,
        5,
    )
    .unwrap();
    let whole = tmp.path().join("whole");
    run(&plan, &toy(), &sc(), &opts(&whole)).unwrap();
    let merged = shards_then_merge(&plan, tmp.path(), 3);
    for f in [
        analysis::DESIGN,
        analysis::OUTPUTS,
        analysis::SENSITIVITY,
        files::OUTCOMES,
    ] {
        assert_eq!(read(&whole, f), read(&merged, f), "{f}");
    }
    let sens = read(&whole, analysis::SENSITIVITY);
    assert!(sens.starts_with("metric,parameter,method,index,value,ci95_low,ci95_high\n"));
    // Points with a > 0.95 failed, so every metric is skipped in this design.
    assert_eq!(sens.lines().count(), 1, "{sens}");
    assert_eq!(read(&whole, analysis::DESIGN).lines().count(), 1 + 64 * 4);
}

#[test]
fn sensitivity_of_the_toy_model_ranks_b_first() {
    let tmp = tempfile::tempdir().unwrap();
    let safe = vec![
        Uncertainty {
            path: "a.x".into(),
            dist: Distribution::uniform(0.0, 0.9).unwrap(),
            levels: None,
        },
        Uncertainty {
            path: "b".into(),
            dist: Distribution::uniform(5.0, 5.8).unwrap(),
            levels: None,
        },
    ];
    let plan = Plan::new(
        Method::Sobol {
            n: 128,
            second_order: true,
        },
        safe.clone(),
        vec!["a".into()],
        3,
        5,
    )
    .unwrap();
    let out = tmp.path().join("sobol");
    let rep = run(&plan, &toy(), &sc(), &opts(&out)).unwrap();
    assert!(rep.skipped.is_empty(), "{:?}", rep.skipped);
    let sens = read(&out, analysis::SENSITIVITY);
    let get = |m: &str, p: &str, i: &str| -> f64 {
        sens.lines()
            .find(|l| l.starts_with(&format!("{m},{p},sobol,{i},")))
            .and_then(|l| l.split(',').nth(4))
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    // y = 3a + b² + noise: Var(3a) = 9·0.81/12 ≈ 0.61, Var(b²) ≈ 4·5.4²·0.64/12 ≈ 6.2.
    assert!(get("y", "b", "S1") > 0.8 && get("y", "a.x", "S1") < 0.2);
    assert!(sens.contains("y,replicate_noise,sobol,noise_share,"));
    assert!(sens.contains("y,a.x:b,sobol,S2,"));
    let plan = Plan::new(
        Method::Morris { r: 20, levels: 4 },
        safe,
        vec!["a".into()],
        2,
        5,
    )
    .unwrap();
    let out = tmp.path().join("morris");
    run(&plan, &toy(), &sc(), &opts(&out)).unwrap();
    let sens = read(&out, analysis::SENSITIVITY);
    assert!(sens.contains("z,b,morris,mu_star,"));
}

#[test]
fn merge_reports_missing_duplicate_and_foreign_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = sweep_plan();
    let part = |i: usize, n: usize, name: &str, sc: &files::ScenarioInfo| {
        let p = tmp.path().join(name);
        run(
            &plan,
            &toy(),
            sc,
            &RunOptions {
                shard: Some(Shard { index: i, count: n }),
                ..opts(&p)
            },
        )
        .unwrap();
        p
    };
    let p0 = part(0, 2, "p0", &sc());
    let p1 = part(1, 2, "p1", &sc());
    let out = tmp.path().join("m");
    let e = merge::merge(std::slice::from_ref(&p0), &out, false).unwrap_err();
    assert!(e.to_string().contains("missing shard(s) 1 of 2"), "{e}");
    let e = merge::merge(&[p0.clone(), p0.clone()], &out, false).unwrap_err();
    assert!(e.to_string().contains("given twice"), "{e}");
    let foreign = part(
        1,
        2,
        "foreign",
        &files::ScenarioInfo {
            sha256: "zzz".into(),
            ..sc()
        },
    );
    let e = merge::merge(&[p0.clone(), foreign], &out, false).unwrap_err();
    assert!(e.to_string().contains("different studies"), "{e}");
    assert_eq!(e.exit_code(), 2);
    assert!(!out.exists());
    merge::merge(&[p1, p0], &out, false).unwrap();
    assert!(out.join(files::EXPERIMENTS).exists());
}
