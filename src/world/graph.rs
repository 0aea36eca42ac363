//! The department graph (docs/model.md §2): one node per department (a
//! department type held by a unit), vertical edges from a department to the
//! same type one level up, and horizontal edges between departments of the
//! same unit that some domain needs together (labelled with the set of
//! those domains). Built with petgraph; `engine::compiled` turns it into
//! flat arrays. Cross-region partnership edges are strategy-specific and
//! are added by the engine when it compiles a strategy.

use petgraph::graph::{DiGraph, NodeIndex};

use super::{NONE, Unit};
use crate::catalog::departments::DepartmentDef;
use crate::catalog::domains::DomainDef;

/// A department node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeptNode {
    pub unit: u32,
    /// Index into the scenario's department catalogue.
    pub dtype: u16,
}

/// A link between departments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// From a department to the same type one level up.
    Vertical,
    /// Between two departments of one unit; `mask` has bit d set when domain d needs both.
    Horizontal { mask: u32 },
}

/// The department graph and the (unit, type) → department lookup.
#[derive(Debug, Clone)]
pub struct DepartmentGraph {
    pub graph: DiGraph<DeptNode, Link, u32>,
    /// `dept_of[unit * types + dtype]`: node index, or `NONE`.
    pub dept_of: Vec<u32>,
    pub types: usize,
}

impl DepartmentGraph {
    /// Build nodes and edges for breadth-first ordered units.
    pub fn build(units: &[Unit], deps: &[DepartmentDef], domains: &[DomainDef]) -> Self {
        let nt = deps.len();
        let pair_mask = pair_masks(deps, domains);
        let mut graph = DiGraph::<DeptNode, Link, u32>::default();
        let mut dept_of = vec![NONE; units.len() * nt];
        for (u, unit) in units.iter().enumerate() {
            for (t, d) in deps.iter().enumerate() {
                if unit.level <= d.lowest_level {
                    let n = graph.add_node(DeptNode {
                        unit: u as u32,
                        dtype: t as u16,
                    });
                    dept_of[u * nt + t] = n.index() as u32;
                }
            }
        }
        for (u, unit) in units.iter().enumerate() {
            let here: Vec<usize> = (0..nt).filter(|t| dept_of[u * nt + t] != NONE).collect();
            if unit.parent != NONE {
                for &t in &here {
                    let up = dept_of[unit.parent as usize * nt + t];
                    if up != NONE {
                        graph.add_edge(node(dept_of[u * nt + t]), node(up), Link::Vertical);
                    }
                }
            }
            for (i, &a) in here.iter().enumerate() {
                for &b in &here[i + 1..] {
                    let mask = pair_mask[a * nt + b];
                    if mask != 0 {
                        graph.add_edge(
                            node(dept_of[u * nt + a]),
                            node(dept_of[u * nt + b]),
                            Link::Horizontal { mask },
                        );
                    }
                }
            }
        }
        DepartmentGraph {
            graph,
            dept_of,
            types: nt,
        }
    }

    pub fn departments(&self) -> usize {
        self.graph.node_count()
    }

    pub fn links(&self) -> usize {
        self.graph.edge_count()
    }
}

fn node(i: u32) -> NodeIndex<u32> {
    NodeIndex::new(i as usize)
}

/// `mask[a * n + b]`: domains needing both department types a and b.
pub(crate) fn pair_masks(deps: &[DepartmentDef], domains: &[DomainDef]) -> Vec<u32> {
    let n = deps.len();
    let mut mask = vec![0u32; n * n];
    for (d, dom) in domains.iter().enumerate() {
        let idx: Vec<usize> = dom
            .departments
            .iter()
            .filter_map(|id| deps.iter().position(|x| &x.id == id))
            .collect();
        for &a in &idx {
            for &b in &idx {
                if a != b {
                    mask[a * n + b] |= 1 << d;
                }
            }
        }
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{departments, domains};
    use crate::scenario;

    #[test]
    fn default_province_world_has_expected_shape() {
        let sc = scenario::from_str(
            "name = \"t\"\n[world]\ncounties_dispersion = 0\ntownships_dispersion = 0",
            None,
        )
        .unwrap();
        let w = crate::world::World::build(&sc).unwrap();
        let g = w.graph.as_deref().unwrap();
        // national 17 + province 17 + 21 cities x 17 + 126 counties x 17 + 1260 townships x 5
        assert_eq!(g.departments(), 17 + 17 + 21 * 17 + 126 * 17 + 1260 * 5);
        let vertical = g
            .graph
            .edge_weights()
            .filter(|l| matches!(l, Link::Vertical))
            .count();
        assert_eq!(vertical, g.departments() - 17);
        // Townships: all 10 pairs of their 5 departments are needed by some domain.
        let township = w
            .units
            .iter()
            .position(|u| u.level == crate::catalog::Level::Township)
            .unwrap();
        let h = g
            .graph
            .edge_indices()
            .filter(|&e| {
                let (a, _) = g.graph.edge_endpoints(e).unwrap();
                g.graph[a].unit == township as u32 && matches!(g.graph[e], Link::Horizontal { .. })
            })
            .count();
        assert_eq!(h, 10);
    }

    #[test]
    fn pair_masks_are_symmetric() {
        let deps = departments::defaults();
        let m = pair_masks(&deps, &domains::defaults());
        let n = deps.len();
        for a in 0..n {
            assert_eq!(m[a * n + a], 0);
            for b in 0..n {
                assert_eq!(m[a * n + b], m[b * n + a]);
            }
        }
    }
}
