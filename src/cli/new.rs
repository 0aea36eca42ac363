//! `tiaokuai new FILE [--force]`
//!
//! Writes a commented scenario template naming every key with its default,
//! unit and meaning. Refuses to overwrite an existing file unless `--force`.
//!
//! ```text
//! tiaokuai new my-scenario.toml
//! ```

use std::path::PathBuf;

use tiaokuai::scenario::template::TEMPLATE;
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// File to write.
    pub file: PathBuf,
    /// Replace an existing file.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<()> {
    if args.file.exists() && !args.force {
        return Err(InputError::new("the file already exists")
            .file(&args.file)
            .suggest("pass --force to replace it, or choose another name")
            .into());
    }
    let stem = args
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "my-scenario".into());
    let safe: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let text = TEMPLATE.replacen("name = \"my-scenario\"", &format!("name = \"{safe}\""), 1);
    tiaokuai::output::write_file(&args.file, text.as_bytes())?;
    println!(
        "wrote {} — edit it, then: tiaokuai run {}",
        args.file.display(),
        args.file.display()
    );
    Ok(())
}
