//! Help: the sheet of keyboard shortcuts and mouse gestures (F1 or ?), the About window
//! (version, the GPU adapter and backend in use), and the Help menu that opens both.

use super::Model;

/// The shortcuts-and-gestures window's title.
pub const SHORTCUTS_TITLE: &str = "Keyboard and mouse";
/// The About window's title.
pub const ABOUT_TITLE: &str = "About gradscape";

/// The GPU the app draws with, for About (the UI has no GPU of its own: the app hands it in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GpuAbout {
    pub adapter: String,
    pub backend: String,
    pub device_type: String,
    pub driver: String,
}

/// Every shortcut and gesture, grouped, as (keys, what they do).
pub const SHORTCUTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Anywhere (not while typing in a field)",
        &[
            ("Ctrl+Z", "undo the last change to the scene"),
            ("Ctrl+Shift+Z or Ctrl+Y", "redo"),
            ("Ctrl+N / Ctrl+O", "new scene / open a scene file"),
            (
                "Ctrl+D",
                "open a data set (train a model: f becomes its loss)",
            ),
            ("Ctrl+S / Ctrl+Shift+S", "save the scene / save it as…"),
            ("Ctrl+Q", "quit (the session is saved)"),
            ("F1 or ?", "this sheet"),
            (
                "Esc",
                "close a menu or window; in a lesson: back to your scene",
            ),
            ("Space", "play / pause"),
            ("← / →", "one step back / forward"),
            ("R", "reset playback to step 0"),
            ("F", "fit the camera to the surface"),
            ("B", "basins of attraction on / off"),
            ("S", "roll a swarm of balls / stop it"),
            (
                "1 – 9",
                "pick one of the first nine 2-D presets — with the pointer over the view (or \
                 after clicking it), or with Alt or Ctrl held anywhere",
            ),
        ],
    ),
    (
        "In the 3-D view",
        &[
            (
                "drag the ringed ball",
                "move the start point over the surface",
            ),
            ("left drag", "orbit"),
            ("right or middle drag", "pan"),
            ("wheel", "zoom"),
            ("double-click", "fit the camera"),
            (
                "press or drag on the map",
                "move the start point (seen from above)",
            ),
        ],
    ),
    (
        "In the 1-D plots",
        &[
            ("press or drag", "move point A (where the runs start)"),
            ("press near B", "move B (secant view)"),
        ],
    ),
    (
        "Number fields",
        &[
            ("drag sideways", "change the value live"),
            (
                "click, type, Enter",
                "apply a typed value (leaving the field applies it too)",
            ),
            ("Esc while typing", "cancel the edit"),
            ("↑ / ↓ while typing", "nudge the value"),
        ],
    ),
];

/// The Help menu: the shortcuts sheet and About.
pub(super) fn menu(ui: &mut egui::Ui, model: &mut Model) {
    ui.menu_button("Help", |ui| {
        if ui
            .add(egui::Button::new("Keyboard and mouse…").shortcut_text("F1"))
            .clicked()
        {
            model.help.shortcuts = true;
            ui.close();
        }
        if ui.button("About gradscape…").clicked() {
            model.help.about = true;
            ui.close();
        }
    })
    .response
    .on_hover_text("Every shortcut and gesture; the version and the GPU in use.");
}

/// Which help windows are open (not saved).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HelpWindows {
    pub shortcuts: bool,
    pub about: bool,
}

/// The open help windows.
pub(super) fn windows(ctx: &egui::Context, model: &mut Model) {
    let mut open = model.help.shortcuts;
    let center = ctx.content_rect().center();
    egui::Window::new(SHORTCUTS_TITLE)
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(center)
        .default_width(560.0)
        .default_height(560.0)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, shortcuts_sheet);
        });
    model.help.shortcuts = open;
    let mut open = model.help.about;
    egui::Window::new(ABOUT_TITLE)
        .open(&mut open)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(center)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| about(ui, model));
    model.help.about = open;
}

fn shortcuts_sheet(ui: &mut egui::Ui) {
    for (group, rows) in SHORTCUTS {
        ui.strong(*group);
        egui::Grid::new(*group)
            .num_columns(2)
            .spacing([16.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for (keys, what) in *rows {
                    ui.monospace(*keys);
                    ui.add(egui::Label::new(*what).wrap());
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
    }
}

fn about(ui: &mut egui::Ui, model: &Model) {
    ui.heading(format!("gradscape {}", env!("CARGO_PKG_VERSION")));
    ui.label(env!("CARGO_PKG_DESCRIPTION"));
    ui.add_space(6.0);
    egui::Grid::new("about").num_columns(2).show(ui, |ui| {
        match &model.gpu {
            Some(gpu) => {
                for (name, value) in [
                    ("GPU adapter", &gpu.adapter),
                    ("backend", &gpu.backend),
                    ("device type", &gpu.device_type),
                    ("driver", &gpu.driver),
                ] {
                    ui.label(name);
                    ui.monospace(if value.is_empty() {
                        "—"
                    } else {
                        value.as_str()
                    });
                    ui.end_row();
                }
            }
            None => {
                ui.label("GPU adapter");
                ui.label("not known here (the UI runs without the app's window)");
                ui.end_row();
            }
        }
        ui.label("license");
        ui.label(env!("CARGO_PKG_LICENSE"));
        ui.end_row();
    });
    ui.add_space(6.0);
    ui.weak(
        "The session is saved on exit and restored on start; scenes are saved with File → Save.",
    );
}

/// F1 or ? toggles the shortcuts sheet (not while typing: ? is a character there).
pub(super) fn keys(ui: &egui::Ui, model: &mut Model) {
    let toggled = ui.input_mut(|i| {
        i.consume_key(egui::Modifiers::NONE, egui::Key::F1)
            || i.key_pressed(egui::Key::Questionmark)
            || i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
    });
    if toggled {
        model.help.shortcuts = !model.help.shortcuts;
    }
}
