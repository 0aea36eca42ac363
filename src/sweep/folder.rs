//! Study folders that survive a kill: files replaced atomically, and the
//! checks and final rename around a resumable `<out>.partial/` folder.
//!
//! Rules: a study cannot use [`crate::output::OutDir`], whose temporary
//! folder is private to one process and removed on failure — a killed sweep
//! must leave its folder for `--resume`. So a study writes into the
//! predictable sibling `<out>.partial/` and renames it to `<out>` when
//! complete, keeping OutDir's promise that `<out>` only ever holds finished
//! results and is replaced only with `--force`.

use std::path::Path;

use crate::{Error, Result};

pub use crate::output::file::{tmp_sibling, write_atomic};

/// Whether `dir` exists and holds anything.
pub fn is_non_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// Refuse to overwrite a non-empty output directory unless `force`, and
/// with `force` anything but a folder this tool wrote (see
/// [`crate::output::guard`]).
pub fn check_out_dir(dir: &Path, force: bool) -> Result<()> {
    crate::output::guard::check_dir(dir, force)
}

/// Move a finished temporary directory into place, replacing `dest`.
pub fn commit_dir(tmp: &Path, dest: &Path) -> Result<()> {
    if std::fs::symlink_metadata(dest).is_ok() {
        check_out_dir(dest, true)?;
        std::fs::remove_dir_all(dest)
            .map_err(|e| Error::io(format!("removing {}", dest.display()), e))?;
    }
    std::fs::rename(tmp, dest).map_err(|e| {
        Error::io(
            format!("renaming {} to {}", tmp.display(), dest.display()),
            e,
        )
    })
}
