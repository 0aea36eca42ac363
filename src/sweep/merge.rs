//! Combining the shards of a study into exactly the files one unsharded run
//! writes.
//!
//! Rules: every part must be a finished shard of the same study (same
//! manifest identity: scenario hash, design, seed, strategies, replicates,
//! metrics) and of the same shard count; every shard must appear once.
//! Rows are merged by experiment id (each part is already in id order, so
//! this is a streaming k-way merge and memory stays flat); within an
//! experiment the part's order (replicate, then metric) is kept. An
//! experiment id found in two parts, or missing from all, is an error and
//! nothing is written. The merged `experiments.csv`, `outcomes.csv`,
//! `scenario.toml` and (for sensitivity studies) `design.csv`,
//! `outputs.csv`, `sensitivity.csv` are byte-identical to an unsharded
//! run's; `manifest.json` differs only in timing, thread count and
//! `merged_from`.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Lines, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::files;
use super::plan::{Method, Plan};
use crate::design::{self, DesignKind, ExperimentSpec};
use crate::{Error, InputError, Result};

/// What a merge did.
#[derive(Debug, Clone)]
pub struct MergeReport {
    pub parts: usize,
    pub experiments: usize,
    pub failed: usize,
    pub skipped: Vec<(String, String)>,
}

fn io(ctx: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::io(ctx, e)
}

fn bad(msg: String) -> Error {
    InputError::new(msg).into()
}

/// One part's lines with the id of the current line.
struct Cursor {
    lines: Lines<BufReader<File>>,
    head: Option<(usize, String)>,
    part: usize,
}

impl Cursor {
    fn open(path: &Path, part: usize) -> Result<(String, Cursor)> {
        let f = File::open(path).map_err(io(format!("reading {}", path.display())))?;
        let mut lines = BufReader::new(f).lines();
        let header = lines
            .next()
            .transpose()
            .map_err(io(format!("reading {}", path.display())))?
            .unwrap_or_default();
        let mut c = Cursor {
            lines,
            head: None,
            part,
        };
        c.advance(path)?;
        Ok((header, c))
    }
    fn advance(&mut self, path: &Path) -> Result<()> {
        self.head = match self.lines.next() {
            None => None,
            Some(line) => {
                let line = line.map_err(io(format!("reading {}", path.display())))?;
                let id = files::line_id(&line)
                    .ok_or_else(|| bad(format!("{}: malformed row `{line}`", path.display())))?;
                Some((id, line))
            }
        };
        Ok(())
    }
}

/// Merge one file of every part by id; `unique` demands each id once.
/// Returns the ids written, in order.
fn merge_file(parts: &[PathBuf], name: &str, out: &Path, unique: bool) -> Result<Vec<usize>> {
    let mut cursors = Vec::new();
    let mut header: Option<String> = None;
    for (i, p) in parts.iter().enumerate() {
        let (h, c) = Cursor::open(&p.join(name), i)?;
        match &header {
            None => header = Some(h),
            Some(first) if *first != h => {
                return Err(bad(format!(
                    "{} has a different header in `{}`",
                    name,
                    p.display()
                )));
            }
            _ => {}
        }
        cursors.push(c);
    }
    let path = out.join(name);
    let mut w =
        BufWriter::new(File::create(&path).map_err(io(format!("creating {}", path.display())))?);
    writeln!(w, "{}", header.unwrap_or_default())
        .map_err(io(format!("writing {}", path.display())))?;
    let mut ids = Vec::new();
    let mut last: Option<(usize, usize)> = None; // (id, part)
    while let Some(k) = (0..cursors.len())
        .filter(|k| cursors[*k].head.is_some())
        .min_by_key(|k| cursors[*k].head.as_ref().map(|h| (h.0, cursors[*k].part)))
    {
        let (id, line) = cursors[k].head.take().unwrap_or_default();
        if let Some((lid, lpart)) = last {
            if id < lid {
                return Err(bad(format!(
                    "{name} in `{}` is not in experiment order",
                    parts[k].display()
                )));
            }
            if id == lid && (unique || lpart != cursors[k].part) {
                return Err(bad(format!(
                    "experiment {id} appears in both `{}` and `{}`",
                    parts[lpart].display(),
                    parts[cursors[k].part].display()
                )));
            }
        }
        if last.is_none_or(|(lid, _)| lid != id) {
            ids.push(id);
        }
        last = Some((id, cursors[k].part));
        writeln!(w, "{line}").map_err(io(format!("writing {}", path.display())))?;
        cursors[k].advance(&parts[k].join(name))?;
    }
    w.flush()
        .map_err(io(format!("writing {}", path.display())))?;
    Ok(ids)
}

