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
//! 3. **Move**: each living particle takes one Metropolis–Hastings step
//!    that keeps the ABC posterior at ε_t, π(θ) 1(d ≤ ε_t), invariant. The
//!    uniform draw is taken first, so a proposal that would be refused
//!    anyway is not simulated. Two proposal kernels ([`Kernel`]):
//!    - **normal-score** (the default): each parameter is mapped to its
//!      prior's normal score z_j = Φ⁻¹(F_j(θ_j)), the particle proposes
//!      z* ~ N(z_i, 2 Σ_z), Σ_z the weighted covariance of the population's
//!      scores (the "twice the covariance" kernel of Beaumont et al. 2009,
//!      full matrix), and θ*_j = F_j⁻¹(Φ(z*_j)). Every proposal lies inside
//!      the priors' support. Acceptance: min(1, φ(z*) 1(d* ≤ ε_t) / φ(z_i)),
//!      φ the standard normal density of the whole vector (derivation at
//!      [`accept_ratio`]).
//!    - **random-walk**: θ* ~ N(θ_i, diag(2 σ²)), σ² the weighted variance
//!      of each parameter, accepted with probability
//!      min(1, π(θ*) 1(d* ≤ ε_t) / π(θ_i)); proposals outside the support
//!      are refused without a simulation.
//!
//! So every generation costs at most N simulations, each particle's step
//! depends only on (seed, generation, particle) and the previous
//! generation: the result is the same on any number of threads or shards.
//! All randomness comes from [`crate::design::rng`] streams.

use crate::design::{Distribution, normal, rng};

/// A simulator: parameter values and a seed in, (distance, simulated
/// value of every target) out.
pub type Simulate<'a> = dyn Fn(&[f64], u64) -> (f64, Vec<f64>) + Sync + 'a;

/// The proposal kernel of the move step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kernel {
    /// Gaussian steps in the priors' normal-score space (full covariance).
    #[default]
    NormalScore,
    /// Gaussian steps in parameter space (diagonal covariance).
    RandomWalk,
}

impl Kernel {
    /// The names accepted by `--kernel`.
    pub const IDS: [&'static str; 2] = ["normal-score", "random-walk"];

    pub fn id(self) -> &'static str {
        match self {
            Kernel::NormalScore => "normal-score",
            Kernel::RandomWalk => "random-walk",
        }
    }

    pub fn parse(s: &str) -> Option<Kernel> {
        match s {
            "normal-score" => Some(Kernel::NormalScore),
            "random-walk" => Some(Kernel::RandomWalk),
            _ => None,
        }
    }
}

/// Algorithm settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub kernel: Kernel,
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

/// Weighted mean and variance of parameter `j` over a population.
pub fn weighted_moments(pop: &[Particle], j: usize) -> (f64, f64) {
    let tw: f64 = pop.iter().map(|p| p.weight).sum();
    let m = pop.iter().map(|p| p.weight * p.theta[j]).sum::<f64>() / tw;
    let v = pop
        .iter()
        .map(|p| p.weight * (p.theta[j] - m).powi(2))
        .sum::<f64>()
        / tw;
    (m, v)
}

/// Step 3's kernel: per parameter, sd = √(2 σ²) of the weighted
/// population; a collapsed parameter keeps a small step (10⁻³ of its prior
/// 5–95% range) so the chain can still move.
pub fn kernel_sd(pop: &[Particle], priors: &[Distribution]) -> Vec<f64> {
    (0..priors.len())
        .map(|j| {
            let (_, v) = weighted_moments(pop, j);
            let floor = 1e-3 * (priors[j].quantile(0.95) - priors[j].quantile(0.05)).abs();
            (2.0 * v).sqrt().max(floor).max(f64::MIN_POSITIVE)
        })
        .collect()
}

/// Smallest proposal standard deviation in normal-score units (the prior
/// has sd 1 there): a collapsed population can still move.
pub const SCORE_FLOOR: f64 = 1e-3;

/// The normal scores of `theta` under `priors`.
pub fn scores(priors: &[Distribution], theta: &[f64]) -> Vec<f64> {
    priors
        .iter()
        .zip(theta)
        .map(|(d, x)| d.normal_score(*x))
        .collect()
}

