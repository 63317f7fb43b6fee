//! The orbit camera: yaw and pitch around a target at a distance, z up, as glam matrices with
//! wgpu's conventions (right-handed view, clip depth 0..1, y up: `proj::directx`).
//! Pan, zoom and fit-to-box are what the viewport's mouse gestures call.

use glam::{Mat4, Vec3, Vec4Swizzles};

/// An orbit camera looking at `target` from `distance` away, z up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrbitCamera {
    /// Angle of the eye around the z axis, from +x towards +y.
    pub yaw_rad: f32,
    /// Elevation of the eye above the xy plane; kept inside ±[`MAX_PITCH_RAD`].
    pub pitch_rad: f32,
    /// Eye-to-target distance in world units.
    pub distance: f32,
    pub target: Vec3,
    /// Vertical field of view.
    pub fov_y_rad: f32,
}

/// Just short of straight up or down, where the z-up basis of `look_at` degenerates.
pub const MAX_PITCH_RAD: f32 = 1.55;
const MIN_DISTANCE: f32 = 0.05;
const MAX_DISTANCE: f32 = 1.0e4;

impl Default for OrbitCamera {
    /// Looking at the origin from the front-left and above, like matplotlib's default 3-D view.
    fn default() -> Self {
        Self {
            yaw_rad: (-60.0f32).to_radians(),
            pitch_rad: 30.0f32.to_radians(),
            distance: 4.0,
            target: Vec3::ZERO,
            fov_y_rad: 35.0f32.to_radians(),
        }
    }
}

impl OrbitCamera {
    /// Where the eye is in world space.
    pub fn eye_world(&self) -> Vec3 {
        let pitch = self.pitch_rad.clamp(-MAX_PITCH_RAD, MAX_PITCH_RAD);
        let (sin_yaw, cos_yaw) = self.yaw_rad.sin_cos();
        let (sin_pitch, cos_pitch) = pitch.sin_cos();
        self.target + self.distance * Vec3::new(cos_pitch * cos_yaw, cos_pitch * sin_yaw, sin_pitch)
    }

    pub fn view_from_world(&self) -> Mat4 {
        glam::camera::rh::view::look_at_mat4(self.eye_world(), self.target, Vec3::Z)
    }

    /// Perspective with wgpu's depth range 0..1. Near and far hug the scene (which fits in a
    /// ball of radius ~2.5 around the target) so the depth buffer keeps its precision for the
    /// small offsets that keep lines above the surface.
    pub fn clip_from_view(&self, aspect: f32) -> Mat4 {
        let near = (self.distance - 3.0).max(self.distance * 0.05);
        let far = self.distance + 3.0;
        glam::camera::rh::proj::directx::perspective(self.fov_y_rad, aspect.max(1e-3), near, far)
    }

    pub fn clip_from_world(&self, aspect: f32) -> Mat4 {
        self.clip_from_view(aspect) * self.view_from_world()
    }

    /// Projects a world point to normalized device coordinates (x, y in -1..1 inside the frame).
    pub fn ndc_from_world(&self, aspect: f32, point_world: Vec3) -> Vec3 {
        let clip = self.clip_from_world(aspect) * point_world.extend(1.0);
        clip.xyz() / clip.w
    }

    /// Orbits by a drag: yaw and pitch change by the given angles; pitch stays in range.
    pub fn orbit(&mut self, delta_yaw_rad: f32, delta_pitch_rad: f32) {
        self.yaw_rad += delta_yaw_rad;
        self.pitch_rad = (self.pitch_rad + delta_pitch_rad).clamp(-MAX_PITCH_RAD, MAX_PITCH_RAD);
    }

    /// Moves the target in the view plane so that the scene follows the pointer by
    /// (`dx_px`, `dy_px`) in a viewport `viewport_height_px` tall (y down, as pointers report).
    pub fn pan(&mut self, dx_px: f32, dy_px: f32, viewport_height_px: f32) {
        let world_per_px =
            2.0 * self.distance * (self.fov_y_rad * 0.5).tan() / viewport_height_px.max(1.0);
        let world_from_view = self.view_from_world().inverse();
        let right = world_from_view.x_axis.xyz();
        let up = world_from_view.y_axis.xyz();
        self.target += (-dx_px * right + dy_px * up) * world_per_px;
    }

    /// Multiplies the distance by `factor` (< 1 comes closer), within sane limits.
    pub fn zoom(&mut self, factor: f32) {
        if factor.is_finite() && factor > 0.0 {
            self.distance = (self.distance * factor).clamp(MIN_DISTANCE, MAX_DISTANCE);
        }
    }

    /// Aims at the centre of the box and moves to the closest distance at which all eight
    /// corners project inside the frame with a small margin, keeping yaw and pitch. The bounding
    /// sphere gives a distance that surely fits; a bisection then closes in on the corners.
    pub fn fit_to_box(&mut self, min_world: Vec3, max_world: Vec3, aspect: f32) {
        self.fit_to_box_within(min_world, max_world, aspect, 0.94);
    }

