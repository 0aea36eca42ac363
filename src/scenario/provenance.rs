//! Parameter provenance: where every parameter default comes from.
//! `docs/parameters.md` is generated from the template (keys, defaults,
//! units), the catalogue (department and domain values),
//! `src/scenario/provenance.toml` (a source, an assumption or a technical
//! bound per key) and `scenarios/uncertainty.toml` (the range each
//! assumption is swept over). Tests check that every parameter has exactly
//! one entry, that every assumption is either swept or says why it cannot
//! move a headline metric of that study, and that the committed document is
//! current (`BLESS=1 cargo test provenance` rewrites it).

use super::raw::MODEL_SECTIONS;
use super::template::{KeyDoc, documented_keys};

/// The provenance table.
pub const PROVENANCE: &str = include_str!("provenance.toml");
/// The study that ranges the assumptions.
pub const UNCERTAINTY: &str = include_str!("../../scenarios/uncertainty.toml");

/// Whether a template section holds model parameters: `[world]` and the
/// mechanisms' sections (levers, run settings and catalogue examples are
/// not parameters).
fn holds_parameters(section: &str) -> bool {
    section == "world" || MODEL_SECTIONS.contains(&section)
}

/// Units of keys that name choices rather than quantities.
const NOT_QUANTITIES: [&str; 5] = ["choice", "text", "path", "list", "level"];

/// One parameter: key, default, unit and meaning.
struct Param {
    key: String,
    default: String,
    unit: String,
    meaning: String,
}

/// The template's parameter keys, then the catalogue's fields.
fn params() -> Vec<Param> {
    let mut out: Vec<Param> = documented_keys()
        .into_iter()
        .filter(|d: &KeyDoc| {
            let top = d.key.split('.').next().unwrap_or("");
            holds_parameters(top)
                && !d.key.starts_with("world.csv.")
                && !NOT_QUANTITIES.contains(&d.unit.as_str())
        })
        .map(|d| Param {
            key: d.key,
            default: d.default,
            unit: d.unit,
            meaning: d.meaning,
        })
        .collect();
    let deps = crate::catalog::departments::defaults();
    let doms = crate::catalog::domains::defaults();
    let span = |xs: Vec<f64>| {
        let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!("{lo}–{hi}")
    };
    let mut field = |key: &str, values: Vec<f64>, rows: usize, what: &str, unit: &str| {
        out.push(Param {
            key: key.to_string(),
            default: format!("{} over {rows} rows", span(values)),
            unit: unit.to_string(),
            meaning: what.to_string(),
        })
    };
    let n = deps.len();
    field(
        "catalog.departments.sensitivity",
        deps.iter().map(|d| d.sensitivity).collect(),
        n,
        "data sensitivity, feeds *dare not*",
        "0-1",
    );
    field(
        "catalog.departments.value",
        deps.iter().map(|d| d.value).collect(),
        n,
        "value of the data as bargaining power, feeds *unwilling*",
        "0-1",
    );
    field(
        "catalog.departments.vertical",
        deps.iter().map(|d| d.vertical).collect(),
        n,
        "strength of vertical management",
        "0-1",
    );
    field(
        "catalog.departments.systems",
        deps.iter().map(|d| d.systems).collect(),
        n,
        "information systems of one department at province and city level",
        "count",
    );
    let n = doms.len();
    field(
        "catalog.domains.departments",
        doms.iter().map(|d| d.departments.len() as f64).collect(),
        n,
        "department types whose data a domain needs",
        "count",
    );
    field(
        "catalog.domains.complexity",
        doms.iter().map(|d| d.complexity).collect(),
        n,
        "how strongly collaboration needs all departments at once",
        "0-5",
    );
    field(
        "catalog.domains.lag_quarters",
        doms.iter().map(|d| d.lag_quarters).collect(),
        n,
        "time-to-results",
        "quarters",
    );
    field(
        "catalog.domains.grassroots_load",
        doms.iter().map(|d| d.grassroots_load).collect(),
        n,
        "overload of townships and counties in cross-cutting matters",
        "0-1",
    );
    field(
        "catalog.domains.top_down",
        doms.iter().map(|d| d.top_down).collect(),
        n,
        "existing vertical sectoral push",
        "0-1",
    );
    out
}

/// The provenance entries by key.
fn entries() -> toml::Table {
    let t: toml::Table = PROVENANCE.parse().expect("provenance.toml is valid TOML");
    match t.get("params") {
        Some(toml::Value::Table(p)) => p.clone(),
        _ => toml::Table::new(),
    }
}

