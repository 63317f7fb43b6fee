//! The course notebook's own views: for a 1-D function, f on top and f′ below (tangent, secant,
//! critical points, the descent balls); in 2-D, the partial-derivative slices; and the lessons
//! menu that opens one scene per figure of the notebook.

mod curve;
mod labels;
mod lessons;
mod secant;
mod slices;
mod view1d;

use serde::{Deserialize, Serialize};

use super::Model;

pub use curve::{format_value, tangent_equation};
pub use lessons::{
    LESSONS, Lesson, LessonData, apply as apply_lesson, menu_label as lesson_menu_label,
};
pub use secant::{GLIDE_SECS, RiseRun, rise_run, secant_h};
pub use view1d::f_plot_transform;

/// Which 1-D scene the central area shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotebookMode {
    /// f with its tangent at A, f′ (and f″) below, critical points, descent balls.
    #[default]
    Tangent,
    /// Two points A and B on f, rise and run, and B gliding toward A.
    Secant,
}

/// What the notebook views remember between frames and sessions. Point A is not here: it is
/// the runs' start point, `AppState::start`, so dragging A also moves where descent begins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotebookState {
    pub mode: NotebookMode,
    /// x_B − x_A before B starts gliding (secant_t = 0); its sign says which side B is on.
    pub b_offset: f64,
    /// How far B has glided toward A: 0 where it started, 1 next to A.
    pub secant_t: f64,
    /// B is gliding on its own (the "Glide" button); the scrub slider stops it.
    pub animating: bool,
    /// Show f″, the rate at which the slope changes, under f′.
    pub show_second: bool,
    /// The lesson whose caption is shown, while its function is still the one on screen.
    pub lesson: Option<usize>,
    /// Show the partial-derivative slices panel in 2-D.
    pub show_slices: bool,
}

impl Default for NotebookState {
    fn default() -> Self {
        Self {
            mode: NotebookMode::Tangent,
            b_offset: 1.0,
            secant_t: 0.0,
            animating: false,
            show_second: false,
            lesson: None,
            show_slices: true,
        }
    }
}

/// The Lessons menu, for the menu bar.
pub fn lessons_menu(ui: &mut egui::Ui, model: &mut Model) {
    lessons::menu(ui, model);
}

/// Leaves the current lesson, bringing back the scene from before it (Esc, × Close).
pub fn close_lesson(model: &mut Model) {
    lessons::close(model);
}

/// The current lesson's caption, under the menu bar, while the lesson is active.
pub fn lesson_caption(ui: &mut egui::Ui, model: &mut Model) {
    lessons::caption(ui, model);
}

/// Whether the current lesson shows the derivation of f′ open in the function panel.
pub fn lesson_shows_steps(model: &Model) -> bool {
    lessons::shows_steps(model)
}

/// The central area for a 1-D function: the notebook's f / f′ layout in place of the 3-D view.
pub fn central_1d(ui: &mut egui::Ui, model: &mut Model) {
    secant::tick(ui, model);
    view1d::show(ui, model, true);
}

/// The 1-D view as a figure: the plots, labels and readings without any control.
pub fn figure_1d(ui: &mut egui::Ui, model: &mut Model) {
    view1d::show(ui, model, false);
}

/// The partial-derivative slices, in 2-D: a section of the analysis panel.
pub fn slices_section(ui: &mut egui::Ui, model: &mut Model) {
    slices::section(ui, model);
}

/// Whether the notebook views need another frame soon (B gliding).
pub fn animating(model: &Model) -> bool {
    model.dims() == 1 && model.state.notebook.animating
}
