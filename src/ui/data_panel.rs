//! File → Open data… (a built-in set or a CSV path, and the model to fit) and the Data panel
//! (the set's columns, the model, loss, target and penalties of the objective on screen). A
//! spec that does not build keeps the last good objective, its problem shown by its field.

use super::Model;
use crate::format::number;
use crate::workspace::DataSpec;
use crate::workspace::{DataField, DataProblem};

/// Ctrl+D: open a data set.
pub const OPEN_DATA: egui::KeyboardShortcut =
    egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::D);
/// The Open data… window's title.
pub const OPEN_DATA_TITLE: &str = "Open data";
/// The penalty sliders' upper end (A₂, A₁ beyond it can be typed).
const PENALTY_MAX: f64 = 10.0;

/// The Open data… window while it is open: the set (a built-in's name or a CSV path) and the
/// model, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenData {
    pub source: String,
    pub model: String,
}

/// The model a set opens with: the chapter's for the built-ins, a line on the first column
/// for a CSV.
pub fn default_model(source: &str) -> String {
    match source.trim() {
        "iris" => "logistic:petal_width".into(),
        "linear" | "ridge" => "linear:x".into(),
        path => crate::data::load_table(path)
            .ok()
            .and_then(|t| t.columns().first().map(|c| format!("linear:{c}")))
            .unwrap_or_else(|| "linear:x".into()),
    }
}

/// The File menu's entry.
pub(super) fn menu_item(ui: &mut egui::Ui, model: &mut Model) {
    let hover = "Train a model on a data set: f(θ0, θ1) becomes the model's loss over the rows, \
                 and the Data tab shows the data with the model's curve.";
    super::file_menu::entry(ui, "Open data…", &OPEN_DATA, Some(hover), || start(model));
}

/// Ctrl+D.
pub(super) fn keys(ui: &egui::Ui, model: &mut Model) {
    if ui.input_mut(|i| i.consume_shortcut(&OPEN_DATA)) {
        start(model);
    }
}

fn start(model: &mut Model) {
    let source = model
        .state
        .data
        .as_ref()
        .map_or_else(|| "linear".to_string(), |d| d.source.clone());
    let model_text = model
        .state
        .data
        .as_ref()
        .map_or_else(|| default_model(&source), |d| d.model.clone());
    model.data_dialog = Some(OpenData {
        source,
        model: model_text,
    });
}

/// Opens the set of the dialog, saying how it went; true when it opened.
pub fn open(model: &mut Model, source: &str, model_text: &str) -> bool {
    match model.open_data(DataSpec::new(source.trim(), model_text.trim())) {
        Ok(()) => {
            let rows = model.data().map_or(0, |d| d.table.rows());
            model.notice = Some((format!("Opened {} ({rows} rows).", source.trim()), false));
            model.state.layout.tab = super::layout::PanelTab::Data;
            true
        }
        Err(problem) => {
            model.notice = Some((
                format!("Could not open {}: {}", source.trim(), problem.message),
                true,
            ));
            false
        }
    }
}

/// The Open data… window.
pub(super) fn dialog(ctx: &egui::Context, model: &mut Model) {
    let Some(mut open_data) = model.data_dialog.clone() else {
        return;
    };
    let mut keep_open = true;
    let mut chosen = false;
    egui::Window::new(OPEN_DATA_TITLE)
        .open(&mut keep_open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label("A built-in data set:");
            ui.horizontal(|ui| {
                for b in &crate::data::BUILTINS {
                    if ui
                        .selectable_label(open_data.source == b.name, b.name)
                        .on_hover_text(b.description)
                        .clicked()
                    {
                        open_data.source = b.name.to_string();
                        open_data.model = default_model(b.name);
                    }
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("or a CSV file:");
                // A built-in's name is not a path: the field shows only a path typed.
                let builtin = crate::data::BUILTINS
                    .iter()
                    .any(|b| b.name == open_data.source);
                let mut path = if builtin {
                    String::new()
                } else {
                    open_data.source.clone()
                };
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut path)
                            .hint_text("path/to/data.csv")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id)
                    .on_hover_text(
                        "A header row of column names, then rows of numbers (CLI.md, \"Data \
                         objectives\"). A file that is not one is refused with its line.",
                    );
                if response.changed() {
                    open_data.source = path;
                }
                if response.lost_focus() && open_data.source.ends_with(".csv") {
                    open_data.model = default_model(&open_data.source);
                }
            });
            ui.horizontal(|ui| {
                model_field(ui, "Model:", &mut open_data.model, "open data model", 220.0);
            });
            if let Some(problem) = model.data_problem()
                && model.state.data.as_ref() != Some(&*problem.spec)
            {
                ui.colored_label(ui.visuals().error_fg_color, &problem.message);
            }
            ui.horizontal(|ui| {
                if ui
                    .button("Open")
                    .on_hover_text("Load the set and show the model's loss over (θ0, θ1).")
                    .clicked()
                {
                    chosen = true;
                }
                if ui.button("Cancel").clicked() {
                    model.data_dialog = None;
                }
            });
        });
    if model.data_dialog.is_none() {
        return;
    }
    model.data_dialog = keep_open.then_some(open_data.clone());
    if chosen && open(model, &open_data.source, &open_data.model) {
        model.data_dialog = None;
    }
}

