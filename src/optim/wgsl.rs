//! The update rules of `step.rs` again, as WGSL for the GPU swarm (shaders/swarm.wgsl): one
//! `gs_step` per optimizer, in f32, in the same order of operations. This file and `step.rs` are
//! the two sources of each rule's formula, one per backend; the swarm's tests run both on the same
//! starts and compare them.
//!
//! The template defines `GsWalker` (position, gradient at it, two state vectors `m` and `v`, steps
//! taken) and `GsHyper` (the hyperparameters); `gs_step` moves the walker's position once and
//! returns false where it cannot (Newton at a singular Hessian), leaving the walker unchanged.

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
    }
}

/// Whether `kind`'s step needs the Hessian (`hess`) in the generated module.
pub const fn needs_hessian(kind: OptimizerKind) -> bool {
    matches!(kind, OptimizerKind::Newton)
}

const SGD: &str = "
// torch SGD: param.add_(grad, alpha=-lr)
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    (*w).pos = (*w).pos + (-h.lr) * (*w).grad;
    return true;
}
";

const MOMENTUM: &str = "
// torch SGD with momentum: the first step clones the gradient into the buffer, later ones
// decay it (buf = buf * momentum + grad); the step is -lr * buf.
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = (*w).grad;
    var buf = g;
    if ((*w).steps > 0u) {
        buf = (*w).m * h.momentum + g;
    }
    (*w).m = buf;
    (*w).pos = (*w).pos + (-h.lr) * buf;
    return true;
}
";

const NESTEROV: &str = "
// torch SGD with momentum and nesterov=True: the step is -lr * (grad + momentum * buf).
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = (*w).grad;
    var buf = g;
    if ((*w).steps > 0u) {
        buf = (*w).m * h.momentum + g;
    }
    (*w).m = buf;
    (*w).pos = (*w).pos + (-h.lr) * (g + h.momentum * buf);
    return true;
}
";

const ADAGRAD: &str = "
// torch Adagrad (lr_decay 0, initial accumulator 0): sum += g*g; param -= lr * g / (sqrt(sum) + eps).
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = (*w).grad;
    (*w).m = (*w).m + g * g;
    // `std` as torch names it is a reserved word in WGSL.
    let root = sqrt((*w).m) + vec2<f32>(h.eps);
    (*w).pos = (*w).pos + (-h.lr) * g / root;
    return true;
}
";

const RMSPROP: &str = "
// torch RMSprop: square_avg = square_avg * alpha + (1 - alpha) * g * g;
// param -= lr * g / (sqrt(square_avg) + eps).
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = (*w).grad;
    (*w).m = (*w).m * h.alpha + (1.0 - h.alpha) * g * g;
    let avg = sqrt((*w).m) + vec2<f32>(h.eps);
    (*w).pos = (*w).pos + (-h.lr) * g / avg;
    return true;
}
";

const ADAM: &str = "
// beta^t for t >= 1; WGSL leaves pow(0, t) undefined, torch's is 0.
fn gs_pow_step(beta: f32, t: f32) -> f32 {
    return select(pow(beta, t), 0.0, beta == 0.0);
}

// ATen's lerp: two formulas picked by the weight's size.
fn gs_lerp(start: vec2<f32>, end: vec2<f32>, weight: f32) -> vec2<f32> {
    if (abs(weight) < 0.5) {
        return start + weight * (end - start);
    }
    return end - (end - start) * (1.0 - weight);
}

// torch Adam: m = lerp(m, g, 1 - beta1); v = v * beta2 + (1 - beta2) * g * g;
// param -= (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool {
    let g = (*w).grad;
    let t = f32((*w).steps + 1u);
    let bias_correction1 = 1.0 - gs_pow_step(h.beta1, t);
    let bias_correction2 = 1.0 - gs_pow_step(h.beta2, t);
    let step_size = h.lr / bias_correction1;
    (*w).m = gs_lerp((*w).m, g, 1.0 - h.beta1);
    (*w).v = (*w).v * h.beta2 + (1.0 - h.beta2) * g * g;
    let denom = sqrt((*w).v) / sqrt(bias_correction2) + vec2<f32>(h.eps);
    (*w).pos = (*w).pos + (-step_size) * (*w).m / denom;
    return true;
}
";

const NEWTON: &str = "
// Newton: param -= lr * H^-1 g, refused (false) where the Hessian is not finite, zero, or
// nearly singular: |det| <= 1e-6 after scaling by max|h|. src/optim/linalg.rs uses 1e-12 in f64;
// f32's rounding leaves determinants of exactly singular matrices near 1e-7, so f32 needs more.
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
    if (!gs_is_finite(det) || abs(det) <= 1e-6) {
        return false;
    }
    let dir = vec2<f32>((d * g.x - b * g.y) / det / scale, (a * g.y - c * g.x) / det / scale);
    (*w).pos = (*w).pos - h.lr * dir;
    return true;
}
";

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
