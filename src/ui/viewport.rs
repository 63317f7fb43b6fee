//! The 3-D viewport's area and gestures: left drag orbits (or, started on the start-point ball,
//! moves the start over the surface, picked in f64), right or middle drag pans, the wheel
//! zooms, a double-click fits. The app draws the scene into the rect this returns.

use super::Model;
use crate::scene::{ndc_of, pick_surface};

/// How close to the start-point ball, in points, a press must be to grab it.
const GRAB_RADIUS: f32 = 18.0;
/// Radians of orbit per point dragged.
const ORBIT_PER_POINT: f32 = 0.008;

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) -> Option<egui::Rect> {
    let size = ui.available_size();
    if size.x < 1.0 || size.y < 1.0 {
        return None;
    }
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::click_and_drag());
    let aspect = rect.width() / rect.height();
    model.view.last_aspect = aspect;
    if model.view.fit_frames > 0 {
        model.view.fit_frames -= 1;
        model.fit_camera(aspect);
    }
    let to_ndc = |p: egui::Pos2| {
        [
            f64::from((p.x - rect.left()) / rect.width() * 2.0 - 1.0),
            f64::from(1.0 - (p.y - rect.top()) / rect.height() * 2.0),
        ]
    };
    let start_px = start_ball_px(model, rect, aspect);
    let near_start = |p: egui::Pos2| start_px.is_some_and(|s| s.distance(p) <= GRAB_RADIUS);

    if response.drag_started_by(egui::PointerButton::Primary) {
        let origin = ui.input(|i| i.pointer.press_origin());
        model.dragging_start = origin.is_some_and(near_start);
    }
    let mut camera = model.camera();
    if response.dragged_by(egui::PointerButton::Primary) {
        if model.dragging_start {
            if let Some(pointer) = response.interact_pointer_pos()
                && let Some([x, y]) = pick_surface(
                    &model.world_map(),
                    &model.camera(),
                    aspect,
                    to_ndc(pointer),
                    model.surface_function(),
                )
            {
                model.set_start(x, y);
            }
        } else {
            let delta = response.drag_delta();
            camera.orbit(-delta.x * ORBIT_PER_POINT, delta.y * ORBIT_PER_POINT);
            model.set_camera(&camera);
        }
    }
    if response.drag_stopped() {
        model.dragging_start = false;
    }
    model.orbiting = response.dragged() && !model.dragging_start;
    if response.dragged_by(egui::PointerButton::Secondary)
        || response.dragged_by(egui::PointerButton::Middle)
    {
        let delta = response.drag_delta();
        camera.pan(delta.x, delta.y, rect.height());
        model.set_camera(&camera);
    }
    if response.hovered() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        if scroll != 0.0 {
            camera.zoom((-scroll * 0.002).exp());
            model.set_camera(&camera);
        }
        let over_ball = ui.input(|i| i.pointer.hover_pos()).is_some_and(near_start);
        if model.dragging_start {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
        } else if over_ball {
            ui.ctx().set_cursor_icon(egui::CursorIcon::Grab);
        }
    }
    if response.double_clicked() {
        model.fit_camera(aspect);
    }
    let over_map = model.state.display.map && super::contour_map::show(ui, model, rect);
    if !over_map {
        // The point under the cursor, for the inspector's "under the cursor" mode.
        model.hover_point = match response.hover_pos() {
            Some(pointer) if model.state.display.point_at == super::PointAt::Cursor => {
                pick_surface(
                    &model.world_map(),
                    &model.camera(),
                    aspect,
                    to_ndc(pointer),
                    model.surface_function(),
                )
            }
            _ => None,
        };
    }
    annotate(ui, model, rect);
    // The scene draws the start as a small ball; a ring around it says "grab me".
    // Recomputed: this frame's orbit, zoom or drag may have moved it.
    if let Some(center) = start_ball_px(model, rect, aspect).filter(|p| rect.contains(*p)) {
        let painter = ui.painter().with_clip_rect(rect);
        let radius = if model.dragging_start { 10.0 } else { 8.0 };
        painter.circle_stroke(
            center,
            radius + 1.5,
            egui::Stroke::new(1.5, egui::Color32::WHITE),
        );
        painter.circle_stroke(
            center,
            radius,
            egui::Stroke::new(2.5, egui::Color32::from_gray(20)),
        );
    }
    if model.surface_defined_nowhere() {
        // Bare axes would look like a bug; say what they mean.
        ui.painter().text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            UNDEFINED_SURFACE,
            egui::FontId::proportional(16.0),
            ui.visuals().warn_fg_color,
        );
    }
    hint(ui, rect);
    Some(rect)
}

