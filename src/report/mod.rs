//! Results people read: an Excel workbook and a self-contained HTML report
//! made from a run directory, in English or Chinese, the HTML report of a
//! calibration folder ([`calibration`]), and the workbook and report of a
//! role-play session ([`class_xlsx`], [`class_html`]).
//!
//! Rules: the report reads only the run directory (never re-runs the
//! model) and checks its format version first; a role-play session's
//! exports are the exception, replayed from its saved choices like every
//! figure of the session; [`rundir`] reads, [`text`]
//! words and formats, [`charts`] draws SVG, [`html`] and [`xlsx`] assemble.
//! Files are written through [`crate::output::replace_file`], so a failure
//! never leaves a half-written report and an existing file is replaced
//! only when asked.

pub mod calibration;
pub mod charts;
pub mod class_html;
pub mod class_xlsx;
pub mod html;
pub mod rundir;
pub mod text;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::Result;
use crate::catalog::Lang;
pub use rundir::RunDir;

/// File name of the English workbook inside a run directory.
pub const XLSX_NAME: &str = "results.xlsx";

/// Default file name of the workbook in `lang`: `results.xlsx` (English)
/// or `results.zh.xlsx` (Chinese), so the two languages never overwrite
/// each other.
pub fn xlsx_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => XLSX_NAME,
        Lang::Zh => "results.zh.xlsx",
    }
}
/// Default file name of the HTML report inside a run directory.
pub const HTML_NAME: &str = "report.html";

/// Write `RUN_DIR/results.xlsx` (for `tiaokuai run --xlsx`, which calls it
/// on the finished run directory); refuses to replace an existing file.
pub fn write_xlsx(run_dir: &Path, lang: Lang) -> Result<PathBuf> {
    let run = RunDir::load(run_dir)?;
    let out = run_dir.join(xlsx_name(lang));
    write_xlsx_to(&run, lang, &out, false)?;
    Ok(out)
}

/// Write the workbook of a loaded run to `out`.
pub fn write_xlsx_to(run: &RunDir, lang: Lang, out: &Path, force: bool) -> Result<()> {
    let bytes = xlsx::build(run, lang)?;
    crate::output::replace_file(out, &bytes, force)
}

/// Write the HTML report of a run directory to `out` (default
/// `RUN_DIR/report.html`).
pub fn write_html(run_dir: &Path, out: Option<&Path>, lang: Lang, force: bool) -> Result<PathBuf> {
    let run = RunDir::load(run_dir)?;
    let out = out.map_or_else(|| run_dir.join(HTML_NAME), Path::to_path_buf);
    write_html_to(&run, lang, &out, force)?;
    Ok(out)
}

/// Write the HTML report of a loaded run to `out`.
pub fn write_html_to(run: &RunDir, lang: Lang, out: &Path, force: bool) -> Result<()> {
    let page = html::render(run, lang);
    crate::output::replace_file(out, page.as_bytes(), force)
}

/// File name of a role-play session's workbook in `lang`.
pub fn class_xlsx_name(lang: Lang) -> &'static str {
    lang.pick("class-workbook.xlsx", "class-workbook.zh.xlsx")
}

/// File name of a role-play session's HTML report in `lang`.
pub fn class_html_name(lang: Lang) -> &'static str {
    lang.pick("class-report.html", "class-report.zh.html")
}
