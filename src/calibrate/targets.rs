//! Calibration targets: a CSV of observations, checked against the world
//! the scenario builds, and the simulated value of each target read from
//! one run's frames.
//!
//! Rules: columns are found by header name; `scope`, `metric`, `year` and
//! `value` are required, and each row gives its uncertainty as `sd` or as
//! a 90% interval `low`,`high` (sd = (high − low) / (2 × 1.6449)). `kind`
//! is `value` (default), `count` (number of provinces whose metric is above
//! `threshold`) or `rank` (a province's rank among all provinces, 1 = the
//! highest value). Every error names the file, line and column of the
//! offending cell. A target's year goes through [`simulation_year`], the
//! one place that knows how a target's calendar is read.

use std::path::Path;

use crate::error::did_you_mean;
use crate::sim::Context;
use crate::world::scopes::ScopeKind;
use crate::{InputError, Result};

/// z of the 95th percentile: a 90% interval spans ±1.6449 sd.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// What a target observes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A metric's value at one scope.
    Value,
    /// How many provinces have the metric above a threshold.
    Count,
    /// A province's rank among all provinces (1 = highest value).
    Rank,
}

impl Kind {
    pub const NAMES: [&'static str; 3] = ["value", "count", "rank"];
    pub fn id(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// One row of a targets file, resolved against a world.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// Line of the row in its file (the header is line 1).
    pub line: usize,
    pub kind: Kind,
    /// The scope as written (`world`, `province:guangdong`, …).
    pub scope: String,
    pub metric: String,
    /// The year as written.
    pub year: i32,
    pub value: f64,
    pub sd: f64,
    pub threshold: Option<f64>,
    pub source: String,
    /// Index of the scope in the world's scope list (the province for
    /// `rank`; unused for `count`).
    pub scope_index: usize,
    pub metric_index: usize,
    /// Quarter read: the end of the simulation year (t = 4 × year).
    pub quarter: u32,
    /// The province the target belongs to, for cross-validation folds.
    pub province: Option<String>,
}

impl Target {
    /// A short label: `kind:scope:metric:year`.
    pub fn label(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.kind.id(),
            self.scope,
            self.metric,
            self.year
        )
    }
}

/// The simulation year a target's year refers to. With a calendar start
/// year `start` (the first simulated calendar year), calendar year Y is the
/// end of simulation year Y − start + 1; without one, the year is already
/// a simulation year (0 = the initial state, Y = the end of year Y).
pub fn simulation_year(year: i32, start: Option<i32>) -> i64 {
    match start {
        Some(s) => i64::from(year) - i64::from(s) + 1,
        None => i64::from(year),
    }
}

/// A parsed but not yet resolved row.
struct Row {
    line: usize,
    cells: Vec<(String, usize)>,
}

fn column(headers: &[String], name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

const COLUMNS: [&str; 10] = [
    "kind",
    "scope",
    "metric",
    "year",
    "value",
    "sd",
    "low",
    "high",
    "threshold",
    "source",
];

/// Read and check a targets file against the world of `ctx`; `start` is
/// the scenario's calendar start year, if any.
pub fn read(path: &Path, ctx: &Context, start: Option<i32>) -> Result<Vec<Target>> {
    let text = crate::scenario::read_text(path)?;
    parse(&text, path, ctx, start)
}

/// [`read`] from text (`path` names the file in messages).
pub fn parse(text: &str, path: &Path, ctx: &Context, start: Option<i32>) -> Result<Vec<Target>> {
    let err = |line: usize, col: usize, msg: String| InputError::new(msg).file(path).at(line, col);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err(1, 1, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    for (i, h) in headers.iter().enumerate() {
        if !COLUMNS.iter().any(|c| c.eq_ignore_ascii_case(h)) && !h.is_empty() {
            let mut e = err(1, i + 1, format!("unknown column `{h}`")).expected(COLUMNS.join(", "));
            if let Some(s) = did_you_mean(h, COLUMNS) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            return Err(e.into());
        }
    }
    for need in ["scope", "metric", "year", "value"] {
        if column(&headers, need).is_none() {
            return Err(err(1, 1, format!("the header has no `{need}` column"))
                .expected(
                    "a header such as kind,scope,metric,year,value,sd,low,high,threshold,source",
                )
                .into());
        }
    }
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            err(line, 1, format!("cannot read the row: {e}"))
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let mut cells = Vec::new();
        let mut col = 1;
        for c in rec.iter() {
            cells.push((c.trim().to_string(), col));
            col += c.chars().count() + 1;
        }
        if cells.iter().all(|(c, _)| c.is_empty()) {
            continue;
        }
        rows.push(Row { line, cells });
    }
    if rows.is_empty() {
        return Err(err(1, 1, "the targets file has no rows".into())
            .suggest("add one row per observation under the header")
            .into());
    }
    rows.iter()
        .map(|r| resolve(r, &headers, path, ctx, start))
        .collect()
}

fn resolve(
    r: &Row,
    headers: &[String],
    path: &Path,
    ctx: &Context,
    start: Option<i32>,
) -> Result<Target> {
    let get = |name: &str| -> (&str, usize) {
        match column(headers, name).and_then(|i| r.cells.get(i)) {
            Some((v, c)) => (v.as_str(), *c),
            None => ("", 1),
        }
    };
    let at = |name: &str, msg: String| {
        let (_, col) = get(name);
        InputError::new(msg)
            .file(path)
            .at(r.line, col)
            .key(name.to_string())
    };
    let num = |name: &str| -> Result<Option<f64>> {
        let (v, _) = get(name);
        if v.is_empty() {
            return Ok(None);
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(at(name, format!("`{v}` is not a number")).into()),
        }
    };
    let kind = match get("kind").0 {
        "" | "value" => Kind::Value,
        "count" => Kind::Count,
        "rank" => Kind::Rank,
        other => {
            let mut e = at("kind", format!("unknown target kind `{other}`"))
                .expected(Kind::NAMES.join(", "));
            if let Some(s) = did_you_mean(other, Kind::NAMES) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            return Err(e.into());
        }
    };
    let metric = get("metric").0.to_string();
    let defs = &ctx.metrics.defs;
    let metric_index = ctx.metrics.index(&metric).ok_or_else(|| {
        let mut e = at("metric", format!("unknown metric `{metric}`"))
            .expected("a metric id; `tiaokuai list metrics` lists them");
        if let Some(s) = did_you_mean(&metric, defs.iter().map(|m| m.id.as_str())) {
            e = e.suggest(format!("did you mean `{s}`?"));
        }
        e
    })?;
    let (year_text, _) = get("year");
    let year: i32 = year_text
        .parse()
        .map_err(|_| at("year", format!("`{year_text}` is not a year")).expected("an integer"))?;
    let years = ctx.scenario.run.years;
    let sim = simulation_year(year, start);
    if sim < 0 || sim > i64::from(years) {
        let range = match start {
            Some(s) => format!("{} to {}", s - 1, s - 1 + years as i32),
            None => format!("0 to {years} (simulation years)"),
        };
        return Err(at("year", format!("year {year} is outside the run"))
            .expected(format!("a year from {range}"))
            .suggest("drop the row or lengthen run.years")
            .into());
    }
    let value = num("value")?.ok_or_else(|| at("value", "the row has no `value`".into()))?;
    let sd = match (num("sd")?, num("low")?, num("high")?) {
        (Some(sd), _, _) if sd > 0.0 => sd,
        (Some(sd), _, _) => {
            return Err(at("sd", format!("`sd` must be greater than 0, got {sd}")).into());
        }
        (None, Some(lo), Some(hi)) if hi > lo => (hi - lo) / (2.0 * Z90),
        (None, Some(lo), Some(hi)) => {
            return Err(at("high", format!("`high` ({hi}) must exceed `low` ({lo})")).into());
        }
        _ => {
            return Err(at("sd", "the row gives no uncertainty".into())
                .expected("`sd`, or a 90% interval in `low` and `high`")
                .into());
        }
    };
    let threshold = num("threshold")?;
    let scopes = &ctx.world.scopes.scopes;
    let scope = get("scope").0.to_string();
    let provinces: Vec<usize> = (0..scopes.len())
        .filter(|&i| scopes[i].kind == ScopeKind::Province)
        .collect();
    let (scope_index, province) = match kind {
        Kind::Count => {
            if !matches!(scope.as_str(), "" | "province" | "provinces") {
                return Err(at(
                    "scope",
                    format!("a count target counts provinces, not `{scope}`"),
                )
                .expected("`provinces` (or an empty cell)")
                .into());
            }
            if threshold.is_none() {
                return Err(at("threshold", "a count target needs a `threshold`".into())
                    .expected("the value a province's metric must exceed to be counted")
                    .into());
            }
            (0, None)
        }
        Kind::Value | Kind::Rank => {
            let i = find_scope(ctx, &scope).ok_or_else(|| {
                let names: Vec<String> = scopes
                    .iter()
                    .map(|s| format!("{}:{}", s.kind.id(), s.id))
                    .collect();
                let mut e = at("scope", format!("unknown scope `{scope}`")).expected(format!(
                    "a scope of this world: {}",
                    if names.len() > 12 {
                        format!("{}, …", names[..12].join(", "))
                    } else {
                        names.join(", ")
                    }
                ));
                let bare = scope.split_once(':').map_or(scope.as_str(), |(_, id)| id);
                let near = did_you_mean(&scope, names.iter().map(String::as_str)).or_else(|| {
                    did_you_mean(bare, scopes.iter().map(|s| s.id.as_str())).and_then(|id| {
                        names
                            .iter()
                            .find(|n| n.ends_with(&format!(":{id}")))
                            .cloned()
                    })
                });
                if let Some(s) = near {
                    e = e.suggest(format!("did you mean `{s}`?"));
                }
                e
            })?;
            if kind == Kind::Rank && scopes[i].kind != ScopeKind::Province {
                return Err(at(
                    "scope",
                    format!("a rank target ranks a province; `{scope}` is not one"),
                )
                .into());
            }
            let prov = (scopes[i].kind == ScopeKind::Province).then(|| scopes[i].id.clone());
            (i, prov)
        }
    };
    if kind != Kind::Count && threshold.is_some() {
        return Err(at(
            "threshold",
            format!(
                "`threshold` applies to count targets, not {} targets",
                kind.id()
            ),
        )
        .into());
    }
    if kind != Kind::Value && provinces.is_empty() {
        return Err(at(
            "kind",
            format!(
                "a {} target needs provinces, and this world has none",
                kind.id()
            ),
        )
        .into());
    }
    Ok(Target {
        line: r.line,
        kind,
        scope,
        metric,
        year,
        value,
        sd,
        threshold,
        source: get("source").0.to_string(),
        scope_index,
        metric_index,
        quarter: (sim as u32) * 4,
        province,
    })
}

/// A scope by `level:id` or, when unambiguous, by bare id.
fn find_scope(ctx: &Context, s: &str) -> Option<usize> {
    let scopes = &ctx.world.scopes.scopes;
    if let Some((k, id)) = s.split_once(':') {
        return scopes.iter().position(|x| x.kind.id() == k && x.id == id);
    }
    let hits: Vec<usize> = (0..scopes.len()).filter(|&i| scopes[i].id == s).collect();
    (hits.len() == 1).then(|| hits[0])
}

/// Reads every target's simulated value from a run's frames.
#[derive(Debug, Clone)]
pub struct Reader {
    /// Quarters at which some target reads a frame, ascending.
    pub quarters: Vec<u32>,
    provinces: Vec<usize>,
    metrics: usize,
}

impl Reader {
    pub fn new(ctx: &Context, targets: &[Target]) -> Reader {
        let mut quarters: Vec<u32> = targets.iter().map(|t| t.quarter).collect();
        quarters.sort_unstable();
        quarters.dedup();
        let scopes = &ctx.world.scopes.scopes;
        Reader {
            quarters,
            provinces: (0..scopes.len())
                .filter(|&i| scopes[i].kind == ScopeKind::Province)
                .collect(),
            metrics: ctx.metrics.defs.len(),
        }
    }

    /// The same reader for another list of targets of the same world.
    pub fn with_targets(&self, targets: &[Target]) -> Reader {
        let mut quarters: Vec<u32> = targets.iter().map(|t| t.quarter).collect();
        quarters.sort_unstable();
        quarters.dedup();
        Reader {
            quarters,
            ..self.clone()
        }
    }

    /// Fill `out[k]` for every target reading quarter `t` from `frame`.
    pub fn read(&self, targets: &[Target], t: u32, frame: &[f64], out: &mut [f64]) {
        let nm = self.metrics;
        for (k, tg) in targets.iter().enumerate() {
            if tg.quarter != t {
                continue;
            }
            let m = tg.metric_index;
            out[k] = match tg.kind {
                Kind::Value => frame[tg.scope_index * nm + m],
                Kind::Count => {
                    let th = tg.threshold.unwrap_or(0.0);
                    let vals = self.provinces.iter().map(|&p| frame[p * nm + m]);
                    if vals.clone().any(f64::is_nan) {
                        f64::NAN
                    } else {
                        vals.filter(|v| *v > th).count() as f64
                    }
                }
                Kind::Rank => {
                    let own = frame[tg.scope_index * nm + m];
                    if own.is_nan() {
                        f64::NAN
                    } else {
                        1.0 + self
                            .provinces
                            .iter()
                            .filter(|&&p| frame[p * nm + m] > own)
                            .count() as f64
                    }
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn ctx() -> Context {
        let sc = scenario::from_str(
            "name='t'\n[run]\nyears=3\n[world]\ndepth='county'\ncities=3\ncounties_per_city=2\n[[strategy]]\nname='a'\n",
            None,
        )
        .unwrap();
        Context::new(sc).unwrap()
    }

    fn err(text: &str) -> String {
        parse(text, Path::new("t.csv"), &ctx(), None)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_value_count_and_rank_rows() {
        let c = ctx();
        let ts = parse(
            "kind,scope,metric,year,value,sd,low,high,threshold,source\n\
             value,world,collab_index,3,50,2,,,,a\n\
             ,level:county,maturity_index,1,40,,30,50,,\n\
             count,provinces,maturity_index,2,1,0.5,,,30,\n\
             rank,province:province,maturity_index,2,1,0.5,,,,\n",
            Path::new("t.csv"),
            &c,
            None,
        )
        .unwrap();
        assert_eq!(ts.len(), 4);
        assert_eq!(ts[0].quarter, 12);
        assert_eq!(ts[0].line, 2);
        assert!((ts[1].sd - 20.0 / (2.0 * Z90)).abs() < 1e-12);
        assert_eq!(ts[2].kind, Kind::Count);
        assert_eq!(ts[3].province.as_deref(), Some("province"));
    }

    #[test]
    fn bad_rows_are_located() {
        let e = err("scope,metric,year,value,sd\nworld,colab_index,1,5,1\n");
        assert!(
            e.starts_with("t.csv:2:7") && e.contains("did you mean `collab_index`"),
            "{e}"
        );
        let e = err("scope,metric,year,value,sd\nwrold,collab_index,1,5,1\n");
        assert!(
            e.contains("t.csv:2:1")
                && e.contains("unknown scope `wrold`")
                && e.contains("did you mean `world"),
            "{e}"
        );
        let e = err("scope,metric,year,value,sd\nworld,collab_index,9,5,1\n");
        assert!(
            e.contains("year 9 is outside the run") && e.contains("0 to 3"),
            "{e}"
        );
        let e = err("scope,metric,year,value\nworld,collab_index,1,5\n");
        assert!(e.contains("no uncertainty"), "{e}");
        let e = err("scope,metric,year,value,sd\nworld,collab_index,1,5,0\n");
        assert!(e.contains("greater than 0"), "{e}");
        let e = err("kind,scope,metric,year,value,sd\ncount,provinces,collab_index,1,5,1\n");
        assert!(e.contains("needs a `threshold`"), "{e}");
        let e = err("kind,scope,metric,year,value,sd\nrank,world,collab_index,1,5,1\n");
        assert!(e.contains("not one"), "{e}");
        let e = err("scope,metric,yaer,value,sd\n");
        assert!(e.contains("did you mean `year`"), "{e}");
        let e = err("scope,metric,year,value,sd\n");
        assert!(e.contains("no rows"), "{e}");
    }

    #[test]
    fn calendar_years_map_to_the_end_of_simulation_years() {
        assert_eq!(simulation_year(3, None), 3);
        assert_eq!(simulation_year(2016, Some(2016)), 1);
        assert_eq!(simulation_year(2015, Some(2016)), 0);
        assert_eq!(simulation_year(2020, Some(2016)), 5);
    }
}
