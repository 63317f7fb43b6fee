//! `gradscape eval`: f, ∇f, the Hessian and the symbolic derivatives at one point, as a
//! readable summary or as the JSON object of ../shared/CLI.md.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, FunctionArg, fmt_number, json_number, parse_point};
use crate::function::Function;
use crate::math::Derivation;

#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    /// The point: X for a 1-D function, X,Y for a 2-D one (negative numbers work: --at -1.2,1).
    #[arg(long, value_name = "X[,Y]", allow_hyphen_values = true)]
    pub at: String,
    /// Print one JSON object instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Also show how each first derivative came out, rule by rule (the notebook's rules).
    #[arg(long)]
    pub steps: bool,
}

#[derive(Serialize)]
struct EvalJson {
    expr: String,
    variables: Vec<&'static str>,
    point: Vec<f64>,
    value: serde_json::Value,
    gradient: Vec<serde_json::Value>,
    hessian: Vec<Vec<serde_json::Value>>,
    derivatives: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    steps: Option<BTreeMap<&'static str, Vec<StepJson>>>,
}

/// One rule applied, as ../shared/CLI.md gives it; `folded` only where the cap left the step's
/// own sub-derivation out.
#[derive(Serialize)]
struct StepJson {
    rule: &'static str,
    expr: String,
    derivative: String,
    uses: Vec<usize>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    folded: bool,
    /// A chain step's outer function g(u) and g′(u), written in `u`, and the inner
    /// sub-expression of f that u stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    outer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outer_derivative: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inner: Option<String>,
}

pub fn run(args: &EvalArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    let point = parse_point("--at", &args.at, function.dims())?;
    check_printable(&function, !args.json)?;
    let report = Report::new(&function, &point);
    let derivations: Vec<Derivation> = if args.steps {
        (0..function.dims())
            .filter_map(|i| function.derivation(i))
            .collect()
    } else {
        Vec::new()
    };
    if args.json {
        let mut json = report.json(&function);
        if args.steps {
            json.steps = Some(steps_json(&function, &derivations)?);
        }
        super::write_json(out, &json)?;
    } else {
        report.write_summary(&function, out)?;
        if !derivations.is_empty() {
            writeln!(out)?;
            writeln!(out, "How the derivative came out, rule by rule:")?;
        }
        for derivation in &derivations {
            write!(out, "{}", derivation.to_text(STEP_TEXT_BYTES))?;
        }
    }
    Ok(())
}

/// Each part of a step in the readable derivation is cut off past this many bytes.
const STEP_TEXT_BYTES: usize = 300;

fn steps_json(
    function: &Function,
    derivations: &[Derivation],
) -> Result<BTreeMap<&'static str, Vec<StepJson>>, CliError> {
    let mut all = BTreeMap::new();
    for (var, d) in function.variables().into_iter().zip(derivations) {
        let arena = d.arena();
        // The JSON writes every step in full (it must parse back), so its total size is checked
        // like the derivatives' own.
        let mut symbols = 0u64;
        for step in d.steps() {
            let outer = step.outer.iter().flat_map(|o| [o.expr, o.derivative]);
            for id in [step.expr, step.derivative].into_iter().chain(outer) {
                symbols = symbols.saturating_add(arena.tree_size(id, MAX_PRINTED_SYMBOLS + 1));
            }
        }
        if symbols > MAX_PRINTED_SYMBOLS {
            return Err(CliError::input(format!(
                "the derivation of ∂f/∂{var} is too large to print (more than \
                 {MAX_PRINTED_SYMBOLS} symbols written out); leave out --steps"
            )));
        }
        let steps = d
            .steps()
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let (outer, outer_derivative, inner) = match d.outer_texts(i) {
                    Some((g, dg, u)) => (Some(g), Some(dg), Some(u)),
                    None => (None, None, None),
                };
                StepJson {
                    rule: step.rule.name(),
                    expr: d.expr_text(i),
                    derivative: d.derivative_text(i),
                    uses: step.uses.clone(),
                    folded: step.folded,
                    outer,
                    outer_derivative,
                    inner,
                }
            })
            .collect();
        all.insert(var, steps);
    }
    Ok(all)
}

