//! Swarm work spread over frames, for the app: a [`Driver`] keeps at most one batch on the GPU,
//! advances it a few dispatches per call and hands back the ends when it is done; a new key drops
//! the old batch at once, so a slider drag never queues stale work. A [`BallsDriver`] keeps a
//! lattice of walkers at the playback step, for the renderer to draw from their buffer.

use std::time::Instant;

use super::{Batch, End, GpuSwarm, SwarmError};
use crate::function::Function;
use crate::gpu::{GpuContext, SwarmRun};

/// A batch's ends so far: its key, the ends of its first `ends.len()` starts (whole bands, in start
/// order), whether that is all of them, and how long since the batch was started.
#[derive(Clone, Debug)]
pub struct Finished {
    pub key: u64,
    pub ends: Vec<End>,
    pub complete: bool,
    pub elapsed_ms: f64,
}

struct Job {
    key: u64,
    batch: Batch,
    /// The band under way (its starts' range) on the GPU, with its dispatches still to do.
    band: Option<(std::ops::Range<usize>, SwarmRun, u64)>,
    ends: Vec<End>,
    started: Instant,
}

impl Job {
    fn new(key: u64, batch: Batch) -> Self {
        Self {
            key,
            ends: Vec::with_capacity(batch.starts.len()),
            batch,
            band: None,
            started: Instant::now(),
        }
    }
}

/// One batch at a time, advanced by [`Driver::pump`], band by band.
#[derive(Default)]
pub struct Driver {
    swarm: GpuSwarm,
    job: Option<Job>,
    /// The key whose ends were last handed out whole: asked again, there is nothing to do.
    done: Option<u64>,
    /// The key that failed and why: asked again, the same error, without rebuilding the batch.
    failed: Option<(u64, String)>,
}

/// Steps each dispatch takes.
pub const STEPS_PER_DISPATCH: u32 = 50;
/// Starts per band: a big map arrives a band at a time (65 536 = a 256² map in one band, a
/// 1024² map in 16), so the view fills in while the frames stay short.
pub const BAND_STARTS: usize = 1 << 16;

impl Driver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Works on the batch called `key` (built by `batch` when it is new) for up to `dispatches`
    /// dispatches; returns its ends so far when a band completes (for a map of many bands, every
    /// eighth of them), `complete` on the last.
    /// A key other than the current job's replaces that job. Asking again for a key already
    /// delivered whole does nothing.
    pub fn pump(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        key: u64,
        batch: impl FnOnce() -> Batch,
        dispatches: u32,
    ) -> Result<Option<Finished>, SwarmError> {
        if self.done == Some(key) {
            return Ok(None);
        }
        if let Some((failed, why)) = &self.failed
            && *failed == key
        {
            return Err(SwarmError::Invalid(why.clone()));
        }
        if self.job.as_ref().is_none_or(|job| job.key != key) {
            self.job = Some(Job::new(key, batch()));
        }
        let result = self.advance_job(ctx, function, dispatches);
        if let Err(e) = &result {
            self.job = None;
            self.failed = Some((key, e.to_string()));
        }
        result
    }

    /// Advances the current job by up to `dispatches` dispatches, starting its next band where
    /// none is under way; the ends so far when a band completes and a delivery is due.
    fn advance_job(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        dispatches: u32,
    ) -> Result<Option<Finished>, SwarmError> {
        let Some(job) = self.job.as_mut() else {
            return Ok(None);
        };
        if job.band.is_none() {
            let first = job.ends.len();
            let range = first..(first + BAND_STARTS).min(job.batch.starts.len());
            let band = Batch {
                starts: job.batch.starts[range.clone()].to_vec(),
                ..job.batch.clone_without_starts()
            };
            let run = self.swarm.start(ctx, function, &band)?;
            let dispatches = (job.batch.max_steps as u64)
                .div_ceil(u64::from(STEPS_PER_DISPATCH))
                .max(1);
            job.band = Some((range, run, dispatches));
        }
        let Some((_, run, left)) = job.band.as_mut() else {
            return Ok(None);
        };
        for _ in 0..dispatches.max(1) {
            if *left == 0 {
                break;
            }
            self.swarm.advance(run, STEPS_PER_DISPATCH)?;
            *left -= 1;
        }
        if *left > 0 {
            return Ok(None);
        }
        let ends = self.swarm.read(run, job.batch.dims)?;
        job.ends.extend(ends);
        job.band = None;
        let complete = job.ends.len() >= job.batch.starts.len();
        // At most about eight partial deliveries: each is classified and uploaded whole.
        let bands_total = job.batch.starts.len().div_ceil(BAND_STARTS);
        let bands_done = job.ends.len().div_ceil(BAND_STARTS);
        if !complete && bands_done % bands_total.div_ceil(8).max(1) != 0 {
            return Ok(None);
        }
        let finished = Finished {
            key: job.key,
            ends: job.ends.clone(),
            complete,
            elapsed_ms: job.started.elapsed().as_secs_f64() * 1e3,
        };
        if complete {
            self.done = Some(job.key);
            self.job = None;
        }
        Ok(Some(finished))
    }

    /// Whether a batch is under way (not yet delivered whole).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Forgets the current job, what was delivered and what failed, so the next `pump` starts
    /// afresh.
    pub fn reset(&mut self) {
        self.job = None;
        self.done = None;
        self.failed = None;
    }
}

/// A lattice of walkers kept at the playback step: more steps are one dispatch, going back
/// re-uploads and steps forward again (walkers keep no history).
#[derive(Default)]
pub struct BallsDriver {
    swarm: GpuSwarm,
    state: Option<(u64, SwarmRun, usize, usize)>,
}

/// The most steps the balls take in one call; playback far ahead catches up over frames.
const MAX_STEPS_PER_SYNC: usize = 2000;

impl BallsDriver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings the walkers of batch `key` to `step` (a new key starts them afresh); returns the
    /// step they are at now.
    pub fn sync(
        &mut self,
        ctx: &GpuContext,
        function: &Function,
        key: u64,
        batch: impl FnOnce() -> Batch,
        step: usize,
    ) -> Result<usize, SwarmError> {
        let restart = match &self.state {
            Some((k, _, _, now)) => *k != key || step < *now,
            None => true,
        };
        if restart {
            self.state = None;
            let batch = batch();
            let run = self.swarm.start(ctx, function, &batch)?;
            self.state = Some((key, run, batch.dims, 0));
        }
        let Some((_, run, _, now)) = self.state.as_mut() else {
            return Ok(0);
        };
        if step > *now || restart {
            // A dispatch of 0 steps still evaluates row 0 of fresh walkers.
            let steps = (step - *now).min(MAX_STEPS_PER_SYNC);
            self.swarm.advance(run, steps as u32)?;
            *now += steps;
        }
        Ok(*now)
    }

    /// The walkers' buffer and count, for the renderer (None before the first sync).
    pub fn run(&self) -> Option<&SwarmRun> {
        self.state.as_ref().map(|(_, run, _, _)| run)
    }

    /// Where every ball is now (waits for the GPU): for tests and read-outs, not for drawing.
    pub fn read(&self) -> Result<Vec<End>, SwarmError> {
        match &self.state {
            Some((_, run, dims, _)) => self.swarm.read(run, *dims),
            None => Ok(Vec::new()),
        }
    }

    /// Drops the walkers.
    pub fn clear(&mut self) {
        self.state = None;
    }
}
