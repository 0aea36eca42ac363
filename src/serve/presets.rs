//! The scenarios the classroom page offers: the shipped scenario files,
//! embedded in the binary with `include_str!` so the server needs no files
//! at run time, plus the scenario given on the command line, if any.
//!
//! Rules: every preset is validated when the server starts (a broken
//! preset stops the server before a student sees it); a preset is kept as
//! its TOML text and re-parsed per run, because lever overrides edit the
//! table and must pass the same validation as a file.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{InputError, Result, did_you_mean};
use crate::scenario::{self, Scenario};

/// Shipped scenarios, in the order the page lists them.
const SHIPPED: &[(&str, &str)] = &[
    ("classroom", include_str!("../../scenarios/classroom.toml")),
    (
        "provincial-vs-local",
        include_str!("../../scenarios/provincial-vs-local.toml"),
    ),
    (
        "institutions",
        include_str!("../../scenarios/institutions.toml"),
    ),
    (
        "sector-coordination",
        include_str!("../../scenarios/sector-coordination.toml"),
    ),
    ("reuse", include_str!("../../scenarios/reuse.toml")),
    (
        "regional-coordination",
        include_str!("../../scenarios/regional-coordination.toml"),
    ),
    ("baseline", include_str!("../../scenarios/baseline.toml")),
];

/// One preset: its id, TOML text and the validated scenario.
#[derive(Debug, Clone)]
pub struct Preset {
    pub id: String,
    /// Where the file came from (relative paths in it resolve against this).
    pub origin: PathBuf,
    pub text: String,
    pub scenario: Scenario,
}

/// A short listing of a preset.
#[derive(Debug, Clone, Serialize)]
pub struct PresetSummary {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub description: String,
    pub description_zh: String,
    pub strategies: Vec<String>,
}

/// All presets, the default one first.
#[derive(Debug, Clone)]
pub struct Presets {
    pub list: Vec<Preset>,
}

impl Presets {
    /// The shipped presets, with `extra` (a scenario file from the command
    /// line) added in front as the default.
    pub fn load(extra: Option<&Path>) -> Result<Presets> {
        let mut list = Vec::new();
        if let Some(path) = extra {
            let text = scenario::read_text(path)?;
            let sc = scenario::from_str(&text, Some(path))?;
            list.push(Preset {
                id: sc.name.clone(),
                origin: path.to_path_buf(),
                text,
                scenario: sc,
            });
        }
        for (id, text) in SHIPPED {
            if list.iter().any(|p| p.id == *id) {
                continue;
            }
            let origin = PathBuf::from(format!("scenarios/{id}.toml"));
            let sc = scenario::from_str(text, Some(&origin))?;
            list.push(Preset {
                id: id.to_string(),
                origin,
                text: text.to_string(),
                scenario: sc,
            });
        }
        Ok(Presets { list })
    }

    /// The preset with this id.
    pub fn get(&self, id: &str) -> Result<&Preset, InputError> {
        self.list.iter().find(|p| p.id == id).ok_or_else(|| {
            let mut e = InputError::new(format!("no preset called `{id}`"))
                .key("preset")
                .expected(self.ids().join(", "));
            if let Some(m) = did_you_mean(id, self.list.iter().map(|p| p.id.as_str())) {
                e = e.suggest(format!("did you mean `{m}`?"));
            }
            e
        })
    }

    pub fn ids(&self) -> Vec<&str> {
        self.list.iter().map(|p| p.id.as_str()).collect()
    }

    pub fn summaries(&self) -> Vec<PresetSummary> {
        self.list
            .iter()
            .map(|p| PresetSummary {
                id: p.id.clone(),
                name: p.scenario.name.clone(),
                name_zh: p.scenario.name_zh.clone(),
                description: p.scenario.description.clone(),
                description_zh: p.scenario.description_zh.clone(),
                strategies: p
                    .scenario
                    .strategies
                    .iter()
                    .map(|s| s.name.clone())
                    .collect(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_presets_are_valid_and_classroom_comes_first() {
        let p = Presets::load(None).unwrap();
        assert_eq!(p.list[0].id, "classroom");
        assert_eq!(p.list.len(), SHIPPED.len());
        assert!(p.get("baselin").unwrap_err().suggestion.is_some());
    }
}
