//! `SceneDesc`, everything one frame shows, and its flattening into world-space primitives
//! (line segments, balls, translucent triangles) that the renderer uploads as they are.
//! The overlay geometry (tangent plane, partial-derivative lines, arrows, axes) is computed here.

use glam::Vec3;

use super::camera::OrbitCamera;
use super::space::{Domain, ValueSample, WorldMap};
use super::style::{Palette, RUN_COLORS, Rgba, SurfaceStyle};
use crate::function::Function;
use crate::optim::Trajectory;

/// f and ∇f at a point A: what the tangent plane and the derivative lines are built from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointInfo {
    pub x: f64,
    pub y: f64,
    pub value: f64,
    /// (∂f/∂x, ∂f/∂y).
    pub gradient: [f64; 2],
}

impl PointInfo {
    pub fn of(function: &Function, x: f64, y: f64) -> Self {
        let (value, gradient) = function.value_and_gradient(&[x, y]);
        Self {
            x,
            y,
            value,
            gradient: [
                gradient.first().copied().unwrap_or(f64::NAN),
                gradient.get(1).copied().unwrap_or(f64::NAN),
            ],
        }
    }

    pub fn is_finite(&self) -> bool {
        self.value.is_finite() && self.gradient.iter().all(|g| g.is_finite())
    }

    /// The tangent plane's value at (x, y): f(A) + fx(A)(x − xA) + fy(A)(y − yA).
    pub fn plane_value(&self, x: f64, y: f64) -> f64 {
        self.value + self.gradient[0] * (x - self.x) + self.gradient[1] * (y - self.y)
    }
}

/// One optimizer run: its points (x, y, f) and which step the ball sits on.
#[derive(Clone, Debug, PartialEq)]
pub struct TrajectoryOverlay {
    pub points: Vec<[f64; 3]>,
    /// Index into `points` of the ball; the line is drawn up to it. Clamped when drawn.
    pub current: usize,
    pub color: Rgba,
    /// What the legend calls it: the optimizer and its learning rate ("adam, lr 0.1").
    pub label: String,
}

impl TrajectoryOverlay {
    /// A run's rows, in colour `RUN_COLORS[run_index % len]`, the ball on its last row.
    pub fn from_trajectory(trajectory: &Trajectory, run_index: usize) -> Self {
        let points: Vec<[f64; 3]> = trajectory
            .steps
            .iter()
            .filter(|s| s.point.len() == 2)
            .map(|s| [s.point[0], s.point[1], s.value])
            .collect();
        Self {
            current: points.len().saturating_sub(1),
            points,
            color: RUN_COLORS[run_index % RUN_COLORS.len()],
            label: String::new(),
        }
    }

    /// The same, named in the legend.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
}

/// A run's name in legends: its optimizer and learning rate.
pub fn run_label(kind: crate::optim::OptimizerKind, lr: f64) -> String {
    format!("{kind}, lr {}", crate::format::number(lr))
}

/// The names of the view's axes for `function`.
pub fn axis_names(function: &Function) -> [String; 3] {
    if function.data_rows().is_some() {
        ["θ₀".into(), "θ₁".into(), "f(θ₀, θ₁)".into()]
    } else {
        ["x".into(), "y".into(), "f(x, y)".into()]
    }
}

/// The overlays drawn over the surface.
#[derive(Clone, Debug, PartialEq)]
pub struct Overlays {
    /// The point A of the tangent plane, the derivative lines and the arrows.
    pub at: Option<PointInfo>,
    pub show_plane: bool,
    pub show_partials: bool,
    pub show_arrows: bool,
    /// The Hessian's eigenpairs at A (largest first), drawn as short curves along each
    /// eigen-direction following f's second-order Taylor model there; empty: none drawn.
    pub eigen: Vec<crate::inspect::Eigen>,
    /// Known minima as (x, y, f).
    pub minima: Vec<[f64; 3]>,
    pub axes: bool,
    pub trajectories: Vec<TrajectoryOverlay>,
}

impl Default for Overlays {
    fn default() -> Self {
        Self {
            at: None,
            show_plane: true,
            show_partials: true,
            show_arrows: true,
            eigen: Vec::new(),
            minima: Vec::new(),
            axes: true,
            trajectories: Vec::new(),
        }
    }
}

