//! Typed errors of the library and the exit codes the binary maps them to.
//!
//! Rules: the library never prints and never exits; every failure reaches the
//! caller as an [`Error`]. Bad input (anything the user can fix by editing a
//! file or a flag) is [`Error::Input`] and maps to exit code 2; everything
//! else (I/O on the output side, internal invariants) maps to exit code 1.

use std::fmt;
use std::path::PathBuf;

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code for a failure that is not the user's input (disk full, bug).
pub const EXIT_FAILURE: i32 = 1;
/// Exit code for bad input: a scenario, data file or flag the user can fix.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Where in an input file a problem sits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, when the input came from one.
    pub file: Option<PathBuf>,
    /// Dotted key path, e.g. `strategy[1].platforms`.
    pub key: Option<String>,
    /// 1-based line and column.
    pub line_col: Option<(usize, usize)>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            match self.line_col {
                Some((l, c)) => parts.push(format!("{}:{l}:{c}", file.display())),
                None => parts.push(file.display().to_string()),
            }
        } else if let Some((l, c)) = self.line_col {
            parts.push(format!("line {l}, column {c}"));
        }
        if let Some(key) = &self.key {
            parts.push(format!("key `{key}`"));
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// A problem with user input, with enough context to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub location: Location,
    /// What is wrong.
    pub message: String,
    /// What was expected (type, range, list of names).
    pub expected: Option<String>,
    /// A concrete suggestion ("did you mean `platforms`?").
    pub suggestion: Option<String>,
}

impl InputError {
    pub fn new(message: impl Into<String>) -> Self {
        InputError {
            location: Location::default(),
            message: message.into(),
            expected: None,
            suggestion: None,
        }
    }
    pub fn file(mut self, file: impl Into<PathBuf>) -> Self {
        self.location.file = Some(file.into());
        self
    }
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.location.key = Some(key.into());
        self
    }
    pub fn at(mut self, line: usize, col: usize) -> Self {
        self.location.line_col = Some((line, col));
        self
    }
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
    /// Add a suggestion unless one is already there (a "did you mean" wins).
    pub fn suggest_if_none(self, suggestion: impl Into<String>) -> Self {
        if self.suggestion.is_some() {
            self
        } else {
            self.suggest(suggestion)
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = self.location.to_string();
        if loc.is_empty() {
            write!(f, "{}", self.message)?;
        } else {
            write!(f, "{loc}: {}", self.message)?;
        }
        if let Some(e) = &self.expected {
            write!(f, "\n  expected: {e}")?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, "\n  help: {s}")?;
        }
        Ok(())
    }
}

/// Every error the library returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input is wrong; exit code 2.
    #[error("{0}")]
    Input(Box<InputError>),
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// Anything else (an internal invariant broke).
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => EXIT_BAD_INPUT,
            Error::Io { .. } | Error::Other(_) => EXIT_FAILURE,
        }
    }
    /// Name `file` in an input error that does not name a file yet.
    pub fn in_file(self, file: &std::path::Path) -> Self {
        match self {
            Error::Input(mut e) if e.location.file.is_none() => {
                e.location.file = Some(file.to_path_buf());
                Error::Input(e)
            }
            other => other,
        }
    }
    /// Wrap an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        Error::Input(Box::new(e))
    }
}

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A serde or TOML message split into plain words: what was found, what
/// was expected (no Rust type names: "a number", "one of: local, city"),
/// and a did-you-mean for an unknown value.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainMessage {
    pub found: String,
    pub expected: Option<String>,
    pub suggestion: Option<String>,
}

