//! Symbolic differentiation as a rule table: one rule per operator and per function, each
//! built from the simplifying constructors so results come out in normal form. Memoised per
//! node, so the derivative of a shared sub-expression is derived once.

use std::collections::HashMap;

use super::expr::{Arena, Id, Node, Var};
use super::func::Func;

impl Arena {
    /// ∂e/∂var.
    pub fn diff(&mut self, e: Id, var: Var) -> Id {
        let mut memo = HashMap::new();
        self.diff_memo(e, var, &mut memo)
    }

    /// ∇e over the first `dims` variables.
    pub fn gradient(&mut self, e: Id, dims: usize) -> Vec<Id> {
        Var::ALL[..dims].iter().map(|&v| self.diff(e, v)).collect()
    }

    /// The Hessian, row-major: entry (i, j) is ∂/∂x_j (∂e/∂x_i). Both mixed partials are derived
    /// independently, so their agreement is a check, not an assumption.
    pub fn hessian(&mut self, grad: &[Id]) -> Vec<Id> {
        let dims = grad.len();
        let mut out = Vec::with_capacity(dims * dims);
        for &g in grad {
            for &v in &Var::ALL[..dims] {
                out.push(self.diff(g, v));
            }
        }
        out
    }

    fn diff_memo(&mut self, e: Id, var: Var, memo: &mut HashMap<Id, Id>) -> Id {
        if let Some(&d) = memo.get(&e) {
            return d;
        }
        let d = match self.node(e) {
            Node::Const(_) => self.num(0.0),
            Node::Var(v) => self.num(if v == var { 1.0 } else { 0.0 }),
            Node::Neg(a) => {
                let da = self.diff_memo(a, var, memo);
                self.neg(da)
            }
            Node::Add(a, b) => {
                let (da, db) = (self.diff_memo(a, var, memo), self.diff_memo(b, var, memo));
                self.add(da, db)
            }
            Node::Sub(a, b) => {
                let (da, db) = (self.diff_memo(a, var, memo), self.diff_memo(b, var, memo));
                self.sub(da, db)
            }
            // Product rule: (ab)' = a'b + ab'.
            Node::Mul(a, b) => {
                let (da, db) = (self.diff_memo(a, var, memo), self.diff_memo(b, var, memo));
                let l = self.mul(da, b);
                let r = self.mul(a, db);
                self.add(l, r)
            }
            // Quotient rule: (a/b)' = (a'b − ab')/b².
            Node::Div(a, b) => {
                let (da, db) = (self.diff_memo(a, var, memo), self.diff_memo(b, var, memo));
                if self.as_const(db) == Some(0.0) {
                    self.div(da, b)
                } else {
                    let l = self.mul(da, b);
                    let r = self.mul(a, db);
                    let n = self.sub(l, r);
                    let two = self.num(2.0);
                    let b2 = self.pow(b, two);
                    self.div(n, b2)
                }
            }
            Node::Pow(a, b) => self.diff_pow(e, a, b, var, memo),
            Node::Call(f, a) => {
                let da = self.diff_memo(a, var, memo);
                if self.as_const(da) == Some(0.0) {
                    self.num(0.0)
                } else {
                    let outer = self.outer_derivative(f, a);
                    self.mul(outer, da) // chain rule
                }
            }
        };
        memo.insert(e, d);
        d
    }

    fn diff_pow(&mut self, e: Id, a: Id, b: Id, var: Var, memo: &mut HashMap<Id, Id>) -> Id {
        let (da, db) = (self.diff_memo(a, var, memo), self.diff_memo(b, var, memo));
        let da_zero = self.as_const(da) == Some(0.0);
        let db_zero = self.as_const(db) == Some(0.0);
        if da_zero && db_zero {
            return self.num(0.0);
        }
        if db_zero {
            // Power rule: (a^r)' = r·a^(r−1)·a'. `b` may be a constant or any expression free of var.
            let one = self.num(1.0);
            let r1 = self.sub(b, one);
            let p = self.pow(a, r1);
            let rp = self.mul(b, p);
            return self.mul(rp, da);
        }
        let ln_a = self.call(Func::Ln, a);
        if da_zero {
            // Exponential rule: (c^b)' = ln(c)·c^b·b'.
            let l = self.mul(ln_a, e);
            return self.mul(l, db);
        }
        // General: (a^b)' = a^b·(b'·ln(a) + b·a'/a).
        let t1 = self.mul(db, ln_a);
        let ba = self.mul(b, da);
        let t2 = self.div(ba, a);
        let s = self.add(t1, t2);
        self.mul(e, s)
    }

    /// f′(a) for each built-in function f.
    fn outer_derivative(&mut self, f: Func, a: Id) -> Id {
        let one = self.num(1.0);
        let two = self.num(2.0);
        match f {
            Func::Sin => self.call(Func::Cos, a),
            Func::Cos => {
                let s = self.call(Func::Sin, a);
                self.neg(s)
            }
            // tan′ = 1/cos², as the notebook writes it.
            Func::Tan => {
                let c = self.call(Func::Cos, a);
                let c2 = self.pow(c, two);
                self.div(one, c2)
            }
            Func::Asin | Func::Acos => {
                let a2 = self.pow(a, two);
                let d = self.sub(one, a2);
                let s = self.call(Func::Sqrt, d);
                let r = self.div(one, s);
                if f == Func::Asin { r } else { self.neg(r) }
            }
            Func::Atan => {
                let a2 = self.pow(a, two);
                let d = self.add(one, a2);
                self.div(one, d)
            }
            Func::Sinh => self.call(Func::Cosh, a),
            Func::Cosh => self.call(Func::Sinh, a),
            Func::Tanh => {
                let t = self.call(Func::Tanh, a);
                let t2 = self.pow(t, two);
                self.sub(one, t2)
            }
            Func::Asinh => {
                let a2 = self.pow(a, two);
                let d = self.add(a2, one);
                let s = self.call(Func::Sqrt, d);
                self.div(one, s)
            }
            Func::Acosh => {
                let a2 = self.pow(a, two);
                let d = self.sub(a2, one);
                let s = self.call(Func::Sqrt, d);
                self.div(one, s)
            }
            Func::Atanh => {
                let a2 = self.pow(a, two);
                let d = self.sub(one, a2);
                self.div(one, d)
            }
            Func::Exp => self.call(Func::Exp, a),
            Func::Ln => self.div(one, a),
            Func::Sqrt => {
                let s = self.call(Func::Sqrt, a);
                let d = self.mul(two, s);
                self.div(one, d)
            }
            Func::Cbrt => {
                let three = self.num(3.0);
                let c = self.call(Func::Cbrt, a);
                let c2 = self.pow(c, two);
                let d = self.mul(three, c2);
                self.div(one, d)
            }
            Func::Abs => self.call(Func::Sign, a),
            // sign is flat wherever it is differentiable (everywhere but 0).
            Func::Sign => self.num(0.0),
        }
    }
}
