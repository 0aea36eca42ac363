//! Reading a run directory written by `tiaokuai run`: the manifest (whose
//! format and version are checked first), the dimension tables, the summary
//! and the long time series.
//!
//! Rules: everything read here is user input, so every problem is an
//! [`InputError`] naming the file and, for CSV files, the line. The time
//! series can hold millions of rows, so it is streamed once and only what
//! the report needs is kept: every world-scope value (for fan charts and
//! paired differences) and every other scope's values at the horizon (for
//! the regional picture).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::metrics::Direction;
use crate::{InputError, Result};

/// The run-directory format this reader understands.
pub const FORMAT: &str = crate::output::RUN_FORMAT;
/// The newest run-directory format version this reader understands.
pub const FORMAT_VERSION: u32 = crate::output::FORMAT_VERSION;

/// Header of `timeseries.csv`, exactly.
pub const TIMESERIES_HEADER: [&str; 10] = crate::experiment::TIMESERIES_HEADER;
/// Header of `summary.csv`, exactly.
pub const SUMMARY_HEADER: [&str; 11] = crate::experiment::summary::HEADER;

/// The parts of `manifest.json` the report shows.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub tool_version: String,
    pub scenario_name: String,
    /// Chinese scenario name, when the scenario gives one.
    pub scenario_name_zh: Option<String>,
    pub scenario_description: String,
    /// Chinese description, when the scenario gives one.
    pub scenario_description_zh: Option<String>,
    pub scenario_file: String,
    pub scenario_sha256: String,
    /// Master seed as written (a number, shown as text).
    pub seed: String,
    pub replicates: usize,
    pub years: usize,
    pub strategies: Vec<String>,
    /// Chinese strategy names from the resolved scenario (`name_zh`), by
    /// strategy, when given.
    pub strategies_zh: Vec<Option<String>>,
    pub baseline: Option<String>,
    pub preset: String,
    /// `world` as written (`units_by_level`, `departments`, `links`).
    pub world: Value,
    /// The fully resolved parameters as written.
    pub resolved: Value,
    /// `run.start_year` of the resolved scenario, when set.
    pub start_year: Option<i32>,
}

impl Manifest {
    /// Calendar year of simulated year `year` (year 0 = the year before the start).
    pub fn calendar_year(&self, year: usize) -> Option<i32> {
        self.start_year.map(|s| s - 1 + year as i32)
    }
}

impl Manifest {
    /// The scenario's description in `lang` (the English one when there is no Chinese).
    pub fn description(&self, lang: crate::catalog::Lang) -> &str {
        match (lang, &self.scenario_description_zh) {
            (crate::catalog::Lang::Zh, Some(zh)) => zh,
            _ => &self.scenario_description,
        }
    }
}

/// One row of `metrics.csv`.
#[derive(Debug, Clone)]
pub struct MetricInfo {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: String,
    pub direction: Direction,
    pub headline: bool,
    pub description: String,
}

/// One row of `scopes.csv`.
#[derive(Debug, Clone)]
pub struct ScopeInfo {
    pub level: String,
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub units: u64,
    pub population: f64,
}

/// One row of `summary.csv`, as a run writes it.
pub use crate::experiment::summary::SummaryRow;

/// Everything the report reads from one run directory.
#[derive(Debug, Clone)]
pub struct RunDir {
    pub dir: PathBuf,
    pub manifest: Manifest,
    pub metrics: Vec<MetricInfo>,
    pub scopes: Vec<ScopeInfo>,
    pub summary: Vec<SummaryRow>,
    /// The scenario file as copied into the run (`scenario.toml`), if
    /// present and readable as UTF-8.
    pub scenario_toml: Option<String>,
    /// Number of time points: 1 + 4 × years.
    pub times: usize,
    /// World values, flat `[strategy][metric][time][replicate]`; NaN where
    /// the file holds no value.
    world: Vec<f64>,
    /// Horizon values of non-world scopes: (strategy, scope, metric) →
    /// values by replicate.
    scope_horizon: BTreeMap<(usize, usize, usize), Vec<f64>>,
}

