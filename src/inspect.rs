//! What the inspector says about one point of f: value, gradient and its norm, the Hessian with
//! its eigenvalues and eigen-directions, what kind of point the curvature makes it, and the
//! largest learning rate plain gradient descent stays stable with there (2/λmax).

use crate::calculus::{CriticalKind, PointKind, classify_point, critical_without_derivative};
use crate::function::Function;

/// ‖∇f‖ at or below this counts as a critical point: the app's runs stop as converged there
/// too. Where |f| is huge, rounding alone leaves ‖∇f‖ about 1e-12·|f|, which also counts.
pub const CRITICAL_TOL: f64 = 1e-8;

/// The shape the Hessian gives f around the point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curvature {
    /// Every eigenvalue > 0: curves up in every direction (a minimum where ∇f = 0).
    Bowl,
    /// Every eigenvalue < 0: curves down in every direction (a maximum where ∇f = 0).
    Cap,
    /// Eigenvalues of both signs (a saddle where ∇f = 0).
    Saddle,
    /// Some eigenvalue is zero (to rounding): the second derivatives cannot decide.
    Degenerate,
    /// The Hessian is not a finite number here.
    Unknown,
}

/// One eigenvalue of the Hessian with its unit eigenvector (x, y); 1-D: the direction (1, 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Eigen {
    pub value: f64,
    pub direction: [f64; 2],
}

/// Everything the inspector shows about a point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointReport {
    pub point: Vec<f64>,
    pub value: f64,
    pub gradient: Vec<f64>,
    pub gradient_norm: f64,
    /// Row-major, n×n.
    pub hessian: Vec<f64>,
    /// Largest first.
    pub eigen: Vec<Eigen>,
    pub curvature: Curvature,
    /// ‖∇f‖ ≈ 0 here, or (1-D) f is defined but f′ does not exist.
    pub critical: bool,
    /// 1-D: the verdict where f′ does not exist here (a kink, a jump, …), with what kind of
    /// critical point that makes it if f is defined; `gradient` and `hessian` then hold the
    /// symbolic rules' values, which mean nothing (sign(0) = 0 for |x|′), and are not shown.
    pub no_derivative: Option<(PointKind, Option<CriticalKind>)>,
    /// 2/λmax when λmax > 0: gradient descent with a larger learning rate overshoots and grows
    /// along the steepest-curving direction. None where no direction curves up.
    pub stable_lr: Option<f64>,
}

impl PointReport {
    pub fn at(function: &Function, point: &[f64]) -> Self {
        let (value, gradient) = function.value_and_gradient(point);
        let hessian = function.hessian(point);
        let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
        let eigen = eigen_symmetric(&hessian);
        let curvature = curvature_of(&eigen);
        // The one verdict on differentiability (calculus.rs) decides in 1-D, where it can.
        let no_derivative = (point.len() == 1)
            .then(|| classify_point(function, point[0]))
            .filter(|kind| !kind.is_differentiable())
            .map(|kind| {
                let step = 1e-3 * point[0].abs().max(1.0);
                let critical = critical_without_derivative(function, point[0], kind, step);
                (kind, critical.map(|c| c.kind))
            });
        let critical = match no_derivative {
            Some((_, extremum)) => extremum.is_some(),
            None => {
                gradient_norm.is_finite() && gradient_norm <= CRITICAL_TOL.max(1e-12 * value.abs())
            }
        };
        let stable_lr = eigen
            .first()
            .map(|e| e.value)
            .filter(|l| l.is_finite() && *l > 0.0)
            .map(|l| 2.0 / l);
        Self {
            point: point.to_vec(),
            value,
            gradient,
            gradient_norm,
            hessian,
            eigen,
            curvature,
            critical,
            no_derivative,
            stable_lr,
        }
    }

