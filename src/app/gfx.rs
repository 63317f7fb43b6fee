//! The window's GPU side: surface and device, the egui renderer, the `SceneRenderer` and the
//! grid it draws. A frame is one scene pass straight into the swapchain image (viewport and
//! scissor set to the central panel's rect) and one egui pass on top with `LoadOp::Load`.

use std::sync::Arc;

use winit::window::Window;

use crate::gpu::{GpuContext, GridEvaluator, GridOutput, GridSpec};
use crate::render::{
    DEPTH_FORMAT, HeadlessRenderer, InteractiveSettings, SceneRenderer, TargetFormat, clear_color,
};
use crate::scene::{Rgba, SceneDesc};

use super::AppError;
use super::offscreen::egui_pass;
use super::panel_cache::{Lighten, PanelCache};

/// Depth (and, with MSAA, colour) attachments for the current frame size.
struct Attachments {
    size: [u32; 2],
    depth: wgpu::TextureView,
    msaa_color: Option<wgpu::TextureView>,
}

pub struct Gfx {
    pub window: Arc<Window>,
    ctx: GpuContext,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    settings: InteractiveSettings,
    egui_renderer: egui_wgpu::Renderer,
    scene_renderer: SceneRenderer,
    evaluator: GridEvaluator,
    grid: Option<GridOutput>,
    /// The model's surface version the grid was evaluated for.
    grid_version: Option<u64>,
    attachments: Option<Attachments>,
    /// Draws exports offscreen on the window's device; made on the first export.
    exporter: Option<HeadlessRenderer>,
    /// On software adapters: the panels' pixels kept between frames while something moves.
    panel_cache: Option<PanelCache>,
}

/// What one frame draws.
pub struct Frame<'a> {
    pub scene: Option<(&'a SceneDesc, egui::Rect)>,
    /// What to draw lighter where the adapter is slow (the user drags or orbits, the balls
    /// roll).
    pub lighten: Lighten,
    pub egui: egui::FullOutput,
    pub egui_ctx: &'a egui::Context,
}

