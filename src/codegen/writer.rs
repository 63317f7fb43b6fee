//! The code writer: walks the DAG once per generated function (iteratively, in dependency
//! order) and writes one `let` per distinct node, fully parenthesised, with its validity.
//!
//! Names: node `Id(k)` is `v{k}` (temporaries `v{k}_{i}`), its validity `ok{k}`, helpers
//! `cg_*`. None of these is a WGSL keyword or reserved word, nor a `gs_` name of the templates.
//! Sub-expressions free of x and y are folded here in f64, exactly as the f64 evaluator computes
//! them, and enter the code as one f32 literal: the GPU never evaluates a constant expression,
//! so naga's constant evaluator never sees an overflow, and `ln(2)` costs nothing at run time.

use std::collections::{BTreeSet, HashMap};

use crate::math::{Arena, Id, Node, Var, pow_const, pow_f64};

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
    /// Whether a body read the data rows (the module then declares their binding).
    pub reads_data: bool,
}

/// Rows summed into one partial sum before it joins the total: f32 sums of n rows then carry
/// about (64 + n/64) roundings instead of n.
const ROWS_PER_PARTIAL_SUM: u32 = 64;

impl<'a> Writer<'a> {
    pub fn new(arena: &'a Arena) -> Self {
        Writer {
            arena,
            helpers: BTreeSet::new(),
            reads_data: false,
        }
    }

    /// The `let`s computing every node reachable from `roots`, each once. Means over the data's
    /// rows come first, as one loop over the rows that sums every mean's body together.
    pub fn body(&mut self, roots: &[Id]) -> Body {
        let mut lines = Vec::new();
        let mut done: HashMap<Id, Lowered> = HashMap::new();
        let means = self.means_below(roots);
        if !means.is_empty() {
            self.lower_means(&means, &mut lines, &mut done);
        }
        let Body { lines: rest, roots } = self.body_after(roots, done);
        lines.extend(rest);
        Body { lines, roots }
    }

    /// The mean nodes reachable from `roots` without passing through another mean, in order.
    fn means_below(&self, roots: &[Id]) -> Vec<Id> {
        let mut seen = std::collections::HashSet::new();
        let mut means = Vec::new();
        let mut stack: Vec<Id> = roots.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) || self.arena.is_var_free(id) {
                continue;
            }
            match self.arena.node(id) {
                Node::Mean(_) => means.push(id),
                node => stack.extend(node.children()),
            }
        }
        means.sort();
        means
    }

    /// One loop over the data's rows (in runs of [`ROWS_PER_PARTIAL_SUM`]) that sums the body
    /// of each mean in `means`, then `gs_mean{j}` = the sum over the count of rows, valid where
    /// every row's term was. The loop's `let`s live in its own scope; nodes used outside it too
    /// are written again there.
    fn lower_means(
        &mut self,
        means: &[Id],
        lines: &mut Vec<String>,
        done: &mut HashMap<Id, Lowered>,
    ) {
        let Some(data) = self.arena.data().cloned() else {
            // A mean without rows has no value (only a data objective's arena makes means).
            for &id in means {
                done.insert(id, constant(f64::NAN));
            }
            return;
        };
        self.reads_data = true;
        let bodies: Vec<Id> = means
            .iter()
            .map(|&m| match self.arena.node(m) {
                Node::Mean(body) => body,
                _ => m,
            })
            .collect();
        let rows = data.rows;
        let stride = data.names.len();
        let inner = self.body_after(&bodies, HashMap::new());
        for j in 0..means.len() {
            lines.push(format!("    var gs_m{j} = 0.0f;"));
            lines.push(format!("    var gs_bad{j} = false;"));
        }
        lines.push(format!(
            "    for (var gs_c = 0u; gs_c < {rows}u; gs_c = gs_c + {ROWS_PER_PARTIAL_SUM}u) {{"
        ));
        for j in 0..means.len() {
            lines.push(format!("        var gs_p{j} = 0.0f;"));
        }
        lines.push(format!(
            "        for (var gs_r = gs_c; gs_r < min(gs_c + {ROWS_PER_PARTIAL_SUM}u, {rows}u); gs_r = gs_r + 1u) {{"
        ));
        for k in 0..stride {
            lines.push(format!(
                "            let gs_col{k} = gs_data[gs_r * {stride}u + {k}u];"
            ));
        }
        for line in &inner.lines {
            lines.push(format!("        {line}"));
        }
        for (j, term) in inner.roots.iter().enumerate() {
            match term.ok.expr() {
                "true" => lines.push(format!("            gs_p{j} = gs_p{j} + {};", term.atom)),
                "false" => lines.push(format!("            gs_bad{j} = true;")),
                ok => {
                    lines.push(format!(
                        "            gs_p{j} = gs_p{j} + select(0.0f, {}, {ok});",
                        term.atom
                    ));
                    lines.push(format!("            gs_bad{j} = gs_bad{j} || !{ok};"));
                }
            }
        }
        lines.push("        }".into());
        for j in 0..means.len() {
            lines.push(format!("        gs_m{j} = gs_m{j} + gs_p{j};"));
        }
        lines.push("    }".into());
        let count = super::literal::f32_literal(rows as f64).unwrap_or_else(|| "1.0f".into());
        for (j, (&id, term)) in means.iter().zip(&inner.roots).enumerate() {
            lines.push(format!("    let gs_mean{j} = gs_m{j} / {count};"));
            let ok = match term.ok {
                Validity::Always => Validity::Always,
                Validity::Never => Validity::Never,
                Validity::When(_) => {
                    lines.push(format!("    let gs_okmean{j} = !gs_bad{j};"));
                    Validity::When(format!("gs_okmean{j}"))
                }
            };
            done.insert(
                id,
                Lowered {
                    atom: format!("gs_mean{j}"),
                    ok,
                    constant: None,
                },
            );
        }
    }

    /// [`Writer::body`] over nodes not yet in `done`.
    fn body_after(&mut self, roots: &[Id], mut done: HashMap<Id, Lowered>) -> Body {
        let mut lines = Vec::new();
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
                        Var::X => "x".into(),
                        Var::Y => "y".into(),
                        Var::Col(k) => format!("gs_col{k}"),
                    },
                    ok: Validity::Always,
                    constant: None,
                };
            }
            // Lowered by `lower_means` before the walk; one reached here has no rows.
            Node::Mean(_) => return constant(f64::NAN),
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
        Node::Pow(a, b) => match arena.as_const(b) {
            Some(c) => pow_const(value(a), c),
            None => pow_f64(value(a), value(b)),
        },
        Node::Call(f, a) => f.apply(value(a)),
        // A mean free of θ is folded to a number when it is made (`Arena::mean`).
        Node::Mean(_) => f64::NAN,
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
