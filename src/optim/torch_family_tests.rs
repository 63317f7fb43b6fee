//! The optimizers and options added after the first seven (adamw, adamax, nadam, radam,
//! adadelta, weight decay on all but newton, amsgrad, rmsprop's momentum and centered) step by
//! step against the algorithms as torch.optim's documentation writes them, coded here a second
//! time in plain vector form, on a 1-D double well, a 2-D quadratic and Rosenbrock; plus literal
//! first steps worked on paper.

use super::test_objectives::{Quadratic2, Quartic1, Rosenbrock};
use super::{Hyperparameters, Objective, OptimizerKind, run};

type Point = Vec<f64>;

/// The documented algorithm's state, one vector per buffer torch keeps.
struct Hand {
    h: Hyperparameters,
    t: f64,
    m: Point,
    v: Point,
    u: Point,
    mu_product: f64,
}

impl Hand {
    fn new(h: Hyperparameters, dims: usize) -> Self {
        Hand {
            h,
            t: 0.0,
            m: vec![0.0; dims],
            v: vec![0.0; dims],
            u: vec![0.0; dims],
            mu_product: 1.0,
        }
    }

    /// One step of torch's documented pseudo-code for `self.h.kind`.
    fn step(&mut self, theta: &mut [f64], grad: &[f64]) {
        let h = self.h;
        self.t += 1.0;
        let t = self.t;
        let (lr, b1, b2, eps, wd) = (h.lr, h.beta1, h.beta2, h.eps, h.weight_decay);
        for i in 0..theta.len() {
            // g ← g + λθ (AdamW decays θ itself instead).
            let mut g = grad[i];
            if h.kind != OptimizerKind::Adamw {
                g += wd * theta[i];
            }
            let (m, v, u) = (&mut self.m[i], &mut self.v[i], &mut self.u[i]);
            match h.kind {
                OptimizerKind::Sgd => theta[i] -= lr * g,
                OptimizerKind::Momentum | OptimizerKind::Nesterov => {
                    // b ← g on the first step, then μb + g; nesterov steps along g + μb.
                    *m = if t == 1.0 { g } else { h.momentum * *m + g };
                    let d = if h.kind == OptimizerKind::Nesterov {
                        g + h.momentum * *m
                    } else {
                        *m
                    };
                    theta[i] -= lr * d;
                }
                OptimizerKind::Adagrad => {
                    *v += g * g;
                    theta[i] -= lr * g / (v.sqrt() + eps);
                }
                OptimizerKind::Rmsprop => {
                    *v = h.alpha * *v + (1.0 - h.alpha) * g * g;
                    let mut v_tilde = *v;
                    if h.centered {
                        *m = h.alpha * *m + (1.0 - h.alpha) * g;
                        v_tilde -= *m * *m;
                    }
                    if h.momentum > 0.0 {
                        *u = h.momentum * *u + g / (v_tilde.sqrt() + eps);
                        theta[i] -= lr * *u;
                    } else {
                        theta[i] -= lr * g / (v_tilde.sqrt() + eps);
                    }
                }
                OptimizerKind::Adam | OptimizerKind::Adamw => {
                    if h.kind == OptimizerKind::Adamw {
                        theta[i] -= lr * wd * theta[i];
                    }
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    let m_hat = *m / (1.0 - b1.powf(t));
                    // torch keeps the maximum of the raw second moment, then corrects it.
                    *u = u.max(*v);
                    let second = if h.amsgrad { *u } else { *v };
                    let v_hat = second / (1.0 - b2.powf(t));
                    theta[i] -= lr * m_hat / (v_hat.sqrt() + eps);
                }
                OptimizerKind::Adamax => {
                    *m = b1 * *m + (1.0 - b1) * g;
                    *u = (b2 * *u).max(g.abs() + eps);
                    theta[i] -= lr * *m / ((1.0 - b1.powf(t)) * *u);
                }
                OptimizerKind::Nadam => {
                    let mu = |k: f64| b1 * (1.0 - 0.5 * 0.96_f64.powf(k * h.momentum_decay));
                    let (mu_t, mu_next) = (mu(t), mu(t + 1.0));
                    // ∏ μ_i up to t (kept once per step, not per coordinate).
                    let prod_t = if i == 0 {
                        self.mu_product * mu_t
                    } else {
                        self.mu_product
                    };
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    let m_hat =
                        mu_next * *m / (1.0 - prod_t * mu_next) + (1.0 - mu_t) * g / (1.0 - prod_t);
                    let v_hat = *v / (1.0 - b2.powf(t));
                    theta[i] -= lr * m_hat / (v_hat.sqrt() + eps);
                    if i == 0 {
                        self.mu_product = prod_t;
                    }
                }
                OptimizerKind::Radam => {
                    *m = b1 * *m + (1.0 - b1) * g;
                    *v = b2 * *v + (1.0 - b2) * g * g;
                    let m_hat = *m / (1.0 - b1.powf(t));
                    let rho_inf = 2.0 / (1.0 - b2) - 1.0;
                    let rho_t = rho_inf - 2.0 * t * b2.powf(t) / (1.0 - b2.powf(t));
                    if rho_t > 5.0 {
                        let l = (1.0 - b2.powf(t)).sqrt() / (v.sqrt() + eps);
                        let r = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                            / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                            .sqrt();
                        theta[i] -= lr * m_hat * r * l;
                    } else {
                        theta[i] -= lr * m_hat;
                    }
                }
                OptimizerKind::Adadelta => {
                    *v = h.rho * *v + (1.0 - h.rho) * g * g;
                    let dx = (*u + eps).sqrt() / (*v + eps).sqrt() * g;
                    *u = h.rho * *u + (1.0 - h.rho) * dx * dx;
                    theta[i] -= lr * dx;
                }
                other => panic!("no hand rule for {other} here (see reference_tests.rs)"),
            }
        }
    }
}

