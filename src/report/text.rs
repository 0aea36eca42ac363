//! Words and numbers for readers: number formatting, display names of
//! metrics, scopes and strategies in the chosen language, the flattened
//! parameter list, and the plain-words description of a scenario.
//!
//! Rules: every label comes from the catalogue, the metrics table of the
//! run (written from the metrics registry) or the run's own names; nothing
//! here invents a figure — numbers are formatted, never rounded into
//! different values before they reach a table's `data-value`.

use serde_json::Value;

use super::rundir::{MetricInfo, RunDir, ScopeInfo};
use crate::catalog::report_text as rt;
use crate::catalog::{Lang, Level, Region, provinces};

/// A number for display: precision adapted to size, thousands grouped.
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    let s = if a >= 1000.0 {
        group_thousands(&format!("{v:.0}"))
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.' || c == ',') {
        s[1..].to_string()
    } else {
        s
    }
}

fn group_thousands(digits: &str) -> String {
    let (sign, d) = digits.strip_prefix('-').map_or(("", digits), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// "mean [low, high]".
pub fn fmt_interval(mean: f64, lo: f64, hi: f64) -> String {
    let d = decimals_for(&[mean]);
    format!(
        "{} [{}, {}]",
        fmt_fixed(mean, d),
        fmt_fixed(lo, d),
        fmt_fixed(hi, d)
    )
}

/// Decimals for a column of numbers, from its largest magnitude (the
/// scale of [`fmt_num`]), so every number of a column, interval bounds
/// included, has the same format.
pub fn decimals_for(values: &[f64]) -> usize {
    let a = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    if a >= 1000.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    }
}

/// A number with `decimals` decimals, thousands grouped; "–" when not finite.
pub fn fmt_fixed(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{v:.decimals$}");
    let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    };
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let int = group_thousands(int);
    if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    }
}

/// A metric's name in `lang`.
pub fn metric_name(m: &MetricInfo, lang: Lang) -> &str {
    let zh = if m.name_zh.is_empty() {
        &m.name_en
    } else {
        &m.name_zh
    };
    lang.pick(&m.name_en, zh)
}

/// A metric's unit in `lang` (units are short English ids in the registry;
/// the common ones are translated here).
pub fn unit_name(unit: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    let zh = match unit {
        "index 0-100" => "指数 0-100",
        "share 0-1" => "比例 0-1",
        "% of catalogue" => "占事项目录%",
        "million yuan" => "百万元",
        "yuan per person" => "元/人",
        "platforms" => "个平台",
        "innovations" => "项创新",
        "stage 1-5" => "阶段 1-5",
        "index points" => "指数点",
        "Theil T" => "泰尔T指数",
        other => other,
    };
    zh.to_string()
}

/// "Name (unit)" for an axis.
pub fn axis_label(m: &MetricInfo, lang: Lang) -> String {
    format!("{} ({})", metric_name(m, lang), unit_name(&m.unit, lang))
}

/// A scope's name in `lang`.
pub fn scope_name(s: &ScopeInfo, lang: Lang) -> String {
    if lang == Lang::Zh && !s.name_zh.is_empty() {
        return s.name_zh.clone();
    }
    if lang == Lang::En && !s.name.is_empty() {
        return s.name.clone();
    }
    // Fall back to the catalogue for ids it knows.
    let known = match s.level.as_str() {
        "level" => Level::from_id(&s.id).map(|l| l.name(lang).to_string()),
        "region" => Region::from_id(&s.id).map(|r| r.name(lang).to_string()),
        "province" => provinces::find(&s.id).map(|p| lang.pick(p.name_en, p.name_zh).to_string()),
        _ => None,
    };
    known.unwrap_or_else(|| s.id.clone())
}

/// The heading for a kind of scope.
pub fn scope_level_name(level: &str, lang: Lang) -> String {
    match level {
        "world" => rt::SCOPE_WORLD.get(lang).into(),
        "level" => rt::SCOPE_LEVEL.get(lang).into(),
        "region" => rt::SCOPE_REGION.get(lang).into(),
        "province" => rt::SCOPE_PROVINCE.get(lang).into(),
        "rank" => rt::SCOPE_RANK.get(lang).into(),
        other => other.into(),
    }
}

