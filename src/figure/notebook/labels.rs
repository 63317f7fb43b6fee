//! The 1-D plots' text labels ("A", "min", "f′(x_A) = …", "secant slope …"), placed one after
//! another: each goes to the first of its candidate spots around its point that stays inside
//! the plot and clear of the markers and of the labels placed before it, or, where none does,
//! to the one that covers least.

use egui::{Align2, Color32, Pos2, Rect, Vec2, pos2, vec2};
use egui_plot::{PlotPoint, PlotUi, Text};

/// A spot for a label: its anchor moved from the point by this offset (points, y down).
pub(super) type Spot = ([f32; 2], Align2);

/// Right of the point, above it; the usual place for a point's name.
pub(super) const AROUND: [Spot; 4] = [
    ([7.0, -5.0], Align2::LEFT_BOTTOM),
    ([7.0, 5.0], Align2::LEFT_TOP),
    ([-7.0, -5.0], Align2::RIGHT_BOTTOM),
    ([-7.0, 5.0], Align2::RIGHT_TOP),
];

/// Where a label outside the plot costs, per unit of area, against one over a marker or
/// another label: cut text is worse than crowded text.
const OUTSIDE_WEIGHT: f32 = 4.0;

/// The labels of one plot and what they must keep clear of.
pub(super) struct Labels {
    frame: Rect,
    taken: Vec<Rect>,
}

impl Labels {
    pub fn new(plot: &PlotUi<'_>) -> Self {
        Self {
            frame: *plot.transform().frame(),
            taken: Vec::new(),
        }
    }

    /// A marker of `radius` points at `p` that labels keep clear of.
    pub fn mark(&mut self, plot: &PlotUi<'_>, [x, y]: [f64; 2], radius: f32) {
        if x.is_finite() && y.is_finite() {
            let at = plot.screen_from_plot(PlotPoint::new(x, y));
            self.taken
                .push(Rect::from_center_size(at, Vec2::splat(2.0 * radius)));
        }
    }

    /// `text` beside the point `p`, at the best of `spots`; returns where it went on screen.
    pub fn place(
        &mut self,
        plot: &mut PlotUi<'_>,
        [x, y]: [f64; 2],
        text: egui::RichText,
        size: f32,
        spots: &[Spot],
    ) -> Option<Rect> {
        if !(x.is_finite() && y.is_finite()) || spots.is_empty() {
            return None;
        }
        let at = plot.screen_from_plot(PlotPoint::new(x, y));
        let galley_size = plot.ctx().fonts_mut(|f| {
            f.layout_no_wrap(
                text.text().to_string(),
                egui::FontId::proportional(size),
                Color32::BLACK,
            )
            .size()
        });
        let (index, rect) = best_spot(self.frame, &self.taken, at, galley_size, spots);
        let (offset, anchor) = spots[index];
        let anchor_at = at + vec2(offset[0], offset[1]);
        let value = plot.plot_from_screen(anchor_at);
        let name = text.text().to_string();
        plot.text(Text::new(name, value, text).anchor(anchor));
        self.taken.push(rect);
        Some(rect)
    }
}

/// The first of `spots` for a label of `size` at `at` that is inside `frame` and clear of
/// `taken`, or else the one that covers least (outside the frame counting more); its index and
/// the label's rectangle there.
pub(super) fn best_spot(
    frame: Rect,
    taken: &[Rect],
    at: Pos2,
    size: Vec2,
    spots: &[Spot],
) -> (usize, Rect) {
    let rect_at =
        |(offset, anchor): Spot| anchor.anchor_size(pos2(at.x + offset[0], at.y + offset[1]), size);
    let area = |r: Rect| r.width().max(0.0) * r.height().max(0.0);
    let cost = |r: Rect| {
        let outside = area(r) - area(r.intersect(frame));
        let covered: f32 = taken.iter().map(|t| area(r.intersect(*t))).sum();
        OUTSIDE_WEIGHT * outside + covered
    };
    let mut best = (0, rect_at(spots[0]), f32::INFINITY);
    for (index, &spot) in spots.iter().enumerate() {
        let rect = rect_at(spot);
        let c = cost(rect);
        if c <= 0.0 {
            return (index, rect);
        }
        if c < best.2 {
            best = (index, rect, c);
        }
    }
    (best.0, best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Rect = Rect::from_min_max(pos2(0.0, 0.0), pos2(400.0, 200.0));
    const SIZE: Vec2 = vec2(30.0, 14.0);
    const ABOVE_THEN_LEFT: [Spot; 2] = [
        ([0.0, -9.0], Align2::CENTER_BOTTOM),
        ([-10.0, 0.0], Align2::RIGHT_CENTER),
    ];

    #[test]
    fn a_label_takes_its_first_spot_when_it_is_free() {
        let (index, rect) = best_spot(FRAME, &[], pos2(200.0, 100.0), SIZE, &ABOVE_THEN_LEFT);
        assert_eq!(index, 0);
        assert!(FRAME.contains_rect(rect));
    }

    /// "max" at the plot's right edge (sin(2x²) + 1 at x = 2) was cut in half.
    #[test]
    fn a_label_at_the_edge_moves_inside() {
        let at = pos2(400.0, 100.0);
        let (index, rect) = best_spot(FRAME, &[], at, SIZE, &ABOVE_THEN_LEFT);
        assert_eq!(index, 1, "{rect:?}");
        assert!(FRAME.contains_rect(rect), "{rect:?}");
    }

    /// "f′(x_A) = …" lay over a minimum's marker.
    #[test]
    fn a_label_keeps_clear_of_markers_and_earlier_labels() {
        let at = pos2(200.0, 100.0);
        let marker = Rect::from_center_size(pos2(200.0, 85.0), Vec2::splat(12.0));
        let (index, rect) = best_spot(FRAME, &[marker], at, SIZE, &ABOVE_THEN_LEFT);
        assert_eq!(index, 1);
        assert!(!rect.intersects(marker));
        // Nowhere free: the least covered spot, never one outside the plot when one inside
        // is only crowded.
        let everything = Rect::from_min_max(pos2(150.0, 60.0), pos2(200.0, 120.0));
        let (_, rect) = best_spot(FRAME, &[everything], at, SIZE, &AROUND);
        assert!(FRAME.contains_rect(rect), "{rect:?}");
    }
}
