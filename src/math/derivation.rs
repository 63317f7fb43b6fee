//! A derivation: the rules `diff.rs` applied, node by node and sub-derivations first, as the
//! differentiator itself records them (a [`Trace`]), with sub-expressions that are shared or
//! chained named u, v, w… as the notebook names them. Capped: past [`MAX_DETAILED`] nodes the
//! deeper sub-derivations fold into single steps, so a huge expression costs a bounded listing.

use std::collections::VecDeque;

use super::fast_hash::{FastMap, FastSet};

use super::diff::Derived;
use super::display::Names;
use super::expr::{Arena, Id, Node, Var};
use super::formula::Formula;
use super::pretty::pretty;
use super::rules::Rule;

/// Nodes whose own derivation is shown step by step; the nodes they use beyond this show only
/// their rule and result.
pub const MAX_DETAILED: usize = 60;

/// One rule applied.
#[derive(Clone, Debug)]
pub struct Step {
    pub rule: Rule,
    /// The sub-expression of f differentiated.
    pub expr: Id,
    /// The derivative as the rule wrote it, before simplification.
    pub applied: Formula,
    /// After simplification.
    pub derivative: Id,
    /// Earlier steps whose results this one used.
    pub uses: Vec<usize>,
    /// Its own sub-derivation was left out to keep the derivation short.
    pub folded: bool,
    /// For a chain step g(u): g's own rule, written in u. It is part of this step, not a step
    /// of its own, because g(x) is not a sub-expression of f.
    pub outer: Option<OuterRule>,
}

/// The outer function's rule inside a chain step, built at the variable node `at`, which is
/// printed as the inner function's name (`u`) wherever the rule is shown.
#[derive(Clone, Debug)]
pub struct OuterRule {
    pub rule: Rule,
    /// g at the variable itself, like sin(x).
    pub expr: Id,
    /// g′ at the variable itself, like cos(x).
    pub derivative: Id,
    /// The variable node that stands for u in `expr` and `derivative`.
    pub at: Id,
}

/// What the differentiator records while it derives, step by step.
pub(super) struct Trace {
    steps: Vec<Step>,
    step_of: FastMap<Id, usize>,
    /// None: every node is detailed.
    detailed: Option<FastSet<Id>>,
    /// Nodes used by detailed ones but not detailed themselves.
    fringe: FastSet<Id>,
    /// The variable differentiated by: an outer rule is written at it.
    var: Var,
}

impl Trace {
    fn new(arena: &Arena, root: Id, var: Var) -> Trace {
        let mut detailed = FastSet::default();
        let mut queue = VecDeque::from([root]);
        let mut capped = false;
        // Breadth first, so the outer rules (what the learner reads first) stay detailed.
        while let Some(id) = queue.pop_front() {
            if !arena.mentions(id, var) || detailed.contains(&id) {
                continue;
            }
            if detailed.len() == MAX_DETAILED {
                capped = true;
                break;
            }
            detailed.insert(id);
            queue.extend(arena.node(id).children());
        }
        let fringe = if capped {
            detailed
                .iter()
                .flat_map(|&id| arena.node(id).children().collect::<Vec<_>>())
                .filter(|c| !detailed.contains(c))
                .collect()
        } else {
            FastSet::default()
        };
        Trace {
            steps: Vec::new(),
            step_of: FastMap::default(),
            detailed: capped.then_some(detailed),
            fringe,
            var,
        }
    }

    /// Called by the differentiator once per node, after its children.
    pub(super) fn record(&mut self, arena: &mut Arena, expr: Id, derived: Derived, result: Id) {
        let detailed = self.detailed.as_ref().is_none_or(|d| d.contains(&expr));
        if !detailed && !self.fringe.contains(&expr) {
            return;
        }
        let mut uses = Vec::new();
        let mut outer = None;
        if detailed {
            if let Some(o) = derived.outer {
                outer = Some(OuterRule {
                    rule: o.rule,
                    expr: arena.build(&o.expr),
                    derivative: arena.build(&o.formula),
                    at: arena.var(self.var),
                });
            }
            uses.extend(derived.uses.iter().filter_map(|c| self.step_of.get(c)));
        }
        self.push(Step {
            rule: derived.rule,
            expr,
            applied: derived.formula,
            derivative: result,
            uses,
            folded: !detailed,
            outer,
        });
    }

    fn push(&mut self, step: Step) -> usize {
        let index = self.steps.len();
        self.step_of.insert(step.expr, index);
        self.steps.push(step);
        index
    }
}

