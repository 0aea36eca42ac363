//! The workbook of a role-play session (`class-workbook.xlsx`, docs/classroom.md
//! "Exports"): Choices, Trajectory (with a native line chart), Class vs
//! strategies, Debrief and About sheets, in English or Chinese.
//!
//! Rules: built with the run workbook's cells, formats and chart
//! ([`super::xlsx`]), so both read alike: numbers are numbers with a
//! display format, every sheet has a frozen header and an autofilter, ids
//! stay in their own columns in either language, and the creation date is
//! fixed so the same session gives the same bytes. Every figure comes from
//! the session's saved choices, replayed ([`crate::class::export`]).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::text::unit_name;
use super::xlsx::{
    Formats, Widths, about_rows, headers, headers_over_numbers, line_chart, num_cell,
    number_format, sheet, str_cell, width, xerr,
};
use crate::Result;
use crate::catalog::Lang;
use crate::catalog::report_text::{self as rt, Text};
use crate::class::export::{self, ChoiceRow};
use crate::class::play::MetricInfo;
use crate::class::{Class, RoleKind};

/// Build the session's workbook and return its bytes.
pub fn build(class: &Class, lang: Lang) -> Result<Vec<u8>> {
    let rows = export::choice_rows(class);
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xerr)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("tiaokuai — {}", class.ctx.scenario.name))
            .set_creation_datetime(&created),
    );
    let f = Formats::new();
    choices_sheet(sheet(&mut wb), class, &rows, lang, &f).map_err(xerr)?;
    trajectory_sheet(sheet(&mut wb), class, lang, &f).map_err(xerr)?;
    compare_sheet(sheet(&mut wb), class, lang, &f).map_err(xerr)?;
    debrief_sheet(sheet(&mut wb), class, lang, &f).map_err(xerr)?;
    about_sheet(sheet(&mut wb), class, lang, &f).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}

/// A followed metric's name in `lang`.
pub(super) fn metric_name(m: &MetricInfo, lang: Lang) -> &str {
    let zh = if m.name_zh.is_empty() {
        &m.name_en
    } else {
        &m.name_zh
    };
    lang.pick(&m.name_en, zh)
}

/// "Name (unit)".
pub(super) fn axis_label(m: &MetricInfo, lang: Lang) -> String {
    format!("{} ({})", metric_name(m, lang), unit_name(&m.unit, lang))
}

pub(super) fn kind_name(k: RoleKind) -> Text {
    match k {
        RoleKind::Province => rt::KIND_PROVINCE,
        RoleKind::City => rt::KIND_CITY,
        RoleKind::Line => rt::KIND_LINE,
    }
}

pub(super) fn verdict_name(v: &str) -> &'static Text {
    match v {
        "better" => &rt::VERDICT_BETTER,
        "worse" => &rt::VERDICT_WORSE,
        _ => &rt::VERDICT_SAME,
    }
}

pub(super) fn yes_no(b: bool) -> Text {
    if b { rt::YES } else { rt::NO }
}

/// A role's display name in `lang`.
pub(super) fn role_name(class: &Class, i: usize, lang: Lang) -> &str {
    let r = &class.def.roles[i];
    if lang == Lang::Zh && !r.name_zh.is_empty() {
        &r.name_zh
    } else {
        &r.name
    }
}

/// A strategy's display name in `lang`.
pub(super) fn strategy_name(class: &Class, i: usize, lang: Lang) -> &str {
    let s = &class.results.strategies[i];
    if lang == Lang::Zh && !s.name_zh.is_empty() {
        &s.name_zh
    } else {
        &s.name
    }
}

fn tr(list: &[Text], lang: Lang) -> Vec<String> {
    list.iter().map(|t| t.get(lang).to_string()).collect()
}

