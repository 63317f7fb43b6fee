//! A first-order bound on the rounding error of an f64 evaluation, carried alongside each value
//! (running error analysis). The calculus tools need it to tell a real change in f from
//! rounding: `exp(x) − 1` near 0 is a difference of numbers near 1, so its rounding is ~1e-16
//! however small the result, which the size of the result alone does not reveal.

use super::eval::{Op, Program};
use super::func::Func;
use super::real_root::pow_const;
use super::simplify::pow_f64;

/// Unit roundoff, doubled: libm's transcendental functions are faithful (≤ 1 ulp), not always
/// correctly rounded.
const ULP: f64 = f64::EPSILON;

/// The spacing of subnormal numbers: what an underflowing result can lose in absolute terms.
const UNDERFLOW: f64 = 5e-324;

/// Rounding of a freshly computed function value r (libm: within an ulp), plus the subnormal
/// spacing where r lies in the subnormal range or came out 0 from a nonzero argument.
fn fresh_from(r: f64, input_nonzero: bool) -> f64 {
    ULP * r.abs() + underflow(r, input_nonzero)
}

/// What a result can have lost to underflow: the subnormal spacing where it is subnormal, or
/// 0 although its inputs were not.
fn underflow(r: f64, inputs_nonzero: bool) -> f64 {
    if (r != 0.0 && r.abs() < f64::MIN_POSITIVE) || (r == 0.0 && inputs_nonzero) {
        UNDERFLOW
    } else {
        0.0
    }
}

/// a·e for an error e carried through a factor a: a nonzero error never underflows to 0 (it
/// would then claim an exact result where x²/1e12 lost everything to underflow).
fn times(a: f64, e: f64) -> f64 {
    let r = a * e;
    if r == 0.0 && a != 0.0 && e > 0.0 {
        UNDERFLOW
    } else {
        r
    }
}

/// e/d for an error e carried through a divisor d, kept nonzero as in [`times`].
fn over(e: f64, d: f64) -> f64 {
    let r = e / d;
    if r == 0.0 && e > 0.0 && d.is_finite() {
        UNDERFLOW
    } else {
        r
    }
}

/// The exact rounding error of r = p + q (Knuth's TwoSum); sums never underflow.
fn sum_rounding(p: f64, q: f64, r: f64) -> f64 {
    if !r.is_finite() {
        return 0.0;
    }
    let q_part = r - p;
    ((p - (r - q_part)) + (q - q_part)).abs()
}

/// The exact rounding error of r = p·q (one fused multiply-add), so that a product that
/// happens to be exact (1024 · 3/1024) carries no doubt.
fn product_rounding(p: f64, q: f64, r: f64) -> f64 {
    if !r.is_finite() {
        return 0.0;
    }
    p.mul_add(q, -r).abs() + underflow(r, p != 0.0 && q != 0.0)
}

/// The rounding error of r = p/q, from the exact residual p − r·q.
fn quotient_rounding(p: f64, q: f64, r: f64) -> f64 {
    if !(r.is_finite() && q.is_finite()) || q == 0.0 {
        return 0.0;
    }
    ((-r).mul_add(q, p) / q).abs() + underflow(r, p != 0.0)
}

/// How far `g(u)` can move when u is off by up to `e`: the larger of g's spread between the
/// ends u ± e (which catches a jump of sign or abs inside) and its local slope times e (which
/// catches what two samples of a periodic g would miss, and an e below half an ulp of u). A
/// perturbation that leaves g's domain makes the result entirely uncertain.
fn propagate(g: impl Fn(f64) -> f64, u: f64, e: f64, r: f64) -> f64 {
    if e == 0.0 || u.is_infinite() {
        return 0.0;
    }
    let spread = |v: f64| {
        let d = (v - r).abs();
        if d.is_nan() { f64::INFINITY } else { d }
    };
    let ends = spread(g(u + e)).max(spread(g(u - e)));
    let step = (u.abs() * 4.0 * f64::EPSILON).max(f64::MIN_POSITIVE);
    let slope = spread(g(u + step)).max(spread(g(u - step))) / step;
    ends.max(slope * e)
}

