//! `gradscape descend` with the optimizers and options of issue 12: adamw, adamax, nadam, radam,
//! adadelta and their flags; --schedule, --noise/--seed, --clip-norm, --line-search; the JSON
//! rows' `lr` and `predicted`, CSV's `lr` column; bad flags exit 2 naming what is taken.

use super::common::{Argv, assert_bad_input, gradscape, quoted, temp_dir, words};

fn ok(args: &(impl Argv + ?Sized)) -> String {
    let args = args.argv();
    let o = gradscape(&args[..]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {err}");
    String::from_utf8(o.stdout).unwrap()
}

fn json(args: &(impl Argv + ?Sized)) -> serde_json::Value {
    serde_json::from_str(&ok(args)).unwrap()
}

const QUAD: &str = "descend 'x^2 + 3*y^2' --from 1,1 --steps 6";

/// The quadratic's command line with `extra` flags after it.
fn with(extra: &str) -> String {
    format!("{QUAD} {extra}")
}

#[test]
fn every_new_optimizer_runs_with_its_flags() {
    for extra in [
        "--optimizer adamw --lr 0.1 --weight-decay 0.1 --amsgrad",
        "--optimizer adam --lr 0.1 --amsgrad --weight-decay 0.01",
        "--optimizer adamax --lr 0.1 --beta1 0.8",
        "--optimizer nadam --lr 0.1 --momentum-decay 0.01",
        "--optimizer radam --lr 0.1 --beta2 0.99",
        "--optimizer adadelta --lr 1 --rho 0.95 --eps 1e-4",
        "--optimizer rmsprop --lr 0.01 --momentum 0.9 --centered",
        "--optimizer sgd --lr 0.1 --weight-decay 0.5",
    ] {
        let doc = json(&with(&format!("{extra} --format json")));
        assert_eq!(doc["optimizer"], words(extra)[1]);
        let steps = doc["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 7, "{extra:?}");
        let f0 = steps[0]["value"].as_f64().unwrap();
        let f6 = steps[6]["value"].as_f64().unwrap();
        assert!(f6 < f0, "{extra:?}: {f0} -> {f6}");
    }
}

#[test]
fn json_rows_carry_lr_and_the_tangent_planes_prediction() {
    // x^2 from 1 at lr 0.25: x1 = 0.5; predicted ∇f·Δx = 2·(-0.5) = -1, actual 0.25 - 1.
    let doc = json("descend x^2 --from 1 --optimizer sgd --lr 0.25 --steps 2 --format json");
    let steps = doc["steps"].as_array().unwrap();
    assert!(steps[0].get("lr").is_none() && steps[0].get("predicted").is_none());
    assert_eq!(steps[1]["lr"], 0.25);
    assert_eq!(steps[1]["predicted"], -1.0);
    assert_eq!(steps[2]["predicted"], 2.0 * 0.5 * (0.25 - 0.5));
}

#[test]
fn a_cosine_schedule_fills_the_lr_column_and_json() {
    let csv = ok(&with("--optimizer sgd --lr 0.1 --schedule cosine:4"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "step,x,y,value,grad_norm,lr");
    assert!(
        lines[1].ends_with(','),
        "row 0 has an empty lr: {}",
        lines[1]
    );
    let lrs: Vec<f64> = lines[2..]
        .iter()
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();
    // CosineAnnealingLR(T=4) from 0.1: 0.1, 0.1(1+cos(π/4))/2, 0.05, 0.1(1-cos(π/4))/2, 0, ...
    let c = std::f64::consts::FRAC_1_SQRT_2;
    let want = [
        0.1,
        0.05 * (1.0 + c),
        0.05,
        0.05 * (1.0 - c),
        0.0,
        0.05 * (1.0 - c),
    ];
    for (g, w) in lrs.iter().zip(want) {
        assert!((g - w).abs() < 1e-15, "{lrs:?}");
    }
    // Without a schedule or line search, CSV keeps its five columns.
    let plain = ok(&with("--optimizer sgd --lr 0.1"));
    assert!(plain.starts_with("step,x,y,value,grad_norm\n"));
    // A line search reports the step it took.
    let doc = json(
        "descend 'x^4/4 - x^2 + 0.5' --from 2 --optimizer sgd --lr 1 --steps 1 \
         --line-search armijo --format json",
    );
    assert_eq!(doc["steps"][1]["lr"], 0.25);
    assert_eq!(doc["steps"][1]["point"][0], 1.0);
}

#[test]
fn noise_is_byte_identical_per_seed_and_zero_sigma_is_exact() {
    let noisy = |seed: &str| {
        ok(&with(&format!(
            "--optimizer sgd --lr 0.1 --noise 0.5 --seed {seed} --clip-norm 3"
        )))
    };
    assert_eq!(noisy("7"), noisy("7"));
    assert_ne!(noisy("7"), noisy("8"));
    let exact = ok(&with("--optimizer sgd --lr 0.1"));
    let zero = ok(&with("--optimizer sgd --lr 0.1 --noise 0"));
    assert_eq!(exact, zero);
}

#[test]
fn bad_flags_exit_2_and_say_what_is_taken() {
    let run = |extra: &str, needle: &str| assert_bad_input(&with(extra), needle);
    run(
        "--optimizer adamax --lr 0.1 --amsgrad",
        "adamax takes --beta1, --beta2, --eps, --weight-decay (not --amsgrad)",
    );
    run(
        "--optimizer sgd --lr 0.1 --rho 0.5",
        "sgd takes --weight-decay (not --rho)",
    );
    run(
        "--optimizer sgd --lr 0.1 --schedule cosine",
        "cosine:T[:ETA_MIN]",
    );
    run(
        "--optimizer sgd --lr 0.1 --schedule linear:0:1:5",
        "START must be in (0, 1]",
    );
    run("--optimizer adam --lr 0.1 --line-search armijo", "sgd only");
    run("--optimizer sgd --lr 0.1 --noise -1", "--noise");
    run("--optimizer sgd --lr 0.1 --clip-norm 0", "--clip-norm");
}

#[test]
fn render_knows_the_new_optimizers_and_their_flags() {
    let dir = temp_dir("optim-render");
    let out = dir.join("r.png");
    let base = format!(
        "render --preset rosenbrock --from=-1.2,1 --lr 0.05 --steps 50 --size 160x120 --out {}",
        quoted(&out)
    );
    ok(&format!(
        "{base} --optimizer adamw --optimizer adadelta --weight-decay 0.1"
    ));
    assert!(std::fs::metadata(&out).unwrap().len() > 0);
    // A switch none of the runs takes is refused by name.
    assert_bad_input(
        &format!("{base} --optimizer adamax --amsgrad"),
        "--amsgrad is taken by none of the optimizers given (adamax)",
    );
    let _ = std::fs::remove_dir_all(dir);
}