/// Rewrite a deserialiser's message in plain language (see [`PlainMessage`]).
pub fn plain_serde(msg: &str) -> PlainMessage {
    let msg = msg.trim().trim_end_matches('.');
    let (head, exp) = match msg.find(", expected ") {
        Some(i) => (&msg[..i], Some(&msg[i + ", expected ".len()..])),
        None => match msg.strip_prefix("expected ") {
            Some(e) => ("wrong value", Some(e)),
            None => (msg, None),
        },
    };
    let quoted =
        |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(String::from).collect() };
    let mut suggestion = None;
    let found = if let Some(rest) = head.strip_prefix("unknown variant ") {
        if let (Some(word), Some(e)) = (quoted(rest).first(), exp) {
            let options = quoted(e);
            suggestion = did_you_mean(word, options.iter().map(String::as_str))
                .map(|m| format!("did you mean `{m}`?"));
        }
        format!("unknown value {rest}")
    } else if let Some(rest) = head.strip_prefix("unknown field ") {
        if let (Some(word), Some(e)) = (quoted(rest).first(), exp) {
            let options = quoted(e);
            suggestion = did_you_mean(word, options.iter().map(String::as_str))
                .map(|m| format!("did you mean `{m}`?"));
        }
        format!("unknown key {rest}")
    } else if let Some(rest) = head
        .strip_prefix("invalid type: ")
        .or_else(|| head.strip_prefix("invalid value: "))
    {
        format!("found {}", plain_found(rest))
    } else if let Some(rest) = head.strip_prefix("missing field ") {
        format!("missing key {rest}")
    } else {
        head.to_string()
    };
    PlainMessage {
        found,
        expected: exp.map(plain_expected),
        suggestion,
    }
}

/// [`plain_serde`] as one line: "found …, expected …".
pub fn plain_serde_message(msg: &str) -> String {
    let p = plain_serde(msg);
    match p.expected {
        Some(e) => format!("{}, expected {e}", p.found),
        None => p.found,
    }
}

/// "string \"1.5\"" → "text \"1.5\"", "integer `3`" → "the whole number 3", …
fn plain_found(s: &str) -> String {
    let value = |rest: &str| rest.trim().trim_matches('`').to_string();
    if let Some(r) = s.strip_prefix("string ") {
        format!("the text {r}")
    } else if let Some(r) = s.strip_prefix("integer ") {
        format!("the whole number {}", value(r))
    } else if let Some(r) = s.strip_prefix("floating point ") {
        format!("the number {}", value(r))
    } else if let Some(r) = s.strip_prefix("boolean ") {
        value(r)
    } else {
        match s {
            "sequence" => "a list".into(),
            "map" => "a table".into(),
            "unit value" | "null" => "nothing".into(),
            other => other.to_string(),
        }
    }
}

/// A serde "expected" phrase in plain words.
fn plain_expected(e: &str) -> String {
    let e = e.trim().trim_end_matches('.');
    let names: Vec<&str> = e.split('`').skip(1).step_by(2).collect();
    if !names.is_empty() && (e.starts_with("one of ") || e.starts_with('`')) {
        return if names.len() == 1 {
            names[0].to_string()
        } else {
            format!("one of: {}", names.join(", "))
        };
    }
    match e {
        "f64" | "f32" | "a number" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number (0 or more)".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number".into(),
        "a string" | "a borrowed string" | "a string or a map" => "text in quotes".into(),
        "a boolean" | "bool" => "true or false".into(),
        "a sequence" => "a list [ … ]".into(),
        "a map" => "a table".into(),
        "a character" | "char" => "one character".into(),
        other if other.starts_with("struct ") => "a table".into(),
        other if other.starts_with("enum ") => "one of the listed values".into(),
        other => other.to_string(),
    }
}

