//! Many descents at once: the swarm kernel (shaders/swarm.wgsl) with a generated function and
//! optimizer step spliced in, walkers in a storage buffer that persists between dispatches, each
//! dispatch advancing every walker by up to K steps. It receives WGSL text and Pod walkers; what
//! the walkers mean (a basin map, a sweep, balls to draw) is decided above this layer.

use wgpu::util::DeviceExt;

use super::context::GpuContext;
use super::error::{ErrorScopes, GpuError};
use super::kernel::{GeneratedKernel, KernelBuffer, KernelDesc, Piece, workgroup_rows};
use super::layout::{QUIET_NAN_BITS, SwarmParams, Walker};
use super::readback::map_for_reading;
use super::shaders::ShaderError;

/// The swarm kernel; generated code replaces its marker line.
pub const SWARM_TEMPLATE: &str = include_str!("../../shaders/swarm.wgsl");
/// Entry point of [`SWARM_TEMPLATE`].
pub const SWARM_ENTRY_POINT: &str = "gs_swarm_main";
/// Bytes per walker in the state buffer.
pub const WALKER_BYTES: u64 = size_of::<Walker>() as u64;
/// Invocations per workgroup; keep in sync with `@workgroup_size` in shaders/swarm.wgsl.
const WORKGROUP_SIZE: u64 = 256;

/// The swarm kernel for one generated (function, optimizer) pair; the pipeline is rebuilt only
/// when [`SwarmKernel::set_source`] gets a different text.
pub struct SwarmKernel {
    kernel: GeneratedKernel,
}

/// Walkers on the GPU with the parameters they run under: the state that persists between
/// dispatches. Its buffer can be bound by a renderer too (usage STORAGE | VERTEX | COPY_SRC).
pub struct SwarmRun {
    walkers: wgpu::Buffer,
    uniform: wgpu::Buffer,
    bind_group: wgpu::BindGroup,
    params: SwarmParams,
    dispatch: (u32, u32),
}

impl SwarmKernel {
    /// Compiles the kernel with `generated` (the function's `gs_eval`, `hess` where the step needs
    /// it, and a `gs_step`) spliced in; naga validates it before the device sees it.
    pub fn new(ctx: &GpuContext, generated: &str) -> Result<Self, ShaderError> {
        let desc = KernelDesc {
            label: "swarm",
            template: SWARM_TEMPLATE,
            entry_point: SWARM_ENTRY_POINT,
            buffers: vec![
                KernelBuffer::uniform(0, size_of::<SwarmParams>() as u64),
                KernelBuffer::storage(1, WALKER_BYTES),
            ],
        };
        Ok(Self {
            kernel: GeneratedKernel::new(ctx, desc, generated)?,
        })
    }

    /// The rows a data objective's generated code reads; None for a closed-form function.
    pub fn set_data(&mut self, values: Option<&[f32]>) {
        self.kernel.set_data(values);
    }

    /// Switches to another function or optimizer; the same text keeps the current pipeline, and
    /// on error the previous one stays in use.
    pub fn set_source(&mut self, generated: &str) -> Result<(), ShaderError> {
        self.kernel.set_source(generated)
    }

    /// How many pipelines this kernel has compiled (1 after `new`).
    pub fn pipeline_builds(&self) -> u64 {
        self.kernel.pipeline_builds()
    }

    /// The most walkers one run can hold on this device (one storage binding).
    pub fn max_walkers(&self) -> u64 {
        let limits = self.kernel.device().limits();
        let binding = limits
            .max_storage_buffer_binding_size
            .min(limits.max_buffer_size);
        (binding / WALKER_BYTES).min(u64::from(u32::MAX))
    }

