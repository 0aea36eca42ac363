//! Space-filling designs over uncertain parameters: full-factorial grid,
//! Latin hypercube and plain Monte Carlo.
//!
//! Rules: LHS and Monte Carlo draw points in the unit cube (rows = design
//! points, columns = parameters) from a generator seeded by the design seed;
//! [`to_values`] maps them through each parameter's quantile function. The
//! grid enumerates listed values with the first parameter varying slowest.

use super::distribution::Distribution;
use super::rng;

/// Largest grid the tool will expand (a typo in `levels` should not hang).
pub const MAX_GRID: usize = 1_000_000;

/// Full factorial over each parameter's grid values; rows in lexicographic
/// order (first parameter slowest, last fastest).
pub fn grid(levels: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, String> {
    let mut total: usize = 1;
    for l in levels {
        total = total
            .checked_mul(l.len())
            .filter(|t| *t <= MAX_GRID)
            .ok_or_else(|| format!("the grid would have more than {MAX_GRID} points"))?;
    }
    let mut rows = Vec::with_capacity(total);
    for mut k in 0..total {
        let mut row = vec![0.0; levels.len()];
        for (j, l) in levels.iter().enumerate().rev() {
            row[j] = l[k % l.len()];
            k /= l.len();
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Latin hypercube in [0, 1)^d: each column puts exactly one point in each
/// of the n strata [k/n, (k+1)/n), at a uniform position inside it.
pub fn lhs(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rows = vec![vec![0.0; d]; n];
    for j in 0..d {
        let mut g = rng::generator(seed, "lhs", j as u64);
        let mut strata: Vec<usize> = (0..n).collect();
        rng::shuffle(&mut g, &mut strata);
        for (row, k) in rows.iter_mut().zip(strata) {
            row[j] = (k as f64 + rng::unit(&mut g)) / n as f64;
        }
    }
    rows
}

/// Independent uniform points in [0, 1)^d.
pub fn montecarlo(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| {
            let mut g = rng::generator(seed, "montecarlo", i as u64);
            (0..d).map(|_| rng::unit(&mut g)).collect()
        })
        .collect()
}

/// Map unit-cube rows to parameter values column by column.
pub fn to_values(unit: &[Vec<f64>], dists: &[&Distribution]) -> Vec<Vec<f64>> {
    unit.iter()
        .map(|row| row.iter().zip(dists).map(|(u, d)| d.quantile(*u)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_is_the_full_factorial_in_lexicographic_order() {
        let g = grid(&[vec![1.0, 2.0], vec![10.0, 20.0, 30.0]]).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![1.0, 10.0]);
        assert_eq!(g[1], vec![1.0, 20.0]);
        assert_eq!(g[5], vec![2.0, 30.0]);
        assert!(grid(&vec![vec![0.0; 1000]; 3]).is_err());
    }

    #[test]
    fn lhs_stratifies_every_column_and_is_seeded() {
        let n = 50;
        let p = lhs(n, 4, 7);
        for j in 0..4 {
            let mut cells: Vec<usize> = p.iter().map(|r| (r[j] * n as f64) as usize).collect();
            cells.sort();
            assert_eq!(cells, (0..n).collect::<Vec<_>>());
        }
        assert_eq!(p, lhs(n, 4, 7));
        assert_ne!(p, lhs(n, 4, 8));
    }

    #[test]
    fn montecarlo_is_uniform_enough_and_seeded() {
        let p = montecarlo(4000, 2, 3);
        let m: f64 = p.iter().map(|r| r[0]).sum::<f64>() / 4000.0;
        assert!((m - 0.5).abs() < 0.03);
        assert_eq!(p, montecarlo(4000, 2, 3));
    }

    #[test]
    fn values_follow_the_distributions() {
        let u = Distribution::uniform(10.0, 20.0).unwrap();
        let c = Distribution::categorical(vec![1.0, 2.0], vec![]).unwrap();
        let v = to_values(&[vec![0.5, 0.75]], &[&u, &c]);
        assert_eq!(v, vec![vec![15.0, 2.0]]);
    }
}
