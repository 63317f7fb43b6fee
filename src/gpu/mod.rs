//! The GPU layer: device setup, the shader registry and compute work on wgpu. It receives
//! generated WGSL text and Pod data; it knows nothing of expressions, egui or winit.
//! Every generated kernel (the grid, the swarm) is a [`GeneratedKernel`]: template and splice,
//! pipeline cached by source, naga, layout, dispatch in pieces; each adds only its buffers.
//!
//! Evaluating a generated function on a grid and reading it back:
//!
//! ```no_run
//! use gradscape::gpu::{GpuContext, GridEvaluator, GridSpec};
//!
//! # fn main() -> Result<(), gradscape::gpu::GpuError> {
//! let ctx = GpuContext::headless()?;
//! // What the code generator emits for sin(x*y): (f, df/dx, df/dy, 0).
//! let generated = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { \
//!     let t = x * y; let c = cos(t); return vec4<f32>(sin(t), y * c, x * c, 0.0); }";
//! let evaluator = GridEvaluator::new(&ctx, generated)?;
//! let grid = evaluator.evaluate(&GridSpec::square((-3.0, 3.0), (-3.0, 3.0), 257))?;
//! let points = grid.read_back(&ctx)?; // [f, fx, fy, 0] at index row * 257 + column
//! assert_eq!(points.len(), 257 * 257);
//! # Ok(())
//! # }
//! ```

mod context;
mod data_rows;
mod error;
mod grid;
mod kernel;
mod layout;
mod readback;
pub mod shaders;
mod swarm;

pub use context::GpuContext;
pub use data_rows::DataRowsBinding;
pub use error::{ErrorScopes, GpuError, describe};
pub use grid::{Band, GridEvaluator, GridLayout, GridOutput, GridSpec, POINT_BYTES};
pub use kernel::{GeneratedKernel, KernelBuffer, KernelDesc, Piece, workgroup_rows};
pub use layout::{
    GridParams, GridPoint, QUIET_NAN_BITS, SwarmParams, SweptHyperparameter, Walker, walker_status,
};
pub use readback::ReadBack;
pub use shaders::ShaderError;
pub use swarm::{SWARM_TEMPLATE, SwarmKernel, SwarmRun, WALKER_BYTES};
