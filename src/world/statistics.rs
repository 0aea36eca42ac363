//! Province attributes from real statistics (`[world.statistics]`; the
//! `china` and `csv` presets).
//!
//! Each attribute is a statistic scaled over the 31 provinces of
//! `catalog::china_stats` (always all 31, so a province's values do not
//! depend on which provinces a scenario keeps) and mapped linearly onto
//! [`floor`, `ceiling`]:
//!
//! | attribute      | statistic (2019 unless noted)                                                          |
//! |----------------|----------------------------------------------------------------------------------------|
//! | `fiscal`       | (own budget revenue + `transfer_weight` × (expenditure − revenue)) per resident         |
//! | `digital`      | (1 − `digital_rank_weight`) × scaled GDP per capita + `digital_rank_weight` × rank score |
//! | `talent`       | junior-college-or-above educated per 100,000 (2020 census)                             |
//! | `institutions` | no provincial statistic exists: the mean of the three scaled values above             |
//!
//! Scaling (`scale`): `"log"` puts the natural log of the statistic on
//! [0, 1] between the lowest and the highest province (min–max of logs);
//! `"rank"` uses its rank instead ((rank − 1) / 30, ties sharing their mean
//! rank). The digital-economy rank score is (31 − rank) / 30; the 16
//! provinces the 2019 index does not list share the mean of the unlisted
//! ranks 16–31 (23.5), since the list says only that they rank below the
//! 15th. No rule names a province: every difference between provinces comes
//! from these statistics.

use serde::{Deserialize, Serialize};

use crate::catalog::china_stats::{DIGITAL_LISTED_2019, STATS};
use crate::error::InputError;
use crate::mechanisms::check_all;

/// How statistics are put on [0, 1] before mapping onto [floor, ceiling].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Min–max of natural logs over the 31 provinces.
    #[default]
    Log,
    /// Rank among the 31 provinces.
    Rank,
}

/// `[world.statistics]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatisticsParams {
    /// Province attributes from the restated statistics (china and csv presets); false = region means plus noise.
    pub enabled: bool,
    /// `log` or `rank`.
    pub scale: Scale,
    /// Attribute of the lowest-scoring province (0–1).
    pub floor: f64,
    /// Attribute of the highest-scoring province (0–1).
    pub ceiling: f64,
    /// Share of central transfers (expenditure − own revenue) counted as fiscal capacity (0–1).
    pub transfer_weight: f64,
    /// Weight of the digital-economy index rank in the digital environment (0–1).
    pub digital_rank_weight: f64,
}

impl Default for StatisticsParams {
    fn default() -> Self {
        StatisticsParams {
            enabled: true,
            scale: Scale::Log,
            floor: 0.25,
            ceiling: 0.9,
            transfer_weight: 0.5,
            digital_rank_weight: 0.5,
        }
    }
}

impl StatisticsParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        check_all(
            prefix,
            &[
                ("floor", self.floor, 0.05, 1.0),
                ("ceiling", self.ceiling, 0.05, 1.0),
                ("transfer_weight", self.transfer_weight, 0.0, 1.0),
                ("digital_rank_weight", self.digital_rank_weight, 0.0, 1.0),
            ],
        )?;
        if self.floor > self.ceiling {
            return Err(InputError::new(format!(
                "floor ({}) is above ceiling ({})",
                self.floor, self.ceiling
            ))
            .key(format!("{prefix}.floor"))
            .expected(format!("at most {}", self.ceiling)));
        }
        Ok(())
    }
}

/// Attributes (fiscal, digital, talent, institutions) of all 31 provinces,
/// in `catalog::china_stats::STATS` order.
pub fn province_attributes(p: &StatisticsParams) -> Vec<[f64; 4]> {
    let fiscal: Vec<f64> = STATS
        .iter()
        .map(|s| (s.revenue + p.transfer_weight * s.transfers()) / s.population_2019)
        .collect();
    let gdp: Vec<f64> = STATS.iter().map(|s| s.gdp_per_capita).collect();
    let talent: Vec<f64> = STATS.iter().map(|s| s.university_per_100k).collect();
    let n = STATS.len() as f64;
    let unlisted = (DIGITAL_LISTED_2019 as f64 + 1.0 + n) / 2.0;
    let rank_score: Vec<f64> = STATS
        .iter()
        .map(|s| (n - s.digital_rank_2019.map_or(unlisted, f64::from)) / (n - 1.0))
        .collect();
    let (f, g, t) = (
        unit_scale(&fiscal, p.scale),
        unit_scale(&gdp, p.scale),
        unit_scale(&talent, p.scale),
    );
    let w = p.digital_rank_weight;
    let map = |x: f64| p.floor + (p.ceiling - p.floor) * x;
    (0..STATS.len())
        .map(|i| {
            let d = (1.0 - w) * g[i] + w * rank_score[i];
            let inst = (f[i] + d + t[i]) / 3.0;
            [map(f[i]), map(d), map(t[i]), map(inst)]
        })
        .collect()
}

