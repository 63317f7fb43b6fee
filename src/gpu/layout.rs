//! `#[repr(C)]` Pod structs shared with WGSL kernels, byte for byte.
//! Each one names the WGSL struct it mirrors and asserts its size at compile time, so a field
//! added on one side only fails the build instead of silently shifting the other fields.

use bytemuck::{Pod, Zeroable};

/// The bit pattern of the quiet NaN that kernels return through `gs_nan()`.
pub const QUIET_NAN_BITS: u32 = 0x7fc0_0000;

/// Uniform parameters of one grid band.
///
/// Keep in sync with `GsGridParams` in shaders/grid.wgsl.
#[repr(C)]
#[derive(Pod, Zeroable, Clone, Copy, Debug, PartialEq)]
pub struct GridParams {
    /// x of column 0.
    pub x0: f32,
    /// y of row 0 of the whole grid (not of the band).
    pub y0: f32,
    /// Step between columns.
    pub dx: f32,
    /// Step between rows.
    pub dy: f32,
    /// Points per row.
    pub nx: u32,
    /// First grid row of this band.
    pub row0: u32,
    /// Rows in this band.
    pub band_rows: u32,
    /// Always [`QUIET_NAN_BITS`]; the kernel bitcasts it because WGSL has no NaN literal.
    pub nan_bits: u32,
}

const _: () = assert!(size_of::<GridParams>() == 32);

/// One grid point as the kernel writes it: `[f, df/dx, df/dy, 0]` (`vec4<f32>`).
pub type GridPoint = [f32; 4];

const _: () = assert!(size_of::<GridPoint>() == 16);
