//! The CPU reference grid: f and ∇f over a regular grid with the f64 evaluator, in parallel
//! (rayon), rounded to f32 in the same [f, ∂f/∂x, ∂f/∂y, 0] layout the GPU kernel writes.

use rayon::prelude::*;

use crate::function::Function;

/// The grid's sample coordinates: `n` points from `a` to `b` inclusive, x_j = a + j·(b−a)/(n−1)
/// computed in that order, as ../shared/CLI.md writes it and `gpu::GridSpec::x` computes it.
/// One point sits at `a`.
pub fn axis(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n <= 1 {
        return vec![a; n];
    }
    (0..n)
        .map(|j| a + j as f64 * (b - a) / (n - 1) as f64)
        .collect()
}

/// f and ∇f at every point of an `nx × ny` grid, row i (y_i) major, column j (x_j) minor.
/// A 1-D function fills (f, f′, 0, 0) and ignores y. Values that are not finite after rounding
/// to f32 become NaN, exactly as on the GPU.
pub fn evaluate(
    function: &Function,
    x_range: (f64, f64),
    y_range: (f64, f64),
    nx: usize,
    ny: usize,
) -> Vec<[f32; 4]> {
    let xs = axis(x_range.0, x_range.1, nx);
    let ys = axis(y_range.0, y_range.1, ny);
    evaluate_rows(function, &xs, &ys)
}

/// Like [`evaluate`], at the given coordinates: row i at `ys[i]`, column j at `xs[j]`. Lets a
/// caller evaluate a large grid a few rows at a time with the whole grid's coordinates.
pub fn evaluate_rows(function: &Function, xs: &[f64], ys: &[f64]) -> Vec<[f32; 4]> {
    let mut grid = vec![[0.0f32; 4]; xs.len() * ys.len()];
    fill_rows(function, xs, ys, 4, grid.as_flattened_mut());
    grid
}

/// The points of rows `ys` over columns `xs` into `out`, `stride` floats a point: f and its
/// derivatives (`[f, f′]` for a 1-D function, `[f, ∂f/∂x, ∂f/∂y]` for a 2-D one), the rest of
/// each point's floats zero. With `stride` equal to the output count (2 or 3) this is the .npy's
/// layout; with 4, [`evaluate`]'s. `out` is written in place, so a caller streaming a large grid
/// reuses one buffer and pays for its pages once.
///
/// # Panics
/// If `out.len() != xs.len() * ys.len() * stride` or `stride` is below the output count.
pub fn fill_rows(function: &Function, xs: &[f64], ys: &[f64], stride: usize, out: &mut [f32]) {
    let nx = xs.len();
    let program = function.value_grad_program();
    let outputs = program.output_count();
    assert!(
        stride >= outputs,
        "fill_rows: stride {stride} < {outputs} outputs"
    );
    assert_eq!(
        out.len(),
        nx * ys.len() * stride,
        "fill_rows: wrong buffer size"
    );
    if nx == 0 {
        return;
    }
    let domain = function.domain_program();
    out.par_chunks_mut(nx * stride)
        .zip(ys.par_iter())
        .for_each_init(
            || {
                (
                    Vec::new(),
                    vec![0.0; nx * outputs],
                    vec![0.0; nx],
                    vec![0.0; nx],
                )
            },
            |(regs, scratch, row_y, typed), (row, &y)| {
                row_y.fill(y);
                let mut columns: Vec<&mut [f64]> = scratch.chunks_mut(nx).collect();
                program.eval_batch(xs, row_y, regs, &mut columns);
                // Where the expression as typed is undefined (x/x at 0), a hole.
                let holes = domain.map(|domain| {
                    domain.eval_batch(xs, row_y, regs, &mut [typed.as_mut_slice()]);
                    &*typed
                });
                for (j, point) in row.chunks_exact_mut(stride).enumerate() {
                    let hole = holes.is_some_and(|typed| typed[j].is_nan());
                    let (values, rest) = point.split_at_mut(outputs);
                    for (slot, column) in values.iter_mut().zip(&columns) {
                        *slot = if hole {
                            f32::NAN
                        } else {
                            finite_or_nan(column[j] as f32)
                        };
                    }
                    rest.fill(0.0);
                }
            },
        );
}

fn finite_or_nan(v: f32) -> f32 {
    if v.is_finite() { v } else { f32::NAN }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_has_both_ends_and_n_points() {
        assert_eq!(axis(-1.0, 1.0, 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(axis(2.0, 3.0, 1), vec![2.0]);
        assert!(axis(0.0, 1.0, 0).is_empty());
    }

    #[test]
    fn grid_matches_pointwise_evaluation_and_marks_nan() {
        let f = Function::parse("ln(x) * y").unwrap();
        let grid = evaluate(&f, (-1.0, 1.0), (0.0, 2.0), 9, 3);
        let xs = axis(-1.0, 1.0, 9);
        let ys = axis(0.0, 2.0, 3);
        for (i, &y) in ys.iter().enumerate() {
            for (j, &x) in xs.iter().enumerate() {
                let p = grid[i * 9 + j];
                let (v, g) = f.value_and_gradient(&[x, y]);
                let want = [v, g[0], g[1]].map(|w| if w.is_finite() { w as f32 } else { f32::NAN });
                for k in 0..3 {
                    assert!(
                        p[k] == want[k] || (p[k].is_nan() && want[k].is_nan()),
                        "({x},{y})[{k}]: {p:?} vs {want:?}"
                    );
                }
                // ln(x) is not finite for x <= 0, so neither is the value there.
                assert_eq!(p[0].is_nan(), x <= 0.0);
                assert_eq!(p[3], 0.0);
            }
        }
    }

    #[test]
    fn packed_rows_are_the_vec4_points_without_their_padding() {
        for (expr, outputs) in [("ln(x) * y + x/x", 3), ("sqrt(x)", 2)] {
            let f = Function::parse(expr).unwrap();
            let xs = axis(-1.0, 2.0, 13);
            let ys = axis(-0.5, 1.5, 5);
            let vec4 = evaluate_rows(&f, &xs, &ys);
            // A reused buffer: stale values from a first fill must all be overwritten.
            let mut packed = vec![7.0f32; 13 * 5 * outputs];
            fill_rows(&f, &xs, &ys, outputs, &mut packed);
            let mut holes = 0;
            for (p, q) in vec4.iter().zip(packed.chunks_exact(outputs)) {
                for k in 0..outputs {
                    assert!(p[k].to_bits() == q[k].to_bits(), "{expr}: {p:?} vs {q:?}");
                }
                assert!(p[outputs..].iter().all(|&v| v == 0.0), "{p:?}");
                holes += usize::from(p[0].is_nan());
            }
            // x/x at 0 and ln, sqrt of negatives: holes, and not everywhere.
            assert!(holes > 0 && holes < 13 * 5, "{expr}: {holes} holes");
        }
    }

    #[test]
    fn one_d_fills_value_and_derivative() {
        let f = Function::parse("x^2").unwrap();
        let grid = evaluate(&f, (0.0, 2.0), (0.0, 0.0), 3, 1);
        assert_eq!(
            grid,
            vec![
                [0.0, 0.0, 0.0, 0.0],
                [1.0, 2.0, 0.0, 0.0],
                [4.0, 4.0, 0.0, 0.0]
            ]
        );
    }
}
