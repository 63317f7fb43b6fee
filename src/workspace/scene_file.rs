//! Scene files (`*.gradscape.json`): a scene to keep or share — the function, domain, start,
//! runs and view — versioned and checked field by field on the way in, so a malformed, foreign
//! or newer file is refused with a clear reason and the scene on screen is never touched. The
//! session file stays the autosave; a scene is what File → Save writes and
//! `gradscape open scene.gradscape.json` opens. "Copy as command" gives the `gradscape open …`
//! line that reproduces a scene.

use serde::{Deserialize, Serialize};

use super::settings::{NotebookState, SwarmSettings};
use super::state::{AppState, CameraState, DataSpec, DisplayToggles, DomainState, RunConfig};

/// What every scene file says it is.
pub const SCENE_FORMAT: &str = "gradscape-scene";
/// Bumped when a scene's shape changes; files of a newer version are refused, saying so.
pub const SCENE_VERSION: u32 = 1;
/// The end of a scene file's name.
pub const SCENE_EXTENSION: &str = ".gradscape.json";
/// Recent scene files remembered for File → Recent.
pub const RECENT_SCENES: usize = 8;

/// One scene, as written to a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SceneFile {
    pub format: String,
    pub version: u32,
    /// The expression, as the app would show it in its field.
    pub function: String,
    /// The catalog preset it came from, if any (the picker shows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    pub domain: DomainState,
    /// Where every run starts; y is ignored for a 1-D function.
    pub start: [f64; 2],
    pub runs: Vec<RunConfig>,
    /// The most steps a run may take.
    pub max_steps: usize,
    pub view: DisplayToggles,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera: Option<CameraState>,
    #[serde(default)]
    pub notebook: NotebookState,
    #[serde(default)]
    pub swarm: SwarmSettings,
    /// A data objective, which then stands for `function` (kept for the expression field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DataSpec>,
}

impl SceneFile {
    /// The scene shown by `state` (the last expression that parsed, not a half-typed one).
    pub fn from_state(state: &AppState) -> Self {
        let mut notebook = state.notebook.clone();
        notebook.lesson = None;
        notebook.animating = false;
        Self {
            format: SCENE_FORMAT.to_string(),
            version: SCENE_VERSION,
            function: state.good_source.clone(),
            preset: state.preset.clone(),
            domain: state.domain,
            start: state.start,
            runs: state.runs.clone(),
            max_steps: state.playback.max_steps,
            view: state.display,
            camera: Some(state.camera),
            notebook,
            swarm: state.swarm,
            data: state.data.clone(),
        }
    }

    /// `base` (the session: playback speed, export folder, recent files) showing this scene.
    /// Checked first: an unusable scene is refused with the reason.
    pub fn to_state(&self, base: &AppState) -> Result<AppState, String> {
        self.check()?;
        let mut state = base.clone();
        state.source = self.function.clone();
        state.good_source = self.function.clone();
        state.preset = self.preset.clone();
        state.domain = self.domain;
        // A start outside the domain (a file written by hand) is moved inside, as the app
        // does when the domain changes: every run then starts on the surface.
        let ([x, y], d) = (self.start, self.domain);
        state.start = [x.clamp(d.x[0], d.x[1]), y.clamp(d.y[0], d.y[1])];
        state.runs = self.runs.clone();
        state.playback.max_steps = self.max_steps;
        state.playback.playing = false;
        state.playback.step = usize::MAX;
        state.display = self.view;
        if let Some(camera) = self.camera {
            state.camera = camera;
        }
        state.notebook = self.notebook.clone();
        state.notebook.lesson = None;
        state.notebook.animating = false;
        state.swarm = self.swarm;
        state.data = self.data.clone();
        state.lesson_return = None;
        Ok(state)
    }

    /// Why this scene cannot be shown, if it cannot.
    pub fn check(&self) -> Result<(), String> {
        if self.format != SCENE_FORMAT {
            return Err(format!(
                "it is not a gradscape scene (format {:?})",
                self.format
            ));
        }
        if self.version != SCENE_VERSION {
            return Err(version_problem(u64::from(self.version)));
        }
        crate::function::Function::parse(&self.function).map_err(|e| {
            format!(
                "its function {:?} does not parse: {}",
                self.function, e.message
            )
        })?;
        super::check_domain(&self.domain).map_err(|e| format!("its domain: {e}"))?;
        if !self.start.iter().all(|v| v.is_finite()) {
            return Err("its start point is not finite".into());
        }
        if self.runs.len() > super::MAX_RUNS {
            return Err(format!(
                "it has {} runs; the app takes at most {}",
                self.runs.len(),
                super::MAX_RUNS
            ));
        }
        for (i, run) in self.runs.iter().enumerate() {
            run.hyper
                .validate()
                .and_then(|()| run.options.validate(run.hyper.kind))
                .map_err(|e| format!("its run {}: {e}", i + 1))?;
        }
        if self.max_steps == 0 || self.max_steps > super::MAX_STEPS {
            return Err(format!(
                "its max_steps {} is outside 1…{}",
                self.max_steps,
                super::MAX_STEPS
            ));
        }
        Ok(())
    }
}

fn version_problem(version: u64) -> String {
    if version > u64::from(SCENE_VERSION) {
        format!(
            "it was written by a newer gradscape (scene version {version}; this one reads \
             version {SCENE_VERSION}): update gradscape to open it"
        )
    } else {
        format!("its scene version {version} is not one this gradscape reads ({SCENE_VERSION})")
    }
}

