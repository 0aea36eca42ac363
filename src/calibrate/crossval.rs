//! Out-of-sample checks: scores of predictions against targets never used
//! in fitting (`--holdout`), and K-fold cross-validation over provinces
//! (`--folds K`).
//!
//! Rules: predictions are posterior-predictive means. Scores are computed
//! per target kind: RMSE of prediction − observation (in the targets'
//! units), Spearman's ρ and Kendall's τ-b between observed and predicted
//! values (ties get average ranks; NaN with fewer than 2 targets or no
//! variation), and tier accuracy — the share of targets whose predicted
//! tier (top, middle or bottom third of the predictions) equals their
//! observed tier (thirds of the observations). Folds: the provinces that
//! province-scoped targets name are sorted and dealt round-robin into K
//! folds; fold f refits on every target except its provinces' and predicts
//! those. Targets without a province (world, level, region, count) are
//! always fitted.

use super::abc_smc::Settings;
use super::targets::{Kind, Target};
use super::{Finished, Problem, outputs};
use crate::{InputError, Result};

/// Scores of one group of predictions.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// `holdout`, `fold-F` or `all-folds`.
    pub set: String,
    pub kind: String,
    pub n: usize,
    pub rmse: f64,
    pub spearman: f64,
    pub kendall: f64,
    pub tier_accuracy: f64,
}

/// Average ranks (1-based), ties sharing the mean of their positions.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma).powi(2);
        sbb += (y - mb).powi(2);
    }
    if saa == 0.0 || sbb == 0.0 {
        f64::NAN
    } else {
        sab / (saa * sbb).sqrt()
    }
}

/// Spearman's ρ: Pearson correlation of average ranks.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    if a.len() < 2 {
        return f64::NAN;
    }
    pearson(&ranks(a), &ranks(b))
}

/// Kendall's τ-b.
pub fn kendall(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len();
    let (mut c, mut d, mut ta, mut tb) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for i in 0..n {
        for j in i + 1..n {
            let (x, y) = ((a[i] - a[j]).signum(), (b[i] - b[j]).signum());
            let (x, y) = (
                if a[i] == a[j] { 0.0 } else { x },
                if b[i] == b[j] { 0.0 } else { y },
            );
            match (x == 0.0, y == 0.0) {
                (true, true) => {}
                (true, false) => ta += 1.0,
                (false, true) => tb += 1.0,
                (false, false) => {
                    if x == y {
                        c += 1.0
                    } else {
                        d += 1.0
                    }
                }
            }
        }
    }
    let den = ((c + d + ta) * (c + d + tb)).sqrt();
    if den == 0.0 { f64::NAN } else { (c - d) / den }
}

/// Tier (0 = bottom, 1 = middle, 2 = top third) of each value by rank.
pub fn tiers(x: &[f64]) -> Vec<usize> {
    let n = x.len() as f64;
    ranks(x)
        .iter()
        .map(|r| (((r - 1.0) / n * 3.0).floor() as usize).min(2))
        .collect()
}

/// Scores of `pred` (one per target) against `targets`, per target kind.
pub fn scores(set: &str, targets: &[Target], pred: &[f64]) -> Vec<Scores> {
    let mut out = Vec::new();
    for kind in [Kind::Value, Kind::Count, Kind::Rank] {
        let (obs, p): (Vec<f64>, Vec<f64>) = targets
            .iter()
            .zip(pred)
            .filter(|(t, _)| t.kind == kind)
            .map(|(t, p)| (t.value, *p))
            .unzip();
        if obs.is_empty() {
            continue;
        }
        let n = obs.len();
        let rmse = (obs
            .iter()
            .zip(&p)
            .map(|(o, q)| (q - o).powi(2))
            .sum::<f64>()
            / n as f64)
            .sqrt();
        let (to, tp) = (tiers(&obs), tiers(&p));
        let hits = to.iter().zip(&tp).filter(|(a, b)| a == b).count();
        out.push(Scores {
            set: set.into(),
            kind: kind.id().into(),
            n,
            rmse,
            spearman: spearman(&obs, &p),
            kendall: kendall(&obs, &p),
            tier_accuracy: hits as f64 / n as f64,
        });
    }
    out
}

