//! Strategy levers (docs/model.md §4): everything a strategy may set, each with a
//! year where timing matters. `[defaults]` holds the scenario's values; each
//! `[[strategy]]` inherits every key it does not set.
//!
//! Years count simulated years from 1 (the first year); a lever with
//! `year = 1` acts from the start, `year = 3` from the beginning of year 3.

use serde::{Deserialize, Serialize};

use crate::error::InputError;
use crate::mechanisms::check_all;
use crate::mechanisms::coordination::Agency;
use crate::mechanisms::diffusion::ReuseMode;
use crate::mechanisms::hardware::HardwareDeployment;
use crate::mechanisms::institutions::Reform;
use crate::mechanisms::platforms::Deployment;

/// Standards lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StandardsMode {
    /// No drive: each platform keeps its own standard unless it adopts the
    /// national one unasked (`standards.spontaneous_pace`).
    #[default]
    None,
    /// Platforms converge on their province's standard.
    Provincial,
    /// Platforms converge on the national standard (shared with line systems).
    National,
}

/// Investment lever: budget level, split and hardware deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvestmentLever {
    /// Multiplier on the baseline budget (1 = baseline).
    pub budget: f64,
    /// Share of the budget for hardware.
    pub hardware: f64,
    /// Share of the budget for platforms (builds, connections, running).
    pub platforms: f64,
    /// Share of the budget for talent.
    pub talent: f64,
    /// Share of the budget for data governance (data quality).
    pub data_governance: f64,
    /// `needs` or `uniform` hardware deployment.
    pub hardware_deployment: HardwareDeployment,
}

impl Default for InvestmentLever {
    fn default() -> Self {
        InvestmentLever {
            budget: 1.0,
            hardware: 0.3,
            platforms: 0.3,
            talent: 0.2,
            data_governance: 0.2,
            hardware_deployment: HardwareDeployment::Needs,
        }
    }
}

/// Institutional reforms lever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstitutionLever {
    pub property_rights: Reform,
    pub revenue_distribution: Reform,
    pub circulation: Reform,
    pub security_governance: Reform,
}

impl Default for InstitutionLever {
    fn default() -> Self {
        let none = Reform {
            year: 1.0,
            strength: 0.0,
        };
        InstitutionLever {
            property_rights: none,
            revenue_distribution: none,
            circulation: none,
            security_governance: none,
        }
    }
}

/// Coordination lever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoordinationLever {
    /// `none`, `provincial` or `national` data-management agency.
    pub agency: Agency,
    /// Year the agency starts acting.
    pub agency_year: f64,
    /// Domains (ids) under sector-by-sector top-down coordination.
    pub sector_domains: Vec<String>,
    /// Strength of sector coordination (0–1).
    pub sector_strength: f64,
    /// Year sector coordination starts.
    pub sector_year: f64,
}

impl Default for CoordinationLever {
    fn default() -> Self {
        CoordinationLever {
            agency: Agency::None,
            agency_year: 1.0,
            sector_domains: Vec::new(),
            sector_strength: 1.0,
            sector_year: 1.0,
        }
    }
}

/// Regional coordination lever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegionalLever {
    /// Share of donor budgets transferred to recipients (0–1).
    pub transfers: f64,
    /// Year transfers start.
    pub transfers_year: f64,
    /// Partnership pairs of unit ids or names, e.g. `[["sichuan", "chongqing"]]`.
    pub pairs: Vec<Vec<String>>,
    /// Year partnerships start.
    pub pairs_year: f64,
    /// Whether the province back-stops lagging counties.
    pub backstop: bool,
    /// Fiscal capacity below which a county is lagging (0–1).
    pub backstop_threshold: f64,
}

impl Default for RegionalLever {
    fn default() -> Self {
        RegionalLever {
            transfers: 0.0,
            transfers_year: 1.0,
            pairs: Vec::new(),
            pairs_year: 1.0,
            backstop: false,
            backstop_threshold: 0.4,
        }
    }
}

/// Every lever of a strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Levers {
    /// Platform deployment: `local`, `city`, `provincial` or `hybrid`.
    pub platforms: Deployment,
    /// Standards: `none`, `provincial` or `national`.
    pub standards: StandardsMode,
    /// Yearly hazard with which a platform adopts the common standard (0–1).
    pub standards_pace: f64,
    /// Year the standards drive starts.
    pub standards_year: f64,
    pub investment: InvestmentLever,
    pub institutions: InstitutionLever,
    pub coordination: CoordinationLever,
    pub regional: RegionalLever,
    /// Reuse promotion: `spontaneous`, `provincial` or `national`.
    pub reuse: ReuseMode,
}

