//! The one rule for writing over what is already on disk, shared by every
//! command that writes (`run`, `sweep`, `sensitivity`, `merge`, `assess`,
//! `report`).
//!
//! Rules:
//! - a destination is named by its own name: `.`, `..`, `/`, `x/.` and
//!   `x/sub/..` are refused whatever the flags;
//! - a destination that is itself a symbolic link is refused; replacing goes
//!   through no symbolic link anywhere in the path as typed;
//! - `--force` replaces only a folder this tool wrote (it holds a
//!   `manifest.json` whose `format` starts with `tiaokuai-`) or an empty one,
//!   and never the home folder, the working folder or one of its ancestors,
//!   or a folder holding one of the files this process read as input;
//! - `--force` replaces only a file this tool wrote (an HTML report naming
//!   tiaokuai, an xlsx workbook), never an input file;
//! - leftovers of processes that no longer exist next to a destination
//!   (`.NAME.partial-PID` folders, `.NAME.tmp-PID` files) are removed by the
//!   next write to it, and a notice says so ([`take_notices`]).

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::error::{InputError, Result};

/// Files this process read as input (canonical paths).
static INPUTS: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
/// Things done on the user's behalf that the front end should mention.
static NOTICES: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The `format` prefix of every manifest this tool writes.
pub const FORMAT_PREFIX: &str = "tiaokuai-";

const FORCE_RULE: &str = "--force replaces only a folder written by tiaokuai (it holds tiaokuai's manifest.json) or an empty one";

/// Remember that `path` was read as input, so no `--force` replaces it.
pub fn register_input(path: &Path) {
    if let Ok(c) = fs::canonicalize(path) {
        if let Ok(mut set) = INPUTS.lock() {
            set.insert(c);
        }
    }
}

/// Notices gathered since the last call (e.g. leftovers removed).
pub fn take_notices() -> Vec<String> {
    NOTICES
        .lock()
        .map(|mut n| std::mem::take(&mut *n))
        .unwrap_or_default()
}

fn notice(text: String) {
    if let Ok(mut n) = NOTICES.lock() {
        n.push(text);
    }
}

fn refuse(target: &Path, why: impl Into<String>, what_to_do: &str) -> crate::Error {
    InputError::new(why)
        .file(target)
        .key("--out")
        .suggest(what_to_do)
        .into()
}

/// Refuse destinations that do not name a folder or file of their own.
fn check_name(target: &Path) -> Result<()> {
    let raw = target.to_string_lossy();
    let trimmed = raw.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    if trimmed.is_empty() || last == "." || last == ".." || target.file_name().is_none() {
        return Err(refuse(
            target,
            format!(
                "`{raw}` does not name a destination of its own (it is `/`, `.`, `..` or ends in one of them); writing there would replace a folder that holds other things"
            ),
            "name a new folder, e.g. --out results/my-run",
        ));
    }
    Ok(())
}

/// The first symbolic link on the path as typed (relative paths are
/// checked from the working folder down, so only the typed components).
fn first_symlink(target: &Path) -> Option<PathBuf> {
    let mut cur = PathBuf::new();
    for comp in target.components() {
        cur.push(comp);
        if matches!(comp, Component::Normal(_))
            && fs::symlink_metadata(&cur).is_ok_and(|m| m.file_type().is_symlink())
        {
            return Some(cur);
        }
    }
    None
}

/// Refuse `/`, the home folder, the working folder and its ancestors, and
/// any folder holding an input file.
fn check_protected(target: &Path) -> Result<()> {
    let Ok(c) = fs::canonicalize(target) else {
        return Ok(());
    };
    let why = if c.parent().is_none() {
        Some("it is the root folder".to_string())
    } else if std::env::var_os("HOME")
        .and_then(|h| fs::canonicalize(h).ok())
        .is_some_and(|h| h == c)
    {
        Some("it is your home folder".to_string())
    } else if std::env::current_dir()
        .ok()
        .and_then(|d| fs::canonicalize(d).ok())
        .is_some_and(|d| d.starts_with(&c))
    {
        Some("it is the working folder or one of its ancestors".to_string())
    } else {
        INPUTS
            .lock()
            .ok()
            .and_then(|set| set.iter().find(|p| p.starts_with(&c)).cloned())
            .map(|p| format!("it holds the input file {}", p.display()))
    };
    match why {
        Some(why) => Err(refuse(
            target,
            format!("refusing to replace `{}`: {why}", target.display()),
            "write the results into a new folder of their own with --out",
        )),
        None => Ok(()),
    }
}

/// Whether `dir` holds a `manifest.json` this tool wrote.
pub fn is_tool_folder(dir: &Path) -> bool {
    let path = dir.join("manifest.json");
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return false;
    };
    if !meta.is_file() || meta.len() > 64 << 20 {
        return false;
    }
    let Ok(text) = fs::read_to_string(&path) else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| {
        v.get("format")
            .and_then(|f| f.as_str())
            .is_some_and(|f| f.starts_with(FORMAT_PREFIX))
    })
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Check that the folder `target` may be written: created when absent,
/// filled when empty, replaced when `force` and it is this tool's.
pub fn check_dir(target: &Path, force: bool) -> Result<()> {
    check_name(target)?;
    // A trailing slash makes the system follow a link, so look at the path without it.
    let plain = PathBuf::from(target.to_string_lossy().trim_end_matches('/'));
    let Ok(meta) = fs::symlink_metadata(&plain) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            target,
            format!("`{}` is a symbolic link", plain.display()),
            "give the folder's real path with --out, or a new folder",
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            target,
            "the output path exists and is not a folder",
            "choose another path with --out",
        ));
    }
    check_protected(target)?;
    if is_empty_dir(target) {
        return Ok(());
    }
    if !force {
        return Err(refuse(
            target,
            "the output folder already holds results",
            "pass --force to replace them, or choose another folder with --out",
        ));
    }
    if let Some(link) = first_symlink(target) {
        return Err(refuse(
            target,
            format!(
                "refusing to replace a folder reached through the symbolic link `{}`",
                link.display()
            ),
            "give the folder's real path with --out",
        ));
    }
    if !is_tool_folder(target) {
        return Err(refuse(
            target,
            format!(
                "refusing to replace `{}`: it holds files tiaokuai did not write ({FORCE_RULE})",
                target.display()
            ),
            "choose a new folder with --out; if the files there are not needed, remove them yourself first",
        ));
    }
    Ok(())
}

