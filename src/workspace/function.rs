//! The function and its domain as the workspace holds them: the last good function (as typed, and
//! as the (x, y) surface shows it), the parse error of the text being typed, the data objective it
//! may be instead, and what is derived from the surface alone (the base scene, its version, the
//! tangent-plane verdict). Rebuilt only when the function, domain or vertical scale changes.

use std::cell::Cell;

use super::data::{self, DataProblem, LoadedData};
use super::state::{AppState, DomainState};
use crate::function::Function;
use crate::math::ParseError;
use crate::scene::{Domain, SceneDesc};

/// How long a parsing expression must rest in the field before it replaces the function.
pub const SOURCE_REST_SECS: f64 = 0.3;

pub struct FunctionDomain {
    /// The last good function, as typed (1-D or 2-D): what the runs descend.
    pub(super) function: Function,
    /// The same as a function of (x, y), for the surface and the picking: a 1-D f(x) is shown
    /// extruded along y.
    pub(super) surface: Function,
    pub(super) parse_error: Option<ParseError>,
    /// The data objective's table, model and minimum, while the scene is one.
    pub(super) data: Option<LoadedData>,
    /// The Data panel's last spec that did not build, and why (the last good one stays).
    pub(super) data_problem: Option<DataProblem>,
    /// The scene without camera or overlays; its vertical scale samples f, so it is built only
    /// when the function, domain or scale changes.
    pub(super) base_scene: SceneDesc,
    /// Bumped whenever the surface must be evaluated again (function, domain, scale).
    pub(super) surface_version: u64,
    /// When the expression field was last edited (the UI's clock, seconds) while its text is
    /// not yet the function: see [`super::Workspace::edit_source`].
    pub(super) source_edited_at: Option<f64>,
    /// Whether the surface has a tangent plane at a point, for the last (surface version,
    /// point) asked: the verdict reads secants along three lines, too much for every frame.
    plane_verdict: Cell<Option<(u64, [u64; 2], bool)>>,
}

impl FunctionDomain {
    pub(super) fn from_parts(
        state: &AppState,
        function: Function,
        surface: Function,
        data: Option<LoadedData>,
    ) -> Self {
        let base_scene = base_scene(&surface, state);
        Self {
            function,
            surface,
            parse_error: Function::parse(&state.source).err(),
            data,
            data_problem: None,
            base_scene,
            surface_version: 0,
            source_edited_at: None,
            plane_verdict: Cell::new(None),
        }
    }

    /// Takes a restored state's function, surface and data; the surface is evaluated again
    /// unless `surface_same`.
    pub(super) fn replace(
        &mut self,
        (function, surface, data): (Function, Function, Option<LoadedData>),
        state: &AppState,
        surface_same: bool,
    ) {
        self.parse_error = Function::parse(&state.source).err();
        self.source_edited_at = None;
        self.function = function;
        self.surface = surface;
        self.data = data;
        self.data_problem = None;
        if !surface_same {
            self.surface_changed(state);
        }
    }

    /// The function or surface changed: the base scene is sampled again, the surface
    /// re-evaluated.
    pub(super) fn surface_changed(&mut self, state: &AppState) {
        self.base_scene = base_scene(&self.surface, state);
        self.surface_version += 1;
    }

    pub fn function(&self) -> &Function {
        &self.function
    }

    /// The function as (x, y) → f, as the surface shows it.
    pub fn surface(&self) -> &Function {
        &self.surface
    }

    /// 1 or 2: the dimension of the function as typed.
    pub fn dims(&self) -> usize {
        self.function.dims()
    }

    /// Whether the surface has a tangent plane at `point` by the notebook's verdict
    /// ([`crate::calculus::tangent_plane_check`]); remembered for the last point.
    pub fn has_tangent_plane(&self, point: [f64; 2]) -> bool {
        let key = (self.surface_version, point.map(f64::to_bits));
        if let Some((version, bits, has)) = self.plane_verdict.get()
            && (version, bits) == key
        {
            return has;
        }
        let has = crate::calculus::tangent_plane_check(&self.surface, point).is_none();
        self.plane_verdict.set(Some((key.0, key.1, has)));
        has
    }
}

/// A grid side the renderer can draw (a hand-edited session may hold any number).
pub(super) fn clamp_grid_side(side: u32) -> u32 {
    side.clamp(2, crate::render::MAX_SURFACE_SIDE)
}

