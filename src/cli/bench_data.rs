//! `gradscape bench`'s data section: a model's loss surface with ∇f over a θ grid from many rows
//! — the GPU kernel's loop over a storage buffer, the f64 CPU path, and NumPy float32 doing the
//! same sum (benches/numpy_data.py) — with the rate each reaches, in row terms per second.

use std::io::Write;
use std::time::Instant;

use super::CliError;
use super::bench::{
    BenchArgs, dispatch_median, fmt_ms, fmt_ratio, median_ms, run_python_bench, table_header,
};
use crate::data::{ObjectiveSpec, Table, build_objective};
use crate::gpu::{GpuContext, GridEvaluator, GridSpec};
use crate::rng::NormalRng;

/// The θ window: around the least-squares line of y = 4 + 3x + noise.
const RANGE0: (f64, f64) = (-2.0, 10.0);
const RANGE1: (f64, f64) = (-4.0, 8.0);

/// `rows` rows of the chapter's linear set (x uniform on [0, 2), y = 4 + 3x + N(0, 1)), seed 42.
fn linear_rows(rows: usize) -> Result<Table, CliError> {
    let mut rng = NormalRng::new(42);
    let mut values = Vec::with_capacity(rows * 2);
    for _ in 0..rows {
        let x = 2.0 * rng.uniform();
        values.extend([x, 4.0 + 3.0 * x + rng.normal()]);
    }
    Table::new("bench", vec!["x".into(), "y".into()], values)
        .map_err(|e| CliError::machine(e.to_string()))
}

/// Prints the section: one row of medians for `--data-rows` rows over a `--data-side`² θ grid.
pub(super) fn data_table(
    ctx: &GpuContext,
    out: &mut dyn Write,
    args: &BenchArgs,
) -> Result<(), CliError> {
    let (python, rows, side) = (args.numpy_python(), args.data_rows, args.data_side);
    let repeats = args.repeats;
    let table = linear_rows(rows)?;
    let spec = ObjectiveSpec {
        model: "linear:x".into(),
        loss: None,
        target: None,
        l2: 0.0,
        l1: 0.0,
    };
    let function = build_objective(&table, &spec).map_err(|e| CliError::machine(e.to_string()))?;
    eprintln!("bench: mse of a line over {rows} rows at {side}² θ…");
    let mut evaluator = GridEvaluator::new(ctx, &function.grid_wgsl())
        .map_err(|e| CliError::machine(e.to_string()))?;
    evaluator.set_data(function.data_values_f32().as_deref());
    let grid_spec = GridSpec::square(RANGE0, RANGE1, side as u32);
    let (gpu, grid) = dispatch_median(ctx, &evaluator, &grid_spec, repeats)?;
    let gpu_err = |e: crate::gpu::GpuError| CliError::machine(e.to_string());
    let readback = median_ms(repeats, || {
        let grid = evaluator.evaluate(&grid_spec).map_err(gpu_err)?;
        grid.read_back(ctx).map_err(gpu_err)?;
        Ok(())
    })?;
    drop(grid);
    // The f64 path is the reference, not a contender: one timed run is enough to see its rate.
    let (xs, ys) = (
        crate::cpu_grid::axis(RANGE0.0, RANGE0.1, side),
        crate::cpu_grid::axis(RANGE1.0, RANGE1.1, side),
    );
    let mut cpu_values = vec![0.0f32; side * side * 3];
    let started = Instant::now();
    crate::cpu_grid::fill_rows(&function, &xs, &ys, 3, &mut cpu_values);
    let cpu = started.elapsed().as_secs_f64() * 1e3;
    let numpy = match python {
        Some(python) => numpy_data(python, &table, side, repeats),
        None => Err("skipped (--no-numpy)".to_string()),
    };
    let numpy_ms = numpy.as_ref().map_or(f64::NAN, |v| *v);
    let terms = (rows * side * side) as f64;
    let rate = |ms: f64| terms / (ms * 1e-3) / 1e9;
    writeln!(
        out,
        "gradscape bench: a data objective's loss surface — mse of θ0 + θ1·x over {rows} rows, f and ∇f at {side}² θ points (median of {repeats})"
    )?;
    table_header(
        out,
        "| rows | θ grid | GPU dispatch ms | GPU + read-back ms | CPU f64 ms (1 run) | NumPy f32 ms | GPU vs NumPy f32 | GPU G row-terms/s | NumPy G row-terms/s |",
    )?;
    writeln!(
        out,
        "| {rows} | {side}² | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
        fmt_ms(gpu),
        fmt_ms(readback),
        fmt_ms(cpu),
        fmt_ms(numpy_ms),
        fmt_ratio(numpy_ms / readback),
        rate(gpu),
        rate(numpy_ms)
    )?;
    writeln!(
        out,
        "A row term is one row's residual, its square and both gradient terms at one θ point \
         ({rows} × {side}² = {:.2e} of them); the kernel sums them in f32 in runs of 64 rows.",
        terms
    )?;
    if let Err(why) = numpy {
        writeln!(out, "NumPy: {why}")?;
    }
    Ok(())
}

/// NumPy float32's median on the same rows (written to a temporary .npy).
fn numpy_data(python: &str, table: &Table, side: usize, repeats: usize) -> Result<f64, String> {
    let path =
        std::env::temp_dir().join(format!("gradscape-bench-rows-{}.npy", std::process::id()));
    let values: Vec<f32> = (0..table.rows())
        .flat_map(|r| table.row(r).iter().map(|&v| v as f32).collect::<Vec<_>>())
        .collect();
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        crate::npy::write_header(&mut file, &[table.rows(), 2])?;
        crate::npy::write_f32s(&mut file, &values)?;
        file.flush()
    };
    write().map_err(|e| format!("writing {}: {e}", path.display()))?;
    let args: Vec<String> = [
        "--rows".to_string(),
        path.to_string_lossy().into_owned(),
        "--n".into(),
        side.to_string(),
        "--repeats".into(),
        repeats.to_string(),
        "--range0".into(),
        RANGE0.0.to_string(),
        RANGE0.1.to_string(),
        "--range1".into(),
        RANGE1.0.to_string(),
        RANGE1.1.to_string(),
    ]
    .into();
    let result = run_python_bench(python, "numpy_data.py", &args);
    let _ = std::fs::remove_file(&path);
    let v = result?;
    v["f32_ms"]
        .as_f64()
        .ok_or_else(|| "no f32_ms in its output".to_string())
}
