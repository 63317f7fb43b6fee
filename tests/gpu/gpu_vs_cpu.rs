//! The generated WGSL, run by the grid kernel on a real device (lavapipe is enough), against the
//! f64 reference `cpu_grid::evaluate`: NaN at exactly the CPU's non-finite points, and values and
//! derivatives within a stated f32 error bound elsewhere. A missing adapter fails these tests.
//!
//! # The tolerance
//!
//! The GPU computes in f32, the reference in f64 then rounds once. How far apart they may be
//! depends on the expression, not only on the result: Goldstein–Price subtracts terms near 10⁶,
//! Rastrigin takes cos(2πx) of arguments up to 32. So each point gets a *running error bound*
//! E, computed in f64 over the same DAG the shader evaluates, in units of u = 2⁻²⁴ (f32's unit
//! roundoff), by first-order error propagation:
//!
//! - x, y: the exact distance between the GPU's coordinate (`x0 + f32(j)·dx`, all in f32, with
//!   or without a fused multiply-add) and the CPU's f64 coordinate;
//! - a constant: its rounding to f32;
//! - a ± b: E_a + E_b + |r|;  a·b: E_a|b| + E_b|a| + |r|;  a/b: (E_a + |r|E_b)/|b| + 5|r|
//!   (Vulkan allows 2.5 ulp for division);
//! - f(a): |f′(a)|·E_a (Hölder bounds instead at the infinite slopes of sqrt and cbrt) plus the
//!   builtin's own error, taken from the Vulkan precision table where it is relative
//!   (exp 3+2|a| ulp, log 3 ulp or 2⁻²¹ absolute, pow inherited from exp2(b·log2 a)) and a few
//!   ulp where Vulkan only bounds it loosely (sin, cos, atan...: see `builtin_error`);
//! - a^b: |b·a^(b−1)|·E_a + |r·ln a|·E_b plus pow's own error (or (|n|−1)|r| for the
//!   multiplication chains codegen emits for small integer exponents).
//!
//! This is the standard running error analysis (Higham, *Accuracy and Stability of Numerical
//! Algorithms*, §3.3), so it is an honest bound up to second-order terms; the test allows
//! |gpu − cpu| ≤ K·u·E + |cpu rounding| + a subnormal floor with K = 2 for those terms and for
//! driver variance. Each test prints the worst |gpu − cpu| / tolerance it saw.

use std::sync::OnceLock;

use gradscape::codegen::generate_eval;
use gradscape::cpu_grid;
use gradscape::function::Function;
use gradscape::gpu::{GpuContext, GridEvaluator, GridSpec};
use gradscape::math::{Arena, Func, Id, Node, Program, pow_const, pow_f64};
use gradscape::presets;

/// f32's unit roundoff: half an ulp of 1.
const U: f64 = f32::EPSILON as f64 / 2.0;
/// Slack on the first-order bound (second-order terms, driver variance); see the module docs.
const K: f64 = 2.0;

fn context() -> &'static GpuContext {
    static CTX: OnceLock<GpuContext> = OnceLock::new();
    CTX.get_or_init(|| {
        GpuContext::headless().unwrap_or_else(|e| {
            panic!("these tests need a GPU adapter (lavapipe is enough) and must not skip: {e}")
        })
    })
}

// ---------------------------------------------------------------------------------------------
// The running error bound.

#[derive(Clone, Copy, Debug)]
enum Op {
    Const(f64),
    X,
    Y,
    Neg(usize),
    Add(usize, usize),
    Sub(usize, usize),
    Mul(usize, usize),
    Div(usize, usize),
    /// `a^n` for a constant integer `n` with 2 ≤ |n| ≤ 8: a multiplication chain on the GPU.
    Chain(usize, i32),
    /// `a^c` for a constant `c` otherwise, through WGSL's pow (or sqrt for 0.5).
    PowConst(usize, f64),
    Pow(usize, usize),
    Call(Func, usize),
}

/// The roots of a function compiled to a flat list evaluating (value, error bound) per node.
struct Bound {
    ops: Vec<Op>,
    outputs: Vec<usize>,
}

