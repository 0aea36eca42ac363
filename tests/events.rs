//! Dated per-unit events: an event switches its levers for its unit and
//! subtree from its quarter and nothing else (against the same scenario
//! without it); uncertain dates are drawn per replicate, the same for every
//! strategy and thread; bad events exit with code 2 and a located message;
//! the real dates restated in `data/events/china.csv` match the reference
//! files of `../shared/data` when present.

#![allow(clippy::needless_range_loop)] // units index several parallel arrays

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use tiaokuai::engine::plan::NEVER;
use tiaokuai::experiment::run_replicate;
use tiaokuai::scenario;
use tiaokuai::sim::{Context, Runner};

/// A small synthetic province (3 cities × 2 counties × 2 townships), from
/// 2016, with exact counts: the tests compare units of one tree across
/// replicates, so no replicate draws its own counties and townships.
fn scenario_with(extra: &str) -> Context {
    let text = format!(
        "name = \"ev\"\n{extra}\n[run]\nyears = 3\nreplicates = 3\nstart_year = 2016\n\
         [world]\ncities = 3\ncounties_per_city = 2\ntownships_per_county = 2\n\
         counties_dispersion = 0\ntownships_dispersion = 0\n"
    );
    // `extra` may hold top-level keys and [[event]] tables: keep top-level
    // keys first by putting tables after [world].
    let sc = scenario::from_str(&reorder(&text), None).unwrap();
    Context::new(sc).unwrap()
}

/// Move `[[event]]` tables after the other sections so top-level keys stay top-level.
fn reorder(text: &str) -> String {
    let (mut head, mut events, mut in_event) = (String::new(), String::new(), false);
    for line in text.lines() {
        if line.starts_with("[[event]]") {
            in_event = true;
        } else if line.starts_with('[') {
            in_event = false;
        }
        let out = if in_event { &mut events } else { &mut head };
        out.push_str(line);
        out.push('\n');
    }
    head + &events
}

/// Per unit and time point: (lead, serving unit's standard or NONE, platform fit).
type Trace = Vec<Vec<(f64, u32, f64)>>;

fn trace(ctx: &Context, replicate: u32) -> (Trace, Vec<Vec<u64>>) {
    let mut runner = Runner::new(ctx);
    let (mut units, mut frames) = (Vec::new(), Vec::new());
    let rc = ctx.replicate(replicate);
    runner.run_observed(&rc, 0, replicate, |_, values, view| {
        let s = view.state;
        units.push(
            (0..s.lead.len())
                .map(|u| {
                    let std = if s.connected[u] { 1 } else { 0 };
                    // Platform service per unit of the connected share: the
                    // fit of the platform the unit runs on.
                    let fit = if s.conn_share[u] > 0.0 {
                        s.platform[u] / s.conn_share[u]
                    } else {
                        s.platform[u]
                    };
                    (s.lead[u], std, fit)
                })
                .collect(),
        );
        frames.push(values.iter().map(|x| x.to_bits()).collect());
    });
    (units, frames)
}

fn subtree(ctx: &Context, root: usize) -> Vec<bool> {
    let c = &ctx.compiled;
    let mut inside = vec![false; c.n_units];
    inside[root] = true;
    for u in root + 1..c.n_units {
        inside[u] = c.parent[u] != u32::MAX && inside[c.parent[u] as usize];
    }
    inside
}

#[test]
fn an_agency_event_changes_its_subtree_from_its_quarter_and_nothing_else() {
    let base = scenario_with("");
    let ev = scenario_with(
        "[[event]]\nscope = \"c02\"\nevent = \"data_agency\"\ndate = \"2017-05\"\nsource = \"test\"\n",
    );
    let q = 6; // April–June 2017 is quarter 6 of a run from 2016
    assert_eq!(ev.plans[0].event_quarter, vec![q]);
    let root = ev.world.find_unit("c02").unwrap() as usize;
    let inside = subtree(&ev, root);
    assert!(inside.iter().filter(|&&x| x).count() > 1);
    let (tb, fb) = trace(&base, 1);
    let (te, fe) = trace(&ev, 1);
    for t in 0..tb.len() {
        if t < q as usize {
            // Before the event, the two runs are the same in every figure.
            assert_eq!(fb[t], fe[t], "frame {t} differs before the event");
        }
        for u in 0..inside.len() {
            let (lb, le) = (tb[t][u].0, te[t][u].0);
            if inside[u] && t >= q as usize {
                assert!(le > lb, "unit {u} at t {t}: lead {le} not above {lb}");
            } else {
                assert_eq!(lb, le, "unit {u} at t {t} changed outside the event");
            }
        }
    }
    // Negative control: the global lever alone (none here) covers nobody.
    assert!(base.plans[0].agency_from.iter().all(|&q| q == NEVER));
    assert!(fb.last() != fe.last(), "the event changed no outcome");
}

