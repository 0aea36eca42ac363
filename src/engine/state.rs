//! The mutable state of one run, as flat arrays (struct of arrays).
//!
//! Rules: allocated once per worker thread for a compiled world and reused
//! for every run it executes ([`State::reset`]); the step loop only writes
//! into these buffers and allocates nothing. Per-quarter accumulators are
//! cleared at the start of each quarter.

use rand::RngExt;

use super::compiled::Compiled;
use crate::mechanisms::diffusion::Diffusion;
use crate::mechanisms::sized;
use crate::rng::{self, Rng};
use crate::scenario::Scenario;
use crate::world::NONE;

/// Standard id of the national standard (shared with line systems).
pub const NATIONAL_STD: u32 = u32::MAX - 1;

/// Quarterly exchange accumulators of one unit.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    pub up_s: u32,
    pub up_n: u32,
    pub down_s: u32,
    pub down_n: u32,
    pub h_s: u32,
    pub h_n: u32,
    /// Cross-region partnership attempts (counted in sharing, not in barriers).
    pub p_s: u32,
    pub p_n: u32,
    pub usab: f64,
    pub usab_n: u32,
    pub dare_not: f64,
    pub unwilling: f64,
    pub unable: f64,
    pub trust: f64,
}

/// State of one run.
#[derive(Debug, Clone, Default)]
pub struct State {
    // Units.
    pub talent: Vec<f64>,
    pub reserve: Vec<f64>,
    pub built: Vec<bool>,
    pub connected: Vec<bool>,
    /// Share of the unit's departments working on its platform (0–1):
    /// rises once the unit is connected (`platforms::connect_departments`).
    pub conn_share: Vec<f64>,
    pub customised: Vec<bool>,
    /// Standard of the platform each builder runs.
    pub std: Vec<u32>,
    pub hw_cap: Vec<f64>,
    pub hw_need: Vec<f64>,
    pub cost: Vec<f64>,
    pub online: Vec<f64>,
    pub zero: Vec<f64>,
    /// Domain collaboration stocks, `dom[u * n_domains + d]`; NaN where the unit holds none of the domain's departments.
    pub dom: Vec<f64>,
    pub ema_up: Vec<f64>,
    pub ema_down: Vec<f64>,
    pub ema_share: Vec<f64>,
    pub ema_usab: Vec<f64>,
    /// Connected share of departments × fit, this quarter.
    pub platform: Vec<f64>,
    pub lead: Vec<f64>,
    pub tally: Vec<Tally>,
    /// Unit-level part of *unable* and overload exposure, this quarter.
    pub unable: Vec<f32>,
    pub overload: Vec<f32>,
    // Departments.
    pub quality: Vec<f64>,
    pub dare_not: Vec<f32>,
    pub unwilling: Vec<f32>,
    pub willing: Vec<f32>,
    pub usab_h: Vec<f32>,
    /// Provider factors on horizontal links, `[(1 − dare_not) × usability,
    /// (1 − dare_not) × system loss, unwilling, systems on standard]`
    /// (`step::department_factors`), interleaved so the pair loop reads one
    /// cache line per endpoint.
    pub provide: Vec<[f32; 4]>,
    pub usab_v: Vec<f32>,
    /// Vertical successes (0–2) this quarter.
    pub vs: Vec<u8>,
    // Information systems.
    /// Whether each system still runs a legacy standard of its own (a
    /// department's first system never does).
    pub sys_legacy: Vec<bool>,
    /// Systems of each department on its platform's standard.
    pub sys_on: Vec<u16>,
    /// Share of each department's systems on its platform's standard.
    pub sys_f: Vec<f32>,
    /// Sum of `sys_f` over each department's horizontal partners.
    pub partner_f: Vec<f32>,
    /// System-to-system links of each unit with both systems on the standard.
    pub aligned_links: Vec<f64>,
    /// Units whose `partner_f` and `aligned_links` need recomputing.
    pub sys_dirty: Vec<bool>,
    /// Key of the run's migration draws (`step::adopt_systems`).
    pub systems_key: u64,
    // Links.
    pub trust: Vec<f32>,
    pub group_succ: Vec<u32>,
    pub partner_trust: Vec<f32>,
    // Reuse.
    pub diffusion: Diffusion,
    pub capability: Vec<f64>,
    pub rng: Streams,
}

