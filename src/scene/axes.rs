//! The 3-D view's axes as plotting tools draw them: the three edges of the box that face the
//! viewer (x and y along the floor's front edges, f up its left-hand vertical edge), chosen
//! from the camera; ticks at nice values (f's own units, also on a log height scale); and where
//! the tick numbers and axis names go on screen, leaving out any label that would overlap one
//! already placed. Pure geometry: the egui layer measures the text and paints it.

use glam::Vec3;

use super::desc::{SceneDesc, nice_ticks};
use super::pick::ndc_of;
use super::space::VerticalScale;

/// Which quantity an axis carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    X,
    Y,
    F,
}

/// One axis drawn along an edge of the box: from its lowest value to its highest, with the
/// direction (in world space) its ticks and numbers stand out to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AxisEdge {
    pub axis: Axis,
    pub from_world: Vec3,
    pub to_world: Vec3,
    pub outward_world: Vec3,
}

/// A tick on an axis: its value, where it is, and its number as printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    pub world: Vec3,
    pub text: String,
}

/// How far below the surface's box the floor edges run, in world units (so that they do not
/// z-fight with a surface lying on the floor).
pub const FLOOR_DROP_WORLD: f32 = 0.02;
/// Length of a tick mark, in world units.
pub const TICK_WORLD: f32 = 0.05;
/// Gap between a tick's end and its number, in pixels.
const LABEL_GAP_PX: f32 = 6.0;
/// Labels keep this many pixels apart.
const LABEL_PAD_PX: f32 = 3.0;

/// The three axis edges for the scene's camera.
pub fn axis_edges(scene: &SceneDesc) -> [AxisEdge; 3] {
    let (min, max) = scene.map.bounds_world();
    let floor = min.z - FLOOR_DROP_WORLD;
    let eye = scene.camera.eye_world() - scene.camera.target;
    // x and y run along the floor's edges nearer the eye: in front of the surface.
    let side = |v: f32| if v < 0.0 { -1.0 } else { 1.0 };
    let (sy, sx) = (side(eye.y), side(eye.x));
    let x = AxisEdge {
        axis: Axis::X,
        from_world: Vec3::new(min.x, sy, floor),
        to_world: Vec3::new(max.x, sy, floor),
        outward_world: Vec3::new(0.0, sy, 0.0),
    };
    let y = AxisEdge {
        axis: Axis::Y,
        from_world: Vec3::new(sx, min.y, floor),
        to_world: Vec3::new(sx, max.y, floor),
        outward_world: Vec3::new(sx, 0.0, 0.0),
    };
    // f goes up the vertical edge furthest left on screen: always on the box's outline.
    let aspect = 1.0;
    let corners = [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)];
    let screen_x = |(cx, cy): (f32, f32)| {
        ndc_of(&scene.camera, aspect, Vec3::new(cx, cy, 0.0)).map_or(f32::MAX, |p| p[0])
    };
    let (cx, cy) = corners
        .into_iter()
        .min_by(|a, b| screen_x(*a).total_cmp(&screen_x(*b)))
        .unwrap_or((-1.0, -1.0));
    let f = AxisEdge {
        axis: Axis::F,
        from_world: Vec3::new(cx, cy, floor),
        to_world: Vec3::new(cx, cy, max.z),
        outward_world: Vec3::new(cx, cy, 0.0).normalize_or_zero(),
    };
    [x, y, f]
}

/// The ticks along `edge`: nice values of x, y or f, placed on the edge.
pub fn ticks(scene: &SceneDesc, edge: &AxisEdge) -> Vec<Tick> {
    let domain = scene.map.domain;
    let values = match edge.axis {
        Axis::X => nice_ticks(domain.x.0, domain.x.1),
        Axis::Y => nice_ticks(domain.y.0, domain.y.1),
        Axis::F => f_ticks(&scene.map.scale),
    };
    let texts = crate::format::ticks(&values);
    values
        .into_iter()
        .zip(texts)
        .filter_map(|(value, text)| {
            let world = match edge.axis {
                Axis::X => {
                    let p = scene
                        .map
                        .world_from_domain(value, domain.y.0, scene.map.scale.lo);
                    Vec3::new(p.x, edge.from_world.y, edge.from_world.z)
                }
                Axis::Y => {
                    let p = scene
                        .map
                        .world_from_domain(domain.x.0, value, scene.map.scale.lo);
                    Vec3::new(edge.from_world.x, p.y, edge.from_world.z)
                }
                Axis::F => {
                    let p = scene.map.world_from_domain(domain.x.0, domain.y.0, value);
                    Vec3::new(edge.from_world.x, edge.from_world.y, p.z)
                }
            };
            world.is_finite().then_some(Tick { value, world, text })
        })
        .collect()
}

