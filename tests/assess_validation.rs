//! Validation of the assessment engine against published indices: the UN
//! EGDI (2010–2018) recomputed from its published components, and the OECD
//! DGI 2023 composite and ranks recomputed from its six dimensions.
//!
//! The data live in `../shared/data/` beside the repository (as in CI), or
//! under `$TIAOKUAI_SHARED_DATA`; when absent the tests say so and skip.
//! Run with `--nocapture` to see the largest deviations per year.

use std::path::{Path, PathBuf};

use tiaokuai::assess::Framework;
use tiaokuai::assess::data::ReadOptions;
use tiaokuai::assess::pipeline::{Request, assess};
use tiaokuai::assess::score::rank_desc;

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("TIAOKUAI_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: reference data not found at {} (set TIAOKUAI_SHARED_DATA or place shared/ beside the repository)",
            dir.display()
        );
        None
    }
}

fn framework(name: &str) -> Framework {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("frameworks/{name}.toml"));
    Framework::load(&p).unwrap()
}

fn request(file: PathBuf, na: &[&str]) -> Request {
    Request {
        data: vec![file],
        read: ReadOptions {
            na: na.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
        group_col: None,
        uncertainty: None,
    }
}

/// (compared units, largest |ours − published|, unit with it, units ours
/// left missing while published has a non-zero value)
fn egdi_year(dir: &Path, year: u32, na: &[&str]) -> (usize, f64, String, usize) {
    let file = dir.join(format!("egdi/egdi-{year}.csv"));
    let a = assess(&framework("egdi"), &request(file, na)).unwrap();
    let published = a.table.numeric("e-gov-index").unwrap();
    let (mut n, mut worst, mut who, mut lost) = (0, 0.0f64, String::new(), 0);
    for (i, &p) in published.iter().enumerate() {
        let ours = a.scores.ws.index[i];
        // A published 0 (or blank) is the UN's code for "not assessed".
        if p.is_nan() || p == 0.0 {
            continue;
        }
        if ours.is_nan() {
            lost += 1;
            continue;
        }
        n += 1;
        let d = (ours - p).abs();
        if d > worst {
            worst = d;
            who = a.table.ids[i].clone();
        }
    }
    println!(
        "EGDI {year}: {n} countries compared, largest |deviation| = {worst:.6} ({who}), {lost} without all three components"
    );
    (n, worst, who, lost)
}

#[test]
fn egdi_2014_2016_2018_within_half_a_thousandth() {
    let Some(dir) = shared_data() else { return };
    for year in [2014, 2016, 2018] {
        let (n, worst, who, lost) = egdi_year(&dir, year, &[]);
        assert_eq!(n, 193, "{year}: every country compared");
        assert_eq!(lost, 0);
        assert!(worst <= 0.0005, "{year}: {who} deviates by {worst}");
    }
}

#[test]
fn egdi_2010_within_five_thousandths() {
    let Some(dir) = shared_data() else { return };
    let (n, worst, who, lost) = egdi_year(&dir, 2010, &[]);
    // 10 countries have no HCI in 2010 and are published with EGDI 0.
    assert!(n >= 180, "{n} compared");
    assert_eq!(lost, 0, "a country with a published EGDI lacks a component");
    assert!(worst <= 0.005, "2010: {who} deviates by {worst}");
}

#[test]
fn egdi_2012_zeros_are_missing_not_scores() {
    let Some(dir) = shared_data() else { return };
    // Read the 2012 zeros as missing values: countries the UN did not
    // assess (published EGDI 0, OSI 0) get no score instead of a fake one,
    // and those with a zero component are left out rather than averaged.
    let (n, worst, who, lost) = egdi_year(&dir, 2012, &["0"]);
    assert!(n >= 185, "{n} compared");
    assert!(worst <= 0.0005, "2012: {who} deviates by {worst}");
    assert!(lost <= 2, "{lost} published scores lost");
    let file = dir.join("egdi/egdi-2012.csv");
    let a = assess(&framework("egdi"), &request(file, &["0"])).unwrap();
    // every zero read as missing is reported, none silently
    assert!(
        a.scores
            .changes
            .iter()
            .all(|c| c.from == 0.0 && c.to.is_nan())
    );
    assert_eq!(
        a.scores.changes.len(),
        5,
        "LBY, CAF, GIN OSI; MMR TII; SOM HCI"
    );
    for code in ["LBY", "CAF", "GIN"] {
        let i = a.table.ids.iter().position(|x| x == code).unwrap();
        assert!(a.scores.ws.index[i].is_nan(), "{code} must be missing");
        assert_eq!(a.scores.rank[i], 0);
    }
}

#[test]
fn oecd_dgi_2023_composite_and_ranks() {
    let Some(dir) = shared_data() else { return };
    let file = dir.join("oecd-dgi/oecd_dgi_2023.csv");
    let a = assess(&framework("oecd-dgi"), &request(file, &[])).unwrap();
    let published = a.table.numeric("composite_index").unwrap();
    let pub_rank = a.table.numeric("composite_rank").unwrap();
    let (mut worst, mut who) = (0.0f64, String::new());
    for (i, &p) in published.iter().enumerate() {
        let d = (a.scores.ws.index[i] - p).abs();
        assert!(!d.is_nan(), "{} has no composite", a.table.ids[i]);
        if d > worst {
            worst = d;
            who = a.table.ids[i].clone();
        }
    }
    println!(
        "OECD DGI 2023: {} countries compared, largest |deviation| = {worst:.6} ({who})",
        published.len()
    );
    assert_eq!(published.len(), 38);
    assert!(worst <= 0.001, "{who} deviates by {worst}");
    // Ranks are published for OECD members only: rank among those.
    let members: Vec<usize> = (0..pub_rank.len())
        .filter(|&i| !pub_rank[i].is_nan())
        .collect();
    let scores: Vec<f64> = members.iter().map(|&i| a.scores.ws.index[i]).collect();
    let mut ranks = vec![0; scores.len()];
    rank_desc(&scores, &mut ranks, &mut Vec::new());
    for (j, &i) in members.iter().enumerate() {
        assert_eq!(
            f64::from(ranks[j]),
            pub_rank[i],
            "rank of {}",
            a.table.ids[i]
        );
    }
    assert_eq!(members.len(), 33);
}
