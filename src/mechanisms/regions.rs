//! Mechanism 6 — regions differ, and regional coordination narrows the gap
//! (docs/model.md §3.6, §4 "Regional coordination").
//!
//! The four regional drivers (digital-economy environment, institutional
//! completeness, resources, coordinating capacity) are unit attributes set
//! when the world is built (`world::attributes`). This module holds the
//! strategy side:
//! - **transfers** ("east data, west computing"): from the start year, a
//!   share of donor units' budgets moves to recipient units in proportion
//!   to their base budgets. With several region groups, donors are east
//!   units and recipients west units; inside one region (a synthetic
//!   province) donors are the units above their level's median fiscal
//!   capacity and recipients those below;
//! - **back-stopping**: the province builds for, and pays the connection
//!   of, counties whose fiscal capacity is below `backstop_threshold`
//!   (`mechanisms::platforms`);
//! - **pairs**: partnership edges between named units (Sichuan–Chongqing
//!   cross-province services); each pair adds cross-region sharing links
//!   between same-type departments and an imitation channel for reuse.

use crate::catalog::{Level, Region};

/// Budget multipliers after transfers of `share` of donor budgets.
///
/// `budget` are base budgets; returns one multiplier per unit (1 where no
/// transfer applies). Budgets of donors fall by `share`; recipients split
/// the total in proportion to their own budgets.
pub fn transfer_multipliers(
    level: &[Level],
    region: &[Region],
    fiscal: &[f64],
    budget: &[f64],
    share: f64,
) -> Vec<f64> {
    let n = level.len();
    let mut mult = vec![1.0; n];
    if share <= 0.0 {
        return mult;
    }
    let multi_region = region.contains(&Region::East) && region.contains(&Region::West);
    let mut donor = vec![false; n];
    let mut recipient = vec![false; n];
    if multi_region {
        for u in 0..n {
            donor[u] = level[u] != Level::National && region[u] == Region::East;
            recipient[u] = level[u] != Level::National && region[u] == Region::West;
        }
    } else {
        for lvl in [Level::Province, Level::City, Level::County, Level::Township] {
            let mut fs: Vec<f64> = (0..n)
                .filter(|&u| level[u] == lvl)
                .map(|u| fiscal[u])
                .collect();
            if fs.len() < 2 {
                continue;
            }
            fs.sort_by(f64::total_cmp);
            let median = crate::stats::quantile_sorted(&fs, 0.5).unwrap_or(0.0);
            for u in (0..n).filter(|&u| level[u] == lvl) {
                donor[u] = fiscal[u] > median;
                recipient[u] = fiscal[u] < median;
            }
        }
    }
    let given: f64 = (0..n)
        .filter(|&u| donor[u])
        .map(|u| share * budget[u])
        .sum();
    let base: f64 = (0..n).filter(|&u| recipient[u]).map(|u| budget[u]).sum();
    if base <= 0.0 {
        return mult;
    }
    for u in 0..n {
        if donor[u] {
            mult[u] = 1.0 - share;
        } else if recipient[u] {
            mult[u] = 1.0 + given / base;
        }
    }
    mult
}

/// Counties back-stopped by their province.
pub fn lagging_counties(level: &[Level], fiscal: &[f64], threshold: f64) -> Vec<bool> {
    level
        .iter()
        .zip(fiscal)
        .map(|(l, f)| *l == Level::County && *f < threshold)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;
    use Region::*;

    #[test]
    fn east_gives_west_receives_and_money_is_conserved() {
        let level = [National, Province, Province, Province];
        let region = [East, East, Central, West];
        let budget = [0.0, 10.0, 5.0, 4.0];
        let m = transfer_multipliers(&level, &region, &[1.0; 4], &budget, 0.2);
        assert_eq!(m, vec![1.0, 0.8, 1.0, 1.5]);
        let before: f64 = budget.iter().sum();
        let after: f64 = budget.iter().zip(&m).map(|(b, x)| b * x).sum();
        assert!((before - after).abs() < 1e-12);
    }

    #[test]
    fn inside_one_region_rich_give_poor() {
        let level = [County, County, County];
        let region = [Central; 3];
        let m = transfer_multipliers(&level, &region, &[0.9, 0.5, 0.2], &[9.0, 5.0, 2.0], 0.5);
        assert_eq!(m[1], 1.0);
        assert_eq!(m[0], 0.5);
        assert!((m[2] - (1.0 + 4.5 / 2.0)).abs() < 1e-12);
    }

    #[test]
    fn lagging_only_counties_below_threshold() {
        let l = lagging_counties(&[City, County, County], &[0.1, 0.2, 0.5], 0.3);
        assert_eq!(l, vec![false, true, false]);
    }
}
