//! The GPU swarm (f32, shaders/swarm.wgsl with `optim::wgsl`'s rules) against the f64 CPU runner
//! (`optim::run_to_end`, exactly `descend`): basin maps on several presets and optimizers must
//! agree away from basin boundaries, and the CLI's `basins` and `sweep` keep their contract.

use gradscape::function::Function;
use gradscape::gpu::GpuContext;
use gradscape::optim::{Hyperparameters, OptimizerKind, Status};
use gradscape::swarm::{
    BasinClass, Batch, End, GpuSwarm, Start, SweepAxis, SweepSpec, basin_radius, classify, run_cpu,
    settle_tolerance, sweep_batch,
};

fn context() -> GpuContext {
    // No adapter must fail the test, never skip it.
    GpuContext::headless().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
}

/// An n × n lattice of starts over x × y (the library's, as `basins` lays it out).
fn lattice(x: (f64, f64), y: (f64, f64), n: usize, lr: f64) -> Vec<Start> {
    gradscape::swarm::lattice(x, Some(y), n, lr)
}

struct Case {
    preset: &'static str,
    kind: OptimizerKind,
    lr: f64,
    steps: usize,
    tol: Option<f64>,
    /// The largest end-point gap allowed, as a fraction of the domain's width: f32 rounding for
    /// rules that contract onto the minimum; for Adam and RMSprop, whose steps stay about lr
    /// long and rattle around it, the basin radius (2 %).
    gap: f64,
    /// Hyperparameters besides the defaults (amsgrad, centered, weight decay).
    tweak: fn(&mut Hyperparameters),
}

/// Runs `case` on both backends over an n×n lattice of the preset's domain and compares.
/// Returns (fraction of cells whose class differs, largest end-point gap among agreeing settled
/// cells relative to the domain's width).
fn compare(ctx: &GpuContext, swarm: &mut GpuSwarm, case: &Case, n: usize) -> (f64, f64) {
    let preset = gradscape::presets::find(case.preset).unwrap();
    let function = preset.function();
    let x = (preset.domain.x[0], preset.domain.x[1]);
    let y = preset.domain.y.map_or((0.0, 0.0), |y| (y[0], y[1]));
    let mut hyper = Hyperparameters::new(case.kind, case.lr);
    (case.tweak)(&mut hyper);
    let batch = Batch {
        hyper,
        swept: None,
        max_steps: case.steps,
        tol: case.tol,
        dims: 2,
        starts: lattice(x, y, n, case.lr),
    };
    let cpu = run_cpu(&function, &batch).unwrap();
    let gpu = swarm.run(ctx, &function, &batch, 64, &|| false).unwrap();
    assert_eq!(cpu.len(), gpu.len());
    let known = preset.minima_xy();
    let radius = basin_radius(x, Some(y));
    let points: Vec<[f64; 2]> = batch.starts.iter().map(|s| s.point).collect();
    let settle = case
        .tol
        .unwrap_or_else(|| settle_tolerance(&function, &points));
    let cpu_map = classify(&cpu, &known, radius, 2, settle);
    let gpu_map = classify(&gpu, &known, radius, 2, settle);
    let label = |map: &gradscape::swarm::BasinMap, k: usize| match map.classes[k] {
        // Found basins may be numbered differently: compare them by where they are.
        BasinClass::Basin(b) => Some(map.centers[usize::from(b)]),
        _ => None,
    };
    let mut differ = 0;
    let mut gap: f64 = 0.0;
    for k in 0..cpu.len() {
        let same = match (label(&cpu_map, k), label(&gpu_map, k)) {
            (Some(a), Some(b)) => (a[0] - b[0]).hypot(a[1] - b[1]) <= radius,
            (None, None) => cpu_map.classes[k] == gpu_map.classes[k],
            _ => false,
        };
        if !same {
            differ += 1;
        } else if cpu[k].status != Status::Diverged {
            let d = (cpu[k].point[0] - gpu[k].point[0]).hypot(cpu[k].point[1] - gpu[k].point[1]);
            gap = gap.max(d / (x.1 - x.0));
        }
    }
    (differ as f64 / cpu.len() as f64, gap)
}

