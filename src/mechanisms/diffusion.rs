//! Mechanism 9 — innovate once, reuse many times (一地创新、多地复用;
//! docs/model.md §3.9).
//!
//! **Arrival.** Each quarter every city and county pilots an innovation
//! with probability `innovation_rate × capability`, where capability is
//! talent × digital-economy environment × (½ + ½·fiscal capacity): pilots
//! arise where capability and resources allow. An innovation belongs to one
//! domain (drawn uniformly) and is adopted by its origin at once.
//!
//! **Spread** is Bass-like (Bass 1969), with the two channels of policy
//! diffusion research (Berry & Berry 1990; Shipan & Volden 2008):
//! - *imitation*: a non-adopter adopts with hazard
//!   `imitation × share of its siblings (units under the same parent) that
//!   adopted` + `peer_imitation × share of the other cities and counties of
//!   its province that adopted` + `distant_imitation × share of those
//!   elsewhere that adopted` (imitation weakens with administrative
//!   distance but crosses parent and province boundaries), plus
//!   `partner_imitation` when a partner unit has adopted;
//! - *institutionalised promotion* (the "innovation" coefficient): after
//!   `recognition_quarters`, provincial promotion adds `promotion_provincial`
//!   for units in the origin's province; national promotion adds it there
//!   and `promotion_national` everywhere else.
//!
//! Units in a sibling group share one hazard, so the number of new adopters
//! in a group is Binomial(non-adopters, hazard) and the adopters are drawn
//! without replacement — exact for the model and O(groups) per innovation.
//! Promoted adoption comes with a template and costs `cost_promoted`;
//! spontaneous adoption re-develops and costs `cost_spontaneous`. Each
//! adopted innovation is a working cross-department procedure in its
//! domain: it spares the adopter's department pairs in that domain a share
//! `effect` of the *unable* barrier (capped at `effect_cap` per domain), so
//! reuse reaches sharing, the domains and the collaboration index through
//! the exchanges (`engine::step::reuse_relief`).
//!
//! **Deliberate copy** (the per-unit path, [`Diffusion::copy`]): a unit
//! whose plan names a source unit (the classroom's "copy a neighbour's
//! innovation") adopts, in the first quarter of that year, one innovation
//! the source has adopted and it has not: the one in the domain where it
//! has the fewest adoptions (the oldest among equals), so the copy goes
//! where it relieves most. It pays `copy_cost` (adaptation without a
//! template), and a procedure made for another place fits less: a copied
//! innovation counts `copy_fit` of an adoption towards the boost. The
//! copy is an adoption like any other (it counts in the imitation hazards
//! of the copier's siblings and peers); it draws no random number.

use rand::Rng;
use rand::RngExt;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};

use super::{check_all, sized};
use crate::error::InputError;

/// Reuse lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReuseMode {
    #[default]
    Spontaneous,
    Provincial,
    National,
}

/// `[diffusion]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiffusionParams {
    /// Quarterly pilot probability of a unit at capability 1.
    pub innovation_rate: f64,
    /// Imitation hazard per quarter when all siblings have adopted.
    pub imitation: f64,
    /// Imitation hazard per quarter when all other cities and counties of the province have adopted.
    pub peer_imitation: f64,
    /// Imitation hazard per quarter when all cities and counties of other provinces have adopted.
    pub distant_imitation: f64,
    /// Imitation hazard per quarter when a partner unit has adopted.
    pub partner_imitation: f64,
    /// Quarterly adoption hazard under provincial promotion (origin's province).
    pub promotion_provincial: f64,
    /// Quarterly adoption hazard under national promotion (other provinces).
    pub promotion_national: f64,
    /// Quarters before an innovation is recognised and promoted.
    pub recognition_quarters: f64,
    /// Cost of a spontaneous adoption (million yuan).
    pub cost_spontaneous: f64,
    /// Cost of a promoted adoption with a template (million yuan).
    pub cost_promoted: f64,
    /// Collaboration boost per adopted innovation in its domain (share of the gap to 1).
    pub effect: f64,
    /// Maximum total boost in one domain.
    pub effect_cap: f64,
    /// Most innovations tracked in one run (bounds memory).
    pub max_innovations: u32,
    /// Cost of a deliberate copy of a neighbour's innovation (million yuan).
    pub copy_cost: f64,
    /// Share of an adoption's boost a copied innovation brings (its fit to the copier).
    pub copy_fit: f64,
}

