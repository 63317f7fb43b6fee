//! Evaluates generated WGSL `gs_eval(x, y)` on a regular grid in one compute pass, writing
//! `[f, df/dx, df/dy, 0]` per point into a storage buffer that the renderer can read in place
//! ([`GridLayout::Vec4`]), or `[f, df/dx, df/dy]` packed, the .npy layout ([`GridLayout::Packed`]).
//! Buffers larger than one storage binding are bound as row bands, one dispatch per band.

mod bands;
mod spec;
#[cfg(test)]
mod tests;

pub use bands::Band;
pub use spec::{GridLayout, GridSpec, POINT_BYTES};

use super::context::GpuContext;
use super::error::{ErrorScopes, GpuError};
use super::kernel::{GeneratedKernel, KernelBuffer, KernelDesc, Piece};
use super::layout::{GridParams, GridPoint, QUIET_NAN_BITS};
use super::shaders::{GRID_TEMPLATE, ShaderError};
use bands::{BandLimits, dispatch_size, plan_bands};

/// Evaluates one generated function on grids; holds its compute pipeline.
///
/// The pipeline is cached by the generated source: [`GridEvaluator::set_source`] with the same
/// text is free, a new text compiles a new pipeline.
pub struct GridEvaluator {
    kernel: GeneratedKernel,
    max_band_bytes: Option<u64>,
    layout: GridLayout,
}

impl GridEvaluator {
    /// Compiles `generated` (WGSL defining `gs_eval`) into the grid kernel writing
    /// [`GridLayout::Vec4`] points.
    pub fn new(ctx: &GpuContext, generated: &str) -> Result<Self, ShaderError> {
        Self::with_layout(ctx, generated, GridLayout::Vec4)
    }

    /// Compiles `generated` into the grid kernel that stores points in `layout`.
    pub fn with_layout(
        ctx: &GpuContext,
        generated: &str,
        layout: GridLayout,
    ) -> Result<Self, ShaderError> {
        let desc = KernelDesc {
            label: "grid",
            template: GRID_TEMPLATE,
            entry_point: layout.entry_point(),
            buffers: vec![
                KernelBuffer::uniform(0, size_of::<GridParams>() as u64),
                KernelBuffer::storage(layout.binding(), layout.point_bytes()),
            ],
        };
        Ok(Self {
            kernel: GeneratedKernel::new(ctx, desc, generated)?,
            max_band_bytes: None,
            layout,
        })
    }

    /// The rows a data objective's generated code reads (`Function::data_values_f32`); None
    /// for a closed-form function. Set it with the source it belongs to.
    pub fn set_data(&mut self, values: Option<&[f32]>) {
        self.kernel.set_data(values);
    }

    /// Caps the bytes bound per band below the device's `max_storage_buffer_binding_size`.
    /// Tests use it to exercise banding on small grids; it also bounds the size of each
    /// dispatch. Values are still rounded down to whole, aligned rows.
    pub fn with_max_band_bytes(mut self, bytes: u64) -> Self {
        self.max_band_bytes = Some(bytes);
        self
    }

    /// Switches to another generated function. The same text as now keeps the current
    /// pipeline; on error the previous pipeline stays in use.
    pub fn set_source(&mut self, generated: &str) -> Result<(), ShaderError> {
        self.kernel.set_source(generated)
    }

    /// The generated source of the current pipeline.
    pub fn source(&self) -> &str {
        self.kernel.source()
    }

    /// How the kernel stores points.
    pub fn layout(&self) -> GridLayout {
        self.layout
    }

    /// How many pipelines this evaluator has compiled (1 after `new`).
    pub fn pipeline_builds(&self) -> u64 {
        self.kernel.pipeline_builds()
    }

    /// The bands `evaluate` would use for `spec` on this device.
    pub fn plan(&self, spec: &GridSpec) -> Result<Vec<Band>, GpuError> {
        let limits = self.kernel.device().limits();
        let max_binding_bytes = self
            .max_band_bytes
            .map_or(limits.max_storage_buffer_binding_size, |cap| {
                cap.min(limits.max_storage_buffer_binding_size)
            });
        plan_bands(
            spec,
            BandLimits {
                max_buffer_size: limits.max_buffer_size,
                max_binding_bytes,
                offset_alignment: u64::from(limits.min_storage_buffer_offset_alignment),
                max_rows: u64::from(limits.max_compute_workgroups_per_dimension),
            },
            self.layout,
        )
    }

    /// Evaluates the function on `spec` into a new GPU buffer. The work is submitted, not
    /// awaited: a renderer can use [`GridOutput::buffer`] right away, queue order does the rest.
    pub fn evaluate(&self, spec: &GridSpec) -> Result<GridOutput, GpuError> {
        let output = self.allocate(spec)?;
        self.dispatch(&output)?;
        Ok(output)
    }

    /// Evaluates into an existing output, reusing its buffer when the grid has the same
    /// number of points (a new function, a moved domain): allocating and zero-filling a
    /// 256 MiB buffer costs more than evaluating into it on a software rasteriser.
    pub fn evaluate_into(&self, spec: &GridSpec, output: &mut GridOutput) -> Result<(), GpuError> {
        if output.spec.nx == spec.nx
            && output.spec.ny == spec.ny
            && output.layout == self.layout
            && output.bands == self.plan(spec)?
        {
            spec.steps_f32()?;
            output.spec = *spec;
        } else {
            *output = self.allocate(spec)?;
        }
        self.dispatch(output)
    }

