//! Approximate Bayesian computation by sequential Monte Carlo with an
//! adaptive tolerance: the algorithm of Del Moral, Doucet & Jasra (2012),
//! "An adaptive sequential Monte Carlo method for approximate Bayesian
//! computation", Statistics and Computing 22:1009–1020, with one simulation
//! per particle (M = 1).
//!
//! Rules: generation 0 draws N particles from the prior, each with weight
//! 1/N and tolerance ε₀ = ∞. Generation t (1 ≤ t ≤ G):
//! 1. **Tolerance**: ε_t is the smallest distance among the living
//!    particles such that the effective sample size of the reweighted
//!    population, w_i ∝ w_i · 1(d_i ≤ ε_t), is at least α times the
//!    previous one (never below `min_tolerance`).
//! 2. **Resampling**: when that ESS falls below N/2, systematic resampling
//!    gives N particles of weight 1/N.
//! 3. **Move**: each living particle proposes θ* ~ N(θ_i, diag(2 σ²)),
//!    σ² the weighted variance of each parameter (the "twice the
//!    covariance" kernel, diagonal), and accepts with probability
//!    min(1, π(θ*) 1(d* ≤ ε_t) / π(θ_i)) — an MCMC step that keeps the
//!    ABC posterior at ε_t invariant. The uniform draw is taken first, so
//!    a proposal that would be refused anyway is not simulated.
//!
//! So every generation costs at most N simulations, each particle's step
//! depends only on (seed, generation, particle) and the previous
//! generation: the result is the same on any number of threads or shards.
//! All randomness comes from [`crate::design::rng`] streams.

use crate::design::{Distribution, normal, rng};

/// A simulator: parameter values and a seed in, (distance, simulated
/// value of every target) out.
pub type Simulate<'a> = dyn Fn(&[f64], u64) -> (f64, Vec<f64>) + Sync + 'a;

/// Algorithm settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub particles: usize,
    pub generations: usize,
    /// Share of the effective sample size kept at each tolerance step.
    pub alpha: f64,
    /// Tolerance floor (distance units).
    pub min_tolerance: f64,
    pub seed: u64,
}

/// One weighted particle with its last simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Particle {
    pub theta: Vec<f64>,
    pub weight: f64,
    pub distance: f64,
    /// Simulated value of every target (fitted ones first).
    pub sims: Vec<f64>,
    /// The particle was simulated in this generation.
    pub simulated: bool,
    /// The particle's proposal was accepted in this generation (always
    /// true in generation 0).
    pub moved: bool,
}

/// Effective sample size (Σw)² / Σw².
pub fn ess(w: &[f64]) -> f64 {
    let s: f64 = w.iter().sum();
    let q: f64 = w.iter().map(|x| x * x).sum();
    if q > 0.0 { s * s / q } else { 0.0 }
}

/// Weights normalised to sum to 1 (all zero stays all zero).
pub fn normalise(w: &mut [f64]) {
    let s: f64 = w.iter().sum();
    if s > 0.0 {
        w.iter_mut().for_each(|x| *x /= s);
    }
}

/// Step 1: the next tolerance and the reweighted, normalised weights.
/// `None` when no particle is alive at any tolerance ≥ `floor`.
pub fn next_tolerance(d: &[f64], w: &[f64], alpha: f64, floor: f64) -> Option<(f64, Vec<f64>)> {
    let target = alpha * ess(w);
    let mut cands: Vec<f64> = d
        .iter()
        .zip(w)
        .filter(|(d, w)| **w > 0.0 && d.is_finite())
        .map(|(d, _)| d.max(floor))
        .collect();
    cands.sort_by(f64::total_cmp);
    cands.dedup();
    let reweight = |eps: f64| -> Vec<f64> {
        let mut nw: Vec<f64> = d
            .iter()
            .zip(w)
            .map(|(d, w)| if *d <= eps { *w } else { 0.0 })
            .collect();
        normalise(&mut nw);
        nw
    };
    let last = *cands.last()?;
    for &eps in &cands {
        let nw = reweight(eps);
        if ess(&nw) >= target * (1.0 - 1e-12) {
            return Some((eps, nw));
        }
    }
    Some((last, reweight(last)))
}

