//! The 1-D layout: f on top with the tangent at A and its equation, f′ below with the point
//! (x_A, f′(x_A)), f″ on request, the critical points marked on both, and every run's ball
//! rolling along f with its own tangent, reaching to the next step's x with the tangent's
//! prediction and f's actual value marked there. The plots hand back their responses, so that
//! the window (`ui`) can let a press move A or B.

use egui::Color32;
use egui_plot::{
    HLine, Line, LineStyle, MarkerShape, Plot, PlotBounds, PlotTransform, PlotUi, Points, VLine,
};

use super::color32;
use super::curve::{format_value, line_across, pieces, tangent_equation, y_range};
use super::labels::{self, Labels};
use super::secant::{self, Secant};
use crate::calculus::{
    CriticalKind, CriticalPoint, CriticalSet, PointKind, Precision, classify_point, critical_set,
};
use crate::function::Function;
use crate::workspace::{NotebookMode, Workspace};

/// The x axes of f, f′ and f″ move together.
const X_LINK: &str = "notebook-x";
/// Where the f plot's transform is kept for tests and for grabbing B.
const F_TRANSFORM: &str = "notebook-f-transform";
/// Width of the plots' y axes, in points: room for `−1.235e4`.
const Y_AXIS_PX: f32 = 64.0;
/// More critical points than this (sin(50x)) are counted, not marked one by one.
const MAX_MARKED: usize = 24;

pub const F_COLOR: Color32 = Color32::from_rgb(30, 80, 170);
pub const TANGENT_COLOR: Color32 = Color32::from_rgb(230, 120, 20);
pub const A_COLOR: Color32 = Color32::from_rgb(200, 30, 40);
const DF_COLOR: Color32 = Color32::from_rgb(20, 140, 70);
const D2F_COLOR: Color32 = Color32::from_rgb(140, 70, 160);

/// The f plot's last transform (screen ↔ plot), so tests can aim at a point of the curve.
pub fn f_plot_transform(ctx: &egui::Context) -> Option<PlotTransform> {
    ctx.data(|d| d.get_temp(egui::Id::unique(F_TRANSFORM)))
}

/// Everything one frame draws, computed once from the model before any plot borrows the UI.
struct Frame {
    x_range: [f64; 2],
    x_a: f64,
    f_a: f64,
    kind: PointKind,
    /// f′(x_A) where the derivative exists (the secants agree), else None.
    slope: Option<f64>,
    critical: CriticalSet,
    balls: Vec<Ball>,
    secant: Option<Secant>,
}

/// One run's ball at the current step, and the points it passed through.
struct Ball {
    x: f64,
    color: Color32,
    trail: Vec<f64>,
    /// Where the ball's next step lands, if it takes one.
    next_x: Option<f64>,
}

/// The plots as drawn this frame: each one's response and transform (f, f′, then f″ if
/// shown), with where A and B are, for a caller that lets a press on them move A or B.
pub struct Plots {
    pub responses: Vec<Shown>,
    /// x_A, as drawn.
    pub x_a: f64,
    /// B on f, in the secant view.
    pub b: Option<[f64; 2]>,
    /// The critical points found in the domain, listed under the plots in the tangent view.
    critical: CriticalSet,
}

/// The 1-D view as a figure (an export, `gradscape render`): a title line when given, then the
/// plots, their labels and the readings under them, without any control.
pub fn figure(ui: &mut egui::Ui, workspace: &Workspace, title: Option<&str>) {
    if let Some(title) = title {
        ui.label(
            egui::RichText::new(title)
                .size(16.0)
                .color(egui::Color32::from_gray(35)),
        );
        ui.add_space(4.0);
    }
    let plots = plots(ui, workspace);
    readings(ui, workspace, &plots);
}

