//! The update rules and their per-run state: one `Optimizer::step` moves a point once, in the same
//! order of floating-point operations as torch.optim's single-tensor CPU path (weight_decay=0,
//! dampening=0, lr_decay=0, centered=False, amsgrad=False, maximize=False), so runs match torch.

use thiserror::Error;

use super::Objective;
use super::config::{Hyperparameters, OptimizerKind};
use super::error::OptimError;
use super::linalg;

/// Why a single step could not be taken; the point is left unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StepError {
    /// Newton's method met a Hessian it cannot invert.
    #[error("the Hessian is singular at this point")]
    SingularHessian,
    /// The point, gradient or objective does not have the optimizer's number of variables.
    #[error(
        "optimizer built for {expected} variable(s) got a point of {point}, a gradient of {gradient} and an objective of {objective}"
    )]
    WrongLength {
        expected: usize,
        point: usize,
        gradient: usize,
        objective: usize,
    },
}

/// One optimizer's state across steps (torch's `optimizer.state`), for a fixed number of variables.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer {
    hyper: Hyperparameters,
    dims: usize,
    steps_taken: usize,
    state: State,
}

#[derive(Clone, Debug, PartialEq)]
enum State {
    Sgd,
    /// torch's `momentum_buffer`; meaningless until the first step fills it.
    Momentum {
        buf: Vec<f64>,
        nesterov: bool,
    },
    Adagrad {
        sum: Vec<f64>,
    },
    Rmsprop {
        square_avg: Vec<f64>,
    },
    Adam {
        exp_avg: Vec<f64>,
        exp_avg_sq: Vec<f64>,
    },
    /// Scratch space, kept so a step allocates nothing.
    Newton {
        hessian: Vec<f64>,
        direction: Vec<f64>,
    },
}

impl State {
    fn fresh(kind: OptimizerKind, dims: usize) -> State {
        let zeros = || vec![0.0; dims];
        match kind {
            OptimizerKind::Sgd => State::Sgd,
            OptimizerKind::Momentum | OptimizerKind::Nesterov => State::Momentum {
                buf: zeros(),
                nesterov: kind == OptimizerKind::Nesterov,
            },
            // initial_accumulator_value = 0
            OptimizerKind::Adagrad => State::Adagrad { sum: zeros() },
            OptimizerKind::Rmsprop => State::Rmsprop {
                square_avg: zeros(),
            },
            OptimizerKind::Adam => State::Adam {
                exp_avg: zeros(),
                exp_avg_sq: zeros(),
            },
            OptimizerKind::Newton => State::Newton {
                hessian: vec![0.0; dims.saturating_mul(dims)],
                direction: zeros(),
            },
        }
    }
}

impl Optimizer {
    /// A fresh optimizer (step 0, zero state) for `dims` variables; fails on invalid
    /// hyperparameters or `dims == 0`.
    pub fn new(hyper: &Hyperparameters, dims: usize) -> Result<Self, OptimError> {
        hyper.validate()?;
        if dims == 0 {
            return Err(OptimError::NoVariables);
        }
        Ok(Optimizer {
            hyper: *hyper,
            dims,
            steps_taken: 0,
            state: State::fresh(hyper.kind, dims),
        })
    }

    pub fn hyperparameters(&self) -> &Hyperparameters {
        &self.hyper
    }

