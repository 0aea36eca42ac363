//! Dotted parameter paths into a scenario's TOML tree.
//!
//! Rules: a path names one key, e.g. `barriers.dare_not.weight` or
//! `strategy[1].budget` (array elements by 0-based index). Sweeps only ever
//! set numbers: an integer key stays an integer (the sampled value is
//! rounded), a float key takes the value as is. Missing intermediate
//! tables are created so that a key left at its default can be swept; the
//! scenario validator then decides whether the key exists at all.

use toml::{Table, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn parse(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    if path.trim().is_empty() {
        return Err("the parameter path is empty".into());
    }
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "`{path}` is not a dotted key path (bad segment `{part}`)"
            ));
        }
        steps.push(Step::Key(name.to_string()));
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("`{path}`: unclosed `[` in `{part}`"))?;
            let idx: usize = rest[1..close]
                .parse()
                .map_err(|_| format!("`{path}`: `{}` is not an array index", &rest[1..close]))?;
            steps.push(Step::Index(idx));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("`{path}`: unexpected `{rest}` after an index"));
            }
        }
    }
    Ok(steps)
}

/// What a path currently points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// The key is absent (it may still exist with a default).
    Missing,
    Integer(i64),
    Float(f64),
    /// Present but not a number: the type name, for the error message.
    Other(&'static str),
}

/// Look a path up.
pub fn get(table: &Table, path: &str) -> Result<Target, String> {
    let steps = parse(path)?;
    let mut cur: Option<&Value> = None;
    for (k, step) in steps.iter().enumerate() {
        let next = match (k, step, cur) {
            (0, Step::Key(key), _) => table.get(key),
            (_, Step::Key(key), Some(Value::Table(t))) => t.get(key),
            (_, Step::Index(i), Some(Value::Array(a))) => a.get(*i),
            (_, _, Some(v)) => {
                return Err(format!(
                    "`{path}` goes through a {} where a {} was expected",
                    v.type_str(),
                    if matches!(step, Step::Index(_)) {
                        "list"
                    } else {
                        "table"
                    }
                ));
            }
            (_, _, None) => return Ok(Target::Missing),
        };
        match next {
            Some(v) => cur = Some(v),
            None => {
                if matches!(step, Step::Index(_)) {
                    return Err(format!("`{path}`: index out of range"));
                }
                return Ok(Target::Missing);
            }
        }
    }
    Ok(match cur {
        Some(Value::Integer(i)) => Target::Integer(*i),
        Some(Value::Float(f)) => Target::Float(*f),
        Some(v) => Target::Other(v.type_str()),
        None => Target::Missing,
    })
}

/// Set a path to a number, keeping an existing integer key an integer;
/// returns the value actually stored (rounded for integer keys).
pub fn set(table: &mut Table, path: &str, value: f64) -> Result<f64, String> {
    set_as(table, path, value, false)
}

/// [`set`], storing an integer when `integer` is true even where the key is
/// absent (the schema knows the key is an integer; the file may not).
pub fn set_as(table: &mut Table, path: &str, value: f64, integer: bool) -> Result<f64, String> {
    let steps = parse(path)?;
    let as_value = |old: Option<&Value>| match old {
        Some(Value::Integer(_)) => (Value::Integer(value.round() as i64), value.round()),
        _ if integer => (Value::Integer(value.round() as i64), value.round()),
        _ => (Value::Float(value), value),
    };
    let mut cur: &mut Value = {
        let Step::Key(first) = &steps[0] else {
            return Err(format!("`{path}` must start with a key"));
        };
        if steps.len() == 1 {
            let (v, x) = as_value(table.get(first));
            table.insert(first.clone(), v);
            return Ok(x);
        }
        table
            .entry(first.clone())
            .or_insert_with(|| Value::Table(Table::new()))
    };
    for (k, step) in steps.iter().enumerate().skip(1) {
        let last = k == steps.len() - 1;
        cur = match (step, cur) {
            (Step::Key(key), Value::Table(t)) => {
                if last {
                    let (v, x) = as_value(t.get(key));
                    t.insert(key.clone(), v);
                    return Ok(x);
                }
                t.entry(key.clone())
                    .or_insert_with(|| Value::Table(Table::new()))
            }
            (Step::Index(i), Value::Array(a)) => {
                let len = a.len();
                let slot = a
                    .get_mut(*i)
                    .ok_or_else(|| format!("`{path}`: index {i} out of range (list has {len})"))?;
                if last {
                    let (v, x) = as_value(Some(slot));
                    *slot = v;
                    return Ok(x);
                }
                slot
            }
            (_, v) => {
                return Err(format!(
                    "`{path}` goes through a {} it cannot enter",
                    v.type_str()
                ));
            }
        };
    }
    Err(format!("`{path}` does not end at a key"))
}

/// Every dotted path to a number in the table (for "did you mean" hints).
pub fn numeric_paths(table: &Table) -> Vec<String> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Integer(_) | Value::Float(_) => out.push(prefix.to_string()),
            Value::Table(t) => {
                for (k, v) in t {
                    walk(&format!("{prefix}.{k}"), v, out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(&format!("{prefix}[{i}]"), v, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (k, v) in table {
        walk(k, v, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Table {
        toml::from_str(
            "[run]\nyears = 5\n[barriers.dare_not]\nweight = 0.4\nname = \"x\"\n[[strategy]]\nbudget = 1.0\n[[strategy]]\nbudget = 2.0\n",
        )
        .unwrap()
    }

    #[test]
    fn get_reports_type_and_absence() {
        let t = t();
        assert_eq!(get(&t, "run.years").unwrap(), Target::Integer(5));
        assert_eq!(
            get(&t, "barriers.dare_not.weight").unwrap(),
            Target::Float(0.4)
        );
        assert_eq!(
            get(&t, "barriers.dare_not.name").unwrap(),
            Target::Other("string")
        );
        assert_eq!(get(&t, "strategy[1].budget").unwrap(), Target::Float(2.0));
        assert_eq!(get(&t, "barriers.unable.weight").unwrap(), Target::Missing);
        assert!(get(&t, "strategy[5].budget").is_err());
        assert!(get(&t, "run.years.x").is_err());
        assert!(get(&t, "a..b").is_err());
        assert!(get(&t, "a[x]").is_err());
    }

    #[test]
    fn set_keeps_integers_and_creates_tables() {
        let mut t = t();
        assert_eq!(set(&mut t, "run.years", 6.6).unwrap(), 7.0);
        assert_eq!(get(&t, "run.years").unwrap(), Target::Integer(7));
        set(&mut t, "strategy[0].budget", 3.5).unwrap();
        assert_eq!(get(&t, "strategy[0].budget").unwrap(), Target::Float(3.5));
        set(&mut t, "barriers.unable.weight", 0.2).unwrap();
        assert_eq!(
            get(&t, "barriers.unable.weight").unwrap(),
            Target::Float(0.2)
        );
        assert!(set(&mut t, "strategy[9].budget", 1.0).is_err());
        assert!(set(&mut t, "barriers.dare_not.name.x", 1.0).is_err());
    }

    #[test]
    fn numeric_paths_lists_leaves() {
        let p = numeric_paths(&t());
        assert!(p.contains(&"barriers.dare_not.weight".to_string()));
        assert!(p.contains(&"strategy[1].budget".to_string()));
        assert!(!p.iter().any(|s| s.ends_with("name")));
    }
}
