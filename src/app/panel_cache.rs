//! Keeps the egui panels' pixels between frames on software adapters: while the user drags the
//! start or orbits, and while the balls roll, only the 3-D view and what egui paints over it are
//! drawn every frame; the panels (inspector, plots, runs) are drawn into a cached texture a few
//! times a second and copied around the view. A CPU rasteriser spends most of a frame on egui's
//! triangles, and the panels are most of them.

use std::time::{Duration, Instant};

/// How often the panels are redrawn while something moves.
pub const REFRESH_WHILE_MOVING: Duration = Duration::from_millis(250);

/// Shapes whose clip rectangle reaches less than this far into the 3-D view (a panel's edge)
/// still count as panel shapes.
const EDGE_POINTS: f32 = 4.0;

/// What a frame may draw lighter where the adapter is slow (the app keeps a panel cache only
/// on software adapters; elsewhere nothing is lightened).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lighten {
    /// The surface with fewer cells and egui without feathering: only while the view itself
    /// moves, where the eye follows the motion rather than the detail.
    pub detail: bool,
    /// The panels from the cache, redrawn every `REFRESH_WHILE_MOVING`.
    pub panels: bool,
}

impl Lighten {
    /// `gesture`: the start is being dragged or the camera orbited ([`crate::ui::Model::view_gesture`]);
    /// `playing`: the balls roll; `panels_in_use`: the pointer is over a panel or a text field
    /// has the keyboard, so a panel must answer at once. While the balls roll only the panels are
    /// lightened — their step counter and plots follow four times a second — and the surface
    /// keeps its detail; the first frame after playback stops is drawn in full.
    pub fn for_frame(gesture: bool, playing: bool, panels_in_use: bool) -> Self {
        Self {
            detail: gesture,
            panels: gesture || (playing && !panels_in_use),
        }
    }
}

pub struct PanelCache {
    /// A second egui renderer: its vertex buffers must not be overwritten by the overlays'
    /// within the same frame.
    pub renderer: egui_wgpu::Renderer,
    target: Option<(wgpu::Texture, wgpu::TextureView, [u32; 2])>,
    refreshed: Option<Instant>,
}

impl PanelCache {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Self {
        Self {
            renderer: egui_wgpu::Renderer::new(device, format, Default::default()),
            target: None,
            refreshed: None,
        }
    }

    /// Whether the panels must be drawn again this frame: always unless they are `lightened`,
    /// and every `REFRESH_WHILE_MOVING` when they are.
    pub fn needs_refresh(&self, lightened: bool, size_px: [u32; 2]) -> bool {
        let fresh = self.target.as_ref().is_some_and(|t| t.2 == size_px)
            && self
                .refreshed
                .is_some_and(|at| at.elapsed() < REFRESH_WHILE_MOVING);
        !lightened || !fresh
    }

    /// The cache texture at `size_px`, recreated when the window's size changes.
    pub fn target(
        &mut self,
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        size_px: [u32; 2],
    ) -> (&wgpu::Texture, &wgpu::TextureView) {
        if self.target.as_ref().is_none_or(|t| t.2 != size_px) {
            let texture = crate::render::texture_2d(
                device,
                "panel cache",
                size_px,
                format,
                1,
                wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            );
            let view = texture.create_view(&Default::default());
            self.target = Some((texture, view, size_px));
            self.refreshed = None;
        }
        let (texture, view, _) = self.target.as_ref().expect("just made");
        (texture, view)
    }

    pub fn mark_refreshed(&mut self) {
        self.refreshed = Some(Instant::now());
    }
}

/// Splits egui's shapes, in paint order, into the panels' and the overlays': everything from
/// the first shape that paints into the 3-D view `viewport` (in points) on is an overlay — the
/// view's own map, ring and hint, then menus and tooltips. The panels are shown before the
/// central area, so their shapes come first; and a popup's small parts (a menu's text over a
/// panel) stay after its background, in order, instead of being hidden under it.
pub fn split_shapes(
    mut shapes: Vec<egui::epaint::ClippedShape>,
    viewport: egui::Rect,
) -> (
    Vec<egui::epaint::ClippedShape>,
    Vec<egui::epaint::ClippedShape>,
) {
    let first_overlay = shapes
        .iter()
        .position(|shape| {
            // Where it can paint: panels paint their frames with a whole-screen clip.
            let reach = shape
                .clip_rect
                .intersect(shape.shape.visual_bounding_rect());
            let overlap = reach.intersect(viewport);
            overlap.width() >= EDGE_POINTS && overlap.height() >= EDGE_POINTS
        })
        .unwrap_or(shapes.len());
    let overlays = shapes.split_off(first_overlay);
    (shapes, overlays)
}

