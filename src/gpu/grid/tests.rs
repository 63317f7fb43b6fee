//! The grid kernel on a device: values against f64, NaN where undefined, bands bit for bit
//! against one band, buffer reuse, the pipeline cache and the limits that refuse a grid.

use super::*;
use crate::gpu::layout::GridPoint;

/// sin(x·y) and its gradient, as the code generator would write it.
const SIN_XY: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let t = x * y; let c = cos(t); return vec4<f32>(sin(t), y * c, x * c, 0.0); }";
/// The same, with w = 1 so that a point the dispatch never wrote (left zero) shows.
const SIN_XY_W1: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let t = x * y; let c = cos(t); return vec4<f32>(sin(t), y * c, x * c, 1.0); }";
/// ln(x), NaN for x <= 0.
const LN_X: &str = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let ok = x > 0.0; return select(vec4<f32>(gs_nan()), vec4<f32>(log(x), 1.0 / x, 0.0, 0.0), ok); }";

fn context() -> GpuContext {
    // No adapter must fail the test, never skip it.
    GpuContext::headless().expect("a GPU adapter (install mesa-vulkan-drivers for lavapipe)")
}

/// Error bound for sin(x·y) at a grid point, with the f64 reference `[f, fx, fy]`.
///
/// On the grids used here (ranges ±3, steps 6/256 and 6/4096) every x_j and y_i is exact
/// in f32, so the device adds only (a) the rounding of t = x·y, ≤ 2^-24·|t|, which moves
/// sin and cos by at most as much, and (b) its own sin/cos error, measured at ≈1.4e-6
/// absolute on llvmpipe (TOOLCHAIN.md §2). Allowing 2e-6 for (b) and twice (a) gives
/// `base`; the derivatives multiply cos(t) by y or x (one more rounding), hence the
/// factor (1 + |y|) or (1 + |x|).
fn sin_xy_tolerance(x: f64, y: f64) -> [f64; 3] {
    let base = 2e-6 + 2f64.powi(-23) * (x * y).abs();
    [base, base * (1.0 + y.abs()), base * (1.0 + x.abs())]
}

fn sin_xy_reference(x: f64, y: f64) -> [f64; 3] {
    let t = x * y;
    [t.sin(), y * t.cos(), x * t.cos()]
}

/// Returns the largest error/tolerance ratio over the given points (fails above 1).
fn check_sin_xy(
    spec: &GridSpec,
    points: &[GridPoint],
    indices: impl Iterator<Item = (u32, u32)>,
) -> f64 {
    let mut worst: f64 = 0.0;
    for (i, j) in indices {
        let (x, y) = (spec.x(j), spec.y(i));
        let got = points[i as usize * spec.nx as usize + j as usize];
        let want = sin_xy_reference(x, y);
        let tol = sin_xy_tolerance(x, y);
        for k in 0..3 {
            let error = (f64::from(got[k]) - want[k]).abs();
            assert!(
                error <= tol[k],
                "component {k} at row {i}, column {j} (x={x}, y={y}): gpu {} vs f64 {} (error {error:e} > {:e})",
                got[k],
                want[k],
                tol[k]
            );
            worst = worst.max(error / tol[k]);
        }
    }
    worst
}

#[test]
fn sin_xy_257_matches_f64() {
    let ctx = context();
    let evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
    let spec = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), 257);
    let output = evaluator.evaluate(&spec).expect("evaluate");
    let points = output.read_back(&ctx).expect("read back");
    assert_eq!(points.len(), 257 * 257);
    let all = (0..spec.ny).flat_map(|i| (0..spec.nx).map(move |j| (i, j)));
    let worst = check_sin_xy(&spec, &points, all);
    eprintln!("sin(xy) 257²: worst error / tolerance = {worst:.3}");
    assert!(points.iter().all(|p| p[3] == 0.0));
}