/// Ticks of f in its own units: evenly spaced nice values on a linear scale; on a log height
/// scale the minimum and then lo + 1, 10, 100, … (one per decade above the range's floor),
/// which are evenly spaced in height.
pub fn f_ticks(scale: &VerticalScale) -> Vec<f64> {
    let Some(offset) = scale.log_offset else {
        // A hair of slack: sin's sampled range stops at ±0.99999, its ticks should not.
        let slack = (scale.hi - scale.lo) * 1e-3;
        return nice_ticks(scale.lo - slack, scale.hi + slack);
    };
    let (lo, hi) = (scale.lo, scale.hi);
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0 && offset > 0.0) {
        return Vec::new();
    }
    let mut out = vec![lo];
    let (first, last) = (offset.log10().ceil() as i32, span.log10().floor() as i32);
    for k in first.max(last - 12)..=last {
        let decade = 10f64.powi(k);
        // Round lo + 10^k to a tenth of the decade: 0.52 + 100 is shown as 100.
        let v = ((lo + decade) / (decade / 10.0)).round() * (decade / 10.0);
        if v > lo && v <= hi && out.last().is_none_or(|&last| v > last) {
            out.push(v);
        }
    }
    out
}

/// A label placed on screen: its text and its rectangle in pixels (origin at the viewport's
/// top-left, y down).
#[derive(Clone, Debug, PartialEq)]
pub struct AxisLabel {
    pub text: String,
    /// min x, min y, max x, max y.
    pub rect_px: [f32; 4],
    /// An axis name (x, y, f(x, y)) rather than a tick number.
    pub name: bool,
}

impl AxisLabel {
    fn overlaps(&self, other: &AxisLabel) -> bool {
        let [a0, a1, a2, a3] = self.rect_px;
        let [b0, b1, b2, b3] = other.rect_px;
        a0 < b2 + LABEL_PAD_PX
            && b0 < a2 + LABEL_PAD_PX
            && a1 < b3 + LABEL_PAD_PX
            && b1 < a3 + LABEL_PAD_PX
    }
}

