//! The only way nodes are made: constructors that fold constants and keep sums, products and
//! quotients in one normal form, so that derivatives print like a textbook (`2*x`, not
//! `2*x^1*1`) and printing then parsing gives back the very same node.
//!
//! Normal forms: a sum is a left-leaning chain of `Add`/`Sub` over terms `c*t` (like terms
//! combined, constant last); a product is `c * f1 * f2 …` with the constant first and the factors
//! in a stable order (variables and their powers, then compound factors, then function calls);
//! a quotient is one `Div` at the top of a product. Arithmetic on constants always folds (it is
//! exactly what evaluation would compute); a function or power of constants folds only when the
//! result prints short, so `ln(2)*2^x` stays readable.

mod normal_form;
mod rewrites;
#[cfg(test)]
mod tests;

use super::expr::{Arena, Id, Node, Var};
use super::func::Func;

/// A term of a sum: coefficient and the rest (None for the constant term).
type Term = (f64, Option<Id>);

impl Arena {
    pub fn num(&mut self, value: f64) -> Id {
        // −0 prints as 0, which reads back as +0: one zero keeps print → parse the same node.
        // Likewise one NaN: −(0/0) must be the node (0/0) reads back to.
        let value = if value == 0.0 {
            0.0
        } else if value.is_nan() {
            f64::NAN
        } else {
            value
        };
        self.intern(Node::Const(value.to_bits()))
    }

    pub fn var(&mut self, var: Var) -> Id {
        self.intern(Node::Var(var))
    }

