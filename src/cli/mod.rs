//! The command line (../shared/CLI.md is the contract): clap definitions, the error type that
//! maps to exit codes (2 bad input, 1 machine failure), and helpers shared by the commands.

mod analyze;
mod basins;
mod bench;
mod bench_data;
mod bench_swarm;
mod data;
mod descend;
mod eval;
mod flags;
mod grid;
mod open;
mod presets;
mod progress;
mod render;
mod render_1d;
mod swarm_common;
mod sweep;

use std::fmt;
use std::io::Write;

use clap::{Args, Parser, Subcommand};

use crate::data::Sampling;
use crate::function::Function;
use crate::optim::{BatchOptions, Hyperparameters};

#[derive(Parser, Debug)]
#[command(
    name = "gradscape",
    version,
    about = "Type a function, see its derivatives, and watch optimizers race downhill.",
    long_about = "Type a function, see its derivatives, and watch optimizers race downhill.\n\n\
        Expressions use x and y (an expression that mentions y is 2-D), numbers, + - * / ^ (or **), \
        implicit multiplication (2x, x y, 3(x+1)), the constants pi and e, and the functions \
        sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh exp ln log sqrt cbrt abs sign \
        sigmoid softplus (log is the natural logarithm). Wherever EXPR is accepted, --preset NAME may stand instead \
        (see `gradscape presets`)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the desktop app (also what a bare `gradscape` does), optionally on a function,
    /// start point and optimizer; the rest comes from the saved session.
    Open(open::OpenArgs),
    /// f, its gradient, Hessian and symbolic derivatives at a point.
    Eval(eval::EvalArgs),
    /// Run an optimizer from a start point and print its trajectory (CSV or JSON).
    Descend(descend::DescendArgs),
    /// The catalog of preset functions: expression, domain, known minima, caption.
    Presets(presets::PresetsArgs),
    /// Describe a data set (columns, rows, ranges) or list the built-in ones (--list).
    Data(data::DataArgs),
    /// Evaluate f and its gradient over a grid (on the GPU by default) into a .npy file.
    Grid(grid::GridArgs),
    /// 1-D analysis: critical points in an interval, and secant slopes and differentiability at a point.
    Analyze(analyze::AnalyzeArgs),
    /// Measure the grid evaluators (GPU, CPU, NumPy) and the renderer; print tables with ratios.
    Bench(bench::BenchArgs),
    /// Draw the 3-D surface with its tangent plane, derivative lines and descents into a PNG,
    /// or an animated GIF of the descent.
    Render(render::RenderArgs),
    /// Basins of attraction: a descent from every point of a grid (on the GPU by default), into
    /// a .npy of where each ended or a PNG figure with a legend.
    Basins(basins::BasinsArgs),
    /// Hyperparameter sweep: one start, a grid of learning rates (× a second hyperparameter),
    /// into a .npy or a PNG heatmap.
    Sweep(sweep::SweepArgs),
}

/// An expression typed on the command line, or a preset standing in for it.
#[derive(Args, Debug, Clone, Default)]
pub struct FunctionArg {
    /// The function, e.g. "sin(x*y)"; one that starts with '-' is taken as the expression.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: Option<String>,
    /// A preset from `gradscape presets`, in place of EXPR.
    #[arg(long, value_name = "NAME", conflicts_with = "expr")]
    pub preset: Option<String>,
    /// A data set (a built-in's name, `gradscape data --list`, or a CSV file) in place of EXPR:
    /// f(theta0, theta1) is then the mean loss of --model on it.
    #[arg(long, value_name = "FILE.csv|NAME", conflicts_with_all = ["expr", "preset"], requires = "model")]
    pub data: Option<String>,
    /// The model: an expression in theta0, theta1 and the columns, or linear:COL or logistic:COL.
    #[arg(long, value_name = "MODEL", requires = "data")]
    pub model: Option<String>,
    /// Per-row loss of the model's output m and the target t: mse (default), mae, huber:D,
    /// logistic (default for logistic:), or an expression in m and t.
    #[arg(long, value_name = "LOSS", requires = "data")]
    pub loss: Option<String>,
    /// The column the model predicts (default y, or virginica for logistic: on iris).
    #[arg(long, value_name = "COL", requires = "data")]
    pub target: Option<String>,
    /// L2 penalty A₂·(θ0² + θ1²) added to the mean loss (ridge).
    #[arg(long, value_name = "A", requires = "data", allow_hyphen_values = true)]
    pub l2: Option<f64>,
    /// L1 penalty A₁·(|θ0| + |θ1|) added to the mean loss (lasso).
    #[arg(long, value_name = "A", requires = "data", allow_hyphen_values = true)]
    pub l1: Option<f64>,
}

