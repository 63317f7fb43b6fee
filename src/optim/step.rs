//! The update rules and their per-run state: one `Optimizer::step` moves a point once, in the same
//! order of floating-point operations as torch.optim's single-tensor CPU path (dampening=0,
//! lr_decay=0, maximize=False, default dtype float64), so runs match torch.

use thiserror::Error;

use super::Objective;
use super::config::{Hyperparameters, OptimizerKind};
use super::error::OptimError;
use super::linalg;
use super::rules;

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
    /// `grad_avg` is used only when centered, `momentum_buffer` only with momentum > 0.
    Rmsprop {
        square_avg: Vec<f64>,
        grad_avg: Vec<f64>,
        momentum_buffer: Vec<f64>,
    },
    /// Adam and AdamW (`decoupled`); `max_exp_avg_sq` is used only with amsgrad.
    Adam {
        exp_avg: Vec<f64>,
        exp_avg_sq: Vec<f64>,
        max_exp_avg_sq: Vec<f64>,
        decoupled: bool,
    },
    Adamax {
        exp_avg: Vec<f64>,
        exp_inf: Vec<f64>,
    },
    /// `mu_product` is the running product of the momentum schedule, 1 before the first step.
    Nadam {
        exp_avg: Vec<f64>,
        exp_avg_sq: Vec<f64>,
        mu_product: f64,
    },
    Radam {
        exp_avg: Vec<f64>,
        exp_avg_sq: Vec<f64>,
    },
    Adadelta {
        square_avg: Vec<f64>,
        acc_delta: Vec<f64>,
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
                grad_avg: zeros(),
                momentum_buffer: zeros(),
            },
            OptimizerKind::Adam | OptimizerKind::Adamw => State::Adam {
                exp_avg: zeros(),
                exp_avg_sq: zeros(),
                max_exp_avg_sq: zeros(),
                decoupled: kind == OptimizerKind::Adamw,
            },
            OptimizerKind::Adamax => State::Adamax {
                exp_avg: zeros(),
                exp_inf: zeros(),
            },
            OptimizerKind::Nadam => State::Nadam {
                exp_avg: zeros(),
                exp_avg_sq: zeros(),
                mu_product: 1.0,
            },
            OptimizerKind::Radam => State::Radam {
                exp_avg: zeros(),
                exp_avg_sq: zeros(),
            },
            OptimizerKind::Adadelta => State::Adadelta {
                square_avg: zeros(),
                acc_delta: zeros(),
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

    /// Moves `point` one step, given `grad` = ∇f(point), at the optimizer's own learning rate.
    /// Only Newton consults `objective` (for the Hessian). On error neither `point` nor the state
    /// changes.
    pub fn step(
        &mut self,
        point: &mut [f64],
        grad: &[f64],
        objective: &dyn Objective,
    ) -> Result<(), StepError> {
        self.step_with_lr(point, grad, objective, self.hyper.lr)
    }

    /// [`Optimizer::step`] at learning rate `lr` instead of the optimizer's own: what a scheduler
    /// does when it rewrites torch's `param_group["lr"]` between steps.
    pub fn step_with_lr(
        &mut self,
        point: &mut [f64],
        grad: &[f64],
        objective: &dyn Objective,
        lr: f64,
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
        let c = rules::StepContext {
            h: &self.hyper,
            lr,
            t: (self.steps_taken + 1) as f64,
            first: self.steps_taken == 0,
        };
        match &mut self.state {
            State::Sgd => rules::sgd(c, point, grad),
            State::Momentum { buf, nesterov } => rules::momentum(c, point, grad, buf, *nesterov),
            State::Adagrad { sum } => rules::adagrad(c, point, grad, sum),
            State::Rmsprop {
                square_avg,
                grad_avg,
                momentum_buffer,
            } => rules::rmsprop(c, point, grad, square_avg, grad_avg, momentum_buffer),
            State::Adam {
                exp_avg,
                exp_avg_sq,
                max_exp_avg_sq,
                decoupled,
            } => rules::adam(
                c,
                point,
                grad,
                exp_avg,
                exp_avg_sq,
                max_exp_avg_sq,
                *decoupled,
            ),
            State::Adamax { exp_avg, exp_inf } => rules::adamax(c, point, grad, exp_avg, exp_inf),
            State::Nadam {
                exp_avg,
                exp_avg_sq,
                mu_product,
            } => rules::nadam(c, point, grad, exp_avg, exp_avg_sq, mu_product),
            State::Radam {
                exp_avg,
                exp_avg_sq,
            } => rules::radam(c, point, grad, exp_avg, exp_avg_sq),
            State::Adadelta {
                square_avg,
                acc_delta,
            } => rules::adadelta(c, point, grad, square_avg, acc_delta),
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