    /// Puts `walkers` on the GPU to run under `params` (its `count`, `row_walkers` and `nan_bits`
    /// are filled in here). Nothing runs until [`SwarmKernel::advance`].
    pub fn upload(
        &self,
        walkers: &[Walker],
        mut params: SwarmParams,
    ) -> Result<SwarmRun, GpuError> {
        if walkers.is_empty() {
            return Err(GpuError::InvalidGrid(
                "a swarm needs at least one walker".into(),
            ));
        }
        let count = walkers.len() as u64;
        if count > self.max_walkers() {
            return Err(GpuError::TooLarge {
                what: "the swarm's walkers",
                bytes: count * WALKER_BYTES,
                limit: self.max_walkers() * WALKER_BYTES,
                limit_name: "max_storage_buffer_binding_size",
            });
        }
        let device = self.kernel.device();
        let max_groups = device.limits().max_compute_workgroups_per_dimension;
        let Some((groups_x, groups_y)) = workgroup_rows(count.div_ceil(WORKGROUP_SIZE), max_groups)
        else {
            return Err(GpuError::TooLarge {
                what: "the swarm's dispatch",
                bytes: count * WALKER_BYTES,
                limit: u64::from(max_groups).pow(2) * WORKGROUP_SIZE * WALKER_BYTES,
                limit_name: "max_compute_workgroups_per_dimension",
            });
        };
        // count fits in u32 (max_walkers), and so does a row of at most count + 255 walkers.
        params.count = count as u32;
        params.row_walkers = (u64::from(groups_x) * WORKGROUP_SIZE) as u32;
        params.nan_bits = QUIET_NAN_BITS;

        let scopes = ErrorScopes::push(device);
        let walker_buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("swarm walkers"),
            contents: bytemuck::cast_slice(walkers),
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_SRC
                | wgpu::BufferUsages::COPY_DST
                | wgpu::BufferUsages::VERTEX,
        });
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("swarm params"),
            contents: bytemuck::bytes_of(&params),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        });
        scopes.finish("allocating the swarm's buffers")?;
        let bind_group = self
            .kernel
            .bind_group(&[(0, &uniform, 0, None), (1, &walker_buffer, 0, None)]);
        Ok(SwarmRun {
            walkers: walker_buffer,
            uniform,
            bind_group,
            params,
            dispatch: (groups_x, groups_y),
        })
    }

    /// Submits one dispatch that advances every running walker by up to `steps` steps (and
    /// evaluates row 0 of walkers just uploaded). Not awaited: queue order does the rest.
    pub fn advance(&self, run: &mut SwarmRun, steps: u32) -> Result<(), GpuError> {
        run.params.steps = steps;
        let scopes = ErrorScopes::push(self.kernel.device());
        self.kernel
            .queue()
            .write_buffer(&run.uniform, 0, bytemuck::bytes_of(&run.params));
        scopes.finish("advancing the swarm")?;
        let piece = Piece {
            bind_group: &run.bind_group,
            workgroups: run.dispatch,
        };
        self.kernel.dispatch(&[piece], "advancing the swarm")
    }

    /// Copies the walkers to the CPU, waiting for the GPU to finish what was submitted.
    pub fn read_back(&self, run: &SwarmRun) -> Result<Vec<Walker>, GpuError> {
        let bytes = run.walkers.size();
        let (device, queue) = (self.kernel.device(), self.kernel.queue());
        let scopes = ErrorScopes::push(device);
        let staging = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("swarm read-back"),
            size: bytes,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("swarm read-back"),
        });
        encoder.copy_buffer_to_buffer(&run.walkers, 0, &staging, 0, Some(bytes));
        queue.submit([encoder.finish()]);
        let mapped = map_for_reading(device, staging.slice(..), None);
        scopes.finish("reading the swarm back")?;
        mapped?;
        let mut walkers = vec![Walker::new([0.0; 2], 0.0, 0.0); run.params.count as usize];
        {
            // Copied rather than cast in place: the mapped bytes carry no alignment promise.
            let view = staging.get_mapped_range(..)?;
            bytemuck::cast_slice_mut::<Walker, u8>(&mut walkers).copy_from_slice(&view);
        }
        staging.unmap();
        Ok(walkers)
    }
}

impl SwarmRun {
    /// The walker buffer (`Walker`s, 64 bytes each), for a renderer to draw from.
    pub fn buffer(&self) -> &wgpu::Buffer {
        &self.walkers
    }

    /// Walkers in the run.
    pub fn count(&self) -> u32 {
        self.params.count
    }

