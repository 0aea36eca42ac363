//! Pre-treatment of raw indicator columns: imputation of missing values and
//! treatment of outliers (OECD/JRC Handbook §4; COINr's `Impute` and `Treat`).
//!
//! Rules: NaN is missing. Every value changed is recorded as a [`Change`]
//! when the caller passes a log, so outputs can list what was changed and
//! why — nothing is changed silently. Functions work in place with the
//! caller's scratch buffers (no allocation when no log is kept).
//!
//! Outlier rules:
//! - `winsorise`: values beyond the framework's quantiles (type 7, default
//!   5% / 95%) are set to those quantiles;
//! - `skew_kurtosis` (COINr's default rule): while |skewness| > `skew_max`
//!   and excess kurtosis > `kurt_max`, the most extreme value on the skewed
//!   side is set to the next value inwards, at most `winsor_max` times; if the
//!   column still fails, the winsorisation is undone and a log transform is
//!   applied instead;
//! - `log`: ln(1 + x − m) with m = min(0, min x), so it is defined for any
//!   column and equals ln(1 + x) for non-negative data (order preserved).

use super::framework::OutlierRule;

/// How missing values are filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imputation {
    None,
    Mean,
    Median,
    /// Mean of the unit's group (`--group-col`); the overall mean when the
    /// group has no value.
    GroupMean,
}

impl Imputation {
    pub const ALL_IDS: [&'static str; 4] = ["none", "mean", "median", "group_mean"];
    pub fn parse(s: &str) -> Option<Imputation> {
        match s {
            "none" => Some(Imputation::None),
            "mean" => Some(Imputation::Mean),
            "median" => Some(Imputation::Median),
            "group_mean" => Some(Imputation::GroupMean),
            _ => None,
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Imputation::None => "none",
            Imputation::Mean => "mean",
            Imputation::Median => "median",
            Imputation::GroupMean => "group_mean",
        }
    }
}

/// How outliers are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outliers {
    None,
    Winsorise,
    SkewKurtosis,
    Log,
}

impl Outliers {
    pub const ALL_IDS: [&'static str; 4] = ["none", "winsorise", "skew_kurtosis", "log"];
    pub fn parse(s: &str) -> Option<Outliers> {
        match s {
            "none" => Some(Outliers::None),
            "winsorise" | "winsorize" => Some(Outliers::Winsorise),
            "skew_kurtosis" => Some(Outliers::SkewKurtosis),
            "log" => Some(Outliers::Log),
            _ => None,
        }
    }
}

/// One changed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub unit: usize,
    pub node: usize,
    pub from: f64,
    pub to: f64,
    pub reason: String,
}

/// Scratch buffers and the optional change log for one column.
pub struct Ctx<'a> {
    pub node: usize,
    pub sorted: &'a mut Vec<f64>,
    pub group_sum: &'a mut Vec<f64>,
    pub group_cnt: &'a mut Vec<usize>,
    pub log: Option<&'a mut Vec<Change>>,
}

impl Ctx<'_> {
    fn record(&mut self, unit: usize, from: f64, to: f64, reason: impl FnOnce() -> String) {
        if let Some(log) = self.log.as_deref_mut() {
            if from.to_bits() != to.to_bits() {
                log.push(Change {
                    unit,
                    node: self.node,
                    from,
                    to,
                    reason: reason(),
                });
            }
        }
    }
}

/// Fill missing values of `xs`. `groups[i]` is unit i's group (u32::MAX = none).
pub fn impute(method: Imputation, xs: &mut [f64], groups: Option<&[u32]>, cx: &mut Ctx) {
    let overall = match method {
        Imputation::None => return,
        Imputation::Median => median(xs, cx.sorted),
        Imputation::Mean | Imputation::GroupMean => mean(xs),
    };
    if method == Imputation::GroupMean {
        if let Some(g) = groups {
            let k = g
                .iter()
                .filter(|&&x| x != u32::MAX)
                .max()
                .map_or(0, |m| *m as usize + 1);
            cx.group_sum.clear();
            cx.group_sum.resize(k, 0.0);
            cx.group_cnt.clear();
            cx.group_cnt.resize(k, 0);
            for (x, &gi) in xs.iter().zip(g) {
                if !x.is_nan() && gi != u32::MAX {
                    cx.group_sum[gi as usize] += x;
                    cx.group_cnt[gi as usize] += 1;
                }
            }
            for i in 0..xs.len() {
                if !xs[i].is_nan() {
                    continue;
                }
                let gi = g[i];
                let (v, why) = if gi != u32::MAX && cx.group_cnt[gi as usize] > 0 {
                    let gi = gi as usize;
                    (
                        cx.group_sum[gi] / cx.group_cnt[gi] as f64,
                        "imputed: group mean",
                    )
                } else {
                    (overall, "imputed: overall mean (group has no value)")
                };
                xs[i] = v;
                cx.record(i, f64::NAN, v, || why.to_string());
            }
            return;
        }
    }
    if overall.is_nan() {
        return;
    }
    for (i, x) in xs.iter_mut().enumerate() {
        if x.is_nan() {
            *x = overall;
            cx.record(i, f64::NAN, overall, || format!("imputed: {}", method.id()));
        }
    }
}

