//! Runs an optimizer from a start point and records the trajectory, one row per point, with the
//! stop rules of `gradscape descend` (CLI.md): diverged, converged, singular Hessian, max steps.
//! `Descent` advances one step at a time for the app; `run` drives it to the end for the CLI.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::config::{Hyperparameters, OptimizerKind};
use super::error::OptimError;
use super::noise::{NormalRng, clip_grad_norm};
use super::schedule::{LrScheduler, Schedule};
use super::step::{Optimizer, StepError};
use super::{Objective, OnRows};
use crate::data::{Batcher, Sampling};

/// Why a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Took every step it was allowed.
    MaxSteps,
    /// A row's ‖∇f‖ fell to the tolerance.
    Converged,
    /// A row's point or value is not finite.
    Diverged,
    /// Newton's method met a Hessian it cannot invert.
    SingularHessian,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::MaxSteps,
        Status::Converged,
        Status::Diverged,
        Status::SingularHessian,
    ];

    /// The CLI and serde name.
    pub const fn name(self) -> &'static str {
        match self {
            Status::MaxSteps => "max_steps",
            Status::Converged => "converged",
            Status::Diverged => "diverged",
            Status::SingularHessian => "singular_hessian",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of a trajectory; `value` and `gradient` are taken at `point`. serde_json writes
/// non-finite numbers as `null`, as the CLI wants (reading such a row back fails).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub step: usize,
    pub point: Vec<f64>,
    pub value: f64,
    pub gradient: Vec<f64>,
    /// The learning rate (or line-search step) that moved the previous row here; None on row 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lr: Option<f64>,
    /// On a data objective, the 0-based epoch of the batch that moved the previous row here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch: Option<usize>,
    /// That batch's rows in the order drawn, where it was not the whole data set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Vec<u32>>,
}

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

/// ∇f(x_{k−1})·(x_k − x_{k−1}): the tangent plane's prediction of value_k − value_{k−1}.
pub fn predicted_change(before: &Step, after: &Step) -> f64 {
    before
        .gradient
        .iter()
        .zip(after.point.iter().zip(&before.point))
        .fold(0.0, |s, (g, (b, a))| s + g * (b - a))
}

/// ρ = actual / predicted change of f for the step into row `after`: 1 where the tangent plane
/// was a good model, below 0 where the step went uphill. None where the prediction is 0.
pub fn prediction_ratio(before: &Step, after: &Step) -> Option<f64> {
    let predicted = predicted_change(before, after);
    let actual = after.value - before.value;
    (predicted != 0.0 && predicted.is_finite() && actual.is_finite()).then(|| actual / predicted)
}

impl Step {
    /// ‖∇f‖₂ at this row.
    pub fn grad_norm(&self) -> f64 {
        grad_norm(&self.gradient)
    }

    fn is_finite(&self) -> bool {
        self.value.is_finite() && self.point.iter().all(|x| x.is_finite())
    }
}

/// A finished run: row 0 is the start, then one row per step taken.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub status: Status,
    pub steps: Vec<Step>,
}

impl Trajectory {
    /// ‖∇f‖₂ of row `i`, if there is such a row.
    pub fn grad_norm(&self, i: usize) -> Option<f64> {
        self.steps.get(i).map(Step::grad_norm)
    }

    /// ‖∇f‖₂ of every row, in order (the CSV's `grad_norm` column).
    pub fn grad_norms(&self) -> Vec<f64> {
        self.steps.iter().map(Step::grad_norm).collect()
    }

    /// The row the run ended on.
    pub fn last(&self) -> Option<&Step> {
        self.steps.last()
    }
}

