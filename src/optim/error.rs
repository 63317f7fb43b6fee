//! The one error type of `optim`: bad optimizer names, hyperparameters the optimizer does not take
//! or out of range, and bad run arguments. Messages speak in CLI flag names (`--beta1`) because the
//! CLI prints them as they are; the app shows the same text in a tooltip.

use thiserror::Error;

use super::config::OptimizerKind;

/// A mistake in what was asked of an optimizer; the run itself never fails with one of these
/// (divergence and singular Hessians are run statuses, not errors).
#[derive(Clone, Debug, PartialEq, Error)]
pub enum OptimError {
    #[error("unknown optimizer '{name}'; expected one of: {}", kind_names())]
    UnknownOptimizer { name: String },

    #[error("unknown hyperparameter --{name}: {}", takes_message(*kind))]
    UnknownHyperparameter { kind: OptimizerKind, name: String },

    #[error("{} (not --{name})", takes_message(*kind))]
    NotTaken { kind: OptimizerKind, name: String },

    #[error("--{name} is a switch: give it alone, without a value")]
    NotANumber { name: String },

    #[error("--{name} must be {requirement}, got {value}")]
    OutOfRange {
        name: &'static str,
        value: f64,
        requirement: &'static str,
    },

    #[error("the start point has {got} coordinate(s) but the function has {expected} variable(s)")]
    WrongDimensions { expected: usize, got: usize },

    #[error("the function has no variables to descend")]
    NoVariables,

    #[error("the start point must be finite, got {point:?}")]
    NonFiniteStart { point: Vec<f64> },

    #[error("--schedule {spec}: {why}")]
    BadSchedule { spec: String, why: String },

    #[error("--noise must be finite and >= 0, got {value}")]
    BadNoise { value: f64 },

    #[error("--clip-norm must be finite and > 0, got {value}")]
    BadClipNorm { value: f64 },

    #[error("--line-search armijo is for sgd only, not {kind}")]
    LineSearchNeedsSgd { kind: OptimizerKind },

    #[error("--batch-size must be at least 1")]
    BadBatchSize,

    #[error("--tol must be a number >= 0, got {value}")]
    InvalidTolerance { value: f64 },
}

fn kind_names() -> String {
    OptimizerKind::ALL.map(OptimizerKind::name).join(", ")
}

/// "adam takes --beta1, --beta2, --eps" / "sgd takes no hyperparameters besides --lr".
fn takes_message(kind: OptimizerKind) -> String {
    let flags: Vec<&str> = kind
        .flags()
        .iter()
        .chain(kind.switches())
        .copied()
        .collect();
    if flags.is_empty() {
        format!("{kind} takes no hyperparameters besides --lr")
    } else {
        let list: Vec<String> = flags.iter().map(|f| format!("--{f}")).collect();
        format!("{kind} takes {}", list.join(", "))
    }
}
