//! The world compiled into flat arrays for the step loop (struct of arrays,
//! index ranges, no pointers): STYLE.md §"Data-oriented engine".
//!
//! Rules: the structure is built once per world and never changes during
//! a run; a redrawn replicate of the same structure copies it and refills
//! only the attribute arrays (`Compiled::set_attributes`); departments are
//! numbered unit by unit, type by type, exactly as the petgraph department
//! graph numbers its nodes (so a unit's departments are one index range);
//! horizontal pairs are sorted by unit then domain set, so every (unit,
//! domain set) is one contiguous *group*.
//!
//! The departments and links are laid out here from the units and the
//! catalogue directly (`Depts::of`, `links`), giving the graph's nodes
//! and edges in the same numbering without walking the graph: a replicate
//! that draws its own structure compiles a new world, where walking and
//! sorting the graph's edges was nearly half of the compiling. A test
//! checks the layout against the graph.

use crate::catalog::{Level, Rank, Region};
use crate::mechanisms::diffusion::Layout;
use crate::scenario::Scenario;
use crate::world::graph::pair_masks;
use crate::world::{NONE, World};

/// Resolution of the per-domain power tables (`Compiled::pow_table`).
pub const POW_STEPS: usize = 1024;

/// A run of horizontal pairs of one unit sharing one domain set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub start: u32,
    pub end: u32,
    pub unit: u32,
    pub mask: u32,
}

/// Static arrays of the world.
#[derive(Debug, Clone)]
pub struct Compiled {
    // Units.
    pub n_units: usize,
    pub level: Vec<Level>,
    pub parent: Vec<u32>,
    pub province: Vec<u32>,
    pub city: Vec<u32>,
    pub county: Vec<u32>,
    pub rank: Vec<Rank>,
    pub region: Vec<Region>,
    pub pop: Vec<f64>,
    pub fiscal: Vec<f64>,
    pub digital: Vec<f64>,
    pub talent0: Vec<f64>,
    pub institutions: Vec<f64>,
    pub need: Vec<f64>,
    /// 1 for townships, ½ for counties, 0 above: exposure to grassroots overload.
    pub grassroots: Vec<f64>,
    /// Departments of unit u are `dept_start[u]..dept_start[u + 1]`.
    pub dept_start: Vec<u32>,
    /// Base quarterly budget (million yuan) before levers.
    pub base_budget: Vec<f64>,
    /// Hardware need before usage growth (capacity units).
    pub base_need: Vec<f64>,
    // Departments.
    pub n_depts: usize,
    pub n_types: usize,
    pub dept_unit: Vec<u32>,
    pub dept_type: Vec<u16>,
    /// Same type one level up, or `NONE`.
    pub dept_parent: Vec<u32>,
    /// `dept_of[unit * n_types + type]` or `NONE`.
    pub dept_of: Vec<u32>,
    pub type_sensitivity: Vec<f64>,
    pub type_value: Vec<f64>,
    pub type_vertical: Vec<f64>,
    // Horizontal pairs.
    pub h_a: Vec<u32>,
    pub h_b: Vec<u32>,
    /// Highest grassroots load among each group's domains.
    pub group_load: Vec<f32>,
    /// Horizontal pairs each department takes part in.
    pub h_degree: Vec<u16>,
    pub groups: Vec<Group>,
    /// Groups of unit u are `unit_groups[u]..unit_groups[u + 1]`.
    pub unit_groups: Vec<u32>,
    /// Horizontal pairs of unit u are `unit_pair_start[u]..unit_pair_start[u + 1]`.
    pub unit_pair_start: Vec<u32>,
    // Information systems.
    pub n_systems: usize,
    /// Systems of department d are `sys_start[d]..sys_start[d + 1]`; the
    /// first is the one the unit's platform connects.
    pub sys_start: Vec<u32>,
    /// Systems of each unit.
    pub unit_systems: Vec<u32>,
    /// System-to-system links of each unit: between the systems of each
    /// horizontal pair of departments, and between the systems of one department.
    pub unit_system_links: Vec<f64>,
    // Domains.
    pub n_domains: usize,
    pub domain_complexity: Vec<f64>,
    /// `1 / lag_quarters` of each domain (the share of the gap closed per quarter).
    pub domain_rate: Vec<f64>,
    pub domain_top_down: Vec<f64>,
    /// Department types of domain d are `domain_types[domain_type_start[d]..domain_type_start[d + 1]]`.
    pub domain_types: Vec<u16>,
    pub domain_type_start: Vec<u32>,
    /// `[1 / horizontal attempts, 1 / vertical attempts]` per quarter of each
    /// (unit, domain), `unit * n_domains + d`; 0 where there are none.
    pub domain_inv_attempts: Vec<[f64; 2]>,
    /// Domains needing each department type (bit d set for domain d).
    pub type_domains: Vec<u32>,
    /// `pow_table[d * (POW_STEPS + 1) + k]` = (k / POW_STEPS)^(1 + complexity_d).
    pub pow_table: Vec<f64>,
    /// Index of the public-services domain, if the catalogue has one.
    pub public_services: Option<usize>,
    /// Index of the government-openness domain, if the catalogue has one.
    pub openness: Option<usize>,
    // Diffusion.
    pub diffusion: Layout,
    /// Eligible index of each unit (its own, or its county's for a township), or `NONE`.
    pub elig_of: Vec<u32>,
}

