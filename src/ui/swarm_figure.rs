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

/// What a sweep's heatmap shows per cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
pub enum SweepMetric {
    /// f where the run ended.
    #[default]
    FinalValue,
    /// Steps the run took (to converge, or all of them).
    Steps,
}

/// A hyperparameter sweep's cells with what they are over.
pub struct SweepFigure<'a> {
    pub title: String,
    pub spec: SweepSpec,
    pub ends: &'a [End],
    pub metric: SweepMetric,
    /// The setting in use, marked on the map: (lr, param).
    pub current: Option<(f64, f64)>,
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
        let bar_width = 80.0;
        let left_margin = if self.spec.param.is_some() {
            60.0
        } else {
            16.0
        };
        // Room above the cells for the second axis's name and the colour bar's.
        let area = Rect::from_min_max(
            pos2(full.left() + left_margin, top + 20.0),
            pos2(full.right() - bar_width - 16.0, full.bottom() - 44.0),
        );
        let plot = if self.spec.param.is_some() {
            area
        } else {
            Rect::from_center_size(area.center(), vec2(area.width(), area.height().min(60.0)))
        };
        (plot, self.paint(ui, &painter, plot, full, bar_width))
    }

    fn paint(
        &self,
        ui: &mut egui::Ui,
        painter: &egui::Painter,
        plot: Rect,
        full: Rect,
        bar_width: f32,
    ) -> Option<SweepPick> {
        let (cols, rows) = (self.spec.lr.count, self.rows());
        let scale = Scale::new(
            self.ends.iter().map(|e| self.metric_value(e)),
            self.metric == SweepMetric::FinalValue,
        );
        let cell = vec2(plot.width() / cols as f32, plot.height() / rows as f32);
        let colormap = Colormap::Viridis;
        let to_color = |t: f32| {
            let [r, g, b] = colormap.sample(t);
            Color32::from_rgb((r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8)
        };
        let mut mesh = egui::Mesh::default();
        for i in 0..rows {
            for j in 0..cols {
                let Some(end) = self.ends.get(i * cols + j) else {
                    continue;
                };
                let v = self.metric_value(end);
                let fill = match (&scale, v.is_finite()) {
                    (Some(s), true) => to_color(s.t(v)),
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

        // Axes: lr on a log scale along x, the second hyperparameter linearly along y; their
        // labels kept a little inside the figure and left of the colour bar.
        let font = egui::FontId::proportional(12.0);
        let inside = Rect::from_min_max(
            pos2(full.left() + 2.0, full.top()),
            pos2(full.right() - bar_width - 8.0, full.bottom()),
        );
        let lr = self.spec.lr;
        let lr_x = |v: f64| {
            if lr.count <= 1 || lr.to <= lr.from {
                return plot.center().x;
            }
            let t = (v / lr.from).ln() / (lr.to / lr.from).ln();
            // Cell centres: column j is at (j + 0.5) / cols.
            plot.left() + ((t * (cols - 1) as f64 + 0.5) / cols as f64) as f32 * plot.width()
        };
        let decades: Vec<f64> = (lr.from.log10().ceil() as i32..=lr.to.log10().floor() as i32)
            .map(|k| 10f64.powi(k))
            .collect();
        for (&v, text) in decades.iter().zip(crate::format::log_ticks(&decades)) {
            let x = lr_x(v);
            painter.line_segment(
                [pos2(x, plot.bottom()), pos2(x, plot.bottom() + 5.0)],
                Stroke::new(1.0, AXIS),
            );
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
            font.clone(),
        );
        let param_y = |v: f64| -> f32 {
            match self.spec.param {
                Some((_, axis)) if axis.count > 1 && axis.to > axis.from => {
                    let t = (v - axis.from) / (axis.to - axis.from);
                    plot.bottom()
                        - ((t * (axis.count - 1) as f64 + 0.5) / axis.count as f64) as f32
                            * plot.height()
                }
                _ => plot.center().y,
            }
        };
        if let Some((name, axis)) = self.spec.param {
            let param_ticks = nice_ticks(axis.from, axis.to);
            for (&t, text) in param_ticks.iter().zip(crate::format::ticks(&param_ticks)) {
                let y = param_y(t);
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
                font.clone(),
            );
        }
        if let Some((lr_now, param_now)) = self.current {
            let p = pos2(lr_x(lr_now), param_y(param_now));
            if plot.expand(1.0).contains(p) {
                painter.circle_stroke(p, 6.0, Stroke::new(2.5, Color32::WHITE));
                painter.circle_stroke(p, 6.0, Stroke::new(1.0, Color32::BLACK));
            }
        }

        // Colour bar with five labels, diverged below it.
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
        let label = match self.metric {
            SweepMetric::FinalValue => "final f",
            SweepMetric::Steps => "steps",
        };
        painter.text(
            pos2(bar.left(), bar.top() - 4.0),
            egui::Align2::LEFT_BOTTOM,
            label,
            font.clone(),
            TEXT,
        );
        if let Some(scale) = &scale {
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

        // The cell under the pointer.
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
            lr: lr.geometric(j),
            param: self.spec.param.map(|(_, axis)| axis.linear(i)),
            end,
            clicked: response.clicked(),
        })
    }
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
}
