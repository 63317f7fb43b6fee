//! The run plots: f(x_t), ‖∇f(x_t)‖, the learning rate lr(t) and the tangent plane's ratio ρ_t
//! against step t for every unmuted run, sharing the step axis, with a marker at the current
//! step, an optional log10 value axis, and a hover readout of run, step and value, so the runs'
//! speeds can be compared at a glance.
//!
//! The runs' colours are named once, in a row above the plots, not in a legend box inside
//! each: the plots are small, and a box in a corner hid a good part of every one of them
//! (the ρ oscillation among others), wherever it went.

use super::{Model, color32};

use super::plot_scale::{Cut, PLOT_LIMIT, Scaled, Series, cut_like, cut_to_scale};

/// The bounds plot `name` ("loss", "gradient norm", "learning rate", "rho") was last drawn
/// with, for tests.
pub fn plot_bounds(ctx: &egui::Context, name: &str) -> Option<egui_plot::PlotBounds> {
    ctx.data(|d| d.get_temp(bounds_id(name)))
}

fn bounds_id(name: &str) -> egui::Id {
    egui::Id::unique(("gradscape plot bounds", name))
}

/// Where on screen plot `name` last drew its data (inside its axes), for tests.
pub fn plot_rect(ctx: &egui::Context, name: &str) -> Option<egui::Rect> {
    ctx.data(|d| d.get_temp(rect_id(name)))
}

fn rect_id(name: &str) -> egui::Id {
    egui::Id::unique(("gradscape plot rect", name))
}

/// The line marking the current step on every plot.
const CURRENT_STEP_COLOR: egui::Color32 = egui::Color32::from_rgb(200, 60, 60);
const RHO_ONE_COLOR: egui::Color32 = egui::Color32::GRAY;
const RHO_ZERO_COLOR: egui::Color32 = egui::Color32::DARK_GRAY;

/// One legend entry: a short stroke of `color`, then `name`, as one item that a wrapping row
/// moves to the next line whole.
fn legend_entry(ui: &mut egui::Ui, color: egui::Color32, name: &str, vertical: bool) {
    let galley = egui::WidgetText::from(name).into_galley(
        ui,
        Some(egui::TextWrapMode::Extend),
        f32::INFINITY,
        egui::TextStyle::Body,
    );
    let swatch = egui::vec2(14.0, 12.0);
    let gap = 3.0;
    let size = egui::vec2(
        swatch.x + gap + galley.size().x,
        swatch.y.max(galley.size().y),
    );
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), name));
    let line = egui::Rect::from_center_size(
        egui::pos2(rect.left() + swatch.x / 2.0, rect.center().y),
        swatch,
    );
    let points = if vertical {
        [line.center_top(), line.center_bottom()]
    } else {
        [line.left_center(), line.right_center()]
    };
    ui.painter()
        .line_segment(points, egui::Stroke::new(2.0, color));
    let text_pos = egui::pos2(
        rect.left() + swatch.x + gap,
        rect.center().y - galley.size().y / 2.0,
    );
    ui.painter()
        .galley(text_pos, galley, ui.visuals().text_color());
}

/// `add` laid out left to right, wrapping at the panel's visible edge (the panel scrolls
/// sideways: a plain wrapped row would run on past its edge and widen the plots under it).
fn wrapped_row(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    let visible = ui.clip_rect().right() - ui.cursor().min.x;
    let width = ui.available_width().min(visible).max(80.0);
    ui.allocate_ui(egui::vec2(width, 0.0), |ui| ui.horizontal_wrapped(add));
}

