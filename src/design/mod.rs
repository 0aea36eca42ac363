//! Experimental designs: what is uncertain (`[[uncertainty]]`), how it is
//! sampled (`[experiment]`), and the samplers behind sweeps and
//! sensitivity analysis.
//!
//! Rules: this module does no I/O and runs no model. It turns a scenario's
//! TOML tree into a list of uncertain parameters and a matrix of design
//! points (rows = points, columns = parameters, values in the parameters'
//! own units). Every random choice is seeded through [`rng::derive_seed`];
//! the same scenario and seed give the same design on any machine.

pub mod distribution;
pub mod morris;
pub mod normal;
pub mod path;
pub mod rng;
pub mod saltelli;
pub mod sample;
pub mod sobol_seq;

use std::path::Path;

use toml::{Table, Value};

use crate::error::did_you_mean;
use crate::{InputError, Result};
pub use distribution::Distribution;

/// One uncertain parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Dotted key path into the scenario, e.g. `barriers.dare_not.weight`.
    pub path: String,
    pub dist: Distribution,
    /// Grid levels for a continuous distribution (`levels = K`).
    pub levels: Option<usize>,
}

/// How a sweep samples the uncertain parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignKind {
    Grid,
    Lhs,
    MonteCarlo,
}

impl DesignKind {
    pub const NAMES: [&'static str; 3] = ["grid", "lhs", "montecarlo"];
    pub fn id(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Lhs => "lhs",
            DesignKind::MonteCarlo => "montecarlo",
        }
    }
}

/// The `[experiment]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentSpec {
    pub design: DesignKind,
    /// Number of points for `lhs` and `montecarlo` (ignored by `grid`).
    pub samples: usize,
    /// Design seed; `None` means the scenario's `run.seed`.
    pub seed: Option<u64>,
}

/// Section names this module owns; the scenario validator never sees them.
pub const SECTIONS: [&str; 2] = ["uncertainty", "experiment"];

/// The table without `[[uncertainty]]` and `[experiment]`, ready for the
/// scenario validator.
pub fn strip(table: &Table) -> Table {
    let mut t = table.clone();
    for s in SECTIONS {
        t.remove(s);
    }
    t
}

