//! A figure of the 3-D view, as `gradscape render` and the app's image export draw it: the
//! rendered view with a title line above and a column on its right holding the legend and the
//! colour bar, laid out so that no text covers the view.

use egui::{Color32, Pos2, Rect, pos2, vec2};

use crate::figure::annotations::TEXT;
use crate::figure::{
    COLOUR_BAR_MIN_HEIGHT, COLOUR_BAR_WIDTH, colour_bar_width, legend_entries, legend_size,
    paint_axis_labels, paint_colour_bar, paint_legend, run_legend_entries,
};
use crate::format::number;
use crate::scene::SceneDesc;

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
    use crate::figure::testing::{crowded_scenes, inside, with_painter};

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
}
