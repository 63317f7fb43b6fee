//! Draws a `scene::SceneDesc` with wgpu: the surface pulled from the grid buffer the compute
//! pass wrote, lit by its gradient, plus the overlays; into any render pass (`SceneRenderer`)
//! or into an offscreen image (`HeadlessRenderer`). Knows nothing of egui or winit.

mod animation;
mod error;
mod gpu_data;
mod headless;
mod pipelines;
mod renderer;

pub use animation::{
    GIF_FRAME_MS, GifError, GifStream, MAX_ANIMATION_PIXELS, MAX_RUNS, frame_step, write_gif,
    write_gif_to,
};
pub use error::RenderError;
pub use gpu_data::{BallInstance, FrameUniforms, LineInstance, PlaneVertex, SurfaceUniforms};
pub use headless::{
    DEPTH_FORMAT, FrameTimes, HEADLESS_COLOR_FORMAT, HeadlessRenderer, InteractiveSettings,
    MAX_IMAGE_SIDE_PX, SOFTWARE_MAX_CELLS_PER_SIDE, begin_scene_pass, bench_frame_times,
    clear_color, padded_row_bytes, read_rows, supported_sample_count, texture_2d,
};
pub use pipelines::TargetFormat;
pub use renderer::{MAX_SURFACE_SIDE, SceneRenderer};
