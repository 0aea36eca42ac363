//! The Excel workbook `results.xlsx`: Summary (with a native line chart),
//! Compare, Time series, Regions, Parameters and About sheets.
//!
//! Rules: numbers are written as numbers (never as text) with a display
//! format, so spreadsheets can compute with them; every sheet has a frozen
//! header row and an autofilter; sheet names and headings come from the
//! catalogue in the chosen language, and metric ids stay in their own
//! column so formulas and lookups work in either language. The workbook's
//! creation date is fixed so the same run gives the same bytes.

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartType, Color, DocProperties, ExcelDateTime, Format,
    FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::rundir::{MetricInfo, RunDir};
use super::text::{self, metric_name, unit_name};
use crate::catalog::Lang;
use crate::catalog::report_text::{self as rt, Text};
use crate::{Error, Result, stats};

pub(super) fn xerr(e: XlsxError) -> Error {
    Error::Other(format!("writing the workbook: {e}"))
}

/// Build the workbook and return its bytes.
pub fn build(run: &RunDir, lang: Lang) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xerr)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("tiaokuai — {}", run.manifest.scenario_name))
            .set_creation_datetime(&created),
    );
    let f = Formats::new();
    summary_sheet(sheet(&mut wb), run, lang, &f).map_err(xerr)?;
    compare_sheet(sheet(&mut wb), run, lang, &f).map_err(xerr)?;
    timeseries_sheet(sheet(&mut wb), run, lang, &f).map_err(xerr)?;
    regions_sheet(sheet(&mut wb), run, lang, &f).map_err(xerr)?;
    parameters_sheet(sheet(&mut wb), run, lang, &f).map_err(xerr)?;
    about_sheet(sheet(&mut wb), run, lang, &f).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// A new sheet that prints landscape, one page wide.
pub(super) fn sheet(wb: &mut Workbook) -> &mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_landscape().set_print_fit_to_pages(1, 0);
    ws
}

pub(super) struct Formats {
    pub(super) title: Format,
    pub(super) header: Format,
    /// A header over a column of numbers: right-aligned like the numbers.
    pub(super) header_num: Format,
    pub(super) id: Format,
    pub(super) wrap: Format,
}

impl Formats {
    pub(super) fn new() -> Self {
        Formats {
            title: Format::new().set_bold().set_font_size(12),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xE8EEF4)),
            header_num: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Right)
                .set_background_color(Color::RGB(0xE8EEF4)),
            id: Format::new().set_font_color(Color::RGB(0x666666)),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// Display format for a metric's values, by unit.
pub(super) fn number_format(unit: &str) -> Format {
    let f = match unit {
        "share 0-1" | "Theil T" => "0.000",
        "index 0-100" | "% of catalogue" | "index points" | "stage 1-5" => "0.0",
        "million yuan" | "yuan per person" => "#,##0.0",
        "platforms" | "innovations" => "#,##0.0",
        _ => "#,##0.000",
    };
    Format::new().set_num_format(f)
}

/// Approximate display width of a string in Excel character units.
pub(super) fn width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// Tracks the widest value per column to size columns at the end.
pub(super) struct Widths(Vec<f64>);

impl Widths {
    pub(super) fn new() -> Self {
        Widths(Vec::new())
    }
    pub(super) fn see(&mut self, col: u16, w: f64) {
        let c = col as usize;
        if self.0.len() <= c {
            self.0.resize(c + 1, 8.0);
        }
        self.0[c] = self.0[c].max(w);
    }
    pub(super) fn apply(&self, ws: &mut Worksheet, max: f64) -> Result<(), XlsxError> {
        for (c, w) in self.0.iter().enumerate() {
            ws.set_column_width(c as u16, (w + 2.0).min(max))?;
        }
        Ok(())
    }
}

pub(super) fn headers(
    ws: &mut Worksheet,
    row: u32,
    names: &[String],
    f: &Formats,
    w: &mut Widths,
) -> Result<(), XlsxError> {
    headers_over_numbers(ws, row, names, usize::MAX, f, w)
}

