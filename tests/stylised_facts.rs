//! The ten stylised facts of docs/model.md §6, each measured across drawn worlds
//! on three world types (a rich eastern province, a poor western province,
//! and a slice of the `china` preset at county depth), with a negative
//! control per fact.
//!
//! A world draw is a `run.seed`: the world (attributes, needs, populations)
//! is built from it. Each draw runs a few replicates per strategy (paired:
//! every strategy sees the same world and the same draws); the draw's effect
//! is the mean paired difference over its replicates, and the interval is
//! the 95% t-interval over the draws. A fact holds when that interval lies
//! above zero; its negative control neutralises the mechanism meant to
//! produce it (through scenario keys only) and must give an interval that
//! covers zero or lies below it. Which facts are findings and which are
//! assumptions is set out, with the measured numbers, in docs/ODD.md
//! ("Assumed vs emergent"). Run with `--nocapture` to see every effect.
//!
//! Worlds are small (few cities, county depth) so the whole file stays fast;
//! the number of world draws is not reduced.

mod common;
mod facts_table;

use common::*;
use facts_table::Measured;
use rayon::prelude::*;
use tiaokuai::catalog::Region;
use tiaokuai::experiment::ScopeSeries;
use tiaokuai::sim::Context;
use tiaokuai::stats::Summary;

/// World draws per world type (the brief's minimum).
const DRAWS: u64 = 20;
/// Replicates per strategy within one draw.
const REPS: u32 = 2;
/// Horizon in years.
const YEARS: u32 = 5;

/// One world type: how its `[world]` table is written, with extra keys.
#[derive(Clone, Copy)]
struct WorldType {
    name: &'static str,
    /// `[world]` keys (without the header).
    keys: &'static str,
}

const EAST: WorldType = WorldType {
    name: "east-rich",
    keys: "preset = \"province\"\nregion = \"east\"\npopulation = 30000000.0\ndepth = \"county\"\ncities = 6\ncounties_per_city = 4\n",
};
const WEST: WorldType = WorldType {
    name: "west-poor",
    keys: "preset = \"province\"\nregion = \"west\"\npopulation = 12000000.0\ndepth = \"county\"\ncities = 6\ncounties_per_city = 4\n",
};
/// Three provinces of each of the east, central and west groups (the
/// municipality Shanghai among them), at county depth.
const CHINA: WorldType = WorldType {
    name: "china-county",
    keys: "preset = \"china\"\ndepth = \"county\"\nprovinces = [\"shanghai\", \"fujian\", \"hainan\", \"shanxi\", \"jiangxi\", \"anhui\", \"ningxia\", \"qinghai\", \"gansu\"]\n",
};
const PROVINCES: [WorldType; 2] = [EAST, WEST];
const ALL: [WorldType; 3] = [EAST, WEST, CHINA];

/// The scenario of one draw: the world type with `world_extra` keys added
/// to its `[world]` table, then `body` (model tables and strategies).
fn draw(w: WorldType, seed: u64, world_extra: &str, body: &str) -> Context {
    let toml = format!(
        "name = \"fact\"\n[run]\nyears = {YEARS}\nseed = {seed}\n[world]\n{}{world_extra}\n{body}",
        w.keys
    );
    context(&toml, REPS)
}

/// Mean over the replicates of one draw of `f(runs, replicate)`, over the
/// replicates where it is defined (NaN when it is defined in none).
fn rep_mean(runs: &[Vec<ScopeSeries>], f: impl Fn(&[Vec<ScopeSeries>], usize) -> f64) -> f64 {
    let xs: Vec<f64> = (0..runs[0].len())
        .map(|r| f(runs, r))
        .filter(|x| x.is_finite())
        .collect();
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The effect of every draw (seeds 1000..1000+DRAWS), summarised across
/// draws. A draw whose effect is undefined (a share of nothing, e.g. no
/// innovation arose) is left out; `Summary::n` says how many counted.
fn over_draws(per_draw: impl Fn(u64) -> f64 + Sync + Send) -> Summary {
    let xs: Vec<f64> = (0..DRAWS)
        .into_par_iter()
        .map(|d| per_draw(1000 + d))
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|x| x.is_finite())
        .collect();
    summary(&xs)
}

