//! A simulation: a scenario made ready to play ([`Context`]) and the
//! per-worker buffers that play it ([`Runner`]). This module sits above
//! [`crate::engine`] (the compiled world, the plans, the quarter step) and
//! [`crate::metrics`] (what a frame holds), which do not know it.
//!
//! Rules: [`Context::new`] is where a scenario's files are read (a `csv`
//! world tree and its attributes file through [`World::build`], a
//! framework file through [`Framework::for_scenario`]), once, before any
//! run; [`Context::replicate`] and [`Runner`] read none. After
//! [`Runner::new`] a run allocates nothing per step.

use crate::engine::compiled::Compiled;
use crate::engine::plan::Plan;
use crate::engine::state::State;
use crate::engine::step::{self, Clock, Scratch};
use crate::engine::{Setup, maturity};
use crate::error::Result;
use crate::maturity_score::{Framework, Scorer};
use crate::mechanisms::sized;
use crate::metrics::collab_index;
use crate::metrics::collect::{Collector, MetricTable, Sources};
use crate::scenario::{Scenario, WorldDraw};
use crate::world::World;

/// Everything shared read-only by all runs of a scenario.
#[derive(Debug)]
pub struct Context {
    pub scenario: Scenario,
    pub world: World,
    pub compiled: Compiled,
    pub plans: Vec<Plan>,
    pub metrics: MetricTable,
    pub framework: Framework,
    /// Replicates keep replicate 0's structure ([`Context::keep_structure`]).
    fixed_structure: bool,
}

impl Context {
    /// Build the world, compile it and every strategy.
    pub fn new(scenario: Scenario) -> Result<Context> {
        crate::world::size::check(&scenario)?;
        let world = World::build(&scenario)?;
        Context::with_world(scenario, world)
    }

    /// Compile a scenario against an already built world.
    pub fn with_world(scenario: Scenario, world: World) -> Result<Context> {
        let compiled = Compiled::build(&world, &scenario);
        let plans = (0..scenario.strategies.len())
            .map(|s| Plan::build(&scenario, &world, &compiled, s))
            .collect::<Result<Vec<_>>>()?;
        let framework = Framework::for_scenario(&scenario)?;
        framework.check_columns(&maturity::COLUMNS)?;
        let metrics = MetricTable::new(&scenario);
        if World::draws_structure(&scenario) && scenario.run.world == WorldDraw::PerReplicate {
            check_stable_names(&scenario, &world)?;
        }
        Ok(Context {
            scenario,
            world,
            compiled,
            plans,
            metrics,
            framework,
            fixed_structure: false,
        })
    }

    /// The context replicate `replicate` plays in. Under `run.world =
    /// "fixed"` (and for replicate 0, whose world this is) it is this one;
    /// under `"per-replicate"` it holds the replicate's redrawn world
    /// (around the same structure, or with its own drawn counties and
    /// townships, see [`World::draws_structure`]), compiled and planned
    /// anew, so that every
    /// strategy of the replicate still meets the same world and the same
    /// draws (paired comparisons), while intervals over replicates cover
    /// the uncertainty of the world as well as exchange noise.
    pub fn replicate(&self, replicate: u32) -> ReplicateContext<'_> {
        if replicate == 0 || self.scenario.run.world == WorldDraw::Fixed {
            return ReplicateContext::Shared(self);
        }
        let sc = &self.scenario;
        let world = if self.fixed_structure {
            self.world.redraw_attributes(sc, replicate)
        } else {
            self.world.redraw(sc, replicate)
        };
        let (compiled, plans) = if world.structure == self.world.structure {
            // Same units and links: only what depends on drawn values changes.
            let mut compiled = self.compiled.clone();
            compiled.set_attributes(&world, sc);
            let plans = self
                .plans
                .iter()
                .enumerate()
                .map(|(s, p)| p.redraw(sc, &compiled, s, replicate))
                .collect();
            (compiled, plans)
        } else {
            // A drawn structure: compile and plan the new world whole. Names
            // the plans look up were checked against every structure the
            // preset can draw (`check_stable_names`), so this cannot fail.
            let compiled = self.compiled.rebuild(&world, sc);
            let plans = (0..sc.strategies.len())
                .map(|s| {
                    Plan::build_for(sc, &world, &compiled, s, replicate)
                        .expect("plan names resolve in every drawn structure")
                })
                .collect();
            (compiled, plans)
        };
        debug_assert_eq!(world.scopes.scopes.len(), self.world.scopes.scopes.len());
        ReplicateContext::Drawn(Box::new(Context {
            scenario: sc.clone(),
            world,
            compiled,
            plans,
            metrics: self.metrics.clone(),
            framework: self.framework.clone(),
            fixed_structure: self.fixed_structure,
        }))
    }

    /// Keep replicate 0's structure in every replicate even where the
    /// preset would draw it: the attributes, needs, populations and ranks
    /// are still drawn per replicate under `run.world = "per-replicate"`.
    /// For the classroom and the web app, whose per-unit choices and
    /// network view name the units of one tree.
    pub fn keep_structure(&mut self) {
        self.fixed_structure = true;
    }

    /// What a quarter reads.
    pub(crate) fn setup(&self) -> Setup<'_> {
        Setup {
            scenario: &self.scenario,
            compiled: &self.compiled,
        }
    }

    /// What a frame of metrics is computed from.
    pub(crate) fn sources(&self) -> Sources<'_> {
        Sources {
            table: &self.metrics,
            scopes: &self.world.scopes,
            compiled: &self.compiled,
            standards: &self.scenario.model.standards,
        }
    }

    /// Quarters simulated.
    pub fn quarters(&self) -> u32 {
        self.scenario.run.years * 4
    }

    /// Values in one frame: scopes × metrics.
    pub fn frame_len(&self) -> usize {
        self.world.scopes.scopes.len() * self.metrics.defs.len()
    }
}