fn err(file: Option<&Path>, key: String, msg: impl Into<String>) -> InputError {
    let e = InputError::new(msg).key(key);
    match file {
        Some(f) => e.file(f),
        None => e,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

const UNCERTAINTY_KEYS: [&str; 12] = [
    "path", "dist", "low", "high", "mode", "mean", "sd", "meanlog", "sdlog", "values", "weights",
    "levels",
];

/// Keys each distribution needs (besides `path` and `dist`).
fn needed(kind: &str) -> &'static [&'static str] {
    match kind {
        "uniform" => &["low", "high"],
        "triangular" => &["low", "mode", "high"],
        "normal" => &["mean", "sd"],
        "truncnormal" => &["mean", "sd", "low", "high"],
        "lognormal" => &["meanlog", "sdlog"],
        _ => &["values"],
    }
}

fn parse_one(i: usize, entry: &Value, file: Option<&Path>) -> Result<Uncertainty> {
    let base = format!("uncertainty[{i}]");
    let Value::Table(t) = entry else {
        return Err(err(file, base, "each [[uncertainty]] entry must be a table").into());
    };
    for k in t.keys() {
        if !UNCERTAINTY_KEYS.contains(&k.as_str()) {
            let mut e = err(file, format!("{base}.{k}"), format!("unknown key `{k}`"))
                .expected(UNCERTAINTY_KEYS.join(", "));
            if let Some(s) = did_you_mean(k, UNCERTAINTY_KEYS) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            return Err(e.into());
        }
    }
    let path = match t.get("path") {
        Some(Value::String(s)) => s.clone(),
        _ => {
            return Err(
                err(file, format!("{base}.path"), "missing the parameter `path`")
                    .expected("a dotted key such as \"barriers.dare_not.weight\"")
                    .into(),
            );
        }
    };
    let kind = match t.get("dist") {
        Some(Value::String(s)) => match s.as_str() {
            "truncated_normal" | "truncnorm" => "truncnormal".to_string(),
            other => other.to_string(),
        },
        _ => {
            return Err(err(
                file,
                format!("{base}.dist"),
                "missing the distribution `dist`",
            )
            .expected(distribution::KINDS.join(", "))
            .into());
        }
    };
    if !distribution::KINDS.contains(&kind.as_str()) {
        let mut e = err(
            file,
            format!("{base}.dist"),
            format!("unknown distribution `{kind}`"),
        )
        .expected(distribution::KINDS.join(", "));
        if let Some(s) = did_you_mean(&kind, distribution::KINDS) {
            e = e.suggest(format!("did you mean `{s}`?"));
        }
        return Err(e.into());
    }
    let mut nums = std::collections::BTreeMap::new();
    for k in needed(&kind) {
        if *k == "values" {
            continue;
        }
        let v = t.get(*k).ok_or_else(|| {
            err(
                file,
                format!("{base}.{k}"),
                format!("a {kind} distribution needs `{k}`"),
            )
            .expected(needed(&kind).join(", "))
        })?;
        let x = number(v).ok_or_else(|| {
            err(
                file,
                format!("{base}.{k}"),
                format!("`{k}` must be a number, got a {}", v.type_str()),
            )
        })?;
        nums.insert(*k, x);
    }
    for k in t.keys() {
        let k = k.as_str();
        let own = ["path", "dist", "levels"].contains(&k)
            || needed(&kind).contains(&k)
            || (kind == "categorical" && k == "weights");
        if !own {
            return Err(err(
                file,
                format!("{base}.{k}"),
                format!("`{k}` does not apply to a {kind} distribution"),
            )
            .expected(needed(&kind).join(", "))
            .into());
        }
    }
    let list = |k: &str| -> Result<Vec<f64>> {
        match t.get(k) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| {
                    number(v).ok_or_else(|| {
                        err(
                            file,
                            format!("{base}.{k}"),
                            format!("`{k}` must list numbers, found a {}", v.type_str()),
                        )
                        .into()
                    })
                })
                .collect(),
            Some(v) => Err(err(
                file,
                format!("{base}.{k}"),
                format!("`{k}` must be a list, got a {}", v.type_str()),
            )
            .into()),
        }
    };
    let g = |k: &str| nums[k];
    let dist = match kind.as_str() {
        "uniform" => Distribution::uniform(g("low"), g("high")),
        "triangular" => Distribution::triangular(g("low"), g("mode"), g("high")),
        "normal" => Distribution::normal(g("mean"), g("sd")),
        "truncnormal" => Distribution::trunc_normal(g("mean"), g("sd"), g("low"), g("high")),
        "lognormal" => Distribution::lognormal(g("meanlog"), g("sdlog")),
        _ => {
            if !t.contains_key("values") {
                return Err(err(
                    file,
                    format!("{base}.values"),
                    "a categorical distribution needs `values`",
                )
                .expected("a list of numbers, e.g. values = [0.2, 0.5, 0.8]")
                .into());
            }
            Distribution::categorical(list("values")?, list("weights")?)
        }
    }
    .map_err(|m| {
        err(
            file,
            base.clone(),
            format!("invalid {kind} distribution: {m}"),
        )
    })?;
    let levels = match t.get("levels") {
        None => None,
        Some(Value::Integer(k)) if *k >= 1 => Some(*k as usize),
        Some(v) => {
            return Err(err(
                file,
                format!("{base}.levels"),
                format!("`levels` must be a positive integer, got {v}"),
            )
            .into());
        }
    };
    Ok(Uncertainty { path, dist, levels })
}

/// Parse the `[[uncertainty]]` entries (an empty list when there are none).
pub fn parse_uncertainties(table: &Table, file: Option<&Path>) -> Result<Vec<Uncertainty>> {
    let entries = match table.get("uncertainty") {
        None => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(err(
                file,
                "uncertainty".into(),
                "`uncertainty` must be an array of tables",
            )
            .suggest("write each parameter as its own [[uncertainty]] block")
            .into());
        }
    };
    let mut out: Vec<Uncertainty> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let u = parse_one(i, e, file)?;
        if out.iter().any(|o| o.path == u.path) {
            return Err(err(
                file,
                format!("uncertainty[{i}].path"),
                format!("`{}` is listed twice", u.path),
            )
            .into());
        }
        out.push(u);
    }
    Ok(out)
}

const EXPERIMENT_KEYS: [&str; 3] = ["design", "samples", "seed"];

