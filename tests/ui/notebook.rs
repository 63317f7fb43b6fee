//! The notebook views through the real UI (`gradscape::ui::show` under egui_kittest on a wgpu
//! adapter): every lesson opened from the Lessons menu, dragging A in the 1-D f plot, the
//! secant scrub, the kink detector, the 2-D slices, and the notebook's descent numbers.
//!
//! `NB_SNAPSHOT_DIR=/tmp cargo test --test notebook_ui` also writes nb-*.png there to look at.

use super::harness::{drag, lesson_index, model_harness, press_and_move, save_snapshot};

use egui_kittest::{Harness, kittest::Queryable};
use gradscape::calculus::{
    NoTangentPlane, PointKind, classify_point, secant_slope, tangent_plane_check,
};
use gradscape::optim::{OptimizerKind, Status};
use gradscape::ui::{
    AppState, LESSONS, Model, NO_DERIVATIVE, NotebookMode, RunConfig, RunOutcome, apply_lesson,
    f_plot_transform, format_value, lesson_menu_label, secant_h, tangent_equation,
};

fn harness(model: Model) -> Harness<'static, Model> {
    model_harness(model, 1280.0, 800.0)
}

/// A model opened on lesson `index`, with any animation stopped so frames settle.
fn model_on_lesson(index: usize) -> Model {
    let mut model = Model::new(AppState::default());
    apply_lesson(&mut model, index);
    model.state.notebook.animating = false;
    model.state.playback.playing = false;
    model
}

/// The UI on the lesson titled `title` (see `lesson_index`), one frame drawn.
fn on_lesson(title: &str) -> Harness<'static, Model> {
    let mut h = harness(model_on_lesson(lesson_index(title)));
    h.run();
    h
}

/// Runs frames until nothing moves, or a fixed number while playback or a glide goes on
/// (those keep asking for frames by design). A view that never comes to rest otherwise fails.
fn settle(h: &mut Harness<'static, Model>) {
    let moving = |m: &Model| m.state.notebook.animating || m.state.playback.playing;
    if moving(h.state()) {
        h.run_steps(10);
        return;
    }
    if h.run_ok().is_none() && !moving(h.state()) {
        panic!("the UI keeps asking for frames with nothing moving");
    }
}

fn snapshot(h: &mut Harness<'static, Model>, name: &str) {
    let image = save_snapshot(h, "NB_SNAPSHOT_DIR", &format!("nb-{name}"));
    let first = *image.get_pixel(5, 5);
    assert!(image.pixels().any(|p| *p != first), "{name} is blank");
}

#[test]
fn every_lesson_opens_from_the_menu_with_its_function_and_point() {
    let mut h = harness(Model::new(AppState::default()));
    h.run();
    for (index, lesson) in LESSONS.iter().enumerate() {
        h.get_by_label("Lessons").click();
        settle(&mut h);
        h.get_by_label(&lesson_menu_label(index)).click();
        settle(&mut h);
        let model = h.state();
        match lesson.data {
            // A training lesson's function is its data objective.
            Some(data) => {
                assert_eq!(model.state.data, Some(data.spec()), "{}", lesson.title);
                assert!(model.data().is_some(), "{}", lesson.title);
            }
            None => assert_eq!(model.state.good_source, lesson.expr, "{}", lesson.title),
        }
        assert_eq!(model.state.notebook.lesson, Some(index), "{}", lesson.title);
        assert_eq!(model.state.notebook.mode, lesson.mode, "{}", lesson.title);
        assert_eq!(model.state.start[0], lesson.point[0], "{}", lesson.title);
        if lesson.y.is_some() {
            assert_eq!(model.state.start, lesson.point, "{}", lesson.title);
        }
        assert_eq!(model.dims(), if lesson.y.is_some() { 2 } else { 1 });
        // The caption's first line is on screen while the lesson is active.
        let first_line = lesson.caption.lines().next().unwrap().trim();
        h.get_by_label(first_line);
    }
}

