//! Replacing one output file (a report, a workbook) atomically: written to
//! a temporary sibling and renamed, never replacing an existing file unless
//! asked.

use std::path::Path;

use crate::{Error, InputError, Result};

/// Write `bytes` to `path` through a temporary sibling (`.name.tmp`) and a
/// rename, replacing whatever is there: readers see the old file or the new
/// one, never half of one. The one home of atomic file writes; callers
/// decide beforehand whether replacing is allowed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_then_rename(&tmp_sibling(path), path, bytes)
}

/// Write `bytes` to `tmp`, then rename it onto `path`; `tmp` is removed
/// if either step fails.
fn write_then_rename(tmp: &Path, path: &Path, bytes: &[u8]) -> Result<()> {
    if let Err(e) = std::fs::write(tmp, bytes) {
        let _ = std::fs::remove_file(tmp);
        return Err(Error::io(format!("writing {}", tmp.display()), e));
    }
    std::fs::rename(tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        Error::io(format!("moving the finished file to {}", path.display()), e)
    })
}

/// `dir/.name.tmp` next to `path`.
pub fn tmp_sibling(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp"))
}

/// Write `bytes` to `path` atomically ([`write_atomic`]).
/// An existing `path` is an input error unless `force` is set.
pub fn replace_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    super::guard::check_file(path, bytes, force)?;
    let name = path
        .file_name()
        .ok_or_else(|| InputError::new("output path has no file name").file(path))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(
            InputError::new("the output file's directory does not exist")
                .file(&parent)
                .into(),
        );
    }
    let tmp = parent.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    super::guard::remove_stale(path);
    write_then_rename(&tmp, path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_replace_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.html");
        let one = b"<!DOCTYPE html><p>tiaokuai one</p>";
        let two = b"<!DOCTYPE html><p>tiaokuai two</p>";
        replace_file(&p, one, false).unwrap();
        let e = replace_file(&p, two, false).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(std::fs::read(&p).unwrap(), one);
        replace_file(&p, two, true).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), two);
        // A file the tool did not write is not replaced, even with force.
        let mine = dir.path().join("mine.html");
        std::fs::write(&mine, "<!DOCTYPE html><p>my page</p>").unwrap();
        assert_eq!(replace_file(&mine, two, true).unwrap_err().exit_code(), 2);
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
