//! Evaluates generated WGSL `gs_eval(x, y)` on a regular grid in one compute pass, writing
//! `[f, df/dx, df/dy, 0]` per point into a storage buffer that the renderer can read in place
//! ([`GridLayout::Vec4`]), or `[f, df/dx, df/dy]` packed, the .npy layout ([`GridLayout::Packed`]).
//! Buffers larger than one storage binding are bound as row bands, one dispatch per band.

use super::context::GpuContext;
use super::error::{ErrorScopes, GpuError};
use super::kernel::{GeneratedKernel, KernelBuffer, KernelDesc, Piece};
use super::layout::{GridParams, GridPoint, QUIET_NAN_BITS};
use super::shaders::{GRID_ENTRY_POINT, GRID_PACKED_ENTRY_POINT, GRID_TEMPLATE, ShaderError};

/// Bytes per grid point in a [`GridLayout::Vec4`] output buffer (`vec4<f32>`).
pub const POINT_BYTES: u64 = size_of::<GridPoint>() as u64;

/// Invocations per workgroup along x; keep in sync with `@workgroup_size` in shaders/grid.wgsl.
const WORKGROUP_SIZE_X: u64 = 256;

/// Rows each invocation evaluates; keep in sync with `GS_ROWS_PER_INVOCATION` in
/// shaders/grid.wgsl.
const ROWS_PER_INVOCATION: u32 = 16;

/// How a grid's points are stored in its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridLayout {
    /// `vec4<f32>` `[f, df/dx, df/dy, 0]`: what the renderer pulls as vertices.
    Vec4,
    /// Three float32 `[f, df/dx, df/dy]`, 12 bytes a point: the .npy's layout, so `grid`
    /// writes a read-back band to disk as it is.
    Packed,
}

impl GridLayout {
    /// Bytes per grid point.
    pub const fn point_bytes(self) -> u64 {
        match self {
            GridLayout::Vec4 => POINT_BYTES,
            GridLayout::Packed => 12,
        }
    }

    /// Bytes of the array element the kernel indexes (a vec4, or one float): bounds the
    /// element indices of a binding to u32.
    const fn element_bytes(self) -> u64 {
        match self {
            GridLayout::Vec4 => POINT_BYTES,
            GridLayout::Packed => 4,
        }
    }

    fn entry_point(self) -> &'static str {
        match self {
            GridLayout::Vec4 => GRID_ENTRY_POINT,
            GridLayout::Packed => GRID_PACKED_ENTRY_POINT,
        }
    }

    /// The output's binding slot in shaders/grid.wgsl.
    fn binding(self) -> u32 {
        match self {
            GridLayout::Vec4 => 1,
            GridLayout::Packed => 2,
        }
    }
}

/// Which points to evaluate: `nx` columns from `x_range.0` to `x_range.1` inclusive, `ny` rows
/// likewise over `y_range`. A 1-D function uses `ny = 1`; its y is then `y_range.0` and unused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub nx: u32,
    pub ny: u32,
}

impl GridSpec {
    /// An `n` × `n` grid.
    pub fn square(x_range: (f64, f64), y_range: (f64, f64), n: u32) -> Self {
        Self {
            x_range,
            y_range,
            nx: n,
            ny: n,
        }
    }

    /// `n` points along x, for a 1-D function.
    pub fn line(x_range: (f64, f64), n: u32) -> Self {
        Self {
            x_range,
            y_range: (0.0, 0.0),
            nx: n,
            ny: 1,
        }
    }

    /// Number of grid points.
    pub fn points(&self) -> u64 {
        u64::from(self.nx) * u64::from(self.ny)
    }

    /// Size of a [`GridLayout::Vec4`] output buffer.
    pub fn bytes(&self) -> u64 {
        self.bytes_in(GridLayout::Vec4)
    }

    /// Size of the output buffer in `layout`.
    pub fn bytes_in(&self, layout: GridLayout) -> u64 {
        self.points() * layout.point_bytes()
    }

    /// x of column `j` in f64: `A + j·(B−A)/(nx−1)`, the CLI's definition.
    pub fn x(&self, j: u32) -> f64 {
        coordinate(self.x_range, self.nx, j)
    }

