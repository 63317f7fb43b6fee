//! The egui panels over a [`Model`] (function, runs, playback, display, plot) and the 3-D
//! viewport's gestures. Knows no winit: the app hands in a `Ui` and draws the scene into the
//! rect that [`show`] returns, so the same code runs under egui_kittest.

mod contour_map;
mod data_panel;
mod data_view;
mod export;
mod file_menu;
mod function_panel;
mod help;
mod inspector;
pub mod layout;
mod model;
mod notebook;
mod number_field;
mod playback_panel;
mod plot;
mod plot_scale;
mod run_options;
mod run_table;
mod runs_panel;
mod steps;
pub mod swarm;
mod viewport;

// The plots' ticks are the figures'; the panels' plots read them here.
use crate::figure::ticks;

pub use data_panel::{OPEN_DATA, OPEN_DATA_TITLE, OpenData};
pub use data_view::{DATA_VIEW_ID, data_view_transform, line_handles};
pub use export::{GIF_FRAMES, ImageExport, TrajectoryFormat, write_new};
pub use file_menu::{OPEN_TITLE, SAVE_AS_TITLE};
pub use help::{ABOUT_TITLE, GpuAbout, SHORTCUTS, SHORTCUTS_TITLE};
pub use inspector::NO_DERIVATIVE;
pub use model::Model;
pub use notebook::{
    GLIDE_SECS, LESSONS, Lesson, LessonData, NotebookMode, NotebookState, RiseRun, apply_lesson,
    f_plot_transform, format_value, lesson_menu_label, rise_run, secant_h, tangent_equation,
};
pub use plot::{plot_bounds, plot_rect};
pub use steps::{RULES_TITLE, SHOW_STEPS};
// The workspace's types under their old names here, for `app/` and `tests/`.
pub use crate::workspace::{
    AppState, CONTOUR_LEVELS, CONVERGED_TOL, CameraState, DEFAULT_MAX_STEPS, DEFAULT_PRESET,
    DataField, DataProblem, DataSpec, DisplayToggles, DomainState, GRID_SIDES, HISTORY_LIMIT,
    LoadedData, MAX_RUNS, NextStep, Playback, PointAt, RunConfig, RunOutcome, SCENE_EXTENSION,
    SPEED_RANGE, STATE_VERSION, SceneFile, check_domain, command_line, default_start,
    describe_outcome, domain_of, parse_scene, read_scene, repair_state, same_scene, scene_file,
};

/// The notebook's 1-D view (f, its tangent or secant, f′, f″) alone, as a figure for drawing
/// offscreen: a title line when given, then the plots, their labels and readings, without the
/// app's controls.
pub fn notebook_view(ui: &mut egui::Ui, model: &mut Model, title: Option<&str>) {
    crate::figure::notebook::figure(ui, &model.workspace, title);
}

/// Where the start point's ball is drawn in a viewport `rect`, in points (for scripted drags
/// in the app's benchmark).
pub fn start_ball_position(model: &Model, rect: egui::Rect) -> Option<egui::Pos2> {
    viewport::start_ball_px(model, rect, rect.width() / rect.height())
}

/// Where the first run's learning-rate slider was last drawn, in points (for the scripted
/// slider drag in benches/app_basins.sh): a point on its rail near the left end.
pub fn first_lr_slider_position(ctx: &egui::Context) -> Option<egui::Pos2> {
    ctx.data(|d| d.get_temp::<egui::Rect>(runs_panel::first_lr_slider_id()))
        .map(|rect| egui::pos2(rect.left() + 8.0, rect.center().y))
}

/// The most steps a run may take (the max-steps field's upper end).
pub(crate) fn model_max_steps() -> usize {
    crate::workspace::MAX_STEPS
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

/// Ctrl+Z (⌘Z): undo the last change to the scene.
pub const UNDO: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
/// Ctrl+Shift+Z (⇧⌘Z): redo.
pub const REDO: egui::KeyboardShortcut = egui::KeyboardShortcut::new(
    egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
    egui::Key::Z,
);
/// Ctrl+Q (⌘Q): quit, saving the session.
pub const QUIT: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Q);
/// Ctrl+Y: redo, as on Windows.
pub const REDO_Y: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Y);

/// The Edit menu: undo and redo, each saying what it would change.
fn edit_menu(ui: &mut egui::Ui, model: &mut Model) {
    ui.menu_button("Edit", |ui| {
        let undo = model.undo_label();
        if history_button(ui, "Undo", undo, model.can_undo(), &UNDO) {
            model.undo();
        }
        let redo = model.redo_label();
        if history_button(ui, "Redo", redo, model.can_redo(), &REDO) {
            model.redo();
        }
    })
    .response
    .on_hover_text(
        "Undo and redo any change to the scene: function, domain, start, runs, view, lessons.",
    );
}

