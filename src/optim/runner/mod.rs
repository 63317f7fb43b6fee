//! Runs an optimizer from a start point and records the trajectory, one row per point, with the
//! stop rules of `gradscape descend` (CLI.md): diverged, converged, singular Hessian, max steps.
//! `Descent` advances one step at a time for the app; `run` drives it to the end for the CLI.

mod options;
#[cfg(test)]
mod tests;
mod trajectory;

pub use options::{BatchOptions, RunOptions};
pub use trajectory::{Status, Step, Trajectory, grad_norm, predicted_change, prediction_ratio};

use super::config::Hyperparameters;
use super::error::OptimError;
use super::noise::{NormalRng, clip_grad_norm};
use super::schedule::LrScheduler;
use super::step::{Optimizer, StepError};
use super::{Objective, OnRows};
use crate::data::{Batcher, Sampling};

/// Armijo's sufficient-decrease condition, backtracking: the step t starts at `lr` and halves
/// while f(x − t·d) > f(x) − 1e-4·t·‖d‖², at most 60 times. A NaN value counts as no decrease.
fn armijo_step(objective: &dyn Objective, point: &[f64], value: f64, d: &[f64], lr: f64) -> f64 {
    let d_norm_sq = d.iter().fold(0.0, |s, v| s + v * v);
    let mut trial = vec![0.0; point.len()];
    let mut t = lr;
    for _ in 0..60 {
        for ((x, p), di) in trial.iter_mut().zip(point).zip(d) {
            *x = p - t * di;
        }
        if objective.value(&trial) <= value - 1e-4 * t * d_norm_sq {
            break;
        }
        t *= 0.5;
    }
    t
}
/// A run in progress, advanced one step at a time (the app steps it per frame; `run` loops it).
#[derive(Clone, Debug, PartialEq)]
pub struct Descent {
    optimizer: Optimizer,
    tol: Option<f64>,
    steps: Vec<Step>,
    status: Option<Status>,
    options: RunOptions,
    scheduler: LrScheduler,
    rng: NormalRng,
    /// Draws each step's rows on a data objective (every row, when no batch size is set).
    batcher: Option<Batcher>,
}

impl Descent {
    /// Evaluates row 0 at `start`; the run may already be over (start converged or diverged).
    /// Errors: invalid hyperparameters, `start.len() != objective.dims()`, a non-finite start,
    /// `tol` negative or NaN.
    pub fn new(
        objective: &dyn Objective,
        hyper: &Hyperparameters,
        start: &[f64],
        tol: Option<f64>,
    ) -> Result<Self, OptimError> {
        Descent::with_options(objective, hyper, &RunOptions::default(), start, tol)
    }

    /// [`Descent::new`] with noise, clipping, a schedule or a line search around the optimizer.
    pub fn with_options(
        objective: &dyn Objective,
        hyper: &Hyperparameters,
        options: &RunOptions,
        start: &[f64],
        tol: Option<f64>,
    ) -> Result<Self, OptimError> {
        let dims = objective.dims();
        let optimizer = Optimizer::new(hyper, dims)?;
        options.validate(hyper.kind)?;
        if start.len() != dims {
            return Err(OptimError::WrongDimensions {
                expected: dims,
                got: start.len(),
            });
        }
        if !start.iter().all(|x| x.is_finite()) {
            return Err(OptimError::NonFiniteStart {
                point: start.to_vec(),
            });
        }
        if let Some(t) = tol
            && (t.is_nan() || t < 0.0)
        {
            return Err(OptimError::InvalidTolerance { value: t });
        }
        let mut descent = Descent {
            optimizer,
            tol,
            steps: Vec::new(),
            status: None,
            options: *options,
            scheduler: LrScheduler::new(options.schedule, hyper.lr),
            rng: NormalRng::new(options.seed),
            batcher: objective.data_rows().map(|n| {
                let batch = options.batch.unwrap_or(BatchOptions {
                    size: n,
                    sampling: Sampling::Shuffle,
                });
                Batcher::new(n, batch.size, batch.sampling, options.seed)
            }),
        };
        descent.record(evaluate(objective, 0, start.to_vec()));
        Ok(descent)
    }

