//! Investment: budgets and what they buy (docs/model.md §4 "Investment", §3.6
//! "resources invested (money, infrastructure, talent)").
//!
//! Each unit's yearly budget for digital work is
//! `budget_per_capita × population × fiscal capacity × level share × budget lever`
//! (level shares split the per-capita spend between the province, city,
//! county and township governments, which each serve the same people). The
//! strategy splits it between hardware, platforms, talent and data
//! governance. Talent and data quality are stocks with logistic growth
//! driven by investment intensity and a constant decay (staff turnover,
//! data ageing) — the simplest stock-flow form that saturates at 1.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::catalog::Level;
use crate::error::InputError;

/// `[investment]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvestmentParams {
    /// Yearly digital-government budget per person at fiscal capacity 1 (yuan).
    pub budget_per_capita: f64,
    /// Share of the per-capita budget spent by each level's governments.
    pub level_share: LevelShares,
    /// Quarterly talent growth at full investment intensity.
    pub talent_rate: f64,
    /// Quarterly talent decay.
    pub talent_decay: f64,
    /// Quarterly data-quality growth at full data-governance intensity.
    pub quality_rate: f64,
    /// Quarterly data-quality decay.
    pub quality_decay: f64,
}

/// Shares of the per-capita budget by level (they need not sum to 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LevelShares {
    pub province: f64,
    pub city: f64,
    pub county: f64,
    pub township: f64,
}

impl Default for LevelShares {
    fn default() -> Self {
        LevelShares {
            province: 0.3,
            city: 0.3,
            county: 0.3,
            township: 0.1,
        }
    }
}

impl LevelShares {
    pub fn at(&self, level: Level) -> f64 {
        match level {
            Level::National => 0.0,
            Level::Province => self.province,
            Level::City => self.city,
            Level::County => self.county,
            Level::Township => self.township,
        }
    }
}

impl Default for InvestmentParams {
    fn default() -> Self {
        InvestmentParams {
            budget_per_capita: 100.0,
            level_share: LevelShares::default(),
            talent_rate: 0.12,
            talent_decay: 0.02,
            quality_rate: 0.15,
            quality_decay: 0.02,
        }
    }
}

impl InvestmentParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        // Finite maxima (about a million times the defaults) keep every
        // output finite; see docs/limits.md.
        let s = &self.level_share;
        check_all(
            prefix,
            &[
                ("budget_per_capita", self.budget_per_capita, 0.0, 1e8),
                ("level_share.province", s.province, 0.0, 1.0),
                ("level_share.city", s.city, 0.0, 1.0),
                ("level_share.county", s.county, 0.0, 1.0),
                ("level_share.township", s.township, 0.0, 1.0),
                ("talent_rate", self.talent_rate, 0.0, 1.0),
                ("talent_decay", self.talent_decay, 0.0, 1.0),
                ("quality_rate", self.quality_rate, 0.0, 1.0),
                ("quality_decay", self.quality_decay, 0.0, 1.0),
            ],
        )
    }

    /// Quarterly budget of a unit in million yuan, before the lever and transfers.
    pub fn quarterly_budget(&self, level: Level, population: f64, fiscal: f64) -> f64 {
        self.budget_per_capita * population * fiscal * self.level_share.at(level) / 4.0 / 1e6
    }
}

/// Investment split lever (`investment.hardware` … `investment.data_governance`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub hardware: f64,
    pub platforms: f64,
    pub talent: f64,
    pub data_governance: f64,
}

/// One quarter of logistic growth with decay, for a stock in [0, 1].
#[inline]
pub fn grow(stock: f64, rate: f64, intensity: f64, decay: f64) -> f64 {
    (stock + rate * intensity * (1.0 - stock) - decay * stock).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_hand_value() {
        let p = InvestmentParams {
            budget_per_capita: 30.0,
            ..Default::default()
        };
        // 30 yuan * 1e6 people * 0.5 * 0.3 / 4 / 1e6 = 1.125 million yuan per quarter
        assert!((p.quarterly_budget(Level::City, 1e6, 0.5) - 1.125).abs() < 1e-12);
        assert_eq!(p.quarterly_budget(Level::National, 1e9, 1.0), 0.0);
    }

    #[test]
    fn growth_saturates_and_decays() {
        assert!((grow(0.5, 0.1, 1.0, 0.02) - (0.5 + 0.05 - 0.01)).abs() < 1e-12);
        assert!(grow(0.5, 0.1, 0.0, 0.02) < 0.5);
        let mut s = 0.0;
        for _ in 0..1000 {
            s = grow(s, 0.5, 2.0, 0.0);
        }
        assert!(s <= 1.0);
    }
}
