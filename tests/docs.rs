//! Executable documentation: every ```console block of `README*.md` and
//! `docs/**/*.md` is run against the shipped binary and its output compared
//! with what the document shows (trycmd), so a change that moves a
//! documented number fails here until the document is updated.
//!
//! Each document runs in its own scratch folder, seeded with a copy of the
//! repository's `scenarios/`, `data/`, `frameworks/`, `examples/` and
//! `benches/`; its blocks run in the order they appear and share that
//! folder, as for a reader who follows the document on a fresh clone.
//! `../shared/data` (public data that is not part of the repository; or
//! `TIAOKUAI_SHARED_DATA`) is linked beside the scratch folder when it
//! exists; without it, blocks that read it are left out and the test says
//! so.
//!
//! Re-bless after a change that moves documented output (then review the
//! diff of the documents):
//!
//! ```sh
//! BLESS=1 cargo test --release --test docs
//! ```
//!
//! In a block, `[..]` stands for any text within a line and a line `...`
//! for any number of lines (timings, progress lines, the rest of a long
//! listing). Blessing runs every command with no expected output, then
//! writes the output back in its elided form by itself ([`bless_output`]):
//! timings (`in 1.2 s`, `(0.4 s)`, `(136 runs/s)`) become `[..]`, a sweep's
//! progress lines become one `...`, and every `[..]` or `...` the document
//! had is kept where the output still fits it, so the diff shows only
//! numbers that moved. (`TRYCMD=overwrite` does the same.) Blocks in any
//! other language (```sh, ```text, ...) are not run: they are for commands
//! that cannot run in a test (a server, a scheduler) or for excerpts of
//! files; an excerpt of output that no console block can produce is
//! compared by a test of its own (`merge_check_excerpt_is_what_merge_check_prints`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Programs a documented command may start. Anything else would be skipped
/// silently by trycmd, so it is refused here.
const PROGRAMS: &[&str] = &["tiaokuai", "grep", "cmp", "head", "cut"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `README*.md` at the top and every `.md` under `docs/` (any depth), sorted.
fn documents() -> Vec<PathBuf> {
    let root = repo();
    let mut out = Vec::new();
    for e in fs::read_dir(&root).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("README") && name.ends_with(".md") && p.is_file() {
            out.push(p);
        }
    }
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    walk(&root.join("docs"), &mut out);
    out.sort();
    out
}

/// One fenced block: its info string, first line number and lines.
struct Block {
    info: String,
    line: usize,
    body: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(String, Block)> = None;
    for (i, line) in text.lines().enumerate() {
        let ticks = line.chars().take_while(|&c| c == '`').count();
        match &mut open {
            Some((fence, b)) => {
                if line.starts_with(fence.as_str()) && line[fence.len()..].trim().is_empty() {
                    out.push(open.take().unwrap().1);
                } else {
                    b.body.push(line.to_string());
                }
            }
            None if ticks >= 3 => {
                let info = line[ticks..].trim().to_string();
                open = Some((
                    "`".repeat(ticks),
                    Block {
                        info,
                        line: i + 1,
                        body: Vec::new(),
                    },
                ));
            }
            None => {}
        }
    }
    assert!(open.is_none(), "a fenced block is not closed");
    out
}

/// A block trycmd runs: ```console or ```trycmd without `ignore`, and (as
/// trycmd reads them) fences with no language at all.
fn runs(b: &Block) -> bool {
    let mut info = b.info.split(',');
    let lang = info.next().unwrap_or("");
    matches!(lang, "" | "console" | "trycmd") && !info.any(|i| i == "ignore")
}

fn commands(b: &Block) -> impl Iterator<Item = &str> {
    b.body.iter().filter_map(|l| l.strip_prefix("$ "))
}

