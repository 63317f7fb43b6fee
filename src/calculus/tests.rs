//! The verdict and the critical points against cases whose answers a calculus text gives,
//! each also under c·f and f(c·x) for c from 1e-6 to 1e6.

use super::*;
use crate::function::Function;

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

/// The verdict's label, without its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Label {
    Smooth,
    Kink,
    Vertical,
    Cusp,
    Jump,
    Oscillating,
    Edge(Side),
    Isolated,
    Removable,
    Undefined,
}

fn label(kind: PointKind) -> Label {
    match kind {
        PointKind::Smooth { .. } => Label::Smooth,
        PointKind::Kink { .. } => Label::Kink,
        PointKind::Vertical => Label::Vertical,
        PointKind::Cusp => Label::Cusp,
        PointKind::Jump { .. } => Label::Jump,
        PointKind::Oscillating => Label::Oscillating,
        PointKind::DomainEdge { defined } => Label::Edge(defined),
        PointKind::Isolated => Label::Isolated,
        PointKind::Removable { .. } => Label::Removable,
        PointKind::Undefined => Label::Undefined,
    }
}

/// (f, a, what a textbook says about f′(a)).
const CASES: &[(&str, f64, Label)] = &[
    // Smooth, including the ones a fixed h with absolute tolerances called kinks.
    ("x^2", 3.0, Label::Smooth),
    ("100*x^2", 0.0, Label::Smooth),
    ("exp(-100*x^2)", 0.0, Label::Smooth),
    ("cos(20*x)", 0.0, Label::Smooth),
    ("sin(x)", 0.0, Label::Smooth),
    ("x^3", 0.0, Label::Smooth),
    ("exp(x) - 1", 0.0, Label::Smooth),
    ("cos(x) - 1", 0.0, Label::Smooth),
    ("1e-12*x^2 + 1", 0.0, Label::Smooth),
    ("5", 0.5, Label::Smooth),
    ("abs(x)^3", 0.0, Label::Smooth),
    ("x*abs(x)", 0.0, Label::Smooth),
    ("exp(-1/x^2)", 0.0, Label::Smooth),
    ("sqrt(x^2 + 1)", 0.0, Label::Smooth),
    ("ln(x)", 1.0, Label::Smooth),
    ("tan(x)", 1.0, Label::Smooth),
    ("1/x", 2.0, Label::Smooth),
    ("sin(1/x)", 0.3, Label::Smooth),
    ("abs(x)", 1e-3, Label::Smooth),
    ("1e6 + x^2", 0.0, Label::Smooth),
    // Kinks, large and small next to the slope and to f.
    ("abs(x)", 0.0, Label::Kink),
    ("abs(x - 1)", 1.0, Label::Kink),
    ("1e-5*abs(x)", 0.0, Label::Kink),
    ("abs(x) + 1e6*x", 0.0, Label::Kink),
    ("x + 1e-9*abs(x)", 0.0, Label::Kink),
    ("abs(sin(x))", 0.0, Label::Kink),
    ("abs(x^2 - 1)", 1.0, Label::Kink),
    ("1 + abs(x)", 0.0, Label::Kink),
    ("(x + abs(x))/2", 0.0, Label::Kink),
    ("1e6 + abs(x)", 0.0, Label::Kink),
    // Vertical tangents and cusps.
    ("cbrt(x)", 0.0, Label::Vertical),
    ("cbrt(x - 2) + 1", 2.0, Label::Vertical),
    ("sqrt(x^2)", 0.0, Label::Kink),
    ("sqrt(abs(x))", 0.0, Label::Cusp),
    ("cbrt(x^2)", 0.0, Label::Cusp),
    ("abs(x)^0.2", 0.0, Label::Cusp),
    // Jumps of every size, and f(a) off a two-sided limit.
    ("sign(x)", 0.0, Label::Jump),
    ("1e-5*sign(x)", 0.0, Label::Jump),
    ("1 + 1e-9*sign(x)", 0.0, Label::Jump),
    ("sign(x) + x", 0.0, Label::Jump),
    ("abs(sign(x))", 0.0, Label::Jump),
    ("1e8*sign(x - 3)", 3.0, Label::Jump),
    ("exp(-1/x)", 0.0, Label::Jump),
    // Removable singularities: f(a) is 0/0 but the limit exists.
    ("sin(x)/x", 0.0, Label::Removable),
    ("(exp(x) - 1)/x", 0.0, Label::Removable),
    ("x*sin(1/x)", 0.0, Label::Removable),
    // Poles and essential singularities.
    ("sin(1/x)", 0.0, Label::Undefined),
    ("1/x", 0.0, Label::Undefined),
    ("exp(1/x)", 0.0, Label::Undefined),
    ("1/x^2", 0.0, Label::Undefined),
    ("ln(abs(x))", 0.0, Label::Undefined),
    // Outside the domain, on its edge, an isolated point.
    ("sqrt(x)", -1.0, Label::Undefined),
    ("ln(x)", -1.0, Label::Undefined),
    ("asin(x)", 2.0, Label::Undefined),
    ("sqrt(x)", 0.0, Label::Edge(Side::Right)),
    ("acos(x)", 1.0, Label::Edge(Side::Left)),
    ("sqrt(-x^2)", 0.0, Label::Isolated),
];

