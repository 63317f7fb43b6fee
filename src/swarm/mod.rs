//! Many descents at once: basin maps, hyperparameter sweeps and the app's swarm of balls. A
//! [`Batch`] is a list of starts (a point, a learning rate, a value of one swept hyperparameter)
//! run with one optimizer; it runs on the GPU in f32 (`gpu::SwarmKernel`, the step rules of
//! `optim::wgsl`) or on the CPU in f64 (`optim::run_to_end` on all cores, exactly `descend`).

mod basins;
mod cpu;
mod driver;
mod gpu;
mod sweep;

pub use basins::{
    BasinClass, BasinMap, CellColors, MAX_BASINS, basin_radius, classify, settle_tolerance,
};
pub use cpu::{run_cpu, run_cpu_watched, run_cpu_with};
pub use driver::{BAND_STARTS, BallsDriver, Driver, Finished, STEPS_PER_DISPATCH};
pub use gpu::{GpuSwarm, generated_source};
pub use sweep::{SweepAxis, SweepSpec, sweep_batch, sweep_npy, sweep_param_names};

use crate::function::Function;
use crate::optim::{Hyperparameters, OptimError, Status};

/// The most steps a run of a batch may take: every start takes them, possibly a million times.
pub const MAX_BATCH_STEPS: usize = 100_000;

/// The hyperparameter names a sweep may vary besides lr, as `Hyperparameters::set` knows them,
/// with the code the GPU kernel switches on (`gpu::SweptHyperparameter`).
pub(crate) const SWEPT_CODES: [(&str, crate::gpu::SweptHyperparameter); 8] = [
    ("momentum", crate::gpu::SweptHyperparameter::Momentum),
    ("alpha", crate::gpu::SweptHyperparameter::Alpha),
    ("beta1", crate::gpu::SweptHyperparameter::Beta1),
    ("beta2", crate::gpu::SweptHyperparameter::Beta2),
    ("eps", crate::gpu::SweptHyperparameter::Eps),
    ("rho", crate::gpu::SweptHyperparameter::Rho),
    ("weight-decay", crate::gpu::SweptHyperparameter::WeightDecay),
    (
        "momentum-decay",
        crate::gpu::SweptHyperparameter::MomentumDecay,
    ),
];

/// One descent of a batch: where it starts and the learning rate (and swept value) it runs with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Start {
    /// (x, y); a 1-D function ignores y.
    pub point: [f64; 2],
    pub lr: f64,
    /// The value of [`Batch::swept`] for this start (ignored when nothing is swept).
    pub param: f64,
}

/// Starts on `grid`'s lattice, row by row from the first y (a single row at y = 0 for a 1-D
/// function, `y_range` None), all at learning rate `lr`.
pub fn lattice(x_range: (f64, f64), y_range: Option<(f64, f64)>, n: usize, lr: f64) -> Vec<Start> {
    let xs = crate::cpu_grid::axis(x_range.0, x_range.1, n);
    let ys = y_range.map_or_else(|| vec![0.0], |(a, b)| crate::cpu_grid::axis(a, b, n));
    ys.iter()
        .flat_map(|&y| {
            xs.iter().map(move |&x| Start {
                point: [x, y],
                lr,
                param: 0.0,
            })
        })
        .collect()
}

/// The median ‖∇f‖ over `points` (those where it is finite and not zero): the function's own
/// gradient scale, which the swarm's tolerances are fractions of.
pub fn median_grad_norm(
    function: &crate::function::Function,
    points: impl Iterator<Item = [f64; 2]>,
) -> Option<f64> {
    let dims = function.dims();
    let mut norms: Vec<f64> = points
        .map(|p| crate::optim::grad_norm(&function.gradient(&p[..dims])))
        .filter(|n| n.is_finite() && *n > 0.0)
        .collect();
    norms.sort_by(f64::total_cmp);
    norms.get(norms.len() / 2).copied()
}

/// Starts that share an optimizer, its other hyperparameters, a step budget and a tolerance.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The optimizer and the hyperparameters every start shares (its `lr` is each start's own).
    pub hyper: Hyperparameters,
    /// The hyperparameter each start sets for itself besides lr (a sweep), by name.
    pub swept: Option<&'static str>,
    pub max_steps: usize,
    pub tol: Option<f64>,
    /// 1 or 2.
    pub dims: usize,
    pub starts: Vec<Start>,
}

impl Batch {
    /// The same optimizer, budget and tolerance with no starts (to fill with a subset).
    pub fn clone_without_starts(&self) -> Batch {
        Batch {
            hyper: self.hyper,
            swept: self.swept,
            max_steps: self.max_steps,
            tol: self.tol,
            dims: self.dims,
            starts: Vec::new(),
        }
    }

    /// The hyperparameters start `start` runs with; errors for values out of range.
    pub fn hyper_for(&self, start: &Start) -> Result<Hyperparameters, OptimError> {
        let mut hyper = self.hyper;
        hyper.lr = start.lr;
        if let Some(name) = self.swept {
            hyper.set(name, start.param)?;
        }
        hyper.validate()?;
        Ok(hyper)
    }

    /// Checks every start's hyperparameters and the tolerance before anything runs.
    pub fn validate(&self) -> Result<(), OptimError> {
        if let Some(tol) = self.tol
            && (tol.is_nan() || tol < 0.0)
        {
            return Err(OptimError::InvalidTolerance { value: tol });
        }
        for start in &self.starts {
            self.hyper_for(start)?;
            if !start.point.iter().all(|v| v.is_finite()) {
                return Err(OptimError::NonFiniteStart {
                    point: start.point.to_vec(),
                });
            }
        }
        Ok(())
    }

    /// [`Batch::validate`], and that `function` has the batch's number of variables.
    pub(crate) fn validate_for(&self, function: &Function) -> Result<(), SwarmError> {
        self.validate()?;
        if function.dims() != self.dims {
            return Err(SwarmError::Invalid(format!(
                "the batch is {}-D but the function is {}-D",
                self.dims,
                function.dims()
            )));
        }
        Ok(())
    }
}

/// Where one descent of a batch ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct End {
    /// (x, y) of the last row (y is the start's for a 1-D function).
    pub point: [f64; 2],
    pub value: f64,
    /// ‖∇f‖ at the last row.
    pub grad_norm: f64,
    /// The row index the run ended on.
    pub steps: u32,
    pub status: Status,
}

impl End {
    /// The code the `.npy` files use: 0 converged, 1 max_steps, 2 diverged, 3 singular_hessian.
    pub fn status_code(&self) -> u8 {
        status_code(self.status)
    }
}

/// 0 converged, 1 max_steps, 2 diverged, 3 singular_hessian (CLI.md, basins).
pub const fn status_code(status: Status) -> u8 {
    match status {
        Status::Converged => 0,
        Status::MaxSteps => 1,
        Status::Diverged => 2,
        Status::SingularHessian => 3,
    }
}

/// Why a batch could not run.
#[derive(Debug, thiserror::Error)]
pub enum SwarmError {
    #[error(transparent)]
    Optim(#[from] OptimError),
    #[error("the GPU swarm: {0}")]
    Gpu(#[from] crate::gpu::GpuError),
    #[error("the GPU swarm kernel: {0}")]
    Shader(#[from] crate::gpu::ShaderError),
    #[error("{0}")]
    Invalid(String),
    /// The caller's cancel check said stop (a newer request superseded this one).
    #[error("cancelled")]
    Cancelled,
}
