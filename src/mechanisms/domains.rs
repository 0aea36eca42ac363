//! Mechanism 5 — domains differ (docs/model.md §3.5).
//!
//! Collaboration in a domain at a unit is a stock that moves towards a
//! target with the domain's time-to-results (`lag_quarters`):
//!
//! ```text
//! x      = horizontal_weight · sharing among the domain's departments
//!          + (1 − horizontal_weight) · vertical flow of those departments
//! x'     = x + (1 − x) · innovation boost          (adopted reuse, §3.9)
//! target = 100 · x'^(1 + complexity)
//! C     += (target − C) / lag_quarters
//! ```
//!
//! The exponent expresses conjunction: a complex domain needs many
//! departments to line up at once, so a given pairwise success rate yields
//! less collaboration (the "weakest link" logic of joined-up government,
//! Pollitt 2003). Grassroots overload and top-down push enter through the
//! barriers on the domain's links (`mechanisms::sharing`,
//! `mechanisms::coordination`); nothing here singles out a domain by name.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[domains]` (model parameters; the domain catalogue itself is `[catalog]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DomainParams {
    /// Weight of horizontal sharing against vertical flow (0–1).
    pub horizontal_weight: f64,
}

impl Default for DomainParams {
    fn default() -> Self {
        DomainParams {
            horizontal_weight: 0.6,
        }
    }
}

impl DomainParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[("horizontal_weight", self.horizontal_weight, 0.0, 1.0)],
        )
    }
}

/// Target collaboration (0–100) from the blended success rate `x` (0–1),
/// the innovation boost (0–1) and the domain's complexity.
#[inline]
pub fn target(x: f64, boost: f64, complexity: f64) -> f64 {
    let x = (x + (1.0 - x) * boost).clamp(0.0, 1.0);
    100.0 * x.powf(1.0 + complexity)
}

/// One quarter of movement of the stock towards its target.
#[inline]
pub fn step(stock: f64, target: f64, lag_quarters: f64) -> f64 {
    approach(stock, target, 1.0 / lag_quarters.max(1.0))
}

/// Close the share `rate` (0–1) of the gap to the target: the step loop
/// passes precomputed rates (`speed / lag`) to avoid a division per domain.
#[inline]
pub fn approach(stock: f64, target: f64, rate: f64) -> f64 {
    stock + (target - stock) * rate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_values() {
        assert!((target(0.5, 0.0, 1.0) - 25.0).abs() < 1e-9);
        assert!((target(0.5, 0.2, 0.0) - 60.0).abs() < 1e-9);
        assert!((step(0.0, 40.0, 4.0) - 10.0).abs() < 1e-12);
        assert!((step(0.0, 40.0, 0.5) - 40.0).abs() < 1e-12);
    }

    #[test]
    fn complexity_lowers_collaboration_for_the_same_success() {
        for x in [0.2, 0.5, 0.8] {
            assert!(target(x, 0.0, 0.8) < target(x, 0.0, 0.3));
        }
    }
}
