//! Mechanism 2 — cross-department sharing and its three barriers
//! (docs/model.md §3.2): *dare not* (不敢), *unwilling* (不愿), *unable* (不能).
//!
//! Each barrier is a separate share in [0, 1] and is reported as its own
//! metric. A provider department shares with a peer of the same unit with
//! probability
//!
//! ```text
//! p = (1 − dare_not) · (1 − unwilling) · (1 − unable) · usability · trust_factor
//! ```
//!
//! - `dare_not = w_dn · [(1 − q_s)·sensitivity + q_s·(1 − quality)] · (1 − security reform)`:
//!   fear of leaks and of exposing poor data (Yang & Maxwell 2011 on
//!   technological and organisational barriers to inter-agency sharing);
//! - `unwilling = w_uw · value · (1 − rights − revenue − circulation reforms)₊ · (1 − coordination)`:
//!   data hoarded as bargaining power (resource-dependence view, Pfeffer &
//!   Salancik 1978), lowered by property-rights and revenue-distribution
//!   rules and by top-down coordination of the link's domains;
//! - `unable = w_un · (1 − platform_effect·connected share·fit) · (1 − lead_effect·lead) + overload`:
//!   no exchange platform or money, no strong lead (coordination capacity);
//!   `overload` is the grassroots load of cross-cutting domains at townships
//!   and counties, eased by talent (§3.5).
//!
//! The product form makes the barriers independent hurdles: removing one
//! cannot compensate for another, as the source insists.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// `[barriers.dare_not]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DareNotParams {
    /// Overall weight of the barrier (0–1).
    pub weight: f64,
    /// Share of the barrier due to poor data quality rather than sensitivity (0–1).
    pub quality_share: f64,
    /// Share of the barrier removed by a full security-governance reform (0–1).
    pub security_reform_effect: f64,
}

impl Default for DareNotParams {
    fn default() -> Self {
        DareNotParams {
            weight: 0.45,
            quality_share: 0.4,
            security_reform_effect: 0.6,
        }
    }
}

/// `[barriers.unwilling]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnwillingParams {
    /// Overall weight of the barrier (0–1).
    pub weight: f64,
    /// Share removed by a full data property-rights reform (0–1).
    pub rights_reform_effect: f64,
    /// Share removed by a full revenue-distribution reform (0–1).
    pub revenue_reform_effect: f64,
    /// Share removed by a full circulation/trading reform (0–1).
    pub circulation_reform_effect: f64,
    /// Share removed by full top-down coordination of the link's domains (0–1).
    pub coordination_effect: f64,
}

impl Default for UnwillingParams {
    fn default() -> Self {
        UnwillingParams {
            weight: 0.5,
            rights_reform_effect: 0.35,
            revenue_reform_effect: 0.25,
            circulation_reform_effect: 0.1,
            coordination_effect: 0.7,
        }
    }
}

/// `[barriers.unable]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UnableParams {
    /// Overall weight of the barrier (0–1).
    pub weight: f64,
    /// Share removed by a connected, well-fitting exchange platform (0–1).
    pub platform_effect: f64,
    /// Share removed by full coordination capacity (a strong lead) (0–1).
    pub lead_effect: f64,
    /// Weight of grassroots overload in cross-cutting domains (0–1).
    pub overload_weight: f64,
}

impl Default for UnableParams {
    fn default() -> Self {
        UnableParams {
            weight: 0.5,
            platform_effect: 0.75,
            lead_effect: 0.5,
            overload_weight: 0.45,
        }
    }
}

/// `[barriers]`: the three barriers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BarrierParams {
    pub dare_not: DareNotParams,
    pub unwilling: UnwillingParams,
    pub unable: UnableParams,
}

impl BarrierParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        let d = &self.dare_not;
        check_all(
            &format!("{prefix}.dare_not"),
            &[
                ("weight", d.weight, 0.0, 1.0),
                ("quality_share", d.quality_share, 0.0, 1.0),
                ("security_reform_effect", d.security_reform_effect, 0.0, 1.0),
            ],
        )?;
        let u = &self.unwilling;
        check_all(
            &format!("{prefix}.unwilling"),
            &[
                ("weight", u.weight, 0.0, 1.0),
                ("rights_reform_effect", u.rights_reform_effect, 0.0, 1.0),
                ("revenue_reform_effect", u.revenue_reform_effect, 0.0, 1.0),
                (
                    "circulation_reform_effect",
                    u.circulation_reform_effect,
                    0.0,
                    1.0,
                ),
                ("coordination_effect", u.coordination_effect, 0.0, 1.0),
            ],
        )?;
        let n = &self.unable;
        check_all(
            &format!("{prefix}.unable"),
            &[
                ("weight", n.weight, 0.0, 1.0),
                ("platform_effect", n.platform_effect, 0.0, 1.0),
                ("lead_effect", n.lead_effect, 0.0, 1.0),
                ("overload_weight", n.overload_weight, 0.0, 1.0),
            ],
        )
    }
}

