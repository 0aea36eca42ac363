//! `tiaokuai validate SCENARIO...`
//!
//! Checks scenario files without running them: syntax, unknown keys, types,
//! ranges, names, that the world can be built, and for a study file the
//! `[[uncertainty]]` paths and the `[experiment]` design (what `sweep`
//! would check before its first run), and for a role-play file its
//! `[class]` and `[[role]]` sections (what `serve --class` checks). Prints a summary per valid file;
//! exits with code 2 at the first invalid one.
//!
//! ```text
//! tiaokuai validate scenarios/*.toml
//! ```

use std::path::PathBuf;

use tiaokuai::Result;
use tiaokuai::sim::Context;
use tiaokuai::sweep::study;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    for path in &args.scenarios {
        let loaded = study::load(path)?;
        let ctx = Context::new(loaded.scenario.clone())?;
        let sc = &ctx.scenario;
        let bytes = tiaokuai::world::size::check_output(
            sc,
            ctx.world.scopes.scopes.len(),
            ctx.metrics.defs.len(),
        )?;
        let study = if loaded.has_study() {
            Some(loaded.check(sc)?)
        } else {
            None
        };
        println!(
            "ok: {} — scenario `{}`, preset {}, {} units, {} departments, {} ({}), {} replicates × {} years, about {:.1} MB of results",
            path.display(),
            sc.name,
            ctx.world.preset.id(),
            ctx.world.units.len(),
            ctx.compiled.n_depts,
            match sc.strategies.len() {
                1 => "1 strategy".to_string(),
                n => format!("{n} strategies"),
            },
            sc.strategies
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            sc.run.replicates,
            sc.run.years,
            bytes / 1e6
        );
        if let Some(line) = study {
            println!("    study: {line}");
        }
        let table: toml::Table = toml::from_str(&tiaokuai::scenario::read_text(path)?)
            .map_err(|e| tiaokuai::Error::Other(e.to_string()))?;
        if tiaokuai::class::def::SECTIONS
            .iter()
            .any(|s| table.contains_key(*s))
        {
            let def = tiaokuai::class::ClassDef::parse(&table, sc, &ctx.world)
                .map_err(|e| tiaokuai::Error::from(e.file(path)))?;
            println!(
                "    role-play: {} roles, unplayed roles follow `{}`",
                def.roles.len(),
                sc.strategies[def.strategy].name
            );
        }
    }
    Ok(())
}
