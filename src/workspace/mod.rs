//! The workspace: the persisted state (`AppState`, its repair, scene files, undo) and the
//! session's logic over it, split by concern — the function and its domain, the runs and their
//! outcomes, playback, framing the view, history, scene files, the data objective. Knows no egui,
//! winit or wgpu: the window's panels (`ui`) and the command line (`cli`) both drive it.

mod data;
mod files;
mod function;
mod history;
mod playback;
mod runs;
pub mod scene_file;
mod settings;
mod state;
mod state_check;
mod view_fit;

pub use data::{
    CURVE_SAMPLES, DataField, DataProblem, LoadedData, line_through, sigmoid_quartiles,
    sigmoid_through,
};
pub use function::{FunctionDomain, SOURCE_REST_SECS, check_domain};
pub use history::{HISTORY_LIMIT, History, same_scene};
pub use playback::Player;
pub use runs::{
    CONVERGED_TOL, MAX_STEPS, NextStep, RunOutcome, Runs, Series, describe_outcome,
    first_unmuted_valid, run_legend,
};
pub use scene_file::{SCENE_EXTENSION, SceneFile, command_line, parse_scene, read_scene};
pub use settings::{
    BASIN_SIDES, LEFT_WIDTH, LayoutState, MIN_PANEL, NotebookMode, NotebookState, PanelTab,
    RIGHT_WIDTH, SWARM_SIDE_RANGE, SwarmSettings, SweepMetric,
};
pub use state::{
    AppState, CameraState, DEFAULT_MAX_STEPS, DEFAULT_PRESET, DataSpec, DisplayToggles,
    DomainState, GRID_SIDES, Playback, PointAt, RunConfig, STATE_VERSION, default_start, domain_of,
};
pub use state_check::{LESSON_COUNT, MAX_RUNS, SPEED_RANGE, repair as repair_state};
pub use view_fit::ViewFit;

use crate::function::Function;
use crate::math::ParseError;
use crate::presets::Preset;
use crate::scene::{Domain, SceneDesc, TrajectoryOverlay};

/// Contour lines drawn when the toggle is on.
pub const CONTOUR_LEVELS: u32 = 16;

/// The persisted state and everything derived from it. Every change goes through a method here,
/// which reruns what it affects, so that no reader sees stale data.
pub struct Workspace {
    pub state: AppState,
    /// The function, its surface and what is derived from the surface alone.
    func: FunctionDomain,
    /// Every run's outcome.
    runs: Runs,
    /// The playback's clock between frames.
    player: Player,
    /// Undo and redo over the scene.
    history: History,
    /// When to frame the surface, and how.
    pub(crate) view: ViewFit,
    /// The domain point under the pointer (viewport or contour map), if any: the inspected
    /// point where the display follows the cursor.
    pub(crate) hover_point: Option<[f64; 2]>,
    /// Whether a drag of the start point is under way (set by the view; a restored scene ends
    /// it).
    pub(crate) dragging_start: bool,
}

impl Workspace {
    /// Builds the derived state. A state whose expression no longer parses (an old file, an edit
    /// by hand) falls back to the default preset's, so there is always a function.
    pub fn new(state: AppState) -> Self {
        Self::load(state).0
    }

    /// [`Workspace::new`], with what was given up on the way, if anything: the session's data
    /// objective, where it no longer builds.
    pub fn load(mut state: AppState) -> (Self, Option<String>) {
        // A session file may have been edited by hand: keep every number in a range the app
        // can show and run in reasonable time (session::load has said what it changed).
        let fit = !state.camera.is_usable();
        state_check::repair(&mut state);
        state.swarm.sanitize();
        let mut notice = None;
        let (function, surface, data) = match function::compile_scene(&state) {
            Ok(built) => built,
            Err(why) => {
                if state.data.take().is_some() {
                    notice = Some(format!("the session's data objective was dropped: {why}"));
                }
                let fallback = AppState::default();
                match function::compile(&state.good_source) {
                    Ok((function, surface)) => (function, surface, None),
                    Err(_) => {
                        state.good_source = fallback.good_source.clone();
                        state.source = fallback.source;
                        // The default preset is in the compiled-in catalog, whose tests parse it.
                        let (function, surface) = function::compile(&fallback.good_source)
                            .expect("the default preset parses");
                        (function, surface, None)
                    }
                }
            }
        };
        let func = FunctionDomain::from_parts(&state, function, surface, data);
        let mut workspace = Self {
            state,
            func,
            runs: Runs::default(),
            player: Player::default(),
            history: History::default(),
            view: ViewFit::default(),
            hover_point: None,
            dragging_start: false,
        };
        // Not `recompute`: a restored session keeps the step it was paused on.
        workspace.run_all();
        if fit {
            workspace.request_fit();
        }
        (workspace, notice)
    }

