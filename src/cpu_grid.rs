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
    let nx = xs.len();
    let program = function.value_grad_program();
    let outputs = program.output_count();
    let mut grid = vec![[0.0f32; 4]; nx * ys.len()];
    if nx == 0 {
        return grid;
    }
    grid.par_chunks_mut(nx).zip(ys.par_iter()).for_each_init(
        || (Vec::new(), vec![0.0; nx * outputs], vec![0.0; nx]),
        |(regs, scratch, row_y), (row, &y)| {
            row_y.fill(y);
            let mut columns: Vec<&mut [f64]> = scratch.chunks_mut(nx).collect();
            program.eval_batch(xs, row_y, regs, &mut columns);
            for (j, point) in row.iter_mut().enumerate() {
                for (o, slot) in point.iter_mut().take(outputs).enumerate() {
                    *slot = finite_or_nan(columns[o][j] as f32);
                }
            }
            // Where the expression as typed is undefined (x/x at 0), a hole.
            if let Some(domain) = function.domain_program() {
                let mut typed = vec![0.0; nx];
                domain.eval_batch(xs, row_y, regs, &mut [typed.as_mut_slice()]);
                for (point, v) in row.iter_mut().zip(&typed) {
                    if v.is_nan() {
                        point
                            .iter_mut()
                            .take(outputs)
                            .for_each(|slot| *slot = f32::NAN);
                    }
                }
            }
        },
    );
    grid
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
