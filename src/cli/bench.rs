//! `gradscape bench`: the grid evaluators measured side by side in one process — GPU dispatch,
//! GPU with read-back, the parallel f64 CPU backend, and NumPy evaluating the same grid the
//! notebook's way (benches/numpy_grid.py) — plus the time from a new expression to its first
//! grid. Medians, with ratios against NumPy; these machines are noisy, so compare within a run.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use clap::Args;

use super::CliError;
use crate::cpu_grid;
use crate::function::Function;
use crate::gpu::{GpuContext, GridEvaluator, GridLayout, GridOutput, GridSpec};

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Grid sizes, points per axis.
    #[arg(long, value_delimiter = ',', default_values_t = [1024usize, 4096])]
    pub sizes: Vec<usize>,
    /// Timed repetitions per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub repeats: usize,
    /// Python interpreter with NumPy for the notebook baseline.
    #[arg(long, default_value = "python3")]
    pub python: String,
    /// Skip the NumPy baseline.
    #[arg(long)]
    pub no_numpy: bool,
    /// Starts per side of the swarm section (GPU and NumPy).
    #[arg(long, default_value_t = 1024)]
    pub swarm_side: usize,
    /// Starts per side for the f64 CPU runner in the swarm section (a rate, so fewer suffice).
    #[arg(long, default_value_t = 256)]
    pub swarm_cpu_side: usize,
    /// Steps of every descent in the swarm section.
    #[arg(long, default_value_t = 200)]
    pub swarm_steps: usize,
    /// Only the swarm section.
    #[arg(long, conflicts_with = "no_swarm")]
    pub swarm_only: bool,
    /// Skip the swarm section.
    #[arg(long)]
    pub no_swarm: bool,
    /// Rows of the data section's data set (a line with noise).
    #[arg(long, default_value_t = 10_000)]
    pub data_rows: usize,
    /// θ points per side of the data section's loss surface.
    #[arg(long, default_value_t = 256)]
    pub data_side: usize,
    /// Only the data section.
    #[arg(long, conflicts_with_all = ["no_data", "swarm_only"])]
    pub data_only: bool,
    /// Skip the data section.
    #[arg(long)]
    pub no_data: bool,
}

impl BenchArgs {
    /// The Python that runs the NumPy baselines, unless --no-numpy.
    pub(super) fn numpy_python(&self) -> Option<&str> {
        (!self.no_numpy).then_some(self.python.as_str())
    }
}