impl Default for DiffusionParams {
    fn default() -> Self {
        DiffusionParams {
            innovation_rate: 0.08,
            imitation: 0.15,
            peer_imitation: 0.05,
            distant_imitation: 0.02,
            partner_imitation: 0.1,
            promotion_provincial: 0.12,
            promotion_national: 0.06,
            recognition_quarters: 4.0,
            cost_spontaneous: 1.5,
            cost_promoted: 0.3,
            effect: 0.03,
            effect_cap: 0.3,
            max_innovations: 2000,
            copy_cost: 1.0,
            copy_fit: 0.7,
        }
    }
}

impl DiffusionParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        // Finite maxima (about a million times the defaults) keep every
        // output finite; see docs/limits.md.
        check_all(
            prefix,
            &[
                ("innovation_rate", self.innovation_rate, 0.0, 1.0),
                ("imitation", self.imitation, 0.0, 1.0),
                ("peer_imitation", self.peer_imitation, 0.0, 1.0),
                ("distant_imitation", self.distant_imitation, 0.0, 1.0),
                ("partner_imitation", self.partner_imitation, 0.0, 1.0),
                ("promotion_provincial", self.promotion_provincial, 0.0, 1.0),
                ("promotion_national", self.promotion_national, 0.0, 1.0),
                (
                    "recognition_quarters",
                    self.recognition_quarters,
                    0.0,
                    400.0,
                ),
                ("cost_spontaneous", self.cost_spontaneous, 0.0, 1.5e6),
                ("cost_promoted", self.cost_promoted, 0.0, 3e5),
                ("effect", self.effect, 0.0, 1.0),
                ("effect_cap", self.effect_cap, 0.0, 1.0),
                ("max_innovations", self.max_innovations as f64, 0.0, 1e6),
                ("copy_cost", self.copy_cost, 0.0, 1e6),
                ("copy_fit", self.copy_fit, 0.0, 1.0),
            ],
        )
    }

    /// Institutionalised hazard for an innovation of age `age` (quarters)
    /// towards a group in the origin's province (`same_province`) or not.
    pub fn promotion(&self, mode: ReuseMode, age: u32, same_province: bool) -> f64 {
        if (age as f64) < self.recognition_quarters {
            return 0.0;
        }
        match (mode, same_province) {
            (ReuseMode::Spontaneous, _) => 0.0,
            (ReuseMode::Provincial, true) | (ReuseMode::National, true) => {
                self.promotion_provincial
            }
            (ReuseMode::Provincial, false) => 0.0,
            (ReuseMode::National, false) => self.promotion_national,
        }
    }
}

/// `have / of`, 0 for an empty set.
fn share(have: u32, of: u32) -> f64 {
    if of == 0 {
        0.0
    } else {
        have as f64 / of as f64
    }
}

/// Marker for "no partner".
const NONE: u32 = u32::MAX;

/// The static layout diffusion needs: eligible units grouped by parent.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Eligible units (world unit ids), sorted so each group is contiguous.
    pub units: Vec<u32>,
    /// Group of each eligible unit.
    pub group_of: Vec<u32>,
    /// Start offsets of groups into `units` (len = groups + 1).
    pub group_start: Vec<u32>,
    /// Province (world unit id) of each group.
    pub group_province: Vec<u32>,
    /// Peer set (dense index of the group's province) of each group.
    pub group_peers: Vec<u32>,
    /// Eligible units in each peer set.
    pub peer_size: Vec<u32>,
}

/// One innovation.
#[derive(Debug, Clone, Copy)]
struct Innovation {
    origin: u32,
    domain: u8,
    born: u32,
    province: u32,
}