/// Symbols a printed derivative may have: beyond this the text (which writes shared parts
/// out at every use) would run to megabytes while the DAG behind it stays small.
const MAX_PRINTED_SYMBOLS: u64 = 200_000;

fn check_printable(function: &Function, with_hessian: bool) -> Result<(), CliError> {
    let arena = function.arena();
    let mut roots = function.gradient_ids().to_vec();
    if with_hessian {
        roots.extend(function.hessian_ids());
    }
    let largest = roots
        .iter()
        .map(|&id| arena.tree_size(id, MAX_PRINTED_SYMBOLS + 1))
        .max()
        .unwrap_or(0);
    if largest > MAX_PRINTED_SYMBOLS {
        return Err(CliError::input(format!(
            "the derivatives of this expression are too large to print (more than \
             {MAX_PRINTED_SYMBOLS} symbols written out); gradscape can still evaluate them: \
             use `gradscape grid` or `gradscape descend`"
        )));
    }
    Ok(())
}

struct Report {
    point: Vec<f64>,
    value: f64,
    gradient: Vec<f64>,
    hessian: Vec<f64>,
}

impl Report {
    fn new(function: &Function, point: &[f64]) -> Report {
        let (value, gradient) = function.value_and_gradient(point);
        Report {
            point: point.to_vec(),
            value,
            gradient,
            hessian: function.hessian(point),
        }
    }

    fn json(&self, function: &Function) -> EvalJson {
        let dims = function.dims();
        let variables = function.variables();
        EvalJson {
            expr: function.source().to_string(),
            variables: variables.clone(),
            point: self.point.clone(),
            value: json_number(self.value),
            gradient: self.gradient.iter().map(|&g| json_number(g)).collect(),
            hessian: self
                .hessian
                .chunks(dims)
                .map(|row| row.iter().map(|&h| json_number(h)).collect())
                .collect(),
            derivatives: variables
                .into_iter()
                .zip(function.gradient_texts())
                .collect(),
            steps: None,
        }
    }

    fn write_summary(&self, function: &Function, out: &mut dyn Write) -> std::io::Result<()> {
        let vars = function.variables();
        let dims = vars.len();
        let args = vars.join(", ");
        let coords: Vec<String> = self.point.iter().map(|&v| fmt_number(v)).collect();
        writeln!(out, "f({args}) = {}", function.text())?;
        writeln!(out, "at ({})", coords.join(", "))?;
        writeln!(out, "  f = {}", fmt_number(self.value))?;
        let texts = function.hessian_texts();
        if dims == 1 {
            // One variable: the notebook's f′ and f″.
            let d1 = &function.gradient_texts()[0];
            writeln!(out, "  f′(x) = {d1} = {}", fmt_number(self.gradient[0]))?;
            writeln!(
                out,
                "  f″(x) = {} = {}",
                texts[0],
                fmt_number(self.hessian[0])
            )?;
        } else {
            let grads = function.gradient_texts();
            for ((var, text), g) in vars.iter().zip(grads).zip(&self.gradient) {
                writeln!(out, "  ∂f/∂{var} = {text} = {}", fmt_number(*g))?;
            }
            let norm = self.gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
            writeln!(out, "  |∇f| = {}", fmt_number(norm))?;
            for i in 0..dims {
                for j in 0..dims {
                    let k = i * dims + j;
                    writeln!(
                        out,
                        "  ∂²f/∂{}∂{} = {} = {}",
                        vars[j],
                        vars[i],
                        texts[k],
                        fmt_number(self.hessian[k])
                    )?;
                }
            }
        }
        if !self.value.is_finite() {
            writeln!(
                out,
                "  (f is not defined here: the point is outside its domain)"
            )?;
        }
        Ok(())
    }
}
