//! The metrics registry: one table of every output metric (docs/model.md §5),
//! with its id, unit, range, better direction, how it aggregates over a
//! scope, and its English and Chinese names.
//!
//! Rules: this table drives the CSV `metric` ids, `docs/outputs.md`, the
//! `list` subcommand, the summary tables and report labels alike. Ids are
//! stable; each row names its computation ([`Compute`]), so adding a
//! metric means adding one row here (and, for a new kind of computation,
//! one [`Compute`] variant that `metrics::collect` carries out).

use serde::Serialize;

use crate::catalog::Lang;
use crate::catalog::domains::DomainDef;

/// Which direction is better, for comparisons and regret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Higher,
    Lower,
    /// No better direction (descriptive only).
    Neutral,
}

impl Direction {
    pub fn id(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
            Direction::Neutral => "neutral",
        }
    }
    /// +1 when higher is better, −1 when lower is better, 0 otherwise.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Higher => 1.0,
            Direction::Lower => -1.0,
            Direction::Neutral => 0.0,
        }
    }
}

/// How a metric combines over the units of a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Level-balanced, population-weighted mean of unit values.
    UnitMean,
    /// Pooled rate over the links of the scope (successes / attempts).
    LinkRate,
    /// Sum over the scope.
    Sum,
    /// Computed for the scope as a whole (ratios, inequality indices).
    Scope,
}

/// How a metric is computed from a run: each row of the table names its
/// computation here, and `metrics::collect` carries it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compute {
    /// Level-balanced mean of a unit value.
    Unit(UnitValue),
    /// Level-balanced mean of the collaboration in domain `d` (scenario order).
    Domain(usize),
    /// Successes over attempts pooled over the scope's links.
    Rate(LinkRate),
    /// Cumulative cost, summed.
    Cost,
    /// Platforms built below the province, summed.
    Duplicates,
    /// Innovations that arose in the scope, summed.
    Innovations,
    /// Cumulative cost over the scope's population.
    CostPerCapita,
    /// Idle hardware capacity over deployed capacity.
    Idle,
    /// Mean share of eligible units that adopted each innovation.
    Adoption,
    /// Theil T of maturity across the scope's lowest maturity level.
    Theil,
    /// Maturity of east units minus west units.
    EastWest,
    /// Information systems, summed.
    Systems,
    /// System-to-system links, summed.
    SystemLinks,
}

impl Compute {
    /// How the computation combines over a scope.
    pub fn aggregation(self) -> Aggregation {
        match self {
            Compute::Unit(_) | Compute::Domain(_) => Aggregation::UnitMean,
            Compute::Rate(_) => Aggregation::LinkRate,
            Compute::Cost
            | Compute::Duplicates
            | Compute::Innovations
            | Compute::Systems
            | Compute::SystemLinks => Aggregation::Sum,
            Compute::CostPerCapita
            | Compute::Idle
            | Compute::Adoption
            | Compute::Theil
            | Compute::EastWest => Aggregation::Scope,
        }
    }
}

/// The per-unit values a scope averages, in the order `metrics::collect`
/// holds them (domains follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitValue {
    Collab,
    Maturity,
    Stage,
    ServicesOnline,
    ZeroVisit,
    PlatformFit,
}

impl UnitValue {
    /// Number of unit values before the domains.
    pub const COUNT: usize = 6;
}

/// The link rates a scope pools, in the order `metrics::collect` holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRate {
    FlowUp,
    FlowDown,
    Sharing,
    Usability,
    DareNot,
    Unwilling,
    Unable,
    Trust,
    SystemLinkUsability,
}

impl LinkRate {
    /// Number of link rates.
    pub const COUNT: usize = 9;
}

