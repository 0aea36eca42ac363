//! `tiaokuai report` on a calibration folder (a small calibration of
//! `scenarios/calibration-demo.toml`): the page parses as XML, fetches
//! nothing, draws one prior-vs-posterior figure per parameter, the
//! target forest plot and the tolerance schedule, and its tables show the
//! numbers of `parameters.csv`, `fit.csv` and `schedule.csv` exactly; it is
//! byte-identical when rendered again, Chinese with `--lang zh`; bad input
//! exits with code 2 and writes nothing.

mod common;

mod report_support;

use std::collections::HashMap;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use report_support::checks::{assert_no_external_refs, assert_well_formed, figure};

fn bin() -> Command {
    Command::cargo_bin("tiaokuai").unwrap()
}

/// A finished small calibration in a temporary folder (`cal/`).
fn calibration() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bin()
        .current_dir(root)
        .arg("calibrate")
        .arg("scenarios/calibration-demo.toml")
        .args(["--targets", "data/targets/demo.csv"])
        .args(["--particles", "30", "--generations", "2", "--quiet"])
        .arg("--out")
        .arg(tmp.path().join("cal"))
        .assert()
        .success();
    tmp
}

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    common::csv_records(path)
}

/// The `data-value` attributes of the cells of the rows with `class`, in order.
fn values_of(html: &str, class: &str) -> Vec<Vec<String>> {
    html.split(&format!("<tr class=\"{class}\">"))
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</tr>").unwrap()];
            row.split("data-value=\"")
                .skip(1)
                .map(|v| v[..v.find('"').unwrap()].to_string())
                .collect()
        })
        .collect()
}

#[test]
fn calibration_report_shows_the_calibration_files() {
    let tmp = calibration();
    let dir = tmp.path().join("cal");
    bin()
        .arg("report")
        .arg(&dir)
        .arg("--quiet")
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_well_formed(&html);
    assert_no_external_refs(&html);
    assert!(html.contains("Calibration report"));
    // One prior-vs-posterior figure per parameter, each with both samples.
    let params = rows(&dir.join("parameters.csv"));
    assert_eq!(params.len(), 2);
    for (j, p) in params.iter().enumerate() {
        let svg = figure(&html, &format!("calibration-parameter-{j}"));
        for s in ["prior", "posterior"] {
            assert_eq!(
                svg.matches(&format!("data-series=\"{s}\"")).count(),
                1,
                "{}",
                p["parameter"]
            );
        }
        // The table row shows the posterior median exactly.
        let at = html
            .find(&format!("<tr data-parameter=\"{}\">", p["parameter"]))
            .unwrap();
        let row = &html[at..at + html[at..].find("</tr>").unwrap()];
        assert!(
            row.contains(&format!("data-value=\"{}\"", p["posterior_median"])),
            "{row}"
        );
        assert!(row.contains(&format!("data-value=\"{}\"", p["prior_p50"])));
    }
    // Observed against simulated: one forest row and one table row per
    // target, with observed, sd, predictive mean and z as in fit.csv.
    let fit = rows(&dir.join("fit.csv"));
    let svg = figure(&html, "calibration-fit");
    assert_eq!(svg.matches("<g class=\"row\"").count(), fit.len());
    let shown = values_of(&html, "target");
    assert_eq!(shown.len(), fit.len());
    for (f, v) in fit.iter().zip(&shown) {
        let want: Vec<&str> = ["observed", "sd", "predicted_mean", "z"]
            .iter()
            .map(|k| f[*k].as_str())
            .collect();
        assert_eq!(v, &want);
    }
    // The schedule: every generation of schedule.csv, tolerance, ESS and
    // distinct ESS exact, and the distinct count.
    let sched = rows(&dir.join("schedule.csv"));
    let shown = values_of(&html, "generation");
    assert_eq!(shown.len(), sched.len());
    for (g, v) in sched.iter().zip(&shown) {
        assert_eq!(
            v,
            &vec![
                g["tolerance"].clone(),
                g["ess"].clone(),
                g["distinct_ess"].clone()
            ]
        );
        assert!(html.contains(&format!(
            "<td>{}</td><td data-value=\"{}\"",
            g["distinct"], g["distinct_ess"]
        )));
    }
    assert!(figure(&html, "calibration-schedule").contains("polyline"));
    // Rendering again gives the same bytes; Chinese on request.
    bin()
        .arg("report")
        .arg(&dir)
        .args(["--quiet", "--force", "--out"])
        .arg(tmp.path().join("again.html"))
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.join("report.html")).unwrap(),
        std::fs::read(tmp.path().join("again.html")).unwrap()
    );
    bin()
        .arg("report")
        .arg(&dir)
        .args(["--quiet", "--lang", "zh", "--out"])
        .arg(tmp.path().join("zh.html"))
        .assert()
        .success();
    let zh = std::fs::read_to_string(tmp.path().join("zh.html")).unwrap();
    assert_well_formed(&zh);
    assert!(zh.contains("校准报告") && zh.contains("lang=\"zh-Hans\""));
}

#[test]
fn calibration_report_refuses_bad_input_and_writes_nothing() {
    let tmp = calibration();
    let dir = tmp.path().join("cal");
    // No workbook for a calibration folder.
    bin()
        .arg("report")
        .arg(&dir)
        .arg("--xlsx")
        .assert()
        .code(2)
        .stderr(contains("--xlsx"));
    assert!(!dir.join("report.html").exists());
    // A damaged fit.csv: the file and line are named.
    let fit = std::fs::read_to_string(dir.join("fit.csv")).unwrap();
    let mut lines: Vec<String> = fit.lines().map(str::to_string).collect();
    // Line 3 of the file: its `observed` cell (the 7th) made unreadable.
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    cells[6] = "oops".into();
    lines[2] = cells.join(",");
    std::fs::write(dir.join("fit.csv"), lines.join("\n") + "\n").unwrap();
    bin()
        .arg("report")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(contains("fit.csv:3"))
        .stderr(contains("`oops`"));
    assert!(!dir.join("report.html").exists());
    // A missing file.
    std::fs::write(dir.join("fit.csv"), fit).unwrap();
    std::fs::remove_file(dir.join("schedule.csv")).unwrap();
    bin()
        .arg("report")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(contains("schedule.csv"));
    assert!(!dir.join("report.html").exists());
}

#[test]
fn calibration_report_does_not_replace_a_report_unasked() {
    let tmp = calibration();
    let dir = tmp.path().join("cal");
    std::fs::write(dir.join("report.html"), "mine").unwrap();
    bin()
        .arg("report")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        "mine"
    );
}
