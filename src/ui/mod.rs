//! The egui panels over a [`Model`] (function, runs, playback, display, plot) and the 3-D
//! viewport's gestures. Knows no winit: the app hands in a `Ui` and draws the scene into the
//! rect that [`show`] returns, so the same code runs under egui_kittest.

mod contour_map;
mod export;
mod function_panel;
mod inspector;
mod model;
mod notebook;
mod playback_panel;
mod plot;
mod run_options;
mod runs_panel;
mod state;
mod state_check;
mod steps;
pub mod swarm;
pub mod swarm_figure;
pub mod view_annotations;
mod viewport;

pub use export::{GIF_FRAMES, ImageExport, TrajectoryFormat, write_new};
pub use inspector::NO_DERIVATIVE;
pub use model::{
    CONTOUR_LEVELS, CONVERGED_TOL, Model, NextStep, RunOutcome, check_domain, describe_outcome,
};
pub use notebook::{
    GLIDE_SECS, LESSONS, Lesson, NotebookMode, NotebookState, RiseRun, apply_lesson,
    f_plot_transform, format_value, lesson_menu_label, rise_run, secant_h, tangent_equation,
};
pub use state::{
    AppState, CameraState, DEFAULT_MAX_STEPS, DEFAULT_PRESET, DisplayToggles, DomainState,
    GRID_SIDES, Playback, PointAt, RunConfig, STATE_VERSION, default_start, domain_of,
};
pub use state_check::{MAX_RUNS, SPEED_RANGE, repair as repair_state};
pub use steps::{RULES_TITLE, SHOW_STEPS};

/// The notebook's 1-D view (f, its tangent or secant, f′, f″) alone, as a figure for drawing
/// offscreen: a title line when given, then the plots, their labels and readings, without the
/// app's controls.
pub fn notebook_view(ui: &mut egui::Ui, model: &mut Model, title: Option<&str>) {
    if let Some(title) = title {
        ui.label(
            egui::RichText::new(title)
                .size(16.0)
                .color(egui::Color32::from_gray(35)),
        );
        ui.add_space(4.0);
    }
    notebook::figure_1d(ui, model);
}

/// Where the start point's ball is drawn in a viewport `rect`, in points (for scripted drags
/// in the app's benchmark).
pub fn start_ball_position(model: &Model, rect: egui::Rect) -> Option<egui::Pos2> {
    viewport::start_ball_px(model, rect, rect.width() / rect.height())
}

/// The presets keys 1–9 switch to: the first nine 2-D ones in catalog order.
pub fn hotkey_presets() -> Vec<&'static crate::presets::Preset> {
    crate::presets::catalog()
        .iter()
        .filter(|p| p.dims() == 2)
        .take(9)
        .collect()
}

/// What the frame needs from the UI besides the model's own changes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UiOutput {
    /// Where the 3-D scene goes, in points; None when the central area has no room.
    pub viewport_rect: Option<egui::Rect>,
}

/// Width of the controls panel, in points.
pub const PANEL_WIDTH: f32 = 340.0;
/// Width of the inspector-and-plots panel, in points.
pub const ANALYSIS_WIDTH: f32 = 300.0;

/// The menus: Lessons, View (display toggles) and Export. A menu stays open while its toggles are
/// clicked, and closes on a click outside it.
fn menu_bar(ui: &mut egui::Ui, model: &mut Model) {
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::MenuBar::new().config(config).ui(ui, |ui| {
        notebook::lessons_menu(ui, model);
        ui.menu_button("View", |ui| playback_panel::display(ui, model))
            .response
            .on_hover_text("What the 3-D view draws: tangent plane, contours, colormap, grid…");
        ui.menu_button("Export", |ui| export::show(ui, model))
            .response
            .on_hover_text("Save the view as PNG or GIF, or the runs as CSV or JSON.");
        if ui
            .button(steps::RULES_TITLE)
            .on_hover_text("The table of differentiation rules, each with why it holds.")
            .clicked()
        {
            steps::open_rules(ui.ctx(), None);
        }
    });
}

