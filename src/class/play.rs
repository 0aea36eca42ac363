//! Playing the class's choices: every replicate replays the years played
//! so far with the class's per-unit levers ([`Runner::run_schedule`]), and
//! the same replicates of every strategy of the scenario give the paired
//! comparison; replicate 0 (the world on the teacher's screen) gives the
//! units, the roles and the debrief.
//!
//! Rule: results depend only on the scenario, its seed and the choices:
//! replicates run in parallel but are collected in order.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Choice, Class, ClassDef};
use crate::catalog::Level;
use crate::engine::plan::Plan;
use crate::sim::{Context, Runner};
use crate::world::scopes::ScopeKind;

/// Metrics the class follows, in this order (those the scenario has).
pub const HEADLINE: [&str; 8] = [
    "collab_index",
    "maturity_index",
    "sharing_horizontal",
    "flow_up",
    "flow_down",
    "services_online",
    "cost_total",
    "duplicate_platforms",
];

/// A followed metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricInfo {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub unit: String,
    /// Whether higher is better (`false`: lower is better).
    pub higher_better: bool,
}

/// One strategy's mean path over the replicates, years 0..=Y × metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyPath {
    pub name: String,
    pub name_zh: String,
    pub path: Vec<Vec<f64>>,
}

/// Class minus a strategy on one metric at the current year, paired over replicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub strategy: String,
    pub metric: String,
    pub class_mean: f64,
    pub strategy_mean: f64,
    /// Mean of the paired differences (class − strategy) and its 95% interval.
    pub diff: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// `better`, `worse` or `same` (the interval contains 0).
    pub verdict: String,
}

/// A unit in the world on the teacher's screen (replicate 0), current year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub level: String,
    pub parent: Option<String>,
    /// The first role (in the scenario's order) governing the unit, if any.
    pub role: Option<String>,
    pub collab: f64,
    pub maturity: f64,
    pub flow_up: f64,
    pub flow_down: f64,
    pub sharing: f64,
    pub usability: f64,
    /// Cumulative cost, million yuan.
    pub cost: f64,
    /// `own` (runs its platform), `joined` (connected to another's) or `none`.
    pub platform: String,
    /// Innovations the unit (a city or county) has adopted, and of them
    /// those it copied deliberately (0 for other units).
    pub innovations: u32,
    pub copied: u32,
}

/// A role's results and behaviour (the debrief).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleResult {
    pub id: String,
    pub player: Option<String>,
    /// Means over the role's units.
    pub collab: f64,
    pub flow_up: f64,
    pub flow_down: f64,
    pub sharing: f64,
    pub cost: f64,
    /// Rounds in which the role's units shared through the agency.
    pub rounds_shared: usize,
    /// Rounds a student chose for the role.
    pub rounds_played: usize,
    pub points_spent: u32,
    /// Shared in under half of the rounds it played, yet received at least
    /// the median downward data flow of the roles.
    pub free_rider: bool,
    /// The choice in force in each year played (empty: the class strategy).
    pub choices: Vec<Option<Choice>>,
    /// Innovations adopted by the role's cities and counties (summed over
    /// them), and of them those copied deliberately.
    pub innovations: u32,
    pub copied: u32,
    /// Roles (indices, those holding the copy lever) the role could copy from now, with how many
    /// innovations they have that the role's paired units lack (only
    /// those with some; [`super::copy_pairs`]).
    #[serde(skip)]
    pub copy_options: Vec<(usize, u32)>,
}

/// Mean flows of one level (where data stopped flowing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelFlow {
    pub level: String,
    pub units: usize,
    pub flow_up: f64,
    pub flow_down: f64,
    pub sharing: f64,
}

/// Everything the pages and the exports show after a round.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub year: usize,
    pub years: usize,
    pub replicates: u32,
    pub metrics: Vec<MetricInfo>,
    /// The class's mean path, years 0..=year × metrics.
    pub class_path: Vec<Vec<f64>>,
    pub strategies: Vec<StrategyPath>,
    pub comparisons: Vec<Comparison>,
    pub units: Vec<UnitResult>,
    pub roles: Vec<RoleResult>,
    pub levels: Vec<LevelFlow>,
    /// Units (city and county level) with the least data flowing down to
    /// them, lowest first: where data stopped flowing.
    pub stopped: Vec<String>,
}