/// Refuse names (partnership members, event scopes) of units below city
/// level when each replicate draws its own counties and townships: a
/// county such as `c01-k07` exists in some replicates' worlds and not in
/// others. Cities, the province and the national unit exist in all.
fn check_stable_names(sc: &Scenario, world: &World) -> Result<()> {
    use crate::catalog::Level;
    let names = sc
        .strategies
        .iter()
        .enumerate()
        .flat_map(|(s, st)| {
            st.levers
                .regional
                .pairs
                .iter()
                .enumerate()
                .flat_map(move |(k, pair)| {
                    pair.iter().enumerate().map(move |(j, n)| {
                        (
                            n.as_str(),
                            format!("strategy[{s}].regional.pairs[{k}][{j}]"),
                        )
                    })
                })
        })
        .chain(
            sc.events
                .iter()
                .enumerate()
                .map(|(i, e)| (e.scope.as_str(), format!("event[{i}].scope"))),
        );
    for (name, key) in names {
        let Some(u) = world.find_unit(name) else {
            continue; // reported with its place by the plan
        };
        let unit = &world.units[u as usize];
        if unit.level > Level::City {
            return Err(crate::error::InputError::new(format!(
                "`{name}` is a {} of the synthetic province, whose counties and townships are drawn anew in every replicate (world.counties_dispersion, world.townships_dispersion), so it does not exist in every replicate's world",
                unit.level.id()
            ))
            .key(key)
            .expected("a city, the province or the national unit")
            .suggest("name a city, or set world.counties_dispersion = 0 and world.townships_dispersion = 0 (exact counts), or run.world = \"fixed\"")
            .into());
        }
    }
    Ok(())
}

/// The context of one replicate: the shared one, or one with its own world.
pub enum ReplicateContext<'a> {
    Shared(&'a Context),
    Drawn(Box<Context>),
}

impl std::ops::Deref for ReplicateContext<'_> {
    type Target = Context;
    fn deref(&self) -> &Context {
        match self {
            ReplicateContext::Shared(c) => c,
            ReplicateContext::Drawn(c) => c,
        }
    }
}

/// Per-worker buffers: a run's state, scratch and maturity scorer.
pub struct Runner {
    pub state: State,
    scratch: Scratch,
    scorer: Scorer,
    rows: Vec<f64>,
    pub maturity: Vec<f64>,
    pub stage: Vec<u8>,
    collector: Collector,
    /// Structure of the world the buffers are sized for ([`World::structure`]).
    structure: u64,
}

impl Runner {
    pub fn new(ctx: &Context) -> Runner {
        let mut runner = Runner {
            state: State::default(),
            scratch: Scratch::default(),
            scorer: ctx.framework.scorer(&maturity::COLUMNS),
            rows: Vec::new(),
            maturity: Vec::new(),
            stage: Vec::new(),
            collector: Collector::default(),
            structure: ctx.world.structure,
        };
        runner.size(ctx);
        runner
    }

    /// Refit the buffers for `ctx` if its world has another structure than
    /// the last one played (a replicate that drew its own counties and
    /// townships): once per replicate at most, never per step, and in
    /// place, so the worker keeps its allocations.
    fn fit(&mut self, ctx: &Context) {
        if self.structure != ctx.world.structure {
            self.size(ctx);
            self.structure = ctx.world.structure;
        }
    }

    fn size(&mut self, ctx: &Context) {
        let c = &ctx.compiled;
        self.state.fit(c, &ctx.scenario);
        self.scratch.fit(c.n_units, c.n_domains, c.groups.len());
        sized(&mut self.rows, c.n_units * maturity::COLUMNS.len(), 0.0);
        sized(&mut self.maturity, c.n_units, 0.0);
        sized(&mut self.stage, c.n_units, 0);
        self.collector.fit(
            ctx.sources(),
            ctx.scenario.model.diffusion.max_innovations as usize,
        );
    }

    /// Play one replicate of one strategy. `frame` is called for every time
    /// point (t = 0 is the initial state, then each quarter) with the
    /// scope × metric values (NaN where a metric does not apply).
    pub fn run(
        &mut self,
        ctx: &Context,
        strategy: usize,
        replicate: u32,
        mut frame: impl FnMut(u32, &[f64]),
    ) {
        self.run_observed(ctx, strategy, replicate, |t, values, _| frame(t, values));
    }

