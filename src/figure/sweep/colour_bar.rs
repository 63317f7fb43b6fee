//! The sweep's colour scale (log-like for final values, linear for steps) and its colour bar,
//! under the cells in a narrow panel or beside them in a whole figure.

use egui::{Color32, Rect, Stroke, StrokeKind, pos2, vec2};

use super::{AXIS, SweepFigure, TEXT, color, text_within};
use crate::scene::Colormap;
use crate::swarm::CellColors;

/// Maps a metric value to 0..1 on a scale that follows its spread: f − min on a log-like scale
/// (final values span decades near a minimum), steps linearly.
pub(super) struct Scale {
    pub(super) lo: f64,
    pub(super) hi: f64,
    soft: f64,
    log: bool,
}

impl Scale {
    pub(super) fn new(values: impl Iterator<Item = f64>, log: bool) -> Option<Scale> {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| v.is_finite()) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !(lo.is_finite() && hi.is_finite()) {
            return None;
        }
        let soft = ((hi - lo) * 1e-6).max(f64::MIN_POSITIVE);
        Some(Scale { lo, hi, soft, log })
    }

    pub(super) fn t(&self, v: f64) -> f32 {
        if self.hi <= self.lo {
            return 0.5;
        }
        let t = if self.log {
            ((v - self.lo) / self.soft).ln_1p() / ((self.hi - self.lo) / self.soft).ln_1p()
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        t.clamp(0.0, 1.0) as f32
    }

    pub(super) fn value_at(&self, t: f64) -> f64 {
        if self.log {
            self.lo + self.soft * (t * ((self.hi - self.lo) / self.soft).ln_1p()).exp_m1()
        } else {
            self.lo + t * (self.hi - self.lo)
        }
    }
}

impl SweepFigure<'_> {
    /// The colour bar along the figure's foot (a narrow panel): the metric's name, the bar with
    /// its ends and middle labelled under it, and the diverged swatch after it.
    pub(super) fn paint_bar_below(
        &self,
        painter: &egui::Painter,
        full: Rect,
        scale: Option<&Scale>,
        to_color: &dyn Fn(f32) -> Color32,
    ) {
        let small = egui::FontId::proportional(11.0);
        let y = full.bottom() - 30.0;
        let name = painter.text(
            pos2(full.left() + 6.0, y + 5.0),
            egui::Align2::LEFT_CENTER,
            self.metric_label(),
            small.clone(),
            TEXT,
        );
        let bar = Rect::from_min_max(
            pos2(name.right() + 8.0, y),
            pos2(full.right() - 84.0, y + 10.0),
        );
        if let Some(scale) = scale {
            let segments = 48;
            for s in 0..segments {
                let t0 = s as f32 / segments as f32;
                let x0 = bar.left() + t0 * bar.width();
                let x1 = bar.left() + (t0 + 1.0 / segments as f32) * bar.width();
                painter.rect_filled(
                    Rect::from_min_max(pos2(x0, bar.top()), pos2(x1 + 0.5, bar.bottom())),
                    0.0,
                    to_color(t0 + 0.5 / segments as f32),
                );
            }
            let inside = full.shrink2(vec2(2.0, 0.0));
            for (t, align) in [
                (0.0, egui::Align2::LEFT_TOP),
                (0.5, egui::Align2::CENTER_TOP),
                (1.0, egui::Align2::RIGHT_TOP),
            ] {
                text_within(
                    painter,
                    inside,
                    pos2(bar.left() + t * bar.width(), bar.bottom() + 2.0),
                    align,
                    crate::format::number(scale.value_at(f64::from(t))),
                    small.clone(),
                );
            }
        }
        painter.rect_stroke(bar, 0.0, Stroke::new(1.0, AXIS), StrokeKind::Outside);
        let diverged = Rect::from_min_size(pos2(bar.right() + 8.0, y - 1.0), vec2(12.0, 12.0));
        painter.rect_filled(diverged, 0.0, color(CellColors::DIVERGED));
        painter.text(
            pos2(diverged.right() + 3.0, diverged.center().y),
            egui::Align2::LEFT_CENTER,
            "diverged",
            small,
            TEXT,
        );
    }

    /// The colour bar right of the cells, five labels beside it, diverged below it.
    pub(super) fn paint_bar_beside(
        &self,
        painter: &egui::Painter,
        plot: Rect,
        full: Rect,
        bar_width: f32,
        scale: Option<&Scale>,
        to_color: &dyn Fn(f32) -> Color32,
    ) {
        let font = egui::FontId::proportional(12.0);
        let bar = Rect::from_min_max(
            pos2(
                full.right() - bar_width - 6.0,
                plot.top().max(full.top() + 30.0),
            ),
            pos2(
                full.right() - bar_width + 10.0,
                (plot.top() + 160.0)
                    .min(full.bottom() - 40.0)
                    .max(plot.top() + 40.0),
            ),
        );
        painter.text(
            pos2(bar.left(), bar.top() - 4.0),
            egui::Align2::LEFT_BOTTOM,
            self.metric_label(),
            font,
            TEXT,
        );
        if let Some(scale) = scale {
            let segments = 32;
            for s in 0..segments {
                let t0 = s as f32 / segments as f32;
                let y0 = bar.bottom() - t0 * bar.height();
                let y1 = bar.bottom() - (t0 + 1.0 / segments as f32) * bar.height();
                painter.rect_filled(
                    Rect::from_min_max(pos2(bar.left(), y1), pos2(bar.right(), y0 + 0.5)),
                    0.0,
                    to_color(t0 + 0.5 / segments as f32),
                );
            }
            // Five labels, less any that would repeat its neighbour's text (on the log-like scale
            // the lowest values crowd together).
            // One form for all five (log_ticks: no "1e−5" beside "0.01").
            let values: Vec<f64> = (0..5).map(|k| scale.value_at(k as f64 / 4.0)).collect();
            let mut last = String::new();
            for (k, text) in crate::format::log_ticks(&values).into_iter().enumerate() {
                let t = k as f64 / 4.0;
                if text == last {
                    continue;
                }
                let y = bar.bottom() - t as f32 * bar.height();
                painter.text(
                    pos2(bar.right() + 4.0, y),
                    egui::Align2::LEFT_CENTER,
                    &text,
                    egui::FontId::proportional(11.0),
                    TEXT,
                );
                last = text;
            }
        }
        painter.rect_stroke(bar, 0.0, Stroke::new(1.0, AXIS), StrokeKind::Outside);
        let diverged = Rect::from_min_size(pos2(bar.left(), bar.bottom() + 10.0), vec2(16.0, 12.0));
        painter.rect_filled(diverged, 0.0, color(CellColors::DIVERGED));
        painter.text(
            pos2(diverged.right() + 4.0, diverged.center().y),
            egui::Align2::LEFT_CENTER,
            "diverged",
            egui::FontId::proportional(11.0),
            TEXT,
        );
    }
}

/// A sweep cell's colour for t in [0, 1].
pub(super) fn viridis(t: f32) -> Color32 {
    let [r, g, b] = Colormap::Viridis.sample(t);
    Color32::from_rgb((r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8)
}
