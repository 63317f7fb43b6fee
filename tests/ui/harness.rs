//! The one kittest harness the panel tests share: the app's UI at a size, on wgpu, with the
//! app's own fonts and style, over a bare `Model` or over a `TestApp` that also keeps the
//! viewport rectangle the frame reported; and the gestures the tests repeat (a click, a drag,
//! typing over a field), each with the frames a person's gesture gets.

use egui_kittest::{Harness, kittest::Queryable};
use gradscape::optim::OptimizerKind;
use gradscape::ui::{AppState, LESSONS, Model, RunConfig};

/// The model plus what the frame reported, so tests can aim at the viewport.
pub struct TestApp {
    pub model: Model,
    pub viewport: Option<egui::Rect>,
}

/// The default preset with `runs` (optimizer and learning rate), numbered in order.
pub fn state_with_runs(runs: &[(OptimizerKind, f64)]) -> AppState {
    AppState {
        runs: runs
            .iter()
            .enumerate()
            .map(|(index, &(kind, lr))| RunConfig::new(kind, lr, index))
            .collect(),
        ..AppState::default()
    }
}

/// The UI over `model` alone, `width`×`height` points.
pub fn model_harness(model: Model, width: f32, height: f32) -> Harness<'static, Model> {
    Harness::builder()
        .with_size(egui::vec2(width, height))
        .wgpu()
        .with_context_setup(gradscape::ui::setup_context)
        .build_ui_state(
            |ui, model: &mut Model| {
                gradscape::ui::show(ui, model);
            },
            model,
        )
}

/// The UI over a fresh model of `state`, keeping the viewport each frame reports.
pub fn app_harness(state: AppState, size: egui::Vec2) -> Harness<'static, TestApp> {
    Harness::builder()
        .with_size(size)
        .wgpu()
        .with_context_setup(gradscape::ui::setup_context)
        .build_ui_state(
            |ui, app: &mut TestApp| {
                app.viewport = gradscape::ui::show(ui, &mut app.model).viewport_rect;
            },
            TestApp {
                model: Model::new(state),
                viewport: None,
            },
        )
}

/// Renders the frame (failing without an adapter) and, where the environment variable `dir`
/// names a folder, saves it there as `name`.png for a person to look at.
pub fn save_snapshot(h: &mut Harness<'static, Model>, dir: &str, name: &str) -> image::RgbaImage {
    let image = h.render().expect("a wgpu adapter renders the UI");
    if let Some(dir) = std::env::var_os(dir) {
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        image.save(&path).expect("the snapshot is written");
    }
    image
}

/// Clicks the widget labelled `label` and runs the frame that answers the click.
pub fn click<S>(h: &mut Harness<'_, S>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Clicks the widgets labelled `labels` in turn (a menu, then its entry), a frame after each.
pub fn click_through<S>(h: &mut Harness<'_, S>, labels: &[&str]) {
    for label in labels {
        click(h, label);
    }
}

/// Drags from `from` to `to` as a hand does: press, move halfway, arrive, release, with a
/// frame after each.
pub fn drag<S>(h: &mut Harness<'_, S>, from: egui::Pos2, to: egui::Pos2) {
    press_and_move(h, from, from + (to - from) * 0.5);
    h.hover_at(to);
    h.run();
    h.drop_at(to);
    h.run();
}

/// The index in `LESSONS` of the first lesson whose title begins with `title` (a whole title
/// begins with itself).
pub fn lesson_index(title: &str) -> usize {
    LESSONS
        .iter()
        .position(|l| l.title.starts_with(title))
        .unwrap_or_else(|| panic!("no lesson is titled {title:?}"))
}

/// Hovers at `from`, presses there and moves to `to` with the button held, with a frame after
/// each: the first half of a drag, for tests that look at what shows while it goes on.
pub fn press_and_move<S>(h: &mut Harness<'_, S>, from: egui::Pos2, to: egui::Pos2) {
    press(h, from);
    h.hover_at(to);
    h.run();
}

/// Hovers at `at` and presses there, with a frame after each.
fn press<S>(h: &mut Harness<'_, S>, at: egui::Pos2) {
    h.hover_at(at);
    h.run();
    h.drag_at(at);
    h.run();
}

/// Focuses the field labelled `label`, selects all it holds and types `text` over it, with a
/// frame after each.
pub fn retype<S>(h: &mut Harness<'_, S>, label: &str, text: &str) {
    select_all_in(h, label);
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Focuses the field labelled `label` and selects all it holds, with a frame after each.
pub fn select_all_in<S>(h: &mut Harness<'_, S>, label: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
}

/// Hovers at `at`, presses and releases there, with a frame after the hover and the press:
/// a click as egui sees one that might start a drag. The caller runs the frame that answers
/// the release.
pub fn press_and_release<S>(h: &mut Harness<'_, S>, at: egui::Pos2) {
    press(h, at);
    h.drop_at(at);
}