impl Compiled {
    pub(crate) fn build(world: &World, sc: &Scenario) -> Self {
        Compiled::build_with(world, sc, DomainTables::of(sc, sc.departments.len()))
    }

    /// Compile `world`, another structure of this one's scenario (a
    /// replicate that drew its own counties and townships): the catalogue's
    /// domain tables depend only on the scenario, so they are copied from
    /// here rather than recomputed (the power tables alone were a tenth of
    /// a replicate's compiling).
    pub(crate) fn rebuild(&self, world: &World, sc: &Scenario) -> Self {
        let dt = DomainTables {
            domain_types: self.domain_types.clone(),
            domain_type_start: self.domain_type_start.clone(),
            type_domains: self.type_domains.clone(),
            pow_table: self.pow_table.clone(),
        };
        Compiled::build_with(world, sc, dt)
    }

    fn build_with(world: &World, sc: &Scenario, dt: DomainTables) -> Self {
        let units = &world.units;
        let n = units.len();
        let nt = sc.departments.len();
        let depts = Depts::of(world, sc);
        let (dept_parent, pairs) = links(world, sc, &depts);
        let (groups, unit_groups) = group_pairs(&pairs, n);
        let unit_pair_start = unit_ranges(n, &groups, &unit_groups);
        let h_degree = degrees(depts.unit.len(), &pairs);
        let domain_inv_attempts = domain_attempts(
            units,
            sc.domains.len(),
            &groups,
            &unit_groups,
            &depts.start,
            &dept_parent,
            &depts.dtype,
            &dt.type_domains,
        );
        let sys = SystemLayout::of(world, sc, &depts, &pairs, &unit_pair_start);
        let (diffusion, elig_of) = diffusion_layout(world);
        let mut c = Compiled {
            n_units: n,
            level: units.iter().map(|u| u.level).collect(),
            parent: units.iter().map(|u| u.parent).collect(),
            province: world.province_of.clone(),
            city: world.city_of.clone(),
            county: world.county_of.clone(),
            rank: Vec::new(),
            region: units.iter().map(|u| u.region).collect(),
            pop: Vec::new(),
            fiscal: Vec::new(),
            digital: Vec::new(),
            talent0: Vec::new(),
            institutions: Vec::new(),
            need: Vec::new(),
            grassroots: units.iter().map(|u| grassroots(u.level)).collect(),
            base_budget: Vec::new(),
            base_need: Vec::new(),
            dept_start: depts.start,
            n_depts: depts.unit.len(),
            n_types: nt,
            dept_unit: depts.unit,
            dept_type: depts.dtype,
            dept_parent,
            dept_of: depts.of,
            type_sensitivity: sc.departments.iter().map(|d| d.sensitivity).collect(),
            type_value: sc.departments.iter().map(|d| d.value).collect(),
            type_vertical: sc.departments.iter().map(|d| d.vertical).collect(),
            h_a: pairs.iter().map(|p| p.2).collect(),
            h_b: pairs.iter().map(|p| p.3).collect(),
            group_load: Vec::new(),
            h_degree,
            unit_groups,
            unit_pair_start,
            n_systems: sys.n_systems,
            sys_start: sys.start,
            unit_systems: sys.unit_systems,
            unit_system_links: sys.unit_links,
            n_domains: sc.domains.len(),
            domain_complexity: sc.domains.iter().map(|d| d.complexity).collect(),
            domain_rate: sc
                .domains
                .iter()
                .map(|d| 1.0 / d.lag_quarters.max(1.0))
                .collect(),
            domain_top_down: sc.domains.iter().map(|d| d.top_down).collect(),
            domain_types: dt.domain_types,
            domain_type_start: dt.domain_type_start,
            type_domains: dt.type_domains,
            domain_inv_attempts,
            groups,
            pow_table: dt.pow_table,
            public_services: sc.domains.iter().position(|d| d.id == "public_services"),
            openness: sc
                .domains
                .iter()
                .position(|d| d.id == "government_openness"),
            diffusion,
            elig_of,
        };
        c.group_load = c.by_group_mask(|mask| group_load(sc, mask));
        c.set_attributes(world, sc);
        c
    }

