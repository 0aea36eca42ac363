//! Mechanism 7 — institutions lag; reforms lower the *dare not* and
//! *unwilling* barriers (docs/model.md §3.7).
//!
//! Four reforms — data property rights, revenue distribution,
//! circulation/trading, security governance — each start at a year with a
//! strength (0–1) and phase in linearly over `ramp_years` (rules take time
//! to be written down and enforced locally). Their effect at a unit is
//! scaled by the unit's institutional completeness: places with complete
//! local rules and plans implement national reforms better (the source's
//! second regional driver). Property rights, revenue distribution and
//! circulation relieve *unwilling*; security governance relieves
//! *dare not* (see `mechanisms::sharing`).

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[institutions]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstitutionParams {
    /// Years for a reform to reach full strength.
    pub ramp_years: f64,
    /// Share of a reform's effect realised at zero institutional completeness (0–1).
    pub completeness_floor: f64,
}

impl Default for InstitutionParams {
    fn default() -> Self {
        InstitutionParams {
            ramp_years: 2.0,
            completeness_floor: 0.4,
        }
    }
}

impl InstitutionParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[
                ("ramp_years", self.ramp_years, 0.0, 50.0),
                ("completeness_floor", self.completeness_floor, 0.0, 1.0),
            ],
        )
    }

    /// Share of a reform realised at a unit with the given completeness.
    pub fn local_share(&self, completeness: f64) -> f64 {
        self.completeness_floor + (1.0 - self.completeness_floor) * completeness
    }
}

/// One reform lever: the year it starts (1 = the first simulated year) and its strength.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reform {
    pub year: f64,
    pub strength: f64,
}

impl Reform {
    /// Reform level after `elapsed_years` of simulated time (0 at the start).
    pub fn level(&self, elapsed_years: f64, ramp_years: f64) -> f64 {
        let since = elapsed_years - (self.year - 1.0);
        if since <= 0.0 {
            return 0.0;
        }
        let ramp = if ramp_years <= 0.0 {
            1.0
        } else {
            (since / ramp_years).min(1.0)
        };
        self.strength * ramp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_in_from_its_year() {
        let r = Reform {
            year: 2.0,
            strength: 0.8,
        };
        assert_eq!(r.level(0.5, 2.0), 0.0); // still year 1
        assert_eq!(r.level(1.0, 2.0), 0.0); // start of year 2
        assert!((r.level(2.0, 2.0) - 0.4).abs() < 1e-12);
        assert!((r.level(5.0, 2.0) - 0.8).abs() < 1e-12);
        assert!((r.level(1.25, 0.0) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn completeness_scales_the_effect() {
        let p = InstitutionParams::default();
        assert!((p.local_share(0.0) - 0.4).abs() < 1e-12);
        assert!((p.local_share(1.0) - 1.0).abs() < 1e-12);
    }
}
