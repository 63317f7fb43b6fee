//! The swarm in the app: what to ask the GPU for (a basin map of the current run's optimizer, a
//! hyperparameter map from the start point, a lattice of balls at the playback step), the results
//! once they come back, and the panels that show them. The work itself is done by the app
//! (`app::SwarmJobs`), a few dispatches per frame; this module only describes and displays it.

mod map;
mod panel;
mod requests;

pub use map::map_figure;
pub(super) use map::sweep_section;
pub use panel::describe_cell;
pub(super) use panel::{
    basin_texture, section, toggle_balls, viewport_legend, viewport_legend_drawn,
};
pub use requests::{
    auto_tol, balls_request, balls_wanted, basins_request, centred_lr_range, current_run,
    known_minima, map_lr_range, map_param, no_run_hint, sweep_request,
};

use crate::optim::{Hyperparameters, OptimizerKind, Status};
use crate::swarm::{BasinClass, BasinMap, Batch, End, Finished, SweepSpec, basin_radius, classify};
pub use crate::workspace::{BASIN_SIDES, SWARM_SIDE_RANGE, SwarmSettings};

/// A lattice of descents the app should run (a basin map, or the swarm's balls), named by a key
/// that changes whenever any input does. Cheap to make every frame: the starts are only laid out
/// by [`LatticeRequest::batch`], when the key is new.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatticeRequest {
    pub key: u64,
    pub hyper: Hyperparameters,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    /// Starts per side.
    pub side: usize,
    pub max_steps: usize,
    pub tol: f64,
}

impl LatticeRequest {
    /// The starts, row by row from the first y, and what they run with.
    pub fn batch(&self) -> Batch {
        Batch {
            hyper: self.hyper,
            swept: None,
            max_steps: self.max_steps,
            tol: Some(self.tol),
            dims: 2,
            starts: crate::swarm::lattice(
                self.x_range,
                Some(self.y_range),
                self.side,
                self.hyper.lr,
            ),
        }
    }

    /// Starts in the lattice.
    pub fn count(&self) -> usize {
        self.side * self.side
    }
}

/// A hyperparameter sweep the app should run.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRequest {
    pub key: u64,
    pub spec: SweepSpec,
    pub batch: Batch,
}

/// A basin map that came back, classified.
#[derive(Clone, Debug)]
pub struct BasinsResult {
    pub key: u64,
    /// Changes with every delivery, partial ones included: what image caches are keyed on.
    pub version: u64,
    pub side: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub map: BasinMap,
    pub ends: Vec<End>,
    pub elapsed_ms: f64,
    /// The fraction of the starts done (a big map comes back band by band; the rest is grey).
    pub done: f64,
}

/// A hyperparameter map that came back.
#[derive(Clone, Debug)]
pub struct SweepResult {
    pub key: u64,
    pub spec: SweepSpec,
    pub ends: Vec<End>,
    pub elapsed_ms: f64,
}

/// What came back from the GPU, and what is under way; not saved.
#[derive(Clone, Debug, Default)]
pub struct SwarmView {
    /// Where the hyperparameter map's cells were drawn last frame (tests aim their clicks there).
    pub sweep_rect: Option<egui::Rect>,
    pub basins: Option<BasinsResult>,
    pub sweep: Option<SweepResult>,
    /// Balls in the lattice now on the GPU (0: none).
    pub balls: u32,
    /// The step the balls are at.
    pub balls_step: usize,
    /// A basin map or sweep being computed.
    pub busy: bool,
    /// The last failure, shown under the controls.
    pub error: Option<String>,
    /// The lr range the map keeps, for the optimizer it was taken with, until the user resets
    /// it: a click or an lr change must not re-centre the map (the cell would jump from under
    /// the pointer, and before and after could not be compared).
    pub sweep_lr: Option<(OptimizerKind, f64, f64)>,
    /// Whether the map's lr range follows the run's lr instead (the lock undone).
    pub sweep_follows: bool,
    /// The colour bar's kept range, with the key of what it was taken over (function, start,
    /// optimizer, steps, lr range, metric): kept through clicks, taken afresh when those change.
    pub sweep_colors: Option<(u64, f64, f64)>,
    /// A PNG of the map the app should draw and write (it owns the GPU).
    pub sweep_png: Option<std::path::PathBuf>,
}

impl SwarmView {
    /// Takes a finished basin map (or its first bands) for `request`, classified around the
    /// known minima.
    pub fn deliver_basins(
        &mut self,
        model_known: &[[f64; 2]],
        request: &LatticeRequest,
        done: Finished,
    ) {
        let total = request.count();
        let delivered = done.ends.len();
        let fraction = delivered as f64 / total.max(1) as f64;
        let ends = pad(done.ends, total);
        let map = classify(
            &ends,
            model_known,
            basin_radius(request.x_range, Some(request.y_range)),
            2,
            // The app's maps always stop at a tolerance: a run that did not reach it never settled.
            request.tol,
        );
        self.basins = Some(BasinsResult {
            key: done.key,
            version: done.key ^ (delivered as u64).rotate_left(40),
            side: request.side,
            x_range: request.x_range,
            y_range: request.y_range,
            map,
            ends,
            elapsed_ms: done.elapsed_ms,
            done: fraction,
        });
    }

    /// Takes a finished sweep for `spec`.
    pub fn deliver_sweep(&mut self, spec: SweepSpec, done: Finished) {
        let total = spec.lr.count * spec.param.map_or(1, |(_, axis)| axis.count);
        self.sweep = Some(SweepResult {
            key: done.key,
            spec,
            ends: pad(done.ends, total),
            elapsed_ms: done.elapsed_ms,
        });
    }

    /// The basin map's colours in lattice order (row 0 = the first y), RGBA, for the surface,
    /// with the version they belong to.
    pub fn basin_rgba(&self) -> Option<(u64, u32, Vec<u8>)> {
        let b = self.basins.as_ref()?;
        let colors = crate::swarm::CellColors::image(&b.map, &b.ends);
        Some((b.version, b.side as u32, colors.concat()))
    }

    /// The basin cell nearest `point`: its start and where its descent ended.
    pub fn basin_at(&self, point: [f64; 2]) -> Option<([f64; 2], End, BasinClass)> {
        let b = self.basins.as_ref()?;
        let n = b.side;
        if n < 2 {
            return None;
        }
        let cell = |v: f64, (a, z): (f64, f64)| {
            let t = (v - a) / (z - a);
            (0.0..=1.0)
                .contains(&t)
                .then(|| (t * (n - 1) as f64).round() as usize)
        };
        let j = cell(point[0], b.x_range)?;
        let i = cell(point[1], b.y_range)?;
        let k = i * n + j;
        let step = |(a, z): (f64, f64), m: usize| a + m as f64 * (z - a) / (n - 1) as f64;
        Some((
            [step(b.x_range, j), step(b.y_range, i)],
            *b.ends.get(k)?,
            *b.map.classes.get(k)?,
        ))
    }
}

/// `ends` filled up to `total` with runs not yet done: no end point, so they show as unsettled.
fn pad(mut ends: Vec<End>, total: usize) -> Vec<End> {
    ends.resize(
        total.max(ends.len()),
        End {
            point: [f64::NAN; 2],
            value: f64::NAN,
            grad_norm: f64::INFINITY,
            steps: 0,
            status: Status::MaxSteps,
        },
    );
    ends
}
