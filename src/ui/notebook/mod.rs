//! The course notebook's own views: for a 1-D function, f on top and f′ below (tangent, secant,
//! critical points, the descent balls); in 2-D, the partial-derivative slices; and the lessons
//! menu that opens one scene per figure of the notebook.

mod lessons;
mod secant;
mod slices;
mod view1d;

use super::Model;
pub use crate::workspace::{NotebookMode, NotebookState};

pub use crate::figure::notebook::{
    RiseRun, f_plot_transform, format_value, rise_run, secant_h, tangent_equation,
};
pub use lessons::{
    LESSONS, Lesson, LessonData, apply as apply_lesson, menu_label as lesson_menu_label,
};
pub use secant::GLIDE_SECS;

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
    view1d::show(ui, model);
}

/// The partial-derivative slices, in 2-D: a section of the analysis panel.
pub fn slices_section(ui: &mut egui::Ui, model: &mut Model) {
    slices::section(ui, model);
}

/// Whether the notebook views need another frame soon (B gliding).
pub fn animating(model: &Model) -> bool {
    model.dims() == 1 && model.state.notebook.animating
}
