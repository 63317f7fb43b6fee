//! The constructors' normal forms on small cases: like terms, powers and constants, quotients
//! that keep their holes, unsquared roots, and which constants fold.

use super::*;

#[test]
fn sums_combine_like_terms_and_cancel() {
    let mut a = Arena::new();
    let x = a.var(Var::X);
    let s = a.add(x, x);
    let two = a.num(2.0);
    let two_x = a.mul(two, x);
    assert_eq!(s, two_x);
    let z = a.sub(x, x);
    assert_eq!(a.as_const(z), Some(0.0));
}

#[test]
fn products_collect_powers_and_constants() {
    let mut a = Arena::new();
    let x = a.var(Var::X);
    let y = a.var(Var::Y);
    let xy = a.mul(x, y);
    let yx = a.mul(y, x);
    assert_eq!(xy, yx);
    let xx = a.mul(x, x);
    let two = a.num(2.0);
    assert_eq!(xx, a.pow(x, two));
    let three = a.num(3.0);
    let x3 = a.pow(x, three);
    let x2x = a.mul(xx, x);
    assert_eq!(x2x, x3);
}

#[test]
fn dividing_by_a_power_of_two_is_a_product() {
    let mut a = Arena::new();
    let x = a.var(Var::X);
    let two = a.num(2.0);
    let half = a.num(0.5);
    assert_eq!(a.div(x, two), a.mul(half, x));
}

#[test]
fn quotients_cancel_only_what_keeps_their_holes() {
    let mut a = Arena::new();
    let (x, y) = (a.var(Var::X), a.var(Var::Y));
    let (two, three) = (a.num(2.0), a.num(3.0));
    let xy = a.mul(x, y);
    let xy2 = a.pow(xy, two);
    let x2 = a.pow(x, two);
    let y2 = a.pow(y, two);
    let x2y2 = a.mul(x2, y2);
    assert_eq!(xy2, x2y2, "(x·y)² collects as x²·y²");
    // y/y³ → 1/y²: y = 0 is still a zero of the denominator.
    let y3 = a.pow(y, three);
    let q = a.div(y, y3);
    assert_eq!(a.to_text(q), "1/y^2");
    // x²/x is not x: the hole at 0 stays.
    let q = a.div(x2, x);
    assert_eq!(a.to_text(q), "x^2/x");
    let p = crate::math::eval::Program::compile(&a, &[q]);
    assert!(p.eval(0.0, 0.0)[0].is_nan());
    // 2·x/(2·√x) → x/√x, never 1·x/√x or √x.
    let s = a.call(Func::Sqrt, x);
    let n = a.mul(two, x);
    let d = a.mul(two, s);
    let q = a.div(n, d);
    assert_eq!(a.to_text(q), "x/sqrt(x)");
}

#[test]
fn unsquared_roots_of_quotients_and_negations_read_back() {
    // √(x/0.001)² is x/0.001 and √(−s)² is −s: as a factor of a product, where the fuzzer
    // found them, they printed forms (x^6*(x/0.001)) that read back as other nodes.
    for src in [
        "-sqrt((x)/1e-3)/(x^(7))+-(--2.5E+4)*y",
        "cos(2.5E+4/x+(x)^2/sqrt(-sigmoid(ln((sigmoid(log((ln(7)))))+(softplus(asin(x)))**(3^y)))))",
        // A cancelled base that is a quotient, and a coefficient that underflows to 0.
        "((x)*-softplus(cosh((x)*x/e+(log(1e300*((5e-324)/exp(softplus(5e-324-(e)**x)))^--(2.5E+4) 1e-300)))))",
        "1e300 abs((y ((-1e308)+y)**sqrt((x)*x)**(x)*x))-(5e-324/x-5e-324)**(2)/x",
    ] {
        let f = crate::function::Function::parse(src).unwrap();
        for &d in f.gradient_ids() {
            let text = f.arena().to_text(d);
            let mut arena = f.arena().clone();
            let again = crate::math::parse(&mut arena, &text).unwrap();
            assert_eq!(
                again,
                d,
                "{src}: {text} read back as {}",
                arena.to_text(again)
            );
        }
    }
}

#[test]
fn functions_of_constants_fold_only_when_short() {
    let mut a = Arena::new();
    let zero = a.num(0.0);
    let c = a.call(Func::Cos, zero);
    assert_eq!(a.as_const(c), Some(1.0));
    let two = a.num(2.0);
    let l = a.call(Func::Ln, two);
    assert!(a.as_const(l).is_none());
}
