//! `gradscape render`: the app's 3-D view as a PNG, or an animated GIF of a descent (the ball
//! moving, the tangent plane following it); a 1-D function gets the app's f / f′ view instead
//! (`render_1d`). The same `SceneRenderer` as the window, drawing
//! into an offscreen target on whatever adapter wgpu finds (software Vulkan included).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use super::flags::DomainFlags;
use super::{CliError, FunctionArg, HyperparameterFlags, parse_numbers, parse_point, parse_range};
use crate::figure::{FigureLayout, FigureOptions};
use crate::function::Function;
use crate::gpu::{GpuContext, GridEvaluator, GridSpec};
use crate::optim::{BatchOptions, Hyperparameters, OptimizerKind, RunOptions, Schedule, run_with};
use crate::render::{HeadlessRenderer, MAX_SURFACE_SIDE, RenderError};
use crate::scene::{Colormap, Domain, SceneDesc, TrajectoryOverlay};

#[derive(Args, Debug)]
pub struct RenderArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    /// Output file: .png for a still, .gif for an animation of the descent.
    #[arg(long, value_name = "FILE.png")]
    pub out: PathBuf,
    /// Image size in pixels (default 1280x800 for a PNG, 640x400 for a GIF).
    #[arg(long, value_name = "WxH")]
    pub size: Option<String>,
    /// The point A of the tangent plane and the partial-derivative lines (default: the first
    /// run's current point, else the centre of the domain).
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Start point of the descents.
    #[arg(long, value_name = "X,Y", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Optimizers to run from --from, comma-separated or repeated, one colour each (default sgd).
    #[arg(long, value_name = "O[,O...]", value_delimiter = ',')]
    pub optimizer: Vec<String>,
    /// Learning rate: one for all runs, or one per optimizer (default 0.01).
    #[arg(
        long,
        value_name = "LR[,LR...]",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub lr: Vec<f64>,
    /// Steps per run.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub steps: usize,
    /// Hyperparameters besides --lr; each applies to the runs whose optimizer takes it.
    #[command(flatten)]
    pub hyperparameters: HyperparameterFlags,
    /// Learning-rate schedule: one for all runs, or one per optimizer (see `descend --help`;
    /// `inverse:T` is the training-models chapter's learning schedule).
    #[arg(long, value_name = "SPEC[,SPEC...]", value_delimiter = ',')]
    pub schedule: Vec<String>,
    /// On a data objective: rows per step's gradient, one for all runs or one per optimizer
    /// (default: every row; 1 is stochastic gradient descent).
    #[arg(
        long = "batch-size",
        value_name = "B[,B...]",
        value_delimiter = ',',
        requires = "data"
    )]
    pub batch_size: Vec<usize>,
    /// How the batches are drawn: shuffle (default) or replace.
    #[arg(long, value_name = "shuffle|replace", requires = "data")]
    pub sampling: Option<String>,
    /// Seed of the batches (default 0).
    #[arg(long, value_name = "S", requires = "data")]
    pub seed: Option<u64>,
    /// Camera: yaw and pitch in degrees, and distance as a multiple of the fitted one
    /// (default -60,30,1).
    #[arg(long, value_name = "YAW,PITCH,DIST", allow_hyphen_values = true)]
    pub camera: Option<String>,
    /// coolwarm (the notebook's), viridis, or diverging (white at f = 0).
    #[arg(long, value_name = "NAME", default_value = "coolwarm")]
    pub colormap: String,
    /// Leave out the tangent plane (the partial-derivative lines and arrows stay).
    #[arg(long)]
    pub no_plane: bool,
    /// Draw contour lines at evenly spaced heights.
    #[arg(long)]
    pub contours: bool,
    /// Draw grid lines on the surface.
    #[arg(long)]
    pub wireframe: bool,
    /// Logarithmic vertical scale, for functions whose values span decades (Rosenbrock).
    #[arg(long)]
    pub log_scale: bool,
    /// The range of f shown, MIN,MAX: the surface is cut outside it and trajectories end at its
    /// box (default: automatic, the 1st to the 99th percentile of f widened a little, or all of
    /// f where it has no pole).
    #[arg(long, value_name = "MIN,MAX", allow_hyphen_values = true)]
    pub z_range: Option<String>,
    // --x-range and --y-range.
    #[command(flatten)]
    pub domain: DomainFlags,
    /// Grid points per side of the surface.
    #[arg(long, value_name = "N", default_value_t = 256)]
    pub resolution: u32,
    /// Number of GIF frames along the descent (default 40 when --out ends in .gif).
    #[arg(long, value_name = "K")]
    pub frames: Option<usize>,
    /// 1-D only: the secant view, A and B with rise and run; in a GIF, B glides to A.
    #[arg(long)]
    pub secant: bool,
    /// 1-D only: also plot f″ under f′.
    #[arg(long)]
    pub second: bool,
    /// The figure's title line (default: f, the optimizers with their learning rates, and the
    /// start point).
    #[arg(long, value_name = "TEXT", conflicts_with = "no_title")]
    pub title: Option<String>,
    /// No title line.
    #[arg(long)]
    pub no_title: bool,
    /// No legend of the overlays and runs.
    #[arg(long)]
    pub no_legend: bool,
}

