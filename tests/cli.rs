//! The real binary in a scratch folder: every subcommand, exit codes,
//! messages, output files, determinism across thread counts, and bad input.

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

fn run_classroom(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    bin()
        .arg("run")
        .arg(scenario("classroom"))
        .arg("--out")
        .arg(out)
        .args(["--replicates", "3", "--quiet"])
        .args(extra)
        .assert()
}

#[test]
fn run_writes_a_complete_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    run_classroom(&out, &[]).success();
    for f in [
        "timeseries.csv",
        "summary.csv",
        "scopes.csv",
        "metrics.csv",
        "scenario.toml",
        "manifest.json",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let ts = fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert!(ts.starts_with(
        "strategy,replicate,seed,year,quarter,scope_level,scope_id,scope_name,metric,value\n"
    ));
    let summary = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(summary.starts_with("strategy,metric,year,n,mean,sd,ci95_low,ci95_high,p05,p50,p95\n"));
    assert!(summary.contains("provincial,collab_index,5,3,"));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "tiaokuai-run");
    assert_eq!(manifest["format_version"], tiaokuai::output::FORMAT_VERSION);
    // The stable scenario section and the file's own key tree.
    assert_eq!(manifest["scenario"]["strategies"][1]["name"], "provincial");
    assert!(manifest["parameters"].is_object());
    // Strategy order and names as a CSV of their own.
    let strategies = fs::read_to_string(out.join("strategies.csv")).unwrap();
    let mut lines = strategies.lines();
    assert_eq!(
        lines.next(),
        Some("order,strategy,name_zh,baseline,description")
    );
    assert!(lines.next().unwrap().starts_with("1,local,"));
    assert!(lines.next().unwrap().starts_with("2,provincial,"));
    assert_eq!(
        manifest["strategies"],
        serde_json::json!(["local", "provincial"])
    );
    assert_eq!(manifest["seeds"].as_array().unwrap().len(), 3);
    // No partial folder left behind.
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn summary_table_on_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    bin()
        .arg("run")
        .arg(scenario("classroom"))
        .arg("--out")
        .arg(tmp.path().join("r"))
        .args(["--replicates", "2"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("collab_index").and(predicate::str::contains("provincial")),
        );
}

#[test]
fn outputs_are_identical_for_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("t1"), tmp.path().join("t2"));
    run_classroom(&a, &["--threads", "1"]).success();
    run_classroom(&b, &["--threads", "2"]).success();
    for f in ["timeseries.csv", "summary.csv"] {
        assert_eq!(
            fs::read(a.join(f)).unwrap(),
            fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    run_classroom(&out, &[]).success();
    let before = fs::read(out.join("timeseries.csv")).unwrap();
    run_classroom(&out, &[])
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(fs::read(out.join("timeseries.csv")).unwrap(), before);
    run_classroom(&out, &["--force", "--seed", "9"]).success();
    assert_ne!(fs::read(out.join("timeseries.csv")).unwrap(), before);
}

#[test]
fn excel_csv_writes_a_byte_order_mark() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    run_classroom(&out, &["--excel-csv"]).success();
    assert!(
        fs::read(out.join("summary.csv"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
    assert!(
        fs::read(out.join("scopes.csv"))
            .unwrap()
            .starts_with(b"\xEF\xBB\xBF")
    );
}

#[test]
fn strategy_filter_and_unknown_strategy() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    run_classroom(&out, &["--strategy", "provincial"]).success();
    let m: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m["strategies"], serde_json::json!(["provincial"]));
    let out2 = tmp.path().join("bad");
    run_classroom(&out2, &["--strategy", "provincal"])
        .code(2)
        .stderr(predicate::str::contains("did you mean `provincial`"));
    assert!(!out2.exists());
}

#[test]
fn validate_accepts_every_shipped_scenario() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    bin()
        .arg("validate")
        .args(&files)
        .assert()
        .success()
        .stdout(predicate::str::contains("ok:").count(files.len()));
}

