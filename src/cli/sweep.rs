//! `gradscape sweep`: one start point, a grid of learning rates (geometric) × optionally a
//! second hyperparameter (linear), every cell a full descent; into a float32 `.npy` of how each
//! ended or a PNG heatmap with both axes labelled and a colour bar.

use std::io::Write;
use std::time::Instant;

use clap::Args;

use super::basins::{figure_context, save_figure};
use super::flags::{OptimizerFlag, StartFlag, SwarmFlags};
use super::swarm_common::{OutputKind, build_hyper, run_batch, write_npy_atomically};
use super::{CliError, FunctionArg, ManyDescentsFlags, parse_numbers, parse_range};
use crate::figure::{SweepFigure, SweepMetric};
use crate::optim::Status;
use crate::swarm::{MAX_BATCH_STEPS, SweepAxis, SweepSpec, sweep_batch};

#[derive(Args, Debug)]
pub struct SweepArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    #[command(flatten)]
    pub from: StartFlag,
    #[command(flatten)]
    pub optimizer: OptimizerFlag,
    #[command(flatten)]
    pub run: ManyDescentsFlags,
    /// Learning rates from A to B inclusive, geometric.
    #[arg(long, value_name = "A,B", allow_hyphen_values = true)]
    pub lr_range: String,
    /// N learning rates, and M values of --param (M defaults to N).
    #[arg(long, value_name = "N[,M]")]
    pub resolution: String,
    /// A second hyperparameter of the optimizer to sweep: one of its flags without the dashes
    /// (momentum, alpha, beta1, beta2, eps, rho, weight-decay, momentum-decay).
    #[arg(long, value_name = "NAME", requires = "param_range")]
    pub param: Option<String>,
    /// Its values from C to D inclusive, linear.
    #[arg(
        long,
        value_name = "C,D",
        allow_hyphen_values = true,
        requires = "param"
    )]
    pub param_range: Option<String>,
    #[command(flatten)]
    pub swarm: SwarmFlags,
}

/// The most cells along one axis.
const MAX_RESOLUTION: usize = 1024;

pub fn run(args: &SweepArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let dims = function.dims();
    let point = args.from.point(dims)?;
    let start = [point[0], point.get(1).copied().unwrap_or(0.0)];
    let lr_range = parse_positive_range(&args.lr_range)?;
    let (n, m) = counts(args)?;
    let (steps, options) = args.run.steps_and_options(&function)?;
    if steps > MAX_BATCH_STEPS {
        return Err(CliError::input(format!(
            "{} steps is more than the {MAX_BATCH_STEPS} a sweep runs",
            steps
        )));
    }
    let (kind, size_px) = args.swarm.output()?;
    let hyper = build_hyper(
        &args.optimizer.name,
        lr_range.0,
        &args.swarm.hyperparameters,
    )?;
    let param = swept_param(args, hyper.kind, m)?;
    let spec = SweepSpec {
        lr: SweepAxis {
            from: lr_range.0,
            to: lr_range.1,
            count: n,
        },
        param,
    };
    let cells = n * if param.is_some() { m } else { 1 };
    args.run.check_work("this sweep", cells, steps, &function)?;
    let batch = sweep_batch(hyper, start, &spec, steps, args.swarm.tol.value, dims)
        .map_err(|e| CliError::input(e.to_string()))?;
    let figure_gpu = figure_context(kind)?;
    let started = Instant::now();
    let (ends, device) = run_batch(&function, &batch, &options, args.swarm.backend.kind)?;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1e3;

    match kind {
        OutputKind::Npy => {
            let (shape, values) = crate::swarm::sweep_npy(&spec, &ends);
            write_npy_atomically(&args.swarm.out, &shape, &values)?;
        }
        OutputKind::Png => {
            let figure = SweepFigure {
                title: format!(
                    "Final f after {} steps of {} from {}: f = {}",
                    steps,
                    hyper.kind,
                    format_point(&point),
                    crate::math::pretty(&function.text())
                ),
                spec,
                ends: &ends,
                metric: SweepMetric::FinalValue,
                current: None,
                color_range: None,
            };
            save_figure(figure_gpu.as_ref(), &args.swarm.out, size_px, |ui| {
                figure.show(ui);
            })?;
        }
    }
    let diverged = ends.iter().filter(|e| e.status == Status::Diverged).count();
    eprintln!(
        "wrote {} ({} descents × up to {} steps) in {elapsed_ms:.0} ms on {device}: {:.1} % diverged",
        args.swarm.out.display(),
        ends.len(),
        steps,
        100.0 * diverged as f64 / ends.len().max(1) as f64
    );
    Ok(())
}

/// The lattice's counts: N learning rates, and M values of the second hyperparameter.
fn counts(args: &SweepArgs) -> Result<(usize, usize), CliError> {
    let counts = parse_numbers("--resolution", &args.resolution)?;
    let count = |v: f64| -> Result<usize, CliError> {
        if v.fract() == 0.0 && (1.0..=MAX_RESOLUTION as f64).contains(&v) {
            Ok(v as usize)
        } else {
            Err(CliError::input(format!(
                "--resolution {}: each count must be a whole number from 1 to {MAX_RESOLUTION}",
                args.resolution
            )))
        }
    };
    Ok(match counts.as_slice() {
        [n] => (count(*n)?, count(*n)?),
        [_, _] if args.param.is_none() => {
            return Err(CliError::input(format!(
                "--resolution {}: N,M counts a second hyperparameter; without --param give N alone",
                args.resolution
            )));
        }
        [n, m] => (count(*n)?, count(*m)?),
        _ => {
            return Err(CliError::input(format!(
                "--resolution {}: give N or N,M",
                args.resolution
            )));
        }
    })
}

/// The second hyperparameter and its range, where `--param` names one the optimizer takes.
fn swept_param(
    args: &SweepArgs,
    kind: crate::optim::OptimizerKind,
    m: usize,
) -> Result<Option<(&'static str, SweepAxis)>, CliError> {
    Ok(match (&args.param, &args.param_range) {
        (Some(name), Some(range)) => {
            let takes = crate::swarm::sweep_param_names(kind);
            let Some(&known) = takes
                .iter()
                .find(|&&t| t == name.trim().trim_start_matches("--"))
            else {
                return Err(CliError::input(if takes.is_empty() {
                    format!(
                        "--param {name}: {} has no hyperparameter to sweep besides lr",
                        kind
                    )
                } else {
                    format!("--param {name}: {} takes {}", kind, takes.join(", "))
                }));
            };
            let (c, d) = parse_range("--param-range", range)?;
            Some((
                known,
                SweepAxis {
                    from: c,
                    to: d,
                    count: m,
                },
            ))
        }
        _ => None,
    })
}

fn parse_positive_range(text: &str) -> Result<(f64, f64), CliError> {
    match *parse_numbers("--lr-range", text)?.as_slice() {
        [a, b] if a > 0.0 && b > 0.0 && a <= b => Ok((a, b)),
        [a, b] if a > 0.0 && b > 0.0 => Err(CliError::input(format!(
            "--lr-range {a},{b}: the start must not exceed the end"
        ))),
        [a, b] => Err(CliError::input(format!(
            "--lr-range {a},{b}: learning rates must be > 0"
        ))),
        _ => Err(CliError::input(format!(
            "--lr-range expects two numbers A,B, got '{text}'"
        ))),
    }
}

fn format_point(point: &[f64]) -> String {
    let parts: Vec<String> = point.iter().map(|&v| crate::format::number(v)).collect();
    format!("({})", parts.join(", "))
}
