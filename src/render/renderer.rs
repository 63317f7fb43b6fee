//! `SceneRenderer`: long-lived pipelines plus the per-frame data of one `SceneDesc`. `prepare`
//! uploads uniforms and overlay instances; `draw` records into whatever render pass it is handed
//! (the window's frame in a viewport rect, or the headless target).

use glam::Vec3;
use wgpu::util::DeviceExt;

use super::error::{ErrorScopes, RenderError};
use super::gpu_data::{BallInstance, FrameUniforms, LineInstance, PlaneVertex, SurfaceUniforms};
use super::pipelines::{Pipelines, TargetFormat};
use crate::gpu::{GridOutput, GridSpec};
use crate::scene::{OrbitCamera, SceneDesc, WORLD_HEIGHT};

/// Largest grid side the surface draws: its index buffer is 24 bytes per cell, 96 MiB at 2048².
pub const MAX_SURFACE_SIDE: u32 = 2048;

/// NDC depth offsets that keep lines and balls in front of the surface they lie on.
const LINE_DEPTH_BIAS: f32 = 0.0015;
const BALL_DEPTH_BIAS: f32 = 0.004;

/// A vertex or instance buffer that grows (to the next power of two) and is reused.
struct GrowingBuffer {
    label: &'static str,
    usage: wgpu::BufferUsages,
    buffer: Option<wgpu::Buffer>,
    count: u32,
}

impl GrowingBuffer {
    fn new(label: &'static str, usage: wgpu::BufferUsages) -> Self {
        Self {
            label,
            usage: usage | wgpu::BufferUsages::COPY_DST,
            buffer: None,
            count: 0,
        }
    }

    fn upload<T: bytemuck::Pod>(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        items: &[T],
    ) {
        self.count = items.len() as u32;
        if items.is_empty() {
            return;
        }
        let bytes: &[u8] = bytemuck::cast_slice(items);
        let fits = self
            .buffer
            .as_ref()
            .is_some_and(|b| b.size() >= bytes.len() as u64);
        if !fits {
            self.buffer = Some(device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(self.label),
                size: (bytes.len() as u64).next_power_of_two().max(256),
                usage: self.usage,
                mapped_at_creation: false,
            }));
        }
        if let Some(buffer) = &self.buffer {
            queue.write_buffer(buffer, 0, bytes);
        }
    }
}

/// The triangle indices of an nx × ny grid, built once per size.
struct GridIndices {
    nx: u32,
    ny: u32,
    stride: u32,
    buffer: wgpu::Buffer,
    count: u32,
}

/// Draws a [`SceneDesc`] over a grid the compute pass wrote.
pub struct SceneRenderer {
    target: TargetFormat,
    pipelines: Pipelines,
    frame_uniforms: wgpu::Buffer,
    surface_uniforms: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    bind_group_layout: wgpu::BindGroupLayout,
    overlay_sampler: wgpu::Sampler,
    /// The texture draped over the surface (1×1 while none is set), and the key it was made for.
    overlay: wgpu::Texture,
    overlay_key: Option<u64>,
    /// The swarm's walker buffer and count, drawn as balls after the surface.
    swarm: Option<(wgpu::Buffer, u32)>,
    swarm_look: [f32; 4],
    indices: Option<GridIndices>,
    /// Whether this frame can use the surface's fast fragment path.
    plain_surface: bool,
    /// The grid buffer of the last `prepare` (a handle, not a copy).
    grid: Option<wgpu::Buffer>,
    lines: GrowingBuffer,
    balls: GrowingBuffer,
    plane: GrowingBuffer,
}

