//! The world: territorial units (块) in a tree, the departments (条) each
//! holds, and the links between departments (docs/model.md §2).
//!
//! Built once per scenario from its `[world]` section and seed: a preset
//! ([`province`], [`china`], [`csv_tree`]) yields the unit tree,
//! [`attributes`] draws the regional drivers, [`graph`] builds the
//! department graph with petgraph (vertical and horizontal links), and
//! [`scopes`] lists the scopes metrics are reported for. The engine then
//! compiles the world into flat arrays (`engine::compiled`), laying out
//! the graph's departments and links from the units in the graph's own
//! numbering; petgraph is used only here.
//!
//! Rules: units are stored in breadth-first order (every parent before its
//! children, siblings contiguous); all randomness comes from the `world`
//! stream of (seed, replicate) (and, for the synthetic province's drawn
//! sub-unit counts, its `structure` stream), so a replicate's world is the
//! same for every strategy. Real trees keep their structure (units,
//! departments, links) in every replicate ([`World::redraw`]); the
//! synthetic province with a sub-unit dispersion above 0 draws its own per
//! replicate ([`World::rebuild`]).

pub mod attributes;
pub mod china;
pub mod csv_tree;
pub mod graph;
pub mod params;
pub mod province;
pub mod scopes;
pub mod size;
pub mod statistics;

use crate::catalog::{Level, Rank, Region};
use crate::error::{InputError, Result};
use crate::rng;
use crate::scenario::Scenario;
use params::Preset;

/// Marker for "no unit".
pub const NONE: u32 = u32::MAX;

/// One territorial unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Stable id (division code or synthetic id), unique in the world.
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub level: Level,
    pub parent: u32,
    pub region: Region,
    pub rank: Rank,
    pub population: f64,
    /// Fiscal capacity for digital work (0–1).
    pub fiscal: f64,
    /// Digital-economy environment (0–1).
    pub digital: f64,
    /// Initial talent / capability (0–1).
    pub talent: f64,
    /// Institutional completeness (0–1).
    pub institutions: f64,
    /// Position of local needs (for platform fit); the province sits at 0.
    pub need: f64,
}

/// A unit as a preset describes it, before ordering and attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSpec {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub level: Level,
    /// Index of the parent in the spec list (`NONE` for the root).
    pub parent: u32,
    pub region: Region,
    pub rank: Rank,
    /// Population if known (else split from the parent).
    pub population: Option<f64>,
    /// Attribute overrides from data (fiscal, digital, talent, institutions).
    pub fixed: [Option<f64>; 4],
}

/// The built world.
#[derive(Debug, Clone)]
pub struct World {
    pub preset: Preset,
    /// Fingerprint of the unit tree (levels and parents): equal for worlds
    /// of the same structure, so per-worker buffers sized for one can be
    /// kept for the other.
    pub structure: u64,
    pub units: Vec<Unit>,
    /// Province-level ancestor of each unit (itself for a province; `NONE` for national).
    pub province_of: Vec<u32>,
    /// City-level ancestor (itself for a city; `NONE` above).
    pub city_of: Vec<u32>,
    /// County-level ancestor (itself for a county; `NONE` above).
    pub county_of: Vec<u32>,
    /// The department graph: structure only, shared by every world redrawn
    /// around this one's structure. `None` in a world a replicate rebuilds
    /// with its own drawn structure ([`World::rebuild`]): the engine lays
    /// out departments and links from the units directly
    /// (`Compiled::build`), and building a petgraph graph nobody reads was
    /// a sixth of a rebuild's cost.
    pub graph: Option<std::sync::Arc<graph::DepartmentGraph>>,
    pub scopes: scopes::Scopes,
    /// The unit specs in breadth-first order, kept so that a replicate can
    /// redraw attributes around the same structure without reading files;
    /// their ids and names were moved into `units` (one copy of ~30,000
    /// strings fewer per rebuilt replicate).
    specs: std::sync::Arc<Vec<UnitSpec>>,
}

impl World {
    /// Build the world a scenario describes: the world of replicate 0, which
    /// every replicate shares when `run.world = "fixed"`.
    pub fn build(sc: &Scenario) -> Result<World> {
        let p = &sc.world;
        let mut rng = rng::stream(sc.run.seed, 0, "world");
        let specs = match p.preset {
            Preset::Province => {
                let mut structure = rng::stream(sc.run.seed, 0, "structure");
                province::specs(p, &mut rng, &mut structure)
            }
            Preset::China => china::specs(p, &sc.base_dir())?,
            Preset::Csv => csv_tree::specs(p, &sc.base_dir())?,
        };
        let specs = cut_depth(specs, p.depth);
        let specs = order_bfs(specs);
        check_size(&specs, sc)?;
        Ok(World::assemble(sc, specs, &mut rng, true))
    }

