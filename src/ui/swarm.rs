//! The swarm in the app: what to ask the GPU for (a basin map of the current run's optimizer, a
//! hyperparameter map from the start point, a lattice of balls at the playback step), the results
//! once they come back, and the panels that show them. The work itself is done by the app
//! (`app::SwarmJobs`), a few dispatches per frame; this module only describes and displays it.

use std::hash::{Hash, Hasher};

use super::Model;
use crate::figure::{SweepFigure, SweepMetric, basin_image, basin_legend, cached_texture};
use crate::optim::{Hyperparameters, OptimizerKind, Status};
use crate::swarm::{
    BasinClass, BasinMap, Batch, End, Finished, SweepAxis, SweepSpec, basin_radius, classify,
    sweep_batch,
};
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

/// The run the swarm follows: the first one not muted, if its settings are valid.
pub fn current_run(model: &Model) -> Option<(usize, Hyperparameters)> {
    crate::workspace::first_unmuted_valid(&model.state.runs)
}

/// Why there is no run for `what` ("the swarm", "the map") to follow, and what to do: add one
/// with the Runs panel's "Add run" button where there is none, unmute one where all are muted,
/// or fix the first unmuted run's settings.
pub fn no_run_hint(model: &Model, what: &str) -> String {
    let runs = &model.state.runs;
    match runs.iter().position(|r| !r.muted) {
        _ if runs.is_empty() => format!(
            "No run yet: press \"Add run\" under Runs to add an optimizer; {what} follows the \
             first unmuted run."
        ),
        None => format!(
            "Every run is muted: untick \"mute\" on one under Runs; {what} follows the first \
             unmuted run."
        ),
        Some(i) => format!(
            "Run {}'s settings are not valid: fix them under Runs; {what} follows the first \
             unmuted run.",
            i + 1
        ),
    }
}

/// The known minima of the model's preset, as (x, y).
pub fn known_minima(model: &Model) -> Vec<[f64; 2]> {
    model.preset().map_or_else(Vec::new, |p| p.minima_xy())
}

/// The tolerance the swarm stops at: 1e-5 of the median ‖∇f‖ over the domain, so it is
/// reachable in f32 and scales with f (a fixed 1e-8 is below f32's noise for most f).
pub fn auto_tol(model: &Model) -> f64 {
    let d = model.state.domain;
    let y = (model.dims() == 2).then_some((d.y[0], d.y[1]));
    let points = crate::swarm::lattice((d.x[0], d.x[1]), y, 9, 1.0)
        .into_iter()
        .map(|s| s.point);
    crate::swarm::median_grad_norm(model.function(), points)
        .map_or(1e-6, |median| (median * 1e-5).max(1e-30))
}

fn key_of(model: &Model, what: &str, hyper: &Hyperparameters, extra: &[f64]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    what.hash(&mut h);
    model.function().source().hash(&mut h);
    let d = model.state.domain;
    for v in d.x.iter().chain(&d.y).chain(extra) {
        v.to_bits().hash(&mut h);
    }
    hyper.kind.hash(&mut h);
    for (_, v) in hyper.values() {
        v.to_bits().hash(&mut h);
    }
    h.finish()
}

/// The basin map the view wants now, if basins are on and there is a 2-D function and a run.
pub fn basins_request(model: &Model) -> Option<LatticeRequest> {
    let settings = model.state.swarm;
    if !settings.basins || model.dims() != 2 {
        return None;
    }
    lattice_request(
        model,
        "basins",
        settings.basin_side as usize,
        settings.basin_steps,
    )
}

/// Whether a swarm of balls is on and can roll (a 2-D function and a run to follow).
pub fn balls_wanted(model: &Model) -> bool {
    model.workspace.balls_wanted()
}

/// The lattice of balls the view wants now.
pub fn balls_request(model: &Model) -> Option<LatticeRequest> {
    if !balls_wanted(model) {
        return None;
    }
    lattice_request(
        model,
        "balls",
        model.state.swarm.balls_side as usize,
        model.state.playback.max_steps,
    )
}

