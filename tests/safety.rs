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
