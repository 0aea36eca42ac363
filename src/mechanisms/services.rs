//! Service outcomes: services online and the share handled with zero visits
//! (MODEL.md §5; reference figures: Guangdong's citizen app integrates about
//! 1,190 high-frequency services, 983 of them with zero visits).
//!
//! Services go online when a platform serves the unit and the public-service
//! departments collaborate: `online target = 100·(base + (1 − base)·platform)
//! ·(½ + ½·public-services collaboration)`. A zero-visit service also needs
//! the data behind it shared and returned to the handling level:
//! `zero-visit target = online target · public-services collaboration ·
//! (½ + ½·downward flow)`. Both move towards their targets with
//! `lag_quarters` (the time to re-engineer processes).

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[services]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceParams {
    /// Share of services online without any local exchange platform (line systems) (0–1).
    pub base_online: f64,
    /// Quarters for services to catch up with their target.
    pub lag_quarters: f64,
    /// Initial share of the target already reached (0–1).
    pub initial_share: f64,
}

impl Default for ServiceParams {
    fn default() -> Self {
        ServiceParams {
            base_online: 0.3,
            lag_quarters: 4.0,
            initial_share: 0.6,
        }
    }
}

impl ServiceParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[
                ("base_online", self.base_online, 0.0, 1.0),
                ("lag_quarters", self.lag_quarters, 1.0, 100.0),
                ("initial_share", self.initial_share, 0.0, 1.0),
            ],
        )
    }

    /// Targets (online %, zero-visit %) from platform service (connected × fit),
    /// public-services collaboration (0–1) and downward flow (0–1).
    pub fn targets(&self, platform: f64, public_services: f64, flow_down: f64) -> (f64, f64) {
        let online = 100.0
            * (self.base_online + (1.0 - self.base_online) * platform)
            * (0.5 + 0.5 * public_services);
        let zero = online * public_services * (0.5 + 0.5 * flow_down);
        (online, zero)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_values_and_zero_visit_below_online() {
        let p = ServiceParams::default();
        let (on, zv) = p.targets(1.0, 0.5, 0.2);
        assert!((on - 75.0).abs() < 1e-12);
        assert!((zv - 75.0 * 0.5 * 0.6).abs() < 1e-12);
        let (on0, _) = p.targets(0.0, 0.0, 0.0);
        assert!((on0 - 15.0).abs() < 1e-12);
        for pl in [0.0, 0.5, 1.0] {
            for ps in [0.0, 0.5, 1.0] {
                let (o, z) = p.targets(pl, ps, 1.0);
                assert!(z <= o && o <= 100.0);
            }
        }
    }
}
