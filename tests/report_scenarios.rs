//! The report on real runs: every shipped scenario (`scenarios/*.toml`) is
//! run with two replicates, then reported in English (HTML + workbook) and
//! Chinese. Checks: the HTML parses, has one chart per required figure and
//! strategy, references nothing external, its table numbers equal
//! `summary.csv`, and the workbook's Summary sheet equals `summary.csv`.

mod report_support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use report_support::checks::{
    assert_each_strategy, assert_no_external_refs, assert_table_matches_summary,
    assert_well_formed, figure,
};
use report_support::summary_means;

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

fn check_scenario(scenario: &Path, scratch: &Path) {
    let name = scenario.file_stem().unwrap().to_string_lossy().to_string();
    let run = scratch.join(&name);
    Command::cargo_bin("tiaokuai")
        .unwrap()
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(&run)
        .args(["--replicates", "2", "--quiet", "--xlsx"])
        .assert()
        .success();
    let m = manifest(&run);
    let years = m["years"].as_u64().unwrap() as usize;
    let strategies: Vec<String> = m["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    let ids: Vec<&str> = strategies.iter().map(String::as_str).collect();

    Command::cargo_bin("tiaokuai")
        .unwrap()
        .arg("report")
        .arg(&run)
        .arg("-q")
        .assert()
        .success();
    let html = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert_well_formed(&html);
    assert_no_external_refs(&html);
    for h in tiaokuai::metrics::registry::headline_ids() {
        let id = format!("fan-{h}");
        assert_each_strategy(figure(&html, &id), &ids, &id);
    }
    for id in ["domains", "flows", "efficiency", "adoption"] {
        assert_each_strategy(figure(&html, id), &ids, id);
    }
    // A china world of one province (`city-systems.toml`) has no map: the
    // report leaves out charts of a single group.
    let one_province = tiaokuai::scenario::load(scenario)
        .unwrap()
        .world
        .provinces
        .len()
        == 1;
    if m["preset"] == "china" && one_province {
        assert!(!html.contains("data-figure=\"map-0\""), "{name}");
    } else if m["preset"] == "china" {
        for (i, s) in ids.iter().enumerate() {
            assert_each_strategy(figure(&html, &format!("map-{i}")), &[s], "map");
        }
    } else {
        assert_each_strategy(figure(&html, "regions"), &ids, "regions");
    }
    let checked = assert_table_matches_summary(&html, &run, years);
    assert_eq!(
        checked,
        ids.len() * tiaokuai::metrics::registry::headline_ids().len(),
        "{name}"
    );

    // The workbook written by `run --xlsx` agrees with summary.csv.
    let mut wb: Xlsx<_> = open_workbook(run.join("results.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Summary").unwrap();
    let means = summary_means(&run, years);
    let mut rows = 0;
    for r in 1..sheet.height() {
        let (Some(Data::String(s)), Some(Data::String(metric)), Some(Data::Float(v))) =
            (sheet.get((r, 0)), sheet.get((r, 2)), sheet.get((r, 4)))
        else {
            continue;
        };
        let want = means
            .iter()
            .find(|x| &x.0 == s && &x.1 == metric)
            .unwrap()
            .2;
        assert_eq!(*v, want, "{name}: {s}/{metric}");
        rows += 1;
    }
    assert_eq!(rows, checked, "{name}: workbook rows");

    // Chinese report of the same run.
    let zh = scratch.join(format!("{name}-zh.html"));
    Command::cargo_bin("tiaokuai")
        .unwrap()
        .arg("report")
        .arg(&run)
        .args(["--lang", "zh", "-q", "--out"])
        .arg(&zh)
        .assert()
        .success();
    let zh = std::fs::read_to_string(zh).unwrap();
    assert_well_formed(&zh);
    assert!(zh.contains("条块协同指数") && zh.contains("lang=\"zh-Hans\""));
}

#[test]
fn every_shipped_scenario_reports() {
    let list = scenarios();
    assert!(!list.is_empty(), "no scenarios/*.toml found");
    let scratch = tempfile::tempdir().unwrap();
    for s in list {
        check_scenario(&s, scratch.path());
    }
}
