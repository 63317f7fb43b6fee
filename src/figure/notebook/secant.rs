//! Slope of a line and secant → tangent: points A and B on f, the line through them with its
//! run and rise drawn as the notebook does, B where its glide toward A has brought it, and the
//! verdict of `calculus::classify_point` on whether the secants close in on a tangent at all.

use egui::Color32;
use egui_plot::{Line, LineStyle, PlotPoint, PlotUi, Points, Text};

use super::curve::{format_value, line_across};
use super::labels::Labels;
use super::view1d::TANGENT_COLOR;
use crate::calculus::{PointKind, SECANT_STEPS, classify_point, secant_slope};
use crate::function::Function;
use crate::workspace::NotebookState;

/// The closest B gets to A, as a fraction of its starting offset: at t = 1 the secant is as
/// good as the tangent for smooth f, yet B is still a different point.
const CLOSEST: f64 = 1e-6;

/// Run and rise get their labels only while their segments are at least this long, in points.
const LABEL_MIN_PX: f32 = 40.0;

const B_COLOR: Color32 = Color32::from_rgb(120, 40, 170);
pub(crate) const SECANT_COLOR: Color32 = Color32::from_rgb(120, 40, 170);
const RUN_RISE_COLOR: Color32 = Color32::from_rgb(90, 90, 90);

/// x_B − x_A at glide position `t` (0: where B started, 1: next to A). Linear in t, so B moves
/// at a steady speed on screen; it never reaches A, where the secant would be undefined.
pub fn secant_h(b_offset: f64, t: f64) -> f64 {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    b_offset * ((1.0 - t) + CLOSEST * t)
}

/// The notebook's slope of a line: run = x_B − x_A, rise = f(x_B) − f(x_A), slope = rise / run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RiseRun {
    pub run: f64,
    pub rise: f64,
    pub slope: f64,
}

pub fn rise_run(f: impl Fn(f64) -> f64, x_a: f64, x_b: f64) -> RiseRun {
    let run = x_b - x_a;
    let rise = f(x_b) - f(x_a);
    RiseRun {
        run,
        rise,
        slope: rise / run,
    }
}

/// A and B as this frame draws them.
pub(crate) struct Secant {
    pub x_a: f64,
    pub f_a: f64,
    pub x_b: f64,
    pub f_b: f64,
    pub rise_run: RiseRun,
}

impl Secant {
    pub fn new(f: &Function, x_a: f64, state: &NotebookState) -> Self {
        let x_b = x_a + secant_h(state.b_offset, state.secant_t);
        let value = |x: f64| f.value(&[x]);
        Self {
            x_a,
            f_a: value(x_a),
            x_b,
            f_b: value(x_b),
            rise_run: rise_run(value, x_a, x_b),
        }
    }

