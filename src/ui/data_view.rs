//! The data view (the Data tab): the data set's scatter with the model's curve at the start θ,
//! at each run's ball as playback moves, and dashed at the full-data minimum — or predicted vs
//! actual for a model of several columns. Dragging the line's two end handles moves θ.

use egui::Color32;
use egui_plot::{Line, LineStyle, MarkerShape, Plot, PlotBounds, PlotPoint, PlotTransform, Points};

use super::{Model, color32};
use crate::workspace::{LoadedData, line_through, sigmoid_quartiles, sigmoid_through};

/// The plot's id; its transform is kept under it for tests and for grabbing a handle.
pub const DATA_VIEW_ID: &str = "data view";
/// Which handle the drag under way holds (0 or 1), if any.
const HELD_HANDLE: &str = "data view held handle";
/// How close, in points, a press must be to a handle to grab it.
const GRAB_RADIUS: f32 = 14.0;
/// Rows drawn in the scatter at most (a large set is thinned evenly).
const MAX_SHOWN_ROWS: usize = 3000;
const DATA_COLOR: Color32 = Color32::from_rgb(90, 110, 140);
const START_COLOR: Color32 = Color32::from_rgb(200, 30, 40);
const MINIMUM_COLOR: Color32 = Color32::from_rgb(40, 40, 40);

/// The data view's last transform (screen ↔ data), so tests can aim at a handle.
pub fn data_view_transform(ctx: &egui::Context) -> Option<PlotTransform> {
    ctx.data(|d| d.get_temp(egui::Id::unique(DATA_VIEW_ID)))
}

/// The start line's two handles in data coordinates: for a line, its points at a tenth and
/// nine tenths across the view; for a sigmoid, where it crosses 0.25 and 0.75. None where the
/// model is not θ0 + θ1·x (or the sigmoid is flat).
pub fn line_handles(model: &Model) -> Option<[[f64; 2]; 2]> {
    let data = model.data()?;
    handles(data, model.state.start)
}

fn handles(data: &LoadedData, theta: [f64; 2]) -> Option<[[f64; 2]; 2]> {
    if !data.linear {
        return None;
    }
    if data.logistic {
        let [x25, x75] = sigmoid_quartiles(theta)?;
        return Some([[x25, 0.25], [x75, 0.75]]);
    }
    let [lo, hi] = data.x_range()?;
    let at = |x: f64| [x, theta[0] + theta[1] * x];
    Some([at(lo + 0.1 * (hi - lo)), at(lo + 0.9 * (hi - lo))])
}

/// θ with handle `held` moved to follow the pointer at `to` (data coordinates): a line's
/// handle moves up and down at its x, a sigmoid's along x at its height.
fn theta_for_drag(
    data: &LoadedData,
    handles: [[f64; 2]; 2],
    held: usize,
    to: [f64; 2],
) -> Option<[f64; 2]> {
    let other = handles[1 - held];
    if data.logistic {
        let (x25, x75) = if held == 0 {
            (to[0], other[0])
        } else {
            (other[0], to[0])
        };
        return sigmoid_through(x25, x75);
    }
    let moved = [handles[held][0], to[1]];
    line_through(moved, other)
}

/// θ as (θ0, θ1) from a point of a run (θ1 = 0 for a model in θ0 alone).
fn theta_of(point: &[f64]) -> [f64; 2] {
    [
        point.first().copied().unwrap_or(0.0),
        point.get(1).copied().unwrap_or(0.0),
    ]
}

/// One curve to draw: its name, colour, points and whether it is dashed.
struct Curve {
    name: String,
    color: Color32,
    points: Vec<[f64; 2]>,
    dashed: bool,
}

/// The θs the view shows a curve for: the minimum (dashed), each unmuted run's ball, the start.
fn thetas(model: &Model) -> Vec<(String, Color32, [f64; 2], bool)> {
    let mut out = Vec::new();
    if let Some(m) = model.data().and_then(|d| d.minimum) {
        out.push(("full-data minimum".to_string(), MINIMUM_COLOR, m, true));
    }
    for (i, run) in model.state.runs.iter().enumerate() {
        if run.muted {
            continue;
        }
        if let Some(ball) = model.ball(i) {
            let label = crate::workspace::run_legend(run);
            out.push((
                format!("{} {label}", i + 1),
                color32(run.color),
                theta_of(&ball),
                false,
            ));
        }
    }
    out.push(("start θ".to_string(), START_COLOR, model.state.start, false));
    out
}

