//! Mechanism 8 — coordination (docs/model.md §3.8, §2 "coordinating capacity").
//!
//! A unit's *lead* (coordination capacity, 0–1) comes from its
//! administrative rank — a municipality coordinates better than a
//! sub-provincial city, which coordinates better than an ordinary
//! prefecture — plus `agency_effect` once a data-management agency covers
//! it (national: every unit; provincial: units below the province). A
//! strong lead lowers the *unable* barrier. Sector-by-sector top-down
//! coordination of chosen domains relieves *unwilling* on the links those
//! domains use (`mechanisms::sharing`), on top of each domain's existing
//! vertical push (`top_down` in the domain catalogue). A strong lead also
//! shortens the time from exchanges to results (the lags of domain
//! collaboration and service re-engineering) and makes the same money build
//! talent and data quality faster: better coordinators implement faster,
//! which is why municipalities progress faster than ordinary prefectures
//! with the same resources. Rank-dependent
//! capacity follows the source's ordering; the agency follows the
//! 2018–2023 wave of provincial big-data bureaus and the 2023 National
//! Data Administration.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::catalog::Rank;
use crate::error::InputError;

/// Coordination capacity by administrative rank (0–1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RankCapacity {
    pub national: f64,
    pub province: f64,
    pub municipality: f64,
    pub sub_provincial: f64,
    pub prefecture: f64,
    pub county: f64,
    pub township: f64,
}

impl Default for RankCapacity {
    fn default() -> Self {
        RankCapacity {
            national: 0.8,
            province: 0.6,
            municipality: 0.75,
            sub_provincial: 0.55,
            prefecture: 0.4,
            county: 0.3,
            township: 0.2,
        }
    }
}

impl RankCapacity {
    pub fn at(&self, rank: Rank) -> f64 {
        match rank {
            Rank::National => self.national,
            Rank::Province => self.province,
            Rank::Municipality => self.municipality,
            Rank::SubProvincial => self.sub_provincial,
            Rank::Prefecture => self.prefecture,
            Rank::County => self.county,
            Rank::Township => self.township,
        }
    }
}

/// `[coordination]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoordinationParams {
    pub rank_capacity: RankCapacity,
    /// Lead added by a data-management agency covering the unit (0–1).
    pub agency_effect: f64,
    /// Coordination level of a domain under full sector-by-sector coordination (0–1).
    pub sector_effect: f64,
    /// How strongly the lead speeds up turning exchanges into results (0–2):
    /// lags are divided by `1 + speed_effect·(lead − ½)`.
    pub speed_effect: f64,
}

impl Default for CoordinationParams {
    fn default() -> Self {
        CoordinationParams {
            rank_capacity: RankCapacity::default(),
            agency_effect: 0.3,
            sector_effect: 0.9,
            speed_effect: 1.0,
        }
    }
}

impl CoordinationParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        let r = &self.rank_capacity;
        check_all(
            prefix,
            &[
                ("rank_capacity.national", r.national, 0.0, 1.0),
                ("rank_capacity.province", r.province, 0.0, 1.0),
                ("rank_capacity.municipality", r.municipality, 0.0, 1.0),
                ("rank_capacity.sub_provincial", r.sub_provincial, 0.0, 1.0),
                ("rank_capacity.prefecture", r.prefecture, 0.0, 1.0),
                ("rank_capacity.county", r.county, 0.0, 1.0),
                ("rank_capacity.township", r.township, 0.0, 1.0),
                ("agency_effect", self.agency_effect, 0.0, 1.0),
                ("sector_effect", self.sector_effect, 0.0, 1.0),
                ("speed_effect", self.speed_effect, 0.0, 2.0),
            ],
        )
    }

    /// Divisor of a unit's lags (domain results, service re-engineering):
    /// strong coordinators turn exchanges into results faster.
    pub fn speed(&self, lead: f64) -> f64 {
        (1.0 + self.speed_effect * (lead - 0.5)).max(0.1)
    }

    /// A unit's lead given its rank and whether an agency covers it.
    pub fn lead(&self, rank: Rank, agency: bool) -> f64 {
        (self.rank_capacity.at(rank) + if agency { self.agency_effect } else { 0.0 }).min(1.0)
    }
}

/// Data-management agency lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Agency {
    #[default]
    None,
    Provincial,
    National,
}

/// Coordination of a link whose domains are `mask`: the strongest of the
/// domains' own top-down push and the sector coordination of targeted domains.
pub fn link_coordination(mask: u32, top_down: &[f64], targeted: u32, sector_level: f64) -> f64 {
    let mut c: f64 = 0.0;
    for (d, td) in top_down.iter().enumerate() {
        if mask & (1 << d) != 0 {
            c = c.max(*td);
            if targeted & (1 << d) != 0 {
                c = c.max(sector_level);
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_order_and_agency() {
        let p = CoordinationParams::default();
        assert!(p.lead(Rank::Municipality, false) > p.lead(Rank::SubProvincial, false));
        assert!(p.lead(Rank::SubProvincial, false) > p.lead(Rank::Prefecture, false));
        assert!((p.lead(Rank::Prefecture, true) - 0.7).abs() < 1e-12);
        assert_eq!(p.lead(Rank::Municipality, true), 1.0_f64.min(1.05));
    }

    #[test]
    fn stronger_lead_shortens_lags() {
        let p = CoordinationParams::default();
        assert!((p.speed(0.75) - 1.25).abs() < 1e-12);
        assert!((p.speed(0.4) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn link_coordination_takes_the_strongest_domain() {
        let td = [0.2, 0.5, 0.1];
        assert_eq!(link_coordination(0b101, &td, 0, 0.9), 0.2);
        assert_eq!(link_coordination(0b101, &td, 0b100, 0.9), 0.9);
        assert_eq!(link_coordination(0b010, &td, 0b100, 0.9), 0.5);
    }
}
