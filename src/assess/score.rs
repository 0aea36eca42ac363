//! Scoring: one evaluation of a framework over n units — pre-treatment,
//! normalisation, aggregation up the tree, rescaling, bands — shared by the
//! `assess` command, the Monte Carlo and the simulator's [`Scorer`].
//!
//! Rules: this is the only place a score is computed, so real and simulated
//! units are scored by one definition. Values live column-major in a
//! [`Workspace`] (node k's values for units 0..n at `k*n..(k+1)*n`); once the
//! workspace has grown to n units, an evaluation allocates nothing (unless a
//! change log is requested). NaN marks a missing value throughout.

use super::aggregate::{Aggregation, ColumnSums, accumulate_column, aggregate, finish_columns};
use super::framework::{Framework, NodeKind, Rescale};
use super::normalise::{Params, normalise_into};
use super::pretreat::{self, Change};
use crate::error::did_you_mean;
use crate::{InputError, Result};

/// Buffers for one evaluation.
#[derive(Debug, Default, Clone)]
pub struct Workspace {
    n: usize,
    /// Raw values (indicator nodes only).
    pub raw: Vec<f64>,
    /// After imputation and outlier treatment (indicator nodes only).
    pub treated: Vec<f64>,
    /// Aggregated values (inner nodes only; the index before rescaling).
    pub agg: Vec<f64>,
    /// Normalised values as the parent sees them (all but the index).
    pub norm: Vec<f64>,
    /// The index after rescaling, per unit.
    pub index: Vec<f64>,
    idx: Vec<usize>,
    sorted: Vec<f64>,
    group_sum: Vec<f64>,
    group_cnt: Vec<usize>,
    sums: ColumnSums,
}

impl Workspace {
    /// Size the buffers for `nodes` × `n`; allocates only when growing.
    pub fn resize(&mut self, nodes: usize, n: usize) {
        self.n = n;
        for v in [
            &mut self.raw,
            &mut self.treated,
            &mut self.agg,
            &mut self.norm,
        ] {
            v.clear();
            v.resize(nodes * n, f64::NAN);
        }
        self.index.clear();
        self.index.resize(n, f64::NAN);
        self.idx.reserve(n);
        self.sorted.reserve(n);
    }
    pub fn n(&self) -> usize {
        self.n
    }
    /// Node `k`'s row of `buf`.
    pub fn row<'a>(&self, buf: &'a [f64], k: usize) -> &'a [f64] {
        &buf[k * self.n..(k + 1) * self.n]
    }
}

/// Evaluate `fw` over the raw values already in `ws.raw`.
pub fn evaluate(
    fw: &Framework,
    ws: &mut Workspace,
    groups: Option<&[u32]>,
    mut log: Option<&mut Vec<Change>>,
) {
    let n = ws.n;
    let Workspace {
        raw,
        treated,
        agg,
        norm,
        index,
        idx,
        sorted,
        group_sum,
        group_cnt,
        sums,
        ..
    } = ws;
    let root = fw.root();
    for (k, node) in fw.nodes.iter().enumerate() {
        let r = k * n..(k + 1) * n;
        // The node's value before normalisation: its treated data or its aggregate.
        let value: &[f64] = match &node.kind {
            NodeKind::Indicator(spec) => {
                treated[r.clone()].copy_from_slice(&raw[r.clone()]);
                let mut cx = pretreat::Ctx {
                    node: k,
                    sorted,
                    group_sum,
                    group_cnt,
                    log: log.as_deref_mut(),
                };
                pretreat::impute(spec.imputation, &mut treated[r.clone()], groups, &mut cx);
                pretreat::treat(
                    spec.outliers,
                    &fw.outlier_rule,
                    &mut treated[r.clone()],
                    &mut cx,
                );
                &treated[r.clone()]
            }
            NodeKind::Aggregate(a) if a.aggregation == Aggregation::Arithmetic => {
                // Column by column (vectorised); equal to `aggregate` bit for bit.
                sums.resize(n);
                for (j, (&c, &w)) in a.children.iter().zip(&a.weights).enumerate() {
                    accumulate_column(sums, &norm[c * n..(c + 1) * n], w, j == 0);
                }
                finish_columns(sums, a.children.len(), a.min_coverage, &mut agg[r.clone()]);
                &agg[r.clone()]
            }
            NodeKind::Aggregate(a) => {
                for i in 0..n {
                    let pairs = a
                        .children
                        .iter()
                        .zip(&a.weights)
                        .map(|(&c, &w)| (norm[c * n + i], w));
                    agg[k * n + i] =
                        aggregate(a.aggregation, pairs, a.children.len(), a.min_coverage);
                }
                &agg[r.clone()]
            }
        };
        // As the parent sees it (the index has no normalisation and no parent).
        match &node.norm {
            Some(spec) => {
                let p = Params {
                    direction: spec.direction,
                    goalposts: spec.goalposts,
                    target: spec.target,
                };
                normalise_into(spec.method, &p, value, &mut norm[r], idx);
            }
            None if k != root => norm[r].copy_from_slice(value),
            None => {}
        }
    }
    index.copy_from_slice(&agg[root * n..(root + 1) * n]);
    rescale(fw.rescale, index);
}

