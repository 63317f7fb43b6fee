//! Ray picking against the drawn height field, on the CPU in f64: the pointer's ray is marched
//! through the surface's box and the first crossing is bisected against f itself, so a dragged
//! point lands exactly on the surface as drawn (clamped range and log scale included).

use glam::{DVec3, DVec4};

use super::camera::OrbitCamera;
use super::space::{WORLD_HEIGHT, WorldMap};
use crate::function::Function;

/// Samples along the ray: enough that a ripple of the surface between two samples is rarer
/// than a pixel at the usual window sizes.
const MARCH_STEPS: usize = 600;
const BISECT_STEPS: usize = 60;

/// The domain point (x, y) under normalized device coordinates `ndc` (−1..1, y up), or None
/// when the ray misses the surface. `function` must be the 2-D function the surface shows.
pub fn pick_surface(
    map: &WorldMap,
    camera: &OrbitCamera,
    aspect: f32,
    ndc: [f64; 2],
    function: &Function,
) -> Option<[f64; 2]> {
    let world_from_clip = camera.clip_from_world(aspect).as_dmat4().inverse();
    let unproject = |z: f64| {
        let p: DVec4 = world_from_clip * DVec4::new(ndc[0], ndc[1], z, 1.0);
        (p.w.abs() > 1e-300).then(|| p.truncate() / p.w)
    };
    let near = unproject(0.0)?;
    let far = unproject(1.0)?;
    if !(near.is_finite() && far.is_finite()) {
        return None;
    }
    // Height of the ray above the surface at parameter t, or None outside the domain or over a
    // hole (where f is not finite).
    let above = |t: f64| -> Option<(f64, [f64; 2])> {
        let p: DVec3 = near + (far - near) * t;
        let xy = domain_xy(map, p);
        let d = map.domain;
        let inside = (d.x.0..=d.x.1).contains(&xy[0]) && (d.y.0..=d.y.1).contains(&xy[1]);
        if !inside {
            return None;
        }
        let f = function.value(&xy);
        // Where f leaves the z-range the surface is cut away: nothing there to pick.
        if !f.is_finite() || !map.scale.shows(f) {
            return None;
        }
        let surface_z = (map.scale.t(f) - 0.5) * f64::from(WORLD_HEIGHT);
        Some((p.z - surface_z, xy))
    };
    let mut previous: Option<(f64, f64)> = None;
    for i in 0..=MARCH_STEPS {
        let t = i as f64 / MARCH_STEPS as f64;
        let Some((h, xy)) = above(t) else {
            previous = None;
            continue;
        };
        match previous {
            Some((t0, h0)) if h0 > 0.0 && h <= 0.0 => return Some(bisect(&above, t0, t, xy)),
            _ => previous = Some((t, h)),
        }
    }
    None
}

/// Narrows the crossing between `lo` (above) and `hi` (at or below) down to f64 precision.
fn bisect(
    above: &dyn Fn(f64) -> Option<(f64, [f64; 2])>,
    mut lo: f64,
    mut hi: f64,
    mut best: [f64; 2],
) -> [f64; 2] {
    for _ in 0..BISECT_STEPS {
        let mid = 0.5 * (lo + hi);
        match above(mid) {
            Some((h, xy)) if h > 0.0 => {
                lo = mid;
                best = xy;
            }
            Some((_, xy)) => {
                hi = mid;
                best = xy;
            }
            // A hole between two samples: the last point found is as good as it gets.
            None => break,
        }
    }
    best
}

/// The inverse of the horizontal part of the world map, in f64.
fn domain_xy(map: &WorldMap, world: DVec3) -> [f64; 2] {
    let [cx, cy] = map.domain.center();
    let [sx, sy] = map.xy_scale();
    [world.x / sx + cx, world.y / sy + cy]
}

/// Where a world point lands in the viewport, in NDC (x, y) — None behind the camera.
pub fn ndc_of(camera: &OrbitCamera, aspect: f32, world: glam::Vec3) -> Option<[f32; 2]> {
    let clip = camera.clip_from_world(aspect) * world.extend(1.0);
    (clip.w > 1e-6).then(|| [clip.x / clip.w, clip.y / clip.w])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::{Domain, SceneDesc};

    #[test]
    fn picking_the_projection_of_a_surface_point_finds_that_point() {
        let function = Function::parse("x^2 + y^2").unwrap();
        let scene = SceneDesc::new(&function, Domain::new((-2.0, 2.0), (-2.0, 2.0)), false, 1.5);
        for (x, y) in [(0.5, -0.7), (-1.2, 1.1), (0.0, 0.0)] {
            let f = function.value(&[x, y]);
            let world = scene.map.world_on_surface(x, y, f);
            let ndc = ndc_of(&scene.camera, 1.5, world).unwrap();
            let picked = pick_surface(
                &scene.map,
                &scene.camera,
                1.5,
                [f64::from(ndc[0]), f64::from(ndc[1])],
                &function,
            )
            .unwrap();
            assert!(
                (picked[0] - x).abs() < 1e-3 && (picked[1] - y).abs() < 1e-3,
                "{picked:?} vs {x},{y}"
            );
        }
        // Far off to the side the ray misses the surface.
        assert!(pick_surface(&scene.map, &scene.camera, 1.5, [0.99, 0.99], &function).is_none());
    }
}
