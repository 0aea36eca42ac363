//! Uncertainty and sensitivity analysis of a composite indicator: Monte
//! Carlo over the methodological choices a framework declares uncertain
//! (OECD/JRC Handbook §7; Saisana, Saltelli & Tarantola 2005).
//!
//! Each declared choice is one factor: the weights (every weight multiplied
//! by U(1 − s, 1 + s), independently), the indicator normalisation, the
//! aggregation of every inner node, the imputation — the discrete factors
//! picking uniformly among the listed alternatives. Factors are driven by
//! uniform numbers so the Saltelli (2010) design applies: base matrices A
//! and B of N rows, and for each factor k the matrix A_B^k (A with factor
//! k's columns from B). The output is each unit's rank; per factor we
//! report the first-order Sobol index (Saltelli 2010 estimator) and the
//! total-order index (Jansen 1999), pooled over units as shares of the
//! total rank variance: S_k = Σ_u V_u(E[rank_u | X_k]) / Σ_u V_u(rank_u).
//! Rank percentiles per unit come from the 2N independent draws of A and B.
//!
//! Rules: rows are evaluated in parallel with rayon but every row's random
//! numbers come from a seed derived from (master seed, row, matrix), never
//! from thread identity, and results are collected in row order — so the
//! output is identical for any thread count.

use rand::RngExt;
use rayon::prelude::*;

use super::framework::{Framework, NodeKind};
use super::score::{Workspace, evaluate, fill_raw, rank_desc};
use crate::{InputError, Result};

/// One uncertain factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// `weights`, `normalisation`, `aggregation` or `imputation`.
    pub id: &'static str,
    /// Number of uniform numbers that drive it.
    pub dims: usize,
}

/// Share of rank variance per factor.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorShare {
    pub id: &'static str,
    pub first_order: f64,
    pub total_order: f64,
}

/// Per-unit rank distribution and per-factor variance shares.
#[derive(Debug, Clone, PartialEq)]
pub struct McResult {
    pub draws: usize,
    pub evaluations: usize,
    pub nominal_rank: Vec<u32>,
    /// 5th, 50th and 95th percentile rank per unit (NaN when never ranked).
    pub p05: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
    pub shares: Vec<FactorShare>,
}

/// The factors a framework declares.
pub fn factors(fw: &Framework) -> Vec<Factor> {
    let u = &fw.uncertainty;
    let nweights: usize = fw
        .nodes
        .iter()
        .map(|n| match &n.kind {
            NodeKind::Aggregate(a) => a.weights.len(),
            NodeKind::Indicator(_) => 0,
        })
        .sum();
    let mut out = Vec::new();
    if u.weights > 0.0 {
        out.push(Factor {
            id: "weights",
            dims: nweights,
        });
    }
    for (id, len) in [
        ("normalisation", u.normalisation.len()),
        ("aggregation", u.aggregation.len()),
        ("imputation", u.imputation.len()),
    ] {
        if len > 0 {
            out.push(Factor { id, dims: 1 });
        }
    }
    out
}

/// The framework with the choices picked by `u` (one slice per factor).
pub fn variant(fw: &Framework, factors: &[Factor], u: &[f64]) -> Framework {
    let mut v = fw.clone();
    let spec = &fw.uncertainty;
    let pick = |x: f64, len: usize| ((x * len as f64) as usize).min(len - 1);
    let mut off = 0;
    for f in factors {
        let us = &u[off..off + f.dims];
        off += f.dims;
        match f.id {
            "weights" => {
                let mut j = 0;
                for n in &mut v.nodes {
                    if let NodeKind::Aggregate(a) = &mut n.kind {
                        for w in &mut a.weights {
                            *w *= 1.0 + spec.weights * (2.0 * us[j] - 1.0);
                            j += 1;
                        }
                    }
                }
            }
            "normalisation" => {
                let m = spec.normalisation[pick(us[0], spec.normalisation.len())];
                for n in v.nodes.iter_mut().filter(|n| n.is_indicator()) {
                    if let Some(s) = &mut n.norm {
                        s.method = m;
                    }
                }
            }
            "aggregation" => {
                let m = spec.aggregation[pick(us[0], spec.aggregation.len())];
                for n in &mut v.nodes {
                    if let NodeKind::Aggregate(a) = &mut n.kind {
                        a.aggregation = m;
                    }
                }
            }
            _ => {
                let m = spec.imputation[pick(us[0], spec.imputation.len())];
                for n in &mut v.nodes {
                    if let NodeKind::Indicator(i) = &mut n.kind {
                        i.imputation = m;
                    }
                }
            }
        }
    }
    v
}

