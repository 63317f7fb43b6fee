//! The 1-D view in the window: the figure (`figure::notebook`) with its controls — mode, f″,
//! x_A typed, B's glide — and presses on the plots: a press moves A (the runs' start); in the
//! secant view a press near B moves B instead.

use egui_plot::{PlotPoint, PlotTransform};

use super::{Model, NotebookMode, secant};
use crate::figure::notebook::{self as figure, Plots};

/// Whether the drag under way holds B (true) or A (false).
const DRAG_HOLDS_B: &str = "notebook-drag-holds-b";
/// How close, in points, a press must be to B to grab it rather than move A.
const GRAB_RADIUS: f32 = 14.0;

/// The view with its controls; a press on the plots moves A (or B).
pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    controls(ui, model);
    let plots = figure::plots(ui, &model.workspace);
    if model.state.notebook.mode == NotebookMode::Secant {
        secant::controls(ui, &mut model.state.notebook);
    }
    figure::readings(ui, &model.workspace, &plots);

    let mut moved = None;
    for (index, (response, transform)) in plots.responses.iter().enumerate() {
        // Only the f plot shows B; on the others a press always means A.
        let shows_b = index == 0;
        moved = moved.or(drag(ui, model, &plots, response, transform, shows_b));
    }
    if let Some(x) = moved {
        let y = model.state.start[1];
        model.set_start(x, y);
    }
}

/// Mode, f″ toggle and A's x, typed.
fn controls(ui: &mut egui::Ui, model: &mut Model) {
    ui.horizontal(|ui| {
        let notebook = &mut model.state.notebook;
        ui.selectable_value(&mut notebook.mode, NotebookMode::Tangent, "Tangent")
            .on_hover_text("f with its tangent at A, f′ below: the slope of f at each x.");
        ui.selectable_value(&mut notebook.mode, NotebookMode::Secant, "Secant → tangent")
            .on_hover_text(
                "Two points A and B on f: rise over run is the secant's slope; let B glide \
                 toward A and watch it become the tangent's.",
            );
        ui.separator();
        ui.checkbox(&mut notebook.show_second, "f″")
            .on_hover_text("Show f″, the acceleration of the curve: how fast its slope changes.");
        ui.separator();
        ui.label("x_A =");
        let [lo, hi] = model.state.domain.x;
        let speed = (hi - lo) / 500.0;
        let field = crate::ui::number_field::number_field(
            ui,
            "x_A",
            model.state.start[0],
            speed,
            crate::ui::number_field::clamp_to(lo..=hi),
        );
        field.report(&mut model.notice);
        field
            .response
            .on_hover_text("Point A, where the tangent touches f and where every run starts.");
        if let Some(x) = field.value {
            let y = model.state.start[1];
            model.set_start(x, y);
        }
        ui.weak("drag on the plots to move A");
    });
}

/// Where a press or drag on a plot puts A (returned) or B (set here).
fn drag(
    ui: &egui::Ui,
    model: &mut Model,
    plots: &Plots,
    response: &egui::Response,
    transform: &PlotTransform,
    shows_b: bool,
) -> Option<f64> {
    let id = egui::Id::unique(DRAG_HOLDS_B);
    if response.drag_started() || response.clicked() {
        let holds_b = shows_b
            && plots.b.is_some_and(|[x_b, f_b]| {
                let b = transform.position_from_point(&PlotPoint::new(x_b, f_b));
                let origin = ui.input(|i| i.pointer.press_origin());
                response.rect.contains(b) && origin.is_some_and(|o| o.distance(b) <= GRAB_RADIUS)
            });
        ui.ctx().data_mut(|d| d.insert_temp(id, holds_b));
    }
    if !(response.dragged() || response.clicked()) {
        return None;
    }
    let pointer = response.interact_pointer_pos()?;
    let x = transform.value_from_position(pointer).x;
    if !x.is_finite() {
        return None;
    }
    if ui.ctx().data(|d| d.get_temp::<bool>(id)).unwrap_or(false) {
        secant::place_b(&mut model.state.notebook, plots.x_a, x);
        None
    } else {
        Some(x)
    }
}
