//! The runs panel: one block per optimizer run (optimizer, learning rate on a log slider with
//! its value beside it, the optimizer's other hyperparameters, schedule, noise and clipping,
//! mute, duplicate, remove) and the run's status in plain words.

use super::number_field::{Check, SliderField};
use super::{Model, RunOutcome, color32, describe_outcome};
use crate::optim::OptimizerKind;

/// Learning rates the slider spans; a value typed beside it may go outside.
const LR_RANGE: std::ops::RangeInclusive<f64> = 1e-5..=10.0;

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    let data_rows = model.function().data_rows();
    ui.horizontal(|ui| {
        ui.heading("Runs");
        if ui
            .button("Add run")
            .on_hover_text("Add another optimizer, starting from the same point.")
            .clicked()
        {
            model.add_run();
        }
    });
    let mut remove = None;
    let mut duplicate = None;
    let mut notice = model.notice.take();
    for index in 0..model.state.runs.len() {
        let mut config = model.state.runs[index];
        let outcome = model.outcomes().get(index).cloned();
        ui.push_id(("run", index), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, color32(config.color));
                    let mut kind = config.hyper.kind;
                    egui::ComboBox::from_id_salt("optimizer")
                        .selected_text(kind.name())
                        .width(100.0)
                        .show_ui(ui, |ui| {
                            for choice in OptimizerKind::ALL {
                                ui.selectable_value(&mut kind, choice, choice.name())
                                    .on_hover_text(choice.description());
                            }
                        })
                        .response
                        .on_hover_text(kind.description());
                    if kind != config.hyper.kind {
                        config = config.with_kind(kind);
                    }
                    ui.checkbox(&mut config.muted, "mute").on_hover_text(
                        "Hide this run from the view and the plot; keep its settings.",
                    );
                    if ui
                        .small_button("Duplicate")
                        .on_hover_text("Duplicate this run (then change one setting to compare).")
                        .clicked()
                    {
                        duplicate = Some(index);
                    }
                    if ui
                        .small_button("Remove")
                        .on_hover_text("Remove this run.")
                        .clicked()
                    {
                        remove = Some(index);
                    }
                });
                let hyper = config.hyper;
                let (response, lr) = SliderField::new("learning rate", config.hyper.lr, LR_RANGE)
                    .logarithmic(true)
                    .wide()
                    .show(ui, &mut notice, |v| accepted_by(hyper, "lr", v));
                if index == 0 {
                    ui.ctx()
                        .data_mut(|d| d.insert_temp(first_lr_slider_id(), response.rect));
                }
                response.on_hover_text(
                    "How far each step moves along −∇f. Too small: it crawls; too large: it \
                     overshoots or blows up. Click the number to type any value > 0 (Enter \
                     applies it), beyond the slider's range too.",
                );
                if let Some(lr) = lr {
                    config.hyper.lr = lr;
                }
                hyperparameters(ui, &mut config.hyper, &mut notice);
                super::run_options::show(
                    ui,
                    &mut config.options,
                    config.hyper.kind,
                    data_rows,
                    &mut notice,
                );
                if let Some(outcome) = &outcome {
                    let (text, bad) = describe_outcome(outcome);
                    let color = if bad {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().weak_text_color()
                    };
                    ui.colored_label(color, text);
                    if let RunOutcome::Ran(t) = outcome
                        && let Some(last) = t.last()
                    {
                        // Significant digits, scientific past 10⁶: never sixty digits of a blow-up.
                        ui.weak(format!("ends at f = {}", crate::format::number(last.value)));
                    }
                }
            });
        });
        model.update_run(index, config);
    }
    model.notice = notice;
    super::run_table::show(ui, model);
    if let Some(index) = duplicate {
        model.duplicate_run(index);
    }
    if let Some(index) = remove {
        model.remove_run(index);
    }
}

/// Whether the optimizer takes `value` for hyperparameter `name` (as `descend` would), with
/// the reason if not.
fn accepted_by(hyper: crate::optim::Hyperparameters, name: &str, value: f64) -> Check {
    let mut trial = hyper;
    if let Err(e) = trial.set(name, value) {
        return Check::Refuse(e.to_string());
    }
    match trial.validate() {
        Ok(()) => Check::Accept(value),
        Err(e) => Check::Refuse(e.to_string()),
    }
}

/// The chosen optimizer's hyperparameters besides the learning rate: each a slider with a
/// field that takes any value the optimizer accepts.
fn hyperparameters(
    ui: &mut egui::Ui,
    hyper: &mut crate::optim::Hyperparameters,
    notice: &mut Option<(String, bool)>,
) {
    for &name in hyper.kind.flags() {
        let current = *hyper;
        let (value, range, log, help) = match name {
            "momentum" => (
                &mut hyper.momentum,
                0.0..=0.999,
                false,
                "How much of the previous step carries into the next (0: none).",
            ),
            "alpha" => (
                &mut hyper.alpha,
                0.0..=0.9999,
                false,
                "RMSprop's smoothing of the squared-gradient average.",
            ),
            "beta1" => (
                &mut hyper.beta1,
                0.0..=0.9999,
                false,
                "Adam's smoothing of the gradient (its momentum).",
            ),
            "beta2" => (
                &mut hyper.beta2,
                0.0..=0.99999,
                false,
                "Adam's smoothing of the squared gradient.",
            ),
            "eps" => (
                &mut hyper.eps,
                1e-12..=1e-1,
                true,
                "Added to the denominator so a zero gradient never divides by zero.",
            ),
            "rho" => (
                &mut hyper.rho,
                0.0..=0.9999,
                false,
                "Adadelta's smoothing of its squared-gradient and squared-step averages.",
            ),
            "weight-decay" => (
                &mut hyper.weight_decay,
                0.0..=1.0,
                false,
                "Pulls x toward 0 each step: added to the gradient as wd·x (AdamW: x shrinks by \
                 lr·wd directly). 0: off.",
            ),
            "momentum-decay" => (
                &mut hyper.momentum_decay,
                0.0..=0.1,
                false,
                "NAdam's momentum schedule: how fast its momentum warms up to beta1.",
            ),
            // `flags` lists only the names above; anything else has no slider.
            _ => continue,
        };
        let (response, new) =
            SliderField::new(name, *value, range)
                .logarithmic(log)
                .show(ui, notice, |v| accepted_by(current, name, v));
        response.on_hover_text(help);
        if let Some(v) = new {
            *value = v;
        }
    }
    for &name in hyper.kind.switches() {
        let (value, help) = match name {
            "amsgrad" => (
                &mut hyper.amsgrad,
                "AMSGrad: divide by the largest second moment seen so far, so steps never grow \
                 back.",
            ),
            "centered" => (
                &mut hyper.centered,
                "Centered RMSprop: divide by the gradient's variance rather than its raw square.",
            ),
            _ => continue,
        };
        ui.checkbox(value, name).on_hover_text(help);
    }
}

/// Where the first run's learning-rate row is kept in egui's memory (see
/// [`super::first_lr_slider_position`]).
pub(super) fn first_lr_slider_id() -> egui::Id {
    egui::Id::unique("gradscape first lr slider")
}
