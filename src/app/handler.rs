//! The winit `ApplicationHandler`: creates the window and GPU on `resumed`, feeds window events
//! to egui-winit, runs the UI and draws on `RedrawRequested`, and redraws only while something
//! moves (egui's repaint delay), saving the session when the loop ends.

use std::sync::Arc;
use std::time::Instant;

use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow};
use winit::window::{Window, WindowId};

use super::AppError;
use super::gfx::{Frame, Gfx};
use crate::ui::Model;

pub struct App {
    model: Model,
    egui_ctx: egui::Context,
    running: Option<Running>,
    /// When egui asked to be drawn again (None: only on input).
    next_repaint: Option<Instant>,
    session_path: Option<std::path::PathBuf>,
    /// The first error that stopped the app, reported once the loop exits.
    pub error: Option<AppError>,
}

struct Running {
    gfx: Gfx,
    egui_state: egui_winit::State,
}

impl App {
    pub fn new(model: Model, session_path: Option<std::path::PathBuf>) -> Self {
        let egui_ctx = egui::Context::default();
        crate::ui::setup_context(&egui_ctx);
        Self {
            model,
            egui_ctx,
            running: None,
            next_repaint: None,
            session_path,
            error: None,
        }
    }

    fn start(&mut self, event_loop: &ActiveEventLoop) -> Result<Running, AppError> {
        let attributes = Window::default_attributes()
            .with_title("gradscape")
            .with_inner_size(winit::dpi::LogicalSize::new(1280.0, 800.0))
            .with_min_inner_size(winit::dpi::LogicalSize::new(480.0, 320.0));
        let window = Arc::new(
            event_loop
                .create_window(attributes)
                .map_err(|e| AppError::Window(format!("cannot open a window: {e}")))?,
        );
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_with_display_handle_from_env(
                Box::new(event_loop.owned_display_handle()),
            ));
        let gfx = Gfx::new(
            instance,
            window.clone(),
            &self.model.surface_function().grid_wgsl(),
        )?;
        eprintln!("gradscape: drawing on {}", gfx.adapter_summary());
        let egui_state = egui_winit::State::new(
            self.egui_ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(gfx.max_texture_side()),
        );
        // A hand-edited session may hold a camera that shows nothing.
        if !(self.model.state.camera.distance.is_finite() && self.model.state.camera.distance > 0.0)
        {
            self.model.request_fit();
        }
        Ok(Running { gfx, egui_state })
    }

    fn redraw(&mut self) {
        let Some(running) = &mut self.running else {
            return;
        };
        let window = running.gfx.window.clone();
        let input = running.egui_state.take_egui_input(&window);
        let model = &mut self.model;
        let mut viewport_rect = None;
        let full = self.egui_ctx.run_ui(input, |ui| {
            viewport_rect = crate::ui::show(ui, model).viewport_rect;
        });
        running
            .egui_state
            .handle_platform_output(&window, full.platform_output.clone());
        let delay = full
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay);
        if !running.gfx.grid_is_current(model.surface_version()) {
            running.gfx.update_grid(
                model.surface_version(),
                &model.surface_function().grid_wgsl(),
                model.domain(),
            );
        }
        let scene = model.scene();
        running.gfx.render(Frame {
            scene: viewport_rect.map(|rect| (&scene, rect)),
            egui: full,
            egui_ctx: &self.egui_ctx,
        });
        // Gotcha: egui-winit reports every RedrawRequested as needing a repaint; only egui's
        // own repaint delay says whether something still moves.
        self.next_repaint = match delay {
            Some(d) if d.is_zero() => {
                window.request_redraw();
                None
            }
            Some(d) => Instant::now().checked_add(d),
            None => None,
        };
    }

    fn save_session(&self) {
        if let Some(path) = &self.session_path
            && let Err(e) = super::session::save(path, &self.model.state)
        {
            eprintln!(
                "warning: could not save the session to {}: {e}",
                path.display()
            );
        }
    }
}

impl ApplicationHandler for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.running.is_some() {
            return;
        }
        match self.start(event_loop) {
            Ok(running) => {
                running.gfx.window.request_redraw();
                self.running = Some(running);
            }
            Err(e) => {
                self.error = Some(e);
                event_loop.exit();
            }
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(running) = &mut self.running else {
            return;
        };
        let window = running.gfx.window.clone();
        let response = running.egui_state.on_window_event(&window, &event);
        match event {
            // The session is saved in `exiting`, whichever way the loop ends.
            WindowEvent::CloseRequested | WindowEvent::Destroyed => event_loop.exit(),
            WindowEvent::Resized(size) => {
                running.gfx.resize(size.width, size.height);
                window.request_redraw();
            }
            WindowEvent::RedrawRequested => self.redraw(),
            _ => {
                if response.repaint {
                    window.request_redraw();
                }
            }
        }
    }

    fn exiting(&mut self, _event_loop: &ActiveEventLoop) {
        // Only a session that got as far as a window is worth keeping.
        if self.running.is_some() {
            self.save_session();
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        match self.next_repaint {
            Some(when) if when <= Instant::now() => {
                self.next_repaint = None;
                if let Some(running) = &self.running {
                    running.gfx.window.request_redraw();
                }
                event_loop.set_control_flow(ControlFlow::Wait);
            }
            Some(when) => event_loop.set_control_flow(ControlFlow::WaitUntil(when)),
            None => event_loop.set_control_flow(ControlFlow::Wait),
        }
    }
}
