//! A run's options around its optimizer, in the runs panel: the learning-rate schedule with its
//! parameters, gradient noise (σ, seed, resample), gradient clipping, and the Armijo line search
//! on sgd runs. The trajectories use them on the CPU; the GPU swarm runs the plain rules.

use super::number_field::{
    Check, SliderField, clamp_to, number_field, number_field_with, whole_number,
};
use crate::data::Sampling;
use crate::optim::{BatchOptions, OptimizerKind, RunOptions, Schedule};

/// The noise slider's range (σ beyond it is brought back to its end).
const NOISE_MAX: f64 = 10.0;
/// Clipping norms offered.
const CLIP_RANGE: std::ops::RangeInclusive<f64> = 1e-6..=1e6;

/// Each schedule kind with the parameters it starts from when picked.
const SCHEDULES: [Schedule; 6] = [
    Schedule::Constant,
    Schedule::Step {
        step_size: 20,
        gamma: 0.5,
    },
    Schedule::Exp { gamma: 0.98 },
    Schedule::Cosine {
        t_max: 100,
        eta_min: 0.0,
    },
    Schedule::Linear {
        start_factor: 0.1,
        end_factor: 1.0,
        total_iters: 20,
    },
    Schedule::Inverse { t: 50.0 },
];

pub(super) fn show(
    ui: &mut egui::Ui,
    options: &mut RunOptions,
    kind: OptimizerKind,
    data_rows: Option<usize>,
    notice: &mut Option<(String, bool)>,
) {
    if let Some(rows) = data_rows {
        batch(ui, options, rows, notice);
    }
    ui.horizontal(|ui| {
        let current = options.schedule.name();
        egui::ComboBox::from_id_salt("schedule")
            .selected_text(format!("schedule: {current}"))
            .show_ui(ui, |ui| {
                for choice in SCHEDULES {
                    if ui
                        .selectable_label(choice.name() == current, choice.name())
                        .clicked()
                        && choice.name() != current
                    {
                        options.schedule = choice;
                    }
                }
            })
            .response
            .on_hover_text(
                "How the learning rate changes from step to step (torch.optim.lr_scheduler): \
                 constant, step (×γ every S steps), exp (×γ every step), cosine (down to η_min \
                 over T steps), linear (a warm-up from a fraction of lr) or inverse \
                 (lr·T/(k + T), the training-models chapter's learning schedule).",
            );
        schedule_parameters(ui, &mut options.schedule, notice);
    });
    let (response, noise) = SliderField::new("noise σ", options.noise, 0.0..=NOISE_MAX)
        .logarithmic(true)
        .show(ui, notice, |v| {
            if v < 0.0 {
                Check::Refuse("the noise's size must be ≥ 0".into())
            } else {
                clamp_to(0.0..=NOISE_MAX)(v)
            }
        });
    response.on_hover_text(
        "Adds Gaussian noise of this size to every gradient the optimizer sees, as a \
         minibatch would: SGD's path jitters, momentum and Adam smooth it. 0: exact.",
    );
    if let Some(noise) = noise {
        options.noise = noise;
    }
    // On a data objective the seed field sits with the batch size: one seed draws both.
    if options.noise > 0.0 && data_rows.is_none() {
        ui.horizontal(|ui| {
            let hover = "The same seed draws the same noise, so a run can be replayed.";
            seed_field(ui, &mut options.seed, hover, notice);
            if ui
                .small_button("resample")
                .on_hover_text("Draw new noise (the next seed).")
                .clicked()
            {
                options.seed = options.seed.wrapping_add(1);
            }
        });
    }
    ui.horizontal(|ui| {
        let mut clip = options.clip_norm.is_some();
        ui.checkbox(&mut clip, "clip ‖g‖ to").on_hover_text(
            "Scale the gradient down to at most this length before each step \
             (torch.nn.utils.clip_grad_norm_): big gradients cannot throw the ball far.",
        );
        let mut norm = options.clip_norm.unwrap_or(1.0);
        if clip {
            let field = number_field(ui, "clip ‖g‖ to", norm, 0.05, |v| {
                if v <= 0.0 {
                    Check::Refuse("the clipping norm must be > 0".into())
                } else {
                    clamp_to(CLIP_RANGE)(v)
                }
            });
            field.report(notice);
            if let Some(v) = field.value {
                norm = v;
            }
        }
        options.clip_norm = clip.then_some(norm);
        if kind == OptimizerKind::Sgd {
            ui.checkbox(&mut options.line_search, "line search")
                .on_hover_text(
                    "Armijo backtracking: start each step at the learning rate and halve it \
                     until f drops by at least a sliver of what the tangent plane promises.",
                );
        }
    });
}

