//! The runner against known objectives: stop rules, row counts, Newton, divergence,
//! tolerances, argument errors, stepping one at a time, and the CLI's JSON shape.

use super::*;
use crate::optim::OptimizerKind;
use crate::optim::test_objectives::{
    Flat2, Log1, PowerFour1, Quadratic2, Quadratic3, Quartic1, Rosenbrock, Trough2,
};

fn hyper(kind: OptimizerKind, lr: f64) -> Hyperparameters {
    Hyperparameters::new(kind, lr)
}

/// [`run`] to `max_steps` with no tolerance, where the arguments are known to be valid.
fn run_without_tol(
    objective: &dyn Objective,
    hyper: Hyperparameters,
    start: &[f64],
    max_steps: usize,
) -> Trajectory {
    run(objective, &hyper, start, max_steps, None).unwrap()
}

/// (objective, start, lr, tol).
type Case<'a> = (&'a dyn Objective, &'a [f64], f64, Option<f64>);

#[test]
fn run_to_end_ends_where_run_does() {
    let cases: [Case<'_>; 5] = [
        (&Rosenbrock, &[-1.2, 1.0], 1e-3, None),
        (&Rosenbrock, &[-1.2, 1.0], 0.01, None),
        (&Quadratic2, &[1.0, -2.0], 0.1, Some(1e-6)),
        (&Quartic1, &[0.7], 0.05, Some(1e-9)),
        (&Flat2, &[0.5, 0.5], 0.1, None),
    ];
    for (objective, start, lr, tol) in cases {
        for kind in OptimizerKind::ALL {
            let h = hyper(kind, lr);
            for max_steps in [0, 1, 7, 300] {
                let full = run(objective, &h, start, max_steps, tol).unwrap();
                let end = run_to_end(objective, &h, start, max_steps, tol).unwrap();
                let last = full.last().unwrap();
                let what = format!("{kind} lr {lr} from {start:?}, {max_steps} steps");
                assert_eq!(end.status, full.status, "{what}");
                assert_eq!(end.steps, last.step, "{what}");
                assert_eq!(
                    end.point.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    last.point.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    "{what}"
                );
                assert_eq!(end.value.to_bits(), last.value.to_bits(), "{what}");
            }
        }
    }
}

#[test]
fn n_steps_give_n_plus_one_rows_with_max_steps() {
    for kind in OptimizerKind::ALL {
        let t = run(&Rosenbrock, &hyper(kind, 1e-4), &[-1.2, 1.0], 25, None).unwrap();
        assert_eq!(t.status, Status::MaxSteps, "{kind}");
        assert_eq!(t.steps.len(), 26, "{kind}");
        for (i, row) in t.steps.iter().enumerate() {
            assert_eq!(row.step, i);
            assert_eq!(row.value, Rosenbrock.value(&row.point));
            assert_eq!(row.gradient, Rosenbrock::grad(row.point[0], row.point[1]));
        }
    }
    let t = run_without_tol(&Quadratic2, hyper(OptimizerKind::Sgd, 0.1), &[1.0, 1.0], 0);
    assert_eq!(t.status, Status::MaxSteps);
    assert_eq!(t.steps.len(), 1);
    assert_eq!(t.steps[0].point, vec![1.0, 1.0]);
    assert_eq!(t.steps[0].value, 6.0);
    assert_eq!(t.steps[0].gradient, vec![7.0, 5.0]);
}

#[test]
fn newton_reaches_a_quadratics_minimum_in_one_step() {
    let t = run_without_tol(
        &Quadratic2,
        hyper(OptimizerKind::Newton, 1.0),
        &[1.7, -2.3],
        5,
    );
    let row1 = &t.steps[1];
    assert!(row1.point.iter().all(|x| x.abs() <= 1e-15), "{row1:?}");
    assert!(row1.value.abs() <= 1e-30);

    let t = run_without_tol(
        &Quadratic3,
        hyper(OptimizerKind::Newton, 1.0),
        &[0.0, 0.0, 0.0],
        1,
    );
    for (x, m) in t.steps[1].point.iter().zip(Quadratic3::MIN) {
        assert!((x - m).abs() <= 1e-14, "{:?}", t.steps[1].point);
    }
}

