//! What `basins` and `sweep` share: the optimizer from flags, the output kind by extension, the
//! batch run on the chosen backend, and an atomic `.npy` write.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::grid::Backend;
use super::{CliError, HyperparameterFlags};
use crate::function::Function;
use crate::optim::{Hyperparameters, OptimizerKind, RunOptions};
use crate::swarm::{Batch, End, GpuSwarm, SwarmError, run_cpu_watched};

/// Steps each GPU dispatch takes: enough to amortise a dispatch, few enough that one stays short.
const STEPS_PER_DISPATCH: u32 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum OutputKind {
    Npy,
    Png,
}

/// `.npy` or `.png`, by the file name's extension.
pub(super) fn output_kind(path: &Path) -> Result<OutputKind, CliError> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("npy") => Ok(OutputKind::Npy),
        Some("png") => Ok(OutputKind::Png),
        _ => Err(CliError::input(format!(
            "--out {}: the file name must end in .npy (the numbers) or .png (the figure)",
            path.display()
        ))),
    }
}

/// The optimizer named by `--optimizer` at `lr`, with the flags given; a flag it does not take is
/// an error that lists the ones it does.
pub(super) fn build_hyper(
    optimizer: &str,
    lr: f64,
    flags: &HyperparameterFlags,
) -> Result<Hyperparameters, CliError> {
    let kind: OptimizerKind = optimizer
        .parse()
        .map_err(|e: crate::optim::OptimError| CliError::input(e.to_string()))?;
    let mut hyper = Hyperparameters::new(kind, lr);
    flags.apply(&mut hyper, false)?;
    hyper
        .validate()
        .map_err(|e| CliError::input(e.to_string()))?;
    Ok(hyper)
}

/// Runs `batch` on `backend`; returns the ends and what ran them.
pub(super) fn run_batch(
    function: &Function,
    batch: &Batch,
    options: &RunOptions,
    backend: Backend,
) -> Result<(Vec<End>, String), CliError> {
    let label = format!("{} descents", batch.starts.len());
    let progress = super::progress::Progress::new(&label);
    super::progress::catch_interrupts();
    let watch = |fraction: f64| {
        progress.update(fraction);
        super::progress::interrupted()
    };
    let result = run_batch_watched(function, batch, options, backend, &watch);
    if result.is_ok() {
        progress.update(1.0);
    }
    progress.finish();
    result
}

fn run_batch_watched(
    function: &Function,
    batch: &Batch,
    options: &RunOptions,
    backend: Backend,
    watch: &(dyn Fn(f64) -> bool + Sync),
) -> Result<(Vec<End>, String), CliError> {
    if options.batch.is_some() && backend == Backend::Gpu {
        return Err(CliError::input(
            "mini-batches (--batch-size) in basins and sweeps run on --backend cpu, where every \
             descent sees the same batches as `descend` would; the GPU swarm takes full batches only",
        ));
    }
    match backend {
        Backend::Cpu => {
            let ends = run_cpu_watched(function, batch, options, watch).map_err(swarm_error)?;
            Ok((
                ends,
                format!("CPU, {} threads", rayon::current_num_threads()),
            ))
        }
        Backend::Gpu => {
            // Bad input is refused before a GPU is looked for.
            batch
                .validate()
                .map_err(|e| CliError::input(e.to_string()))?;
            let ctx =
                crate::gpu::GpuContext::headless().map_err(|e| CliError::machine(e.to_string()))?;
            let mut swarm = GpuSwarm::new();
            let ends = swarm
                .run_watched(&ctx, function, batch, STEPS_PER_DISPATCH, watch)
                .map_err(swarm_error)?;
            Ok((ends, ctx.adapter_summary()))
        }
    }
}

fn swarm_error(e: SwarmError) -> CliError {
    match e {
        SwarmError::Optim(_) | SwarmError::Invalid(_) => CliError::input(e.to_string()),
        SwarmError::Cancelled => super::progress::interrupted_error("the descents"),
        SwarmError::Gpu(_) | SwarmError::Shader(_) => CliError::machine(e.to_string()),
    }
}

/// Writes a float32 `.npy` of `shape` under a temporary name, renamed into place when complete.
pub(super) fn write_npy_atomically(
    path: &Path,
    shape: &[usize],
    values: &[f32],
) -> Result<(), CliError> {
    let partial = partial_path(path);
    let result = (|| {
        let file = std::fs::File::create(&partial)?;
        let mut writer = BufWriter::new(file);
        crate::npy::write_header(&mut writer, shape)?;
        crate::npy::write_f32s(&mut writer, values)?;
        writer.flush()?;
        drop(writer);
        std::fs::rename(&partial, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        CliError::input(format!("cannot write {}: {e}", path.display()))
    })
}

/// `FILE.partial` beside the target.
pub(super) fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}
