//! What egui paints over the 3-D view so that a reader can read it, in the app and in
//! `gradscape render` alike (one code path): the axes' names and tick numbers (placed by
//! `scene::axis_labels`), a colour bar of f with numbers, the legend of the overlays and runs,
//! and for figures a title line and the layout that makes room for them.

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};

use super::color32;
use crate::scene::{SceneDesc, VerticalScale, f_ticks, tick_text};

const TEXT: Color32 = Color32::from_gray(35);
const TICK_FONT: f32 = 12.0;
const NAME_FONT: f32 = 14.0;

/// The axis names and numbers of `scene` drawn in the viewport `view`, leaving out those that
/// would fall on `keep_clear` (a legend over the view).
pub fn paint_axis_labels(
    painter: &egui::Painter,
    view: Rect,
    scene: &SceneDesc,
    keep_clear: &[Rect],
) {
    let mut galleys: Vec<(String, bool, std::sync::Arc<egui::Galley>)> = Vec::new();
    let mut measure = |text: &str, name: bool| {
        let size = if name { NAME_FONT } else { TICK_FONT };
        // egui caches laid-out text between frames: the same numbers cost nothing to measure.
        let galley =
            painter.layout_no_wrap(text.to_owned(), egui::FontId::proportional(size), TEXT);
        let s = galley.size();
        galleys.push((text.to_owned(), name, galley));
        [s.x, s.y]
    };
    let clear: Vec<[f32; 4]> = keep_clear
        .iter()
        .map(|r| {
            let r = r.translate(-view.min.to_vec2());
            [r.left(), r.top(), r.right(), r.bottom()]
        })
        .collect();
    let labels =
        crate::scene::axis_labels(scene, [view.width(), view.height()], &clear, &mut measure);
    for label in labels {
        let Some((_, _, galley)) = galleys
            .iter()
            .find(|(t, n, _)| *t == label.text && *n == label.name)
        else {
            continue;
        };
        let at = view.min + vec2(label.rect_px[0], label.rect_px[1]);
        painter.galley(at, galley.clone(), TEXT);
    }
}

/// The height fraction `t` (0 at the range's bottom, 1 at its top) back to f.
fn f_at(scale: &VerticalScale, t: f64) -> f64 {
    match scale.log_offset {
        None => scale.lo + t * (scale.hi - scale.lo),
        Some(s) => scale.lo + s * ((t / scale.log_norm()).exp() - 1.0),
    }
}

/// Width of a colour bar with its numbers, in points.
pub const COLOUR_BAR_WIDTH: f32 = 78.0;
const BAR_STRIP: f32 = 14.0;

