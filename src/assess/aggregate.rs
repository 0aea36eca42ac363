//! Aggregation: combine a unit's normalised child values into its parent's
//! value with weights (OECD/JRC Handbook §6).
//!
//! Rules:
//! - weights are re-normalised over the children that have data, so a missing
//!   child neither counts as zero nor drags the score down;
//! - when the share of children with data is below the node's
//!   `min_coverage`, or no child has data, the aggregate is missing (NaN):
//!   a value is never invented from too little data;
//! - zeros: the geometric and harmonic means of values containing a zero
//!   (with positive weight) are 0 — their limit, and the point of a
//!   non-compensatory mean: a total failure on one child cannot be bought
//!   back by the others; a negative value makes them undefined, so the
//!   aggregate is missing (frameworks refuse z-scores under these means).

/// An aggregation method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// Σ wᵢ xᵢ / Σ wᵢ
    Arithmetic,
    /// Π xᵢ^(wᵢ / Σ w)
    Geometric,
    /// Σ wᵢ / Σ (wᵢ / xᵢ)
    Harmonic,
}

impl Aggregation {
    pub const ALL_IDS: [&'static str; 3] = ["arithmetic", "geometric", "harmonic"];

    pub fn parse(s: &str) -> Option<Aggregation> {
        match s {
            "arithmetic" => Some(Aggregation::Arithmetic),
            "geometric" => Some(Aggregation::Geometric),
            "harmonic" => Some(Aggregation::Harmonic),
            _ => None,
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Aggregation::Arithmetic => "arithmetic",
            Aggregation::Geometric => "geometric",
            Aggregation::Harmonic => "harmonic",
        }
    }
    /// Geometric and harmonic means are defined only for values >= 0.
    pub fn needs_positive(self) -> bool {
        !matches!(self, Aggregation::Arithmetic)
    }
}

/// Aggregate `(value, weight)` pairs of `total` children; NaN values are missing.
///
/// One pass over the children (the simulator calls this for every unit and
/// pillar every quarter): counts, weight sum and the weighted accumulation
/// are gathered together; under the geometric and harmonic means the first
/// negative child makes the result missing and the first zero makes it 0.
pub fn aggregate<I>(method: Aggregation, pairs: I, total: usize, min_coverage: f64) -> f64
where
    I: Iterator<Item = (f64, f64)> + Clone,
{
    let (mut count, mut wsum, mut acc) = (0usize, 0.0, 0.0);
    let mut first_special: Option<f64> = None;
    for (v, w) in pairs {
        if v.is_nan() {
            continue;
        }
        count += 1;
        wsum += w;
        if w <= 0.0 {
            continue;
        }
        match method {
            Aggregation::Arithmetic => acc += v * w,
            Aggregation::Geometric | Aggregation::Harmonic if first_special.is_none() => {
                if v < 0.0 {
                    first_special = Some(f64::NAN);
                } else if v == 0.0 {
                    first_special = Some(0.0);
                } else if method == Aggregation::Geometric {
                    acc += w * v.ln();
                } else {
                    acc += w / v;
                }
            }
            _ => {}
        }
    }
    if count == 0 || wsum <= 0.0 || (count as f64) < min_coverage * total as f64 - 1e-12 {
        return f64::NAN;
    }
    match method {
        Aggregation::Arithmetic => acc / wsum,
        _ if first_special.is_some() => first_special.unwrap_or(f64::NAN),
        Aggregation::Geometric => (acc / wsum).exp(),
        Aggregation::Harmonic => wsum / acc,
    }
}

/// Running sums of one node's aggregation, one entry per unit, for
/// [`accumulate_column`] and [`finish_columns`].
#[derive(Debug, Default, Clone)]
pub struct ColumnSums {
    count: Vec<u32>,
    wsum: Vec<f64>,
    acc: Vec<f64>,
}

impl ColumnSums {
    /// Size the sums for `n` units (allocates only when growing); the
    /// first [`accumulate_column`] of a node overwrites them.
    pub fn resize(&mut self, n: usize) {
        self.count.resize(n, 0);
        self.wsum.resize(n, 0.0);
        self.acc.resize(n, 0.0);
    }
}

/// Add one child column (`values[i]` for unit i, weight `w`) to the
/// arithmetic sums of every unit; `first` starts the sums afresh from zero.
/// Children are added in declared order, so each unit's sums are those
/// [`aggregate`] forms: a missing value adds nothing (adding `0.0` to a sum
/// that starts at `+0.0` leaves it bit for bit unchanged). Branch-free, so
/// the loop vectorises — the simulator scores every unit every quarter.
pub fn accumulate_column(sums: &mut ColumnSums, values: &[f64], w: f64, first: bool) {
    let take = w > 0.0;
    let n = values.len();
    let (count, wsum, acc) = (
        &mut sums.count[..n],
        &mut sums.wsum[..n],
        &mut sums.acc[..n],
    );
    for (((&v, c), ws), a) in values.iter().zip(count).zip(wsum).zip(acc) {
        let present = !v.is_nan();
        let (c0, ws0, a0) = if first { (0, 0.0, 0.0) } else { (*c, *ws, *a) };
        *c = c0 + present as u32;
        *ws = ws0 + if present { w } else { 0.0 };
        *a = a0 + if present && take { v * w } else { 0.0 };
    }
}

/// The arithmetic aggregate of every unit from its sums over `total`
/// children: the value [`aggregate`] gives with
/// [`Aggregation::Arithmetic`].
pub fn finish_columns(sums: &ColumnSums, total: usize, min_coverage: f64, out: &mut [f64]) {
    let need = min_coverage * total as f64 - 1e-12;
    let parts = sums.count.iter().zip(&sums.wsum).zip(&sums.acc);
    for (o, ((&c, &ws), &a)) in out.iter_mut().zip(parts) {
        let missing = c == 0 || ws <= 0.0 || (c as f64) < need;
        *o = if missing { f64::NAN } else { a / ws };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Aggregation::*;

    fn agg(m: Aggregation, vals: &[f64], ws: &[f64], cov: f64) -> f64 {
        aggregate(
            m,
            vals.iter().copied().zip(ws.iter().copied()),
            vals.len(),
            cov,
        )
    }

    #[test]
    fn known_answers() {
        assert!((agg(Arithmetic, &[0.2, 0.4, 0.9], &[1.0, 1.0, 1.0], 1.0) - 0.5).abs() < 1e-12);
        assert!((agg(Arithmetic, &[1.0, 0.0], &[3.0, 1.0], 1.0) - 0.75).abs() < 1e-12);
        // geometric of 1 and 4 with equal weights = 2
        assert!((agg(Geometric, &[1.0, 4.0], &[1.0, 1.0], 1.0) - 2.0).abs() < 1e-12);
        // weighted: 8^(1/3) * 1^(2/3) = 2
        assert!((agg(Geometric, &[8.0, 1.0], &[1.0, 2.0], 1.0) - 2.0).abs() < 1e-12);
        // harmonic of 1 and 3 = 2 / (1 + 1/3) = 1.5
        assert!((agg(Harmonic, &[1.0, 3.0], &[1.0, 1.0], 1.0) - 1.5).abs() < 1e-12);
    }

    #[test]
    fn zeros_and_negatives() {
        assert_eq!(agg(Geometric, &[0.0, 0.9], &[1.0, 1.0], 1.0), 0.0);
        assert_eq!(agg(Harmonic, &[0.0, 0.9], &[1.0, 1.0], 1.0), 0.0);
        assert!(agg(Geometric, &[-0.1, 0.9], &[1.0, 1.0], 1.0).is_nan());
        // a zero with zero weight does not count
        assert!((agg(Geometric, &[0.0, 0.9], &[0.0, 1.0], 1.0) - 0.9).abs() < 1e-12);
        assert!((agg(Arithmetic, &[-1.0, 1.0], &[1.0, 1.0], 1.0)).abs() < 1e-12);
    }

    #[test]
    fn missing_and_coverage() {
        let nan = f64::NAN;
        // weights re-normalised over present children
        assert!((agg(Arithmetic, &[0.2, nan, 0.6], &[1.0, 1.0, 1.0], 0.5) - 0.4).abs() < 1e-12);
        assert!(agg(Arithmetic, &[0.2, nan, 0.6], &[1.0, 1.0, 1.0], 1.0).is_nan());
        assert!(agg(Arithmetic, &[nan, nan], &[1.0, 1.0], 0.0).is_nan());
        assert!(agg(Geometric, &[nan, nan], &[1.0, 1.0], 0.0).is_nan());
        // exactly at the threshold counts as enough
        assert!(!agg(Arithmetic, &[0.2, nan, 0.6], &[1.0, 1.0, 1.0], 2.0 / 3.0).is_nan());
        // single child
        assert_eq!(agg(Harmonic, &[0.3], &[2.0], 1.0), 0.3);
    }

    #[test]
    fn column_sums_equal_aggregate_bit_for_bit() {
        let nan = f64::NAN;
        // Children in columns; units in rows (some missing, a zero weight).
        let cols = [
            [0.2, nan, 0.7, nan, -0.0, 0.31],
            [0.4, 0.9, nan, nan, 0.5, 0.17],
            [0.9, 0.1, 0.3, nan, 0.25, 0.0],
        ];
        let ws = [1.0, 0.0, 3.0];
        for cov in [0.0, 0.5, 2.0 / 3.0, 1.0] {
            let mut sums = ColumnSums::default();
            sums.resize(6);
            for (k, (col, &w)) in cols.iter().zip(&ws).enumerate() {
                accumulate_column(&mut sums, col, w, k == 0);
            }
            let mut out = [0.0; 6];
            finish_columns(&sums, 3, cov, &mut out);
            for (i, o) in out.iter().enumerate() {
                let vals: Vec<f64> = cols.iter().map(|c| c[i]).collect();
                let want = agg(Arithmetic, &vals, &ws, cov);
                assert_eq!(o.to_bits(), want.to_bits(), "unit {i}, coverage {cov}");
            }
        }
    }
}
