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
}
