//! The course notebook's 1-D figure: f with its tangent (or the secant through A and B) on top,
//! f′ below, f″ on request, critical points and the descent balls, with their labels and the
//! readings under the plots. Painted from a [`crate::workspace::Workspace`] in the window (where
//! `ui` adds the controls and the presses) and offscreen (`gradscape render`, image export).

mod curve;
mod labels;
mod secant;
mod view1d;

pub use curve::{format_value, line_across, pieces, tangent_equation, y_range};
pub use secant::{RiseRun, rise_run, secant_h};
pub use view1d::{A_COLOR, Plots, TANGENT_COLOR, f_plot_transform, figure, plots, readings};

use super::color32;