impl FunctionArg {
    /// Parses the expression or looks up the preset.
    pub fn load(&self) -> Result<Function, CliError> {
        if let Some(data) = &self.data {
            return self.load_data(data);
        }
        let source = match (&self.expr, &self.preset) {
            (Some(expr), None) => expr.clone(),
            (None, Some(name)) => crate::presets::find(name)
                .map_err(|e| CliError::input(e.to_string()))?
                .expr
                .clone(),
            (Some(_), Some(_)) => {
                return Err(CliError::input(
                    "give either EXPR or --preset NAME, not both",
                ));
            }
            (None, None) => {
                return Err(CliError::input(
                    "no function given: pass an expression such as \"sin(x*y)\" or --preset NAME \
                     (list them with `gradscape presets`)",
                ));
            }
        };
        Function::parse(&source).map_err(|e| CliError::input(format!("in the expression: {e}")))
    }

    /// The data objective's flags as the app keeps them, where `--data` was given.
    pub fn data_spec(&self) -> Option<crate::workspace::DataSpec> {
        Some(crate::workspace::DataSpec {
            source: self.data.clone()?,
            model: self.model.clone().unwrap_or_default(),
            loss: self.loss.clone().unwrap_or_default(),
            target: self.target.clone().unwrap_or_default(),
            l2: self.l2.unwrap_or(0.0),
            l1: self.l1.unwrap_or(0.0),
        })
    }

    /// A model's loss on a data set (CLI.md, "Data objectives").
    fn load_data(&self, data: &str) -> Result<Function, CliError> {
        let table = crate::data::load_table(data).map_err(|e| CliError::input(e.to_string()))?;
        let spec = crate::data::ObjectiveSpec {
            // clap's `requires` makes --model present with --data.
            model: self.model.clone().unwrap_or_default(),
            loss: self.loss.clone(),
            target: self.target.clone(),
            l2: self.l2.unwrap_or(0.0),
            l1: self.l1.unwrap_or(0.0),
        };
        crate::data::build_objective(&table, &spec).map_err(|e| CliError::input(e.to_string()))
    }
}

/// The optimizer hyperparameters besides --lr, as flags; each optimizer takes only some of them
/// (`OptimizerKind::flags` and `switches`). Shared by `descend`, `render`, `basins` and `sweep`.
#[derive(Args, Debug, Clone, Default)]
pub struct HyperparameterFlags {
    /// Momentum factor for momentum and nesterov (default 0.9) and rmsprop (default 0).
    #[arg(long, allow_hyphen_values = true)]
    pub momentum: Option<f64>,
    /// Term added to denominators: adagrad 1e-10, adadelta 1e-6, the others 1e-8.
    #[arg(long, allow_hyphen_values = true)]
    pub eps: Option<f64>,
    /// Smoothing constant for rmsprop (default 0.99).
    #[arg(long, allow_hyphen_values = true)]
    pub alpha: Option<f64>,
    /// First-moment decay of the Adam family (default 0.9).
    #[arg(long, allow_hyphen_values = true)]
    pub beta1: Option<f64>,
    /// Second-moment decay of the Adam family (default 0.999).
    #[arg(long, allow_hyphen_values = true)]
    pub beta2: Option<f64>,
    /// Adadelta's decay of its running averages (default 0.9).
    #[arg(long, allow_hyphen_values = true)]
    pub rho: Option<f64>,
    /// torch's weight_decay: L2 added to the gradient (adamw: decoupled; default 0, adamw 0.01).
    #[arg(long = "weight-decay", value_name = "WD", allow_hyphen_values = true)]
    pub weight_decay: Option<f64>,
    /// NAdam's momentum_decay (default 0.004).
    #[arg(
        long = "momentum-decay",
        value_name = "PSI",
        allow_hyphen_values = true
    )]
    pub momentum_decay: Option<f64>,
    /// Adam and AdamW: the AMSGrad variant (divide by the running maximum of the second moment).
    #[arg(long)]
    pub amsgrad: bool,
    /// RMSprop: normalise by the gradient's estimated variance.
    #[arg(long)]
    pub centered: bool,
}

