//! "Show the steps" and the Rules window through the real UI (`gradscape::ui::show` under
//! egui_kittest on a wgpu adapter): numbered steps for the lessons' functions, in the function
//! panel's expander and beside the plots of "The rules at work", and the table of rules.
//!
//! `STEPS_SNAPSHOT_DIR=/tmp cargo test --test steps_ui` also writes steps-*.png there to look at.

use super::harness::{click, lesson_index, model_harness, save_snapshot};

use egui_kittest::{Harness, kittest::Queryable};
use gradscape::ui::{AppState, Model, RULES_TITLE, SHOW_STEPS, apply_lesson};

fn harness(model: Model) -> Harness<'static, Model> {
    model_harness(model, 1280.0, 900.0)
}

fn snapshot(h: &mut Harness<'static, Model>, name: &str) {
    save_snapshot(h, "STEPS_SNAPSHOT_DIR", &format!("steps-{name}"));
}

fn model_on(expr: &str) -> Model {
    let mut model = Model::new(AppState::default());
    model.set_source(expr);
    model
}

#[test]
fn the_expander_shows_numbered_steps_for_the_lessons_functions() {
    for (expr, root, row) in [
        (
            "x^3 + cos(x)",
            "4. sum: (x³ + cos(x))′",
            "4. sum — (u + v)′ = u′ + v′ — (x³ + cos(x))′ = 3·x² + (-sin(x)) = 3·x² - sin(x)",
        ),
        (
            "sin(2x^2) + 1",
            // The heading names no letter that only the steps inside it define.
            "7. sum: (sin(2·x²) + 1)′",
            "7. sum — (u + v)′ = u′ + v′ — (sin(u) + 1)′ = 4·x·cos(u) + 0 = 4·x·cos(2·x²)",
        ),
    ] {
        let mut h = harness(model_on(expr));
        h.run();
        assert!(h.query_by_label(root).is_none(), "folded until asked");
        // The first expander is f′'s.
        h.get_all_by_label(SHOW_STEPS).next().unwrap().click();
        h.run();
        h.get_by_label(root);
        h.get_by_label(row);
        // Sub-derivations fold; opening one shows its own numbered steps.
        let first_sub = if expr.starts_with("x^3") {
            "2. power: (x³)′"
        } else {
            "5. chain: (sin(2·x²))′"
        };
        h.get_by_label(first_sub).click();
        h.run();
        let inner = if expr.starts_with("x^3") {
            "1. variable — (x)′ = 1 — (x)′ = 1"
        } else {
            "sin — (sin(x))′ = cos(x) — u = 2·x²: d/du (sin(u)) = cos(u)"
        };
        h.get_by_label(inner);
        snapshot(
            &mut h,
            if expr.starts_with("x^3") {
                "expander-cubic"
            } else {
                "expander-sin"
            },
        );
    }
}

#[test]
fn the_rules_lesson_shows_the_derivation_beside_the_plots() {
    for title in [
        "The rules at work: x³ + cos(x)",
        "The rules at work: sin(2x²) + 1",
    ] {
        let index = lesson_index(title);
        let mut model = Model::new(AppState::default());
        apply_lesson(&mut model, index);
        let mut h = harness(model);
        h.run();
        h.get_by_label("f′ by the rules");
        // Every step is open in the lesson, down to step 1.
        if title.contains("cos") {
            h.get_by_label("1. variable — (x)′ = 1 — (x)′ = 1");
        } else {
            h.get_by_label("1. constant — (c)′ = 0 — (2)′ = 0");
            assert!(h.get_all_by_label_contains("u = 2·x²").count() >= 1);
            h.get_by_label_contains("5. chain — (f(g(x)))′ = f′(g(x))·g′(x)");
            snapshot(&mut h, "lesson-sin");
        }
    }
}

#[test]
fn the_rules_window_opens_from_the_menu_and_from_a_step() {
    let mut h = harness(model_on("sin(2x^2) + 1"));
    h.run();
    assert!(h.query_by_label("(f(g(x)))′ = f′(g(x))·g′(x)").is_none());
    h.get_by_role_and_label(egui::accesskit::Role::Button, RULES_TITLE)
        .click();
    h.run();
    h.get_by_label("(f(g(x)))′ = f′(g(x))·g′(x)");
    h.get_by_label("(u·v)′ = u′·v + u·v′");
    snapshot(&mut h, "rules");
    // Closed, then opened again from the expander's button.
    click(&mut h, "Close window");
    assert!(h.query_by_label("(u·v)′ = u′·v + u·v′").is_none());
    h.get_all_by_label(SHOW_STEPS).next().unwrap().click();
    h.run();
    h.get_all_by_label("Rules…").next().unwrap().click();
    h.run();
    h.get_by_label("(u·v)′ = u′·v + u·v′");
}