impl RunDir {
    /// Read and check a run directory.
    pub fn load(dir: &Path) -> Result<RunDir> {
        if !dir.is_dir() {
            return Err(InputError::new("run directory not found")
                .file(dir)
                .expected("a directory written by `tiaokuai run`")
                .into());
        }
        let manifest = read_manifest(dir)?;
        let metrics = read_metrics(&dir.join("metrics.csv"))?;
        let scopes = read_scopes(&dir.join("scopes.csv"))?;
        let summary = read_summary(&dir.join("summary.csv"), &manifest)?;
        let times = 1 + 4 * manifest.years;
        let mut run = RunDir {
            dir: dir.to_path_buf(),
            world: vec![
                f64::NAN;
                manifest.strategies.len() * metrics.len() * times * manifest.replicates
            ],
            manifest,
            metrics,
            scopes,
            summary,
            scenario_toml: std::fs::read_to_string(dir.join("scenario.toml")).ok(),
            times,
            scope_horizon: BTreeMap::new(),
        };
        run.read_timeseries(&dir.join("timeseries.csv"))?;
        Ok(run)
    }

    /// Index of a metric id.
    pub fn metric_index(&self, id: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m.id == id)
    }

    /// The metric with this id.
    pub fn metric(&self, id: &str) -> Option<&MetricInfo> {
        self.metrics.iter().find(|m| m.id == id)
    }

    /// Indices of the headline metrics: the registry's headline list in its
    /// display order, then any other metric the run's table flags.
    pub fn headline(&self) -> Vec<usize> {
        let mut v: Vec<usize> = crate::metrics::registry::headline_ids()
            .iter()
            .filter_map(|id| self.metric_index(id))
            .collect();
        for (i, m) in self.metrics.iter().enumerate() {
            if m.headline && !v.contains(&i) {
                v.push(i);
            }
        }
        v
    }

    /// A strategy's display name: its Chinese name in Chinese when the
    /// scenario gives one, else its name.
    pub fn strategy_label(&self, strategy: usize, lang: crate::catalog::Lang) -> String {
        let name = &self.manifest.strategies[strategy];
        match (lang, self.manifest.strategies_zh.get(strategy)) {
            (crate::catalog::Lang::Zh, Some(Some(zh))) => zh.clone(),
            _ => name.clone(),
        }
    }

    /// The scenario's display name in `lang`.
    pub fn scenario_label(&self, lang: crate::catalog::Lang) -> String {
        match (lang, &self.manifest.scenario_name_zh) {
            (crate::catalog::Lang::Zh, Some(zh)) => zh.clone(),
            _ => self.manifest.scenario_name.clone(),
        }
    }

    /// Index of the baseline strategy, if the scenario names one.
    pub fn baseline_index(&self) -> Option<usize> {
        let b = self.manifest.baseline.as_deref()?;
        self.manifest.strategies.iter().position(|s| s == b)
    }

    /// World values of one metric at one time point, by replicate
    /// (replicates without a value are left out).
    pub fn world_values(&self, strategy: usize, metric: usize, time: usize) -> Vec<f64> {
        let r = self.manifest.replicates;
        let at = ((strategy * self.metrics.len() + metric) * self.times + time) * r;
        self.world[at..at + r]
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect()
    }

    /// World values at the horizon paired by replicate: strategy minus
    /// baseline, for replicates where both exist.
    pub fn paired_differences(&self, strategy: usize, baseline: usize, metric: usize) -> Vec<f64> {
        let r = self.manifest.replicates;
        let t = self.times - 1;
        let at = |s: usize| ((s * self.metrics.len() + metric) * self.times + t) * r;
        let (a, b) = (at(strategy), at(baseline));
        (0..r)
            .map(|i| self.world[a + i] - self.world[b + i])
            .filter(|d| d.is_finite())
            .collect()
    }

    /// Mean over replicates of a non-world scope's value at the horizon.
    pub fn scope_horizon_mean(&self, strategy: usize, scope: usize, metric: usize) -> Option<f64> {
        let vals = self.scope_horizon.get(&(strategy, scope, metric))?;
        let finite: Vec<f64> = vals.iter().copied().filter(|v| v.is_finite()).collect();
        crate::stats::mean(&finite)
    }

    /// The `summary.csv` row for (strategy, metric, year).
    pub fn summary_row(&self, strategy: &str, metric: &str, year: usize) -> Option<&SummaryRow> {
        self.summary
            .iter()
            .find(|r| r.year as usize == year && r.strategy == strategy && r.metric == metric)
    }

    fn read_timeseries(&mut self, path: &Path) -> Result<()> {
        let metric_ids: Vec<String> = self.metrics.iter().map(|m| m.id.clone()).collect();
        let metrics: HashMap<String, usize> = index_of(&metric_ids);
        let mut scopes: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (i, s) in self.scopes.iter().enumerate() {
            scopes
                .entry(s.level.clone())
                .or_default()
                .insert(s.id.clone(), i);
        }
        let (nm, nt, nr) = (self.metrics.len(), self.times, self.manifest.replicates);
        let years = self.manifest.years;
        let mut replicates: BTreeMap<u64, usize> = BTreeMap::new();
        let (world, scope_horizon) = (&mut self.world, &mut self.scope_horizon);
        crate::output::timeseries::for_each(path, &self.manifest.strategies, |row| {
            let next = replicates.len();
            let ri = *replicates.entry(row.replicate).or_insert(next);
            if ri >= nr {
                return Err(row
                    .error(format!("more replicates than the manifest's {nr}"))
                    .into());
            }
            let t = row.time;
            if t >= nt {
                return Err(row
                    .error(format!("year beyond the manifest's {years} years"))
                    .into());
            }
            let level = row.scope_level;
            // Most rows are other scopes before the horizon: skip them early.
            if level != "world" && t != nt - 1 {
                return Ok(());
            }
            let Some(&m) = metrics.get(row.metric) else {
                return Err(row
                    .error(format!("metric `{}` is not in metrics.csv", row.metric))
                    .expected("a metric listed in metrics.csv")
                    .into());
            };
            let v = row.value()?;
            let s = row.strategy;
            if level == "world" {
                world[((s * nm + m) * nt + t) * nr + ri] = v;
            } else {
                let Some(&scope) = scopes.get(level).and_then(|ids| ids.get(row.scope_id)) else {
                    return Err(row
                        .error(format!(
                            "scope {level}/{} is not in scopes.csv",
                            row.scope_id
                        ))
                        .into());
                };
                scope_horizon
                    .entry((s, scope, m))
                    .or_insert_with(|| vec![f64::NAN; nr])[ri] = v;
            }
            Ok(())
        })
    }
}

