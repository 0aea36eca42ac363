//! Sobol' indices from a Saltelli design: first order S1 (Saltelli et al.
//! 2010, eq. (b) of table 2), total order ST (Jansen 1999) and second order
//! S2 (Saltelli 2002), with bootstrap percentile intervals.
//!
//! Rules: the outputs `y` follow the design's row order (A, AB_1..AB_D,
//! [BA_1..BA_D,] B for each base row, as SALib); the total variance is the
//! population variance of the A and B outputs together, and the outputs are
//! standardised first — the same estimators as `SALib.analyze.sobol`, so
//! the two agree on the point estimates.

use super::{IndexValue, bootstrap, var_pop};
use crate::design::saltelli::rows_per_base;

/// Outputs regrouped by role.
struct Blocks {
    a: Vec<f64>,
    b: Vec<f64>,
    ab: Vec<Vec<f64>>,
    ba: Vec<Vec<f64>>,
}

fn split(y: &[f64], d: usize, second_order: bool) -> Result<Blocks, String> {
    let step = rows_per_base(d, second_order);
    if y.is_empty() || y.len() % step != 0 {
        return Err(format!(
            "{} outputs do not fill a Saltelli design of {d} parameters ({step} rows per base sample)",
            y.len()
        ));
    }
    if let Some(bad) = y.iter().position(|v| !v.is_finite()) {
        return Err(format!("output of design row {bad} is not a finite number"));
    }
    let n = y.len() / step;
    let mut bl = Blocks {
        a: Vec::with_capacity(n),
        b: Vec::with_capacity(n),
        ab: vec![Vec::with_capacity(n); d],
        ba: vec![Vec::with_capacity(n); if second_order { d } else { 0 }],
    };
    for blk in y.chunks(step) {
        bl.a.push(blk[0]);
        bl.b.push(blk[step - 1]);
        for i in 0..d {
            bl.ab[i].push(blk[1 + i]);
            if second_order {
                bl.ba[i].push(blk[1 + d + i]);
            }
        }
    }
    Ok(bl)
}

/// S1 of every parameter, ST of every parameter, then S2 of every pair
/// (i < j) when available, over the base rows `idx`.
fn estimate(bl: &Blocks, idx: &[usize]) -> Vec<f64> {
    let d = bl.ab.len();
    let n = idx.len() as f64;
    let v = var_pop(
        idx.iter()
            .map(|&k| bl.a[k])
            .chain(idx.iter().map(|&k| bl.b[k])),
    )
    .unwrap_or(0.0);
    let s1: Vec<f64> = (0..d)
        .map(|i| {
            idx.iter()
                .map(|&k| bl.b[k] * (bl.ab[i][k] - bl.a[k]))
                .sum::<f64>()
                / n
                / v
        })
        .collect();
    let mut out = s1.clone();
    out.extend((0..d).map(|i| {
        0.5 * idx
            .iter()
            .map(|&k| (bl.a[k] - bl.ab[i][k]).powi(2))
            .sum::<f64>()
            / n
            / v
    }));
    if !bl.ba.is_empty() {
        for i in 0..d {
            for j in i + 1..d {
                let vij = idx
                    .iter()
                    .map(|&k| bl.ba[i][k] * bl.ab[j][k] - bl.a[k] * bl.b[k])
                    .sum::<f64>()
                    / n
                    / v;
                out.push(vij - s1[i] - s1[j]);
            }
        }
    }
    out
}

