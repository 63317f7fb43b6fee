//! "Show the steps": how a derivative came out, rule by rule, each sub-derivation collapsible
//! (the differentiator's own record, `math::Derivation`), and the Rules window with the
//! notebook's table, each rule with a one-line sketch of why it holds.

use std::collections::HashSet;
use std::sync::Arc;

use super::Model;
use crate::math::{Derivation, Rule};

pub const SHOW_STEPS: &str = "Show the steps";
pub const RULES_TITLE: &str = "Rules";
/// Each part of a step (expression, rule applied, result) is cut off past this many bytes.
const TEXT_BYTES: usize = 160;
/// Step rows drawn at most; a derivation is already capped, this keeps one frame cheap too.
const MAX_ROWS: usize = 120;

/// Which derivative of the function panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Which {
    /// ∂f/∂x_i.
    Gradient(usize),
    /// Hessian entry (i, j): ∂/∂x_j of ∂f/∂x_i.
    Hessian(usize, usize),
}

/// The expander under one derivative's row; the derivation is made only while it is open.
pub(super) fn expander(ui: &mut egui::Ui, model: &Model, which: Which) {
    egui::CollapsingHeader::new(SHOW_STEPS)
        .id_salt(("show steps", which))
        .show(ui, |ui| show(ui, model, which, false));
}

/// The derivation of one derivative of the model's function: the rule of f itself, open, with
/// its sub-derivations beneath it, folded unless `expand`.
pub(crate) fn show(ui: &mut egui::Ui, model: &Model, which: Which, expand: bool) {
    let Some(derivation) = derivation(ui.ctx(), model, which) else {
        return;
    };
    if let Some(held) = derivation.held_constant() {
        ui.weak(format!(
            "∂/∂{}: treat {} as a constant.",
            derivation.var().name(),
            held.name()
        ));
    }
    let Some(root) = derivation.steps().len().checked_sub(1) else {
        return;
    };
    let mut block = Block {
        d: &derivation,
        which,
        expand,
        shown: HashSet::from([root]),
        rows: 0,
    };
    block.show(ui, root, true);
    let rows = block.rows;
    if derivation.is_capped() || rows >= MAX_ROWS {
        ui.weak("A long derivation: its innermost steps are folded.");
    }
    if ui
        .small_button("Rules…")
        .on_hover_text("The table of rules, each with why it holds.")
        .clicked()
    {
        open_rules(ui.ctx(), None);
    }
}

/// The derivation for `which`, kept in egui's memory while the function stays the same.
fn derivation(ctx: &egui::Context, model: &Model, which: Which) -> Option<Arc<Derivation>> {
    let key = egui::Id::unique(("derivation", which));
    let function = model.function();
    let source = function.source().to_string();
    if let Some((cached_source, d)) = ctx.data(|d| d.get_temp::<(String, Arc<Derivation>)>(key))
        && cached_source == source
    {
        return Some(d);
    }
    let d = Arc::new(match which {
        Which::Gradient(i) => function.derivation(i)?,
        Which::Hessian(i, j) => function.hessian_derivation(i, j)?,
    });
    ctx.data_mut(|data| data.insert_temp(key, (source, d.clone())));
    Some(d)
}

/// What drawing one derivation keeps track of.
struct Block<'a> {
    d: &'a Derivation,
    which: Which,
    expand: bool,
    /// Steps already drawn: a step used twice is derived once, the second use points back.
    shown: HashSet<usize>,
    rows: usize,
}

impl Block<'_> {
    /// Step `index`: a plain row when it used no earlier step, else a collapsible block with
    /// the steps it used and then its own row.
    fn show(&mut self, ui: &mut egui::Ui, index: usize, open: bool) {
        if self.rows >= MAX_ROWS {
            return;
        }
        let d = self.d;
        let step = &d.steps()[index];
        if step.uses.is_empty() {
            step_row(ui, d, index);
            self.rows += 1;
            return;
        }
        // The heading is read before the steps inside it, where u, v… are defined: no names.
        let asked = d.asked_unnamed(index, TEXT_BYTES);
        egui::CollapsingHeader::new(format!("{}. {}: {asked}", index + 1, step.rule.name()))
            .id_salt(("step", self.which, index))
            .default_open(open || self.expand)
            .show(ui, |ui| {
                for &used in &step.uses {
                    if self.shown.insert(used) {
                        self.show(ui, used, false);
                    } else {
                        ui.weak(format!("uses step {} (above)", used + 1));
                    }
                }
                step_row(ui, d, index);
                self.rows += 1;
            });
    }
}

