//! The function panel: a preset picker (captions as tooltips), the expression field with its
//! parse error shown under it (caret in monospace) while the last good function stays drawn,
//! the symbolic derivatives and Hessian in textbook form, and the editable domain.

use super::number_field::{Check, number_field};
use super::steps::{self, Which};
use super::{Model, hotkey_presets};

pub const EXPRESSION_ID: &str = "expression";

pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    ui.heading("Function");
    let current = model
        .preset()
        .map_or_else(|| "custom".to_string(), |p| p.title.clone());
    let hotkeys = hotkey_presets();
    let mut picked = None;
    egui::ComboBox::from_label("preset")
        .selected_text(current)
        .width(220.0)
        .show_ui(ui, |ui| {
            for preset in crate::presets::catalog() {
                let key = hotkeys
                    .iter()
                    .position(|p| p.name == preset.name)
                    .map_or(String::new(), |i| format!("  [{}]", i + 1));
                let dims = if preset.dims() == 1 { " (1-D)" } else { "" };
                let selected = model.state.preset.as_deref() == Some(preset.name.as_str());
                if ui
                    .selectable_label(selected, format!("{}{dims}{key}", preset.title))
                    .on_hover_text(format!("{}\n\nf = {}", preset.caption, preset.expr))
                    .clicked()
                {
                    picked = Some(preset);
                }
            }
        })
        .response
        .on_hover_text("A catalog function with a domain worth looking at. Keys 1–9 pick the first nine 2-D ones.");
    if let Some(preset) = picked {
        model.apply_preset(preset);
    }

    if let Some(data) = model.data() {
        // The surface is the data objective's loss; the field below still holds the last
        // expression, which typing brings back.
        ui.label(format!(
            "f(θ0, θ1) = mean loss over {} rows (Data panel)",
            data.table.rows()
        ))
        .on_hover_text(format!(
            "{}\n\nTyping an expression below leaves the data for it.",
            model.function().source()
        ));
    }
    let mut text = model.state.source.clone();
    let response = ui
        .horizontal(|ui| {
            let label = ui.label(if model.dims() == 1 {
                "f(x) ="
            } else {
                "f(x, y) ="
            });
            ui.add(
                egui::TextEdit::singleline(&mut text)
                    .id_salt(EXPRESSION_ID)
                    .font(egui::TextStyle::Monospace)
                    .desired_width(f32::INFINITY)
                    .hint_text("e.g. sin(x*y) or x^2 + 3y^2"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Type f: numbers, + - * / ^, implicit products (2x, x y), pi, e, and \
                 sin cos tan exp ln sqrt abs … An expression without y is 1-D.",
            )
        })
        .inner;
    let now = ui.input(|i| i.time);
    if response.changed() {
        model.edit_source(&text, now);
    }
    // Enter, or leaving the field, commits at once; otherwise a parsing text rests first.
    if let Some(wait) = model.settle_source(now, response.lost_focus()) {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(wait));
    }
    if let Some(error) = model.parse_error() {
        ui.colored_label(ui.visuals().error_fg_color, &error.message)
            .on_hover_text("The surface still shows the last expression that parsed.");
        ui.label(
            egui::RichText::new(error.caret_lines())
                .monospace()
                .color(ui.visuals().error_fg_color),
        );
        ui.weak(format!(
            "showing f = {}",
            shortened(&model.state.good_source)
        ));
    }

    derivatives(ui, model);
    domain(ui, model);
}

/// Characters of the last good expression the error line repeats (a pasted expression may be
/// thousands long).
const SHOWN_SOURCE_CHARS: usize = 120;

/// `source`, cut to its first [`SHOWN_SOURCE_CHARS`] characters with a count of the rest.
fn shortened(source: &str) -> String {
    let total = source.chars().count();
    if total <= SHOWN_SOURCE_CHARS {
        return source.to_string();
    }
    let head: String = source.chars().take(SHOWN_SOURCE_CHARS).collect();
    format!("{head}… ({} more characters)", total - SHOWN_SOURCE_CHARS)
}

// What each derivative's name says on hover.
const HELP_F_PRIME: &str = "The symbolic derivative, simplified.";
const HELP_F_SECOND: &str = "The second derivative: how the slope changes.";
const HELP_FX: &str = "The symbolic partial derivative along x, simplified.";
const HELP_FY: &str = "The symbolic partial derivative along y, simplified.";
const HELP_FXX: &str = "A Hessian entry: how ∂f/∂x changes along x.";
const HELP_FXY: &str = "The mixed partial ∂/∂y(∂f/∂x): how the slope along x changes along y. It \
                        equals ∂/∂x(∂f/∂y) wherever both are continuous (Schwarz), which is why \
                        the Hessian is symmetric.";