/// Step 2: systematic resampling with offset `u` in [0, 1): the index of
/// the ancestor of each of `w.len()` new particles.
pub fn systematic(w: &[f64], u: f64) -> Vec<usize> {
    let n = w.len();
    let total: f64 = w.iter().sum();
    let mut out = Vec::with_capacity(n);
    let mut acc = 0.0;
    let mut j = 0;
    for k in 0..n {
        let pos = (k as f64 + u) / n as f64 * total;
        while j + 1 < n && acc + w[j] <= pos {
            acc += w[j];
            j += 1;
        }
        out.push(j);
    }
    out
}

/// Step 3's kernel: per parameter, sd = √(2 σ²) of the weighted
/// population; a collapsed parameter keeps a small step (10⁻³ of its prior
/// 5–95% range) so the chain can still move.
pub fn kernel_sd(pop: &[Particle], priors: &[Distribution]) -> Vec<f64> {
    let tw: f64 = pop.iter().map(|p| p.weight).sum();
    (0..priors.len())
        .map(|j| {
            let m = pop.iter().map(|p| p.weight * p.theta[j]).sum::<f64>() / tw;
            let v = pop
                .iter()
                .map(|p| p.weight * (p.theta[j] - m).powi(2))
                .sum::<f64>()
                / tw;
            let floor = 1e-3 * (priors[j].quantile(0.95) - priors[j].quantile(0.05)).abs();
            (2.0 * v).sqrt().max(floor).max(f64::MIN_POSITIVE)
        })
        .collect()
}

/// An unnormalised prior density (enough for the acceptance ratio).
pub fn density(d: &Distribution, x: f64) -> f64 {
    match d {
        Distribution::Uniform { low, high } => f64::from(u8::from(x >= *low && x <= *high)),
        Distribution::Triangular { low, mode, high } => {
            if x < *low || x > *high {
                0.0
            } else if x <= *mode {
                if mode > low {
                    (x - low) / (mode - low)
                } else {
                    1.0
                }
            } else if high > mode {
                (high - x) / (high - mode)
            } else {
                1.0
            }
        }
        Distribution::Normal { mean, sd } => (-0.5 * ((x - mean) / sd).powi(2)).exp(),
        Distribution::TruncNormal {
            mean,
            sd,
            low,
            high,
        } => {
            if x < *low || x > *high {
                0.0
            } else {
                (-0.5 * ((x - mean) / sd).powi(2)).exp()
            }
        }
        Distribution::LogNormal { meanlog, sdlog } => {
            if x <= 0.0 {
                0.0
            } else {
                (-0.5 * ((x.ln() - meanlog) / sdlog).powi(2)).exp() / x
            }
        }
        Distribution::Categorical { .. } => 0.0,
    }
}

/// Product of the parameters' prior densities.
pub fn prior_density(priors: &[Distribution], theta: &[f64]) -> f64 {
    priors
        .iter()
        .zip(theta)
        .map(|(d, x)| density(d, *x))
        .product()
}

/// Simulation seed of particle `i` in generation `g` (N particles).
pub fn sim_seed(seed: u64, g: usize, n: usize, i: usize) -> u64 {
    rng::derive_seed(seed, "calibrate-sim", (g * n + i) as u64)
}

/// Generation 0's particle `i`: a prior draw, simulated.
pub fn initial(s: &Settings, priors: &[Distribution], i: usize, simulate: &Simulate) -> Particle {
    let mut r = rng::generator(s.seed, "calibrate-prior", i as u64);
    let theta: Vec<f64> = priors
        .iter()
        .map(|d| d.quantile(rng::unit(&mut r)))
        .collect();
    let (distance, sims) = simulate(&theta, sim_seed(s.seed, 0, s.particles, i));
    Particle {
        theta,
        weight: 1.0 / s.particles as f64,
        distance,
        sims,
        simulated: true,
        moved: true,
    }
}

