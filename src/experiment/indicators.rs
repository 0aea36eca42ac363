//! `indicators.csv`: every simulated unit's maturity indicators at the
//! horizon, averaged over replicates, one row per (strategy, unit), in the
//! wide format `tiaokuai assess` reads — so simulated units can be scored
//! with any framework, and together with real ones in one table
//! (`tiaokuai assess real.csv outputs/run/indicators.csv --framework ...`).
//!
//! Columns: `id` (`strategy/unit id`, unique), `strategy`, `unit_id`,
//! `unit_name`, `unit_name_zh`, `level`, `region`, `province`, then the
//! indicator columns of `engine::maturity::COLUMNS`.

use std::path::Path;

use crate::catalog::Level;
use crate::engine::maturity::COLUMNS;
use crate::error::Result;
use crate::output::{csv_err, csv_writer, num};
use crate::sim::Context;
use crate::world::{NONE, World};

/// Running sums of horizon indicators per strategy and unit of replicate
/// 0's world. A replicate that drew its own structure (the synthetic
/// province's counties and townships) adds its units by id (`c01-k03`, the
/// third county of city 1), so a unit's mean runs over the replicates whose
/// world holds it; units only other replicates drew are not listed.
pub struct UnitMeans {
    sum: Vec<Vec<f64>>,
    count: Vec<Vec<u32>>,
    structure: u64,
    index: std::collections::HashMap<String, usize>,
}

impl UnitMeans {
    pub fn new(ctx: &Context) -> Self {
        let cells = ctx.compiled.n_units * COLUMNS.len();
        let n = ctx.scenario.strategies.len();
        let index = if World::draws_structure(&ctx.scenario) {
            let units = &ctx.world.units;
            units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.id.clone(), i))
                .collect()
        } else {
            Default::default()
        };
        UnitMeans {
            sum: vec![vec![0.0; cells]; n],
            count: vec![vec![0; cells]; n],
            structure: ctx.world.structure,
            index,
        }
    }

    /// Add one replicate's horizon indicators (units × columns of `world`,
    /// the replicate's) of a strategy.
    pub fn add(&mut self, strategy: usize, world: &World, rows: &[f64]) {
        let k = COLUMNS.len();
        let (sum, count) = (&mut self.sum[strategy], &mut self.count[strategy]);
        let mut put = |to: usize, from: &[f64]| {
            for (c, &x) in from.iter().enumerate() {
                if !x.is_nan() {
                    sum[to * k + c] += x;
                    count[to * k + c] += 1;
                }
            }
        };
        for (u, row) in rows.chunks_exact(k).enumerate() {
            if world.structure == self.structure {
                put(u, row);
            } else if let Some(&to) = self.index.get(&world.units[u].id) {
                put(to, row);
            }
        }
    }

    /// Write the means (the national unit, which is not scored, is left out).
    pub fn write(&self, ctx: &Context, path: &Path, bom: bool) -> Result<()> {
        let mut w = csv_writer(path, bom)?;
        let e = csv_err(path);
        let head = [
            "id",
            "strategy",
            "unit_id",
            "unit_name",
            "unit_name_zh",
            "level",
            "region",
            "province",
        ];
        w.write_record(head.iter().chain(COLUMNS.iter()))
            .map_err(&e)?;
        let k = COLUMNS.len();
        let world = &ctx.world;
        for (s, strat) in ctx.scenario.strategies.iter().enumerate() {
            for (u, unit) in world.units.iter().enumerate() {
                if unit.level == Level::National {
                    continue;
                }
                let prov = world.province_of[u];
                let prov_id = if prov == NONE {
                    ""
                } else {
                    world.units[prov as usize].id.as_str()
                };
                let mut rec = vec![
                    format!("{}/{}", strat.name, unit.id),
                    strat.name.clone(),
                    unit.id.clone(),
                    unit.name_en.clone(),
                    unit.name_zh.clone(),
                    unit.level.id().to_string(),
                    unit.region.id().to_string(),
                    prov_id.to_string(),
                ];
                for c in 0..k {
                    let (sum, n) = (self.sum[s][u * k + c], self.count[s][u * k + c]);
                    rec.push(if n == 0 {
                        String::new()
                    } else {
                        num(sum / n as f64)
                    });
                }
                w.write_record(&rec).map_err(&e)?;
            }
        }
        w.flush()
            .map_err(|x| crate::Error::io(format!("cannot write {}", path.display()), x))
    }
}