#[test]
fn gpu_and_cpu_basin_maps_agree_on_presets_and_optimizers() {
    use OptimizerKind::*;
    let ctx = context();
    let mut swarm = GpuSwarm::new();
    let none: fn(&mut Hyperparameters) = |_| {};
    // (preset, kind, lr, steps, tol, gap, tweak): the fields of `Case`.
    let cases: [(_, _, _, _, _, _, fn(&mut Hyperparameters)); 15] = [
        ("himmelblau", Sgd, 0.01, 200, None, 1e-5, none),
        ("himmelblau", Momentum, 0.002, 300, Some(1e-4), 1e-5, none),
        ("himmelblau", Adam, 0.1, 300, None, 0.02, none),
        ("himmelblau", Newton, 0.5, 60, Some(1e-4), 1e-5, none),
        ("six-hump-camel", Nesterov, 0.01, 300, None, 1e-5, none),
        ("booth", Rmsprop, 0.05, 300, None, 0.02, none),
        ("three-hump-camel", Adagrad, 0.5, 300, None, 1e-5, none),
        ("himmelblau", Adamw, 0.1, 300, None, 0.02, |h| {
            h.amsgrad = true
        }),
        ("himmelblau", Adam, 0.1, 300, None, 0.02, |h| {
            h.weight_decay = 0.01
        }),
        ("booth", Adamax, 0.05, 300, None, 0.02, none),
        ("himmelblau", Nadam, 0.05, 300, None, 0.02, none),
        // RAdam's first five steps are plain momentum SGD (no normalisation): a large lr throws
        // far-off starts past f32's range while f64 comes back, so a bowl and an lr under 2/λmax
        // (booth's Hessian has eigenvalues 18 and 2).
        ("booth", Radam, 0.05, 300, None, 0.02, none),
        ("booth", Adadelta, 1.0, 300, None, 0.02, none),
        ("booth", Rmsprop, 0.02, 300, None, 0.02, |h| {
            h.centered = true;
            h.momentum = 0.5;
        }),
        ("six-hump-camel", Momentum, 0.01, 300, None, 1e-4, |h| {
            h.weight_decay = 0.1
        }),
    ];
    let mut report = Vec::new();
    for (preset, kind, lr, steps, tol, gap, tweak) in cases {
        let case = &Case {
            preset,
            kind,
            lr,
            steps,
            tol,
            gap,
            tweak,
        };
        let (differ, gap) = compare(&ctx, &mut swarm, case, 64);
        report.push(format!(
            "{} {} lr {}: {:.3} % of cells differ, largest end-point gap {gap:.2e} of the width",
            case.preset,
            case.kind,
            case.lr,
            100.0 * differ
        ));
        assert!(differ <= 0.005, "{}", report.join("\n"));
        assert!(gap <= case.gap, "{}", report.join("\n"));
    }
    eprintln!("{}", report.join("\n"));
}

#[test]
fn himmelblau_sgd_basins_are_its_four_minima() {
    let ctx = context();
    let preset = gradscape::presets::find("himmelblau").unwrap();
    let function = preset.function();
    let batch = Batch {
        hyper: Hyperparameters::new(OptimizerKind::Sgd, 0.01),
        swept: None,
        max_steps: 300,
        tol: None,
        dims: 2,
        starts: lattice((-5.0, 5.0), (-5.0, 5.0), 96, 0.01),
    };
    let ends = GpuSwarm::new()
        .run(&ctx, &function, &batch, 100, &|| false)
        .unwrap();
    let known = preset.minima_xy();
    let points: Vec<[f64; 2]> = batch.starts.iter().map(|s| s.point).collect();
    let map = classify(
        &ends,
        &known,
        basin_radius((-5.0, 5.0), Some((-5.0, 5.0))),
        2,
        settle_tolerance(&function, &points),
    );
    assert_eq!(
        map.centers.len(),
        4,
        "exactly the four known minima: {:?}",
        map.centers
    );
    assert!(map.known.iter().all(|&k| k));
    // Every basin holds a sizeable share (each between 15 % and 35 % of the square); nothing
    // diverges at this lr, and only the few starts on the ridges between basins stay unsettled.
    for k in 0..4 {
        let share = map.share(k);
        assert!((0.15..=0.35).contains(&share), "basin {k}: {share}");
    }
    assert_eq!(map.diverged, 0);
    assert!(map.share_of(map.unsettled) < 0.01, "{}", map.unsettled);
}

