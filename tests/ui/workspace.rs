//! A workspace you cannot lose, through the real UI (`gradscape::ui::show` under egui_kittest on
//! a wgpu adapter): undo and redo of every kind of change, one step per drag or typed field;
//! lessons that give the scene back; preset keys only where they belong.

use super::harness::{TestApp, app_harness, press_and_release};

use egui::accesskit::Role;
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use gradscape::optim::OptimizerKind;
use gradscape::ui::{AppState, LESSONS, RunConfig, lesson_menu_label, same_scene};

fn harness_sized(state: AppState, size: egui::Vec2) -> Harness<'static, TestApp> {
    app_harness(state, size)
}

fn harness(state: AppState) -> Harness<'static, TestApp> {
    harness_sized(state, egui::vec2(1280.0, 800.0))
}

/// Frames until nothing moves (or a fixed number while something animates).
fn settle(h: &mut Harness<'static, TestApp>) {
    let _ = h.run_ok();
}

fn undo(h: &mut Harness<'static, TestApp>) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(h);
}

fn redo(h: &mut Harness<'static, TestApp>) {
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    settle(h);
}

/// A press and release at `pos`.
fn click_at(h: &mut Harness<'static, TestApp>, pos: egui::Pos2) {
    press_and_release(h, pos);
    settle(h);
}

/// Clicks the widget labelled `label` and lets the frames settle.
fn click_settled(h: &mut Harness<'static, TestApp>, label: &str) {
    h.get_by_label(label).click();
    settle(h);
}

/// The default preset with one sgd run at lr 0.01, settled.
fn one_sgd_run() -> Harness<'static, TestApp> {
    let state = AppState {
        runs: vec![RunConfig::new(OptimizerKind::Sgd, 0.01, 0)],
        ..AppState::default()
    };
    let mut h = harness(state);
    settle(&mut h);
    h
}

/// Himmelblau (the default preset) with two runs, the contours on: a scene of one's own.
fn my_scene() -> AppState {
    let mut state = AppState {
        runs: vec![
            RunConfig::new(OptimizerKind::Momentum, 0.005, 0),
            RunConfig::new(OptimizerKind::Rmsprop, 0.05, 1),
        ],
        start: [1.5, -2.5],
        ..AppState::default()
    };
    state.display.contours = true;
    state
}

fn open_lesson(h: &mut Harness<'static, TestApp>, index: usize) {
    h.get_by_label("Lessons").click();
    settle(h);
    h.get_by_label(&lesson_menu_label(index)).click();
    settle(h);
    h.state_mut().model.state.playback.playing = false;
    h.state_mut().model.state.notebook.animating = false;
    settle(h);
}

