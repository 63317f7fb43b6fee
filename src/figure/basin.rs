//! The basin figure, painted with egui so that the app and `gradscape basins --out FILE.png`
//! draw the same thing: the basin map with its axes, and its legend.

use egui::{Color32, Rect, Stroke, StrokeKind, pos2, vec2};

use super::texture::{cached_texture, paint_image};
use crate::format::number;
use crate::scene::nice_ticks;
use crate::swarm::{BasinClass, BasinMap, CellColors, End};

/// Text and axis lines of the swarm's figures (this one and the sweep's).
pub(super) const TEXT: Color32 = Color32::from_gray(30);
pub(super) const AXIS: Color32 = Color32::from_gray(90);

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

pub(super) fn color(rgb: [u8; 3]) -> Color32 {
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
    // The starts that reached no basin; singular Hessians only where a run stopped at one.
    let elsewhere = [
        (CellColors::DIVERGED, "diverged", map.diverged, true),
        (CellColors::UNSETTLED, "did not settle", map.unsettled, true),
        (
            CellColors::SINGULAR,
            "singular Hessian",
            map.singular,
            map.singular > 0,
        ),
    ];
    for (rgb, what, cells, shown) in elsewhere {
        if shown {
            let share = 100.0 * map.share_of(cells);
            swatch(ui, color(rgb), format!("{what}: {share:.1} %"));
        }
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
