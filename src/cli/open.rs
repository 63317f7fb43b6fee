//! `gradscape open [EXPR | --preset NAME] [--from X,Y] [--optimizer O] [--lr LR]` and a bare
//! `gradscape`: every argument is checked first (bad input exits 2 before any window opens),
//! then the desktop app starts on the saved session with these changes applied.

use std::io::Write;

use clap::Args;

use super::{CliError, FunctionArg, parse_point};
use crate::optim::{Hyperparameters, OptimizerKind};
use crate::ui::{DomainState, Model, RunConfig};

/// The domain an expression typed on the command line opens on.
const TYPED_DOMAIN: DomainState = DomainState {
    x: [-3.0, 3.0],
    y: [-3.0, 3.0],
};

#[derive(Args, Debug, Default)]
pub struct OpenArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    /// Start point of the runs: X or X,Y.
    #[arg(long, value_name = "X[,Y]", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// The first run's optimizer: sgd, momentum, nesterov, adagrad, rmsprop, adam, newton,
    /// adamw, adamax, nadam, radam or adadelta.
    #[arg(long, value_name = "O")]
    pub optimizer: Option<String>,
    /// The first run's learning rate (> 0).
    #[arg(long, value_name = "LR", allow_hyphen_values = true)]
    pub lr: Option<f64>,
}

/// What `open` will change, all checked.
struct Plan {
    function: Option<Source>,
    from: Option<Vec<f64>>,
    /// For the first run; its other settings stay.
    optimizer: Option<OptimizerKind>,
    lr: Option<f64>,
}

enum Source {
    Preset(&'static crate::presets::Preset),
    Typed(String),
}

pub fn run(args: &OpenArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    let plan = check(args)?;
    let launch = crate::app::Launch {
        adjust: Box::new(move |model: &mut Model| apply(plan, model)),
    };
    crate::app::run(launch).map_err(|e| CliError::machine(e.to_string()))
}

fn check(args: &OpenArgs) -> Result<Plan, CliError> {
    let (function, dims) = match (&args.function.expr, &args.function.preset) {
        (None, None) => (None, None),
        (None, Some(name)) => {
            let preset = crate::presets::find(name).map_err(|e| CliError::input(e.to_string()))?;
            (Some(Source::Preset(preset)), Some(preset.dims()))
        }
        _ => {
            let function = args.function.load()?;
            let source = args.function.expr.clone().unwrap_or_default();
            (Some(Source::Typed(source)), Some(function.dims()))
        }
    };
    let from = match &args.from {
        // Without a function the dimension is the saved session's, known only later: a point
        // of either length is taken, and a 1-D function ignores y.
        Some(text) => Some(match dims {
            Some(dims) => parse_point("--from", text, dims)?,
            None => super::parse_numbers("--from", text)?,
        }),
        None => None,
    };
    if from.as_ref().is_some_and(|p| p.is_empty() || p.len() > 2) {
        return Err(CliError::input("--from takes X or X,Y"));
    }
    let optimizer: Option<OptimizerKind> = match &args.optimizer {
        Some(name) => Some(
            name.parse()
                .map_err(|e: crate::optim::OptimError| CliError::input(e.to_string()))?,
        ),
        None => None,
    };
    if let Some(lr) = args.lr {
        Hyperparameters::new(optimizer.unwrap_or(OptimizerKind::Sgd), lr)
            .validate()
            .map_err(|e| CliError::input(e.to_string()))?;
    }
    Ok(Plan {
        function,
        from,
        optimizer,
        lr: args.lr,
    })
}

fn apply(plan: Plan, model: &mut Model) {
    match plan.function {
        Some(Source::Preset(preset)) => model.apply_preset(preset),
        Some(Source::Typed(source)) => {
            model.set_source(&source);
            // A constant, known-good domain: this cannot be refused.
            let _ = model.set_domain(TYPED_DOMAIN);
            let start = crate::ui::default_start(&TYPED_DOMAIN);
            model.set_start(start[0], start[1]);
        }
        None => {}
    }
    if let Some(&x) = plan.from.as_ref().and_then(|p| p.first()) {
        // A 1-D point keeps the y it had (a 1-D function ignores it).
        let y = plan
            .from
            .as_ref()
            .and_then(|p| p.get(1))
            .copied()
            .unwrap_or(model.state.start[1]);
        model.set_start(x, y);
    }
    if plan.optimizer.is_none() && plan.lr.is_none() {
        return;
    }
    let mut run = model
        .state
        .runs
        .first()
        .copied()
        .unwrap_or_else(|| RunConfig::new(OptimizerKind::Sgd, 0.01, 0));
    if let Some(kind) = plan.optimizer {
        run.hyper = run.hyper.with_kind(kind);
    }
    if let Some(lr) = plan.lr {
        run.hyper.lr = lr;
    }
    run.muted = false;
    if model.state.runs.is_empty() {
        model.state.runs.push(run);
        model.recompute();
    } else {
        model.update_run(0, run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(
        expr: Option<&str>,
        from: Option<&str>,
        optimizer: Option<&str>,
        lr: Option<f64>,
    ) -> OpenArgs {
        OpenArgs {
            function: FunctionArg {
                expr: expr.map(String::from),
                preset: None,
            },
            from: from.map(String::from),
            optimizer: optimizer.map(String::from),
            lr,
        }
    }

    #[test]
    fn bad_input_is_refused_before_any_window() {
        for bad in [
            args(Some("sin(x"), None, None, None),
            args(Some("x*y"), Some("1"), None, None),
            args(None, None, Some("lbfgs"), None),
            args(None, None, None, Some(-1.0)),
        ] {
            assert!(matches!(check(&bad), Err(CliError::Input(_))), "{bad:?}");
        }
        assert!(check(&args(Some("x*y"), Some("1,-2"), Some("adam"), Some(0.1))).is_ok());
    }

    #[test]
    fn the_plan_lands_in_the_model() {
        let plan = check(&args(
            Some("x^2 + y^2"),
            Some("1,-2"),
            Some("adam"),
            Some(0.1),
        ))
        .unwrap();
        let mut model = Model::new(crate::ui::AppState::default());
        apply(plan, &mut model);
        assert_eq!(model.state.good_source, "x^2 + y^2");
        assert_eq!(model.state.start, [1.0, -2.0]);
        assert_eq!(model.state.runs[0].hyper.kind, OptimizerKind::Adam);
        assert_eq!(model.state.runs[0].hyper.lr, 0.1);
    }

    #[test]
    fn the_optimizer_flag_changes_only_the_first_run() {
        let mut model = Model::new(crate::ui::AppState::default());
        let second = model.state.runs[1];
        let plan = check(&args(None, None, Some("newton"), Some(1.0))).unwrap();
        apply(plan, &mut model);
        assert_eq!(model.state.runs[0].hyper.kind, OptimizerKind::Newton);
        assert_eq!(model.state.runs[1], second);
    }
}
