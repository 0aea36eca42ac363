//! The ABC-SMC move kernels on toy problems whose posterior is known in
//! closed form: a normal mean with known variance (both kernels recover
//! it), and a posterior piled against the lower edge of uniform priors,
//! where the two kernels are compared by simulations, distinct particles
//! and pooled ESS.

use tiaokuai::calibrate::abc_smc::{
    Kernel, Particle, Settings, Simulate, distinct, distinct_ess, initial, prepare, step,
    weighted_moments, weighted_quantile,
};
use tiaokuai::design::{Distribution, normal, rng};

fn settings(kernel: Kernel, particles: usize, generations: usize, floor: f64) -> Settings {
    Settings {
        particles,
        generations,
        alpha: 0.5,
        min_tolerance: floor,
        seed: 7,
        kernel,
    }
}

/// x_j = θ_j + sd·ξ_j; distance: RMS of (x_j − y_j)/sd.
fn gaussian_sim(y: Vec<f64>, sd: f64) -> impl Fn(&[f64], u64) -> (f64, Vec<f64>) + Sync {
    move |th: &[f64], seed: u64| {
        let mut r = rng::generator(seed, "toy", 0);
        let x: Vec<f64> = th
            .iter()
            .map(|t| t + sd * normal::quantile(rng::unit(&mut r).clamp(1e-12, 1.0 - 1e-12)))
            .collect();
        let d = (x
            .iter()
            .zip(&y)
            .map(|(a, b)| ((a - b) / sd).powi(2))
            .sum::<f64>()
            / y.len() as f64)
            .sqrt();
        (d, x)
    }
}

struct Run {
    pop: Vec<Particle>,
    simulations: usize,
    distinct: usize,
    distinct_ess: f64,
}

fn smc(s: &Settings, pr: &[Distribution], sim: &Simulate) -> Run {
    let mut pop: Vec<Particle> = (0..s.particles).map(|i| initial(s, pr, i, sim)).collect();
    let mut simulations = 0;
    for g in 1..=s.generations {
        let p = prepare(&pop, pr, s, g).unwrap();
        pop = (0..s.particles)
            .map(|i| step(&p, pr, s, g, i, sim))
            .collect();
        simulations += pop.iter().filter(|p| p.simulated).count();
    }
    Run {
        distinct: distinct(&pop),
        distinct_ess: distinct_ess(&pop),
        pop,
        simulations,
    }
}

fn mean_sd(pop: &[Particle], j: usize) -> (f64, f64) {
    let (m, v) = weighted_moments(pop, j);
    (m, v.sqrt())
}

/// θ ~ N(0, 0.5²), x ~ N(θ, 0.5²), observed x = 1: the posterior is
/// N(0.5, 0.5²/2), sd ≈ 0.354, halfway between the prior mean (0) and the
/// observation (1). With the tolerance floored at 0.2 sd (|x − 1| ≤ 0.1)
/// the ABC posterior differs from it by well under 1%; the bounds below
/// allow for the Monte Carlo error of 1000 particles.
#[test]
fn normal_mean_posterior_matches_the_analytic_one() {
    let pr = vec![Distribution::normal(0.0, 0.5).unwrap()];
    let sim = gaussian_sim(vec![1.0], 0.5);
    let (m, sd) = (0.5, 0.5 / 2f64.sqrt());
    for kernel in [Kernel::NormalScore, Kernel::RandomWalk] {
        let r = smc(&settings(kernel, 1000, 10, 0.2), &pr, &sim);
        let (pm, psd) = mean_sd(&r.pop, 0);
        eprintln!(
            "{kernel:?}: mean {pm} sd {psd} (exact {m} {sd}); simulations {}, distinct {}, distinct ESS {}",
            r.simulations, r.distinct, r.distinct_ess
        );
        // The prior mean (0) and the observation (1) are both excluded.
        assert!((pm - m).abs() < 0.1, "{kernel:?}: mean {pm} vs {m}");
        assert!((psd - sd).abs() < 0.06, "{kernel:?}: sd {psd} vs {sd}");
    }
}

/// Three parameters with U(0, 1) priors observed at 0.01 with noise 0.05:
/// the posterior of each is N(0.01, 0.05²) cut at 0 (median 0.038), piled
/// against the lower edge of the support; 400 particles, 14 generations,
/// tolerance floored at 0.5 sd. Over three seeds the normal-score kernel's
/// 90% intervals contain the exact median of every parameter, and none of
/// its particles leaves the support. The comparison with the random walk
/// (simulations, distinct particles, pooled ESS of the last generation) is
/// printed, not asserted: at this tolerance both kernels accept few moves
/// and which one ends with the larger pooled ESS changes with the seed
/// (docs/calibration.md quotes the figures).
#[test]
fn normal_score_kernel_at_the_edge_of_the_support() {
    let pr = vec![Distribution::uniform(0.0, 1.0).unwrap(); 3];
    let sim = gaussian_sim(vec![0.01; 3], 0.05);
    for seed in [7, 8, 9] {
        for kernel in [Kernel::NormalScore, Kernel::RandomWalk] {
            let s = Settings {
                seed,
                ..settings(kernel, 400, 14, 0.5)
            };
            let r = smc(&s, &pr, &sim);
            eprintln!(
                "seed {seed} {kernel:?}: simulations {}, distinct {}, distinct ESS {:.1}",
                r.simulations, r.distinct, r.distinct_ess
            );
            if kernel == Kernel::RandomWalk {
                continue;
            }
            assert!(
                r.pop
                    .iter()
                    .all(|p| p.theta.iter().all(|x| (0.0..=1.0).contains(x)))
            );
            for j in 0..3 {
                let x: Vec<f64> = r.pop.iter().map(|p| p.theta[j]).collect();
                let w: Vec<f64> = r.pop.iter().map(|p| p.weight).collect();
                let (lo, hi) = (
                    weighted_quantile(&x, &w, 0.05),
                    weighted_quantile(&x, &w, 0.95),
                );
                // Negative control built in: the prior's interval is 0.05..0.95.
                assert!(
                    lo <= 0.038 && (0.038..0.25).contains(&hi),
                    "seed {seed} θ{j}: {lo}..{hi}"
                );
            }
        }
    }
}
