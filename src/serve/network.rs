//! The network view of the government: territorial units as nodes by level
//! (province at the top, then cities, counties, townships), each with its
//! collaboration, upward and downward flow, cross-department sharing,
//! cross-system usability and maturity at every time point.
//!
//! Rules: a level with more than [`MAX_NODES_PER_LEVEL`] units is shown
//! aggregated — one node per unit of the deepest level still shown one by
//! one (e.g. "10 townships of county 3"), holding the plain mean of its
//! units — and so is every level below it. The national unit is not drawn.
//! Node order follows the world's breadth-first unit order, so it is the
//! same on every run.

use serde::Serialize;

use crate::catalog::Level;
use crate::sim::UnitView;
use crate::world::{NONE, World};

/// Most nodes drawn one by one on a level.
pub const MAX_NODES_PER_LEVEL: usize = 200;

/// Values per node and time point, in this order.
pub const FIELDS: [&str; 6] = ["collab", "up", "down", "share", "usab", "maturity"];

/// One node of the view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub level: &'static str,
    pub name_en: String,
    pub name_zh: String,
    /// Index of the parent node (None for the top).
    pub parent: Option<usize>,
    /// Units this node stands for (1 unless aggregated).
    pub units: u32,
    pub aggregated: bool,
    /// NBS region group of the node's units: east, central, west or northeast.
    pub region: &'static str,
    /// Tile-grid map position `[column, row]` of a province of China (the
    /// page lays the `china` preset out as a tile map); None for other nodes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tile: Option<[u8; 2]>,
}

/// Nodes and which node each unit belongs to.
#[derive(Debug, Clone)]
pub struct Layout {
    pub nodes: Vec<Node>,
    node_of: Vec<u32>,
}

impl Layout {
    pub fn new(world: &World) -> Layout {
        let units = &world.units;
        let by_level = world.units_by_level();
        // Deepest level shown one by one; levels below it are aggregated under it.
        let mut anchor: Option<Level> = None;
        let mut individual = [false; 5];
        for l in Level::ALL.into_iter().filter(|l| *l != Level::National) {
            if anchor.is_none() && by_level[l as usize] <= MAX_NODES_PER_LEVEL {
                individual[l as usize] = true;
            } else if anchor.is_none() {
                anchor = Some(l);
            }
        }
        let anchor_level = Level::ALL
            .into_iter()
            .rev()
            .find(|l| individual[*l as usize]);
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_of = vec![NONE; units.len()];
        // (level, anchor unit) -> node, for aggregated nodes.
        let mut groups: std::collections::BTreeMap<(u8, u32), u32> = Default::default();
        for (u, unit) in units.iter().enumerate() {
            if unit.level == Level::National {
                continue;
            }
            let parent_node = (unit.parent != NONE)
                .then(|| node_of[unit.parent as usize])
                .filter(|&n| n != NONE)
                .map(|n| n as usize);
            if individual[unit.level as usize] {
                node_of[u] = nodes.len() as u32;
                nodes.push(Node {
                    id: unit.id.clone(),
                    level: unit.level.id(),
                    name_en: unit.name_en.clone(),
                    name_zh: unit.name_zh.clone(),
                    parent: parent_node,
                    units: 1,
                    aggregated: false,
                    region: unit.region.id(),
                    tile: tile_of(unit),
                });
                continue;
            }
            let a = ancestor_at(world, u, anchor_level);
            let key = (unit.level as u8, a);
            let n = *groups.entry(key).or_insert_with(|| {
                nodes.push(Node {
                    id: format!(
                        "{}:{}",
                        unit.level.id(),
                        units.get(a as usize).map_or("all", |x| x.id.as_str())
                    ),
                    level: unit.level.id(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    parent: parent_node,
                    units: 0,
                    aggregated: true,
                    region: unit.region.id(),
                    tile: None,
                });
                (nodes.len() - 1) as u32
            });
            nodes[n as usize].units += 1;
            node_of[u] = n;
        }
        for ((level, a), n) in &groups {
            let node = &mut nodes[*n as usize];
            let level = Level::ALL[*level as usize];
            let (en, zh) = units.get(*a as usize).map_or(("all", "全部"), |x| {
                (x.name_en.as_str(), x.name_zh.as_str())
            });
            node.name_en = format!("{} {} of {en}", node.units, plural(level));
            node.name_zh = format!(
                "{zh}的{}个{}",
                node.units,
                level.name(crate::catalog::Lang::Zh)
            );
        }
        Layout { nodes, node_of }
    }

    /// Mean values of every node at one time point, appended as nodes × [`FIELDS`].
    pub fn observe(&self, view: &UnitView, out: &mut Vec<f64>) {
        let start = out.len();
        out.resize(start + self.nodes.len() * FIELDS.len(), 0.0);
        let mut counts = vec![0u32; self.nodes.len()];
        let s = view.state;
        for (u, &n) in self.node_of.iter().enumerate() {
            if n == NONE {
                continue;
            }
            let n = n as usize;
            counts[n] += 1;
            let row = &mut out[start + n * FIELDS.len()..start + (n + 1) * FIELDS.len()];
            let vals = [
                view.collab(u),
                s.ema_up[u],
                s.ema_down[u],
                s.ema_share[u],
                s.ema_usab[u],
                view.maturity[u],
            ];
            for (x, v) in row.iter_mut().zip(vals) {
                *x += v;
            }
        }
        for (n, &c) in counts.iter().enumerate() {
            let row = &mut out[start + n * FIELDS.len()..start + (n + 1) * FIELDS.len()];
            for x in row {
                *x /= c.max(1) as f64;
            }
        }
    }
}

/// English plural of a level's name, for aggregated nodes.
fn plural(level: Level) -> &'static str {
    match level {
        Level::National => "national units",
        Level::Province => "provinces",
        Level::City => "cities",
        Level::County => "counties",
        Level::Township => "townships",
    }
}