fn index_of(names: &[String]) -> HashMap<String, usize> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), i))
        .collect()
}

/// Read `manifest.json` through the one reader, [`crate::output::manifest::read`],
/// and keep what the report shows.
pub fn read_manifest(dir: &Path) -> Result<Manifest> {
    let m = crate::output::manifest::read(dir)?;
    Ok(Manifest {
        strategies_zh: m.strategies.iter().map(|s| m.strategy_name_zh(s)).collect(),
        tool_version: m.tool_version,
        scenario_name: m.scenario.name,
        scenario_name_zh: Some(m.scenario.name_zh).filter(|s| !s.is_empty()),
        scenario_description: m.scenario.description,
        scenario_description_zh: Some(m.scenario.description_zh).filter(|s| !s.is_empty()),
        scenario_file: m.scenario.file.unwrap_or_default(),
        scenario_sha256: m.scenario.sha256,
        seed: m.seed.to_string(),
        replicates: m.replicates as usize,
        years: m.years as usize,
        strategies: m.strategies,
        baseline: m.baseline,
        preset: m.preset,
        world: serde_json::to_value(&m.world).unwrap_or(Value::Null),
        start_year: m
            .resolved
            .pointer("/run/start_year")
            .and_then(Value::as_i64)
            .map(|y| y as i32),
        resolved: m.resolved,
    })
}

fn open_csv(path: &Path) -> Result<csv::Reader<std::fs::File>> {
    if !path.is_file() {
        return Err(InputError::new("file missing from the run directory")
            .file(path)
            .expected("the files `tiaokuai run` writes")
            .into());
    }
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .map_err(|e| csv_error(path, e))
}

fn csv_error(path: &Path, e: csv::Error) -> crate::Error {
    let mut err = InputError::new(format!("cannot read CSV: {e}")).file(path);
    if let Some(p) = e.position() {
        err = err.at(p.line() as usize, 1);
    }
    err.into()
}

fn check_header<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    path: &Path,
    want: &[&str],
) -> Result<()> {
    let got = rdr.headers().map_err(|e| csv_error(path, e))?;
    // Runs with `run.start_year` add a last column `calendar_year`.
    let calendar = got.len() == want.len() + 1
        && got.get(want.len()) == Some(crate::experiment::summary::CALENDAR_COLUMN);
    if got.iter().take(want.len()).ne(want.iter().copied())
        || (got.len() != want.len() && !calendar)
    {
        return Err(InputError::new("unexpected CSV header")
            .file(path)
            .at(1, 1)
            .expected(want.join(","))
            .into());
    }
    Ok(())
}