/// The derivation of ∂e/∂var, in its own copy of the arena.
#[derive(Clone, Debug)]
pub struct Derivation {
    arena: Arena,
    var: Var,
    held: Option<Var>,
    steps: Vec<Step>,
    names: Names,
    capped: bool,
}

/// One step, written for reading (Unicode maths, named sub-expressions, each part cut short).
#[derive(Clone, Debug, PartialEq)]
pub struct StepText {
    pub rule: &'static str,
    pub formula: &'static str,
    /// `u = 2·x²` where this step's expression gets a name.
    pub name: Option<String>,
    /// The derivative asked for: `(sin(u))′`, or `∂/∂x (x·y)` in 2-D.
    pub asked: String,
    /// The rule applied here, before simplification.
    pub applied: String,
    /// After simplification.
    pub result: String,
    /// A chain step's outer rule, written in the inner function's name.
    pub outer: Option<OuterText>,
}

/// The outer function's own rule in a chain step, for reading: `d/du (√(u)) = 1/(2·√(u))`.
#[derive(Clone, Debug, PartialEq)]
pub struct OuterText {
    pub rule: &'static str,
    pub formula: &'static str,
    /// `d/du (√(u))`.
    pub asked: String,
    /// `1/(2·√(u))`.
    pub result: String,
}

impl Derivation {
    /// Derives ∂e/∂var for a function of `dims` variables (the others are held constant).
    pub fn new(arena: &Arena, e: Id, var: Var, dims: usize) -> Derivation {
        let mut arena = arena.clone();
        let mut trace = Trace::new(&arena, e, var);
        let capped = trace.detailed.is_some();
        arena.diff_traced(e, var, &mut trace);
        let steps = trace.steps;
        let names = name_shared(&arena, &steps);
        let held = Var::ALL[..dims.min(2)].iter().copied().find(|&v| v != var);
        Derivation {
            arena,
            var,
            held,
            steps,
            names,
            capped,
        }
    }

    pub fn var(&self) -> Var {
        self.var
    }

