//! A strategy compiled against the world: who builds which platform, the
//! fit each unit will get, transfer multipliers, link coordination with and
//! without sector coordination, and cross-region partnership links.
//!
//! Dated events (`scenario::events`) become per-unit start quarters here:
//! the quarter from which an agency covers each unit (`agency_from`, the
//! earlier of the strategy's agency lever and any `data_agency` event above
//! the unit) and the quarter from which a unit is served by an integrated
//! platform launched above it (`ev_from`, `ev_server`). An uncertain date
//! is drawn per replicate from its window with the `events` stream of
//! (seed, replicate), the same draws for every strategy.
//!
//! Rule: computed once per (world, strategy, replicate), shared read-only
//! by every run that plays in that world; the step compares the quarter
//! with these start quarters and allocates nothing.

use crate::catalog::Level;
use crate::error::{InputError, Result};
use crate::mechanisms::coordination::{Agency, link_coordination};
use crate::mechanisms::platforms::{self, NONE, Tree};
use crate::mechanisms::regions;
use crate::scenario::events::EventKind;
use crate::scenario::{Levers, Scenario, StandardsMode};
use crate::world::World;

use super::compiled::Compiled;

/// A strategy ready for the step loop.
#[derive(Debug, Clone)]
pub struct Plan {
    pub levers: Levers,
    /// Unit whose platform serves each unit.
    pub server: Vec<u32>,
    /// Unit paying each unit's connection (`NONE` for builders).
    pub payer: Vec<u32>,
    /// City customising each unit's platform (hybrid), else `NONE`.
    pub customiser: Vec<u32>,
    /// Build cost where the unit builds a platform (0 otherwise).
    pub build_cost: Vec<f64>,
    /// Share of its build the builder pays from its own reserve.
    pub own_share: Vec<f64>,
    /// Fit of the served platform, before and after customisation.
    pub fit_plain: Vec<f64>,
    pub fit_custom: Vec<f64>,
    /// Budget multiplier once transfers start.
    pub transfer_mult: Vec<f64>,
    /// Coordination of each group of horizontal pairs before / after sector coordination starts.
    pub coord_base: Vec<f32>,
    pub coord_sector: Vec<f32>,
    /// Quarter from which a data agency covers each unit (`NEVER`: not in the run).
    pub agency_from: Vec<u32>,
    /// Quarter from which each unit is served by an integrated platform
    /// launched above it (`NEVER`: no such event), that platform's unit,
    /// and its fit to the unit.
    pub ev_from: Vec<u32>,
    pub ev_server: Vec<u32>,
    pub ev_fit: Vec<f64>,
    /// Quarter at which a unit launches its platform whatever its reserve
    /// (a dated `service_platform` event; `NEVER`: none).
    pub launch_at: Vec<u32>,
    /// Unit of each event of the scenario (its scope, resolved).
    pub event_unit: Vec<u32>,
    /// Quarter each event takes effect in this replicate (`NEVER`: after the run).
    pub event_quarter: Vec<u32>,
    /// Cross-region partnership department pairs (same type).
    pub partner_a: Vec<u32>,
    pub partner_b: Vec<u32>,
    /// Partnership pairs as eligible-unit indices, for reuse.
    pub partner_elig: Vec<(u32, u32)>,
    /// Standard each unit's platform converges on, where a unit chose its
    /// own ([`Plan::with_units`]); empty: every unit follows `levers.standards`.
    pub unit_standards: Vec<StandardsMode>,
    /// Unit each unit deliberately copies an innovation from in the first
    /// quarter of the year this plan is in force (`NONE`: no copy), where
    /// a unit chose to ([`Plan::with_units`]); empty: nobody copies.
    pub copy_from: Vec<u32>,
}

/// Where a unit gets its platform when it chooses for itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitPlatform {
    /// Build and run its own platform (the units it served keep using it).
    Own,
    /// Connect to its province's platform, paying its own connection; the
    /// units its own platform would have served follow it.
    Join,
}

