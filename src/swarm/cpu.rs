//! A batch on the CPU: every start run by `optim::run_to_end` in f64 on all cores, exactly as
//! `gradscape descend` would run it. The reference the GPU swarm is tested against.

use rayon::prelude::*;

use super::{Batch, End, SwarmError};
use crate::function::Function;
use crate::optim::{OptimError, RunEnd, RunOptions, grad_norm, run_to_end, run_with};

/// Runs every start of `batch` to its end; the result is in the starts' order.
pub fn run_cpu(function: &Function, batch: &Batch) -> Result<Vec<End>, SwarmError> {
    run_cpu_with(function, batch, &RunOptions::default())
}

/// [`run_cpu`] with `descend`'s options around the optimizer: on a data objective with
/// mini-batches every start sees the same batches (the same seed), so each end is where
/// `descend` with those flags ends.
pub fn run_cpu_with(
    function: &Function,
    batch: &Batch,
    options: &RunOptions,
) -> Result<Vec<End>, SwarmError> {
    run_cpu_watched(function, batch, options, &|_| false)
}

/// [`run_cpu_with`] telling `watch` the fraction of starts done after each one; `watch`
/// returning true cancels the run.
pub fn run_cpu_watched(
    function: &Function,
    batch: &Batch,
    options: &RunOptions,
    watch: &(dyn Fn(f64) -> bool + Sync),
) -> Result<Vec<End>, SwarmError> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = batch.starts.len().max(1) as f64;
    batch.validate_for(function)?;
    let dims = batch.dims;
    batch
        .starts
        .par_iter()
        .map(|start| {
            if watch(done.load(std::sync::atomic::Ordering::Relaxed) as f64 / total) {
                return Err(SwarmError::Cancelled);
            }
            let hyper = batch.hyper_for(start)?;
            let point = &start.point[..dims];
            let end = if *options == RunOptions::default() {
                run_to_end(function, &hyper, point, batch.max_steps, batch.tol)?
            } else {
                last_row(run_with(
                    function,
                    &hyper,
                    options,
                    point,
                    batch.max_steps,
                    batch.tol,
                )?)?
            };
            let mut point = start.point;
            point[..dims].copy_from_slice(&end.point);
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(End {
                point,
                value: end.value,
                grad_norm: grad_norm(&end.gradient),
                // max_steps is capped far below u32::MAX by every caller; saturate regardless.
                steps: u32::try_from(end.steps).unwrap_or(u32::MAX),
                status: end.status,
            })
        })
        .collect()
}

/// Where a trajectory ended, as [`run_to_end`] reports it.
fn last_row(mut trajectory: crate::optim::Trajectory) -> Result<RunEnd, OptimError> {
    let steps = trajectory.steps.len().saturating_sub(1);
    // A trajectory always holds row 0.
    let last = trajectory.steps.pop().ok_or(OptimError::NoVariables)?;
    Ok(RunEnd {
        point: last.point,
        value: last.value,
        gradient: last.gradient,
        steps,
        status: trajectory.status,
    })
}