    /// The kind of point in words, e.g. "minimum" at a critical point with a bowl Hessian, or
    /// "not critical (on a slope); curves up in every direction" elsewhere.
    pub fn classification(&self) -> String {
        if let Some((verdict, extremum)) = self.no_derivative {
            let Some(kind) = extremum else {
                return verdict.explain();
            };
            let what = match kind {
                CriticalKind::Minimum => "minimum",
                CriticalKind::Maximum => "maximum",
                CriticalKind::FlatInflection | CriticalKind::Neither => {
                    "neither minimum nor maximum"
                }
            };
            return format!(
                "{what}, a critical point where f′ does not exist; {}",
                verdict.explain()
            );
        }
        if self.value.is_nan() || self.gradient.iter().any(|g| g.is_nan()) {
            return "f is not defined here (not a number): outside f's domain".into();
        }
        if self.value.is_infinite() || self.gradient.iter().any(|g| g.is_infinite()) {
            // exp(exp(x·y)) overflows long before it is undefined: say which.
            return "f or its slope is infinite here: a pole, or a value beyond f64's range \
                    (about 1.8e308)"
                .into();
        }
        // The words of the dimension: f′ and f″ for a function of x alone.
        let one_d = self.point.len() == 1;
        let shape = match (self.curvature, one_d) {
            (Curvature::Bowl, false) => "curves up in every direction",
            (Curvature::Cap, false) => "curves down in every direction",
            (Curvature::Saddle, _) => "curves up one way and down the other",
            (Curvature::Degenerate, false) => "flat in some direction (a zero eigenvalue)",
            (Curvature::Unknown, false) => "the Hessian is not a number here",
            (Curvature::Bowl, true) => "curves up (f″ > 0)",
            (Curvature::Cap, true) => "curves down (f″ < 0)",
            (Curvature::Degenerate, true) => "f″ = 0 here",
            (Curvature::Unknown, true) => "f″ is not a number here",
        };
        if !self.critical {
            let slope = if one_d { "f′ ≠ 0" } else { "∇f ≠ 0" };
            return format!("not a critical point ({slope}); {shape}");
        }
        if one_d {
            return match self.curvature {
                Curvature::Bowl => "minimum (f′ = 0, f″ > 0)".into(),
                Curvature::Cap => "maximum (f′ = 0, f″ < 0)".into(),
                Curvature::Degenerate | Curvature::Saddle => {
                    "critical point (f′ = 0) where f″ = 0 cannot decide".into()
                }
                Curvature::Unknown => format!("critical point (f′ = 0); {shape}"),
            };
        }
        match self.curvature {
            Curvature::Bowl => "minimum (∇f = 0, Hessian positive definite)".into(),
            Curvature::Cap => "maximum (∇f = 0, Hessian negative definite)".into(),
            Curvature::Saddle => "saddle point (∇f = 0, eigenvalues of both signs)".into(),
            Curvature::Degenerate => {
                "degenerate critical point (∇f = 0, a zero eigenvalue: the Hessian cannot decide)"
                    .into()
            }
            Curvature::Unknown => format!("critical point; {shape}"),
        }
    }
}

/// Eigenvalues (largest first) and unit eigenvectors of a symmetric 1×1 or 2×2 matrix given
/// row-major. Non-finite entries give no eigenpairs.
pub fn eigen_symmetric(m: &[f64]) -> Vec<Eigen> {
    if m.iter().any(|v| !v.is_finite()) {
        return Vec::new();
    }
    match *m {
        [a] => vec![Eigen {
            value: a,
            direction: [1.0, 0.0],
        }],
        [a, b, _, c] => {
            // The mixed partials are derived separately and agree to rounding; average them.
            let b = (b + m[2]) / 2.0;
            let mean = (a + c) / 2.0;
            let radius = ((a - c) / 2.0).hypot(b);
            let (l1, l2) = (mean + radius, mean - radius);
            // (b, λ − a) solves the first row; near b = 0 use the second row's form, which
            // stays accurate when λ − a cancels.
            let direction = |l: f64| -> [f64; 2] {
                let (u, v) = if (l - a).abs() >= (l - c).abs() {
                    (b, l - a)
                } else {
                    (l - c, b)
                };
                let n = u.hypot(v);
                if n > 0.0 && n.is_finite() {
                    [u / n, v / n]
                } else if (l - a).abs() <= (l - c).abs() {
                    [1.0, 0.0]
                } else {
                    [0.0, 1.0]
                }
            };
            let d1 = direction(l1);
            // Orthogonal by construction, even where both eigenvalues coincide.
            let d2 = [-d1[1], d1[0]];
            vec![
                Eigen {
                    value: l1,
                    direction: d1,
                },
                Eigen {
                    value: l2,
                    direction: d2,
                },
            ]
        }
        _ => Vec::new(),
    }
}