#[test]
fn a_platform_event_moves_its_subtree_onto_its_platform_from_its_quarter() {
    let base = scenario_with("");
    let ev = scenario_with(
        "[[event]]\nscope = \"City 3\"\nevent = \"service_platform\"\ndate = \"2016-08\"\n",
    );
    let q = 3u32;
    let (pb, pe) = (&base.plans[0], &ev.plans[0]);
    let root = ev.world.find_unit("c03").unwrap() as usize;
    let inside = subtree(&ev, root);
    assert_eq!(pe.launch_at[root], q);
    for u in 0..inside.len() {
        if inside[u] && u != root {
            assert_eq!(pe.ev_from[u], q, "unit {u}");
            assert_eq!(pe.server_at(u, q - 1), pb.server[u]);
            assert_eq!(pe.server_at(u, q) as usize, root);
        } else {
            assert_eq!(pe.ev_from[u], NEVER, "unit {u} outside the subtree moved");
            assert_eq!(pe.server_at(u, 99), pb.server[u]);
        }
    }
    let (tb, fb) = trace(&base, 0);
    let (te, fe) = trace(&ev, 0);
    for t in 0..q as usize {
        assert_eq!(fb[t], fe[t], "frame {t} differs before the event");
    }
    // From the event on, units below the city take the city's platform
    // (its fit), while units elsewhere keep theirs exactly.
    let t = q as usize;
    for u in 0..inside.len() {
        if !inside[u] {
            assert_eq!(tb[t][u], te[t][u], "unit {u} outside the subtree changed");
        }
    }
    let moved = (0..inside.len()).filter(|&u| {
        inside[u] && u != root && (te.last().unwrap()[u].2 - pe.ev_fit[u]).abs() < 1e-9
    });
    assert!(
        moved.count() > 0,
        "no unit below the city runs on its platform"
    );
    assert!(fb.last() != fe.last(), "the event changed no outcome");
}

#[test]
fn a_global_agency_lever_and_an_event_take_the_earlier_start() {
    let ctx = scenario_with(
        "[defaults.coordination]\nagency = \"provincial\"\nagency_year = 3\n\
         [[event]]\nscope = \"c01\"\nevent = \"data_agency\"\ndate = \"2016-01\"\n",
    );
    let p = &ctx.plans[0];
    let c1 = ctx.world.find_unit("c01").unwrap() as usize;
    let inside = subtree(&ctx, c1);
    for u in 0..inside.len() {
        let want = if inside[u] {
            1
        } else if u == 0 {
            NEVER // the national unit: a provincial agency does not cover it
        } else {
            9
        };
        assert_eq!(p.agency_from[u], want, "unit {u}");
    }
}

#[test]
fn uncertain_dates_are_drawn_per_replicate_within_their_window_and_paired() {
    let extra = "[[event]]\nscope = \"c01\"\nevent = \"data_agency\"\ndate = \"2017\"\n\
                 [[event]]\nscope = \"c02\"\nevent = \"data_agency\"\ndate = \"unknown\"\nby = \"2017-06\"\n\
                 [[strategy]]\nname = \"a\"\n[[strategy]]\nname = \"b\"\nplatforms = \"city\"\n";
    let ctx = scenario_with(extra);
    let mut seen = std::collections::BTreeSet::new();
    for r in 0..12 {
        let rc = ctx.replicate(r);
        let (a, b) = (&rc.plans[0].event_quarter, &rc.plans[1].event_quarter);
        assert_eq!(a, b, "strategies of replicate {r} drew different dates");
        assert!(
            (5..=8).contains(&a[0]),
            "a 2017 date fell in quarter {}",
            a[0]
        );
        assert!(
            (1..=6).contains(&a[1]),
            "a date by 2017-06 fell in {}",
            a[1]
        );
        seen.insert(a[0]);
    }
    assert!(
        seen.len() > 1,
        "the year's quarters are never drawn differently"
    );
    // Deterministic: a second context gives the same draws and the same outputs.
    let again = scenario_with(extra);
    for r in 0..3 {
        assert_eq!(
            ctx.replicate(r).plans[0].event_quarter,
            again.replicate(r).plans[0].event_quarter
        );
        let bits = |c: &Context| -> Vec<u64> {
            run_replicate(c, 1, r)
                .values
                .iter()
                .map(|x| x.to_bits())
                .collect()
        };
        assert_eq!(bits(&ctx), bits(&again));
    }
}