/// Header cells whose columns from `first_number` on hold numbers: those
/// headers are right-aligned, so each sits over its own column's values.
pub(super) fn headers_over_numbers(
    ws: &mut Worksheet,
    row: u32,
    names: &[String],
    first_number: usize,
    f: &Formats,
    w: &mut Widths,
) -> Result<(), XlsxError> {
    for (c, h) in names.iter().enumerate() {
        let format = if c >= first_number {
            &f.header_num
        } else {
            &f.header
        };
        ws.write_string_with_format(row, c as u16, h, format)?;
        w.see(c as u16, width(h).min(24.0));
    }
    Ok(())
}

pub(super) fn str_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    w: &mut Widths,
) -> Result<(), XlsxError> {
    ws.write_string(row, col, s)?;
    w.see(col, width(s));
    Ok(())
}

pub(super) fn num_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    v: f64,
    fmt: &Format,
    w: &mut Widths,
) -> Result<(), XlsxError> {
    if v.is_finite() {
        ws.write_number_with_format(row, col, v, fmt)?;
        w.see(col, 10.0);
    }
    Ok(())
}

fn headline(run: &RunDir) -> Vec<&MetricInfo> {
    run.headline()
        .into_iter()
        .map(|i| &run.metrics[i])
        .collect()
}

fn tr(list: &[Text], lang: Lang) -> Vec<String> {
    list.iter().map(|t| t.get(lang).to_string()).collect()
}

