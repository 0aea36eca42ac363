//! Default department types (条): docs/model.md §2 "Departments".
//!
//! Each type carries the three properties that drive sharing (§3.2):
//! `sensitivity` (feeds the *dare not* barrier), `value` (bargaining power,
//! feeds *unwilling*), and `vertical` (strength of vertical management: how
//! much the line ministry's own system, rather than the local platform,
//! carries the department's data — the tiao side of the tension).
//! All three are in [0, 1]. `lowest_level` is the lowest level at which the
//! type exists (townships hold only a few types). `systems` is the mean
//! number of information systems a department of the type runs at province
//! and city level (MODEL.md §1: systems are the third axis of data flow);
//! `[standards.systems_by_level]` scales it for lower levels.
//!
//! The values are ordinal judgements from the source brief (public security
//! and tax data are the most sensitive and most vertically managed; service
//! departments the least), not measurements; scenarios override them.

use serde::{Deserialize, Serialize};

use super::Level;

/// One department type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentDef {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    /// Data sensitivity, 0–1.
    pub sensitivity: f64,
    /// Value of the data as bargaining power, 0–1.
    pub value: f64,
    /// Strength of vertical management, 0–1.
    pub vertical: f64,
    /// Lowest level holding this department.
    pub lowest_level: Level,
    /// Mean number of information systems of one department at province
    /// and city level (at least 1).
    pub systems: f64,
}

/// Default `systems` of every department type: Shanghai's city-operations
/// platform (一网统管) connects 50+ departments and 185 systems
/// (../shared/data/observed/README.md), 185 / 50 = 3.7 systems per
/// department at city level. No figure distinguishes department types.
pub const DEFAULT_SYSTEMS: f64 = 3.7;

fn d(id: &str, en: &str, zh: &str, s: f64, v: f64, vert: f64, low: Level) -> DepartmentDef {
    DepartmentDef {
        id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
        sensitivity: s,
        value: v,
        vertical: vert,
        lowest_level: low,
        systems: DEFAULT_SYSTEMS,
    }
}

/// The default catalogue of 17 department types.
pub fn defaults() -> Vec<DepartmentDef> {
    use Level::{County, Township};
    vec![
        d(
            "public_security",
            "Public security",
            "公安",
            0.90,
            0.85,
            0.80,
            Township,
        ),
        d("education", "Education", "教育", 0.40, 0.40, 0.40, County),
        d(
            "human_resources",
            "Human resources & social security",
            "人力资源和社会保障",
            0.60,
            0.60,
            0.50,
            Township,
        ),
        d("tax", "Taxation", "税务", 0.80, 0.80, 0.95, County),
        d("finance", "Finance", "财政", 0.60, 0.70, 0.30, County),
        d("audit", "Audit", "审计", 0.70, 0.50, 0.40, County),
        d("statistics", "Statistics", "统计", 0.40, 0.50, 0.70, County),
        d(
            "development_reform",
            "Development & reform",
            "发展和改革",
            0.50,
            0.60,
            0.30,
            County,
        ),
        d(
            "market_regulation",
            "Market regulation",
            "市场监管",
            0.40,
            0.50,
            0.60,
            County,
        ),
        d("health", "Health", "卫生健康", 0.70, 0.60, 0.40, County),
        d(
            "civil_affairs",
            "Civil affairs",
            "民政",
            0.50,
            0.40,
            0.30,
            Township,
        ),
        d(
            "administrative_approval",
            "Administrative approval (government services)",
            "行政审批（政务服务）",
            0.30,
            0.40,
            0.30,
            Township,
        ),
        d(
            "ecology_environment",
            "Ecology & environment",
            "生态环境",
            0.30,
            0.40,
            0.70,
            County,
        ),
        d(
            "natural_resources",
            "Natural resources",
            "自然资源",
            0.50,
            0.60,
            0.60,
            County,
        ),
        d(
            "emergency_management",
            "Emergency management",
            "应急管理",
            0.50,
            0.40,
            0.50,
            County,
        ),
        d(
            "industry_it",
            "Industry & information technology",
            "工业和信息化",
            0.30,
            0.50,
            0.30,
            County,
        ),
        d(
            "government_office",
            "General office of the government",
            "政府办公厅（室）",
            0.40,
            0.30,
            0.20,
            Township,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_fifteen_unique_types_in_range() {
        let ds = defaults();
        assert!(ds.len() >= 15);
        let mut ids: Vec<_> = ds.iter().map(|d| d.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ds.len());
        for d in &ds {
            for x in [d.sensitivity, d.value, d.vertical] {
                assert!((0.0..=1.0).contains(&x), "{}", d.id);
            }
            assert!(!d.name_zh.is_empty());
            assert!(d.systems >= 1.0, "{}", d.id);
        }
        // Townships hold few departments.
        let twp = ds
            .iter()
            .filter(|d| d.lowest_level == Level::Township)
            .count();
        assert!(twp <= 6);
    }
}