/// Tile-map position of a province-level unit of China (matched by its id).
fn tile_of(unit: &crate::world::Unit) -> Option<[u8; 2]> {
    if unit.level != Level::Province {
        return None;
    }
    crate::catalog::provinces::PROVINCES
        .iter()
        .find(|p| p.id == unit.id)
        .map(|p| [p.tile.0, p.tile.1])
}

/// The ancestor of unit `u` at `level` (`NONE` if there is none).
fn ancestor_at(world: &World, u: usize, level: Option<Level>) -> u32 {
    let Some(level) = level else { return NONE };
    let mut x = u as u32;
    while x != NONE {
        let unit = &world.units[x as usize];
        if unit.level == level {
            return x;
        }
        x = unit.parent;
    }
    NONE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(extra: &str) -> World {
        let sc =
            crate::scenario::from_str(&format!("name = \"t\"\n[world]\n{extra}"), None).unwrap();
        World::build(&sc).unwrap()
    }

    #[test]
    fn small_worlds_show_every_unit() {
        let w = world(
            "cities = 2\ncounties_per_city = 2\ntownships_per_county = 3\ncounties_dispersion = 0\ntownships_dispersion = 0\n",
        );
        let l = Layout::new(&w);
        assert_eq!(l.nodes.len(), 1 + 2 + 4 + 12);
        assert!(l.nodes.iter().all(|n| !n.aggregated));
        assert!(
            l.nodes.iter().all(|n| n.tile.is_none()),
            "synthetic provinces have no tile"
        );
        assert_eq!(l.nodes[0].parent, None);
        assert!(l.nodes[1..].iter().all(|n| n.parent.is_some()));
    }

    #[test]
    fn many_townships_are_grouped_by_county() {
        let w = world(
            "cities = 5\ncounties_per_city = 6\ntownships_per_county = 10\ncounties_dispersion = 0\ntownships_dispersion = 0\n",
        );
        let l = Layout::new(&w);
        let towns: Vec<&Node> = l.nodes.iter().filter(|n| n.level == "township").collect();
        assert_eq!(towns.len(), 30);
        assert!(towns.iter().all(|n| n.aggregated && n.units == 10));
        let parent = &l.nodes[towns[0].parent.unwrap()];
        assert_eq!(parent.level, "county");
        assert!(towns[0].name_en.starts_with("10 townships of "));
        assert!(towns[0].name_zh.contains("的10个"));
    }

    #[test]
    fn china_to_counties_groups_cities_and_counties_by_province() {
        let w = world("preset = \"china\"\ndepth = \"county\"\n");
        let l = Layout::new(&w);
        let of = |lv: &str| l.nodes.iter().filter(|n| n.level == lv).count();
        assert_eq!((of("province"), of("city"), of("county")), (31, 31, 31));
        for n in l.nodes.iter().filter(|n| n.level == "county") {
            let p = &l.nodes[n.parent.unwrap()];
            assert_eq!(p.level, "city");
            assert!(p.aggregated && n.id.ends_with(p.id.trim_start_matches("city:")));
        }
        // Provinces carry their tile-map square and region group; no two share a square.
        let provinces: Vec<&Node> = l.nodes.iter().filter(|n| n.level == "province").collect();
        let tiles: std::collections::BTreeSet<[u8; 2]> =
            provinces.iter().filter_map(|n| n.tile).collect();
        assert_eq!(tiles.len(), 31);
        let zj = provinces.iter().find(|n| n.id == "zhejiang").unwrap();
        assert_eq!(zj.region, "east");
        let units: u32 = l.nodes.iter().map(|n| n.units).sum();
        assert_eq!(
            units as usize,
            w.units.len() - 1,
            "every unit but the centre"
        );
    }
}
