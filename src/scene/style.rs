//! How the surface is painted: the colormap by height, optional wireframe and contour lines.
//! The colormaps themselves are tables in shaders/surface.wgsl; this is only the choice.

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

impl Colormap {
    /// The colour at height fraction `t` in 0..1 (for `Diverging`, 0.5 is f = 0), sRGB in
    /// 0..1: the same 9-stop piecewise-linear tables as `colormap()` in shaders/surface.wgsl,
    /// for what the CPU paints (the app's contour map).
    pub fn sample(self, t: f32) -> [f32; 3] {
        let stops = match self {
            Colormap::Coolwarm => &COOLWARM,
            Colormap::Viridis => &VIRIDIS,
            Colormap::Diverging => &DIVERGING,
        };
        let x = t.clamp(0.0, 1.0) * 8.0;
        let i = (x.floor() as usize).min(7);
        let w = x - i as f32;
        std::array::from_fn(|c| stops[i][c] + (stops[i + 1][c] - stops[i][c]) * w)
    }
}

const COOLWARM: [[f32; 3]; 9] = [
    [0.230, 0.299, 0.754],
    [0.348, 0.465, 0.880],
    [0.485, 0.623, 0.977],
    [0.620, 0.741, 0.999],
    [0.865, 0.865, 0.865],
    [0.958, 0.769, 0.678],
    [0.958, 0.603, 0.482],
    [0.873, 0.407, 0.320],
    [0.706, 0.016, 0.150],
];
// 0.318 is a colour stop that merely looks like 1/π.
#[allow(clippy::approx_constant)]
const VIRIDIS: [[f32; 3]; 9] = [
    [0.267, 0.005, 0.329],
    [0.278, 0.175, 0.483],
    [0.229, 0.322, 0.546],
    [0.173, 0.449, 0.558],
    [0.128, 0.567, 0.551],
    [0.135, 0.659, 0.518],
    [0.267, 0.749, 0.441],
    [0.478, 0.821, 0.318],
    [0.993, 0.906, 0.144],
];
const DIVERGING: [[f32; 3]; 9] = [
    [0.020, 0.188, 0.380],
    [0.129, 0.400, 0.675],
    [0.263, 0.576, 0.765],
    [0.573, 0.773, 0.871],
    [0.969, 0.969, 0.969],
    [0.957, 0.647, 0.510],
    [0.839, 0.376, 0.302],
    [0.698, 0.094, 0.169],
    [0.404, 0.000, 0.122],
];

display_as_name!(Colormap);

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
    /// f was a number at none of the sampled points (sqrt(−1−x²−y²)): nothing to draw, and the
    /// view should say why instead of showing bare axes.
    pub defined_nowhere: bool,
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
            defined_nowhere: false,
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
    /// The Hessian's eigen-direction with the larger eigenvalue, and the other one.
    pub eigen_major: Rgba,
    pub eigen_minor: Rgba,
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
            eigen_major: [0.55, 0.15, 0.75, 1.0],
            eigen_minor: [0.95, 0.55, 0.05, 1.0],
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The CPU tables are the shader's: its `colormap()` lists viridis, diverging, coolwarm.
    #[test]
    fn cpu_colormaps_match_the_shader() {
        let shader = include_str!("../../shaders/surface.wgsl");
        let body = &shader[shader
            .find("fn colormap(")
            .expect("colormap() in the shader")..];
        let numbers: Vec<f32> = body
            .split("vec3(")
            .skip(1)
            .take(27)
            .flat_map(|chunk| {
                let inside = &chunk[..chunk.find(')').expect("closing parenthesis")];
                inside
                    .split(',')
                    .map(|n| n.trim().parse::<f32>().expect("a number"))
                    .collect::<Vec<_>>()
            })
            .collect();
        let tables = [VIRIDIS, DIVERGING, COOLWARM];
        let ours: Vec<f32> = tables.iter().flatten().flatten().copied().collect();
        assert_eq!(numbers, ours);
        assert_eq!(Colormap::Coolwarm.sample(0.0), COOLWARM[0]);
        assert_eq!(Colormap::Viridis.sample(1.0), VIRIDIS[8]);
        assert_eq!(Colormap::Diverging.sample(0.5), DIVERGING[4]);
    }
}