/// Everything one frame shows, on the CPU.
#[derive(Clone, Debug, PartialEq)]
pub struct SceneDesc {
    pub map: WorldMap,
    pub camera: OrbitCamera,
    pub surface: SurfaceStyle,
    pub palette: Palette,
    pub overlays: Overlays,
    /// The axes' names: x, y and f(x, y), or a data objective's θ₀, θ₁ and f(θ₀, θ₁).
    pub axis_names: [String; 3],
}

impl SceneDesc {
    /// The function's domain with an automatic vertical scale, no overlays, and the camera at its
    /// default angles fitted to the domain for a viewport of `aspect` (width / height).
    pub fn new(function: &Function, domain: Domain, log_scale: bool, aspect: f32) -> Self {
        Self::with_z_range(function, domain, log_scale, aspect, None)
    }

    /// [`SceneDesc::new`] with the z-range given (lo < hi, both finite) instead of automatic; the
    /// surface is cut outside it either way.
    pub fn with_z_range(
        function: &Function,
        domain: Domain,
        log_scale: bool,
        aspect: f32,
        z_range: Option<(f64, f64)>,
    ) -> Self {
        let sample = ValueSample::of(function, &domain);
        let auto = sample.auto_scale(log_scale);
        let scale = match z_range {
            Some((lo, hi)) if lo.is_finite() && hi.is_finite() && lo < hi => {
                auto.with_range(lo, hi)
            }
            _ => auto,
        };
        let (finite, sampled) = (sample.finite(), sample.sampled);
        let (holes, defined_nowhere) = (finite < sampled, finite == 0);
        let mut scene = Self {
            map: WorldMap::new(domain, scale),
            camera: OrbitCamera::default(),
            surface: SurfaceStyle {
                may_have_holes: holes,
                defined_nowhere,
                ..SurfaceStyle::default()
            },
            palette: Palette::default(),
            overlays: Overlays::default(),
            axis_names: axis_names(function),
        };
        scene.fit_camera(aspect);
        scene
    }

    /// Fit-to-domain: the camera keeps its angles and frames the surface's box.
    pub fn fit_camera(&mut self, aspect: f32) {
        self.camera = self.fitted_camera(aspect);
    }

    /// The camera with its angles, fitted to the surface's box at `aspect`.
    fn fitted_camera(&self, aspect: f32) -> OrbitCamera {
        let (min, max) = self.map.bounds_world();
        // With axes, room around the box for their numbers and names.
        let margin = if self.overlays.axes { 0.82 } else { 0.94 };
        let mut camera = self.camera;
        camera.fit_to_box_within(min, max, aspect, margin);
        camera
    }

    /// The camera as it was shown in a viewport of `shown_aspect`, framed again for one of
    /// `aspect` (a figure's view, which its legend column makes narrower than the window's):
    /// the same angles, with the zoom and pan it had relative to the fitted view at
    /// `shown_aspect` applied to the fitted view at `aspect`. A fitted camera becomes the
    /// fitted one, which is what `gradscape render --camera YAW,PITCH,1` draws; without this a
    /// narrower figure cuts the sides of the surface off.
    pub fn reframe_camera(&mut self, shown_aspect: f32, aspect: f32) {
        let usable = |a: f32| a.is_finite() && a > 0.0;
        if !usable(shown_aspect) || !usable(aspect) {
            return;
        }
        let shown = self.fitted_camera(shown_aspect);
        let fitted = self.fitted_camera(aspect);
        let zoom = self.camera.distance / shown.distance;
        let pan = self.camera.target - shown.target;
        self.camera = fitted;
        self.camera.zoom(zoom);
        self.camera.target += pan;
    }

    /// Sets A (None when f or ∇f is not finite there: there is no plane to draw).
    pub fn set_point(&mut self, function: &Function, x: f64, y: f64) {
        let info = PointInfo::of(function, x, y);
        self.overlays.at = info.is_finite().then_some(info);
    }

    /// Markers at the given minima (x, y), drawn at f there.
    pub fn set_minima(&mut self, function: &Function, minima: &[Vec<f64>]) {
        self.overlays.minima = minima
            .iter()
            .filter(|m| m.len() == 2)
            .map(|m| [m[0], m[1], function.value(m)])
            .filter(|m| m[2].is_finite())
            .collect();
    }

