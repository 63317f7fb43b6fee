//! The four render pipelines (surface, lines, balls, translucent plane), created once for a
//! colour format, depth format and sample count. Every WGSL module is validated by naga first
//! and created inside error scopes, so a rejected shader or pipeline is an `Err`, not a panic.

use super::error::{ErrorScopes, RenderError, describe};
use super::gpu_data::{BallInstance, LineInstance, PlaneVertex};
use crate::gpu::{POINT_BYTES, ShaderError, shaders};

// Each render shader starts with shaders/frame.wgsl (its `//#prelude` line says so).
pub const SURFACE_WGSL: &str = concat!(
    include_str!("../../shaders/frame.wgsl"),
    include_str!("../../shaders/surface.wgsl")
);
pub const LINES_WGSL: &str = concat!(
    include_str!("../../shaders/frame.wgsl"),
    include_str!("../../shaders/lines.wgsl")
);
pub const BALLS_WGSL: &str = concat!(
    include_str!("../../shaders/frame.wgsl"),
    include_str!("../../shaders/balls.wgsl")
);
/// The swarm's balls reuse the surface's uniforms and height mapping, so surface.wgsl comes too.
pub const SWARM_BALLS_WGSL: &str = concat!(
    include_str!("../../shaders/frame.wgsl"),
    include_str!("../../shaders/surface.wgsl"),
    include_str!("../../shaders/swarm_balls.wgsl")
);
pub const PLANE_WGSL: &str = concat!(
    include_str!("../../shaders/frame.wgsl"),
    include_str!("../../shaders/plane.wgsl")
);

/// What the pipelines are built for; a window passes its swapchain's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TargetFormat {
    pub color: wgpu::TextureFormat,
    pub depth: wgpu::TextureFormat,
    /// 1, or the MSAA sample count of the colour and depth attachments.
    pub sample_count: u32,
}

pub(crate) struct Pipelines {
    /// Holes, contours and wireframe (`fs_main`).
    pub surface: wgpu::RenderPipeline,
    /// None of those (`fs_plain`): no `discard`, so depth is tested before shading.
    pub surface_plain: wgpu::RenderPipeline,
    pub lines: wgpu::RenderPipeline,
    /// The hidden parts of lines, faint (`fs_hidden`, depth test reversed).
    pub lines_hidden: wgpu::RenderPipeline,
    pub balls: wgpu::RenderPipeline,
    /// The swarm's balls, from the walker buffer (`vs_swarm`).
    pub swarm_balls: wgpu::RenderPipeline,
    pub plane: wgpu::RenderPipeline,
}

/// One vertex buffer of the pipelines' vertex input.
type VertexInput = [Option<wgpu::VertexBufferLayout<'static>>; 1];

/// A grid point `[f, df/dx, df/dy, 0]`, pulled as the surface's vertex.
const GRID_POINT: VertexInput = [Some(wgpu::VertexBufferLayout {
    array_stride: POINT_BYTES,
    step_mode: wgpu::VertexStepMode::Vertex,
    attributes: &wgpu::vertex_attr_array![0 => Float32x4],
})];

const LINE: VertexInput = [Some(wgpu::VertexBufferLayout {
    array_stride: size_of::<LineInstance>() as u64,
    step_mode: wgpu::VertexStepMode::Instance,
    attributes: &wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4, 2 => Float32x4],
})];

const BALL: VertexInput = [Some(wgpu::VertexBufferLayout {
    array_stride: size_of::<BallInstance>() as u64,
    step_mode: wgpu::VertexStepMode::Instance,
    attributes: &wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4],
})];

const PLANE: VertexInput = [Some(wgpu::VertexBufferLayout {
    array_stride: size_of::<PlaneVertex>() as u64,
    step_mode: wgpu::VertexStepMode::Vertex,
    attributes: &wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4],
})];

/// A walker of the swarm (`gpu::Walker`, 72 bytes): position, value and status.
const WALKER: VertexInput = [Some(wgpu::VertexBufferLayout {
    array_stride: crate::gpu::WALKER_BYTES,
    step_mode: wgpu::VertexStepMode::Instance,
    attributes: &[
        wgpu::VertexAttribute {
            format: wgpu::VertexFormat::Float32x2,
            offset: std::mem::offset_of!(crate::gpu::Walker, pos) as u64,
            shader_location: 0,
        },
        wgpu::VertexAttribute {
            format: wgpu::VertexFormat::Float32,
            offset: std::mem::offset_of!(crate::gpu::Walker, value) as u64,
            shader_location: 1,
        },
        wgpu::VertexAttribute {
            format: wgpu::VertexFormat::Uint32,
            offset: std::mem::offset_of!(crate::gpu::Walker, status) as u64,
            shader_location: 2,
        },
    ],
})];

