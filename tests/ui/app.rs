//! The app's real UI (`gradscape::ui::show` over a `Model`) driven through egui_kittest on a
//! wgpu adapter, with no window or display: typing, sliders, buttons, keys, dragging the start
//! point in the viewport; and the session file's round trip and corrupt-file fallback.

use super::harness::{
    TestApp, app_harness, click, drag, lesson_index, press_and_move, press_and_release, retype,
    select_all_in, state_with_runs,
};

use egui::accesskit::Role;
use egui_kittest::{Harness, kittest::Queryable};
use gradscape::app::session;
use gradscape::optim::OptimizerKind;
use gradscape::ui::{AppState, Model, RunConfig, RunOutcome};

fn harness(state: AppState) -> Harness<'static, TestApp> {
    app_harness(state, egui::vec2(1280.0, 800.0))
}

/// The default state with a single SGD run, so labels are unique.
fn one_run_state() -> AppState {
    AppState {
        runs: vec![RunConfig::new(OptimizerKind::Sgd, 0.01, 0)],
        ..AppState::default()
    }
}

fn last_point(model: &Model, run: usize) -> Vec<f64> {
    match &model.outcomes()[run] {
        RunOutcome::Ran(t) => t.steps.last().unwrap().point.clone(),
        RunOutcome::Invalid(e) => panic!("run {run} did not run: {e}"),
    }
}

#[test]
fn typing_a_bad_expression_shows_the_error_and_keeps_the_old_function() {
    let mut h = harness(one_run_state());
    h.run();
    let good = h.state().model.state.good_source.clone();
    retype(&mut h, "f(x, y) =", "x^2 + (y");
    let model = &h.state().model;
    assert_eq!(model.state.source, "x^2 + (y");
    let error = model.parse_error().expect("the expression is incomplete");
    assert_eq!(
        model.state.good_source, good,
        "the last good function stays"
    );
    assert_eq!(model.function().source(), good);
    // The message and the caret line are on screen.
    let message = error.message.clone();
    let caret = error.caret_lines();
    h.get_by_label(&message);
    h.get_by_label(&caret);
    // Completing the expression clears the error; Enter replaces the function.
    h.get_by_label("f(x, y) =").type_text(")");
    h.run();
    assert!(h.state().model.parse_error().is_none());
    h.key_press(egui::Key::Enter);
    h.run();
    let model = &h.state().model;
    assert!(model.parse_error().is_none());
    assert_eq!(model.state.good_source, "x^2 + (y)");
    assert_eq!(model.function().gradient_texts().len(), 2);
}

#[test]
fn a_typo_keeps_the_committed_surface_until_the_text_parses_and_rests() {
    let mut h = harness(one_run_state());
    h.run();
    let good = h.state().model.state.good_source.clone();
    let version = h.state().model.surface_version();
    select_all_in(&mut h, "f(x, y) =");
    // `x` parses on the way to `x^^2`, but one keystroke later it does not: no flash of x.
    for (typed, parses) in [("x", true), ("^", false), ("^", false)] {
        h.get_by_label("f(x, y) =").type_text(typed);
        h.step();
        let model = &h.state().model;
        assert_eq!(model.parse_error().is_none(), parses, "after {typed}");
        assert_eq!(model.function().source(), good, "after {typed}");
        assert_eq!(model.surface_version(), version, "the surface stays");
    }
    // Still a typo: however long it rests, the committed surface stays.
    h.run_steps(8);
    assert_eq!(h.state().model.function().source(), good);
    // Fixed, it is not taken on the keystroke, but once it has rested (~0.3 s).
    h.key_press(egui::Key::Backspace);
    h.get_by_label("f(x, y) =").type_text("2");
    h.step();
    assert_eq!(h.state().model.state.source, "x^2");
    assert_eq!(h.state().model.function().source(), good, "not yet");
    h.run_steps(3);
    assert_eq!(h.state().model.function().source(), "x^2", "rested");
}

