//! `tiaokuai report` end to end on synthetic run directories written to the
//! run-directory contract: the HTML parses as XML, holds every required
//! figure once per strategy, fetches nothing, and its table numbers match
//! `summary.csv`; the workbook read back with calamine matches the CSVs;
//! bad input exits with code 2 and writes nothing.

mod report_support;

use std::path::Path;

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx, open_workbook};
use predicates::str::contains;
use report_support::checks::{
    assert_each_strategy, assert_no_external_refs, assert_well_formed, figure,
};
use report_support::{Synthetic, summary_means, write_run};
use tiaokuai::metrics::registry;

fn bin() -> Command {
    Command::cargo_bin("tiaokuai").unwrap()
}

fn run_dir(spec: &Synthetic) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write_run(tmp.path(), spec);
    tmp
}

#[test]
fn china_report_has_every_figure_per_strategy_and_matches_summary() {
    let spec = Synthetic::china();
    let tmp = run_dir(&spec);
    bin()
        .arg("report")
        .arg(tmp.path())
        .arg("--quiet")
        .assert()
        .success();
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert_well_formed(&html);
    assert_no_external_refs(&html);

    let strategies = &spec.strategies;
    for h in registry::headline_ids() {
        let id = format!("fan-{h}");
        assert_each_strategy(figure(&html, &id), strategies, &id);
    }
    for id in ["domains", "flows", "efficiency", "adoption"] {
        assert_each_strategy(figure(&html, id), strategies, id);
    }
    for (i, s) in strategies.iter().enumerate() {
        let map = figure(&html, &format!("map-{i}"));
        assert_each_strategy(map, &[s], "map");
        assert_eq!(map.matches("class=\"tile\"").count(), 31);
    }
    // Units on the axes.
    assert!(figure(&html, "fan-cost_total").contains("million yuan"));
    assert!(figure(&html, "efficiency").contains("(index 0-100)"));

    // Every headline cell of the comparison table is the summary mean.
    assert_eq!(
        report_support::checks::assert_table_matches_summary(&html, tmp.path(), spec.years),
        strategies.len() * registry::headline_ids().len()
    );
    // Paired differences exist for the non-baseline strategies only.
    let diffs = &html[html
        .find("class=\"differences\"")
        .expect("differences table")..];
    assert!(diffs.contains("data-strategy=\"national_push\""));
    assert!(!diffs[..diffs.find("</table>").unwrap()].contains("data-strategy=\"status_quo\""));
    // The scenario in plain words.
    assert!(html.contains("synthetic-china") && html.contains("Strategy number 2"));
    assert!(html.contains("platforms.mode = provincial"));
}

