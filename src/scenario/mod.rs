//! Scenario files: TOML in, a validated, fully resolved [`Scenario`] out.
//!
//! Two stages (STYLE.md §3): the raw serde mirror in [`raw`] and
//! [`levers`], then [`resolve`] which checks unknown keys, types and ranges,
//! applies catalogue overrides and merges every `[[strategy]]` over
//! `[defaults]`. The rest of the crate trusts a `Scenario` and never
//! re-validates. Every error names the file, key path and line:column.

pub mod check;
pub mod events;
pub mod levers;
pub mod provenance;
pub mod raw;
pub mod template;

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::departments::{self, DepartmentDef};
use crate::catalog::domains::{self, DomainDef};
use crate::error::{Error, InputError, Result, did_you_mean};
use crate::mechanisms::check_range;
use crate::world::params::WorldParams;
pub use levers::{Levers, StandardsMode, Strategy};
pub use raw::{ModelParams, RunParams, WorldDraw};

/// Most domains a scenario may define (domain sets are bit masks).
pub const MAX_DOMAINS: usize = 16;

/// Where a scenario came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub path: Option<PathBuf>,
    /// The TOML text as read.
    #[serde(skip)]
    pub text: String,
    /// SHA-256 of the text, hex.
    pub sha256: String,
}

/// A validated, fully resolved scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    pub name_zh: String,
    pub description: String,
    /// Optional Chinese description (the page and the Chinese report use it).
    pub description_zh: String,
    pub source: Source,
    pub run: RunParams,
    pub world: WorldParams,
    pub departments: Vec<DepartmentDef>,
    pub domains: Vec<DomainDef>,
    pub model: ModelParams,
    pub strategies: Vec<Strategy>,
    /// Dated per-unit events (`[[event]]` and the `events` file), tables first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<events::Event>,
}

impl Scenario {
    /// Index of the baseline strategy (`run.baseline`, else the first).
    pub fn baseline_index(&self) -> usize {
        self.strategy_index(&self.run.baseline).unwrap_or(0)
    }

    /// Index of the strategy called `name`.
    pub fn strategy_index(&self, name: &str) -> Option<usize> {
        self.strategies.iter().position(|s| s.name == name)
    }

    /// The error for a strategy `name` this scenario lacks, given at `key`.
    pub fn unknown_strategy(&self, name: &str, key: &str) -> InputError {
        crate::error::unknown_strategy(name, self.strategies.iter().map(|s| s.name.as_str()), key)
    }

    /// Keep only the named strategies (command-line `--strategy`), in file order.
    pub fn select_strategies(&mut self, names: &[String]) -> Result<()> {
        if let Some(n) = names.iter().find(|n| self.strategy_index(n).is_none()) {
            return Err(self.unknown_strategy(n, "--strategy").into());
        }
        if !names.is_empty() {
            self.strategies.retain(|s| names.contains(&s.name));
            if self.strategy_index(&self.run.baseline).is_none() {
                self.run.baseline = self.strategies[0].name.clone();
            }
        }
        Ok(())
    }

    /// Every resolved parameter, for manifests and the Parameters sheet.
    pub fn resolved_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The scenario file's folder (relative paths inside it resolve here).
    pub fn base_dir(&self) -> PathBuf {
        self.source
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// Read and validate a scenario file.
pub fn load(path: &Path) -> Result<Scenario> {
    let text = read_text(path)?;
    from_str(&text, Some(path))
}

/// Read a UTF-8 text file, turning every failure into a clear input error.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = crate::input::read(path)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputError::new("the file is empty")
            .file(path)
            .suggest("`tiaokuai new FILE` writes a commented template")
            .into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&bytes[..off]).into_owned();
        let (l, c) = check::line_col(&valid, off);
        Error::from(
            InputError::new("the file is not valid UTF-8 text")
                .file(path)
                .at(l, c)
                .expected("a UTF-8 encoded TOML file")
                .suggest("save the file as UTF-8"),
        )
    })
}

