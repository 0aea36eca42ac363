//! The hot kernels: one exchange attempt per direction per link per
//! quarter (MODEL.md §3.1–3.2).
//!
//! Rules: flat slices in, accumulators out, no allocation, no
//! transcendental functions, one 64-bit random number per link split into
//! two 32-bit draws compared against integer thresholds (branch-free
//! success), and the draw is taken whatever the probability so every
//! strategy consumes the same stream (common random numbers).

use rand::Rng;

use super::compiled::Compiled;
use super::state::State;
use crate::mechanisms::{flow, sharing, trust};
use crate::world::NONE;

/// Success threshold of probability `p` for a 32-bit draw.
#[inline(always)]
fn threshold(p: f32) -> u32 {
    (p * 4_294_967_296.0) as u32
}

/// Parameters the kernels read every quarter.
#[derive(Debug, Clone, Copy)]
pub struct KernelParams {
    pub up_mandate: f32,
    pub trust_gain: f32,
    pub trust_loss: f32,
    pub trust_base: f32,
    pub coordination_effect: f32,
}

/// Vertical links: every department with a parent tries once up, once down.
/// `release[u]` is the routine downward release granted to unit `u`.
pub fn vertical(c: &Compiled, st: &mut State, kp: &KernelParams, release: &[f32], absorb: &[f32]) {
    for d in 0..c.n_depts {
        let p = c.dept_parent[d];
        if p == NONE {
            st.vs[d] = 0;
            continue;
        }
        let u = c.dept_unit[d] as usize;
        let usab = st.usab_v[d];
        let up = flow::p_up(kp.up_mandate, st.willing[d], usab);
        let down = flow::p_down(release[u], st.willing[p as usize], absorb[u], usab);
        let r = st.rng_links.next_u64();
        let su = ((r as u32) < threshold(up)) as u32;
        let sd = (((r >> 32) as u32) < threshold(down)) as u32;
        st.vs[d] = (su + sd) as u8;
        let t = &mut st.tally[u];
        t.up_s += su;
        t.down_s += sd;
        t.up_n += 1;
        t.down_n += 1;
        t.usab += 2.0 * usab as f64;
        t.usab_n += 2;
    }
}

/// Horizontal pairs, group by group; `coord` is the pair coordination in force.
pub fn horizontal(c: &Compiled, st: &mut State, kp: &KernelParams, coord: &[f32]) {
    for (g, gr) in c.groups.iter().enumerate() {
        let u = gr.unit as usize;
        let (s, e) = (gr.start as usize, gr.end as usize);
        let unable_u = st.unable[u];
        let over_u = st.overload[u];
        let (mut succ, mut dn_sum, mut uw_sum, mut un_sum, mut tr_sum, mut us_sum) =
            (0u32, 0f32, 0f32, 0f32, 0f32, 0f32);
        let pairs = c.h_a[s..e]
            .iter()
            .zip(&c.h_b[s..e])
            .zip(&coord[s..e])
            .zip(&c.h_load[s..e])
            .zip(&mut st.trust[s..e]);
        for ((((&a, &b), &co), &load), tr) in pairs {
            let (a, b) = (a as usize, b as usize);
            let unable = (unable_u + over_u * load).min(1.0);
            let relief = 1.0 - kp.coordination_effect * co;
            let (uw_a, uw_b) = (st.unwilling[a] * relief, st.unwilling[b] * relief);
            let tf = trust::factor(*tr, kp.trust_base);
            let (dn_a, dn_b) = (st.dare_not[a], st.dare_not[b]);
            let (us_a, us_b) = (st.usab_h[a], st.usab_h[b]);
            let p_ab = sharing::p_share(dn_a, uw_a, unable, us_a, tf);
            let p_ba = sharing::p_share(dn_b, uw_b, unable, us_b, tf);
            let r = st.rng_links.next_u64();
            let s1 = (r as u32) < threshold(p_ab);
            let s2 = ((r >> 32) as u32) < threshold(p_ba);
            let t1 = trust::update(*tr, s1, kp.trust_gain, kp.trust_loss);
            *tr = trust::update(t1, s2, kp.trust_gain, kp.trust_loss);
            succ += s1 as u32 + s2 as u32;
            dn_sum += dn_a + dn_b;
            uw_sum += uw_a + uw_b;
            un_sum += 2.0 * unable;
            tr_sum += 2.0 * *tr;
            us_sum += us_a + us_b;
        }
        st.group_succ[g] = succ;
        let n = 2 * (e - s) as u32;
        let t = &mut st.tally[u];
        t.h_s += succ;
        t.h_n += n;
        t.dare_not += dn_sum as f64;
        t.unwilling += uw_sum as f64;
        t.unable += un_sum as f64;
        t.trust += tr_sum as f64;
        t.usab += us_sum as f64;
        t.usab_n += n;
    }
}

/// Cross-region partnership links (same department type in two paired
/// units): shared like horizontal links, across the two units' standards.
pub fn partners(
    c: &Compiled,
    st: &mut State,
    kp: &KernelParams,
    pa: &[u32],
    pb: &[u32],
    cross_usability: impl Fn(usize, usize) -> f32,
) {
    for (k, (&a, &b)) in pa.iter().zip(pb).enumerate() {
        let (a, b) = (a as usize, b as usize);
        let (ua, ub) = (c.dept_unit[a] as usize, c.dept_unit[b] as usize);
        let usab = cross_usability(ua, ub);
        let tf = trust::factor(st.partner_trust[k], kp.trust_base);
        let p_ab = sharing::p_share(st.dare_not[a], st.unwilling[a], st.unable[ua], usab, tf);
        let p_ba = sharing::p_share(st.dare_not[b], st.unwilling[b], st.unable[ub], usab, tf);
        let r = st.rng_partners.next_u64();
        let s1 = (r as u32) < threshold(p_ab);
        let s2 = ((r >> 32) as u32) < threshold(p_ba);
        let t1 = trust::update(st.partner_trust[k], s1, kp.trust_gain, kp.trust_loss);
        st.partner_trust[k] = trust::update(t1, s2, kp.trust_gain, kp.trust_loss);
        for (unit, s) in [(ua, s1), (ub, s2)] {
            let t = &mut st.tally[unit];
            t.p_s += s as u32;
            t.p_n += 1;
            t.usab += usab as f64;
            t.usab_n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_exact_at_the_ends() {
        assert_eq!(threshold(0.0), 0);
        assert_eq!(threshold(1.0), u32::MAX);
        assert!((threshold(0.5) as f64 - 2_147_483_648.0).abs() < 256.0);
        // p = 0 never succeeds (no draw is below 0); p = 1 fails only on the single draw u32::MAX.
    }
}
