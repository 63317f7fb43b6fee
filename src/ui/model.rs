//! `Model`: the persisted `AppState` plus what is derived from it (the parsed function, the
//! last parse error, every run's trajectory). Every change goes through a method here, which
//! recomputes the trajectories on the CPU (f64, `optim::run_with`) so the panels never see stale data.

use crate::function::Function;
use crate::math::ParseError;
use crate::optim::{Divergence, Status, Trajectory, prediction_ratio, run_with};
use crate::presets::Preset;
use crate::scene::{Domain, OrbitCamera, SceneDesc, TrajectoryOverlay};

use super::state::{AppState, DomainState, RunConfig, default_start, domain_of};

mod data;
pub use data::{
    DataField, DataProblem, LoadedData, line_through, sigmoid_quartiles, sigmoid_through,
};

/// A run stops early once ‖∇f‖ falls to this: it has converged as far as f64 can show.
pub const CONVERGED_TOL: f64 = 1e-8;
/// The most steps a run may take: every change reruns every run, live while dragging.
pub const MAX_STEPS: usize = 100_000;
/// How long a parsing expression must rest in the field before it replaces the function.
pub const SOURCE_REST_SECS: f64 = 0.3;
/// Contour lines drawn when the toggle is on.
pub const CONTOUR_LEVELS: u32 = 16;

/// The outcome of one run: its trajectory, or why it could not start (a bad hyperparameter).
#[derive(Clone, Debug)]
pub enum RunOutcome {
    Ran(Trajectory),
    Invalid(String),
}

pub struct Model {
    pub state: AppState,
    /// The last good function, as typed (1-D or 2-D): what the runs descend.
    function: Function,
    /// The same as a function of (x, y), for the surface and the picking: a 1-D f(x) is shown
    /// extruded along y.
    surface: Function,
    parse_error: Option<ParseError>,
    /// The data objective's table, model and minimum, while the scene is one.
    data: Option<LoadedData>,
    /// The Data panel's last spec that did not build, and why (the last good one stays).
    data_problem: Option<DataProblem>,
    outcomes: Vec<RunOutcome>,
    /// The scene without camera or overlays; its vertical scale samples f, so it is built only
    /// when the function, domain or scale changes.
    base_scene: SceneDesc,
    /// Bumped whenever the surface must be evaluated again (function, domain, scale).
    surface_version: u64,
    /// Fractional steps accumulated while playing.
    step_fraction: f64,
    /// The viewport's last aspect ratio, for fitting the camera from a key press.
    pub(crate) last_aspect: f32,
    /// Whether a drag of the start point is under way (set by the viewport).
    pub(crate) dragging_start: bool,
    /// Whether the camera is being orbited or panned by a drag in the viewport.
    pub(crate) orbiting: bool,
    /// Fit the camera on this many coming frames, when the viewport's aspect is known: the
    /// side panels settle their widths over the first frames, changing the aspect.
    pub(crate) fit_frames: u8,
    /// While fitting, also choose the viewing angles that show the start and the runs' ends
    /// ([`SceneDesc::choose_view`]): for a scene that has no camera of its own.
    choose_angles: bool,
    /// When the expression field was last edited (the UI's clock, seconds) while its text is
    /// not yet the function: see [`Model::edit_source`].
    source_edited_at: Option<f64>,
    /// Whether the surface has a tangent plane at a point, for the last (surface version,
    /// point) asked: the verdict reads secants along three lines, too much for every frame.
    plane_verdict: std::cell::Cell<Option<(u64, [u64; 2], bool)>>,
    /// The domain point under the pointer (viewport or contour map), if any.
    pub(crate) hover_point: Option<[f64; 2]>,
    /// A message for the status line (an export written, or why it failed), and whether it is
    /// an error.
    pub(crate) notice: Option<(String, bool)>,
    /// An image export the app should draw after this frame (the UI has no GPU).
    pub image_export: Option<super::ImageExport>,
    /// What the GPU swarm computed for the view (basins, hyperparameter map, balls).
    pub swarm: super::swarm::SwarmView,
    /// Undo and redo over the scene.
    pub(crate) history: super::history::History,
    /// Whether the central view (the 3-D scene, or the 1-D plots) has the keyboard: the last
    /// press landed in it, or the pointer is over it. Preset digit keys act only then.
    pub(crate) view_has_keys: bool,
    /// The last press landed in the central view.
    pub(crate) view_focused: bool,
    /// The central view's rect last frame, in points.
    pub(crate) view_rect: Option<egui::Rect>,
    /// Which help windows are open.
    pub(crate) help: super::help::HelpWindows,
    /// The GPU the app draws with, for Help → About (set by the app).
    pub gpu: Option<super::help::GpuAbout>,
    /// Ctrl+Q (or File → Quit) was pressed: the app saves the session and exits.
    pub quit_requested: bool,
    /// The Open… or Save As… window, while one is open.
    pub(crate) file_dialog: Option<super::file_menu::FileDialog>,
    /// The Open data… window, while it is open.
    pub(crate) data_dialog: Option<super::data_panel::OpenData>,
}

