//! Systems as the third axis of data flow (MODEL.md §1, §3.3): a department
//! runs several information systems, each on its own standard until a
//! common-standard lever migrates it, and exchange between two systems
//! depends on the standards of both.
//!
//! The claims, each across several world draws (`run.seed`, worlds drawn
//! per replicate), with the negative controls that pin them on the
//! mechanism: a common standard raises the usability of system-to-system
//! links and of exchanges between departments by more when departments run
//! several systems than when each runs one; with one system per department,
//! or with every system already on its platform's standard, the systems
//! channel vanishes (bit for bit: the run is the one-system run).

mod common;

use common::*;
use tiaokuai::catalog::Level;
use tiaokuai::experiment::ScopeSeries;
use tiaokuai::sim::Context;

/// World draws.
const DRAWS: u64 = 8;
/// Replicates per strategy within one draw.
const REPS: u32 = 2;

/// A small eastern province at county depth: provincial builds, without
/// and with a provincial common standard from year 1; `extra` adds model
/// tables (the systems of the variant).
fn province(seed: u64, extra: &str) -> Context {
    let toml = format!(
        "name = \"systems\"\n[run]\nyears = 3\nseed = {seed}\n\
         [world]\npreset = \"province\"\nregion = \"east\"\npopulation = 20000000.0\n\
         depth = \"county\"\ncities = 4\ncounties_per_city = 3\n{extra}\n\
         [defaults]\nplatforms = \"provincial\"\n\
         [[strategy]]\nname = \"none\"\nstandards = \"none\"\n\
         [[strategy]]\nname = \"common\"\nstandards = \"provincial\"\nstandards_year = 1\nstandards_pace = 0.5\n"
    );
    context(&toml, REPS)
}

/// One system per department: every level factor 0 (at least one each).
const ONE_SYSTEM: &str =
    "[standards.systems_by_level]\nprovince = 0.0\ncity = 0.0\ncounty = 0.0\ntownship = 0.0\n";
/// Several systems per department, all on the platform's standard from the start.
const ALL_ALIGNED: &str = "[standards]\nlegacy_share = 0.0\n";

/// Mean over replicates of `common − none` at the horizon, world scope.
fn lever_effect(ctx: &Context, runs: &[Vec<ScopeSeries>], id: &str) -> f64 {
    let (m, w) = (metric(ctx, id), scope(ctx, "world", "world"));
    let (a, b) = (strategy(ctx, "common"), strategy(ctx, "none"));
    let d: Vec<f64> = (0..runs[a].len())
        .map(|r| horizon(&runs[a][r], w, m) - horizon(&runs[b][r], w, m))
        .collect();
    d.iter().sum::<f64>() / d.len() as f64
}

/// Every metric of every scope, time and run, except the two that count systems.
fn all_but_counts(ctx: &Context, runs: &[Vec<ScopeSeries>]) -> Vec<u64> {
    let skip = [metric(ctx, "systems"), metric(ctx, "system_links")];
    let nm = ctx.metrics.defs.len();
    let ns = ctx.world.scopes.scopes.len();
    let mut out = Vec::new();
    for series in runs.iter().flatten() {
        for t in 0..series.len() {
            for s in 0..ns {
                for m in (0..nm).filter(|m| !skip.contains(m)) {
                    out.push(series.at(t, s, m).to_bits());
                }
            }
        }
    }
    out
}

#[test]
fn common_standard_works_through_systems_and_vanishes_with_one_system() {
    let (mut usab, mut sharing, mut links) = (Vec::new(), Vec::new(), Vec::new());
    for seed in 0..DRAWS {
        let seed = 500 + seed;
        let multi = province(seed, "");
        let one = province(seed, ONE_SYSTEM);
        let aligned = province(seed, ALL_ALIGNED);
        // Several systems per department in the default world; one in the control.
        let (sm, so) = (&multi.compiled, &one.compiled);
        assert!(sm.n_systems as f64 > 2.0 * sm.n_depts as f64);
        assert_eq!(so.n_systems, so.n_depts);
        let (rm, ro, ra) = (run_all(&multi), run_all(&one), run_all(&aligned));
        // Negative control: every system on one standard is the one-system
        // world, bit for bit, in every metric but the two counts.
        assert!(
            all_but_counts(&aligned, &ra) == all_but_counts(&one, &ro),
            "draw {seed}: all systems on one standard must equal one system per department"
        );
        let link_one = lever_effect(&one, &ro, "system_link_usability");
        assert_eq!(
            link_one, 0.0,
            "draw {seed}: no legacy system, nothing to migrate"
        );
        links.push(lever_effect(&multi, &rm, "system_link_usability"));
        for (id, out) in [
            ("cross_system_usability", &mut usab),
            ("sharing_horizontal", &mut sharing),
        ] {
            out.push(lever_effect(&multi, &rm, id) - lever_effect(&one, &ro, id));
        }
    }
    let (l, u, s) = (summary(&links), summary(&usab), summary(&sharing));
    assert_positive(
        "common standard on system-link usability (several systems)",
        &l,
    );
    assert_positive(
        "extra effect of the common standard on cross-system usability with several systems",
        &u,
    );
    assert_positive(
        "extra effect of the common standard on cross-department sharing with several systems",
        &s,
    );
}

#[test]
fn city_systems_scenario_expresses_a_shanghai_like_city() {
    let ctx = shipped("city-systems", 2);
    let c = &ctx.compiled;
    let city: Vec<usize> = (0..c.n_units)
        .filter(|&u| c.level[u] == Level::Province)
        .collect();
    assert_eq!(city.len(), 1, "one municipality");
    let u = city[0];
    assert_eq!(c.dept_start[u + 1] - c.dept_start[u], 50, "50 departments");
    assert_eq!(c.unit_systems[u], 185, "185 systems at city level");
    // Its districts and streets run fewer systems per department.
    let per_dept = |level: Level| {
        let units = (0..c.n_units).filter(|&v| c.level[v] == level);
        let (s, d) = units.fold((0.0, 0.0), |(s, d), v| {
            (
                s + c.unit_systems[v] as f64,
                d + (c.dept_start[v + 1] - c.dept_start[v]) as f64,
            )
        });
        s / d
    };
    assert!((per_dept(Level::County) - 1.85).abs() < 0.2);
    assert_eq!(per_dept(Level::Township), 1.0);
    // The counts reach the outputs, and the city-wide standard raises the
    // usability of its system links.
    let runs = run_all(&ctx);
    let (p, n) = (scope(&ctx, "world", "world"), metric(&ctx, "systems"));
    let cells = &ctx.world.scopes.cell_of;
    let total: u32 = (0..c.n_units)
        .filter(|&v| cells[v] != tiaokuai::world::NONE)
        .map(|v| c.unit_systems[v])
        .sum();
    assert_eq!(horizon(&runs[0][0], p, n), total as f64);
    let links = horizon(&runs[0][0], p, metric(&ctx, "system_links"));
    assert!(links > total as f64);
    let effect = paired(
        &runs[strategy(&ctx, "city-standard")],
        &runs[strategy(&ctx, "no-common-standard")],
        |s| horizon(s, p, metric(&ctx, "system_link_usability")),
    );
    assert!(effect.mean > 0.0, "{effect:?}");
}