/// Every `step`-th row's index, at most [`MAX_SHOWN_ROWS`] of them.
fn shown_rows(rows: usize) -> impl Iterator<Item = usize> {
    (0..rows).step_by(rows.div_ceil(MAX_SHOWN_ROWS).max(1))
}

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    let Some(data) = model.data() else {
        ui.weak("Open a data set (File → Open data…, Ctrl+D) to see it here.");
        return;
    };
    let target = data.table.columns()[data.target].clone();
    match data.input {
        Some(input) => {
            let input = data.table.columns()[input].clone();
            let what = if data.logistic { "σ(model)" } else { "model" };
            // Named here rather than in a legend box, which hid the data it lay over.
            ui.label(format!(
                "{target} against {input}: the {what} at the start θ (red, with its handles), \
                 at each run's ball (the run's colour) and at the minimum (dashed)"
            ));
            curve_view(ui, model, &input, &target);
        }
        None => {
            ui.label(format!(
                "predicted against actual {target}; on the line y = x a fit is exact"
            ));
            predicted_view(ui, model, &target);
        }
    }
    ui.horizontal_wrapped(|ui| {
        let [t0, t1] = model.state.start;
        let n = crate::format::number;
        ui.colored_label(START_COLOR, format!("start θ = ({}, {})", n(t0), n(t1)));
        if let Some([m0, m1]) = model.data().and_then(|d| d.minimum) {
            ui.label(format!("minimum ({}, {}), dashed", n(m0), n(m1)))
                .on_hover_text(
                    "Where the full-data loss is least: marked on the surface and map too.",
                );
        }
    });
}

fn curve_view(ui: &mut egui::Ui, model: &mut Model, input: &str, target: &str) {
    let Some(data) = model.data() else {
        return;
    };
    let x_range = data.x_range().unwrap_or([0.0, 1.0]);
    let handles = handles(data, model.state.start);
    let y_range = if data.logistic {
        [-0.1, 1.1]
    } else {
        with_handles(data.target_range(), handles)
    };
    let (Some(x_col), t_col) = (data.input, data.target) else {
        return;
    };
    let scatter: Vec<[f64; 2]> = shown_rows(data.table.rows())
        .map(|r| [data.table.value(r, x_col), data.table.value(r, t_col)])
        .collect();
    let curves: Vec<Curve> = thetas(model)
        .into_iter()
        .filter_map(|(name, color, theta, dashed)| {
            Some(Curve {
                name,
                color,
                points: data.curve_at(theta)?,
                dashed,
            })
        })
        .collect();
    let response = fixed_plot(input, target).show(ui, |plot| {
        plot.set_plot_bounds(PlotBounds::from_min_max(
            [x_range[0], y_range[0]],
            [x_range[1], y_range[1]],
        ));
        plot.points(
            Points::new("data", scatter)
                .color(DATA_COLOR)
                .radius(2.5)
                .shape(MarkerShape::Circle)
                .filled(true),
        );
        draw_curves(plot, curves);
        if let Some(hs) = handles {
            plot.points(
                Points::new("handles", hs.to_vec())
                    .color(START_COLOR)
                    .radius(6.0)
                    .shape(MarkerShape::Square)
                    .filled(true),
            );
        }
    });
    let transform = response.transform;
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::unique(DATA_VIEW_ID), transform));
    let help = if handles.is_some() {
        "Drag a square handle to move the line, and θ with it (the start point on the surface)."
    } else {
        "Drag θ on the surface or the map to move the curve."
    };
    let response = response.response.on_hover_text(help);
    if let Some(hs) = handles {
        drag_handles(ui, model, &response, &transform, hs);
    }
}

/// The target's range grown to show the start line's handles (so they can be grabbed),
/// by at most the range's own span each way.
fn with_handles([lo, hi]: [f64; 2], handles: Option<[[f64; 2]; 2]>) -> [f64; 2] {
    let span = hi - lo;
    handles
        .into_iter()
        .flatten()
        .fold([lo, hi], |[a, b], [_, y]| {
            let y = y.clamp(lo - span, hi + span);
            [a.min(y - 0.05 * span), b.max(y + 0.05 * span)]
        })
}

/// A press near a handle grabs it; dragging it moves θ (the start point).
fn drag_handles(
    ui: &egui::Ui,
    model: &mut Model,
    response: &egui::Response,
    transform: &PlotTransform,
    hs: [[f64; 2]; 2],
) {
    let id = egui::Id::unique(HELD_HANDLE);
    if response.drag_started() {
        let origin = ui.input(|i| i.pointer.press_origin());
        let held = origin.and_then(|o| {
            (0..2).find(|&k| {
                let p = transform.position_from_point(&PlotPoint::new(hs[k][0], hs[k][1]));
                o.distance(p) <= GRAB_RADIUS
            })
        });
        ui.ctx().data_mut(|d| d.insert_temp(id, held));
    }
    if response.drag_stopped() {
        ui.ctx()
            .data_mut(|d| d.insert_temp::<Option<usize>>(id, None));
    }
    if !response.dragged() {
        return;
    }
    let Some(held) = ui.ctx().data(|d| d.get_temp::<Option<usize>>(id)).flatten() else {
        return;
    };
    let Some(pointer) = response.interact_pointer_pos() else {
        return;
    };
    let to = transform.value_from_position(pointer);
    let Some(data) = model.data() else {
        return;
    };
    if let Some([t0, t1]) = theta_for_drag(data, hs, held, [to.x, to.y]) {
        model.set_start(t0, t1);
    }
}

