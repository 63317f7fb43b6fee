//! What egui paints over the 3-D view so that a reader can read it, in the app and in
//! `gradscape render` alike (one code path): the axes' names and tick numbers (placed by
//! `scene::axis_labels`), a colour bar of f with numbers, the legend of the overlays and runs,
//! and for figures a title line and the layout that makes room for them.

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};

use super::color32;
use crate::format::number;
use crate::scene::{SceneDesc, VerticalScale, f_ticks};

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

/// Width of a figure's column for a colour bar alone, in points: room for the strip and numbers
/// up to about 65 points wide ("−1.25e−3", a flat f's "to 5e−324"); wider ones are left out
/// (see [`colour_bar_width`]).
pub const COLOUR_BAR_WIDTH: f32 = 96.0;
const BAR_STRIP: f32 = 14.0;
/// The strip's left margin, and the gap from it (with its tick marks) to the numbers.
const BAR_INSET: f32 = 4.0;
const BAR_GAP: f32 = 6.0;
const BAR_TITLE: f32 = 20.0;
/// The least height worth a colour bar: its title and a strip that still shows a gradient.
pub const COLOUR_BAR_MIN_HEIGHT: f32 = 70.0;

/// The texts beside a colour bar: the f axis's numbers, or for a flat f (see
/// [`VerticalScale::flat`]) what its samples are: "f = 3" "at every sample", or "sampled"
/// and their two ends — said of the samples, since a grid can miss a spike between them.
fn colour_bar_texts(scale: &VerticalScale) -> Vec<String> {
    if let Some((min, max)) = scale.flat {
        return if min == max {
            vec![
                format!("f = {}", number(min)),
                "at every".into(),
                "sample".into(),
            ]
        } else {
            vec!["sampled".into(), number(min), format!("to {}", number(max))]
        };
    }
    crate::format::ticks(&f_ticks(scale))
}

/// The width a colour bar of `scene` takes: `[with its numbers, bare]` (the bare one is the
/// strip and its title "f").
pub fn colour_bar_width(painter: &egui::Painter, scene: &SceneDesc) -> [f32; 2] {
    let font = egui::FontId::proportional(TICK_FONT);
    let widest = colour_bar_texts(&scene.map.scale)
        .into_iter()
        .map(|t| painter.layout_no_wrap(t, font.clone(), TEXT).size().x)
        .fold(0.0f32, f32::max);
    let strip = BAR_INSET + BAR_STRIP + BAR_GAP;
    [strip + widest + BAR_INSET, strip]
}

