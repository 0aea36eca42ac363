//! Executing a prepared run: replicates × strategies in parallel with the
//! engine the CLI uses, then world-scope series with their replicate band,
//! the paired A-vs-B difference with its 95% interval, and the network view.
//!
//! Rules: results are ordered by run identity (strategy, replicate), never
//! by completion order — jobs run in chunks and are folded in order, so a
//! response is the same for any thread count; the run checks its
//! [`RunHandle`] between replicates and stops early when a newer run
//! superseded it.

use rayon::prelude::*;
use serde::Serialize;

use super::api::Prepared;
use super::network::{self, Layout, Node};
use super::session::RunHandle;
use crate::sim::{Context, Runner};
use crate::stats;

/// The run was cancelled (superseded or its page went away).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

/// Mean and 5–95% band of a metric over replicates, per time point (null = not applicable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    pub mean: Vec<Option<f64>>,
    pub p05: Vec<Option<f64>>,
    pub p95: Vec<Option<f64>>,
}

/// Mean paired difference (B − A) with its 95% t-interval, per time point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub mean: Vec<Option<f64>>,
    pub ci95_low: Vec<Option<f64>>,
    pub ci95_high: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyInfo {
    pub name: String,
    pub name_zh: String,
    pub description: String,
    pub description_zh: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricInfo {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: &'static str,
    pub direction: &'static str,
    pub headline: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compare {
    pub a: String,
    pub b: String,
    /// metric id → B − A.
    pub metrics: std::collections::BTreeMap<String, Diff>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub fields: [&'static str; 6],
    pub nodes: Vec<Node>,
    /// `values[strategy][t][node]` = [`network::FIELDS`] (replicate means, rounded to 4 decimals).
    pub values: Vec<Vec<Vec<[f64; 6]>>>,
}

/// The answer of `POST /api/run`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunResponse {
    pub scenario: String,
    pub scenario_zh: String,
    pub preset: Option<String>,
    pub years: u32,
    pub replicates: u32,
    pub seed: u64,
    /// `[year, quarter]` of every time point (`[0, 0]` is the initial state).
    pub time: Vec<[u32; 2]>,
    pub strategies: Vec<StrategyInfo>,
    pub metrics: Vec<MetricInfo>,
    /// Per strategy (request order): metric id → band.
    pub series: Vec<std::collections::BTreeMap<String, Band>>,
    pub compare: Option<Compare>,
    pub network: Option<Network>,
    pub world: serde_json::Value,
}

/// What one (strategy, replicate) job keeps.
struct JobOut {
    /// World-scope metric values, time × metrics.
    series: Vec<f64>,
    /// Node values, time × nodes × fields (empty without the network view).
    nodes: Vec<f64>,
}

/// Run a prepared request.
pub fn execute(
    p: &Prepared,
    handle: &RunHandle,
    with_network: bool,
) -> Result<RunResponse, Cancelled> {
    let ctx = &p.ctx;
    let reps = ctx.scenario.run.replicates;
    let layout = with_network.then(|| Layout::new(&ctx.world));
    let jobs: Vec<(usize, u32)> = (0..p.strategies.len())
        .flat_map(|k| (0..reps).map(move |r| (k, r)))
        .collect();
    handle.set_total(jobs.len());
    let nt = ctx.quarters() as usize + 1;
    let nm = ctx.metrics.defs.len();
    // series[k][r] = time × metrics; node sums[k] = time × nodes × fields.
    let mut series: Vec<Vec<Vec<f64>>> =
        vec![Vec::with_capacity(reps as usize); p.strategies.len()];
    let node_len = layout
        .as_ref()
        .map_or(0, |l| nt * l.nodes.len() * network::FIELDS.len());
    let mut node_sums = vec![vec![0.0; node_len]; p.strategies.len()];
    let chunk = (rayon::current_num_threads() * 2).max(2);
    for part in jobs.chunks(chunk) {
        let results: Vec<Option<JobOut>> = part
            .par_iter()
            .map_init(
                || Runner::new(ctx),
                |runner, &(k, r)| {
                    if handle.cancelled() {
                        return None;
                    }
                    let out = job(ctx, runner, p.strategies[k], r, layout.as_ref(), nm, nt);
                    handle.advance();
                    Some(out)
                },
            )
            .collect();
        for (&(k, _), out) in part.iter().zip(results) {
            let out = out.ok_or(Cancelled)?;
            for (s, x) in node_sums[k].iter_mut().zip(&out.nodes) {
                *s += x;
            }
            series[k].push(out.series);
        }
    }
    Ok(respond(p, &series, &node_sums, layout, nm, nt))
}

fn job(
    ctx: &Context,
    runner: &mut Runner,
    s: usize,
    r: u32,
    layout: Option<&Layout>,
    nm: usize,
    nt: usize,
) -> JobOut {
    let mut series = Vec::with_capacity(nt * nm);
    let mut nodes = Vec::new();
    runner.run_observed(&ctx.replicate(r), s, r, |_, frame, view| {
        series.extend_from_slice(&frame[..nm]);
        if let Some(l) = layout {
            l.observe(view, &mut nodes);
        }
    });
    JobOut { series, nodes }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Values of metric `m` at time `t` over replicates, NaN skipped.
fn sample(reps: &[Vec<f64>], t: usize, m: usize, nm: usize) -> Vec<f64> {
    reps.iter()
        .map(|v| v[t * nm + m])
        .filter(|x| !x.is_nan())
        .collect()
}

fn band(reps: &[Vec<f64>], m: usize, nm: usize, nt: usize) -> Band {
    let mut b = Band {
        mean: Vec::with_capacity(nt),
        p05: Vec::with_capacity(nt),
        p95: Vec::with_capacity(nt),
    };
    for t in 0..nt {
        let s = stats::summarize(&sample(reps, t, m, nm));
        b.mean.push(s.and_then(|s| finite(s.mean)));
        b.p05.push(s.and_then(|s| finite(s.p05)));
        b.p95.push(s.and_then(|s| finite(s.p95)));
    }
    b
}

fn diff(a: &[Vec<f64>], b: &[Vec<f64>], m: usize, nm: usize, nt: usize) -> Diff {
    let mut d = Diff {
        mean: Vec::with_capacity(nt),
        ci95_low: Vec::with_capacity(nt),
        ci95_high: Vec::with_capacity(nt),
    };
    for t in 0..nt {
        let xs: Vec<f64> = a
            .iter()
            .zip(b)
            .map(|(ra, rb)| rb[t * nm + m] - ra[t * nm + m])
            .filter(|x| !x.is_nan())
            .collect();
        let s = stats::summarize(&xs);
        d.mean.push(s.and_then(|s| finite(s.mean)));
        d.ci95_low.push(s.and_then(|s| finite(s.ci95_low)));
        d.ci95_high.push(s.and_then(|s| finite(s.ci95_high)));
    }
    d
}

fn round4(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1e4).round() / 1e4
    } else {
        0.0
    }
}

fn respond(
    p: &Prepared,
    series: &[Vec<Vec<f64>>],
    node_sums: &[Vec<f64>],
    layout: Option<Layout>,
    nm: usize,
    nt: usize,
) -> RunResponse {
    let ctx = &p.ctx;
    let sc = &ctx.scenario;
    let defs = &ctx.metrics.defs;
    // Metrics that apply to this world (some value somewhere).
    let used: Vec<usize> = (0..nm)
        .filter(|&m| {
            series
                .iter()
                .flatten()
                .any(|v| (0..nt).any(|t| !v[t * nm + m].is_nan()))
        })
        .collect();
    let bands = series
        .iter()
        .map(|reps| {
            used.iter()
                .map(|&m| (defs[m].id.clone(), band(reps, m, nm, nt)))
                .collect()
        })
        .collect();
    let compare = (series.len() >= 2).then(|| Compare {
        a: sc.strategies[p.strategies[0]].name.clone(),
        b: sc.strategies[p.strategies[1]].name.clone(),
        metrics: used
            .iter()
            .map(|&m| (defs[m].id.clone(), diff(&series[0], &series[1], m, nm, nt)))
            .collect(),
    });
    let reps = sc.run.replicates as f64;
    let network = layout.map(|l| {
        let nf = network::FIELDS.len();
        let nn = l.nodes.len();
        let values = node_sums
            .iter()
            .map(|sums| {
                (0..nt)
                    .map(|t| {
                        (0..nn)
                            .map(|n| {
                                let o = (t * nn + n) * nf;
                                std::array::from_fn(|f| round4(sums[o + f] / reps))
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect();
        Network {
            fields: network::FIELDS,
            nodes: l.nodes,
            values,
        }
    });
    let by_level = ctx.world.units_by_level();
    let units: serde_json::Map<String, serde_json::Value> = crate::catalog::Level::ALL
        .iter()
        .map(|l| (l.id().to_string(), serde_json::json!(by_level[*l as usize])))
        .collect();
    RunResponse {
        scenario: sc.name.clone(),
        scenario_zh: sc.name_zh.clone(),
        preset: p.preset.clone(),
        years: sc.run.years,
        replicates: sc.run.replicates,
        seed: sc.run.seed,
        time: (0..nt as u32)
            .map(|t| {
                if t == 0 {
                    [0, 0]
                } else {
                    [(t - 1) / 4 + 1, (t - 1) % 4 + 1]
                }
            })
            .collect(),
        strategies: p
            .strategies
            .iter()
            .map(|&s| {
                let s = &sc.strategies[s];
                StrategyInfo {
                    name: s.name.clone(),
                    name_zh: s.name_zh.clone(),
                    description: s.description.clone(),
                    description_zh: s.description_zh.clone(),
                }
            })
            .collect(),
        metrics: used
            .iter()
            .map(|&m| {
                let d = &defs[m];
                MetricInfo {
                    id: d.id.clone(),
                    name_en: d.name_en.clone(),
                    name_zh: d.name_zh.clone(),
                    unit: d.unit,
                    direction: d.direction.id(),
                    headline: d.headline,
                }
            })
            .collect(),
        series: bands,
        compare,
        network,
        world: serde_json::json!({
            "units_by_level": units,
            "departments": ctx.compiled.n_depts,
        }),
    }
}

/// The run's world-scope bands as tidy CSV:
/// `strategy,year,quarter,metric,mean,p05,p95` (empty cell = not applicable).
pub fn to_csv(r: &RunResponse) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let cell = |x: Option<f64>| x.map(crate::output::num).unwrap_or_default();
    let _ = w.write_record([
        "strategy", "year", "quarter", "metric", "mean", "p05", "p95",
    ]);
    for (s, bands) in r.strategies.iter().zip(&r.series) {
        for (t, [y, q]) in r.time.iter().enumerate() {
            for m in &r.metrics {
                let Some(b) = bands.get(&m.id) else { continue };
                let rec = [
                    s.name.clone(),
                    y.to_string(),
                    q.to_string(),
                    m.id.clone(),
                    cell(b.mean[t]),
                    cell(b.p05[t]),
                    cell(b.p95[t]),
                ];
                // Writing into memory cannot fail.
                let _ = w.write_record(&rec);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two metrics, two time points, three replicates: values[t * 2 + m].
    fn reps() -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let a = vec![
            vec![1.0, f64::NAN, 10.0, 5.0],
            vec![2.0, f64::NAN, 12.0, 6.0],
            vec![3.0, f64::NAN, 14.0, f64::NAN],
        ];
        let b = vec![
            vec![1.0, 0.0, 11.0, 5.0],
            vec![2.0, 0.0, 14.0, 7.0],
            vec![3.0, 0.0, 17.0, 9.0],
        ];
        (a, b)
    }

    #[test]
    fn bands_skip_missing_values() {
        let (a, _) = reps();
        let m0 = band(&a, 0, 2, 2);
        assert_eq!(m0.mean, [Some(2.0), Some(12.0)]);
        // Type-7 quantiles of 10, 12, 14: 10 + 0.1 × 4 and 14 − 0.1 × 4.
        assert!((m0.p05[1].unwrap() - 10.2).abs() < 1e-12);
        assert!((m0.p95[1].unwrap() - 13.8).abs() < 1e-12);
        let m1 = band(&a, 1, 2, 2);
        assert_eq!(m1.mean, [None, Some(5.5)]);
    }

    #[test]
    fn paired_difference_is_b_minus_a_per_replicate() {
        let (a, b) = reps();
        let d = diff(&a, &b, 0, 2, 2);
        // t = 0: differences 0, 0, 0; t = 1: 1, 2, 3.
        assert_eq!(d.mean, [Some(0.0), Some(2.0)]);
        assert_eq!(d.ci95_low[0], Some(0.0));
        // sd 1, n 3: half-width t(0.975, 2) / sqrt(3) = 4.302653 / 1.732051.
        let half = 4.302652729911275 / 3f64.sqrt();
        assert!((d.ci95_low[1].unwrap() - (2.0 - half)).abs() < 1e-6);
        assert!((d.ci95_high[1].unwrap() - (2.0 + half)).abs() < 1e-6);
        // A missing value in one replicate drops that pair only.
        let d1 = diff(&a, &b, 1, 2, 2);
        assert_eq!(d1.mean, [None, Some(0.5)]);
    }
}
