//! Normalisation: bring a column of values (one per unit) onto a common
//! scale, higher = better, before aggregation (OECD/JRC Handbook §5; COINr's
//! `n_*` functions).
//!
//! Rules: NaN marks a missing value and stays NaN; statistics use only the
//! present values. Edge cases are defined, never NaN from present input:
//! a constant column gives 0.5 under min–max, 0 under z-score and the middle
//! rank under the rank methods; a single unit is a constant column.
//! Functions work in place and use only the caller's scratch buffer, so the
//! scorer allocates nothing per call.

/// Which direction of the raw value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    Lower,
}

/// A normalisation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    /// (x − min) / (max − min), onto [0, 1].
    MinMax,
    /// (x − mean) / sd (sample sd, n − 1).
    ZScore,
    /// Rank among units, 1 = worst, ties share their average rank.
    Rank,
    /// (rank − 1) / (n − 1), onto [0, 1].
    PercentileRank,
    /// (x − low) / (high − low) clamped to [0, 1]: fixed, unit-independent.
    Goalposts,
    /// x / target capped at 1 (lower-is-better: target / x capped at 1).
    DistanceToTarget,
    /// The value as it is.
    None,
}

impl Normalisation {
    pub const ALL_IDS: [&'static str; 7] = [
        "minmax",
        "zscore",
        "rank",
        "percentile_rank",
        "goalposts",
        "distance_to_target",
        "none",
    ];
    const ALL: [Normalisation; 7] = [
        Normalisation::MinMax,
        Normalisation::ZScore,
        Normalisation::Rank,
        Normalisation::PercentileRank,
        Normalisation::Goalposts,
        Normalisation::DistanceToTarget,
        Normalisation::None,
    ];

    pub fn parse(s: &str) -> Option<Normalisation> {
        let i = Self::ALL_IDS.iter().position(|&x| x == s)?;
        Some(Self::ALL[i])
    }
    pub fn id(self) -> &'static str {
        Self::ALL_IDS[Self::ALL.iter().position(|&x| x == self).unwrap_or(0)]
    }
    /// True when a unit's value depends on the other units scored with it.
    pub fn is_relative(self) -> bool {
        matches!(
            self,
            Normalisation::MinMax
                | Normalisation::ZScore
                | Normalisation::Rank
                | Normalisation::PercentileRank
        )
    }
}

/// Parameters a method may need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub direction: Direction,
    pub goalposts: Option<(f64, f64)>,
    pub target: Option<f64>,
}

/// Normalise `src` into `dst` (same length): [`normalise`] without a
/// separate copy for the unit-independent methods, which the simulator's
/// scorer runs for every node every quarter.
pub fn normalise_into(
    method: Normalisation,
    p: &Params,
    src: &[f64],
    dst: &mut [f64],
    idx: &mut Vec<usize>,
) {
    match elementwise(method, p) {
        Some(f) => dst.iter_mut().zip(src).for_each(|(d, &x)| *d = f(x)),
        None => {
            dst.copy_from_slice(src);
            normalise(method, p, dst, idx);
        }
    }
}

/// The value map of a unit-independent method, `None` for the others.
/// Goalposts are hoisted into `((sign · x + offset) / span)` clamped to
/// [0, 1] — `x − lo` or `hi − x` exactly, as in [`normalise_one`] — so the
/// column loops need no branch and vectorise (a missing value stays NaN
/// through the arithmetic and the clamp).
fn elementwise(method: Normalisation, p: &Params) -> Option<impl Fn(f64) -> f64 + '_> {
    let (lo, hi) = p.goalposts.unwrap_or((0.0, 1.0));
    let (sign, offset) = if p.direction == Direction::Lower {
        (-1.0, hi)
    } else {
        (1.0, -lo)
    };
    let span = hi - lo;
    match method {
        Normalisation::Goalposts | Normalisation::DistanceToTarget => Some(move |x: f64| {
            if method == Normalisation::Goalposts {
                ((sign * x + offset) / span).clamp(0.0, 1.0)
            } else {
                normalise_one(method, p, x)
            }
        }),
        _ => None,
    }
}

