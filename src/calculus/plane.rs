//! Whether a 2-D f has a tangent plane at a point: the partials must exist (the 1-D verdict
//! along x and along y) and the slope along the diagonal (1, 1) must be the one the plane
//! predicts, ∂f/∂x + ∂f/∂y. The same verdict as in 1-D, read along lines, so it keeps no
//! thresholds of its own and does not change when f or the point is scaled.

use super::verdict::{Line, PointKind, classify_line};
use crate::function::Function;

/// Why f has no tangent plane at a point where it is defined.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NoTangentPlane {
    /// The partial along x (`axis` 0) or y (1) does not exist: the verdict along that axis.
    MissingPartial { axis: usize, kind: PointKind },
    /// Both partials exist, yet along the diagonal f has no derivative, or one other than the
    /// plane's ∂f/∂x + ∂f/∂y (`predicted`).
    Diagonal { kind: PointKind, predicted: f64 },
}

impl NoTangentPlane {
    /// One paragraph for a learner.
    pub fn explain(&self) -> String {
        let num = crate::format::number;
        match *self {
            NoTangentPlane::MissingPartial { axis, kind } => format!(
                "No tangent plane here: ∂f/∂{} does not exist at A — along {} f has {}.",
                ["x", "y"][axis],
                ["x", "y"][axis],
                kind.explain()
            ),
            NoTangentPlane::Diagonal {
                kind: PointKind::Smooth { slope },
                predicted,
            } => format!(
                "No tangent plane here: along the diagonal (1, 1) the secant slopes go to {}, but \
                 the partials predict ∂f/∂x + ∂f/∂y = {}. The partials exist, yet f is not \
                 totally differentiable at A.",
                num(slope),
                num(predicted)
            ),
            NoTangentPlane::Diagonal { kind, predicted } => format!(
                "No tangent plane here: the partials exist (∂f/∂x + ∂f/∂y = {}), but along the \
                 diagonal (1, 1) f has {}.",
                num(predicted),
                kind.explain()
            ),
        }
    }
}

/// The derivative of f along `dir` at `point`, judged as the 1-D verdict judges f′(a).
pub fn classify_along(f: &Function, point: [f64; 2], dir: [f64; 2]) -> PointKind {
    classify_line(&Line {
        f,
        point,
        dir,
        expected: None,
    })
}

