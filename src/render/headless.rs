//! The headless path: the same `SceneRenderer` drawing into its own offscreen target (colour and
//! depth, MSAA with a resolve where the adapter supports it), read back with row padding removed
//! into an `image::RgbaImage`. Also the frame-time measurement `gradscape bench` calls.

use std::time::{Duration, Instant};

use super::error::{ErrorScopes, RenderError};
use super::pipelines::TargetFormat;
use super::renderer::SceneRenderer;
use crate::gpu::{GpuContext, GridOutput};
use crate::scene::SceneDesc;

/// Plain `Rgba8Unorm`: the GL backend cannot view a texture as sRGB (no VIEW_FORMATS), so the
/// shaders write display-ready values and both backends store the same bytes.
pub const HEADLESS_COLOR_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;
pub const DEPTH_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Depth32Float;
/// Largest side of an offscreen image.
pub const MAX_IMAGE_SIDE_PX: u32 = 8192;
const MSAA_SAMPLES: u32 = 4;

/// The MSAA sample count to use on this adapter for `color` with [`DEPTH_FORMAT`]: 4 where both
/// formats support it and the colour can be resolved, else 1.
pub fn supported_sample_count(adapter: &wgpu::Adapter, color: wgpu::TextureFormat) -> u32 {
    let color_flags = adapter.get_texture_format_features(color).flags;
    let depth_flags = adapter.get_texture_format_features(DEPTH_FORMAT).flags;
    let ok = color_flags.sample_count_supported(MSAA_SAMPLES)
        && color_flags.contains(wgpu::TextureFormatFeatureFlags::MULTISAMPLE_RESOLVE)
        && depth_flags.sample_count_supported(MSAA_SAMPLES);
    if ok { MSAA_SAMPLES } else { 1 }
}

/// What the app should draw at to stay interactive on this adapter: on a CPU rasteriser
/// (lavapipe, llvmpipe GL) no MSAA and at most [`SOFTWARE_MAX_CELLS_PER_SIDE`] surface cells per
/// side, since those are bound by triangle count; on a GPU, MSAA where supported and every
/// grid point. Still images (`gradscape render`) use full detail everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InteractiveSettings {
    pub sample_count: u32,
    /// For `SurfaceStyle::max_cells_per_side` (0: every grid point).
    pub max_cells_per_side: u32,
    /// The same while the user drags or orbits: fewer triangles keep the frame rate up, and
    /// the full detail comes back on the frame after (0: no change).
    pub max_cells_per_side_moving: u32,
    /// Whether egui should skip anti-aliasing feathering while something moves: it doubles
    /// the triangles of every line and rounded shape, and a software rasteriser pays about
    /// 2 µs for each.
    pub plain_ui_while_moving: bool,
}

/// Level of detail for software rasterisers: 128 cells per side kept a 1280×800 frame near
/// 22 ms on 2 shared cores, where the full 256² grid took about 75 ms.
pub const SOFTWARE_MAX_CELLS_PER_SIDE: u32 = 128;
/// The same while dragging or orbiting.
pub const SOFTWARE_MAX_CELLS_PER_SIDE_MOVING: u32 = 64;

impl InteractiveSettings {
    pub fn for_adapter(adapter: &wgpu::Adapter, color: wgpu::TextureFormat) -> Self {
        if adapter.get_info().device_type == wgpu::DeviceType::Cpu {
            Self {
                sample_count: 1,
                max_cells_per_side: SOFTWARE_MAX_CELLS_PER_SIDE,
                max_cells_per_side_moving: SOFTWARE_MAX_CELLS_PER_SIDE_MOVING,
                plain_ui_while_moving: true,
            }
        } else {
            Self {
                sample_count: supported_sample_count(adapter, color),
                max_cells_per_side: 0,
                max_cells_per_side_moving: 0,
                plain_ui_while_moving: false,
            }
        }
    }
}

struct OffscreenTarget {
    size: [u32; 2],
    resolved: wgpu::Texture,
    multisampled: Option<wgpu::TextureView>,
    resolved_view: wgpu::TextureView,
    depth: wgpu::TextureView,
    readback: wgpu::Buffer,
    padded_row_bytes: u32,
}

