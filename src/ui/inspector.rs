//! The inspector: at the inspected point (start, a run's ball or the cursor), f, ∇f, ‖∇f‖, the
//! Hessian with its eigenvalues and eigen-directions, what kind of point it is, and for
//! gradient descent the largest stable learning rate 2/λmax, compared with the runs' own; at a
//! ball, the tangent plane's forecast of the next value beside the actual one.

use super::{Model, PointAt};
use crate::format::significant;
use crate::inspect::PointReport;
use crate::optim::OptimizerKind;

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    ui.heading("Inspector").on_hover_text(
        "The derivatives at one point: the same point the tangent plane and the derivative \
         lines are drawn at.",
    );
    // In 1-D the plots move A by a press; there is no surface to hover.
    let choices: &[PointAt] = if model.dims() == 1 {
        &[PointAt::Start, PointAt::Ball]
    } else {
        &PointAt::ALL
    };
    let display = &mut model.state.display;
    egui::ComboBox::from_label("at")
        .selected_text(display.point_at.label())
        .show_ui(ui, |ui| {
            for &at in choices {
                ui.selectable_value(&mut display.point_at, at, at.label());
            }
        })
        .response
        .on_hover_text(
            "Where the tangent plane, the ∂f lines, the gradient arrows and these numbers are: \
             the start point, the first run's ball as it moves, or wherever the pointer is \
             over the surface.",
        );
    let report = model.report();
    egui::Grid::new("inspector numbers")
        .num_columns(2)
        .spacing([12.0, 3.0])
        .show(ui, |ui| rows(ui, &report, model.data().is_some()));
    // In 1-D the report carries the verdict of calculus::classify_point where f′ does not exist
    // (a kink, a jump, a vertical tangent): the symbolic rules would give a number there.
    let verdict = report.classification();
    ui.label(egui::RichText::new(verdict).strong())
        .on_hover_text(if model.dims() == 1 {
            "From f′ and f″: where f′ = 0, f″ > 0 is a minimum, f″ < 0 a maximum, and f″ = 0 \
             leaves it undecided; where f′ does not exist, from f's values on either side."
        } else {
            "From ∇f and the signs of the Hessian's eigenvalues: where ∇f = 0, all positive is a \
             minimum, all negative a maximum, mixed a saddle, and a zero leaves it undecided."
        });
    stable_rate(ui, model, &report);
    if model.state.display.point_at == PointAt::Ball {
        next_step(ui, model);
    }
    if model.dims() == 2 {
        ui.checkbox(&mut model.state.display.eigen_axes, "draw eigen-directions")
            .on_hover_text(
                "Short curves through the point along the Hessian's eigenvectors (purple: the \
                 larger eigenvalue, orange: the smaller), bent by f's second-order Taylor \
                 model: up where the eigenvalue is positive, down where it is negative.",
            );
    }
}

/// The tangent plane's forecast for the ball's next step beside what happened.
fn next_step(ui: &mut egui::Ui, model: &Model) {
    let Some(next) = model.next_step() else {
        return;
    };
    ui.separator();
    ui.label(format!("next step of run {}:", next.run + 1))
        .on_hover_text(
            "The tangent plane at the ball predicts f at the next point as f + ∇f·Δx; the \
             surface gives the actual value. ρ is the actual drop over the predicted one.",
        );
    egui::Grid::new("next step")
        .num_columns(2)
        .spacing([12.0, 3.0])
        .show(ui, |ui| {
            ui.label("tangent predicts f =");
            ui.monospace(significant(next.predicted, 6));
            ui.end_row();
            ui.label("actual f =");
            ui.monospace(significant(next.actual, 6));
            ui.end_row();
            ui.label("ρ =");
            ui.monospace(next.rho.map_or("—".to_owned(), |r| significant(r, 4)));
            ui.end_row();
        });
    if let Some(rho) = next.rho
        && rho < 0.0
    {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "The step went uphill: it overshot where the tangent could be trusted.",
        );
    }
}