fn summary_sheet(
    ws: &mut Worksheet,
    run: &RunDir,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    let sheet = rt::SHEET_SUMMARY.get(lang);
    ws.set_name(sheet)?;
    let mut w = Widths::new();
    let mut cols = tr(&[rt::COL_STRATEGY, rt::COL_METRIC], lang);
    cols.push("id".into());
    cols.extend(tr(
        &[
            rt::COL_UNIT,
            rt::COL_MEAN,
            rt::COL_CI_LOW,
            rt::COL_CI_HIGH,
            rt::COL_N,
        ],
        lang,
    ));
    headers_over_numbers(ws, 0, &cols, 4, f, &mut w)?;
    let years = run.manifest.years;
    let mut row = 1;
    for (si, s) in run.manifest.strategies.iter().enumerate() {
        let label = run.strategy_label(si, lang);
        for m in headline(run) {
            let Some(r) = run.summary_row(s, &m.id, years) else {
                continue;
            };
            let nf = number_format(&m.unit);
            str_cell(ws, row, 0, &label, &mut w)?;
            str_cell(ws, row, 1, metric_name(m, lang), &mut w)?;
            ws.write_string_with_format(row, 2, &m.id, &f.id)?;
            w.see(2, width(&m.id));
            str_cell(ws, row, 3, &unit_name(&m.unit, lang), &mut w)?;
            num_cell(ws, row, 4, r.stats.mean, &nf, &mut w)?;
            num_cell(ws, row, 5, r.stats.ci95_low, &nf, &mut w)?;
            num_cell(ws, row, 6, r.stats.ci95_high, &nf, &mut w)?;
            ws.write_number(row, 7, r.stats.n as f64)?;
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 7)?;
    // The headline collaboration metric by year, and a native chart of it.
    let Some(m) = run
        .metric("collab_index")
        .or_else(|| headline(run).first().copied())
    else {
        return w.apply(ws, 50.0);
    };
    let top = row + 2;
    let title = rt::CHART_SUMMARY.fill(lang, &[("metric", metric_name(m, lang))]);
    ws.write_string_with_format(top - 1, 0, &title, &f.title)?;
    let mut cols = vec![rt::COL_YEAR.get(lang).to_string()];
    cols.extend((0..run.manifest.strategies.len()).map(|i| run.strategy_label(i, lang)));
    headers_over_numbers(ws, top, &cols, 0, f, &mut w)?;
    let nf = number_format(&m.unit);
    for y in 0..=years {
        let r = top + 1 + y as u32;
        let shown = run.manifest.calendar_year(y).map_or(y as f64, f64::from);
        ws.write_number(r, 0, shown)?;
        for (si, s) in run.manifest.strategies.iter().enumerate() {
            if let Some(x) = run.summary_row(s, &m.id, y) {
                num_cell(ws, r, 1 + si as u16, x.stats.mean, &nf, &mut w)?;
            }
        }
    }
    let last = top + 1 + years as u32;
    let chart = line_chart(
        sheet,
        (top, last),
        run.manifest.strategies.len() as u16,
        &title,
        rt::AXIS_YEAR.get(lang),
        &text::axis_label(m, lang),
    );
    ws.insert_chart(1, 9, &chart)?;
    w.apply(ws, 50.0)
}

/// A native line chart of a block of `sheet`: names in row `rows.0`,
/// values in rows `rows.0 + 1 ..= rows.1`, the x categories in column 0
/// and one series per column `1..=series`, coloured like the report's
/// strategies.
pub(super) fn line_chart(
    sheet: &str,
    rows: (u32, u32),
    series: u16,
    title: &str,
    x_name: &str,
    y_name: &str,
) -> Chart {
    let (top, last) = rows;
    let mut chart = Chart::new(ChartType::Line);
    for si in 0..series as usize {
        let c = 1 + si as u16;
        let colour = u32::from_str_radix(
            super::charts::strategy_colour(si).trim_start_matches('#'),
            16,
        )
        .unwrap_or(0);
        let mut line = ChartLine::new();
        line.set_color(Color::RGB(colour)).set_width(2.25);
        let mut format = ChartFormat::new();
        format.set_line(&line);
        chart
            .add_series()
            .set_format(&mut format)
            .set_name((sheet, top, c))
            .set_categories((sheet, top + 1, 0, last, 0))
            .set_values((sheet, top + 1, c, last, c));
    }
    chart.title().set_name(title);
    chart.x_axis().set_name(x_name);
    chart.y_axis().set_name(y_name);
    chart.set_width(640).set_height(360);
    chart
}

fn compare_sheet(
    ws: &mut Worksheet,
    run: &RunDir,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_COMPARE.get(lang))?;
    let mut w = Widths::new();
    let Some(b) = run.baseline_index() else {
        ws.write_string_with_format(0, 0, rt::NO_BASELINE.get(lang), &f.wrap)?;
        ws.set_column_width(0, 90)?;
        return Ok(());
    };
    let mut cols = tr(&[rt::COL_STRATEGY, rt::COL_BASELINE, rt::COL_METRIC], lang);
    cols.push("id".into());
    cols.extend(tr(
        &[
            rt::COL_UNIT,
            rt::COL_DIFF,
            rt::COL_CI_LOW,
            rt::COL_CI_HIGH,
            rt::COL_N,
        ],
        lang,
    ));
    headers(ws, 0, &cols, f, &mut w)?;
    let base = run.strategy_label(b, lang);
    let mut row = 1;
    for (si, _) in run
        .manifest
        .strategies
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != b)
    {
        for (mi, m) in run.metrics.iter().enumerate() {
            let Some(d) = stats::summarize(&run.paired_differences(si, b, mi)) else {
                continue;
            };
            let nf = number_format(&m.unit);
            str_cell(ws, row, 0, &run.strategy_label(si, lang), &mut w)?;
            str_cell(ws, row, 1, &base, &mut w)?;
            str_cell(ws, row, 2, metric_name(m, lang), &mut w)?;
            ws.write_string_with_format(row, 3, &m.id, &f.id)?;
            w.see(3, width(&m.id));
            str_cell(ws, row, 4, &unit_name(&m.unit, lang), &mut w)?;
            num_cell(ws, row, 5, d.mean, &nf, &mut w)?;
            num_cell(ws, row, 6, d.ci95_low, &nf, &mut w)?;
            num_cell(ws, row, 7, d.ci95_high, &nf, &mut w)?;
            ws.write_number(row, 8, d.n as f64)?;
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 8)?;
    w.apply(ws, 50.0)
}

