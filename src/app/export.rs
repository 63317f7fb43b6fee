//! The app's image exports: a PNG of the view or a GIF of the descent, drawn on the window's
//! device a few frames per redraw (so the window stays live and says how far it got), then
//! written to a new file. A 1-D function's view is the notebook's plots, drawn through the same
//! egui code offscreen.

use std::time::{Duration, Instant};

use crate::figure::FigureOptions;
use crate::gpu::GpuContext;
use crate::scene::SceneDesc;
use crate::ui::{ImageExport, Model};

/// What an export draws on: the window's device ([`super::gfx::Gfx`]), or a headless one
/// ([`super::offscreen::HeadlessCanvas`]) so that tests run the app's export as it is.
pub trait Canvas {
    /// The device (a 1-D view's plots are drawn on it through egui).
    fn gpu(&self) -> &GpuContext;
    /// Each scene as a figure of `size_px`, as `gradscape render` draws it.
    fn figures(
        &mut self,
        scenes: &[SceneDesc],
        size_px: [u32; 2],
        options: &FigureOptions,
    ) -> Result<Vec<image::RgbaImage>, String>;
}

impl Canvas for super::gfx::Gfx {
    fn gpu(&self) -> &GpuContext {
        super::gfx::Gfx::gpu(self)
    }

    fn figures(
        &mut self,
        scenes: &[SceneDesc],
        size_px: [u32; 2],
        options: &FigureOptions,
    ) -> Result<Vec<image::RgbaImage>, String> {
        self.render_images(scenes, size_px, options)
    }
}

/// How long one redraw may spend drawing export frames.
const BUDGET_PER_REDRAW: Duration = Duration::from_millis(120);
/// The longer side of a GIF, in pixels: GIFs get large fast.
const GIF_SIDE_PX: u32 = 640;

/// An export being drawn.
pub struct ImageJob {
    path: std::path::PathBuf,
    gif: bool,
    size: [u32; 2],
    /// The playback step each frame shows.
    steps: Vec<usize>,
    images: Vec<image::RgbaImage>,
}

/// How far an export is.
pub enum Progress {
    Drawing(String),
    /// What was written, or why not.
    Done(Result<String, String>),
}

impl ImageJob {
    /// Plans the export at the size of the view (`viewport_px`, or 1280×800 without one).
    pub fn start(model: &Model, request: ImageExport, viewport_px: Option<[u32; 2]>) -> Self {
        let [w, h] = viewport_px
            .filter(|s| s[0] > 0 && s[1] > 0)
            .unwrap_or([1280, 800]);
        let fit = |limit: u32| {
            let k = (f64::from(limit) / f64::from(w.max(h))).min(1.0);
            [
                ((f64::from(w) * k) as u32).max(1),
                ((f64::from(h) * k) as u32).max(1),
            ]
        };
        let cap = crate::render::MAX_IMAGE_SIDE_PX;
        let rows = model.last_step() + 1;
        let (path, gif, size, steps) = match request {
            ImageExport::Png(path) => (path, false, fit(cap), vec![model.current_step()]),
            ImageExport::Gif { path, frames } => {
                let n = frames.max(2);
                let steps = (0..n)
                    .map(|k| crate::render::frame_step(k, n, rows))
                    .collect();
                (path, true, fit(GIF_SIDE_PX.min(cap)), steps)
            }
        };
        Self {
            path,
            gif,
            size,
            images: Vec::with_capacity(steps.len()),
            steps,
        }
    }

    /// Draws frames for up to `BUDGET_PER_REDRAW`; writes the file after the last.
    pub fn advance(&mut self, gfx: &mut impl Canvas, model: &mut Model) -> Progress {
        let started = Instant::now();
        while self.images.len() < self.steps.len() && started.elapsed() < BUDGET_PER_REDRAW {
            let step = self.steps[self.images.len()];
            match draw(gfx, model, step, self.size) {
                Ok(image) => self.images.push(image),
                Err(e) => return Progress::Done(Err(e)),
            }
        }
        if self.images.len() < self.steps.len() {
            return Progress::Drawing(format!(
                "drawing {}: frame {} of {}…",
                self.path.display(),
                self.images.len(),
                self.steps.len()
            ));
        }
        Progress::Done(self.write())
    }

    fn write(&mut self) -> Result<String, String> {
        let path = &self.path;
        let cannot = |e: &dyn std::fmt::Display| format!("cannot write {}: {e}", path.display());
        let images = std::mem::take(&mut self.images);
        let [w, h] = self.size;
        if self.gif {
            let frames = images.len();
            // Exports never replace a file.
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| cannot(&e))?;
            crate::render::write_gif_to(file, path, images).map_err(|e| e.to_string())?;
            Ok(format!(
                "wrote {} ({w}×{h}, {frames} frames)",
                path.display()
            ))
        } else {
            let image = images.into_iter().next().ok_or("nothing was drawn")?;
            let mut png = std::io::Cursor::new(Vec::new());
            image
                .write_to(&mut png, image::ImageFormat::Png)
                .map_err(|e| cannot(&e))?;
            crate::ui::write_new(path, png.get_ref()).map_err(|e| cannot(&e))?;
            Ok(format!("wrote {} ({w}×{h})", path.display()))
        }
    }
}

/// One frame of the view with every ball at `step`.
fn draw(
    gfx: &mut impl Canvas,
    model: &mut Model,
    step: usize,
    size: [u32; 2],
) -> Result<image::RgbaImage, String> {
    if model.dims() == 2 {
        let (scene, options) = figure(model, step, size);
        return gfx
            .figures(std::slice::from_ref(&scene), size, &options)?
            .pop()
            .ok_or_else(|| "nothing was drawn".to_string());
    }
    let title = figure_title(model);
    // The notebook view reads the playback step: set it for this frame, then put it back.
    let kept = model.state.playback.step;
    model.state.playback.step = step;
    let drawn = super::offscreen::render_ui(gfx.gpu(), size, |ui| {
        egui::CentralPanel::default()
            .show(ui, |ui| crate::ui::notebook_view(ui, model, Some(&title)));
    });
    model.state.playback.step = kept;
    drawn
}

/// The scene and options of a 2-D export frame of `size` at `step`: the view as the window
/// shows it, its camera framed again for the figure's view, which the title and the legend
/// column make narrower than the window's (the window's framing would cut off the sides, the
/// f axis with them).
pub fn figure(model: &Model, step: usize, size: [u32; 2]) -> (SceneDesc, FigureOptions) {
    let display = &model.state.display;
    let options = FigureOptions {
        title: Some(figure_title(model)),
        axes: display.axes,
        legend: display.legend,
    };
    let mut scene = model.scene_at_step(step);
    let aspect = crate::figure::FigureLayout::new(size, &options).view_aspect();
    scene.reframe_camera(model.view.last_aspect, aspect);
    (scene, options)
}

/// The export's title: f, the unmuted runs' optimizers and learning rates, and the start.
fn figure_title(model: &Model) -> String {
    let runs: Vec<(crate::optim::OptimizerKind, f64)> = model
        .state
        .runs
        .iter()
        .filter(|r| !r.muted)
        .map(|r| (r.hyper.kind, r.hyper.lr))
        .collect();
    let start = &model.state.start[..model.dims()];
    crate::figure::figure_title(&model.state.good_source, &runs, Some(start))
}
