//! The `csv` preset: a real unit tree from files in the NBS division-code
//! format (as in modood/Administrative-divisions-of-China):
//!
//! | file            | columns                                   |
//! |-----------------|-------------------------------------------|
//! | `provinces.csv` | `code,name`                               |
//! | `cities.csv`    | `code,name,provinceCode`                  |
//! | `areas.csv`     | `code,name,cityCode,provinceCode`         |
//! | `streets.csv`   | `code,name,areaCode,provinceCode,cityCode`|
//!
//! plus an optional attributes file keyed by `code` with any of the columns
//! `fiscal, digital, talent, institutions` (0–1) and `population`. Province
//! codes must be among the 31 of `catalog::provinces`, which supply the
//! English name, region group, municipality flag and census population.
//! The 15 sub-provincial cities are recognised by code. Files below
//! `world.depth` are not read. Province attributes come from the restated
//! statistics (`world::statistics`) unless `world.statistics.enabled` is
//! false; the attributes file overrides them.
//!
//! The same reader builds the `china` preset from the copy of these files
//! built into the binary (`world::china`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::params::WorldParams;
use super::{NONE, UnitSpec};
use crate::catalog::provinces::PROVINCES;
use crate::catalog::{Level, Rank};
use crate::error::{InputError, Result};

/// Division codes of the 15 sub-provincial cities.
pub const SUB_PROVINCIAL: [&str; 15] = [
    "2101", "2102", "2201", "2301", "3201", "3301", "3302", "3502", "3701", "3702", "4201", "4401",
    "4403", "5101", "6101",
];

/// Where the four division files come from.
pub enum Source {
    /// Files in this folder, named in `[world.csv]`.
    Dir(PathBuf),
    /// The tree built into the binary (`world::china::TREE`).
    Builtin,
}

impl Source {
    /// Text of one file and the path errors name.
    fn text(&self, name: &str, key: &str) -> Result<(Cow<'static, str>, PathBuf)> {
        match self {
            Source::Dir(dir) => {
                let path = dir.join(name);
                let text = crate::scenario::read_text(&path).map_err(|e| match e {
                    crate::Error::Input(mut ie) => {
                        ie.location.key = Some(key.to_string());
                        crate::Error::Input(ie)
                    }
                    other => other,
                })?;
                Ok((Cow::Owned(text), path))
            }
            Source::Builtin => {
                let text = super::china::builtin_file(name);
                Ok((
                    Cow::Borrowed(text),
                    PathBuf::from(format!("data/china-admin/{name} (built in)")),
                ))
            }
        }
    }
}

/// How province units are identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvinceIds {
    /// The two-digit division code (`csv` preset).
    Code,
    /// The English id of `catalog::provinces`, such as `zhejiang` (`china` preset).
    English,
}

/// Unit specs from the files named in `[world.csv]`.
pub fn specs(p: &WorldParams, base: &Path) -> Result<Vec<UnitSpec>> {
    let dir = if p.csv.dir.is_empty() {
        base.to_path_buf()
    } else {
        base.join(&p.csv.dir)
    };
    let csv = &p.csv;
    let names = [&csv.provinces, &csv.cities, &csv.areas, &csv.streets].map(|s| s.as_str());
    let attributes = (!csv.attributes.is_empty()).then(|| dir.join(&csv.attributes));
    build(p, &Source::Dir(dir), names, ProvinceIds::Code, attributes)
}

