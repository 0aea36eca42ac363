//! The `china` preset: China's real division tree, built into the binary.
//!
//! The 31 provinces, 342 prefecture-level, 2,978 county-level and 41,352
//! township-level units with their names and NBS division codes (as of
//! 2023-06-30; `data/china-admin/`, from modood/Administrative-divisions-of-China,
//! licence file beside it), read by the same code as the `csv` preset.
//! Provinces keep their English ids (`zhejiang`); lower units are identified
//! by division code (`3301` Hangzhou). Statistical pseudo-units of the
//! division files are kept as units, since real units hang below them: the
//! "市辖区" (city districts) prefecture of each municipality, Chongqing's
//! "县" (its counties), and the "省直辖县级行政区划" of Henan, Hubei, Hainan and
//! Xinjiang (county-level cities under the province), each a prefecture-level
//! unit of rank prefecture; county- and township-level development zones
//! are counties and townships like any other. Province attributes come
//! from `world::statistics`; `world.csv.attributes` (a CSV keyed by
//! division code, relative to the scenario file) supplies real values of
//! any unit. `world.provinces` keeps a subset; `world.depth` stops the tree
//! early (lower files are not parsed).

use std::path::Path;

use super::UnitSpec;
use super::csv_tree::{self, ProvinceIds, Source};
use super::params::WorldParams;
use crate::catalog::provinces::{self, PROVINCES, Province};
use crate::error::{InputError, Result, did_you_mean};

/// The built-in division files (`data/china-admin/`).
pub const TREE: [(&str, &str); 4] = [
    (
        "provinces.csv",
        include_str!("../../data/china-admin/provinces.csv"),
    ),
    (
        "cities.csv",
        include_str!("../../data/china-admin/cities.csv"),
    ),
    (
        "areas.csv",
        include_str!("../../data/china-admin/areas.csv"),
    ),
    (
        "streets.csv",
        include_str!("../../data/china-admin/streets.csv"),
    ),
];

/// Text of one built-in division file (empty for an unknown name).
pub fn builtin_file(name: &str) -> &'static str {
    TREE.iter().find(|(n, _)| *n == name).map_or("", |(_, t)| t)
}

/// Unit specs of the national world from the built-in tree.
pub fn specs(p: &WorldParams, base: &Path) -> Result<Vec<UnitSpec>> {
    let keep = selected(p)?;
    let p = WorldParams {
        provinces: if p.provinces.is_empty() {
            Vec::new()
        } else {
            keep.iter().map(|x| x.id.to_string()).collect()
        },
        ..p.clone()
    };
    let attributes = (!p.csv.attributes.is_empty()).then(|| {
        let dir = if p.csv.dir.is_empty() {
            base.to_path_buf()
        } else {
            base.join(&p.csv.dir)
        };
        dir.join(&p.csv.attributes)
    });
    let names = TREE.map(|(n, _)| n);
    csv_tree::build(
        &p,
        &Source::Builtin,
        names,
        ProvinceIds::English,
        attributes,
    )
}

fn selected(p: &WorldParams) -> Result<Vec<&'static Province>> {
    if p.provinces.is_empty() {
        return Ok(PROVINCES.iter().collect());
    }
    p.provinces
        .iter()
        .enumerate()
        .map(|(i, name)| {
            provinces::find(name).ok_or_else(|| {
                let mut e = InputError::new(format!("unknown province `{name}`"))
                    .key(format!("world.provinces[{i}]"))
                    .expected(
                        "an English id such as `zhejiang`, or a Chinese name such as `浙江省`",
                    );
                if let Some(m) = did_you_mean(name, PROVINCES.iter().map(|p| p.id)) {
                    e = e.suggest(format!("did you mean `{m}`?"));
                }
                e.into()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Level, Rank};

    #[test]
    fn real_counts_at_full_depth() {
        let s = specs(
            &WorldParams {
                preset: super::super::params::Preset::China,
                ..Default::default()
            },
            Path::new("."),
        )
        .unwrap();
        let n = |l| s.iter().filter(|u| u.level == l).count();
        assert_eq!(
            (
                n(Level::Province),
                n(Level::City),
                n(Level::County),
                n(Level::Township)
            ),
            (31, 342, 2978, 41352)
        );
        let hz = s.iter().find(|u| u.id == "3301").unwrap();
        assert_eq!(hz.name_zh, "杭州市");
        assert_eq!(hz.rank, Rank::SubProvincial);
        assert_eq!(s[hz.parent as usize].id, "zhejiang");
        assert_eq!(s.iter().filter(|u| u.rank == Rank::Municipality).count(), 4);
    }

    #[test]
    fn subset_and_unknown_province() {
        let p = WorldParams {
            provinces: vec!["sichuan".into(), "重庆市".into()],
            depth: Level::City,
            ..Default::default()
        };
        let s = specs(&p, Path::new(".")).unwrap();
        assert_eq!(s.len(), 1 + 2 + 21 + 2);
        let p = WorldParams {
            provinces: vec!["sichaun".into()],
            ..Default::default()
        };
        let e = specs(&p, Path::new(".")).unwrap_err().to_string();
        assert!(e.contains("did you mean `sichuan`"), "{e}");
    }
}
