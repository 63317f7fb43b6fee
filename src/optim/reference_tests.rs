//! The first three steps of every optimizer, worked out by hand from torch.optim's formulas
//! (unrolled, scalar by scalar) and compared with `run`, on a 2-D quadratic, on Rosenbrock from
//! (-1.2, 1) and on a 1-D double well, with default and with non-default hyperparameters.

use super::test_objectives::{Quadratic2, Quartic1, Rosenbrock};
use super::{Hyperparameters, Objective, OptimizerKind, run};

type Point = Vec<f64>;

struct Case {
    name: &'static str,
    objective: &'static dyn Objective,
    start: &'static [f64],
    /// Learning rate for the first-order optimizers.
    lr: f64,
    /// Learning rate for Newton (1 would finish the quadratic in one step).
    newton_lr: f64,
    grad: fn(&[f64]) -> Point,
    hess: fn(&[f64]) -> Point,
}

fn cases() -> [Case; 3] {
    [
        Case {
            name: "quadratic 3x²+xy+2y²",
            objective: &Quadratic2,
            start: &[1.5, -0.8],
            lr: 0.05,
            newton_lr: 0.5,
            grad: |p| Quadratic2::grad(p[0], p[1]).to_vec(),
            hess: |_| vec![6.0, 1.0, 1.0, 4.0],
        },
        Case {
            name: "rosenbrock",
            objective: &Rosenbrock,
            start: &[-1.2, 1.0],
            lr: 1e-3,
            newton_lr: 1.0,
            grad: |p| Rosenbrock::grad(p[0], p[1]).to_vec(),
            hess: |p| Rosenbrock::hess(p[0], p[1]).to_vec(),
        },
        Case {
            name: "1-D double well",
            objective: &Quartic1,
            start: &[1.7],
            lr: 0.05,
            newton_lr: 1.0,
            grad: |p| vec![Quartic1::grad(p[0])],
            hess: |p| vec![Quartic1::hess(p[0])],
        },
    ]
}

/// Element-wise f(a_i, b_i).
fn ew(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) -> Point {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

/// Element-wise f(a_i, b_i, c_i).
fn ew3(a: &[f64], b: &[f64], c: &[f64], f: impl Fn(f64, f64, f64) -> f64) -> Point {
    a.iter()
        .zip(b)
        .zip(c)
        .map(|((&x, &y), &z)| f(x, y, z))
        .collect()
}

fn assert_close(kind: OptimizerKind, case: &str, step: usize, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        let rel = (g - w).abs() / w.abs().max(g.abs());
        assert!(
            g == w || rel <= 1e-12,
            "{kind} on {case}, step {step}: got {got:?}, by hand {want:?} (rel {rel:e})"
        );
    }
}

/// Runs `kind` for 3 steps and compares rows 1..=3 with the hand-computed points.
fn check(
    kind: OptimizerKind,
    tweak: fn(&mut Hyperparameters),
    by_hand: fn(&Case, &Hyperparameters) -> [Point; 3],
) {
    for case in cases() {
        let lr = if kind == OptimizerKind::Newton {
            case.newton_lr
        } else {
            case.lr
        };
        for custom in [false, true] {
            let mut hyper = Hyperparameters::new(kind, lr);
            if custom {
                tweak(&mut hyper);
            }
            let want = by_hand(&case, &hyper);
            let t = run(case.objective, &hyper, case.start, 3, None).unwrap();
            assert_eq!(t.steps.len(), 4, "{kind} on {}", case.name);
            assert_eq!(t.steps[0].point, case.start);
            for (k, w) in want.iter().enumerate() {
                assert_close(kind, case.name, k + 1, &t.steps[k + 1].point, w);
                // The point moved, so the comparison is not vacuous.
                assert_ne!(t.steps[k + 1].point, t.steps[k].point);
            }
        }
    }
}

#[test]
fn sgd_first_three_steps_match_torch_by_hand() {
    fn by_hand(c: &Case, h: &Hyperparameters) -> [Point; 3] {
        let lr = h.lr;
        let p0 = c.start.to_vec();
        // p -= lr * g
        let g0 = (c.grad)(&p0);
        let p1 = ew(&p0, &g0, |p, g| p - lr * g);
        let g1 = (c.grad)(&p1);
        let p2 = ew(&p1, &g1, |p, g| p - lr * g);
        let g2 = (c.grad)(&p2);
        let p3 = ew(&p2, &g2, |p, g| p - lr * g);
        [p1, p2, p3]
    }
    check(OptimizerKind::Sgd, |_| {}, by_hand);
}

