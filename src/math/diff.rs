//! Symbolic differentiation as a rule table: one rule per operator and per function, each
//! written as a [`Formula`] that is folded through the simplifying constructors, so results come
//! out in normal form. Memoised per node, so the derivative of a shared sub-expression is derived
//! once. Each rule also says its name and which sub-derivatives it used: a [`Trace`] records
//! that, as the derivation shown to the learner.

use super::fast_hash::FastMap;

use super::derivation::Trace;
use super::expand::ExpandCache;
use super::expr::{Arena, Id, Node, Var};
use super::formula::Formula;
use super::func::Func;
use super::real_root::{OddRoot, exponent_minus_one};
use super::rules::Rule;

/// What the table makes of one node.
pub(super) struct Derived {
    pub rule: Rule,
    /// The derivative as the rule writes it, before simplification.
    pub formula: Formula,
    /// The children whose derivatives the rule used, in order.
    pub uses: Vec<Id>,
    /// For the chain rule: the outer function's own rule, at the variable itself.
    pub outer: Option<Outer>,
}

/// f′ by f's own rule, written at the variable (sin(x) → cos(x)): what the chain rule composes.
pub(super) struct Outer {
    pub rule: Rule,
    pub expr: Formula,
    pub formula: Formula,
}

impl Derived {
    fn new(rule: Rule, formula: Formula, uses: Vec<Id>) -> Derived {
        Derived {
            rule,
            formula,
            uses,
            outer: None,
        }
    }
}

impl Arena {
    /// ∂e/∂var.
    pub fn diff(&mut self, e: Id, var: Var) -> Id {
        let mut memo = FastMap::default();
        self.diff_memo(e, var, &mut memo, &mut ExpandCache::default(), None)
    }