impl Default for Levers {
    fn default() -> Self {
        Levers {
            platforms: Deployment::Local,
            standards: StandardsMode::None,
            standards_pace: 0.5,
            standards_year: 1.0,
            investment: InvestmentLever::default(),
            institutions: InstitutionLever::default(),
            coordination: CoordinationLever::default(),
            regional: RegionalLever::default(),
            reuse: ReuseMode::Spontaneous,
        }
    }
}

impl Levers {
    /// Range checks; `prefix` is the key path of this lever table.
    pub fn validate(&self, prefix: &str, years: f64) -> Result<(), InputError> {
        let inf = f64::INFINITY;
        let y = (1.0, years.max(1.0) + 1.0);
        check_all(
            prefix,
            &[
                ("standards_pace", self.standards_pace, 0.0, 1.0),
                ("standards_year", self.standards_year, y.0, inf),
            ],
        )?;
        let i = &self.investment;
        check_all(
            &format!("{prefix}.investment"),
            &[
                ("budget", i.budget, 0.0, 100.0),
                ("hardware", i.hardware, 0.0, 1.0),
                ("platforms", i.platforms, 0.0, 1.0),
                ("talent", i.talent, 0.0, 1.0),
                ("data_governance", i.data_governance, 0.0, 1.0),
            ],
        )?;
        let sum = i.hardware + i.platforms + i.talent + i.data_governance;
        if (sum - 1.0).abs() > 1e-6 {
            return Err(InputError::new(format!(
                "the investment split sums to {}, not 1",
                crate::error::rounded(sum)
            ))
            .key(format!("{prefix}.investment"))
            .expected("hardware + platforms + talent + data_governance = 1")
            .suggest("adjust the four shares so they add up to 1"));
        }
        let r = &self.institutions;
        for (name, reform) in [
            ("property_rights", r.property_rights),
            ("revenue_distribution", r.revenue_distribution),
            ("circulation", r.circulation),
            ("security_governance", r.security_governance),
        ] {
            check_all(
                &format!("{prefix}.institutions.{name}"),
                &[
                    ("year", reform.year, y.0, inf),
                    ("strength", reform.strength, 0.0, 1.0),
                ],
            )?;
        }
        let c = &self.coordination;
        check_all(
            &format!("{prefix}.coordination"),
            &[
                ("agency_year", c.agency_year, y.0, inf),
                ("sector_strength", c.sector_strength, 0.0, 1.0),
                ("sector_year", c.sector_year, y.0, inf),
            ],
        )?;
        let g = &self.regional;
        check_all(
            &format!("{prefix}.regional"),
            &[
                ("transfers", g.transfers, 0.0, 1.0),
                ("transfers_year", g.transfers_year, y.0, inf),
                ("pairs_year", g.pairs_year, y.0, inf),
                ("backstop_threshold", g.backstop_threshold, 0.0, 1.0),
            ],
        )?;
        for (k, pair) in g.pairs.iter().enumerate() {
            if pair.len() != 2 {
                return Err(InputError::new(format!(
                    "a pair must name exactly two units, this one names {}",
                    pair.len()
                ))
                .key(format!("{prefix}.regional.pairs[{k}]"))
                .expected("[\"unit a\", \"unit b\"]"));
            }
        }
        Ok(())
    }
}

/// One strategy: a name and its resolved levers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Strategy {
    pub name: String,
    /// Optional Chinese display name.
    pub name_zh: String,
    pub description: String,
    /// Optional Chinese description (the page and the Chinese report use it).
    pub description_zh: String,
    pub levers: Levers,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Levers::default().validate("defaults", 5.0).unwrap();
    }

    #[test]
    fn split_must_sum_to_one() {
        let mut l = Levers::default();
        l.investment.talent = 0.5;
        let e = l.validate("strategy[0]", 5.0).unwrap_err();
        assert_eq!(e.location.key.as_deref(), Some("strategy[0].investment"));
    }

    #[test]
    fn pairs_need_two_names() {
        let mut l = Levers::default();
        l.regional.pairs = vec![vec!["a".into()]];
        assert!(l.validate("defaults", 5.0).is_err());
    }
}
