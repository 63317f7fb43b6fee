//! What a run records: its rows (`Step`), why it stopped (`Status`), the finished
//! `Trajectory`, and the measures read off rows (‖∇f‖, the tangent plane's predicted change).

use serde::{Deserialize, Serialize};

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

display_as_name!(Status);

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

    pub(super) fn is_finite(&self) -> bool {
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