impl HyperparameterFlags {
    /// Each numeric flag's name (as `Hyperparameters::set` knows it) and its value, if given.
    pub fn given(&self) -> [(&'static str, Option<f64>); 8] {
        [
            ("momentum", self.momentum),
            ("eps", self.eps),
            ("alpha", self.alpha),
            ("beta1", self.beta1),
            ("beta2", self.beta2),
            ("rho", self.rho),
            ("weight-decay", self.weight_decay),
            ("momentum-decay", self.momentum_decay),
        ]
    }

    /// The switches that were given, by name.
    pub fn switches_given(&self) -> Vec<&'static str> {
        [("amsgrad", self.amsgrad), ("centered", self.centered)]
            .into_iter()
            .filter_map(|(name, on)| on.then_some(name))
            .collect()
    }

    /// Every flag given, numeric or switch, by name.
    pub fn names_given(&self) -> Vec<&'static str> {
        self.given()
            .into_iter()
            .filter_map(|(name, v)| v.map(|_| name))
            .chain(self.switches_given())
            .collect()
    }

    /// Sets every given flag on `hyper`; with `only_taken`, flags its optimizer does not take
    /// are skipped (render's several optimizers), otherwise they are errors naming what it takes.
    pub fn apply(&self, hyper: &mut Hyperparameters, only_taken: bool) -> Result<(), CliError> {
        for (name, value) in self.given() {
            if let Some(v) = value
                && (!only_taken || hyper.kind.takes(name))
            {
                hyper
                    .set(name, v)
                    .map_err(|e| CliError::input(e.to_string()))?;
            }
        }
        for name in self.switches_given() {
            if !only_taken || hyper.kind.takes(name) {
                hyper
                    .set_switch(name, true)
                    .map_err(|e| CliError::input(e.to_string()))?;
            }
        }
        Ok(())
    }
}

/// Mini-batches on a data objective: `descend`, `basins` and `sweep` take these.
#[derive(Args, Debug, Clone, Default)]
pub struct BatchFlags {
    /// Rows per step's gradient (default: every row, batch gradient descent; 1: stochastic).
    #[arg(long = "batch-size", value_name = "B", requires = "data")]
    pub batch_size: Option<usize>,
    /// shuffle: a fresh permutation each epoch, cut into batches; replace: B rows drawn with
    /// replacement every step.
    #[arg(long, value_name = "shuffle|replace", requires = "data")]
    pub sampling: Option<String>,
    /// Instead of --steps: E passes over the data (E·⌈n/B⌉ steps).
    #[arg(long, value_name = "E", conflicts_with = "steps", requires = "data")]
    pub epochs: Option<usize>,
}

impl BatchFlags {
    /// The batches as the runner takes them, or None for every row every step.
    pub fn options(&self) -> Result<Option<BatchOptions>, CliError> {
        let sampling = match &self.sampling {
            Some(text) => Sampling::parse(text).ok_or_else(|| {
                CliError::input(format!("--sampling {text}: expected shuffle or replace"))
            })?,
            None => Sampling::Shuffle,
        };
        match self.batch_size {
            Some(0) => Err(CliError::input(
                "--batch-size must be at least 1 (1 is stochastic gradient descent)",
            )),
            Some(size) => Ok(Some(BatchOptions { size, sampling })),
            None if self.sampling.is_some() => Err(CliError::input(
                "--sampling needs --batch-size B: without it every step sees every row",
            )),
            None => Ok(None),
        }
    }

