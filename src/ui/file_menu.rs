//! The File menu: New, Open…, Save, Save As…, Recent, Copy as command, Quit; and the small
//! windows Open… and Save As… use to name a file (a path field, with the scene files of its
//! folder to pick from). Every outcome is said in the status line; a file that cannot be opened
//! leaves the scene as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::Model;
use super::scene_file::{SCENE_EXTENSION, command_line, suggested_name, with_scene_extension};

/// Ctrl+N: a new scene.
pub const NEW: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::N);
/// Ctrl+O: open a scene file.
pub const OPEN: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::O);
/// Ctrl+S: save the scene.
pub const SAVE: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::S);
/// Ctrl+Shift+S: save the scene under another name.
pub const SAVE_AS: egui::KeyboardShortcut = egui::KeyboardShortcut::new(
    egui::Modifiers::COMMAND.plus(egui::Modifiers::SHIFT),
    egui::Key::S,
);

/// The window title of Open….
pub const OPEN_TITLE: &str = "Open a scene";
/// The window title of Save As….
pub const SAVE_AS_TITLE: &str = "Save the scene as";

/// A file window in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct FileDialog {
    pub saving: bool,
    /// The path as typed.
    pub path: String,
    /// Just opened: its field takes the keyboard.
    pub fresh: bool,
    /// The scene files of the folder the path points into, as last read (the folder is read
    /// again when the path moves to another one, or after [`LISTING_MAX_AGE`], not every frame).
    pub listing: Option<Listing>,
}

/// A folder's scene files, and when they were read.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing {
    pub folder: PathBuf,
    pub read_at: Instant,
    pub files: Vec<PathBuf>,
}

/// How long a folder's listing is shown before it is read again (files saved by another
/// program appear within this).
const LISTING_MAX_AGE: Duration = Duration::from_secs(2);

/// A menu entry showing its keyboard shortcut: clicked, it runs `act` and closes the menu.
pub(super) fn entry(
    ui: &mut egui::Ui,
    label: &str,
    shortcut: &egui::KeyboardShortcut,
    hover: Option<&str>,
    act: impl FnOnce(),
) {
    let shortcut = ui.ctx().format_shortcut(shortcut);
    let mut response = ui.add(egui::Button::new(label).shortcut_text(shortcut));
    if let Some(hover) = hover {
        response = response.on_hover_text(hover);
    }
    if response.clicked() {
        act();
        ui.close();
    }
}

pub(super) fn menu(ui: &mut egui::Ui, model: &mut Model) {
    ui.menu_button("File", |ui| {
        let hover = "The default preset, runs and view (Edit → Undo brings yours back).";
        entry(ui, "New scene", &NEW, Some(hover), || new_scene(model));
        entry(ui, "Open…", &OPEN, None, || start_open(model));
        super::data_panel::menu_item(ui, model);
        let hover = match &model.state.scene_file {
            Some(path) => format!("Write the scene to {path}"),
            None => "Name a file for the scene".to_string(),
        };
        entry(ui, "Save", &SAVE, Some(&hover), || save(model));
        entry(ui, "Save As…", &SAVE_AS, None, || start_save_as(model));
        ui.menu_button("Recent", |ui| {
            if model.state.recent_scenes.is_empty() {
                ui.weak("no scene files yet");
            }
            for path in model.state.recent_scenes.clone() {
                let exists = Path::new(&path).exists();
                let button = ui
                    .add_enabled(exists, egui::Button::new(short_name(&path)))
                    .on_hover_text(&path)
                    .on_disabled_hover_text(format!("{path} is no longer there"));
                if button.clicked() {
                    open(model, Path::new(&path));
                    ui.close();
                }
            }
        });
        ui.separator();
        if ui
            .button("Copy as command")
            .on_hover_text(
                "Put a `gradscape open …` line that reproduces this scene on the clipboard.",
            )
            .clicked()
        {
            let line = command_line(&model.state);
            ui.ctx().copy_text(line.clone());
            model.notice = Some((format!("Copied to the clipboard: {line}"), false));
            ui.close();
        }
        ui.separator();
        let hover = "Close gradscape; the session is saved and restored next time.";
        entry(ui, "Quit", &super::QUIT, Some(hover), || {
            model.quit_requested = true
        });
    })
    .response
    .on_hover_text("Scenes to keep and share: new, open, save, recent; copy as a command line.");
}

