//! `tiaokuai assess`: the real binary in a scratch directory — outputs,
//! overwrite rules, wide and long data, several files scored together
//! (real and simulated units), uncertainty determinism, and bad input
//! (exit code 2, nothing written).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;
use tiaokuai::assess::Framework;
use tiaokuai::assess::data::write_wide;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tiaokuai"))
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A small EGDI-like file (with a BOM): 12 countries, deterministic values.
fn egdi_like(dir: &Path) -> (PathBuf, Vec<(String, f64)>) {
    let mut text = String::from("\u{feff}country-code,osi,hci,tii\n");
    let mut want = Vec::new();
    for i in 0..12u32 {
        let f = f64::from(i);
        let (o, h, t) = (0.1 + 0.07 * f, 0.9 - 0.03 * f, 0.2 + 0.05 * f * (f % 3.0));
        text.push_str(&format!("C{i:02},{o},{h},{t}\n"));
        want.push((format!("C{i:02}"), (o + h + t) / 3.0));
    }
    let p = dir.join("egdi-like.csv");
    fs::write(&p, text).unwrap();
    (p, want)
}

fn read_csv(p: &Path) -> Vec<Vec<String>> {
    fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn wide_file_writes_scores_long_table_and_manifest() {
    let d = TempDir::new().unwrap();
    let (data, want) = egdi_like(d.path());
    let out = d.path().join("out");
    let assert = bin()
        .arg("assess")
        .arg(&data)
        .arg("--framework")
        .arg(repo("frameworks/egdi.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for f in [
        "scores.csv",
        "scores-long.csv",
        "treatment.csv",
        "framework.toml",
        "manifest.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let rows = read_csv(&out.join("scores.csv"));
    assert_eq!(rows[0], ["id", "index", "rank", "band"]);
    assert_eq!(rows.len(), 13);
    for row in &rows[1..] {
        let w = want.iter().find(|(id, _)| *id == row[0]).unwrap().1;
        let got: f64 = row[1].parse().unwrap();
        assert!((got - w).abs() < 1e-12, "{row:?} vs {w}");
        let band = match w {
            x if x >= 0.75 => "very high",
            x if x >= 0.5 => "high",
            x if x >= 0.25 => "middle",
            _ => "low",
        };
        assert_eq!(row[3], band);
    }
    // stdout sorted by rank: the first data line holds the best unit
    let best = want
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap()
        .0
        .clone();
    let first = stdout.lines().nth(1).unwrap();
    assert!(
        first.trim_start().starts_with("1 ") && first.contains(&best),
        "{stdout}"
    );
    // long table: index + 3 indicators per unit
    let long = read_csv(&out.join("scores-long.csv"));
    assert_eq!(
        long[0],
        [
            "unit",
            "node",
            "kind",
            "parent",
            "raw",
            "treated",
            "normalised",
            "weighted",
            "aggregated"
        ]
    );
    assert_eq!(long.len(), 1 + 12 * 4);
    let m = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(m.contains("\"format\": \"tiaokuai-assess\""));
    // framework.toml is a byte copy
    assert_eq!(
        fs::read(out.join("framework.toml")).unwrap(),
        fs::read(repo("frameworks/egdi.toml")).unwrap()
    );
}

#[test]
fn refuses_non_empty_out_without_force_and_defaults_under_outputs() {
    let d = TempDir::new().unwrap();
    let (data, _) = egdi_like(d.path());
    let fw = repo("frameworks/egdi.toml");
    let run = |extra: &[&str]| {
        let mut c = bin();
        c.current_dir(d.path())
            .arg("assess")
            .arg(&data)
            .arg("--framework")
            .arg(&fw)
            .args(extra);
        c.assert()
    };
    run(&["--quiet"]).success().stdout("");
    let out = d.path().join("outputs/assess-egdi-like");
    assert!(out.join("scores.csv").is_file());
    fs::write(out.join("scores.csv"), "mine").unwrap();
    run(&[]).code(2);
    assert_eq!(fs::read_to_string(out.join("scores.csv")).unwrap(), "mine");
    run(&["--force"]).success();
    assert_ne!(fs::read_to_string(out.join("scores.csv")).unwrap(), "mine");
}

#[test]
fn long_format_with_bom_is_read() {
    let d = TempDir::new().unwrap();
    let mut text = String::from("\u{feff}\"cc_iso3c\",\"ref_year\",\"variable\",\"value\"\n");
    let dims = [
        "digital_design",
        "data_driven",
        "govt_as_platform",
        "open_default",
        "user_driven",
        "proactiveness",
    ];
    for (u, base) in [("AAA", 0.8), ("BBB", 0.5), ("CCC", 0.65)] {
        for (j, dim) in dims.iter().enumerate() {
            text.push_str(&format!(
                "\"{u}\",2023,\"{dim}\",{}\n",
                base + 0.01 * j as f64
            ));
        }
    }
    let data = d.path().join("dgi.csv");
    fs::write(&data, text).unwrap();
    let out = d.path().join("o");
    bin()
        .arg("assess")
        .arg(&data)
        .args(["--framework"])
        .arg(repo("frameworks/oecd-dgi.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("scores.csv"));
    assert_eq!(rows[1][0], "AAA");
    let idx: f64 = rows[1][1].parse().unwrap();
    assert!((idx - (0.8 + 0.025)).abs() < 1e-12, "{idx}");
    assert_eq!(rows[1][2], "1");
    assert_eq!(rows[2][2], "3");
}

/// The simulator's indicator columns, in row order.
const SIM_COLUMNS: [&str; 15] = tiaokuai::engine::maturity::COLUMNS;

fn sim_value(unit: usize, col: usize) -> f64 {
    let share = ((unit * 7 + col * 3) % 10) as f64 / 10.0 + 0.05;
    if matches!(col, 3 | 4 | 13) {
        share * 100.0
    } else {
        share
    }
}

#[test]
fn real_and_simulated_units_share_one_table() {
    let d = TempDir::new().unwrap();
    // The simulated file, written by the function the simulator uses.
    let ids: Vec<String> = (0..5).map(|i| format!("sim-county-{i}")).collect();
    let rows: Vec<f64> = (0..5)
        .flat_map(|u| (0..SIM_COLUMNS.len()).map(move |c| sim_value(u, c)))
        .collect();
    let sim = d.path().join("indicators.csv");
    write_wide(&sim, "unit", &ids, &SIM_COLUMNS, &rows).unwrap();
    // A "real" file with a different id column and column order, one gap.
    let mut real = String::from("province,");
    let mut cols: Vec<&str> = SIM_COLUMNS.to_vec();
    cols.reverse();
    real.push_str(&cols.join(","));
    real.push('\n');
    for (p, level) in [("guizhou", 0.3), ("zhejiang", 0.9)] {
        real.push_str(p);
        for c in &cols {
            let v = if *c == "openness" && p == "guizhou" {
                String::new()
            } else if matches!(*c, "services_online" | "zero_visit_share" | "openness") {
                format!("{}", level * 100.0)
            } else {
                format!("{level}")
            };
            real.push(',');
            real.push_str(&v);
        }
        real.push('\n');
    }
    let real_p = d.path().join("real.csv");
    fs::write(&real_p, real).unwrap();
    let out = d.path().join("o");
    bin()
        .arg("assess")
        .arg(&real_p)
        .arg(&sim)
        .arg("--framework")
        .arg(repo("frameworks/tiaokuai.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let table = read_csv(&out.join("scores.csv"));
    assert_eq!(&table[0][..2], ["id", "source"]);
    assert!(table[0].contains(&"data_sharing".to_string()));
    assert!(table[0].contains(&"vertical_flow".to_string()));
    assert_eq!(table.len(), 1 + 2 + 5);
    assert_eq!(table[1][..2], ["guizhou", "real"]);
    assert_eq!(table[3][..2], ["sim-county-0", "indicators"]);
    let idx_col = table[0].iter().position(|c| c == "index").unwrap();
    // zhejiang has 0.9 on every indicator: index 90, stage 5
    assert!((table[2][idx_col].parse::<f64>().unwrap() - 90.0).abs() < 1e-9);
    assert_eq!(table[2].last().unwrap(), "5 data-driven");
    // Goalposts make a unit's score independent of the others, and the
    // simulator's Scorer gives exactly the same numbers.
    let fw = Framework::load(&repo("frameworks/tiaokuai.toml")).unwrap();
    let mut scorer = fw.scorer(&SIM_COLUMNS).unwrap();
    let (mut index, mut stage) = (vec![0.0; 5], vec![0u8; 5]);
    scorer.score(&rows, &mut index, &mut stage);
    for (u, row) in table[3..].iter().enumerate() {
        let got: f64 = row[idx_col].parse().unwrap();
        assert_eq!(got, index[u], "unit {u}");
        assert_eq!(row.last().unwrap(), &fw.bands[stage[u] as usize - 1].name);
    }
}

fn dgi_like(dir: &Path, n: usize) -> PathBuf {
    let mut text = String::from(
        "id,digital_design,data_driven,govt_as_platform,open_default,user_driven,proactiveness\n",
    );
    for u in 0..n {
        text.push_str(&format!("U{u:02}"));
        for c in 0..6 {
            text.push_str(&format!(
                ",{}",
                ((u * 13 + c * 7) % 17) as f64 / 17.0 + 0.02
            ));
        }
        text.push('\n');
    }
    let p = dir.join("dgi-like.csv");
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn uncertainty_is_deterministic_across_threads() {
    let d = TempDir::new().unwrap();
    let data = dgi_like(d.path(), 15);
    let run = |name: &str, threads: &str, seed: &str| {
        let out = d.path().join(name);
        bin()
            .arg("assess")
            .arg(&data)
            .arg("--framework")
            .arg(repo("frameworks/oecd-dgi.toml"))
            .args([
                "--uncertainty",
                "64",
                "--seed",
                seed,
                "--threads",
                threads,
                "--quiet",
            ])
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        (
            fs::read(out.join("uncertainty.csv")).unwrap(),
            fs::read(out.join("sensitivity.csv")).unwrap(),
        )
    };
    let one = run("t1", "1", "5");
    let two = run("t2", "2", "5");
    assert_eq!(one, two);
    let other = run("t3", "2", "6");
    assert_ne!(one.1, other.1);
    let sens = String::from_utf8(one.1).unwrap();
    assert!(sens.starts_with("factor,first_order_share,total_order_share\nweights,"));
    assert!(sens.contains("\naggregation,"));
    for line in sens.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(v.iter().all(|x| (-0.2..=1.2).contains(x)), "{line}");
    }
    let unc = String::from_utf8(one.0).unwrap();
    for line in unc.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .skip(1)
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(v[1] <= v[2] && v[2] <= v[3], "{line}");
        assert!(v[1] >= 1.0 && v[3] <= 15.0);
    }
}

#[test]
fn every_declared_choice_gets_a_variance_share() {
    let d = TempDir::new().unwrap();
    let ids: Vec<String> = (0..12).map(|i| format!("u{i}")).collect();
    let rows: Vec<f64> = (0..12)
        .flat_map(|u| (0..SIM_COLUMNS.len()).map(move |c| sim_value(u, c)))
        .collect();
    let sim = d.path().join("sim.csv");
    write_wide(&sim, "unit", &ids, &SIM_COLUMNS, &rows).unwrap();
    let out = d.path().join("o");
    bin()
        .arg("assess")
        .arg(&sim)
        .arg("--framework")
        .arg(repo("frameworks/tiaokuai.toml"))
        .args(["--uncertainty", "40", "--seed", "2", "--quiet"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let s = fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let factors: Vec<&str> = s
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        factors,
        ["weights", "normalisation", "aggregation", "imputation"]
    );
    // no gaps in the data: the imputation choice cannot move any rank
    let imp = s.lines().last().unwrap();
    assert!(imp.ends_with(",0,0"), "{imp}");
}

#[test]
fn imputation_and_outliers_are_reported() {
    let d = TempDir::new().unwrap();
    let fw = d.path().join("fw.toml");
    fs::write(
        &fw,
        FW.replace(
            "[index]",
            "[pretreat]\nimputation = \"mean\"\noutliers = \"winsorise\"\nwinsor = [0.0, 0.75]\n[index]",
        ),
    )
    .unwrap();
    let data = d.path().join("d.csv");
    fs::write(&data, "id,a,b,c\nx,1,2,3\ny,,3,4\nz,4,4,5\nw,5,5,100\n").unwrap();
    let out = d.path().join("o");
    let a = bin()
        .arg("assess")
        .arg(&data)
        .arg("--framework")
        .arg(&fw)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("imputed: mean"), "{stdout}");
    let t = read_csv(&out.join("treatment.csv"));
    assert_eq!(
        t[0],
        ["unit", "indicator", "column", "from", "to", "reason"]
    );
    // y's `a` imputed with the mean of 1, 4, 5
    assert_eq!(t[1][..5], ["y", "a", "a", "", &(10.0f64 / 3.0).to_string()]);
    // c = 3, 4, 5, 100: the 75% quantile (type 7) is 5 + 0.25 * 95
    let q = 5.0 + 0.25 * 95.0;
    let w = t.iter().find(|r| r[0] == "w" && r[1] == "c").unwrap();
    assert_eq!(w[3..5], ["100".to_string(), q.to_string()]);
    // the long table shows raw and treated side by side
    let long = read_csv(&out.join("scores-long.csv"));
    let row = long.iter().find(|r| r[0] == "w" && r[1] == "c").unwrap();
    assert_eq!(row[4..6], ["100".to_string(), q.to_string()]);
}

/// Run with a framework text and data text; expect exit 2, `needle` in
/// stderr, and no output directory.
fn bad(framework: &str, data: &str, needle: &str) {
    let d = TempDir::new().unwrap();
    let fw = d.path().join("fw.toml");
    fs::write(&fw, framework).unwrap();
    let data_p = d.path().join("data.csv");
    fs::write(&data_p, data).unwrap();
    let out = d.path().join("out");
    let a = bin()
        .arg("assess")
        .arg(&data_p)
        .arg("--framework")
        .arg(&fw)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    assert!(!out.exists(), "nothing may be written");
    assert_eq!(fs::read_dir(d.path()).unwrap().count(), 2, "no stray files");
}

const FW: &str = r#"
[framework]
id = "t"
name = "t"
[defaults]
normalisation = "minmax"
[index]
children = ["p", "c"]
[[pillar]]
id = "p"
children = ["a", "b"]
[[indicator]]
id = "a"
[[indicator]]
id = "b"
[[indicator]]
id = "c"
"#;
const DATA: &str = "id,a,b,c\nx,1,2,3\ny,2,3,4\n";

#[test]
fn bad_frameworks_exit_2() {
    bad(
        &FW.replace("children = [\"a\", \"b\"]", "children = [\"a\", \"b\", \"q\"]\n[[pillar]]\nid = \"q\"\nchildren = [\"r\"]\n[[pillar]]\nid = \"r\"\nchildren = [\"q\"]"),
        DATA,
        "child of both",
    );
    bad(
        &FW.replace("[[pillar]]", "[[pillar]]\nid = \"q\"\nchildren = [\"r\"]\n[[pillar]]\nid = \"r\"\nchildren = [\"q\"]\n[[pillar]]"),
        DATA,
        "cycle in the hierarchy",
    );
    bad(
        &FW.replace("[\"a\", \"b\"]", "[\"a\", \"bb\"]"),
        DATA,
        "did you mean `b`",
    );
    bad(
        &FW.replace(
            "children = [\"p\", \"c\"]",
            "children = [\"p\", \"c\"]\nweights = { p = -1, c = 1 }",
        ),
        DATA,
        "negative",
    );
    bad(
        &FW.replace(
            "children = [\"p\", \"c\"]",
            "children = [\"p\", \"c\"]\nweights = { p = 1 }",
        ),
        DATA,
        "no weight for child `c`",
    );
    bad("not toml [", DATA, "fw.toml:1");
}

#[test]
fn bad_data_exit_2() {
    bad(FW, "id,a,bx,c\nx,1,2,3\n", "did you mean `bx`");
    bad(FW, "id,a,b,c\nx,1,2,3\ny,2,oops,4\n", "data.csv:3:3");
    bad(FW, "id,a,b,c\nx,1,2,3\nx,2,3,4\n", "duplicate unit id `x`");
    bad(FW, "", "empty");
    bad(FW, "id,a,b,c\n", "no rows");
}