    /// The secant through A and B, the run (level, from A) and the rise (up to B), B itself,
    /// and the tangent at A dashed for comparison.
    pub fn draw_on_f(&self, plot: &mut PlotUi<'_>, x_range: [f64; 2], tangent: Option<f64>) {
        let RiseRun { run, rise, slope } = self.rise_run;
        if let Some(m) = tangent {
            plot.line(
                Line::new("tangent", line_across(self.x_a, self.f_a, m, x_range))
                    .color(TANGENT_COLOR)
                    .style(LineStyle::dashed_loose())
                    .width(1.2),
            );
        }
        plot.line(
            Line::new("secant", line_across(self.x_a, self.f_a, slope, x_range))
                .color(SECANT_COLOR)
                .width(1.8),
        );
        let corner = [self.x_b, self.f_a];
        if corner.iter().all(|v| v.is_finite()) && self.f_b.is_finite() {
            plot.line(
                Line::new("run", vec![[self.x_a, self.f_a], corner])
                    .color(RUN_RISE_COLOR)
                    .style(LineStyle::dashed_dense())
                    .width(1.5),
            );
            plot.line(
                Line::new("rise", vec![corner, [self.x_b, self.f_b]])
                    .color(RUN_RISE_COLOR)
                    .style(LineStyle::dashed_dense())
                    .width(1.5),
            );
            // Labels on segments shorter than their text would pile up on A and B.
            let transform = *plot.transform();
            let a_px = transform.position_from_point(&PlotPoint::new(self.x_a, self.f_a));
            let corner_px = transform.position_from_point(&PlotPoint::new(corner[0], corner[1]));
            let b_px = transform.position_from_point(&PlotPoint::new(self.x_b, self.f_b));
            let (run_px, rise_px) = (a_px.distance(corner_px), corner_px.distance(b_px));
            let mid_run = PlotPoint::new(0.5 * (self.x_a + self.x_b), self.f_a);
            let below = if rise >= 0.0 {
                egui::Align2::CENTER_TOP
            } else {
                egui::Align2::CENTER_BOTTOM
            };
            let label = |plot: &mut PlotUi<'_>, name: &str, text: String, at, anchor| {
                let text = egui::RichText::new(text).color(RUN_RISE_COLOR).size(14.0);
                plot.text(Text::new(name, at, text).anchor(anchor));
            };
            if run_px > LABEL_MIN_PX {
                label(
                    plot,
                    "run",
                    format!("run = {}", format_value(run)),
                    mid_run,
                    below,
                );
            }
            let mid_rise = PlotPoint::new(self.x_b, 0.5 * (self.f_a + self.f_b));
            let side = if run >= 0.0 {
                egui::Align2::LEFT_CENTER
            } else {
                egui::Align2::RIGHT_CENTER
            };
            if rise_px > LABEL_MIN_PX.min(0.5 * run_px.max(rise_px)) && run_px > 4.0 {
                let text = format!(" rise = {} ", format_value(rise));
                label(plot, "rise", text, mid_rise, side);
            }
        }
        if self.x_b.is_finite() && self.f_b.is_finite() {
            plot.points(
                Points::new("B", vec![[self.x_b, self.f_b]])
                    .color(B_COLOR)
                    .radius(5.0)
                    .filled(true),
            );
        }
    }

    /// B's name beside it, where it is clear of the other labels and markers.
    pub fn label_on_f(&self, labels: &mut Labels, plot: &mut PlotUi<'_>) {
        let b = [self.x_b, self.f_b];
        labels.mark(plot, b, 5.0);
        labels.place(
            plot,
            b,
            egui::RichText::new("B").color(B_COLOR).strong().size(15.0),
            15.0,
            &[
                ([-7.0, -5.0], egui::Align2::RIGHT_BOTTOM),
                ([7.0, -5.0], egui::Align2::LEFT_BOTTOM),
                ([-7.0, 5.0], egui::Align2::RIGHT_TOP),
                ([7.0, 5.0], egui::Align2::LEFT_TOP),
            ],
        );
    }

    /// The secant's slope as a point over x_A on the f′ plot: it closes in on (x_A, f′(x_A)).
    pub fn draw_on_df(&self, plot: &mut PlotUi<'_>, x_a: f64) {
        let slope = self.rise_run.slope;
        if slope.is_finite() {
            plot.points(
                Points::new("secant slope", vec![[x_a, slope]])
                    .color(SECANT_COLOR)
                    .radius(4.0)
                    .filled(false),
            );
        }
    }

    /// "secant slope …" beside its marker, clear of it and of f′(x_A)'s.
    pub fn label_on_df(&self, labels: &mut Labels, plot: &mut PlotUi<'_>, x_a: f64) {
        let slope = self.rise_run.slope;
        let p = [x_a, slope];
        labels.mark(plot, p, 4.0);
        labels.place(
            plot,
            p,
            egui::RichText::new(format!("secant slope {}", format_value(slope)))
                .color(SECANT_COLOR)
                .size(14.0),
            14.0,
            &[
                ([-8.0, 0.0], egui::Align2::RIGHT_CENTER),
                ([8.0, 0.0], egui::Align2::LEFT_CENTER),
                ([-6.0, -6.0], egui::Align2::RIGHT_BOTTOM),
                ([-6.0, 6.0], egui::Align2::RIGHT_TOP),
            ],
        );
    }
}