/// Sobol' indices of one output. `names` are the D parameter names in
/// design column order. Returns S1 and ST per parameter (and S2 per pair).
pub fn analyze(
    y: &[f64],
    names: &[String],
    second_order: bool,
    bootstrap_reps: usize,
    seed: u64,
) -> Result<Vec<IndexValue>, String> {
    let d = names.len();
    // Standardise the outputs first, as SALib does: the indices do not
    // change, but the S1 estimator's variance grows with the output's mean.
    let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
    let sd = var_pop(y.iter().copied()).unwrap_or(0.0).sqrt();
    let scaled: Vec<f64> = if sd > 0.0 {
        y.iter().map(|v| (v - mean) / sd).collect()
    } else {
        y.to_vec()
    };
    let bl = split(&scaled, d, second_order)?;
    let n = bl.a.len();
    let all: Vec<usize> = (0..n).collect();
    if var_pop(bl.a.iter().chain(&bl.b).copied()).unwrap_or(0.0) <= 0.0 {
        return Err(
            "the output does not vary over the design, so it has no variance to apportion".into(),
        );
    }
    let point = estimate(&bl, &all);
    let ci = bootstrap(n, point.len(), bootstrap_reps, seed, |idx| {
        estimate(&bl, idx)
    });
    let mut labels: Vec<(String, &'static str)> = Vec::new();
    labels.extend(names.iter().map(|p| (p.clone(), "S1")));
    labels.extend(names.iter().map(|p| (p.clone(), "ST")));
    if second_order {
        for i in 0..d {
            for j in i + 1..d {
                labels.push((format!("{}:{}", names[i], names[j]), "S2"));
            }
        }
    }
    Ok(labels
        .into_iter()
        .zip(point)
        .zip(ci)
        .map(|(((parameter, index), value), (lo, hi))| IndexValue {
            parameter,
            index,
            value,
            ci95_low: lo,
            ci95_high: hi,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::saltelli;
    use crate::sensitivity::test_functions::*;

    fn names(d: usize) -> Vec<String> {
        (1..=d).map(|i| format!("x{i}")).collect()
    }

    fn find<'a>(r: &'a [IndexValue], p: &str, idx: &str) -> &'a IndexValue {
        r.iter()
            .find(|v| v.parameter == p && v.index == idx)
            .unwrap()
    }

    fn covers(v: &IndexValue, truth: f64) {
        assert!(
            v.ci95_low <= truth && truth <= v.ci95_high,
            "{} {}: {} [{}, {}] misses {truth}",
            v.parameter,
            v.index,
            v.value,
            v.ci95_low,
            v.ci95_high
        );
    }

    #[test]
    fn ishigami_indices_within_intervals_of_the_truth() {
        let (a, b) = (7.0, 0.1);
        let x = saltelli::sample(4096, 3, true, 11).unwrap();
        let y: Vec<f64> = x.iter().map(|u| ishigami(u, a, b)).collect();
        let r = analyze(&y, &names(3), true, 500, 5).unwrap();
        let (s1, st) = ishigami_indices(a, b);
        for i in 0..3 {
            let p = format!("x{}", i + 1);
            covers(find(&r, &p, "S1"), s1[i]);
            covers(find(&r, &p, "ST"), st[i]);
            assert!((find(&r, &p, "S1").value - s1[i]).abs() < 0.03);
            assert!((find(&r, &p, "ST").value - st[i]).abs() < 0.03);
        }
        // The only interaction is x1·x3: S2(1,3) = ST1 − S1_1, others 0.
        covers(find(&r, "x1:x3", "S2"), st[0] - s1[0]);
        covers(find(&r, "x1:x2", "S2"), 0.0);
        covers(find(&r, "x2:x3", "S2"), 0.0);
    }

    #[test]
    fn sobol_g_indices_within_intervals_of_the_truth() {
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0];
        let x = saltelli::sample(4096, a.len(), false, 3).unwrap();
        let y: Vec<f64> = x.iter().map(|u| sobol_g(u, &a)).collect();
        let r = analyze(&y, &names(a.len()), false, 500, 2).unwrap();
        let (s1, st) = sobol_g_indices(&a);
        for i in 0..a.len() {
            let p = format!("x{}", i + 1);
            covers(find(&r, &p, "S1"), s1[i]);
            covers(find(&r, &p, "ST"), st[i]);
        }
        assert_eq!(r.len(), 2 * a.len());
    }

    #[test]
    fn rejects_ragged_or_constant_outputs() {
        assert!(analyze(&[1.0; 7], &names(2), false, 10, 1).is_err());
        assert!(
            analyze(&[1.0; 8], &names(2), false, 10, 1)
                .unwrap_err()
                .contains("vary")
        );
        assert!(analyze(&[1.0, f64::NAN, 1.0, 2.0], &names(2), false, 10, 1).is_err());
    }
}
