//! The shipped calibration of real China and `docs/validation.md`.
//!
//! Every number in the generated sections of `docs/validation.md` comes
//! from the calibration's output tables under `data/calibration/china/`
//! (copied from a `tiaokuai calibrate` folder by
//! `scripts/calibrate-china.sh`) or from running
//! `scenarios/china-calibrated.toml`; this test regenerates the sections
//! and the 2019 ranking table and compares them with the files
//! (`BLESS=1 cargo test --release --test validation_doc` rewrites them).
//! It also checks that the calibrated scenario carries the posterior
//! medians, that the tables belong to the shipped targets and priors, and
//! that the held-out targets are exactly the rows the fit left out.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tiaokuai::calibrate::abc_smc::weighted_quantile;
use tiaokuai::catalog::provinces::PROVINCES;
use tiaokuai::experiment::run_scopes;
use tiaokuai::scenario;
use tiaokuai::sim::{Context, Runner};
use tiaokuai::world::scopes::ScopeKind;

type Row = BTreeMap<String, String>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cal_dir() -> PathBuf {
    root().join("data/calibration/china")
}

/// Rows of a CSV file (lines starting with `#` skipped), by column name.
fn read_csv(path: &Path) -> Vec<Row> {
    common::csv_records(path)
}

fn num(r: &Row, k: &str) -> f64 {
    r[k].parse()
        .unwrap_or_else(|_| panic!("column {k}: `{}` is not a number", r[k]))
}

/// A number with `d` decimals.
fn f(x: f64, d: usize) -> String {
    format!("{x:.d$}")
}

/// A whole number as it is, another with about three significant digits.
fn g(x: f64) -> String {
    let a = x.abs();
    if x.fract() == 0.0 && a < 1e6 {
        f(x, 0)
    } else if a >= 100.0 {
        f(x, 1)
    } else if a >= 10.0 {
        f(x, 2)
    } else if a >= 1.0 {
        f(x, 3)
    } else {
        f(x, 4)
    }
}

/// What a target row observes, in words.
fn target_label(r: &Row) -> String {
    match r["kind"].as_str() {
        "count" => format!(
            "provinces with `{}` > {} in {}",
            r["metric"], r["threshold"], r["year"]
        ),
        _ => format!("`{}` at `{}` in {}", r["metric"], r["scope"], r["year"]),
    }
}

fn posterior_table(params: &[Row]) -> String {
    let mut s = String::from(
        "| parameter | prior | prior 5%–95% | posterior median | posterior 90% interval |\n|---|---|---|---|---|\n",
    );
    for r in params {
        writeln!(
            s,
            "| `{}` | {} | {} – {} | {} | {} – {} |",
            r["parameter"],
            r["prior"],
            g(num(r, "prior_p05")),
            g(num(r, "prior_p95")),
            g(num(r, "posterior_median")),
            g(num(r, "posterior_p05")),
            g(num(r, "posterior_p95")),
        )
        .unwrap();
    }
    s
}

fn fit_table(fit: &[Row]) -> String {
    let mut s = String::from(
        "| line | target | observed | sd | simulated mean | simulated 90% interval | z | used |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in fit {
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} – {} | {} | {} |",
            r["line"],
            target_label(r),
            g(num(r, "observed")),
            g(num(r, "sd")),
            g(num(r, "predicted_mean")),
            g(num(r, "predicted_p05")),
            g(num(r, "predicted_p95")),
            f(num(r, "z"), 2),
            r["used"],
        )
        .unwrap();
    }
    s
}

fn schedule_table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| generation | tolerance (RMS z) | ESS | resampled | simulations | accepted moves |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            r["generation"],
            if r["tolerance"] == "inf" {
                "∞".to_string()
            } else {
                f(num(r, "tolerance"), 3)
            },
            f(num(r, "ess"), 1),
            r["resampled"],
            r["simulations"],
            r["accepted"],
        )
        .unwrap();
    }
    s
}

fn scores_table(rows: &[Row]) -> String {
    let mut s = String::from(
        "| set | kind | targets | RMSE | Spearman ρ | Kendall τ | tier accuracy |\n|---|---|---|---|---|---|---|\n",
    );
    let cell = |r: &Row, k: &str| {
        if r[k] == "NaN" || r[k].is_empty() {
            "–".to_string()
        } else {
            f(num(r, k), 2)
        }
    };
    for r in rows {
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r["set"],
            r["kind"],
            r["n"],
            cell(r, "rmse"),
            cell(r, "spearman"),
            cell(r, "kendall"),
            cell(r, "tier_accuracy"),
        )
        .unwrap();
    }
    s
}