    /// y of row `i` in f64, like [`GridSpec::x`].
    pub fn y(&self, i: u32) -> f64 {
        coordinate(self.y_range, self.ny, i)
    }

    /// `(x0, y0, dx, dy)` in f32, as the kernel receives them.
    fn steps_f32(&self) -> Result<[f32; 4], GpuError> {
        if self.nx == 0 || self.ny == 0 {
            return Err(GpuError::InvalidGrid(format!(
                "the resolution must be at least 1 in each direction (got {} × {})",
                self.nx, self.ny
            )));
        }
        let step = |(a, b): (f64, f64), n: u32| {
            if n > 1 {
                (b - a) / f64::from(n - 1)
            } else {
                0.0
            }
        };
        let values = [
            self.x_range.0 as f32,
            self.y_range.0 as f32,
            step(self.x_range, self.nx) as f32,
            step(self.y_range, self.ny) as f32,
        ];
        let ends_finite = [self.x_range.1, self.y_range.1]
            .iter()
            .all(|end| (*end as f32).is_finite());
        if values.iter().all(|v| v.is_finite()) && ends_finite {
            Ok(values)
        } else {
            Err(GpuError::InvalidGrid(format!(
                "the ranges x {:?}, y {:?} must be finite in f32",
                self.x_range, self.y_range
            )))
        }
    }
}

fn coordinate((a, b): (f64, f64), n: u32, k: u32) -> f64 {
    if n > 1 {
        a + f64::from(k) * (b - a) / f64::from(n - 1)
    } else {
        a
    }
}

/// A run of whole rows that one storage binding covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    /// First grid row of the band.
    pub row0: u32,
    /// Number of rows.
    pub rows: u32,
}

impl Band {
    /// Byte offset of the band in the output buffer, given the points per row.
    pub fn byte_offset(&self, nx: u32, layout: GridLayout) -> u64 {
        u64::from(self.row0) * u64::from(nx) * layout.point_bytes()
    }

    /// Byte size of the band, given the points per row.
    pub fn byte_size(&self, nx: u32, layout: GridLayout) -> u64 {
        u64::from(self.rows) * u64::from(nx) * layout.point_bytes()
    }
}

/// The device limits band planning depends on (a plain struct so planning is testable
/// without a device).
#[derive(Clone, Copy, Debug)]
struct BandLimits {
    max_buffer_size: u64,
    max_binding_bytes: u64,
    offset_alignment: u64,
    /// Rows one dispatch covers at most (max_compute_workgroups_per_dimension).
    max_rows: u64,
}

