//! Service outcomes: services online and the share handled with zero visits
//! (docs/model.md §5; reference figures: Guangdong's citizen app integrates about
//! 1,190 high-frequency services, 983 of them with zero visits).
//!
//! Services are re-engineered one by one, and a service once online stays
//! online: both shares are stocks that grow by conversion, not levels that
//! follow this quarter's conditions.
//!
//! - *Readiness* to put a service online: `(base + (1 − base)·platform) ·
//!   (½ + ½·public-services collaboration) · (½ + ½·talent)`, with
//!   platform = connected share of departments × fit (re-engineering a process takes people who
//!   can do it). Each quarter a share `readiness / lag_quarters` of the services
//!   not yet online goes online.
//! - *Integration* to serve it with zero visits (the data behind it fetched
//!   from other departments and returned from the levels above instead of
//!   carried by the applicant): `public-services collaboration · (½ + ½·
//!   downward flow)`. Each quarter a share `integration / zero_visit_lag`
//!   of the online services not yet zero-visit becomes so.
//!
//! So places with platforms and collaboration approach full coverage within
//! a few years, places without stay lower, and no share ever exceeds the
//! online share. Aimed at (`docs/parameters.md`): a leading province at
//! about 90% online and 80% zero-visit after five to eight years, the
//! order of Guangdong's 粤省事 (983 of ~1,190 services with zero visits) and
//! of 92.5% of provincial licensing items online with at most one visit by
//! 2024 (`observed/national_platform_and_internet_indicators.csv`).

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[services]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceParams {
    /// Share of services online without any local exchange platform (line systems) (0–1).
    pub base_online: f64,
    /// Quarters to put a service online at full readiness (the inverse of the conversion rate).
    pub lag_quarters: f64,
    /// Quarters to make an online service zero-visit at full integration.
    pub zero_visit_lag: f64,
    /// Initial share of the target already reached (0–1).
    pub initial_share: f64,
}

impl Default for ServiceParams {
    fn default() -> Self {
        ServiceParams {
            base_online: 0.3,
            lag_quarters: 4.0,
            zero_visit_lag: 3.0,
            initial_share: 0.5,
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
                ("zero_visit_lag", self.zero_visit_lag, 1.0, 100.0),
                ("initial_share", self.initial_share, 0.0, 1.0),
            ],
        )
    }

    /// Readiness (0–1) to put services online, from platform service
    /// (connected share × fit), public-services collaboration and the talent to
    /// re-engineer processes (all 0–1).
    pub fn readiness(&self, platform: f64, public_services: f64, talent: f64) -> f64 {
        (self.base_online + (1.0 - self.base_online) * platform)
            * (0.5 + 0.5 * public_services)
            * (0.5 + 0.5 * talent)
    }

    /// Integration (0–1) to serve online services with zero visits, from
    /// public-services collaboration and downward flow (0–1).
    pub fn integration(&self, public_services: f64, flow_down: f64) -> f64 {
        public_services * (0.5 + 0.5 * flow_down)
    }

    /// One quarter of conversion of the shares (online %, zero-visit %);
    /// `speed` divides the lags (coordinating capacity, `coordination`).
    pub fn convert(
        &self,
        shares: (f64, f64),
        readiness: f64,
        integration: f64,
        speed: f64,
    ) -> (f64, f64) {
        let (online, zero) = shares;
        let lag = |l: f64| (l / speed).max(1.0);
        let online = online + (100.0 - online) * readiness / lag(self.lag_quarters);
        let zero = zero + (online - zero).max(0.0) * integration / lag(self.zero_visit_lag);
        (online, zero.min(online))
    }

    /// Shares before any strategy acts: `initial_share` of what readiness
    /// and integration allow.
    pub fn initial(&self, readiness: f64, integration: f64) -> (f64, f64) {
        let online = 100.0 * readiness * self.initial_share;
        (online, online * integration * self.initial_share)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_values() {
        let p = ServiceParams::default();
        assert!((p.readiness(1.0, 0.5, 1.0) - 0.75).abs() < 1e-12);
        assert!((p.readiness(0.0, 0.0, 0.0) - 0.075).abs() < 1e-12);
        assert!((p.integration(0.5, 0.2) - 0.3).abs() < 1e-12);
        // 40 + 60·0.5/4 = 47.5; zero: 10 + (47.5 − 10)·0.4/3 = 15.
        let (o, z) = p.convert((40.0, 10.0), 0.5, 0.4, 1.0);
        assert!((o - 47.5).abs() < 1e-12 && (z - 15.0).abs() < 1e-12);
        // Twice the speed halves the lags.
        let (o2, _) = p.convert((40.0, 10.0), 0.5, 0.4, 2.0);
        assert!((o2 - 55.0).abs() < 1e-12);
    }

    #[test]
    fn shares_only_grow_and_zero_visit_stays_below_online() {
        let p = ServiceParams::default();
        for r in [0.0, 0.3, 1.0] {
            for i in [0.0, 0.5, 1.0] {
                let (mut o, mut z) = p.initial(r, i);
                for _ in 0..40 {
                    let (o2, z2) = p.convert((o, z), r, i, 1.0);
                    assert!(o2 >= o && z2 >= z && z2 <= o2 && o2 <= 100.0);
                    (o, z) = (o2, z2);
                }
            }
        }
        // Without integration no service becomes zero-visit.
        let (_, z) = p.convert((50.0, 0.0), 1.0, 0.0, 1.0);
        assert_eq!(z, 0.0);
    }
}
