//! The "Assumed vs emergent" table of docs/ODD.md, generated from the
//! measurements of `tests/stylised_facts.rs`.
//!
//! The table sits between `<!-- facts:begin -->` and `<!-- facts:end -->`.
//! Its hand-written cells (the fact, its kind, what is measured, the driving
//! parameters, the negative control, the evidence) come from
//! `tests/data/facts.toml`; its numbers come from the run. A cell of the
//! data file may quote a measured value as `{name}` or `{name@world}`
//! (`name@world` is what a fact's test recorded; in a world-type column the
//! world is that column's), and may state what the prose relies on as
//! `{name|relation}`, where the relation is `above` (the interval lies above
//! zero), `below`, `covers` (zero is inside), `not_above` or `not_below`.
//! `{default:path}` quotes a parameter's default (from
//! `src/scenario/template.toml`), so prose naming a default follows it.
//! A world-type column defaults to `{effect}`, the control column to the
//! three controls joined (`0 / 0 / 0` when all are zero, followed by
//! "(reverses)" when all three lie below zero). Numbers are `mean [low,
//! high]` with a sign, the unicode minus and the row's decimals; zero
//! (within 1e-9, rounding residue) is `0`.
//!
//! Each fact's test renders its own rows and compares them with the
//! document, naming the fact and the column that differ; with `BLESS=1` it
//! rewrites them instead (`BLESS=1 cargo test --release --test
//! stylised_facts`). A relation that no longer holds fails in both modes:
//! the prose in `tests/data/facts.toml` must change, not only the number.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use tiaokuai::stats::Summary;

/// The world-type columns, in table order.
pub const WORLDS: [&str; 3] = ["east-rich", "west-poor", "china-county"];

const BEGIN: &str = "<!-- facts:begin -->";
const END: &str = "<!-- facts:end -->";
const HEADER: &str = "| fact | kind | effect measured | driving parameters | negative control | east-rich | west-poor | china-county | control (east / west / china) | evidence for an assumption |\n|---|---|---|---|---|---|---|---|---|---|";
const COLUMNS: [&str; 10] = [
    "fact",
    "kind",
    "effect measured",
    "driving parameters",
    "negative control",
    "east-rich",
    "west-poor",
    "china-county",
    "control",
    "evidence",
];
/// Values closer to zero than this are floating-point residue, shown as `0`.
const NOISE: f64 = 1e-9;
const BLESS_CMD: &str = "BLESS=1 cargo test --release --test stylised_facts";

/// Serialises rewrites of docs/ODD.md by the tests of one run.
static DOC: Mutex<()> = Mutex::new(());

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn doc_path() -> PathBuf {
    root().join("docs/ODD.md")
}

/// One row of `tests/data/facts.toml`: hand-written cells and formats.
#[derive(Clone, Debug)]
pub struct Spec {
    pub id: String,
    /// The first cell; also how the row is found in the document.
    pub fact: String,
    prose: [String; 4],
    evidence: String,
    decimals: usize,
    decimals_by_world: BTreeMap<String, usize>,
    /// Templates replacing a default numeric cell (`east-rich`, …, `control`).
    cells: BTreeMap<String, String>,
    /// Relations checked without being printed (`name@world relation`).
    claims: Vec<String>,
}

/// Every row of `tests/data/facts.toml`, in table order.
pub fn specs() -> Vec<Spec> {
    let path = root().join("tests/data/facts.toml");
    let text = std::fs::read_to_string(&path).expect("tests/data/facts.toml is readable");
    let table: toml::Table = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("tests/data/facts.toml is not valid TOML: {e}"));
    let rows = table
        .get("row")
        .and_then(|r| r.as_array())
        .expect("tests/data/facts.toml has [[row]] tables");
    let specs: Vec<Spec> = rows.iter().map(spec).collect();
    let mut ids: Vec<&str> = specs.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        specs.len(),
        "tests/data/facts.toml repeats an id"
    );
    specs
}