/// The lines of a run block: each command's header (`$ `, `> ` and `? `
/// lines) and the output lines after it.
fn segments(body: &[String]) -> Vec<(Vec<String>, Vec<String>)> {
    let mut out: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for line in body {
        let header = line.starts_with("$ ")
            || out.last().is_some_and(|(_, o)| {
                o.is_empty() && (line.starts_with("> ") || line.starts_with("? "))
            });
        match out.last_mut() {
            Some((h, o)) if !line.starts_with("$ ") => {
                if header { h } else { o }.push(line.clone())
            }
            _ => out.push((vec![line.clone()], Vec::new())),
        }
    }
    out
}

/// `text` with the output of every run block removed (commands kept).
fn strip_outputs(text: &str) -> String {
    replace_run_blocks(text, |body| {
        segments(body).into_iter().flat_map(|(h, _)| h).collect()
    })
}

/// `text` with the body of every run block replaced by `f(body)`.
fn replace_run_blocks(text: &str, mut f: impl FnMut(&[String]) -> Vec<String>) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut next = 0;
    for b in blocks(text).iter().filter(|b| runs(b)) {
        out.extend(lines[next..b.line].iter().map(|l| l.to_string()));
        out.extend(f(&b.body));
        next = b.line + b.body.len();
    }
    out.extend(lines[next..].iter().map(|l| l.to_string()));
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// The document as blessed: `before` with each run block's output taken
/// from `raw` (the same document, every output as the command printed it)
/// in the elided form of [`bless_output`].
fn bless_document(before: &str, raw: &str) -> String {
    let mut raw_blocks = blocks(raw).into_iter().filter(runs);
    replace_run_blocks(before, |old| {
        let new = raw_blocks.next().expect("the same blocks in both");
        let (old, new) = (segments(old), segments(&new.body));
        assert_eq!(old.len(), new.len(), "the same commands in both");
        old.iter()
            .zip(new)
            .flat_map(|((h, o), (_, n))| {
                let mut lines = h.clone();
                lines.extend(bless_output(o, &n));
                lines
            })
            .collect()
    })
}

