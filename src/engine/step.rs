//! One quarter of the model, in the order of `docs/ODD.md` "Process
//! overview and scheduling": budgets and stocks → platforms and standards
//! → barriers per department → exchanges on links → domains, services
//! and reuse.

use rand::RngExt;

use super::Setup;
use super::links::{self, KernelParams};
use super::plan::Plan;
use super::state::{NATIONAL_STD, State, Tally};
use crate::catalog::Level;
use crate::mechanisms::{
    domains, flow, hardware, investment, platforms, sharing, sized, standards,
};
use crate::scenario::{MAX_DOMAINS, StandardsMode};
use crate::world::NONE;

/// Time of a quarter: `t` counts quarters from 1.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub t: u32,
}

impl Clock {
    /// Simulated year the quarter belongs to (1-based).
    pub fn year(self) -> f64 {
        ((self.t.max(1) - 1) / 4 + 1) as f64
    }
    /// Years elapsed at the end of the quarter.
    pub fn elapsed(self) -> f64 {
        self.t as f64 / 4.0
    }
    /// Whether a lever dated `year` is in force.
    pub fn active(self, year: f64) -> bool {
        self.t > 0 && self.year() >= year
    }
    /// First quarter in which a lever dated `year` is in force
    /// (`active(year)` ⇔ `t >= first_quarter(year)`); `u32::MAX` if none.
    pub fn first_quarter(year: f64) -> u32 {
        let y = year.ceil().max(1.0);
        let q = 4.0 * (y - 1.0) + 1.0;
        if q >= u32::MAX as f64 {
            u32::MAX
        } else {
            q as u32
        }
    }
}

/// Scratch vectors reused every quarter (owned by the caller, sized once).
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    pub release: Vec<f32>,
    pub absorb: Vec<f32>,
    pub level_need: [f64; 5],
    pub level_count: [f64; 5],
    pub stds: Vec<Option<u32>>,
    /// Collaboration ratio of each (unit, domain) this quarter.
    pub dom_x: Vec<f64>,
    /// Share of the *unable* barrier each group of pairs is spared by
    /// reused innovations in its domains.
    pub reuse_relief: Vec<f32>,
}

impl Scratch {
    /// Size the vectors for a world, keeping their allocations.
    pub fn fit(&mut self, n_units: usize, n_domains: usize, n_groups: usize) {
        sized(&mut self.reuse_relief, n_groups, 0.0);
        sized(&mut self.release, n_units, 0.0);
        sized(&mut self.absorb, n_units, 0.0);
        self.level_need = [0.0; 5];
        self.level_count = [0.0; 5];
        sized(&mut self.stds, n_units, None);
        sized(&mut self.dom_x, n_units * n_domains, 0.0);
    }
}

/// Advance the state by one quarter. With `warmup`, only the status quo is
/// played (no spending, building or reuse) and stocks jump to their
/// targets: this sets the initial state before any strategy acts.
pub fn quarter(
    ctx: &Setup,
    plan: &Plan,
    st: &mut State,
    sc: &mut Scratch,
    clock: Clock,
    warmup: bool,
) {
    let c = &ctx.compiled;
    st.tally.fill(Tally::default());
    if !warmup {
        invest(ctx, plan, st, sc, clock);
        build_platforms(ctx, plan, st, clock);
    }
    unit_factors(ctx, plan, st, sc, clock);
    department_factors(ctx, plan, st, clock);
    let m = &ctx.scenario.model;
    let kp = KernelParams {
        up_mandate: m.flow.up_mandate as f32,
        trust: crate::mechanisms::trust::PairUpdate::new(m.trust.gain, m.trust.loss),
        trust_base: m.trust.base as f32,
        coordination_effect: m.barriers.unwilling.coordination_effect as f32,
    };
    links::vertical(c, st, &kp, &sc.release, &sc.absorb);
    let sector = clock.active(plan.levers.coordination.sector_year);
    reuse_relief(ctx, st, &mut sc.reuse_relief);
    links::horizontal(
        c,
        st,
        &kp,
        if sector {
            &plan.coord_sector
        } else {
            &plan.coord_base
        },
        &sc.reuse_relief,
    );
    if !warmup && clock.active(plan.levers.regional.pairs_year) && !plan.partner_a.is_empty() {
        let sp = &m.standards;
        for u in 0..c.n_units {
            sc.stds[u] = unit_std(plan, st, u, clock.t);
        }
        let stds = &sc.stds;
        let loss = (1.0 - sp.cross_standard_usability) as f32;
        links::partners(
            c,
            st,
            &kp,
            &plan.partner_a,
            &plan.partner_b,
            |a, b| standards::usability(sp, stds[a], stds[b]) as f32,
            loss,
        );
    }
    update_rates(st, c.n_units, warmup);
    update_domains(ctx, st, sc, warmup);
    update_services(ctx, st, warmup);
    if !warmup {
        reuse(ctx, plan, st, clock);
    }
}

