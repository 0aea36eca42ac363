//! Mechanism 1 — cross-level flow is asymmetric (docs/model.md §3.1).
//!
//! A vertical link joins a department to the same department type one level
//! up. Every quarter each link carries one upward and one downward exchange
//! attempt. Upward reporting is mandated by the hierarchy: a share
//! `up_mandate` of it goes through whatever the provider's barriers, the rest
//! faces them. Downward return is a request the upper department may grant:
//! only `down_release` (plus `agency_release` once a data-management agency
//! coordinates data return, §3.8) is routine, the rest faces the *upper*
//! department's barriers, and the lower unit must be able to absorb the data
//! (`absorb_base` plus its talent). Both directions are scaled by the link's
//! cross-system usability (§3.3). The asymmetry is thus a property of
//! hierarchical authority (Lieberthal & Oksenberg 1988 on fragmented
//! authoritarianism; the "data return" problem of grassroots governments in
//! the source), not a fixed output.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// Parameters of vertical flow (scenario section `[flow]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlowParams {
    /// Share of upward reporting enforced by the hierarchy regardless of barriers (0–1).
    pub up_mandate: f64,
    /// Share of downward requests released as routine (0–1).
    pub down_release: f64,
    /// Extra routine downward release once a data-management agency acts (0–1).
    pub agency_release: f64,
    /// Absorptive capacity of a lower unit with no talent (0–1); talent adds the rest.
    pub absorb_base: f64,
}

impl Default for FlowParams {
    fn default() -> Self {
        FlowParams {
            up_mandate: 0.8,
            down_release: 0.1,
            agency_release: 0.3,
            absorb_base: 0.5,
        }
    }
}

impl FlowParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[
                ("up_mandate", self.up_mandate, 0.0, 1.0),
                ("down_release", self.down_release, 0.0, 1.0),
                ("agency_release", self.agency_release, 0.0, 1.0),
                ("absorb_base", self.absorb_base, 0.0, 1.0),
            ],
        )
    }
}

/// Probability that an upward exchange succeeds.
///
/// `willing` is the provider's barrier-free share `(1 − dare_not)(1 − unwilling)`,
/// `usability` the link's cross-system usability.
#[inline]
pub fn p_up(mandate: f32, willing: f32, usability: f32) -> f32 {
    usability * (mandate + (1.0 - mandate) * willing)
}

/// Probability that a downward exchange succeeds.
///
/// `release` is the routine release share (base plus agency), `willing_upper`
/// the upper department's barrier-free share, `absorb` the lower unit's
/// absorptive capacity.
#[inline]
pub fn p_down(release: f32, willing_upper: f32, absorb: f32, usability: f32) -> f32 {
    usability * absorb * (release + (1.0 - release) * willing_upper)
}

/// Absorptive capacity of a unit with the given talent.
#[inline]
pub fn absorb(absorb_base: f32, talent: f32) -> f32 {
    absorb_base + (1.0 - absorb_base) * talent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_values() {
        // 0.9 * (0.8 + 0.2 * 0.5) = 0.81
        assert!((p_up(0.8, 0.5, 0.9) - 0.81).abs() < 1e-6);
        // 0.9 * 0.75 * (0.1 + 0.9 * 0.5) = 0.37125
        assert!((p_down(0.1, 0.5, 0.75, 0.9) - 0.37125).abs() < 1e-6);
        assert!((absorb(0.5, 0.5) - 0.75).abs() < 1e-6);
    }

    #[test]
    fn up_exceeds_down_for_same_barriers_under_defaults() {
        let p = FlowParams::default();
        for w in [0.0f32, 0.3, 0.6, 0.9] {
            let up = p_up(p.up_mandate as f32, w, 1.0);
            let down = p_down(p.down_release as f32, w, 1.0, 1.0);
            assert!(up > down, "willing {w}");
        }
    }

    #[test]
    fn validation_names_the_key() {
        let p = FlowParams {
            up_mandate: 1.5,
            ..Default::default()
        };
        let e = p.validate("flow").unwrap_err();
        assert_eq!(e.location.key.as_deref(), Some("flow.up_mandate"));
    }
}
