//! Hardware ("hard" systems: computers, server rooms, conference devices,
//! command halls, big screens) deployed by need or uniformly
//! (docs/model.md §3.4, last sentence; §4 "needs-based vs uniform").
//!
//! Each unit has a need in capacity units: a fixed amount per department
//! plus an amount per 100,000 people, growing with use (services online).
//! Needs-based deployment targets the unit's own need; uniform deployment
//! targets the mean need of the unit's level, so small places get more than
//! they use and large places less. Capacity beyond need sits idle;
//! coverage is `min(capacity, need)/need`. A unit buys towards its target
//! with its hardware budget, so more budget never lowers coverage.
//! Equipment ages out: a yearly share `1/lifetime_years` of capacity is
//! retired; and procurement (budgeting, tendering, installation) closes a
//! yearly share `procurement_rate` of the gap to the target, not all of it
//! at once. Coverage therefore settles below the target where budgets are
//! ample (at `r/(r + retirement)` of it, roughly) and lower where they are
//! not, instead of sitting at 1.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::error::InputError;

/// Hardware deployment lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HardwareDeployment {
    /// Each unit buys towards its own need.
    #[default]
    Needs,
    /// Every unit of a level buys towards the level's mean need.
    Uniform,
}

/// `[hardware]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HardwareParams {
    /// Price of one capacity unit (million yuan).
    pub unit_cost: f64,
    /// Need per department (capacity units).
    pub need_per_department: f64,
    /// Need per 100,000 people served (capacity units).
    pub need_per_100k_people: f64,
    /// Growth of need when all services are online (share of base need).
    pub usage_growth: f64,
    /// Capacity bought above the target as headroom (share).
    pub headroom: f64,
    /// Initial capacity as a share of initial need.
    pub initial_coverage: f64,
    /// Yearly maintenance as a share of the value of deployed capacity.
    pub maintenance_share: f64,
    /// Service life of equipment: a yearly share 1/lifetime of capacity retires (years).
    pub lifetime_years: f64,
    /// Yearly share of the gap between capacity and target that procurement closes (0–1).
    pub procurement_rate: f64,
}

impl Default for HardwareParams {
    fn default() -> Self {
        HardwareParams {
            unit_cost: 0.1,
            need_per_department: 0.5,
            need_per_100k_people: 4.0,
            usage_growth: 0.6,
            headroom: 0.1,
            initial_coverage: 0.6,
            maintenance_share: 0.08,
            lifetime_years: 6.0,
            procurement_rate: 0.5,
        }
    }
}

impl HardwareParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        // Finite maxima (about a million times the defaults) keep every
        // output finite; see docs/limits.md.
        check_all(
            prefix,
            &[
                ("unit_cost", self.unit_cost, 1e-9, 1e5),
                ("need_per_department", self.need_per_department, 0.0, 5e5),
                ("need_per_100k_people", self.need_per_100k_people, 0.0, 4e6),
                ("usage_growth", self.usage_growth, 0.0, 10.0),
                ("headroom", self.headroom, 0.0, 1.0),
                ("initial_coverage", self.initial_coverage, 0.0, 2.0),
                ("maintenance_share", self.maintenance_share, 0.0, 1.0),
                ("lifetime_years", self.lifetime_years, 1.0, 100.0),
                ("procurement_rate", self.procurement_rate, 0.0, 1.0),
            ],
        )
    }

    /// Base need of a unit (before usage growth).
    pub fn base_need(&self, departments: usize, population: f64) -> f64 {
        self.need_per_department * departments as f64 + self.need_per_100k_people * population / 1e5
    }

    /// Capacity left after one quarter of retirement.
    pub fn retire(&self, capacity: f64) -> f64 {
        capacity * (1.0 - 0.25 / self.lifetime_years)
    }

    /// What procurement can aim for this quarter: a quarterly step of the
    /// yearly `procurement_rate` from the capacity towards the target.
    pub fn quarter_target(&self, target: f64, capacity: f64) -> f64 {
        let q = 1.0 - (1.0 - self.procurement_rate).powf(0.25);
        capacity + q * (target - capacity)
    }

    /// Need given the share of services online (0–1).
    pub fn need(&self, base: f64, online_share: f64) -> f64 {
        base * (1.0 + self.usage_growth * online_share)
    }
}