/// Steps 1 and 2 of generation `g` ≥ 1, from the previous population.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub tolerance: f64,
    /// ESS after reweighting (before any resampling).
    pub ess: f64,
    pub resampled: bool,
    /// The population to move (copied particles keep their simulations).
    pub population: Vec<Particle>,
    pub kernel: Vec<f64>,
}

/// Steps 1 and 2; `None` when no particle has a finite distance.
pub fn prepare(
    prev: &[Particle],
    priors: &[Distribution],
    s: &Settings,
    g: usize,
) -> Option<Prepared> {
    let d: Vec<f64> = prev.iter().map(|p| p.distance).collect();
    let w: Vec<f64> = prev.iter().map(|p| p.weight).collect();
    let (tolerance, nw) = next_tolerance(&d, &w, s.alpha, s.min_tolerance)?;
    let e = ess(&nw);
    let mut pop: Vec<Particle> = prev
        .iter()
        .zip(&nw)
        .map(|(p, w)| Particle {
            weight: *w,
            simulated: false,
            moved: false,
            ..p.clone()
        })
        .collect();
    let kernel = kernel_sd(&pop, priors);
    let n = pop.len();
    let resampled = e < 0.5 * n as f64;
    if resampled {
        let u = rng::unit(&mut rng::generator(s.seed, "calibrate-resample", g as u64));
        let idx = systematic(&nw, u);
        pop = idx
            .iter()
            .map(|&j| Particle {
                weight: 1.0 / n as f64,
                ..pop[j].clone()
            })
            .collect();
    }
    Some(Prepared {
        tolerance,
        ess: e,
        resampled,
        population: pop,
        kernel,
    })
}

/// Step 3 for particle `i` of generation `g`.
pub fn step(
    p: &Prepared,
    priors: &[Distribution],
    s: &Settings,
    g: usize,
    i: usize,
    simulate: &Simulate,
) -> Particle {
    let cur = &p.population[i];
    if cur.weight <= 0.0 {
        return cur.clone();
    }
    let n = p.population.len();
    let mut r = rng::generator(s.seed, "calibrate-move", (g * n + i) as u64);
    let proposal: Vec<f64> = cur
        .theta
        .iter()
        .zip(&p.kernel)
        .map(|(x, sd)| {
            let u = rng::unit(&mut r).clamp(1e-12, 1.0 - 1e-12);
            x + sd * normal::quantile(u)
        })
        .collect();
    let u = rng::unit(&mut r);
    let ratio = prior_density(priors, &proposal) / prior_density(priors, &cur.theta);
    // NaN ratios (0/0) refuse the proposal too.
    if u >= ratio || ratio.is_nan() {
        return cur.clone();
    }
    let (distance, sims) = simulate(&proposal, sim_seed(s.seed, g, n, i));
    if distance <= p.tolerance {
        Particle {
            theta: proposal,
            weight: cur.weight,
            distance,
            sims,
            simulated: true,
            moved: true,
        }
    } else {
        Particle {
            simulated: true,
            ..cur.clone()
        }
    }
}

