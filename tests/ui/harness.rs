//! The one kittest harness the panel tests share: the app's UI at a size, on wgpu, with the
//! app's own fonts and style, over a bare `Model` or over a `TestApp` that also keeps the
//! viewport rectangle the frame reported.

use egui_kittest::Harness;
use gradscape::ui::{AppState, Model};

/// The model plus what the frame reported, so tests can aim at the viewport.
pub struct TestApp {
    pub model: Model,
    pub viewport: Option<egui::Rect>,
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
