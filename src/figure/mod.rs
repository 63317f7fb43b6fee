//! Figures: what a reader needs around a picture to read it — title, axes and ticks, colour
//! bar, legends — and the swarm's basin and sweep figures, described once and painted with egui,
//! in the app's window and offscreen alike (`gradscape render|basins|sweep`, image export).
//! Stands above `scene/` and `swarm/`, below `ui/`: it knows egui, not winit or wgpu, and
//! imports nothing from `ui`, `app` or `cli`.

mod annotations;
mod basin;
pub mod notebook;
mod sweep;
#[cfg(test)]
mod testing;
mod texture;
pub mod ticks;
mod view;

pub use annotations::{
    COLOUR_BAR_MIN_HEIGHT, COLOUR_BAR_WIDTH, LegendEntry, Swatch, ViewPlacement, colour_bar_width,
    legend_entries, legend_size, paint_axis_labels, paint_colour_bar, paint_legend,
    place_view_annotations, run_legend_entries,
};
pub use basin::{BasinFigure, basin_image, basin_legend};
pub use sweep::{SweepFigure, SweepMetric, SweepPick};
pub use texture::{cached_texture, lattice_uv};
pub use view::{
    ColumnPlacement, FigureLayout, FigureOptions, figure_title, paint_figure, place_in_column,
};

/// Prepares a context for the app's UI (`ui::show`) and for figures before its first frame: a
/// light theme (the scene's background is white) and Hack, egui's monospace font, as the
/// fallback of the proportional family, since Ubuntu-Light lacks the arrows and ∇, ‖, ⁻ that
/// labels and optimizer descriptions use. Figures measure their text in this context.
pub fn setup_context(ctx: &egui::Context) {
    ctx.set_visuals(egui::Visuals::light());
    let mut fonts = egui::FontDefinitions::default();
    let monospace = fonts
        .families
        .get(&egui::FontFamily::Monospace)
        .cloned()
        .unwrap_or_default();
    let proportional = fonts
        .families
        .entry(egui::FontFamily::Proportional)
        .or_default();
    for name in monospace {
        if !proportional.contains(&name) {
            proportional.push(name);
        }
    }
    ctx.set_fonts(fonts);
}

/// An sRGB colour in 0..1 as egui's.
pub(crate) fn color32(c: [f32; 4]) -> egui::Color32 {
    let [r, g, b, a] = c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8);
    egui::Color32::from_rgba_unmultiplied(r, g, b, a)
}
