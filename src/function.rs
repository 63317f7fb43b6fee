//! A compiled [`Function`]: the parsed expression with its symbolic gradient and Hessian, and
//! the f64 programs that evaluate them. This is what every other layer is handed.

use crate::math::{Arena, Derivation, Id, ParseError, Program, Var, mentions_y, parse};

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
}

impl Function {
    /// Parses `src` and derives ∇f and H. An expression that mentions `y` is 2-D, else 1-D.
    pub fn parse(src: &str) -> Result<Function, ParseError> {
        let mut arena = Arena::new();
        let f = parse(&mut arena, src)?;
        // The dimension follows what was typed: `x + 0*y` is 2-D although y cancels.
        let dims = if mentions_y(src) { 2 } else { 1 };
        let grad = arena.gradient(f, dims);
        let hess = arena.hessian(&grad);
        let mut roots = vec![f];
        roots.extend(&grad);
        let value_grad = Program::compile(&arena, &roots);
        let hess_program = Program::compile(&arena, &hess);
        Ok(Function {
            source: src.to_string(),
            arena,
            f,
            grad,
            hess,
            value_grad,
            hess_program,
        })
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

    pub fn value_and_gradient(&self, point: &[f64]) -> (f64, Vec<f64>) {
        let (x, y) = xy(point);
        let out = self.value_grad.eval(x, y);
        (out[0], out[1..].to_vec())
    }

    pub fn gradient(&self, point: &[f64]) -> Vec<f64> {
        self.value_and_gradient(point).1
    }

    /// Row-major `dims × dims`.
    pub fn hessian(&self, point: &[f64]) -> Vec<f64> {
        let (x, y) = xy(point);
        self.hess_program.eval(x, y)
    }

    /// WGSL for f, ∇f and H (`fn f`, `fn grad`, `fn hess`, `fn gs_eval`; see `codegen`), to be
    /// handed to `gpu::GridEvaluator`, which validates it with naga.
    pub fn wgsl(&self) -> String {
        // generate fails only for a gradient of the wrong length or a Hessian of the wrong
        // shape, or ids from another arena; `parse` builds all three from this arena.
        crate::codegen::generate(&self.arena, self.f, &self.grad, &self.hess)
            .expect("a parsed Function has 1 or 2 variables and a matching Hessian")
    }

    /// Only `gs_eval` (f and ∇f) and its helpers: what the grid kernel runs. Drivers compile
    /// every function in a module, so leaving `f`, `grad` and `hess` out keeps pipeline builds
    /// fast for large functions (a 500-term sum: 3.9 s instead of 39 s on lavapipe).
    pub fn grid_wgsl(&self) -> String {
        // Fails only for ids from another arena or a gradient of the wrong length; see `wgsl`.
        crate::codegen::generate_eval(&self.arena, self.f, &self.grad)
            .expect("a parsed Function has 1 or 2 variables")
    }
}

/// The coordinates of a point of either dimension (a 1-D function ignores y).
fn xy(point: &[f64]) -> (f64, f64) {
    (
        point.first().copied().unwrap_or(0.0),
        point.get(1).copied().unwrap_or(0.0),
    )
}
