//! The bridge between a scenario and the maturity framework that scores its
//! units: picks the framework (`run.framework`, else the built-in
//! `frameworks/tiaokuai.toml`) and hands the engine an assessment
//! [`assess::Scorer`] over the simulated indicator columns — the same
//! definition `tiaokuai assess` applies to real data, so changing the
//! framework file changes the simulation's maturity output.
//!
//! Rule: a relative `run.framework` path is resolved against the scenario
//! file's folder when the file is there, else against the working folder.

use std::path::{Path, PathBuf};

use crate::assess;
use crate::error::Result;
use crate::scenario::Scenario;

/// A maturity framework ready to score simulated units.
#[derive(Debug, Clone)]
pub struct Framework {
    /// Where it came from (`built-in` or a path).
    pub origin: String,
    framework: assess::Framework,
}

impl Framework {
    /// The framework a scenario asks for.
    pub fn for_scenario(sc: &Scenario) -> Result<Framework> {
        if sc.run.framework.is_empty() {
            return Ok(Framework {
                origin: "built-in".into(),
                framework: assess::Framework::tiaokuai_default(),
            });
        }
        let path = resolve(&sc.run.framework, sc.source.path.as_deref());
        Ok(Framework {
            origin: path.display().to_string(),
            framework: assess::Framework::load(&path)?,
        })
    }

    /// Fail early (with a did-you-mean) if the framework reads a column the
    /// simulation does not make.
    pub fn check_columns(&self, columns: &[&str]) -> Result<()> {
        self.framework.scorer(columns).map(|_| ())
    }

    /// A scorer for rows in `columns` order.
    ///
    /// # Panics
    /// When `columns` lack a source the framework reads; [`Context`] calls
    /// [`Framework::check_columns`] with the same columns first.
    ///
    /// [`Context`]: crate::sim::Context
    pub fn scorer(&self, columns: &[&str]) -> Scorer {
        self.framework
            .scorer(columns)
            .expect("columns are checked by check_columns when the context is built")
    }

    /// The assessment framework itself (for labels of stages and pillars).
    pub fn assessment(&self) -> &assess::Framework {
        &self.framework
    }
}

/// Scores rows of indicators: index (after the framework's rescaling) and
/// 1-based stage (0 when the index is missing) per row.
pub type Scorer = assess::Scorer;

fn resolve(file: &str, scenario: Option<&Path>) -> PathBuf {
    let p = PathBuf::from(file);
    if p.is_absolute() {
        return p;
    }
    match scenario.and_then(Path::parent) {
        Some(dir) if dir.join(&p).is_file() => dir.join(p),
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::maturity::COLUMNS;

    #[test]
    fn built_in_framework_scores_the_simulated_columns() {
        let fw = Framework {
            origin: "built-in".into(),
            framework: assess::Framework::tiaokuai_default(),
        };
        fw.check_columns(&COLUMNS).unwrap();
        let mut s = fw.scorer(&COLUMNS);
        // a unit at the middle of every goalpost scores 50, stage 3
        let row: Vec<f64> = COLUMNS
            .iter()
            .map(|c| match *c {
                "services_online" | "zero_visit_share" | "openness" => 50.0,
                _ => 0.5,
            })
            .collect();
        let nan = vec![f64::NAN; COLUMNS.len()];
        let rows: Vec<f64> = row.iter().chain(&nan).copied().collect();
        let (mut idx, mut st) = ([0.0; 2], [9u8; 2]);
        s.score(&rows, &mut idx, &mut st);
        assert!((idx[0] - 50.0).abs() < 1e-9);
        assert_eq!(st, [3, 0]);
        assert!(idx[1].is_nan());
    }

    #[test]
    fn missing_column_is_reported() {
        let fw = Framework {
            origin: "built-in".into(),
            framework: assess::Framework::tiaokuai_default(),
        };
        let e = fw.check_columns(&COLUMNS[1..]).unwrap_err().to_string();
        assert!(e.contains("infrastructure"), "{e}");
    }
}