    /// The world of `specs` in breadth-first order, attributes drawn from
    /// `rng` (the `world` stream, past what the preset drew), with its
    /// department graph if `with_graph`.
    fn assemble(
        sc: &Scenario,
        mut specs: Vec<UnitSpec>,
        rng: &mut rng::Rng,
        with_graph: bool,
    ) -> World {
        let p = &sc.world;
        // The ids and names move into the units instead of being copied.
        let names: Vec<[String; 3]> = specs
            .iter_mut()
            .map(|s| {
                [
                    std::mem::take(&mut s.id),
                    std::mem::take(&mut s.name_en),
                    std::mem::take(&mut s.name_zh),
                ]
            })
            .collect();
        let units = attributes::draw(&specs, names.into_iter(), p, rng);
        let (province_of, city_of, county_of) = ancestors(&units);
        let graph = with_graph.then(|| {
            std::sync::Arc::new(graph::DepartmentGraph::build(
                &units,
                &sc.departments,
                &sc.domains,
            ))
        });
        let scopes = scopes::Scopes::build(&units, &province_of);
        World {
            preset: p.preset,
            structure: structure_key(&units),
            units,
            province_of,
            city_of,
            county_of,
            graph,
            scopes,
            specs: std::sync::Arc::new(specs),
        }
    }

    /// Whether replicates under `run.world = "per-replicate"` draw their own
    /// structure (the synthetic province with a sub-unit dispersion above
    /// 0); otherwise every replicate keeps this world's units and links.
    pub fn draws_structure(sc: &Scenario) -> bool {
        sc.world.preset == Preset::Province && province::draws_structure(&sc.world)
    }

    /// The world of `replicate` when the structure is drawn per replicate
    /// ([`World::draws_structure`]): the synthetic province built from the
    /// replicate's own `world` and `structure` streams, exactly as
    /// [`World::build`] builds replicate 0's (so replicate 0 gives this
    /// world again). Its size is not checked against
    /// `world.max_departments` again: it differs from replicate 0's by the
    /// spread of a sum of drawn counts, a few percent.
    pub fn rebuild(&self, sc: &Scenario, replicate: u32) -> World {
        let p = &sc.world;
        let mut rng = rng::stream(sc.run.seed, replicate, "world");
        let mut structure = rng::stream(sc.run.seed, replicate, "structure");
        let specs = province::specs(p, &mut rng, &mut structure);
        let specs = order_bfs(cut_depth(specs, p.depth));
        World::assemble(sc, specs, &mut rng, false)
    }

    /// The world of `replicate` under `run.world = "per-replicate"`: the same
    /// units, departments and links as this one (the structure is set by the
    /// preset's keys or data), with everything unobserved drawn anew from the
    /// replicate's own `world` stream: attributes and needs, the populations
    /// a preset splits, and the synthetic province's drawn city ranks.
    /// Observed facts (names, codes, real populations, attributes fixed by
    /// data) stay as they are. Replicate 0 redraws this world exactly.
    ///
    /// When the structure is drawn ([`World::draws_structure`]) this is
    /// [`World::rebuild`].
    pub fn redraw(&self, sc: &Scenario, replicate: u32) -> World {
        if World::draws_structure(sc) {
            return self.rebuild(sc, replicate);
        }
        self.redraw_attributes(sc, replicate)
    }

    /// As [`World::redraw`], keeping this world's structure even where the
    /// preset would draw it ([`crate::sim::Context::keep_structure`]).
    pub fn redraw_attributes(&self, sc: &Scenario, replicate: u32) -> World {
        let p = &sc.world;
        let mut rng = rng::stream(sc.run.seed, replicate, "world");
        let specs = match p.preset {
            // The synthetic province draws populations and ranks in its specs;
            // its structure depends only on the keys, so it is unchanged.
            Preset::Province => {
                let mut specs = (*self.specs).clone();
                province::redraw_cities(&mut specs, p, &mut rng);
                std::sync::Arc::new(specs)
            }
            Preset::China | Preset::Csv => self.specs.clone(),
        };
        debug_assert_eq!(specs.len(), self.units.len());
        let names = self
            .units
            .iter()
            .map(|u| [u.id.clone(), u.name_en.clone(), u.name_zh.clone()]);
        let units = attributes::draw(&specs, names, p, &mut rng);
        let scopes = scopes::Scopes::build(&units, &self.province_of);
        World {
            preset: self.preset,
            structure: self.structure,
            units,
            province_of: self.province_of.clone(),
            city_of: self.city_of.clone(),
            county_of: self.county_of.clone(),
            graph: self.graph.clone(),
            scopes,
            specs,
        }
    }

