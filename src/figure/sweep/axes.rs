//! The sweep's axes: learning rate on a log scale along x (a tick at every decade), the second
//! hyperparameter linearly along y, each cell's value at the centre of its column and row.

use egui::{Rect, Stroke, pos2, vec2};

use super::{AXIS, SweepFigure, TEXT, text_within};
use crate::scene::nice_ticks;

/// The least room between two tick labels of the lr axis.
const LABEL_GAP_PX: f32 = 8.0;

impl SweepFigure<'_> {
    /// Where learning rate `v` falls along x: at the centre of its column.
    pub(super) fn lr_x(&self, plot: Rect, v: f64) -> f32 {
        let lr = self.spec.lr;
        if lr.count <= 1 || lr.to <= lr.from {
            return plot.center().x;
        }
        let t = (v / lr.from).ln() / (lr.to / lr.from).ln();
        // Cell centres: column j is at (j + 0.5) / cols.
        let cols = lr.count as f64;
        plot.left() + ((t * (cols - 1.0) + 0.5) / cols) as f32 * plot.width()
    }

    /// Where the second hyperparameter's `v` falls along y: at the centre of its row.
    pub(super) fn param_y(&self, plot: Rect, v: f64) -> f32 {
        match self.spec.param {
            Some((_, axis)) if axis.count > 1 && axis.to > axis.from => {
                let t = (v - axis.from) / (axis.to - axis.from);
                plot.bottom()
                    - ((t * (axis.count - 1) as f64 + 0.5) / axis.count as f64) as f32
                        * plot.height()
            }
            _ => plot.center().y,
        }
    }

    /// A tick at every decade of lr, written in one form (log_ticks); a label only where it
    /// keeps clear of the one before (six decades in a narrow panel ran "1e-5" into "0.0001").
    pub(super) fn paint_lr_axis(&self, painter: &egui::Painter, plot: Rect, inside: Rect) {
        let font = egui::FontId::proportional(12.0);
        let lr = self.spec.lr;
        let mut last_label: Option<Rect> = None;
        let decades: Vec<f64> = (lr.from.log10().ceil() as i32..=lr.to.log10().floor() as i32)
            .map(|k| 10f64.powi(k))
            .collect();
        for (&v, text) in decades.iter().zip(crate::format::log_ticks(&decades)) {
            let x = self.lr_x(plot, v);
            painter.line_segment(
                [pos2(x, plot.bottom()), pos2(x, plot.bottom() + 5.0)],
                Stroke::new(1.0, AXIS),
            );
            let width = painter
                .layout_no_wrap(text.clone(), font.clone(), TEXT)
                .size()
                .x;
            let wanted = Rect::from_center_size(
                pos2(x, plot.bottom() + 14.0),
                vec2(width + LABEL_GAP_PX, 14.0),
            );
            if last_label.is_some_and(|r| r.intersects(wanted)) {
                continue;
            }
            last_label = Some(wanted);
            text_within(
                painter,
                inside,
                pos2(x, plot.bottom() + 7.0),
                egui::Align2::CENTER_TOP,
                text,
                font.clone(),
            );
        }
        text_within(
            painter,
            inside,
            pos2(plot.center().x, plot.bottom() + 24.0),
            egui::Align2::CENTER_TOP,
            "learning rate (log scale)",
            font,
        );
    }

    /// The second hyperparameter's ticks and name along y, where there is one.
    pub(super) fn paint_param_axis(&self, painter: &egui::Painter, plot: Rect, inside: Rect) {
        let Some((name, axis)) = self.spec.param else {
            return;
        };
        let font = egui::FontId::proportional(12.0);
        let param_ticks = nice_ticks(axis.from, axis.to);
        for (&t, text) in param_ticks.iter().zip(crate::format::ticks(&param_ticks)) {
            let y = self.param_y(plot, t);
            painter.line_segment(
                [pos2(plot.left() - 5.0, y), pos2(plot.left(), y)],
                Stroke::new(1.0, AXIS),
            );
            text_within(
                painter,
                inside,
                pos2(plot.left() - 7.0, y),
                egui::Align2::RIGHT_CENTER,
                text,
                font.clone(),
            );
        }
        text_within(
            painter,
            inside,
            pos2(plot.left() - 8.0, plot.top() - 4.0),
            egui::Align2::RIGHT_BOTTOM,
            name,
            font,
        );
    }
}
