//! The session's autosave: the state is written a second after it changes (so a killed
//! process loses at most that), a failed save is retried on later frames without waking an
//! idle app for it, and the exit saves once more.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::ui::AppState;

/// At most one save (or attempt) per this interval.
const EVERY: Duration = Duration::from_secs(1);

pub struct Autosave {
    path: Option<PathBuf>,
    /// The state last written to the session file.
    saved: Option<AppState>,
    /// When the last save was tried, successful or not.
    last_attempt: Option<Instant>,
    /// The last save failed: retried on later frames and on exit, but no wake-ups are asked
    /// for it (an unwritable folder must not keep an idle app busy).
    last_failed: bool,
}

impl Autosave {
    /// `path`: the session file; None saves nothing (`--no-session`).
    pub fn new(path: Option<PathBuf>) -> Self {
        Self {
            path,
            saved: None,
            last_attempt: None,
            last_failed: false,
        }
    }

    /// Saves `state` now if it differs from the last one saved (the exit, Ctrl+Q).
    pub fn save_now(&mut self, state: &AppState, now: Instant) {
        let Some(path) = &self.path else {
            return;
        };
        if self.saved.as_ref() == Some(state) {
            return;
        }
        self.last_attempt = Some(now);
        // A failed save leaves `saved` as it was, so the next change or the exit tries again;
        // the attempt's time keeps the warnings to one a second.
        match super::session::save(path, state) {
            Ok(()) => {
                self.saved = Some(state.clone());
                self.last_failed = false;
            }
            Err(e) => {
                eprintln!(
                    "warning: could not save the session to {}: {e}",
                    path.display()
                );
                self.last_failed = true;
            }
        }
    }

    /// After a frame: saves if `state` changed and the last attempt is a second old;
    /// otherwise, when it changed, returns when to wake up so that the last change of a burst
    /// is saved too (none after a failure).
    pub fn tick(&mut self, state: &AppState, now: Instant) -> Option<Instant> {
        if self.path.is_none() || self.saved.as_ref() == Some(state) {
            return None;
        }
        let since = self
            .last_attempt
            .map_or(EVERY, |at| now.saturating_duration_since(at));
        if since >= EVERY {
            self.save_now(state, now);
            None
        } else if self.last_failed {
            None
        } else {
            Some(now + (EVERY - since))
        }
    }

    /// Whether the last attempt failed.
    #[cfg(test)]
    fn failing(&self) -> bool {
        self.last_failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        crate::test_support::scratch_dir(&format!("autosave-{name}"))
    }

    fn changed(state: &AppState, source: &str) -> AppState {
        let mut next = state.clone();
        next.source = source.to_string();
        next
    }

    fn on_disk(path: &std::path::Path) -> String {
        let text = std::fs::read_to_string(path).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["source"].as_str().unwrap().to_string()
    }

    #[test]
    fn a_burst_of_changes_is_saved_once_a_second_and_the_last_one_too() {
        let dir = scratch("burst");
        let path = dir.join("session.json");
        let mut autosave = Autosave::new(Some(path.clone()));
        let t0 = Instant::now();
        let a = changed(&AppState::default(), "x^2");
        assert_eq!(
            autosave.tick(&a, t0),
            None,
            "the first change is saved at once"
        );
        assert_eq!(on_disk(&path), "x^2");
        let b = changed(&a, "x^3");
        let wake = autosave.tick(&b, t0 + Duration::from_millis(200));
        assert_eq!(wake, Some(t0 + EVERY), "the next save waits for its second");
        assert_eq!(on_disk(&path), "x^2");
        assert_eq!(autosave.tick(&b, t0 + EVERY), None);
        assert_eq!(on_disk(&path), "x^3");
        // Nothing changed: nothing to do, no wake-up.
        assert_eq!(autosave.tick(&b, t0 + 3 * EVERY), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_save_is_retried_without_wake_ups_and_succeeds_once_it_can() {
        let dir = scratch("retry");
        // The session's folder is a file: every save fails until it is a folder again.
        let blocker = dir.join("config");
        std::fs::write(&blocker, b"not a folder").unwrap();
        let path = blocker.join("session.json");
        let mut autosave = Autosave::new(Some(path.clone()));
        let t0 = Instant::now();
        let a = changed(&AppState::default(), "sin(x)");
        assert_eq!(autosave.tick(&a, t0), None);
        assert!(autosave.failing());
        let b = changed(&a, "cos(x)");
        assert_eq!(
            autosave.tick(&b, t0 + Duration::from_millis(500)),
            None,
            "no wake-up is asked for a failing save"
        );
        assert!(!path.exists());
        std::fs::remove_file(&blocker).unwrap();
        // The next frame a second later retries, and now it works.
        assert_eq!(autosave.tick(&b, t0 + EVERY), None);
        assert!(!autosave.failing());
        assert_eq!(on_disk(&path), "cos(x)");
        // The exit saves what changed since, without waiting for the second.
        let c = changed(&b, "tan(x)");
        autosave.save_now(&c, t0 + EVERY + Duration::from_millis(10));
        assert_eq!(on_disk(&path), "tan(x)");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn without_a_session_file_nothing_is_written() {
        let mut autosave = Autosave::new(None);
        let a = changed(&AppState::default(), "x");
        assert_eq!(autosave.tick(&a, Instant::now()), None);
        autosave.save_now(&a, Instant::now());
        assert!(!autosave.failing());
    }
}