fn draw_curves(plot: &mut egui_plot::PlotUi<'_>, curves: Vec<Curve>) {
    for (k, curve) in curves.into_iter().enumerate() {
        let mut line = Line::new(curve.name, curve.points)
            .color(curve.color)
            .width(if curve.dashed { 1.5 } else { 2.0 })
            .id(("data curve", k));
        if curve.dashed {
            line = line.style(LineStyle::dashed_loose());
        }
        plot.line(line);
    }
}

fn predicted_view(ui: &mut egui::Ui, model: &Model, target: &str) {
    let Some(data) = model.data() else {
        return;
    };
    let [lo, hi] = if data.logistic {
        [-0.1, 1.1]
    } else {
        data.target_range()
    };
    let rows: Vec<usize> = shown_rows(data.table.rows()).collect();
    let sets: Vec<(String, Color32, Vec<[f64; 2]>)> = thetas(model)
        .into_iter()
        .filter(|(_, _, _, dashed)| !dashed)
        .map(|(name, color, theta, _)| {
            let points = rows
                .iter()
                .map(|&r| [data.table.value(r, data.target), data.predict(theta, r)])
                .collect();
            (name, color, points)
        })
        .collect();
    let response = fixed_plot(&format!("actual {target}"), "predicted").show(ui, |plot| {
        plot.set_plot_bounds(PlotBounds::from_min_max([lo, lo], [hi, hi]));
        plot.line(
            Line::new("y = x", vec![[lo, lo], [hi, hi]])
                .color(MINIMUM_COLOR)
                .style(LineStyle::dashed_loose()),
        );
        for (name, color, points) in sets {
            plot.points(
                Points::new(name, points)
                    .color(color)
                    .radius(2.5)
                    .filled(true),
            );
        }
    });
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::unique(DATA_VIEW_ID), response.transform));
    response.response.on_hover_text(
        "Each row's prediction at the start θ and at each run's ball, against its target.",
    );
}

/// A square-ish plot with a fixed view and no pan or zoom, so presses are free for handles.
fn fixed_plot(x_label: &str, y_label: &str) -> Plot<'static> {
    super::ticks::readable(Plot::new(DATA_VIEW_ID))
        .view_aspect(1.1)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .x_axis_label(x_label.to_string())
        .y_axis_label(y_label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::DataSpec;

    fn model_on(source: &str, model_text: &str) -> Model {
        model_with(DataSpec::new(source, model_text))
    }

    fn model_with(spec: DataSpec) -> Model {
        let mut model = Model::new(Default::default());
        model.open_data(spec).unwrap();
        model
    }

    #[test]
    fn dragging_a_line_handle_keeps_the_other_end_fixed() {
        let model = model_on("linear", "linear:x");
        let data = model.data().unwrap();
        let hs = handles(data, [1.0, 2.0]).unwrap();
        let theta = theta_for_drag(data, hs, 0, [hs[0][0] + 5.0, hs[0][1] + 1.0]).unwrap();
        let line = |x: f64| theta[0] + theta[1] * x;
        // The held end rose by 1 at its own x (the pointer's x does not move it sideways).
        assert!((line(hs[0][0]) - (hs[0][1] + 1.0)).abs() < 1e-9);
        assert!((line(hs[1][0]) - hs[1][1]).abs() < 1e-9);
    }

    #[test]
    fn dragging_a_sigmoid_handle_moves_its_quartile() {
        let model = model_on("iris", "logistic:petal_width");
        let data = model.data().unwrap();
        let hs = handles(data, [-6.0, 4.0]).unwrap();
        assert_eq!(hs[0][1], 0.25);
        let theta = theta_for_drag(data, hs, 1, [2.0, 0.9]).unwrap();
        let [x25, x75] = sigmoid_quartiles(theta).unwrap();
        assert!((x25 - hs[0][0]).abs() < 1e-9 && (x75 - 2.0).abs() < 1e-9);
    }

    #[test]
    fn a_model_of_several_columns_has_no_handles_and_draws_predictions() {
        let model = model_with(DataSpec {
            target: "sepal_length".into(),
            ..DataSpec::new("iris", "theta0 + theta1*petal_width + petal_length")
        });
        assert!(line_handles(&model).is_none());
        let data = model.data().unwrap();
        assert!(data.input.is_none());
        let want = -1.0 + 0.5 * data.table.value(3, 3) + data.table.value(3, 2);
        assert!((data.predict([-1.0, 0.5], 3) - want).abs() < 1e-12);
    }
}