impl Bound {
    fn new(arena: &Arena, roots: &[Id]) -> Bound {
        let mut reg: std::collections::HashMap<Id, usize> = Default::default();
        let mut ops = Vec::new();
        for &root in roots {
            let mut stack = vec![(root, false)];
            while let Some((id, expanded)) = stack.pop() {
                if reg.contains_key(&id) {
                    continue;
                }
                let node = arena.node(id);
                if arena.is_var_free(id) {
                    // Codegen folds these in f64 and rounds once, as one literal.
                    reg.insert(id, ops.len());
                    ops.push(Op::Const(fold(arena, id)));
                    continue;
                }
                if !expanded {
                    stack.push((id, true));
                    stack.extend(node.children().map(|c| (c, false)));
                    continue;
                }
                let r = |c: Id| reg[&c];
                let op = match node {
                    Node::Const(bits) => Op::Const(f64::from_bits(bits)),
                    Node::Var(v) if v.index() == 0 => Op::X,
                    Node::Var(_) => Op::Y,
                    Node::Neg(a) => Op::Neg(r(a)),
                    Node::Add(a, b) => Op::Add(r(a), r(b)),
                    Node::Sub(a, b) => Op::Sub(r(a), r(b)),
                    Node::Mul(a, b) => Op::Mul(r(a), r(b)),
                    Node::Div(a, b) => Op::Div(r(a), r(b)),
                    Node::Pow(a, b) if arena.is_var_free(b) => {
                        let c = fold(arena, b);
                        if c.fract() == 0.0 && (2.0..=8.0).contains(&c.abs()) {
                            Op::Chain(r(a), c as i32)
                        } else {
                            Op::PowConst(r(a), c)
                        }
                    }
                    Node::Pow(a, b) => Op::Pow(r(a), r(b)),
                    Node::Call(f, a) => Op::Call(f, r(a)),
                    // Presets have no data; data objectives' grids are compared in cli_grid.
                    Node::Mean(_) => Op::Const(f64::NAN),
                };
                reg.insert(id, ops.len());
                ops.push(op);
            }
        }
        let outputs = roots.iter().map(|r| reg[r]).collect();
        Bound { ops, outputs }
    }

    /// (value, error bound in units of u) of each root at (x, y), where the GPU's coordinates
    /// differ from x and y by at most `ex`, `ey` (absolute).
    fn eval_at(&self, x: f64, y: f64, ex: f64, ey: f64) -> Vec<(f64, f64)> {
        let mut v = vec![0.0; self.ops.len()];
        let mut e = vec![0.0; self.ops.len()];
        for (i, op) in self.ops.iter().enumerate() {
            let (value, error) = match *op {
                Op::Const(c) => (c, (c - f64::from(c as f32)).abs() / U),
                Op::X => (x, ex / U),
                Op::Y => (y, ey / U),
                Op::Neg(a) => (-v[a], e[a]),
                Op::Add(a, b) => {
                    let r = v[a] + v[b];
                    (r, e[a] + e[b] + r.abs())
                }
                Op::Sub(a, b) => {
                    let r = v[a] - v[b];
                    (r, e[a] + e[b] + r.abs())
                }
                Op::Mul(a, b) => {
                    let r = v[a] * v[b];
                    let err = scaled(v[b].abs(), e[a]) + scaled(v[a].abs(), e[b]) + e[a] * e[b] * U;
                    (r, err + r.abs())
                }
                Op::Div(a, b) => {
                    let r = v[a] / v[b];
                    (
                        r,
                        (e[a] + scaled(r.abs(), e[b])) / v[b].abs() + 5.0 * r.abs(),
                    )
                }
                Op::Chain(a, n) => {
                    let r = pow_f64(v[a], f64::from(n));
                    let slope = (f64::from(n) * v[a].powi(n - 1)).abs();
                    let own =
                        f64::from(n.abs() - 1) * r.abs() + if n < 0 { 5.0 * r.abs() } else { 0.0 };
                    (r, scaled(slope, e[a]) + own)
                }
                Op::PowConst(a, c) => {
                    // A real root of a negative base for an odd denominator (x^(1/3)).
                    let r = pow_const(v[a], c);
                    let err = if c == 0.5 {
                        holder(0.5 / r.abs(), e[a], 2.0) + 10.0 * r.abs()
                    } else {
                        let slope = (c * v[a].abs().powf(c - 1.0)).abs();
                        scaled(slope, e[a]) + pow_error(v[a], c, r)
                    };
                    (r, err)
                }
                Op::Pow(a, b) => {
                    let r = pow_f64(v[a], v[b]);
                    // At a zero base codegen selects 0 or 1 exactly.
                    let (slope_a, slope_b) = if v[a] == 0.0 {
                        (0.0, 0.0)
                    } else {
                        (
                            (v[b] * v[a].powf(v[b] - 1.0)).abs(),
                            (r * v[a].abs().ln()).abs(),
                        )
                    };
                    let err =
                        scaled(slope_a, e[a]) + scaled(slope_b, e[b]) + pow_error(v[a], v[b], r);
                    (r, err)
                }
                Op::Call(f, a) => {
                    let u = v[a];
                    let r = f.apply(u);
                    (r, propagated(f, u, r, e[a]) + builtin_error(f, u, r))
                }
            };
            v[i] = value;
            e[i] = error;
        }
        self.outputs.iter().map(|&o| (v[o], e[o])).collect()
    }
}