#[test]
fn chinese_report_is_in_chinese() {
    let tmp = run_dir(&Synthetic::china());
    let out = tmp.path().join("报告.html");
    bin()
        .arg("report")
        .arg(tmp.path())
        .args(["--lang", "zh", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert_well_formed(&html);
    for zh in [
        "lang=\"zh-Hans\"",
        "条块协同指数",
        "策略比较",
        "各领域协同水平",
        "浙江",
        "年份",
        "Microsoft YaHei",
    ] {
        assert!(html.contains(zh), "missing {zh}");
    }
    assert!(!html.contains("Strategies compared"));
}

#[test]
fn province_preset_gets_bars_instead_of_a_map() {
    let spec = Synthetic::province();
    let tmp = run_dir(&spec);
    bin()
        .arg("report")
        .arg(tmp.path())
        .assert()
        .success()
        .stderr(contains("report.html"));
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert_well_formed(&html);
    assert!(!html.contains("data-figure=\"map-0\""));
    assert_each_strategy(figure(&html, "regions"), &spec.strategies, "regions");
    // No baseline: no differences table.
    assert!(!html.contains("class=\"differences\""));
}

fn cell(range: &calamine::Range<Data>, r: usize, c: usize) -> Data {
    range.get((r, c)).cloned().unwrap_or(Data::Empty)
}

fn as_f64(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn workbook_reads_back_and_matches_the_csvs() {
    let spec = Synthetic::china();
    let tmp = run_dir(&spec);
    bin()
        .arg("report")
        .arg(tmp.path())
        .args(["--xlsx", "-q"])
        .assert()
        .success();
    let path = tmp.path().join("results.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Compare",
            "Time series",
            "Regions",
            "Parameters",
            "About"
        ]
    );
    let summary = wb.worksheet_range("Summary").unwrap();
    assert_eq!(cell(&summary, 0, 0), Data::String("Strategy".into()));
    assert_eq!(cell(&summary, 0, 4), Data::String("Mean".into()));
    let means = summary_means(tmp.path(), spec.years);
    let n_rows = spec.strategies.len() * registry::headline_ids().len();
    for r in 1..=n_rows {
        let (Data::String(s), Data::String(m)) = (cell(&summary, r, 0), cell(&summary, r, 2))
        else {
            panic!("row {r} lacks strategy/metric");
        };
        let want = means.iter().find(|x| x.0 == s && x.1 == m).unwrap().2;
        assert_eq!(as_f64(&cell(&summary, r, 4)), want, "{s}/{m}");
    }

    // Time series: world mean of collab_index at year 1 quarter 2 for the
    // first strategy equals the mean over replicates in timeseries.csv.
    let ts = wb.worksheet_range("Time series").unwrap();
    assert_eq!(cell(&ts, 1, 3), Data::String("collab_index".into()));
    let row = (2..ts.height())
        .find(|&r| {
            cell(&ts, r, 0) == Data::String("status_quo".into())
                && as_f64(&cell(&ts, r, 1)) == 1.0
                && as_f64(&cell(&ts, r, 2)) == 2.0
        })
        .unwrap();
    let mut rdr = csv::Reader::from_path(tmp.path().join("timeseries.csv")).unwrap();
    let vals: Vec<f64> = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| {
            &r[0] == "status_quo"
                && &r[3] == "1"
                && &r[4] == "2"
                && &r[5] == "world"
                && &r[8] == "collab_index"
        })
        .map(|r| r[9].parse().unwrap())
        .collect();
    assert_eq!(vals.len(), spec.replicates);
    let want = vals.iter().sum::<f64>() / vals.len() as f64;
    assert!((as_f64(&cell(&ts, row, 3)) - want).abs() < 1e-9);

    let compare = wb.worksheet_range("Compare").unwrap();
    assert_eq!(cell(&compare, 1, 1), Data::String("status_quo".into()));
    let regions = wb.worksheet_range("Regions").unwrap();
    assert!((1..regions.height()).any(|r| cell(&regions, r, 2) == Data::String("zhejiang".into())));
    let params = wb.worksheet_range("Parameters").unwrap();
    assert!(
        (1..params.height()).any(|r| cell(&params, r, 0) == Data::String("run.years".into())
            && as_f64(&cell(&params, r, 1)) == spec.years as f64)
    );
    let about = wb.worksheet_range("About").unwrap();
    assert!(
        (1..about.height())
            .any(|r| matches!(cell(&about, r, 1), Data::String(s) if s.contains("sha256 ab12")))
    );
}

#[test]
fn chinese_workbook_has_chinese_sheets_and_no_compare_without_baseline() {
    let tmp = run_dir(&Synthetic::province());
    bin()
        .arg("report")
        .arg(tmp.path())
        .args(["--xlsx", "--lang", "zh", "-q"])
        .assert()
        .success();
    // The Chinese workbook has its own default name, so an English one
    // written next to it overwrites nothing.
    assert!(!tmp.path().join("results.xlsx").exists());
    bin()
        .arg("report")
        .arg(tmp.path())
        .args(["--xlsx", "--lang", "en", "--out"])
        .arg(tmp.path().join("report.en.html"))
        .arg("-q")
        .assert()
        .success();
    assert!(tmp.path().join("results.xlsx").exists());
    let mut wb: Xlsx<_> = open_workbook(tmp.path().join("results.zh.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["汇总", "策略比较", "时间序列", "区域", "参数", "说明"]
    );
    // The 64-bit seed is text, so a spreadsheet keeps every digit.
    let params = wb.worksheet_range("参数").unwrap();
    let seed_row = (0..params.height())
        .find(|&r| cell(&params, r, 0) == Data::String("run.seed".into()))
        .expect("run.seed row");
    assert!(
        matches!(cell(&params, seed_row, 1), Data::String(ref s) if s.parse::<u64>().is_ok()),
        "{:?}",
        cell(&params, seed_row, 1)
    );
    let compare = wb.worksheet_range("策略比较").unwrap();
    assert!(matches!(cell(&compare, 0, 0), Data::String(s) if s.contains("基准")));
    let summary = wb.worksheet_range("汇总").unwrap();
    assert_eq!(cell(&summary, 1, 1), Data::String("条块协同指数".into()));
}

#[test]
fn library_write_xlsx_is_deterministic() {
    let tmp = run_dir(&Synthetic::province());
    let p = tiaokuai::report::write_xlsx(tmp.path(), tiaokuai::catalog::Lang::En).unwrap();
    let first = std::fs::read(&p).unwrap();
    // A second call refuses to overwrite.
    assert!(tiaokuai::report::write_xlsx(tmp.path(), tiaokuai::catalog::Lang::En).is_err());
    std::fs::remove_file(&p).unwrap();
    tiaokuai::report::write_xlsx(tmp.path(), tiaokuai::catalog::Lang::En).unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), first);
}