struct Case {
    name: &'static str,
    objective: &'static dyn Objective,
    start: &'static [f64],
    lr: f64,
}

fn cases() -> [Case; 3] {
    [
        Case {
            name: "1-D double well",
            objective: &Quartic1,
            start: &[1.7],
            lr: 0.05,
        },
        Case {
            name: "quadratic 3x²+xy+2y²",
            objective: &Quadratic2,
            start: &[1.5, -0.8],
            lr: 0.05,
        },
        Case {
            name: "rosenbrock",
            objective: &Rosenbrock,
            start: &[-1.2, 1.0],
            lr: 1e-3,
        },
    ]
}

/// Runs `steps` steps both ways and compares every row; returns the rows for further checks.
fn check(hyper: &Hyperparameters, case: &Case, steps: usize) -> Vec<Point> {
    let t = run(case.objective, hyper, case.start, steps, None).unwrap();
    assert_eq!(t.steps.len(), steps + 1, "{} on {}", hyper.kind, case.name);
    let mut hand = Hand::new(*hyper, case.start.len());
    let mut theta = case.start.to_vec();
    let mut grad = vec![0.0; theta.len()];
    let mut rows = vec![theta.clone()];
    for k in 1..=steps {
        case.objective.gradient(&theta, &mut grad);
        hand.step(&mut theta, &grad);
        let got = &t.steps[k].point;
        for (g, w) in got.iter().zip(&theta) {
            let rel = (g - w).abs() / w.abs().max(g.abs()).max(1e-300);
            assert!(
                rel <= 1e-12,
                "{hyper:?} on {}, step {k}: got {got:?}, by hand {theta:?} (rel {rel:e})",
                case.name
            );
        }
        assert_ne!(t.steps[k].point, t.steps[k - 1].point, "the point moved");
        rows.push(theta.clone());
    }
    rows
}

/// Every case, with defaults and with `tweak` applied.
fn check_all(kind: OptimizerKind, steps: usize, tweak: impl Fn(&mut Hyperparameters)) {
    for case in cases() {
        let mut hyper = Hyperparameters::new(kind, case.lr);
        check(&hyper, &case, steps);
        tweak(&mut hyper);
        hyper.validate().unwrap();
        check(&hyper, &case, steps);
    }
}

