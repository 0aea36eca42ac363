//! The `china` preset: the 31 provinces with their real names, NBS region
//! group, municipality flag, per-province counts of prefecture, county and
//! township units and 2020 census population (`catalog::provinces`).
//! Sub-units are synthetic: a province's counties are spread as evenly as
//! possible over its prefectures, and its townships over its counties.
//! `world.provinces` keeps a subset; `world.depth` stops the tree early.

use super::params::WorldParams;
use super::{NONE, UnitSpec};
use crate::catalog::provinces::{self, PROVINCES, Province};
use crate::catalog::{Level, Rank, Region};
use crate::error::{InputError, Result, did_you_mean};

/// Leading provinces named in the source.
pub const LEADERS: [&str; 3] = ["zhejiang", "shanghai", "guangdong"];

/// Unit specs of the national world, breadth-first within each province.
pub fn specs(p: &WorldParams) -> Result<Vec<UnitSpec>> {
    let keep = selected(p)?;
    let total: u64 = keep.iter().map(|x| x.population).sum();
    let mut out = vec![UnitSpec {
        id: "national".into(),
        name_en: "Central government".into(),
        name_zh: "中央".into(),
        level: Level::National,
        parent: NONE,
        region: Region::East,
        rank: Rank::National,
        population: Some(total as f64),
        leader: false,
        fixed: [None; 4],
    }];
    for prov in keep {
        add_province(&mut out, prov, p.depth);
    }
    Ok(out)
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

fn add_province(out: &mut Vec<UnitSpec>, prov: &Province, depth: Level) {
    let pi = out.len() as u32;
    let leader = LEADERS.contains(&prov.id);
    out.push(UnitSpec {
        id: prov.id.into(),
        name_en: prov.name_en.into(),
        name_zh: prov.name_zh.into(),
        level: Level::Province,
        parent: 0,
        region: prov.region,
        rank: if prov.municipality {
            Rank::Municipality
        } else {
            Rank::Province
        },
        population: Some(prov.population as f64),
        leader,
        fixed: [None; 4],
    });
    let cities: Vec<u32> = (0..prov.prefectures)
        .map(|c| {
            out.push(UnitSpec {
                id: format!("{}-c{:02}", prov.id, c + 1),
                name_en: format!("{} city {}", prov.name_en, c + 1),
                name_zh: format!("{}第{}市", prov.name_zh, c + 1),
                level: Level::City,
                parent: pi,
                region: prov.region,
                rank: Rank::Prefecture,
                population: None,
                leader,
                fixed: [None; 4],
            });
            (out.len() - 1) as u32
        })
        .collect();
    if depth < Level::County {
        return;
    }
    let per_city = spread(prov.counties, cities.len());
    let mut counties = Vec::new();
    for (c, &n) in cities.iter().zip(&per_city) {
        for k in 0..n {
            let parent = &out[*c as usize];
            out.push(UnitSpec {
                id: format!("{}-k{:02}", parent.id, k + 1),
                name_en: format!("{} county {}", parent.name_en, k + 1),
                name_zh: format!("{}第{}县", parent.name_zh, k + 1),
                level: Level::County,
                parent: *c,
                region: prov.region,
                rank: Rank::County,
                population: None,
                leader,
                fixed: [None; 4],
            });
            counties.push((out.len() - 1) as u32);
        }
    }
    if depth < Level::Township {
        return;
    }
    let per_county = spread(prov.townships, counties.len());
    for (k, &n) in counties.iter().zip(&per_county) {
        for t in 0..n {
            let parent = &out[*k as usize];
            out.push(UnitSpec {
                id: format!("{}-t{:02}", parent.id, t + 1),
                name_en: format!("{} township {}", parent.name_en, t + 1),
                name_zh: format!("{}第{}镇", parent.name_zh, t + 1),
                level: Level::Township,
                parent: *k,
                region: prov.region,
                rank: Rank::Township,
                population: None,
                leader,
                fixed: [None; 4],
            });
        }
    }
}

/// Split `total` items over `n` parents as evenly as possible.
pub fn spread(total: u32, n: usize) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let base = total / n as u32;
    let extra = (total % n as u32) as usize;
    (0..n).map(|i| base + u32::from(i < extra)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_counts_at_full_depth() {
        let s = specs(&WorldParams {
            preset: super::super::params::Preset::China,
            ..Default::default()
        })
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
        let zj = s.iter().find(|u| u.id == "zhejiang").unwrap();
        assert!(zj.leader);
        assert_eq!(s.iter().filter(|u| u.rank == Rank::Municipality).count(), 4);
    }

    #[test]
    fn subset_and_unknown_province() {
        let p = WorldParams {
            provinces: vec!["sichuan".into(), "重庆市".into()],
            depth: Level::City,
            ..Default::default()
        };
        let s = specs(&p).unwrap();
        assert_eq!(s.len(), 1 + 2 + 21 + 2);
        let p = WorldParams {
            provinces: vec!["sichaun".into()],
            ..Default::default()
        };
        let e = specs(&p).unwrap_err().to_string();
        assert!(e.contains("did you mean `sichuan`"), "{e}");
    }

    #[test]
    fn spread_is_even() {
        assert_eq!(spread(10, 3), vec![4, 3, 3]);
        assert_eq!(spread(2, 0), Vec::<u32>::new());
    }
}
