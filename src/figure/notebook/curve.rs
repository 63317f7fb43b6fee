//! Pure helpers the notebook's plots share: sampling a curve into drawable pieces (a NaN or a
//! jump is a gap), a y range that ignores poles, straight lines across a range, and numbers
//! and tangent equations printed for people.

/// Samples per curve: smooth at the plots' widths, cheap enough to redo every frame.
pub const SAMPLES: usize = 600;

/// `g` sampled over `[a, b]`, cut into pieces wherever a value is not finite or the curve
/// jumps by more than `max_jump` between neighbours (so a pole or a step is not bridged).
pub fn pieces(g: impl Fn(f64) -> f64, [a, b]: [f64; 2], max_jump: f64) -> Vec<Vec<[f64; 2]>> {
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut current: Vec<[f64; 2]> = Vec::new();
    for k in 0..SAMPLES {
        let x = a + (b - a) * k as f64 / (SAMPLES - 1) as f64;
        let y = g(x);
        let jumps = current
            .last()
            .is_some_and(|p: &[f64; 2]| (y - p[1]).abs() > max_jump);
        if !y.is_finite() || jumps {
            if current.len() > 1 {
                out.push(std::mem::take(&mut current));
            } else {
                current.clear();
            }
        }
        if y.is_finite() {
            current.push([x, y]);
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

/// A y range showing `g` on `[a, b]`: the 2nd to 98th percentile of its finite values, so that
/// 1/x's pole does not squash the rest, with a margin; `[-1, 1]` when nothing is finite.
pub fn y_range(g: impl Fn(f64) -> f64, [a, b]: [f64; 2], extra: &[f64]) -> [f64; 2] {
    let mut ys: Vec<f64> = (0..SAMPLES)
        .map(|k| g(a + (b - a) * k as f64 / (SAMPLES - 1) as f64))
        .filter(|y| y.is_finite())
        .collect();
    if ys.is_empty() {
        return [-1.0, 1.0];
    }
    ys.sort_by(f64::total_cmp);
    let lo_index = ys.len() / 50;
    let hi_index = ys.len() - 1 - ys.len() / 50;
    let (mut lo, mut hi) = (ys[lo_index], ys[hi_index]);
    // Always keep the whole curve when it is bounded; the trim is for poles only.
    if ys[ys.len() - 1] - ys[0] < 10.0 * (hi - lo).max(1e-12) {
        (lo, hi) = (ys[0], ys[ys.len() - 1]);
    }
    for &y in extra.iter().filter(|y| y.is_finite()) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    let span = hi - lo;
    if span < 1e-9 * (1.0 + lo.abs()) {
        return [lo - 1.0, hi + 1.0];
    }
    [lo - 0.08 * span, hi + 0.08 * span]
}

/// The line through `(x0, y0)` with `slope`, across `[a, b]`; empty if anything is not finite.
pub fn line_across(x0: f64, y0: f64, slope: f64, [a, b]: [f64; 2]) -> Vec<[f64; 2]> {
    if !(x0.is_finite() && y0.is_finite() && slope.is_finite()) {
        return Vec::new();
    }
    vec![[a, y0 + slope * (a - x0)], [b, y0 + slope * (b - x0)]]
}

/// A number in the notebook: the house's [`crate::format::number`], except that NaN is said as
/// "undefined" — here it is a slope or value that does not exist, not a failed computation.
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        "undefined".into()
    } else {
        crate::format::number(v)
    }
}

/// `+ v` or `− |v|`, for the middle of an equation.
fn signed(v: f64) -> String {
    if v < 0.0 {
        format!("− {}", format_value(-v))
    } else {
        format!("+ {}", format_value(v))
    }
}

/// The tangent at (x_A, f(x_A)) with slope f′(x_A), as the notebook writes it:
/// `y = f(x_A) + f′(x_A)·(x − x_A)`, with the numbers put in.
pub fn tangent_equation(x_a: f64, f_a: f64, slope: f64) -> String {
    let shift = if x_a == 0.0 {
        "x".to_string()
    } else {
        format!("(x {})", signed(-x_a))
    };
    format!("y = {} {}·{shift}", format_value(f_a), signed(slope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_short_and_with_a_real_minus() {
        assert_eq!(format_value(2f64.sqrt()), "1.414");
        assert_eq!(format_value(-0.25), "−0.25");
        assert_eq!(format_value(1234.5678), "1235");
        assert_eq!(format_value(1e-9), "1e−9");
        assert_eq!(format_value(-0.00001), "−1e−5");
        assert_eq!(format_value(f64::NAN), "undefined");
        assert_eq!(format_value(-1e-20 * 0.0), "0");
    }

    #[test]
    fn tangent_equations_read_like_the_notebook() {
        assert_eq!(tangent_equation(1.0, 1.0, 2.0), "y = 1 + 2·(x − 1)");
        assert_eq!(
            tangent_equation(-0.25, 0.44, -0.48),
            "y = 0.44 − 0.48·(x + 0.25)"
        );
        assert_eq!(tangent_equation(0.0, 0.5, 0.0), "y = 0.5 + 0·x");
    }

    #[test]
    fn a_pole_and_a_step_are_gaps_not_bridges() {
        let inv = pieces(|x| 1.0 / x, [-1.0, 1.0], 10.0);
        assert_eq!(inv.len(), 2, "one piece either side of the pole");
        let step = pieces(|x: f64| if x < 0.0 { -1.0 } else { 1.0 }, [-1.0, 1.0], 1.0);
        assert_eq!(step.len(), 2);
        let nan = pieces(|x: f64| x.sqrt(), [-1.0, 1.0], 1.0);
        assert!(nan.iter().flatten().all(|p| p[0] >= 0.0));
    }

    #[test]
    fn the_y_range_ignores_a_pole_but_keeps_a_bounded_curve() {
        let [lo, hi] = y_range(|x| 1.0 / x, [-1.0, 1.0], &[]);
        assert!(hi < 200.0 && lo > -200.0, "{lo} {hi}");
        let [lo, hi] = y_range(|x| x * x, [-2.0, 2.0], &[]);
        assert!(lo < 0.0 && hi > 4.0, "{lo} {hi}");
        assert_eq!(y_range(|_| f64::NAN, [0.0, 1.0], &[]), [-1.0, 1.0]);
        let [lo, hi] = y_range(|_| 3.0, [0.0, 1.0], &[]);
        assert!(lo < 3.0 && hi > 3.0);
    }
}
