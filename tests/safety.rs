//! Safe under any input: the real binary in a temporary folder tree. Data
//! loss (`--force` replaces only what the tool wrote), leftovers of killed
//! runs, world and output sizes refused before anything is built, input
//! files that are not regular files, messages and exit codes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn bin() -> Command {
    Command::cargo_bin("tiaokuai").expect("binary builds")
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

/// Every file under `root` (path → bytes), skipping `skip`.
fn snapshot(root: &Path, skip: Option<&Path>) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if Some(p.as_path()) == skip {
                continue;
            }
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.insert(p.clone(), Vec::new());
                stack.push(p);
            } else if meta.file_type().is_symlink() {
                out.insert(
                    p.clone(),
                    fs::read_link(&p)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                );
            } else {
                out.insert(p.clone(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A tree: root/work/{scenario.toml, notes.txt, sub/keep.txt} and root/other.txt.
fn tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir_all(work.join("sub")).unwrap();
    fs::copy(scenario("classroom"), work.join("scenario.toml")).unwrap();
    fs::write(work.join("notes.txt"), "my notes").unwrap();
    fs::write(work.join("sub/keep.txt"), "keep").unwrap();
    fs::write(tmp.path().join("other.txt"), "other").unwrap();
    (tmp, work)
}

fn run_in(work: &Path, out: &str, force: bool) -> assert_cmd::assert::Assert {
    let mut c = bin();
    c.current_dir(work).args([
        "run",
        "scenario.toml",
        "--replicates",
        "1",
        "--quiet",
        "--out",
        out,
    ]);
    if force {
        c.arg("--force");
    }
    c.assert()
}

#[test]
fn force_never_replaces_the_working_folder_its_ancestors_or_dot_paths() {
    let (tmp, work) = tree();
    let before = snapshot(tmp.path(), None);
    for out in [".", "..", "./", "sub/..", "sub/.", "/", "../.."] {
        run_in(&work, out, true)
            .code(2)
            .stderr(predicate::str::contains("--out"));
        assert_eq!(
            snapshot(tmp.path(), None),
            before,
            "--out {out} changed files"
        );
    }
    // An ancestor named by its own name is refused too.
    let root = tmp.path().to_string_lossy().into_owned();
    run_in(&work, &root, true)
        .code(2)
        .stderr(predicate::str::contains("working folder"));
    assert_eq!(snapshot(tmp.path(), None), before);
}

#[test]
fn force_replaces_only_a_folder_the_tool_wrote() {
    let (tmp, work) = tree();
    // A folder of unrelated files is left alone, with a reason.
    let before = snapshot(tmp.path(), None);
    run_in(&work, "sub", true)
        .code(2)
        .stderr(predicate::str::contains("did not write"));
    assert_eq!(snapshot(tmp.path(), None), before);
    // A folder the tool wrote is replaced, and nothing else changes.
    run_in(&work, "res", false).success();
    let res = work.join("res");
    let before = snapshot(tmp.path(), Some(&res));
    run_in(&work, "res", false)
        .code(2)
        .stderr(predicate::str::contains("--force"));
    run_in(&work, "res", true).success();
    assert!(res.join("manifest.json").exists());
    assert_eq!(snapshot(tmp.path(), Some(&res)), before);
    // Not when it holds the scenario being read.
    fs::copy(work.join("scenario.toml"), res.join("input.toml")).unwrap();
    let before = snapshot(tmp.path(), None);
    bin()
        .current_dir(&work)
        .args([
            "run",
            "res/input.toml",
            "--replicates",
            "1",
            "--quiet",
            "--out",
            "res",
            "--force",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("input file"));
    assert_eq!(snapshot(tmp.path(), None), before);
}

#[cfg(unix)]
#[test]
fn force_goes_through_no_symbolic_link() {
    let (tmp, work) = tree();
    run_in(&work, "real", false).success();
    std::os::unix::fs::symlink(work.join("real"), work.join("link")).unwrap();
    std::os::unix::fs::symlink(&work, tmp.path().join("worklink")).unwrap();
    let before = snapshot(tmp.path(), None);
    for out in ["link", "link/", "../worklink/real"] {
        run_in(&work, out, true)
            .code(2)
            .stderr(predicate::str::contains("symbolic link"));
        assert_eq!(snapshot(tmp.path(), None), before, "--out {out}");
    }
}

#[test]
fn every_writing_command_follows_the_force_rule() {
    let (tmp, work) = tree();
    run_in(&work, "res", false).success();
    let before = snapshot(tmp.path(), None);
    // sweep and sensitivity (a study file), merge, assess, report.
    let study = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/uncertainty.toml");
    let frameworks = Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let _ = (&frameworks, &data);
    for args in [
        vec![
            "sweep".to_string(),
            study.display().to_string(),
            "--out".into(),
            "sub".into(),
            "--force".into(),
            "--quiet".into(),
        ],
        vec![
            "sensitivity".to_string(),
            study.display().to_string(),
            "--out".into(),
            ".".into(),
            "--force".into(),
            "--quiet".into(),
        ],
        vec![
            "merge".to_string(),
            "res".into(),
            "--out".into(),
            "sub".into(),
            "--force".into(),
        ],
        vec![
            "report".to_string(),
            "res".into(),
            "--out".into(),
            "notes.txt".into(),
            "--force".into(),
        ],
        vec![
            "report".to_string(),
            "res".into(),
            "--out".into(),
            "scenario.toml".into(),
            "--force".into(),
        ],
    ] {
        bin().current_dir(&work).args(&args).assert().code(2);
        assert_eq!(snapshot(tmp.path(), None), before, "{args:?} changed files");
    }
}

#[test]
fn leftovers_of_a_killed_run_are_removed_by_the_next_write() {
    let (tmp, work) = tree();
    // Process ids above the kernel's maximum never exist.
    let dead = work.join(".res.partial-4294967");
    fs::create_dir(&dead).unwrap();
    fs::write(dead.join("timeseries.csv"), "half").unwrap();
    let unrelated = work.join(".other.partial-4294967");
    fs::create_dir(&unrelated).unwrap();
    let before = snapshot(tmp.path(), Some(&work.join("res")));
    let out = run_in(&work, "res", false).success();
    if Path::new("/proc/self").exists() {
        out.stderr(predicate::str::contains("removed").and(predicate::str::contains("4294967")));
        assert!(!dead.exists());
        let mut want = before.clone();
        want.retain(|p, _| !p.starts_with(&dead));
        assert_eq!(snapshot(tmp.path(), Some(&work.join("res"))), want);
    }
    assert!(unrelated.exists());
}

#[test]
fn an_oversized_world_is_refused_before_it_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("huge.toml");
    fs::write(
        &f,
        "name = \"huge\"\n[world]\ncities = 1000\ncounties_per_city = 1000\ntownships_per_county = 1000\n",
    )
    .unwrap();
    let t = std::time::Instant::now();
    bin().arg("validate").arg(&f).assert().code(2).stderr(
        predicate::str::contains("world.max_departments")
            .and(predicate::str::contains("1001001002 units")),
    );
    // Built first, this world needs hundreds of gigabytes; refused from its keys it takes milliseconds.
    assert!(t.elapsed().as_secs() < 20);
    // Work: 100000 replicates of the default world, under a lower work limit.
    fs::write(
        &f,
        "name = \"long\"\n[run]\nreplicates = 100000\nmax_work = 1e9\n",
    )
    .unwrap();
    bin()
        .arg("validate")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("run.max_work"));
    // Output: 100000 replicates of the classroom world fit the work limit, not the output one.
    let text = fs::read_to_string(scenario("classroom"))
        .unwrap()
        .replace("replicates = 10", "replicates = 100000");
    fs::write(&f, text).unwrap();
    bin()
        .arg("validate")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("run.max_output_mb"));
    let out = tmp.path().join("out");
    bin()
        .arg("run")
        .arg(&f)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("run.max_output_mb"));
    assert!(!out.exists());
}

