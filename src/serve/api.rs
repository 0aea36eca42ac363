//! The JSON API's requests, errors and their validation (docs/api.md).
//!
//! Rules: a run request becomes a [`Context`] only through
//! `scenario::from_table` after its overrides were written into the
//! scenario's TOML table, so a lever set from the page is checked exactly
//! like one in a file; on top of that the server enforces its own limits
//! ([`Limits`]) so one request cannot occupy a classroom PC for minutes.
//! Every problem the user can fix is an [`ApiError`] with status 400 (404
//! for an unknown path) and a message that says what to change.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::levers;
use super::presets::Presets;
use crate::error::{Error, InputError, did_you_mean};
use crate::scenario::{self, Scenario};
use crate::sim::Context;
use crate::world::params::Preset as WorldPreset;

/// What the server refuses to run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest world, in departments.
    pub max_departments: u64,
    pub max_replicates: u32,
    pub max_years: u32,
    /// Most strategies in one request.
    pub max_strategies: usize,
    /// Largest run: departments × runs × quarters.
    pub max_work: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_departments: 60_000,
            max_replicates: 50,
            max_years: 20,
            max_strategies: 4,
            max_work: 400_000_000,
        }
    }
}

/// `POST /api/run` (and `/api/export.csv`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Preset id (default: the first preset). Not together with `scenario_toml`.
    #[serde(default)]
    pub preset: Option<String>,
    /// An uploaded scenario file's text.
    #[serde(default)]
    pub scenario_toml: Option<String>,
    /// Strategies to run, in display order (A, B, …); default: the baseline and the next one.
    #[serde(default)]
    pub strategies: Vec<String>,
    /// Lever overrides per strategy name: `{"local": {"investment.budget": 1.5}}`.
    #[serde(default)]
    pub levers: BTreeMap<String, BTreeMap<String, Value>>,
    #[serde(default)]
    pub replicates: Option<u32>,
    #[serde(default)]
    pub seed: Option<u64>,
    #[serde(default)]
    pub years: Option<u32>,
    /// An id of the page (letters, digits, '-', '_'); a newer run with the same id cancels this one.
    #[serde(default)]
    pub client: Option<String>,
    /// Include the network view (default true).
    #[serde(default)]
    pub network: Option<bool>,
}

/// An error answer: status and a JSON body `{error, key, expected, suggestion}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: u16,
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Seconds after which a refused request may be tried again (sent as `Retry-After`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            error: message.into(),
            key: None,
            line: None,
            expected: None,
            suggestion: None,
            retry_after: None,
        }
    }
    pub fn bad(e: InputError) -> Self {
        ApiError {
            status: 400,
            error: e.message,
            key: e.location.key,
            line: e.location.line_col.map(|x| x.0),
            expected: e.expected,
            suggestion: e.suggestion,
            retry_after: None,
        }
    }
    pub fn not_found(e: InputError) -> Self {
        ApiError {
            status: 404,
            ..ApiError::bad(e)
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Input(e) => ApiError::bad(*e),
            other => ApiError::new(500, other.to_string()),
        }
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        ApiError::bad(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut r = (status, Json(&self)).into_response();
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, s.into());
        }
        r
    }
}

/// Parse a request body, turning malformed JSON into a clear 400.
pub fn parse_request(body: &[u8]) -> Result<RunRequest, ApiError> {
    // serde would read a JSON array as the fields in order (`[]` as `{}`).
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|&b| b != b'{') {
        let mut err = ApiError::new(400, "malformed request: the body must be a JSON object");
        err.expected = Some("a JSON object such as {\"preset\": \"classroom\"}".into());
        return Err(err);
    }
    serde_json::from_slice(body).map_err(|e| {
        let mut err = ApiError::new(400, format!("malformed request: {e}"));
        err.line = Some(e.line());
        err.expected = Some("a JSON object such as {\"preset\": \"classroom\", \"levers\": {\"local\": {\"investment.budget\": 1.5}}}".into());
        err
    })
}

/// A validated run: the context and the strategies to run, in request order.
pub struct Prepared {
    pub ctx: Context,
    pub strategies: Vec<usize>,
    /// Preset id, or `None` for an uploaded scenario.
    pub preset: Option<String>,
}

