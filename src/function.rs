//! A compiled [`Function`]: the parsed expression with its symbolic gradient and Hessian, and
//! the f64 programs that evaluate them. This is what every other layer is handed.

use crate::math::{
    Arena, Derivation, Id, ParseError, Program, Var, mentions_y, parse, parse_verbatim,
};

#[derive(Clone, Debug)]
pub struct Function {
    source: String,
    arena: Arena,
    f: Id,
    grad: Vec<Id>,
    /// Row-major, `dims × dims`; entry (i, j) is ∂/∂x_j ∂f/∂x_i.
    hess: Vec<Id>,
    /// Outputs: f, then the gradient.
    value_grad: Program,
    /// Outputs: the Hessian entries.
    hess_program: Program,
    /// The expression as typed, where simplifying changed it: f is defined only where this is
    /// a number (`x/x` simplifies to 1, but is undefined at 0, as SymPy's result is not).
    domain: Option<(Id, Program)>,
}

impl Function {
    /// Parses `src` and derives ∇f and H. An expression that mentions `y` is 2-D, else 1-D.
    pub fn parse(src: &str) -> Result<Function, ParseError> {
        let mut arena = Arena::new();
        let f = parse(&mut arena, src)?;
        // The dimension follows what was typed: `x + 0*y` is 2-D although y cancels.
        let dims = if mentions_y(src) { 2 } else { 1 };
        Ok(Function::derive(src.to_string(), arena, f, dims, true))
    }

    /// A function built elsewhere in `arena` (a data objective: means over the rows of the
    /// arena's data, in θ0 = x and θ1 = y), with its derivatives; `source` says what it is.
    pub fn from_arena(source: String, arena: Arena, f: Id, dims: usize) -> Function {
        Function::derive(source, arena, f, dims.clamp(1, 2), false)
    }

    fn derive(source: String, mut arena: Arena, f: Id, dims: usize, typed: bool) -> Function {
        let src = source.as_str();
        let grad = arena.gradient(f, dims);
        let hess = arena.hessian(&grad);
        let mut roots = vec![f];
        roots.extend(&grad);
        let value_grad = Program::compile(&arena, &roots);
        let hess_program = Program::compile(&arena, &hess);
        // As typed, the expression may exceed the depth limits its normal form keeps within
        // (x*x*…*x folds into one power): then the normal form is all there is.
        let domain = typed
            .then(|| parse_verbatim(&mut arena, src).ok())
            .flatten()
            .filter(|&typed| typed != f)
            .map(|typed| (typed, Program::compile(&arena, &[typed])));
        Function {
            source,
            arena,
            f,
            grad,
            hess,
            value_grad,
            hess_program,
            domain,
        }
    }

    /// Rows of data f is a mean over (a data objective), or None for a closed-form f.
    pub fn data_rows(&self) -> Option<usize> {
        self.arena.data().map(|d| d.rows)
    }

    /// The data's values as the GPU kernels read them (f32, row-major), for a data objective.
    pub fn data_values_f32(&self) -> Option<Vec<f32>> {
        self.arena
            .data()
            .map(|d| d.values.iter().map(|&v| v as f32).collect())
    }

    /// f and ∇f with every mean over the rows taken over `rows` alone: a mini-batch's loss and
    /// gradient. For a closed-form f, f and ∇f.
    pub fn batch_value_and_gradient(&self, point: &[f64], rows: &[u32]) -> (f64, Vec<f64>) {
        if !self.value_grad.has_rows() {
            return self.value_and_gradient(point);
        }
        let (x, y) = xy(point);
        let out = self.value_grad.eval_on_rows(x, y, rows);
        (out[0], out[1..].to_vec())
    }

    /// The Hessian of the mean over `rows` alone (see [`Function::batch_value_and_gradient`]).
    pub fn batch_hessian(&self, point: &[f64], rows: &[u32]) -> Vec<f64> {
        if !self.hess_program.has_rows() {
            return self.hessian(point);
        }
        let (x, y) = xy(point);
        self.hess_program.eval_on_rows(x, y, rows)
    }

    /// Variable names as the user writes them: `x`, `y`, or `theta0`, `theta1`.
    pub fn variable_names(&self) -> Vec<&str> {
        Var::ALL[..self.dims()]
            .iter()
            .map(|&v| self.arena.var_name(v))
            .collect()
    }

    /// 1 or 2.
    pub fn dims(&self) -> usize {
        self.grad.len()
    }