/// A vertical colour bar of the scene's colormap over its z-range in `rect`: "f" on top and,
/// with `numbers`, the numbers of the f axis beside it, log-spaced on a log height scale, as
/// the surface is coloured. A flat f gets one swatch of its colour and what its value is
/// instead. Returns the rectangle painted on, inside `rect` when it is at least
/// [`colour_bar_width`] wide and [`COLOUR_BAR_MIN_HEIGHT`] tall.
pub fn paint_colour_bar(
    painter: &egui::Painter,
    rect: Rect,
    scene: &SceneDesc,
    numbers: bool,
) -> Rect {
    let scale = scene.map.scale;
    let colormap = scene.surface.colormap;
    let font = egui::FontId::proportional(TICK_FONT);
    let mut painted = painter.text(
        pos2(rect.left() + BAR_INSET, rect.top() + 2.0),
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
    let axis = Stroke::new(1.0, Color32::from_gray(90));
    if let Some((min, max)) = scale.flat {
        // One colour: a swatch, with what f is beside it.
        let swatch = Rect::from_min_size(
            pos2(rect.left() + BAR_INSET, rect.top() + BAR_TITLE),
            vec2(BAR_STRIP, BAR_STRIP),
        );
        painter.rect_filled(swatch, 0.0, color_at(scale.t(min * 0.5 + max * 0.5)));
        painter.rect_stroke(swatch, 0.0, axis, egui::StrokeKind::Outside);
        painted = painted.union(swatch.expand(1.0));
        if numbers {
            let mut y = swatch.top();
            for text in colour_bar_texts(&scale) {
                let r = painter.text(
                    pos2(swatch.right() + BAR_GAP, y),
                    egui::Align2::LEFT_TOP,
                    text,
                    font.clone(),
                    TEXT,
                );
                painted = painted.union(r);
                y = r.bottom() + 1.0;
            }
        }
        return painted;
    }
    let bar = Rect::from_min_size(
        pos2(rect.left() + BAR_INSET, rect.top() + BAR_TITLE),
        vec2(BAR_STRIP, (rect.height() - BAR_TITLE - 8.0).max(10.0)),
    );
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
    painter.rect_stroke(bar, 0.0, axis, egui::StrokeKind::Outside);
    painted = painted.union(bar.expand(1.0));
    if !numbers {
        return painted;
    }
    let mut last_y = f32::INFINITY;
    for (v, text) in f_ticks(&scale).into_iter().zip(colour_bar_texts(&scale)) {
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
        let r = painter.text(
            pos2(bar.right() + BAR_GAP, y),
            egui::Align2::LEFT_CENTER,
            text,
            font.clone(),
            TEXT,
        );
        painted = painted.union(r);
    }
    painted
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

/// Where the app puts its annotations over a view: the legend in the top-left corner, the
/// colour bar at the right edge (under the map when the map is shown), each inside the view and
/// clear of the other and of the map.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ViewPlacement {
    /// The legend's box, and whether it is unfolded; None: no room even for its header.
    pub legend: Option<(Rect, bool)>,
    /// The colour bar's rectangle, and whether its numbers fit; None: no room.
    pub bar: Option<(Rect, bool)>,
}

/// Inset of the app's legend from the view's corner, and the bar's from the right edge.
const LEGEND_INSET: f32 = 8.0;
const BAR_RIGHT_INSET: f32 = 6.0;
/// Room kept under the app's colour bar for the hint line.
const BAR_BOTTOM_ROOM: f32 = 40.0;
/// The app's colour bar is at most this tall, and at least [`APP_BAR_MIN_HEIGHT`].
const APP_BAR_MAX_HEIGHT: f32 = 260.0;
const APP_BAR_MIN_HEIGHT: f32 = 80.0;

/// Places the app's legend (`legend`: its sizes unfolded and folded, unfolded unless `folded`)
/// and colour bar (`bar`: its widths with numbers and bare, see [`colour_bar_width`]) over
/// `view`, keeping clear of the map's rectangle. The legend goes first (it folds when unfolded
/// it would leave the view or cover the map); the bar then keeps its numbers if they fit
/// beside or under the legend, else goes bare, else is left out.
pub fn place_view_annotations(
    view: Rect,
    legend: Option<(egui::Vec2, egui::Vec2)>,
    folded: bool,
    bar: Option<[f32; 2]>,
    map: Option<Rect>,
) -> ViewPlacement {
    let fits = |r: Rect| {
        r.left() >= view.left()
            && r.top() >= view.top()
            && r.right() <= view.right() - LEGEND_INSET
            && r.bottom() <= view.bottom() - LEGEND_INSET
            && !map.is_some_and(|m| m.intersects(r))
    };
    let legend = legend.and_then(|(unfolded, header)| {
        let at = |size| Rect::from_min_size(view.min + vec2(LEGEND_INSET, LEGEND_INSET), size);
        [(unfolded, true), (header, false)]
            .into_iter()
            .filter(|(_, open)| !(folded && *open))
            .map(|(size, open)| (at(size), open))
            .find(|(r, _)| fits(*r))
    });
    let bar = bar.and_then(|widths| {
        let top0 = map.map_or(view.top() + 10.0, |m| m.bottom() + 10.0);
        let bottom = view.bottom() - BAR_BOTTOM_ROOM;
        [(widths[0], true), (widths[1], false)]
            .into_iter()
            .find_map(|(width, numbers)| {
                let left = view.right() - BAR_RIGHT_INSET - width;
                if left < view.left() + LEGEND_INSET {
                    return None;
                }
                let mut top = top0;
                if let Some((l, _)) = legend
                    && l.right() + LEGEND_INSET > left
                    && l.bottom() + 10.0 > top
                {
                    top = l.bottom() + 10.0;
                }
                let height = (bottom - top).min(APP_BAR_MAX_HEIGHT);
                (height >= APP_BAR_MIN_HEIGHT).then(|| {
                    (
                        Rect::from_min_size(pos2(left, top), vec2(width, height)),
                        numbers,
                    )
                })
            })
    });
    ViewPlacement { legend, bar }
}

/// Where a figure's legend and colour bar go in its right-hand column.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ColumnPlacement {
    /// The legend's box, and whether it has every entry (else only the runs and minima, the
    /// overlays' own entries left out for room); None: no room.
    pub legend: Option<(Rect, bool)>,
    /// The colour bar's rectangle, and whether its numbers fit; None: no room.
    pub bar: Option<(Rect, bool)>,
}

