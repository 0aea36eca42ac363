//! The scopes metrics are reported for (docs/model.md §5 "per unit, level,
//! region"): the whole world, each level, each region group, each province
//! and each city rank present (municipality, sub-provincial, prefecture).
//!
//! Units are grouped into *cells* of identical (level, province, rank);
//! every scope is a union of cells. The engine accumulates unit values into
//! cells once per quarter and combines cells into scopes, which costs
//! O(units + cells × scopes) instead of O(units × scopes). The national
//! unit sets mandates but is not scored, so it belongs to no cell.

use std::collections::BTreeMap;

use super::{NONE, Unit};
use crate::catalog::{Lang, Level, Rank, Region};

/// Kind of scope, written as `scope_level` in outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ScopeKind {
    World,
    Level,
    Region,
    Province,
    Rank,
}

impl ScopeKind {
    pub fn id(self) -> &'static str {
        ["world", "level", "region", "province", "rank"][self as usize]
    }
}

/// One scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub kind: ScopeKind,
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    /// Cells making up the scope.
    pub cells: Vec<u32>,
    /// Units in the scope.
    pub units: usize,
    /// People in the scope (counted once, at its highest level).
    pub population: f64,
}

impl Scope {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_en, &self.name_zh)
    }
}

/// A cell: units of one level, province and rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub level: Level,
    pub province: u32,
    pub rank: Rank,
    pub region: Region,
}

/// All scopes of a world.
#[derive(Debug, Clone)]
pub struct Scopes {
    pub cells: Vec<Cell>,
    /// Cell of each unit (`NONE` for the national unit).
    pub cell_of: Vec<u32>,
    pub scopes: Vec<Scope>,
}

impl Scopes {
    pub fn build(units: &[Unit], province_of: &[u32]) -> Self {
        let mut key_to_cell: BTreeMap<(Level, u32, Rank), u32> = BTreeMap::new();
        let mut cells = Vec::new();
        let mut cell_of = vec![NONE; units.len()];
        for (i, u) in units.iter().enumerate() {
            if u.level == Level::National {
                continue;
            }
            let key = (u.level, province_of[i], u.rank);
            let c = *key_to_cell.entry(key).or_insert_with(|| {
                cells.push(Cell {
                    level: u.level,
                    province: province_of[i],
                    rank: u.rank,
                    region: u.region,
                });
                (cells.len() - 1) as u32
            });
            cell_of[i] = c;
        }
        let mut scopes = Vec::new();
        let all = |f: &dyn Fn(&Cell) -> bool| -> Vec<u32> {
            (0..cells.len() as u32)
                .filter(|&c| f(&cells[c as usize]))
                .collect()
        };
        scopes.push(scope(
            ScopeKind::World,
            "world",
            "World",
            "全域",
            all(&|_| true),
        ));
        for l in [Level::Province, Level::City, Level::County, Level::Township] {
            let cs = all(&|c| c.level == l);
            if !cs.is_empty() {
                scopes.push(scope(
                    ScopeKind::Level,
                    l.id(),
                    l.name(Lang::En),
                    l.name(Lang::Zh),
                    cs,
                ));
            }
        }
        for r in Region::ALL {
            let cs = all(&|c| c.region == r);
            if !cs.is_empty() {
                scopes.push(scope(
                    ScopeKind::Region,
                    r.id(),
                    r.name(Lang::En),
                    r.name(Lang::Zh),
                    cs,
                ));
            }
        }
        for (i, u) in units.iter().enumerate() {
            if u.level == Level::Province {
                let cs = all(&|c| c.province == i as u32);
                scopes.push(scope(
                    ScopeKind::Province,
                    &u.id,
                    &u.name_en,
                    &u.name_zh,
                    cs,
                ));
            }
        }
        for r in [Rank::Municipality, Rank::SubProvincial, Rank::Prefecture] {
            let cs = all(&|c| c.rank == r);
            if !cs.is_empty() {
                scopes.push(scope(
                    ScopeKind::Rank,
                    r.id(),
                    r.name(Lang::En),
                    r.name(Lang::Zh),
                    cs,
                ));
            }
        }
        for s in &mut scopes {
            fill_counts(s, units, &cell_of);
        }
        Scopes {
            cells,
            cell_of,
            scopes,
        }
    }
}

fn scope(kind: ScopeKind, id: &str, en: &str, zh: &str, cells: Vec<u32>) -> Scope {
    Scope {
        kind,
        id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
        cells,
        units: 0,
        population: 0.0,
    }
}

/// Units and people of a scope; people counted at the scope's highest level.
fn fill_counts(s: &mut Scope, units: &[Unit], cell_of: &[u32]) {
    let mut in_scope = vec![
        false;
        cell_of
            .iter()
            .filter(|&&c| c != NONE)
            .max()
            .map_or(0, |&c| c as usize + 1)
    ];
    for &c in &s.cells {
        in_scope[c as usize] = true;
    }
    let inside = |i: usize| cell_of[i] != NONE && in_scope[cell_of[i] as usize];
    let members: Vec<usize> = (0..units.len()).filter(|&i| inside(i)).collect();
    let top = members.iter().map(|&i| units[i].level).min();
    s.units = members.len();
    s.population = members
        .iter()
        .filter(|&&i| Some(units[i].level) == top)
        .map(|&i| units[i].population)
        .sum();
}

#[cfg(test)]
mod tests {
    use crate::scenario;

    #[test]
    fn province_world_scopes() {
        let sc =
            scenario::from_str("name = \"t\"\n[world]\nsubprovincial_cities = 2", None).unwrap();
        let w = crate::world::World::build(&sc).unwrap();
        let ids: Vec<_> = w
            .scopes
            .scopes
            .iter()
            .map(|s| format!("{}:{}", s.kind.id(), s.id))
            .collect();
        assert_eq!(
            ids,
            [
                "world:world",
                "level:province",
                "level:city",
                "level:county",
                "level:township",
                "region:central",
                "province:province",
                "rank:sub_provincial",
                "rank:prefecture"
            ]
        );
        let world = &w.scopes.scopes[0];
        assert_eq!(world.units, w.units.len() - 1);
        assert!((world.population - sc.world.population).abs() < 1.0);
    }
}