/// The tangent's equation (or why there is none) and the f, f′ (and f″) plots, leaving room
/// under them for [`readings`].
pub fn plots(ui: &mut egui::Ui, workspace: &Workspace) -> Plots {
    let frame = Frame::new(ui.ctx(), workspace);
    let f = workspace.function();
    equation_line(ui, &frame);

    let secant_mode = workspace.state.notebook.mode == NotebookMode::Secant;
    let show_second = workspace.state.notebook.show_second;
    // Room under the plots for the secant's controls or the critical points' list.
    let below = if secant_mode { 170.0 } else { 44.0 };
    let plots_height = (ui.available_height() - below).max(240.0);
    let (f_share, df_share) = if show_second { (0.5, 0.27) } else { (0.6, 0.4) };

    let f_response = f_plot(ui, f, &frame, plots_height * f_share);
    let df_response = df_plot(ui, f, &frame, plots_height * df_share, !show_second);
    let d2f_response = show_second.then(|| d2f_plot(ui, f, &frame, plots_height * 0.23 - 8.0));
    Plots {
        responses: [Some(f_response), Some(df_response), d2f_response]
            .into_iter()
            .flatten()
            .collect(),
        x_a: frame.x_a,
        b: frame.secant.as_ref().map(|s| [s.x_b, s.f_b]),
        critical: frame.critical,
    }
}

/// Under the plots: the secant's readings in the secant view, else the critical points.
pub fn readings(ui: &mut egui::Ui, workspace: &Workspace, plots: &Plots) {
    if workspace.state.notebook.mode == NotebookMode::Secant {
        secant::readings(
            ui,
            workspace.function(),
            plots.x_a,
            &workspace.state.notebook,
        );
    } else {
        critical_list(ui, &plots.critical);
    }
}

impl Frame {
    fn new(ctx: &egui::Context, model: &Workspace) -> Self {
        let f = model.function();
        let x_range = model.state.domain.x;
        let x_a = model.state.start[0];
        let f_a = f.value(&[x_a]);
        let kind = classify_point(f, x_a);
        let slope = match kind {
            PointKind::Smooth { slope } => Some(slope),
            _ => None,
        };
        let secant = (model.state.notebook.mode == NotebookMode::Secant)
            .then(|| Secant::new(f, x_a, &model.state.notebook));
        Self {
            x_range,
            x_a,
            f_a,
            kind,
            slope,
            critical: cached_critical_points(ctx, f, x_range),
            balls: balls(model),
            secant,
        }
    }
}

/// critical_set samples f′ 4001 times: kept per function and range, not redone per frame.
fn cached_critical_points(ctx: &egui::Context, f: &Function, [a, b]: [f64; 2]) -> CriticalSet {
    // One slot, keyed by what it was computed for: dragging a domain bound must not pile up
    // one entry per frame.
    let id = egui::Id::unique("notebook-critical");
    let key = (f.source().to_string(), a.to_bits(), b.to_bits());
    type Slot = ((String, u64, u64), CriticalSet);
    if let Some((cached_key, points)) = ctx.data(|d| d.get_temp::<Slot>(id))
        && cached_key == key
    {
        return points;
    }
    let points = critical_set(f, a, b);
    ctx.data_mut(|d| d.insert_temp(id, (key, points.clone())));
    points
}

fn balls(model: &Workspace) -> Vec<Ball> {
    let step = model.current_step();
    model
        .shown_runs()
        .filter_map(|(i, run, trajectory)| {
            let x = *model.ball(i)?.first()?;
            let trail = trajectory
                .steps
                .iter()
                .take(step + 1)
                .filter_map(|s| s.point.first().copied())
                .collect();
            // Only where the ball sits on the row it shows (not past the end of its run).
            let next_x = (trajectory.steps.get(step).and_then(|s| s.point.first()) == Some(&x))
                .then(|| trajectory.steps.get(step + 1)?.point.first().copied())
                .flatten()
                .filter(|v| v.is_finite());
            Some(Ball {
                x,
                color: color32(run.color),
                trail,
                next_x,
            })
        })
        .collect()
}

/// The tangent's equation, or why there is none at A.
fn equation_line(ui: &mut egui::Ui, frame: &Frame) {
    ui.horizontal_wrapped(|ui| match frame.slope {
        Some(slope) => {
            ui.label(egui::RichText::new("tangent at A:").color(TANGENT_COLOR))
                .on_hover_text("y = f(x_A) + f′(x_A)·(x − x_A): the line that touches f at A.");
            ui.label(
                egui::RichText::new(tangent_equation(frame.x_a, frame.f_a, slope)).monospace(),
            );
            ui.label(format!(
                "   A = ({}, {}),  f′(x_A) = {}",
                format_value(frame.x_a),
                format_value(frame.f_a),
                format_value(slope)
            ));
        }
        None => {
            ui.colored_label(ui.visuals().warn_fg_color, frame.kind.explain())
                .on_hover_text(
                    "Read from the secant slopes on the left and on the right of A, \
                     as h shrinks from 0.1 to 10⁻⁸.",
                );
        }
    });
}

