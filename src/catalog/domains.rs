//! Default domains (板块): the seven capability areas of the 2022 State
//! Council guidance on digital government (docs/model.md §2, §3.5).
//!
//! Each domain needs data from a set of department types. Its properties:
//! - `complexity` (0–1): how strongly collaboration needs *all* involved
//!   departments at once; it is the exponent offset of the conjunction in
//!   [`crate::mechanisms::domains`];
//! - `lag_quarters`: time-to-results, the time constant of the collaboration
//!   stock;
//! - `grassroots_load` (0–1): the "a thousand threads above, one needle
//!   below" overload of townships and counties in cross-cutting matters;
//! - `top_down` (0–1): existing vertical sectoral push (national one-network
//!   services, market-regulation collaboration) that already coordinates
//!   the domain before any strategy;
//! - `outward`: faces citizens and firms (first five) or internal (last two).

use serde::{Deserialize, Serialize};

/// One domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainDef {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    /// Department type ids whose data the domain needs.
    pub departments: Vec<String>,
    pub complexity: f64,
    pub lag_quarters: f64,
    pub grassroots_load: f64,
    pub top_down: f64,
    pub outward: bool,
}

#[allow(clippy::too_many_arguments)]
fn dom(
    id: &str,
    en: &str,
    zh: &str,
    deps: &[&str],
    cx: f64,
    lag: f64,
    load: f64,
    td: f64,
    out: bool,
) -> DomainDef {
    DomainDef {
        id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
        departments: deps.iter().map(|s| s.to_string()).collect(),
        complexity: cx,
        lag_quarters: lag,
        grassroots_load: load,
        top_down: td,
        outward: out,
    }
}

/// The default seven domains.
pub fn defaults() -> Vec<DomainDef> {
    vec![
        dom(
            "economic_regulation",
            "Economic regulation",
            "经济调节",
            &[
                "finance",
                "audit",
                "tax",
                "statistics",
                "development_reform",
            ],
            0.6,
            6.0,
            0.1,
            0.2,
            true,
        ),
        dom(
            "market_regulation",
            "Market regulation",
            "市场监管",
            &[
                "market_regulation",
                "tax",
                "industry_it",
                "health",
                "administrative_approval",
            ],
            0.3,
            3.0,
            0.1,
            0.5,
            true,
        ),
        dom(
            "social_management",
            "Social management",
            "社会管理",
            &[
                "public_security",
                "civil_affairs",
                "emergency_management",
                "health",
                "human_resources",
                "natural_resources",
                "education",
                "government_office",
            ],
            0.8,
            8.0,
            0.6,
            0.1,
            true,
        ),
        dom(
            "public_services",
            "Public services",
            "公共服务",
            &[
                "education",
                "health",
                "human_resources",
                "civil_affairs",
                "administrative_approval",
                "public_security",
            ],
            0.3,
            3.0,
            0.2,
            0.6,
            true,
        ),
        dom(
            "eco_environment",
            "Eco-environmental protection",
            "生态环境保护",
            &[
                "ecology_environment",
                "natural_resources",
                "emergency_management",
                "development_reform",
            ],
            0.5,
            6.0,
            0.2,
            0.3,
            true,
        ),
        dom(
            "government_operations",
            "Government operations",
            "政务运行",
            &[
                "government_office",
                "finance",
                "audit",
                "development_reform",
                "statistics",
            ],
            0.4,
            4.0,
            0.1,
            0.3,
            false,
        ),
        dom(
            "government_openness",
            "Government openness",
            "政务公开",
            &[
                "government_office",
                "administrative_approval",
                "statistics",
                "finance",
            ],
            0.3,
            4.0,
            0.1,
            0.3,
            false,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::departments;

    #[test]
    fn seven_domains_with_known_departments() {
        let ds = defaults();
        assert_eq!(ds.len(), 7);
        let deps = departments::defaults();
        for d in &ds {
            for id in &d.departments {
                assert!(
                    deps.iter().any(|x| &x.id == id),
                    "{} needs unknown {id}",
                    d.id
                );
            }
            assert!(d.lag_quarters >= 1.0);
        }
        assert_eq!(ds.iter().filter(|d| d.outward).count(), 5);
    }
}
