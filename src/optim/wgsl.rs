//! The update rules of `step.rs` again, as WGSL for the GPU swarm (shaders/swarm.wgsl): one
//! `gs_step` per optimizer, in f32, in the same order of operations. This file and `step.rs` are
//! the two sources of each rule's formula, one per backend; the swarm's tests run both on the same
//! starts and compare them.
//!
//! The template defines `GsWalker` (position, gradient at it, three state vectors `m`, `v`, `u`,
//! NAdam's `mu_product`, steps taken) and `GsHyper` (the hyperparameters); `gs_step` moves the
//! walker's position once and returns false where it cannot (Newton at a singular Hessian),
//! leaving the walker unchanged. Every rule's source starts with the same helpers (torch's lerp,
//! maximum, beta^t and L2 weight decay), so each spliced module is complete on its own.

use super::config::OptimizerKind;

/// WGSL source of `fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool` for `kind`.
/// Newton's step calls `hess(x, y)`, so its module must include the generated Hessian.
pub fn step_wgsl(kind: OptimizerKind) -> &'static str {
    match kind {
        OptimizerKind::Sgd => SGD,
        OptimizerKind::Momentum => MOMENTUM,
        OptimizerKind::Nesterov => NESTEROV,
        OptimizerKind::Adagrad => ADAGRAD,
        OptimizerKind::Rmsprop => RMSPROP,
        OptimizerKind::Adam => ADAM,
        OptimizerKind::Newton => NEWTON,
        OptimizerKind::Adamw => ADAMW,
        OptimizerKind::Adamax => ADAMAX,
        OptimizerKind::Nadam => NADAM,
        OptimizerKind::Radam => RADAM,
        OptimizerKind::Adadelta => ADADELTA,
    }
}

/// The helpers every rule may call, prepended to each rule's source (a literal, for `concat!`).
macro_rules! helpers {
    () => {
        "
// The bias corrections (1 - beta1^t, 1 - beta2^t) after this step, kept in the walker by the
// recurrence 1 - b^t = (1 - b) + b (1 - b^(t-1)), which adds positive numbers only: f32's pow
// (exp2 of log2) and the cancellation in 1 - pow lose digits (1 - 0.999^1 by 6e-5 relative).
fn gs_bias_step(w: ptr<function, GsWalker>, h: GsHyper) -> vec2<f32> {
    let beta = vec2<f32>(h.beta1, h.beta2);
    (*w).bias = (vec2<f32>(1.0) - beta) + beta * (*w).bias;
    return (*w).bias;
}

// ATen's lerp: two formulas picked by the weight's size.
fn gs_lerp(start: vec2<f32>, end: vec2<f32>, weight: f32) -> vec2<f32> {
    if (abs(weight) < 0.5) {
        return start + weight * (end - start);
    }
    return end - (end - start) * (1.0 - weight);
}

// torch's L2 weight decay, grad.add(param, alpha=weight_decay), skipped at 0 as torch does.
fn gs_decayed_grad(w: GsWalker, h: GsHyper) -> vec2<f32> {
    if (h.weight_decay != 0.0) {
        return w.grad + h.weight_decay * w.pos;
    }
    return w.grad;
}
"
    };
}

/// Whether `kind`'s step needs the Hessian (`hess`) in the generated module.
pub const fn needs_hessian(kind: OptimizerKind) -> bool {
    matches!(kind, OptimizerKind::Newton)
}

const SGD: &str = concat!(
    helpers!(),
    "
// torch SGD: param.add_(grad, alpha=-lr)
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    (*w).pos = (*w).pos + (-h.lr) * gs_decayed_grad(*w, h);
    return true;
}
"
);

/// SGD with momentum's `gs_step` (a literal, for `concat!`): the buffer's update, which momentum
/// and Nesterov share, then the step `$direction` (WGSL in `g` and `buf`) times -lr.
macro_rules! momentum_body {
    ($direction:literal) => {
        concat!(
            "
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    var buf = g;
    if ((*w).steps > 0u) {
        buf = (*w).m * h.momentum + g;
    }
    (*w).m = buf;
    (*w).pos = (*w).pos + (-h.lr) * ",
            $direction,
            ";
    return true;
}
"
        )
    };
}

const MOMENTUM: &str = concat!(
    helpers!(),
    "
// torch SGD with momentum: the first step clones the gradient into the buffer, later ones
// decay it (buf = buf * momentum + grad); the step is -lr * buf.",
    momentum_body!("buf")
);

const NESTEROV: &str = concat!(
    helpers!(),
    "
// torch SGD with momentum and nesterov=True: the step is -lr * (grad + momentum * buf).",
    momentum_body!("(g + h.momentum * buf)")
);

