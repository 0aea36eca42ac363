//! Saltelli's radial sampling scheme for Sobol' indices, in SALib's row
//! order.
//!
//! Rules: the base is a scrambled Sobol' sequence of dimension 2D; its
//! first D columns form matrix A and the last D matrix B. For each of the N
//! base rows the design holds, in this order: A, AB_1..AB_D (A with column i
//! taken from B), then — with second-order indices — BA_1..BA_D (B with
//! column i taken from A), then B. That is `SALib.sample.sobol.sample`'s
//! layout, so `SALib.analyze.sobol.analyze` reads the outputs unchanged.
//! Runs: N·(D+2) without second order, N·(2D+2) with.

use super::sobol_seq;

/// Rows per base sample.
pub fn rows_per_base(d: usize, second_order: bool) -> usize {
    if second_order { 2 * d + 2 } else { d + 2 }
}

/// The Saltelli design in the unit cube: N·rows_per_base rows of D columns.
pub fn sample(n: usize, d: usize, second_order: bool, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if d == 0 {
        return Err("a Sobol' analysis needs at least one uncertain parameter".into());
    }
    if 2 * d > sobol_seq::MAX_DIM {
        return Err(format!(
            "a Sobol' analysis here takes at most {} parameters, not {d}",
            sobol_seq::MAX_DIM / 2
        ));
    }
    if n < 2 {
        return Err(format!(
            "the base sample size N must be at least 2, not {n}"
        ));
    }
    let base = sobol_seq::points(n, 2 * d, Some(seed))?;
    let mut rows = Vec::with_capacity(n * rows_per_base(d, second_order));
    for p in &base {
        let (a, b) = p.split_at(d);
        rows.push(a.to_vec());
        for i in 0..d {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            rows.push(ab);
        }
        if second_order {
            for i in 0..d {
                let mut ba = b.to_vec();
                ba[i] = a[i];
                rows.push(ba);
            }
        }
        rows.push(b.to_vec());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_follows_salib() {
        let d = 3;
        for so in [false, true] {
            let rows = sample(4, d, so, 1).unwrap();
            let step = rows_per_base(d, so);
            assert_eq!(rows.len(), 4 * step);
            for blk in rows.chunks(step) {
                let (a, b) = (&blk[0], &blk[step - 1]);
                for i in 0..d {
                    let ab = &blk[1 + i];
                    for j in 0..d {
                        assert_eq!(ab[j], if j == i { b[j] } else { a[j] });
                    }
                    if so {
                        let ba = &blk[1 + d + i];
                        for j in 0..d {
                            assert_eq!(ba[j], if j == i { a[j] } else { b[j] });
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn rejects_impossible_sizes() {
        assert!(sample(8, 0, false, 1).is_err());
        assert!(sample(8, 21, false, 1).is_err());
        assert!(sample(1, 2, false, 1).is_err());
    }
}