/// The `[[uncertainty]]` ranges of uncertainty.toml, by path, in words.
fn ranges() -> Vec<(String, String)> {
    let t: toml::Table = UNCERTAINTY.parse().expect("uncertainty.toml is valid TOML");
    let Some(toml::Value::Array(items)) = t.get("uncertainty") else {
        return Vec::new();
    };
    let num = |v: &toml::Value| match v {
        toml::Value::Float(f) => format!("{f}"),
        toml::Value::Integer(i) => format!("{i}"),
        toml::Value::Array(a) => a
            .iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    items
        .iter()
        .filter_map(|item| {
            let item = item.as_table()?;
            let path = item.get("path")?.as_str()?.to_string();
            let dist = item.get("dist")?.as_str()?.to_string();
            let args: Vec<String> = [
                "low", "mode", "high", "mean", "sd", "meanlog", "sdlog", "values",
            ]
            .iter()
            .filter_map(|k| item.get(*k).map(|v| format!("{k} {}", num(v))))
            .collect();
            Some((path, format!("{dist}: {}", args.join(", "))))
        })
        .collect()
}

fn text(e: &toml::Value, k: &str) -> Option<String> {
    e.get(k).and_then(|v| v.as_str()).map(str::to_string)
}

/// The generated part of docs/parameters.md.
pub fn parameters_markdown() -> String {
    let entries = entries();
    let ranges = ranges();
    let mut out = String::new();
    let (mut sourced, mut assumed, mut swept) = (0, 0, 0);
    let mut section = String::new();
    for p in params() {
        let top = p.key.split('.').take(2).collect::<Vec<_>>();
        let head = if top[0] == "catalog" {
            format!("catalog.{}", top[1])
        } else {
            top[0].to_string()
        };
        if head != section {
            out.push_str(&format!(
                "\n### `{head}`\n\n| key | default | unit | provenance | range in uncertainty.toml |\n|---|---|---|---|---|\n"
            ));
            section = head;
        }
        let e = entries.get(&p.key);
        let range = ranges
            .iter()
            .find(|(k, _)| *k == p.key)
            .map(|(_, r)| r.clone());
        let prov = match e {
            Some(e) => {
                if let Some(s) = text(e, "source") {
                    sourced += 1;
                    format!("**source**: {s}")
                } else if let Some(a) = text(e, "assumption") {
                    assumed += 1;
                    format!("**assumption**: {a}")
                } else if let Some(t) = text(e, "technical") {
                    format!("**technical**: {t}")
                } else {
                    "**missing**".to_string()
                }
            }
            None => "**missing**".to_string(),
        };
        let range_text = match (&range, e.and_then(|e| text(e, "fixed"))) {
            (Some(r), _) => {
                swept += 1;
                r.clone()
            }
            (None, Some(f)) => format!("not swept: {f}"),
            (None, None) => "—".to_string(),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {}. {} | {} |\n",
            p.key,
            p.default.replace('|', "\\|"),
            p.unit,
            p.meaning,
            prov.replace('|', "\\|"),
            range_text.replace('|', "\\|")
        ));
    }
    format!(
        "\n{sourced} defaults have a source, {assumed} are assumptions, {swept} of them are swept by `scenarios/uncertainty.toml`.\n{out}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::template::GENERATED_MARK;

    #[test]
    fn every_parameter_has_one_provenance_entry() {
        let entries = entries();
        let keys: Vec<String> = params().into_iter().map(|p| p.key).collect();
        for k in &keys {
            let e = entries
                .get(k)
                .unwrap_or_else(|| panic!("`{k}` has no entry in src/scenario/provenance.toml"));
            let kinds = ["source", "assumption", "technical"]
                .iter()
                .filter(|kind| text(e, kind).is_some_and(|s| !s.trim().is_empty()))
                .count();
            assert_eq!(
                kinds, 1,
                "`{k}` needs exactly one of source, assumption, technical"
            );
        }
        for k in entries.keys() {
            assert!(
                keys.contains(k),
                "provenance.toml names `{k}`, which is no parameter"
            );
        }
    }

    #[test]
    fn every_assumption_is_swept_or_says_why_not() {
        let entries = entries();
        let ranges = ranges();
        let swept = |k: &str| ranges.iter().any(|(p, _)| p == k);
        for (k, e) in &entries {
            let fixed = text(e, "fixed").is_some();
            if text(e, "assumption").is_some() {
                assert!(
                    swept(k) != fixed,
                    "assumption `{k}`: give it a range in scenarios/uncertainty.toml or a `fixed` reason, not both"
                );
            } else {
                assert!(!fixed, "`{k}` is not an assumption: `fixed` has no meaning");
            }
        }
        for (p, _) in &ranges {
            assert!(
                entries.contains_key(p),
                "uncertainty.toml sweeps `{p}`, which has no provenance"
            );
        }
    }

    #[test]
    fn the_study_ranges_include_the_defaults() {
        let params = params();
        let t: toml::Table = UNCERTAINTY.parse().unwrap();
        let items = t["uncertainty"].as_array().unwrap();
        for item in items {
            let (Some(path), Some(low), Some(high)) = (
                item.get("path").and_then(|v| v.as_str()),
                item.get("low").and_then(|v| v.as_float()),
                item.get("high").and_then(|v| v.as_float()),
            ) else {
                continue;
            };
            let p = params.iter().find(|p| p.key == path).unwrap();
            let d: f64 = p.default.parse().unwrap();
            assert!(
                low <= d && d <= high,
                "`{path}`: default {d} outside [{low}, {high}]"
            );
        }
    }

    #[test]
    fn committed_parameters_doc_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/parameters.md");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let head = text.split(GENERATED_MARK).next().unwrap_or("").to_string();
        let want = format!("{head}{GENERATED_MARK}\n{}", parameters_markdown());
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, &want).expect("write docs/parameters.md");
        }
        assert!(
            text == want,
            "docs/parameters.md is stale: run `BLESS=1 cargo test provenance`"
        );
    }
}