    /// Half the side of the tangent-plane square, in world units: a fixed share of the view, so
    /// the plane stays a readable size as the camera zooms.
    pub fn plane_half_size_world(&self) -> f32 {
        (self.camera.distance * 0.09).clamp(0.05, 0.6)
    }

    /// The tangent plane's corners as (x, y, z) in the function's own units, counter-clockwise
    /// from (−, −); None without a point A.
    pub fn tangent_plane_corners(&self) -> Option<[[f64; 3]; 4]> {
        let at = self.overlays.at?;
        let [hx, hy] = self.plane_half_size_domain();
        let corner = |sx: f64, sy: f64| {
            let (x, y) = (at.x + sx * hx, at.y + sy * hy);
            [x, y, at.plane_value(x, y)]
        };
        Some([
            corner(-1.0, -1.0),
            corner(1.0, -1.0),
            corner(1.0, 1.0),
            corner(-1.0, 1.0),
        ])
    }

    fn plane_half_size_domain(&self) -> [f64; 2] {
        let h = f64::from(self.plane_half_size_world());
        let [sx, sy] = self.map.xy_scale();
        [h / sx, h / sy]
    }

    /// Where a trajectory point is drawn: at its f, lifted just above the surface so that the
    /// line is not swallowed by it.
    pub fn trajectory_point_world(&self, point: [f64; 3]) -> Vec3 {
        self.map.world_on_surface(point[0], point[1], point[2]) + Vec3::Z * TRAJECTORY_LIFT_WORLD
    }

    /// The point A when it lies in the view's box: over the domain, and with f(A) not beyond an
    /// end of the z-range that cuts the surface. Its plane, lines and ball are drawn only then
    /// (A following a run that left the box would float outside it, where nothing is measured).
    pub fn point_in_view(&self) -> Option<PointInfo> {
        let domain = self.map.domain;
        self.overlays.at.filter(|a| {
            (domain.x.0..=domain.x.1).contains(&a.x)
                && (domain.y.0..=domain.y.1).contains(&a.y)
                && self.map.scale.shows(a.value)
        })
    }

    /// Flattens the overlays into world-space primitives.
    pub fn primitives(&self) -> Primitives {
        let mut out = Primitives::default();
        if let Some(at) = self.point_in_view() {
            self.point_overlays(at, &mut out);
        }
        // A minimum below a cut z-range is cut away with the surface around it.
        for minimum in self
            .overlays
            .minima
            .iter()
            .filter(|m| self.map.scale.shows(m[2]))
        {
            out.balls.push(Ball {
                center_world: self
                    .map
                    .world_on_surface(minimum[0], minimum[1], minimum[2]),
                radius_px: 5.0,
                color: self.palette.minimum,
            });
        }
        if self.overlays.axes {
            self.axes(&mut out);
        }
        for run in &self.overlays.trajectories {
            self.trajectory(run, &mut out);
        }
        out
    }