const HELP_FYY: &str = "A Hessian entry: how ∂f/∂y changes along y.";

/// The symbolic derivatives, simplified and printed as in a textbook (x², ·, √), each with how
/// it came out, rule by rule, under "Show the steps".
fn derivatives(ui: &mut egui::Ui, model: &Model) {
    let function = model.function();
    // Capped: the full text of a huge derivative would be laid out every frame.
    let show = |&id: &crate::math::Id| {
        crate::math::pretty(&function.text_within(id, crate::function::MAX_SHOWN_SYMBOLS))
    };
    let gradient: Vec<String> = function.gradient_ids().iter().map(show).collect();
    let hessian: Vec<String> = function.hessian_ids().iter().map(show).collect();
    let rows: &[(&str, Which, &str)] = if model.dims() == 1 {
        &[
            ("f′(x)", Which::Gradient(0), HELP_F_PRIME),
            ("f″(x)", Which::Hessian(0, 0), HELP_F_SECOND),
        ]
    } else {
        &[
            ("∂f/∂x", Which::Gradient(0), HELP_FX),
            ("∂f/∂y", Which::Gradient(1), HELP_FY),
            ("∂²f/∂x²", Which::Hessian(0, 0), HELP_FXX),
            ("∂²f/∂y∂x", Which::Hessian(0, 1), HELP_FXY),
            ("∂²f/∂y²", Which::Hessian(1, 1), HELP_FYY),
        ]
    };
    // A data objective's variables are its parameters.
    let data = model.data().is_some();
    for &(name, which, help) in rows {
        let text = match which {
            Which::Gradient(i) => &gradient[i],
            // Row-major, `dims` entries a row.
            Which::Hessian(i, j) => &hessian[i * model.dims() + j],
        };
        let name = if data {
            name.replace('x', "θ₀").replace('y', "θ₁")
        } else {
            name.to_string()
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{name} =")).on_hover_text(help);
            ui.label(egui::RichText::new(text.as_str()).monospace());
        });
        // "The rules at work" shows f′'s derivation open, beside the plots.
        if which == Which::Gradient(0) && super::notebook::lesson_shows_steps(model) {
            ui.strong("f′ by the rules");
            ui.push_id("lesson steps", |ui| steps::show(ui, model, which, true));
        } else {
            ui.push_id(which, |ui| steps::expander(ui, model, which));
        }
    }
}

/// The x (and y) range shown, typed: a bound is committed on Enter or when its field loses
/// focus, and refused with the reason (the field in the error colour, its last good value kept)
/// when the range it makes is empty, not finite or too large to draw.
fn domain(ui: &mut egui::Ui, model: &mut Model) {
    let current = model.state.domain;
    let axes: &[(&str, usize)] = if model.dims() == 1 {
        &[("x", 0)]
    } else {
        &[("x", 0), ("y", 1)]
    };
    let mut wanted = None;
    let mut notice = model.notice.take();
    for &(name, axis) in axes {
        let range = if axis == 0 { current.x } else { current.y };
        ui.horizontal(|ui| {
            ui.label(format!("{name} from"));
            let speed = (range[1] - range[0]).abs().max(1e-9) * 0.005;
            for end in 0..2 {
                if end == 1 {
                    ui.label("to");
                }
                let with = |v: f64| {
                    let mut domain = current;
                    let r = if axis == 0 {
                        &mut domain.x
                    } else {
                        &mut domain.y
                    };
                    r[end] = v;
                    domain
                };
                let field_name = format!("{name} {}", if end == 0 { "from" } else { "to" });
                let field =
                    number_field(
                        ui,
                        &field_name,
                        range[end],
                        speed,
                        |v| match super::check_domain(&with(v)) {
                            Ok(()) => Check::Accept(v),
                            Err(why) => Check::Refuse(why),
                        },
                    );
                field.report(&mut notice);
                field.response.on_hover_text(format!(
                    "The {name} range shown and searched. Drag, or click and type a number \
                     (Enter applies it); the surface is evaluated again."
                ));
                if let Some(v) = field.value {
                    wanted = Some(with(v));
                }
            }
        });
    }
    model.notice = notice;
    if let Some(domain) = wanted
        && let Err(why) = model.set_domain(domain)
    {
        model.notice = Some((why, true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_expression_is_shown_cut() {
        assert_eq!(shortened("x^2"), "x^2");
        let long = "x+".repeat(2500) + "x";
        let shown = shortened(&long);
        assert!(shown.chars().count() < 160, "{shown}");
        assert!(shown.ends_with("(4881 more characters)"), "{shown}");
    }
}
