//! The commented scenario template that `tiaokuai new` writes — every key
//! with its default, unit and meaning — and the scenario reference
//! (`docs/scenario-reference.md`) generated from it, so the two cannot
//! drift apart. Tests check that the template names every key the format
//! knows, that its values are the code's defaults, and that the committed
//! reference is up to date (`BLESS=1 cargo test template` rewrites it).

/// The template text.
pub const TEMPLATE: &str = include_str!("template.toml");

/// Marker after which the reference document is generated.
pub const GENERATED_MARK: &str =
    "<!-- generated from src/scenario/template.toml: do not edit below -->";

/// One documented key.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct KeyDoc {
    pub(crate) key: String,
    pub(crate) default: String,
    pub(crate) unit: String,
    pub(crate) meaning: String,
}

/// Every documented key of the template with its full path (`section.key`),
/// commented-out catalogue examples included.
pub(crate) fn documented_keys() -> Vec<KeyDoc> {
    let mut section = String::new();
    let mut out = Vec::new();
    for raw in TEMPLATE.lines() {
        let line = raw.trim();
        if line.starts_with("## ") {
            continue;
        }
        let body = line.strip_prefix("# ").unwrap_or(line);
        if body.starts_with('[') && body.ends_with(']') {
            section = body.trim_matches(|c| c == '[' || c == ']').to_string();
        } else if let Some(doc) = parse_key(body) {
            let key = if section.is_empty() {
                doc.key.clone()
            } else {
                format!("{section}.{}", doc.key)
            };
            out.push(KeyDoc { key, ..doc });
        }
    }
    out
}

/// The reference tables, section by section, as Markdown.
pub fn reference_markdown() -> String {
    let mut out = String::new();
    let mut intro: Vec<String> = Vec::new();
    let mut section = String::new();
    let mut rows: Vec<KeyDoc> = Vec::new();
    let flush =
        |out: &mut String, section: &str, intro: &mut Vec<String>, rows: &mut Vec<KeyDoc>| {
            if rows.is_empty() {
                return;
            }
            let title = if section.is_empty() {
                "Top level".to_string()
            } else {
                format!("`[{section}]`")
            };
            out.push_str(&format!("\n### {title}\n\n"));
            if !intro.is_empty() {
                out.push_str(&format!("{}\n\n", intro.join(" ")));
            }
            out.push_str("| key | default | unit / range | meaning |\n|---|---|---|---|\n");
            for r in rows.iter() {
                out.push_str(&format!(
                    "| `{}` | `{}` | {} | {} |\n",
                    r.key,
                    r.default.replace('|', "\\|"),
                    r.unit,
                    r.meaning
                ));
            }
            intro.clear();
            rows.clear();
        };
    for raw in TEMPLATE.lines() {
        let line = raw.trim();
        if let Some(text) = line.strip_prefix("## ") {
            flush(&mut out, &section, &mut intro, &mut rows);
            intro.push(text.to_string());
            continue;
        }
        let body = line.strip_prefix("# ").unwrap_or(line);
        if body.starts_with('[') && body.ends_with(']') {
            let name = body.trim_matches(|c| c == '[' || c == ']').to_string();
            if name != section {
                flush(&mut out, &section, &mut intro, &mut rows);
                section = name;
            }
            continue;
        }
        if let Some(doc) = parse_key(body) {
            let key = if section.is_empty() {
                doc.key.clone()
            } else {
                format!("{section}.{}", doc.key)
            };
            rows.push(KeyDoc { key, ..doc });
        }
    }
    flush(&mut out, &section, &mut intro, &mut rows);
    out
}

