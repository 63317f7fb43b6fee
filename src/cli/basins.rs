//! `gradscape basins`: a descent from every point of an N×N (or N-point) lattice, each run as
//! `descend` would run it, into a float32 `.npy` of where each ended, or a PNG of the basins of
//! attraction with a legend. On the GPU in f32 (the swarm kernel) or the CPU in f64.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use clap::Args;

use super::flags::{DomainFlags, LrFlag, OptimizerFlag, SwarmFlags};
use super::grid::Backend;
use super::swarm_common::{OutputKind, build_hyper, run_batch, write_npy_atomically};
use super::{CliError, FunctionArg, ManyDescentsFlags};
use crate::cpu_grid;
use crate::optim::Status;
use crate::swarm::{
    Batch, End, MAX_BATCH_STEPS, basin_radius, classify, lattice, settle_tolerance,
};

#[derive(Args, Debug)]
pub struct BasinsArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    // --x-range and --y-range.
    #[command(flatten)]
    pub domain: DomainFlags,
    /// Starts per axis: N×N for a 2-D function (2 to 2048), N for a 1-D one (2 to 65536).
    #[arg(long, value_name = "N")]
    pub resolution: usize,
    #[command(flatten)]
    pub optimizer: OptimizerFlag,
    #[command(flatten)]
    pub lr: LrFlag,
    #[command(flatten)]
    pub run: ManyDescentsFlags,
    #[command(flatten)]
    pub swarm: SwarmFlags,
}

const MAX_RESOLUTION_2D: usize = 2048;
const MAX_RESOLUTION_1D: usize = 65_536;

pub fn run(args: &BasinsArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let preset = match &args.function.preset {
        Some(name) => Some(crate::presets::find(name).map_err(|e| CliError::input(e.to_string()))?),
        None => None,
    };
    let dims = function.dims();
    let [x_range, y_range] = ranges(args, dims, preset)?;
    let n = args.resolution;
    let max_n = if dims == 1 {
        MAX_RESOLUTION_1D
    } else {
        MAX_RESOLUTION_2D
    };
    if !(2..=max_n).contains(&n) {
        return Err(CliError::input(format!(
            "--resolution {n} is out of range: give 2 to {max_n} starts per axis for a {dims}-D function"
        )));
    }
    let (steps, options) = args.run.steps_and_options(&function)?;
    if steps > MAX_BATCH_STEPS {
        return Err(CliError::input(format!(
            "{} steps is more than the {MAX_BATCH_STEPS} a basin map runs",
            steps
        )));
    }
    if args.swarm.backend.kind == Backend::Gpu {
        check_f32_lattice("--x-range", x_range, n)?;
        if dims == 2 {
            check_f32_lattice("--y-range", y_range, n)?;
        }
    }
    let (kind, size_px) = args.swarm.output()?;
    let hyper = build_hyper(
        &args.optimizer.name,
        args.lr.value,
        &args.swarm.hyperparameters,
    )?;

    args.run
        .check_work("this basin map", n.pow(dims as u32), steps, &function)?;
    let starts = lattice(x_range, (dims == 2).then_some(y_range), n, args.lr.value);
    let batch = Batch {
        hyper,
        swept: None,
        max_steps: steps,
        tol: args.swarm.tol.value,
        dims,
        starts,
    };
    // A figure is drawn by the GPU even after a CPU run: find one before the work, not after.
    let figure_gpu = figure_context(kind)?;
    let started = Instant::now();
    let (ends, device) = run_batch(&function, &batch, &options, args.swarm.backend.kind)?;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;

    let known = preset.map(|p| p.minima_xy()).unwrap_or_default();
    let radius = basin_radius(x_range, (dims == 2).then_some(y_range));
    let settle_tol = args.swarm.tol.value.unwrap_or_else(|| {
        let points: Vec<[f64; 2]> = batch.starts.iter().map(|s| s.point).collect();
        settle_tolerance(&function, &points)
    });
    let map = classify(&ends, &known, radius, dims, settle_tol);

    match kind {
        OutputKind::Npy => {
            let shape = if dims == 1 { vec![n, 4] } else { vec![n, n, 5] };
            let values = npy_values(&ends, dims);
            write_npy_atomically(&args.swarm.out, &shape, &values)?;
        }
        OutputKind::Png => {
            let figure = crate::figure::BasinFigure {
                title: format!(
                    "Basins of attraction: f = {} · {} lr {} · {} steps{}",
                    crate::math::pretty(&function.text()),
                    hyper.kind,
                    crate::format::number(args.lr.value),
                    steps,
                    args.swarm
                        .tol
                        .value
                        .map(|t| format!(" · tol {}", crate::format::number(t)))
                        .unwrap_or_default()
                ),
                x_range,
                y_range: (dims == 2).then_some(y_range),
                side: n,
                map: &map,
                ends: &ends,
            };
            save_figure(figure_gpu.as_ref(), &args.swarm.out, size_px, |ui| {
                figure.show(ui)
            })?;
        }
    }
    eprintln!(
        "wrote {} ({} descents × up to {} steps) in {elapsed_ms:.0} ms on {device}: {}",
        args.swarm.out.display(),
        ends.len(),
        steps,
        outcomes(&map),
    );
    Ok(())
}