    fn point_overlays(&self, at: PointInfo, out: &mut Primitives) {
        let [hx, hy] = self.plane_half_size_domain();
        // Under a linear scale this is the plane itself. Under a log scale the plane of f is
        // meaningless below the range's floor, so the overlay is the plane tangent to the surface
        // as drawn: the value mapping linearised at f(A).
        let on_plane = |x: f64, y: f64| match self.map.scale.log_offset {
            None => self.map.world_from_domain(x, y, at.plane_value(x, y)),
            Some(_) => {
                let base = self.map.world_on_surface(x, y, at.value);
                let dz_df = f64::from(super::space::WORLD_HEIGHT) * self.map.scale.dt_df(at.value);
                base + Vec3::Z * ((at.plane_value(x, y) - at.value) * dz_df) as f32
            }
        };
        if self.overlays.show_plane {
            // Subdivided so that under a log scale the plane bends with the surface's warp.
            const N: usize = 8;
            let vertex = |i: usize, j: usize| {
                let x = at.x + hx * (2.0 * j as f64 / N as f64 - 1.0);
                let y = at.y + hy * (2.0 * i as f64 / N as f64 - 1.0);
                on_plane(x, y)
            };
            for i in 0..N {
                for j in 0..N {
                    let quad = [
                        vertex(i, j),
                        vertex(i, j + 1),
                        vertex(i + 1, j + 1),
                        vertex(i + 1, j),
                    ];
                    for k in [0, 1, 2, 0, 2, 3] {
                        out.triangles.push(quad[k]);
                    }
                }
            }
            out.triangle_color = self.palette.plane;
        }
        if self.overlays.show_partials {
            out.lines.push(Line {
                a_world: on_plane(at.x - hx, at.y),
                b_world: on_plane(at.x + hx, at.y),
                color: self.palette.partial_x,
                width_px: 3.0,
                dash_px: 10.0,
            });
            out.lines.push(Line {
                a_world: on_plane(at.x, at.y - hy),
                b_world: on_plane(at.x, at.y + hy),
                color: self.palette.partial_y,
                width_px: 3.0,
                dash_px: 0.0,
            });
        }
        for (eigen, color) in self
            .overlays
            .eigen
            .iter()
            .zip([self.palette.eigen_major, self.palette.eigen_minor])
        {
            // f(A + t·v) ≈ f(A) + t ∇f·v + ½ λ t²: bends up along a positive eigenvalue and
            // down along a negative one, so the curvature reads at a glance.
            let [vx, vy] = eigen.direction;
            // The same on-screen length in every direction, whatever the axes' scales.
            let reach = 0.8 / (vx / hx).hypot(vy / hy);
            const N: usize = 12;
            let point = |k: usize| {
                let t = reach * (2.0 * k as f64 / N as f64 - 1.0);
                let (x, y) = (at.x + t * vx, at.y + t * vy);
                let taylor = at.plane_value(x, y) + 0.5 * eigen.value * t * t;
                on_plane(x, y) + Vec3::Z * self.lift_from_plane(at, x, y, taylor)
            };
            for k in 0..N {
                out.lines.push(Line {
                    a_world: point(k),
                    b_world: point(k + 1),
                    color,
                    width_px: 3.0,
                    dash_px: 0.0,
                });
            }
        }
        if self.overlays.show_arrows {
            let norm = at.gradient[0].hypot(at.gradient[1]);
            if norm > 0.0 {
                let (ux, uy) = (at.gradient[0] / norm, at.gradient[1] / norm);
                let reach = 0.9;
                for (sign, color) in [(1.0, self.palette.gradient), (-1.0, self.palette.descent)] {
                    let tip = (at.x + sign * reach * hx * ux, at.y + sign * reach * hy * uy);
                    self.arrow(on_plane(at.x, at.y), on_plane(tip.0, tip.1), color, out);
                }
            }
        }
        out.balls.push(Ball {
            center_world: on_plane(at.x, at.y),
            radius_px: 4.0,
            color: self.palette.gradient,
        });
    }

    /// World height of `value` above the tangent plane's point over (x, y): the plane is the
    /// first-order part, so only the second-order remainder is added, scaled as the surface
    /// is at f(A) (under a log scale, its local stretch there).
    fn lift_from_plane(&self, at: PointInfo, x: f64, y: f64, value: f64) -> f32 {
        let scale = self.map.scale;
        let dt_df = match scale.log_offset {
            None => 1.0 / (scale.hi - scale.lo),
            Some(_) => scale.dt_df(at.value),
        };
        ((value - at.plane_value(x, y)) * dt_df * f64::from(super::space::WORLD_HEIGHT)) as f32
    }

    fn arrow(&self, from: Vec3, to: Vec3, color: Rgba, out: &mut Primitives) {
        let width_px = 3.0;
        out.lines.push(Line {
            a_world: from,
            b_world: to,
            color,
            width_px,
            dash_px: 0.0,
        });
        let along = to - from;
        let length = along.length();
        if length <= 0.0 {
            return;
        }
        // The head's barbs lie in the vertical plane through the shaft's xy direction rotated a
        // quarter turn, so they read from any angle.
        let dir = along / length;
        let side = Vec3::Z.cross(dir).normalize_or_zero();
        let head = length.min(0.4) * 0.3;
        for s in [-1.0, 1.0] {
            let barb = to - dir * head + side * (s * head * 0.5);
            out.lines.push(Line {
                a_world: to,
                b_world: barb,
                color,
                width_px,
                dash_px: 0.0,
            });
        }
    }

