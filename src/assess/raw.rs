//! The raw mirror of a framework file: serde structs that record only what
//! the TOML says, so a parse error points at its line and key (with a "did
//! you mean" hint for a misspelt key). [`super::validate`] turns it into a
//! [`Framework`].
//!
//! Rules: unknown keys are errors (`deny_unknown_fields`); nothing here
//! interprets a value.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::framework::Framework;
use crate::error::line_col;
use crate::{Error, InputError, Result};

/// Parse and validate framework text.
pub(super) fn parse(text: &str, origin: Option<&Path>) -> Result<Framework> {
    let raw: RawFramework = toml::from_str(text).map_err(|e| {
        let plain = crate::error::plain_serde(e.message());
        let mut err = InputError::new(plain.found);
        if let Some(x) = plain.expected {
            err = err.expected(x);
        }
        if let Some(p) = origin {
            err = err.file(p);
        }
        if let Some(span) = e.span() {
            let (l, c) = line_col(text, span.start);
            err = err.at(l, c);
        }
        if let Some(s) = plain.suggestion {
            err = err.suggest(s);
        }
        Error::from(err)
    })?;
    super::validate::build(raw, text, origin)
}

/// The raw file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFramework {
    pub(super) framework: RawMeta,
    #[serde(default)]
    pub(super) defaults: RawDefaults,
    #[serde(default)]
    pub(super) pretreat: RawPretreat,
    pub(super) index: RawNode,
    #[serde(default)]
    pub(super) pillar: Vec<RawNode>,
    #[serde(default)]
    pub(super) indicator: Vec<RawNode>,
    #[serde(default)]
    pub(super) rescale: Option<RawRescale>,
    #[serde(default)]
    pub(super) band: Vec<RawBand>,
    #[serde(default)]
    pub(super) uncertainty: Option<RawUncertainty>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) id: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) name_zh: Option<String>,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) id_col: Option<String>,
    #[serde(default)]
    pub(super) group_col: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDefaults {
    pub(super) normalisation: Option<String>,
    pub(super) aggregation: Option<String>,
    pub(super) min_coverage: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPretreat {
    pub(super) imputation: Option<String>,
    pub(super) outliers: Option<String>,
    pub(super) winsor: Option<[f64; 2]>,
    pub(super) skew_max: Option<f64>,
    pub(super) kurt_max: Option<f64>,
    pub(super) winsor_max: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNode {
    #[serde(default)]
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) name_zh: Option<String>,
    #[serde(default)]
    pub(super) description: Option<String>,
    // aggregate nodes
    #[serde(default)]
    pub(super) children: Option<Vec<String>>,
    #[serde(default)]
    pub(super) weights: Option<BTreeMap<String, f64>>,
    #[serde(default)]
    pub(super) aggregation: Option<String>,
    #[serde(default)]
    pub(super) min_coverage: Option<f64>,
    // normalisation (indicators, and pillars before their parent aggregates them)
    #[serde(default)]
    pub(super) normalisation: Option<String>,
    #[serde(default)]
    pub(super) direction: Option<String>,
    #[serde(default)]
    pub(super) goalposts: Option<[f64; 2]>,
    #[serde(default)]
    pub(super) target: Option<f64>,
    // indicators
    #[serde(default)]
    pub(super) source: Option<String>,
    #[serde(default)]
    pub(super) outliers: Option<String>,
    #[serde(default)]
    pub(super) imputation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRescale {
    pub(super) method: String,
    #[serde(default)]
    pub(super) from: Option<[f64; 2]>,
    #[serde(default)]
    pub(super) to: Option<[f64; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBand {
    pub(super) name: String,
    #[serde(default)]
    pub(super) name_zh: Option<String>,
    #[serde(default)]
    pub(super) min: Option<f64>,
    #[serde(default)]
    pub(super) description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUncertainty {
    #[serde(default)]
    pub(super) weights: Option<f64>,
    #[serde(default)]
    pub(super) normalisation: Option<Vec<String>>,
    #[serde(default)]
    pub(super) aggregation: Option<Vec<String>>,
    #[serde(default)]
    pub(super) imputation: Option<Vec<String>>,
}