/// One unit's departures from its strategy's levers (the classroom
/// role-play, `crate::class`): `None` keeps the strategy's choice.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct UnitLevers {
    pub platform: Option<UnitPlatform>,
    /// Whether the unit puts its data exchange under a data agency (the
    /// agency raises its lead and its release of data downwards).
    pub agency: Option<bool>,
    /// The standard its platform converges on (at the strategy's pace, from
    /// the strategy's `standards_year`).
    pub standard: Option<StandardsMode>,
    /// Share of its own base budget it receives from its province each
    /// quarter while transfers run (0 = none); the province's budget falls
    /// by the same amount.
    pub transfer: f64,
    /// Copy one innovation this unit (a city or county) has adopted
    /// (`mechanisms::diffusion`, "Deliberate copy").
    pub copy: Option<u32>,
}

impl UnitLevers {
    pub fn is_default(&self) -> bool {
        *self == UnitLevers::default()
    }
}

/// Start quarter of something that never happens in the run.
pub const NEVER: u32 = u32::MAX;

impl Plan {
    /// The plan of replicate 0 (and of every replicate under `run.world = "fixed"`).
    pub(crate) fn build(
        sc: &Scenario,
        world: &World,
        c: &Compiled,
        strategy: usize,
    ) -> Result<Plan> {
        Plan::build_for(sc, world, c, strategy, 0)
    }

    /// As [`Plan::build`], for the world of `replicate` (whose uncertain
    /// event dates are drawn from that replicate's stream).
    pub(crate) fn build_for(
        sc: &Scenario,
        world: &World,
        c: &Compiled,
        strategy: usize,
        replicate: u32,
    ) -> Result<Plan> {
        let levers = &sc.strategies[strategy].levers;
        let partners = partners(levers, world, c, &format!("strategy[{strategy}]"))?;
        let event_unit = event_units(sc, world, c)?;
        Ok(Plan::assemble(
            sc, c, strategy, partners, event_unit, replicate,
        ))
    }

    /// This strategy against a redrawn world of the same structure: the
    /// partnerships and event scopes (which depend on names only) are kept,
    /// everything that depends on drawn attributes (back-stopping, fit,
    /// transfers) or on the replicate (uncertain event dates) is redone.
    pub(crate) fn redraw(
        &self,
        sc: &Scenario,
        c: &Compiled,
        strategy: usize,
        replicate: u32,
    ) -> Plan {
        let partners = (
            self.partner_a.clone(),
            self.partner_b.clone(),
            self.partner_elig.clone(),
        );
        Plan::assemble(
            sc,
            c,
            strategy,
            partners,
            self.event_unit.clone(),
            replicate,
        )
    }

    /// The unit serving `u` in quarter `t`.
    #[inline]
    pub fn server_at(&self, u: usize, t: u32) -> u32 {
        if t >= self.ev_from[u] {
            self.ev_server[u]
        } else {
            self.server[u]
        }
    }