#[test]
fn ln_x_1d_is_nan_exactly_where_x_is_not_positive() {
    let ctx = context();
    let evaluator = GridEvaluator::new(&ctx, LN_X).expect("valid kernel");
    let spec = GridSpec::line((-1.0, 1.0), 201);
    let points = evaluator
        .evaluate(&spec)
        .and_then(|output| output.read_back(&ctx))
        .expect("evaluate and read back");
    assert_eq!(points.len(), 201);
    for (j, point) in points.iter().enumerate() {
        let x = spec.x(j as u32);
        if x <= 0.0 {
            assert!(point[..3].iter().all(|v| v.is_nan()), "x={x}: {point:?}");
        } else {
            assert!(point[..3].iter().all(|v| v.is_finite()), "x={x}: {point:?}");
            let (f, df) = (f64::from(point[0]), f64::from(point[1]));
            assert!(
                (f - x.ln()).abs() <= 1e-6 * (1.0 + x.ln().abs()),
                "x={x}: f={f}"
            );
            assert!((df - 1.0 / x).abs() <= 1e-6 / x, "x={x}: f'={df}");
        }
    }
}

#[test]
fn non_finite_results_become_nan() {
    let ctx = context();
    // 1/x is +inf at x = 0 and exp(x) overflows f32: both must come out as NaN.
    let generated = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(1.0 / x, exp(x * 100.0), -exp(x * 100.0), 0.0); }";
    let evaluator = GridEvaluator::new(&ctx, generated).expect("valid kernel");
    let spec = GridSpec::line((-1.0, 1.0), 3);
    let points = evaluator.evaluate(&spec).unwrap().read_back(&ctx).unwrap();
    assert!(points[1][0].is_nan(), "1/0: {:?}", points[1]);
    assert!(
        points[2][1].is_nan() && points[2][2].is_nan(),
        "{:?}",
        points[2]
    );
    assert!(
        points[0][0] == -1.0 && points[0][1] == 0.0,
        "{:?}",
        points[0]
    );
}

fn same_bits(a: &[GridPoint], b: &[GridPoint]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(p, q)| {
            p.iter()
                .zip(q)
                .all(|(u, v)| u.to_bits() == v.to_bits() || (u.is_nan() && v.is_nan()))
        })
}

#[test]
fn packed_points_in_small_bands_match_vec4_points_bit_for_bit() {
    let ctx = context();
    // ln(x)·y and its gradient, NaN where x <= 0, so holes travel through the packing too.
    let generated = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { let ok = x > 0.0; \
         return select(vec4<f32>(gs_nan()), vec4<f32>(log(x) * y, y / x, log(x), 1.0), ok); }";
    // 300 rows: 18 runs of 16 rows and a run of 12 in each invocation's loop.
    let spec = GridSpec::square((-1.0, 3.0), (-2.0, 2.5), 300);
    let vec4 = GridEvaluator::new(&ctx, generated).expect("valid kernel");
    let packed = GridEvaluator::with_layout(&ctx, generated, GridLayout::Packed)
        .expect("valid kernel")
        .with_max_band_bytes(64 * 1024);
    let vec4_output = vec4.evaluate(&spec).unwrap();
    let packed_output = packed.evaluate(&spec).unwrap();
    assert_eq!(packed_output.layout(), GridLayout::Packed);
    assert_eq!(packed_output.byte_size(), 300 * 300 * 12);
    let bands = packed_output.bands();
    assert!(bands.len() > 10, "expected many bands, got {bands:?}");
    let alignment = u64::from(ctx.limits().min_storage_buffer_offset_alignment);
    for band in bands {
        assert_eq!(band.byte_offset(spec.nx, GridLayout::Packed) % alignment, 0);
        assert!(band.byte_size(spec.nx, GridLayout::Packed) <= 64 * 1024);
    }
    let want: Vec<GridPoint> = vec4_output
        .read_back(&ctx)
        .unwrap()
        .into_iter()
        .map(|[f, fx, fy, w]| {
            assert!(w == 1.0 || w.is_nan(), "every point was written");
            [f, fx, fy, 0.0]
        })
        .collect();
    let got = packed_output.read_back(&ctx).unwrap();
    assert!(got.iter().any(|p| p[0].is_nan()) && got.iter().any(|p| p[0].is_finite()));
    assert!(same_bits(&want, &got), "packed and vec4 grids differ");
}

