//! The `china` preset on real inputs: the restated provincial statistics
//! against the reference tables, the built-in division tree, one real
//! province run on its own, and province attributes that come from data.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tiaokuai::catalog::china_stats::STATS;
use tiaokuai::catalog::{Level, Rank};
use tiaokuai::experiment::run_replicate;
use tiaokuai::scenario;
use tiaokuai::sim::Context;
use tiaokuai::world::statistics::{self, StatisticsParams};

/// The reference tables (`../shared/data/china-stats`) when present, else
/// the in-repo excerpt of them (three provinces), and whether they are complete.
fn stats_dir() -> (PathBuf, bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/data/china-stats");
    if shared.join("01_gdp_per_capita.csv").exists() {
        eprintln!("checking every restated value against {}", shared.display());
        (shared, true)
    } else {
        let fixture = root.join("tests/data/china-stats");
        eprintln!(
            "{} not found: checking against the excerpt in {}",
            shared.display(),
            fixture.display()
        );
        (fixture, false)
    }
}

/// Rows of a reference table: code, year, value and (for table 02) indicator.
fn rows(dir: &Path, file: &str) -> Vec<HashMap<String, String>> {
    common::csv_records(&dir.join(file))
}

fn stat(code: &str) -> &'static tiaokuai::catalog::china_stats::ProvinceStats {
    let c: u32 = code.parse().unwrap();
    STATS.iter().find(|s| s.code == c).unwrap()
}

#[test]
fn restated_statistics_match_the_reference_tables() {
    let (dir, complete) = stats_dir();
    let need = if complete { 31 } else { 3 };
    let num = |r: &HashMap<String, String>| r["value"].parse::<f64>().unwrap();
    let mut checked = 0;
    let mut check =
        |file: &str, pick: &dyn Fn(&HashMap<String, String>) -> bool, get: &dyn Fn(&str) -> f64| {
            let mut n = 0;
            for r in rows(&dir, file).iter().filter(|r| pick(r)) {
                assert_eq!(get(&r["code"]), num(r), "{file}, province {}", r["code"]);
                n += 1;
            }
            assert!(n >= need, "{file}: {n} rows checked, expected {need}");
            checked += n;
        };
    check("01_gdp_per_capita.csv", &|r| r["year"] == "2019", &|c| {
        stat(c).gdp_per_capita
    });
    let budget = "02_budget_revenue_expenditure_2019.csv";
    check(budget, &|r| r["indicator"] == "revenue", &|c| {
        stat(c).revenue
    });
    check(budget, &|r| r["indicator"] == "expenditure", &|c| {
        stat(c).expenditure
    });
    check(
        "03_population_2019_and_2020census.csv",
        &|r| r["year"] == "2019",
        &|c| stat(c).population_2019,
    );
    check(
        "05_university_educated_per100k_2020census.csv",
        &|_| true,
        &|c| stat(c).university_per_100k,
    );
    // Digital-economy ranks: every listed 2019 rank restated, nothing else.
    let listed: Vec<_> = rows(&dir, "07_digital_economy_index.csv")
        .into_iter()
        .filter(|r| r["year"] == "2019")
        .collect();
    for r in &listed {
        assert_eq!(stat(&r["code"]).digital_rank_2019, Some(num(r) as u32));
    }
    if complete {
        assert_eq!(
            listed.len(),
            STATS
                .iter()
                .filter(|s| s.digital_rank_2019.is_some())
                .count()
        );
    } else {
        assert!(!listed.is_empty());
    }
    assert!(checked >= 5 * need);
}

fn context(toml: &str) -> Context {
    Context::new(scenario::from_str(toml, None).unwrap()).unwrap()
}

#[test]
fn china_preset_has_the_real_tree_and_province_attributes_from_statistics() {
    let ctx = context(
        "name = \"cn\"\n[run]\nyears = 1\n[world]\npreset = \"china\"\ndepth = \"county\"\n",
    );
    let n = ctx.world.units_by_level();
    assert_eq!(
        (n[1], n[2], n[3]),
        (31, 342, 2978),
        "provinces, prefectures, counties"
    );
    let want = statistics::province_attributes(&StatisticsParams::default());
    for (s, a) in STATS.iter().zip(&want) {
        let info = tiaokuai::catalog::provinces::PROVINCES
            .iter()
            .find(|p| p.code == s.code)
            .unwrap();
        let u = &ctx.world.units[ctx.world.find_unit(info.id).unwrap() as usize];
        assert_eq!(
            [u.fiscal, u.digital, u.talent, u.institutions],
            *a,
            "{}",
            info.id
        );
    }
    // Control: without the statistics, provinces draw around region means instead.
    let ctl = context(
        "name = \"cn\"\n[run]\nyears = 1\n[world]\npreset = \"china\"\ndepth = \"city\"\n[world.statistics]\nenabled = false\n",
    );
    let bj = |c: &Context| c.world.units[c.world.find_unit("beijing").unwrap() as usize].talent;
    assert_ne!(bj(&ctl), bj(&ctx));
}

