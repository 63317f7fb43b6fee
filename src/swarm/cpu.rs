//! A batch on the CPU: every start run by `optim::run_to_end` in f64 on all cores, exactly as
//! `gradscape descend` would run it. The reference the GPU swarm is tested against.

use rayon::prelude::*;

use super::{Batch, End, SwarmError};
use crate::function::Function;
use crate::optim::{grad_norm, run_to_end};

/// Runs every start of `batch` to its end; the result is in the starts' order.
pub fn run_cpu(function: &Function, batch: &Batch) -> Result<Vec<End>, SwarmError> {
    batch.validate()?;
    if function.dims() != batch.dims {
        return Err(SwarmError::Invalid(format!(
            "the batch is {}-D but the function is {}-D",
            batch.dims,
            function.dims()
        )));
    }
    let dims = batch.dims;
    batch
        .starts
        .par_iter()
        .map(|start| {
            let hyper = batch.hyper_for(start)?;
            let end = run_to_end(
                function,
                &hyper,
                &start.point[..dims],
                batch.max_steps,
                batch.tol,
            )?;
            let mut point = start.point;
            point[..dims].copy_from_slice(&end.point);
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