    /// [`OrbitCamera::fit_to_box`] with the corners inside ±`margin_ndc` of the frame (room
    /// around the box for the axes' numbers).
    pub fn fit_to_box_within(
        &mut self,
        min_world: Vec3,
        max_world: Vec3,
        aspect: f32,
        margin_ndc: f32,
    ) {
        let margin_ndc = margin_ndc.clamp(0.1, 1.0);
        self.target = (min_world + max_world) * 0.5;
        let radius = ((max_world - min_world) * 0.5).length().max(1e-3);
        let half_fov_y = self.fov_y_rad * 0.5;
        let half_fov_x = (half_fov_y.tan() * aspect.max(1e-3)).atan();
        let half_fov = half_fov_y.min(half_fov_x);
        let far_enough = (radius / half_fov.sin()).clamp(MIN_DISTANCE, MAX_DISTANCE);
        let corners: Vec<Vec3> = (0..8)
            .map(|i| {
                Vec3::new(
                    if i & 1 == 0 { min_world.x } else { max_world.x },
                    if i & 2 == 0 { min_world.y } else { max_world.y },
                    if i & 4 == 0 { min_world.z } else { max_world.z },
                )
            })
            .collect();
        let fits = |camera: &OrbitCamera| {
            corners.iter().all(|&c| {
                let clip = camera.clip_from_world(aspect) * c.extend(1.0);
                clip.w > 0.0
                    && (clip.x / clip.w).abs() <= margin_ndc
                    && (clip.y / clip.w).abs() <= margin_ndc
            })
        };
        let bisect = |camera: &mut OrbitCamera| {
            let (mut lo, mut hi) = ((radius * 1.01).max(MIN_DISTANCE), far_enough * 1.5);
            for _ in 0..24 {
                let mid = 0.5 * (lo + hi);
                camera.distance = mid;
                if fits(camera) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            camera.distance = hi;
        };
        bisect(self);
        // The box's projection is lopsided (the near corners look bigger): centre it by panning,
        // then close in again.
        for _ in 0..2 {
            let (mut min_ndc, mut max_ndc) =
                (glam::Vec2::splat(f32::MAX), glam::Vec2::splat(f32::MIN));
            for &c in &corners {
                let ndc = self.ndc_from_world(aspect, c).truncate();
                min_ndc = min_ndc.min(ndc);
                max_ndc = max_ndc.max(ndc);
            }
            let center_ndc = (min_ndc + max_ndc) * 0.5;
            // In a viewport 2 px tall, one NDC unit is one pixel vertically, `aspect` across.
            self.pan(-center_ndc.x * aspect, center_ndc.y, 2.0);
            bisect(self);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_to_box_puts_every_corner_inside_the_frame() {
        let (min, max) = (Vec3::new(-1.0, -1.0, -0.5), Vec3::new(1.0, 1.0, 0.5));
        for aspect in [1.6, 1.0, 0.5] {
            for yaw_deg in [-60.0f32, 0.0, 45.0, 135.0] {
                for pitch_deg in [10.0f32, 30.0, 80.0] {
                    let mut camera = OrbitCamera {
                        yaw_rad: yaw_deg.to_radians(),
                        pitch_rad: pitch_deg.to_radians(),
                        ..OrbitCamera::default()
                    };
                    camera.fit_to_box(min, max, aspect);
                    for i in 0..8 {
                        let corner = Vec3::new(
                            if i & 1 == 0 { min.x } else { max.x },
                            if i & 2 == 0 { min.y } else { max.y },
                            if i & 4 == 0 { min.z } else { max.z },
                        );
                        let ndc = camera.ndc_from_world(aspect, corner);
                        assert!(
                            ndc.x.abs() <= 1.0 && ndc.y.abs() <= 1.0,
                            "corner {corner} at {ndc} (aspect {aspect}, yaw {yaw_deg}, pitch {pitch_deg})"
                        );
                        assert!((0.0..=1.0).contains(&ndc.z), "depth {} of {corner}", ndc.z);
                    }
                }
            }
        }
    }

    #[test]
    fn clip_depth_is_wgpu_range_and_y_is_up() {
        let camera = OrbitCamera::default();
        let target = camera.ndc_from_world(1.0, camera.target);
        assert!(target.x.abs() < 1e-5 && target.y.abs() < 1e-5);
        assert!(target.z > 0.0 && target.z < 1.0, "{target}");
        // A point above the target appears above the centre of the frame.
        let above = camera.ndc_from_world(1.0, camera.target + Vec3::Z * 0.1);
        assert!(above.y > 0.0, "{above}");
    }

    #[test]
    fn pan_moves_the_target_sideways_and_zoom_scales_distance() {
        let mut camera = OrbitCamera::default();
        let before = camera.ndc_from_world(1.0, Vec3::ZERO);
        camera.pan(100.0, 0.0, 800.0);
        // The scene follows the pointer: the origin moves right in the frame.
        let after = camera.ndc_from_world(1.0, Vec3::ZERO);
        assert!(after.x > before.x + 0.1, "{before} -> {after}");
        assert!((after.y - before.y).abs() < 1e-3);
        let d = camera.distance;
        camera.zoom(0.5);
        assert_eq!(camera.distance, d * 0.5);
        camera.zoom(f32::NAN);
        assert_eq!(camera.distance, d * 0.5);
        camera.orbit(0.0, 10.0);
        assert_eq!(camera.pitch_rad, MAX_PITCH_RAD);
    }
}