const DEFAULT_LR: f64 = 0.01;
const CONTOUR_LEVELS: u32 = 16;
const MAX_STEPS: usize = 100_000;
const MAX_FRAMES: usize = 1000;

pub fn run(args: &RenderArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let gif = is_gif(&args.out)?;
    let frames = frame_count(args, gif)?;
    let size_px = image_size(args, gif, frames)?;
    if function.dims() == 1 {
        return super::render_1d::run(args, &function, gif, frames, size_px);
    }
    check_surface_flags(args)?;
    let mut figure = SurfaceFigure::new(args, &function, gif, size_px)?;
    draw_frames(args, &function, &mut figure, size_px, frames, gif)
}

/// How many frames --out takes: one for a PNG, --frames (default 40) for a GIF.
fn frame_count(args: &RenderArgs, gif: bool) -> Result<usize, CliError> {
    match (gif, args.frames) {
        (false, Some(_)) => Err(CliError::input(
            "--frames makes an animation: give --out FILE.gif",
        )),
        (false, None) => Ok(1),
        (true, Some(k)) if (2..=MAX_FRAMES).contains(&k) => Ok(k),
        (true, Some(k)) => Err(CliError::input(format!(
            "--frames {k} is out of range: give 2 to {MAX_FRAMES}"
        ))),
        (true, None) => Ok(40),
    }
}

/// The image's size: --size, else a PNG's or a GIF's default; all `frames` together within
/// what one animation may hold.
fn image_size(args: &RenderArgs, gif: bool, frames: usize) -> Result<[u32; 2], CliError> {
    let size_px = match &args.size {
        Some(text) => parse_size(text)?,
        None if gif => [640, 400],
        None => [1280, 800],
    };
    let pixels = frames as u64 * size_px[0] as u64 * size_px[1] as u64;
    if pixels > crate::render::MAX_ANIMATION_PIXELS {
        return Err(CliError::input(format!(
            "{frames} frames of {}×{} are {pixels} pixels, more than the {} one animation may \
             have: give fewer --frames or a smaller --size",
            size_px[0],
            size_px[1],
            crate::render::MAX_ANIMATION_PIXELS
        )));
    }
    Ok(size_px)
}

/// The flags a surface (a function of x and y) refuses: the 1-D views', and a grid it cannot
/// draw.
fn check_surface_flags(args: &RenderArgs) -> Result<(), CliError> {
    if args.secant || args.second {
        return Err(CliError::input(
            "--secant and --second draw the 1-D plots of a function of x alone; this one \
             uses y (leave them out, or use --at X,Y for the tangent plane)",
        ));
    }
    if !(2..=MAX_SURFACE_SIDE).contains(&args.resolution) {
        return Err(CliError::input(format!(
            "--resolution {} is out of range: give 2 to {MAX_SURFACE_SIDE} points per side",
            args.resolution
        )));
    }
    Ok(())
}

/// What a 2-D render draws, all flags checked: the scene (surface, overlays, runs, camera),
/// the figure around it, and where A stands.
struct SurfaceFigure {
    scene: SceneDesc,
    options: FigureOptions,
    domain: Domain,
    /// --at: A stays there; None: A follows the first run (else the domain's centre).
    fixed_at: Option<Vec<f64>>,
}

