//! `gradscape grid`: f and its gradient over an N×N (or N-point) grid into a float32 `.npy`,
//! on the GPU through the generated WGSL kernel, or on the CPU with the f64 evaluator.
//! Grids too large for one device buffer are evaluated in row chunks and streamed to disk.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::flags::BackendFlag;
use super::{CliError, FunctionArg, parse_range};
use crate::cpu_grid;
use crate::gpu::{GpuContext, GridEvaluator, GridLayout, GridOutput, GridSpec, ReadBack};
use crate::npy;

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// The generated WGSL compute shader (any wgpu adapter, software Vulkan included).
    Gpu,
    /// The f64 evaluator on all cores, rounded to f32.
    Cpu,
}

#[derive(Args, Debug)]
pub struct GridArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    /// x from A to B.
    #[arg(long, value_name = "A,B", allow_hyphen_values = true)]
    pub x_range: String,
    /// y from C to D (2-D functions only; defaults to the x range).
    #[arg(long, value_name = "C,D", allow_hyphen_values = true)]
    pub y_range: Option<String>,
    /// Points per axis (at least 2).
    #[arg(long, value_name = "N")]
    pub resolution: usize,
    #[command(flatten)]
    pub backend: BackendFlag,
    /// Output file (.npy).
    #[arg(long, value_name = "FILE.npy")]
    pub out: PathBuf,
    /// Rows per GPU band or CPU chunk, at most the default (tests force small ones; default: about 8 MiB a band).
    #[arg(long, hide = true)]
    pub band_rows: Option<usize>,
    /// No "wrote …" line (for `bench`, which runs the command many times).
    #[arg(skip)]
    pub quiet: bool,
}

/// Largest resolution accepted: 32768² points is 12 GiB of output already.
const MAX_RESOLUTION: usize = 32_768;
/// Rows evaluated per chunk on the CPU are capped so one chunk's values stay at most this large
/// (the same size as a GPU band, for the same reasons).
const CHUNK_BYTES: u64 = 8 << 20;
/// A GPU band's bytes: small enough that two bands in flight plus the file writer's buffer stay
/// far below the output's size, large enough that a band's dispatch and copy are not dominated
/// by their fixed costs. 8 MiB rather than 32: at 4096² the same time (the file write bounds
/// it) and 127 MB peak resident memory instead of 224 MB, fresh pages being dear on a VM.
const BAND_BYTES: u64 = 8 << 20;

