//! The self-contained HTML report of a role-play session
//! (`class-report.html`, docs/classroom.md "Exports"): the class's path
//! against every scripted strategy, the paired differences at the last
//! year played, the debrief tables and the choices year by year, in
//! English or Chinese.
//!
//! Rules: the same page, charts and words as the run report
//! ([`super::html::page`], [`super::charts`], the catalogue), so it is one
//! file with inline CSS and SVG, no scripts and nothing fetched, and
//! well-formed XML; every figure comes from the session's saved choices,
//! replayed; table cells carry the exact value in `data-value`.

use std::fmt::Write;

use super::charts::{self, Fan, ForestRow, esc};
use super::class_xlsx::{
    axis_label, kind_name, level_name, metric_name, role_name, stopped_names, strategy_name,
    verdict_name, yes_no,
};
use super::html::{figure, page};
use super::text::{fmt_fixed, unit_name};
use crate::catalog::Lang;
use crate::catalog::report_text as rt;
use crate::class::export;
use crate::class::{Choice, Class};

/// Render the session's report.
pub fn render(class: &Class, lang: Lang) -> String {
    let mut body = String::new();
    session_section(&mut body, class, lang);
    if class.year() == 0 {
        let _ = writeln!(
            body,
            "<section><p>{}</p></section>",
            esc(rt::NO_ROUNDS.get(lang))
        );
    } else {
        path_section(&mut body, class, lang);
        diff_section(&mut body, class, lang);
        debrief_section(&mut body, class, lang);
        choices_section(&mut body, class, lang);
    }
    let sc = &class.ctx.scenario;
    let title = format!("{} — {}", rt::SESSION_TITLE.get(lang), sc.name);
    let footer =
        rt::SESSION_GENERATED_BY.fill(lang, &[("version", crate::VERSION), ("scenario", &sc.name)]);
    page(lang, &title, &body, &footer)
}

fn h2(out: &mut String, title: &str) {
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(title));
}

fn session_section(out: &mut String, class: &Class, lang: Lang) {
    let sc = &class.ctx.scenario;
    h2(out, rt::SEC_SCENARIO.get(lang));
    let description = lang.pick(&sc.description, &sc.description_zh);
    if !description.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(description));
    }
    let strategy = &sc.strategies[class.def.strategy];
    let line = rt::SESSION_LINE.fill(
        lang,
        &[
            ("played", &class.year().to_string()),
            ("years", &class.years().to_string()),
            ("players", &class.saved.players.len().to_string()),
            ("roles", &class.def.roles.len().to_string()),
            (
                "strategy",
                if lang == Lang::Zh && !strategy.name_zh.is_empty() {
                    &strategy.name_zh
                } else {
                    &strategy.name
                },
            ),
            ("replicates", &class.def.params.replicates.to_string()),
            ("seed", &sc.run.seed.to_string()),
        ],
    );
    let _ = writeln!(out, "<p>{}</p>", esc(&line));
    out.push_str("</section>\n");
}

/// One line per series over the years played (the class) or every year
/// (the strategies): the class first, then the strategies in file order.
fn fans(class: &Class, m: usize, lang: Lang) -> Vec<Fan> {
    let r = &class.results;
    let line = |path: &[Vec<f64>], upto: usize| -> Vec<(f64, f64, f64, f64)> {
        path.iter()
            .take(upto + 1)
            .enumerate()
            .map(|(y, v)| (y as f64, v[m], v[m], v[m]))
            .collect()
    };
    let mut out = vec![Fan {
        name: "class".into(),
        label: rt::LABEL_CLASS.get(lang).into(),
        points: line(&r.class_path, r.year),
    }];
    out.extend(r.strategies.iter().enumerate().map(|(i, s)| Fan {
        name: s.name.clone(),
        label: strategy_name(class, i, lang).into(),
        points: line(&s.path, r.year),
    }));
    out
}

fn path_section(out: &mut String, class: &Class, lang: Lang) {
    h2(out, rt::SEC_CLASS_PATH.get(lang));
    for (m, info) in class.results.metrics.iter().enumerate() {
        let title = rt::CHART_CLASS_PATH.fill(lang, &[("metric", metric_name(info, lang))]);
        let svg = charts::fan_chart(
            &format!("class-{}", info.id),
            &title,
            rt::AXIS_YEAR.get(lang),
            &axis_label(info, lang),
            &fans(class, m, lang),
        );
        figure(out, &title, &svg, rt::CAPTION_CLASS_PATH.get(lang));
    }
    out.push_str("</section>\n");
}

