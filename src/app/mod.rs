//! The desktop app: a winit window with egui-winit and egui-wgpu, the 3-D scene drawn straight
//! into the frame under the egui panels of `ui`, and the session saved on exit and restored on
//! start. `gradscape` and `gradscape open …` come here.

mod autosave;
pub mod export;
mod gfx;
mod handler;
pub mod map_export;
pub mod offscreen;
mod panel_cache;
pub mod session;
mod stats;
mod swarm_jobs;

pub use swarm_jobs::SwarmJobs;

use crate::ui::{AppState, Model};

/// Why the app could not run; all are failures of the machine (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(
        "the desktop app needs a display, and none is set (no DISPLAY or WAYLAND_DISPLAY). \
         Without one, use the command-line tools: `gradscape eval`, `gradscape descend`, \
         `gradscape render` (PNG/GIF) and `gradscape grid`; see `gradscape --help`"
    )]
    NoDisplay,
    #[error("{0}")]
    Window(String),
    #[error("{0}")]
    Gpu(String),
}

/// Whether winit will find a display server (the variables it reads on Linux and the BSDs).
pub fn display_available() -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// How the app starts: restore the saved session, perhaps changed by `open`'s arguments.
pub struct Launch {
    /// Applied to the restored (or default) state before the window opens.
    pub adjust: Box<dyn FnOnce(&mut Model)>,
}

/// Opens the window and runs until it is closed. The session is read from and written to the
/// platform's config directory.
pub fn run(launch: Launch) -> Result<(), AppError> {
    let launched = std::time::Instant::now();
    if !display_available() {
        return Err(AppError::NoDisplay);
    }
    let event_loop = winit::event_loop::EventLoop::new()
        .map_err(|e| AppError::Window(format!("cannot connect to the display: {e}")))?;
    let path = session::default_path();
    let (state, framed) = match &path {
        Some(path) => {
            let loaded = session::load(path);
            if let Some(warning) = loaded.warning {
                eprintln!("warning: {warning}");
            }
            (
                session::for_launch(loaded.state),
                loaded.restored && !loaded.fit_camera,
            )
        }
        None => (AppState::default(), false),
    };
    let mut model = Model::new(state);
    // A fresh session, or one whose camera showed nothing, frames the surface.
    if !framed {
        model.request_default_view();
    }
    (launch.adjust)(&mut model);
    let mut app = handler::App::new(model, path, stats::FrameStats::from_env(launched));
    event_loop
        .run_app(&mut app)
        .map_err(|e| AppError::Window(format!("the window's event loop failed: {e}")))?;
    match app.error.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