impl SceneRenderer {
    /// Builds the pipelines for `target`; nothing is drawn until `prepare`.
    pub fn new(device: &wgpu::Device, target: TargetFormat) -> Result<Self, RenderError> {
        let uniform_entry = |binding| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Uniform,
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let scopes = ErrorScopes::push(device);
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("scene uniforms"),
            entries: &[
                uniform_entry(0),
                uniform_entry(1),
                wgpu::BindGroupLayoutEntry {
                    binding: 2,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: false },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 3,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::NonFiltering),
                    count: None,
                },
            ],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("scene"),
            bind_group_layouts: &[Some(&bind_group_layout)],
            immediate_size: 0,
        });
        let uniform = |label, size| {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
                mapped_at_creation: false,
            })
        };
        let frame_uniforms = uniform("frame uniforms", size_of::<FrameUniforms>() as u64);
        let surface_uniforms = uniform("surface uniforms", size_of::<SurfaceUniforms>() as u64);
        // Nearest texels: a basin's edge stays a sharp edge on the surface.
        let overlay_sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("surface overlay"),
            ..Default::default()
        });
        // A one-texel placeholder: the shader samples it only while an overlay is set.
        let overlay = overlay_texture(device, 1);
        let bind_group = scene_bind_group(
            device,
            &bind_group_layout,
            [&frame_uniforms, &surface_uniforms],
            &overlay,
            &overlay_sampler,
        );
        scopes.finish("creating the scene's uniforms")?;
        let pipelines = Pipelines::new(device, &layout, target)?;
        Ok(Self {
            target,
            pipelines,
            frame_uniforms,
            surface_uniforms,
            bind_group,
            bind_group_layout,
            overlay_sampler,
            overlay,
            overlay_key: None,
            swarm: None,
            swarm_look: [1.0, 1.0, 1.0, 3.0],
            indices: None,
            plain_surface: false,
            grid: None,
            lines: GrowingBuffer::new("overlay lines", wgpu::BufferUsages::VERTEX),
            balls: GrowingBuffer::new("overlay balls", wgpu::BufferUsages::VERTEX),
            plane: GrowingBuffer::new("tangent plane", wgpu::BufferUsages::VERTEX),
        })
    }

    pub fn target(&self) -> TargetFormat {
        self.target
    }

    /// Drapes `rgba` (a side × side lattice of sRGB colours over the domain, row 0 at the first y:
    /// the basins of attraction) over the surface in place of the colormap; None goes back to
    /// the colormap. The texture is uploaded only when `key` changes.
    pub fn set_overlay(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        overlay: Option<(u64, u32, &[u8])>,
    ) -> Result<(), RenderError> {
        let Some((key, side, rgba)) = overlay else {
            self.overlay_key = None;
            return Ok(());
        };
        if self.overlay_key == Some(key) {
            return Ok(());
        }
        let side = side.max(1);
        if rgba.len() as u64 != u64::from(side) * u64::from(side) * 4 {
            return Err(RenderError::Unsupported(format!(
                "an overlay of {side}² texels needs {} bytes, got {}",
                u64::from(side) * u64::from(side) * 4,
                rgba.len()
            )));
        }
        let scopes = ErrorScopes::push(device);
        let texture = overlay_texture(device, side);
        queue.write_texture(
            texture.as_image_copy(),
            rgba,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(side * 4),
                rows_per_image: Some(side),
            },
            texture.size(),
        );
        scopes.finish("uploading the surface overlay")?;
        self.bind_group = scene_bind_group(
            device,
            &self.bind_group_layout,
            [&self.frame_uniforms, &self.surface_uniforms],
            &texture,
            &self.overlay_sampler,
        );
        self.overlay = texture;
        self.overlay_key = Some(key);
        Ok(())
    }

    /// The key of the overlay draped now, if any.
    pub fn overlay_key(&self) -> Option<u64> {
        self.overlay_key
    }

    /// Draws `count` swarm walkers from `buffer` (the swarm kernel's, `gpu::Walker`s) as balls of
    /// `color` (sRGB) and `radius_px`; None draws none.
    pub fn set_swarm(
        &mut self,
        swarm: Option<(&wgpu::Buffer, u32)>,
        color: [f32; 3],
        radius_px: f32,
    ) {
        self.swarm = swarm.map(|(buffer, count)| (buffer.clone(), count));
        self.swarm_look = [color[0], color[1], color[2], radius_px];
    }

    /// Uploads this frame's uniforms and overlays for a viewport of `viewport_px` (width,
    /// height); the grid must cover `desc.map.domain`, as evaluated for it.
    pub fn prepare(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        desc: &SceneDesc,
        grid: &GridOutput,
        viewport_px: [u32; 2],
    ) -> Result<(), RenderError> {
        let spec = *grid.spec();
        check_surface_grid(&spec)?;
        let frame = self.frame_uniforms(&desc.camera, viewport_px);
        let surface = self.surface_uniforms(desc, &spec);
        let style = desc.surface;
        let scale = desc.map.scale;

        let scopes = ErrorScopes::push(device);
        queue.write_buffer(&self.frame_uniforms, 0, bytemuck::bytes_of(&frame));
        queue.write_buffer(&self.surface_uniforms, 0, bytemuck::bytes_of(&surface));
        let stride = stride_for(spec.nx, spec.ny, style.max_cells_per_side);
        self.ensure_indices(device, &spec, stride);
        self.grid = Some(grid.buffer().clone());
        self.plain_surface = !style.may_have_holes
            && !scale.cut.contains(&true)
            && !style.wireframe
            && style.contour_levels == 0;
        self.upload_primitives(device, queue, desc);
        Ok(scopes.finish("uploading the frame's data")?)
    }

    /// The camera, light and viewport as the shaders receive them.
    fn frame_uniforms(&self, camera: &OrbitCamera, viewport_px: [u32; 2]) -> FrameUniforms {
        let [width, height] = [viewport_px[0].max(1) as f32, viewport_px[1].max(1) as f32];
        let aspect = width / height;
        let eye = camera.eye_world();
        let light = ((eye - camera.target).normalize_or_zero() + Vec3::new(0.3, -0.2, 1.2))
            .normalize_or_zero();
        FrameUniforms {
            clip_from_world: camera.clip_from_world(aspect).to_cols_array_2d(),
            eye_world: eye.extend(1.0).to_array(),
            light_dir_world: light.extend(0.0).to_array(),
            viewport_px: [width, height, 1.0 / width, 1.0 / height],
            misc: [
                if self.target.color.is_srgb() {
                    1.0
                } else {
                    0.0
                },
                LINE_DEPTH_BIAS,
                BALL_DEPTH_BIAS,
                0.0,
            ],
        }
    }

    /// Where the grid lies in the world, how its heights map to colour, and what the surface
    /// draws (wireframe, contours, the basin overlay, cut ends).
    fn surface_uniforms(&self, desc: &SceneDesc, spec: &GridSpec) -> SurfaceUniforms {
        let map = &desc.map;
        let [cx, cy] = map.domain.center();
        let [sx, sy] = map.xy_scale();
        let scale = map.scale;
        let style = desc.surface;
        let cells = spec.nx.max(spec.ny) - 1;
        SurfaceUniforms {
            grid: [
                spec.x_range.0 as f32,
                spec.y_range.0 as f32,
                ((spec.x_range.1 - spec.x_range.0) / f64::from(spec.nx - 1)) as f32,
                ((spec.y_range.1 - spec.y_range.0) / f64::from(spec.ny - 1)) as f32,
            ],
            world_xy: [cx as f32, cy as f32, sx as f32, sy as f32],
            scale: [
                scale.lo as f32,
                scale.hi as f32,
                scale.log_offset.unwrap_or(1.0) as f32,
                scale.log_norm() as f32,
            ],
            look: [
                WORLD_HEIGHT,
                // About 32 wireframe lines per side, whatever the resolution.
                (cells as f32 / 32.0).max(1.0).round(),
                style.contour_levels as f32,
                scale.lo.abs().max(scale.hi.abs()).max(f64::MIN_POSITIVE) as f32,
            ],
            dims: [
                spec.nx,
                spec.ny,
                style.colormap.shader_index(),
                u32::from(style.wireframe)
                    | (u32::from(style.contour_levels > 0) << 1)
                    | (u32::from(self.overlay_key.is_some()) << 2)
                    | (u32::from(scale.cut[0]) << 3)
                    | (u32::from(scale.cut[1]) << 4),
            ],
            swarm: self.swarm_look,
        }
    }

    /// Rebuilds the surface's index buffer when the grid's size or the stride changed.
    fn ensure_indices(&mut self, device: &wgpu::Device, spec: &GridSpec, stride: u32) {
        if self
            .indices
            .as_ref()
            .is_some_and(|i| i.nx == spec.nx && i.ny == spec.ny && i.stride == stride)
        {
            return;
        }
        let indices = grid_indices(spec.nx, spec.ny, stride);
        self.indices = Some(GridIndices {
            nx: spec.nx,
            ny: spec.ny,
            stride,
            count: indices.len() as u32,
            buffer: device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some("surface indices"),
                contents: bytemuck::cast_slice(&indices),
                usage: wgpu::BufferUsages::INDEX,
            }),
        });
    }

    /// The scene's lines, balls and tangent plane, as instances and vertices on the GPU.
    fn upload_primitives(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, desc: &SceneDesc) {
        let primitives = desc.primitives();
        let lines: Vec<LineInstance> = primitives.lines.iter().map(Into::into).collect();
        let balls: Vec<BallInstance> = primitives.balls.iter().map(Into::into).collect();
        let plane: Vec<PlaneVertex> = primitives
            .triangles
            .iter()
            .map(|p| PlaneVertex {
                position: p.extend(1.0).to_array(),
                color: primitives.triangle_color,
            })
            .collect();
        self.lines.upload(device, queue, &lines);
        self.balls.upload(device, queue, &balls);
        self.plane.upload(device, queue, &plane);
    }

    /// Records the frame into `pass`: surface, balls, lines (then their hidden parts, faint), and
    /// last the translucent plane.
    /// Draws nothing before the first `prepare`.
    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>) {
        let (Some(grid), Some(indices)) = (&self.grid, &self.indices) else {
            return;
        };
        pass.set_bind_group(0, &self.bind_group, &[]);
        pass.set_pipeline(if self.plain_surface {
            &self.pipelines.surface_plain
        } else {
            &self.pipelines.surface
        });
        pass.set_vertex_buffer(0, grid.slice(..));
        pass.set_index_buffer(indices.buffer.slice(..), wgpu::IndexFormat::Uint32);
        pass.draw_indexed(0..indices.count, 0, 0..1);
        if let Some((buffer, n @ 1..)) = &self.swarm {
            pass.set_pipeline(&self.pipelines.swarm_balls);
            pass.set_vertex_buffer(0, buffer.slice(..));
            pass.draw(0..6, 0..*n);
        }
        if let (Some(buffer), n @ 1..) = (&self.balls.buffer, self.balls.count) {
            pass.set_pipeline(&self.pipelines.balls);
            pass.set_vertex_buffer(0, buffer.slice(..));
            pass.draw(0..6, 0..n);
        }
        if let (Some(buffer), n @ 1..) = (&self.lines.buffer, self.lines.count) {
            pass.set_pipeline(&self.pipelines.lines);
            pass.set_vertex_buffer(0, buffer.slice(..));
            pass.draw(0..6, 0..n);
            pass.set_pipeline(&self.pipelines.lines_hidden);
            pass.draw(0..6, 0..n);
        }
        if let (Some(buffer), n @ 1..) = (&self.plane.buffer, self.plane.count) {
            pass.set_pipeline(&self.pipelines.plane);
            pass.set_vertex_buffer(0, buffer.slice(..));
            pass.draw(0..n, 0..1);
        }
    }
}