/// Whether `line` matches the documented `pattern`, where `[..]` stands
/// for any text (as trycmd reads it).
fn line_matches(line: &str, pattern: &str) -> bool {
    let mut parts = pattern.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// A sweep's progress line without a terminal: `N/M experiments · …`.
fn is_progress(line: &str) -> bool {
    line.split_once(' ').is_some_and(|(count, rest)| {
        rest.starts_with("experiments · ")
            && count
                .split_once('/')
                .is_some_and(|(a, b)| [a, b].iter().all(|x| x.parse::<u64>().is_ok()))
    })
}

/// Timings in a line as `[..]`: a number of seconds after ` in ` or `(`
/// (`in 1.23 s`, `(0.4 s)`, `in 2.0 s;`) and a rate in `(136 runs/s)`.
fn elide_timings(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        let (before, from) = rest.split_at(at);
        let len = from
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(from.len());
        let (number, after) = from.split_at(len);
        let opens = before.ends_with(" in ") || before.ends_with('(');
        let seconds = after.strip_prefix(" s").is_some_and(|a| {
            a.is_empty() || a.starts_with(')') || a.starts_with(';') || a.starts_with(" (")
        });
        let rate = before.ends_with('(') && after.starts_with(" runs/s)");
        out.push_str(before);
        out.push_str(if opens && (seconds || rate) {
            "[..]"
        } else {
            number
        });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// One command's output as blessed: timings elided, progress lines folded
/// into `...`, and the document's own elisions (`old`) kept where the new
/// output still fits them. A `...` of `old` keeps as many lines before it
/// as `old` shows; the lines after it are found by their first line (for a
/// `...` between shown lines) or counted from the end (after the last).
fn bless_output(old: &[String], raw: &[String]) -> Vec<String> {
    let mut new: Vec<String> = Vec::new();
    for line in raw {
        if is_progress(line) {
            if new.last().is_none_or(|l| l != "...") {
                new.push("...".into());
            }
        } else {
            new.push(elide_timings(line));
        }
    }
    let keep = |n: &String, o: Option<&String>| match o {
        Some(o) if o != "..." && line_matches(n, o) => o.clone(),
        _ => n.clone(),
    };
    let pieces: Vec<&[String]> = old.split(|l| l == "...").collect();
    let mut out = Vec::new();
    let mut pos = 0;
    for (k, piece) in pieces.iter().enumerate() {
        if k > 0 {
            if new.get(pos).is_some_and(|l| l == "...") {
                pos += 1;
            }
            let start = if k + 1 == pieces.len() {
                if piece.is_empty() {
                    new.len()
                } else {
                    new.len().saturating_sub(piece.len()).max(pos)
                }
            } else {
                match new[pos..]
                    .iter()
                    .position(|n| piece.first().is_some_and(|o| line_matches(n, o)))
                {
                    Some(at) => pos + at,
                    None => break,
                }
            };
            out.push("...".to_string());
            pos = start;
        }
        let last = k + 1 == pieces.len();
        let take = if last {
            new.len() - pos
        } else {
            piece.len().min(new.len() - pos)
        };
        for t in 0..take {
            out.push(keep(&new[pos + t], piece.get(t)));
        }
        pos += take;
    }
    out.extend(new[pos..].iter().cloned());
    // Blank lines after the output separate commands in the document.
    if !old.is_empty() {
        let blank = |v: &[String]| v.iter().rev().take_while(|l| l.is_empty()).count();
        out.truncate(out.len() - blank(&out));
        out.extend(std::iter::repeat_n(String::new(), blank(old)));
    }
    out
}

/// The checks that do not need the binary: every run block starts with a
/// command of an allowed program, none has an empty info string.
fn lint(doc: &Path, text: &str) -> Result<usize, String> {
    let mut n = 0;
    for b in blocks(text).iter().filter(|b| runs(b)) {
        let at = format!("{}:{}", doc.display(), b.line);
        if b.info.is_empty() {
            return Err(format!(
                "{at}: a fenced block without a language is run as a test by trycmd; \
                 write ```console (with `$ ` commands and their output) or ```sh/```text"
            ));
        }
        if !b.body.first().is_some_and(|l| l.starts_with("$ ")) {
            return Err(format!(
                "{at}: a ```console block starts with a `$ ` command"
            ));
        }
        for c in commands(b) {
            let words: Vec<_> = c.split_whitespace().collect();
            let prog = words
                .iter()
                .find(|w| !w.contains('='))
                .copied()
                .unwrap_or("");
            if !PROGRAMS.contains(&prog) {
                return Err(format!(
                    "{at}: `{prog}` is not a program the documentation test runs \
                     (one of {PROGRAMS:?}); mark the block ```sh if it cannot run in a test"
                ));
            }
        }
        n += 1;
    }
    Ok(n)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

fn which(prog: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

#[test]
fn documented_commands_print_what_the_documents_show() {
    let root = repo();
    let stage = tempfile::tempdir().unwrap();
    // `../shared/data` as the documents name it: beside the repository (as
    // in CI) or where TIAOKUAI_SHARED_DATA points.
    let shared = std::env::var_os("TIAOKUAI_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data"));
    let have_shared = shared.is_dir();
    if have_shared {
        fs::create_dir(stage.path().join("shared")).unwrap();
        let data = shared.canonicalize().unwrap();
        std::os::unix::fs::symlink(data, stage.path().join("shared/data")).unwrap();
    }
    let bless = std::env::var_os("BLESS").is_some()
        || std::env::var("TRYCMD").is_ok_and(|m| m == "overwrite");
    if bless {
        // SAFETY: set before any command starts; the other tests of this
        // file are pure functions that neither read nor write the
        // environment.
        unsafe { std::env::set_var("TRYCMD", "overwrite") };
    }

    let cases = trycmd::TestCases::new();
    cases.register_bin("tiaokuai", PathBuf::from(env!("CARGO_BIN_EXE_tiaokuai")));
    for p in PROGRAMS.iter().filter(|p| **p != "tiaokuai") {
        let path = which(p).unwrap_or_else(|| panic!("`{p}` is not on PATH"));
        cases.register_bin(*p, path);
    }

    // staged file -> (document, text as staged)
    let mut staged: BTreeMap<PathBuf, (PathBuf, String, bool)> = BTreeMap::new();
    let mut summary = Vec::new();
    for doc in documents() {
        let rel = doc.strip_prefix(&root).unwrap().to_path_buf();
        let text = fs::read_to_string(&doc).unwrap();
        let n = lint(&rel, &text).unwrap_or_else(|e| panic!("{e}"));
        summary.push(format!("{}: {n}", rel.display()));
        if n == 0 {
            continue;
        }
        // Blocks that read ../shared/ are left out when it is absent.
        let mut staged_text = text.clone();
        let mut left_out = false;
        if !have_shared {
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for b in blocks(&text).iter().filter(|b| runs(b)) {
                if commands(b).any(|c| c.contains("../shared/")) {
                    lines[b.line - 1].push_str(",ignore");
                    left_out = true;
                    eprintln!(
                        "docs: {}:{} not run: ../shared/data (or TIAOKUAI_SHARED_DATA) is absent",
                        rel.display(),
                        b.line
                    );
                }
            }
            staged_text = lines.join("\n") + "\n";
        }
        let flat = rel.to_string_lossy().replace(['/', '\\'], "__");
        let md = stage.path().join(&flat);
        // Blessing runs every command with no expected output, so trycmd
        // writes back exactly what the command printed.
        fs::write(
            &md,
            if bless {
                strip_outputs(&staged_text)
            } else {
                staged_text.clone()
            },
        )
        .unwrap();
        let cwd = md.with_extension("in");
        for d in ["scenarios", "data", "frameworks", "examples", "benches"] {
            copy_dir(&root.join(d), &cwd.join(d));
        }
        eprintln!("docs: {} runs as {}", rel.display(), md.display());
        cases.case(&md);
        staged.insert(md, (doc, staged_text, left_out));
    }
    eprintln!("docs: console blocks under test: {}", summary.join(", "));
    cases.run();

    if bless {
        for (md, (doc, before, left_out)) in &staged {
            let after = bless_document(before, &fs::read_to_string(md).unwrap());
            if after == *before {
                continue;
            }
            assert!(
                !left_out,
                "{}: not overwritten because blocks that need ../shared/data were left out",
                doc.display()
            );
            fs::write(doc, after).unwrap();
            eprintln!("docs: updated {}", doc.display());
        }
    }
}

#[test]
fn lint_refuses_blocks_trycmd_would_misread() {
    let ok = "```console\n$ tiaokuai --version\ntiaokuai [..]\n```\n```sh\nsbatch x\n```\n";
    assert_eq!(lint(Path::new("a.md"), ok), Ok(1));
    let bare = "```\ncargo run --release -- serve\n```\n";
    assert!(
        lint(Path::new("a.md"), bare)
            .unwrap_err()
            .contains("without a language")
    );
    let foreign = "```console\n$ sbatch job.sbatch\n```\n";
    assert!(
        lint(Path::new("a.md"), foreign)
            .unwrap_err()
            .contains("`sbatch`")
    );
    let ignored = "```console,ignore\n$ sbatch job.sbatch\n```\n";
    assert_eq!(lint(Path::new("a.md"), ignored), Ok(0));
}

/// The numbers of a prose paragraph: decimal numbers outside `code`, not
/// percentages (those are levels such as "95% interval"), with their sign
/// dropped (prose says "866 million less" of a difference of −866).
fn prose_numbers(par: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in par.split('`').enumerate() {
        if i % 2 == 1 {
            continue; // inside `code`
        }
        let chars: Vec<char> = part.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let starts = chars[k].is_ascii_digit()
                && (k == 0 || !(chars[k - 1].is_alphanumeric() || chars[k - 1] == '.'));
            if !starts {
                k += 1;
                continue;
            }
            let mut num = String::new();
            while k < chars.len()
                && (chars[k].is_ascii_digit()
                    || (matches!(chars[k], '.' | ',')
                        && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit())))
            {
                if chars[k] != ',' {
                    num.push(chars[k]);
                }
                k += 1;
            }
            let word_follows = chars.get(k).is_some_and(|c| c.is_alphabetic() || *c == '%');
            if !word_follows {
                out.push(num);
            }
        }
    }
    out
}

/// Every number of the output lines of the document's console blocks.
fn output_numbers(text: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for b in blocks(text).iter().filter(|b| runs(b)) {
        for line in b.body.iter().filter(|l| !l.starts_with("$ ")) {
            for tok in
                line.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
            {
                if let Ok(x) = tok.trim_matches(|c| c == '.' || c == 'e').parse::<f64>() {
                    out.push(x.abs());
                }
            }
        }
    }
    out
}

/// Numbers of the paragraphs after a `<!-- numbers` marker that no console
/// output of the same document gives at the prose's precision.
fn unmatched_prose_numbers(text: &str) -> Vec<String> {
    let outputs = output_numbers(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut missing = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.starts_with("<!-- numbers") {
            continue;
        }
        let par: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.trim().is_empty())
            .copied()
            .collect();
        for n in prose_numbers(&par.join(" ")) {
            let decimals = n.split_once('.').map_or(0, |(_, d)| d.len());
            let found = outputs.iter().any(|x| format!("{x:.decimals$}") == n);
            if !found {
                missing.push(format!("{} (line {})", n, i + 2));
            }
        }
    }
    missing
}

