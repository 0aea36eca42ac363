//! Paired comparison of strategies in one run: differences to a baseline
//! with t-intervals, the share of replicates where a strategy does better,
//! a paired effect size, and a regret table.
//!
//! Rules: every strategy runs on the same replicate seeds (common random
//! numbers), so replicate r of strategy s is paired with replicate r of the
//! baseline and the statistics are computed on the paired differences —
//! much narrower than comparing two independent means. Only replicates
//! present for both sides are paired. Directions (higher/lower is better)
//! come from the metrics registry as the run recorded it in `metrics.csv`,
//! else from [`crate::metrics::registry`]. Output order follows the
//! manifest's strategy order and the registry's metric order.

pub mod read;
pub mod table;

use std::collections::BTreeMap;
use std::path::Path;

use crate::Result;
use crate::catalog::{Lang, domains};
use crate::metrics::Direction;
use crate::metrics::registry;
use crate::stats;
use crate::sweep::folder::write_atomic;

/// What a comparison needs to know about a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricInfo {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub direction: Direction,
    pub headline: bool,
}

impl MetricInfo {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_en, &self.name_zh)
    }
}

/// One row of `compare.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffRow {
    pub strategy: String,
    pub baseline: String,
    pub metric: String,
    pub year: u32,
    pub n: usize,
    pub mean_diff: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Share of pairs where the strategy is strictly better; `None` for a
    /// metric without a better direction.
    pub p_better: Option<f64>,
    /// Mean difference over the sd of the differences (Cohen's d_z);
    /// `None` when the differences do not vary.
    pub effect_size: Option<f64>,
}

/// One row of `regret.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct RegretRow {
    pub metric: String,
    pub direction: Direction,
    pub strategy: String,
    pub year: u32,
    pub n: usize,
    pub mean_regret: f64,
    pub max_regret: f64,
    pub p90_regret: f64,
    pub share_best: f64,
}

/// The result of comparing one run directory.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub scenario: String,
    pub baseline: String,
    pub strategies: Vec<String>,
    pub horizon: u32,
    pub metrics: Vec<MetricInfo>,
    pub diffs: Vec<DiffRow>,
    pub regret: Vec<RegretRow>,
    /// Mean of the baseline at the horizon, per metric id (for the table).
    pub baseline_means: BTreeMap<String, f64>,
    /// `run.world` of the run, which says what an interval covers.
    pub world_draw: String,
}

/// Options of a comparison.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Baseline strategy; default: the manifest's baseline, else the first.
    pub baseline: Option<String>,
    /// One row per year instead of the horizon only.
    pub by_year: bool,
}

fn metric_infos(dir: &Path, ids: &[String]) -> Vec<MetricInfo> {
    let reg: BTreeMap<String, registry::MetricDef> = registry::metrics(&domains::defaults())
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let recorded = read::run_metrics(dir);
    ids.iter()
        .map(|id| {
            if let Some((en, zh, dir, head)) = recorded.get(id) {
                let direction = match dir.as_str() {
                    "higher" => Direction::Higher,
                    "lower" => Direction::Lower,
                    _ => Direction::Neutral,
                };
                return MetricInfo {
                    id: id.clone(),
                    name_en: en.clone(),
                    name_zh: zh.clone(),
                    direction,
                    headline: *head,
                };
            }
            match reg.get(id) {
                Some(m) => MetricInfo {
                    id: id.clone(),
                    name_en: m.name_en.clone(),
                    name_zh: m.name_zh.clone(),
                    direction: m.direction,
                    headline: m.headline,
                },
                None => MetricInfo {
                    id: id.clone(),
                    name_en: id.clone(),
                    name_zh: id.clone(),
                    direction: Direction::Neutral,
                    headline: false,
                },
            }
        })
        .collect()
}

