//! Writing results safely: output folders that appear only when complete,
//! never overwrite earlier results unless asked, and CSV writers that
//! spreadsheets read (optionally UTF-8 with a byte-order mark for Excel).
//!
//! Rules: everything is written into a temporary sibling folder and renamed
//! into place by [`OutDir::commit`]; dropping an uncommitted `OutDir`
//! removes the temporary folder, so a failure leaves nothing behind.

pub(crate) mod file;
pub mod guard;
pub mod manifest;
pub mod tables;
pub mod timeseries;

pub use file::{replace_file, write_atomic};

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, InputError, Result};

pub use manifest::{FORMAT_VERSION, RUN_FORMAT, RunManifest};

/// An output folder being written.
#[derive(Debug)]
pub struct OutDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    committed: bool,
}

impl OutDir {
    /// Prepare to write `target`; refuses a non-empty existing folder unless `force`.
    pub fn create(target: &Path, force: bool) -> Result<OutDir> {
        guard::check_dir(target, force)?;
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        let name = target
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        guard::remove_stale(target);
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if tmp.exists() {
            let _ = fs::remove_dir_all(&tmp);
        }
        fs::create_dir(&tmp)
            .map_err(|e| Error::io(format!("cannot create {}", tmp.display()), e))?;
        Ok(OutDir {
            target: target.to_path_buf(),
            tmp,
            force,
            committed: false,
        })
    }

    /// Path of a file inside the folder being written.
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// The temporary folder being filled.
    pub fn dir(&self) -> &Path {
        &self.tmp
    }

    /// The final folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Move the finished folder into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        if fs::symlink_metadata(&self.target).is_ok() {
            // Checked again: the folder may have changed while this run was writing.
            guard::check_dir(&self.target, self.force).map_err(|_| {
                Error::from(
                    InputError::new(
                        "the output folder was changed by someone else while this run was writing",
                    )
                    .file(&self.target),
                )
            })?;
            fs::remove_dir_all(&self.target)
                .map_err(|e| Error::io(format!("cannot replace {}", self.target.display()), e))?;
        }
        fs::rename(&self.tmp, &self.target).map_err(|e| {
            Error::io(
                format!("cannot move results into {}", self.target.display()),
                e,
            )
        })?;
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Free bytes on the file system holding `dir` (None where unknown).
pub fn free_bytes(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        // SAFETY: `c` is a valid C string and `st` a properly sized out-parameter.
        unsafe {
            let mut st: libc::statvfs = std::mem::zeroed();
            if libc::statvfs(c.as_ptr(), &mut st) != 0 {
                return None;
            }
            Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
        }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

/// Refuse to start writing `bytes` into `dir` when the disk cannot hold them.
pub fn check_free_space(dir: &Path, bytes: f64) -> Result<()> {
    if let Some(free) = free_bytes(dir) {
        if bytes > free as f64 {
            return Err(InputError::new(format!(
                "the results would take about {:.0} MB but only {:.0} MB are free on the disk of {}",
                bytes / 1e6,
                free as f64 / 1e6,
                dir.display()
            ))
            .key("--out")
            .suggest("free some space, write to another disk with --out, or use fewer replicates, years or strategies")
            .into());
        }
    }
    Ok(())
}

/// A buffered CSV writer; with `bom`, the file starts with a UTF-8
/// byte-order mark so Excel shows Chinese text correctly.
pub fn csv_writer(path: &Path, bom: bool) -> Result<csv::Writer<BufWriter<File>>> {
    let f = File::create(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let mut w = BufWriter::new(f);
    if bom {
        w.write_all(b"\xEF\xBB\xBF")
            .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    }
    Ok(csv::WriterBuilder::new().from_writer(w))
}

/// Turn a CSV error into a library error naming the file.
pub fn csv_err(path: &Path) -> impl Fn(csv::Error) -> Error + '_ {
    move |e| Error::Other(format!("cannot write {}: {e}", path.display()))
}

/// Write a whole file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// A CSV field, quoted only when it needs it (RFC 4180: a comma, a quote
/// or a line break; quotes doubled). The one place hand-written CSV lines
/// quote their fields.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Width of `s` in terminal columns (a wide character counts two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `width` terminal columns, counting a wide
/// (e.g. Chinese) character as two columns, so text tables line up in
/// either language. Text already wider is returned whole.
pub fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    let mut out = String::with_capacity(s.len() + width.saturating_sub(w));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// A float as CSV text: shortest round-trip form; empty for NaN.
pub fn num(x: f64) -> String {
    if x.is_nan() {
        String::new()
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("run");
        let out = OutDir::create(&target, false).unwrap();
        write_file(&out.path("a.csv"), b"x").unwrap();
        write_file(&out.path("manifest.json"), br#"{"format":"tiaokuai-run"}"#).unwrap();
        out.commit().unwrap();
        assert!(target.join("a.csv").exists());
        let e = OutDir::create(&target, false).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::EXIT_BAD_INPUT);
        {
            let out = OutDir::create(&target, true).unwrap();
            write_file(&out.path("b.csv"), b"y").unwrap();
            write_file(&out.path("manifest.json"), b"{}").unwrap();
            // dropped without commit: the old results stay, the partial folder goes
        }
        assert!(target.join("a.csv").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let out = OutDir::create(&target, true).unwrap();
        write_file(&out.path("b.csv"), b"y").unwrap();
        out.commit().unwrap();
        assert!(!target.join("a.csv").exists() && target.join("b.csv").exists());
    }

    #[test]
    fn bom_is_written_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        let mut w = csv_writer(&p, true).unwrap();
        w.write_record(["名称"]).unwrap();
        w.flush().unwrap();
        drop(w);
        assert!(fs::read(&p).unwrap().starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(num(f64::NAN), "");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("政务", 6), "政务  ");
        assert_eq!(pad("toolong", 3), "toolong");
        assert_eq!(csv_field("a"), "a");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("两行\n"), "\"两行\n\"");
    }
}