#[test]
fn sgd_on_double_well_moves_monotonically_to_the_nearer_minimum() {
    let root2 = 2.0_f64.sqrt();
    for (start, target) in [(0.25, root2), (-0.25, -root2)] {
        let t = run_without_tol(&Quartic1, hyper(OptimizerKind::Sgd, 0.01), &[start], 200);
        assert_eq!(t.status, Status::MaxSteps);
        assert_eq!(t.steps.len(), 201);
        let xs: Vec<f64> = t.steps.iter().map(|s| s.point[0]).collect();
        for pair in xs.windows(2) {
            let moved_outward = if target > 0.0 {
                pair[1] > pair[0]
            } else {
                pair[1] < pair[0]
            };
            assert!(moved_outward, "{pair:?}");
            assert!(pair[1].abs() < root2);
        }
        let end = xs[200];
        assert!((end - target).abs() < 0.01, "ended at {end}");
    }
}

#[test]
fn diverged_row_is_the_last_and_is_included() {
    let t = run_without_tol(&PowerFour1, hyper(OptimizerKind::Sgd, 1.0), &[10.0], 1000);
    assert_eq!(t.status, Status::Diverged);
    assert!(t.steps.len() < 1001, "stopped early");
    let (last, before) = t.steps.split_last().unwrap();
    assert!(
        !last.point[0].is_finite() || !last.value.is_finite(),
        "{last:?}"
    );
    assert!(
        before
            .iter()
            .all(|s| s.point[0].is_finite() && s.value.is_finite())
    );
    assert_eq!(last.step, t.steps.len() - 1);
}

#[test]
fn non_finite_value_at_a_finite_point_diverges() {
    // ln x from 1 with lr 2: x = 1 - 2·1 = -1, where ln is NaN.
    let t = run(&Log1, &hyper(OptimizerKind::Sgd, 2.0), &[1.0], 10, None).unwrap();
    assert_eq!(t.status, Status::Diverged);
    assert_eq!(t.steps.len(), 2);
    assert_eq!(t.steps[1].point, vec![-1.0]);
    assert!(t.steps[1].value.is_nan());

    // A start where the value is already not finite: row 0 alone, diverged.
    let t = run(&Log1, &hyper(OptimizerKind::Sgd, 0.1), &[-1.0], 10, None).unwrap();
    assert_eq!(t.status, Status::Diverged);
    assert_eq!(t.steps.len(), 1);
}

#[test]
fn converges_at_the_first_row_within_tolerance() {
    let tol = 1e-6;
    let t = run(
        &Quadratic2,
        &hyper(OptimizerKind::Sgd, 0.1),
        &[1.0, -1.0],
        10_000,
        Some(tol),
    )
    .unwrap();
    assert_eq!(t.status, Status::Converged);
    let norms = t.grad_norms();
    let (last, before) = norms.split_last().unwrap();
    assert!(*last <= tol);
    assert!(before.iter().all(|n| *n > tol));
    assert!(t.steps.len() < 10_001);

    // Row 0 counts too.
    let t = run(
        &Quadratic2,
        &hyper(OptimizerKind::Adam, 0.1),
        &[0.0, 0.0],
        10,
        Some(0.0),
    )
    .unwrap();
    assert_eq!(t.status, Status::Converged);
    assert_eq!(t.steps.len(), 1);
}

#[test]
fn newton_on_singular_hessian_stops_without_a_new_row() {
    for objective in [&Flat2 as &dyn Objective, &Trough2] {
        let t = run(
            objective,
            &hyper(OptimizerKind::Newton, 1.0),
            &[0.5, 0.5],
            10,
            None,
        )
        .unwrap();
        assert_eq!(t.status, Status::SingularHessian);
        assert_eq!(t.steps.len(), 1);
        assert_eq!(t.steps[0].point, vec![0.5, 0.5]);
    }
}

/// f = x² right of 0 and flat left of it: Newton from 1 lands on 0, where H = 0.
struct HalfParabola;

impl Objective for HalfParabola {
    fn dims(&self) -> usize {
        1
    }
    fn value(&self, p: &[f64]) -> f64 {
        p[0].max(0.0).powi(2)
    }
    fn gradient(&self, p: &[f64], g: &mut [f64]) {
        g[0] = 2.0 * p[0].max(0.0);
    }
    fn hessian(&self, p: &[f64], h: &mut [f64]) {
        h[0] = if p[0] > 0.0 { 2.0 } else { 0.0 };
    }
}

#[test]
fn singular_hessian_after_some_steps_keeps_the_rows_taken() {
    let t = run_without_tol(&HalfParabola, hyper(OptimizerKind::Newton, 1.0), &[1.0], 10);
    assert_eq!(t.status, Status::SingularHessian);
    let xs: Vec<f64> = t.steps.iter().map(|s| s.point[0]).collect();
    assert_eq!(xs, vec![1.0, 0.0]);
}