/// Budgets, talent, data quality and hardware.
fn invest(ctx: &Setup, plan: &Plan, st: &mut State, sc: &mut Scratch, clock: Clock) {
    let c = &ctx.compiled;
    let m = &ctx.scenario.model;
    let lev = &plan.levers.investment;
    let transfers = clock.active(plan.levers.regional.transfers_year);
    sc.level_need = [0.0; 5];
    sc.level_count = [0.0; 5];
    for u in 0..c.n_units {
        st.hw_need[u] = m.hardware.need(c.base_need[u], st.online[u] / 100.0);
        sc.level_need[c.level[u] as usize] += st.hw_need[u];
        sc.level_count[c.level[u] as usize] += 1.0;
    }
    for u in 0..c.n_units {
        if c.level[u] == Level::National {
            continue;
        }
        let mult = if transfers {
            plan.transfer_mult[u]
        } else {
            1.0
        };
        let budget = c.base_budget[u] * lev.budget * mult;
        // Intensity: spending relative to an even four-way split at fiscal
        // capacity 1, times how effectively the unit's lead turns money into
        // capability (last quarter's lead; `coordination::speed`).
        let speed = m.coordination.speed(st.lead[u]);
        let intensity = |share: f64| c.fiscal[u] * lev.budget * mult * share / 0.25 * speed;
        st.talent[u] = investment::grow(
            st.talent[u],
            m.investment.talent_rate,
            intensity(lev.talent),
            m.investment.talent_decay,
        );
        let gov = intensity(lev.data_governance);
        for d in c.dept_start[u] as usize..c.dept_start[u + 1] as usize {
            st.quality[d] = investment::grow(
                st.quality[d],
                m.investment.quality_rate,
                gov,
                m.investment.quality_decay,
            );
        }
        st.reserve[u] += budget * lev.platforms;
        let level_mean = sc.level_need[c.level[u] as usize] / sc.level_count[c.level[u] as usize];
        let target = hardware::target(
            lev.hardware_deployment,
            st.hw_need[u],
            level_mean,
            m.hardware.headroom,
        );
        st.hw_cap[u] = m.hardware.retire(st.hw_cap[u]);
        let bought = hardware::purchase(
            m.hardware.quarter_target(target, st.hw_cap[u]),
            st.hw_cap[u],
            budget * lev.hardware,
            m.hardware.unit_cost,
        );
        st.hw_cap[u] += bought;
        let maintenance = st.hw_cap[u] * m.hardware.unit_cost * m.hardware.maintenance_share / 4.0;
        st.cost[u] += budget * (lev.talent + lev.data_governance)
            + bought * m.hardware.unit_cost
            + maintenance;
    }
}

