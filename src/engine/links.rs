//! The hot kernels: one exchange attempt per direction per link per
//! quarter (docs/model.md §3.1–3.2).
//!
//! Rules: flat slices in, accumulators out, no allocation, no
//! transcendental functions, one 64-bit random number per link split into
//! two 24-bit uniforms compared against the probabilities (branch-free
//! success), and the draw is taken whatever the probability so every
//! strategy consumes the same stream (common random numbers).

use rand::Rng;

use super::compiled::Compiled;
use super::state::State;
use crate::mechanisms::{flow, sharing, trust};

// `sharing::p_share` is the rule; the horizontal kernel evaluates the same
// product with the group-constant factors hoisted (tested below).
use crate::world::NONE;

/// Two uniform draws in [0, 1) from one 64-bit random number (24 bits
/// each, the precision of an f32), so a success is one float compare.
#[inline(always)]
fn two_uniforms(r: u64) -> (f32, f32) {
    const SCALE: f32 = 1.0 / 16_777_216.0;
    (
        ((r >> 40) as u32) as f32 * SCALE,
        ((r >> 8) as u32 & 0x00FF_FFFF) as f32 * SCALE,
    )
}

/// The two 24-bit draws of [`two_uniforms`] before scaling, as floats in
/// [0, 2^24): `r < p · 2^24` decides exactly as `r · 2^-24 < p`, since
/// scaling by a power of two is exact. The pair kernel folds 2^24 into a
/// group constant and saves the two multiplications per pair.
#[inline(always)]
fn two_draws(r: u64) -> (f32, f32) {
    (
        ((r >> 40) as u32) as f32,
        ((r >> 8) as u32 & 0x00FF_FFFF) as f32,
    )
}

/// 2^24, the scale of [`two_draws`].
const DRAW_SCALE: f32 = 16_777_216.0;

/// Parameters the kernels read every quarter.
#[derive(Debug, Clone, Copy)]
pub struct KernelParams {
    pub up_mandate: f32,
    pub trust: trust::PairUpdate,
    pub trust_base: f32,
    pub coordination_effect: f32,
}

/// Vertical links: every department with a parent tries once up, once down.
/// `release[u]` is the routine downward release granted to unit `u`.
/// Tallies are summed per unit in registers and added once.
pub fn vertical(c: &Compiled, st: &mut State, kp: &KernelParams, release: &[f32], absorb: &[f32]) {
    let mut rng = st.rng.links.clone(); // in registers, as in `horizontal`
    for u in 0..c.n_units {
        let (mut up_s, mut down_s, mut n, mut usab_sum) = (0u32, 0u32, 0u32, 0f64);
        let depts = c.dept_start[u] as usize..c.dept_start[u + 1] as usize;
        let (release, absorb) = (release[u], absorb[u]);
        let links = c.dept_parent[depts.clone()]
            .iter()
            .zip(&st.usab_v[depts.clone()])
            .zip(&st.willing[depts.clone()])
            .zip(&mut st.vs[depts]);
        for (((&p, &usab), &willing), vs) in links {
            if p == NONE {
                *vs = 0;
                continue;
            }
            let up = flow::p_up(kp.up_mandate, willing, usab);
            let down = flow::p_down(release, st.willing[p as usize], absorb, usab);
            let (r1, r2) = two_uniforms(rng.next_u64());
            let su = (r1 < up) as u32;
            let sd = (r2 < down) as u32;
            *vs = (su + sd) as u8;
            up_s += su;
            down_s += sd;
            n += 1;
            usab_sum += 2.0 * usab as f64;
        }
        let t = &mut st.tally[u];
        t.up_s += up_s;
        t.down_s += down_s;
        t.up_n += n;
        t.down_n += n;
        t.usab += usab_sum;
        t.usab_n += 2 * n;
    }
    st.rng.links = rng;
}