    pub fn kind(&self) -> OptimizerKind {
        self.hyper.kind
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Steps taken so far (torch's `state["step"]`).
    pub fn steps_taken(&self) -> usize {
        self.steps_taken
    }

    /// Forgets all state, as if just built (for a run restarted from a new point).
    pub fn reset(&mut self) {
        self.steps_taken = 0;
        self.state = State::fresh(self.hyper.kind, self.dims);
    }

    /// Moves `point` one step, given `grad` = ∇f(point). Only Newton consults `objective` (for the
    /// Hessian). On error neither `point` nor the state changes.
    pub fn step(
        &mut self,
        point: &mut [f64],
        grad: &[f64],
        objective: &dyn Objective,
    ) -> Result<(), StepError> {
        let objective_dims = objective.dims();
        if point.len() != self.dims || grad.len() != self.dims || objective_dims != self.dims {
            return Err(StepError::WrongLength {
                expected: self.dims,
                point: point.len(),
                gradient: grad.len(),
                objective: objective_dims,
            });
        }
        let h = self.hyper;
        let lr = h.lr;
        match &mut self.state {
            State::Sgd => {
                // param.add_(grad, alpha=-lr)
                for (p, &g) in point.iter_mut().zip(grad) {
                    *p += -lr * g;
                }
            }
            State::Momentum { buf, nesterov } => {
                let first = self.steps_taken == 0;
                for ((p, &g), b) in point.iter_mut().zip(grad).zip(buf.iter_mut()) {
                    *b = if first {
                        // torch clones the gradient rather than decaying a zero buffer; the
                        // two differ only in the sign of a zero, but clone is what torch does.
                        g
                    } else {
                        // buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                        *b * h.momentum + g
                    };
                    // nesterov: grad = grad.add(buf, alpha=momentum); else grad = buf
                    let d_p = if *nesterov { g + h.momentum * *b } else { *b };
                    *p += -lr * d_p;
                }
            }
            State::Adagrad { sum } => {
                // clr = lr / (1 + (step - 1) * lr_decay) is exactly lr with lr_decay = 0.
                for ((p, &g), s) in point.iter_mut().zip(grad).zip(sum.iter_mut()) {
                    // state_sum.addcmul_(grad, grad, value=1)
                    *s += 1.0 * g * g;
                    // std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr)
                    let std = s.sqrt() + h.eps;
                    *p += -lr * g / std;
                }
            }
            State::Rmsprop { square_avg } => {
                let one_minus_alpha = 1.0 - h.alpha;
                for ((p, &g), sq) in point.iter_mut().zip(grad).zip(square_avg.iter_mut()) {
                    // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha); addcmul is
                    // self + value * t1 * t2, evaluated left to right.
                    *sq = *sq * h.alpha + one_minus_alpha * g * g;
                    // avg = square_avg.sqrt().add_(eps); param.addcdiv_(grad, avg, value=-lr)
                    let avg = sq.sqrt() + h.eps;
                    *p += -lr * g / avg;
                }
            }
            State::Adam {
                exp_avg,
                exp_avg_sq,
            } => {
                // Python computes beta ** step with C's pow on a float step, so powf, not powi.
                let t = (self.steps_taken + 1) as f64;
                let bias_correction1 = 1.0 - h.beta1.powf(t);
                let bias_correction2 = 1.0 - h.beta2.powf(t);
                let step_size = lr / bias_correction1;
                let bias_correction2_sqrt = bias_correction2.sqrt();
                let weight = 1.0 - h.beta1;
                let one_minus_beta2 = 1.0 - h.beta2;
                for (((p, &g), m), v) in point
                    .iter_mut()
                    .zip(grad)
                    .zip(exp_avg.iter_mut())
                    .zip(exp_avg_sq.iter_mut())
                {
                    // exp_avg.lerp_(grad, 1 - beta1)
                    *m = torch_lerp(*m, g, weight);
                    // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                    *v = *v * h.beta2 + one_minus_beta2 * g * g;
                    // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                    let denom = v.sqrt() / bias_correction2_sqrt + h.eps;
                    // param.addcdiv_(exp_avg, denom, value=-step_size)
                    *p += -step_size * *m / denom;
                }
            }
            State::Newton { hessian, direction } => {
                objective.hessian(point, hessian);
                linalg::solve(hessian, grad, direction)
                    .map_err(|linalg::Singular| StepError::SingularHessian)?;
                for (p, &d) in point.iter_mut().zip(direction.iter()) {
                    *p -= lr * d;
                }
            }
        }
        self.steps_taken += 1;
        Ok(())
    }
}

/// ATen's scalar `lerp`: two formulas, picked by the weight's size, for accuracy near both ends.
fn torch_lerp(start: f64, end: f64, weight: f64) -> f64 {
    if weight.abs() < 0.5 {
        start + weight * (end - start)
    } else {
        end - (end - start) * (1.0 - weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::test_objectives::{Flat2, Quadratic2, Quartic1};

    #[test]
    fn new_rejects_invalid_hyperparameters_and_zero_dims() {
        let bad = Hyperparameters::new(OptimizerKind::Adam, f64::NAN);
        assert!(matches!(
            Optimizer::new(&bad, 2),
            Err(OptimError::OutOfRange { name: "lr", .. })
        ));
        let good = Hyperparameters::new(OptimizerKind::Adam, 0.1);
        assert_eq!(Optimizer::new(&good, 0), Err(OptimError::NoVariables));
    }

    #[test]
    fn wrong_lengths_are_errors_not_panics() {
        let hyper = Hyperparameters::new(OptimizerKind::Newton, 1.0);
        let mut opt = Optimizer::new(&hyper, 3).unwrap();
        let mut point = [1.0, 2.0];
        let err = opt.step(&mut point, &[0.0, 0.0], &Quadratic2).unwrap_err();
        assert!(matches!(err, StepError::WrongLength { expected: 3, .. }));
        assert_eq!(point, [1.0, 2.0]);
        assert_eq!(opt.steps_taken(), 0);
    }

    #[test]
    fn singular_step_leaves_point_and_state_alone() {
        let hyper = Hyperparameters::new(OptimizerKind::Newton, 1.0);
        let mut opt = Optimizer::new(&hyper, 2).unwrap();
        let mut point = [0.5, -0.5];
        assert_eq!(
            opt.step(&mut point, &[1.0, 1.0], &Flat2),
            Err(StepError::SingularHessian)
        );
        assert_eq!(point, [0.5, -0.5]);
        assert_eq!(opt.steps_taken(), 0);
    }

    #[test]
    fn reset_restarts_adam_bias_correction() {
        let hyper = Hyperparameters::new(OptimizerKind::Adam, 0.1);
        let mut opt = Optimizer::new(&hyper, 2).unwrap();
        let mut first = [1.0, 1.0];
        opt.step(&mut first, &[2.0, -3.0], &Quadratic2).unwrap();
        let mut again = [1.0, 1.0];
        opt.step(&mut again, &[2.0, -3.0], &Quadratic2).unwrap();
        assert_ne!(first, again);
        opt.reset();
        let mut after_reset = [1.0, 1.0];
        opt.step(&mut after_reset, &[2.0, -3.0], &Quadratic2)
            .unwrap();
        assert_eq!(first, after_reset);
        assert_eq!(opt.steps_taken(), 1);
    }

    #[test]
    fn lerp_uses_both_torch_branches() {
        // Small weight: start + w*(end-start); large weight: end - (end-start)*(1-w).
        assert_eq!(torch_lerp(1.0, 3.0, 0.1), 1.0 + 0.1 * (3.0 - 1.0));
        assert_eq!(torch_lerp(1.0, 3.0, 0.7), 3.0 - (3.0 - 1.0) * (1.0 - 0.7));
        assert_eq!(torch_lerp(0.3, 0.7, 0.5), 0.7 - (0.7 - 0.3) * 0.5);
    }

    #[test]
    fn adam_with_small_beta1_takes_the_large_weight_lerp_branch() {
        let mut hyper = Hyperparameters::new(OptimizerKind::Adam, 0.1);
        hyper.set("beta1", 0.3).unwrap();
        let mut opt = Optimizer::new(&hyper, 1).unwrap();
        let (g1, g2) = (2.0, -1.0);
        let mut p = [0.0];
        opt.step(&mut p, &[g1], &Quartic1).unwrap();
        opt.step(&mut p, &[g2], &Quartic1).unwrap();
        // By hand: w = 1 - 0.3 (>= 0.5, so lerp's second formula).
        let w = 1.0 - 0.3;
        let m1 = g1 - (g1 - 0.0) * (1.0 - w);
        let v1: f64 = 0.0 * 0.999 + (1.0 - 0.999) * g1 * g1;
        let p1 = 0.0
            + -(0.1 / (1.0 - 0.3_f64.powf(1.0))) * m1
                / (v1.sqrt() / (1.0 - 0.999_f64.powf(1.0)).sqrt() + 1e-8);
        let m2 = g2 - (g2 - m1) * (1.0 - w);
        let v2: f64 = v1 * 0.999 + (1.0 - 0.999) * g2 * g2;
        let p2 = p1
            + -(0.1 / (1.0 - 0.3_f64.powf(2.0))) * m2
                / (v2.sqrt() / (1.0 - 0.999_f64.powf(2.0)).sqrt() + 1e-8);
        assert_eq!(p, [p2]);
    }
}