fn bin() -> Command {
    Command::cargo_bin("tiaokuai").unwrap()
}

/// Validate a scenario file written into a temporary folder with `files`.
fn check_fails(scenario: &str, files: &[(&str, &str)], want: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("s.toml"), scenario).unwrap();
    for (name, text) in files {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let mut a = bin()
        .arg("run")
        .arg(tmp.path().join("s.toml"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--quiet")
        .assert()
        .code(2);
    for w in want {
        a = a.stderr(contains(*w));
    }
    assert!(
        !tmp.path().join("out").exists(),
        "partial outputs were left"
    );
}

const HEAD: &str = "name = \"ev\"\nEXTRA\n[run]\nyears = 2\nreplicates = 1\nstart_year = 2016\n[world]\ncities = 2\ncounties_per_city = 2\ntownships_per_county = 2\n";

fn with(extra_top: &str, tables: &str) -> String {
    HEAD.replace("EXTRA", extra_top) + tables
}

#[test]
fn bad_events_exit_2_with_a_located_message() {
    // Unknown scope in a table: key path, line and a suggestion.
    check_fails(
        &with(
            "",
            "[[event]]\nscope = \"c001\"\nevent = \"data_agency\"\ndate = \"2016-05\"\n",
        ),
        &[],
        &["s.toml:12", "event[0].scope", "did you mean `c01`?"],
    );
    // Unknown event kind in a file: the file, its line, a suggestion.
    check_fails(
        &with("events = \"ev.csv\"", ""),
        &[(
            "ev.csv",
            "scope,event,date\nc01,data_agency,2016-02\nc02,data_agnecy,2016-03\n",
        )],
        &[
            "ev.csv:3",
            "unknown event `data_agnecy`",
            "did you mean `data_agency`?",
        ],
    );
    // Unknown scope in a file.
    check_fails(
        &with("events = \"ev.csv\"", ""),
        &[("ev.csv", "scope,event,date\nc09,data_agency,2016-02\n")],
        &["ev.csv:2", "no unit called `c09`"],
    );
    // A bad date.
    check_fails(
        &with(
            "",
            "[[event]]\nscope = \"c01\"\nevent = \"data_agency\"\ndate = \"2016-13\"\n",
        ),
        &[],
        &["event[0].date", "no month 13", "YYYY-MM"],
    );
    // A date after the run.
    check_fails(
        &with(
            "",
            "[[event]]\nscope = \"c01\"\nevent = \"service_platform\"\ndate = \"2018-01\"\n",
        ),
        &[],
        &["event[0].date", "after the run", "after_run = \"skip\""],
    );
    // No calendar.
    check_fails(
        &with(
            "",
            "[[event]]\nscope = \"c01\"\nevent = \"data_agency\"\ndate = \"2016-01\"\n",
        )
        .replace("start_year = 2016\n", ""),
        &[],
        &["run.start_year"],
    );
    // A column missing from the file.
    check_fails(
        &with("events = \"ev.csv\"", ""),
        &[("ev.csv", "scope,kind,date\nc01,data_agency,2016-02\n")],
        &["ev.csv:1", "no `event` column"],
    );
}

#[test]
fn after_run_skip_leaves_late_events_out() {
    let ctx = scenario_with(
        "[event_dates]\nafter_run = \"skip\"\n[[event]]\nscope = \"c01\"\nevent = \"data_agency\"\ndate = \"2030-01\"\n",
    );
    assert!(ctx.scenario.events.is_empty());
}

/// The shipped real dates load into a real-China scenario (every scope resolves).
#[test]
fn the_shipped_china_events_resolve_in_the_china_preset() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = "name = \"c\"\nevents = \"data/events/china.csv\"\n[run]\nyears = 9\nreplicates = 1\nstart_year = 2016\n[world]\npreset = \"china\"\ndepth = \"city\"\n";
    let sc = scenario::from_str(text, Some(&root.join("scenario.toml"))).unwrap();
    assert_eq!(
        sc.events.len(),
        rows(&root.join("data/events/china.csv")).len()
    );
    let ctx = Context::new(sc).unwrap();
    let p = &ctx.plans[0];
    let gz = ctx.world.find_unit("guizhou").unwrap() as usize;
    // Guizhou's agency: January 2017 is quarter 5; Guangdong's (2014) is in force from the start.
    assert_eq!(p.agency_from[gz], 5);
    assert_eq!(
        p.agency_from[ctx.world.find_unit("guangdong").unwrap() as usize],
        1
    );
    for (e, &q) in ctx.scenario.events.iter().zip(&p.event_quarter) {
        assert!(
            (1..=36).contains(&q),
            "{} {:?}: quarter {q}",
            e.scope,
            e.kind
        );
    }
}

fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    common::csv_records(path)
}

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("TIAOKUAI_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    dir.join("observed").is_dir().then_some(dir)
}