/// Attributes of the province with this NBS code (`None` if not one of the 31).
pub fn for_code(code: u32, p: &StatisticsParams) -> Option<[f64; 4]> {
    let i = STATS.iter().position(|s| s.code == code)?;
    Some(province_attributes(p)[i])
}

/// Put positive values on [0, 1]: min–max of logs, or rank.
fn unit_scale(x: &[f64], scale: Scale) -> Vec<f64> {
    match scale {
        Scale::Log => {
            let l: Vec<f64> = x.iter().map(|v| v.ln()).collect();
            let lo = l.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            l.iter()
                .map(|v| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 })
                .collect()
        }
        Scale::Rank => {
            let n = x.len();
            x.iter()
                .map(|v| {
                    let below = x.iter().filter(|w| *w < v).count() as f64;
                    let ties = x.iter().filter(|w| *w == v).count() as f64;
                    let rank = below + (ties + 1.0) / 2.0; // 1 = lowest
                    if n > 1 {
                        (rank - 1.0) / (n as f64 - 1.0)
                    } else {
                        0.5
                    }
                })
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::provinces::PROVINCES;

    fn attr(id: &str, k: usize, p: &StatisticsParams) -> f64 {
        let i = PROVINCES.iter().position(|x| x.id == id).unwrap();
        province_attributes(p)[i][k]
    }

    #[test]
    fn scaled_onto_floor_and_ceiling() {
        let p = StatisticsParams::default();
        for k in 0..3 {
            let v: Vec<f64> = province_attributes(&p).iter().map(|a| a[k]).collect();
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!((lo - p.floor).abs() < 1e-12 || k == 1, "{k}: {lo}");
            assert!(hi <= p.ceiling + 1e-12 && lo >= p.floor - 1e-12);
        }
        // Talent: Beijing has the most graduates per 100,000, Guangxi the fewest.
        assert!((attr("beijing", 2, &p) - p.ceiling).abs() < 1e-12);
        assert!((attr("guangxi", 2, &p) - p.floor).abs() < 1e-12);
    }

    #[test]
    fn transfers_move_fiscal_capacity() {
        // Tibet's expenditure is ten times its own revenue: with transfers
        // counted it is the richest budget per person, without them the poorest.
        let with = StatisticsParams {
            transfer_weight: 1.0,
            ..Default::default()
        };
        let without = StatisticsParams {
            transfer_weight: 0.0,
            ..Default::default()
        };
        assert!((attr("tibet", 0, &with) - with.ceiling).abs() < 1e-12);
        assert!(attr("tibet", 0, &without) < attr("beijing", 0, &without));
        assert!(attr("tibet", 0, &without) < attr("tibet", 0, &with));
    }

    #[test]
    fn digital_rank_weight_and_unlisted_provinces() {
        let rank_only = StatisticsParams {
            digital_rank_weight: 1.0,
            ..Default::default()
        };
        // Guangdong ranks first in the 2019 index; every unlisted province shares one score.
        assert!((attr("guangdong", 1, &rank_only) - rank_only.ceiling).abs() < 1e-12);
        assert_eq!(attr("tibet", 1, &rank_only), attr("hebei", 1, &rank_only));
        let gdp_only = StatisticsParams {
            digital_rank_weight: 0.0,
            ..Default::default()
        };
        assert!(attr("tibet", 1, &gdp_only) != attr("hebei", 1, &gdp_only));
    }

    #[test]
    fn rank_scale_is_even() {
        let v = unit_scale(&[3.0, 1.0, 2.0, 2.0], Scale::Rank);
        assert_eq!(v, vec![1.0, 0.0, 0.5, 0.5]);
        let l = unit_scale(&[1.0, std::f64::consts::E], Scale::Log);
        assert_eq!(l, vec![0.0, 1.0]);
    }
}