/// A plot with a fixed view (the domain across, f's range up) and no pan or zoom gestures,
/// so that a press on it is free to move A.
fn fixed_plot(id: &str, height: f32, y_label: &str) -> Plot<'static> {
    crate::figure::ticks::readable(Plot::new(id))
        .height(height.max(60.0))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .link_axis(egui::Id::unique(X_LINK), [true, false])
        .y_axis_label(y_label)
        // One width for all three plots keeps their x axes aligned on screen, not only in
        // value.
        .y_axis_min_width(Y_AXIS_PX)
}

fn set_bounds(plot: &mut PlotUi<'_>, [x0, x1]: [f64; 2], [y0, y1]: [f64; 2]) {
    plot.set_plot_bounds(PlotBounds::from_min_max([x0, y0], [x1, y1]));
}

/// `pieces` as plot lines with distinct ids, so gaps stay gaps.
fn add_curve(plot: &mut PlotUi<'_>, name: &str, color: Color32, parts: Vec<Vec<[f64; 2]>>) {
    for (k, part) in parts.into_iter().enumerate() {
        plot.line(Line::new(name, part).color(color).width(2.0).id((name, k)));
    }
}

fn add_point(plot: &mut PlotUi<'_>, name: &str, color: Color32, [x, y]: [f64; 2], radius: f32) {
    if x.is_finite() && y.is_finite() {
        plot.points(
            Points::new(name, vec![[x, y]])
                .color(color)
                .radius(radius)
                .filled(true)
                .shape(MarkerShape::Circle),
        );
    }
}

/// A plot as shown: its response (hover text added) and its transform, for presses on it.
type Shown = (egui::Response, PlotTransform);

fn f_plot(ui: &mut egui::Ui, f: &Function, frame: &Frame, height: f32) -> Shown {
    let value = |x: f64| f.value(&[x]);
    let mut extra = vec![frame.f_a];
    if let Some(s) = &frame.secant {
        extra.push(s.f_b);
    }
    let y = y_range(value, frame.x_range, &extra);
    let parts = pieces(value, frame.x_range, 0.5 * (y[1] - y[0]));
    let response = fixed_plot("notebook-f", height, "f(x)").show(ui, |plot| {
        set_bounds(plot, frame.x_range, y);
        add_curve(plot, "f", F_COLOR, parts);
        match &frame.secant {
            Some(secant) => secant.draw_on_f(plot, frame.x_range, frame.slope),
            None => {
                if let Some(slope) = frame.slope {
                    plot.line(
                        Line::new(
                            "tangent",
                            line_across(frame.x_a, frame.f_a, slope, frame.x_range),
                        )
                        .color(TANGENT_COLOR)
                        .width(1.5),
                    );
                }
                balls_on(
                    plot,
                    frame,
                    |x| f.value(&[x]),
                    |x| Some(f.gradient(&[x])[0]),
                );
            }
        }
        let critical = critical_markers(plot, &frame.critical.points, |c| [c.x, c.value]);
        plot.vline(VLine::new("x_A", frame.x_a).color(A_COLOR.gamma_multiply(0.35)));
        add_point(plot, "A", A_COLOR, [frame.x_a, frame.f_a], 5.0);
        // Labels last, each clear of every marker and of the labels before it: A's first.
        let mut labels = Labels::new(plot);
        for (p, _) in &critical {
            labels.mark(plot, *p, 7.0);
        }
        labels.mark(plot, [frame.x_a, frame.f_a], 5.0);
        mark_balls(&mut labels, plot, frame, |x| f.value(&[x]));
        if let Some(secant) = &frame.secant {
            labels.mark(plot, [secant.x_b, secant.f_b], 5.0);
        }
        labels.place(
            plot,
            [frame.x_a, frame.f_a],
            egui::RichText::new("A").color(A_COLOR).strong().size(15.0),
            15.0,
            &labels::AROUND,
        );
        if let Some(secant) = &frame.secant {
            secant.label_on_f(&mut labels, plot);
        }
        critical_labels(&mut labels, plot, frame.x_a, &critical);
    });
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::unique(F_TRANSFORM), response.transform));
    with_hover(
        response,
        "f(x). Press or drag anywhere to move A along the curve.",
    )
}

