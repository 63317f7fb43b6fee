//! Scene files as the workspace uses them: open (undoable), save, new, the recent list and the
//! window's title. The format itself is `scene_file`'s.

use std::path::Path;

use super::Workspace;
use super::scene_file::{RECENT_SCENES, SceneFile, read_scene, write_scene};
use super::state::AppState;

impl Workspace {
    /// Shows the scene in the file at `path` (undoable); on any problem the scene on screen
    /// stays as it is and the reason is returned.
    pub fn open_scene_file(&mut self, path: &Path) -> Result<(), String> {
        let scene = read_scene(path)?;
        self.open_scene(&scene)?;
        self.remember_scene_file(path);
        Ok(())
    }

    /// Shows `scene` (from a file or the command line), keeping the session's own settings.
    pub fn open_scene(&mut self, scene: &SceneFile) -> Result<(), String> {
        let state = scene.to_state(&self.state)?;
        self.restore(state)?;
        if scene.camera.is_none() {
            self.request_default_view();
        }
        self.state.playback.step = self.last_step();
        Ok(())
    }

    /// Writes the scene on screen to `path`, which becomes the file Save writes to.
    pub fn save_scene_file(&mut self, path: &Path) -> Result<(), String> {
        let scene = SceneFile::from_state(&self.state);
        write_scene(path, &scene).map_err(|e| e.to_string())?;
        self.remember_scene_file(path);
        Ok(())
    }

    /// A fresh scene: the default preset, runs and view (undoable).
    pub fn new_scene(&mut self) {
        let fresh = SceneFile::from_state(&AppState::default());
        let scene = SceneFile {
            camera: None,
            ..fresh
        };
        if self.open_scene(&scene).is_ok() {
            self.state.scene_file = None;
        }
    }

    /// The window's title: the scene file's name where the scene has one, so a user with two
    /// windows (or a task bar) can tell which scene is which.
    pub fn window_title(&self) -> String {
        let name = self.state.scene_file.as_deref().and_then(|path| {
            Path::new(path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        });
        match name {
            Some(name) => format!("{name} — gradscape"),
            None => "gradscape".to_owned(),
        }
    }

    /// `path` becomes the scene's file (what Save writes to) and the first of the recent ones.
    fn remember_scene_file(&mut self, path: &Path) {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let name = path.display().to_string();
        self.state.scene_file = Some(name.clone());
        let recent = &mut self.state.recent_scenes;
        recent.retain(|p| *p != name);
        recent.insert(0, name);
        recent.truncate(RECENT_SCENES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_scene_opens_again_names_the_window_and_leads_the_recent_list() {
        let mut workspace = Workspace::new(AppState::default());
        let dir = crate::workspace::tests::temp_dir("files");
        let path = dir.join("bowl.gradscape.json");
        assert_eq!(workspace.window_title(), "gradscape");
        workspace.set_source("x^2 + y^2");
        workspace.save_scene_file(&path).unwrap();
        assert_eq!(workspace.window_title(), "bowl.gradscape.json — gradscape");
        let mut other = Workspace::new(AppState::default());
        other.open_scene_file(&path).unwrap();
        assert_eq!(other.state.good_source, "x^2 + y^2");
        assert_eq!(
            other.state.recent_scenes[0],
            other.state.scene_file.clone().unwrap()
        );
        other.new_scene();
        assert_eq!(
            (
                other.state.scene_file.as_deref(),
                other.window_title().as_str()
            ),
            (None, "gradscape")
        );
        assert!(
            other
                .open_scene_file(&dir.join("missing.gradscape.json"))
                .is_err()
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