    /// ∂e/∂var, with every rule applied recorded in `trace`.
    pub(super) fn diff_traced(&mut self, e: Id, var: Var, trace: &mut Trace) -> Id {
        let mut memo = FastMap::default();
        self.diff_memo(e, var, &mut memo, &mut ExpandCache::default(), Some(trace))
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

    fn diff_memo(
        &mut self,
        e: Id,
        var: Var,
        memo: &mut FastMap<Id, Id>,
        cache: &mut ExpandCache,
        mut trace: Option<&mut Trace>,
    ) -> Id {
        if let Some(&d) = memo.get(&e) {
            return d;
        }
        // Children first, left to right; the recursion runs through this small frame only, so
        // the deepest expressions the parser admits fit the stack.
        for child in self.derived_children(e, var) {
            self.diff_memo(child, var, memo, cache, trace.as_deref_mut());
        }
        let derived = self.rule(e, var, memo);
        // Multiplied out where that is no longer (2·(12·y² − 4) + 24·y² → 48·y² − 8): each
        // step's result, so that the steps end on the derivative that is printed.
        let built = self.build(&derived.formula);
        let d = self.expanded(built, cache);
        if let Some(trace) = trace {
            trace.record(self, e, derived, d);
        }
        memo.insert(e, d);
        d
    }

    /// The children whose derivatives `rule` reads: none below a node free of var, and a
    /// denominator or exponent free of var is a constant the rule takes as it is.
    fn derived_children(&self, e: Id, var: Var) -> Vec<Id> {
        if !self.mentions(e, var) {
            return Vec::new();
        }
        match self.node(e) {
            Node::Div(a, b) => [Some(a), self.mentions(b, var).then_some(b)]
                .into_iter()
                .flatten()
                .collect(),
            Node::Pow(a, b) => [a, b]
                .into_iter()
                .filter(|&c| self.mentions(c, var))
                .collect(),
            node => node.children().collect(),
        }
    }

    /// The rule table: which rule applies at `e`, and the derivative it writes, from the
    /// derivatives of `derived_children(e)` in `memo` (a child left out counts as constant).
    fn rule(&mut self, e: Id, var: Var, memo: &FastMap<Id, Id>) -> Derived {
        // Whatever does not mention var is a constant here ("treat y as a constant").
        if !self.mentions(e, var) {
            return Derived::new(Rule::Constant, Formula::Num(0.0), vec![]);
        }
        let d = |child: Id| {
            memo.get(&child)
                .map_or(Formula::Num(0.0), |&d| Formula::Node(d))
        };
        match self.node(e) {
            Node::Const(_) => Derived::new(Rule::Constant, Formula::Num(0.0), vec![]),
            // mentions(e, var) holds, so this is var itself.
            Node::Var(_) => Derived::new(Rule::Variable, Formula::Num(1.0), vec![]),
            Node::Neg(a) => Derived::new(Rule::ConstantMultiple, -d(a), vec![a]),
            Node::Add(a, b) => Derived::new(Rule::Sum, d(a) + d(b), vec![a, b]),
            Node::Sub(a, b) => Derived::new(Rule::Difference, d(a) - d(b), vec![a, b]),
            // Product rule: (ab)' = a'b + ab'.
            Node::Mul(a, b) => Derived::new(
                Rule::Product,
                d(a) * b + Formula::from(a) * d(b),
                vec![a, b],
            ),
            // (a/c)' = a'/c for a constant c; else the quotient rule (a/b)' = (a'b − ab')/b².
            Node::Div(a, b) => {
                let (da, db) = (d(a), d(b));
                if self.formula_is_zero(&db) {
                    Derived::new(Rule::ConstantMultiple, da / b, vec![a])
                } else {
                    let n = da * b - Formula::from(a) * db;
                    Derived::new(Rule::Quotient, n / Formula::from(b).pow(2.0), vec![a, b])
                }
            }
            Node::Pow(a, b) => self.diff_pow(e, (a, d(a)), (b, d(b)), var),
            Node::Mean(a) => Derived::new(Rule::Mean, Formula::Mean(Box::new(d(a))), vec![a]),
            Node::Call(f, a) => {
                let da = d(a);
                if self.formula_is_zero(&da) {
                    return Derived::new(Rule::of_function(f), Formula::Num(0.0), vec![a]);
                }
                let formula = self.outer_derivative(f, a) * da;
                self.chained(Rule::of_function(f), a, var, formula, |arena, x| {
                    (Formula::call(f, x), arena.outer_derivative(f, x))
                })
            }
        }
    }

    fn formula_is_zero(&self, d: &Formula) -> bool {
        match d {
            Formula::Num(v) => *v == 0.0,
            Formula::Node(id) => self.as_const(*id) == Some(0.0),
            _ => false,
        }
    }

    /// A rule for an outer function applied to `inner`: the rule itself where `inner` is the
    /// variable, else the chain rule, with the outer rule written at the variable beside it.
    fn chained(
        &mut self,
        rule: Rule,
        inner: Id,
        var: Var,
        formula: Formula,
        at_variable: impl FnOnce(&mut Arena, Id) -> (Formula, Formula),
    ) -> Derived {
        if self.node(inner) == Node::Var(var) {
            return Derived::new(rule, formula, vec![inner]);
        }
        let x = self.var(var);
        let (expr, outer) = at_variable(self, x);
        Derived {
            rule: Rule::Chain,
            formula,
            uses: vec![inner],
            outer: Some(Outer {
                rule,
                expr,
                formula: outer,
            }),
        }
    }

    fn diff_pow(
        &mut self,
        e: Id,
        (a, da): (Id, Formula),
        (b, db): (Id, Formula),
        var: Var,
    ) -> Derived {
        let da_zero = self.formula_is_zero(&da);
        let db_zero = self.formula_is_zero(&db);
        if da_zero && db_zero {
            return Derived::new(Rule::Constant, Formula::Num(0.0), vec![]);
        }
        if db_zero {
            // Power rule: (a^r)' = r·a^(r−1)·a'. `b` may be a constant or any expression free of var.
            // A constant r − 1 is formed exactly as the fraction it stands for, so that
            // x^(2/3)′ = 2/3·x^(−1/3) is still a real root for x < 0 (see `real_root`).
            let lowered = match self.as_const(b) {
                Some(c) if OddRoot::of(c).is_some() => Formula::Num(exponent_minus_one(c)),
                // Elsewhere r − 1 as the textbook writes it (2·x^(2 − 1)), folded when built.
                _ => Formula::from(b) - 1.0,
            };
            let formula = Formula::from(b) * Formula::from(a).pow(lowered.clone()) * da;
            return self.chained(Rule::Power, a, var, formula, move |_, x| {
                (
                    Formula::from(x).pow(b),
                    Formula::from(b) * Formula::from(x).pow(lowered.clone()),
                )
            });
        }
        if da_zero {
            // Exponential rule: (c^b)' = ln(c)·c^b·b'.
            let formula = Formula::call(Func::Ln, a) * e * db;
            return self.chained(Rule::Exponential, b, var, formula, |_, x| {
                let c_x = Formula::from(a).pow(x);
                (c_x.clone(), Formula::call(Func::Ln, a) * c_x)
            });
        }
        // General: (a^b)' = a^b·(b'·ln(a) + b·a'/a).
        let formula =
            Formula::from(e) * (db * Formula::call(Func::Ln, a) + Formula::from(b) * da / a);
        Derived::new(Rule::VariableExponent, formula, vec![a, b])
    }

    /// f′(a) for each built-in function f.
    fn outer_derivative(&mut self, f: Func, a: Id) -> Formula {
        let a = || Formula::Node(a);
        let one = || Formula::Num(1.0);
        match f {
            Func::Sin => Formula::call(Func::Cos, a()),
            Func::Cos => -Formula::call(Func::Sin, a()),
            // tan′ = 1/cos², as the notebook writes it.
            Func::Tan => one() / Formula::call(Func::Cos, a()).pow(2.0),
            Func::Asin => one() / Formula::call(Func::Sqrt, one() - a().pow(2.0)),
            Func::Acos => -(one() / Formula::call(Func::Sqrt, one() - a().pow(2.0))),
            Func::Atan => one() / (one() + a().pow(2.0)),
            Func::Sinh => Formula::call(Func::Cosh, a()),
            Func::Cosh => Formula::call(Func::Sinh, a()),
            Func::Tanh => one() - Formula::call(Func::Tanh, a()).pow(2.0),
            Func::Asinh => one() / Formula::call(Func::Sqrt, a().pow(2.0) + 1.0),
            Func::Acosh => one() / Formula::call(Func::Sqrt, a().pow(2.0) - 1.0),
            Func::Atanh => one() / (one() - a().pow(2.0)),
            Func::Exp => Formula::call(Func::Exp, a()),
            Func::Ln => one() / a(),
            Func::Sqrt => one() / (Formula::Num(2.0) * Formula::call(Func::Sqrt, a())),
            Func::Cbrt => one() / (Formula::Num(3.0) * Formula::call(Func::Cbrt, a()).pow(2.0)),
            Func::Abs => Formula::call(Func::Sign, a()),
            // sign is flat wherever it is differentiable (everywhere but 0).
            Func::Sign => Formula::Num(0.0),
            Func::Sigmoid => {
                Formula::call(Func::Sigmoid, a()) * (one() - Formula::call(Func::Sigmoid, a()))
            }
            Func::Softplus => Formula::call(Func::Sigmoid, a()),
        }
    }
}