/// Treat outliers of `xs` in place.
pub fn treat(method: Outliers, rule: &OutlierRule, xs: &mut [f64], cx: &mut Ctx) {
    match method {
        Outliers::None => {}
        Outliers::Log => log_transform(xs, cx, "log transform"),
        Outliers::Winsorise => winsorise(xs, rule.winsor, cx),
        Outliers::SkewKurtosis => skew_kurtosis(xs, rule, cx),
    }
}

fn mean(xs: &[f64]) -> f64 {
    let (s, n) = xs
        .iter()
        .filter(|x| !x.is_nan())
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { f64::NAN } else { s / n as f64 }
}

fn sort_present(xs: &[f64], sorted: &mut Vec<f64>) {
    sorted.clear();
    sorted.extend(xs.iter().copied().filter(|x| !x.is_nan()));
    sorted.sort_unstable_by(f64::total_cmp);
}

fn median(xs: &[f64], sorted: &mut Vec<f64>) -> f64 {
    sort_present(xs, sorted);
    crate::stats::quantile_sorted(sorted, 0.5).unwrap_or(f64::NAN)
}

fn winsorise(xs: &mut [f64], (qlo, qhi): (f64, f64), cx: &mut Ctx) {
    sort_present(xs, cx.sorted);
    let (Some(lo), Some(hi)) = (
        crate::stats::quantile_sorted(cx.sorted, qlo),
        crate::stats::quantile_sorted(cx.sorted, qhi),
    ) else {
        return;
    };
    for (i, slot) in xs.iter_mut().enumerate() {
        let x = *slot;
        let v = if x < lo {
            lo
        } else if x > hi {
            hi
        } else {
            continue;
        };
        *slot = v;
        cx.record(i, x, v, || format!("winsorised at quantiles {qlo}/{qhi}"));
    }
}

/// Population skewness and excess kurtosis of the present values.
pub fn skew_kurt(xs: &[f64]) -> (f64, f64) {
    let m = mean(xs);
    let (mut m2, mut m3, mut m4, mut n) = (0.0, 0.0, 0.0, 0.0);
    for &x in xs.iter().filter(|x| !x.is_nan()) {
        let d = x - m;
        m2 += d * d;
        m3 += d * d * d;
        m4 += d * d * d * d;
        n += 1.0;
    }
    if n < 3.0 || m2 <= 0.0 {
        return (0.0, 0.0);
    }
    let (m2, m3, m4) = (m2 / n, m3 / n, m4 / n);
    (m3 / m2.powf(1.5), m4 / (m2 * m2) - 3.0)
}

fn fails(xs: &[f64], rule: &OutlierRule) -> Option<bool> {
    let (s, k) = skew_kurt(xs);
    (s.abs() > rule.skew_max && k > rule.kurt_max).then_some(s > 0.0)
}

fn skew_kurtosis(xs: &mut [f64], rule: &OutlierRule, cx: &mut Ctx) {
    if fails(xs, rule).is_none() {
        return;
    }
    // Work on a copy in `sorted` so the attempt can be undone.
    let n = xs.len();
    cx.sorted.clear();
    cx.sorted.extend_from_slice(xs);
    let mut passed = false;
    for _ in 0..rule.winsor_max {
        let Some(positive) = fails(&cx.sorted[..n], rule) else {
            passed = true;
            break;
        };
        pull_in_extreme(&mut cx.sorted[..n], positive);
    }
    passed = passed || fails(&cx.sorted[..n], rule).is_none();
    if passed {
        for (i, slot) in xs.iter_mut().enumerate() {
            let (from, to) = (*slot, cx.sorted[i]);
            *slot = to;
            cx.record(i, from, to, || "winsorised: skew/kurtosis rule".into());
        }
    } else {
        log_transform(xs, cx, "log transform: skew/kurtosis rule");
    }
}

