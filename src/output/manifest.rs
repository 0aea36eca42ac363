//! `manifest.json` of a run folder: one typed [`RunManifest`], written by
//! `run` and read by `report`, `compare` and the classroom server through
//! [`read`] alone.
//!
//! Rules: the format name and version are checked before anything else, so
//! a folder from another tool or a newer version is refused with a message
//! saying which; every other problem names the key. The `scenario` section
//! ([`ScenarioSection`]) and `parameters` (the scenario file's own key tree,
//! as in `docs/scenario-reference.md`) are the stable schema; `resolved`
//! (every parameter after defaults, in the program's internal layout) is
//! informational and may change between versions without a new format
//! version. Version 1 folders (no `scenario.strategies`, no `parameters`)
//! are still read.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Error, InputError, Result};

/// `format` of a run folder's manifest.
pub const RUN_FORMAT: &str = "tiaokuai-run";
/// The format version `run` writes.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest format version still read.
pub const OLDEST_READ_VERSION: u32 = 1;
/// File name of the manifest inside a run folder.
pub const MANIFEST: &str = "manifest.json";

/// The whole `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunManifest {
    /// Always [`RUN_FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written by this version.
    pub format_version: u32,
    /// Version of the program that wrote the folder.
    #[serde(default)]
    pub tool_version: String,
    pub scenario: ScenarioSection,
    /// Master seed of the run (a 64-bit integer).
    pub seed: u64,
    pub replicates: u32,
    pub years: u32,
    /// Strategy names in scenario order.
    pub strategies: Vec<String>,
    /// The strategy differences are taken against (`run.baseline`).
    #[serde(default)]
    pub baseline: Option<String>,
    /// World preset id.
    #[serde(default)]
    pub preset: String,
    /// Maturity framework: `built-in` or the file's path.
    #[serde(default)]
    pub framework: String,
    #[serde(default)]
    pub world: WorldSection,
    /// Seed of each replicate, by replicate (as in `timeseries.csv`).
    #[serde(default)]
    pub seeds: Vec<u64>,
    /// The scenario file's key tree as written (keys of
    /// `docs/scenario-reference.md`; keys left out took their defaults).
    /// Absent in version 1.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub parameters: Value,
    /// Every parameter after defaults, in the program's internal layout
    /// (informational, not part of the stable schema).
    #[serde(default)]
    pub resolved: Value,
    /// Worker threads used (does not affect results).
    #[serde(default)]
    pub threads: usize,
    /// Wall time of the run in seconds.
    #[serde(default)]
    pub wall_time_s: f64,
    /// Files of the folder.
    #[serde(default)]
    pub files: Vec<String>,
}

/// `scenario` of the manifest: what was run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSection {
    pub name: String,
    /// Chinese name; empty when the scenario gives none.
    #[serde(default, deserialize_with = "string_or_null")]
    pub name_zh: String,
    #[serde(default)]
    pub description: String,
    /// Chinese description; empty when the scenario gives none.
    #[serde(default, deserialize_with = "string_or_null")]
    pub description_zh: String,
    /// The scenario file as given on the command line; null for a scenario
    /// that did not come from a file.
    #[serde(default)]
    pub file: Option<String>,
    /// SHA-256 of the scenario file's bytes.
    #[serde(default)]
    pub sha256: String,
    /// Each strategy's names and description, in scenario order (version 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strategies: Vec<StrategySection>,
}

/// One strategy of [`ScenarioSection::strategies`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StrategySection {
    pub name: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub description_zh: String,
}

/// `world` of the manifest: the size of the built world.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorldSection {
    /// `run.world`: `per-replicate` or `fixed` (folders written before the
    /// key existed shared one world: `fixed`).
    #[serde(default = "fixed_draw")]
    pub draw: String,
    /// What an interval over replicates covers, in words.
    #[serde(default)]
    pub covers: String,
    /// Units per level id (`national`, `province`, …) of replicate 0's world
    /// (every replicate's world has the same units, except where the
    /// synthetic province draws its counties and townships per replicate).
    #[serde(default)]
    pub units_by_level: BTreeMap<String, u64>,
    #[serde(default)]
    pub departments: u64,
    #[serde(default)]
    pub links: u64,
    #[serde(default)]
    pub horizontal_pairs: u64,
}

