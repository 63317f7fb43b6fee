//! The saved session: `AppState` as JSON in the platform's config directory, written atomically
//! (a temporary file renamed over the old one). A file that cannot be read back — corrupt, or
//! from another version — is moved aside with a warning, and the defaults are used.

use std::path::{Path, PathBuf};

use crate::ui::{AppState, STATE_VERSION};

/// `$XDG_CONFIG_HOME/gradscape/session.json`, else `~/.config/gradscape/session.json`
/// (`%APPDATA%` on Windows, `~/Library/Application Support` on macOS). None when none of
/// those can be found: the session is then neither loaded nor saved.
pub fn default_path() -> Option<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let base = if cfg!(windows) {
        non_empty("APPDATA").map(PathBuf::from)
    } else if cfg!(target_os = "macos") {
        non_empty("HOME").map(|h| PathBuf::from(h).join("Library/Application Support"))
    } else {
        non_empty("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| non_empty("HOME").map(|h| PathBuf::from(h).join(".config")))
    }?;
    Some(base.join("gradscape").join("session.json"))
}

/// What loading found.
#[derive(Debug)]
pub struct Loaded {
    pub state: AppState,
    /// Whether `state` came from the file (false: these are the defaults).
    pub restored: bool,
    /// Said to the user when the file could not be used (and where it was moved).
    pub warning: Option<String>,
    /// The file's camera showed nothing and was replaced: frame the surface afresh.
    pub fit_camera: bool,
}

/// The restored session as the app starts on it: the swarm (its balls, basin colouring and
/// hyperparameter map) off, so that a launch shows the function, not a lattice left rolling from
/// the last session. A scene file opened at launch (`open scene.json`) is applied afterwards and
/// brings its own swarm settings.
pub fn for_launch(mut state: AppState) -> AppState {
    state.swarm.balls = false;
    state.swarm.basins = false;
    state.swarm.sweep = false;
    state
}

/// Reads the session at `path`. No file gives the defaults quietly; an unreadable one is renamed
/// to `session.json.bad` (replacing an older one) and gives the defaults with a warning.
pub fn load(path: &Path) -> Loaded {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Loaded {
                state: AppState::default(),
                restored: false,
                warning: None,
                fit_camera: false,
            };
        }
        Err(e) => {
            return Loaded {
                state: AppState::default(),
                restored: false,
                warning: Some(format!(
                    "could not read the saved session {}: {e}; starting afresh",
                    path.display()
                )),
                fit_camera: false,
            };
        }
    };
    let problem = match serde_json::from_str::<AppState>(&text) {
        Ok(mut state) if state.version == STATE_VERSION => {
            let fit_camera = !state.camera.is_usable();
            let notes = crate::ui::repair_state(&mut state);
            let warning = (!notes.is_empty()).then(|| {
                format!(
                    "the saved session {} held values out of range, repaired: {}",
                    path.display(),
                    notes.join("; ")
                )
            });
            return Loaded {
                state,
                restored: true,
                warning,
                fit_camera,
            };
        }
        Ok(state) => format!(
            "it is from another version of gradscape (session format {}, this one reads {STATE_VERSION})",
            state.version
        ),
        Err(e) => format!("it is not a valid session ({e})"),
    };
    let aside = path.with_extension("json.bad");
    let moved = match std::fs::rename(path, &aside) {
        Ok(()) => format!("moved it to {}", aside.display()),
        Err(e) => format!("could not move it aside: {e}"),
    };
    Loaded {
        state: AppState::default(),
        restored: false,
        warning: Some(format!(
            "ignored the saved session {}: {problem}; {moved}; starting with the defaults",
            path.display()
        )),
        fit_camera: false,
    }
}

/// Writes `state` to `path` atomically: a half-written file never replaces a good one.
pub fn save(path: &Path, state: &AppState) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_string_pretty(state).map_err(std::io::Error::other)?;
    let temp = path.with_extension(format!("json.tmp{}", std::process::id()));
    std::fs::write(&temp, json)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        // Best effort: a stray temporary file is harmless, the error is what matters.
        let _ = std::fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_swarm_is_off_on_launch_whatever_the_session_held() {
        let mut state = AppState::default();
        state.swarm.balls = true;
        state.swarm.basins = true;
        state.swarm.sweep = true;
        state.swarm.balls_side = 48;
        let launched = for_launch(state.clone());
        assert!(!launched.swarm.balls && !launched.swarm.basins && !launched.swarm.sweep);
        // The rest of the swarm's settings (sizes, metrics) are the user's and stay.
        assert_eq!(launched.swarm.balls_side, 48);
        assert_eq!(launched.runs, state.runs);
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gradscape-session-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn missing_file_gives_defaults_quietly() {
        let loaded = load(&temp_dir("missing").join("session.json"));
        assert!(loaded.warning.is_none());
        assert_eq!(loaded.state, AppState::default());
    }

    #[test]
    fn out_of_range_fields_are_repaired_with_a_warning() {
        let dir = temp_dir("repair");
        let path = dir.join("session.json");
        let mut state = AppState::default();
        state.playback.speed = 1e300;
        save(&path, &state).unwrap();
        let loaded = load(&path);
        assert!(loaded.restored);
        assert_eq!(loaded.state.playback.speed, 240.0);
        let warning = loaded.warning.expect("the repair is said");
        assert!(warning.contains("playback speed"), "{warning}");
        // The app's own file loads without a word.
        save(&path, &AppState::default()).unwrap();
        assert_eq!(load(&path).warning, None);
    }

    #[test]
    fn other_version_is_moved_aside() {
        let path = temp_dir("version").join("session.json");
        let state = AppState {
            version: STATE_VERSION + 1,
            ..AppState::default()
        };
        save(&path, &state).unwrap();
        let loaded = load(&path);
        assert!(loaded.warning.unwrap().contains("another version"));
        assert_eq!(loaded.state, AppState::default());
        assert!(!path.exists() && path.with_extension("json.bad").exists());
    }
}
