//! The colour bar of f beside the 3-D view: the colormap as a strip with the f axis's numbers,
//! or for a flat f one swatch and what its value is.

use egui::{Color32, Pos2, Rect, Stroke, pos2, vec2};

use super::{NAME_FONT, TEXT, TICK_FONT};
use crate::figure::color32;
use crate::format::number;
use crate::scene::{SceneDesc, VerticalScale, f_ticks};

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
    let title = painter.text(
        pos2(rect.left() + BAR_INSET, rect.top() + 2.0),
        egui::Align2::LEFT_TOP,
        "f",
        egui::FontId::proportional(NAME_FONT),
        TEXT,
    );
    let painted = match scene.map.scale.flat {
        Some(range) => paint_swatch(painter, rect, scene, range, numbers),
        None => paint_strip(painter, rect, scene, numbers),
    };
    title.union(painted)
}

/// The colour of height fraction `t` on the scene's colormap (the diverging one white at f = 0).
fn colour_at(scene: &SceneDesc, t: f64) -> Color32 {
    let scale = &scene.map.scale;
    let colormap = scene.surface.colormap;
    let c = match colormap {
        crate::scene::Colormap::Diverging => {
            let max_abs = scale.lo.abs().max(scale.hi.abs()).max(f64::MIN_POSITIVE);
            0.5 + 0.5 * f_at(scale, t) / max_abs
        }
        _ => t,
    };
    let [r, g, b] = colormap.sample(c as f32);
    color32([r, g, b, 1.0])
}

const BAR_OUTLINE: Stroke = Stroke {
    width: 1.0,
    color: Color32::from_gray(90),
};

/// One of the bar's numbers or texts at `pos`; returns where it went.
fn paint_text(painter: &egui::Painter, pos: Pos2, anchor: egui::Align2, text: String) -> Rect {
    let font = egui::FontId::proportional(TICK_FONT);
    painter.text(pos, anchor, text, font, TEXT)
}

/// A flat f's one colour: a swatch, with what f is beside it. Returns the rectangle painted on.
fn paint_swatch(
    painter: &egui::Painter,
    rect: Rect,
    scene: &SceneDesc,
    (min, max): (f64, f64),
    numbers: bool,
) -> Rect {
    let scale = &scene.map.scale;
    let swatch = Rect::from_min_size(
        pos2(rect.left() + BAR_INSET, rect.top() + BAR_TITLE),
        vec2(BAR_STRIP, BAR_STRIP),
    );
    painter.rect_filled(
        swatch,
        0.0,
        colour_at(scene, scale.t(min * 0.5 + max * 0.5)),
    );
    painter.rect_stroke(swatch, 0.0, BAR_OUTLINE, egui::StrokeKind::Outside);
    let mut painted = swatch.expand(1.0);
    if numbers {
        let mut y = swatch.top();
        for text in colour_bar_texts(scale) {
            let at = pos2(swatch.right() + BAR_GAP, y);
            let r = paint_text(painter, at, egui::Align2::LEFT_TOP, text);
            painted = painted.union(r);
            y = r.bottom() + 1.0;
        }
    }
    painted
}

/// The colormap as a vertical strip under the title, with the f axis's numbers beside it when
/// `numbers`. Returns the rectangle painted on.
fn paint_strip(painter: &egui::Painter, rect: Rect, scene: &SceneDesc, numbers: bool) -> Rect {
    let scale = &scene.map.scale;
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
        let c = colour_at(scene, t);
        mesh.colored_vertex(pos2(bar.left(), y), c);
        mesh.colored_vertex(pos2(bar.right(), y), c);
        if k > 0 {
            let i = (2 * k) as u32;
            mesh.add_triangle(i - 2, i - 1, i);
            mesh.add_triangle(i - 1, i + 1, i);
        }
    }
    painter.add(egui::Shape::mesh(mesh));
    painter.rect_stroke(bar, 0.0, BAR_OUTLINE, egui::StrokeKind::Outside);
    let mut painted = bar.expand(1.0);
    if !numbers {
        return painted;
    }
    let mut last_y = f32::INFINITY;
    for (v, text) in f_ticks(scale).into_iter().zip(colour_bar_texts(scale)) {
        let t = scale.t_unclamped(v);
        // A hair of slack, as the ticks have: sin's ±1 stand at the bar's ends.
        if !(-2e-3..=1.0 + 2e-3).contains(&t) {
            continue;
        }
        let t = t.clamp(0.0, 1.0);
        let y = bar.bottom() - t as f32 * bar.height();
        painter.line_segment(
            [pos2(bar.right(), y), pos2(bar.right() + 4.0, y)],
            BAR_OUTLINE,
        );
        // Numbers closer than a line of text are left out (the bottom one first wins).
        if last_y - y < TICK_FONT + 1.0 {
            continue;
        }
        last_y = y;
        let at = pos2(bar.right() + BAR_GAP, y);
        painted = painted.union(paint_text(painter, at, egui::Align2::LEFT_CENTER, text));
    }
    painted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::testing::{inside, with_painter};
    use crate::function::Function;
    use crate::scene::Domain;
    use egui::Pos2;

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
