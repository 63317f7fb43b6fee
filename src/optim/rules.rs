//! torch.optim's update rules, one function each, as torch's functional optimizers read: the
//! same order of floating-point operations as the single-tensor CPU path (dampening=0,
//! lr_decay=0, maximize=False, float64), so runs match torch to the last bit. `step.rs` keeps
//! each rule's state and calls the one its optimizer names.

use super::config::Hyperparameters;

/// What every rule reads for one step.
#[derive(Clone, Copy)]
pub(super) struct StepContext<'a> {
    pub h: &'a Hyperparameters,
    pub lr: f64,
    /// The step's number, from 1, as a float: Python computes beta ** step with C's pow on a
    /// float step, so powf, not powi.
    pub t: f64,
    /// Whether this is the first step (momentum's buffer starts as the gradient).
    pub first: bool,
}

impl StepContext<'_> {
    /// torch's L2 form: grad = grad.add(param, alpha=weight_decay), skipped when it is 0.
    fn decayed(&self, g: f64, p: f64) -> f64 {
        let wd = self.h.weight_decay;
        if wd != 0.0 { g + wd * p } else { g }
    }

    /// Adam's two moments, which NAdam and RAdam keep alike: exp_avg.lerp_(grad, 1 - beta1);
    /// exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2).
    fn update_moments(&self, exp_avg: &mut f64, exp_avg_sq: &mut f64, g: f64) {
        let h = self.h;
        *exp_avg = torch_lerp(*exp_avg, g, 1.0 - h.beta1);
        *exp_avg_sq = *exp_avg_sq * h.beta2 + (1.0 - h.beta2) * g * g;
    }
}

/// torch SGD without momentum.
pub(super) fn sgd(c: StepContext, point: &mut [f64], grad: &[f64]) {
    let lr = c.lr;
    // param.add_(grad, alpha=-lr)
    for (p, &g) in point.iter_mut().zip(grad) {
        let g = c.decayed(g, *p);
        *p += -lr * g;
    }
}

/// torch SGD with momentum (nesterov=True or not).
pub(super) fn momentum(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    buf: &mut [f64],
    nesterov: bool,
) {
    let (h, lr) = (c.h, c.lr);
    let first = c.first;
    for ((p, &g), b) in point.iter_mut().zip(grad).zip(buf.iter_mut()) {
        let g = c.decayed(g, *p);
        *b = if first {
            // torch clones the gradient rather than decaying a zero buffer; the
            // two differ only in the sign of a zero, but clone is what torch does.
            g
        } else {
            // buf.mul_(momentum).add_(grad, alpha=1 - dampening)
            *b * h.momentum + g
        };
        // nesterov: grad = grad.add(buf, alpha=momentum); else grad = buf
        let d_p = if nesterov { g + h.momentum * *b } else { *b };
        *p += -lr * d_p;
    }
}

/// torch Adagrad.
pub(super) fn adagrad(c: StepContext, point: &mut [f64], grad: &[f64], sum: &mut [f64]) {
    let (h, lr) = (c.h, c.lr);
    // clr = lr / (1 + (step - 1) * lr_decay) is exactly lr with lr_decay = 0.
    for ((p, &g), s) in point.iter_mut().zip(grad).zip(sum.iter_mut()) {
        let g = c.decayed(g, *p);
        // state_sum.addcmul_(grad, grad, value=1)
        *s += 1.0 * g * g;
        // std = state_sum.sqrt().add_(eps); param.addcdiv_(grad, std, value=-clr)
        let std = s.sqrt() + h.eps;
        *p += -lr * g / std;
    }
}

