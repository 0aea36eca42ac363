//! From a run's state to one frame of scope × metric values (docs/model.md §5).
//!
//! Unit values accumulate into cells (units of one level, province and
//! rank), cells combine into scopes (`world::scopes`):
//! - *unit means* are level-balanced: the population-weighted mean over a
//!   scope's units of each level, then the plain mean over its levels, so a
//!   province, its cities, counties and townships count equally however
//!   many townships there are;
//! - *link rates* pool successes over attempts in the scope;
//! - *sums* add up; `cost_per_capita` divides cost by the scope's people;
//! - `disparity_theil` is the Theil T of maturity across the scope's
//!   counties (or its deepest level without counties);
//! - `east_west_gap` is the level-balanced maturity of east minus west
//!   units, for scopes holding both.
//!
//! Rule: allocation happens in `Collector::fit`; `collect` reuses buffers.

use crate::catalog::{Level, Region};
use crate::engine::compiled::Compiled;
use crate::engine::plan::Plan;
use crate::engine::state::State;
use crate::mechanisms::sized;
use crate::metrics::registry::{self, Compute, LinkRate, MetricDef, UnitValue};
use crate::scenario::Scenario;
use crate::world::NONE;
use crate::world::scopes::{Cell, Scopes};

/// The metrics of a scenario with how each is computed.
#[derive(Debug, Clone)]
pub struct MetricTable {
    pub defs: Vec<MetricDef>,
    /// Each metric's computation, from its registry row.
    pub kinds: Vec<Compute>,
    pub n_unit: usize,
}

impl MetricTable {
    pub fn new(sc: &Scenario) -> Self {
        let defs = registry::metrics(&sc.domains);
        let kinds = defs.iter().map(|m| m.compute).collect();
        MetricTable {
            defs,
            kinds,
            n_unit: UnitValue::COUNT + sc.domains.len(),
        }
    }

    /// Position of a metric id.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.defs.iter().position(|m| m.id == id)
    }
}

/// What a frame is computed from besides a run's state: the metric table,
/// the scopes and the compiled world.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub table: &'a MetricTable,
    pub scopes: &'a Scopes,
    pub compiled: &'a Compiled,
    /// Usability of system links on and off the common standard.
    pub standards: &'a crate::mechanisms::standards::StandardsParams,
}

/// Per-cell sums of one quarter.
#[derive(Debug, Clone, Default)]
struct CellSums {
    wx: Vec<f64>,
    w: Vec<f64>,
    num: [f64; LinkRate::COUNT],
    den: [f64; LinkRate::COUNT],
    cost: f64,
    systems: f64,
    system_links: f64,
    duplicates: f64,
    innovations: f64,
    idle: f64,
    cap: f64,
    adopted: f64,
    eligible: f64,
    theil_n: f64,
    theil_x: f64,
    theil_xlnx: f64,
}

/// Reusable buffers turning state into frames.
#[derive(Default)]
pub struct Collector {
    cells: Vec<CellSums>,
    unit_values: Vec<f64>,
    /// Collaboration index per unit, computed in a pass of its own so the
    /// cube roots of different units overlap in the pipeline.
    collab: Vec<f64>,
    frame: Vec<f64>,
    origin_cell: Vec<u32>,
}

impl Collector {
    /// Size the buffers for frames of `src`, with room for
    /// `max_innovations`, keeping the allocations.
    pub fn fit(&mut self, src: Sources, max_innovations: usize) {
        let nu = src.table.n_unit;
        let cell = CellSums {
            wx: vec![0.0; nu],
            w: vec![0.0; nu],
            ..Default::default()
        };
        sized(&mut self.cells, src.scopes.cells.len(), cell);
        sized(&mut self.unit_values, nu, 0.0);
        sized(&mut self.collab, src.compiled.n_units, 0.0);
        sized(
            &mut self.frame,
            src.scopes.scopes.len() * src.table.defs.len(),
            0.0,
        );
        self.origin_cell.clear();
        self.origin_cell.reserve(max_innovations);
    }

    /// One frame: `scopes × metrics`, NaN where a metric does not apply.
    pub fn collect(
        &mut self,
        src: Sources,
        plan: &Plan,
        st: &State,
        maturity: &[f64],
        stage: &[u8],
    ) -> &[f64] {
        self.accumulate(src, plan, st, maturity, stage);
        self.combine(src, st);
        &self.frame
    }

