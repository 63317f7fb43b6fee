//! Powers with a fractional exponent of odd denominator, such as x^(2/3) and x^(1/3), taken as
//! real roots: (−8)^(1/3) = −2 and (−8)^(2/3) = 4, as a calculus text reads them (x^(2/3) is its
//! cusp, x^(1/3) its vertical tangent), where IEEE `pow` gives NaN for every negative base.
//!
//! The exponent arrives as an f64, so "p/q with q odd" means: the double nearest to p/q for
//! some odd q ≤ [`MAX_ODD_DENOMINATOR`] (the same bound under which the printer writes a
//! constant back as a fraction). Only constant exponents are read this way; x^y with y a
//! variable keeps IEEE's rule.

use super::expr::{Arena, Id, Node};

/// The largest denominator recognised. Printing writes a constant as p/q up to q = 64, so a
/// recognised exponent always prints as the fraction it stands for.
pub const MAX_ODD_DENOMINATOR: i64 = 63;

/// An exponent p/q in lowest terms with q odd and q ≥ 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OddRoot {
    pub numerator: i64,
    pub denominator: i64,
}

impl OddRoot {
    /// The fraction `c` is the double of, if its denominator is odd (and not 1: integers are
    /// ordinary powers).
    pub fn of(c: f64) -> Option<OddRoot> {
        if !c.is_finite() || c.fract() == 0.0 || c.abs() > 1e9 {
            return None;
        }
        // The smallest denominator that reproduces c: an even one (0.5 = 1/2) means no real
        // root, whatever larger odd fraction happened to round to the same double.
        (2..=MAX_ODD_DENOMINATOR)
            .find_map(|q| {
                let p = (c * q as f64).round();
                (p / q as f64 == c).then_some((p as i64, q))
            })
            .filter(|&(_, q)| q % 2 == 1)
            .map(|(numerator, denominator)| OddRoot {
                numerator,
                denominator,
            })
    }

    /// Whether the root keeps the sign of the base: p odd (x^(1/3)), else it is even in x
    /// (x^(2/3)).
    pub fn is_odd(self) -> bool {
        self.numerator % 2 != 0
    }

    /// This exponent plus an integer k, as the double of (p + k·q)/q: the power rule's r − 1
    /// must stay the fraction it stands for (2/3 − 1 as doubles is an ulp off −1/3, and would
    /// no longer be read as a root).
    pub fn plus(self, k: i64) -> f64 {
        (self.numerator + k * self.denominator) as f64 / self.denominator as f64
    }
}

/// base^c for a constant exponent c, with real odd roots of negative bases (see the module
/// notes); otherwise exactly [`super::pow_f64`].
#[inline]
pub fn pow_const(base: f64, c: f64) -> f64 {
    if base < 0.0
        && let Some(root) = OddRoot::of(c)
    {
        let magnitude = (-base).powf(c);
        return if root.is_odd() { -magnitude } else { magnitude };
    }
    super::pow_f64(base, c)
}

/// The value of an exponent free of variables, as the evaluator computes it, or None where it
/// depends on x, y or the data. The expression as typed keeps `2/3` as a quotient (it decides
/// f's domain), and must read it as the constant exponent it is.
pub(crate) fn constant_exponent(arena: &Arena, id: Id) -> Option<f64> {
    if let Some(c) = arena.as_const(id) {
        return Some(c);
    }
    if !arena.is_var_free(id) {
        return None;
    }
    let value = |c: Id| constant_exponent(arena, c).unwrap_or(f64::NAN);
    Some(match arena.node(id) {
        Node::Neg(a) => -value(a),
        Node::Add(a, b) => value(a) + value(b),
        Node::Sub(a, b) => value(a) - value(b),
        Node::Mul(a, b) => value(a) * value(b),
        Node::Div(a, b) => value(a) / value(b),
        Node::Pow(a, b) => pow_const(value(a), value(b)),
        Node::Call(f, a) => f.apply(value(a)),
        Node::Const(_) | Node::Var(_) | Node::Mean(_) => f64::NAN,
    })
}

/// c − 1 for the power rule, kept an odd-denominator fraction where c is one.
pub fn exponent_minus_one(c: f64) -> f64 {
    OddRoot::of(c).map_or(c - 1.0, |root| root.plus(-1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_with_odd_denominators_are_recognised_and_others_not() {
        let r = |p: f64, q: f64| OddRoot::of(p / q).map(|o| (o.numerator, o.denominator));
        assert_eq!(r(2.0, 3.0), Some((2, 3)));
        assert_eq!(r(-1.0, 3.0), Some((-1, 3)));
        assert_eq!(r(7.0, 5.0), Some((7, 5)));
        assert_eq!(r(-4.0, 3.0), Some((-4, 3)));
        assert_eq!(r(1.0, 63.0), Some((1, 63)));
        // Even denominators, integers and other numbers are ordinary powers.
        assert_eq!(r(1.0, 2.0), None);
        assert_eq!(r(3.0, 4.0), None);
        assert_eq!(r(6.0, 3.0), None);
        assert_eq!(OddRoot::of(std::f64::consts::PI), None);
        assert_eq!(OddRoot::of(0.1), None);
        assert_eq!(OddRoot::of(f64::NAN), None);
        assert_eq!(OddRoot::of(1e300), None);
    }

    #[test]
    fn negative_bases_have_real_roots() {
        assert_eq!(pow_const(-8.0, 1.0 / 3.0), -2.0);
        // The same digits as the positive base (powf's 8^(2/3) is an ulp below 4).
        assert_eq!(pow_const(-8.0, 2.0 / 3.0), pow_const(8.0, 2.0 / 3.0));
        assert!((pow_const(-8.0, 2.0 / 3.0) - 4.0).abs() <= 4.0 * f64::EPSILON);
        assert_eq!(pow_const(-8.0, -1.0 / 3.0), -0.5);
        assert_eq!(pow_const(-32.0, 0.2), -2.0);
        assert_eq!(pow_const(8.0, 1.0 / 3.0), 2.0);
        // An even root of a negative number stays no number.
        assert!(pow_const(-4.0, 0.5).is_nan());
        assert!(pow_const(-4.0, 0.25).is_nan());
        // Zero to a negative root is infinite, as powf says (a cusp's derivative).
        assert_eq!(pow_const(0.0, -1.0 / 3.0), f64::INFINITY);
    }

    #[test]
    fn the_power_rule_keeps_the_fraction() {
        assert_eq!(exponent_minus_one(2.0 / 3.0), -1.0 / 3.0);
        assert_ne!(
            2.0 / 3.0 - 1.0,
            -1.0 / 3.0,
            "the naive difference is an ulp off"
        );
        assert_eq!(exponent_minus_one(-1.0 / 3.0), -4.0 / 3.0);
        assert_eq!(exponent_minus_one(0.5), -0.5);
        assert_eq!(exponent_minus_one(3.0), 2.0);
    }
}