impl SurfaceFigure {
    fn new(
        args: &RenderArgs,
        function: &Function,
        gif: bool,
        size_px: [u32; 2],
    ) -> Result<Self, CliError> {
        let preset = args
            .function
            .preset
            .as_deref()
            .and_then(|name| crate::presets::find(name).ok());
        let domain = domain(args, preset)?;
        let colormap: Colormap = args.colormap.parse().map_err(CliError::input)?;
        let runs = descents(args, function)?;
        let options = FigureOptions {
            title: title(args, function, args.from.is_some())?,
            axes: true,
            legend: !args.no_legend,
        };
        // The view is what is left of the image beside the title and the colour bar.
        let aspect = FigureLayout::new(size_px, &options).view_aspect();

        let z_range = match &args.z_range {
            Some(text) => Some(parse_range("--z-range", text)?),
            None => None,
        };
        let mut scene = SceneDesc::with_z_range(function, domain, args.log_scale, aspect, z_range);
        scene.surface.colormap = colormap;
        scene.surface.wireframe = args.wireframe;
        scene.surface.contour_levels = if args.contours { CONTOUR_LEVELS } else { 0 };
        scene.overlays.show_plane = !args.no_plane;
        if let Some(preset) = preset {
            scene.set_minima(function, &preset.minima);
        }
        if let Some(text) = &args.camera {
            apply_camera(&mut scene, text, aspect)?;
        }
        if gif && runs.is_empty() {
            return Err(CliError::input(
                "an animation follows a descent: give --from X,Y (and --optimizer, --lr, --steps)",
            ));
        }
        scene.overlays.trajectories = runs;
        let fixed_at = match &args.at {
            Some(text) => Some(parse_point("--at", text, 2)?),
            None => None,
        };
        // Without --camera, the default view: angles from which the start (or --at) and the
        // runs' ends are seen (the app's own default view chooses alike).
        if args.camera.is_none() {
            if let Some(p) = &fixed_at {
                scene.set_point(function, p[0], p[1]);
            }
            scene.choose_view(function, aspect);
        }
        Ok(Self {
            scene,
            options,
            domain,
            fixed_at,
        })
    }

    /// Moves every run to frame `k` of `frames` (step k·(longest−1)/(frames−1): the first and
    /// last frames are the ends) and A with the first run, unless --at fixed it.
    fn show_frame(&mut self, function: &Function, k: usize, frames: usize) {
        let scene = &mut self.scene;
        let longest = scene
            .overlays
            .trajectories
            .iter()
            .map(|t| t.points.len())
            .max()
            .unwrap_or(1);
        let step = crate::render::frame_step(k, frames, longest);
        for run in &mut scene.overlays.trajectories {
            run.current = step.min(run.points.len().saturating_sub(1));
        }
        let at = match &self.fixed_at {
            Some(p) => Some([p[0], p[1]]),
            None => scene
                .overlays
                .trajectories
                .first()
                .and_then(|t| t.points.get(t.current))
                .map(|p| [p[0], p[1]])
                .or(Some(self.domain.center())),
        };
        if let Some([x, y]) = at {
            scene.set_point(function, x, y);
        }
    }
}

/// Evaluates the surface on the GPU, draws each of the `frames` of `figure` offscreen into --out
/// (a GIF when `gif`, else a PNG), and says what it wrote.
fn draw_frames(
    args: &RenderArgs,
    function: &Function,
    figure: &mut SurfaceFigure,
    size_px: [u32; 2],
    frames: usize,
    gif: bool,
) -> Result<(), CliError> {
    let started = Instant::now();
    let ctx = GpuContext::headless().map_err(|e| CliError::machine(e.to_string()))?;
    let mut evaluator = GridEvaluator::new(&ctx, &function.grid_wgsl())
        .map_err(|e| CliError::machine(format!("compiling the GPU kernel: {e}")))?;
    evaluator.set_data(function.data_values_f32().as_deref());
    let domain = figure.domain;
    let grid = evaluator
        .evaluate(&GridSpec::square(domain.x, domain.y, args.resolution))
        .map_err(|e| CliError::machine(e.to_string()))?;
    let mut renderer = HeadlessRenderer::new(&ctx).map_err(machine)?;

    // A GIF takes each frame as it is drawn; a PNG is the one frame.
    let mut output = Output::new(&args.out, gif)?;
    for k in 0..frames {
        figure.show_frame(function, k, frames);
        output.push(
            crate::app::offscreen::render_figure(
                &ctx,
                &mut renderer,
                &figure.scene,
                &grid,
                size_px,
                &figure.options,
            )
            .map_err(CliError::machine)?,
        )?;
    }
    output.finish()?;
    let msaa = format!(", {}× MSAA", renderer.sample_count());
    report_written(
        &args.out,
        size_px,
        gif.then_some(frames),
        &msaa,
        started,
        &ctx,
    );
    Ok(())
}