/// Rebuild the plan a manifest describes from its saved scenario.
pub fn plan_from(dir: &Path, man: &Value) -> Result<Plan> {
    let path = dir.join(files::SCENARIO);
    let text = std::fs::read_to_string(&path).map_err(io(format!("reading {}", path.display())))?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| bad(format!("{}: {e}", path.display())))?;
    let params = design::parse_uncertainties(&table, Some(&path))?;
    let m = &man["method"];
    let u = |k: &str| m.get(k).and_then(Value::as_u64).unwrap_or(0) as usize;
    let method = match m.get("method").and_then(Value::as_str) {
        Some("sobol") => Method::Sobol {
            n: u("samples"),
            second_order: m
                .get("second_order")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        },
        Some("morris") => Method::Morris {
            r: u("trajectories"),
            levels: u("levels"),
        },
        Some("sweep") => {
            let design = match m.get("design").and_then(Value::as_str) {
                Some("grid") => DesignKind::Grid,
                Some("montecarlo") => DesignKind::MonteCarlo,
                _ => DesignKind::Lhs,
            };
            Method::Sweep(ExperimentSpec {
                design,
                samples: u("samples"),
                seed: None,
            })
        }
        other => {
            return Err(bad(format!(
                "unknown study method {other:?} in the manifest"
            )));
        }
    };
    let strategies: Vec<String> = man["strategies"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let replicates = man["replicates"].as_u64().unwrap_or(0) as usize;
    let seed = man["seed"].as_u64().unwrap_or(0);
    Plan::new(method, params, strategies, replicates, seed)
}

/// Merge finished shards into `out`.
pub fn merge(parts: &[PathBuf], out: &Path, force: bool) -> Result<MergeReport> {
    if parts.is_empty() {
        return Err(bad("give at least one shard folder to merge".into()));
    }
    let mans: Vec<Value> = parts
        .iter()
        .map(|p| files::read_manifest(p))
        .collect::<Result<_>>()?;
    let first = &mans[0];
    let count = first["shard"]["count"].as_u64();
    let mut seen: Vec<Option<usize>> = vec![None; count.unwrap_or(0) as usize];
    for (i, (p, m)) in parts.iter().zip(&mans).enumerate() {
        if m.get("complete") != Some(&Value::Bool(true)) {
            return Err(InputError::new(format!("`{}` is unfinished", p.display()))
                .suggest("finish it with the same command plus --resume, then merge")
                .into());
        }
        if let Some(k) = files::identity_mismatch(first, m) {
            return Err(InputError::new(format!(
                "`{}` and `{}` come from different studies (they differ in `{k}`)",
                parts[0].display(),
                p.display()
            ))
            .into());
        }
        let (Some(idx), Some(c)) = (m["shard"]["index"].as_u64(), m["shard"]["count"].as_u64())
        else {
            return Err(bad(format!(
                "`{}` is not a shard (it was run without --shard)",
                p.display()
            )));
        };
        if idx >= c {
            return Err(bad(format!(
                "`{}` claims to be shard {idx} of only {c}",
                p.display()
            )));
        }
        if Some(c) != count {
            return Err(bad(format!(
                "`{}` is shard {idx}/{c}, but `{}` has {} shards",
                p.display(),
                parts[0].display(),
                count.unwrap_or(0)
            )));
        }
        if let Some(j) = seen[idx as usize] {
            return Err(bad(format!(
                "shard {idx}/{c} is given twice: `{}` and `{}`",
                parts[j].display(),
                p.display()
            )));
        }
        seen[idx as usize] = Some(i);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| i.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "missing shard(s) {} of {}",
            missing.join(", "),
            count.unwrap_or(0)
        )));
    }
    let dir = crate::output::OutDir::create(out, force)?;
    let report = merge_into(parts, &mans, dir.dir())?;
    dir.commit()?;
    Ok(report)
}

fn merge_into(parts: &[PathBuf], mans: &[Value], tmp: &Path) -> Result<MergeReport> {
    let first = &mans[0];
    std::fs::copy(parts[0].join(files::SCENARIO), tmp.join(files::SCENARIO))
        .map_err(io(format!("copying {}", files::SCENARIO)))?;
    let ids = merge_file(parts, files::EXPERIMENTS, tmp, true)?;
    let total = first["experiments"].as_u64().unwrap_or(0) as usize;
    if ids.len() != total {
        let have: std::collections::BTreeSet<usize> = ids.iter().copied().collect();
        let missing: Vec<String> = (0..total)
            .filter(|i| !have.contains(i))
            .take(10)
            .map(|i| i.to_string())
            .collect();
        return Err(bad(format!(
            "{} of {total} experiments are missing (first: {})",
            total.saturating_sub(ids.len()),
            missing.join(", ")
        )));
    }
    merge_file(parts, files::OUTCOMES, tmp, false)?;
    let plan = plan_from(tmp, first)?;
    let metrics: Vec<String> = first["metrics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut written = vec![files::SCENARIO, files::EXPERIMENTS, files::OUTCOMES];
    let mut skipped = Vec::new();
    if !matches!(plan.method, Method::Sweep(_)) {
        skipped = super::analysis::write(tmp, &plan, &metrics)?;
        written.extend([
            super::analysis::DESIGN,
            super::analysis::OUTPUTS,
            super::analysis::SENSITIVITY,
        ]);
    }
    written.push(files::MANIFEST);
    let failed = super::count_failed(tmp)?;
    let mut man = first.clone();
    man["shard"] = Value::Null;
    man["completed"] = json!(total);
    man["failed"] = json!(failed);
    man["threads"] = json!(
        mans.iter()
            .filter_map(|m| m["threads"].as_u64())
            .max()
            .unwrap_or(0)
    );
    let wall: f64 = mans.iter().filter_map(|m| m["wall_time_s"].as_f64()).sum();
    man["wall_time_s"] = json!((wall * 1000.0).round() / 1000.0);
    man["files"] = json!(written);
    man["merged_from"] = json!(
        parts
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    );
    files::write_manifest(tmp, &man)?;
    Ok(MergeReport {
        parts: parts.len(),
        experiments: total,
        failed,
        skipped,
    })
}