/// The runs' colours and the current-step line, in a row that wraps.
fn legend_row(ui: &mut egui::Ui, runs: &[(String, egui::Color32)]) {
    wrapped_row(ui, |ui| {
        for (name, color) in runs {
            legend_entry(ui, *color, name, false);
        }
        legend_entry(ui, CURRENT_STEP_COLOR, "current step", true);
    });
}

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    ui.horizontal(|ui| {
        ui.heading("Plots");
        ui.checkbox(&mut model.state.display.plot_log, "log scale")
            .on_hover_text(
                "Plot log₁₀ of the values: a run converging linearly becomes a straight line, \
                 and small values stay visible. Values ≤ 0 are left out.",
            );
    });
    let log = model.state.display.plot_log;
    let step = model.current_step() as f64;
    let link = egui::Id::unique("run plots step axis");
    let loss = model.plot_series();
    let runs: Vec<(String, egui::Color32)> = loss
        .iter()
        .map(|(name, color, _)| (name.clone(), color32(*color)))
        .collect();
    legend_row(ui, &runs);
    one_plot(
        ui,
        "loss",
        "f(x_t)",
        loss,
        log,
        step,
        link,
        "The value each run has reached at each step. Lower is better; a flat tail has converged.",
    );
    one_plot(
        ui,
        "gradient norm",
        "‖∇f(x_t)‖",
        model.gradient_norm_series(),
        log,
        step,
        link,
        "How steep the surface is under each ball. It goes to 0 as a run converges; on a log \
         scale the slope of its tail is the rate of convergence.",
    );
    one_plot(
        ui,
        "learning rate",
        "lr(t)",
        model.lr_series(),
        log,
        step,
        link,
        "The learning rate each step used: flat without a schedule, falling along a cosine or \
         in stairs with one, rising during a warm-up, and halved where a line search backed off.",
    );
    // ρ follows f: a run cut where its f left the scale is cut at that step on ρ too.
    let loss_cuts = cut_to_scale(model.plot_series(), "f").cuts;
    rho_plot(ui, model.rho_series(), &loss_cuts, step, link);
}

/// ρ_t = (f(x_t) − f(x_{t−1})) / (∇f(x_{t−1})·(x_t − x_{t−1})), with the lines ρ = 1 (the tangent
/// plane predicted the change exactly) and ρ = 0 (no decrease at all) to read it against. Never
/// on a log scale: ρ < 0 is the interesting part.
fn rho_plot(ui: &mut egui::Ui, series: Series, loss_cuts: &[Cut], step: f64, link: egui::Id) {
    wrapped_row(ui, |ui| {
        ui.label("ρ(t): actual ÷ predicted change").on_hover_text(
            "How far each step could trust the tangent plane: the actual change of f divided by \
             the change the tangent plane predicted (∇f·Δx). Near 1 the step stayed where the \
             surface is nearly flat-planed; between 0 and 1 it curved away; below 0 the step \
             went uphill (it overshot).",
        );
        legend_entry(ui, RHO_ONE_COLOR, "ρ = 1", false);
        legend_entry(ui, RHO_ZERO_COLOR, "ρ = 0", false);
    });
    let Scaled {
        series,
        cuts,
        notes,
    } = cut_to_scale(cut_like(series, loss_cuts), "ρ");
    let mut plot = super::ticks::readable(egui_plot::Plot::new("rho"));
    if !previous_bounds_sane(ui.ctx(), "rho") {
        plot = plot.reset();
    }
    let response = plot
        .height(130.0)
        .x_axis_label("step")
        .y_axis_label("ρ")
        .allow_scroll(false)
        .link_axis(link, [true, false])
        .label_formatter(move |position| hover_text(position, "ρ", false))
        .show(ui, |plot| {
            for (name, color, points) in series {
                let points = decimate(points, MAX_LINE_POINTS);
                plot.line(egui_plot::Line::new(name, points).color(color32(color)));
            }
            mark_cuts(plot, &cuts, false);
            plot.hline(egui_plot::HLine::new("ρ = 1", 1.0).color(RHO_ONE_COLOR));
            plot.hline(egui_plot::HLine::new("ρ = 0", 0.0).color(RHO_ZERO_COLOR));
            plot.vline(egui_plot::VLine::new("current step", step).color(CURRENT_STEP_COLOR));
        });
    remember_bounds(ui, "rho", &response);
    response
        .response
        .on_hover_text("Drag to pan, double-click to reset the view.");
    left_out(ui, &notes);
}

fn remember_bounds<R>(ui: &egui::Ui, name: &str, response: &egui_plot::PlotResponse<R>) {
    let bounds = *response.transform.bounds();
    let frame = *response.transform.frame();
    ui.data_mut(|d| {
        d.insert_temp(bounds_id(name), bounds);
        d.insert_temp(rect_id(name), frame);
    });
}

