//! Playback (play/pause, step back and forward, reset, speed, how many steps a run may take)
//! and the display toggles (tangent plane, partial-derivative lines, gradient arrows, contours,
//! wireframe, colormap, log scale, grid resolution, z-range, axes and legend).

use super::Model;
use super::number_field::{SliderField, clamp_to, number_field, whole_number};
use crate::scene::Colormap;

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    ui.heading("Playback");
    ui.horizontal(|ui| {
        let playing = model.state.playback.playing;
        if ui
            .button(if playing { "Pause" } else { "Play ▶" })
            .on_hover_text("Animate the balls rolling downhill (Space).")
            .clicked()
        {
            model.toggle_play();
        }
        if ui
            .button("◀ Back")
            .on_hover_text("One step back (←).")
            .clicked()
        {
            model.step_back();
        }
        if ui
            .button("Step ▶")
            .on_hover_text("One step forward (→).")
            .clicked()
        {
            model.step_forward();
        }
        if ui
            .button("Reset")
            .on_hover_text("Back to the start point, step 0 (R).")
            .clicked()
        {
            model.reset();
        }
    });
    ui.label(format!(
        "step {} of {}",
        model.current_step(),
        model.last_step()
    ))
    .on_hover_text("Every ball sits on this step of its own run (or its last, if it stopped).");
    let mut notice = model.notice.take();
    let (response, speed) =
        SliderField::new("steps / s", model.state.playback.speed, super::SPEED_RANGE)
            .logarithmic(true)
            .show(ui, &mut notice, clamp_to(super::SPEED_RANGE));
    response.on_hover_text("Playback speed.");
    if let Some(speed) = speed {
        model.state.playback.speed = speed;
    }
    let max_steps = ui
        .horizontal(|ui| {
            let field = number_field(
                ui,
                "max steps",
                model.state.playback.max_steps as f64,
                1.0,
                whole_number(1.0, super::model_max_steps() as f64),
            );
            field.report(&mut notice);
            field
                .response
                .on_hover_text("The most steps a run may take before it is cut off.");
            ui.label("max steps");
            field.value
        })
        .inner;
    model.notice = notice;
    if let Some(max_steps) = max_steps {
        model.set_max_steps(max_steps as usize);
    }
}

pub(super) fn display(ui: &mut egui::Ui, model: &mut Model) {
    let display = &mut model.state.display;
    ui.vertical(|ui| {
        ui.checkbox(&mut display.plane, "tangent plane")
            .on_hover_text(
                "The plane touching the surface at the inspected point (the start, the first run's \
                 ball or the cursor: see the inspector): f's linear approximation.",
            );
        ui.checkbox(&mut display.partials, "∂f/∂x, ∂f/∂y lines")
            .on_hover_text(
                "The slopes along x (dashed blue) and along y (red) at the inspected point.",
            );
        ui.checkbox(&mut display.arrows, "gradient arrows")
            .on_hover_text(
                "At the point: ∇f, the way up (dark), and −∇f, the way gradient descent steps \
             (orange).",
            );
        ui.checkbox(&mut display.contours, "contours")
            .on_hover_text("Lines of equal height on the surface.");
        ui.checkbox(&mut display.wireframe, "wireframe")
            .on_hover_text("The grid lines the surface is drawn with.");
        ui.checkbox(&mut display.map, "top-down map").on_hover_text(
            "The contour map in the viewport's corner; drag on it to move the start.",
        );
    });
    let swarm = &mut model.state.swarm;
    ui.checkbox(&mut swarm.basins, "basins of attraction (B)")
        .on_hover_text(
            "Colour the surface and the map by the minimum a descent from each point reaches              (the first unmuted run's optimizer, on the GPU). Resolution and steps: left panel.",
        );
    let mut balls = swarm.balls;
    if ui
        .checkbox(&mut balls, "swarm of balls (S)")
        .on_hover_text(
            "A lattice of balls rolled by the first unmuted run's optimizer, on the GPU.",
        )
        .changed()
    {
        super::swarm::toggle_balls(model);
    }
    let display = &mut model.state.display;
    egui::ComboBox::from_label("colormap")
        .selected_text(display.colormap.name())
        .show_ui(ui, |ui| {
            for colormap in Colormap::ALL {
                ui.selectable_value(&mut display.colormap, colormap, colormap.name());
            }
        })
        .response
        .on_hover_text("How height maps to colour.");
    let mut log_scale = display.log_scale;
    let mut grid_side = display.grid_side;
    ui.checkbox(&mut log_scale, "log height")
        .on_hover_text("Stretch the low values: shows the floor of a valley like Rosenbrock's.");
    egui::ComboBox::from_label("grid")
        .selected_text(grid_label(grid_side))
        .show_ui(ui, |ui| {
            let mut sides = super::GRID_SIDES;
            sides.sort_unstable();
            for side in sides {
                ui.selectable_value(&mut grid_side, side, grid_label(side));
            }
        })
        .response
        .on_hover_text(
            "Points per side the GPU evaluates f on. Finer shows narrow features; on a \
             software renderer the drawn mesh is thinned to keep dragging smooth.",
        );
    model.set_log_scale(log_scale);
    model.set_grid_side(grid_side);
    z_range(ui, model);
    let display = &mut model.state.display;
    ui.checkbox(&mut display.axes, "axes and colour bar")
        .on_hover_text("Name and number the 3-D view's axes, with a colour bar of f beside it.");
    ui.checkbox(&mut display.legend, "legend")
        .on_hover_text("What each line, arrow and run in the view is, in its corner.");
}

/// The z-range: automatic (the 1st to the 99th percentile of f, widened, or all of f where it
/// has no pole), or min and max typed or dragged. The surface is cut outside it.
fn z_range(ui: &mut egui::Ui, model: &mut Model) {
    let current = model.state.display.z_range;
    let scale = model.world_map().scale;
    let mut manual = current.is_some();
    let [mut lo, mut hi] = current.unwrap_or([scale.lo, scale.hi]);
    ui.checkbox(&mut manual, "z-range by hand").on_hover_text(
        "Off: the range of f shown is chosen automatically (robust to poles such as 1/(xy)). \
         On: give min and max. The surface is cut where f leaves the range; the colours and \
         the map follow it.",
    );
    ui.add_enabled_ui(manual, |ui| {
        ui.horizontal(|ui| {
            let speed = ((hi - lo) / 300.0).max(1e-12);
            ui.label("min");
            ui.add(
                egui::DragValue::new(&mut lo)
                    .speed(speed)
                    .max_decimals(6)
                    .update_while_editing(false),
            )
            .on_hover_text("The lowest f drawn.");
            ui.label("max");
            ui.add(
                egui::DragValue::new(&mut hi)
                    .speed(speed)
                    .max_decimals(6)
                    .update_while_editing(false),
            )
            .on_hover_text("The highest f drawn.");
        });
    });
    let wanted = manual.then_some([lo, hi]);
    if wanted != current
        && let Err(why) = model.set_z_range(wanted)
    {
        model.notice = Some((why, true));
    }
}

fn grid_label(side: u32) -> String {
    format!("{side} × {side}")
}
