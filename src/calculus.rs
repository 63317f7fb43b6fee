//! The notebook's 1-D calculus, numerically: secant slopes that close in on the tangent, where a
//! derivative fails to exist and why (kink, vertical tangent, jump, undefined), and the critical
//! points of f′ in an interval, found to the last bit and classified.

use serde::Serialize;

use crate::function::Function;

/// The secant slope (f(a + h) − f(a)) / h; h < 0 gives the slope from the left.
pub fn secant_slope(f: &Function, a: f64, h: f64) -> f64 {
    (f.value(&[a + h]) - f.value(&[a])) / h
}

/// Step sizes the secant walks through toward A: 10⁻¹ … 10⁻⁸ (smaller steps drown in rounding).
pub const SECANT_STEPS: [f64; 8] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

/// What happens to the derivative at a point, judged from the left and right secant slopes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PointKind {
    /// Both one-sided slopes settle on the same number: the derivative exists.
    Smooth { slope: f64 },
    /// They settle on different numbers (|x| at 0: −1 and +1).
    Kink { left: f64, right: f64 },
    /// The slopes grow without bound (∛x at 0).
    Vertical,
    /// f does not approach f(a) from one side at least (sign(x) at 0): not continuous.
    Jump { left_limit: f64, right_limit: f64 },
    /// f(a) itself is not a number (1/x at 0).
    Undefined,
}

impl PointKind {
    /// One sentence for a learner.
    pub fn explain(&self) -> String {
        match *self {
            PointKind::Smooth { slope } => {
                format!("differentiable: the secants close in on slope {slope}")
            }
            PointKind::Kink { left, right } => format!(
                "no derivative: a kink — the slope is {left} from the left but {right} from the right"
            ),
            PointKind::Vertical => {
                "no derivative: the tangent is vertical — the secant slopes grow without bound"
                    .into()
            }
            PointKind::Jump {
                left_limit,
                right_limit,
            } => format!(
                "no derivative: f jumps here (it approaches {left_limit} from the left and {right_limit} from the right), so it is not even continuous"
            ),
            PointKind::Undefined => "no derivative: f is not defined at this point".into(),
        }
    }
}

/// Classifies the point `a` of a 1-D function from its secant slopes on both sides.
pub fn classify_point(f: &Function, a: f64) -> PointKind {
    let fa = f.value(&[a]);
    if !fa.is_finite() {
        return PointKind::Undefined;
    }
    let scale = 1.0 + fa.abs();
    let side = |sign: f64| -> Vec<f64> {
        SECANT_STEPS
            .iter()
            .map(|&h| f.value(&[a + sign * h]))
            .collect()
    };
    let (left, right) = (side(-1.0), side(1.0));
    if left.iter().chain(&right).any(|v| !v.is_finite()) {
        // Defined at a, but not around it on some side (ln x at 0 is already Undefined).
        return PointKind::Undefined;
    }
    // Continuity: the values next to a must approach f(a). A gap that stays put while h
    // shrinks a thousandfold is a jump; ∛x's gap also looks large, but it keeps shrinking.
    let stuck = |vals: &[f64]| {
        let (near, nearer) = ((vals[4] - fa).abs(), (vals[vals.len() - 1] - fa).abs());
        nearer > 1e-4 * scale && nearer > 0.5 * near
    };
    if stuck(&left) || stuck(&right) {
        return PointKind::Jump {
            left_limit: left[left.len() - 1],
            right_limit: right[right.len() - 1],
        };
    }
    let slopes = |vals: &[f64], sign: f64| -> Vec<f64> {
        vals.iter()
            .zip(SECANT_STEPS)
            .map(|(v, h)| (v - fa) / (sign * h))
            .collect()
    };
    let (sl, sr) = (slopes(&left, -1.0), slopes(&right, 1.0));
    // Vertical: the slopes keep growing by orders of magnitude as h shrinks.
    let grows =
        |s: &[f64]| s[s.len() - 1].abs() > 1e3 * (1.0 + s[0].abs()) && s[s.len() - 1].abs() > 1e4;
    if grows(&sl) || grows(&sr) {
        return PointKind::Vertical;
    }
    // The one-sided limits, read at h = 1e-5 where truncation (~h·f″) and rounding
    // (~ε·|f|/h) are both small for well-scaled functions.
    let (l, r) = (sl[4], sr[4]);
    let tol = 1e-3 * (1.0 + l.abs().max(r.abs()));
    if (l - r).abs() > tol {
        PointKind::Kink { left: l, right: r }
    } else {
        // The secants agree, so the symbolic derivative is the slope, exact where it exists.
        let exact = f.gradient(&[a])[0];
        let slope = if exact.is_finite() {
            exact
        } else {
            0.5 * (l + r)
        };
        PointKind::Smooth { slope }
    }
}