fn lattice_request(
    model: &Model,
    what: &str,
    side: usize,
    max_steps: usize,
) -> Option<LatticeRequest> {
    let (_, hyper) = current_run(model)?;
    let tol = auto_tol(model);
    let key = key_of(model, what, &hyper, &[side as f64, max_steps as f64, tol]);
    let d = model.state.domain;
    Some(LatticeRequest {
        key,
        hyper,
        x_range: (d.x[0], d.x[1]),
        y_range: (d.y[0], d.y[1]),
        side,
        max_steps,
        tol,
    })
}

/// The second hyperparameter the map sweeps for `kind`: momentum, β1, α or ρ; none for the rest.
pub fn map_param(kind: OptimizerKind) -> Option<(&'static str, f64, f64)> {
    match kind {
        OptimizerKind::Momentum => Some(("momentum", 0.0, 0.99)),
        // torch refuses nesterov without momentum.
        OptimizerKind::Nesterov => Some(("momentum", 0.01, 0.99)),
        OptimizerKind::Adam
        | OptimizerKind::Adamw
        | OptimizerKind::Adamax
        | OptimizerKind::Nadam
        | OptimizerKind::Radam => Some(("beta1", 0.0, 0.99)),
        OptimizerKind::Rmsprop => Some(("alpha", 0.5, 0.999)),
        OptimizerKind::Adadelta => Some(("rho", 0.5, 0.999)),
        _ => None,
    }
}

/// Learning rates two decades either side of `lr`, within the slider's 1e-5…10.
pub fn centred_lr_range(lr: f64) -> (f64, f64) {
    ((lr / 100.0).max(1e-5), (lr * 100.0).min(10.0).max(lr))
}

/// The map's lr range now: the kept one while it is kept (and taken for this optimizer), else
/// centred on the run's lr.
pub fn map_lr_range(model: &Model, hyper: Hyperparameters) -> (f64, f64) {
    match model.swarm.sweep_lr {
        Some((kind, from, to)) if !model.swarm.sweep_follows && kind == hyper.kind => (from, to),
        _ => centred_lr_range(hyper.lr),
    }
}

/// The hyperparameter map the view wants now: learning rates over [`map_lr_range`], × the
/// second hyperparameter where there is one.
pub fn sweep_request(model: &Model) -> Option<SweepRequest> {
    if !model.state.swarm.sweep {
        return None;
    }
    let (_, hyper) = current_run(model)?;
    let (from, to) = map_lr_range(model, hyper);
    let lr = SweepAxis {
        from,
        to,
        count: 48,
    };
    let param = map_param(hyper.kind).map(|(name, from, to)| {
        (
            name,
            SweepAxis {
                from,
                to,
                count: 32,
            },
        )
    });
    let spec = SweepSpec {
        lr: if param.is_none() {
            SweepAxis { count: 96, ..lr }
        } else {
            lr
        },
        param,
    };
    let tol = auto_tol(model);
    let steps = model.state.playback.max_steps;
    let start = model.state.start;
    let key = key_of(
        model,
        "sweep",
        &hyper,
        &[start[0], start[1], steps as f64, tol, from, to],
    );
    let batch = sweep_batch(hyper, start, &spec, steps, Some(tol), model.dims()).ok()?;
    Some(SweepRequest { key, spec, batch })
}

/// The basin map as a texture for the contour map (row 0 at the top), if one is shown.
pub(super) fn basin_texture(ctx: &egui::Context, model: &Model) -> Option<egui::TextureHandle> {
    if !model.state.swarm.basins {
        return None;
    }
    let b = model.swarm.basins.as_ref()?;
    Some(cached_texture(
        ctx,
        egui::Id::unique("basin map texture"),
        b.key,
        || basin_image(&b.map, &b.ends, b.side, b.side),
    ))
}

