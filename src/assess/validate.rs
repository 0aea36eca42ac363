//! Validation of a framework file: the raw mirror read by [`super::raw`]
//! becomes a [`Framework`] the rest of the engine trusts.
//!
//! Rules: the hierarchy must be a tree — every reference resolves, nothing
//! is orphaned, nothing is its own ancestor, no node has two parents;
//! weights are explicit or equal, non-negative, not all zero, and cover
//! exactly the children; every parameter a method needs (goalposts, a
//! target) is present; geometric/harmonic means are never combined with
//! z-scores. Every failure is an [`InputError`] naming the key.

use std::collections::BTreeMap;
use std::path::Path;

use super::aggregate::Aggregation;
use super::framework::{
    AggregateSpec, Band, Framework, IndicatorSpec, Node, NodeKind, NormSpec, OutlierRule, Rescale,
    UncertaintySpec,
};
use super::normalise::{Direction, Normalisation};
use super::pretreat::{Imputation, Outliers};
use super::raw::{RawBand, RawFramework, RawNode, RawRescale, RawUncertainty};
use crate::error::did_you_mean;
use crate::{Error, InputError, Result};

struct Ctx<'a> {
    origin: Option<&'a Path>,
}

impl Ctx<'_> {
    fn err(&self, key: impl Into<String>, msg: impl Into<String>) -> InputError {
        let mut e = InputError::new(msg).key(key);
        if let Some(p) = self.origin {
            e = e.file(p);
        }
        e
    }
}

fn parse_choice<T>(
    cx: &Ctx,
    key: &str,
    s: &str,
    parse: fn(&str) -> Option<T>,
    all: &[&str],
) -> Result<T> {
    parse(s).ok_or_else(|| {
        let mut e = cx
            .err(key, format!("unknown value `{s}`"))
            .expected(format!("one of {}", all.join(", ")));
        if let Some(m) = did_you_mean(s, all.iter().copied()) {
            e = e.suggest(format!("did you mean `{m}`?"));
        }
        e.into()
    })
}

/// Framework-wide defaults every node falls back on.
struct Defaults {
    norm: Normalisation,
    agg: Aggregation,
    cov: f64,
    imp: Imputation,
    out: Outliers,
    rule: OutlierRule,
}

/// The declared pillars and indicators, `(section key, raw, is indicator)`,
/// in file order; the index is number `list.len()` (the root).
struct Decls<'a> {
    list: Vec<(String, &'a RawNode, bool)>,
    index: &'a RawNode,
    root_id: String,
}

impl<'a> Decls<'a> {
    fn root(&self) -> usize {
        self.list.len()
    }
    fn key(&self, k: usize) -> String {
        if k == self.root() {
            "index".into()
        } else {
            self.list[k].0.clone()
        }
    }
    fn raw(&self, k: usize) -> &'a RawNode {
        if k == self.root() {
            self.index
        } else {
            self.list[k].1
        }
    }
    fn is_indicator(&self, k: usize) -> bool {
        k != self.root() && self.list[k].2
    }
    fn id(&self, k: usize) -> String {
        if k == self.root() {
            self.root_id.clone()
        } else {
            self.list[k].1.id.clone().unwrap_or_default()
        }
    }
}

/// The tree: children and parent of every node, by declared number.
struct Tree {
    kids: Vec<Vec<usize>>,
    parent: Vec<Option<usize>>,
}