const ADAGRAD: &str = concat!(
    helpers!(),
    "
// torch Adagrad (lr_decay 0, initial accumulator 0): sum += g*g; param -= lr * g / (sqrt(sum) + eps).
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    (*w).m = (*w).m + g * g;
    // `std` as torch names it is a reserved word in WGSL.
    let root = sqrt((*w).m) + vec2<f32>(h.eps);
    (*w).pos = (*w).pos + (-h.lr) * g / root;
    return true;
}
"
);

const RMSPROP: &str = concat!(
    helpers!(),
    "
// torch RMSprop: square_avg = square_avg * alpha + (1 - alpha) * g * g (in m); centered, also
// grad_avg = lerp(grad_avg, g, 1 - alpha) (in v) and the variance square_avg - grad_avg^2;
// avg = sqrt(that) + eps; with momentum, buf = buf * momentum + g / avg (in u) and
// param -= lr * buf, else param -= lr * g / avg.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    (*w).m = (*w).m * h.alpha + (1.0 - h.alpha) * g * g;
    var second = (*w).m;
    if (h.centered) {
        (*w).v = gs_lerp((*w).v, g, 1.0 - h.alpha);
        second = (*w).m + -1.0 * (*w).v * (*w).v;
    }
    let avg = sqrt(second) + vec2<f32>(h.eps);
    if (h.momentum > 0.0) {
        (*w).u = (*w).u * h.momentum + g / avg;
        (*w).pos = (*w).pos + (-h.lr) * (*w).u;
    } else {
        (*w).pos = (*w).pos + (-h.lr) * g / avg;
    }
    return true;
}
"
);

// Adam and AdamW share their moments; only where the weight decay goes differs.
macro_rules! adam_body {
    ($decay:literal) => {
        concat!(
            "
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let bias = gs_bias_step(w, h);
    let bias_correction1 = bias.x;
    let bias_correction2 = bias.y;
    let step_size = h.lr / bias_correction1;
",
            $decay,
            "
    (*w).m = gs_lerp((*w).m, g, 1.0 - h.beta1);
    (*w).v = (*w).v * h.beta2 + (1.0 - h.beta2) * g * g;
    var second = (*w).v;
    if (h.amsgrad) {
        (*w).u = max((*w).u, (*w).v);
        second = (*w).u;
    }
    let denom = sqrt(second) / sqrt(bias_correction2) + vec2<f32>(h.eps);
    (*w).pos = (*w).pos + (-step_size) * (*w).m / denom;
    return true;
}
"
        )
    };
}

const ADAM: &str = concat!(
    helpers!(),
    "
// torch Adam: g += weight_decay * param; m = lerp(m, g, 1 - beta1);
// v = v * beta2 + (1 - beta2) * g * g; amsgrad keeps u = max(u, v) and divides by it instead;
// param -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).",
    adam_body!(
        "
    let g = gs_decayed_grad(*w, h);"
    )
);

const ADAMW: &str = concat!(
    helpers!(),
    "
// torch AdamW: param *= 1 - lr * weight_decay first, then Adam's step on the raw gradient.",
    adam_body!(
        "
    let g = (*w).grad;
    if (h.weight_decay != 0.0) {
        (*w).pos = (*w).pos * (1.0 - h.lr * h.weight_decay);
    }"
    )
);

const ADAMAX: &str = concat!(
    helpers!(),
    "
// torch Adamax: m = lerp(m, g, 1 - beta1); exp_inf = max(exp_inf * beta2, |g| + eps) (in v);
// param -= (lr / (1 - beta1^t)) * m / exp_inf.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    let clr = h.lr / gs_bias_step(w, h).x;
    (*w).m = gs_lerp((*w).m, g, 1.0 - h.beta1);
    (*w).v = max((*w).v * h.beta2, abs(g) + vec2<f32>(h.eps));
    (*w).pos = (*w).pos + (-clr) * (*w).m / (*w).v;
    return true;
}
"
);

const NADAM: &str = concat!(
    helpers!(),
    "
// torch NAdam: mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)), mu_product *= mu_t;
// m and v as Adam's; denom = sqrt(v / (1 - beta2^t)) + eps;
// param += -lr (1 - mu_t) / (1 - mu_product) * g / denom
//        + -lr mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / denom.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    let t = f32((*w).steps + 1u);
    let bias_correction2 = gs_bias_step(w, h).y;
    let mu = h.beta1 * (1.0 - 0.5 * pow(0.96, t * h.momentum_decay));
    let mu_next = h.beta1 * (1.0 - 0.5 * pow(0.96, (t + 1.0) * h.momentum_decay));
    (*w).mu_product = (*w).mu_product * mu;
    let mu_product_next = (*w).mu_product * mu_next;
    (*w).m = gs_lerp((*w).m, g, 1.0 - h.beta1);
    (*w).v = (*w).v * h.beta2 + (1.0 - h.beta2) * g * g;
    let denom = sqrt((*w).v / bias_correction2) + vec2<f32>(h.eps);
    (*w).pos = (*w).pos + (-h.lr * (1.0 - mu) / (1.0 - (*w).mu_product)) * g / denom;
    (*w).pos = (*w).pos + ((-h.lr * mu_next) / (1.0 - mu_product_next)) * (*w).m / denom;
    return true;
}
"
);

