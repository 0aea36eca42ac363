//! Dimension tables of a run folder: `scopes.csv` and `metrics.csv` carry
//! the English and Chinese names, so fact tables (`timeseries.csv`,
//! `summary.csv`) keep stable English ids only.

use std::path::Path;

use super::{csv_err, csv_writer, num};
use crate::error::Result;
use crate::metrics::MetricDef;
use crate::world::scopes::Scopes;

/// `scopes.csv`: `scope_level,scope_id,scope_name,scope_name_zh,units,population`.
pub fn write_scopes(path: &Path, scopes: &Scopes, bom: bool) -> Result<()> {
    let mut w = csv_writer(path, bom)?;
    let e = csv_err(path);
    w.write_record([
        "scope_level",
        "scope_id",
        "scope_name",
        "scope_name_zh",
        "units",
        "population",
    ])
    .map_err(&e)?;
    for s in &scopes.scopes {
        w.write_record([
            s.kind.id(),
            &s.id,
            &s.name_en,
            &s.name_zh,
            &s.units.to_string(),
            &format!("{:.0}", s.population),
        ])
        .map_err(&e)?;
    }
    w.flush()
        .map_err(|x| crate::Error::io(format!("cannot write {}", path.display()), x))
}

/// `strategies.csv`: `order,strategy,name_zh,baseline,description`, one row
/// per strategy in scenario order (`order` counts from 1), so a pivot in a
/// spreadsheet or pandas can restore the scenario's order and show Chinese
/// names; `baseline` is `true` on the strategy differences are taken against.
pub fn write_strategies(
    path: &Path,
    strategies: &[crate::scenario::Strategy],
    baseline: usize,
    bom: bool,
) -> Result<()> {
    let mut w = csv_writer(path, bom)?;
    let e = csv_err(path);
    w.write_record(["order", "strategy", "name_zh", "baseline", "description"])
        .map_err(&e)?;
    for (i, s) in strategies.iter().enumerate() {
        w.write_record([
            (i + 1).to_string().as_str(),
            &s.name,
            &s.name_zh,
            if i == baseline { "true" } else { "false" },
            &s.description,
        ])
        .map_err(&e)?;
    }
    w.flush()
        .map_err(|x| crate::Error::io(format!("cannot write {}", path.display()), x))
}

/// `metrics.csv`: `metric,name_en,name_zh,unit,min,max,direction,aggregation,headline,description`.
pub fn write_metrics(path: &Path, defs: &[MetricDef], bom: bool) -> Result<()> {
    let mut w = csv_writer(path, bom)?;
    let e = csv_err(path);
    w.write_record([
        "metric",
        "name_en",
        "name_zh",
        "unit",
        "min",
        "max",
        "direction",
        "aggregation",
        "headline",
        "description",
    ])
    .map_err(&e)?;
    for m in defs {
        let agg = serde_json::to_value(m.aggregation)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        w.write_record([
            m.id.as_str(),
            &m.name_en,
            &m.name_zh,
            m.unit,
            &num(m.min),
            &m.max.map(num).unwrap_or_default(),
            m.direction.id(),
            &agg,
            if m.headline { "true" } else { "false" },
            &m.description,
        ])
        .map_err(&e)?;
    }
    w.flush()
        .map_err(|x| crate::Error::io(format!("cannot write {}", path.display()), x))
}