    /// `f` of every group's domain set, in group order. A unit's groups
    /// follow its level's pattern (`links`), so `f` runs over the groups of
    /// the first unit of each level and the others copy them.
    pub(crate) fn by_group_mask<T: Copy>(&self, mut f: impl FnMut(u32) -> T) -> Vec<T> {
        let mut out = Vec::with_capacity(self.groups.len());
        let mut first = [NONE; Level::ALL.len()];
        for u in 0..self.n_units {
            let (g0, g1) = (
                self.unit_groups[u] as usize,
                self.unit_groups[u + 1] as usize,
            );
            let v = &mut first[self.level[u] as usize];
            if *v == NONE {
                *v = u as u32;
                out.extend(self.groups[g0..g1].iter().map(|g| f(g.mask)));
            } else {
                let v0 = self.unit_groups[*v as usize] as usize;
                debug_assert!(
                    (g0..g1).all(|g| self.groups[g].mask == self.groups[v0 + g - g0].mask)
                );
                out.extend_from_within(v0..v0 + (g1 - g0));
            }
        }
        out
    }

    /// Refill the arrays that depend on drawn attributes (rank, population,
    /// the regional drivers, need and what derives from them) from a world
    /// of the same structure: a redrawn replicate reuses everything else.
    pub(crate) fn set_attributes(&mut self, world: &World, sc: &Scenario) {
        let units = &world.units;
        debug_assert_eq!(units.len(), self.n_units);
        let inv = &sc.model.investment;
        let hw = &sc.model.hardware;
        let refill = |v: &mut Vec<f64>, f: &dyn Fn(&crate::world::Unit) -> f64| {
            v.clear();
            v.extend(units.iter().map(f));
        };
        self.rank.clear();
        self.rank.extend(units.iter().map(|u| u.rank));
        refill(&mut self.pop, &|u| u.population);
        refill(&mut self.fiscal, &|u| u.fiscal);
        refill(&mut self.digital, &|u| u.digital);
        refill(&mut self.talent0, &|u| u.talent);
        refill(&mut self.institutions, &|u| u.institutions);
        refill(&mut self.need, &|u| u.need);
        refill(&mut self.base_budget, &|u| {
            inv.quarterly_budget(u.level, u.population, u.fiscal)
        });
        let ds = &self.dept_start;
        self.base_need.clear();
        self.base_need.extend(
            (0..units.len())
                .map(|u| hw.base_need((ds[u + 1] - ds[u]) as usize, units[u].population)),
        );
    }

    /// Number of horizontal pairs.
    pub fn n_pairs(&self) -> usize {
        self.h_a.len()
    }

    /// Number of links between departments: vertical (a department and
    /// its parent) and horizontal pairs, the department graph's edges.
    pub fn n_links(&self) -> usize {
        self.dept_parent.iter().filter(|&&p| p != NONE).count() + self.n_pairs()
    }