    /// The three axis edges that face the camera (see [`super::axes`]), with a tick mark at
    /// each nice value standing out from the box.
    fn axes(&self, out: &mut Primitives) {
        let color = self.palette.axes;
        let width_px = 1.5;
        for edge in super::axes::axis_edges(self) {
            out.lines.push(Line {
                a_world: edge.from_world,
                b_world: edge.to_world,
                color,
                width_px,
                dash_px: 0.0,
            });
            for tick in super::axes::ticks(self, &edge) {
                out.lines.push(Line {
                    a_world: tick.world,
                    b_world: tick.world + edge.outward_world * super::axes::TICK_WORLD,
                    color,
                    width_px,
                    dash_px: 0.0,
                });
            }
        }
    }

    /// A run's path so far, cut to the box the surface spans: a run that leaves it (a diverged
    /// one, or one that climbs past the z-range) ends with a cross where it left, not a line to
    /// infinity; the ball is drawn only where the run's current point is inside.
    fn trajectory(&self, run: &TrajectoryOverlay, out: &mut Primitives) {
        // The path so far: in an animation the line grows behind the ball.
        let shown = run.current.saturating_add(1).min(run.points.len());
        let lift = f64::from(TRAJECTORY_LIFT_WORLD);
        let world: Vec<Option<[f64; 3]>> = run.points[..shown]
            .iter()
            .map(|&[x, y, f]| {
                let [wx, wy, wz] = self.map.world_f64(x, y, f);
                let p = [wx, wy, wz + lift];
                p.iter().all(|c| c.is_finite()).then_some(p)
            })
            .collect();
        let (min, max) = self.map.bounds_world();
        let lo = [f64::from(min.x), f64::from(min.y), f64::from(min.z)];
        let hi = [f64::from(max.x), f64::from(max.y), f64::from(max.z) + lift];
        let path = super::clip::clip_path(&world, lo, hi);
        let vec3 = |p: [f64; 3]| Vec3::new(p[0] as f32, p[1] as f32, p[2] as f32);
        for (a, b) in &path.segments {
            out.lines.push(Line {
                a_world: vec3(*a),
                b_world: vec3(*b),
                color: run.color,
                width_px: 2.5,
                dash_px: 0.0,
            });
        }
        if let Some(p) = path.end {
            out.balls.push(Ball {
                center_world: vec3(p),
                radius_px: 7.0,
                color: run.color,
            });
        } else if let Some(p) = path.exit {
            self.exit_marker(vec3(p), run.color, out);
        }
    }

    /// A cross facing the camera, dark under the run's colour so it reads on any surface: where
    /// a run left the view.
    fn exit_marker(&self, at: Vec3, color: Rgba, out: &mut Primitives) {
        let view = self.camera.view_from_world();
        // The rows of the view's rotation are the camera's right and up in world space.
        let right = Vec3::new(view.x_axis.x, view.y_axis.x, view.z_axis.x);
        let up = Vec3::new(view.x_axis.y, view.y_axis.y, view.z_axis.y);
        let half = self.camera.distance * EXIT_MARKER_SIZE;
        for (width_px, c) in [(6.0, [0.1, 0.1, 0.1, 1.0]), (3.0, color)] {
            for diagonal in [right + up, right - up] {
                out.lines.push(Line {
                    a_world: at - diagonal * half,
                    b_world: at + diagonal * half,
                    color: c,
                    width_px,
                    dash_px: 0.0,
                });
            }
        }
    }
}

/// Half the arms of the exit marker, as a share of the camera's distance (a steady size on
/// screen as the camera zooms).
const EXIT_MARKER_SIZE: f32 = 0.012;

/// How far trajectories float above the surface, in world units (the value range is 1 tall).
pub const TRAJECTORY_LIFT_WORLD: f32 = 0.012;

/// A segment drawn `width_px` wide on screen at any distance; dashed when `dash_px` > 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    pub a_world: Vec3,
    pub b_world: Vec3,
    pub color: Rgba,
    pub width_px: f32,
    /// Period of the dash pattern (half drawn, half gap); 0 for solid.
    pub dash_px: f32,
}

/// A shaded ball of fixed screen size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ball {
    pub center_world: Vec3,
    pub radius_px: f32,
    pub color: Rgba,
}

/// The overlays as world-space primitives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Primitives {
    pub lines: Vec<Line>,
    pub balls: Vec<Ball>,
    /// Translucent triangles (the tangent plane), three vertices each.
    pub triangles: Vec<Vec3>,
    pub triangle_color: Rgba,
}

