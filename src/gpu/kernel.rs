//! One generated compute kernel: a WGSL template whose marker line takes generated code, the
//! pipeline for it (naga-validated, cached by the generated text), group 0 laid out from the
//! kernel's own buffers, group 1 the data rows, and dispatch in pieces within the device's limits.
//! The grid and the swarm are two of these; a new kernel describes only its buffers and entry point.

use wgpu::util::DeviceExt;

use super::context::GpuContext;
use super::data_rows::DataRowsBinding;
use super::error::{ErrorScopes, GpuError};
use super::shaders::{self, ShaderError};

/// What a kernel is: its template, entry point and the buffers of its group 0.
#[derive(Clone, Debug)]
pub struct KernelDesc {
    /// Names the layout, pipeline and passes in wgpu's messages ("grid", "swarm").
    pub label: &'static str,
    /// WGSL with one [`shaders::GENERATED_MARKER`] line.
    pub template: &'static str,
    pub entry_point: &'static str,
    /// Group 0's bindings.
    pub buffers: Vec<KernelBuffer>,
}

/// One buffer binding of group 0.
#[derive(Clone, Copy, Debug)]
pub struct KernelBuffer {
    pub binding: u32,
    pub kind: wgpu::BufferBindingType,
    /// The smallest binding the kernel accepts (its Pod struct, or one element).
    pub min_bytes: u64,
}

impl KernelBuffer {
    /// A uniform of `min_bytes` (a Pod parameters struct).
    pub fn uniform(binding: u32, min_bytes: u64) -> Self {
        Self {
            binding,
            kind: wgpu::BufferBindingType::Uniform,
            min_bytes,
        }
    }

    /// A read-write storage buffer of at least `min_bytes`.
    pub fn storage(binding: u32, min_bytes: u64) -> Self {
        Self {
            binding,
            kind: wgpu::BufferBindingType::Storage { read_only: false },
            min_bytes,
        }
    }
}

/// One dispatch of a kernel: its group 0 and its workgroup counts (x, y).
pub struct Piece<'a> {
    pub bind_group: &'a wgpu::BindGroup,
    pub workgroups: (u32, u32),
}

/// A kernel with generated code spliced in; [`GeneratedKernel::set_source`] with the same text
/// keeps the pipeline, a new text compiles a new one.
pub struct GeneratedKernel {
    device: wgpu::Device,
    queue: wgpu::Queue,
    desc: KernelDesc,
    bind_group_layout: wgpu::BindGroupLayout,
    pipeline_layout: wgpu::PipelineLayout,
    source: String,
    pipeline: wgpu::ComputePipeline,
    pipeline_builds: u64,
    /// A data objective's rows (group 1), read by the generated code of a mean over them.
    data: DataRowsBinding,
}