#[test]
fn a_learning_rate_far_too_large_diverges_everywhere_on_both_backends() {
    let ctx = context();
    let function = Function::parse("x^2 + y^2").unwrap();
    // sgd on x² + y² multiplies the point by (1 − 2 lr) each step: |1 − 2·5| = 9.
    let batch = Batch {
        hyper: Hyperparameters::new(OptimizerKind::Sgd, 5.0),
        swept: None,
        max_steps: 1000,
        tol: None,
        dims: 2,
        starts: lattice((-1.0, 1.0), (-1.0, 1.0), 17, 5.0)
            .into_iter()
            .filter(|s| s.point != [0.0, 0.0])
            .collect(),
    };
    let gpu = GpuSwarm::new()
        .run(&ctx, &function, &batch, 50, &|| false)
        .unwrap();
    let cpu = run_cpu(&function, &batch).unwrap();
    for ends in [&gpu, &cpu] {
        assert!(
            ends.iter().all(|e: &End| e.status == Status::Diverged),
            "{ends:?}"
        );
    }
    // f32 overflows (3.4e38) far sooner than f64 (1.8e308): 9^k·r² passes each about then.
    assert!(gpu.iter().all(|e| (18..=23).contains(&e.steps)), "{gpu:?}");
    assert!(
        cpu.iter().all(|e| (158..=165).contains(&e.steps)),
        "{cpu:?}"
    );
}

#[test]
fn a_sweep_matches_single_descents_cell_by_cell() {
    let ctx = context();
    let function = Function::parse("(1 - x)^2 + 100*(y - x^2)^2").unwrap();
    let spec = SweepSpec {
        lr: SweepAxis {
            from: 1e-4,
            to: 1e-2,
            count: 9,
        },
        param: Some((
            "beta1",
            SweepAxis {
                from: 0.5,
                to: 0.95,
                count: 4,
            },
        )),
    };
    let hyper = Hyperparameters::new(OptimizerKind::Adam, 1e-3);
    let batch = sweep_batch(hyper, [-1.5, 2.0], &spec, 150, None, 2).unwrap();
    let gpu = GpuSwarm::new()
        .run(&ctx, &function, &batch, 40, &|| false)
        .unwrap();
    for (k, end) in gpu.iter().enumerate() {
        let (i, j) = (k / 9, k % 9);
        let mut h = hyper;
        h.lr = spec.lr.geometric(j);
        h.set("beta1", 0.5 + i as f64 * 0.15).unwrap();
        let single = gradscape::optim::run_to_end(&function, &h, &[-1.5, 2.0], 150, None).unwrap();
        assert_eq!(end.status, single.status, "cell ({i}, {j})");
        let rel = (end.value - single.value).abs() / single.value.abs().max(1e-3);
        assert!(
            rel < 1e-2,
            "cell ({i}, {j}): gpu f {} vs cpu f {}",
            end.value,
            single.value
        );
    }
}