#[test]
fn undo_takes_back_a_lesson_and_redo_brings_it_again() {
    let mine = my_scene();
    let mut h = harness(mine.clone());
    settle(&mut h);
    open_lesson(&mut h, 14);
    assert_eq!(h.state().model.state.notebook.lesson, Some(14));
    assert_eq!(h.state().model.state.good_source, LESSONS[14].expr);
    assert!(h.state().model.can_undo());
    assert_eq!(h.state().model.undo_label(), Some("lesson"));
    undo(&mut h);
    let model = &h.state().model;
    assert!(same_scene(&model.state, &mine), "the scene is mine again");
    assert_eq!(model.state.notebook.lesson, None);
    assert!(h.query_by_label_contains("Lesson 15/").is_none());
    redo(&mut h);
    assert_eq!(h.state().model.state.notebook.lesson, Some(14));
    h.get_by_label_contains("Lesson 15/");
    // Ctrl+Y redoes too.
    undo(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    settle(&mut h);
    assert_eq!(h.state().model.state.notebook.lesson, Some(14));
}

#[test]
fn closing_a_lesson_gives_the_scene_back_and_keep_keeps_the_lessons() {
    let mine = my_scene();
    let mut h = harness(mine.clone());
    settle(&mut h);
    let camera = h.state().model.state.camera;
    open_lesson(&mut h, 14);
    // Next and Previous move through the lessons; the scene to come back to stays the first.
    click_settled(&mut h, "Next ▶");
    assert_eq!(h.state().model.state.notebook.lesson, Some(15));
    click_settled(&mut h, "× Close");
    let model = &h.state().model;
    assert!(
        same_scene(&model.state, &mine),
        "Close brings my scene back"
    );
    assert_eq!(model.state.camera, camera, "and my camera");
    assert!(model.state.lesson_return.is_none());
    assert!(model.state.display.contours);
    // Close is itself undoable.
    undo(&mut h);
    assert_eq!(h.state().model.state.notebook.lesson, Some(15));
    redo(&mut h);
    assert!(same_scene(&h.state().model.state, &mine));

    // Quitting inside a lesson loses nothing: the session carries the scene to come back to.
    open_lesson(&mut h, 3);
    let saved = serde_json::to_string(&h.state().model.state).unwrap();
    let mut h = harness(serde_json::from_str(&saved).unwrap());
    settle(&mut h);
    click_settled(&mut h, "× Close");
    assert!(
        same_scene(&h.state().model.state, &mine),
        "back after a restart"
    );

    // Esc does the same, even after the function was changed inside the lesson.
    open_lesson(&mut h, 5);
    h.state_mut().model.set_source("x^4");
    settle(&mut h);
    h.get_by_label_contains("Lesson 6/");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(same_scene(&h.state().model.state, &mine));

    // "Keep this scene" keeps the lesson's.
    open_lesson(&mut h, 18);
    click_settled(&mut h, "Keep this scene");
    let model = &h.state().model;
    assert_eq!(model.state.good_source, LESSONS[18].expr);
    assert_eq!(model.state.notebook.lesson, None);
    assert!(model.state.lesson_return.is_none());
    assert!(h.query_by_label("× Close").is_none());
}

#[test]
fn next_and_previous_stay_in_their_places() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    open_lesson(&mut h, 0);
    let next = h.get_by_label("Next ▶").rect();
    let previous = h.get_by_label("◀ Previous").rect();
    click_settled(&mut h, "Next ▶");
    assert_eq!(h.state().model.state.notebook.lesson, Some(1));
    assert_eq!(h.get_by_label("Next ▶").rect(), next);
    assert_eq!(h.get_by_label("◀ Previous").rect(), previous);
    // Two clicks on the same spot go two lessons on.
    click_settled(&mut h, "Next ▶");
    assert_eq!(h.state().model.state.notebook.lesson, Some(2));
    open_lesson(&mut h, LESSONS.len() - 1);
    assert_eq!(h.get_by_label("Next ▶").rect(), next);
    click_settled(&mut h, "Next ▶");
    assert_eq!(
        h.state().model.state.notebook.lesson,
        Some(LESSONS.len() - 1),
        "the last lesson's Next is disabled"
    );
}

#[test]
fn a_slider_drag_is_one_undo_step() {
    let mut h = one_sgd_run();
    let rect = h
        .get_by_role_and_label(Role::Slider, "learning rate")
        .rect();
    let (a, b) = (
        rect.left_center() + egui::vec2(4.0, 0.0),
        rect.right_center() - egui::vec2(20.0, 0.0),
    );
    h.hover_at(a);
    h.run();
    h.drag_at(a);
    h.run();
    for i in 1..=10 {
        h.hover_at(a + (b - a) * (i as f32 / 10.0));
        h.run();
    }
    h.drop_at(b);
    settle(&mut h);
    let model = &h.state().model;
    assert!(model.state.runs[0].hyper.lr > 0.01);
    assert_eq!(model.undo_steps(), 1, "ten frames of dragging, one step");
    assert_eq!(model.undo_label(), Some("run settings"));
    undo(&mut h);
    assert_eq!(h.state().model.state.runs[0].hyper.lr, 0.01);
}

#[test]
fn a_typed_expression_is_one_undo_step() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    let before = h.state().model.state.good_source.clone();
    h.get_by_label("f(x, y) =").focus();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    settle(&mut h);
    for piece in ["y", "^", "2", " + ", "x", "^2"] {
        h.get_by_label("f(x, y) =").type_text(piece);
        h.run();
    }
    assert_eq!(h.state().model.state.source, "y^2 + x^2");
    assert_eq!(h.state().model.undo_steps(), 0, "not while typing");
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().model.state.good_source, "y^2 + x^2");
    assert_eq!(h.state().model.undo_steps(), 1);
    undo(&mut h);
    assert_eq!(h.state().model.state.good_source, before);
    assert_eq!(h.state().model.state.source, before);
}

