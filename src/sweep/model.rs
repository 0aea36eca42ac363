//! The simulator as a [`Model`] for studies: set the sampled parameters on
//! the scenario's TOML tree, validate it again, build the world, run the
//! replicates of each strategy and report every world-scope metric at the
//! horizon.
//!
//! Rules: parameters are set by dotted path and the edited tree goes back
//! through `scenario::from_table`, so a sampled value the scenario rules
//! reject becomes a failed experiment carrying the validator's message —
//! never a panic and never a silently clamped value. Paths are checked up
//! front against the scenario schema: unknown paths (with a suggestion) and
//! non-numeric keys are input errors before anything runs.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::{Model, StrategyOutcome};
use crate::design::{self, Uncertainty, path};
use crate::error::did_you_mean;
use crate::scenario::{self, Scenario};
use crate::sim::{Context, Runner};
use crate::{InputError, Result};

/// The simulator, ready to run design points of one scenario.
pub struct SimModel {
    base: Table,
    file: Option<PathBuf>,
    paths: Vec<(String, bool)>,
    /// Scenario strategy index of each plan strategy.
    strategies: Vec<usize>,
    replicates: u32,
    /// (column in the engine's metric table, id) of each reported metric.
    metrics: Vec<(usize, String)>,
    metric_ids: Vec<String>,
}

/// Map `strategy[3].x` to the schema's one example element `strategy[0].x`.
pub(crate) fn schema_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let mut in_index = false;
    for c in p.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[0");
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Check that every parameter path names a numeric scenario key; returns
/// whether each is an integer key.
pub fn check_paths(
    params: &[Uncertainty],
    table: &Table,
    file: Option<&Path>,
) -> Result<Vec<bool>> {
    let schema = scenario::raw::schema();
    let known = path::numeric_paths(&schema);
    let mut out = Vec::with_capacity(params.len());
    for (i, p) in params.iter().enumerate() {
        let key = format!("uncertainty[{i}].path");
        let err = |msg: String| {
            let e = InputError::new(msg).key(key.clone());
            match file {
                Some(f) => e.file(f),
                None => e,
            }
        };
        let target = path::get(&schema, &schema_path(&p.path)).map_err(&err)?;
        let integer = match target {
            path::Target::Integer(_) => true,
            path::Target::Float(_) => false,
            path::Target::Other(t) => {
                return Err(err(format!(
                    "`{}` is a {t} setting, not a number; only numeric keys can be swept",
                    p.path
                ))
                .into());
            }
            path::Target::Missing => {
                let mut e = err(format!("unknown parameter path `{}`", p.path))
                    .expected("a numeric scenario key such as barriers.dare_not.weight (see `tiaokuai new` for every key)");
                if let Some(s) =
                    did_you_mean(&schema_path(&p.path), known.iter().map(String::as_str))
                {
                    e = e.suggest(format!("did you mean `{s}`?"));
                }
                return Err(e.into());
            }
        };
        // The path must also be reachable in this file (e.g. strategy[5] needs five strategies).
        path::get(table, &p.path).map_err(err)?;
        out.push(integer);
    }
    Ok(out)
}

impl SimModel {
    /// Prepare the model: `table` is the scenario file's tree (with or
    /// without its `[[uncertainty]]`/`[experiment]` sections), `strategies`
    /// the names to run (all when empty). Returns the model and the
    /// validated base scenario (holding only the selected strategies).
    pub fn new(
        table: &Table,
        file: Option<&Path>,
        params: &[Uncertainty],
        strategies: &[String],
        replicates: Option<u32>,
    ) -> Result<(SimModel, Scenario)> {
        let base = design::strip(table);
        let full = scenario::from_table(base.clone(), file)?;
        let mut sc = full.clone();
        sc.select_strategies(strategies)?;
        let integer = check_paths(params, &base, file)?;
        let replicates = replicates.unwrap_or(sc.run.replicates);
        // One probe run of the unchanged scenario names the world-scope
        // metrics this world reports (some exist only for some presets).
        let ctx = Context::new(full.clone())?;
        let nm = ctx.metrics.defs.len();
        let mut last = vec![f64::NAN; nm];
        let quarters = ctx.quarters();
        Runner::new(&ctx).run(&ctx, 0, 0, |t, frame| {
            if t == quarters {
                last.copy_from_slice(&frame[..nm]);
            }
        });
        let metrics: Vec<(usize, String)> = ctx
            .metrics
            .defs
            .iter()
            .enumerate()
            .filter(|(i, _)| !last[*i].is_nan())
            .map(|(i, m)| (i, m.id.clone()))
            .collect();
        let idx = sc
            .strategies
            .iter()
            .map(|s| full.strategy_index(&s.name).unwrap_or(0))
            .collect();
        Ok((
            SimModel {
                base,
                file: file.map(Path::to_path_buf),
                paths: params.iter().map(|p| p.path.clone()).zip(integer).collect(),
                strategies: idx,
                replicates,
                metric_ids: metrics.iter().map(|(_, m)| m.clone()).collect(),
                metrics,
            },
            sc,
        ))
    }

    /// The scenario at one design point.
    fn scenario_at(&self, values: &[f64], seed: u64) -> std::result::Result<Scenario, String> {
        let mut t = self.base.clone();
        for ((p, integer), v) in self.paths.iter().zip(values) {
            path::set_as(&mut t, p, *v, *integer)?;
        }
        let run = t.entry("run").or_insert_with(|| Value::Table(Table::new()));
        if let Value::Table(run) = run {
            run.insert("seed".into(), Value::Integer(seed as i64));
        }
        scenario::from_table(t, self.file.as_deref()).map_err(one_line)
    }
}

/// An error message on one line (it goes into a CSV cell). Line and
/// column are left out: they would point into the edited, re-serialised
/// scenario, not into the user's file.
pub(crate) fn one_line(e: crate::Error) -> String {
    match e {
        crate::Error::Input(ie) => {
            let mut parts = Vec::new();
            match &ie.location.key {
                Some(k) => parts.push(format!("key `{k}`: {}", ie.message)),
                None => parts.push(ie.message.clone()),
            }
            if let Some(x) = &ie.expected {
                parts.push(format!("expected: {x}"));
            }
            if let Some(x) = &ie.suggestion {
                parts.push(format!("help: {x}"));
            }
            parts.join("; ")
        }
        other => other
            .to_string()
            .split('\n')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("; "),
    }
}

impl Model for SimModel {
    fn metrics(&self) -> &[String] {
        &self.metric_ids
    }

    fn run_point(
        &self,
        values: &[f64],
        seed: u64,
        strategies: &[usize],
    ) -> std::result::Result<Vec<StrategyOutcome>, String> {
        let sc = self.scenario_at(values, seed)?;
        let ctx = Context::new(sc).map_err(one_line)?;
        let nm = ctx.metrics.defs.len();
        let mut runner = Runner::new(&ctx);
        let mut last = vec![f64::NAN; nm];
        // Replicate by replicate, so each drawn world is built once and
        // played by every strategy.
        let mut out: Vec<Vec<Vec<f64>>> = vec![Vec::new(); strategies.len()];
        for r in 0..self.replicates {
            let world = ctx.replicate(r);
            for (k, &s) in strategies.iter().enumerate() {
                let si = self.strategies[s];
                last.copy_from_slice(&runner.run_horizon(&world, si, r)[..nm]);
                out[k].push(self.metrics.iter().map(|(i, _)| last[*i]).collect());
            }
        }
        Ok(out.into_iter().map(Ok).collect())
    }
}
