//! One scoring definition for simulations: `tiaokuai run` scores its units'
//! maturity with the framework the scenario names (`run.framework`), so
//! editing the framework file changes the run's maturity output; a
//! framework reading a column the simulation does not make is bad input.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

fn repo(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(p)
        .display()
        .to_string()
}

/// World-scope `maturity_index` at the last year, from summary.csv.
fn final_maturity(run: &Path) -> f64 {
    let text = fs::read_to_string(run.join("summary.csv")).unwrap();
    text.lines()
        .rfind(|l| l.split(',').nth(1) == Some("maturity_index"))
        .and_then(|l| l.split(',').nth(4))
        .unwrap()
        .parse()
        .unwrap()
}

fn run(dir: &Path, name: &str, framework: Option<&str>) -> assert_cmd::assert::Assert {
    let base = fs::read_to_string(repo("scenarios/baseline.toml")).unwrap();
    let sc = match framework {
        Some(f) => base.replacen("[run]", &format!("[run]\nframework = \"{f}\""), 1),
        None => base,
    };
    let p = dir.join(format!("{name}-scenario.toml"));
    fs::write(&p, sc).unwrap();
    Command::new(env!("CARGO_BIN_EXE_tiaokuai"))
        .arg("run")
        .arg(&p)
        .args(["--replicates", "2", "--quiet", "--out"])
        .arg(dir.join(name))
        .assert()
}

#[test]
fn the_framework_file_drives_simulated_maturity() {
    let d = TempDir::new().unwrap();
    run(d.path(), "default", None).success();
    // the shipped file gives exactly the built-in scores
    fs::copy(repo("frameworks/tiaokuai.toml"), d.path().join("same.toml")).unwrap();
    run(d.path(), "same", Some("same.toml")).success();
    let (a, b) = (
        final_maturity(&d.path().join("default")),
        final_maturity(&d.path().join("same")),
    );
    assert_eq!(a, b);
    // rescaling the index to 0-10 instead of 0-100 divides maturity by 10
    let text = fs::read_to_string(repo("frameworks/tiaokuai.toml"))
        .unwrap()
        .replace("to = [0, 100]", "to = [0, 10]");
    fs::write(d.path().join("tenth.toml"), text).unwrap();
    run(d.path(), "tenth", Some("tenth.toml")).success();
    let c = final_maturity(&d.path().join("tenth"));
    assert!((c - a / 10.0).abs() < 1e-9 * a, "{c} vs {a}");
}

#[test]
fn a_framework_reading_an_unknown_column_is_bad_input() {
    let d = TempDir::new().unwrap();
    let text = fs::read_to_string(repo("frameworks/tiaokuai.toml"))
        .unwrap()
        .replace("source = \"human_capital\"", "source = \"human_capitl\"");
    fs::write(d.path().join("typo.toml"), text).unwrap();
    let out = run(d.path(), "typo", Some("typo.toml")).code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("human_capitl"), "{err}");
    assert!(err.contains("did you mean `human_capital`"), "{err}");
    assert!(!d.path().join("typo").exists());
}