/// Two header rows: names in `lang` (row 0) and stable ids (row 1, the filter row).
fn two_headers(
    ws: &mut Worksheet,
    names: &[String],
    ids: &[&str],
    f: &Formats,
    w: &mut Widths,
) -> Result<(), XlsxError> {
    headers(ws, 0, names, f, w)?;
    for (c, id) in ids.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *id, &f.header)?;
        w.see(c as u16, width(id));
    }
    ws.set_row_height(0, 45)?;
    Ok(())
}

fn choices_sheet(
    ws: &mut Worksheet,
    class: &Class,
    rows: &[ChoiceRow],
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_CHOICES.get(lang))?;
    let mut w = Widths::new();
    let names = tr(
        &[
            rt::COL_YEAR,
            rt::COL_ROLE,
            rt::COL_ROLE_NAME,
            rt::COL_KIND,
            rt::COL_PLAYER,
            rt::COL_CHOSEN_BY,
            rt::COL_PLATFORM,
            rt::COL_SHARE,
            rt::COL_STANDARD,
            rt::COL_TRANSFER,
            rt::COL_COPY,
            rt::COL_POINTS,
            rt::COL_COLLAB,
            rt::COL_FLOW_UP,
            rt::COL_FLOW_DOWN,
            rt::COL_SHARING,
            rt::COL_COST,
            rt::COL_INNOVATIONS,
            rt::COL_INNOVATIONS_COPIED,
            rt::COL_FREE_RIDER,
        ],
        lang,
    );
    // The columns of choices.csv, with the role's name after its id.
    let mut ids = export::CHOICES_COLUMNS.to_vec();
    ids.insert(2, "role_name");
    two_headers(ws, &names, &ids, f, &mut w)?;
    let (index, share, money) = (
        number_format("index 0-100"),
        number_format("share 0-1"),
        number_format("million yuan"),
    );
    let mut row = 2;
    for r in rows {
        let i = class
            .def
            .role_index(&r.role.id)
            .expect("rows hold declared roles");
        let (ch, res) = (r.choice, &r.result);
        ws.write_number(row, 0, r.year as f64)?;
        str_cell(ws, row, 1, &r.role.id, &mut w)?;
        str_cell(ws, row, 2, role_name(class, i, lang), &mut w)?;
        str_cell(ws, row, 3, export::kind_id(r.role.kind), &mut w)?;
        str_cell(ws, row, 4, res.player.as_deref().unwrap_or(""), &mut w)?;
        str_cell(
            ws,
            row,
            5,
            if ch.is_some() { "student" } else { "strategy" },
            &mut w,
        )?;
        str_cell(ws, row, 6, export::platform_id(ch), &mut w)?;
        str_cell(ws, row, 7, export::share_id(ch), &mut w)?;
        str_cell(ws, row, 8, export::standard_id(ch), &mut w)?;
        ws.write_boolean(row, 9, ch.is_some_and(|c| c.transfer))?;
        str_cell(ws, row, 10, export::copy_id(ch), &mut w)?;
        ws.write_number(
            row,
            11,
            f64::from(ch.map_or(0, |c| c.cost(&class.def.params.costs))),
        )?;
        num_cell(ws, row, 12, res.collab, &index, &mut w)?;
        num_cell(ws, row, 13, res.flow_up, &share, &mut w)?;
        num_cell(ws, row, 14, res.flow_down, &share, &mut w)?;
        num_cell(ws, row, 15, res.sharing, &share, &mut w)?;
        num_cell(ws, row, 16, res.cost, &money, &mut w)?;
        ws.write_number(row, 17, f64::from(res.innovations))?;
        ws.write_number(row, 18, f64::from(res.copied))?;
        ws.write_boolean(row, 19, res.free_rider)?;
        row += 1;
    }
    ws.set_freeze_panes(2, 2)?;
    ws.autofilter(1, 0, row.saturating_sub(1).max(2), (ids.len() - 1) as u16)?;
    w.apply(ws, 30.0)
}

