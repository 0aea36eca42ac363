//! Flags shared by subcommands, defined once and flattened in.

use std::path::PathBuf;

/// Output flags: `--out`, `--force`, `--quiet`.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Output folder (default: outputs/<scenario name>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace an existing, non-empty output folder.
    #[arg(long)]
    pub force: bool,
    /// No progress bar and no summary table.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Run-control flags that override the scenario file.
#[derive(Debug, Clone, clap::Args)]
pub struct RunControl {
    /// Master seed (overrides run.seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Replicates per strategy (overrides run.replicates).
    #[arg(long)]
    pub replicates: Option<u32>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run only this strategy (repeat for several).
    #[arg(long = "strategy", value_name = "NAME")]
    pub strategies: Vec<String>,
}

impl RunControl {
    /// Apply the overrides to a validated scenario.
    pub fn apply(&self, sc: &mut tiaokuai::scenario::Scenario) -> tiaokuai::Result<()> {
        if let Some(s) = self.seed {
            sc.run.seed = s;
        }
        if let Some(r) = self.replicates {
            if r == 0 {
                return Err(tiaokuai::InputError::new("--replicates must be at least 1")
                    .key("--replicates")
                    .into());
            }
            sc.run.replicates = r;
        }
        sc.select_strategies(&self.strategies)
    }
}

/// Parse a `--lang` value (`en` or `zh`).
pub fn parse_lang(s: &str) -> tiaokuai::Result<tiaokuai::catalog::Lang> {
    tiaokuai::catalog::Lang::parse(s).ok_or_else(|| {
        tiaokuai::InputError::new(format!("unknown language `{s}`"))
            .key("--lang")
            .expected("en or zh")
            .into()
    })
}