    /// A buffer for `spec`'s grid, not yet written.
    fn allocate(&self, spec: &GridSpec) -> Result<GridOutput, GpuError> {
        spec.steps_f32()?;
        let bands = self.plan(spec)?;
        // Allocation gets its own scope, so running out of memory is reported as such rather
        // than as the validation errors that using the failed buffer would raise next.
        let device = self.kernel.device();
        let scopes = ErrorScopes::push(device);
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("grid output"),
            size: spec.bytes_in(self.layout),
            // VERTEX as well: a renderer may read the grid as a vertex buffer, which has no
            // binding-size limit, instead of pulling it through storage bindings in bands.
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::VERTEX,
            mapped_at_creation: false,
        });
        scopes.finish("allocating the grid buffer")?;
        Ok(GridOutput {
            buffer,
            spec: *spec,
            bands,
            layout: self.layout,
        })
    }

    /// Records and submits the kernel over `output`'s spec, one dispatch per band.
    fn dispatch(&self, output: &GridOutput) -> Result<(), GpuError> {
        let (spec, bands, buffer) = (&output.spec, &output.bands, &output.buffer);
        let [x0, y0, dx, dy] = spec.steps_f32()?;
        let max_groups = self
            .kernel
            .device()
            .limits()
            .max_compute_workgroups_per_dimension;
        let dispatches = bands
            .iter()
            .map(|band| dispatch_size(spec.nx, band.rows, max_groups))
            .collect::<Result<Vec<_>, _>>()?;
        // One GridParams per band, each bound at its own aligned offset.
        let params: Vec<GridParams> = bands
            .iter()
            .map(|band| GridParams {
                x0,
                y0,
                dx,
                dy,
                nx: spec.nx,
                row0: band.row0,
                band_rows: band.rows,
                nan_bits: QUIET_NAN_BITS,
            })
            .collect();
        let (uniforms, stride) = self.kernel.piece_uniforms(&params);
        let params_bytes = size_of::<GridParams>() as u64;
        let bind_groups: Vec<wgpu::BindGroup> = bands
            .iter()
            .enumerate()
            .map(|(k, band)| {
                self.kernel.bind_group(&[
                    (0, &uniforms, k as u64 * stride, Some(params_bytes)),
                    (
                        self.layout.binding(),
                        buffer,
                        band.byte_offset(spec.nx, self.layout),
                        Some(band.byte_size(spec.nx, self.layout)),
                    ),
                ])
            })
            .collect();
        let pieces: Vec<Piece<'_>> = bind_groups
            .iter()
            .zip(dispatches)
            .map(|(bind_group, workgroups)| Piece {
                bind_group,
                workgroups,
            })
            .collect();
        self.kernel.dispatch(&pieces, "evaluating the grid")
    }
}

/// A grid evaluated on the GPU: `spec.points()` points, row-major (row i = y_i, column j = x_j
/// at point `i * nx + j`), each `[f, df/dx, df/dy, 0]` (`vec4<f32>`) or `[f, df/dx, df/dy]`
/// (packed) as its [`GridLayout`] says; non-finite values are NaN.
#[derive(Debug)]
pub struct GridOutput {
    buffer: wgpu::Buffer,
    spec: GridSpec,
    bands: Vec<Band>,
    layout: GridLayout,
}

impl GridOutput {
    /// How the points are stored.
    pub fn layout(&self) -> GridLayout {
        self.layout
    }

    /// Bytes of the evaluated points (the buffer may be no larger).
    pub fn byte_size(&self) -> u64 {
        self.spec.bytes_in(self.layout)
    }

    /// The storage buffer (usages STORAGE | COPY_SRC | VERTEX), for rendering without a CPU
    /// round trip.
    pub fn buffer(&self) -> &wgpu::Buffer {
        &self.buffer
    }

    /// What was evaluated.
    pub fn spec(&self) -> &GridSpec {
        &self.spec
    }

    /// The row bands the buffer was bound in (one for grids that fit a single binding);
    /// a renderer that pulls through storage bindings can reuse the same split.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// Copies the grid to the CPU, waiting for the GPU to finish; packed points come back
    /// as `[f, df/dx, df/dy, 0]` too.
    pub fn read_back(&self, ctx: &GpuContext) -> Result<Vec<GridPoint>, GpuError> {
        let bytes = self.byte_size();
        let scopes = ErrorScopes::push(&ctx.device);
        let staging = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("grid read-back"),
            size: bytes,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        scopes.finish("allocating the read-back buffer")?;

        let scopes = ErrorScopes::push(&ctx.device);
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("grid read-back"),
            });
        encoder.copy_buffer_to_buffer(&self.buffer, 0, &staging, 0, Some(bytes));
        ctx.queue.submit([encoder.finish()]);
        let mapped = super::readback::map_for_reading(&ctx.device, staging.slice(..), None);
        scopes.finish("reading the grid back")?;
        mapped?;

        let points = {
            // Collected rather than cast in place: the mapped bytes carry no alignment promise.
            let view = staging.get_mapped_range(..)?;
            match self.layout {
                GridLayout::Vec4 => bytemuck::pod_collect_to_vec::<u8, GridPoint>(&view),
                GridLayout::Packed => bytemuck::pod_collect_to_vec::<u8, [f32; 3]>(&view)
                    .into_iter()
                    .map(|[f, fx, fy]| [f, fx, fy, 0.0])
                    .collect(),
            }
        };
        staging.unmap();
        Ok(points)
    }
}