#[test]
fn numbers_quoted_in_prose_are_in_the_checked_output() {
    let root = repo();
    let mut checked = 0;
    for doc in documents() {
        let text = fs::read_to_string(&doc).unwrap();
        checked += text
            .lines()
            .filter(|l| l.starts_with("<!-- numbers"))
            .count();
        let missing = unmatched_prose_numbers(&text);
        assert!(
            missing.is_empty(),
            "{}: numbers in prose that no console block of the document shows \
             (update the prose after re-blessing): {missing:?}",
            doc.strip_prefix(&root).unwrap().display()
        );
    }
    assert!(checked > 0, "no paragraph is marked `<!-- numbers`");
}

#[test]
fn prose_check_catches_a_stale_number() {
    let doc = "```console\n$ tiaokuai compare x\nprovincial,local,cost_total,5,30,-865.77,-870.67,-860.87\n```\n\n\
               <!-- numbers -->\nIt saves 866 million [−871, −861] over 30 replicates (95% interval).\n";
    assert_eq!(
        prose_numbers("a 95% b `x 7` c −0.059, 1,190 items and 3 d"),
        ["0.059", "1190", "3"]
    );
    assert!(unmatched_prose_numbers(doc).is_empty());
    let stale = doc.replace("866 million", "870 million");
    assert_eq!(unmatched_prose_numbers(&stale), ["870 (line 7)"]);
}

