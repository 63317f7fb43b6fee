//! The code writer: walks the DAG once per generated function (iteratively, in dependency
//! order) and writes one `let` per distinct node, fully parenthesised, with its validity.
//!
//! Names: node `Id(k)` is `v{k}` (temporaries `v{k}_{i}`), its validity `ok{k}`, helpers
//! `cg_*`. None of these is a WGSL keyword or reserved word, nor a `gs_` name of the templates.
//! Sub-expressions free of x and y are folded here in f64, exactly as the f64 evaluator computes
//! them, and enter the code as one f32 literal: the GPU never evaluates a constant expression,
//! so naga's constant evaluator never sees an overflow, and `ln(2)` costs nothing at run time.

use std::collections::{BTreeSet, HashMap};

use crate::math::{Arena, Id, Node, Var, pow_f64};

use super::functions::{Helper, lower_call};
use super::literal::f32_literal;
use super::nan::{Combined, Validity, all_of};
use super::pow::lower_pow;

/// A node as its parent sees it.
#[derive(Clone, Debug)]
pub struct Lowered {
    /// An atom: `x`, `y`, a literal, or the name of a `let`.
    pub atom: String,
    pub ok: Validity,
    /// The f64 value of a node free of x and y (possibly not finite, or beyond f32's range).
    pub constant: Option<f64>,
}

/// An operand handed to a lowering rule.
pub struct Operand<'a> {
    pub atom: &'a str,
    pub ok: &'a Validity,
    pub constant: Option<f64>,
}

impl<'a> From<&'a Lowered> for Operand<'a> {
    fn from(l: &'a Lowered) -> Self {
        Operand {
            atom: &l.atom,
            ok: &l.ok,
            constant: l.constant,
        }
    }
}

/// Where a lowering rule writes temporaries and notes the helpers it needs.
pub struct Scope<'w> {
    name: &'w str,
    lines: &'w mut Vec<String>,
    temps: usize,
    helpers: &'w mut BTreeSet<Helper>,
}

impl Scope<'_> {
    /// Binds `expr` to a fresh `let` and returns its name.
    pub fn temp(&mut self, expr: String) -> String {
        self.temps += 1;
        let name = format!("{}_{}", self.name, self.temps);
        self.lines.push(format!("    let {name} = {expr};"));
        name
    }

    pub fn use_helper(&mut self, helper: Helper) {
        self.helpers.insert(helper);
        self.helpers.extend(helper.requires());
    }
}

/// The statements of one function body and the lowered roots they end with.
pub struct Body {
    pub lines: Vec<String>,
    pub roots: Vec<Lowered>,
}

/// Writes function bodies over one arena; remembers which helpers they called.
pub struct Writer<'a> {
    arena: &'a Arena,
    pub helpers: BTreeSet<Helper>,
}

impl<'a> Writer<'a> {
    pub fn new(arena: &'a Arena) -> Self {
        Writer {
            arena,
            helpers: BTreeSet::new(),
        }
    }

    /// The `let`s computing every node reachable from `roots`, each once.
    pub fn body(&mut self, roots: &[Id]) -> Body {
        let mut lines = Vec::new();
        let mut done: HashMap<Id, Lowered> = HashMap::new();
        // Iterative post-order: the DAG can be deep, the stack must not be.
        for &root in roots {
            let mut stack = vec![(root, false)];
            while let Some((id, expanded)) = stack.pop() {
                if done.contains_key(&id) {
                    continue;
                }
                let node = self.arena.node(id);
                if !expanded {
                    stack.push((id, true));
                    // Reversed, so that the first operand is written first.
                    let children: Vec<Id> = node.children().collect();
                    stack.extend(
                        children
                            .into_iter()
                            .rev()
                            .filter(|c| !done.contains_key(c))
                            .map(|c| (c, false)),
                    );
                    continue;
                }
                let lowered = self.lower(id, node, &done, &mut lines);
                done.insert(id, lowered);
            }
        }
        let roots = roots.iter().map(|r| done[r].clone()).collect();
        Body { lines, roots }
    }