/// Ctrl+N, Ctrl+O, Ctrl+S, Ctrl+Shift+S.
pub(super) fn keys(ui: &egui::Ui, model: &mut Model) {
    if ui.input_mut(|i| i.consume_shortcut(&SAVE_AS)) {
        start_save_as(model);
    }
    if ui.input_mut(|i| i.consume_shortcut(&SAVE)) {
        save(model);
    }
    if ui.input_mut(|i| i.consume_shortcut(&OPEN)) {
        start_open(model);
    }
    if ui.input_mut(|i| i.consume_shortcut(&NEW)) {
        new_scene(model);
    }
}

fn new_scene(model: &mut Model) {
    model.new_scene();
    model.notice = Some((
        "A new scene (Edit → Undo brings the last one back).".into(),
        false,
    ));
}

/// The folder new files go to: the current scene file's, else the export folder, else the
/// folder the app was started in.
fn folder(model: &Model) -> PathBuf {
    if let Some(dir) = model
        .state
        .scene_file
        .as_deref()
        .and_then(|p| Path::new(p).parent())
        .filter(|d| !d.as_os_str().is_empty())
    {
        return dir.to_path_buf();
    }
    if !model.state.export_dir.trim().is_empty() {
        return PathBuf::from(model.state.export_dir.trim());
    }
    PathBuf::from(".")
}

fn start_open(model: &mut Model) {
    let path = folder(model).join("").display().to_string();
    model.file_dialog = Some(FileDialog {
        saving: false,
        path,
        fresh: true,
        listing: None,
    });
}

fn start_save_as(model: &mut Model) {
    let name = model.state.scene_file.clone().unwrap_or_else(|| {
        folder(model)
            .join(suggested_name(&model.state))
            .display()
            .to_string()
    });
    model.file_dialog = Some(FileDialog {
        saving: true,
        path: name,
        fresh: true,
        listing: None,
    });
}

/// Save: to the scene's file, or ask for one.
fn save(model: &mut Model) {
    match model.state.scene_file.clone() {
        Some(path) => {
            save_to(model, Path::new(&path));
        }
        None => start_save_as(model),
    }
}

/// Opens `path`, saying how it went.
pub(super) fn open(model: &mut Model, path: &Path) -> bool {
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let path = shown.as_path();
    let outcome = model.open_scene_file(path).map_err(|why| {
        format!(
            "Could not open {}: {why}. Your scene is as it was.",
            path.display()
        )
    });
    tell(
        model,
        outcome,
        format!("Opened the scene {}", path.display()),
    )
}

/// Puts how a file operation went in the status line (`done`, or the error as an error);
/// true when it went well.
fn tell(model: &mut Model, outcome: Result<(), String>, done: String) -> bool {
    let ok = outcome.is_ok();
    model.notice = Some(match outcome {
        Ok(()) => (done, false),
        Err(message) => (message, true),
    });
    ok
}

fn save_to(model: &mut Model, path: &Path) -> bool {
    let shown = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let path = shown.as_path();
    let outcome = model
        .save_scene_file(path)
        .map_err(|why| format!("Could not save the scene to {}: {why}", path.display()));
    tell(
        model,
        outcome,
        format!("Saved the scene to {}", path.display()),
    )
}

/// The last part of a path, for menus.
fn short_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The folder a typed path points into: itself if it is one, else its parent (or `.`).
fn folder_of(typed: &str) -> PathBuf {
    let typed = Path::new(typed.trim());
    if typed.is_dir() {
        typed.to_path_buf()
    } else {
        typed
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// Why the typed path names no file to open or save (a folder, or nothing but a folder's
/// path), if it does not.
pub fn missing_file_name(typed: &str) -> Option<String> {
    let trimmed = typed.trim();
    let ends_in_separator = trimmed.ends_with('/') || trimmed.ends_with(std::path::MAIN_SEPARATOR);
    if trimmed.is_empty() || ends_in_separator || Path::new(trimmed).is_dir() {
        Some("Type a file name after the folder.".into())
    } else {
        None
    }
}

/// The scene files of `dialog`'s folder, read again when the folder changed or the listing is
/// older than [`LISTING_MAX_AGE`].
fn refresh_listing(dialog: &mut FileDialog, now: Instant) {
    let folder = folder_of(&dialog.path);
    let fresh = dialog.listing.as_ref().is_some_and(|l| {
        l.folder == folder && now.saturating_duration_since(l.read_at) < LISTING_MAX_AGE
    });
    if !fresh {
        dialog.listing = Some(Listing {
            files: scene_files_in(&folder),
            folder,
            read_at: now,
        });
    }
}

/// Scene files in `dir`, sorted by name (the first 50).
fn scene_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(SCENE_EXTENSION))
        .collect();
    files.sort();
    files.truncate(50);
    files
}