/// Normalise `xs` in place. `idx` is scratch (its capacity is reused).
pub fn normalise(method: Normalisation, p: &Params, xs: &mut [f64], idx: &mut Vec<usize>) {
    let lower = p.direction == Direction::Lower;
    if let Some(f) = elementwise(method, p) {
        xs.iter_mut().for_each(|x| *x = f(*x));
        return;
    }
    match method {
        Normalisation::MinMax => min_max(xs, lower),
        Normalisation::ZScore => z_score(xs, lower),
        Normalisation::Rank => ranks(xs, lower, idx, false),
        Normalisation::PercentileRank => ranks(xs, lower, idx, true),
        Normalisation::None | Normalisation::Goalposts | Normalisation::DistanceToTarget => {}
    }
}

/// One value under a unit-independent method (`goalposts`,
/// `distance_to_target`, `none`); the value itself for any other method.
#[inline]
pub fn normalise_one(method: Normalisation, p: &Params, x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let lower = p.direction == Direction::Lower;
    match method {
        Normalisation::Goalposts => {
            let (lo, hi) = p.goalposts.unwrap_or((0.0, 1.0));
            let v = if lower { hi - x } else { x - lo } / (hi - lo);
            v.clamp(0.0, 1.0)
        }
        Normalisation::DistanceToTarget => {
            let t = p.target.unwrap_or(1.0);
            if lower {
                if x <= t { 1.0 } else { t / x }
            } else {
                (x / t).clamp(0.0, 1.0)
            }
        }
        _ => x,
    }
}

fn present(xs: &[f64]) -> impl Iterator<Item = f64> + '_ {
    xs.iter().copied().filter(|x| !x.is_nan())
}

fn min_max(xs: &mut [f64], lower: bool) {
    let (lo, hi) = present(xs).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    let span = hi - lo;
    for x in xs.iter_mut().filter(|x| !x.is_nan()) {
        *x = if span > 0.0 {
            if lower {
                (hi - *x) / span
            } else {
                (*x - lo) / span
            }
        } else {
            0.5
        };
    }
}