/// The last generation's particles: (weight, parameter vector) of those
/// with positive weight, parameters in the order of `names`.
fn last_generation(names: &[String]) -> Vec<(f64, Vec<f64>)> {
    read_csv(&cal_dir().join("last-generation.csv"))
        .iter()
        .map(|r| (num(r, "weight"), names.iter().map(|n| num(r, n)).collect()))
        .filter(|(w, _)| *w > 0.0)
        .collect()
}

/// How concentrated the posterior is: particles, distinct vectors, and
/// the weight of the three heaviest vectors.
fn particles_line(pop: &[(f64, Vec<f64>)]) -> String {
    let mut by: BTreeMap<Vec<u64>, f64> = BTreeMap::new();
    for (w, th) in pop {
        *by.entry(th.iter().map(|x| x.to_bits()).collect())
            .or_default() += w;
    }
    let total: f64 = pop.iter().map(|p| p.0).sum();
    let mut ws: Vec<f64> = by.values().copied().collect();
    ws.sort_by(|a, b| b.total_cmp(a));
    let top: f64 = ws.iter().take(3).sum();
    format!(
        "{} particles with positive weight hold {} distinct parameter vectors; the three heaviest carry {}% of the weight.\n",
        pop.len(),
        by.len(),
        f(100.0 * top / total, 1)
    )
}

/// The range of each target's simulated value over the prior sample
/// (generation 0): what any parameter values within the priors can reach.
fn prior_reach_table(fit: &[Row]) -> String {
    let rows = read_csv(&cal_dir().join("first-generation.csv"));
    let mut s = String::from(
        "| line | target | observed | lowest simulated | highest simulated | valid simulations |\n|---|---|---|---|---|---|\n",
    );
    for (k, r) in fit.iter().enumerate() {
        let v: Vec<f64> = rows
            .iter()
            .map(|x| num(x, &format!("sim_{k}")))
            .filter(|x| !x.is_nan())
            .collect();
        let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} of {} |",
            r["line"],
            target_label(r),
            g(num(r, "observed")),
            g(lo),
            g(hi),
            v.len(),
            rows.len()
        )
        .unwrap();
    }
    s
}

/// The targets missed by more than two sd.
fn misses_line(fit: &[Row]) -> String {
    let missed: Vec<String> = fit
        .iter()
        .filter(|r| num(r, "z").abs() > 2.0)
        .map(|r| format!("line {} (z = {})", r["line"], f(num(r, "z"), 1)))
        .collect();
    format!(
        "Targets missed by more than 2 sd: {} of {}{}.\n",
        missed.len(),
        fit.len(),
        if missed.is_empty() {
            String::new()
        } else {
            format!(": {}", missed.join(", "))
        }
    )
}

/// Run facts from a manifest: simulations, final tolerance, threads.
fn manifest_line(path: &Path) -> String {
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let id = &m["identity"];
    format!(
        "{} particles × {} generations after the prior sample, seed {}, {} replicate per simulation; {} simulations; final tolerance {} (RMS z).\n",
        id["particles"],
        id["generations"],
        id["seed"],
        id["replicates"],
        m["simulations"],
        f(m["final_tolerance"].as_f64().unwrap(), 3),
    )
}

/// The year-end 2019 province maturity index of the calibrated scenario's
/// baseline strategy over its replicates: the ranking table (CSV) and its
/// markdown with region means.
fn ranking_2019() -> (String, String) {
    let sc = scenario::load(&root().join("scenarios/china-calibrated.toml")).unwrap();
    let start = sc
        .run
        .start_year
        .expect("china-calibrated.toml sets start_year");
    let ctx = Context::new(sc).unwrap();
    let strategy = ctx.scenario.baseline_index();
    let t = ((2019 - start + 1) * 4) as usize;
    let m = ctx.metrics.index("maturity_index").unwrap();
    let scopes = &ctx.world.scopes.scopes;
    let provs: Vec<usize> = (0..scopes.len())
        .filter(|&i| scopes[i].kind == ScopeKind::Province)
        .collect();
    assert_eq!(provs.len(), 31);
    let reps = ctx.scenario.run.replicates;
    let mut values = vec![Vec::new(); provs.len()];
    let mut runner = Runner::new(&ctx);
    for r in 0..reps {
        let s = run_scopes(&ctx, &mut runner, strategy, r);
        for (k, &p) in provs.iter().enumerate() {
            values[k].push(s.at(t, p, m));
        }
    }
    let mut rows: Vec<(String, String, &'static str, f64, f64)> = provs
        .iter()
        .zip(&values)
        .map(|(&p, v)| {
            let info = PROVINCES.iter().find(|x| x.id == scopes[p].id).unwrap();
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            (
                info.id.to_string(),
                info.name_zh.to_string(),
                info.region.id(),
                mean,
                sd,
            )
        })
        .collect();
    rows.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let mut csv = String::from(
        "rank,province,name_zh,region,maturity_index_mean,maturity_index_sd,replicates\n",
    );
    let mut md = String::from(
        "| rank | province | region | maturity index 2019 (mean ± sd over replicates) |\n|---|---|---|---|\n",
    );
    for (i, (id, zh, region, mean, sd)) in rows.iter().enumerate() {
        writeln!(csv, "{},{id},{zh},{region},{mean},{sd},{reps}", i + 1).unwrap();
        writeln!(
            md,
            "| {} | {id} {zh} | {region} | {} ± {} |",
            i + 1,
            f(*mean, 1),
            f(*sd, 1)
        )
        .unwrap();
    }
    md.push_str(
        "\n| region | provinces | mean of province indices | mean rank |\n|---|---|---|---|\n",
    );
    for region in ["east", "central", "west", "northeast"] {
        let of: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.2 == region)
            .map(|(i, r)| (i + 1, r.3))
            .collect();
        let n = of.len() as f64;
        writeln!(
            md,
            "| {region} | {} | {} | {} |",
            of.len(),
            f(of.iter().map(|x| x.1).sum::<f64>() / n, 1),
            f(of.iter().map(|x| x.0 as f64).sum::<f64>() / n, 1),
        )
        .unwrap();
    }
    (csv, md)
}

