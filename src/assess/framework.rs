//! Frameworks: a composite indicator declared in TOML (index → pillars →
//! indicators, any depth), as the validated, immutable [`Framework`] the
//! rest of the engine trusts. Parsing and validation live in
//! [`super::validate`].
//!
//! Rules: nodes are stored children-before-parents with the index last,
//! which is the order the scorer evaluates them in; a framework, once built,
//! is never mutated except by the Monte Carlo on its own clones.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::aggregate::Aggregation;
use super::normalise::{Direction, Normalisation};
use super::pretreat::{Imputation, Outliers};
use crate::{Error, InputError, Result};

/// How a node's value is normalised before its parent aggregates it.
#[derive(Debug, Clone, PartialEq)]
pub struct NormSpec {
    pub method: Normalisation,
    pub direction: Direction,
    pub goalposts: Option<(f64, f64)>,
    pub target: Option<f64>,
}

/// What a leaf reads and how it is pre-treated.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorSpec {
    /// Source column in the data.
    pub source: String,
    pub imputation: Imputation,
    pub outliers: Outliers,
}

/// How an inner node combines its children.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateSpec {
    /// Indices into [`Framework::nodes`].
    pub children: Vec<usize>,
    /// One weight per child, as declared (not normalised).
    pub weights: Vec<f64>,
    pub aggregation: Aggregation,
    /// Minimum share of children with data for the aggregate to exist.
    pub min_coverage: f64,
}

/// Leaf or inner node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Indicator(IndicatorSpec),
    Aggregate(AggregateSpec),
}

/// One node of the hierarchy.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub description: Option<String>,
    pub kind: NodeKind,
    /// `None` for the index (whose value goes to the rescaling instead).
    pub norm: Option<NormSpec>,
    pub parent: Option<usize>,
}

impl Node {
    pub fn is_indicator(&self) -> bool {
        matches!(self.kind, NodeKind::Indicator(_))
    }
}

/// Final rescaling of the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rescale {
    None,
    /// Min–max over the units scored together, onto `to`.
    MinMax {
        to: (f64, f64),
    },
    /// A fixed linear map from `from` onto `to` (unit-independent).
    Linear {
        from: (f64, f64),
        to: (f64, f64),
    },
}

/// A named band (tier, stage) starting at `min`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    pub name_zh: Option<String>,
    /// Lower threshold (inclusive); `-inf` for an open lowest band.
    pub min: f64,
    pub description: Option<String>,
}

/// The methodological choices declared uncertain.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UncertaintySpec {
    /// Each weight is multiplied by U(1 − s, 1 + s); 0 = fixed.
    pub weights: f64,
    pub normalisation: Vec<Normalisation>,
    pub aggregation: Vec<Aggregation>,
    pub imputation: Vec<Imputation>,
}

/// Parameters of the skew/kurtosis outlier rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutlierRule {
    pub winsor: (f64, f64),
    pub skew_max: f64,
    pub kurt_max: f64,
    pub winsor_max: usize,
}

/// A validated, immutable framework.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub description: Option<String>,
    pub id_col: Option<String>,
    pub group_col: Option<String>,
    /// Children before parents; the index is last.
    pub nodes: Vec<Node>,
    pub outlier_rule: OutlierRule,
    pub rescale: Rescale,
    /// Ascending by `min`.
    pub bands: Vec<Band>,
    pub uncertainty: UncertaintySpec,
    pub origin: Option<PathBuf>,
    /// The file's text, for a byte copy into outputs.
    pub text: String,
}

const BUILTIN: &str = include_str!("../../frameworks/tiaokuai.toml");

