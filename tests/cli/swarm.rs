//! `gradscape basins` and `gradscape sweep` against their contract (../shared/CLI.md): `.npy`
//! shapes and contents on both backends, PNG figures, and exit code 2 with a message for bad input.

use super::common::{
    Argv, assert_bad_input, assert_stderr_has, gradscape, quoted, read_npy, stderr, temp_dir, words,
};

use std::process::Command;

fn run_ok(args: &(impl Argv + ?Sized)) {
    let args = args.argv();
    let o = gradscape(&args[..]);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing on stdout");
}

#[test]
fn basins_npy_on_both_backends_has_the_contract_shape_and_agrees() {
    let dir = temp_dir("basins");
    let mut results = Vec::new();
    for backend in ["cpu", "gpu"] {
        let out = dir.join(format!("himmelblau_{backend}.npy"));
        run_ok(&format!(
            "basins --preset himmelblau --resolution 33 --optimizer sgd --lr 0.01 --steps 200 \
             --tol 1e-3 --backend {backend} --out {}",
            quoted(&out)
        ));
        let (header, data) = read_npy(&out);
        assert!(header.contains("'shape': (33, 33, 5)"), "{header}");
        assert_eq!(data.len(), 33 * 33 * 5);
        results.push(data);
    }
    let (cpu, gpu) = (&results[0], &results[1]);
    // Cell (i=0, j=0) starts at (-5, -5); (32, 32) at (5, 5), which rolls to the minimum (3, 2).
    let cell =
        |data: &[f32], i: usize, j: usize| data[(i * 33 + j) * 5..(i * 33 + j + 1) * 5].to_vec();
    let top_right = cell(cpu, 32, 32);
    assert!(
        (top_right[0] - 3.0).abs() < 1e-3 && (top_right[1] - 2.0).abs() < 1e-3,
        "{top_right:?}"
    );
    assert_eq!(top_right[4], 0.0, "converged");
    assert!(top_right[3] >= 1.0 && top_right[3] < 200.0);
    let mut differ = 0;
    for k in 0..33 * 33 {
        let (c, g) = (&cpu[k * 5..k * 5 + 5], &gpu[k * 5..k * 5 + 5]);
        if (c[0] - g[0]).abs() > 0.1 || (c[1] - g[1]).abs() > 0.1 {
            differ += 1;
        }
    }
    assert!(
        differ <= 5,
        "{differ} of 1089 cells end elsewhere on the GPU"
    );
}

#[test]
fn basins_png_and_one_d_npy() {
    let dir = temp_dir("basins-png");
    let png = dir.join("himmelblau.png");
    run_ok(&format!(
        "basins --preset himmelblau --resolution 64 --optimizer momentum --lr 0.002 --steps 100 \
         --out {} --size 640x480",
        quoted(&png)
    ));
    let image = image::open(&png).unwrap();
    assert_eq!((image.width(), image.height()), (640, 480));
    // The double well's two minima split the line at 0; 1-D shape (N, 4).
    let npy = dir.join("well.npy");
    run_ok(&format!(
        "basins 'x^4/4 - x^2 + 1/2' --x-range=-2,2 --resolution 41 --optimizer sgd --lr 0.05 \
         --steps 500 --out {}",
        quoted(&npy)
    ));
    let (header, data) = read_npy(&npy);
    assert!(header.contains("'shape': (41, 4)"), "{header}");
    for j in 0..41 {
        let x0 = -2.0 + j as f32 * 0.1;
        let x_end = data[j * 4];
        if x0 < -0.01 {
            assert!((x_end + 2f32.sqrt()).abs() < 1e-3, "from {x0}: {x_end}");
        } else if x0 > 0.01 {
            assert!((x_end - 2f32.sqrt()).abs() < 1e-3, "from {x0}: {x_end}");
        } else {
            assert_eq!(x_end, 0.0, "the maximum at 0 is a fixed point");
        }
    }
}

#[test]
fn basins_with_a_diverging_lr_are_all_diverged_with_nan_ends() {
    let dir = temp_dir("basins-diverge");
    let out = dir.join("diverged.npy");
    run_ok(&format!(
        "basins 'x^2 + y^2' --x-range=0.5,1 --resolution 8 --optimizer sgd --lr 5 --steps 1000 \
         --out {}",
        quoted(&out)
    ));
    let (_, data) = read_npy(&out);
    for cell in data.chunks_exact(5) {
        assert!(
            cell[0].is_nan() && cell[1].is_nan() && cell[2].is_nan(),
            "{cell:?}"
        );
        assert_eq!(cell[4], 2.0, "status diverged");
    }
}