/// Replace the body of every `<!-- BEGIN generated:NAME -->` …
/// `<!-- END generated:NAME -->` block of `doc`.
fn fill(doc: &str, sections: &[(&str, String)]) -> String {
    let mut out = doc.to_string();
    for (name, body) in sections {
        let (b, e) = (
            format!("<!-- BEGIN generated:{name} -->\n"),
            format!("<!-- END generated:{name} -->"),
        );
        let i = out
            .find(&b)
            .unwrap_or_else(|| panic!("docs/validation.md has no `{}`", b.trim()))
            + b.len();
        let j = i + out[i..]
            .find(&e)
            .unwrap_or_else(|| panic!("docs/validation.md has no `{e}`"));
        out.replace_range(i..j, body);
    }
    out
}

fn check_or_bless(path: &Path, want: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have != want {
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(path, want).unwrap();
        } else {
            panic!(
                "{} is stale: run `BLESS=1 cargo test --release --test validation_doc`",
                path.display()
            );
        }
    }
}

#[test]
fn validation_doc_tables_come_from_the_shipped_calibration() {
    let dir = cal_dir();
    let params = read_csv(&dir.join("parameters.csv"));
    let names: Vec<String> = params.iter().map(|r| r["parameter"].clone()).collect();
    let fit = read_csv(&dir.join("fit.csv"));
    let schedule = read_csv(&dir.join("schedule.csv"));
    let ho_dir = dir.join("holdout-2021");
    let ho_fit = read_csv(&ho_dir.join("fit.csv"));
    let ho_scores = read_csv(&ho_dir.join("holdout.csv"));
    let ho_params = read_csv(&ho_dir.join("parameters.csv"));
    let (ranking_csv, ranking_md) = ranking_2019();
    check_or_bless(&dir.join("ranking-2019.csv"), &ranking_csv);
    let doc_path = root().join("docs/validation.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let want = fill(
        &doc,
        &[
            ("run", manifest_line(&dir.join("manifest.json"))),
            ("posterior", posterior_table(&params)),
            ("fit", fit_table(&fit)),
            ("misses", misses_line(&fit)),
            ("reach", prior_reach_table(&fit)),
            ("particles", particles_line(&last_generation(&names))),
            ("schedule", schedule_table(&schedule)),
            ("holdout-run", manifest_line(&ho_dir.join("manifest.json"))),
            ("holdout-fit", fit_table(&ho_fit)),
            ("holdout-scores", scores_table(&ho_scores)),
            ("holdout-posterior", posterior_table(&ho_params)),
            ("ranking", ranking_md),
        ],
    );
    check_or_bless(&doc_path, &want);
}

#[test]
fn fill_replaces_only_the_marked_blocks() {
    let doc = "a\n<!-- BEGIN generated:x -->\nold\n<!-- END generated:x -->\nb\n";
    assert_eq!(
        fill(doc, &[("x", "new\n".into())]),
        "a\n<!-- BEGIN generated:x -->\nnew\n<!-- END generated:x -->\nb\n"
    );
}

/// The value at a dotted path of a TOML tree.
fn at<'a>(t: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    let mut parts = path.split('.');
    let mut v = t.get(parts.next()?)?;
    for p in parts {
        v = v.as_table()?.get(p)?;
    }
    Some(v)
}

/// Parameters whose value in `calibrated` differs from the posterior median
/// of `params` (parameters.csv rows).
fn median_mismatches(calibrated: &toml::Table, params: &[Row]) -> Vec<String> {
    params
        .iter()
        .filter_map(|r| {
            let path = &r["parameter"];
            let want = num(r, "posterior_median");
            let have = at(calibrated, path)
                .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
            (have != Some(want)).then(|| format!("{path}: {have:?} vs median {want}"))
        })
        .collect()
}