/// Builds, connections, customisation, running costs and standards adoption.
fn build_platforms(ctx: &Setup, plan: &Plan, st: &mut State, clock: Clock) {
    let c = &ctx.compiled;
    let pp = &ctx.scenario.model.platforms;
    let t = clock.t;
    let ready = t as f64 >= pp.build_quarters;
    for u in 0..c.n_units {
        let cost = plan.build_cost[u];
        let own = cost * plan.own_share[u];
        // A unit moved onto an integrated platform above it (a dated
        // event) builds no platform of its own and retires the one it has.
        let retired = t >= plan.ev_from[u];
        // A dated launch happens in its quarter, paid from the reserve
        // even if that leaves it below zero (repaid by later budgets).
        let launch = t >= plan.launch_at[u];
        if cost > 0.0 && !st.built[u] && !retired && (launch || (ready && st.reserve[u] >= own)) {
            st.built[u] = true;
            st.reserve[u] -= own;
            // The whole build counts as cost, whoever pays for it.
            st.cost[u] += cost;
            st.std[u] = u as u32;
        }
        if st.built[u] && !retired {
            st.cost[u] += cost * pp.running_cost_share / 4.0;
        }
    }
    for u in 0..c.n_units {
        if c.level[u] == Level::National {
            continue;
        }
        let switched = t >= plan.ev_from[u];
        if t == plan.ev_from[u] {
            // Reconnect to the integrated platform.
            st.connected[u] = false;
        }
        let s = plan.server_at(u, t) as usize;
        if s == u {
            st.connected[u] = st.built[u];
        } else if !st.connected[u] && st.built[s] {
            let payer = if switched { u } else { plan.payer[u] as usize };
            let fee = pp.connection_cost.at(c.level[u]);
            if st.reserve[payer] >= fee {
                st.reserve[payer] -= fee;
                st.cost[payer] += fee;
                st.connected[u] = true;
            }
        }
        if st.connected[u] {
            st.conn_share[u] = platforms::connect_departments(
                st.conn_share[u],
                pp.department_connection_rate,
                st.talent[u],
            );
        }
        let city = plan.customiser[u];
        if city != NONE
            && city as usize == u
            && !st.customised[u]
            && st.built[s]
            && st.reserve[u] >= pp.customisation_cost
        {
            st.reserve[u] -= pp.customisation_cost;
            st.cost[u] += pp.customisation_cost;
            st.customised[u] = true;
        }
    }
    for u in 0..c.n_units {
        if plan.customiser[u] == u as u32 && st.customised[u] {
            st.cost[u] += pp.customisation_cost * pp.running_cost_share / 4.0;
        }
    }
    adopt_standards(ctx, plan, st, clock);
    adopt_systems(ctx, plan, st, clock);
}