/// The gap between a figure's legend and its colour bar.
const COLUMN_GAP: f32 = 16.0;

/// Places a figure's legend (`legend`: its sizes with every entry and with the runs only) and
/// colour bar (`bar`: its widths with numbers and bare) in `column`: the legend from the top,
/// whole if it fits, else its runs, else none, always leaving the bar room; the bar in the
/// lower part (or under a long legend), at most 320 points tall, with numbers if they fit.
pub fn place_in_column(
    column: Rect,
    legend: Option<[egui::Vec2; 2]>,
    bar: Option<[f32; 2]>,
) -> ColumnPlacement {
    let reserve = if bar.is_some() {
        COLOUR_BAR_MIN_HEIGHT + COLUMN_GAP
    } else {
        0.0
    };
    let legend = legend.and_then(|sizes| {
        [(sizes[0], true), (sizes[1], false)]
            .into_iter()
            .map(|(size, whole)| (Rect::from_min_size(column.min, size), whole))
            .find(|(r, _)| {
                r.width() > 0.0
                    && r.right() <= column.right()
                    && r.bottom() <= column.bottom() - reserve
            })
    });
    let bar = bar.and_then(|widths| {
        let free_top = legend.map_or(column.top(), |(r, _)| r.bottom() + COLUMN_GAP);
        let top = free_top.max(column.top() + column.height() * 0.4);
        let height = (column.bottom() - top).min(320.0);
        if height < COLOUR_BAR_MIN_HEIGHT {
            return None;
        }
        [(widths[0], true), (widths[1], false)]
            .into_iter()
            .find(|(w, _)| *w <= column.width())
            .map(|(w, numbers)| {
                (
                    Rect::from_min_size(pos2(column.left(), top), vec2(w, height)),
                    numbers,
                )
            })
    });
    ColumnPlacement { legend, bar }
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
/// The right-hand column's width with a legend (its longest entries are about 170 points), at
/// most this share of a narrow image's width (the legend then keeps what fits).
const LEGEND_COLUMN: f32 = 190.0;
const LEGEND_COLUMN_SHARE: f32 = 0.45;

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
            (true, _) => LEGEND_COLUMN
                .min(full.width() * LEGEND_COLUMN_SHARE)
                .max(COLOUR_BAR_WIDTH),
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

    /// The view's width over its height: what a figure's camera is framed for.
    pub fn view_aspect(&self) -> f32 {
        let [w, h] = self.view_px();
        w as f32 / h as f32
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
    let entries = if options.legend {
        [legend_entries(scene), run_legend_entries(scene)]
    } else {
        [Vec::new(), Vec::new()]
    };
    let legend = (!entries[0].is_empty()).then(|| {
        [
            legend_size(&painter, &entries[0], None),
            legend_size(&painter, &entries[1], None),
        ]
    });
    let bar = options.axes.then(|| colour_bar_width(&painter, scene));
    let placed = place_in_column(column, legend, bar);
    if let Some((rect, whole)) = placed.legend {
        let shown = if whole { &entries[0] } else { &entries[1] };
        paint_legend(&painter, rect.min, shown, None);
    }
    if let Some((rect, numbers)) = placed.bar {
        paint_colour_bar(&painter, rect, scene, numbers);
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
        let coords: Vec<String> = start.iter().map(|v| number(*v)).collect();
        title.push_str(&format!("   ·   from ({})", coords.join(", ")));
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::Function;
    use crate::scene::{Domain, SceneDesc, TrajectoryOverlay};

    /// Runs `f` with a painter of a context set up as the app's, so that text measures as it
    /// is painted.
    fn with_painter<R>(f: impl FnOnce(&egui::Painter) -> R) -> R {
        let ctx = egui::Context::default();
        crate::ui::setup_context(&ctx);
        let (mut f, mut out) = (Some(f), None);
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            if let Some(f) = f.take() {
                out = Some(f(ui.painter()));
            }
        });
        output.textures_delta.clear();
        out.expect("the frame ran")
    }

    /// Scenes whose annotations are big: every overlay of A and three labelled runs; numbers
    /// as wide as the bar gets; and a flat f.
    fn crowded_scenes() -> Vec<SceneDesc> {
        let domain = Domain::new((-3.0, 3.0), (-3.0, 3.0));
        let function = Function::parse("sin(x*y)").unwrap();
        let mut busy = SceneDesc::new(&function, domain, false, 1.6);
        busy.set_point(&function, 0.5, -1.0);
        busy.overlays.show_partials = true;
        busy.overlays.show_arrows = true;
        busy.overlays.eigen = crate::inspect::eigen_symmetric(&function.hessian(&[0.5, -1.0]));
        busy.overlays.minima = vec![[0.0, 0.0, 0.0]];
        for (k, label) in ["sgd, lr 0.1", "momentum, lr 0.1", "adam, lr 0.001"]
            .into_iter()
            .enumerate()
        {
            let run = TrajectoryOverlay {
                points: vec![[1.0, 1.0, 1.0f64.sin()], [0.5, 0.8, 0.4f64.sin()]],
                current: 1,
                color: crate::scene::RUN_COLORS[k],
                label: label.into(),
            };
            busy.overlays.trajectories.push(run);
        }
        let wide = Function::parse("-1.25e-3*x*y").unwrap();
        let flat = Function::parse("5e-324*sign(x*y)").unwrap();
        vec![
            busy,
            SceneDesc::new(&wide, domain, false, 1.6),
            SceneDesc::new(&flat, domain, false, 1.6),
        ]
    }

    fn inside(outer: Rect, inner: Rect) -> bool {
        outer.expand(0.5).contains_rect(inner)
    }

    #[test]
    fn the_apps_legend_and_colour_bar_fit_small_views_clear_of_each_other_and_the_labels() {
        with_painter(|painter| {
            for scene in crowded_scenes() {
                let entries = legend_entries(&scene);
                let legend = (!entries.is_empty()).then(|| {
                    (
                        legend_size(painter, &entries, Some("Legend ▾")),
                        legend_size(painter, &[], Some("Legend ▸")),
                    )
                });
                let bar = colour_bar_width(painter, &scene);
                let mut bars = 0;
                for [w, h] in [
                    [160.0, 120.0],
                    [260.0, 200.0],
                    [240.0, 380.0],
                    [280.0, 560.0],
                    [320.0, 200.0],
                    [400.0, 370.0],
                ]
                .into_iter()
                .chain([[640.0, 400.0], [900.0, 560.0], [1280.0, 800.0]])
                {
                    let view = Rect::from_min_size(pos2(30.0, 40.0), vec2(w, h));
                    for map in [
                        None,
                        Some(Rect::from_min_size(
                            view.right_top() - vec2(236.0, 0.0),
                            vec2(236.0, 240.0),
                        )),
                    ] {
                        let placed = place_view_annotations(view, legend, false, Some(bar), map);
                        let case = format!("{w}×{h}, map {}", map.is_some());
                        let mut taken: Vec<Rect> = map.into_iter().collect();
                        if let Some((r, _)) = placed.legend {
                            assert!(inside(view, r), "{case}: legend {r:?}");
                            assert!(
                                !taken.iter().any(|t| t.intersects(r)),
                                "{case}: legend on the map"
                            );
                            taken.push(r);
                        }
                        if let Some((r, numbers)) = placed.bar {
                            bars += 1;
                            let painted = paint_colour_bar(painter, r, &scene, numbers);
                            assert!(
                                inside(view, painted),
                                "{case}: bar {painted:?} leaves {view:?}"
                            );
                            assert!(inside(r, painted), "{case}: bar {painted:?} outside {r:?}");
                            assert!(
                                !taken.iter().any(|t| t.intersects(painted)),
                                "{case}: the bar {painted:?} overlaps {taken:?}"
                            );
                            taken.push(r);
                        }
                        // The axis numbers keep clear of both.
                        let clear: Vec<[f32; 4]> = taken
                            .iter()
                            .map(|r| r.translate(-view.min.to_vec2()))
                            .map(|r| [r.left(), r.top(), r.right(), r.bottom()])
                            .collect();
                        let mut measure = |text: &str, name: bool| {
                            let size = if name { NAME_FONT } else { TICK_FONT };
                            let g = painter.layout_no_wrap(
                                text.to_owned(),
                                egui::FontId::proportional(size),
                                TEXT,
                            );
                            [g.size().x, g.size().y]
                        };
                        for label in crate::scene::axis_labels(&scene, [w, h], &clear, &mut measure)
                        {
                            let [x0, y0, x1, y1] = label.rect_px;
                            let r = Rect::from_min_max(pos2(x0, y0), pos2(x1, y1))
                                .translate(view.min.to_vec2());
                            assert!(
                                !taken.iter().any(|t| t.intersects(r)),
                                "{case}: {:?} on {taken:?}",
                                label.text
                            );
                        }
                    }
                }
                assert!(bars >= 8, "the bar is drawn where there is room: {bars}");
            }
            // A roomy view keeps the legend unfolded and the bar's numbers.
            let scene = &crowded_scenes()[0];
            let entries = legend_entries(scene);
            let legend = (
                legend_size(painter, &entries, Some("Legend ▾")),
                legend_size(painter, &[], Some("Legend ▸")),
            );
            let view = Rect::from_min_size(Pos2::ZERO, vec2(900.0, 560.0));
            let placed = place_view_annotations(
                view,
                Some(legend),
                false,
                Some(colour_bar_width(painter, scene)),
                None,
            );
            assert!(placed.legend.is_some_and(|(_, open)| open));
            assert!(placed.bar.is_some_and(|(_, numbers)| numbers));
        });
    }

    #[test]
    fn a_figures_legend_and_colour_bar_stay_in_the_image_and_apart() {
        with_painter(|painter| {
            for scene in crowded_scenes() {
                let entries = [legend_entries(&scene), run_legend_entries(&scene)];
                let legend = (!entries[0].is_empty()).then(|| {
                    [
                        legend_size(painter, &entries[0], None),
                        legend_size(painter, &entries[1], None),
                    ]
                });
                let bar = Some(colour_bar_width(painter, &scene));
                for size in [[320, 200], [400, 260], [480, 300], [640, 400], [1280, 800]] {
                    for legend_on in [true, false] {
                        let options = FigureOptions {
                            title: Some("f".into()),
                            axes: true,
                            legend: legend_on,
                        };
                        let layout = FigureLayout::new(size, &options);
                        let image =
                            Rect::from_min_size(Pos2::ZERO, vec2(size[0] as f32, size[1] as f32));
                        let column = layout.column.expect("a column");
                        assert!(
                            !column.intersects(layout.view) || column.left() >= layout.view.right()
                        );
                        let placed = place_in_column(column, legend.filter(|_| legend_on), bar);
                        let case = format!("{size:?}, legend {legend_on}");
                        let (r, numbers) =
                            placed.bar.unwrap_or_else(|| panic!("{case}: a colour bar"));
                        let painted = paint_colour_bar(painter, r, &scene, numbers);
                        assert!(
                            inside(column, painted) && inside(image, painted),
                            "{case}: bar {painted:?} outside {column:?}"
                        );
                        if let Some((l, _)) = placed.legend {
                            assert!(inside(column, l), "{case}: legend {l:?} outside {column:?}");
                            assert!(!l.intersects(painted), "{case}: legend on the bar");
                        }
                        if legend_on && legend.is_some() && size[0] >= 640 {
                            assert!(placed.legend.is_some(), "{case}: room for the legend");
                        }
                        if size[0] >= 640 {
                            assert!(numbers, "{case}: room for the numbers");
                        }
                    }
                }
            }
        });
    }

    #[test]
    fn a_flat_surfaces_colour_bar_says_what_f_is() {
        let domain = Domain::new((-3.0, 3.0), (-3.0, 3.0));
        let constant = SceneDesc::new(&Function::parse("3 + 0*x*y").unwrap(), domain, false, 1.6);
        assert_eq!(
            colour_bar_texts(&constant.map.scale),
            ["f = 3", "at every", "sample"]
        );
        let tiny = SceneDesc::new(
            &Function::parse("5e-324*sign(x*y)").unwrap(),
            domain,
            false,
            1.6,
        );
        assert_eq!(
            colour_bar_texts(&tiny.map.scale),
            ["sampled", "−5e−324", "to 5e−324"]
        );
        // A surface that is not flat gets its numbers.
        let sin = SceneDesc::new(&Function::parse("sin(x*y)").unwrap(), domain, false, 1.6);
        assert_eq!(
            colour_bar_texts(&sin.map.scale).first().map(String::as_str),
            Some("−1.0")
        );
        // The texts are painted, in the bar's rectangle.
        with_painter(|painter| {
            let [width, _] = colour_bar_width(painter, &tiny);
            let rect = Rect::from_min_size(Pos2::ZERO, vec2(width, 120.0));
            let painted = paint_colour_bar(painter, rect, &tiny, true);
            assert!(
                inside(rect, painted) && painted.right() > width - 6.0,
                "{painted:?}"
            );
        });
    }
}
