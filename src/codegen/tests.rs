//! Emitted snippets, error cases, and naga validation of the generated WGSL for every preset,
//! for huge and deep functions, and for a few hundred random expressions (no adapter needed).

use proptest::prelude::*;

use super::*;
use crate::function::Function;
use crate::gpu::shaders::{GRID_TEMPLATE, splice, validate};
use crate::math::{Func, Var};

fn wgsl(src: &str) -> String {
    Function::parse(src)
        .unwrap_or_else(|e| panic!("{src}: {e}"))
        .wgsl()
}

fn assert_valid(what: &str, generated: &str) {
    let spliced = splice(GRID_TEMPLATE, generated).expect("the template has one marker");
    if let Err(e) = validate(&spliced) {
        panic!("{what}: generated WGSL does not validate:\n{e}\n--- generated ---\n{generated}");
    }
}

/// The body of `fn name` in the generated source.
fn function_body<'a>(generated: &'a str, name: &str) -> &'a str {
    let start = generated
        .find(&format!("fn {name}("))
        .unwrap_or_else(|| panic!("no fn {name} in\n{generated}"));
    let rest = &generated[start..];
    &rest[..rest.find("\n}\n").map_or(rest.len(), |end| end + 3)]
}

/// The names bound by `let` in the generated functions (helpers excluded).
fn let_names(generated: &str) -> Vec<&str> {
    generated
        .lines()
        .filter_map(|line| line.trim().strip_prefix("let "))
        .filter_map(|rest| rest.split(' ').next())
        .collect()
}

#[test]
fn defines_the_four_functions_and_validates() {
    for src in ["sin(x*y)", "x^2", "3", "x"] {
        let generated = wgsl(src);
        for signature in [
            "fn f(x: f32, y: f32) -> f32 {",
            "fn grad(x: f32, y: f32) -> vec2<f32> {",
            "fn hess(x: f32, y: f32) -> vec4<f32> {",
            "fn gs_eval(x: f32, y: f32) -> vec4<f32> {",
        ] {
            assert!(
                generated.contains(signature),
                "{src}: {signature}\n{generated}"
            );
        }
        assert_valid(src, &generated);
    }
}

#[test]
fn generate_eval_emits_only_gs_eval() {
    let function = Function::parse("acos(x)*y").unwrap();
    let arena = function.arena();
    let full = generate(
        arena,
        function.f_id(),
        function.gradient_ids(),
        function.hessian_ids(),
    )
    .unwrap();
    let lean = generate_eval(arena, function.f_id(), function.gradient_ids()).unwrap();
    assert!(lean.contains("fn gs_eval(") && lean.contains("fn cg_acos("));
    assert!(!lean.contains("fn f(") && !lean.contains("fn grad(") && !lean.contains("fn hess("));
    assert_eq!(
        function_body(&full, "gs_eval"),
        function_body(&lean, "gs_eval")
    );
    assert_valid("acos(x)*y, gs_eval only", &lean);
    assert_eq!(
        generate_eval(arena, function.f_id(), &[]),
        Err(CodegenError::Dimensions(0))
    );
}

#[test]
fn shared_nodes_are_computed_once_in_gs_eval() {
    let generated = wgsl("sin(x*y)");
    let eval = function_body(&generated, "gs_eval");
    assert_eq!(eval.matches("(x * y)").count(), 1, "{eval}");
    assert_eq!(eval.matches("cos(").count(), 1, "{eval}");
    assert!(eval.contains("return vec4<f32>("), "{eval}");
    // Every name is a node (v12), a temporary of one (v12_1) or a validity (ok12).
    for name in let_names(&generated) {
        let digits = name
            .strip_prefix("ok")
            .or_else(|| name.strip_prefix('v'))
            .unwrap_or_else(|| panic!("unexpected name {name}"));
        assert!(
            digits
                .split('_')
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())),
            "unexpected name {name}"
        );
    }
}

#[test]
fn one_d_pads_gradient_and_hessian_with_zeros() {
    let generated = wgsl("x^3");
    let grad = function_body(&generated, "grad");
    assert!(grad.contains(", 0.0f);"), "{grad}");
    let hess = function_body(&generated, "hess");
    assert!(hess.contains(", 0.0f, 0.0f, 0.0f);"), "{hess}");
    let eval = function_body(&generated, "gs_eval");
    assert!(eval.contains(", 0.0f, 0.0f);"), "{eval}");
    // x^3 is a multiplication chain, x^2 (in the derivative) the f64 evaluator's x*x.
    assert!(eval.contains("((x * x) * x)"), "{eval}");
}