/// One line about the basin cell under `point`.
pub fn describe_cell(model: &Model, point: [f64; 2]) -> Option<String> {
    let (start, end, class) = model.swarm.basin_at(point)?;
    let fmt = crate::format::number;
    let status = match class {
        BasinClass::Diverged => "diverged".to_string(),
        BasinClass::Singular => "singular Hessian".to_string(),
        BasinClass::Unsettled => format!("did not settle ({})", end.status),
        BasinClass::Basin(_) => match end.status {
            Status::Converged => "converged".to_string(),
            other => other.to_string(),
        },
    };
    let ends = if end.status == Status::Diverged {
        String::new()
    } else {
        format!(" → ({}, {})", fmt(end.point[0]), fmt(end.point[1]))
    };
    Some(format!(
        "from ({}, {}){ends} in {} steps: {status}",
        fmt(start[0]),
        fmt(start[1]),
        end.steps
    ))
}

/// The left panel's section: basins, their legend and resolution; the swarm of balls.
pub(super) fn section(ui: &mut egui::Ui, model: &mut Model) {
    ui.heading("Basins and swarm");
    if model.dims() != 2 {
        ui.label("Basins and the swarm are drawn over a 2-D surface; type a function of x and y.");
        return;
    }
    let Some((run, hyper)) = current_run(model) else {
        ui.label(no_run_hint(model, "the swarm"));
        return;
    };
    ui.label(format!("Following run {} ({}, lr {}).", run + 1, hyper.kind, crate::format::number(hyper.lr)))
        .on_hover_text("The basins, the hyperparameter map and the swarm use the first unmuted run's optimizer and settings.");
    // The GPU kernel has the optimizers' rules only; say so rather than draw basins that look
    // as if the schedule or the noise were in them.
    if model
        .state
        .runs
        .get(run)
        .is_some_and(|r| r.options != crate::optim::RunOptions::default())
    {
        ui.label(
            egui::RichText::new(
                "The swarm runs the plain rule at a constant lr: this run's schedule, noise, \
                 clipping and line search shape its own path only.",
            )
            .small()
            .color(ui.visuals().warn_fg_color),
        );
    }
    let mut settings = model.state.swarm;
    ui.checkbox(&mut settings.basins, "basins of attraction (B)")
        .on_hover_text(
            "Run a descent from every cell of a grid over the domain, on the GPU, and colour each \
         cell by the minimum its descent reaches (darker: more steps). Shown on the surface and \
         the contour map; recomputed as you change lr, the optimizer or f.",
        );
    if settings.basins {
        basin_controls(ui, model, &mut settings);
    }
    swarm_controls(ui, model, &mut settings);
    if let Some(error) = &model.swarm.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    model.state.swarm = settings;
}

/// The basin map's size and steps, its legend and timing, and the cell under the pointer.
fn basin_controls(ui: &mut egui::Ui, model: &mut Model, settings: &mut SwarmSettings) {
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("basin side")
            .selected_text(format!("{}²", settings.basin_side))
            .show_ui(ui, |ui| {
                for side in BASIN_SIDES {
                    ui.selectable_value(&mut settings.basin_side, side, format!("{side}²"));
                }
            })
            .response
            .on_hover_text("Starts per side of the basin map.");
        let field = super::number_field::number_field(
            ui,
            "basin steps",
            settings.basin_steps as f64,
            1.0,
            super::number_field::whole_number(1.0, 10_000.0),
        );
        field.report(&mut model.notice);
        field
            .response
            .on_hover_text("The most steps each descent of the map takes.");
        if let Some(v) = field.value {
            settings.basin_steps = v as usize;
        }
        ui.label("steps");
    });
    match &model.swarm.basins {
        Some(b) => {
            basin_legend(ui, &b.map, false);
            ui.label(
                egui::RichText::new(format!(
                    "{}² descents in {:.0} ms{}",
                    b.side,
                    b.elapsed_ms,
                    if model.swarm.busy {
                        ", updating…"
                    } else {
                        ""
                    }
                ))
                .small(),
            );
            if let Some(p) = model.hover_point
                && let Some(text) = describe_cell(model, p)
            {
                ui.label(egui::RichText::new(text).small());
            }
        }
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("computing the basins…");
            });
        }
    }
}