pub(super) fn build(raw: RawFramework, text: &str, origin: Option<&Path>) -> Result<Framework> {
    let cx = Ctx { origin };
    let defaults = defaults(&cx, &raw)?;
    let (decls, ids) = declared(&cx, &raw)?;
    let tree = tree(&cx, &decls, &ids)?;
    check_rooted(&cx, &decls, &tree)?;
    // Post-order from the root gives children before parents.
    let mut order = Vec::with_capacity(decls.root() + 1);
    post_order(decls.root(), &tree.kids, &mut order);
    let mut pos = vec![0usize; decls.root() + 1];
    for (i, &k) in order.iter().enumerate() {
        pos[k] = i;
    }
    let nodes = order
        .iter()
        .map(|&k| node(&cx, &decls, &tree, &pos, &defaults, k))
        .collect::<Result<Vec<_>>>()?;
    let rescale = match &raw.rescale {
        None => Rescale::None,
        Some(r) => rescale_spec(&cx, r)?,
    };
    let bands = band_specs(&cx, &raw.band)?;
    let uncertainty = uncertainty_spec(&cx, raw.uncertainty.as_ref(), &nodes)?;
    let fw = Framework {
        id: raw.framework.id,
        name: raw.framework.name,
        name_zh: raw.framework.name_zh,
        description: raw.framework.description,
        id_col: raw.framework.id_col,
        group_col: raw.framework.group_col,
        nodes,
        outlier_rule: defaults.rule,
        rescale,
        bands,
        uncertainty,
        origin: origin.map(Path::to_path_buf),
        text: text.to_string(),
    };
    check_positive_aggregation(&cx, &fw)?;
    Ok(fw)
}

/// `[defaults]` and `[pretreat]`.
fn defaults(cx: &Ctx, raw: &RawFramework) -> Result<Defaults> {
    let norm = match &raw.defaults.normalisation {
        Some(s) => parse_norm(cx, "defaults.normalisation", s)?,
        None => Normalisation::MinMax,
    };
    let agg = match &raw.defaults.aggregation {
        Some(s) => parse_agg(cx, "defaults.aggregation", s)?,
        None => Aggregation::Arithmetic,
    };
    let cov = raw.defaults.min_coverage.unwrap_or(0.5);
    check_share(cx, "defaults.min_coverage", cov)?;
    let pre = &raw.pretreat;
    let imp = match &pre.imputation {
        Some(s) => parse_imp(cx, "pretreat.imputation", s)?,
        None => Imputation::None,
    };
    let out = match &pre.outliers {
        Some(s) => parse_out(cx, "pretreat.outliers", s)?,
        None => Outliers::None,
    };
    let rule = OutlierRule {
        winsor: pre.winsor.map_or((0.05, 0.95), |w| (w[0], w[1])),
        skew_max: pre.skew_max.unwrap_or(2.0),
        kurt_max: pre.kurt_max.unwrap_or(3.5),
        winsor_max: pre.winsor_max.unwrap_or(5),
    };
    if !(0.0..0.5).contains(&rule.winsor.0) || !(0.5..=1.0).contains(&rule.winsor.1) {
        return Err(cx
            .err("pretreat.winsor", "winsorisation quantiles out of range")
            .expected("[lower, upper] with 0 <= lower < 0.5 <= upper <= 1")
            .into());
    }
    if imp == Imputation::GroupMean && raw.framework.group_col.is_none() {
        return Err(cx
            .err(
                "pretreat.imputation",
                "group_mean imputation needs a group column",
            )
            .suggest("set `framework.group_col` (or pass --group-col)")
            .into());
    }
    Ok(Defaults {
        norm,
        agg,
        cov,
        imp,
        out,
        rule,
    })
}

/// Every declared node with a unique id, pillars with children and
/// indicators without; the ids map to declared numbers.
fn declared<'a>(cx: &Ctx, raw: &'a RawFramework) -> Result<(Decls<'a>, BTreeMap<String, usize>)> {
    let mut list: Vec<(String, &RawNode, bool)> = Vec::new();
    for (i, p) in raw.pillar.iter().enumerate() {
        list.push((format!("pillar[{i}]"), p, false));
    }
    for (i, p) in raw.indicator.iter().enumerate() {
        list.push((format!("indicator[{i}]"), p, true));
    }
    let root_id = raw.index.id.clone().unwrap_or_else(|| "index".into());
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for (k, (key, node, is_ind)) in list.iter().enumerate() {
        let id = node
            .id
            .clone()
            .ok_or_else(|| cx.err(key.as_str(), "missing `id`"))?;
        if id == root_id || ids.insert(id.clone(), k).is_some() {
            return Err(cx
                .err(format!("{key}.id"), format!("duplicate node id `{id}`"))
                .into());
        }
        if node.children.is_some() == *is_ind {
            let what = if *is_ind {
                "an indicator cannot have `children`"
            } else {
                "a pillar needs `children`"
            };
            return Err(cx.err(key.as_str(), what).into());
        }
    }
    if raw.index.children.is_none() {
        return Err(cx.err("index", "the index needs `children`").into());
    }
    let decls = Decls {
        list,
        index: &raw.index,
        root_id,
    };
    Ok((decls, ids))
}