/// Every restated date (or bound) appears in the reference file its row
/// names, on a row of the same province (for the national count, the
/// count of 31).
#[test]
fn restated_event_dates_match_the_reference_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = rows(&root.join("data/events/china.csv"));
    for r in &ours {
        assert!(
            !r["source"].trim().is_empty(),
            "a row without a source: {r:?}"
        );
        assert!(
            !r["reference"].trim().is_empty(),
            "a row without a reference: {r:?}"
        );
    }
    let Some(shared) = shared_data() else {
        eprintln!(
            "SKIPPED: ../shared/data not found (set TIAOKUAI_SHARED_DATA); only sources checked"
        );
        return;
    };
    let mut cache: HashMap<String, Vec<HashMap<String, String>>> = HashMap::new();
    for r in &ours {
        let file = &r["reference"];
        let refs = cache
            .entry(file.clone())
            .or_insert_with(|| rows(&shared.join(file)));
        let when = if r["date"] == "unknown" {
            &r["by"]
        } else {
            &r["date"]
        };
        let name = if r["scope"] == "national" {
            "China".to_string()
        } else {
            tiaokuai::catalog::provinces::find(&r["scope"])
                .unwrap()
                .name_en
                .to_string()
        };
        let same_date = |v: &String| v == when || v.starts_with(&format!("{when} "));
        let found = refs.iter().any(|x| match x.get("province_en") {
            Some(p) => p == &name && x.values().any(same_date),
            // The national count: every province had a data authority by then.
            None => x.get("as_of_date").is_some_and(same_date) && x["value"] == "31",
        });
        assert!(
            found,
            "{} {} `{when}` is not in {file}",
            r["scope"], r["event"]
        );
    }
    eprintln!(
        "checked {} restated events against {}",
        ours.len(),
        shared.display()
    );
}

/// A run with uncertain event dates gives byte-identical outputs on one
/// thread and on two.
#[test]
fn runs_with_drawn_dates_are_identical_across_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let text = with(
        "",
        "[[event]]\nscope = \"c01\"\nevent = \"data_agency\"\ndate = \"unknown\"\n\
         [[event]]\nscope = \"c02\"\nevent = \"service_platform\"\ndate = \"2016\"\n",
    )
    .replace("replicates = 1", "replicates = 4");
    std::fs::write(tmp.path().join("s.toml"), text).unwrap();
    for (out, threads) in [("one", "1"), ("two", "2")] {
        bin()
            .arg("run")
            .arg(tmp.path().join("s.toml"))
            .args([
                "--out",
                &tmp.path().join(out).to_string_lossy(),
                "--threads",
                threads,
                "--quiet",
            ])
            .assert()
            .success();
    }
    for f in ["timeseries.csv", "summary.csv"] {
        let a = std::fs::read(tmp.path().join("one").join(f)).unwrap();
        let b = std::fs::read(tmp.path().join("two").join(f)).unwrap();
        assert!(a == b, "{f} differs between thread counts");
    }
}
