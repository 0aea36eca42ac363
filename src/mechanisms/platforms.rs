//! Mechanism 4 — platforms: build once above, or many times below
//! (docs/model.md §3.4).
//!
//! Principle in the source: "what the upper level has built, the lower level
//! does not build again; what the upper level can build uniformly, lower
//! levels do not build separately". A deployment mode decides which unit
//! builds the exchange platform that serves each unit:
//!
//! | mode         | province | city      | county        | township      |
//! |--------------|----------|-----------|---------------|---------------|
//! | `local`      | own      | own       | own           | its county's  |
//! | `city`       | own      | own       | its city's    | its city's    |
//! | `provincial` | own      | province's| province's    | province's    |
//! | `hybrid`     | own      | province's, customised by the city for its whole subtree |
//!
//! A builder saves its platform budget until it covers its own share of the
//! build (so poor places wait: the *unable* barrier); every served unit then
//! pays a `connection_cost`. A build costs `build_cost` at the level's
//! reference population, scaled with economies of scale, so a small
//! province builds a smaller platform; transfers from above co-fund it in
//! proportion to the builder's fiscal weakness, so no builder is left
//! without a platform for lack of money alone. Running cost is a yearly share of build cost. Each
//! build carries its own data standard (§3.3), so local builds fragment
//! standards and provincial builds share one. Fit to local needs falls with
//! the distance between the unit's need position and the builder's
//! (`fit = 1 − fit_loss·|h_unit − h_ref|`); hybrid customisation moves the
//! reference towards the city's own needs — the source's advice where
//! places differ a lot. Joining a platform is not the end of the work:
//! once a unit is connected, its departments move their systems onto the
//! platform one by one, a yearly share `department_connection_rate` of
//! those still outside, scaled by the unit's talent (the staff who do the
//! integration work), so a unit's connected share ramps up over years
//! instead of jumping to 1 (`connect_departments`). Back-stopping (§4 regional coordination) makes the
//! province build for, and pay the connection of, lagging counties.

use serde::{Deserialize, Serialize};

use super::check_all;
use crate::catalog::Level;
use crate::error::InputError;

/// Marker for "no unit".
pub const NONE: u32 = u32::MAX;

/// Platform deployment lever.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deployment {
    /// Every city and county builds its own.
    #[default]
    Local,
    /// Every city builds one for itself and its counties.
    City,
    /// The province builds once for all.
    Provincial,
    /// The province builds; cities customise for their subtree.
    Hybrid,
}

impl Deployment {
    pub const ALL: [&'static str; 4] = ["local", "city", "provincial", "hybrid"];
}

/// Costs by level, in million yuan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LevelCosts {
    pub province: f64,
    pub city: f64,
    pub county: f64,
    pub township: f64,
}

impl LevelCosts {
    pub fn at(&self, level: Level) -> f64 {
        match level {
            Level::National | Level::Province => self.province,
            Level::City => self.city,
            Level::County => self.county,
            Level::Township => self.township,
        }
    }
}

impl Default for LevelCosts {
    fn default() -> Self {
        LevelCosts {
            province: 0.0,
            city: 0.0,
            county: 0.0,
            township: 0.0,
        }
    }
}

/// `[platforms]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlatformParams {
    /// Build cost of one exchange platform by builder level (million yuan).
    pub build_cost: LevelCosts,
    /// Cost of connecting one unit to a platform it does not own (million yuan).
    pub connection_cost: LevelCosts,
    /// Cost for a city to customise a provincial platform (hybrid) (million yuan).
    pub customisation_cost: f64,
    /// Yearly running cost as a share of build (or customisation) cost.
    pub running_cost_share: f64,
    /// Loss of fit per unit of need distance (fit = 1 − fit_loss·distance).
    pub fit_loss: f64,
    /// How far city customisation moves the platform towards the city's needs (0–1).
    pub customisation_reach: f64,
    /// Minimum quarters from the decision to a working platform.
    pub build_quarters: f64,
    /// People served at which `build_cost` applies, by builder level.
    pub reference_population: LevelCosts,
    /// Economies of scale: build cost ∝ (people served / reference)^elasticity.
    pub scale_elasticity: f64,
    /// Co-funding from above: the share of a build paid by transfers is
    /// `cofunding × (1 − fiscal capacity)`, at most 1.
    pub cofunding: f64,
    /// Yearly share of a connected unit's remaining departments that move
    /// onto its platform, at talent 1 (at talent 0, half of it).
    pub department_connection_rate: f64,
}

