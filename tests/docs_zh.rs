//! The Chinese documents stay in step with the English ones.
//!
//! Every Chinese document (`README.zh-CN.md`, `docs/zh/*.md`) has an
//! English original (`README.md`, `docs/*.md`); each links to the other at
//! its top, and the Chinese one shows every command the English one shows
//! (same subcommand, same shipped scenario, framework and data files), so
//! an example added to one language and not the other fails here. The
//! metric table that closes `docs/outputs.md` is generated; the Chinese
//! guide carries the same generated table (`BLESS=1` rewrites it).
//! Whether each command's output is still true is for the
//! executable-documentation tests, which run the console blocks; the
//! Chinese examples write to `outputs/zh/` so both languages run in order
//! in one checkout.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The marker after which `docs/outputs.md` is generated.
const GENERATED_MARK: &str = "<!-- generated from src/metrics/registry.rs: do not edit below -->";

/// (English, Chinese) document pairs, as paths relative to the repository.
fn pairs() -> Vec<(String, String)> {
    let mut out = vec![("README.md".to_string(), "README.zh-CN.md".to_string())];
    let dir = Path::new(ROOT).join("docs/zh");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.expect("docs/zh entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for n in names {
        out.push((format!("docs/{n}"), format!("docs/zh/{n}")));
    }
    out
}

fn read(rel: &str) -> String {
    let p = Path::new(ROOT).join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The targets of the Markdown links `[text](target)` in `text`.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        match after.find(')') {
            Some(j) => {
                out.push(after[..j].to_string());
                rest = &after[j + 1..];
            }
            None => break,
        }
    }
    out
}

/// Whether the first lines of `from` (before its first section) link to
/// `to`, resolving the link relative to `from`'s folder.
fn links_at_top(from: &str, to: &str) -> bool {
    let text = read(from);
    let head: String = text
        .lines()
        .take_while(|l| !l.starts_with("## "))
        .take(12)
        .collect::<Vec<_>>()
        .join("\n");
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let want = normalise(Path::new(to));
    link_targets(&head)
        .iter()
        .any(|t| normalise(&base.join(t.split('#').next().unwrap_or(""))) == want)
}

/// A relative path with `.` and `..` resolved lexically.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The commands the fenced code blocks of `text` show, each as its
/// subcommand followed by the shipped files it names (scenarios,
/// frameworks, data): `run scenarios/baseline.toml`. Output folders and
/// files a reader writes first differ between the languages and are left
/// out.
fn commands(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
            continue;
        }
        if !in_block {
            continue;
        }
        let line = line.trim_start().trim_start_matches("$ ");
        let args = if let Some(a) = line.strip_prefix("tiaokuai ") {
            a
        } else if let Some(a) = line.strip_prefix("cargo run --release -- ") {
            a
        } else {
            continue;
        };
        let args = args.split(" #").next().unwrap_or("");
        let mut words = args.split_whitespace();
        let Some(sub) = words.next() else { continue };
        let mut key = sub.to_string();
        let mut files: Vec<&str> = words
            .filter(|w| {
                ["scenarios/", "frameworks/", "data/"]
                    .iter()
                    .any(|d| w.starts_with(d))
                    && Path::new(ROOT).join(w).is_file()
            })
            .collect();
        files.sort();
        for f in files {
            key.push(' ');
            key.push_str(f);
        }
        out.insert(key);
    }
    out
}

#[test]
fn every_chinese_document_has_its_english_original() {
    let pairs = pairs();
    for want in [
        "docs/zh/classroom.md",
        "docs/zh/calibration.md",
        "docs/zh/outputs.md",
    ] {
        assert!(
            pairs.iter().any(|(_, zh)| zh == want),
            "{want} is missing: the lesson plans, calibration and output guides have Chinese versions"
        );
    }
    for (en, _) in &pairs {
        assert!(
            Path::new(ROOT).join(en).is_file(),
            "{en} is missing: every Chinese document translates an English one"
        );
    }
}

