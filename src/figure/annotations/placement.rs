//! Where the app puts the legend and the colour bar over its 3-D view: inside the view, clear
//! of each other and of the contour map in its corner.

use egui::{Rect, pos2, vec2};

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

#[cfg(test)]
mod tests {
    use super::super::{NAME_FONT, TEXT, TICK_FONT};
    use super::*;
    use crate::figure::testing::{crowded_scenes, inside, with_painter};
    use crate::figure::{colour_bar_width, legend_entries, legend_size, paint_colour_bar};
    use egui::Pos2;

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
}
