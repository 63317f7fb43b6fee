//! Every field of an `AppState` that came from outside (a session file, possibly edited by hand)
//! brought into the ranges the app can show and run: a value out of range is clamped, one that
//! cannot be repaired (NaN, an empty domain) is replaced by the default, and each change is
//! said in a note for the user.

use super::function::{check_domain, compile_check};
use super::runs::MAX_STEPS;
use super::state::{AppState, STATE_VERSION, default_start};

/// Playback speeds the slider offers, steps per second: beyond it a frame's step count
/// overflows nothing, but a speed of 1e300 would.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 1.0..=240.0;

/// The lessons there are (`ui`'s `LESSONS`, which asserts that it has this many): a saved
/// lesson index beyond them is forgotten.
pub const LESSON_COUNT: usize = 27;

/// More runs than this in a session file are dropped: each is recomputed on every change.
pub const MAX_RUNS: usize = 64;

/// Repairs `state` in place and says what was changed (nothing for a state the app wrote).
pub fn repair(state: &mut AppState) -> Vec<String> {
    let defaults = AppState::default();
    let mut notes = Vec::new();
    state.version = STATE_VERSION;
    if let Err(why) = check_domain(&state.domain) {
        notes.push(format!("domain: {why}; using the default"));
        state.domain = defaults.domain;
    }
    if !state.start.iter().all(|v| v.is_finite()) {
        notes.push("start point: not finite; using the default".into());
        state.start = default_start(&state.domain);
    }
    if let Some(name) = &state.preset
        && crate::presets::find(name).is_err()
    {
        notes.push(format!("preset {name:?}: not in the catalog; forgotten"));
        state.preset = None;
    }
    let playback = &mut state.playback;
    let steps = playback.max_steps.clamp(1, MAX_STEPS);
    if steps != playback.max_steps {
        notes.push(format!(
            "max steps {}: clamped to {steps}",
            playback.max_steps
        ));
        playback.max_steps = steps;
    }
    playback.step = playback.step.min(playback.max_steps);
    if !playback.speed.is_finite() {
        notes.push("playback speed: not a number; using the default".into());
        playback.speed = defaults.playback.speed;
    } else if !SPEED_RANGE.contains(&playback.speed) {
        let clamped = playback
            .speed
            .clamp(*SPEED_RANGE.start(), *SPEED_RANGE.end());
        notes.push(format!(
            "playback speed {}: clamped to {clamped}",
            playback.speed
        ));
        playback.speed = clamped;
    }
    if let Some([lo, hi]) = state.display.z_range
        && !(lo.is_finite() && hi.is_finite() && lo < hi)
    {
        notes.push(format!("z-range [{lo}, {hi}]: not an interval; automatic"));
        state.display.z_range = None;
    }
    let side = state
        .display
        .grid_side
        .clamp(2, crate::render::MAX_SURFACE_SIDE);
    if side != state.display.grid_side {
        notes.push(format!(
            "grid side {}: clamped to {side}",
            state.display.grid_side
        ));
        state.display.grid_side = side;
    }
    // The caller frames the surface afresh when it sees this (see CameraState::is_usable).
    if !state.camera.is_usable() {
        notes.push("camera: not a usable pose; the surface is framed afresh".into());
        state.camera = defaults.camera;
    }
    if state.runs.len() > MAX_RUNS {
        notes.push(format!(
            "{} runs: only the first {MAX_RUNS} kept",
            state.runs.len()
        ));
        state.runs.truncate(MAX_RUNS);
    }
    for (i, run) in state.runs.iter_mut().enumerate() {
        if let Err(e) = run.hyper.validate() {
            notes.push(format!("run {}: {e}; its settings reset", i + 1));
            run.hyper = crate::optim::Hyperparameters::new(run.hyper.kind, 0.01);
        }
        if run.color.iter().any(|c| !c.is_finite()) {
            run.color = [0.5, 0.5, 0.5, 1.0];
        }
        run.color = run.color.map(|c| c.clamp(0.0, 1.0));
    }
    let notebook = &mut state.notebook;
    if !(notebook.b_offset.is_finite() && notebook.b_offset != 0.0) {
        notes.push("notebook: secant offset not usable; using the default".into());
        notebook.b_offset = super::NotebookState::default().b_offset;
    }
    if !notebook.secant_t.is_finite() {
        notebook.secant_t = 0.0;
    }
    notebook.secant_t = notebook.secant_t.clamp(0.0, 1.0);
    if notebook.lesson.is_some_and(|l| l >= LESSON_COUNT) {
        notebook.lesson = None;
    }
    state.layout.sanitize();
    if let Some(saved) = &mut state.lesson_return {
        // One level only: the scene a lesson returns to is never itself in a lesson.
        saved.lesson_return = None;
        saved.notebook.lesson = None;
        notes.extend(
            repair(saved)
                .into_iter()
                .map(|n| format!("the scene before the lesson: {n}")),
        );
        if compile_check(&saved.good_source).is_err() {
            notes
                .push("the scene before the lesson: its function does not parse; forgotten".into());
            state.lesson_return = None;
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_the_app_wrote_needs_no_repair() {
        let mut state = AppState::default();
        assert!(repair(&mut state).is_empty());
        assert_eq!(state, AppState::default());
    }

    #[test]
    fn every_wild_field_is_clamped_or_reset_and_said() {
        let mut state = AppState::default();
        state.playback.speed = 1e300;
        state.playback.max_steps = usize::MAX;
        state.playback.step = usize::MAX;
        state.display.grid_side = u32::MAX;
        state.camera.distance = f32::NAN;
        state.start = [f64::INFINITY, 0.0];
        state.domain.x = [1.0, -1.0];
        state.preset = Some("no such preset".into());
        state.runs[0].hyper.lr = f64::NAN;
        state.runs[1].color = [f32::NAN, 2.0, -1.0, 1.0];
        state.notebook.secant_t = 1e300;
        state.notebook.b_offset = f64::NAN;
        state.notebook.lesson = Some(usize::MAX);
        state.runs.extend(std::iter::repeat_n(state.runs[1], 100));
        let notes = repair(&mut state);
        assert_eq!(state.playback.speed, 240.0);
        assert_eq!(state.playback.max_steps, MAX_STEPS);
        assert_eq!(state.playback.step, MAX_STEPS);
        assert!(check_domain(&state.domain).is_ok());
        assert!(state.start.iter().all(|v| v.is_finite()));
        assert_eq!(state.preset, None);
        assert!(state.runs[0].hyper.validate().is_ok());
        assert!(state.runs[1].color.iter().all(|c| (0.0..=1.0).contains(c)));
        assert_eq!(state.runs.len(), MAX_RUNS);
        assert_eq!(state.notebook.secant_t, 1.0);
        assert_eq!(state.notebook.lesson, None);
        for what in [
            "playback speed",
            "max steps",
            "grid side",
            "camera",
            "start point",
            "domain",
            "preset",
            "run 1",
            "runs",
            "secant",
        ] {
            assert!(notes.iter().any(|n| n.contains(what)), "{what}: {notes:?}");
        }
        // Idempotent: a repaired state needs nothing more.
        assert!(repair(&mut state).is_empty(), "{:?}", repair(&mut state));
    }
}