    fn accumulate(
        &mut self,
        src: Sources,
        plan: &Plan,
        st: &State,
        maturity: &[f64],
        stage: &[u8],
    ) {
        let c = src.compiled;
        let scopes = src.scopes;
        for cs in &mut self.cells {
            cs.wx.fill(0.0);
            cs.w.fill(0.0);
            let (wx, w) = (std::mem::take(&mut cs.wx), std::mem::take(&mut cs.w));
            *cs = CellSums {
                wx,
                w,
                ..Default::default()
            };
        }
        let nd = c.n_domains;
        for (u, x) in self.collab.iter_mut().enumerate() {
            *x = super::collab_index(st, u);
        }
        for u in 0..c.n_units {
            let cell = scopes.cell_of[u];
            if cell == NONE {
                continue;
            }
            let cs = &mut self.cells[cell as usize];
            // In `UnitValue` order.
            let fixed: [f64; UnitValue::COUNT] = [
                self.collab[u],
                maturity[u],
                if stage[u] == 0 {
                    f64::NAN
                } else {
                    stage[u] as f64
                },
                st.online[u],
                st.zero[u],
                st.platform[u],
            ];
            self.unit_values[..fixed.len()].copy_from_slice(&fixed);
            self.unit_values[fixed.len()..].copy_from_slice(&st.dom[u * nd..(u + 1) * nd]);
            let pop = c.pop[u].max(1.0);
            for (k, &x) in self.unit_values.iter().enumerate() {
                if !x.is_nan() {
                    cs.wx[k] += pop * x;
                    cs.w[k] += pop;
                }
            }
            let t = &st.tally[u];
            let hn = t.h_n as f64;
            let links = c.unit_system_links[u];
            let usable_links = if st.connected[u] {
                let sp = src.standards;
                let aligned = st.aligned_links[u];
                aligned + sp.cross_standard_usability * (links - aligned)
            } else {
                src.standards.legacy_usability * links
            };
            // In `LinkRate` order.
            let rates: [(f64, f64); LinkRate::COUNT] = [
                (t.up_s as f64, t.up_n as f64),
                (t.down_s as f64, t.down_n as f64),
                ((t.h_s + t.p_s) as f64, (t.h_n + t.p_n) as f64),
                (t.usab, t.usab_n as f64),
                (t.dare_not, hn),
                (t.unwilling, hn),
                (t.unable, hn),
                (t.trust, hn),
                (usable_links, links),
            ];
            for (i, (n, d)) in rates.into_iter().enumerate() {
                cs.num[i] += n;
                cs.den[i] += d;
            }
            cs.cost += st.cost[u];
            cs.systems += c.unit_systems[u] as f64;
            cs.system_links += links;
            if plan.build_cost[u] > 0.0 && st.built[u] && c.level[u] > Level::Province {
                cs.duplicates += 1.0;
            }
            cs.idle += crate::mechanisms::hardware::idle(st.hw_cap[u], st.hw_need[u]);
            cs.cap += st.hw_cap[u];
            if matches!(c.level[u], Level::City | Level::County) && c.elig_of[u] != NONE {
                cs.adopted += st.diffusion.adopted_total[c.elig_of[u] as usize] as f64;
                cs.eligible += 1.0;
            }
            let m = maturity[u];
            if m.is_finite() && m > 0.0 {
                cs.theil_n += 1.0;
                cs.theil_x += m;
                cs.theil_xlnx += m * m.ln();
            }
        }
        self.origin_cell.clear();
        self.origin_cell.extend(
            st.diffusion
                .origins()
                .map(|e| scopes.cell_of[c.diffusion.units[e as usize] as usize]),
        );
        for &cell in &self.origin_cell {
            if cell != NONE {
                self.cells[cell as usize].innovations += 1.0;
            }
        }
    }

    fn combine(&mut self, src: Sources, st: &State) {
        let scopes = src.scopes;
        let nm = src.table.defs.len();
        let n_innov = st.diffusion.count() as f64;
        for (si, scope) in scopes.scopes.iter().enumerate() {
            let cells = &scope.cells;
            let out = &mut self.frame[si * nm..(si + 1) * nm];
            for (mi, kind) in src.table.kinds.iter().enumerate() {
                out[mi] = match *kind {
                    Compute::Unit(v) => {
                        level_balanced(&self.cells, &scopes.cells, cells, v as usize, |_| true)
                    }
                    Compute::Domain(d) => level_balanced(
                        &self.cells,
                        &scopes.cells,
                        cells,
                        UnitValue::COUNT + d,
                        |_| true,
                    ),
                    Compute::Rate(r) => {
                        let r = r as usize;
                        ratio(cells.iter().map(|&c| {
                            (self.cells[c as usize].num[r], self.cells[c as usize].den[r])
                        }))
                    }
                    Compute::Cost => sum(cells, |c| self.cells[c].cost),
                    Compute::Duplicates => sum(cells, |c| self.cells[c].duplicates),
                    Compute::Innovations => sum(cells, |c| self.cells[c].innovations),
                    Compute::CostPerCapita => {
                        sum(cells, |c| self.cells[c].cost) * 1e6 / scope.population.max(1.0)
                    }
                    Compute::Idle => ratio(
                        cells
                            .iter()
                            .map(|&c| (self.cells[c as usize].idle, self.cells[c as usize].cap)),
                    ),
                    Compute::Adoption => {
                        let (a, e) = (
                            sum(cells, |c| self.cells[c].adopted),
                            sum(cells, |c| self.cells[c].eligible),
                        );
                        if n_innov > 0.0 && e > 0.0 {
                            a / (n_innov * e)
                        } else {
                            f64::NAN
                        }
                    }
                    Compute::Theil => theil(&self.cells, &scopes.cells, cells),
                    Compute::Systems => sum(cells, |c| self.cells[c].systems),
                    Compute::SystemLinks => sum(cells, |c| self.cells[c].system_links),
                    Compute::EastWest => {
                        let m = UnitValue::Maturity as usize;
                        let east = level_balanced(&self.cells, &scopes.cells, cells, m, |c| {
                            c.region == Region::East
                        });
                        let west = level_balanced(&self.cells, &scopes.cells, cells, m, |c| {
                            c.region == Region::West
                        });
                        east - west
                    }
                };
            }
        }
    }
}