#[test]
fn sweep_npy_shapes_and_values() {
    let dir = temp_dir("sweep");
    let out = dir.join("sweep.npy");
    run_ok(&format!(
        "sweep 'x^2 + 3y^2' --from 1,1 --optimizer momentum --steps 50 --lr-range 0.001,0.5 \
         --resolution 12,5 --param momentum --param-range 0,0.8 --out {}",
        quoted(&out)
    ));
    let (header, data) = read_npy(&out);
    assert!(header.contains("'shape': (5, 12, 4)"), "{header}");
    // Row 0 is momentum 0 (plain sgd): at lr 0.5 y flips with factor 1 − 6·0.5 = −2 and
    // diverges within 50 steps? |−2|^50·3 ≈ 3e15, still finite: max_steps, f huge.
    let last = &data[11 * 4..12 * 4];
    assert_eq!(last[3], 1.0, "max_steps: {last:?}");
    assert!(last[0] > 1e20, "{last:?}");
    // lr 0.1, momentum 0: by hand, x_k = 0.8^k, y_k = 0.4^k.
    let one_d = dir.join("strip.npy");
    run_ok(&format!(
        "sweep 'x^2 + 3y^2' --from 1,1 --optimizer sgd --steps 10 --lr-range 0.1,0.1 --resolution \
         1 --backend cpu --out {}",
        quoted(&one_d)
    ));
    let (header, data) = read_npy(&one_d);
    assert!(header.contains("'shape': (1, 4)"), "{header}");
    let want = 0.8f64.powi(20) + 3.0 * 0.4f64.powi(20);
    assert!(
        (f64::from(data[0]) - want).abs() < 1e-6 * want,
        "{} vs {want}",
        data[0]
    );
    assert_eq!(data[2], 10.0);
    let png = dir.join("sweep.png");
    run_ok(&format!(
        "sweep --preset rosenbrock --from=-1.5,2 --optimizer adam --steps 100 --lr-range 0.001,1 \
         --resolution 24,12 --param beta1 --param-range 0,0.99 --out {}",
        quoted(&png)
    ));
    assert_eq!(image::open(&png).unwrap().width(), 900);
}

#[test]
fn bad_input_exits_2_with_a_message_and_writes_nothing() {
    let dir = temp_dir("swarm-bad");
    let never = dir.join("never.npy");
    let out = quoted(&never);
    let basins = "basins x^2+y^2 --x-range=-1,1 --optimizer sgd --lr 0.1 --steps 10 --out";
    let sweep = "sweep x^2+y^2 --from 1,1 --optimizer momentum --steps 10 --out";
    let cases = [
        (
            format!("{basins} {out} --resolution 0"),
            "--resolution 0 is out of range",
        ),
        (
            format!("{basins} {out} --resolution 100000"),
            "--resolution 100000 is out of range",
        ),
        (
            format!("{basins} {out} --resolution 8 --momentum 0.9"),
            "sgd takes --weight-decay (not --momentum)",
        ),
        (
            format!(
                "basins x*y --x-range=0,1e-323 --resolution 16 --optimizer sgd --lr 0.1 \
                 --steps 10 --out {out}"
            ),
            "cannot tell 16 points apart",
        ),
        (
            format!(
                "basins x*y --x-range=-1,1 --resolution 16 --optimizer sgd --lr 1e-50 \
                 --steps 10 --out {out}"
            ),
            "lr 1e-50 does not fit the GPU's 32-bit floats",
        ),
        (
            format!(
                "basins x^2+y^2 --x-range=1,-1 --resolution 8 --optimizer sgd --lr 0.1 \
                 --steps 10 --out {out}"
            ),
            "--x-range",
        ),
        (
            "basins x^2+y^2 --x-range=-1,1 --resolution 8 --optimizer sgd --lr 0.1 --steps 10 \
             --out x.txt"
                .to_string(),
            "must end in .npy",
        ),
        (
            format!("{sweep} {out} --lr-range 1,0.1 --resolution 4"),
            "must not exceed the end",
        ),
        (
            format!("{sweep} {out} --lr-range 0,0.1 --resolution 4"),
            "must be > 0",
        ),
        (
            format!(
                "{sweep} {out} --lr-range 0.01,0.1 --resolution 4 --param gamma \
                 --param-range 0,1"
            ),
            "--param gamma",
        ),
        (
            format!(
                "{sweep} {out} --lr-range 0.01,0.1 --resolution 4 --param momentum \
                 --param-range 0,1"
            ),
            "momentum",
        ),
        (
            format!("{sweep} {out} --lr-range 0.01,0.1 --resolution 0"),
            "--resolution",
        ),
    ];
    for (line, says) in &cases {
        assert_bad_input(line, says);
    }
    assert!(!never.exists(), "a refused command writes nothing");
}

