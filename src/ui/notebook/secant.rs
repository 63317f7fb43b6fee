//! Secant → tangent in the window: B gliding toward A by the frame's clock, dragged, or
//! scrubbed with the glide controls. What is drawn is the figure's (`figure::notebook`).

use super::{Model, NotebookState};

/// How long B takes to glide from where it started to next to A.
pub const GLIDE_SECS: f64 = 5.0;
/// The smallest starting offset B may have, so that the secant is always defined.
const MIN_OFFSET: f64 = 1e-3;

/// B's glide by this frame's time.
pub(super) fn tick(ui: &egui::Ui, model: &mut Model) {
    let notebook = &mut model.state.notebook;
    if !notebook.animating {
        return;
    }
    let dt_secs = f64::from(ui.input(|i| i.stable_dt));
    if dt_secs.is_finite() {
        notebook.secant_t += dt_secs.max(0.0) / GLIDE_SECS;
    }
    if notebook.secant_t >= 1.0 || !notebook.secant_t.is_finite() {
        notebook.secant_t = 1.0;
        notebook.animating = false;
    }
    ui.ctx().request_repaint();
}

/// B dragged to `x`: it starts gliding from there.
pub(super) fn place_b(notebook: &mut NotebookState, x_a: f64, x: f64) {
    let offset = x - x_a;
    notebook.b_offset = if offset.abs() >= MIN_OFFSET {
        offset
    } else {
        MIN_OFFSET.copysign(offset)
    };
    notebook.secant_t = 0.0;
    notebook.animating = false;
}

/// The glide button, the B → A slider and Reset, drawn over the figure's readings.
pub(super) fn controls(ui: &mut egui::Ui, notebook: &mut NotebookState) {
    ui.horizontal(|ui| {
        let label = if notebook.animating {
            "■ Pause"
        } else {
            "▶ Glide B to A"
        };
        if ui
            .button(label)
            .on_hover_text("Let B slide along f toward A; the secant turns into the tangent.")
            .clicked()
        {
            if !notebook.animating && notebook.secant_t >= 1.0 {
                notebook.secant_t = 0.0;
            }
            notebook.animating = !notebook.animating;
        }
        // Three decimals shown, but the value not rounded: `fixed_decimals` rounds what
        // the slider stores, so every frame of a glide read as a scrub and stopped it.
        let slider = ui
            .add(
                egui::Slider::new(&mut notebook.secant_t, 0.0..=1.0)
                    .text("B → A")
                    .custom_formatter(|v, _| format!("{v:.3}")),
            )
            .on_hover_text("Scrub B along f: 0 where B started, 1 right next to A.");
        if slider.changed() {
            notebook.animating = false;
        }
        if ui
            .button("Reset B")
            .on_hover_text("Put B back where it started gliding from.")
            .clicked()
        {
            notebook.secant_t = 0.0;
            notebook.animating = false;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dragged_b_keeps_its_side_and_a_minimum_distance() {
        let mut state = NotebookState {
            secant_t: 0.7,
            animating: true,
            ..NotebookState::default()
        };
        place_b(&mut state, 1.0, 0.5);
        assert_eq!(state.b_offset, -0.5);
        assert_eq!((state.secant_t, state.animating), (0.0, false));
        place_b(&mut state, 1.0, 1.0);
        assert_eq!(state.b_offset.abs(), MIN_OFFSET);
    }
}