    fn lower(
        &mut self,
        id: Id,
        node: Node,
        done: &HashMap<Id, Lowered>,
        lines: &mut Vec<String>,
    ) -> Lowered {
        let get = |c: Id| &done[&c];
        if self.arena.is_var_free(id) {
            return constant(fold(self.arena, node, |c| {
                get(c).constant.unwrap_or(f64::NAN)
            }));
        }
        let (value, validity) = match node {
            Node::Const(_) => unreachable!("constants are free of variables"),
            Node::Var(v) => {
                return Lowered {
                    atom: match v {
                        Var::X => "x",
                        Var::Y => "y",
                    }
                    .into(),
                    ok: Validity::Always,
                    constant: None,
                };
            }
            Node::Neg(a) => arithmetic(&[get(a)], format!("(-{})", get(a).atom), None),
            Node::Add(a, b) => binary(get(a), get(b), "+", None),
            Node::Sub(a, b) => binary(get(a), get(b), "-", None),
            Node::Mul(a, b) => binary(get(a), get(b), "*", None),
            // The f64 quotient by zero is ±inf or NaN; on the GPU it is undefined.
            Node::Div(a, b) => binary(
                get(a),
                get(b),
                "/",
                Some(format!("({} != 0.0f)", get(b).atom)),
            ),
            Node::Pow(a, b) => {
                let name = format!("v{}", id.index());
                let mut scope = self.scope(&name, lines);
                lower_pow(&get(a).into(), &get(b).into(), &mut scope)
            }
            Node::Call(f, a) => {
                let name = format!("v{}", id.index());
                let mut scope = self.scope(&name, lines);
                lower_call(f, &get(a).into(), &mut scope)
            }
        };
        let ok = match validity {
            Combined::Same(v) => v,
            Combined::Conjunction(expr) => {
                let name = format!("ok{}", id.index());
                lines.push(format!("    let {name} = {expr};"));
                Validity::When(name)
            }
        };
        if ok == Validity::Never {
            // Nothing above can use the value; skip computing it.
            return Lowered {
                atom: "0.0f".into(),
                ok,
                constant: None,
            };
        }
        let name = format!("v{}", id.index());
        lines.push(format!("    let {name} = {value};"));
        Lowered {
            atom: name,
            ok,
            constant: None,
        }
    }

    fn scope<'w>(&'w mut self, name: &'w str, lines: &'w mut Vec<String>) -> Scope<'w> {
        Scope {
            name,
            lines,
            temps: 0,
            helpers: &mut self.helpers,
        }
    }
}

fn arithmetic(
    children: &[&Lowered],
    value: String,
    condition: Option<String>,
) -> (String, Combined) {
    let oks = children.iter().map(|c| &c.ok);
    (value, all_of(oks, condition))
}

fn binary(a: &Lowered, b: &Lowered, op: &str, condition: Option<String>) -> (String, Combined) {
    arithmetic(&[a, b], format!("({} {op} {})", a.atom, b.atom), condition)
}

/// A node free of variables, as the f64 evaluator would compute it (src/math/eval.rs).
fn fold(arena: &Arena, node: Node, value: impl Fn(Id) -> f64) -> f64 {
    match node {
        Node::Const(bits) => f64::from_bits(bits),
        // Unreachable for a variable-free node; NaN keeps the fold total.
        Node::Var(_) => f64::NAN,
        Node::Neg(a) => -value(a),
        Node::Add(a, b) => value(a) + value(b),
        Node::Sub(a, b) => value(a) - value(b),
        Node::Mul(a, b) => value(a) * value(b),
        Node::Div(a, b) => value(a) / value(b),
        Node::Pow(a, b) if arena.as_const(b) == Some(2.0) => value(a) * value(a),
        Node::Pow(a, b) => pow_f64(value(a), value(b)),
        Node::Call(f, a) => f.apply(value(a)),
    }
}

/// A constant operand: its f32 literal, or invalid where it has none (not finite in f32).
/// Such a constant makes every expression above it invalid, except the few that IEEE `pow`
/// maps to a number regardless (`c^0`, `1^c`); see pow.rs.
fn constant(value: f64) -> Lowered {
    match f32_literal(value) {
        Some(atom) => Lowered {
            atom,
            ok: Validity::Always,
            constant: Some(value),
        },
        None => Lowered {
            atom: "0.0f".into(),
            ok: Validity::Never,
            constant: Some(value),
        },
    }
}