    fn assemble(
        sc: &Scenario,
        c: &Compiled,
        strategy: usize,
        partners: Partners,
        event_unit: Vec<u32>,
        replicate: u32,
    ) -> Plan {
        let levers = sc.strategies[strategy].levers.clone();
        let lagging = if levers.regional.backstop {
            regions::lagging_counties(&c.level, &c.fiscal, levers.regional.backstop_threshold)
        } else {
            vec![false; c.n_units]
        };
        let tree = Tree {
            level: &c.level,
            province: &c.province,
            city: &c.city,
            county: &c.county,
        };
        let pl = platforms::plan(&tree, levers.platforms, &lagging);
        let pp = &sc.model.platforms;
        let build_cost: Vec<f64> = (0..c.n_units)
            .map(|u| {
                if pl.server[u] == u as u32 && c.level[u] != Level::National {
                    pp.scaled_build_cost(c.level[u], c.pop[u])
                } else {
                    0.0
                }
            })
            .collect();
        let own_share = c.fiscal.iter().map(|&f| pp.own_share(f)).collect();
        let fit_of = |u: usize, custom: bool| -> f64 {
            let s = pl.server[u];
            if s == NONE {
                return 0.0;
            }
            let hc =
                (custom && pl.customiser[u] != NONE).then(|| c.need[pl.customiser[u] as usize]);
            platforms::fit(
                pp.fit_loss,
                c.need[u],
                c.need[s as usize],
                hc,
                pp.customisation_reach,
            )
        };
        let fit_plain = (0..c.n_units).map(|u| fit_of(u, false)).collect();
        let fit_custom = (0..c.n_units).map(|u| fit_of(u, true)).collect();
        let transfer_mult = regions::transfer_multipliers(
            &c.level,
            &c.region,
            &c.fiscal,
            &c.base_budget,
            levers.regional.transfers,
        );
        let targeted: u32 = levers
            .coordination
            .sector_domains
            .iter()
            .filter_map(|id| sc.domains.iter().position(|d| &d.id == id))
            .fold(0, |m, d| m | (1 << d));
        let sector = levers.coordination.sector_strength * sc.model.coordination.sector_effect;
        let coord_base =
            c.by_group_mask(|mask| link_coordination(mask, &c.domain_top_down, 0, 0.0) as f32);
        let coord_sector = c.by_group_mask(|mask| {
            link_coordination(mask, &c.domain_top_down, targeted, sector) as f32
        });
        let agency_start = super::step::Clock::first_quarter(levers.coordination.agency_year);
        let mut agency_from: Vec<u32> = (0..c.n_units)
            .map(|u| {
                let covers = match levers.coordination.agency {
                    Agency::None => false,
                    Agency::Provincial => c.level[u] >= Level::Province,
                    Agency::National => true,
                };
                if covers { agency_start } else { NEVER }
            })
            .collect();
        // Events: each replicate draws one uniform per event, in order.
        let quarters = sc.run.years * 4;
        let mut rng = crate::rng::stream(sc.run.seed, replicate, "events");
        let event_quarter: Vec<u32> = sc
            .events
            .iter()
            .map(|e| {
                let x: f64 = rand::RngExt::random(&mut rng);
                e.quarter(x, quarters).unwrap_or(NEVER)
            })
            .collect();
        let (mut ev_from, mut ev_server, mut ev_fit, mut launch_at) = (
            vec![NEVER; c.n_units],
            pl.server.clone(),
            vec![0.0; c.n_units],
            vec![NEVER; c.n_units],
        );
        let mut inside = vec![false; c.n_units];
        for ((ev, &e), &q) in sc.events.iter().zip(&event_unit).zip(&event_quarter) {
            let e = e as usize;
            if q == NEVER {
                continue;
            }
            // The subtree of `e`: units are breadth-first, so a unit's
            // parent is marked before the unit is visited.
            inside.fill(false);
            inside[e] = true;
            for u in e + 1..c.n_units {
                let p = c.parent[u];
                inside[u] = p != NONE && inside[p as usize];
            }
            match ev.kind {
                EventKind::DataAgency => {
                    for u in (e..c.n_units).filter(|&u| inside[u]) {
                        agency_from[u] = agency_from[u].min(q);
                    }
                }
                EventKind::ServicePlatform => {
                    // Only a unit that builds its own platform can launch
                    // one; a unit already served from above stays as it is.
                    if pl.server[e] as usize != e || build_cost[e] <= 0.0 {
                        continue;
                    }
                    launch_at[e] = launch_at[e].min(q);
                    for u in (e + 1..c.n_units).filter(|&u| inside[u]) {
                        // Units served at or above `e` are integrated already.
                        let s = pl.server[u] as usize;
                        if is_within(c, e, s) || q >= ev_from[u] {
                            continue;
                        }
                        ev_from[u] = q;
                        ev_server[u] = e as u32;
                        ev_fit[u] = platforms::fit(
                            pp.fit_loss,
                            c.need[u],
                            c.need[e],
                            None,
                            pp.customisation_reach,
                        );
                    }
                }
            }
        }
        let (partner_a, partner_b, partner_elig) = partners;
        Plan {
            server: pl.server,
            payer: pl.connection_payer,
            customiser: pl.customiser,
            build_cost,
            own_share,
            fit_plain,
            fit_custom,
            transfer_mult,
            coord_base,
            coord_sector,
            agency_from,
            ev_from,
            ev_server,
            ev_fit,
            launch_at,
            event_unit,
            event_quarter,
            partner_a,
            partner_b,
            partner_elig,
            levers,
            unit_standards: Vec::new(),
            copy_from: Vec::new(),
        }
    }

