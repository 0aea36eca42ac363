//! The session as CSV for grading and for study (docs/classroom.md,
//! "Exports"): one row per (year, role) with the choice in force and the
//! role's results in the world on the teacher's screen, and one row per
//! (year, metric) of the class's path against every strategy.
//!
//! Rule: every figure is recomputed from the saved choices (the results of
//! earlier years are replayed, not remembered), so the file is the same
//! whenever it is downloaded.

use super::play::RoleResult;
use super::{Choice, Class, PlatformChoice, Role, RoleKind};
use crate::scenario::StandardsMode;

/// One (year, role) of the session: the choice in force that year and the
/// role's results at its end (the rows of `choices.csv` and of the
/// workbook's choices sheet).
pub struct ChoiceRow<'a> {
    pub year: usize,
    pub role: &'a Role,
    /// The student's choice (`None`: the role followed the class strategy).
    pub choice: Option<&'a Choice>,
    pub result: RoleResult,
}

/// Every (year, role) of the session, year 1 first, roles in file order.
/// The results of year y are replayed from the first y rounds.
pub fn choice_rows(class: &Class) -> Vec<ChoiceRow<'_>> {
    let mut out = Vec::new();
    for y in 1..=class.year() {
        let results = super::play::results(class, &class.saved.rounds[..y]);
        for (role, result) in class.def.roles.iter().zip(results.roles) {
            out.push(ChoiceRow {
                year: y,
                role,
                choice: class.saved.rounds[y - 1].get(&role.id),
                result,
            });
        }
    }
    out
}

/// `province`, `city` or `line`.
pub fn kind_id(k: RoleKind) -> &'static str {
    match k {
        RoleKind::Province => "province",
        RoleKind::City => "city",
        RoleKind::Line => "line",
    }
}

/// `own` or `join` (empty: the class strategy's).
pub fn platform_id(ch: Option<&Choice>) -> &'static str {
    match ch.and_then(|c| c.platform) {
        Some(PlatformChoice::Own) => "own",
        Some(PlatformChoice::Join) => "join",
        None => "",
    }
}

/// `true` or `false` (empty: the class strategy's).
pub fn share_id(ch: Option<&Choice>) -> &'static str {
    match ch.and_then(|c| c.share) {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    }
}

/// `none`, `provincial` or `national` (empty: the class strategy's).
pub fn standard_id(ch: Option<&Choice>) -> &'static str {
    match ch.and_then(|c| c.standard) {
        Some(StandardsMode::None) => "none",
        Some(StandardsMode::Provincial) => "provincial",
        Some(StandardsMode::National) => "national",
        None => "",
    }
}

/// The role copied from (empty: no copy this year).
pub fn copy_id(ch: Option<&Choice>) -> &str {
    ch.and_then(|c| c.copy.as_deref()).unwrap_or("")
}

/// The columns of `choices.csv`.
pub const CHOICES_COLUMNS: [&str; 19] = [
    "year",
    "role",
    "kind",
    "player",
    "chosen_by",
    "platform",
    "share",
    "standard",
    "transfer",
    "copy",
    "points",
    "collab_index",
    "flow_up",
    "flow_down",
    "sharing",
    "cost_total",
    "innovations",
    "innovations_copied",
    "free_rider",
];

/// `choices.csv`: year, role, kind, player, the choice (with the role it
/// copied from), its cost, and the role's results at the end of that year
/// (with the innovations its cities and counties hold and have copied).
pub fn choices_csv(class: &Class) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(CHOICES_COLUMNS);
    for row in choice_rows(class) {
        let (ch, res) = (row.choice, &row.result);
        let _ = w.write_record([
            row.year.to_string(),
            row.role.id.clone(),
            kind_id(row.role.kind).into(),
            res.player.clone().unwrap_or_default(),
            if ch.is_some() { "student" } else { "strategy" }.into(),
            platform_id(ch).into(),
            share_id(ch).into(),
            standard_id(ch).into(),
            ch.is_some_and(|c| c.transfer).to_string(),
            copy_id(ch).into(),
            ch.map_or(0, |c| c.cost(&class.def.params.costs))
                .to_string(),
            num(res.collab),
            num(res.flow_up),
            num(res.flow_down),
            num(res.sharing),
            num(res.cost),
            res.innovations.to_string(),
            res.copied.to_string(),
            res.free_rider.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `trajectory.csv`: year, metric, the class's mean and every strategy's
/// mean over the replicates; at the current year also the paired
/// difference class − strategy with its 95% interval (in `comparison.csv`).
pub fn trajectory_csv(class: &Class) -> Vec<u8> {
    let r = &class.results;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["year".to_string(), "metric".into(), "class".into()];
    head.extend(r.strategies.iter().map(|s| s.name.clone()));
    let _ = w.write_record(&head);
    for y in 0..=r.year {
        for (m, info) in r.metrics.iter().enumerate() {
            let mut row = vec![y.to_string(), info.id.clone(), num(r.class_path[y][m])];
            row.extend(r.strategies.iter().map(|s| num(s.path[y][m])));
            let _ = w.write_record(&row);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// `comparison.csv`: the class against each strategy at the current year.
pub fn comparison_csv(class: &Class) -> Vec<u8> {
    let r = &class.results;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "year",
        "strategy",
        "metric",
        "class_mean",
        "strategy_mean",
        "diff",
        "ci95_low",
        "ci95_high",
        "verdict",
        "replicates",
    ]);
    for c in &r.comparisons {
        let _ = w.write_record([
            r.year.to_string(),
            c.strategy.clone(),
            c.metric.clone(),
            num(c.class_mean),
            num(c.strategy_mean),
            num(c.diff),
            num(c.ci95_low),
            num(c.ci95_high),
            c.verdict.clone(),
            r.replicates.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.6}")
    } else {
        String::new()
    }
}
