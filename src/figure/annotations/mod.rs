//! What egui paints over the 3-D view so that a reader can read it, in the app and in
//! `gradscape render` alike (one code path): the axes' names and tick numbers (placed by
//! `scene::axis_labels`), a colour bar of f with numbers, the legend of the overlays and runs,
//! and where the app places them over its view.

mod axes;
mod colour_bar;
mod legend;
mod placement;

pub use axes::paint_axis_labels;
pub use colour_bar::{COLOUR_BAR_MIN_HEIGHT, COLOUR_BAR_WIDTH, colour_bar_width, paint_colour_bar};
pub use legend::{
    LegendEntry, Swatch, legend_entries, legend_size, paint_legend, run_legend_entries,
};
pub use placement::{ViewPlacement, place_view_annotations};

use egui::Color32;

pub(super) const TEXT: Color32 = Color32::from_gray(35);
pub(super) const TICK_FONT: f32 = 12.0;
pub(super) const NAME_FONT: f32 = 14.0;
