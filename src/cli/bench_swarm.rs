//! `gradscape bench`'s swarm section: descents × steps per second for the GPU swarm kernel, the
//! f64 CPU runner on all cores, and a vectorised NumPy float32 loop (benches/numpy_swarm.py), on
//! Himmelblau and Rosenbrock with sgd, momentum and adam; and the app's basin-map recompute.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use super::CliError;
use super::bench::{BenchArgs, table_header};
use crate::function::Function;
use crate::gpu::GpuContext;
use crate::optim::{Hyperparameters, OptimizerKind};
use crate::swarm::{Batch, Driver, GpuSwarm, basin_radius, classify, lattice, run_cpu};

/// A benchmark function: key shared with numpy_swarm.py, expression, x range, y range.
type BenchFunction = (&'static str, &'static str, (f64, f64), (f64, f64));

const FUNCTIONS: [BenchFunction; 2] = [
    (
        "himmelblau",
        "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        (-5.0, 5.0),
        (-5.0, 5.0),
    ),
    (
        "rosenbrock",
        "(1 - x)^2 + 100*(y - x^2)^2",
        (-2.0, 2.0),
        (-1.0, 3.0),
    ),
];

/// Learning rates at which most of each domain descends without blowing up.
fn lr_for(function: &str, kind: OptimizerKind) -> f64 {
    match (function, kind) {
        ("himmelblau", OptimizerKind::Sgd) => 0.005,
        ("himmelblau", OptimizerKind::Momentum) => 0.001,
        ("himmelblau", _) => 0.05,
        (_, OptimizerKind::Sgd | OptimizerKind::Momentum) => 1e-4,
        _ => 0.01,
    }
}

const KINDS: [OptimizerKind; 3] = [
    OptimizerKind::Sgd,
    OptimizerKind::Momentum,
    OptimizerKind::Adam,
];

/// The swarm table: `--swarm-side`² starts × `--swarm-steps` steps on the GPU and in NumPy; the
/// CPU runner on `--swarm-cpu-side`² starts (it is slow; its rate does not depend on how many
/// starts there are).
pub(super) fn swarm_table(
    ctx: &GpuContext,
    out: &mut dyn Write,
    args: &BenchArgs,
) -> Result<(), CliError> {
    let (python, side) = (args.numpy_python(), args.swarm_side);
    let (cpu_side, steps) = (args.swarm_cpu_side, args.swarm_steps);
    let machine = |e: &dyn std::fmt::Display| CliError::machine(e.to_string());
    let cases: Vec<String> = FUNCTIONS
        .iter()
        .flat_map(|(key, ..)| {
            KINDS
                .iter()
                .map(move |&kind| format!("{key}:{kind}:{}", lr_for(key, kind)))
        })
        .collect();
    eprintln!("bench: NumPy swarm baseline at {side}² × {steps} steps…");
    let numpy = match python {
        Some(python) => numpy_swarm(python, side, steps, &cases.join(",")),
        None => Err("skipped (--no-numpy)".to_string()),
    };
    writeln!(
        out,
        "swarm: descents × steps per second (millions), {side}² starts × {steps} steps (CPU f64 runner on {cpu_side}² starts)"
    )?;
    writeln!(out)?;
    table_header(
        out,
        "| function | optimizer | lr | GPU ms | GPU M steps/s | CPU f64 M steps/s | NumPy f32 M steps/s | GPU vs NumPy f32 | GPU vs CPU f64 |",
    )?;
    let mut swarm = GpuSwarm::new();
    for (key, expr, x, y) in FUNCTIONS {
        let function = Function::parse(expr).map_err(|e| machine(&e))?;
        for kind in KINDS {
            let lr = lr_for(key, kind);
            eprintln!("bench: swarm {key} {kind}…");
            let batch = |n| Batch {
                hyper: Hyperparameters::new(kind, lr),
                swept: None,
                max_steps: steps,
                tol: None,
                dims: 2,
                starts: lattice(x, Some(y), n, lr),
            };
            let big = batch(side);
            // Warm-up: the pipeline is built and the driver's code paged in.
            swarm
                .run(ctx, &function, &batch(16), 50, &|| false)
                .map_err(|e| machine(&e))?;
            let t0 = Instant::now();
            swarm
                .run(ctx, &function, &big, 50, &|| false)
                .map_err(|e| machine(&e))?;
            let gpu_ms = t0.elapsed().as_secs_f64() * 1e3;
            let small = batch(cpu_side);
            let t0 = Instant::now();
            run_cpu(&function, &small).map_err(|e| machine(&e))?;
            let cpu_ms = t0.elapsed().as_secs_f64() * 1e3;
            let work = |n: usize| (n * n * steps) as f64;
            let rate = |n: usize, ms: f64| work(n) / (ms * 1e3);
            let gpu_rate = rate(side, gpu_ms);
            let cpu_rate = rate(cpu_side, cpu_ms);
            let case = format!("{key}:{kind}:{lr}");
            let numpy_rate = match &numpy {
                Ok(v) => v[&case]["ms"]
                    .as_f64()
                    .map_or(f64::NAN, |ms| rate(side, ms)),
                Err(_) => f64::NAN,
            };
            writeln!(
                out,
                "| {key} | {kind} | {lr} | {gpu_ms:.0} | {gpu_rate:.1} | {cpu_rate:.1} | {} | {} | {} |",
                fmt(numpy_rate),
                ratio(gpu_rate / numpy_rate),
                ratio(gpu_rate / cpu_rate),
            )?;
        }
    }
    if let Err(why) = numpy {
        writeln!(out, "(NumPy swarm: {why})")?;
    }
    writeln!(out)?;
    basin_recompute(ctx, out)
}