impl GeneratedKernel {
    /// Compiles `desc`'s template with `generated` spliced in; naga validates it before the
    /// device sees it.
    pub fn new(ctx: &GpuContext, desc: KernelDesc, generated: &str) -> Result<Self, ShaderError> {
        let device = ctx.device.clone();
        let entries: Vec<wgpu::BindGroupLayoutEntry> = desc
            .buffers
            .iter()
            .map(|b| wgpu::BindGroupLayoutEntry {
                binding: b.binding,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: b.kind,
                    has_dynamic_offset: false,
                    min_binding_size: wgpu::BufferSize::new(b.min_bytes),
                },
                count: None,
            })
            .collect();
        let bind_group_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some(desc.label),
            entries: &entries,
        });
        let data = DataRowsBinding::new(&device);
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some(desc.label),
            bind_group_layouts: &[Some(&bind_group_layout), Some(data.layout())],
            immediate_size: 0,
        });
        let pipeline = build_pipeline(&device, &pipeline_layout, &desc, generated)?;
        Ok(Self {
            device,
            queue: ctx.queue.clone(),
            desc,
            bind_group_layout,
            pipeline_layout,
            source: generated.to_owned(),
            pipeline,
            pipeline_builds: 1,
            data,
        })
    }

    /// Switches to other generated code; the same text as now keeps the current pipeline, and
    /// on error the previous one stays in use.
    pub fn set_source(&mut self, generated: &str) -> Result<(), ShaderError> {
        if generated == self.source {
            return Ok(());
        }
        self.pipeline = build_pipeline(&self.device, &self.pipeline_layout, &self.desc, generated)?;
        self.source = generated.to_owned();
        self.pipeline_builds += 1;
        Ok(())
    }

    /// The generated code of the current pipeline.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// How many pipelines this kernel has compiled (1 after `new`).
    pub fn pipeline_builds(&self) -> u64 {
        self.pipeline_builds
    }

    /// The rows a data objective's generated code reads; None for a closed-form function.
    pub fn set_data(&mut self, values: Option<&[f32]>) {
        self.data.set_values(&self.device, values);
    }

    pub fn device(&self) -> &wgpu::Device {
        &self.device
    }

    pub fn queue(&self) -> &wgpu::Queue {
        &self.queue
    }

    /// Group 0 over `buffers`: (binding, buffer, byte offset, byte size; None to its end).
    pub fn bind_group(
        &self,
        buffers: &[(u32, &wgpu::Buffer, u64, Option<u64>)],
    ) -> wgpu::BindGroup {
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .map(|&(binding, buffer, offset, size)| wgpu::BindGroupEntry {
                binding,
                resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                    buffer,
                    offset,
                    size: size.and_then(wgpu::BufferSize::new),
                }),
            })
            .collect();
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(self.desc.label),
            layout: &self.bind_group_layout,
            entries: &entries,
        })
    }

    /// One uniform buffer holding `params[k]` at `k * stride`, each offset one the device's
    /// uniform alignment allows: every piece of a dispatch reads its own parameters.
    pub fn piece_uniforms<P: bytemuck::Pod>(&self, params: &[P]) -> (wgpu::Buffer, u64) {
        let alignment = self
            .device
            .limits()
            .min_uniform_buffer_offset_alignment
            .max(1);
        let stride = (size_of::<P>() as u64).next_multiple_of(u64::from(alignment));
        let mut bytes = vec![0u8; params.len() * stride as usize];
        for (p, chunk) in params.iter().zip(bytes.chunks_mut(stride as usize)) {
            chunk[..size_of::<P>()].copy_from_slice(bytemuck::bytes_of(p));
        }
        let buffer = self
            .device
            .create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(self.desc.label),
                contents: &bytes,
                usage: wgpu::BufferUsages::UNIFORM,
            });
        (buffer, stride)
    }

    /// Records one compute pass over `pieces` (one dispatch each, the data rows bound to all)
    /// and submits it; not awaited, queue order does the rest. `what` names the work in errors.
    pub fn dispatch(&self, pieces: &[Piece<'_>], what: &'static str) -> Result<(), GpuError> {
        let scopes = ErrorScopes::push(&self.device);
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some(self.desc.label),
            });
        {
            let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor {
                label: Some(self.desc.label),
                timestamp_writes: None,
            });
            pass.set_pipeline(&self.pipeline);
            pass.set_bind_group(1, self.data.bind_group(), &[]);
            for piece in pieces {
                pass.set_bind_group(0, piece.bind_group, &[]);
                pass.dispatch_workgroups(piece.workgroups.0, piece.workgroups.1, 1);
            }
        }
        self.queue.submit([encoder.finish()]);
        scopes.finish(what)
    }
}

/// Workgroups `(x, y)` covering `groups` workgroups: one row while it fits the per-dimension
/// limit, then more rows (the kernel flattens the two). None when even that is too few.
pub fn workgroup_rows(groups: u64, max_per_dimension: u32) -> Option<(u32, u32)> {
    let max = u64::from(max_per_dimension.max(1));
    let groups = groups.max(1);
    let groups_x = groups.min(max);
    let groups_y = groups.div_ceil(groups_x);
    // Both are <= max, a u32.
    (groups_y <= max).then_some((groups_x as u32, groups_y as u32))
}