#[test]
fn blessing_elides_timings_progress_and_the_documents_own_cuts() {
    let v = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    // Timings and rates, whatever the number; counts and paths stay.
    for (raw, blessed) in [
        (
            "baseline — 1 strategies × 20 replicates, 5 years, seed 42 (0.7 s)",
            "baseline — 1 strategies × 20 replicates, 5 years, seed 42 ([..] s)",
        ),
        (
            "96 experiments (0 resumed, 0 failed), 192 runs in 1.4 s (136 runs/s) → outputs/s",
            "96 experiments (0 resumed, 0 failed), 192 runs in [..] s ([..] runs/s) → outputs/s",
        ),
        (
            "1002 simulations in 12.5 s; final tolerance 1.44 sd → outputs/c",
            "1002 simulations in [..] s; final tolerance 1.44 sd → outputs/c",
        ),
        (
            "wrote outputs/pvl/report.html in 0.05 s",
            "wrote outputs/pvl/report.html in [..] s",
        ),
        ("trust 0.5 (2 s.d.)", "trust 0.5 (2 s.d.)"),
        ("years 1 to 5 s", "years 1 to 5 s"),
    ] {
        assert_eq!(elide_timings(raw), blessed);
    }
    // Progress lines fold into one `...`; a new number shows.
    let old = v("...\n96 experiments in [..] s\n");
    let raw = v(
        "48/96 experiments · 130 runs/s · 0.7 s\n96/96 experiments · 136 runs/s · 1.4 s\n97 experiments in 1.4 s\n",
    );
    assert_eq!(bless_output(&old, &raw), v("...\n97 experiments in [..] s"));
    // A listing cut by the document stays cut: head kept, tail counted
    // from the end, a middle cut found by its first line.
    let old = v("   1  KOR  0.93\n   2  DNK  0.81\n...\n 193  SOM  0.05\nwrote o\n");
    let raw = v(
        "   1  KOR  0.94\n   2  DNK  0.81\n   3  GBR  0.77\n   4  X  0.5\n 193  SOM  0.05\nwrote o\n",
    );
    assert_eq!(
        bless_output(&old, &raw),
        v("   1  KOR  0.94\n   2  DNK  0.81\n...\n 193  SOM  0.05\nwrote o")
    );
    let old = v("a\n...\nuncertainty: [..] draws\nb\n...\n");
    let raw = v("a\nx\ny\nuncertainty: 1000 draws\nb\nc\nd\n");
    assert_eq!(
        bless_output(&old, &raw),
        v("a\n...\nuncertainty: [..] draws\nb\n...")
    );
    // A document blessed with the output it shows does not change.
    let doc = "# t\n\n```console\n$ tiaokuai run x\n? 2\nerror: [..]\n\n$ tiaokuai list\na\n...\n```\n\ntext\n";
    let raw = "# t\n\n```console\n$ tiaokuai run x\n? 2\nerror: bad x\n\n$ tiaokuai list\na\nb\nc\n```\n\ntext\n";
    assert_eq!(
        strip_outputs(doc),
        "# t\n\n```console\n$ tiaokuai run x\n? 2\n$ tiaokuai list\n```\n\ntext\n"
    );
    assert_eq!(bless_document(doc, raw), doc);
    // Without the fold, a raw progress line would reach the document.
    assert_ne!(
        bless_document(
            doc,
            &raw.replace("a\nb", "1/2 experiments · 3 runs/s · 0.1 s\na\nb")
        ),
        raw.replace("a\nb", "1/2 experiments · 3 runs/s · 0.1 s\na\nb")
    );
}

