//! A run's options around its optimizer, in the runs panel: the learning-rate schedule with its
//! parameters, gradient noise (σ, seed, resample), gradient clipping, and the Armijo line search
//! on sgd runs. The trajectories use them on the CPU; the GPU swarm runs the plain rules.

use crate::optim::{OptimizerKind, RunOptions, Schedule};

/// Each schedule kind with the parameters it starts from when picked.
const SCHEDULES: [Schedule; 5] = [
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
];

pub(super) fn show(ui: &mut egui::Ui, options: &mut RunOptions, kind: OptimizerKind) {
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
                 over T steps) or linear (a warm-up from a fraction of lr).",
            );
        schedule_parameters(ui, &mut options.schedule);
    });
    ui.horizontal(|ui| {
        ui.add(
            egui::Slider::new(&mut options.noise, 0.0..=10.0)
                .logarithmic(true)
                .smallest_positive(1e-3)
                .text("noise σ"),
        )
        .on_hover_text(
            "Adds Gaussian noise of this size to every gradient the optimizer sees, as a \
             minibatch would: SGD's path jitters, momentum and Adam smooth it. 0: exact.",
        );
        if options.noise > 0.0 {
            ui.add(egui::DragValue::new(&mut options.seed).prefix("seed "))
                .on_hover_text("The same seed draws the same noise, so a run can be replayed.");
            if ui
                .small_button("resample")
                .on_hover_text("Draw new noise (the next seed).")
                .clicked()
            {
                options.seed = options.seed.wrapping_add(1);
            }
        }
    });
    ui.horizontal(|ui| {
        let mut clip = options.clip_norm.is_some();
        let checkbox = ui.checkbox(&mut clip, "clip ‖g‖ to").on_hover_text(
            "Scale the gradient down to at most this length before each step \
             (torch.nn.utils.clip_grad_norm_): big gradients cannot throw the ball far.",
        );
        let mut norm = options.clip_norm.unwrap_or(1.0);
        if clip {
            ui.add(
                egui::DragValue::new(&mut norm)
                    .speed(0.05)
                    .range(1e-6..=1e6),
            )
            .labelled_by(checkbox.id);
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

/// The chosen schedule's own parameters, as small number fields.
fn schedule_parameters(ui: &mut egui::Ui, schedule: &mut Schedule) {
    fn steps(v: &mut usize) -> egui::DragValue<'_> {
        egui::DragValue::new(v).range(1..=100_000)
    }
    fn factor(v: &mut f64, lo: f64) -> egui::DragValue<'_> {
        egui::DragValue::new(v).speed(0.01).range(lo..=1.0)
    }
    match schedule {
        Schedule::Constant => {}
        Schedule::Step { step_size, gamma } => {
            ui.add(steps(step_size).prefix("every "));
            ui.add(factor(gamma, 1e-3).prefix("×"));
        }
        Schedule::Exp { gamma } => {
            ui.add(factor(gamma, 1e-3).prefix("×"));
        }
        Schedule::Cosine { t_max, eta_min } => {
            ui.add(steps(t_max).prefix("T "));
            ui.add(
                egui::DragValue::new(eta_min)
                    .speed(1e-4)
                    .range(0.0..=10.0)
                    .prefix("η_min "),
            );
        }
        Schedule::Linear {
            start_factor,
            end_factor,
            total_iters,
        } => {
            ui.add(factor(start_factor, 1e-3).prefix("from ×"));
            ui.add(factor(end_factor, 0.0).prefix("to ×"));
            ui.add(steps(total_iters).prefix("over "));
        }
    }
}