/// A side × side RGBA texture for the surface overlay.
fn overlay_texture(device: &wgpu::Device, side: u32) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some("surface overlay"),
        size: wgpu::Extent3d {
            width: side,
            height: side,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    })
}

fn scene_bind_group(
    device: &wgpu::Device,
    layout: &wgpu::BindGroupLayout,
    [frame, surface]: [&wgpu::Buffer; 2],
    overlay: &wgpu::Texture,
    sampler: &wgpu::Sampler,
) -> wgpu::BindGroup {
    let view = overlay.create_view(&Default::default());
    device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("scene uniforms"),
        layout,
        entries: &[
            wgpu::BindGroupEntry {
                binding: 0,
                resource: frame.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: surface.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 2,
                resource: wgpu::BindingResource::TextureView(&view),
            },
            wgpu::BindGroupEntry {
                binding: 3,
                resource: wgpu::BindingResource::Sampler(sampler),
            },
        ],
    })
}

/// Two triangles per drawn cell, row-major like the grid buffer, over every `stride`-th row
/// and column (the last row and column always included, so the surface keeps its edges).
fn grid_indices(nx: u32, ny: u32, stride: u32) -> Vec<u32> {
    let picks = |n: u32| -> Vec<u32> {
        let mut v: Vec<u32> = (0..n).step_by(stride.max(1) as usize).collect();
        if v.last() != Some(&(n - 1)) {
            v.push(n - 1);
        }
        v
    };
    let (columns, rows) = (picks(nx), picks(ny));
    let mut out = Vec::with_capacity((columns.len() - 1) * (rows.len() - 1) * 6);
    for i in rows.windows(2) {
        for j in columns.windows(2) {
            let a = i[0] * nx + j[0];
            let b = i[0] * nx + j[1];
            let c = i[1] * nx + j[0];
            let d = i[1] * nx + j[1];
            out.extend_from_slice(&[a, b, d, a, d, c]);
        }
    }
    out
}