    /// The steps to take: `--steps`, or E·⌈n/B⌉ for `--epochs E`.
    pub fn steps(&self, function: &Function, steps: Option<usize>) -> Result<usize, CliError> {
        match (steps, self.epochs) {
            (_, Some(epochs)) => self.steps_for_epochs(function, epochs),
            (Some(steps), None) => Ok(steps),
            // clap requires one of the two.
            (None, None) => Err(CliError::input("give --steps N or --epochs E")),
        }
    }

    /// Steps in `epochs` passes over `function`'s rows: E·⌈n/B⌉.
    fn steps_for_epochs(&self, function: &Function, epochs: usize) -> Result<usize, CliError> {
        let rows = function.data_rows().ok_or_else(|| {
            CliError::input("--epochs counts passes over a data set: give --data")
        })?;
        let batch = self.batch_size.unwrap_or(rows).clamp(1, rows.max(1));
        Ok(epochs.saturating_mul(rows.div_ceil(batch)))
    }
}

/// How far each descent of `basins` and `sweep` goes, with a data objective's batches, and the
/// most work either takes on.
#[derive(Args, Debug, Clone, Default)]
pub struct ManyDescentsFlags {
    /// The most steps each descent takes.
    #[arg(long, value_name = "K", required_unless_present = "epochs")]
    pub steps: Option<usize>,
    #[command(flatten)]
    pub batches: BatchFlags,
    /// Seed of a data objective's batches (default 0): every descent sees the same batches.
    #[arg(long, value_name = "S", requires = "data")]
    pub seed: Option<u64>,
    /// The most work to take on, in descent steps (descents × steps, × rows on a data
    /// objective); more is refused with its estimate (default 1e10, about five minutes on a
    /// 2-core machine without a GPU).
    #[arg(long = "max-work", value_name = "STEPS")]
    pub max_work: Option<f64>,
}

impl ManyDescentsFlags {
    /// The steps and the options around the optimizer these flags give on `function`.
    pub fn steps_and_options(
        &self,
        function: &Function,
    ) -> Result<(usize, crate::optim::RunOptions), CliError> {
        let steps = self.batches.steps(function, self.steps)?;
        let options = crate::optim::RunOptions {
            batch: self.batches.options()?,
            seed: self.seed.unwrap_or(0),
            ..Default::default()
        };
        Ok((steps, options))
    }

    /// Refuses `descents` of `steps` each on `function` where that is more work than
    /// --max-work allows (see [`progress::check_work`]).
    pub fn check_work(
        &self,
        what: &str,
        descents: usize,
        steps: usize,
        function: &Function,
    ) -> Result<(), CliError> {
        let rows = function.data_rows().unwrap_or(1);
        let max_work = self.max_work.unwrap_or(progress::DEFAULT_MAX_WORK);
        progress::check_work(what, descents, steps, rows, max_work).map(|_| ())
    }
}

/// What went wrong, and so which exit code: 2 for bad input, 1 for the machine.
#[derive(Debug)]
pub enum CliError {
    Input(String),
    Machine(String),
    /// Stopped by Ctrl+C, nothing written (exit code 130, as shells report SIGINT).
    Interrupted(String),
}

impl CliError {
    pub fn input(msg: impl Into<String>) -> CliError {
        CliError::Input(msg.into())
    }