    /// `x^(1 + complexity_d)` for x in [0, 1], by linear interpolation in a
    /// precomputed table (error below 1e-5 of the index scale): the step loop
    /// evaluates it for every unit and domain each quarter, where `powf`
    /// would dominate the profile.
    #[inline]
    pub(crate) fn domain_pow(&self, d: usize, x: f64) -> f64 {
        let pos = x.clamp(0.0, 1.0) * POW_STEPS as f64;
        // `pos` is in [0, POW_STEPS]: the i32 conversion is exact and
        // cheaper than the saturating one to usize.
        let k = (pos as i32 as usize).min(POW_STEPS - 1);
        let frac = pos - k as f64;
        let row = &self.pow_table[d * (POW_STEPS + 1)..(d + 1) * (POW_STEPS + 1)];
        row[k] + frac * (row[k + 1] - row[k])
    }
}

/// 1 for townships, ½ for counties, 0 above.
fn grassroots(level: Level) -> f64 {
    match level {
        Level::Township => 1.0,
        Level::County => 0.5,
        _ => 0.0,
    }
}

/// Highest grassroots load among the domains of a mask.
fn group_load(sc: &Scenario, mask: u32) -> f32 {
    sc.domains
        .iter()
        .enumerate()
        .filter(|(d, _)| mask & (1 << d) != 0)
        .map(|(_, x)| x.grassroots_load)
        .fold(0.0f64, f64::max) as f32
}

/// Departments in node order (unit by unit, type by type), with each
/// unit's index range: the numbering of the department graph's nodes.
pub(crate) struct Depts {
    pub unit: Vec<u32>,
    pub dtype: Vec<u16>,
    /// Departments of unit u are `start[u]..start[u + 1]`.
    pub start: Vec<u32>,
    /// `of[unit * types + dtype]`: the department, or `NONE`.
    pub of: Vec<u32>,
}

impl Depts {
    fn of(world: &World, sc: &Scenario) -> Self {
        let nt = sc.departments.len();
        let n = world.units.len();
        // The types a unit holds depend only on its level.
        let held: Vec<Vec<u16>> = Level::ALL
            .iter()
            .map(|&l| {
                (0..nt as u16)
                    .filter(|&t| l <= sc.departments[t as usize].lowest_level)
                    .collect()
            })
            .collect();
        let total: usize = world
            .units
            .iter()
            .map(|u| held[u.level as usize].len())
            .sum();
        let mut unit = Vec::with_capacity(total);
        let mut dtype = Vec::with_capacity(total);
        let mut start = Vec::with_capacity(n + 1);
        let mut of = vec![NONE; n * nt];
        start.push(0u32);
        for (u, x) in world.units.iter().enumerate() {
            for &t in &held[x.level as usize] {
                of[u * nt + t as usize] = unit.len() as u32;
                unit.push(u as u32);
                dtype.push(t);
            }
            start.push(unit.len() as u32);
        }
        Depts {
            unit,
            dtype,
            start,
            of,
        }
    }
}

/// `start[k]..start[k + 1]` ranges from the key of each item (items sorted by key).
fn prefix_counts(n: usize, keys: impl Iterator<Item = usize>) -> Vec<u32> {
    let mut start = vec![0u32; n + 1];
    for k in keys {
        start[k + 1] += 1;
    }
    for k in 0..n {
        start[k + 1] += start[k];
    }
    start
}

/// A horizontal pair: (unit, domain mask, department a, department b).
type Pair = (u32, u32, u32, u32);