#[allow(clippy::too_many_arguments)]
fn one_plot(
    ui: &mut egui::Ui,
    id: &str,
    quantity: &'static str,
    series: Series,
    log: bool,
    step: f64,
    link: egui::Id,
    help: &str,
) {
    ui.label(quantity).on_hover_text(help);
    // Cut on the values themselves, before any logarithm: a blow-up to 1e140 is as far off
    // a log scale's runs as off a linear one's.
    let Scaled {
        series,
        cuts,
        mut notes,
    } = cut_to_scale(series, quantity);
    let series = if log {
        let (series, log_notes) = log10_series(series);
        notes.extend(log_notes);
        series
    } else {
        series
    };
    let axis_label = if log {
        format!("log₁₀ {quantity}")
    } else {
        quantity.to_string()
    };
    let mut plot = super::ticks::readable(egui_plot::Plot::new(id));
    if !previous_bounds_sane(ui.ctx(), id) {
        plot = plot.reset();
    }
    let response = plot
        .height(130.0)
        .x_axis_label("step")
        .y_axis_label(axis_label)
        .allow_scroll(false)
        .link_axis(link, [true, false])
        .label_formatter(move |position| hover_text(position, quantity, log))
        .show(ui, |plot| {
            for (name, color, points) in series {
                let points = decimate(points, MAX_LINE_POINTS);
                plot.line(egui_plot::Line::new(name, points).color(color32(color)));
            }
            mark_cuts(plot, &cuts, log);
            plot.vline(egui_plot::VLine::new("current step", step).color(CURRENT_STEP_COLOR));
        });
    remember_bounds(ui, id, &response);
    response
        .response
        .on_hover_text("Drag to pan, double-click to reset the view.");
    left_out(ui, &notes);
}

/// A triangle at each cut run's last drawn point, pointing the way it left the scale.
fn mark_cuts(plot: &mut egui_plot::PlotUi<'_>, cuts: &[Cut], log: bool) {
    for cut in cuts {
        let [t, v] = cut.last;
        let v = if log { v.log10() } else { v };
        if !v.is_finite() {
            continue;
        }
        let shape = if cut.up {
            egui_plot::MarkerShape::Up
        } else {
            egui_plot::MarkerShape::Down
        };
        plot.points(
            egui_plot::Points::new(format!("{} leaves the scale", cut.name), vec![[t, v]])
                .shape(shape)
                .filled(true)
                .radius(6.0)
                .color(color32(cut.color)),
        );
    }
}

/// The runs a plot could not draw in full, and why, under it.
fn left_out(ui: &mut egui::Ui, notes: &[String]) {
    for note in notes {
        ui.label(
            egui::RichText::new(note)
                .small()
                .color(ui.visuals().warn_fg_color),
        );
    }
}

/// Whether the bounds plot `name` was last drawn with are usable; a plot that ended up with
/// bounds no axis can be drawn for (an earlier frame's divergence) starts afresh.
fn previous_bounds_sane(ctx: &egui::Context, name: &str) -> bool {
    plot_bounds(ctx, name).is_none_or(|b| {
        b.min()
            .iter()
            .chain(&b.max())
            .all(|v| v.is_finite() && v.abs() <= 10.0 * PLOT_LIMIT)
    })
}

/// Points a plotted line keeps at most: a plot is a few hundred pixels wide, and every segment
/// costs triangles a software rasteriser has to set up, each frame.
pub(super) const MAX_LINE_POINTS: usize = 240;

/// About `max` of `points` (sorted by x; at most `max` + 2) that draw the same line at plot
/// resolution: the first and last, and in each of `max / 2` buckets the lowest and highest, in
/// order, so spikes and a blow-up stay visible.
pub(super) fn decimate(points: Vec<[f64; 2]>, max: usize) -> Vec<[f64; 2]> {
    if points.len() <= max.max(4) {
        return points;
    }
    let buckets = (max / 2).max(2);
    let inner = &points[1..points.len() - 1];
    let mut out = Vec::with_capacity(max + 2);
    out.push(points[0]);
    for b in 0..buckets {
        let chunk = &inner[b * inner.len() / buckets..(b + 1) * inner.len() / buckets];
        let by_y = |a: &&[f64; 2], c: &&[f64; 2]| a[1].total_cmp(&c[1]);
        let (Some(lo), Some(hi)) = (chunk.iter().min_by(by_y), chunk.iter().max_by(by_y)) else {
            continue;
        };
        let (first, second) = if lo[0] <= hi[0] { (lo, hi) } else { (hi, lo) };
        out.push(*first);
        if second != first {
            out.push(*second);
        }
    }
    out.push(points[points.len() - 1]);
    out
}

