//! The notebook's worked examples, step values against their own expressions at random points,
//! partials that hold the other variable constant, and the cap on huge expressions.

use super::*;
use crate::function::Function;
use crate::test_support::assert_contains;

fn derive(src: &str, var: usize) -> (Function, Derivation) {
    let f = Function::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let d = f.derivation(var).expect("a variable of f");
    (f, d)
}

fn rules(d: &Derivation) -> Vec<&'static str> {
    d.steps().iter().map(|s| s.rule.name()).collect()
}

#[test]
fn cubic_plus_cos_uses_the_sum_power_and_cos_rules() {
    let (f, d) = derive("x^3 + cos(x)", 0);
    assert_eq!(rules(&d), ["variable", "power", "cos", "sum"]);
    assert_eq!(
        d.derivative_text(d.steps().len() - 1),
        f.gradient_texts()[0]
    );
    assert_eq!(d.derivative_text(3), "3*x^2 - sin(x)");
    assert_eq!(d.held_constant(), None);
    assert_eq!(d.steps()[3].uses, [1, 2]);
}

#[test]
fn sin_2x2_plus_1_uses_the_notebooks_rules_and_names_u() {
    let (f, d) = derive("sin(2x^2) + 1", 0);
    assert_eq!(
        rules(&d),
        [
            "constant", "variable", "power", "product", "chain", "constant", "sum"
        ]
    );
    let last = d.steps().len() - 1;
    assert_eq!(d.derivative_text(last), "4*x*cos(2*x^2)");
    assert_eq!(d.derivative_text(last), f.gradient_texts()[0]);
    // The chain rule's inner function is u, as in the notebook; the outer rule is sin's own,
    // written in u inside the chain step.
    assert_eq!(d.name(3), Some("u"));
    assert_eq!(d.steps()[4].uses, [3]);
    assert_eq!(d.steps()[last].uses, [4, 5]);
    let product = d.step_text(3, 200);
    assert_eq!(product.name.as_deref(), Some("u = 2·x²"));
    assert_eq!(product.applied, "0·x² + 2·(2·x)");
    assert_eq!(product.result, "4·x");
    let chain = d.step_text(4, 200);
    assert_eq!(chain.asked, "(sin(u))′");
    assert_eq!(chain.applied, "cos(u)·(4·x)");
    assert_eq!(chain.result, "4·x·cos(2·x²)");
    let outer = chain.outer.expect("the outer rule");
    assert_eq!((outer.rule, outer.asked.as_str()), ("sin", "d/du (sin(u))"));
    assert_eq!(outer.result, "cos(u)");
    assert_eq!(
        d.outer_texts(4),
        Some(("sin(u)".into(), "cos(u)".into(), "2*x^2".into()))
    );
}

/// No step differentiates anything but a sub-expression of f: the outer function of a chain
/// step (√ of u) is written in u, never at a variable of f (√(y) is no part of √(x² + y²)).
#[test]
fn every_step_is_about_a_sub_expression_of_f_and_outer_rules_are_in_u() {
    for src in [
        "sqrt(x^2 + y^2)",
        "sin(2x^2) + 1",
        "sin(x*y)",
        "exp(sin(x))*ln(x^2 + 1)",
        "2^(x*y) + (x + y)^3",
        "sin(x) + sin(x^2)",
    ] {
        let f = Function::parse(src).unwrap();
        for var in 0..f.dims() {
            let d = f.derivation(var).unwrap();
            let arena = d.arena();
            let mut subs = std::collections::HashSet::new();
            let mut stack = vec![f.f_id()];
            while let Some(id) = stack.pop() {
                if subs.insert(id) {
                    stack.extend(arena.node(id).children());
                }
            }
            for (i, step) in d.steps().iter().enumerate() {
                assert!(
                    subs.contains(&step.expr),
                    "{src} ∂{var} step {}: {} is not part of f",
                    i + 1,
                    d.expr_text(i)
                );
                let text = d.to_text(300);
                if let Some((outer, _, inner)) = d.outer_texts(i) {
                    let words = outer.split(|c: char| !c.is_alphanumeric());
                    assert!(words.clone().any(|w| w == "u"), "{src}: {outer}");
                    assert!(
                        words.clone().all(|w| w != "x" && w != "y"),
                        "{src}: {outer}"
                    );
                    let inner_step = *step.uses.last().unwrap();
                    assert_eq!(inner, d.expr_text(inner_step), "{src}");
                    // The inner function is named before the outer rule uses its name.
                    let name = d.name(inner_step).unwrap();
                    let defined = text.find(&format!("{name} = ")).unwrap();
                    let used = text.find(&format!("d/d{name} (")).unwrap();
                    assert!(defined < used, "{text}");
                }
            }
        }
    }
    let (_, d) = derive("sqrt(x^2 + y^2)", 1);
    let text = d.to_text(300);
    assert!(!text.contains("√(y)"), "{text}");
    assert_contains(
        &text,
        "square root — (√x)′ = 1/(2·√x):  d/du (√(u)) = 1/(2·√(u))",
    );
    assert_contains(&text, "u = x² + y²");
}

