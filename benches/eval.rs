//! The flat f64 evaluator against the same formulas written by hand in Rust: f + ∇f of
//! sin(x*y) and Rosenbrock over a 1024² grid, single-threaded. Target: within 3× of hand-written.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gradscape::cpu_grid::axis;
use gradscape::function::Function;

const N: usize = 1024;

fn evaluator(function: &Function, xs: &[f64], ys: &[f64], out: &mut [Vec<f64>]) {
    let program = function.value_grad_program();
    let mut regs = Vec::new();
    let mut row_y = vec![0.0; xs.len()];
    let mut acc = 0.0;
    for &y in ys {
        row_y.fill(y);
        let mut slices: Vec<&mut [f64]> = out.iter_mut().map(|v| v.as_mut_slice()).collect();
        program.eval_batch(xs, &row_y, &mut regs, &mut slices);
        acc += out[0][0];
    }
    black_box(acc);
}

fn hand_sin_xy(xs: &[f64], ys: &[f64], out: &mut [Vec<f64>]) {
    let mut acc = 0.0;
    for &y in ys {
        for (j, &x) in xs.iter().enumerate() {
            let t = x * y;
            let c = t.cos();
            out[0][j] = t.sin();
            out[1][j] = y * c;
            out[2][j] = x * c;
        }
        acc += out[0][0];
    }
    black_box(acc);
}

fn hand_rosenbrock(xs: &[f64], ys: &[f64], out: &mut [Vec<f64>]) {
    let mut acc = 0.0;
    for &y in ys {
        for (j, &x) in xs.iter().enumerate() {
            let d = y - x * x;
            out[0][j] = (1.0 - x) * (1.0 - x) + 100.0 * d * d;
            out[1][j] = -2.0 * (1.0 - x) - 400.0 * x * d;
            out[2][j] = 200.0 * d;
        }
        acc += out[0][0];
    }
    black_box(acc);
}

type HandWritten = fn(&[f64], &[f64], &mut [Vec<f64>]);

fn bench(c: &mut Criterion) {
    let cases: [(&str, &str, (f64, f64), HandWritten); 2] = [
        ("sin_xy", "sin(x*y)", (-3.0, 3.0), hand_sin_xy),
        (
            "rosenbrock",
            "(1-x)^2 + 100(y-x^2)^2",
            (-2.0, 2.0),
            hand_rosenbrock,
        ),
    ];
    for (name, expr, range, hand) in cases {
        let function = Function::parse(expr).expect("benchmark expressions are valid");
        let xs = axis(range.0, range.1, N);
        let ys = axis(range.0, range.1, N);
        let mut out = vec![vec![0.0; N]; 3];
        let mut group = c.benchmark_group(format!("f_and_grad_{name}_1024sq"));
        group.sample_size(10);
        group.bench_function("evaluator", |b| {
            b.iter(|| evaluator(&function, &xs, &ys, &mut out))
        });
        group.bench_function("hand_written", |b| b.iter(|| hand(&xs, &ys, &mut out)));
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
