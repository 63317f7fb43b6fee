//! `AppState`: everything the app remembers between sessions (the function as typed, the
//! domain, the runs, the start point, playback, display toggles, camera), with no GPU handles
//! and nothing derived, so it round-trips through JSON.

use serde::{Deserialize, Serialize};

use crate::optim::{Hyperparameters, OptimizerKind, RunOptions};
use crate::presets::Preset;
use crate::scene::{Colormap, OrbitCamera, RUN_COLORS};

/// Bumped whenever the shape changes; a session file of another version is set aside.
pub const STATE_VERSION: u32 = 1;

/// The preset a bare `gradscape` opens on: four minima make the effect of the start point and
/// of the learning rate easy to see.
pub const DEFAULT_PRESET: &str = "himmelblau";

/// Steps a run may take when nothing else is said.
pub const DEFAULT_MAX_STEPS: usize = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppState {
    pub version: u32,
    /// The expression field, as typed (may not parse).
    pub source: String,
    /// The last expression that parsed: what is drawn while `source` has an error.
    pub good_source: String,
    /// The preset the function came from, if it was picked rather than typed.
    pub preset: Option<String>,
    pub domain: DomainState,
    pub runs: Vec<RunConfig>,
    /// Where every run starts, (x, y); y is ignored for a 1-D function.
    pub start: [f64; 2],
    pub playback: Playback,
    pub display: DisplayToggles,
    pub camera: CameraState,
    /// Where exports are written; empty: the directory the app was started in.
    #[serde(default)]
    pub export_dir: String,
    /// The notebook views' settings (secant, f″, current lesson); absent from older files.
    #[serde(default)]
    pub notebook: super::NotebookState,
    /// Basins, hyperparameter map and swarm settings; absent from older files.
    #[serde(default)]
    pub swarm: super::SwarmSettings,
    /// The scene as it was before a lesson was opened: Close (or Esc) brings it back, "Keep
    /// this scene" forgets it. Saved with the session, so quitting in a lesson loses nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson_return: Option<Box<AppState>>,
    /// The scene file last opened or saved (File → Save writes there); not part of the scene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scene_file: Option<String>,
    /// The side panels' widths and tab; saved with the session, not part of a scene.
    #[serde(default)]
    pub layout: super::LayoutState,
    /// Scene files opened or saved lately, the newest first (File → Recent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_scenes: Vec<String>,
    /// A model's loss on a data set, when the scene is one: it then replaces `good_source` as
    /// the function (which stays, for the expression field). Always the last spec that built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataSpec>,
}

/// A data objective as the Data panel edits it (CLI.md, "Data objectives"): the data set, the
/// model, the loss, the target and the penalties, as `--data --model --loss --target --l2 --l1`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSpec {
    /// A built-in set's name (`linear`, `iris`, `ridge`) or a CSV file's path.
    pub source: String,
    /// An expression in theta0, theta1 and the columns, or `linear:COL` / `logistic:COL`.
    pub model: String,
    /// `mse`, `mae`, `huber:D`, `logistic` or an expression in m and t; empty: the model's
    /// default (logistic for `logistic:`, else mse).
    #[serde(default)]
    pub loss: String,
    /// The column predicted; empty: the default (`virginica` for logistic on iris, else `y`).
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub l2: f64,
    #[serde(default)]
    pub l1: f64,
}

impl DataSpec {
    /// `source` with `model`, the default loss and target, no penalty.
    pub fn new(source: &str, model: &str) -> Self {
        Self {
            source: source.to_string(),
            model: model.to_string(),
            loss: String::new(),
            target: String::new(),
            l2: 0.0,
            l1: 0.0,
        }
    }

