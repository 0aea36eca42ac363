//! Words and numbers for readers: number formatting, display names of
//! metrics, scopes and strategies in the chosen language, the flattened
//! parameter list, and the plain-words description of a scenario.
//!
//! Rules: every label comes from the catalogue, the metrics table of the
//! run (written from the metrics registry) or the run's own names; nothing
//! here invents a figure — numbers are formatted, never rounded into
//! different values before they reach a table's `data-value`.

use serde_json::Value;

use super::rundir::{MetricInfo, RunDir, ScopeInfo};
use crate::catalog::report_text as rt;
use crate::catalog::{Lang, Level, Region, provinces};

/// A number for display: precision adapted to size, thousands grouped.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let s = if a >= 1000.0 {
        group_thousands(&format!("{v:.0}"))
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.' || c == ',') {
        s[1..].to_string()
    } else {
        s
    }
}

fn group_thousands(digits: &str) -> String {
    let (sign, d) = digits.strip_prefix('-').map_or(("", digits), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// "mean [low, high]".
pub fn fmt_interval(mean: f64, lo: f64, hi: f64) -> String {
    format!("{} [{}, {}]", fmt_num(mean), fmt_num(lo), fmt_num(hi))
}

/// A metric's name in `lang`.
pub fn metric_name(m: &MetricInfo, lang: Lang) -> &str {
    let zh = if m.name_zh.is_empty() {
        &m.name_en
    } else {
        &m.name_zh
    };
    lang.pick(&m.name_en, zh)
}

/// A metric's unit in `lang` (units are short English ids in the registry;
/// the common ones are translated here).
pub fn unit_name(unit: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    let zh = match unit {
        "index 0-100" => "指数 0-100",
        "share 0-1" => "比例 0-1",
        "% of catalogue" => "占事项目录%",
        "million yuan" => "百万元",
        "yuan per person" => "元/人",
        "platforms" => "个平台",
        "innovations" => "项创新",
        "stage 1-5" => "阶段 1-5",
        "index points" => "指数点",
        "Theil T" => "泰尔T指数",
        other => other,
    };
    zh.to_string()
}

/// "Name (unit)" for an axis.
pub fn axis_label(m: &MetricInfo, lang: Lang) -> String {
    format!("{} ({})", metric_name(m, lang), unit_name(&m.unit, lang))
}

/// A scope's name in `lang`.
pub fn scope_name(s: &ScopeInfo, lang: Lang) -> String {
    if lang == Lang::Zh && !s.name_zh.is_empty() {
        return s.name_zh.clone();
    }
    if lang == Lang::En && !s.name.is_empty() {
        return s.name.clone();
    }
    // Fall back to the catalogue for ids it knows.
    let known = match s.level.as_str() {
        "level" => Level::from_id(&s.id).map(|l| l.name(lang).to_string()),
        "region" => Region::from_id(&s.id).map(|r| r.name(lang).to_string()),
        "province" => provinces::find(&s.id).map(|p| lang.pick(p.name_en, p.name_zh).to_string()),
        _ => None,
    };
    known.unwrap_or_else(|| s.id.clone())
}

/// The heading for a kind of scope.
pub fn scope_level_name(level: &str, lang: Lang) -> String {
    match level {
        "world" => rt::SCOPE_WORLD.get(lang).into(),
        "level" => rt::SCOPE_LEVEL.get(lang).into(),
        "region" => rt::SCOPE_REGION.get(lang).into(),
        "province" => rt::SCOPE_PROVINCE.get(lang).into(),
        "rank" => rt::SCOPE_RANK.get(lang).into(),
        other => other.into(),
    }
}

/// Flatten JSON into (dotted path, value) pairs in document order;
/// arrays of objects use their `name` (or index) as the path step.
pub fn flatten(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    let join = |p: &str, k: &str| {
        if p.is_empty() {
            k.to_string()
        } else {
            format!("{p}.{k}")
        }
    };
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                walk(x, join(&path, k), out);
            }
        }
        Value::Array(items) if items.iter().any(|x| x.is_object() || x.is_array()) => {
            for (i, x) in items.iter().enumerate() {
                let step = x
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or(format!("[{i}]"), |n| format!("[{n}]"));
                walk(x, format!("{path}{step}"), out);
            }
        }
        Value::String(s) => out.push((path, s.clone())),
        Value::Null => out.push((path, String::new())),
        other => out.push((path, other.to_string())),
    }
}

/// The per-strategy parameter objects of the resolved scenario, by name,
/// whether the manifest holds them as an array (`strategies = [{name, …}]`,
/// or `strategy`) or as a table keyed by name.
fn strategy_params(resolved: &Value) -> Vec<(String, &Value)> {
    for key in ["strategies", "strategy"] {
        match resolved.get(key) {
            Some(Value::Array(items)) => {
                return items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let name = p
                            .get("name")
                            .and_then(Value::as_str)
                            .map_or(format!("{i}"), String::from);
                        (name, p)
                    })
                    .collect();
            }
            Some(Value::Object(map)) => return map.iter().map(|(k, p)| (k.clone(), p)).collect(),
            _ => {}
        }
    }
    Vec::new()
}

/// The short name of the strategy lever a dotted key belongs to
/// ("levers.platforms" → "Platform deployment"), from the catalogue.
pub fn lever_name(key: &str, lang: Lang) -> Option<&'static str> {
    rt::LEVER_NAMES
        .iter()
        .find(|(id, _)| key.split(['.', '[']).any(|seg| seg == *id))
        .map(|(_, name)| name.get(lang))
}