#[test]
fn view_toggles_and_runs_are_undone_one_by_one() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    let runs = h.state().model.state.runs.len();
    click_settled(&mut h, "Add run");
    click_settled(&mut h, "View");
    click_settled(&mut h, "contours");
    click_settled(&mut h, "wireframe");
    assert_eq!(h.state().model.undo_steps(), 3);
    // Esc closes the menu (and nothing else).
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(h.query_by_label("wireframe").is_none());
    assert_eq!(h.state().model.undo_label(), Some("view"));
    undo(&mut h);
    assert!(!h.state().model.state.display.wireframe);
    assert!(h.state().model.state.display.contours);
    undo(&mut h);
    assert!(!h.state().model.state.display.contours);
    undo(&mut h);
    assert_eq!(h.state().model.state.runs.len(), runs);
    assert!(!h.state().model.can_undo());
    // The Edit menu redoes, and says what.
    click_settled(&mut h, "Edit");
    h.get_by_label_contains("Redo runs change").click();
    settle(&mut h);
    assert_eq!(h.state().model.state.runs.len(), runs + 1);
}

#[test]
fn preset_keys_act_only_on_the_view_and_are_undoable() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    let mine = h.state().model.state.clone();
    let second = gradscape::ui::hotkey_presets()[1];
    // A click on the panel (missing the function field), then a digit: nothing happens.
    let panel = h.get_by_label("Runs").rect().center();
    click_at(&mut h, panel);
    h.hover_at(panel);
    settle(&mut h);
    h.key_press(egui::Key::Num2);
    settle(&mut h);
    assert!(same_scene(&h.state().model.state, &mine));
    // With the pointer over the view, the digit picks the preset.
    let view = h.state().viewport.expect("the view has room").center();
    h.hover_at(view);
    settle(&mut h);
    h.key_press(egui::Key::Num2);
    settle(&mut h);
    assert_eq!(h.state().model.state.good_source, second.expr);
    undo(&mut h);
    assert!(same_scene(&h.state().model.state, &mine), "undone");
    // With Alt, from anywhere.
    h.hover_at(panel);
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::Num2);
    settle(&mut h);
    assert_eq!(h.state().model.state.good_source, second.expr);
}

/// Clicks the number field named `name`, types `text` a key at a time, and (if `enter`) presses
/// Enter.
fn type_into(h: &mut Harness<'static, TestApp>, name: &str, text: &str, enter: bool) {
    h.get_by_role_and_label(Role::SpinButton, name)
        .scroll_to_me();
    settle(h);
    h.get_by_role_and_label(Role::SpinButton, name).click();
    settle(h);

    for c in text.chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.run();
    }
    if enter {
        h.key_press(egui::Key::Enter);
        settle(h);
    }
}

fn notice(h: &Harness<'static, TestApp>) -> Option<(String, bool)> {
    h.state().model.notice_text()
}

#[test]
fn a_typed_range_applies_on_enter_and_a_refused_one_keeps_the_last_good_value() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    let domain = h.state().model.state.domain;
    // Typed a key at a time, nothing is applied until Enter: no 1e30 slab on the way.
    type_into(&mut h, "y to", "1e300", false);
    assert_eq!(h.state().model.state.domain, domain);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().model.state.domain, domain, "refused, kept");
    let (text, error) = notice(&h).expect("the refusal is said");
    assert!(error, "{text}");
    assert!(
        text.contains("y to") && text.contains("refused 1e300") && text.contains("too large"),
        "{text}"
    );
    assert!(text.contains("kept 5"), "{text}");
    assert!(!h.state().model.can_undo(), "nothing changed, no step");
    // A good value replaces the stale error.
    type_into(&mut h, "y to", "8", true);
    assert_eq!(h.state().model.state.domain.y, [domain.y[0], 8.0]);
    assert_eq!(notice(&h), None);
    assert_eq!(h.state().model.undo_steps(), 1);
    // A cleared field is not a silent revert.
    h.get_by_role_and_label(Role::SpinButton, "x from").click();
    settle(&mut h);
    h.key_press(egui::Key::Backspace);
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let (text, error) = notice(&h).expect("said");
    assert!(
        error && text.contains("x from") && text.contains("empty"),
        "{text}"
    );
    assert_eq!(h.state().model.state.domain.x, domain.x);
    // Nor is text that is not a number, or a range turned inside out.
    type_into(&mut h, "x from", "2x", true);
    assert!(notice(&h).unwrap().0.contains("\"2x\" is not a number"));
    type_into(&mut h, "x from", "9", true);
    assert!(notice(&h).unwrap().0.contains("the x range is empty"));
    assert_eq!(h.state().model.state.domain.x, domain.x);
}