/// One frame of the whole UI: keyboard shortcuts, the controls panel on the left, the viewport
/// filling the rest. Advances playback by this frame's time and asks for another frame while
/// something moves.
pub fn show(ui: &mut egui::Ui, model: &mut Model) -> UiOutput {
    keyboard(ui, model);
    let dt_secs = f64::from(ui.input(|i| i.stable_dt));
    model.tick(dt_secs);
    egui::Panel::top("menu bar").show(ui, |ui| {
        menu_bar(ui, model);
        notebook::lesson_caption(ui, model);
    });
    if model.notice.is_some() {
        egui::Panel::bottom("status line").show(ui, |ui| notice(ui, model));
    }
    // Inputs on the left, what they lead to on the right, the surface between.
    egui::Panel::left("controls")
        .default_size(PANEL_WIDTH)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                function_panel::show(ui, model);
                ui.separator();
                runs_panel::show(ui, model);
                ui.separator();
                swarm::section(ui, model);
                ui.separator();
                playback_panel::show(ui, model);
            });
        });
    egui::Panel::right("analysis")
        .default_size(ANALYSIS_WIDTH)
        .resizable(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                inspector::show(ui, model);
                ui.separator();
                swarm::sweep_section(ui, model);
                ui.separator();
                plot::show(ui, model);
                if model.dims() == 2 {
                    ui.separator();
                    notebook::slices_section(ui, model);
                }
            });
        });
    // A 1-D function gets the notebook's own f / f′ layout instead of the 3-D scene.
    let viewport_rect = if model.dims() == 1 {
        egui::CentralPanel::default().show(ui, |ui| notebook::central_1d(ui, model));
        None
    } else {
        egui::CentralPanel::no_frame()
            .show(ui, |ui| viewport::show(ui, model))
            .inner
    };
    steps::rules_window(ui.ctx());
    if model.state.playback.playing || notebook::animating(model) || model.swarm.busy {
        ui.ctx().request_repaint();
    }
    UiOutput { viewport_rect }
}

/// The last export's or domain edit's outcome, until dismissed.
fn notice(ui: &mut egui::Ui, model: &mut Model) {
    let Some((text, is_error)) = model.notice.clone() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        if is_error {
            ui.colored_label(ui.visuals().error_fg_color, text);
        } else {
            ui.label(text);
        }
        if ui.small_button("×").on_hover_text("Dismiss.").clicked() {
            model.notice = None;
        }
    });
}

/// Space play/pause, ←/→ step, R reset, F fit, B basins, S swarm, 1–9 presets — unless a text field has the
/// keyboard, where those keys are typing.
fn keyboard(ui: &mut egui::Ui, model: &mut Model) {
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    use egui::Key;
    let pressed = |key| ui.input(|i| i.key_pressed(key));
    if pressed(Key::Space) {
        model.toggle_play();
    }
    if pressed(Key::ArrowRight) {
        model.step_forward();
    }
    if pressed(Key::ArrowLeft) {
        model.step_back();
    }
    if pressed(Key::R) {
        model.reset();
    }
    if pressed(Key::F) {
        model.fit_camera(model.last_aspect);
    }
    if pressed(Key::B) {
        model.state.swarm.basins = !model.state.swarm.basins;
    }
    if pressed(Key::S) {
        swarm::toggle_balls(model);
    }
    let digits = [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ];
    let presets = hotkey_presets();
    for (key, preset) in digits.into_iter().zip(presets) {
        if pressed(key) {
            model.apply_preset(preset);
        }
    }
}

/// Prepares a context for [`show`] before its first frame: a light theme (the scene's background
/// is white) and Hack, egui's monospace font, as the fallback of the proportional family, since
/// Ubuntu-Light lacks the arrows and ∇, ‖, ⁻ that labels and optimizer descriptions use.
pub fn setup_context(ctx: &egui::Context) {
    ctx.set_visuals(egui::Visuals::light());
    let mut fonts = egui::FontDefinitions::default();
    let monospace = fonts
        .families
        .get(&egui::FontFamily::Monospace)
        .cloned()
        .unwrap_or_default();
    let proportional = fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default();
    for name in monospace {
        if !proportional.contains(&name) {
            proportional.push(name);
        }
    }
    ctx.set_fonts(fonts);
}

/// An sRGB colour in 0..1 as egui's.
pub(crate) fn color32(c: [f32; 4]) -> egui::Color32 {
    let [r, g, b, a] = c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8);
    egui::Color32::from_rgba_unmultiplied(r, g, b, a)
}