/// Parse `[experiment]`; `None` when the section is absent.
pub fn parse_experiment(table: &Table, file: Option<&Path>) -> Result<Option<ExperimentSpec>> {
    let t = match table.get("experiment") {
        None => return Ok(None),
        Some(Value::Table(t)) => t,
        Some(_) => {
            return Err(err(file, "experiment".into(), "`experiment` must be a table").into());
        }
    };
    for k in t.keys() {
        if !EXPERIMENT_KEYS.contains(&k.as_str()) {
            let mut e = err(
                file,
                format!("experiment.{k}"),
                format!("unknown key `{k}`"),
            )
            .expected(EXPERIMENT_KEYS.join(", "));
            if let Some(s) = did_you_mean(k, EXPERIMENT_KEYS) {
                e = e.suggest(format!("did you mean `{s}`?"));
            }
            return Err(e.into());
        }
    }
    let design = match t.get("design") {
        None => DesignKind::Lhs,
        Some(Value::String(s)) => match s.as_str() {
            "grid" | "factorial" => DesignKind::Grid,
            "lhs" | "latin" => DesignKind::Lhs,
            "montecarlo" | "mc" => DesignKind::MonteCarlo,
            other => {
                let mut e = err(
                    file,
                    "experiment.design".into(),
                    format!("unknown design `{other}`"),
                )
                .expected(DesignKind::NAMES.join(", "));
                if let Some(s) = did_you_mean(other, DesignKind::NAMES) {
                    e = e.suggest(format!("did you mean `{s}`?"));
                }
                return Err(e.into());
            }
        },
        Some(v) => {
            return Err(err(
                file,
                "experiment.design".into(),
                format!("`design` must be a string, got a {}", v.type_str()),
            )
            .into());
        }
    };
    let samples = match t.get("samples") {
        None if design == DesignKind::Grid => 0,
        None => {
            return Err(err(
                file,
                "experiment.samples".into(),
                format!("a {} design needs `samples`", design.id()),
            )
            .expected("a positive integer")
            .into());
        }
        Some(Value::Integer(n)) if *n >= 1 => *n as usize,
        Some(v) => {
            return Err(err(
                file,
                "experiment.samples".into(),
                format!("`samples` must be a positive integer, got {v}"),
            )
            .into());
        }
    };
    let seed = match t.get("seed") {
        None => None,
        Some(Value::Integer(s)) if *s >= 0 => Some(*s as u64),
        Some(v) => {
            return Err(err(
                file,
                "experiment.seed".into(),
                format!("`seed` must be a non-negative integer, got {v}"),
            )
            .into());
        }
    };
    Ok(Some(ExperimentSpec {
        design,
        samples,
        seed,
    }))
}