/// A paired comparison on one world type: `effect(ctx, runs, replicate)`
/// evaluated under (`world_extra`, `body`), summarised across draws.
fn measure(
    w: WorldType,
    world_extra: &str,
    body: &str,
    effect: impl Fn(&Context, &[Vec<ScopeSeries>], usize) -> f64 + Sync + Send,
) -> Summary {
    over_draws(|seed| {
        let ctx = draw(w, seed, world_extra, body);
        let runs = run_all(&ctx);
        rep_mean(&runs, |runs, r| effect(&ctx, runs, r))
    })
}

fn show(s: &Summary) -> String {
    format!("{:+.4} [{:+.4}, {:+.4}]", s.mean, s.ci95_low, s.ci95_high)
}

/// Print the fact's effect and its control, then check both: the effect's
/// interval lies above zero, the control's does not.
fn verdict(fact: &str, w: WorldType, effect: &Summary, control: &Summary) {
    println!(
        "FACT | {fact} | {} | effect {} | control {} | n = {}/{}",
        w.name,
        show(effect),
        show(control),
        effect.n,
        control.n
    );
    assert!(
        effect.n as u64 >= DRAWS / 2,
        "{fact} on {}: defined in only {} of {DRAWS} draws",
        w.name,
        effect.n
    );
    assert!(
        effect.ci95_low > 0.0,
        "{fact} on {}: effect {} does not exclude zero from above",
        w.name,
        show(effect)
    );
    assert!(
        control.ci95_low <= 0.0,
        "{fact} on {}: negative control {} still excludes zero, so the effect does not come from the neutralised mechanism",
        w.name,
        show(control)
    );
}

/// Record the effect and control of world type `w` for the ODD table, then
/// check them as `verdict` does.
fn verdict_in(m: &mut Measured, fact: &str, w: WorldType, effect: &Summary, control: &Summary) {
    m.put("effect", w.name, effect);
    m.put("control", w.name, control);
    verdict(fact, w, effect, control);
}

/// Horizon value of `metric` at the world scope in replicate `r` of strategy `s`.
fn at(ctx: &Context, runs: &[Vec<ScopeSeries>], s: usize, r: usize, m: &str) -> f64 {
    horizon(&runs[s][r], scope(ctx, "world", "world"), metric(ctx, m))
}

/// Two-strategy paired difference of a world-scope metric: `a − b`.
fn diff(ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize, a: &str, b: &str, m: &str) -> f64 {
    at(ctx, runs, strategy(ctx, a), r, m) - at(ctx, runs, strategy(ctx, b), r, m)
}

// ---------------------------------------------------------------------------

#[test]
fn fact_01_upward_flow_exceeds_downward_flow() {
    // Control: the hierarchy's mandate neutralised — upward reporting is no
    // more routine than downward release and every unit absorbs fully.
    let control = format!(
        "[flow]\nup_mandate = {r:?}\ndown_release = {r:?}\nabsorb_base = 1.0\n",
        r = facts_table::default("flow.down_release")
    );
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        at(ctx, runs, 0, r, "flow_up") - at(ctx, runs, 0, r, "flow_down")
    };
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "1 flow_up - flow_down",
            w,
            &measure(w, "", "", f),
            &measure(w, "", &control, f),
        );
    }
    table.check(&["1"]);
}

/// Every domain of the catalogue given the same complexity, lag, grassroots
/// load and top-down push; each keeps its own departments.
fn equal_domains() -> String {
    [
        "economic_regulation",
        "market_regulation",
        "social_management",
        "public_services",
        "eco_environment",
        "government_operations",
        "government_openness",
    ]
    .iter()
    .map(|id| {
        format!(
            "[[catalog.domains]]\nid = \"{id}\"\ncomplexity = 0.5\nlag_quarters = 6.0\ngrassroots_load = 0.3\ntop_down = 0.3\n"
        )
    })
    .collect()
}