/// Flatten JSON into (dotted path, value) pairs in document order;
/// arrays of objects use their `name` (or index) as the path step.
pub fn flatten(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    let join = |p: &str, k: &str| {
        if p.is_empty() {
            k.to_string()
        } else {
            format!("{p}.{k}")
        }
    };
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                walk(x, join(&path, k), out);
            }
        }
        Value::Array(items) if items.iter().any(|x| x.is_object() || x.is_array()) => {
            for (i, x) in items.iter().enumerate() {
                let step = x
                    .get("name")
                    .and_then(Value::as_str)
                    .map_or(format!("[{i}]"), |n| format!("[{n}]"));
                walk(x, format!("{path}{step}"), out);
            }
        }
        Value::String(s) => out.push((path, s.clone())),
        Value::Null => out.push((path, String::new())),
        other => out.push((path, other.to_string())),
    }
}

/// The per-strategy parameter objects of the resolved scenario, by name,
/// whether the manifest holds them as an array (`strategies = [{name, …}]`,
/// or `strategy`) or as a table keyed by name.
fn strategy_params(resolved: &Value) -> Vec<(String, &Value)> {
    for key in ["strategies", "strategy"] {
        match resolved.get(key) {
            Some(Value::Array(items)) => {
                return items
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let name = p
                            .get("name")
                            .and_then(Value::as_str)
                            .map_or(format!("{i}"), String::from);
                        (name, p)
                    })
                    .collect();
            }
            Some(Value::Object(map)) => return map.iter().map(|(k, p)| (k.clone(), p)).collect(),
            _ => {}
        }
    }
    Vec::new()
}

/// The short name of the strategy lever a dotted key belongs to
/// ("levers.platforms" → "Platform deployment"), from the catalogue.
pub fn lever_name(key: &str, lang: Lang) -> Option<&'static str> {
    rt::LEVER_NAMES
        .iter()
        .find(|(id, _)| key.split(['.', '[']).any(|seg| seg == *id))
        .map(|(_, name)| name.get(lang))
}

/// For each strategy, the settings in which it differs from at least one
/// other strategy ("Lever: key = value"), in scenario order.
pub fn strategy_differences(run: &RunDir, lang: Lang) -> Vec<(String, Vec<String>)> {
    let params = strategy_params(&run.manifest.resolved);
    let flat: Vec<(String, Vec<(String, String)>)> = params
        .iter()
        .map(|(n, p)| (n.clone(), flatten(p)))
        .collect();
    let mut keys: Vec<&String> = flat
        .iter()
        .flat_map(|(_, f)| f.iter().map(|(k, _)| k))
        .collect();
    keys.sort();
    keys.dedup();
    let lookup = |i: usize, k: &str| {
        flat[i]
            .1
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_str())
    };
    let differing: Vec<&String> = keys
        .into_iter()
        .filter(|k| {
            !matches!(
                k.as_str(),
                "name" | "name_zh" | "description" | "description_zh"
            )
        })
        .filter(|k| (1..flat.len()).any(|i| lookup(i, k) != lookup(0, k)))
        .collect();
    run.manifest
        .strategies
        .iter()
        .map(|n| {
            let items = match flat.iter().position(|(name, _)| name == n) {
                Some(i) => differing
                    .iter()
                    .filter_map(|k| {
                        let v = lookup(i, k)?;
                        Some(match lever_name(k, lang) {
                            Some(lever) => format!("{lever}: {k} = {v}"),
                            None => format!("{k} = {v}"),
                        })
                    })
                    .collect(),
                None => Vec::new(),
            };
            (n.clone(), items)
        })
        .collect()
}