#[test]
fn the_apps_driver_fills_a_big_map_band_by_band_and_drops_stale_work() {
    use gradscape::swarm::{BAND_STARTS, Driver};
    let ctx = context();
    let function = Function::parse("(x^2 + y - 11)^2 + (x + y^2 - 7)^2").unwrap();
    let batch = |lr: f64| Batch {
        hyper: Hyperparameters::new(OptimizerKind::Sgd, lr),
        swept: None,
        max_steps: 60,
        tol: Some(1e-4),
        dims: 2,
        starts: lattice((-5.0, 5.0), (-5.0, 5.0), 512, lr),
    };
    let mut driver = Driver::new();
    // A first request gets one dispatch, then a newer one replaces it: only the newer comes back.
    assert!(
        driver
            .pump(&ctx, &function, 1, || batch(0.01), 1)
            .unwrap()
            .is_none()
    );
    let mut deliveries = Vec::new();
    for _ in 0..100 {
        if let Some(done) = driver.pump(&ctx, &function, 2, || batch(0.005), 1).unwrap() {
            assert_eq!(done.key, 2);
            let complete = done.complete;
            deliveries.push(done);
            if complete {
                break;
            }
        }
    }
    let lengths: Vec<usize> = deliveries.iter().map(|d| d.ends.len()).collect();
    assert_eq!(
        lengths,
        [1, 2, 3, 4].map(|k| k * BAND_STARTS),
        "four bands of a 512² map"
    );
    assert!(!driver.busy());
    assert!(
        driver
            .pump(&ctx, &function, 2, || batch(0.005), 1)
            .unwrap()
            .is_none(),
        "done once"
    );
    let whole = GpuSwarm::new()
        .run(&ctx, &function, &batch(0.005), 50, &|| false)
        .unwrap();
    let last = deliveries.last().unwrap();
    assert_eq!(
        last.ends, whole,
        "bands end where one run over all starts does"
    );
}

