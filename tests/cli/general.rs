//! End-to-end tests of the command line against its contract (../shared/CLI.md): output
//! shapes, exit codes, negative numbers, and errors that point at the fault.

use super::common::{
    assert_bad_input, assert_stderr_has, gradscape, ok_json, quoted, read_npy, stderr, stdout,
    temp_dir,
};

use std::process::Command;

#[test]
fn eval_json_has_the_contract_shape_for_sin_xy() {
    let v = ok_json(&["eval", "sin(x*y)", "--at", "0.1,-1", "--json"]);
    let (x, y) = (0.1f64, -1.0f64);
    assert_eq!(v["expr"], "sin(x*y)");
    assert_eq!(v["variables"], serde_json::json!(["x", "y"]));
    assert_eq!(v["point"], serde_json::json!([0.1, -1.0]));
    assert_eq!(v["value"].as_f64().unwrap(), (x * y).sin());
    assert_eq!(v["gradient"][0].as_f64().unwrap(), y * (x * y).cos());
    assert_eq!(v["gradient"][1].as_f64().unwrap(), x * (x * y).cos());
    let fxy = v["hessian"][0][1].as_f64().unwrap();
    let fyx = v["hessian"][1][0].as_f64().unwrap();
    assert_eq!(fxy, fyx, "mixed partials agree");
    assert_eq!(v["derivatives"]["x"], "y*cos(x*y)");
    assert_eq!(v["derivatives"]["y"], "x*cos(x*y)");
}

#[test]
fn eval_one_d_and_printed_derivatives_paste_back_in() {
    let v = ok_json(&["eval", "x^3 + cos(x)", "--at", "3", "--json"]);
    assert_eq!(v["variables"], serde_json::json!(["x"]));
    assert_eq!(v["hessian"].as_array().unwrap().len(), 1);
    let d = v["derivatives"]["x"].as_str().unwrap().to_string();
    let again = ok_json(&["eval", &d, "--at", "3", "--json"]);
    assert_eq!(again["value"], v["gradient"][0]);
}

#[test]
fn negative_numbers_in_both_forms_and_expressions_starting_with_minus() {
    let a = ok_json(&["eval", "x*y", "--at", "-1.2,1", "--json"]);
    let b = ok_json(&["eval", "x*y", "--at=-1.2,1", "--json"]);
    assert_eq!(a, b);
    assert_eq!(a["value"].as_f64().unwrap(), -1.2);
    let c = ok_json(&["eval", "-x^2", "--at", "3", "--json"]);
    assert_eq!(c["value"].as_f64().unwrap(), -9.0);
    let d = ok_json(&["eval", "--json", "--at", "2", "-x"]);
    assert_eq!(d["value"].as_f64().unwrap(), -2.0);
}

#[test]
fn non_finite_numbers_are_json_null() {
    let v = ok_json(&["eval", "ln(x)", "--at", "-1", "--json"]);
    assert!(v["value"].is_null());
    let v = ok_json(&["eval", "1/x", "--at", "0", "--json"]);
    assert!(v["value"].is_null());
}