/// Lower-triangular Cholesky factor (row-major, d × d) of the
/// symmetric matrix `a`; a pivot that rounding makes non-positive is set
/// to `floor` so the factor always exists.
pub fn cholesky(a: &[f64], d: usize, floor: f64) -> Vec<f64> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * d + k] * l[j * d + k]).sum();
            if i == j {
                let v = a[i * d + i] - s;
                l[i * d + i] = if v > floor * floor { v.sqrt() } else { floor };
            } else {
                l[i * d + j] = (a[i * d + j] - s) / l[j * d + j];
            }
        }
    }
    l
}

/// The normal-score kernel: the Cholesky factor of 2 Σ_z + f² I, Σ_z the
/// weighted covariance of the population's normal scores and f =
/// [`SCORE_FLOOR`].
pub fn score_kernel(pop: &[Particle], priors: &[Distribution]) -> Vec<f64> {
    let d = priors.len();
    let tw: f64 = pop.iter().map(|p| p.weight).sum();
    let zs: Vec<(f64, Vec<f64>)> = pop
        .iter()
        .filter(|p| p.weight > 0.0)
        .map(|p| (p.weight, scores(priors, &p.theta)))
        .collect();
    let mean: Vec<f64> = (0..d)
        .map(|j| zs.iter().map(|(w, z)| w * z[j]).sum::<f64>() / tw)
        .collect();
    let mut cov = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let c = zs
                .iter()
                .map(|(w, z)| w * (z[i] - mean[i]) * (z[j] - mean[j]))
                .sum::<f64>()
                / tw;
            cov[i * d + j] = 2.0 * c;
            cov[j * d + i] = 2.0 * c;
        }
        cov[i * d + i] += SCORE_FLOOR * SCORE_FLOOR;
    }
    cholesky(&cov, d, SCORE_FLOOR)
}