fn diff_section(out: &mut String, class: &Class, lang: Lang) {
    let r = &class.results;
    let year = r.year.to_string();
    h2(out, &rt::SEC_CLASS_DIFF.fill(lang, &[("year", &year)]));
    // The forest of the collaboration index (or the first metric).
    if let Some(info) = r
        .metrics
        .iter()
        .find(|m| m.id == "collab_index")
        .or(r.metrics.first())
    {
        let rows: Vec<ForestRow> = r
            .comparisons
            .iter()
            .filter(|c| c.metric == info.id)
            .map(|c| ForestRow {
                label: r
                    .strategies
                    .iter()
                    .position(|s| s.name == c.strategy)
                    .map_or(c.strategy.clone(), |i| {
                        strategy_name(class, i, lang).to_string()
                    }),
                value: c.diff,
                low: c.ci95_low,
                high: c.ci95_high,
            })
            .collect();
        let name = metric_name(info, lang);
        let title = rt::CHART_CLASS_FOREST.fill(lang, &[("metric", name), ("year", &year)]);
        let x = format!(
            "{} ({})",
            rt::AXIS_CLASS_DIFF.get(lang),
            unit_name(&info.unit, lang)
        );
        let svg = charts::forest("class-diff", &title, &x, (0.0, 0.0), &rows);
        figure(out, &title, &svg, rt::CAPTION_CLASS_FOREST.get(lang));
    }
    out.push_str("<table class=\"class-comparison\">");
    header_row(
        out,
        &[
            rt::COL_STRATEGY,
            rt::COL_METRIC,
            rt::COL_CLASS_MEAN,
            rt::COL_STRATEGY_MEAN,
            rt::COL_CLASS_DIFF,
            rt::COL_VERDICT,
        ],
        lang,
    );
    for c in &r.comparisons {
        let Some(info) = r.metrics.iter().find(|m| m.id == c.metric) else {
            continue;
        };
        let si = r.strategies.iter().position(|s| s.name == c.strategy);
        let d = super::text::decimals_for(&[c.class_mean, c.strategy_mean]);
        let class_attr = match c.verdict.as_str() {
            "better" => " class=\"better\"",
            "worse" => " class=\"worse\"",
            _ => "",
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td data-value=\"{}\">{}</td><td data-value=\"{}\">{}</td><td{class_attr} data-strategy=\"{}\" data-metric=\"{}\" data-value=\"{}\">{}<br/><small>[{}, {}]</small></td><td>{}</td></tr>",
            esc(si.map_or(c.strategy.as_str(), |i| strategy_name(class, i, lang))),
            esc(metric_name(info, lang)),
            c.class_mean,
            esc(&fmt_fixed(c.class_mean, d)),
            c.strategy_mean,
            esc(&fmt_fixed(c.strategy_mean, d)),
            esc(&c.strategy),
            esc(&c.metric),
            c.diff,
            esc(&fmt_fixed(c.diff, d)),
            esc(&fmt_fixed(c.ci95_low, d)),
            esc(&fmt_fixed(c.ci95_high, d)),
            esc(verdict_name(&c.verdict).get(lang)),
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}

fn header_row(out: &mut String, cols: &[rt::Text], lang: Lang) {
    out.push_str("<thead><tr>");
    for c in cols {
        let _ = write!(out, "<th>{}</th>", esc(c.get(lang)));
    }
    out.push_str("</tr></thead><tbody>\n");
}

fn debrief_section(out: &mut String, class: &Class, lang: Lang) {
    let r = &class.results;
    h2(out, rt::SEC_DEBRIEF.get(lang));
    let _ = writeln!(out, "<h3>{}</h3>", esc(rt::DEBRIEF_SHARERS.get(lang)));
    let _ = writeln!(
        out,
        "<p class=\"note\">{}</p>",
        esc(rt::DEBRIEF_SHARERS_NOTE.get(lang))
    );
    out.push_str("<table class=\"debrief-roles\">");
    header_row(
        out,
        &[
            rt::COL_ROLE,
            rt::COL_KIND,
            rt::COL_PLAYER,
            rt::COL_ROUNDS_SHARED,
            rt::COL_ROUNDS_PLAYED,
            rt::COL_POINTS_SPENT,
            rt::COL_COLLAB,
            rt::COL_FLOW_DOWN,
            rt::COL_FREE_RIDER,
        ],
        lang,
    );
    for (i, res) in r.roles.iter().enumerate() {
        let _ = writeln!(
            out,
            "<tr data-role=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td data-value=\"{}\">{}</td><td data-value=\"{}\">{}</td><td{}>{}</td></tr>",
            esc(&res.id),
            esc(role_name(class, i, lang)),
            esc(kind_name(class.def.roles[i].kind).get(lang)),
            esc(res.player.as_deref().unwrap_or("—")),
            res.rounds_shared,
            res.rounds_played,
            res.points_spent,
            res.collab,
            esc(&fmt_fixed(res.collab, 1)),
            res.flow_down,
            esc(&fmt_fixed(res.flow_down, 3)),
            if res.free_rider {
                " class=\"worse\""
            } else {
                ""
            },
            esc(yes_no(res.free_rider).get(lang)),
        );
    }
    out.push_str("</tbody></table>\n");
    let _ = writeln!(out, "<h3>{}</h3>", esc(rt::DEBRIEF_LEVELS.get(lang)));
    out.push_str("<table class=\"debrief-levels\">");
    header_row(out, &super::class_xlsx::LEVEL_COLUMNS, lang);
    for l in &r.levels {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td data-value=\"{}\">{}</td><td data-value=\"{}\">{}</td><td data-value=\"{}\">{}</td></tr>",
            esc(&level_name(&l.level, lang)),
            l.units,
            l.flow_up,
            esc(&fmt_fixed(l.flow_up, 3)),
            l.flow_down,
            esc(&fmt_fixed(l.flow_down, 3)),
            l.sharing,
            esc(&fmt_fixed(l.sharing, 3)),
        );
    }
    out.push_str("</tbody></table>\n");
    let stopped = rt::DEBRIEF_STOPPED.fill(lang, &[("units", &stopped_names(class, lang))]);
    let _ = writeln!(out, "<p>{}</p>\n</section>", esc(&stopped));
}

/// A choice in words (`None`: the role followed the strategy).
fn choice_text(ch: Option<&Choice>, lang: Lang) -> String {
    let Some(c) = ch else {
        return rt::CHOICE_NONE.get(lang).into();
    };
    let mut parts = Vec::new();
    match export::platform_id(Some(c)) {
        "own" => parts.push(rt::CHOICE_OWN.get(lang).to_string()),
        "join" => parts.push(rt::CHOICE_JOIN.get(lang).to_string()),
        _ => {}
    }
    match c.share {
        Some(true) => parts.push(rt::CHOICE_SHARE.get(lang).into()),
        Some(false) => parts.push(rt::CHOICE_KEEP.get(lang).into()),
        None => {}
    }
    if c.standard.is_some() {
        parts.push(rt::CHOICE_STANDARD.fill(lang, &[("standard", export::standard_id(Some(c)))]));
    }
    if c.transfer {
        parts.push(rt::CHOICE_TRANSFER.get(lang).into());
    }
    if let Some(from) = &c.copy {
        parts.push(rt::CHOICE_COPY.fill(lang, &[("role", from)]));
    }
    if parts.is_empty() {
        rt::CHOICE_NONE.get(lang).into()
    } else {
        parts.join(lang.pick("; ", "；"))
    }
}

fn choices_section(out: &mut String, class: &Class, lang: Lang) {
    h2(out, rt::SEC_CHOICES.get(lang));
    out.push_str("<table class=\"choices\"><thead><tr>");
    let _ = write!(out, "<th>{}</th>", esc(rt::COL_ROLE.get(lang)));
    for y in 1..=class.year() {
        let _ = write!(out, "<th>{} {y}</th>", esc(rt::COL_YEAR.get(lang)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for (i, role) in class.def.roles.iter().enumerate() {
        let _ = write!(
            out,
            "<tr data-role=\"{}\"><td>{}</td>",
            esc(&role.id),
            esc(role_name(class, i, lang))
        );
        for round in &class.saved.rounds {
            let _ = write!(
                out,
                "<td>{}</td>",
                esc(&choice_text(round.get(&role.id), lang))
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n</section>\n");
}