    /// The parameters the walkers run under.
    pub fn params(&self) -> &SwarmParams {
        &self.params
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::layout::walker_status;

    /// f = x² + 3y² with its gradient, and plain gradient descent.
    const BOWL: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(x * x + 3.0 * y * y, 2.0 * x, 6.0 * y, 0.0); }
fn gs_step(w: ptr<function, GsWalker>, h: GsHyper) -> bool { (*w).pos = (*w).pos + (-h.lr) * (*w).grad; return true; }";

    fn context() -> GpuContext {
        // No adapter must fail the test, never skip it.
        GpuContext::headless().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
    }

    fn params(max_steps: u32, tol: f32) -> SwarmParams {
        SwarmParams {
            hyper_a: [0.0, 0.9, 0.99, 0.9],
            hyper_b: [0.999, 1e-8, tol, 0.9],
            hyper_c: [0.0, 4e-3, 0.0, 0.0],
            count: 0,
            steps: 0,
            max_steps,
            swept: 0,
            dims: 2,
            nan_bits: QUIET_NAN_BITS,
            row_walkers: 0,
            switches: 0,
        }
    }

    #[test]
    fn sgd_walkers_follow_the_closed_form_across_dispatches() {
        let ctx = context();
        let kernel = SwarmKernel::new(&ctx, BOWL).unwrap();
        // x_k = x0 (1 - 2 lr)^k, y_k = y0 (1 - 6 lr)^k.
        let lr = 0.05_f32;
        let starts = [[1.0_f32, 1.0], [-2.0, 0.5], [0.25, -3.0]];
        let walkers: Vec<Walker> = starts.iter().map(|&p| Walker::new(p, lr, 0.0)).collect();
        let mut run = kernel.upload(&walkers, params(10, -1.0)).unwrap();
        kernel.advance(&mut run, 4).unwrap();
        let after4 = kernel.read_back(&run).unwrap();
        kernel.advance(&mut run, 4).unwrap();
        kernel.advance(&mut run, 4).unwrap();
        let after10 = kernel.read_back(&run).unwrap();
        for (k, start) in starts.iter().enumerate() {
            let w = after4[k];
            assert_eq!((w.steps, w.status), (4, walker_status::RUNNING));
            let expect = |k: i32| {
                [
                    start[0] * (1.0 - 2.0 * lr).powi(k),
                    start[1] * (1.0 - 6.0 * lr).powi(k),
                ]
            };
            for (got, want) in w.pos.iter().zip(expect(4)) {
                assert!((got - want).abs() <= 1e-6 * want.abs().max(1.0), "{w:?}");
            }
            let w = after10[k];
            assert_eq!((w.steps, w.status), (10, walker_status::MAX_STEPS), "{w:?}");
            for (got, want) in w.pos.iter().zip(expect(10)) {
                assert!((got - want).abs() <= 1e-6 * want.abs().max(1.0), "{w:?}");
            }
            let f = w.pos[0] * w.pos[0] + 3.0 * w.pos[1] * w.pos[1];
            assert!((w.value - f).abs() <= 1e-6 * f.max(1e-6));
        }
    }

    #[test]
    fn stop_rules_converged_and_diverged() {
        let ctx = context();
        let kernel = SwarmKernel::new(&ctx, BOWL).unwrap();
        // lr 0.5 on the bowl: x lands on 0 in one step but y flips and grows (1 - 3 = -2).
        let walkers = [
            Walker::new([1.0, 0.0], 0.5, 0.0),
            Walker::new([0.0, 1.0], 0.5, 0.0),
            Walker::new([0.0, 0.0], 0.5, 0.0),
        ];
        let mut run = kernel.upload(&walkers, params(1000, 1e-6)).unwrap();
        kernel.advance(&mut run, 1000).unwrap();
        let out = kernel.read_back(&run).unwrap();
        assert_eq!((out[0].status, out[0].steps), (walker_status::CONVERGED, 1));
        assert_eq!(out[1].status, walker_status::DIVERGED, "{:?}", out[1]);
        assert!(out[1].steps > 50 && out[1].steps < 200, "{:?}", out[1]);
        // Converged at row 0: no step taken.
        assert_eq!((out[2].status, out[2].steps), (walker_status::CONVERGED, 0));
    }
}