/// The line a render ends with on stderr: what was written, its size (and frames), what else
/// the caller names (`extra`, e.g. the MSAA), how long it took and on which adapter.
pub(super) fn report_written(
    out: &Path,
    size_px: [u32; 2],
    frames: Option<usize>,
    extra: &str,
    started: Instant,
    ctx: &GpuContext,
) {
    let frames = frames.map_or(String::new(), |n| format!(", {n} frames"));
    eprintln!(
        "wrote {} ({}×{}{frames}{extra}) in {:.0} ms on {}",
        out.display(),
        size_px[0],
        size_px[1],
        started.elapsed().as_secs_f64() * 1e3,
        ctx.adapter_summary()
    );
}

/// Where the frames go: streamed into a GIF, or the last one saved as a PNG.
pub(super) enum Output<'a> {
    Gif(crate::render::GifStream),
    Png {
        path: &'a Path,
        last: Option<image::RgbaImage>,
    },
}

impl<'a> Output<'a> {
    pub(super) fn new(path: &'a Path, gif: bool) -> Result<Self, CliError> {
        Ok(if gif {
            Output::Gif(crate::render::GifStream::create(path).map_err(gif_error)?)
        } else {
            Output::Png { path, last: None }
        })
    }

    pub(super) fn push(&mut self, image: image::RgbaImage) -> Result<(), CliError> {
        match self {
            Output::Gif(stream) => stream.push(image).map_err(gif_error),
            Output::Png { last, .. } => {
                *last = Some(image);
                Ok(())
            }
        }
    }

    pub(super) fn finish(self) -> Result<(), CliError> {
        match self {
            Output::Gif(_) => Ok(()),
            Output::Png { path, last } => match last {
                Some(image) => image
                    .save_with_format(path, image::ImageFormat::Png)
                    .map_err(|e| png_error(path, e)),
                None => Ok(()),
            },
        }
    }
}

fn machine(e: RenderError) -> CliError {
    CliError::machine(e.to_string())
}

/// A GIF that could not be created is the user's path to fix (exit 2); one that failed while
/// encoding is the machine's (exit 1).
pub(super) fn gif_error(e: crate::render::GifError) -> CliError {
    match e {
        crate::render::GifError::Create { .. } => CliError::input(e.to_string()),
        crate::render::GifError::Encode { .. } => CliError::machine(e.to_string()),
    }
}

/// A PNG that cannot be created (no such directory, no permission) is the user's path to fix
/// (exit 2); a failure while encoding or writing is the machine's (exit 1).
pub(super) fn png_error(path: &Path, e: image::ImageError) -> CliError {
    match &e {
        image::ImageError::IoError(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::PermissionDenied
                    | std::io::ErrorKind::IsADirectory
                    | std::io::ErrorKind::ReadOnlyFilesystem
                    | std::io::ErrorKind::NotADirectory
            ) =>
        {
            CliError::input(format!("cannot write {}: {e}", path.display()))
        }
        _ => CliError::machine(format!("writing {}: {e}", path.display())),
    }
}

pub(super) fn is_gif(path: &Path) -> Result<bool, CliError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("png") => Ok(false),
        Some("gif") => Ok(true),
        _ => Err(CliError::input(format!(
            "--out {}: the file name must end in .png (a still) or .gif (an animation)",
            path.display()
        ))),
    }
}

/// `WIDTHxHEIGHT`, each 16 to [`crate::render::MAX_IMAGE_SIDE_PX`].
fn parse_size(text: &str) -> Result<[u32; 2], CliError> {
    let sides = 16..=crate::render::MAX_IMAGE_SIDE_PX;
    super::flags::parse_size(text, sides, "1280x800")
}

