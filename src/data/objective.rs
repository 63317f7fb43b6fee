//! A model's loss on a data set as f(θ0, θ1) (CLI.md, "Data objectives"): the model and the
//! per-row loss are parsed with the columns as variables, and f = the mean over the rows of the
//! loss + the penalties, so ∇f and H are exact — the per-row loss differentiated symbolically.

use std::collections::HashMap;
use std::path::Path;

use thiserror::Error;

use super::{DataError, Table, builtin, read_csv};
use crate::function::Function;
use crate::math::{
    Arena, DataRows, Func, Id, MAX_COLUMNS, NameScope, ParseError, Var, parse_scoped,
};

/// What `--data --model --loss --target --l2 --l1` say, before the data is at hand.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectiveSpec {
    /// An expression in theta0, theta1 and the columns, or `linear:COL` / `logistic:COL`.
    pub model: String,
    /// None: `logistic` for a `logistic:` model, else `mse`.
    pub loss: Option<String>,
    /// None: `virginica` for `logistic:` on iris, else `y`.
    pub target: Option<String>,
    pub l2: f64,
    pub l1: f64,
}

/// The per-row loss of the model's output m against the target t.
#[derive(Clone, Debug, PartialEq)]
pub enum Loss {
    /// (m − t)²
    Mse,
    /// |m − t|
    Mae,
    /// torch's HuberLoss with this delta.
    Huber(f64),
    /// log(1 + e^m) − t·m, m the logit, t ∈ {0, 1}.
    Logistic,
    /// An expression in m and t.
    Expr(String),
}

impl Loss {
    /// `mse`, `mae`, `huber:D`, `logistic`, or an expression in m and t.
    pub fn parse(text: &str) -> Result<Loss, ObjectiveError> {
        let text = text.trim();
        Ok(match text {
            "mse" => Loss::Mse,
            "mae" => Loss::Mae,
            "logistic" => Loss::Logistic,
            _ => match text.strip_prefix("huber:") {
                Some(d) => {
                    let delta = d
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|d| d.is_finite() && *d > 0.0)
                        .ok_or_else(|| {
                            ObjectiveError::Invalid(format!(
                                "--loss huber:D needs a delta D > 0, got '{d}'"
                            ))
                        })?;
                    Loss::Huber(delta)
                }
                None => Loss::Expr(text.to_string()),
            },
        })
    }

    /// The loss in the grammar, in m and t. The logistic loss goes through softplus, which
    /// never overflows; Huber's two pieces are one formula through min(|r|, D) written with abs.
    fn text(&self) -> String {
        match self {
            Loss::Mse => "(m - t)^2".into(),
            Loss::Mae => "abs(m - t)".into(),
            Loss::Logistic => "softplus(m) - t*m".into(),
            Loss::Huber(d) => {
                // a = min(|r|, D); huber = a·(|r| − a/2): r²/2 inside, D·(|r| − D/2) outside.
                let a = format!("((abs(m - t) + {d} - abs(abs(m - t) - {d}))/2)");
                format!("{a}*(abs(m - t) - {a}/2)")
            }
            Loss::Expr(text) => text.clone(),
        }
    }

    /// As `--loss` spells it.
    pub fn name(&self) -> String {
        match self {
            Loss::Mse => "mse".into(),
            Loss::Mae => "mae".into(),
            Loss::Logistic => "logistic".into(),
            Loss::Huber(d) => format!("huber:{d}"),
            Loss::Expr(text) => text.clone(),
        }
    }
}

