//! The role-play's part of a scenario file: `[class]` and `[[role]]`
//! (docs/classroom.md, "Role-play scenarios"), checked against the world.
//!
//! Rule: every lever of every unit belongs to at most one role, so two
//! students never fight over the same lever; a lever nobody holds follows
//! the class strategy.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalog::Level;
use crate::error::{InputError, did_you_mean};
use crate::scenario::Scenario;
use crate::world::World;

/// Section names this module owns; the scenario validator never sees them.
pub const SECTIONS: [&str; 2] = ["class", "role"];

/// A lever a role may hold (`levers = [...]` of a `[[role]]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lever {
    /// Build an own platform or join the province's.
    Platform,
    /// Share data through the data agency, or not.
    Share,
    /// Standard the unit's platforms converge on.
    Standard,
    /// Ask the province for a transfer.
    Transfer,
    /// Copy an innovation from another role's cities and counties.
    Copy,
}

impl Lever {
    pub const ALL: [Lever; 5] = [
        Lever::Platform,
        Lever::Share,
        Lever::Standard,
        Lever::Transfer,
        Lever::Copy,
    ];
    pub fn id(self) -> &'static str {
        ["platform", "share", "standard", "transfer", "copy"][self as usize]
    }
}

/// Kind of role: the tiao-kuai place of the player.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleKind {
    /// A province's government (kuai).
    Province,
    /// A city's government (kuai), usually with its counties and townships.
    City,
    /// A vertical line of a department across levels (tiao).
    Line,
}

/// `[class]`: how the role-play runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClassParams {
    /// Strategy whose levers every unit follows unless a role chose otherwise.
    pub strategy: String,
    /// Replicates (draws) of the class-against-strategies comparison.
    pub replicates: u32,
    /// Points each role may spend per round (unless the role sets its own).
    pub budget: u32,
    /// Points per choice.
    pub costs: Costs,
    /// Share of its own base budget a unit receives when its role asks for a transfer.
    pub transfer_share: f64,
}

impl Default for ClassParams {
    fn default() -> Self {
        ClassParams {
            strategy: String::new(),
            replicates: 8,
            budget: 3,
            costs: Costs::default(),
            transfer_share: 0.2,
        }
    }
}

/// `[class.costs]`: points each choice takes from a role's round budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Costs {
    pub platform_own: u32,
    pub platform_join: u32,
    pub share: u32,
    pub standard: u32,
    pub transfer: u32,
    pub copy: u32,
}

impl Default for Costs {
    fn default() -> Self {
        Costs {
            platform_own: 2,
            platform_join: 1,
            share: 1,
            standard: 1,
            transfer: 0,
            copy: 1,
        }
    }
}

/// One `[[role]]` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    id: String,
    name: String,
    #[serde(default)]
    name_zh: String,
    kind: RoleKind,
    units: Vec<String>,
    #[serde(default)]
    levers: Option<Vec<Lever>>,
    #[serde(default)]
    budget: Option<u32>,
}

/// A role resolved against the world.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub kind: RoleKind,
    /// Units as written (`"c01/*"` = c01 and every unit below it).
    pub unit_spec: Vec<String>,
    /// Unit indices the role's choices apply to, ascending.
    pub units: Vec<u32>,
    pub levers: Vec<Lever>,
    pub budget: u32,
    /// The role's cities and counties, ascending (the units that adopt
    /// innovations: they copy, and are copied from, pairwise in this order).
    #[serde(skip)]
    pub copy_units: Vec<u32>,
    /// The level of each of `copy_units` (a city copies from a city, a
    /// county from a county).
    #[serde(skip)]
    pub copy_levels: Vec<Level>,
}

impl Role {
    pub fn holds(&self, l: Lever) -> bool {
        self.levers.contains(&l)
    }
}

/// The role-play definition of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDef {
    pub params: ClassParams,
    /// Index of the class strategy in the scenario.
    pub strategy: usize,
    pub roles: Vec<Role>,
}

/// Default levers of a kind of role.
fn default_levers(kind: RoleKind) -> Vec<Lever> {
    match kind {
        RoleKind::Province => vec![Lever::Share, Lever::Transfer],
        RoleKind::City => vec![Lever::Platform, Lever::Share, Lever::Transfer, Lever::Copy],
        RoleKind::Line => vec![Lever::Standard],
    }
}