/// The provinces named by province-scoped targets, dealt into `k` folds.
pub fn assign(targets: &[Target], k: usize) -> Vec<Vec<String>> {
    let mut provs: Vec<String> = targets.iter().filter_map(|t| t.province.clone()).collect();
    provs.sort();
    provs.dedup();
    let mut folds = vec![Vec::new(); k];
    for (i, p) in provs.into_iter().enumerate() {
        folds[i % k].push(p);
    }
    folds
}

/// The folds, or an input error when the targets name fewer than `k`
/// provinces (or `k` < 2).
pub fn check(targets: &[Target], k: usize) -> Result<Vec<Vec<String>>> {
    let groups = assign(targets, k.max(1));
    let named = groups.iter().filter(|g| !g.is_empty()).count();
    if k < 2 || named < k {
        return Err(InputError::new(format!(
            "--folds {k} needs targets naming at least {k} provinces (and K ≥ 2); the targets name {}",
            groups.iter().map(Vec::len).sum::<usize>()
        ))
        .key("--folds")
        .suggest("add province-scoped targets, or lower --folds")
        .into());
    }
    Ok(groups)
}

/// K-fold cross-validation over provinces: per-fold scores, then the
/// scores of all folds' predictions pooled (`all-folds`).
pub fn folds(
    problem: &Problem,
    s: &Settings,
    k: usize,
    threads: Option<usize>,
    quiet: bool,
) -> Result<Vec<Scores>> {
    let groups = check(&problem.fit, k)?;
    let mut out = Vec::new();
    let (mut all_t, mut all_p) = (Vec::new(), Vec::new());
    for (f, provs) in groups.iter().enumerate() {
        let held = |t: &Target| t.province.as_ref().is_some_and(|p| provs.contains(p));
        let fit: Vec<Target> = problem.fit.iter().filter(|t| !held(t)).cloned().collect();
        let test: Vec<Target> = problem.fit.iter().filter(|t| held(t)).cloned().collect();
        let sub = problem.with_targets(fit, test.clone());
        let bar = outputs::progress((s.generations + 1) * s.particles, quiet);
        bar.set_message(format!("fold {}/{k}", f + 1));
        let fin = super::run(&sub, s, None, None, threads, &bar)?;
        bar.finish_and_clear();
        let Finished::Done(post) = fin else {
            continue;
        };
        let nf = sub.fit.len();
        let pred = outputs::predictive(&post.population, nf..nf + test.len());
        out.extend(scores(&format!("fold-{}", f + 1), &test, &pred));
        all_t.extend(test);
        all_p.extend(pred);
    }
    out.extend(scores("all-folds", &all_t, &all_p));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_correlations_by_hand() {
        assert_eq!(ranks(&[10.0, 30.0, 20.0, 20.0]), vec![1.0, 4.0, 2.5, 2.5]);
        let a = [1.0, 2.0, 3.0, 4.0];
        assert!((spearman(&a, &[2.0, 4.0, 6.0, 8.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&a, &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        // One swapped pair among 6: τ = (5 − 1)/6.
        assert!((kendall(&a, &[1.0, 3.0, 2.0, 4.0]) - 4.0 / 6.0).abs() < 1e-12);
        // Spearman of (1,3,2,4): 1 − 6·2/(4·15) = 0.8.
        assert!((spearman(&a, &[1.0, 3.0, 2.0, 4.0]) - 0.8).abs() < 1e-12);
        assert!(kendall(&a, &[5.0; 4]).is_nan());
    }

    #[test]
    fn tiers_split_into_thirds() {
        assert_eq!(
            tiers(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            vec![0, 0, 1, 1, 2, 2]
        );
        assert_eq!(tiers(&[6.0, 5.0, 4.0]), vec![2, 1, 0]);
    }
}
