//! The per-function mapping from the expression language's 20 built-ins to WGSL: the value
//! expression and the domain condition under which the f64 evaluator gives a number.

use crate::math::Func;

use super::nan::{Combined, all_of};
use super::writer::{Operand, Scope};

/// Helper functions that some lowerings call; each is emitted once, ahead of the functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Helper {
    Cbrt,
    Atan,
    Asin,
    Acos,
    Sigmoid,
    Softplus,
}

impl Helper {
    /// The helpers this one calls.
    pub fn requires(self) -> &'static [Helper] {
        match self {
            Helper::Asin | Helper::Acos => &[Helper::Atan],
            Helper::Cbrt | Helper::Atan | Helper::Sigmoid | Helper::Softplus => &[],
        }
    }

    pub fn source(self) -> &'static str {
        match self {
            // WGSL has no cbrt. pow(a, 1/3) is exp2(log2(a)/3) on most drivers, whose error grows
            // with |log2 a|; one Newton step, written so that nothing overflows for any finite
            // f32 (r*r stays below 5e25), brings it back to about an ulp. cbrt(0) = 0 and
            // cbrt(-a) = -cbrt(a), as in f64.
            Helper::Cbrt => {
                "fn cg_cbrt(u: f32) -> f32 {
    let a = abs(u);
    let r = pow(a, 0.33333334f);
    let r1 = r + (a / (r * r) - r) * 0.33333334f;
    let c = select(r1, 0.0f, a == 0.0f);
    return select(c, -c, u < 0.0f);
}
"
            }
            // Drivers' atan, asin and acos may be loose (Vulkan allows 4096 ulp; lavapipe's asin
            // is off by 3e-4). This is Cephes' atanf (relative error below 2e-7): reduce |u| to
            // [0, tan(π/8)] with π/4 or π/2 offsets, then an odd polynomial.
            Helper::Atan => {
                "fn cg_atan(u: f32) -> f32 {
    let a = abs(u);
    let big = a > 2.4142137f;
    let mid = a > 0.41421357f;
    let t = select(select(a, (a - 1.0f) / (a + 1.0f), mid), -1.0f / max(a, 1.0f), big);
    let base = select(select(0.0f, 0.7853982f, mid), 1.5707964f, big);
    let z = t * t;
    let p = (((0.0805374449538f * z - 0.138776856032f) * z + 0.199777106478f) * z - 0.333329491539f) * z;
    let r = base + (p * t + t);
    return select(r, -r, u < 0.0f);
}
"
            }
            // Through e^(−|u|) ≤ 1: no argument overflows, as in the f64 `sigmoid`.
            Helper::Sigmoid => {
                "fn cg_sigmoid(u: f32) -> f32 {
    let e = exp(-abs(u));
    let s = 1.0f / (1.0f + e);
    return select(e * s, s, u >= 0.0f);
}
"
            }
            // max(u, 0) + ln(1 + e^(−|u|)); WGSL has no log1p, so below 1e-3 the series
            // e − e²/2 stands in for it (its error, e³/3, is below f32's rounding there).
            Helper::Softplus => {
                "fn cg_softplus(u: f32) -> f32 {
    let e = exp(-abs(u));
    let l = select(log(1.0f + e), e * (1.0f - 0.5f * e), e < 1e-3f);
    return max(u, 0.0f) + l;
}
"
            }
            // asin(u) = atan(u / sqrt(1 − u²)), with (1 − u)(1 + u) keeping 1 − u² accurate near
            // ±1. The caller guarantees |u| ≤ 1.
            Helper::Asin => {
                "fn cg_asin(u: f32) -> f32 {
    let s = sqrt(max((1.0f - u) * (1.0f + u), 0.0f));
    let edge = select(1.5707964f, -1.5707964f, u < 0.0f);
    return select(cg_atan(u / select(s, 1.0f, s == 0.0f)), edge, s == 0.0f);
}
"
            }
            // acos(u) = 2·atan(sqrt((1 − u) / (1 + u))): accurate at both ends, where
            // π/2 − asin(u) would cancel. The caller guarantees |u| ≤ 1.
            Helper::Acos => {
                "fn cg_acos(u: f32) -> f32 {
    let d = 1.0f + u;
    let q = (1.0f - u) / select(d, 1.0f, d == 0.0f);
    return select(2.0f * cg_atan(sqrt(q)), 3.1415927f, d == 0.0f);
}
"
            }
        }
    }
}

/// `f(a)`: its WGSL value expression and its validity.
pub fn lower_call(f: Func, a: &Operand, scope: &mut Scope) -> (String, Combined) {
    let u = a.atom;
    let (value, condition) = match f {
        Func::Sin => (format!("sin({u})"), None),
        Func::Cos => (format!("cos({u})"), None),
        Func::Tan => (format!("tan({u})"), None),
        Func::Asin => {
            scope.use_helper(Helper::Asin);
            (format!("cg_asin({u})"), Some(format!("(abs({u}) <= 1.0f)")))
        }
        Func::Acos => {
            scope.use_helper(Helper::Acos);
            (format!("cg_acos({u})"), Some(format!("(abs({u}) <= 1.0f)")))
        }
        Func::Atan => {
            scope.use_helper(Helper::Atan);
            (format!("cg_atan({u})"), None)
        }
        // Overflow beyond |u| ≈ 89 gives ±inf, which the kernel's finite check turns into NaN,
        // as the f64 value rounded to f32 would be.
        Func::Sinh => (format!("sinh({u})"), None),
        Func::Cosh => (format!("cosh({u})"), None),
        // Some drivers compute tanh from exp(2u) and overflow inside the builtin for large |u|;
        // tanh(±20) is already ±1 in f32.
        Func::Tanh => (format!("tanh(clamp({u}, -20.0f, 20.0f))"), None),
        Func::Asinh => (format!("asinh({u})"), None),
        Func::Acosh => (format!("acosh({u})"), Some(format!("({u} >= 1.0f)"))),
        Func::Atanh => (format!("atanh({u})"), Some(format!("(abs({u}) < 1.0f)"))),
        Func::Exp => (format!("exp({u})"), None),
        Func::Ln => (format!("log({u})"), Some(format!("({u} > 0.0f)"))),
        Func::Sqrt => (format!("sqrt({u})"), Some(format!("({u} >= 0.0f)"))),
        Func::Cbrt => {
            scope.use_helper(Helper::Cbrt);
            (format!("cg_cbrt({u})"), None)
        }
        Func::Abs => (format!("abs({u})"), None),
        // 0 at 0, like the f64 `sign`; spelled out rather than trusting every driver's builtin.
        Func::Sign => (
            format!("select(select(0.0f, -1.0f, ({u} < 0.0f)), 1.0f, ({u} > 0.0f))"),
            None,
        ),
        Func::Sigmoid => {
            scope.use_helper(Helper::Sigmoid);
            (format!("cg_sigmoid({u})"), None)
        }
        Func::Softplus => {
            scope.use_helper(Helper::Softplus);
            (format!("cg_softplus({u})"), None)
        }
    };
    (value, all_of([a.ok], condition))
}