fn domain(args: &RenderArgs, preset: Option<&crate::presets::Preset>) -> Result<Domain, CliError> {
    let [x, y] = args.domain.ranges(preset, || Ok((-3.0, 3.0)))?;
    // The app's own test of a drawable domain (f32 grid coordinates, not too narrow): a range
    // it refuses is the user's to fix, before any GPU work.
    crate::workspace::check_domain(&crate::workspace::DomainState {
        x: [x.0, x.1],
        y: [y.0, y.1],
    })
    .map_err(|why| CliError::input(format!("cannot draw this domain: {why}")))?;
    Ok(Domain::new(x, y))
}

fn apply_camera(scene: &mut SceneDesc, text: &str, aspect: f32) -> Result<(), CliError> {
    let values = parse_numbers("--camera", text)?;
    let [yaw_deg, pitch_deg, dist] = values[..] else {
        return Err(CliError::input(format!(
            "--camera '{text}': give YAW,PITCH,DIST (degrees, degrees, a multiple of the fitted \
             distance), e.g. --camera -60,30,1"
        )));
    };
    if !(-89.0..=89.0).contains(&pitch_deg) || !(0.05..=20.0).contains(&dist) {
        return Err(CliError::input(format!(
            "--camera '{text}': PITCH must be within ±89 degrees and DIST within 0.05 to 20"
        )));
    }
    scene.camera.yaw_rad = (yaw_deg as f32).to_radians();
    scene.camera.pitch_rad = (pitch_deg as f32).to_radians();
    scene.fit_camera(aspect);
    scene.camera.zoom(dist as f32);
    Ok(())
}

/// The title line: --title, none under --no-title, else f, the optimizers and the start.
pub(super) fn title(
    args: &RenderArgs,
    function: &Function,
    with_runs: bool,
) -> Result<Option<String>, CliError> {
    if args.no_title {
        return Ok(None);
    }
    if let Some(text) = &args.title {
        return Ok(Some(text.clone()));
    }
    let (runs, start) = if with_runs {
        // A data objective's runs differ in their batches and schedules too: the legend, which
        // has room for that, names them.
        let runs: Vec<(OptimizerKind, f64)> = match function.data_rows() {
            Some(_) => Vec::new(),
            None => run_settings(args)?.iter().map(|h| (h.kind, h.lr)).collect(),
        };
        let start = match &args.from {
            Some(text) => Some(parse_point("--from", text, function.dims())?),
            None => None,
        };
        (runs, start)
    } else {
        (Vec::new(), None)
    };
    // A data objective's source is its flags; its formula is what a reader wants to see.
    let formula = match function.data_rows() {
        Some(_) => function.text(),
        None => function.source().to_string(),
    };
    Ok(Some(crate::figure::figure_title(
        &formula,
        &runs,
        start.as_deref(),
    )))
}

/// One trajectory per --optimizer from --from, each with its colour.
fn descents(args: &RenderArgs, function: &Function) -> Result<Vec<TrajectoryOverlay>, CliError> {
    let Some(from) = &args.from else {
        if !args.optimizer.is_empty() || !args.lr.is_empty() {
            return Err(CliError::input(
                "--optimizer and --lr need a start point: give --from X,Y",
            ));
        }
        return Ok(Vec::new());
    };
    let start = parse_point("--from", from, 2)?;
    if args.steps > MAX_STEPS {
        return Err(CliError::input(format!(
            "--steps {} is more than the {MAX_STEPS} this command draws",
            args.steps
        )));
    }
    let settings = run_settings(args)?;
    let options = run_options(args, settings.len())?;
    let mut runs = Vec::new();
    for (index, (hyper, options)) in settings.into_iter().zip(options).enumerate() {
        let trajectory = run_with(function, &hyper, &options, &start, args.steps, None)
            .map_err(|e| CliError::input(e.to_string()))?;
        let label = data_run_label(&hyper, &options, function.data_rows());
        runs.push(TrajectoryOverlay::from_trajectory(&trajectory, index).with_label(label));
    }
    Ok(runs)
}

/// A run's legend entry, short enough for the figure's column: the optimizer, its lr (the
/// inverse schedule as the chapter writes it, t0/(t + t1)), and on a data objective how many
/// rows each step sees.
fn data_run_label(hyper: &Hyperparameters, options: &RunOptions, rows: Option<usize>) -> String {
    let fmt = crate::format::number;
    let lr = match options.schedule {
        Schedule::Constant => fmt(hyper.lr),
        Schedule::Inverse { t } => format!("{}/(t+{})", fmt(hyper.lr * t), fmt(t)),
        other => format!("{} ({})", fmt(hyper.lr), other.name()),
    };
    let mut label = format!("{}, lr {lr}", hyper.kind);
    if let Some(n) = rows {
        let size = options.batch.map_or(n, |b| b.size.min(n));
        label.push_str(&match size {
            1 => ", stochastic".to_string(),
            s if s == n => ", batch".to_string(),
            s => format!(", mini-batch {s}"),
        });
    }
    label
}

