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

pub(super) fn build(raw: RawFramework, text: &str, origin: Option<&Path>) -> Result<Framework> {
    let cx = Ctx { origin };
    let default_norm = match &raw.defaults.normalisation {
        Some(s) => parse_norm(&cx, "defaults.normalisation", s)?,
        None => Normalisation::MinMax,
    };
    let default_agg = match &raw.defaults.aggregation {
        Some(s) => parse_agg(&cx, "defaults.aggregation", s)?,
        None => Aggregation::Arithmetic,
    };
    let default_cov = raw.defaults.min_coverage.unwrap_or(0.5);
    check_share(&cx, "defaults.min_coverage", default_cov)?;
    let pre = &raw.pretreat;
    let default_imp = match &pre.imputation {
        Some(s) => parse_imp(&cx, "pretreat.imputation", s)?,
        None => Imputation::None,
    };
    let default_out = match &pre.outliers {
        Some(s) => parse_out(&cx, "pretreat.outliers", s)?,
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
    if default_imp == Imputation::GroupMean && raw.framework.group_col.is_none() {
        return Err(cx
            .err(
                "pretreat.imputation",
                "group_mean imputation needs a group column",
            )
            .suggest("set `framework.group_col` (or pass --group-col)")
            .into());
    }

    // Collect every declared node: (section key, raw).
    let mut decl: Vec<(String, &RawNode, bool)> = Vec::new();
    for (i, p) in raw.pillar.iter().enumerate() {
        decl.push((format!("pillar[{i}]"), p, false));
    }
    for (i, p) in raw.indicator.iter().enumerate() {
        decl.push((format!("indicator[{i}]"), p, true));
    }
    let root_id = raw.index.id.clone().unwrap_or_else(|| "index".into());
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    for (k, (key, node, _)) in decl.iter().enumerate() {
        let id = node
            .id
            .clone()
            .ok_or_else(|| cx.err(key.as_str(), "missing `id`"))?;
        if id == root_id || ids.insert(id.clone(), k).is_some() {
            return Err(cx
                .err(format!("{key}.id"), format!("duplicate node id `{id}`"))
                .into());
        }
        if node.children.is_some() == decl[k].2 {
            let what = if decl[k].2 {
                "an indicator cannot have `children`"
            } else {
                "a pillar needs `children`"
            };
            return Err(cx.err(key.as_str(), what).into());
        }
    }
    // Children lists by declared index; root is `decl.len()`.
    let root_k = decl.len();
    let children_of = |k: usize| -> Option<&Vec<String>> {
        if k == root_k {
            raw.index.children.as_ref()
        } else {
            decl[k].1.children.as_ref()
        }
    };
    let key_of = |k: usize| -> String {
        if k == root_k {
            "index".into()
        } else {
            decl[k].0.clone()
        }
    };
    if raw.index.children.is_none() {
        return Err(cx.err("index", "the index needs `children`").into());
    }
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); decl.len() + 1];
    let mut parent: Vec<Option<usize>> = vec![None; decl.len() + 1];
    for (k, slot) in kids.iter_mut().enumerate() {
        let Some(list) = children_of(k) else { continue };
        if list.is_empty() {
            return Err(cx
                .err(format!("{}.children", key_of(k)), "empty `children`")
                .into());
        }
        for c in list {
            let Some(&ck) = ids.get(c) else {
                let mut e = cx.err(
                    format!("{}.children", key_of(k)),
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
                        format!("{}.children", key_of(k)),
                        format!(
                            "`{c}` is a child of both `{}` and `{}` (the hierarchy must be a tree)",
                            key_of(p),
                            key_of(k)
                        ),
                    )
                    .into());
            }
            parent[ck] = Some(k);
            slot.push(ck);
        }
    }
    // Cycles: follow parents from every node; orphans never reach the root.
    for k in 0..decl.len() {
        let mut seen = vec![k];
        let mut cur = k;
        loop {
            match parent[cur] {
                Some(p) if p == root_k => break,
                Some(p) if seen.contains(&p) => {
                    let path: Vec<String> = seen
                        .iter()
                        .chain(std::iter::once(&p))
                        .rev()
                        .map(|&x| decl[x].1.id.clone().unwrap_or_default())
                        .collect();
                    return Err(cx
                        .err(
                            key_of(k),
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
                            key_of(cur),
                            format!(
                                "`{}` is not reachable from the index (no parent lists it)",
                                decl[cur].1.id.clone().unwrap_or_default()
                            ),
                        )
                        .into());
                }
            }
        }
    }
    // Post-order from the root gives children before parents.
    let mut order = Vec::with_capacity(root_k + 1);
    post_order(root_k, &kids, &mut order);
    let mut pos = vec![0usize; root_k + 1];
    for (i, &k) in order.iter().enumerate() {
        pos[k] = i;
    }
    let mut nodes = Vec::with_capacity(order.len());
    for &k in &order {
        let (key, rn, is_ind) = if k == root_k {
            ("index".to_string(), &raw.index, false)
        } else {
            (decl[k].0.clone(), decl[k].1, decl[k].2)
        };
        let id = if k == root_k {
            root_id.clone()
        } else {
            rn.id.clone().unwrap_or_default()
        };
        let kind = if is_ind {
            NodeKind::Indicator(IndicatorSpec {
                source: rn.source.clone().unwrap_or_else(|| id.clone()),
                imputation: match &rn.imputation {
                    Some(s) => parse_imp(&cx, &format!("{key}.imputation"), s)?,
                    None => default_imp,
                },
                outliers: match &rn.outliers {
                    Some(s) => parse_out(&cx, &format!("{key}.outliers"), s)?,
                    None => default_out,
                },
            })
        } else {
            aggregate_spec(
                &cx,
                &key,
                rn,
                &kids[k],
                &decl,
                &pos,
                default_agg,
                default_cov,
            )?
        };
        if is_ind {
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
        } else if rn.source.is_some() || rn.outliers.is_some() || rn.imputation.is_some() {
            return Err(cx
                .err(
                    key.as_str(),
                    "`source`, `outliers` and `imputation` only apply to indicators",
                )
                .into());
        }
        let norm = if k == root_k {
            if rn.normalisation.is_some() || rn.direction.is_some() {
                return Err(cx
                    .err("index.normalisation", "the index is not normalised")
                    .suggest("use [rescale] to map the index onto a range")
                    .into());
            }
            None
        } else {
            let fallback = if is_ind {
                default_norm
            } else {
                Normalisation::None
            };
            Some(norm_spec(&cx, &key, rn, fallback)?)
        };
        nodes.push(Node {
            id,
            name: rn.name.clone().unwrap_or_else(|| key.clone()),
            name_zh: rn.name_zh.clone(),
            description: rn.description.clone(),
            kind,
            norm,
            parent: if k == root_k {
                None
            } else {
                parent[k].map(|p| pos[p])
            },
        });
    }
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
        outlier_rule: rule,
        rescale,
        bands,
        uncertainty,
        origin: origin.map(Path::to_path_buf),
        text: text.to_string(),
    };
    check_positive_aggregation(&cx, &fw)?;
    Ok(fw)
}

fn post_order(k: usize, kids: &[Vec<usize>], out: &mut Vec<usize>) {
    for &c in &kids[k] {
        post_order(c, kids, out);
    }
    out.push(k);
}

#[allow(clippy::too_many_arguments)]
fn aggregate_spec(
    cx: &Ctx,
    key: &str,
    rn: &RawNode,
    kids: &[usize],
    decl: &[(String, &RawNode, bool)],
    pos: &[usize],
    default_agg: Aggregation,
    default_cov: f64,
) -> Result<NodeKind> {
    let child_ids: Vec<String> = kids
        .iter()
        .map(|&c| decl[c].1.id.clone().unwrap_or_default())
        .collect();
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
        children: kids.iter().map(|&c| pos[c]).collect(),
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
