//! Undo and redo over the scene: snapshots of the persisted state, taken whenever an interaction
//! has ended (no pointer button held, no text field or number being typed into) and the scene
//! differs from the last snapshot. A slider drag, a typed field, a lesson or a preset key is
//! therefore one step, whatever the number of frames it took. What moves on its own (the
//! playback step, B's glide) and what is not the scene (the camera, the export folder) is left
//! out of the comparison. Not persisted.

use super::AppState;

/// Steps kept; the oldest go first.
pub const HISTORY_LIMIT: usize = 200;

#[derive(Debug, Default)]
pub struct History {
    undo: Vec<AppState>,
    redo: Vec<AppState>,
    /// The scene as of the end of the last interaction; None before the first frame.
    settled: Option<AppState>,
}

/// `state` with what is not part of the scene set to fixed values, for comparisons.
fn scene_of(state: &AppState) -> AppState {
    let mut scene = state.clone();
    scene.playback.playing = false;
    scene.playback.step = 0;
    scene.camera = super::CameraState {
        yaw_rad: 0.0,
        pitch_rad: 0.0,
        distance: 0.0,
        target: [0.0; 3],
    };
    scene.export_dir.clear();
    scene.scene_file = None;
    scene.layout = Default::default();
    scene.recent_scenes.clear();
    scene.notebook.secant_t = 0.0;
    scene.notebook.animating = false;
    scene
}

/// Whether two states show the same scene (ignoring playback position, camera and the like).
pub fn same_scene(a: &AppState, b: &AppState) -> bool {
    scene_of(a) == scene_of(b)
}

/// What changed from `before` to `after`, in a few words, for the Edit menu.
pub fn describe_change(before: &AppState, after: &AppState) -> &'static str {
    if before.notebook.lesson != after.notebook.lesson
        || before.lesson_return.is_some() != after.lesson_return.is_some()
    {
        "lesson"
    } else if before.data != after.data {
        "data"
    } else if before.source != after.source || before.good_source != after.good_source {
        "function"
    } else if before.domain != after.domain {
        "domain"
    } else if before.start != after.start {
        "start point"
    } else if before.runs.len() != after.runs.len() {
        "runs"
    } else if before.runs != after.runs {
        "run settings"
    } else if before.display != after.display
        || before.swarm != after.swarm
        || before.notebook != after.notebook
    {
        "view"
    } else if before.playback != after.playback {
        "playback settings"
    } else {
        "scene"
    }
}

impl History {
    /// Called once the current interaction has ended: records a step if the scene changed.
    pub fn settle(&mut self, current: &AppState) {
        match &self.settled {
            None => self.settled = Some(current.clone()),
            Some(settled) if same_scene(settled, current) => {}
            Some(_) => {
                let before = self.settled.replace(current.clone());
                if let Some(before) = before {
                    self.undo.push(before);
                    if self.undo.len() > HISTORY_LIMIT {
                        self.undo.remove(0);
                    }
                }
                self.redo.clear();
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Steps that can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// What Undo would take back, in a few words.
    pub fn undo_label(&self) -> Option<&'static str> {
        Some(describe_change(self.undo.last()?, self.settled.as_ref()?))
    }

    /// What Redo would bring back, in a few words.
    pub fn redo_label(&self) -> Option<&'static str> {
        Some(describe_change(self.settled.as_ref()?, self.redo.last()?))
    }

    /// The state to go back to, `current` kept for redo. `current` must be settled first.
    pub fn undo(&mut self, current: &AppState) -> Option<AppState> {
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        self.settled = Some(previous.clone());
        Some(previous)
    }

    /// The state undone last, `current` kept for undo.
    pub fn redo(&mut self, current: &AppState) -> Option<AppState> {
        let next = self.redo.pop()?;
        self.undo.push(current.clone());
        self.settled = Some(next.clone());
        Some(next)
    }

    /// Takes `current` as settled without recording a step (after an undo or redo restored a
    /// state the model may have touched up).
    pub fn resettle(&mut self, current: &AppState) {
        self.settled = Some(current.clone());
    }
}

/// Undo and redo over the workspace's scene.
impl super::Workspace {
    /// Records an undo step if the scene changed since the last one. The UI calls this when an
    /// interaction has ended (no button held, nothing being typed).
    pub fn settle_history(&mut self) {
        self.history.settle(&self.state);
    }

    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// How many steps Undo can take back.
    pub fn undo_steps(&self) -> usize {
        self.history.undo_len()
    }

    /// What Undo / Redo would change, in a few words ("function", "lesson"…).
    pub fn undo_label(&self) -> Option<&'static str> {
        self.history.undo_label()
    }

    pub fn redo_label(&self) -> Option<&'static str> {
        self.history.redo_label()
    }

    /// Takes the scene back one step (a change not yet settled counts as one).
    pub fn undo(&mut self) {
        self.settle_history();
        let current = self.state.clone();
        if let Some(previous) = self.history.undo(&current) {
            self.go_to(previous, &current);
        }
    }

    pub fn redo(&mut self) {
        self.settle_history();
        let current = self.state.clone();
        if let Some(next) = self.history.redo(&current) {
            self.go_to(next, &current);
        }
    }

    /// Restores a state from the history. The camera stays where the user put it unless the
    /// surface itself changes; the export folder is not part of the scene.
    fn go_to(&mut self, mut state: AppState, current: &AppState) {
        let refit = state.good_source != current.good_source
            || state.domain != current.domain
            || state.data != current.data;
        if !refit {
            state.camera = current.camera;
        }
        state.export_dir = current.export_dir.clone();
        state.recent_scenes = current.recent_scenes.clone();
        // Save As records no step; undoing past it must not point Save back at the old file.
        state.scene_file = current.scene_file.clone();
        state.playback.step = current.playback.step;
        if self.restore(state).is_ok() {
            if refit {
                self.request_fit();
            }
            // The history's own snapshot, not the repaired copy: no step is recorded for it.
            self.history.resettle(&self.state);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_recorded_only_when_the_scene_changed() {
        let mut history = History::default();
        let mut state = AppState::default();
        history.settle(&state);
        state.playback.step = 3;
        state.camera.yaw_rad = 1.0;
        history.settle(&state);
        assert!(!history.can_undo(), "playback and camera are not the scene");
        let before = state.clone();
        state.start = [0.5, 0.5];
        history.settle(&state);
        assert_eq!(history.undo_label(), Some("start point"));
        let back = history.undo(&state).unwrap();
        assert!(same_scene(&back, &before));
        assert!(history.can_redo());
        let again = history.redo(&back).unwrap();
        assert_eq!(again.start, [0.5, 0.5]);
    }

    #[test]
    fn history_is_bounded_and_a_new_change_drops_the_redo() {
        let mut history = History::default();
        let mut state = AppState::default();
        history.settle(&state);
        for i in 0..HISTORY_LIMIT + 50 {
            state.start = [i as f64 * 1e-3, 0.0];
            history.settle(&state);
        }
        assert_eq!(history.undo_len(), HISTORY_LIMIT);
        let back = history.undo(&state).unwrap();
        assert!(history.can_redo());
        let mut changed = back.clone();
        changed.display.contours = !changed.display.contours;
        history.settle(&changed);
        assert!(!history.can_redo());
    }
}