fn rescale(r: Rescale, xs: &mut [f64]) {
    match r {
        Rescale::None => {}
        Rescale::Linear { from, to } => {
            for x in xs.iter_mut() {
                *x = to.0 + (*x - from.0) / (from.1 - from.0) * (to.1 - to.0);
            }
        }
        Rescale::MinMax { to } => {
            let (lo, hi) = xs
                .iter()
                .filter(|x| !x.is_nan())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                });
            for x in xs.iter_mut().filter(|x| !x.is_nan()) {
                let u = if hi > lo { (*x - lo) / (hi - lo) } else { 0.5 };
                *x = to.0 + u * (to.1 - to.0);
            }
        }
    }
}

/// Competition ranks, 1 = highest value ("1224"); 0 for a missing value.
/// Values within 1e-12 (relative) of each other tie, so that arithmetic noise
/// does not split units whose scores are equal.
pub fn rank_desc(values: &[f64], out: &mut [u32], idx: &mut Vec<usize>) {
    idx.clear();
    idx.extend((0..values.len()).filter(|&i| !values[i].is_nan()));
    idx.sort_unstable_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    out.iter_mut().for_each(|r| *r = 0);
    let mut rank = 0u32;
    for (pos, &i) in idx.iter().enumerate() {
        let tie = pos > 0 && {
            let prev = values[idx[pos - 1]];
            (prev - values[i]).abs() <= 1e-12 * prev.abs().max(1.0)
        };
        if !tie {
            rank = pos as u32 + 1;
        }
        out[i] = rank;
    }
}

/// Every intermediate of one evaluation, for reports.
#[derive(Debug, Clone)]
pub struct Scores {
    pub ws: Workspace,
    pub rank: Vec<u32>,
    pub stage: Vec<u8>,
    pub changes: Vec<Change>,
}

/// Score n units whose indicator columns are given in `fw.columns()` order.
pub fn score_columns(
    fw: &Framework,
    columns: &[Vec<f64>],
    n: usize,
    groups: Option<&[u32]>,
) -> Scores {
    let mut ws = Workspace::default();
    ws.resize(fw.nodes.len(), n);
    fill_raw(fw, &mut ws, |c, i| columns[c][i]);
    let mut changes = Vec::new();
    evaluate(fw, &mut ws, groups, Some(&mut changes));
    let mut rank = vec![0; n];
    rank_desc(&ws.index, &mut rank, &mut Vec::new());
    let stage = ws.index.iter().map(|&x| fw.band_number(x)).collect();
    Scores {
        ws,
        rank,
        stage,
        changes,
    }
}

/// Copy raw values into the workspace: `get(column, unit)` with columns in
/// `fw.columns()` order.
pub fn fill_raw(fw: &Framework, ws: &mut Workspace, get: impl Fn(usize, usize) -> f64) {
    let cols = fw.columns();
    let n = ws.n;
    for (k, node) in fw.nodes.iter().enumerate() {
        if let NodeKind::Indicator(spec) = &node.kind {
            let c = cols.iter().position(|s| *s == spec.source).unwrap_or(0);
            for i in 0..n {
                ws.raw[k * n + i] = get(c, i);
            }
        }
    }
}

/// A prepared scorer for the simulator: rows of `columns.len()` values per
/// unit, scored without allocating once warmed up.
#[derive(Debug, Clone)]
pub struct Scorer {
    fw: Framework,
    /// Per node: the column of `rows` an indicator reads (unused for others).
    col_of: Vec<usize>,
    ncols: usize,
    ws: Workspace,
}

impl Framework {
    /// Prepare a scorer for rows whose columns come in `columns` order.
    pub fn scorer(&self, columns: &[&str]) -> Result<Scorer> {
        let mut col_of = vec![usize::MAX; self.nodes.len()];
        for (k, node) in self.nodes.iter().enumerate() {
            if let NodeKind::Indicator(spec) = &node.kind {
                let Some(c) = columns.iter().position(|&c| c == spec.source) else {
                    let mut e = InputError::new(format!(
                        "framework `{}` needs column `{}` (indicator `{}`), which the simulator does not provide",
                        self.id, spec.source, node.id
                    ))
                    .expected(format!("one of {}", columns.join(", ")));
                    if let Some(p) = &self.origin {
                        e = e.file(p);
                    }
                    if let Some(m) = did_you_mean(&spec.source, columns.iter().copied()) {
                        e = e.suggest(format!("did you mean `{m}`?"));
                    }
                    return Err(e.into());
                };
                col_of[k] = c;
            }
        }
        Ok(Scorer {
            fw: self.clone(),
            col_of,
            ncols: columns.len(),
            ws: Workspace::default(),
        })
    }
}