/// The axis names and tick numbers for a viewport of `viewport_px` (width, height), each
/// `measure(text, is_name)` pixels large: the names first, then every other tick of each axis,
/// then the ones between; a label that would overlap one already placed or a rectangle of
/// `keep_clear` (min x, min y, max x, max y: a legend), or leave the viewport, is left out.
pub fn axis_labels(
    scene: &SceneDesc,
    viewport_px: [f32; 2],
    keep_clear: &[[f32; 4]],
    measure: &mut dyn FnMut(&str, bool) -> [f32; 2],
) -> Vec<AxisLabel> {
    let [width, height] = viewport_px;
    if width < 1.0 || height < 1.0 {
        return Vec::new();
    }
    let aspect = width / height;
    let to_px = |p: Vec3| -> Option<glam::Vec2> {
        let [x, y] = ndc_of(&scene.camera, aspect, p)?;
        let px = glam::Vec2::new((x + 1.0) * 0.5 * width, (1.0 - y) * 0.5 * height);
        px.is_finite().then_some(px)
    };
    let center = to_px(scene.camera.target);
    // The screen direction a label stands out in from `p`: along the edge's outward direction,
    // or away from the box's centre when that is seen end-on.
    let outward = |p: Vec3, edge: &AxisEdge| -> Option<glam::Vec2> {
        let base = to_px(p)?;
        let tip = to_px(p + edge.outward_world * (TICK_WORLD * 2.0))?;
        let d = tip - base;
        if d.length() > 2.0 {
            return Some(d.normalize());
        }
        center.map(|c| (base - c).normalize_or_zero())
    };
    // A label of `size` whose side nearest `anchor` sits `gap` pixels out along `dir`.
    let place = |anchor: glam::Vec2, dir: glam::Vec2, gap: f32, size: [f32; 2]| {
        let half = glam::Vec2::new(size[0], size[1]) * 0.5;
        let reach = dir.x.abs() * half.x + dir.y.abs() * half.y;
        let c = anchor + dir * (gap + reach);
        [c.x - half.x, c.y - half.y, c.x + half.x, c.y + half.y]
    };

    let edges = axis_edges(scene);
    let mut candidates: Vec<AxisLabel> = Vec::new();
    for edge in &edges {
        let (Some(from), Some(to)) = (to_px(edge.from_world), to_px(edge.to_world)) else {
            continue;
        };
        let along = (to - from).normalize_or_zero();
        let Some(dir) = outward(edge.to_world, edge) else {
            continue;
        };
        let text = match edge.axis {
            Axis::X => scene.axis_names[0].as_str(),
            Axis::Y => scene.axis_names[1].as_str(),
            Axis::F => scene.axis_names[2].as_str(),
        };
        let size = measure(text, true);
        // Beyond the axis' far end, or out to the side where the edge is seen end-on.
        let rect = if (to - from).length() > 24.0 {
            place(to, along, LABEL_GAP_PX + 4.0, size)
        } else {
            place(to, dir, LABEL_GAP_PX * 3.0, size)
        };
        candidates.push(AxisLabel {
            text: text.into(),
            rect_px: rect,
            name: true,
        });
    }
    for edge in &edges {
        let ticks = ticks(scene, edge);
        let order = (0..ticks.len())
            .step_by(2)
            .chain((1..ticks.len()).step_by(2));
        for i in order {
            let tick = &ticks[i];
            let (Some(anchor), Some(dir)) = (
                to_px(tick.world + edge.outward_world * TICK_WORLD),
                outward(tick.world, edge),
            ) else {
                continue;
            };
            let size = measure(&tick.text, false);
            candidates.push(AxisLabel {
                text: tick.text.clone(),
                rect_px: place(anchor, dir, LABEL_GAP_PX, size),
                name: false,
            });
        }
    }
    let obstacles: Vec<AxisLabel> = keep_clear
        .iter()
        .map(|&rect_px| AxisLabel {
            text: String::new(),
            rect_px,
            name: false,
        })
        .collect();
    let mut placed: Vec<AxisLabel> = Vec::new();
    for label in candidates {
        let [x0, y0, x1, y1] = label.rect_px;
        let inside = x0 >= 0.0 && y0 >= 0.0 && x1 <= width && y1 <= height;
        let finite = label.rect_px.iter().all(|v| v.is_finite());
        let clear = !placed.iter().chain(&obstacles).any(|p| p.overlaps(&label));
        if inside && finite && clear {
            placed.push(label);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::Function;
    use crate::scene::Domain;

    /// About what egui's 13-point proportional font measures.
    fn measure(text: &str, name: bool) -> [f32; 2] {
        let size = if name { 15.0 } else { 12.0 };
        [text.chars().count() as f32 * size * 0.6, size * 1.2]
    }

    #[test]
    fn log_ticks_are_in_f_units_one_a_decade() {
        let ticks = f_ticks(&VerticalScale::log(0.0, 2500.0));
        assert_eq!(ticks, vec![0.0, 1.0, 10.0, 100.0, 1000.0]);
        assert!(f_ticks(&VerticalScale::log(0.5, 2500.0)).contains(&100.0));
        assert_eq!(
            f_ticks(&VerticalScale::linear(-1.0, 1.0)),
            vec![-1.0, -0.5, 0.0, 0.5, 1.0]
        );
    }

    #[test]
    fn tick_labels_never_overlap_as_the_camera_orbits() {
        let function = Function::parse("sin(x*y)").unwrap();
        let aspect = 1.6;
        let mut scene = SceneDesc::new(
            &function,
            Domain::new((-3.0, 3.0), (-3.0, 3.0)),
            false,
            aspect,
        );
        let viewport = [960.0, 600.0];
        for pitch_deg in [10.0f32, 35.0, 70.0] {
            for k in 0..36 {
                scene.camera.yaw_rad = (k as f32 * 10.0).to_radians();
                scene.camera.pitch_rad = pitch_deg.to_radians();
                scene.fit_camera(aspect);
                let labels = axis_labels(&scene, viewport, &[], &mut measure);
                for (i, a) in labels.iter().enumerate() {
                    for b in &labels[i + 1..] {
                        assert!(
                            !a.overlaps(b),
                            "yaw {}°, pitch {pitch_deg}°: {a:?} overlaps {b:?}",
                            k * 10
                        );
                    }
                    let [x0, y0, x1, y1] = a.rect_px;
                    assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= viewport[0] && y1 <= viewport[1]);
                }
                // Readable, not emptied: every axis keeps a name and a few numbers.
                let names = labels.iter().filter(|l| l.name).count();
                let numbers = labels.len() - names;
                assert!(
                    names >= 2 && numbers >= 6,
                    "yaw {}°, pitch {pitch_deg}°: {names} names, {numbers} numbers",
                    k * 10
                );
            }
        }
    }

    #[test]
    fn the_axes_face_the_camera() {
        let function = Function::parse("x*y").unwrap();
        let mut scene =
            SceneDesc::new(&function, Domain::new((-1.0, 1.0), (-1.0, 1.0)), false, 1.5);
        // Eye at −60° (front-left, below the y = 0 plane): x along the front edge y = −1.
        let [x, y, _] = axis_edges(&scene);
        assert_eq!(x.from_world.y, -1.0);
        assert_eq!(y.from_world.x, 1.0);
        scene.camera.yaw_rad = 120f32.to_radians();
        let [x, y, _] = axis_edges(&scene);
        assert_eq!(x.from_world.y, 1.0);
        assert_eq!(y.from_world.x, -1.0);
    }
}