#[test]
fn the_learning_rate_slider_spans_the_run_card() {
    let mut h = harness(one_run_state());
    h.run();
    let slider = h
        .get_by_role_and_label(Role::Slider, "learning rate")
        .rect();
    // Six decades (1e-5…10): at egui's 100 px a decade was 16 px; now one is over 35 px.
    assert!(slider.width() >= 6.0 * 35.0, "{slider:?}");
    // And it stays usable: a drag from its left end towards the middle moves the lr up.
    let (a, b) = (slider.left_center() + egui::vec2(2.0, 0.0), slider.center());
    press_and_move(&mut h, a, b);
    h.drop_at(b);
    h.run();
    let lr = h.state().model.state.runs[0].hyper.lr;
    assert!(lr > 1e-3 && lr < 1.0, "{lr}");
}

#[test]
fn moving_the_learning_rate_slider_changes_the_trajectory() {
    let mut h = harness(one_run_state());
    h.run();
    let before = last_point(&h.state().model, 0);
    h.get_by_role_and_label(Role::Slider, "learning rate")
        .set_value_accesskit(0.001);
    h.run();
    let model = &h.state().model;
    assert_eq!(model.state.runs[0].hyper.lr, 0.001);
    let after = last_point(model, 0);
    assert_ne!(before, after, "a smaller step must end elsewhere");

    // A pointer drag along the slider changes it too.
    let rect = h
        .get_by_role_and_label(Role::Slider, "learning rate")
        .rect();
    let (a, b) = (rect.left_center() + egui::vec2(4.0, 0.0), rect.center());
    press_and_move(&mut h, a, b);
    assert!(
        !h.state().model.view_gesture(),
        "a panel's slider must follow the pointer at full rate"
    );
    h.drop_at(b);
    h.run();
    let model = &h.state().model;
    assert_ne!(model.state.runs[0].hyper.lr, 0.001);
    assert_ne!(last_point(model, 0), after);
}

#[test]
fn adding_a_run_adds_a_line_to_the_plot() {
    let mut h = harness(one_run_state());
    h.run();
    assert_eq!(h.state().model.plot_series().len(), 1);
    click(&mut h, "Add run");
    let model = &h.state().model;
    assert_eq!(model.state.runs.len(), 2);
    assert_eq!(model.plot_series().len(), 2);
    assert_ne!(model.state.runs[1].hyper.kind, OptimizerKind::Sgd);
    // Muting hides the line again.
    let mute = h.get_all_by_label("mute").nth(1).expect("two mute boxes");
    mute.click();
    h.run();
    assert_eq!(h.state().model.plot_series().len(), 1);
}

#[test]
fn step_forward_moves_the_ball_by_one_step() {
    let mut h = harness(one_run_state());
    h.run();
    // The playback buttons are at the foot of the controls panel.
    h.get_by_label("Reset").scroll_to_me();
    h.run();
    click(&mut h, "Reset");
    let start = h.state().model.state.start.to_vec();
    assert_eq!(h.state().model.ball(0), Some(start));
    click(&mut h, "Step ▶");
    let model = &h.state().model;
    let RunOutcome::Ran(trajectory) = &model.outcomes()[0] else {
        panic!("the run ran");
    };
    assert_eq!(model.current_step(), 1);
    assert_eq!(model.ball(0), Some(trajectory.steps[1].point.clone()));
    click(&mut h, "◀ Back");
    assert_eq!(h.state().model.current_step(), 0);
}

#[test]
fn keyboard_shortcuts_step_reset_and_pick_presets() {
    let mut h = harness(one_run_state());
    h.run();
    h.key_press(egui::Key::R);
    h.run();
    assert_eq!(h.state().model.current_step(), 0);
    h.key_press(egui::Key::ArrowRight);
    h.run();
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(h.state().model.current_step(), 2);
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert_eq!(h.state().model.current_step(), 1);
    // Digits pick presets while the pointer is over the view.
    let view = h.state().viewport.expect("the view has room").center();
    h.hover_at(view);
    h.run();
    h.key_press(egui::Key::Num2);
    h.run();
    let second = gradscape::ui::hotkey_presets()[1];
    assert_eq!(h.state().model.state.good_source, second.expr);
    assert_eq!(
        h.state().model.state.preset.as_deref(),
        Some(second.name.as_str())
    );
}