#[test]
fn english_and_chinese_documents_link_to_each_other_at_the_top() {
    let mut missing = Vec::new();
    for (en, zh) in pairs() {
        if !links_at_top(&en, &zh) {
            missing.push(format!("{en} does not link to {zh} at its top"));
        }
        if !links_at_top(&zh, &en) {
            missing.push(format!("{zh} does not link to {en} at its top"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn chinese_documents_show_every_command_of_the_english_ones() {
    let mut missing = Vec::new();
    for (en, zh) in pairs() {
        let en_cmds = commands(&read(&en));
        let zh_cmds = commands(&read(&zh));
        for c in en_cmds.difference(&zh_cmds) {
            missing.push(format!("{zh} lacks `tiaokuai {c}` shown in {en}"));
        }
    }
    assert!(
        missing.is_empty(),
        "add these commands (with their real output) to the Chinese documents:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_command_check_sees_commands_and_their_files() {
    // Negative control for the check above: a command missing from the
    // Chinese text is found, and a different scenario counts as different.
    let en = "```console\n$ tiaokuai run scenarios/baseline.toml --out outputs/a\n```\n\
              ```sh\ncargo run --release -- serve   # note\n```\n";
    let zh_same = "```console\n$ tiaokuai run scenarios/baseline.toml --out outputs/zh/a\n```\n\
                   ```\ncargo run --release -- serve\n```\n";
    let zh_other = "```console\n$ tiaokuai run scenarios/reuse.toml\n```\n";
    let e = commands(en);
    assert_eq!(
        e.iter().cloned().collect::<Vec<_>>(),
        vec![
            "run scenarios/baseline.toml".to_string(),
            "serve".to_string()
        ]
    );
    assert!(e.difference(&commands(zh_same)).next().is_none());
    assert_eq!(e.difference(&commands(zh_other)).count(), 2);
    // Commands outside code blocks are prose, not examples.
    assert!(commands("run `tiaokuai run scenarios/baseline.toml` first").is_empty());
}

#[test]
fn the_link_check_resolves_relative_paths() {
    assert_eq!(
        normalise(&Path::new("docs/zh").join("../outputs.md")),
        PathBuf::from("docs/outputs.md")
    );
    assert_eq!(
        link_targets("[English](../outputs.md) | [x](a.md#b)"),
        vec!["../outputs.md".to_string(), "a.md#b".to_string()]
    );
}

#[test]
fn chinese_output_guide_carries_the_generated_metric_table() {
    let en = read("docs/outputs.md");
    let zh_path = Path::new(ROOT).join("docs/zh/outputs.md");
    let zh = read("docs/zh/outputs.md");
    let table = en
        .split_once(GENERATED_MARK)
        .map(|(_, t)| t)
        .expect("docs/outputs.md has the generated metric table");
    let head = zh.split(GENERATED_MARK).next().unwrap_or("");
    let want = format!("{head}{GENERATED_MARK}{table}");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&zh_path, &want).expect("write docs/zh/outputs.md");
        return;
    }
    assert!(
        zh == want,
        "docs/zh/outputs.md's metric table differs from docs/outputs.md: \
         run `BLESS=1 cargo test --release --test docs_zh` (after `BLESS=1 cargo test --release --lib`)"
    );
}

/// Per lesson step (`### ` heading): the scenario ids the heading names,
/// and how many questions and "students should notice" claims follow it.
fn lesson_steps(text: &str, ask: &str, notice: &str) -> Vec<(Vec<String>, usize, usize)> {
    let mut steps: Vec<(Vec<String>, usize, usize)> = Vec::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            let ids = h
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            steps.push((ids, 0, 0));
        } else if let Some(step) = steps.last_mut() {
            if line.starts_with(ask) {
                step.1 += 1;
            }
            if line.starts_with(notice) {
                step.2 += 1;
            }
        }
    }
    steps
}

#[test]
fn chinese_lesson_plan_has_the_steps_questions_and_claims_of_the_english_one() {
    // The browser test checks each "Students should notice" claim of
    // docs/classroom.md against the app's numbers; the Chinese plan must
    // make the same claims in the same steps, on the same scenarios.
    let en = lesson_steps(
        &read("docs/classroom.md"),
        "Ask:",
        "Students should notice:",
    );
    let zh = lesson_steps(&read("docs/zh/classroom.md"), "提问：", "学生应注意到：");
    assert!(
        en.len() >= 7 && en.iter().map(|s| s.2).sum::<usize>() >= 8,
        "the English lesson plan lost its steps: {en:?}"
    );
    assert_eq!(
        zh, en,
        "docs/zh/classroom.md: (scenarios, questions, claims) per step differ from docs/classroom.md"
    );
}