/// Validate a scenario from TOML text.
pub fn from_str(text: &str, origin: Option<&Path>) -> Result<Scenario> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let mut err = InputError::new(format!("invalid TOML: {}", e.message().trim()));
        if let Some(span) = e.span() {
            let (l, c) = check::line_col(text, span.start);
            err = err.at(l, c);
        }
        if let Some(p) = origin {
            err = err.file(p);
        }
        Error::from(err)
    })?;
    from_parsed(table, text, origin)
}

/// Validate a scenario from the table parsed from `text`: errors point at
/// lines of `text`, the user's file (keys of the table that `text` lacks are
/// placed at their nearest enclosing key).
pub fn from_parsed(table: toml::Table, text: &str, origin: Option<&Path>) -> Result<Scenario> {
    resolve(table, text, origin).map_err(|e| check::place(e, text, origin).into())
}

/// Validate a scenario from an already parsed (possibly edited) table.
pub fn from_table(table: toml::Table, origin: Option<&Path>) -> Result<Scenario> {
    let text = toml::to_string(&table)
        .map_err(|e| Error::Other(format!("cannot serialise scenario: {e}")))?;
    resolve(table, &text, origin).map_err(|e| check::place(e, &text, origin).into())
}

fn resolve(
    mut table: toml::Table,
    text: &str,
    origin: Option<&Path>,
) -> Result<Scenario, InputError> {
    // `[[uncertainty]]` and `[experiment]` belong to sweeps and sensitivity
    // analysis (crate::design checks them); a plain run ignores them.
    for section in crate::design::SECTIONS {
        table.remove(section);
    }
    // `[class]` and `[[role]]` belong to the classroom role-play (crate::class checks them).
    for section in crate::class::def::SECTIONS {
        table.remove(section);
    }
    check::unknown_keys(&table, &raw::schema(), "")?;
    let defaults = take_table(&mut table, "defaults")?;
    let strategies = match table.remove("strategy") {
        None => Vec::new(),
        Some(toml::Value::Array(a)) => a,
        Some(_) => {
            return Err(InputError::new("`strategy` must be an array of tables")
                .key("strategy")
                .expected("[[strategy]] sections"));
        }
    };
    let mut model_table = toml::Table::new();
    let mut meta = toml::Table::new();
    for (k, v) in table {
        if raw::META_KEYS.contains(&k.as_str()) {
            meta.insert(k, v);
        } else {
            model_table.insert(k, v);
        }
    }
    let raw: raw::RawScenario = check::typed(meta, "")?;
    let model: ModelParams = check::typed(model_table, "")?;
    let name = scenario_name(&raw.name, origin)?;
    validate_run(&raw.run)?;
    raw.world.validate("world")?;
    validate_model(&model)?;
    let departments = resolve_departments(&raw.catalog.departments)?;
    let domains = resolve_domains(&raw.catalog.domains, &departments)?;
    let strategies = resolve_strategies(&defaults, strategies, &raw.run, &domains)?;
    let base = origin
        .and_then(|p| p.parent())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let events = events::resolve(&raw.event, &raw.events, &raw.event_dates, &raw.run, &base)?;
    let mut run = raw.run;
    if run.baseline.is_empty() {
        run.baseline = strategies[0].name.clone();
    } else if !strategies.iter().any(|s| s.name == run.baseline) {
        return Err(unknown_name(
            "strategy",
            &run.baseline,
            strategies.iter().map(|s| s.name.as_str()),
        )
        .key("run.baseline"));
    }
    Ok(Scenario {
        name,
        name_zh: raw.name_zh,
        description: raw.description,
        description_zh: raw.description_zh,
        source: Source {
            path: origin.map(Path::to_path_buf),
            text: text.to_string(),
            sha256: sha256_hex(text.as_bytes()),
        },
        run,
        world: raw.world,
        departments,
        domains,
        model,
        strategies,
        events,
    })
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn take_table(table: &mut toml::Table, key: &str) -> Result<toml::Table, InputError> {
    match table.remove(key) {
        None => Ok(toml::Table::new()),
        Some(toml::Value::Table(t)) => Ok(t),
        Some(_) => Err(InputError::new(format!("`{key}` must be a table"))
            .key(key)
            .expected(format!("a [{key}] section"))),
    }
}

fn scenario_name(name: &str, origin: Option<&Path>) -> Result<String, InputError> {
    let name = if name.is_empty() {
        origin
            .and_then(|p| p.file_stem())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into())
    } else {
        name.to_string()
    };
    if name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
    {
        Ok(name)
    } else {
        Err(InputError::new(format!(
            "scenario name `{name}` cannot be used as a folder name"
        ))
        .key("name")
        .expected("letters, digits, '-', '_' or '.' (it names the output folder)")
        .suggest("put a display name in `description` or `name_zh`"))
    }
}