/// The swarm's start/stop button, its lattice size and its count.
fn swarm_controls(ui: &mut egui::Ui, model: &mut Model, settings: &mut SwarmSettings) {
    ui.horizontal_wrapped(|ui| {
        let label = if settings.balls {
            "Stop the swarm"
        } else {
            "Roll a swarm"
        };
        if ui
            .button(label)
            .on_hover_text(
                "Drop a lattice of balls over the domain and roll them all with the run's \
                 optimizer, on the GPU, following the playback controls. Diverged balls vanish.",
            )
            .clicked()
        {
            model.state.swarm = *settings;
            toggle_balls(model);
            *settings = model.state.swarm;
        }
        let range = f64::from(*SWARM_SIDE_RANGE.start())..=f64::from(*SWARM_SIDE_RANGE.end());
        let (response, side) = super::number_field::slider_field(
            ui,
            "balls per side",
            f64::from(settings.balls_side),
            range.clone(),
            true,
            &mut model.notice,
            super::number_field::whole_number(*range.start(), *range.end()),
        );
        response.on_hover_text("Balls per side of the lattice.");
        if let Some(side) = side {
            settings.balls_side = side.round() as u32;
        }
    });
    if settings.balls && model.swarm.balls > 0 {
        ui.label(
            egui::RichText::new(format!(
                "{} balls at step {}",
                model.swarm.balls, model.swarm.balls_step
            ))
            .small(),
        );
    }
}

/// Starts or stops the swarm of balls; a new swarm starts rolling from step 0.
pub(super) fn toggle_balls(model: &mut Model) {
    model.state.swarm.balls = !model.state.swarm.balls;
    if model.state.swarm.balls {
        model.reset();
        model.state.playback.playing = true;
    }
}

/// A compact legend of the basins under the contour map, while they are shown.
pub(super) fn viewport_legend(ui: &mut egui::Ui, model: &Model, below: egui::Rect) {
    let Some(b) = model
        .swarm
        .basins
        .as_ref()
        .filter(|_| model.state.swarm.basins)
    else {
        return;
    };
    let rect = egui::Rect::from_min_size(
        below.left_bottom() + egui::vec2(0.0, 6.0),
        egui::vec2(below.width(), 20.0 * (b.map.centers.len() + 3) as f32),
    );
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .id_salt("basin legend"),
    );
    let drawn = egui::Frame::popup(child.style())
        .show(&mut child, |ui| {
            ui.set_width(below.width() - 16.0);
            basin_legend(ui, &b.map, false);
        })
        .response
        .rect;
    ui.ctx()
        .data_mut(|d| d.insert_temp(viewport_legend_id(), drawn));
}

/// Where the basins' legend was last drawn under the map (the view's axis numbers keep clear
/// of it).
pub(super) fn viewport_legend_drawn(ctx: &egui::Context) -> Option<egui::Rect> {
    ctx.data(|d| d.get_temp(viewport_legend_id()))
}

fn viewport_legend_id() -> egui::Id {
    egui::Id::unique("basin legend under the map")
}