/// The f64 value of a node free of x and y, as the f64 evaluator computes it.
fn fold(arena: &Arena, id: Id) -> f64 {
    Program::compile(arena, &[id]).eval(0.0, 0.0)[0]
}

/// slope·error, with an exact input contributing nothing even where the slope is infinite.
fn scaled(slope: f64, error: f64) -> f64 {
    if error == 0.0 { 0.0 } else { slope * error }
}

/// The smaller of the linear bound and the Hölder bound |δ|^(1/p) of a p-th root.
fn holder(slope: f64, error: f64, p: f64) -> f64 {
    if error == 0.0 {
        return 0.0;
    }
    (slope * error).min((error * U).powf(1.0 / p) / U)
}

/// |f′(u)|·E_u.
fn propagated(f: Func, u: f64, r: f64, error: f64) -> f64 {
    let slope = match f {
        Func::Sin => u.cos().abs(),
        Func::Cos => u.sin().abs(),
        Func::Tan => 1.0 / (u.cos() * u.cos()),
        Func::Asin | Func::Acos => 1.0 / (1.0 - u * u).sqrt(),
        Func::Atan => 1.0 / (1.0 + u * u),
        Func::Sinh => u.cosh(),
        Func::Cosh => u.sinh().abs(),
        Func::Tanh => 1.0 - r * r,
        Func::Asinh => 1.0 / (u * u + 1.0).sqrt(),
        Func::Acosh => 1.0 / (u * u - 1.0).sqrt(),
        Func::Atanh => 1.0 / (1.0 - u * u).abs(),
        Func::Exp => r.abs(),
        Func::Ln => 1.0 / u.abs(),
        Func::Sqrt => return holder(0.5 / r.abs(), error, 2.0),
        Func::Cbrt => return holder(1.0 / (3.0 * r * r), error, 3.0),
        Func::Abs => 1.0,
        Func::Sigmoid => r * (1.0 - r),
        Func::Softplus => gradscape::math::sigmoid(u),
        // A jump of up to 2 where the argument may have changed sign, flat elsewhere.
        Func::Sign => {
            return if u.abs() <= K * error * U {
                2.0 / U
            } else {
                0.0
            };
        }
    };
    scaled(slope, error)
}

/// The builtin's own error at an exact argument, in u. Where Vulkan gives a relative precision
/// it is used (1 ulp = 2u); sin, cos, tan and the inverse trigonometric functions are bounded
/// only loosely there (2⁻¹¹ absolute, 4096 ulp), so a few ulp of the result plus a few u
/// absolute are allowed instead, which is what drivers deliver and what the test checks.
fn builtin_error(f: Func, u: f64, r: f64) -> f64 {
    let (a, r) = (u.abs(), r.abs());
    match f {
        Func::Sin | Func::Cos => 4.0 * r + 4.0,
        Func::Tan => (4.0 * r + 4.0) * (1.0 + r * r),
        Func::Asin | Func::Acos | Func::Atan => 8.0 * r + 4.0,
        // Inherited from the exp formulas: each exp term (3 + 2|a|) ulp.
        Func::Sinh | Func::Cosh => (6.0 + 4.0 * a) * u.cosh() + 2.0 * r,
        Func::Tanh => 4.0 + (6.0 + 8.0 * a) * (1.0 - r * r),
        // Inherited from log formulas; the internal u² ± 1 rounds like the argument does.
        Func::Asinh | Func::Acosh | Func::Atanh => {
            let slope = propagated(f, u, f.apply(u), 1.0);
            6.0 * r + 8.0 + 2.0 * slope * a.max(1.0)
        }
        Func::Exp => (6.0 + 4.0 * a) * r,
        Func::Ln => 6.0 * r + 8.0,
        // 1/inversesqrt: 2 + 2.5 ulp.
        Func::Sqrt => 10.0 * r,
        Func::Cbrt => 6.0 * r,
        Func::Abs | Func::Sign => 0.0,
        // Through exp(−|u|) (its 3 + 2|u| ulp) and one division or log.
        Func::Sigmoid => (6.0 + 4.0 * a) * r * (1.0 - r) + 4.0 * r,
        Func::Softplus => 6.0 * r + 8.0 + (6.0 + 4.0 * a) * (-a).exp(),
    }
}