/// What a critical point is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalKind {
    Minimum,
    Maximum,
    /// f′ = 0 without changing sign, like x³ at 0.
    FlatInflection,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CriticalPoint {
    pub x: f64,
    pub value: f64,
    pub second_derivative: f64,
    pub kind: CriticalKind,
}

/// Samples of f′ used to bracket its zeros in an interval.
const SAMPLES: usize = 4001;

/// The zeros of f′ in `[a, b]` of a 1-D function, each refined to the last bit and classified
/// by f″ and, where f″ vanishes, by the sign change of f′.
pub fn critical_points(f: &Function, a: f64, b: f64) -> Vec<CriticalPoint> {
    let df = |x: f64| f.gradient(&[x])[0];
    let xs: Vec<f64> = (0..SAMPLES)
        .map(|k| a + (b - a) * k as f64 / (SAMPLES - 1) as f64)
        .collect();
    let ds: Vec<f64> = xs.iter().map(|&x| df(x)).collect();
    let mut roots: Vec<f64> = Vec::new();
    for k in 0..SAMPLES {
        if ds[k] == 0.0 {
            roots.push(xs[k]);
        } else if k + 1 < SAMPLES
            && ds[k].is_finite()
            && ds[k + 1].is_finite()
            && ds[k] * ds[k + 1] < 0.0
            && ds[k + 1] != 0.0
        {
            roots.push(polish(f, bisect(&df, xs[k], xs[k + 1])));
        } else if k > 0 && k + 1 < SAMPLES && touches_zero(&ds, k) {
            // f′ dips to (nearly) zero without crossing, like 3x² at 0: polish with Newton.
            if let Some(x) = newton_on_derivative(f, xs[k]) {
                roots.push(x);
            }
        }
    }
    roots.sort_by(f64::total_cmp);
    roots.dedup_by(|p, q| (*p - *q).abs() <= 1e-9 * (1.0 + q.abs()));
    roots
        .into_iter()
        .filter(|x| (a..=b).contains(x))
        .map(|x| classify_critical(f, x, (b - a) / (SAMPLES - 1) as f64))
        .collect()
}

/// A local minimum of |f′| among the samples that is tiny next to its neighbours.
fn touches_zero(ds: &[f64], k: usize) -> bool {
    let (p, c, n) = (ds[k - 1].abs(), ds[k].abs(), ds[k + 1].abs());
    c.is_finite() && c <= p && c <= n && ds[k - 1] * ds[k + 1] > 0.0 && c < 1e-3 * (p.max(n))
}

/// Bisection on a sign change, to the last representable bit.
fn bisect(g: &dyn Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let mut g_lo = g(lo);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let g_mid = g(mid);
        if g_mid == 0.0 {
            return mid;
        }
        if (g_mid < 0.0) == (g_lo < 0.0) {
            lo = mid;
            g_lo = g_mid;
        } else {
            hi = mid;
        }
    }
    if g(lo).abs() <= g(hi).abs() { lo } else { hi }
}

/// Bisection leaves x within an ulp or two; Newton steps on f′ pick the double that f′ itself
/// says is closest (√2 rather than its lower neighbour), and stop as soon as |f′| stops falling.
fn polish(f: &Function, mut x: f64) -> f64 {
    let df = |x: f64| f.gradient(&[x])[0];
    for _ in 0..3 {
        let d2 = f.hessian(&[x])[0];
        let next = x - df(x) / d2;
        if !next.is_finite() || next == x || df(next).abs() > df(x).abs() {
            break;
        }
        x = next;
    }
    x
}

/// Newton's method on f′ (using f″) from `x`, for zeros where f′ does not change sign.
fn newton_on_derivative(f: &Function, mut x: f64) -> Option<f64> {
    for _ in 0..100 {
        let d1 = f.gradient(&[x])[0];
        if d1 == 0.0 {
            return Some(x);
        }
        let d2 = f.hessian(&[x])[0];
        if d2 == 0.0 || !d2.is_finite() {
            return None;
        }
        let next = x - d1 / d2;
        if !next.is_finite() {
            return None;
        }
        if next == x {
            break;
        }
        x = next;
    }
    (f.gradient(&[x])[0].abs() < 1e-12).then_some(x)
}

