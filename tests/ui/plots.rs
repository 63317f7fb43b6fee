//! The run plots through the real UI after a run diverges: no panic, finite bounds, and axes
//! that come back once the run is fixed; the log plot names the runs it cannot show.

use super::harness::{model_harness, state_with_runs};

use egui_kittest::{Harness, kittest::Queryable};

/// Draws the frame: tessellation is where a NaN in a plot's shapes panics (in debug builds).
fn draw(h: &mut Harness<'static, Model>) {
    h.run();
    h.render().expect("the frame draws");
}
use gradscape::optim::OptimizerKind;
use gradscape::ui::layout::PanelTab;
use gradscape::ui::{AppState, Model, RunConfig, plot_bounds, plot_rect};

fn harness(state: AppState) -> Harness<'static, Model> {
    model_harness(Model::new(state), 1280.0, 800.0)
}

/// Himmelblau (the default) with sgd at `sgd_lr` beside adam at 0.1, the Plots tab in front.
fn sgd_beside_adam_on_the_plots(sgd_lr: f64) -> AppState {
    let mut state = state_with_runs(&[(OptimizerKind::Sgd, sgd_lr), (OptimizerKind::Adam, 0.1)]);
    state.layout.tab = PanelTab::Plots;
    state
}

/// `expr` typed in, one sgd run at `lr` from `start`.
fn sgd_on(expr: &str, start: [f64; 2], lr: f64) -> AppState {
    AppState {
        source: expr.into(),
        good_source: expr.into(),
        preset: None,
        start,
        runs: vec![RunConfig::new(OptimizerKind::Sgd, lr, 0)],
        ..AppState::default()
    }
}

fn bounds_ok(h: &Harness<'static, Model>, name: &str, max_y: f64) {
    let b = plot_bounds(&h.ctx, name).unwrap_or_else(|| panic!("{name} was drawn"));
    let [x0, y0] = b.min();
    let [x1, y1] = b.max();
    for v in [x0, y0, x1, y1] {
        assert!(v.is_finite(), "{name}: {b:?}");
    }
    assert!(y1 - y0 > 0.0 && y1 - y0 < max_y, "{name}: {b:?}");
}

#[test]
fn the_plots_keep_finite_axes_through_a_divergence_and_recover() {
    let mut state = sgd_beside_adam_on_the_plots(1e6);
    state.playback.max_steps = 50;
    let mut h = harness(state);
    draw(&mut h);
    draw(&mut h);
    for name in ["loss", "gradient norm", "learning rate", "rho"] {
        let b = plot_bounds(&h.ctx, name).unwrap_or_else(|| panic!("{name} was drawn"));
        assert!(
            b.min().iter().chain(&b.max()).all(|v| v.is_finite()),
            "{name}: {b:?}"
        );
    }
    // The diverged run is said to be cut where it leaves the scale.
    assert!(
        h.query_all_by_label_contains("run 1 sgd (lr 1e6): off the scale from step")
            .count()
            >= 2
    );
    h.state_mut().state.runs[0].hyper.lr = 0.01;
    h.state_mut().recompute();
    for _ in 0..5 {
        draw(&mut h);
    }
    // f of Himmelblau from (-2, -2) starts at 106: the axis is back to that scale.
    bounds_ok(&h, "loss", 1e4);
    bounds_ok(&h, "gradient norm", 1e4);
}

#[test]
fn the_log_plot_names_the_runs_it_cannot_show() {
    let mut state = sgd_on("x^2 + y^2 - 1", [0.1, 0.1], 0.1);
    state.display.plot_log = true;
    state.layout.tab = PanelTab::Plots;
    let mut h = harness(state);
    draw(&mut h);
    // f < 0 all along this run: nothing of it on the log f plot, and it says so.
    h.get_by_label("run 1 sgd (lr 0.1): not shown on the log scale — every value is ≤ 0");
    bounds_ok(&h, "gradient norm", 1e3);
}

/// The runs are named once, above the plots, where no legend box covers their lines.
#[test]
fn the_runs_are_named_above_the_plots_not_over_them() {
    let mut h = harness(sgd_beside_adam_on_the_plots(0.01));
    draw(&mut h);
    draw(&mut h);
    let plots: Vec<egui::Rect> = ["loss", "gradient norm", "learning rate", "rho"]
        .iter()
        .map(|name| plot_rect(&h.ctx, name).unwrap_or_else(|| panic!("{name} was drawn")))
        .collect();
    for name in [
        "1 sgd (lr 0.01)",
        "2 adam (lr 0.1)",
        "current step",
        "ρ = 1",
        "ρ = 0",
    ] {
        let entries: Vec<egui::Rect> = h.query_all_by_label(name).map(|node| node.rect()).collect();
        assert_eq!(entries.len(), 1, "{name}: named once, {entries:?}");
        for plot in &plots {
            assert!(
                !plot.intersects(entries[0]),
                "{name} at {:?} covers {plot:?}",
                entries[0]
            );
        }
    }
    // The run names come before (above) the first plot.
    let first = h.get_by_label("1 sgd (lr 0.01)").rect();
    assert!(
        first.bottom() <= plots[0].top(),
        "{first:?} vs {:?}",
        plots[0]
    );
}

#[test]
fn a_diverging_run_in_1d_draws_a_bounded_frame() {
    let mut state = sgd_on("x^2", [1.0, 0.0], 1e6);
    state.playback.max_steps = 50;
    let mut h = harness(state);
    draw(&mut h);
    // At step 0 the ball's tangent reaches to the next step, two million units away: it was
    // laid out as billions of dashes, seconds a frame.
    h.state_mut().reset();
    draw(&mut h);
    h.run();
    // The tangent is cut to the plot before it is dashed: the frame holds a plot's worth of
    // shapes, not millions of dashes (asserted on the shapes, not on a time).
    let shapes = h.output().shapes.len();
    assert!(shapes < 20_000, "{shapes} shapes in one frame");
    draw(&mut h);
}

/// Issue 23: Himmelblau from (−2, −2), sgd at lr 0.05 blows up at step 7 (f to 1e17, ρ to
/// −1e23); adam converges from f = 106. The axes follow adam, the blow-up is cut and said.
#[test]
fn one_diverging_run_does_not_flatten_the_others() {
    let mut h = harness(sgd_beside_adam_on_the_plots(0.05));
    draw(&mut h);
    draw(&mut h);
    let span = |h: &Harness<'static, Model>, name: &str| {
        let b = plot_bounds(&h.ctx, name).unwrap_or_else(|| panic!("{name} was drawn"));
        (b.min()[1], b.max()[1])
    };
    // f starts at 106 and adam goes down from there: the axis is that scale, not 1e17.
    let (lo, hi) = span(&h, "loss");
    assert!(hi < 1e3 && lo > -1e3, "f(x_t) axis {lo}…{hi}");
    // ρ of a step that kept to the plane is near 1; adam's ρ stays within a few units.
    let (lo, hi) = span(&h, "rho");
    assert!(hi < 1e3 && lo > -1e3, "ρ axis {lo}…{hi}");
    assert!(
        h.query_all_by_label_contains("run 1 sgd (lr 0.05): off the scale from step")
            .count()
            >= 2,
        "the cut is said under f and ‖∇f‖"
    );
    // On the log scale the stated cut holds too: no decade near 1e17.
    h.state_mut().state.display.plot_log = true;
    draw(&mut h);
    draw(&mut h);
    let (_, hi) = span(&h, "loss");
    assert!(hi < 4.0, "log₁₀ f axis reaches {hi}");
}