#[test]
fn fact_02_services_and_market_regulation_beat_social_management() {
    // The smaller of the two leads over social management.
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        let social = at(ctx, runs, 0, r, "domain_social_management");
        (at(ctx, runs, 0, r, "domain_public_services") - social)
            .min(at(ctx, runs, 0, r, "domain_market_regulation") - social)
    };
    let control = equal_domains();
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "2 min(services, market) - social collaboration",
            w,
            &measure(w, "", "", f),
            &measure(w, "", &control, f),
        );
    }
    table.check(&["2"]);
}

/// Every region group given the central group's attribute means.
const EQUAL_REGIONS: &str = "[world.attributes.east]\nfiscal = 0.52\ndigital = 0.5\ntalent = 0.48\ninstitutions = 0.5\n[world.attributes.west]\nfiscal = 0.52\ndigital = 0.5\ntalent = 0.48\ninstitutions = 0.5\n[world.attributes.northeast]\nfiscal = 0.52\ndigital = 0.5\ntalent = 0.48\ninstitutions = 0.5\n";

#[test]
fn fact_03_east_leads_central_leads_west() {
    // China: region scopes of one world. The smaller of the two steps.
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        let m = metric(ctx, "maturity_index");
        let g = |id: &str| horizon(&runs[0][r], scope(ctx, "region", id), m);
        (g("east") - g("central")).min(g("central") - g("west"))
    };
    let name = "3 min(east - central, central - west) maturity";
    // On region means (statistics off) the order is an assumption of the
    // means; the control gives every group the same means.
    let off = "statistics.enabled = false\n";
    let mut table = Measured::default();
    verdict_in(
        &mut table,
        name,
        CHINA,
        &measure(CHINA, off, "", f),
        &measure(CHINA, off, EQUAL_REGIONS, f),
    );
    // On the real 2019 statistics (the default) the east leads the centre;
    // the centre's place against the west is reported, not asserted: it is
    // what the statistics give (docs/ODD.md, "Assumed vs emergent").
    let step = |a: &'static str, b: &'static str| {
        move |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
            let m = metric(ctx, "maturity_index");
            horizon(&runs[0][r], scope(ctx, "region", a), m)
                - horizon(&runs[0][r], scope(ctx, "region", b), m)
        }
    };
    let (real, real_control) = (
        measure(CHINA, "", "", step("east", "central")),
        measure(CHINA, off, EQUAL_REGIONS, step("east", "central")),
    );
    table.put("real_east_central", CHINA.name, &real);
    table.put("real_east_central_control", CHINA.name, &real_control);
    verdict(
        "3 east - central maturity (real statistics)",
        CHINA,
        &real,
        &real_control,
    );
    let central_west = measure(CHINA, "", "", step("central", "west"));
    table.put("real_central_west", CHINA.name, &central_west);
    println!(
        "FACT | 3 central - west maturity (real statistics, reported) | {} | effect {}",
        CHINA.name,
        show(&central_west)
    );
    // One province: the same drawn province placed in each region group.
    for w in PROVINCES {
        let steps = |body: &str| {
            over_draws(|seed| {
                let mat = |region: Region| {
                    let ctx = draw(w, seed, "", body);
                    let mut sc = ctx.scenario.clone();
                    sc.world.region = region;
                    let ctx = Context::new(sc).expect("world builds");
                    let runs = run_all(&ctx);
                    rep_mean(&runs, |runs, r| at(&ctx, runs, 0, r, "maturity_index"))
                };
                let (e, c, we) = (mat(Region::East), mat(Region::Central), mat(Region::West));
                (e - c).min(c - we)
            })
        };
        verdict_in(&mut table, name, w, &steps(""), &steps(EQUAL_REGIONS));
    }
    table.check(&["3"]);
}

const PROV_LOCAL: &str = "[[strategy]]\nname = \"local\"\nplatforms = \"local\"\n[[strategy]]\nname = \"provincial\"\nplatforms = \"provincial\"\nstandards = \"provincial\"\n";

