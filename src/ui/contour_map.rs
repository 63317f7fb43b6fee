//! The top-down map in the viewport's corner: f as a banded heat map with contour lines,
//! every run's path, the minima and the start point. Press or drag anywhere on it to move the
//! start; hovering it sets the point under the cursor, like hovering the surface does.

use super::{Model, color32};

/// Texels per side of the heat map (f is evaluated there on the CPU, once per surface).
const TEXELS: usize = 160;
/// Bands of equal height; their edges are the contour lines.
const BANDS: f64 = 16.0;
/// The map's longer side, in points.
const MAP_SIZE: f32 = 220.0;

/// The heat map for one surface version, kept in egui's memory between frames.
#[derive(Clone)]
struct Cached {
    version: u64,
    colormap: crate::scene::Colormap,
    texture: egui::TextureHandle,
}

/// Where the map goes in `viewport` (its top-right corner), or None where it does not fit.
pub(super) fn map_rect(model: &Model, viewport: egui::Rect) -> Option<egui::Rect> {
    let domain = model.state.domain;
    let (w, h) = (domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
    // Keep the domain's aspect, within reason, so circles look round.
    let aspect = (h / w).clamp(0.4, 2.5) as f32;
    // In a small view the map takes at most about a third of it, leaving the surface room.
    let side = MAP_SIZE
        .min(viewport.width() * 0.35)
        .min(viewport.height() * 0.4)
        .max(80.0);
    let size = if aspect <= 1.0 {
        egui::vec2(side, side * aspect)
    } else {
        egui::vec2(side / aspect, side)
    };
    let margin = 10.0;
    let rect = egui::Rect::from_min_size(
        viewport.right_top() + egui::vec2(-size.x - margin, margin),
        size,
    );
    viewport
        .contains_rect(rect.expand(margin * 0.5))
        .then_some(rect)
}

/// Draws the map in the top-right corner of `viewport` and handles its gestures. Returns
/// whether the pointer is over it (the viewport then leaves the hover point alone).
pub(super) fn show(ui: &mut egui::Ui, model: &mut Model, viewport: egui::Rect) -> bool {
    let Some(rect) = map_rect(model, viewport) else {
        return false;
    };
    let frame = MapFrame {
        rect,
        domain: model.state.domain,
    };
    let painter = ui.painter().with_clip_rect(rect.expand(2.0));
    paint_background(ui, model, &painter, rect);
    let hovered = follow_pointer(ui, model, &frame);
    let scene = model.scene();
    paint_runs(&painter, &scene, &frame);
    paint_marks(&painter, &scene, model.state.start, &frame);
    paint_size_label(&painter, &frame);
    super::swarm::viewport_legend(ui, model, rect);
    hovered
}

/// The map's rectangle and the domain it shows: domain (x, y) ↔ screen, y growing upward
/// on the map, as on a graph.
struct MapFrame {
    rect: egui::Rect,
    domain: crate::workspace::DomainState,
}

impl MapFrame {
    fn size(&self) -> (f64, f64) {
        let d = &self.domain;
        (d.x[1] - d.x[0], d.y[1] - d.y[0])
    }

    fn to_screen(&self, x: f64, y: f64) -> egui::Pos2 {
        let (w, h) = self.size();
        let (rect, d) = (self.rect, &self.domain);
        egui::pos2(
            rect.left() + ((x - d.x[0]) / w) as f32 * rect.width(),
            rect.bottom() - ((y - d.y[0]) / h) as f32 * rect.height(),
        )
    }

    fn to_domain(&self, p: egui::Pos2) -> [f64; 2] {
        let (w, h) = self.size();
        let (rect, d) = (self.rect, &self.domain);
        [
            d.x[0] + f64::from((p.x - rect.left()) / rect.width()) * w,
            d.y[0] + f64::from((rect.bottom() - p.y) / rect.height()) * h,
        ]
    }
}

/// The heat map of f, or the basins where they are on, on a light plate.
fn paint_background(ui: &egui::Ui, model: &mut Model, painter: &egui::Painter, rect: egui::Rect) {
    // With basins on, the map shows them instead of f's heat map (texel centres on the lattice).
    let (texture, uv) = match super::swarm::basin_texture(ui.ctx(), model) {
        Some(basins) => {
            let uv = crate::figure::lattice_uv(&basins);
            (basins, uv)
        }
        None => (
            texture(ui.ctx(), model),
            egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
        ),
    };
    painter.rect_filled(rect.expand(2.0), 3.0, egui::Color32::from_white_alpha(230));
    painter.image(texture.id(), rect, uv, egui::Color32::WHITE);
    painter.rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, egui::Color32::from_gray(90)),
        egui::StrokeKind::Outside,
    );
}