/// log10 of every positive value; others (≤ 0, where log has no value) are dropped, with a
/// note naming each run that lost values and how many.
fn log10_series(series: Series) -> (Series, Vec<String>) {
    let mut notes = Vec::new();
    let series = series
        .into_iter()
        .map(|(name, color, points)| {
            let total = points.len();
            let kept: Vec<[f64; 2]> = points
                .into_iter()
                .filter(|p| p[1] > 0.0)
                .map(|[t, v]| [t, v.log10()])
                .collect();
            let dropped = total - kept.len();
            if dropped == total && total > 0 {
                notes.push(format!(
                    "run {name}: not shown on the log scale — every value is ≤ 0"
                ));
            } else if dropped > 0 {
                notes.push(format!(
                    "run {name}: {dropped} of {total} values are ≤ 0 and have no logarithm; \
                     left out"
                ));
            }
            (name, color, kept)
        })
        .collect();
    (series, notes)
}

/// "run 1 sgd (lr 0.01)\nstep 12: f(x_t) = 0.0341" near a data point; just the step elsewhere.
fn hover_text(
    position: &egui_plot::HoverPosition<'_>,
    quantity: &str,
    log: bool,
) -> Option<String> {
    let value = |y: f64| {
        let v = if log { 10f64.powf(y) } else { y };
        crate::format::number(v)
    };
    match position {
        egui_plot::HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } if !plot_name.is_empty() && *plot_name != "current step" => Some(format!(
            "run {plot_name}\nstep {}: {quantity} = {}",
            position.x.round(),
            value(position.y)
        )),
        egui_plot::HoverPosition::NearDataPoint { position, .. }
        | egui_plot::HoverPosition::Elsewhere { position } => {
            Some(format!("step {:.0}", position.x.max(0.0)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_scale_drops_what_has_no_logarithm() {
        let series = vec![(
            "a".to_string(),
            [0.0; 4],
            vec![[0.0, 100.0], [1.0, 0.0], [2.0, -1.0], [3.0, 0.001]],
        )];
        let (kept, notes) = log10_series(series);
        assert_eq!(kept[0].2, vec![[0.0, 2.0], [3.0, -3.0]]);
        assert_eq!(
            notes,
            vec!["run a: 2 of 4 values are ≤ 0 and have no logarithm; left out"]
        );
        let (kept, notes) = log10_series(vec![("b".into(), [0.0; 4], vec![[0.0, -1.0]])]);
        assert!(kept[0].2.is_empty(), "the legend entry stays");
        assert!(notes[0].contains("every value is ≤ 0"), "{notes:?}");
    }

    #[test]
    fn decimation_keeps_the_ends_and_the_extremes() {
        let points: Vec<[f64; 2]> = (0..10_000)
            .map(|i| [i as f64, if i == 5000 { 1e6 } else { (i as f64).sin() }])
            .collect();
        let kept = decimate(points.clone(), 240);
        assert!(kept.len() <= 242, "{}", kept.len());
        assert_eq!(kept.first(), points.first());
        assert_eq!(kept.last(), points.last());
        assert!(kept.contains(&[5000.0, 1e6]), "the spike stays");
        assert!(kept.windows(2).all(|w| w[0][0] < w[1][0]), "in order");
        let short = vec![[0.0, 1.0], [1.0, 2.0]];
        assert_eq!(decimate(short.clone(), 240), short);
    }

    #[test]
    fn hovering_a_line_names_the_run_step_and_value() {
        let near = egui_plot::HoverPosition::NearDataPoint {
            plot_name: "1 sgd (lr 0.01)",
            position: egui_plot::PlotPoint::new(12.0, -2.0),
            index: 12,
        };
        assert_eq!(
            hover_text(&near, "f(x_t)", true).unwrap(),
            "run 1 sgd (lr 0.01)\nstep 12: f(x_t) = 0.01"
        );
    }
}
