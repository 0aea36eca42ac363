//! Reading input files (scenarios, frameworks, data, division trees): only
//! regular files, only up to [`MAX_INPUT_BYTES`], and each one remembered so
//! that no `--force` replaces it ([`crate::output::guard`]).
//!
//! Rules: every input file the library reads goes through [`read`]; a
//! device such as `/dev/zero`, a pipe or a folder is refused before a byte
//! is read, and a file that grows past the cap while being read is refused
//! once the cap is reached.

use std::io::Read;
use std::path::Path;

use crate::error::{InputError, Result};

/// Largest input file read (256 MiB): far above any real scenario,
/// framework, division tree or assessment table.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The bytes of an input file, or a clear input error.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let fail = |what: String| -> crate::Error {
        InputError::new(what)
            .file(path)
            .suggest("check the path; `tiaokuai new FILE` writes a scenario template")
            .into()
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(match e.kind() {
            std::io::ErrorKind::NotFound => "file not found".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => format!("cannot read the file: {e}"),
        })
    })?;
    if meta.is_dir() {
        return Err(fail("this is a folder, not a file".into()));
    }
    if !meta.is_file() {
        return Err(InputError::new(
            "not a regular file (a device, pipe or socket cannot be read as input)",
        )
        .file(path)
        .expected("a regular file")
        .suggest("save the input to a file and give its path")
        .into());
    }
    let too_big = |size: String| -> crate::Error {
        InputError::new(format!(
            "the file is {size}, more than the {} MiB input files may hold",
            MAX_INPUT_BYTES >> 20
        ))
        .file(path)
        .expected(format!("a file under {} MiB", MAX_INPUT_BYTES >> 20))
        .suggest("check that this is the file you meant (see docs/limits.md)")
        .into()
    };
    if meta.len() > MAX_INPUT_BYTES {
        return Err(too_big(format!("{} MiB", meta.len() >> 20)));
    }
    let f = std::fs::File::open(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big("growing".into()));
    }
    crate::output::guard::register_input(path);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_before_reading() {
        #[cfg(unix)]
        {
            let e = read(Path::new("/dev/zero")).unwrap_err();
            assert_eq!(e.exit_code(), crate::error::EXIT_BAD_INPUT);
            assert!(e.to_string().contains("not a regular file"), "{e}");
        }
        let d = tempfile::tempdir().unwrap();
        assert!(read(d.path()).unwrap_err().to_string().contains("folder"));
        let f = d.path().join("a.toml");
        std::fs::write(&f, "x = 1").unwrap();
        assert_eq!(read(&f).unwrap(), b"x = 1");
    }
}