/// The parent of each department (`NONE` at the top) and the horizontal
/// pairs sorted by unit, then domain set: the department graph's vertical
/// and horizontal edges (`world::graph`), in compiled order.
///
/// A unit's departments are numbered in type order, so the order of its
/// pairs by (domain set, a, b) is the order of their local positions,
/// which depends only on the types the unit holds, that is on its level:
/// each level's sorted pattern is built once and laid over each unit,
/// rather than sorting every pair of the world.
fn links(world: &World, sc: &Scenario, depts: &Depts) -> (Vec<u32>, Vec<Pair>) {
    let nt = sc.departments.len();
    let pair_mask = pair_masks(&sc.departments, &sc.domains);
    // Per level: (mask, local a, local b) for every pair of held types
    // some domain needs together, sorted.
    let patterns: Vec<Vec<(u32, u32, u32)>> = Level::ALL
        .iter()
        .map(|&l| {
            let here: Vec<usize> = (0..nt)
                .filter(|&t| l <= sc.departments[t].lowest_level)
                .collect();
            let mut p = Vec::new();
            for (i, &a) in here.iter().enumerate() {
                for (j, &b) in here.iter().enumerate().skip(i + 1) {
                    let mask = pair_mask[a * nt + b];
                    if mask != 0 {
                        p.push((mask, i as u32, j as u32));
                    }
                }
            }
            p.sort_unstable();
            p
        })
        .collect();
    let n_pairs: usize = world
        .units
        .iter()
        .map(|u| patterns[u.level as usize].len())
        .sum();
    let mut pairs: Vec<Pair> = Vec::with_capacity(n_pairs);
    let mut dept_parent = vec![NONE; depts.unit.len()];
    for (u, unit) in world.units.iter().enumerate() {
        let s = depts.start[u];
        if unit.parent != NONE {
            for d in s..depts.start[u + 1] {
                let t = depts.dtype[d as usize] as usize;
                dept_parent[d as usize] = depts.of[unit.parent as usize * nt + t];
            }
        }
        for &(mask, i, j) in &patterns[unit.level as usize] {
            pairs.push((u as u32, mask, s + i, s + j));
        }
    }
    (dept_parent, pairs)
}

/// Runs of pairs of one (unit, domain set), and each unit's range of runs.
fn group_pairs(pairs: &[Pair], n: usize) -> (Vec<Group>, Vec<u32>) {
    let mut groups: Vec<Group> = Vec::new();
    for (i, &(u, mask, _, _)) in pairs.iter().enumerate() {
        match groups.last_mut() {
            Some(gr) if gr.unit == u && gr.mask == mask => gr.end = i as u32 + 1,
            _ => groups.push(Group {
                start: i as u32,
                end: i as u32 + 1,
                unit: u,
                mask,
            }),
        }
    }
    let unit_groups = prefix_counts(n, groups.iter().map(|g| g.unit as usize));
    (groups, unit_groups)
}

/// Pairs of unit u are `start[u]..start[u + 1]` (its groups are contiguous).
fn unit_ranges(n: usize, groups: &[Group], unit_groups: &[u32]) -> Vec<u32> {
    let mut start = vec![0u32; n + 1];
    for u in 0..n {
        let (g0, g1) = (unit_groups[u] as usize, unit_groups[u + 1] as usize);
        start[u + 1] = if g1 > g0 {
            groups[g1 - 1].end
        } else {
            start[u]
        };
    }
    start
}

/// Horizontal pairs each department takes part in.
fn degrees(n_depts: usize, pairs: &[Pair]) -> Vec<u16> {
    let mut h_degree = vec![0u16; n_depts];
    for p in pairs {
        h_degree[p.2 as usize] += 1;
        h_degree[p.3 as usize] += 1;
    }
    h_degree
}

/// The catalogue's domain tables.
struct DomainTables {
    domain_types: Vec<u16>,
    domain_type_start: Vec<u32>,
    type_domains: Vec<u32>,
    pow_table: Vec<f64>,
}

impl DomainTables {
    fn of(sc: &Scenario, nt: usize) -> Self {
        let mut domain_types = Vec::new();
        let mut domain_type_start = vec![0u32];
        for d in &sc.domains {
            for id in &d.departments {
                if let Some(t) = sc.departments.iter().position(|x| &x.id == id) {
                    domain_types.push(t as u16);
                }
            }
            domain_type_start.push(domain_types.len() as u32);
        }
        let type_domains = (0..nt)
            .map(|t| {
                sc.domains
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.departments.iter().any(|id| *id == sc.departments[t].id))
                    .fold(0u32, |m, (i, _)| m | (1 << i))
            })
            .collect();
        let pow_table = sc
            .domains
            .iter()
            .flat_map(|d| {
                (0..=POW_STEPS).map(move |k| (k as f64 / POW_STEPS as f64).powf(1.0 + d.complexity))
            })
            .collect();
        DomainTables {
            domain_types,
            domain_type_start,
            type_domains,
            pow_table,
        }
    }
}