impl Gfx {
    /// Creates the surface for `window`, a device compatible with it, and the renderers.
    pub fn new(
        instance: wgpu::Instance,
        window: Arc<Window>,
        first_wgsl: &str,
    ) -> Result<Self, AppError> {
        let surface = instance
            .create_surface(window.clone())
            .map_err(|e| AppError::Gpu(format!("cannot draw into the window: {e}")))?;
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::from_env().unwrap_or_default(),
            force_fallback_adapter: false,
            compatible_surface: Some(&surface),
            apply_limit_buckets: false,
        }))
        .map_err(|e| AppError::Gpu(format!("no GPU adapter can draw into the window: {e}")))?;
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("gradscape window device"),
            required_features: wgpu::Features::empty(),
            required_limits: adapter.limits(),
            experimental_features: wgpu::ExperimentalFeatures::disabled(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        }))
        .map_err(|e| AppError::Gpu(format!("cannot open the GPU device: {e}")))?;
        let ctx = GpuContext::from_parts(instance, adapter, device, queue);
        let size = window.inner_size();
        let caps = surface.get_capabilities(&ctx.adapter);
        // egui-wgpu and the scene shaders both handle either; a non-sRGB format keeps egui's
        // colours exactly as designed.
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| !f.is_srgb())
            .or_else(|| caps.formats.first().copied())
            .ok_or_else(|| AppError::Gpu("the window's surface offers no format".into()))?;
        let mut config = surface
            .get_default_config(&ctx.adapter, size.width.max(1), size.height.max(1))
            .ok_or_else(|| AppError::Gpu("the adapter cannot present to this window".into()))?;
        config.format = format;
        // The default is the first mode offered, Immediate on lavapipe: it tears and spins.
        config.present_mode = wgpu::PresentMode::Fifo;
        let settings = InteractiveSettings::for_adapter(&ctx.adapter, format);
        // The panel cache copies into the frame, which the surface must allow.
        let cache_panels =
            settings.plain_ui_while_moving && caps.usages.contains(wgpu::TextureUsages::COPY_DST);
        if cache_panels {
            config.usage |= wgpu::TextureUsages::COPY_DST;
        }
        if size.width > 0 && size.height > 0 {
            surface.configure(&ctx.device, &config);
        }
        let scene_renderer = SceneRenderer::new(
            &ctx.device,
            TargetFormat {
                color: format,
                depth: DEPTH_FORMAT,
                sample_count: settings.sample_count,
            },
        )
        .map_err(|e| AppError::Gpu(format!("cannot build the 3-D pipelines: {e}")))?;
        let egui_renderer =
            egui_wgpu::Renderer::new(&ctx.device, format, egui_wgpu::RendererOptions::default());
        let evaluator = GridEvaluator::new(&ctx, first_wgsl)
            .map_err(|e| AppError::Gpu(format!("cannot build the grid shader: {e}")))?;
        let panel_cache = cache_panels.then(|| PanelCache::new(&ctx.device, format));
        Ok(Self {
            window,
            ctx,
            surface,
            config,
            settings,
            egui_renderer,
            scene_renderer,
            evaluator,
            grid: None,
            grid_version: None,
            attachments: None,
            exporter: None,
            panel_cache,
        })
    }

    /// Draws each scene offscreen at `size_px` on the window's device as a figure (title, axes,
    /// colour bar and legend as `options` say), for an export.
    pub fn render_images(
        &mut self,
        scenes: &[SceneDesc],
        size_px: [u32; 2],
        options: &crate::figure::FigureOptions,
    ) -> Result<Vec<image::RgbaImage>, String> {
        let grid = self
            .grid
            .as_ref()
            .ok_or("the surface has not been evaluated, so there is nothing to draw")?;
        if self.exporter.is_none() {
            self.exporter = Some(
                HeadlessRenderer::new(&self.ctx)
                    .map_err(|e| format!("cannot set up offscreen drawing: {e}"))?,
            );
        }
        let Some(exporter) = self.exporter.as_mut() else {
            return Err("cannot set up offscreen drawing".into());
        };
        scenes
            .iter()
            .map(|scene| {
                super::offscreen::render_figure(&self.ctx, exporter, scene, grid, size_px, options)
                    .map_err(|e| format!("drawing the export failed: {e}"))
            })
            .collect()
    }

    /// The device the window draws with (exports draw offscreen on it too).
    pub fn gpu(&self) -> &GpuContext {
        &self.ctx
    }

    pub fn adapter_summary(&self) -> String {
        self.ctx.adapter_summary()
    }

    /// The adapter's name, backend, type and driver, for Help → About.
    pub fn adapter_info(&self) -> wgpu::AdapterInfo {
        self.ctx.adapter.get_info()
    }

    pub fn max_texture_side(&self) -> usize {
        self.ctx.device.limits().max_texture_dimension_2d as usize
    }

    /// Follows the window's size; a 0×0 (minimised) window is simply not drawn.
    pub fn resize(&mut self, width: u32, height: u32) {
        if width == 0 || height == 0 {
            return;
        }
        self.config.width = width;
        self.config.height = height;
        self.surface.configure(&self.ctx.device, &self.config);
    }

    /// Whether the grid was evaluated for this surface version.
    pub fn grid_is_current(&self, version: u64) -> bool {
        self.grid_version == Some(version)
    }

    /// Evaluates the surface for the model's surface `version` on `side`² points (the
    /// renderer's level of detail thins what it draws on software rasterisers). A shader the
    /// driver rejects leaves the previous surface in place, with a message. A data
    /// objective's rows go up with its source: its generated WGSL reads them from group 1.
    pub fn update_grid(
        &mut self,
        version: u64,
        function: &crate::function::Function,
        domain: crate::scene::Domain,
        side: u32,
    ) {
        self.grid_version = Some(version);
        let side = surface_side(function, side);
        if let Err(e) = self.evaluator.set_source(&function.grid_wgsl()) {
            eprintln!("warning: the surface of this function cannot be drawn: {e}");
            return;
        }
        self.evaluator
            .set_data(function.data_values_f32().as_deref());
        let spec = GridSpec::square(domain.x, domain.y, side);
        let result = match &mut self.grid {
            Some(grid) => self.evaluator.evaluate_into(&spec, grid),
            None => self.evaluator.evaluate(&spec).map(|g| self.grid = Some(g)),
        };
        if let Err(e) = result {
            eprintln!("warning: evaluating the surface failed: {e}");
            self.grid = None;
        }
    }

    /// What the swarm adds to the scene: the basin colours draped over the surface (uploaded
    /// only when a new map arrives) and the balls drawn from the swarm's walker buffer, in the
    /// first unmuted run's colour.
    pub fn set_swarm_view(
        &mut self,
        model: &crate::ui::Model,
        balls: Option<&crate::gpu::SwarmRun>,
    ) {
        let basins = model
            .swarm
            .basins
            .as_ref()
            .filter(|_| model.state.swarm.basins);
        let result = match basins {
            None => self
                .scene_renderer
                .set_overlay(&self.ctx.device, &self.ctx.queue, None),
            Some(b) if self.scene_renderer.overlay_key() == Some(b.version) => Ok(()),
            Some(_) => match model.swarm.basin_rgba() {
                Some((key, side, rgba)) => self.scene_renderer.set_overlay(
                    &self.ctx.device,
                    &self.ctx.queue,
                    Some((key, side, &rgba)),
                ),
                None => Ok(()),
            },
        };
        if let Err(e) = result {
            eprintln!("warning: cannot drape the basins over the surface: {e}");
        }
        let color = model
            .state
            .runs
            .iter()
            .find(|r| !r.muted)
            .map_or([1.0; 3], |r| [r.color[0], r.color[1], r.color[2]]);
        self.scene_renderer
            .set_swarm(balls.map(|run| (run.buffer(), run.count())), color, 3.5);
    }

    /// Draws the scene into its rect and egui over everything. Lost or outdated surfaces are
    /// reconfigured and the frame skipped; a minimised window draws nothing.
    pub fn render(&mut self, frame: Frame<'_>) {
        let Frame {
            scene,
            lighten,
            mut egui,
            egui_ctx,
        } = frame;
        // Texture changes are applied before anything can skip the frame: egui sends each
        // delta once, and the textures freed are ones this frame's shapes no longer use.
        self.apply_texture_deltas(&mut egui.textures_delta);
        let Some(output) = self.acquire_frame() else {
            return;
        };
        let view = output.texture.create_view(&Default::default());
        let size_px = [self.config.width, self.config.height];
        self.ensure_attachments(size_px);
        let mut encoder = self
            .ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("window frame"),
            });

        let pixels_per_point = egui.pixels_per_point;
        let scene_px = scene.and_then(|(desc, rect)| {
            let px = rect_px(rect, pixels_per_point, size_px)?;
            self.prepare_scene(desc, px, lighten.detail)
        });
        self.draw_scene(&mut encoder, &view, scene_px);

        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: size_px,
            pixels_per_point,
        };
        if self.settings.plain_ui_while_moving {
            egui_ctx.tessellation_options_mut(|o| o.feathering = !lighten.detail);
        }
        // With a 3-D view and a panel cache, the panels come from the cache (redrawn into it
        // when due) and only the overlays are drawn into the frame by egui.
        let mut extra = Vec::new();
        let overlay_shapes = match (&mut self.panel_cache, scene, scene_px) {
            (Some(cache), Some((_, viewport)), Some((view_px, _))) => {
                let (panel_shapes, overlay_shapes) =
                    super::panel_cache::split_shapes(egui.shapes, viewport);
                if cache.needs_refresh(lighten.panels, size_px) {
                    let jobs = egui_ctx.tessellate(panel_shapes, pixels_per_point);
                    extra = refresh_panel_cache(
                        &self.ctx,
                        &mut encoder,
                        cache,
                        self.config.format,
                        &jobs,
                        &screen,
                    );
                }
                copy_cached_panels(
                    &self.ctx.device,
                    &mut encoder,
                    cache,
                    self.config.format,
                    &output.texture,
                    view_px,
                    size_px,
                );
                overlay_shapes
            }
            _ => egui.shapes,
        };
        let jobs = egui_ctx.tessellate(overlay_shapes, pixels_per_point);
        extra.extend(draw_egui(
            &self.ctx,
            &mut encoder,
            &mut self.egui_renderer,
            &jobs,
            &screen,
            ("egui", &view, wgpu::LoadOp::Load),
        ));
        let queue = &self.ctx.queue;
        queue.submit(extra.into_iter().chain([encoder.finish()]));
        self.window.pre_present_notify();
        queue.present(output);
    }

    /// Hands egui's texture changes to the window's egui renderer and the panel cache's.
    fn apply_texture_deltas(&mut self, delta: &mut egui::TexturesDelta) {
        for renderer in std::iter::once(&mut self.egui_renderer)
            .chain(self.panel_cache.as_mut().map(|c| &mut c.renderer))
        {
            for (id, deltas) in &delta.set {
                for delta in deltas {
                    renderer.update_texture(&self.ctx.device, &self.ctx.queue, *id, delta);
                }
            }
            for id in &delta.free {
                renderer.free_texture(id);
            }
        }
        delta.clear();
    }

    /// The swapchain image to draw this frame into, the surface resized to the window first;
    /// None for a minimised window or a frame to skip (a lost surface is reconfigured).
    fn acquire_frame(&mut self) -> Option<wgpu::SurfaceTexture> {
        let size = self.window.inner_size();
        if size.width == 0 || size.height == 0 {
            return None;
        }
        if (size.width, size.height) != (self.config.width, self.config.height) {
            self.resize(size.width, size.height);
        }
        match self.surface.get_current_texture() {
            wgpu::CurrentSurfaceTexture::Success(t)
            | wgpu::CurrentSurfaceTexture::Suboptimal(t) => Some(t),
            wgpu::CurrentSurfaceTexture::Outdated | wgpu::CurrentSurfaceTexture::Lost => {
                self.surface.configure(&self.ctx.device, &self.config);
                self.window.request_redraw();
                None
            }
            // Timeout, occluded, or a validation error: skip this frame.
            _ => None,
        }
    }

    /// Prepares the scene for its pixel rect `px`, lighter while `lighten_detail`; returns the
    /// rect and the background to clear to, or None (with a warning) if it cannot be drawn.
    fn prepare_scene(
        &mut self,
        desc: &SceneDesc,
        px: [u32; 4],
        lighten_detail: bool,
    ) -> Option<([u32; 4], Rgba)> {
        let mut desc = desc.clone();
        desc.surface.max_cells_per_side = match self.settings.max_cells_per_side_moving {
            cells if lighten_detail && cells > 0 => cells,
            _ => self.settings.max_cells_per_side,
        };
        let grid = self.grid.as_ref()?;
        match self.scene_renderer.prepare(
            &self.ctx.device,
            &self.ctx.queue,
            &desc,
            grid,
            [px[2], px[3]],
        ) {
            Ok(()) => Some((px, desc.palette.background)),
            Err(e) => {
                eprintln!("warning: cannot draw the scene: {e}");
                None
            }
        }
    }

    /// The scene pass: clears the frame and draws the prepared scene, if any, into its rect.
    fn draw_scene(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        view: &wgpu::TextureView,
        scene_px: Option<([u32; 4], Rgba)>,
    ) {
        let Some(attachments) = &self.attachments else {
            return;
        };
        let background = scene_px.map_or(crate::scene::Palette::default().background, |s| s.1);
        let (color_view, resolve_target) = match &attachments.msaa_color {
            Some(msaa) => (msaa, Some(view)),
            None => (view, None),
        };
        let mut pass = crate::render::begin_scene_pass(
            encoder,
            "scene",
            color_view,
            resolve_target,
            clear_color(background, self.config.format),
            &attachments.depth,
        );
        if let Some(([x, y, w, h], _)) = scene_px {
            pass.set_viewport(x as f32, y as f32, w as f32, h as f32, 0.0, 1.0);
            pass.set_scissor_rect(x, y, w, h);
            self.scene_renderer.draw(&mut pass);
        }
    }

    fn ensure_attachments(&mut self, size: [u32; 2]) {
        if self.attachments.as_ref().is_some_and(|a| a.size == size) {
            return;
        }
        let samples = self.settings.sample_count;
        let texture = |label, format| {
            crate::render::texture_2d(
                &self.ctx.device,
                label,
                size,
                format,
                samples,
                wgpu::TextureUsages::RENDER_ATTACHMENT,
            )
            .create_view(&Default::default())
        };
        self.attachments = Some(Attachments {
            size,
            depth: texture("window depth", DEPTH_FORMAT),
            msaa_color: (samples > 1).then(|| texture("window colour (MSAA)", self.config.format)),
        });
    }
}