fn trajectory_sheet(
    ws: &mut Worksheet,
    class: &Class,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    let sheet = rt::SHEET_TRAJECTORY.get(lang);
    ws.set_name(sheet)?;
    let r = &class.results;
    let mut w = Widths::new();
    let mut cols = tr(&[rt::COL_YEAR, rt::COL_METRIC], lang);
    cols.push("id".into());
    cols.push(rt::COL_UNIT.get(lang).into());
    cols.push(rt::LABEL_CLASS.get(lang).into());
    cols.extend((0..r.strategies.len()).map(|i| strategy_name(class, i, lang).to_string()));
    headers_over_numbers(ws, 0, &cols, 4, f, &mut w)?;
    let mut row = 1;
    for y in 0..=r.year {
        for (m, info) in r.metrics.iter().enumerate() {
            let nf = number_format(&info.unit);
            ws.write_number(row, 0, y as f64)?;
            str_cell(ws, row, 1, metric_name(info, lang), &mut w)?;
            ws.write_string_with_format(row, 2, &info.id, &f.id)?;
            w.see(2, width(&info.id));
            str_cell(ws, row, 3, &unit_name(&info.unit, lang), &mut w)?;
            num_cell(ws, row, 4, r.class_path[y][m], &nf, &mut w)?;
            for (si, s) in r.strategies.iter().enumerate() {
                num_cell(ws, row, 5 + si as u16, s.path[y][m], &nf, &mut w)?;
            }
            row += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), (cols.len() - 1) as u16)?;
    // The collaboration index by year, class and strategies, with its chart.
    let Some(m) = r
        .metrics
        .iter()
        .position(|m| m.id == "collab_index")
        .or((!r.metrics.is_empty()).then_some(0))
    else {
        return w.apply(ws, 40.0);
    };
    let info = &r.metrics[m];
    let top = row + 2;
    let title = rt::CHART_CLASS_PATH.fill(lang, &[("metric", metric_name(info, lang))]);
    ws.write_string_with_format(top - 1, 0, &title, &f.title)?;
    let mut cols = vec![
        rt::COL_YEAR.get(lang).to_string(),
        rt::LABEL_CLASS.get(lang).to_string(),
    ];
    cols.extend((0..r.strategies.len()).map(|i| strategy_name(class, i, lang).to_string()));
    headers_over_numbers(ws, top, &cols, 0, f, &mut w)?;
    let nf = number_format(&info.unit);
    for y in 0..=r.year {
        let row = top + 1 + y as u32;
        ws.write_number(row, 0, y as f64)?;
        num_cell(ws, row, 1, r.class_path[y][m], &nf, &mut w)?;
        for (si, s) in r.strategies.iter().enumerate() {
            num_cell(ws, row, 2 + si as u16, s.path[y][m], &nf, &mut w)?;
        }
    }
    let chart = line_chart(
        sheet,
        (top, top + 1 + r.year as u32),
        1 + r.strategies.len() as u16,
        &title,
        rt::AXIS_YEAR.get(lang),
        &axis_label(info, lang),
    );
    ws.insert_chart(1, cols.len().max(6) as u16 + 4, &chart)?;
    w.apply(ws, 40.0)
}

