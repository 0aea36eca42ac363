//! The `csv` world preset on China's real division files
//! (`../shared/data/china-admin/`, about 44,700 units). Skipped with a
//! message when the folder is absent.

use std::path::Path;

use tiaokuai::catalog::{Level, Rank};
use tiaokuai::engine::Context;
use tiaokuai::experiment::run_replicate;
use tiaokuai::scenario;

fn data_dir() -> Option<std::path::PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/china-admin");
    if d.join("streets.csv").exists() {
        Some(d.canonicalize().unwrap())
    } else {
        eprintln!("skipped: {} not found", d.display());
        None
    }
}

#[test]
fn real_division_tree_loads_and_runs() {
    let Some(dir) = data_dir() else { return };
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
fn subset_depth_and_attributes_file() {
    let Some(dir) = data_dir() else { return };
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