impl Model {
    /// Builds the derived state. A state whose expression no longer parses (an old file, an edit
    /// by hand) falls back to the default preset's, so the app always has a function.
    pub fn new(mut state: AppState) -> Self {
        // A session file may have been edited by hand: keep every number in a range the app
        // can show and run in reasonable time (session::load has said what it changed).
        let fit = !state.camera.is_usable();
        super::state_check::repair(&mut state);
        state.swarm.sanitize();
        let mut notice = None;
        let (function, surface, data) = match compile_scene(&state) {
            Ok(built) => built,
            Err(why) => {
                if state.data.take().is_some() {
                    notice = Some((
                        format!("the session's data objective was dropped: {why}"),
                        true,
                    ));
                }
                let fallback = AppState::default();
                match compile(&state.good_source) {
                    Ok((function, surface)) => (function, surface, None),
                    Err(_) => {
                        state.good_source = fallback.good_source.clone();
                        state.source = fallback.source;
                        // The default preset is in the compiled-in catalog, whose tests parse it.
                        let (function, surface) =
                            compile(&fallback.good_source).expect("the default preset parses");
                        (function, surface, None)
                    }
                }
            }
        };
        let parse_error = Function::parse(&state.source).err();
        let base_scene = base_scene(&surface, &state);
        let mut model = Self {
            state,
            function,
            surface,
            parse_error,
            data,
            data_problem: None,
            outcomes: Vec::new(),
            base_scene,
            surface_version: 0,
            step_fraction: 0.0,
            last_aspect: 1.5,
            dragging_start: false,
            orbiting: false,
            fit_frames: 0,
            choose_angles: false,
            source_edited_at: None,
            plane_verdict: std::cell::Cell::new(None),
            hover_point: None,
            notice,
            image_export: None,
            swarm: Default::default(),
            history: Default::default(),
            view_has_keys: false,
            view_focused: false,
            view_rect: None,
            help: Default::default(),
            gpu: None,
            quit_requested: false,
            file_dialog: None,
            data_dialog: None,
        };
        // Not `recompute`: a restored session keeps the step it was paused on.
        model.run_all();
        if fit {
            model.request_fit();
        }
        model
    }

    pub fn function(&self) -> &Function {
        &self.function
    }

    /// Replaces the whole state (undo, redo, a lesson closed, a scene file opened): everything
    /// derived is rebuilt, and the surface evaluated again if it changed. A state whose function
    /// does not parse is refused (the current scene stays).
    pub fn restore(&mut self, mut state: AppState) -> Result<(), String> {
        let fit = !state.camera.is_usable();
        super::state_check::repair(&mut state);
        state.swarm.sanitize();
        let (function, surface, data) = compile_scene(&state)?;
        // The panels are the window's, not the scene's.
        state.layout = self.state.layout;
        let surface_same = state.good_source == self.state.good_source
            && state.data == self.state.data
            && state.domain == self.state.domain
            && state.display.log_scale == self.state.display.log_scale
            && state.display.grid_side == self.state.display.grid_side;
        self.parse_error = Function::parse(&state.source).err();
        self.source_edited_at = None;
        self.function = function;
        self.surface = surface;
        self.data = data;
        self.data_problem = None;
        self.state = state;
        self.state.playback.playing = false;
        self.state.notebook.animating = false;
        self.step_fraction = 0.0;
        self.hover_point = None;
        self.dragging_start = false;
        // The state's own camera is the one to show (a fit the last scene asked for is moot),
        // unless it showed nothing.
        self.fit_frames = 0;
        if !surface_same {
            self.base_scene = base_scene(&self.surface, &self.state);
            self.surface_version += 1;
        }
        self.run_all();
        self.state.playback.step = self.state.playback.step.min(self.last_step());
        if fit {
            self.request_fit();
        }
        Ok(())
    }

    /// Shows the scene in the file at `path` (undoable); on any problem the scene on screen
    /// stays as it is and the reason is returned.
    pub fn open_scene_file(&mut self, path: &std::path::Path) -> Result<(), String> {
        let scene = super::scene_file::read_scene(path)?;
        self.open_scene(&scene)?;
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.state.scene_file = Some(path.display().to_string());
        self.remember_scene_file(&path);
        Ok(())
    }

    /// Shows `scene` (from a file or the command line), keeping the session's own settings.
    pub fn open_scene(&mut self, scene: &super::SceneFile) -> Result<(), String> {
        let state = scene.to_state(&self.state)?;
        self.restore(state)?;
        if scene.camera.is_none() {
            self.request_default_view();
        }
        self.state.playback.step = self.last_step();
        Ok(())
    }

    /// Writes the scene on screen to `path`, which becomes the file Save writes to.
    pub fn save_scene_file(&mut self, path: &std::path::Path) -> Result<(), String> {
        let scene = super::SceneFile::from_state(&self.state);
        super::scene_file::write_scene(path, &scene).map_err(|e| e.to_string())?;
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.state.scene_file = Some(path.display().to_string());
        self.remember_scene_file(&path);
        Ok(())
    }

    /// A fresh scene: the default preset, runs and view (undoable).
    pub fn new_scene(&mut self) {
        let fresh = super::SceneFile::from_state(&AppState::default());
        let scene = super::SceneFile {
            camera: None,
            ..fresh
        };
        if self.open_scene(&scene).is_ok() {
            self.state.scene_file = None;
        }
    }

    /// The window's title: the scene file's name where the scene has one, so a user with two
    /// windows (or a task bar) can tell which scene is which.
    pub fn window_title(&self) -> String {
        let name = self.state.scene_file.as_deref().and_then(|path| {
            std::path::Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        });
        match name {
            Some(name) => format!("{name} — gradscape"),
            None => "gradscape".to_owned(),
        }
    }

    fn remember_scene_file(&mut self, path: &std::path::Path) {
        let name = path.display().to_string();
        let recent = &mut self.state.recent_scenes;
        recent.retain(|p| *p != name);
        recent.insert(0, name);
        recent.truncate(super::scene_file::RECENT_SCENES);
    }

    /// Records an undo step if the scene changed since the last one. The UI calls this when an
    /// interaction has ended (no button held, nothing being typed).
    pub fn settle_history(&mut self) {
        self.history.settle(&self.state);
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// The status line's message and whether it is an error, if one is shown.
    pub fn notice_text(&self) -> Option<(String, bool)> {
        self.notice.clone()
    }

    /// Whether the keyboard-and-mouse sheet is open.
    pub fn shortcuts_open(&self) -> bool {
        self.help.shortcuts
    }

    /// How many steps Undo can take back.
    pub fn undo_steps(&self) -> usize {
        self.history.undo_len()
    }

    /// What Undo / Redo would change, in a few words ("function", "lesson"…).
    pub fn undo_label(&self) -> Option<&'static str> {
        self.history.undo_label()
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.history.redo_label()
    }