/// A plot's response with its hover text, and its transform (for presses on it).
fn with_hover(shown: egui_plot::PlotResponse<()>, hover: &str) -> (egui::Response, PlotTransform) {
    (shown.response.on_hover_text(hover), shown.transform)
}

fn df_plot(ui: &mut egui::Ui, f: &Function, frame: &Frame, height: f32, x_label: bool) -> Shown {
    let slope_at = |x: f64| f.gradient(&[x])[0];
    let mut extra = vec![0.0];
    extra.extend(frame.slope);
    if let Some(s) = &frame.secant {
        extra.push(s.rise_run.slope);
    }
    let y = y_range(slope_at, frame.x_range, &extra);
    let parts = pieces(slope_at, frame.x_range, 0.5 * (y[1] - y[0]));
    let mut plot = fixed_plot("notebook-df", height, "f′(x)");
    if x_label {
        plot = plot.x_axis_label("x");
    }
    let response = plot.show(ui, |plot| {
        set_bounds(plot, frame.x_range, y);
        plot.hline(HLine::new("0", 0.0).color(Color32::from_gray(120)));
        add_curve(plot, "f′", DF_COLOR, parts);
        let critical = critical_markers(plot, &frame.critical.points, |c| {
            // Where f′ does not exist there is no point (x, f′(x)) to mark.
            [
                c.x,
                if c.no_derivative.is_some() {
                    f64::NAN
                } else {
                    0.0
                },
            ]
        });
        if frame.secant.is_none() {
            balls_on(plot, frame, slope_at, |_| None);
        }
        plot.vline(VLine::new("x_A", frame.x_a).color(A_COLOR.gamma_multiply(0.35)));
        if let Some(secant) = &frame.secant {
            secant.draw_on_df(plot, frame.x_a);
        }
        if let Some(slope) = frame.slope {
            add_point(plot, "(x_A, f′(x_A))", A_COLOR, [frame.x_a, slope], 5.0);
        }
        let mut labels = Labels::new(plot);
        for (p, _) in &critical {
            labels.mark(plot, *p, 7.0);
        }
        if frame.secant.is_none() {
            mark_balls(&mut labels, plot, frame, slope_at);
        }
        if let Some(slope) = frame.slope {
            labels.mark(plot, [frame.x_a, slope], 5.0);
        }
        if let Some(secant) = &frame.secant {
            secant.label_on_df(&mut labels, plot, frame.x_a);
        }
        if let Some(slope) = frame.slope {
            labels.place(
                plot,
                [frame.x_a, slope],
                egui::RichText::new(format!("f′(x_A) = {}", format_value(slope)))
                    .color(A_COLOR)
                    .size(14.0),
                14.0,
                &labels::AROUND,
            );
        }
        critical_labels(&mut labels, plot, frame.x_a, &critical);
    });
    with_hover(
        response,
        "f′(x), the slope of f at each x; it is 0 where f is flat.",
    )
}

fn d2f_plot(ui: &mut egui::Ui, f: &Function, frame: &Frame, height: f32) -> Shown {
    let second = |x: f64| f.hessian(&[x])[0];
    let at_a = second(frame.x_a);
    let y = y_range(second, frame.x_range, &[0.0, at_a]);
    let parts = pieces(second, frame.x_range, 0.5 * (y[1] - y[0]));
    let response = fixed_plot("notebook-d2f", height, "f″(x)")
        .x_axis_label("x")
        .show(ui, |plot| {
            set_bounds(plot, frame.x_range, y);
            plot.hline(HLine::new("0", 0.0).color(Color32::from_gray(120)));
            add_curve(plot, "f″", D2F_COLOR, parts);
            plot.vline(VLine::new("x_A", frame.x_a).color(A_COLOR.gamma_multiply(0.35)));
            add_point(plot, "(x_A, f″(x_A))", A_COLOR, [frame.x_a, at_a], 4.0);
        });
    with_hover(
        response,
        "f″(x), the acceleration of the curve: positive where f bends up, negative where it \
         bends down.",
    )
}