/// Horizontal pairs, group by group; `coord` is the coordination of each
/// group in force. Everything constant within a group (the unit's *unable*
/// share with the group's overload, the coordination relief) is hoisted
/// out of the pair loop; the pair loop reads each endpoint's provider
/// factors (`State::provide`: usability with its systems' loss, *unwilling*,
/// share of systems on the standard) and the pair's trust.
///
/// The *dare not* and usability tallies are added per department in the
/// department pass (weighted by its number of pairs), so only *unwilling*
/// (which depends on the group's coordination) and trust are summed here.
pub fn horizontal(
    c: &Compiled,
    st: &mut State,
    kp: &KernelParams,
    coord: &[f32],
    reuse_relief: &[f32],
) {
    let base = kp.trust_base;
    let span = 1.0 - base;
    // A local copy keeps the generator in registers (stores to `st` could
    // otherwise alias it); written back below.
    let mut rng = st.rng.links.clone();
    for u in 0..c.n_units {
        // The unit's sums, added to its tally once (horizontal links are
        // the only source of these fields, so the sums are exact).
        let (mut h_s, mut h_n, mut unwilling, mut unable_sum, mut trust) = (0, 0, 0.0, 0.0, 0.0);
        #[allow(clippy::needless_range_loop)] // g indexes four per-group arrays
        for g in c.unit_groups[u] as usize..c.unit_groups[u + 1] as usize {
            let (s, e) = (c.groups[g].start as usize, c.groups[g].end as usize);
            let unable = ((st.unable[u] + st.overload[u] * c.group_load[g])
                * (1.0 - reuse_relief[g]))
                .min(1.0);
            let open = (1.0 - unable) * DRAW_SCALE; // probabilities × 2^24 (`two_draws`)
            let relief = 1.0 - kp.coordination_effect * coord[g];
            let (mut succ, mut uw_sum, mut tr_sum) = (0u32, 0f32, 0f32);
            let pairs = c.h_a[s..e]
                .iter()
                .zip(&c.h_b[s..e])
                .zip(&mut st.trust[s..e]);
            for ((&a, &b), tr) in pairs {
                let (a, b) = (a as usize, b as usize);
                let ([pf_a, loss_a, uw_a, f_a], [pf_b, loss_b, uw_b, f_b]) =
                    (st.provide[a], st.provide[b]);
                let (uw_a, uw_b) = (uw_a * relief, uw_b * relief);
                let common = open * (base + span * *tr);
                // System pairs off the common standard (0 with one system each).
                let off = 1.0 - f_a * f_b;
                let p_ab = (pf_a - loss_a * off) * (1.0 - uw_a) * common;
                let p_ba = (pf_b - loss_b * off) * (1.0 - uw_b) * common;
                let (r1, r2) = two_draws(rng.next_u64());
                let (s1, s2) = (r1 < p_ab, r2 < p_ba);
                *tr = kp.trust.apply(*tr, s1, s2);
                succ += s1 as u32 + s2 as u32;
                uw_sum += uw_a + uw_b;
                tr_sum += *tr;
            }
            st.group_succ[g] = succ;
            let n = 2 * (e - s) as u32;
            h_s += succ;
            h_n += n;
            unwilling += uw_sum as f64;
            unable_sum += (n as f32 * unable) as f64;
            trust += 2.0 * tr_sum as f64;
        }
        let t = &mut st.tally[u];
        t.h_s += h_s;
        t.h_n += h_n;
        t.unwilling += unwilling;
        t.unable += unable_sum;
        t.trust += trust;
    }
    st.rng.links = rng;
}

/// Cross-region partnership links (same department type in two paired
/// units): shared like horizontal links, across the two units' standards
/// and the two departments' systems (`system_loss`: 1 − usability across
/// two standards).
pub fn partners(
    c: &Compiled,
    st: &mut State,
    kp: &KernelParams,
    pa: &[u32],
    pb: &[u32],
    cross_usability: impl Fn(usize, usize) -> f32,
    system_loss: f32,
) {
    for (k, (&a, &b)) in pa.iter().zip(pb).enumerate() {
        let (a, b) = (a as usize, b as usize);
        let (ua, ub) = (c.dept_unit[a] as usize, c.dept_unit[b] as usize);
        let mut usab = cross_usability(ua, ub);
        if st.connected[ua] && st.connected[ub] {
            // Between platforms, and between the two departments' systems.
            usab *= 1.0 - system_loss * (1.0 - st.sys_f[a] * st.sys_f[b]);
        }
        let tf = trust::factor(st.partner_trust[k], kp.trust_base);
        let p_ab = sharing::p_share(st.dare_not[a], st.unwilling[a], st.unable[ua], usab, tf);
        let p_ba = sharing::p_share(st.dare_not[b], st.unwilling[b], st.unable[ub], usab, tf);
        let (r1, r2) = two_uniforms(st.rng.partners.next_u64());
        let (s1, s2) = (r1 < p_ab, r2 < p_ba);
        st.partner_trust[k] = kp.trust.apply(st.partner_trust[k], s1, s2);
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
    fn hoisted_product_equals_the_rule() {
        let (dn, uw, unable, us, t, base) = (0.2f32, 0.3f32, 0.25f32, 0.8f32, 0.4f32, 0.6f32);
        let rule = sharing::p_share(dn, uw, unable, us, trust::factor(t, base));
        let hoisted = ((1.0 - dn) * us) * (1.0 - uw) * ((1.0 - unable) * (base + (1.0 - base) * t));
        assert!((rule - hoisted).abs() < 1e-6);
    }

    #[test]
    fn draws_span_the_unit_interval() {
        assert_eq!(two_uniforms(0), (0.0, 0.0));
        // Unscaled draws decide exactly as scaled ones.
        for r in [0u64, 1 << 40, 0x1234_5678_9ABC_DEF0, u64::MAX] {
            let ((u1, u2), (d1, d2)) = (two_uniforms(r), two_draws(r));
            for p in [0.0f32, 1e-7, 0.3, 0.5, 0.999_999, 1.0] {
                assert_eq!(u1 < p, d1 < p * DRAW_SCALE);
                assert_eq!(u2 < p, d2 < p * DRAW_SCALE);
            }
        }
        let (a, b) = two_uniforms(u64::MAX);
        assert!(a < 1.0 && b < 1.0 && a > 0.9999 && b > 0.9999);
        // p = 0 never succeeds, p = 1 always does.
        assert!((0.0..1.0).contains(&a));
    }
}
