//! Issue 12 in the app, through the real UI under egui_kittest on a wgpu adapter: picking adamw
//! shows its weight-decay slider, a cosine schedule bends the lr plot, the ρ plot and the
//! inspector's forecast on the double well at too large an lr, the two new lessons, and a
//! session saved before the new optimizers existed still loads.
//!
//! `NB_SNAPSHOT_DIR=/tmp cargo test --test app_optim_ui` also writes optim-*.png there.

use super::harness::{click, lesson_index, model_harness, save_snapshot, state_with_runs};

use egui::accesskit::Role;
use egui_kittest::{
    Harness,
    kittest::{Queryable, by},
};
use gradscape::app::session;
use gradscape::optim::{OptimizerKind, Schedule};
use gradscape::ui::{AppState, Model, PointAt, RunConfig, RunOutcome, apply_lesson};

/// A fresh model with the lesson titled `title` (see `lesson_index`) applied.
fn model_on_lesson(title: &str) -> Model {
    let mut model = Model::new(AppState::default());
    apply_lesson(&mut model, lesson_index(title));
    model
}

fn harness(model: Model) -> Harness<'static, Model> {
    harness_sized(model, 1000.0)
}

/// Tall enough for every plot of the right column (the README's picture comes from one).
fn harness_sized(model: Model, height: f32) -> Harness<'static, Model> {
    model_harness(model, 1280.0, height)
}

fn one_run(kind: OptimizerKind, lr: f64) -> AppState {
    AppState {
        runs: vec![RunConfig::new(kind, lr, 0)],
        ..AppState::default()
    }
}

fn snapshot(h: &mut Harness<'static, Model>, name: &str) {
    save_snapshot(h, "NB_SNAPSHOT_DIR", &format!("optim-{name}"));
}

#[test]
fn picking_adamw_shows_its_weight_decay_slider_and_amsgrad() {
    let mut h = harness(Model::new(one_run(OptimizerKind::Newton, 1.0)));
    h.run();
    assert!(
        h.query_by_role_and_label(Role::Slider, "weight-decay")
            .is_none(),
        "newton takes no weight decay"
    );
    h.get(by().role(Role::ComboBox).value("newton")).click();
    h.run();
    click(&mut h, "adamw");
    let run = h.state().model_run(0);
    assert_eq!(run.hyper.kind, OptimizerKind::Adamw);
    // AdamW arrives with torch's own default decay.
    assert_eq!(run.hyper.weight_decay, 0.01);
    h.get_by_role_and_label(Role::Slider, "weight-decay")
        .set_value_accesskit(0.2);
    h.run();
    assert_eq!(h.state().model_run(0).hyper.weight_decay, 0.2);
    click(&mut h, "amsgrad");
    assert!(h.state().model_run(0).hyper.amsgrad);
    assert!(matches!(h.state().outcomes()[0], RunOutcome::Ran(_)));
}

/// Small helper so tests read as what they check.
trait RunOf {
    fn model_run(&self, i: usize) -> RunConfig;
}

impl RunOf for Model {
    fn model_run(&self, i: usize) -> RunConfig {
        self.state.runs[i]
    }
}

#[test]
fn a_cosine_schedule_changes_the_lr_plot() {
    let mut state = one_run(OptimizerKind::Adam, 0.1);
    state.playback.max_steps = 100;
    let mut h = harness(Model::new(state));
    h.run();
    click(&mut h, "Plots");
    h.get_by_label("lr(t)");
    let flat = h.state().lr_series();
    assert_eq!(flat.len(), 1);
    assert!(flat[0].2.iter().all(|p| p[1] == 0.1), "constant lr");
    h.get(by().role(Role::ComboBox).value("schedule: constant"))
        .click();
    h.run();
    click(&mut h, "cosine");
    assert!(matches!(
        h.state().model_run(0).options.schedule,
        Schedule::Cosine { .. }
    ));
    let curve = h.state().lr_series();
    let lrs: Vec<f64> = curve[0].2.iter().map(|p| p[1]).collect();
    assert_eq!(lrs[0], 0.1);
    // Falling along the cosine, to 0 at T = 100.
    assert!(lrs.windows(2).all(|w| w[1] <= w[0]), "{lrs:?}");
    assert!(*lrs.last().unwrap() < 1e-3, "{lrs:?}");
    snapshot(&mut h, "cosine");
}

#[test]
fn the_rho_plot_goes_below_1_on_the_double_well_at_too_large_an_lr() {
    let mut model = model_on_lesson("How far can you trust the tangent?");
    model.state.playback.playing = false;
    model.state.playback.step = 2;
    model.state.display.point_at = PointAt::Ball;
    let mut h = harness_sized(model, 1320.0);
    h.run();
    h.get_by_label("ρ(t): actual ÷ predicted change");
    let rho = h.state().rho_series();
    assert_eq!(rho.len(), 2);
    // Run 1 (sgd, lr 0.6) overshoots √2: ρ < 0 on alternate steps, never near 1 after the first.
    let fast: Vec<f64> = rho[0].2.iter().map(|p| p[1]).collect();
    assert!(fast.iter().skip(1).all(|&r| r < 1.0), "{fast:?}");
    assert!(fast.iter().any(|&r| r < 0.0), "{fast:?}");
    // Run 2 (lr 0.05) stays where the tangent is trustworthy.
    let slow: Vec<f64> = rho[1].2.iter().map(|p| p[1]).take(10).collect();
    assert!(slow.iter().all(|&r| r > 0.8), "{slow:?}");
    // The inspector at the ball: the tangent's forecast beside the actual value.
    click(&mut h, "Inspector");
    h.get_by_label("tangent predicts f =");
    h.get_by_label("actual f =");
    let next = h
        .state()
        .next_step()
        .expect("run 1 takes a step from step 2");
    assert_eq!(next.run, 0);
    // x: 0.5, 1.025, 1.609, 1.041: from 1.609 the ball jumps back over √2 to a higher f.
    assert!(next.actual > next.value, "step 2 → 3 goes uphill");
    assert!(next.rho.unwrap() < 0.0);
    h.get_by_label("The step went uphill: it overshot where the tangent could be trusted.");
    snapshot(&mut h, "rho");
}