/// Each further system still on a legacy standard migrates onto its
/// platform's standard with the standards lever's hazard, once its unit is
/// connected. The draw of system `s` in quarter `t` is a hash of (the
/// run's systems key, `s`, `t`): every strategy meets the same draws, and
/// only systems that can migrate are visited.
fn adopt_systems(ctx: &Setup, plan: &Plan, st: &mut State, clock: Clock) {
    let c = &ctx.compiled;
    let lev = &plan.levers;
    if lev.standards == StandardsMode::None || !clock.active(lev.standards_year) {
        return;
    }
    let hazard = standards::quarterly_hazard(lev.standards_pace);
    let quarter_key = st.systems_key ^ (clock.t as u64).wrapping_mul(0xD1B5_4A32_D192_ED03);
    for u in (0..c.n_units).filter(|&u| st.connected[u]) {
        for d in c.dept_start[u] as usize..c.dept_start[u + 1] as usize {
            let (s0, s1) = (c.sys_start[d] as usize, c.sys_start[d + 1] as usize);
            if st.sys_on[d] as usize == s1 - s0 {
                continue; // every system on the standard already
            }
            let mut moved = 0u16;
            for (s, legacy) in st.sys_legacy[s0..s1].iter_mut().enumerate().skip(1) {
                let key = quarter_key ^ ((s0 + s) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let r = (crate::rng::mix(key) >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
                if *legacy && r < hazard {
                    *legacy = false;
                    moved += 1;
                }
            }
            if moved > 0 {
                st.sys_on[d] += moved;
                st.sys_f[d] = st.sys_on[d] as f32 / (s1 - s0) as f32;
                st.sys_dirty[u] = true;
            }
        }
    }
    st.refresh_systems(c);
}

/// Each built platform adopts the common standard with the lever's hazard;
/// while no lever is in force, the national standard with the spontaneous
/// hazard (`standards.spontaneous_pace`, 0 by default). One draw per builder either way,
/// so strategies stay paired.
fn adopt_standards(ctx: &Setup, plan: &Plan, st: &mut State, clock: Clock) {
    let c = &ctx.compiled;
    let lev = &plan.levers;
    let started = clock.active(lev.standards_year);
    let lever_hazard = standards::quarterly_hazard(lev.standards_pace);
    let spontaneous = standards::quarterly_hazard(ctx.scenario.model.standards.spontaneous_pace);
    for u in 0..c.n_units {
        if plan.build_cost[u] <= 0.0 {
            continue;
        }
        let r: f64 = st.rng.standards.random();
        if !st.built[u] {
            continue;
        }
        let mode = plan.standards_of(u);
        let lever = mode != StandardsMode::None && started;
        let hazard = if lever { lever_hazard } else { spontaneous };
        let target = match mode {
            StandardsMode::Provincial if lever => c.province[u],
            _ => NATIONAL_STD,
        };
        if st.std[u] != target && r < hazard {
            st.std[u] = target;
        }
    }
}

/// Standard a unit's departments use in quarter `t` (its server's), or
/// `None` for legacy systems.
#[inline]
pub fn unit_std(plan: &Plan, st: &State, u: usize, t: u32) -> Option<u32> {
    if st.connected[u] {
        Some(st.std[plan.server_at(u, t) as usize])
    } else {
        None
    }
}

/// Platform service, lead, reforms, *unable*, overload, release and absorption per unit.
fn unit_factors(ctx: &Setup, plan: &Plan, st: &mut State, sc: &mut Scratch, clock: Clock) {
    let c = &ctx.compiled;
    let m = &ctx.scenario.model;
    let t = clock.t;
    for u in 0..c.n_units {
        let custom = plan.customiser[u] != NONE && st.customised[plan.customiser[u] as usize];
        let fit = if t >= plan.ev_from[u] {
            plan.ev_fit[u]
        } else if custom {
            plan.fit_custom[u]
        } else {
            plan.fit_plain[u]
        };
        st.platform[u] = if st.connected[u] {
            fit * st.conn_share[u]
        } else {
            0.0
        };
        // In the warm-up (t = 0) no agency acts: every start quarter is ≥ 1.
        let covered = t >= plan.agency_from[u];
        st.lead[u] = m.coordination.lead(c.rank[u], covered);
        st.unable[u] = sharing::unable_unit(&m.barriers.unable, st.platform[u], st.lead[u]) as f32;
        st.overload[u] = sharing::overload(
            m.barriers.unable.overload_weight,
            c.grassroots[u],
            st.talent[u],
        ) as f32;
        let parent_covered = c.parent[u] != NONE && t >= plan.agency_from[c.parent[u] as usize];
        let release = m.flow.down_release
            + if parent_covered {
                m.flow.agency_release
            } else {
                0.0
            };
        sc.release[u] = release.min(1.0) as f32;
        sc.absorb[u] = flow::absorb(m.flow.absorb_base as f32, st.talent[u] as f32);
    }
}

/// Barriers and usability of every department.
fn department_factors(ctx: &Setup, plan: &Plan, st: &mut State, clock: Clock) {
    let c = &ctx.compiled;
    let m = &ctx.scenario.model;
    let r = &plan.levers.institutions;
    let (ramp, e) = (m.institutions.ramp_years, clock.elapsed());
    let levels = [
        r.security_governance.level(e, ramp),
        r.property_rights.level(e, ramp),
        r.revenue_distribution.level(e, ramp),
        r.circulation.level(e, ramp),
    ];
    for u in 0..c.n_units {
        let share = m.institutions.local_share(c.institutions[u]);
        let [sec, rights, revenue, circ] = levels.map(|x| x * share);
        let std_u = unit_std(plan, st, u, clock.t);
        let std_parent = if c.parent[u] == NONE {
            None
        } else {
            unit_std(plan, st, c.parent[u] as usize, clock.t)
        };
        let std_match = standards::usability(&m.standards, std_u, std_parent);
        let both_on_platforms = std_u.is_some() && std_parent.is_some();
        // Departments still on legacy systems (on either side) exchange at
        // legacy usability.
        let both_on = st.conn_share[u]
            * if c.parent[u] == NONE {
                0.0
            } else {
                st.conn_share[c.parent[u] as usize]
            };
        let line_match = std_u == Some(NATIONAL_STD);
        let (mut dare_not, mut usab, mut usab_n) = (0.0, 0.0, 0u32);
        // The unit's departments as equal-length slices, so the loop
        // indexes them without bounds checks.
        let range = c.dept_start[u] as usize..c.dept_start[u + 1] as usize;
        let types = &c.dept_type[range.clone()];
        let n = types.len();
        let degree = &c.h_degree[range.clone()][..n];
        let quality = &st.quality[range.clone()][..n];
        let parents = &c.dept_parent[range.clone()][..n];
        let sys_f = &st.sys_f[range.clone()][..n];
        let partner_f = &st.partner_f[range.clone()][..n];
        let out_dn = &mut st.dare_not[range.clone()][..n];
        let out_uw = &mut st.unwilling[range.clone()][..n];
        let out_willing = &mut st.willing[range.clone()][..n];
        let out_usab_h = &mut st.usab_h[range.clone()][..n];
        let out_usab_v = &mut st.usab_v[range.clone()][..n];
        let out_provide = &mut st.provide[range][..n];
        let on_platform = if st.connected[u] {
            st.conn_share[u]
        } else {
            0.0
        };
        // Loss of data crossing between two systems on different standards.
        let system_loss = 1.0 - m.standards.cross_standard_usability;
        for i in 0..n {
            let t = types[i] as usize;
            let dn =
                sharing::dare_not(&m.barriers.dare_not, c.type_sensitivity[t], quality[i], sec);
            let uw = sharing::unwilling_base(
                &m.barriers.unwilling,
                c.type_value[t],
                rights,
                revenue,
                circ,
            );
            let (dn32, uw32) = (dn as f32, uw as f32);
            let v = c.type_vertical[t];
            let usab_h =
                standards::horizontal_usability(&m.standards, on_platform, v, line_match) as f32;
            // The platform share crosses between the two departments'
            // systems: `loss_h` of it is lost on each system pair off the
            // standard (none off a platform: that share is legacy).
            let loss_h = (on_platform * (1.0 - v) * system_loss) as f32;
            let f = sys_f[i];
            let on_match = if both_on_platforms && parents[i] != NONE {
                let fp = st.sys_f[parents[i] as usize];
                std_match * standards::system_usability(&m.standards, f as f64, fp as f64)
            } else {
                std_match
            };
            let platforms = both_on * on_match + (1.0 - both_on) * m.standards.legacy_usability;
            out_dn[i] = dn32;
            out_uw[i] = uw32;
            out_willing[i] = ((1.0 - dn) * (1.0 - uw)) as f32;
            out_usab_h[i] = usab_h;
            out_usab_v[i] = standards::vertical_usability(v, platforms) as f32;
            out_provide[i] = [(1.0 - dn32) * usab_h, (1.0 - dn32) * loss_h, uw32, f];
            // Tallies of the pairs this department provides on (one attempt
            // each); `off` counts its partners' system pairs off the standard.
            let deg = degree[i] as u32;
            let off = deg as f32 - f * partner_f[i];
            dare_not += deg as f64 * dn;
            usab += deg as f64 * usab_h as f64 - (loss_h * off) as f64;
            usab_n += deg;
        }
        // The unit's tallies are still zero here: one addition keeps the sums exact.
        let tally = &mut st.tally[u];
        tally.dare_not += dare_not;
        tally.usab += usab;
        tally.usab_n += usab_n;
    }
}

/// Smoothed exchange rates per unit (half-life of one quarter); in warm-up they are set outright.
fn update_rates(st: &mut State, n: usize, warmup: bool) {
    let a = if warmup { 1.0 } else { 0.5 };
    for u in 0..n {
        let t = st.tally[u];
        let ema = |old: f64, s: u32, k: u32| {
            if k == 0 {
                old
            } else {
                old + a * (s as f64 / k as f64 - old)
            }
        };
        st.ema_up[u] = ema(st.ema_up[u], t.up_s, t.up_n);
        st.ema_down[u] = ema(st.ema_down[u], t.down_s, t.down_n);
        st.ema_share[u] = ema(st.ema_share[u], t.h_s + t.p_s, t.h_n + t.p_n);
        if t.usab_n > 0 {
            st.ema_usab[u] += a * (t.usab / t.usab_n as f64 - st.ema_usab[u]);
        }
    }
}

/// Domain collaboration stocks. Each unit's groups and departments are
/// visited once, adding their successes to every domain they serve.
fn update_domains(ctx: &Setup, st: &mut State, sc: &mut Scratch, warmup: bool) {
    let c = &ctx.compiled;
    let p = &ctx.scenario.model;
    let nd = c.n_domains;
    let hw = p.domains.horizontal_weight;
    // Successes per domain: every group (department) adds its successes to
    // all MAX_DOMAINS counters under its domain mask, a fixed-width loop
    // the compiler vectorises, with no branch on the draws. Attempts are
    // static (`Compiled::domain_inv_attempts`).
    for u in 0..c.n_units {
        if c.level[u] == Level::National {
            continue;
        }
        let (mut h_succ, mut v_succ) = ([0u32; MAX_DOMAINS], [0u32; MAX_DOMAINS]);
        for g in c.unit_groups[u] as usize..c.unit_groups[u + 1] as usize {
            add_masked(&mut h_succ, st.group_succ[g], c.groups[g].mask);
        }
        let depts = c.dept_start[u] as usize..c.dept_start[u + 1] as usize;
        for (&vs, &t) in st.vs[depts.clone()].iter().zip(&c.dept_type[depts]) {
            // vs is 0 for departments without a parent
            add_masked(&mut v_succ, vs as u32, c.type_domains[t as usize]);
        }
        let inv_attempts = &c.domain_inv_attempts[u * nd..(u + 1) * nd];
        let dom_x = &mut sc.dom_x[u * nd..(u + 1) * nd];
        for d in 0..nd {
            let [inv_h, inv_v] = inv_attempts[d];
            let v = v_succ[d] as f64 * inv_v;
            let x = if inv_h > 0.0 {
                hw * h_succ[d] as f64 * inv_h + (1.0 - hw) * v
            } else {
                v
            };
            dom_x[d] = x.clamp(0.0, 1.0);
        }
    }
    // The stocks in a pass of their own: short independent iterations that
    // the processor overlaps (the table interpolation is a long chain).
    let rates = &c.domain_rate[..nd];
    let units = st.dom.chunks_exact_mut(nd).zip(sc.dom_x.chunks_exact(nd));
    for ((dom, dom_x), &lead) in units.zip(&st.lead) {
        let speed = p.coordination.speed(lead);
        for d in 0..nd {
            if dom[d].is_nan() {
                continue; // the domain does not exist here (or the national unit)
            }
            let target = 100.0 * c.domain_pow(d, dom_x[d]);
            dom[d] = if warmup {
                target
            } else {
                domains::approach(dom[d], target, (speed * rates[d]).min(1.0))
            };
        }
    }
}

/// Add `n` to the counters of the domains set in `mask`.
#[inline(always)]
fn add_masked(counts: &mut [u32; MAX_DOMAINS], n: u32, mask: u32) {
    for (d, x) in counts.iter_mut().enumerate() {
        *x += if (mask >> d) & 1 == 1 { n } else { 0 };
    }
}

/// Services online and zero-visit shares.
fn update_services(ctx: &Setup, st: &mut State, warmup: bool) {
    let c = &ctx.compiled;
    let sp = &ctx.scenario.model.services;
    let Some(ps) = c.public_services else { return };
    for u in 0..c.n_units {
        let pub_c = st.dom[u * c.n_domains + ps];
        let pub_c = if pub_c.is_nan() { 0.0 } else { pub_c / 100.0 };
        let readiness = sp.readiness(st.platform[u], pub_c, st.talent[u]);
        let integration = sp.integration(pub_c, st.ema_down[u]);
        (st.online[u], st.zero[u]) = if warmup {
            sp.initial(readiness, integration)
        } else {
            let speed = ctx.scenario.model.coordination.speed(st.lead[u]);
            sp.convert((st.online[u], st.zero[u]), readiness, integration, speed)
        };
    }
}

/// Relief of the *unable* barrier per group of pairs from reused
/// innovations (`diffusion`): an adopted innovation is a working
/// cross-department procedure (a shared form, a data interface) in its
/// domain, so the pairs of a unit (a township: its county's) that work in
/// that domain need less money and lead to exchange. The strongest relief
/// among the group's domains applies. This is how innovation and reuse
/// reach sharing, the domains and the collaboration index.
fn reuse_relief(ctx: &Setup, st: &State, relief: &mut [f32]) {
    let c = &ctx.compiled;
    let p = &ctx.scenario.model.diffusion;
    for u in 0..c.n_units {
        let elig = c.elig_of[u];
        let groups = c.unit_groups[u] as usize..c.unit_groups[u + 1] as usize;
        for (r, group) in relief[groups.clone()].iter_mut().zip(&c.groups[groups]) {
            *r = if elig == NONE {
                0.0
            } else {
                (0..c.n_domains)
                    .filter(|d| group.mask & (1 << d) != 0)
                    .map(|d| st.diffusion.boost(p, elig as usize, d))
                    .fold(0.0, f64::max) as f32
            };
        }
    }
}

/// Innovation arrivals, spread and deliberate copies, with adoption costs.
fn reuse(ctx: &Setup, plan: &Plan, st: &mut State, clock: Clock) {
    let c = &ctx.compiled;
    let p = &ctx.scenario.model.diffusion;
    for (e, &u) in c.diffusion.units.iter().enumerate() {
        let u = u as usize;
        st.capability[e] = st.talent[u] * c.digital[u] * (0.5 + 0.5 * c.fiscal[u]);
    }
    let State {
        diffusion,
        capability,
        rng,
        ..
    } = st;
    diffusion.arrive(&c.diffusion, p, capability, clock.t, &mut rng.innovation);
    diffusion.spread(
        &c.diffusion,
        p,
        plan.levers.reuse,
        clock.t,
        &mut rng.adoption,
    );
    // Deliberate copies, in the first quarter of the year they are chosen
    // for, in unit order (a copy made earlier in the loop can be copied on).
    if !plan.copy_from.is_empty() && clock.t % 4 == 1 {
        for (u, &s) in plan.copy_from.iter().enumerate() {
            if s == NONE {
                continue;
            }
            let (e, from) = (c.elig_of[u], c.elig_of[s as usize]);
            if e != NONE && from != NONE && c.level[u] <= Level::County {
                diffusion.copy(&c.diffusion, p, e as usize, from as usize);
            }
        }
    }
    for (e, &u) in c.diffusion.units.iter().enumerate() {
        st.cost[u as usize] += st.diffusion.cost[e];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_years() {
        assert_eq!(Clock { t: 1 }.year(), 1.0);
        assert_eq!(Clock { t: 4 }.year(), 1.0);
        assert_eq!(Clock { t: 5 }.year(), 2.0);
        assert!(Clock { t: 5 }.active(2.0));
        assert!(!Clock { t: 4 }.active(2.0));
        assert!(!Clock { t: 0 }.active(1.0));
    }

    #[test]
    fn first_quarter_matches_active() {
        for year in [1.0, 1.5, 2.0, 2.25, 3.0, 7.9, 50.0] {
            let q = Clock::first_quarter(year);
            for t in 0..=250 {
                assert_eq!(Clock { t }.active(year), t >= q, "year {year}, t {t}");
            }
        }
        assert_eq!(Clock::first_quarter(1.0), 1);
        assert_eq!(Clock::first_quarter(3.0), 9);
        assert_eq!(Clock::first_quarter(f64::INFINITY), u32::MAX);
    }
}