/// A run's random streams, one per mechanism, each derived from (scenario
/// seed, replicate, name): one mechanism's draws never shift another's.
#[derive(Debug, Clone)]
pub struct Streams {
    pub links: Rng,
    pub partners: Rng,
    pub innovation: Rng,
    pub adoption: Rng,
    pub standards: Rng,
    pub systems: Rng,
}

impl Streams {
    fn of(seed: u64, rep: u32) -> Self {
        let s = |name| rng::stream(seed, rep, name);
        Streams {
            links: s("links"),
            partners: s("partners"),
            innovation: s("innovation"),
            adoption: s("adoption"),
            standards: s("standards"),
            systems: s("systems"),
        }
    }
}

impl Default for Streams {
    /// Placeholder streams, replaced by [`State::reset`] before any draw.
    fn default() -> Self {
        Streams::of(0, 0)
    }
}

impl State {
    /// Size every buffer for `c` (a fresh `State::default()` first, then
    /// again whenever the worker moves on to a replicate that drew another
    /// structure), keeping the allocations: no frees, no freshly faulted
    /// pages.
    pub(crate) fn fit(&mut self, c: &Compiled, sc: &Scenario) {
        let n = c.n_units;
        let nd = c.n_depts;
        let max_partners = sc
            .strategies
            .iter()
            .map(|s| s.levers.regional.pairs.len() * c.n_types)
            .max()
            .unwrap_or(0);
        sized(&mut self.talent, n, 0.0);
        sized(&mut self.reserve, n, 0.0);
        sized(&mut self.built, n, false);
        sized(&mut self.connected, n, false);
        sized(&mut self.conn_share, n, 0.0);
        sized(&mut self.customised, n, false);
        sized(&mut self.std, n, NONE);
        sized(&mut self.hw_cap, n, 0.0);
        sized(&mut self.hw_need, n, 0.0);
        sized(&mut self.cost, n, 0.0);
        sized(&mut self.online, n, 0.0);
        sized(&mut self.zero, n, 0.0);
        sized(&mut self.dom, n * c.n_domains, f64::NAN);
        sized(&mut self.ema_up, n, 0.0);
        sized(&mut self.ema_down, n, 0.0);
        sized(&mut self.ema_share, n, 0.0);
        sized(&mut self.ema_usab, n, 0.0);
        sized(&mut self.platform, n, 0.0);
        sized(&mut self.lead, n, 0.0);
        sized(&mut self.tally, n, Tally::default());
        sized(&mut self.unable, n, 0.0);
        sized(&mut self.overload, n, 0.0);
        sized(&mut self.quality, nd, 0.0);
        sized(&mut self.dare_not, nd, 0.0);
        sized(&mut self.unwilling, nd, 0.0);
        sized(&mut self.willing, nd, 0.0);
        sized(&mut self.usab_h, nd, 0.0);
        sized(&mut self.provide, nd, [0.0; 4]);
        sized(&mut self.usab_v, nd, 0.0);
        sized(&mut self.vs, nd, 0);
        sized(&mut self.sys_legacy, c.n_systems, false);
        sized(&mut self.sys_on, nd, 0);
        sized(&mut self.sys_f, nd, 0.0);
        sized(&mut self.partner_f, nd, 0.0);
        sized(&mut self.aligned_links, n, 0.0);
        sized(&mut self.sys_dirty, n, false);
        sized(&mut self.trust, c.n_pairs(), 0.0);
        sized(&mut self.group_succ, c.groups.len(), 0);
        sized(&mut self.capability, c.diffusion.units.len(), 0.0);
        self.systems_key = 0;
        self.partner_trust.clear();
        self.partner_trust.reserve(max_partners);
        self.diffusion.fit(
            &c.diffusion,
            c.n_domains,
            sc.model.diffusion.max_innovations as usize,
        );
    }