/// Unit specs from a source of the four files.
pub fn build(
    p: &WorldParams,
    source: &Source,
    names: [&str; 4],
    ids: ProvinceIds,
    attributes: Option<PathBuf>,
) -> Result<Vec<UnitSpec>> {
    let keep: Vec<String> = p.provinces.iter().map(|s| s.to_lowercase()).collect();
    let mut out = vec![UnitSpec {
        id: "national".into(),
        name_en: "Central government".into(),
        name_zh: "中央".into(),
        level: Level::National,
        parent: NONE,
        region: crate::catalog::Region::East,
        rank: Rank::National,
        population: None,
        fixed: [None; 4],
    }];
    let mut index: HashMap<String, u32> = HashMap::new();
    let (text, prov_path) = source.text(names[0], "world.csv.provinces")?;
    let prov_rows = read_rows(&text, &prov_path, &["code", "name"], "world.csv.provinces")?;
    for (line, r) in prov_rows {
        let code = r[0].clone();
        let Some(info) = PROVINCES.iter().find(|x| x.code.to_string() == code) else {
            return Err(InputError::new(format!(
                "province code `{code}` is not one of the 31 provincial units"
            ))
            .file(&prov_path)
            .at(line, 1)
            .expected("an NBS two-digit province code such as 33")
            .into());
        };
        if !keep.is_empty()
            && !keep
                .iter()
                .any(|k| k == info.id || *k == code || *k == info.name_zh)
        {
            continue;
        }
        index.insert(code.clone(), out.len() as u32);
        let fixed = if p.statistics.enabled {
            super::statistics::for_code(info.code, &p.statistics).map_or([None; 4], |a| a.map(Some))
        } else {
            [None; 4]
        };
        out.push(UnitSpec {
            id: match ids {
                ProvinceIds::Code => code,
                ProvinceIds::English => info.id.to_string(),
            },
            name_en: info.name_en.into(),
            name_zh: r[1].clone(),
            level: Level::Province,
            parent: 0,
            region: info.region,
            rank: if info.municipality {
                Rank::Municipality
            } else {
                Rank::Province
            },
            population: Some(info.population as f64),
            fixed,
        });
    }
    out[0].population = Some(out.iter().skip(1).filter_map(|u| u.population).sum());
    let levels = [
        (
            Level::City,
            names[1],
            vec!["code", "name", "provinceCode"],
            "world.csv.cities",
        ),
        (
            Level::County,
            names[2],
            vec!["code", "name", "cityCode"],
            "world.csv.areas",
        ),
        (
            Level::Township,
            names[3],
            vec!["code", "name", "areaCode"],
            "world.csv.streets",
        ),
    ];
    for (level, file, cols, key) in levels {
        if level > p.depth {
            break;
        }
        let (text, path) = source.text(file, key)?;
        for (line, r) in read_rows(&text, &path, &cols, key)? {
            let Some(&parent) = index.get(&r[2]) else {
                if index_has_province(&index, &r[2]) || keep.is_empty() {
                    return Err(InputError::new(format!(
                        "unit `{}` names parent `{}`, which is not in the tree",
                        r[0], r[2]
                    ))
                    .file(&path)
                    .at(line, 1)
                    .suggest("check the parent code column and that the parent file is complete")
                    .into());
                }
                continue; // parent filtered out by world.provinces
            };
            let par = &out[parent as usize];
            let rank = match level {
                Level::City if SUB_PROVINCIAL.contains(&r[0].as_str()) => Rank::SubProvincial,
                Level::City => Rank::Prefecture,
                Level::County => Rank::County,
                _ => Rank::Township,
            };
            let spec = UnitSpec {
                id: r[0].clone(),
                name_en: r[1].clone(),
                name_zh: r[1].clone(),
                level,
                parent,
                region: par.region,
                rank,
                population: None,
                fixed: [None; 4],
            };
            if index.insert(r[0].clone(), out.len() as u32).is_some() {
                return Err(
                    InputError::new(format!("unit code `{}` appears twice", r[0]))
                        .file(&path)
                        .at(line, 1)
                        .into(),
                );
            }
            out.push(spec);
        }
    }
    if let Some(path) = attributes {
        apply_attributes(&mut out, &index, &path)?;
    }
    Ok(out)
}

fn index_has_province(index: &HashMap<String, u32>, parent: &str) -> bool {
    parent.len() >= 2 && index.contains_key(&parent[..2])
}

/// Rows of a CSV text as strings for the named columns, with their 1-based line.
fn read_rows(
    text: &str,
    path: &Path,
    cols: &[&str],
    key: &str,
) -> Result<Vec<(usize, Vec<String>)>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| {
            InputError::new(format!("cannot read the header: {e}"))
                .file(path)
                .at(1, 1)
        })?
        .clone();
    let idx: Vec<usize> = cols
        .iter()
        .map(|c| {
            headers.iter().position(|h| h.trim() == *c).ok_or_else(|| {
                InputError::new(format!("column `{c}` is missing"))
                    .file(path)
                    .at(1, 1)
                    .key(key)
                    .expected(format!("columns {}", cols.join(",")))
            })
        })
        .collect::<Result<_, _>>()?;
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| {
            InputError::new(format!("bad CSV row: {e}"))
                .file(path)
                .at(line, 1)
        })?;
        let row: Vec<String> = idx
            .iter()
            .map(|&j| rec.get(j).unwrap_or("").trim().to_string())
            .collect();
        if row[0].is_empty() {
            return Err(InputError::new("empty code").file(path).at(line, 1).into());
        }
        rows.push((line, row));
    }
    Ok(rows)
}

fn apply_attributes(
    out: &mut [UnitSpec],
    index: &HashMap<String, u32>,
    path: &PathBuf,
) -> Result<()> {
    let text = crate::scenario::read_text(path)?;
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| InputError::new(format!("cannot read the header: {e}")).file(path))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let code = col("code").ok_or_else(|| {
        InputError::new("column `code` is missing")
            .file(path)
            .at(1, 1)
    })?;
    let attrs = ["fiscal", "digital", "talent", "institutions"].map(col);
    let pop = col("population");
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| {
            InputError::new(format!("bad CSV row: {e}"))
                .file(path)
                .at(line, 1)
        })?;
        let Some(&u) = index.get(rec.get(code).unwrap_or("").trim()) else {
            continue;
        };
        let num = |j: usize, name: &str, lo: f64, hi: f64| -> Result<Option<f64>> {
            let cell = rec.get(j).unwrap_or("").trim();
            if cell.is_empty() {
                return Ok(None);
            }
            match cell.parse::<f64>() {
                Ok(x) if x >= lo && x <= hi => Ok(Some(x)),
                _ => Err(InputError::new(format!("`{cell}` is not a valid {name}"))
                    .file(path)
                    .at(line, j + 1)
                    .expected(format!("a number from {lo} to {hi}"))
                    .into()),
            }
        };
        for (k, a) in attrs.iter().enumerate() {
            if let Some(j) = a {
                if let Some(x) = num(*j, "attribute", 0.0, 1.0)? {
                    out[u as usize].fixed[k] = Some(x);
                }
            }
        }
        if let Some(j) = pop {
            if let Some(x) = num(j, "population", 0.0, 2e9)? {
                out[u as usize].population = Some(x);
            }
        }
    }
    Ok(())
}