/// A vertical colour bar of the scene's colormap over its z-range in `rect` (about
/// [`COLOUR_BAR_WIDTH`] wide): "f" on top, the numbers of the f axis beside it, log-spaced on a
/// log height scale, as the surface is coloured.
pub fn paint_colour_bar(painter: &egui::Painter, rect: Rect, scene: &SceneDesc) {
    let scale = scene.map.scale;
    let colormap = scene.surface.colormap;
    let title_height = 20.0;
    let bar = Rect::from_min_size(
        pos2(rect.left() + 4.0, rect.top() + title_height),
        vec2(BAR_STRIP, (rect.height() - title_height - 8.0).max(10.0)),
    );
    painter.text(
        pos2(bar.left(), rect.top() + 2.0),
        egui::Align2::LEFT_TOP,
        "f",
        egui::FontId::proportional(NAME_FONT),
        TEXT,
    );
    let max_abs = scale.lo.abs().max(scale.hi.abs()).max(f64::MIN_POSITIVE);
    let color_at = |t: f64| {
        let c = match colormap {
            crate::scene::Colormap::Diverging => 0.5 + 0.5 * f_at(&scale, t) / max_abs,
            _ => t,
        };
        let [r, g, b] = colormap.sample(c as f32);
        color32([r, g, b, 1.0])
    };
    // Bands of vertex-coloured quads: the colormap's stops are piecewise linear in t.
    const BANDS: usize = 48;
    let mut mesh = egui::Mesh::default();
    for k in 0..=BANDS {
        let t = k as f64 / BANDS as f64;
        let y = bar.bottom() - t as f32 * bar.height();
        let c = color_at(t);
        mesh.colored_vertex(pos2(bar.left(), y), c);
        mesh.colored_vertex(pos2(bar.right(), y), c);
        if k > 0 {
            let i = (2 * k) as u32;
            mesh.add_triangle(i - 2, i - 1, i);
            mesh.add_triangle(i - 1, i + 1, i);
        }
    }
    painter.add(egui::Shape::mesh(mesh));
    let axis = Stroke::new(1.0, Color32::from_gray(90));
    painter.rect_stroke(bar, 0.0, axis, egui::StrokeKind::Outside);
    let ticks = f_ticks(&scale);
    let step = ticks
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let font = egui::FontId::proportional(TICK_FONT);
    let mut last_y = f32::INFINITY;
    for v in ticks {
        let t = scale.t_unclamped(v);
        // A hair of slack, as the ticks have: sin's ±1 stand at the bar's ends.
        if !(-2e-3..=1.0 + 2e-3).contains(&t) {
            continue;
        }
        let t = t.clamp(0.0, 1.0);
        let y = bar.bottom() - t as f32 * bar.height();
        painter.line_segment([pos2(bar.right(), y), pos2(bar.right() + 4.0, y)], axis);
        // Numbers closer than a line of text are left out (the bottom one first wins).
        if last_y - y < TICK_FONT + 1.0 {
            continue;
        }
        last_y = y;
        painter.text(
            pos2(bar.right() + 6.0, y),
            egui::Align2::LEFT_CENTER,
            tick_text(v, step),
            font.clone(),
            TEXT,
        );
    }
}

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
    if scene.point_in_view().is_some() {
        if overlays.show_plane {
            push(Swatch::Patch(color32(palette.plane)), "tangent plane at A");
        }
        if overlays.show_partials {
            push(
                Swatch::Line {
                    color: color32(palette.partial_x),
                    dashed: true,
                },
                "∂f/∂x: slope along x",
            );
            push(
                Swatch::Line {
                    color: color32(palette.partial_y),
                    dashed: false,
                },
                "∂f/∂y: slope along y",
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

/// The legend's size for `entries` (plus a header row when `header` is Some), in points.
pub fn legend_size(painter: &egui::Painter, entries: &[LegendEntry], header: bool) -> egui::Vec2 {
    let font = egui::FontId::proportional(TICK_FONT);
    let widest = entries
        .iter()
        .map(|e| {
            painter
                .layout_no_wrap(e.text.clone(), font.clone(), TEXT)
                .size()
                .x
        })
        .fold(0.0f32, f32::max);
    let rows = entries.len() as f32 + if header { 1.0 } else { 0.0 };
    vec2(LEGEND_SWATCH + widest + 18.0, rows * LEGEND_ROW + 8.0)
}

/// A legend box at `top_left`: a white panel with each entry's swatch and text, under a header
/// line when one is given. Returns the box.
pub fn paint_legend(
    painter: &egui::Painter,
    top_left: Pos2,
    entries: &[LegendEntry],
    header: Option<&str>,
) -> Rect {
    let size = legend_size(painter, entries, header.is_some());
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

/// What a figure shows besides the view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FigureOptions {
    /// The title line; None: no title.
    pub title: Option<String>,
    /// Axis names and numbers, and the colour bar.
    pub axes: bool,
    pub legend: bool,
}

/// Where a figure's parts go in an image of `size`: the title line on top, a column on the right
/// with the legend above the colour bar, the 3-D view in the rest (so that no text covers it).
/// Images under 320 × 200 are thumbnails: all view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureLayout {
    pub view: Rect,
    pub title: Option<Rect>,
    /// The right-hand column: the legend from its top, the colour bar in its lower part.
    pub column: Option<Rect>,
}

const TITLE_HEIGHT: f32 = 30.0;
const TITLE_FONT: f32 = 16.0;
/// The right-hand column's width with a legend (its longest entries are about 170 points).
const LEGEND_COLUMN: f32 = 190.0;

impl FigureLayout {
    pub fn new(size_px: [u32; 2], options: &FigureOptions) -> Self {
        let full = Rect::from_min_size(Pos2::ZERO, vec2(size_px[0] as f32, size_px[1] as f32));
        if !Self::roomy(size_px) {
            return Self {
                view: full,
                title: None,
                column: None,
            };
        }
        let mut view = full;
        let title = options.title.as_ref().map(|_| {
            let strip = Rect::from_min_max(full.min, pos2(full.right(), TITLE_HEIGHT));
            view.min.y = strip.bottom();
            strip
        });
        let width = match (options.legend, options.axes) {
            (true, _) => LEGEND_COLUMN,
            (false, true) => COLOUR_BAR_WIDTH,
            (false, false) => 0.0,
        };
        let column = (width > 0.0).then(|| {
            view.max.x -= width + 8.0;
            Rect::from_min_max(
                pos2(view.right(), view.top() + 8.0),
                pos2(full.right() - 8.0, full.bottom() - 8.0),
            )
        });
        Self {
            view,
            title,
            column,
        }
    }

    /// Whether an image of `size_px` has room for text around the view.
    pub fn roomy(size_px: [u32; 2]) -> bool {
        size_px[0] >= 320 && size_px[1] >= 200
    }

    /// The view's size in whole pixels (what the scene is rendered at).
    pub fn view_px(&self) -> [u32; 2] {
        [
            (self.view.width().round() as u32).max(1),
            (self.view.height().round() as u32).max(1),
        ]
    }
}

/// A whole figure: white, the rendered view (`view_texture`, drawn pixel for pixel in the
/// layout's view rect), the title, the axis labels, and in the right-hand column the legend and
/// the colour bar.
pub fn paint_figure(
    ui: &mut egui::Ui,
    layout: &FigureLayout,
    view_texture: egui::TextureId,
    scene: &SceneDesc,
    options: &FigureOptions,
) {
    let painter = ui.painter().clone();
    painter.rect_filled(ui.max_rect(), 0.0, Color32::WHITE);
    painter.image(
        view_texture,
        layout.view,
        Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
        Color32::WHITE,
    );
    if let (Some(strip), Some(title)) = (layout.title, &options.title) {
        // One line: the largest of a few sizes that fits, else the smallest, wrapped.
        let room = strip.width() - 20.0;
        let fitting = [TITLE_FONT, 14.0, 12.5].into_iter().find_map(|size| {
            let g = painter.layout_no_wrap(title.clone(), egui::FontId::proportional(size), TEXT);
            (g.size().x <= room).then_some(g)
        });
        let galley = fitting.unwrap_or_else(|| {
            painter.layout(title.clone(), egui::FontId::proportional(11.0), TEXT, room)
        });
        let at = pos2(
            strip.left() + 10.0,
            strip.center().y - galley.size().y * 0.5,
        );
        painter.with_clip_rect(strip).galley(at, galley, TEXT);
    }
    let Some(column) = layout.column else {
        return;
    };
    if options.axes && scene.overlays.axes {
        paint_axis_labels(
            &painter.with_clip_rect(layout.view),
            layout.view,
            scene,
            &[],
        );
    }
    let mut free_top = column.top();
    if options.legend {
        let entries = legend_entries(scene);
        if !entries.is_empty() {
            free_top = paint_legend(&painter, column.min, &entries, None).bottom() + 16.0;
        }
    }
    if options.axes {
        // The lower part of the column (or under a long legend), at most 320 points tall.
        let top = free_top.max(column.top() + column.height() * 0.4);
        let height = (column.bottom() - top).min(320.0);
        if height >= 60.0 {
            let bar = Rect::from_min_size(pos2(column.left(), top), vec2(COLOUR_BAR_WIDTH, height));
            paint_colour_bar(&painter, bar, scene);
        }
    }
}

/// A figure's title: f as the function panel typesets it, the optimizers with their learning
/// rates, and the start point.
pub fn figure_title(
    formula: &str,
    runs: &[(crate::optim::OptimizerKind, f64)],
    start: Option<&[f64]>,
) -> String {
    let mut title = format!("f = {}", crate::math::pretty(formula));
    if !runs.is_empty() {
        let names: Vec<String> = runs
            .iter()
            .map(|(kind, lr)| crate::scene::run_label(*kind, *lr))
            .collect();
        title.push_str(&format!("   ·   {}", names.join("; ")));
    }
    if let Some(start) = start {
        let coords: Vec<String> = start
            .iter()
            .map(|v| crate::math::format_number(*v).replace('-', "−"))
            .collect();
        title.push_str(&format!("   ·   from ({})", coords.join(", ")));
    }
    title
}
