//! The files of a sweep or sensitivity study and their recovery after a
//! kill.
//!
//! Rules: `experiments.csv` (`experiment,point,strategy,<parameter
//! paths…>,seed,status,reason`) and `outcomes.csv`
//! (`experiment,replicate,metric,value`) are appended a chunk at a time,
//! outcomes first, each chunk written whole and synced before the next, so
//! an experiment row on disk always has all its outcome rows before it.
//! Recovery keeps complete lines only and drops outcome rows of experiments
//! without a row. Rows are in experiment-id order. Numbers use Rust's
//! shortest round-trip formatting.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use serde_json::{Value, json};

use super::plan::{Method, Plan, Shard};
use crate::{Error, InputError, Result};

pub const EXPERIMENTS: &str = "experiments.csv";
pub const OUTCOMES: &str = "outcomes.csv";
pub const MANIFEST: &str = "manifest.json";
pub const SCENARIO: &str = "scenario.toml";
pub const FORMAT: &str = "tiaokuai-sweep";
pub const FORMAT_VERSION: u64 = 1;

fn io(ctx: &str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let c = format!("{ctx} {}", path.display());
    move |e| Error::io(c, e)
}

/// Quote a CSV field when it needs it.
pub use crate::output::csv_field as field;

pub fn experiments_header(plan: &Plan) -> String {
    let mut h = String::from("experiment,point,strategy");
    for p in &plan.params {
        h.push(',');
        h.push_str(&field(&p.path));
    }
    h.push_str(",seed,status,reason\n");
    h
}

pub const OUTCOMES_HEADER: &str = "experiment,replicate,metric,value\n";

/// One `experiments.csv` row.
pub fn experiment_row(plan: &Plan, id: usize, values: &[f64], reason: Option<&str>) -> String {
    let (p, s) = plan.locate(id);
    let mut r = format!("{id},{p},{}", field(&plan.strategies[s]));
    for v in values {
        r.push_str(&format!(",{v}"));
    }
    match reason {
        None => r.push_str(&format!(",{},ok,\n", plan.point_seed(p))),
        Some(why) => r.push_str(&format!(",{},failed,{}\n", plan.point_seed(p), field(why))),
    }
    r
}

/// The method as recorded in the manifest.
pub fn method_json(m: &Method) -> Value {
    match m {
        Method::Sweep(spec) => json!({
            "method": "sweep", "design": spec.design.id(), "samples": spec.samples,
        }),
        Method::Sobol { n, second_order } => json!({
            "method": "sobol", "samples": n, "second_order": second_order,
        }),
        Method::Morris { r, levels } => json!({
            "method": "morris", "trajectories": r, "levels": levels,
        }),
    }
}

/// Facts about the scenario a study ran on.
#[derive(Debug, Clone)]
pub struct ScenarioInfo {
    pub name: String,
    pub file: String,
    pub sha256: String,
    pub text: String,
    pub years: u64,
}

/// The manifest; `identity` keys must match for resume and merge.
pub fn manifest(plan: &Plan, sc: &ScenarioInfo, metrics: &[String], shard: Option<Shard>) -> Value {
    json!({
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool_version": crate::VERSION,
        "scenario": {"name": sc.name, "file": sc.file, "sha256": sc.sha256},
        "method": method_json(&plan.method),
        "seed": plan.seed,
        "parameters": plan.params.iter().map(|p| json!({"path": p.path, "dist": p.dist.kind()})).collect::<Vec<_>>(),
        "strategies": plan.strategies,
        "replicates": plan.replicates,
        "years": sc.years,
        "metrics": metrics,
        "points": plan.points.len(),
        "experiments": plan.experiments(),
        "shard": shard.map(|s| json!({"index": s.index, "count": s.count})),
        "complete": false,
        "completed": 0,
        "failed": 0,
        "threads": 0,
        "wall_time_s": 0.0,
        "files": [],
    })
}

/// Keys that identify a study (everything but progress and timing).
pub const IDENTITY: [&str; 11] = [
    "format",
    "format_version",
    "scenario",
    "method",
    "seed",
    "parameters",
    "strategies",
    "replicates",
    "metrics",
    "points",
    "experiments",
];

/// The first identity key on which two manifests differ.
pub fn identity_mismatch(a: &Value, b: &Value) -> Option<&'static str> {
    IDENTITY.into_iter().find(|k| {
        let (x, y) = (a.get(k), b.get(k));
        if *k == "scenario" {
            x.and_then(|v| v.get("sha256")) != y.and_then(|v| v.get("sha256"))
        } else {
            x != y
        }
    })
}

pub fn read_manifest(dir: &Path) -> Result<Value> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| InputError::new(format!("cannot read the study manifest: {e}")).file(&path))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| InputError::new(format!("not valid JSON: {e}")).file(&path))?;
    if v.get("format").and_then(Value::as_str) != Some(FORMAT)
        || v.get("format_version").and_then(Value::as_u64) != Some(FORMAT_VERSION)
    {
        return Err(InputError::new(format!(
            "not a {FORMAT} manifest of format version {FORMAT_VERSION}"
        ))
        .file(&path)
        .into());
    }
    Ok(v)
}

pub fn write_manifest(dir: &Path, v: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Error::Other(e.to_string()))? + "\n";
    crate::sweep::folder::write_atomic(&dir.join(MANIFEST), text.as_bytes())
}

/// Append a chunk to a file and sync it.
pub fn append(path: &Path, text: &str) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let mut f = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(io("opening", path))?;
    f.write_all(text.as_bytes()).map_err(io("writing", path))?;
    f.sync_data().map_err(io("syncing", path))
}

/// Cut a file after its last newline (drops a line cut short by a kill).
fn truncate_to_last_line(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).map_err(io("reading", path))?;
    let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    if keep < bytes.len() {
        let f = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io("opening", path))?;
        f.set_len(keep as u64).map_err(io("truncating", path))?;
    }
    Ok(())
}

/// The leading experiment id of a data line.
pub fn line_id(line: &str) -> Option<usize> {
    line.split(',').next()?.parse().ok()
}

/// Recover an unfinished study directory: keep complete experiment rows and
/// the outcome rows that belong to them. Returns the ids already done.
pub fn recover(dir: &Path) -> Result<BTreeSet<usize>> {
    let exp = dir.join(EXPERIMENTS);
    let out = dir.join(OUTCOMES);
    truncate_to_last_line(&exp)?;
    truncate_to_last_line(&out)?;
    let mut done = BTreeSet::new();
    let f = File::open(&exp).map_err(io("reading", &exp))?;
    for line in BufReader::new(f).lines().skip(1) {
        let line = line.map_err(io("reading", &exp))?;
        if let Some(id) = line_id(&line) {
            done.insert(id);
        }
    }
    // Rewrite outcomes keeping only rows of finished experiments.
    let tmp = crate::sweep::folder::tmp_sibling(&out);
    {
        let src = File::open(&out).map_err(io("reading", &out))?;
        let mut w = BufWriter::new(File::create(&tmp).map_err(io("creating", &tmp))?);
        for (i, line) in BufReader::new(src).lines().enumerate() {
            let line = line.map_err(io("reading", &out))?;
            if i == 0 || line_id(&line).is_some_and(|id| done.contains(&id)) {
                writeln!(w, "{line}").map_err(io("writing", &tmp))?;
            }
        }
        w.flush().map_err(io("writing", &tmp))?;
    }
    std::fs::rename(&tmp, &out).map_err(io("renaming", &out))?;
    Ok(done)
}
