//! Maturity of each unit (docs/model.md §5): the simulated indicators of every
//! unit are scored by the assessment engine with the run's framework, the
//! same definition `tiaokuai assess` applies to real data.
//!
//! Rule: the indicator columns written here are exactly the sources that
//! `frameworks/tiaokuai.toml` reads; `indicators.csv` in a run directory
//! holds them in the wide format `assess` reads.

use super::Setup;
use super::plan::Plan;
use super::state::{NATIONAL_STD, State};
use super::step::Clock;
use crate::catalog::Level;
use crate::mechanisms::hardware;
use crate::world::NONE;

/// Indicator columns, in row order.
pub const COLUMNS: [&str; 15] = [
    "infrastructure",
    "connectivity",
    "human_capital",
    "services_online",
    "zero_visit_share",
    "flow_up",
    "flow_down",
    "sharing_horizontal",
    "cross_system_usability",
    "platform_fit",
    "standards_adoption",
    "institutions",
    "coordination",
    "openness",
    "innovation_adoption",
];

/// Fill `rows` (units × COLUMNS, row-major) with every unit's indicators;
/// the national unit's row is NaN (it is not scored).
pub(crate) fn indicators(ctx: &Setup, plan: &Plan, st: &State, clock: Clock, rows: &mut [f64]) {
    let c = &ctx.compiled;
    let m = &ctx.scenario.model;
    let k = COLUMNS.len();
    let r = &plan.levers.institutions;
    let e = clock.elapsed();
    let ramp = m.institutions.ramp_years;
    let reform = (r.property_rights.level(e, ramp)
        + r.revenue_distribution.level(e, ramp)
        + r.circulation.level(e, ramp)
        + r.security_governance.level(e, ramp))
        / 4.0;
    let n_innov = st.diffusion.count();
    for u in 0..c.n_units {
        let row = &mut rows[u * k..(u + 1) * k];
        if c.level[u] == Level::National {
            row.fill(f64::NAN);
            continue;
        }
        let std = if st.connected[u] {
            st.std[plan.server_at(u, clock.t) as usize]
        } else {
            NONE
        };
        let common = std == NATIONAL_STD || (std != NONE && std == c.province[u]);
        // Share of the unit's data on a common standard: the line share of
        // each department travels on its line system's national standard;
        // the platform share counts where the department works on a
        // platform that runs the national or the province's standard.
        let on_common = if common { st.conn_share[u] } else { 0.0 };
        let depts = c.dept_start[u] as usize..c.dept_start[u + 1] as usize;
        let n_depts = depts.len();
        let standards_adoption = if n_depts == 0 {
            0.0
        } else {
            c.dept_type[depts]
                .iter()
                .map(|&t| {
                    let v = c.type_vertical[t as usize];
                    v + (1.0 - v) * on_common
                })
                .sum::<f64>()
                / n_depts as f64
        };
        let openness = c.openness.map_or(f64::NAN, |o| st.dom[u * c.n_domains + o]);
        let elig = c.elig_of[u];
        let adoption = if elig == NONE || n_innov == 0 {
            0.0
        } else {
            st.diffusion.adopted_total[elig as usize] as f64 / n_innov as f64
        };
        let inst =
            0.5 * c.institutions[u] + 0.5 * reform * m.institutions.local_share(c.institutions[u]);
        row.copy_from_slice(&[
            hardware::coverage(st.hw_cap[u], st.hw_need[u]),
            if st.connected[u] {
                st.conn_share[u]
            } else {
                0.0
            },
            st.talent[u],
            st.online[u],
            st.zero[u],
            st.ema_up[u],
            st.ema_down[u],
            st.ema_share[u],
            st.ema_usab[u],
            st.platform[u],
            standards_adoption,
            inst,
            st.lead[u],
            openness,
            adoption,
        ]);
    }
}
