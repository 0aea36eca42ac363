//! `tiaokuai report RUN_DIR [--lang en|zh] [--out report.html] [--xlsx] [--force]`
//!
//! Turns a run directory written by `tiaokuai run` into one self-contained
//! HTML report (charts inline, no network, prints to PDF) and, with
//! `--xlsx`, the Excel workbook `RUN_DIR/results.xlsx` (`results.zh.xlsx`
//! with `--lang zh`).
//!
//! ```text
//! tiaokuai report outputs/baseline                     # outputs/baseline/report.html
//! tiaokuai report outputs/baseline --lang zh --out 报告.html
//! tiaokuai report outputs/baseline --xlsx --force      # also results.xlsx, replacing old files
//! ```

use std::path::PathBuf;
use std::time::Instant;

use tiaokuai::report::{self, RunDir};
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run directory written by `tiaokuai run`.
    pub run_dir: PathBuf,
    /// Language of the report and workbook: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Where to write the HTML report (default: RUN_DIR/report.html).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the Excel workbook RUN_DIR/results.xlsx (results.zh.xlsx with --lang zh).
    #[arg(long)]
    pub xlsx: bool,
    /// Replace existing report files.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let lang = super::common::parse_lang(&args.lang)?;
    let start = Instant::now();
    let run = RunDir::load(&args.run_dir)?;
    let html = args
        .out
        .clone()
        .unwrap_or_else(|| args.run_dir.join(report::HTML_NAME));
    let xlsx = args.run_dir.join(report::xlsx_name(lang));
    // Check both targets before writing either, so a refusal writes nothing.
    for (path, wanted) in [(&html, true), (&xlsx, args.xlsx)] {
        if wanted && path.exists() && !args.force {
            return Err(InputError::new("output file already exists")
                .file(path)
                .suggest("pass --force to replace it")
                .into());
        }
    }
    report::write_html_to(&run, lang, &html, args.force)?;
    if args.xlsx {
        report::write_xlsx_to(&run, lang, &xlsx, args.force)?;
    }
    if !args.quiet {
        eprintln!(
            "wrote {}{} in {:.2} s",
            html.display(),
            if args.xlsx {
                format!(" and {}", xlsx.display())
            } else {
                String::new()
            },
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}