fn compare_sheet(
    ws: &mut Worksheet,
    class: &Class,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_CLASS_COMPARE.get(lang))?;
    let r = &class.results;
    let mut w = Widths::new();
    let mut cols = tr(&[rt::COL_YEAR, rt::COL_STRATEGY, rt::COL_METRIC], lang);
    cols.push("id".into());
    cols.extend(tr(
        &[
            rt::COL_UNIT,
            rt::COL_CLASS_MEAN,
            rt::COL_STRATEGY_MEAN,
            rt::COL_CLASS_DIFF,
            rt::COL_CI_LOW,
            rt::COL_CI_HIGH,
            rt::COL_VERDICT,
            rt::COL_N,
        ],
        lang,
    ));
    headers(ws, 0, &cols, f, &mut w)?;
    let mut row = 1;
    for c in &r.comparisons {
        let Some(info) = r.metrics.iter().find(|m| m.id == c.metric) else {
            continue;
        };
        let si = r
            .strategies
            .iter()
            .position(|s| s.name == c.strategy)
            .unwrap_or(0);
        let nf = number_format(&info.unit);
        ws.write_number(row, 0, r.year as f64)?;
        str_cell(ws, row, 1, strategy_name(class, si, lang), &mut w)?;
        str_cell(ws, row, 2, metric_name(info, lang), &mut w)?;
        ws.write_string_with_format(row, 3, &info.id, &f.id)?;
        w.see(3, width(&info.id));
        str_cell(ws, row, 4, &unit_name(&info.unit, lang), &mut w)?;
        num_cell(ws, row, 5, c.class_mean, &nf, &mut w)?;
        num_cell(ws, row, 6, c.strategy_mean, &nf, &mut w)?;
        num_cell(ws, row, 7, c.diff, &nf, &mut w)?;
        num_cell(ws, row, 8, c.ci95_low, &nf, &mut w)?;
        num_cell(ws, row, 9, c.ci95_high, &nf, &mut w)?;
        str_cell(ws, row, 10, verdict_name(&c.verdict).get(lang), &mut w)?;
        ws.write_number(row, 11, f64::from(r.replicates))?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), (cols.len() - 1) as u16)?;
    w.apply(ws, 40.0)
}

fn debrief_sheet(
    ws: &mut Worksheet,
    class: &Class,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_DEBRIEF.get(lang))?;
    let r = &class.results;
    let mut w = Widths::new();
    let cols = tr(
        &[
            rt::COL_ROLE,
            rt::COL_ROLE_NAME,
            rt::COL_KIND,
            rt::COL_PLAYER,
            rt::COL_ROUNDS_SHARED,
            rt::COL_ROUNDS_PLAYED,
            rt::COL_POINTS_SPENT,
            rt::COL_COLLAB,
            rt::COL_FLOW_DOWN,
            rt::COL_FLOW_UP,
            rt::COL_SHARING,
            rt::COL_COST,
            rt::COL_FREE_RIDER,
        ],
        lang,
    );
    headers(ws, 0, &cols, f, &mut w)?;
    let (index, share, money) = (
        number_format("index 0-100"),
        number_format("share 0-1"),
        number_format("million yuan"),
    );
    let mut row = 1;
    for (i, res) in r.roles.iter().enumerate() {
        let role = &class.def.roles[i];
        str_cell(ws, row, 0, &res.id, &mut w)?;
        str_cell(ws, row, 1, role_name(class, i, lang), &mut w)?;
        str_cell(ws, row, 2, kind_name(role.kind).get(lang), &mut w)?;
        str_cell(ws, row, 3, res.player.as_deref().unwrap_or(""), &mut w)?;
        ws.write_number(row, 4, res.rounds_shared as f64)?;
        ws.write_number(row, 5, res.rounds_played as f64)?;
        ws.write_number(row, 6, f64::from(res.points_spent))?;
        num_cell(ws, row, 7, res.collab, &index, &mut w)?;
        num_cell(ws, row, 8, res.flow_down, &share, &mut w)?;
        num_cell(ws, row, 9, res.flow_up, &share, &mut w)?;
        num_cell(ws, row, 10, res.sharing, &share, &mut w)?;
        num_cell(ws, row, 11, res.cost, &money, &mut w)?;
        str_cell(ws, row, 12, yes_no(res.free_rider).get(lang), &mut w)?;
        row += 1;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), (cols.len() - 1) as u16)?;
    // Where data stopped flowing: flows by level, then the lowest units.
    row += 1;
    ws.write_string_with_format(row, 0, rt::DEBRIEF_LEVELS.get(lang), &f.title)?;
    row += 1;
    let cols = tr(&LEVEL_COLUMNS, lang);
    headers_over_numbers(ws, row, &cols, 1, f, &mut w)?;
    row += 1;
    for l in &r.levels {
        str_cell(ws, row, 0, &level_name(&l.level, lang), &mut w)?;
        ws.write_number(row, 1, l.units as f64)?;
        num_cell(ws, row, 2, l.flow_up, &share, &mut w)?;
        num_cell(ws, row, 3, l.flow_down, &share, &mut w)?;
        num_cell(ws, row, 4, l.sharing, &share, &mut w)?;
        row += 1;
    }
    row += 1;
    let stopped = rt::DEBRIEF_STOPPED.fill(lang, &[("units", &stopped_names(class, lang))]);
    ws.write_string_with_format(row, 0, &stopped, &Format::new())?;
    w.apply(ws, 40.0)
}