#[derive(Debug, Error)]
pub enum ObjectiveError {
    #[error(transparent)]
    Data(#[from] DataError),
    #[error("--model: {0}")]
    Model(ParseError),
    #[error("--loss: {0}")]
    Loss(ParseError),
    #[error("{0}")]
    Invalid(String),
}

/// Names a CSV column may not have: the grammar's functions and constants and the parameters.
pub fn is_reserved_name(name: &str) -> bool {
    Func::from_name(name).is_some()
        || matches!(
            name,
            "pi" | "e" | "theta0" | "theta1" | "sigmoid" | "softplus"
        )
}

/// A data set by `--data`'s word: a built-in's name, or a CSV file's path.
pub fn load_table(spec: &str) -> Result<Table, DataError> {
    if let Some(table) = builtin(spec) {
        return Ok(table);
    }
    let path = Path::new(spec);
    if path.exists() || spec.ends_with(".csv") {
        return read_csv(path, &is_reserved_name);
    }
    let names: Vec<&str> = super::BUILTINS.iter().map(|b| b.name).collect();
    Err(DataError::new(
        spec,
        format!(
            "no built-in data set of that name and no such file: the built-ins are {} \
             (`gradscape data --list`), or give a CSV file's path",
            names.join(", ")
        ),
    ))
}

/// The model's text in the grammar, and the loss a model's form implies.
fn model_text(model: &str) -> (String, Option<Loss>) {
    let model = model.trim();
    if let Some(col) = model.strip_prefix("linear:") {
        return (format!("theta0 + theta1*{}", col.trim()), None);
    }
    if let Some(col) = model.strip_prefix("logistic:") {
        return (
            format!("theta0 + theta1*{}", col.trim()),
            Some(Loss::Logistic),
        );
    }
    (model.to_string(), None)
}

/// The maximal runs of letters, digits and `_` in `text`: every name it could use.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// Builds f(θ0, θ1) = mean over the rows of loss(model, target) + l2·Σθ² + l1·Σ|θ|.
pub fn build_objective(table: &Table, spec: &ObjectiveSpec) -> Result<Function, ObjectiveError> {
    for (flag, value) in [("--l2", spec.l2), ("--l1", spec.l1)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(ObjectiveError::Invalid(format!(
                "{flag} must be a finite number >= 0, got {value}"
            )));
        }
    }
    let (model_src, implied_loss) = model_text(&spec.model);
    let loss = match &spec.loss {
        Some(text) => Loss::parse(text)?,
        None => implied_loss.clone().unwrap_or(Loss::Mse),
    };
    let target = target_column(table, spec, implied_loss.is_some())?;
    let loss_src = loss.text();

    let (used, mut arena) = data_arena(table, &[&model_src, &loss_src, &target])?;

    let mut scope = NameScope {
        names: HashMap::new(),
        described: format!(
            "the parameters theta0 and theta1 and the columns of {} ({})",
            table.name(),
            table.columns().join(", ")
        ),
    };
    let theta0 = arena.var(Var::X);
    let theta1 = arena.var(Var::Y);
    for (name, id) in [
        ("theta0", theta0),
        ("θ0", theta0),
        ("theta1", theta1),
        ("θ1", theta1),
    ] {
        scope.names.insert(name.into(), id);
    }
    let mut columns: HashMap<String, Id> = HashMap::new();
    for (k, name) in used.iter().enumerate() {
        // used.len() ≤ MAX_COLUMNS, checked above, so k fits a u8.
        let id = arena.var(Var::Col(k as u8));
        columns.insert(name.clone(), id);
        scope.names.insert(name.clone(), id);
    }
    let model = parse_scoped(&mut arena, &model_src, &scope).map_err(ObjectiveError::Model)?;
    if !arena.mentions(model, Var::X) && !arena.mentions(model, Var::Y) {
        return Err(ObjectiveError::Invalid(format!(
            "--model {}: the model has no parameter to train; write it in theta0 (and theta1)",
            spec.model
        )));
    }
    let dims = if arena.mentions(model, Var::Y) { 2 } else { 1 };

    let mut loss_scope = scope.clone();
    loss_scope.names.insert("m".into(), model);
    loss_scope.names.insert("t".into(), columns[&target]);
    loss_scope.described = format!(
        "m (the model's output), t (the target, {target}) and {}",
        scope.described
    );
    let row_loss =
        parse_scoped(&mut arena, &loss_src, &loss_scope).map_err(ObjectiveError::Loss)?;
    let f = arena.mean(row_loss);
    let f = with_penalties(&mut arena, f, [theta0, theta1], dims, spec);
    let label = objective_label(table, spec, &loss, &target);
    Ok(Function::from_arena(label, arena, f, dims))
}