#[test]
fn bad_scenarios_exit_2_with_location_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown.toml",
            "name = \"x\"\n[[strategy]]\nname = \"a\"\nplatfroms = \"local\"\n",
            vec![
                "unknown.toml:4:1",
                "strategy[0].platfroms",
                "did you mean `platforms`",
            ],
        ),
        (
            "type.toml",
            "[run]\nyears = \"five\"\n",
            vec!["type.toml:2:1", "run.years"],
        ),
        (
            "range.toml",
            "[trust]\ngain = 2.0\n",
            vec!["trust.gain", "from 0 to 1"],
        ),
        (
            "syntax.toml",
            "name = \"x\"\n[run\n",
            vec!["syntax.toml:2", "invalid TOML"],
        ),
        ("empty.toml", "   \n", vec!["empty"]),
        (
            "preset.toml",
            "[world]\npreset = \"planet\"\n",
            vec!["world.preset", "province"],
        ),
        (
            "province.toml",
            "[world]\npreset = \"china\"\nprovinces = [\"zhejaing\"]\n",
            vec!["did you mean `zhejiang`"],
        ),
        (
            "domain.toml",
            "[defaults.coordination]\nsector_domains = [\"social\"]\n",
            vec!["unknown domain"],
        ),
        (
            "department.toml",
            "[[catalog.domains]]\nid = \"public_services\"\ndepartments = [\"edu\"]\n",
            vec!["unknown department"],
        ),
        (
            "big.toml",
            "[world]\npreset = \"china\"\nmax_departments = 1000\n",
            vec!["world.max_departments", "depth"],
        ),
        (
            "split.toml",
            "[defaults.investment]\ntalent = 0.9\n",
            vec!["sums to", "defaults.investment"],
        ),
        (
            "pair.toml",
            "[defaults.regional]\npairs = [[\"c01\", \"nowhere\"]]\n",
            vec!["no unit called `nowhere`"],
        ),
    ];
    for (file, text, needles) in cases {
        let path = tmp.path().join(file);
        fs::write(&path, text).unwrap();
        let out = tmp.path().join(format!("out-{file}"));
        let assert = bin()
            .arg("run")
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2);
        let err = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        for n in needles {
            assert!(err.contains(n), "{file}: `{n}` not in:\n{err}");
        }
        assert!(!out.exists(), "{file}: output folder created");
    }
    bin()
        .arg("run")
        .arg(tmp.path().join("missing.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("file not found"));
    let latin1 = tmp.path().join("latin1.toml");
    fs::write(&latin1, b"name = \"caf\xe9\"\n").unwrap();
    bin()
        .arg("validate")
        .arg(&latin1)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid UTF-8"));
}

const ALPHABET: &[u8] = b"[]=\"#.,{}\n abc123_-\xff\x00";

#[test]
fn garbage_and_truncated_scenarios_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("g.toml");
    let text = fs::read_to_string(scenario("provincial-vs-local")).unwrap();
    let mut inputs: Vec<Vec<u8>> = (0..text.len())
        .step_by(97)
        .map(|n| text.as_bytes()[..n].to_vec())
        .collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [1, 10, 100, 1000] {
        let bytes = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ALPHABET[(x % ALPHABET.len() as u64) as usize]
            })
            .collect();
        inputs.push(bytes);
    }
    for bytes in inputs {
        fs::write(&path, &bytes).unwrap();
        let out = bin().arg("validate").arg(&path).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 2,
            "exit {code} for input {:?}\n{}",
            String::from_utf8_lossy(&bytes),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn new_writes_a_valid_template_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("mine.toml");
    bin().arg("new").arg(&path).assert().success();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("name = \"mine\""));
    bin().arg("validate").arg(&path).assert().success();
    bin()
        .arg("new")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    bin()
        .arg("new")
        .arg(&path)
        .arg("--force")
        .assert()
        .success();
}

#[test]
fn list_shows_the_catalogue_in_both_languages() {
    bin().arg("list").assert().success().stdout(
        predicate::str::contains("# presets")
            .and(predicate::str::contains("market_regulation"))
            .and(predicate::str::contains("platforms"))
            .and(predicate::str::contains("collab_index")),
    );
    bin()
        .args(["list", "departments", "--lang", "zh"])
        .assert()
        .success()
        .stdout(predicate::str::contains("市场监管"));
    bin()
        .args(["list", "metric"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `metrics`"));
    bin().args(["list", "--lang", "fr"]).assert().code(2);
}

#[test]
fn bench_prints_fastest_and_median_for_one_and_n_threads() {
    // The table's shape only: timings are never asserted.
    let out = bin()
        .arg("bench")
        .arg(scenario("classroom"))
        .args(["--runs", "2", "--repeat", "2", "--threads", "2"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("dept-quarters/s") && lines[0].ends_with("median"),
        "{text}"
    );
    let threads: Vec<&str> = lines[1..3]
        .iter()
        .map(|l| l.split_whitespace().rev().nth(5).unwrap())
        .collect();
    assert_eq!(threads, ["1", "2"], "{text}");
    // The classroom scenario draws a world per replicate: a share of each
    // replicate's time goes to it, and never all of it.
    assert!(lines[0].contains("worlds %"), "{text}");
    for l in &lines[1..3] {
        let share: f64 = l.split_whitespace().rev().nth(2).unwrap().parse().unwrap();
        assert!(share > 0.0 && share < 100.0, "{text}");
    }
    assert!(text.contains("peak memory"), "{text}");
    bin().args(["bench", "--repeat", "0"]).assert().code(2);
}

#[test]
fn unknown_flag_exits_2() {
    bin().args(["run", "--nope"]).assert().code(2);
}

#[test]
fn indicators_csv_is_scored_by_assess_and_framework_flag_changes_maturity() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    run_classroom(&out, &[]).success();
    let ind = fs::read_to_string(out.join("indicators.csv")).unwrap();
    assert!(ind.starts_with(
        "id,strategy,unit_id,unit_name,unit_name_zh,level,region,province,infrastructure,"
    ));
    assert!(ind.contains("provincial/c01,provincial,c01,"));
    let fw = Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks/tiaokuai.toml");
    bin()
        .arg("assess")
        .arg(out.join("indicators.csv"))
        .arg("--framework")
        .arg(&fw)
        .args(["--id-col", "id", "--out"])
        .arg(tmp.path().join("scores"))
        .assert()
        .success()
        .stdout(predicate::str::contains("provincial/"));
    // Scoring simulated units with another framework changes their maturity.
    let text = fs::read_to_string(&fw).unwrap();
    let other = tmp.path().join("other.toml");
    let changed = text.replacen("to = [0, 100]", "to = [0, 50]", 1);
    assert_ne!(changed, text, "the framework rescales to 0-100");
    fs::write(&other, changed).unwrap();
    let out2 = tmp.path().join("run2");
    run_classroom(&out2, &["--framework", other.to_str().unwrap()]).success();
    let maturity = |dir: &Path| {
        fs::read_to_string(dir.join("summary.csv"))
            .unwrap()
            .lines()
            .find(|l| l.starts_with("provincial,maturity_index,5,"))
            .unwrap()
            .to_string()
    };
    assert_ne!(maturity(&out), maturity(&out2));
}