#[test]
fn a_data_basins_cell_equals_descend_from_it_with_the_same_batches() {
    let dir = temp_dir("data-basins");
    let out = dir.join("linear.npy");
    let data = "--data linear --model linear:x";
    let flags = "--optimizer momentum --lr 0.05 --batch-size 10 --seed 4 --epochs 3";
    let args = format!(
        "basins {data} {flags} --x-range -1,5 --resolution 3 --backend cpu --out {}",
        quoted(&out)
    );
    run_ok(&args);
    let (header, values) = read_npy(&out);
    assert!(header.contains("(3, 3, 5)"), "{header}");
    let axis = [-1.0, 2.0, 5.0];
    for (i, y) in axis.iter().enumerate() {
        for (j, x) in axis.iter().enumerate() {
            let cell = &values[(i * 3 + j) * 5..(i * 3 + j) * 5 + 5];
            let o = gradscape(&format!(
                "descend {data} {flags} --from {x},{y} --format json"
            ));
            assert!(o.status.success(), "{}", stderr(&o));
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            let steps = v["steps"].as_array().unwrap();
            let last = &steps[steps.len() - 1];
            assert_eq!(
                cell[3] as usize,
                steps.len() - 1,
                "30 steps: 3 epochs of 10 batches"
            );
            for k in 0..2 {
                let want = last["point"][k].as_f64().unwrap() as f32;
                assert_eq!(cell[k], want, "cell ({i}, {j}) coordinate {k}");
            }
        }
    }
    // Another seed draws other batches, so the ends move.
    let other = dir.join("other.npy");
    run_ok(
        &args
            .replace("--seed 4", "--seed 5")
            .replace(&quoted(&out), &quoted(&other)),
    );
    assert_ne!(read_npy(&other).1, values);
    // The GPU swarm takes full batches only, and says so.
    let o = gradscape(&args.replace("--backend cpu", "--backend gpu"));
    assert_eq!(o.status.code(), Some(2));
    assert_stderr_has(&o, "--backend cpu");
}

#[test]
fn full_batch_data_basins_agree_on_the_gpu_and_the_cpu() {
    // The swarm kernel reads the rows through the same generated loop as the grid.
    let dir = temp_dir("data-basins-gpu");
    let mut ends = Vec::new();
    for backend in ["cpu", "gpu"] {
        let out = dir.join(format!("{backend}.npy"));
        run_ok(&format!(
            "basins --data iris --model logistic:petal_width --x-range -6,2 --y-range -2,6 \
             --resolution 5 --optimizer adam --lr 0.1 --steps 100 --backend {backend} --out {}",
            quoted(&out)
        ));
        ends.push(read_npy(&out).1);
    }
    for (cell, (c, g)) in ends[0].chunks(5).zip(ends[1].chunks(5)).enumerate() {
        for k in 0..3 {
            assert!(
                (c[k] - g[k]).abs() <= 2e-3 * c[k].abs().max(1.0),
                "cell {cell}: {c:?} vs {g:?}"
            );
        }
        assert_eq!(c[3], g[3], "cell {cell}: steps");
    }
}

