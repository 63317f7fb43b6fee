//! The GPU handles the rest of the crate works with: instance, adapter, device and queue.
//! Getting a device (headless here, or from the window's setup via `from_parts`) is kept apart
//! from using it, so tests and the app hand the same evaluators their own context.

use super::error::GpuError;

/// Instance, adapter, device and queue. Cloning is cheap: wgpu handles are reference counted.
#[derive(Clone, Debug)]
pub struct GpuContext {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
}

impl GpuContext {
    /// A context with no window, for the CLI, tests and offscreen rendering.
    ///
    /// Honours `WGPU_BACKEND` (which backends to try), `WGPU_ADAPTER_NAME` (a case-insensitive
    /// substring of the adapter name) and `WGPU_POWER_PREF`. If the preferred request finds
    /// nothing, any enumerated adapter is taken. The device gets the adapter's own limits,
    /// because wgpu's defaults cap buffers at 256 MiB and big grids need more.
    pub fn headless() -> Result<Self, GpuError> {
        let descriptor = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        let backends = descriptor.backends;
        let instance = wgpu::Instance::new(descriptor);
        let adapter = pollster::block_on(pick_adapter(&instance, backends))?;
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("gradscape headless device"),
            required_features: wgpu::Features::empty(),
            required_limits: adapter.limits(),
            experimental_features: wgpu::ExperimentalFeatures::disabled(),
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        }))
        .map_err(|source| GpuError::RequestDevice {
            adapter: adapter.get_info().name,
            source,
        })?;
        Ok(Self {
            instance,
            adapter,
            device,
            queue,
        })
    }

    /// Wraps handles created elsewhere (the windowed app creates its instance with a display
    /// handle and its adapter compatible with the window's surface).
    pub fn from_parts(
        instance: wgpu::Instance,
        adapter: wgpu::Adapter,
        device: wgpu::Device,
        queue: wgpu::Queue,
    ) -> Self {
        Self {
            instance,
            adapter,
            device,
            queue,
        }
    }

    /// One line naming the adapter, e.g. `llvmpipe (LLVM 15.0.6, 256 bits) (Vulkan, Cpu)`.
    pub fn adapter_summary(&self) -> String {
        let info = self.adapter.get_info();
        format!("{} ({:?}, {:?})", info.name, info.backend, info.device_type)
    }

    /// The limits the device was created with (what the evaluators plan against).
    pub fn limits(&self) -> wgpu::Limits {
        self.device.limits()
    }
}

async fn pick_adapter(
    instance: &wgpu::Instance,
    backends: wgpu::Backends,
) -> Result<wgpu::Adapter, GpuError> {
    let tried = format!("{backends:?}");

    // Our own WGPU_ADAPTER_NAME handling: wgpu::util::initialize_adapter_from_env panics when
    // the name matches nothing, and a typo in an environment variable must not crash the app.
    if let Ok(wanted) = std::env::var("WGPU_ADAPTER_NAME") {
        let wanted_lower = wanted.to_lowercase();
        let adapters = instance.enumerate_adapters(backends).await;
        let names: Vec<String> = adapters.iter().map(|a| a.get_info().name).collect();
        return adapters
            .into_iter()
            .find(|a| a.get_info().name.to_lowercase().contains(&wanted_lower))
            .ok_or(GpuError::NoAdapter {
                backends: tried,
                detail: format!(
                    "; WGPU_ADAPTER_NAME={wanted:?} matches none of the adapters present: {names:?}"
                ),
            });
    }

    let preferred = instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::from_env().unwrap_or_default(),
            force_fallback_adapter: false,
            compatible_surface: None,
            apply_limit_buckets: false,
        })
        .await;
    if let Ok(adapter) = preferred {
        return Ok(adapter);
    }
    let request_error = preferred.err().map(|e| e.to_string()).unwrap_or_default();
    instance
        .enumerate_adapters(backends)
        .await
        .into_iter()
        .next()
        .ok_or(GpuError::NoAdapter {
            backends: tried,
            detail: format!("; request_adapter said: {request_error}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headless_context_has_an_adapter() {
        // A machine without any adapter must fail this test, never skip it.
        let ctx = GpuContext::headless().expect("a GPU adapter (lavapipe is enough)");
        let summary = ctx.adapter_summary();
        assert!(!summary.is_empty());
        // The device was created with the adapter's limits, not wgpu's smaller defaults.
        assert_eq!(
            ctx.limits().max_buffer_size,
            ctx.adapter.limits().max_buffer_size
        );
    }

    #[test]
    fn no_adapter_message_says_what_to_install() {
        let error = GpuError::NoAdapter {
            backends: "VULKAN | GL".into(),
            detail: String::new(),
        };
        let text = error.to_string();
        assert!(text.contains("VULKAN | GL"), "{text}");
        assert!(
            text.contains("apt-get install mesa-vulkan-drivers libvulkan1"),
            "{text}"
        );
    }
}
