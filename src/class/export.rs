//! The session as CSV for grading and for study (docs/classroom.md,
//! "Exports"): one row per (year, role) with the choice in force and the
//! role's results in the world on the teacher's screen, and one row per
//! (year, metric) of the class's path against every strategy.
//!
//! Rule: every figure is recomputed from the saved choices (the results of
//! earlier years are replayed, not remembered), so the file is the same
//! whenever it is downloaded.

use super::Class;
use crate::scenario::StandardsMode;

/// `choices.csv`: year, role, kind, player, the choice (with the role it
/// copied from), its cost, and the role's results at the end of that year
/// (with the innovations its cities and counties hold and have copied).
pub fn choices_csv(class: &Class) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    // Results of each year: replay the first y rounds.
    for y in 1..=class.year() {
        let results = super::play::results(class, &class.saved.rounds[..y]);
        for (role, res) in class.def.roles.iter().zip(&results.roles) {
            let ch = class.saved.rounds[y - 1].get(&role.id);
            let kind = format!("{:?}", role.kind).to_lowercase();
            let opt = |s: Option<String>| s.unwrap_or_default();
            let _ = w.write_record([
                y.to_string(),
                role.id.clone(),
                kind,
                res.player.clone().unwrap_or_default(),
                if ch.is_some() { "student" } else { "strategy" }.into(),
                opt(ch
                    .and_then(|c| c.platform)
                    .map(|p| format!("{p:?}").to_lowercase())),
                opt(ch.and_then(|c| c.share).map(|b| b.to_string())),
                opt(ch.and_then(|c| c.standard).map(|s| {
                    match s {
                        StandardsMode::None => "none",
                        StandardsMode::Provincial => "provincial",
                        StandardsMode::National => "national",
                    }
                    .to_string()
                })),
                ch.map(|c| c.transfer).unwrap_or(false).to_string(),
                opt(ch.and_then(|c| c.copy.clone())),
                ch.map(|c| c.cost(&class.def.params.costs))
                    .unwrap_or(0)
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