fn classify_critical(f: &Function, x: f64, spacing: f64) -> CriticalPoint {
    let d2 = f.hessian(&[x])[0];
    let value = f.value(&[x]);
    let kind = if d2 > 1e-9 {
        CriticalKind::Minimum
    } else if d2 < -1e-9 {
        CriticalKind::Maximum
    } else {
        // f″ vanishes too: look at the sign of f′ on either side.
        let h = spacing.max(1e-6 * (1.0 + x.abs()));
        let (l, r) = (f.gradient(&[x - h])[0], f.gradient(&[x + h])[0]);
        match (l < 0.0, r > 0.0, l > 0.0, r < 0.0) {
            (true, true, _, _) => CriticalKind::Minimum,
            (_, _, true, true) => CriticalKind::Maximum,
            _ => CriticalKind::FlatInflection,
        }
    };
    CriticalPoint {
        x,
        value,
        second_derivative: d2,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(src: &str) -> Function {
        Function::parse(src).unwrap()
    }

    #[test]
    fn secant_slopes_converge_to_the_derivative_at_smooth_points() {
        let g = f("x^2");
        let errors: Vec<f64> = SECANT_STEPS
            .iter()
            .map(|&h| (secant_slope(&g, 3.0, h) - 6.0).abs())
            .collect();
        assert!(errors.windows(2).take(5).all(|w| w[1] < w[0]), "{errors:?}");
        assert!(errors[4] < 1e-4);
        assert_eq!(classify_point(&g, 3.0), PointKind::Smooth { slope: 6.0 });
        match classify_point(&f("sin(2x^2)+1"), 0.7) {
            PointKind::Smooth { slope } => {
                let x = 0.7f64;
                let want = 4.0 * x * (2.0 * x * x).cos();
                assert!((slope - want).abs() < 1e-15, "{slope} vs {want}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_four_ways_a_derivative_fails() {
        match classify_point(&f("abs(x)"), 0.0) {
            PointKind::Kink { left, right } => {
                assert!(
                    (left + 1.0).abs() < 1e-9 && (right - 1.0).abs() < 1e-9,
                    "{left} {right}"
                );
            }
            other => panic!("|x| at 0: {other:?}"),
        }
        assert_eq!(classify_point(&f("cbrt(x)"), 0.0), PointKind::Vertical);
        assert!(
            matches!(classify_point(&f("sign(x)"), 0.0), PointKind::Jump { left_limit, right_limit } if left_limit == -1.0 && right_limit == 1.0)
        );
        assert_eq!(classify_point(&f("1/x"), 0.0), PointKind::Undefined);
    }

    #[test]
    fn smooth_points_of_the_presets_are_not_flagged() {
        for preset in crate::presets::catalog().iter().filter(|p| p.dims() == 1) {
            let g = preset.function();
            let [a, b] = preset.domain.x;
            for k in 1..10 {
                // Points away from the notebook's special point 0.
                let x = a + (b - a) * (k as f64 + 0.37) / 10.0;
                if x.abs() < 0.05 {
                    continue;
                }
                let kind = classify_point(&g, x);
                assert!(
                    matches!(kind, PointKind::Smooth { .. }),
                    "{} at {x}: {kind:?}",
                    preset.name
                );
            }
        }
    }

    #[test]
    fn critical_points_of_the_double_well_are_exact() {
        let g = f("1/4*x^4 - x^2 + 1/2");
        let cps = critical_points(&g, -2.5, 2.5);
        let r2 = 2f64.sqrt();
        let xs: Vec<f64> = cps.iter().map(|c| c.x).collect();
        assert_eq!(cps.len(), 3, "{cps:?}");
        assert_eq!(xs, vec![-r2, 0.0, r2]);
        assert_eq!(
            cps.iter().map(|c| c.kind).collect::<Vec<_>>(),
            vec![
                CriticalKind::Minimum,
                CriticalKind::Maximum,
                CriticalKind::Minimum
            ]
        );
        assert!((cps[0].value + 0.5).abs() < 1e-15);
    }

    #[test]
    fn x_cubed_has_a_flat_inflection_at_zero() {
        let cps = critical_points(&f("x^3"), -2.0, 2.0);
        assert_eq!(cps.len(), 1, "{cps:?}");
        assert!(cps[0].x.abs() < 1e-6, "{cps:?}");
        assert_eq!(cps[0].kind, CriticalKind::FlatInflection);
        // x⁴ has f″ = 0 at 0 too, but f′ changes sign: a minimum.
        let cps = critical_points(&f("x^4"), -1.0, 1.0);
        assert_eq!(cps.len(), 1, "{cps:?}");
        assert_eq!(cps[0].kind, CriticalKind::Minimum);
    }
}
