//! The linear solve behind Newton's step, H·d = ∇f, done directly: g/h in 1-D, the closed-form
//! inverse in 2-D, Gaussian elimination with partial pivoting beyond. It also decides when a
//! Hessian is too singular to step with.

/// A Hessian of more than two variables is singular when |det H| <= this × (max |h_ij|)^n.
pub const SINGULAR_RELATIVE_DET: f64 = 1e-12;

/// A 2×2 Hessian is singular when its determinant ad − bc is within this many units of rounding
/// of zero: |ad − bc| <= SINGULAR_ROUNDINGS·ε·(|ad| + |bc|), ε the precision's epsilon. The rule
/// scales with the entries (diag(2, 2e-7) is invertible, (x + y)²'s [[2, 2], [2, 2]] is not) and
/// is the same in f64 here and in f32 on the GPU (`optim::wgsl`'s Newton step).
pub const SINGULAR_ROUNDINGS: f64 = 16.0;

/// Whether a 2×2 determinant `a·d − b·c` is zero to within the rounding of its two products.
pub fn determinant_is_rounding(a: f64, b: f64, c: f64, d: f64) -> bool {
    let det = a * d - b * c;
    det.is_nan() || det.abs() <= SINGULAR_ROUNDINGS * f64::EPSILON * ((a * d).abs() + (b * c).abs())
}

/// The Hessian could not be inverted (non-finite, all zero, or numerically singular).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Singular;

/// Whether Newton's method would refuse this row-major `dims`×`dims` Hessian. A wrong length
/// counts as singular: there is nothing sensible to invert.
pub fn hessian_is_singular(hessian: &[f64], dims: usize) -> bool {
    if dims.checked_mul(dims) != Some(hessian.len()) {
        return true;
    }
    let mut scratch = hessian.to_vec();
    let grad = vec![0.0; dims];
    let mut out = vec![0.0; dims];
    solve(&mut scratch, &grad, &mut out).is_err()
}

/// Solves `hessian · out = grad` for row-major `hessian` (n×n, n = `grad.len()`). `hessian` is
/// scratch: it is scaled and eliminated in place. On error `out` holds nothing useful.
pub(crate) fn solve(hessian: &mut [f64], grad: &[f64], out: &mut [f64]) -> Result<(), Singular> {
    let n = grad.len();
    if n == 0 || hessian.len() != n * n || out.len() != n {
        return Err(Singular);
    }
    let scale = power_of_two_scale(hessian).ok_or(Singular)?;
    if n == 1 {
        // |h| <= 1e-12·|h| only for h = 0, which power_of_two_scale already refused.
        out[0] = grad[0] / hessian[0];
        return Ok(());
    }
    // Dividing by a power of two is exact (outside the subnormal range), so the scaled solve
    // below gives bit for bit the textbook result, yet cannot overflow for huge entries.
    for h in hessian.iter_mut() {
        *h /= scale;
    }
    let max_scaled = hessian.iter().fold(0.0_f64, |m, h| m.max(h.abs()));
    let threshold = SINGULAR_RELATIVE_DET * max_scaled.powi(n as i32);
    if n == 2 {
        let (a, b, c, d) = (hessian[0], hessian[1], hessian[2], hessian[3]);
        if determinant_is_rounding(a, b, c, d) {
            return Err(Singular);
        }
        let det = a * d - b * c;
        out[0] = (d * grad[0] - b * grad[1]) / det / scale;
        out[1] = (a * grad[1] - c * grad[0]) / det / scale;
        return Ok(());
    }
    out.copy_from_slice(grad);
    let det = eliminate(hessian, out, n);
    if det.is_nan() || det.abs() <= threshold {
        return Err(Singular);
    }
    back_substitute(hessian, out, n);
    for x in out.iter_mut() {
        *x /= scale;
    }
    Ok(())
}

/// A power of two near max |h_ij|, or None when an entry is not finite or all are zero.
fn power_of_two_scale(hessian: &[f64]) -> Option<f64> {
    let mut max = 0.0_f64;
    for &h in hessian {
        if !h.is_finite() {
            return None;
        }
        max = max.max(h.abs());
    }
    if max == 0.0 {
        return None;
    }
    if max < f64::MIN_POSITIVE {
        // Subnormal: dividing by the smallest normal power of two is still exact.
        return Some(f64::MIN_POSITIVE);
    }
    // Keep only the exponent bits: the largest power of two not above `max`.
    Some(f64::from_bits(max.to_bits() & 0x7ff0_0000_0000_0000))
}