fn validate_run(r: &RunParams) -> Result<(), InputError> {
    check_range("run.years", r.years as f64, 1.0, 50.0)?;
    check_range("run.replicates", r.replicates as f64, 1.0, 100_000.0)?;
    check_range("run.max_work", r.max_work, 1.0, 1e15)?;
    check_range("run.max_output_mb", r.max_output_mb, 0.001, 1e7)?;
    if let Some(y) = r.start_year {
        check_range("run.start_year", y as f64, 1900.0, 2100.0)?;
    }
    Ok(())
}

fn validate_model(m: &ModelParams) -> Result<(), InputError> {
    m.flow.validate("flow")?;
    m.barriers.validate("barriers")?;
    m.trust.validate("trust")?;
    m.standards.validate("standards")?;
    m.platforms.validate("platforms")?;
    m.hardware.validate("hardware")?;
    m.investment.validate("investment")?;
    m.institutions.validate("institutions")?;
    m.coordination.validate("coordination")?;
    m.domains.validate("domains")?;
    m.diffusion.validate("diffusion")?;
    m.services.validate("services")
}

fn unknown_name<'a>(
    what: &str,
    name: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> InputError {
    let mut e = InputError::new(format!("unknown {what} `{name}`"))
        .expected(known.clone().collect::<Vec<_>>().join(", "));
    if let Some(m) = did_you_mean(name, known) {
        e = e.suggest(format!("did you mean `{m}`?"));
    }
    e
}

