//! Mechanism 3 — cross-system flow needs common standards (docs/model.md §3.3).
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
//!
//! A department runs several information systems (the catalogue's
//! `systems`, scaled by level). Its first system is the one the unit's
//! platform connects; each further system starts on a legacy standard of
//! its own with probability `legacy_share`, and under a standards lever
//! migrates onto the platform's standard with the lever's hazard. Data
//! crossing from a system of one department to a system of another (or
//! between two systems of one department) is fully usable when both
//! systems are on the platform's standard and `cross_standard_usability`
//! otherwise ([`system_usability`]).

use serde::{Deserialize, Serialize};

use super::check_all;
use super::platforms::LevelCosts;
use crate::catalog::Level;
use crate::error::InputError;

/// `[standards]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StandardsParams {
    /// Usable share of data crossing two different standards (0–1).
    pub cross_standard_usability: f64,
    /// Usable share of data leaving a legacy departmental system (no platform) (0–1).
    pub legacy_usability: f64,
    /// Share of a department's further systems (beyond the one its platform
    /// connects) that start on a legacy standard of their own (0–1).
    pub legacy_share: f64,
    /// Multiplier of the catalogue's systems per department, by level.
    pub systems_by_level: LevelCosts,
    /// Yearly hazard with which a platform adopts the national standard on
    /// its own, while no standards lever is in force (0–1 per year).
    pub spontaneous_pace: f64,
}

impl Default for StandardsParams {
    fn default() -> Self {
        StandardsParams {
            cross_standard_usability: 0.55,
            legacy_usability: 0.5,
            legacy_share: 0.8,
            systems_by_level: LevelCosts {
                province: 1.0,
                city: 1.0,
                county: 0.5,
                township: 0.25,
            },
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
                ("legacy_share", self.legacy_share, 0.0, 1.0),
                (
                    "systems_by_level.province",
                    self.systems_by_level.province,
                    0.0,
                    10.0,
                ),
                (
                    "systems_by_level.city",
                    self.systems_by_level.city,
                    0.0,
                    10.0,
                ),
                (
                    "systems_by_level.county",
                    self.systems_by_level.county,
                    0.0,
                    10.0,
                ),
                (
                    "systems_by_level.township",
                    self.systems_by_level.township,
                    0.0,
                    10.0,
                ),
                ("spontaneous_pace", self.spontaneous_pace, 0.0, 1.0),
            ],
        )
    }

    /// Mean systems of a department of a type with `systems` at `level`
    /// (before rounding; every department runs at least one).
    pub fn systems_at(&self, systems: f64, level: Level) -> f64 {
        systems * self.systems_by_level.at(level)
    }
}

/// Systems of the `i`-th department (0-based, in department order) of one
/// type and level with mean `x` systems: cumulative rounding, so any `n`
/// consecutive departments hold `n x` systems to within one and an integer
/// `x` gives every department exactly `x`; at least one each.
pub fn systems_of(x: f64, i: usize) -> u32 {
    // Truncation is `floor` here (k x + ½ > 0), without a libm call: this
    // runs for every department of every replicate that draws its world.
    let cum = |k: usize| (k as f64 * x + 0.5) as u64;
    (cum(i + 1).saturating_sub(cum(i)) as u32).max(1)
}

/// Usable share of the platform-side data between two departments (or two
/// units' departments) whose systems are on the platform's standard in the
/// shares `fa` and `fb`: system pairs both on it are fully usable, every
/// other pair crosses standards. Written as `1 − loss × (1 − fa fb)` so one
/// system per department (fa = fb = 1) gives exactly 1.
#[inline]
pub fn system_usability(p: &StandardsParams, fa: f64, fb: f64) -> f64 {
    1.0 - (1.0 - p.cross_standard_usability) * (1.0 - fa * fb)
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
            ..Default::default()
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
            ..Default::default()
        };
        assert!((horizontal_usability(&p, 1.0, 0.5, false) - (0.5 + 0.5 * 0.55)).abs() < 1e-12);
        assert_eq!(horizontal_usability(&p, 1.0, 0.5, true), 1.0);
        assert_eq!(horizontal_usability(&p, 0.0, 0.5, true), 0.4);
        // half the departments on the platform: halfway between
        assert!((horizontal_usability(&p, 0.5, 0.5, true) - 0.7).abs() < 1e-12);
        assert!((vertical_usability(0.8, 0.55) - (0.8 + 0.2 * 0.55)).abs() < 1e-12);
    }

    #[test]
    fn systems_round_cumulatively() {
        let counts: Vec<u32> = (0..10).map(|i| systems_of(3.7, i)).collect();
        assert_eq!(counts.iter().sum::<u32>(), 37);
        assert!(counts.iter().all(|&k| k == 3 || k == 4));
        assert!((0..5).all(|i| systems_of(4.0, i) == 4));
        assert!((0..5).all(|i| systems_of(0.2, i) == 1));
        let p = StandardsParams::default();
        assert_eq!(p.systems_at(3.7, Level::County), 1.85);
    }

    #[test]
    fn system_usability_hand_values() {
        let p = StandardsParams::default();
        assert_eq!(system_usability(&p, 1.0, 1.0), 1.0);
        // Two departments with one of two and one of four systems on the
        // standard: 1/8 of system pairs usable in full, the rest at 0.55.
        let x = system_usability(&p, 0.5, 0.25);
        assert!((x - (0.125 + 0.875 * 0.55)).abs() < 1e-12);
    }

    #[test]
    fn quarterly_hazard_compounds_to_yearly() {
        let q = quarterly_hazard(0.5);
        assert!(((1.0 - q).powi(4) - 0.5).abs() < 1e-12);
        assert_eq!(quarterly_hazard(0.0), 0.0);
    }
}
