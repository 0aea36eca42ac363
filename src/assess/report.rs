//! Reports of an assessment: `scores.csv` (one row per unit), `scores-long.csv`
//! (every node of every unit through every step), `treatment.csv` (every
//! value pre-treatment changed, and why), the uncertainty tables, a
//! manifest, and the stdout table.
//!
//! Rules: numbers use Rust's shortest round-trip formatting and a missing
//! value is an empty cell; rows follow the data's unit order and the
//! framework's tree order (index first, then depth-first), so the files are
//! byte-identical for the same inputs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::scenario::sha256_hex;

use super::data::{csv_field, csv_line};
use super::framework::{Framework, NodeKind};
use super::score::Scores;
use super::uncertainty::McResult;
use crate::output::{self, OutDir, num};
use crate::{Error, Result};

/// Band name of unit `i` (empty when missing).
fn band_name(fw: &Framework, s: &Scores, i: usize) -> String {
    match s.stage[i] {
        0 => String::new(),
        b => fw.bands[b as usize - 1].name.clone(),
    }
}

/// `scores.csv`: id, (source,) pillars…, index, rank, band.
pub fn scores_csv(
    fw: &Framework,
    ids: &[String],
    sources: Option<&[String]>,
    s: &Scores,
) -> String {
    let pillars = fw.pillars();
    let mut head = vec!["id".to_string()];
    if sources.is_some() {
        head.push("source".into());
    }
    head.extend(pillars.iter().map(|&p| fw.nodes[p].id.clone()));
    head.extend(["index".into(), "rank".into(), "band".into()]);
    let mut out = csv_line(head.iter().map(String::as_str));
    for (i, id) in ids.iter().enumerate() {
        let mut row = vec![id.clone()];
        if let Some(src) = sources {
            row.push(src[i].clone());
        }
        row.extend(pillars.iter().map(|&p| num(s.ws.row(&s.ws.agg, p)[i])));
        row.push(num(s.ws.index[i]));
        row.push(match s.rank[i] {
            0 => String::new(),
            r => r.to_string(),
        });
        row.push(band_name(fw, s, i));
        out.push_str(&csv_line(row.iter().map(String::as_str)));
    }
    out
}

/// `scores-long.csv`: unit, node, kind, parent, raw, treated, normalised,
/// weighted (normalised × the node's share of its parent's weights),
/// aggregated (inner nodes; the index before rescaling).
pub fn long_csv(fw: &Framework, ids: &[String], s: &Scores) -> String {
    let mut order = Vec::new();
    fw.walk(fw.root(), &mut |k| order.push(k));
    let share: Vec<f64> = (0..fw.nodes.len())
        .map(|k| match fw.nodes[k].parent {
            Some(p) => match &fw.nodes[p].kind {
                NodeKind::Aggregate(a) => {
                    let j = a.children.iter().position(|&c| c == k).unwrap_or(0);
                    a.weights[j] / a.weights.iter().sum::<f64>()
                }
                NodeKind::Indicator(_) => f64::NAN,
            },
            None => f64::NAN,
        })
        .collect();
    let mut out =
        String::from("unit,node,kind,parent,raw,treated,normalised,weighted,aggregated\n");
    let ws = &s.ws;
    for (i, id) in ids.iter().enumerate() {
        for &k in &order {
            let node = &fw.nodes[k];
            let (kind, raw, treated, agg) = match &node.kind {
                NodeKind::Indicator(_) => (
                    "indicator",
                    ws.row(&ws.raw, k)[i],
                    ws.row(&ws.treated, k)[i],
                    f64::NAN,
                ),
                NodeKind::Aggregate(_) if k == fw.root() => {
                    ("index", f64::NAN, f64::NAN, ws.row(&ws.agg, k)[i])
                }
                NodeKind::Aggregate(_) => ("pillar", f64::NAN, f64::NAN, ws.row(&ws.agg, k)[i]),
            };
            let normed = if k == fw.root() {
                f64::NAN
            } else {
                ws.row(&ws.norm, k)[i]
            };
            let parent = node.parent.map_or("", |p| fw.nodes[p].id.as_str());
            let _ = writeln!(
                out,
                "{},{},{kind},{},{},{},{},{},{}",
                csv_field(id),
                csv_field(&node.id),
                csv_field(parent),
                num(raw),
                num(treated),
                num(normed),
                num(normed * share[k]),
                num(agg)
            );
        }
    }
    out
}