/// The marker before the excerpt of `merge --check` in `docs/experiments.md`.
const MERGE_CHECK_MARK: &str =
    "<!-- merge --check excerpt: tests/docs.rs, merge_check_excerpt_is_what_merge_check_prints -->";

/// `docs/experiments.md` shows what `merge --check` prints for the shards
/// of `scenarios/uncertainty.toml` in 4 parts with shard 1 killed after 9
/// experiments and shard 2 never started. No console block can kill a
/// shard, so this test leaves shard 1 as a kill does (in its `.partial`
/// folder, the manifest not complete, 9 rows written), runs the command
/// the document names and compares stdout then stderr with the excerpt
/// (`BLESS=1` rewrites it).
#[test]
fn merge_check_excerpt_is_what_merge_check_prints() {
    let root = repo();
    let doc = root.join("docs/experiments.md");
    let text = fs::read_to_string(&doc).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mark = lines
        .iter()
        .position(|l| *l == MERGE_CHECK_MARK)
        .expect("docs/experiments.md marks the merge --check excerpt");
    assert_eq!(
        lines[mark + 1],
        "```text",
        "the marker precedes a ```text block"
    );
    let end = mark + 2 + lines[mark + 2..].iter().position(|l| *l == "```").unwrap();
    let excerpt = lines[mark + 2..end].join("\n") + "\n";

    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root.join("scenarios"), &tmp.path().join("scenarios"));
    let tk = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tiaokuai"))
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let part = |i: usize| format!("outputs/uncertainty-sweep-shards/part-{i}");
    for i in [0, 1, 3] {
        let shard = format!("{i}/4");
        let run = tk(&[
            "sweep",
            "scenarios/uncertainty.toml",
            "--shard",
            &shard,
            "--out",
            &part(i),
            "--replicates",
            "1",
            "--quiet",
        ]);
        assert!(run.status.success(), "{run:?}");
    }
    let (done, killed) = (
        tmp.path().join(part(1)),
        tmp.path().join(part(1) + ".partial"),
    );
    fs::rename(&done, &killed).unwrap();
    let manifest = fs::read_to_string(killed.join("manifest.json")).unwrap();
    let unfinished = manifest.replace("\"complete\": true", "\"complete\": false");
    assert_ne!(unfinished, manifest);
    fs::write(killed.join("manifest.json"), unfinished).unwrap();
    let rows = fs::read_to_string(killed.join("experiments.csv")).unwrap();
    let kept: Vec<&str> = rows.lines().take(1 + 9).collect();
    fs::write(killed.join("experiments.csv"), kept.join("\n") + "\n").unwrap();

    let parts: Vec<String> = (0..4).map(part).collect();
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(String::as_str));
    args.push("--check");
    let check = tk(&args);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let printed =
        String::from_utf8(check.stdout).unwrap() + &String::from_utf8(check.stderr).unwrap();
    if printed != excerpt && std::env::var_os("BLESS").is_some() {
        let mut out: Vec<&str> = lines[..mark + 2].to_vec();
        out.extend(printed.lines());
        out.extend(&lines[end..]);
        fs::write(&doc, out.join("\n") + "\n").unwrap();
        eprintln!(
            "docs: updated the merge --check excerpt of {}",
            doc.display()
        );
        return;
    }
    assert_eq!(
        printed, excerpt,
        "docs/experiments.md: the merge --check excerpt is stale; \
         run `BLESS=1 cargo test --release --test docs` and review the diff"
    );
}