/// torch SGD with momentum, three steps by hand: the buffer is the gradient at step 1 (torch
/// clones it), then buf = mu*buf + g; the step is p -= lr * buf, or for Nesterov
/// p -= lr * (g + mu*buf).
fn momentum_by_hand(c: &Case, h: &Hyperparameters) -> [Point; 3] {
    let (lr, mu) = (h.lr, h.momentum);
    let nesterov = h.kind == OptimizerKind::Nesterov;
    let mut p = c.start.to_vec();
    let mut buf: Option<Point> = None;
    std::array::from_fn(|_| {
        let g = (c.grad)(&p);
        let b = match &buf {
            None => g.clone(),
            Some(b) => ew(b, &g, |b, g| mu * b + g),
        };
        p = if nesterov {
            ew3(&p, &g, &b, |p, g, b| p - lr * (g + mu * b))
        } else {
            ew(&p, &b, |p, b| p - lr * b)
        };
        buf = Some(b);
        p.clone()
    })
}

#[test]
fn momentum_first_three_steps_match_torch_by_hand() {
    check(
        OptimizerKind::Momentum,
        |h| h.momentum = 0.5,
        momentum_by_hand,
    );
}

#[test]
fn nesterov_first_three_steps_match_torch_by_hand() {
    check(
        OptimizerKind::Nesterov,
        |h| h.momentum = 0.75,
        momentum_by_hand,
    );
}

#[test]
fn adagrad_first_three_steps_match_torch_by_hand() {
    fn by_hand(c: &Case, h: &Hyperparameters) -> [Point; 3] {
        let (lr, eps) = (h.lr, h.eps);
        let p0 = c.start.to_vec();
        // Step 1: sum = 0 + g²; p -= lr * g / (sqrt(sum) + eps).
        let g0 = (c.grad)(&p0);
        let s1: Point = g0.iter().map(|g| 0.0 + g * g).collect();
        let p1 = ew3(&p0, &g0, &s1, |p, g, s| p - lr * g / (s.sqrt() + eps));
        // Step 2.
        let g1 = (c.grad)(&p1);
        let s2 = ew(&s1, &g1, |s, g| s + g * g);
        let p2 = ew3(&p1, &g1, &s2, |p, g, s| p - lr * g / (s.sqrt() + eps));
        // Step 3.
        let g2 = (c.grad)(&p2);
        let s3 = ew(&s2, &g2, |s, g| s + g * g);
        let p3 = ew3(&p2, &g2, &s3, |p, g, s| p - lr * g / (s.sqrt() + eps));
        [p1, p2, p3]
    }
    check(OptimizerKind::Adagrad, |h| h.eps = 1e-3, by_hand);
}

#[test]
fn rmsprop_first_three_steps_match_torch_by_hand() {
    fn by_hand(c: &Case, h: &Hyperparameters) -> [Point; 3] {
        let (lr, alpha, eps) = (h.lr, h.alpha, h.eps);
        let p0 = c.start.to_vec();
        // Step 1: sq = alpha*0 + (1-alpha)*g²; p -= lr * g / (sqrt(sq) + eps).
        let g0 = (c.grad)(&p0);
        let q1: Point = g0
            .iter()
            .map(|g| alpha * 0.0 + (1.0 - alpha) * g * g)
            .collect();
        let p1 = ew3(&p0, &g0, &q1, |p, g, q| p - lr * g / (q.sqrt() + eps));
        // Step 2.
        let g1 = (c.grad)(&p1);
        let q2 = ew(&q1, &g1, |q, g| alpha * q + (1.0 - alpha) * g * g);
        let p2 = ew3(&p1, &g1, &q2, |p, g, q| p - lr * g / (q.sqrt() + eps));
        // Step 3.
        let g2 = (c.grad)(&p2);
        let q3 = ew(&q2, &g2, |q, g| alpha * q + (1.0 - alpha) * g * g);
        let p3 = ew3(&p2, &g2, &q3, |p, g, q| p - lr * g / (q.sqrt() + eps));
        [p1, p2, p3]
    }
    check(
        OptimizerKind::Rmsprop,
        |h| {
            h.alpha = 0.9;
            h.eps = 1e-4;
        },
        by_hand,
    );
}

