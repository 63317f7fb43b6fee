//! Why a frame could not be drawn. Device errors are caught with the GPU layer's error-scope
//! guard, which turns wgpu's asynchronous errors into values.

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

// The GPU layer's guard serves render work too; its errors convert through `RenderError::Gpu`.
pub(crate) use crate::gpu::{ErrorScopes, describe};