#[test]
fn dragging_the_start_ball_moves_the_start_over_the_surface() {
    let mut h = harness(one_run_state());
    h.run();
    let rect = h.state().viewport.expect("the viewport has room");
    let model = &h.state().model;
    let scene = model.scene();
    let aspect = rect.width() / rect.height();
    let to_px = |x: f64, y: f64| {
        let f = model.surface_function().value(&[x, y]);
        let world = scene.map.world_from_domain(x, y, f);
        let [nx, ny] = gradscape::scene::ndc_of(&scene.camera, aspect, world).unwrap();
        egui::pos2(
            rect.left() + (nx + 1.0) * 0.5 * rect.width(),
            rect.top() + (1.0 - ny) * 0.5 * rect.height(),
        )
    };
    let [sx, sy] = model.state.start;
    let from = to_px(sx, sy);
    let to = to_px(1.0, 1.0);
    let before = last_point(model, 0);
    let yaw = model.state.camera.yaw_rad;
    press_and_move(&mut h, from, from + (to - from) * 0.5);
    assert!(
        h.state().model.view_gesture(),
        "a drag in the view may be drawn lighter"
    );
    h.hover_at(to);
    h.run();
    h.drop_at(to);
    h.run();
    assert!(!h.state().model.view_gesture());
    let model = &h.state().model;
    let [x, y] = model.state.start;
    assert!(
        (x - 1.0).abs() < 0.05 && (y - 1.0).abs() < 0.05,
        "start went to {x},{y}"
    );
    assert_eq!(
        model.state.camera.yaw_rad, yaw,
        "grabbing the ball must not orbit"
    );
    assert_ne!(
        last_point(model, 0),
        before,
        "the run starts from the new point"
    );

    // A drag on empty space orbits instead.
    let empty = rect.left_top() + egui::vec2(20.0, 20.0);
    press_and_move(&mut h, empty, empty + egui::vec2(80.0, 0.0));
    assert!(h.state().model.view_gesture(), "orbiting counts too");
    h.drop_at(empty + egui::vec2(80.0, 0.0));
    h.run();
    assert_ne!(h.state().model.state.camera.yaw_rad, yaw);
    assert_eq!(h.state().model.state.start, [x, y]);
}

#[test]
fn the_ui_renders_on_a_wgpu_adapter() {
    let mut h = harness(AppState::default());
    h.run();
    let image = h.render().expect("a wgpu adapter renders the UI");
    assert_eq!((image.width(), image.height()), (1280, 800));
    // The controls panel is drawn: not every pixel is the same.
    let first = *image.get_pixel(10, 10);
    assert!(image.pixels().any(|p| *p != first));
}

