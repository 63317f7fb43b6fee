//! The swarm's figures, painted with egui so the app and `gradscape basins|sweep --out FILE.png`
//! draw the same thing: the basin map with its axes and legend, and the hyperparameter heatmap
//! with its axes, colour bar and the current setting marked.

use egui::{Color32, Rect, Stroke, StrokeKind, pos2, vec2};

use crate::format::number;
use crate::optim::Status;
use crate::scene::{Colormap, nice_ticks};
use crate::swarm::{BasinClass, BasinMap, CellColors, End, SweepSpec};

const TEXT: Color32 = Color32::from_gray(30);
const AXIS: Color32 = Color32::from_gray(90);

/// A basin map over a lattice, with what it needs to be labelled.
pub struct BasinFigure<'a> {
    pub title: String,
    pub x_range: (f64, f64),
    /// None for a 1-D function (a strip along x).
    pub y_range: Option<(f64, f64)>,
    /// Starts per axis.
    pub side: usize,
    pub map: &'a BasinMap,
    pub ends: &'a [End],
}

/// The basin map as an image, row 0 at the top (the lattice's last y), nearest-neighbour.
pub fn basin_image(map: &BasinMap, ends: &[End], side: usize, rows: usize) -> egui::ColorImage {
    let colors = CellColors::image(map, ends);
    let mut pixels = Vec::with_capacity(side * rows);
    for r in 0..rows {
        let i = rows - 1 - r;
        for j in 0..side {
            let [red, g, b, a] = colors.get(i * side + j).copied().unwrap_or([0, 0, 0, 0]);
            pixels.push(Color32::from_rgba_unmultiplied(red, g, b, a));
        }
    }
    egui::ColorImage::new([side, rows], pixels)
}

/// A texture kept in egui's memory under `id` and rebuilt only when `version` changes, so a
/// figure drawn every frame uploads its image once.
pub fn cached_texture(
    ctx: &egui::Context,
    id: egui::Id,
    version: u64,
    make: impl FnOnce() -> egui::ColorImage,
) -> egui::TextureHandle {
    if let Some((v, handle)) = ctx.data(|d| d.get_temp::<(u64, egui::TextureHandle)>(id))
        && v == version
    {
        return handle;
    }
    let handle = ctx.load_texture(format!("{id:?}"), make(), egui::TextureOptions::NEAREST);
    ctx.data_mut(|d| d.insert_temp(id, (version, handle.clone())));
    handle
}

impl BasinFigure<'_> {
    /// The whole figure in the space `ui` offers: title, map with axes, legend on the right.
    pub fn show(&self, ui: &mut egui::Ui) {
        let full = ui.max_rect();
        let painter = ui.painter().clone();
        painter.rect_filled(full, 0.0, Color32::WHITE);
        let title_galley = painter.layout(
            self.title.clone(),
            egui::FontId::proportional(16.0),
            TEXT,
            full.width() - 24.0,
        );
        let title_height = title_galley.size().y;
        painter.galley(full.min + vec2(12.0, 10.0), title_galley, TEXT);
        let legend_width = 230.0;
        let area = Rect::from_min_max(
            full.min + vec2(70.0, 24.0 + title_height),
            full.max - vec2(legend_width + 20.0, 50.0),
        );
        let rows = if self.y_range.is_some() { self.side } else { 1 };
        let texture = cached_texture(ui.ctx(), egui::Id::unique("basin figure"), 0, || {
            basin_image(self.map, self.ends, self.side, rows)
        });
        let plot = self.plot_rect(area);
        paint_image(&painter, &texture, plot);
        self.paint_axes(&painter, plot);
        let legend = Rect::from_min_size(
            pos2(full.max.x - legend_width - 10.0, area.min.y),
            vec2(legend_width, area.height()),
        );
        let mut legend_ui = ui.new_child(egui::UiBuilder::new().max_rect(legend));
        basin_legend(&mut legend_ui, self.map, true);
    }

    /// The map's rectangle in `area`: the domain's aspect (within reason) for 2-D, a strip for 1-D.
    fn plot_rect(&self, area: Rect) -> Rect {
        let Some(y) = self.y_range else {
            return Rect::from_center_size(
                area.center(),
                vec2(area.width(), 80.0_f32.min(area.height())),
            );
        };
        let aspect = ((y.1 - y.0) / (self.x_range.1 - self.x_range.0)).clamp(0.25, 4.0) as f32;
        let width = area.width().min(area.height() / aspect);
        Rect::from_center_size(area.center(), vec2(width, width * aspect))
    }

    fn paint_axes(&self, painter: &egui::Painter, plot: Rect) {
        painter.rect_stroke(plot, 0.0, Stroke::new(1.0, AXIS), StrokeKind::Outside);
        let font = egui::FontId::proportional(12.0);
        let (x0, x1) = self.x_range;
        let x_ticks = nice_ticks(x0, x1);
        for (&t, text) in x_ticks.iter().zip(crate::format::ticks(&x_ticks)) {
            let px = plot.left() + ((t - x0) / (x1 - x0)) as f32 * plot.width();
            painter.line_segment(
                [pos2(px, plot.bottom()), pos2(px, plot.bottom() + 5.0)],
                Stroke::new(1.0, AXIS),
            );
            painter.text(
                pos2(px, plot.bottom() + 7.0),
                egui::Align2::CENTER_TOP,
                text,
                font.clone(),
                TEXT,
            );
        }
        painter.text(
            pos2(plot.center().x, plot.bottom() + 24.0),
            egui::Align2::CENTER_TOP,
            "x (start)",
            font.clone(),
            TEXT,
        );
        if let Some((y0, y1)) = self.y_range {
            let y_ticks = nice_ticks(y0, y1);
            for (&t, text) in y_ticks.iter().zip(crate::format::ticks(&y_ticks)) {
                let py = plot.bottom() - ((t - y0) / (y1 - y0)) as f32 * plot.height();
                painter.line_segment(
                    [pos2(plot.left() - 5.0, py), pos2(plot.left(), py)],
                    Stroke::new(1.0, AXIS),
                );
                painter.text(
                    pos2(plot.left() - 7.0, py),
                    egui::Align2::RIGHT_CENTER,
                    text,
                    font.clone(),
                    TEXT,
                );
            }
            painter.text(
                pos2(plot.left() - 8.0, plot.top() - 4.0),
                egui::Align2::RIGHT_BOTTOM,
                "y",
                font.clone(),
                TEXT,
            );
            // The minima the basins are named after, where they fall inside the map.
            for (k, c) in self.map.centers.iter().enumerate() {
                if self.map.sizes[k] == 0 && !self.map.known[k] {
                    continue;
                }
                let p = pos2(
                    plot.left() + ((c[0] - x0) / (x1 - x0)) as f32 * plot.width(),
                    plot.bottom() - ((c[1] - y0) / (y1 - y0)) as f32 * plot.height(),
                );
                if plot.contains(p) {
                    painter.circle(p, 4.0, Color32::WHITE, Stroke::new(1.5, Color32::BLACK));
                }
            }
        }
    }
}

