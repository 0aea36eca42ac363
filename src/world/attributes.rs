//! Regional drivers (docs/model.md §3.6): draw each unit's fiscal capacity,
//! digital-economy environment, talent, institutional completeness,
//! population and need position.
//!
//! Distributions (documented in `docs/ODD.md`, "Initialization"):
//! - a province's attribute = its real value when the preset gives one
//!   (`world::statistics`), else its region group's mean + N(0, `spread`);
//! - a lower unit's attribute = `inheritance`·parent +
//!   (1 − `inheritance`)·anchor + N(0, `spread`), where the anchor is its
//!   province's real value when known and the region group's mean
//!   otherwise; all truncated to [0.05, 1];
//! - a value from data (`UnitSpec::fixed`, e.g. an attributes CSV) replaces
//!   the draw;
//! - children split their parent's population with log-normal weights
//!   (sd `population_sigma`) unless the preset or data gives it;
//! - need position: 0 at and above the province, parent's + N(0, `heterogeneity`) below.

use rand_distr::{Distribution, StandardNormal};

use super::params::WorldParams;
use super::province::lognormal_weights;
use super::{NONE, Unit, UnitSpec};
use crate::catalog::Level;
use crate::rng::Rng;

/// Draw attributes for breadth-first ordered specs; `names` gives each
/// unit's id, English and Chinese name in the same order (moved out of
/// freshly built specs, or copied from a world of the same structure).
pub fn draw(
    specs: &[UnitSpec],
    mut names: impl Iterator<Item = [String; 3]>,
    p: &WorldParams,
    rng: &mut Rng,
) -> Vec<Unit> {
    let a = &p.attributes;
    let mut units: Vec<Unit> = Vec::with_capacity(specs.len());
    // What lower units are drawn around: a province's real values, or the region means.
    let mut anchors: Vec<[f64; 4]> = Vec::with_capacity(specs.len());
    for s in specs {
        let means = a.means(s.region);
        let region_mean = [
            means.fiscal,
            means.digital,
            means.talent,
            means.institutions,
        ];
        let mean = match s.parent {
            NONE => region_mean,
            par if units[par as usize].level >= Level::Province => anchors[par as usize],
            _ => region_mean,
        };
        let parent = (s.parent != NONE).then(|| &units[s.parent as usize]);
        let mut vals = [0.0; 4];
        for k in 0..4 {
            let noise: f64 = StandardNormal.sample(rng);
            let expected = match parent {
                Some(par) if par.level >= Level::Province => {
                    let pv = [par.fiscal, par.digital, par.talent, par.institutions][k];
                    a.inheritance * pv + (1.0 - a.inheritance) * mean[k]
                }
                _ => mean[k],
            };
            vals[k] = s.fixed[k].unwrap_or((expected + a.spread * noise).clamp(0.05, 1.0));
        }
        anchors.push(match s.fixed {
            [Some(f), Some(d), Some(t), Some(i)] if s.level == Level::Province => [f, d, t, i],
            _ => mean,
        });
        let shock: f64 = StandardNormal.sample(rng);
        let need = match parent {
            Some(par) if s.level > Level::Province => par.need + p.heterogeneity * shock,
            _ => 0.0,
        };
        let [id, name_en, name_zh] = names.next().expect("a name for every spec");
        units.push(Unit {
            id,
            name_en,
            name_zh,
            level: s.level,
            parent: s.parent,
            region: s.region,
            rank: s.rank,
            population: s.population.unwrap_or(0.0),
            fiscal: vals[0],
            digital: vals[1],
            talent: vals[2],
            institutions: vals[3],
            need,
        });
    }
    split_population(&mut units, specs, p.attributes.population_sigma, rng);
    units
}

/// Give children without a known population a log-normal share of their parent's.
fn split_population(units: &mut [Unit], specs: &[UnitSpec], sigma: f64, rng: &mut Rng) {
    let n = units.len();
    let mut start = 1;
    while start < n {
        let parent = units[start].parent;
        let mut end = start;
        while end < n && units[end].parent == parent {
            end += 1;
        }
        let unknown: Vec<usize> = (start..end)
            .filter(|&i| specs[i].population.is_none())
            .collect();
        if !unknown.is_empty() && parent != NONE {
            let known: f64 = (start..end)
                .filter(|&i| specs[i].population.is_some())
                .map(|i| units[i].population)
                .sum();
            let rest = (units[parent as usize].population - known).max(0.0);
            let w = lognormal_weights(unknown.len(), sigma, rng);
            for (i, wi) in unknown.into_iter().zip(w) {
                units[i].population = rest * wi;
            }
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(specs: &[UnitSpec]) -> impl Iterator<Item = [String; 3]> + '_ {
        specs
            .iter()
            .map(|s| [s.id.clone(), s.name_en.clone(), s.name_zh.clone()])
    }
    use crate::catalog::Region;
    use crate::rng;
    use crate::world::params::RegionMeans;

    #[test]
    fn east_draws_higher_than_west_and_stays_in_range() {
        let mut p = WorldParams::default();
        p.attributes.spread = 0.05;
        p.attributes.east = RegionMeans {
            fiscal: 0.8,
            digital: 0.8,
            talent: 0.8,
            institutions: 0.8,
        };
        p.attributes.west = RegionMeans {
            fiscal: 0.3,
            digital: 0.3,
            talent: 0.3,
            institutions: 0.3,
        };
        p.statistics.enabled = false;
        let mut specs = crate::world::china::specs(
            &WorldParams {
                depth: Level::City,
                statistics: p.statistics.clone(),
                ..Default::default()
            },
            std::path::Path::new("."),
        )
        .unwrap();
        specs = crate::world::order_bfs(specs);
        let units = draw(&specs, names(&specs), &p, &mut rng::stream(3, 0, "world"));
        let mean = |r: Region| {
            let v: Vec<f64> = units
                .iter()
                .filter(|u| u.region == r && u.level == Level::City)
                .map(|u| u.fiscal)
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(mean(Region::East) > mean(Region::West) + 0.3);
        assert!(units.iter().all(|u| (0.05..=1.0).contains(&u.fiscal)));
    }

    #[test]
    fn children_split_parent_population() {
        let p = WorldParams::default();
        let specs = crate::world::order_bfs(crate::world::province::specs(
            &p,
            &mut rng::stream(1, 0, "world"),
            &mut rng::stream(1, 0, "structure"),
        ));
        let units = draw(&specs, names(&specs), &p, &mut rng::stream(1, 0, "a"));
        let c = 2; // first city
        let kids: f64 = units
            .iter()
            .filter(|u| u.parent == c)
            .map(|u| u.population)
            .sum();
        assert!((kids - units[c as usize].population).abs() / kids < 1e-9);
    }
}