/// What the app does when the learning-rate slider moves with basins on: a 256² map × 100 steps
/// on Himmelblau, uploaded, run, read back and classified, through the app's driver.
fn basin_recompute(ctx: &GpuContext, out: &mut dyn Write) -> Result<(), CliError> {
    let machine = |e: &dyn std::fmt::Display| CliError::machine(e.to_string());
    let preset = crate::presets::find("himmelblau").map_err(|e| machine(&e))?;
    let function = preset.function();
    let known = preset.minima_xy();
    let mut driver = Driver::new();
    let mut times = Vec::new();
    for (k, lr) in (0..12u32).map(|k| (u64::from(k), 0.002 + 0.001 * f64::from(k))) {
        let batch = Batch {
            hyper: Hyperparameters::new(OptimizerKind::Sgd, lr),
            swept: None,
            max_steps: 100,
            tol: Some(1e-4),
            dims: 2,
            starts: lattice((-5.0, 5.0), Some((-5.0, 5.0)), 256, lr),
        };
        let t0 = Instant::now();
        let done = loop {
            if let Some(done) = driver
                .pump(ctx, &function, k, || batch.clone(), 2)
                .map_err(|e| machine(&e))?
                && done.complete
            {
                break done;
            }
        };
        let map = classify(
            &done.ends,
            &known,
            basin_radius((-5.0, 5.0), Some((-5.0, 5.0))),
            2,
            1e-4,
        );
        std::hint::black_box(map);
        // The first is the warm-up (pipeline build).
        if k > 0 {
            times.push(t0.elapsed().as_secs_f64() * 1e3);
        }
    }
    times.sort_by(f64::total_cmp);
    writeln!(
        out,
        "basin map as the lr slider moves (Himmelblau, sgd, 256² × 100 steps, upload + run + read back + classify): median {:.1} ms over {} values of lr",
        times[times.len() / 2],
        times.len()
    )?;
    Ok(())
}

fn numpy_swarm(
    python: &str,
    side: usize,
    steps: usize,
    cases: &str,
) -> Result<serde_json::Value, String> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/numpy_swarm.py");
    let output = Command::new(python)
        .arg(&script)
        .args([
            "--side",
            &side.to_string(),
            "--steps",
            &steps.to_string(),
            "--cases",
            cases,
        ])
        .output()
        .map_err(|e| format!("could not run {python}: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "{} failed: {}",
            script.display(),
            err.lines().last().unwrap_or("")
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("unreadable output: {e}"))
}

fn fmt(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}")
    } else {
        "—".into()
    }
}

fn ratio(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.1}×")
    } else {
        "—".into()
    }
}
