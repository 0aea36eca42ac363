//! The `province` preset: one synthetic province with `cities` cities,
//! `counties_per_city` counties each and `townships_per_county` townships
//! each (defaults 21, 6, 10 — a mid-sized Chinese province), under a
//! national unit.
//!
//! With `counties_dispersion` / `townships_dispersion` above 0 each city's
//! number of counties (and each county's number of townships) is drawn
//! around those means from the `structure` stream (see [`draw_count`]), as
//! in China's real tree, where the counties of a prefecture-level city
//! range from 1 to 26; at 0 every count is exact.
//!
//! City populations split the province's with log-normal weights
//! (sd `attributes.population_sigma`); the `subprovincial_cities` most
//! populous cities get sub-provincial rank, and `municipality_cities`
//! others, drawn at random, get municipality-level coordinating rank (for
//! "all else equal" comparisons of rank).

use rand::RngExt;
use rand_distr::{Distribution, Gamma, LogNormal, Poisson};

use super::params::WorldParams;
use super::{NONE, UnitSpec};
use crate::catalog::{Level, Rank};
use crate::rng::Rng;

/// Unit specs of the synthetic province, breadth-first: cities from `rng`
/// (the `world` stream), sub-unit counts from `structure` (the `structure`
/// stream, which is not read when both dispersions are 0).
pub fn specs(p: &WorldParams, rng: &mut Rng, structure: &mut Rng) -> Vec<UnitSpec> {
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
            let n = draw_count(p.counties_per_city, p.counties_dispersion, structure);
            for k in 0..n as usize {
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
                let n = draw_count(p.townships_per_county, p.townships_dispersion, structure);
                for t in 0..n as usize {
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

/// Whether the preset's structure (sub-unit counts) is drawn rather than set.
pub fn draws_structure(p: &WorldParams) -> bool {
    let counties = p.depth >= Level::County && p.counties_dispersion > 0.0;
    let townships = p.depth >= Level::Township && p.townships_dispersion > 0.0;
    counties || townships
}

/// A sub-unit count around `mean` with variance `dispersion × mean`
/// (`dispersion` is the variance-to-mean ratio; 0 = exactly `mean`, no
/// draw): 1 + a negative-binomial (gamma–Poisson) count of mean `mean − 1`,
/// so every count is at least 1. A dispersion of at least 1 is validated;
/// with `mean` = 1 every count is 1. Capped at 100 × `mean` (never reached
/// at the shipped dispersions) so that a world's size stays bounded.
pub fn draw_count(mean: u32, dispersion: f64, rng: &mut Rng) -> u32 {
    if dispersion <= 0.0 || mean <= 1 {
        return mean;
    }
    let mu = f64::from(mean - 1);
    // var(1 + X) = var(X) = mu + mu² / k = dispersion × mean.
    let excess = (dispersion * f64::from(mean) - mu).max(1e-9);
    let shape = mu * mu / excess;
    let scale = excess / mu;
    let lambda = Gamma::new(shape, scale).map_or(mu, |g| g.sample(rng));
    let x = Poisson::new(lambda).map_or(0.0, |d| d.sample(rng));
    (1.0 + x).min(100.0 * f64::from(mean)) as u32
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
    // Built with push_str rather than format!: a replicate that draws its
    // own structure names every unit anew, and formatting was a fifth of
    // that rebuild's instructions.
    let n = k + 1;
    let mut id = String::with_capacity(parent.id.len() + tag.len() + 4);
    id.push_str(&parent.id);
    id.push('-');
    id.push_str(tag);
    if n < 10 {
        id.push('0');
    }
    push_number(&mut id, n);
    let mut name_en = String::with_capacity(parent.name_en.len() + en.len() + 6);
    name_en.push_str(&parent.name_en);
    name_en.push(' ');
    name_en.push_str(en);
    name_en.push(' ');
    push_number(&mut name_en, n);
    let mut name_zh = String::with_capacity(parent.name_zh.len() + zh.len() + 4);
    name_zh.push_str(&parent.name_zh);
    push_number(&mut name_zh, n);
    name_zh.push_str(zh);
    UnitSpec {
        id,
        name_en,
        name_zh,
        level,
        parent: parent_idx,
        region: parent.region,
        rank,
        population: None,
        fixed: [None; 4],
    }
}

/// Append the decimal digits of `n`.
fn push_number(s: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        s.push(char::from(d));
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
        let p = WorldParams {
            counties_dispersion: 0.0,
            townships_dispersion: 0.0,
            ..p
        };
        let s = specs(
            &p,
            &mut rng::stream(1, 0, "world"),
            &mut rng::stream(1, 0, "s"),
        );
        assert_eq!(s.len(), 2 + 21 + 126 + 1260);
        // Names are built by hand; they read as format! would write them.
        let t = &s[2 + 21 + 126 + 9];
        assert_eq!(t.id, "c01-k01-t10");
        assert_eq!(t.name_en, "City 1 County 1 Township 10");
        assert_eq!(t.name_zh, "1市1县10镇");
        assert_eq!(s[2 + 21 + 8].id, "c02-k03");
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
        let s = specs(
            &p,
            &mut rng::stream(1, 0, "world"),
            &mut rng::stream(1, 0, "s"),
        );
        assert_eq!(s.len(), 23);
        assert_eq!(s.iter().filter(|u| u.rank == Rank::Municipality).count(), 3);
        let w = lognormal_weights(10, 0.5, &mut rng::stream(1, 0, "w"));
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }
}

#[cfg(test)]
mod count_tests {
    use super::*;
    use crate::rng;

    fn moments(mean: u32, d: f64, n: usize) -> (f64, f64, u32) {
        let mut r = rng::stream(7, 0, "structure");
        let xs: Vec<f64> = (0..n)
            .map(|_| f64::from(draw_count(mean, d, &mut r)))
            .collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        let min = xs.iter().fold(f64::INFINITY, |a, &x| a.min(x)) as u32;
        (m, v, min)
    }

    #[test]
    fn drawn_counts_match_the_mean_and_the_variance_to_mean_ratio() {
        // 200,000 draws: the standard error of the mean is about 0.01 and
        // of the variance about 0.1 at these settings.
        for (mean, d) in [(6, 1.8), (10, 3.4), (9, 1.0), (3, 5.0)] {
            let (m, v, min) = moments(mean, d, 200_000);
            assert!(
                (m - f64::from(mean)).abs() < 0.05,
                "mean {m} for {mean}, {d}"
            );
            let want = d * f64::from(mean);
            assert!(
                (v / want - 1.0).abs() < 0.05,
                "variance {v}, want {want} ({mean}, {d})"
            );
            assert!(min >= 1);
        }
    }

    #[test]
    fn zero_dispersion_is_exact_and_reads_no_draws() {
        let mut r = rng::stream(7, 0, "structure");
        let before = r.clone();
        assert!((0..100).all(|_| draw_count(6, 0.0, &mut r) == 6));
        assert_eq!(r, before);
        // A count whose mean is 1 cannot spread while staying >= 1.
        assert!((0..100).all(|_| draw_count(1, 3.0, &mut r) == 1));
        // Negative control: a positive dispersion does spread the counts.
        let (_, v, _) = moments(6, 1.8, 10_000);
        assert!(v > 5.0);
    }
}