fn build_pipeline(
    device: &wgpu::Device,
    layout: &wgpu::PipelineLayout,
    desc: &KernelDesc,
    generated: &str,
) -> Result<wgpu::ComputePipeline, ShaderError> {
    let source = shaders::splice(desc.template, generated)?;
    shaders::create_compute_pipeline(device, desc.label, &source, desc.entry_point, layout)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::readback::map_for_reading;

    /// A third kernel, described by its buffers and entry point alone: `gs_value` (generated)
    /// applied to every element of a storage buffer.
    const MAP_TEMPLATE: &str = "@group(0) @binding(0) var<storage, read_write> values: array<f32>;
//#GENERATED
@compute @workgroup_size(64)
fn map_main(@builtin(global_invocation_id) id: vec3<u32>) {
    if id.x < arrayLength(&values) { values[id.x] = gs_value(values[id.x]); }
}
";

    fn map_kernel(ctx: &GpuContext, generated: &str) -> Result<GeneratedKernel, ShaderError> {
        let desc = KernelDesc {
            label: "map",
            template: MAP_TEMPLATE,
            entry_point: "map_main",
            buffers: vec![KernelBuffer::storage(0, 4)],
        };
        GeneratedKernel::new(ctx, desc, generated)
    }

    fn run(kernel: &GeneratedKernel, input: &[f32]) -> Vec<f32> {
        let device = kernel.device();
        let values = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: None,
            contents: bytemuck::cast_slice(input),
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
        });
        let bind_group = kernel.bind_group(&[(0, &values, 0, None)]);
        let groups = workgroup_rows((input.len() as u64).div_ceil(64), 65_535).unwrap();
        let piece = Piece {
            bind_group: &bind_group,
            workgroups: groups,
        };
        kernel.dispatch(&[piece], "mapping").unwrap();
        let staging = device.create_buffer(&wgpu::BufferDescriptor {
            label: None,
            size: values.size(),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let mut encoder = device.create_command_encoder(&Default::default());
        encoder.copy_buffer_to_buffer(&values, 0, &staging, 0, None);
        kernel.queue().submit([encoder.finish()]);
        map_for_reading(device, staging.slice(..), None).unwrap();
        let view = staging.get_mapped_range(..).unwrap();
        bytemuck::cast_slice(&view).to_vec()
    }

    #[test]
    fn a_third_kernel_needs_only_its_buffers_and_entry_point() {
        // No adapter must fail the test, never skip it.
        let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe)");
        let double = "fn gs_value(v: f32) -> f32 { return 2.0 * v; }";
        let mut kernel = map_kernel(&ctx, double).unwrap();
        assert_eq!(run(&kernel, &[1.0, -2.0, 3.5]), [2.0, -4.0, 7.0]);
        // The pipeline is cached by the generated text.
        kernel.set_source(double).unwrap();
        assert_eq!(kernel.pipeline_builds(), 1);
        kernel
            .set_source("fn gs_value(v: f32) -> f32 { return v * v; }")
            .unwrap();
        assert_eq!(kernel.pipeline_builds(), 2);
        // Code naga rejects leaves the last good pipeline in place.
        assert!(matches!(
            kernel.set_source("fn gs_value(v: f32) -> f32 { return v * true; }"),
            Err(ShaderError::Invalid { .. } | ShaderError::Parse { .. })
        ));
        assert_eq!(kernel.pipeline_builds(), 2);
        assert_eq!(run(&kernel, &[3.0, -0.5]), [9.0, 0.25]);
        assert!(kernel.source().contains("v * v"));
    }

    #[test]
    fn workgroups_fill_a_row_before_the_next() {
        assert_eq!(workgroup_rows(0, 65_535), Some((1, 1)));
        assert_eq!(workgroup_rows(1000, 65_535), Some((1000, 1)));
        assert_eq!(workgroup_rows(65_536, 65_535), Some((65_535, 2)));
        assert_eq!(workgroup_rows(17, 16), Some((16, 2)));
        assert_eq!(workgroup_rows(16 * 16 + 1, 16), None);
    }
}
