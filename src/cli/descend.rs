//! `gradscape descend`: one optimizer run from a start point, printed as CSV rows or the JSON
//! object of ../shared/CLI.md, with torch.optim's update rules and PyTorch's defaults.

use std::io::Write;

use super::flags::{LrFlag, OptimizerFlag, StartFlag, TolFlag};
use super::{BatchFlags, CliError, FunctionArg, HyperparameterFlags};
use crate::optim::export::{write_csv_columns, write_json};
use crate::optim::{Hyperparameters, OptimizerKind, RunOptions, Schedule, Status, run_with};
use clap::{Args, ValueEnum};

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub struct DescendArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    #[command(flatten)]
    pub from: StartFlag,
    #[command(flatten)]
    pub optimizer: OptimizerFlag,
    #[command(flatten)]
    pub lr: LrFlag,
    /// Number of steps; N steps give N+1 rows unless the run stops early.
    #[arg(long, value_name = "N", required_unless_present = "epochs")]
    pub steps: Option<usize>,
    #[command(flatten)]
    pub hyperparameters: HyperparameterFlags,
    #[command(flatten)]
    pub tol: TolFlag,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Learning-rate schedule (torch.optim.lr_scheduler): constant, step:S:G, exp:G,
    /// cosine:T[:ETA_MIN], linear:START:END:T or inverse:T (LambdaLR with T/(k + T)).
    #[arg(long, value_name = "SPEC")]
    pub schedule: Option<String>,
    /// Add Gaussian noise of this σ to every gradient the optimizer sees (0: exact).
    #[arg(long, value_name = "SIGMA", allow_hyphen_values = true)]
    pub noise: Option<f64>,
    /// Seed of the noise and of a data objective's batches (default 0); the same seed gives
    /// the same run.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    #[command(flatten)]
    pub batches: BatchFlags,
    /// Scale the gradient to at most this norm (torch.nn.utils.clip_grad_norm_).
    #[arg(long = "clip-norm", value_name = "C", allow_hyphen_values = true)]
    pub clip_norm: Option<f64>,
    /// Backtracking line search from the scheduled lr (sgd only).
    #[arg(long = "line-search", value_enum, value_name = "armijo")]
    pub line_search: Option<LineSearch>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum LineSearch {
    Armijo,
}

/// The options around the optimizer, from the flags.
fn run_options(args: &DescendArgs) -> Result<RunOptions, CliError> {
    let schedule = match &args.schedule {
        Some(spec) => Schedule::parse(spec).map_err(|e| CliError::input(e.to_string()))?,
        None => Schedule::Constant,
    };
    if args.seed.is_some() && args.noise.is_none() && args.function.data.is_none() {
        return Err(CliError::input(
            "--seed seeds --noise or a data objective's batches (--data): give one of them",
        ));
    }
    Ok(RunOptions {
        schedule,
        noise: args.noise.unwrap_or(0.0),
        seed: args.seed.unwrap_or(0),
        clip_norm: args.clip_norm,
        line_search: args.line_search.is_some(),
        batch: args.batches.options()?,
    })
}

/// The longest run accepted: a million rows is already about 100 MB of CSV, held in memory
/// until the run has succeeded (a failed command prints nothing on stdout).
const MAX_STEPS: usize = 1_000_000;

pub fn run(args: &DescendArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let start = args.from.point(function.dims())?;
    let kind: OptimizerKind = args
        .optimizer
        .name
        .parse()
        .map_err(|e: crate::optim::OptimError| CliError::input(e.to_string()))?;
    let mut hyper = Hyperparameters::new(kind, args.lr.value);
    args.hyperparameters.apply(&mut hyper, false)?;
    let steps = args.batches.steps(&function, args.steps)?;
    if steps > MAX_STEPS {
        return Err(CliError::input(format!(
            "{steps} steps is more than the {MAX_STEPS} this command runs"
        )));
    }
    let options = run_options(args)?;
    let trajectory = run_with(&function, &hyper, &options, &start, steps, args.tol.value)
        .map_err(|e| CliError::input(e.to_string()))?;
    let lr_column = args.schedule.is_some() || args.line_search.is_some();
    let epoch_column = function.data_rows().is_some();
    match args.format {
        Format::Csv => {
            write_csv_columns(&trajectory, function.dims(), lr_column, epoch_column, out)?
        }
        Format::Json => write_json(&trajectory, kind, out)?,
    }
    let advice;
    let note = match trajectory.status {
        Status::Diverged => {
            let why = crate::optim::divergence(&trajectory);
            advice = format!(": {}", why.map_or("the values blew up", |w| w.advice()));
            advice.as_str()
        }
        Status::SingularHessian => {
            ": the Hessian cannot be inverted here; try another start or optimizer"
        }
        _ => "",
    };
    eprintln!(
        "status: {} after {} step{}{note}",
        trajectory.status,
        trajectory.steps.len().saturating_sub(1),
        if trajectory.steps.len() == 2 { "" } else { "s" }
    );
    Ok(())
}