/// The axes' names and numbers, the colour bar (right, under the map) and the collapsible
/// legend (top left), painted over the scene as `gradscape render` paints its figures.
fn annotate(ui: &mut egui::Ui, model: &Model, rect: egui::Rect) {
    use crate::figure as va;
    let display = &model.state.display;
    if !(display.axes || display.legend) || model.surface_defined_nowhere() {
        return;
    }
    let scene = model.scene();
    let painter = ui.painter().with_clip_rect(rect);
    let id = ui.scope_id().with("legend collapsed");
    let folded = ui.data(|d| d.get_temp::<bool>(id).unwrap_or(false));
    let (open_header, folded_header) = ("Legend ▾", "Legend ▸");
    let entries = if display.legend {
        va::legend_entries(&scene)
    } else {
        Vec::new()
    };
    let legend = (!entries.is_empty()).then(|| {
        (
            va::legend_size(&painter, &entries, Some(open_header)),
            va::legend_size(&painter, &[], Some(folded_header)),
        )
    });
    // With basins draped, the surface's colours are the basins': their legend is under the map
    // instead of a colour bar.
    let basins = model.state.swarm.basins && model.swarm.basins.is_some();
    let bar = (display.axes && !basins).then(|| va::colour_bar_width(&painter, &scene));
    // The map with its margin, as the contour map places it.
    let map_shown = display
        .map
        .then(|| super::contour_map::map_rect(model, rect))
        .flatten();
    let map = map_shown.map(|m| m.expand(10.0));
    let basin_legend = map_shown
        .filter(|_| basins)
        .and_then(|_| super::swarm::viewport_legend_drawn(ui.ctx()));
    // The legend first (it folds where it would not fit), then the bar beside or under it.
    let placed = va::place_view_annotations(rect, legend, folded, bar, map);
    let mut legend_rect = None;
    if let Some((at, open)) = placed.legend {
        let (header, shown): (&str, &[va::LegendEntry]) = if open {
            (open_header, &entries)
        } else {
            (folded_header, &[])
        };
        let legend = va::paint_legend(&painter, at.min, shown, Some(header));
        let header_rect = egui::Rect::from_min_size(legend.min, egui::vec2(legend.width(), 21.0));
        let response = ui.interact(header_rect, id, egui::Sense::click());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Legend"));
        let hover = if open || folded {
            "What the view's lines, arrows and runs are. Click to fold or unfold."
        } else {
            "No room to unfold the legend in a view this small: widen the window."
        };
        if response.on_hover_text(hover).clicked() {
            ui.data_mut(|d| d.insert_temp(id, open));
        }
        legend_rect = Some(legend);
    }
    if display.axes {
        // The axis numbers keep clear of the legend, the bar, the map in its corner, the
        // basins' legend under it and the hint line.
        let hint = {
            let (at, galley) = hint_layout(ui, rect);
            egui::Rect::from_min_size(at, galley.size())
        };
        let clear: Vec<egui::Rect> = legend_rect
            .into_iter()
            .chain(placed.bar.map(|(r, _)| r))
            .chain(map)
            .chain(basin_legend)
            .chain([hint])
            .collect();
        va::paint_axis_labels(&painter, rect, &scene, &clear);
        if let Some((bar, numbers)) = placed.bar {
            va::paint_colour_bar(&painter, bar, &scene, numbers);
        }
    }
}

/// What the view says over a domain where f is a finite number nowhere.
const UNDEFINED_SURFACE: &str = "f has no finite value anywhere in this domain (at every sampled \
     point it is not a number, or beyond f64's range)";

/// Where the start point's ball is drawn, in points.
pub(super) fn start_ball_px(model: &Model, rect: egui::Rect, aspect: f32) -> Option<egui::Pos2> {
    let [x, y] = model.state.start;
    let f = model.surface_function().value(&[x, y]);
    if !f.is_finite() {
        return None;
    }
    let world = model.world_map().world_from_domain(x, y, f);
    let [nx, ny] = ndc_of(&model.camera(), aspect, world)?;
    Some(egui::pos2(
        rect.left() + (nx + 1.0) * 0.5 * rect.width(),
        rect.top() + (1.0 - ny) * 0.5 * rect.height(),
    ))
}

/// What a newcomer needs, in the viewport's corner: wrapped to the view's width, never cut off.
pub(super) const HINT: &str = "Drag the ringed ball (the start) over the surface · left drag: orbit · \
     right drag: pan · wheel: zoom · double-click: fit · Space: play · F1: every key and gesture";

/// The hint in a narrow view, where the whole one would cover the surface.
const SHORT_HINT: &str = "drag the ringed ball: start · drag: orbit · F1: every key and gesture";

fn hint(ui: &egui::Ui, rect: egui::Rect) {
    let (at, galley) = hint_layout(ui, rect);
    ui.painter()
        .with_clip_rect(rect)
        .galley(at, galley, egui::Color32::from_gray(60));
}

/// The hint's text laid out for a view `rect`, and where it goes (bottom left).
fn hint_layout(ui: &egui::Ui, rect: egui::Rect) -> (egui::Pos2, std::sync::Arc<egui::Galley>) {
    let text = if rect.width() < 560.0 {
        SHORT_HINT
    } else {
        HINT
    };
    let galley = ui.painter().layout(
        text.to_string(),
        egui::FontId::proportional(13.0),
        egui::Color32::from_gray(60),
        (rect.width() - 16.0).max(40.0),
    );
    let at = rect.left_bottom() + egui::vec2(8.0, -8.0 - galley.size().y);
    (at, galley)
}