struct Spec<'a> {
    name: &'static str,
    vertex_entry: &'static str,
    fragment_entry: &'static str,
    source: &'static str,
    buffers: &'a [Option<wgpu::VertexBufferLayout<'a>>],
    blend: Option<wgpu::BlendState>,
    depth_write: bool,
    depth_compare: wgpu::CompareFunction,
    depth_bias: wgpu::DepthBiasState,
}

impl<'a> Spec<'a> {
    /// An opaque pipeline from `vs_main` and `fs_main`: depth written and tested (≤), no bias;
    /// the others change what differs from it.
    fn opaque(
        name: &'static str,
        source: &'static str,
        buffers: &'a [Option<wgpu::VertexBufferLayout<'a>>],
    ) -> Self {
        Self {
            name,
            vertex_entry: "vs_main",
            fragment_entry: "fs_main",
            source,
            buffers,
            blend: None,
            depth_write: true,
            depth_compare: wgpu::CompareFunction::LessEqual,
            depth_bias: Default::default(),
        }
    }
}

impl Pipelines {
    pub(crate) fn new(
        device: &wgpu::Device,
        layout: &wgpu::PipelineLayout,
        target: TargetFormat,
    ) -> Result<Self, RenderError> {
        let build = |spec: Spec<'_>| create(device, layout, target, spec);
        Ok(Self {
            surface: build(Spec::opaque("surface", SURFACE_WGSL, &GRID_POINT))?,
            surface_plain: build(Spec {
                fragment_entry: "fs_plain",
                ..Spec::opaque("surface (plain)", SURFACE_WGSL, &GRID_POINT)
            })?,
            lines: build(Spec::opaque("lines", LINES_WGSL, &LINE))?,
            lines_hidden: build(Spec {
                fragment_entry: "fs_hidden",
                blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                depth_write: false,
                depth_compare: wgpu::CompareFunction::Greater,
                ..Spec::opaque("lines (hidden parts)", LINES_WGSL, &LINE)
            })?,
            balls: build(Spec::opaque("balls", BALLS_WGSL, &BALL))?,
            swarm_balls: build(Spec {
                vertex_entry: "vs_swarm",
                fragment_entry: "fs_swarm",
                ..Spec::opaque("swarm balls", SWARM_BALLS_WGSL, &WALKER)
            })?,
            plane: build(Spec {
                blend: Some(wgpu::BlendState::ALPHA_BLENDING),
                depth_write: false,
                // Pulled a hair towards the camera: where the plane and the surface coincide
                // (a linear f, a flat one, any f right at A) the plane wins everywhere instead
                // of losing every other pixel to rounding (z-fighting speckle).
                depth_bias: wgpu::DepthBiasState {
                    constant: -16,
                    slope_scale: -0.05,
                    clamp: 0.0,
                },
                ..Spec::opaque("plane", PLANE_WGSL, &PLANE)
            })?,
        })
    }
}

fn create(
    device: &wgpu::Device,
    layout: &wgpu::PipelineLayout,
    target: TargetFormat,
    spec: Spec<'_>,
) -> Result<wgpu::RenderPipeline, RenderError> {
    let name = spec.name;
    shaders::validate(spec.source).map_err(|source| RenderError::Shader { name, source })?;
    let backend = |stage: &'static str, error: wgpu::Error| RenderError::Shader {
        name,
        source: ShaderError::Backend {
            stage,
            message: describe(&error),
        },
    };
    let scopes = ErrorScopes::push(device);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(name),
        source: wgpu::ShaderSource::Wgsl(spec.source.into()),
    });
    if let Some(error) = scopes.pop() {
        return Err(backend("shader module", error));
    }
    let scopes = ErrorScopes::push(device);
    let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(name),
        layout: Some(layout),
        vertex: wgpu::VertexState {
            module: &module,
            entry_point: Some(spec.vertex_entry),
            compilation_options: Default::default(),
            buffers: spec.buffers,
        },
        primitive: wgpu::PrimitiveState {
            topology: wgpu::PrimitiveTopology::TriangleList,
            // The surface and the plane are seen from both sides; lines and balls are built
            // facing the camera either way.
            cull_mode: None,
            ..Default::default()
        },
        depth_stencil: Some(wgpu::DepthStencilState {
            format: target.depth,
            depth_write_enabled: Some(spec.depth_write),
            depth_compare: Some(spec.depth_compare),
            stencil: Default::default(),
            bias: spec.depth_bias,
        }),
        multisample: wgpu::MultisampleState {
            count: target.sample_count,
            ..Default::default()
        },
        fragment: Some(wgpu::FragmentState {
            module: &module,
            entry_point: Some(spec.fragment_entry),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState {
                format: target.color,
                blend: spec.blend,
                write_mask: wgpu::ColorWrites::ALL,
            })],
        }),
        multiview_mask: None,
        cache: None,
    });
    if let Some(error) = scopes.pop() {
        return Err(backend("render pipeline", error));
    }
    Ok(pipeline)
}