fn fixed_draw() -> String {
    "fixed".into()
}

fn string_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

impl RunManifest {
    /// The Chinese name of strategy `name`, when the scenario gives one
    /// (from `scenario.strategies`, or in a version 1 folder from
    /// `resolved`).
    pub fn strategy_name_zh(&self, name: &str) -> Option<String> {
        let from_section = self
            .scenario
            .strategies
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.name_zh.clone());
        let from_resolved = || {
            self.resolved
                .get("strategies")
                .or_else(|| self.resolved.get("strategy"))?
                .as_array()?
                .iter()
                .find(|s| s.get("name").and_then(Value::as_str) == Some(name))?
                .get("name_zh")?
                .as_str()
                .map(String::from)
        };
        from_section
            .or_else(from_resolved)
            .filter(|z| !z.is_empty())
    }

    /// Write the manifest as pretty JSON to `path`.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::Other(e.to_string()))?;
        super::write_file(path, text.as_bytes())
    }
}

/// Read and check `dir/manifest.json`: the one reader of run manifests.
pub fn read(dir: &Path) -> Result<RunManifest> {
    if !dir.is_dir() {
        return Err(InputError::new("run directory not found")
            .file(dir)
            .expected("a directory written by `tiaokuai run`")
            .into());
    }
    let path = dir.join(MANIFEST);
    if !path.is_file() {
        return Err(
            InputError::new(crate::catalog::report_text::NOT_A_RUN_DIR.en)
                .file(dir)
                .expected("a directory written by `tiaokuai run` (manifest.json, summary.csv, timeseries.csv, …)")
                .into(),
        );
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    parse(&text, &path)
}

/// Check and parse the text of a manifest read from `path`.
pub fn parse(text: &str, path: &Path) -> Result<RunManifest> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        InputError::new(format!("manifest is not valid JSON: {e}"))
            .file(path)
            .at(e.line(), e.column())
    })?;
    let format = v.get("format").and_then(Value::as_str).unwrap_or("");
    if format != RUN_FORMAT {
        return Err(
            InputError::new(format!("unknown run-directory format `{format}`"))
                .file(path)
                .key("format")
                .expected(format!("\"{RUN_FORMAT}\""))
                .suggest("point at a folder written by `tiaokuai run`")
                .into(),
        );
    }
    let version = v.get("format_version").and_then(Value::as_u64);
    let supported = u64::from(OLDEST_READ_VERSION)..=u64::from(FORMAT_VERSION);
    if !version.is_some_and(|n| supported.contains(&n)) {
        let shown = v
            .get("format_version")
            .map_or("missing".into(), |x| x.to_string());
        let hint = match version {
            Some(n) if n > u64::from(FORMAT_VERSION) => {
                "the run was written by a newer tiaokuai; update this one"
            }
            _ => {
                "the run was written by an older tiaokuai; run the scenario again with this version"
            }
        };
        return Err(InputError::new(format!(
            "run-directory format version {shown} is not supported"
        ))
        .file(path)
        .key("format_version")
        .expected(format!(
            "a version from {OLDEST_READ_VERSION} to {FORMAT_VERSION}"
        ))
        .suggest(hint)
        .into());
    }
    let m: RunManifest = serde_path_to_error::deserialize(&v).map_err(|e| {
        let key = e.path().to_string();
        InputError::new(format!(
            "manifest value does not fit: {}",
            crate::error::plain_serde_message(&e.inner().to_string())
        ))
        .file(path)
        .key(key)
    })?;
    if m.strategies.is_empty() {
        return Err(InputError::new("manifest lists no strategies")
            .file(path)
            .key("strategies")
            .into());
    }
    if let Some(b) = &m.baseline {
        if !m.strategies.contains(b) {
            return Err(
                InputError::new(format!("baseline `{b}` is not one of the strategies"))
                    .file(path)
                    .key("baseline")
                    .into(),
            );
        }
    }
    if m.replicates == 0 || m.years == 0 {
        return Err(
            InputError::new("a run needs at least one replicate and one year")
                .file(path)
                .into(),
        );
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest as version 1 wrote it (keys sorted, no
    /// `scenario.strategies`, no `parameters`, Chinese names only in
    /// `resolved`).
    const V1: &str = r#"{
  "baseline": "local",
  "files": ["timeseries.csv", "summary.csv", "scopes.csv", "metrics.csv", "indicators.csv", "scenario.toml", "manifest.json"],
  "format": "tiaokuai-run",
  "format_version": 1,
  "framework": "built-in",
  "preset": "province",
  "replicates": 2,
  "resolved": {"strategies": [{"name": "local", "name_zh": "属地建设"}, {"name": "provincial", "name_zh": ""}]},
  "scenario": {"description": "d", "file": "s.toml", "name": "s", "name_zh": "", "sha256": "ab"},
  "seed": 18446744073709551615,
  "seeds": [1, 2],
  "strategies": ["local", "provincial"],
  "threads": 2,
  "tool_version": "0.1.0",
  "wall_time_s": 0.5,
  "world": {"departments": 10, "horizontal_pairs": 3, "links": 7, "units_by_level": {"city": 4, "province": 1}},
  "years": 5
}"#;

    #[test]
    fn reads_a_version_1_manifest() {
        let m = parse(V1, Path::new("manifest.json")).unwrap();
        assert_eq!(m.format_version, 1);
        assert_eq!(m.seed, u64::MAX);
        assert_eq!(m.strategies, ["local", "provincial"]);
        assert_eq!(m.world.units_by_level["city"], 4);
        assert_eq!(m.strategy_name_zh("local").as_deref(), Some("属地建设"));
        assert_eq!(m.strategy_name_zh("provincial"), None);
        assert!(m.parameters.is_null());
    }

    #[test]
    fn written_manifests_read_back_equal() {
        let mut m = parse(V1, Path::new("manifest.json")).unwrap();
        m.format_version = FORMAT_VERSION;
        m.scenario.strategies = vec![StrategySection {
            name: "local".into(),
            name_zh: "属地".into(),
            description: String::new(),
            description_zh: "各地自建".into(),
        }];
        m.parameters = serde_json::json!({"run": {"seed": 7}});
        let dir = tempfile::tempdir().unwrap();
        m.write(&dir.path().join(MANIFEST)).unwrap();
        let back = read(dir.path()).unwrap();
        assert_eq!(back, m);
        // The section's name wins over `resolved`.
        assert_eq!(back.strategy_name_zh("local").as_deref(), Some("属地"));
    }

    #[test]
    fn refuses_other_formats_and_versions_with_a_reason() {
        let p = Path::new("manifest.json");
        let newer = V1.replace("\"format_version\": 1", "\"format_version\": 3");
        let e = parse(&newer, p).unwrap_err().to_string();
        assert!(
            e.contains("version 3 is not supported") && e.contains("newer"),
            "{e}"
        );
        let older = V1.replace("\"format_version\": 1", "\"format_version\": 0");
        let e = parse(&older, p).unwrap_err().to_string();
        assert!(e.contains("older"), "{e}");
        let other = V1.replace("tiaokuai-run", "tiaokuai-sweep");
        let e = parse(&other, p).unwrap_err().to_string();
        assert!(
            e.contains("unknown run-directory format `tiaokuai-sweep`"),
            "{e}"
        );
        let bad = V1.replace("\"replicates\": 2", "\"replicates\": \"two\"");
        let e = parse(&bad, p).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::EXIT_BAD_INPUT);
        let e = e.to_string();
        assert!(
            e.contains("`replicates`") && e.contains("a whole number"),
            "{e}"
        );
        assert!(!e.contains("u32"), "{e}");
    }
}
