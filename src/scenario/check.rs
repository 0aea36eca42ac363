//! Diagnostics for scenario files: unknown keys with "did you mean",
//! locating a key path in the source (line and column), and typed
//! deserialisation that names the failing key.
//!
//! Rule: every error leaving this module is an [`InputError`] carrying the
//! file, the dotted key path and, where the key exists in the source, its
//! line and column.

use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::error::{InputError, did_you_mean};

/// 1-based line and column of a byte offset (characters, not bytes).
pub use crate::error::line_col;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Parse `strategy[1].investment.budget` into segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(i) = rest.find('[') {
            if i > 0 {
                out.push(Seg::Key(rest[..i].to_string()));
            }
            rest = &rest[i..];
            while let Some(stripped) = rest.strip_prefix('[') {
                let Some(end) = stripped.find(']') else { break };
                if let Ok(n) = stripped[..end].parse() {
                    out.push(Seg::Index(n));
                }
                rest = &stripped[end + 1..];
            }
        } else if !rest.is_empty() {
            out.push(Seg::Key(rest.to_string()));
        }
    }
    out
}

/// Byte span of the deepest part of `path` found in the source: the key
/// itself when it exists, else its nearest existing parent.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let doc = DeTable::parse(text).ok()?;
    let segs = parse_path(path);
    let mut found: Option<usize> = None;
    let mut table: Option<&DeTable> = Some(doc.get_ref());
    let mut value: Option<&DeValue> = None;
    for seg in &segs {
        match seg {
            Seg::Key(k) => {
                let t = match (table, value) {
                    (Some(t), _) => t,
                    (None, Some(DeValue::Table(t))) => t,
                    _ => break,
                };
                let Some((key, v)) = t
                    .iter()
                    .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                else {
                    break;
                };
                found = Some(key.span().start);
                table = None;
                value = Some(v.get_ref());
            }
            Seg::Index(i) => {
                let Some(DeValue::Array(a)) = value else {
                    break;
                };
                let Some(item) = a.get(*i) else { break };
                found = Some(item.span().start);
                value = Some(item.get_ref());
                table = None;
            }
        }
    }
    found
}

/// Attach the file and, when the key is in the source, its line and column.
pub fn place(mut e: InputError, text: &str, file: Option<&Path>) -> InputError {
    // An error in another file the scenario names (an events file) keeps it.
    if e.location.file.is_none() {
        e.location.file = file.map(Path::to_path_buf);
    }
    if e.location.line_col.is_none() {
        if let Some(key) = e.location.key.clone() {
            if let Some(off) = locate(text, &key) {
                e.location.line_col = Some(line_col(text, off));
            }
        }
    }
    e
}

/// Report every key of `user` that `schema` does not know, first one wins.
pub fn unknown_keys(
    user: &toml::Table,
    schema: &toml::Table,
    prefix: &str,
) -> Result<(), InputError> {
    for (k, v) in user {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let Some(s) = schema.get(k) else {
            let mut e = InputError::new(format!("unknown key `{k}`"))
                .key(path)
                .expected(format!(
                    "one of: {}",
                    schema.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
            if let Some(m) = did_you_mean(k, schema.keys().map(String::as_str)) {
                e = e.suggest(format!("did you mean `{m}`?"));
            }
            return Err(e);
        };
        match (v, s) {
            (toml::Value::Table(ut), toml::Value::Table(st)) => unknown_keys(ut, st, &path)?,
            (toml::Value::Array(ua), toml::Value::Array(sa)) => {
                if let Some(toml::Value::Table(st)) = sa.first() {
                    for (i, item) in ua.iter().enumerate() {
                        if let toml::Value::Table(ut) = item {
                            unknown_keys(ut, st, &format!("{path}[{i}]"))?;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Deserialise a table into `T`, naming the failing key on error.
pub fn typed<T: DeserializeOwned>(table: toml::Table, prefix: &str) -> Result<T, InputError> {
    let value = toml::Value::Table(table);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let path = match (prefix.is_empty(), inner.as_str()) {
            (_, ".") => prefix.to_string(),
            (true, _) => inner.clone(),
            (false, _) => format!("{prefix}.{inner}"),
        };
        let plain = crate::error::plain_serde(e.inner().message());
        // What was found goes in the message and what was expected on its
        // own line, once.
        let mut err = InputError::new(format!("wrong value: {}", plain.found)).key(path);
        if let Some(exp) = plain.expected {
            err = err.expected(exp);
        }
        if let Some(s) = plain.suggestion {
            err = err.suggest(s);
        }
        err
    })
}

/// Deep-merge `over` onto `base` (tables merge key by key; anything else replaces).
pub fn merge(base: &mut toml::Table, over: &toml::Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"x\"\n[run]\nyears = 5\n\n[[strategy]]\nname = \"a\"\n[[strategy]]\nname = \"b\"\n[strategy.investment]\nbudget = 2\n";

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path("strategy[1].investment.budget"),
            vec![
                Seg::Key("strategy".into()),
                Seg::Index(1),
                Seg::Key("investment".into()),
                Seg::Key("budget".into())
            ]
        );
    }

    #[test]
    fn locates_keys_and_array_items() {
        let off = locate(DOC, "run.years").unwrap();
        assert_eq!(line_col(DOC, off), (3, 1));
        let off = locate(DOC, "strategy[1].investment.budget").unwrap();
        assert_eq!(line_col(DOC, off), (10, 1));
        // Missing key: nearest parent.
        let off = locate(DOC, "run.seed").unwrap();
        assert_eq!(line_col(DOC, off).0, 2);
    }

    #[test]
    fn unknown_key_suggests() {
        let user: toml::Table = toml::from_str("[run]\nyaers = 3").unwrap();
        let schema: toml::Table = toml::from_str("[run]\nyears = 5\nseed = 1").unwrap();
        let e = unknown_keys(&user, &schema, "").unwrap_err();
        assert_eq!(e.location.key.as_deref(), Some("run.yaers"));
        assert_eq!(e.suggestion.as_deref(), Some("did you mean `years`?"));
    }

    #[test]
    fn merge_is_deep() {
        let mut a: toml::Table = toml::from_str("[x]\na = 1\nb = 2").unwrap();
        let b: toml::Table = toml::from_str("[x]\nb = 3").unwrap();
        merge(&mut a, &b);
        assert_eq!(a["x"]["a"].as_integer(), Some(1));
        assert_eq!(a["x"]["b"].as_integer(), Some(3));
    }
}