/// Every optimizer and every option of it, on the GPU and in f64, from well-conditioned starts:
/// positions after 1, 2, 5 and 20 steps agree to f32 rounding. Basin labels cannot tell a wrong
/// rule from a right one (a rule with amsgrad or weight decay left out lands in the same basin);
/// positions can: each option moves the walkers by far more than the tolerance (checked below
/// by running each case with the option changed).
#[test]
fn gpu_trajectories_follow_the_f64_rules_to_f32_rounding_for_every_option() {
    let ctx = context();
    let mut swarm = GpuSwarm::new();
    let function = Function::parse("x^2 + 3*y^2 + 0.5*x*y + 0.1*x^4").unwrap();
    let starts = [[-2.0, 1.0], [1.5, -0.5], [0.3, 2.0]];
    type Tweak = fn(&mut Hyperparameters);
    let cases: Vec<(OptimizerKind, f64, &str, Tweak)> = vec![
        (OptimizerKind::Sgd, 0.05, "plain", |_| {}),
        (OptimizerKind::Sgd, 0.05, "weight decay", |h| {
            h.weight_decay = 0.3
        }),
        (OptimizerKind::Momentum, 0.02, "plain", |_| {}),
        (OptimizerKind::Momentum, 0.02, "momentum 0.5", |h| {
            h.momentum = 0.5
        }),
        (OptimizerKind::Nesterov, 0.02, "plain", |_| {}),
        (OptimizerKind::Adagrad, 0.3, "plain", |_| {}),
        (OptimizerKind::Rmsprop, 0.01, "plain", |_| {}),
        (OptimizerKind::Rmsprop, 0.01, "centered", |h| {
            h.centered = true
        }),
        (OptimizerKind::Rmsprop, 0.01, "momentum", |h| {
            h.momentum = 0.5
        }),
        (OptimizerKind::Rmsprop, 0.01, "alpha", |h| h.alpha = 0.9),
        (OptimizerKind::Adam, 0.1, "plain", |_| {}),
        (OptimizerKind::Adam, 0.1, "amsgrad", |h| h.amsgrad = true),
        (OptimizerKind::Adam, 0.1, "beta2 0.99", |h| h.beta2 = 0.99),
        (OptimizerKind::Adam, 0.1, "beta1 0.5", |h| h.beta1 = 0.5),
        (OptimizerKind::Adam, 0.1, "weight decay", |h| {
            h.weight_decay = 0.5
        }),
        (OptimizerKind::Adamw, 0.1, "plain", |_| {}),
        (OptimizerKind::Adamw, 0.1, "weight decay", |h| {
            h.weight_decay = 0.5
        }),
        (OptimizerKind::Adamw, 0.1, "amsgrad", |h| h.amsgrad = true),
        (OptimizerKind::Adamax, 0.1, "plain", |_| {}),
        (OptimizerKind::Nadam, 0.1, "plain", |_| {}),
        (OptimizerKind::Nadam, 0.1, "momentum decay", |h| {
            h.momentum_decay = 0.1
        }),
        (OptimizerKind::Radam, 0.1, "plain", |_| {}),
        (OptimizerKind::Adadelta, 1.0, "plain", |_| {}),
        (OptimizerKind::Adadelta, 1.0, "rho", |h| h.rho = 0.5),
        (OptimizerKind::Newton, 0.5, "plain", |_| {}),
    ];
    let run = |swarm: &mut GpuSwarm, hyper: Hyperparameters, steps: usize| {
        let batch = Batch {
            hyper,
            swept: None,
            max_steps: steps,
            tol: None,
            dims: 2,
            starts: starts
                .iter()
                .map(|&point| Start {
                    point,
                    lr: hyper.lr,
                    param: 0.0,
                })
                .collect(),
        };
        let gpu = swarm.run(&ctx, &function, &batch, 64, &|| false).unwrap();
        let cpu = run_cpu(&function, &batch).unwrap();
        (gpu, cpu)
    };
    // f32 rounding of positions of order 1, carried over up to 20 steps.
    let tolerance = 2e-5;
    let gap = |a: &[End], b: &[End]| {
        a.iter()
            .zip(b)
            .flat_map(|(a, b)| (0..2).map(move |k| (a.point[k] - b.point[k]).abs()))
            .fold(0.0f64, f64::max)
    };
    for (kind, lr, option, tweak) in &cases {
        let mut hyper = Hyperparameters::new(*kind, *lr);
        tweak(&mut hyper);
        for steps in [1, 2, 5, 20] {
            let (gpu, cpu) = run(&mut swarm, hyper, steps);
            assert!(
                gpu.iter().all(|e| e.steps as usize == steps),
                "{kind} {option}: every walker takes {steps} steps"
            );
            let worst = gap(&gpu, &cpu);
            assert!(
                worst <= tolerance,
                "{kind} ({option}) after {steps} steps: GPU and f64 differ by {worst:e}"
            );
        }
        // The option matters: without it (the defaults) the f64 walkers end elsewhere by much
        // more than the tolerance, so a GPU rule that ignored it would fail above.
        if *option != "plain" {
            let plain = Hyperparameters::new(*kind, *lr);
            let (_, with_option) = run(&mut swarm, hyper, 20);
            let (_, without) = run(&mut swarm, plain, 20);
            let moved = gap(&with_option, &without);
            assert!(
                moved > 5.0 * tolerance,
                "{kind}: the option {option} moves the walkers by only {moved:e}"
            );
        }
    }
    // The example: Adam's first step from x = −2 on x² + 3y² lands at −1.9 (lr 0.1), to
    // f32 rounding (f32's pow made it −1.899994).
    let bowl = Function::parse("x^2 + 3*y^2").unwrap();
    let batch = Batch {
        hyper: Hyperparameters::new(OptimizerKind::Adam, 0.1),
        swept: None,
        max_steps: 1,
        tol: None,
        dims: 2,
        starts: vec![Start {
            point: [-2.0, 1.0],
            lr: 0.1,
            param: 0.0,
        }],
    };
    let gpu = swarm.run(&ctx, &bowl, &batch, 64, &|| false).unwrap();
    assert!(
        (gpu[0].point[0] + 1.9).abs() <= 2.0 * f64::from(f32::EPSILON),
        "{}",
        gpu[0].point[0]
    );
}