#[test]
fn dragging_a_in_the_f_plot_moves_a_and_its_tangent() {
    // "f and f′: x²" puts A at 1; no runs, so nothing else moves.
    let mut h = on_lesson("f and f′: x²");
    assert_eq!(h.state().dims(), 1);
    let before = tangent_equation(1.0, 1.0, 2.0);
    h.get_by_label(&before);
    let transform = f_plot_transform(&h.ctx).expect("the f plot was drawn");
    let from = transform.position_from_point(&egui_plot::PlotPoint::new(1.0, 1.0));
    let to = transform.position_from_point(&egui_plot::PlotPoint::new(-0.5, 0.25));
    drag(&mut h, from, to);
    let x_a = h.state().state.start[0];
    assert!((x_a + 0.5).abs() < 0.02, "A went to {x_a}");
    assert!(
        h.query_by_label(&before).is_none(),
        "the old tangent is gone"
    );
    let after = tangent_equation(x_a, x_a * x_a, 2.0 * x_a);
    h.get_by_label(&after);
    assert_ne!(before, after);
    snapshot(&mut h, "1d");
}

#[test]
fn the_secant_scrub_brings_b_to_a_and_its_slope_to_the_derivative() {
    let mut h = on_lesson("Secant → tangent on x²");
    assert_eq!(h.state().state.notebook.mode, NotebookMode::Secant);
    let x_a = h.state().state.start[0];
    let slope_at = |model: &Model| {
        let h = secant_h(model.state.notebook.b_offset, model.state.notebook.secant_t);
        (h, secant_slope(model.function(), x_a, h))
    };
    let (h0, s0) = slope_at(h.state());
    let mut last = (h0, (s0 - 2.0 * x_a).abs());
    for t in [0.5, 0.9, 1.0] {
        h.get_by_role_and_label(egui::accesskit::Role::Slider, "B → A")
            .set_value_accesskit(t);
        h.run();
        assert_eq!(h.state().state.notebook.secant_t, t);
        let (step, slope) = slope_at(h.state());
        let error = (slope - 2.0 * x_a).abs();
        assert!(step.abs() < last.0.abs(), "B moves toward A");
        assert!(error < last.1, "the slope closes in on f′(x_A): {error}");
        last = (step, error);
    }
    assert!(
        last.1 < 1e-5,
        "at the end the secant is the tangent: {}",
        last.1
    );
    // The readout shows the secant's slope.
    let text = format!(
        "slope = rise / run = {}",
        format_value(slope_at(h.state()).1)
    );
    h.get_by_label(&text);
    snapshot(&mut h, "secant");
}

#[test]
fn the_detector_says_kink_for_abs_at_zero_and_vertical_for_cbrt() {
    for title in ["Secant → tangent on |x|", "Secant → tangent on ∛x"] {
        let mut h = on_lesson(title);
        assert_eq!(h.state().state.start[0], 0.0);
        // The detector's own label, not a word that the lesson's caption also contains.
        let kind = classify_point(h.state().function(), 0.0);
        if title.contains("|x|") {
            assert_eq!(
                kind,
                PointKind::Kink {
                    left: -1.0,
                    right: 1.0
                },
                "{title}"
            );
        } else {
            assert_eq!(kind, PointKind::Vertical, "{title}");
        }
        // The view says what the detector says.
        assert!(
            h.query_all_by_label(&kind.explain()).count() > 0,
            "{title}: the verdict {:?} is not on screen",
            kind.explain()
        );
        // …and the inspector shows no number for f′ where the detector says there is none.
        assert!(
            h.query_all_by_label(NO_DERIVATIVE).count() >= 1,
            "{title}: the inspector shows a value for f′"
        );
        if title.contains("|x|") {
            assert!(
                h.query_all_by_label_contains("minimum, a critical point where f′ does not exist")
                    .count()
                    > 0,
                "{title}: |x| at 0 is a critical point without a derivative, a minimum"
            );
            snapshot(&mut h, "kink");
        }
    }
}

#[test]
fn the_slices_show_the_partial_derivatives_in_2d() {
    let mut h = on_lesson("sin(xy): partial");
    let model = h.state();
    assert_eq!(model.state.start, [0.1, -1.0]);
    let grad = model.function().gradient(&[0.1, -1.0]);
    h.get_by_label(&format!(
        "f(x, y_A): slope ∂f/∂x = {}",
        format_value(grad[0])
    ));
    h.get_by_label(&format!(
        "f(x_A, y): slope ∂f/∂y = {}",
        format_value(grad[1])
    ));
    snapshot(&mut h, "slices");

    // abs(sign(xy)) at the origin: partials 0, yet no tangent plane.
    let index = lesson_index("Not totally");
    let mut h = harness(model_on_lesson(index));
    h.run();
    // The view shows the verdict's own words, and the verdict is the right one: the
    // partials exist (both 0) but along the diagonal f jumps.
    let model = h.state();
    let verdict = tangent_plane_check(model.function(), model.state.start)
        .expect("abs(sign(xy)) has no tangent plane at the origin");
    assert!(
        matches!(
            verdict,
            NoTangentPlane::Diagonal {
                kind: PointKind::Jump { .. },
                predicted: 0.0
            }
        ),
        "{verdict:?}"
    );
    h.get_by_label(&verdict.explain());
    // And the view agrees: no plane drawn at A, none in the legend.
    let scene = model.scene();
    assert!(model.state.display.plane, "the lesson asks for the plane");
    assert!(
        !scene.overlays.show_plane,
        "no plane where the verdict says none"
    );
    assert!(
        gradscape::figure::legend_entries(&scene)
            .iter()
            .all(|e| !e.text.contains("tangent plane")),
        "none listed"
    );
    assert!(h.query_by_label("tangent plane at A").is_none());
    // Moved off the axes, where f is constant, the plane is back.
    let mut model = model_on_lesson(index);
    model.set_start(0.5, 0.5);
    assert!(model.scene().overlays.show_plane);
}