/// About six round-numbered ticks (steps of 1, 2 or 5 times a power of ten) inside [lo, hi].
/// None where the range is too narrow or too wide for f64 to hold such steps (a width near the
/// smallest subnormal, or beyond f64::MAX): no user-typed range may make this allocate wildly.
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    const MAX_TICKS: i64 = 20;
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Vec::new();
    }
    let raw = (hi - lo) / 6.0;
    let power = 10f64.powf(raw.log10().floor());
    let Some(step) = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .filter(|s| s.is_normal())
    else {
        return Vec::new();
    };
    let (first, last) = ((lo / step).ceil(), (hi / step).floor());
    if !(first.is_finite() && last.is_finite()) || last - first > MAX_TICKS as f64 {
        return Vec::new();
    }
    let (first, last) = (first as i64, last as i64);
    (first..=last)
        .map(|k| k as f64 * step)
        .filter(|t| (lo..=hi).contains(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sin_xy_scene() -> (Function, SceneDesc) {
        let function = Function::parse("sin(x*y)").unwrap();
        let mut scene =
            SceneDesc::new(&function, Domain::new((-3.0, 3.0), (-3.0, 3.0)), false, 1.6);
        scene.set_point(&function, 0.1, -1.0);
        (function, scene)
    }

    #[test]
    fn run_labels_show_a_clicked_lr_short() {
        // A click on the hyperparameter map gave legends and titles "lr 0.6434438263328994".
        use crate::optim::OptimizerKind;
        assert_eq!(
            run_label(OptimizerKind::Sgd, 0.6434438263328994),
            "sgd, lr 0.6434"
        );
        assert_eq!(run_label(OptimizerKind::Adam, 1e-5), "adam, lr 1e−5");
    }

    #[test]
    fn tangent_plane_corners_satisfy_the_plane_equation() {
        let (function, scene) = sin_xy_scene();
        let (fa, g) = function.value_and_gradient(&[0.1, -1.0]);
        let corners = scene.tangent_plane_corners().expect("A is set");
        for [x, y, z] in corners {
            let want = fa + g[0] * (x - 0.1) + g[1] * (y + 1.0);
            assert!((z - want).abs() < 1e-12, "corner ({x}, {y}): {z} vs {want}");
        }
        // A square around A.
        assert!((corners[0][0] + corners[1][0] - 0.2).abs() < 1e-12);
        assert!((corners[1][0] - corners[0][0] - (corners[3][1] - corners[0][1])).abs() < 1e-12);
        // The drawn triangles lie in the same plane, mapped to world space.
        let primitives = scene.primitives();
        assert_eq!(primitives.triangles.len(), 8 * 8 * 6);
        for v in &primitives.triangles {
            let [x, y] = scene.map.domain_xy_from_world(*v);
            let expected =
                scene
                    .map
                    .world_from_domain(x, y, fa + g[0] * (x - 0.1) + g[1] * (y + 1.0));
            assert!((v.z - expected.z).abs() < 1e-5, "{v} vs {expected}");
        }
    }

    #[test]
    fn partial_lines_run_along_x_and_y_with_the_partial_slopes() {
        let (function, scene) = sin_xy_scene();
        let g = function.gradient(&[0.1, -1.0]);
        let lines = scene.primitives().lines;
        let dashed = lines
            .iter()
            .find(|l| l.dash_px > 0.0)
            .expect("the dashed ∂/∂x line");
        assert_eq!(dashed.color, scene.palette.partial_x);
        let [xa, ya] = scene.map.domain_xy_from_world(dashed.a_world);
        let [xb, yb] = scene.map.domain_xy_from_world(dashed.b_world);
        assert!(
            (ya + 1.0).abs() < 1e-6 && (yb + 1.0).abs() < 1e-6,
            "along x at y = yA"
        );
        let height = f64::from(super::super::space::WORLD_HEIGHT);
        let range = scene.map.scale.hi - scene.map.scale.lo;
        let slope = f64::from(dashed.b_world.z - dashed.a_world.z) / height * range / (xb - xa);
        assert!((slope - g[0]).abs() < 1e-4, "{slope} vs {}", g[0]);
        assert!(
            lines
                .iter()
                .any(|l| l.color == scene.palette.partial_y && l.dash_px == 0.0)
        );
    }

    #[test]
    fn the_point_overlays_are_left_out_where_a_lies_beyond_a_cut_z_range() {
        let (function, mut scene) = sin_xy_scene();
        scene.map.scale = scene.map.scale.with_range(-0.5, 0.5);
        scene.overlays.axes = false;
        assert!(scene.point_in_view().is_some());
        assert_eq!(scene.primitives().triangles.len(), 8 * 8 * 6);
        // sin(1.5) ≈ 0.997: above the range's top, where the surface is cut.
        scene.set_point(&function, 1.0, 1.5);
        assert!(scene.point_in_view().is_none());
        let primitives = scene.primitives();
        assert!(primitives.triangles.is_empty() && primitives.balls.is_empty());
        assert!(primitives.lines.is_empty(), "no partial lines or arrows");
    }

    #[test]
    fn camera_fit_to_domain_frames_the_domain_corners() {
        let (function, _) = sin_xy_scene();
        for aspect in [1.6f32, 1.0, 0.6] {
            let domain = Domain::new((-2.0, 2.0), (-1.0, 3.0));
            let scene = SceneDesc::new(&function, domain, false, aspect);
            for (x, y) in [(-2.0, -1.0), (2.0, -1.0), (2.0, 3.0), (-2.0, 3.0)] {
                for f in [scene.map.scale.lo, scene.map.scale.hi] {
                    let ndc = scene
                        .camera
                        .ndc_from_world(aspect, scene.map.world_from_domain(x, y, f));
                    assert!(
                        ndc.x.abs() <= 1.0 && ndc.y.abs() <= 1.0,
                        "({x}, {y}, {f}) at {ndc}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_trajectory_point_is_drawn_at_its_f_value() {
        let function = Function::parse("(x^2 + y - 11)^2 + (x + y^2 - 7)^2").unwrap();
        let mut scene =
            SceneDesc::new(&function, Domain::new((-5.0, 5.0), (-5.0, 5.0)), false, 1.6);
        let hyper = crate::optim::Hyperparameters::new(crate::optim::OptimizerKind::Sgd, 0.01);
        let trajectory = crate::optim::run(&function, &hyper, &[0.0, 0.0], 20, None).unwrap();
        scene
            .overlays
            .trajectories
            .push(TrajectoryOverlay::from_trajectory(&trajectory, 0));
        let primitives = scene.primitives();
        let ball = primitives.balls.last().expect("the current-step ball");
        let last = trajectory.steps.last().unwrap();
        let t = (ball.center_world.z - TRAJECTORY_LIFT_WORLD) as f64 + 0.5;
        let f = scene.map.scale.lo + t * (scene.map.scale.hi - scene.map.scale.lo);
        assert!(
            (f - last.value).abs() < 1e-4 * (scene.map.scale.hi - scene.map.scale.lo),
            "{f} vs {}",
            last.value
        );
        let [x, y] = scene.map.domain_xy_from_world(ball.center_world);
        assert!((x - last.point[0]).abs() < 1e-5 && (y - last.point[1]).abs() < 1e-5);
        // One segment per step between finite rows, up to the ball.
        let run_lines = |scene: &SceneDesc| {
            let lines = scene.primitives().lines;
            lines.iter().filter(|l| l.color == RUN_COLORS[0]).count()
        };
        assert_eq!(run_lines(&scene), trajectory.steps.len() - 1);
        scene.overlays.trajectories[0].current = 5;
        assert_eq!(run_lines(&scene), 5);
    }

    #[test]
    fn nice_ticks_are_round() {
        assert_eq!(
            nice_ticks(-3.0, 3.0),
            vec![-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
        );
        assert_eq!(nice_ticks(0.0, 10.0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(nice_ticks(1.0, 1.0).is_empty());
    }

    #[test]
    fn ranges_at_the_ends_of_f64_give_few_ticks_or_none_never_a_panic() {
        // `render "x*y" --x-range 0,1e-323` overflowed a Vec's capacity here.
        for (lo, hi) in [
            (0.0, 1e-323),
            (0.0, 5e-324),
            (-5e-324, 5e-324),
            (0.0, 1e-310),
            (-1e308, 1e308),
            (-f64::MAX, f64::MAX),
            (1e300, 1.0000000000000002e300),
        ] {
            let ticks = nice_ticks(lo, hi);
            assert!(ticks.len() <= 21, "{lo}..{hi}: {}", ticks.len());
            assert!(ticks.iter().all(|t| t.is_finite() && *t >= lo && *t <= hi));
        }
        assert!(nice_ticks(0.0, 1e-300).len() >= 5);
    }
}