    pub fn function(&self) -> &Function {
        self.func.function()
    }

    /// Replaces the whole state (undo, redo, a lesson closed, a scene file opened): everything
    /// derived is rebuilt, and the surface evaluated again if it changed. A state whose function
    /// does not parse is refused (the current scene stays).
    pub fn restore(&mut self, mut state: AppState) -> Result<(), String> {
        let fit = !state.camera.is_usable();
        state_check::repair(&mut state);
        state.swarm.sanitize();
        let built = function::compile_scene(&state)?;
        // The panels are the window's, not the scene's.
        state.layout = self.state.layout;
        let surface_same = state.good_source == self.state.good_source
            && state.data == self.state.data
            && state.domain == self.state.domain
            && state.display.log_scale == self.state.display.log_scale
            && state.display.grid_side == self.state.display.grid_side;
        self.state = state;
        self.state.playback.playing = false;
        self.state.notebook.animating = false;
        self.player.stop();
        self.hover_point = None;
        self.dragging_start = false;
        // The state's own camera is the one to show (a fit the last scene asked for is moot),
        // unless it showed nothing.
        self.view.fit_frames = 0;
        self.func.replace(built, &self.state, surface_same);
        self.run_all();
        self.state.playback.step = self.state.playback.step.min(self.last_step());
        if fit {
            self.request_fit();
        }
        Ok(())
    }

    /// 1 or 2: the dimension of the function as typed.
    pub fn dims(&self) -> usize {
        self.func.dims()
    }

    pub fn parse_error(&self) -> Option<&ParseError> {
        self.func.parse_error.as_ref()
    }

    /// Changes whenever the surface must be evaluated on the GPU again.
    pub fn surface_version(&self) -> u64 {
        self.func.surface_version
    }

    /// How (x, y, f) map to world space on the current surface (the vertical scale included):
    /// what picking and projecting need, without building a whole [`Workspace::scene`].
    pub fn world_map(&self) -> crate::scene::WorldMap {
        self.func.base_scene.map
    }

    /// f is a number nowhere in the domain (as far as the surface's sample shows).
    pub fn surface_defined_nowhere(&self) -> bool {
        self.func.base_scene.surface.defined_nowhere
    }

    /// The function as (x, y) → f, as the surface shows it.
    pub fn surface_function(&self) -> &Function {
        self.func.surface()
    }

    /// Whether the surface has a tangent plane at `point` by the notebook's verdict.
    pub fn has_tangent_plane(&self, point: [f64; 2]) -> bool {
        self.func.has_tangent_plane(point)
    }

    pub fn domain(&self) -> Domain {
        Domain::new(
            (self.state.domain.x[0], self.state.domain.x[1]),
            (self.state.domain.y[0], self.state.domain.y[1]),
        )
    }

    /// The expression field changed: parse it; on success it replaces the function, on failure
    /// the error is kept for display and the last good function stays.
    pub fn set_source(&mut self, source: &str) {
        self.func.source_edited_at = None;
        self.state.source = source.to_string();
        match function::compile(source) {
            Ok((function, surface)) => {
                self.func.parse_error = None;
                // Typing an expression leaves the data objective for it.
                let leaves_data = self.state.data.take().is_some();
                self.func.data = None;
                self.func.data_problem = None;
                if source != self.state.good_source || leaves_data {
                    self.state.good_source = source.to_string();
                    self.state.preset = None;
                    self.func.function = function;
                    self.func.surface = surface;
                    self.surface_changed();
                }
            }
            Err(error) => self.func.parse_error = Some(error),
        }
    }