/// A press or drag moves the start point; the hover says what the cell there does. Returns
/// whether the pointer is over the map.
fn follow_pointer(ui: &mut egui::Ui, model: &mut Model, frame: &MapFrame) -> bool {
    let rect = frame.rect;
    let response = ui
        .interact(
            rect,
            ui.scope_id().with("contour map"),
            egui::Sense::click_and_drag(),
        )
        .on_hover_ui(|ui| {
            ui.label("Seen from above. Press or drag here to move the start point.");
            if let Some(p) = ui.ctx().pointer_hover_pos()
                && let Some(text) = super::swarm::describe_cell(model, frame.to_domain(p))
            {
                ui.label(text);
            }
        });
    if (response.clicked() || response.dragged())
        && let Some(p) = response.interact_pointer_pos()
    {
        let [x, y] = frame.to_domain(p);
        model.dragging_start = response.dragged();
        model.set_start(x, y);
    }
    if response.drag_stopped() {
        model.dragging_start = false;
    }
    let hovered = response.hovered();
    if hovered && let Some(p) = response.hover_pos() {
        model.hover_point = Some(frame.to_domain(p));
        ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
    }

    hovered
}

/// Each run's path, cut to the map, with its ball or the cross where it left.
fn paint_runs(painter: &egui::Painter, scene: &crate::scene::SceneDesc, frame: &MapFrame) {
    let domain = frame.domain;
    let (lo, hi) = ([domain.x[0], domain.y[0]], [domain.x[1], domain.y[1]]);
    for run in &scene.overlays.trajectories {
        let shown = run.current.saturating_add(1).min(run.points.len());
        // Every n-th point and the last: a long run is thousands of segments, each a few
        // triangles for the rasteriser, on a map a couple of hundred points wide.
        let every = shown.div_ceil(super::plot::MAX_LINE_POINTS).max(1);
        let points: Vec<Option<[f64; 2]>> = run.points[..shown]
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0 || i + 1 == shown)
            .map(|(_, p)| (p[0].is_finite() && p[1].is_finite()).then_some([p[0], p[1]]))
            .collect();
        // Cut to the map in f64: a diverged run ends with a cross where it left, not with a
        // line to a point f32 cannot hold.
        let path = crate::scene::clip_path(&points, lo, hi);
        let color = color32(run.color);
        let stroke = egui::Stroke::new(2.0, color);
        let mut polyline: Vec<egui::Pos2> = Vec::new();
        for (a, b) in &path.segments {
            let (a, b) = (frame.to_screen(a[0], a[1]), frame.to_screen(b[0], b[1]));
            if polyline.last() != Some(&a) {
                painter.add(egui::Shape::line(std::mem::take(&mut polyline), stroke));
                polyline.push(a);
            }
            polyline.push(b);
        }
        painter.add(egui::Shape::line(polyline, stroke));
        if let Some([x, y]) = path.end {
            painter.circle(
                frame.to_screen(x, y),
                4.0,
                color,
                egui::Stroke::new(1.0, egui::Color32::BLACK),
            );
        } else if let Some([x, y]) = path.exit {
            exit_cross(painter, frame.to_screen(x, y), color);
        }
    }
}

/// The known minima, A, and the start point's ring.
fn paint_marks(
    painter: &egui::Painter,
    scene: &crate::scene::SceneDesc,
    [sx, sy]: [f64; 2],
    frame: &MapFrame,
) {
    for m in &scene.overlays.minima {
        painter.circle(
            frame.to_screen(m[0], m[1]),
            3.0,
            egui::Color32::WHITE,
            egui::Stroke::new(1.0, egui::Color32::BLACK),
        );
    }
    if let Some(at) = scene.overlays.at {
        let c = frame.to_screen(at.x, at.y);
        let stroke = egui::Stroke::new(1.5, egui::Color32::from_gray(20));
        painter.line_segment([c - egui::vec2(6.0, 0.0), c + egui::vec2(6.0, 0.0)], stroke);
        painter.line_segment([c - egui::vec2(0.0, 6.0), c + egui::vec2(0.0, 6.0)], stroke);
    }
    let start = frame.to_screen(sx, sy);
    painter.circle_stroke(start, 6.5, egui::Stroke::new(1.5, egui::Color32::WHITE));
    painter.circle_stroke(
        start,
        5.0,
        egui::Stroke::new(2.0, egui::Color32::from_gray(20)),
    );
}