    /// Number of units at each level.
    pub fn units_by_level(&self) -> [usize; 5] {
        let mut n = [0; 5];
        for u in &self.units {
            n[u.level as usize] += 1;
        }
        n
    }

    /// Find a unit by id, English or Chinese name (case-insensitive for ids).
    pub fn find_unit(&self, name: &str) -> Option<u32> {
        self.units
            .iter()
            .position(|u| {
                u.id.eq_ignore_ascii_case(name)
                    || u.name_en.eq_ignore_ascii_case(name)
                    || u.name_zh == name
            })
            .map(|i| i as u32)
    }
}

/// Drop units below the requested depth.
fn cut_depth(specs: Vec<UnitSpec>, depth: Level) -> Vec<UnitSpec> {
    if specs.iter().all(|s| s.level <= depth) {
        return specs;
    }
    let mut remap = vec![NONE; specs.len()];
    let mut out = Vec::with_capacity(specs.len());
    for (i, s) in specs.into_iter().enumerate() {
        if s.level <= depth {
            remap[i] = out.len() as u32;
            out.push(s);
        }
    }
    for s in &mut out {
        if s.parent != NONE {
            s.parent = remap[s.parent as usize];
        }
    }
    out
}

/// Reorder specs breadth-first: by level, then by parent position, then by
/// original order, so every parent precedes its children and siblings are
/// contiguous.
fn order_bfs(specs: Vec<UnitSpec>) -> Vec<UnitSpec> {
    let n = specs.len();
    let mut pos = vec![NONE; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for level in Level::ALL {
        let mut at: Vec<usize> = (0..n).filter(|&i| specs[i].level == level).collect();
        at.sort_by_key(|&i| {
            (
                if specs[i].parent == NONE {
                    0
                } else {
                    pos[specs[i].parent as usize] as u64 + 1
                },
                i,
            )
        });
        for i in at {
            pos[i] = order.len() as u32;
            order.push(i);
        }
    }
    let mut slots: Vec<Option<UnitSpec>> = specs.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| {
            let mut s = slots[i].take().expect("each spec is taken once");
            if s.parent != NONE {
                s.parent = pos[s.parent as usize];
            }
            s
        })
        .collect()
}

/// Refuse worlds whose department count exceeds the memory guard.
fn check_size(specs: &[UnitSpec], sc: &Scenario) -> Result<()> {
    let per_level: Vec<u64> = Level::ALL
        .iter()
        .map(|l| {
            sc.departments
                .iter()
                .filter(|d| *l <= d.lowest_level)
                .count() as u64
        })
        .collect();
    let depts: u64 = specs.iter().map(|s| per_level[s.level as usize]).sum();
    if depts > sc.world.max_departments {
        return Err(InputError::new(format!(
            "the world would hold {depts} departments, more than world.max_departments = {} (about {} MiB of state per replicate)",
            sc.world.max_departments,
            depts * 200 / (1 << 20)
        ))
        .key("world.max_departments")
        .suggest("use world.depth = \"county\" or \"city\", keep fewer provinces, or raise world.max_departments if the machine has the memory")
        .into());
    }
    if specs.is_empty() {
        return Err(InputError::new("the world has no units")
            .key("world")
            .into());
    }
    Ok(())
}