#[test]
fn forced_small_bands_match_one_band_bit_for_bit() {
    let ctx = context();
    let spec = GridSpec::square((-3.0, 3.0), (-2.0, 2.5), 300);
    let whole = GridEvaluator::new(&ctx, SIN_XY_W1).expect("valid kernel");
    let banded = GridEvaluator::new(&ctx, SIN_XY_W1)
        .expect("valid kernel")
        .with_max_band_bytes(64 * 1024);
    let whole_output = whole.evaluate(&spec).unwrap();
    let banded_output = banded.evaluate(&spec).unwrap();
    assert_eq!(whole_output.bands().len(), 1);
    let bands = banded_output.bands();
    assert!(bands.len() > 10, "expected many bands, got {bands:?}");
    let alignment = u64::from(ctx.limits().min_storage_buffer_offset_alignment);
    for band in bands {
        assert_eq!(
            band.byte_offset(spec.nx, GridLayout::Vec4) % alignment,
            0,
            "{band:?}"
        );
        assert!(
            band.byte_size(spec.nx, GridLayout::Vec4) <= 64 * 1024,
            "{band:?}"
        );
    }
    let a = whole_output.read_back(&ctx).unwrap();
    let b = banded_output.read_back(&ctx).unwrap();
    assert!(b.iter().all(|p| p[3] == 1.0), "every point was written");
    assert!(same_bits(&a, &b), "banded and unbanded grids differ");
}

#[test]
fn grid_4097_squared_is_split_into_bands_and_correct() {
    let ctx = context();
    let evaluator = GridEvaluator::new(&ctx, SIN_XY_W1).expect("valid kernel");
    let n = 4097;
    let spec = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), n);
    assert!(spec.bytes() > 128 << 20);
    let started = std::time::Instant::now();
    let output = evaluator.evaluate(&spec).expect("evaluate");
    let points = output.read_back(&ctx).expect("read back");
    let elapsed = started.elapsed();
    let bands = output.bands().to_vec();
    let binding_limit = ctx.limits().max_storage_buffer_binding_size;
    if spec.bytes() > binding_limit {
        assert!(bands.len() >= 2, "{bands:?}");
    }
    assert_eq!(bands.iter().map(|b| b.rows).sum::<u32>(), n);
    eprintln!(
        "sin(xy) {n}²: {} bands {bands:?}, evaluate + read back {:.0} ms ({})",
        bands.len(),
        elapsed.as_secs_f64() * 1e3,
        ctx.adapter_summary()
    );

    // Every point was written (w = 1), and a few hundred are checked against f64: the
    // rows on both sides of each band boundary, the corners, and pseudo-random points.
    assert!(
        points.iter().all(|p| p[3] == 1.0),
        "some points were never written"
    );
    let mut samples: Vec<(u32, u32)> = Vec::new();
    for band in &bands {
        for i in [
            band.row0.saturating_sub(1),
            band.row0,
            band.row0 + band.rows - 1,
        ] {
            samples.extend([0, 1, n / 2, n - 2, n - 1].map(|j| (i, j)));
        }
    }
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        // xorshift64: deterministic, dependency-free sampling.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        samples.push((
            (state % u64::from(n)) as u32,
            ((state >> 32) % u64::from(n)) as u32,
        ));
    }
    let worst = check_sin_xy(&spec, &points, samples.into_iter());
    eprintln!("sin(xy) {n}²: worst error / tolerance on samples = {worst:.3}");
}