/// Splits the grid into row bands that each fit one storage binding, with every band's byte
/// offset a multiple of the storage offset alignment.
fn plan_bands(
    spec: &GridSpec,
    limits: BandLimits,
    layout: GridLayout,
) -> Result<Vec<Band>, GpuError> {
    let total = spec.bytes_in(layout);
    if total > limits.max_buffer_size {
        return Err(GpuError::TooLarge {
            what: "the grid",
            bytes: total,
            limit: limits.max_buffer_size,
            limit_name: "max_buffer_size",
        });
    }
    // Keeps every element index the kernel computes inside u32.
    let binding_limit = limits
        .max_binding_bytes
        .min((u64::from(u32::MAX) / 2) * layout.element_bytes());
    if total <= binding_limit && u64::from(spec.ny) <= limits.max_rows {
        return Ok(vec![Band {
            row0: 0,
            rows: spec.ny,
        }]);
    }
    let row_bytes = u64::from(spec.nx) * layout.point_bytes();
    let alignment = limits.offset_alignment.max(1);
    // The smallest number of rows whose byte size is a multiple of the alignment.
    let granule_rows = alignment / gcd(row_bytes, alignment);
    let rows_per_band =
        (binding_limit / row_bytes).min(limits.max_rows.max(1)) / granule_rows * granule_rows;
    if rows_per_band == 0 {
        return Err(GpuError::TooLarge {
            what: "one aligned band of rows",
            bytes: granule_rows * row_bytes,
            limit: binding_limit,
            limit_name: "max_storage_buffer_binding_size",
        });
    }
    // rows_per_band <= ny here because the whole grid did not fit in one binding.
    let rows_per_band = u32::try_from(rows_per_band).unwrap_or(u32::MAX);
    let bands = (0..spec.ny)
        .step_by(rows_per_band as usize)
        .map(|row0| Band {
            row0,
            rows: rows_per_band.min(spec.ny - row0),
        })
        .collect();
    Ok(bands)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Workgroup counts `(x, y)` for one band: groups of 256 columns along x, a run of
/// [`ROWS_PER_INVOCATION`] rows per workgroup along y (the kernel maps them straight to
/// (column, rows), without a division).
fn dispatch_size(nx: u32, rows: u32, max_per_dimension: u32) -> Result<(u32, u32), GpuError> {
    let groups_x = u64::from(nx).div_ceil(WORKGROUP_SIZE_X).max(1);
    let max = u64::from(max_per_dimension.max(1));
    let groups_y = rows.div_ceil(ROWS_PER_INVOCATION).max(1);
    if groups_x > max || u64::from(rows) > max {
        return Err(GpuError::TooLarge {
            what: "one band's dispatch",
            bytes: u64::from(nx) * u64::from(rows) * POINT_BYTES,
            limit: max * WORKGROUP_SIZE_X * max * POINT_BYTES,
            limit_name: "max_compute_workgroups_per_dimension (256 columns × rows)",
        });
    }
    // Both are <= max_per_dimension, a u32.
    Ok((groups_x as u32, groups_y))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    /// sin(x·y) and its gradient, as the code generator would write it.
    const SIN_XY: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let t = x * y; let c = cos(t); return vec4<f32>(sin(t), y * c, x * c, 0.0); }";
    /// The same, with w = 1 so that a point the dispatch never wrote (left zero) shows.
    const SIN_XY_W1: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let t = x * y; let c = cos(t); return vec4<f32>(sin(t), y * c, x * c, 1.0); }";
    /// ln(x), NaN for x <= 0.
    const LN_X: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let ok = x > 0.0; return select(vec4<f32>(gs_nan()), vec4<f32>(log(x), 1.0 / x, 0.0, 0.0), ok); }";

    fn context() -> GpuContext {
        // No adapter must fail the test, never skip it.
        GpuContext::headless().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
    }

    /// Error bound for sin(x·y) at a grid point, with the f64 reference `[f, fx, fy]`.
    ///
    /// On the grids used here (ranges ±3, steps 6/256 and 6/4096) every x_j and y_i is exact
    /// in f32, so the device adds only (a) the rounding of t = x·y, ≤ 2^-24·|t|, which moves
    /// sin and cos by at most as much, and (b) its own sin/cos error, measured at ≈1.4e-6
    /// absolute on llvmpipe (TOOLCHAIN.md §2). Allowing 2e-6 for (b) and twice (a) gives
    /// `base`; the derivatives multiply cos(t) by y or x (one more rounding), hence the
    /// factor (1 + |y|) or (1 + |x|).
    fn sin_xy_tolerance(x: f64, y: f64) -> [f64; 3] {
        let base = 2e-6 + 2f64.powi(-23) * (x * y).abs();
        [base, base * (1.0 + y.abs()), base * (1.0 + x.abs())]
    }

    fn sin_xy_reference(x: f64, y: f64) -> [f64; 3] {
        let t = x * y;
        [t.sin(), y * t.cos(), x * t.cos()]
    }

    /// Returns the largest error/tolerance ratio over the given points (fails above 1).
    fn check_sin_xy(
        spec: &GridSpec,
        points: &[GridPoint],
        indices: impl Iterator<Item = (u32, u32)>,
    ) -> f64 {
        let mut worst: f64 = 0.0;
        for (i, j) in indices {
            let (x, y) = (spec.x(j), spec.y(i));
            let got = points[i as usize * spec.nx as usize + j as usize];
            let want = sin_xy_reference(x, y);
            let tol = sin_xy_tolerance(x, y);
            for k in 0..3 {
                let error = (f64::from(got[k]) - want[k]).abs();
                assert!(
                    error <= tol[k],
                    "component {k} at row {i}, column {j} (x={x}, y={y}): gpu {} vs f64 {} (error {error:e} > {:e})",
                    got[k],
                    want[k],
                    tol[k]
                );
                worst = worst.max(error / tol[k]);
            }
        }
        worst
    }

    #[test]
    fn sin_xy_257_matches_f64() {
        let ctx = context();
        let evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
        let spec = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), 257);
        let output = evaluator.evaluate(&spec).expect("evaluate");
        let points = output.read_back(&ctx).expect("read back");
        assert_eq!(points.len(), 257 * 257);
        let all = (0..spec.ny).flat_map(|i| (0..spec.nx).map(move |j| (i, j)));
        let worst = check_sin_xy(&spec, &points, all);
        eprintln!("sin(xy) 257²: worst error / tolerance = {worst:.3}");
        assert!(points.iter().all(|p| p[3] == 0.0));
    }

    #[test]
    fn ln_x_1d_is_nan_exactly_where_x_is_not_positive() {
        let ctx = context();
        let evaluator = GridEvaluator::new(&ctx, LN_X).expect("valid kernel");
        let spec = GridSpec::line((-1.0, 1.0), 201);
        let points = evaluator
            .evaluate(&spec)
            .and_then(|output| output.read_back(&ctx))
            .expect("evaluate and read back");
        assert_eq!(points.len(), 201);
        for (j, point) in points.iter().enumerate() {
            let x = spec.x(j as u32);
            if x <= 0.0 {
                assert!(point[..3].iter().all(|v| v.is_nan()), "x={x}: {point:?}");
            } else {
                assert!(point[..3].iter().all(|v| v.is_finite()), "x={x}: {point:?}");
                let (f, df) = (f64::from(point[0]), f64::from(point[1]));
                assert!(
                    (f - x.ln()).abs() <= 1e-6 * (1.0 + x.ln().abs()),
                    "x={x}: f={f}"
                );
                assert!((df - 1.0 / x).abs() <= 1e-6 / x, "x={x}: f'={df}");
            }
        }
    }

    #[test]
    fn non_finite_results_become_nan() {
        let ctx = context();
        // 1/x is +inf at x = 0 and exp(x) overflows f32: both must come out as NaN.
        let generated = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(1.0 / x, exp(x * 100.0), -exp(x * 100.0), 0.0); }";
        let evaluator = GridEvaluator::new(&ctx, generated).expect("valid kernel");
        let spec = GridSpec::line((-1.0, 1.0), 3);
        let points = evaluator.evaluate(&spec).unwrap().read_back(&ctx).unwrap();
        assert!(points[1][0].is_nan(), "1/0: {:?}", points[1]);
        assert!(
            points[2][1].is_nan() && points[2][2].is_nan(),
            "{:?}",
            points[2]
        );
        assert!(
            points[0][0] == -1.0 && points[0][1] == 0.0,
            "{:?}",
            points[0]
        );
    }

    fn same_bits(a: &[GridPoint], b: &[GridPoint]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(p, q)| {
                p.iter()
                    .zip(q)
                    .all(|(u, v)| u.to_bits() == v.to_bits() || (u.is_nan() && v.is_nan()))
            })
    }

    #[test]
    fn packed_points_in_small_bands_match_vec4_points_bit_for_bit() {
        let ctx = context();
        // ln(x)·y and its gradient, NaN where x <= 0, so holes travel through the packing too.
        let generated = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let ok = x > 0.0; \
             return select(vec4<f32>(gs_nan()), vec4<f32>(log(x) * y, y / x, log(x), 1.0), ok); }";
        // 300 rows: 18 runs of 16 rows and a run of 12 in each invocation's loop.
        let spec = GridSpec::square((-1.0, 3.0), (-2.0, 2.5), 300);
        let vec4 = GridEvaluator::new(&ctx, generated).expect("valid kernel");
        let packed = GridEvaluator::with_layout(&ctx, generated, GridLayout::Packed)
            .expect("valid kernel")
            .with_max_band_bytes(64 * 1024);
        let vec4_output = vec4.evaluate(&spec).unwrap();
        let packed_output = packed.evaluate(&spec).unwrap();
        assert_eq!(packed_output.layout(), GridLayout::Packed);
        assert_eq!(packed_output.byte_size(), 300 * 300 * 12);
        let bands = packed_output.bands();
        assert!(bands.len() > 10, "expected many bands, got {bands:?}");
        let alignment = u64::from(ctx.limits().min_storage_buffer_offset_alignment);
        for band in bands {
            assert_eq!(band.byte_offset(spec.nx, GridLayout::Packed) % alignment, 0);
            assert!(band.byte_size(spec.nx, GridLayout::Packed) <= 64 * 1024);
        }
        let want: Vec<GridPoint> = vec4_output
            .read_back(&ctx)
            .unwrap()
            .into_iter()
            .map(|[f, fx, fy, w]| {
                assert!(w == 1.0 || w.is_nan(), "every point was written");
                [f, fx, fy, 0.0]
            })
            .collect();
        let got = packed_output.read_back(&ctx).unwrap();
        assert!(got.iter().any(|p| p[0].is_nan()) && got.iter().any(|p| p[0].is_finite()));
        assert!(same_bits(&want, &got), "packed and vec4 grids differ");
    }

    #[test]
    fn forced_small_bands_match_one_band_bit_for_bit() {
        let ctx = context();
        let spec = GridSpec::square((-3.0, 3.0), (-2.0, 2.5), 300);
        let whole = GridEvaluator::new(&ctx, SIN_XY_W1).expect("valid kernel");
        let banded = GridEvaluator::new(&ctx, SIN_XY_W1)
            .expect("valid kernel")
            .with_max_band_bytes(64 * 1024);
        let whole_output = whole.evaluate(&spec).unwrap();
        let banded_output = banded.evaluate(&spec).unwrap();
        assert_eq!(whole_output.bands().len(), 1);
        let bands = banded_output.bands();
        assert!(bands.len() > 10, "expected many bands, got {bands:?}");
        let alignment = u64::from(ctx.limits().min_storage_buffer_offset_alignment);
        for band in bands {
            assert_eq!(
                band.byte_offset(spec.nx, GridLayout::Vec4) % alignment,
                0,
                "{band:?}"
            );
            assert!(
                band.byte_size(spec.nx, GridLayout::Vec4) <= 64 * 1024,
                "{band:?}"
            );
        }
        let a = whole_output.read_back(&ctx).unwrap();
        let b = banded_output.read_back(&ctx).unwrap();
        assert!(b.iter().all(|p| p[3] == 1.0), "every point was written");
        assert!(same_bits(&a, &b), "banded and unbanded grids differ");
    }

    #[test]
    fn grid_4097_squared_is_split_into_bands_and_correct() {
        let ctx = context();
        let evaluator = GridEvaluator::new(&ctx, SIN_XY_W1).expect("valid kernel");
        let n = 4097;
        let spec = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), n);
        assert!(spec.bytes() > 128 << 20);
        let started = std::time::Instant::now();
        let output = evaluator.evaluate(&spec).expect("evaluate");
        let points = output.read_back(&ctx).expect("read back");
        let elapsed = started.elapsed();
        let bands = output.bands().to_vec();
        let binding_limit = ctx.limits().max_storage_buffer_binding_size;
        if spec.bytes() > binding_limit {
            assert!(bands.len() >= 2, "{bands:?}");
        }
        assert_eq!(bands.iter().map(|b| b.rows).sum::<u32>(), n);
        eprintln!(
            "sin(xy) {n}²: {} bands {bands:?}, evaluate + read back {:.0} ms ({})",
            bands.len(),
            elapsed.as_secs_f64() * 1e3,
            ctx.adapter_summary()
        );

        // Every point was written (w = 1), and a few hundred are checked against f64: the
        // rows on both sides of each band boundary, the corners, and pseudo-random points.
        assert!(
            points.iter().all(|p| p[3] == 1.0),
            "some points were never written"
        );
        let mut samples: Vec<(u32, u32)> = Vec::new();
        for band in &bands {
            for i in [
                band.row0.saturating_sub(1),
                band.row0,
                band.row0 + band.rows - 1,
            ] {
                samples.extend([0, 1, n / 2, n - 2, n - 1].map(|j| (i, j)));
            }
        }
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300 {
            // xorshift64: deterministic, dependency-free sampling.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            samples.push((
                (state % u64::from(n)) as u32,
                ((state >> 32) % u64::from(n)) as u32,
            ));
        }
        let worst = check_sin_xy(&spec, &points, samples.into_iter());
        eprintln!("sin(xy) {n}²: worst error / tolerance on samples = {worst:.3}");
    }

    #[test]
    fn evaluate_into_reuses_the_buffer_and_follows_a_new_domain() {
        let ctx = context();
        let evaluator = GridEvaluator::new(&ctx, SIN_XY).unwrap();
        let first = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), 33);
        let mut output = evaluator.evaluate(&first).unwrap();
        let moved = GridSpec::square((-1.0, 2.0), (0.0, 1.0), 33);
        let before = output.buffer().clone();
        evaluator.evaluate_into(&moved, &mut output).unwrap();
        assert_eq!(output.buffer(), &before, "same size: the buffer is reused");
        assert_eq!(output.spec(), &moved);
        let fresh = evaluator.evaluate(&moved).unwrap().read_back(&ctx).unwrap();
        assert_eq!(output.read_back(&ctx).unwrap(), fresh);
        let bigger = GridSpec::square((-1.0, 2.0), (0.0, 1.0), 40);
        evaluator.evaluate_into(&bigger, &mut output).unwrap();
        assert_eq!(output.read_back(&ctx).unwrap().len(), 40 * 40);
    }

    #[test]
    fn pipeline_is_rebuilt_only_for_a_new_source() {
        let ctx = context();
        let mut evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
        assert_eq!(evaluator.pipeline_builds(), 1);
        evaluator.set_source(SIN_XY).unwrap();
        // Equal text in another allocation: the cache compares contents.
        let same_text = SIN_XY.to_string();
        evaluator.set_source(&same_text).unwrap();
        assert_eq!(evaluator.pipeline_builds(), 1);
        evaluator.set_source(LN_X).unwrap();
        assert_eq!(evaluator.pipeline_builds(), 2);
        assert_eq!(evaluator.source(), LN_X);
        evaluator.set_source(LN_X).unwrap();
        assert_eq!(evaluator.pipeline_builds(), 2);
        // The new pipeline is the one that runs.
        let points = evaluator
            .evaluate(&GridSpec::line((-1.0, 1.0), 3))
            .unwrap()
            .read_back(&ctx)
            .unwrap();
        assert!(points[0][0].is_nan() && points[2][0] == 0.0, "{points:?}");
    }

    #[test]
    fn invalid_source_is_an_error_and_keeps_the_old_pipeline() {
        let ctx = context();
        let broken = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(x); ";
        let error = GridEvaluator::new(&ctx, broken)
            .err()
            .expect("must not compile");
        assert!(matches!(error, ShaderError::Parse { .. }), "{error}");

        let missing = "fn not_gs_eval(x: f32) -> f32 { return x; }";
        let error = GridEvaluator::new(&ctx, missing)
            .err()
            .expect("must not compile");
        assert!(error.to_string().contains("gs_eval"), "{error}");

        let mut evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
        let wrong_type = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return x; }";
        assert!(evaluator.set_source(wrong_type).is_err());
        assert_eq!(evaluator.source(), SIN_XY);
        assert_eq!(evaluator.pipeline_builds(), 1);
        let points = evaluator
            .evaluate(&GridSpec::square((0.5, 1.0), (0.5, 1.0), 2))
            .unwrap()
            .read_back(&ctx)
            .unwrap();
        assert!((points[3][0] - 1f32.sin()).abs() < 1e-6, "{points:?}");
    }

    #[test]
    fn grid_beyond_max_buffer_size_is_refused_with_the_limit_named() {
        let ctx = context();
        let evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
        let spec = GridSpec::square((-1.0, 1.0), (-1.0, 1.0), 1 << 16); // 64 GiB
        let error = evaluator.evaluate(&spec).unwrap_err();
        assert!(matches!(
            error,
            GpuError::TooLarge {
                limit_name: "max_buffer_size",
                ..
            }
        ));
        assert!(error.to_string().contains("max_buffer_size"), "{error}");
    }

    #[test]
    fn invalid_specs_are_errors() {
        let zero = GridSpec::square((0.0, 1.0), (0.0, 1.0), 0);
        assert!(matches!(zero.steps_f32(), Err(GpuError::InvalidGrid(_))));
        let infinite = GridSpec::line((0.0, f64::INFINITY), 10);
        assert!(matches!(
            infinite.steps_f32(),
            Err(GpuError::InvalidGrid(_))
        ));
        let huge = GridSpec::line((0.0, 1e300), 10);
        assert!(matches!(huge.steps_f32(), Err(GpuError::InvalidGrid(_))));
        // One point: the step is zero, not a division by zero.
        let single = GridSpec::line((2.0, 5.0), 1);
        assert_eq!(single.steps_f32().unwrap(), [2.0, 0.0, 0.0, 0.0]);
        assert_eq!(single.x(0), 2.0);
    }

    const LAVAPIPE: BandLimits = BandLimits {
        max_buffer_size: (1 << 31) - 1,
        max_binding_bytes: 128 << 20,
        offset_alignment: 256,
        max_rows: 65535,
    };

    #[test]
    fn band_plan_for_4096_squared_on_lavapipe_limits_is_two_bands() {
        let spec = GridSpec::square((0.0, 1.0), (0.0, 1.0), 4096);
        let bands = plan_bands(&spec, LAVAPIPE, GridLayout::Vec4).unwrap();
        assert_eq!(
            bands,
            [
                Band {
                    row0: 0,
                    rows: 2048
                },
                Band {
                    row0: 2048,
                    rows: 2048
                }
            ]
        );
    }

    #[test]
    fn band_plan_aligns_offsets_and_covers_every_row() {
        for (nx, ny, cap) in [
            (300, 300, 64 << 10),
            (4097, 4097, 128 << 20),
            (1, 5000, 1024),
            // Packed rows of 84 bytes align every 64 rows (5376 bytes), vec4 ones every 16.
            (7, 1000, 6000),
        ] {
            let spec = GridSpec {
                x_range: (0.0, 1.0),
                y_range: (0.0, 1.0),
                nx,
                ny,
            };
            let limits = BandLimits {
                max_binding_bytes: cap,
                ..LAVAPIPE
            };
            for layout in [GridLayout::Vec4, GridLayout::Packed] {
                let bands = plan_bands(&spec, limits, layout).unwrap();
                let mut next_row = 0;
                for band in &bands {
                    let at = format!("{nx}×{ny} {layout:?}: {band:?}");
                    assert_eq!(band.row0, next_row);
                    assert!(band.rows > 0);
                    assert_eq!(band.byte_offset(nx, layout) % 256, 0, "{at}");
                    assert!(band.byte_size(nx, layout) <= cap, "{at}");
                    next_row += band.rows;
                }
                assert_eq!(next_row, ny);
            }
        }
    }

    #[test]
    fn band_plan_keeps_each_dispatch_within_the_row_limit() {
        // A tall, narrow grid fits one binding but not one dispatch (rows ≤ 65535).
        let spec = GridSpec {
            x_range: (0.0, 1.0),
            y_range: (0.0, 1.0),
            nx: 2,
            ny: 100_000,
        };
        let bands = plan_bands(&spec, LAVAPIPE, GridLayout::Vec4).unwrap();
        assert!(
            bands.len() >= 2 && bands.iter().all(|b| b.rows <= 65535),
            "{bands:?}"
        );
        assert_eq!(bands.iter().map(|b| b.rows).sum::<u32>(), 100_000);
    }

    #[test]
    fn band_plan_refuses_a_row_wider_than_a_binding() {
        let spec = GridSpec::square((0.0, 1.0), (0.0, 1.0), 1000); // 16000 B per row
        let limits = BandLimits {
            max_binding_bytes: 10_000,
            ..LAVAPIPE
        };
        let error = plan_bands(&spec, limits, GridLayout::Vec4).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("max_storage_buffer_binding_size"),
            "{error}"
        );
    }

    #[test]
    fn dispatch_respects_the_per_dimension_limit() {
        assert_eq!(dispatch_size(1, 1, 65535).unwrap(), (1, 1));
        // 2046 rows in runs of 16: 128 workgroups, the last one 14 rows.
        assert_eq!(dispatch_size(4097, 2046, 65535).unwrap(), (17, 128));
        assert_eq!(dispatch_size(4097, 16, 65535).unwrap(), (17, 1));
        assert_eq!(dispatch_size(4097, 17, 65535).unwrap(), (17, 2));
        let widest = (WORKGROUP_SIZE_X * 65535) as u32;
        assert_eq!(dispatch_size(widest, 1, 65535).unwrap(), (65535, 1));
        assert!(dispatch_size(widest + 1, 1, 65535).is_err());
        assert!(dispatch_size(10, 65536, 65535).is_err());
    }
}