fn resolve_departments(
    overrides: &[raw::DepartmentOverride],
) -> Result<Vec<DepartmentDef>, InputError> {
    let mut out = departments::defaults();
    for (i, o) in overrides.iter().enumerate() {
        let key = format!("catalog.departments[{i}]");
        if o.id.is_empty() {
            return Err(InputError::new("a department override needs an `id`")
                .key(key)
                .expected("the id of a default department or a new id"));
        }
        let d = match out.iter_mut().find(|d| d.id == o.id) {
            Some(d) => d,
            None => {
                let complete = o.name_en.is_some()
                    && o.sensitivity.is_some()
                    && o.value.is_some()
                    && o.vertical.is_some();
                if !complete {
                    return Err(unknown_name("department", &o.id, departments::defaults().iter().map(|d| d.id.as_str()).collect::<Vec<_>>().into_iter())
                        .key(format!("{key}.id"))
                        .suggest_if_none("to add a new department give name_en, sensitivity, value and vertical as well"));
                }
                out.push(DepartmentDef {
                    id: o.id.clone(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    sensitivity: 0.0,
                    value: 0.0,
                    vertical: 0.0,
                    lowest_level: crate::catalog::Level::County,
                    systems: departments::DEFAULT_SYSTEMS,
                });
                out.last_mut().expect("just pushed")
            }
        };
        if let Some(x) = &o.name_en {
            d.name_en = x.clone();
        }
        if let Some(x) = &o.name_zh {
            d.name_zh = x.clone();
        }
        if let Some(x) = o.sensitivity {
            d.sensitivity = x;
        }
        if let Some(x) = o.value {
            d.value = x;
        }
        if let Some(x) = o.vertical {
            d.vertical = x;
        }
        if let Some(x) = o.lowest_level {
            d.lowest_level = x;
        }
        if let Some(x) = o.systems {
            d.systems = x;
        }
        check_range(&format!("{key}.sensitivity"), d.sensitivity, 0.0, 1.0)?;
        check_range(&format!("{key}.value"), d.value, 0.0, 1.0)?;
        check_range(&format!("{key}.vertical"), d.vertical, 0.0, 1.0)?;
        check_range(&format!("{key}.systems"), d.systems, 1.0, 100.0)?;
    }
    if out.len() > 64 {
        return Err(InputError::new("more than 64 department types").key("catalog.departments"));
    }
    Ok(out)
}

fn resolve_domains(
    overrides: &[raw::DomainOverride],
    deps: &[DepartmentDef],
) -> Result<Vec<DomainDef>, InputError> {
    let mut out = domains::defaults();
    for (i, o) in overrides.iter().enumerate() {
        let key = format!("catalog.domains[{i}]");
        if o.id.is_empty() {
            return Err(InputError::new("a domain override needs an `id`").key(key));
        }
        let d = match out.iter_mut().find(|d| d.id == o.id) {
            Some(d) => d,
            None => {
                if o.departments.is_none() || o.name_en.is_none() {
                    return Err(unknown_name(
                        "domain",
                        &o.id,
                        domains::defaults()
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .into_iter(),
                    )
                    .key(format!("{key}.id"))
                    .suggest("to add a new domain give name_en and departments as well"));
                }
                let mut new = domains::defaults()[0].clone();
                new.id = o.id.clone();
                out.push(new);
                out.last_mut().expect("just pushed")
            }
        };
        if let Some(x) = &o.name_en {
            d.name_en = x.clone();
        }
        if let Some(x) = &o.name_zh {
            d.name_zh = x.clone();
        }
        if let Some(x) = &o.departments {
            d.departments = x.clone();
        }
        if let Some(x) = o.complexity {
            d.complexity = x;
        }
        if let Some(x) = o.lag_quarters {
            d.lag_quarters = x;
        }
        if let Some(x) = o.grassroots_load {
            d.grassroots_load = x;
        }
        if let Some(x) = o.top_down {
            d.top_down = x;
        }
        if let Some(x) = o.outward {
            d.outward = x;
        }
        check_range(&format!("{key}.complexity"), d.complexity, 0.0, 5.0)?;
        check_range(&format!("{key}.lag_quarters"), d.lag_quarters, 1.0, 100.0)?;
        check_range(
            &format!("{key}.grassroots_load"),
            d.grassroots_load,
            0.0,
            1.0,
        )?;
        check_range(&format!("{key}.top_down"), d.top_down, 0.0, 1.0)?;
        for (j, dep) in d.departments.iter().enumerate() {
            if !deps.iter().any(|x| &x.id == dep) {
                return Err(
                    unknown_name("department", dep, deps.iter().map(|x| x.id.as_str()))
                        .key(format!("{key}.departments[{j}]")),
                );
            }
        }
    }
    if out.len() > MAX_DOMAINS {
        return Err(
            InputError::new(format!("more than {MAX_DOMAINS} domains")).key("catalog.domains")
        );
    }
    Ok(out)
}

fn resolve_strategies(
    defaults: &toml::Table,
    items: Vec<toml::Value>,
    run: &RunParams,
    domains: &[DomainDef],
) -> Result<Vec<Strategy>, InputError> {
    let years = run.years as f64;
    let base: Levers = check::typed(defaults.clone(), "defaults")?;
    base.validate("defaults", years)?;
    if items.is_empty() {
        check_sector_domains(&base, "defaults", domains)?;
        return Ok(vec![Strategy {
            name: "default".into(),
            name_zh: String::new(),
            description: String::new(),
            description_zh: String::new(),
            levers: base,
        }]);
    }
    let mut out: Vec<Strategy> = Vec::with_capacity(items.len());
    // Names seen so far: a set, so checking many strategies stays linear.
    let mut names: std::collections::HashSet<String> =
        std::collections::HashSet::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let key = format!("strategy[{i}]");
        let toml::Value::Table(mut t) = item else {
            return Err(InputError::new("each strategy must be a table").key(key));
        };
        let text = |t: &mut toml::Table, k: &str| -> Result<String, InputError> {
            match t.remove(k) {
                None => Ok(String::new()),
                Some(toml::Value::String(s)) => Ok(s),
                Some(_) => Err(InputError::new(format!("`{k}` must be a string"))
                    .key(format!("strategy[{i}].{k}"))),
            }
        };
        let name = text(&mut t, "name")?;
        let name_zh = text(&mut t, "name_zh")?;
        let description = text(&mut t, "description")?;
        let description_zh = text(&mut t, "description_zh")?;
        if name.is_empty() {
            return Err(InputError::new("a strategy needs a `name`")
                .key(key)
                .expected("name = \"...\""));
        }
        if !names.insert(name.clone()) {
            return Err(
                InputError::new(format!("two strategies are called `{name}`"))
                    .key(format!("{key}.name"))
                    .suggest("give each strategy its own name"),
            );
        }
        let mut merged = defaults.clone();
        check::merge(&mut merged, &t);
        let levers: Levers = check::typed(merged, &key)?;
        levers.validate(&key, years)?;
        check_sector_domains(&levers, &key, domains)?;
        out.push(Strategy {
            name,
            name_zh,
            description,
            description_zh,
            levers,
        });
    }
    Ok(out)
}