#[test]
fn domain_guards_are_per_output() {
    let generated = wgsl("sqrt(x)");
    let eval = function_body(&generated, "gs_eval");
    // The value needs x ≥ 0; the derivative 1/(2·sqrt(x)) also a non-zero denominator.
    assert!(eval.contains("(x >= 0.0f)"), "{eval}");
    assert!(eval.contains("!= 0.0f)"), "{eval}");
    assert!(eval.contains("select(gs_nan(), "), "{eval}");
    // f, grad and hess also apply the finite check, which the kernel does for gs_eval.
    assert!(function_body(&generated, "f").contains("gs_is_finite("));

    let ln = wgsl("ln(x)");
    assert!(function_body(&ln, "f").contains("(x > 0.0f)"));
    let asin = wgsl("asin(x)");
    assert!(asin.contains("(abs(x) <= 1.0f)"), "{asin}");
    let atanh = wgsl("atanh(x)");
    assert!(atanh.contains("(abs(x) < 1.0f)"), "{atanh}");
    let acosh = wgsl("acosh(x)");
    assert!(acosh.contains("(x >= 1.0f)"), "{acosh}");
}

#[test]
fn functions_without_a_safe_builtin_are_spelled_out() {
    let sign = wgsl("sign(x)");
    assert!(sign.contains("select(select(0.0f, -1.0f, (x < 0.0f)), 1.0f, (x > 0.0f))"));
    let tanh = wgsl("tanh(x)");
    assert!(tanh.contains("tanh(clamp(x, -20.0f, 20.0f))"), "{tanh}");
    let cbrt = wgsl("cbrt(x)");
    assert!(cbrt.contains("fn cg_cbrt(u: f32) -> f32"));
    assert!(cbrt.contains("cg_cbrt(x)"));
    let acos = wgsl("acos(x)");
    assert!(acos.contains("fn cg_acos(") && acos.contains("fn cg_atan("));
    assert!(
        !acos.contains("fn cg_cbrt("),
        "only the helpers used are emitted"
    );
    for src in [
        "sign(x)", "tanh(x)", "cbrt(x)", "acos(x)", "asin(x)", "atan(x)",
    ] {
        assert_valid(src, &wgsl(src));
    }
}

#[test]
fn powers_follow_the_f64_rules() {
    let f = |src: &str| function_body(&wgsl(src), "f").to_string();
    // Negative integer exponent: a chain, invalid where it is zero.
    let inv = f("x^-3");
    assert!(
        inv.contains("((x * x) * x)") && inv.contains("(1.0f / v"),
        "{inv}"
    );
    // Large odd exponent: pow of |x| with the sign restored.
    let odd = f("x^11");
    assert!(
        odd.contains("pow(abs(x), 11.0f)") && odd.contains("(x < 0.0f)"),
        "{odd}"
    );
    // Non-integer exponent: x ≥ 0 only.
    let root = f("x^1.5");
    assert!(
        root.contains("pow(abs(x), 1.5f)") && root.contains("(x >= 0.0f)"),
        "{root}"
    );
    // General: integer test and parity of the exponent.
    let general = f("x^y");
    assert!(general.contains("(y == floor(y))"), "{general}");
    assert!(general.contains("floor(y * 0.5f)"), "{general}");
    // Constant bases.
    assert!(f("2^x").contains("exp2(x)"));
    assert!(f("e^x").contains("exp(x)"));
    for src in [
        "x^-3", "x^11", "x^1.5", "x^y", "2^x", "(-2)^x", "0^x", "x^1e300", "x^-1e300",
    ] {
        assert_valid(src, &wgsl(src));
    }
}

#[test]
fn constants_are_folded_in_f64_and_invalid_beyond_f32() {
    // ln(2) is kept symbolic by the simplifier; codegen folds it to one literal.
    let generated = wgsl("ln(2)*x");
    assert!(generated.contains("0.6931472f"), "{generated}");
    assert!(!generated.contains("log("), "{generated}");
    // 1e39 has no f32: the value is invalid everywhere (its derivative too).
    let big = wgsl("1e39*x");
    assert!(
        function_body(&big, "f").contains("return gs_nan();"),
        "{big}"
    );
    // 1/(x-x) simplifies to the constant +inf, but as typed it divides by 0 everywhere: a
    // hole everywhere, its derivative included.
    let inf = wgsl("1/(x-x)");
    let body = function_body(&inf, "gs_eval");
    assert!(
        body.contains("vec4<f32>(gs_nan(), select(gs_nan(), 0.0f,"),
        "{inf}"
    );
    // exp(100) overflows f32 but not f64: no overflowing constant expression reaches naga.
    for src in [
        "1e39*x",
        "1/(x-x)",
        "exp(100)*x",
        "x + 1e-50",
        "x*1e-40",
        "ln(-1)*x",
    ] {
        assert_valid(src, &wgsl(src));
    }
}

