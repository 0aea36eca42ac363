//! `tiaokuai report RUN_DIR [--lang en|zh] [--out report.html] [--xlsx] [--force]`
//!
//! Turns a run directory written by `tiaokuai run` into one self-contained
//! HTML report (charts inline, no network, prints to PDF) and, with
//! `--xlsx`, the Excel workbook `RUN_DIR/results.xlsx` (`results.zh.xlsx`
//! with `--lang zh`). Given a folder written by `tiaokuai calibrate`, it
//! writes that folder's calibration report (prior and posterior of each
//! parameter, observed and simulated targets, tolerance schedule). Given a
//! saved role-play session (the `--class-save` file of `serve --class`), it
//! replays the session's choices and writes its report `class-report.html`
//! (and with `--xlsx` its workbook `class-workbook.xlsx`) beside the file.
//!
//! ```text
//! tiaokuai report outputs/baseline                     # outputs/baseline/report.html
//! tiaokuai report outputs/baseline --lang zh --out 报告.html
//! tiaokuai report outputs/baseline --xlsx --force      # also results.xlsx, replacing old files
//! tiaokuai report outputs/calibration-demo-calibrate   # a calibration folder: its report.html
//! tiaokuai report tiaokuai-class.json --xlsx          # a role-play session: class-report.html, class-workbook.xlsx
//! ```

use std::path::{Path, PathBuf};
use std::time::Instant;

use tiaokuai::report::{self, RunDir};
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run directory written by `tiaokuai run` (or a folder written by
    /// `tiaokuai calibrate`, or a role-play session file saved by `serve --class`).
    pub run_dir: PathBuf,
    /// Language of the report and workbook: en or zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Where to write the HTML report (default: RUN_DIR/report.html; beside a session file, class-report.html).
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
    if report::calibration::is_calibration(&args.run_dir) {
        return calibration(&args, lang, start);
    }
    if args.run_dir.is_file() && args.run_dir.extension().is_some_and(|e| e == "json") {
        return session(&args, lang, start);
    }
    let run = RunDir::load(&args.run_dir)?;
    let html = args
        .out
        .clone()
        .unwrap_or_else(|| args.run_dir.join(report::HTML_NAME));
    let xlsx = args.run_dir.join(report::xlsx_name(lang));
    refuse_existing(&args, &html, &xlsx)?;
    report::write_html_to(&run, lang, &html, args.force)?;
    if args.xlsx {
        report::write_xlsx_to(&run, lang, &xlsx, args.force)?;
    }
    wrote(&args, &html, &xlsx, "", start);
    Ok(())
}

/// Check both targets before writing either, so a refusal writes nothing.
fn refuse_existing(args: &Args, html: &Path, xlsx: &Path) -> Result<()> {
    for (path, wanted) in [(html, true), (xlsx, args.xlsx)] {
        if wanted && path.exists() && !args.force {
            return Err(InputError::new("output file already exists")
                .file(path)
                .suggest("pass --force to replace it")
                .into());
        }
    }
    Ok(())
}

/// "wrote REPORT[ and WORKBOOK]{what} in S s" (unless --quiet).
fn wrote(args: &Args, html: &Path, xlsx: &Path, what: &str, start: Instant) {
    if !args.quiet {
        eprintln!(
            "wrote {}{}{what} in {:.2} s",
            html.display(),
            if args.xlsx {
                format!(" and {}", xlsx.display())
            } else {
                String::new()
            },
            start.elapsed().as_secs_f64()
        );
    }
}

/// The report of a calibration folder (HTML only).
fn calibration(args: &Args, lang: tiaokuai::catalog::Lang, start: Instant) -> Result<()> {
    if args.xlsx {
        return Err(InputError::new("a calibration folder has no workbook")
            .key("--xlsx")
            .file(&args.run_dir)
            .expected("a run directory written by `tiaokuai run`")
            .suggest("drop --xlsx; the calibration's CSV files open in any spreadsheet")
            .into());
    }
    let html = args
        .out
        .clone()
        .unwrap_or_else(|| args.run_dir.join(report::HTML_NAME));
    if html.exists() && !args.force {
        return Err(InputError::new("output file already exists")
            .file(&html)
            .suggest("pass --force to replace it")
            .into());
    }
    report::calibration::write(&args.run_dir, lang, &html, args.force)?;
    if !args.quiet {
        eprintln!(
            "wrote {} in {:.2} s",
            html.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// The report (and with --xlsx the workbook) of a saved role-play session,
/// written beside the session file.
fn session(args: &Args, lang: tiaokuai::catalog::Lang, start: Instant) -> Result<()> {
    let class = tiaokuai::class::Class::load(&args.run_dir)?;
    let dir = args.run_dir.parent().map(PathBuf::from).unwrap_or_default();
    let html = args
        .out
        .clone()
        .unwrap_or_else(|| dir.join(report::class_html_name(lang)));
    let xlsx = dir.join(report::class_xlsx_name(lang));
    refuse_existing(args, &html, &xlsx)?;
    let page = report::class_html::render(&class, lang);
    tiaokuai::output::replace_file(&html, page.as_bytes(), args.force)?;
    if args.xlsx {
        let bytes = report::class_xlsx::build(&class, lang)?;
        tiaokuai::output::replace_file(&xlsx, &bytes, args.force)?;
    }
    let rounds = format!(" from the session's {} rounds", class.year());
    wrote(args, &html, &xlsx, &rounds, start);
    Ok(())
}