/// The long flags a `--help` text names (`--out`, `--class-save`).
fn flags(help: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for (i, _) in help.match_indices("--") {
        let name: String = help[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        let starts = i == 0 || !help[..i].ends_with(|c: char| c.is_alphanumeric() || c == '-');
        if starts && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
            out.insert(format!("--{name}"));
        }
    }
    out
}

/// Whether `text` names `flag` as a whole flag (`--class` is not named
/// by `--class-save` alone).
fn mentions(text: &str, flag: &str) -> bool {
    text.match_indices(flag).any(|(i, _)| {
        !text[i + flag.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
    })
}

/// Every long flag of every subcommand, as its `--help` lists it, is named
/// in `README.md` or a document under `docs/` (the CLI reference is the
/// README's “Commands” and each command's guide), and `serve`'s flags in
/// the README itself; so a new flag cannot stay undocumented.
#[test]
fn every_flag_of_every_command_is_documented() {
    let help = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiaokuai"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let subcommands: Vec<String> = help(&["--help"])
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(subcommands.len() >= 13, "{subcommands:?}");
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let docs: String = documents()
        .iter()
        .map(|d| fs::read_to_string(d).unwrap())
        .collect();
    let mut missing = Vec::new();
    for sub in &subcommands {
        for flag in flags(&help(&[sub, "--help"])) {
            if flag != "--help" && !mentions(&docs, &flag) {
                missing.push(format!("{sub} {flag}"));
            }
        }
    }
    for flag in flags(&help(&["serve", "--help"])) {
        if flag != "--help" && !mentions(&readme, &flag) {
            missing.push(format!("serve {flag} (in README.md)"));
        }
    }
    assert!(missing.is_empty(), "flags no document names: {missing:?}");
    // The check can fail: a flag no document names is missed.
    assert_eq!(
        flags("  --class [<SCENARIO>]  x\n      --class-save <FILE>  y --no-such-flag"),
        ["--class", "--class-save", "--no-such-flag"]
            .map(String::from)
            .into()
    );
    assert!(!mentions(&docs, "--no-such-flag"));
    assert!(!mentions("serve --class-save f", "--class"));
}
