//! The runs side by side under their cards: final f, steps, status and steps to a tolerance,
//! sortable by a click on a column's name, so that "which optimizer did best here" is read off
//! a table rather than from six cards.

use super::{Model, color32};
use crate::optim::Status;

/// "steps to tol" counts the steps until ‖∇f‖ first falls to this.
pub const TABLE_TOL: f64 = 1e-6;

/// A column the table can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Run,
    FinalValue,
    Steps,
    Status,
    StepsToTol,
}

impl Column {
    const ALL: [Column; 5] = [
        Column::Run,
        Column::FinalValue,
        Column::Steps,
        Column::Status,
        Column::StepsToTol,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Run => "run",
            Column::FinalValue => "final f",
            Column::Steps => "steps",
            Column::Status => "status",
            Column::StepsToTol => "steps to tol",
        }
    }
}

/// One run's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The run's index in the Runs panel.
    pub run: usize,
    pub name: String,
    pub color: [f32; 4],
    pub final_value: f64,
    pub steps: usize,
    pub status: String,
    /// The first step with ‖∇f‖ ≤ [`TABLE_TOL`]; None if it never got there.
    pub steps_to_tol: Option<usize>,
}

/// The unmuted runs that ran, in `column`'s order (ascending unless `descending`); NaN and
/// "never" sort last either way, so a blow-up never heads the table as "best".
pub fn rows(model: &Model, column: Column, descending: bool) -> Vec<Row> {
    let mut rows: Vec<Row> = model
        .shown_runs()
        .filter_map(|(i, run, t)| {
            let last = t.last()?;
            let status = match t.status {
                Status::MaxSteps if crate::optim::diverging(t).is_some() => "diverging".into(),
                other => other.to_string(),
            };
            Some(Row {
                run: i,
                name: format!("{} {}", i + 1, crate::workspace::run_legend(run)),
                color: run.color,
                final_value: last.value,
                steps: t.steps.len().saturating_sub(1),
                status,
                steps_to_tol: t.steps.iter().position(|s| s.grad_norm() <= TABLE_TOL),
            })
        })
        .collect();
    let key = |r: &Row| -> (bool, f64, String) {
        match column {
            Column::Run => (false, r.run as f64, String::new()),
            Column::FinalValue => (!r.final_value.is_finite(), r.final_value, String::new()),
            Column::Steps => (false, r.steps as f64, String::new()),
            Column::Status => (false, 0.0, r.status.clone()),
            Column::StepsToTol => (
                r.steps_to_tol.is_none(),
                r.steps_to_tol.map_or(0.0, |s| s as f64),
                String::new(),
            ),
        }
    };
    rows.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        // Missing values last in both directions; the rest by value, then by text.
        ka.0.cmp(&kb.0).then_with(|| {
            let order = ka.1.total_cmp(&kb.1).then_with(|| ka.2.cmp(&kb.2));
            if descending { order.reverse() } else { order }
        })
    });
    rows
}

fn sort_id() -> egui::Id {
    egui::Id::unique("gradscape run table sort")
}

/// The table, with its sort kept in the UI's memory (a click on the sorted column reverses it).
pub(super) fn show(ui: &mut egui::Ui, model: &Model) {
    let (column, descending) = ui
        .ctx()
        .data(|d| d.get_temp::<(Column, bool)>(sort_id()))
        .unwrap_or((Column::Run, false));
    let rows = rows(model, column, descending);
    if rows.len() < 2 {
        return;
    }
    ui.label(egui::RichText::new("Compare runs").strong())
        .on_hover_text(format!(
            "Click a column's name to sort by it (again to reverse). Steps to tol: the first \
             step with ‖∇f‖ ≤ {TABLE_TOL:e}."
        ));
    let mut clicked = None;
    egui::Grid::new("run table")
        .striped(true)
        .num_columns(Column::ALL.len())
        .show(ui, |ui| {
            for c in Column::ALL {
                let arrow = match (c == column, descending) {
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                    (false, _) => "",
                };
                if ui.small_button(format!("{}{arrow}", c.title())).clicked() {
                    clicked = Some(c);
                }
            }
            ui.end_row();
            for row in &rows {
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, color32(row.color));
                    ui.label(&row.name);
                });
                ui.label(super::format_value(row.final_value));
                ui.label(row.steps.to_string());
                ui.label(&row.status);
                ui.label(
                    row.steps_to_tol
                        .map_or("never".to_owned(), |s| s.to_string()),
                );
                ui.end_row();
            }
        });
    if let Some(c) = clicked {
        let next = (c, c == column && !descending);
        ui.ctx().data_mut(|d| d.insert_temp(sort_id(), next));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optim::OptimizerKind;
    use crate::ui::{AppState, RunConfig};

    fn model() -> Model {
        // Himmelblau from (−2, −2): sgd 0.01 converges slowly, adam 0.1 faster, sgd 0.05
        // blows up.
        Model::new(AppState {
            runs: vec![
                RunConfig::new(OptimizerKind::Sgd, 0.01, 0),
                RunConfig::new(OptimizerKind::Adam, 0.1, 1),
                RunConfig::new(OptimizerKind::Sgd, 0.05, 2),
            ],
            ..AppState::default()
        })
    }

    #[test]
    fn the_table_sorts_by_final_f_with_a_blow_up_last_either_way() {
        let model = model();
        let order = |column, descending| -> Vec<usize> {
            rows(&model, column, descending)
                .iter()
                .map(|r| r.run)
                .collect()
        };
        assert_eq!(order(Column::Run, false), [0, 1, 2]);
        assert_eq!(order(Column::Run, true), [2, 1, 0]);
        let rows = rows(&model, Column::FinalValue, false);
        assert!(rows[0].final_value <= rows[1].final_value, "{rows:?}");
        assert_eq!(rows[2].run, 2, "the blow-up last: {rows:?}");
        let down = order(Column::FinalValue, true);
        assert_eq!(down[2], 2, "last reversed too");
        let tol = super::rows(&model, Column::StepsToTol, false);
        assert!(tol[2].steps_to_tol.is_none(), "never: {tol:?}");
    }
}
