//! `gradscape open [EXPR | --preset NAME | SCENE.gradscape.json | --scene JSON] [--x-range A,B]
//! [--y-range C,D] [--from X,Y] [--optimizer O] [--lr LR]` and a bare `gradscape`: every
//! argument is checked first (bad input exits 2 before any window opens), then the desktop app
//! starts on the saved session with these changes applied.

use std::io::Write;

use clap::Args;

use super::{CliError, FunctionArg, parse_point};
use crate::optim::{Hyperparameters, OptimizerKind};
use crate::workspace::{DomainState, RunConfig, Workspace};

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
    /// The x range shown: A,B.
    #[arg(long, value_name = "A,B", allow_hyphen_values = true)]
    pub x_range: Option<String>,
    /// The y range shown (2-D functions): C,D.
    #[arg(long, value_name = "C,D", allow_hyphen_values = true)]
    pub y_range: Option<String>,
    /// A whole scene, as the JSON of a scene file (what File → Copy as command writes).
    #[arg(long, value_name = "JSON", conflicts_with_all = ["expr", "preset"])]
    pub scene: Option<String>,
}

/// A range from the command line, if one was given.
type Range = Option<[f64; 2]>;

/// What `open` will change, all checked.
struct Plan {
    /// A scene file's (or `--scene`'s) scene, and the file it came from.
    scene: Option<(crate::workspace::SceneFile, Option<std::path::PathBuf>)>,
    function: Option<Source>,
    /// `--x-range` and `--y-range`, each if given.
    domain: Option<(Range, Range)>,
    from: Option<Vec<f64>>,
    /// For the first run; its other settings stay.
    optimizer: Option<OptimizerKind>,
    lr: Option<f64>,
}