/// Resolve every `children` list: each child declared, none with two parents.
fn tree(cx: &Ctx, decls: &Decls, ids: &BTreeMap<String, usize>) -> Result<Tree> {
    let n = decls.root() + 1;
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for (k, slot) in kids.iter_mut().enumerate() {
        let Some(list) = decls.raw(k).children.as_ref() else {
            continue;
        };
        if list.is_empty() {
            return Err(cx
                .err(format!("{}.children", decls.key(k)), "empty `children`")
                .into());
        }
        for c in list {
            let Some(&ck) = ids.get(c) else {
                let mut e = cx.err(
                    format!("{}.children", decls.key(k)),
                    format!("`{c}` is not a declared pillar or indicator"),
                );
                if let Some(m) = did_you_mean(c, ids.keys().map(String::as_str)) {
                    e = e.suggest(format!("did you mean `{m}`?"));
                }
                return Err(e.into());
            };
            if let Some(p) = parent[ck] {
                return Err(cx
                    .err(
                        format!("{}.children", decls.key(k)),
                        format!(
                            "`{c}` is a child of both `{}` and `{}` (the hierarchy must be a tree)",
                            decls.key(p),
                            decls.key(k)
                        ),
                    )
                    .into());
            }
            parent[ck] = Some(k);
            slot.push(ck);
        }
    }
    Ok(Tree { kids, parent })
}

/// Every node reaches the index: no cycles, no orphans.
fn check_rooted(cx: &Ctx, decls: &Decls, tree: &Tree) -> Result<()> {
    let root_k = decls.root();
    for k in 0..root_k {
        let mut seen = vec![k];
        let mut cur = k;
        loop {
            match tree.parent[cur] {
                Some(p) if p == root_k => break,
                Some(p) if seen.contains(&p) => {
                    let path: Vec<String> = seen
                        .iter()
                        .chain(std::iter::once(&p))
                        .rev()
                        .map(|&x| decls.id(x))
                        .collect();
                    return Err(cx
                        .err(
                            decls.key(k),
                            format!("cycle in the hierarchy: {}", path.join(" → ")),
                        )
                        .into());
                }
                Some(p) => {
                    seen.push(p);
                    cur = p;
                }
                None => {
                    return Err(cx
                        .err(
                            decls.key(cur),
                            format!(
                                "`{}` is not reachable from the index (no parent lists it)",
                                decls.id(cur)
                            ),
                        )
                        .into());
                }
            }
        }
    }
    Ok(())
}