#[cfg(unix)]
#[test]
fn devices_are_not_read_as_input() {
    bin()
        .args(["validate", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    let tmp = tempfile::tempdir().unwrap();
    bin()
        .arg("run")
        .arg(scenario("classroom"))
        .args(["--framework", "/dev/zero", "--quiet", "--out"])
        .arg(tmp.path().join("r"))
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    bin()
        .args(["assess", "/dev/zero", "--quiet", "--out"])
        .arg(tmp.path().join("a"))
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("tiaokuai"))
        .args(["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe, as `head -c1` does.
    let mut out = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    out.read_exact(&mut one).unwrap();
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(status.code(), Some(101), "{err}");
}

/// The classroom scenario with `run.years = 0`, returning the file and the
/// line (1-based) of the bad value in the user's file.
fn years_zero(dir: &Path, keep_experiment: bool) -> (PathBuf, usize) {
    let text = fs::read_to_string(scenario("uncertainty")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    let mut in_experiment = false;
    for l in text.lines() {
        if l.starts_with('[') {
            in_experiment = l.trim() == "[experiment]";
        }
        if in_experiment && !keep_experiment {
            continue;
        }
        lines.push(if l.trim_start().starts_with("years =") {
            "years = 0".to_string()
        } else {
            l.to_string()
        });
    }
    let line = lines.iter().position(|l| l == "years = 0").unwrap() + 1;
    let file = dir.join("bad.toml");
    fs::write(&file, lines.join("\n")).unwrap();
    (file, line)
}

#[test]
fn studies_report_lines_of_the_users_file_and_the_real_error_first() {
    let tmp = tempfile::tempdir().unwrap();
    for keep_experiment in [true, false] {
        let (file, line) = years_zero(tmp.path(), keep_experiment);
        let at = format!("bad.toml:{line}:");
        bin()
            .arg("validate")
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(at.clone()));
        for cmd in [&["sweep"][..], &["sensitivity", "--method", "morris"]] {
            bin()
                .current_dir(tmp.path())
                .args(cmd)
                .args(["bad.toml", "--quiet", "--out", "o"])
                .assert()
                .code(2)
                .stderr(predicate::str::contains(at.clone()))
                .stderr(predicate::str::contains("run.years"))
                .stderr(predicate::str::contains("[experiment]").not());
            assert!(!tmp.path().join("o").exists());
        }
    }
}

/// A study whose one parameter names a table, not a standalone number.
const TABLE_PATH: &str = r#"name = "fiscal"
[run]
years = 1
replicates = 1
[world]
preset = "province"
cities = 2
counties_per_city = 2
townships_per_county = 1
[[strategy]]
name = "local"
platforms = "local"
[[uncertainty]]
path = "world.attributes.central.fiscal"
dist = "uniform"
low = 0.1
high = 0.9
[experiment]
design = "lhs"
samples = 4
"#;

#[test]
fn validate_sets_one_value_of_each_uncertain_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), TABLE_PATH).unwrap();
    bin()
        .current_dir(tmp.path())
        .args(["validate", "s.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("s.toml:14:1"))
        .stderr(predicate::str::contains("uncertainty[0].path"))
        .stderr(predicate::str::contains("missing key `digital`"));
    // Negative control: a numeric key that stands alone passes.
    let ok = TABLE_PATH.replace("world.attributes.central.fiscal", "world.heterogeneity");
    fs::write(tmp.path().join("ok.toml"), ok).unwrap();
    bin()
        .current_dir(tmp.path())
        .args(["validate", "ok.toml"])
        .assert()
        .success();
}

#[test]
fn a_sweep_in_which_every_experiment_fails_exits_1_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), TABLE_PATH).unwrap();
    bin()
        .current_dir(tmp.path())
        .args(["sweep", "s.toml", "--quiet", "--out", "o"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("all 4 experiments failed"))
        .stderr(predicate::str::contains("missing key `digital`"));
    // Negative control: the same study over a numeric key succeeds.
    let ok = TABLE_PATH.replace("world.attributes.central.fiscal", "world.heterogeneity");
    fs::write(tmp.path().join("ok.toml"), ok).unwrap();
    bin()
        .current_dir(tmp.path())
        .args(["sweep", "ok.toml", "--quiet", "--out", "o2"])
        .assert()
        .success();
}

