//! Morris one-at-a-time trajectories (Morris 1991), in SALib's row order.
//!
//! Rules: with p levels the grid is {0, 1/(p−1), …, 1} and the jump is
//! Δ = p / (2(p−1)) (p even, so every jump lands on the grid). Each of the
//! r trajectories has D+1 rows: a random base point, then one parameter at
//! a time moves by ±Δ, in a random order. Rows of trajectory t are
//! t·(D+1) .. (t+1)·(D+1), as `SALib.sample.morris.sample` lays them out.
//! Runs: r·(D+1).

use super::rng;

/// The jump Δ for `levels` grid levels.
pub fn delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels as f64 - 1.0))
}

/// `r` trajectories over `d` parameters in the unit cube.
pub fn trajectories(r: usize, d: usize, levels: usize, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if d == 0 {
        return Err("a Morris analysis needs at least one uncertain parameter".into());
    }
    if r < 2 {
        return Err(format!("Morris needs at least 2 trajectories, not {r}"));
    }
    if levels < 2 || levels % 2 != 0 {
        return Err(format!(
            "Morris levels must be an even number ≥ 2, not {levels}"
        ));
    }
    let step = 1.0 / (levels as f64 - 1.0);
    let jump = delta(levels);
    let base_levels = levels / 2; // base values j/(p−1) with j < p/2 keep x+Δ ≤ 1
    let mut rows = Vec::with_capacity(r * (d + 1));
    for t in 0..r {
        let mut g = rng::generator(seed, "morris", t as u64);
        let up: Vec<bool> = (0..d).map(|_| rng::below(&mut g, 2) == 1).collect();
        let mut x: Vec<f64> = (0..d)
            .map(|i| {
                let base = rng::below(&mut g, base_levels) as f64 * step;
                if up[i] { base } else { base + jump }
            })
            .collect();
        let mut order: Vec<usize> = (0..d).collect();
        rng::shuffle(&mut g, &mut order);
        rows.push(x.clone());
        for i in order {
            x[i] += if up[i] { jump } else { -jump };
            rows.push(x.clone());
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_moves_one_parameter_by_delta_on_the_grid() {
        let (r, d, p) = (10, 5, 4);
        let rows = trajectories(r, d, p, 3).unwrap();
        assert_eq!(rows.len(), r * (d + 1));
        let jump = delta(p);
        for traj in rows.chunks(d + 1) {
            let mut moved = vec![false; d];
            for w in traj.windows(2) {
                let changed: Vec<usize> = (0..d).filter(|&i| w[0][i] != w[1][i]).collect();
                assert_eq!(changed.len(), 1);
                let i = changed[0];
                assert!(((w[1][i] - w[0][i]).abs() - jump).abs() < 1e-12);
                assert!(!moved[i]);
                moved[i] = true;
            }
            for x in traj.iter().flatten() {
                let k = x * (p as f64 - 1.0);
                assert!((k - k.round()).abs() < 1e-9 && (-1e-12..=1.0 + 1e-12).contains(x));
            }
        }
    }

    #[test]
    fn rejects_bad_settings() {
        assert!(trajectories(10, 2, 3, 1).is_err());
        assert!(trajectories(1, 2, 4, 1).is_err());
        assert!(trajectories(10, 0, 4, 1).is_err());
    }
}
