//! A scrambled Sobol' low-discrepancy sequence in base 2.
//!
//! Rules: direction numbers are Joe and Kuo's `new-joe-kuo-6.21201` set
//! (search criterion D6, the set SciPy and SALib use), dimensions 1–40;
//! points are generated in Gray-code order with 32-bit digits. Scrambling is
//! Matoušek's random linear matrix scramble plus a digital shift (the
//! scheme of `scipy.stats.qmc.Sobol(scramble=True)`): it keeps the (t, m,
//! s)-net structure, removes the point at the origin and makes the
//! sequence an unbiased randomised QMC design, deterministic by seed.

use super::rng;
use rand::Rng;

/// Largest dimension the embedded direction numbers support.
pub const MAX_DIM: usize = 40;

const BITS: usize = 32;

/// (a, m_1..m_s) for dimensions 2..=40: `a` packs the inner coefficients of
/// the primitive polynomial of degree s = m.len() (Joe & Kuo 2008).
const JOE_KUO: [(u32, &[u32]); MAX_DIM - 1] = [
    (0, &[1]),
    (1, &[1, 3]),
    (1, &[1, 3, 1]),
    (2, &[1, 1, 1]),
    (1, &[1, 1, 3, 3]),
    (4, &[1, 3, 5, 13]),
    (2, &[1, 1, 5, 5, 17]),
    (4, &[1, 1, 5, 5, 5]),
    (7, &[1, 1, 7, 11, 19]),
    (11, &[1, 1, 5, 1, 1]),
    (13, &[1, 1, 1, 3, 11]),
    (14, &[1, 3, 5, 5, 31]),
    (1, &[1, 3, 3, 9, 7, 49]),
    (13, &[1, 1, 1, 15, 21, 21]),
    (16, &[1, 3, 1, 13, 27, 49]),
    (19, &[1, 1, 1, 15, 7, 5]),
    (22, &[1, 3, 1, 15, 13, 25]),
    (25, &[1, 1, 5, 5, 19, 61]),
    (1, &[1, 3, 7, 11, 23, 15, 103]),
    (4, &[1, 3, 7, 13, 13, 15, 69]),
    (7, &[1, 1, 3, 13, 7, 35, 63]),
    (8, &[1, 3, 5, 9, 1, 25, 53]),
    (14, &[1, 3, 1, 13, 9, 35, 107]),
    (19, &[1, 3, 1, 5, 27, 61, 31]),
    (21, &[1, 1, 5, 11, 19, 41, 61]),
    (28, &[1, 3, 5, 3, 3, 13, 69]),
    (31, &[1, 1, 7, 13, 1, 19, 1]),
    (32, &[1, 3, 7, 5, 13, 19, 59]),
    (37, &[1, 1, 3, 9, 25, 29, 41]),
    (41, &[1, 3, 5, 13, 23, 1, 55]),
    (42, &[1, 3, 7, 3, 13, 59, 17]),
    (50, &[1, 3, 1, 3, 5, 53, 69]),
    (55, &[1, 1, 5, 5, 23, 33, 13]),
    (56, &[1, 1, 7, 7, 1, 61, 123]),
    (59, &[1, 1, 7, 9, 13, 61, 49]),
    (62, &[1, 3, 3, 5, 3, 55, 33]),
    (14, &[1, 3, 1, 15, 31, 13, 49, 245]),
    (21, &[1, 3, 5, 15, 31, 59, 63, 97]),
    (22, &[1, 3, 1, 11, 11, 11, 77, 249]),
];

/// Direction numbers V_1..V_32 of dimension `dim` (0-based), left-aligned.
fn directions(dim: usize) -> [u32; BITS] {
    let mut v = [0u32; BITS];
    if dim == 0 {
        for (j, vj) in v.iter_mut().enumerate() {
            *vj = 1 << (BITS - 1 - j);
        }
        return v;
    }
    let (a, m) = JOE_KUO[dim - 1];
    let s = m.len();
    for j in 0..s.min(BITS) {
        v[j] = m[j] << (BITS - 1 - j);
    }
    for j in s..BITS {
        let mut x = v[j - s] ^ (v[j - s] >> s);
        for k in 1..s {
            if (a >> (s - 1 - k)) & 1 == 1 {
                x ^= v[j - k];
            }
        }
        v[j] = x;
    }
    v
}

/// Apply a lower-triangular binary matrix (rows as bit masks, row k = the
/// k-th most significant output digit) to a left-aligned 32-bit number.
fn apply_matrix(rows: &[u32; BITS], x: u32) -> u32 {
    let mut out = 0u32;
    for (k, row) in rows.iter().enumerate() {
        if (row & x).count_ones() & 1 == 1 {
            out |= 1 << (BITS - 1 - k);
        }
    }
    out
}