/// One metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDef {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: &'static str,
    /// Inclusive range of valid values; `None` for unbounded above.
    pub min: f64,
    pub max: Option<f64>,
    pub direction: Direction,
    pub aggregation: Aggregation,
    pub description: String,
    /// One of the headline metrics shown in tables and reports.
    pub headline: bool,
    /// How the metric is computed from a run (`metrics::collect`).
    #[serde(skip)]
    pub compute: Compute,
}

impl MetricDef {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_en, &self.name_zh)
    }
}

#[allow(clippy::too_many_arguments)]
fn m(
    id: &str,
    en: &str,
    zh: &str,
    unit: &'static str,
    range: (f64, Option<f64>),
    direction: Direction,
    compute: Compute,
    headline: bool,
    description: &str,
) -> MetricDef {
    MetricDef {
        id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
        unit,
        min: range.0,
        max: range.1,
        direction,
        aggregation: compute.aggregation(),
        description: description.into(),
        headline,
        compute,
    }
}

/// Metric ids in output order, for the given domains.
pub fn metrics(domains: &[DomainDef]) -> Vec<MetricDef> {
    use Compute::*;
    use Direction::*;
    let pct = (0.0, Some(100.0));
    let share = (0.0, Some(1.0));
    let open = (0.0, None);
    let mut v = vec![
        m(
            "collab_index",
            "Tiao-kuai collaboration index",
            "条块协同指数",
            "index 0-100",
            pct,
            Higher,
            Unit(UnitValue::Collab),
            true,
            "Headline collaboration: the geometric mean of vertical flow (up and down), cross-department sharing and cross-system usability of each unit, times 100.",
        ),
        m(
            "maturity_index",
            "Digital government maturity index",
            "数字政府成熟度指数",
            "index 0-100",
            pct,
            Higher,
            Unit(UnitValue::Maturity),
            true,
            "Composite maturity of each unit computed by the assessment engine with the run's framework (default frameworks/tiaokuai.toml).",
        ),
        m(
            "maturity_stage",
            "Maturity stage",
            "成熟度阶段",
            "stage 1-5",
            (1.0, Some(5.0)),
            Higher,
            Unit(UnitValue::Stage),
            false,
            "Stage of the framework's bands (1 catalogue, 2 transaction, 3 vertical integration, 4 horizontal integration, 5 data-driven); the scope value is the mean stage.",
        ),
        m(
            "flow_up",
            "Upward data flow",
            "数据向上流动",
            "share 0-1",
            share,
            Higher,
            Rate(LinkRate::FlowUp),
            false,
            "Share of upward exchange attempts (a department to the same department one level up) that succeeded this quarter.",
        ),
        m(
            "flow_down",
            "Downward data flow",
            "数据向下回流",
            "share 0-1",
            share,
            Higher,
            Rate(LinkRate::FlowDown),
            false,
            "Share of downward exchange attempts (upper-level data returned to the level below) that succeeded this quarter.",
        ),
        m(
            "sharing_horizontal",
            "Cross-department sharing",
            "跨部门数据共享",
            "share 0-1",
            share,
            Higher,
            Rate(LinkRate::Sharing),
            true,
            "Share of horizontal exchange attempts between departments of the same unit that succeeded this quarter.",
        ),
        m(
            "cross_system_usability",
            "Cross-system usability",
            "跨系统数据可用性",
            "share 0-1",
            share,
            Higher,
            Rate(LinkRate::Usability),
            false,
            "Mean usable share of data crossing links this quarter: 1 on a shared standard, lower across standards.",
        ),
        m(
            "barrier_dare_not",
            "Barrier: dare not share",
            "不敢共享",
            "share 0-1",
            share,
            Lower,
            Rate(LinkRate::DareNot),
            false,
            "Mean 'dare not' barrier over horizontal links: data-quality and security risk of the providing department.",
        ),
        m(
            "barrier_unwilling",
            "Barrier: unwilling to share",
            "不愿共享",
            "share 0-1",
            share,
            Lower,
            Rate(LinkRate::Unwilling),
            false,
            "Mean 'unwilling' barrier over horizontal links: value of the data as bargaining power, net of reforms and coordination.",
        ),
        m(
            "barrier_unable",
            "Barrier: unable to share",
            "不能共享",
            "share 0-1",
            share,
            Lower,
            Rate(LinkRate::Unable),
            false,
            "Mean 'unable' barrier over horizontal links: no exchange platform, no money, no strong lead, grassroots overload.",
        ),
        m(
            "trust",
            "Trust between departments",
            "部门间信任",
            "share 0-1",
            share,
            Higher,
            Rate(LinkRate::Trust),
            false,
            "Mean trust stock on horizontal links; grows with successful exchanges and falls faster after failures.",
        ),
    ];
    for (i, d) in domains.iter().enumerate() {
        v.push(m(
            &format!("domain_{}", d.id),
            &format!("Collaboration: {}", d.name_en),
            &format!("协同：{}", d.name_zh),
            "index 0-100",
            pct,
            Higher,
            Domain(i),
            false,
            &format!("Collaboration in the {} domain: the lagged conjunction of horizontal sharing among its departments and their vertical flow.", d.name_en.to_lowercase()),
        ));
    }
    v.extend([
        m("services_online", "Services online", "网上可办服务", "% of catalogue", pct, Higher, Unit(UnitValue::ServicesOnline), true,
          "Share of the unit's service catalogue that can be handled online."),
        m("zero_visit_share", "Zero-visit services", "零跑动服务占比", "% of catalogue", pct, Higher, Unit(UnitValue::ZeroVisit), false,
          "Share of the service catalogue handled with zero visits (needs shared data behind the online service)."),
        m("cost_total", "Total cost", "总成本", "million yuan", open, Lower, Cost, true,
          "Cumulative spending to date: platform builds, connections, customisation, running costs, hardware, talent, data governance, reuse adoption."),
        m("cost_per_capita", "Cost per capita", "人均成本", "yuan per person", open, Lower, CostPerCapita, false,
          "Cumulative cost divided by the scope's population."),
        m("duplicate_platforms", "Duplicate platforms", "重复建设平台", "platforms", open, Lower, Duplicates, true,
          "Exchange platforms built by cities and counties, below the province (which builds its own in every mode): the builds that 'build once above' avoids."),
        m("platform_fit", "Platform fit to local needs", "平台适配度", "share 0-1", share, Higher, Unit(UnitValue::PlatformFit), false,
          "How well the platform serving each unit fits its local needs (falls with distance from the builder's needs); 0 where no platform serves the unit."),
        m("idle_hardware", "Idle hardware", "闲置硬件", "share 0-1", share, Lower, Idle, false,
          "Share of deployed hardware capacity in the scope that exceeds need and sits idle."),
        m("innovations", "Innovations", "创新举措", "innovations", open, Higher, Innovations, false,
          "Cumulative number of local innovations (pilots) that arose in the scope."),
        m("adoption_share", "Innovation adoption", "创新复用率", "share 0-1", share, Higher, Adoption, false,
          "Mean over innovations of the share of eligible units (cities and counties) in the scope that have adopted it."),
        m("disparity_theil", "Regional disparity (Theil)", "区域差异（泰尔指数）", "Theil T", open, Lower, Theil, false,
          "Theil T index of maturity across the units of the lowest level that carries maturity in the scope (counties where present)."),
        m("east_west_gap", "East-west maturity gap", "东西部成熟度差距", "index points", (-100.0, Some(100.0)), Lower, EastWest, false,
          "Mean maturity of east units minus west units; written only for scopes holding both."),
        m("systems", "Information systems", "信息系统数", "systems", open, Neutral, Systems, false,
          "Information systems run by the departments of the scope: the catalogue's systems per department type times standards.systems_by_level, at least one per department (fixed by the world)."),
        m("system_links", "Cross-system links", "跨系统连接数", "links", open, Neutral, SystemLinks, false,
          "System-to-system links in the scope: between every system of one department and every system of a department it shares a domain with, and between the systems of one department (fixed by the world)."),
        m("system_link_usability", "Cross-system link usability", "跨系统连接可用性", "share 0-1", share, Higher, Rate(LinkRate::SystemLinkUsability), false,
          "Mean usable share over the scope's system-to-system links: 1 where both systems are on their platform's standard, the cross-standard usability where one is on a legacy standard, the legacy usability in units without a platform."),
    ]);
    v
}

