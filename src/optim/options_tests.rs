//! The options around the optimizer (schedules, clipping, the Armijo line search, gradient noise)
//! inside whole runs, against values worked by hand on the 1-D double well and 2-D functions; and
//! the tangent plane's prediction of each step.

use super::test_objectives::{Quadratic2, Quartic1, Rosenbrock};
use super::{
    Hyperparameters, Objective, OptimError, OptimizerKind, RunOptions, Schedule, predicted_change,
    prediction_ratio, run, run_with,
};

fn sgd(lr: f64) -> Hyperparameters {
    Hyperparameters::new(OptimizerKind::Sgd, lr)
}

fn with_schedule(schedule: &str) -> RunOptions {
    RunOptions {
        schedule: Schedule::parse(schedule).unwrap(),
        ..RunOptions::default()
    }
}

/// SGD by hand with the given learning rate per step.
fn sgd_by_hand(objective: &dyn Objective, start: &[f64], lrs: &[f64]) -> Vec<Vec<f64>> {
    let mut x = start.to_vec();
    let mut g = vec![0.0; x.len()];
    let mut rows = vec![x.clone()];
    for &lr in lrs {
        objective.gradient(&x, &mut g);
        for (xi, gi) in x.iter_mut().zip(&g) {
            *xi -= lr * gi;
        }
        rows.push(x.clone());
    }
    rows
}

#[test]
fn scheduled_sgd_follows_the_hand_learning_rates_in_1d_and_2d() {
    let cases: [(&dyn Objective, &[f64], f64); 2] =
        [(&Quartic1, &[1.7], 0.1), (&Quadratic2, &[1.5, -0.8], 0.1)];
    for (objective, start, lr) in cases {
        for (spec, lrs) in [
            // StepLR(2, 0.5): two steps at each value.
            (
                "step:2:0.5",
                vec![lr, lr, lr / 2.0, lr / 2.0, lr / 4.0, lr / 4.0],
            ),
            // ExponentialLR(0.5).
            ("exp:0.5", vec![lr, lr / 2.0, lr / 4.0, lr / 8.0]),
            // CosineAnnealingLR(T=2): lr, lr/2 (halfway), 0 (bottom), lr/2, lr.
            ("cosine:2", vec![lr, lr / 2.0, 0.0, lr / 2.0, lr]),
            // LinearLR(0.5, 1, 2): a warm-up over two steps.
            ("linear:0.5:1:2", vec![lr / 2.0, 0.75 * lr, lr, lr]),
        ] {
            let t = run_with(
                objective,
                &sgd(lr),
                &with_schedule(spec),
                start,
                lrs.len(),
                None,
            )
            .unwrap();
            let want = sgd_by_hand(objective, start, &lrs);
            for (k, (row, w)) in t.steps.iter().zip(&want).enumerate() {
                for (a, b) in row.point.iter().zip(w) {
                    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{spec} row {k}");
                }
                if k > 0 {
                    let got = row.lr.unwrap();
                    assert!(
                        (got - lrs[k - 1]).abs() <= 1e-15,
                        "{spec} row {k}: lr {got}"
                    );
                } else {
                    assert_eq!(row.lr, None);
                }
            }
        }
    }
}

#[test]
fn a_schedule_scales_adams_step_as_torch_rewrites_its_lr() {
    // Adam's first step moves lr·sign(g) per coordinate; with linear:0.1:1:10 the first lr is
    // a tenth of the base: on Rosenbrock from (-1.2, 1), ∇f = (-215.6, -88), so +0.01 each.
    let adam = Hyperparameters::new(OptimizerKind::Adam, 0.1);
    let t = run_with(
        &Rosenbrock,
        &adam,
        &with_schedule("linear:0.1:1:10"),
        &[-1.2, 1.0],
        1,
        None,
    )
    .unwrap();
    let p = &t.steps[1].point;
    assert!(
        (p[0] - (-1.19)).abs() < 1e-9 && (p[1] - 1.01).abs() < 1e-9,
        "{p:?}"
    );
    assert!((t.steps[1].lr.unwrap() - 0.01).abs() < 1e-17);
}