/// The right panel's hyperparameter map: final f (or steps) from the start point over lr × the
/// optimizer's second hyperparameter; a click sets the run's sliders to that cell.
pub(super) fn sweep_section(ui: &mut egui::Ui, model: &mut Model) {
    let mut settings = model.state.swarm;
    ui.checkbox(&mut settings.sweep, "hyperparameter map")
        .on_hover_text(
            "Run a descent from the start point for every cell of a grid of learning rates (and \
         momentum, β1 or α), on the GPU, coloured by where it ends. Click a cell to use it.",
        );
    model.state.swarm = settings;
    if !settings.sweep {
        return;
    }
    let Some((run, hyper)) = current_run(model) else {
        ui.label(no_run_hint(model, "the map"));
        return;
    };
    let [sx, sy] = model.state.start;
    ui.label(format!(
        "Map of run {} ({}, lr {}) from ({}, {}).",
        run + 1,
        hyper.kind,
        super::format_value(hyper.lr),
        super::format_value(sx),
        super::format_value(sy)
    ))
    .on_hover_text("The map sweeps the first unmuted run's optimizer from the start point.");
    // Keep the range the map was first drawn with (for this optimizer) until Reset.
    if !model.swarm.sweep_follows
        && model
            .swarm
            .sweep_lr
            .is_none_or(|(kind, _, _)| kind != hyper.kind)
    {
        let (from, to) = centred_lr_range(hyper.lr);
        model.swarm.sweep_lr = Some((hyper.kind, from, to));
        model.swarm.sweep_colors = None;
    }
    map_controls(ui, model, hyper);
    let Some(result) = model.swarm.sweep.clone() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("computing the map…");
        });
        return;
    };
    let mut figure = map_figure(model, &result, String::new());
    keep_colors(model, hyper, &result, &mut figure);
    // The panel's width, and a height that keeps the cells near square (a strip stays low).
    let width = ui.available_width();
    // About 110 points of the figure are axes, names and the colour bar under the cells.
    let height = if result.spec.param.is_some() {
        (width * 0.75 + 110.0).clamp(220.0, 520.0)
    } else {
        (width * 0.3 + 100.0).clamp(170.0, 260.0)
    };
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
    let mut child = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .id_salt("sweep figure"),
    );
    let (plot, pick) = figure.show(&mut child);
    model.swarm.sweep_rect = Some(plot);
    if let Some(pick) = pick {
        show_pick(ui, model, run, &result, pick);
    }
    map_exports(ui, model, &result);
}

/// The metric, "keep range" and "Reset range" above the map.
fn map_controls(ui: &mut egui::Ui, model: &mut Model, hyper: Hyperparameters) {
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(
            &mut model.state.swarm.sweep_metric,
            SweepMetric::FinalValue,
            "final f",
        );
        ui.selectable_value(
            &mut model.state.swarm.sweep_metric,
            SweepMetric::Steps,
            "steps",
        );
        ui.separator();
        let mut keep = !model.swarm.sweep_follows;
        ui.checkbox(&mut keep, "keep range").on_hover_text(
            "Keep the map's learning rates and colour scale as they are while you click cells \
             or move the lr, so that maps can be compared. Untick to centre the map on the \
             run's lr at every change.",
        );
        model.swarm.sweep_follows = !keep;
        if ui
            .button("Reset range")
            .on_hover_text("Centre the map on the run's lr now, and take its colours afresh.")
            .clicked()
        {
            let (from, to) = centred_lr_range(hyper.lr);
            model.swarm.sweep_lr = Some((hyper.kind, from, to));
            model.swarm.sweep_colors = None;
        }
    });
}

/// The colour scale: kept with the range, taken from the first map drawn over it.
fn keep_colors(
    model: &mut Model,
    hyper: Hyperparameters,
    result: &SweepResult,
    figure: &mut SweepFigure,
) {
    if model.swarm.sweep_follows {
        model.swarm.sweep_colors = None;
    } else {
        let context = colors_key(model, hyper, result);
        match model.swarm.sweep_colors {
            Some((key, lo, hi)) if key == context => figure.color_range = Some((lo, hi)),
            _ => {
                let fresh = sweep_request(model).is_some_and(|r| r.key == result.key);
                if fresh && let Some((lo, hi)) = figure.value_range() {
                    model.swarm.sweep_colors = Some((context, lo, hi));
                    figure.color_range = Some((lo, hi));
                }
            }
        }
    }
}

/// The cell under the pointer, said under the map; a click sets the run to it.
fn show_pick(
    ui: &mut egui::Ui,
    model: &mut Model,
    run: usize,
    result: &SweepResult,
    pick: crate::figure::SweepPick,
) {
    let param = match (result.spec.param, pick.param) {
        (Some((name, _)), Some(v)) => format!(", {name} {}", crate::format::number(v)),
        _ => String::new(),
    };
    let outcome = if pick.end.status == Status::Diverged {
        "diverged".to_string()
    } else {
        format!(
            "f = {} after {} steps",
            crate::format::number(pick.end.value),
            pick.end.steps
        )
    };
    ui.label(
        egui::RichText::new(format!(
            "lr {}{param}: {outcome}",
            crate::format::number(pick.lr)
        ))
        .small(),
    );
    if pick.clicked {
        let mut config = model.state.runs[run];
        config.hyper.lr = pick.lr;
        if let (Some((name, _)), Some(v)) = (result.spec.param, pick.param) {
            let _ = config.hyper.set(name, v);
        }
        model.update_run(run, config);
    }
}