#[test]
fn presets_stand_in_for_expressions() {
    let v = ok_json(&["eval", "--preset", "rosenbrock", "--at", "1,1", "--json"]);
    assert_eq!(v["value"].as_f64().unwrap(), 0.0);
    let list = ok_json(&["presets", "--json"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "square",
        "double-well",
        "sin-xy",
        "rosenbrock",
        "himmelblau",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let text = gradscape(&["presets"]);
    assert!(text.status.success());
    assert!(stdout(&text).contains("himmelblau"));
}

#[test]
fn descend_reproduces_the_notebooks_animation() {
    for (start, sign) in [("0.25", 1.0), ("-0.25", -1.0)] {
        let o = gradscape(&format!(
            "descend '1/4*x^4 - x^2 + 1/2' --from {start} --optimizer sgd --lr 0.01 --steps 200"
        ));
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("step,x,value,grad_norm"));
        let xs: Vec<f64> = lines
            .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
            .collect();
        assert_eq!(xs.len(), 201);
        assert!(xs.windows(2).all(|w| (w[1] - w[0]) * sign > 0.0));
        assert!((xs[200] - sign * 2f64.sqrt()).abs() < 0.05, "{}", xs[200]);
        assert!(stderr(&o).contains("max_steps"));
    }
}

#[test]
fn descend_json_statuses() {
    let v = ok_json(
        "descend 'x^2 + y^2' --from 1,1 --optimizer newton --lr 1 --steps 5 --tol 1e-9 --format \
         json",
    );
    assert_eq!(v["optimizer"], "newton");
    assert_eq!(v["status"], "converged");
    assert_eq!(v["steps"].as_array().unwrap().len(), 2);
    assert_eq!(v["steps"][1]["point"], serde_json::json!([0.0, 0.0]));

    let v = ok_json("descend x^4 --from 10 --optimizer sgd --lr 1 --steps 50 --format json");
    assert_eq!(v["status"], "diverged");
    let last = v["steps"].as_array().unwrap().last().unwrap().clone();
    assert!(last["value"].is_null() || last["point"][0].is_null());

    let v = ok_json("descend 'x + y' --from 0,0 --optimizer newton --lr 1 --steps 3 --format json");
    assert_eq!(v["status"], "singular_hessian");

    let v = ok_json(
        "descend --preset rosenbrock --from=-1.2,1 --optimizer adam --lr 0.01 --steps 10 --beta1 \
         0.8 --format json",
    );
    assert_eq!(v["status"], "max_steps");
    assert_eq!(v["steps"].as_array().unwrap().len(), 11);
}

#[test]
fn descend_csv_two_d_header() {
    let o = gradscape("descend x^2+y^2 --from 1,2 --optimizer momentum --lr 0.1 --steps 3");
    assert!(o.status.success());
    let text = stdout(&o);
    assert_eq!(text.lines().next(), Some("step,x,y,value,grad_norm"));
    assert_eq!(text.lines().count(), 5);
}

/// Bad input: exit code 2, a message on stderr, nothing on stdout.
#[test]
fn malformed_expressions_exit_2_with_a_caret() {
    let cases: &[(&str, &str)] = &[
        ("xy", "did you mean x*y?"),
        ("sin(", "expected"),
        ("1+", "expected a number"),
        ("(((x", "missing ')'"),
        ("x)", "unmatched ')'"),
        ("x $ 2", "unexpected character '$'"),
        ("", "empty"),
        ("sin x", "expected '('"),
        ("2 3", "two numbers in a row"),
        ("z^2", "unknown name 'z'"),
        ("x^", "expected a number"),
        ("1..2", "not a number"),
        ("sinx", "did you mean sin(x)?"),
    ];
    for &(expr, needle) in cases {
        assert_bad_input(&["eval", expr, "--at", "1"], needle);
        let o = gradscape(&["eval", expr, "--at", "1"]);
        assert!(
            stderr(&o).contains('^'),
            "{expr:?}: no caret in {}",
            stderr(&o)
        );
    }
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_bad_input(&["eval", &deep, "--at", "1"], "nested too deeply");
}

#[test]
fn malformed_arguments_exit_2() {
    assert_bad_input(&["eval", "x*y", "--at", "1"], "X,Y");
    assert_bad_input(&["eval", "x", "--at", "1,2"], "1-D");
    assert_bad_input(&["eval", "x", "--at", "abc"], "not a number");
    assert_bad_input(&["eval", "x", "--at", "inf"], "not a finite number");
    assert_bad_input(
        &["eval", "--preset", "rosenbock", "--at", "1,1"],
        "rosenbrock",
    );
    assert_bad_input(&["eval", "--at", "1"], "no function given");
    assert_bad_input(
        &["eval", "x", "--preset", "square", "--at", "1"],
        "cannot be used",
    );
    let descend = |extra: &[&str]| {
        let mut a = vec!["descend", "x^2", "--from", "1", "--steps", "3"];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let check = |extra: &[&str], needle: &str| {
        let args = descend(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_bad_input(&refs, needle);
    };
    check(&["--optimizer", "sgd", "--lr", "-1"], "lr");
    check(&["--optimizer", "sgd", "--lr", "0"], "lr");
    check(&["--optimizer", "sgdd", "--lr", "0.1"], "sgd");
    check(
        &["--optimizer", "sgd", "--lr", "0.1", "--momentum", "0.9"],
        "sgd takes --weight-decay (not --momentum)",
    );
    check(
        &[
            "--optimizer",
            "newton",
            "--lr",
            "0.1",
            "--weight-decay",
            "0.1",
        ],
        "newton takes no",
    );
    check(
        &["--optimizer", "adam", "--lr", "0.1", "--alpha", "0.9"],
        "--beta1, --beta2, --eps, --weight-decay, --amsgrad",
    );
    check(
        &["--optimizer", "adamax", "--lr", "0.1", "--amsgrad"],
        "adamax takes --beta1, --beta2, --eps, --weight-decay (not --amsgrad)",
    );
    check(
        &["--optimizer", "adam", "--lr", "0.1", "--centered"],
        "(not --centered)",
    );
    check(
        &["--optimizer", "adadelta", "--lr", "1", "--rho", "1.5"],
        "--rho must be in [0, 1)",
    );
    check(
        &[
            "--optimizer",
            "nadam",
            "--lr",
            "0.1",
            "--momentum-decay",
            "-1",
        ],
        "--momentum-decay must be finite and >= 0",
    );
    check(
        &["--optimizer", "adam", "--lr", "0.1", "--beta1", "1.5"],
        "beta1",
    );
    check(&["--optimizer", "sgd", "--lr", "abc"], "invalid value");
    check(&["--optimizer", "sgd", "--lr", "0.1", "--tol", "-1"], "tol");
    check(
        &["--optimizer", "sgd", "--lr", "0.1", "--format", "xml"],
        "invalid value",
    );
    assert_bad_input(&["frobnicate"], "unrecognized subcommand");
}

#[test]
fn grid_writes_npy_on_both_backends() {
    let dir = temp_dir("cli");
    let mut results = Vec::new();
    for backend in ["cpu", "gpu"] {
        let out = dir.join(format!("sin_{backend}.npy"));
        let o = gradscape(&format!(
            "grid sin(x*y) --x-range=-3,3 --resolution 65 --backend {backend} --out {}",
            quoted(&out)
        ));
        assert!(o.status.success(), "{backend}: {}", stderr(&o));
        let (header, data) = read_npy(&out);
        assert!(header.contains("'shape': (65, 65, 3)"), "{header}");
        assert_eq!(data.len(), 65 * 65 * 3);
        results.push(data);
    }
    // Row i is y_i, column j is x_j: the point (i=64, j=0) is (x=-3, y=3).
    let k = (64 * 65) * 3;
    assert!((results[0][k] - (-9.0f32).sin()).abs() < 1e-6);
    for (c, g) in results[0].iter().zip(&results[1]) {
        assert!((c - g).abs() < 1e-4, "cpu {c} vs gpu {g}");
    }
    let out = dir.join("ln.npy");
    let o = gradscape(&format!(
        "grid ln(x) --x-range -1,1 --resolution 5 --backend cpu --out {}",
        quoted(&out)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let (header, data) = read_npy(&out);
    assert!(header.contains("'shape': (5, 2)"), "{header}");
    assert!(data[0].is_nan() && data[2].is_nan() && data[4].is_nan());
    assert_eq!(data[8], 0.0, "ln(1) = 0");
    let unused = dir.join("unused.npy");
    let unused = unused.to_str().unwrap();
    assert_bad_input(
        &[
            "grid",
            "x",
            "--x-range",
            "0,1",
            "--y-range",
            "0,1",
            "--resolution",
            "5",
            "--out",
            unused,
        ],
        "1-D",
    );
    assert_bad_input(
        &[
            "grid",
            "x",
            "--x-range",
            "1,0",
            "--resolution",
            "5",
            "--out",
            unused,
        ],
        "less than",
    );
    assert_bad_input(
        &[
            "grid",
            "x",
            "--x-range",
            "0,1",
            "--resolution",
            "1",
            "--out",
            unused,
        ],
        "resolution",
    );
    // Out of f32 range is bad input for the GPU, and a failed run leaves no file behind.
    assert_bad_input(
        &[
            "grid",
            "x",
            "--x-range",
            "0,1e39",
            "--resolution",
            "2",
            "--out",
            unused,
        ],
        "32-bit",
    );
    assert_bad_input(
        &[
            "grid",
            "x",
            "--x-range=-1e308,1e308",
            "--resolution",
            "2",
            "--backend",
            "cpu",
            "--out",
            unused,
        ],
        "too wide",
    );
    assert!(!std::path::Path::new(unused).exists());
    assert!(std::fs::read_dir(&dir).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")
    }));
    // --preset stands in for EXPR, and --y-range defaults to the x range.
    let out = dir.join("preset.npy");
    let o = gradscape(&format!(
        "grid --preset sphere --x-range=-1,1 --resolution 3 --backend cpu --out {}",
        quoted(&out)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let (_, data) = read_npy(&out);
    // Row 0 is y = -1, column 0 is x = -1: f = 2, ∇f = (-2, -2).
    assert_eq!(&data[..3], &[2.0, -2.0, -2.0]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn csv_numbers_read_back_exactly_and_tiny_ones_use_exponents() {
    let o = gradscape("descend x^4 --from 10 --optimizer sgd --lr 1 --steps 50");
    assert!(o.status.success());
    let text = stdout(&o);
    let last = text.lines().last().unwrap();
    assert!(last.contains("inf"), "{last}");
    let row = text.lines().nth(3).unwrap();
    assert!(row.contains("e"), "large numbers in exponent form: {row}");
    let o = gradscape(&["eval", "x^3 - 2x", "--at", "1.4142135623730951"]);
    assert!(stdout(&o).contains("e-16"), "{}", stdout(&o));
    let v = ok_json(&["eval", "x^3 - 2x", "--at", "1.4142135623730951", "--json"]);
    let summary = stdout(&gradscape("eval 'x^3 - 2x' --at 1.4142135623730951"));
    let printed: f64 = summary
        .lines()
        .find(|l| l.trim_start().starts_with("f = "))
        .unwrap()
        .trim_start()
        .trim_start_matches("f = ")
        .parse()
        .unwrap();
    assert_eq!(printed, v["value"].as_f64().unwrap());
}

#[test]
fn derivatives_too_large_to_print_are_refused_not_printed() {
    // exp(exp(…exp(x*y)…)) 150 deep: its gradient prints as a product of 150 nested factors
    // (~k² symbols, fine), its Hessian as ~k³/3 symbols written out (over a million).
    let expr = format!("{}x*y{}", "exp(".repeat(150), ")".repeat(150));
    let o = gradscape(&["eval", &expr, "--at", "0.001,0.001"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_stderr_has(&o, "too large to print");
    // The JSON carries only the gradient's text, which is small enough.
    let v = ok_json(&["eval", &expr, "--at", "0.001,0.001", "--json"]);
    assert!(v["derivatives"]["x"].as_str().unwrap().len() > 1000);
}

#[test]
fn analyze_finds_and_classifies_the_notebooks_critical_points() {
    let v = ok_json("analyze '1/4*x^4 - x^2 + 1/2' --x-range=-2.5,2.5 --json");
    let cps = v["critical_points"].as_array().unwrap();
    let r2 = 2f64.sqrt();
    let xs: Vec<f64> = cps.iter().map(|c| c["x"].as_f64().unwrap()).collect();
    assert_eq!(xs, vec![-r2, 0.0, r2]);
    let kinds: Vec<&str> = cps.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["minimum", "maximum", "minimum"]);
    let v = ok_json(&["analyze", "--preset", "cube", "--json"]);
    assert_eq!(v["critical_points"][0]["kind"], "flat_inflection");
}

#[test]
fn analyze_says_why_a_derivative_does_not_exist() {
    for (expr, kind) in [
        ("abs(x)", "kink"),
        ("cbrt(x)", "vertical"),
        ("sign(x)", "jump"),
        ("1/x", "undefined"),
        ("x^2", "smooth"),
    ] {
        let v = ok_json(&["analyze", expr, "--at", "0", "--json"]);
        assert_eq!(v["at"]["verdict"]["kind"], kind, "{expr}");
        assert_eq!(v["at"]["secants"].as_array().unwrap().len(), 8);
    }
    let text = stdout(&gradscape(&["analyze", "abs(x)", "--at", "0"]));
    assert!(text.contains("kink"), "{text}");
    assert_bad_input(&["analyze", "x*y"], "1-D");
    assert_bad_input(&["analyze", "x", "--at", "1,2"], "one number");
}

#[test]
fn analyze_judges_smooth_points_at_any_scale_and_tiny_jumps() {
    // One fixed h with absolute tolerances called these kinks, and the jump differentiable.
    for expr in ["100*x^2", "exp(-100*x^2)", "cos(20*x)"] {
        let v = ok_json(&["analyze", expr, "--at", "0", "--json"]);
        assert_eq!(v["at"]["verdict"]["kind"], "smooth", "{expr}");
        assert_eq!(v["at"]["verdict"]["slope"], 0.0, "{expr}");
    }
    let v = ok_json(&["analyze", "1e-5*sign(x)", "--at", "0", "--json"]);
    assert_eq!(v["at"]["verdict"]["kind"], "jump");
}

#[test]
fn analyze_says_a_constant_is_flat_once() {
    let v = ok_json(&["analyze", "5", "--x-range=-1,1", "--json"]);
    assert_eq!(v["critical_points"].as_array().unwrap().len(), 0);
    assert_eq!(v["flat_intervals"][0]["start"], -1.0);
    assert_eq!(v["flat_intervals"][0]["end"], 1.0);
    let text = stdout(&gradscape(&["analyze", "5", "--x-range=-1,1"]));
    assert_eq!(text.matches("f′ ≡ 0").count(), 1, "{text}");
    assert!(!text.contains("flat inflection"), "{text}");
    // Constant on a sub-interval only.
    let v = ok_json(&["analyze", "abs(x-1)+abs(x+1)", "--json"]);
    assert_eq!(v["flat_intervals"].as_array().unwrap().len(), 1);
    assert_eq!(v["flat_intervals"][0]["start"], -1.0);
    assert_eq!(v["flat_intervals"][0]["end"], 1.0);
}

#[test]
fn analyze_says_where_double_precision_cannot_tell_f_prime_from_zero() {
    // exp(−x²) underflows to 0 far out: no flat stretch, two unresolved ones, the maximum.
    let v = ok_json(&["analyze", "exp(-x^2)", "--x-range=-40,40", "--json"]);
    assert_eq!(v["flat_intervals"].as_array().unwrap().len(), 0, "{v}");
    let unresolved = v["unresolved_intervals"].as_array().unwrap();
    let causes: Vec<&str> = unresolved
        .iter()
        .map(|u| u["cause"].as_str().unwrap())
        .collect();
    assert_eq!(causes, ["underflow", "underflow"], "{v}");
    assert_eq!(unresolved[0]["start"], -40.0);
    assert_eq!(unresolved[1]["end"], 40.0);
    assert_eq!(v["critical_points"].as_array().unwrap().len(), 1, "{v}");
    let text = stdout(&gradscape(&["analyze", "exp(-x^2)", "--x-range=-40,40"]));
    assert!(!text.contains("f′ ≡ 0"), "{text}");
    assert_eq!(
        text.matches("f and f′ are below double precision on [")
            .count(),
        2,
        "{text}"
    );
    // tanh(50x): f′ sinks below its rounding as tanh rounds to ±1; no points of rounding.
    let v = ok_json(&["analyze", "tanh(50*x)", "--x-range=-1,1", "--json"]);
    assert_eq!(v["flat_intervals"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["critical_points"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["unresolved_intervals"][0]["cause"], "rounding", "{v}");
    let v = ok_json("analyze '(1 - cos(x))/x^2' --x-range=-1e-3,1e-3 --json");
    assert_eq!(v["critical_points"].as_array().unwrap().len(), 0, "{v}");
}

#[test]
fn analyze_counts_what_it_cannot_list_and_never_aliases() {
    // sin(1000x) on [−100, 100]: 63 662 critical points (the samples alone gave 338).
    let v = ok_json(&["analyze", "sin(1000*x)", "--x-range=-100,100", "--json"]);
    assert_eq!(v["too_many"]["at_least"], 63662, "{v}");
    assert_eq!(v["critical_points"].as_array().unwrap().len(), 0);
    let text = stdout(&gradscape("analyze sin(1000*x) --x-range=-100,100"));
    assert!(
        text.contains("f′ changes sign at least 63662 times in this interval"),
        "{text}"
    );
    assert!(
        text.contains("narrow --x-range to a width of about 3.1"),
        "{text}"
    );
    // Narrowed, they are listed: 636 on [−1, 1].
    let v = ok_json(&["analyze", "sin(1000*x)", "--x-range=-1,1", "--json"]);
    assert_eq!(v["critical_points"].as_array().unwrap().len(), 636, "{v}");
    assert!(v.get("too_many").is_none(), "{v}");
}

#[test]
fn analyze_lists_a_kink_as_a_critical_point_without_a_derivative() {
    let v = ok_json(&["analyze", "abs(x)", "--json"]);
    let cps = v["critical_points"].as_array().unwrap();
    assert_eq!(cps.len(), 1);
    assert_eq!(cps[0]["kind"], "minimum");
    assert_eq!(cps[0]["no_derivative"]["kind"], "kink");
    assert!(cps[0]["second_derivative"].is_null());
}

#[test]
fn descend_advice_fits_the_way_a_run_diverged() {
    for (args, says) in [
        (
            &[
                "descend",
                "sqrt(-1-x^2-y^2)",
                "--from",
                "0.5,0.5",
                "--optimizer",
                "sgd",
                "--lr",
                "0.01",
                "--steps",
                "10",
            ][..],
            "not defined at the start point",
        ),
        (
            &[
                "descend",
                "x^3",
                "--from=-1",
                "--optimizer",
                "sgd",
                "--lr",
                "0.01",
                "--steps",
                "100000",
            ][..],
            "unbounded below",
        ),
        (
            &[
                "descend",
                "x^2",
                "--from",
                "1",
                "--optimizer",
                "sgd",
                "--lr",
                "1.5",
                "--steps",
                "10000",
            ][..],
            "try a smaller learning rate",
        ),
    ] {
        let o = gradscape(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains("diverged") && err.contains(says),
            "{args:?}: {err}"
        );
        if !says.contains("learning rate") {
            assert!(!err.contains("smaller"), "{args:?}: {err}");
        }
    }
}

#[test]
fn f_is_undefined_where_the_expression_as_typed_is() {
    // The simplifier turns these into 1, 0 and x; as typed they are undefined there.
    for (expr, at) in [("x/x", "0"), ("ln(x)-ln(x)", "-1"), ("sqrt(x)^2", "-1")] {
        let v = ok_json(&["eval", expr, &format!("--at={at}"), "--json"]);
        assert!(v["value"].is_null(), "{expr} at {at}: {v}");
        assert!(v["gradient"][0].is_null(), "{expr} at {at}: {v}");
    }
    let v = ok_json(&["eval", "x/x", "--at", "2", "--json"]);
    assert_eq!(v["value"], 1.0);
    // descend starts nowhere; grid has a hole on both backends.
    let o = gradscape("descend x/x --from 0 --optimizer sgd --lr 0.1 --steps 3");
    assert_stderr_has(&o, "not defined at the start point");
    let dir = temp_dir("holes");
    for backend in ["cpu", "gpu"] {
        let out = dir.join(format!("hole_{backend}.npy"));
        let o = gradscape(&format!(
            "grid x*y/(x*y) --x-range=-1,1 --resolution 3 --backend {backend} --out {}",
            quoted(&out)
        ));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (_, data) = read_npy(&out);
        // Row 1 and column 1 are x = 0 or y = 0: holes; the corners are 1.
        for (i, j) in [(0, 0), (0, 2), (2, 0), (2, 2)] {
            assert_eq!(data[(i * 3 + j) * 3], 1.0, "{backend} ({i}, {j})");
        }
        for (i, j) in [(1, 1), (0, 1), (1, 0)] {
            assert!(data[(i * 3 + j) * 3].is_nan(), "{backend} ({i}, {j})");
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// The numbers of a markdown table row that starts with `prefix`, in column order.
fn row_numbers(text: &str, prefix: &str) -> Vec<f64> {
    let line = text
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no row {prefix:?} in\n{text}"));
    line.split('|')
        .filter_map(|cell| cell.trim().trim_end_matches('×').parse::<f64>().ok())
        .collect()
}

#[test]
fn bench_prints_every_table_with_measured_numbers() {
    let o = gradscape(
        "bench --sizes 8 --repeats 1 --no-numpy --swarm-side 16 --swarm-cpu-side 16 --swarm-steps \
         5 --data-rows 50 --data-side 8",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    // The data row: rows, θ grid, then GPU dispatch, read-back and the f64 CPU run measured.
    let data = row_numbers(&text, "| 50 | 8² |");
    assert_eq!(data[0], 50.0);
    assert!(
        data[1..4].iter().all(|&ms| ms > 0.0 && ms.is_finite()),
        "data row: {data:?}"
    );
    for key in [
        "sin(x*y)",
        "(1 - x)^2 + 100*(y - x^2)^2",
        "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)",
    ] {
        // N, then GPU dispatch, GPU + read-back, CPU f64 (NumPy columns are skipped).
        let numbers = row_numbers(&text, &format!("| {key} | 8 |"));
        assert_eq!(numbers[0], 8.0, "{key}");
        assert!(
            numbers[1..4].iter().all(|&ms| ms > 0.0 && ms.is_finite()),
            "{key}: {numbers:?}"
        );
    }
    // The swarm rows: GPU ms and both rates measured.
    let swarm = text
        .lines()
        .filter(|l| l.starts_with("| himmelblau |") || l.starts_with("| rosenbrock |"))
        .count();
    assert!(swarm >= 2, "swarm rows in\n{text}");
    assert!(
        text.contains("new expression → first evaluated grid at 512²"),
        "{text}"
    );
    let frames = row_numbers(&text, "| 256² |");
    assert!(frames[0] > 0.0, "{frames:?}");
}

#[test]
fn bench_refuses_sizes_it_cannot_run_with_exit_2() {
    for args in [
        &["bench", "--repeats", "0"][..],
        &["bench", "--sizes", "1"],
        &["bench", "--sizes", "9000"],
        &["bench", "--swarm-side", "8"],
        &["bench", "--swarm-steps", "0"],
    ] {
        let o = gradscape(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("must be between"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn data_lists_and_describes_the_built_in_sets() {
    let list = gradscape(&["data", "--list"]);
    assert!(list.status.success());
    let text = stdout(&list);
    for name in ["linear", "iris", "ridge"] {
        assert!(text.lines().any(|l| l.starts_with(name)), "{text}");
    }
    let v = ok_json(&["data", "iris", "--json"]);
    assert_eq!(v["rows"], 150);
    let columns: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        columns,
        [
            "sepal_length",
            "sepal_width",
            "petal_length",
            "petal_width",
            "species",
            "virginica"
        ]
    );
    let virginica = &v["columns"][5];
    assert_eq!(virginica["min"], 0.0);
    assert_eq!(virginica["max"], 1.0);
    assert!((virginica["mean"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-15);
    let linear = ok_json(&["data", "linear", "--json"]);
    assert_eq!(linear["rows"], 100);
}

#[test]
fn every_refused_csv_exits_2_naming_its_line_and_column() {
    let dir = temp_dir("csv");
    for (name, text, at) in [
        ("ragged", "x,y\n1,2\n3\n", "ragged.csv:3:2"),
        ("word", "x,y\n1,2\n3,abc\n", "word.csv:3:2"),
        ("noheader", "1,2\n3,4\n", "noheader.csv:1:1"),
        ("clash", "x,sin\n1,2\n", "clash.csv:1:2"),
        ("nan", "x,y\n1,nan\n", "nan.csv:2:2"),
        ("empty", "", "empty.csv:1:1"),
    ] {
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, text).unwrap();
        for args in [
            vec!["data", path.to_str().unwrap()],
            vec![
                "eval",
                "--data",
                path.to_str().unwrap(),
                "--model",
                "linear:x",
                "--at",
                "0,0",
            ],
        ] {
            let o = gradscape(&args);
            assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
            assert!(
                o.stdout.is_empty(),
                "{name}: nothing half-loaded is printed"
            );
            assert!(stderr(&o).contains(at), "{name}: {}", stderr(&o));
        }
    }
    let o = gradscape(&["data", "no-such-set"]);
    assert_eq!(o.status.code(), Some(2));
    assert_stderr_has(&o, "linear, iris, ridge");
}

#[test]
fn eval_on_a_data_objective_gives_the_mean_loss_and_its_derivatives() {
    let v = ok_json(&[
        "eval", "--data", "linear", "--model", "linear:x", "--at", "4,3", "--json",
    ]);
    assert_eq!(
        v["expr"],
        "--data linear --model linear:x --loss mse --target y"
    );
    assert_eq!(v["derivatives"]["x"], "mean(2*(theta0 + theta1*x - y))");
    // Near the least-squares line the loss is the noise's variance, about 1.
    let value = v["value"].as_f64().unwrap();
    assert!((0.5..1.5).contains(&value), "{value}");
    // A model, a loss and a penalty of one's own.
    let v = ok_json(
        "eval --data ridge --model 'theta0 + theta1*x' --loss 'abs(m - t)^3' --l1 0.5 --at 0,0 \
         --json",
    );
    assert!(v["value"].as_f64().unwrap() > 0.0);
    // Errors in the model point at the fault.
    let o = gradscape("eval --data linear --model 'theta0 + theta2*x' --at 0,0");
    assert_eq!(o.status.code(), Some(2));
    assert_stderr_has(&o, "unknown name 'theta2'");
}

#[test]
fn descend_on_data_takes_batches_epochs_and_the_inverse_schedule() {
    let v = ok_json(
        "descend --data linear --model linear:x --from 0,0 --optimizer sgd --lr 0.1 --epochs 2 \
         --batch-size 20 --seed 3 --schedule inverse:50 --format json",
    );
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 11, "2 epochs of 5 batches");
    assert!(steps[0].get("epoch").is_none());
    for (k, step) in steps.iter().enumerate().skip(1) {
        assert_eq!(step["epoch"], (k - 1) / 5);
        assert_eq!(step["batch"].as_array().unwrap().len(), 20);
        // LambdaLR: lr·T/(k − 1 + T) for the step from row k − 1.
        let lr = step["lr"].as_f64().unwrap();
        assert_eq!(lr, 0.1 * (50.0 / ((k - 1) as f64 + 50.0)));
    }
    // Without --batch-size every step is an epoch and no batch is listed; CSV gains `epoch`.
    let o = gradscape(
        "descend --data linear --model linear:x --from 0,0 --optimizer adam --lr 0.1 --steps 3",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "step,x,y,value,grad_norm,epoch");
    assert!(lines[1].ends_with(','), "row 0 has no epoch: {}", lines[1]);
    assert!(lines[3].ends_with(",1"), "{}", lines[3]);
    // Flags that need a data set say so.
    let o = gradscape("descend x^2 --from 1 --optimizer sgd --lr 0.1 --steps 2 --batch-size 4");
    assert_eq!(o.status.code(), Some(2));
    assert_stderr_has(&o, "--data");
}

#[test]
fn no_runtime_directory_warning_reads_as_an_error() {
    // A shell without XDG_RUNTIME_DIR: Mesa printed "error: XDG_RUNTIME_DIR is invalid or not
    // set" once per GPU context, on a command that succeeded.
    let out = std::env::temp_dir().join(format!("gradscape-xdg-{}.npy", std::process::id()));
    let o = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args([
            "grid",
            "x*y",
            "--x-range",
            "-1,1",
            "--resolution",
            "8",
            "--out",
        ])
        .arg(&out)
        .env_remove("XDG_RUNTIME_DIR")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("XDG_RUNTIME_DIR"), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("wrote "), "{}", stderr(&o));
}

#[test]
fn a_model_in_theta0_alone_renders_the_notebooks_view_of_its_loss_curve() {
    let out = std::env::temp_dir().join(format!("gradscape-loss-curve-{}.png", std::process::id()));
    let o = gradscape(&format!(
        "render --data linear --model theta0*x --x-range -2,8 --from 0 --optimizer sgd --lr 0.1 \
         --steps 30 --size 480x360 --out {}",
        quoted(&out)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let image = image::open(&out).unwrap();
    assert_eq!((image.width(), image.height()), (480, 360));
}