#[test]
fn adam_first_three_steps_match_torch_by_hand() {
    fn by_hand(c: &Case, h: &Hyperparameters) -> [Point; 3] {
        let (lr, b1, b2, eps) = (h.lr, h.beta1, h.beta2, h.eps);
        let p0 = c.start.to_vec();
        // t = 1: m = 0 + (1-b1)(g - 0), v = b2*0 + (1-b2)g², bias corrections 1 - b^1.
        let g0 = (c.grad)(&p0);
        let m1: Point = g0.iter().map(|g| 0.0 + (1.0 - b1) * (g - 0.0)).collect();
        let v1: Point = g0.iter().map(|g| b2 * 0.0 + (1.0 - b2) * g * g).collect();
        let (bc1, bc2) = (1.0 - b1, 1.0 - b2);
        let p1 = ew3(&p0, &m1, &v1, |p, m, v| {
            p - (lr / bc1) * m / (v.sqrt() / bc2.sqrt() + eps)
        });
        // t = 2: bias corrections 1 - b².
        let g1 = (c.grad)(&p1);
        let m2 = ew(&m1, &g1, |m, g| m + (1.0 - b1) * (g - m));
        let v2 = ew(&v1, &g1, |v, g| b2 * v + (1.0 - b2) * g * g);
        let (bc1, bc2) = (1.0 - b1 * b1, 1.0 - b2 * b2);
        let p2 = ew3(&p1, &m2, &v2, |p, m, v| {
            p - (lr / bc1) * m / (v.sqrt() / bc2.sqrt() + eps)
        });
        // t = 3: bias corrections 1 - b³.
        let g2 = (c.grad)(&p2);
        let m3 = ew(&m2, &g2, |m, g| m + (1.0 - b1) * (g - m));
        let v3 = ew(&v2, &g2, |v, g| b2 * v + (1.0 - b2) * g * g);
        let (bc1, bc2) = (1.0 - b1 * b1 * b1, 1.0 - b2 * b2 * b2);
        let p3 = ew3(&p2, &m3, &v3, |p, m, v| {
            p - (lr / bc1) * m / (v.sqrt() / bc2.sqrt() + eps)
        });
        [p1, p2, p3]
    }
    // beta1 = 0.8 keeps lerp's weight (0.2) on the same branch as the default.
    check(
        OptimizerKind::Adam,
        |h| {
            h.beta1 = 0.8;
            h.beta2 = 0.99;
            h.eps = 1e-6;
        },
        by_hand,
    );
}

#[test]
fn newton_first_three_steps_match_by_hand() {
    /// H⁻¹g: g/h in 1-D, the closed-form 2×2 inverse in 2-D.
    fn newton_direction(hess: &[f64], g: &[f64]) -> Point {
        if let [h] = hess {
            return vec![g[0] / h];
        }
        let [a, b, c, d] = [hess[0], hess[1], hess[2], hess[3]];
        let det = a * d - b * c;
        vec![(d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det]
    }
    fn by_hand(c: &Case, h: &Hyperparameters) -> [Point; 3] {
        let lr = h.lr;
        let p0 = c.start.to_vec();
        let d0 = newton_direction(&(c.hess)(&p0), &(c.grad)(&p0));
        let p1 = ew(&p0, &d0, |p, d| p - lr * d);
        let d1 = newton_direction(&(c.hess)(&p1), &(c.grad)(&p1));
        let p2 = ew(&p1, &d1, |p, d| p - lr * d);
        let d2 = newton_direction(&(c.hess)(&p2), &(c.grad)(&p2));
        let p3 = ew(&p2, &d2, |p, d| p - lr * d);
        [p1, p2, p3]
    }
    check(OptimizerKind::Newton, |h| h.lr *= 0.5, by_hand);
}

#[test]
fn rosenbrock_first_sgd_step_in_plain_numbers() {
    // A fully literal anchor: ∇f(-1.2, 1) = (-215.6, -88), so one sgd step at lr 1e-3 moves to
    // (-1.2 + 0.2156, 1 + 0.088).
    let t = run(
        &Rosenbrock,
        &Hyperparameters::new(OptimizerKind::Sgd, 1e-3),
        &[-1.2, 1.0],
        1,
        None,
    )
    .unwrap();
    assert_close(
        OptimizerKind::Sgd,
        "rosenbrock",
        0,
        &t.steps[0].gradient,
        &[-215.6, -88.0],
    );
    assert_close(
        OptimizerKind::Sgd,
        "rosenbrock",
        1,
        &t.steps[1].point,
        &[-1.2 + 0.2156, 1.0 + 0.088],
    );
    assert_close(
        OptimizerKind::Sgd,
        "rosenbrock",
        0,
        &[t.steps[0].value],
        &[24.2],
    );
}
