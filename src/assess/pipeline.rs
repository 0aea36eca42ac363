//! The whole `assess` run as one library call: read the data files, score
//! every unit with the framework, optionally run the Monte Carlo, and render
//! the output files — so the command-line front end only parses flags.
//!
//! Rules: everything is checked and computed before anything is written;
//! the caller writes the returned files with [`report::write_output_dir`].

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::data::{self, ReadOptions, Table};
use super::framework::{Framework, NodeKind};
use super::pretreat::{Change, Imputation};
use super::report;
use super::score::{self, Scores};
use super::uncertainty::{self, McResult};
use crate::{InputError, Result};

/// What to assess.
#[derive(Debug, Clone)]
pub struct Request {
    pub data: Vec<PathBuf>,
    pub read: ReadOptions,
    /// Group column for `group_mean` imputation (overrides the framework's).
    pub group_col: Option<String>,
    /// Monte Carlo draws and seed.
    pub uncertainty: Option<(usize, u64)>,
}

/// A finished assessment.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub framework: Framework,
    pub table: Table,
    pub scores: Scores,
    pub mc: Option<McResult>,
    request: Request,
}

/// Read, score and (optionally) run the uncertainty analysis.
pub fn assess(fw: &Framework, req: &Request) -> Result<Assessment> {
    let mut read = req.read.clone();
    read.default_id_col = fw.id_col.clone();
    let table = data::read_files(&req.data, &read)?;
    let columns: Vec<Vec<f64>> = fw
        .columns()
        .iter()
        .map(|c| table.numeric(c))
        .collect::<Result<_>>()?;
    let groups = groups(fw, req, &table)?;
    let mut scores = score::score_columns(fw, &columns, table.len(), groups.as_deref());
    scores.changes.splice(0..0, user_na_changes(fw, &table));
    let mc = match req.uncertainty {
        Some((n, seed)) => Some(uncertainty::run(
            fw,
            &columns,
            table.len(),
            groups.as_deref(),
            n,
            seed,
        )?),
        None => None,
    };
    Ok(Assessment {
        framework: fw.clone(),
        table,
        scores,
        mc,
        request: req.clone(),
    })
}

/// Cells read as missing because of `--na`, as reported changes.
fn user_na_changes(fw: &Framework, table: &Table) -> Vec<Change> {
    let mut out = Vec::new();
    for (k, node) in fw.nodes.iter().enumerate() {
        let NodeKind::Indicator(spec) = &node.kind else {
            continue;
        };
        for (unit, text) in table.user_na_cells(&spec.source) {
            out.push(Change {
                unit,
                node: k,
                from: text.parse().unwrap_or(f64::NAN),
                to: f64::NAN,
                reason: "read as missing (matches --na)".into(),
            });
        }
    }
    out.sort_by_key(|c| (c.unit, c.node));
    out
}

/// Group index per unit (u32::MAX for none), when a group column applies.
fn groups(fw: &Framework, req: &Request, table: &Table) -> Result<Option<Vec<u32>>> {
    let needs = fw.nodes.iter().any(
        |n| matches!(&n.kind, NodeKind::Indicator(i) if i.imputation == Imputation::GroupMean),
    );
    let col = req.group_col.as_ref().or(fw.group_col.as_ref());
    let Some(col) = col else {
        if needs {
            return Err(
                InputError::new("group_mean imputation needs a group column")
                    .key("--group-col")
                    .into(),
            );
        }
        return Ok(None);
    };
    let text = table.text(col)?;
    let mut ids: BTreeMap<String, u32> = BTreeMap::new();
    let mut next = 0u32;
    Ok(Some(
        text.into_iter()
            .map(|g| {
                if g.trim().is_empty() {
                    return u32::MAX;
                }
                *ids.entry(g).or_insert_with(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect(),
    ))
}

impl Assessment {
    /// Every output file, name and contents.
    pub fn files(&self) -> Result<Vec<(&'static str, String)>> {
        let ids = &self.table.ids;
        let fw = &self.framework;
        let sources: Option<Vec<String>> = (self.request.data.len() > 1)
            .then(|| (0..ids.len()).map(|i| self.table.source_of(i)).collect());
        let mut files = vec![
            (
                "scores.csv",
                report::scores_csv(fw, ids, sources.as_deref(), &self.scores),
            ),
            ("scores-long.csv", report::long_csv(fw, ids, &self.scores)),
            (
                "treatment.csv",
                report::treatment_csv(fw, ids, &self.scores),
            ),
            ("framework.toml", fw.text.clone()),
        ];
        if let Some(mc) = &self.mc {
            let (u, s) = report::uncertainty_csvs(ids, mc);
            files.push(("uncertainty.csv", u));
            files.push(("sensitivity.csv", s));
        }
        let mut names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
        names.push("manifest.json");
        let m = report::manifest(
            fw,
            &self.request.data,
            ids.len(),
            self.request.uncertainty,
            &names,
        )?;
        files.push(("manifest.json", m));
        Ok(files)
    }

    /// The stdout table.
    pub fn table_text(&self) -> String {
        report::table(
            &self.framework,
            &self.table.ids,
            &self.scores,
            self.mc.as_ref(),
        )
    }

    /// One line per kind of pre-treatment change, e.g. "3 × imputed: mean".
    pub fn treatment_summary(&self) -> Vec<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &self.scores.changes {
            *counts.entry(c.reason.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(r, n)| format!("{n} value(s) changed: {r}"))
            .collect()
    }
}