    /// This plan with per-unit choices (`units[u]`, one per unit) replacing
    /// the strategy's levers where set. Only per-unit arrays change (who
    /// serves and pays, fit, build cost, transfers, agency cover, the
    /// standard a platform converges on, deliberate copies), so a plan without choices is
    /// this plan unchanged and the step loop is the same.
    pub fn with_units(&self, sc: &Scenario, c: &Compiled, units: &[UnitLevers]) -> Plan {
        assert_eq!(units.len(), c.n_units, "one UnitLevers per unit");
        let mut p = self.clone();
        if units.iter().all(UnitLevers::is_default) {
            return p;
        }
        let pp = &sc.model.platforms;
        for (u, ch) in units.iter().enumerate() {
            let Some(choice) = ch.platform else { continue };
            if matches!(c.level[u], Level::National | Level::Province) {
                continue; // a province always runs its own platform
            }
            let prov = c.province[u];
            match choice {
                UnitPlatform::Own => {
                    p.server[u] = u as u32;
                    p.payer[u] = NONE;
                    p.customiser[u] = NONE;
                }
                UnitPlatform::Join => {
                    for v in 0..c.n_units {
                        if p.server[v] == u as u32 {
                            p.server[v] = prov;
                            p.payer[v] = v as u32;
                            p.customiser[v] = NONE;
                        }
                    }
                }
            }
        }
        for u in 0..c.n_units {
            let builds = p.server[u] == u as u32 && c.level[u] != Level::National;
            p.build_cost[u] = if builds {
                pp.scaled_build_cost(c.level[u], c.pop[u])
            } else {
                0.0
            };
            let s = p.server[u];
            let fit = if s == NONE {
                0.0
            } else {
                platforms::fit(
                    pp.fit_loss,
                    c.need[u],
                    c.need[s as usize],
                    None,
                    pp.customisation_reach,
                )
            };
            if p.customiser[u] == NONE {
                p.fit_plain[u] = fit;
                p.fit_custom[u] = fit;
            }
        }
        if units.iter().any(|x| x.agency.is_some()) {
            // A unit that chooses to share is covered from the strategy's
            // agency year, or from year 1 when the strategy has no agency;
            // the lever itself is left alone, so it never claims an agency
            // that covers units which did not choose one.
            let year = match p.levers.coordination.agency {
                Agency::None => 1.0,
                _ => p.levers.coordination.agency_year,
            };
            let start = super::step::Clock::first_quarter(year);
            for (u, ch) in units.iter().enumerate() {
                if let Some(a) = ch.agency {
                    p.agency_from[u] = if a && c.level[u] != Level::National {
                        p.agency_from[u].min(start)
                    } else {
                        NEVER
                    };
                }
            }
        }
        for (u, ch) in units.iter().enumerate() {
            if ch.transfer > 0.0 && c.level[u] > Level::Province {
                let prov = c.province[u] as usize;
                let amount = ch.transfer * c.base_budget[u];
                p.transfer_mult[u] += ch.transfer;
                p.transfer_mult[prov] =
                    (p.transfer_mult[prov] - amount / c.base_budget[prov].max(1e-12)).max(0.0);
            }
        }
        if units.iter().any(|x| x.standard.is_some()) {
            p.unit_standards = units
                .iter()
                .map(|x| x.standard.unwrap_or(p.levers.standards))
                .collect();
        }
        if units.iter().any(|x| x.copy.is_some()) {
            p.copy_from = units.iter().map(|x| x.copy.unwrap_or(NONE)).collect();
        }
        p
    }

    /// The standard unit `u`'s platform converges on.
    #[inline]
    pub(crate) fn standards_of(&self, u: usize) -> StandardsMode {
        self.unit_standards
            .get(u)
            .copied()
            .unwrap_or(self.levers.standards)
    }
}