    /// Takes the scene back one step (a change not yet settled counts as one).
    pub fn undo(&mut self) {
        self.settle_history();
        let current = self.state.clone();
        if let Some(previous) = self.history.undo(&current) {
            self.go_to(previous, &current);
        }
    }

    pub fn redo(&mut self) {
        self.settle_history();
        let current = self.state.clone();
        if let Some(next) = self.history.redo(&current) {
            self.go_to(next, &current);
        }
    }

    /// Restores a state from the history. The camera stays where the user put it unless the
    /// surface itself changes; the export folder is not part of the scene.
    fn go_to(&mut self, mut state: AppState, current: &AppState) {
        let refit = state.good_source != current.good_source
            || state.domain != current.domain
            || state.data != current.data;
        if !refit {
            state.camera = current.camera;
        }
        state.export_dir = current.export_dir.clone();
        state.recent_scenes = current.recent_scenes.clone();
        // Save As records no step; undoing past it must not point Save back at the old file.
        state.scene_file = current.scene_file.clone();
        state.playback.step = current.playback.step;
        if self.restore(state).is_ok() {
            if refit {
                self.request_fit();
            }
            // The history's own snapshot, not the repaired copy: no step is recorded for it.
            self.history.resettle(&self.state);
        }
    }

    /// 1 or 2: the dimension of the function as typed.
    pub fn dims(&self) -> usize {
        self.function.dims()
    }

    pub fn parse_error(&self) -> Option<&ParseError> {
        self.parse_error.as_ref()
    }

    pub fn outcomes(&self) -> &[RunOutcome] {
        &self.outcomes
    }

    /// Changes whenever the surface must be evaluated on the GPU again.
    pub fn surface_version(&self) -> u64 {
        self.surface_version
    }

    /// Whether the user is moving the 3-D view or the start by a drag in the viewport (or on
    /// the map): the frames the app may draw lighter, panels included. A drag of a panel's own
    /// widget does not count: it must follow the pointer at full rate.
    pub fn view_gesture(&self) -> bool {
        self.dragging_start || self.orbiting
    }

    /// How (x, y, f) map to world space on the current surface (the vertical scale included):
    /// what picking and projecting need, without building a whole [`Model::scene`].
    pub fn world_map(&self) -> crate::scene::WorldMap {
        self.base_scene.map
    }

    /// f is a number nowhere in the domain (as far as the surface's sample shows).
    pub fn surface_defined_nowhere(&self) -> bool {
        self.base_scene.surface.defined_nowhere
    }

    /// The function as (x, y) → f, as the surface shows it.
    pub fn surface_function(&self) -> &Function {
        &self.surface
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
        self.source_edited_at = None;
        self.state.source = source.to_string();
        match compile(source) {
            Ok((function, surface)) => {
                self.parse_error = None;
                // Typing an expression leaves the data objective for it.
                let leaves_data = self.state.data.take().is_some();
                self.data = None;
                self.data_problem = None;
                if source != self.state.good_source || leaves_data {
                    self.state.good_source = source.to_string();
                    self.state.preset = None;
                    self.function = function;
                    self.surface = surface;
                    self.surface_changed();
                }
            }
            Err(error) => self.parse_error = Some(error),
        }
    }

    /// The expression field was edited at `now_secs`: the text is checked at once (its error
    /// shown under the field), but it replaces the function only once committed by
    /// [`Model::settle_source`]: a prefix that happens to parse on the way to `x^^2` (`x`) must
    /// not flash up as the surface.
    pub fn edit_source(&mut self, source: &str, now_secs: f64) {
        self.state.source = source.to_string();
        self.parse_error = compile(source).err();
        self.source_edited_at = Some(now_secs);
    }

