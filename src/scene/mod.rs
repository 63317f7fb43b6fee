//! What to draw, on the CPU: the domain and its mapping to world space, the orbit camera, the
//! surface's style and the overlays (tangent plane, derivative lines, arrows, minima, axes,
//! trajectories). Knows glam and the function, never wgpu.

mod axes;
mod camera;
mod clip;
mod desc;
mod pick;
mod showcase;
mod space;
mod style;
mod view;

pub use axes::{Axis, AxisEdge, AxisLabel, Tick, axis_edges, axis_labels, f_ticks, ticks};
pub use camera::{MAX_PITCH_RAD, OrbitCamera};
pub use clip::{ClippedPath, clip_path, clip_segment};
pub use desc::{
    Ball, Line, Overlays, PointInfo, Primitives, SceneDesc, TRAJECTORY_LIFT_WORLD,
    TrajectoryOverlay, nice_ticks, run_label,
};
pub use pick::{ndc_of, pick_surface};
pub use showcase::showcase;
pub use space::{Domain, ValueSample, VerticalScale, WORLD_HEIGHT, WorldMap};
pub use style::{Colormap, Palette, RUN_COLORS, Rgba, SurfaceStyle};
pub use view::{key_points, seen_count, sees};