const MODEL_HELP: &str = "The model's output for a row, in theta0, theta1 and the columns \
     (e.g. theta0 + theta1*x^2), or linear:COL (θ0 + θ1·COL) or logistic:COL (its logit, with \
     the logistic loss).";

/// The Data panel, in the inputs column while a data objective is on screen.
pub(super) fn show(ui: &mut egui::Ui, model: &mut Model) {
    let Some(loaded) = model.data() else {
        return;
    };
    let table = loaded.table.clone();
    let target_name = table.columns()[loaded.target].clone();
    let Some(mut spec) = model.data_spec_shown().cloned() else {
        return;
    };
    let problem = model.data_problem().cloned();
    ui.horizontal(|ui| {
        ui.heading("Data");
        ui.label(format!("{} · {} rows", table.name(), table.rows()))
            .on_hover_text(format!("The set on screen: {}", table.name()));
        if ui
            .small_button("Close data")
            .on_hover_text("Back to the expression of the Function panel.")
            .clicked()
        {
            model.close_data();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("columns:");
        for c in table.summary() {
            ui.monospace(&c.name).on_hover_text(format!(
                "{}: min {}, max {}, mean {}",
                c.name,
                number(c.min),
                number(c.max),
                number(c.mean)
            ));
        }
    });
    let before = spec.clone();
    model_row(ui, &mut spec, &table, &target_name);
    field_problem(ui, &problem, DataField::Model);
    loss_row(ui, &mut spec);
    field_problem(ui, &problem, DataField::Loss);
    target_row(ui, &mut spec, &table, &target_name);
    field_problem(ui, &problem, DataField::Target);
    penalty_row(
        ui,
        "L2",
        &mut spec.l2,
        "A₂·(θ0² + θ1²): ridge, pulls θ toward 0 smoothly.",
    );
    penalty_row(
        ui,
        "L1",
        &mut spec.l1,
        "A₁·(|θ0| + |θ1|): lasso, can set a θ exactly to 0.",
    );
    field_problem(ui, &problem, DataField::Penalty);
    if spec != before {
        model.set_data_spec(spec);
    }
}

/// The problem of `field`, under it.
fn field_problem(ui: &mut egui::Ui, problem: &Option<DataProblem>, field: DataField) {
    if let Some(p) = problem
        && p.field == field
    {
        ui.colored_label(ui.visuals().error_fg_color, &p.message)
            .on_hover_text("The surface still shows the last objective that built.");
    }
}

/// The model's text field after its `label`, `width_px` wide, in the row the caller lays out.
fn model_field(ui: &mut egui::Ui, label: &str, text: &mut String, id_salt: &str, width_px: f32) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(text)
            .id_salt(id_salt)
            .font(egui::TextStyle::Monospace)
            .desired_width(width_px),
    )
    .labelled_by(label.id)
    .on_hover_text(MODEL_HELP);
}

fn model_row(ui: &mut egui::Ui, spec: &mut DataSpec, table: &crate::data::Table, target: &str) {
    ui.horizontal(|ui| {
        model_field(ui, "model", &mut spec.model, "data model", 170.0);
        egui::ComboBox::from_id_salt("model shortcut")
            .selected_text("shortcuts")
            .show_ui(ui, |ui| {
                for column in table.columns().iter().filter(|c| *c != target) {
                    for form in ["linear", "logistic"] {
                        let text = format!("{form}:{column}");
                        if ui.selectable_label(spec.model == text, &text).clicked() {
                            spec.model = text;
                            // The model's form implies its loss.
                            spec.loss.clear();
                        }
                    }
                }
            })
            .response
            .on_hover_text("linear:COL is θ0 + θ1·COL; logistic:COL its logit (logistic loss).");
    });
}

