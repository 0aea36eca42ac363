//! Morris elementary effects: μ, μ* (Campolongo et al. 2007) and σ per
//! parameter, with bootstrap intervals over trajectories.
//!
//! Rules: the design is in the unit cube, r trajectories of D+1 rows in
//! order (as [`crate::design::morris`] writes it and SALib reads it). The
//! elementary effect of the parameter that moves between two rows is
//! (f(higher x) − f(lower x)) / Δ with Δ the unit-scale jump — SALib's
//! convention, so results compare one to one.

use super::{IndexValue, bootstrap};
use crate::stats;

/// Elementary effects: `ee[i][t]` for parameter i in trajectory t.
fn effects(x: &[Vec<f64>], y: &[f64], d: usize, delta: f64) -> Result<Vec<Vec<f64>>, String> {
    let step = d + 1;
    if x.len() != y.len() || x.is_empty() || x.len() % step != 0 {
        return Err(format!(
            "{} design rows and {} outputs do not form Morris trajectories of {d} parameters",
            x.len(),
            y.len()
        ));
    }
    if let Some(bad) = y.iter().position(|v| !v.is_finite()) {
        return Err(format!("output of design row {bad} is not a finite number"));
    }
    let r = x.len() / step;
    let mut ee = vec![vec![f64::NAN; r]; d];
    for (t, (xs, ys)) in x.chunks(step).zip(y.chunks(step)).enumerate() {
        for k in 0..d {
            let moved: Vec<usize> = (0..d).filter(|&i| xs[k][i] != xs[k + 1][i]).collect();
            let [i] = moved[..] else {
                let row = t * step + k;
                return Err(format!(
                    "design rows {row} and {} do not differ in exactly one parameter",
                    row + 1
                ));
            };
            let sign = if xs[k + 1][i] > xs[k][i] { 1.0 } else { -1.0 };
            ee[i][t] = sign * (ys[k + 1] - ys[k]) / delta;
        }
    }
    if ee.iter().flatten().any(|v| v.is_nan()) {
        return Err("a parameter does not move in every trajectory".into());
    }
    Ok(ee)
}

fn summary(ee: &[f64]) -> [f64; 3] {
    let mu = stats::mean(ee).unwrap_or(f64::NAN);
    let abs: Vec<f64> = ee.iter().map(|v| v.abs()).collect();
    let mu_star = stats::mean(&abs).unwrap_or(f64::NAN);
    let sigma = stats::sd(ee).unwrap_or(f64::NAN);
    [mu, mu_star, sigma]
}

/// Morris indices of one output: μ, μ*, σ per parameter.
pub fn analyze(
    x: &[Vec<f64>],
    y: &[f64],
    names: &[String],
    delta: f64,
    bootstrap_reps: usize,
    seed: u64,
) -> Result<Vec<IndexValue>, String> {
    let ee = effects(x, y, names.len(), delta)?;
    let r = ee.first().map_or(0, Vec::len);
    let mut out = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let point = summary(&ee[i]);
        let ci = bootstrap(r, 3, bootstrap_reps, seed ^ i as u64, |idx| {
            let sample: Vec<f64> = idx.iter().map(|&t| ee[i][t]).collect();
            summary(&sample).to_vec()
        });
        for ((index, value), (lo, hi)) in ["mu", "mu_star", "sigma"].into_iter().zip(point).zip(ci)
        {
            out.push(IndexValue {
                parameter: name.clone(),
                index,
                value,
                ci95_low: lo,
                ci95_high: hi,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::morris::{delta, trajectories};

    fn names(d: usize) -> Vec<String> {
        (1..=d).map(|i| format!("x{i}")).collect()
    }

    fn get(r: &[IndexValue], p: &str, idx: &str) -> f64 {
        r.iter()
            .find(|v| v.parameter == p && v.index == idx)
            .unwrap()
            .value
    }

    #[test]
    fn linear_function_has_exact_effects_and_no_spread() {
        let c = [3.0, -2.0, 0.0];
        let x = trajectories(20, 3, 4, 1).unwrap();
        let y: Vec<f64> = x
            .iter()
            .map(|u| u.iter().zip(c).map(|(a, b)| a * b).sum())
            .collect();
        let r = analyze(&x, &y, &names(3), delta(4), 200, 1).unwrap();
        for (i, ci) in c.iter().enumerate() {
            let p = format!("x{}", i + 1);
            assert!((get(&r, &p, "mu") - ci).abs() < 1e-9);
            assert!((get(&r, &p, "mu_star") - ci.abs()).abs() < 1e-9);
            assert!(get(&r, &p, "sigma").abs() < 1e-9);
        }
    }

    #[test]
    fn interactions_show_as_sigma_and_ranking_follows_ishigami() {
        use crate::sensitivity::test_functions::ishigami;
        let x = trajectories(200, 3, 4, 9).unwrap();
        let y: Vec<f64> = x.iter().map(|u| ishigami(u, 7.0, 0.1)).collect();
        let r = analyze(&x, &y, &names(3), delta(4), 200, 1).unwrap();
        // x3 acts only through its interaction with x1: μ ≈ 0 but σ > 0.
        assert!(get(&r, "x3", "sigma") > 1.0);
        assert!(get(&r, "x2", "mu_star") > get(&r, "x3", "mu_star") * 0.5);
        for v in &r {
            assert!(
                v.ci95_low <= v.value + 1e-12 && v.value <= v.ci95_high + 1e-12,
                "{v:?}"
            );
        }
    }

    #[test]
    fn rejects_designs_that_are_not_trajectories() {
        let x = vec![vec![0.0, 0.0], vec![1.0, 1.0], vec![1.0, 0.0]];
        assert!(analyze(&x, &[1.0, 2.0, 3.0], &names(2), 0.5, 10, 1).is_err());
        assert!(analyze(&x, &[1.0, 2.0], &names(2), 0.5, 10, 1).is_err());
    }
}
