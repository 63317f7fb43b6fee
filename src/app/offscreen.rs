//! Draws egui UI into an offscreen image on a headless device, with the same egui-wgpu renderer
//! the window uses: how `gradscape render` produces the app's 1-D notebook view without a
//! window.

use crate::gpu::GpuContext;

/// The colour format drawn into: non-sRGB, like the window's, so egui's colours come out as
/// designed.
const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// One render pass that draws egui's `jobs` with `renderer` into `view`, after `load`: the
/// window's panels and overlays and the offscreen UI all go through it.
pub(super) fn egui_pass(
    encoder: &mut wgpu::CommandEncoder,
    label: &str,
    view: &wgpu::TextureView,
    load: wgpu::LoadOp<wgpu::Color>,
    renderer: &egui_wgpu::Renderer,
    jobs: &[egui::ClippedPrimitive],
    screen: &egui_wgpu::ScreenDescriptor,
) {
    let mut pass = encoder
        .begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some(label),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load,
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        })
        .forget_lifetime();
    renderer.render(&mut pass, jobs, screen);
}

/// Runs `ui` for a few frames (plots settle their bounds on the second) at `size_px` and
/// returns the last frame as an image.
pub fn render_ui(
    gpu: &GpuContext,
    size_px: [u32; 2],
    mut ui: impl FnMut(&mut egui::Ui),
) -> Result<image::RgbaImage, String> {
    render_ui_with(gpu, size_px, |_| (), |u, _| ui(u))
}

/// A 2-D figure of `size_px`: `scene` drawn by `renderer` into the layout's view rect, then the
/// title, axis names and numbers, colour bar and legend painted around and over it by egui
/// (`figure`, as the app paints them over its view). An image too small for text is the view
/// alone.
pub fn render_figure(
    gpu: &GpuContext,
    renderer: &mut crate::render::HeadlessRenderer,
    scene: &crate::scene::SceneDesc,
    grid: &crate::gpu::GridOutput,
    size_px: [u32; 2],
    options: &crate::figure::FigureOptions,
) -> Result<image::RgbaImage, String> {
    use crate::figure::{FigureLayout, paint_figure};
    let drawing = |e: crate::render::RenderError| format!("drawing the view: {e}");
    if !FigureLayout::roomy(size_px) {
        return renderer.render(gpu, scene, grid, size_px).map_err(drawing);
    }
    let layout = FigureLayout::new(size_px, options);
    let view_px = layout.view_px();
    let view = renderer
        .render(gpu, scene, grid, view_px)
        .map_err(drawing)?;
    let image = egui::ColorImage::from_rgba_unmultiplied(
        [view_px[0] as usize, view_px[1] as usize],
        view.as_raw(),
    );
    render_ui_with(
        gpu,
        size_px,
        |ctx| ctx.load_texture("figure view", image.clone(), egui::TextureOptions::NEAREST),
        |ui, texture| paint_figure(ui, &layout, texture.id(), scene, options),
    )
}

