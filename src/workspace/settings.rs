//! The settings the panels edit that are saved with the session beside the scene: the notebook
//! views', the swarm's and the window layout's. Plain data (serde), so that the workspace can hold,
//! repair and persist them without knowing the panels that show them.

use serde::{Deserialize, Serialize};

/// Which 1-D scene the central area shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotebookMode {
    /// f with its tangent at A, f′ (and f″) below, critical points, descent balls.
    #[default]
    Tangent,
    /// Two points A and B on f, rise and run, and B gliding toward A.
    Secant,
}

/// What the notebook views remember between frames and sessions. Point A is not here: it is
/// the runs' start point, `AppState::start`, so dragging A also moves where descent begins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotebookState {
    pub mode: NotebookMode,
    /// x_B − x_A before B starts gliding (secant_t = 0); its sign says which side B is on.
    pub b_offset: f64,
    /// How far B has glided toward A: 0 where it started, 1 next to A.
    pub secant_t: f64,
    /// B is gliding on its own (the "Glide" button); the scrub slider stops it.
    pub animating: bool,
    /// Show f″, the rate at which the slope changes, under f′.
    pub show_second: bool,
    /// The lesson whose caption is shown, while its function is still the one on screen.
    pub lesson: Option<usize>,
    /// Show the partial-derivative slices panel in 2-D.
    pub show_slices: bool,
}

impl Default for NotebookState {
    fn default() -> Self {
        Self {
            mode: NotebookMode::Tangent,
            b_offset: 1.0,
            secant_t: 0.0,
            animating: false,
            show_second: false,
            lesson: None,
            show_slices: true,
        }
    }
}

/// Basin-map resolutions offered (starts per side).
pub const BASIN_SIDES: [u32; 6] = [64, 128, 256, 512, 1024, 2048];
/// Ball lattices offered (balls per side).
pub const SWARM_SIDE_RANGE: std::ops::RangeInclusive<u32> = 4..=256;

/// What the user chose to see; saved with the session.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SwarmSettings {
    /// Colour the surface and the contour map by basin of attraction.
    pub basins: bool,
    /// Starts per side of the basin map.
    pub basin_side: u32,
    /// The most steps each of its descents takes.
    pub basin_steps: usize,
    /// Show the hyperparameter map.
    pub sweep: bool,
    pub sweep_metric: SweepMetric,
    /// Roll a lattice of balls with the playback.
    pub balls: bool,
    /// Balls per side.
    pub balls_side: u32,
}

impl Default for SwarmSettings {
    fn default() -> Self {
        Self {
            basins: false,
            basin_side: 256,
            basin_steps: 100,
            sweep: false,
            sweep_metric: SweepMetric::FinalValue,
            balls: false,
            balls_side: 32,
        }
    }
}

impl SwarmSettings {
    /// Brings a hand-edited session's values into the ranges the app offers.
    pub fn sanitize(&mut self) {
        if !BASIN_SIDES.contains(&self.basin_side) {
            self.basin_side = SwarmSettings::default().basin_side;
        }
        self.basin_steps = self.basin_steps.clamp(1, 10_000);
        self.balls_side = self
            .balls_side
            .clamp(*SWARM_SIDE_RANGE.start(), *SWARM_SIDE_RANGE.end());
    }
}

/// What a sweep's heatmap shows per cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SweepMetric {
    /// f where the run ended.
    #[default]
    FinalValue,
    /// Steps the run took (to converge, or all of them).
    Steps,
}

/// The side panels' default widths.
pub const LEFT_WIDTH: f32 = 340.0;
pub const RIGHT_WIDTH: f32 = 300.0;
/// The narrowest a side panel is drawn.
pub const MIN_PANEL: f32 = 120.0;

/// What a side panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelTab {
    /// The function, runs, basins and playback (a tab only in a narrow window).
    Controls,
    /// The numbers at the inspected point.
    #[default]
    Inspector,
    /// f, ‖∇f‖, lr and ρ against the step.
    Plots,
    /// The partial-derivative slices (2-D).
    Slices,
    /// The hyperparameter map.
    Sweep,
    /// The data and the model's curves (a data objective).
    Data,
}

/// The layout the user chose; saved with the session, not part of a scene (nor of undo).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LayoutState {
    /// The controls panel's width as last dragged, in points.
    pub left_width: f32,
    /// The analysis panel's width as last dragged.
    pub right_width: f32,
    /// The analysis panel's tab.
    pub tab: PanelTab,
    /// The one panel's tab in a narrow window (Controls included).
    pub narrow_tab: PanelTab,
}

impl Default for LayoutState {
    fn default() -> Self {
        Self {
            left_width: LEFT_WIDTH,
            right_width: RIGHT_WIDTH,
            tab: PanelTab::Inspector,
            narrow_tab: PanelTab::Controls,
        }
    }
}

impl LayoutState {
    /// Widths from a hand-edited file brought back to something drawable.
    pub fn sanitize(&mut self) {
        for (width, default) in [
            (&mut self.left_width, LEFT_WIDTH),
            (&mut self.right_width, RIGHT_WIDTH),
        ] {
            if !width.is_finite() || *width < MIN_PANEL {
                *width = default;
            }
            *width = width.min(4000.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wild_widths_are_brought_back() {
        let mut layout = LayoutState {
            left_width: f32::NAN,
            right_width: 3.0,
            ..LayoutState::default()
        };
        layout.sanitize();
        assert_eq!(
            (layout.left_width, layout.right_width),
            (LEFT_WIDTH, RIGHT_WIDTH)
        );
    }
}