fn assert_bad_input(dir: &Path, args: &[&str], msg: &str) {
    bin()
        .arg("report")
        .arg(dir)
        .args(args)
        .assert()
        .code(2)
        .stderr(contains(msg));
    assert!(!dir.join("report.html").exists() || args.is_empty());
}

#[test]
fn bad_inputs_exit_2_and_write_nothing() {
    let empty = tempfile::tempdir().unwrap();
    assert_bad_input(empty.path(), &[], "not a run directory");
    assert!(!empty.path().join("report.html").exists());
    assert_bad_input(
        &empty.path().join("missing"),
        &[],
        "run directory not found",
    );

    let tmp = run_dir(&Synthetic::province());
    assert_bad_input(tmp.path(), &["--lang", "fr"], "unknown language `fr`");

    let manifest = tmp.path().join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("\"format_version\": 1", "\"format_version\": 99"),
    )
    .unwrap();
    assert_bad_input(tmp.path(), &[], "newer tiaokuai");
    std::fs::write(
        &manifest,
        text.replace("\"format_version\": 1", "\"format_version\": 0"),
    )
    .unwrap();
    assert_bad_input(tmp.path(), &[], "older tiaokuai");
    std::fs::write(&manifest, text.replace("tiaokuai-run", "something-else")).unwrap();
    assert_bad_input(tmp.path(), &[], "unknown run-directory format");
    std::fs::write(&manifest, &text).unwrap();

    // A broken value deep in the time series is reported with its line.
    let ts_path = tmp.path().join("timeseries.csv");
    let ts = std::fs::read_to_string(&ts_path).unwrap();
    let mut lines: Vec<String> = ts.lines().map(String::from).collect();
    let last = lines.len() - 1;
    let cut = lines[last].rfind(',').unwrap();
    lines[last] = format!("{},oops", &lines[last][..cut]);
    std::fs::write(&ts_path, lines.join("\n") + "\n").unwrap();
    assert_bad_input(
        tmp.path(),
        &[],
        &format!(
            "timeseries.csv:{}:10, key `value`: `oops` is not a number",
            last + 1
        ),
    );
    std::fs::write(&ts_path, &ts).unwrap();

    std::fs::write(tmp.path().join("summary.csv"), "strategy,metric\n").unwrap();
    assert_bad_input(tmp.path(), &[], "unexpected CSV header");
    assert!(!tmp.path().join("report.html").exists());
}

#[test]
fn existing_report_needs_force() {
    let tmp = run_dir(&Synthetic::province());
    let out = tmp.path().join("report.html");
    // An earlier report of this tool (--force replaces nothing else).
    let old = "<!DOCTYPE html><footer>tiaokuai old</footer>";
    std::fs::write(&out, old).unwrap();
    bin()
        .arg("report")
        .arg(tmp.path())
        .arg("--xlsx")
        .assert()
        .code(2)
        .stderr(contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), old);
    assert!(!tmp.path().join("results.xlsx").exists());
    bin()
        .arg("report")
        .arg(tmp.path())
        .args(["--xlsx", "--force", "-q"])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert!(tmp.path().join("results.xlsx").exists());
}

#[test]
fn csv_files_with_an_excel_bom_are_read() {
    // `tiaokuai run --excel-csv` starts every CSV with a UTF-8 BOM.
    let spec = Synthetic::china();
    let tmp = run_dir(&spec);
    for f in ["timeseries.csv", "summary.csv", "scopes.csv", "metrics.csv"] {
        let p = tmp.path().join(f);
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(std::fs::read(&p).unwrap());
        std::fs::write(&p, bytes).unwrap();
    }
    bin()
        .arg("report")
        .arg(tmp.path())
        .arg("-q")
        .assert()
        .success();
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert_eq!(
        report_support::checks::assert_table_matches_summary(&html, tmp.path(), spec.years),
        spec.strategies.len() * registry::headline_ids().len()
    );
}

#[test]
fn same_run_gives_the_same_report_bytes() {
    let tmp = run_dir(&Synthetic::china());
    for name in ["a.html", "b.html"] {
        bin()
            .current_dir(tmp.path())
            .args(["report", ".", "-q", "--out", name])
            .assert()
            .success();
    }
    let a = std::fs::read(tmp.path().join("a.html")).unwrap();
    assert_eq!(a, std::fs::read(tmp.path().join("b.html")).unwrap());
    // The scenario file travels with the report.
    assert!(
        String::from_utf8(a)
            .unwrap()
            .contains("name = &quot;synthetic-china&quot;")
    );
}