    pub(crate) fn reset(
        &mut self,
        c: &Compiled,
        sc: &Scenario,
        rep: u32,
        partners: usize,
        partner_elig: &[(u32, u32)],
    ) {
        let seed = sc.run.seed;
        let mut init = rng::stream(seed, rep, "init");
        self.rng = Streams::of(seed, rep);
        let m = &sc.model;
        self.talent.copy_from_slice(&c.talent0);
        self.reserve.fill(0.0);
        self.built.fill(false);
        self.connected.fill(false);
        self.conn_share.fill(0.0);
        self.customised.fill(false);
        self.std.fill(NONE);
        for u in 0..c.n_units {
            self.hw_need[u] = c.base_need[u];
            self.hw_cap[u] = c.base_need[u] * m.hardware.initial_coverage;
        }
        // The centre runs the national standard from the start.
        for u in 0..c.n_units {
            if c.level[u] == crate::catalog::Level::National {
                self.built[u] = true;
                self.connected[u] = true;
                self.conn_share[u] = 1.0;
                self.std[u] = NATIONAL_STD;
            }
        }
        self.cost.fill(0.0);
        // Overwritten by the warm-up quarter; set for a well-defined start.
        let (on0, zv0) = m.services.initial(m.services.readiness(0.0, 0.0, 0.0), 0.0);
        self.online.fill(on0);
        self.zero.fill(zv0);
        self.init_domains(c);
        self.ema_up.fill(0.0);
        self.ema_down.fill(0.0);
        self.ema_share.fill(0.0);
        self.ema_usab.fill(0.0);
        self.platform.fill(0.0);
        for d in 0..c.n_depts {
            let u = c.dept_unit[d] as usize;
            let noise: f64 = init.random::<f64>() - 0.5;
            self.quality[d] = (0.2 + 0.5 * c.institutions[u] + 0.2 * noise).clamp(0.05, 1.0);
        }
        let t = &m.trust;
        for x in self.trust.iter_mut() {
            let r: f64 = init.random();
            *x = (t.initial + t.initial_spread * (2.0 * r - 1.0)).clamp(0.0, 1.0) as f32;
        }
        self.partner_trust.clear();
        self.partner_trust.resize(partners, t.initial as f32);
        self.diffusion.reset(partner_elig);
        self.init_systems(c, m.standards.legacy_share);
    }

    /// Each further system of a department starts on a legacy standard of
    /// its own with probability `legacy_share` (its own `systems` stream,
    /// so other draws do not move with the number of systems); the stream
    /// then gives the key of the run's migration draws.
    fn init_systems(&mut self, c: &Compiled, legacy_share: f64) {
        for d in 0..c.n_depts {
            let (s0, s1) = (c.sys_start[d] as usize, c.sys_start[d + 1] as usize);
            self.sys_legacy[s0] = false;
            for s in s0 + 1..s1 {
                let r: f64 = self.rng.systems.random();
                self.sys_legacy[s] = r < legacy_share;
            }
            let legacy = self.sys_legacy[s0..s1].iter().filter(|&&x| x).count();
            self.sys_on[d] = (s1 - s0 - legacy) as u16;
            self.sys_f[d] = self.sys_on[d] as f32 / (s1 - s0) as f32;
        }
        self.systems_key = self.rng.systems.random();
        self.sys_dirty.fill(true);
        self.refresh_systems(c);
    }

