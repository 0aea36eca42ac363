//! Loading a scenario file for a study: its text and hash, its TOML tree,
//! its uncertain parameters and `[experiment]` section.
//!
//! Rules: the file is read once; the hash is of the exact bytes, so resume
//! and merge can tell whether a study folder came from this file.

use std::path::{Path, PathBuf};

use super::files::ScenarioInfo;
use super::model::check_paths;
use super::plan::{Method, Plan};
use crate::design::{self, ExperimentSpec, Uncertainty};
use crate::scenario;
use crate::{InputError, Result};

/// A scenario file read for a study.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub table: toml::Table,
    pub params: Vec<Uncertainty>,
    pub experiment: Option<ExperimentSpec>,
    /// The validated scenario (study sections aside).
    pub scenario: scenario::Scenario,
}

/// Read and parse a scenario file's study sections.
pub fn load(path: &Path) -> Result<Loaded> {
    let text = scenario::read_text(path)?;
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let mut err = InputError::new(format!("invalid TOML: {}", e.message().trim())).file(path);
        if let Some(span) = e.span() {
            let (l, c) = scenario::check::line_col(&text, span.start);
            err = err.at(l, c);
        }
        err
    })?;
    // The scenario itself first, with line numbers of the user's file:
    // its errors come before any about the study sections.
    let scenario = scenario::from_parsed(table.clone(), &text, Some(path))?;
    let params = design::parse_uncertainties(&table, Some(path))?;
    let experiment = design::parse_experiment(&table, Some(path))?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        table,
        params,
        experiment,
        scenario,
    })
}

impl Loaded {
    /// Whether the file declares a study (`[[uncertainty]]` or `[experiment]`).
    pub fn has_study(&self) -> bool {
        !self.params.is_empty() || self.experiment.is_some()
    }

    /// Check the study sections against the scenario `sc` (already
    /// validated) without running anything: every parameter path names a
    /// numeric key reachable in this file, and the `[experiment]` design
    /// expands. Returns a one-line description of the study.
    pub fn check(&self, sc: &scenario::Scenario) -> Result<String> {
        let base = design::strip(&self.table);
        let integer = check_paths(&self.params, &base, Some(&self.path))?;
        // Every parameter set at once, first at its median, then at its
        // value in the file (or its default): a path the scenario accepts by
        // name but cannot take as a bare number (a table such as
        // `world.attributes.central.fiscal` without its other fields) fails
        // both, here, rather than in every experiment. A failure at the
        // medians alone depends on the values: a note, not an error.
        let schema = scenario::raw::schema();
        let at = |values: &[f64]| -> std::result::Result<(), String> {
            let mut t = base.clone();
            for ((p, integer), v) in self.params.iter().zip(&integer).zip(values) {
                design::path::set_as(&mut t, &p.path, *v, *integer)?;
            }
            scenario::from_table(t, Some(&self.path))
                .map(drop)
                .map_err(super::model::one_line)
        };
        let medians: Vec<f64> = self.params.iter().map(|p| p.dist.quantile(0.5)).collect();
        let current: Vec<f64> = self
            .params
            .iter()
            .zip(&medians)
            .map(|(p, m)| {
                let number = |t: design::path::Target| match t {
                    design::path::Target::Float(v) => Some(v),
                    design::path::Target::Integer(v) => Some(v as f64),
                    _ => None,
                };
                design::path::get(&base, &p.path)
                    .ok()
                    .and_then(number)
                    .or_else(|| {
                        design::path::get(&schema, &super::model::schema_path(&p.path))
                            .ok()
                            .and_then(number)
                    })
                    .unwrap_or(*m)
            })
            .collect();
        let mut note = None;
        if let Err(why) = at(&medians) {
            if let Err(why) = at(&current) {
                let i = self
                    .params
                    .iter()
                    .position(|p| {
                        why.contains(&format!("`{}", p.path)) || {
                            let k = why.split('`').nth(1).unwrap_or("");
                            !k.is_empty() && (p.path.starts_with(k) || k.starts_with(&p.path))
                        }
                    })
                    .unwrap_or(0);
                let key = format!("uncertainty[{i}].path");
                let mut e = InputError::new(format!(
                    "with the uncertain parameters set (at their medians, and again at their values in the file), the scenario is invalid: {why}"
                ))
                .file(&self.path)
                .key(key.clone())
                .suggest("sweep numeric keys the scenario can take on their own, or add the missing fields to the file (see `tiaokuai new` for every key)");
                if let Some(off) = scenario::check::locate(&self.text, &key) {
                    let (l, c) = scenario::check::line_col(&self.text, off);
                    e = e.at(l, c);
                }
                return Err(e.into());
            }
            note = Some(format!(
                "note: at the medians of the uncertain parameters the scenario is invalid ({why}); such experiments will fail"
            ));
        }
        let mut line = format!("{} uncertain parameter(s)", self.params.len());
        if let Some(spec) = &self.experiment {
            let strategies = sc.strategies.iter().map(|s| s.name.clone()).collect();
            let seed = spec.seed.unwrap_or(sc.run.seed);
            let method = Method::Sweep(spec.clone());
            let plan = Plan::new(
                method,
                self.params.clone(),
                strategies,
                sc.run.replicates as usize,
                seed,
            )
            .map_err(|e| e.in_file(&self.path))?;
            line.push_str(&format!(
                ", {} design: {} points × {} strategies × {} replicates = {} runs",
                spec.design.id(),
                plan.points.len(),
                plan.strategies.len(),
                plan.replicates,
                plan.experiments() * plan.replicates
            ));
        }
        if let Some(n) = note {
            line.push_str(&format!("\n    {n}"));
        }
        Ok(line)
    }

    /// Facts for the manifest.
    pub fn info(&self, name: &str, years: u64) -> ScenarioInfo {
        ScenarioInfo {
            name: name.to_string(),
            file: self.path.display().to_string(),
            sha256: scenario::sha256_hex(self.text.as_bytes()),
            text: self.text.clone(),
            years,
        }
    }
}
