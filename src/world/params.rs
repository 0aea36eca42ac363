//! `[world]`: which world to build and the distributions of its unit
//! attributes (docs/model.md §2 "Territorial governments", §3.6).

use serde::{Deserialize, Serialize};

use crate::catalog::{Level, Region};
use crate::error::InputError;
use crate::mechanisms::check_all;

/// World preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    /// One synthetic province.
    #[default]
    Province,
    /// The 31 provinces with their real division tree and statistics, built in.
    China,
    /// A real unit tree from division-code CSV files.
    Csv,
}

impl Preset {
    pub const ALL: [&'static str; 3] = ["province", "china", "csv"];
    pub fn id(self) -> &'static str {
        match self {
            Preset::Province => "province",
            Preset::China => "china",
            Preset::Csv => "csv",
        }
    }
}

/// Mean attributes of a region group, each 0–1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionMeans {
    /// Fiscal capacity for digital work.
    pub fiscal: f64,
    /// Digital-economy environment.
    pub digital: f64,
    /// Talent / capability.
    pub talent: f64,
    /// Institutional completeness (local rules and plans).
    pub institutions: f64,
}

/// `[world.attributes]`: how unit attributes are drawn.
///
/// A province's attributes are its real values (`[world.statistics]`, china
/// and csv presets) or else its region group's means plus a normal
/// deviation of sd `spread`; each lower unit draws around
/// `inheritance × parent + (1 − inheritance) × anchor` with the same sd,
/// truncated to [0.05, 1], where the anchor is its province's real values
/// when they are known and the region group's means otherwise. Population splits among children with
/// log-normal weights of sd `population_sigma`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttributeParams {
    pub east: RegionMeans,
    pub central: RegionMeans,
    pub west: RegionMeans,
    pub northeast: RegionMeans,
    /// Standard deviation of a unit's deviation from its expected attributes.
    pub spread: f64,
    /// Weight of the parent's attributes in a child's expectation (0–1).
    pub inheritance: f64,
    /// Log-normal sd of population weights among siblings.
    pub population_sigma: f64,
}

impl Default for AttributeParams {
    fn default() -> Self {
        AttributeParams {
            east: RegionMeans {
                fiscal: 0.72,
                digital: 0.72,
                talent: 0.62,
                institutions: 0.68,
            },
            central: RegionMeans {
                fiscal: 0.52,
                digital: 0.5,
                talent: 0.48,
                institutions: 0.5,
            },
            west: RegionMeans {
                fiscal: 0.4,
                digital: 0.38,
                talent: 0.38,
                institutions: 0.4,
            },
            northeast: RegionMeans {
                fiscal: 0.46,
                digital: 0.44,
                talent: 0.46,
                institutions: 0.46,
            },
            spread: 0.1,
            inheritance: 0.6,
            population_sigma: 0.5,
        }
    }
}

impl AttributeParams {
    pub fn means(&self, r: Region) -> RegionMeans {
        match r {
            Region::East => self.east,
            Region::Central => self.central,
            Region::West => self.west,
            Region::Northeast => self.northeast,
        }
    }
}

/// `[world.csv]`: files of a real unit tree in the NBS division-code format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsvParams {
    /// Folder holding the files (relative paths resolve against the scenario file).
    pub dir: String,
    pub provinces: String,
    pub cities: String,
    pub areas: String,
    pub streets: String,
    /// Optional attributes CSV keyed by `code` (columns among fiscal, digital, talent, institutions, population, region, rank).
    pub attributes: String,
}

impl Default for CsvParams {
    fn default() -> Self {
        CsvParams {
            dir: String::new(),
            provinces: "provinces.csv".into(),
            cities: "cities.csv".into(),
            areas: "areas.csv".into(),
            streets: "streets.csv".into(),
            attributes: String::new(),
        }
    }
}