/// The parts of a `frame` outside the pixel rect `[x, y, w, h]`, as copy regions
/// (origin, size): above, below, left and right of it; empty ones left out.
pub fn regions_around(rect: [u32; 4], frame: [u32; 2]) -> Vec<([u32; 2], [u32; 2])> {
    let [x, y, w, h] = rect;
    let [fw, fh] = frame;
    let (right, bottom) = ((x + w).min(fw), (y + h).min(fh));
    [
        ([0, 0], [fw, y.min(fh)]),
        ([0, bottom], [fw, fh - bottom]),
        ([0, y], [x.min(fw), bottom.saturating_sub(y)]),
        ([right, y], [fw - right, bottom.saturating_sub(y)]),
    ]
    .into_iter()
    .filter(|(_, size)| size[0] > 0 && size[1] > 0)
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playback_lightens_only_the_panels_and_only_while_they_are_not_in_use() {
        let still = Lighten::for_frame(false, false, false);
        assert_eq!(
            still,
            Lighten::default(),
            "a still picture is drawn in full"
        );
        let playing = Lighten::for_frame(false, true, false);
        assert!(playing.panels && !playing.detail);
        assert_eq!(
            Lighten::for_frame(false, true, true),
            Lighten::default(),
            "a panel the pointer is over or someone types in is drawn every frame"
        );
        for playing in [false, true] {
            let gesture = Lighten::for_frame(true, playing, false);
            assert!(gesture.panels && gesture.detail);
        }
    }

    #[test]
    fn the_regions_tile_the_frame_around_the_view() {
        let regions = regions_around([100, 20, 500, 700], [1000, 800]);
        let area: u32 = regions.iter().map(|(_, s)| s[0] * s[1]).sum();
        assert_eq!(area, 1000 * 800 - 500 * 700);
        assert!(regions.contains(&([0, 0], [1000, 20])));
        assert!(regions.contains(&([600, 20], [400, 700])));
        // A view filling the frame leaves nothing to copy.
        assert!(regions_around([0, 0, 1000, 800], [1000, 800]).is_empty());
    }

    #[test]
    fn shapes_over_the_view_are_overlays() {
        let view = egui::Rect::from_min_max(egui::pos2(300.0, 20.0), egui::pos2(900.0, 800.0));
        // A filled rectangle over its whole clip rect.
        let shape = |clip: egui::Rect| egui::epaint::ClippedShape {
            clip_rect: clip,
            shape: egui::Shape::rect_filled(clip, 0.0, egui::Color32::WHITE),
            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
        };
        let panel = shape(egui::Rect::from_min_max(
            egui::pos2(0.0, 20.0),
            egui::pos2(302.0, 800.0),
        ));
        let map = shape(egui::Rect::from_min_max(
            egui::pos2(600.0, 30.0),
            egui::pos2(880.0, 250.0),
        ));
        // A menu's text over the left panel, painted after the menu's background.
        let menu_text = shape(egui::Rect::from_min_max(
            egui::pos2(10.0, 30.0),
            egui::pos2(200.0, 50.0),
        ));
        // A panel's frame, clipped to the whole screen but painted only over the panel.
        let screen = egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1280.0, 800.0));
        let frame = egui::epaint::ClippedShape {
            clip_rect: screen,
            shape: egui::Shape::rect_filled(panel.clip_rect, 0.0, egui::Color32::WHITE),
            transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
        };
        let (panels, overlays) = split_shapes(vec![frame, panel, map, menu_text], view);
        assert_eq!((panels.len(), overlays.len()), (2, 2));
        assert_eq!(overlays[0].clip_rect.min.x, 600.0);
        assert_eq!(
            overlays[1].clip_rect.min.x, 10.0,
            "kept after what it was over"
        );
    }
}