#[test]
fn fact_04a_provincial_builds_cost_less_than_local_builds() {
    // Control: a platform's build cost scales with the units it serves
    // (the province pays per city and county what they would pay alone),
    // so a single build has no economy of scale.
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        diff(ctx, runs, r, "local", "provincial", "cost_total")
    };
    let mut table = Measured::default();
    for w in ALL {
        let ctrl = format!(
            "{PROV_LOCAL}[platforms.build_cost]\nprovince = {}\n",
            per_unit_province_cost(w)
        );
        verdict_in(
            &mut table,
            "4a cost_total local - provincial",
            w,
            &measure(w, "", PROV_LOCAL, f),
            &measure(w, "", &ctrl, f),
        );
    }
    table.check(&["4a"]);
}

/// Province build cost equal to what the province's cities and counties pay
/// for their own builds (default city and county build costs).
fn per_unit_province_cost(w: WorldType) -> f64 {
    let ctx = draw(w, 1000, "", PROV_LOCAL);
    let provinces = ctx
        .world
        .scopes
        .scopes
        .iter()
        .filter(|s| s.kind.id() == "province")
        .count()
        .max(1);
    let level = |id: &str| {
        ctx.world
            .scopes
            .scopes
            .iter()
            .find(|s| s.kind.id() == "level" && s.id == id)
            .map_or(0, |s| s.units)
    };
    let cost = |l: &str| facts_table::default(&format!("platforms.build_cost.{l}"));
    (cost("city") * level("city") as f64 + cost("county") * level("county") as f64)
        / provinces as f64
}

#[test]
fn fact_04b_provincial_builds_collaborate_at_least_as_well() {
    // "The same or higher collaboration": the interval of provincial − local
    // collab_index must not lie below zero; the cross-system usability gain
    // must come from the common standard (control: data crossing standards
    // stays fully usable).
    let collab = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        diff(ctx, runs, r, "provincial", "local", "collab_index")
    };
    let usab = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        diff(
            ctx,
            runs,
            r,
            "provincial",
            "local",
            "cross_system_usability",
        )
    };
    let control = format!(
        "{PROV_LOCAL}[standards]\ncross_standard_usability = 1.0\nlegacy_usability = 1.0\n"
    );
    let (mut usability, mut collaboration) = (Measured::default(), Measured::default());
    for w in ALL {
        let c = measure(w, "", PROV_LOCAL, collab);
        collaboration.put("effect", w.name, &c);
        println!(
            "FACT | 4b collab_index provincial - local | {} | effect {} | n = {}",
            w.name,
            show(&c),
            c.n
        );
        assert!(
            c.ci95_high >= 0.0,
            "provincial builds collaborate less on {}: {}",
            w.name,
            show(&c)
        );
        verdict_in(
            &mut usability,
            "4b cross_system_usability provincial - local",
            w,
            &measure(w, "", PROV_LOCAL, usab),
            &measure(w, "", &control, usab),
        );
    }
    usability.check(&["4b-usability"]);
    collaboration.check(&["4b-collab"]);
}

#[test]
fn fact_04c_hybrid_fits_better_where_places_differ() {
    let body = "[[strategy]]\nname = \"provincial\"\nplatforms = \"provincial\"\n[[strategy]]\nname = \"hybrid\"\nplatforms = \"hybrid\"\n";
    let control = format!("{body}[platforms]\ncustomisation_reach = 0.0\n");
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        diff(ctx, runs, r, "hybrid", "provincial", "platform_fit")
    };
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "4c platform_fit hybrid - provincial (heterogeneity 1)",
            w,
            &measure(w, "heterogeneity = 1.0\n", body, f),
            &measure(w, "heterogeneity = 1.0\n", &control, f),
        );
    }
    table.check(&["4c"]);
}

const REFORMS: &str = "[[strategy]]\nname = \"none\"\n[[strategy]]\nname = \"reforms\"\n[strategy.institutions]\nproperty_rights = { year = 1, strength = 1.0 }\nrevenue_distribution = { year = 1, strength = 1.0 }\ncirculation = { year = 1, strength = 1.0 }\nsecurity_governance = { year = 1, strength = 1.0 }\n";