#[test]
fn the_schedules_lesson_settles_with_cosine_and_rattles_without() {
    let model = model_on_lesson("Schedules: Adam on Rosenbrock");
    let end = |i: usize| match &model.outcomes()[i] {
        RunOutcome::Ran(t) => t.last().unwrap().value,
        RunOutcome::Invalid(e) => panic!("{e}"),
    };
    let (constant, cosine) = (end(0), end(1));
    assert!(cosine < 1e-8 && constant > 1e-4, "{constant} vs {cosine}");
}

#[test]
fn a_session_with_the_old_optimizer_set_still_loads() {
    // A session as the app wrote it before issue 12: runs without `options`, hyperparameters
    // without rho, weight_decay, momentum_decay, amsgrad or centered.
    let state = state_with_runs(&[(OptimizerKind::Rmsprop, 0.01), (OptimizerKind::Adam, 0.05)]);
    let mut json: serde_json::Value = serde_json::to_value(&state).unwrap();
    for run in json["runs"].as_array_mut().unwrap() {
        let run = run.as_object_mut().unwrap();
        run.remove("options");
        let hyper = run["hyper"].as_object_mut().unwrap();
        for new in [
            "rho",
            "weight_decay",
            "momentum_decay",
            "amsgrad",
            "centered",
        ] {
            assert!(hyper.remove(new).is_some(), "{new}");
        }
        // The old app stored SGD's momentum default for every optimizer.
        hyper.insert("momentum".into(), 0.9.into());
    }
    let dir = std::env::temp_dir().join(format!("gradscape-old-session-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("session.json");
    let text = serde_json::to_string_pretty(&json).unwrap();
    std::fs::write(&path, &text).unwrap();
    let loaded = session::load(&path);
    assert!(loaded.warning.is_none(), "{:?} from {text}", loaded.warning);
    let runs = &loaded.state.runs;
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].hyper.kind, OptimizerKind::Rmsprop);
    assert_eq!(
        runs[0].hyper.momentum, 0.0,
        "old rmsprop ran without momentum"
    );
    assert_eq!(runs[1].hyper.kind, OptimizerKind::Adam);
    assert_eq!(runs[1].options, Default::default());
    let mut h = harness(Model::new(loaded.state));
    h.run();
    assert!(
        h.state()
            .outcomes()
            .iter()
            .all(|o| matches!(o, RunOutcome::Ran(_)))
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn noise_resample_clip_and_line_search_controls_drive_the_run() {
    let mut h = harness(Model::new(one_run(OptimizerKind::Sgd, 0.01)));
    h.run();
    let path = |h: &Harness<'static, Model>| match &h.state().outcomes()[0] {
        RunOutcome::Ran(t) => t.steps.iter().map(|s| s.point.clone()).collect::<Vec<_>>(),
        RunOutcome::Invalid(e) => panic!("{e}"),
    };
    let exact = path(&h);
    h.get_by_role_and_label(Role::Slider, "noise σ")
        .set_value_accesskit(0.5);
    h.run();
    assert_eq!(h.state().model_run(0).options.noise, 0.5);
    let noisy = path(&h);
    assert_ne!(noisy, exact, "noise moves the path");
    click(&mut h, "resample");
    assert_eq!(h.state().model_run(0).options.seed, 1);
    let resampled = path(&h);
    assert_ne!(resampled, noisy, "a new seed draws new noise");
    click(&mut h, "clip ‖g‖ to");
    assert_eq!(h.state().model_run(0).options.clip_norm, Some(1.0));
    click(&mut h, "line search");
    assert!(h.state().model_run(0).options.line_search);
    assert!(matches!(h.state().outcomes()[0], RunOutcome::Ran(_)));
    // Switching to adam drops the line search, which is sgd's alone.
    h.get(by().role(Role::ComboBox).value("sgd")).click();
    h.run();
    click(&mut h, "adam");
    assert!(!h.state().model_run(0).options.line_search);
    assert!(matches!(h.state().outcomes()[0], RunOutcome::Ran(_)));
}

#[test]
fn switching_to_newton_gives_its_usual_lr_unless_the_user_set_one() {
    let mut h = harness(Model::new(one_run(OptimizerKind::Sgd, 0.01)));
    h.run();
    h.get(by().role(Role::ComboBox).value("sgd")).click();
    h.run();
    click(&mut h, "newton");
    let run = h.state().model_run(0);
    assert_eq!(run.hyper.kind, OptimizerKind::Newton);
    assert_eq!(run.hyper.lr, 1.0, "newton's full step, not sgd's 0.01");
    // And back: sgd's usual lr again.
    h.get(by().role(Role::ComboBox).value("newton")).click();
    h.run();
    click(&mut h, "sgd");
    assert_eq!(h.state().model_run(0).hyper.lr, 0.01);
    // An lr the user chose stays through a switch.
    h.get_by_role_and_label(Role::Slider, "learning rate")
        .set_value_accesskit(0.003);
    h.run();
    let chosen = h.state().model_run(0).hyper.lr;
    assert!((chosen - 0.003).abs() < 1e-9, "{chosen}");
    h.get(by().role(Role::ComboBox).value("sgd")).click();
    h.run();
    click(&mut h, "newton");
    assert_eq!(h.state().model_run(0).hyper.lr, chosen);
}
