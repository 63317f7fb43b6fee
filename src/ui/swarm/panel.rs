//! The left panel's basins-and-swarm section, the basin map as the contour map's texture and
//! legend, and the line about the basin cell under the pointer.

use super::{BASIN_SIDES, SWARM_SIDE_RANGE, SwarmSettings, current_run, no_run_hint};
use crate::figure::{basin_image, basin_legend, cached_texture};
use crate::optim::Status;
use crate::swarm::BasinClass;
use crate::ui::Model;
use crate::ui::number_field::{SliderField, whole_number};

/// The basin map as a texture for the contour map (row 0 at the top), if one is shown.
pub(in crate::ui) fn basin_texture(
    ctx: &egui::Context,
    model: &Model,
) -> Option<egui::TextureHandle> {
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
pub(in crate::ui) fn section(ui: &mut egui::Ui, model: &mut Model) {
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
        let field = crate::ui::number_field::number_field(
            ui,
            "basin steps",
            settings.basin_steps as f64,
            1.0,
            crate::ui::number_field::whole_number(1.0, 10_000.0),
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
        let side_now = f64::from(settings.balls_side);
        let (response, side) = SliderField::new("balls per side", side_now, range.clone())
            .logarithmic(true)
            .show(
                ui,
                &mut model.notice,
                whole_number(*range.start(), *range.end()),
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
pub(in crate::ui) fn toggle_balls(model: &mut Model) {
    model.state.swarm.balls = !model.state.swarm.balls;
    if model.state.swarm.balls {
        model.reset();
        model.state.playback.playing = true;
    }
}

/// A compact legend of the basins under the contour map, while they are shown.
pub(in crate::ui) fn viewport_legend(ui: &mut egui::Ui, model: &Model, below: egui::Rect) {
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
pub(in crate::ui) fn viewport_legend_drawn(ctx: &egui::Context) -> Option<egui::Rect> {
    ctx.data(|d| d.get_temp(viewport_legend_id()))
}

fn viewport_legend_id() -> egui::Id {
    egui::Id::unique("basin legend under the map")
}
