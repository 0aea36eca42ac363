//! Fuzzing on the stable toolchain: a mutation loop over the committed
//! corpus in `tests/fuzz-corpus/` for the scenario parser and validator,
//! the framework parser and the `assess` CSV reader. Fixed seed and a fixed
//! number of mutations (a few seconds in all), so every run checks the same
//! inputs. Every input must give a value or an input error (exit code 2),
//! never a panic or an internal error. Inputs that once failed are kept in
//! `tests/fuzz-corpus/regressions/` and checked first; a new failure is
//! written to `target/fuzz-failures/` to be added there.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use tiaokuai::Error;
use tiaokuai::assess::data::{ReadOptions, read_files};
use tiaokuai::assess::framework::Framework;
use tiaokuai::scenario;

const ITERATIONS: usize = 8000;

fn corpus(dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut out = Vec::new();
    let mut add = |p: PathBuf| {
        out.push((
            p.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read(&p).unwrap(),
        ))
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.into_iter().for_each(&mut add);
    out
}

/// Regression inputs for one target (`regressions/<target>-*`).
fn regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    corpus("regressions")
        .into_iter()
        .filter(|(n, _)| n.starts_with(&format!("{target}-")))
        .collect()
}

/// xorshift64*: a small deterministic generator (no dependency, fixed seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Tokens that tend to reach edge cases of TOML, numbers and CSV.
const TOKENS: &[&str] = &[
    "1e308",
    "-1e308",
    "1e-320",
    "0",
    "-0",
    "-1",
    "nan",
    "inf",
    "-inf",
    "NA",
    "\"\"",
    "\"",
    "'",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "\n",
    "\r\n",
    "\t",
    "#",
    "\u{feff}",
    "[[strategy]]\n",
    "[[uncertainty]]\n",
    "[experiment]\n",
    "[world]\n",
    "[run]\n",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1000000",
    "true",
    "[]",
    "{}",
    "\"\u{4e2d}\"",
    "\u{0}",
    "\\",
    "\"\"\"",
    "0x10",
    "1_000",
    "2026-11-30",
    "weight",
    "name",
    "id",
];

/// One to four mutations of `input`, sometimes splicing in part of `other`.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let end = (at + 1 + rng.below(64)).min(v.len());
                v.drain(at.min(end)..end);
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            3 if !v.is_empty() => {
                let start = rng.below(v.len());
                let end = (start + 1 + rng.below(200)).min(v.len());
                let chunk = v[start..end].to_vec();
                v.splice(at..at, chunk);
            }
            4 if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + 1 + rng.below(300)).min(other.len());
                v.splice(at..at, other[start..end].iter().copied());
            }
            5 => {
                // Replace a number-looking run of digits with a token.
                if let Some(i) = v[at.min(v.len())..].iter().position(u8::is_ascii_digit) {
                    let s = at + i;
                    let e = s + v[s..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit() || **b == b'.')
                        .count();
                    let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    v.splice(s..e, t.iter().copied());
                }
            }
            _ => {
                let end = (at + rng.below(32)).min(v.len());
                let b = rng.next() as u8;
                v.splice(at..end, std::iter::once(b));
            }
        }
    }
    v
}

/// Why an outcome is a failure, if it is one.
fn judge<T>(r: std::thread::Result<tiaokuai::Result<T>>) -> Option<String> {
    match r {
        Err(p) => Some(format!(
            "panic: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
        Ok(Ok(_)) | Ok(Err(Error::Input(_))) => None,
        Ok(Err(e)) => Some(format!("not an input error: {e}")),
    }
}

/// Run `target` on the regressions, the corpus, then `ITERATIONS` mutants.
fn fuzz(name: &str, dir: &str, seed: u64, target: &dyn Fn(&[u8]) -> Option<String>) {
    let seeds = corpus(dir);
    let mut failures = Vec::new();
    let mut check = |label: String, input: &[u8]| {
        if let Some(why) = target(input) {
            let keep = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/fuzz-failures")
                .join(format!("{name}-{}", failures.len()));
            std::fs::create_dir_all(keep.parent().unwrap()).unwrap();
            std::fs::write(&keep, input).unwrap();
            failures.push(format!(
                "{label}: {why} (input saved to {})",
                keep.display()
            ));
        }
    };
    for (n, input) in regressions(name) {
        check(format!("regression {n}"), &input);
    }
    for (n, input) in &seeds {
        check(format!("corpus {n}"), input);
    }
    let mut rng = Rng(seed);
    for i in 0..ITERATIONS {
        let (n, input) = &seeds[rng.below(seeds.len())];
        let other = &seeds[rng.below(seeds.len())].1;
        let mutant = mutate(&mut rng, input, other);
        check(format!("mutant {i} of {n}"), &mutant);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn quiet<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    catch_unwind(AssertUnwindSafe(f))
}

#[test]
fn fuzz_scenario_parser_and_validator() {
    fuzz("scenario", "scenario", 0x5CE4_A410, &|bytes| {
        let text = String::from_utf8_lossy(bytes);
        judge(quiet(|| scenario::from_str(&text, None)))
    });
}

#[test]
fn fuzz_framework_parser() {
    fuzz("framework", "framework", 0xF7A3_E002, &|bytes| {
        let text = String::from_utf8_lossy(bytes);
        judge(quiet(|| Framework::from_str(&text, None)))
    });
}

#[test]
fn fuzz_assess_csv_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("data.csv");
    fuzz("assess", "assess", 0xA55E_5501, &|bytes| {
        std::fs::write(&file, bytes).unwrap();
        let opts = ReadOptions {
            default_id_col: Some("country-code".into()),
            ..ReadOptions::default()
        };
        judge(quiet(|| {
            let t = read_files(std::slice::from_ref(&file), &opts)?;
            for c in t.columns.clone() {
                // Text and numeric reads of every column.
                t.text(&c)?;
                let _ = t.numeric(&c);
            }
            Ok(())
        }))
    });
}

/// The classroom server's request bodies: parsed and checked against the
/// scenario rules and the server's limits (everything before a world is
/// built). A refusal must be a 4xx answer, never a panic or a 5xx.
#[test]
fn fuzz_server_request_bodies() {
    use tiaokuai::serve::api::{Limits, parse_request, validate};
    use tiaokuai::serve::presets::Presets;
    let presets = Presets::load(None).expect("the embedded presets load");
    let limits = Limits::default();
    fuzz("request", "request", 0x5E4F_E001, &|bytes| {
        // The refusal's status, if any (a small value keeps the closure's
        // result small).
        let outcome = quiet(|| match parse_request(bytes) {
            Err(e) => Some((e.status, e.error)),
            Ok(req) => validate(&presets, &req, &limits)
                .err()
                .map(|e| (e.status, e.error)),
        });
        match outcome {
            Err(_) => Some("panic".into()),
            Ok(Some((status, error))) if !(400..500).contains(&status) => {
                Some(format!("answered {status}: {error}"))
            }
            Ok(_) => None,
        }
    });
}

#[test]
fn the_harness_catches_a_panic_and_an_internal_error() {
    // Negative controls: the judge flags what the targets must never do.
    assert!(
        judge::<()>(quiet(|| panic!("boom")))
            .unwrap()
            .contains("boom")
    );
    assert!(judge::<()>(quiet(|| Err(Error::Other("internal".into())))).is_some());
    assert!(judge::<()>(quiet(|| Err(tiaokuai::InputError::new("bad").into()))).is_none());
}
