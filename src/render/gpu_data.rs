//! `#[repr(C)]` Pod structs the render shaders read, byte for byte: uniforms and per-instance
//! vertex data. Each names the WGSL it mirrors and asserts its size at compile time.

use bytemuck::{Pod, Zeroable};

use crate::scene::{Ball, Line};

/// Per-frame values every render shader reads.
///
/// Keep in sync with `Frame` in shaders/surface.wgsl, lines.wgsl, balls.wgsl and plane.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct FrameUniforms {
    pub clip_from_world: [[f32; 4]; 4],
    pub eye_world: [f32; 4],
    pub light_dir_world: [f32; 4],
    /// width, height, 1/width, 1/height.
    pub viewport_px: [f32; 4],
    /// x: 1 for an sRGB target; y: line depth bias; z: ball depth bias (NDC); w unused.
    pub misc: [f32; 4],
}

const _: () = assert!(size_of::<FrameUniforms>() == 128);

/// The surface's grid, world mapping, vertical scale and style.
///
/// Keep in sync with `Surface` in shaders/surface.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct SurfaceUniforms {
    /// x0, y0, dx, dy.
    pub grid: [f32; 4],
    /// cx, cy, sx, sy: world = ((x − cx)·sx, (y − cy)·sy).
    pub world_xy: [f32; 4],
    /// lo, hi, log offset, log norm (0 = linear).
    pub scale: [f32; 4],
    /// world height, wireframe step (cells), contour levels, max |f| (diverging map).
    pub look: [f32; 4],
    /// nx, ny, colormap, flags (1 wireframe, 2 contours, 4 colours from the overlay texture,
    /// 8 cut below the z-range, 16 cut above it).
    pub dims: [u32; 4],
    /// The swarm's balls: colour (sRGB) and radius in pixels.
    pub swarm: [f32; 4],
}

const _: () = assert!(size_of::<SurfaceUniforms>() == 96);

/// One line segment. Keep in sync with the vertex inputs of shaders/lines.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct LineInstance {
    /// a.xyz, width in pixels.
    pub a_width: [f32; 4],
    /// b.xyz, dash period in pixels (0 = solid).
    pub b_dash: [f32; 4],
    pub color: [f32; 4],
}

const _: () = assert!(size_of::<LineInstance>() == 48);

impl From<&Line> for LineInstance {
    fn from(l: &Line) -> Self {
        Self {
            a_width: l.a_world.extend(l.width_px).to_array(),
            b_dash: l.b_world.extend(l.dash_px).to_array(),
            color: l.color,
        }
    }
}

/// One ball. Keep in sync with the vertex inputs of shaders/balls.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct BallInstance {
    /// centre xyz, radius in pixels.
    pub center_radius: [f32; 4],
    pub color: [f32; 4],
}

const _: () = assert!(size_of::<BallInstance>() == 32);

impl From<&Ball> for BallInstance {
    fn from(b: &Ball) -> Self {
        Self {
            center_radius: b.center_world.extend(b.radius_px).to_array(),
            color: b.color,
        }
    }
}

/// One vertex of a translucent triangle. Keep in sync with shaders/plane.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct PlaneVertex {
    /// xyz, 1.
    pub position: [f32; 4],
    pub color: [f32; 4],
}

const _: () = assert!(size_of::<PlaneVertex>() == 32);