    /// Variable names, `["x"]` or `["x", "y"]`.
    pub fn variables(&self) -> Vec<&'static str> {
        Var::ALL[..self.dims()].iter().map(|v| v.name()).collect()
    }

    /// The expression as the user typed it.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn arena(&self) -> &Arena {
        &self.arena
    }

    pub fn f_id(&self) -> Id {
        self.f
    }

    pub fn gradient_ids(&self) -> &[Id] {
        &self.grad
    }

    pub fn hessian_ids(&self) -> &[Id] {
        &self.hess
    }

    /// f in normal form, in the input grammar.
    pub fn text(&self) -> String {
        self.arena.to_text(self.f)
    }

    /// The text of node `id` if, written out, it has at most `max_symbols` symbols; else a
    /// note that it is too long to show, with its size. Shared nodes are written out at every
    /// use, so a small DAG (exp(exp(…(x*y)…)) 150 deep) can print to more text than any
    /// screen could lay out each frame.
    pub fn text_within(&self, id: Id, max_symbols: u64) -> String {
        let size = self.arena.tree_size(id, u64::MAX);
        if size <= max_symbols {
            self.arena.to_text(id)
        } else if size == u64::MAX {
            "(too long to show: more than 10^19 symbols written out)".into()
        } else {
            format!("(too long to show: {size} symbols written out)")
        }
    }

    /// ∂f/∂x (and ∂f/∂y), each a valid expression of the grammar.
    pub fn gradient_texts(&self) -> Vec<String> {
        self.grad.iter().map(|&g| self.arena.to_text(g)).collect()
    }

    /// Hessian entries, row-major, each a valid expression of the grammar.
    pub fn hessian_texts(&self) -> Vec<String> {
        self.hess.iter().map(|&h| self.arena.to_text(h)).collect()
    }

    /// How ∂f/∂x_i came out, rule by rule (the notebook's rules, recorded by the differentiator).
    pub fn derivation(&self, i: usize) -> Option<Derivation> {
        let var = *Var::ALL[..self.dims()].get(i)?;
        Some(Derivation::new(&self.arena, self.f, var, self.dims()))
    }

    /// How Hessian entry (i, j), ∂/∂x_j ∂f/∂x_i, came out of ∂f/∂x_i.
    pub fn hessian_derivation(&self, i: usize, j: usize) -> Option<Derivation> {
        let var = *Var::ALL[..self.dims()].get(j)?;
        let grad = *self.grad.get(i)?;
        Some(Derivation::new(&self.arena, grad, var, self.dims()))
    }

    /// The program computing [f, ∂f/∂x, (∂f/∂y)], for grid evaluation.
    pub fn value_grad_program(&self) -> &Program {
        &self.value_grad
    }

    pub fn hessian_program(&self) -> &Program {
        &self.hess_program
    }

    pub fn value(&self, point: &[f64]) -> f64 {
        self.value_and_gradient(point).0
    }

    /// Whether f is a number at `point`, as typed and as simplified; where it is not, every
    /// value and derivative here is NaN.
    pub fn is_defined_at(&self, point: &[f64]) -> bool {
        !self.value(point).is_nan()
    }

    /// Whether the expression as typed is a number at `point` (true where it did not differ).
    fn typed_is_number(&self, point: &[f64]) -> bool {
        let (x, y) = xy(point);
        self.domain
            .as_ref()
            .is_none_or(|(_, program)| !program.eval(x, y)[0].is_nan())
    }

    /// The expression as typed where it differs from f's simplified form: it decides where f
    /// is defined (NaN there means undefined). For the grid evaluators.
    pub fn domain_program(&self) -> Option<&Program> {
        self.domain.as_ref().map(|(_, program)| program)
    }

    /// Where f is undefined (NaN, as typed or simplified), so are its derivatives, whatever
    /// their simplified forms say (sqrt(x)^2 has f′ = 1 everywhere by the rules).
    pub fn value_and_gradient(&self, point: &[f64]) -> (f64, Vec<f64>) {
        let (x, y) = xy(point);
        let mut out = self.value_grad.eval(x, y);
        if out[0].is_nan() || !self.typed_is_number(point) {
            out.fill(f64::NAN);
        }
        (out[0], out[1..].to_vec())
    }

    /// f and ∇f, each with a bound on its rounding error (see `Program::eval_with_error`).
    pub fn value_and_gradient_with_error(&self, point: &[f64]) -> Vec<(f64, f64)> {
        let (x, y) = xy(point);
        let mut out = self.value_grad.eval_with_error(x, y);
        if out[0].0.is_nan() || !self.typed_is_number(point) {
            out.fill((f64::NAN, f64::NAN));
        }
        out
    }

    pub fn gradient(&self, point: &[f64]) -> Vec<f64> {
        self.value_and_gradient(point).1
    }

    /// Row-major `dims × dims`.
    pub fn hessian(&self, point: &[f64]) -> Vec<f64> {
        let (x, y) = xy(point);
        let mut out = self.hess_program.eval(x, y);
        if self.value(point).is_nan() {
            out.fill(f64::NAN);
        }
        out
    }

    /// WGSL for f, ∇f and H (`fn f`, `fn grad`, `fn hess`, `fn gs_eval`; see `codegen`), to be
    /// handed to `gpu::GridEvaluator`, which validates it with naga.
    pub fn wgsl(&self) -> String {
        // generate fails only for a gradient of the wrong length or a Hessian of the wrong
        // shape, or ids from another arena; `parse` builds all three from this arena.
        crate::codegen::generate_guarded(
            &self.arena,
            self.f,
            &self.grad,
            &self.hess,
            self.domain_id(),
        )
        .expect("a parsed Function has 1 or 2 variables and a matching Hessian")
    }

    /// Only `gs_eval` (f and ∇f) and its helpers: what the grid kernel runs. Drivers compile
    /// every function in a module, so leaving `f`, `grad` and `hess` out keeps pipeline builds
    /// fast for large functions (a 500-term sum: 3.9 s instead of 39 s on lavapipe).
    pub fn grid_wgsl(&self) -> String {
        // Fails only for ids from another arena or a gradient of the wrong length; see `wgsl`.
        crate::codegen::generate_eval_guarded(&self.arena, self.f, &self.grad, self.domain_id())
            .expect("a parsed Function has 1 or 2 variables")
    }

    fn domain_id(&self) -> Option<Id> {
        self.domain.as_ref().map(|(id, _)| *id)
    }
}

