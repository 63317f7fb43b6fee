//! `gradscape grid`: f and its gradient over an N×N (or N-point) grid into a float32 `.npy`,
//! on the GPU through the generated WGSL kernel, or on the CPU with the f64 evaluator.
//! Grids too large for one device buffer are evaluated in row chunks and streamed to disk.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::{CliError, FunctionArg, parse_range};
use crate::cpu_grid;
use crate::gpu::{GpuContext, GridEvaluator, GridSpec, POINT_BYTES};
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
    #[arg(long, value_enum, default_value = "gpu")]
    pub backend: Backend,
    /// Output file (.npy).
    #[arg(long, value_name = "FILE.npy")]
    pub out: PathBuf,
}

/// Largest resolution accepted: 32768² points is 12 GiB of output already.
const MAX_RESOLUTION: usize = 32_768;
/// Rows evaluated per chunk are capped so one chunk's buffer stays at most this large.
const CHUNK_BYTES: u64 = 512 << 20;

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
    let backend = match args.backend {
        Backend::Cpu => None,
        Backend::Gpu => {
            check_f32_range("--x-range", x_range)?;
            check_f32_range("--y-range", y_range)?;
            let ctx = GpuContext::headless().map_err(|e| CliError::machine(e.to_string()))?;
            let evaluator = GridEvaluator::new(&ctx, &function.grid_wgsl())
                .map_err(|e| CliError::machine(format!("compiling the GPU kernel: {e}")))?;
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
fn write_grid(
    function: &crate::function::Function,
    backend: Option<&(GpuContext, GridEvaluator)>,
    (x_range, y_range): ((f64, f64), (f64, f64)),
    (n, rows): (usize, usize),
    shape: &[usize],
    components: usize,
    file: File,
) -> Result<String, CliError> {
    let mut writer = BufWriter::new(file);
    npy::write_header(&mut writer, shape)?;
    let device = match backend {
        None => {
            let xs = cpu_grid::axis(x_range.0, x_range.1, n);
            let ys = cpu_grid::axis(y_range.0, y_range.1, rows);
            for_each_chunk(rows, n, CHUNK_BYTES, |row0, count| {
                let points = cpu_grid::evaluate_rows(function, &xs, &ys[row0..row0 + count]);
                write_points(&mut writer, &points, components)
            })?;
            format!("CPU, {} threads", rayon::current_num_threads())
        }
        Some((ctx, evaluator)) => {
            // A chunk must also fit the device's largest buffer, so big grids are split.
            let chunk_bytes = CHUNK_BYTES.min(ctx.limits().max_buffer_size);
            for_each_chunk(rows, n, chunk_bytes, |row0, count| {
                let (ys, ye) = chunk_range(y_range, n, row0, count);
                let spec = GridSpec {
                    x_range,
                    y_range: (ys, ye),
                    nx: n as u32,
                    ny: count as u32,
                };
                let points = evaluator
                    .evaluate(&spec)
                    .and_then(|g| g.read_back(ctx))
                    .map_err(|e| CliError::machine(e.to_string()))?;
                write_points(&mut writer, &points, components)
            })?;
            ctx.adapter_summary()
        }
    };
    writer.flush()?;
    Ok(device)
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

/// Calls `f(row0, rows)` over chunks of rows small enough for one device buffer.
fn for_each_chunk(
    rows: usize,
    n: usize,
    chunk_bytes: u64,
    mut f: impl FnMut(usize, usize) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let per_chunk = ((chunk_bytes / (n as u64 * POINT_BYTES)) as usize).clamp(1, rows.max(1));
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

fn write_points(
    writer: &mut impl Write,
    points: &[[f32; 4]],
    components: usize,
) -> Result<(), CliError> {
    let flat: Vec<f32> = points
        .iter()
        .flat_map(|p| p[..components].iter().copied())
        .collect();
    npy::write_f32s(writer, &flat)?;
    Ok(())
}