#[test]
fn a_partial_holds_the_other_variable_constant_and_chains() {
    let (f, d) = derive("sin(x*y)", 0);
    assert_eq!(d.held_constant(), Some(Var::Y));
    assert_eq!(rules(&d), ["variable", "constant", "product", "chain"]);
    assert_eq!(d.expr_text(1), "y");
    assert_eq!(d.derivative_text(3), f.gradient_texts()[0]);
    let text = d.to_text(200);
    assert!(
        text.starts_with("∂f/∂x, treating y as a constant:"),
        "{text}"
    );
    assert_contains(&text, "chain");
    let (_, dy) = derive("sin(x*y)", 1);
    assert_eq!(dy.held_constant(), Some(Var::X));
}

/// Every step's derivative, at random points, against the derivative of its own expression.
#[test]
fn every_step_is_the_derivative_of_its_expression() {
    let sources = [
        "x^3 + cos(x)",
        "sin(2x^2) + 1",
        "sin(x*y)",
        "x/(1 + x^2)",
        "exp(sin(x))*ln(x^2 + 1)",
        "2^x + x^x",
        "sqrt(x^2 + y^2) - y/x",
        "tan(x*y) + atan(x - y)",
        "(x + 1)^3*(x - 1)^-2",
        "cbrt(x) + abs(x - 1) + e^(2x)",
        "sin(x)*sin(x)^2 + cos(sin(x))",
        "1/4*x^4 - x^2 + 1/2",
        "(1 - x)^2 + 100*(y - x^2)^2",
    ];
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut uniform = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng >> 11) as f64 / (1u64 << 53) as f64
    };
    for src in sources {
        let f = Function::parse(src).unwrap();
        for var in 0..f.dims() {
            let d = f.derivation(var).unwrap();
            let last = d.steps().len() - 1;
            assert_eq!(d.derivative_text(last), f.gradient_texts()[var], "{src}");
            for i in 0..d.steps().len() {
                // `+ 0*y` keeps a step that only mentions x two-dimensional when f is.
                let pad = if f.dims() == 2 { " + 0*y" } else { "" };
                let expr = Function::parse(&format!("{}{pad}", d.expr_text(i))).unwrap();
                let deriv = Function::parse(&format!("{}{pad}", d.derivative_text(i))).unwrap();
                for _ in 0..5 {
                    let p = [uniform() * 3.0 + 0.1, uniform() * 3.0 - 1.5];
                    let p = &p[..f.dims()];
                    let want = expr.gradient(p)[var];
                    let got = deriv.value(p);
                    let tol = 1e-9 * (1.0 + want.abs());
                    assert!(
                        (want - got).abs() <= tol || (want.is_nan() && got.is_nan()),
                        "{src} step {i} ({}): {} at {p:?}: {got} vs {want}",
                        d.steps()[i].rule.name(),
                        d.expr_text(i)
                    );
                }
            }
        }
    }
}

#[test]
fn every_presets_derivation_ends_in_the_printed_derivative() {
    for preset in crate::presets::catalog() {
        let f = Function::parse(&preset.expr).unwrap();
        for var in 0..f.dims() {
            let d = f.derivation(var).unwrap();
            let last = d.steps().len() - 1;
            assert_eq!(d.steps()[last].expr, f.f_id(), "{}", preset.name);
            assert_eq!(
                d.derivative_text(last),
                f.gradient_texts()[var],
                "{}",
                preset.name
            );
            for (i, step) in d.steps().iter().enumerate() {
                assert!(step.uses.iter().all(|&u| u < i), "{}", preset.name);
            }
        }
    }
}

#[test]
fn a_huge_expression_is_capped_quickly() {
    let terms: Vec<String> = (1..=60).map(|k| format!("sin({k}x + {k})*x^{k}")).collect();
    let src = terms.join(" + ");
    let f = Function::parse(&src).unwrap();
    assert!(f.arena().reachable_count(&[f.f_id()]) >= 200);
    let start = std::time::Instant::now();
    let d = f.derivation(0).unwrap();
    let text = d.to_text(200);
    assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
    assert!(d.is_capped());
    assert!(d.steps().len() <= 3 * MAX_DETAILED, "{}", d.steps().len());
    assert!(d.steps().iter().any(|s| s.folded));
    assert_eq!(d.steps().last().unwrap().expr, f.f_id());
    assert_eq!(
        d.derivative_text(d.steps().len() - 1),
        f.gradient_texts()[0]
    );
    assert!(text.contains("folded"));
    assert!(text.lines().all(|l| l.chars().count() < 1200));
    // A deep chain folds too.
    let deep = (0..150).fold("x".to_string(), |e, _| format!("sin({e})"));
    let d = Function::parse(&deep).unwrap().derivation(0).unwrap();
    assert!(d.is_capped() && d.steps().len() <= 3 * MAX_DETAILED);
}

#[test]
fn hessian_derivations_derive_the_gradient() {
    let f = Function::parse("sin(x*y)").unwrap();
    let d = f.hessian_derivation(0, 1).unwrap();
    assert_eq!(d.derivative_text(d.steps().len() - 1), f.hessian_texts()[1]);
    assert!(f.hessian_derivation(2, 0).is_none());
}

#[test]
fn names_run_u_v_w_then_subscripts() {
    assert_eq!(name_for(0), "u");
    assert_eq!(name_for(2), "w");
    assert_eq!(name_for(7), "u₂");
}