/// `n` strategies on a small world; the last one repeats the first name when `duplicate`.
fn many_strategies(n: usize, duplicate: bool) -> String {
    let mut s = String::from(
        "name = \"many\"\n[run]\nyears = 1\nreplicates = 1\nmax_output_mb = 100000\n\
         [world]\npreset = \"province\"\ncities = 2\ncounties_per_city = 2\ntownships_per_county = 1\n",
    );
    for i in 0..n {
        let name = if duplicate && i == n - 1 { 0 } else { i };
        s.push_str(&format!(
            "[[strategy]]\nname = \"s{name}\"\nplatforms = \"local\"\n"
        ));
    }
    s
}

#[test]
fn twenty_thousand_strategies_validate_and_a_late_duplicate_is_found() {
    // Checking names was quadratic (32,000 strategies took 4 s); now a set.
    let n = 20_000;
    let sc = tiaokuai::scenario::from_str(&many_strategies(n, false), None).unwrap();
    assert_eq!(sc.strategies.len(), n);
    let err = tiaokuai::scenario::from_str(&many_strategies(n, true), None).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("two strategies are called `s0`"), "{msg}");
    assert!(msg.contains(&format!("strategy[{}].name", n - 1)), "{msg}");
}

/// An EGDI-like file of 12 countries; country C05's `osi` is `big`.
fn egdi_with(dir: &Path, big: &str) -> PathBuf {
    let mut text = String::from("country-code,osi,hci,tii\n");
    for i in 0..12u32 {
        let f = f64::from(i);
        let osi = if i == 5 {
            big.to_string()
        } else {
            format!("{}", 0.1 + 0.07 * f)
        };
        text.push_str(&format!(
            "C{i:02},{osi},{},{}\n",
            0.9 - 0.03 * f,
            0.2 + 0.05 * f
        ));
    }
    let p = dir.join(format!("egdi-{big}.csv"));
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn assess_refuses_values_that_would_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let framework = Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks/egdi.toml");
    let data = egdi_with(tmp.path(), "1e308");
    bin()
        .arg("assess")
        .arg(&data)
        .arg("--framework")
        .arg(&framework)
        .arg("--out")
        .arg(tmp.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("too large to score"))
        .stderr(predicate::str::contains(":7:"));
    assert!(!tmp.path().join("o").exists());
    // Negative control: a large value under the cap scores, every index finite.
    let data = egdi_with(tmp.path(), "1e99");
    let out = tmp.path().join("o2");
    bin()
        .arg("assess")
        .arg(&data)
        .arg("--framework")
        .arg(&framework)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let scores = fs::read_to_string(out.join("scores.csv")).unwrap();
    for line in scores.lines().skip(1) {
        let index: f64 = line.split(',').nth(1).unwrap().parse().unwrap();
        assert!(index.is_finite(), "{line}");
    }
}
