//! The bridge between a scenario and the maturity framework that scores its
//! units: picks the framework (`run.framework`, else the built-in one) and
//! hands the engine a scorer over the simulated indicator columns.
//!
//! Interim scoring: equal-weight goalposts (0–1, or 0–100 for percentage
//! indicators), index 0–100, stages at 20/40/60/80.

use crate::error::{InputError, Result};
use crate::scenario::Scenario;

/// A maturity framework ready to score simulated units.
#[derive(Debug, Clone)]
pub struct Framework {
    /// Where it came from (`built-in` or a path).
    pub origin: String,
}

impl Framework {
    /// The framework a scenario asks for.
    pub fn for_scenario(sc: &Scenario) -> Result<Framework> {
        if sc.run.framework.is_empty() {
            return Ok(Framework {
                origin: "built-in".into(),
            });
        }
        Err(
            InputError::new("custom maturity frameworks are not available in this build")
                .key("run.framework")
                .into(),
        )
    }

    /// Fail early if the framework reads a column the simulation does not make.
    pub fn check_columns(&self, _columns: &[&str]) -> Result<()> {
        Ok(())
    }

    pub fn scorer(&self, columns: &[&str]) -> Scorer {
        Scorer {
            scale: columns
                .iter()
                .map(|c| {
                    if matches!(*c, "services_online" | "zero_visit_share" | "openness") {
                        100.0
                    } else {
                        1.0
                    }
                })
                .collect(),
        }
    }
}

/// Scores rows of indicators.
#[derive(Debug, Clone)]
pub struct Scorer {
    scale: Vec<f64>,
}

impl Scorer {
    /// Index (0–100) and stage (1–5; 0 when missing) per row.
    pub fn score(&mut self, rows: &[f64], out_index: &mut [f64], out_stage: &mut [u8]) {
        let k = self.scale.len();
        for (i, row) in rows.chunks_exact(k).enumerate() {
            let (mut s, mut n) = (0.0, 0);
            for (x, sc) in row.iter().zip(&self.scale) {
                if !x.is_nan() {
                    s += (x / sc).clamp(0.0, 1.0);
                    n += 1;
                }
            }
            if n == 0 {
                out_index[i] = f64::NAN;
                out_stage[i] = 0;
            } else {
                let idx = 100.0 * s / n as f64;
                out_index[i] = idx;
                out_stage[i] = 1 + (idx / 20.0).floor().clamp(0.0, 4.0) as u8;
            }
        }
    }
}