/// For each strategy, the settings in which it differs from at least one
/// other strategy ("Lever: key = value"), in scenario order.
pub fn strategy_differences(run: &RunDir, lang: Lang) -> Vec<(String, Vec<String>)> {
    let params = strategy_params(&run.manifest.resolved);
    let flat: Vec<(String, Vec<(String, String)>)> = params
        .iter()
        .map(|(n, p)| (n.clone(), flatten(p)))
        .collect();
    let mut keys: Vec<&String> = flat
        .iter()
        .flat_map(|(_, f)| f.iter().map(|(k, _)| k))
        .collect();
    keys.sort();
    keys.dedup();
    let lookup = |i: usize, k: &str| {
        flat[i]
            .1
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_str())
    };
    let differing: Vec<&String> = keys
        .into_iter()
        .filter(|k| {
            !matches!(
                k.as_str(),
                "name" | "name_zh" | "description" | "description_zh"
            )
        })
        .filter(|k| (1..flat.len()).any(|i| lookup(i, k) != lookup(0, k)))
        .collect();
    run.manifest
        .strategies
        .iter()
        .map(|n| {
            let items = match flat.iter().position(|(name, _)| name == n) {
                Some(i) => differing
                    .iter()
                    .filter_map(|k| {
                        let v = lookup(i, k)?;
                        Some(match lever_name(k, lang) {
                            Some(lever) => format!("{lever}: {k} = {v}"),
                            None => format!("{k} = {v}"),
                        })
                    })
                    .collect(),
                None => Vec::new(),
            };
            (n.clone(), items)
        })
        .collect()
}

/// A strategy's description from the resolved scenario, if it has one: the
/// Chinese one (`description_zh`) in a Chinese report when given, else the English.
pub fn strategy_description(run: &RunDir, name: &str, lang: Lang) -> Option<String> {
    let params = strategy_params(&run.manifest.resolved)
        .into_iter()
        .find(|(n, _)| n == name)?
        .1;
    let get = |k: &str| {
        params
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    match lang {
        Lang::Zh => get("description_zh").or_else(|| get("description")),
        Lang::En => get("description"),
    }
}

/// A count written as a whole number with thousands separators ("98", "12,345").
pub fn fmt_count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// The world preset's display name ("province", "china", "csv" in English).
pub fn preset_name(id: &str, lang: Lang) -> &str {
    match (lang, id) {
        (Lang::Zh, "province") => "合成省",
        (Lang::Zh, "china") => "全国",
        (Lang::Zh, "csv") => "区划代码表",
        _ => id,
    }
}

/// "12 province, 140 city, …" from the manifest's world summary.
pub fn units_by_level(run: &RunDir, lang: Lang) -> (u64, String) {
    let Some(map) = run
        .manifest
        .world
        .get("units_by_level")
        .and_then(Value::as_object)
    else {
        return (0, String::new());
    };
    let mut parts: Vec<(usize, String, u64)> = map
        .iter()
        .filter_map(|(k, v)| {
            let n = v.as_u64()?;
            let (order, name) = Level::from_id(k)
                .map_or((99, k.clone()), |l| (l as usize, l.name(lang).to_string()));
            Some((order, name, n))
        })
        .collect();
    parts.sort();
    let total = parts.iter().map(|p| p.2).sum();
    let sep = lang.pick(", ", "，");
    let text = parts
        .iter()
        .map(|(_, name, n)| format!("{name} {}", group_thousands(&n.to_string())))
        .collect::<Vec<_>>()
        .join(sep);
    (total, text)
}

/// A whole-number field of the manifest's world summary.
pub fn world_count(run: &RunDir, key: &str) -> u64 {
    run.manifest
        .world
        .get(key)
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_readable() {
        assert_eq!(fmt_num(1234567.8), "1,234,568");
        assert_eq!(fmt_num(-1234.0), "-1,234");
        assert_eq!(fmt_num(56.78), "56.8");
        assert_eq!(fmt_num(4.56789), "4.57");
        assert_eq!(fmt_num(0.12345), "0.123");
        assert_eq!(fmt_num(-0.0001), "0.000");
        assert_eq!(fmt_num(f64::NAN), "–");
        assert_eq!(fmt_interval(1.0, 0.5, 1.5), "1.00 [0.500, 1.50]");
    }

    #[test]
    fn flatten_names_array_steps() {
        let v: Value = serde_json::json!({
            "run": {"years": 5},
            "strategies": [{"name": "a", "platforms": {"mode": "local"}}],
            "list": [1, 2]
        });
        let f = flatten(&v);
        assert!(f.contains(&("run.years".into(), "5".into())));
        assert!(f.contains(&("strategies[a].platforms.mode".into(), "local".into())));
        assert!(f.contains(&("list".into(), "[1,2]".into())));
    }

    #[test]
    fn lever_names_come_from_the_catalogue() {
        assert_eq!(
            lever_name("levers.platforms", Lang::En),
            Some("Platform deployment")
        );
        assert_eq!(lever_name("levers.platforms", Lang::Zh), Some("平台部署"));
        assert_eq!(
            lever_name("levers.investment.budget", Lang::Zh),
            Some("投入")
        );
        assert_eq!(lever_name("world.preset", Lang::En), None);
    }

    #[test]
    fn chinese_units_and_scopes() {
        assert_eq!(unit_name("million yuan", Lang::Zh), "百万元");
        assert_eq!(unit_name("million yuan", Lang::En), "million yuan");
        let s = ScopeInfo {
            level: "region".into(),
            id: "west".into(),
            name: String::new(),
            name_zh: String::new(),
            units: 0,
            population: 0.0,
        };
        assert_eq!(scope_name(&s, Lang::Zh), "西部");
    }
}