/// Mini-batches on a data objective: the batch size (n: batch gradient descent, 1:
/// stochastic), how batches are drawn, and the seed that draws them (and the noise).
fn batch(
    ui: &mut egui::Ui,
    options: &mut RunOptions,
    rows: usize,
    notice: &mut Option<(String, bool)>,
) {
    ui.horizontal(|ui| {
        let size = options.batch.map_or(rows, |b| b.size.min(rows));
        let field = number_field_with(
            ui,
            "batch size",
            size as f64,
            1.0,
            "batch ",
            whole_number(1.0, rows as f64),
        );
        field.report(notice);
        field.response.on_hover_text(format!(
            "Rows each step's gradient is the mean over: {rows} (all of them) is batch gradient              descent, 1 is stochastic, in between mini-batch. The surface stays the full-data              loss; a smaller batch's steps wander around its downhill."
        ));
        let mut sampling = options.batch.map_or(Sampling::Shuffle, |b| b.sampling);
        let mut new_size = field.value.map_or(size, |v| v as usize);
        egui::ComboBox::from_id_salt("sampling")
            .selected_text(sampling.name())
            .show_ui(ui, |ui| {
                for choice in [Sampling::Shuffle, Sampling::Replace] {
                    ui.selectable_value(&mut sampling, choice, choice.name());
                }
            })
            .response
            .on_hover_text(
                "shuffle: a fresh permutation of the rows every epoch, cut into batches (every                  row once per epoch, as torch's DataLoader); replace: every step draws its rows                  with replacement.",
            );
        let hover = "The same seed draws the same batches (and noise): a run replays.";
        seed_field(ui, &mut options.seed, hover, notice);
        new_size = new_size.clamp(1, rows.max(1));
        options.batch = (new_size < rows).then_some(BatchOptions {
            size: new_size,
            sampling,
        });
    });
}

/// The chosen schedule's own parameters, as small number fields.
fn schedule_parameters(
    ui: &mut egui::Ui,
    schedule: &mut Schedule,
    notice: &mut Option<(String, bool)>,
) {
    match schedule {
        Schedule::Constant => {}
        Schedule::Step { step_size, gamma } => {
            steps(ui, "step size", "every ", step_size, notice);
            factor(ui, "gamma", "×", gamma, 1e-3, notice);
        }
        Schedule::Exp { gamma } => {
            factor(ui, "gamma", "×", gamma, 1e-3, notice);
        }
        Schedule::Cosine { t_max, eta_min } => {
            steps(ui, "T", "T ", t_max, notice);
            if let Some(v) = committed(ui, "η_min", "η_min ", *eta_min, 1e-4, notice, |v| {
                if v < 0.0 {
                    Check::Refuse("η_min must be ≥ 0".into())
                } else {
                    clamp_to(0.0..=10.0)(v)
                }
            }) {
                *eta_min = v;
            }
        }
        Schedule::Linear {
            start_factor,
            end_factor,
            total_iters,
        } => {
            factor(ui, "start factor", "from ×", start_factor, 1e-3, notice);
            factor(ui, "end factor", "to ×", end_factor, 0.0, notice);
            steps(ui, "total iterations", "over ", total_iters, notice);
        }
        Schedule::Inverse { t } => {
            if let Some(v) = committed(ui, "T", "T ", *t, 1.0, notice, |v| {
                if v > 0.0 {
                    clamp_to(1e-3..=1e6)(v)
                } else {
                    Check::Refuse("T must be > 0".into())
                }
            }) {
                *t = v;
            }
        }
    }
}

/// The seed of a run's random draws (noise, batches), a whole number f64 holds exactly.
fn seed_field(ui: &mut egui::Ui, seed: &mut u64, hover: &str, notice: &mut Status) {
    let field = number_field_with(
        ui,
        "seed",
        *seed as f64,
        1.0,
        "seed ",
        whole_number(0.0, 2f64.powi(53)),
    );
    field.report(notice);
    field.response.on_hover_text(hover);
    if let Some(v) = field.value {
        *seed = v as u64;
    }
}

/// The status line: a message and whether it is an error.
type Status = Option<(String, bool)>;

/// A schedule's number field, `prefix` before the number, dragged at `speed`, checked by
/// `check`: its notice reported, and the value committed this frame, if any.
fn committed(
    ui: &mut egui::Ui,
    name: &str,
    prefix: &str,
    value: f64,
    speed: f64,
    notice: &mut Status,
    check: impl Fn(f64) -> Check,
) -> Option<f64> {
    let field = number_field_with(ui, name, value, speed, prefix, check);
    field.report(notice);
    field.value
}

/// A schedule's step count, a whole number from 1 to 100 000.
fn steps(ui: &mut egui::Ui, name: &str, prefix: &str, v: &mut usize, notice: &mut Status) {
    let whole = whole_number(1.0, 100_000.0);
    if let Some(new) = committed(ui, name, prefix, *v as f64, 1.0, notice, whole) {
        *v = new as usize;
    }
}

/// A schedule's factor in `lo..=1`: below 0 refused, otherwise clamped with a message.
fn factor(ui: &mut egui::Ui, name: &str, prefix: &str, v: &mut f64, lo: f64, notice: &mut Status) {
    if let Some(new) = committed(ui, name, prefix, *v, 0.01, notice, |x| {
        if x < 0.0 {
            Check::Refuse(format!("{name} must be ≥ 0"))
        } else {
            clamp_to(lo..=1.0)(x)
        }
    }) {
        *v = new;
    }
}