/// The validated node of declared number `k`; `pos` maps declared numbers
/// to positions in the post-order.
fn node(
    cx: &Ctx,
    decls: &Decls,
    tree: &Tree,
    pos: &[usize],
    d: &Defaults,
    k: usize,
) -> Result<Node> {
    let (key, rn, is_ind, is_root) = (
        decls.key(k),
        decls.raw(k),
        decls.is_indicator(k),
        k == decls.root(),
    );
    let id = decls.id(k);
    let kind = if is_ind {
        let spec = NodeKind::Indicator(IndicatorSpec {
            source: rn.source.clone().unwrap_or_else(|| id.clone()),
            imputation: match &rn.imputation {
                Some(s) => parse_imp(cx, &format!("{key}.imputation"), s)?,
                None => d.imp,
            },
            outliers: match &rn.outliers {
                Some(s) => parse_out(cx, &format!("{key}.outliers"), s)?,
                None => d.out,
            },
        });
        check_indicator_keys(cx, &key, rn)?;
        spec
    } else {
        let child_ids: Vec<String> = tree.kids[k].iter().map(|&c| decls.id(c)).collect();
        let children = tree.kids[k].iter().map(|&c| pos[c]).collect();
        let spec = aggregate_spec(cx, &key, rn, child_ids, children, d.agg, d.cov)?;
        if rn.source.is_some() || rn.outliers.is_some() || rn.imputation.is_some() {
            return Err(cx
                .err(
                    key.as_str(),
                    "`source`, `outliers` and `imputation` only apply to indicators",
                )
                .into());
        }
        spec
    };
    let norm = if is_root {
        if rn.normalisation.is_some() || rn.direction.is_some() {
            return Err(cx
                .err("index.normalisation", "the index is not normalised")
                .suggest("use [rescale] to map the index onto a range")
                .into());
        }
        None
    } else {
        let fallback = if is_ind { d.norm } else { Normalisation::None };
        Some(norm_spec(cx, &key, rn, fallback)?)
    };
    Ok(Node {
        id,
        name: rn.name.clone().unwrap_or_else(|| key.clone()),
        name_zh: rn.name_zh.clone(),
        description: rn.description.clone(),
        kind,
        norm,
        parent: if is_root {
            None
        } else {
            tree.parent[k].map(|p| pos[p])
        },
    })
}

/// Keys that only pillars take are refused on an indicator.
fn check_indicator_keys(cx: &Ctx, key: &str, rn: &RawNode) -> Result<()> {
    for (f, set) in [
        ("children", rn.children.is_some()),
        ("weights", rn.weights.is_some()),
        ("aggregation", rn.aggregation.is_some()),
        ("min_coverage", rn.min_coverage.is_some()),
    ] {
        if set {
            return Err(cx
                .err(
                    format!("{key}.{f}"),
                    format!("`{f}` only applies to pillars"),
                )
                .into());
        }
    }
    Ok(())
}

fn post_order(k: usize, kids: &[Vec<usize>], out: &mut Vec<usize>) {
    for &c in &kids[k] {
        post_order(c, kids, out);
    }
    out.push(k);
}

fn aggregate_spec(
    cx: &Ctx,
    key: &str,
    rn: &RawNode,
    child_ids: Vec<String>,
    children: Vec<usize>,
    default_agg: Aggregation,
    default_cov: f64,
) -> Result<NodeKind> {
    let kids = &children;
    let weights = match &rn.weights {
        None => vec![1.0; kids.len()],
        Some(w) => {
            for name in w.keys() {
                if !child_ids.contains(name) {
                    let mut e = cx.err(
                        format!("{key}.weights.{name}"),
                        format!("weight for `{name}`, which is not a child of this node"),
                    );
                    if let Some(m) = did_you_mean(name, child_ids.iter().map(String::as_str)) {
                        e = e.suggest(format!("did you mean `{m}`?"));
                    }
                    return Err(e.into());
                }
            }
            let mut out = Vec::with_capacity(kids.len());
            for c in &child_ids {
                let Some(&v) = w.get(c) else {
                    return Err(cx
                        .err(
                            format!("{key}.weights"),
                            format!("no weight for child `{c}`"),
                        )
                        .expected("one weight per child (omit `weights` for equal weights)")
                        .into());
                };
                if !v.is_finite() || v < 0.0 {
                    return Err(cx
                        .err(
                            format!("{key}.weights.{c}"),
                            format!("weight {v} is negative"),
                        )
                        .expected("a finite number >= 0")
                        .into());
                }
                out.push(v);
            }
            if out.iter().sum::<f64>() <= 0.0 {
                return Err(cx
                    .err(format!("{key}.weights"), "all weights are zero")
                    .into());
            }
            out
        }
    };
    let aggregation = match &rn.aggregation {
        Some(s) => parse_agg(cx, &format!("{key}.aggregation"), s)?,
        None => default_agg,
    };
    let min_coverage = rn.min_coverage.unwrap_or(default_cov);
    check_share(cx, &format!("{key}.min_coverage"), min_coverage)?;
    Ok(NodeKind::Aggregate(AggregateSpec {
        children,
        weights,
        aggregation,
        min_coverage,
    }))
}