    /// Takes one step and records its row, returning it; `Ok(None)` when the run had already
    /// stopped or stops now without a row (singular Hessian). Errors only when `objective` has a
    /// different number of variables than the one the run started on.
    pub fn advance(&mut self, objective: &dyn Objective) -> Result<Option<&Step>, OptimError> {
        if self.status.is_some() {
            return Ok(None);
        }
        let dims = self.optimizer.dims();
        if objective.dims() != dims {
            return Err(OptimError::WrongDimensions {
                expected: objective.dims(),
                got: dims,
            });
        }
        // Descent::new always records row 0, so `last` exists; stop quietly if it ever did not.
        let Some(last) = self.steps.last() else {
            return Ok(None);
        };
        let mut point = last.point.clone();
        // A data objective's step sees its batch: the loss and gradient of those rows alone.
        let (epoch, batch) = match &mut self.batcher {
            Some(batcher) => {
                let full = batcher.is_full();
                let (epoch, rows) = batcher.next_batch();
                (Some(epoch), (!full).then(|| rows.to_vec()))
            }
            None => (None, None),
        };
        let on_rows = batch.as_deref().map(|rows| OnRows { objective, rows });
        let step_objective: &dyn Objective = match &on_rows {
            Some(on_rows) => on_rows,
            None => objective,
        };
        // The gradient the optimizer sees: noisy, then clipped (rows keep the true one).
        let (seen_value, mut seen) = match &on_rows {
            Some(on_rows) => {
                let mut g = vec![0.0; dims];
                (on_rows.value_and_gradient(&point, &mut g), g)
            }
            None => (last.value, last.gradient.clone()),
        };
        let options = self.options;
        if options.noise > 0.0 {
            for g in &mut seen {
                *g += options.noise * self.rng.normal();
            }
        }
        if let Some(max_norm) = options.clip_norm {
            clip_grad_norm(&mut seen, max_norm);
        }
        let mut lr = self.scheduler.lr();
        if options.line_search {
            // sgd's direction, weight decay included (validate allows the search on sgd only).
            let wd = self.optimizer.hyperparameters().weight_decay;
            let direction: Vec<f64> = seen
                .iter()
                .zip(&point)
                .map(|(g, p)| if wd != 0.0 { g + wd * p } else { *g })
                .collect();
            lr = armijo_step(step_objective, &point, seen_value, &direction, lr);
        }
        match self
            .optimizer
            .step_with_lr(&mut point, &seen, step_objective, lr)
        {
            Ok(()) => {}
            Err(StepError::SingularHessian) => {
                self.status = Some(Status::SingularHessian);
                return Ok(None);
            }
            Err(StepError::WrongLength { expected, .. }) => {
                return Err(OptimError::WrongDimensions {
                    expected,
                    got: point.len(),
                });
            }
        }
        self.scheduler.step();
        let mut row = evaluate(objective, self.steps.len(), point);
        row.lr = Some(lr);
        row.epoch = epoch;
        row.batch = batch;
        self.record(row);
        Ok(self.steps.last())
    }

    /// Appends a row and applies the stop rules to it: diverged is checked before converged, so a
    /// non-finite row never counts as converged.
    fn record(&mut self, row: Step) {
        if !row.is_finite() {
            self.status = Some(Status::Diverged);
        } else if let Some(tol) = self.tol
            && row.grad_norm() <= tol
        {
            self.status = Some(Status::Converged);
        }
        self.steps.push(row);
    }

    /// Still able to take a step.
    pub fn is_running(&self) -> bool {
        self.status.is_none()
    }

    /// Why the run stopped, or None while it can go on.
    pub fn status(&self) -> Option<Status> {
        self.status
    }