impl Default for PlatformParams {
    fn default() -> Self {
        PlatformParams {
            build_cost: LevelCosts {
                province: 40.0,
                city: 10.0,
                county: 3.0,
                township: 1.0,
            },
            connection_cost: LevelCosts {
                province: 0.0,
                city: 1.0,
                county: 0.4,
                township: 0.03,
            },
            customisation_cost: 4.0,
            running_cost_share: 0.15,
            fit_loss: 0.6,
            customisation_reach: 0.8,
            build_quarters: 2.0,
            // The default synthetic province (40 million people, 21 cities,
            // 126 counties, 1,260 townships): its typical unit per level.
            reference_population: LevelCosts {
                province: 4.0e7,
                city: 1.9e6,
                county: 3.2e5,
                township: 3.2e4,
            },
            scale_elasticity: 0.6,
            cofunding: 1.2,
            department_connection_rate: 0.5,
        }
    }
}

impl PlatformParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        // Finite maxima (about a million times the defaults) keep every
        // output finite; see docs/limits.md.
        let max = 1e8;
        for (name, c) in [
            ("build_cost", &self.build_cost),
            ("connection_cost", &self.connection_cost),
        ] {
            check_all(
                &format!("{prefix}.{name}"),
                &[
                    ("province", c.province, 0.0, max),
                    ("city", c.city, 0.0, max),
                    ("county", c.county, 0.0, max),
                    ("township", c.township, 0.0, max),
                ],
            )?;
        }
        let r = &self.reference_population;
        check_all(
            &format!("{prefix}.reference_population"),
            &[
                ("province", r.province, 1.0, 2e9),
                ("city", r.city, 1.0, 2e9),
                ("county", r.county, 1.0, 2e9),
                ("township", r.township, 1.0, 2e9),
            ],
        )?;
        check_all(
            prefix,
            &[
                ("scale_elasticity", self.scale_elasticity, 0.0, 1.0),
                ("cofunding", self.cofunding, 0.0, 2.0),
                (
                    "department_connection_rate",
                    self.department_connection_rate,
                    0.0,
                    1.0,
                ),
                ("customisation_cost", self.customisation_cost, 0.0, 4e6),
                ("running_cost_share", self.running_cost_share, 0.0, 1.0),
                ("fit_loss", self.fit_loss, 0.0, 1e6),
                ("customisation_reach", self.customisation_reach, 0.0, 1.0),
                ("build_quarters", self.build_quarters, 0.0, 40.0),
            ],
        )
    }
}

impl PlatformParams {
    /// Build cost of a platform built at `level` for `people`: the level's
    /// cost at its reference population, scaled with economies of scale
    /// (the "six-tenths rule" of capital cost estimation, Williams 1947,
    /// *Chemical Engineering* 54(12)). Small places build small platforms;
    /// with `scale_elasticity = 0` every build costs the same.
    pub fn scaled_build_cost(&self, level: Level, people: f64) -> f64 {
        let reference = self.reference_population.at(level);
        self.build_cost.at(level) * (people.max(1.0) / reference).powf(self.scale_elasticity)
    }

    /// Share of a build the builder pays itself; the rest is co-funded from
    /// above in proportion to how much the builder depends on transfers.
    pub fn own_share(&self, fiscal: f64) -> f64 {
        (1.0 - self.cofunding * (1.0 - fiscal)).clamp(0.0, 1.0)
    }
}

/// Share of a connected unit's departments on its platform after one more
/// quarter: a yearly share `rate × (½ + ½·talent)` of the departments still
/// on legacy systems moves over. Never reaches 1 in finite time: the last
/// departments (often the vertically managed ones) are the slowest.
pub fn connect_departments(share: f64, rate: f64, talent: f64) -> f64 {
    let yearly = (rate * (0.5 + 0.5 * talent.clamp(0.0, 1.0))).clamp(0.0, 1.0);
    let quarterly = 1.0 - (1.0 - yearly).powf(0.25);
    share + quarterly * (1.0 - share)
}

/// The tree facts a deployment plan needs, as parallel slices by unit.
pub struct Tree<'a> {
    pub level: &'a [Level],
    /// Province-level ancestor (itself for a province); `NONE` for national.
    pub province: &'a [u32],
    /// City-level ancestor (itself for a city); `NONE` above city level.
    pub city: &'a [u32],
    /// County-level ancestor (itself for a county); `NONE` above county level.
    pub county: &'a [u32],
}

/// Who builds, serves, customises and pays, per unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Unit whose platform serves this unit (itself when it builds).
    pub server: Vec<u32>,
    /// City that customises the platform for this unit (hybrid), else `NONE`.
    pub customiser: Vec<u32>,
    /// Unit that pays this unit's connection (`NONE` when it builds its own).
    pub connection_payer: Vec<u32>,
}

