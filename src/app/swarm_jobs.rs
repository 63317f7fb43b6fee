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
        let function = model.function().clone();
        let mut busy = false;
        let mut error = None;
        let mut note = |e: SwarmError| error = Some(e.to_string());

        match basins_request(model) {
            Some(request) => {
                let known = known_minima(model);
                let batch = request.batch.clone();
                match self
                    .basins
                    .pump(ctx, &function, request.key, || batch, DISPATCHES_PER_FRAME)
                {
                    Ok(Some(done)) => {
                        if done.complete {
                            self.basin_ms.push(done.elapsed_ms);
                        }
                        model.swarm.deliver_basins(&known, &request, done);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        self.basins.reset();
                        note(e);
                    }
                }
            }
            None => {
                self.basins.reset();
                model.swarm.basins = None;
            }
        }

        match sweep_request(model) {
            Some((request, spec)) => {
                let batch = request.batch.clone();
                match self
                    .sweep
                    .pump(ctx, &function, request.key, || batch, DISPATCHES_PER_FRAME)
                {
                    Ok(Some(done)) => model.swarm.deliver_sweep(spec, done),
                    Ok(None) => {}
                    Err(e) => {
                        self.sweep.reset();
                        note(e);
                    }
                }
            }
            None => {
                self.sweep.reset();
                model.swarm.sweep = None;
            }
        }

        busy |= self.basins.busy() || self.sweep.busy();
        match balls_request(model) {
            Some(request) => {
                let step = model.current_step();
                let count = request.batch.starts.len() as u32;
                let batch = request.batch;
                match self.balls.sync(ctx, &function, request.key, || batch, step) {
                    Ok(now) => {
                        model.swarm.balls = count;
                        model.swarm.balls_step = now;
                        busy |= now < step;
                    }
                    Err(e) => {
                        self.balls.clear();
                        model.swarm.balls = 0;
                        note(e);
                    }
                }
            }
            None => {
                self.balls.clear();
                model.swarm.balls = 0;
            }
        }
        model.swarm.busy = busy;
        if error.is_some() || !busy {
            model.swarm.error = error;
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