fn spec(v: &toml::Value) -> Spec {
    let t = v.as_table().expect("a [[row]] is a table");
    let s = |k: &str| -> String {
        t.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_else(|| panic!("tests/data/facts.toml: a row lacks the string `{k}`: {t:?}"))
            .to_string()
    };
    let id = s("id");
    let known = [
        "id",
        "fact",
        "kind",
        "effect",
        "driving",
        "negative_control",
        "evidence",
        "decimals",
        "decimals_by_world",
        "cells",
        "claims",
    ];
    for k in t.keys() {
        assert!(
            known.contains(&k.as_str()),
            "tests/data/facts.toml, row {id}: unknown key `{k}` (expected one of {known:?})"
        );
    }
    let int = |x: &toml::Value, what: &str| -> usize {
        x.as_integer()
            .and_then(|i| usize::try_from(i).ok())
            .unwrap_or_else(|| panic!("tests/data/facts.toml, row {id}: `{what}` is not a count"))
    };
    let decimals_by_world = t
        .get("decimals_by_world")
        .and_then(|x| x.as_table())
        .map(|m| {
            m.iter()
                .map(|(w, d)| {
                    assert!(
                        WORLDS.contains(&w.as_str()),
                        "tests/data/facts.toml, row {id}: unknown world `{w}` in decimals_by_world"
                    );
                    (w.clone(), int(d, "decimals_by_world"))
                })
                .collect()
        })
        .unwrap_or_default();
    let cells = t
        .get("cells")
        .and_then(|x| x.as_table())
        .map(|m| {
            m.iter()
                .map(|(c, x)| {
                    assert!(
                        WORLDS.contains(&c.as_str()) || c == "control",
                        "tests/data/facts.toml, row {id}: `cells.{c}` is not a numeric column (expected a world type or `control`)"
                    );
                    let x = x.as_str().unwrap_or_else(|| {
                        panic!("tests/data/facts.toml, row {id}: `cells.{c}` is not a string")
                    });
                    (c.clone(), x.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    let claims = t
        .get("claims")
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().expect("a claim is a string").to_string())
                .collect()
        })
        .unwrap_or_default();
    Spec {
        fact: s("fact"),
        prose: [s("kind"), s("effect"), s("driving"), s("negative_control")],
        evidence: s("evidence"),
        decimals: int(
            t.get("decimals")
                .unwrap_or_else(|| panic!("tests/data/facts.toml, row {id}: no `decimals`")),
            "decimals",
        ),
        decimals_by_world,
        cells,
        claims,
        id,
    }
}

/// The default of a numeric scenario key (dotted path), read from
/// `src/scenario/template.toml`, whose values the library's tests keep equal
/// to the code's defaults.
pub fn default(path: &str) -> f64 {
    let text = std::fs::read_to_string(root().join("src/scenario/template.toml"))
        .expect("src/scenario/template.toml is readable");
    let table: toml::Table = toml::from_str(&text).expect("the template is valid TOML");
    let mut v: Option<&toml::Value> = None;
    for (n, part) in path.split('.').enumerate() {
        v = if n == 0 {
            table.get(part)
        } else {
            v.and_then(|t| t.get(part))
        };
    }
    match v {
        Some(toml::Value::Float(x)) => *x,
        Some(toml::Value::Integer(i)) => *i as f64,
        _ => panic!("`{path}` is not a numeric key of src/scenario/template.toml"),
    }
}

/// A parameter value as a reader writes it: `40`, `0.8`.
fn shown(x: f64) -> String {
    format!("{x}")
}

/// A number with `d` decimals, a sign, and the unicode minus; exactly zero
/// is `0`.
pub fn num(x: f64, d: usize) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if x < 0.0 {
        format!("−{:.d$}", -x)
    } else {
        format!("+{x:.d$}")
    }
}

/// `mean [low, high]`.
pub fn interval(s: &Summary, d: usize) -> String {
    format!(
        "{} [{}, {}]",
        num(s.mean, d),
        num(s.ci95_low, d),
        num(s.ci95_high, d)
    )
}

fn zero(s: &Summary) -> bool {
    s.mean == 0.0 && s.ci95_low == 0.0 && s.ci95_high == 0.0
}

fn holds(s: &Summary, relation: &str) -> Option<bool> {
    Some(match relation {
        "above" => s.ci95_low > 0.0,
        "below" => s.ci95_high < 0.0,
        "covers" => s.ci95_low <= 0.0 && s.ci95_high >= 0.0,
        "not_above" => s.ci95_low <= 0.0,
        "not_below" => s.ci95_high >= 0.0,
        _ => return None,
    })
}

/// The measured values of one fact's rows, by `name@world`.
#[derive(Default)]
pub struct Measured {
    values: BTreeMap<String, Summary>,
}

impl Measured {
    /// Record `s` as `name@world`; a bound within [`NOISE`] of zero is
    /// taken as zero (a control's paired difference of identical runs
    /// keeps rounding residue of order 1e-15).
    pub fn put(&mut self, name: &str, world: &str, s: &Summary) {
        assert!(WORLDS.contains(&world), "unknown world type {world}");
        let clean = |x: f64| if x.abs() < NOISE { 0.0 } else { x };
        let s = Summary {
            mean: clean(s.mean),
            ci95_low: clean(s.ci95_low),
            ci95_high: clean(s.ci95_high),
            ..*s
        };
        self.values.insert(format!("{name}@{world}"), s);
    }

    /// Render the rows `ids` of the data file and compare them with
    /// docs/ODD.md, or rewrite them there under `BLESS`.
    pub fn check(&self, ids: &[&str]) {
        let specs = specs();
        let mut rows = Vec::new();
        for id in ids {
            let spec = specs
                .iter()
                .find(|s| s.id == *id)
                .unwrap_or_else(|| panic!("tests/data/facts.toml has no row `{id}`"));
            rows.push((spec.fact.clone(), self.render(spec)));
        }
        let _guard = DOC.lock().unwrap_or_else(|e| e.into_inner());
        let text = std::fs::read_to_string(doc_path()).expect("docs/ODD.md is readable");
        let (_, have) = block(&text);
        if std::env::var_os("BLESS").is_some() {
            let mut have = have;
            for (fact, row) in rows {
                have.insert(fact, row);
            }
            write_block(&text, &specs, &have);
            return;
        }
        let problems = differences(&have, &rows);
        assert!(
            problems.is_empty(),
            "docs/ODD.md, \"Assumed vs emergent\" differs from this run:\n  {}\nIf the model change is meant, run `{BLESS_CMD}` and review the diff (prose cells live in tests/data/facts.toml).",
            problems.join("\n  ")
        );
    }

    fn value(&self, spec: &Spec, key: &str) -> &Summary {
        self.values.get(key).unwrap_or_else(|| {
            panic!(
                "tests/data/facts.toml, row {}: `{key}` is not measured by the fact's test (measured: {:?})",
                spec.id,
                self.values.keys().collect::<Vec<_>>()
            )
        })
    }

    fn decimals(spec: &Spec, world: &str) -> usize {
        spec.decimals_by_world
            .get(world)
            .copied()
            .unwrap_or(spec.decimals)
    }

    /// `name@world` checked against `relation`; panics naming the row when
    /// the prose no longer holds.
    fn claim(&self, spec: &Spec, key: &str, relation: &str) {
        let s = self.value(spec, key);
        let world = key.rsplit('@').next().unwrap_or_default();
        match holds(s, relation) {
            None => panic!(
                "tests/data/facts.toml, row {}: unknown relation `{relation}` for `{key}` (expected above, below, covers, not_above or not_below)",
                spec.id
            ),
            Some(false) => panic!(
                "docs/ODD.md, fact `{}`: the text says `{key}` is `{relation}` zero, but this run gives {}; rewrite the prose of row {} in tests/data/facts.toml, then run `{BLESS_CMD}`",
                spec.fact,
                interval(s, Self::decimals(spec, world) + 2),
                spec.id
            ),
            Some(true) => {}
        }
    }

    /// Fill the `{…}` placeholders of a template; `world` is the column's.
    fn fill(&self, spec: &Spec, template: &str, world: Option<&str>) -> String {
        let mut out = String::new();
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let j = rest[i..].find('}').unwrap_or_else(|| {
                panic!(
                    "tests/data/facts.toml, row {}: unclosed `{{` in `{template}`",
                    spec.id
                )
            });
            let inner = &rest[i + 1..i + j];
            if let Some(path) = inner.strip_prefix("default:") {
                out.push_str(&shown(default(path)));
                rest = &rest[i + j + 1..];
                continue;
            }
            let (name, relation) = match inner.split_once('|') {
                Some((n, r)) => (n, Some(r)),
                None => (inner, None),
            };
            let key = match (name.contains('@'), world) {
                (true, _) => name.to_string(),
                (false, Some(w)) => format!("{name}@{w}"),
                (false, None) => panic!(
                    "tests/data/facts.toml, row {}: `{{{inner}}}` outside a world-type column needs `@world`",
                    spec.id
                ),
            };
            if let Some(r) = relation {
                self.claim(spec, &key, r);
            }
            let w = key.rsplit('@').next().unwrap_or_default();
            out.push_str(&interval(self.value(spec, &key), Self::decimals(spec, w)));
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The markdown row of `spec` from this run.
    fn render(&self, spec: &Spec) -> String {
        for c in &spec.claims {
            let (key, relation) = c.split_once(' ').unwrap_or_else(|| {
                panic!(
                    "tests/data/facts.toml, row {}: claim `{c}` is not `name@world relation`",
                    spec.id
                )
            });
            self.claim(spec, key, relation);
        }
        let mut cells: Vec<String> = vec![spec.fact.clone()];
        cells.extend(spec.prose.iter().map(|p| self.fill(spec, p, None)));
        for w in WORLDS {
            let t = spec.cells.get(w).map_or("{effect}", String::as_str);
            cells.push(self.fill(spec, t, Some(w)));
        }
        cells.push(match spec.cells.get("control") {
            Some(t) => self.fill(spec, t, None),
            None => {
                let c: Vec<&Summary> = WORLDS
                    .iter()
                    .map(|w| self.value(spec, &format!("control@{w}")))
                    .collect();
                if c.iter().all(|s| zero(s)) {
                    "0 / 0 / 0".to_string()
                } else {
                    let joined = WORLDS
                        .iter()
                        .zip(&c)
                        .map(|(w, s)| interval(s, Self::decimals(spec, w)))
                        .collect::<Vec<_>>()
                        .join(" / ");
                    if c.iter().all(|s| s.ci95_high < 0.0) {
                        format!("{joined} (reverses)")
                    } else {
                        joined
                    }
                }
            }
        });
        cells.push(self.fill(spec, &spec.evidence, None));
        format!("| {} |", cells.join(" | "))
    }
}

/// What differs between the document's rows (by fact) and this run's, one
/// line per fact and column.
fn differences(have: &BTreeMap<String, String>, rows: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (fact, want) in rows {
        match have.get(fact) {
            None => problems.push(format!("fact `{fact}`: no row in the table")),
            Some(got) if got != want => {
                let (g, w) = (cells(got), cells(want));
                if g.len() != w.len() {
                    problems.push(format!(
                        "fact `{fact}`: the row has {} cells, expected {}\n    doc: {got}\n    run: {want}",
                        g.len(),
                        w.len()
                    ));
                    continue;
                }
                for (i, (g, w)) in g.iter().zip(&w).enumerate() {
                    if g != w {
                        problems.push(format!(
                            "fact `{fact}`, column `{}`:\n    doc: {g}\n    run: {w}",
                            COLUMNS[i]
                        ));
                    }
                }
            }
            Some(_) => {}
        }
    }
    problems
}

/// The cells of a markdown row.
fn cells(row: &str) -> Vec<String> {
    let s = row.trim();
    let s = s.strip_prefix('|').unwrap_or(s);
    let s = s.strip_suffix('|').unwrap_or(s);
    s.split(" | ").map(|c| c.trim().to_string()).collect()
}

/// The header and the rows (by their first cell) between the markers.
fn block(text: &str) -> (String, BTreeMap<String, String>) {
    let (i, j) = span(text);
    let body = &text[i..j];
    let mut header = String::new();
    let mut rows = BTreeMap::new();
    for (n, line) in body.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        if n < 2 {
            header.push_str(line);
            if n == 0 {
                header.push('\n');
            }
            continue;
        }
        let first = cells(line).into_iter().next().unwrap_or_default();
        assert!(
            rows.insert(first.clone(), line.to_string()).is_none(),
            "docs/ODD.md: the facts table has two rows for `{first}`"
        );
    }
    (header, rows)
}

/// Byte range between the markers.
fn span(text: &str) -> (usize, usize) {
    let count = |m: &str| text.matches(m).count();
    assert!(
        count(BEGIN) == 1 && count(END) == 1,
        "docs/ODD.md must hold `{BEGIN}` and `{END}` once each around the \"Assumed vs emergent\" table"
    );
    let i = text
        .find(BEGIN)
        .map(|i| i + BEGIN.len())
        .unwrap_or_default();
    let j = text.find(END).unwrap_or_default();
    assert!(i <= j, "docs/ODD.md: `{END}` comes before `{BEGIN}`");
    (i, j)
}

/// Rewrite the block: header, then the rows of `have` in data-file order
/// (rows no longer in the data file are dropped).
fn write_block(text: &str, specs: &[Spec], have: &BTreeMap<String, String>) {
    let (i, j) = span(text);
    let mut body = format!("\n{HEADER}\n");
    for s in specs {
        if let Some(r) = have.get(&s.fact) {
            body.push_str(r);
            body.push('\n');
        }
    }
    body.push('\n');
    let mut out = text.to_string();
    out.replace_range(i..j, &body);
    if out != text {
        std::fs::write(doc_path(), out).expect("docs/ODD.md is writable");
    }
}

/// The block's header and row order follow the data file (under `BLESS`,
/// rows are put in order and stale ones dropped).
pub fn check_layout() {
    let specs = specs();
    let _guard = DOC.lock().unwrap_or_else(|e| e.into_inner());
    let text = std::fs::read_to_string(doc_path()).expect("docs/ODD.md is readable");
    let (header, rows) = block(&text);
    if std::env::var_os("BLESS").is_some() {
        write_block(&text, &specs, &rows);
        return;
    }
    assert_eq!(
        header, HEADER,
        "docs/ODD.md: the facts table's header differs; run `{BLESS_CMD}`"
    );
    let want: Vec<&str> = specs.iter().map(|s| s.fact.as_str()).collect();
    let (i, j) = span(&text);
    let got: Vec<String> = text[i..j]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .skip(2)
        .map(|l| cells(l).into_iter().next().unwrap_or_default())
        .collect();
    assert_eq!(
        got, want,
        "docs/ODD.md: the facts table's rows differ from tests/data/facts.toml; run `{BLESS_CMD}`"
    );
    assert_eq!(rows.len(), specs.len());
}

// The machinery itself, on synthetic rows (no model run).

#[cfg(test)]
fn synthetic(mean: f64, low: f64, high: f64) -> Summary {
    Summary {
        n: 20,
        mean,
        sd: 0.0,
        ci95_low: low,
        ci95_high: high,
        p05: low,
        p50: mean,
        p95: high,
    }
}

#[cfg(test)]
fn synthetic_spec(extra: &str) -> Spec {
    let text = format!(
        "[[row]]\nid = \"x\"\nfact = \"x fact\"\nkind = \"assumption\"\neffect = \"`m`\"\ndriving = \"`flow.up_mandate` {{default:flow.up_mandate}}\"\nnegative_control = \"off\"\nevidence = \"see {{real@china-county}}\"\ndecimals = 3\n{extra}"
    );
    let t: toml::Table = toml::from_str(&text).expect("valid TOML");
    spec(&t["row"].as_array().expect("rows")[0])
}

#[cfg(test)]
fn synthetic_values(control: f64) -> Measured {
    let mut m = Measured::default();
    for (i, w) in WORLDS.iter().enumerate() {
        let e = 0.1 * (i + 1) as f64;
        m.put("effect", w, &synthetic(e, e - 0.01, e + 0.01));
        let half = if control == 0.0 { 0.0 } else { 0.001 };
        m.put(
            "control",
            w,
            &synthetic(control, control - half, control + half),
        );
    }
    m.put(
        "real",
        "china-county",
        &synthetic(-0.7639, -0.8533, -0.6744),
    );
    m
}

#[test]
fn facts_table_formats_numbers_as_the_document_does() {
    assert_eq!(num(0.31251, 3), "+0.313");
    assert_eq!(num(-0.0036, 3), "−0.004");
    assert_eq!(num(4727.79, 0), "+4728");
    assert_eq!(num(0.0, 2), "0");
    assert_eq!(interval(&synthetic(0.0, 0.0, 0.0), 2), "0 [0, 0]");
    let mut m = Measured::default();
    m.put("effect", "east-rich", &synthetic(1e-16, -3e-16, 4e-16));
    assert_eq!(interval(&m.values["effect@east-rich"], 2), "0 [0, 0]");
    let row = synthetic_values(-0.2).render(&synthetic_spec(""));
    assert_eq!(
        row,
        format!(
            "| x fact | assumption | `m` | `flow.up_mandate` {} | off | +0.100 [+0.090, +0.110] | +0.200 [+0.190, +0.210] | +0.300 [+0.290, +0.310] | −0.200 [−0.201, −0.199] / −0.200 [−0.201, −0.199] / −0.200 [−0.201, −0.199] (reverses) | see −0.764 [−0.853, −0.674] |",
            default("flow.up_mandate")
        )
    );
    let zero = synthetic_values(0.0).render(&synthetic_spec(""));
    assert!(zero.contains(" | 0 / 0 / 0 | "), "{zero}");
}

#[test]
fn facts_table_names_the_fact_and_column_that_moved() {
    let spec = synthetic_spec("");
    let row = synthetic_values(0.0).render(&spec);
    let doc: BTreeMap<String, String> = [(spec.fact.clone(), row.clone())].into();
    let rows = vec![(spec.fact.clone(), row.clone())];
    assert!(differences(&doc, &rows).is_empty());
    let moved = vec![(spec.fact.clone(), row.replace("+0.200 [", "+0.201 ["))];
    let problems = differences(&doc, &moved);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("fact `x fact`, column `west-poor`:"),
        "{}",
        problems[0]
    );
    let missing = differences(&BTreeMap::new(), &rows);
    assert_eq!(missing, ["fact `x fact`: no row in the table"]);
}

#[test]
#[should_panic(expected = "the text says `real@china-county` is `above` zero")]
fn facts_table_fails_when_the_prose_no_longer_holds() {
    let spec = synthetic_spec("");
    let spec = Spec {
        evidence: "the centre leads: {real@china-county|above}".to_string(),
        ..spec
    };
    synthetic_values(0.0).render(&spec);
}

#[test]
fn facts_table_rows_render_from_the_data_file() {
    // Every row of the data file parses, and its cells only name known columns.
    let specs = specs();
    assert!(specs.len() >= 10, "{} rows", specs.len());
    for s in &specs {
        assert!(
            !s.fact.contains(" | "),
            "row {}: `|` in the fact cell",
            s.id
        );
    }
}