/// Redraws the panels into the cache's texture; returns the command buffers the upload needs
/// submitted before the encoder's.
fn refresh_panel_cache(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    cache: &mut PanelCache,
    format: wgpu::TextureFormat,
    jobs: &[egui::ClippedPrimitive],
    screen: &egui_wgpu::ScreenDescriptor,
) -> Vec<wgpu::CommandBuffer> {
    let (_, target_view) = cache.target(&ctx.device, format, screen.size_in_pixels);
    let target_view = target_view.clone();
    let background = crate::scene::Palette::default().background;
    let load = wgpu::LoadOp::Clear(clear_color(background, format));
    let extra = draw_egui(
        ctx,
        encoder,
        &mut cache.renderer,
        jobs,
        screen,
        ("egui panels", &target_view, load),
    );
    cache.mark_refreshed();
    extra
}

/// Copies the cached panels into the frame around the scene's rect `view_px`.
fn copy_cached_panels(
    device: &wgpu::Device,
    encoder: &mut wgpu::CommandEncoder,
    cache: &mut PanelCache,
    format: wgpu::TextureFormat,
    frame: &wgpu::Texture,
    view_px: [u32; 4],
    size_px: [u32; 2],
) {
    let (cache_texture, _) = cache.target(device, format, size_px);
    for (origin, region) in super::panel_cache::regions_around(view_px, size_px) {
        let at = wgpu::Origin3d {
            x: origin[0],
            y: origin[1],
            z: 0,
        };
        encoder.copy_texture_to_texture(
            wgpu::TexelCopyTextureInfo {
                origin: at,
                ..cache_texture.as_image_copy()
            },
            wgpu::TexelCopyTextureInfo {
                origin: at,
                ..frame.as_image_copy()
            },
            wgpu::Extent3d {
                width: region[0],
                height: region[1],
                depth_or_array_layers: 1,
            },
        );
    }
}

