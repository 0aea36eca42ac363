//! The files of a finished calibration: `posterior.csv`, `parameters.csv`,
//! `fit.csv`, `schedule.csv`, `calibrated.toml`, `holdout.csv`,
//! `crossval.csv` and `manifest.json`.
//!
//! Rules: every figure is computed from the saved particles; posterior
//! summaries are weighted quantiles of the last generation; the
//! posterior-predictive mean and 90% interval of a target are the weighted
//! mean and 5%/95% quantiles of the last generation's simulated values.
//! Numbers use Rust's shortest round-trip form. The manifest's `identity`
//! is what `--resume` compares.

use std::ops::Range;

use serde_json::{Value, json};

use super::abc_smc::{Particle, weighted_quantile};
use super::crossval::Scores;
use super::distance;
use super::store::{Store, write_manifest};
use super::targets::Target;
use super::{Job, Posterior};
use crate::sweep::files::field;
use crate::sweep::folder::write_atomic;
use crate::{Error, Result};

/// The progress bar over every particle of every generation.
pub fn progress(total: usize, quiet: bool) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} particles · {msg} · elapsed {elapsed} · ETA {eta}",
    ) {
        bar.set_style(style);
    }
    bar.set_message("ABC-SMC");
    bar
}

/// Weighted posterior-predictive mean of the simulated values in `range`.
pub fn predictive(pop: &[Particle], range: Range<usize>) -> Vec<f64> {
    range
        .map(|k| {
            let (mut s, mut w) = (0.0, 0.0);
            for p in pop.iter().filter(|p| p.weight > 0.0 && !p.sims[k].is_nan()) {
                s += p.weight * p.sims[k];
                w += p.weight;
            }
            if w > 0.0 { s / w } else { f64::NAN }
        })
        .collect()
}

fn sha(text: &str) -> String {
    crate::scenario::sha256_hex(text.as_bytes())
}

/// The manifest of a job before it runs (identity and settings).
pub fn identity(job: &Job) -> Value {
    let s = &job.settings;
    json!({
        "tool": "tiaokuai",
        "version": crate::VERSION,
        "command": "calibrate",
        "identity": {
            "method": "abc-smc",
            "kernel": s.kernel.id(),
            "scenario_sha256": sha(job.scenario_text),
            "targets_sha256": sha(job.targets_text),
            "holdout_sha256": job.holdout.map(|(_, t)| sha(t)),
            "parameters": job.problem.names(),
            "particles": s.particles,
            "generations": s.generations,
            "alpha": s.alpha,
            "min_tolerance": s.min_tolerance,
            "seed": s.seed,
            "replicates": job.problem.replicates,
            "strategy": job.problem.strategy,
        },
        "scenario_file": job.scenario_file.display().to_string(),
        "targets_file": job.targets_file.display().to_string(),
        "holdout_file": job.holdout.map(|(p, _)| p.display().to_string()),
        "shard": job.opts.shard.map(|s| format!("{}/{}", s.index, s.count)),
        "complete": false,
    })
}

fn n(x: f64) -> String {
    crate::output::num(x)
}

/// Posterior summary of parameter `j`: (mean, p05, median, p95).
pub fn summary(pop: &[Particle], j: usize) -> (f64, f64, f64, f64) {
    let x: Vec<f64> = pop.iter().map(|p| p.theta[j]).collect();
    let w: Vec<f64> = pop.iter().map(|p| p.weight).collect();
    let tw: f64 = w.iter().sum();
    let mean = x.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() / tw;
    (
        mean,
        weighted_quantile(&x, &w, 0.05),
        weighted_quantile(&x, &w, 0.5),
        weighted_quantile(&x, &w, 0.95),
    )
}

fn csv_line(cells: &[String]) -> String {
    let mut s = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    s.push('\n');
    s
}

/// `fit.csv` rows of `targets` (`offset` = index of their first sim).
fn fit_rows(out: &mut String, pop: &[Particle], targets: &[Target], offset: usize, used: &str) {
    let w: Vec<f64> = pop.iter().map(|p| p.weight).collect();
    let mean = predictive(pop, offset..offset + targets.len());
    for (k, t) in targets.iter().enumerate() {
        let x: Vec<f64> = pop.iter().map(|p| p.sims[offset + k]).collect();
        out.push_str(&csv_line(&[
            t.line.to_string(),
            t.kind.id().into(),
            t.scope.clone(),
            t.metric.clone(),
            t.year.to_string(),
            t.threshold.map(n).unwrap_or_default(),
            n(t.value),
            n(t.sd),
            used.into(),
            n(mean[k]),
            n(weighted_quantile(&x, &w, 0.05)),
            n(weighted_quantile(&x, &w, 0.95)),
            n(distance::z(mean[k], t)),
            t.source.clone(),
        ]));
    }
}

fn scores_csv(rows: &[Scores]) -> String {
    let mut s = String::from("set,kind,n,rmse,spearman,kendall,tier_accuracy\n");
    for r in rows {
        s.push_str(&csv_line(&[
            r.set.clone(),
            r.kind.clone(),
            r.n.to_string(),
            n(r.rmse),
            n(r.spearman),
            n(r.kendall),
            n(r.tier_accuracy),
        ]));
    }
    s
}