/// Paired statistics of `x − base` over the replicates both hold.
pub fn paired(
    x: &BTreeMap<u64, f64>,
    base: &BTreeMap<u64, f64>,
    direction: Direction,
) -> Option<(usize, stats::Summary, Option<f64>, Option<f64>)> {
    let d: Vec<f64> = x
        .iter()
        .filter_map(|(r, v)| base.get(r).map(|b| v - b))
        .collect();
    let s = stats::summarize(&d)?;
    let p_better = (direction != Direction::Neutral)
        .then(|| d.iter().filter(|v| direction.sign() * **v > 0.0).count() as f64 / d.len() as f64);
    let effect = (s.sd > 0.0).then(|| s.mean / s.sd);
    Some((d.len(), s, p_better, effect))
}

/// Compare the strategies of the run in `dir`.
pub fn compare_dir(dir: &Path, opts: &Options) -> Result<Comparison> {
    let man = read::manifest(dir)?;
    let baseline = opts
        .baseline
        .clone()
        .or(man.baseline.clone())
        .unwrap_or_else(|| man.strategies[0].clone());
    let Some(b) = man.strategies.iter().position(|s| *s == baseline) else {
        let known = man.strategies.iter().map(String::as_str);
        return Err(crate::error::unknown_strategy(&baseline, known, "--baseline").into());
    };
    let ye = read::year_ends(dir, &man.strategies)?;
    let metrics = metric_infos(dir, &ye.metrics);
    let years: Vec<u32> = if opts.by_year {
        (0..=ye.horizon).collect()
    } else {
        vec![ye.horizon]
    };
    let empty = BTreeMap::new();
    let at = |s: usize, m: usize, y: u32| {
        ye.values
            .get(&(s, m))
            .and_then(|v| v.get(&y))
            .unwrap_or(&empty)
    };

    let mut diffs = Vec::new();
    for (s, strategy) in man.strategies.iter().enumerate() {
        if s == b {
            continue;
        }
        for (m, info) in metrics.iter().enumerate() {
            for &y in &years {
                if let Some((n, sm, p_better, effect_size)) =
                    paired(at(s, m, y), at(b, m, y), info.direction)
                {
                    diffs.push(DiffRow {
                        strategy: strategy.clone(),
                        baseline: baseline.clone(),
                        metric: info.id.clone(),
                        year: y,
                        n,
                        mean_diff: sm.mean,
                        ci95_low: sm.ci95_low,
                        ci95_high: sm.ci95_high,
                        p_better,
                        effect_size,
                    });
                }
            }
        }
    }

    let mut regret = Vec::new();
    for (m, info) in metrics.iter().enumerate() {
        if info.direction != Direction::Neutral {
            regret.extend(regret_rows(
                info,
                &man.strategies,
                |s| at(s, m, ye.horizon),
                ye.horizon,
            ));
        }
    }
    let baseline_means = metrics
        .iter()
        .enumerate()
        .filter_map(|(m, info)| {
            let v: Vec<f64> = at(b, m, ye.horizon).values().copied().collect();
            stats::mean(&v).map(|x| (info.id.clone(), x))
        })
        .collect();
    Ok(Comparison {
        scenario: man.scenario,
        baseline,
        strategies: man.strategies,
        horizon: ye.horizon,
        metrics,
        diffs,
        regret,
        baseline_means,
        world_draw: man.world_draw,
    })
}