/// Information systems of every department (`standards::systems_of`),
/// numbered department by department, and the static counts per unit.
struct SystemLayout {
    n_systems: usize,
    start: Vec<u32>,
    unit_systems: Vec<u32>,
    unit_links: Vec<f64>,
}

impl SystemLayout {
    fn of(world: &World, sc: &Scenario, depts: &Depts, pairs: &[Pair], unit_pairs: &[u32]) -> Self {
        let n = world.units.len();
        let sp = &sc.model.standards;
        // Cumulative rounding runs over the departments of one (province,
        // type, level), starting at a phase set by the type: no province or
        // region gets the rounded-down departments of every type (units are
        // breadth-first, so one sequence over all provinces would give the
        // same provinces the smaller counts), and the types of one unit
        // together hold their mean.
        // The sequence position of each (province, type, level), in a flat
        // table rather than a map: provinces get slots in order of first
        // appearance (`NONE`, the national level, is one of them), and each
        // position starts at its type's phase.
        let nt = sc.departments.len();
        let nl = Level::ALL.len();
        // Mean systems of each (type, level).
        let mean: Vec<f64> = (0..nt)
            .flat_map(|t| Level::ALL.map(|l| sp.systems_at(sc.departments[t].systems, l)))
            .collect();
        let mut slot_of = vec![NONE; n + 1];
        let mut seen: Vec<usize> = Vec::new();
        let mut start = Vec::with_capacity(depts.unit.len() + 1);
        start.push(0u32);
        let mut unit_systems = vec![0u32; n];
        let mut unit_links = vec![0.0; n];
        // Unit by unit (a unit's departments are one range, its pairs are
        // among them), so a unit's counts are summed as soon as its
        // departments are numbered.
        for u in 0..n {
            let ds = depts.start[u] as usize..depts.start[u + 1] as usize;
            if ds.is_empty() {
                continue;
            }
            let level = world.units[u].level as usize;
            let p = world.province_of[u];
            let slot = &mut slot_of[if p == NONE { n } else { p as usize }];
            if *slot == NONE {
                *slot = (seen.len() / (nt * nl)) as u32;
                seen.extend((0..nt).flat_map(|t| std::iter::repeat_n(t, nl)));
            }
            let slot = *slot as usize;
            for &t in &depts.dtype[ds.clone()] {
                let t = t as usize;
                let i = &mut seen[(slot * nt + t) * nl + level];
                let k = crate::mechanisms::standards::systems_of(mean[t * nl + level], *i);
                *i += 1;
                start.push(start.last().copied().unwrap_or(0) + k);
            }
            let k = |d: u32| (start[d as usize + 1] - start[d as usize]) as f64;
            unit_systems[u] = start[ds.end] - start[ds.start];
            let inside: f64 = ds.map(|d| k(d as u32) * (k(d as u32) - 1.0) / 2.0).sum();
            let between: f64 = pairs[unit_pairs[u] as usize..unit_pairs[u + 1] as usize]
                .iter()
                .map(|p| k(p.2) * k(p.3))
                .sum();
            unit_links[u] = inside + between;
        }
        SystemLayout {
            n_systems: *start.last().unwrap_or(&0) as usize,
            start,
            unit_systems,
            unit_links,
        }
    }
}