fn sum(cells: &[u32], f: impl Fn(usize) -> f64) -> f64 {
    cells.iter().map(|&c| f(c as usize)).sum()
}

fn ratio(parts: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (n, d) = parts.fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    if d > 0.0 { n / d } else { f64::NAN }
}

/// Mean over levels of the population-weighted mean of unit value `k`.
fn level_balanced(
    sums: &[CellSums],
    meta: &[Cell],
    cells: &[u32],
    k: usize,
    keep: impl Fn(&Cell) -> bool,
) -> f64 {
    let mut wx = [0.0; 5];
    let mut w = [0.0; 5];
    for &c in cells {
        let (s, m) = (&sums[c as usize], &meta[c as usize]);
        if keep(m) {
            wx[m.level as usize] += s.wx[k];
            w[m.level as usize] += s.w[k];
        }
    }
    let (mut total, mut n) = (0.0, 0);
    for l in 0..5 {
        if w[l] > 0.0 {
            total += wx[l] / w[l];
            n += 1;
        }
    }
    if n == 0 { f64::NAN } else { total / n as f64 }
}

/// Theil T of maturity across the scope's counties (or its deepest level).
fn theil(sums: &[CellSums], meta: &[Cell], cells: &[u32]) -> f64 {
    let has_county = cells
        .iter()
        .any(|&c| meta[c as usize].level == Level::County);
    let level = if has_county {
        Level::County
    } else {
        cells
            .iter()
            .map(|&c| meta[c as usize].level)
            .max()
            .unwrap_or(Level::Province)
    };
    let (mut n, mut x, mut xlnx) = (0.0, 0.0, 0.0);
    for &c in cells.iter().filter(|&&c| meta[c as usize].level == level) {
        let s = &sums[c as usize];
        n += s.theil_n;
        x += s.theil_x;
        xlnx += s.theil_xlnx;
    }
    if n < 2.0 || x <= 0.0 {
        return f64::NAN;
    }
    let mu = x / n;
    (xlnx / (n * mu) - mu.ln()).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Rank;

    fn cell(level: Level, region: Region) -> Cell {
        Cell {
            level,
            province: 0,
            rank: Rank::County,
            region,
        }
    }

    fn sums(xs: &[f64], k: usize) -> CellSums {
        let mut s = CellSums {
            wx: vec![0.0; k],
            w: vec![0.0; k],
            ..Default::default()
        };
        for &x in xs {
            s.theil_n += 1.0;
            s.theil_x += x;
            s.theil_xlnx += x * x.ln();
        }
        s
    }

    #[test]
    fn theil_matches_the_direct_formula() {
        let xs: [f64; 3] = [10.0, 20.0, 70.0];
        let direct = {
            let mu = 100.0 / 3.0;
            xs.iter().map(|x| x / mu * (x / mu).ln()).sum::<f64>() / 3.0
        };
        let meta = [
            cell(Level::County, Region::East),
            cell(Level::County, Region::East),
        ];
        let s = [sums(&xs[..1], 1), sums(&xs[1..], 1)];
        assert!((theil(&s, &meta, &[0, 1]) - direct).abs() < 1e-12);
        let eq = [sums(&[5.0, 5.0], 1)];
        assert!(theil(&eq, &meta[..1], &[0]).abs() < 1e-12);
    }

    #[test]
    fn level_balanced_weights_levels_equally() {
        let meta = [
            cell(Level::City, Region::East),
            cell(Level::County, Region::West),
        ];
        let mut a = sums(&[], 1);
        a.wx[0] = 10.0 * 100.0; // one city of 100 people at 10
        a.w[0] = 100.0;
        let mut b = sums(&[], 1);
        b.wx[0] = 50.0 * 1000.0; // counties of 1000 people at 50
        b.w[0] = 1000.0;
        let s = [a, b];
        assert!((level_balanced(&s, &meta, &[0, 1], 0, |_| true) - 30.0).abs() < 1e-12);
        assert!(
            (level_balanced(&s, &meta, &[0, 1], 0, |c| c.region == Region::West) - 50.0).abs()
                < 1e-12
        );
        assert!(level_balanced(&s, &meta, &[], 0, |_| true).is_nan());
        assert!((ratio([(1.0, 4.0), (1.0, 0.0)].into_iter()) - 0.5).abs() < 1e-12);
    }
}