/// "n. rule — formula of the rule — applied here — result"; a click shows the rule's row of
/// the table.
fn step_row(ui: &mut egui::Ui, d: &Derivation, index: usize) {
    let step = &d.steps()[index];
    let t = d.step_text(index, TEXT_BYTES);
    if let Some(o) = &t.outer {
        // The outer function's own rule, in u, on the line before the chain rule uses it; u is
        // defined on the line itself, since the step that names it may be folded.
        let defined = step
            .uses
            .last()
            .and_then(|&inner| d.step_text(inner, TEXT_BYTES).name)
            .map(|name| format!("{name}: "))
            .unwrap_or_default();
        let line = format!(
            "{} — {} — {defined}{} = {}",
            o.rule, o.formula, o.asked, o.result
        );
        let response = ui
            .add(egui::Label::new(line).sense(egui::Sense::click()))
            .on_hover_text("Click: this rule in the table of rules.");
        if response.clicked() {
            open_rules(ui.ctx(), step.outer.as_ref().map(|o| o.rule));
        }
    }
    let mut line = format!("{}. {} — {} — ", index + 1, t.rule, t.formula);
    if let Some(name) = &t.name {
        line.push_str(&format!("{name}: "));
    }
    line.push_str(&format!("{} = {}", t.asked, t.applied));
    if t.result != t.applied {
        line.push_str(&format!(" = {}", t.result));
    }
    if step.folded {
        line.push_str("  (its own steps folded)");
    }
    let response = ui
        .add(egui::Label::new(line).sense(egui::Sense::click()))
        .on_hover_text("Click: this rule in the table of rules.");
    if response.clicked() {
        open_rules(ui.ctx(), Some(step.rule));
    }
}

fn rules_open_id() -> egui::Id {
    egui::Id::unique("rules window open")
}

fn rules_highlight_id() -> egui::Id {
    egui::Id::unique("rules window highlight")
}

/// Opens the Rules window, with `rule`'s row picked out.
pub(crate) fn open_rules(ctx: &egui::Context, rule: Option<Rule>) {
    ctx.data_mut(|d| {
        d.insert_temp(rules_open_id(), true);
        d.insert_temp(rules_highlight_id(), rule.map(Rule::name));
    });
}

/// The Rules window, while open: the notebook's table, one row per rule.
pub(crate) fn rules_window(ctx: &egui::Context) {
    let mut open = ctx.data(|d| d.get_temp::<bool>(rules_open_id()).unwrap_or(false));
    if !open {
        return;
    }
    let highlight = ctx.data(|d| {
        d.get_temp::<Option<&'static str>>(rules_highlight_id())
            .flatten()
    });
    egui::Window::new(RULES_TITLE)
        .open(&mut open)
        .default_width(640.0)
        .vscroll(true)
        .show(ctx, |ui| {
            ui.label(
                "The rules of differentiation, as the notebook gives them: c is a constant, u \
                 and v are functions of x. Each line says why the rule holds, from the limit of \
                 (f(x + h) − f(x))/h.",
            );
            egui::Grid::new("rules table")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for rule in Rule::table() {
                        let name = egui::RichText::new(rule.name());
                        if Some(rule.name()) == highlight {
                            ui.label(name.strong().underline());
                        } else {
                            ui.label(name);
                        }
                        ui.label(egui::RichText::new(rule.formula()).monospace());
                        ui.label(rule.proof());
                        ui.end_row();
                    }
                });
        });
    ctx.data_mut(|d| d.insert_temp(rules_open_id(), open));
}