/// Exchange attempts per quarter of each (unit, domain), as reciprocals:
/// two per horizontal pair whose domain set holds the domain, two per
/// department of the domain's types that has a parent.
///
/// A unit's counts depend only on its level (its pairs follow its level's
/// pattern, see `links`) and its parent's (which of its departments have
/// one): they are counted for the first unit of each (level, parent's
/// level) and copied to the rest.
#[allow(clippy::too_many_arguments)]
fn domain_attempts(
    units: &[crate::world::Unit],
    nd: usize,
    groups: &[Group],
    unit_groups: &[u32],
    dept_start: &[u32],
    dept_parent: &[u32],
    dept_type: &[u16],
    type_domains: &[u32],
) -> Vec<[f64; 2]> {
    let n = units.len();
    let mut counts = vec![[0u32; 2]; n * nd];
    let no_parent = Level::ALL.len();
    let mut first = vec![NONE; Level::ALL.len() * (no_parent + 1)];
    for u in 0..n {
        let par = units[u].parent;
        let par_level = if par == NONE {
            no_parent
        } else {
            units[par as usize].level as usize
        };
        let seen = &mut first[units[u].level as usize * (no_parent + 1) + par_level];
        if *seen != NONE {
            counts.copy_within(*seen as usize * nd..(*seen as usize + 1) * nd, u * nd);
            continue;
        }
        *seen = u as u32;
        for g in &groups[unit_groups[u] as usize..unit_groups[u + 1] as usize] {
            for d in (0..nd).filter(|d| g.mask & (1 << d) != 0) {
                counts[u * nd + d][0] += 2 * (g.end - g.start);
            }
        }
        for dep in dept_start[u] as usize..dept_start[u + 1] as usize {
            if dept_parent[dep] != NONE {
                for d in (0..nd).filter(|d| type_domains[dept_type[dep] as usize] & (1 << d) != 0) {
                    counts[u * nd + d][1] += 2;
                }
            }
        }
    }
    let inv = |k: u32| if k == 0 { 0.0 } else { 1.0 / k as f64 };
    counts.into_iter().map(|[h, v]| [inv(h), inv(v)]).collect()
}