/// Each run's schedule and batches: one value for all runs, or one per optimizer.
fn run_options(args: &RenderArgs, runs: usize) -> Result<Vec<RunOptions>, CliError> {
    fn per_run<T: Clone>(
        flag: &str,
        values: &[T],
        runs: usize,
    ) -> Result<Vec<Option<T>>, CliError> {
        match values.len() {
            0 => Ok(vec![None; runs]),
            1 => Ok(vec![Some(values[0].clone()); runs]),
            n if n == runs => Ok(values.iter().cloned().map(Some).collect()),
            n => Err(CliError::input(format!(
                "{flag} has {n} values for {runs} optimizers: give one for all, or one each"
            ))),
        }
    }
    let schedules = per_run("--schedule", &args.schedule, runs)?;
    let sizes = per_run("--batch-size", &args.batch_size, runs)?;
    let sampling = match &args.sampling {
        Some(text) => crate::data::Sampling::parse(text).ok_or_else(|| {
            CliError::input(format!("--sampling {text}: expected shuffle or replace"))
        })?,
        None => crate::data::Sampling::Shuffle,
    };
    schedules
        .into_iter()
        .zip(sizes)
        .map(|(schedule, size)| {
            let schedule = match schedule {
                Some(spec) => Schedule::parse(&spec).map_err(|e| CliError::input(e.to_string()))?,
                None => Schedule::Constant,
            };
            let batch = match size {
                Some(0) => {
                    return Err(CliError::input(
                        "--batch-size must be at least 1 (1 is stochastic gradient descent)",
                    ));
                }
                Some(size) => Some(BatchOptions { size, sampling }),
                None => None,
            };
            Ok(RunOptions {
                schedule,
                seed: args.seed.unwrap_or(0),
                batch,
                ..RunOptions::default()
            })
        })
        .collect()
}

/// One run's settings per --optimizer, with its --lr and the hyperparameter flags it takes.
pub(super) fn run_settings(args: &RenderArgs) -> Result<Vec<Hyperparameters>, CliError> {
    let names: Vec<String> = if args.optimizer.is_empty() {
        vec!["sgd".to_owned()]
    } else {
        args.optimizer.clone()
    };
    if names.len() > crate::render::MAX_RUNS {
        return Err(CliError::input(format!(
            "{} optimizers given: one picture draws at most {}",
            names.len(),
            crate::render::MAX_RUNS
        )));
    }
    let lrs: Vec<f64> = match args.lr.len() {
        0 => vec![DEFAULT_LR; names.len()],
        1 => vec![args.lr[0]; names.len()],
        n if n == names.len() => args.lr.clone(),
        n => {
            return Err(CliError::input(format!(
                "--lr has {n} values for {} optimizers: give one for all, or one each",
                names.len()
            )));
        }
    };
    let flags = &args.hyperparameters;
    let kinds: Vec<OptimizerKind> = names
        .iter()
        .map(|n| {
            n.parse()
                .map_err(|e: crate::optim::OptimError| CliError::input(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    for flag in flags.names_given() {
        if !kinds.iter().any(|k| k.takes(flag)) {
            return Err(CliError::input(format!(
                "--{flag} is taken by none of the optimizers given ({})",
                names.join(", ")
            )));
        }
    }
    let mut runs = Vec::with_capacity(kinds.len());
    for (kind, lr) in kinds.into_iter().zip(lrs) {
        let mut hyper = Hyperparameters::new(kind, lr);
        flags.apply(&mut hyper, true)?;
        hyper
            .validate()
            .map_err(|e| CliError::input(e.to_string()))?;
        runs.push(hyper);
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_bad_ones_say_the_form() {
        assert_eq!(parse_size("160x100").unwrap(), [160, 100]);
        assert_eq!(parse_size(" 640X400 ").unwrap(), [640, 400]);
        for bad in ["160", "0x10", "axb", "99999x10"] {
            let e = parse_size(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("WIDTHxHEIGHT"), "{e}");
        }
    }
}