/// pow's own error, inherited from exp2(b·log2 a): log2's 3 ulp (or 2⁻²¹ absolute) scaled by
/// |b|, then exp2's 3 + 2|b·log2 a| ulp.
fn pow_error(a: f64, b: f64, r: f64) -> f64 {
    if a == 0.0 || r == 0.0 {
        // Codegen selects 0 or 1 exactly for a zero base.
        return 0.0;
    }
    let z = (b * a.abs().log2()).abs();
    let log_error = b.abs() * (6.0 * a.abs().log2().abs() + 8.0);
    r.abs() * (std::f64::consts::LN_2 * log_error + 6.0 + 4.0 * z)
}

// ---------------------------------------------------------------------------------------------
// Running a grid on both sides and comparing.

/// The f32 coordinate the kernel computes for index `k`, furthest of the two ways a driver may
/// evaluate `x0 + f32(k) * dx` (two roundings, or one fused multiply-add), from the f64 one.
fn coordinate_error(range: (f64, f64), n: usize, k: usize, exact: f64) -> f64 {
    let x0 = range.0 as f32;
    let dx = if n > 1 {
        ((range.1 - range.0) / (n - 1) as f64) as f32
    } else {
        0.0
    };
    let separate = x0 + (k as f32) * dx;
    let fused = (f64::from(x0) + k as f64 * f64::from(dx)) as f32;
    (f64::from(separate) - exact)
        .abs()
        .max((f64::from(fused) - exact).abs())
}

struct Comparison {
    name: String,
    points: usize,
    nan_points: usize,
    /// Largest |gpu − cpu| / tolerance over every finite component.
    worst_ratio: f64,
    worst_at: String,
    /// Components where exactly one side is NaN.
    nan_mismatches: Vec<String>,
    /// Components beyond their tolerance.
    failures: Vec<String>,
}

impl Comparison {
    fn summary(&self) -> String {
        format!(
            "{}: {} points ({} with a NaN component), worst error/tolerance {:.3} at {}",
            self.name, self.points, self.nan_points, self.worst_ratio, self.worst_at
        )
    }

    /// Prints the summary; for a grid that differs, what a table-wide report says of it.
    fn failure(&self) -> Option<String> {
        println!("{}", self.summary());
        if self.nan_mismatches.is_empty() && self.failures.is_empty() {
            return None;
        }
        Some(format!(
            "{} — NaN mismatches {:?}; beyond tolerance {:?}",
            self.summary(),
            &self.nan_mismatches[..self.nan_mismatches.len().min(4)],
            &self.failures[..self.failures.len().min(4)]
        ))
    }

    fn assert_ok(&self) {
        println!("{}", self.summary());
        assert!(
            self.nan_mismatches.is_empty(),
            "{}: NaN on one side only at {} components, e.g. {:?}",
            self.name,
            self.nan_mismatches.len(),
            &self.nan_mismatches[..self.nan_mismatches.len().min(8)]
        );
        assert!(
            self.failures.is_empty(),
            "{}: {} components beyond tolerance, e.g. {:?}",
            self.name,
            self.failures.len(),
            &self.failures[..self.failures.len().min(8)]
        );
    }
}