    /// As [`Runner::run`], also showing the unit-level view of every time
    /// point (for the classroom network view and indicator exports).
    pub fn run_observed(
        &mut self,
        ctx: &Context,
        strategy: usize,
        replicate: u32,
        mut frame: impl FnMut(u32, &[f64], &UnitView),
    ) {
        let plan = &ctx.plans[strategy];
        self.play(
            ctx,
            |_| plan,
            replicate,
            ctx.quarters(),
            |runner, plan, clock| runner.record(ctx, plan, clock, &mut frame),
        );
    }

    /// Play one replicate of one strategy and return only the frame at the
    /// horizon (scope × metric values): maturity and metrics are computed
    /// once instead of every quarter, which sweeps and sensitivity analyses
    /// need. The values equal the last frame of [`Runner::run`].
    pub fn run_horizon(&mut self, ctx: &Context, strategy: usize, replicate: u32) -> &[f64] {
        let plan = &ctx.plans[strategy];
        self.play(ctx, |_| plan, replicate, ctx.quarters(), |_, _, _| {});
        let clock = Clock { t: ctx.quarters() };
        maturity::indicators(&ctx.setup(), plan, &self.state, clock, &mut self.rows);
        self.scorer
            .score(&self.rows, &mut self.maturity, &mut self.stage);
        self.collector.collect(
            ctx.sources(),
            plan,
            &self.state,
            &self.maturity,
            &self.stage,
        )
    }

    /// Play one replicate for `quarters` quarters (at most the scenario's)
    /// with levers that change year by year: quarter `t` follows
    /// `plans[year(t) − 1]`, the last plan once the list ends (the
    /// classroom role-play, `crate::class`, whose plans come from
    /// [`Plan::with_units`]). `frame` sees t = 0 and the end of every year.
    pub fn run_schedule(
        &mut self,
        ctx: &Context,
        plans: &[Plan],
        replicate: u32,
        quarters: u32,
        mut frame: impl FnMut(u32, &[f64], &UnitView),
    ) {
        assert!(!plans.is_empty(), "a schedule needs at least one plan");
        let plan_at = |clock: Clock| &plans[((clock.year() as usize) - 1).min(plans.len() - 1)];
        self.play(ctx, plan_at, replicate, quarters, |runner, plan, clock| {
            if clock.t % 4 == 0 {
                runner.record(ctx, plan, clock, &mut frame);
            }
        });
    }

    /// Reset for the replicate (its partnerships are the first plan's),
    /// play the warm-up (t = 0) and every quarter up to `quarters` (at most
    /// the scenario's) with the plan `plan_at` gives for it, calling `after`
    /// once each time point's state is complete.
    fn play<'p>(
        &mut self,
        ctx: &Context,
        plan_at: impl Fn(Clock) -> &'p Plan,
        replicate: u32,
        quarters: u32,
        mut after: impl FnMut(&mut Runner, &'p Plan, Clock),
    ) {
        self.fit(ctx);
        let first = plan_at(Clock { t: 0 });
        self.state.reset(
            &ctx.compiled,
            &ctx.scenario,
            replicate,
            first.partner_a.len(),
            &first.partner_elig,
        );
        let setup = ctx.setup();
        for t in 0..=quarters.min(ctx.quarters()) {
            let clock = Clock { t };
            let plan = plan_at(clock);
            step::quarter(
                &setup,
                plan,
                &mut self.state,
                &mut self.scratch,
                clock,
                t == 0,
            );
            after(self, plan, clock);
        }
    }

    fn record(
        &mut self,
        ctx: &Context,
        plan: &Plan,
        clock: Clock,
        frame: &mut impl FnMut(u32, &[f64], &UnitView),
    ) {
        maturity::indicators(&ctx.setup(), plan, &self.state, clock, &mut self.rows);
        self.scorer
            .score(&self.rows, &mut self.maturity, &mut self.stage);
        let values = self.collector.collect(
            ctx.sources(),
            plan,
            &self.state,
            &self.maturity,
            &self.stage,
        );
        let view = UnitView {
            state: &self.state,
            indicators: &self.rows,
            maturity: &self.maturity,
            stage: &self.stage,
        };
        frame(clock.t, values, &view);
    }
}

/// Read-only view of every unit at one time point.
pub struct UnitView<'a> {
    /// Full state (per-unit smoothed flows `ema_up`, `ema_down`, `ema_share`, `ema_usab`, domain stocks, costs…).
    pub state: &'a State,
    /// Indicator rows, units × `maturity::COLUMNS`.
    pub indicators: &'a [f64],
    /// Maturity index (0–100) and stage (1–5) per unit; NaN / 0 for the national unit.
    pub maturity: &'a [f64],
    pub stage: &'a [u8],
}

impl UnitView<'_> {
    /// Tiao-kuai collaboration index of unit `u` (0–100).
    pub fn collab(&self, u: usize) -> f64 {
        collab_index(self.state, u)
    }
}