/// The Open… or Save As… window, while one is open.
pub(super) fn dialog(ctx: &egui::Context, model: &mut Model) {
    let Some(mut dialog) = model.file_dialog.clone() else {
        return;
    };
    let title = if dialog.saving {
        SAVE_AS_TITLE
    } else {
        OPEN_TITLE
    };
    let mut open_window = true;
    let mut done = false;
    let mut chosen: Option<PathBuf> = None;
    egui::Window::new(title)
        .open(&mut open_window)
        .collapsible(false)
        .resizable(true)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .default_width(460.0)
        .show(ctx, |ui| {
            let label = ui.label("file");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut dialog.path)
                        .desired_width(f32::INFINITY)
                        .hint_text(format!("name{SCENE_EXTENSION}")),
                )
                .labelled_by(label.id);
            if dialog.fresh {
                field.request_focus();
                dialog.fresh = false;
            }
            let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let target = with_scene_extension(&dialog.path);
            let no_name = missing_file_name(&dialog.path);
            if let Ok(absolute) = std::path::absolute(&target)
                && no_name.is_none()
            {
                ui.weak(format!("→ {}", absolute.display()));
            }
            if let Some(why) = &no_name {
                ui.colored_label(ui.visuals().warn_fg_color, why);
            }
            let named = no_name.is_none();
            if dialog.saving {
                let exists = named && target.exists();
                if exists {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{} exists: Save replaces it.", target.display()),
                    );
                }
                ui.horizontal(|ui| {
                    let text = if exists { "Replace" } else { "Save" };
                    if ui.add_enabled(named, egui::Button::new(text)).clicked()
                        || (entered && named)
                    {
                        chosen = Some(target.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
            } else {
                ui.horizontal(|ui| {
                    if ui.add_enabled(named, egui::Button::new("Open")).clicked()
                        || (entered && named)
                    {
                        chosen = Some(target.clone());
                    }
                    if ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
            }
            refresh_listing(&mut dialog, Instant::now());
            let nearby = dialog
                .listing
                .as_ref()
                .map(|l| l.files.clone())
                .unwrap_or_default();
            if !nearby.is_empty() {
                ui.separator();
                ui.weak("scene files here:");
                egui::ScrollArea::vertical()
                    .max_height(160.0)
                    .show(ui, |ui| {
                        for file in nearby {
                            if ui.link(short_name(&file.display().to_string())).clicked() {
                                if dialog.saving {
                                    dialog.path = file.display().to_string();
                                } else {
                                    chosen = Some(file);
                                }
                            }
                        }
                    });
            }
        });
    if let Some(path) = chosen {
        let ok = if dialog.saving {
            save_to(model, &path)
        } else {
            open(model, &path)
        };
        // A failure keeps the window, with the reason in the status line.
        done |= ok;
    }
    model.file_dialog = (open_window && !done).then_some(dialog);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_or_nothing_is_no_file_name() {
        let dir = std::env::temp_dir();
        for typed in ["", "  ", "scenes/", &dir.display().to_string()] {
            assert!(missing_file_name(typed).is_some(), "{typed:?}");
        }
        for typed in ["x", "scenes/rosenbrock", "a.gradscape.json"] {
            assert_eq!(missing_file_name(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn the_folder_is_listed_once_and_again_when_it_changes_or_ages() {
        let dir = std::env::temp_dir().join(format!("gradscape-listing-{}", std::process::id()));
        let other = dir.join("other");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(dir.join(format!("a{SCENE_EXTENSION}")), "{}").unwrap();
        let mut dialog = FileDialog {
            saving: false,
            path: dir.join("b").display().to_string(),
            fresh: false,
            listing: None,
        };
        let t0 = Instant::now();
        refresh_listing(&mut dialog, t0);
        let first = dialog.listing.clone().unwrap();
        assert_eq!(first.files, vec![dir.join(format!("a{SCENE_EXTENSION}"))]);
        // A file appearing is not seen within the listing's age (no folder read per frame)…
        std::fs::write(dir.join(format!("c{SCENE_EXTENSION}")), "{}").unwrap();
        refresh_listing(&mut dialog, t0 + Duration::from_millis(500));
        assert_eq!(dialog.listing.as_ref(), Some(&first));
        // …but after it,
        refresh_listing(&mut dialog, t0 + LISTING_MAX_AGE);
        assert_eq!(dialog.listing.as_ref().unwrap().files.len(), 2);
        // and at once in another folder.
        dialog.path = other.join("x").display().to_string();
        refresh_listing(&mut dialog, t0 + LISTING_MAX_AGE);
        let listing = dialog.listing.as_ref().unwrap();
        assert_eq!((listing.folder.clone(), listing.files.len()), (other, 0));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