impl Scorer {
    /// Score n units at once (`rows` is row-major n × columns; NaN = missing).
    ///
    /// # Panics
    /// When the slice lengths disagree (a programming error, not user input).
    pub fn score(&mut self, rows: &[f64], out_index: &mut [f64], out_stage: &mut [u8]) {
        let n = out_index.len();
        assert_eq!(out_stage.len(), n, "out_stage length");
        assert_eq!(rows.len(), n * self.ncols, "rows must be n × columns");
        if self.ws.n != n || self.ws.raw.len() != n * self.fw.nodes.len() {
            self.ws.resize(self.fw.nodes.len(), n);
        }
        for (k, &c) in self.col_of.iter().enumerate() {
            if c == usize::MAX {
                continue;
            }
            for i in 0..n {
                self.ws.raw[k * n + i] = rows[i * self.ncols + c];
            }
        }
        evaluate(&self.fw, &mut self.ws, None, None);
        for i in 0..n {
            let x = self.ws.index[i];
            out_index[i] = x;
            out_stage[i] = self.fw.band_number(x);
        }
    }

    pub fn framework(&self) -> &Framework {
        &self.fw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FW: &str = r#"
[framework]
id = "t"
name = "t"
[defaults]
normalisation = "goalposts"
min_coverage = 0.5
[index]
children = ["p", "c"]
weights = { p = 3, c = 1 }
[[pillar]]
id = "p"
children = ["a", "b"]
aggregation = "geometric"
[[indicator]]
id = "a"
goalposts = [0, 10]
[[indicator]]
id = "b"
goalposts = [0, 1]
direction = "lower"
[[indicator]]
id = "c"
goalposts = [0, 100]
[rescale]
method = "linear"
to = [0, 100]
[[band]]
name = "one"
min = 0
[[band]]
name = "two"
min = 50
"#;

    #[test]
    fn hand_computed_index() {
        let fw = Framework::from_str(FW, None).unwrap();
        let mut s = fw.scorer(&["c", "b", "a"]).unwrap();
        // unit 0: a=4 → .4, b=.1 → .9, p = sqrt(.36) = .6; c=20 → .2
        // index = (3*.6 + .2)/4 = .5 → 50 → band two
        // unit 1: c missing → index = p = geometric(1.0, 0.0) = 0
        // unit 2: a, b missing → p missing; c alone covers 1/2 → 0.7
        let rows = [
            20.0,
            0.1,
            4.0, //
            f64::NAN,
            1.0,
            10.0, //
            70.0,
            f64::NAN,
            f64::NAN,
        ];
        let (mut idx, mut st) = ([0.0; 3], [9u8; 3]);
        s.score(&rows, &mut idx, &mut st);
        assert!((idx[0] - 50.0).abs() < 1e-9, "{idx:?}");
        assert_eq!(idx[1], 0.0);
        assert!((idx[2] - 70.0).abs() < 1e-9);
        assert_eq!(st, [2, 1, 2]);
        // a second call reuses buffers and gives the same answer
        let again = idx;
        s.score(&rows, &mut idx, &mut st);
        assert_eq!(again, idx);
    }

    #[test]
    fn scorer_agrees_with_score_columns() {
        let absolute = Framework::from_str(FW, None).unwrap();
        let relative = Framework::from_str(
            &FW.replace(
                "normalisation = \"goalposts\"",
                "normalisation = \"minmax\"",
            ),
            None,
        )
        .unwrap();
        let cols = ["a", "b", "c"];
        let n = 7;
        let rows: Vec<f64> = (0..n * 3)
            .map(|i| match i % 11 {
                5 => f64::NAN,
                r => r as f64 * [1.0, 0.1, 10.0][i % 3] / 2.0,
            })
            .collect();
        for fw in [&absolute, &relative] {
            let mut s = fw.scorer(&cols).unwrap();
            let (mut idx, mut st) = (vec![0.0; n], vec![0u8; n]);
            s.score(&rows, &mut idx, &mut st);
            let columns: Vec<Vec<f64>> = (0..3)
                .map(|c| (0..n).map(|i| rows[i * 3 + c]).collect())
                .collect();
            let want = score_columns(fw, &columns, n, None);
            for i in 0..n {
                assert_eq!(idx[i].to_bits(), want.ws.index[i].to_bits(), "unit {i}");
                assert_eq!(st[i], want.stage[i]);
            }
        }
    }

    #[test]
    fn missing_column_suggests() {
        let fw = Framework::from_str(FW, None).unwrap();
        let e = fw.scorer(&["a", "bb", "c"]).unwrap_err().to_string();
        assert!(e.contains("needs column `b`"), "{e}");
    }

    #[test]
    fn ranks_compete_and_skip_missing() {
        let mut r = [0; 5];
        rank_desc(&[0.5, 0.9, f64::NAN, 0.5, 0.1], &mut r, &mut Vec::new());
        assert_eq!(r, [2, 1, 0, 2, 4]);
    }

    #[test]
    fn minmax_rescale_of_constant_index_is_midpoint() {
        let mut xs = [3.0, 3.0, f64::NAN];
        rescale(Rescale::MinMax { to: (0.0, 100.0) }, &mut xs);
        assert_eq!(&xs[..2], &[50.0, 50.0]);
        assert!(xs[2].is_nan());
    }
}
