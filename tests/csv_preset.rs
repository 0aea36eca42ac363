//! The `csv` world preset: on a small fixture in the repository
//! (`tests/fixtures/china-admin-mini/`, 2 provinces, 3 cities, 5 counties
//! and 12 townships cut from China's division files), always; and on the
//! full files (`../shared/data/china-admin/`, about 44,700 units) in an
//! ignored test, run with `cargo test --release --test csv_preset -- --ignored`
//! where that folder exists.

use std::path::{Path, PathBuf};

use tiaokuai::catalog::{Level, Rank};
use tiaokuai::experiment::run_replicate;
use tiaokuai::scenario;
use tiaokuai::sim::Context;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/china-admin-mini")
}

fn full_data_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/china-admin");
    assert!(
        d.join("streets.csv").exists(),
        "{} not found: this test needs China's full division files",
        d.display()
    );
    d.canonicalize().unwrap()
}

fn counts(ctx: &Context) -> (usize, usize, usize, usize) {
    let n = ctx.world.units_by_level();
    (
        n[Level::Province as usize],
        n[Level::City as usize],
        n[Level::County as usize],
        n[Level::Township as usize],
    )
}

#[test]
fn fixture_tree_loads_and_runs() {
    let toml = format!(
        "name = \"mini\"\n[run]\nyears = 1\n[world]\npreset = \"csv\"\n[world.csv]\ndir = \"{}\"\n",
        fixture_dir().display()
    );
    let ctx = Context::new(scenario::from_str(&toml, None).unwrap()).unwrap();
    assert_eq!(counts(&ctx), (2, 3, 5, 12));
    let hz = ctx.world.units.iter().find(|u| u.id == "3301").unwrap();
    assert_eq!(hz.name_zh, "杭州市");
    assert_eq!(hz.rank, Rank::SubProvincial);
    let xn = ctx.world.units.iter().find(|u| u.id == "6301").unwrap();
    assert_eq!(xn.rank, Rank::Prefecture);
    let qh = ctx.world.units.iter().find(|u| u.id == "63").unwrap();
    assert_eq!(qh.name_en, "Qinghai");
    let s = run_replicate(&ctx, 0, 0);
    let c = s.horizon("collab_index").unwrap();
    assert!(c.is_finite() && (0.0..=100.0).contains(&c));
}

#[test]
fn fixture_subset_depth_and_attributes_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("attrs.csv"),
        "code,fiscal,population\n3301,0.95,12000000\n",
    )
    .unwrap();
    let toml = format!(
        "name = \"mini\"\n[world]\npreset = \"csv\"\ndepth = \"county\"\nprovinces = [\"zhejiang\"]\n[world.csv]\ndir = \"{}\"\nattributes = \"{}\"\n",
        fixture_dir().display(),
        tmp.path().join("attrs.csv").display()
    );
    let ctx = Context::new(scenario::from_str(&toml, None).unwrap()).unwrap();
    assert_eq!(counts(&ctx), (1, 2, 3, 0));
    let hz = ctx.world.units.iter().find(|u| u.id == "3301").unwrap();
    assert_eq!(hz.fiscal, 0.95);
    assert_eq!(hz.population, 12_000_000.0);
    assert!(ctx.world.units.iter().all(|u| u.id != "63"));
}

#[test]
#[ignore = "needs ../shared/data/china-admin (China's full division files)"]
fn real_division_tree_loads_and_runs() {
    let dir = full_data_dir();
    let toml = format!(
        "name = \"real\"\n[run]\nyears = 1\n[world]\npreset = \"csv\"\n[world.csv]\ndir = \"{}\"\n",
        dir.display()
    );
    let sc = scenario::from_str(&toml, None).unwrap();
    let ctx = Context::new(sc).unwrap();
    let n = ctx.world.units_by_level();
    assert_eq!(
        (
            n[Level::Province as usize],
            n[Level::City as usize],
            n[Level::County as usize],
            n[Level::Township as usize]
        ),
        (31, 342, 2978, 41352)
    );
    let hz = ctx.world.units.iter().find(|u| u.id == "3301").unwrap();
    assert_eq!(hz.name_zh, "杭州市");
    assert_eq!(hz.rank, Rank::SubProvincial);
    let zj = ctx.world.units.iter().find(|u| u.id == "33").unwrap();
    assert_eq!(zj.name_en, "Zhejiang");
    let s = run_replicate(&ctx, 0, 0);
    let c = s.horizon("collab_index").unwrap();
    assert!(c.is_finite() && (0.0..=100.0).contains(&c));
}

#[test]
#[ignore = "needs ../shared/data/china-admin (China's full division files)"]
fn subset_depth_and_attributes_file() {
    let dir = full_data_dir();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("attrs.csv"),
        "code,fiscal,population\n3301,0.95,12000000\n",
    )
    .unwrap();
    let toml = format!(
        "name = \"real\"\n[world]\npreset = \"csv\"\ndepth = \"county\"\nprovinces = [\"zhejiang\"]\n[world.csv]\ndir = \"{}\"\nattributes = \"{}\"\n",
        dir.display(),
        tmp.path().join("attrs.csv").display()
    );
    let ctx = Context::new(scenario::from_str(&toml, None).unwrap()).unwrap();
    let n = ctx.world.units_by_level();
    assert_eq!(n[Level::Province as usize], 1);
    assert_eq!(n[Level::Township as usize], 0);
    let hz = ctx.world.units.iter().find(|u| u.id == "3301").unwrap();
    assert_eq!(hz.fiscal, 0.95);
    assert_eq!(hz.population, 12_000_000.0);
}

#[test]
fn bad_csv_files_are_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("provinces.csv"), "code,name\n99,Atlantis\n").unwrap();
    let toml = format!(
        "name = \"x\"\n[world]\npreset = \"csv\"\ndepth = \"city\"\n[world.csv]\ndir = \"{}\"\n",
        tmp.path().display()
    );
    let e = Context::new(scenario::from_str(&toml, None).unwrap()).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(e.to_string().contains("provinces.csv:2:1"), "{e}");
    std::fs::write(tmp.path().join("provinces.csv"), "code,name\n33,浙江省\n").unwrap();
    let e = Context::new(scenario::from_str(&toml, None).unwrap()).unwrap_err();
    assert!(
        e.to_string().contains("cities.csv") && e.to_string().contains("file not found"),
        "{e}"
    );
}