/// Each run's ball, its trail, and (on f) a short tangent that travels with it.
fn balls_on(
    plot: &mut PlotUi<'_>,
    frame: &Frame,
    y_of: impl Fn(f64) -> f64,
    slope_of: impl Fn(f64) -> Option<f64>,
) {
    let width = frame.x_range[1] - frame.x_range[0];
    for (i, ball) in frame.balls.iter().enumerate() {
        let trail: Vec<[f64; 2]> = ball
            .trail
            .iter()
            .map(|&x| [x, y_of(x)])
            .filter(|p| p[0].is_finite() && p[1].is_finite())
            .collect();
        if trail.len() > 1 {
            plot.points(
                Points::new(format!("run {} path", i + 1), trail)
                    .color(ball.color.gamma_multiply(0.5))
                    .radius(1.5),
            );
        }
        let y = y_of(ball.x);
        if let Some(slope) = slope_of(ball.x) {
            let half = 0.12 * width;
            // The tangent reaches to the next step's x, where its value (the prediction) and
            // f's (what happened) are both marked: a step past where the tangent holds shows
            // as the gap between them.
            let next = ball.next_x;
            // Kept to the plot's neighbourhood: a diverging step lands a million widths away,
            // and a dashed line that long is billions of dashes to lay out.
            let lo = next
                .map_or(ball.x - half, |n| n.min(ball.x - half))
                .max(frame.x_range[0] - width);
            let hi = next
                .map_or(ball.x + half, |n| n.max(ball.x + half))
                .min(frame.x_range[1] + width);
            let line = line_across(ball.x, y, slope, [lo, hi]);
            plot.line(
                Line::new(format!("run {} tangent", i + 1), line)
                    .color(ball.color)
                    .style(LineStyle::dashed_dense())
                    .width(1.5),
            );
            if let Some(n) = next {
                let predicted = y + slope * (n - ball.x);
                let actual = y_of(n);
                if predicted.is_finite() && actual.is_finite() {
                    plot.line(
                        Line::new(
                            format!("run {} prediction gap", i + 1),
                            vec![[n, predicted], [n, actual]],
                        )
                        .color(ball.color.gamma_multiply(0.6))
                        .style(LineStyle::dotted_dense()),
                    );
                    add_point(
                        plot,
                        &format!("run {} predicted next f", i + 1),
                        ball.color.gamma_multiply(0.6),
                        [n, predicted],
                        3.5,
                    );
                    add_point(
                        plot,
                        &format!("run {} actual next f", i + 1),
                        ball.color,
                        [n, actual],
                        3.5,
                    );
                }
            }
        }
        add_point(
            plot,
            &format!("run {}", i + 1),
            ball.color,
            [ball.x, y],
            6.0,
        );
    }
}

/// The critical points' markers (all but where there are too many to mark), and where each is
/// with its kind, for [`critical_labels`].
fn critical_markers(
    plot: &mut PlotUi<'_>,
    critical: &[CriticalPoint],
    at: impl Fn(&CriticalPoint) -> [f64; 2],
) -> Vec<([f64; 2], CriticalKind)> {
    if critical.len() > MAX_MARKED {
        return Vec::new();
    }
    let mut marked = Vec::new();
    for c in critical {
        let (color, name) = critical_style(c.kind);
        let p = at(c);
        if !(p[0].is_finite() && p[1].is_finite()) {
            continue;
        }
        plot.points(
            Points::new(name, vec![p])
                .color(color)
                .radius(6.0)
                .filled(false)
                .shape(MarkerShape::Diamond),
        );
        marked.push((p, c.kind));
    }
    marked
}

