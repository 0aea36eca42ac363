//! `tiaokuai sweep`, `sensitivity` and `merge` run as the real binary on a
//! small scenario written by the test: kill and resume, shards and merge,
//! failed runs, file formats and bad input.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

/// A small world (4 cities, counties only, 2 years) so runs are quick.
fn scenario(extra: &str) -> String {
    format!(
        r#"name = "small"
[run]
years = 2
replicates = 2
seed = 5
[world]
preset = "province"
depth = "county"
cities = 4
counties_per_city = 3
[[strategy]]
name = "local"
platforms = "local"
[[strategy]]
name = "provincial"
platforms = "provincial"
standards = "provincial"
[[uncertainty]]
path = "barriers.dare_not.weight"
dist = "uniform"
low = 0.2
high = 0.6
{extra}"#
    )
}

const TRUST: &str = r#"
[[uncertainty]]
path = "trust.gain"
dist = "uniform"
low = 0.05
high = 0.2
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// A scratch folder holding `s.toml`, the small scenario with `extra`.
fn study(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let sc = write(tmp.path(), "s.toml", &scenario(extra));
    (tmp, sc)
}

/// `tiaokuai sweep SC --out OUT` followed by `more`.
fn sweep(sc: &Path, out: &Path, more: &[&str]) -> Command {
    let mut c = tk();
    c.args(["sweep", s(sc), "--out", s(out)]).args(more);
    c
}

/// Shard `i` of `n` of `sc` into `out`, quietly, followed by `more`; it
/// must succeed.
fn shard(sc: &Path, i: usize, n: usize, out: &Path, more: &[&str]) {
    let spec = format!("{i}/{n}");
    sweep(sc, out, &["--shard", &spec, "-q"])
        .args(more)
        .assert()
        .success();
}

fn tk() -> Command {
    Command::cargo_bin("tiaokuai").unwrap()
}

fn read(dir: &Path, f: &str) -> String {
    std::fs::read_to_string(dir.join(f))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(f).display()))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn killed_sweep_resumes_to_the_same_files() {
    let (tmp, sc) = study(&format!(
        "{TRUST}[experiment]\ndesign = \"lhs\"\nsamples = 600\n"
    ));
    let full = tmp.path().join("full");
    sweep(&sc, &full, &["--quiet"]).assert().success();

    let out = tmp.path().join("killed");
    let partial = tmp.path().join("killed.partial");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tiaokuai"))
        .args([
            "sweep",
            s(&sc),
            "--out",
            s(&out),
            "--quiet",
            "--threads",
            "1",
        ])
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        let rows = std::fs::read_to_string(partial.join("experiments.csv"))
            .map_or(0, |t| t.lines().count());
        if rows > 20 || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        partial.exists() && !out.exists(),
        "the sweep finished before it could be killed"
    );
    let before = read(&partial, "experiments.csv").lines().count();
    assert!(before < 1201, "killed mid-way");

    // Without --resume the unfinished folder is refused, not overwritten.
    sweep(&sc, &out, &["--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--resume"));
    sweep(&sc, &out, &["--resume"])
        .assert()
        .success()
        .stdout(predicate::str::contains("resumed"));
    assert!(!partial.exists());
    for f in ["experiments.csv", "outcomes.csv", "scenario.toml"] {
        assert!(read(&full, f) == read(&out, f), "{f} differs after resume");
    }
    // Resuming a finished sweep does nothing.
    sweep(&sc, &out, &["--resume"])
        .assert()
        .success()
        .stdout(predicate::str::contains("already complete"));
}