fn timeseries_sheet(
    ws: &mut Worksheet,
    run: &RunDir,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_TIMESERIES.get(lang))?;
    let mut w = Widths::new();
    // Row 0: display names; row 1: stable ids (the filter row).
    let mut names = tr(&[rt::COL_STRATEGY, rt::COL_YEAR, rt::COL_QUARTER], lang);
    names.extend(run.metrics.iter().map(|m| text::axis_label(m, lang)));
    headers(ws, 0, &names, f, &mut w)?;
    // With `run.start_year` the year column holds calendar years.
    let year_id = match run.manifest.start_year {
        Some(_) => "calendar_year",
        None => "year",
    };
    let mut ids: Vec<String> = ["strategy", year_id, "quarter"].map(String::from).to_vec();
    ids.extend(run.metrics.iter().map(|m| m.id.clone()));
    for (c, id) in ids.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, id, &f.header)?;
    }
    ws.set_row_height(0, 45)?;
    let formats: Vec<Format> = run.metrics.iter().map(|m| number_format(&m.unit)).collect();
    let mut row = 2;
    for (si, _) in run.manifest.strategies.iter().enumerate() {
        for t in 0..run.times {
            let (year, quarter) = if t == 0 {
                (0, 0)
            } else {
                ((t - 1) / 4 + 1, (t - 1) % 4 + 1)
            };
            str_cell(ws, row, 0, &run.strategy_label(si, lang), &mut w)?;
            let shown = run
                .manifest
                .calendar_year(year)
                .map_or(year as f64, f64::from);
            ws.write_number(row, 1, shown)?;
            ws.write_number(row, 2, quarter as f64)?;
            for (mi, fmt) in formats.iter().enumerate() {
                if let Some(mean) = stats::mean(&run.world_values(si, mi, t)) {
                    num_cell(ws, row, 3 + mi as u16, mean, fmt, &mut w)?;
                }
            }
            row += 1;
        }
    }
    ws.set_freeze_panes(2, 1)?;
    ws.autofilter(1, 0, row.saturating_sub(1).max(2), (ids.len() - 1) as u16)?;
    w.apply(ws, 18.0)
}

fn regions_sheet(
    ws: &mut Worksheet,
    run: &RunDir,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_REGIONS.get(lang))?;
    let mut w = Widths::new();
    let heads: Vec<(usize, &MetricInfo)> = run
        .headline()
        .into_iter()
        .map(|i| (i, &run.metrics[i]))
        .collect();
    let mut names = tr(&[rt::COL_STRATEGY, rt::COL_SCOPE_LEVEL], lang);
    names.push("scope_id".into());
    names.push(rt::COL_SCOPE.get(lang).into());
    names.extend(heads.iter().map(|(_, m)| text::axis_label(m, lang)));
    headers(ws, 0, &names, f, &mut w)?;
    ws.set_row_height(0, 45)?;
    let formats: Vec<Format> = heads.iter().map(|(_, m)| number_format(&m.unit)).collect();
    let mut row = 1;
    for (si, _) in run.manifest.strategies.iter().enumerate() {
        for (ci, scope) in run
            .scopes
            .iter()
            .enumerate()
            .filter(|(_, sc)| sc.level != "world")
        {
            str_cell(ws, row, 0, &run.strategy_label(si, lang), &mut w)?;
            str_cell(
                ws,
                row,
                1,
                &text::scope_level_name(&scope.level, lang),
                &mut w,
            )?;
            ws.write_string_with_format(row, 2, &scope.id, &f.id)?;
            w.see(2, width(&scope.id));
            str_cell(ws, row, 3, &text::scope_name(scope, lang), &mut w)?;
            for (k, (mi, _)) in heads.iter().enumerate() {
                if let Some(v) = run.scope_horizon_mean(si, ci, *mi) {
                    num_cell(ws, row, 4 + k as u16, v, &formats[k], &mut w)?;
                }
            }
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), (names.len() - 1) as u16)?;
    w.apply(ws, 30.0)
}