    /// The expression field was edited at `now_secs`: the text is checked at once (its error
    /// shown under the field), but it replaces the function only once committed by
    /// [`Workspace::settle_source`]: a prefix that happens to parse on the way to `x^^2` (`x`)
    /// must not flash up as the surface.
    pub fn edit_source(&mut self, source: &str, now_secs: f64) {
        self.state.source = source.to_string();
        self.func.parse_error = function::compile(source).err();
        self.func.source_edited_at = Some(now_secs);
    }

    /// Commits the edited expression when it parses and has rested [`SOURCE_REST_SECS`], or
    /// at once on `enter` (Enter or the field left). Returns how long until it may commit by
    /// resting, for a repaint then.
    pub fn settle_source(&mut self, now_secs: f64, enter: bool) -> Option<f64> {
        let edited_at = self.func.source_edited_at?;
        if self.func.parse_error.is_some() {
            // Nothing to commit until an edit makes it parse; the last committed one stays.
            return None;
        }
        let waited = now_secs - edited_at;
        if enter || waited >= SOURCE_REST_SECS {
            self.func.source_edited_at = None;
            let source = self.state.source.clone();
            self.set_source(&source);
            None
        } else {
            Some(SOURCE_REST_SECS - waited)
        }
    }

    /// Switches to a preset: its expression, domain and a fresh start point; the runs stay.
    pub fn apply_preset(&mut self, preset: &Preset) {
        self.set_source(&preset.expr);
        self.state.preset = Some(preset.name.clone());
        self.state.domain = domain_of(preset);
        self.state.start = default_start(&self.state.domain);
        self.surface_changed();
        self.request_default_view();
    }

    /// Shows `domain` (refused unless both ranges are finite and non-empty, with the reason);
    /// the start point is kept, moved inside if it falls out, and the camera is refitted.
    pub fn set_domain(&mut self, domain: DomainState) -> Result<(), String> {
        check_domain(&domain)?;
        if domain == self.state.domain {
            return Ok(());
        }
        self.state.domain = domain;
        let [x, y] = self.state.start;
        self.state.start = [
            x.clamp(domain.x[0], domain.x[1]),
            y.clamp(domain.y[0], domain.y[1]),
        ];
        self.surface_changed();
        self.request_fit();
        Ok(())
    }

    /// Evaluates the surface on `side`² points (from [`GRID_SIDES`]).
    pub fn set_grid_side(&mut self, side: u32) {
        let side = function::clamp_grid_side(side);
        if self.state.display.grid_side != side {
            self.state.display.grid_side = side;
            self.func.surface_version += 1;
        }
    }

