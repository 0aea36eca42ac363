//! `tiaokuai assess DATA.csv [MORE.csv ...] --framework FRAMEWORK.toml
//!   [--id-col COL] [--group-col COL] [--format auto|wide|long] [--na CODE]
//!   [--out DIR] [--force] [--uncertainty N --seed S] [--threads T] [--quiet]`
//!
//! Scores units (rows of a wide CSV, or `unit,indicator,value` rows of a
//! long CSV) with a composite-indicator framework and writes `scores.csv`,
//! `scores-long.csv`, `treatment.csv`, `framework.toml`, `manifest.json`
//! (plus `uncertainty.csv` and `sensitivity.csv` with `--uncertainty`) into
//! `--out` (default `outputs/assess-<first data file stem>/`). Several data
//! files are scored together as one table (e.g. real and simulated units).
//!
//! ```text
//! tiaokuai assess egdi-2018.csv --framework frameworks/egdi.toml
//! tiaokuai assess oecd_dgi_2023.csv --framework frameworks/oecd-dgi.toml --uncertainty 500 --seed 1
//! tiaokuai assess real.csv outputs/run/indicators.csv --framework frameworks/tiaokuai.toml
//! ```

use std::path::PathBuf;

use tiaokuai::assess::data::ReadOptions;
use tiaokuai::assess::pipeline::{self, Request};
use tiaokuai::assess::{Framework, report};
use tiaokuai::{InputError, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data files (CSV, wide or long, UTF-8 with or without BOM).
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Framework file (TOML); see frameworks/.
    #[arg(long)]
    pub framework: PathBuf,
    /// Unit id column (default: the framework's `id_col` if present, else the first column).
    #[arg(long)]
    pub id_col: Option<String>,
    /// Group column for group_mean imputation.
    #[arg(long)]
    pub group_col: Option<String>,
    /// Data layout: auto (long when the header has `indicator`/`variable` and `value`), wide or long.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Extra cell value to read as missing (repeatable), e.g. --na 0 --na -99.
    #[arg(long)]
    pub na: Vec<String>,
    /// Output directory (default outputs/assess-<data file stem>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a non-empty output directory.
    #[arg(long)]
    pub force: bool,
    /// Monte Carlo base draws over the framework's uncertain choices.
    #[arg(long, value_name = "N")]
    pub uncertainty: Option<usize>,
    /// Seed of the Monte Carlo.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores); results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print nothing on success.
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(args: Args) -> Result<()> {
    let fw = Framework::load(&args.framework)?;
    let long = match args.format.as_str() {
        "auto" => None,
        "wide" => Some(false),
        "long" => Some(true),
        other => {
            return Err(InputError::new(format!("unknown format `{other}`"))
                .key("--format")
                .expected("auto, wide or long")
                .into());
        }
    };
    let req = Request {
        data: args.data.clone(),
        read: ReadOptions {
            id_col: args.id_col.clone(),
            long,
            na: args.na.clone(),
            ..Default::default()
        },
        group_col: args.group_col.clone(),
        uncertainty: args.uncertainty.map(|n| (n, args.seed)),
    };
    let run = || pipeline::assess(&fw, &req);
    let a = match args.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_err(|e| tiaokuai::Error::Other(e.to_string()))?
            .install(run)?,
        None => run()?,
    };
    let out = args.out.clone().unwrap_or_else(|| {
        let stem = args.data[0]
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "data".into());
        PathBuf::from("outputs").join(format!("assess-{stem}"))
    });
    report::write_output_dir(&out, args.force, &a.files()?)?;
    if !args.quiet {
        print!("{}", a.table_text());
        for line in a.treatment_summary() {
            println!("pre-treatment: {line} (see treatment.csv)");
        }
        if let Some(mc) = &a.mc {
            println!(
                "uncertainty: {} draws, {} evaluations; share of rank variance (first-order / total):",
                mc.draws, mc.evaluations
            );
            for f in &mc.shares {
                println!("  {:<14} {:.3} / {:.3}", f.id, f.first_order, f.total_order);
            }
        }
        println!("wrote {}", out.display());
    }
    Ok(())
}
