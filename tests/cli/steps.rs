//! `gradscape eval --steps`: the derivation after the values, and the JSON `"steps"` of
//! ../shared/CLI.md, each step's expressions pasting back in as valid input.

use super::common::{gradscape, ok_json};

fn rules(steps: &serde_json::Value) -> Vec<&str> {
    steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn eval_steps_json_names_the_notebooks_rules_and_ends_in_f() {
    let v = ok_json(&["eval", "sin(2x^2) + 1", "--at", "0.7", "--json", "--steps"]);
    let steps = &v["steps"]["x"];
    assert_eq!(
        rules(steps),
        [
            "constant", "variable", "power", "product", "chain", "constant", "sum"
        ]
    );
    let last = steps.as_array().unwrap().last().unwrap();
    assert_eq!(last["expr"], "sin(2*x^2) + 1");
    assert_eq!(last["derivative"], v["derivatives"]["x"]);
    assert_eq!(last["uses"], serde_json::json!([4, 5]));
    // The chain step carries its outer function in u and the inner sub-expression.
    let chain = &steps[4];
    assert_eq!(chain["rule"], "chain");
    assert_eq!(chain["outer"], "sin(u)");
    assert_eq!(chain["outer_derivative"], "cos(u)");
    assert_eq!(chain["inner"], "2*x^2");
    assert_eq!(chain["expr"], "sin(2*x^2)");
    assert!(last.get("folded").is_none());
    // Every expression and derivative is input again.
    for step in steps.as_array().unwrap() {
        for key in ["expr", "derivative"] {
            let text = step[key].as_str().unwrap();
            ok_json(&["eval", text, "--at", "0.7", "--json"]);
        }
    }
    // Without --steps the object is as before.
    let plain = ok_json(&["eval", "sin(2x^2) + 1", "--at", "0.7", "--json"]);
    assert!(plain.get("steps").is_none());
}

#[test]
fn eval_steps_json_has_one_list_per_variable() {
    let v = ok_json(&["eval", "sin(x*y)", "--at", "0.1,-1", "--json", "--steps"]);
    assert_eq!(
        rules(&v["steps"]["x"]),
        ["variable", "constant", "product", "chain"]
    );
    assert_eq!(v["steps"]["x"][1]["expr"], "y");
    assert_eq!(v["steps"]["y"][3]["derivative"], "x*cos(x*y)");
}

/// CLI.md: no step's E is anything but a sub-expression of f; a chain step's outer function is
/// written in u. On √(x² + y²) the outer rule was a step of its own about √(y).
#[test]
fn eval_steps_chain_steps_carry_the_outer_function_in_u() {
    let v = ok_json(&["eval", "sqrt(x^2+y^2)", "--at", "1,2", "--json", "--steps"]);
    for var in ["x", "y"] {
        let steps = v["steps"][var].as_array().unwrap();
        for step in steps {
            let e = step["expr"].as_str().unwrap();
            let parts = ["x", "y", "x^2", "y^2", "x^2 + y^2", "sqrt(x^2 + y^2)"];
            assert!(parts.contains(&e), "{e} is not part of f");
        }
        let chain = steps.iter().find(|s| s["rule"] == "chain").unwrap();
        assert_eq!(chain["outer"], "sqrt(u)");
        assert_eq!(chain["outer_derivative"], "1/(2*sqrt(u))");
        assert_eq!(chain["inner"], "x^2 + y^2");
        assert_eq!(chain["expr"], "sqrt(x^2 + y^2)");
    }
    let o = gradscape(&["eval", "sqrt(x^2+y^2)", "--at", "1,2", "--steps"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(!text.contains("√(y)") && !text.contains("√(x)"), "{text}");
    let named = text.find("u = x² + y²").expect("u is named");
    let used = text
        .find("d/du (√(u)) = 1/(2·√(u))")
        .expect("the outer rule in u");
    assert!(named < used, "{text}");
}

#[test]
fn eval_steps_prints_the_derivation_after_the_values() {
    let o = gradscape(&["eval", "x^3 + cos(x)", "--at", "3", "--steps"]);
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let values = text.find("f′(x) = ").expect("the values");
    let steps = text.find("rule by rule").expect("the derivation");
    assert!(values < steps, "{text}");
    for line in [
        "power — (x^n)′ = n·x^(n−1)",
        // The power rule shows n − 1 as the textbook writes it before it is folded.
        "(x³)′ = 3·x^(3 - 1)·1 = 3·x²",
        "cos — (cos(x))′ = −sin(x)",
        "(x³ + cos(x))′ = 3·x² + (-sin(x)) = 3·x² - sin(x)",
    ] {
        assert!(text.contains(line), "{line} in\n{text}");
    }
    let o = gradscape(&["eval", "sin(x*y)", "--at", "0.1,-1", "--steps"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("∂f/∂x, treating y as a constant:"), "{text}");
    assert!(text.contains("∂f/∂y, treating x as a constant:"), "{text}");
}
