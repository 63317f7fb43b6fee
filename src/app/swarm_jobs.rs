//! The app's side of the swarm: every frame, what the view asks for (`ui::swarm`'s requests) is
//! worked on the GPU a few dispatches at a time — the basin map, the hyperparameter map, the
//! lattice of balls at the playback step — and the results handed to the model. A request that
//! changes (a slider moves) replaces the work under way instead of queueing behind it.

use crate::gpu::{GpuContext, SwarmRun};
use crate::swarm::{BallsDriver, Driver, SwarmError};
use crate::ui::Model;
use crate::ui::swarm::{balls_request, basins_request, known_minima, sweep_request};

/// Dispatches (of `swarm::STEPS_PER_DISPATCH` steps) each map may take per frame: a 256² map of
/// 100 steps lands in the frame it was asked for; bigger ones fill in over a few frames.
const DISPATCHES_PER_FRAME: u32 = 2;

#[derive(Default)]
pub struct SwarmJobs {
    basins: Driver,
    sweep: Driver,
    balls: BallsDriver,
    /// How long each basin map took from request to its last band, in ms (for the frame
    /// statistics of benches/app_basins.sh).
    pub basin_ms: Vec<f64>,
}

impl SwarmJobs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Works on what the model's view wants; returns whether more work remains (the caller
    /// should draw another frame soon).
    pub fn pump(&mut self, ctx: &GpuContext, model: &mut Model) -> bool {
        let basins = basins_request(model);
        let sweep = sweep_request(model);
        let balls = balls_request(model);
        let step = model.current_step();
        // The GPU work borrows the model's function; what comes back is handed over after.
        let function = model.function();
        let basins_done = basins.as_ref().map(|r| {
            self.basins
                .pump(ctx, function, r.key, || r.batch(), DISPATCHES_PER_FRAME)
        });
        let sweep_done = sweep.as_ref().map(|r| {
            self.sweep.pump(
                ctx,
                function,
                r.key,
                || r.batch.clone(),
                DISPATCHES_PER_FRAME,
            )
        });
        let balls_now = balls
            .as_ref()
            .map(|r| self.balls.sync(ctx, function, r.key, || r.batch(), step));

        let mut errors = Vec::new();
        match (basins, basins_done) {
            (Some(request), Some(Ok(Some(done)))) => {
                if done.complete {
                    self.basin_ms.push(done.elapsed_ms);
                }
                let known = known_minima(model);
                model.swarm.deliver_basins(&known, &request, done);
            }
            // The driver keeps the failure: the same request is not rebuilt every frame.
            (_, Some(Err(e))) => errors.push(e),
            (None, _) => {
                self.basins.reset();
                model.swarm.basins = None;
            }
            _ => {}
        }
        match (sweep, sweep_done) {
            (Some(request), Some(Ok(Some(done)))) => model.swarm.deliver_sweep(request.spec, done),
            (_, Some(Err(e))) => errors.push(e),
            (None, _) => {
                self.sweep.reset();
                model.swarm.sweep = None;
            }
            _ => {}
        }
        let mut busy = self.basins.busy() || self.sweep.busy();
        match (balls, balls_now) {
            (Some(request), Some(Ok(now))) => {
                model.swarm.balls = request.count() as u32;
                model.swarm.balls_step = now;
                busy |= now < step;
            }
            (_, Some(Err(e))) => {
                self.balls.clear();
                model.swarm.balls = 0;
                errors.push(e);
            }
            _ => {
                self.balls.clear();
                model.swarm.balls = 0;
            }
        }
        model.swarm.busy = busy;
        if !errors.is_empty() || !busy {
            model.swarm.error = errors.first().map(SwarmError::to_string);
        }
        busy
    }

    /// "basin maps: N recomputed, median M ms", when any were.
    pub fn summary(&self) -> Option<String> {
        let mut ms = self.basin_ms.clone();
        ms.sort_by(f64::total_cmp);
        let median = ms.get(ms.len() / 2)?;
        Some(format!(
            "basin maps: {} recomputed, median {median:.1} ms from request to the whole map",
            ms.len()
        ))
    }

    /// The balls' walker buffer for the renderer, while a swarm is shown.
    pub fn balls(&self) -> Option<&SwarmRun> {
        self.balls.run()
    }

    /// Where the balls are now (waits for the GPU): for tests and read-outs.
    pub fn read_balls(&self) -> Result<Vec<crate::swarm::End>, SwarmError> {
        self.balls.read()
    }
}