#[test]
fn adamw_matches_torch_by_hand_with_and_without_amsgrad() {
    check_all(OptimizerKind::Adamw, 8, |h| {
        (h.weight_decay, h.beta2) = (0.1, 0.99)
    });
    check_all(OptimizerKind::Adamw, 8, |h| h.amsgrad = true);
}

#[test]
fn adam_weight_decay_and_amsgrad_match_torch_by_hand() {
    check_all(OptimizerKind::Adam, 8, |h| {
        (h.weight_decay, h.amsgrad) = (0.05, true)
    });
}

#[test]
fn adamax_matches_torch_by_hand() {
    check_all(OptimizerKind::Adamax, 8, |h| {
        (h.beta1, h.beta2, h.weight_decay) = (0.8, 0.9, 0.02)
    });
}

#[test]
fn nadam_matches_torch_by_hand() {
    check_all(OptimizerKind::Nadam, 8, |h| {
        (h.momentum_decay, h.weight_decay) = (0.05, 0.01)
    });
}

#[test]
fn radam_matches_torch_by_hand_across_the_rectification_switch() {
    check_all(OptimizerKind::Radam, 9, |h| {
        (h.beta2, h.weight_decay) = (0.99, 0.01)
    });
}

#[test]
fn adadelta_matches_torch_by_hand() {
    check_all(OptimizerKind::Adadelta, 8, |h| {
        (h.rho, h.eps, h.weight_decay) = (0.5, 1e-4, 0.1)
    });
}

#[test]
fn rmsprop_momentum_and_centered_match_torch_by_hand() {
    check_all(OptimizerKind::Rmsprop, 8, |h| h.momentum = 0.5);
    check_all(OptimizerKind::Rmsprop, 8, |h| h.centered = true);
    check_all(OptimizerKind::Rmsprop, 8, |h| {
        (h.centered, h.momentum, h.weight_decay) = (true, 0.9, 0.01)
    });
}

#[test]
fn weight_decay_on_the_first_optimizers_matches_torch_by_hand() {
    check_all(OptimizerKind::Sgd, 5, |h| h.weight_decay = 0.3);
    check_all(OptimizerKind::Momentum, 6, |h| h.weight_decay = 0.2);
    check_all(OptimizerKind::Nesterov, 6, |h| {
        (h.weight_decay, h.momentum) = (0.2, 0.5)
    });
    check_all(OptimizerKind::Adagrad, 6, |h| h.weight_decay = 0.1);
}