/// An Undo or Redo entry, naming what it would change (`Undo start change`) where it knows.
/// Returns whether it was clicked.
fn history_button(
    ui: &mut egui::Ui,
    verb: &str,
    what: Option<&str>,
    enabled: bool,
    shortcut: &egui::KeyboardShortcut,
) -> bool {
    let text = match what {
        Some(what) => format!("{verb} {what} change"),
        None => verb.to_string(),
    };
    let shortcut_text = ui.ctx().format_shortcut(shortcut);
    ui.add_enabled(
        enabled,
        egui::Button::new(text).shortcut_text(shortcut_text),
    )
    .clicked()
}

/// The menus: File, Edit, Lessons, View (display toggles), Export, Rules and Help. A menu stays open while its
/// toggles are clicked, and closes on a click outside it.
fn menu_bar(ui: &mut egui::Ui, model: &mut Model) {
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::MenuBar::new().config(config).ui(ui, |ui| {
        file_menu::menu(ui, model);
        edit_menu(ui, model);
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
        help::menu(ui, model);
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
    side_panels(ui, model);
    // A 1-D function gets the notebook's own f / f′ layout instead of the 3-D scene.
    let (viewport_rect, central) = if model.dims() == 1 {
        let central = egui::CentralPanel::default().show(ui, |ui| notebook::central_1d(ui, model));
        (None, central.response.rect)
    } else {
        let central = egui::CentralPanel::no_frame().show(ui, |ui| viewport::show(ui, model));
        (central.inner, central.response.rect)
    };
    model.view_rect = Some(central);
    steps::rules_window(ui.ctx());
    help::windows(ui.ctx(), model);
    file_menu::dialog(ui.ctx(), model);
    data_panel::dialog(ui.ctx(), model);
    if model.state.playback.playing || notebook::animating(model) || model.swarm.busy {
        ui.ctx().request_repaint();
    }
    settle(ui.ctx(), model);
    UiOutput { viewport_rect }
}

/// Ends the frame's interaction for the undo history: once no button is held and nothing is
/// being typed, a changed scene becomes one undo step.
fn settle(ctx: &egui::Context, model: &mut Model) {
    let pointer_down = ctx.input(|i| i.pointer.any_down());
    if !pointer_down && !ctx.text_edit_focused() {
        model.settle_history();
    }
}

/// Tracks whether the central view has the keyboard: the last press landed in it (not on a
/// window or menu over it), or the pointer is over it now.
fn track_view_keys(ctx: &egui::Context, model: &mut Model) {
    let Some(rect) = model.view_rect else {
        model.view_has_keys = false;
        return;
    };
    let on_view = |p: egui::Pos2| {
        rect.contains(p)
            && ctx
                .layer_id_at(p)
                .is_none_or(|layer| layer.order == egui::Order::Background)
    };
    let (pressed_at, hover) = ctx.input(|i| {
        let pressed = i.pointer.any_pressed().then(|| i.pointer.press_origin());
        (pressed.flatten(), i.pointer.hover_pos())
    });
    if let Some(p) = pressed_at {
        model.view_focused = on_view(p);
    }
    model.view_has_keys = model.view_focused || hover.is_some_and(on_view);
}

/// Inputs on the left, what they lead to on the right (in tabs), the view between with at least
/// half the width; in a narrow window, one panel whose tabs start with the controls.
fn side_panels(ui: &mut egui::Ui, model: &mut Model) {
    use layout::PanelTab;
    let available = ui.available_width();
    let (left_width, right_width) = layout::panel_widths(&model.state.layout, available);
    let budget = layout::budget(available);
    let mut analysis_tabs = vec![PanelTab::Inspector, PanelTab::Plots];
    if model.data().is_some() {
        analysis_tabs.insert(0, PanelTab::Data);
    }
    if model.dims() == 2 {
        analysis_tabs.push(PanelTab::Slices);
    }
    analysis_tabs.push(PanelTab::Sweep);
    layout::forget_panel_size(ui, "controls");
    let left_max = (budget - right_width.unwrap_or(0.0)).max(1.0);
    let left = egui::Panel::left("controls")
        .default_size(left_width)
        .size_range(left_width.min(60.0)..=left_max)
        .resizable(true)
        .show(ui, |ui| match right_width {
            Some(_) => controls(ui, model),
            None => {
                let mut tabs = vec![PanelTab::Controls];
                tabs.extend(&analysis_tabs);
                let mut tab = layout::shown_tab(model.state.layout.narrow_tab, &tabs);
                layout::tab_row(ui, &mut tab, &tabs);
                model.state.layout.narrow_tab = tab;
                match tab {
                    PanelTab::Controls => controls(ui, model),
                    tab => analysis(ui, model, tab),
                }
            }
        });
    let drawn = left.response.rect.width();
    if layout::resizing(ui, "controls") {
        model.state.layout.left_width = drawn;
    }
    if let Some(right_width) = right_width {
        layout::forget_panel_size(ui, "analysis");
        let right_max = (budget - drawn).max(1.0);
        let right = egui::Panel::right("analysis")
            .default_size(right_width)
            .size_range(right_width.min(60.0)..=right_max)
            .resizable(true)
            .show(ui, |ui| {
                let mut tab = layout::shown_tab(model.state.layout.tab, &analysis_tabs);
                layout::tab_row(ui, &mut tab, &analysis_tabs);
                if tab != layout::shown_tab(model.state.layout.tab, &analysis_tabs) {
                    model.state.layout.tab = tab;
                }
                analysis(ui, model, tab);
            });
        let drawn = right.response.rect.width();
        if layout::resizing(ui, "analysis") {
            model.state.layout.right_width = drawn;
        }
    }
}

/// The inputs: function, runs, basins and swarm, playback.
fn controls(ui: &mut egui::Ui, model: &mut Model) {
    egui::ScrollArea::both()
        .id_salt("controls scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            function_panel::show(ui, model);
            ui.separator();
            if model.data().is_some() {
                data_panel::show(ui, model);
                ui.separator();
            }
            runs_panel::show(ui, model);
            ui.separator();
            swarm::section(ui, model);
            ui.separator();
            playback_panel::show(ui, model);
            // Room for a horizontal scroll bar, which floats over the last row.
            ui.add_space(16.0);
        });
}

/// One tab of what the inputs lead to.
fn analysis(ui: &mut egui::Ui, model: &mut Model, tab: layout::PanelTab) {
    use layout::PanelTab;
    // Scrolled both ways: content wider than the panel (a long row of numbers in a narrow
    // window) must not push the panel's edge off the window.
    egui::ScrollArea::both()
        .id_salt(("analysis scroll", tab))
        .auto_shrink([false, false])
        .show(ui, |ui| match tab {
            PanelTab::Controls | PanelTab::Inspector => inspector::show(ui, model),
            PanelTab::Plots => plot::show(ui, model),
            PanelTab::Slices => notebook::slices_section(ui, model),
            PanelTab::Sweep => swarm::sweep_section(ui, model),
            PanelTab::Data => data_view::show(ui, model),
        });
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

/// Ctrl+Z undo, Ctrl+Shift+Z / Ctrl+Y redo, Esc closes a lesson (back to the scene before it),
/// Space play/pause, ←/→ step, R reset, F fit, B basins, S swarm — unless a text field has the
/// keyboard, where those keys are typing (and Ctrl+Z is the field's own undo). 1–9 pick presets
/// only while the view has the keyboard (pointer over it, or last clicked), or with Alt or Ctrl:
/// a digit typed after a click that missed a text field must not replace the scene.
fn keyboard(ui: &mut egui::Ui, model: &mut Model) {
    track_view_keys(ui.ctx(), model);
    // Quitting works even while typing: the field's text is part of the saved session.
    if ui.input_mut(|i| i.consume_shortcut(&QUIT)) {
        model.quit_requested = true;
    }
    if ui.ctx().egui_wants_keyboard_input() {
        return;
    }
    help::keys(ui, model);
    file_menu::keys(ui, model);
    data_panel::keys(ui, model);
    use egui::Key;
    if ui.input_mut(|i| i.consume_shortcut(&REDO) || i.consume_shortcut(&REDO_Y)) {
        model.redo();
    }
    if ui.input_mut(|i| i.consume_shortcut(&UNDO)) {
        model.undo();
    }
    // Esc closes what is on top: a menu (egui's own), a help window, then a lesson.
    let popup_open = egui::Popup::is_any_open(ui.ctx());
    let help_open = model.help.shortcuts || model.help.about;
    if !popup_open
        && (help_open || model.state.notebook.lesson.is_some())
        && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape))
    {
        if help_open {
            model.help = Default::default();
        } else {
            notebook::close_lesson(model);
        }
    }
    let (command, alt) = ui.input(|i| (i.modifiers.command, i.modifiers.alt));
    let digits_allowed = model.view_has_keys || command || alt;
    if command || alt {
        // Ctrl+digit picks a preset below; no single-letter shortcut fires under a modifier.
        preset_keys(ui, model);
        return;
    }
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
        let aspect = model.view.last_aspect;
        model.fit_camera(aspect);
    }
    if pressed(Key::B) {
        model.state.swarm.basins = !model.state.swarm.basins;
    }
    if pressed(Key::S) {
        swarm::toggle_balls(model);
    }
    if digits_allowed {
        preset_keys(ui, model);
    }
}

/// 1–9: the first nine 2-D presets.
fn preset_keys(ui: &egui::Ui, model: &mut Model) {
    use egui::Key;
    let pressed = |key| ui.input(|i| i.key_pressed(key));
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

/// The context's look, set once before the first frame; figures measure their text in it.
pub use crate::figure::setup_context;

/// The scene's colours as egui's; figures and panels share one conversion.
pub(crate) use crate::figure::color32;
