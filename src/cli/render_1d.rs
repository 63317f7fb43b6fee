//! `gradscape render` for a 1-D function: the app's notebook view (f with its tangent at A, f′
//! below, optionally f″; or the secant view with A, B, rise and run) drawn offscreen, as a
//! still, or as a GIF of B gliding to A (`--secant`) or of the descent balls rolling.

use std::time::Instant;

use super::render::{RenderArgs, run_settings};
use super::{CliError, parse_point, parse_range};
use crate::function::Function;
use crate::gpu::GpuContext;
use crate::workspace::{AppState, DomainState, NotebookMode, RunConfig, Workspace};

/// The x range without --x-range or a preset, as for surfaces.
const DEFAULT_X: [f64; 2] = [-3.0, 3.0];
/// The most steps a run may take here.
const MAX_STEPS: usize = 100_000;

pub(super) fn run(
    args: &RenderArgs,
    function: &Function,
    gif: bool,
    frames: usize,
    size_px: [u32; 2],
) -> Result<(), CliError> {
    refuse_3d_flags(args, size_px)?;
    let preset = args
        .function
        .preset
        .as_deref()
        .and_then(|name| crate::presets::find(name).ok());
    let x = match &args.domain.x_range {
        Some(text) => {
            let (a, b) = parse_range("--x-range", text)?;
            [a, b]
        }
        None => preset.map_or(DEFAULT_X, |p| p.domain.x),
    };
    let width = x[1] - x[0];
    let domain = DomainState {
        x,
        y: [-width / 2.0, width / 2.0],
    };
    // Workspace::new would quietly put a refused domain back to the default: refuse it here.
    crate::workspace::check_domain(&domain)
        .map_err(|why| CliError::input(format!("cannot draw this range: {why}")))?;
    let runs: Vec<RunConfig> = match &args.from {
        Some(_) => run_settings(args)?
            .into_iter()
            .enumerate()
            .map(|(i, hyper)| RunConfig {
                hyper,
                ..RunConfig::new(hyper.kind, hyper.lr, i)
            })
            .collect(),
        None if !args.optimizer.is_empty() || !args.lr.is_empty() => {
            return Err(CliError::input(
                "--optimizer and --lr need a start point: give --from X",
            ));
        }
        None => Vec::new(),
    };
    let point = |flag: &str, text: &Option<String>| -> Result<Option<f64>, CliError> {
        text.as_ref()
            .map(|t| parse_point(flag, t, 1).map(|p| p[0]))
            .transpose()
    };
    // A is where the runs start: --from, else --at, else the middle of the range.
    let a = point("--from", &args.from)?
        .or(point("--at", &args.at)?)
        .unwrap_or((x[0] + x[1]) / 2.0);
    if gif && !args.secant && runs.is_empty() {
        return Err(CliError::input(
            "an animation follows a descent or a secant: give --from X (and --optimizer, --lr, \
             --steps), or --secant",
        ));
    }

    let source = function.source().to_string();
    let mut state = AppState {
        source: source.clone(),
        good_source: source,
        preset: preset.map(|p| p.name.clone()),
        domain,
        runs,
        start: [a, 0.0],
        // A data objective is built from its flags, as the app keeps them.
        data: args.function.data_spec(),
        ..AppState::default()
    };
    state.playback.max_steps = args.steps.max(1);
    state.notebook.mode = if args.secant {
        NotebookMode::Secant
    } else {
        NotebookMode::Tangent
    };
    state.notebook.show_second = args.second;
    let mut model = Workspace::new(state);
    // Workspace::new falls back to a default function on an expression it cannot parse; this one
    // parsed already, so the check is only a guard.
    if model.dims() != 1 {
        return Err(CliError::machine("the 1-D view could not be set up"));
    }
    model.set_start(a, 0.0);

    let title = super::render::title(args, function, args.from.is_some())?;
    draw_frames(args, &mut model, title.as_deref(), gif, frames, size_px)
}

/// The 3-D view's flags, a size beyond the renderer's and too many steps are refused with
/// what to do, rather than ignored.
fn refuse_3d_flags(args: &RenderArgs, size_px: [u32; 2]) -> Result<(), CliError> {
    if args.domain.y_range.is_some() {
        return Err(CliError::input(
            "--y-range: this function has no y (it is 1-D); give --x-range only",
        ));
    }
    // The surface's options mean nothing for the 1-D plots: say so rather than ignore them.
    for (given, flag) in [
        (args.camera.is_some(), "--camera"),
        (args.contours, "--contours"),
        (args.wireframe, "--wireframe"),
        (args.no_plane, "--no-plane"),
        (args.log_scale, "--log-scale"),
        (args.z_range.is_some(), "--z-range"),
    ] {
        if given {
            return Err(CliError::input(format!(
                "{flag} styles the 3-D surface of a 2-D function; this one is 1-D, drawn as \
                 plots of f and f′ (leave {flag} out)"
            )));
        }
    }
    let most = crate::render::MAX_IMAGE_SIDE_PX;
    if size_px.iter().any(|&side| side > most) {
        return Err(CliError::input(format!(
            "--size {}x{} is too large: at most {most} pixels a side",
            size_px[0], size_px[1]
        )));
    }
    if args.steps > MAX_STEPS {
        return Err(CliError::input(format!(
            "--steps {} is more than the {MAX_STEPS} this command draws",
            args.steps
        )));
    }
    if args.no_legend {
        return Err(CliError::input(
            "--no-legend drops the 3-D view's legend; the 1-D plots have none to drop (leave it \
             out)",
        ));
    }
    Ok(())
}

/// The notebook's view drawn offscreen, once or as the frames of a GIF (the descent's steps,
/// or the secant's B closing in on A), and written out.
fn draw_frames(
    args: &RenderArgs,
    model: &mut Workspace,
    title: Option<&str>,
    gif: bool,
    frames: usize,
    size_px: [u32; 2],
) -> Result<(), CliError> {
    let started = Instant::now();
    let gpu = GpuContext::headless().map_err(|e| CliError::machine(e.to_string()))?;
    let rows = model.last_step() + 1;
    let mut output = super::render::Output::new(&args.out, gif)?;
    for k in 0..frames {
        if args.secant {
            // The scrub parameter B → A: 0 where B starts, 1 next to A.
            model.state.notebook.secant_t = if frames > 1 {
                k as f64 / (frames - 1) as f64
            } else {
                0.0
            };
        }
        model.state.playback.step = crate::render::frame_step(k, frames, rows);
        let image = crate::app::offscreen::render_ui(&gpu, size_px, |ui| {
            egui::CentralPanel::default()
                .show(ui, |ui| crate::figure::notebook::figure(ui, model, title));
        })
        .map_err(CliError::machine)?;
        output.push(image)?;
    }
    output.finish()?;
    super::render::report_written(&args.out, size_px, gif.then_some(frames), "", started, &gpu);
    Ok(())
}
