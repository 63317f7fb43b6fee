//! A data objective as the app holds it: the table, the loss f(θ0, θ1), the model's output per
//! row as a function of θ (for the data view), and the full-data minimum — built from the
//! state's [`DataSpec`]. A spec that fails says which field is at fault.

use super::state::{DataSpec, DomainState};
use crate::data::{ObjectiveError, Table, build_objective, load_table};
use crate::function::Function;
use crate::optim::{Hyperparameters, OptimizerKind, RunOptions, Status, run_with};

/// Points the model's curve is evaluated at across the data view.
pub const CURVE_SAMPLES: usize = 97;

/// The field of the Data panel a problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataField {
    Source,
    Model,
    Loss,
    Target,
    Penalty,
}

/// Why a spec could not be built, beside the field to fix, with the spec as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct DataProblem {
    pub field: DataField,
    pub message: String,
    /// Boxed: the problem travels in a `Result` that is otherwise small.
    pub spec: Box<DataSpec>,
}

/// Everything the app derives from a data spec that built.
#[derive(Clone, Debug)]
pub struct LoadedData {
    pub spec: DataSpec,
    pub table: Table,
    /// The target column's index.
    pub target: usize,
    /// The one column the model reads, if it reads exactly one: the data view's x axis.
    pub input: Option<usize>,
    /// The loss is the logistic one: the model's output is a logit, drawn through the sigmoid.
    pub logistic: bool,
    /// The model is θ0 + θ1·input (`linear:COL`, `logistic:COL` or written so): the line's
    /// two handles solve for θ.
    pub linear: bool,
    /// The model's output on row r at θ: `model_fn` over the rows [r].
    pub model_fn: Function,
    /// The data view's x samples and the model along them (one row per sample), for a model
    /// of one column.
    pub curve: Option<(Vec<f64>, Function)>,
    /// Where the full-data loss is least, as far as Newton (or Adam) finds from (0, 0).
    pub minimum: Option<[f64; 2]>,
}

impl LoadedData {
    /// The model's output at θ on `row` (the sigmoid of the logit for a logistic loss).
    pub fn predict(&self, theta: [f64; 2], row: usize) -> f64 {
        output(&self.model_fn, theta, row, self.logistic)
    }

    /// The model's curve at θ along the data view's x samples, as (x, output) points.
    pub fn curve_at(&self, theta: [f64; 2]) -> Option<Vec<[f64; 2]>> {
        let (xs, f) = self.curve.as_ref()?;
        Some(
            xs.iter()
                .enumerate()
                .map(|(r, &x)| [x, output(f, theta, r, self.logistic)])
                .collect(),
        )
    }

    /// The x range of the data view: the input column's range, a twentieth wider each side.
    pub fn x_range(&self) -> Option<[f64; 2]> {
        self.input.map(|c| padded_range(&self.table.column(c)))
    }

    /// The target column's range, a twentieth wider each side.
    pub fn target_range(&self) -> [f64; 2] {
        padded_range(&self.table.column(self.target))
    }
}

fn output(f: &Function, theta: [f64; 2], row: usize, logistic: bool) -> f64 {
    let m = f
        .batch_value_and_gradient(&theta[..f.dims()], &[row as u32])
        .0;
    if logistic {
        1.0 / (1.0 + (-m).exp())
    } else {
        m
    }
}

/// [min, max] of `values`, a twentieth of the span wider each side (1 wide where flat).
fn padded_range(values: &[f64]) -> [f64; 2] {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return [0.0, 1.0];
    }
    let pad = if hi > lo { (hi - lo) / 20.0 } else { 0.5 };
    [lo - pad, hi + pad]
}

/// The field an objective error is about.
fn field_of(error: &ObjectiveError) -> DataField {
    match error {
        ObjectiveError::Data(_) => DataField::Source,
        ObjectiveError::Model(_) => DataField::Model,
        ObjectiveError::Loss(_) => DataField::Loss,
        ObjectiveError::Invalid(text) => {
            if text.starts_with("--target") || text.contains("to predict") {
                DataField::Target
            } else if text.starts_with("--l2") || text.starts_with("--l1") {
                DataField::Penalty
            } else if text.starts_with("--loss") {
                DataField::Loss
            } else {
                DataField::Model
            }
        }
    }
}