impl OffscreenTarget {
    fn new(device: &wgpu::Device, size: [u32; 2], target: TargetFormat) -> Self {
        let texture =
            |label, format, samples, usage| texture_2d(device, label, size, format, samples, usage);
        let resolved = texture(
            "offscreen colour",
            target.color,
            1,
            wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        );
        let multisampled = (target.sample_count > 1).then(|| {
            texture(
                "offscreen colour (MSAA)",
                target.color,
                target.sample_count,
                wgpu::TextureUsages::RENDER_ATTACHMENT,
            )
            .create_view(&Default::default())
        });
        let depth = texture(
            "offscreen depth",
            target.depth,
            target.sample_count,
            wgpu::TextureUsages::RENDER_ATTACHMENT,
        )
        .create_view(&Default::default());
        // Copies need rows aligned to 256 bytes; the padding is dropped on read-back.
        let padded_row_bytes = padded_row_bytes(size[0]);
        let readback = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("offscreen read-back"),
            size: u64::from(padded_row_bytes) * u64::from(size[1]),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Self {
            size,
            resolved_view: resolved.create_view(&Default::default()),
            resolved,
            multisampled,
            depth,
            readback,
            padded_row_bytes,
        }
    }
}

/// A [`SceneRenderer`] with its own offscreen target, for PNGs, GIFs, tests and benchmarks.
pub struct HeadlessRenderer {
    renderer: SceneRenderer,
    target: Option<OffscreenTarget>,
}

impl HeadlessRenderer {
    /// Pipelines for [`HEADLESS_COLOR_FORMAT`] with MSAA where the adapter supports it.
    pub fn new(ctx: &GpuContext) -> Result<Self, RenderError> {
        let sample_count = supported_sample_count(&ctx.adapter, HEADLESS_COLOR_FORMAT);
        Self::with_sample_count(ctx, sample_count)
    }

    /// As [`HeadlessRenderer::new`] with an explicit sample count (1 turns MSAA off).
    pub fn with_sample_count(ctx: &GpuContext, sample_count: u32) -> Result<Self, RenderError> {
        Self::with_target(
            ctx,
            TargetFormat {
                color: HEADLESS_COLOR_FORMAT,
                depth: DEPTH_FORMAT,
                sample_count,
            },
        )
    }

    /// Any 8-bit RGBA or BGRA colour format, sRGB or not (what a window's swapchain may use);
    /// images come back as RGBA either way.
    pub fn with_target(ctx: &GpuContext, target: TargetFormat) -> Result<Self, RenderError> {
        use wgpu::TextureFormat as F;
        if !matches!(
            target.color,
            F::Rgba8Unorm | F::Rgba8UnormSrgb | F::Bgra8Unorm | F::Bgra8UnormSrgb
        ) {
            return Err(RenderError::Unsupported(format!(
                "the offscreen target reads back 8-bit RGBA or BGRA, not {:?}",
                target.color
            )));
        }
        let renderer = SceneRenderer::new(&ctx.device, target)?;
        Ok(Self {
            renderer,
            target: None,
        })
    }

    pub fn sample_count(&self) -> u32 {
        self.renderer.target().sample_count
    }

    /// Draws the swarm's walkers from `buffer` as balls in the frames that follow (see
    /// [`SceneRenderer::set_swarm`]); None draws none.
    pub fn set_swarm(
        &mut self,
        swarm: Option<(&wgpu::Buffer, u32)>,
        color: [f32; 3],
        radius_px: f32,
    ) {
        self.renderer.set_swarm(swarm, color, radius_px);
    }

    /// Draws one frame and waits for the GPU, without reading it back.
    pub fn draw_frame(
        &mut self,
        ctx: &GpuContext,
        desc: &SceneDesc,
        grid: &GridOutput,
        size_px: [u32; 2],
    ) -> Result<(), RenderError> {
        self.submit(ctx, desc, grid, size_px, false)
    }

    /// Draws one frame and returns it as an image.
    pub fn render(
        &mut self,
        ctx: &GpuContext,
        desc: &SceneDesc,
        grid: &GridOutput,
        size_px: [u32; 2],
    ) -> Result<image::RgbaImage, RenderError> {
        self.submit(ctx, desc, grid, size_px, true)?;
        self.read_back(ctx)
    }

