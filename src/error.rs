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
    fn line_col_counts_characters_not_bytes() {
        let text = "name = \"示例\"\nname_zh = \"省级平台\" bad\n";
        let off = text.find("bad").unwrap();
        // "name_zh = \"省级平台\" " is 16 characters but 24 bytes.
        assert_eq!(line_col(text, off), (2, 17));
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
