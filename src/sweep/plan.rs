//! A study expanded into a plan: design points × strategies, each
//! experiment with a stable id and seed, and the slice a shard runs.
//!
//! Rules: experiment id = point × S + strategy (S strategies), so ids
//! follow the design's row order and every strategy of a point is adjacent.
//! A point's seed depends only on (design seed, point index) — never on the
//! shard or thread — and every strategy of a point shares it (common random
//! numbers, so strategies are paired within a point). In a sensitivity
//! design, the points of one Saltelli block or one Morris trajectory share
//! their seed too (see [`Plan::seed_group`]). Shard I of N runs the
//! points with index ≡ I (mod N).

use crate::design::{self, ExperimentSpec, Uncertainty, morris, rng, saltelli};
use crate::{InputError, Result};

/// What is being run.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// A sweep with the scenario's `[experiment]` design.
    Sweep(ExperimentSpec),
    /// Sobol' indices from a Saltelli design with base size `n`.
    Sobol { n: usize, second_order: bool },
    /// Morris elementary effects from `r` trajectories on `levels` levels.
    Morris { r: usize, levels: usize },
}

impl Method {
    pub fn id(&self) -> &'static str {
        match self {
            Method::Sweep(_) => "sweep",
            Method::Sobol { .. } => "sobol",
            Method::Morris { .. } => "morris",
        }
    }
}

/// A shard: index (from 0) and count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parse `I/N` with 0 ≤ I < N.
    pub fn parse(s: &str) -> Result<Shard> {
        let bad = |msg: String| -> crate::Error {
            InputError::new(msg)
                .key("--shard")
                .expected("I/N with 0 ≤ I < N, e.g. 0/4 for the first of four shards")
                .into()
        };
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| bad(format!("`{s}` is not a shard spec")))?;
        let i: usize = i
            .trim()
            .parse()
            .map_err(|_| bad(format!("`{i}` is not a shard index")))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| bad(format!("`{n}` is not a shard count")))?;
        if n == 0 {
            return Err(bad(format!("shard count must be at least 1 in `{s}`")));
        }
        if i >= n {
            return Err(bad(format!(
                "shard index {i} is out of range for {n} shards (indices run from 0 to {})",
                n - 1
            )));
        }
        Ok(Shard { index: i, count: n })
    }

    pub fn owns(&self, point: usize) -> bool {
        point % self.count == self.index
    }
}

/// The expanded study.
#[derive(Debug, Clone)]
pub struct Plan {
    pub method: Method,
    pub params: Vec<Uncertainty>,
    /// Design points in parameter units (rows = points).
    pub points: Vec<Vec<f64>>,
    /// The same points in the unit cube (what the analysis reads).
    pub unit: Vec<Vec<f64>>,
    /// Strategy names run at every point, in scenario order.
    pub strategies: Vec<String>,
    pub replicates: usize,
    /// Design seed.
    pub seed: u64,
}

impl Plan {
    /// Expand a study. `strategies` are the names run at every point.
    pub fn new(
        method: Method,
        params: Vec<Uncertainty>,
        strategies: Vec<String>,
        replicates: usize,
        seed: u64,
    ) -> Result<Plan> {
        if params.is_empty() {
            return Err(
                InputError::new("the scenario has no [[uncertainty]] entries to vary")
                    .key("uncertainty")
                    .suggest("add [[uncertainty]] blocks with a `path` and a `dist`")
                    .into(),
            );
        }
        if strategies.is_empty() {
            return Err(InputError::new("no strategy to run").into());
        }
        let dists: Vec<&design::Distribution> = params.iter().map(|p| &p.dist).collect();
        let bad = |m: String| -> crate::Error { InputError::new(m).key("--samples").into() };
        let (unit, points) = match &method {
            Method::Sweep(spec) => (Vec::new(), design::sweep_points(&params, spec, seed)?),
            Method::Sobol { n, second_order } => {
                let u = saltelli::sample(*n, params.len(), *second_order, seed).map_err(bad)?;
                let v = design::sample::to_values(&u, &dists);
                (u, v)
            }
            Method::Morris { r, levels } => {
                let u = morris::trajectories(*r, params.len(), *levels, seed).map_err(bad)?;
                let v = design::sample::to_values(&u, &dists);
                (u, v)
            }
        };
        if points.is_empty() {
            return Err(InputError::new("the design has no points")
                .key("experiment.samples")
                .into());
        }
        Ok(Plan {
            method,
            params,
            points,
            unit,
            strategies,
            replicates,
            seed,
        })
    }

    pub fn experiments(&self) -> usize {
        self.points.len() * self.strategies.len()
    }