/// Check that the file `target` may be written with `bytes`: created when
/// absent, replaced when `force` and it is a file this tool wrote.
pub fn check_file(target: &Path, bytes: &[u8], force: bool) -> Result<()> {
    check_name(target)?;
    let Ok(meta) = fs::symlink_metadata(target) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            target,
            format!("`{}` is a symbolic link", target.display()),
            "give the file's real path, or a new file name",
        ));
    }
    if meta.is_dir() {
        return Err(InputError::new("output path is a directory")
            .file(target)
            .expected("a file name")
            .into());
    }
    if !force {
        return Err(InputError::new("output file already exists")
            .file(target)
            .suggest("pass --force to replace it, or choose another --out")
            .into());
    }
    if let Some(link) = first_symlink(target) {
        return Err(refuse(
            target,
            format!(
                "refusing to replace a file reached through the symbolic link `{}`",
                link.display()
            ),
            "give the file's real path",
        ));
    }
    check_protected(target)?;
    if !is_tool_file(target, bytes) {
        return Err(refuse(
            target,
            format!(
                "refusing to replace `{}`: tiaokuai did not write it (--force replaces only a report or workbook written by tiaokuai)",
                target.display()
            ),
            "choose a new file name with --out",
        ));
    }
    Ok(())
}

/// Whether the existing file looks like one this tool writes of the same kind as `bytes`.
fn is_tool_file(path: &Path, bytes: &[u8]) -> bool {
    let Ok(f) = fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if f.take(256 << 20).read_to_end(&mut head).is_err() {
        return false;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return head.starts_with(b"PK\x03\x04");
    }
    let text = String::from_utf8_lossy(&head);
    text.starts_with("<!DOCTYPE html>") && text.contains("tiaokuai")
}

/// Whether process `pid` still exists (unknown counts as alive).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// Remove `.NAME.partial-PID` folders and `.NAME…tmp-PID` files next to
/// `target` left by processes that no longer exist.
pub fn remove_stale(target: &Path) {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.");
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some((kind, pid)) = rest.rsplit_once('-') else {
            continue;
        };
        if !(kind == "partial" || kind.ends_with("tmp")) {
            continue;
        }
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if alive(pid) {
            continue;
        }
        let path = e.path();
        let Ok(meta) = fs::symlink_metadata(&path) else {
            continue;
        };
        let removed = if meta.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        if removed.is_ok() {
            notice(format!(
                "removed {} left unfinished by process {pid}, which no longer runs",
                path.display()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_destinations_are_refused() {
        for p in [".", "..", "/", "x/.", "x/sub/..", "./", "../"] {
            assert!(check_name(Path::new(p)).is_err(), "{p}");
        }
        for p in ["x", "x/", "../x", "a/b"] {
            assert!(check_name(Path::new(p)).is_ok(), "{p}");
        }
    }

    #[test]
    fn force_replaces_only_tool_folders() {
        let d = tempfile::tempdir().unwrap();
        let own = d.path().join("own");
        fs::create_dir(&own).unwrap();
        fs::write(own.join("manifest.json"), r#"{"format":"tiaokuai-run"}"#).unwrap();
        let other = d.path().join("other");
        fs::create_dir(&other).unwrap();
        fs::write(other.join("notes.txt"), "mine").unwrap();
        let empty = d.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(check_dir(&own, true).is_ok());
        assert!(check_dir(&own, false).is_err());
        assert!(check_dir(&empty, false).is_ok());
        let e = check_dir(&other, true).unwrap_err();
        assert!(e.to_string().contains("did not write"), "{e}");
        // A JSON file of another tool does not count.
        fs::write(other.join("manifest.json"), r#"{"format":"other"}"#).unwrap();
        assert!(check_dir(&other, true).is_err());
        // The folder holding an input file is never replaced.
        fs::write(own.join("in.toml"), "x").unwrap();
        register_input(&own.join("in.toml"));
        let e = check_dir(&own, true).unwrap_err();
        assert!(e.to_string().contains("input file"), "{e}");
    }

    #[test]
    fn stale_leftovers_of_dead_processes_go() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("run");
        // Process ids above the kernel's maximum (4194304) never exist.
        let dead = d.path().join(".run.partial-4294967");
        fs::create_dir(&dead).unwrap();
        let dead_tmp = d.path().join(".run.html.tmp-4294967");
        fs::write(&dead_tmp, "x").unwrap();
        let live = d
            .path()
            .join(format!(".run.partial-{}", std::process::id()));
        fs::create_dir(&live).unwrap();
        let other = d.path().join(".other.partial-4294967");
        fs::create_dir(&other).unwrap();
        take_notices();
        remove_stale(&target);
        assert!(!dead.exists() && !dead_tmp.exists());
        assert!(live.exists() && other.exists());
        let notes = take_notices();
        assert!(notes.iter().any(|n| n.contains("4294967")), "{notes:?}");
    }
}