/// Diffusion state of one run; allocated once, reset per run.
#[derive(Debug, Clone, Default)]
pub struct Diffusion {
    n_elig: usize,
    n_domains: usize,
    max: usize,
    innovations: Vec<Innovation>,
    /// adopted[i * n_elig + e]
    adopted: Vec<bool>,
    /// group_count[i * groups + g]
    group_count: Vec<u32>,
    /// peer_count[i * peer sets + p]
    peer_count: Vec<u32>,
    /// Adopters of each innovation.
    total_count: Vec<u32>,
    /// Adopted innovations per eligible unit and domain.
    pub adopted_domain: Vec<u16>,
    /// Adopted innovations per eligible unit.
    pub adopted_total: Vec<u32>,
    /// Of `adopted_domain`, the innovations copied deliberately.
    copied_domain: Vec<u16>,
    /// Innovations copied deliberately per eligible unit.
    pub copied_total: Vec<u32>,
    /// Partner (eligible index) of each eligible unit, or NONE.
    partner: Vec<u32>,
    scratch: Vec<u32>,
    /// Cost of adoptions this quarter, per eligible unit (million yuan).
    pub cost: Vec<f64>,
}

impl Diffusion {
    pub fn new(layout: &Layout, n_domains: usize, max: usize) -> Self {
        let mut d = Diffusion::default();
        d.fit(layout, n_domains, max);
        d
    }

    /// Size the buffers for `layout` as [`Diffusion::new`] does, keeping
    /// their allocations.
    pub fn fit(&mut self, layout: &Layout, n_domains: usize, max: usize) {
        let n = layout.units.len();
        let groups = layout.group_start.len() - 1;
        self.n_elig = n;
        self.n_domains = n_domains;
        self.max = max;
        self.innovations.clear();
        self.innovations.reserve(max);
        sized(&mut self.adopted, max * n, false);
        sized(&mut self.group_count, max * groups, 0);
        sized(&mut self.peer_count, max * layout.peer_size.len(), 0);
        sized(&mut self.total_count, max, 0);
        sized(&mut self.adopted_domain, n * n_domains, 0);
        sized(&mut self.adopted_total, n, 0);
        sized(&mut self.copied_domain, n * n_domains, 0);
        sized(&mut self.copied_total, n, 0);
        sized(&mut self.partner, n, NONE);
        self.scratch.clear();
        self.scratch.reserve(n);
        sized(&mut self.cost, n, 0.0);
    }

    /// Clear for a new run; `partners` are pairs of eligible indices.
    pub fn reset(&mut self, partners: &[(u32, u32)]) {
        self.innovations.clear();
        self.adopted.fill(false);
        self.group_count.fill(0);
        self.peer_count.fill(0);
        self.total_count.fill(0);
        self.adopted_domain.fill(0);
        self.adopted_total.fill(0);
        self.copied_domain.fill(0);
        self.copied_total.fill(0);
        self.partner.fill(NONE);
        for &(a, b) in partners {
            self.partner[a as usize] = b;
            self.partner[b as usize] = a;
        }
        self.cost.fill(0.0);
    }

    /// Number of innovations so far.
    pub fn count(&self) -> usize {
        self.innovations.len()
    }