    pub fn machine(msg: impl Into<String>) -> CliError {
        CliError::Machine(msg.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Input(_) => 2,
            CliError::Machine(_) => 1,
            CliError::Interrupted(_) => 130,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(m) | CliError::Machine(m) | CliError::Interrupted(m) => f.write_str(m),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError::machine(format!("I/O error: {e}"))
    }
}

/// `doc` as one line of JSON on `out`: a command's `--json` answer.
pub(crate) fn write_json(out: &mut dyn Write, doc: &impl serde::Serialize) -> Result<(), CliError> {
    serde_json::to_writer(&mut *out, doc)
        .map_err(|e| CliError::machine(format!("writing JSON: {e}")))?;
    writeln!(out)?;
    Ok(())
}

/// Gives the process a private runtime directory where the session has none (a plain ssh or
/// container shell): Mesa's Vulkan loader otherwise prints "error: XDG_RUNTIME_DIR is invalid
/// or not set" once per GPU context, which reads as a failure of a command that succeeded.
/// Call it first thing in `main`, before any thread exists.
pub fn prepare_environment() {
    use std::os::unix::fs::PermissionsExt;
    let current = std::env::var_os("XDG_RUNTIME_DIR");
    if current
        .as_ref()
        .is_some_and(|dir| std::path::Path::new(dir).is_dir())
    {
        return;
    }
    let dir = std::env::temp_dir().join("gradscape-runtime");
    let private = std::fs::create_dir_all(&dir).is_ok()
        && std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).is_ok();
    if private {
        // SAFETY: called at the start of `main`, before any other thread runs, so no one reads
        // the environment while it changes.
        unsafe { std::env::set_var("XDG_RUNTIME_DIR", &dir) };
    }
}

/// Runs one parsed command; output goes to `out` so that tests can capture it.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<(), CliError> {
    let Some(command) = cli.command else {
        return open::run(&open::OpenArgs::default(), out);
    };
    match command {
        Command::Open(args) => open::run(&args, out),
        Command::Eval(args) => eval::run(&args, out),
        Command::Descend(args) => descend::run(&args, out),
        Command::Presets(args) => presets::run(&args, out),
        Command::Data(args) => data::run(&args, out),
        Command::Grid(args) => grid::run(&args, out),
        Command::Bench(args) => bench::run(&args, out),
        Command::Analyze(args) => analyze::run(&args, out),
        Command::Render(args) => render::run(&args, out),
        Command::Basins(args) => basins::run(&args, out),
        Command::Sweep(args) => sweep::run(&args, out),
    }
}

/// Parses `X` or `X,Y` (from `--at`, `--from`) into numbers, checking the count against the
/// function's dimension.
pub fn parse_point(flag: &str, text: &str, dims: usize) -> Result<Vec<f64>, CliError> {
    let values = parse_numbers(flag, text)?;
    if values.len() != dims {
        let want = if dims == 1 {
            format!("{flag} X (the function is 1-D: it uses only x)")
        } else {
            format!("{flag} X,Y (the function is 2-D: it uses x and y)")
        };
        return Err(CliError::input(format!(
            "{flag} got {} number{} ('{text}'): give {want}",
            values.len(),
            if values.len() == 1 { "" } else { "s" }
        )));
    }
    Ok(values)
}

/// Parses a comma-separated list of finite numbers.
pub fn parse_numbers(flag: &str, text: &str) -> Result<Vec<f64>, CliError> {
    text.split(',')
        .map(|part| {
            let part = part.trim();
            match part.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                Ok(_) => Err(CliError::input(format!(
                    "{flag}: '{part}' is not a finite number"
                ))),
                Err(_) => Err(CliError::input(format!(
                    "{flag}: '{part}' is not a number (expected numbers separated by commas, \
                     e.g. {flag} -1.2,1)"
                ))),
            }
        })
        .collect()
}

/// A range `A,B` with A < B.
pub fn parse_range(flag: &str, text: &str) -> Result<(f64, f64), CliError> {
    match *parse_numbers(flag, text)?.as_slice() {
        [a, b] if a < b && (b - a).is_finite() => Ok((a, b)),
        [a, b] if a < b => Err(CliError::input(format!(
            "{flag} {a},{b}: the range is too wide to step through"
        ))),
        [a, b] => Err(CliError::input(format!(
            "{flag} {a},{b}: the start must be less than the end"
        ))),
        _ => Err(CliError::input(format!(
            "{flag} expects two numbers A,B, got '{text}'"
        ))),
    }
}

/// A number in terminal text: every digit, ASCII minus, so it can be pasted back into a
/// command (see [`crate::format::exact`]; figures use [`crate::format::number`]).
pub use crate::format::exact as fmt_number;

pub use crate::optim::export::json_number;
