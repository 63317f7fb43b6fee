//! The notebook's 1-D calculus, numerically: secant slopes that close in on the tangent, the
//! one verdict on whether a derivative exists at a point (and why not), and the critical points
//! of f in an interval, found to the last bit and classified.

mod critical;
mod limits;
mod verdict;

pub use critical::{
    CriticalKind, CriticalPoint, CriticalSet, FlatInterval, critical_points, critical_set,
    critical_without_derivative,
};
pub use verdict::{PointKind, SECANT_STEPS, Side, classify_point, secant_slope};

#[cfg(test)]
mod tests;