/// Validate an uploaded scenario: TOML errors with their line, and no
/// features that would read files on the server.
pub fn check_upload(text: &str) -> Result<Scenario, ApiError> {
    let sc = scenario::from_str(text, None)?;
    if sc.world.preset == WorldPreset::Csv {
        return Err(ApiError::bad(
            InputError::new("uploaded scenarios cannot use world.preset = \"csv\" (it reads files on the server)")
                .key("world.preset")
                .expected("\"province\" or \"china\"")
                .suggest("run csv worlds with `tiaokuai run` on your own machine"),
        ));
    }
    if !sc.run.framework.is_empty() {
        return Err(ApiError::bad(
            InputError::new(
                "uploaded scenarios cannot name a framework file (it would be read on the server)",
            )
            .key("run.framework")
            .suggest("remove run.framework to use the built-in framework"),
        ));
    }
    Ok(sc)
}

/// A request checked against the scenario rules and the server's limits,
/// before anything is built.
pub struct Validated {
    pub scenario: Scenario,
    pub strategies: Vec<usize>,
    pub preset: Option<String>,
    /// Work (department-quarters × runs): estimated from the world's keys,
    /// or its upper bound when the world's size comes from data.
    pub work: u64,
}

/// Turn a request into a context ready to run, or a 400.
pub fn prepare(presets: &Presets, req: &RunRequest, limits: &Limits) -> Result<Prepared, ApiError> {
    build(validate(presets, req, limits)?, limits)
}

/// Check a request without building its world: scenario validation,
/// strategies, and the world's size and the run's work from the keys.
pub fn validate(
    presets: &Presets,
    req: &RunRequest,
    limits: &Limits,
) -> Result<Validated, ApiError> {
    let (text, base, origin, preset) = match (&req.preset, &req.scenario_toml) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                400,
                "give either `preset` or `scenario_toml`, not both",
            ));
        }
        (None, Some(t)) => (t.as_str(), check_upload(t)?, None, None),
        (p, None) => {
            let p = match p {
                Some(id) => presets.get(id).map_err(ApiError::bad)?,
                None => presets
                    .list
                    .first()
                    .ok_or_else(|| ApiError::new(500, "no presets"))?,
            };
            (
                p.text.as_str(),
                p.scenario.clone(),
                Some(p.origin.clone()),
                Some(p.id.clone()),
            )
        }
    };
    let mut table: toml::Table = toml::from_str(text)
        .map_err(|e| ApiError::new(400, format!("invalid TOML: {}", e.message().trim())))?;
    let years = run_overrides(&mut table, req, &base, limits)?;
    lever_overrides(&mut table, req, &base, years)?;
    let mut sc = scenario::from_table(table, origin.as_deref())?;
    let strategies = pick_strategies(&sc, &req.strategies, limits)?;
    sc.world.max_departments = sc.world.max_departments.min(limits.max_departments);
    let runs = strategies.len() as u64 * sc.run.replicates as u64;
    let work = match estimated_departments(&sc) {
        Some(depts) => {
            if depts > limits.max_departments {
                return Err(ApiError::bad(
                    InputError::new(format!(
                        "this world is too large for the classroom server, which runs worlds of up to {} departments (these keys give {depts})",
                        limits.max_departments
                    ))
                    .key("world")
                    .suggest("use fewer world.cities, world.counties_per_city or world.townships_per_county, or world.depth = \"county\" or \"city\"; large worlds run with `tiaokuai run`"),
                ));
            }
            let work = depts * runs * (sc.run.years as u64 * 4 + 1);
            check_work(work, depts, runs, sc.run.years * 4, limits)?;
            work
        }
        // A world whose size comes from data: at most the department limit.
        None => {
            (limits.max_departments * runs * (sc.run.years as u64 * 4 + 1)).min(limits.max_work)
        }
    };
    Ok(Validated {
        scenario: sc,
        strategies,
        preset,
        work,
    })
}

/// Build the world of a validated request and check the run's work.
pub fn build(v: Validated, limits: &Limits) -> Result<Prepared, ApiError> {
    let mut ctx = Context::new(v.scenario).map_err(|e| too_large(e, limits))?;
    // The network view averages units of one tree over replicates.
    ctx.keep_structure();
    let runs = (v.strategies.len() as u64) * ctx.scenario.run.replicates as u64;
    let depts = ctx.compiled.n_depts as u64;
    check_work(
        depts * runs * (ctx.quarters() as u64 + 1),
        depts,
        runs,
        ctx.quarters(),
        limits,
    )?;
    Ok(Prepared {
        ctx,
        strategies: v.strategies,
        preset: v.preset,
    })
}

/// Refuse a run over the work budget (departments × runs × time points).
fn check_work(
    work: u64,
    depts: u64,
    runs: u64,
    quarters: u32,
    limits: &Limits,
) -> Result<(), ApiError> {
    if work > limits.max_work {
        return Err(ApiError::bad(
            InputError::new(format!(
                "this run is too large for the classroom server: {depts} departments × {runs} runs × {quarters} quarters (budget: {} department-quarters)",
                limits.max_work
            ))
            .key("replicates")
            .suggest("use fewer replicates, years or strategies, or run it with `tiaokuai run`"),
        ));
    }
    Ok(())
}

