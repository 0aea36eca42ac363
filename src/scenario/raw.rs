//! The raw scenario: a serde mirror of the TOML file, every section with its
//! defaults. Only `scenario::resolve` turns it into a trusted [`super::Scenario`].

use serde::{Deserialize, Serialize};

use super::events::{EventDates, RawEvent};
use super::levers::Levers;
use crate::catalog::Level;
use crate::mechanisms::{
    coordination::CoordinationParams, diffusion::DiffusionParams, domains::DomainParams,
    flow::FlowParams, hardware::HardwareParams, institutions::InstitutionParams,
    investment::InvestmentParams, platforms::PlatformParams, services::ServiceParams,
    sharing::BarrierParams, standards::StandardsParams, trust::TrustParams,
};
use crate::world::params::WorldParams;

/// `[run]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunParams {
    /// Horizon in years (time step: one quarter).
    pub years: u32,
    /// Random replicates per strategy.
    pub replicates: u32,
    /// Master seed.
    pub seed: u64,
    /// Maturity framework file (empty = the built-in `frameworks/tiaokuai.toml`).
    pub framework: String,
    /// Strategy the others are compared with (empty = the first).
    pub baseline: String,
    /// Whether each replicate draws its own world or all share one.
    pub world: WorldDraw,
    /// Refuse runs of more department-quarters than this (all strategies and replicates).
    pub max_work: f64,
    /// Refuse runs whose projected output exceeds this many megabytes.
    pub max_output_mb: f64,
    /// Calendar year of the first simulated year (none: years count 1..N).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_year: Option<i32>,
}

/// `run.world`: what an interval over replicates covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorldDraw {
    /// Each replicate draws its own world (the unobserved attributes,
    /// needs and populations; the structure of a synthetic preset is set by
    /// its keys): intervals cover world uncertainty and exchange noise.
    #[default]
    PerReplicate,
    /// All replicates share the world drawn for replicate 0: intervals
    /// cover exchange noise only ("my province as it is").
    Fixed,
}

impl WorldDraw {
    pub fn id(self) -> &'static str {
        match self {
            WorldDraw::PerReplicate => "per-replicate",
            WorldDraw::Fixed => "fixed",
        }
    }
}

impl RunParams {
    /// Calendar year of simulated year `year` (year 0, the initial state,
    /// is the year before the start), when `start_year` is given.
    pub fn calendar_year(&self, year: u32) -> Option<i32> {
        self.start_year.map(|s| s - 1 + year as i32)
    }
}

impl Default for RunParams {
    fn default() -> Self {
        RunParams {
            years: 5,
            replicates: 30,
            seed: 42,
            framework: String::new(),
            baseline: String::new(),
            world: WorldDraw::default(),
            max_work: 1e12,
            max_output_mb: 2000.0,
            start_year: None,
        }
    }
}

/// Every mechanism's parameters.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelParams {
    pub flow: FlowParams,
    pub barriers: BarrierParams,
    pub trust: TrustParams,
    pub standards: StandardsParams,
    pub platforms: PlatformParams,
    pub hardware: HardwareParams,
    pub investment: InvestmentParams,
    pub institutions: InstitutionParams,
    pub coordination: CoordinationParams,
    pub domains: DomainParams,
    pub diffusion: DiffusionParams,
    pub services: ServiceParams,
}

/// The top-level tables of [`ModelParams`], in order (a test checks them
/// against the struct).
pub const MODEL_SECTIONS: [&str; 12] = [
    "flow",
    "barriers",
    "trust",
    "standards",
    "platforms",
    "hardware",
    "investment",
    "institutions",
    "coordination",
    "domains",
    "diffusion",
    "services",
];

/// `[[catalog.departments]]`: override a default department type (by `id`) or add one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepartmentOverride {
    pub id: String,
    pub name_en: Option<String>,
    pub name_zh: Option<String>,
    pub sensitivity: Option<f64>,
    pub value: Option<f64>,
    pub vertical: Option<f64>,
    pub lowest_level: Option<Level>,
    pub systems: Option<f64>,
}