#[test]
fn clipping_by_hand_in_1d_and_2d() {
    let clip = |c| RunOptions {
        clip_norm: Some(c),
        ..RunOptions::default()
    };
    // Rosenbrock from (-1.2, 1): ‖∇f‖ = ‖(-215.6, -88)‖; clipped to 1, the step is lr·g/(‖g‖+1e-6).
    let t = run_with(&Rosenbrock, &sgd(0.1), &clip(1.0), &[-1.2, 1.0], 1, None).unwrap();
    let norm = (215.6_f64 * 215.6 + 88.0 * 88.0).sqrt();
    let c = 1.0 / (norm + 1e-6);
    let want = [-1.2 + 0.1 * 215.6 * c, 1.0 + 0.1 * 88.0 * c];
    for (a, b) in t.steps[1].point.iter().zip(want) {
        assert!((a - b).abs() < 1e-14, "{:?} vs {want:?}", t.steps[1].point);
    }
    // Double well from 3: f' = 27 - 6 = 21, clipped to 2: x = 3 - 0.1·2·21/(21 + 1e-6).
    let t = run_with(&Quartic1, &sgd(0.1), &clip(2.0), &[3.0], 1, None).unwrap();
    let want = 3.0 - 0.1 * (21.0 * (2.0 / (21.0 + 1e-6)));
    assert!((t.steps[1].point[0] - want).abs() < 1e-14);
    // A gradient already shorter than the threshold passes untouched.
    let plain = run(&Quartic1, &sgd(0.1), &[1.7], 5, None).unwrap();
    let loose = run_with(&Quartic1, &sgd(0.1), &clip(100.0), &[1.7], 5, None).unwrap();
    assert_eq!(plain, loose);
}

#[test]
fn armijo_line_search_by_hand_in_1d_and_2d() {
    let search = RunOptions {
        line_search: true,
        ..RunOptions::default()
    };
    // Double well from 2 (f = 0.5, f' = 4) at lr 1: t = 1 lands on -2 (f = 0.5, no decrease),
    // t = 0.5 on 0 (f = 0.5), t = 0.25 on 1 (f = -0.25 <= 0.5 - 1e-4·0.25·16): accepted.
    let t = run_with(&Quartic1, &sgd(1.0), &search, &[2.0], 1, None).unwrap();
    assert_eq!(t.steps[1].point, vec![1.0]);
    assert_eq!(t.steps[1].lr, Some(0.25));
    // Quadratic from (1, 1) (f = 6, ∇f = (7, 5), ‖∇f‖² = 74) at lr 1: f(-6, -4) = 164,
    // f(-2.5, -1.5) = 27, f(-0.75, -0.25) = 2 <= 6 - 1e-4·0.25·74: t = 0.25.
    let t = run_with(&Quadratic2, &sgd(1.0), &search, &[1.0, 1.0], 1, None).unwrap();
    assert_eq!(t.steps[1].point, vec![-0.75, -0.25]);
    assert_eq!(t.steps[1].lr, Some(0.25));
    // Where the first trial already decreases enough, the scheduled lr stands.
    let t = run_with(&Quadratic2, &sgd(0.01), &search, &[1.0, 1.0], 3, None).unwrap();
    let plain = run(&Quadratic2, &sgd(0.01), &[1.0, 1.0], 3, None).unwrap();
    for (a, b) in t.steps.iter().zip(&plain.steps) {
        assert_eq!(a.point, b.point);
    }
    // Only sgd searches.
    let adam = Hyperparameters::new(OptimizerKind::Adam, 0.1);
    assert_eq!(
        run_with(&Quartic1, &adam, &search, &[2.0], 1, None).unwrap_err(),
        OptimError::LineSearchNeedsSgd {
            kind: OptimizerKind::Adam
        }
    );
}

fn noisy(sigma: f64, seed: u64) -> RunOptions {
    RunOptions {
        noise: sigma,
        seed,
        ..RunOptions::default()
    }
}