const RADAM: &str = concat!(
    helpers!(),
    "
// torch RAdam: m and v as Adam's; rho_inf = 2 / (1 - beta2) - 1,
// rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t). While rho_t <= 5 the step is momentum SGD,
// param -= lr * m / (1 - beta1^t); after, it is rectified Adam:
// param -= lr * m / (1 - beta1^t) * sqrt(1 - beta2^t) / (sqrt(v) + eps) * rect.
// rho_t subtracts two numbers near rho_inf (~2000 for beta2 = 0.999), so 1 - beta2^t must keep
// its digits: f32 pow loses them to cancellation and flips the switch a step early; the
// recurrence of gs_bias_step keeps them.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    let t = f32((*w).steps + 1u);
    let bias = gs_bias_step(w, h);
    let bias_correction2 = bias.y;
    let beta2_t = 1.0 - bias_correction2;
    let bias_correction1 = bias.x;
    (*w).m = gs_lerp((*w).m, g, 1.0 - h.beta1);
    (*w).v = (*w).v * h.beta2 + (1.0 - h.beta2) * g * g;
    let corrected = (*w).m / bias_correction1;
    let rho_inf = 2.0 / (1.0 - h.beta2) - 1.0;
    let rho_t = rho_inf - 2.0 * t * beta2_t / bias_correction2;
    if (rho_t > 5.0) {
        let rect = sqrt((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
            / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t));
        let adaptive = (1.0 / (sqrt((*w).v) + vec2<f32>(h.eps))) * sqrt(bias_correction2);
        (*w).pos = (*w).pos - corrected * h.lr * adaptive * rect;
    } else {
        (*w).pos = (*w).pos - corrected * h.lr;
    }
    return true;
}
"
);

const ADADELTA: &str = concat!(
    helpers!(),
    "
// torch Adadelta: square_avg = square_avg * rho + (1 - rho) * g * g (in m);
// delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g;
// acc_delta = acc_delta * rho + (1 - rho) * delta * delta (in v); param -= lr * delta.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = gs_decayed_grad(*w, h);
    (*w).m = (*w).m * h.rho + (1.0 - h.rho) * g * g;
    let root = sqrt((*w).m + vec2<f32>(h.eps));
    let delta = sqrt((*w).v + vec2<f32>(h.eps)) / root * g;
    (*w).v = (*w).v * h.rho + (1.0 - h.rho) * delta * delta;
    (*w).pos = (*w).pos + (-h.lr) * delta;
    return true;
}
"
);

const NEWTON: &str = concat!(
    helpers!(),
    "
// Newton: param -= lr * H^-1 g, refused (false) where the Hessian is not finite, zero, or
// singular to rounding: |ad - bc| <= 16 eps (|ad| + |bc|), eps f32's epsilon, the rule
// src/optim/linalg.rs applies with f64's (determinant_is_rounding): it scales with the entries,
// so diag(2, 2e-7) is inverted and an exactly singular matrix rounded to f32 is not.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let hm = hess((*w).pos.x, (*w).pos.y);
    let g = (*w).grad;
    if (gs_swarm_dims() == 1u) {
        if (!gs_is_finite(hm.x) || hm.x == 0.0) {
            return false;
        }
        (*w).pos.x = (*w).pos.x - h.lr * (g.x / hm.x);
        return true;
    }
    if (!(gs_is_finite(hm.x) && gs_is_finite(hm.y) && gs_is_finite(hm.z) && gs_is_finite(hm.w))) {
        return false;
    }
    let scale = max(max(abs(hm.x), abs(hm.y)), max(abs(hm.z), abs(hm.w)));
    if (scale == 0.0) {
        return false;
    }
    let a = hm.x / scale;
    let b = hm.y / scale;
    let c = hm.z / scale;
    let d = hm.w / scale;
    let det = a * d - b * c;
    if (!gs_is_finite(det) || abs(det) <= 16.0 * 1.1920929e-7 * (abs(a * d) + abs(b * c))) {
        return false;
    }
    let dir = vec2<f32>((d * g.x - b * g.y) / det / scale, (a * g.y - c * g.x) / det / scale);
    (*w).pos = (*w).pos - h.lr * dir;
    return true;
}
"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_optimizer_has_its_own_step() {
        for kind in OptimizerKind::ALL {
            let source = step_wgsl(kind);
            assert_eq!(
                source.matches("fn gs_step(").count(),
                1,
                "{kind}: exactly one gs_step"
            );
            assert_eq!(source.contains("hess("), needs_hessian(kind), "{kind}");
        }
    }
}