#[test]
fn malformed_roots_are_errors() {
    let function = Function::parse("x*y").unwrap();
    let arena = function.arena();
    let f = function.f_id();
    let g = function.gradient_ids();
    let h = function.hessian_ids();
    assert_eq!(
        generate(arena, f, &[], &[]),
        Err(CodegenError::Dimensions(0))
    );
    assert_eq!(
        generate(arena, f, &[g[0], g[1], g[0]], h),
        Err(CodegenError::Dimensions(3))
    );
    assert_eq!(
        generate(arena, f, g, &h[..3]),
        Err(CodegenError::HessianShape { dims: 2, got: 3 })
    );
    let mut other = crate::math::Arena::new();
    let mut far = other.var(Var::X);
    for _ in 0..arena.len() + 5 {
        far = other.call(Func::Sin, far);
    }
    let err = generate(arena, far, &[g[0]], &[h[0]]).unwrap_err();
    assert!(matches!(err, CodegenError::UnknownNode { .. }), "{err}");
    assert!(err.to_string().contains("not in the arena"), "{err}");
}

#[test]
fn every_preset_validates() {
    let catalog = crate::presets::catalog();
    assert!(!catalog.is_empty());
    for preset in catalog {
        assert_valid(&preset.name, &preset.function().wgsl());
    }
}

#[test]
fn a_sum_of_500_terms_and_its_derivatives_validates() {
    let src: Vec<String> = (1..=500)
        .map(|k| format!("sin({k}*x + y/{k})*exp(-(x-{k}/100)^2)"))
        .collect();
    let src = src.join(" + ");
    let function = Function::parse(&src).expect("parses");
    let started = std::time::Instant::now();
    let generated = function.wgsl();
    let generated_in = started.elapsed();
    assert!(
        let_names(&generated).len() > 5000,
        "every term has its lets"
    );
    let started = std::time::Instant::now();
    assert_valid("500 terms", &generated);
    println!(
        "500 terms: {} bytes of WGSL, generated in {generated_in:?}, validated in {:?}",
        generated.len(),
        started.elapsed()
    );
}

#[test]
fn deep_chains_validate_without_deep_nesting() {
    // Nesting near the parser's limit, and a long left-leaning sum near the depth limit.
    let nested = format!("{}x*y{}", "sin(".repeat(190), ")".repeat(190));
    let chain = (1..=500)
        .map(|k| format!("x^{k}"))
        .collect::<Vec<_>>()
        .join(" + ");
    for src in [nested, chain] {
        let generated = wgsl(&src);
        // One operation per line: no expression nests deeper than a few parentheses.
        let deepest = generated
            .lines()
            .map(|line| {
                line.chars()
                    .scan(0i32, |depth, c| {
                        *depth += i32::from(c == '(') - i32::from(c == ')');
                        Some(*depth)
                    })
                    .max()
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0);
        assert!(deepest < 12, "nesting {deepest}");
        assert_valid(&src[..40], &generated);
    }
}

// ---------------------------------------------------------------------------------------------
// Random expressions over the whole grammar, out-of-domain uses included.

const FUNCTIONS: [&str; 19] = [
    "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "exp", "ln", "log", "sqrt", "cbrt", "abs", "sign",
];

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("x".to_string()),
        3 => Just("y".to_string()),
        3 => prop::sample::select(vec![
            "0", "1", "2", "0.5", ".5", "3.7", "1e-3", "2.5E+4", "123456789", "1e39", "1e300",
            "1e-50", "1e-40", "pi", "e",
        ])
        .prop_map(str::to_string),
        2 => prop::sample::select(vec![
            "ln(-x)", "sqrt(x-5)", "(x-1)^0.5", "x^y", "1/(x-x)", "(-2)^y", "0^x", "x^-3",
            "asin(x+2)", "acosh(y)", "atanh(x*y)", "x^1e300", "exp(1000*x)", "ln(0)",
        ])
        .prop_map(str::to_string),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    leaf().prop_recursive(5, 40, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "^", "**", " "]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a}){op}({b})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            (prop::sample::select(FUNCTIONS.to_vec()), inner)
                .prop_map(|(f, a)| format!("{f}({a})")),
        ]
    })
}

proptest! {
    // A fixed seed, as in math::tests: CI reruns the same cases; failures never appear at random.
    #![proptest_config(crate::math::tests::fixed_seed(300))]

    #[test]
    fn random_expressions_generate_valid_wgsl(src in expression()) {
        // Everything the generator builds is in the grammar; a parse failure is a test bug.
        let function = Function::parse(&src).map_err(|e| TestCaseError::fail(format!("{src}: {e}")))?;
        let generated = function.wgsl();
        let spliced = splice(GRID_TEMPLATE, &generated).expect("one marker");
        if let Err(e) = validate(&spliced) {
            return Err(TestCaseError::fail(format!("{src}:\n{e}\n{generated}")));
        }
    }
}

#[test]
fn powers_of_constants_beyond_f32_validate() {
    // Found by the fuzzer (examples/fuzz.rs): naga evaluated pow(abs(0.0f), -10.0f), the
    // stand-in for 1e300 beyond f32, while compiling and refused the infinity.
    for src in [
        "e**((-x)*1e300)**(-10) -2**(1e308)*(((1)))",
        "exp(---((atan(cbrt((1e300) y))))**-abs(7)^(3)*x)",
        "(acosh(3**1e-300))*(acos(e*(y)-1e308))**-10",
    ] {
        assert_valid(src, &wgsl(src));
    }
}
