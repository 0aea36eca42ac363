//! A calibration's unfinished folder, `<out>.partial/`: its manifest, the
//! inputs, and one file per finished generation (and per finished shard of
//! a generation), read back exactly for `--resume`.
//!
//! Rules: `generations/gen-GGG.csv` holds every particle of generation G
//! (`particle,weight,distance,tolerance,ess,resampled,simulated,moved,`
//! then one column per parameter and `sim_K` per target), written through a
//! temporary file and a rename, numbers in Rust's shortest round-trip
//! form, so a resumed run reads back exactly what it wrote. A shard writes
//! `gen-GGG.shard-I-of-N.csv` with its own rows only. `--resume` refuses a
//! folder whose manifest identity (scenario, targets, holdout, settings)
//! differs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::abc_smc::{Particle, Prepared};
use super::{GenSummary, Job, Problem, RunOptions};
use crate::sweep::folder::{check_out_dir, write_atomic};
use crate::sweep::partial_dir;
use crate::sweep::plan::Shard;
use crate::{Error, InputError, Result};

/// Particles of a generation file, by particle id.
type Rows = Vec<(usize, Particle)>;
/// A generation's tolerance, ESS and whether it resampled.
type Meta = (f64, f64, bool);

/// Manifest file name.
pub const MANIFEST: &str = "manifest.json";

/// The open `.partial` folder.
#[derive(Debug, Clone)]
pub struct Store {
    pub dir: PathBuf,
    /// Created by this invocation (not resumed).
    pub fresh: bool,
}

fn io(ctx: String) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::io(ctx, e)
}

fn read_manifest(dir: &Path) -> Result<Value> {
    let p = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&p).map_err(io(format!("reading {}", p.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        InputError::new(format!(
            "`{}` is not a calibration manifest: {e}",
            p.display()
        ))
        .into()
    })
}

/// Write a manifest atomically.
pub fn write_manifest(dir: &Path, v: &Value) -> Result<()> {
    let text = serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
    write_atomic(&dir.join(MANIFEST), text.as_bytes())
}

/// The first identity field that differs between two manifests.
fn mismatch(a: &Value, b: &Value) -> Option<String> {
    let (ia, ib) = (&a["identity"], &b["identity"]);
    let keys: Vec<String> = match ib.as_object() {
        Some(o) => o.keys().cloned().collect(),
        None => return Some("identity".into()),
    };
    keys.into_iter().find(|k| ia.get(k) != ib.get(k))
}

impl Store {
    /// Open (or create) the folder; `None` when `--resume` finds the
    /// calibration already complete in `<out>`.
    pub fn open(opts: &RunOptions, manifest: &Value) -> Result<Option<Store>> {
        let part = partial_dir(&opts.out);
        let continuing = (opts.resume || opts.shard.is_some()) && !opts.force;
        if continuing && part.exists() {
            let old = read_manifest(&part)?;
            if let Some(k) = mismatch(&old, manifest) {
                return Err(InputError::new(format!(
                    "cannot resume: the unfinished calibration in `{}` differs in `{k}`",
                    part.display()
                ))
                .suggest("run the same command as before, or pass --force to start over")
                .into());
            }
            return Ok(Some(Store {
                dir: part,
                fresh: false,
            }));
        }
        if opts.resume && !opts.force && opts.out.join(MANIFEST).exists() {
            let old = read_manifest(&opts.out)?;
            if mismatch(&old, manifest).is_none() {
                return Ok(None);
            }
        }
        check_out_dir(&opts.out, opts.force)?;
        if part.exists() {
            if !opts.force {
                return Err(InputError::new(format!(
                    "an unfinished calibration is in `{}`",
                    part.display()
                ))
                .suggest("pass --resume to continue it or --force to start over")
                .into());
            }
            std::fs::remove_dir_all(&part).map_err(io(format!("removing {}", part.display())))?;
        }
        let gens = part.join("generations");
        std::fs::create_dir_all(&gens).map_err(io(format!("creating {}", gens.display())))?;
        write_manifest(&part, manifest)?;
        Ok(Some(Store {
            dir: part,
            fresh: true,
        }))
    }

    /// Copy the inputs beside the results.
    pub fn write_inputs(&self, job: &Job) -> Result<()> {
        write_atomic(
            &self.dir.join("scenario.toml"),
            job.scenario_text.as_bytes(),
        )?;
        write_atomic(&self.dir.join("targets.csv"), job.targets_text.as_bytes())?;
        if let Some((_, text)) = job.holdout {
            write_atomic(&self.dir.join("holdout-targets.csv"), text.as_bytes())?;
        }
        Ok(())
    }

    fn gen_path(&self, g: usize) -> PathBuf {
        self.dir.join("generations").join(format!("gen-{g:03}.csv"))
    }

    fn shard_path(&self, g: usize, sh: Shard) -> PathBuf {
        self.dir
            .join("generations")
            .join(format!("gen-{g:03}.shard-{}-of-{}.csv", sh.index, sh.count))
    }

    fn header(problem: &Problem) -> String {
        let mut h =
            String::from("particle,weight,distance,tolerance,ess,resampled,simulated,moved");
        for n in problem.names() {
            h.push(',');
            h.push_str(&n);
        }
        for k in 0..problem.fit.len() + problem.holdout.len() {
            h.push_str(&format!(",sim_{k}"));
        }
        h.push('\n');
        h
    }