    pub fn experiment_id(&self, point: usize, strategy: usize) -> usize {
        point * self.strategies.len() + strategy
    }

    /// (point, strategy) of an experiment id.
    pub fn locate(&self, id: usize) -> (usize, usize) {
        (id / self.strategies.len(), id % self.strategies.len())
    }

    /// The group of design points that share random draws: a sweep point
    /// alone, a whole Saltelli block (A, AB_i, BA_i, B of one base row) or
    /// a whole Morris trajectory. The estimators take differences inside a
    /// group, so common random numbers there cancel the replicate noise
    /// out of the differences instead of adding it to every effect.
    pub fn seed_group(&self, point: usize) -> usize {
        match self.method {
            Method::Sweep(_) => point,
            Method::Sobol { second_order, .. } => {
                point / saltelli::rows_per_base(self.params.len(), second_order)
            }
            Method::Morris { .. } => point / (self.params.len() + 1),
        }
    }

    /// The scenario seed used at a design point (that of its seed group).
    pub fn point_seed(&self, point: usize) -> u64 {
        // Keep seeds within i64 so they survive a round trip through TOML.
        rng::derive_seed(self.seed, "point", self.seed_group(point) as u64) >> 1
    }

    /// Experiment ids a shard runs, in order.
    pub fn ids(&self, shard: Option<Shard>) -> Vec<usize> {
        (0..self.points.len())
            .filter(|p| shard.is_none_or(|s| s.owns(*p)))
            .flat_map(|p| (0..self.strategies.len()).map(move |s| (p, s)))
            .map(|(p, s)| self.experiment_id(p, s))
            .collect()
    }

    pub fn param_names(&self) -> Vec<String> {
        self.params.iter().map(|p| p.path.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{DesignKind, Distribution};

    fn params() -> Vec<Uncertainty> {
        vec![
            Uncertainty {
                path: "a".into(),
                dist: Distribution::uniform(0.0, 1.0).unwrap(),
                levels: None,
            },
            Uncertainty {
                path: "b".into(),
                dist: Distribution::uniform(5.0, 6.0).unwrap(),
                levels: None,
            },
        ]
    }

    #[test]
    fn shard_specs() {
        assert_eq!(Shard::parse("1/3").unwrap(), Shard { index: 1, count: 3 });
        for bad in ["3/2", "0/0", "2/2", "a/2", "1", "-1/2"] {
            let e = Shard::parse(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_experiments_and_seeds_ignore_shards() {
        let spec = ExperimentSpec {
            design: DesignKind::Lhs,
            samples: 10,
            seed: None,
        };
        let plan = Plan::new(
            Method::Sweep(spec),
            params(),
            vec!["x".into(), "y".into()],
            3,
            7,
        )
        .unwrap();
        assert_eq!(plan.experiments(), 20);
        let mut all: Vec<usize> = (0..3)
            .flat_map(|i| plan.ids(Some(Shard { index: i, count: 3 })))
            .collect();
        all.sort();
        assert_eq!(all, plan.ids(None));
        assert_eq!(plan.locate(plan.experiment_id(4, 1)), (4, 1));
        assert_ne!(plan.point_seed(0), plan.point_seed(1));
    }

    #[test]
    fn sensitivity_plans_have_the_documented_sizes() {
        let s = vec!["x".to_string()];
        let p = Plan::new(
            Method::Sobol {
                n: 8,
                second_order: false,
            },
            params(),
            s.clone(),
            1,
            1,
        )
        .unwrap();
        assert_eq!(p.points.len(), 8 * (2 + 2));
        let p = Plan::new(
            Method::Sobol {
                n: 8,
                second_order: true,
            },
            params(),
            s.clone(),
            1,
            1,
        )
        .unwrap();
        assert_eq!(p.points.len(), 8 * (2 * 2 + 2));
        let p = Plan::new(
            Method::Morris { r: 5, levels: 4 },
            params(),
            s.clone(),
            1,
            1,
        )
        .unwrap();
        assert_eq!(p.points.len(), 5 * (2 + 1));
        assert!(p.points.iter().all(|r| (5.0..=6.0).contains(&r[1])));
        // A trajectory shares one seed; the next one has another.
        assert_eq!(p.point_seed(0), p.point_seed(2));
        assert_ne!(p.point_seed(2), p.point_seed(3));
        assert!(
            Plan::new(
                Method::Morris { r: 5, levels: 3 },
                params(),
                s.clone(),
                1,
                1
            )
            .is_err()
        );
        assert!(
            Plan::new(
                Method::Sobol {
                    n: 8,
                    second_order: false
                },
                vec![],
                s,
                1,
                1
            )
            .is_err()
        );
    }
}