impl Program {
    /// Evaluates like [`Program::eval`] and returns, for each output, the value and a bound on
    /// its rounding error (first order: exact inputs, each operation rounding once, errors
    /// carried through by each operation's sensitivity). The bound is ∞ where it cannot be
    /// given (a perturbation leaves the domain) and NaN where the value itself is not finite.
    pub fn eval_with_error(&self, x: f64, y: f64) -> Vec<(f64, f64)> {
        let means = match &self.rows {
            Some(stage) => {
                let k = stage.program.outputs.len();
                let mut sums = vec![(0.0, 0.0, 0.0); k];
                for r in 0..stage.data.rows {
                    let row = stage
                        .program
                        .eval_with_error_at(x, y, stage.data.row(r), &[]);
                    for (s, (v, e)) in sums.iter_mut().zip(row) {
                        *s = (s.0 + v, s.1 + e, s.2 + v.abs());
                    }
                }
                // Each addition of the sum rounds by at most half an ulp of the running total,
                // itself at most the sum of the magnitudes.
                let n = stage.data.rows.max(1) as f64;
                sums.into_iter()
                    .map(|(v, e, mag)| (v / n, (e + n * f64::EPSILON * mag) / n))
                    .collect()
            }
            None => Vec::new(),
        };
        self.eval_with_error_at(x, y, &[], &means)
    }

    /// [`Program::eval_with_error`] for the data row `cols` and the means already taken.
    fn eval_with_error_at(
        &self,
        x: f64,
        y: f64,
        cols: &[f64],
        means: &[(f64, f64)],
    ) -> Vec<(f64, f64)> {
        let mut regs: Vec<(f64, f64)> = Vec::with_capacity(self.ops.len());
        for op in &self.ops {
            let g = |k: u32| regs[k as usize];
            let (r, e) = match *op {
                Op::Const(c) => (c, 0.0),
                Op::X => (x, 0.0),
                Op::Y => (y, 0.0),
                Op::Col(k) => (cols.get(k as usize).copied().unwrap_or(f64::NAN), 0.0),
                Op::Mean(j) => means
                    .get(j as usize)
                    .copied()
                    .unwrap_or((f64::NAN, f64::NAN)),
                Op::Neg(a) => {
                    let (v, e) = g(a);
                    (-v, e)
                }
                Op::Add(a, b) | Op::Sub(a, b) => {
                    let ((p, ep), (q, eq)) = (g(a), g(b));
                    let r = if matches!(op, Op::Add(..)) {
                        p + q
                    } else {
                        p - q
                    };
                    let round = if matches!(op, Op::Add(..)) {
                        sum_rounding(p, q, r)
                    } else {
                        sum_rounding(p, -q, r)
                    };
                    (r, ep + eq + round)
                }
                Op::AddC(a, c) => {
                    let (p, ep) = g(a);
                    let r = p + c;
                    (r, ep + sum_rounding(p, c, r))
                }
                Op::SubFromC(c, a) => {
                    let (p, ep) = g(a);
                    let r = c - p;
                    (r, ep + sum_rounding(c, -p, r))
                }
                Op::Mul(a, b) => {
                    let ((p, ep), (q, eq)) = (g(a), g(b));
                    let r = p * q;
                    let round = product_rounding(p, q, r);
                    (r, times(p.abs(), eq) + times(q.abs(), ep) + ep * eq + round)
                }
                Op::Square(a) => {
                    let (p, ep) = g(a);
                    let r = p * p;
                    (
                        r,
                        times(2.0 * p.abs(), ep) + ep * ep + product_rounding(p, p, r),
                    )
                }
                Op::MulC(a, c) => {
                    let (p, ep) = g(a);
                    let r = p * c;
                    (r, times(c.abs(), ep) + product_rounding(p, c, r))
                }
                Op::Div(a, b) => {
                    let ((p, ep), (q, eq)) = (g(a), g(b));
                    let r = p / q;
                    (r, quotient_error(r, p, ep, q, eq))
                }
                Op::DivC(a, c) => {
                    let (p, ep) = g(a);
                    let r = p / c;
                    (r, over(ep, c.abs()) + quotient_rounding(p, c, r))
                }
                Op::CDiv(c, a) => {
                    let (q, eq) = g(a);
                    let r = c / q;
                    (r, quotient_error(r, c, 0.0, q, eq))
                }
                Op::Pow(a, b) => {
                    let ((p, ep), (q, eq)) = (g(a), g(b));
                    let r = pow_f64(p, q);
                    let in_base = propagate(|v| pow_f64(v, q), p, ep, r);
                    let in_exponent = propagate(|v| pow_f64(p, v), q, eq, r);
                    (r, in_base + in_exponent + fresh_from(r, p != 0.0))
                }
                Op::PowC(a, c) => {
                    let (p, ep) = g(a);
                    let r = pow_const(p, c);
                    let round = fresh_from(r, p != 0.0);
                    (r, propagate(|v| pow_const(v, c), p, ep, r) + round)
                }
                Op::Call(f, a) => {
                    let (p, ep) = g(a);
                    let r = f.apply(p);
                    // exp(−∞) = 0 is exact; exp(−1000) = 0 underflowed.
                    let round = fresh_from(r, p != 0.0 && p.is_finite());
                    // An angle uncertain by a radian or more could be any angle: samples of
                    // a periodic g at its ends would not show that.
                    let moved = match f {
                        Func::Sin | Func::Cos if ep >= 1.0 => 2.0,
                        Func::Tan if ep >= 1.0 => f64::INFINITY,
                        _ => propagate(|v| f.apply(v), p, ep, r),
                    };
                    (r, moved + round)
                }
            };
            // An infinite result can be exact (1/0, exp(1000)) and still feed a finite one
            // (exp(−1/0) = 0); only NaN ends the bound.
            let e = if r.is_nan() { f64::NAN } else { e };
            regs.push((r, e));
        }
        self.outputs.iter().map(|&o| regs[o as usize]).collect()
    }
}