/// The *dare not* barrier of a provider department.
///
/// `security` is the effective security-governance reform level at its unit (0–1).
#[inline]
pub fn dare_not(p: &DareNotParams, sensitivity: f64, quality: f64, security: f64) -> f64 {
    let risk = (1.0 - p.quality_share) * sensitivity + p.quality_share * (1.0 - quality);
    (p.weight * risk * (1.0 - p.security_reform_effect * security)).clamp(0.0, 1.0)
}

/// The *unwilling* barrier before domain coordination (which is per link).
///
/// `rights`, `revenue`, `circulation` are effective reform levels (0–1).
#[inline]
pub fn unwilling_base(
    p: &UnwillingParams,
    value: f64,
    rights: f64,
    revenue: f64,
    circulation: f64,
) -> f64 {
    let relief = p.rights_reform_effect * rights
        + p.revenue_reform_effect * revenue
        + p.circulation_reform_effect * circulation;
    (p.weight * value * (1.0 - relief).max(0.0)).clamp(0.0, 1.0)
}

/// The *unwilling* barrier on a link whose domains are coordinated at level `coord`.
#[inline]
pub fn unwilling_on_link(base: f32, coordination_effect: f32, coord: f32) -> f32 {
    base * (1.0 - coordination_effect * coord)
}

/// The unit-level part of the *unable* barrier.
///
/// `platform` is connected share × fit (0 when no platform serves the unit),
/// `lead` the unit's coordination capacity.
#[inline]
pub fn unable_unit(p: &UnableParams, platform: f64, lead: f64) -> f64 {
    (p.weight * (1.0 - p.platform_effect * platform) * (1.0 - p.lead_effect * lead)).clamp(0.0, 1.0)
}

/// Grassroots overload added to *unable* on a link: the link's domain load
/// times how grassroots the unit is (1 township, ½ county, 0 above), eased by talent.
#[inline]
pub fn overload(overload_weight: f64, grassroots: f64, talent: f64) -> f64 {
    overload_weight * grassroots * (1.0 - 0.5 * talent)
}

/// Probability that one directed sharing attempt succeeds.
#[inline]
pub fn p_share(
    dare_not: f32,
    unwilling: f32,
    unable: f32,
    usability: f32,
    trust_factor: f32,
) -> f32 {
    (1.0 - dare_not) * (1.0 - unwilling) * (1.0 - unable).max(0.0) * usability * trust_factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dare_not_hand_value() {
        let p = DareNotParams {
            weight: 0.55,
            quality_share: 0.4,
            security_reform_effect: 0.6,
        };
        // risk = 0.6*0.9 + 0.4*(1-0.5) = 0.74; no reform -> 0.55*0.74 = 0.407
        assert!((dare_not(&p, 0.9, 0.5, 0.0) - 0.407).abs() < 1e-12);
        // full security reform removes 60%: 0.407 * 0.4
        assert!((dare_not(&p, 0.9, 0.5, 1.0) - 0.407 * 0.4).abs() < 1e-12);
    }

    #[test]
    fn reforms_lower_unwilling() {
        let p = UnwillingParams {
            weight: 0.6,
            rights_reform_effect: 0.35,
            revenue_reform_effect: 0.25,
            circulation_reform_effect: 0.1,
            coordination_effect: 0.7,
        };
        let before = unwilling_base(&p, 0.8, 0.0, 0.0, 0.0);
        let after = unwilling_base(&p, 0.8, 1.0, 1.0, 1.0);
        assert!((before - 0.48).abs() < 1e-12);
        assert!((after - 0.48 * 0.3).abs() < 1e-12);
        assert!((unwilling_on_link(0.5, 0.7, 1.0) - 0.15).abs() < 1e-6);
    }

    #[test]
    fn platform_and_lead_lower_unable() {
        let p = UnableParams {
            weight: 0.7,
            platform_effect: 0.75,
            lead_effect: 0.5,
            overload_weight: 0.45,
        };
        assert!((unable_unit(&p, 0.0, 0.0) - 0.7).abs() < 1e-12);
        assert!((unable_unit(&p, 1.0, 0.0) - 0.7 * 0.25).abs() < 1e-12);
        assert!((unable_unit(&p, 1.0, 1.0) - 0.7 * 0.25 * 0.5).abs() < 1e-12);
        assert!((overload(0.45, 1.0, 0.0) - 0.45).abs() < 1e-12);
    }

    #[test]
    fn p_share_is_a_product_of_hurdles() {
        let p = p_share(0.2, 0.5, 0.1, 0.8, 0.9);
        assert!((p - 0.8 * 0.5 * 0.9 * 0.8 * 0.9).abs() < 1e-6);
        assert_eq!(p_share(0.0, 0.0, 1.2, 1.0, 1.0), 0.0);
    }

    #[test]
    fn validation_reports_nested_key() {
        let mut b = BarrierParams::default();
        b.unable.lead_effect = -0.1;
        let e = b.validate("barriers").unwrap_err();
        assert_eq!(
            e.location.key.as_deref(),
            Some("barriers.unable.lead_effect")
        );
    }
}