/// Uploads `jobs` to `renderer` and records its pass into the target `(label, view, load)`;
/// returns the command buffers the upload needs submitted before the encoder's.
fn draw_egui(
    ctx: &GpuContext,
    encoder: &mut wgpu::CommandEncoder,
    renderer: &mut egui_wgpu::Renderer,
    jobs: &[egui::ClippedPrimitive],
    screen: &egui_wgpu::ScreenDescriptor,
    (label, view, load): (&str, &wgpu::TextureView, wgpu::LoadOp<wgpu::Color>),
) -> Vec<wgpu::CommandBuffer> {
    let extra = renderer.update_buffers(&ctx.device, &ctx.queue, encoder, jobs, screen);
    egui_pass(encoder, label, view, load, renderer, jobs, screen);
    extra
}

/// A rect in points as a pixel rect [x, y, width, height] inside the frame; None if empty.
fn rect_px(rect: egui::Rect, pixels_per_point: f32, frame: [u32; 2]) -> Option<[u32; 4]> {
    let to_px = |v: f32, max: u32| ((v * pixels_per_point).round().max(0.0) as u32).min(max);
    let x0 = to_px(rect.left(), frame[0]);
    let y0 = to_px(rect.top(), frame[1]);
    let x1 = to_px(rect.right(), frame[0]);
    let y1 = to_px(rect.bottom(), frame[1]);
    (x1 > x0 && y1 > y0).then(|| [x0, y0, x1 - x0, y1 - y0])
}