#[test]
fn saving_then_loading_the_session_gives_the_same_state() {
    let mut h = harness(AppState::default());
    h.run();
    click(&mut h, "Add run");
    click(&mut h, "Step ▶");
    let dir = std::env::temp_dir().join(format!("gradscape-ui-session-{}", std::process::id()));
    let path = dir.join("session.json");
    session::save(&path, &h.state().model.state).unwrap();
    let loaded = session::load(&path);
    assert!(loaded.warning.is_none());
    assert_eq!(loaded.state, h.state().model.state);
    // The restored state gives the same runs.
    let restored = Model::new(loaded.state);
    assert_eq!(restored.plot_series(), h.state().model.plot_series());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_corrupt_session_file_falls_back_to_defaults() {
    let dir = std::env::temp_dir().join(format!("gradscape-ui-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("session.json");
    std::fs::write(&path, "{\"version\": 1, \"source\": tru").unwrap();
    let loaded = session::load(&path);
    let warning = loaded.warning.expect("a warning says what happened");
    assert!(warning.contains("not a valid session"), "{warning}");
    assert_eq!(loaded.state, AppState::default());
    assert!(!path.exists(), "the bad file is moved aside");
    assert!(path.with_extension("json.bad").exists());
    // The defaults open in the UI.
    let mut h = harness(loaded.state);
    h.run();
    assert!(h.state().model.parse_error().is_none());
    let _ = std::fs::remove_dir_all(dir);
}

/// A state on `expr` over [−2, 2]² with one SGD run, starting at `start`.
fn state_on(expr: &str, start: [f64; 2]) -> AppState {
    AppState {
        source: expr.into(),
        good_source: expr.into(),
        preset: None,
        domain: gradscape::ui::DomainState {
            x: [-2.0, 2.0],
            y: [-2.0, 2.0],
        },
        start,
        ..one_run_state()
    }
}

#[test]
fn the_inspector_classifies_the_point_and_gives_the_stable_learning_rate() {
    // f = 2x² + ½y² at its minimum: λ = 4 and 1, so SGD is stable for lr < 2/4.
    let mut h = harness(state_on("2x^2 + 0.5y^2", [0.0, 0.0]));
    h.run();
    h.get_by_label("minimum (∇f = 0, Hessian positive definite)");
    h.get_by_label("gradient descent stable here for lr < 2/λmax = 0.5");
    h.get_by_label("run 1 (sgd, lr 0.01) is below it: stable here");
    // The derivatives are printed as in a textbook.
    h.get_by_label("4·x");
    // Following the first run's ball: the point moves with the playback step.
    h.state_mut().model.state.start = [1.0, 1.0];
    h.state_mut().model.recompute();
    h.state_mut().model.state.display.point_at = gradscape::ui::PointAt::Ball;
    h.state_mut().model.reset();
    h.run();
    assert_eq!(h.state().model.inspected_point(), [1.0, 1.0]);
    click(&mut h, "Step ▶");
    let model = &h.state().model;
    assert_eq!(model.inspected_point().to_vec(), model.ball(0).unwrap());
    assert_eq!(model.report().point, model.ball(0).unwrap());
    // Eigen-directions are drawn when asked.
    assert!(model.scene().overlays.eigen.is_empty());
    click(&mut h, "draw eigen-directions");
    let eigen = h.state().model.scene().overlays.eigen;
    assert_eq!(eigen.len(), 2);
    assert_eq!(eigen[0].value, 4.0);
}

#[test]
fn the_gradient_norm_plot_and_its_log_scale() {
    let mut h = harness(state_on("x^2 + y^2", [1.0, 1.0]));
    h.run();
    let series = h.state().model.gradient_norm_series();
    assert_eq!(series.len(), 1);
    // ‖∇f‖ at the start (1, 1) is ‖(2, 2)‖.
    assert_eq!(series[0].2[0], [0.0, 8f64.sqrt()]);
    click(&mut h, "Plots");
    h.get_by_label("‖∇f(x_t)‖");
    assert!(!h.state().model.state.display.plot_log);
    click(&mut h, "log scale");
    assert!(h.state().model.state.display.plot_log);
}

#[test]
fn pressing_on_the_contour_map_moves_the_start() {
    let mut h = harness(state_on("x^2 + y^2", [1.0, 1.0]));
    h.run();
    h.run();
    let rect = h.state().viewport.expect("the viewport has room");
    // The map is 220 points square (the domain is square), 10 points in from the top right.
    let map = egui::Rect::from_min_size(
        rect.right_top() + egui::vec2(-230.0, 10.0),
        egui::vec2(220.0, 220.0),
    );
    let before = last_point(&h.state().model, 0);
    // A quarter of the way in from the left and from the top is (−1, 1).
    let target = map.left_top() + egui::vec2(55.0, 55.0);
    press_and_release(&mut h, target);
    h.run();
    let [x, y] = h.state().model.state.start;
    assert!(
        (x + 1.0).abs() < 0.05 && (y - 1.0).abs() < 0.05,
        "start went to {x},{y}"
    );
    assert_ne!(last_point(&h.state().model, 0), before);
    // It can be hidden from the View menu.
    click(&mut h, "View");
    click(&mut h, "top-down map");
    assert!(!h.state().model.state.display.map);
}

#[test]
fn domain_grid_and_wireframe_controls_change_the_surface() {
    let mut h = harness(state_on("x^2 + y^2", [1.0, 1.0]));
    h.run();
    let version = h.state().model.surface_version();
    let model = &mut h.state_mut().model;
    let bad = gradscape::ui::DomainState {
        x: [1.0, -1.0],
        y: [-2.0, 2.0],
    };
    let error = model.set_domain(bad).unwrap_err();
    assert!(error.contains("x range is empty"), "{error}");
    model
        .set_domain(gradscape::ui::DomainState {
            x: [-0.5, 0.5],
            y: [-2.0, 2.0],
        })
        .unwrap();
    assert_eq!(model.state.start, [0.5, 1.0], "the start is kept inside");
    assert!(model.surface_version() > version);
    let version = model.surface_version();
    model.set_grid_side(513);
    assert!(model.surface_version() > version);
    h.run();
    click(&mut h, "View");
    click(&mut h, "wireframe");
    assert!(h.state().model.scene().surface.wireframe);
    // The menu stays open for the next toggle.
    assert!(h.state().model.scene().overlays.show_arrows);
    click(&mut h, "gradient arrows");
    assert!(!h.state().model.scene().overlays.show_arrows);
}

#[test]
fn trajectories_export_as_csv_and_json_in_the_descend_shapes() {
    let dir = std::env::temp_dir().join(format!("gradscape-ui-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut h = harness(AppState {
        export_dir: dir.display().to_string(),
        ..state_on("x^2 + y^2", [1.0, 1.0])
    });
    h.run();
    click(&mut h, "Export");
    click(&mut h, "CSV");
    click(&mut h, "JSON");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        csv.starts_with("step,x,y,value,grad_norm\n0,1,1,2,"),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[1]).unwrap()).unwrap();
    assert_eq!(json["optimizer"], "sgd");
    assert_eq!(json["steps"][0]["point"], serde_json::json!([1.0, 1.0]));
    // A PNG is handed to the app, which owns the GPU.
    click(&mut h, "PNG");
    assert!(matches!(
        h.state().model.image_export,
        Some(gradscape::ui::ImageExport::Png(_))
    ));
    // A folder that does not exist is refused, saying so.
    h.state_mut().model.state.export_dir = dir.join("missing").display().to_string();
    click(&mut h, "CSV");
    let missing = format!(
        "the export folder {} does not exist: create it or type another",
        dir.join("missing").display()
    );
    h.get_by_label(&missing);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_inspector_says_a_kink_has_no_derivative_and_is_a_critical_minimum() {
    let mut h = harness(AppState {
        domain: gradscape::ui::DomainState {
            x: [-2.0, 2.0],
            y: [-2.0, 2.0],
        },
        ..state_on("abs(x)", [0.0, 0.0])
    });
    h.run();
    let kink = "no derivative: a kink — the slope is −1 from the left but 1 from the right";
    // The notebook view says it; the inspector says it too, and that |x| has a minimum there
    // all the same: a critical point without a derivative, as a textbook counts it.
    assert!(h.get_all_by_label(kink).count() >= 1);
    h.get_by_label(&format!(
        "minimum, a critical point where f′ does not exist; {kink}"
    ));
    assert!(h.get_all_by_label(gradscape::ui::NO_DERIVATIVE).count() >= 1);
    assert!(
        h.query_by_label_contains("degenerate critical point")
            .is_none()
    );
}

#[test]
fn a_huge_derivative_is_shown_as_its_size_not_laid_out() {
    // exp(exp(…(x*y)…)) 150 deep: its Hessian entries print to over a million symbols each,
    // which the app laid out every frame.
    let expr = format!("{}x*y{}", "exp(".repeat(150), ")".repeat(150));
    let started = std::time::Instant::now();
    let mut h = harness(state_on(&expr, [0.001, 0.001]));
    h.run();
    assert!(
        h.query_all_by_label_contains("too long to show").count() > 0,
        "the Hessian entries are shown as their size"
    );
    assert!(
        started.elapsed().as_secs_f64() < 60.0,
        "the first frames took {:?}",
        started.elapsed()
    );
}

#[test]
fn the_view_menu_sets_the_z_range_and_hides_the_axes_and_the_legend() {
    let mut h = harness(state_on("1/(x*y)", [1.0, 1.0]));
    h.run();
    let auto = h.state().model.world_map().scale;
    assert_eq!(auto.cut, [true, true], "the poles are cut: {auto:?}");
    assert!(auto.hi < 100.0, "{auto:?}");
    // The legend is in the view's corner, and folds.
    click(&mut h, "Legend");
    click(&mut h, "Legend");
    click(&mut h, "View");
    click(&mut h, "z-range by hand");
    // By hand starts from the automatic range, then takes what is typed.
    assert_eq!(
        h.state().model.state.display.z_range,
        Some([auto.lo, auto.hi])
    );
    let model = &mut h.state_mut().model;
    model.set_z_range(Some([-5.0, 5.0])).unwrap();
    assert!(model.set_z_range(Some([5.0, -5.0])).is_err());
    let scale = model.world_map().scale;
    assert_eq!((scale.lo, scale.hi, scale.cut), (-5.0, 5.0, [true, true]));
    h.run();
    click(&mut h, "z-range by hand");
    assert_eq!(h.state().model.state.display.z_range, None);
    assert_eq!(h.state().model.world_map().scale, auto);
    click(&mut h, "axes and colour bar");
    assert!(!h.state().model.scene().overlays.axes);
    click(&mut h, "legend");
    assert!(!h.state().model.state.display.legend);
    assert!(h.query_by_label("Legend").is_none());
}

/// With no run at all the swarm section says so and names the button that adds one (it said
/// "Unmute a run with valid settings" though there was nothing to unmute); with every run
/// muted it says to unmute one.
#[test]
fn the_swarm_says_how_to_get_a_run_when_there_is_none() {
    let mut h = harness(AppState {
        runs: vec![],
        ..AppState::default()
    });
    h.run();
    h.get_by_label_contains("No run yet: press \"Add run\" under Runs");
    assert!(h.query_by_label_contains("Unmute").is_none());
    click(&mut h, "Add run");
    h.run();
    assert_eq!(h.state().model.state.runs.len(), 1);
    assert!(h.query_by_label_contains("No run yet").is_none());
    h.state_mut().model.state.runs[0].muted = true;
    h.run();
    h.get_by_label_contains("Every run is muted: untick \"mute\"");
}

/// A state on a data objective, with the Data tab in front and one SGD run.
fn data_state(source: &str, model_text: &str) -> AppState {
    let mut model = Model::new(one_run_state());
    model
        .open_data(gradscape::ui::DataSpec::new(source, model_text))
        .unwrap();
    let mut state = model.state.clone();
    state.layout.tab = gradscape::ui::layout::PanelTab::Data;
    state
}

#[test]
fn opening_a_data_set_from_the_file_menu_shows_its_loss_and_the_data_view() {
    let mut h = harness(one_run_state());
    h.run();
    click(&mut h, "File");
    // The button's label carries its shortcut (Ctrl+D).
    h.get_by_label_contains("Open data…").click();
    h.run();
    click(&mut h, "iris");
    click(&mut h, "Open");
    h.run();
    let model = &h.state().model;
    let data = model.data().expect("iris opened");
    assert_eq!(data.table.rows(), 150);
    assert!(
        model
            .function()
            .source()
            .contains("--data iris --model logistic:petal_width")
    );
    assert!(data.logistic && data.linear);
    // The θ domain holds the full-data minimum and (0, 0), where the run starts.
    let min = data.minimum.unwrap();
    let d = model.state.domain;
    assert!((d.x[0]..=d.x[1]).contains(&min[0]) && (d.y[0]..=d.y[1]).contains(&min[1]));
    assert_eq!(model.state.start, [0.0, 0.0]);
    assert_eq!(
        model.state.layout.tab,
        gradscape::ui::layout::PanelTab::Data
    );
    assert!(
        gradscape::ui::data_view_transform(&h.ctx).is_some(),
        "the data view is drawn"
    );
    // The Data panel's target combo and model field are there.
    h.get_by_label("model");
    // Closing the data brings back the expression.
    click(&mut h, "Close data");
    assert!(h.state().model.data().is_none());
    assert!(h.state().model.state.data.is_none());
}

#[test]
fn a_bad_model_keeps_the_last_objective_and_says_so_by_the_field() {
    let mut h = harness(data_state("linear", "linear:x"));
    h.run();
    let before = h.state().model.function().source().to_string();
    retype(&mut h, "model", "theta0 + theta1*nope");
    let model = &h.state().model;
    assert_eq!(
        model.function().source(),
        before,
        "the last good objective stays"
    );
    let problem = model.data_problem().expect("the model does not build");
    assert_eq!(problem.field, gradscape::ui::DataField::Model);
    assert!(problem.message.contains("nope"), "{}", problem.message);
}

/// Where (θ0, θ1) is drawn in the viewport `rect`, as the start-ball drag test aims.
fn theta_px(model: &Model, rect: egui::Rect, [x, y]: [f64; 2]) -> egui::Pos2 {
    let scene = model.scene();
    let f = model.surface_function().value(&[x, y]);
    let world = scene.map.world_from_domain(x, y, f);
    let aspect = rect.width() / rect.height();
    let [nx, ny] = gradscape::scene::ndc_of(&scene.camera, aspect, world).unwrap();
    egui::pos2(
        rect.left() + (nx + 1.0) * 0.5 * rect.width(),
        rect.top() + (1.0 - ny) * 0.5 * rect.height(),
    )
}

#[test]
fn dragging_theta_moves_the_line_and_dragging_the_line_moves_theta() {
    let mut h = harness(data_state("linear", "linear:x"));
    h.run();
    h.run();
    let rect = h.state().viewport.expect("the viewport has room");
    let model = &h.state().model;
    let before = gradscape::ui::line_handles(model).expect("a line has two handles");
    // θ from (0, 0) to (2, 1) by dragging the start ball over the surface.
    let from = theta_px(model, rect, model.state.start);
    let to = theta_px(model, rect, [2.0, 1.0]);
    drag(&mut h, from, to);
    let model = &h.state().model;
    let [t0, t1] = model.state.start;
    assert!(
        (t0 - 2.0).abs() < 0.1 && (t1 - 1.0).abs() < 0.1,
        "θ went to {t0},{t1}"
    );
    let after = gradscape::ui::line_handles(model).unwrap();
    for k in 0..2 {
        let x = after[k][0];
        assert_eq!(x, before[k][0], "the handles stay at their x");
        assert!(
            (after[k][1] - (t0 + t1 * x)).abs() < 1e-12,
            "the line is θ0 + θ1·x"
        );
        assert_ne!(after[k][1], before[k][1], "the line moved");
    }

    // Now drag the line's right end up by 2: θ follows, the left end stays.
    let transform = gradscape::ui::data_view_transform(&h.ctx).expect("the data view is drawn");
    let at = |p: [f64; 2]| transform.position_from_point(&egui_plot::PlotPoint::new(p[0], p[1]));
    let [left, right] = after;
    let target = [right[0], right[1] + 2.0];
    drag(&mut h, at(right), at(target));
    let model = &h.state().model;
    let [t0, t1] = model.state.start;
    let moved = gradscape::ui::line_handles(model).unwrap();
    // Within a pixel's worth of data units of where the pointer put it.
    let px = (transform.bounds().height() / f64::from(transform.frame().height())).abs();
    assert!(
        (moved[1][1] - target[1]).abs() < 2.0 * px,
        "{moved:?} vs {target:?}"
    );
    assert!((moved[0][1] - left[1]).abs() < 1e-9, "the other end stays");
    assert!((t0 + t1 * left[0] - left[1]).abs() < 1e-9);
    assert_eq!(h.state().model.outcomes().len(), 1);
    assert_eq!(
        last_point_start(&h.state().model),
        [t0, t1],
        "the run starts at the new θ"
    );
}

fn last_point_start(model: &Model) -> [f64; 2] {
    match &model.outcomes()[0] {
        RunOutcome::Ran(t) => [t.steps[0].point[0], t.steps[0].point[1]],
        RunOutcome::Invalid(e) => panic!("{e}"),
    }
}

#[test]
fn the_mini_batch_lesson_opens_its_data_objective_with_three_batch_sizes() {
    let mut h = harness(one_run_state());
    h.run();
    let index = lesson_index("Batch, mini-batch and stochastic paths");
    click(&mut h, "Lessons");
    h.get_by_label(&gradscape::ui::lesson_menu_label(index))
        .click();
    // The lesson plays: frames keep coming while the balls roll.
    h.run_steps(3);
    let model = &h.state().model;
    assert!(
        model
            .function()
            .source()
            .starts_with("--data linear --model linear:x")
    );
    let batches: Vec<Option<usize>> = model
        .state
        .runs
        .iter()
        .map(|r| r.options.batch.map(|b| b.size))
        .collect();
    assert_eq!(batches, vec![None, Some(20), Some(1)]);
    // Each mini-batch run's rows carry the batch they stepped on, of its size.
    for (run, size) in [(1, 20), (2, 1)] {
        let RunOutcome::Ran(t) = &model.outcomes()[run] else {
            panic!("run {run} did not run");
        };
        assert_eq!(t.steps[1].batch.as_ref().map(Vec::len), Some(size));
    }
    assert_eq!(model.state.notebook.lesson, Some(index));
}

#[test]
fn the_run_table_sorts_by_a_click_on_a_column() {
    let state = state_with_runs(&[(OptimizerKind::Sgd, 0.001), (OptimizerKind::Adam, 0.1)]);
    let mut h = harness(state);
    h.run();
    let y_of = |h: &Harness<'static, TestApp>, name: &str| {
        h.query_all_by_label(name)
            .map(|n| n.rect().center().y)
            .fold(f32::NEG_INFINITY, f32::max)
    };
    // In run order first: sgd's row above adam's.
    let (sgd, adam) = ("1 sgd, lr 0.001", "2 adam, lr 0.1");
    assert!(y_of(&h, sgd) < y_of(&h, adam));
    let f_end = |h: &Harness<'static, TestApp>, i: usize| last_value(&h.state().model, i);
    let adam_lower = f_end(&h, 1) < f_end(&h, 0);
    h.get_by_label("final f").scroll_to_me();
    h.run();
    click(&mut h, "final f");
    // Ascending final f: the lower one on top.
    assert_eq!(y_of(&h, adam) < y_of(&h, sgd), adam_lower);
    h.get_by_label_contains("final f ▲").click();
    h.run();
    assert_eq!(y_of(&h, adam) < y_of(&h, sgd), !adam_lower);
}

fn last_value(model: &Model, run: usize) -> f64 {
    match &model.outcomes()[run] {
        RunOutcome::Ran(t) => t.steps.last().unwrap().value,
        RunOutcome::Invalid(e) => panic!("run {run} did not run: {e}"),
    }
}