/// "x →  y ↑" and the domain's size, bottom left.
fn paint_size_label(painter: &egui::Painter, frame: &MapFrame) {
    let (w, h) = frame.size();
    let rect = frame.rect;
    // On a light plate: the map's dark colours would swallow dark text.
    let label = painter.layout_no_wrap(
        format!("x →  y ↑   ({}×{})", fmt_len(w), fmt_len(h)),
        egui::FontId::proportional(11.0),
        egui::Color32::from_gray(20),
    );
    let at = rect.left_bottom() + egui::vec2(3.0, -2.0 - label.size().y);
    painter.rect_filled(
        egui::Rect::from_min_size(at, label.size()).expand2(egui::vec2(3.0, 1.0)),
        2.0,
        egui::Color32::from_white_alpha(210),
    );
    painter.galley(at, label, egui::Color32::from_gray(20));
}

/// Where a run left the map: a cross in its colour over a dark one.
fn exit_cross(painter: &egui::Painter, at: egui::Pos2, color: egui::Color32) {
    for (width, c) in [(4.0, egui::Color32::from_gray(20)), (2.0, color)] {
        let stroke = egui::Stroke::new(width, c);
        for d in [egui::vec2(5.0, 5.0), egui::vec2(5.0, -5.0)] {
            painter.line_segment([at - d, at + d], stroke);
        }
    }
}

fn fmt_len(v: f64) -> String {
    crate::format::number(v)
}

/// The heat map of the current surface, rebuilt when the surface or the colormap changes.
fn texture(ctx: &egui::Context, model: &Model) -> egui::TextureHandle {
    let id = egui::Id::unique("contour map texture");
    let colormap = model.state.display.colormap;
    let version = model.surface_version();
    if let Some(cached) = ctx.data(|d| d.get_temp::<Cached>(id))
        && cached.version == version
        && cached.colormap == colormap
    {
        return cached.texture;
    }
    let image = heat_map(model);
    let texture = ctx.load_texture("contour map", image, egui::TextureOptions::LINEAR);
    ctx.data_mut(|d| {
        d.insert_temp(
            id,
            Cached {
                version,
                colormap,
                texture: texture.clone(),
            },
        );
    });
    texture
}

/// f over the domain, coloured as the surface is, in bands whose edges are darkened into
/// contour lines; NaN points are light grey holes.
fn heat_map(model: &Model) -> egui::ColorImage {
    let domain = model.state.domain;
    let grid = crate::cpu_grid::evaluate(
        model.surface_function(),
        (domain.x[0], domain.x[1]),
        (domain.y[0], domain.y[1]),
        TEXELS,
        TEXELS,
    );
    let scale = model.world_map().scale;
    let colormap = model.state.display.colormap;
    let values: Vec<f64> = grid.iter().map(|p| f64::from(p[0])).collect();
    // The surface's own z-range: the same colours, and the same cut (pale) outside it.
    let max_abs = scale.lo.abs().max(scale.hi.abs()).max(f64::MIN_POSITIVE);
    let t_of = |v: f64| match colormap {
        crate::scene::Colormap::Diverging => 0.5 + 0.5 * v / max_abs,
        _ => scale.t(v),
    };
    let band = |v: f64| (scale.t(v) * BANDS).floor().min(BANDS - 1.0) as i64;
    let mut pixels = vec![egui::Color32::TRANSPARENT; TEXELS * TEXELS];
    for i in 0..TEXELS {
        for j in 0..TEXELS {
            let v = values[i * TEXELS + j];
            // Row 0 of the grid is the lowest y; the image's row 0 is its top.
            let out = &mut pixels[(TEXELS - 1 - i) * TEXELS + j];
            if !v.is_finite() {
                *out = egui::Color32::from_gray(225);
                continue;
            }
            let [r, g, b] = colormap.sample(t_of(v) as f32);
            if !scale.shows(v) {
                // Cut from the surface: the colour of the range's end, faded towards white.
                let fade = |c: f32| ((0.35 * c + 0.65) * 255.0) as u8;
                *out = egui::Color32::from_rgb(fade(r), fade(g), fade(b));
                continue;
            }
            let here = band(v);
            let edge = [(i + 1, j), (i, j + 1)].into_iter().any(|(a, c)| {
                a < TEXELS
                    && c < TEXELS
                    && values[a * TEXELS + c].is_finite()
                    && band(values[a * TEXELS + c]) != here
            });
            let shade = if edge { 0.55 } else { 1.0 };
            *out = egui::Color32::from_rgb(
                (r * shade * 255.0) as u8,
                (g * shade * 255.0) as u8,
                (b * shade * 255.0) as u8,
            );
        }
    }
    egui::ColorImage::new([TEXELS, TEXELS], pixels)
}