fn curvature_of(eigen: &[Eigen]) -> Curvature {
    if eigen.is_empty() {
        return Curvature::Unknown;
    }
    let scale = eigen.iter().map(|e| e.value.abs()).fold(0.0, f64::max);
    // Relative zero: rounding in the derivatives leaves ~1e-12 where the truth is 0.
    let zero = 1e-9 * scale.max(1e-300) + 1e-12;
    if eigen.iter().any(|e| e.value.abs() <= zero) {
        Curvature::Degenerate
    } else if eigen.iter().all(|e| e.value > 0.0) {
        Curvature::Bowl
    } else if eigen.iter().all(|e| e.value < 0.0) {
        Curvature::Cap
    } else {
        Curvature::Saddle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(expr: &str, point: &[f64]) -> PointReport {
        PointReport::at(&Function::parse(expr).unwrap(), point)
    }

    #[test]
    fn eigenpairs_solve_the_matrix() {
        for m in [
            [2.0, 1.0, 1.0, 3.0],
            [1.0, 0.0, 0.0, -4.0],
            [0.0, 5.0, 5.0, 0.0],
            [2.0, 0.0, 0.0, 2.0],
            [1e8, 1e-3, 1e-3, 1.0],
        ] {
            let eigen = eigen_symmetric(&m);
            assert!(eigen[0].value >= eigen[1].value);
            for e in &eigen {
                let [u, v] = e.direction;
                assert!((u.hypot(v) - 1.0).abs() < 1e-12);
                let scale = 1.0 + e.value.abs();
                assert!(
                    (m[0] * u + m[1] * v - e.value * u).abs() < 1e-9 * scale,
                    "{m:?}"
                );
                assert!(
                    (m[2] * u + m[3] * v - e.value * v).abs() < 1e-9 * scale,
                    "{m:?}"
                );
            }
            let dot = eigen[0].direction[0] * eigen[1].direction[0]
                + eigen[0].direction[1] * eigen[1].direction[1];
            assert!(dot.abs() < 1e-12);
        }
    }

    #[test]
    fn nan_and_overflow_are_told_apart() {
        assert_eq!(
            report("sqrt(-1 - x^2 - y^2)", &[-2.0, -2.0]).classification(),
            "f is not defined here (not a number): outside f's domain"
        );
        assert!(
            report("exp(exp(exp(x*y)))", &[-2.0, -2.0])
                .classification()
                .starts_with("f or its slope is infinite here")
        );
    }

    #[test]
    fn critical_points_are_classified() {
        // (f, point, how its classification begins)
        let cases: [(&str, &[f64], &str); 7] = [
            ("x^2 + 3y^2", &[0.0, 0.0], "minimum"),
            ("-x^2 - y^2", &[0.0, 0.0], "maximum"),
            ("x^2 - y^2", &[0.0, 0.0], "saddle"),
            ("x^4 + y^2", &[0.0, 0.0], "degenerate"),
            ("x^3", &[0.0], "critical point (f′ = 0) where f″ = 0"),
            // 1-D words in 1-D.
            ("x^2", &[1.0], "not a critical point (f′ ≠ 0)"),
            // Where f is undefined, ∇f = (NaN, NaN) is no slope.
            ("sqrt(-1-x^2-y^2)", &[0.5, 0.5], "f is not defined here"),
        ];
        for (f, point, begins) in cases {
            let says = report(f, point).classification();
            assert!(says.starts_with(begins), "{f} at {point:?}: {says}");
        }
        // 1-D words in 1-D, the whole of them.
        assert_eq!(
            report("x^2", &[0.0]).classification(),
            "minimum (f′ = 0, f″ > 0)"
        );
        let slope = report("x^2 + y^2", &[1.0, 0.0]);
        assert!(!slope.critical && slope.classification().starts_with("not a critical"));
        // A large f does not make a slope critical.
        let lifted = report("x^2 + y^2 + 1e6", &[0.1, 0.0]);
        assert!(!lifted.critical, "‖∇f‖ = 0.2 is a slope");
        // sin(xy) at the origin: H = [[0, 1], [1, 0]], eigenvalues ±1 along the diagonals.
        let r = report("sin(x*y)", &[0.0, 0.0]);
        assert_eq!(r.curvature, Curvature::Saddle);
        assert!((r.eigen[0].value - 1.0).abs() < 1e-15);
        let d = r.eigen[0].direction;
        assert!((d[0].abs() - 0.5f64.sqrt()).abs() < 1e-15 && d[0] * d[1] > 0.0);
    }

    #[test]
    fn where_f_prime_does_not_exist_the_report_says_so_and_calls_it_critical() {
        // |x| at 0: the rules give f′ = sign(0) = 0, which is no derivative; a minimum.
        let r = report("abs(x)", &[0.0]);
        assert!(matches!(
            r.no_derivative,
            Some((PointKind::Kink { .. }, Some(CriticalKind::Minimum)))
        ));
        assert!(r.critical);
        assert!(
            r.classification()
                .starts_with("minimum, a critical point where f′ does not exist")
        );
        let r = report("cbrt(x)", &[0.0]);
        assert_eq!(
            r.no_derivative,
            Some((PointKind::Vertical, Some(CriticalKind::Neither)))
        );
        // Undefined: no derivative, and not critical either.
        let r = report("1/x", &[0.0]);
        assert_eq!(r.no_derivative, Some((PointKind::Undefined, None)));
        assert!(!r.critical);
        // A smooth point keeps its numbers.
        let r = report("x^2", &[0.0]);
        assert_eq!(r.no_derivative, None);
        assert!(r.classification().starts_with("minimum"));
    }

    #[test]
    fn the_stable_learning_rate_is_two_over_the_largest_eigenvalue() {
        // f = 2x² + ½y²: λ = 4 and 1, so gradient descent is stable below lr 0.5.
        let r = report("2x^2 + 0.5y^2", &[1.0, 1.0]);
        assert_eq!(r.stable_lr, Some(0.5));
        assert_eq!(r.gradient, vec![4.0, 1.0]);
        assert_eq!(r.gradient_norm, 17f64.sqrt());
        assert_eq!(report("-x^2 - y^2", &[1.0, 1.0]).stable_lr, None);
        // A NaN Hessian gives no eigenvalues and says so instead of panicking.
        let r = report("sqrt(x) + y", &[-1.0, 0.0]);
        assert!(r.eigen.is_empty() && r.curvature == Curvature::Unknown);
    }
}