impl ClassDef {
    /// Read `[class]` and `[[role]]` from a scenario's TOML table.
    pub fn parse(
        table: &toml::Table,
        sc: &Scenario,
        world: &World,
    ) -> Result<ClassDef, InputError> {
        let params: ClassParams = match table.get("class") {
            None => ClassParams::default(),
            Some(v) => v.clone().try_into().map_err(|e: toml::de::Error| {
                InputError::new(format!("[class]: {}", e.message().trim()))
                    .key("class")
                    .expected("strategy, replicates, budget, transfer_share and [class.costs] (platform_own, platform_join, share, standard, transfer, copy)")
            })?,
        };
        let strategy = if params.strategy.is_empty() {
            sc.baseline_index()
        } else {
            sc.strategy_index(&params.strategy)
                .ok_or_else(|| sc.unknown_strategy(&params.strategy, "class.strategy"))?
        };
        if !(1..=200).contains(&params.replicates) {
            return Err(InputError::new(format!(
                "class.replicates is {}, outside 1-200",
                params.replicates
            ))
            .key("class.replicates")
            .expected("a count from 1 to 200"));
        }
        if !(0.0..=1.0).contains(&params.transfer_share) {
            return Err(InputError::new("class.transfer_share must lie in 0-1")
                .key("class.transfer_share")
                .expected("a share of the unit's own budget, e.g. 0.2"));
        }
        let raw: Vec<RawRole> = match table.get("role") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.clone().try_into().map_err(|e: toml::de::Error| {
                        InputError::new(format!("role[{i}]: {}", e.message().trim()))
                            .key(format!("role[{i}]"))
                            .expected("id, name, kind (province, city or line), units, and optionally name_zh, levers, budget")
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(InputError::new("`role` must be an array of tables")
                    .key("role")
                    .expected("[[role]] sections"));
            }
        };
        if raw.is_empty() {
            return Err(InputError::new("the scenario declares no [[role]]")
                .key("role")
                .expected("at least one [[role]] with id, name, kind and units")
                .suggest("see scenarios/class-province.toml"));
        }
        let mut ids = BTreeSet::new();
        let mut owner: Vec<[Option<usize>; Lever::ALL.len()]> =
            vec![[None; Lever::ALL.len()]; world.units.len()];
        let mut roles = Vec::new();
        for (i, r) in raw.into_iter().enumerate() {
            let key = format!("role[{i}]");
            if r.id.is_empty()
                || !r
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            {
                return Err(InputError::new(format!("role id `{}` is not usable", r.id))
                    .key(format!("{key}.id"))
                    .expected("letters, digits, '-' or '_'"));
            }
            if !ids.insert(r.id.clone()) {
                return Err(InputError::new(format!("two roles have the id `{}`", r.id))
                    .key(format!("{key}.id")));
            }
            let mut units = BTreeSet::new();
            for (j, spec) in r.units.iter().enumerate() {
                let (name, below) = match spec.strip_suffix("/*") {
                    Some(n) => (n, true),
                    None => (spec.as_str(), false),
                };
                let u = world.find_unit(name).ok_or_else(|| {
                    let mut e = InputError::new(format!("no unit called `{name}` in this world"))
                        .key(format!("{key}.units[{j}]"))
                        .expected("a unit id or name, optionally followed by /* for the unit and all units below it");
                    if let Some(m) = did_you_mean(name, world.units.iter().map(|u| u.id.as_str())) {
                        e = e.suggest(format!("did you mean `{m}`?"));
                    }
                    e
                })?;
                if world.units[u as usize].level == Level::National {
                    return Err(InputError::new("the national government cannot be played")
                        .key(format!("{key}.units[{j}]")));
                }
                units.insert(u);
                if below {
                    for (v, _) in world.units.iter().enumerate() {
                        if is_below(world, v as u32, u) {
                            units.insert(v as u32);
                        }
                    }
                }
            }
            if units.is_empty() {
                return Err(InputError::new(format!("role `{}` governs no unit", r.id))
                    .key(format!("{key}.units"))
                    .expected("at least one unit id"));
            }
            let levers = {
                let mut l = r.levers.unwrap_or_else(|| default_levers(r.kind));
                l.sort();
                l.dedup();
                l
            };
            let copy_units: Vec<u32> = units
                .iter()
                .copied()
                .filter(|&u| matches!(world.units[u as usize].level, Level::City | Level::County))
                .collect();
            let copy_levels: Vec<Level> = copy_units
                .iter()
                .map(|&u| world.units[u as usize].level)
                .collect();
            if levers.contains(&Lever::Copy) && copy_units.is_empty() {
                return Err(InputError::new(format!(
                    "role `{}` holds the copy lever but governs no city or county",
                    r.id
                ))
                .key(format!("{key}.levers"))
                .expected("cities and counties adopt innovations: give the copy lever to a role that governs some")
                .suggest("drop \"copy\" from its levers, or add `/*` to a unit"));
            }
            for &u in &units {
                for &l in &levers {
                    if let Some(other) = owner[u as usize][l as usize] {
                        return Err(InputError::new(format!(
                            "roles `{}` and `{}` both hold the {} lever of unit `{}`",
                            roles.get(other).map_or("?", |x: &Role| x.id.as_str()),
                            r.id,
                            l.id(),
                            world.units[u as usize].id
                        ))
                        .key(format!("{key}.levers"))
                        .suggest("give each lever of a unit to one role only"));
                    }
                    owner[u as usize][l as usize] = Some(i);
                }
            }
            roles.push(Role {
                id: r.id,
                name: r.name,
                name_zh: r.name_zh,
                kind: r.kind,
                unit_spec: r.units,
                units: units.into_iter().collect(),
                levers,
                budget: r.budget.unwrap_or(params.budget),
                copy_units,
                copy_levels,
            });
        }
        Ok(ClassDef {
            params,
            strategy,
            roles,
        })
    }

    pub fn role_index(&self, id: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.id == id)
    }
}

/// Whether `v` lies strictly below `u`.
fn is_below(world: &World, mut v: u32, u: u32) -> bool {
    loop {
        let p = world.units[v as usize].parent;
        if p == crate::world::NONE {
            return false;
        }
        if p == u {
            return true;
        }
        v = p;
    }
}