/// The readings under the plots in the secant view: rise, run and the secant's slope against
/// the tangent's, and the one-sided slopes as h shrinks (the verdict on a derivative at A).
pub fn readings(ui: &mut egui::Ui, f: &Function, x_a: f64, notebook: &NotebookState) {
    let secant = Secant::new(f, x_a, notebook);
    let RiseRun { run, rise, slope } = secant.rise_run;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "run = x_B − x_A = {}    rise = f(x_B) − f(x_A) = {}",
            format_value(run),
            format_value(rise)
        ))
        .on_hover_text("How far B is from A across, and how far up.");
        ui.label(
            egui::RichText::new(format!("slope = rise / run = {}", format_value(slope)))
                .color(SECANT_COLOR)
                .strong(),
        )
        .on_hover_text("The slope of the secant line through A and B.");
    });
    let kind = classify_point(f, x_a);
    match kind {
        PointKind::Smooth { slope: tangent } => {
            ui.label(format!(
                "tangent slope f′(x_A) = {}    secant − tangent = {}",
                format_value(tangent),
                format_value(slope - tangent)
            ))
            .on_hover_text("As B closes in on A, the secant's slope closes in on f′(x_A).");
        }
        _ => {
            ui.colored_label(ui.visuals().warn_fg_color, kind.explain())
                .on_hover_text("Read from the secant slopes on each side of A as h shrinks.");
        }
    }
    one_sided_table(ui, f, x_a);
}

/// The secant slopes from each side of A as h shrinks: equal limits mean a derivative.
fn one_sided_table(ui: &mut egui::Ui, f: &Function, x_a: f64) {
    egui::Grid::new("notebook-one-sided")
        .num_columns(SECANT_STEPS.len() / 2 + 1)
        .spacing([14.0, 2.0])
        .show(ui, |ui| {
            let steps: Vec<f64> = SECANT_STEPS.iter().copied().step_by(2).collect();
            ui.label("h")
                .on_hover_text("The distance from A to the second point.");
            for h in &steps {
                ui.monospace(format_value(*h));
            }
            ui.end_row();
            for (name, sign) in [("slope from the left", -1.0), ("slope from the right", 1.0)] {
                ui.label(name)
                    .on_hover_text("(f(x_A ± h) − f(x_A)) / (±h): the secant slope on that side.");
                for h in &steps {
                    ui.monospace(format_value(secant_slope(f, x_a, sign * h)));
                }
                ui.end_row();
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b_glides_linearly_and_never_lands_on_a() {
        assert_eq!(secant_h(2.0, 0.0), 2.0);
        assert!((secant_h(2.0, 0.5) - (1.0 + 1e-6)).abs() < 1e-15);
        let last = secant_h(-2.0, 1.0);
        assert!(last < 0.0 && last.abs() < 1e-5, "{last}");
        assert_eq!(secant_h(2.0, f64::NAN), 2.0);
        assert_eq!(secant_h(2.0, 7.0), secant_h(2.0, 1.0));
    }

    #[test]
    fn rise_over_run_is_the_slope() {
        let r = rise_run(|x| 0.5 * x + 1.0, -1.0, 2.0);
        assert_eq!(
            r,
            RiseRun {
                run: 3.0,
                rise: 1.5,
                slope: 0.5
            }
        );
        // On x², the secant from 1 to 1 + h has slope 2 + h.
        let r = rise_run(|x| x * x, 1.0, 1.5);
        assert!((r.slope - 2.5).abs() < 1e-12);
    }
}