/// Loads the set and builds the objective: (f as the runs see it, f over (θ0, θ1) for the
/// surface, what the data view needs), or the problem and its field.
pub fn load(spec: &DataSpec) -> Result<(Function, Function, LoadedData), DataProblem> {
    let problem = |field, message: String| DataProblem {
        field,
        message,
        spec: Box::new(spec.clone()),
    };
    let table =
        load_table(spec.source.trim()).map_err(|e| problem(DataField::Source, e.to_string()))?;
    let function = build_objective(&table, &spec.objective_spec())
        .map_err(|e| problem(field_of(&e), e.to_string()))?;
    // The objective's own label names the target and loss it settled on (defaults included).
    let label = function.source().to_string();
    let target_name = label
        .split(" --target ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("y")
        .to_string();
    let target = table.column_index(&target_name).unwrap_or(0);
    let logistic = label.contains(" --loss logistic --target ");
    let model_only = |t: &Table| {
        build_objective(
            t,
            &crate::data::ObjectiveSpec {
                model: spec.model.clone(),
                loss: Some("m".into()),
                target: Some(target_name.clone()),
                l2: 0.0,
                l1: 0.0,
            },
        )
    };
    let model_fn = model_only(&table).map_err(|e| problem(field_of(&e), e.to_string()))?;
    let (input_name, linear) = model_input(&spec.model, &table);
    let input = input_name.as_deref().and_then(|n| table.column_index(n));
    let curve = input.and_then(|c| {
        let [lo, hi] = padded_range(&table.column(c));
        let xs: Vec<f64> = (0..CURVE_SAMPLES)
            .map(|i| lo + (hi - lo) * i as f64 / (CURVE_SAMPLES - 1) as f64)
            .collect();
        let name = table.columns()[c].clone();
        let (columns, values) = if c == target {
            (vec![name], xs.clone())
        } else {
            let values = xs.iter().flat_map(|&x| [x, 0.0]).collect();
            (vec![name, target_name.clone()], values)
        };
        let samples = Table::new("curve", columns, values).ok()?;
        Some((xs, model_only(&samples).ok()?))
    });
    let minimum = find_minimum(&function);
    let surface = if function.dims() == 2 {
        function.clone()
    } else {
        // ∂f/∂θ1 = 0: a model in θ0 alone, shown extruded along θ1.
        Function::from_arena(label, function.arena().clone(), function.f_id(), 2)
    };
    let loaded = LoadedData {
        spec: spec.clone(),
        table,
        target,
        input,
        logistic,
        linear,
        model_fn,
        curve,
        minimum,
    };
    Ok((function, surface, loaded))
}

/// The one column `model` reads (if one), and whether it is θ0 + θ1·that column.
fn model_input(model: &str, table: &Table) -> (Option<String>, bool) {
    let model = model.trim();
    for prefix in ["linear:", "logistic:"] {
        if let Some(col) = model.strip_prefix(prefix) {
            return (Some(col.trim().to_string()), true);
        }
    }
    let mut used: Vec<&str> = model
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| table.column_index(w).is_some())
        .collect();
    used.dedup();
    if used.len() != 1 || used.iter().any(|w| *w != used[0]) {
        return (None, false);
    }
    let col = used[0];
    let compact: String = model.chars().filter(|c| !c.is_whitespace()).collect();
    let linear = [
        format!("theta0+theta1*{col}"),
        format!("θ0+θ1*{col}"),
        format!("theta0+{col}*theta1"),
    ]
    .contains(&compact);
    (Some(col.to_string()), linear)
}