    /// The variable treated as a constant, for a partial derivative.
    pub fn held_constant(&self) -> Option<Var> {
        self.held
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether some sub-derivations were folded to keep this one short.
    pub fn is_capped(&self) -> bool {
        self.capped
    }

    pub fn arena(&self) -> &Arena {
        &self.arena
    }

    /// A step's expression in the input grammar (it parses back).
    pub fn expr_text(&self, index: usize) -> String {
        self.arena.to_text(self.steps[index].expr)
    }

    /// A step's derivative in the input grammar.
    pub fn derivative_text(&self, index: usize) -> String {
        self.arena.to_text(self.steps[index].derivative)
    }

    /// The name a step's expression goes by in later steps.
    pub fn name(&self, index: usize) -> Option<&str> {
        self.names.get(&self.steps[index].expr).map(String::as_str)
    }

    /// A chain step's outer function g and g′ written in the variable `u`, and the inner
    /// sub-expression u stands for, all in the input grammar (u aside): the JSON's
    /// `outer`, `outer_derivative` and `inner`.
    pub fn outer_texts(&self, index: usize) -> Option<(String, String, String)> {
        let step = &self.steps[index];
        let outer = step.outer.as_ref()?;
        let inner = self.steps[*step.uses.last()?].expr;
        let u = Names::from([(outer.at, "u".to_string())]);
        Some((
            self.arena.to_text_named(outer.expr, &u, usize::MAX),
            self.arena.to_text_named(outer.derivative, &u, usize::MAX),
            self.arena.to_text(inner),
        ))
    }

    /// The inner function's name in a chain step (u unless the derivation named it otherwise).
    fn inner_name(&self, step: &Step) -> String {
        step.uses
            .last()
            .and_then(|&i| self.name(i))
            .unwrap_or("u")
            .to_string()
    }

    /// What step `index` asks for with no names in it (`(sin(2·x²) + 1)′`), for a heading
    /// that is read before the steps which define the names.
    pub fn asked_unnamed(&self, index: usize, max_len: usize) -> String {
        let expr = pretty(&self.arena.to_text_named(
            self.steps[index].expr,
            &Names::new(),
            max_len,
        ));
        match self.held {
            None => format!("({expr})′"),
            Some(_) => format!("∂/∂{} ({expr})", self.var.name()),
        }
    }

    /// Step `index` for reading, each part cut to about `max_len` bytes.
    pub fn step_text(&self, index: usize, max_len: usize) -> StepText {
        let step = &self.steps[index];
        let name = self.name(index);
        // A step's own name stands for its expression everywhere but in its own line.
        let mut names = self.names.clone();
        names.remove(&step.expr);
        let expr = pretty(&self.arena.to_text_named(step.expr, &names, max_len));
        let asked = match (name, self.held) {
            (Some(n), None) => format!("{n}′"),
            (Some(n), Some(_)) => format!("∂{n}/∂{}", self.var.name()),
            (None, None) => format!("({expr})′"),
            (None, Some(_)) => format!("∂/∂{} ({expr})", self.var.name()),
        };
        let outer = step.outer.as_ref().map(|o| {
            let u = self.inner_name(step);
            let at = Names::from([(o.at, u.clone())]);
            OuterText {
                rule: o.rule.name(),
                formula: o.rule.formula(),
                asked: format!(
                    "d/d{u} ({})",
                    pretty(&self.arena.to_text_named(o.expr, &at, max_len))
                ),
                result: pretty(&self.arena.to_text_named(o.derivative, &at, max_len)),
            }
        });
        StepText {
            outer,
            rule: step.rule.name(),
            formula: step.rule.formula(),
            name: name.map(|n| format!("{n} = {expr}")),
            asked,
            applied: pretty(&self.arena.formula_text(&step.applied, &self.names, max_len)),
            result: pretty(
                &self
                    .arena
                    .to_text_named(step.derivative, &Names::new(), max_len),
            ),
        }
    }

    /// The whole derivation as plain text, one step in two lines, for the CLI.
    pub fn to_text(&self, max_len: usize) -> String {
        let mut out = String::new();
        if let Some(held) = self.held {
            out.push_str(&format!(
                "∂f/∂{}, treating {} as a constant:\n",
                self.var.name(),
                held.name()
            ));
        } else {
            out.push_str("f′(x):\n");
        }
        for index in 0..self.steps.len() {
            let t = self.step_text(index, max_len);
            let uses = &self.steps[index].uses;
            let uses = if uses.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = uses.iter().map(|u| (u + 1).to_string()).collect();
                format!("  (uses {})", list.join(", "))
            };
            let folded = if self.steps[index].folded {
                "  (its own steps folded)"
            } else {
                ""
            };
            out.push_str(&format!(
                "{:>4}. {} — {}{uses}{folded}\n      ",
                index + 1,
                t.rule,
                t.formula
            ));
            if let Some(o) = &t.outer {
                out.push_str(&format!(
                    "{} — {}:  {} = {}\n      ",
                    o.rule, o.formula, o.asked, o.result
                ));
            }
            if let Some(name) = &t.name {
                out.push_str(&format!("{name}:  "));
            }
            out.push_str(&format!("{} = {}", t.asked, t.applied));
            if t.result != t.applied {
                out.push_str(&format!(" = {}", t.result));
            }
            out.push('\n');
        }
        if self.capped {
            out.push_str(&format!(
                "      (long derivation: beyond {MAX_DETAILED} sub-expressions, inner steps are folded)\n"
            ));
        }
        out
    }
}

/// Names u, v, w… for the compound expressions that a chain rule takes as its inner function or
/// that more than one later step uses, in the order they appear.
fn name_shared(arena: &Arena, steps: &[Step]) -> Names {
    let mut used = vec![0usize; steps.len()];
    let mut chained = vec![false; steps.len()];
    for step in steps {
        for &u in &step.uses {
            used[u] += 1;
        }
        if step.rule == Rule::Chain
            && let Some(&inner) = step.uses.last()
        {
            chained[inner] = true;
        }
    }
    let mut names = Names::new();
    for (i, step) in steps.iter().enumerate() {
        let compound = !matches!(arena.node(step.expr), Node::Const(_) | Node::Var(_));
        if compound && (chained[i] || used[i] > 1) && !names.contains_key(&step.expr) {
            let name = name_for(names.len());
            names.insert(step.expr, name);
        }
    }
    names
}

/// u, v, w, p, q, r, s, then u₂, v₂…
fn name_for(k: usize) -> String {
    const LETTERS: [&str; 7] = ["u", "v", "w", "p", "q", "r", "s"];
    let letter = LETTERS[k % LETTERS.len()];
    match k / LETTERS.len() {
        0 => letter.to_string(),
        n => {
            let digits: String = (n + 1)
                .to_string()
                .chars()
                .map(|d| {
                    ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'][(d as u8 - b'0') as usize]
                })
                .collect();
            format!("{letter}{digits}")
        }
    }
}

#[cfg(test)]
mod tests;