/// `src` with each lone variable among `vars` (one with no letter beside it, so that `exp`
/// keeps its x) replaced by `with(variable)`.
pub(super) fn substitute(src: &str, vars: &[char], with: impl Fn(char) -> String) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        let letter = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c| c.is_alphabetic())
        };
        if vars.contains(&ch) && !letter(i.checked_sub(1)) && !letter(Some(i + 1)) {
            out.push_str(&with(ch));
        } else {
            out.push(ch);
        }
    }
    out
}

/// `src` with every variable x replaced by (c·x).
fn substitute_x(src: &str, c: f64) -> String {
    substitute(src, &['x'], |_| format!("({c:e}*x)"))
}

/// Each case as given, as c·f, as f(c·x) at a/c, and as c·f(d·x) at a/d. Powers of two keep a/c exact for a ≠ 0;
/// at a = 0 powers of ten are exact too.
fn scaled_cases() -> Vec<(String, f64, Label)> {
    let mut out = Vec::new();
    for &(src, a, want) in CASES {
        out.push((src.to_string(), a, want));
        for c in [1e-6, 1e-3, 1e3, 1e6] {
            out.push((format!("{c:e}*({src})"), a, want));
        }
        let mut inner = vec![2f64.powi(-20), 2f64.powi(-10), 2f64.powi(10), 2f64.powi(20)];
        if a == 0.0 {
            inner.extend([1e-6, 1e-3, 1e3, 1e6]);
        }
        for &c in &inner {
            out.push((substitute_x(src, c), a / c, want));
        }
        // Both at once, the far corners: c·f(d·x), where underflow and overflow meet.
        for c in [1e-6, 1e6] {
            for &d in &[inner[0], inner[3]] {
                out.push((format!("{c:e}*({})", substitute_x(src, d)), a / d, want));
            }
        }
    }
    out
}

