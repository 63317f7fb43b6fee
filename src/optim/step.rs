//! The update rules and their per-run state: one `Optimizer::step` moves a point once, in the same
//! order of floating-point operations as torch.optim's single-tensor CPU path (dampening=0,
//! lr_decay=0, maximize=False, default dtype float64), so runs match torch.

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
        let h = self.hyper;
        // Python computes beta ** step with C's pow on a float step, so powf, not powi.
        let t = (self.steps_taken + 1) as f64;
        let wd = h.weight_decay;
        // torch's L2 form: grad = grad.add(param, alpha=weight_decay), skipped when it is 0.
        let decayed = |g: f64, p: f64| if wd != 0.0 { g + wd * p } else { g };
        match &mut self.state {
            State::Sgd => {
                // param.add_(grad, alpha=-lr)
                for (p, &g) in point.iter_mut().zip(grad) {
                    let g = decayed(g, *p);
                    *p += -lr * g;
                }
            }
            State::Momentum { buf, nesterov } => {
                let first = self.steps_taken == 0;
                for ((p, &g), b) in point.iter_mut().zip(grad).zip(buf.iter_mut()) {
                    let g = decayed(g, *p);
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
                    let g = decayed(g, *p);
                    // state_sum.addcmul_(grad, grad, value=1)
                    *s += 1.0 * g * g;
                    // std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr)
                    let std = s.sqrt() + h.eps;
                    *p += -lr * g / std;
                }
            }
            State::Rmsprop {
                square_avg,
                grad_avg,
                momentum_buffer,
            } => {
                let one_minus_alpha = 1.0 - h.alpha;
                for (i, p) in point.iter_mut().enumerate() {
                    let g = decayed(grad[i], *p);
                    let sq = &mut square_avg[i];
                    // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha); addcmul is
                    // self + value * t1 * t2, evaluated left to right.
                    *sq = *sq * h.alpha + one_minus_alpha * g * g;
                    let avg = if h.centered {
                        // grad_avg.lerp_(grad, 1 - alpha);
                        // avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
                        let ga = &mut grad_avg[i];
                        *ga = torch_lerp(*ga, g, one_minus_alpha);
                        (*sq + -1.0 * *ga * *ga).sqrt()
                    } else {
                        sq.sqrt()
                    } + h.eps;
                    if h.momentum > 0.0 {
                        // buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
                        let buf = &mut momentum_buffer[i];
                        *buf = *buf * h.momentum + 1.0 * g / avg;
                        *p += -lr * *buf;
                    } else {
                        // param.addcdiv_(grad, avg, value=-lr)
                        *p += -lr * g / avg;
                    }
                }
            }
            State::Adam {
                exp_avg,
                exp_avg_sq,
                max_exp_avg_sq,
                decoupled,
            } => {
                let bias_correction1 = 1.0 - h.beta1.powf(t);
                let bias_correction2 = 1.0 - h.beta2.powf(t);
                let step_size = lr / bias_correction1;
                let bias_correction2_sqrt = bias_correction2.sqrt();
                let weight = 1.0 - h.beta1;
                let one_minus_beta2 = 1.0 - h.beta2;
                for (i, p) in point.iter_mut().enumerate() {
                    let g = if *decoupled {
                        // AdamW: param.mul_(1 - lr * weight_decay), before the moments.
                        if wd != 0.0 {
                            *p *= 1.0 - lr * wd;
                        }
                        grad[i]
                    } else {
                        decayed(grad[i], *p)
                    };
                    let (m, v) = (&mut exp_avg[i], &mut exp_avg_sq[i]);
                    // exp_avg.lerp_(grad, 1 - beta1)
                    *m = torch_lerp(*m, g, weight);
                    // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                    *v = *v * h.beta2 + one_minus_beta2 * g * g;
                    let second = if h.amsgrad {
                        // torch.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=max_exp_avg_sqs[i])
                        let vmax = &mut max_exp_avg_sq[i];
                        *vmax = torch_maximum(*vmax, *v);
                        *vmax
                    } else {
                        *v
                    };
                    // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                    let denom = second.sqrt() / bias_correction2_sqrt + h.eps;
                    // param.addcdiv_(exp_avg, denom, value=-step_size)
                    *p += -step_size * *m / denom;
                }
            }
            State::Adamax { exp_avg, exp_inf } => {
                let weight = 1.0 - h.beta1;
                // bias_correction = 1 - beta1 ** step; clr = lr / bias_correction
                let clr = lr / (1.0 - h.beta1.powf(t));
                for (i, p) in point.iter_mut().enumerate() {
                    let g = decayed(grad[i], *p);
                    let (m, u) = (&mut exp_avg[i], &mut exp_inf[i]);
                    *m = torch_lerp(*m, g, weight);
                    // exp_inf = max(exp_inf * beta2, |grad| + eps)
                    *u = torch_maximum(*u * h.beta2, g.abs() + h.eps);
                    // param.addcdiv_(exp_avg, exp_inf, value=-clr)
                    *p += -clr * *m / *u;
                }
            }
            State::Nadam {
                exp_avg,
                exp_avg_sq,
                mu_product,
            } => {
                let bias_correction2 = 1.0 - h.beta2.powf(t);
                // The momentum schedule: mu_t and mu_{t+1}.
                let mu = h.beta1 * (1.0 - 0.5 * 0.96_f64.powf(t * h.momentum_decay));
                let mu_next = h.beta1 * (1.0 - 0.5 * 0.96_f64.powf((t + 1.0) * h.momentum_decay));
                *mu_product *= mu;
                let mu_product_next = *mu_product * mu_next;
                let grad_coef = -lr * (1.0 - mu) / (1.0 - *mu_product);
                let avg_coef = (-lr * mu_next) / (1.0 - mu_product_next);
                let weight = 1.0 - h.beta1;
                let one_minus_beta2 = 1.0 - h.beta2;
                for (i, p) in point.iter_mut().enumerate() {
                    let g = decayed(grad[i], *p);
                    let (m, v) = (&mut exp_avg[i], &mut exp_avg_sq[i]);
                    *m = torch_lerp(*m, g, weight);
                    *v = *v * h.beta2 + one_minus_beta2 * g * g;
                    // denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
                    let denom = (*v / bias_correction2).sqrt() + h.eps;
                    // param.addcdiv_(grad, denom, ...); param.addcdiv_(exp_avg, denom, ...)
                    *p += grad_coef * g / denom;
                    *p += avg_coef * *m / denom;
                }
            }
            State::Radam {
                exp_avg,
                exp_avg_sq,
            } => {
                let bias_correction1 = 1.0 - h.beta1.powf(t);
                let bias_correction2 = 1.0 - h.beta2.powf(t);
                // The length of the approximated SMA, at its limit and at this step.
                let rho_inf = 2.0 / (1.0 - h.beta2) - 1.0;
                let rho_t = rho_inf - 2.0 * t * h.beta2.powf(t) / bias_correction2;
                let rect = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                    / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                    .sqrt();
                let weight = 1.0 - h.beta1;
                let one_minus_beta2 = 1.0 - h.beta2;
                for (i, p) in point.iter_mut().enumerate() {
                    let g = decayed(grad[i], *p);
                    let (m, v) = (&mut exp_avg[i], &mut exp_avg_sq[i]);
                    *m = torch_lerp(*m, g, weight);
                    *v = *v * h.beta2 + one_minus_beta2 * g * g;
                    let bias_corrected_exp_avg = *m / bias_correction1;
                    let update = if rho_t > 5.0 {
                        // (bias_correction2 ** 0.5) / (exp_avg_sq.sqrt() + eps): a float over
                        // a tensor, which torch computes as the reciprocal times the float.
                        let adaptive_lr = (1.0 / (v.sqrt() + h.eps)) * bias_correction2.sqrt();
                        bias_corrected_exp_avg * lr * adaptive_lr * rect
                    } else {
                        // Too few steps for a trustworthy variance: momentum SGD.
                        bias_corrected_exp_avg * lr
                    };
                    // param.add_(update, alpha=-1.0): -1·u is -u exactly.
                    *p += -update;
                }
            }
            State::Adadelta {
                square_avg,
                acc_delta,
            } => {
                let one_minus_rho = 1.0 - h.rho;
                for (i, p) in point.iter_mut().enumerate() {
                    let g = decayed(grad[i], *p);
                    let (sq, acc) = (&mut square_avg[i], &mut acc_delta[i]);
                    // square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
                    *sq = *sq * h.rho + one_minus_rho * g * g;
                    // std = square_avg.add(eps).sqrt_(); delta = acc_delta.add(eps).sqrt_()
                    let std = (*sq + h.eps).sqrt();
                    // delta.div_(std).mul_(grad)
                    let delta = (*acc + h.eps).sqrt() / std * g;
                    // acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
                    *acc = *acc * h.rho + one_minus_rho * delta * delta;
                    // param.add_(delta, alpha=-lr)
                    *p += -lr * delta;
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

/// torch.maximum: NaN wins, unlike f64::max, so a blown-up run stays blown up.
fn torch_maximum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
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