pub fn run(args: &GridArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let x_range = parse_range("--x-range", &args.x_range)?;
    let y_range = match (&args.y_range, function.dims()) {
        (Some(_), 1) => {
            return Err(CliError::input(
                "--y-range was given but the function is 1-D (it uses only x)",
            ));
        }
        (Some(text), _) => parse_range("--y-range", text)?,
        (None, _) => x_range,
    };
    let n = args.resolution;
    if !(2..=MAX_RESOLUTION).contains(&n) {
        return Err(CliError::input(format!(
            "--resolution {n} is out of range: give 2 to {MAX_RESOLUTION} points per axis"
        )));
    }
    let (rows, shape) = if function.dims() == 1 {
        (1, vec![n, 2])
    } else {
        (n, vec![n, n, 3])
    };
    let components = shape[shape.len() - 1];
    let started = Instant::now();
    // Everything that can fail before writing is checked first, and the file is written under
    // a temporary name: a failed run leaves an existing FILE.npy as it was.
    let backend = match args.backend.kind {
        Backend::Cpu => None,
        Backend::Gpu => {
            check_f32_range("--x-range", x_range)?;
            check_f32_range("--y-range", y_range)?;
            let ctx = GpuContext::headless().map_err(|e| CliError::machine(e.to_string()))?;
            // A 2-D grid is computed in the .npy's own layout and written as read back; a 1-D
            // one ([f, f′] of at most 32768 points) is narrowed from vec4 points on the way.
            let layout = if function.dims() == 1 {
                GridLayout::Vec4
            } else {
                GridLayout::Packed
            };
            let mut evaluator = GridEvaluator::with_layout(&ctx, &function.grid_wgsl(), layout)
                .map_err(|e| CliError::machine(format!("compiling the GPU kernel: {e}")))?;
            evaluator.set_data(function.data_values_f32().as_deref());
            Some((ctx, evaluator))
        }
    };
    let partial = partial_path(&args.out);
    let file = File::create(&partial)
        .map_err(|e| CliError::input(format!("cannot create {}: {e}", args.out.display())))?;
    let result = write_grid(
        &function,
        backend.as_ref(),
        (x_range, y_range),
        (n, rows),
        &shape,
        components,
        file,
        args.band_rows,
    )
    .and_then(|device| {
        std::fs::rename(&partial, &args.out)
            .map_err(|e| CliError::input(format!("cannot write {}: {e}", args.out.display())))?;
        Ok(device)
    });
    let device = match result {
        Ok(device) => device,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    if args.quiet {
        return Ok(());
    }
    eprintln!(
        "wrote {} ({} float32, {}) in {:.0} ms on {device}",
        args.out.display(),
        shape
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("×"),
        if function.dims() == 1 {
            "[f, f′]"
        } else {
            "[f, ∂f/∂x, ∂f/∂y]"
        },
        started.elapsed().as_secs_f64() * 1e3
    );
    Ok(())
}

/// Writes the header and every row; returns a description of what computed them.
#[allow(clippy::too_many_arguments)]
fn write_grid(
    function: &crate::function::Function,
    backend: Option<&(GpuContext, GridEvaluator)>,
    (x_range, y_range): ((f64, f64), (f64, f64)),
    (n, rows): (usize, usize),
    shape: &[usize],
    components: usize,
    file: File,
    band_rows: Option<usize>,
) -> Result<String, CliError> {
    let mut writer = BufWriter::with_capacity(1 << 20, file);
    npy::write_header(&mut writer, shape)?;
    let device = match backend {
        None => {
            let xs = cpu_grid::axis(x_range.0, x_range.1, n);
            let ys = cpu_grid::axis(y_range.0, y_range.1, rows);
            // One buffer of a chunk's rows in the file's layout, filled in place chunk after
            // chunk: no narrowing copy, and its pages are paid for once.
            let mut values = Vec::new();
            // --band-rows (for tests) can only make chunks smaller: a huge one must not ask
            // for gigabytes at once.
            let default_rows = CHUNK_BYTES as usize / (n * components * 4);
            let chunk_rows = band_rows.map_or(default_rows, |r| r.min(default_rows));
            for_each_chunk(rows, chunk_rows, |row0, count| {
                values.resize(count * n * components, 0.0);
                let ys = &ys[row0..row0 + count];
                cpu_grid::fill_rows(function, &xs, ys, components, &mut values);
                npy::write_f32s(&mut writer, &values)?;
                Ok(())
            })?;
            format!("CPU, {} threads", rayon::current_num_threads())
        }
        Some((ctx, evaluator)) => {
            let default_rows = {
                let bytes = BAND_BYTES.min(ctx.limits().max_buffer_size);
                (bytes / (n as u64 * evaluator.layout().point_bytes())).max(1) as usize
            };
            let band_rows = band_rows.map_or(default_rows, |r| r.min(default_rows));
            stream_bands(
                ctx,
                evaluator,
                (x_range, y_range),
                (n, rows),
                band_rows.clamp(1, rows.max(1)),
                components,
                &mut writer,
            )?;
            ctx.adapter_summary()
        }
    };
    writer.flush()?;
    Ok(device)
}

/// The GPU path: bands of `band_rows` rows, two in flight — while one band is written to disk
/// straight from its mapped read-back buffer, the next is computed and copied. Host memory stays
/// at two bands plus the writer's buffer, whatever the grid's size. Packed bands are the file's
/// bytes already and go to disk as they are; vec4 bands are narrowed to `components` first.
fn stream_bands(
    ctx: &GpuContext,
    evaluator: &GridEvaluator,
    (x_range, y_range): ((f64, f64), (f64, f64)),
    (n, rows): (usize, usize),
    band_rows: usize,
    components: usize,
    writer: &mut impl Write,
) -> Result<(), CliError> {
    let machine = |e: crate::gpu::GpuError| CliError::machine(e.to_string());
    let bands: Vec<(usize, usize)> = (0..rows)
        .step_by(band_rows)
        .map(|row0| (row0, band_rows.min(rows - row0)))
        .collect();
    let spec = |&(row0, count): &(usize, usize)| {
        let (ys, ye) = chunk_range(y_range, rows, row0, count);
        GridSpec {
            x_range,
            y_range: (ys, ye),
            nx: n as u32,
            ny: count as u32,
        }
    };
    let capacity = (band_rows * n) as u64 * evaluator.layout().point_bytes();
    let mut staging = [
        ReadBack::new(ctx, capacity).map_err(machine)?,
        ReadBack::new(ctx, capacity).map_err(machine)?,
    ];
    let mut outputs: [Option<GridOutput>; 2] = [None, None];
    let submit = |k: usize,
                  outputs: &mut [Option<GridOutput>; 2],
                  staging: &mut [ReadBack; 2]|
     -> Result<(), CliError> {
        let slot = k % 2;
        let spec = spec(&bands[k]);
        match &mut outputs[slot] {
            Some(output) => evaluator.evaluate_into(&spec, output).map_err(machine)?,
            None => outputs[slot] = Some(evaluator.evaluate(&spec).map_err(machine)?),
        }
        if let Some(output) = &outputs[slot] {
            staging[slot].copy_from(ctx, output).map_err(machine)?;
        }
        Ok(())
    };
    for k in 0..bands.len().min(2) {
        submit(k, &mut outputs, &mut staging)?;
    }
    let mut scratch = Vec::new();
    for k in 0..bands.len() {
        let slot = k % 2;
        match evaluator.layout() {
            GridLayout::Packed => staging[slot]
                .read(ctx, |values: &[f32]| npy::write_f32s(writer, values))
                .map_err(machine)??,
            GridLayout::Vec4 => staging[slot]
                .read(ctx, |points: &[[f32; 4]]| {
                    write_points(writer, points, components, &mut scratch)
                })
                .map_err(machine)??,
        }
        if k + 2 < bands.len() {
            submit(k + 2, &mut outputs, &mut staging)?;
        }
    }
    Ok(())
}

/// The GPU computes coordinates in f32: ends beyond its range are bad input, not a failure.
fn check_f32_range(flag: &str, (a, b): (f64, f64)) -> Result<(), CliError> {
    let finite = |v: f64| (v as f32).is_finite();
    if finite(a) && finite(b) && finite(b - a) {
        Ok(())
    } else {
        Err(CliError::input(format!(
            "{flag} {a},{b} is beyond what the GPU's 32-bit floats can hold (about ±3.4e38); \
             use --backend cpu"
        )))
    }
}

/// `FILE.npy.partial` beside the target, renamed into place once complete.
fn partial_path(out: &std::path::Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

/// Calls `f(row0, rows)` over chunks of `chunk_rows` rows (at least one), the last one shorter.
fn for_each_chunk(
    rows: usize,
    chunk_rows: usize,
    mut f: impl FnMut(usize, usize) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let per_chunk = chunk_rows.clamp(1, rows.max(1));
    let mut row0 = 0;
    while row0 < rows {
        let count = per_chunk.min(rows - row0);
        f(row0, count)?;
        row0 += count;
    }
    Ok(())
}

/// The y range covered by rows `row0 .. row0+count` of an `n`-row grid over `y`, for the GPU,
/// which steps through it in f32 from the chunk's first row.
fn chunk_range(y: (f64, f64), n: usize, row0: usize, count: usize) -> (f64, f64) {
    if n <= 1 {
        return y;
    }
    let row = |i: usize| y.0 + i as f64 * (y.1 - y.0) / (n - 1) as f64; // as cpu_grid::axis
    (row(row0), row(row0 + count - 1))
}

/// Writes the first `components` of each point as little-endian float32, through `scratch` (kept
/// between calls, so a band costs no allocation).
fn write_points(
    writer: &mut impl Write,
    points: &[[f32; 4]],
    components: usize,
    scratch: &mut Vec<f32>,
) -> Result<(), CliError> {
    scratch.clear();
    scratch.reserve(points.len() * components);
    for p in points {
        scratch.extend_from_slice(&p[..components]);
    }
    npy::write_f32s(writer, scratch)?;
    Ok(())
}