/// torch RMSprop (centered, momentum).
pub(super) fn rmsprop(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    square_avg: &mut [f64],
    grad_avg: &mut [f64],
    momentum_buffer: &mut [f64],
) {
    let (h, lr) = (c.h, c.lr);
    let one_minus_alpha = 1.0 - h.alpha;
    for (i, p) in point.iter_mut().enumerate() {
        let g = c.decayed(grad[i], *p);
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

/// torch Adam, and AdamW where `decoupled` (amsgrad for both).
pub(super) fn adam(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    exp_avg: &mut [f64],
    exp_avg_sq: &mut [f64],
    max_exp_avg_sq: &mut [f64],
    decoupled: bool,
) {
    let (h, lr, t, wd) = (c.h, c.lr, c.t, c.h.weight_decay);
    let bias_correction1 = 1.0 - h.beta1.powf(t);
    let bias_correction2 = 1.0 - h.beta2.powf(t);
    let step_size = lr / bias_correction1;
    let bias_correction2_sqrt = bias_correction2.sqrt();
    for (i, p) in point.iter_mut().enumerate() {
        let g = if decoupled {
            // AdamW: param.mul_(1 - lr * weight_decay), before the moments.
            if wd != 0.0 {
                *p *= 1.0 - lr * wd;
            }
            grad[i]
        } else {
            c.decayed(grad[i], *p)
        };
        let (m, v) = (&mut exp_avg[i], &mut exp_avg_sq[i]);
        c.update_moments(m, v, g);
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

/// torch Adamax.
pub(super) fn adamax(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    exp_avg: &mut [f64],
    exp_inf: &mut [f64],
) {
    let (h, lr, t) = (c.h, c.lr, c.t);
    let weight = 1.0 - h.beta1;
    // bias_correction = 1 - beta1 ** step; clr = lr / bias_correction
    let clr = lr / (1.0 - h.beta1.powf(t));
    for (i, p) in point.iter_mut().enumerate() {
        let g = c.decayed(grad[i], *p);
        let (m, u) = (&mut exp_avg[i], &mut exp_inf[i]);
        *m = torch_lerp(*m, g, weight);
        // exp_inf = max(exp_inf * beta2, |grad| + eps)
        *u = torch_maximum(*u * h.beta2, g.abs() + h.eps);
        // param.addcdiv_(exp_avg, exp_inf, value=-clr)
        *p += -clr * *m / *u;
    }
}

/// torch NAdam with its momentum schedule.
pub(super) fn nadam(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    exp_avg: &mut [f64],
    exp_avg_sq: &mut [f64],
    mu_product: &mut f64,
) {
    let (h, lr, t) = (c.h, c.lr, c.t);
    let bias_correction2 = 1.0 - h.beta2.powf(t);
    // The momentum schedule: mu_t and mu_{t+1}.
    let mu = h.beta1 * (1.0 - 0.5 * 0.96_f64.powf(t * h.momentum_decay));
    let mu_next = h.beta1 * (1.0 - 0.5 * 0.96_f64.powf((t + 1.0) * h.momentum_decay));
    *mu_product *= mu;
    let mu_product_next = *mu_product * mu_next;
    let grad_coef = -lr * (1.0 - mu) / (1.0 - *mu_product);
    let avg_coef = (-lr * mu_next) / (1.0 - mu_product_next);
    for (i, p) in point.iter_mut().enumerate() {
        let g = c.decayed(grad[i], *p);
        let (m, v) = (&mut exp_avg[i], &mut exp_avg_sq[i]);
        c.update_moments(m, v, g);
        // denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        let denom = (*v / bias_correction2).sqrt() + h.eps;
        // param.addcdiv_(grad, denom, ...); param.addcdiv_(exp_avg, denom, ...)
        *p += grad_coef * g / denom;
        *p += avg_coef * *m / denom;
    }
}

/// torch RAdam: momentum SGD until the variance estimate is trustworthy.
pub(super) fn radam(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    exp_avg: &mut [f64],
    exp_avg_sq: &mut [f64],
) {
    let (h, lr, t) = (c.h, c.lr, c.t);
    let bias_correction1 = 1.0 - h.beta1.powf(t);
    let bias_correction2 = 1.0 - h.beta2.powf(t);
    // The length of the approximated SMA, at its limit and at this step.
    let rho_inf = 2.0 / (1.0 - h.beta2) - 1.0;
    let rho_t = rho_inf - 2.0 * t * h.beta2.powf(t) / bias_correction2;
    let rect = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
        / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
        .sqrt();
    for (i, p) in point.iter_mut().enumerate() {
        let g = c.decayed(grad[i], *p);
        let (m, v) = (&mut exp_avg[i], &mut exp_avg_sq[i]);
        c.update_moments(m, v, g);
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

/// torch Adadelta.
pub(super) fn adadelta(
    c: StepContext,
    point: &mut [f64],
    grad: &[f64],
    square_avg: &mut [f64],
    acc_delta: &mut [f64],
) {
    let (h, lr) = (c.h, c.lr);
    let one_minus_rho = 1.0 - h.rho;
    for (i, p) in point.iter_mut().enumerate() {
        let g = c.decayed(grad[i], *p);
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

    #[test]
    fn lerp_uses_both_torch_branches() {
        // Small weight: start + w*(end-start); large weight: end - (end-start)*(1-w).
        assert_eq!(torch_lerp(1.0, 3.0, 0.1), 1.0 + 0.1 * (3.0 - 1.0));
        assert_eq!(torch_lerp(1.0, 3.0, 0.7), 3.0 - (3.0 - 1.0) * (1.0 - 0.7));
        assert_eq!(torch_lerp(0.3, 0.7, 0.5), 0.7 - (0.7 - 0.3) * 0.5);
    }
}
