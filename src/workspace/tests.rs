//! The workspace as a whole: a function, its runs and the scene drawn from them.

use super::*;
use crate::optim::{OptimizerKind, Status};

/// A fresh folder for a test's files, named for the test and the process.
pub(crate) fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gradscape-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A workspace on `source` with `runs`, from the default state.
pub(crate) fn workspace_with(source: &str, runs: Vec<RunConfig>) -> Workspace {
    let mut workspace = Workspace::new(AppState {
        runs,
        ..AppState::default()
    });
    workspace.set_source(source);
    workspace
}

#[test]
fn a_1d_function_runs_in_1d_and_is_shown_extruded() {
    let workspace = workspace_with("x^2", vec![RunConfig::new(OptimizerKind::Newton, 1.0, 0)]);
    assert_eq!(workspace.dims(), 1);
    assert_eq!(workspace.surface_function().dims(), 2);
    let RunOutcome::Ran(t) = &workspace.outcomes()[0] else {
        panic!("newton runs on x^2");
    };
    // Newton reaches a quadratic's minimum in one step, and stops there.
    assert_eq!(t.status, Status::Converged);
    assert_eq!(t.steps[1].point, vec![0.0]);
    let scene = workspace.scene();
    assert_eq!(
        scene.overlays.trajectories[0].points[1][1],
        workspace.state.start[1]
    );
}

#[test]
fn an_animation_frame_shows_its_own_step() {
    let mut workspace = workspace_with(
        "x^2 + y^2",
        vec![RunConfig::new(OptimizerKind::Sgd, 0.1, 0)],
    );
    workspace.reset();
    let last = workspace.last_step();
    assert!(last > 2);
    assert_eq!(
        workspace.scene_at_step(0).overlays.trajectories[0].current,
        0
    );
    assert_eq!(
        workspace.scene_at_step(2).overlays.trajectories[0].current,
        2
    );
    assert_eq!(
        workspace.scene_at_step(usize::MAX).overlays.trajectories[0].current,
        last
    );
}

#[test]
fn hand_edited_numbers_are_brought_back_in_range() {
    let defaults = AppState::default();
    let workspace = Workspace::new(AppState {
        domain: DomainState {
            x: [3.0, -3.0],
            ..defaults.domain
        },
        start: [f64::NAN, 0.0],
        playback: crate::workspace::Playback {
            max_steps: usize::MAX,
            ..defaults.playback
        },
        display: crate::workspace::DisplayToggles {
            grid_side: 1_000_000,
            ..defaults.display
        },
        ..defaults
    });
    assert_eq!(workspace.state.domain, AppState::default().domain);
    assert_eq!(
        workspace.state.display.grid_side,
        crate::render::MAX_SURFACE_SIDE
    );
    // Ranges f32 cannot hold are refused with the reason.
    let mut workspace = workspace;
    let huge = DomainState {
        x: [-1e39, 1e39],
        y: [-1.0, 1.0],
    };
    assert!(
        workspace
            .set_domain(huge)
            .unwrap_err()
            .contains("too large")
    );
    let infinite_width = DomainState {
        x: [-1e308, 1e308],
        y: [-1.0, 1.0],
    };
    assert!(workspace.set_domain(infinite_width).is_err());
    assert!(workspace.state.start.iter().all(|v| v.is_finite()));
    assert_eq!(workspace.state.playback.max_steps, MAX_STEPS);
}

#[test]
fn a_function_defined_nowhere_says_so_in_the_view_and_in_its_runs() {
    let workspace = workspace_with(
        "sqrt(-1-x^2-y^2)",
        vec![RunConfig::new(OptimizerKind::Sgd, 0.01, 0)],
    );
    assert!(workspace.surface_defined_nowhere());
    let (text, bad) = describe_outcome(&workspace.outcomes()[0]);
    assert!(
        bad && text.contains("not defined at the start point"),
        "{text}"
    );
    assert!(!text.contains("smaller learning rate"), "{text}");
    assert!(!workspace_with("x^2 + y^2", vec![]).surface_defined_nowhere());
}