/// Pixel comparisons (egui_kittest snapshots, tests/snapshots/) of views a learner reads, so
/// that a moved line, curve or label fails. After a deliberate change,
/// `UPDATE_SNAPSHOTS=1 cargo test --test notebook_ui` rewrites them: look at them before
/// committing.
#[test]
fn notebook_views_match_their_snapshots() {
    let mut results = egui_kittest::SnapshotResults::new();
    for (lesson, name) in [
        ("Secant → tangent on |x|", "nb-abs-secant"),
        ("Critical points of", "nb-critical-points"),
        ("sin(xy): partial", "nb-sin-xy-slices"),
    ] {
        let index = lesson_index(lesson);
        let mut h = Harness::builder()
            .with_size(egui::vec2(1100.0, 720.0))
            .wgpu()
            .with_context_setup(gradscape::ui::setup_context)
            .build_ui_state(
                |ui, model: &mut Model| {
                    gradscape::ui::show(ui, model);
                },
                model_on_lesson(index),
            );
        settle(&mut h);
        h.snapshot(name);
        results.extend_harness(&mut h);
    }
    results.unwrap();
}

#[test]
fn descent_on_the_double_well_reaches_plus_and_minus_root_two() {
    for (title, want) in [
        ("Gradient descent from x₀ = ¼", 2f64.sqrt()),
        ("Gradient descent from x₀ = −¼", -(2f64.sqrt())),
    ] {
        let index = lesson_index(title);
        let model = model_on_lesson(index);
        assert_eq!(model.state.runs.len(), 1);
        assert_eq!(model.state.runs[0].hyper.kind, OptimizerKind::Sgd);
        assert_eq!(model.state.runs[0].hyper.lr, 0.01);
        let RunOutcome::Ran(t) = &model.outcomes()[0] else {
            panic!("{title}: the run ran");
        };
        assert_eq!(t.status, Status::Converged, "{title}");
        let x0 = model.state.start[0];
        // The notebook's first step: x₁ = x₀ − 0.01·(x₀³ − 2x₀).
        assert_eq!(t.steps[1].point[0], x0 - 0.01 * (x0.powi(3) - 2.0 * x0));
        let last = t.steps.last().unwrap().point[0];
        assert!((last - want).abs() < 1e-8, "{title}: ended at {last}");
    }
    // The same runs on a model built by hand, outside any lesson.
    let mut model = Model::new(AppState {
        runs: vec![RunConfig::new(OptimizerKind::Sgd, 0.01, 0)],
        ..AppState::default()
    });
    model.set_source("1/4*x^4 - x^2 + 1/2");
    model.set_max_steps(2000);
    model.set_start(0.25, 0.0);
    let RunOutcome::Ran(t) = &model.outcomes()[0] else {
        panic!("the run ran");
    };
    assert!((t.steps.last().unwrap().point[0] - 2f64.sqrt()).abs() < 1e-8);
}

#[test]
fn descent_balls_play_in_the_1d_view() {
    let index = lesson_index("Gradient descent from x₀ = ¼");
    let mut model = model_on_lesson(index);
    model.state.playback.step = 120;
    let mut h = harness(model);
    h.run();
    let ball = h.state().ball(0).unwrap()[0];
    assert!(ball > 0.25 && ball < 2f64.sqrt(), "{ball}");
    snapshot(&mut h, "descent");
}