impl Framework {
    /// Read and validate a framework file.
    pub fn load(path: &Path) -> Result<Framework> {
        let bytes = crate::input::read(path)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::from(
                InputError::new(format!("framework is not UTF-8: {e}"))
                    .file(path)
                    .expected("a readable UTF-8 TOML file"),
            )
        })?;
        Framework::from_str(&text, Some(path))
    }

    /// Validate framework text (`origin` only labels errors).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, origin: Option<&Path>) -> Result<Framework> {
        super::raw::parse(text, origin)
    }

    /// The built-in simulator framework (`frameworks/tiaokuai.toml`).
    pub fn tiaokuai_default() -> Framework {
        Framework::from_str(BUILTIN, Some(Path::new("frameworks/tiaokuai.toml")))
            .expect("the built-in framework is validated by its unit test")
    }

    /// Index of the root (the index node).
    pub fn root(&self) -> usize {
        self.nodes.len() - 1
    }

    /// Source column names the framework reads, in indicator order.
    pub fn columns(&self) -> Vec<String> {
        let mut seen = BTreeSet::new();
        self.nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Indicator(i) => Some(i.source.clone()),
                NodeKind::Aggregate(_) => None,
            })
            .filter(|s| seen.insert(s.clone()))
            .collect()
    }

    /// Inner nodes other than the index (the "pillars"), in file order of depth-first traversal.
    pub fn pillars(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.walk(self.root(), &mut |i| {
            if i != self.root() && !self.nodes[i].is_indicator() {
                out.push(i);
            }
        });
        out
    }

    /// Pre-order walk from `i` (parents before children, declared order).
    pub fn walk(&self, i: usize, f: &mut dyn FnMut(usize)) {
        f(i);
        if let NodeKind::Aggregate(a) = &self.nodes[i].kind {
            for &c in &a.children {
                self.walk(c, f);
            }
        }
    }

    /// Band/stage for an index value; `None` when missing or below every band.
    pub fn band(&self, index: f64) -> Option<&Band> {
        self.band_number(index)
            .checked_sub(1)
            .map(|i| &self.bands[i as usize])
    }

    /// 1-based band number (0 when missing or below every band).
    pub fn band_number(&self, index: f64) -> u8 {
        if index.is_nan() {
            return 0;
        }
        self.bands.iter().take_while(|b| index >= b.min).count() as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[framework]
id = "t"
name = "Test"
[index]
children = ["a", "p"]
weights = { a = 1, p = 3 }
[[pillar]]
id = "p"
children = ["b", "c"]
[[indicator]]
id = "a"
[[indicator]]
id = "b"
source = "col_b"
direction = "lower"
[[indicator]]
id = "c"
normalisation = "goalposts"
goalposts = [0, 10]
[[band]]
name = "low"
[[band]]
name = "high"
min = 0.5
"#;

    fn err(text: &str) -> String {
        Framework::from_str(text, None).unwrap_err().to_string()
    }

    #[test]
    fn builds_children_before_parents() {
        let fw = Framework::from_str(SMALL, None).unwrap();
        let ids: Vec<&str> = fw.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "p", "index"]);
        assert_eq!(fw.columns(), ["a", "col_b", "c"]);
        assert_eq!(fw.pillars(), [3]);
        assert_eq!(fw.nodes[1].parent, Some(3));
        assert_eq!(fw.band(0.7).unwrap().name, "high");
        assert_eq!(fw.band(0.1).unwrap().name, "low");
        assert_eq!(fw.band_number(f64::NAN), 0);
    }

    #[test]
    fn dangling_child_suggests() {
        let e = err(&SMALL.replace("children = [\"b\", \"c\"]", "children = [\"b\", \"cc\"]"));
        assert!(e.contains("`cc` is not a declared"), "{e}");
        assert!(e.contains("did you mean `c`"), "{e}");
    }

    #[test]
    fn cycle_is_reported() {
        let text = SMALL.replace(
            "[[indicator]]\nid = \"a\"",
            "[[pillar]]\nid = \"q\"\nchildren = [\"r\"]\n[[pillar]]\nid = \"r\"\nchildren = [\"q\"]\n[[indicator]]\nid = \"a\"",
        );
        let e = err(&text);
        assert!(e.contains("cycle in the hierarchy"), "{e}");
    }

    #[test]
    fn orphan_and_two_parents_rejected() {
        let e = err(&format!("{SMALL}\n[[indicator]]\nid = \"z\"\n"));
        assert!(e.contains("not reachable"), "{e}");
        let e = err(&SMALL.replace(
            "children = [\"a\", \"p\"]",
            "children = [\"a\", \"p\", \"b\"]",
        ));
        assert!(e.contains("child of both"), "{e}");
    }

    #[test]
    fn bad_weights_rejected() {
        let e = err(&SMALL.replace("a = 1, p = 3", "a = -1, p = 3"));
        assert!(e.contains("negative"), "{e}");
        let e = err(&SMALL.replace("a = 1, p = 3", "a = 1"));
        assert!(e.contains("no weight for child `p`"), "{e}");
        let e = err(&SMALL.replace("a = 1, p = 3", "a = 1, p = 1, pp = 2"));
        assert!(e.contains("not a child"), "{e}");
    }

    #[test]
    fn unknown_keys_and_values_hint() {
        let e = err(&SMALL.replace("children = [\"a\", \"p\"]", "childs = [\"a\", \"p\"]"));
        assert!(e.contains("did you mean `children`"), "{e}");
        assert!(e.contains(":"), "{e}");
        let e = err(&SMALL.replace(
            "goalposts = [0, 10]",
            "goalposts = [0, 10]\ndirection = \"up\"",
        ));
        assert!(e.contains("unknown direction"), "{e}");
        let e = err(&SMALL.replace(
            "normalisation = \"goalposts\"",
            "normalisation = \"goalpost\"",
        ));
        assert!(e.contains("did you mean `goalposts`"), "{e}");
    }

    #[test]
    fn missing_parameters_rejected() {
        let e = err(&SMALL.replace("goalposts = [0, 10]", ""));
        assert!(e.contains("needs `goalposts"), "{e}");
        let text = SMALL.replacen(
            "[[band]]",
            "[defaults]\nnormalisation = \"zscore\"\naggregation = \"geometric\"\n[[band]]",
            1,
        );
        let e = err(&text);
        assert!(e.contains("cannot be combined with zscore"), "{e}");
    }

    #[test]
    fn builtin_frameworks_validate() {
        let fw = Framework::tiaokuai_default();
        assert_eq!(fw.bands.len(), 5);
        // The columns the simulator feeds (the contract with the core).
        let mut cols = fw.columns();
        cols.sort();
        let mut want = crate::engine::maturity::COLUMNS;
        want.sort();
        assert_eq!(cols, want);
        let thresholds: Vec<f64> = fw.bands.iter().map(|b| b.min).collect();
        assert_eq!(thresholds, [0.0, 20.0, 40.0, 60.0, 80.0]);
        assert!(matches!(fw.rescale, Rescale::Linear { .. }));
        assert!(
            fw.nodes
                .iter()
                .filter_map(|n| n.norm.as_ref())
                .all(|s| s.method == Normalisation::Goalposts || s.method == Normalisation::None)
        );
        for f in ["egdi", "oecd-dgi", "china-online-service", "tiaokuai"] {
            let path = format!("{}/frameworks/{f}.toml", env!("CARGO_MANIFEST_DIR"));
            Framework::load(Path::new(&path)).unwrap_or_else(|e| panic!("{f}: {e}"));
        }
    }
}
