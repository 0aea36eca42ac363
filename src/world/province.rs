//! The `province` preset: one synthetic province with `cities` cities,
//! `counties_per_city` counties each and `townships_per_county` townships
//! each (defaults 21, 6, 10 — a mid-sized Chinese province), under a
//! national unit.
//!
//! City populations split the province's with log-normal weights
//! (sd `attributes.population_sigma`); the `subprovincial_cities` most
//! populous cities get sub-provincial rank, and `municipality_cities`
//! others, drawn at random, get municipality-level coordinating rank (for
//! "all else equal" comparisons of rank).

use rand::RngExt;
use rand_distr::{Distribution, LogNormal};

use super::params::WorldParams;
use super::{NONE, UnitSpec};
use crate::catalog::{Level, Rank};
use crate::rng::Rng;

/// Unit specs of the synthetic province, breadth-first.
pub fn specs(p: &WorldParams, rng: &mut Rng) -> Vec<UnitSpec> {
    let mut out = vec![national(p), province(p)];
    let (weights, ranks) = draw_cities(p, rng);
    let first_city = out.len();
    for c in 0..p.cities as usize {
        out.push(UnitSpec {
            id: format!("c{:02}", c + 1),
            name_en: format!("City {}", c + 1),
            name_zh: format!("{}市", c + 1),
            level: Level::City,
            parent: 1,
            region: p.region,
            rank: ranks[c],
            population: Some(p.population * weights[c]),
            fixed: [None; 4],
        });
    }
    if p.depth >= Level::County {
        let first_county = out.len();
        for c in 0..p.cities as usize {
            for k in 0..p.counties_per_city as usize {
                out.push(child(
                    &out[first_city + c],
                    (first_city + c) as u32,
                    k,
                    "k",
                    "County",
                    "县",
                    Level::County,
                    Rank::County,
                ));
            }
        }
        if p.depth >= Level::Township {
            let counties = out.len() - first_county;
            for k in 0..counties {
                for t in 0..p.townships_per_county as usize {
                    let parent = first_county + k;
                    out.push(child(
                        &out[parent],
                        parent as u32,
                        t,
                        "t",
                        "Township",
                        "镇",
                        Level::Township,
                        Rank::Township,
                    ));
                }
            }
        }
    }
    out
}

fn national(p: &WorldParams) -> UnitSpec {
    UnitSpec {
        id: "national".into(),
        name_en: "Central government".into(),
        name_zh: "中央".into(),
        level: Level::National,
        parent: NONE,
        region: p.region,
        rank: Rank::National,
        population: Some(p.population),
        fixed: [None; 4],
    }
}

fn province(p: &WorldParams) -> UnitSpec {
    UnitSpec {
        id: "province".into(),
        name_en: p.name.clone(),
        name_zh: p.name_zh.clone(),
        level: Level::Province,
        parent: 0,
        region: p.region,
        rank: Rank::Province,
        population: Some(p.population),
        fixed: [None; 4],
    }
}

/// The random part of the preset: each city's share of the province's
/// people and its rank (sub-provincial by population, municipality-level
/// at random).
fn draw_cities(p: &WorldParams, rng: &mut Rng) -> (Vec<f64>, Vec<Rank>) {
    let weights = lognormal_weights(p.cities as usize, p.attributes.population_sigma, rng);
    let ranks = city_ranks(
        &weights,
        p.subprovincial_cities as usize,
        p.municipality_cities as usize,
        rng,
    );
    (weights, ranks)
}

/// Redraw the cities of breadth-first specs built by [`specs`] (cities
/// follow the national and provincial units, in order), consuming the
/// stream exactly as [`specs`] does.
pub fn redraw_cities(specs: &mut [UnitSpec], p: &WorldParams, rng: &mut Rng) {
    let (weights, ranks) = draw_cities(p, rng);
    let cities = specs.iter_mut().filter(|s| s.level == Level::City);
    for ((s, w), r) in cities.zip(weights).zip(ranks) {
        s.population = Some(p.population * w);
        s.rank = r;
    }
}

#[allow(clippy::too_many_arguments)]
fn child(
    parent: &UnitSpec,
    parent_idx: u32,
    k: usize,
    tag: &str,
    en: &str,
    zh: &str,
    level: Level,
    rank: Rank,
) -> UnitSpec {
    UnitSpec {
        id: format!("{}-{tag}{:02}", parent.id, k + 1),
        name_en: format!("{} {en} {}", parent.name_en, k + 1),
        name_zh: format!("{}{}{zh}", parent.name_zh, k + 1),
        level,
        parent: parent_idx,
        region: parent.region,
        rank,
        population: None,
        fixed: [None; 4],
    }
}

/// `n` positive weights summing to 1, log-normal with sd `sigma`.
pub fn lognormal_weights(n: usize, sigma: f64, rng: &mut Rng) -> Vec<f64> {
    let dist =
        LogNormal::new(0.0, sigma.max(1e-9)).expect("sigma is validated finite and non-negative");
    let w: Vec<f64> = (0..n).map(|_| dist.sample(rng)).collect();
    let s: f64 = w.iter().sum();
    w.into_iter().map(|x| x / s).collect()
}

fn city_ranks(weights: &[f64], sub: usize, mun: usize, rng: &mut Rng) -> Vec<Rank> {
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
    let mut ranks = vec![Rank::Prefecture; weights.len()];
    for &c in order.iter().take(sub) {
        ranks[c] = Rank::SubProvincial;
    }
    let mut rest: Vec<usize> = order[sub.min(order.len())..].to_vec();
    for j in 0..mun.min(rest.len()) {
        let pick = rng.random_range(j..rest.len());
        rest.swap(j, pick);
        ranks[rest[j]] = Rank::Municipality;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    #[test]
    fn default_sizes() {
        let p = WorldParams::default();
        let s = specs(&p, &mut rng::stream(1, 0, "world"));
        assert_eq!(s.len(), 2 + 21 + 126 + 1260);
        assert_eq!(
            s.iter().filter(|u| u.rank == Rank::SubProvincial).count(),
            1
        );
    }

    #[test]
    fn depth_and_ranks() {
        let p = WorldParams {
            depth: Level::City,
            municipality_cities: 3,
            ..Default::default()
        };
        let s = specs(&p, &mut rng::stream(1, 0, "world"));
        assert_eq!(s.len(), 23);
        assert_eq!(s.iter().filter(|u| u.rank == Rank::Municipality).count(), 3);
        let w = lognormal_weights(10, 0.5, &mut rng::stream(1, 0, "w"));
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}