/// "min", "max", … by their markers: off the curve along its normal (under a minimum, over a
/// maximum), else on the side away from A, whose point and label are near; wherever keeps them
/// inside the plot and clear of the other markers and labels.
fn critical_labels(
    labels: &mut Labels,
    plot: &mut PlotUi<'_>,
    x_a: f64,
    critical: &[([f64; 2], CriticalKind)],
) {
    const BELOW: labels::Spot = ([0.0, 9.0], egui::Align2::CENTER_TOP);
    const ABOVE: labels::Spot = ([0.0, -9.0], egui::Align2::CENTER_BOTTOM);
    const RIGHT: labels::Spot = ([10.0, 0.0], egui::Align2::LEFT_CENTER);
    const LEFT: labels::Spot = ([-10.0, 0.0], egui::Align2::RIGHT_CENTER);
    for &(p, kind) in critical {
        let (color, name) = critical_style(kind);
        let (away, toward) = if x_a > p[0] {
            (LEFT, RIGHT)
        } else {
            (RIGHT, LEFT)
        };
        let spots = match kind {
            CriticalKind::Minimum => [BELOW, away, toward, ABOVE],
            CriticalKind::Maximum => [ABOVE, away, toward, BELOW],
            _ => [away, toward, BELOW, ABOVE],
        };
        labels.place(
            plot,
            p,
            egui::RichText::new(name).color(color).size(13.0),
            13.0,
            &spots,
        );
    }
}

/// Each run's ball on the curve `y_of`, as a marker labels keep clear of.
fn mark_balls(labels: &mut Labels, plot: &PlotUi<'_>, frame: &Frame, y_of: impl Fn(f64) -> f64) {
    for ball in &frame.balls {
        labels.mark(plot, [ball.x, y_of(ball.x)], 6.0);
    }
}

fn critical_style(kind: CriticalKind) -> (Color32, &'static str) {
    match kind {
        CriticalKind::Minimum => (Color32::from_rgb(0, 150, 60), "min"),
        CriticalKind::Maximum => (Color32::from_rgb(200, 40, 40), "max"),
        CriticalKind::FlatInflection => (Color32::from_rgb(200, 130, 0), "flat"),
        CriticalKind::Neither => (Color32::from_rgb(120, 120, 120), "no f′"),
    }
}

fn critical_list(ui: &mut egui::Ui, critical: &CriticalSet) {
    ui.horizontal_wrapped(|ui| {
        ui.label("critical points:").on_hover_text(
            "Where f′ = 0 (found to the last bit), or where f is defined but f′ does not \
             exist, in the shown range.",
        );
        for flat in &critical.flat {
            ui.weak(format!(
                "f′ ≡ 0 on {}: every point there is critical",
                flat.written(format_value)
            ));
        }
        for stretch in &critical.unresolved {
            let short = match stretch.cause {
                Precision::Underflow => "f and f′ underflow",
                Precision::Rounding => "f′ is below rounding",
            };
            ui.weak(format!(
                "{short} on [{}, {}]",
                format_value(stretch.start),
                format_value(stretch.end)
            ))
            .on_hover_text(stretch.explain(format_value));
        }
        if let Some(many) = &critical.too_many {
            ui.weak(format!(
                "f′ changes sign at least {} times here: too many to mark",
                many.at_least
            ))
            .on_hover_text("Zoom in (narrow the x range) to see and list them.");
        }
        if let Some(x) = critical.gave_up_at {
            ui.weak(format!("more near x = {}", format_value(x)))
                .on_hover_text("f′ turns faster there than the finest samples could follow.");
        }
        let points = &critical.points;
        if points.is_empty()
            && critical.flat.is_empty()
            && critical.unresolved.is_empty()
            && critical.too_many.is_none()
        {
            ui.weak("none in this range");
        } else if points.len() > MAX_MARKED {
            ui.weak(format!("{} of them", points.len()));
        } else {
            for c in points {
                let (color, _) = critical_style(c.kind);
                let kind = match c.kind {
                    CriticalKind::Minimum => "minimum",
                    CriticalKind::Maximum => "maximum",
                    CriticalKind::FlatInflection => "flat inflection (no min, no max)",
                    CriticalKind::Neither => "neither min nor max",
                };
                let (note, hover) = match c.no_derivative {
                    Some(verdict) => (" (no f′ here)", verdict.explain()),
                    None => (
                        "",
                        format!(
                            "f = {}, f″ = {}",
                            format_value(c.value),
                            format_value(c.second_derivative)
                        ),
                    ),
                };
                ui.colored_label(color, format!("x = {} {kind}{note}", format_value(c.x)))
                    .on_hover_text(hover);
            }
        }
    });
}