/// Capacity a unit aims for.
pub fn target(mode: HardwareDeployment, own_need: f64, level_mean_need: f64, headroom: f64) -> f64 {
    let base = match mode {
        HardwareDeployment::Needs => own_need,
        HardwareDeployment::Uniform => level_mean_need,
    };
    base * (1.0 + headroom)
}

/// Capacity bought this quarter: towards the target, within the budget.
pub fn purchase(target: f64, capacity: f64, budget: f64, unit_cost: f64) -> f64 {
    (target - capacity)
        .max(0.0)
        .min(budget.max(0.0) / unit_cost)
}

/// Idle capacity.
pub fn idle(capacity: f64, need: f64) -> f64 {
    (capacity - need).max(0.0)
}

/// Coverage of need, 0–1 (1 when there is no need).
pub fn coverage(capacity: f64, need: f64) -> f64 {
    if need <= 0.0 {
        1.0
    } else {
        (capacity.min(need) / need).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_values() {
        let p = HardwareParams {
            need_per_department: 1.0,
            need_per_100k_people: 0.5,
            ..Default::default()
        };
        assert!((p.base_need(10, 200_000.0) - 11.0).abs() < 1e-12);
        assert!((p.need(11.0, 0.5) - 11.0 * 1.3).abs() < 1e-12);
        assert!((target(HardwareDeployment::Needs, 10.0, 20.0, 0.1) - 11.0).abs() < 1e-12);
        assert!((target(HardwareDeployment::Uniform, 10.0, 20.0, 0.1) - 22.0).abs() < 1e-12);
        assert!((purchase(11.0, 5.0, 0.4, 0.2) - 2.0).abs() < 1e-12);
        assert!((purchase(11.0, 5.0, 100.0, 0.2) - 6.0).abs() < 1e-12);
        assert_eq!(idle(12.0, 10.0), 2.0);
        assert_eq!(coverage(5.0, 10.0), 0.5);
    }

    #[test]
    fn retirement_and_procurement_settle_below_the_target() {
        let p = HardwareParams {
            lifetime_years: 5.0,
            procurement_rate: 0.5,
            ..Default::default()
        };
        assert!((p.retire(10.0) - 9.5).abs() < 1e-12);
        let q = 1.0 - 0.5f64.powf(0.25);
        assert!((p.quarter_target(11.0, 5.0) - (5.0 + 6.0 * q)).abs() < 1e-12);
        // With an ample budget capacity converges to target·q/(q + d(1 − q)).
        let mut cap = 0.0;
        for _ in 0..400 {
            cap = p.retire(cap);
            cap += purchase(p.quarter_target(11.0, cap), cap, 1e9, 0.1);
        }
        let d = 0.05;
        assert!((cap - 11.0 * q / (q + d * (1.0 - q))).abs() < 1e-9, "{cap}");
        assert!(cap < 11.0);
    }

    #[test]
    fn uniform_leaves_small_units_idle() {
        // Two units with needs 5 and 15: uniform targets 10 each.
        let idle_uniform = idle(target(HardwareDeployment::Uniform, 5.0, 10.0, 0.0), 5.0)
            + idle(target(HardwareDeployment::Uniform, 15.0, 10.0, 0.0), 15.0);
        let idle_needs = idle(target(HardwareDeployment::Needs, 5.0, 10.0, 0.0), 5.0)
            + idle(target(HardwareDeployment::Needs, 15.0, 10.0, 0.0), 15.0);
        assert!(idle_uniform > idle_needs);
    }

    #[test]
    fn more_budget_never_buys_less() {
        let mut last = 0.0;
        for b in 0..50 {
            let x = purchase(10.0, 2.0, b as f64 * 0.1, 0.2);
            assert!(x >= last);
            last = x;
        }
    }
}