    fn submit(
        &mut self,
        ctx: &GpuContext,
        desc: &SceneDesc,
        grid: &GridOutput,
        size_px: [u32; 2],
        copy_out: bool,
    ) -> Result<(), RenderError> {
        let [width, height] = size_px;
        if width == 0 || height == 0 || width > MAX_IMAGE_SIDE_PX || height > MAX_IMAGE_SIDE_PX {
            return Err(RenderError::Unsupported(format!(
                "image size {width}×{height} is out of range: give 1 to {MAX_IMAGE_SIDE_PX} pixels per side"
            )));
        }
        let device = &ctx.device;
        if self.target.as_ref().is_none_or(|t| t.size != size_px) {
            let scopes = ErrorScopes::push(device);
            let target = OffscreenTarget::new(device, size_px, self.renderer.target());
            scopes.finish("allocating the offscreen target")?;
            self.target = Some(target);
        }
        self.renderer
            .prepare(device, &ctx.queue, desc, grid, size_px)?;
        let Some(target) = &self.target else {
            unreachable!("the target was created above");
        };
        let scopes = ErrorScopes::push(device);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("offscreen frame"),
        });
        let clear = clear_color(desc.palette.background, self.renderer.target().color);
        {
            let (view, resolve_target) = match &target.multisampled {
                Some(ms) => (ms, Some(&target.resolved_view)),
                None => (&target.resolved_view, None),
            };
            let mut pass = begin_scene_pass(
                &mut encoder,
                "offscreen scene",
                view,
                resolve_target,
                clear,
                &target.depth,
            );
            self.renderer.draw(&mut pass);
        }
        if copy_out {
            encoder.copy_texture_to_buffer(
                target.resolved.as_image_copy(),
                wgpu::TexelCopyBufferInfo {
                    buffer: &target.readback,
                    layout: wgpu::TexelCopyBufferLayout {
                        offset: 0,
                        bytes_per_row: Some(target.padded_row_bytes),
                        rows_per_image: Some(height),
                    },
                },
                wgpu::Extent3d {
                    width,
                    height,
                    depth_or_array_layers: 1,
                },
            );
        }
        ctx.queue.submit([encoder.finish()]);
        device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(crate::gpu::GpuError::from)?;
        Ok(scopes.finish("drawing the offscreen frame")?)
    }

    fn read_back(&self, ctx: &GpuContext) -> Result<image::RgbaImage, RenderError> {
        let Some(target) = &self.target else {
            return Err(RenderError::Unsupported("nothing was drawn yet".into()));
        };
        let mut pixels = read_rows(ctx, &target.readback, target.size, target.padded_row_bytes)?;
        if matches!(
            self.renderer.target().color,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        ) {
            for pixel in pixels.chunks_exact_mut(4) {
                pixel.swap(0, 2);
            }
        }
        let [width, height] = target.size;
        image::RgbaImage::from_raw(width, height, pixels)
            .ok_or_else(|| RenderError::Unsupported("read-back size mismatch".into()))
    }
}

/// A plain 2-D texture of `size` pixels (one mip level): the render targets, depth buffers and
/// caches that the offscreen renderer and the window make.
pub fn texture_2d(
    device: &wgpu::Device,
    label: &str,
    size: [u32; 2],
    format: wgpu::TextureFormat,
    sample_count: u32,
    usage: wgpu::TextureUsages,
) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: size[0],
            height: size[1],
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage,
        view_formats: &[],
    })
}

/// The render pass a scene is drawn in: `color` cleared to `clear` (resolved into
/// `resolve_target` when it is multisampled) and a depth attachment cleared to 1. Both the
/// offscreen renderer and the window draw through it.
pub fn begin_scene_pass<'e>(
    encoder: &'e mut wgpu::CommandEncoder,
    label: &str,
    color: &wgpu::TextureView,
    resolve_target: Option<&wgpu::TextureView>,
    clear: wgpu::Color,
    depth: &wgpu::TextureView,
) -> wgpu::RenderPass<'e> {
    encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: Some(label),
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view: color,
            depth_slice: None,
            resolve_target,
            ops: wgpu::Operations {
                load: wgpu::LoadOp::Clear(clear),
                // The MSAA samples are only needed until they are resolved.
                store: if resolve_target.is_some() {
                    wgpu::StoreOp::Discard
                } else {
                    wgpu::StoreOp::Store
                },
            },
        })],
        depth_stencil_attachment: Some(wgpu::RenderPassDepthStencilAttachment {
            view: depth,
            depth_ops: Some(wgpu::Operations {
                load: wgpu::LoadOp::Clear(1.0),
                store: wgpu::StoreOp::Discard,
            }),
            stencil_ops: None,
        }),
        timestamp_writes: None,
        occlusion_query_set: None,
        multiview_mask: None,
    })
}