#[test]
fn the_verdict_matches_the_textbook_on_every_case_and_every_scale() {
    assert!(CASES.len() >= 40);
    let mut wrong = Vec::new();
    let cases = scaled_cases();
    for (src, a, want) in &cases {
        let got = classify_point(&f(src), *a);
        if label(got) != *want {
            wrong.push(format!("{src} at {a}: {got:?}, want {want:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} wrong:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_verdict_carries_the_right_numbers() {
    assert_eq!(
        classify_point(&f("100*x^2"), 0.0),
        PointKind::Smooth { slope: 0.0 }
    );
    assert_eq!(
        classify_point(&f("1e-5*sign(x)"), 0.0),
        PointKind::Jump {
            left_limit: -1e-5,
            right_limit: 1e-5
        }
    );
    assert_eq!(
        classify_point(&f("(x + abs(x))/2"), 0.0),
        PointKind::Kink {
            left: 0.0,
            right: 1.0
        }
    );
    match classify_point(&f("sin(x)/x"), 0.0) {
        PointKind::Removable { limit } => assert!((limit - 1.0).abs() < 1e-12, "{limit}"),
        other => panic!("{other:?}"),
    }
    match classify_point(&f("exp(-1/x)"), 0.0) {
        PointKind::Jump {
            left_limit,
            right_limit,
        } => assert_eq!((left_limit, right_limit), (f64::INFINITY, 0.0)),
        other => panic!("{other:?}"),
    }
}

/// The flat stretches as intervals are written, ends open or closed.
fn written_stretches(set: &CriticalSet) -> Vec<String> {
    set.flat
        .iter()
        .map(|s| s.written(|v| v.to_string()))
        .collect()
}

#[test]
fn a_constant_is_one_flat_stretch_not_four_thousand_points() {
    let set = critical_set(&f("5"), -1.0, 1.0);
    assert!(set.points.is_empty(), "{:?}", set.points);
    assert_eq!(
        set.flat,
        vec![FlatInterval {
            start: -1.0,
            end: 1.0,
            value: 5.0,
            start_closed: true,
            end_closed: true,
        }]
    );
    // Constant on a sub-interval only: |x − 1| + |x + 1| = 2 on [−1, 1].
    let set = critical_set(&f("abs(x - 1) + abs(x + 1)"), -3.0, 3.0);
    assert_eq!(
        set.flat,
        vec![FlatInterval {
            start: -1.0,
            end: 1.0,
            value: 2.0,
            start_closed: false,
            end_closed: false,
        }]
    );
    // Its ends are kinks where f′ does not exist, so they are listed as critical points of
    // their own: minima (f ≥ 2 around them), not part of the stretch where f′ ≡ 0.
    assert_eq!(
        set.flat[0].written(|v| v.to_string()),
        "(-1, 1)",
        "{:?}",
        set.flat
    );
    let ends: Vec<(f64, CriticalKind)> = set.points.iter().map(|p| (p.x, p.kind)).collect();
    assert_eq!(
        ends,
        [(-1.0, CriticalKind::Minimum), (1.0, CriticalKind::Minimum)]
    );
    assert!(set.points.iter().all(|p| p.no_derivative.is_some()));
    // The same verdicts for c·f(x/s), f and x scaled by 1e-6 … 1e6.
    for c in [1e-6, 1.0, 1e6] {
        for s in [1e-6, 1.0, 1e6] {
            let scaled = f(&format!("{c:e}*(abs(x/{s:e} - 1) + abs(x/{s:e} + 1))"));
            let set = critical_set(&scaled, -3.0 * s, 3.0 * s);
            let at = format!("c = {c:e}, s = {s:e}: {set:?}");
            assert_eq!(set.flat.len(), 1, "{at}");
            assert!(!set.flat[0].start_closed && !set.flat[0].end_closed, "{at}");
            let kinds: Vec<CriticalKind> = set.points.iter().map(|p| p.kind).collect();
            assert_eq!(kinds, [CriticalKind::Minimum; 2], "{at}");
            for (p, want) in set.points.iter().zip([-s, s]) {
                assert!((p.x - want).abs() <= 1e-12 * s, "{at}");
            }
        }
    }
    // sign(x) has f′ = 0 on both sides, but is not one constant: two stretches, and the jump
    // between them is a critical point without a derivative.
    let set = critical_set(&f("sign(x)"), -1.0, 1.0);
    assert_eq!(set.flat.len(), 2, "{:?}", set.flat);
    assert_eq!((set.flat[0].end, set.flat[1].start), (0.0, 0.0));
    // sign(0) = 0 belongs to neither stretch: both are open at 0.
    assert_eq!(written_stretches(&set), ["[-1, 0)", "(0, 1]"]);
    assert_eq!(set.points.len(), 1, "{:?}", set.points);
    assert_eq!(set.points[0].kind, CriticalKind::Neither);
    // x/x is 1 with f′ = 0 on both sides of its hole at 0, which neither stretch contains.
    let set = critical_set(&f("x/x"), -5.0, 5.0);
    assert_eq!(written_stretches(&set), ["[-5, 0)", "(0, 5]"]);
    // and the hole itself is not critical: f is not defined there.
    assert!(set.points.is_empty(), "{:?}", set.points);
}

#[test]
fn points_without_a_derivative_are_critical_and_classified() {
    let cps = critical_points(&f("abs(x)"), -3.0, 3.0);
    assert_eq!(cps.len(), 1, "{cps:?}");
    assert_eq!(cps[0].x, 0.0);
    assert_eq!(cps[0].kind, CriticalKind::Minimum);
    assert!(matches!(cps[0].no_derivative, Some(PointKind::Kink { .. })));
    // A kink between the samples is found by the sign change of f′.
    let cps = critical_points(&f("-abs(x - 0.3001)"), -3.0, 3.0);
    assert_eq!(cps.len(), 1, "{cps:?}");
    assert!((cps[0].x - 0.3001).abs() < 1e-12);
    assert_eq!(cps[0].kind, CriticalKind::Maximum);
    let cps = critical_points(&f("cbrt(x)"), -1.0, 1.0);
    assert_eq!(cps.len(), 1, "{cps:?}");
    assert_eq!(cps[0].kind, CriticalKind::Neither);
    assert_eq!(cps[0].no_derivative, Some(PointKind::Vertical));
    // 1/x: f′ changes sign nowhere, and 0 is outside the domain anyway.
    assert!(critical_points(&f("1/x"), -1.0, 1.0).is_empty());
    // ln|x|: f′ = 1/x changes sign across the pole, which is not a critical point.
    assert!(critical_points(&f("ln(abs(x))"), -1.0, 1.0).is_empty());
}

#[test]
fn a_side_within_rounding_is_judged_by_its_slope_not_called_equal() {
    // x³ + |x| + x drops to the left of 0 (by h³) and rises to the right: no extremum at its
    // kink, also when a constant 10⁶ swallows the drop in rounding.
    for c in ["", " + 1e6", " - 1e6"] {
        let g = f(&format!("x^3 + abs(x) + x{c}"));
        for step in [1e-3, 1e-5] {
            let p = critical_without_derivative(&g, 0.0, classify_point(&g, 0.0), step).unwrap();
            assert_eq!(p.kind, CriticalKind::Neither, "c = {c:?}, step {step}");
        }
    }
    // A vertical tangent through a rising cubic, lifted by 10⁶: still no extremum.
    let g = f("1e6 + x^3 + (cbrt(x) + abs(cbrt(x)))/2");
    let set = critical_set(&g, -1.0, 1.0);
    let at_zero: Vec<CriticalKind> = set
        .points
        .iter()
        .filter(|p| p.x == 0.0)
        .map(|p| p.kind)
        .collect();
    assert_eq!(at_zero, [CriticalKind::Neither], "{set:?}");
}

#[test]
fn a_stretch_holds_an_end_only_where_the_derivative_exists_there() {
    let written = |set: &CriticalSet| -> Vec<String> {
        set.flat
            .iter()
            .map(|s| s.written(|v| v.to_string()))
            .collect()
    };
    // The step H(x) with H(0) = 0: sign′ is 0 at 0 symbolically, but f jumps there.
    let set = critical_set(&f("(sign(x) + abs(sign(x)))/2"), -5.0, 5.0);
    assert_eq!(written(&set), ["[-5, 0)", "(0, 5]"]);
    let kinds: Vec<(f64, CriticalKind)> = set.points.iter().map(|p| (p.x, p.kind)).collect();
    // H(0) = 0 = H on the left and below H on the right: a minimum, as the textbook defines it.
    assert_eq!(kinds, [(0.0, CriticalKind::Minimum)]);
    assert!(matches!(
        set.points[0].no_derivative,
        Some(PointKind::Jump { .. })
    ));
    // √(x²) − |x| ≡ 0: f′ = 0·(1/0) is NaN at 0 symbolically, but f′(0) = 0. One stretch, the
    // whole interval, and 0 is not listed apart from it.
    let set = critical_set(&f("sqrt(x^2) - abs(x)"), -5.0, 5.0);
    assert_eq!(written(&set), ["[-5, 5]"]);
    assert!(set.points.is_empty(), "{:?}", set.points);
}

#[test]
fn a_kink_or_jump_without_a_zero_of_the_derivative_is_critical_at_every_scale() {
    // f′ keeps its sign across each of these breaks, so no zero of f′ brackets them; f′ does
    // not exist there, and that alone makes them critical (neither minimum nor maximum).
    for (expr, kind) in [
        ("abs(x) + 2*x", "kink"),
        ("x^3 + abs(x) + x", "kink"),
        ("sign(x) + x", "jump"),
    ] {
        for c in [1e-6, 1.0, 1e6] {
            for s in [1e-6, 1.0, 1e6] {
                let scaled = expr.replace('x', &format!("(x/{s:e})"));
                let g = f(&format!("{c:e}*({scaled})"));
                let set = critical_set(&g, -2.0 * s, 2.0 * s);
                let at = format!("{expr}, c = {c:e}, s = {s:e}: {set:?}");
                assert_eq!(set.points.len(), 1, "{at}");
                let p = &set.points[0];
                assert_eq!((p.x, p.kind), (0.0, CriticalKind::Neither), "{at}");
                let found = match p.no_derivative {
                    Some(PointKind::Kink { .. }) => "kink",
                    Some(PointKind::Jump { .. }) => "jump",
                    other => panic!("{at}: {other:?}"),
                };
                assert_eq!(found, kind, "{at}");
            }
        }
    }
    // A steep but smooth f has breaks between samples too, and no critical point; nor has a
    // saturating one, whose f′ = 1 − tanh² moves in steps of an ulp (they are rounding, not
    // breaks), nor the ends of its range, where f is within an ulp of ±1.
    for (expr, a, b) in [
        ("tanh(1000*x) + x", -2.0, 2.0),
        ("tanh(x)", -20.0, 20.0),
        ("tanh(x)", -40.0, 40.0),
        ("tanh(100*x)", -0.4, 0.4),
        ("1e-6*tanh(x/1e6)", -4e7, 4e7),
    ] {
        let set = critical_set(&f(expr), a, b);
        assert!(
            set.points.is_empty(),
            "{expr} on [{a}, {b}]: {:?}",
            set.points
        );
    }
}

#[test]
fn the_textbook_cusp_vertical_tangent_and_domain_edges_are_critical_at_every_scale() {
    // x^(2/3) is a real root for x < 0 (odd denominator): the notebook's cusp, a minimum;
    // x^(1/3) its vertical tangent, neither; √x and x·√x start at 0, where f is defined and f′
    // is not: critical, and the smallest value f takes there. On [−1, 1] 0 is a sample; on
    // [−1, 0.7] it is not, and is found between the samples.
    type Want = (&'static str, CriticalKind, fn(&PointKind) -> bool);
    let cases: [Want; 4] = [
        ("x^(2/3)", CriticalKind::Minimum, |v| *v == PointKind::Cusp),
        ("x^(1/3)", CriticalKind::Neither, |v| {
            *v == PointKind::Vertical
        }),
        ("sqrt(x)", CriticalKind::Minimum, |v| {
            *v == PointKind::DomainEdge {
                defined: Side::Right,
            }
        }),
        ("x*sqrt(x)", CriticalKind::Minimum, |v| {
            *v == PointKind::DomainEdge {
                defined: Side::Right,
            }
        }),
    ];
    for (expr, kind, verdict) in cases {
        for c in [1e-6, 1.0, 1e6] {
            for s in [1e-6, 1.0, 1e6] {
                let scaled = expr.replace('x', &format!("(x/{s:e})"));
                let g = f(&format!("{c:e}*({scaled})"));
                for (a, b) in [(-1.0, 1.0), (-1.0, 0.7)] {
                    let set = critical_set(&g, a * s, b * s);
                    let at = format!("{expr}, c = {c:e}, s = {s:e} on [{a}, {b}]: {set:?}");
                    assert_eq!(set.points.len(), 1, "{at}");
                    let p = &set.points[0];
                    assert_eq!((p.x, p.kind), (0.0, kind), "{at}");
                    assert!(p.no_derivative.as_ref().is_some_and(verdict), "{at}");
                    assert!(set.flat.is_empty(), "{at}");
                }
            }
        }
    }
    // An end of the range searched is not a critical point for being the domain's edge too.
    assert!(critical_points(&f("sqrt(x)"), 0.0, 1.0).is_empty());
    // A pole between samples is no critical point (f is not defined there), nor is a domain
    // that ends where f does not reach (ln x towards 0).
    assert!(critical_points(&f("ln(abs(x - 0.1))"), -1.0, 0.7).is_empty());
    assert!(critical_points(&f("1/(x - 0.1)"), -1.0, 0.7).is_empty());
    assert!(critical_points(&f("ln(x)"), -1.0, 0.7).is_empty());
    // An even denominator is still no real root: x^(1/2) is √x.
    assert!(f("x^(1/2)").value(&[-1.0]).is_nan());
    assert_eq!(f("x^(2/3)").value(&[-8.0]), f("x^(2/3)").value(&[8.0]));
}

#[test]
fn underflow_and_rounding_are_not_flatness_at_every_scale() {
    let causes =
        |set: &CriticalSet| -> Vec<Precision> { set.unresolved.iter().map(|u| u.cause).collect() };
    for c in [1e-6, 1.0, 1e6] {
        for s in [1e-6, 1.0, 1e6] {
            let at = |e: &str, set: &CriticalSet| format!("{e}, c = {c:e}, s = {s:e}: {set:?}");
            // exp(−x²) underflows to 0 beyond |x| ≈ 27.3: below double precision, not flat.
            let e = "exp(-x^2)";
            let g = f(&format!("{c:e}*exp(-(x/{s:e})^2)"));
            let set = critical_set(&g, -40.0 * s, 40.0 * s);
            assert!(set.flat.is_empty(), "{}", at(e, &set));
            assert_eq!(causes(&set), [Precision::Underflow; 2], "{}", at(e, &set));
            let kinds: Vec<(f64, CriticalKind)> =
                set.points.iter().map(|p| (p.x, p.kind)).collect();
            assert_eq!(kinds, [(0.0, CriticalKind::Maximum)], "{}", at(e, &set));
            // tanh(50x) rounds to ±1 beyond |x| ≈ 0.37: f′ is below its rounding, not 0.
            let e = "tanh(50*x)";
            let g = f(&format!("{c:e}*tanh(50*x/{s:e})"));
            let set = critical_set(&g, -s, s);
            assert!(set.flat.is_empty(), "{}", at(e, &set));
            assert!(set.points.is_empty(), "{}", at(e, &set));
            assert_eq!(causes(&set), [Precision::Rounding; 2], "{}", at(e, &set));
            // exp(−1/x²): its minimum at 0 inside an underflowing stretch, and no made-up
            // "swinging secants" at the stretch's ends.
            let e = "exp(-1/x^2)";
            let g = f(&format!("{c:e}*exp(-1/(x/{s:e})^2)"));
            let set = critical_set(&g, -s, s);
            assert!(set.flat.is_empty(), "{}", at(e, &set));
            assert_eq!(causes(&set), [Precision::Underflow], "{}", at(e, &set));
            let kinds: Vec<(f64, CriticalKind)> =
                set.points.iter().map(|p| (p.x, p.kind)).collect();
            assert_eq!(kinds, [(0.0, CriticalKind::Minimum)], "{}", at(e, &set));
            // (1 − cos x)/x² near 0: f′'s sign is cancellation noise; no point is made of it.
            let e = "(1 - cos(x))/x^2";
            let g = f(&format!("{c:e}*(1 - cos(x/{s:e}))/(x/{s:e})^2"));
            let set = critical_set(&g, -1e-3 * s, 1e-3 * s);
            assert!(set.points.is_empty(), "{}", at(e, &set));
            assert!(!set.unresolved.is_empty(), "{}", at(e, &set));
            assert!(
                set.unresolved
                    .iter()
                    .all(|u| u.cause == Precision::Rounding),
                "{}",
                at(e, &set)
            );
        }
    }
    // A stretch where f′ is exactly 0 stays flat, whatever rounding f itself carries.
    for e in ["abs(x - 1) + abs(x + 1)", "sqrt(x^2) - abs(x)", "x/x", "5"] {
        let set = critical_set(&f(e), -3.0, 3.0);
        assert!(
            !set.flat.is_empty() && set.unresolved.is_empty(),
            "{e}: {set:?}"
        );
    }
}

#[test]
fn zeros_of_the_derivative_between_samples_are_found_or_counted_never_aliased() {
    // sin(1000x) turns 318 times on [0, 1]: its critical points are (π/2 + kπ)/1000, each a
    // maximum or a minimum in turn, at every scaling.
    let expected = |s: f64, half_width: f64| -> Vec<f64> {
        let n = ((1000.0 * half_width / std::f64::consts::PI) - 0.5).floor() as i64;
        (-n - 1..=n)
            .map(|k| s * (std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::PI) / 1000.0)
            .collect()
    };
    for c in [1e-6, 1.0, 1e6] {
        for s in [1e-6, 1.0, 1e6] {
            let g = f(&format!("{c:e}*sin(1000*x/{s:e})"));
            let set = critical_set(&g, -s, s);
            let at = format!("c = {c:e}, s = {s:e}");
            let want = expected(s, 1.0);
            assert_eq!(set.points.len(), want.len(), "{at}");
            assert_eq!(set.too_many, None, "{at}");
            for (p, x) in set.points.iter().zip(&want) {
                assert!((p.x - x).abs() <= 1e-12 * s, "{at}: {} vs {x}", p.x);
            }
            assert!(
                set.points.windows(2).all(|w| w[0].kind != w[1].kind),
                "{at}"
            );
        }
    }
    // On [−100, 100] there are 63 662: more than are listed, so they are counted, and said.
    let set = critical_set(&f("sin(1000*x)"), -100.0, 100.0);
    let many = set.too_many.expect("too many to list");
    assert_eq!(many.at_least, expected(1.0, 100.0).len(), "{many:?}");
    assert!(!many.budget_ran_out);
    assert!(set.points.is_empty(), "{} listed", set.points.len());
    // A kink, a cusp and a vertical tangent between samples are breaks, not fast turns.
    for e in ["abs(x)", "x^(1/3)", "x^(2/3)"] {
        let set = critical_set(&f(e), -1.0, 0.7);
        assert_eq!((set.too_many, set.gave_up_at), (None, None), "{e}");
    }
}