#[test]
fn china_calibrated_carries_the_posterior_medians() {
    let text = std::fs::read_to_string(root().join("scenarios/china-calibrated.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let params = read_csv(&cal_dir().join("parameters.csv"));
    assert_eq!(params.len(), 6);
    assert_eq!(median_mismatches(&table, &params), Vec::<String>::new());
    // The file says where it came from, and is not itself a study.
    assert!(text.contains("scenarios/china-real.toml") && text.contains("data/targets/china.csv"));
    assert!(table.get("uncertainty").is_none());
    // Negative control: a value moved off its median is caught.
    let mut moved = table.clone();
    let first = &params[0]["parameter"];
    let (head, leaf) = first.rsplit_once('.').unwrap();
    let mut t = &mut moved;
    for p in head.split('.') {
        t = t.get_mut(p).unwrap().as_table_mut().unwrap();
    }
    t.insert(
        leaf.into(),
        toml::Value::Float(num(&params[0], "posterior_median") + 0.01),
    );
    assert_eq!(median_mismatches(&moved, &params).len(), 1);
}

#[test]
fn shipped_tables_belong_to_the_shipped_targets_and_priors() {
    // Every fitted row of fit.csv is a row of data/targets/china.csv, in order.
    let targets = read_csv(&root().join("data/targets/china.csv"));
    let fit = read_csv(&cal_dir().join("fit.csv"));
    let key = |r: &Row| {
        (
            r["kind"].clone(),
            r["scope"].clone(),
            r["metric"].clone(),
            r["year"].clone(),
            r["threshold"].parse::<f64>().ok().map(f64::to_bits),
            num(r, "value").to_bits(),
        )
    };
    let fit_key = |r: &Row| {
        (
            r["kind"].clone(),
            r["scope"].clone(),
            r["metric"].clone(),
            r["year"].clone(),
            r["threshold"].parse::<f64>().ok().map(f64::to_bits),
            num(r, "observed").to_bits(),
        )
    };
    let want: Vec<_> = targets.iter().map(key).collect();
    let have: Vec<_> = fit.iter().map(fit_key).collect();
    assert_eq!(have, want);
    // The held-out run fitted the other rows and held out the 2021 rows.
    let ho = read_csv(&cal_dir().join("holdout-2021/fit.csv"));
    let (mut used, mut held): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for r in &ho {
        if r["used"] == "fit" {
            used.push(fit_key(r))
        } else {
            held.push(fit_key(r))
        }
    }
    let (w_used, w_held): (Vec<_>, Vec<_>) = want.iter().cloned().partition(|k| k.3 != "2021");
    assert_eq!((used, held), (w_used, w_held));
    // The priors in parameters.csv are those of china-real.toml.
    let text = std::fs::read_to_string(root().join("scenarios/china-real.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let priors = tiaokuai::design::parse_uncertainties(&table, None).unwrap();
    let params = read_csv(&cal_dir().join("parameters.csv"));
    assert_eq!(priors.len(), params.len());
    for (p, r) in priors.iter().zip(&params) {
        assert_eq!(p.path, r["parameter"]);
        for (q, col) in [(0.05, "prior_p05"), (0.5, "prior_p50"), (0.95, "prior_p95")] {
            assert_eq!(p.dist.quantile(q), num(r, col), "{} {col}", p.path);
        }
    }
    assert!(
        priors
            .iter()
            .any(|p| p.path == "world.statistics.transfer_weight")
    );
}

#[test]
fn posterior_summary_is_that_of_the_shipped_last_generation() {
    let params = read_csv(&cal_dir().join("parameters.csv"));
    let names: Vec<String> = params.iter().map(|r| r["parameter"].clone()).collect();
    let pop = last_generation(&names);
    assert!(pop.len() > 1);
    let w: Vec<f64> = pop.iter().map(|p| p.0).collect();
    for (j, r) in params.iter().enumerate() {
        let x: Vec<f64> = pop.iter().map(|p| p.1[j]).collect();
        for (q, col) in [
            (0.05, "posterior_p05"),
            (0.5, "posterior_median"),
            (0.95, "posterior_p95"),
        ] {
            assert_eq!(
                weighted_quantile(&x, &w, q),
                num(r, col),
                "{} {col}",
                names[j]
            );
        }
    }
    // Control: the same particles with one parameter shifted give another median.
    let mut shifted = pop.clone();
    for p in &mut shifted {
        p.1[0] += 1.0;
    }
    let x: Vec<f64> = shifted.iter().map(|p| p.1[0]).collect();
    assert_ne!(
        weighted_quantile(&x, &w, 0.5),
        num(&params[0], "posterior_median")
    );
}