/// Compares one point's GPU and CPU components (f, ∂f/∂x, [∂f/∂y]) against the bound.
#[allow(clippy::too_many_arguments)]
fn compare_point(
    report: &mut Comparison,
    bound: &Bound,
    gpu: [f32; 4],
    cpu: [f32; 4],
    x: f64,
    y: f64,
    ex: f64,
    ey: f64,
) {
    let outputs = bound.outputs.len();
    let mut any_nan = false;
    let mut cached: Option<Vec<(f64, f64)>> = None;
    for k in 0..4 {
        let (g, c) = (gpu[k], cpu[k]);
        if k >= outputs {
            assert_eq!(
                g, 0.0,
                "{}: unused component {k} at ({x}, {y})",
                report.name
            );
            continue;
        }
        any_nan |= c.is_nan();
        if g.is_nan() != c.is_nan() {
            report
                .nan_mismatches
                .push(format!("({x}, {y})[{k}]: gpu {g}, cpu {c}"));
            continue;
        }
        if c.is_nan() {
            continue;
        }
        let bounds = cached.get_or_insert_with(|| bound.eval_at(x, y, ex, ey));
        let (exact, error_u) = bounds[k];
        let tolerance =
            K * U * error_u + (f64::from(c) - exact).abs() + 4.0 * f64::from(f32::MIN_POSITIVE);
        let diff = (f64::from(g) - f64::from(c)).abs();
        let ratio = diff / tolerance;
        if ratio > report.worst_ratio {
            report.worst_ratio = ratio;
            report.worst_at =
                format!("({x}, {y})[{k}]: gpu {g}, cpu {c}, tolerance {tolerance:.3e}");
        }
        // False for a NaN tolerance too, which would be a bug in the bound.
        let within = diff <= tolerance;
        if !within {
            report.failures.push(format!(
                "({x}, {y})[{k}]: gpu {g}, cpu {c}, |diff| {diff:.3e} > tolerance {tolerance:.3e}"
            ));
        }
    }
    report.points += 1;
    report.nan_points += usize::from(any_nan);
}

fn new_report(name: &str) -> Comparison {
    Comparison {
        name: name.to_string(),
        points: 0,
        nan_points: 0,
        worst_ratio: 0.0,
        worst_at: "-".into(),
        nan_mismatches: Vec::new(),
        failures: Vec::new(),
    }
}

/// `function` on an n×n grid (or an n-point line for 1-D) on the GPU and with
/// `cpu_grid::evaluate`, every point compared. Returns the GPU grid as well.
fn compare_grid(
    name: &str,
    function: &Function,
    x_range: (f64, f64),
    y_range: Option<(f64, f64)>,
    n: usize,
) -> (Comparison, Vec<[f32; 4]>) {
    compare_grid_with(name, function, &function.wgsl(), x_range, y_range, n)
}

/// [`compare_grid`] for a given generated source.
fn compare_grid_with(
    name: &str,
    function: &Function,
    wgsl: &str,
    x_range: (f64, f64),
    y_range: Option<(f64, f64)>,
    n: usize,
) -> (Comparison, Vec<[f32; 4]>) {
    let ctx = context();
    let evaluator = GridEvaluator::new(ctx, wgsl)
        .unwrap_or_else(|e| panic!("{name}: the generated WGSL was refused: {e}\n{wgsl}"));
    let (spec, y_range, ny) = match y_range {
        Some(yr) => (GridSpec::square(x_range, yr, n as u32), yr, n),
        None => (GridSpec::line(x_range, n as u32), (0.0, 0.0), 1),
    };
    let gpu = evaluator
        .evaluate(&spec)
        .and_then(|out| out.read_back(ctx))
        .unwrap_or_else(|e| panic!("{name}: GPU evaluation failed: {e}"));
    let cpu = cpu_grid::evaluate(function, x_range, y_range, n, ny);
    assert_eq!(gpu.len(), cpu.len(), "{name}: grid sizes");

    let mut roots = vec![function.f_id()];
    roots.extend(function.gradient_ids());
    let bound = Bound::new(function.arena(), &roots);
    let xs = cpu_grid::axis(x_range.0, x_range.1, n);
    let ys = cpu_grid::axis(y_range.0, y_range.1, ny);
    let mut report = new_report(name);
    for (i, &y) in ys.iter().enumerate() {
        let ey = if ny > 1 {
            coordinate_error(y_range, ny, i, y)
        } else {
            0.0
        };
        for (j, &x) in xs.iter().enumerate() {
            let ex = coordinate_error(x_range, n, j, x);
            let at = i * n + j;
            compare_point(&mut report, &bound, gpu[at], cpu[at], x, y, ex, ey);
        }
    }
    (report, gpu)
}

fn range(r: [f64; 2]) -> (f64, f64) {
    (r[0], r[1])
}