/// The scenario with the posterior medians written back, as TOML text.
pub fn calibrated_toml(job: &Job, pop: &[Particle]) -> Result<String> {
    let p = job.problem;
    let med: Vec<f64> = (0..p.paths.len()).map(|j| summary(pop, j).2).collect();
    let table = p.table_at(&med).map_err(Error::Other)?;
    crate::scenario::from_table(table.clone(), Some(job.scenario_file))?;
    let body = toml::to_string(&table)
        .map_err(|e| Error::Other(format!("cannot write the calibrated scenario: {e}")))?;
    let mut head = format!(
        "# {} calibrated by `tiaokuai calibrate` (ABC-SMC, {} kernel, {} particles, {} generations, seed {})\n\
         # against {}: each parameter below is set to its posterior median.\n",
        job.scenario_file.display(),
        job.settings.kernel.id(),
        job.settings.particles,
        job.settings.generations,
        job.settings.seed,
        job.targets_file.display()
    );
    for (j, (path, _)) in p.paths.iter().enumerate() {
        let (_, lo, m, hi) = summary(pop, j);
        head.push_str(&format!(
            "#   {path} = {} (90% interval {} to {})\n",
            n(m),
            n(lo),
            n(hi)
        ));
    }
    head.push('\n');
    Ok(head + &body)
}

/// Write every output into the store's folder and complete the manifest.
pub fn write_all(
    job: &Job,
    st: &Store,
    post: &Posterior,
    holdout: &[Scores],
    folds: &[Scores],
    wall: f64,
) -> Result<()> {
    let p = job.problem;
    let names = p.names();
    let pop = &post.population;
    let dir = &st.dir;
    // posterior.csv: every generation's particles.
    let mut text = String::from("generation,particle,weight,distance");
    for nm in &names {
        text.push(',');
        text.push_str(&field(nm));
    }
    text.push('\n');
    for (g, particles) in st.generations(p)?.iter().enumerate() {
        for (i, q) in particles.iter().enumerate() {
            text.push_str(&format!("{g},{i},{},{}", n(q.weight), n(q.distance)));
            for x in &q.theta {
                text.push_str(&format!(",{}", n(*x)));
            }
            text.push('\n');
        }
    }
    write_atomic(&dir.join("posterior.csv"), text.as_bytes())?;
    // parameters.csv
    let mut text = String::from(
        "parameter,prior,prior_p05,prior_p50,prior_p95,posterior_mean,posterior_p05,posterior_median,posterior_p95\n",
    );
    for (j, nm) in names.iter().enumerate() {
        let d = &p.priors[j];
        let (mean, lo, med, hi) = summary(pop, j);
        text.push_str(&csv_line(&[
            nm.clone(),
            d.kind().into(),
            n(d.quantile(0.05)),
            n(d.quantile(0.5)),
            n(d.quantile(0.95)),
            n(mean),
            n(lo),
            n(med),
            n(hi),
        ]));
    }
    write_atomic(&dir.join("parameters.csv"), text.as_bytes())?;
    // fit.csv
    let mut text = String::from(
        "line,kind,scope,metric,year,threshold,observed,sd,used,predicted_mean,predicted_p05,predicted_p95,z,source\n",
    );
    fit_rows(&mut text, pop, &p.fit, 0, "fit");
    fit_rows(&mut text, pop, &p.holdout, p.fit.len(), "holdout");
    write_atomic(&dir.join("fit.csv"), text.as_bytes())?;
    // schedule.csv
    let mut text = String::from(
        "generation,tolerance,ess,resampled,simulations,accepted,distinct,distinct_ess\n",
    );
    for g in &post.schedule {
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            g.generation,
            n(g.tolerance),
            n(g.ess),
            g.resampled,
            g.simulations,
            g.accepted,
            g.distinct,
            n(g.distinct_ess)
        ));
    }
    write_atomic(&dir.join("schedule.csv"), text.as_bytes())?;
    write_atomic(
        &dir.join("calibrated.toml"),
        calibrated_toml(job, pop)?.as_bytes(),
    )?;
    let mut files = vec![
        "scenario.toml",
        "targets.csv",
        "generations/",
        "posterior.csv",
        "parameters.csv",
        "fit.csv",
        "schedule.csv",
        "calibrated.toml",
    ];
    if job.holdout.is_some() {
        files.push("holdout-targets.csv");
        write_atomic(&dir.join("holdout.csv"), scores_csv(holdout).as_bytes())?;
        files.push("holdout.csv");
    }
    if !folds.is_empty() {
        write_atomic(&dir.join("crossval.csv"), scores_csv(folds).as_bytes())?;
        files.push("crossval.csv");
    }
    files.push("manifest.json");
    let mut m = identity(job);
    m["complete"] = json!(true);
    m["simulations"] = json!(post.simulations);
    m["final_tolerance"] = json!(post.schedule.last().map(|g| g.tolerance));
    m["threads"] = json!(job.opts.threads.unwrap_or_else(rayon::current_num_threads));
    m["wall_time_s"] = json!((wall * 1000.0).round() / 1000.0);
    m["files"] = json!(files);
    write_manifest(dir, &m)
}
