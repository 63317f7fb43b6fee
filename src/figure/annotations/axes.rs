//! The axes' names and tick numbers over the 3-D view, where `scene::axis_labels` places them,
//! measured and painted with egui.

use egui::{Rect, vec2};

use super::{NAME_FONT, TEXT, TICK_FONT};
use crate::scene::SceneDesc;

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
