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
pub use diagnose::{Divergence, divergence};
pub use error::OptimError;
pub use linalg::{SINGULAR_RELATIVE_DET, hessian_is_singular};
pub use noise::{NormalRng, clip_grad_norm};
pub use runner::{
    Descent, RunEnd, RunOptions, Status, Step, Trajectory, grad_norm, predicted_change,
    prediction_ratio, run, run_to_end, run_with,
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
}