fn norm_spec(cx: &Ctx, key: &str, rn: &RawNode, fallback: Normalisation) -> Result<NormSpec> {
    let method = match &rn.normalisation {
        Some(s) => parse_norm(cx, &format!("{key}.normalisation"), s)?,
        None => fallback,
    };
    let direction = match rn.direction.as_deref() {
        None | Some("higher") => Direction::Higher,
        Some("lower") => Direction::Lower,
        Some(s) => {
            return Err(cx
                .err(
                    format!("{key}.direction"),
                    format!("unknown direction `{s}`"),
                )
                .expected("higher or lower")
                .into());
        }
    };
    let goalposts = rn.goalposts.map(|g| (g[0], g[1]));
    if let Some((lo, hi)) = goalposts {
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(cx
                .err(
                    format!("{key}.goalposts"),
                    "goalposts must be finite with low < high",
                )
                .into());
        }
    }
    if let Some(t) = rn.target {
        if !(t.is_finite() && t > 0.0) {
            return Err(cx
                .err(format!("{key}.target"), "target must be a positive number")
                .into());
        }
    }
    let spec = NormSpec {
        method,
        direction,
        goalposts,
        target: rn.target,
    };
    check_norm(cx, key, &spec, method)?;
    Ok(spec)
}

/// Check that `method` can be applied with the parameters in `spec`.
fn check_norm(cx: &Ctx, key: &str, spec: &NormSpec, method: Normalisation) -> Result<()> {
    let msg = match method {
        Normalisation::Goalposts if spec.goalposts.is_none() => {
            Some("goalposts normalisation needs `goalposts = [low, high]`")
        }
        Normalisation::DistanceToTarget if spec.target.is_none() => {
            Some("distance_to_target normalisation needs `target`")
        }
        Normalisation::None if spec.direction == Direction::Lower => Some(
            "normalisation `none` cannot reverse a lower-is-better indicator; use minmax or goalposts",
        ),
        _ => None,
    };
    match msg {
        Some(m) => Err(cx.err(key, m).into()),
        None => Ok(()),
    }
}

/// Geometric and harmonic means are undefined for negative values, which
/// z-scores produce; refuse that combination up front.
fn check_positive_aggregation(cx: &Ctx, fw: &Framework) -> Result<()> {
    let mut aggs: Vec<Aggregation> = fw.uncertainty.aggregation.clone();
    let mut norms: Vec<Normalisation> = fw.uncertainty.normalisation.clone();
    for n in &fw.nodes {
        if let NodeKind::Aggregate(a) = &n.kind {
            aggs.push(a.aggregation);
        }
        if let Some(s) = &n.norm {
            norms.push(s.method);
        }
    }
    let bad_agg = aggs.iter().find(|a| a.needs_positive());
    if let (Some(a), true) = (bad_agg, norms.contains(&Normalisation::ZScore)) {
        return Err(cx
            .err(
                "aggregation",
                format!(
                    "{} aggregation cannot be combined with zscore normalisation (z-scores are negative)",
                    a.id()
                ),
            )
            .suggest("use minmax, goalposts or rank with geometric/harmonic means")
            .into());
    }
    Ok(())
}

fn rescale_spec(cx: &Ctx, r: &RawRescale) -> Result<Rescale> {
    let to = r.to.map_or((0.0, 100.0), |t| (t[0], t[1]));
    if !(to.0.is_finite() && to.1.is_finite() && to.0 < to.1) {
        return Err(cx
            .err("rescale.to", "need [low, high] with low < high")
            .into());
    }
    match r.method.as_str() {
        "none" => Ok(Rescale::None),
        "minmax" => Ok(Rescale::MinMax { to }),
        "linear" => {
            let from = r.from.map_or((0.0, 1.0), |t| (t[0], t[1]));
            if !(from.0.is_finite() && from.1.is_finite() && from.0 < from.1) {
                return Err(cx
                    .err("rescale.from", "need [low, high] with low < high")
                    .into());
            }
            Ok(Rescale::Linear { from, to })
        }
        s => parse_choice(
            cx,
            "rescale.method",
            s,
            |_| None,
            &["none", "minmax", "linear"],
        ),
    }
}