/// Row terms (rows × grid points) one surface of a data objective may cost: about 60 ms on a
/// 2-core machine's software Vulkan (0.66 G row terms/s, `gradscape bench --data-only`).
const SURFACE_ROW_TERMS: f64 = 4e7;

/// The grid side for `function`'s surface: `side`, or for a data objective of many rows a
/// coarser one (at least 32) so that a slider moved or a loss switched never freezes the
/// window — 256 for iris's 150 rows, 63 for 10 000.
pub fn surface_side(function: &crate::function::Function, side: u32) -> u32 {
    match function.data_rows() {
        Some(rows) if rows > 0 => {
            let affordable = (SURFACE_ROW_TERMS / rows as f64).sqrt().floor() as u32;
            side.min(affordable.max(32))
        }
        _ => side,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_surface_costs_at_most_its_budget_of_row_terms() {
        let table = |rows: usize| {
            let values: Vec<f64> = (0..rows).flat_map(|r| [r as f64, 2.0 * r as f64]).collect();
            crate::data::Table::new("t", vec!["x".into(), "y".into()], values).unwrap()
        };
        let spec = crate::data::ObjectiveSpec {
            model: "linear:x".into(),
            loss: None,
            target: None,
            l2: 0.0,
            l1: 0.0,
        };
        let objective = |rows| crate::data::build_objective(&table(rows), &spec).unwrap();
        assert_eq!(surface_side(&objective(150), 256), 256);
        assert_eq!(surface_side(&objective(10_000), 256), 63);
        assert_eq!(surface_side(&objective(1_000_000), 256), 32);
        let plain = crate::function::Function::parse("x*y").unwrap();
        assert_eq!(surface_side(&plain, 1024), 1024);
    }
}