#[test]
fn newton_inverts_a_hessian_that_is_far_from_singular_for_its_scale_on_both_backends() {
    // H = diag(2, 2e-7): f32's old absolute threshold on the scaled determinant called it
    // singular in every cell; one scale-aware rule in both backends reaches (0, 0).
    let dir = temp_dir("newton-scale");
    for backend in ["cpu", "gpu"] {
        let out = dir.join(format!("{backend}.npy"));
        run_ok(&format!(
            "basins 'x^2 + 1e-7*y^2' --x-range -1,1 --resolution 3 --optimizer newton --lr 1 \
             --steps 5 --backend {backend} --out {}",
            quoted(&out)
        ));
        let (_, values) = read_npy(&out);
        for cell in values.chunks(5) {
            assert_ne!(
                cell[4], 3.0,
                "{backend}: singular Hessian in a cell: {cell:?}"
            );
            assert!(
                cell[0].abs() < 1e-6 && cell[1].abs() < 1e-6,
                "{backend}: {cell:?}"
            );
        }
    }
    // An exactly singular Hessian stays singular on both, and the summary names that status.
    for backend in ["cpu", "gpu"] {
        let out = dir.join(format!("singular-{backend}.npy"));
        let o = gradscape(&format!(
            "basins '(x + y)^2' --x-range -1,1 --resolution 3 --optimizer newton --lr 1 --steps 5 \
             --backend {backend} --out {}",
            quoted(&out)
        ));
        assert!(o.status.success(), "{}", stderr(&o));
        let (_, values) = read_npy(&out);
        // The start on the line x + y = 0 is converged there already; the others are singular.
        let singular = values.chunks(5).filter(|c| c[4] == 3.0).count();
        assert!(singular >= 6, "{backend}: {values:?}");
        assert_stderr_has(&o, "% stopped at a singular Hessian");
    }
}

#[test]
fn a_sweep_over_six_hundred_decades_of_learning_rate_is_stepped_in_logarithms() {
    let dir = temp_dir("sweep-wide");
    let out = dir.join("wide.npy");
    run_ok(&format!(
        "sweep x^2 --from 1 --optimizer sgd --steps 3 --lr-range 1e-300,1e300 --resolution 7 \
         --backend cpu --out {}",
        quoted(&out)
    ));
    let (header, values) = read_npy(&out);
    assert!(header.contains("(7, 4)"), "{header}");
    // sgd on x² multiplies x by 1 − 2·lr: lr 1e-300 leaves f at 1; lr 1e300 overflows at the
    // first step (status 2, diverged). The ratio 1e600 of the range overflowed before.
    assert_eq!(values[0], 1.0);
    assert_eq!(values[4 * 6 + 3], 2.0, "lr 1e300 diverges: {values:?}");
}

#[test]
fn converged_runs_past_the_legends_colours_are_more_minima_not_unsettled() {
    // The command: 81 minima; every cell converges (status 0 in the .npy).
    let dir = temp_dir("many-minima");
    let out = dir.join("m.png");
    let o = gradscape(&format!(
        "basins sin(3*x)*sin(3*y) --x-range -5,5 --resolution 64 --optimizer sgd --lr 0.05 \
         --steps 300 --tol 1e-4 --out {}",
        quoted(&out)
    ));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stderr(&o);
    assert!(text.contains("0.0 % unsettled"), "{text}");
    assert!(text.contains("more minima"), "{text}");
}

#[test]
fn long_work_is_refused_with_its_estimate_shows_progress_and_stops_on_ctrl_c() {
    // Beyond the budget: refused up front, the estimate and the way out in the message.
    let dir = temp_dir("long-work");
    let out = dir.join("big.npy");
    let o = gradscape(&format!(
        "basins 'x^2 + y^2' --x-range -1,1 --resolution 2048 --optimizer sgd --lr 0.1 --steps \
         100000 --out {}",
        quoted(&out)
    ));
    assert_eq!(o.status.code(), Some(2));
    let text = stderr(&o);
    assert!(text.contains("4194304 descents × 100000 steps"), "{text}");
    assert!(text.contains("4.19e11"), "{text}");
    assert!(text.contains("--max-work"), "{text}");
    assert!(!out.exists());
    // Progress, once a run has lasted the delay (0 here), in tenths when stderr is no terminal.
    let o = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(words(
            "sweep x^2 --from 1 --optimizer sgd --steps 10 --lr-range 0.01,1 --resolution 5 \
             --backend cpu --out",
        ))
        .arg(dir.join("s.npy"))
        .env("GRADSCAPE_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_stderr_has(&o, "5 descents: 100 %");
    // Ctrl+C: a clean stop, exit 130, no file.
    let slow = dir.join("slow.npy");
    let child = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args(words(
            "basins 'sin(x)*cos(y) + x^2/10' --x-range -3,3 --resolution 400 --optimizer adam \
             --lr 0.001 --steps 20000 --backend cpu --out",
        ))
        .arg(&slow)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert_stderr_has(&o, "interrupted (Ctrl+C)");
    assert!(!slow.exists(), "nothing is written");
    assert!(!dir.join("slow.npy.partial").exists());
}
