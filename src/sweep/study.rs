//! Loading a scenario file for a study: its text and hash, its TOML tree,
//! its uncertain parameters and `[experiment]` section.
//!
//! Rules: the file is read once; the hash is of the exact bytes, so resume
//! and merge can tell whether a study folder came from this file.

use std::path::{Path, PathBuf};

use super::files::ScenarioInfo;
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
    let params = design::parse_uncertainties(&table, Some(path))?;
    let experiment = design::parse_experiment(&table, Some(path))?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        table,
        params,
        experiment,
    })
}

impl Loaded {
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