/// A computed number for a message, rounded to 6 significant decimals so
/// float noise ("1.0999999999999999") does not show.
pub fn rounded(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// 1-based line and column of a byte offset in `text`, the column counted
/// in characters (so a key after Chinese text gets the column an editor
/// shows). An offset inside a character is moved back to its start.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// "no strategy named `name`" at `key`, listing the strategies there are
/// and suggesting the nearest (every command that takes a strategy name).
pub fn unknown_strategy<'a, I>(name: &str, known: I, key: &str) -> InputError
where
    I: IntoIterator<Item = &'a str> + Clone,
{
    let list = known.clone().into_iter().collect::<Vec<_>>().join(", ");
    let e = InputError::new(format!("no strategy named `{name}`"))
        .key(key)
        .expected(list);
    match did_you_mean(name, known) {
        Some(m) => e.suggest(format!("did you mean `{m}`?")),
        None => e,
    }
}

/// The closest candidate to `word` among `candidates`, if one is close enough
/// to be a plausible typo (used for "did you mean" hints).
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_includes_location_expected_and_help() {
        let e = InputError::new("unknown key `platfroms`")
            .file("a.toml")
            .at(3, 1)
            .key("strategy[0].platfroms")
            .expected("one of name, platforms")
            .suggest("did you mean `platforms`?");
        let s = e.to_string();
        assert!(s.starts_with("a.toml:3:1, key `strategy[0].platfroms`: unknown key"));
        assert!(s.contains("expected: one of name, platforms"));
        assert!(s.contains("help: did you mean `platforms`?"));
    }

    #[test]
    fn did_you_mean_finds_typos_only() {
        let c = ["platforms", "standards", "reuse"];
        assert_eq!(did_you_mean("platfroms", c).as_deref(), Some("platforms"));
        assert_eq!(did_you_mean("zzz", c), None);
    }

    #[test]
    fn serde_messages_in_plain_words() {
        let p = plain_serde(
            "unknown variant `province`, expected one of `local`, `city`, `provincial`, `hybrid`",
        );
        assert_eq!(p.found, "unknown value `province`");
        assert_eq!(
            p.expected.as_deref(),
            Some("one of: local, city, provincial, hybrid")
        );
        assert_eq!(p.suggestion.as_deref(), Some("did you mean `provincial`?"));
        assert_eq!(
            plain_serde_message("invalid type: string \"1.5\", expected f64"),
            "found the text \"1.5\", expected a number"
        );
        assert_eq!(
            plain_serde_message("invalid value: integer `-1`, expected u32"),
            "found the whole number -1, expected a whole number (0 or more)"
        );
        assert_eq!(
            plain_serde_message("invalid type: sequence, expected a boolean"),
            "found a list, expected true or false"
        );
        assert_eq!(
            plain_serde("missing field `name`").found,
            "missing key `name`"
        );
        assert_eq!(
            plain_serde("unknown variant `zzz`, expected `a` or `b`").suggestion,
            None
        );
        for rust_name in [
            "f64",
            "u32",
            "i64",
            "usize",
            "a borrowed string",
            "struct Levers",
        ] {
            let m = plain_serde_message(&format!("invalid type: map, expected {rust_name}"));
            assert!(!m.contains(rust_name), "{m}");
        }
    }

    #[test]
    fn rounded_hides_float_noise() {
        assert_eq!(rounded(0.1 + 0.2 + 0.3 + 0.5 - 0.1 + 0.1), "1.1");
        assert_eq!(rounded(1.0999999999999999), "1.1");
        assert_eq!(rounded(1.0), "1");
        assert_eq!(rounded(0.25), "0.25");
        assert_eq!(rounded(-1e-12), "0");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "name = \"示例\"\nname_zh = \"省级平台\" bad\n";
        let off = text.find("bad").unwrap();
        // "name_zh = \"省级平台\" " is 17 characters but 25 bytes.
        assert_eq!(line_col(text, off), (2, 18));
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, text.len() + 5), (3, 1));
        // Inside a multi-byte character: the character's own column.
        let inside = text.find('示').unwrap() + 1;
        assert_eq!(line_col(text, inside), (1, 9));
    }

    #[test]
    fn input_errors_exit_2() {
        let e: Error = InputError::new("x").into();
        assert_eq!(e.exit_code(), EXIT_BAD_INPUT);
    }
}
