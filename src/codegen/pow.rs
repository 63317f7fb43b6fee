//! Powers, lowered case by case so that the GPU agrees with the f64 evaluator (`powf`, and
//! `a*a` for the exponent 2) on where `a^b` is a number, although WGSL's `pow` is undefined
//! for a negative base and for a zero base with a non-positive exponent:
//!
//! - constant integer n: a multiplication chain for |n| ≤ 8, else `pow(abs(a), n)` with the
//!   sign restored for odd n; valid for every a except a zero result with n < 0;
//! - constant non-integer r: `pow(abs(a), r)`, valid for a ≥ 0 (a = 0 gives 0 if r > 0 and is
//!   invalid if r < 0); a fraction of odd denominator (2/3, 1/5) is a real root for a < 0 too,
//!   with a's sign for an odd numerator, as `math::pow_const` computes it;
//! - general a^b: a > 0 → `pow(a, b)`; a = 0 → 0 for b > 0, 1 for b = 0, invalid for b < 0;
//!   a < 0 → valid only for integer b, with the sign of b's parity. As in IEEE `pow`, `a^0` is 1
//!   and `1^b` is 1 even where the other operand is not a number.
//!
//! Exponents that are not finite in f32 (`x^1e300`, `x^(1/0)`) follow `powf` too: 0, 1 or
//! invalid depending on |a| against 1.

use super::literal::f32_literal;
use super::nan::{Combined, Validity, all_of};
use super::writer::{Operand, Scope};

/// Longest multiplication chain for a constant integer exponent; above it `pow` is as accurate.
const MAX_CHAIN: f64 = 8.0;

/// `a^b`: its WGSL value expression and its validity.
pub fn lower_pow(a: &Operand, b: &Operand, scope: &mut Scope) -> (String, Combined) {
    // Both constant (a power the simplifier kept symbolic, like 0^-10): fold it here, or naga
    // would, and refuse a result beyond f32 as a compile error.
    if let (Some(p), Some(q)) = (a.constant, b.constant) {
        let v = crate::math::pow_const(p, q);
        return match f32_literal(v) {
            Some(literal) if v.is_finite() => (literal, Combined::Same(Validity::Always)),
            _ => ("0.0f".into(), Combined::Same(Validity::Never)),
        };
    }
    if let Some(c) = b.constant {
        return constant_exponent(a, c, scope);
    }
    if let Some(c) = a.constant {
        return constant_base(c, a, b);
    }
    general(a, b, scope)
}

fn constant_exponent(a: &Operand, c: f64, scope: &mut Scope) -> (String, Combined) {
    let u = a.atom;
    let ok = |conditions: Vec<String>| all_of([a.ok], conditions);
    if c.is_nan() {
        return ("1.0f".into(), ok(vec![format!("({u} == 1.0f)")]));
    }
    if c.abs() > f64::from(f32::MAX) {
        // powf: |a| < 1 → 0 (+big) or ∞ (−big); |a| = 1 → 1; |a| > 1 → ∞ or 0.
        let value = format!("select(0.0f, 1.0f, (abs({u}) == 1.0f))");
        let domain = if c > 0.0 { "<=" } else { ">=" };
        return (value, ok(vec![format!("(abs({u}) {domain} 1.0f)")]));
    }
    if c == 0.0 {
        // powf(anything, 0) = 1, NaN included.
        return ("1.0f".into(), Combined::Same(Validity::Always));
    }
    if *a.ok == Validity::Never {
        // The base is no number (a constant beyond f32 written as 0.0f): no power of it is,
        // and naga would evaluate pow(abs(0.0f), -10.0f) while compiling and refuse the ∞.
        return ("0.0f".into(), Combined::Same(Validity::Never));
    }
    if c == 1.0 {
        return (u.to_string(), Combined::Same(a.ok.clone()));
    }
    if c == 0.5 {
        return (format!("sqrt({u})"), ok(vec![format!("({u} >= 0.0f)")]));
    }
    // c is finite in f32 here, so it has a literal.
    let exponent = f32_literal(c).unwrap_or_else(|| "0.0f".into());
    if c.fract() == 0.0 {
        if c.abs() <= MAX_CHAIN {
            let chain = (1..c.abs() as u32).fold(u.to_string(), |acc, _| format!("({acc} * {u})"));
            if c > 0.0 {
                return (chain, ok(vec![]));
            }
            // A zero power (a = 0, or a^n underflowing) would make the quotient infinite.
            let power = scope.temp(chain);
            return (
                format!("(1.0f / {power})"),
                ok(vec![format!("({power} != 0.0f)")]),
            );
        }
        let odd = c.abs() < 2f64.powi(53) && c % 2.0 != 0.0;
        return signed_power(a, c, &exponent, odd, scope);
    }
    if let Some(root) = crate::math::OddRoot::of(c) {
        // A fraction of odd denominator is a real root for a < 0 too (see math::real_root):
        // the magnitude's power, with a's sign where the numerator is odd.
        return signed_power(a, c, &exponent, root.is_odd(), scope);
    }
    let magnitude = format!("pow(abs({u}), {exponent})");
    if c > 0.0 {
        (
            format!("select({magnitude}, 0.0f, ({u} == 0.0f))"),
            ok(vec![format!("({u} >= 0.0f)")]),
        )
    } else {
        (magnitude, ok(vec![format!("({u} > 0.0f)")]))
    }
}