/// Fingerprint of a unit tree: FNV-1a over each unit's level and parent.
fn structure_key(units: &[Unit]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for u in units {
        for b in u.parent.to_le_bytes().into_iter().chain([u.level as u8]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h ^ units.len() as u64
}

/// Province, city and county ancestors of every unit.
fn ancestors(units: &[Unit]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let n = units.len();
    let (mut p, mut c, mut k) = (vec![NONE; n], vec![NONE; n], vec![NONE; n]);
    for (i, u) in units.iter().enumerate() {
        let par = u.parent;
        let inherit = |v: &Vec<u32>| if par == NONE { NONE } else { v[par as usize] };
        p[i] = if u.level == Level::Province {
            i as u32
        } else {
            inherit(&p)
        };
        c[i] = if u.level == Level::City {
            i as u32
        } else {
            inherit(&c)
        };
        k[i] = if u.level == Level::County {
            i as u32
        } else {
            inherit(&k)
        };
    }
    (p, c, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(id: &str, level: Level, parent: u32) -> UnitSpec {
        UnitSpec {
            id: id.into(),
            name_en: id.into(),
            name_zh: id.into(),
            level,
            parent,
            region: Region::East,
            rank: Rank::County,
            population: None,
            fixed: [None; 4],
        }
    }

    #[test]
    fn bfs_order_puts_parents_first_and_siblings_together() {
        // Interleaved input: county of city B listed before city A's county.
        let specs = vec![
            spec("p", Level::Province, NONE),
            spec("kB", Level::County, 3),
            spec("A", Level::City, 0),
            spec("B", Level::City, 0),
            spec("kA", Level::County, 2),
        ];
        let o = order_bfs(specs);
        let ids: Vec<_> = o.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["p", "A", "B", "kA", "kB"]);
        assert_eq!(o[3].parent, 1);
        assert_eq!(o[4].parent, 2);
    }

    #[test]
    fn cut_depth_drops_lower_levels() {
        let specs = vec![
            spec("p", Level::Province, NONE),
            spec("c", Level::City, 0),
            spec("k", Level::County, 1),
        ];
        let cut = cut_depth(specs, Level::City);
        assert_eq!(cut.len(), 2);
    }
}

#[cfg(test)]
mod redraw_tests {
    use super::*;
    use crate::scenario;

    fn world(extra: &str) -> (Scenario, World) {
        let text = format!(
            "name = \"t\"\n[world]\ncities = 5\ncounties_per_city = 2\ntownships_per_county = 2\nmunicipality_cities = 1\n{extra}"
        );
        let sc = scenario::from_str(&text, None).unwrap();
        let w = World::build(&sc).unwrap();
        (sc, w)
    }

    #[test]
    fn replicate_zero_redraws_the_built_world_exactly() {
        let (sc, w) = world("");
        let again = w.redraw(&sc, 0);
        assert_eq!(again.units, w.units);
    }

    #[test]
    fn other_replicates_keep_the_structure_and_redraw_the_unobserved() {
        let (sc, w) = world("counties_dispersion = 0\ntownships_dispersion = 0\n");
        let r = w.redraw(&sc, 3);
        assert_eq!(r.units.len(), w.units.len());
        for (a, b) in r.units.iter().zip(&w.units) {
            assert_eq!((&a.id, a.level, a.parent), (&b.id, b.level, b.parent));
        }
        let differ = |f: fn(&Unit) -> f64| r.units.iter().zip(&w.units).any(|(a, b)| f(a) != f(b));
        assert!(differ(|u| u.fiscal) && differ(|u| u.need) && differ(|u| u.population));
        // The province's own population is a key, not a draw.
        assert_eq!(r.units[1].population, w.units[1].population);
        assert_eq!(r.scopes.scopes.len(), w.scopes.scopes.len());
    }
}

#[cfg(test)]
mod structure_tests {
    use super::*;
    use crate::scenario;

    fn sc(extra: &str) -> Scenario {
        let text = format!("name = \"t\"\n[world]\ncities = 8\n{extra}");
        scenario::from_str(&text, None).unwrap()
    }

    fn counts(w: &World) -> Vec<usize> {
        w.units_by_level().to_vec()
    }

    #[test]
    fn drawn_structures_differ_by_replicate_and_replicate_zero_is_the_base() {
        let s = sc("");
        let w = World::build(&s).unwrap();
        assert!(World::draws_structure(&s));
        let again = w.rebuild(&s, 0);
        assert_eq!(again.units, w.units);
        assert_eq!(again.structure, w.structure);
        let others: Vec<World> = (1..6).map(|r| w.redraw(&s, r)).collect();
        assert!(others.iter().any(|o| o.structure != w.structure));
        assert!(others.iter().any(|o| counts(o) != counts(&w)));
        for o in &others {
            // Cities are keys: the same ids in every replicate, and the
            // scopes keep their shape.
            let cities = |x: &World| -> Vec<String> {
                x.units
                    .iter()
                    .filter(|u| u.level == Level::City)
                    .map(|u| u.id.clone())
                    .collect()
            };
            assert_eq!(cities(o), cities(&w));
            let ids = |x: &World| -> Vec<String> {
                x.scopes.scopes.iter().map(|s| s.id.clone()).collect()
            };
            assert_eq!(ids(o), ids(&w));
        }
    }

    #[test]
    fn zero_dispersion_gives_the_exact_structure_of_the_keys() {
        let s = sc("counties_dispersion = 0\ntownships_dispersion = 0\n");
        assert!(!World::draws_structure(&s));
        let w = World::build(&s).unwrap();
        assert_eq!(counts(&w), [1, 1, 8, 48, 480]);
        for r in 1..4 {
            let o = w.redraw(&s, r);
            assert_eq!(o.structure, w.structure);
            assert_eq!(counts(&o), counts(&w));
        }
        // Negative control: with the shipped dispersion the base world's
        // counts are drawn, not exact.
        let drawn = World::build(&sc("")).unwrap();
        assert_ne!(counts(&drawn), counts(&w));
    }
}