/// The surface draws a 2-D grid of 2 to MAX_SURFACE_SIDE points per side.
fn check_surface_grid(spec: &GridSpec) -> Result<(), RenderError> {
    if spec.nx < 2 || spec.ny < 2 {
        return Err(RenderError::Unsupported(format!(
            "the surface needs a 2-D grid of at least 2 × 2 points (got {} × {})",
            spec.nx, spec.ny
        )));
    }
    if spec.nx > MAX_SURFACE_SIDE || spec.ny > MAX_SURFACE_SIDE {
        return Err(RenderError::Unsupported(format!(
            "the surface draws grids of at most {MAX_SURFACE_SIDE} points per side (got {} × {}); \
             lower the resolution",
            spec.nx, spec.ny
        )));
    }
    Ok(())
}

/// The stride that keeps at most `max_cells` cells per side (0: no limit).
fn stride_for(nx: u32, ny: u32, max_cells: u32) -> u32 {
    if max_cells == 0 {
        return 1;
    }
    (nx.max(ny) - 1).div_ceil(max_cells).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_indices_cover_every_cell_once() {
        let indices = grid_indices(3, 2, 1);
        assert_eq!(indices, vec![0, 1, 4, 0, 4, 3, 1, 2, 5, 1, 5, 4]);
        assert_eq!(grid_indices(256, 256, 1).len(), 255 * 255 * 6);
        // Every other point of 4 × 4 keeps the last column and row: cells 0-2 and 2-3.
        let coarse = grid_indices(4, 4, 2);
        assert_eq!(coarse.len(), 2 * 2 * 6);
        assert_eq!(&coarse[..6], &[0, 2, 10, 0, 10, 8]);
        assert!(coarse.contains(&15));
        assert_eq!(stride_for(1024, 1024, 128), 8);
        assert_eq!(stride_for(256, 256, 0), 1);
    }
}