    /// Recompute the partner sums and aligned links of units whose systems
    /// changed (few per quarter: only migrations change them).
    pub(crate) fn refresh_systems(&mut self, c: &Compiled) {
        for u in 0..c.n_units {
            if !std::mem::take(&mut self.sys_dirty[u]) {
                continue;
            }
            let depts = c.dept_start[u] as usize..c.dept_start[u + 1] as usize;
            self.partner_f[depts.clone()].fill(0.0);
            let on = |d: usize| self.sys_on[d] as f64;
            let mut aligned: f64 = depts.map(|d| on(d) * (on(d) - 1.0) / 2.0).sum();
            let pairs = c.unit_pair_start[u] as usize..c.unit_pair_start[u + 1] as usize;
            for (&a, &b) in c.h_a[pairs.clone()].iter().zip(&c.h_b[pairs]) {
                let (a, b) = (a as usize, b as usize);
                self.partner_f[a] += self.sys_f[b];
                self.partner_f[b] += self.sys_f[a];
                aligned += self.sys_on[a] as f64 * self.sys_on[b] as f64;
            }
            self.aligned_links[u] = aligned;
        }
    }

    /// Domains a unit takes part in start at 0; others are NaN (not applicable).
    fn init_domains(&mut self, c: &Compiled) {
        let nd = c.n_domains;
        for u in 0..c.n_units {
            for d in 0..nd {
                let types = &c.domain_types
                    [c.domain_type_start[d] as usize..c.domain_type_start[d + 1] as usize];
                let any = types
                    .iter()
                    .any(|&t| c.dept_of[u * c.n_types + t as usize] != NONE);
                self.dom[u * nd + d] = if any { 0.0 } else { f64::NAN };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;
    use crate::world::World;

    #[test]
    fn system_sums_match_brute_force_after_migrations() {
        let sc = scenario::from_str("name = \"t\"\n[world]\ndepth = \"county\"", None).unwrap();
        let w = World::build(&sc).unwrap();
        let c = Compiled::build(&w, &sc);
        let mut st = State::default();
        st.fit(&c, &sc);
        st.reset(&c, &sc, 0, 0, &[]);
        let legacy = st.sys_legacy.iter().filter(|&&x| x).count() as f64;
        let further = (c.n_systems - c.n_depts) as f64;
        assert!((legacy / further - sc.model.standards.legacy_share).abs() < 0.05);
        // Migrate every other legacy system of the first city's departments.
        let u = (0..c.n_units)
            .find(|&u| c.level[u] == crate::catalog::Level::City)
            .unwrap();
        for d in c.dept_start[u] as usize..c.dept_start[u + 1] as usize {
            let (s0, s1) = (c.sys_start[d] as usize, c.sys_start[d + 1] as usize);
            for s in (s0 + 1..s1).step_by(2) {
                if st.sys_legacy[s] {
                    st.sys_legacy[s] = false;
                    st.sys_on[d] += 1;
                }
            }
            st.sys_f[d] = st.sys_on[d] as f32 / (s1 - s0) as f32;
        }
        st.sys_dirty[u] = true;
        st.refresh_systems(&c);
        for v in 0..c.n_units {
            let ds = c.dept_start[v] as usize..c.dept_start[v + 1] as usize;
            let on = |d: usize| {
                (c.sys_start[d] as usize..c.sys_start[d + 1] as usize)
                    .filter(|&s| !st.sys_legacy[s])
                    .count() as f64
            };
            let mut aligned: f64 = ds.clone().map(|d| on(d) * (on(d) - 1.0) / 2.0).sum();
            let mut partner = vec![0.0f64; c.n_depts];
            for i in c.unit_pair_start[v] as usize..c.unit_pair_start[v + 1] as usize {
                let (a, b) = (c.h_a[i] as usize, c.h_b[i] as usize);
                aligned += on(a) * on(b);
                partner[a] += st.sys_f[b] as f64;
                partner[b] += st.sys_f[a] as f64;
            }
            assert_eq!(st.aligned_links[v], aligned, "unit {v}");
            for d in ds {
                assert_eq!(st.sys_on[d] as f64, on(d));
                assert!((st.partner_f[d] as f64 - partner[d]).abs() < 1e-4);
            }
        }
    }
}