    fn rows(rows: &[(usize, &Particle)], sum: (f64, f64, bool)) -> String {
        let mut out = String::new();
        for (i, p) in rows {
            out.push_str(&format!(
                "{i},{},{},{},{},{},{},{}",
                p.weight,
                p.distance,
                sum.0,
                sum.1,
                u8::from(sum.2),
                u8::from(p.simulated),
                u8::from(p.moved)
            ));
            for x in p.theta.iter().chain(&p.sims) {
                out.push_str(&format!(",{x}"));
            }
            out.push('\n');
        }
        out
    }

    /// Save a finished generation and drop its shard files.
    pub fn save(
        &self,
        g: usize,
        pop: &[Particle],
        sum: &GenSummary,
        problem: &Problem,
    ) -> Result<()> {
        let rows: Vec<(usize, &Particle)> = pop.iter().enumerate().collect();
        let text =
            Self::header(problem) + &Self::rows(&rows, (sum.tolerance, sum.ess, sum.resampled));
        write_atomic(&self.gen_path(g), text.as_bytes())?;
        for p in self.shard_files(g)? {
            let _ = std::fs::remove_file(p);
        }
        Ok(())
    }

    /// Save one shard's rows of generation `g`.
    pub fn save_shard(
        &self,
        g: usize,
        sh: Shard,
        rows: &[(usize, Particle)],
        prep: Option<&Prepared>,
        problem: &Problem,
    ) -> Result<()> {
        let r: Vec<(usize, &Particle)> = rows.iter().map(|(i, p)| (*i, p)).collect();
        let sum = prep.map_or((f64::INFINITY, rows.len() as f64, false), |p| {
            (p.tolerance, p.ess, p.resampled)
        });
        let text = Self::header(problem) + &Self::rows(&r, sum);
        write_atomic(&self.shard_path(g, sh), text.as_bytes())
    }

    fn shard_files(&self, g: usize) -> Result<Vec<PathBuf>> {
        let dir = self.dir.join("generations");
        let prefix = format!("gen-{g:03}.shard-");
        let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(io(format!("reading {}", dir.display())))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".csv"))
            })
            .collect();
        out.sort();
        Ok(out)
    }

    fn parse(path: &Path, problem: &Problem) -> Result<(Rows, Meta)> {
        let text =
            std::fs::read_to_string(path).map_err(io(format!("reading {}", path.display())))?;
        let bad = |what: &str| -> Error {
            InputError::new(format!("`{}` is damaged: {what}", path.display()))
                .suggest("pass --force to start the calibration over")
                .into()
        };
        let mut lines = text.lines();
        if lines.next().map(|h| format!("{h}\n")) != Some(Self::header(problem)) {
            return Err(bad("its header does not match this calibration"));
        }
        let np = problem.paths.len();
        let nk = problem.fit.len() + problem.holdout.len();
        let mut rows = Vec::new();
        let mut meta = (f64::INFINITY, 0.0, false);
        for l in lines {
            let f: Vec<&str> = l.split(',').collect();
            if f.len() != 8 + np + nk {
                return Err(bad("a row has the wrong number of fields"));
            }
            let num = |s: &str| {
                s.parse::<f64>()
                    .map_err(|_| bad(&format!("`{s}` is not a number")))
            };
            let i: usize = f[0]
                .parse()
                .map_err(|_| bad("a particle id is not a number"))?;
            meta = (num(f[3])?, num(f[4])?, f[5] == "1");
            let v: Vec<f64> = f[8..].iter().map(|s| num(s)).collect::<Result<_>>()?;
            rows.push((
                i,
                Particle {
                    weight: num(f[1])?,
                    distance: num(f[2])?,
                    simulated: f[6] == "1",
                    moved: f[7] == "1",
                    theta: v[..np].to_vec(),
                    sims: v[np..].to_vec(),
                },
            ));
        }
        Ok((rows, meta))
    }

    /// A finished generation, if saved.
    pub fn load(&self, g: usize, problem: &Problem) -> Result<Option<(Vec<Particle>, GenSummary)>> {
        let p = self.gen_path(g);
        if !p.exists() {
            return Ok(None);
        }
        let (rows, (tolerance, ess, resampled)) = Self::parse(&p, problem)?;
        let pop: Vec<Particle> = rows.into_iter().map(|(_, p)| p).collect();
        let sum = GenSummary {
            generation: g,
            tolerance,
            ess,
            resampled,
            simulations: pop.iter().filter(|p| p.simulated).count(),
            accepted: pop.iter().filter(|p| p.moved && p.simulated).count(),
            distinct: super::abc_smc::distinct(&pop),
            distinct_ess: super::abc_smc::distinct_ess(&pop),
        };
        Ok(Some((pop, sum)))
    }

    /// Particles of generation `g` already computed by shards.
    pub fn load_shards(&self, g: usize, problem: &Problem) -> Result<BTreeMap<usize, Particle>> {
        let mut out = BTreeMap::new();
        for p in self.shard_files(g)? {
            for (i, part) in Self::parse(&p, problem)?.0 {
                out.insert(i, part);
            }
        }
        Ok(out)
    }

    /// Every saved generation, in order.
    pub fn generations(&self, problem: &Problem) -> Result<Vec<Vec<Particle>>> {
        let mut out = Vec::new();
        let mut g = 0;
        while let Some((p, _)) = self.load(g, problem)? {
            out.push(p);
            g += 1;
        }
        Ok(out)
    }
}