/// `key = value   # meaning [unit]` → its parts; lines without a comment are examples, not docs.
fn parse_key(line: &str) -> Option<KeyDoc> {
    let (lhs, rest) = line.split_once('=')?;
    let key = lhs.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let (value, comment) = rest.split_once(" # ")?;
    let comment = comment.trim();
    let (meaning, unit) = match comment.rfind('[') {
        Some(i) if comment.ends_with(']') => {
            (comment[..i].trim(), &comment[i + 1..comment.len() - 1])
        }
        _ => (comment, ""),
    };
    Some(KeyDoc {
        key: key.to_string(),
        default: value.trim().to_string(),
        unit: unit.to_string(),
        meaning: meaning.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::ModelParams;
    use crate::world::params::WorldParams;

    /// Every leaf key path of a table, arrays of tables by their first element.
    fn leaf_keys(t: &toml::Table, prefix: &str, out: &mut Vec<String>) {
        for (k, v) in t {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                toml::Value::Table(sub) => leaf_keys(sub, &path, out),
                toml::Value::Array(a) if matches!(a.first(), Some(toml::Value::Table(_))) => {
                    if let Some(toml::Value::Table(sub)) = a.first() {
                        leaf_keys(sub, &path, out)
                    }
                }
                _ => out.push(path),
            }
        }
    }

    #[test]
    fn template_validates_with_the_code_defaults() {
        let sc = crate::scenario::from_str(TEMPLATE, None).expect("the template validates");
        assert_eq!(sc.model, ModelParams::default());
        assert_eq!(sc.world, WorldParams::default());
        assert_eq!(
            sc.run,
            crate::scenario::RunParams {
                baseline: "local".into(),
                ..Default::default()
            }
        );
        assert_eq!(sc.departments, crate::catalog::departments::defaults());
    }

    #[test]
    fn reference_documents_every_key() {
        let doc = reference_markdown();
        let mut keys = Vec::new();
        leaf_keys(&crate::scenario::raw::schema(), "", &mut keys);
        for k in keys {
            let shown = k.replace("strategy.", "defaults.");
            let ok = doc.contains(&format!("`{shown}`")) || doc.contains(&format!("`{k}`"));
            assert!(ok, "the template does not document `{k}`");
        }
    }

    #[test]
    fn committed_reference_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/scenario-reference.md");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let head = text.split(GENERATED_MARK).next().unwrap_or("").to_string();
        let want = format!("{head}{GENERATED_MARK}\n{}", reference_markdown());
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, &want).expect("write docs/scenario-reference.md");
        }
        assert!(
            text == want,
            "docs/scenario-reference.md is stale: run `BLESS=1 cargo test template`"
        );
    }

    /// The role-play's keys (`[class]`, `[class.costs]`, `[[role]]`) stand
    /// commented out at the end of the template. Uncommented, they are
    /// accepted by the role-play on a shipped class scenario, give
    /// `ClassParams::default()`, and name every key it has; a key the
    /// role-play does not know is refused (so the check can fail).
    #[test]
    fn class_keys_in_the_template_are_the_role_plays() {
        use crate::class::def::{ClassDef, ClassParams};
        let start = TEMPLATE
            .find("\n# [class]\n")
            .expect("the template documents [class]");
        let uncommented: String = TEMPLATE[start..]
            .lines()
            .map(|l| l.strip_prefix("# ").unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        let play: toml::Table = toml::from_str(&uncommented).expect("the class keys parse");
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/class-province.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let sc = crate::scenario::from_str(&text, Some(&path)).unwrap();
        let world = crate::world::World::build(&sc).unwrap();
        let mut table: toml::Table = toml::from_str(&text).unwrap();
        table.extend(play.clone());
        let def = ClassDef::parse(&table, &sc, &world).expect("the documented role-play parses");
        assert_eq!(def.params, ClassParams::default());
        assert_eq!(def.roles.len(), 1);

        let mut want = Vec::new();
        leaf_keys(
            &toml::Table::try_from(ClassParams::default()).unwrap(),
            "class",
            &mut want,
        );
        let mut have = Vec::new();
        leaf_keys(&play, "", &mut have);
        for k in &want {
            assert!(have.contains(k), "the template does not document `{k}`");
        }
        for k in ["id", "name", "kind", "units", "levers", "budget", "name_zh"] {
            assert!(have.contains(&format!("role.{k}")), "role.{k}");
        }

        let mut wrong = table.clone();
        let role = wrong["role"].as_array_mut().unwrap()[0]
            .as_table_mut()
            .unwrap();
        role.insert("colour".into(), toml::Value::String("red".into()));
        assert!(ClassDef::parse(&wrong, &sc, &world).is_err());
    }

    #[test]
    fn parses_a_key_line() {
        let d =
            parse_key("weight = 0.45            # overall weight of the barrier [0-1]").unwrap();
        assert_eq!(
            (d.key.as_str(), d.default.as_str(), d.unit.as_str()),
            ("weight", "0.45", "0-1")
        );
        assert_eq!(d.meaning, "overall weight of the barrier");
        assert!(parse_key("platforms = \"local\"").is_none());
    }
}
