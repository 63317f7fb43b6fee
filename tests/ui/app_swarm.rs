//! The app's swarm through egui_kittest: the basins toggle and legend, a click on the
//! hyperparameter map setting the run's sliders, and the swarm of balls gathering at Himmelblau's
//! minima. The GPU work runs through the same `app::SwarmJobs` the window uses, on a headless
//! adapter (lavapipe counts; none fails the test).

use super::harness::{TestApp, app_harness, click, press_and_release};

use egui_kittest::{Harness, kittest::Queryable};
use gradscape::app::SwarmJobs;
use gradscape::gpu::GpuContext;
use gradscape::optim::{OptimizerKind, Status};
use gradscape::ui::{AppState, RunConfig};

fn harness(state: AppState, height: f32) -> Harness<'static, TestApp> {
    app_harness(state, egui::vec2(1280.0, height))
}

fn state(kind: OptimizerKind, lr: f64) -> AppState {
    AppState {
        runs: vec![RunConfig::new(kind, lr, 0)],
        ..AppState::default()
    }
}

/// Pumps the swarm until nothing is left to do (at most 200 frames), drawing a frame after each.
fn settle(h: &mut Harness<'static, TestApp>, jobs: &mut SwarmJobs, ctx: &GpuContext) {
    // Frames are stepped, not run to rest: a spinner or playback keeps asking for more.
    for _ in 0..200 {
        h.step();
        let busy = jobs.pump(ctx, &mut h.state_mut().model);
        if !busy {
            h.step();
            h.step();
            return;
        }
    }
    panic!("the swarm never settled");
}

fn context() -> GpuContext {
    GpuContext::headless().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
}

#[test]
fn the_basins_toggle_computes_himmelblaus_four_basins_and_shows_the_legend() {
    let ctx = context();
    let mut jobs = SwarmJobs::new();
    let mut h = harness(state(OptimizerKind::Sgd, 0.01), 900.0);
    h.run();
    assert!(h.state().model.swarm.basins.is_none());
    h.get_by_label("basins of attraction (B)").click();
    settle(&mut h, &mut jobs, &ctx);
    let model = &h.state().model;
    assert!(model.state.swarm.basins);
    let basins = model
        .swarm
        .basins
        .as_ref()
        .expect("the basin map came back");
    assert_eq!(basins.side, 256);
    let reached: Vec<usize> = (0..basins.map.centers.len())
        .filter(|&k| basins.map.share(k) > 0.1)
        .collect();
    assert_eq!(
        reached,
        [0, 1, 2, 3],
        "four big basins: {:?}",
        basins.map.sizes
    );
    assert!(basins.map.known.iter().take(4).all(|&k| k));
    // Both legends (the left panel's and the one under the contour map) name the minimum (3, 2)
    // and its share.
    let share = 100.0 * basins.map.share(0);
    let label = format!("minimum (3, 2): {share:.1} %");
    assert_eq!(h.get_all_by_label(&label).count(), 2, "{label}");
    // A learning rate far too large: every cell diverges, and the legend says so.
    let mut config = h.state().model.state.runs[0];
    config.hyper.lr = 5.0;
    h.state_mut().model.update_run(0, config);
    settle(&mut h, &mut jobs, &ctx);
    let basins = h.state().model.swarm.basins.as_ref().unwrap();
    assert!(
        basins.map.share_of(basins.map.diverged) > 0.99,
        "{:?}",
        basins.map
    );
    assert_eq!(h.get_all_by_label("diverged: 100.0 %").count(), 2);
    // The key B turns the basins off again.
    h.key_press(egui::Key::B);
    h.run();
    assert!(!h.state().model.state.swarm.basins);
}

#[test]
fn a_click_on_the_hyperparameter_map_sets_the_runs_lr_and_momentum() {
    let ctx = context();
    let mut jobs = SwarmJobs::new();
    let mut s = state(OptimizerKind::Momentum, 0.001);
    s.swarm.sweep = true;
    s.layout.tab = gradscape::ui::layout::PanelTab::Sweep;
    let mut h = harness(s, 1400.0);
    settle(&mut h, &mut jobs, &ctx);
    let model = &h.state().model;
    let sweep = model.swarm.sweep.clone().expect("the map came back");
    let (name, axis) = sweep.spec.param.expect("momentum is swept");
    assert_eq!(name, "momentum");
    assert_eq!((sweep.spec.lr.count, axis.count), (48, 32));
    let plot = model.swarm.sweep_rect.expect("the map was drawn");
    // 70 % of the way along lr, 70 % of the way up momentum: column 33 of 48, row 22 of 32.
    let target = plot.left_top() + egui::vec2(plot.width() * 0.7, plot.height() * 0.3);
    press_and_release(&mut h, target);
    h.run();
    let hyper = h.state().model.state.runs[0].hyper;
    assert_eq!(hyper.lr, sweep.spec.lr.geometric(33), "the click set lr");
    assert_eq!(hyper.momentum, axis.linear(22), "and momentum");
}