/// Forward elimination with partial pivoting on `a` (n×n) and `rhs`; returns det(a), or 0 as soon
/// as a column has no usable pivot (the caller then reports singular).
fn eliminate(a: &mut [f64], rhs: &mut [f64], n: usize) -> f64 {
    let mut det = 1.0;
    for col in 0..n {
        let pivot_row = (col..n)
            .max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))
            .unwrap_or(col);
        let pivot = a[pivot_row * n + col];
        if pivot == 0.0 {
            return 0.0;
        }
        if pivot_row != col {
            for k in 0..n {
                a.swap(col * n + k, pivot_row * n + k);
            }
            rhs.swap(col, pivot_row);
            det = -det;
        }
        det *= pivot;
        for row in col + 1..n {
            let factor = a[row * n + col] / pivot;
            if factor == 0.0 {
                continue;
            }
            for k in col..n {
                a[row * n + k] -= factor * a[col * n + k];
            }
            rhs[row] -= factor * rhs[col];
        }
    }
    det
}

/// Solves the upper-triangular system left by `eliminate`, in place in `x`.
fn back_substitute(a: &[f64], x: &mut [f64], n: usize) {
    for row in (0..n).rev() {
        let mut sum = x[row];
        for k in row + 1..n {
            sum -= a[row * n + k] * x[k];
        }
        x[row] = sum / a[row * n + row];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solved(h: &[f64], g: &[f64]) -> Result<Vec<f64>, Singular> {
        let mut scratch = h.to_vec();
        let mut out = vec![0.0; g.len()];
        solve(&mut scratch, g, &mut out).map(|()| out)
    }

    #[test]
    fn one_by_one_divides() {
        assert_eq!(solved(&[4.0], &[2.0]), Ok(vec![0.5]));
        assert_eq!(solved(&[-3.0], &[1.5]), Ok(vec![1.5 / -3.0]));
        assert_eq!(solved(&[0.0], &[1.0]), Err(Singular));
        assert_eq!(solved(&[f64::NAN], &[1.0]), Err(Singular));
        assert_eq!(solved(&[1e-300], &[1e-300]), Ok(vec![1.0]));
    }

    #[test]
    fn two_by_two_matches_closed_form_bit_for_bit() {
        let cases = [
            ([6.0, 1.0, 1.0, 4.0], [0.7, -1.3]),
            ([1330.0, 480.0, 480.0, 200.0], [-215.6, -88.0]),
            ([2.0, -0.3, 0.1, -5.0], [1.0 / 3.0, 2.0 / 7.0]),
        ];
        for (h, g) in cases {
            let [a, b, c, d] = h;
            let det = a * d - b * c;
            let expected = vec![(d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det];
            assert_eq!(solved(&h, &g), Ok(expected));
        }
    }

    #[test]
    fn huge_and_tiny_entries_do_not_overflow() {
        let out = solved(&[4e200, 0.0, 0.0, 2e200], &[4e200, 2e200]).unwrap();
        assert_eq!(out, vec![1.0, 1.0]);
        let out = solved(&[4e-200, 0.0, 0.0, 2e-200], &[4e-200, 2e-200]).unwrap();
        assert_eq!(out, vec![1.0, 1.0]);
    }

    #[test]
    fn singular_hessians_are_refused() {
        assert!(hessian_is_singular(&[0.0; 4], 2));
        assert!(hessian_is_singular(&[2.0, 0.0, 0.0, 0.0], 2));
        assert!(hessian_is_singular(&[1.0, 2.0, 2.0, 4.0], 2));
        // Singular to rounding: 1 + 1e-15 is 1 + 5 ulps, a determinant of 5 units of rounding.
        assert!(hessian_is_singular(&[1.0, 1.0, 1.0, 1.0 + 1e-15], 2));
        // The rule scales with the entries: a small but exact determinant is no rounding.
        assert!(!hessian_is_singular(&[2.0, 0.0, 0.0, 2e-7], 2));
        assert!(!hessian_is_singular(&[2e-300, 0.0, 0.0, 2e-300], 2));
        assert!(!hessian_is_singular(&[1.0, 1.0, 1.0, 1.0 + 1e-13], 2));
        assert!(hessian_is_singular(&[1.0, f64::INFINITY, 0.0, 1.0], 2));
        assert!(hessian_is_singular(&[1.0, 0.0, 0.0], 2));
        assert!(!hessian_is_singular(&[1.0, 1.0, 1.0, 1.0 + 1e-9], 2));
        assert!(!hessian_is_singular(&[6.0, 1.0, 1.0, 4.0], 2));
        // 3-D: third row is the sum of the first two.
        let h3 = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 5.0, 7.0, 9.0];
        assert!(hessian_is_singular(&h3, 3));
        assert!(hessian_is_singular(&[0.0; 9], 3));
    }

    #[test]
    fn three_by_three_solves_with_pivoting() {
        // First pivot is 0, so a row swap is needed.
        let h = [0.0, 2.0, 1.0, 1.0, 1.0, 0.0, 3.0, 0.0, 4.0];
        let x = [1.5, -2.0, 0.25];
        let g: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|k| h[i * 3 + k] * x[k]).sum())
            .collect();
        let out = solved(&h, &g).unwrap();
        for (o, e) in out.iter().zip(x) {
            assert!((o - e).abs() <= 1e-14, "{out:?}");
        }
    }
}
