//! The hyperparameter sweep's figure, painted with egui so that the app's Sweep tab and
//! `gradscape sweep --out FILE.png` draw the same thing: the heatmap of the cells (a strip with
//! its curve above for lr alone), its axes, its colour bar, and the current setting marked.

mod axes;
mod colour_bar;

use egui::{Color32, Rect, Stroke, StrokeKind, pos2, vec2};

use super::basin::{AXIS, TEXT, color};
use crate::optim::Status;
use crate::swarm::{CellColors, End, SweepSpec};
use colour_bar::{Scale, viridis};

/// What a sweep's heatmap shows per cell: a persisted setting, so it lives with the state.
pub use crate::workspace::SweepMetric;

/// A figure narrower than this (the Sweep panel) has its colour bar under the cells.
const NARROW_FIGURE_PX: f32 = 420.0;
/// The room the colour bar under the cells takes, its labels included.
const BAR_ROW_PX: f32 = 36.0;
/// A strip of cells (one row, lr alone) is at most this tall.
const STRIP_HEIGHT_PX: f32 = 60.0;
/// Between a strip and the curve drawn above it.
const CURVE_GAP_PX: f32 = 14.0;

/// A hyperparameter sweep's cells with what they are over.
pub struct SweepFigure<'a> {
    pub title: String,
    pub spec: SweepSpec,
    pub ends: &'a [End],
    pub metric: SweepMetric,
    /// The setting in use, marked on the map: (lr, param).
    pub current: Option<(f64, f64)>,
    /// The metric values the colour bar spans; None: the cells' own range. The app keeps one
    /// so that maps before and after a change are coloured alike.
    pub color_range: Option<(f64, f64)>,
}

/// A cell under the pointer, and whether it was clicked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepPick {
    pub lr: f64,
    /// The second hyperparameter's value (None for an lr strip).
    pub param: Option<f64>,
    pub end: End,
    pub clicked: bool,
}

