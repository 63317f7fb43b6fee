//! Grids back to the CPU at memory speed: a reusable staging buffer the grid is copied into, then
//! mapped and handed to the caller as a slice of points in place (no intermediate `Vec`), so a
//! writer can stream it to disk; with two of them, the next band computes while this one is written.

use bytemuck::Pod;

use super::context::GpuContext;
use super::error::{ErrorScopes, GpuError};
use super::grid::GridOutput;

/// A mappable buffer for up to `capacity` bytes of grid points, reused from band to band.
pub struct ReadBack {
    buffer: wgpu::Buffer,
    capacity: u64,
    /// Bytes of the last copy still to be read, and its submission (waited for alone, so a
    /// band submitted after it keeps computing while this one is read).
    pending: Option<(u64, wgpu::SubmissionIndex)>,
}

impl ReadBack {
    /// A staging buffer for `capacity` bytes (a band's [`GridOutput::byte_size`]).
    pub fn new(ctx: &GpuContext, capacity: u64) -> Result<Self, GpuError> {
        let scopes = ErrorScopes::push(&ctx.device);
        let buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("grid read-back"),
            size: capacity
                .max(4)
                .next_multiple_of(wgpu::COPY_BUFFER_ALIGNMENT),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        scopes.finish("allocating the read-back buffer")?;
        Ok(Self {
            buffer,
            capacity,
            pending: None,
        })
    }

    /// Queues a copy of `output`'s points behind the work already submitted (not awaited).
    pub fn copy_from(&mut self, ctx: &GpuContext, output: &GridOutput) -> Result<(), GpuError> {
        let bytes = output.byte_size();
        if bytes > self.capacity {
            return Err(GpuError::TooLarge {
                what: "a band to read back",
                bytes,
                limit: self.capacity,
                limit_name: "the read-back buffer's size",
            });
        }
        let scopes = ErrorScopes::push(&ctx.device);
        let mut encoder = ctx
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("grid read-back"),
            });
        encoder.copy_buffer_to_buffer(output.buffer(), 0, &self.buffer, 0, Some(bytes));
        let index = ctx.queue.submit([encoder.finish()]);
        scopes.finish("copying the grid for read-back")?;
        self.pending = Some((bytes, index));
        Ok(())
    }

    /// Waits for the last copy, then calls `f` with its contents as `T`s (`[f32; 4]` points of
    /// a vec4 grid, `f32` of a packed one, or bytes), read in place from the mapped buffer
    /// (copied only if the mapping is not aligned for `T`, which wgpu does not promise).
    pub fn read<T: Pod, R>(
        &mut self,
        ctx: &GpuContext,
        f: impl FnOnce(&[T]) -> R,
    ) -> Result<R, GpuError> {
        let Some((bytes, index)) = self.pending.take() else {
            return Ok(f(&[]));
        };
        let slice = self.buffer.slice(..bytes);
        map_for_reading(&ctx.device, slice, Some(index))?;
        let result = {
            let view = slice.get_mapped_range()?;
            match bytemuck::try_cast_slice::<u8, T>(&view) {
                Ok(in_place) => f(in_place),
                Err(_) => f(&bytemuck::pod_collect_to_vec::<u8, T>(&view)),
            }
        };
        self.buffer.unmap();
        Ok(result)
    }
}

/// Maps `slice` for reading and waits until it is mapped: for `submission` alone (so later work
/// keeps running), or for everything submitted when None.
pub(crate) fn map_for_reading(
    device: &wgpu::Device,
    slice: wgpu::BufferSlice<'_>,
    submission: Option<wgpu::SubmissionIndex>,
) -> Result<(), GpuError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    slice.map_async(wgpu::MapMode::Read, move |result| {
        // The receiver only goes away if the caller already returned an error.
        let _ = sender.send(result);
    });
    device.poll(wgpu::PollType::Wait {
        submission_index: submission,
        timeout: None,
    })?;
    // The wait returns only after the callbacks ran; an empty channel means the mapping was dropped.
    receiver
        .try_recv()
        .map_err(|_| GpuError::MapCallbackLost)??;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gpu::{GridEvaluator, GridSpec};

    /// f = x + 10y, ∂f/∂x = 1, ∂f/∂y = 10: every point says where it is.
    const PLANE: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(x + 10.0 * y, 1.0, 10.0, 0.0); }";

    #[test]
    fn two_staging_buffers_read_alternate_bands_in_order() {
        let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe is enough)");
        let evaluator = GridEvaluator::new(&ctx, PLANE).unwrap();
        let band = |k: u32| GridSpec {
            x_range: (0.0, 7.0),
            y_range: (f64::from(4 * k), f64::from(4 * k + 3)),
            nx: 8,
            ny: 4,
        };
        let mut staging = [
            ReadBack::new(&ctx, 32 * 16).unwrap(),
            ReadBack::new(&ctx, 32 * 16).unwrap(),
        ];
        let mut outputs = [
            evaluator.evaluate(&band(0)).unwrap(),
            evaluator.evaluate(&band(1)).unwrap(),
        ];
        staging[0].copy_from(&ctx, &outputs[0]).unwrap();
        staging[1].copy_from(&ctx, &outputs[1]).unwrap();
        let mut seen = Vec::new();
        for k in 0..4u32 {
            let slot = (k % 2) as usize;
            let values: Vec<f32> = staging[slot]
                .read(&ctx, |points: &[[f32; 4]]| {
                    points.iter().map(|p| p[0]).collect()
                })
                .unwrap();
            seen.extend(values);
            // Refill this slot with band k + 2 while the other is read next.
            evaluator
                .evaluate_into(&band(k + 2), &mut outputs[slot])
                .unwrap();
            staging[slot].copy_from(&ctx, &outputs[slot]).unwrap();
        }
        let want: Vec<f32> = (0..16)
            .flat_map(|i| (0..8).map(move |j| j as f32 + 10.0 * i as f32))
            .collect();
        assert_eq!(seen, want);
        let too_big = evaluator
            .evaluate(&GridSpec::square((0.0, 1.0), (0.0, 1.0), 8))
            .unwrap();
        assert!(matches!(
            staging[0].copy_from(&ctx, &too_big),
            Err(GpuError::TooLarge { .. })
        ));
    }
}