fn paint_image(painter: &egui::Painter, texture: &egui::TextureHandle, rect: Rect) {
    painter.image(texture.id(), rect, lattice_uv(texture), Color32::WHITE);
}

/// The texture coordinates that put texel k's centre on lattice point k, so a map whose rect
/// spans the lattice's first to last point is not shifted by up to half a cell.
pub fn lattice_uv(texture: &egui::TextureHandle) -> Rect {
    let [w, h] = texture.size().map(|v| v.max(1) as f32);
    Rect::from_min_max(pos2(0.5 / w, 0.5 / h), pos2(1.0 - 0.5 / w, 1.0 - 0.5 / h))
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

fn color(rgb: [u8; 3]) -> Color32 {
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

fn swatch(ui: &mut egui::Ui, fill: Color32, label: String) {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 2.0, fill);
        ui.painter()
            .rect_stroke(rect, 2.0, Stroke::new(1.0, AXIS), StrokeKind::Inside);
        ui.label(egui::RichText::new(label).color(TEXT));
    });
}

/// The legend: each basin's colour with its minimum and share of the starts, then diverged,
/// unsettled and singular cells, and what the shading means. `all` lists basins no start reached.
pub fn basin_legend(ui: &mut egui::Ui, map: &BasinMap, all: bool) {
    ui.spacing_mut().item_spacing.y = 3.0;
    for k in 0..map.centers.len().min(crate::swarm::MAX_BASINS) {
        if map.sizes[k] == 0 && !all {
            continue;
        }
        let [x, y] = map.centers[k];
        let what = if map.known[k] { "minimum" } else { "ends near" };
        let at = if map.dims == 1 {
            number(x)
        } else {
            format!("{}, {}", number(x), number(y))
        };
        swatch(
            ui,
            color(CellColors::basin(k)),
            format!("{what} ({at}): {:.1} %", 100.0 * map.share(k)),
        );
    }
    if let Some((count, cells)) = map.more() {
        swatch(
            ui,
            color(CellColors::basin(crate::swarm::MAX_BASINS)),
            format!("{count} more minima: {:.1} %", 100.0 * map.share_of(cells)),
        );
    }
    swatch(
        ui,
        color(CellColors::DIVERGED),
        format!("diverged: {:.1} %", 100.0 * map.share_of(map.diverged)),
    );
    swatch(
        ui,
        color(CellColors::UNSETTLED),
        format!(
            "did not settle: {:.1} %",
            100.0 * map.share_of(map.unsettled)
        ),
    );
    if map.singular > 0 {
        swatch(
            ui,
            color(CellColors::SINGULAR),
            format!(
                "singular Hessian: {:.1} %",
                100.0 * map.share_of(map.singular)
            ),
        );
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(60.0, 12.0), egui::Sense::hover());
        let segments = 12;
        for s in 0..segments {
            let t = s as f32 / (segments - 1) as f32;
            let taken = map.fewest_steps as f32
                + t * map.most_steps.saturating_sub(map.fewest_steps) as f32;
            let c = CellColors::of(BasinClass::Basin(0), taken as u32, map);
            let x0 = rect.left() + rect.width() * s as f32 / segments as f32;
            ui.painter().rect_filled(
                Rect::from_min_max(
                    pos2(x0, rect.top()),
                    pos2(x0 + rect.width() / segments as f32 + 0.5, rect.bottom()),
                ),
                0.0,
                color(c),
            );
        }
        ui.label(
            egui::RichText::new(format!(
                "darker = more steps ({} … {})",
                map.fewest_steps, map.most_steps
            ))
            .color(TEXT)
            .small(),
        );
    });
}

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