#[test]
fn resume_refuses_a_changed_scenario() {
    let (tmp, sc) = study("[experiment]\ndesign = \"lhs\"\nsamples = 4\n");
    let out = tmp.path().join("o");
    sweep(&sc, &out, &["-q"]).assert().success();
    // Pretend it was killed: rename to .partial, then edit the scenario.
    std::fs::rename(&out, tmp.path().join("o.partial")).unwrap();
    write(
        tmp.path(),
        "s.toml",
        &scenario("[experiment]\ndesign = \"lhs\"\nsamples = 4\nseed = 9\n"),
    );
    sweep(&sc, &out, &["--resume"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot resume"));
}

#[test]
fn three_shards_merged_equal_the_unsharded_sweep() {
    let (tmp, sc) = study(&format!(
        "{TRUST}[experiment]\ndesign = \"montecarlo\"\nsamples = 10\n"
    ));
    let whole = tmp.path().join("whole");
    sweep(&sc, &whole, &["-q"]).assert().success();
    let mut parts = Vec::new();
    for i in 0..3 {
        let p = tmp.path().join(format!("part-{i}"));
        shard(&sc, i, 3, &p, &[]);
        parts.push(p);
    }
    // A missing shard is reported and nothing is written.
    let merged = tmp.path().join("merged");
    tk().args(["merge", s(&parts[0]), s(&parts[2]), "--out", s(&merged)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing shard(s) 1 of 3"));
    assert!(!merged.exists());
    tk().args([
        "merge",
        s(&parts[2]),
        s(&parts[0]),
        s(&parts[1]),
        "--out",
        s(&merged),
    ])
    .assert()
    .success();
    for f in ["experiments.csv", "outcomes.csv", "scenario.toml"] {
        assert!(
            read(&whole, f) == read(&merged, f),
            "{f} differs after merge"
        );
    }
}

#[test]
fn failed_runs_are_recorded_and_the_sweep_goes_on() {
    let (tmp, sc) = study(&format!(
        "{TRUST}[experiment]\ndesign = \"lhs\"\nsamples = 20\n"
    ));
    let out = tmp.path().join("o");
    sweep(&sc, &out, &[])
        .assert()
        .success()
        .stdout(predicate::str::contains("failed"));
    let exp = read(&out, "experiments.csv");
    assert!(exp.starts_with(
        "experiment,point,strategy,barriers.dare_not.weight,trust.gain,seed,status,reason\n"
    ));
    let failed: Vec<&str> = exp.lines().filter(|l| l.contains(",failed,")).collect();
    let ok = exp.lines().filter(|l| l.contains(",ok,")).count();
    assert!(!failed.is_empty() && ok > 0, "{exp}");
    assert!(failed.iter().all(|l| l.contains("must exceed trust.gain")));
    // Failed experiments have no outcome rows; ok ones have replicates × metrics.
    let outcomes = read(&out, "outcomes.csv");
    let ids: std::collections::BTreeSet<&str> = outcomes
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(ids.len(), ok);
    for l in &failed {
        assert!(!ids.contains(l.split(',').next().unwrap()));
    }
}

#[test]
fn grid_design_uses_listed_values_and_integer_keys_stay_integers() {
    let tmp = tempfile::tempdir().unwrap();
    let extra = "[[uncertainty]]\npath = \"world.cities\"\ndist = \"categorical\"\nvalues = [3, 5]\n[experiment]\ndesign = \"grid\"\n";
    let sc = write(
        tmp.path(),
        "s.toml",
        &scenario(&extra.replace("[[uncertainty]]", "levels = 2\n[[uncertainty]]")),
    );
    let out = tmp.path().join("o");
    tk().args([
        "sweep",
        s(&sc),
        "--out",
        s(&out),
        "-q",
        "--strategy",
        "local",
    ])
    .assert()
    .success();
    let exp = read(&out, "experiments.csv");
    let rows: Vec<Vec<&str>> = exp
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 4, "2 levels × 2 values × 1 strategy");
    assert_eq!(
        rows.iter().map(|r| r[4]).collect::<Vec<_>>(),
        ["3", "5", "3", "5"]
    );
    // levels = 2 on uniform(0.2, 0.6): the quantiles at 1/4 and 3/4.
    assert_eq!(rows[0][3], (0.2 + 0.25 * (0.6 - 0.2)).to_string());
    assert_eq!(rows[2][3], (0.2 + 0.75 * (0.6 - 0.2)).to_string());
    assert!(rows.iter().all(|r| r[6] == "ok"));
}

#[test]
fn sensitivity_writes_salib_files_and_indices() {
    let tmp = tempfile::tempdir().unwrap();
    let extra = "[[uncertainty]]\npath = \"standards.cross_standard_usability\"\ndist = \"uniform\"\nlow = 0.3\nhigh = 0.8\n";
    let sc = write(tmp.path(), "s.toml", &scenario(extra));
    let out = tmp.path().join("sobol");
    tk().args([
        "sensitivity",
        s(&sc),
        "--method",
        "sobol",
        "--samples",
        "8",
        "--second-order",
        "--out",
        s(&out),
        "-q",
    ])
    .assert()
    .success();
    let design = read(&out, "design.csv");
    assert!(design.starts_with("barriers.dare_not.weight,standards.cross_standard_usability\n"));
    assert_eq!(design.lines().count(), 1 + 8 * (2 * 2 + 2));
    let outputs = read(&out, "outputs.csv");
    assert!(outputs.starts_with("collab_index,"));
    assert_eq!(outputs.lines().count(), design.lines().count());
    let sens = read(&out, "sensitivity.csv");
    assert!(sens.starts_with("metric,parameter,method,index,value,ci95_low,ci95_high\n"));
    for needle in [
        "collab_index,barriers.dare_not.weight,sobol,S1,",
        "collab_index,standards.cross_standard_usability,sobol,ST,",
        "collab_index,barriers.dare_not.weight:standards.cross_standard_usability,sobol,S2,",
        "collab_index,replicate_noise,sobol,noise_share,",
    ] {
        assert!(sens.contains(needle), "{needle}");
    }
    let out = tmp.path().join("morris");
    tk().args([
        "sensitivity",
        s(&sc),
        "--method",
        "morris",
        "--samples",
        "4",
        "--out",
        s(&out),
        "-q",
    ])
    .assert()
    .success();
    assert_eq!(read(&out, "design.csv").lines().count(), 1 + 4 * (2 + 1));
    assert!(
        read(&out, "sensitivity.csv")
            .contains("collab_index,barriers.dare_not.weight,morris,mu_star,")
    );
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let cases: [(&str, &[&str], &str); 9] = [
        (
            "[[uncertainty]]\npath = \"barriers.dare_not.wieght\"\ndist = \"uniform\"\nlow = 0\nhigh = 1\n[experiment]\nsamples = 2\n",
            &[],
            "did you mean `barriers.dare_not.weight`?",
        ),
        (
            "[[uncertainty]]\npath = \"world.preset\"\ndist = \"uniform\"\nlow = 0\nhigh = 1\n[experiment]\nsamples = 2\n",
            &[],
            "not a number",
        ),
        (
            "[[uncertainty]]\npath = \"trust.loss\"\ndist = \"uniform\"\nlow = 0.5\nhigh = 0.5\n[experiment]\nsamples = 2\n",
            &[],
            "must be less than `high`",
        ),
        (
            "[[uncertainty]]\npath = \"trust.loss\"\ndist = \"normal\"\nmean = 0.5\nsd = 0\n[experiment]\nsamples = 2\n",
            &[],
            "`sd` must be greater than 0",
        ),
        (
            "[experiment]\nsamples = 2\n",
            &["--shard", "3/2"],
            "out of range for 2 shards",
        ),
        (
            "[experiment]\nsamples = 2\n",
            &["--shard", "0/0"],
            "shard count must be at least 1",
        ),
        ("[experiment]\ndesign = \"lhs\"\n", &[], "needs `samples`"),
        ("", &[], "no [experiment] section"),
        (
            "[experiment]\nsamples = 2\n",
            &["--strategy", "provincal"],
            "did you mean `provincial`?",
        ),
    ];
    for (extra, flags, msg) in cases {
        let sc = write(tmp.path(), "bad.toml", &scenario(extra));
        sweep(&sc, &out, &[])
            .args(flags)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg));
        // `validate` finds the same mistakes in the study sections.
        if flags.is_empty() && !extra.is_empty() {
            tk().args(["validate", s(&sc)])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(msg));
        }
        assert!(
            !out.exists() && !tmp.path().join("o.partial").exists(),
            "{msg}"
        );
    }
    let sc = write(tmp.path(), "s.toml", &scenario(""));
    tk().args([
        "sensitivity",
        s(&sc),
        "--method",
        "sobolx",
        "--out",
        s(&out),
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("did you mean `sobol`?"));
    tk().args([
        "sensitivity",
        s(&sc),
        "--method",
        "morris",
        "--levels",
        "3",
        "--out",
        s(&out),
    ])
    .assert()
    .code(2)
    .stderr(predicate::str::contains("even"));
    assert!(!out.exists());
}

#[test]
fn validate_describes_a_study() {
    let (_tmp, sc) = study(&format!("{TRUST}[experiment]\nsamples = 3\n"));
    tk().args(["validate", s(&sc)])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "study: 2 uncertain parameter(s), lhs design: 3 points × 2 strategies × 2 replicates = 12 runs",
        ));
}