/// (p ± ep) / (q ± eq) against r = p / q: |r|·eq/|q| from the divisor, ep/|q| from the dividend.
fn quotient_error(r: f64, p: f64, ep: f64, q: f64, eq: f64) -> f64 {
    if eq > 0.0 && eq >= q.abs() {
        // The divisor could be zero: no bound.
        return f64::INFINITY;
    }
    if q == 0.0 {
        // ±∞ from an exact 0 is exact, unless p itself is in doubt (it could be 0).
        return if ep == 0.0 || ep < p.abs() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if q.is_infinite() {
        return 0.0;
    }
    over(ep + times(r.abs(), eq), q.abs() - eq) + quotient_rounding(p, q, r)
}

#[cfg(test)]
mod tests {
    use super::super::{Arena, Program, parse};

    fn bound(src: &str, x: f64) -> (f64, f64) {
        let mut arena = Arena::new();
        let f = parse(&mut arena, src).unwrap();
        Program::compile(&arena, &[f]).eval_with_error(x, 0.0)[0]
    }

    #[test]
    fn the_bound_sees_cancellation_the_result_hides() {
        // exp(1e-14) − 1 ≈ 1e-14, but it is the difference of two numbers near 1.
        let (v, e) = bound("exp(x) - 1", 1e-14);
        assert!((v - 1e-14).abs() <= e, "{v} ± {e}");
        assert!(e > 1e-17 && e < 1e-15, "{e}");
        // x² at 1e-10: the product's own rounding, measured exactly, within an ulp.
        let (v, e) = bound("x^2", 1e-10);
        assert!(e > 0.0 && e <= v * f64::EPSILON, "{e}");
        // A product that happens to be exact carries no doubt: 1024 · (3/1024) − 3 is 0.
        assert_eq!(bound("1024*x - 3", 3.0 / 1024.0), (0.0, 0.0));
        // Exact arithmetic has no error beyond the underflow floor.
        let (v, e) = bound("5", 0.3);
        assert_eq!((v, e), (5.0, 0.0));
    }

    #[test]
    fn an_error_never_underflows_to_a_claim_of_exactness() {
        // x² = 0 at 1e-200 lost everything to underflow; dividing its doubt by 1e12 must not
        // round the doubt itself away, or sqrt(|x²/1e12|) would be an exact 0.
        let (v, e) = bound("sqrt(abs(x^2/1e12))", 1e-200);
        assert_eq!(v, 0.0);
        assert!(e > 0.0, "{e}");
    }

    #[test]
    fn the_bound_covers_the_true_error() {
        let (v, e) = bound("cos(x) - 1", 1e-5);
        let truth = -2.0 * (0.5e-5f64).sin().powi(2);
        assert!((v - truth).abs() <= e, "{v} vs {truth} ± {e}");
        let (_, e) = bound("sqrt(x)", -1.0);
        assert!(e.is_nan());
        // 1/0 = ∞ exactly in IEEE arithmetic, and exp(−∞) = 0 exactly after it.
        let (v, e) = bound("exp(-1/x^2)", 0.0);
        assert_eq!((v, e), (0.0, 0.0));
        // An angle uncertain by more than a radian could be any angle.
        let (_, e) = bound("sin(1/(1e6*x))", 1e-300);
        assert!(e >= 2.0, "{e}");
    }
}