fn band_specs(cx: &Ctx, raw: &[RawBand]) -> Result<Vec<Band>> {
    let mut bands: Vec<Band> = raw
        .iter()
        .map(|b| Band {
            name: b.name.clone(),
            name_zh: b.name_zh.clone(),
            min: b.min.unwrap_or(f64::NEG_INFINITY),
            description: b.description.clone(),
        })
        .collect();
    bands.sort_by(|a, b| a.min.total_cmp(&b.min));
    for w in bands.windows(2) {
        if w[0].min == w[1].min {
            return Err(cx
                .err(
                    "band",
                    format!(
                        "bands `{}` and `{}` share a threshold",
                        w[0].name, w[1].name
                    ),
                )
                .into());
        }
    }
    if bands.iter().any(|b| b.min.is_nan()) || bands.len() > 250 {
        return Err(cx.err("band", "invalid band thresholds").into());
    }
    Ok(bands)
}

fn uncertainty_spec(
    cx: &Ctx,
    raw: Option<&RawUncertainty>,
    nodes: &[Node],
) -> Result<UncertaintySpec> {
    let Some(r) = raw else {
        return Ok(UncertaintySpec::default());
    };
    let weights = r.weights.unwrap_or(0.0);
    if !(0.0..1.0).contains(&weights) {
        return Err(cx
            .err(
                "uncertainty.weights",
                format!("weight spread {weights} out of range"),
            )
            .expected("a relative half-width in [0, 1), e.g. 0.25 for ±25%")
            .into());
    }
    let mut spec = UncertaintySpec {
        weights,
        ..Default::default()
    };
    for (i, s) in r.normalisation.iter().flatten().enumerate() {
        let key = format!("uncertainty.normalisation[{i}]");
        let m = parse_norm(cx, &key, s)?;
        for n in nodes.iter().filter(|n| n.is_indicator()) {
            if let Some(ns) = &n.norm {
                check_norm(cx, &key, ns, m).map_err(|e| match e {
                    Error::Input(mut ie) => {
                        ie.message =
                            format!("alternative for indicator `{}`: {}", n.id, ie.message);
                        Error::Input(ie)
                    }
                    other => other,
                })?;
            }
        }
        spec.normalisation.push(m);
    }
    for (i, s) in r.aggregation.iter().flatten().enumerate() {
        spec.aggregation
            .push(parse_agg(cx, &format!("uncertainty.aggregation[{i}]"), s)?);
    }
    for (i, s) in r.imputation.iter().flatten().enumerate() {
        let m = parse_imp(cx, &format!("uncertainty.imputation[{i}]"), s)?;
        if m == Imputation::GroupMean {
            return Err(cx
                .err(
                    format!("uncertainty.imputation[{i}]"),
                    "group_mean is not available as an uncertain alternative",
                )
                .into());
        }
        spec.imputation.push(m);
    }
    Ok(spec)
}

fn check_share(cx: &Ctx, key: &str, v: f64) -> Result<()> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(cx
            .err(key, format!("{v} is not a share"))
            .expected("a number in [0, 1]")
            .into())
    }
}

fn parse_norm(cx: &Ctx, key: &str, s: &str) -> Result<Normalisation> {
    parse_choice(cx, key, s, Normalisation::parse, &Normalisation::ALL_IDS)
}
fn parse_agg(cx: &Ctx, key: &str, s: &str) -> Result<Aggregation> {
    parse_choice(cx, key, s, Aggregation::parse, &Aggregation::ALL_IDS)
}
fn parse_imp(cx: &Ctx, key: &str, s: &str) -> Result<Imputation> {
    parse_choice(cx, key, s, Imputation::parse, &Imputation::ALL_IDS)
}
fn parse_out(cx: &Ctx, key: &str, s: &str) -> Result<Outliers> {
    parse_choice(cx, key, s, Outliers::parse, &Outliers::ALL_IDS)
}
