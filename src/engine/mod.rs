//! The engine: the world compiled into flat arrays and stepped quarter by
//! quarter for one (strategy, replicate) at a time.
//!
//! Rules: **the engine does no I/O**; a run's randomness comes only from
//! streams derived from (scenario seed, replicate, stream name), so a
//! replicate is the same whichever thread runs it and every strategy of a
//! replicate sees the same draws; after [`Runner::new`] the step loop
//! allocates nothing.

pub mod compiled;
pub mod links;
pub mod maturity;
pub mod plan;
pub mod state;
pub mod step;

use crate::error::Result;
use crate::maturity_score::{Framework, Scorer};
use crate::metrics::collect::{Collector, MetricTable};
use crate::scenario::Scenario;
use crate::world::World;
use compiled::Compiled;
use plan::Plan;
use state::State;
use step::{Clock, Scratch};

/// Everything shared read-only by all runs of a scenario.
#[derive(Debug)]
pub struct Context {
    pub scenario: Scenario,
    pub world: World,
    pub compiled: Compiled,
    pub plans: Vec<Plan>,
    pub metrics: MetricTable,
    pub framework: Framework,
}

impl Context {
    /// Build the world, compile it and every strategy.
    pub fn new(scenario: Scenario) -> Result<Context> {
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
        let metrics = MetricTable::new(&scenario, &world);
        Ok(Context {
            scenario,
            world,
            compiled,
            plans,
            metrics,
            framework,
        })
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

/// Per-worker buffers: a run's state, scratch and maturity scorer.
pub struct Runner {
    pub state: State,
    scratch: Scratch,
    scorer: Scorer,
    rows: Vec<f64>,
    pub maturity: Vec<f64>,
    pub stage: Vec<u8>,
    collector: Collector,
}

impl Runner {
    pub fn new(ctx: &Context) -> Runner {
        let c = &ctx.compiled;
        Runner {
            state: State::new(c, &ctx.scenario),
            scratch: Scratch::new(c.n_units),
            scorer: ctx.framework.scorer(&maturity::COLUMNS),
            rows: vec![0.0; c.n_units * maturity::COLUMNS.len()],
            maturity: vec![0.0; c.n_units],
            stage: vec![0; c.n_units],
            collector: Collector::new(ctx),
        }
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
        let plan = &ctx.plans[strategy];
        self.state.reset(
            &ctx.compiled,
            &ctx.scenario,
            replicate,
            plan.partner_a.len(),
            &plan.partner_elig,
        );
        step::quarter(
            ctx,
            plan,
            &mut self.state,
            &mut self.scratch,
            Clock { t: 0 },
            true,
        );
        self.record(ctx, plan, Clock { t: 0 }, &mut frame);
        for t in 1..=ctx.quarters() {
            step::quarter(
                ctx,
                plan,
                &mut self.state,
                &mut self.scratch,
                Clock { t },
                false,
            );
            self.record(ctx, plan, Clock { t }, &mut frame);
        }
    }

    fn record(
        &mut self,
        ctx: &Context,
        plan: &Plan,
        clock: Clock,
        frame: &mut impl FnMut(u32, &[f64]),
    ) {
        maturity::indicators(ctx, plan, &self.state, clock, &mut self.rows);
        self.scorer
            .score(&self.rows, &mut self.maturity, &mut self.stage);
        let values = self
            .collector
            .collect(ctx, plan, &self.state, &self.maturity, &self.stage);
        frame(clock.t, values);
    }
}
