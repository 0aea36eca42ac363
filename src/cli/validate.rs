//! `tiaokuai validate SCENARIO...`
//!
//! Checks scenario files without running them: syntax, unknown keys, types,
//! ranges, names, and that the world can be built. Prints a one-line
//! summary per valid file; exits with code 2 at the first invalid one.
//!
//! ```text
//! tiaokuai validate scenarios/*.toml
//! ```

use std::path::PathBuf;

use tiaokuai::Result;
use tiaokuai::engine::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    for path in &args.scenarios {
        let sc = tiaokuai::scenario::load(path)?;
        let ctx = Context::new(sc)?;
        let sc = &ctx.scenario;
        println!(
            "ok: {} — scenario `{}`, preset {}, {} units, {} departments, {} strategies ({}), {} replicates × {} years",
            path.display(),
            sc.name,
            ctx.world.preset.id(),
            ctx.world.units.len(),
            ctx.compiled.n_depts,
            sc.strategies.len(),
            sc.strategies
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            sc.run.replicates,
            sc.run.years
        );
    }
    Ok(())
}
