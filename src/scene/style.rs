//! How the surface is painted: the colormap by height, optional wireframe and contour lines.
//! The colormaps themselves are tables in shaders/surface.wgsl; this is only the choice.

use std::fmt;
use std::str::FromStr;

/// Colour by height. Keep the numbering in sync with `colormap()` in shaders/surface.wgsl.
/// Serialisable (by its lowercase name) so the app can keep the choice in a saved session.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Colormap {
    /// matplotlib's coolwarm, as in the notebook: blue low, red high.
    #[default]
    Coolwarm,
    Viridis,
    /// Blue below zero, white at zero, red above (by f, not by height).
    Diverging,
}

impl Colormap {
    pub const ALL: [Colormap; 3] = [Colormap::Coolwarm, Colormap::Viridis, Colormap::Diverging];

    pub const fn name(self) -> &'static str {
        match self {
            Colormap::Coolwarm => "coolwarm",
            Colormap::Viridis => "viridis",
            Colormap::Diverging => "diverging",
        }
    }

    /// The index the shader switches on.
    pub const fn shader_index(self) -> u32 {
        match self {
            Colormap::Coolwarm => 0,
            Colormap::Viridis => 1,
            Colormap::Diverging => 2,
        }
    }
}

impl fmt::Display for Colormap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Colormap {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Colormap::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = Colormap::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "unknown colormap '{s}' (choose one of {})",
                    names.join(", ")
                )
            })
    }
}

/// The surface's look.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SurfaceStyle {
    pub colormap: Colormap,
    /// Grid lines every few grid cells (about 32 per side).
    pub wireframe: bool,
    /// Iso-lines at this many evenly spaced heights; 0 for none.
    pub contour_levels: u32,
    /// Whether some grid points may be NaN, to be drawn as holes (which costs a slower shader
    /// path). `SceneDesc::new` sets it from a sample of the function; set it when unsure.
    pub may_have_holes: bool,
    /// Level of detail: draw at most this many cells per side, taking every k-th grid point
    /// (0 draws every point). Software rasterisers are bound by triangle count, not pixels:
    /// on lavapipe a 256² grid costs about 3× a 128² one at any image size.
    pub max_cells_per_side: u32,
}

impl Default for SurfaceStyle {
    fn default() -> Self {
        Self {
            colormap: Colormap::Coolwarm,
            wireframe: false,
            contour_levels: 0,
            may_have_holes: true,
            max_cells_per_side: 0,
        }
    }
}

/// An sRGB colour with alpha, components in 0..1.
pub type Rgba = [f32; 4];

/// The overlay colours; `plane` is the translucent tangent plane.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: Rgba,
    pub plane: Rgba,
    /// ∂f/∂x line (the notebook's dashed blue).
    pub partial_x: Rgba,
    /// ∂f/∂y line (the notebook's solid red).
    pub partial_y: Rgba,
    pub gradient: Rgba,
    pub descent: Rgba,
    pub minimum: Rgba,
    pub axes: Rgba,
}

impl Default for Palette {
    fn default() -> Self {
        Self {
            background: [1.0, 1.0, 1.0, 1.0],
            plane: [0.30, 0.75, 0.35, 0.45],
            partial_x: [0.10, 0.30, 0.95, 1.0],
            partial_y: [0.90, 0.10, 0.10, 1.0],
            gradient: [0.10, 0.10, 0.10, 1.0],
            descent: [1.00, 0.65, 0.00, 1.0],
            minimum: [1.0, 1.0, 1.0, 1.0],
            axes: [0.25, 0.25, 0.25, 1.0],
        }
    }
}

/// One colour per optimizer run, cycling; chosen away from coolwarm's blue and red.
pub const RUN_COLORS: [Rgba; 6] = [
    [1.00, 0.60, 0.00, 1.0],
    [0.10, 0.70, 0.25, 1.0],
    [0.60, 0.25, 0.85, 1.0],
    [0.95, 0.30, 0.70, 1.0],
    [0.05, 0.75, 0.80, 1.0],
    [0.45, 0.30, 0.15, 1.0],
];