/// The point's numbers; `parameters`: the point is a data model's (θ₀, θ₁).
fn rows(ui: &mut egui::Ui, report: &PointReport, parameters: bool) {
    let n = |v: f64| significant(v, 10);
    let vector = |v: &[f64]| {
        format!(
            "({})",
            v.iter().map(|&x| n(x)).collect::<Vec<_>>().join(", ")
        )
    };
    let mono = |text: String| egui::RichText::new(text).monospace();
    let two_d = report.point.len() == 2;
    ui.label(match (two_d, parameters) {
        (true, false) => "(x, y)",
        (false, false) => "x",
        (true, true) => "(θ₀, θ₁)",
        (false, true) => "θ₀",
    });
    ui.label(mono(if two_d {
        vector(&report.point)
    } else {
        n(report.point[0])
    }));
    ui.end_row();
    ui.label("f");
    ui.label(mono(n(report.value)));
    ui.end_row();
    ui.label(if two_d { "∇f" } else { "f′" })
        .on_hover_text("The direction of steepest ascent; descent moves against it.");
    // Where the verdict says no derivative, no number stands in for one.
    let missing = report.no_derivative.is_some();
    ui.label(mono(if two_d {
        vector(&report.gradient)
    } else if missing {
        NO_DERIVATIVE.to_string()
    } else {
        n(report.gradient[0])
    }));
    ui.end_row();
    if two_d {
        ui.label("‖∇f‖")
            .on_hover_text("How steep the surface is here.");
        ui.label(mono(n(report.gradient_norm)));
        ui.end_row();
        ui.label("Hessian").on_hover_text(
            "The second partial derivatives [[fxx, fxy], [fyx, fyy]]: how the slope changes.",
        );
        let h = &report.hessian;
        ui.label(mono(format!(
            "[{}, {}]\n[{}, {}]",
            n(h[0]),
            n(h[1]),
            n(h[2]),
            n(h[3])
        )));
        ui.end_row();
        for (i, e) in report.eigen.iter().enumerate() {
            ui.label(format!("λ{}", if i == 0 { "₁" } else { "₂" }))
                .on_hover_text(
                    "An eigenvalue of the Hessian: the curvature along its eigen-direction.",
                );
            // Value and direction on two lines: the panel may be narrow.
            ui.label(mono(format!(
                "{}\nalong {}",
                n(e.value),
                vector(&e.direction.map(|c| (c * 1e4).round() / 1e4 + 0.0))
            )));
            ui.end_row();
        }
    } else {
        ui.label("f″")
            .on_hover_text("The curvature: how fast the slope changes.");
        ui.label(mono(if missing {
            NO_DERIVATIVE.to_string()
        } else {
            n(report.hessian[0])
        }));
        ui.end_row();
    }
}

/// What the inspector shows for f′ and f″ where f′ does not exist.
pub const NO_DERIVATIVE: &str = "does not exist";

/// 2/λmax and how each gradient-descent run's learning rate compares with it.
fn stable_rate(ui: &mut egui::Ui, model: &Model, report: &PointReport) {
    let help = "Plain gradient descent near here multiplies the error along the steepest-curving \
                direction by (1 − lr·λmax) each step: above 2/λmax that factor exceeds 1 in size \
                and the run oscillates outward.";
    let Some(limit) = report.stable_lr else {
        ui.weak("gradient descent: no stability limit here (nothing curves up)")
            .on_hover_text(help);
        return;
    };
    ui.label(format!(
        "gradient descent stable here for lr < 2/λmax = {}",
        significant(limit, 6)
    ))
    .on_hover_text(help);
    for (i, run) in model.state.runs.iter().enumerate() {
        if run.muted || run.hyper.kind != OptimizerKind::Sgd {
            continue;
        }
        let lr = run.hyper.lr;
        let (verdict, bad) = if lr < limit {
            ("below it: stable here", false)
        } else {
            ("above it: overshoots here", true)
        };
        let text = format!(
            "run {} (sgd, lr {}) is {verdict}",
            i + 1,
            crate::format::number(lr)
        );
        if bad {
            ui.colored_label(ui.visuals().warn_fg_color, text);
        } else {
            ui.weak(text);
        }
    }
}