/// A strategy's description from the resolved scenario, if it has one: the
/// Chinese one (`description_zh`) in a Chinese report when given, else the English.
pub fn strategy_description(run: &RunDir, name: &str, lang: Lang) -> Option<String> {
    let params = strategy_params(&run.manifest.resolved)
        .into_iter()
        .find(|(n, _)| n == name)?
        .1;
    let get = |k: &str| {
        params
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    match lang {
        Lang::Zh => get("description_zh").or_else(|| get("description")),
        Lang::En => get("description"),
    }
}

/// A count written as a whole number with thousands separators ("98", "12,345").
pub fn fmt_count(n: u64) -> String {
    group_thousands(&n.to_string())
}

/// The world preset's display name ("province", "china", "csv" in English).
pub fn preset_name(id: &str, lang: Lang) -> &str {
    match (lang, id) {
        (Lang::Zh, "province") => "合成省",
        (Lang::Zh, "china") => "全国",
        (Lang::Zh, "csv") => "区划代码表",
        _ => id,
    }
}

/// "12 province, 140 city, …" from the manifest's world summary.
pub fn units_by_level(run: &RunDir, lang: Lang) -> (u64, String) {
    let Some(map) = run
        .manifest
        .world
        .get("units_by_level")
        .and_then(Value::as_object)
    else {
        return (0, String::new());
    };
    let mut parts: Vec<(usize, String, u64)> = map
        .iter()
        .filter_map(|(k, v)| {
            let n = v.as_u64()?;
            let (order, name) = Level::from_id(k)
                .map_or((99, k.clone()), |l| (l as usize, l.name(lang).to_string()));
            Some((order, name, n))
        })
        .collect();
    parts.sort();
    let total = parts.iter().map(|p| p.2).sum();
    let sep = lang.pick(", ", "，");
    let text = parts
        .iter()
        .map(|(_, name, n)| format!("{name} {}", group_thousands(&n.to_string())))
        .collect::<Vec<_>>()
        .join(sep);
    (total, text)
}

/// A whole-number field of the manifest's world summary.
pub fn world_count(run: &RunDir, key: &str) -> u64 {
    run.manifest
        .world
        .get(key)
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

/// How the two best strategies on a metric stand at the horizon, judged by
/// their paired differences (same replicate, same draws).
#[derive(Debug, Clone, PartialEq)]
pub enum Lead {
    /// `a` is better than `b`: the paired 95% interval excludes zero.
    Ahead {
        a: usize,
        b: usize,
        diff: f64,
        lo: f64,
        hi: f64,
        wins: usize,
        n: usize,
    },
    /// The paired 95% interval of `a − b` covers zero.
    Tied {
        a: usize,
        b: usize,
        lo: f64,
        hi: f64,
    },
    /// Every strategy has the same value in every replicate.
    Identical,
}

/// The lead on `metric` at the horizon: the strategy with the best mean
/// against the next best, from their paired differences. `None` with one
/// strategy, for a metric without a better direction, or without values.
pub fn lead(run: &RunDir, metric: usize) -> Option<Lead> {
    let sign = run.metrics[metric].direction.sign();
    let n = run.manifest.strategies.len();
    if sign == 0.0 || n < 2 {
        return None;
    }
    let t = run.times - 1;
    let mut order: Vec<(usize, f64)> = (0..n)
        .filter_map(|s| {
            let m = crate::stats::mean(&run.world_values(s, metric, t))?;
            Some((s, m * sign))
        })
        .collect();
    if order.len() < 2 {
        return None;
    }
    // Best first; equal means keep scenario order.
    order.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let identical = order.iter().all(|&(s, _)| {
        run.paired_differences(s, order[0].0, metric)
            .iter()
            .all(|d| *d == 0.0)
    });
    if identical {
        return Some(Lead::Identical);
    }
    let (a, b) = (order[0].0, order[1].0);
    let d: Vec<f64> = run
        .paired_differences(a, b, metric)
        .iter()
        .map(|x| x * sign)
        .collect();
    let st = crate::stats::summarize(&d)?;
    // Back in the metric's own direction for display.
    let (lo, hi) = if sign > 0.0 {
        (st.ci95_low, st.ci95_high)
    } else {
        (-st.ci95_high, -st.ci95_low)
    };
    if st.n < 2 || st.ci95_low <= 0.0 {
        return Some(Lead::Tied { a, b, lo, hi });
    }
    Some(Lead::Ahead {
        a,
        b,
        diff: st.mean * sign,
        lo,
        hi,
        wins: d.iter().filter(|x| **x > 0.0).count(),
        n: st.n,
    })
}

/// The sentence for a [`Lead`].
pub fn lead_sentence(run: &RunDir, lead: &Lead, lang: Lang) -> String {
    let years = run.manifest.years.to_string();
    let name = |i: usize| run.strategy_label(i, lang);
    match lead {
        Lead::Ahead {
            a,
            b,
            diff,
            lo,
            hi,
            wins,
            n,
        } => rt::LEAD_AHEAD.fill(
            lang,
            &[
                ("years", &years),
                ("a", &name(*a)),
                ("b", &name(*b)),
                ("diff", &fmt_num(diff.abs())),
                ("lo", &fmt_num(*lo)),
                ("hi", &fmt_num(*hi)),
                ("wins", &wins.to_string()),
                ("n", &n.to_string()),
            ],
        ),
        Lead::Tied { a, b, lo, hi } => rt::LEAD_TIED.fill(
            lang,
            &[
                ("years", &years),
                ("a", &name(*a)),
                ("b", &name(*b)),
                ("lo", &fmt_num(*lo)),
                ("hi", &fmt_num(*hi)),
            ],
        ),
        Lead::Identical => rt::LEAD_IDENTICAL.fill(lang, &[("years", &years)]),
    }
}

/// The shape of a rising curve, measured from its increases between
/// consecutive points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Slow, then fast, then slow: the largest increase is neither the
    /// first nor the last, the first is below ¾ of it and the last below ½.
    SCurve,
    /// The last increase is below ¼ of the largest, which came earlier.
    Plateau,
    /// Still rising at the end.
    Rising,
    /// Moves by less than 1% of its scale over the run.
    Flat,
}

/// Classify a curve sampled at equal steps (e.g. year ends); `scale` is the
/// metric's range (1 for shares).
pub fn shape(points: &[f64], scale: f64) -> Shape {
    let d: Vec<f64> = points.windows(2).map(|w| w[1] - w[0]).collect();
    let total = points.last().copied().unwrap_or(0.0) - points.first().copied().unwrap_or(0.0);
    if d.is_empty() || total.abs() < 0.01 * scale {
        return Shape::Flat;
    }
    let (k, peak) =
        d.iter().copied().enumerate().fold(
            (0, f64::MIN),
            |acc, (i, x)| if x > acc.1 { (i, x) } else { acc },
        );
    let last = d[d.len() - 1];
    if d.len() >= 3 && k > 0 && k < d.len() - 1 && d[0] < 0.75 * peak && last < 0.5 * peak {
        Shape::SCurve
    } else if k < d.len() - 1 && last < 0.25 * peak {
        Shape::Plateau
    } else {
        Shape::Rising
    }
}

/// The shape of the leading strategy's mean curve of `metric` over years.
pub fn leading_shape(run: &RunDir, metric: usize) -> Shape {
    let sign = run.metrics[metric].direction.sign();
    let n = run.manifest.strategies.len();
    let years = run.manifest.years;
    let curve = |s: usize| -> Vec<f64> {
        (0..=years)
            .filter_map(|y| crate::stats::mean(&run.world_values(s, metric, 4 * y)))
            .collect()
    };
    let sign = if sign == 0.0 { 1.0 } else { sign };
    let curves: Vec<Vec<f64>> = (0..n).map(curve).collect();
    let end = |s: usize| curves[s].last().map_or(f64::MIN, |v| v * sign);
    // Best end value; among equals the first in scenario order.
    let leader = (0..n).fold(0, |best, s| if end(s) > end(best) { s } else { best });
    let scale = if run.metrics[metric].unit.starts_with("share") {
        1.0
    } else {
        100.0
    };
    shape(&curves[leader], scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run folder with one metric, `adoption_share` (higher is better,
    /// world scope only), whose value is `f(strategy, replicate, year)` at
    /// every quarter of that year.
    fn tiny_run(
        strategies: &[&str],
        replicates: usize,
        years: usize,
        f: impl Fn(usize, usize, usize) -> f64,
    ) -> (tempfile::TempDir, RunDir) {
        tiny_run_in("adoption_share", "", strategies, replicates, years, f)
    }

    /// [`tiny_run`] with another metric id and extra `scopes.csv` rows.
    fn tiny_run_in(
        metric: &str,
        scopes: &str,
        strategies: &[&str],
        replicates: usize,
        years: usize,
        f: impl Fn(usize, usize, usize) -> f64,
    ) -> (tempfile::TempDir, RunDir) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let manifest = serde_json::json!({
            "format": "tiaokuai-run", "format_version": 2,
            "scenario": {"name": "tiny"},
            "seed": 1, "replicates": replicates, "years": years,
            "strategies": strategies, "baseline": strategies[0],
        });
        std::fs::write(d.join("manifest.json"), manifest.to_string()).unwrap();
        std::fs::write(
            d.join("metrics.csv"),
            format!(
                "metric,name_en,name_zh,unit,min,max,direction,aggregation,headline,description\n\
                 {metric},Metric,指标,share 0-1,0,1,higher,mean,true,x\n"
            ),
        )
        .unwrap();
        std::fs::write(
            d.join("scopes.csv"),
            format!("scope_level,scope_id,scope_name,scope_name_zh,units,population\nworld,world,World,全域,1,1\n{scopes}"),
        )
        .unwrap();
        let mut ts = String::from(
            "strategy,replicate,seed,year,quarter,scope_level,scope_id,scope_name,metric,value\n",
        );
        let mut summary =
            String::from("strategy,metric,year,n,mean,sd,ci95_low,ci95_high,p05,p50,p95\n");
        for (s, name) in strategies.iter().enumerate() {
            for r in 0..replicates {
                for t in 0..=4 * years {
                    let (y, q) = if t == 0 {
                        (0, 0)
                    } else {
                        ((t - 1) / 4 + 1, (t - 1) % 4 + 1)
                    };
                    let v = f(s, r, y);
                    ts.push_str(&format!(
                        "{name},{r},1,{y},{q},world,world,World,{metric},{v}\n"
                    ));
                }
            }
            for y in 0..=years {
                let xs: Vec<f64> = (0..replicates).map(|r| f(s, r, y)).collect();
                let st = crate::stats::summarize(&xs).unwrap();
                summary.push_str(&format!(
                    "{name},{metric},{y},{},{},{},{},{},{},{},{}\n",
                    st.n, st.mean, st.sd, st.ci95_low, st.ci95_high, st.p05, st.p50, st.p95
                ));
            }
        }
        std::fs::write(d.join("timeseries.csv"), ts).unwrap();
        std::fs::write(d.join("summary.csv"), summary).unwrap();
        let run = RunDir::load(d).unwrap();
        (dir, run)
    }

    /// Replicate noise shared by the strategies of a replicate (paired).
    fn common(r: usize) -> f64 {
        [0.0, 0.05, -0.04, 0.08, -0.06, 0.02][r % 6]
    }

    #[test]
    fn a_tie_is_named_a_tie() {
        // "a" has the higher mean, but the paired difference flips sign
        // between replicates (+0.018 three times, −0.018 twice): its
        // interval covers zero.
        let (_d, run) = tiny_run(&["a", "b"], 5, 2, |s, r, y| {
            let own = if (r + s) % 2 == 0 { 0.01 } else { -0.008 };
            0.2 * y as f64 + common(r) + own
        });
        let found = lead(&run, 0).unwrap();
        assert!(matches!(found, Lead::Tied { .. }), "{found:?}");
        let text = lead_sentence(&run, &found, Lang::En);
        assert!(
            text.contains("are tied") && text.contains("includes zero"),
            "{text}"
        );
        assert!(!text.contains("leads"), "{text}");
    }

    #[test]
    fn a_lead_with_overlapping_bands_is_still_a_lead() {
        // Replicate noise (shared) is much larger than the difference, so the
        // bands overlap; the paired difference is 0.01 in every replicate.
        let (_d, run) = tiny_run(&["a", "b"], 6, 2, |s, r, y| {
            0.2 * y as f64 + 3.0 * common(r) + 0.01 * s as f64
        });
        let found = lead(&run, 0).unwrap();
        let Lead::Ahead { a, b, wins, n, .. } = found else {
            panic!("{found:?}")
        };
        assert_eq!((a, b, wins, n), (1, 0, 6, 6));
        let text = lead_sentence(&run, &found, Lang::En);
        assert!(
            text.contains("\"b\" leads \"a\"") && text.contains("6 of 6"),
            "{text}"
        );
        // Identical strategies: no strategy is called better.
        let (_d, run) = tiny_run(&["a", "b", "c"], 4, 2, |_, r, y| 0.1 * y as f64 + common(r));
        assert_eq!(lead(&run, 0), Some(Lead::Identical));
    }

    #[test]
    fn a_chart_of_one_group_is_left_out() {
        let html = |scopes: &str| {
            let (_d, run) = tiny_run_in("collab_index", scopes, &["a", "b"], 2, 1, |s, _, y| {
                (s + y) as f64 / 10.0
            });
            crate::report::html::render(&run, Lang::En)
        };
        // One region group and one level: nothing to compare.
        let one = html("region,east,East,东部,10,10\nlevel,city,City,地市,10,10\n");
        assert!(
            !one.contains("data-figure=\"regions\""),
            "bars drawn for one group"
        );
        // One region group but two levels: bars by level, not by region group.
        let levels = html(
            "region,east,East,东部,10,10\nlevel,city,City,地市,5,5\nlevel,county,County,县区,5,5\n",
        );
        assert!(levels.contains("data-figure=\"regions\""));
        assert!(!levels.contains("by Region group") && levels.contains("by Level"));
    }

    #[test]
    fn shapes_are_claimed_only_when_measured() {
        assert_eq!(shape(&[0.0, 0.02, 0.1, 0.4, 0.6, 0.65], 1.0), Shape::SCurve);
        // A straight line is not an S-curve.
        assert_eq!(shape(&[0.0, 0.1, 0.2, 0.3, 0.4, 0.5], 1.0), Shape::Rising);
        assert_eq!(
            shape(&[0.0, 0.4, 0.55, 0.6, 0.61, 0.61], 1.0),
            Shape::Plateau
        );
        assert_eq!(shape(&[0.3, 0.3, 0.301, 0.302], 1.0), Shape::Flat);
        assert_eq!(shape(&[0.3], 1.0), Shape::Flat);
        // Measured on a run: straight lines give no S-curve caption.
        let (_d, run) = tiny_run(&["a", "b"], 3, 5, |s, _, y| {
            0.1 * y as f64 + 0.01 * s as f64
        });
        assert_eq!(leading_shape(&run, 0), Shape::Rising);
    }

    #[test]
    fn numbers_are_readable() {
        assert_eq!(fmt_num(1234567.8), "1,234,568");
        assert_eq!(fmt_num(-1234.0), "-1,234");
        assert_eq!(fmt_num(56.78), "56.8");
        assert_eq!(fmt_num(4.56789), "4.57");
        assert_eq!(fmt_num(0.12345), "0.123");
        assert_eq!(fmt_num(-0.0001), "0.000");
        assert_eq!(fmt_num(f64::NAN), "–");
        // One format for a number and its interval.
        assert_eq!(fmt_interval(1.0, 0.5, 1.5), "1.00 [0.50, 1.50]");
        assert_eq!(decimals_for(&[9.8, 10.2, f64::NAN]), 1);
        assert_eq!(fmt_fixed(9.8, 1), "9.8");
        assert_eq!(fmt_fixed(12345.6, 0), "12,346");
        assert_eq!(fmt_fixed(-0.0001, 3), "0.000");
        assert_eq!(fmt_fixed(-1234.5, 1), "-1,234.5");
    }

    #[test]
    fn flatten_names_array_steps() {
        let v: Value = serde_json::json!({
            "run": {"years": 5},
            "strategies": [{"name": "a", "platforms": {"mode": "local"}}],
            "list": [1, 2]
        });
        let f = flatten(&v);
        assert!(f.contains(&("run.years".into(), "5".into())));
        assert!(f.contains(&("strategies[a].platforms.mode".into(), "local".into())));
        assert!(f.contains(&("list".into(), "[1,2]".into())));
    }

    #[test]
    fn lever_names_come_from_the_catalogue() {
        assert_eq!(
            lever_name("levers.platforms", Lang::En),
            Some("Platform deployment")
        );
        assert_eq!(lever_name("levers.platforms", Lang::Zh), Some("平台部署"));
        assert_eq!(
            lever_name("levers.investment.budget", Lang::Zh),
            Some("投入")
        );
        assert_eq!(lever_name("world.preset", Lang::En), None);
    }

    #[test]
    fn chinese_units_and_scopes() {
        assert_eq!(unit_name("million yuan", Lang::Zh), "百万元");
        assert_eq!(unit_name("million yuan", Lang::En), "million yuan");
        let s = ScopeInfo {
            level: "region".into(),
            id: "west".into(),
            name: String::new(),
            name_zh: String::new(),
            units: 0,
            population: 0.0,
        };
        assert_eq!(scope_name(&s, Lang::Zh), "西部");
    }
}