/// The least room between two tick labels of the lr axis.
const LABEL_GAP_PX: f32 = 8.0;

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

/// Maps a metric value to 0..1 on a scale that follows its spread: f − min on a log-like scale
/// (final values span decades near a minimum), steps linearly.
struct Scale {
    lo: f64,
    hi: f64,
    soft: f64,
    log: bool,
}

impl Scale {
    fn new(values: impl Iterator<Item = f64>, log: bool) -> Option<Scale> {
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

    fn t(&self, v: f64) -> f32 {
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

    fn value_at(&self, t: f64) -> f64 {
        if self.log {
            self.lo + self.soft * (t * ((self.hi - self.lo) / self.soft).ln_1p()).exp_m1()
        } else {
            self.lo + t * (self.hi - self.lo)
        }
    }
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

    /// Where learning rate `v` falls along x: at the centre of its column.
    fn lr_x(&self, plot: Rect, v: f64) -> f32 {
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
    fn param_y(&self, plot: Rect, v: f64) -> f32 {
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
    fn paint_lr_axis(&self, painter: &egui::Painter, plot: Rect, inside: Rect) {
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
    fn paint_param_axis(&self, painter: &egui::Painter, plot: Rect, inside: Rect) {
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

    /// The colour bar along the figure's foot (a narrow panel): the metric's name, the bar with
    /// its ends and middle labelled under it, and the diverged swatch after it.
    fn paint_bar_below(
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
    fn paint_bar_beside(
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
fn viridis(t: f32) -> Color32 {
    let [r, g, b] = Colormap::Viridis.sample(t);
    Color32::from_rgb((r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8)
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

    /// The Sweep tab's lr strip in a narrow right panel: "0.0001" sits under the first column,
    /// 16 points from the figure's left edge, and lost its first "0" there.
    #[test]
    fn the_sweeps_labels_stay_inside_the_figure() {
        let end = End {
            point: [0.0, 0.0],
            value: 1.0,
            grad_norm: 0.0,
            steps: 10,
            status: Status::Converged,
        };
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
            let ends = vec![end; lr.count * rows];
            let figure = SweepFigure {
                title: String::new(),
                spec: SweepSpec { lr, param },
                ends: &ends,
                metric: SweepMetric::FinalValue,
                current: None,
                color_range: None,
            };
            let full = Rect::from_min_size(pos2(10.0, 10.0), vec2(260.0, 230.0));
            let ctx = egui::Context::default();
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let mut child = ui.new_child(egui::UiBuilder::new().max_rect(full));
                figure.show(&mut child);
            });
            let texts = painted_text(&output);
            // The font atlas was made, never uploaded: nothing to hand to a renderer here.
            output.textures_delta.clear();
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
        let end = End {
            point: [0.0, 0.0],
            value: 1.0,
            grad_norm: 0.0,
            steps: 10,
            status: Status::Converged,
        };
        let lr = SweepAxis {
            from: 1e-5,
            to: 10.0,
            count: 96,
        };
        let ends = vec![end; lr.count];
        let figure = SweepFigure {
            title: String::new(),
            spec: SweepSpec { lr, param: None },
            ends: &ends,
            metric: SweepMetric::FinalValue,
            current: None,
            color_range: None,
        };
        let full = Rect::from_min_size(pos2(0.0, 0.0), vec2(230.0, 150.0));
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(full));
            figure.show(&mut child);
        });
        output.textures_delta.clear();
        let texts = painted_text(&output);
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
            .map(|j| End {
                point: [0.0, 0.0],
                value: (j as f64 - 40.0).powi(2),
                grad_norm: 0.0,
                steps: 10,
                status: if j > 60 {
                    Status::Diverged
                } else {
                    Status::Converged
                },
            })
            .collect();
        let figure = SweepFigure {
            title: "a title".into(),
            spec: SweepSpec { lr, param: None },
            ends: &ends,
            metric: SweepMetric::FinalValue,
            current: None,
            color_range: None,
        };
        let full = Rect::from_min_size(pos2(0.0, 0.0), vec2(900.0, 700.0));
        let ctx = egui::Context::default();
        let mut plot = Rect::NOTHING;
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
            let mut child = ui.new_child(egui::UiBuilder::new().max_rect(full));
            plot = figure.show(&mut child).0;
        });
        output.textures_delta.clear();
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
