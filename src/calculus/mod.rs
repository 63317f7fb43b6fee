//! The notebook's 1-D calculus, numerically: secant slopes that close in on the tangent, the
//! one verdict on whether a derivative exists at a point (and why not), and the critical points
//! of f in an interval, found to the last bit and classified; for a 2-D f, whether it has a
//! tangent plane at a point, by the same verdict read along lines.

mod aliasing;
mod critical;
mod limits;
mod plane;
mod precision;
mod verdict;

pub use aliasing::{MAX_LISTED, TooMany};
pub use critical::{
    CriticalKind, CriticalPoint, CriticalSet, FlatInterval, critical_points, critical_set,
    critical_without_derivative,
};
pub use plane::{NoTangentPlane, classify_along, tangent_plane_check};
pub use precision::{Precision, Unresolved};
pub use verdict::{PointKind, SECANT_STEPS, Side, classify_point, secant_slope};

#[cfg(test)]
mod tests;