/// The sweep's design points in parameter units.
pub fn sweep_points(
    params: &[Uncertainty],
    spec: &ExperimentSpec,
    seed: u64,
) -> Result<Vec<Vec<f64>>> {
    let d = params.len();
    let dists: Vec<&Distribution> = params.iter().map(|p| &p.dist).collect();
    match spec.design {
        DesignKind::Grid => {
            let mut levels = Vec::with_capacity(d);
            for (i, p) in params.iter().enumerate() {
                levels.push(
                    p.dist
                        .grid_values(p.levels)
                        .map_err(|m| InputError::new(m).key(format!("uncertainty[{i}]")))?,
                );
            }
            sample::grid(&levels).map_err(|m| InputError::new(m).key("experiment").into())
        }
        DesignKind::Lhs => Ok(sample::to_values(
            &sample::lhs(spec.samples, d, seed),
            &dists,
        )),
        DesignKind::MonteCarlo => Ok(sample::to_values(
            &sample::montecarlo(spec.samples, d, seed),
            &dists,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &str) -> Table {
        toml::from_str(s).unwrap()
    }

    #[test]
    fn parses_every_distribution() {
        let t = table(
            r#"
            [[uncertainty]]
            path = "a.x"
            dist = "uniform"
            low = 0
            high = 1
            [[uncertainty]]
            path = "a.y"
            dist = "triangular"
            low = 0.0
            mode = 0.2
            high = 1.0
            [[uncertainty]]
            path = "a.z"
            dist = "truncated_normal"
            mean = 0.5
            sd = 0.1
            low = 0.0
            high = 1.0
            [[uncertainty]]
            path = "b"
            dist = "lognormal"
            meanlog = 0.0
            sdlog = 0.5
            [[uncertainty]]
            path = "c"
            dist = "normal"
            mean = 1
            sd = 2
            [[uncertainty]]
            path = "d"
            dist = "categorical"
            values = [1, 2.5]
            weights = [1, 3]
            "#,
        );
        let us = parse_uncertainties(&t, None).unwrap();
        assert_eq!(us.len(), 6);
        assert_eq!(us[2].dist.kind(), "truncnormal");
        assert_eq!(
            us[5].dist,
            Distribution::Categorical {
                values: vec![1.0, 2.5],
                weights: vec![1.0, 3.0]
            }
        );
        assert!(strip(&t).get("uncertainty").is_none());
    }

    fn first_error(s: &str) -> String {
        parse_uncertainties(&table(s), Some(Path::new("s.toml")))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bad_uncertainties_say_what_and_where() {
        let e = first_error("[[uncertainty]]\npath='a'\ndist='uniform'\nlow=1\nhigh=1\n");
        assert!(
            e.contains("uncertainty[0]") && e.contains("less than"),
            "{e}"
        );
        let e = first_error("[[uncertainty]]\npath='a'\ndist='unifrom'\nlow=0\nhigh=1\n");
        assert!(e.contains("did you mean `uniform`"), "{e}");
        let e = first_error("[[uncertainty]]\npath='a'\ndist='normal'\nmean=0\nsd=-1\n");
        assert!(e.contains("sd"), "{e}");
        let e = first_error("[[uncertainty]]\npath='a'\ndist='normal'\nmean=0\n");
        assert!(e.contains("needs `sd`"), "{e}");
        let e = first_error("[[uncertainty]]\npath='a'\ndist='uniform'\nlow='x'\nhigh=1\n");
        assert!(e.contains("must be a number"), "{e}");
        let e = first_error("[[uncertainty]]\npath='a'\ndist='uniform'\nlow=0\nhigh=1\nmean=3\n");
        assert!(e.contains("does not apply"), "{e}");
        let e = first_error("[[uncertainty]]\npath='a'\ndist='uniform'\nlow=0\nhihg=1\n");
        assert!(e.contains("did you mean `high`"), "{e}");
        let e = first_error(
            "[[uncertainty]]\npath='a'\ndist='uniform'\nlow=0\nhigh=1\n[[uncertainty]]\npath='a'\ndist='uniform'\nlow=0\nhigh=1\n",
        );
        assert!(e.contains("twice"), "{e}");
        assert!(e.starts_with("s.toml"), "{e}");
    }

    #[test]
    fn experiment_section_and_points() {
        let t = table(
            "[experiment]\ndesign='grid'\n[[uncertainty]]\npath='a'\ndist='categorical'\nvalues=[1,2]\n[[uncertainty]]\npath='b'\ndist='uniform'\nlow=0\nhigh=1\nlevels=2\n",
        );
        let spec = parse_experiment(&t, None).unwrap().unwrap();
        assert_eq!(spec.design, DesignKind::Grid);
        let us = parse_uncertainties(&t, None).unwrap();
        let pts = sweep_points(&us, &spec, 1).unwrap();
        assert_eq!(
            pts,
            vec![
                vec![1.0, 0.25],
                vec![1.0, 0.75],
                vec![2.0, 0.25],
                vec![2.0, 0.75]
            ]
        );

        let lhs = ExperimentSpec {
            design: DesignKind::Lhs,
            samples: 10,
            seed: None,
        };
        let pts = sweep_points(&us, &lhs, 1).unwrap();
        assert_eq!(pts.len(), 10);
        assert!(
            pts.iter()
                .all(|r| (r[0] == 1.0 || r[0] == 2.0) && (0.0..1.0).contains(&r[1]))
        );

        let e = parse_experiment(&table("[experiment]\ndesign='lhs'\n"), None).unwrap_err();
        assert!(e.to_string().contains("needs `samples`"));
        let e =
            parse_experiment(&table("[experiment]\ndesign='gird'\nsamples=3\n"), None).unwrap_err();
        assert!(e.to_string().contains("did you mean `grid`"));
        assert!(parse_experiment(&table("[run]\n"), None).unwrap().is_none());
    }
}