    pub fn neg(&mut self, a: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Neg(a));
        }
        if let Some(c) = self.as_const(a) {
            return self.num(-c);
        }
        let mut terms = Vec::new();
        self.sum_terms(a, -1.0, &mut terms);
        self.build_sum(terms)
    }

    pub fn add(&mut self, a: Id, b: Id) -> Id {
        self.sum_of(a, b, false)
    }

    pub fn sub(&mut self, a: Id, b: Id) -> Id {
        self.sum_of(a, b, true)
    }

    /// `a + b`, or `a - b` when `subtract`: one sum of their terms, or the folded constant.
    fn sum_of(&mut self, a: Id, b: Id, subtract: bool) -> Id {
        if self.verbatim {
            return self.intern(if subtract {
                Node::Sub(a, b)
            } else {
                Node::Add(a, b)
            });
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            // Spelled out rather than p + (−1)·q, so the folded bits are the subtraction's.
            return self.num(if subtract { p - q } else { p + q });
        }
        let mut terms = Vec::new();
        self.sum_terms(a, 1.0, &mut terms);
        self.sum_terms(b, if subtract { -1.0 } else { 1.0 }, &mut terms);
        self.build_sum(terms)
    }

    pub fn mul(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Mul(a, b));
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            return self.num(p * q);
        }
        // A negated quotient lifts too, its sign outside: (−(n/d))*b = −((n*b)/d), the node
        // that the printed `-n*b/d` reads back to.
        for (q, other, q_first) in [(a, b, true), (b, a, false)] {
            if let Node::Neg(inner) = self.node(q)
                && let Node::Div(..) = self.node(inner)
            {
                let m = if q_first {
                    self.mul(inner, other)
                } else {
                    self.mul(other, inner)
                };
                return self.neg(m);
            }
        }
        // A quotient on either side lifts to the top: (n/d)*b = (n*b)/d.
        if let Node::Div(n, d) = self.node(a) {
            let num = self.mul(n, b);
            return self.div(num, d);
        }
        if let Node::Div(n, d) = self.node(b) {
            let num = self.mul(a, n);
            return self.div(num, d);
        }
        let mut coef = 1.0;
        let mut factors = Vec::new();
        self.product_factors(a, &mut coef, &mut factors);
        self.product_factors(b, &mut coef, &mut factors);
        self.build_product(coef, factors)
    }

    pub fn div(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Div(a, b));
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            return self.num(p / q);
        }
        if let Some(q) = self.as_const(b) {
            if q == 1.0 {
                return a;
            }
            if q == -1.0 {
                return self.neg(a);
            }
            // Dividing by a power of two is the same as multiplying by its exact reciprocal.
            if is_power_of_two(q) {
                let r = self.num(1.0 / q);
                return self.mul(r, a);
            }
            // 3*x^2/3 → x^2: fold the numerator's coefficient when the ratio is exact.
            let (c, rest) = self.split_coef(a);
            // Not for a bare sign (c = ±1): −x/0.001 must stay −(x/0.001), as x/0.001 stays.
            if c.abs() != 1.0 && (c / q) * q == c && (c / q).fract() == 0.0 {
                let k = self.num(c / q);
                return self.mul(k, rest);
            }
        }
        if self.as_const(a) == Some(0.0) {
            return a;
        }
        if a == b {
            return self.num(1.0);
        }
        if !matches!(self.node(a), Node::Div(..)) && !matches!(self.node(b), Node::Div(..)) {
            // (s − t/q)/b = (s·q − t)/(b·q): the quotient rule's numerator over one line.
            if let Some((n, q)) = self.over_common_denominator(a) {
                let d = self.mul(b, q);
                return self.div(n, d);
            }
            if let Some(n) = self.unsquared_roots(a, b) {
                return self.div(n, b);
            }
            if let Some((n, d)) = self.cancelled(a, b) {
                return self.div(n, d);
            }
        }
        if let Node::Div(n, d) = self.node(a) {
            let den = self.mul(d, b);
            return self.div(n, den);
        }
        if let Node::Div(n, d) = self.node(b) {
            let num = self.mul(a, d);
            return self.div(num, n);
        }
        // Signs move out of the quotient: a/(-b) = -(a/b) and (-a)/b = -(a/b).
        let (cb, rest_b) = self.split_coef(b);
        if cb < 0.0 {
            let pos_b = self.scale(-cb, rest_b);
            let q = self.div(a, pos_b);
            return self.neg(q);
        }
        // A numerator sum that starts with a minus is written -(…)/b, so that the printed form,
        // where the sign binds to the parenthesis, reads back to the same node.
        if self.sum_starts_negative(a) {
            let flipped = self.neg(a);
            let q = self.div(flipped, b);
            return self.neg(q);
        }
        let (ca, rest_a) = self.split_coef(a);
        if ca < 0.0 {
            let pos_a = self.scale(-ca, rest_a);
            let q = self.div(pos_a, b);
            return self.neg(q);
        }
        // A negative constant numerator too: -1/y is -(1/y), the node `-1/y` reads back to.
        if let Some(c) = self.as_const(a)
            && c < 0.0
        {
            let pos_a = self.num(-c);
            let q = self.div(pos_a, b);
            return self.neg(q);
        }
        self.intern(Node::Div(a, b))
    }

    pub fn pow(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Pow(a, b));
        }
        let (ca, cb) = (self.as_const(a), self.as_const(b));
        if let (Some(p), Some(q)) = (ca, cb) {
            let v = super::real_root::pow_const(p, q);
            if prints_short(v) {
                return self.num(v);
            }
        }
        match cb {
            Some(0.0) => return self.num(1.0),
            Some(1.0) => return a,
            _ => {}
        }
        if ca == Some(1.0) {
            return a;
        }
        if let Some(k) = cb
            && let Some(p) = self.distributed_power(a, k)
        {
            return p;
        }
        // (u^p)^q = u^(p*q) holds for every real u only when both exponents are integers,
        // and p*q must stay exact (below 2^53) or its parity, and so the sign, could change.
        if let (Node::Pow(base, p), Some(q)) = (self.node(a), cb)
            && let Some(p) = self.as_const(p)
            && p.fract() == 0.0
            && q.fract() == 0.0
            && (p * q).abs() < 9_007_199_254_740_992.0
        {
            let e = self.num(p * q);
            return self.pow(base, e);
        }
        self.intern(Node::Pow(a, b))
    }

    pub fn call(&mut self, func: Func, a: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Call(func, a));
        }
        if let Some(c) = self.as_const(a) {
            let v = func.apply(c);
            if prints_short(v) {
                return self.num(v);
            }
        }
        self.intern(Node::Call(func, a))
    }

    /// The mean over the data's rows of `a`. Free of the columns, `a` is its own mean (there is
    /// always a row); free of θ, the mean is a number, computed here once.
    pub fn mean(&mut self, a: Id) -> Id {
        if !self.uses_columns(a) {
            return a;
        }
        let id = self.intern(Node::Mean(a));
        if self.is_var_free(id) {
            let value = super::eval::Program::compile(self, &[id]).eval(0.0, 0.0)[0];
            return self.num(value);
        }
        id
    }
}

/// Powers as the evaluator computes them (x^2 as x*x: exact and what every library does).
#[inline]
pub fn pow_f64(base: f64, exponent: f64) -> f64 {
    if exponent == 2.0 {
        base * base
    } else {
        base.powf(exponent)
    }
}

fn is_power_of_two(v: f64) -> bool {
    const MANTISSA: u64 = (1 << 52) - 1;
    v.is_normal() && v.to_bits() & MANTISSA == 0
}

/// Whether a folded constant reads well in print (`1`, `0.5`, `-3`), as opposed to `0.6931…`.
pub(crate) fn prints_short(v: f64) -> bool {
    v.is_finite() && ((v.fract() == 0.0 && v.abs() < 1e15) || format!("{v}").len() <= 8)
}