/// ‖g‖₂ as √(Σ gᵢ²), the way numpy computes it; rescaled only when that sum overflows or
/// underflows, so a huge but finite gradient does not report an infinite norm.
pub fn grad_norm(g: &[f64]) -> f64 {
    let sum = g.iter().fold(0.0, |s, x| s + x * x);
    if sum.is_finite() && (sum >= f64::MIN_POSITIVE || sum == 0.0 && g.iter().all(|&x| x == 0.0)) {
        return sum.sqrt();
    }
    if g.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    let max = g.iter().fold(0.0_f64, |m, x| m.max(x.abs()));
    if max == 0.0 || max.is_infinite() {
        return max;
    }
    max * g.iter().fold(0.0, |s, x| s + (x / max) * (x / max)).sqrt()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;
    use crate::optim::test_objectives::{
        Flat2, Log1, PowerFour1, Quadratic2, Quadratic3, Quartic1, Rosenbrock, Trough2,
    };

    fn hyper(kind: OptimizerKind, lr: f64) -> Hyperparameters {
        Hyperparameters::new(kind, lr)
    }

    /// (objective, start, lr, tol).
    type Case<'a> = (&'a dyn Objective, &'a [f64], f64, Option<f64>);

    #[test]
    fn run_to_end_ends_where_run_does() {
        let cases: [Case<'_>; 5] = [
            (&Rosenbrock, &[-1.2, 1.0], 1e-3, None),
            (&Rosenbrock, &[-1.2, 1.0], 0.01, None),
            (&Quadratic2, &[1.0, -2.0], 0.1, Some(1e-6)),
            (&Quartic1, &[0.7], 0.05, Some(1e-9)),
            (&Flat2, &[0.5, 0.5], 0.1, None),
        ];
        for (objective, start, lr, tol) in cases {
            for kind in OptimizerKind::ALL {
                let h = hyper(kind, lr);
                for max_steps in [0, 1, 7, 300] {
                    let full = run(objective, &h, start, max_steps, tol).unwrap();
                    let end = run_to_end(objective, &h, start, max_steps, tol).unwrap();
                    let last = full.last().unwrap();
                    let what = format!("{kind} lr {lr} from {start:?}, {max_steps} steps");
                    assert_eq!(end.status, full.status, "{what}");
                    assert_eq!(end.steps, last.step, "{what}");
                    assert_eq!(
                        end.point.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        last.point.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        "{what}"
                    );
                    assert_eq!(end.value.to_bits(), last.value.to_bits(), "{what}");
                }
            }
        }
    }

    #[test]
    fn n_steps_give_n_plus_one_rows_with_max_steps() {
        for kind in OptimizerKind::ALL {
            let t = run(&Rosenbrock, &hyper(kind, 1e-4), &[-1.2, 1.0], 25, None).unwrap();
            assert_eq!(t.status, Status::MaxSteps, "{kind}");
            assert_eq!(t.steps.len(), 26, "{kind}");
            for (i, row) in t.steps.iter().enumerate() {
                assert_eq!(row.step, i);
                assert_eq!(row.value, Rosenbrock.value(&row.point));
                assert_eq!(row.gradient, Rosenbrock::grad(row.point[0], row.point[1]));
            }
        }
        let t = run(
            &Quadratic2,
            &hyper(OptimizerKind::Sgd, 0.1),
            &[1.0, 1.0],
            0,
            None,
        )
        .unwrap();
        assert_eq!(t.status, Status::MaxSteps);
        assert_eq!(t.steps.len(), 1);
        assert_eq!(t.steps[0].point, vec![1.0, 1.0]);
        assert_eq!(t.steps[0].value, 6.0);
        assert_eq!(t.steps[0].gradient, vec![7.0, 5.0]);
    }

    #[test]
    fn newton_reaches_a_quadratics_minimum_in_one_step() {
        let t = run(
            &Quadratic2,
            &hyper(OptimizerKind::Newton, 1.0),
            &[1.7, -2.3],
            5,
            None,
        )
        .unwrap();
        let row1 = &t.steps[1];
        assert!(row1.point.iter().all(|x| x.abs() <= 1e-15), "{row1:?}");
        assert!(row1.value.abs() <= 1e-30);

        let t = run(
            &Quadratic3,
            &hyper(OptimizerKind::Newton, 1.0),
            &[0.0, 0.0, 0.0],
            1,
            None,
        )
        .unwrap();
        for (x, m) in t.steps[1].point.iter().zip(Quadratic3::MIN) {
            assert!((x - m).abs() <= 1e-14, "{:?}", t.steps[1].point);
        }
    }

    #[test]
    fn sgd_on_double_well_moves_monotonically_to_the_nearer_minimum() {
        let root2 = 2.0_f64.sqrt();
        for (start, target) in [(0.25, root2), (-0.25, -root2)] {
            let t = run(
                &Quartic1,
                &hyper(OptimizerKind::Sgd, 0.01),
                &[start],
                200,
                None,
            )
            .unwrap();
            assert_eq!(t.status, Status::MaxSteps);
            assert_eq!(t.steps.len(), 201);
            let xs: Vec<f64> = t.steps.iter().map(|s| s.point[0]).collect();
            for pair in xs.windows(2) {
                let moved_outward = if target > 0.0 {
                    pair[1] > pair[0]
                } else {
                    pair[1] < pair[0]
                };
                assert!(moved_outward, "{pair:?}");
                assert!(pair[1].abs() < root2);
            }
            let end = xs[200];
            assert!((end - target).abs() < 0.01, "ended at {end}");
        }
    }

    #[test]
    fn diverged_row_is_the_last_and_is_included() {
        let t = run(
            &PowerFour1,
            &hyper(OptimizerKind::Sgd, 1.0),
            &[10.0],
            1000,
            None,
        )
        .unwrap();
        assert_eq!(t.status, Status::Diverged);
        assert!(t.steps.len() < 1001, "stopped early");
        let (last, before) = t.steps.split_last().unwrap();
        assert!(
            !last.point[0].is_finite() || !last.value.is_finite(),
            "{last:?}"
        );
        assert!(
            before
                .iter()
                .all(|s| s.point[0].is_finite() && s.value.is_finite())
        );
        assert_eq!(last.step, t.steps.len() - 1);
    }

    #[test]
    fn non_finite_value_at_a_finite_point_diverges() {
        // ln x from 1 with lr 2: x = 1 - 2·1 = -1, where ln is NaN.
        let t = run(&Log1, &hyper(OptimizerKind::Sgd, 2.0), &[1.0], 10, None).unwrap();
        assert_eq!(t.status, Status::Diverged);
        assert_eq!(t.steps.len(), 2);
        assert_eq!(t.steps[1].point, vec![-1.0]);
        assert!(t.steps[1].value.is_nan());

        // A start where the value is already not finite: row 0 alone, diverged.
        let t = run(&Log1, &hyper(OptimizerKind::Sgd, 0.1), &[-1.0], 10, None).unwrap();
        assert_eq!(t.status, Status::Diverged);
        assert_eq!(t.steps.len(), 1);
    }

    #[test]
    fn converges_at_the_first_row_within_tolerance() {
        let tol = 1e-6;
        let t = run(
            &Quadratic2,
            &hyper(OptimizerKind::Sgd, 0.1),
            &[1.0, -1.0],
            10_000,
            Some(tol),
        )
        .unwrap();
        assert_eq!(t.status, Status::Converged);
        let norms = t.grad_norms();
        let (last, before) = norms.split_last().unwrap();
        assert!(*last <= tol);
        assert!(before.iter().all(|n| *n > tol));
        assert!(t.steps.len() < 10_001);

        // Row 0 counts too.
        let t = run(
            &Quadratic2,
            &hyper(OptimizerKind::Adam, 0.1),
            &[0.0, 0.0],
            10,
            Some(0.0),
        )
        .unwrap();
        assert_eq!(t.status, Status::Converged);
        assert_eq!(t.steps.len(), 1);
    }

    #[test]
    fn newton_on_singular_hessian_stops_without_a_new_row() {
        for objective in [&Flat2 as &dyn Objective, &Trough2] {
            let t = run(
                objective,
                &hyper(OptimizerKind::Newton, 1.0),
                &[0.5, 0.5],
                10,
                None,
            )
            .unwrap();
            assert_eq!(t.status, Status::SingularHessian);
            assert_eq!(t.steps.len(), 1);
            assert_eq!(t.steps[0].point, vec![0.5, 0.5]);
        }
    }

    /// f = x² right of 0 and flat left of it: Newton from 1 lands on 0, where H = 0.
    struct HalfParabola;

    impl Objective for HalfParabola {
        fn dims(&self) -> usize {
            1
        }
        fn value(&self, p: &[f64]) -> f64 {
            p[0].max(0.0).powi(2)
        }
        fn gradient(&self, p: &[f64], g: &mut [f64]) {
            g[0] = 2.0 * p[0].max(0.0);
        }
        fn hessian(&self, p: &[f64], h: &mut [f64]) {
            h[0] = if p[0] > 0.0 { 2.0 } else { 0.0 };
        }
    }

    #[test]
    fn singular_hessian_after_some_steps_keeps_the_rows_taken() {
        let t = run(
            &HalfParabola,
            &hyper(OptimizerKind::Newton, 1.0),
            &[1.0],
            10,
            None,
        )
        .unwrap();
        assert_eq!(t.status, Status::SingularHessian);
        let xs: Vec<f64> = t.steps.iter().map(|s| s.point[0]).collect();
        assert_eq!(xs, vec![1.0, 0.0]);
    }

    #[test]
    fn bad_arguments_are_errors() {
        let h = hyper(OptimizerKind::Sgd, 0.1);
        assert_eq!(
            run(&Quadratic2, &h, &[1.0], 5, None),
            Err(OptimError::WrongDimensions {
                expected: 2,
                got: 1
            })
        );
        assert!(matches!(
            run(&Quadratic2, &h, &[1.0, f64::NAN], 5, None),
            Err(OptimError::NonFiniteStart { .. })
        ));
        for tol in [-1e-9, f64::NAN] {
            assert!(matches!(
                run(&Quadratic2, &h, &[1.0, 1.0], 5, Some(tol)),
                Err(OptimError::InvalidTolerance { .. })
            ));
        }
        assert!(matches!(
            run(
                &Quadratic2,
                &hyper(OptimizerKind::Adam, 0.0),
                &[1.0, 1.0],
                5,
                None
            ),
            Err(OptimError::OutOfRange { name: "lr", .. })
        ));
        let msg = run(&Quadratic2, &h, &[1.0, 2.0, 3.0], 5, None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "the start point has 3 coordinate(s) but the function has 2 variable(s)"
        );
    }

    #[test]
    fn descent_steps_one_at_a_time_like_run() {
        let h = hyper(OptimizerKind::Momentum, 1e-4);
        let mut d = Descent::new(&Rosenbrock, &h, &[-1.2, 1.0], None).unwrap();
        assert_eq!(d.steps().len(), 1);
        for k in 1..=7 {
            let row = d.advance(&Rosenbrock).unwrap().unwrap();
            assert_eq!(row.step, k);
        }
        assert!(d.is_running());
        assert_eq!(d.status(), None);
        assert_eq!(d.steps_taken(), 7);
        assert!(matches!(
            d.advance(&Quartic1),
            Err(OptimError::WrongDimensions { .. })
        ));
        let stepped = d.finish();
        let ran = run(&Rosenbrock, &h, &[-1.2, 1.0], 7, None).unwrap();
        assert_eq!(stepped, ran);

        let mut stopped = Descent::new(
            &Flat2,
            &hyper(OptimizerKind::Newton, 1.0),
            &[0.0, 0.0],
            None,
        )
        .unwrap();
        assert_eq!(stopped.advance(&Flat2), Ok(None));
        assert_eq!(stopped.status(), Some(Status::SingularHessian));
        assert_eq!(stopped.advance(&Flat2), Ok(None));
        assert_eq!(stopped.steps().len(), 1);
    }

    #[test]
    fn status_names_in_serde_and_display() {
        let expected = ["max_steps", "converged", "diverged", "singular_hessian"];
        for (status, name) in Status::ALL.into_iter().zip(expected) {
            assert_eq!(status.to_string(), name);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), status);
        }
    }

    #[test]
    fn trajectory_serialises_in_the_cli_shape() {
        let t = run(&Quartic1, &hyper(OptimizerKind::Sgd, 0.5), &[1.0], 1, None).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"status":"max_steps","steps":[{"step":0,"point":[1.0],"value":-0.25,"gradient":[-1.0]},{"step":1,"point":[1.5],"value":-0.484375,"gradient":[0.375],"lr":0.5}]}"#
        );
        let back: Trajectory = serde_json::from_str(&json).unwrap();
        assert_eq!(back, t);
        let diverged = Step {
            epoch: None,
            batch: None,
            step: 3,
            point: vec![f64::INFINITY],
            value: f64::NAN,
            gradient: vec![f64::NEG_INFINITY],
            lr: None,
        };
        assert_eq!(
            serde_json::to_string(&diverged).unwrap(),
            r#"{"step":3,"point":[null],"value":null,"gradient":[null]}"#
        );
    }

    #[test]
    fn grad_norm_is_euclidean_and_survives_extremes() {
        assert_eq!(grad_norm(&[3.0, 4.0]), 5.0);
        assert_eq!(grad_norm(&[-2.0]), 2.0);
        assert_eq!(grad_norm(&[0.0, 0.0]), 0.0);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-15 * b.abs();
        assert!(close(grad_norm(&[3e200, 4e200]), 5e200));
        assert!(close(grad_norm(&[3e-200, 4e-200]), 5e-200));
        assert_eq!(grad_norm(&[1.0, f64::INFINITY]), f64::INFINITY);
        assert!(grad_norm(&[f64::NAN, f64::INFINITY]).is_nan());
        let t = run(
            &Quadratic2,
            &hyper(OptimizerKind::Sgd, 0.1),
            &[1.0, 1.0],
            1,
            None,
        )
        .unwrap();
        assert_eq!(t.grad_norm(0), Some((49.0_f64 + 25.0).sqrt()));
        assert_eq!(t.grad_norm(2), None);
    }
}