/// Weighted quantile of `x` (weights `w`, summing to anything positive):
/// the smallest value whose cumulative weight reaches `q`.
pub fn weighted_quantile(x: &[f64], w: &[f64], q: f64) -> f64 {
    let mut idx: Vec<usize> = (0..x.len())
        .filter(|&i| w[i] > 0.0 && !x[i].is_nan())
        .collect();
    if idx.is_empty() {
        return f64::NAN;
    }
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let total: f64 = idx.iter().map(|&i| w[i]).sum();
    let mut acc = 0.0;
    for &i in &idx {
        acc += w[i];
        if acc >= q * total * (1.0 - 1e-12) {
            return x[i];
        }
    }
    x[*idx.last().unwrap_or(&0)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ess_by_hand() {
        assert!((ess(&[0.25; 4]) - 4.0).abs() < 1e-12);
        // (0.5 + 0.5)² / (0.25 + 0.25) = 2; 1² / (0.64 + 0.01 + 0.01) = 1/0.66.
        assert!((ess(&[0.5, 0.5, 0.0]) - 2.0).abs() < 1e-12);
        assert!((ess(&[0.8, 0.1, 0.1]) - 1.0 / 0.66).abs() < 1e-12);
        assert_eq!(ess(&[0.0, 0.0]), 0.0);
    }

    #[test]
    fn tolerance_schedule_by_hand() {
        // Four equal particles at distances 1, 2, 3, 4: ESS 4. With α = 0.5
        // the target ESS is 2: ε = 1 keeps one particle (ESS 1), ε = 2 keeps
        // two (ESS 2) — so ε = 2, weights ½, ½, 0, 0.
        let d = [3.0, 1.0, 4.0, 2.0];
        let w = [0.25; 4];
        let (eps, nw) = next_tolerance(&d, &w, 0.5, 0.0).unwrap();
        assert_eq!(eps, 2.0);
        assert_eq!(nw, vec![0.0, 0.5, 0.0, 0.5]);
        // α = 0.75 needs ESS 3: ε = 3 with weights ⅓.
        let (eps, nw) = next_tolerance(&d, &w, 0.75, 0.0).unwrap();
        assert_eq!(eps, 3.0);
        assert!((nw[0] - 1.0 / 3.0).abs() < 1e-15 && nw[2] == 0.0);
        // Unequal weights: w = (0.7, 0.1, 0.1, 0.1), ESS 1/0.52 ≈ 1.923,
        // target 0.962 at α = 0.5. ε = 1 keeps particle 1 alone (ESS 1 ≥ 0.962).
        let (eps, nw) = next_tolerance(&d, &[0.7, 0.1, 0.1, 0.1], 0.5, 0.0).unwrap();
        assert_eq!(eps, 1.0);
        assert_eq!(nw, vec![0.0, 1.0, 0.0, 0.0]);
        // A floor of 2.5 stops the schedule at 2.5, keeping the two within it.
        let (eps, nw) = next_tolerance(&d, &w, 0.5, 2.5).unwrap();
        assert_eq!(eps, 2.5);
        assert_eq!(nw.iter().filter(|x| **x > 0.0).count(), 2);
        // Dead and unreachable particles never set the tolerance.
        let (eps, _) =
            next_tolerance(&[f64::INFINITY, 5.0, 1.0], &[0.5, 0.5, 0.0], 0.5, 0.0).unwrap();
        assert_eq!(eps, 5.0);
        assert!(next_tolerance(&[f64::INFINITY; 2], &[0.5; 2], 0.5, 0.0).is_none());
    }

    #[test]
    fn systematic_resampling_by_hand() {
        // Weights ½, ¼, ¼ and offset 0.5: positions 0.5/3·… = 1/6, 1/2, 5/6.
        // Cumulative 0.5, 0.75, 1.0 → ancestors 0, 1, 2.
        assert_eq!(systematic(&[0.5, 0.25, 0.25], 0.5), vec![0, 1, 2]);
        // Offset 0: positions 0, ⅓, ⅔ → 0, 0, 1.
        assert_eq!(systematic(&[0.5, 0.25, 0.25], 0.0), vec![0, 0, 1]);
        assert_eq!(systematic(&[0.0, 1.0, 0.0], 0.3), vec![1, 1, 1]);
    }

    #[test]
    fn kernel_is_twice_the_weighted_variance() {
        let pr = [Distribution::uniform(0.0, 10.0).unwrap()];
        let p = |x: f64, w: f64| Particle {
            theta: vec![x],
            weight: w,
            distance: 0.0,
            sims: vec![],
            simulated: false,
            moved: false,
        };
        // Weighted mean 0.75·2 + 0.25·6 = 3, variance 0.75·1 + 0.25·9 = 3.
        let k = kernel_sd(&[p(2.0, 0.75), p(6.0, 0.25)], &pr);
        assert!((k[0] - 6f64.sqrt()).abs() < 1e-12);
        let k = kernel_sd(&[p(2.0, 0.5), p(2.0, 0.5)], &pr);
        assert!((k[0] - 1e-3 * 9.0).abs() < 1e-12);
    }

    #[test]
    fn densities_and_quantiles() {
        let t = Distribution::triangular(0.0, 1.0, 3.0).unwrap();
        assert_eq!(density(&t, 0.5), 0.5);
        assert_eq!(density(&t, 2.0), 0.5);
        assert_eq!(density(&t, 3.5), 0.0);
        let u = Distribution::uniform(0.0, 1.0).unwrap();
        assert_eq!(density(&u, 1.2), 0.0);
        assert_eq!(prior_density(&[u.clone(), t], &[0.5, 1.0]), 1.0);
        assert_eq!(
            weighted_quantile(&[3.0, 1.0, 2.0], &[0.2, 0.3, 0.5], 0.5),
            2.0
        );
        assert_eq!(
            weighted_quantile(&[3.0, 1.0, 2.0], &[0.2, 0.3, 0.5], 0.3),
            1.0
        );
        assert_eq!(
            weighted_quantile(&[3.0, 1.0, 2.0], &[0.2, 0.3, 0.5], 0.95),
            3.0
        );
    }

    /// A conjugate check: with θ ~ U(0, 10), a simulator returning θ plus
    /// noise and one target at 4 ± 0.5, the posterior concentrates on 4
    /// and the tolerance falls every generation; a target the simulator
    /// cannot produce gives no living particle.
    #[test]
    fn toy_posterior_contracts_on_the_truth() {
        let pr = vec![Distribution::uniform(0.0, 10.0).unwrap()];
        let s = Settings {
            particles: 200,
            generations: 6,
            alpha: 0.5,
            min_tolerance: 0.0,
            seed: 3,
        };
        let sim = |th: &[f64], seed: u64| {
            let mut r = rng::generator(seed, "toy", 0);
            let x = th[0] + 0.2 * normal::quantile(rng::unit(&mut r).clamp(1e-9, 1.0 - 1e-9));
            (((x - 4.0) / 0.5).abs(), vec![x])
        };
        let mut pop: Vec<Particle> = (0..s.particles)
            .map(|i| initial(&s, &pr, i, &sim))
            .collect();
        let mut tols = vec![f64::INFINITY];
        for g in 1..=s.generations {
            let p = prepare(&pop, &pr, &s, g).unwrap();
            tols.push(p.tolerance);
            pop = (0..s.particles)
                .map(|i| step(&p, &pr, &s, g, i, &sim))
                .collect();
        }
        assert!(tols.windows(2).all(|w| w[1] <= w[0]), "{tols:?}");
        let x: Vec<f64> = pop.iter().map(|p| p.theta[0]).collect();
        let w: Vec<f64> = pop.iter().map(|p| p.weight).collect();
        let (lo, med, hi) = (
            weighted_quantile(&x, &w, 0.05),
            weighted_quantile(&x, &w, 0.5),
            weighted_quantile(&x, &w, 0.95),
        );
        assert!(
            lo < 4.0 && 4.0 < hi && (med - 4.0).abs() < 0.5,
            "{lo} {med} {hi}"
        );
        assert!(
            hi - lo < 3.0,
            "posterior no narrower than the prior: {lo}..{hi}"
        );
        // Negative control: a simulator that never produces the target.
        let never = |_: &[f64], _: u64| (f64::INFINITY, vec![f64::NAN]);
        let pop: Vec<Particle> = (0..10).map(|i| initial(&s, &pr, i, &never)).collect();
        assert!(prepare(&pop, &pr, &s, 1).is_none());
    }
}