/// `d` uniforms for row `row` of matrix `stream` (a seeded stream of its
/// own, derived from the master seed by [`crate::rng::stream`]).
fn uniforms(seed: u64, row: usize, stream: &str, d: usize) -> Vec<f64> {
    let mut rng = crate::rng::stream(seed, row as u32, stream);
    (0..d).map(|_| rng.random::<f64>()).collect()
}

/// Run the Monte Carlo with `draws` base rows.
pub fn run(
    fw: &Framework,
    columns: &[Vec<f64>],
    n: usize,
    groups: Option<&[u32]>,
    draws: usize,
    seed: u64,
) -> Result<McResult> {
    let fs = factors(fw);
    if fs.is_empty() {
        return Err(InputError::new(format!(
            "framework `{}` declares no uncertain choices",
            fw.id
        ))
        .key("uncertainty")
        .suggest("add an [uncertainty] table (weights, normalisation, aggregation, imputation)")
        .into());
    }
    if draws < 2 {
        return Err(InputError::new("--uncertainty needs at least 2 draws")
            .key("--uncertainty")
            .into());
    }
    let d: usize = fs.iter().map(|f| f.dims).sum();
    let ranks_of = |u: &[f64], ws: &mut Workspace| -> Vec<f64> {
        let v = variant(fw, &fs, u);
        ws.resize(v.nodes.len(), n);
        fill_raw(&v, ws, |c, i| columns[c][i]);
        evaluate(&v, ws, groups, None);
        let mut r = vec![0u32; n];
        rank_desc(&ws.index, &mut r, &mut Vec::new());
        r.into_iter()
            .map(|x| if x == 0 { f64::NAN } else { f64::from(x) })
            .collect()
    };
    // Per row: ranks under A, B, and A_B^k for each factor.
    let rows: Vec<Vec<Vec<f64>>> = (0..draws)
        .into_par_iter()
        .map_init(Workspace::default, |ws, i| {
            let a = uniforms(seed, i, "assess-mc-a", d);
            let b = uniforms(seed, i, "assess-mc-b", d);
            let mut out = vec![ranks_of(&a, ws), ranks_of(&b, ws)];
            let mut off = 0;
            for f in &fs {
                let mut ab = a.clone();
                ab[off..off + f.dims].copy_from_slice(&b[off..off + f.dims]);
                off += f.dims;
                out.push(ranks_of(&ab, ws));
            }
            out
        })
        .collect();
    let nominal = {
        let mut ws = Workspace::default();
        ws.resize(fw.nodes.len(), n);
        fill_raw(fw, &mut ws, |c, i| columns[c][i]);
        evaluate(fw, &mut ws, groups, None);
        let mut r = vec![0u32; n];
        rank_desc(&ws.index, &mut r, &mut Vec::new());
        r
    };
    let (mut p05, mut p50, mut p95) = (vec![f64::NAN; n], vec![f64::NAN; n], vec![f64::NAN; n]);
    let mut sorted = Vec::with_capacity(2 * draws);
    for u in 0..n {
        sorted.clear();
        sorted.extend(
            rows.iter()
                .flat_map(|r| [r[0][u], r[1][u]])
                .filter(|x| !x.is_nan()),
        );
        sorted.sort_unstable_by(f64::total_cmp);
        if let (Some(a), Some(b), Some(c)) = (
            crate::stats::quantile_sorted(&sorted, 0.05),
            crate::stats::quantile_sorted(&sorted, 0.5),
            crate::stats::quantile_sorted(&sorted, 0.95),
        ) {
            (p05[u], p50[u], p95[u]) = (a, b, c);
        }
    }
    let shares = fs
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let (mut v1, mut vt, mut vtot) = (0.0, 0.0, 0.0);
            for u in 0..n {
                let fa: Vec<f64> = rows.iter().map(|r| r[0][u]).collect();
                let fb: Vec<f64> = rows.iter().map(|r| r[1][u]).collect();
                let fab: Vec<f64> = rows.iter().map(|r| r[2 + k][u]).collect();
                if let Some(s) = sobol_parts(&fa, &fb, &fab) {
                    v1 += s.first;
                    vt += s.total;
                    vtot += s.variance;
                }
            }
            let share = |x: f64| if vtot > 0.0 { x / vtot } else { 0.0 };
            FactorShare {
                id: f.id,
                first_order: share(v1),
                total_order: share(vt),
            }
        })
        .collect();
    Ok(McResult {
        draws,
        evaluations: draws * (fs.len() + 2),
        nominal_rank: nominal,
        p05,
        p50,
        p95,
        shares,
    })
}