/// A level's name in `lang` (from its id).
/// Columns of the debrief's flows by level (page and workbook alike).
pub(super) const LEVEL_COLUMNS: [Text; 5] = [
    rt::COL_LEVEL,
    rt::COL_UNITS,
    rt::COL_FLOW_UP,
    rt::COL_FLOW_DOWN,
    rt::COL_SHARING,
];

pub(super) fn level_name(id: &str, lang: Lang) -> String {
    crate::catalog::Level::from_id(id).map_or(id.to_string(), |l| l.name(lang).to_string())
}

/// The units with the least data flowing down, by name in `lang`.
pub(super) fn stopped_names(class: &Class, lang: Lang) -> String {
    let r = &class.results;
    r.stopped
        .iter()
        .map(|id| {
            r.units
                .iter()
                .find(|u| &u.id == id)
                .map_or(id.as_str(), |u| lang.pick(&u.name_en, &u.name_zh))
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(lang.pick(", ", "、"))
}

fn about_sheet(
    ws: &mut Worksheet,
    class: &Class,
    lang: Lang,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(rt::SHEET_ABOUT.get(lang))?;
    let sc = &class.ctx.scenario;
    let mut w = Widths::new();
    headers(ws, 0, &tr(&[rt::COL_ITEM, rt::COL_VALUE], lang), f, &mut w)?;
    let seed = sc.run.seed.to_string();
    let replicates = class.def.params.replicates.to_string();
    let cite = rt::ABOUT_SESSION_CITE.fill(
        lang,
        &[
            ("version", crate::VERSION),
            ("scenario", &sc.name),
            ("sha", &class.saved.scenario_sha256),
            ("seed", &seed),
            ("replicates", &replicates),
        ],
    );
    let description = lang.pick(&sc.description, &sc.description_zh);
    let rows: Vec<(Text, String)> = vec![
        (rt::ITEM_TOOL, crate::VERSION.to_string()),
        (rt::ITEM_SCENARIO, sc.name.clone()),
        (
            rt::ITEM_DESCRIPTION,
            if description.is_empty() {
                sc.description.clone()
            } else {
                description.to_string()
            },
        ),
        (rt::ITEM_SHA, class.saved.scenario_sha256.clone()),
        (rt::ITEM_SEED, seed.clone()),
        (rt::ITEM_REPLICATES, replicates.clone()),
        (rt::ITEM_PLAYED, class.year().to_string()),
        (rt::ITEM_YEARS, class.years().to_string()),
        (rt::ITEM_PLAYERS, class.saved.players.len().to_string()),
        (rt::ITEM_ROLES, class.def.roles.len().to_string()),
        (
            rt::ITEM_CLASS_STRATEGY,
            sc.strategies[class.def.strategy].name.clone(),
        ),
        (rt::ITEM_CITE, cite),
    ];
    about_rows(
        ws,
        &rows,
        &[
            (rt::SHEET_CHOICES, rt::ABOUT_CHOICES),
            (rt::SHEET_TRAJECTORY, rt::ABOUT_TRAJECTORY),
            (rt::SHEET_CLASS_COMPARE, rt::ABOUT_CLASS_COMPARE),
            (rt::SHEET_DEBRIEF, rt::ABOUT_DEBRIEF),
        ],
        lang,
        f,
        w,
    )
}