#[test]
fn the_swarm_drops_a_lattice_of_balls_that_gather_at_the_minima() {
    let ctx = context();
    let mut jobs = SwarmJobs::new();
    let mut s = state(OptimizerKind::Sgd, 0.01);
    s.playback.max_steps = 300;
    let mut h = harness(s, 900.0);
    h.run();
    h.get_by_label("Roll a swarm").click();
    h.step();
    assert!(h.state().model.state.swarm.balls);
    assert!(
        h.state().model.state.playback.playing,
        "the swarm starts rolling"
    );
    // Jump to the end of playback, as the playback controls would get there.
    h.state_mut().model.state.playback.step = 300;
    settle(&mut h, &mut jobs, &ctx);
    let model = &h.state().model;
    assert_eq!(model.swarm.balls, 32 * 32);
    assert_eq!(model.swarm.balls_step, 300);
    let balls = jobs.read_balls().unwrap();
    assert_eq!(balls.len(), 32 * 32);
    let minima: Vec<[f64; 2]> = model
        .preset()
        .unwrap()
        .minima
        .iter()
        .map(|m| [m[0], m[1]])
        .collect();
    let settled: Vec<_> = balls
        .iter()
        .filter(|b| b.status == Status::Converged)
        .collect();
    assert!(
        settled.len() > 32 * 32 * 9 / 10,
        "{} converged",
        settled.len()
    );
    for b in settled {
        let near = minima
            .iter()
            .any(|m| (m[0] - b.point[0]).hypot(m[1] - b.point[1]) < 1e-2);
        assert!(near, "a converged ball at {:?} is at no minimum", b.point);
    }
    h.get_by_label("1024 balls at step 300");
}

/// Issue 23, item 7: the map keeps its lr range and colour scale through a click (the cell
/// stays under the pointer), names the run it follows, fills the panel, and exports PNG and
/// .npy; Reset centres it on the new lr.
#[test]
fn the_hyperparameter_map_keeps_its_range_until_reset_and_exports() {
    let ctx = context();
    let mut jobs = SwarmJobs::new();
    let dir = std::env::temp_dir().join(format!("gradscape-map-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = state(OptimizerKind::Momentum, 0.001);
    s.swarm.sweep = true;
    s.layout.tab = gradscape::ui::layout::PanelTab::Sweep;
    s.export_dir = dir.display().to_string();
    let mut h = harness(s, 1400.0);
    settle(&mut h, &mut jobs, &ctx);
    h.get_by_label_contains("Map of run 1 (momentum");
    let model = &h.state().model;
    let before = model.swarm.sweep.clone().expect("the map came back").spec;
    let colors = model.swarm.sweep_colors.expect("the colour scale is kept");
    let plot = model.swarm.sweep_rect.expect("the map was drawn");
    // The panel's room: wider than the 120 px it had, and near square cells for lr × momentum.
    assert!(plot.width() > 180.0 && plot.height() > 150.0, "{plot:?}");
    let target = plot.left_top() + egui::vec2(plot.width() * 0.7, plot.height() * 0.3);
    press_and_release(&mut h, target);
    settle(&mut h, &mut jobs, &ctx);
    let model = &h.state().model;
    let clicked = model.state.runs[0].hyper.lr;
    assert_eq!(clicked, before.lr.geometric(33));
    let after = model.swarm.sweep.clone().unwrap().spec;
    assert_eq!(after.lr, before.lr, "the lr axis stayed");
    assert_eq!(model.swarm.sweep_colors, Some(colors), "and the colours");
    assert_eq!(model.swarm.sweep_rect, Some(plot), "and the cells");
    // Reset centres on the clicked lr, two decades either side (within the slider's range).
    h.get_by_label("Reset range").click();
    settle(&mut h, &mut jobs, &ctx);
    let reset = h.state().model.swarm.sweep.clone().unwrap().spec;
    let (from, to) = gradscape::ui::swarm::centred_lr_range(clicked);
    assert_eq!((reset.lr.from, reset.lr.to), (from, to));
    assert_ne!((from, to), (before.lr.from, before.lr.to));
    // Export: the cells as .npy (gradscape sweep's shape) and the figure as PNG.
    click(&mut h, ".npy");
    click(&mut h, "PNG");
    let path = h
        .state_mut()
        .model
        .swarm
        .sweep_png
        .take()
        .expect("a PNG of the map was asked for");
    let message = gradscape::app::map_export::write_map_png(&ctx, &h.state().model, &path).unwrap();
    assert!(message.contains("900×700"), "{message}");
    let png = image::open(&path).unwrap();
    assert_eq!((png.width(), png.height()), (900, 700));
    let npy: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "npy"))
        .collect();
    assert_eq!(npy.len(), 1, "{npy:?}");
    let bytes = std::fs::read(&npy[0]).unwrap();
    let header = String::from_utf8_lossy(&bytes[..128.min(bytes.len())]).to_string();
    assert!(header.contains("'shape': (32, 48, 4)"), "{header}");
    assert!(bytes.len() > 32 * 48 * 4 * 4, "{} bytes", bytes.len());
    let _ = std::fs::remove_dir_all(&dir);
}