/// `[world]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorldParams {
    /// `province`, `china` or `csv`.
    pub preset: Preset,
    /// Lowest level built: `city`, `county` or `township`.
    pub depth: Level,
    /// Name of the synthetic province (province preset).
    pub name: String,
    /// Chinese name of the synthetic province (province preset).
    pub name_zh: String,
    /// Region group of the synthetic province (province preset).
    pub region: Region,
    /// Population of the synthetic province (province preset).
    pub population: f64,
    /// Cities in the synthetic province.
    pub cities: u32,
    /// Counties per city (province preset).
    pub counties_per_city: u32,
    /// Townships per county (province preset).
    pub townships_per_county: u32,
    /// Variance-to-mean ratio of a city's drawn number of counties (province preset; 0 = exactly `counties_per_city`).
    pub counties_dispersion: f64,
    /// Variance-to-mean ratio of a county's drawn number of townships (province preset; 0 = exactly `townships_per_county`).
    pub townships_dispersion: f64,
    /// Cities ranked sub-provincial (the most populous ones; province preset).
    pub subprovincial_cities: u32,
    /// Cities given municipality-level coordinating rank (province preset; for "all else equal" experiments).
    pub municipality_cities: u32,
    /// Spread of local needs around the parent's (sd of need-position shocks per level).
    pub heterogeneity: f64,
    /// Province ids to keep (china and csv presets; empty = all).
    pub provinces: Vec<String>,
    pub csv: CsvParams,
    pub attributes: AttributeParams,
    /// Province attributes from real statistics (china and csv presets).
    pub statistics: super::statistics::StatisticsParams,
    /// Refuse worlds with more departments than this (memory guard).
    pub max_departments: u64,
}

impl Default for WorldParams {
    fn default() -> Self {
        WorldParams {
            preset: Preset::Province,
            depth: Level::Township,
            name: "Synthetic province".into(),
            name_zh: "合成省".into(),
            region: Region::Central,
            population: 40_000_000.0,
            cities: 21,
            counties_per_city: 6,
            townships_per_county: 10,
            counties_dispersion: 1.8,
            townships_dispersion: 3.4,
            subprovincial_cities: 1,
            municipality_cities: 0,
            heterogeneity: 0.3,
            provinces: Vec::new(),
            csv: CsvParams::default(),
            attributes: AttributeParams::default(),
            statistics: Default::default(),
            max_departments: 3_000_000,
        }
    }
}

impl WorldParams {
    pub fn validate(&self, prefix: &str) -> Result<(), InputError> {
        if !matches!(self.depth, Level::City | Level::County | Level::Township) {
            return Err(
                InputError::new(format!("depth `{}` is not allowed", self.depth.id()))
                    .key(format!("{prefix}.depth"))
                    .expected("\"city\", \"county\" or \"township\""),
            );
        }
        check_all(
            prefix,
            &[
                ("population", self.population, 1.0, 2e9),
                ("cities", self.cities as f64, 1.0, 1000.0),
                (
                    "counties_per_city",
                    self.counties_per_city as f64,
                    1.0,
                    1000.0,
                ),
                (
                    "townships_per_county",
                    self.townships_per_county as f64,
                    1.0,
                    1000.0,
                ),
                ("counties_dispersion", self.counties_dispersion, 0.0, 20.0),
                ("townships_dispersion", self.townships_dispersion, 0.0, 20.0),
                ("heterogeneity", self.heterogeneity, 0.0, 5.0),
                ("max_departments", self.max_departments as f64, 1.0, 1e9),
            ],
        )?;
        for (name, d) in [
            ("counties_dispersion", self.counties_dispersion),
            ("townships_dispersion", self.townships_dispersion),
        ] {
            if d > 0.0 && d < 1.0 {
                return Err(InputError::new(format!(
                    "{name} = {d} is below 1: a count drawn around its mean spreads at least as much as a Poisson count"
                ))
                .key(format!("{prefix}.{name}"))
                .expected("0 (exact counts) or a variance-to-mean ratio from 1 to 20")
                .suggest(format!("use {name} = 0 for exact counts or 1 for Poisson spread")));
            }
        }
        if self.subprovincial_cities + self.municipality_cities > self.cities {
            return Err(InputError::new(format!(
                "subprovincial_cities ({}) + municipality_cities ({}) exceed cities ({})",
                self.subprovincial_cities, self.municipality_cities, self.cities
            ))
            .key(format!("{prefix}.subprovincial_cities"))
            .expected(format!("at most {} in total", self.cities)));
        }
        self.statistics.validate(&format!("{prefix}.statistics"))?;
        let a = &self.attributes;
        for (name, m) in [
            ("east", a.east),
            ("central", a.central),
            ("west", a.west),
            ("northeast", a.northeast),
        ] {
            check_all(
                &format!("{prefix}.attributes.{name}"),
                &[
                    ("fiscal", m.fiscal, 0.0, 1.0),
                    ("digital", m.digital, 0.0, 1.0),
                    ("talent", m.talent, 0.0, 1.0),
                    ("institutions", m.institutions, 0.0, 1.0),
                ],
            )?;
        }
        check_all(
            &format!("{prefix}.attributes"),
            &[
                ("spread", a.spread, 0.0, 1.0),
                ("inheritance", a.inheritance, 0.0, 1.0),
                ("population_sigma", a.population_sigma, 0.0, 5.0),
            ],
        )
    }
}
