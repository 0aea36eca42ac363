//! Mechanism 3 — cross-system flow needs common standards (MODEL.md §3.3).
//!
//! Every exchange platform carries a data standard; a department with no
//! platform uses its own legacy system. Vertically managed departments keep
//! a share `vertical` of their data in the line ministry's own system,
//! which speaks the line's (national) standard. Data crossing between two
//! different standards is only partly usable (`cross_standard_usability`);
//! on the same standard it is fully usable. Under a standards lever
//! (`provincial` / `national`) each platform adopts the common standard
//! with a yearly hazard `pace`; without a lever, a platform may adopt the
//! national standard on its own with the yearly hazard `spontaneous_pace`
//! (national standards for data sharing exist; 0 by default, since how many
//! builders follow them unasked is not known, and it decides much of the
//! comparison of local and provincial builds). Once every platform of a province shares one
//! standard, cross-system usability is 1 inside it (and with line systems
//! too when the standard is national) for the departments that have moved
//! onto the platforms; those still on legacy systems exchange at
//! `legacy_usability` (`platforms::connect_departments`). This is the interoperability view of
//! the e-government integration literature (Scholl & Klischewski 2007;
//! the EU European Interoperability Framework).

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[standards]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StandardsParams {
    /// Usable share of data crossing two different standards (0–1).
    pub cross_standard_usability: f64,
    /// Usable share of data leaving a legacy departmental system (no platform) (0–1).
    pub legacy_usability: f64,
    /// Yearly hazard with which a platform adopts the national standard on
    /// its own, while no standards lever is in force (0–1 per year).
    pub spontaneous_pace: f64,
}

impl Default for StandardsParams {
    fn default() -> Self {
        StandardsParams {
            cross_standard_usability: 0.55,
            legacy_usability: 0.5,
            spontaneous_pace: 0.0,
        }
    }
}

impl StandardsParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[
                (
                    "cross_standard_usability",
                    self.cross_standard_usability,
                    0.0,
                    1.0,
                ),
                ("legacy_usability", self.legacy_usability, 0.0, 1.0),
                ("spontaneous_pace", self.spontaneous_pace, 0.0, 1.0),
            ],
        )
    }
}

/// Quarterly adoption probability for a yearly adoption hazard `pace`.
pub fn quarterly_hazard(pace_per_year: f64) -> f64 {
    1.0 - (1.0 - pace_per_year.clamp(0.0, 1.0)).powf(0.25)
}

/// Usability between two platform standards (`None` = legacy system).
#[inline]
pub fn usability(p: &StandardsParams, a: Option<u32>, b: Option<u32>) -> f64 {
    match (a, b) {
        (Some(x), Some(y)) if x == y => 1.0,
        (Some(_), Some(_)) => p.cross_standard_usability,
        _ => p.legacy_usability,
    }
}

/// Usability of a department's data on a horizontal link inside a unit.
///
/// `on_platform` is the share of the unit's departments working on its
/// platform (0 when the unit is not connected); the rest are still on
/// legacy systems. On the platform, the platform share `1 − vertical` is
/// fully usable (both sides on the same platform) and the line share
/// `vertical` crosses from the line standard to the unit's platform
/// standard (`line_match`: 1 when the platform runs the national standard).
#[inline]
pub fn horizontal_usability(
    p: &StandardsParams,
    on_platform: f64,
    vertical: f64,
    line_match: bool,
) -> f64 {
    let line = if line_match {
        1.0
    } else {
        p.cross_standard_usability
    };
    let platform = (1.0 - vertical) + vertical * line;
    on_platform * platform + (1.0 - on_platform) * p.legacy_usability
}

/// Usability of a vertical link: the line share travels on the line system
/// (one standard from top to bottom); the platform share crosses between the
/// two units' platforms.
#[inline]
pub fn vertical_usability(vertical: f64, platforms: f64) -> f64 {
    vertical + (1.0 - vertical) * platforms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_standard_is_fully_usable() {
        let p = StandardsParams {
            cross_standard_usability: 0.55,
            legacy_usability: 0.4,
            spontaneous_pace: 0.05,
        };
        assert_eq!(usability(&p, Some(3), Some(3)), 1.0);
        assert_eq!(usability(&p, Some(3), Some(4)), 0.55);
        assert_eq!(usability(&p, None, Some(4)), 0.4);
    }

    #[test]
    fn horizontal_and_vertical_hand_values() {
        let p = StandardsParams {
            cross_standard_usability: 0.55,
            legacy_usability: 0.4,
            spontaneous_pace: 0.05,
        };
        assert!((horizontal_usability(&p, 1.0, 0.5, false) - (0.5 + 0.5 * 0.55)).abs() < 1e-12);
        assert_eq!(horizontal_usability(&p, 1.0, 0.5, true), 1.0);
        assert_eq!(horizontal_usability(&p, 0.0, 0.5, true), 0.4);
        // half the departments on the platform: halfway between
        assert!((horizontal_usability(&p, 0.5, 0.5, true) - 0.7).abs() < 1e-12);
        assert!((vertical_usability(0.8, 0.55) - (0.8 + 0.2 * 0.55)).abs() < 1e-12);
    }

    #[test]
    fn quarterly_hazard_compounds_to_yearly() {
        let q = quarterly_hazard(0.5);
        assert!(((1.0 - q).powi(4) - 0.5).abs() < 1e-12);
        assert_eq!(quarterly_hazard(0.0), 0.0);
    }
}
