//! The function panel: a preset picker (captions as tooltips), the expression field with its
//! parse error shown under it (caret in monospace) while the last good function stays drawn,
//! and the symbolic partial derivatives.

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

    let mut text = model.state.source.clone();
    let response = ui
        .horizontal(|ui| {
            let label = ui.label("f(x, y) =");
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
    if response.changed() {
        model.set_source(&text);
    }
    if let Some(error) = model.parse_error() {
        ui.colored_label(ui.visuals().error_fg_color, &error.message)
            .on_hover_text("The surface still shows the last expression that parsed.");
        ui.label(
            egui::RichText::new(error.caret_lines())
                .monospace()
                .color(ui.visuals().error_fg_color),
        );
        ui.weak(format!("showing f = {}", model.state.good_source));
    }

    let gradient = model.function().gradient_texts();
    for (name, text) in ["∂f/∂x", "∂f/∂y"].into_iter().zip(&gradient) {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{name} ="))
                .on_hover_text("The symbolic partial derivative, simplified.");
            ui.label(egui::RichText::new(text).monospace());
        });
    }
}