/// Ids of the headline metrics, in display order.
pub fn headline_ids() -> [&'static str; 6] {
    [
        "collab_index",
        "maturity_index",
        "sharing_horizontal",
        "services_online",
        "cost_total",
        "duplicate_platforms",
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::domains;

    #[test]
    fn ids_unique_and_cover_the_issue_list() {
        let ms = metrics(&domains::defaults());
        let mut ids: Vec<_> = ms.iter().map(|m| m.id.as_str()).collect();
        for need in [
            "collab_index",
            "maturity_index",
            "maturity_stage",
            "flow_up",
            "flow_down",
            "sharing_horizontal",
            "cross_system_usability",
            "services_online",
            "zero_visit_share",
            "cost_total",
            "cost_per_capita",
            "duplicate_platforms",
            "platform_fit",
            "idle_hardware",
            "innovations",
            "adoption_share",
            "disparity_theil",
            "east_west_gap",
            "systems",
            "system_links",
            "system_link_usability",
            "domain_social_management",
            "domain_public_services",
        ] {
            assert!(ids.contains(&need), "missing {need}");
        }
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n);
        for h in headline_ids() {
            assert!(ms.iter().any(|m| m.id == h));
        }
    }
}

/// Marker after which `docs/outputs.md` is generated from this table.
pub const GENERATED_MARK: &str =
    "<!-- generated from src/metrics/registry.rs: do not edit below -->";