/// Regret of each strategy per replicate: how far it falls short of the
/// best strategy of that replicate (0 for the best; ties are all best).
/// Only replicates every strategy holds are used.
fn regret_rows<'a>(
    info: &MetricInfo,
    strategies: &[String],
    values: impl Fn(usize) -> &'a BTreeMap<u64, f64>,
    year: u32,
) -> Vec<RegretRow> {
    let sign = info.direction.sign();
    let cols: Vec<&BTreeMap<u64, f64>> = (0..strategies.len()).map(&values).collect();
    let reps: Vec<u64> = cols[0]
        .keys()
        .filter(|r| cols.iter().all(|c| c.contains_key(r)))
        .copied()
        .collect();
    if reps.is_empty() {
        return Vec::new();
    }
    let best: Vec<f64> = reps
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| sign * c[r])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    strategies
        .iter()
        .zip(&cols)
        .map(|(name, c)| {
            let mut reg: Vec<f64> = reps
                .iter()
                .zip(&best)
                .map(|(r, b)| b - sign * c[r])
                .collect();
            let share_best = reg.iter().filter(|v| **v <= 0.0).count() as f64 / reg.len() as f64;
            reg.sort_by(f64::total_cmp);
            RegretRow {
                metric: info.id.clone(),
                direction: info.direction,
                strategy: name.clone(),
                year,
                n: reg.len(),
                mean_regret: stats::mean(&reg).unwrap_or(0.0),
                max_regret: reg[reg.len() - 1],
                p90_regret: stats::quantile_sorted(&reg, 0.9).unwrap_or(0.0),
                share_best,
            }
        })
        .collect()
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// `compare.csv` as text.
pub fn compare_csv(c: &Comparison) -> String {
    let mut s = String::from(
        "strategy,baseline,metric,year,n,mean_diff,ci95_low,ci95_high,p_better,effect_size\n",
    );
    for r in &c.diffs {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            r.strategy,
            r.baseline,
            r.metric,
            r.year,
            r.n,
            r.mean_diff,
            r.ci95_low,
            r.ci95_high,
            opt(r.p_better),
            opt(r.effect_size)
        ));
    }
    s
}

/// `regret.csv` as text.
pub fn regret_csv(c: &Comparison) -> String {
    let mut s = String::from(
        "metric,direction,strategy,year,n,mean_regret,max_regret,p90_regret,share_best\n",
    );
    for r in &c.regret {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            r.metric,
            r.direction.id(),
            r.strategy,
            r.year,
            r.n,
            r.mean_regret,
            r.max_regret,
            r.p90_regret,
            r.share_best
        ));
    }
    s
}

/// Write `compare.csv` and `regret.csv` into `dir` (each atomically).
pub fn write(c: &Comparison, dir: &Path) -> Result<()> {
    write_atomic(&dir.join("compare.csv"), compare_csv(c).as_bytes())?;
    write_atomic(&dir.join("regret.csv"), regret_csv(c).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(direction: Direction) -> MetricInfo {
        MetricInfo {
            id: "m".into(),
            name_en: "m".into(),
            name_zh: "m".into(),
            direction,
            headline: false,
        }
    }

    fn series(v: &[f64]) -> BTreeMap<u64, f64> {
        v.iter().enumerate().map(|(r, x)| (r as u64, *x)).collect()
    }

    #[test]
    fn paired_uses_common_replicates_only() {
        let a = series(&[1.0, 2.0, 4.0]);
        let mut b = series(&[0.0, 0.0]);
        b.insert(7, 100.0);
        let (n, s, p, e) = paired(&a, &b, Direction::Lower).unwrap();
        assert_eq!(n, 2);
        assert_eq!(s.mean, 1.5);
        assert_eq!(p, Some(0.0));
        assert!((e.unwrap() - 1.5 / 0.5f64.sqrt()).abs() < 1e-12);
        assert!(paired(&a, &BTreeMap::new(), Direction::Higher).is_none());
    }

    #[test]
    fn regret_counts_ties_as_best_and_respects_direction() {
        let names = vec!["a".to_string(), "b".to_string()];
        let cols = [series(&[1.0, 5.0, 2.0]), series(&[1.0, 3.0, 4.0])];
        let rows = regret_rows(&info(Direction::Lower), &names, |s| &cols[s], 5);
        // Lower is better: a regrets 2 in replicate 1; b regrets 2 in replicate 2.
        assert_eq!(rows[0].max_regret, 2.0);
        assert!((rows[0].share_best - 2.0 / 3.0).abs() < 1e-12);
        assert!((rows[1].mean_regret - 2.0 / 3.0).abs() < 1e-12);
        let rows = regret_rows(&info(Direction::Higher), &names, |s| &cols[s], 5);
        assert_eq!(rows[1].max_regret, 2.0);
        assert!((rows[0].p90_regret - 1.6).abs() < 1e-12);
    }
}