fn parameters_sheet(
    ws: &mut Worksheet,
    run: &RunDir,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_PARAMETERS.get(lang))?;
    let mut w = Widths::new();
    headers(ws, 0, &tr(&[rt::COL_KEY, rt::COL_VALUE], lang), f, &mut w)?;
    let mut row = 1;
    for (k, v) in text::flatten(&run.manifest.resolved) {
        str_cell(ws, row, 0, &k, &mut w)?;
        // A 64-bit seed has more digits than a spreadsheet number keeps
        // (15), so seeds are text, exactly as written.
        let is_seed = k == "seed" || k.ends_with(".seed");
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && !is_seed => {
                ws.write_number(row, 1, x)?;
            }
            _ => str_cell(ws, row, 1, &v, &mut w)?,
        }
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 1)?;
    w.apply(ws, 70.0)
}

fn about_sheet(ws: &mut Worksheet, run: &RunDir, lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_ABOUT.get(lang))?;
    let m = &run.manifest;
    let mut w = Widths::new();
    headers(ws, 0, &tr(&[rt::COL_ITEM, rt::COL_VALUE], lang), f, &mut w)?;
    let cite = rt::ABOUT_CITE.fill(
        lang,
        &[
            ("version", &m.tool_version),
            ("scenario", &m.scenario_name),
            ("sha", &m.scenario_sha256),
            ("seed", &m.seed),
            ("replicates", &m.replicates.to_string()),
        ],
    );
    let rows: Vec<(Text, String)> = vec![
        (rt::ITEM_TOOL, m.tool_version.clone()),
        (rt::ITEM_SCENARIO, m.scenario_name.clone()),
        (rt::ITEM_DESCRIPTION, m.description(lang).to_string()),
        (rt::ITEM_FILE, m.scenario_file.clone()),
        (rt::ITEM_SHA, m.scenario_sha256.clone()),
        (rt::ITEM_SEED, m.seed.clone()),
        (rt::ITEM_REPLICATES, m.replicates.to_string()),
        (rt::ITEM_YEARS, m.years.to_string()),
        (rt::ITEM_STRATEGIES, m.strategies.join(", ")),
        (rt::COL_BASELINE, m.baseline.clone().unwrap_or_default()),
        (rt::ITEM_PRESET, m.preset.clone()),
        (rt::ITEM_CITE, cite),
    ];
    about_rows(
        ws,
        &rows,
        &[
            (rt::SHEET_SUMMARY, rt::ABOUT_SUMMARY),
            (rt::SHEET_COMPARE, rt::ABOUT_COMPARE),
            (rt::SHEET_TIMESERIES, rt::ABOUT_TIMESERIES),
            (rt::SHEET_REGIONS, rt::ABOUT_REGIONS),
            (rt::SHEET_PARAMETERS, rt::ABOUT_PARAMETERS),
        ],
        lang,
        f,
        w,
    )
}

/// The body of an About sheet under its header row: one row per (item,
/// value), then what each of the workbook's `sheets` holds.
pub(super) fn about_rows(
    ws: &mut Worksheet,
    rows: &[(Text, String)],
    sheets: &[(Text, Text)],
    lang: Lang,
    f: &Formats,
    mut w: Widths,
) -> Result<(), XlsxError> {
    let mut row = 1;
    for (item, value) in rows {
        str_cell(ws, row, 0, item.get(lang), &mut w)?;
        ws.write_string_with_format(row, 1, value, &f.wrap)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, rt::ITEM_SHEETS.get(lang), &f.title)?;
    row += 1;
    for (sheet, about) in sheets {
        str_cell(ws, row, 0, sheet.get(lang), &mut w)?;
        ws.write_string_with_format(row, 1, about.get(lang), &f.wrap)?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    w.apply(ws, 24.0)?;
    ws.set_column_width(1, 90)?;
    Ok(())
}
