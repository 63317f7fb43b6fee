//! The rows a data objective's generated code averages over (`gs_data`, group 1, binding 0 —
//! `codegen::DATA_BINDING`): one bind group layout that every generated kernel's pipeline
//! layout carries, and the buffer bound there (a few bytes for a closed-form function).

use wgpu::util::DeviceExt;

/// Group 1 of a generated kernel: the data rows, read-only.
pub struct DataRowsBinding {
    layout: wgpu::BindGroupLayout,
    bind_group: wgpu::BindGroup,
    /// The values bound now (empty: the placeholder), to skip re-uploading the same rows.
    values: Vec<f32>,
}

/// The smallest storage binding: what a kernel without data binds.
const PLACEHOLDER: [f32; 4] = [0.0; 4];

impl DataRowsBinding {
    pub fn new(device: &wgpu::Device) -> Self {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("data rows layout"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Storage { read_only: true },
                    has_dynamic_offset: false,
                    min_binding_size: wgpu::BufferSize::new(4),
                },
                count: None,
            }],
        });
        let bind_group = Self::bind(device, &layout, &PLACEHOLDER);
        DataRowsBinding {
            layout,
            bind_group,
            values: Vec::new(),
        }
    }

    fn bind(
        device: &wgpu::Device,
        layout: &wgpu::BindGroupLayout,
        values: &[f32],
    ) -> wgpu::BindGroup {
        let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("data rows"),
            contents: bytemuck::cast_slice(values),
            usage: wgpu::BufferUsages::STORAGE,
        });
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("data rows"),
            layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: buffer.as_entire_binding(),
            }],
        })
    }

    /// Binds `values` (row-major f32 rows of the columns the generated code reads), or the
    /// placeholder for None or no values; the same values as now cost nothing.
    pub fn set_values(&mut self, device: &wgpu::Device, values: Option<&[f32]>) {
        let values = values.unwrap_or(&[]);
        if values == self.values.as_slice() {
            return;
        }
        let bound = if values.is_empty() {
            &PLACEHOLDER[..]
        } else {
            values
        };
        self.bind_group = Self::bind(device, &self.layout, bound);
        self.values = values.to_vec();
    }

    pub fn layout(&self) -> &wgpu::BindGroupLayout {
        &self.layout
    }

    pub fn bind_group(&self) -> &wgpu::BindGroup {
        &self.bind_group
    }
}