#[test]
fn every_preset_matches_the_cpu_at_257() {
    let catalog = presets::catalog();
    assert!(!catalog.is_empty(), "the preset catalog is empty");
    let mut failures = Vec::new();
    for preset in catalog {
        let function = preset.function();
        let (report, _) = compare_grid(
            &preset.name,
            &function,
            range(preset.domain.x),
            preset.domain.y.map(range),
            257,
        );
        let expected_points = if preset.domain.y.is_some() {
            257 * 257
        } else {
            257
        };
        assert_eq!(report.points, expected_points);
        failures.extend(report.failure());
    }
    assert!(
        failures.is_empty(),
        "presets that differ:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_4097_grid_is_banded_and_matches_on_a_stride() {
    const N: usize = 4097;
    const STRIDE: usize = 64; // 65 × 65 points checked, the origin (index 2048) among them
    let preset = presets::catalog()
        .iter()
        .find(|p| p.name == "ackley")
        .expect("the ackley preset");
    let function = preset.function();
    let (x_range, y_range) = (range(preset.domain.x), range(preset.domain.y.expect("2-D")));
    let ctx = context();
    // Bands of at most 64 MiB whatever the adapter allows, so that banding is exercised on
    // every adapter (lavapipe binds 128 MiB, a discrete GPU often 2 GiB or more).
    const BAND_BYTES: u64 = 64 << 20;
    let evaluator = GridEvaluator::new(ctx, &function.wgsl())
        .expect("generated WGSL builds")
        .with_max_band_bytes(BAND_BYTES);
    let spec = GridSpec::square(x_range, y_range, N as u32);
    let output = evaluator.evaluate(&spec).expect("4097² evaluates");
    let bands = spec.bytes().div_ceil(BAND_BYTES) as usize;
    assert!(
        output.bands().len() >= bands && bands > 1,
        "{} bytes in {} bands: a grid beyond one binding must be banded",
        spec.bytes(),
        output.bands().len()
    );
    let gpu = output.read_back(ctx).expect("read back");
    assert_eq!(gpu.len(), N * N);

    let mut roots = vec![function.f_id()];
    roots.extend(function.gradient_ids());
    let bound = Bound::new(function.arena(), &roots);
    let xs = cpu_grid::axis(x_range.0, x_range.1, N);
    let ys = cpu_grid::axis(y_range.0, y_range.1, N);
    let mut report = new_report("ackley 4097² (every 64th row and column)");
    for i in (0..N).step_by(STRIDE) {
        for j in (0..N).step_by(STRIDE) {
            let (x, y) = (xs[j], ys[i]);
            let (v, g) = function.value_and_gradient(&[x, y]);
            let round = |w: f64| {
                if (w as f32).is_finite() {
                    w as f32
                } else {
                    f32::NAN
                }
            };
            let cpu = [round(v), round(g[0]), round(g[1]), 0.0];
            let (ex, ey) = (
                coordinate_error(x_range, N, j, x),
                coordinate_error(y_range, N, i, y),
            );
            compare_point(&mut report, &bound, gpu[i * N + j], cpu, x, y, ex, ey);
        }
    }
    assert_eq!(report.points, 65 * 65);
    // The gradient of Ackley's sqrt(x²+y²) term is 0/0 at the origin.
    assert!(gpu[2048 * N + 2048][1].is_nan(), "∂f/∂x at the origin");
    report.assert_ok();
}

// ---------------------------------------------------------------------------------------------
// Domains, singular points and discontinuities.

fn check(expr: &str, x_range: (f64, f64), y_range: Option<(f64, f64)>, n: usize) -> Vec<[f32; 4]> {
    let function = Function::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let (report, gpu) = compare_grid(expr, &function, x_range, y_range, n);
    report.assert_ok();
    gpu
}

#[test]
fn ln_is_nan_exactly_at_non_positive_x() {
    let gpu = check("ln(x)", (-1.0, 1.0), None, 257);
    let xs = cpu_grid::axis(-1.0, 1.0, 257);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0].is_nan(), x <= 0.0, "ln({x}) = {}", p[0]);
        assert_eq!(p[1].is_nan(), x == 0.0, "1/x at {x} = {}", p[1]);
    }
}

#[test]
fn reciprocal_is_nan_only_at_zero() {
    let gpu = check("1/x", (-1.0, 1.0), None, 257);
    let xs = cpu_grid::axis(-1.0, 1.0, 257);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0].is_nan(), x == 0.0, "1/{x} = {}", p[0]);
        assert_eq!(p[1].is_nan(), x == 0.0, "-1/x² at {x} = {}", p[1]);
    }
}