/// Bytes per row of a texture-to-buffer copy of an 8-bit RGBA image `width` wide: rows are
/// padded to wgpu's 256-byte alignment.
pub fn padded_row_bytes(width: u32) -> u32 {
    (width * 4).next_multiple_of(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
}

/// Maps `buffer` (filled by a copy of a `size` RGBA8 image with `padded` bytes per row), waits
/// for the GPU, and returns the pixels without the row padding. The buffer is unmapped again.
pub fn read_rows(
    ctx: &GpuContext,
    buffer: &wgpu::Buffer,
    size: [u32; 2],
    padded: u32,
) -> Result<Vec<u8>, crate::gpu::GpuError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    buffer.map_async(wgpu::MapMode::Read, .., move |result| {
        // The receiver is gone only if this function already returned.
        let _ = sender.send(result);
    });
    ctx.device.poll(wgpu::PollType::wait_indefinitely())?;
    receiver
        .try_recv()
        .map_err(|_| crate::gpu::GpuError::MapCallbackLost)??;
    let row_bytes = (size[0] * 4) as usize;
    let mut pixels = Vec::with_capacity(row_bytes * size[1] as usize);
    {
        let view = buffer.get_mapped_range(..)?;
        for row in view.chunks(padded as usize) {
            pixels.extend_from_slice(&row[..row_bytes]);
        }
    }
    buffer.unmap();
    Ok(pixels)
}

/// The clear colour for `format`: the palette's sRGB values, decoded for an sRGB target (which
/// re-encodes them) so that every format stores the same bytes.
pub fn clear_color(rgba: crate::scene::Rgba, format: wgpu::TextureFormat) -> wgpu::Color {
    let decode = |c: f32| {
        let c = f64::from(c.clamp(0.0, 1.0));
        if !format.is_srgb() {
            c
        } else if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    wgpu::Color {
        r: decode(rgba[0]),
        g: decode(rgba[1]),
        b: decode(rgba[2]),
        a: f64::from(rgba[3]),
    }
}

/// Frame times of the headless renderer.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameTimes {
    /// Draw + wait for the GPU, one per frame, in the order drawn (after one warm-up frame
    /// that is not included).
    pub frames: Vec<Duration>,
    /// One frame with its read-back (copy, map, un-pad), after the timed ones.
    pub frame_with_readback: Duration,
    /// What was drawn at.
    pub settings: InteractiveSettings,
}

impl FrameTimes {
    pub fn median(&self) -> Duration {
        let mut sorted = self.frames.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }
}

/// Draws `desc` over `grid` `frames` times at `size_px` with the adapter's
/// [`InteractiveSettings`] (what the app would draw), timing each frame from `prepare` until
/// the GPU is idle; then times one frame with read-back.
pub fn bench_frame_times(
    ctx: &GpuContext,
    desc: &SceneDesc,
    grid: &GridOutput,
    size_px: [u32; 2],
    frames: usize,
) -> Result<FrameTimes, RenderError> {
    let settings = InteractiveSettings::for_adapter(&ctx.adapter, HEADLESS_COLOR_FORMAT);
    let mut desc = desc.clone();
    desc.surface.max_cells_per_side = settings.max_cells_per_side;
    let mut renderer = HeadlessRenderer::with_sample_count(ctx, settings.sample_count)?;
    renderer.draw_frame(ctx, &desc, grid, size_px)?;
    let mut times = Vec::with_capacity(frames);
    for _ in 0..frames {
        let start = Instant::now();
        renderer.draw_frame(ctx, &desc, grid, size_px)?;
        times.push(start.elapsed());
    }
    let start = Instant::now();
    renderer.render(ctx, &desc, grid, size_px)?;
    Ok(FrameTimes {
        frames: times,
        frame_with_readback: start.elapsed(),
        settings,
    })
}