    /// Commits the edited expression when it parses and has rested [`SOURCE_REST_SECS`], or
    /// at once on `enter` (Enter or the field left). Returns how long until it may commit by
    /// resting, for a repaint then.
    pub fn settle_source(&mut self, now_secs: f64, enter: bool) -> Option<f64> {
        let edited_at = self.source_edited_at?;
        if self.parse_error.is_some() {
            // Nothing to commit until an edit makes it parse; the last committed one stays.
            return None;
        }
        let waited = now_secs - edited_at;
        if enter || waited >= SOURCE_REST_SECS {
            self.source_edited_at = None;
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

    /// Evaluates the surface on `side`² points (from [`GRID_SIDES`](super::GRID_SIDES)).
    pub fn set_grid_side(&mut self, side: u32) {
        let side = clamp_grid_side(side);
        if self.state.display.grid_side != side {
            self.state.display.grid_side = side;
            self.surface_version += 1;
        }
    }

    /// Replaces every run (a lesson, a loaded file) and reruns.
    pub fn set_runs(&mut self, runs: Vec<super::RunConfig>) {
        self.state.runs = runs;
        self.recompute();
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
            super::PointAt::Start => start,
            super::PointAt::Ball => self
                .state
                .runs
                .iter()
                .enumerate()
                .filter(|(_, run)| !run.muted)
                .find_map(|(i, _)| self.ball_at(i, step))
                .map_or(start, |p| [p[0], p.get(1).copied().unwrap_or(start[1])]),
            // The 1-D plots set no hover point; a stale one from a 2-D view must not be used.
            super::PointAt::Cursor if self.dims() == 2 => self.hover_point.unwrap_or(start),
            super::PointAt::Cursor => start,
        }
    }

    /// The first unmuted run's step out of the current one, if it took one: what the tangent
    /// plane at the ball predicted for the next value against what it was.
    pub fn next_step(&self) -> Option<NextStep> {
        let step = self.current_step();
        self.state
            .runs
            .iter()
            .zip(&self.outcomes)
            .enumerate()
            .filter(|(_, (run, _))| !run.muted)
            .find_map(|(i, (_, outcome))| match outcome {
                RunOutcome::Ran(t) if t.steps.len() > 1 => Some((i, t)),
                _ => None,
            })
            .and_then(|(run, t)| {
                let from = t.steps.get(step)?;
                let to = t.steps.get(step + 1)?;
                let predicted_change = crate::optim::predicted_change(from, to);
                Some(NextStep {
                    run,
                    from_point: from.point.clone(),
                    to_point: to.point.clone(),
                    value: from.value,
                    predicted: from.value + predicted_change,
                    actual: to.value,
                    rho: prediction_ratio(from, to),
                })
            })
    }

    /// The inspector's numbers at [`Model::inspected_point`], for f as typed.
    pub fn report(&self) -> crate::inspect::PointReport {
        let point = self.inspected_point();
        crate::inspect::PointReport::at(&self.function, &point[..self.dims()])
    }

    /// Frames the surface on the next frame (a fresh session, a new preset or domain).
    pub fn request_fit(&mut self) {
        self.fit_frames = 3;
        self.choose_angles = false;
        self.fit_camera(self.last_aspect);
    }

    /// Frames the surface from the default view: angles near the usual front-left ones from
    /// which the start and every run's end are seen (not hidden behind a ridge). For a scene
    /// with no camera of its own: a fresh launch, a preset, a scene file without one.
    pub fn request_default_view(&mut self) {
        self.fit_frames = 3;
        self.choose_angles = true;
        self.fit_camera(self.last_aspect);
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

    /// Adds a run with the first optimizer not yet in use, so that a new run is visibly new.
    pub fn add_run(&mut self) {
        let used: Vec<_> = self.state.runs.iter().map(|r| r.hyper.kind).collect();
        let kind = crate::optim::OptimizerKind::ALL
            .into_iter()
            .find(|k| !used.contains(k))
            .unwrap_or(crate::optim::OptimizerKind::Sgd);
        let lr = super::state::usual_lr(kind);
        let index = self.state.runs.len();
        self.state.runs.push(RunConfig::new(kind, lr, index));
        self.recompute();
    }

    pub fn duplicate_run(&mut self, index: usize) {
        if let Some(run) = self.state.runs.get(index).copied() {
            let mut copy = run;
            copy.color = RunConfig::new(run.hyper.kind, 0.0, self.state.runs.len()).color;
            self.state.runs.insert(index + 1, copy);
            self.recompute();
        }
    }

    pub fn remove_run(&mut self, index: usize) {
        if index < self.state.runs.len() {
            self.state.runs.remove(index);
            self.recompute();
        }
    }

    /// Replaces a run's settings (optimizer, hyperparameters, mute) and reruns.
    pub fn update_run(&mut self, index: usize, config: RunConfig) {
        if let Some(run) = self.state.runs.get_mut(index)
            && *run != config
        {
            *run = config;
            self.recompute();
        }
    }

    pub fn set_max_steps(&mut self, max_steps: usize) {
        let max_steps = max_steps.clamp(1, MAX_STEPS);
        if self.state.playback.max_steps != max_steps {
            self.state.playback.max_steps = max_steps;
            self.recompute();
        }
    }

    /// The last step any unmuted run reached (or the step budget, while a swarm of balls rolls:
    /// they go on after the runs stop).
    pub fn last_step(&self) -> usize {
        let swarm = if super::swarm::balls_wanted(self) {
            self.state.playback.max_steps
        } else {
            0
        };
        self.state
            .runs
            .iter()
            .zip(&self.outcomes)
            .filter(|(run, _)| !run.muted)
            .filter_map(|(_, outcome)| match outcome {
                RunOutcome::Ran(t) => Some(t.steps.len().saturating_sub(1)),
                RunOutcome::Invalid(_) => None,
            })
            .max()
            .unwrap_or(0)
            .max(swarm)
    }

    /// The step the balls sit on, clamped to what exists.
    pub fn current_step(&self) -> usize {
        self.state.playback.step.min(self.last_step())
    }

    pub fn step_forward(&mut self) {
        self.state.playback.playing = false;
        self.state.playback.step = (self.current_step() + 1).min(self.last_step());
    }

    pub fn step_back(&mut self) {
        self.state.playback.playing = false;
        self.state.playback.step = self.current_step().saturating_sub(1);
    }

    pub fn reset(&mut self) {
        self.state.playback.playing = false;
        self.state.playback.step = 0;
        self.step_fraction = 0.0;
    }

    /// Play from where the balls are; at the end, play starts over from step 0.
    pub fn toggle_play(&mut self) {
        let playback = &mut self.state.playback;
        if playback.playing {
            playback.playing = false;
        } else {
            if self.current_step() >= self.last_step() {
                self.state.playback.step = 0;
            }
            self.state.playback.playing = true;
            self.step_fraction = 0.0;
        }
    }

    /// Advances playback by `dt_secs`; stops at the last step.
    pub fn tick(&mut self, dt_secs: f64) {
        if !self.state.playback.playing || !dt_secs.is_finite() {
            return;
        }
        self.step_fraction += dt_secs.max(0.0) * self.state.playback.speed.max(0.0);
        let whole = self.step_fraction.floor();
        self.step_fraction -= whole;
        let last = self.last_step();
        self.state.playback.step = (self.current_step() + whole as usize).min(last);
        if self.state.playback.step >= last {
            self.state.playback.playing = false;
        }
    }

    /// Where run `index`'s ball is: its point at the current step.
    pub fn ball(&self, index: usize) -> Option<Vec<f64>> {
        self.ball_at(index, self.current_step())
    }

    fn ball_at(&self, index: usize, step: usize) -> Option<Vec<f64>> {
        match self.outcomes.get(index)? {
            RunOutcome::Ran(t) => {
                let step = step.min(t.steps.len().checked_sub(1)?);
                Some(t.steps[step].point.clone())
            }
            RunOutcome::Invalid(_) => None,
        }
    }

    /// One line per unmuted run for the plot: (name, colour, [step, f(x_step)] rows).
    pub fn plot_series(&self) -> Vec<(String, [f32; 4], Vec<[f64; 2]>)> {
        self.series(|s| s.value)
    }

    /// Like [`Model::plot_series`], with ‖∇f(x_step)‖.
    pub fn gradient_norm_series(&self) -> Vec<(String, [f32; 4], Vec<[f64; 2]>)> {
        self.series(crate::optim::Step::grad_norm)
    }

    /// The learning rate each step used, at the step it started from: lr(t) moves x_t to
    /// x_{t+1} (a schedule's curve, or the steps a line search took).
    pub fn lr_series(&self) -> Vec<(String, [f32; 4], Vec<[f64; 2]>)> {
        self.series_of(|steps| {
            steps
                .iter()
                .filter_map(|s| Some([s.step as f64 - 1.0, s.lr?]))
                .collect()
        })
    }

    /// ρ_t = actual / predicted change of f for the step into x_t: how far the tangent plane
    /// could be trusted over each step (1: fully; below 0: the step went uphill).
    pub fn rho_series(&self) -> Vec<(String, [f32; 4], Vec<[f64; 2]>)> {
        self.series_of(|steps| {
            steps
                .windows(2)
                .filter_map(|w| Some([w[1].step as f64, prediction_ratio(&w[0], &w[1])?]))
                .collect()
        })
    }

    fn series(
        &self,
        quantity: impl Fn(&crate::optim::Step) -> f64,
    ) -> Vec<(String, [f32; 4], Vec<[f64; 2]>)> {
        self.series_of(|steps| steps.iter().map(|s| [s.step as f64, quantity(s)]).collect())
    }

    /// One line per unmuted run, its points made by `points` from the run's rows (non-finite
    /// values dropped).
    fn series_of(
        &self,
        points: impl Fn(&[crate::optim::Step]) -> Vec<[f64; 2]>,
    ) -> Vec<(String, [f32; 4], Vec<[f64; 2]>)> {
        self.state
            .runs
            .iter()
            .zip(&self.outcomes)
            .enumerate()
            .filter(|(_, (run, _))| !run.muted)
            .filter_map(|(i, (run, outcome))| match outcome {
                RunOutcome::Ran(t) => Some((
                    format!(
                        "{} {} (lr {})",
                        i + 1,
                        run.hyper.kind,
                        crate::format::number(run.hyper.lr)
                    ),
                    run.color,
                    points(&t.steps)
                        .into_iter()
                        .filter(|[_, v]| v.is_finite())
                        .collect(),
                )),
                RunOutcome::Invalid(_) => None,
            })
            .collect()
    }

    pub fn camera(&self) -> OrbitCamera {
        self.state.camera.to_orbit()
    }

    pub fn set_camera(&mut self, camera: &OrbitCamera) {
        self.state.camera = super::state::CameraState::from_orbit(camera);
    }

    /// Whether the surface has a tangent plane at `point` by the notebook's verdict
    /// ([`crate::calculus::tangent_plane_check`]); remembered for the last point.
    pub fn has_tangent_plane(&self, point: [f64; 2]) -> bool {
        let key = (self.surface_version, point.map(f64::to_bits));
        if let Some((version, bits, has)) = self.plane_verdict.get()
            && (version, bits) == key
        {
            return has;
        }
        let has = crate::calculus::tangent_plane_check(&self.surface, point).is_none();
        self.plane_verdict.set(Some((key.0, key.1, has)));
        has
    }

    /// Frames the whole surface, keeping the viewing angles.
    pub fn fit_camera(&mut self, aspect: f32) {
        if self.choose_angles {
            let mut scene = self.scene();
            scene.choose_view(&self.surface, aspect);
            self.set_camera(&scene.camera);
            // The side panels settle over the first frames; the last fit keeps these angles.
            self.choose_angles = self.fit_frames > 0;
            return;
        }
        let mut scene = self.base_scene.clone();
        scene.camera = self.camera();
        scene.overlays.axes = self.state.display.axes;
        scene.fit_camera(aspect);
        self.set_camera(&scene.camera);
    }

    /// The frame to draw: surface, the tangent plane and derivative lines at the start point,
    /// the preset's minima, and every unmuted run up to the current step.
    pub fn scene(&self) -> SceneDesc {
        self.scene_at_step(self.current_step())
    }

    /// [`Model::scene`] with every ball at `step` (clamped to its run), for animations.
    pub fn scene_at_step(&self, step: usize) -> SceneDesc {
        let mut scene = self.base_scene.clone();
        scene.camera = self.camera();
        let display = &self.state.display;
        scene.surface.colormap = display.colormap;
        scene.surface.contour_levels = if display.contours { CONTOUR_LEVELS } else { 0 };
        scene.overlays.show_partials = display.partials;
        scene.overlays.show_arrows = display.arrows;
        scene.overlays.axes = display.axes;
        scene.surface.wireframe = display.wireframe;
        let [px, py] = self.inspected_point_at(step);
        scene.set_point(&self.surface, px, py);
        // Where the notebook's verdict says f has no tangent plane at A (abs(sign(x·y)) at the
        // origin), none is drawn or listed: the view must not contradict the Slices panel.
        scene.overlays.show_plane = display.plane && self.has_tangent_plane([px, py]);
        if display.eigen_axes && scene.overlays.at.is_some() {
            scene.overlays.eigen =
                crate::inspect::eigen_symmetric(&self.surface.hessian(&[px, py]));
        }
        let sy = self.state.start[1];
        if let Some(preset) = self.preset()
            && preset.dims() == 2
        {
            scene.set_minima(&self.surface, &preset.minima);
        }
        if let Some(minimum) = self.data.as_ref().and_then(|d| d.minimum) {
            scene.set_minima(&self.surface, &[minimum.to_vec()]);
        }
        for (run, outcome) in self.state.runs.iter().zip(&self.outcomes) {
            let RunOutcome::Ran(trajectory) = outcome else {
                continue;
            };
            if run.muted {
                continue;
            }
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
        if self.data.is_some() {
            return None;
        }
        let name = self.state.preset.as_deref()?;
        crate::presets::find(name)
            .ok()
            .filter(|p| p.expr == self.state.good_source)
    }

    /// Reruns every run from the start point; called after any change that affects them.
    /// Balls that sat at the end of their runs stay at the end of the new ones (the whole
    /// paths stay in view while dragging); a paused or playing step in the middle is kept.
    pub fn recompute(&mut self) {
        let at_end = self.current_step() >= self.last_step();
        self.run_all();
        if at_end && !self.state.playback.playing {
            // Never lower: a run muted now may come back, and its ball belongs at its end.
            self.state.playback.step = self.state.playback.step.max(self.last_step());
        }
    }

    fn run_all(&mut self) {
        let start: Vec<f64> = self.state.start[..self.function.dims()].to_vec();
        let max_steps = self.state.playback.max_steps;
        self.outcomes = self
            .state
            .runs
            .iter()
            .map(|r| {
                match run_with(
                    &self.function,
                    &r.hyper,
                    &r.options,
                    &start,
                    max_steps,
                    Some(CONVERGED_TOL),
                ) {
                    Ok(trajectory) => RunOutcome::Ran(trajectory),
                    Err(error) => RunOutcome::Invalid(error.to_string()),
                }
            })
            .collect();
    }

    fn surface_changed(&mut self) {
        self.base_scene = base_scene(&self.surface, &self.state);
        self.surface_version += 1;
        self.recompute();
    }
}

/// A run's name in the view's legend: optimizer and lr, and its batch size where it has one
/// (the paths of a batch, a mini-batch and a stochastic run differ by nothing else).
pub(crate) fn run_legend(run: &RunConfig) -> String {
    let label = crate::scene::run_label(run.hyper.kind, run.hyper.lr);
    match run.options.batch {
        Some(batch) => format!("{label}, batch {}", batch.size),
        None => label,
    }
}

/// One step of a run seen through the tangent plane at its start (the inspector, the 1-D view).
#[derive(Clone, Debug, PartialEq)]
pub struct NextStep {
    /// Which run (index into the runs).
    pub run: usize,
    pub from_point: Vec<f64>,
    pub to_point: Vec<f64>,
    /// f where the step starts.
    pub value: f64,
    /// f + ∇f·Δx: the tangent plane's value at the next point.
    pub predicted: f64,
    /// f at the next point.
    pub actual: f64,
    /// (actual − f) / (predicted − f), where the prediction is not 0.
    pub rho: Option<f64>,
}

/// A grid side the renderer can draw (a hand-edited session may hold any number).
fn clamp_grid_side(side: u32) -> u32 {
    side.clamp(2, crate::render::MAX_SURFACE_SIDE)
}

/// Why `domain` cannot be shown, if it cannot: each range must be finite, ordered, and
/// representable in the f32 grid coordinates the GPU evaluates at.
pub fn check_domain(domain: &DomainState) -> Result<(), String> {
    for (name, r) in [("x", domain.x), ("y", domain.y)] {
        let width = r[1] - r[0];
        if !(r[0].is_finite() && r[1].is_finite() && width.is_finite()) {
            return Err(format!("the {name} range must be two finite numbers"));
        }
        if r[0] >= r[1] {
            return Err(format!(
                "the {name} range is empty: its start must be below its end"
            ));
        }
        if !((r[0] as f32).is_finite() && (r[1] as f32).is_finite()) {
            return Err(format!(
                "the {name} range is too large for the GPU grid (|x| up to about 3e38)"
            ));
        }
        // Narrower than this, f32 grid coordinates cannot tell the points apart (nor can
        // they below f32's normal range, where 0..1e-323 is 0..0).
        let width_f32 = r[1] as f32 - r[0] as f32;
        let f32_resolves = width_f32.is_finite() && width_f32 >= 1e3 * f32::MIN_POSITIVE;
        if width <= 1e-6 * r[0].abs().max(r[1].abs()) || !f32_resolves {
            return Err(format!("the {name} range is too narrow to draw"));
        }
    }
    Ok(())
}

/// Whether `source` parses as a function the app can show.
pub(super) fn compile_check(source: &str) -> Result<(), ParseError> {
    compile(source).map(|_| ())
}

/// The scene's function (as run, and as the surface shows it) and its data, if it is a data
/// objective; or why it cannot be built.
fn compile_scene(state: &AppState) -> Result<(Function, Function, Option<LoadedData>), String> {
    if let Some(spec) = &state.data {
        let (function, surface, loaded) = data::load(spec)
            .map_err(|p| format!("its data objective cannot be built: {}", p.message))?;
        return Ok((function, surface, Some(loaded)));
    }
    let (function, surface) = compile(&state.good_source).map_err(|e| {
        format!(
            "its function {:?} does not parse: {}",
            state.good_source, e.message
        )
    })?;
    Ok((function, surface, None))
}

/// Parses `source`; for a 1-D expression also builds the (x, y) version the surface shows.
fn compile(source: &str) -> Result<(Function, Function), ParseError> {
    let function = Function::parse(source)?;
    let surface = if function.dims() == 2 {
        function.clone()
    } else {
        // Mentioning y makes the function 2-D with ∂f/∂y = 0; the parenthesised source parsed
        // on its own, so this parses too unless it hits the length limit, where the 1-D
        // function is all there is to show.
        Function::parse(&format!("({source}) + 0*y"))?
    };
    Ok((function, surface))
}

fn base_scene(surface: &Function, state: &AppState) -> SceneDesc {
    let DomainState { x, y } = state.domain;
    let domain = Domain::new((x[0], x[1]), (y[0], y[1]));
    let z_range = state.display.z_range.map(|[lo, hi]| (lo, hi));
    SceneDesc::with_z_range(surface, domain, state.display.log_scale, 1.5, z_range)
}

/// A run's status in plain words, for the runs panel.
pub fn describe_outcome(outcome: &RunOutcome) -> (String, bool) {
    match outcome {
        RunOutcome::Invalid(message) => (format!("cannot run: {message}"), true),
        RunOutcome::Ran(t) => {
            let steps = t.steps.len().saturating_sub(1);
            match t.status {
                Status::Converged => (format!("converged after {steps} steps"), false),
                Status::MaxSteps => match crate::optim::diverging(t) {
                    // Finite still, but blowing up: no "slow progress" about it.
                    Some(growth) => (
                        format!(
                            "diverging: after {steps} steps the distance from the start grows \
                             ×{} a step — the learning rate is too large here (the Inspector's \
                             2/λmax says how large it may be)",
                            crate::format::number(growth)
                        ),
                        true,
                    ),
                    None => (
                        format!(
                            "still moving after {steps} steps (‖∇f‖ not yet below {})",
                            crate::format::number(CONVERGED_TOL)
                        ),
                        false,
                    ),
                },
                Status::Diverged => {
                    let why = crate::optim::divergence(t).unwrap_or(Divergence::Overshoot);
                    (format!("diverged at step {steps}: {}", why.advice()), true)
                }
                Status::SingularHessian => (
                    format!(
                        "stopped at step {steps}: the Hessian is singular there, so Newton's step \
                         is undefined — start elsewhere or pick another optimizer"
                    ),
                    true,
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;

    fn model_with(source: &str, runs: Vec<RunConfig>) -> Model {
        let mut model = Model::new(AppState {
            runs,
            ..AppState::default()
        });
        model.set_source(source);
        model
    }

    #[test]
    fn the_default_view_shows_the_start_and_the_runs_ends_on_himmelblau() {
        let preset = crate::presets::find("himmelblau").unwrap();
        let mut model = Model::new(AppState::for_preset(preset));
        assert_eq!(model.state.start, [-2.0, -2.0]);
        let aspect = 1.5;
        model.last_aspect = aspect;
        model.request_default_view();
        // The viewport's fit frames, as the panels settle.
        while model.fit_frames > 0 {
            model.fit_frames -= 1;
            model.fit_camera(aspect);
        }
        let scene = model.scene();
        let points = crate::scene::key_points(&scene);
        assert_eq!(points.len(), 1 + 2 * model.state.runs.len());
        for (i, &p) in points.iter().enumerate() {
            let ndc = scene.camera.ndc_from_world(aspect, p);
            assert!(ndc.x.abs() < 1.0 && ndc.y.abs() < 1.0, "point {i} at {ndc}");
            assert!(
                crate::scene::sees(&scene, model.surface_function(), aspect, p),
                "point {i} is hidden by the surface"
            );
        }
        // The usual front-left view hid them: the choice is what shows them.
        let mut usual = scene.clone();
        usual.camera = OrbitCamera::default();
        usual.fit_camera(aspect);
        assert!(
            crate::scene::seen_count(&usual, model.surface_function(), aspect, &points)
                < points.len()
        );
    }

    #[test]
    fn a_blow_up_is_called_diverging_at_every_scale_not_still_moving() {
        // x² + 3y² with sgd at lr 0.4 > 2/λmax = 1/3: finite for 200 steps, growing ×1.4 a step.
        // The same run on c·f(x/s) (lr scaled by s²/c) is the same run, scaled.
        for (c, s) in [(1.0, 1.0), (1e-6, 1.0), (1e6, 1e3), (1.0, 1e-3)] {
            let source = format!("{c}*((x/{s})^2 + 3*(y/{s})^2)");
            let lr = 0.4 * s * s / c;
            let mut model = model_with(&source, vec![RunConfig::new(OptimizerKind::Sgd, lr, 0)]);
            model.set_start(2.0 * s, 1.0 * s);
            let outcome = &model.outcomes()[0];
            let RunOutcome::Ran(t) = outcome else {
                panic!("{source}: the run did not run");
            };
            assert_eq!(t.status, Status::MaxSteps, "{source}: still finite");
            let (text, bad) = describe_outcome(outcome);
            assert!(text.starts_with("diverging:"), "{source}: {text}");
            assert!(bad);
        }
        // A slow but steady run is still moving, not diverging.
        let mut model = model_with(
            "x^2 + 3*y^2",
            vec![RunConfig::new(OptimizerKind::Sgd, 0.0001, 0)],
        );
        model.set_start(2.0, 1.0);
        let (text, _) = describe_outcome(&model.outcomes()[0]);
        assert!(text.starts_with("still moving"), "{text}");
    }

    #[test]
    fn a_1d_function_runs_in_1d_and_is_shown_extruded() {
        let model = model_with("x^2", vec![RunConfig::new(OptimizerKind::Newton, 1.0, 0)]);
        assert_eq!(model.dims(), 1);
        assert_eq!(model.surface_function().dims(), 2);
        let RunOutcome::Ran(t) = &model.outcomes()[0] else {
            panic!("newton runs on x^2");
        };
        // Newton reaches a quadratic's minimum in one step, and stops there.
        assert_eq!(t.status, Status::Converged);
        assert_eq!(t.steps[1].point, vec![0.0]);
        let scene = model.scene();
        assert_eq!(
            scene.overlays.trajectories[0].points[1][1],
            model.state.start[1]
        );
    }

    #[test]
    fn a_camera_that_shows_nothing_is_replaced_by_one_that_frames_the_surface() {
        let unusable = super::super::state::CameraState {
            distance: -1.0,
            ..AppState::default().camera
        };
        // The default scene, framed at the default aspect.
        let framed = || {
            let mut fitted = Model::new(AppState::default());
            fitted.fit_camera(fitted.last_aspect);
            fitted.state.camera
        };
        let model = Model::new(AppState {
            camera: unusable,
            ..AppState::default()
        });
        assert!(
            model.fit_frames > 0,
            "the view frames the surface on its next frames"
        );
        assert!(model.state.camera.is_usable());
        assert_eq!(model.state.camera, framed());
        // The same through restore (a scene file opened, undo): framed, not the bare default.
        let mut model = Model::new(AppState::default());
        model.fit_frames = 0;
        model.state.camera.distance = 40.0;
        model
            .restore(AppState {
                camera: unusable,
                ..AppState::default()
            })
            .unwrap();
        assert!(model.fit_frames > 0);
        assert_eq!(model.state.camera, framed());
        // A usable camera is kept as it is.
        let mut kept = AppState::default();
        kept.camera.distance = 7.5;
        model.restore(kept.clone()).unwrap();
        assert_eq!((model.fit_frames, model.state.camera), (0, kept.camera));
    }

    #[test]
    fn a_diverging_run_says_so_plainly() {
        let model = model_with(
            "x^2 + y^2",
            vec![RunConfig::new(OptimizerKind::Sgd, 5.0, 0)],
        );
        let (text, bad) = describe_outcome(&model.outcomes()[0]);
        assert!(bad && text.contains("diverged") && text.contains("try a smaller learning rate"));
    }

    #[test]
    fn playback_stops_at_the_last_step_and_restarts_from_zero() {
        let mut model = model_with(
            "x^2 + y^2",
            vec![RunConfig::new(OptimizerKind::Sgd, 0.1, 0)],
        );
        model.reset();
        model.toggle_play();
        model.tick(1000.0);
        assert!(!model.state.playback.playing);
        assert_eq!(model.current_step(), model.last_step());
        model.toggle_play();
        assert_eq!(model.current_step(), 0);
        assert!(model.state.playback.playing);
    }

    #[test]
    fn an_animation_frame_shows_its_own_step() {
        let mut model = model_with(
            "x^2 + y^2",
            vec![RunConfig::new(OptimizerKind::Sgd, 0.1, 0)],
        );
        model.reset();
        let last = model.last_step();
        assert!(last > 2);
        assert_eq!(model.scene_at_step(0).overlays.trajectories[0].current, 0);
        assert_eq!(model.scene_at_step(2).overlays.trajectories[0].current, 2);
        assert_eq!(
            model.scene_at_step(usize::MAX).overlays.trajectories[0].current,
            last
        );
    }

    #[test]
    fn muting_a_long_run_and_back_keeps_the_balls_at_the_end() {
        let mut model = model_with(
            "x^2 + y^2",
            vec![
                RunConfig::new(OptimizerKind::Newton, 1.0, 0),
                RunConfig::new(OptimizerKind::Sgd, 0.001, 1),
            ],
        );
        let long = model.last_step();
        let mut muted = model.state.runs[1];
        muted.muted = true;
        model.update_run(1, muted);
        muted.muted = false;
        model.update_run(1, muted);
        assert_eq!(model.current_step(), long);
    }

    #[test]
    fn hand_edited_numbers_are_brought_back_in_range() {
        let defaults = AppState::default();
        let model = Model::new(AppState {
            domain: DomainState {
                x: [3.0, -3.0],
                ..defaults.domain
            },
            start: [f64::NAN, 0.0],
            playback: super::super::state::Playback {
                max_steps: usize::MAX,
                ..defaults.playback
            },
            display: super::super::state::DisplayToggles {
                grid_side: 1_000_000,
                ..defaults.display
            },
            ..defaults
        });
        assert_eq!(model.state.domain, AppState::default().domain);
        assert_eq!(
            model.state.display.grid_side,
            crate::render::MAX_SURFACE_SIDE
        );
        // Ranges f32 cannot hold are refused with the reason.
        let mut model = model;
        let huge = DomainState {
            x: [-1e39, 1e39],
            y: [-1.0, 1.0],
        };
        assert!(model.set_domain(huge).unwrap_err().contains("too large"));
        let infinite_width = DomainState {
            x: [-1e308, 1e308],
            y: [-1.0, 1.0],
        };
        assert!(model.set_domain(infinite_width).is_err());
        assert!(model.state.start.iter().all(|v| v.is_finite()));
        assert_eq!(model.state.playback.max_steps, MAX_STEPS);
    }

    #[test]
    fn a_function_defined_nowhere_says_so_in_the_view_and_in_its_runs() {
        let model = model_with(
            "sqrt(-1-x^2-y^2)",
            vec![RunConfig::new(OptimizerKind::Sgd, 0.01, 0)],
        );
        assert!(model.surface_defined_nowhere());
        let (text, bad) = describe_outcome(&model.outcomes()[0]);
        assert!(
            bad && text.contains("not defined at the start point"),
            "{text}"
        );
        assert!(!text.contains("smaller learning rate"), "{text}");
        assert!(!model_with("x^2 + y^2", vec![]).surface_defined_nowhere());
    }
}