/// A benchmark function; `key` is shared with benches/numpy_grid.py.
struct Case {
    key: &'static str,
    expr: &'static str,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

const CASES: [Case; 3] = [
    Case {
        key: "sin_xy",
        expr: "sin(x*y)",
        x_range: (-3.0, 3.0),
        y_range: (-3.0, 3.0),
    },
    Case {
        key: "rosenbrock",
        expr: "(1 - x)^2 + 100*(y - x^2)^2",
        x_range: (-2.0, 2.0),
        y_range: (-1.0, 3.0),
    },
    Case {
        key: "rastrigin",
        expr: "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
        x_range: (-5.12, 5.12),
        y_range: (-5.12, 5.12),
    },
];

pub fn run(args: &BenchArgs, out: &mut dyn Write) -> Result<(), CliError> {
    check_sizes(args)?;
    let ctx = GpuContext::headless().map_err(|e| CliError::machine(e.to_string()))?;
    writeln!(out, "GPU: {}", ctx.adapter_summary())?;
    writeln!(
        out,
        "CPU: {} threads ({} cores available)",
        rayon::current_num_threads(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    )?;
    writeln!(out)?;
    if !args.no_data {
        if !(1..=1_000_000).contains(&args.data_rows) || !(2..=4096).contains(&args.data_side) {
            return Err(CliError::input(
                "--data-rows must be between 1 and 1000000 and --data-side between 2 and 4096",
            ));
        }
        super::bench_data::data_table(&ctx, out, args)?;
        writeln!(out)?;
        if args.data_only {
            return Ok(());
        }
    }
    if !args.no_swarm && !args.data_only {
        super::bench_swarm::swarm_table(&ctx, out, args)?;
        writeln!(out)?;
        if args.swarm_only {
            return Ok(());
        }
    }
    let floors = grid_table(&ctx, args, out)?;
    limits_and_latency(&ctx, args, out, floors)
}

/// A Markdown table's header row (`| a | b |`) and the rule under it.
pub(super) fn table_header(out: &mut dyn Write, header: &str) -> Result<(), CliError> {
    writeln!(out, "{header}")?;
    let columns = header.matches('|').count().saturating_sub(1);
    writeln!(out, "|{}", "---|".repeat(columns))?;
    Ok(())
}

/// Sizes and counts within what the benchmark can run.
fn check_sizes(args: &BenchArgs) -> Result<(), CliError> {
    if !(1..=1000).contains(&args.repeats) || args.sizes.iter().any(|&n| !(2..=8192).contains(&n)) {
        return Err(CliError::input(
            "--repeats must be between 1 and 1000 and each size between 2 and 8192",
        ));
    }
    let swarm_sizes_ok = (16..=4096).contains(&args.swarm_side)
        && (16..=4096).contains(&args.swarm_cpu_side)
        && (1..=100_000).contains(&args.swarm_steps);
    if !swarm_sizes_ok {
        return Err(CliError::input(
            "--swarm-side and --swarm-cpu-side must be between 16 and 4096, --swarm-steps between 1 and 100000",
        ));
    }
    Ok(())
}

/// The grid table: each size's NumPy baseline and one row per case; returns the limits
/// measured at each size, printed under it.
fn grid_table(
    ctx: &GpuContext,
    args: &BenchArgs,
    out: &mut dyn Write,
) -> Result<Vec<String>, CliError> {
    writeln!(
        out,
        "gradscape bench: f + ∇f over N×N grids, median of {} runs",
        args.repeats
    )?;
    table_header(
        out,
        "| function | N | GPU dispatch ms | GPU + read-back ms | CPU f64 ms | NumPy f64 ms | NumPy f32 ms | dispatch vs NumPy f64 | dispatch vs NumPy f32 | grid → .npy ms | NumPy f32 + np.save ms | .npy vs NumPy |",
    )?;
    // What bounds the columns, measured per size and printed under the table.
    let mut floors = Vec::new();
    for &n in &args.sizes {
        eprintln!("bench: NumPy baseline at {n}²…");
        let numpy = if args.no_numpy {
            Err("skipped (--no-numpy)".to_string())
        } else {
            numpy_baseline(&args.python, n, args.repeats)
        };
        for case in CASES {
            grid_row(ctx, args, out, n, &case, numpy.as_ref())?;
        }
        if let Err(why) = numpy {
            writeln!(out, "(NumPy at N = {n}: {why})")?;
        }
        eprintln!("bench: limits at {n}²…");
        floors.push(limits_at(ctx, n, args.repeats)?);
    }
    Ok(floors)
}

/// One function's row of the grid table at N = n: GPU dispatch and read-back, CPU f64, the
/// `grid` command to a .npy, against NumPy's numbers for the same case.
fn grid_row(
    ctx: &GpuContext,
    args: &BenchArgs,
    out: &mut dyn Write,
    n: usize,
    case: &Case,
    numpy: Result<&serde_json::Value, &String>,
) -> Result<(), CliError> {
    let Case {
        key,
        expr,
        x_range,
        y_range,
    } = *case;
    eprintln!("bench: {expr} at {n}²…");
    let function = Function::parse(expr).map_err(|e| CliError::machine(e.to_string()))?;
    let evaluator = GridEvaluator::new(ctx, &function.grid_wgsl())
        .map_err(|e| CliError::machine(e.to_string()))?;
    let spec = GridSpec::square(x_range, y_range, n as u32);
    let gpu_err = |e: crate::gpu::GpuError| CliError::machine(e.to_string());
    let (dispatch, mut grid) = dispatch_median(ctx, &evaluator, &spec, args.repeats)?;
    // Read back as `grid` does: into a reused staging buffer, read in place once mapped.
    let mut staging = crate::gpu::ReadBack::new(ctx, grid.byte_size()).map_err(gpu_err)?;
    let readback = median_ms(args.repeats, || {
        evaluator.evaluate_into(&spec, &mut grid).map_err(gpu_err)?;
        staging.copy_from(ctx, &grid).map_err(gpu_err)?;
        staging
            .read(ctx, |points: &[[f32; 4]]| {
                // Touch every page, as a writer would.
                std::hint::black_box(points.iter().step_by(256).map(|p| p[0]).sum::<f32>())
            })
            .map_err(gpu_err)?;
        Ok(())
    })?;
    // As `grid --backend cpu` fills a chunk: the .npy's [f, ∂f/∂x, ∂f/∂y] into a buffer
    // that is reused, as the GPU column reuses its grid buffer.
    let (xs, ys) = (
        cpu_grid::axis(x_range.0, x_range.1, n),
        cpu_grid::axis(y_range.0, y_range.1, n),
    );
    let mut cpu_values = vec![0.0f32; n * n * 3];
    let cpu = median_ms(args.repeats, || {
        cpu_grid::fill_rows(&function, &xs, &ys, 3, &mut cpu_values);
        Ok(())
    })?;
    drop(cpu_values);
    // As a user runs it: a new device and pipeline, the grid streamed into a file.
    let npy_path = std::env::temp_dir().join(format!("gradscape-bench-{}.npy", std::process::id()));
    let to_npy = median_ms(args.repeats, || {
        let grid_args = super::grid::GridArgs {
            function: super::FunctionArg {
                expr: Some(expr.to_string()),
                ..Default::default()
            },
            x_range: format!("{},{}", x_range.0, x_range.1),
            y_range: Some(format!("{},{}", y_range.0, y_range.1)),
            resolution: n,
            backend: super::flags::BackendFlag {
                kind: super::grid::Backend::Gpu,
            },
            out: npy_path.clone(),
            band_rows: None,
            quiet: true,
        };
        super::grid::run(&grid_args, &mut std::io::sink())
    })?;
    let _ = std::fs::remove_file(&npy_path);
    let value = |name: &str| match numpy {
        Ok(v) => v[key][name].as_f64().unwrap_or(f64::NAN),
        Err(_) => f64::NAN,
    };
    let (np64, np32, np_save) = (value("f64_ms"), value("f32_ms"), value("f32_save_ms"));
    writeln!(
        out,
        "| {expr} | {n} | {dispatch:.2} | {readback:.2} | {cpu:.2} | {} | {} | {} | {} | {to_npy:.0} | {} | {} |",
        fmt_ms(np64),
        fmt_ms(np32),
        fmt_ratio(np64 / dispatch),
        fmt_ratio(np32 / dispatch),
        fmt_ms(np_save),
        fmt_ratio(np_save / to_npy),
    )?;
    Ok(())
}

/// What bounds the grid table's columns, then the memory write rate, the first-grid latency
/// and the renderer's frame times.
fn limits_and_latency(
    ctx: &GpuContext,
    args: &BenchArgs,
    out: &mut dyn Write,
    floors: Vec<String>,
) -> Result<(), CliError> {
    writeln!(out)?;
    table_header(
        out,
        "| N | kernel storing only x, y: vec4 ms | packed ms | packed sin(x*y) ms | new GPU context ms | N²×12 bytes written to a new file ms |",
    )?;
    for line in floors {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    let write_rate = memory_write_gb_per_s();
    writeln!(
        out,
        "this machine's memory write rate (256 MiB filled, median of 5): {write_rate:.1} GB/s — \
         writing a 4096² grid of vec4<f32> (256 MiB) takes at least {:.0} ms",
        0.268 / write_rate * 1e3
    )?;
    writeln!(out)?;
    let first = first_grid_latency(ctx, args.repeats.max(5))?;
    writeln!(
        out,
        "new expression → first evaluated grid at 512² (parse, derive, emit WGSL, validate, build pipeline, dispatch, wait): median {first:.1} ms"
    )?;
    writeln!(out)?;
    frame_times(ctx, out)?;
    Ok(())
}

/// Frames of the headless renderer at 1280×800 with every overlay on (Himmelblau with four
/// runs, the tangent plane, partial lines, gradient arrow, markers, axes), drawn as the app
/// would on this adapter.
fn frame_times(ctx: &GpuContext, out: &mut dyn Write) -> Result<(), CliError> {
    const SIZE_PX: [u32; 2] = [1280, 800];
    const FRAMES: usize = 30;
    let preset =
        crate::presets::find("himmelblau").map_err(|e| CliError::machine(e.to_string()))?;
    let Some((_, scene)) = crate::scene::showcase(preset, SIZE_PX[0] as f32 / SIZE_PX[1] as f32)
    else {
        return Err(CliError::machine("the himmelblau preset is not 2-D"));
    };
    let evaluator = GridEvaluator::new(ctx, &preset.function().grid_wgsl())
        .map_err(|e| CliError::machine(e.to_string()))?;
    table_header(
        out,
        &format!(
            "| surface | frame median ms ({FRAMES} frames, 1280×800, all overlays) | one frame with read-back ms | samples | cells per side drawn |"
        ),
    )?;
    for n in [256u32, 1024] {
        eprintln!("bench: rendering a {n}² surface…");
        let domain = scene.map.domain;
        let spec = GridSpec::square(domain.x, domain.y, n);
        let grid = evaluator
            .evaluate(&spec)
            .map_err(|e| CliError::machine(e.to_string()))?;
        let times = crate::render::bench_frame_times(ctx, &scene, &grid, SIZE_PX, FRAMES)
            .map_err(|e| CliError::machine(e.to_string()))?;
        let cells = match times.settings.max_cells_per_side {
            0 => format!("all {}", n - 1),
            cap => format!("{}", cap.min(n - 1)),
        };
        writeln!(
            out,
            "| {n}² | {:.1} | {:.1} | {} | {cells} |",
            times.median().as_secs_f64() * 1e3,
            times.frame_with_readback.as_secs_f64() * 1e3,
            times.settings.sample_count,
        )?;
    }
    Ok(())
}

/// One row of the limits table at `n`²: the grid kernel with a function that costs nothing
/// (it stores x and y), in both layouts, and packed on sin(x*y) (what `grid` computes); a new
/// GPU context (every `grid` run makes one); and writing the .npy's bytes to a new file in the
/// temporary folder (what every writer pays, NumPy's `np.save` included).
fn limits_at(ctx: &GpuContext, n: usize, repeats: usize) -> Result<String, CliError> {
    const XY_ONLY: &str =
        "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(x, y, 0.0, 0.0); }";
    let spec = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), n as u32);
    let dispatch_ms = |generated: &str, layout: GridLayout| -> Result<f64, CliError> {
        let evaluator = GridEvaluator::with_layout(ctx, generated, layout)
            .map_err(|e| CliError::machine(e.to_string()))?;
        Ok(dispatch_median(ctx, &evaluator, &spec, repeats)?.0)
    };
    let sin_xy = Function::parse("sin(x*y)").map_err(|e| CliError::machine(e.to_string()))?;
    let xy_vec4 = dispatch_ms(XY_ONLY, GridLayout::Vec4)?;
    let xy_packed = dispatch_ms(XY_ONLY, GridLayout::Packed)?;
    let sin_packed = dispatch_ms(&sin_xy.grid_wgsl(), GridLayout::Packed)?;
    let context = median_ms(repeats, || {
        GpuContext::headless()
            .map(drop)
            .map_err(|e| CliError::machine(e.to_string()))
    })?;
    let bytes = vec![0u8; n * n * 12];
    let path = std::env::temp_dir().join(format!("gradscape-bench-write-{}", std::process::id()));
    let write = median_ms(repeats, || {
        // A new file each time, as `grid` writes one and renames it over the last.
        let _ = std::fs::remove_file(&path);
        std::fs::write(&path, &bytes)
            .map_err(|e| CliError::machine(format!("writing {}: {e}", path.display())))
    });
    let _ = std::fs::remove_file(&path);
    let write = write?;
    Ok(format!(
        "| {n} | {xy_vec4:.2} | {xy_packed:.2} | {sin_packed:.2} | {context:.1} | {write:.1} |"
    ))
}

/// The median time of evaluating `spec` as the app does — into one grid buffer, again and
/// again — and that buffer.
pub(super) fn dispatch_median(
    ctx: &GpuContext,
    evaluator: &GridEvaluator,
    spec: &GridSpec,
    repeats: usize,
) -> Result<(f64, GridOutput), CliError> {
    let gpu_err = |e: crate::gpu::GpuError| CliError::machine(e.to_string());
    let mut grid = evaluator.evaluate(spec).map_err(gpu_err)?;
    let ms = median_ms(repeats, || {
        evaluator.evaluate_into(spec, &mut grid).map_err(gpu_err)?;
        wait(ctx)
    })?;
    Ok((ms, grid))
}

/// How fast one thread fills memory already paged in: the limit under every grid figure.
fn memory_write_gb_per_s() -> f64 {
    let mut buffer = vec![0u8; 256 << 20];
    let mut times = Vec::new();
    for k in 0..6u8 {
        let t0 = Instant::now();
        buffer.fill(k);
        std::hint::black_box(&buffer);
        times.push(t0.elapsed().as_secs_f64());
    }
    // The first fill pays the page faults.
    times.remove(0);
    times.sort_by(f64::total_cmp);
    buffer.len() as f64 / times[times.len() / 2] / 1e9
}

/// Median wall time of `f` in milliseconds, after one untimed warm-up run.
pub(super) fn median_ms(
    repeats: usize,
    mut f: impl FnMut() -> Result<(), CliError>,
) -> Result<f64, CliError> {
    f()?;
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let t0 = Instant::now();
        f()?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn wait(ctx: &GpuContext) -> Result<(), CliError> {
    ctx.device
        .poll(wgpu::PollType::wait_indefinitely())
        .map(|_| ())
        .map_err(|e| CliError::machine(format!("waiting for the GPU: {e}")))
}

/// Each sample types a different function, so nothing is cached between them.
fn first_grid_latency(ctx: &GpuContext, samples: usize) -> Result<f64, CliError> {
    let mut times = Vec::with_capacity(samples);
    for k in 0..samples {
        let expr = format!("sin({}*x*y) + x^2/{} - cos(y)", k + 2, k + 3);
        let t0 = Instant::now();
        let function = Function::parse(&expr).map_err(|e| CliError::machine(e.to_string()))?;
        let evaluator = GridEvaluator::new(ctx, &function.grid_wgsl())
            .map_err(|e| CliError::machine(e.to_string()))?;
        evaluator
            .evaluate(&GridSpec::square((-3.0, 3.0), (-3.0, 3.0), 512))
            .map_err(|e| CliError::machine(e.to_string()))?;
        wait(ctx)?;
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

fn numpy_baseline(python: &str, n: usize, repeats: usize) -> Result<serde_json::Value, String> {
    let args = [
        "--n".to_string(),
        n.to_string(),
        "--repeats".into(),
        repeats.to_string(),
    ];
    run_python_bench(python, "numpy_grid.py", &args)
}

/// Runs `benches/SCRIPT` with `args` under `python` and reads the JSON object it prints; an
/// error says what failed (and how to install NumPy where that is what is missing).
pub(super) fn run_python_bench(
    python: &str,
    script: &str,
    args: &[String],
) -> Result<serde_json::Value, String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join(script);
    let output = Command::new(python)
        .arg(&script)
        .args(args)
        .output()
        .map_err(|e| format!("could not run {python}: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let hint = if err.contains("No module named 'numpy'") {
            " (install it: pip install numpy)"
        } else {
            ""
        };
        return Err(format!(
            "{} failed{hint}: {}",
            script.display(),
            err.lines().last().unwrap_or("")
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("unreadable output: {e}"))
}

pub(super) fn fmt_ms(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.2}")
    } else {
        "—".into()
    }
}

pub(super) fn fmt_ratio(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}×")
    } else {
        "—".into()
    }
}