/// The full-data minimum: Newton from (0, 0) where it converges (one step for least squares:
/// the normal equation), else where Adam gets in a few thousand steps. Converged means ‖∇f‖
/// fell 10¹⁰-fold from the start's, so the verdict holds whatever the scale of the data.
pub fn find_minimum(function: &Function) -> Option<[f64; 2]> {
    let start = vec![0.0; function.dims()];
    let start_norm = crate::optim::grad_norm(&function.gradient(&start));
    if start_norm == 0.0 {
        return Some([0.0, 0.0]);
    }
    let tol = start_norm * 1e-10;
    let finish = |kind, lr, steps, need_converged: bool| {
        let hyper = Hyperparameters::new(kind, lr);
        let t = run_with(
            function,
            &hyper,
            &RunOptions::default(),
            &start,
            steps,
            Some(tol),
        )
        .ok()?;
        if need_converged && t.status != Status::Converged {
            return None;
        }
        let last = t.steps.last()?;
        let p = [last.point[0], last.point.get(1).copied().unwrap_or(0.0)];
        p.iter().all(|v| v.is_finite()).then_some(p)
    };
    finish(OptimizerKind::Newton, 1.0, 100, true)
        .or_else(|| finish(OptimizerKind::Adam, 0.05, 4000, false))
}

/// A θ domain worth looking at: (0, 0), where runs start, and the minimum, with room around.
pub fn domain_around(minimum: Option<[f64; 2]>) -> DomainState {
    let [m0, m1] = minimum.unwrap_or([0.0, 0.0]);
    let pad = 0.5 * m0.abs().max(m1.abs()).max(2.0);
    DomainState {
        x: [m0.min(0.0) - pad, m0.max(0.0) + pad],
        y: [m1.min(0.0) - pad, m1.max(0.0) + pad],
    }
}

/// θ whose line θ0 + θ1·x passes through (x_a, y_a) and (x_b, y_b); None for a vertical one.
pub fn line_through([x_a, y_a]: [f64; 2], [x_b, y_b]: [f64; 2]) -> Option<[f64; 2]> {
    let run = x_b - x_a;
    if !(run.abs() > 1e-12 && run.is_finite()) {
        return None;
    }
    let theta1 = (y_b - y_a) / run;
    let theta = [y_a - theta1 * x_a, theta1];
    theta.iter().all(|v| v.is_finite()).then_some(theta)
}

/// ln 3: the logit where the sigmoid crosses 0.75 (and −ln 3 where it crosses 0.25).
pub const LOGIT_75: f64 = 1.098_612_288_668_109_8;

/// Where σ(θ0 + θ1·x) crosses 0.25 and 0.75; None for a flat sigmoid (θ1 = 0).
pub fn sigmoid_quartiles(theta: [f64; 2]) -> Option<[f64; 2]> {
    let [t0, t1] = theta;
    if t1.abs() < 1e-12 {
        return None;
    }
    let xs = [(-LOGIT_75 - t0) / t1, (LOGIT_75 - t0) / t1];
    xs.iter().all(|v| v.is_finite()).then_some(xs)
}

/// θ whose sigmoid crosses 0.25 at x_25 and 0.75 at x_75 (the logit line through (x_25, −ln 3)
/// and (x_75, ln 3)).
pub fn sigmoid_through(x_25: f64, x_75: f64) -> Option<[f64; 2]> {
    line_through([x_25, -LOGIT_75], [x_75, LOGIT_75])
}

/// The workspace's data objective: opened, edited, closed.
impl super::Workspace {
    /// The data objective on screen, if the scene is one.
    pub fn data(&self) -> Option<&LoadedData> {
        self.func.data.as_ref()
    }

    /// The Data panel's last spec that failed, and why.
    pub fn data_problem(&self) -> Option<&DataProblem> {
        self.func.data_problem.as_ref()
    }

    /// The spec the Data panel shows: the one that failed (as typed), else the one on screen.
    pub fn data_spec_shown(&self) -> Option<&DataSpec> {
        self.func
            .data_problem
            .as_ref()
            .map(|p| &*p.spec)
            .or(self.state.data.as_ref())
    }

    /// Opens a data objective (File → Open data…): the θ domain is chosen around its full-data
    /// minimum and the runs start at (0, 0). On failure the scene stays and the problem is
    /// returned (and shown by the field it concerns).
    pub fn open_data(&mut self, spec: DataSpec) -> Result<(), DataProblem> {
        let (function, surface, loaded) = load(&spec).inspect_err(|p| {
            self.func.data_problem = Some(p.clone());
        })?;
        let domain = domain_around(loaded.minimum);
        self.install_data(spec, function, surface, loaded);
        self.state.domain = domain;
        self.state.start = [0.0, 0.0];
        self.surface_changed();
        self.request_fit();
        self.state.playback.step = self.last_step();
        Ok(())
    }