/// Departments of a `province`-preset world, computed from its keys
/// without building it (saturating; `None` for presets whose size comes
/// from data). The server's own estimate: a shared one in `world` may
/// replace it.
fn estimated_departments(sc: &Scenario) -> Option<u64> {
    use crate::catalog::Level;
    if sc.world.preset != WorldPreset::Province {
        return None;
    }
    let w = &sc.world;
    let cities = w.cities as u64;
    let counties = if w.depth >= Level::County {
        cities.saturating_mul(w.counties_per_city as u64)
    } else {
        0
    };
    let townships = if w.depth >= Level::Township {
        counties.saturating_mul(w.townships_per_county as u64)
    } else {
        0
    };
    let units = [1, 1, cities, counties, townships];
    let depts = Level::ALL.iter().map(|&l| {
        let per_unit = sc
            .departments
            .iter()
            .filter(|d| l <= d.lowest_level)
            .count() as u64;
        units[l as usize].saturating_mul(per_unit)
    });
    Some(depts.fold(0u64, u64::saturating_add))
}

/// Apply `replicates`, `seed` and `years`; return the run's years.
fn run_overrides(
    table: &mut toml::Table,
    req: &RunRequest,
    base: &Scenario,
    limits: &Limits,
) -> Result<u32, ApiError> {
    let check = |key: &str, x: u32, max: u32| {
        if (1..=max).contains(&x) {
            Ok(())
        } else {
            Err(ApiError::bad(
                InputError::new(format!("{key} = {x} is out of range"))
                    .key(key.to_string())
                    .expected(format!("1 to {max} on the classroom server")),
            ))
        }
    };
    let replicates = req.replicates.unwrap_or(base.run.replicates);
    check("replicates", replicates, limits.max_replicates)?;
    let years = req.years.unwrap_or(base.run.years);
    check("years", years, limits.max_years)?;
    let run = table
        .entry("run")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    let toml::Value::Table(run) = run else {
        return Err(ApiError::new(400, "`run` must be a table"));
    };
    run.insert("replicates".into(), toml::Value::Integer(replicates.into()));
    run.insert("years".into(), toml::Value::Integer(years.into()));
    if let Some(seed) = req.seed {
        let seed = i64::try_from(seed).map_err(|_| {
            ApiError::bad(
                InputError::new(format!("seed = {seed} is out of range"))
                    .key("seed")
                    .expected(format!("0 to {}", i64::MAX)),
            )
        })?;
        run.insert("seed".into(), toml::Value::Integer(seed));
    }
    Ok(years)
}

/// Write each strategy's lever overrides into its table (or `[defaults]`
/// for a scenario without strategies, whose single strategy is `default`).
fn lever_overrides(
    table: &mut toml::Table,
    req: &RunRequest,
    base: &Scenario,
    years: u32,
) -> Result<(), ApiError> {
    let domains: Vec<String> = base.domains.iter().map(|d| d.id.clone()).collect();
    let names: Vec<&str> = base.strategies.iter().map(|s| s.name.as_str()).collect();
    for (strategy, levers) in &req.levers {
        let Some(index) = names.iter().position(|n| n == strategy) else {
            return Err(unknown_strategy(strategy, &names, &format!("levers.{strategy}")).into());
        };
        let resolved = serde_json::to_value(&base.strategies[index].levers).unwrap_or(Value::Null);
        let target = strategy_table(table, index)?;
        for (id, value) in levers {
            let key = format!("levers.{strategy}.{id}");
            let def = levers::find(id).map_err(|e| ApiError::bad(e.key(key.clone())))?;
            let v = levers::to_toml(def, value, years, &domains, &key)?;
            set_path(target, id, v)?;
            complete_reform(target, id, &resolved)?;
        }
    }
    Ok(())
}

/// A reform is set by its year and strength together; when a lever sets
/// one of them, the other keeps the strategy's current value.
fn complete_reform(target: &mut toml::Table, id: &str, resolved: &Value) -> Result<(), ApiError> {
    let parts: Vec<&str> = id.split('.').collect();
    let ["institutions", reform, _] = parts.as_slice() else {
        return Ok(());
    };
    let Some(current) = resolved
        .get("institutions")
        .and_then(|i| i.get(*reform))
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    for (field, v) in current {
        let path = format!("institutions.{reform}.{field}");
        let present = target
            .get("institutions")
            .and_then(|i| i.get(*reform))
            .and_then(|r| r.get(field.as_str()))
            .is_some();
        if let (false, Some(x)) = (present, v.as_f64()) {
            set_path(target, &path, toml::Value::Float(x))?;
        }
    }
    Ok(())
}