/// `treatment.csv`: every value pre-treatment changed.
pub fn treatment_csv(fw: &Framework, ids: &[String], s: &Scores) -> String {
    let mut out = String::from("unit,indicator,column,from,to,reason\n");
    for c in &s.changes {
        let node = &fw.nodes[c.node];
        let col = match &node.kind {
            NodeKind::Indicator(i) => i.source.as_str(),
            NodeKind::Aggregate(_) => "",
        };
        let _ = writeln!(
            out,
            "{},{},{},{},{},{}",
            csv_field(&ids[c.unit]),
            csv_field(&node.id),
            csv_field(col),
            num(c.from),
            num(c.to),
            csv_field(&c.reason)
        );
    }
    out
}

/// `uncertainty.csv` (per unit) and `sensitivity.csv` (per factor).
pub fn uncertainty_csvs(ids: &[String], mc: &McResult) -> (String, String) {
    let mut u = String::from("id,nominal_rank,rank_p05,rank_p50,rank_p95\n");
    for (i, id) in ids.iter().enumerate() {
        let r = match mc.nominal_rank[i] {
            0 => String::new(),
            r => r.to_string(),
        };
        let _ = writeln!(
            u,
            "{},{r},{},{},{}",
            csv_field(id),
            num(mc.p05[i]),
            num(mc.p50[i]),
            num(mc.p95[i])
        );
    }
    let mut s = String::from("factor,first_order_share,total_order_share\n");
    for f in &mc.shares {
        let _ = writeln!(s, "{},{},{}", f.id, num(f.first_order), num(f.total_order));
    }
    (u, s)
}

/// `manifest.json` for an assessment.
pub fn manifest(
    fw: &Framework,
    data: &[PathBuf],
    units: usize,
    mc: Option<(usize, u64)>,
    files: &[&str],
) -> Result<String> {
    let mut data_json = Vec::new();
    for p in data {
        let bytes =
            std::fs::read(p).map_err(|e| Error::io(format!("reading {}", p.display()), e))?;
        data_json.push(serde_json::json!({
            "file": p.display().to_string(),
            "sha256": sha256_hex(&bytes),
        }));
    }
    let v = serde_json::json!({
        "format": "tiaokuai-assess",
        "format_version": 1,
        "tool_version": crate::VERSION,
        "framework": {
            "id": fw.id,
            "name": fw.name,
            "file": fw.origin.as_ref().map(|p| p.display().to_string()),
            "sha256": sha256_hex(fw.text.as_bytes()),
        },
        "data": data_json,
        "units": units,
        "uncertainty": mc.map(|(n, seed)| serde_json::json!({"draws": n, "seed": seed})),
        "files": files,
    });
    serde_json::to_string_pretty(&v)
        .map(|s| s + "\n")
        .map_err(|e| Error::Other(e.to_string()))
}

/// The stdout table, sorted by rank (missing last).
pub fn table(fw: &Framework, ids: &[String], s: &Scores, mc: Option<&McResult>) -> String {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&i| (s.rank[i] == 0, s.rank[i], i));
    let w = ids
        .iter()
        .map(|x| x.chars().count())
        .max()
        .unwrap_or(2)
        .clamp(2, 40);
    let mut out = format!(
        "{:>4}  {:<w$}  {:>10}  {:<24}",
        "rank",
        "id",
        fw.nodes[fw.root()].id,
        "band"
    );
    if mc.is_some() {
        out.push_str("  rank p05-p95");
    }
    out.push('\n');
    for i in order {
        let rank = match s.rank[i] {
            0 => "-".to_string(),
            r => r.to_string(),
        };
        let idx = if s.ws.index[i].is_nan() {
            "missing".to_string()
        } else {
            format!("{:.4}", s.ws.index[i])
        };
        let _ = write!(
            out,
            "{rank:>4}  {:<w$}  {idx:>10}  {:<24}",
            ids[i],
            band_name(fw, s, i)
        );
        if let Some(m) = mc {
            if !m.p05[i].is_nan() {
                let _ = write!(out, "  {:.0}-{:.0}", m.p05[i], m.p95[i]);
            }
        }
        out.push('\n');
    }
    out.lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect()
}

/// Write a set of files into `out` through the shared [`OutDir`]: refused
/// when `out` is a non-empty directory unless `force`, written into a
/// temporary sibling and moved into place only when every file is written.
pub fn write_output_dir(out: &Path, force: bool, files: &[(&str, String)]) -> Result<PathBuf> {
    let dir = OutDir::create(out, force)?;
    for (name, text) in files {
        output::write_file(&dir.path(name), text.as_bytes())?;
    }
    dir.commit()
}