/// Rows of a CSV as column name → text.
type Rows = Vec<HashMap<String, String>>;

/// Read a CSV with named columns into rows of strings (and their line
/// numbers), checking that the `need` columns exist.
fn read_table(path: &Path, need: &[&str]) -> Result<(Rows, Vec<usize>)> {
    let mut rdr = open_csv(path)?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(path, e))?
        .iter()
        .map(String::from)
        .collect();
    for n in need {
        if !headers.iter().any(|h| h == n) {
            return Err(InputError::new(format!("column `{n}` missing"))
                .file(path)
                .at(1, 1)
                .expected(need.join(","))
                .into());
        }
    }
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        lines.push(rec.position().map_or(0, |p| p.line() as usize));
        rows.push(
            headers
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect(),
        );
    }
    Ok((rows, lines))
}

fn parse_f64(path: &Path, line: usize, key: &str, s: &str) -> Result<f64> {
    s.parse().map_err(|_| {
        InputError::new(format!("`{s}` is not a number"))
            .file(path)
            .at(line, 1)
            .key(key)
            .into()
    })
}

fn read_metrics(path: &Path) -> Result<Vec<MetricInfo>> {
    let (rows, lines) = read_table(
        path,
        &[
            "metric",
            "name_en",
            "name_zh",
            "unit",
            "direction",
            "headline",
        ],
    )?;
    rows.iter()
        .zip(lines)
        .map(|(r, line)| {
            let g = |k: &str| r.get(k).cloned().unwrap_or_default();
            let direction = match g("direction").as_str() {
                "higher" => Direction::Higher,
                "lower" => Direction::Lower,
                "neutral" => Direction::Neutral,
                other => {
                    return Err(InputError::new(format!("unknown direction `{other}`"))
                        .file(path)
                        .at(line, 1)
                        .expected("higher, lower or neutral")
                        .into());
                }
            };
            Ok(MetricInfo {
                id: g("metric"),
                name_en: g("name_en"),
                name_zh: g("name_zh"),
                unit: g("unit"),
                direction,
                headline: matches!(
                    g("headline").to_ascii_lowercase().as_str(),
                    "true" | "1" | "yes"
                ),
                description: g("description"),
            })
        })
        .collect()
}

fn read_scopes(path: &Path) -> Result<Vec<ScopeInfo>> {
    let (rows, lines) = read_table(
        path,
        &["scope_level", "scope_id", "scope_name", "scope_name_zh"],
    )?;
    rows.iter()
        .zip(lines)
        .map(|(r, line)| {
            let g = |k: &str| r.get(k).cloned().unwrap_or_default();
            let num = |k: &str| -> Result<f64> {
                let s = g(k);
                if s.is_empty() {
                    Ok(0.0)
                } else {
                    parse_f64(path, line, k, &s)
                }
            };
            Ok(ScopeInfo {
                level: g("scope_level"),
                id: g("scope_id"),
                name: g("scope_name"),
                name_zh: g("scope_name_zh"),
                units: num("units")? as u64,
                population: num("population")?,
            })
        })
        .collect()
}

fn read_summary(path: &Path, manifest: &Manifest) -> Result<Vec<SummaryRow>> {
    let mut rdr = open_csv(path)?;
    check_header(&mut rdr, path, &SUMMARY_HEADER)?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(path, e))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let f = |i: usize, k: &str| parse_f64(path, line, k, rec.get(i).unwrap_or(""));
        let strategy = rec.get(0).unwrap_or("").to_string();
        if !manifest.strategies.contains(&strategy) {
            return Err(
                InputError::new(format!("strategy `{strategy}` is not in manifest.json"))
                    .file(path)
                    .at(line, 1)
                    .into(),
            );
        }
        out.push(SummaryRow {
            strategy,
            metric: rec.get(1).unwrap_or("").to_string(),
            year: f(2, "year")? as u32,
            stats: crate::stats::Summary {
                n: f(3, "n")? as usize,
                mean: f(4, "mean")?,
                sd: f(5, "sd")?,
                ci95_low: f(6, "ci95_low")?,
                ci95_high: f(7, "ci95_high")?,
                p05: f(8, "p05")?,
                p50: f(9, "p50")?,
                p95: f(10, "p95")?,
            },
        });
    }
    Ok(out)
}