    /// Moves the shared start point (clamped into the domain) and reruns every run.
    pub fn set_start(&mut self, x: f64, y: f64) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        let d = self.state.domain;
        self.state.start = [x.clamp(d.x[0], d.x[1]), y.clamp(d.y[0], d.y[1])];
        self.recompute();
    }

    /// The z-range by hand ([min, max], refused unless min < max, both finite), or None for
    /// the automatic one.
    pub fn set_z_range(&mut self, range: Option<[f64; 2]>) -> Result<(), String> {
        if let Some([lo, hi]) = range
            && !(lo.is_finite() && hi.is_finite() && lo < hi)
        {
            return Err(format!(
                "the z-range [{lo}, {hi}] is empty: min must be below max"
            ));
        }
        // The view maps z in f32 through hi − lo: a span f64 or f32 cannot hold would draw a
        // flat (or NaN) surface.
        if let Some([lo, hi]) = range
            && !((hi - lo).is_finite() && ((hi - lo) as f32).is_finite())
        {
            return Err(format!(
                "the z-range [{lo}, {hi}] is too wide to draw: keep max − min below 3.4e38"
            ));
        }
        if self.state.display.z_range != range {
            self.state.display.z_range = range;
            self.surface_changed();
        }
        Ok(())
    }

    pub fn set_log_scale(&mut self, on: bool) {
        if self.state.display.log_scale != on {
            self.state.display.log_scale = on;
            self.surface_changed();
        }
    }

    /// The point the plane, the derivative lines and the inspector are about, as (x, y) (y
    /// unused for a 1-D function): the start, the first unmuted run's ball, or the point under
    /// the pointer, per the display toggle; the start when the chosen one does not exist.
    pub fn inspected_point(&self) -> [f64; 2] {
        self.inspected_point_at(self.current_step())
    }

    fn inspected_point_at(&self, step: usize) -> [f64; 2] {
        let start = self.state.start;
        match self.state.display.point_at {
            PointAt::Start => start,
            PointAt::Ball => self
                .shown_runs()
                .find_map(|(i, _, _)| self.runs.ball_at(i, step))
                .map_or(start, |p| [p[0], p.get(1).copied().unwrap_or(start[1])]),
            // The 1-D plots set no hover point; a stale one from a 2-D view must not be used.
            PointAt::Cursor if self.dims() == 2 => self.hover_point.unwrap_or(start),
            PointAt::Cursor => start,
        }
    }

    /// The inspector's numbers at [`Workspace::inspected_point`], for f as typed.
    pub fn report(&self) -> crate::inspect::PointReport {
        let point = self.inspected_point();
        crate::inspect::PointReport::at(self.function(), &point[..self.dims()])
    }

    /// The frame to draw: surface, the tangent plane and derivative lines at the start point,
    /// the preset's minima, and every unmuted run up to the current step.
    pub fn scene(&self) -> SceneDesc {
        self.scene_at_step(self.current_step())
    }

    /// [`Workspace::scene`] with every ball at `step` (clamped to its run), for animations.
    pub fn scene_at_step(&self, step: usize) -> SceneDesc {
        let surface = &self.func.surface;
        let mut scene = self.func.base_scene.clone();
        scene.camera = self.camera();
        let display = &self.state.display;
        scene.surface.colormap = display.colormap;
        scene.surface.contour_levels = if display.contours { CONTOUR_LEVELS } else { 0 };
        scene.overlays.show_partials = display.partials;
        scene.overlays.show_arrows = display.arrows;
        scene.overlays.axes = display.axes;
        scene.surface.wireframe = display.wireframe;
        let [px, py] = self.inspected_point_at(step);
        scene.set_point(surface, px, py);
        // Where the notebook's verdict says f has no tangent plane at A (abs(sign(x·y)) at the
        // origin), none is drawn or listed: the view must not contradict the Slices panel.
        scene.overlays.show_plane = display.plane && self.has_tangent_plane([px, py]);
        if display.eigen_axes && scene.overlays.at.is_some() {
            scene.overlays.eigen = crate::inspect::eigen_symmetric(&surface.hessian(&[px, py]));
        }
        let sy = self.state.start[1];
        if let Some(preset) = self.preset()
            && preset.dims() == 2
        {
            scene.set_minima(surface, &preset.minima);
        }
        if let Some(minimum) = self.func.data.as_ref().and_then(|d| d.minimum) {
            scene.set_minima(surface, &[minimum.to_vec()]);
        }
        for (_, run, trajectory) in self.shown_runs() {
            // A 1-D run moves along x at the start's y.
            let points: Vec<[f64; 3]> = trajectory
                .steps
                .iter()
                .map(|s| {
                    let x = s.point.first().copied().unwrap_or(f64::NAN);
                    let y = s.point.get(1).copied().unwrap_or(sy);
                    [x, y, s.value]
                })
                .collect();
            scene.overlays.trajectories.push(TrajectoryOverlay {
                current: step.min(points.len().saturating_sub(1)),
                points,
                color: run.color,
                label: run_legend(run),
            });
        }
        scene
    }

    /// The preset the function came from, while it is still that preset's expression (never
    /// for a data objective).
    pub fn preset(&self) -> Option<&'static Preset> {
        if self.func.data.is_some() {
            return None;
        }
        let name = self.state.preset.as_deref()?;
        crate::presets::find(name)
            .ok()
            .filter(|p| p.expr == self.state.good_source)
    }

    fn surface_changed(&mut self) {
        self.func.surface_changed(&self.state);
        self.recompute();
    }
}

#[cfg(test)]
pub(crate) mod tests;