#[test]
fn the_learning_rate_field_takes_any_rate_the_optimizer_takes() {
    let mut h = one_sgd_run();
    type_into(&mut h, "learning rate", "1e6", true);
    assert_eq!(
        h.state().model.state.runs[0].hyper.lr,
        1e6,
        "beyond the slider"
    );
    settle(&mut h);
    assert_eq!(h.state().model.state.runs[0].hyper.lr, 1e6, "and it stays");
    type_into(&mut h, "learning rate", "-1", true);
    assert_eq!(h.state().model.state.runs[0].hyper.lr, 1e6);
    let (text, error) = notice(&h).unwrap();
    assert!(error && text.contains("must be finite and > 0"), "{text}");
    // Out of the playback's range: brought in, and said.
    click_settled(&mut h, "×");
    type_into(&mut h, "max steps", "1e9", true);
    assert_eq!(h.state().model.state.playback.max_steps, 100_000);
    let (text, error) = notice(&h).unwrap();
    assert!(
        !error && text.contains("max steps") && text.contains("100000"),
        "{text}"
    );
    type_into(&mut h, "max steps", "2.5", true);
    assert!(notice(&h).unwrap().0.contains("whole number"));
    assert_eq!(h.state().model.state.playback.max_steps, 100_000);
}

#[test]
fn f1_and_question_mark_open_the_shortcuts_and_help_has_about_and_ctrl_q_quits() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    assert!(h.query_by_label(gradscape::ui::SHORTCUTS_TITLE).is_none());
    h.key_press(egui::Key::F1);
    settle(&mut h);
    assert!(h.state().model.shortcuts_open());
    h.get_by_label(gradscape::ui::SHORTCUTS_TITLE);
    h.get_by_label("undo the last change to the scene");
    h.get_by_label("Ctrl+Shift+Z or Ctrl+Y");
    h.key_press(egui::Key::F1);
    settle(&mut h);
    assert!(!h.state().model.shortcuts_open());
    // `?` as typed (shift and the key, which egui reports as text).
    h.event(egui::Event::Text("?".into()));
    settle(&mut h);
    assert!(h.state().model.shortcuts_open());
    // While a field is being typed into, ? is a character.
    h.key_press(egui::Key::F1);
    settle(&mut h);
    h.get_by_label("f(x, y) =").focus();
    settle(&mut h);
    h.event(egui::Event::Text("?".into()));
    settle(&mut h);
    assert!(!h.state().model.shortcuts_open());
    h.key_press(egui::Key::Escape);
    settle(&mut h);

    click_settled(&mut h, "Help");
    click_settled(&mut h, "About gradscape…");
    h.get_by_label(gradscape::ui::ABOUT_TITLE);
    h.get_by_label(&format!("gradscape {}", env!("CARGO_PKG_VERSION")));
    h.get_by_label("GPU adapter");
    h.key_press(egui::Key::Escape);
    settle(&mut h);
    assert!(
        h.query_by_label(gradscape::ui::ABOUT_TITLE).is_none(),
        "Esc closes it"
    );

    assert!(!h.state().model.quit_requested);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Q);
    settle(&mut h);
    assert!(h.state().model.quit_requested);
}