/// The first `n` points of a `dim`-dimensional Sobol' sequence, scrambled
/// with `seed` when it is `Some`. Rows are points; values lie in [0, 1)
/// (in (0, 1) once scrambled: each is the centre of its 2^-32 cell).
pub fn points(n: usize, dim: usize, seed: Option<u64>) -> Result<Vec<Vec<f64>>, String> {
    if dim == 0 || dim > MAX_DIM {
        return Err(format!(
            "a Sobol' sequence here has 1 to {MAX_DIM} dimensions, not {dim}"
        ));
    }
    if n as u64 > 1 << BITS {
        return Err(format!("at most 2^{BITS} Sobol' points, not {n}"));
    }
    let mut dirs: Vec<[u32; BITS]> = (0..dim).map(directions).collect();
    let mut shift = vec![0u32; dim];
    if let Some(seed) = seed {
        for (d, (v, sh)) in dirs.iter_mut().zip(shift.iter_mut()).enumerate() {
            let mut g = rng::generator(seed, "sobol-scramble", d as u64);
            let mut rows = [0u32; BITS];
            for (k, row) in rows.iter_mut().enumerate() {
                // Lower triangular with unit diagonal: output digit k mixes
                // input digits 0..=k, so the matrix is invertible.
                let diag = 1u32 << (BITS - 1 - k);
                let below_mask = if k == 0 {
                    0
                } else {
                    !((1u32 << (BITS - k)) - 1)
                };
                *row = diag | ((g.next_u64() as u32) & below_mask);
            }
            for vj in v.iter_mut() {
                *vj = apply_matrix(&rows, *vj);
            }
            *sh = g.next_u64() as u32;
        }
    }
    let scale = 1.0 / (1u64 << BITS) as f64;
    let offset = if seed.is_some() { 0.5 * scale } else { 0.0 };
    let mut x = shift.clone();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if i > 0 {
            // Gray-code step: flip the direction of the lowest zero bit of i-1.
            let c = (!(i - 1)).trailing_zeros() as usize;
            for (xd, v) in x.iter_mut().zip(&dirs) {
                *xd ^= v[c];
            }
        }
        out.push(x.iter().map(|&xd| xd as f64 * scale + offset).collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unscrambled_points_match_the_reference_sequence() {
        let p = points(10, 3, None).unwrap();
        let want = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
            [0.1875, 0.3125, 0.9375],
            [0.6875, 0.8125, 0.4375],
        ];
        for (got, want) in p.iter().zip(want) {
            assert_eq!(got.as_slice(), want.as_slice());
        }
    }

    /// Every one-dimensional projection of the first 2^m points of a
    /// (scrambled) Sobol' sequence puts exactly one point in each interval
    /// [k/2^m, (k+1)/2^m): the net property scrambling must preserve.
    #[test]
    fn scrambled_points_stay_stratified_and_depend_on_seed() {
        let n = 256;
        for seed in [None, Some(1), Some(2)] {
            let p = points(n, MAX_DIM, seed).unwrap();
            for d in 0..MAX_DIM {
                let mut hit = vec![false; n];
                for row in &p {
                    let cell = (row[d] * n as f64) as usize;
                    assert!(!hit[cell], "dimension {d} seed {seed:?}");
                    hit[cell] = true;
                }
            }
        }
        let a = points(8, 2, Some(1)).unwrap();
        assert_eq!(a, points(8, 2, Some(1)).unwrap());
        assert_ne!(a, points(8, 2, Some(2)).unwrap());
        assert!(a.iter().flatten().all(|&x| x > 0.0 && x < 1.0));
    }

    /// Two-dimensional projections of 2^m points of dimensions 1 and 2 form
    /// a (0, m, 2)-net: one point in every elementary box of area 2^-m.
    #[test]
    fn first_two_dimensions_form_a_zero_net() {
        let m = 6;
        let n = 1usize << m;
        let p = points(n, 2, Some(9)).unwrap();
        for a in 0..=m {
            let (bx, by) = (1usize << a, 1usize << (m - a));
            let mut seen = vec![false; n];
            for row in &p {
                let cell = (row[0] * bx as f64) as usize * by + (row[1] * by as f64) as usize;
                assert!(!seen[cell]);
                seen[cell] = true;
            }
        }
    }

    #[test]
    fn rejects_bad_dimensions() {
        assert!(points(4, 0, None).is_err());
        assert!(points(4, MAX_DIM + 1, None).is_err());
    }
}