/// The Metropolis–Hastings ratio of a move from `cur` to `prop` (before
/// the tolerance check).
///
/// Random-walk kernel: the proposal is symmetric in θ, so the ratio is
/// π(θ*) / π(θ).
///
/// Normal-score kernel. Write T(θ) = z with z_j = Φ⁻¹(F_j(θ_j)); each F_j
/// is continuous and strictly increasing on its support, so T is a
/// bijection from the support onto ℝ^d, and if θ ~ π then z ~ N(0, I):
/// the prior's density in score space is φ(z) = Π φ(z_j). The Jacobian
/// follows from F_j(θ_j) = Φ(z_j): f_j(θ_j) dθ_j = φ(z_j) dz_j, so
/// |∂z/∂θ| = π(θ) / φ(T(θ)).
///
/// The proposal draws z* ~ N(z, S), symmetric: K(z* | z) = K(z | z*). Its
/// density in θ is q(θ* | θ) = K(T(θ*) | T(θ)) · π(θ*) / φ(z*). The
/// Hastings ratio for the target π(θ) 1(d ≤ ε) is therefore
///
///   π(θ*) q(θ | θ*) / (π(θ) q(θ* | θ))
///   = π(θ*) K(z | z*) π(θ)/φ(z)  /  (π(θ) K(z* | z) π(θ*)/φ(z*))
///   = φ(z*) / φ(z),
///
/// times 1(d* ≤ ε): the same as a symmetric random walk on z targeting
/// N(0, I) 1(d ≤ ε). The prior density and the Jacobian cancel, so no
/// prior density is evaluated. The SMC weights are untouched: in this
/// algorithm (Del Moral et al. 2012) weights change only when the
/// tolerance shrinks, w_i ∝ w_i 1(d_i ≤ ε_t); the move is an MCMC kernel
/// invariant for π_ε, so it needs no importance correction (unlike the
/// population Monte Carlo form of Beaumont et al. 2009, where the weight
/// is π(θ) / Σ_j w_j q(θ | θ_j) and the same Jacobian would enter q).
pub fn accept_ratio(kernel: Kernel, priors: &[Distribution], cur: &[f64], prop: &[f64]) -> f64 {
    match kernel {
        Kernel::RandomWalk => prior_density(priors, prop) / prior_density(priors, cur),
        Kernel::NormalScore => {
            let sq = |t: &[f64]| scores(priors, t).iter().map(|z| z * z).sum::<f64>();
            (-0.5 * (sq(prop) - sq(cur))).exp()
        }
    }
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
    /// Lower-triangular factor L (row-major, d × d) of the proposal
    /// covariance: a step is L ξ, ξ ~ N(0, I), in normal scores or (random
    /// walk, L diagonal) in parameter units.
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
    let kernel = match s.kernel {
        Kernel::NormalScore => score_kernel(&pop, priors),
        Kernel::RandomWalk => {
            let d = priors.len();
            let mut l = vec![0.0; d * d];
            for (j, sd) in kernel_sd(&pop, priors).into_iter().enumerate() {
                l[j * d + j] = sd;
            }
            l
        }
    };
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

/// Step 3's proposal for particle `i` of generation `g`, and the uniform
/// draw its acceptance is decided with.
pub fn propose(
    p: &Prepared,
    priors: &[Distribution],
    s: &Settings,
    g: usize,
    i: usize,
) -> (Vec<f64>, f64) {
    let cur = &p.population[i];
    let n = p.population.len();
    let mut r = rng::generator(s.seed, "calibrate-move", (g * n + i) as u64);
    let d = priors.len();
    let xi: Vec<f64> = (0..d)
        .map(|_| normal::quantile(rng::unit(&mut r).clamp(1e-12, 1.0 - 1e-12)))
        .collect();
    let delta = |j: usize| -> f64 { (0..d).map(|k| p.kernel[j * d + k] * xi[k]).sum() };
    let proposal: Vec<f64> = match s.kernel {
        Kernel::RandomWalk => (0..d).map(|j| cur.theta[j] + delta(j)).collect(),
        Kernel::NormalScore => {
            let z = scores(priors, &cur.theta);
            (0..d)
                .map(|j| priors[j].from_normal_score(z[j] + delta(j)))
                .collect()
        }
    };
    (proposal, rng::unit(&mut r))
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
    let (proposal, u) = propose(p, priors, s, g, i);
    let ratio = accept_ratio(s.kernel, priors, &cur.theta, &proposal);
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

/// The number of distinct parameter vectors among the particles with
/// positive weight (copies made by resampling, and particles whose move
/// was refused, count once).
pub fn distinct(pop: &[Particle]) -> usize {
    let mut v: Vec<Vec<u64>> = pop
        .iter()
        .filter(|p| p.weight > 0.0)
        .map(|p| p.theta.iter().map(|x| x.to_bits()).collect())
        .collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

/// The effective sample size with copies pooled: (Σ W_k)² / Σ W_k², W_k
/// the total weight of the k-th distinct parameter vector. N copies of one
/// vector give 1; N distinct particles of equal weight give N.
pub fn distinct_ess(pop: &[Particle]) -> f64 {
    let mut v: Vec<(Vec<u64>, f64)> = pop
        .iter()
        .filter(|p| p.weight > 0.0)
        .map(|p| (p.theta.iter().map(|x| x.to_bits()).collect(), p.weight))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    let mut pooled: Vec<f64> = Vec::new();
    for k in 0..v.len() {
        if k > 0 && v[k].0 == v[k - 1].0 {
            if let Some(last) = pooled.last_mut() {
                *last += v[k].1;
            }
        } else {
            pooled.push(v[k].1);
        }
    }
    ess(&pooled)
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
            kernel: Kernel::RandomWalk,
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

    fn settings(kernel: Kernel, particles: usize, generations: usize, seed: u64) -> Settings {
        Settings {
            particles,
            generations,
            alpha: 0.5,
            min_tolerance: 0.0,
            seed,
            kernel,
        }
    }

    #[test]
    fn distinct_particles_and_pooled_ess_by_hand() {
        let p = |x: f64, w: f64| Particle {
            theta: vec![x, 1.0],
            weight: w,
            distance: 0.0,
            sims: vec![],
            simulated: false,
            moved: false,
        };
        // Copies of 1.0 pool to weight 0.5: ESS 1 / (0.25 + 0.0625·2 + 0) = 8/3.
        let pop = [
            p(1.0, 0.25),
            p(1.0, 0.25),
            p(2.0, 0.25),
            p(3.0, 0.25),
            p(4.0, 0.0),
        ];
        assert_eq!(distinct(&pop), 3);
        assert!((distinct_ess(&pop) - 8.0 / 3.0).abs() < 1e-12);
        assert!((distinct_ess(&[p(1.0, 0.5), p(1.0, 0.5)]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn cholesky_by_hand() {
        // [[4, 2], [2, 5]] = L Lᵀ with L = [[2, 0], [1, 2]].
        assert_eq!(
            cholesky(&[4.0, 2.0, 2.0, 5.0], 2, 1e-3),
            vec![2.0, 0.0, 1.0, 2.0]
        );
        // A singular matrix still gets a factor (the pivot floor).
        let l = cholesky(&[1.0, 1.0, 1.0, 1.0], 2, 1e-3);
        assert_eq!(l[3], 1e-3);
    }

    /// With every simulation inside the tolerance, the move must leave the
    /// prior invariant: after 8 normal-score moves the probability integral
    /// transforms F(θ) of 2000 particles are still uniform. Negative
    /// control: the same proposals accepted with the prior ratio in θ (the
    /// Jacobian forgotten) drift to the edges of the support.
    #[test]
    fn normal_score_moves_keep_the_prior_invariant() {
        let pr = vec![
            Distribution::uniform(0.0, 1.0).unwrap(),
            Distribution::triangular(0.0, 0.2, 1.0).unwrap(),
        ];
        let s = settings(Kernel::NormalScore, 2000, 8, 5);
        let flat = |_: &[f64], _: u64| (0.0, vec![]);
        let chain = |corrected: bool| -> Vec<Particle> {
            let mut pop: Vec<Particle> = (0..s.particles)
                .map(|i| initial(&s, &pr, i, &flat))
                .collect();
            for g in 1..=s.generations {
                let p = prepare(&pop, &pr, &s, g).unwrap();
                assert!(!p.resampled);
                pop = (0..s.particles)
                    .map(|i| {
                        if corrected {
                            return step(&p, &pr, &s, g, i, &flat);
                        }
                        let cur = &p.population[i];
                        let (prop, u) = propose(&p, &pr, &s, g, i);
                        if u < accept_ratio(Kernel::RandomWalk, &pr, &cur.theta, &prop) {
                            Particle {
                                theta: prop,
                                ..cur.clone()
                            }
                        } else {
                            cur.clone()
                        }
                    })
                    .collect();
            }
            pop
        };
        // The largest distance of a decile's share of F(θ) from 1/10.
        let worst = |pop: &[Particle]| -> f64 {
            let mut w: f64 = 0.0;
            for (j, d) in pr.iter().enumerate() {
                let mut bins = [0usize; 10];
                for p in pop {
                    bins[((d.cdf(p.theta[j]) * 10.0) as usize).min(9)] += 1;
                }
                for b in bins {
                    w = w.max((b as f64 / pop.len() as f64 - 0.1).abs());
                }
            }
            w
        };
        let good = worst(&chain(true));
        let bad = worst(&chain(false));
        assert!(good < 0.03, "normal-score moves distort the prior: {good}");
        assert!(bad > 0.1, "the uncorrected chain should drift: {bad}");
    }

    /// Proposals from a population crowded against the lower end of four
    /// bounded priors: every normal-score proposal has positive prior
    /// density; the random walk (negative control) proposes outside the
    /// support a large share of the time.
    #[test]
    fn normal_score_proposals_stay_inside_the_support() {
        let pr = vec![
            Distribution::uniform(0.0, 1.0).unwrap(),
            Distribution::triangular(0.0, 0.0, 1.0).unwrap(),
            Distribution::trunc_normal(0.5, 1.0, 0.0, 3.0).unwrap(),
            Distribution::lognormal(0.0, 1.0).unwrap(),
        ];
        let n = 500;
        let pop: Vec<Particle> = (0..n)
            .map(|k| {
                let u = 0.05 * (k as f64 + 0.5) / n as f64;
                Particle {
                    theta: pr.iter().map(|d| d.quantile(u)).collect(),
                    weight: 1.0 / n as f64,
                    distance: 0.0,
                    sims: vec![],
                    simulated: true,
                    moved: true,
                }
            })
            .collect();
        let outside = |kernel: Kernel| -> usize {
            let s = settings(kernel, n, 1, 9);
            let p = prepare(&pop, &pr, &s, 1).unwrap();
            (0..n)
                .filter(|&i| prior_density(&pr, &propose(&p, &pr, &s, 1, i).0) <= 0.0)
                .count()
        };
        assert_eq!(outside(Kernel::NormalScore), 0);
        let rw = outside(Kernel::RandomWalk);
        assert!(
            rw > n / 5,
            "random-walk proposals outside the support: {rw}/{n}"
        );
    }
}