/// Why `domain` cannot be shown, if it cannot: each range must be finite, ordered, and
/// representable in the f32 grid coordinates the GPU evaluates at.
pub fn check_domain(domain: &DomainState) -> Result<(), String> {
    for (name, r) in [("x", domain.x), ("y", domain.y)] {
        let width = r[1] - r[0];
        if !(r[0].is_finite() && r[1].is_finite() && width.is_finite()) {
            return Err(format!("the {name} range must be two finite numbers"));
        }
        if r[0] >= r[1] {
            return Err(format!(
                "the {name} range is empty: its start must be below its end"
            ));
        }
        if !((r[0] as f32).is_finite() && (r[1] as f32).is_finite()) {
            return Err(format!(
                "the {name} range is too large for the GPU grid (|x| up to about 3e38)"
            ));
        }
        // Narrower than this, f32 grid coordinates cannot tell the points apart (nor can
        // they below f32's normal range, where 0..1e-323 is 0..0).
        let width_f32 = r[1] as f32 - r[0] as f32;
        let f32_resolves = width_f32.is_finite() && width_f32 >= 1e3 * f32::MIN_POSITIVE;
        if width <= 1e-6 * r[0].abs().max(r[1].abs()) || !f32_resolves {
            return Err(format!("the {name} range is too narrow to draw"));
        }
    }
    Ok(())
}

/// Whether `source` parses as a function the app can show.
pub(super) fn compile_check(source: &str) -> Result<(), ParseError> {
    compile(source).map(|_| ())
}

/// The scene's function (as run, and as the surface shows it) and its data, if it is a data
/// objective; or why it cannot be built.
pub(super) fn compile_scene(
    state: &AppState,
) -> Result<(Function, Function, Option<LoadedData>), String> {
    if let Some(spec) = &state.data {
        let (function, surface, loaded) = data::load(spec)
            .map_err(|p| format!("its data objective cannot be built: {}", p.message))?;
        return Ok((function, surface, Some(loaded)));
    }
    let (function, surface) = compile(&state.good_source).map_err(|e| {
        format!(
            "its function {:?} does not parse: {}",
            state.good_source, e.message
        )
    })?;
    Ok((function, surface, None))
}

/// Parses `source`; for a 1-D expression also builds the (x, y) version the surface shows.
pub(super) fn compile(source: &str) -> Result<(Function, Function), ParseError> {
    let function = Function::parse(source)?;
    let surface = if function.dims() == 2 {
        function.clone()
    } else {
        // Mentioning y makes the function 2-D with ∂f/∂y = 0; the parenthesised source parsed
        // on its own, so this parses too unless it hits the length limit, where the 1-D
        // function is all there is to show.
        Function::parse(&format!("({source}) + 0*y"))?
    };
    Ok((function, surface))
}

fn base_scene(surface: &Function, state: &AppState) -> SceneDesc {
    let DomainState { x, y } = state.domain;
    let domain = Domain::new((x[0], x[1]), (y[0], y[1]));
    let z_range = state.display.z_range.map(|[lo, hi]| (lo, hi));
    SceneDesc::with_z_range(surface, domain, state.display.log_scale, 1.5, z_range)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_1d_function_gets_a_2d_surface_extruded_along_y() {
        let (function, surface) = compile("x^2").unwrap();
        assert_eq!((function.dims(), surface.dims()), (1, 2));
        assert_eq!(surface.value(&[3.0, 7.0]), 9.0);
        assert!(compile("x^^2").is_err());
        assert!(compile_check("sin(x*y)").is_ok());
    }

    #[test]
    fn domains_the_grid_cannot_draw_are_refused_with_the_reason() {
        let ok = DomainState {
            x: [-1.0, 1.0],
            y: [-2.0, 2.0],
        };
        assert!(check_domain(&ok).is_ok());
        let with_x = |x| DomainState { x, ..ok };
        assert!(
            check_domain(&with_x([1.0, -1.0]))
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            check_domain(&with_x([-1e39, 1e39]))
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            check_domain(&with_x([1.0, 1.0 + 1e-9]))
                .unwrap_err()
                .contains("too narrow")
        );
        assert!(check_domain(&with_x([f64::NAN, 1.0])).is_err());
    }

    #[test]
    fn the_plane_verdict_is_remembered_per_surface_version_and_point() {
        let state = AppState {
            good_source: "abs(sign(x*y))".into(),
            source: "abs(sign(x*y))".into(),
            ..AppState::default()
        };
        let (function, surface, data) = compile_scene(&state).unwrap();
        let mut built = FunctionDomain::from_parts(&state, function, surface, data);
        assert!(!built.has_tangent_plane([0.0, 0.0]));
        assert!(built.has_tangent_plane([1.0, 1.0]));
        let version = built.surface_version;
        built.surface_changed(&state);
        assert_eq!(built.surface_version, version + 1);
        assert!(!built.has_tangent_plane([0.0, 0.0]));
    }
}