/// Indices of the headline metrics (`HEADLINE` order, those present) and of the world scope.
fn headline(ctx: &Context) -> (Vec<usize>, usize) {
    let defs = &ctx.metrics.defs;
    let ms = HEADLINE
        .iter()
        .filter_map(|id| defs.iter().position(|d| d.id == *id))
        .collect();
    let world = ctx
        .world
        .scopes
        .scopes
        .iter()
        .position(|s| s.kind == ScopeKind::World)
        .unwrap_or(0);
    (ms, world)
}

/// Headline values of one frame.
fn pick(frame: &[f64], ms: &[usize], world: usize, n_metrics: usize) -> Vec<f64> {
    ms.iter().map(|&m| frame[world * n_metrics + m]).collect()
}

/// Every strategy on every replicate, headline values at the end of each year.
pub(crate) fn strategy_frames(ctx: &Context, def: &ClassDef) -> Vec<Vec<Vec<f64>>> {
    let (ms, world) = headline(ctx);
    let nm = ctx.metrics.defs.len();
    (0..ctx.scenario.strategies.len())
        .map(|s| {
            (0..def.params.replicates)
                .into_par_iter()
                .map(|r| {
                    let rctx = ctx.replicate(r);
                    let mut runner = Runner::new(&rctx);
                    let mut out = Vec::new();
                    let plans = [rctx.plans[s].clone()];
                    runner.run_schedule(&rctx, &plans, r, rctx.quarters(), |_, f, _| {
                        out.extend(pick(f, &ms, world, nm))
                    });
                    out
                })
                .collect()
        })
        .collect()
}

/// The class's run of one replicate: headline values per year (flattened)
/// and, for replicate 0, the units at the current year.
struct ClassRun {
    path: Vec<f64>,
    units: Option<UnitsNow>,
}

struct UnitsNow {
    collab: Vec<f64>,
    maturity: Vec<f64>,
    up: Vec<f64>,
    down: Vec<f64>,
    share: Vec<f64>,
    usab: Vec<f64>,
    cost: Vec<f64>,
    platform: Vec<u8>,
    innovations: Vec<u32>,
    copied: Vec<u32>,
    copy_options: Vec<Vec<(usize, u32)>>,
}

fn class_run(class: &Class, r: u32, levers: &[Vec<crate::engine::plan::UnitLevers>]) -> ClassRun {
    let ctx = &class.ctx;
    let (ms, world) = headline(ctx);
    let nm = ctx.metrics.defs.len();
    let rctx = ctx.replicate(r);
    let base = &rctx.plans[class.def.strategy];
    let plans: Vec<Plan> = if levers.is_empty() {
        vec![base.clone()]
    } else {
        levers
            .iter()
            .map(|l| base.with_units(&rctx.scenario, &rctx.compiled, l))
            .collect()
    };
    let last = plans.last().expect("at least one plan").clone();
    let year = levers.len() as u32;
    let mut runner = Runner::new(&rctx);
    let mut path = Vec::new();
    let mut units = None;
    runner.run_schedule(&rctx, &plans, r, year * 4, |t, f, view| {
        path.extend(pick(f, &ms, world, nm));
        if r == 0 && t == year * 4 {
            let c = &rctx.compiled;
            let n = c.n_units;
            let s = view.state;
            let elig = |u: usize| {
                let e = c.elig_of[u];
                (e != crate::world::NONE && matches!(c.level[u], Level::City | Level::County))
                    .then_some(e as usize)
            };
            let def = &class.def;
            let copy_options = (0..def.roles.len())
                .map(|a| {
                    (0..def.roles.len())
                        .filter(|&b| b != a && def.roles[b].holds(super::Lever::Copy))
                        .filter_map(|b| {
                            let k: u32 = super::copy_pairs(def, a, b)
                                .filter_map(|(u, f)| {
                                    Some(s.diffusion.copyable(elig(u as usize)?, elig(f as usize)?))
                                })
                                .sum();
                            (k > 0).then_some((b, k))
                        })
                        .collect()
                })
                .collect();
            units = Some(UnitsNow {
                collab: (0..n).map(|u| view.collab(u)).collect(),
                maturity: view.maturity.to_vec(),
                up: s.ema_up.clone(),
                down: s.ema_down.clone(),
                share: s.ema_share.clone(),
                usab: s.ema_usab.clone(),
                cost: s.cost.clone(),
                platform: (0..n)
                    .map(|u| match (s.connected[u], last.server[u] == u as u32) {
                        (false, _) => 0,
                        (true, true) => 1,
                        (true, false) => 2,
                    })
                    .collect(),
                innovations: (0..n)
                    .map(|u| elig(u).map_or(0, |e| s.diffusion.adopted_total[e]))
                    .collect(),
                copied: (0..n)
                    .map(|u| elig(u).map_or(0, |e| s.diffusion.copied_total[e]))
                    .collect(),
                copy_options,
            });
        }
    });
    ClassRun { path, units }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for x in xs.filter(|x| x.is_finite()) {
        s += x;
        n += 1;
    }
    if n == 0 { f64::NAN } else { s / n as f64 }
}