/// Set the most extreme value(s) on one side to the next value inwards.
fn pull_in_extreme(xs: &mut [f64], positive: bool) {
    let sign = if positive { 1.0 } else { -1.0 };
    let ext = xs
        .iter()
        .filter(|x| !x.is_nan())
        .map(|x| sign * x)
        .fold(f64::NEG_INFINITY, f64::max);
    let next = xs
        .iter()
        .filter(|x| !x.is_nan())
        .map(|x| sign * x)
        .filter(|&x| x < ext)
        .fold(f64::NEG_INFINITY, f64::max);
    if next == f64::NEG_INFINITY {
        return;
    }
    for x in xs.iter_mut().filter(|x| sign * **x == ext) {
        *x = sign * next;
    }
}

fn log_transform(xs: &mut [f64], cx: &mut Ctx, why: &str) {
    let m = xs
        .iter()
        .filter(|x| !x.is_nan())
        .fold(0.0f64, |a, &x| a.min(x));
    for (i, slot) in xs.iter_mut().enumerate() {
        let x = *slot;
        if x.is_nan() {
            continue;
        }
        let v = (1.0 + x - m).ln();
        *slot = v;
        cx.record(i, x, v, || why.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;
    const RULE: OutlierRule = OutlierRule {
        winsor: (0.1, 0.9),
        skew_max: 2.0,
        kurt_max: 3.5,
        winsor_max: 5,
    };

    fn with_ctx<R>(f: impl FnOnce(&mut Ctx) -> R) -> (R, Vec<Change>) {
        let (mut s, mut gs, mut gc, mut log) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut cx = Ctx {
            node: 0,
            sorted: &mut s,
            group_sum: &mut gs,
            group_cnt: &mut gc,
            log: Some(&mut log),
        };
        let r = f(&mut cx);
        (r, log)
    }

    #[test]
    fn imputation_known_answers() {
        let mut xs = [1.0, NAN, 5.0, 6.0];
        let (_, log) = with_ctx(|cx| impute(Imputation::Mean, &mut xs, None, cx));
        assert_eq!(xs[1], 4.0);
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].reason, "imputed: mean");
        let mut xs = [1.0, NAN, 5.0, 6.0];
        with_ctx(|cx| impute(Imputation::Median, &mut xs, None, cx));
        assert_eq!(xs[1], 5.0);
        let mut xs = [1.0, NAN, 5.0, 7.0, NAN, NAN];
        let g = [0, 0, 1, 1, 1, 2];
        let (_, log) = with_ctx(|cx| impute(Imputation::GroupMean, &mut xs, Some(&g), cx));
        assert_eq!(xs[1], 1.0);
        assert_eq!(xs[4], 6.0);
        assert!((xs[5] - 13.0 / 3.0).abs() < 1e-12); // group 2 empty: overall mean
        assert_eq!(log.len(), 3);
        let mut xs = [NAN, NAN];
        with_ctx(|cx| impute(Imputation::Mean, &mut xs, None, cx));
        assert!(xs.iter().all(|x| x.is_nan()));
    }

    #[test]
    fn winsorise_at_quantiles() {
        let mut xs: Vec<f64> = (0..11).map(f64::from).collect();
        let (_, log) = with_ctx(|cx| treat(Outliers::Winsorise, &RULE, &mut xs, cx));
        assert_eq!(xs[0], 1.0);
        assert_eq!(xs[10], 9.0);
        assert_eq!(log.len(), 2);
    }

    #[test]
    fn skew_rule_winsorises_a_single_outlier() {
        let mut xs = vec![1.0; 20];
        for (i, x) in xs.iter_mut().enumerate() {
            *x += i as f64 * 0.1;
        }
        xs[19] = 100.0;
        assert!(skew_kurt(&xs).0 > 2.0);
        let (_, log) = with_ctx(|cx| treat(Outliers::SkewKurtosis, &RULE, &mut xs, cx));
        assert!((xs[19] - 2.8).abs() < 1e-12, "{}", xs[19]);
        assert_eq!(log.len(), 1);
        assert!(fails(&xs, &RULE).is_none());
    }

    #[test]
    fn log_transform_is_order_preserving() {
        let mut xs = [0.0, 1.0, NAN, 9.0];
        with_ctx(|cx| treat(Outliers::Log, &RULE, &mut xs, cx));
        assert_eq!(xs[0], 0.0);
        assert!((xs[1] - 2f64.ln()).abs() < 1e-12);
        assert!(xs[2].is_nan());
        assert!((xs[3] - 10f64.ln()).abs() < 1e-12);
    }
}