#[test]
fn one_real_province_runs_with_its_own_cities_and_counties() {
    let ctx = context(
        "name = \"gz\"\n[run]\nyears = 1\nreplicates = 1\n[world]\npreset = \"china\"\ndepth = \"county\"\nprovinces = [\"guizhou\"]\n",
    );
    let w = &ctx.world;
    assert_eq!(w.units_by_level(), [1, 1, 9, 88, 0]);
    let gy = &w.units[w.find_unit("贵阳市").unwrap() as usize];
    assert_eq!((gy.id.as_str(), gy.rank), ("5201", Rank::Prefecture));
    assert!(w.units.iter().skip(2).all(|u| u.id.starts_with("52")));
    let s = run_replicate(&ctx, 0, 0);
    assert!(s.horizon("collab_index").unwrap().is_finite());
}

/// Mean of an attribute over a province's counties.
fn county_mean(ctx: &Context, province: &str, k: usize) -> f64 {
    let w = &ctx.world;
    let p = w.find_unit(province).unwrap();
    let v: Vec<f64> = (0..w.units.len())
        .filter(|&i| w.units[i].level == Level::County && w.province_of[i] == p)
        .map(|i| {
            let u = &w.units[i];
            [u.fiscal, u.digital, u.talent, u.institutions][k]
        })
        .collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn counties_draw_around_their_province_and_data_files_override() {
    // Beijing and Hebei share a region group; only their statistics differ.
    let toml = "name = \"cn\"\n[run]\nyears = 1\n[world]\npreset = \"china\"\ndepth = \"county\"\nprovinces = [\"beijing\", \"hebei\"]\n[world.attributes]\nspread = 0.02\n";
    let ctx = context(toml);
    let (bj, hb) = (
        county_mean(&ctx, "beijing", 2),
        county_mean(&ctx, "hebei", 2),
    );
    assert!(bj > hb + 0.2, "Beijing counties {bj}, Hebei counties {hb}");
    // Control: with region means only, the two provinces' counties look alike.
    let ctl = context(&format!("{toml}[world.statistics]\nenabled = false\n"));
    let (bj0, hb0) = (
        county_mean(&ctl, "beijing", 2),
        county_mean(&ctl, "hebei", 2),
    );
    assert!((bj0 - hb0).abs() < 0.05, "{bj0} vs {hb0}");
    // A CSV of real sub-provincial values replaces the draw.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("sub.csv"), "code,talent\n130102,0.33\n").unwrap();
    std::fs::write(
        tmp.path().join("s.toml"),
        format!("{toml}[world.csv]\nattributes = \"sub.csv\"\n"),
    )
    .unwrap();
    let sc = scenario::load(&tmp.path().join("s.toml")).unwrap();
    let ctx = Context::new(sc).unwrap();
    let u = &ctx.world.units[ctx.world.find_unit("130102").unwrap() as usize];
    assert_eq!(u.talent, 0.33);
}

/// Run a small scenario to a folder; the text of summary.csv and timeseries.csv.
fn run_files(extra: &str) -> (String, String) {
    let toml = format!(
        "name = \"cal\"\n[run]\nyears = 2\nreplicates = 2\n{extra}[world]\ncities = 2\ncounties_per_city = 2\ndepth = \"county\"\n"
    );
    let ctx = context(&toml);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let opts = tiaokuai::experiment::RunOptions {
        out: out.clone(),
        threads: Some(1),
        quiet: true,
        ..Default::default()
    };
    tiaokuai::experiment::run_to_dir(&ctx, &opts).unwrap();
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    (read("summary.csv"), read("timeseries.csv"))
}

#[test]
fn start_year_dates_every_row() {
    let (summary, ts) = run_files("start_year = 2016\n");
    let header = summary.lines().next().unwrap();
    assert!(header.ends_with(",p95,calendar_year"), "{header}");
    for line in summary.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let year: i32 = f[2].parse().unwrap();
        assert_eq!(f[11].parse::<i32>().unwrap(), 2015 + year, "{line}");
    }
    assert!(ts.lines().next().unwrap().ends_with(",value,calendar_year"));
    let first_quarter = ts.lines().find(|l| l.contains(",1,1,world,")).unwrap();
    assert!(first_quarter.ends_with(",2016"), "{first_quarter}");
    // Control: without start_year the files carry no calendar column.
    let (plain, plain_ts) = run_files("");
    assert!(plain.lines().next().unwrap().ends_with(",p95"));
    assert!(!plain_ts.contains("calendar_year"));
    // The other columns are unchanged by dating the run.
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .skip(1)
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(
        strip(&summary),
        plain.lines().skip(1).map(String::from).collect::<Vec<_>>()
    );
}