fn check_sector_domains(l: &Levers, key: &str, domains: &[DomainDef]) -> Result<(), InputError> {
    for (j, d) in l.coordination.sector_domains.iter().enumerate() {
        if !domains.iter().any(|x| &x.id == d) {
            return Err(
                unknown_name("domain", d, domains.iter().map(|x| x.id.as_str()))
                    .key(format!("{key}.coordination.sector_domains[{j}]")),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(r: Result<Scenario>) -> InputError {
        match r {
            Err(Error::Input(e)) => *e,
            other => panic!("expected an input error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_scenario_gets_defaults() {
        let s = from_str("name = \"t\"", None).unwrap();
        assert_eq!(s.run.years, 5);
        assert_eq!(s.strategies.len(), 1);
        assert_eq!(s.strategies[0].name, "default");
        assert_eq!(s.domains.len(), 7);
    }

    #[test]
    fn strategies_inherit_defaults_deeply() {
        let s = from_str(
            "name = \"t\"\n[defaults]\nplatforms = \"city\"\n[defaults.investment]\nbudget = 2.0\n[[strategy]]\nname = \"a\"\n[[strategy]]\nname = \"b\"\nplatforms = \"provincial\"\n[strategy.investment]\nhardware_deployment = \"uniform\"\n",
            None,
        )
        .unwrap();
        let a = &s.strategies[0].levers;
        let b = &s.strategies[1].levers;
        assert_eq!(a.platforms, crate::mechanisms::platforms::Deployment::City);
        assert_eq!(
            b.platforms,
            crate::mechanisms::platforms::Deployment::Provincial
        );
        assert_eq!(b.investment.budget, 2.0);
        assert_eq!(
            b.investment.hardware_deployment,
            crate::mechanisms::hardware::HardwareDeployment::Uniform
        );
    }

    #[test]
    fn unknown_key_has_location_and_suggestion() {
        let e = input(from_str(
            "name = \"t\"\n[[strategy]]\nname = \"a\"\nplatfroms = \"local\"\n",
            Some(Path::new("s.toml")),
        ));
        assert_eq!(e.location.key.as_deref(), Some("strategy[0].platfroms"));
        assert_eq!(e.location.line_col, Some((4, 1)));
        assert_eq!(e.suggestion.as_deref(), Some("did you mean `platforms`?"));
    }

    #[test]
    fn error_columns_count_characters_in_a_chinese_file() {
        let text = "name = \"示例\"\nname_zh = \"省级统建平台\" bad\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("示例.toml");
        std::fs::write(&path, text).unwrap();
        let e = input(load(&path));
        let line2 = text.lines().nth(1).unwrap();
        let at = line2.find("bad").unwrap();
        // The column an editor shows (characters: 20), not bytes (32).
        let chars = line2[..at].chars().count() + 1;
        assert_eq!(e.location.line_col, Some((2, chars)), "{e:?}");
        assert_ne!(chars, at + 1);
    }

    #[test]
    fn wrong_type_and_bad_enum_name_the_key() {
        let e = input(from_str("[run]\nyears = \"five\"\n", None));
        assert_eq!(e.location.key.as_deref(), Some("run.years"));
        assert_eq!(e.location.line_col, Some((2, 1)));
        let e = input(from_str(
            "[[strategy]]\nname = \"a\"\nplatforms = \"regional\"\n",
            None,
        ));
        assert_eq!(e.location.key.as_deref(), Some("strategy[0].platforms"));
        assert!(e.expected.unwrap().contains("provincial"));
    }

    #[test]
    fn errors_speak_plainly_and_suggest_values() {
        // An enum value: no Rust words, the options listed once, a suggestion.
        let e = input(from_str(
            "[[strategy]]\nname = \"a\"\nplatforms = \"province\"\n",
            None,
        ));
        let text = e.to_string();
        assert!(!text.contains("variant"), "{text}");
        assert_eq!(text.matches("expected").count(), 1, "{text}");
        assert!(
            e.expected.as_deref().unwrap().starts_with("one of: ")
                && e.expected.as_deref().unwrap().contains("provincial"),
            "{text}"
        );
        assert_eq!(e.suggestion.as_deref(), Some("did you mean `provincial`?"));
        // A number given as text.
        let e = input(from_str(
            "[[strategy]]\nname = \"a\"\n[strategy.investment]\nbudget = \"1.5\"\n",
            None,
        ));
        assert_eq!(e.expected.as_deref(), Some("a number"), "{e}");
        assert!(!e.to_string().contains("f64"), "{e}");
        // A sum printed rounded.
        let e = input(from_str(
            "[[strategy]]\nname = \"a\"\n[strategy.investment]\nhardware = 0.4\nplatforms = 0.3\ntalent = 0.2\ndata_governance = 0.2\n",
            None,
        ));
        assert!(e.to_string().contains("sums to 1.1, not 1"), "{e}");
    }

    #[test]
    fn columns_count_characters_in_chinese_files() {
        // `strategy = [{ name = "甲乙", ` is 27 characters (31 bytes).
        let e = input(from_str(
            "strategy = [{ name = \"甲乙\", platforms = \"province\" }]\n",
            None,
        ));
        assert_eq!(e.location.key.as_deref(), Some("strategy[0].platforms"));
        assert_eq!(e.location.line_col, Some((1, 28)));
    }

    #[test]
    fn out_of_range_names_range() {
        let e = input(from_str("[barriers.dare_not]\nweight = 1.5\n", None));
        assert_eq!(e.location.key.as_deref(), Some("barriers.dare_not.weight"));
        assert_eq!(e.location.line_col, Some((2, 1)));
        assert!(e.expected.unwrap().contains("0 to 1"));
    }

    #[test]
    fn syntax_error_has_line() {
        let e = input(from_str("name = \"t\"\n[run\n", None));
        assert_eq!(e.location.line_col.map(|x| x.0), Some(2));
    }

    #[test]
    fn unknown_sector_domain_and_duplicate_strategy() {
        let e = input(from_str(
            "[defaults.coordination]\nsector_domains = [\"social_managment\"]\n",
            None,
        ));
        assert_eq!(
            e.suggestion.as_deref(),
            Some("did you mean `social_management`?")
        );
        let e = input(from_str(
            "[[strategy]]\nname = \"a\"\n[[strategy]]\nname = \"a\"\n",
            None,
        ));
        assert!(e.message.contains("two strategies"));
    }

    #[test]
    fn catalog_overrides_apply() {
        let s = from_str("[[catalog.departments]]\nid = \"tax\"\nvertical = 0.5\n[[catalog.domains]]\nid = \"public_services\"\ncomplexity = 0.9\n", None).unwrap();
        assert_eq!(
            s.departments
                .iter()
                .find(|d| d.id == "tax")
                .unwrap()
                .vertical,
            0.5
        );
        assert_eq!(
            s.domains
                .iter()
                .find(|d| d.id == "public_services")
                .unwrap()
                .complexity,
            0.9
        );
        let e = input(from_str(
            "[[catalog.departments]]\nid = \"taxes\"\nvertical = 0.5\n",
            None,
        ));
        assert_eq!(e.suggestion.as_deref(), Some("did you mean `tax`?"));
    }

    #[test]
    fn bad_scenario_name() {
        let e = input(from_str("name = \"a/b\"", None));
        assert_eq!(e.location.key.as_deref(), Some("name"));
    }
}