#[test]
fn fact_05_institutional_reforms_raise_sharing() {
    let control = format!(
        "{REFORMS}[barriers.dare_not]\nsecurity_reform_effect = 0.0\n[barriers.unwilling]\nrights_reform_effect = 0.0\nrevenue_reform_effect = 0.0\ncirculation_reform_effect = 0.0\n"
    );
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        diff(ctx, runs, r, "reforms", "none", "sharing_horizontal")
    };
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "5 sharing_horizontal reforms - none",
            w,
            &measure(w, "", REFORMS, f),
            &measure(w, "", &control, f),
        );
    }
    table.check(&["5"]);
}

#[test]
fn fact_06_institutionalised_reuse_spreads_faster() {
    // Provincial promotion in a province; national promotion across China.
    let mut table = Measured::default();
    for w in ALL {
        let promoted = if w.name == CHINA.name {
            "national"
        } else {
            "provincial"
        };
        let body = format!(
            "[[strategy]]\nname = \"spontaneous\"\nreuse = \"spontaneous\"\n[[strategy]]\nname = \"promoted\"\nreuse = \"{promoted}\"\n"
        );
        // Control: promotion carries no adoption hazard of its own.
        let control =
            format!("{body}[diffusion]\npromotion_provincial = 0.0\npromotion_national = 0.0\n");
        let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
            diff(ctx, runs, r, "promoted", "spontaneous", "adoption_share")
        };
        verdict_in(
            &mut table,
            &format!("6 adoption_share {promoted} - spontaneous"),
            w,
            &measure(w, "", &body, f),
            &measure(w, "", &control, f),
        );
    }
    table.check(&["6"]);
}

#[test]
fn fact_07_needs_based_hardware_idles_less() {
    let body = "[[strategy]]\nname = \"needs\"\n[[strategy]]\nname = \"uniform\"\ninvestment = { hardware_deployment = \"uniform\" }\n";
    // Control: units of a level need the same hardware — equal populations,
    // and no growth of need with services put online.
    let control = format!("{body}[hardware]\nneed_per_100k_people = 0.0\nusage_growth = 0.0\n");
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        diff(ctx, runs, r, "uniform", "needs", "idle_hardware")
    };
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "7 idle_hardware uniform - needs",
            w,
            &measure(w, "", body, f),
            &measure(w, "", &control, f),
        );
    }
    table.check(&["7"]);
}

#[test]
fn fact_08_regional_coordination_narrows_disparity() {
    let body = "[[strategy]]\nname = \"none\"\n[[strategy]]\nname = \"coordinated\"\nregional = { transfers = 0.3, backstop = true, backstop_threshold = 0.45 }\n";
    // Control: money buys no capability — talent and data quality do not
    // grow with spending; platforms, connections, hardware and adoptions
    // cost (next to) nothing — so moving budgets, or building for lagging
    // counties, cannot change what units can do.
    let control = format!(
        "{body}[investment]\ntalent_rate = 0.0\nquality_rate = 0.0\n[platforms.build_cost]\nprovince = 0.0\ncity = 0.0\ncounty = 0.0\ntownship = 0.0\n[platforms.connection_cost]\ncity = 0.0\ncounty = 0.0\ntownship = 0.0\n[hardware]\nunit_cost = 1e-9\n[diffusion]\ncost_spontaneous = 0.0\ncost_promoted = 0.0\n"
    );
    // A weaker control, reported only: an ample budget everywhere.
    let ample = format!("{body}[investment]\nbudget_per_capita = 5000.0\n");
    let mut table = Measured::default();
    for w in ALL {
        let m = if w.name == CHINA.name {
            "east_west_gap"
        } else {
            "disparity_theil"
        };
        let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
            diff(ctx, runs, r, "none", "coordinated", m)
        };
        let (e, c) = (measure(w, "", body, f), measure(w, "", &control, f));
        let a = measure(w, "", &ample, f);
        table.put("ample", w.name, &a);
        println!("FACT | 8 ample-budget control | {} | {}", w.name, show(&a));
        if w.name != CHINA.name {
            // Within one province, transfers already co-fund every build
            // (`platforms.cofunding`), so lagging counties build their own,
            // better-fitting platforms and back-stopping them with the
            // province's adds little or costs fit: there the fact is not
            // expected. Its interval, and the interval with co-funding off
            // (the old cliff), are reported (docs/ODD.md), not asserted.
            let off = format!("{body}[platforms]\ncofunding = 0.0\n");
            let without = measure(w, "", &off, f);
            table.put("effect", w.name, &e);
            table.put("control", w.name, &c);
            table.put("cofunding_off", w.name, &without);
            println!(
                "FACT | 8 {m} none - coordinated | {} | effect {} | control {} | without co-funding {} | not asserted",
                w.name,
                show(&e),
                show(&c),
                show(&without)
            );
        } else {
            verdict_in(&mut table, &format!("8 {m} none - coordinated"), w, &e, &c);
        }
    }
    table.check(&["8"]);
}