#[test]
fn a_scene_file_round_trips_and_a_malformed_one_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("gradscape-ui-scenes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mine = my_scene();
    let mut h = harness(AppState {
        export_dir: dir.display().to_string(),
        ..mine.clone()
    });
    settle(&mut h);
    // File → Save As…, a name typed, Save.
    click_settled(&mut h, "File");
    h.get_by_label_contains("Save As…").click();
    settle(&mut h);
    h.get_by_label(gradscape::ui::SAVE_AS_TITLE);
    let path = dir.join("mine.gradscape.json");
    h.get_by_label("file").focus();
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("file")
        .type_text(dir.join("mine").to_str().unwrap());
    settle(&mut h);
    click_settled(&mut h, "Save");
    assert!(path.exists(), "saved with the scene extension");
    assert!(h.query_by_label(gradscape::ui::SAVE_AS_TITLE).is_none());
    assert_eq!(
        h.state().model.state.scene_file.as_deref(),
        Some(path.to_str().unwrap())
    );
    // The window's title names the scene file.
    assert_eq!(
        h.state().model.window_title(),
        "mine.gradscape.json — gradscape"
    );
    // Something else entirely, then File → Open… the file back.
    open_lesson(&mut h, 18);
    click_settled(&mut h, "Keep this scene");
    assert!(!same_scene(&h.state().model.state, &mine));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    settle(&mut h);
    h.get_by_label(gradscape::ui::OPEN_TITLE);
    // The folder's scene files are listed; a click opens one.
    click_settled(&mut h, "mine.gradscape.json");
    let model = &h.state().model;
    assert!(same_scene(&model.state, &mine), "the scene came back");
    assert!(model.notice_text().unwrap().0.contains("Opened the scene"));
    // Opening is one undo step.
    undo(&mut h);
    assert_eq!(h.state().model.state.good_source, LESSONS[18].expr);
    redo(&mut h);
    assert!(same_scene(&h.state().model.state, &mine));

    // A malformed file and a newer one: said, and the scene stays.
    for (name, text, words) in [
        (
            "bad.gradscape.json",
            "{\"format\": \"gradscape-scene\", \"vers",
            "not valid JSON",
        ),
        (
            "new.gradscape.json",
            "{\"format\": \"gradscape-scene\", \"version\": 2}",
            "newer gradscape",
        ),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
        let steps = h.state().model.undo_steps();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
        settle(&mut h);
        click_settled(&mut h, name);
        let model = &h.state().model;
        let (text, error) = model.notice_text().unwrap();
        assert!(
            error && text.contains(words) && text.contains("as it was"),
            "{text}"
        );
        assert!(same_scene(&model.state, &mine), "nothing lost");
        assert_eq!(model.undo_steps(), steps);
        click_settled(&mut h, "Cancel");
    }
    // Recent remembers the good file.
    click_settled(&mut h, "File");
    click_settled(&mut h, "Recent");
    h.get_by_label("mine.gradscape.json");
    // Copy as command puts a line on the clipboard.
    h.get_by_label("Copy as command").click();
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        });
    let copied = copied.expect("copied");
    assert!(copied.starts_with("gradscape open --scene '"), "{copied}");
    settle(&mut h);
    // Ctrl+S writes to the same file without asking.
    std::fs::remove_file(&path).unwrap();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    settle(&mut h);
    assert!(path.exists());
    let _ = std::fs::remove_dir_all(dir);
}

/// Renders the frame; with `WS_SNAPSHOT_DIR` set, also writes it there as ws-NAME.png.
fn snapshot(h: &mut Harness<'static, TestApp>, name: &str) {
    let image = h.render().expect("a wgpu adapter renders the UI");
    if let Some(dir) = std::env::var_os("WS_SNAPSHOT_DIR") {
        let path = std::path::Path::new(&dir).join(format!("ws-{name}.png"));
        image.save(&path).expect("the snapshot is written");
    }
}

/// The view's share of the window's width.
fn view_share(h: &Harness<'static, TestApp>, width: f32) -> f32 {
    h.state().viewport.expect("the view has room").width() / width
}

#[test]
fn small_windows_keep_half_the_width_for_the_view() {
    for (w, ht) in [(1280.0, 800.0), (800.0, 500.0), (640.0, 400.0)] {
        let mut h = harness_sized(AppState::default(), egui::vec2(w, ht));
        settle(&mut h);
        settle(&mut h);
        let share = view_share(&h, w);
        assert!(
            share >= 0.5,
            "{w}×{ht}: the view has {share:.2} of the width"
        );
        snapshot(&mut h, &format!("{w}x{ht}"));
        if w < 1000.0 {
            // One panel, its tabs led by the controls; each tab is a click away.
            h.get_by_label("Controls");
            h.get_by_label("f(x, y) =");
            click_settled(&mut h, "Inspector");
            h.get_by_label_contains("gradient descent stable here");
            click_settled(&mut h, "Plots");
            h.get_by_label("‖∇f(x_t)‖");
            assert!(view_share(&h, w) >= 0.5);
            snapshot(&mut h, &format!("{w}x{ht}-plots"));
        } else {
            h.get_by_label("f(x, y) =");
            h.get_by_label_contains("gradient descent stable here");
            // The slices are one click away, not below the fold.
            click_settled(&mut h, "Slices");
            h.get_by_label("Partial slices at A");
        }
    }
}

