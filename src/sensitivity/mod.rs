//! Global sensitivity analysis of model outputs: Sobol' variance-based
//! indices and Morris elementary effects, with bootstrap intervals, and the
//! share of output variance that is replicate noise.
//!
//! Rules: pure functions over a design (in SALib's row order, see
//! [`crate::design::saltelli`] and [`crate::design::morris`]) and one
//! output value per design point. No I/O, no model runs. Bootstrap
//! resampling is seeded, so intervals are reproducible. Intervals are
//! percentile intervals (2.5% and 97.5% of the bootstrap distribution).

pub mod morris;
pub mod sobol;

use crate::design::rng;
use crate::stats;

/// One index of one parameter (or parameter pair) for one output.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexValue {
    /// Parameter name, or `a:b` for a second-order pair.
    pub parameter: String,
    /// `S1`, `ST`, `S2` (Sobol') or `mu`, `mu_star`, `sigma` (Morris).
    pub index: &'static str,
    pub value: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
}

/// Default number of bootstrap resamples.
pub const DEFAULT_BOOTSTRAP: usize = 1000;

/// Population variance (n denominator, as NumPy's `var`), `None` when empty.
pub(crate) fn var_pop(xs: impl Iterator<Item = f64> + Clone) -> Option<f64> {
    let n = xs.clone().count();
    if n == 0 {
        return None;
    }
    let m = xs.clone().sum::<f64>() / n as f64;
    Some(xs.map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64)
}

/// Run `stat` on `reps` bootstrap resamples of `0..n` (indices drawn with
/// replacement) and return the 2.5% and 97.5% percentiles of each of the
/// `k` statistics it returns. Non-finite resample values are dropped.
pub(crate) fn bootstrap<F>(n: usize, k: usize, reps: usize, seed: u64, stat: F) -> Vec<(f64, f64)>
where
    F: Fn(&[usize]) -> Vec<f64>,
{
    let mut draws: Vec<Vec<f64>> = vec![Vec::with_capacity(reps); k];
    let mut idx = vec![0usize; n];
    for b in 0..reps {
        let mut g = rng::generator(seed, "bootstrap", b as u64);
        for slot in idx.iter_mut() {
            *slot = rng::below(&mut g, n);
        }
        for (d, v) in draws.iter_mut().zip(stat(&idx)) {
            if v.is_finite() {
                d.push(v);
            }
        }
    }
    draws
        .into_iter()
        .map(|mut d| {
            d.sort_by(f64::total_cmp);
            (
                stats::quantile_sorted(&d, 0.025).unwrap_or(f64::NAN),
                stats::quantile_sorted(&d, 0.975).unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// Share of the variance of per-point means that is replicate noise: the
/// mean within-point variance divided by the number of replicates, over the
/// variance of the point means (capped at 1). `None` with fewer than two
/// replicates or two points, or when the means do not vary at all.
pub fn noise_share(replicates: &[Vec<f64>]) -> Option<f64> {
    if replicates.len() < 2 {
        return None;
    }
    let r = replicates.iter().map(Vec::len).min()?;
    if r < 2 {
        return None;
    }
    let within: f64 = replicates
        .iter()
        .map(|v| stats::sd(v).map_or(0.0, |s| s * s))
        .sum::<f64>()
        / replicates.len() as f64;
    let means: Vec<f64> = replicates.iter().filter_map(|v| stats::mean(v)).collect();
    let total = stats::sd(&means)?.powi(2);
    if total <= 0.0 {
        return if within > 0.0 { Some(1.0) } else { None };
    }
    Some((within / r as f64 / total).min(1.0))
}

#[cfg(test)]
pub(crate) mod test_functions {
    //! Functions with known Sobol' indices.
    use std::f64::consts::PI;

    /// Ishigami: sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³, from unit u.
    pub fn ishigami(u: &[f64], a: f64, b: f64) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// Analytic (S1, ST) of Ishigami (Ishigami & Homma 1990; Sobol' 1999).
    pub fn ishigami_indices(a: f64, b: f64) -> ([f64; 3], [f64; 3]) {
        let p4 = PI.powi(4);
        let v1 = 0.5 * (1.0 + b * p4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    /// Sobol' G: ∏ (|4u − 2| + a_i) / (1 + a_i) on the unit cube.
    pub fn sobol_g(u: &[f64], a: &[f64]) -> f64 {
        u.iter()
            .zip(a)
            .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
            .product()
    }

    /// Analytic (S1, ST) of Sobol' G.
    pub fn sobol_g_indices(a: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let vi: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
        let v = vi.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
        let s1 = vi.iter().map(|x| x / v).collect();
        let st = vi
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let rest: f64 = vi
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, y)| 1.0 + y)
                    .product();
                x * rest / v
            })
            .collect();
        (s1, st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_share_separates_signal_from_noise() {
        // Means 0, 10, 20 with within-point spread 1: almost all signal.
        let pts: Vec<Vec<f64>> = (0..3)
            .map(|i| vec![10.0 * i as f64 - 1.0, 10.0 * i as f64 + 1.0])
            .collect();
        let s = noise_share(&pts).unwrap();
        assert!(s > 0.0 && s < 0.05, "{s}");
        // Same means everywhere, only noise: share 1.
        let pts = vec![vec![0.0, 2.0], vec![2.0, 0.0]];
        assert_eq!(noise_share(&pts), Some(1.0));
        assert_eq!(noise_share(&[vec![1.0, 2.0]]), None);
    }

    #[test]
    fn bootstrap_of_a_mean_brackets_it() {
        let xs: Vec<f64> = (0..200).map(|i| (i % 10) as f64).collect();
        let ci = bootstrap(xs.len(), 1, 500, 1, |idx| {
            vec![idx.iter().map(|&i| xs[i]).sum::<f64>() / idx.len() as f64]
        });
        assert!(ci[0].0 < 4.5 && 4.5 < ci[0].1, "{ci:?}");
        assert!(ci[0].1 - ci[0].0 < 1.0);
    }
}