enum Source {
    Preset(&'static crate::presets::Preset),
    Typed(String),
    /// `--data … --model …`: a model's loss on a data set (checked to build).
    Data(crate::workspace::DataSpec),
}

pub fn run(args: &OpenArgs, _out: &mut dyn Write) -> Result<(), CliError> {
    let plan = check(args)?;
    let launch = crate::app::Launch {
        adjust: Box::new(move |model| apply(plan, &mut model.workspace, &mut model.notice)),
    };
    crate::app::run(launch).map_err(|e| CliError::machine(e.to_string()))
}

/// Whether EXPR names a scene file rather than a function.
fn is_scene_path(expr: &str) -> bool {
    expr.ends_with(crate::workspace::SCENE_EXTENSION)
        || (expr.ends_with(".json") && std::path::Path::new(expr).is_file())
}

fn check(args: &OpenArgs) -> Result<Plan, CliError> {
    let scene = match (&args.scene, &args.function.expr) {
        (Some(json), _) => Some((
            crate::workspace::parse_scene(json)
                .map_err(|e| CliError::input(format!("--scene: {e}")))?,
            None,
        )),
        (None, Some(expr)) if is_scene_path(expr) => {
            let path = std::path::PathBuf::from(expr);
            let scene = crate::workspace::read_scene(&path).map_err(|e| {
                CliError::input(format!("cannot open the scene {}: {e}", path.display()))
            })?;
            Some((scene, Some(path)))
        }
        _ => None,
    };
    let scene_dims = scene
        .as_ref()
        .map(|(s, _)| crate::function::Function::parse(&s.function).map_or(2, |f| f.dims()));
    let (function, dims) = match (&args.function.expr, &args.function.preset) {
        _ if scene.is_some() => (None, scene_dims),
        _ if args.function.data.is_some() => {
            // Built here so that a bad set, model or loss exits 2 before any window opens.
            let function = args.function.load()?;
            // This branch is taken where --data was given, so there is a spec.
            let spec = args
                .function
                .data_spec()
                .ok_or_else(|| CliError::input("--data names no data set"))?;
            (Some(Source::Data(spec)), Some(function.dims()))
        }
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
    let range = |flag: &str, text: &Option<String>| -> Result<Option<[f64; 2]>, CliError> {
        let Some(text) = text else {
            return Ok(None);
        };
        let (a, b) = super::parse_range(flag, text)?;
        let axis = crate::workspace::DomainState {
            x: [a, b],
            y: [a, b],
        };
        crate::workspace::check_domain(&axis).map_err(|e| {
            CliError::input(format!("{flag}: {}", e.replace("the x range", "the range")))
        })?;
        Ok(Some([a, b]))
    };
    let x_range = range("--x-range", &args.x_range)?;
    let y_range = range("--y-range", &args.y_range)?;
    if y_range.is_some() && dims == Some(1) {
        return Err(CliError::input(
            "--y-range is for a 2-D function; this one uses only x",
        ));
    }
    let domain = (x_range.is_some() || y_range.is_some()).then_some((x_range, y_range));
    Ok(Plan {
        scene,
        domain,
        function,
        from,
        optimizer,
        lr: args.lr,
    })
}

/// Applies the checked plan to the restored session; what the user should be told lands in
/// `notice` (the status line's message, and whether it is an error); the note on kept runs
/// does not replace one already there.
fn apply(plan: Plan, model: &mut Workspace, notice: &mut Option<(String, bool)>) {
    if let Some((scene, path)) = &plan.scene {
        // Checked in `check`: it opens.
        let opened = match path {
            Some(path) => model.open_scene_file(path),
            None => model.open_scene(scene),
        };
        if let Err(why) = opened {
            *notice = Some((format!("could not open the scene: {why}"), true));
        }
    }
    let new_function = plan.function.is_some();
    match plan.function {
        Some(Source::Preset(preset)) => model.apply_preset(preset),
        Some(Source::Typed(source)) => {
            model.set_source(&source);
            // A constant, known-good domain: this cannot be refused.
            let _ = model.set_domain(TYPED_DOMAIN);
            let start = crate::workspace::default_start(&TYPED_DOMAIN);
            model.set_start(start[0], start[1]);
        }
        Some(Source::Data(spec)) => {
            // `check` built it; should the file change in between, the app says so.
            if let Err(problem) = model.open_data(spec) {
                *notice = Some((
                    format!("could not open the data: {}", problem.message),
                    true,
                ));
            }
        }
        None => {}
    }
    if let Some((x, y)) = plan.domain {
        let mut domain = model.state.domain;
        if let Some(x) = x {
            domain.x = x;
        }
        if let Some(y) = y {
            domain.y = y;
        } else if new_function && model.dims() == 1 {
            // A 1-D function is shown extruded over a y range as wide as its x range.
            let half = (domain.x[1] - domain.x[0]) / 2.0;
            domain.y = [-half, half];
        }
        // Each range was checked in `check`.
        let _ = model.set_domain(domain);
        if plan.from.is_none() && new_function {
            let start = crate::workspace::default_start(&model.state.domain);
            model.set_start(start[0], start[1]);
        }
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
        run = run.with_kind(kind);
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
    // The flags set the first run; the session's other runs stay (they are the user's work),
    // and the status line says so rather than leaving them to be discovered.
    let others = model.state.runs.len().saturating_sub(1);
    if others > 0 && notice.is_none() {
        let flags = match (plan.optimizer, plan.lr) {
            (Some(kind), Some(lr)) => format!("--optimizer {kind} --lr {lr}"),
            (Some(kind), None) => format!("--optimizer {kind}"),
            (None, _) => format!("--lr {}", run.hyper.lr),
        };
        let kept = if others == 1 {
            "the session's other run is kept".to_owned()
        } else {
            format!("the session's other {others} runs are kept")
        };
        *notice = Some((
            format!("{flags} set run 1; {kept} (Remove in the Runs panel)"),
            false,
        ));
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
                ..Default::default()
            },
            from: from.map(String::from),
            optimizer: optimizer.map(String::from),
            lr,
            ..OpenArgs::default()
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
        let mut model = Workspace::new(crate::workspace::AppState::default());
        apply(plan, &mut model, &mut None);
        assert_eq!(model.state.good_source, "x^2 + y^2");
        assert_eq!(model.state.start, [1.0, -2.0]);
        assert_eq!(model.state.runs[0].hyper.kind, OptimizerKind::Adam);
        assert_eq!(model.state.runs[0].hyper.lr, 0.1);
    }

    #[test]
    fn open_data_lands_in_the_model_and_bad_data_is_refused_first() {
        let data = |model: &str| OpenArgs {
            function: FunctionArg {
                data: Some("linear".into()),
                model: Some(model.into()),
                l2: Some(0.5),
                ..Default::default()
            },
            from: Some("1,2".into()),
            ..OpenArgs::default()
        };
        let mut model = Workspace::new(crate::workspace::AppState::default());
        apply(check(&data("linear:x")).unwrap(), &mut model, &mut None);
        let spec = model.state.data.clone().expect("a data objective");
        assert_eq!(
            (spec.source.as_str(), spec.model.as_str(), spec.l2),
            ("linear", "linear:x", 0.5)
        );
        assert_eq!(model.function().data_rows(), Some(100));
        assert_eq!(model.state.start, [1.0, 2.0]);
        assert!(matches!(
            check(&data("theta0 + theta2*x")),
            Err(CliError::Input(_))
        ));
    }

    #[test]
    fn the_optimizer_flag_changes_only_the_first_run() {
        let mut model = Workspace::new(crate::workspace::AppState::default());
        let second = model.state.runs[1];
        let plan = check(&args(None, None, Some("newton"), Some(1.0))).unwrap();
        let mut notice = None;
        apply(plan, &mut model, &mut notice);
        assert_eq!(model.state.runs[0].hyper.kind, OptimizerKind::Newton);
        assert_eq!(model.state.runs[1], second);
        // And it says that the other run was kept.
        let (text, error) = notice.expect("the kept runs are mentioned");
        assert!(!error);
        assert_eq!(
            text,
            "--optimizer newton --lr 1 set run 1; the session's other run is kept \
             (Remove in the Runs panel)"
        );
    }

    /// Splits a POSIX shell line (single quotes and '\'' escapes only, as Copy as command
    /// writes them).
    fn shell_words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        let mut any = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    quoted = !quoted;
                    any = true;
                }
                '\\' if !quoted => {
                    if let Some(next) = chars.next() {
                        word.push(next);
                    }
                }
                ' ' if !quoted => {
                    if any || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    any = false;
                }
                _ => word.push(c),
            }
        }
        if any || !word.is_empty() {
            words.push(word);
        }
        words
    }

    /// The model a command line opens, on top of the default session.
    fn opened_by(line: &str) -> Workspace {
        use clap::Parser;
        let words = shell_words(line);
        let cli = crate::cli::Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{line}: {e}"));
        let Some(crate::cli::Command::Open(args)) = cli.command else {
            panic!("{line} is not an open command");
        };
        let plan = check(&args).unwrap_or_else(|e| panic!("{line}: {e:?}"));
        let mut model = Workspace::new(crate::workspace::AppState::default());
        apply(plan, &mut model, &mut None);
        model
    }

    #[test]
    fn copy_as_command_reproduces_the_scene() {
        let mut model = Workspace::new(crate::workspace::AppState::default());
        model.set_source("x^2 + 3*y^2 - x*y");
        model
            .set_domain(crate::workspace::DomainState {
                x: [-1.5, 2.0],
                y: [-4.0, 0.5],
            })
            .unwrap();
        model.set_start(1.25, -0.75);
        model.set_runs(vec![RunConfig::new(OptimizerKind::Nadam, 0.03, 0)]);
        model.add_run();
        model.state.runs[1].hyper.beta1 = 0.8;
        model.state.display.contours = true;
        model.state.display.colormap = crate::scene::Colormap::ALL[2];
        model.recompute();
        let line = crate::workspace::command_line(&model.state);
        let opened = opened_by(&line);
        assert!(
            crate::workspace::same_scene(&opened.state, &model.state),
            "{line}"
        );
    }

    #[test]
    fn ranges_on_the_command_line_set_the_domain() {
        let opened = opened_by("gradscape open x*y --x-range=-1,2 --y-range=-0.5,0.5");
        assert_eq!(opened.state.domain.x, [-1.0, 2.0]);
        assert_eq!(opened.state.domain.y, [-0.5, 0.5]);
        assert!(opened.state.start[0] > -1.0 && opened.state.start[1] >= -0.5);
        let opened = opened_by("gradscape open x^2 --x-range=0,4");
        assert_eq!(opened.state.domain.x, [0.0, 4.0]);
        for bad in [
            &["open", "x^2", "--y-range", "0,1"][..],
            &["open", "x*y", "--x-range", "2,1"],
            &["open", "x*y", "--x-range", "1"],
        ] {
            use clap::Parser;
            let cli = crate::cli::Cli::try_parse_from(
                std::iter::once("gradscape").chain(bad.iter().copied()),
            )
            .unwrap();
            let Some(crate::cli::Command::Open(args)) = cli.command else {
                panic!();
            };
            assert!(matches!(check(&args), Err(CliError::Input(_))), "{bad:?}");
        }
    }

    #[test]
    fn a_scene_file_opens_and_a_malformed_one_is_refused() {
        let dir = std::env::temp_dir().join(format!("gradscape-open-scene-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut state = crate::workspace::AppState {
            start: [0.5, 1.5],
            ..Default::default()
        };
        state.display.wireframe = true;
        let path = dir.join("mine.gradscape.json");
        crate::workspace::scene_file::write_scene(
            &path,
            &crate::workspace::SceneFile::from_state(&state),
        )
        .unwrap();
        let opened = opened_by(&format!("gradscape open {} --lr 0.2", path.display()));
        assert_eq!(opened.state.start, [0.5, 1.5]);
        assert!(opened.state.display.wireframe);
        assert_eq!(opened.state.runs[0].hyper.lr, 0.2, "flags apply on top");
        assert_eq!(
            opened.state.scene_file.as_deref(),
            Some(path.to_str().unwrap())
        );
        let bad = dir.join("bad.gradscape.json");
        std::fs::write(&bad, "{\"format\": \"gradscape-scene\", \"version\": 9}").unwrap();
        let mut args = OpenArgs::default();
        args.function.expr = Some(bad.display().to_string());
        let Err(CliError::Input(message)) = check(&args) else {
            panic!("a newer scene is refused");
        };
        assert!(message.contains("newer gradscape"), "{message}");
        args.function.expr = Some(dir.join("missing.gradscape.json").display().to_string());
        assert!(matches!(check(&args), Err(CliError::Input(m)) if m.contains("no such file")));
        let _ = std::fs::remove_dir_all(dir);
    }
}