/// [`render_ui`] with `setup` run once on the context first (to load textures the UI shows).
fn render_ui_with<T>(
    gpu: &GpuContext,
    size_px: [u32; 2],
    setup: impl FnOnce(&egui::Context) -> T,
    mut ui: impl FnMut(&mut egui::Ui, &T),
) -> Result<image::RgbaImage, String> {
    let [width, height] = size_px;
    let egui_ctx = egui::Context::default();
    crate::figure::setup_context(&egui_ctx);
    let state = setup(&egui_ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(width as f32, height as f32),
        )),
        ..Default::default()
    };
    let mut renderer = egui_wgpu::Renderer::new(&gpu.device, FORMAT, Default::default());
    let mut output = None;
    for _ in 0..3 {
        let mut full = egui_ctx.run_ui(input(), |u| ui(u, &state));
        // Every frame's texture changes must reach the renderer (the font atlas is sent once).
        for (id, deltas) in &full.textures_delta.set {
            for delta in deltas {
                renderer.update_texture(&gpu.device, &gpu.queue, *id, delta);
            }
        }
        for id in &full.textures_delta.free {
            renderer.free_texture(id);
        }
        full.textures_delta.clear();
        output = Some(full);
    }
    let Some(full) = output else {
        return Err("no frame was drawn".into());
    };
    // Out-of-memory at a large size comes back as an error, not wgpu's panic.
    let scopes = crate::gpu::ErrorScopes::push(&gpu.device);
    let texture = crate::render::texture_2d(
        &gpu.device,
        "offscreen ui",
        size_px,
        FORMAT,
        1,
        wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
    );
    let view = texture.create_view(&Default::default());
    let screen = egui_wgpu::ScreenDescriptor {
        size_in_pixels: size_px,
        pixels_per_point: 1.0,
    };
    let jobs = egui_ctx.tessellate(full.shapes, 1.0);
    let mut encoder = gpu
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("offscreen ui"),
        });
    let extra = renderer.update_buffers(&gpu.device, &gpu.queue, &mut encoder, &jobs, &screen);
    egui_pass(
        &mut encoder,
        "offscreen ui",
        &view,
        wgpu::LoadOp::Clear(wgpu::Color::WHITE),
        &renderer,
        &jobs,
        &screen,
    );
    let padded = crate::render::padded_row_bytes(width);
    let readback = gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("offscreen ui read-back"),
        size: u64::from(padded) * u64::from(height),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer: &readback,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded),
                rows_per_image: Some(height),
            },
        },
        texture.size(),
    );
    gpu.queue
        .submit(extra.into_iter().chain([encoder.finish()]));
    scopes
        .finish("drawing the UI offscreen")
        .map_err(|e| e.to_string())?;
    let pixels = crate::render::read_rows(gpu, &readback, size_px, padded)
        .map_err(|e| format!("reading the image back: {e}"))?;
    image::RgbaImage::from_raw(width, height, pixels)
        .ok_or_else(|| "the read-back has the wrong size".to_string())
}

/// An export's canvas without a window: a headless device, the surface's grid evaluated as
/// the window evaluates it, and the offscreen renderer the window's exports use. Tests run the
/// app's export on it ([`super::export::ImageJob`]).
pub struct HeadlessCanvas {
    gpu: GpuContext,
    renderer: crate::render::HeadlessRenderer,
    grid: crate::gpu::GridOutput,
}

impl HeadlessCanvas {
    /// The surface of `function` over `domain` on a `side`² grid (made coarser for a data
    /// objective, as in the window).
    pub fn new(
        gpu: GpuContext,
        function: &crate::function::Function,
        domain: crate::scene::Domain,
        side: u32,
    ) -> Result<Self, String> {
        let mut evaluator = crate::gpu::GridEvaluator::new(&gpu, &function.grid_wgsl())
            .map_err(|e| format!("cannot build the grid shader: {e}"))?;
        evaluator.set_data(function.data_values_f32().as_deref());
        let side = super::gfx::surface_side(function, side);
        let grid = evaluator
            .evaluate(&crate::gpu::GridSpec::square(domain.x, domain.y, side))
            .map_err(|e| format!("evaluating the surface failed: {e}"))?;
        let renderer = crate::render::HeadlessRenderer::new(&gpu)
            .map_err(|e| format!("cannot set up offscreen drawing: {e}"))?;
        Ok(Self {
            gpu,
            renderer,
            grid,
        })
    }
}

impl super::export::Canvas for HeadlessCanvas {
    fn gpu(&self) -> &GpuContext {
        &self.gpu
    }

    fn figures(
        &mut self,
        scenes: &[crate::scene::SceneDesc],
        size_px: [u32; 2],
        options: &crate::figure::FigureOptions,
    ) -> Result<Vec<image::RgbaImage>, String> {
        scenes
            .iter()
            .map(|scene| {
                render_figure(
                    &self.gpu,
                    &mut self.renderer,
                    scene,
                    &self.grid,
                    size_px,
                    options,
                )
            })
            .collect()
    }
}