/// The loss kinds the combo offers, with the text each puts in the spec.
const LOSSES: [(&str, &str); 6] = [
    ("model's default", ""),
    ("mse", "mse"),
    ("mae", "mae"),
    ("huber", "huber:1"),
    ("logistic", "logistic"),
    ("custom", "(m - t)^4"),
];

fn loss_kind(loss: &str) -> &'static str {
    match loss.trim() {
        "" => "model's default",
        "mse" => "mse",
        "mae" => "mae",
        "logistic" => "logistic",
        l if l.starts_with("huber:") => "huber",
        _ => "custom",
    }
}

fn loss_row(ui: &mut egui::Ui, spec: &mut DataSpec) {
    ui.horizontal(|ui| {
        let kind = loss_kind(&spec.loss);
        egui::ComboBox::from_label("loss")
            .selected_text(kind)
            .show_ui(ui, |ui| {
                for (name, text) in LOSSES {
                    if ui.selectable_label(kind == name, name).clicked() && kind != name {
                        spec.loss = text.to_string();
                    }
                }
            })
            .response
            .on_hover_text(
                "The per-row loss of the model's output m against the target t: mse (m − t)², \
                 mae |m − t|, huber (squared within D, linear beyond), logistic \
                 log(1 + eᵐ) − t·m (m a logit, t 0 or 1), or an expression in m and t.",
            );
        match kind {
            "huber" => {
                let mut d: f64 = spec
                    .loss
                    .trim_start_matches("huber:")
                    .parse()
                    .unwrap_or(1.0);
                if ui
                    .add(
                        egui::DragValue::new(&mut d)
                            .speed(0.01)
                            .range(1e-6..=1e6)
                            .prefix("D "),
                    )
                    .on_hover_text("Huber's delta: where the squared part turns linear.")
                    .changed()
                {
                    spec.loss = format!("huber:{d}");
                }
            }
            "custom" => {
                ui.add(
                    egui::TextEdit::singleline(&mut spec.loss)
                        .id_salt("data loss")
                        .font(egui::TextStyle::Monospace)
                        .desired_width(140.0),
                )
                .on_hover_text(
                    "The loss of one row, in m (the model's output) and t (the target).",
                );
            }
            _ => {}
        }
    });
}

fn target_row(ui: &mut egui::Ui, spec: &mut DataSpec, table: &crate::data::Table, shown: &str) {
    egui::ComboBox::from_label("target")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for column in table.columns() {
                if ui.selectable_label(column == shown, column).clicked() {
                    spec.target = column.clone();
                }
            }
        })
        .response
        .on_hover_text("The column the model predicts.");
}

fn penalty_row(ui: &mut egui::Ui, name: &str, value: &mut f64, help: &str) {
    ui.horizontal(|ui| {
        let mut v = *value;
        let response = ui
            .add(
                egui::Slider::new(&mut v, 0.0..=PENALTY_MAX)
                    .logarithmic(true)
                    .smallest_positive(1e-4)
                    .clamping(egui::SliderClamping::Never)
                    .text(name),
            )
            .on_hover_text(format!(
                "{help} 0: no penalty. Drag (log scale), or click the number and type."
            ));
        if response.changed() && v.is_finite() {
            *value = v.max(0.0);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_builtin_opens_with_the_chapters_model() {
        assert_eq!(default_model("iris"), "logistic:petal_width");
        assert_eq!(default_model("linear"), "linear:x");
        assert_eq!(default_model("no/such.csv"), "linear:x");
        for b in &crate::data::BUILTINS {
            let spec = DataSpec::new(b.name, &default_model(b.name));
            let mut model = Model::new(Default::default());
            assert!(model.open_data(spec).is_ok(), "{}", b.name);
        }
    }

    #[test]
    fn a_loss_is_shown_as_its_kind() {
        for (name, text) in LOSSES {
            assert_eq!(loss_kind(text), name);
        }
    }
}
