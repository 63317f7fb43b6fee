//! `Model`: the [`Workspace`] (the persisted state and the session's logic) and what belongs to
//! the window alone — focus and gesture flags, the view's rect, dialogs and help windows, the
//! status line, the swarm's results, an image export request and the GPU for Help → About.

use crate::workspace::Workspace;

pub struct Model {
    /// The scene and everything derived from it; the panels reach it through `Deref`.
    pub workspace: Workspace,
    /// Whether the camera is being orbited or panned by a drag in the viewport.
    pub(crate) orbiting: bool,
    /// A message for the status line (an export written, or why it failed), and whether it is
    /// an error.
    pub(crate) notice: Option<(String, bool)>,
    /// An image export the app should draw after this frame (the UI has no GPU).
    pub image_export: Option<super::ImageExport>,
    /// What the GPU swarm computed for the view (basins, hyperparameter map, balls).
    pub swarm: super::swarm::SwarmView,
    /// Whether the central view (the 3-D scene, or the 1-D plots) has the keyboard: the last
    /// press landed in it, or the pointer is over it. Preset digit keys act only then.
    pub(crate) view_has_keys: bool,
    /// The last press landed in the central view.
    pub(crate) view_focused: bool,
    /// The central view's rect last frame, in points.
    pub(crate) view_rect: Option<egui::Rect>,
    /// Which help windows are open.
    pub(crate) help: super::help::HelpWindows,
    /// The GPU the app draws with, for Help → About (set by the app).
    pub gpu: Option<super::help::GpuAbout>,
    /// Ctrl+Q (or File → Quit) was pressed: the app saves the session and exits.
    pub quit_requested: bool,
    /// The Open… or Save As… window, while one is open.
    pub(crate) file_dialog: Option<super::file_menu::FileDialog>,
    /// The Open data… window, while it is open.
    pub(crate) data_dialog: Option<super::data_panel::OpenData>,
}

/// Every panel reads and edits the scene through the model it is handed: `model.state`,
/// `model.set_start(…)` reach the workspace without each of the many call sites naming it.
impl std::ops::Deref for Model {
    type Target = Workspace;

    fn deref(&self) -> &Workspace {
        &self.workspace
    }
}

impl std::ops::DerefMut for Model {
    fn deref_mut(&mut self) -> &mut Workspace {
        &mut self.workspace
    }
}

impl Model {
    /// The workspace over `state` (see [`Workspace::load`]), with nothing of the window's open.
    pub fn new(state: crate::workspace::AppState) -> Self {
        let (workspace, dropped) = Workspace::load(state);
        Self {
            workspace,
            orbiting: false,
            notice: dropped.map(|text| (text, true)),
            image_export: None,
            swarm: Default::default(),
            view_has_keys: false,
            view_focused: false,
            view_rect: None,
            help: Default::default(),
            gpu: None,
            quit_requested: false,
            file_dialog: None,
            data_dialog: None,
        }
    }

    /// Whether the user is moving the 3-D view or the start by a drag in the viewport (or on
    /// the map): the frames the app may draw lighter, panels included. A drag of a panel's own
    /// widget does not count: it must follow the pointer at full rate.
    pub fn view_gesture(&self) -> bool {
        self.workspace.dragging_start || self.orbiting
    }

    /// The status line's message and whether it is an error, if one is shown.
    pub fn notice_text(&self) -> Option<(String, bool)> {
        self.notice.clone()
    }

    /// Whether the keyboard-and-mouse sheet is open.
    pub fn shortcuts_open(&self) -> bool {
        self.help.shortcuts
    }
}