    /// Origin (eligible index) of every innovation so far.
    pub fn origins(&self) -> impl Iterator<Item = u32> + '_ {
        self.innovations.iter().map(|i| i.origin)
    }

    /// Arrivals this quarter. `capability[e]` per eligible unit; always draws
    /// two numbers per unit so strategies keep common random numbers.
    pub fn arrive<R: Rng>(
        &mut self,
        layout: &Layout,
        p: &DiffusionParams,
        capability: &[f64],
        quarter: u32,
        rng: &mut R,
    ) {
        for (e, cap) in capability.iter().enumerate().take(self.n_elig) {
            let r: f64 = rng.random();
            let d: f64 = rng.random();
            if r < p.innovation_rate * cap && self.innovations.len() < self.max {
                let g = layout.group_of[e] as usize;
                let inn = Innovation {
                    origin: e as u32,
                    domain: ((d * self.n_domains as f64) as usize).min(self.n_domains - 1) as u8,
                    born: quarter,
                    province: layout.group_province[g],
                };
                self.innovations.push(inn);
                let i = self.innovations.len() - 1;
                self.adopt(layout, i, e);
            }
        }
    }

    fn adopt(&mut self, layout: &Layout, i: usize, e: usize) {
        self.adopted[i * self.n_elig + e] = true;
        let groups = layout.group_start.len() - 1;
        let g = layout.group_of[e] as usize;
        self.group_count[i * groups + g] += 1;
        let peers = layout.peer_size.len();
        self.peer_count[i * peers + layout.group_peers[g] as usize] += 1;
        self.total_count[i] += 1;
        let d = self.innovations[i].domain as usize;
        self.adopted_domain[e * self.n_domains + d] =
            self.adopted_domain[e * self.n_domains + d].saturating_add(1);
        self.adopted_total[e] += 1;
    }

    /// Spread of every innovation born before this quarter.
    pub fn spread<R: Rng>(
        &mut self,
        layout: &Layout,
        p: &DiffusionParams,
        mode: ReuseMode,
        quarter: u32,
        rng: &mut R,
    ) {
        self.cost.fill(0.0);
        let groups = layout.group_start.len() - 1;
        let peers = layout.peer_size.len();
        for i in 0..self.innovations.len() {
            let inn = self.innovations[i];
            if inn.born >= quarter {
                continue;
            }
            let age = quarter - inn.born;
            let total = self.total_count[i];
            for g in 0..groups {
                let (s, t) = (
                    layout.group_start[g] as usize,
                    layout.group_start[g + 1] as usize,
                );
                let size = (t - s) as u32;
                let have = self.group_count[i * groups + g];
                if have == size {
                    continue;
                }
                let promo = p.promotion(mode, age, layout.group_province[g] == inn.province);
                let ps = layout.group_peers[g] as usize;
                let (peer_have, peer_size) =
                    (self.peer_count[i * peers + ps], layout.peer_size[ps]);
                let imitate = p.imitation * share(have, size)
                    + p.peer_imitation * share(peer_have - have, peer_size - size)
                    + p.distant_imitation
                        * share(total - peer_have, self.n_elig as u32 - peer_size);
                let hazard = (promo + imitate).min(1.0);
                if hazard <= 0.0 {
                    continue;
                }
                let k = Binomial::new((size - have) as u64, hazard).map_or(0, |b| b.sample(rng))
                    as usize;
                if k == 0 {
                    continue;
                }
                let cost = if promo > 0.0 {
                    p.cost_promoted
                } else {
                    p.cost_spontaneous
                };
                self.scratch.clear();
                self.scratch.extend(
                    (s..t)
                        .filter(|&e| !self.adopted[i * self.n_elig + e])
                        .map(|e| e as u32),
                );
                for j in 0..k {
                    let pick = rng.random_range(j..self.scratch.len());
                    self.scratch.swap(j, pick);
                    let e = self.scratch[j] as usize;
                    self.adopt(layout, i, e);
                    self.cost[e] += cost;
                }
            }
            self.spread_partners(layout, p, i, rng);
        }
    }

    fn spread_partners<R: Rng>(
        &mut self,
        layout: &Layout,
        p: &DiffusionParams,
        i: usize,
        rng: &mut R,
    ) {
        if p.partner_imitation <= 0.0 {
            return;
        }
        for e in 0..self.n_elig {
            let q = self.partner[e];
            if q == NONE {
                continue;
            }
            let base = i * self.n_elig;
            if !self.adopted[base + e]
                && self.adopted[base + q as usize]
                && rng.random::<f64>() < p.partner_imitation
            {
                self.adopt(layout, i, e);
                self.cost[e] += p.cost_spontaneous;
            }
        }
    }

    /// Eligible unit `e` copies one innovation that eligible unit `source`
    /// has adopted and `e` has not (module docs, "Deliberate copy"):
    /// the one in `e`'s domain with the fewest adoptions, the oldest among
    /// equals. Returns the innovation copied, if any; its cost is added to
    /// `cost[e]` (call after [`Diffusion::spread`], which clears `cost`).
    pub fn copy(
        &mut self,
        layout: &Layout,
        p: &DiffusionParams,
        e: usize,
        source: usize,
    ) -> Option<usize> {
        if e == source {
            return None;
        }
        let n = self.n_elig;
        let mut best: Option<(u16, usize)> = None;
        for (i, inn) in self.innovations.iter().enumerate() {
            if !self.adopted[i * n + source] || self.adopted[i * n + e] {
                continue;
            }
            let have = self.adopted_domain[e * self.n_domains + inn.domain as usize];
            if best.is_none_or(|(h, _)| have < h) {
                best = Some((have, i));
            }
        }
        let (_, i) = best?;
        self.adopt(layout, i, e);
        let d = self.innovations[i].domain as usize;
        let k = e * self.n_domains + d;
        self.copied_domain[k] = self.copied_domain[k].saturating_add(1);
        self.copied_total[e] += 1;
        self.cost[e] += p.copy_cost;
        Some(i)
    }

    /// Innovations eligible unit `source` has adopted and `e` has not.
    pub fn copyable(&self, e: usize, source: usize) -> u32 {
        let n = self.n_elig;
        (0..self.innovations.len())
            .filter(|&i| self.adopted[i * n + source] && !self.adopted[i * n + e])
            .count() as u32
    }

    /// Collaboration boost of eligible unit `e` in domain `d`: `effect` per
    /// adopted innovation (`copy_fit` of it for a copied one), capped.
    pub fn boost(&self, p: &DiffusionParams, e: usize, d: usize) -> f64 {
        let k = e * self.n_domains + d;
        let (all, copied) = (self.adopted_domain[k], self.copied_domain[k]);
        let weight = if copied == 0 {
            all as f64
        } else {
            (all - copied) as f64 + p.copy_fit * copied as f64
        };
        (p.effect * weight).min(p.effect_cap)
    }

    /// Adopters of innovation `i`, as a count.
    pub fn adopters(&self, i: usize) -> usize {
        self.adopted[i * self.n_elig..(i + 1) * self.n_elig]
            .iter()
            .filter(|a| **a)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    /// Two provinces (units 1, 2), each with one group of 20 eligible units.
    fn layout() -> Layout {
        Layout {
            units: (10..50).collect(),
            group_of: (0..40).map(|e| (e / 20) as u32).collect(),
            group_start: vec![0, 20, 40],
            group_province: vec![1, 2],
            group_peers: vec![0, 1],
            peer_size: vec![20, 20],
        }
    }

    fn run(mode: ReuseMode, seed: u64) -> (usize, usize) {
        run_with(
            mode,
            seed,
            DiffusionParams {
                distant_imitation: 0.0,
                ..Default::default()
            },
        )
    }

    fn run_with(mode: ReuseMode, seed: u64, p: DiffusionParams) -> (usize, usize) {
        let l = layout();
        let p = DiffusionParams {
            innovation_rate: 0.0,
            ..p
        };
        let mut d = Diffusion::new(&l, 7, 10);
        d.reset(&[]);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        // Seed one innovation by hand at unit 0.
        let force = DiffusionParams {
            innovation_rate: 1.0,
            ..p.clone()
        };
        let mut cap = vec![0.0; 40];
        cap[0] = 1.0;
        d.arrive(&l, &force, &cap, 0, &mut rng);
        assert_eq!(d.count(), 1);
        for q in 1..=20 {
            d.spread(&l, &p, mode, q, &mut rng);
        }
        let own: usize = (0..20).filter(|&e| d.adopted[e]).count();
        let other: usize = (20..40).filter(|&e| d.adopted[e]).count();
        (own, other)
    }

    #[test]
    fn promotion_spreads_faster_than_spontaneous() {
        let mut spont = 0;
        let mut prov = 0;
        let mut nat_other = 0;
        for s in 0..20 {
            spont += run(ReuseMode::Spontaneous, s).0;
            prov += run(ReuseMode::Provincial, s).0;
            nat_other += run(ReuseMode::National, s).1;
            assert_eq!(
                run(ReuseMode::Provincial, s).1,
                0,
                "provincial promotion stays in its province"
            );
        }
        assert!(prov > spont, "{prov} vs {spont}");
        assert!(nat_other > 0);
    }

    #[test]
    fn spontaneous_imitation_crosses_province_boundaries_only_through_distant_peers() {
        let spread = |distant: f64| -> usize {
            (0..20)
                .map(|s| {
                    let p = DiffusionParams {
                        distant_imitation: distant,
                        ..Default::default()
                    };
                    run_with(ReuseMode::Spontaneous, s, p).1
                })
                .sum()
        };
        assert!(spread(0.2) > 0);
        assert_eq!(spread(0.0), 0, "without distant imitation it stays home");
    }

    #[test]
    fn promotion_waits_for_recognition() {
        let p = DiffusionParams::default();
        assert_eq!(p.promotion(ReuseMode::National, 3, true), 0.0);
        assert_eq!(
            p.promotion(ReuseMode::National, 4, true),
            p.promotion_provincial
        );
        assert_eq!(
            p.promotion(ReuseMode::National, 4, false),
            p.promotion_national
        );
        assert_eq!(p.promotion(ReuseMode::Provincial, 9, false), 0.0);
    }

    #[test]
    fn boost_is_capped() {
        let l = layout();
        let p = DiffusionParams::default();
        let mut d = Diffusion::new(&l, 7, 10);
        d.reset(&[]);
        d.adopted_domain[3] = 50;
        assert_eq!(d.boost(&p, 0, 3), p.effect_cap);
        assert_eq!(d.boost(&p, 0, 2), 0.0);
    }

    #[test]
    fn a_copy_takes_what_the_source_has_in_the_least_covered_domain() {
        let l = layout();
        let p = DiffusionParams::default();
        let mut d = Diffusion::new(&l, 7, 10);
        d.reset(&[]);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        // Three innovations at unit 0 (domains drawn), none elsewhere.
        let force = DiffusionParams {
            innovation_rate: 1.0,
            ..p.clone()
        };
        let mut cap = vec![0.0; 40];
        cap[0] = 1.0;
        for q in 0..3 {
            d.arrive(&l, &force, &cap, q, &mut rng);
        }
        assert_eq!(d.count(), 3);
        // Negative control: nothing to copy from a unit without innovations, or from itself.
        assert_eq!(d.copyable(5, 6), 0);
        assert_eq!(d.copy(&l, &p, 5, 6), None);
        assert_eq!(d.copy(&l, &p, 0, 0), None);
        assert_eq!(d.copyable(5, 0), 3);
        let i = d
            .copy(&l, &p, 5, 0)
            .expect("unit 0 has innovations to copy");
        assert!(d.adopted[i * 40 + 5]);
        assert_eq!(
            (d.copyable(5, 0), d.adopted_total[5], d.copied_total[5]),
            (2, 1, 1)
        );
        assert_eq!(d.cost[5], p.copy_cost);
        // The copy counts `copy_fit` of an adoption in its domain.
        let dom = d.innovations[i].domain as usize;
        assert!((d.boost(&p, 5, dom) - p.effect * p.copy_fit).abs() < 1e-15);
        assert!(d.boost(&p, 0, dom) > d.boost(&p, 5, dom));
        // The next copy prefers a domain unit 5 does not hold yet, if any.
        let j = d.copy(&l, &p, 5, 0).unwrap();
        let others = (0..3).any(|k| d.innovations[k].domain as usize != dom);
        assert_eq!(d.innovations[j].domain as usize != dom, others);
        // The copier's group counts it: siblings imitate a copy like any adoption.
        assert_eq!(d.group_count[i * 2], 2);
    }
}