impl SweepFigure<'_> {
    fn metric_value(&self, end: &End) -> f64 {
        match self.metric {
            SweepMetric::FinalValue if end.status == Status::Diverged => f64::NAN,
            SweepMetric::FinalValue => end.value,
            SweepMetric::Steps => f64::from(end.steps),
        }
    }

    /// A strip's cells as a curve over the same columns: up is the colour bar's up; a cell
    /// that diverged breaks the line.
    fn paint_curve(&self, painter: &egui::Painter, curve: Rect, cell_width: f32, scale: &Scale) {
        painter.rect_stroke(curve, 0.0, Stroke::new(1.0, AXIS), StrokeKind::Outside);
        for t in [0.25, 0.5, 0.75] {
            let y = curve.bottom() - t * curve.height();
            painter.line_segment(
                [pos2(curve.left(), y), pos2(curve.right(), y)],
                Stroke::new(0.5, AXIS.gamma_multiply(0.4)),
            );
        }
        let mut run: Vec<egui::Pos2> = Vec::new();
        let flush = |run: &mut Vec<egui::Pos2>| {
            if run.len() > 1 {
                painter.add(egui::Shape::line(
                    std::mem::take(run),
                    Stroke::new(2.0, TEXT),
                ));
            }
            run.clear();
        };
        for (j, end) in self.ends.iter().take(self.spec.lr.count).enumerate() {
            let v = self.metric_value(end);
            if !v.is_finite() {
                flush(&mut run);
                continue;
            }
            let x = curve.left() + (j as f32 + 0.5) * cell_width;
            run.push(pos2(x, curve.bottom() - scale.t(v) * curve.height()));
        }
        flush(&mut run);
        let font = egui::FontId::proportional(11.0);
        for (t, align) in [
            (1.0, egui::Align2::LEFT_TOP),
            (0.0, egui::Align2::LEFT_BOTTOM),
        ] {
            let y = curve.bottom() - t * curve.height();
            painter.text(
                pos2(curve.left() + 4.0, y + if t > 0.5 { 2.0 } else { -2.0 }),
                align,
                crate::format::number(scale.value_at(f64::from(t))),
                font.clone(),
                TEXT,
            );
        }
    }

    /// The range of the metric over the cells (what the colour bar spans by default).
    pub fn value_range(&self) -> Option<(f64, f64)> {
        let scale = Scale::new(self.ends.iter().map(|e| self.metric_value(e)), false)?;
        Some((scale.lo, scale.hi))
    }

    fn rows(&self) -> usize {
        self.spec.param.map_or(1, |(_, axis)| axis.count)
    }

    /// The whole figure (title, heatmap with axes, colour bar) in the space `ui` offers; returns
    /// the heatmap's rectangle and the cell under the pointer.
    pub fn show(&self, ui: &mut egui::Ui) -> (Rect, Option<SweepPick>) {
        let full = ui.max_rect();
        let painter = ui.painter().clone();
        painter.rect_filled(full, 0.0, Color32::WHITE);
        let mut top = full.top() + 8.0;
        if !self.title.is_empty() {
            let galley = painter.layout(
                self.title.clone(),
                egui::FontId::proportional(15.0),
                TEXT,
                full.width() - 24.0,
            );
            top += galley.size().y + 8.0;
            painter.galley(full.min + vec2(12.0, 8.0), galley, TEXT);
        }
        // In a narrow panel the colour bar lies under the cells, which then take the width.
        let bar_below = full.width() < NARROW_FIGURE_PX;
        let bar_width = if bar_below { 0.0 } else { 80.0 };
        let left_margin = if self.spec.param.is_some() {
            60.0
        } else {
            16.0
        };
        let bottom_room = if bar_below { 44.0 + BAR_ROW_PX } else { 44.0 };
        // Room above the cells for the second axis's name and the colour bar's.
        let area = Rect::from_min_max(
            pos2(full.left() + left_margin, top + 20.0),
            pos2(full.right() - bar_width - 16.0, full.bottom() - bottom_room),
        );
        let (plot, curve) = if self.spec.param.is_some() {
            (area, None)
        } else {
            let strip = area.height().min(STRIP_HEIGHT_PX);
            if area.height() >= 3.0 * strip + CURVE_GAP_PX {
                // A whole figure (an export) for one row of cells: the strip along the bottom,
                // and above it the same cells as a curve, height by the colour bar's scale, so
                // the canvas is not a thin strip in white.
                let plot = Rect::from_min_max(pos2(area.left(), area.bottom() - strip), area.max);
                let curve =
                    Rect::from_min_max(area.min, pos2(area.right(), plot.top() - CURVE_GAP_PX));
                (plot, Some(curve))
            } else {
                let plot = Rect::from_center_size(area.center(), vec2(area.width(), strip));
                (plot, None)
            }
        };
        (plot, self.paint(ui, &painter, plot, curve, full, bar_width))
    }

    #[allow(clippy::too_many_arguments)]
    fn paint(
        &self,
        ui: &mut egui::Ui,
        painter: &egui::Painter,
        plot: Rect,
        curve: Option<Rect>,
        full: Rect,
        bar_width: f32,
    ) -> Option<SweepPick> {
        let scale = self.color_scale();
        let cell = self.paint_cells(painter, plot, scale.as_ref());
        if let (Some(curve), Some(scale)) = (curve, &scale) {
            self.paint_curve(painter, curve, cell.x, scale);
        }
        // Axes: lr on a log scale along x, the second hyperparameter linearly along y; their
        // labels kept a little inside the figure and left of the colour bar.
        let inside = Rect::from_min_max(
            pos2(full.left() + 2.0, full.top()),
            pos2(full.right() - bar_width - 8.0, full.bottom()),
        );
        self.paint_lr_axis(painter, plot, inside);
        self.paint_param_axis(painter, plot, inside);
        if let Some((lr_now, param_now)) = self.current {
            let p = pos2(self.lr_x(plot, lr_now), self.param_y(plot, param_now));
            if plot.expand(1.0).contains(p) {
                painter.circle_stroke(p, 6.0, Stroke::new(2.5, Color32::WHITE));
                painter.circle_stroke(p, 6.0, Stroke::new(1.0, Color32::BLACK));
            }
        }
        if bar_width == 0.0 {
            self.paint_bar_below(painter, full, scale.as_ref(), &viridis);
        } else {
            self.paint_bar_beside(painter, plot, full, bar_width, scale.as_ref(), &viridis);
        }
        self.pick(ui, plot, cell)
    }

    /// The colour scale: the user's range where one is kept, else the cells' own.
    fn color_scale(&self) -> Option<Scale> {
        let log = self.metric == SweepMetric::FinalValue;
        match self.color_range {
            Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo <= hi => {
                Scale::new([lo, hi].into_iter(), log)
            }
            _ => Scale::new(self.ends.iter().map(|e| self.metric_value(e)), log),
        }
    }

    /// The cells, one rectangle each in one mesh; returns a cell's size.
    fn paint_cells(
        &self,
        painter: &egui::Painter,
        plot: Rect,
        scale: Option<&Scale>,
    ) -> egui::Vec2 {
        let (cols, rows) = (self.spec.lr.count, self.rows());
        let cell = vec2(plot.width() / cols as f32, plot.height() / rows as f32);
        let mut mesh = egui::Mesh::default();
        for i in 0..rows {
            for j in 0..cols {
                let Some(end) = self.ends.get(i * cols + j) else {
                    continue;
                };
                let v = self.metric_value(end);
                let fill = match (scale, v.is_finite()) {
                    (Some(s), true) => viridis(s.t(v)),
                    _ => color(CellColors::DIVERGED),
                };
                let min = pos2(
                    plot.left() + j as f32 * cell.x,
                    plot.bottom() - (i + 1) as f32 * cell.y,
                );
                mesh.add_colored_rect(Rect::from_min_size(min, cell + vec2(0.3, 0.3)), fill);
            }
        }
        painter.add(egui::Shape::mesh(mesh));
        painter.rect_stroke(plot, 0.0, Stroke::new(1.0, AXIS), StrokeKind::Outside);
        cell
    }

    /// The cell under the pointer, and whether it was clicked.
    fn pick(&self, ui: &mut egui::Ui, plot: Rect, cell: egui::Vec2) -> Option<SweepPick> {
        let (cols, rows) = (self.spec.lr.count, self.rows());
        let response = ui.interact(
            plot,
            ui.scope_id().with("sweep cells"),
            egui::Sense::click(),
        );
        let pointer = response.hover_pos()?;
        let j = (((pointer.x - plot.left()) / cell.x) as usize).min(cols - 1);
        let i = (((plot.bottom() - pointer.y) / cell.y) as usize).min(rows - 1);
        let end = *self.ends.get(i * cols + j)?;
        Some(SweepPick {
            lr: self.spec.lr.geometric(j),
            param: self.spec.param.map(|(_, axis)| axis.linear(i)),
            end,
            clicked: response.clicked(),
        })
    }

    fn metric_label(&self) -> &'static str {
        match self.metric {
            SweepMetric::FinalValue => "final f",
            SweepMetric::Steps => "steps",
        }
    }
}