/// How long the map took, and its PNG and .npy exports.
fn map_exports(ui: &mut egui::Ui, model: &mut Model, result: &SweepResult) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            egui::RichText::new(format!(
                "{} descents in {:.0} ms",
                result.ends.len(),
                result.elapsed_ms
            ))
            .small(),
        );
        if ui
            .button("PNG")
            .on_hover_text("The map as an image (900×700), into the export folder.")
            .clicked()
        {
            match model.export_path("map.png") {
                Ok(path) => {
                    model.swarm.sweep_png = Some(path);
                    model.notice = Some(("drawing the map…".into(), false));
                }
                Err(e) => model.notice = Some((e, true)),
            }
        }
        if ui
            .button(".npy")
            .on_hover_text(
                "The map's cells as `gradscape sweep` writes them: float32 [f_end, ‖∇f‖_end, \
                 steps, status], rows = the second hyperparameter, columns = lr.",
            )
            .clicked()
        {
            model.notice = Some(match write_map_npy(model, result) {
                Ok(path) => (format!("wrote {}", path.display()), false),
                Err(e) => (e, true),
            });
        }
    });
}

/// The map of `result` as the panel and its PNG export draw it: the current setting marked,
/// the metric chosen, the kept colour scale where there is one for it.
pub fn map_figure<'a>(model: &Model, result: &'a SweepResult, title: String) -> SweepFigure<'a> {
    let current = current_run(model).map(|(_, hyper)| {
        let param = map_param(hyper.kind)
            .and_then(|(name, _, _)| hyper.get(name))
            .unwrap_or(0.0);
        (hyper.lr, param)
    });
    let color_range = match (current_run(model), model.swarm.sweep_colors) {
        (Some((_, hyper)), Some((key, lo, hi))) if key == colors_key(model, hyper, result) => {
            Some((lo, hi))
        }
        _ => None,
    };
    SweepFigure {
        title,
        spec: result.spec,
        ends: &result.ends,
        metric: model.state.swarm.sweep_metric,
        current,
        color_range,
    }
}

/// What the map's colours depend on besides the clicked cell: function, domain, start, steps,
/// the optimizer's other settings, the swept ranges and the metric.
fn colors_key(model: &Model, hyper: Hyperparameters, result: &SweepResult) -> u64 {
    let mut base = hyper;
    // The swept values are the map's axes, not its context.
    base.lr = 1.0;
    if let Some((name, _)) = result.spec.param {
        let _ = base.set(name, 0.5);
    }
    let lr = result.spec.lr;
    let param = result.spec.param.map_or([0.0; 2], |(_, a)| [a.from, a.to]);
    let start = model.state.start;
    let metric = match model.state.swarm.sweep_metric {
        SweepMetric::FinalValue => 0.0,
        SweepMetric::Steps => 1.0,
    };
    key_of(
        model,
        "sweep colours",
        &base,
        &[
            start[0],
            start[1],
            model.state.playback.max_steps as f64,
            lr.from,
            lr.to,
            param[0],
            param[1],
            metric,
        ],
    )
}

/// Writes the map's cells to a new `.npy` in the export folder.
fn write_map_npy(model: &Model, result: &SweepResult) -> Result<std::path::PathBuf, String> {
    let path = model.export_path("map.npy")?;
    let (shape, values) = crate::swarm::sweep_npy(&result.spec, &result.ends);
    let mut bytes = Vec::new();
    crate::npy::write_header(&mut bytes, &shape)
        .and_then(|()| crate::npy::write_f32s(&mut bytes, &values))
        .and_then(|()| super::write_new(&path, &bytes))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