#[test]
fn sqrt_at_zero_has_a_value_but_no_derivative() {
    let gpu = check("sqrt(x)", (-1.0, 1.0), None, 257);
    let xs = cpu_grid::axis(-1.0, 1.0, 257);
    let zero = xs
        .iter()
        .position(|&x| x == 0.0)
        .expect("0 is a grid point");
    assert_eq!(gpu[zero][0], 0.0);
    assert!(gpu[zero][1].is_nan(), "sqrt'(0) = {}", gpu[zero][1]);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0].is_nan(), x < 0.0, "sqrt({x}) = {}", p[0]);
    }
}

#[test]
fn powers_of_negative_bases_need_integer_exponents() {
    // dy = 1/32: nine rows hold integer exponents, the rest do not.
    let gpu = check("x^y", (-2.0, 2.0), Some((-4.0, 4.0)), 257);
    let xs = cpu_grid::axis(-2.0, 2.0, 257);
    let ys = cpu_grid::axis(-4.0, 4.0, 257);
    let mut negative_base_integer = 0;
    for (i, &y) in ys.iter().enumerate() {
        for (j, &x) in xs.iter().enumerate() {
            let v = gpu[i * 257 + j][0];
            if x < 0.0 && y.fract() == 0.0 {
                negative_base_integer += 1;
                let odd = y.rem_euclid(2.0) == 1.0;
                assert!(v.is_finite() && (v < 0.0) == odd, "({x})^{y} = {v}");
            }
            if x < 0.0 && y.fract() != 0.0 {
                assert!(v.is_nan(), "({x})^{y} = {v}");
            }
            if x == 0.0 {
                let want = if y > 0.0 {
                    Some(0.0)
                } else if y == 0.0 {
                    Some(1.0)
                } else {
                    None
                };
                match want {
                    Some(w) => assert_eq!(v, w, "0^{y}"),
                    None => assert!(v.is_nan(), "0^{y} = {v}"),
                }
            }
        }
    }
    assert_eq!(negative_base_integer, 9 * 128);
    // Constant exponents, integer and not, odd and even, chained and through pow.
    check("x^3 + x^-2 + x^11 + x^-12", (-2.0, 2.0), None, 257);
    check("(x-1)^0.5 + x^1.5 + x^-0.25", (-2.0, 3.0), None, 257);
    check("2^x + e^x + 3^x", (-3.0, 3.0), None, 257);
    check("(-2)^x", (-3.0, 3.0), None, 257);
    check("0^x", (-3.0, 3.0), None, 257);
}

#[test]
fn odd_roots_written_as_fractions_are_real_for_negative_bases() {
    // x^(1/3) is cbrt; x^(2/3) the textbook cusp, even in x; both with their derivatives, which
    // are powers of odd denominator too (2/3·x^(−1/3)).
    let gpu = check("x^(1/3)", (-8.0, 8.0), None, 257);
    let xs = cpu_grid::axis(-8.0, 8.0, 257);
    assert_eq!(gpu[0][0], -2.0);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0] < 0.0, x < 0.0, "({x})^(1/3) = {}", p[0]);
        assert_eq!(p[1].is_nan(), x == 0.0, "slope at {x} = {}", p[1]);
    }
    let gpu = check("x^(2/3)", (-8.0, 8.0), None, 257);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert!(p[0] >= 0.0, "({x})^(2/3) = {}", p[0]);
        if x != 0.0 {
            assert_eq!(p[1] < 0.0, x < 0.0, "slope at {x} = {}", p[1]);
        }
    }
    check(
        "x^(-1/3) + x^(3/5)*y + (x*y)^(4/7)",
        (-2.0, 2.0),
        Some((-2.0, 2.0)),
        129,
    );
    // An even denominator stays undefined for a negative base, on both sides.
    let gpu = check("x^(1/2) + x^(3/4)", (-1.0, 1.0), None, 257);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0].is_nan(), x < 0.0, "at {x}: {}", p[0]);
    }
}

#[test]
fn cbrt_of_negatives_is_negative() {
    let gpu = check("cbrt(x)", (-8.0, 8.0), None, 257);
    let xs = cpu_grid::axis(-8.0, 8.0, 257);
    assert_eq!(gpu[0][0], -2.0);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0] < 0.0, x < 0.0, "cbrt({x}) = {}", p[0]);
        assert_eq!(p[1].is_nan(), x == 0.0, "cbrt'({x}) = {}", p[1]);
    }
    check(
        "cbrt(x*y) + cbrt(x - 1000)",
        (-8.0, 8.0),
        Some((-8.0, 8.0)),
        129,
    );
}