#[test]
fn more_lessons_render() {
    for (title, name) in [
        ("Slope of a line", "line"),
        ("Critical points of ¼x⁴ − x² + ½", "critical"),
        ("x³'s flat point", "flat"),
        ("Not totally differentiable: abs(sign(xy))", "abs-sign"),
        ("The Hessian of sin(xy)", "hessian"),
    ] {
        let mut h = on_lesson(title);
        snapshot(&mut h, name);
    }
}

#[test]
fn grabbing_b_moves_b_and_the_glide_button_brings_it_to_a() {
    let mut h = on_lesson("Slope of a line");
    let x_a = h.state().state.start[0];
    assert_eq!(x_a, -1.0);
    assert_eq!(h.state().state.notebook.b_offset, 3.0);
    h.get_by_label("slope = rise / run = 0.5");
    let transform = f_plot_transform(&h.ctx).unwrap();
    let at = |x: f64| transform.position_from_point(&egui_plot::PlotPoint::new(x, 0.5 * x + 1.0));
    let (from, to) = (at(2.0), at(0.5));
    press_and_move(&mut h, from, to);
    h.drop_at(to);
    h.run();
    let notebook = &h.state().state.notebook;
    assert!(
        (notebook.b_offset - 1.5).abs() < 0.03,
        "B is {}",
        notebook.b_offset
    );
    assert_eq!(h.state().state.start[0], x_a, "A stays where it was");
    // A line's slope does not depend on where B is.
    h.get_by_label("slope = rise / run = 0.5");

    h.get_by_label("▶ Glide B to A").click();
    h.step();
    assert!(h.state().state.notebook.animating);
    // kittest's frames are a quarter of a second apart: the glide takes 20.
    for _ in 0..5 {
        h.step();
    }
    let t = h.state().state.notebook.secant_t;
    assert!(t > 0.0 && t < 1.0, "B is on its way: t = {t}");
    assert!(h.state().state.notebook.animating, "and still gliding");
    // Frame by frame, as the app draws them, B glides all the way to A: the scrub slider
    // beside the button must not take the moving value for a user's scrub.
    let mut frames = 0;
    while h.state().state.notebook.animating && frames < 2000 {
        h.step();
        frames += 1;
    }
    let notebook = &h.state().state.notebook;
    assert!(!notebook.animating, "the glide ended after {frames} frames");
    assert_eq!(
        notebook.secant_t, 1.0,
        "B = A (as near as the secant allows)"
    );
    let gap = secant_h(notebook.b_offset, notebook.secant_t);
    assert!(gap.abs() < 1e-5, "B is next to A: {gap}");
    // At the end the button glides again from the start.
    h.get_by_label("▶ Glide B to A").click();
    h.step();
    h.step();
    let notebook = &h.state().state.notebook;
    assert!(notebook.animating && notebook.secant_t < 0.1);
}

#[test]
fn poles_and_jumps_leave_gaps_and_say_why() {
    for (source, words) in [
        ("1/x", "not defined"),
        ("sign(x)", "jumps"),
        ("ln(x)", "not defined"),
    ] {
        let mut model = Model::new(AppState::default());
        model.set_source(source);
        model
            .set_domain(gradscape::ui::DomainState {
                x: [-2.0, 2.0],
                y: [-2.0, 2.0],
            })
            .unwrap();
        model.set_start(0.0, 0.0);
        for mode in [NotebookMode::Tangent, NotebookMode::Secant] {
            model.state.notebook.mode = mode;
            model.state.notebook.show_second = true;
            let mut h = harness(model);
            h.run();
            assert!(
                h.query_all_by_label_contains(words).count() > 0,
                "{source}: no message with {words:?}"
            );
            if source == "1/x" && mode == NotebookMode::Tangent {
                snapshot(&mut h, "pole");
            }
            model = h.into_state();
        }
    }
}

#[test]
fn descent_in_2d_reaches_the_valley_floor_of_sin_xy() {
    let index = lesson_index("Gradient descent in 2-D");
    let model = model_on_lesson(index);
    assert_eq!(model.dims(), 2);
    for outcome in model.outcomes() {
        let RunOutcome::Ran(t) = outcome else {
            panic!("the run ran");
        };
        let last = t.steps.last().unwrap();
        assert!(
            (last.value + 1.0).abs() < 1e-6,
            "ended at f = {}",
            last.value
        );
    }
}

#[test]
fn a_session_file_from_before_the_notebook_still_loads() {
    let mut json = serde_json::to_value(AppState::default()).unwrap();
    json.as_object_mut().unwrap().remove("notebook");
    let state: AppState = serde_json::from_value(json).unwrap();
    assert_eq!(state.notebook, gradscape::ui::NotebookState::default());
}