/// The table of strategy `index` (the `[defaults]` table when the scenario has no strategies).
fn strategy_table(table: &mut toml::Table, index: usize) -> Result<&mut toml::Table, ApiError> {
    let malformed = || ApiError::new(400, "the scenario's strategies are malformed");
    if !table.contains_key("strategy") {
        let d = table
            .entry("defaults")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        return d.as_table_mut().ok_or_else(malformed);
    }
    table
        .get_mut("strategy")
        .and_then(|s| s.as_array_mut())
        .and_then(|a| a.get_mut(index))
        .and_then(|s| s.as_table_mut())
        .ok_or_else(malformed)
}

/// Set a dotted key path, creating tables on the way.
fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) -> Result<(), ApiError> {
    let mut parts: Vec<&str> = path.split('.').collect();
    let leaf = parts.pop().unwrap_or(path);
    let mut t = table;
    for p in parts {
        let entry = t
            .entry(p.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        t = entry
            .as_table_mut()
            .ok_or_else(|| ApiError::new(400, format!("`{p}` in the scenario is not a table")))?;
    }
    t.insert(leaf.to_string(), value);
    Ok(())
}

fn unknown_strategy(name: &str, names: &[&str], key: &str) -> InputError {
    let mut e = InputError::new(format!("no strategy called `{name}`"))
        .key(key.to_string())
        .expected(names.join(", "));
    if let Some(m) = did_you_mean(name, names.iter().copied()) {
        e = e.suggest(format!("did you mean `{m}`?"));
    }
    e
}

/// Indices of the requested strategies (default: baseline, then the first other).
fn pick_strategies(sc: &Scenario, req: &[String], limits: &Limits) -> Result<Vec<usize>, ApiError> {
    if req.is_empty() {
        let b = sc.baseline_index();
        let mut v = vec![b];
        if let Some(o) = (0..sc.strategies.len()).find(|&i| i != b) {
            v.push(o);
        }
        return Ok(v);
    }
    if req.len() > limits.max_strategies {
        return Err(ApiError::bad(
            InputError::new(format!("{} strategies requested", req.len()))
                .key("strategies")
                .expected(format!(
                    "1 to {} on the classroom server",
                    limits.max_strategies
                )),
        ));
    }
    let names: Vec<&str> = sc.strategies.iter().map(|s| s.name.as_str()).collect();
    let mut out = Vec::with_capacity(req.len());
    for (i, n) in req.iter().enumerate() {
        let idx = sc
            .strategy_index(n)
            .ok_or_else(|| unknown_strategy(n, &names, &format!("strategies[{i}]")))?;
        if out.contains(&idx) {
            return Err(ApiError::bad(
                InputError::new(format!("strategy `{n}` is requested twice"))
                    .key(format!("strategies[{i}]")),
            ));
        }
        out.push(idx);
    }
    Ok(out)
}

/// Say plainly when a world is too big for the server.
fn too_large(e: Error, limits: &Limits) -> ApiError {
    match e {
        Error::Input(ie) if ie.location.key.as_deref() == Some("world.max_departments") => {
            ApiError::bad(
                InputError::new(format!(
                    "this world is too large for the classroom server, which runs worlds of up to {} departments ({})",
                    limits.max_departments, ie.message
                ))
                .key("world")
                .suggest("use world.depth = \"county\" or \"city\", or fewer provinces; large worlds run with `tiaokuai run`"),
            )
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_path_creates_tables_and_keeps_inline_ones() {
        let mut t: toml::Table =
            toml::from_str("coordination = { agency = \"provincial\" }").unwrap();
        set_path(&mut t, "coordination.agency_year", toml::Value::Float(2.0)).unwrap();
        set_path(&mut t, "investment.budget", toml::Value::Float(1.5)).unwrap();
        assert_eq!(t["coordination"]["agency"].as_str(), Some("provincial"));
        assert_eq!(t["coordination"]["agency_year"].as_float(), Some(2.0));
        assert_eq!(t["investment"]["budget"].as_float(), Some(1.5));
    }

    #[test]
    fn malformed_json_is_a_400_with_a_line() {
        let e = parse_request(b"{\"preset\": ").unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.error.starts_with("malformed request"));
        let e = parse_request(b"{\"presett\": \"x\"}").unwrap_err();
        assert!(e.error.contains("unknown field"), "{}", e.error);
    }
}
