//! Framing the surface: the orbit camera is persisted in the state; what is here is when to fit
//! it (on the coming frames, once the view's aspect is known) and whether to choose the viewing
//! angles too. No egui: the view hands in its aspect ratio.

use super::Workspace;
use crate::scene::OrbitCamera;

/// When and how the camera is fitted to the surface.
#[derive(Debug)]
pub struct ViewFit {
    /// The viewport's last aspect ratio, for fitting the camera from a key press.
    pub last_aspect: f32,
    /// Fit the camera on this many coming frames, when the viewport's aspect is known: the
    /// side panels settle their widths over the first frames, changing the aspect.
    pub fit_frames: u8,
    /// While fitting, also choose the viewing angles that show the start and the runs' ends
    /// ([`crate::scene::SceneDesc::choose_view`]): for a scene that has no camera of its own.
    choose_angles: bool,
}

impl Default for ViewFit {
    fn default() -> Self {
        Self {
            last_aspect: 1.5,
            fit_frames: 0,
            choose_angles: false,
        }
    }
}

impl Workspace {
    pub fn camera(&self) -> OrbitCamera {
        self.state.camera.to_orbit()
    }

    pub fn set_camera(&mut self, camera: &OrbitCamera) {
        self.state.camera = super::state::CameraState::from_orbit(camera);
    }

    /// Frames the surface on the next frame (a fresh session, a new preset or domain).
    pub fn request_fit(&mut self) {
        self.view.fit_frames = 3;
        self.view.choose_angles = false;
        self.fit_camera(self.view.last_aspect);
    }

    /// Frames the surface from the default view: angles near the usual front-left ones from
    /// which the start and every run's end are seen (not hidden behind a ridge). For a scene
    /// with no camera of its own: a fresh launch, a preset, a scene file without one.
    pub fn request_default_view(&mut self) {
        self.view.fit_frames = 3;
        self.view.choose_angles = true;
        self.fit_camera(self.view.last_aspect);
    }

    /// Frames the whole surface, keeping the viewing angles.
    pub fn fit_camera(&mut self, aspect: f32) {
        if self.view.choose_angles {
            let mut scene = self.scene();
            scene.choose_view(&self.func.surface, aspect);
            self.set_camera(&scene.camera);
            // The side panels settle over the first frames; the last fit keeps these angles.
            self.view.choose_angles = self.view.fit_frames > 0;
            return;
        }
        let mut scene = self.func.base_scene.clone();
        scene.camera = self.camera();
        scene.overlays.axes = self.state.display.axes;
        scene.fit_camera(aspect);
        self.set_camera(&scene.camera);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::{AppState, CameraState};

    #[test]
    fn the_default_view_shows_the_start_and_the_runs_ends_on_himmelblau() {
        let preset = crate::presets::find("himmelblau").unwrap();
        let mut workspace = Workspace::new(AppState::for_preset(preset));
        assert_eq!(workspace.state.start, [-2.0, -2.0]);
        let aspect = 1.5;
        workspace.view.last_aspect = aspect;
        workspace.request_default_view();
        // The viewport's fit frames, as the panels settle.
        while workspace.view.fit_frames > 0 {
            workspace.view.fit_frames -= 1;
            workspace.fit_camera(aspect);
        }
        let scene = workspace.scene();
        let points = crate::scene::key_points(&scene);
        assert_eq!(points.len(), 1 + 2 * workspace.state.runs.len());
        for (i, &p) in points.iter().enumerate() {
            let ndc = scene.camera.ndc_from_world(aspect, p);
            assert!(ndc.x.abs() < 1.0 && ndc.y.abs() < 1.0, "point {i} at {ndc}");
            assert!(
                crate::scene::sees(&scene, workspace.surface_function(), aspect, p),
                "point {i} is hidden by the surface"
            );
        }
        // The usual front-left view hid them: the choice is what shows them.
        let mut usual = scene.clone();
        usual.camera = OrbitCamera::default();
        usual.fit_camera(aspect);
        assert!(
            crate::scene::seen_count(&usual, workspace.surface_function(), aspect, &points)
                < points.len()
        );
    }

    #[test]
    fn a_camera_that_shows_nothing_is_replaced_by_one_that_frames_the_surface() {
        let unusable = CameraState {
            distance: -1.0,
            ..AppState::default().camera
        };
        // The default scene, framed at the default aspect.
        let framed = || {
            let mut fitted = Workspace::new(AppState::default());
            fitted.fit_camera(fitted.view.last_aspect);
            fitted.state.camera
        };
        let workspace = Workspace::new(AppState {
            camera: unusable,
            ..AppState::default()
        });
        assert!(
            workspace.view.fit_frames > 0,
            "the view frames the surface on its next frames"
        );
        assert!(workspace.state.camera.is_usable());
        assert_eq!(workspace.state.camera, framed());
        // The same through restore (a scene file opened, undo): framed, not the bare default.
        let mut workspace = Workspace::new(AppState::default());
        workspace.view.fit_frames = 0;
        workspace.state.camera.distance = 40.0;
        workspace
            .restore(AppState {
                camera: unusable,
                ..AppState::default()
            })
            .unwrap();
        assert!(workspace.view.fit_frames > 0);
        assert_eq!(workspace.state.camera, framed());
        // A usable camera is kept as it is.
        let mut kept = AppState::default();
        kept.camera.distance = 7.5;
        workspace.restore(kept.clone()).unwrap();
        assert_eq!(
            (workspace.view.fit_frames, workspace.state.camera),
            (0, kept.camera)
        );
    }
}
