//! The levers the classroom page shows: every strategy lever of
//! docs/model.md §4 that makes sense as a slider, switch or chooser, with its
//! accepted range and a one-line bilingual explanation.
//!
//! Rules: a lever id is the dotted key path of the lever inside a
//! `[[strategy]]` table, so an override is applied by editing the scenario's
//! TOML table and re-validating it with `scenario::from_table` — the page
//! gets exactly the checks a scenario file gets, plus the ranges below
//! (which are never wider than the file's). Year levers accept
//! 1 ..= years + 1 (`years + 1` means "not within this run").

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{InputError, did_you_mean};
use crate::scenario::Scenario;

/// What kind of control a lever is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// One of named options: (id, English, Chinese).
    Choice(&'static [(&'static str, &'static str, &'static str)]),
    /// A number in a range with a slider step.
    Number { min: f64, max: f64, step: f64 },
    /// A simulated year (1 ..= years + 1).
    Year,
    /// On or off.
    Switch,
    /// A set of domain ids of the scenario.
    Domains,
}

/// One lever.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeverDef {
    pub id: &'static str,
    /// Group, one of `catalog::LEVERS` ids.
    pub group: &'static str,
    pub kind: Kind,
    pub label: [&'static str; 2],
    pub help: [&'static str; 2],
}

const PLATFORMS: &[(&str, &str, &str)] = &[
    ("local", "Local builds", "本地自建"),
    ("city", "City-level builds", "市级建设"),
    ("provincial", "Provincial centralisation", "省级统建"),
    ("hybrid", "Province builds, cities customise", "省建市配"),
];
const STANDARDS: &[(&str, &str, &str)] = &[
    ("none", "No common standard", "无统一标准"),
    ("provincial", "Provincial standard", "省级统一标准"),
    ("national", "National standard", "全国统一标准"),
];
const HARDWARE: &[(&str, &str, &str)] = &[
    ("needs", "By need", "按需配置"),
    ("uniform", "Uniform", "平均配置"),
];
const AGENCY: &[(&str, &str, &str)] = &[
    ("none", "None", "无"),
    ("provincial", "Provincial data agency", "省级数据管理机构"),
    ("national", "National data agency", "国家数据管理机构"),
];
const REUSE: &[(&str, &str, &str)] = &[
    ("spontaneous", "Spontaneous", "自发扩散"),
    ("provincial", "Provincial promotion", "省级推广"),
    ("national", "National promotion", "国家推广"),
];

const SHARE: Kind = Kind::Number {
    min: 0.0,
    max: 1.0,
    step: 0.05,
};

const fn lever(
    id: &'static str,
    group: &'static str,
    kind: Kind,
    label: [&'static str; 2],
    help: [&'static str; 2],
) -> LeverDef {
    LeverDef {
        id,
        group,
        kind,
        label,
        help,
    }
}

/// Every lever of the classroom page, in display order.
pub const LEVERS: &[LeverDef] = &[
    lever(
        "platforms",
        "platforms",
        Kind::Choice(PLATFORMS),
        ["Platform deployment", "平台部署"],
        [
            "Who builds the data-exchange platforms: every place, each city, or the province once for all.",
            "由谁建设数据交换平台：各地自建、各市建设，还是省级一次建成、全省共用。",
        ],
    ),
    lever(
        "standards",
        "standards",
        Kind::Choice(STANDARDS),
        ["Data standards", "数据标准"],
        [
            "Which common data standard platforms converge on; data crossing different standards is partly unusable.",
            "平台向哪一级统一数据标准靠拢；跨不同标准流动的数据部分不可用。",
        ],
    ),
    lever(
        "standards_pace",
        "standards",
        SHARE,
        ["Standards pace", "标准推进速度"],
        [
            "Yearly chance that a platform adopts the common standard.",
            "每年平台采用统一标准的概率。",
        ],
    ),
    lever(
        "standards_year",
        "standards",
        Kind::Year,
        ["Standards drive starts (year)", "标准推进起始年"],
        [
            "Year in which the standards drive begins.",
            "统一标准工作开始的年份。",
        ],
    ),
    lever(
        "investment.budget",
        "investment",
        Kind::Number {
            min: 0.0,
            max: 5.0,
            step: 0.1,
        },
        ["Budget level", "投入水平"],
        [
            "Multiplier on the baseline digital-government budget (1 = today).",
            "数字政府预算相对基线的倍数（1 = 现状）。",
        ],
    ),
    lever(
        "investment.hardware",
        "investment",
        SHARE,
        ["Budget share: hardware", "预算占比：硬件"],
        [
            "Share of the budget spent on computers, server rooms and screens; the four shares add up to 1.",
            "用于计算机、机房、大屏等硬件的预算占比；四项占比之和为 1。",
        ],
    ),
    lever(
        "investment.platforms",
        "investment",
        SHARE,
        ["Budget share: platforms", "预算占比：平台"],
        [
            "Share of the budget for building, connecting and running platforms.",
            "用于平台建设、接入和运行的预算占比。",
        ],
    ),
    lever(
        "investment.talent",
        "investment",
        SHARE,
        ["Budget share: talent", "预算占比：人才"],
        [
            "Share of the budget for training and hiring digital staff.",
            "用于培养和引进数字化人才的预算占比。",
        ],
    ),
    lever(
        "investment.data_governance",
        "investment",
        SHARE,
        ["Budget share: data governance", "预算占比：数据治理"],
        [
            "Share of the budget for data quality; better data lowers the 'dare not share' barrier.",
            "用于提升数据质量的预算占比；数据质量越好，“不敢共享”越少。",
        ],
    ),
    lever(
        "investment.hardware_deployment",
        "investment",
        Kind::Choice(HARDWARE),
        ["Hardware deployment", "硬件配置方式"],
        [
            "Deploy hardware where it is needed, or the same everywhere (idle capacity).",
            "按实际需要配置硬件，还是各地平均配置（容易闲置）。",
        ],
    ),
    lever(
        "institutions.property_rights.strength",
        "institutions",
        SHARE,
        ["Data property-rights reform", "数据产权改革力度"],
        [
            "Strength of the reform that settles who owns data (0 = none); lowers 'dare not' and 'unwilling'.",
            "明确数据归属的改革力度（0 = 不改革）；降低“不敢”和“不愿”。",
        ],
    ),
    lever(
        "institutions.property_rights.year",
        "institutions",
        Kind::Year,
        ["Property-rights reform year", "数据产权改革年份"],
        [
            "Year the property-rights reform takes effect.",
            "数据产权改革生效的年份。",
        ],
    ),
    lever(
        "institutions.revenue_distribution.strength",
        "institutions",
        SHARE,
        ["Revenue-distribution reform", "收益分配改革力度"],
        [
            "Strength of the reform that shares the returns of data; lowers 'unwilling'.",
            "分享数据收益的改革力度；降低“不愿”。",
        ],
    ),
    lever(
        "institutions.revenue_distribution.year",
        "institutions",
        Kind::Year,
        ["Revenue-distribution reform year", "收益分配改革年份"],
        [
            "Year the revenue-distribution reform takes effect.",
            "收益分配改革生效的年份。",
        ],
    ),
    lever(
        "institutions.circulation.strength",
        "institutions",
        SHARE,
        ["Circulation and trading reform", "流通交易改革力度"],
        [
            "Strength of the rules for data circulation and trading.",
            "数据流通与交易规则的改革力度。",
        ],
    ),
    lever(
        "institutions.circulation.year",
        "institutions",
        Kind::Year,
        ["Circulation reform year", "流通交易改革年份"],
        [
            "Year the circulation reform takes effect.",
            "流通交易改革生效的年份。",
        ],
    ),
    lever(
        "institutions.security_governance.strength",
        "institutions",
        SHARE,
        ["Security-governance reform", "安全治理改革力度"],
        [
            "Strength of data-security governance; lowers 'dare not'.",
            "数据安全治理的改革力度；降低“不敢”。",
        ],
    ),
    lever(
        "institutions.security_governance.year",
        "institutions",
        Kind::Year,
        ["Security-governance reform year", "安全治理改革年份"],
        [
            "Year the security-governance reform takes effect.",
            "安全治理改革生效的年份。",
        ],
    ),
    lever(
        "coordination.agency",
        "coordination",
        Kind::Choice(AGENCY),
        ["Data-management agency", "数据管理机构"],
        [
            "A dedicated agency gives departments a strong lead; lowers 'unable'.",
            "专门的数据管理机构提供强有力的牵头协调；降低“不能”。",
        ],
    ),
    lever(
        "coordination.agency_year",
        "coordination",
        Kind::Year,
        ["Agency starts (year)", "机构设立年份"],
        [
            "Year the data-management agency starts acting.",
            "数据管理机构开始运作的年份。",
        ],
    ),
    lever(
        "coordination.sector_domains",
        "coordination",
        Kind::Domains,
        ["Sector-by-sector coordination", "分领域统筹"],
        [
            "Domains whose line ministries coordinate top-down.",
            "由条线部门自上而下统筹的领域。",
        ],
    ),
    lever(
        "coordination.sector_strength",
        "coordination",
        SHARE,
        ["Sector coordination strength", "分领域统筹力度"],
        [
            "How strongly the chosen domains are coordinated.",
            "所选领域的统筹力度。",
        ],
    ),
    lever(
        "coordination.sector_year",
        "coordination",
        Kind::Year,
        ["Sector coordination starts (year)", "分领域统筹起始年"],
        [
            "Year sector-by-sector coordination starts.",
            "分领域统筹开始的年份。",
        ],
    ),
    lever(
        "regional.transfers",
        "regional",
        SHARE,
        ["East-to-west transfers", "东西部转移支付"],
        [
            "Share of donor budgets moved to lagging regions ('east data, west computing').",
            "发达地区预算转移给欠发达地区的比例（“东数西算”）。",
        ],
    ),
    lever(
        "regional.transfers_year",
        "regional",
        Kind::Year,
        ["Transfers start (year)", "转移支付起始年"],
        ["Year transfers start.", "转移支付开始的年份。"],
    ),
    lever(
        "regional.backstop",
        "regional",
        Kind::Switch,
        ["Provincial back-stopping", "省级兜底建设"],
        [
            "The province builds for counties too poor to build for themselves.",
            "省级为财力不足的县区代建平台。",
        ],
    ),
    lever(
        "regional.backstop_threshold",
        "regional",
        SHARE,
        ["Back-stop threshold", "兜底门槛"],
        [
            "Fiscal capacity below which a county counts as lagging.",
            "财力低于该值的县区视为落后县区。",
        ],
    ),
    lever(
        "reuse",
        "reuse",
        Kind::Choice(REUSE),
        ["Reuse of innovations", "创新复用"],
        [
            "How local innovations spread: by imitation, or promoted by the province or the nation.",
            "地方创新如何扩散：自发模仿，还是由省级或国家推广。",
        ],
    ),
];

/// The lever with this id, or a 400-worthy error with a suggestion.
pub fn find(id: &str) -> Result<&'static LeverDef, InputError> {
    LEVERS.iter().find(|l| l.id == id).ok_or_else(|| {
        let mut e = InputError::new(format!("unknown lever `{id}`"))
            .key(format!("levers.{id}"))
            .expected("a lever id listed by GET /api/presets/{name}");
        if let Some(m) = did_you_mean(id, LEVERS.iter().map(|l| l.id)) {
            e = e.suggest(format!("did you mean `{m}`?"));
        }
        e
    })
}

/// Accepted (min, max) of a numeric lever for a run of `years`.
fn range(kind: Kind, years: u32) -> Option<(f64, f64)> {
    match kind {
        Kind::Number { min, max, .. } => Some((min, max)),
        Kind::Year => Some((1.0, years as f64 + 1.0)),
        _ => None,
    }
}

/// Check a requested value against the lever and turn it into TOML.
pub fn to_toml(
    def: &LeverDef,
    value: &Value,
    years: u32,
    domains: &[String],
    key: &str,
) -> Result<toml::Value, InputError> {
    let wrong = |what: &str| {
        InputError::new(format!("lever `{}` expects {what}, got {value}", def.id))
            .key(key.to_string())
    };
    match def.kind {
        Kind::Choice(options) => {
            let s = value.as_str().ok_or_else(|| wrong("a string"))?;
            if options.iter().any(|o| o.0 == s) {
                Ok(toml::Value::String(s.to_string()))
            } else {
                let ids: Vec<&str> = options.iter().map(|o| o.0).collect();
                let mut e = InputError::new(format!("lever `{}` has no option `{s}`", def.id))
                    .key(key.to_string())
                    .expected(ids.join(", "));
                if let Some(m) = did_you_mean(s, ids.iter().copied()) {
                    e = e.suggest(format!("did you mean `{m}`?"));
                }
                Err(e)
            }
        }
        Kind::Number { .. } | Kind::Year => {
            let x = value.as_f64().ok_or_else(|| wrong("a number"))?;
            let (lo, hi) = range(def.kind, years).unwrap_or((x, x));
            if !(lo..=hi).contains(&x) {
                return Err(
                    InputError::new(format!("lever `{}` = {x} is out of range", def.id))
                        .key(key.to_string())
                        .expected(format!("a number from {lo} to {hi}")),
                );
            }
            Ok(toml::Value::Float(x))
        }
        Kind::Switch => value
            .as_bool()
            .map(toml::Value::Boolean)
            .ok_or_else(|| wrong("true or false")),
        Kind::Domains => {
            let items = value
                .as_array()
                .ok_or_else(|| wrong("a list of domain ids"))?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let s = item.as_str().ok_or_else(|| wrong("a list of domain ids"))?;
                if !domains.iter().any(|d| d == s) {
                    let mut e = InputError::new(format!("unknown domain `{s}`"))
                        .key(key.to_string())
                        .expected(domains.join(", "));
                    if let Some(m) = did_you_mean(s, domains.iter().map(String::as_str)) {
                        e = e.suggest(format!("did you mean `{m}`?"));
                    }
                    return Err(e);
                }
                out.push(toml::Value::String(s.to_string()));
            }
            Ok(toml::Value::Array(out))
        }
    }
}

/// A lever described for the page: control, range, texts and each strategy's value.
#[derive(Debug, Clone, Serialize)]
pub struct LeverInfo {
    pub id: &'static str,
    pub group: &'static str,
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Value>,
    pub label_en: &'static str,
    pub label_zh: &'static str,
    pub help_en: &'static str,
    pub help_zh: &'static str,
    /// Value per strategy, in scenario order.
    pub values: Vec<Value>,
}

/// Every lever with its range for this scenario and each strategy's resolved value.
pub fn describe(sc: &Scenario) -> Vec<LeverInfo> {
    let resolved: Vec<Value> = sc
        .strategies
        .iter()
        .map(|s| serde_json::to_value(&s.levers).unwrap_or(Value::Null))
        .collect();
    LEVERS
        .iter()
        .map(|def| {
            let (kind, step, options) = match def.kind {
                Kind::Choice(o) => (
                    "choice",
                    None,
                    o.iter()
                        .map(|(id, en, zh)| json!({"id": id, "en": en, "zh": zh}))
                        .collect(),
                ),
                Kind::Number { step, .. } => ("number", Some(step), Vec::new()),
                Kind::Year => ("year", Some(1.0), Vec::new()),
                Kind::Switch => ("switch", None, Vec::new()),
                Kind::Domains => (
                    "domains",
                    None,
                    sc.domains
                        .iter()
                        .map(|d| json!({"id": d.id, "en": d.name_en, "zh": d.name_zh}))
                        .collect(),
                ),
            };
            let range = range(def.kind, sc.run.years);
            LeverInfo {
                id: def.id,
                group: def.group,
                kind,
                min: range.map(|r| r.0),
                max: range.map(|r| r.1),
                step,
                options,
                label_en: def.label[0],
                label_zh: def.label[1],
                help_en: def.help[0],
                help_zh: def.help[1],
                values: resolved.iter().map(|v| lookup(v, def.id)).collect(),
            }
        })
        .collect()
}

/// The value at a dotted path of a JSON object (Null when absent).
fn lookup(v: &Value, path: &str) -> Value {
    path.split('.')
        .try_fold(v, |v, k| v.get(k))
        .cloned()
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lever_resolves_on_a_default_scenario() {
        let sc = crate::scenario::from_str("name = \"t\"", None).unwrap();
        for info in describe(&sc) {
            assert!(
                !info.values[0].is_null(),
                "lever {} has no value in the resolved levers",
                info.id
            );
        }
    }

    #[test]
    fn groups_are_catalogue_lever_groups() {
        for l in LEVERS {
            assert!(
                crate::catalog::LEVERS.iter().any(|g| g.0 == l.group),
                "{}",
                l.id
            );
        }
    }

    #[test]
    fn values_are_checked() {
        let def = find("investment.budget").unwrap();
        assert!(to_toml(def, &json!(7.0), 5, &[], "k").is_err());
        assert!(to_toml(def, &json!("high"), 5, &[], "k").is_err());
        assert_eq!(
            to_toml(def, &json!(2), 5, &[], "k").unwrap(),
            toml::Value::Float(2.0)
        );
        let year = find("standards_year").unwrap();
        assert!(to_toml(year, &json!(6), 5, &[], "k").is_ok());
        assert!(to_toml(year, &json!(7), 5, &[], "k").is_err());
        let e = to_toml(find("platforms").unwrap(), &json!("provincal"), 5, &[], "k").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("did you mean `provincial`?"));
        let d = ["public_services".to_string()];
        let dom = find("coordination.sector_domains").unwrap();
        assert!(to_toml(dom, &json!(["public_services"]), 5, &d, "k").is_ok());
        assert!(to_toml(dom, &json!(["public"]), 5, &d, "k").is_err());
        assert_eq!(
            find("platfroms").unwrap_err().suggestion.as_deref(),
            Some("did you mean `platforms`?")
        );
    }
}