/// Cities and counties adopt innovations; they are grouped by parent.
fn diffusion_layout(world: &World) -> (Layout, Vec<u32>) {
    let units = &world.units;
    let n = units.len();
    let mut elig_of = vec![NONE; n];
    let mut l = Layout {
        units: Vec::new(),
        group_of: Vec::new(),
        group_start: vec![0],
        group_province: Vec::new(),
        group_peers: Vec::new(),
        peer_size: Vec::new(),
    };
    let mut peer_of_province = std::collections::BTreeMap::new();
    let mut last_parent = NONE;
    for (i, u) in units.iter().enumerate() {
        if !matches!(u.level, Level::City | Level::County) {
            continue;
        }
        if u.parent != last_parent {
            if !l.units.is_empty() {
                l.group_start.push(l.units.len() as u32);
            }
            let prov = world.province_of[i];
            l.group_province.push(prov);
            let next = peer_of_province.len() as u32;
            let peers = *peer_of_province.entry(prov).or_insert(next);
            if peers as usize == l.peer_size.len() {
                l.peer_size.push(0);
            }
            l.group_peers.push(peers);
            last_parent = u.parent;
        }
        l.peer_size[*l.group_peers.last().expect("a group was opened") as usize] += 1;
        elig_of[i] = l.units.len() as u32;
        l.group_of.push(l.group_province.len() as u32 - 1);
        l.units.push(i as u32);
    }
    if !l.units.is_empty() {
        l.group_start.push(l.units.len() as u32);
    }
    for i in 0..n {
        if units[i].level == Level::Township && world.county_of[i] != NONE {
            elig_of[i] = elig_of[world.county_of[i] as usize];
        }
    }
    (l, elig_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    #[test]
    fn groups_cover_pairs_and_ranges_are_consistent() {
        let sc = scenario::from_str(
            "name = \"t\"\n[world]\ncounties_dispersion = 0\ntownships_dispersion = 0",
            None,
        )
        .unwrap();
        let w = World::build(&sc).unwrap();
        let c = Compiled::build(&w, &sc);
        assert_eq!(c.groups.first().unwrap().start, 0);
        assert_eq!(c.groups.last().unwrap().end as usize, c.n_pairs());
        for w2 in c.groups.windows(2) {
            assert_eq!(w2[0].end, w2[1].start);
        }
        for u in 0..c.n_units {
            for d in c.dept_start[u]..c.dept_start[u + 1] {
                assert_eq!(c.dept_unit[d as usize], u as u32);
            }
            for g in c.unit_groups[u]..c.unit_groups[u + 1] {
                assert_eq!(c.groups[g as usize].unit, u as u32);
            }
        }
        for u in 0..c.n_units {
            let p = c.unit_pair_start[u] as usize..c.unit_pair_start[u + 1] as usize;
            assert!(
                p.clone()
                    .all(|i| c.dept_unit[c.h_a[i] as usize] == u as u32)
            );
        }
        assert_eq!(*c.unit_pair_start.last().unwrap() as usize, c.n_pairs());
        // Eligible: 21 cities + 126 counties in 1 + 21 groups.
        assert_eq!(c.diffusion.units.len(), 147);
        assert_eq!(c.diffusion.group_start.len(), 23);
        assert!(c.public_services.is_some());
    }

    /// The flat layout numbers departments and links exactly as the
    /// petgraph department graph does, in the pairs' sorted order.
    #[test]
    fn layout_matches_the_department_graph() {
        use crate::world::graph::Link;
        use petgraph::visit::EdgeRef;
        for extra in ["", "\n[world]\ncities = 4\ndepth = \"county\""] {
            let sc = scenario::from_str(&format!("name = \"t\"{extra}"), None).unwrap();
            let w = World::build(&sc).unwrap();
            let c = Compiled::build(&w, &sc);
            let g = w.graph.as_deref().unwrap();
            assert_eq!(c.n_depts, g.departments());
            assert_eq!(c.n_links(), g.links());
            assert_eq!(c.dept_of, g.dept_of);
            for (d, node) in g.graph.node_weights().enumerate() {
                assert_eq!((c.dept_unit[d], c.dept_type[d]), (node.unit, node.dtype));
            }
            let mut parent = vec![NONE; c.n_depts];
            let mut pairs = Vec::new();
            for e in g.graph.edge_references() {
                let (a, b) = (e.source().index() as u32, e.target().index() as u32);
                match *e.weight() {
                    Link::Vertical => parent[a as usize] = b,
                    Link::Horizontal { mask } => pairs.push((c.dept_unit[a as usize], mask, a, b)),
                }
            }
            pairs.sort();
            assert_eq!(c.dept_parent, parent);
            let got: Vec<_> = c
                .groups
                .iter()
                .flat_map(|g| (g.start..g.end).map(move |i| (g.unit, g.mask, i as usize)))
                .map(|(u, mask, i)| (u, mask, c.h_a[i], c.h_b[i]))
                .collect();
            assert_eq!(got, pairs);
        }
    }

    #[test]
    fn systems_are_ranges_per_department_with_counts_per_unit() {
        let sc = scenario::from_str("name = \"t\"", None).unwrap();
        let w = World::build(&sc).unwrap();
        let c = Compiled::build(&w, &sc);
        assert_eq!(c.sys_start.len(), c.n_depts + 1);
        assert_eq!(*c.sys_start.last().unwrap() as usize, c.n_systems);
        let k = |d: usize| (c.sys_start[d + 1] - c.sys_start[d]) as f64;
        assert!((0..c.n_depts).all(|d| k(d) >= 1.0));
        // Mean systems per department by level: 3.7 at city level, 1.85 at
        // county level (cumulative rounding keeps the mean), 1 in townships.
        for (level, want) in [
            (Level::City, 3.7),
            (Level::County, 1.85),
            (Level::Township, 1.0),
        ] {
            let ds: Vec<usize> = (0..c.n_depts)
                .filter(|&d| c.level[c.dept_unit[d] as usize] == level)
                .collect();
            let mean = ds.iter().map(|&d| k(d)).sum::<f64>() / ds.len() as f64;
            assert!((mean - want).abs() < 0.05, "{level:?}: {mean}");
        }
        // Links of a unit, counted by brute force over its departments.
        for u in 0..c.n_units {
            let ds = c.dept_start[u] as usize..c.dept_start[u + 1] as usize;
            let systems: f64 = ds.clone().map(k).sum();
            assert_eq!(c.unit_systems[u] as f64, systems);
            let mut links = 0.0;
            for a in ds.clone() {
                links += k(a) * (k(a) - 1.0) / 2.0;
                for b in ds.clone().filter(|&b| b > a) {
                    let paired = (0..c.n_pairs()).any(|i| {
                        let (x, y) = (c.h_a[i] as usize, c.h_b[i] as usize);
                        (x, y) == (a, b) || (x, y) == (b, a)
                    });
                    if paired {
                        links += k(a) * k(b);
                    }
                }
            }
            assert_eq!(c.unit_system_links[u], links, "unit {u}");
            if u > 40 {
                break; // the province, its cities and some counties suffice
            }
        }
    }
}
