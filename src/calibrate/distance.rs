//! The distance between simulated and observed targets.
//!
//! Rules: each target's discrepancy is scaled by its own uncertainty,
//! z = (simulated − observed) / sd, and the distance is the root mean
//! square of the z-scores, so it reads in standard deviations: a distance
//! of 1 means the simulation misses the targets by one sd on average. A
//! target the simulation does not produce (NaN) makes the distance
//! infinite, so the particle can never be accepted.

use super::targets::Target;

/// z-score of one simulated value.
pub fn z(sim: f64, t: &Target) -> f64 {
    (sim - t.value) / t.sd
}

/// Root mean square z-score over `targets` (`sim[k]` simulates
/// `targets[k]`); infinite when any value is missing.
pub fn distance(sim: &[f64], targets: &[Target]) -> f64 {
    if targets.is_empty() {
        return 0.0;
    }
    let mut ss = 0.0;
    for (s, t) in sim.iter().zip(targets) {
        let zk = z(*s, t);
        if !zk.is_finite() {
            return f64::INFINITY;
        }
        ss += zk * zk;
    }
    (ss / targets.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::super::targets::Kind;
    use super::*;

    fn t(value: f64, sd: f64) -> Target {
        Target {
            line: 2,
            kind: Kind::Value,
            scope: "world".into(),
            metric: "m".into(),
            year: 1,
            value,
            sd,
            threshold: None,
            source: String::new(),
            scope_index: 0,
            metric_index: 0,
            quarter: 4,
            province: None,
        }
    }

    #[test]
    fn rms_of_z_scores_by_hand() {
        let ts = [t(10.0, 2.0), t(0.0, 0.5)];
        // z = (14 − 10)/2 = 2 and (−0.5 − 0)/0.5 = −1: sqrt((4 + 1)/2).
        let d = distance(&[14.0, -0.5], &ts);
        assert!((d - 2.5f64.sqrt()).abs() < 1e-15);
        assert_eq!(distance(&[10.0, 0.0], &ts), 0.0);
        assert_eq!(distance(&[f64::NAN, 0.0], &ts), f64::INFINITY);
    }
}