/// Symbols a formula shown in the app or in a summary may have: a few screens of text.
pub const MAX_SHOWN_SYMBOLS: u64 = 4_000;

/// The coordinates of a point of either dimension (a 1-D function ignores y).
fn xy(point: &[f64]) -> (f64, f64) {
    (
        point.first().copied().unwrap_or(0.0),
        point.get(1).copied().unwrap_or(0.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_formulas_are_shown_as_their_size_not_written_out() {
        // exp(exp(…(x*y)…)) 150 deep: the Hessian prints to over a million symbols, which the
        // app used to lay out every frame.
        let src = format!("{}x*y{}", "exp(".repeat(150), ")".repeat(150));
        let f = Function::parse(&src).unwrap();
        let shown = f.text_within(f.hessian_ids()[0], MAX_SHOWN_SYMBOLS);
        assert!(shown.starts_with("(too long to show: "), "{}", &shown[..80]);
        assert!(shown.len() < 80);
        let size: u64 = shown
            .trim_start_matches("(too long to show: ")
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(size > 1_000_000, "{size}");
        // Small formulas are written out as always.
        let g = Function::parse("sin(x*y)").unwrap();
        assert_eq!(
            g.text_within(g.gradient_ids()[0], MAX_SHOWN_SYMBOLS),
            "y*cos(x*y)"
        );
    }

    #[test]
    fn f_is_undefined_where_the_expression_as_typed_is() {
        // Simplified to 1, 0 and x, yet undefined at 0, −1 and −1 as typed (SymPy's simplify
        // does the same; the evaluator of what was typed decides the domain).
        for (src, x, elsewhere) in [
            ("x/x", 0.0, 1.0),
            ("ln(x)-ln(x)", -1.0, 2.0),
            ("sqrt(x)^2", -1.0, 2.0),
        ] {
            let f = Function::parse(src).unwrap();
            assert!(f.value(&[x]).is_nan(), "{src} at {x}: {}", f.value(&[x]));
            assert!(
                f.gradient(&[x])[0].is_nan() && f.hessian(&[x])[0].is_nan(),
                "{src}"
            );
            assert!(f.value(&[elsewhere]).is_finite(), "{src} at {elsewhere}");
            assert!(!f.is_defined_at(&[x]));
        }
        // The simplified form is still what prints and differentiates.
        let f = Function::parse("x/x").unwrap();
        assert_eq!(f.text(), "1");
        // Nothing to guard where simplifying changed nothing.
        assert!(
            Function::parse("sin(x*y)")
                .unwrap()
                .domain_program()
                .is_none()
        );
    }
}