/// Unnormalised Sobol estimates for one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolParts {
    /// V(E[Y | X_k]), Saltelli (2010): mean of f(B)·(f(A_B^k) − f(A)).
    pub first: f64,
    /// E[V(Y | X_~k)], Jansen (1999): mean of (f(A) − f(A_B^k))² / 2.
    pub total: f64,
    /// V(Y) over the rows of A and B.
    pub variance: f64,
}

/// Sobol estimates from paired outputs; rows with a missing value are
/// skipped; `None` when fewer than two rows remain.
pub fn sobol_parts(fa: &[f64], fb: &[f64], fab: &[f64]) -> Option<SobolParts> {
    let ok: Vec<usize> = (0..fa.len())
        .filter(|&i| !(fa[i].is_nan() || fb[i].is_nan() || fab[i].is_nan()))
        .collect();
    let m = ok.len();
    if m < 2 {
        return None;
    }
    let mf = m as f64;
    let mean = ok.iter().map(|&i| fa[i] + fb[i]).sum::<f64>() / (2.0 * mf);
    let variance = ok
        .iter()
        .map(|&i| (fa[i] - mean).powi(2) + (fb[i] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * mf - 1.0);
    let first = ok.iter().map(|&i| fb[i] * (fab[i] - fa[i])).sum::<f64>() / mf;
    let total = ok.iter().map(|&i| (fa[i] - fab[i]).powi(2)).sum::<f64>() / (2.0 * mf);
    Some(SobolParts {
        first,
        total,
        variance,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sobol_of_additive_function() {
        // Y = X1 + 2 X2 with X ~ U(0,1): V = 1/12 + 4/12, S1 = 0.2, S2 = 0.8.
        let n = 20_000;
        let a: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let u = uniforms(7, i, "a", 2);
                [u[0], u[1]]
            })
            .collect();
        let b: Vec<[f64; 2]> = (0..n)
            .map(|i| {
                let u = uniforms(7, i, "b", 2);
                [u[0], u[1]]
            })
            .collect();
        let f = |x: [f64; 2]| x[0] + 2.0 * x[1];
        let fa: Vec<f64> = a.iter().map(|&x| f(x)).collect();
        let fb: Vec<f64> = b.iter().map(|&x| f(x)).collect();
        for (k, want) in [(0, 0.2), (1, 0.8)] {
            let fab: Vec<f64> = (0..n)
                .map(|i| {
                    let mut x = a[i];
                    x[k] = b[i][k];
                    f(x)
                })
                .collect();
            let s = sobol_parts(&fa, &fb, &fab).unwrap();
            let s1 = s.first / s.variance;
            let st = s.total / s.variance;
            assert!((s1 - want).abs() < 0.03, "S{k} = {s1}");
            assert!((st - want).abs() < 0.03, "ST{k} = {st}");
        }
    }

    #[test]
    fn variant_applies_each_choice() {
        let fw = Framework::tiaokuai_default();
        let fs = factors(&fw);
        let ids: Vec<&str> = fs.iter().map(|f| f.id).collect();
        assert_eq!(
            ids,
            ["weights", "normalisation", "aggregation", "imputation"]
        );
        let d: usize = fs.iter().map(|f| f.dims).sum();
        // u = 0.5 everywhere: weights unchanged, second half of each list
        let v = variant(&fw, &fs, &vec![0.5; d]);
        let w = |f: &Framework| -> Vec<f64> {
            f.nodes
                .iter()
                .flat_map(|n| match &n.kind {
                    NodeKind::Aggregate(a) => a.weights.clone(),
                    NodeKind::Indicator(_) => Vec::new(),
                })
                .collect()
        };
        assert_eq!(w(&v), w(&fw));
        let ind = v.nodes.iter().find(|n| n.is_indicator()).unwrap();
        assert_eq!(
            ind.norm.as_ref().unwrap().method,
            super::super::normalise::Normalisation::MinMax
        );
        let NodeKind::Indicator(spec) = &ind.kind else {
            unreachable!()
        };
        assert_eq!(spec.imputation, super::super::pretreat::Imputation::Mean);
        let NodeKind::Aggregate(a) = &v.nodes[v.root()].kind else {
            unreachable!()
        };
        assert_eq!(
            a.aggregation,
            super::super::aggregate::Aggregation::Geometric
        );
        // u = 0: every weight at its lower bound (1 - 0.3)
        let lo = variant(&fw, &fs, &vec![0.0; d]);
        for (a, b) in w(&lo).iter().zip(w(&fw)) {
            assert!((a - 0.7 * b).abs() < 1e-12);
        }
    }
}