/// The metrics table of `docs/outputs.md`, as Markdown.
pub fn reference_markdown(domains: &[DomainDef]) -> String {
    let mut out = String::from(
        "\n| metric | name | 中文 | unit | range | better | scope aggregation | meaning |\n|---|---|---|---|---|---|---|---|\n",
    );
    for m in metrics(domains) {
        let range = match m.max {
            Some(hi) => format!("{}–{}", m.min, hi),
            None => format!("≥ {}", m.min),
        };
        let agg = match m.aggregation {
            Aggregation::UnitMean => "level-balanced mean",
            Aggregation::LinkRate => "pooled over links",
            Aggregation::Sum => "sum",
            Aggregation::Scope => "computed for the scope",
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |\n",
            m.id,
            m.name_en,
            m.name_zh,
            m.unit,
            range,
            m.direction.id(),
            agg,
            m.description
        ));
    }
    out
}

#[cfg(test)]
mod doc_tests {
    use super::*;
    use crate::catalog::domains;

    #[test]
    fn committed_outputs_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/outputs.md");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let head = text.split(GENERATED_MARK).next().unwrap_or("").to_string();
        let want = format!(
            "{head}{GENERATED_MARK}\n{}",
            reference_markdown(&domains::defaults())
        );
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, &want).expect("write docs/outputs.md");
        }
        assert!(
            text == want,
            "docs/outputs.md is stale: run `BLESS=1 cargo test registry`"
        );
    }
}

#[cfg(test)]
mod headline_tests {
    use super::*;
    use crate::catalog::domains;

    #[test]
    fn headline_flags_match_headline_ids() {
        let ms = metrics(&domains::defaults());
        let flagged: Vec<&str> = ms
            .iter()
            .filter(|m| m.headline)
            .map(|m| m.id.as_str())
            .collect();
        let mut ids = headline_ids().to_vec();
        ids.sort();
        let mut f = flagged.clone();
        f.sort();
        assert_eq!(f, ids);
    }
}
