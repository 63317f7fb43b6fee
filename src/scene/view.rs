//! The default view: viewing angles from which the start point and the runs' ends are seen, in
//! the frame and not behind a ridge of the surface (Himmelblau's runs roll into a valley that
//! the usual front-left view hides). Judged on the CPU by projecting points and marching the
//! sight line back to the eye over f; the window and `render` choose alike.

use glam::Vec3;

use super::camera::OrbitCamera;
use super::desc::SceneDesc;
use crate::function::Function;

/// Steps along a sight line when looking for the surface in front of a point.
const SIGHT_STEPS: usize = 160;
/// World distance kept clear right around the point itself: a ball sits on the surface, and
/// the slope it sits on must not count as hiding it.
const NEAR_CLEARANCE_WORLD: f32 = 0.06;

/// The points a default view must show: A (the start) and every run's first and last finite
/// points, each where it is drawn (just above the surface).
pub fn key_points(scene: &SceneDesc) -> Vec<Vec3> {
    let mut out = Vec::new();
    if let Some(at) = scene.overlays.at {
        out.push(scene.trajectory_point_world([at.x, at.y, at.value]));
    }
    for run in &scene.overlays.trajectories {
        let finite = |p: &&[f64; 3]| p.iter().all(|v| v.is_finite());
        let shown =
            |p: &[f64; 3]| scene.map.scale.shows(p[2]) && scene.map.domain.contains(p[0], p[1]);
        if let Some(first) = run.points.iter().find(finite) {
            out.push(scene.trajectory_point_world(*first));
        }
        // A run that leaves the box ends where nothing is drawn: its last point inside counts.
        if let Some(last) = run.points.iter().rev().filter(finite).find(|p| shown(p)) {
            out.push(scene.trajectory_point_world(*last));
        }
    }
    out
}

/// Whether `point_world` is inside the frame for `aspect` and no part of the surface lies
/// between it and the eye.
pub fn sees(scene: &SceneDesc, function: &Function, aspect: f32, point_world: Vec3) -> bool {
    let camera = &scene.camera;
    let ndc = camera.ndc_from_world(aspect, point_world);
    if !(ndc.x.abs() <= 1.0 && ndc.y.abs() <= 1.0 && (0.0..=1.0).contains(&ndc.z)) {
        return false;
    }
    let eye = camera.eye_world();
    let to_eye = eye - point_world;
    let length = to_eye.length();
    (1..SIGHT_STEPS).all(|i| {
        let t = i as f32 / SIGHT_STEPS as f32;
        if t * length < NEAR_CLEARANCE_WORLD {
            return true;
        }
        let q = point_world + to_eye * t;
        let [x, y] = scene.map.domain_xy_from_world(q);
        if !scene.map.domain.contains(x, y) {
            return true;
        }
        let f = function.value(&[x, y]);
        // A hole in f hides nothing.
        !f.is_finite() || q.z >= scene.map.world_on_surface(x, y, f).z
    })
}

/// How many of `points` the scene's camera shows.
pub fn seen_count(scene: &SceneDesc, function: &Function, aspect: f32, points: &[Vec3]) -> usize {
    points
        .iter()
        .filter(|&&p| sees(scene, function, aspect, p))
        .count()
}

impl SceneDesc {
    /// Turns the camera to the angles, near the default front-left view, from which most of
    /// [`key_points`] are seen (all of them where some angle allows), and frames the box. The
    /// default angles win every tie, so a scene that hides nothing keeps the usual view.
    pub fn choose_view(&mut self, function: &Function, aspect: f32) {
        let points = key_points(self);
        let default = OrbitCamera::default();
        let mut best: Option<(usize, f32, f32)> = None;
        for (yaw_deg, pitch_deg) in candidate_angles_deg() {
            self.camera.yaw_rad = default.yaw_rad + yaw_deg.to_radians();
            self.camera.pitch_rad = pitch_deg.to_radians();
            self.fit_camera(aspect);
            let seen = seen_count(self, function, aspect, &points);
            if best.is_none_or(|(most, _, _)| seen > most) {
                best = Some((seen, self.camera.yaw_rad, self.camera.pitch_rad));
            }
            if seen == points.len() {
                break;
            }
        }
        if let Some((_, yaw, pitch)) = best {
            self.camera.yaw_rad = yaw;
            self.camera.pitch_rad = pitch;
        }
        self.fit_camera(aspect);
    }
}

