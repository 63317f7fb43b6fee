//! What happens around the optimizer each step, as the CLI and the app set it: schedule,
//! gradient noise, clipping, line search, mini-batches; and their range checks.

use serde::{Deserialize, Serialize};

use super::super::config::OptimizerKind;
use super::super::error::OptimError;
use super::super::schedule::Schedule;
use crate::data::Sampling;

/// Mini-batches on a data objective (CLI.md, "Data objectives"): each step's gradient is the
/// mean over `size` rows drawn by `sampling`, seeded by the run's seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOptions {
    pub size: usize,
    #[serde(default)]
    pub sampling: Sampling,
}

/// What happens around the optimizer each step (CLI.md, descend), in this order: gradient noise,
/// clipping, the scheduled learning rate, the line search. All off by default; the GPU swarm
/// ignores them (it runs the plain rules).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunOptions {
    pub schedule: Schedule,
    /// σ of the Gaussian noise added to each gradient the optimizer sees; 0 = exact.
    pub noise: f64,
    /// Seeds the noise; the same seed gives the same run.
    pub seed: u64,
    /// torch's clip_grad_norm_ max_norm, or None for no clipping.
    pub clip_norm: Option<f64>,
    /// Armijo backtracking from the scheduled lr (sgd only).
    pub line_search: bool,
    /// Mini-batches, on a data objective; None: every step sees every row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchOptions>,
}

impl RunOptions {
    /// Range checks, and the line search only where it is defined (sgd).
    pub fn validate(&self, kind: OptimizerKind) -> Result<(), OptimError> {
        self.schedule.validate()?;
        if !(self.noise.is_finite() && self.noise >= 0.0) {
            return Err(OptimError::BadNoise { value: self.noise });
        }
        if let Some(c) = self.clip_norm
            && !(c.is_finite() && c > 0.0)
        {
            return Err(OptimError::BadClipNorm { value: c });
        }
        if self.line_search && kind != OptimizerKind::Sgd {
            return Err(OptimError::LineSearchNeedsSgd { kind });
        }
        if let Some(batch) = self.batch
            && batch.size == 0
        {
            return Err(OptimError::BadBatchSize);
        }
        Ok(())
    }

    /// Whether any option changes the learning rate from row to row (the CSV's lr column).
    pub fn varies_lr(&self) -> bool {
        self.schedule != Schedule::Constant || self.line_search
    }
}
