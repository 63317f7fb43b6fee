//! The loss plot: f(x_t) against step t for every unmuted run, with a marker at the current
//! step, so the runs' speeds can be compared at a glance.

use super::{Model, color32};

pub(super) fn show(ui: &mut egui::Ui, model: &Model) {
    ui.heading("f(x_t) per step").on_hover_text(
        "The value each run has reached at each step. Lower is better; a flat tail has converged.",
    );
    let series = model.plot_series();
    let step = model.current_step() as f64;
    egui_plot::Plot::new("loss")
        .height(160.0)
        .x_axis_label("step")
        .allow_scroll(false)
        .legend(egui_plot::Legend::default())
        .show(ui, |plot| {
            for (name, color, points) in series {
                plot.line(egui_plot::Line::new(name, points).color(color32(color)));
            }
            plot.vline(egui_plot::VLine::new("current step", step));
        })
        .response
        .on_hover_text("Drag to pan, double-click to reset the view.");
}