#[test]
fn noise_is_deterministic_per_seed_and_zero_sigma_is_exact() {
    let h = sgd(0.05);
    let a = run_with(&Quadratic2, &h, &noisy(0.5, 3), &[1.0, 1.0], 30, None).unwrap();
    let b = run_with(&Quadratic2, &h, &noisy(0.5, 3), &[1.0, 1.0], 30, None).unwrap();
    let c = run_with(&Quadratic2, &h, &noisy(0.5, 4), &[1.0, 1.0], 30, None).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    let exact = run(&Quadratic2, &h, &[1.0, 1.0], 30, None).unwrap();
    assert_ne!(a, exact);
    let zero = run_with(&Quadratic2, &h, &noisy(0.0, 9), &[1.0, 1.0], 30, None).unwrap();
    assert_eq!(zero, exact);
    // Rows report the true gradient at the (noisy) point.
    for row in &a.steps {
        let g = Quadratic2::grad(row.point[0], row.point[1]);
        assert_eq!(row.gradient, g.to_vec());
    }
    assert!(matches!(
        run_with(&Quadratic2, &h, &noisy(-1.0, 0), &[1.0, 1.0], 3, None),
        Err(OptimError::BadNoise { .. })
    ));
}

#[test]
fn mean_noisy_sgd_path_on_a_quadratic_is_the_noiseless_path() {
    // On a quadratic SGD is linear in the noise, x_{k+1} = (I - lr·A)x_k - lr·σ·ξ_k, so its
    // mean over seeds is the noiseless path; check every coordinate of every step within four
    // standard errors of the mean.
    let (h, sigma, steps, seeds) = (sgd(0.05), 2.0, 25, 400u64);
    let exact = run(&Quadratic2, &h, &[1.0, -1.0], steps, None).unwrap();
    let runs: Vec<_> = (0..seeds)
        .map(|s| run_with(&Quadratic2, &h, &noisy(sigma, s), &[1.0, -1.0], steps, None).unwrap())
        .collect();
    let n = seeds as f64;
    for k in 1..=steps {
        for d in 0..2 {
            let xs: Vec<f64> = runs.iter().map(|t| t.steps[k].point[d]).collect();
            let mean = xs.iter().sum::<f64>() / n;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let se = sd / n.sqrt();
            let want = exact.steps[k].point[d];
            assert!(sd > 0.0);
            assert!(
                (mean - want).abs() <= 4.0 * se,
                "step {k} coordinate {d}: mean {mean}, noiseless {want}, se {se}"
            );
        }
    }
}

#[test]
fn predicted_change_and_rho_by_hand() {
    // Double well from 1 (f = -0.25, f' = -1) at lr 0.5: x1 = 1.5, f = -0.484375.
    // Predicted: -1·0.5 = -0.5; actual -0.234375; ρ = 0.46875.
    let t = run(&Quartic1, &sgd(0.5), &[1.0], 1, None).unwrap();
    assert_eq!(predicted_change(&t.steps[0], &t.steps[1]), -0.5);
    assert_eq!(prediction_ratio(&t.steps[0], &t.steps[1]), Some(0.46875));
    // Quadratic from (1, 1) at lr 1: x1 = (-6, -4), predicted ∇f·Δx = 7·(-7) + 5·(-5) = -74,
    // actual 164 - 6 = 158: ρ = -158/74 < 0, the step went uphill.
    let t = run(&Quadratic2, &sgd(1.0), &[1.0, 1.0], 1, None).unwrap();
    assert_eq!(predicted_change(&t.steps[0], &t.steps[1]), -74.0);
    assert_eq!(
        prediction_ratio(&t.steps[0], &t.steps[1]),
        Some(-158.0 / 74.0)
    );
    // A start at a stationary point predicts no change: no ratio.
    let t = run(&Quadratic2, &sgd(1.0), &[0.0, 0.0], 1, None).unwrap();
    assert_eq!(prediction_ratio(&t.steps[0], &t.steps[1]), None);
}
