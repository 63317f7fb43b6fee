//! A formula as a differentiation rule writes it, before simplification: a small tree over
//! arena nodes. The rule table builds one per node; `Arena::build` folds it through the
//! simplifying constructors (the derivative) and `Arena::formula_text` prints it as written (the
//! "applied here" line of a derivation), so both come from the same rule.

use std::ops;

use super::display::{Level, Names};
use super::expr::{Arena, Id};
use super::func::Func;

#[derive(Clone, Debug, PartialEq)]
pub enum Formula {
    Node(Id),
    Num(f64),
    Neg(Box<Formula>),
    Add(Box<Formula>, Box<Formula>),
    Sub(Box<Formula>, Box<Formula>),
    Mul(Box<Formula>, Box<Formula>),
    Div(Box<Formula>, Box<Formula>),
    Pow(Box<Formula>, Box<Formula>),
    Call(Func, Box<Formula>),
    /// The mean over the data's rows.
    Mean(Box<Formula>),
}

impl Formula {
    pub fn pow(self, exponent: impl Into<Formula>) -> Formula {
        Formula::Pow(Box::new(self), Box::new(exponent.into()))
    }

    pub fn call(func: Func, arg: impl Into<Formula>) -> Formula {
        Formula::Call(func, Box::new(arg.into()))
    }
}

impl From<Id> for Formula {
    fn from(id: Id) -> Formula {
        Formula::Node(id)
    }
}

impl From<f64> for Formula {
    fn from(v: f64) -> Formula {
        Formula::Num(v)
    }
}

macro_rules! binary_op {
    ($trait:ident, $method:ident, $variant:ident) => {
        impl<T: Into<Formula>> ops::$trait<T> for Formula {
            type Output = Formula;
            fn $method(self, rhs: T) -> Formula {
                Formula::$variant(Box::new(self), Box::new(rhs.into()))
            }
        }
    };
}
binary_op!(Add, add, Add);
binary_op!(Sub, sub, Sub);
binary_op!(Mul, mul, Mul);
binary_op!(Div, div, Div);

impl ops::Neg for Formula {
    type Output = Formula;
    fn neg(self) -> Formula {
        Formula::Neg(Box::new(self))
    }
}

impl Arena {
    /// The formula folded into a node: each operation through its simplifying constructor,
    /// left operand first, so it makes exactly the calls a hand-written rule would.
    pub fn build(&mut self, formula: &Formula) -> Id {
        match formula {
            Formula::Node(id) => *id,
            Formula::Num(v) => self.num(*v),
            Formula::Neg(a) => {
                let a = self.build(a);
                self.neg(a)
            }
            Formula::Add(a, b) => self.build_binary(a, b, Arena::add),
            Formula::Sub(a, b) => self.build_binary(a, b, Arena::sub),
            Formula::Mul(a, b) => self.build_binary(a, b, Arena::mul),
            Formula::Div(a, b) => self.build_binary(a, b, Arena::div),
            Formula::Pow(a, b) => self.build_binary(a, b, Arena::pow),
            Formula::Call(f, a) => {
                let a = self.build(a);
                self.call(*f, a)
            }
            Formula::Mean(a) => {
                let a = self.build(a);
                self.mean(a)
            }
        }
    }

    /// Both operands built, left first, then joined by `join` (one of the constructors).
    fn build_binary(&mut self, a: &Formula, b: &Formula, join: fn(&mut Arena, Id, Id) -> Id) -> Id {
        let (a, b) = (self.build(a), self.build(b));
        join(self, a, b)
    }

    /// The formula as written, for reading: parenthesised generously, named nodes by name,
    /// cut off with `…` past `max_len` bytes.
    pub fn formula_text(&self, formula: &Formula, names: &Names, max_len: usize) -> String {
        let mut out = String::new();
        self.write_formula(formula, Level::Sum, names, max_len, &mut out);
        if out.len() > max_len {
            super::display::cut(&mut out, max_len);
        }
        out
    }

    fn formula_level(&self, formula: &Formula, names: &Names) -> Level {
        match formula {
            Formula::Node(id) if names.contains_key(id) => Level::Atom,
            Formula::Node(id) => self.level(*id),
            Formula::Num(v) => self.level_of_constant(*v),
            Formula::Neg(_) => Level::Unary,
            Formula::Add(..) | Formula::Sub(..) => Level::Sum,
            Formula::Mul(..) | Formula::Div(..) => Level::Product,
            Formula::Pow(..) => Level::Power,
            Formula::Call(..) | Formula::Mean(..) => Level::Atom,
        }
    }

    fn write_formula(
        &self,
        formula: &Formula,
        need: Level,
        names: &Names,
        max_len: usize,
        out: &mut String,
    ) {
        if out.len() > max_len {
            return;
        }
        if let Formula::Node(id) = formula {
            self.write_named(*id, need, names, max_len, out);
            return;
        }
        let paren = self.formula_level(formula, names) < need;
        if paren {
            out.push('(');
        }
        let w = |f: &Formula, need: Level, out: &mut String| {
            self.write_formula(f, need, names, max_len, out);
        };
        match formula {
            Formula::Node(_) => {}
            Formula::Num(v) => out.push_str(&super::display::format_constant(*v)),
            Formula::Neg(a) => {
                out.push('-');
                w(a, Level::Power, out);
            }
            Formula::Add(a, b) | Formula::Sub(a, b) => {
                w(a, Level::Sum, out);
                out.push_str(if matches!(formula, Formula::Add(..)) {
                    " + "
                } else {
                    " - "
                });
                // A signed term gets parentheses: 3x² + (-sin(x)), not 3x² + -sin(x).
                let right = match self.formula_level(b, names) {
                    Level::Unary => Level::Power,
                    _ => Level::Product,
                };
                w(b, right, out);
            }
            // Written as the rule writes it, so a product on the right keeps its parentheses:
            // 2*(2*x) shows that (x²)′ = 2x was used.
            Formula::Mul(a, b) => {
                w(a, Level::Product, out);
                out.push('*');
                w(b, Level::Power, out);
            }
            Formula::Div(a, b) => {
                w(a, Level::Product, out);
                out.push('/');
                w(b, Level::Power, out);
            }
            Formula::Pow(a, b) => {
                w(a, Level::Atom, out);
                out.push('^');
                w(b, Level::Power, out);
            }
            Formula::Call(f, a) => {
                out.push_str(f.name());
                out.push('(');
                w(a, Level::Sum, out);
                out.push(')');
            }
            Formula::Mean(a) => {
                out.push_str("mean(");
                w(a, Level::Sum, out);
                out.push(')');
            }
        }
        if paren {
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::Var;

    #[test]
    fn a_formula_builds_to_the_simplified_node_and_prints_as_written() {
        let mut a = Arena::new();
        let x = a.var(Var::X);
        let two = a.num(2.0);
        let x2 = a.pow(x, two);
        let dx2 = a.mul(two, x);
        // The product rule on 2·x²: 0·x² + 2·(2·x).
        let f = Formula::Num(0.0) * x2 + Formula::from(two) * dx2;
        let d = a.build(&f);
        assert_eq!(a.to_text(d), "4*x");
        let names = Names::new();
        assert_eq!(a.formula_text(&f, &names, 100), "0*x^2 + 2*(2*x)");
        let mut named = Names::new();
        named.insert(x2, "u".to_string());
        assert_eq!(a.formula_text(&f, &named, 100), "0*u + 2*(2*x)");
        assert_eq!(a.formula_text(&f, &names, 4), "0*x^…");
    }
}