#[test]
fn asin_is_nan_outside_its_domain() {
    let gpu = check("asin(x) + acos(x/2)", (-2.0, 2.0), None, 257);
    let xs = cpu_grid::axis(-2.0, 2.0, 257);
    for (p, &x) in gpu.iter().zip(&xs) {
        assert_eq!(p[0].is_nan(), x.abs() > 1.0, "asin({x}) = {}", p[0]);
        assert_eq!(p[1].is_nan(), x.abs() >= 1.0, "asin'({x}) = {}", p[1]);
    }
}

#[test]
fn sign_is_zero_at_zero_and_abs_sign_xy_is_flat() {
    let gpu = check("sign(x)", (-1.0, 1.0), None, 257);
    assert_eq!(gpu[128][0], 0.0);
    assert_eq!((gpu[0][0], gpu[256][0]), (-1.0, 1.0));
    let gpu = check("abs(sign(x*y))", (-1.0, 1.0), Some((-1.0, 1.0)), 257);
    for (k, p) in gpu.iter().enumerate() {
        let on_axis = k / 257 == 128 || k % 257 == 128;
        assert_eq!(p[0], if on_axis { 0.0 } else { 1.0 }, "point {k}");
        assert_eq!((p[1], p[2]), (0.0, 0.0), "point {k}");
    }
}

#[test]
fn every_function_alone_is_accurate() {
    let cases = [
        ("sin(x)", (-10.0, 10.0)),
        ("cos(x)", (-10.0, 10.0)),
        ("tan(x)", (-1.5, 1.5)),
        ("asin(x)", (-1.0, 1.0)),
        ("acos(x)", (-1.0, 1.0)),
        ("atan(x)", (-10.0, 10.0)),
        ("sinh(x)", (-10.0, 10.0)),
        ("cosh(x)", (-10.0, 10.0)),
        ("tanh(x)", (-10.0, 10.0)),
        ("asinh(x)", (-100.0, 100.0)),
        ("acosh(x)", (1.0, 100.0)),
        ("atanh(x)", (-1.0, 1.0)),
        ("exp(x)", (-20.0, 20.0)),
        ("ln(x)", (0.0, 100.0)),
        ("sqrt(x)", (0.0, 100.0)),
        ("cbrt(x)", (-100.0, 100.0)),
        ("abs(x)", (-1.0, 1.0)),
        ("sign(x)", (-1.0, 1.0)),
    ];
    let mut failures = Vec::new();
    for (expr, x_range) in cases {
        let function = Function::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let (report, _) = compare_grid(expr, &function, x_range, None, 1025);
        failures.extend(report.failure());
    }
    assert!(
        failures.is_empty(),
        "functions that differ:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_function_and_its_domain() {
    check(
        "sin(x) + cos(x) + tan(x) + atan(x) + sinh(x) + cosh(x) + tanh(x) + asinh(x) + exp(x) + abs(x)",
        (-1.4, 1.4),
        None,
        257,
    );
    check(
        "acosh(x) + atanh(x - 2) + ln(x) + sqrt(x - 1)",
        (0.0, 4.0),
        None,
        257,
    );
    // Large arguments: tanh saturates without overflowing, exp overflows to NaN where f32 does.
    check(
        "tanh(x) + tanh(x*y)",
        (-100.0, 100.0),
        Some((-3.0, 3.0)),
        129,
    );
    check("exp(x)", (80.0, 100.0), None, 257);
}

#[test]
fn a_sum_of_500_terms_builds_and_matches() {
    let src = (1..=500)
        .map(|k| format!("sin({k}*x + y/{k})*exp(-(x-{k}/100)^2)"))
        .collect::<Vec<_>>()
        .join(" + ");
    let function = Function::parse(&src).expect("parses");
    // gs_eval alone: the full module's Hessian would add half a minute of driver compile time
    // on lavapipe (its naga validation is tested in src/codegen).
    let arena = function.arena();
    let wgsl = generate_eval(arena, function.f_id(), function.gradient_ids()).expect("valid roots");
    let started = std::time::Instant::now();
    let (report, _) = compare_grid_with(
        "500 terms",
        &function,
        &wgsl,
        (-1.0, 6.0),
        Some((-1.0, 1.0)),
        33,
    );
    println!(
        "500 terms: built, ran and compared in {:?}",
        started.elapsed()
    );
    report.assert_ok();
}