#[test]
fn a_tiny_window_and_back_gives_the_same_layout() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    let view = h.state().viewport.unwrap();
    let controls = h.get_by_label("Function").rect();
    for size in [egui::vec2(1.0, 1.0), egui::vec2(300.0, 200.0)] {
        h.set_size(size);
        let _ = h.run_ok();
    }
    h.set_size(egui::vec2(1280.0, 800.0));
    settle(&mut h);
    settle(&mut h);
    assert_eq!(h.state().viewport.unwrap(), view);
    assert_eq!(h.get_by_label("Function").rect(), controls);
    assert_eq!(h.state().model.state.layout, AppState::default().layout);
}

#[test]
fn a_dragged_panel_width_is_remembered_and_never_squeezes_the_view() {
    let mut h = harness(AppState::default());
    settle(&mut h);
    let at = |x: f32| egui::pos2(x, 600.0);
    // The panel's edge, just inside it.
    let start = h.state().viewport.unwrap().left() - 2.0;
    h.hover_at(at(start));
    h.run();
    h.drag_at(at(start));
    h.run();
    h.hover_at(at(start - 60.0));
    h.run();
    h.drop_at(at(start - 60.0));
    settle(&mut h);
    let narrower = h.state().model.state.layout.left_width;
    assert!(narrower < 300.0, "dragged to {narrower}");
    // Saved with the session.
    let saved = serde_json::to_string(&h.state().model.state).unwrap();
    let back: AppState = serde_json::from_str(&saved).unwrap();
    assert_eq!(back.layout.left_width, narrower);
    // Dragged far to the right, the panel stops where the view would have less than half.
    let start = h.state().viewport.unwrap().left() - 2.0;
    h.hover_at(at(start));
    h.run();
    h.drag_at(at(start));
    h.run();
    h.hover_at(at(start + 500.0));
    h.run();
    h.drop_at(at(start + 500.0));
    settle(&mut h);
    assert!(view_share(&h, 1280.0) >= 0.5);
}

fn field_is_invalid(h: &Harness<'static, TestApp>, name: &str) -> bool {
    h.get_by_role_and_label(Role::SpinButton, name)
        .accesskit_node()
        .data()
        .invalid()
        .is_some()
}

#[test]
fn a_refused_field_is_red_until_a_valid_edit_even_of_the_kept_value() {
    let mut h = one_sgd_run();
    assert!(!field_is_invalid(&h, "learning rate"));
    type_into(&mut h, "learning rate", "-1", true);
    assert_eq!(
        h.state().model.state.runs[0].hyper.lr,
        0.01,
        "refused, kept"
    );
    assert!(field_is_invalid(&h, "learning rate"), "the refusal shows");
    // The kept value typed back is a valid edit: the field is no longer marked.
    type_into(&mut h, "learning rate", "0.01", true);
    settle(&mut h);
    assert!(!field_is_invalid(&h, "learning rate"));
    assert_eq!(
        notice(&h),
        None,
        "the stale refusal is gone from the status line"
    );
    // And so is a value equal to it written otherwise.
    type_into(&mut h, "learning rate", "-2", true);
    assert!(field_is_invalid(&h, "learning rate"));
    type_into(&mut h, "learning rate", "0.0100", true);
    settle(&mut h);
    assert!(!field_is_invalid(&h, "learning rate"));
}

#[test]
fn a_lesson_shows_no_swarm_and_close_brings_the_users_back() {
    let mut mine = my_scene();
    mine.swarm.balls = true;
    mine.swarm.basins = true;
    let mut h = harness(mine.clone());
    settle(&mut h);
    open_lesson(&mut h, 14);
    let swarm = h.state().model.state.swarm;
    assert!(
        !swarm.balls && !swarm.basins && !swarm.sweep,
        "the lesson's own scene only: {swarm:?}"
    );
    click_settled(&mut h, "× Close");
    let swarm = h.state().model.state.swarm;
    assert!(swarm.balls && swarm.basins, "mine again: {swarm:?}");
}