/// Decide the deployment for every unit.
///
/// `lagging[u]` marks counties back-stopped by their province.
pub fn plan(tree: &Tree, mode: Deployment, lagging: &[bool]) -> Plan {
    let n = tree.level.len();
    let mut server = vec![NONE; n];
    let mut customiser = vec![NONE; n];
    let mut payer = vec![NONE; n];
    for u in 0..n {
        let lvl = tree.level[u];
        let prov = tree.province[u];
        let backstopped = tree.county[u] != NONE && lagging[tree.county[u] as usize];
        let s = match (lvl, mode) {
            (Level::National, _) | (Level::Province, _) => u as u32,
            _ if backstopped => prov,
            (Level::City, Deployment::Local | Deployment::City) => u as u32,
            (Level::County, Deployment::Local) => u as u32,
            (Level::Township, Deployment::Local) => tree.county[u],
            (Level::County | Level::Township, Deployment::City) => tree.city[u],
            (_, Deployment::Provincial | Deployment::Hybrid) => prov,
        };
        server[u] = s;
        if mode == Deployment::Hybrid && lvl >= Level::City {
            customiser[u] = tree.city[u];
        }
        if s != u as u32 {
            payer[u] = if backstopped { prov } else { u as u32 };
        }
    }
    Plan {
        server,
        customiser,
        connection_payer: payer,
    }
}

/// Fit of a platform to a unit whose need position is `h_unit`, when the
/// platform is built around `h_builder` and optionally customised towards
/// `h_custom` with reach `reach`.
pub fn fit(fit_loss: f64, h_unit: f64, h_builder: f64, h_custom: Option<f64>, reach: f64) -> f64 {
    let h_ref = match h_custom {
        Some(hc) => h_builder + reach * (hc - h_builder),
        None => h_builder,
    };
    (1.0 - fit_loss * (h_unit - h_ref).abs()).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Level::*;

    // national(0) > province(1) > city(2) > county(3) > township(4), county(5) lagging
    fn tree() -> (Vec<Level>, Vec<u32>, Vec<u32>, Vec<u32>) {
        let level = vec![National, Province, City, County, Township, County];
        let province = vec![NONE, 1, 1, 1, 1, 1];
        let city = vec![NONE, NONE, 2, 2, 2, 2];
        let county = vec![NONE, NONE, NONE, 3, 3, 5];
        (level, province, city, county)
    }

    #[test]
    fn servers_by_mode() {
        let (l, p, c, k) = tree();
        let t = Tree {
            level: &l,
            province: &p,
            city: &c,
            county: &k,
        };
        let none = vec![false; 6];
        assert_eq!(
            plan(&t, Deployment::Local, &none).server,
            vec![0, 1, 2, 3, 3, 5]
        );
        assert_eq!(
            plan(&t, Deployment::City, &none).server,
            vec![0, 1, 2, 2, 2, 2]
        );
        assert_eq!(
            plan(&t, Deployment::Provincial, &none).server,
            vec![0, 1, 1, 1, 1, 1]
        );
        let h = plan(&t, Deployment::Hybrid, &none);
        assert_eq!(h.server, vec![0, 1, 1, 1, 1, 1]);
        assert_eq!(h.customiser, vec![NONE, NONE, 2, 2, 2, 2]);
    }

    #[test]
    fn backstop_moves_lagging_county_to_the_province_which_pays() {
        let (l, p, c, k) = tree();
        let t = Tree {
            level: &l,
            province: &p,
            city: &c,
            county: &k,
        };
        let mut lag = vec![false; 6];
        lag[5] = true;
        let pl = plan(&t, Deployment::Local, &lag);
        assert_eq!(pl.server[5], 1);
        assert_eq!(pl.connection_payer[5], 1);
        assert_eq!(pl.connection_payer[4], 4); // township pays its own connection
        assert_eq!(pl.connection_payer[3], NONE); // county builds its own
    }

    #[test]
    fn departments_connect_gradually() {
        // talent 1: a yearly half of the remaining departments
        let mut s = 0.0;
        for _ in 0..4 {
            s = connect_departments(s, 0.5, 1.0);
        }
        assert!((s - 0.5).abs() < 1e-12, "{s}");
        // talent 0: a quarter a year
        let q = connect_departments(0.0, 0.5, 0.0);
        assert!(((1.0 - q).powi(4) - 0.75).abs() < 1e-12);
        assert_eq!(connect_departments(0.3, 0.0, 1.0), 0.3);
        assert!(connect_departments(0.999, 1.0, 1.0) <= 1.0);
    }

    #[test]
    fn fit_falls_with_distance_and_customisation_helps() {
        assert_eq!(fit(0.6, 0.5, 0.5, None, 0.8), 1.0);
        assert!((fit(0.6, 0.5, 0.0, None, 0.8) - 0.7).abs() < 1e-12);
        // customised towards 0.5 with reach 0.8: ref 0.4, fit 1 - 0.06
        assert!((fit(0.6, 0.5, 0.0, Some(0.5), 0.8) - 0.94).abs() < 1e-12);
    }
}