fn first_step(kind: OptimizerKind, lr: f64, start: &[f64], objective: &dyn Objective) -> Point {
    let t = run(objective, &Hyperparameters::new(kind, lr), start, 1, None).unwrap();
    t.steps[1].point.clone()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn first_steps_worked_on_paper() {
    // On the double well from x = 2: f'(2) = 8 - 4 = 4.
    // Adam's first step is lr·sign(g) (m̂ = g, v̂ = g²); AdamW's default wd = 0.01 first shrinks
    // x by lr·wd·x: 2 - 0.1·0.01·2 - 0.1 = 1.898.
    let x = first_step(OptimizerKind::Adamw, 0.1, &[2.0], &Quartic1)[0];
    assert!(close(x, 1.898, 1e-9), "{x}");
    // Adamax: m̂ = g, u = |g| + eps: 2 - 0.1 = 1.9.
    let x = first_step(OptimizerKind::Adamax, 0.1, &[2.0], &Quartic1)[0];
    assert!(close(x, 1.9, 1e-9), "{x}");
    // RAdam, t = 1: ρ₁ = 1999 - 2·0.999/0.001 = 1 ≤ 5, so plain momentum SGD: x - lr·g = 1.6.
    let x = first_step(OptimizerKind::Radam, 0.1, &[2.0], &Quartic1)[0];
    assert!(close(x, 1.6, 1e-12), "{x}");
    // Adadelta (ρ 0.9, eps 1e-6): square_avg = 0.1·16 = 1.6; Δx = √1e-6/√(1.6+1e-6)·4
    // = 0.0031622767…; x = 2 - 1.0·Δx.
    let x = first_step(OptimizerKind::Adadelta, 1.0, &[2.0], &Quartic1)[0];
    let dx = (1e-6_f64).sqrt() / (1.6_f64 + 1e-6).sqrt() * 4.0;
    assert!(close(dx, 0.003_162_276_7, 1e-10), "{dx}");
    assert!(close(x, 2.0 - dx, 1e-15), "{x}");
    // NAdam, t = 1, ψ = 0.004: μ₁ = 0.9(1 - 0.5·0.96^0.004), μ₂ = 0.9(1 - 0.5·0.96^0.008);
    // m = 0.1g, v̂ = g²: the step is lr·(μ₂·0.1/(1-μ₁μ₂) + (1-μ₁)/(1-μ₁))·sign(g).
    let mu1 = 0.9 * (1.0 - 0.5 * 0.96_f64.powf(0.004));
    let mu2 = 0.9 * (1.0 - 0.5 * 0.96_f64.powf(0.008));
    assert!(close(mu1, 0.450_073_5, 1e-7), "{mu1}");
    let want = 2.0 - 0.1 * (mu2 * 0.1 / (1.0 - mu1 * mu2) + 1.0);
    let x = first_step(OptimizerKind::Nadam, 0.1, &[2.0], &Quartic1)[0];
    assert!(close(x, want, 1e-9), "{x} vs {want}");
    // Rosenbrock from (-1.2, 1), ∇f = (-215.6, -88): Adam-family first steps move each
    // coordinate by lr against the gradient's sign.
    for kind in [OptimizerKind::Adamax, OptimizerKind::Nadam] {
        let p = first_step(kind, 0.01, &[-1.2, 1.0], &Rosenbrock);
        assert!(p[0] > -1.2 && p[1] > 1.0, "{kind}: {p:?}");
    }
    let p = first_step(OptimizerKind::Adamax, 0.01, &[-1.2, 1.0], &Rosenbrock);
    assert!(close(p[0], -1.19, 1e-9) && close(p[1], 1.01, 1e-9), "{p:?}");
}

#[test]
fn radam_switches_to_the_rectified_step_when_rho_t_passes_5() {
    // With beta2 = 0.999, ρ_t ≈ t - (t-1)·small: steps 1..=5 are momentum SGD on m̂, step 6
    // is the first rectified one.
    let b2: f64 = 0.999;
    let rho_inf = 2.0 / (1.0 - b2) - 1.0;
    let rho = |t: f64| rho_inf - 2.0 * t * b2.powf(t) / (1.0 - b2.powf(t));
    assert!(
        rho(5.0) <= 5.0 && rho(6.0) > 5.0,
        "{} {}",
        rho(5.0),
        rho(6.0)
    );
    // On a linear function f = 3x (g = 3 everywhere) m̂ = 3 exactly, so the first five steps are
    // exactly lr·3 each, and the sixth is not.
    struct Line;
    impl Objective for Line {
        fn dims(&self) -> usize {
            1
        }
        fn value(&self, p: &[f64]) -> f64 {
            3.0 * p[0]
        }
        fn gradient(&self, _p: &[f64], g: &mut [f64]) {
            g[0] = 3.0;
        }
        fn hessian(&self, _p: &[f64], h: &mut [f64]) {
            h[0] = 0.0;
        }
    }
    let h = Hyperparameters::new(OptimizerKind::Radam, 0.01);
    let t = run(&Line, &h, &[0.0], 6, None).unwrap();
    let moves: Vec<f64> = t
        .steps
        .windows(2)
        .map(|w| w[0].point[0] - w[1].point[0])
        .collect();
    for (k, d) in moves[..5].iter().enumerate() {
        assert!(close(*d, 0.03, 1e-12), "step {}: {d}", k + 1);
    }
    // Rectified: lr·m̂·r·√(1-β2^t)/(√v+eps) with v = 9(1-β2^t), so lr·3·r·(1/3) = 0.01·r.
    let r6 = ((rho(6.0) - 4.0) * (rho(6.0) - 2.0) * rho_inf
        / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho(6.0)))
    .sqrt();
    assert!(r6 < 0.1, "{r6}");
    assert!(
        close(moves[5], 0.01 * r6, 1e-9),
        "{} vs {}",
        moves[5],
        0.01 * r6
    );
}