    /// A Data panel edit (model, loss, target, penalties): the domain and start stay. A spec
    /// that does not build is kept as typed with its problem; the last good objective stays.
    pub fn set_data_spec(&mut self, spec: DataSpec) {
        if self.state.data.as_ref() == Some(&spec) {
            self.func.data_problem = None;
            return;
        }
        match load(&spec) {
            Ok((function, surface, loaded)) => {
                self.install_data(spec, function, surface, loaded);
                self.surface_changed();
            }
            Err(problem) => self.func.data_problem = Some(problem),
        }
    }

    fn install_data(
        &mut self,
        spec: DataSpec,
        function: Function,
        surface: Function,
        loaded: LoadedData,
    ) {
        self.func.function = function;
        self.func.surface = surface;
        self.func.data = Some(loaded);
        self.func.data_problem = None;
        self.state.data = Some(spec);
        self.state.preset = None;
    }

    /// Leaves the data objective for the last expression typed.
    pub fn close_data(&mut self) {
        if self.state.data.is_none() {
            return;
        }
        let source = self.state.good_source.clone();
        self.state.data = None;
        self.func.data = None;
        self.func.data_problem = None;
        if let Ok((function, surface)) = super::function::compile(&source) {
            self.func.function = function;
            self.func.surface = surface;
        }
        self.surface_changed();
        self.request_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_is_found_whatever_the_scale_of_the_data() {
        // y = 4e6 + 3e6·x: ‖∇f‖ never gets below an absolute 1e-10 in f64 there.
        let dir = crate::workspace::tests::temp_dir("scaled");
        let path = dir.join("scaled.csv");
        let rows: String = (0..20)
            .map(|r| {
                let x = f64::from(r) / 10.0;
                format!(
                    "{x},{}\n",
                    4e6 + 3e6 * x + if r % 2 == 0 { 1e5 } else { -1e5 }
                )
            })
            .collect();
        std::fs::write(&path, format!("x,y\n{rows}")).unwrap();
        let (_, _, loaded) = load(&DataSpec::new(path.to_str().unwrap(), "linear:x")).unwrap();
        let min = loaded.minimum.expect("a minimum");
        assert!(
            (min[0] / 4e6 - 1.0).abs() < 0.05 && (min[1] / 3e6 - 1.0).abs() < 0.05,
            "{min:?}"
        );
    }

    #[test]
    fn least_squares_on_linear_is_the_normal_equation() {
        let (f, _, loaded) = load(&DataSpec::new("linear", "linear:x")).unwrap();
        let min = loaded.minimum.expect("newton converges on a quadratic");
        // The normal equation (XᵀX)θ = Xᵀy, solved by hand.
        let t = &loaded.table;
        let n = t.rows() as f64;
        let (mut sx, mut sy, mut sxx, mut sxy) = (0.0, 0.0, 0.0, 0.0);
        for r in 0..t.rows() {
            let (x, y) = (t.value(r, 0), t.value(r, 1));
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        let theta1 = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        let theta0 = (sy - theta1 * sx) / n;
        assert!((min[0] - theta0).abs() < 1e-9 && (min[1] - theta1).abs() < 1e-9);
        assert!(f.gradient(&min).iter().all(|g| g.abs() < 1e-9));
        // Around 4 + 3x, as the set was drawn.
        assert!(
            (min[0] - 4.0).abs() < 0.5 && (min[1] - 3.0).abs() < 0.5,
            "{min:?}"
        );
        let d = domain_around(Some(min));
        assert!(d.x[0] < 0.0 && d.x[1] > min[0] && d.y[0] < 0.0 && d.y[1] > min[1]);
        assert!(loaded.linear && !loaded.logistic);
        assert_eq!(loaded.input, Some(0));
    }

    #[test]
    fn the_curve_is_the_model_along_x_and_predict_is_per_row() {
        let (_, _, loaded) = load(&DataSpec::new("linear", "linear:x")).unwrap();
        let curve = loaded.curve_at([1.0, 2.0]).unwrap();
        assert_eq!(curve.len(), CURVE_SAMPLES);
        for [x, y] in curve {
            assert!((y - (1.0 + 2.0 * x)).abs() < 1e-12);
        }
        let x0 = loaded.table.value(0, 0);
        assert!((loaded.predict([1.0, 2.0], 0) - (1.0 + 2.0 * x0)).abs() < 1e-12);
    }

    #[test]
    fn logistic_on_iris_draws_the_sigmoid_of_virginica_on_petal_width() {
        let (_, _, loaded) = load(&DataSpec::new("iris", "logistic:petal_width")).unwrap();
        assert!(loaded.logistic && loaded.linear);
        assert_eq!(loaded.table.columns()[loaded.target], "virginica");
        let min = loaded.minimum.unwrap();
        // The decision boundary (σ = ½) sits between versicolor's and virginica's widths.
        let boundary = -min[0] / min[1];
        assert!((1.4..1.9).contains(&boundary), "{min:?}");
        let [x25, x75] = sigmoid_quartiles(min).unwrap();
        let back = sigmoid_through(x25, x75).unwrap();
        assert!((back[0] - min[0]).abs() < 1e-9 && (back[1] - min[1]).abs() < 1e-9);
    }

    #[test]
    fn each_problem_names_its_field() {
        let field = |spec: DataSpec| load(&spec).unwrap_err().field;
        assert_eq!(field(DataSpec::new("nope", "linear:x")), DataField::Source);
        assert_eq!(
            field(DataSpec::new("linear", "theta0 + (")),
            DataField::Model
        );
        let loss = DataSpec {
            loss: "huber:-1".into(),
            ..DataSpec::new("linear", "linear:x")
        };
        assert_eq!(field(loss), DataField::Loss);
        let target = DataSpec {
            target: "z".into(),
            ..DataSpec::new("linear", "linear:x")
        };
        assert_eq!(field(target), DataField::Target);
        let penalty = DataSpec {
            l2: -1.0,
            ..DataSpec::new("linear", "linear:x")
        };
        assert_eq!(field(penalty), DataField::Penalty);
    }

    #[test]
    fn a_line_through_two_handles_and_a_sigmoid_through_its_quartiles() {
        assert_eq!(line_through([0.0, 1.0], [2.0, 5.0]), Some([1.0, 2.0]));
        assert_eq!(line_through([1.0, 1.0], [1.0, 5.0]), None);
        assert_eq!(sigmoid_quartiles([0.0, 0.0]), None);
        let theta = sigmoid_through(1.0, 2.0).unwrap();
        let s = |x: f64| 1.0 / (1.0 + (-(theta[0] + theta[1] * x)).exp());
        assert!((s(1.0) - 0.25).abs() < 1e-12 && (s(2.0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn a_model_in_theta0_alone_is_shown_as_a_surface_flat_along_theta1() {
        let (f, surface, _) = load(&DataSpec::new("linear", "theta0 + 3*x")).unwrap();
        assert_eq!((f.dims(), surface.dims()), (1, 2));
        assert_eq!(surface.value(&[1.0, 5.0]), f.value(&[1.0]));
    }

    #[test]
    fn a_session_on_data_comes_back_and_one_whose_file_is_gone_falls_back() {
        use crate::workspace::{AppState, Workspace as Model};
        let mut model = Model::new(AppState::default());
        model.settle_history();
        model
            .open_data(DataSpec::new("linear", "linear:x"))
            .unwrap();
        let json = serde_json::to_string(&model.state).unwrap();
        let again = Model::new(serde_json::from_str::<AppState>(&json).unwrap());
        assert_eq!(again.function().source(), model.function().source());
        assert_eq!(again.data().unwrap().minimum, model.data().unwrap().minimum);
        // Undo takes the data objective back to the expression before it.
        model.undo();
        assert!(model.data().is_none() && model.state.data.is_none());
        assert_eq!(model.function().source(), AppState::default().good_source);
        let mut gone = again.state.clone();
        gone.data = Some(DataSpec::new("/no/such/file.csv", "linear:x"));
        let (fallback, notice) = Model::load(gone);
        assert!(fallback.data().is_none() && fallback.state.data.is_none());
        let text = notice.unwrap();
        assert!(text.contains("dropped"), "{text}");
    }
}