    /// Rows so far; never empty.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Steps taken so far (rows minus one).
    pub fn steps_taken(&self) -> usize {
        self.steps.len().saturating_sub(1)
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    /// The learning rate the next step will start from (the schedule's current value).
    pub fn next_lr(&self) -> f64 {
        self.scheduler.lr()
    }

    /// The trajectory so far; a run still going reports `max_steps`, its step budget being
    /// whatever the caller chose to stop at.
    pub fn finish(self) -> Trajectory {
        Trajectory {
            status: self.status.unwrap_or(Status::MaxSteps),
            steps: self.steps,
        }
    }
}

fn evaluate(objective: &dyn Objective, step: usize, point: Vec<f64>) -> Step {
    let mut gradient = vec![0.0; point.len()];
    let value = objective.value_and_gradient(&point, &mut gradient);
    Step {
        step,
        point,
        value,
        gradient,
        lr: None,
        epoch: None,
        batch: None,
    }
}

/// Runs at most `max_steps` steps from `start` (the semantics of `gradscape descend`): N steps give
/// N+1 rows unless a stop rule ends the run first. Errors only for bad arguments.
pub fn run(
    objective: &dyn Objective,
    hyper: &Hyperparameters,
    start: &[f64],
    max_steps: usize,
    tol: Option<f64>,
) -> Result<Trajectory, OptimError> {
    run_with(
        objective,
        hyper,
        &RunOptions::default(),
        start,
        max_steps,
        tol,
    )
}

/// [`run`] with noise, clipping, a schedule or a line search (`descend`'s extra flags).
pub fn run_with(
    objective: &dyn Objective,
    hyper: &Hyperparameters,
    options: &RunOptions,
    start: &[f64],
    max_steps: usize,
    tol: Option<f64>,
) -> Result<Trajectory, OptimError> {
    let mut descent = Descent::with_options(objective, hyper, options, start, tol)?;
    // Reserve for the usual case but not blindly: max_steps comes from the user.
    descent.steps.reserve(max_steps.min(1 << 16));
    while descent.is_running() && descent.steps_taken() < max_steps {
        descent.advance(objective)?;
    }
    Ok(descent.finish())
}

/// Where a run ended, without its path: what a basin map or a sweep keeps of each of its many
/// runs. Same stop rules as [`run`]; `steps` is the index of the row the run ended on.
#[derive(Clone, Debug, PartialEq)]
pub struct RunEnd {
    pub point: Vec<f64>,
    pub value: f64,
    pub gradient: Vec<f64>,
    pub steps: usize,
    pub status: Status,
}

/// [`run`] keeping only the last row: no allocation per step, for thousands of runs at once.
/// It ends exactly where `run` would (a test compares the two for every optimizer).
pub fn run_to_end(
    objective: &dyn Objective,
    hyper: &Hyperparameters,
    start: &[f64],
    max_steps: usize,
    tol: Option<f64>,
) -> Result<RunEnd, OptimError> {
    // Descent::new validates the arguments and evaluates row 0 by the same rules as `run`.
    let first = Descent::new(objective, hyper, start, tol)?;
    let mut optimizer = first.optimizer.clone();
    let mut status = first.status;
    let Some(row0) = first.steps.into_iter().next() else {
        return Err(OptimError::NoVariables);
    };
    let mut end = RunEnd {
        point: row0.point,
        value: row0.value,
        gradient: row0.gradient,
        steps: 0,
        status: Status::MaxSteps,
    };
    let mut next = end.point.clone();
    while status.is_none() && end.steps < max_steps {
        next.copy_from_slice(&end.point);
        match optimizer.step(&mut next, &end.gradient, objective) {
            Ok(()) => {}
            Err(StepError::SingularHessian) => {
                status = Some(Status::SingularHessian);
                break;
            }
            Err(StepError::WrongLength { expected, .. }) => {
                return Err(OptimError::WrongDimensions {
                    expected,
                    got: next.len(),
                });
            }
        }
        std::mem::swap(&mut end.point, &mut next);
        end.value = objective.value_and_gradient(&end.point, &mut end.gradient);
        end.steps += 1;
        if !(end.value.is_finite() && end.point.iter().all(|x| x.is_finite())) {
            status = Some(Status::Diverged);
        } else if let Some(tol) = tol
            && grad_norm(&end.gradient) <= tol
        {
            status = Some(Status::Converged);
        }
    }
    end.status = status.unwrap_or(Status::MaxSteps);
    Ok(end)
}