/// `a^c` for an exponent `c` (written `exponent`) that is real for a negative base too (an
/// integer, or a fraction of odd denominator): the power of |a|, negated for a < 0 where `odd`;
/// at a = 0, 0 for c > 0 and invalid for c < 0, where WGSL's `pow` is undefined.
fn signed_power(
    a: &Operand,
    c: f64,
    exponent: &str,
    odd: bool,
    scope: &mut Scope,
) -> (String, Combined) {
    let u = a.atom;
    let ok = |conditions: Vec<String>| all_of([a.ok], conditions);
    let magnitude = scope.temp(format!("pow(abs({u}), {exponent})"));
    let signed = if odd {
        format!("select({magnitude}, -{magnitude}, ({u} < 0.0f))")
    } else {
        magnitude
    };
    if c > 0.0 {
        (format!("select({signed}, 0.0f, ({u} == 0.0f))"), ok(vec![]))
    } else {
        (signed, ok(vec![format!("({u} != 0.0f)")]))
    }
}

fn constant_base(c: f64, a: &Operand, b: &Operand) -> (String, Combined) {
    let v = b.atom;
    let ok = |conditions: Vec<String>| all_of([b.ok], conditions);
    if *a.ok == Validity::Never {
        // NaN^0 = ∞^0 = 1 under powf; any other exponent gives no number (∞^-b = 0 is not
        // reproduced: such a base already made the expression meaningless on the GPU).
        return ("1.0f".into(), ok(vec![format!("({v} == 0.0f)")]));
    }
    if c == 1.0 {
        return ("1.0f".into(), Combined::Same(Validity::Always));
    }
    if c == 0.0 {
        return (
            format!("select(0.0f, 1.0f, ({v} == 0.0f))"),
            ok(vec![format!("({v} >= 0.0f)")]),
        );
    }
    if c > 0.0 {
        let value = if c == std::f64::consts::E {
            format!("exp({v})")
        } else if c == 2.0 {
            format!("exp2({v})")
        } else {
            format!("pow({}, {v})", a.atom)
        };
        return (value, ok(vec![]));
    }
    // A negative base: valid only for integer exponents.
    let u = a.atom;
    (
        format!(
            "select(select(pow(abs({u}), {v}), -pow(abs({u}), {v}), ((({v} * 0.5f) != floor({v} * 0.5f)))), 1.0f, ({v} == 0.0f))"
        ),
        ok(vec![format!("({v} == floor({v}))")]),
    )
}

fn general(a: &Operand, b: &Operand, scope: &mut Scope) -> (String, Combined) {
    let (u, v) = (a.atom, b.atom);
    match (a.ok, b.ok) {
        (Validity::Never, Validity::Never) => {
            return ("0.0f".into(), Combined::Same(Validity::Never));
        }
        (Validity::Never, _) => {
            return ("1.0f".into(), all_of([b.ok], [format!("({v} == 0.0f)")]));
        }
        (_, Validity::Never) => {
            return ("1.0f".into(), all_of([a.ok], [format!("({u} == 1.0f)")]));
        }
        _ => {}
    }
    let magnitude = scope.temp(format!("pow(abs({u}), {v})"));
    let odd = scope.temp(format!("(({v} * 0.5f) != floor({v} * 0.5f))"));
    let signed = format!("select({magnitude}, -{magnitude}, (({u} < 0.0f) && {odd}))");
    let value = format!(
        "select(select({signed}, 0.0f, ({u} == 0.0f)), 1.0f, (({v} == 0.0f) || ({u} == 1.0f)))"
    );
    let domain = format!(
        "(({u} > 0.0f) || (({u} == 0.0f) && ({v} >= 0.0f)) || (({u} < 0.0f) && ({v} == floor({v}))))"
    );
    let validity = match (a.ok, b.ok) {
        (Validity::Always, Validity::Always) => Combined::Conjunction(domain),
        _ => {
            let both = match all_of([a.ok, b.ok], [domain]) {
                Combined::Conjunction(c) => c,
                Combined::Same(s) => s.expr().to_string(),
            };
            let zero_exponent = match b.ok {
                Validity::Always => format!("({v} == 0.0f)"),
                other => format!("({} && ({v} == 0.0f))", other.expr()),
            };
            let unit_base = match a.ok {
                Validity::Always => format!("({u} == 1.0f)"),
                other => format!("({} && ({u} == 1.0f))", other.expr()),
            };
            Combined::Conjunction(format!("({both} || {zero_exponent} || {unit_base})"))
        }
    };
    (value, validity)
}
