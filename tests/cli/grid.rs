//! `gradscape grid`'s streaming paths: GPU bands of any size, two in flight, written straight
//! from the mapped read-back buffers, and CPU chunks filled into one reused buffer, give byte for
//! byte the file one band gives.

use std::process::Command;

fn grid(extra: &[&str], out: &std::path::Path) -> Vec<u8> {
    let o = Command::new(env!("CARGO_BIN_EXE_gradscape"))
        .args([
            "grid",
            "sin(x*y) + y/3",
            "--x-range=-3,3",
            "--y-range=-2,2.5",
        ])
        .args(["--resolution", "97", "--out", out.to_str().unwrap()])
        .args(extra)
        .output()
        .expect("the gradscape binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(out).unwrap()
}

#[test]
fn small_bands_write_the_same_file_as_one_band() {
    let dir = std::env::temp_dir().join(format!("gradscape-grid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let whole = grid(&["--band-rows", "97"], &dir.join("whole.npy"));
    // 97 rows in bands of 7: 13 full bands and a last one of 6, alternating two buffers.
    let banded = grid(&["--band-rows", "7"], &dir.join("banded.npy"));
    let default = grid(&[], &dir.join("default.npy"));
    assert_eq!(whole.len(), banded.len());
    assert!(whole == banded, "banded output differs");
    assert!(whole == default, "default banding differs");
    // The header, then 97 × 97 × 3 float32 values; the last is ∂f/∂y at (3, 2.5).
    let values = &whole[whole.len() - 97 * 97 * 12..];
    let last = f32::from_le_bytes(values[values.len() - 4..].try_into().unwrap());
    let want = 3.0 * (7.5f64).cos() + 1.0 / 3.0;
    assert!((f64::from(last) - want).abs() < 1e-5, "{last} vs {want}");
    let cpu = grid(&["--backend", "cpu"], &dir.join("cpu.npy"));
    // The CPU backend's chunks, written from one reused buffer, give the same bytes too.
    let cpu_chunked = grid(
        &["--backend", "cpu", "--band-rows", "7"],
        &dir.join("cpu-chunked.npy"),
    );
    assert!(cpu == cpu_chunked, "chunked CPU output differs");
    let close = whole[128..]
        .chunks_exact(4)
        .zip(cpu[128..].chunks_exact(4))
        .all(|(g, c)| {
            let g = f32::from_le_bytes(g.try_into().unwrap());
            let c = f32::from_le_bytes(c.try_into().unwrap());
            (g - c).abs() <= 1e-5 * c.abs().max(1.0)
        });
    assert!(close, "GPU and CPU grids agree");
}

/// The float32 values after a .npy's header.
fn npy_values(bytes: &[u8], count: usize) -> Vec<f32> {
    bytes[bytes.len() - count * 4..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

#[test]
fn a_data_objectives_gpu_loss_grid_equals_the_f64_one_to_f32_rounding() {
    // The GPU sums every row in a loop over a storage buffer; the CPU in f64. Logistic loss on
    // iris (softplus through the kernel's helper) and mse on `linear`, with an L2 penalty.
    let dir = std::env::temp_dir().join(format!("gradscape-data-grid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (case, flags, range) in [
        (
            "logistic",
            &["--data", "iris", "--model", "logistic:petal_width"][..],
            "-8,4",
        ),
        (
            "linear",
            &["--data", "linear", "--model", "linear:x", "--l2", "0.1"][..],
            "-2,8",
        ),
    ] {
        let run = |backend: &str| {
            let out = dir.join(format!("{case}-{backend}.npy"));
            let o = Command::new(env!("CARGO_BIN_EXE_gradscape"))
                .arg("grid")
                .args(flags)
                .args([
                    "--x-range",
                    range,
                    "--resolution",
                    "33",
                    "--backend",
                    backend,
                ])
                .args(["--out", out.to_str().unwrap()])
                .output()
                .expect("the gradscape binary runs");
            assert!(
                o.status.success(),
                "{case} {backend}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            npy_values(&std::fs::read(&out).unwrap(), 33 * 33 * 3)
        };
        let (gpu, cpu) = (run("gpu"), run("cpu"));
        let mut worst = 0.0f64;
        for (k, (g, c)) in gpu.iter().zip(&cpu).enumerate() {
            // f32 inputs and about (64 + n/64) roundings of the sum: a few ulp of the largest
            // term's scale. The component's own size sets the scale (f, ∂f/∂θ0, ∂f/∂θ1).
            let scale = cpu
                .iter()
                .skip(k % 3)
                .step_by(3)
                .fold(0.0f32, |m, v| m.max(v.abs()));
            let err = f64::from((g - c).abs()) / f64::from(scale);
            worst = worst.max(err);
            assert!(
                err < 2e-5,
                "{case} point {k}: gpu {g} cpu {c} (scale {scale})"
            );
        }
        assert!(
            worst > 0.0,
            "{case}: the GPU and CPU grids are identical: were both on the CPU?"
        );
    }
}
