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
//! TRYCMD=overwrite cargo test --release --test docs
//! ```
//!
//! In a block, `[..]` stands for any text within a line and a line `...`
//! for any number of lines (timings, progress lines); trycmd keeps them
//! when it overwrites. Blocks in any other language (```sh, ```text, ...)
//! are not run: they are for commands that cannot run in a test (a server,
//! a scheduler) or for excerpts of files.

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
    let overwrite = std::env::var("TRYCMD").is_ok_and(|m| m == "overwrite");

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
        fs::write(&md, &staged_text).unwrap();
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

    if overwrite {
        for (md, (doc, before, left_out)) in &staged {
            let after = fs::read_to_string(md).unwrap();
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