/// Reads a scene from JSON text, saying plainly what is wrong with text that is not one.
pub fn parse_scene(text: &str) -> Result<SceneFile, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("it is not valid JSON ({e})"))?;
    let Some(object) = value.as_object() else {
        return Err("it is not a gradscape scene (not a JSON object)".into());
    };
    match object.get("format").and_then(|f| f.as_str()) {
        Some(SCENE_FORMAT) => {}
        Some(other) => {
            return Err(format!(
                "it is not a gradscape scene (format {other:?}, expected {SCENE_FORMAT:?})"
            ));
        }
        None if object.contains_key("good_source") => {
            return Err(
                "it is a gradscape session file, not a scene: open the app on it by putting it \
                 in the config folder, or save a scene with File → Save"
                    .into(),
            );
        }
        None => {
            return Err(format!(
                "it is not a gradscape scene (no \"format\": {SCENE_FORMAT:?})"
            ));
        }
    }
    match object.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SCENE_VERSION) => {}
        Some(v) => return Err(version_problem(v)),
        None => return Err("it has no scene version".into()),
    }
    let scene: SceneFile =
        serde_json::from_value(value).map_err(|e| format!("it is not a valid scene: {e}"))?;
    scene.check()?;
    Ok(scene)
}

/// Reads the scene file at `path`.
pub fn read_scene(path: &std::path::Path) -> Result<SceneFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_string(),
        _ => format!("it cannot be read: {e}"),
    })?;
    parse_scene(&text)
}

/// The scene as pretty JSON, as written to a file.
pub fn scene_json(scene: &SceneFile) -> String {
    // The scene holds only numbers, strings and enums: it always serializes.
    serde_json::to_string_pretty(scene).unwrap_or_default()
}

/// Writes `scene` to `path` atomically (a temporary file renamed over the old one).
pub fn write_scene(path: &std::path::Path, scene: &SceneFile) -> std::io::Result<()> {
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&temp, scene_json(scene) + "\n")?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// `path`, with the scene extension added when it has none of its own.
pub fn with_scene_extension(path: &str) -> std::path::PathBuf {
    let trimmed = path.trim();
    if trimmed.ends_with(".json") {
        trimmed.into()
    } else {
        format!("{trimmed}{SCENE_EXTENSION}").into()
    }
}

/// A file name for the scene: its preset's name, else "scene".
pub fn suggested_name(state: &AppState) -> String {
    let stem = state
        .preset
        .as_deref()
        .filter(|_| {
            crate::presets::find(state.preset.as_deref().unwrap_or_default())
                .is_ok_and(|p| p.expr == state.good_source)
        })
        .unwrap_or("scene");
    format!("{stem}{SCENE_EXTENSION}")
}

/// `text` quoted for a POSIX shell.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,/=:+".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// The `gradscape open …` line that reproduces the scene `state` shows, exactly: the scene
/// inline with `--scene` (the camera left out, so the view fits the window it opens in).
pub fn command_line(state: &AppState) -> String {
    let scene = SceneFile {
        camera: None,
        ..SceneFile::from_state(state)
    };
    let compact = serde_json::to_string(&scene).unwrap_or_default();
    format!("gradscape open --scene {}", shell_quote(&compact))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scene_round_trips_through_its_json() {
        let mut state = AppState {
            start: [1.25, -0.5],
            ..AppState::default()
        };
        state.display.contours = true;
        let scene = SceneFile::from_state(&state);
        let back = parse_scene(&scene_json(&scene)).unwrap();
        assert_eq!(back, scene);
        let restored = back.to_state(&AppState::default()).unwrap();
        assert!(super::super::same_scene(
            &AppState {
                playback: state.playback,
                ..restored.clone()
            },
            &state
        ));
    }

    #[test]
    fn foreign_newer_and_broken_files_are_refused_with_the_reason() {
        let scene = SceneFile::from_state(&AppState::default());
        let json = scene_json(&scene);
        for (text, words) in [
            ("{", "not valid JSON"),
            ("[1, 2]", "not a JSON object"),
            ("{\"format\": \"png\"}", "format \"png\""),
            (
                &serde_json::to_string(&AppState::default()).unwrap(),
                "session file",
            ),
            (&json.replace("\"version\": 1", "\"version\": 7"), "newer"),
            (
                &json.replace("\"version\": 1", "\"version\": 0"),
                "version 0",
            ),
            (
                &json.replacen(&format!("{:?}", scene.function), "\"sin(x\"", 1),
                "does not parse",
            ),
            (
                &json.replace("\"max_steps\"", "\"max_stepz\""),
                "valid scene",
            ),
        ] {
            let error = parse_scene(text).unwrap_err();
            assert!(error.contains(words), "{words}: {error}");
        }
    }

    #[test]
    fn a_start_outside_the_domain_is_moved_in_and_bad_run_options_are_refused() {
        let mut scene = SceneFile::from_state(&AppState::default());
        scene.start = [1e300, -1e300];
        let state = scene.to_state(&AppState::default()).unwrap();
        let d = scene.domain;
        assert_eq!(state.start, [d.x[1], d.y[0]]);
        let mut scene = SceneFile::from_state(&AppState::default());
        scene.runs[0].options.noise = -1.0;
        let why = scene.check().unwrap_err();
        assert!(why.starts_with("its run 1:"), "{why}");
    }

    #[test]
    fn the_command_line_quotes_the_scene_for_a_shell() {
        let mut state = AppState::default();
        state.source = "x^2 + y^2 - 1 + 0*x".into();
        state.good_source = state.source.clone();
        let line = command_line(&state);
        assert!(line.starts_with("gradscape open --scene '{"), "{line}");
        assert!(line.ends_with("}'"), "{line}");
        assert!(shell_quote("it's").contains(r"'\''"));
        assert_eq!(shell_quote("plain-1.5"), "plain-1.5");
    }
}
