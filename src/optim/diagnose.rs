//! Why a run diverged, read from its rows, so that the advice fits the case: a smaller learning
//! rate helps a run that overshoots, not one that starts where f is undefined or one that
//! follows f down to −∞.

use super::runner::{Status, Trajectory};

/// What ended a diverged run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Divergence {
    /// f (or ∇f) is not a number at the start point itself.
    UndefinedAtStart,
    /// A step landed where f is not defined (NaN), after finite values.
    LeftTheDomain,
    /// f fell at every step, without bound: f is unbounded below along the path (x³).
    UnboundedBelow,
    /// f grew: the steps overshoot (the learning rate is too large for the curvature).
    Overshoot,
}

impl Divergence {
    /// The advice for a learner, without the step count.
    pub fn advice(self) -> &'static str {
        match self {
            Divergence::UndefinedAtStart => {
                "f is not defined at the start point (not a number there): pick a start inside \
                 f's domain"
            }
            Divergence::LeftTheDomain => {
                "a step left f's domain (f is not a number there): try a smaller learning rate \
                 or another start"
            }
            Divergence::UnboundedBelow => {
                "f is unbounded below along the path: it falls without end, so there is no \
                 minimum to find there"
            }
            Divergence::Overshoot => {
                "the values blew up: the steps overshoot — try a smaller learning rate"
            }
        }
    }
}

/// Why `t` diverged, if it did.
pub fn divergence(t: &Trajectory) -> Option<Divergence> {
    if t.status != Status::Diverged {
        return None;
    }
    let first = t.steps.first()?;
    if !first.value.is_finite() || first.gradient.iter().any(|g| g.is_nan()) {
        return Some(Divergence::UndefinedAtStart);
    }
    let last = t.steps.last()?;
    // Every step went down, and the last value is −∞ or far below where the run began.
    let falling = t
        .steps
        .windows(2)
        .all(|w| w[1].value <= w[0].value || w[1].value.is_nan());
    let values: Vec<f64> = t
        .steps
        .iter()
        .map(|s| s.value)
        .filter(|v| !v.is_nan())
        .collect();
    let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
    if falling
        && (lowest == f64::NEG_INFINITY || lowest < first.value - 1e6 * (1.0 + first.value.abs()))
    {
        return Some(Divergence::UnboundedBelow);
    }
    if last.value.is_nan() {
        return Some(Divergence::LeftTheDomain);
    }
    Some(Divergence::Overshoot)
}

/// Steps looked at to call a finite run diverging.
const DIVERGING_WINDOW: usize = 10;

/// Whether a run that is still finite is blowing up: its distance from the start grew by the
/// same factor or more at each of its last ten steps, ending over a hundred times its first
/// step's length. Returns the growth per step (the geometric mean of those ratios). Distances
/// only, so the verdict is the same for c·f(x/s) at any scale.
pub fn diverging(t: &Trajectory) -> Option<f64> {
    let steps = &t.steps;
    if t.status == Status::Diverged || steps.len() < DIVERGING_WINDOW + 2 {
        return None;
    }
    let start = &steps[0].point;
    let distance = |k: usize| -> f64 {
        steps[k]
            .point
            .iter()
            .zip(start)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt()
    };
    let first_step = distance(1);
    let last = steps.len() - 1;
    let from = last - DIVERGING_WINDOW;
    let ratios: Vec<f64> = (from..last)
        .map(|k| distance(k + 1) / distance(k))
        .collect();
    let growing = ratios.iter().all(|r| r.is_finite() && *r > 1.05);
    let far = distance(last) > 100.0 * first_step && first_step > 0.0;
    (growing && far).then(|| {
        let log_mean = ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64;
        log_mean.exp()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::Function;
    use crate::optim::{Hyperparameters, OptimizerKind, run};

    fn diverged(expr: &str, start: &[f64], lr: f64) -> Option<Divergence> {
        let f = Function::parse(expr).unwrap();
        let hyper = Hyperparameters::new(OptimizerKind::Sgd, lr);
        divergence(&run(&f, &hyper, start, 10_000, None).unwrap())
    }

    #[test]
    fn each_way_to_diverge_gets_its_own_advice() {
        assert_eq!(
            diverged("sqrt(-1-x^2-y^2)", &[0.5, 0.5], 0.01),
            Some(Divergence::UndefinedAtStart)
        );
        assert_eq!(
            diverged("x^3", &[-1.0], 0.01),
            Some(Divergence::UnboundedBelow)
        );
        assert_eq!(diverged("x^2", &[1.0], 1.5), Some(Divergence::Overshoot));
        assert_eq!(diverged("x^2 + y^2", &[1.0, 1.0], 0.1), None);
    }
}