/// An arena holding the table's columns that `texts` use (the target among them), each a
/// variable Col(k): only those travel to the GPU.
fn data_arena(table: &Table, texts: &[&str]) -> Result<(Vec<String>, Arena), ObjectiveError> {
    let mut used: Vec<String> = Vec::new();
    for word in texts.iter().flat_map(|t| words(t)) {
        if table.column_index(word).is_some() && !used.iter().any(|u| u == word) {
            used.push(word.to_string());
        }
    }
    if used.len() > MAX_COLUMNS {
        return Err(ObjectiveError::Invalid(format!(
            "the model and loss use {} columns; at most {MAX_COLUMNS} can be used at once",
            used.len()
        )));
    }
    let indices: Vec<usize> = used
        .iter()
        .filter_map(|name| table.column_index(name))
        .collect();
    let mut values = Vec::with_capacity(table.rows() * indices.len());
    for r in 0..table.rows() {
        values.extend(indices.iter().map(|&c| table.value(r, c)));
    }
    let arena = Arena::with_data(DataRows {
        names: used.clone(),
        values,
        rows: table.rows(),
    });
    Ok((used, arena))
}

/// f plus the L2 and L1 penalties on the parameters the model has.
fn with_penalties(
    arena: &mut Arena,
    mut f: Id,
    thetas: [Id; 2],
    dims: usize,
    spec: &ObjectiveSpec,
) -> Id {
    if spec.l2 > 0.0 {
        let squares: Vec<Id> = thetas[..dims]
            .iter()
            .map(|&theta| {
                let two = arena.num(2.0);
                arena.pow(theta, two)
            })
            .collect();
        f = add_penalty(arena, f, spec.l2, &squares);
    }
    if spec.l1 > 0.0 {
        let magnitudes: Vec<Id> = thetas[..dims]
            .iter()
            .map(|&theta| arena.call(Func::Abs, theta))
            .collect();
        f = add_penalty(arena, f, spec.l1, &magnitudes);
    }
    f
}

/// The objective's name: the command-line flags that build it again.
fn objective_label(table: &Table, spec: &ObjectiveSpec, loss: &Loss, target: &str) -> String {
    let mut label = format!(
        "--data {} --model {} --loss {} --target {target}",
        table.name(),
        spec.model.trim(),
        loss.name()
    );
    if spec.l2 > 0.0 {
        label.push_str(&format!(" --l2 {}", spec.l2));
    }
    if spec.l1 > 0.0 {
        label.push_str(&format!(" --l1 {}", spec.l1));
    }
    label
}

/// f + weight·(the sum of `terms`).
fn add_penalty(arena: &mut Arena, f: Id, weight: f64, terms: &[Id]) -> Id {
    let Some((&first, rest)) = terms.split_first() else {
        return f;
    };
    let sum = rest.iter().fold(first, |sum, &term| arena.add(sum, term));
    let w = arena.num(weight);
    let weighted = arena.mul(w, sum);
    arena.add(f, weighted)
}