/// Resolve every event's scope to a unit of the world: a unit's id,
/// English or Chinese name, or a province's two-digit code.
fn event_units(sc: &Scenario, world: &World, c: &Compiled) -> Result<Vec<u32>> {
    sc.events
        .iter()
        .map(|ev| {
            let found = world.find_unit(&ev.scope).or_else(|| {
                let p = crate::catalog::provinces::PROVINCES
                    .iter()
                    .find(|p| p.code.to_string() == ev.scope)?;
                world.find_unit(p.id)
            });
            let place = |e: InputError| -> crate::error::Error {
                let e = if ev.origin.file.is_none() {
                    crate::scenario::check::place(
                        e,
                        &sc.source.text,
                        sc.source.path.as_deref(),
                    )
                } else {
                    e
                };
                e.into()
            };
            let Some(u) = found else {
                let mut e = ev
                    .origin
                    .error(format!("no unit called `{}` in this world", ev.scope), "scope")
                    .expected(
                        "a province id, name or two-digit code (`guizhou`, `贵州省`, `52`) or any unit's code or name in the tree",
                    );
                if let Some(m) = crate::error::did_you_mean(
                    &ev.scope,
                    world.units.iter().flat_map(|u| [u.id.as_str(), u.name_en.as_str()]),
                ) {
                    e = e.suggest(format!("did you mean `{m}`?"));
                } else if world.units.len() < 40 {
                    e = e.suggest("`world.provinces` and `world.depth` decide which units exist");
                }
                return Err(place(e));
            };
            if ev.kind == EventKind::ServicePlatform && c.level[u as usize] == Level::National {
                return Err(place(
                    ev.origin
                        .error(
                            "the national unit builds no exchange platform in the model",
                            "scope",
                        )
                        .expected("a province or a lower unit for `service_platform`"),
                ));
            }
            Ok(u)
        })
        .collect()
}

type Partners = (Vec<u32>, Vec<u32>, Vec<(u32, u32)>);

/// Resolve partnership pairs to department pairs and eligible-unit pairs.
fn partners(levers: &Levers, world: &World, c: &Compiled, key: &str) -> Result<Partners> {
    let (mut a, mut b, mut elig) = (Vec::new(), Vec::new(), Vec::new());
    for (k, pair) in levers.regional.pairs.iter().enumerate() {
        let mut ids = [0u32; 2];
        for (j, name) in pair.iter().enumerate() {
            ids[j] = world.find_unit(name).ok_or_else(|| {
                let mut e = InputError::new(format!("no unit called `{name}` in this world"))
                    .key(format!("{key}.regional.pairs[{k}][{j}]"))
                    .expected("the id, English or Chinese name of a unit (e.g. `sichuan`, `c01`)");
                if let Some(m) =
                    crate::error::did_you_mean(name, world.units.iter().map(|u| u.id.as_str()))
                {
                    e = e.suggest(format!("did you mean `{m}`?"));
                }
                e
            })?;
        }
        let (x, y) = (ids[0] as usize, ids[1] as usize);
        if x == y || c.level[x] == Level::National || c.level[y] == Level::National {
            return Err(
                InputError::new("a partnership needs two different sub-national units")
                    .key(format!("{key}.regional.pairs[{k}]"))
                    .into(),
            );
        }
        for t in 0..c.n_types {
            let (da, db) = (c.dept_of[x * c.n_types + t], c.dept_of[y * c.n_types + t]);
            if da != NONE && db != NONE {
                a.push(da);
                b.push(db);
            }
        }
        // Reuse channel: pair the eligible units below each partner one to one.
        let below = |u: usize| -> Vec<u32> {
            (0..c.n_units)
                .filter(|&i| {
                    c.elig_of[i] != NONE && c.level[i] <= Level::County && is_within(c, i, u)
                })
                .map(|i| c.elig_of[i])
                .collect()
        };
        let (ex, ey) = (below(x), below(y));
        for (p, q) in ex.iter().zip(&ey) {
            elig.push((*p, *q));
        }
    }
    Ok((a, b, elig))
}

/// Whether unit `i` is `u` or lies below it (`u` an ancestor-or-self of `i`).
fn is_within(c: &Compiled, mut i: usize, u: usize) -> bool {
    loop {
        if i == u {
            return true;
        }
        let p = c.parent[i];
        if p == NONE {
            return false;
        }
        i = p as usize;
    }
}