#[test]
fn fact_09_municipalities_progress_faster_all_else_equal() {
    // The same world with municipalities given a prefecture city's
    // coordination capacity: the paired difference in the municipalities'
    // maturity gain is what their rank alone buys. In the provinces three
    // cities are drawn to municipality rank.
    let gain = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        let (s, m) = (
            scope(ctx, "rank", "municipality"),
            metric(ctx, "maturity_index"),
        );
        horizon(&runs[0][r], s, m) - runs[0][r].at(0, s, m)
    };
    let rank_effect = |w: WorldType, model: &str| {
        over_draws(|seed| {
            let extra = if w.name == CHINA.name {
                ""
            } else {
                "municipality_cities = 3\n"
            };
            let one = |body: String| {
                let ctx = draw(w, seed, extra, &body);
                let runs = run_all(&ctx);
                rep_mean(&runs, |runs, r| gain(&ctx, runs, r))
            };
            one(model.to_string())
                - one(format!(
                    "{model}[coordination.rank_capacity]\nmunicipality = {:?}\n",
                    facts_table::default("coordination.rank_capacity.prefecture")
                ))
        })
    };
    // Control: coordination capacity neither shortens lags nor lowers the
    // *unable* barrier.
    let control = "[coordination]\nspeed_effect = 0.0\n[barriers.unable]\nlead_effect = 0.0\n";
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "9 municipality maturity gain, own rank - prefecture rank",
            w,
            &rank_effect(w, ""),
            &rank_effect(w, control),
        );
    }
    table.check(&["9"]);
}

#[test]
fn fact_10_sector_coordination_helps_targeted_domains_most() {
    let body = "[[strategy]]\nname = \"none\"\n[[strategy]]\nname = \"sector\"\ncoordination = { sector_domains = [\"social_management\"], sector_strength = 1.0 }\n";
    // Control: sector coordination sets no coordination level of its own.
    let control = format!("{body}[coordination]\nsector_effect = 0.0\n");
    // Gain in social management minus the largest gain elsewhere.
    let f = |ctx: &Context, runs: &[Vec<ScopeSeries>], r: usize| {
        let g = |d: &str| diff(ctx, runs, r, "sector", "none", &format!("domain_{d}"));
        let target = g("social_management");
        let other = ctx
            .scenario
            .domains
            .iter()
            .filter(|d| d.id != "social_management")
            .map(|d| g(&d.id))
            .fold(f64::NEG_INFINITY, f64::max);
        target - other
    };
    let mut table = Measured::default();
    for w in ALL {
        verdict_in(
            &mut table,
            "10 social-management gain - largest other gain",
            w,
            &measure(w, "", body, f),
            &measure(w, "", &control, f),
        );
    }
    table.check(&["10"]);
}

#[test]
fn odd_table_rows_follow_the_data_file() {
    facts_table::check_layout();
}