/// `--target`, or its default: `virginica` for a `logistic:` model on a set that has it, else `y`.
fn target_column(
    table: &Table,
    spec: &ObjectiveSpec,
    logistic: bool,
) -> Result<String, ObjectiveError> {
    let columns = table.columns().join(", ");
    if let Some(target) = &spec.target {
        let target = target.trim();
        return match table.column_index(target) {
            Some(_) => Ok(target.to_string()),
            None => Err(ObjectiveError::Invalid(format!(
                "--target {target}: {} has no such column; its columns are {columns}",
                table.name()
            ))),
        };
    }
    let default = if logistic && table.column_index("virginica").is_some() {
        "virginica"
    } else {
        "y"
    };
    match table.column_index(default) {
        Some(_) => Ok(default.to_string()),
        None => Err(ObjectiveError::Invalid(format!(
            "{} has no column '{default}' to predict: name the target with --target (its columns are {columns})",
            table.name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::{
        BatchOptions, Hyperparameters, OptimizerKind, RunOptions, Status, run_with,
    };

    fn spec(model: &str) -> ObjectiveSpec {
        ObjectiveSpec {
            model: model.into(),
            loss: None,
            target: None,
            l2: 0.0,
            l1: 0.0,
        }
    }

    fn linear() -> Table {
        builtin("linear").expect("linear is built in")
    }

    /// Least squares of y on x by the normal equation (XᵀX)θ = Xᵀy, in f64.
    fn normal_equation(table: &Table) -> [f64; 2] {
        let (x, y) = (table.column(0), table.column(1));
        let n = x.len() as f64;
        let (sx, sy) = (x.iter().sum::<f64>(), y.iter().sum::<f64>());
        let sxx: f64 = x.iter().map(|v| v * v).sum();
        let sxy: f64 = x.iter().zip(&y).map(|(a, b)| a * b).sum();
        let det = n * sxx - sx * sx;
        [(sxx * sy - sx * sxy) / det, (n * sxy - sx * sy) / det]
    }

    #[test]
    fn the_objective_is_the_mean_loss_and_its_gradient_the_mean_of_the_rows() {
        let table = linear();
        let f = build_objective(&table, &spec("linear:x")).unwrap();
        assert_eq!(f.dims(), 2);
        assert_eq!(f.data_rows(), Some(100));
        assert_eq!(f.text(), "mean((theta0 + theta1*x - y)^2)");
        let theta = [1.5, -0.5];
        let rows: Vec<(f64, f64)> = (0..100)
            .map(|r| (table.value(r, 0), table.value(r, 1)))
            .collect();
        let by_hand: f64 = rows
            .iter()
            .map(|(x, y)| (theta[0] + theta[1] * x - y).powi(2))
            .sum::<f64>()
            / 100.0;
        let (value, grad) = f.value_and_gradient(&theta);
        assert!(
            (value - by_hand).abs() <= 1e-12 * by_hand,
            "{value} vs {by_hand}"
        );
        // ∂/∂θ0 = mean 2r, ∂/∂θ1 = mean 2r·x, r the residual.
        let g0: f64 = rows
            .iter()
            .map(|(x, y)| 2.0 * (theta[0] + theta[1] * x - y))
            .sum::<f64>()
            / 100.0;
        let g1: f64 = rows
            .iter()
            .map(|(x, y)| 2.0 * (theta[0] + theta[1] * x - y) * x)
            .sum::<f64>()
            / 100.0;
        assert!((grad[0] - g0).abs() < 1e-12 * g0.abs().max(1.0), "{grad:?}");
        assert!((grad[1] - g1).abs() < 1e-12 * g1.abs().max(1.0), "{grad:?}");
        // And against central differences of f itself.
        let h = 1e-6;
        for i in 0..2 {
            let (mut up, mut down) = (theta, theta);
            up[i] += h;
            down[i] -= h;
            let fd = (f.value(&up) - f.value(&down)) / (2.0 * h);
            assert!(
                (grad[i] - fd).abs() < 1e-6 * fd.abs().max(1.0),
                "{i}: {} vs {fd}",
                grad[i]
            );
        }
        // The Hessian of least squares: 2·mean [[1, x], [x, x²]].
        let h = f.hessian(&theta);
        let mean_x = rows.iter().map(|r| r.0).sum::<f64>() / 100.0;
        let mean_xx = rows.iter().map(|r| r.0 * r.0).sum::<f64>() / 100.0;
        let want = [2.0, 2.0 * mean_x, 2.0 * mean_x, 2.0 * mean_xx];
        for (got, want) in h.iter().zip(want) {
            assert!((got - want).abs() < 1e-12 * want.abs(), "{h:?}");
        }
    }

    #[test]
    fn a_batch_gradient_is_the_mean_over_its_rows_repeats_counted() {
        let table = linear();
        let f = build_objective(&table, &spec("linear:x")).unwrap();
        let theta = [0.3, 2.0];
        let rows = [4u32, 17, 17, 99];
        let (value, grad) = f.batch_value_and_gradient(&theta, &rows);
        let (mut v, mut g0, mut g1) = (0.0, 0.0, 0.0);
        for &r in &rows {
            let (x, y) = (table.value(r as usize, 0), table.value(r as usize, 1));
            let res = theta[0] + theta[1] * x - y;
            v += res * res / 4.0;
            g0 += 2.0 * res / 4.0;
            g1 += 2.0 * res * x / 4.0;
        }
        assert!((value - v).abs() < 1e-13 * v, "{value} vs {v}");
        assert!((grad[0] - g0).abs() < 1e-13 * g0.abs().max(1.0));
        assert!((grad[1] - g1).abs() < 1e-13 * g1.abs().max(1.0));
    }

    #[test]
    fn batch_gradient_descent_on_linear_mse_ends_at_the_normal_equation() {
        let table = linear();
        let f = build_objective(&table, &spec("linear:x")).unwrap();
        let want = normal_equation(&table);
        let hyper = Hyperparameters::new(OptimizerKind::Sgd, 0.1);
        let t = run_with(
            &f,
            &hyper,
            &RunOptions::default(),
            &[0.0, 0.0],
            5000,
            Some(1e-10),
        )
        .unwrap();
        assert_eq!(t.status, Status::Converged);
        let end = &t.steps.last().unwrap().point;
        assert!(
            (end[0] - want[0]).abs() < 1e-9 && (end[1] - want[1]).abs() < 1e-9,
            "{end:?} vs {want:?}"
        );
        // The chapter's values: about (4.2, 2.8) for y = 4 + 3x + noise.
        assert!(
            (want[0] - 4.0).abs() < 0.5 && (want[1] - 3.0).abs() < 0.5,
            "{want:?}"
        );
        // Newton on a quadratic: one step.
        let newton = Hyperparameters::new(OptimizerKind::Newton, 1.0);
        let t = run_with(&f, &newton, &RunOptions::default(), &[0.0, 0.0], 1, None).unwrap();
        let end = &t.steps[1].point;
        assert!((end[0] - want[0]).abs() < 1e-9 && (end[1] - want[1]).abs() < 1e-9);
    }

    #[test]
    fn mini_batch_rows_report_their_epoch_and_batch_and_replay() {
        let table = linear();
        let f = build_objective(&table, &spec("linear:x")).unwrap();
        let hyper = Hyperparameters::new(OptimizerKind::Sgd, 0.05);
        let options = RunOptions {
            batch: Some(BatchOptions {
                size: 20,
                sampling: crate::data::Sampling::Shuffle,
            }),
            seed: 7,
            ..RunOptions::default()
        };
        let t = run_with(&f, &hyper, &options, &[0.0, 0.0], 10, None).unwrap();
        assert_eq!(t.steps.len(), 11);
        // Five batches of 20 per epoch; each epoch's batches cover every row once.
        for epoch in 0..2 {
            let mut seen: Vec<u32> = t.steps[1 + 5 * epoch..6 + 5 * epoch]
                .iter()
                .flat_map(|s| {
                    assert_eq!(s.epoch, Some(epoch));
                    s.batch.clone().unwrap()
                })
                .collect();
            seen.sort();
            assert_eq!(seen, (0..100).collect::<Vec<u32>>());
        }
        // Each step is sgd on its batch's gradient: replay it by hand.
        for k in 1..t.steps.len() {
            let before = &t.steps[k - 1];
            let rows = t.steps[k].batch.as_ref().unwrap();
            let (_, g) = f.batch_value_and_gradient(&before.point, rows);
            let replayed: Vec<f64> = before
                .point
                .iter()
                .zip(&g)
                .map(|(p, g)| p - 0.05 * g)
                .collect();
            assert_eq!(t.steps[k].point, replayed);
        }
        // The same seed gives the same run; another seed another.
        let again = run_with(&f, &hyper, &options, &[0.0, 0.0], 10, None).unwrap();
        assert_eq!(again, t);
        let other = RunOptions { seed: 8, ..options };
        let other = run_with(&f, &hyper, &other, &[0.0, 0.0], 10, None).unwrap();
        assert_ne!(other.steps[1].batch, t.steps[1].batch);
    }

    #[test]
    fn the_logistic_loss_never_overflows() {
        let iris = builtin("iris").unwrap();
        let f = build_objective(&iris, &spec("logistic:petal_width")).unwrap();
        assert!(f.source().contains("--target virginica"), "{}", f.source());
        // Logits up to ±1e3 over the rows (petal_width ≤ 2.5): finite loss and gradient.
        for theta in [
            [0.0, 400.0],
            [0.0, -400.0],
            [1e3, 0.0],
            [-1e3, 0.0],
            [-4.0, 3.0],
        ] {
            let (value, grad) = f.value_and_gradient(&theta);
            assert!(
                value.is_finite() && grad.iter().all(|g| g.is_finite()),
                "{theta:?}"
            );
            let hess = f.hessian(&theta);
            assert!(hess.iter().all(|h| h.is_finite()), "{theta:?}: {hess:?}");
        }
        // At θ = 0 every logit is 0: loss ln 2, Hessian σ'(0)·mean[[1, x], [x, x²]] = 0.25·….
        let (value, _) = f.value_and_gradient(&[0.0, 0.0]);
        assert!((value - 2f64.ln()).abs() < 1e-15);
        let hess = f.hessian(&[0.0, 0.0]);
        assert!((hess[0] - 0.25).abs() < 1e-15, "{hess:?}");
    }

    #[test]
    fn huber_is_torchs_and_penalties_add() {
        let table =
            Table::new("t", vec!["x".into(), "y".into()], vec![0.0, 0.0, 1.0, 5.0]).unwrap();
        let mut s = spec("theta0 + theta1*x");
        s.loss = Some("huber:1.5".into());
        let f = build_objective(&table, &s).unwrap();
        // Rows: residuals θ0 − 0 and θ0 + θ1 − 5 at θ = (1, 1): 1 (inside) and −3 (outside).
        let want = (0.5 * 1.0 + 1.5 * (3.0 - 0.75)) / 2.0;
        assert!(
            (f.value(&[1.0, 1.0]) - want).abs() < 1e-15,
            "{}",
            f.value(&[1.0, 1.0])
        );
        let mut s = spec("theta0 + theta1*x");
        s.l2 = 0.5;
        s.l1 = 0.25;
        let f = build_objective(&table, &s).unwrap();
        let plain = (1.0 + 9.0) / 2.0;
        let want = plain + 0.5 * (1.0 + 1.0) + 0.25 * (1.0 + 1.0);
        assert!((f.value(&[1.0, 1.0]) - want).abs() < 1e-14);
    }

    #[test]
    fn a_model_in_theta0_alone_is_one_dimensional() {
        let f = build_objective(&linear(), &spec("theta0*x")).unwrap();
        assert_eq!(f.dims(), 1);
        assert_eq!(f.variable_names(), ["theta0"]);
        let f = build_objective(&linear(), &spec("θ0 + θ1*x")).unwrap();
        assert_eq!(f.dims(), 2);
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |s: ObjectiveSpec| build_objective(&linear(), &s).unwrap_err().to_string();
        assert!(err(spec("theta0 + theta1*z")).contains("unknown name 'z'"));
        assert!(err(spec("2*x")).contains("no parameter"));
        let mut s = spec("linear:x");
        s.target = Some("w".into());
        assert!(err(s).contains("--target w"));
        let mut s = spec("linear:x");
        s.loss = Some("huber:-1".into());
        assert!(err(s).contains("huber:D"));
        let mut s = spec("linear:x");
        s.l2 = -1.0;
        assert!(err(s).contains("--l2"));
        let mut s = spec("linear:x");
        s.loss = Some("(m - t)^2 + q".into());
        assert!(err(s).starts_with("--loss"));
        assert!(
            load_table("no-such-set")
                .unwrap_err()
                .to_string()
                .contains("linear, iris, ridge")
        );
    }
}
