//! The legend of what the 3-D view shows: one entry per overlay of the point A and per run,
//! each with a swatch drawn as the view draws that thing.

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};

use super::{TEXT, TICK_FONT};
use crate::figure::color32;
use crate::scene::SceneDesc;

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Swatch {
    /// A translucent square (the tangent plane).
    Patch(Color32),
    /// A line, dashed or solid.
    Line { color: Color32, dashed: bool },
    /// An arrow.
    Arrow(Color32),
    /// A ball (minima).
    Ball(Color32),
}

/// One line of the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub swatch: Swatch,
    pub text: String,
}

/// What the view shows, one entry each: the tangent plane, the partial-derivative lines, the
/// gradient and descent direction, the eigen-directions, the minima, and every run with its
/// optimizer and learning rate.
pub fn legend_entries(scene: &SceneDesc) -> Vec<LegendEntry> {
    entries_of(scene, true)
}

/// The legend entries of the minima and the runs only: what a narrow figure keeps.
pub fn run_legend_entries(scene: &SceneDesc) -> Vec<LegendEntry> {
    entries_of(scene, false)
}

fn entries_of(scene: &SceneDesc, point_overlays: bool) -> Vec<LegendEntry> {
    let palette = &scene.palette;
    let overlays = &scene.overlays;
    let mut out = Vec::new();
    let mut push = |swatch, text: &str| {
        out.push(LegendEntry {
            swatch,
            text: text.to_owned(),
        })
    };
    // The point's overlays only while A is in the view (a render's A follows the first run,
    // which may have left it).
    if point_overlays && scene.point_in_view().is_some() {
        if overlays.show_plane {
            push(Swatch::Patch(color32(palette.plane)), "tangent plane at A");
        }
        if overlays.show_partials {
            let [x, y, _] = &scene.axis_names;
            push(
                Swatch::Line {
                    color: color32(palette.partial_x),
                    dashed: true,
                },
                &format!("∂f/∂{x}: slope along {x}"),
            );
            push(
                Swatch::Line {
                    color: color32(palette.partial_y),
                    dashed: false,
                },
                &format!("∂f/∂{y}: slope along {y}"),
            );
        }
        if overlays.show_arrows {
            push(
                Swatch::Arrow(color32(palette.gradient)),
                "∇f: steepest ascent",
            );
            push(
                Swatch::Arrow(color32(palette.descent)),
                "−∇f: descent direction",
            );
        }
        if overlays.eigen.len() == 2 {
            push(
                Swatch::Line {
                    color: color32(palette.eigen_major),
                    dashed: false,
                },
                "Hessian eigen-direction, λ₁",
            );
            push(
                Swatch::Line {
                    color: color32(palette.eigen_minor),
                    dashed: false,
                },
                "Hessian eigen-direction, λ₂",
            );
        }
    }
    if !overlays.minima.is_empty() {
        push(Swatch::Ball(color32(palette.minimum)), "known minima");
    }
    for run in &overlays.trajectories {
        let text = if run.label.is_empty() {
            "run"
        } else {
            &run.label
        };
        push(
            Swatch::Line {
                color: color32(run.color),
                dashed: false,
            },
            text,
        );
    }
    out
}

const LEGEND_ROW: f32 = 17.0;
const LEGEND_SWATCH: f32 = 26.0;

/// The legend's size for `entries` under a `header` line, if any, in points.
pub fn legend_size(
    painter: &egui::Painter,
    entries: &[LegendEntry],
    header: Option<&str>,
) -> egui::Vec2 {
    let font = egui::FontId::proportional(TICK_FONT);
    let width = |text: &str| {
        painter
            .layout_no_wrap(text.to_owned(), font.clone(), TEXT)
            .size()
            .x
    };
    let widest = entries
        .iter()
        .map(|e| LEGEND_SWATCH + width(&e.text) + 18.0)
        .chain(header.map(|h| width(h) + 18.0))
        .fold(0.0f32, f32::max);
    let rows = entries.len() as f32 + if header.is_some() { 1.0 } else { 0.0 };
    vec2(widest, rows * LEGEND_ROW + 8.0)
}

/// A legend box at `top_left`: a white panel with each entry's swatch and text, under a header
/// line when one is given. Returns the box.
pub fn paint_legend(
    painter: &egui::Painter,
    top_left: Pos2,
    entries: &[LegendEntry],
    header: Option<&str>,
) -> Rect {
    let size = legend_size(painter, entries, header);
    let rect = Rect::from_min_size(top_left, size);
    painter.rect_filled(rect, 3.0, Color32::from_white_alpha(225));
    painter.rect_stroke(
        rect,
        3.0,
        Stroke::new(1.0, Color32::from_gray(170)),
        egui::StrokeKind::Inside,
    );
    let font = egui::FontId::proportional(TICK_FONT);
    let mut y = rect.top() + 4.0 + LEGEND_ROW * 0.5;
    if let Some(header) = header {
        painter.text(
            pos2(rect.left() + 6.0, y),
            egui::Align2::LEFT_CENTER,
            header,
            font.clone(),
            TEXT,
        );
        y += LEGEND_ROW;
    }
    for entry in entries {
        let sw = Rect::from_center_size(
            pos2(rect.left() + 6.0 + LEGEND_SWATCH * 0.5 - 2.0, y),
            vec2(LEGEND_SWATCH - 6.0, LEGEND_ROW - 5.0),
        );
        paint_swatch(painter, sw, entry.swatch);
        painter.text(
            pos2(rect.left() + 6.0 + LEGEND_SWATCH, y),
            egui::Align2::LEFT_CENTER,
            &entry.text,
            font.clone(),
            TEXT,
        );
        y += LEGEND_ROW;
    }
    rect
}

fn paint_swatch(painter: &egui::Painter, rect: Rect, swatch: Swatch) {
    let (l, r, c) = (rect.left(), rect.right(), rect.center().y);
    match swatch {
        Swatch::Patch(color) => {
            painter.rect_filled(rect.shrink(1.0), 1.0, color);
            painter.rect_stroke(
                rect.shrink(1.0),
                1.0,
                Stroke::new(1.0, color.to_opaque()),
                egui::StrokeKind::Inside,
            );
        }
        Swatch::Line { color, dashed } => {
            let stroke = Stroke::new(3.0, color);
            if dashed {
                let dash = (r - l) / 3.0;
                painter.line_segment([pos2(l, c), pos2(l + dash, c)], stroke);
                painter.line_segment([pos2(r - dash, c), pos2(r, c)], stroke);
            } else {
                painter.line_segment([pos2(l, c), pos2(r, c)], stroke);
            }
        }
        Swatch::Arrow(color) => {
            let stroke = Stroke::new(2.5, color);
            painter.line_segment([pos2(l, c), pos2(r, c)], stroke);
            painter.line_segment([pos2(r, c), pos2(r - 6.0, c - 4.0)], stroke);
            painter.line_segment([pos2(r, c), pos2(r - 6.0, c + 4.0)], stroke);
        }
        Swatch::Ball(color) => {
            painter.circle(
                rect.center(),
                5.0,
                color,
                Stroke::new(1.5, Color32::from_gray(40)),
            );
        }
    }
}