/// None where f has a tangent plane at `point`, or where the question does not arise (f is
/// not defined around the point, or f is 1-D).
pub fn tangent_plane_check(f: &Function, point: [f64; 2]) -> Option<NoTangentPlane> {
    if f.dims() != 2 || !f.value(&point).is_finite() {
        return None;
    }
    // Only a point inside f's domain has a plane to speak of: along a line that leaves the
    // domain the question is the domain's, not differentiability's.
    let outside = |kind: &PointKind| {
        matches!(
            kind,
            PointKind::DomainEdge { .. }
                | PointKind::Isolated
                | PointKind::Removable { .. }
                | PointKind::Undefined
        )
    };
    let mut partials = [0.0; 2];
    for (axis, partial) in partials.iter_mut().enumerate() {
        let mut dir = [0.0; 2];
        dir[axis] = 1.0;
        let kind = classify_along(f, point, dir);
        if outside(&kind) {
            return None;
        }
        match kind.slope() {
            Some(slope) => *partial = slope,
            None => return Some(NoTangentPlane::MissingPartial { axis, kind }),
        }
    }
    // The partials as the verdict found them (the symbolic gradient can be 0/0 where the
    // partials exist, as for sqrt(|xy|) at 0).
    let predicted = partials[0] + partials[1];
    let kind = classify_line(&Line {
        f,
        point,
        dir: [1.0, 1.0],
        expected: Some(predicted),
    });
    if outside(&kind) {
        return None;
    }
    match kind {
        // The verdict reports the expected slope exactly where both sides' secants fit it.
        PointKind::Smooth { slope } if slope == predicted + 0.0 => None,
        _ => Some(NoTangentPlane::Diagonal { kind, predicted }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `src` with every variable x, y replaced by `(x/s)`, `(y/s)`.
    fn stretched(src: &str, s: f64) -> String {
        crate::calculus::tests::substitute(src, &['x', 'y'], |v| format!("({v}/{s:e})"))
    }

    /// Each case at scaled points and values: c·f(x/s, y/s) at (s·x₀, s·y₀).
    fn check(src: &str, at: [f64; 2], want: impl Fn(Option<NoTangentPlane>) -> bool) {
        for c in [1e-6, 1.0, 1e6] {
            for s in [1e-6, 1.0, 1e6] {
                let scaled = format!("{c:e}*({})", stretched(src, s));
                let f = Function::parse(&scaled).unwrap();
                let p = [at[0] * s, at[1] * s];
                let verdict = tangent_plane_check(&f, p);
                assert!(want(verdict), "{scaled} at {p:?}: {verdict:?}");
            }
        }
    }

    #[test]
    fn smooth_functions_have_a_plane_at_every_scale() {
        for (src, at) in [
            ("sin(x*y)", [0.1, -1.0]),
            ("sin(x*y)", [0.0, 0.0]),
            ("x^2 + 3*y^2", [0.0, 0.0]),
            ("exp(-x^2 - y^2)", [0.5, 0.25]),
            ("x*y", [2.0, -3.0]),
        ] {
            check(src, at, |v| v.is_none());
            // None also means "no question here": the plane must be there for real, the
            // derivative along x, y and the diagonal all existing.
            let f = Function::parse(src).unwrap();
            for dir in [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]] {
                let kind = classify_along(&f, at, dir);
                assert!(
                    kind.is_differentiable(),
                    "{src} at {at:?} along {dir:?}: {kind:?}"
                );
            }
        }
    }

    #[test]
    fn a_kink_in_one_partial_is_named_with_its_axis() {
        check("abs(x) + y", [0.0, 1.0], |v| {
            matches!(
                v,
                Some(NoTangentPlane::MissingPartial {
                    axis: 0,
                    kind: PointKind::Kink { .. }
                })
            )
        });
        check("x + abs(y)", [1.0, 0.0], |v| {
            matches!(
                v,
                Some(NoTangentPlane::MissingPartial {
                    axis: 1,
                    kind: PointKind::Kink { .. }
                })
            )
        });
    }

    #[test]
    fn partials_without_a_plane_are_caught_on_the_diagonal() {
        // Both partials are 0 at the origin; along the diagonal |t|, a cusp t^(2/3), a jump.
        check("sqrt(abs(x*y))", [0.0, 0.0], |v| {
            matches!(
                v,
                Some(NoTangentPlane::Diagonal {
                    kind: PointKind::Kink { .. },
                    ..
                })
            )
        });
        check("cbrt(x*y)", [0.0, 0.0], |v| {
            matches!(
                v,
                Some(NoTangentPlane::Diagonal {
                    kind: PointKind::Cusp,
                    ..
                })
            )
        });
        check("abs(sign(x*y))", [0.0, 0.0], |v| {
            matches!(
                v,
                Some(NoTangentPlane::Diagonal {
                    kind: PointKind::Jump { .. },
                    ..
                })
            )
        });
    }

    #[test]
    fn a_diagonal_slope_other_than_the_planes_is_caught() {
        // ∛(x³ + y³): both partials are 1 at the origin, but along the diagonal f = ∛2·t, a
        // slope of 1.26, not the plane's 2.
        check("cbrt(x^3 + y^3)", [0.0, 0.0], |v| match v {
            Some(NoTangentPlane::Diagonal {
                kind: PointKind::Smooth { slope },
                predicted,
            }) => (slope / predicted - 2f64.cbrt() / 2.0).abs() < 1e-9,
            _ => false,
        });
    }

    #[test]
    fn points_outside_the_domain_raise_no_plane_question() {
        let f = Function::parse("ln(x*y)").unwrap();
        assert_eq!(tangent_plane_check(&f, [-1.0, 1.0]), None);
        let g = Function::parse("sqrt(x) + y").unwrap();
        assert_eq!(tangent_plane_check(&g, [0.0, 1.0]), None);
    }
}