#[test]
fn evaluate_into_reuses_the_buffer_and_follows_a_new_domain() {
    let ctx = context();
    let evaluator = GridEvaluator::new(&ctx, SIN_XY).unwrap();
    let first = GridSpec::square((-3.0, 3.0), (-3.0, 3.0), 33);
    let mut output = evaluator.evaluate(&first).unwrap();
    let moved = GridSpec::square((-1.0, 2.0), (0.0, 1.0), 33);
    let before = output.buffer().clone();
    evaluator.evaluate_into(&moved, &mut output).unwrap();
    assert_eq!(output.buffer(), &before, "same size: the buffer is reused");
    assert_eq!(output.spec(), &moved);
    let fresh = evaluator.evaluate(&moved).unwrap().read_back(&ctx).unwrap();
    assert_eq!(output.read_back(&ctx).unwrap(), fresh);
    let bigger = GridSpec::square((-1.0, 2.0), (0.0, 1.0), 40);
    evaluator.evaluate_into(&bigger, &mut output).unwrap();
    assert_eq!(output.read_back(&ctx).unwrap().len(), 40 * 40);
}

#[test]
fn pipeline_is_rebuilt_only_for_a_new_source() {
    let ctx = context();
    let mut evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
    assert_eq!(evaluator.pipeline_builds(), 1);
    evaluator.set_source(SIN_XY).unwrap();
    // Equal text in another allocation: the cache compares contents.
    let same_text = SIN_XY.to_string();
    evaluator.set_source(&same_text).unwrap();
    assert_eq!(evaluator.pipeline_builds(), 1);
    evaluator.set_source(LN_X).unwrap();
    assert_eq!(evaluator.pipeline_builds(), 2);
    assert_eq!(evaluator.source(), LN_X);
    evaluator.set_source(LN_X).unwrap();
    assert_eq!(evaluator.pipeline_builds(), 2);
    // The new pipeline is the one that runs.
    let points = evaluator
        .evaluate(&GridSpec::line((-1.0, 1.0), 3))
        .unwrap()
        .read_back(&ctx)
        .unwrap();
    assert!(points[0][0].is_nan() && points[2][0] == 0.0, "{points:?}");
}

#[test]
fn invalid_source_is_an_error_and_keeps_the_old_pipeline() {
    let ctx = context();
    let broken = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return vec4<f32>(x); ";
    let error = GridEvaluator::new(&ctx, broken)
        .err()
        .expect("must not compile");
    assert!(matches!(error, ShaderError::Parse { .. }), "{error}");

    let missing = "fn not_gs_eval(x: f32) -> f32 { return x; }";
    let error = GridEvaluator::new(&ctx, missing)
        .err()
        .expect("must not compile");
    assert!(error.to_string().contains("gs_eval"), "{error}");

    let mut evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
    let wrong_type = "fn gs_eval(x: f32, y: f32) -> vec4<f32> { return x; }";
    assert!(evaluator.set_source(wrong_type).is_err());
    assert_eq!(evaluator.source(), SIN_XY);
    assert_eq!(evaluator.pipeline_builds(), 1);
    let points = evaluator
        .evaluate(&GridSpec::square((0.5, 1.0), (0.5, 1.0), 2))
        .unwrap()
        .read_back(&ctx)
        .unwrap();
    assert!((points[3][0] - 1f32.sin()).abs() < 1e-6, "{points:?}");
}

#[test]
fn grid_beyond_max_buffer_size_is_refused_with_the_limit_named() {
    let ctx = context();
    let evaluator = GridEvaluator::new(&ctx, SIN_XY).expect("valid kernel");
    let spec = GridSpec::square((-1.0, 1.0), (-1.0, 1.0), 1 << 16); // 64 GiB
    let error = evaluator.evaluate(&spec).unwrap_err();
    assert!(matches!(
        error,
        GpuError::TooLarge {
            limit_name: "max_buffer_size",
            ..
        }
    ));
    assert!(error.to_string().contains("max_buffer_size"), "{error}");
}
