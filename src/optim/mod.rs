//! Optimizers that descend an [`Objective`] in f64 with torch.optim's exact update rules, plus a
//! trajectory runner that records every step and says why the run stopped. The CLI's `descend`
//! and the app's draggable run both use it; nothing here knows about wgpu or egui.

mod config;
mod diagnose;
mod error;
pub mod export;
mod linalg;
mod noise;
mod objective_function;
mod rules;
mod runner;
mod schedule;
mod step;
pub mod wgsl;

#[cfg(test)]
mod options_tests;
#[cfg(test)]
mod reference_tests;
#[cfg(test)]
mod test_objectives;
#[cfg(test)]
mod torch_family_tests;

pub use config::{HYPERPARAMETER_NAMES, Hyperparameters, OptimizerKind, SWITCH_NAMES};
pub use diagnose::{Divergence, divergence, diverging};
pub use error::OptimError;
pub use linalg::{SINGULAR_RELATIVE_DET, hessian_is_singular};
pub use noise::{NormalRng, clip_grad_norm};
pub use runner::{
    BatchOptions, Descent, RunEnd, RunOptions, Status, Step, Trajectory, grad_norm,
    predicted_change, prediction_ratio, run, run_to_end, run_with,
};
pub use schedule::{LrScheduler, SCHEDULE_FORMS, Schedule};
pub use step::{Optimizer, StepError};

/// Something optimizers can descend: f, ∇f and the Hessian at a point, in f64.
pub trait Objective {
    /// Number of variables (1 or 2 in gradscape, but do not assume).
    fn dims(&self) -> usize;
    fn value(&self, point: &[f64]) -> f64;
    /// Writes ∇f(point) into `grad` (len = dims).
    fn gradient(&self, point: &[f64], grad: &mut [f64]);
    /// Writes the Hessian, row-major (len = dims*dims).
    fn hessian(&self, point: &[f64], hess: &mut [f64]);
    /// f and ∇f together; objectives that compute both in one pass (a compiled `Function`)
    /// override this so each trajectory row costs one evaluation, not two.
    fn value_and_gradient(&self, point: &[f64], grad: &mut [f64]) -> f64 {
        self.gradient(point, grad);
        self.value(point)
    }

    /// Rows of data the objective is a mean over (a model's loss), or None.
    fn data_rows(&self) -> Option<usize> {
        None
    }

    /// f and ∇f of the mean over `rows` alone: a mini-batch's. The whole objective where it
    /// has no rows.
    fn batch_value_and_gradient(&self, point: &[f64], _rows: &[u32], grad: &mut [f64]) -> f64 {
        self.value_and_gradient(point, grad)
    }

    /// The Hessian of the mean over `rows` alone.
    fn batch_hessian(&self, point: &[f64], _rows: &[u32], hess: &mut [f64]) {
        self.hessian(point, hess)
    }
}

/// An objective seen through one mini-batch: every value, gradient and Hessian is the mean over
/// `rows` alone. What the optimizer (Newton's Hessian, Armijo's test included) steps on.
pub struct OnRows<'a> {
    pub objective: &'a dyn Objective,
    pub rows: &'a [u32],
}

impl Objective for OnRows<'_> {
    fn dims(&self) -> usize {
        self.objective.dims()
    }

    fn value(&self, point: &[f64]) -> f64 {
        let mut grad = vec![0.0; self.dims()];
        self.objective
            .batch_value_and_gradient(point, self.rows, &mut grad)
    }

    fn gradient(&self, point: &[f64], grad: &mut [f64]) {
        self.objective
            .batch_value_and_gradient(point, self.rows, grad);
    }

    fn hessian(&self, point: &[f64], hess: &mut [f64]) {
        self.objective.batch_hessian(point, self.rows, hess);
    }

    fn value_and_gradient(&self, point: &[f64], grad: &mut [f64]) -> f64 {
        self.objective
            .batch_value_and_gradient(point, self.rows, grad)
    }
}
