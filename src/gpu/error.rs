//! Typed errors of the GPU layer, and the error-scope guard that turns wgpu's asynchronous
//! device errors (which would otherwise reach the uncaptured-error handler and panic) into
//! `Result`s. Messages say what to do where there is something to do.

use super::shaders::ShaderError;

/// Everything that can go wrong between asking for an adapter and reading a grid back.
#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error(
        "no GPU adapter found (tried backends: {backends}{detail}). \
         Install a Vulkan driver; without a GPU, Mesa's software driver works: \
         `apt-get install mesa-vulkan-drivers libvulkan1` on Debian/Ubuntu. \
         WGPU_BACKEND=vulkan|gl|metal|dx12 and WGPU_ADAPTER_NAME=<substring> choose one explicitly"
    )]
    NoAdapter {
        /// The backends the instance was created with (from WGPU_BACKEND, else all).
        backends: String,
        /// Extra context, e.g. the adapters present when WGPU_ADAPTER_NAME matched none.
        detail: String,
    },

    #[error("the adapter `{adapter}` refused to create a device: {source}")]
    RequestDevice {
        adapter: String,
        #[source]
        source: wgpu::RequestDeviceError,
    },

    #[error(
        "{what} needs {bytes} bytes but the device's {limit_name} is {limit} bytes; \
         lower the resolution"
    )]
    TooLarge {
        /// What needed the memory: the whole grid, or one band of it.
        what: &'static str,
        bytes: u64,
        limit: u64,
        /// The `wgpu::Limits` field that was exceeded.
        limit_name: &'static str,
    },

    #[error("invalid grid: {0}")]
    InvalidGrid(String),

    #[error(transparent)]
    Shader(#[from] ShaderError),

    #[error("the GPU reported an error while {during}: {message}")]
    Device {
        during: &'static str,
        message: String,
    },

    #[error("mapping the read-back buffer failed: {0}")]
    Map(#[from] wgpu::BufferAsyncError),

    #[error("reading the mapped buffer failed: {0}")]
    MapRange(#[from] wgpu::MapRangeError),

    #[error("waiting for the GPU failed (device lost or timed out): {0}")]
    Poll(#[from] wgpu::PollError),

    #[error("the buffer mapping callback never ran; the device was probably lost")]
    MapCallbackLost,
}

/// Captures every device error raised between `push` and `pop` on this thread.
///
/// wgpu reports validation, out-of-memory and internal errors asynchronously to the device's
/// uncaptured-error handler, whose default panics; inside these scopes they become values.
/// Fields are declared in reverse push order because wgpu requires scopes to be popped in
/// reverse order, and an unpopped guard pops itself on drop (fields drop in declaration order).
pub struct ErrorScopes {
    validation: wgpu::ErrorScopeGuard,
    internal: wgpu::ErrorScopeGuard,
    out_of_memory: wgpu::ErrorScopeGuard,
}

impl ErrorScopes {
    pub fn push(device: &wgpu::Device) -> Self {
        let out_of_memory = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
        let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
        Self {
            validation,
            internal,
            out_of_memory,
        }
    }

    /// Pops all three scopes and returns the first error, validation first (it is the most
    /// specific about what the caller did wrong).
    pub fn pop(self) -> Option<wgpu::Error> {
        let validation = pollster::block_on(self.validation.pop());
        let internal = pollster::block_on(self.internal.pop());
        let out_of_memory = pollster::block_on(self.out_of_memory.pop());
        validation.or(internal).or(out_of_memory)
    }

    /// Pops the scopes and turns a captured error into a [`GpuError::Device`].
    pub fn finish(self, during: &'static str) -> Result<(), GpuError> {
        match self.pop() {
            None => Ok(()),
            Some(error) => Err(GpuError::Device {
                during,
                message: describe(&error),
            }),
        }
    }
}

/// wgpu's `Display` for an error omits its cause chain; the chain holds the useful part
/// (e.g. which binding exceeded which limit).
pub fn describe(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str("\n  caused by: ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_turn_device_errors_into_values() {
        let ctx = crate::gpu::GpuContext::headless().expect("a GPU adapter (lavapipe is enough)");
        let limit = ctx.device.limits().max_buffer_size;
        let scopes = ErrorScopes::push(&ctx.device);
        // Over the limit: without the scopes this would reach the panicking default handler.
        let _buffer = ctx.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("too big"),
            size: limit + 4,
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        });
        let error = scopes.finish("allocating a test buffer").unwrap_err();
        assert!(matches!(
            error,
            GpuError::Device {
                during: "allocating a test buffer",
                ..
            }
        ));
        // Nothing leaks into the next scope.
        ErrorScopes::push(&ctx.device).finish("nothing").unwrap();
    }
}