/// An interval (from, to).
type Range = (f64, f64);

/// The ranges the starts cover: as given, else the preset's domain; y like x unless given.
fn ranges(
    args: &BasinsArgs,
    dims: usize,
    preset: Option<&crate::presets::Preset>,
) -> Result<[Range; 2], CliError> {
    if dims == 1 && args.domain.y_range.is_some() {
        return Err(CliError::input(
            "--y-range was given but the function is 1-D (it uses only x)",
        ));
    }
    args.domain.ranges(preset, || {
        Err(CliError::input(
            "--x-range A,B is needed (only a --preset brings its own domain)",
        ))
    })
}

/// Every outcome's share, whatever its size: the basins (and the minima past the legend's
/// colours), diverged, unsettled, singular Hessians.
fn outcomes(map: &crate::swarm::BasinMap) -> String {
    let mut shares: Vec<String> = (0..map.centers.len().min(crate::swarm::MAX_BASINS))
        .filter(|&k| map.sizes[k] > 0)
        .map(|k| format!("{:.1} %", 100.0 * map.share(k)))
        .collect();
    let more = map.more();
    if let Some((count, cells)) = more {
        shares.push(format!(
            "{count} more minima {:.1} %",
            100.0 * map.share_of(cells)
        ));
    }
    let basins = shares.len() + more.map_or(0, |(count, _)| count.saturating_sub(1));
    // Every status is named, whatever its share: a map of singular Hessians says so.
    let mut outcomes = vec![format!(
        "{basins} basin{}{}",
        if basins == 1 { "" } else { "s" },
        if shares.is_empty() {
            String::new()
        } else {
            format!(" ({})", shares.join(", "))
        }
    )];
    outcomes.push(format!(
        "{:.1} % diverged",
        100.0 * map.share_of(map.diverged)
    ));
    outcomes.push(format!(
        "{:.1} % unsettled",
        100.0 * map.share_of(map.unsettled)
    ));
    outcomes.push(format!(
        "{:.1} % stopped at a singular Hessian",
        100.0 * map.share_of(map.singular)
    ));
    outcomes.join(", ")
}

/// The GPU starts from f32 coordinates: a range f32 cannot hold, or so narrow that its `n` lattice
/// points would not be `n` distinct f32 numbers, is bad input there (the CPU backend takes it).
fn check_f32_lattice(flag: &str, (a, b): (f64, f64), n: usize) -> Result<(), CliError> {
    let points: Vec<f32> = cpu_grid::axis(a, b, n).iter().map(|&v| v as f32).collect();
    let distinct = points.windows(2).all(|w| w[0] < w[1]);
    if points.iter().all(|v| v.is_finite()) && distinct {
        Ok(())
    } else {
        Err(CliError::input(format!(
            "{flag} {a},{b}: the GPU's 32-bit floats cannot tell {n} points apart there \
             (use --backend cpu, or a wider range or fewer points)"
        )))
    }
}

/// `[x_end, (y_end,) f_end, steps, status]` per start; NaN end and value for a diverged run.
fn npy_values(ends: &[End], dims: usize) -> Vec<f32> {
    let mut values = Vec::with_capacity(ends.len() * (dims + 3));
    for end in ends {
        let diverged = end.status == Status::Diverged;
        let nan_if = |v: f64| if diverged { f32::NAN } else { v as f32 };
        values.push(nan_if(end.point[0]));
        if dims == 2 {
            values.push(nan_if(end.point[1]));
        }
        values.push(nan_if(end.value));
        values.push(end.steps as f32);
        values.push(f32::from(end.status_code()));
    }
    values
}

/// A GPU context for drawing a PNG figure (egui offscreen), when the output is one.
pub(super) fn figure_context(kind: OutputKind) -> Result<Option<crate::gpu::GpuContext>, CliError> {
    match kind {
        OutputKind::Png => crate::gpu::GpuContext::headless().map(Some).map_err(|e| {
            CliError::machine(format!("drawing a .png figure needs a GPU adapter: {e}"))
        }),
        OutputKind::Npy => Ok(None),
    }
}

/// Draws `ui` offscreen at `size_px` on `gpu` and writes the PNG (never leaving half a file).
pub(super) fn save_figure(
    gpu: Option<&crate::gpu::GpuContext>,
    path: &Path,
    size_px: [u32; 2],
    ui: impl FnMut(&mut egui::Ui),
) -> Result<(), CliError> {
    let gpu = gpu.ok_or_else(|| CliError::machine("no GPU context to draw the figure with"))?;
    let image = crate::app::offscreen::render_ui(gpu, size_px, ui)
        .map_err(|e| CliError::machine(format!("drawing the figure: {e}")))?;
    let partial = super::swarm_common::partial_path(path);
    image
        .save_with_format(&partial, image::ImageFormat::Png)
        .map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            CliError::input(format!("cannot write {}: {e}", path.display()))
        })?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        CliError::input(format!("cannot write {}: {e}", path.display()))
    })
}
