//! `gradscape descend`: one optimizer run from a start point, printed as CSV rows or the JSON
//! object of ../shared/CLI.md, with torch.optim's update rules and PyTorch's defaults.

use std::io::Write;

use super::{CliError, FunctionArg, HyperparameterFlags, parse_point};
use crate::optim::export::{write_csv, write_json};
use crate::optim::{Hyperparameters, OptimizerKind, Status, run as run_descent};
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
    /// Start point: X or X,Y.
    #[arg(long, value_name = "X[,Y]", allow_hyphen_values = true)]
    pub from: String,
    /// sgd, momentum, nesterov, adagrad, rmsprop, adam, newton, adamw, adamax, nadam, radam or
    /// adadelta.
    #[arg(long, value_name = "O")]
    pub optimizer: String,
    /// Learning rate (> 0).
    #[arg(long, value_name = "LR", allow_hyphen_values = true)]
    pub lr: f64,
    /// Number of steps; N steps give N+1 rows unless the run stops early.
    #[arg(long, value_name = "N")]
    pub steps: usize,
    #[command(flatten)]
    pub hyperparameters: HyperparameterFlags,
    /// Stop with status `converged` at the first row whose gradient norm is at most T.
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    pub tol: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
}

/// The longest run accepted: a million rows is already about 100 MB of CSV, held in memory
/// until the run has succeeded (a failed command prints nothing on stdout).
const MAX_STEPS: usize = 1_000_000;

pub fn run(args: &DescendArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let start = parse_point("--from", &args.from, function.dims())?;
    let kind: OptimizerKind = args
        .optimizer
        .parse()
        .map_err(|e: crate::optim::OptimError| CliError::input(e.to_string()))?;
    let mut hyper = Hyperparameters::new(kind, args.lr);
    args.hyperparameters.apply(&mut hyper, false)?;
    if args.steps > MAX_STEPS {
        return Err(CliError::input(format!(
            "--steps {} is more than the {MAX_STEPS} this command runs",
            args.steps
        )));
    }
    let trajectory = run_descent(&function, &hyper, &start, args.steps, args.tol)
        .map_err(|e| CliError::input(e.to_string()))?;
    match args.format {
        Format::Csv => write_csv(&trajectory, function.dims(), out)?,
        Format::Json => write_json(&trajectory, kind, out)?,
    }
    let note = match trajectory.status {
        Status::Diverged => ": the values blew up; try a smaller --lr",
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
