//! The lessons' scenes: each parses, frames its point, and says what its runs really do.

use super::*;
use crate::function::Function;

#[test]
fn every_lesson_parses_has_two_caption_lines_and_a_point_in_its_domain() {
    for (i, lesson) in LESSONS.iter().enumerate() {
        let f = match lesson.data {
            Some(data) => {
                let table = crate::data::load_table(data.source).unwrap();
                let spec = data.spec().objective_spec();
                crate::data::build_objective(&table, &spec).unwrap()
            }
            None => Function::parse(lesson.expr).unwrap_or_else(|e| panic!("{i}: {e:?}")),
        };
        assert_eq!(f.dims() == 2, lesson.y.is_some(), "{}", lesson.title);
        assert_eq!(lesson.caption.lines().count(), 2, "{}", lesson.title);
        assert!((lesson.x[0]..=lesson.x[1]).contains(&lesson.point[0]));
        if let Some(y) = lesson.y {
            assert!((y[0]..=y[1]).contains(&lesson.point[1]));
        }
    }
}

fn open(title: &str) -> Model {
    let index = LESSONS.iter().position(|l| l.title == title).unwrap();
    let mut model = Model::new(Default::default());
    apply(&mut model, index);
    model
}

fn last_point(model: &Model, run: usize) -> Vec<f64> {
    match &model.outcomes()[run] {
        crate::ui::RunOutcome::Ran(t) => t.steps.last().unwrap().point.clone(),
        crate::ui::RunOutcome::Invalid(e) => panic!("{e}"),
    }
}

#[test]
fn every_training_lesson_shows_its_minimum_and_start_in_its_domain() {
    for lesson in LESSONS.iter().filter(|l| l.data.is_some()) {
        let index = LESSONS
            .iter()
            .position(|l| l.title == lesson.title)
            .unwrap();
        let mut model = Model::new(Default::default());
        apply(&mut model, index);
        let min = model.data().and_then(|d| d.minimum).expect(lesson.title);
        let d = model.state.domain;
        assert!(
            (d.x[0]..=d.x[1]).contains(&min[0]) && (d.y[0]..=d.y[1]).contains(&min[1]),
            "{}: minimum {min:?} outside {d:?}",
            lesson.title
        );
        assert_eq!(model.state.start, lesson.point, "{}", lesson.title);
        assert_eq!(model.state.notebook.lesson, Some(index));
    }
}

#[test]
fn batch_gd_at_half_overshoots_past_two_over_lambda_max() {
    let model = open("Batch gradient descent: three learning rates");
    let stable = model.report().stable_lr.expect("a bowl has a stable lr");
    assert!((0.4..0.5).contains(&stable), "2/λmax = {stable}");
    let min = model.data().unwrap().minimum.unwrap();
    let near = |p: &[f64]| (p[0] - min[0]).abs() < 1e-3 && (p[1] - min[1]).abs() < 1e-3;
    assert!(near(&last_point(&model, 1)), "η = 0.1 arrives");
    let runaway = last_point(&model, 2);
    assert!(!near(&runaway), "η = 0.5 overshoots: {runaway:?}");
}

/// θ0 over a run's last `n` rows.
fn last_theta0(model: &Model, run: usize, n: usize) -> Vec<f64> {
    match &model.outcomes()[run] {
        crate::ui::RunOutcome::Ran(t) => t.steps.iter().rev().take(n).map(|s| s.point[0]).collect(),
        crate::ui::RunOutcome::Invalid(e) => panic!("{e}"),
    }
}

#[test]
fn the_lasso_paths_reach_the_crease_and_zigzag_across_it_never_exactly_0() {
    let model = open("Lasso: an L1 penalty");
    let min = model.data().unwrap().minimum.unwrap();
    assert!(min[0].abs() < 0.02, "the minimum is on the crease: {min:?}");
    for run in 0..2 {
        let tail = last_theta0(&model, run, 60);
        assert!(
            tail.iter().all(|t| *t != 0.0),
            "run {run} landed on 0: {tail:?}"
        );
        assert!(
            tail.iter().any(|t| *t < 0.0) && tail.iter().any(|t| *t > 0.0),
            "run {run} zigzags across it: {tail:?}"
        );
        // A sawtooth within 2·lr·A₁ of the crease: each crossing kicks θ0 back by the
        // penalty's step, and the data's slope carries it across again.
        let lr = model.state.runs[run].hyper.lr;
        assert!(
            tail.iter().all(|t| t.abs() < 2.0 * lr * LASSO_L1),
            "run {run}: {tail:?}"
        );
    }
    // The schedule narrows the zigzag.
    let width = |run| {
        last_theta0(&model, run, 20)
            .iter()
            .fold(0.0f64, |m, t| m.max(t.abs()))
    };
    assert!(width(1) < width(0), "{} vs {}", width(1), width(0));
    // Ridge shrinks θ0 but keeps it well away from 0.
    let ridge = open("Ridge: an L2 penalty");
    assert!(
        last_point(&ridge, 0)[0] > 0.2,
        "{:?}",
        last_point(&ridge, 0)
    );
}