#[test]
fn bad_arguments_are_errors() {
    let h = hyper(OptimizerKind::Sgd, 0.1);
    assert_eq!(
        run(&Quadratic2, &h, &[1.0], 5, None),
        Err(OptimError::WrongDimensions {
            expected: 2,
            got: 1
        })
    );
    assert!(matches!(
        run(&Quadratic2, &h, &[1.0, f64::NAN], 5, None),
        Err(OptimError::NonFiniteStart { .. })
    ));
    for tol in [-1e-9, f64::NAN] {
        assert!(matches!(
            run(&Quadratic2, &h, &[1.0, 1.0], 5, Some(tol)),
            Err(OptimError::InvalidTolerance { .. })
        ));
    }
    assert!(matches!(
        run(
            &Quadratic2,
            &hyper(OptimizerKind::Adam, 0.0),
            &[1.0, 1.0],
            5,
            None
        ),
        Err(OptimError::OutOfRange { name: "lr", .. })
    ));
    let msg = run(&Quadratic2, &h, &[1.0, 2.0, 3.0], 5, None)
        .unwrap_err()
        .to_string();
    assert_eq!(
        msg,
        "the start point has 3 coordinate(s) but the function has 2 variable(s)"
    );
}

#[test]
fn descent_steps_one_at_a_time_like_run() {
    let h = hyper(OptimizerKind::Momentum, 1e-4);
    let mut d = Descent::new(&Rosenbrock, &h, &[-1.2, 1.0], None).unwrap();
    assert_eq!(d.steps().len(), 1);
    for k in 1..=7 {
        let row = d.advance(&Rosenbrock).unwrap().unwrap();
        assert_eq!(row.step, k);
    }
    assert!(d.is_running());
    assert_eq!(d.status(), None);
    assert_eq!(d.steps_taken(), 7);
    assert!(matches!(
        d.advance(&Quartic1),
        Err(OptimError::WrongDimensions { .. })
    ));
    let stepped = d.finish();
    let ran = run(&Rosenbrock, &h, &[-1.2, 1.0], 7, None).unwrap();
    assert_eq!(stepped, ran);

    let mut stopped = Descent::new(
        &Flat2,
        &hyper(OptimizerKind::Newton, 1.0),
        &[0.0, 0.0],
        None,
    )
    .unwrap();
    assert_eq!(stopped.advance(&Flat2), Ok(None));
    assert_eq!(stopped.status(), Some(Status::SingularHessian));
    assert_eq!(stopped.advance(&Flat2), Ok(None));
    assert_eq!(stopped.steps().len(), 1);
}

#[test]
fn status_names_in_serde_and_display() {
    let expected = ["max_steps", "converged", "diverged", "singular_hessian"];
    for (status, name) in Status::ALL.into_iter().zip(expected) {
        assert_eq!(status.to_string(), name);
        let json = serde_json::to_string(&status).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<Status>(&json).unwrap(), status);
    }
}

#[test]
fn trajectory_serialises_in_the_cli_shape() {
    let t = run(&Quartic1, &hyper(OptimizerKind::Sgd, 0.5), &[1.0], 1, None).unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(
        json,
        r#"{"status":"max_steps","steps":[{"step":0,"point":[1.0],"value":-0.25,"gradient":[-1.0]},{"step":1,"point":[1.5],"value":-0.484375,"gradient":[0.375],"lr":0.5}]}"#
    );
    let back: Trajectory = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    let diverged = Step {
        epoch: None,
        batch: None,
        step: 3,
        point: vec![f64::INFINITY],
        value: f64::NAN,
        gradient: vec![f64::NEG_INFINITY],
        lr: None,
    };
    assert_eq!(
        serde_json::to_string(&diverged).unwrap(),
        r#"{"step":3,"point":[null],"value":null,"gradient":[null]}"#
    );
}

#[test]
fn grad_norm_is_euclidean_and_survives_extremes() {
    assert_eq!(grad_norm(&[3.0, 4.0]), 5.0);
    assert_eq!(grad_norm(&[-2.0]), 2.0);
    assert_eq!(grad_norm(&[0.0, 0.0]), 0.0);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-15 * b.abs();
    assert!(close(grad_norm(&[3e200, 4e200]), 5e200));
    assert!(close(grad_norm(&[3e-200, 4e-200]), 5e-200));
    assert_eq!(grad_norm(&[1.0, f64::INFINITY]), f64::INFINITY);
    assert!(grad_norm(&[f64::NAN, f64::INFINITY]).is_nan());
    let t = run_without_tol(&Quadratic2, hyper(OptimizerKind::Sgd, 0.1), &[1.0, 1.0], 1);
    assert_eq!(t.grad_norm(0), Some((49.0_f64 + 25.0).sqrt()));
    assert_eq!(t.grad_norm(2), None);
}
