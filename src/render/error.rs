//! Why a frame could not be drawn, and the error-scope guard that turns wgpu's asynchronous
//! device errors into values (the GPU layer keeps its own guard private; this one is the same
//! idea for render work).

use crate::gpu::{GpuError, ShaderError};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Gpu(#[from] GpuError),

    #[error("render shader `{name}`: {source}")]
    Shader {
        name: &'static str,
        #[source]
        source: ShaderError,
    },

    #[error("the GPU reported an error while {during}: {message}")]
    Device {
        during: &'static str,
        message: String,
    },

    #[error("{0}")]
    Unsupported(String),
}

/// Captures validation, internal and out-of-memory errors between `push` and `pop`.
/// Fields are in reverse push order: scopes must pop in reverse, and a dropped guard pops itself.
pub(crate) struct ErrorScopes {
    validation: wgpu::ErrorScopeGuard,
    internal: wgpu::ErrorScopeGuard,
    out_of_memory: wgpu::ErrorScopeGuard,
}

impl ErrorScopes {
    pub(crate) fn push(device: &wgpu::Device) -> Self {
        let out_of_memory = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
        let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
        Self {
            validation,
            internal,
            out_of_memory,
        }
    }

    pub(crate) fn pop(self) -> Option<wgpu::Error> {
        let validation = pollster::block_on(self.validation.pop());
        let internal = pollster::block_on(self.internal.pop());
        let out_of_memory = pollster::block_on(self.out_of_memory.pop());
        validation.or(internal).or(out_of_memory)
    }

    pub(crate) fn finish(self, during: &'static str) -> Result<(), RenderError> {
        match self.pop() {
            None => Ok(()),
            Some(error) => Err(RenderError::Device {
                during,
                message: describe(&error),
            }),
        }
    }
}

/// The error with its cause chain (wgpu's `Display` leaves the useful part in the causes).
pub(crate) fn describe(error: &dyn std::error::Error) -> String {
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
