//! The 2-D partial-derivative slices: the curves f(x, y_A) and f(x_A, y) in small 1-D plots
//! with their tangents at A, whose slopes are ∂f/∂x and ∂f/∂y; the Hessian at A (mixed
//! partials side by side); and a check that a tangent plane exists at all.

use egui::Color32;
use egui_plot::{Line, Plot, PlotBounds, Points};

use super::Model;
use crate::figure::notebook::{A_COLOR, TANGENT_COLOR, format_value, line_across, pieces, y_range};

/// The scene draws ∂f/∂x dashed blue and ∂f/∂y red; the slices use the same colours.
const X_COLOR: Color32 = Color32::from_rgb(40, 90, 200);
const Y_COLOR: Color32 = Color32::from_rgb(200, 50, 50);

pub(super) fn section(ui: &mut egui::Ui, model: &mut Model) {
    if model.state.notebook.show_slices {
        contents(ui, model);
    } else if ui
        .button("∂ Show the partial slices")
        .on_hover_text("f cut along x and along y through A, with the tangents whose slopes are ∂f/∂x and ∂f/∂y.")
        .clicked()
    {
        model.state.notebook.show_slices = true;
    }
}

fn contents(ui: &mut egui::Ui, model: &mut Model) {
    ui.horizontal(|ui| {
        ui.heading("Partial slices at A")
            .on_hover_text("f cut along x and along y through A: two 1-D curves.");
        if ui
            .small_button("× Hide")
            .on_hover_text("Hide the slices (a button brings them back).")
            .clicked()
        {
            model.state.notebook.show_slices = false;
        }
    });
    let f = model.function();
    let [x_a, y_a] = model.state.start;
    let f_a = f.value(&[x_a, y_a]);
    let grad = f.gradient(&[x_a, y_a]);
    let (fx, fy) = (grad[0], grad.get(1).copied().unwrap_or(f64::NAN));
    ui.label(format!(
        "A = ({}, {}),  f(A) = {}",
        format_value(x_a),
        format_value(y_a),
        format_value(f_a)
    ));

    let mut moved = None;
    let ranges = [model.state.domain.x, model.state.domain.y];
    // The two slices differ only in the axis they run along: x with y held at y_A, then y.
    let slices = [
        ("x", "y", "f(x, y_A)", fx, X_COLOR),
        ("y", "x", "f(x_A, y)", fy, Y_COLOR),
    ];
    for (axis, (name, held, curve, slope, color)) in slices.into_iter().enumerate() {
        let along = |t: f64| {
            let mut p = [x_a, y_a];
            p[axis] = t;
            p
        };
        ui.label(
            egui::RichText::new(format!(
                "{curve}: slope ∂f/∂{name} = {}",
                format_value(slope)
            ))
            .color(color),
        )
        .on_hover_text(format!(
            "Hold {held} at {held}_A: the slope of this curve at {name}_A is ∂f/∂{name}."
        ));
        if let Some(t) = slice_plot(
            ui,
            &format!("notebook-slice-{name}"),
            name,
            |t| f.value(&along(t)),
            ranges[axis],
            [x_a, y_a][axis],
            slope,
            color,
        ) {
            moved = Some(along(t));
        }
    }

    if let Some(no_plane) = crate::calculus::tangent_plane_check(f, [x_a, y_a]) {
        ui.colored_label(ui.visuals().warn_fg_color, no_plane.explain())
            .on_hover_text(
                "The differentiability verdict read along x, along y and along the diagonal \
                 (1, 1): a tangent plane needs both partials and the diagonal slope \
                 ∂f/∂x + ∂f/∂y.",
            );
    }

    ui.separator();
    hessian(ui, model);

    if let Some([x, y]) = moved {
        model.set_start(x, y);
    }
}

/// One slice: the curve, its tangent at A, and A. A press moves A along this slice's axis.
#[allow(clippy::too_many_arguments)]
fn slice_plot(
    ui: &mut egui::Ui,
    id: &str,
    axis: &str,
    g: impl Fn(f64) -> f64,
    range: [f64; 2],
    at: f64,
    slope: f64,
    color: Color32,
) -> Option<f64> {
    let g_at = g(at);
    let y = y_range(&g, range, &[g_at]);
    let parts = pieces(&g, range, 0.5 * (y[1] - y[0]));
    let response = crate::figure::ticks::readable(Plot::new(id))
        .height(150.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .x_axis_label(axis)
        .y_axis_min_width(36.0)
        .show(ui, |plot| {
            plot.set_plot_bounds(PlotBounds::from_min_max([range[0], y[0]], [range[1], y[1]]));
            for (k, part) in parts.into_iter().enumerate() {
                plot.line(Line::new("f", part).color(color).width(2.0).id((id, k)));
            }
            plot.line(
                Line::new("tangent", line_across(at, g_at, slope, range))
                    .color(TANGENT_COLOR)
                    .style(egui_plot::LineStyle::dashed_loose())
                    .width(1.5),
            );
            if at.is_finite() && g_at.is_finite() {
                plot.points(
                    Points::new("A", vec![[at, g_at]])
                        .color(A_COLOR)
                        .radius(4.5)
                        .filled(true),
                );
            }
        });
    let transform = response.transform;
    let response = response
        .response
        .on_hover_text(format!("Press or drag to move A along {axis}."));
    if response.dragged() || response.clicked() {
        let pointer = response.interact_pointer_pos()?;
        let v = transform.value_from_position(pointer).x;
        return v.is_finite().then_some(v);
    }
    None
}

/// The Hessian at A with its symbolic entries, and whether the mixed partials agree.
fn hessian(ui: &mut egui::Ui, model: &Model) {
    let f = model.function();
    let point = model.state.start;
    let values = f.hessian(&point);
    let texts: Vec<String> = f
        .hessian_ids()
        .iter()
        .map(|&id| f.text_within(id, crate::function::MAX_SHOWN_SYMBOLS))
        .collect();
    if values.len() != 4 || texts.len() != 4 {
        return;
    }
    ui.strong("Hessian at A")
        .on_hover_text("Second derivatives: how each slope changes along x and along y.");
    let names = ["∂²f/∂x²", "∂²f/∂y∂x", "∂²f/∂x∂y", "∂²f/∂y²"];
    for k in 0..4 {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{} = {}", names[k], format_value(values[k])))
                .on_hover_text("Its value at A; the symbolic entry follows.");
            ui.label(egui::RichText::new(crate::math::pretty(&texts[k])).monospace());
        });
    }
    let (a, b) = (values[1], values[2]);
    if a.is_finite() && b.is_finite() {
        let same = (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()));
        let text = if same {
            "The mixed partials are equal (Schwarz): the order of ∂x and ∂y does not matter."
        } else {
            "The mixed partials differ here: f is not smooth enough at A."
        };
        ui.label(text);
    }
}