/// The results after `rounds` (the class's choices of years 1, 2, …).
pub(crate) fn results(class: &Class, rounds: &[BTreeMap<String, Choice>]) -> Results {
    let ctx = &class.ctx;
    let def = &class.def;
    let (ms, _) = headline(ctx);
    let k = ms.len();
    let years = class.years();
    let year = rounds.len();
    let levers: Vec<_> = rounds
        .iter()
        .map(|round| super::unit_levers(ctx, def, round))
        .collect();
    let runs: Vec<ClassRun> = (0..def.params.replicates)
        .into_par_iter()
        .map(|r| class_run(class, r, &levers))
        .collect();
    let reps = runs.len();
    let metrics: Vec<MetricInfo> = ms
        .iter()
        .map(|&m| {
            let d = &ctx.metrics.defs[m];
            MetricInfo {
                id: d.id.clone(),
                name_en: d.name_en.clone(),
                name_zh: d.name_zh.clone(),
                unit: d.unit.to_string(),
                higher_better: d.direction == crate::metrics::registry::Direction::Higher,
            }
        })
        .collect();
    let class_path: Vec<Vec<f64>> = (0..=year)
        .map(|y| {
            (0..k)
                .map(|m| mean(runs.iter().map(|r| r.path[y * k + m])))
                .collect()
        })
        .collect();
    let strategies: Vec<StrategyPath> = class
        .strategy_frames
        .iter()
        .zip(&ctx.scenario.strategies)
        .map(|(frames, s)| StrategyPath {
            name: s.name.clone(),
            name_zh: s.name_zh.clone(),
            path: (0..=years)
                .map(|y| {
                    (0..k)
                        .map(|m| mean(frames.iter().map(|f| f[y * k + m])))
                        .collect()
                })
                .collect(),
        })
        .collect();
    let mut comparisons = Vec::new();
    for (s, frames) in class.strategy_frames.iter().enumerate() {
        for (m, info) in metrics.iter().enumerate() {
            let c: Vec<f64> = runs.iter().map(|r| r.path[year * k + m]).collect();
            let st: Vec<f64> = frames.iter().map(|f| f[year * k + m]).collect();
            let d: Vec<f64> = c.iter().zip(&st).map(|(a, b)| a - b).collect();
            let Some(sum) = crate::stats::summarize(&d) else {
                continue;
            };
            let (lo, hi) = if reps > 1 {
                (sum.ci95_low, sum.ci95_high)
            } else {
                (f64::NAN, f64::NAN)
            };
            let verdict = if !(lo > 0.0 || hi < 0.0) {
                "same"
            } else if (lo > 0.0) == info.higher_better {
                "better"
            } else {
                "worse"
            };
            comparisons.push(Comparison {
                strategy: ctx.scenario.strategies[s].name.clone(),
                metric: info.id.clone(),
                class_mean: mean(c.iter().copied()),
                strategy_mean: mean(st.iter().copied()),
                diff: sum.mean,
                ci95_low: lo,
                ci95_high: hi,
                verdict: verdict.into(),
            });
        }
    }
    let now = runs
        .first()
        .and_then(|r| r.units.as_ref())
        .expect("replicate 0 records its units");
    let c = &ctx.compiled;
    // The first role (in file order) governing each unit.
    let mut role_of = vec![None; c.n_units];
    for (i, role) in def.roles.iter().enumerate().rev() {
        for &u in &role.units {
            role_of[u as usize] = Some(i);
        }
    }
    let units: Vec<UnitResult> = ctx
        .world
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.level != Level::National && u.level <= Level::County)
        .map(|(i, u)| UnitResult {
            id: u.id.clone(),
            name_en: u.name_en.clone(),
            name_zh: u.name_zh.clone(),
            level: level_id(u.level).into(),
            parent: (u.parent != crate::world::NONE)
                .then(|| ctx.world.units[u.parent as usize].id.clone()),
            role: role_of[i].map(|r| def.roles[r].id.clone()),
            collab: now.collab[i],
            maturity: now.maturity[i],
            flow_up: now.up[i],
            flow_down: now.down[i],
            sharing: now.share[i],
            usability: now.usab[i],
            cost: now.cost[i],
            platform: ["none", "own", "joined"][now.platform[i] as usize].into(),
            innovations: now.innovations[i],
            copied: now.copied[i],
        })
        .collect();
    // Whether the class strategy itself has a unit share through an agency.
    let base = &ctx.plans[def.strategy];
    let strategy_shares = |u: usize| base.agency_from[u] != crate::engine::plan::NEVER;
    let mut roles: Vec<RoleResult> = def
        .roles
        .iter()
        .enumerate()
        .map(|(ri, role)| {
            let us = || role.units.iter().map(|&u| u as usize);
            let choices: Vec<Option<Choice>> = rounds
                .iter()
                .map(|round| round.get(&role.id).cloned())
                .collect();
            let rounds_shared = choices
                .iter()
                .filter(|ch| match ch.as_ref().and_then(|c| c.share) {
                    Some(b) => b,
                    None => strategy_shares(role.units[0] as usize),
                })
                .count();
            RoleResult {
                id: role.id.clone(),
                player: class.players_of(&role.id),
                collab: mean(us().map(|u| now.collab[u])),
                flow_up: mean(us().map(|u| now.up[u])),
                flow_down: mean(us().map(|u| now.down[u])),
                sharing: mean(us().map(|u| now.share[u])),
                cost: us().map(|u| now.cost[u]).sum(),
                rounds_shared,
                rounds_played: choices.iter().filter(|c| c.is_some()).count(),
                points_spent: choices
                    .iter()
                    .flatten()
                    .map(|c| c.cost(&def.params.costs))
                    .sum(),
                free_rider: false,
                choices,
                innovations: role
                    .copy_units
                    .iter()
                    .map(|&u| now.innovations[u as usize])
                    .sum(),
                copied: role
                    .copy_units
                    .iter()
                    .map(|&u| now.copied[u as usize])
                    .sum(),
                copy_options: now.copy_options[ri].clone(),
            }
        })
        .collect();
    let mut downs: Vec<f64> = roles
        .iter()
        .map(|r| r.flow_down)
        .filter(|x| x.is_finite())
        .collect();
    downs.sort_by(f64::total_cmp);
    let median = crate::stats::quantile_sorted(&downs, 0.5).unwrap_or(f64::NAN);
    for r in &mut roles {
        r.free_rider =
            r.rounds_played > 0 && 2 * r.rounds_shared < r.rounds_played && r.flow_down >= median;
    }
    let levels = [Level::Province, Level::City, Level::County, Level::Township]
        .into_iter()
        .filter_map(|l| {
            let us: Vec<usize> = (0..c.n_units).filter(|&u| c.level[u] == l).collect();
            (!us.is_empty()).then(|| LevelFlow {
                level: level_id(l).into(),
                units: us.len(),
                flow_up: mean(us.iter().map(|&u| now.up[u])),
                flow_down: mean(us.iter().map(|&u| now.down[u])),
                sharing: mean(us.iter().map(|&u| now.share[u])),
            })
        })
        .collect();
    let mut low: Vec<usize> = (0..c.n_units)
        .filter(|&u| matches!(c.level[u], Level::City | Level::County))
        .collect();
    low.sort_by(|&a, &b| now.down[a].total_cmp(&now.down[b]).then(a.cmp(&b)));
    let stopped = low
        .into_iter()
        .take(5)
        .map(|u| ctx.world.units[u].id.clone())
        .collect();
    Results {
        year,
        years,
        replicates: def.params.replicates,
        metrics,
        class_path,
        strategies,
        comparisons,
        units,
        roles,
        levels,
        stopped,
    }
}

fn level_id(l: Level) -> &'static str {
    match l {
        Level::National => "national",
        Level::Province => "province",
        Level::City => "city",
        Level::County => "county",
        Level::Township => "township",
    }
}
