//! What the swarm asks the GPU for, read off the model: the run it follows, the tolerance it
//! stops at, and the basin map, ball lattice and hyperparameter map requests, each keyed by
//! what it depends on so that an unchanged request is not run again.

use std::hash::{Hash, Hasher};

use super::{LatticeRequest, SweepRequest};
use crate::optim::{Hyperparameters, OptimizerKind};
use crate::swarm::{SweepAxis, SweepSpec, sweep_batch};
use crate::ui::Model;

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

pub(super) fn key_of(model: &Model, what: &str, hyper: &Hyperparameters, extra: &[f64]) -> u64 {
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