    /// What `data::build_objective` takes (empty fields mean its defaults).
    pub fn objective_spec(&self) -> crate::data::ObjectiveSpec {
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        crate::data::ObjectiveSpec {
            model: self.model.clone(),
            loss: text(&self.loss),
            target: text(&self.target),
            l2: self.l2,
            l1: self.l1,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainState {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

/// One optimizer run over the shared start point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    pub hyper: Hyperparameters,
    /// Linear RGBA in 0..1, as the scene's palette uses.
    pub color: [f32; 4],
    /// A muted run is neither drawn nor plotted, but keeps its settings.
    pub muted: bool,
    /// Schedule, gradient noise, clipping and line search; absent from older files.
    #[serde(default)]
    pub options: RunOptions,
}

/// The learning rate a run starts with when the app picks the optimizer (a new run, or a switch
/// of optimizer where the user had not set an lr of their own): one that moves visibly within
/// the default 200 steps on the catalog's functions. Newton's step is the full Newton step (1);
/// Adadelta's lr multiplies an already scaled step (torch's default is 1); the sign-like
/// adaptive steps move about lr per step (0.1); plain gradient steps 0.01.
pub fn usual_lr(kind: OptimizerKind) -> f64 {
    match kind {
        OptimizerKind::Newton | OptimizerKind::Adadelta => 1.0,
        OptimizerKind::Adam
        | OptimizerKind::Adamw
        | OptimizerKind::Adamax
        | OptimizerKind::Nadam
        | OptimizerKind::Radam
        | OptimizerKind::Rmsprop
        | OptimizerKind::Adagrad => 0.1,
        OptimizerKind::Sgd | OptimizerKind::Momentum | OptimizerKind::Nesterov => 0.01,
    }
}

impl RunConfig {
    /// The same run with another optimizer, from its own PyTorch defaults (AdamW's weight
    /// decay, RMSprop's zero momentum). The lr goes with the optimizer where it was the old
    /// one's usual lr (newton keeping sgd's 0.01 would crawl); an lr the user set stays.
    pub fn with_kind(self, kind: OptimizerKind) -> Self {
        let user_set_lr = self.hyper.lr != usual_lr(self.hyper.kind);
        let mut hyper = self.hyper.with_kind(kind);
        if !user_set_lr {
            hyper.lr = usual_lr(kind);
        }
        let mut options = self.options;
        // The line search is sgd's alone.
        options.line_search &= kind == OptimizerKind::Sgd;
        Self {
            hyper,
            options,
            ..self
        }
    }

    pub fn new(kind: OptimizerKind, lr: f64, color_index: usize) -> Self {
        Self {
            hyper: Hyperparameters::new(kind, lr),
            color: RUN_COLORS[color_index % RUN_COLORS.len()],
            muted: false,
            options: RunOptions::default(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Playback {
    pub playing: bool,
    /// The step every run's ball sits on (clamped to each run's length when drawn).
    pub step: usize,
    /// Steps per second while playing.
    pub speed: f64,
    pub max_steps: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DisplayToggles {
    pub plane: bool,
    pub partials: bool,
    pub contours: bool,
    pub colormap: Colormap,
    pub log_scale: bool,
    // Fields below came after version 1's first files; `default` keeps those files loading.
    #[serde(default)]
    pub wireframe: bool,
    /// Grid points per side the surface is evaluated on.
    #[serde(default = "default_grid_side")]
    pub grid_side: u32,
    /// Draw the Hessian's eigen-directions at the inspected point.
    #[serde(default)]
    pub eigen_axes: bool,
    /// Where the tangent plane, derivative lines and inspector look.
    #[serde(default)]
    pub point_at: PointAt,
    /// The plots' value axes in log10.
    #[serde(default)]
    pub plot_log: bool,
    /// The top-down contour map in the viewport's corner.
    #[serde(default = "yes")]
    pub map: bool,
    /// The gradient and descent-direction arrows at the point.
    #[serde(default = "yes")]
    pub arrows: bool,
    /// The view's z-range typed by hand, [min, max]; None: automatic (robust to poles). The
    /// surface is cut outside it, and the colours and the map follow it.
    #[serde(default)]
    pub z_range: Option<[f64; 2]>,
    /// The 3-D view's axis names and numbers, and the colour bar.
    #[serde(default = "yes")]
    pub axes: bool,
    /// The legend of the overlays and runs in the view's corner.
    #[serde(default = "yes")]
    pub legend: bool,
}

fn yes() -> bool {
    true
}

/// The point the tangent plane, the derivative lines and the inspector are about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointAt {
    /// The shared start point (the ringed ball).
    #[default]
    Start,
    /// The first unmuted run's ball at the current step: the plane rides along the descent.
    Ball,
    /// Wherever the pointer is over the surface.
    Cursor,
}

impl PointAt {
    pub const ALL: [PointAt; 3] = [PointAt::Start, PointAt::Ball, PointAt::Cursor];

    pub fn label(self) -> &'static str {
        match self {
            PointAt::Start => "start point",
            PointAt::Ball => "first run's ball",
            PointAt::Cursor => "point under the cursor",
        }
    }
}

/// Grid sides the display offers; the first is the default.
pub const GRID_SIDES: [u32; 4] = [257, 129, 513, 1025];

fn default_grid_side() -> u32 {
    GRID_SIDES[0]
}

/// The orbit camera's pose (its field of view is fixed).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CameraState {
    pub yaw_rad: f32,
    pub pitch_rad: f32,
    pub distance: f32,
    pub target: [f32; 3],
}

impl CameraState {
    /// Whether the pose can show anything: finite numbers and a distance in front of the target.
    /// (Older benchmark sessions wrote distance −1 to mean "frame the surface".)
    pub fn is_usable(&self) -> bool {
        [self.yaw_rad, self.pitch_rad, self.distance]
            .iter()
            .chain(&self.target)
            .all(|v| v.is_finite())
            && self.distance > 0.0
    }

    pub fn to_orbit(self) -> OrbitCamera {
        OrbitCamera {
            yaw_rad: self.yaw_rad,
            pitch_rad: self.pitch_rad,
            distance: self.distance,
            target: self.target.into(),
            ..OrbitCamera::default()
        }
    }

    pub fn from_orbit(camera: &OrbitCamera) -> Self {
        Self {
            yaw_rad: camera.yaw_rad,
            pitch_rad: camera.pitch_rad,
            distance: camera.distance,
            target: camera.target.to_array(),
        }
    }
}

impl AppState {
    /// A fresh state on `preset`: its domain, a start away from the centre, two runs.
    pub fn for_preset(preset: &Preset) -> Self {
        let domain = domain_of(preset);
        Self {
            version: STATE_VERSION,
            source: preset.expr.clone(),
            good_source: preset.expr.clone(),
            preset: Some(preset.name.clone()),
            start: default_start(&domain),
            domain,
            runs: vec![
                RunConfig::new(OptimizerKind::Sgd, 0.01, 0),
                RunConfig::new(OptimizerKind::Adam, 0.1, 1),
            ],
            playback: Playback {
                playing: false,
                step: DEFAULT_MAX_STEPS,
                speed: 30.0,
                max_steps: DEFAULT_MAX_STEPS,
            },
            display: DisplayToggles {
                plane: true,
                partials: true,
                contours: false,
                colormap: Colormap::Coolwarm,
                log_scale: false,
                wireframe: false,
                grid_side: default_grid_side(),
                eigen_axes: false,
                point_at: PointAt::Start,
                plot_log: false,
                map: true,
                arrows: true,
                z_range: None,
                axes: true,
                legend: true,
            },
            camera: CameraState::from_orbit(&OrbitCamera::default()),
            export_dir: String::new(),
            notebook: Default::default(),
            swarm: Default::default(),
            lesson_return: None,
            scene_file: None,
            layout: Default::default(),
            recent_scenes: Vec::new(),
            data: None,
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        match crate::presets::find(DEFAULT_PRESET) {
            Ok(preset) => Self::for_preset(preset),
            // The catalog is compiled in and its tests name this preset; a catalog without it
            // still gets a usable state from its first entry.
            Err(_) => Self::for_preset(&crate::presets::catalog()[0]),
        }
    }
}

/// A 1-D preset has no y range: it is shown extruded along y over the x range's width.
pub fn domain_of(preset: &Preset) -> DomainState {
    let x = preset.domain.x;
    let y = preset
        .domain
        .y
        .unwrap_or([-(x[1] - x[0]) / 2.0, (x[1] - x[0]) / 2.0]);
    DomainState { x, y }
}

/// A fifth of the way from the domain's centre towards its lower-left corner: off the
/// symmetric points, where many test functions have a stationary point.
pub fn default_start(domain: &DomainState) -> [f64; 2] {
    let cx = (domain.x[0] + domain.x[1]) / 2.0;
    let cy = (domain.y[0] + domain.y[1]) / 2.0;
    [
        cx - (domain.x[1] - domain.x[0]) * 0.2,
        cy - (domain.y[1] - domain.y[0]) * 0.2,
    ]
}