/// (yaw offset from the default, pitch) in degrees, nearest the default view first: a small
/// turn or a higher look before a view from behind.
fn candidate_angles_deg() -> Vec<(f32, f32)> {
    let default_pitch = OrbitCamera::default().pitch_rad.to_degrees();
    let mut out = Vec::new();
    for yaw in (-6..=6).map(|k| k as f32 * 30.0) {
        for pitch in [default_pitch, 45.0, 60.0, 75.0] {
            out.push((yaw, pitch));
        }
    }
    // Cost: degrees turned, a raised look counting a little less than a turn.
    let cost = |&(yaw, pitch): &(f32, f32)| yaw.abs() + 0.8 * (pitch - default_pitch).abs();
    out.sort_by(|a, b| cost(a).total_cmp(&cost(b)));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{Hyperparameters, OptimizerKind, run};
    use crate::scene::{Domain, TrajectoryOverlay};

    /// Himmelblau over its catalog domain, A and two runs from (−2, −2) (the app's default).
    fn himmelblau_from_minus_two(aspect: f32) -> (Function, SceneDesc) {
        let preset = crate::presets::find("himmelblau").unwrap();
        let function = preset.function();
        let y = preset.domain.y.unwrap();
        let domain = Domain::new((preset.domain.x[0], preset.domain.x[1]), (y[0], y[1]));
        let mut scene = SceneDesc::new(&function, domain, false, aspect);
        let start = [-2.0, -2.0];
        scene.set_point(&function, start[0], start[1]);
        for (index, (kind, lr)) in [(OptimizerKind::Sgd, 0.01), (OptimizerKind::Adam, 0.1)]
            .into_iter()
            .enumerate()
        {
            let t = run(
                &function,
                &Hyperparameters::new(kind, lr),
                &start,
                200,
                None,
            )
            .unwrap();
            scene
                .overlays
                .trajectories
                .push(TrajectoryOverlay::from_trajectory(&t, index));
        }
        (function, scene)
    }

    #[test]
    fn the_default_view_shows_the_start_and_the_ends_on_himmelblau() {
        let aspect = 1.6;
        let (function, mut scene) = himmelblau_from_minus_two(aspect);
        let points = key_points(&scene);
        assert_eq!(points.len(), 5, "A, and each run's start and end");
        scene.choose_view(&function, aspect);
        for (i, &p) in points.iter().enumerate() {
            let ndc = scene.camera.ndc_from_world(aspect, p);
            assert!(
                ndc.x.abs() < 1.0 && ndc.y.abs() < 1.0,
                "point {i} is out of the frame at {ndc}"
            );
            assert!(sees(&scene, &function, aspect, p), "point {i} is hidden");
        }
    }

    #[test]
    fn a_point_behind_a_ridge_is_hidden_and_one_in_front_is_seen() {
        // x² over [−1, 1]², the eye low over −x: a point low on the far (+x) side, below the
        // near rim, is hidden; the near rim itself is seen.
        let function = Function::parse("-x^2").unwrap();
        let domain = Domain::new((-1.0, 1.0), (-1.0, 1.0));
        let mut scene = SceneDesc::new(&function, domain, false, 1.0);
        scene.camera.yaw_rad = std::f32::consts::PI;
        scene.camera.pitch_rad = 5f32.to_radians();
        scene.fit_camera(1.0);
        let far_low = scene.trajectory_point_world([0.9, 0.0, -0.81]);
        let top = scene.trajectory_point_world([0.0, 0.0, 0.0]);
        assert!(!sees(&scene, &function, 1.0, far_low));
        assert!(sees(&scene, &function, 1.0, top));
    }
}
