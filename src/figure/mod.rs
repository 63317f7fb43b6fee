//! Figures described once, painted by egui in the window and offscreen: knows egui, not winit or
//! wgpu; imports nothing from `ui`.

pub mod notebook;
pub mod ticks;