fn z_score(xs: &mut [f64], lower: bool) {
    let n = present(xs).count();
    if n == 0 {
        return;
    }
    let mean = present(xs).sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (present(xs).map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let sign = if lower { -1.0 } else { 1.0 };
    for x in xs.iter_mut().filter(|x| !x.is_nan()) {
        *x = if sd > 0.0 {
            sign * (*x - mean) / sd
        } else {
            0.0
        };
    }
}

/// Average ranks of the present values (1 = worst).
fn ranks(xs: &mut [f64], lower: bool, idx: &mut Vec<usize>, percentile: bool) {
    idx.clear();
    idx.extend((0..xs.len()).filter(|&i| !xs[i].is_nan()));
    let sign = if lower { -1.0 } else { 1.0 };
    idx.sort_unstable_by(|&a, &b| (sign * xs[a]).total_cmp(&(sign * xs[b])).then(a.cmp(&b)));
    let m = idx.len();
    let mut start = 0;
    while start < m {
        let v = xs[idx[start]];
        let mut end = start + 1;
        while end < m && xs[idx[end]] == v {
            end += 1;
        }
        // Positions start..end (0-based) share rank mean(start+1 ..= end).
        let rank = (start + 1 + end) as f64 / 2.0;
        let value = if !percentile {
            rank
        } else if m > 1 {
            (rank - 1.0) / (m - 1) as f64
        } else {
            0.5
        };
        for &i in &idx[start..end] {
            xs[i] = value;
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(m: Normalisation, dir: Direction, xs: &[f64]) -> Vec<f64> {
        let p = Params {
            direction: dir,
            goalposts: Some((0.0, 10.0)),
            target: Some(8.0),
        };
        let mut v = xs.to_vec();
        normalise(m, &p, &mut v, &mut Vec::new());
        v
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!(
                (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12,
                "{a:?} vs {b:?}"
            );
        }
    }

    const NAN: f64 = f64::NAN;
    use Direction::*;
    use Normalisation::*;

    #[test]
    fn min_max_known_answers() {
        close(
            &run(MinMax, Higher, &[2.0, 4.0, 6.0, NAN]),
            &[0.0, 0.5, 1.0, NAN],
        );
        close(&run(MinMax, Lower, &[2.0, 4.0, 6.0]), &[1.0, 0.5, 0.0]);
        close(&run(MinMax, Higher, &[3.0, 3.0]), &[0.5, 0.5]);
        close(&run(MinMax, Higher, &[3.0]), &[0.5]);
        close(&run(MinMax, Higher, &[NAN, NAN]), &[NAN, NAN]);
    }

    #[test]
    fn z_score_known_answers() {
        // mean 4, sd 2
        close(&run(ZScore, Higher, &[2.0, 4.0, 6.0]), &[-1.0, 0.0, 1.0]);
        close(&run(ZScore, Lower, &[2.0, 4.0, 6.0]), &[1.0, 0.0, -1.0]);
        close(&run(ZScore, Higher, &[5.0, 5.0, NAN]), &[0.0, 0.0, NAN]);
        close(&run(ZScore, Higher, &[5.0]), &[0.0]);
    }

    #[test]
    fn ranks_average_ties() {
        close(
            &run(Rank, Higher, &[10.0, 30.0, 20.0, 20.0]),
            &[1.0, 4.0, 2.5, 2.5],
        );
        close(&run(Rank, Lower, &[10.0, 30.0, NAN]), &[2.0, 1.0, NAN]);
        close(
            &run(PercentileRank, Higher, &[10.0, 30.0, 20.0]),
            &[0.0, 1.0, 0.5],
        );
        close(&run(PercentileRank, Higher, &[7.0, 7.0]), &[0.5, 0.5]);
        close(&run(PercentileRank, Higher, &[7.0]), &[0.5]);
        close(&run(Rank, Higher, &[7.0, 7.0, 7.0]), &[2.0, 2.0, 2.0]);
    }

    #[test]
    fn goalposts_and_target() {
        close(
            &run(Goalposts, Higher, &[-1.0, 2.5, 12.0, NAN]),
            &[0.0, 0.25, 1.0, NAN],
        );
        close(&run(Goalposts, Lower, &[2.5]), &[0.75]);
        close(
            &run(DistanceToTarget, Higher, &[4.0, 8.0, 16.0]),
            &[0.5, 1.0, 1.0],
        );
        close(&run(DistanceToTarget, Lower, &[4.0, 16.0]), &[1.0, 0.5]);
        close(&run(None, Higher, &[0.3, NAN]), &[0.3, NAN]);
    }

    #[test]
    fn every_method_on_edge_cases() {
        for id in Normalisation::ALL_IDS {
            let m = Normalisation::parse(id).unwrap();
            // all missing stays missing
            assert!(
                run(m, Higher, &[NAN, NAN]).iter().all(|x| x.is_nan()),
                "{id}"
            );
            // empty input is fine
            assert!(run(m, Higher, &[]).is_empty());
            // a constant column gives one value to every unit, never NaN
            let c = run(m, Higher, &[4.0, 4.0, 4.0]);
            assert!(c.iter().all(|x| !x.is_nan() && *x == c[0]), "{id}: {c:?}");
            // a single unit equals the constant-column value of its method
            let one = run(m, Higher, &[4.0]);
            let want = match m {
                Rank => 1.0,
                _ => c[0],
            };
            assert_eq!(one, [want], "{id}");
        }
    }

    #[test]
    fn ids_round_trip() {
        for id in Normalisation::ALL_IDS {
            assert_eq!(Normalisation::parse(id).unwrap().id(), id);
        }
    }

    #[test]
    fn goalposts_column_equals_one_by_one_bit_for_bit() {
        let xs = [-3.0, 0.0, 0.1, 2.5, 7.3, 10.0, 12.0, NAN, 1e-300, -0.0];
        for dir in [Higher, Lower] {
            let p = Params {
                direction: dir,
                goalposts: Some((0.3, 9.7)),
                target: Option::None,
            };
            let mut col = xs.to_vec();
            normalise(Goalposts, &p, &mut col, &mut Vec::new());
            let mut into = vec![0.0; xs.len()];
            normalise_into(Goalposts, &p, &xs, &mut into, &mut Vec::new());
            for (a, b) in col.iter().zip(&into) {
                assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()));
            }
            for (x, got) in xs.iter().zip(&col) {
                let want = normalise_one(Goalposts, &p, *x);
                assert!(
                    got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                    "{dir:?} {x}: {got} vs {want}"
                );
            }
        }
    }
}
