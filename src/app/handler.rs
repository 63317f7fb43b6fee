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
use super::export::{ImageJob, Progress};
use super::gfx::{Frame, Gfx};
use crate::ui::Model;

pub struct App {
    model: Model,
    egui_ctx: egui::Context,
    running: Option<Running>,
    /// When egui asked to be drawn again (None: only on input).
    next_repaint: Option<Instant>,
    /// The session file, written a second after each change and on exit.
    autosave: super::autosave::Autosave,
    /// The window was destroyed under us (closed by the window manager or `xdotool
    /// windowclose`): nothing may touch it again, only exit.
    window_gone: bool,
    /// An image export under way.
    image_job: Option<ImageJob>,
    /// Frame timings, when `GRADSCAPE_FRAME_STATS` asks for them.
    stats: Option<super::stats::FrameStats>,
    /// The first error that stopped the app, reported once the loop exits.
    pub error: Option<AppError>,
}

struct Running {
    gfx: Gfx,
    egui_state: egui_winit::State,
    /// The GPU swarm's work for the view (basins, hyperparameter map, balls).
    swarm: super::SwarmJobs,
    /// The title the window shows; set again only when the scene file changes.
    title: String,
}

impl App {
    pub fn new(
        model: Model,
        session_path: Option<std::path::PathBuf>,
        stats: Option<super::stats::FrameStats>,
    ) -> Self {
        let egui_ctx = egui::Context::default();
        crate::ui::setup_context(&egui_ctx);
        Self {
            model,
            egui_ctx,
            running: None,
            next_repaint: None,
            autosave: super::autosave::Autosave::new(session_path),
            window_gone: false,
            image_job: None,
            stats,
            error: None,
        }
    }

    fn start(&mut self, event_loop: &ActiveEventLoop) -> Result<Running, AppError> {
        let attributes = Window::default_attributes()
            .with_title(self.model.window_title())
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
        let info = gfx.adapter_info();
        self.model.gpu = Some(crate::ui::GpuAbout {
            adapter: info.name,
            backend: format!("{:?}", info.backend),
            device_type: format!("{:?}", info.device_type),
            driver: [info.driver, info.driver_info]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        });
        let egui_state = egui_winit::State::new(
            self.egui_ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            None,
            Some(gfx.max_texture_side()),
        );
        Ok(Running {
            gfx,
            egui_state,
            swarm: super::SwarmJobs::new(),
            title: self.model.window_title(),
        })
    }

    fn redraw(&mut self) {
        let started = Instant::now();
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
                model.surface_function(),
                model.domain(),
                model.state.display.grid_side,
            );
        }
        let title = model.window_title();
        if title != running.title {
            window.set_title(&title);
            running.title = title;
        }
        if running.swarm.pump(running.gfx.gpu(), model) {
            window.request_redraw();
        }
        running.gfx.set_swarm_view(model, running.swarm.balls());
        let scene = model.scene();
        // Releasing the button redraws (egui repaints on input), at full detail again; so does
        // the frame on which playback stops.
        let on_panels = self
            .egui_ctx
            .input(|i| i.pointer.hover_pos())
            .is_some_and(|p| viewport_rect.is_none_or(|view| !view.contains(p)));
        let lighten = super::panel_cache::Lighten::for_frame(
            model.view_gesture(),
            model.state.playback.playing,
            on_panels || self.egui_ctx.text_edit_focused(),
        );
        let export_size = viewport_rect.map(|r| {
            let ppp = full.pixels_per_point;
            [(r.width() * ppp) as u32, (r.height() * ppp) as u32]
        });
        running.gfx.render(Frame {
            scene: viewport_rect.map(|rect| (&scene, rect)),
            lighten,
            egui: full,
            egui_ctx: &self.egui_ctx,
        });
        if let Some(stats) = &mut self.stats {
            use super::stats::FrameKind;
            let kind = if model.dragging_start {
                FrameKind::Dragging
            } else if model.state.playback.playing {
                FrameKind::Playing
            } else {
                FrameKind::Other
            };
            stats.record(started, kind, model.current_step());
            // Where a scripted drag should start, over the first frames while the panels and
            // the camera fit settle (benches/app_drag.sh reads the last of these lines).
            if stats.frames() <= 10
                && let Some(ball) =
                    viewport_rect.and_then(|r| crate::ui::start_ball_position(model, r))
            {
                let ppp = self.egui_ctx.pixels_per_point();
                eprintln!("start ball at {:.0},{:.0} px", ball.x * ppp, ball.y * ppp);
                // And where a scripted slider drag should start (benches/app_basins.sh).
                if let Some(at) = crate::ui::first_lr_slider_position(&self.egui_ctx) {
                    eprintln!("lr slider at {:.0},{:.0} px", at.x * ppp, at.y * ppp);
                }
            }
        }
        if let Some(path) = model.swarm.sweep_png.take() {
            model.notice = Some(
                match super::map_export::write_map_png(running.gfx.gpu(), model, &path) {
                    Ok(message) => (message, false),
                    Err(message) => (message, true),
                },
            );
        }
        if let Some(request) = model.image_export.take() {
            self.image_job = Some(ImageJob::start(model, request, export_size));
        }
        // An export draws a few frames per redraw, so the window stays live and shows progress.
        if let Some(job) = &mut self.image_job {
            let progress = job.advance(&mut running.gfx, model);
            model.notice = Some(match &progress {
                Progress::Drawing(message) => (message.clone(), false),
                Progress::Done(Ok(message)) => (message.clone(), false),
                Progress::Done(Err(message)) => (message.clone(), true),
            });
            if matches!(progress, Progress::Done(_)) {
                self.image_job = None;
            }
            window.request_redraw();
        }
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
        self.autosave();
    }

    fn save_session(&mut self) {
        self.autosave.save_now(&self.model.state, Instant::now());
    }

    /// Saves the session a second after it changed; asks for a wake-up then, so the last
    /// change of a burst is saved too.
    fn autosave(&mut self) {
        if let Some(due) = self.autosave.tick(&self.model.state, Instant::now()) {
            self.next_repaint = Some(self.next_repaint.map_or(due, |t| t.min(due)));
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
        if self.window_gone {
            return;
        }
        let Some(running) = &mut self.running else {
            return;
        };
        if matches!(event, WindowEvent::Destroyed) {
            // The window no longer exists: asking it anything (its size) would fail.
            self.window_gone = true;
            event_loop.exit();
            return;
        }
        let window = running.gfx.window.clone();
        let response = running.egui_state.on_window_event(&window, &event);
        match event {
            // The session is saved in `exiting`, whichever way the loop ends.
            WindowEvent::CloseRequested => event_loop.exit(),
            WindowEvent::Resized(size) => {
                running.gfx.resize(size.width, size.height);
                window.request_redraw();
            }
            WindowEvent::RedrawRequested => {
                self.redraw();
                // Ctrl+Q: the session is saved in `exiting`.
                if self.model.quit_requested {
                    event_loop.exit();
                }
            }
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
        if let Some(stats) = &self.stats {
            eprintln!("{}", stats.summary());
            if let Some(swarm) = self.running.as_ref().and_then(|r| r.swarm.summary()) {
                eprintln!("{swarm}");
            }
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        if self.window_gone {
            return;
        }
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