#[test]
fn design_errors_name_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let text = scenario("").replace("[[uncertainty]]", "[experiment]\nsamples = 2\n[[x]]");
    let text = text.split("[[x]]").next().unwrap().to_string();
    let sc = write(tmp.path(), "plain.toml", &text);
    for cmd in ["sweep", "validate"] {
        tk().args([cmd, s(&sc)])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("plain.toml"))
            .stderr(predicate::str::contains("no [[uncertainty]] entries"));
    }
}

#[test]
fn merge_refuses_parts_of_different_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    let a = write(
        tmp.path(),
        "a.toml",
        &scenario("[experiment]\nsamples = 4\n"),
    );
    let b = write(
        tmp.path(),
        "b.toml",
        &scenario("[experiment]\nsamples = 4\nseed = 1\n"),
    );
    let (pa, pb) = (tmp.path().join("pa"), tmp.path().join("pb"));
    shard(&a, 0, 2, &pa, &[]);
    shard(&b, 1, 2, &pb, &[]);
    let out = tmp.path().join("m");
    tk().args(["merge", s(&pa), s(&pb), "--out", s(&out)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("different studies"));
    assert!(!out.exists());
    tk().args(["merge", s(&pa), s(&pa), "--out", s(&out)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("given twice"));
}

#[test]
fn merge_check_lists_finished_unfinished_and_missing_shards() {
    let (tmp, sc) = study("[experiment]\ndesign = \"montecarlo\"\nsamples = 10\n");
    let part = |i: usize| tmp.path().join(format!("part-{i}"));
    for i in [0, 1, 3] {
        shard(&sc, i, 4, &part(i), &[]);
    }
    // Shard 1 as a kill leaves it: in `part-1.partial`, not complete, one row cut.
    let partial = tmp.path().join("part-1.partial");
    std::fs::rename(part(1), &partial).unwrap();
    let man = read(&partial, "manifest.json").replace("\"complete\": true", "\"complete\": false");
    std::fs::write(partial.join("manifest.json"), man).unwrap();
    let rows = read(&partial, "experiments.csv");
    let kept: Vec<&str> = rows.lines().take(3).collect();
    std::fs::write(partial.join("experiments.csv"), kept.join("\n") + "\n").unwrap();
    let before: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();

    let parts: Vec<PathBuf> = (0..4).map(part).collect();
    let check = || {
        let mut c = tk();
        c.arg("merge").args(&parts).arg("--check");
        c
    };
    // Points 0, 4, 8 × 2 strategies in shard 0; points 1, 5, 9 in shard 1 (2 rows kept).
    check()
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "shard 0/4  finished    6/6 experiments",
        ))
        .stdout(predicate::str::contains(
            "shard 1/4  unfinished  2/6 experiments",
        ))
        .stdout(predicate::str::contains("part-1.partial"))
        .stdout(predicate::str::contains("shard 2/4  missing"))
        .stdout(predicate::str::contains(
            "shard 3/4  finished    4/4 experiments",
        ))
        .stderr(predicate::str::contains(
            "incomplete: 2 of 4 shards finished; unfinished: 1; missing: 2",
        ))
        .stderr(predicate::str::contains("run shard(s) 1, 2 again"));
    let after: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(before.len(), after.len(), "--check wrote something");

    // Re-run the missing shard and resume the unfinished one: complete.
    shard(&sc, 2, 4, &part(2), &[]);
    shard(&sc, 1, 4, &part(1), &["--resume"]);
    check()
        .assert()
        .success()
        .stdout(predicate::str::contains("complete: 4 of 4 shards finished"));

    // A merge refuses to replace its folder unless asked with --force.
    let merged = tmp.path().join("merged");
    let merge = || {
        let mut c = tk();
        c.arg("merge").args(&parts).args(["--out", s(&merged)]);
        c
    };
    merge().assert().success();
    merge()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    merge().arg("--force").assert().success();
    // Parts of another study are bad input for --check too.
    let other = write(
        tmp.path(),
        "o.toml",
        &scenario("[experiment]\ndesign = \"montecarlo\"\nsamples = 10\nseed = 3\n"),
    );
    let stray = tmp.path().join("stray");
    shard(&other, 2, 4, &stray, &[]);
    tk().args(["merge", s(&parts[0]), s(&stray), "--check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("different studies"));
}

#[test]
fn without_a_terminal_a_sweep_logs_one_line_per_chunk() {
    let (tmp, sc) = study("[experiment]\ndesign = \"montecarlo\"\nsamples = 20\n");
    // One thread: chunks of 8 points, so 8 + 8 + 4 points of 2 strategies.
    let out = tmp.path().join("o");
    let run = sweep(&sc, &out, &["--threads", "1"]).assert().success();
    let err = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    for (line, done) in lines.iter().zip(["16/40", "32/40", "40/40"]) {
        assert!(
            line.starts_with(&format!("{done} experiments · ")),
            "{line}"
        );
    }
    // --quiet keeps the log empty.
    sweep(&sc, &out, &["--threads", "1", "-q", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

/// The shipped study ranges every assumed parameter (docs/parameters.md):
/// every sampled point of it must be a valid scenario, and sweep and
/// Morris screening must run on it. The world is shrunk, the study is not.
#[test]
fn shipped_uncertainty_study_sweeps_and_screens() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/uncertainty.toml"),
    )
    .unwrap();
    let small = text
        .replace(
            "preset = \"province\"\n",
            "preset = \"province\"\ndepth = \"county\"\ncities = 3\ncounties_per_city = 2\n",
        )
        .replace("replicates = 10\n", "replicates = 1\n")
        .replace("samples = 32 ", "samples = 64 ");
    assert_ne!(small, text, "the shrinking edits must apply");
    let sc = write(tmp.path(), "u.toml", &small);
    let out = tmp.path().join("sweep");
    sweep(&sc, &out, &["--quiet"]).assert().success();
    let exp = read(&out, "experiments.csv");
    assert_eq!(exp.lines().count(), 1 + 64 * 3, "{exp}");
    assert!(
        !exp.contains(",failed,"),
        "a sampled point was rejected:\n{exp}"
    );
    let sens = tmp.path().join("morris");
    tk().args([
        "sensitivity",
        s(&sc),
        "--method",
        "morris",
        "--samples",
        "2",
        "--out",
        s(&sens),
        "--quiet",
    ])
    .assert()
    .success();
    assert!(read(&sens, "sensitivity.csv").contains("platforms.build_cost.province"));
}
