//! The window's layout, for any size: inputs on the left, what they lead to on the right (in
//! tabs: Inspector, Plots, Slices, Sweep, Data), the view between, which always keeps at least half
//! the width. Below a width the two side panels become one, its tabs led by Controls. The
//! panels' widths are the user's (dragged, remembered across sessions) and only ever clamped
//! for the frame at hand, so a window shrunk to nothing and back comes back as it was.

use crate::workspace::MIN_PANEL;
pub use crate::workspace::{LEFT_WIDTH, LayoutState, PanelTab, RIGHT_WIDTH};

/// Below this width (points) the two side panels become one tabbed panel.
pub const NARROW_BELOW: f32 = 1000.0;

impl PanelTab {
    pub fn label(self) -> &'static str {
        match self {
            PanelTab::Controls => "Controls",
            PanelTab::Inspector => "Inspector",
            PanelTab::Plots => "Plots",
            PanelTab::Slices => "Slices",
            PanelTab::Sweep => "Sweep",
            PanelTab::Data => "Data",
        }
    }

    fn help(self) -> &'static str {
        match self {
            PanelTab::Controls => "The function, its domain, the runs, basins and playback.",
            PanelTab::Inspector => {
                "f, ∇f, the Hessian and its eigenvalues at the inspected point; what kind of \
                 point it is; the stable learning rate."
            }
            PanelTab::Plots => "f, ‖∇f‖, the learning rate and ρ against the step, per run.",
            PanelTab::Slices => "f along x and along y through A, with the partial slopes.",
            PanelTab::Sweep => "The final f over a grid of learning rates and a second setting.",
            PanelTab::Data => {
                "The data with the model's curve at the start point and at each run's ball;                  drag the line's ends to move θ."
            }
        }
    }
}

/// The widths to draw the side panels at this frame (one panel in a narrow window: `right`
/// is None): the user's widths, scaled down together when they would leave the view less than
/// half of `available`.
pub fn panel_widths(layout: &LayoutState, available: f32) -> (f32, Option<f32>) {
    let budget = budget(available);
    if available < NARROW_BELOW {
        return (
            layout.left_width.min(budget).max(budget.min(MIN_PANEL)),
            None,
        );
    }
    let (left, right) = (layout.left_width, layout.right_width);
    let scale = (budget / (left + right)).min(1.0);
    (left * scale, Some(right * scale))
}

/// The most the side panels together may take of `available` points: half, less the margins
/// around the window's edge, so the view keeps at least half of the whole window.
pub fn budget(available: f32) -> f32 {
    (available / 2.0 - 16.0).max(0.0)
}

/// The tab row over a side panel; `tabs` in order.
pub fn tab_row(ui: &mut egui::Ui, current: &mut PanelTab, tabs: &[PanelTab]) {
    ui.horizontal_wrapped(|ui| {
        for &tab in tabs {
            ui.selectable_value(current, tab, tab.label())
                .on_hover_text(tab.help());
        }
    });
    ui.separator();
}

/// The tab a panel showing `tabs` draws for the chosen one (the first if it is not there).
pub fn shown_tab(chosen: PanelTab, tabs: &[PanelTab]) -> PanelTab {
    if tabs.contains(&chosen) {
        chosen
    } else {
        tabs.first().copied().unwrap_or_default()
    }
}

/// The id under which egui keeps a side panel's size.
pub fn panel_id(ui: &egui::Ui, salt: &str) -> egui::Id {
    ui.scope_id().with_salt(egui::IdSalt::new(salt))
}

/// Whether the user is dragging the panel's edge (its width is theirs to set).
pub fn resizing(ui: &egui::Ui, salt: &str) -> bool {
    let handle = panel_id(ui, salt).with("__resize");
    ui.ctx().dragged_id() == Some(handle)
}

/// Forgets egui's own memory of the panel's size, so the width given this frame is the one
/// drawn: egui would otherwise keep the width a tiny window squeezed the panel to.
pub fn forget_panel_size(ui: &egui::Ui, salt: &str) {
    let id = panel_id(ui, salt);
    ui.ctx().data_mut(|d| d.remove::<egui::PanelState>(id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_keeps_half_the_width_and_narrow_windows_get_one_panel() {
        let layout = LayoutState::default();
        assert_eq!(
            panel_widths(&layout, 1400.0),
            (LEFT_WIDTH, Some(RIGHT_WIDTH))
        );
        let (left, right) = panel_widths(&layout, 1100.0);
        assert!((left + right.unwrap() - 534.0).abs() < 1e-3);
        let (left, right) = panel_widths(&layout, 800.0);
        assert_eq!((left, right), (LEFT_WIDTH, None));
        let (left, right) = panel_widths(&layout, 640.0);
        assert_eq!((left, right), (304.0, None));
        let (left, _) = panel_widths(&layout, 1.0);
        assert!(left <= 0.5);
    }
}