/// `[[catalog.domains]]`: override a default domain (by `id`) or add one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DomainOverride {
    pub id: String,
    pub name_en: Option<String>,
    pub name_zh: Option<String>,
    pub departments: Option<Vec<String>>,
    pub complexity: Option<f64>,
    pub lag_quarters: Option<f64>,
    pub grassroots_load: Option<f64>,
    pub top_down: Option<f64>,
    pub outward: Option<bool>,
}

/// `[catalog]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogOverrides {
    pub departments: Vec<DepartmentOverride>,
    pub domains: Vec<DomainOverride>,
}

/// Strategy keys that are not levers.
pub const STRATEGY_META: [&str; 4] = ["name", "name_zh", "description", "description_zh"];

/// The scenario file's own top-level keys. The mechanism sections
/// ([`ModelParams`]), `[defaults]` and `[[strategy]]` are split off the
/// table and deserialised separately (strategies after merging over the
/// defaults), so unknown keys are found by [`super::check`] instead of serde.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RawScenario {
    pub name: String,
    pub name_zh: String,
    pub description: String,
    pub description_zh: String,
    pub run: RunParams,
    pub world: WorldParams,
    pub catalog: CatalogOverrides,
    /// `[[event]]`: dated per-unit events.
    pub event: Vec<RawEvent>,
    /// CSV file of dated events, relative to the scenario file (empty = none).
    pub events: String,
    /// `[event_dates]`: how uncertain event dates are drawn.
    pub event_dates: EventDates,
}

/// Top-level keys that belong to [`RawScenario`].
pub const META_KEYS: [&str; 10] = [
    "name",
    "name_zh",
    "description",
    "description_zh",
    "run",
    "world",
    "catalog",
    "event",
    "events",
    "event_dates",
];

/// The schema used to find unknown keys: a TOML table holding every key
/// the scenario format knows, with one example element in each array of tables.
pub fn schema() -> toml::Table {
    let mut raw = RawScenario::default();
    raw.catalog.departments.push(DepartmentOverride {
        name_en: Some(String::new()),
        name_zh: Some(String::new()),
        sensitivity: Some(0.0),
        value: Some(0.0),
        vertical: Some(0.0),
        lowest_level: Some(Level::County),
        systems: Some(1.0),
        ..Default::default()
    });
    raw.catalog.domains.push(DomainOverride {
        name_en: Some(String::new()),
        name_zh: Some(String::new()),
        departments: Some(vec![]),
        complexity: Some(0.0),
        lag_quarters: Some(1.0),
        grassroots_load: Some(0.0),
        top_down: Some(0.0),
        outward: Some(true),
        ..Default::default()
    });
    raw.run.start_year = Some(2016);
    raw.event.push(RawEvent::default());
    let mut t = toml::Table::try_from(&raw).expect("the raw scenario serialises");
    let model = toml::Table::try_from(ModelParams::default()).expect("model parameters serialise");
    t.extend(model);
    let levers = toml::Table::try_from(Levers::default()).expect("levers serialise");
    let mut strategy = levers.clone();
    for k in STRATEGY_META {
        strategy.insert(k.into(), toml::Value::String(String::new()));
    }
    t.insert("defaults".into(), toml::Value::Table(levers));
    t.insert(
        "strategy".into(),
        toml::Value::Array(vec![toml::Value::Table(strategy)]),
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_holds_every_section() {
        let s = schema();
        let top = ["name", "run", "world", "catalog", "defaults", "strategy"];
        for k in top.into_iter().chain(MODEL_SECTIONS) {
            assert!(s.contains_key(k), "{k}");
        }
        let model = toml::Table::try_from(ModelParams::default()).unwrap();
        assert_eq!(model.len(), MODEL_SECTIONS.len());
        for k in MODEL_SECTIONS {
            assert!(model.contains_key(k), "{k}");
        }
        let b = s["barriers"].as_table().unwrap();
        assert!(b["dare_not"].as_table().unwrap().contains_key("weight"));
    }
}
