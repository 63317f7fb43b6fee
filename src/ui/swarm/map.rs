//! The right panel's hyperparameter map: its controls, the figure, the picked cell and the
//! map's exports.

use super::requests::key_of;
use super::{SweepResult, centred_lr_range, current_run, map_param, no_run_hint, sweep_request};
use crate::figure::{SweepFigure, SweepMetric};
use crate::optim::Hyperparameters;
use crate::optim::Status;
use crate::ui::Model;

/// The right panel's hyperparameter map: final f (or steps) from the start point over lr × the
/// optimizer's second hyperparameter; a click sets the run's sliders to that cell.
pub(in crate::ui) fn sweep_section(ui: &mut egui::Ui, model: &mut Model) {
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
        crate::ui::format_value(hyper.lr),
        crate::ui::format_value(sx),
        crate::ui::format_value(sy)
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
        .and_then(|()| crate::ui::write_new(&path, &bytes))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}