/// `text` anchored at `pos` as `painter.text` would put it, moved sideways as far as needed to
/// stay inside `bounds` (a tick label at the figure's edge, "0.0001" under the first column of
/// a narrow map, loses no digit). Returns where it went.
fn text_within(
    painter: &egui::Painter,
    bounds: Rect,
    pos: egui::Pos2,
    anchor: egui::Align2,
    text: impl ToString,
    font: egui::FontId,
) -> Rect {
    let galley = painter.layout_no_wrap(text.to_string(), font, TEXT);
    let rect = anchor.anchor_size(pos, galley.size());
    let dx = if rect.width() >= bounds.width() || rect.left() < bounds.left() {
        bounds.left() - rect.left()
    } else if rect.right() > bounds.right() {
        bounds.right() - rect.right()
    } else {
        0.0
    };
    let rect = rect.translate(vec2(dx, 0.0));
    painter.galley(rect.min, galley, TEXT);
    rect
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::swarm::SweepAxis;

    /// Every piece of text the figure paints, as laid out on screen.
    fn painted_text(output: &egui::FullOutput) -> Vec<(String, Rect)> {
        output
            .shapes
            .iter()
            .filter_map(|clipped| match &clipped.shape {
                egui::Shape::Text(text) => Some((
                    text.galley.text().to_string(),
                    text.galley.rect.translate(text.pos.to_vec2()),
                )),
                _ => None,
            })
            .collect()
    }

    /// A run that converged after 10 steps with f = `value`, or diverged.
    fn end(value: f64, status: Status) -> End {
        End {
            point: [0.0, 0.0],
            value,
            grad_norm: 0.0,
            steps: 10,
            status,
        }
    }

    /// The final values of `ends` over `spec`, untitled, coloured by their own range.
    fn final_values<'a>(spec: SweepSpec, ends: &'a [End]) -> SweepFigure<'a> {
        SweepFigure {
            title: String::new(),
            spec,
            ends,
            metric: SweepMetric::FinalValue,
            current: None,
            color_range: None,
        }
    }

    /// One frame of `figure` shown in `full`: the heatmap's rectangle and what was painted.
    fn show_in(figure: &SweepFigure, full: Rect) -> (Rect, egui::FullOutput) {
        let ctx = egui::Context::default();
        let mut plot = Rect::NOTHING;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(full));
            plot = figure.show(&mut child).0;
        });
        // The font atlas was made, never uploaded: nothing to hand to a renderer here.
        output.textures_delta.clear();
        (plot, output)
    }

    /// The Sweep tab's lr strip in a narrow right panel: "0.0001" sits under the first column,
    /// 16 points from the figure's left edge, and lost its first "0" there.
    #[test]
    fn the_sweeps_labels_stay_inside_the_figure() {
        for param in [
            None,
            Some((
                "momentum",
                SweepAxis {
                    from: 0.0,
                    to: 0.99,
                    count: 8,
                },
            )),
        ] {
            let lr = SweepAxis {
                from: 1e-4,
                to: 1.0,
                count: 48,
            };
            let rows = param.map_or(1, |(_, a): (&str, SweepAxis)| a.count);
            let ends = vec![end(1.0, Status::Converged); lr.count * rows];
            let figure = final_values(SweepSpec { lr, param }, &ends);
            let full = Rect::from_min_size(pos2(10.0, 10.0), vec2(260.0, 230.0));
            let texts = painted_text(&show_in(&figure, full).1);
            assert!(
                texts.iter().any(|(t, _)| t == "0.0001"),
                "the first lr is labelled: {texts:?}"
            );
            for (text, rect) in &texts {
                assert!(
                    rect.left() >= full.left() && rect.right() <= full.right(),
                    "{text:?} at {rect:?} leaves {full:?}"
                );
            }
        }
    }

    /// Six decades of lr in a narrow panel: "1e-5" ran into "0.0001". The labels that are drawn
    /// keep clear of each other, the first decade's among them.
    #[test]
    fn the_lr_labels_do_not_collide_in_a_narrow_map() {
        let lr = SweepAxis {
            from: 1e-5,
            to: 10.0,
            count: 96,
        };
        let ends = vec![end(1.0, Status::Converged); lr.count];
        let figure = final_values(SweepSpec { lr, param: None }, &ends);
        let full = Rect::from_min_size(pos2(0.0, 0.0), vec2(230.0, 150.0));
        let texts = painted_text(&show_in(&figure, full).1);
        let first = texts
            .iter()
            .find(|(t, _)| *t == crate::format::log_ticks(&[1e-5, 1e1])[0])
            .unwrap_or_else(|| panic!("the first decade is labelled: {texts:?}"));
        // The tick labels: every text on the first one's row.
        let row: Vec<&(String, Rect)> = texts
            .iter()
            .filter(|(_, r)| (r.top() - first.1.top()).abs() < 0.5)
            .collect();
        assert!(row.len() >= 3, "{row:?}");
        for (i, a) in row.iter().enumerate() {
            for b in &row[i + 1..] {
                assert!(
                    !a.1.expand2(vec2(2.0, 0.0)).intersects(b.1),
                    "{:?} and {:?} collide",
                    a,
                    b
                );
            }
        }
    }

    /// `gradscape sweep` without --param at its 900×700: the strip sat in the middle of a white
    /// canvas. The figure now fills it: the strip at the bottom, the cells' curve above.
    #[test]
    fn a_one_row_sweep_fills_its_canvas() {
        let lr = SweepAxis {
            from: 1e-3,
            to: 1.0,
            count: 64,
        };
        let ends: Vec<End> = (0..lr.count)
            .map(|j| {
                let status = if j > 60 {
                    Status::Diverged
                } else {
                    Status::Converged
                };
                end((j as f64 - 40.0).powi(2), status)
            })
            .collect();
        let figure = SweepFigure {
            title: "a title".into(),
            ..final_values(SweepSpec { lr, param: None }, &ends)
        };
        let full = Rect::from_min_size(pos2(0.0, 0.0), vec2(900.0, 700.0));
        let (plot, output) = show_in(&figure, full);
        // The cells keep their strip along the bottom…
        assert!(plot.height() <= STRIP_HEIGHT_PX + 0.5, "{plot:?}");
        assert!(plot.bottom() > full.bottom() - 80.0, "{plot:?}");
        // …and a line through the cells is drawn over the canvas above it.
        let tallest_line = output
            .shapes
            .iter()
            .filter_map(|c| match &c.shape {
                egui::Shape::Path(path) if path.points.len() > 10 => {
                    let ys = path.points.iter().map(|p| p.y);
                    let lo = ys.clone().fold(f32::INFINITY, f32::min);
                    let hi = ys.fold(f32::NEG_INFINITY, f32::max);
                    Some(hi - lo)
                }
                _ => None,
            })
            .fold(0.0, f32::max);
        assert!(tallest_line > 300.0, "the curve spans {tallest_line} px");
    }
}
