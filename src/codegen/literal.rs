//! f32 literals for WGSL: an f64 constant is rounded to the nearest f32 once, here, and printed
//! with enough digits to read back as that same f32 (Rust's `{:?}` is shortest round-trip).

/// `value` rounded to f32 as a WGSL literal with the `f` suffix (a concrete `f32`, never an
/// abstract float), or `None` when the rounded value is not finite: WGSL has no literal for
/// ±inf or NaN, and naga rejects constant expressions that overflow.
///
/// Negative values come wrapped in parentheses, `(-2.5f)`, so that the literal is one atom
/// wherever it is pasted (`a - (-2.5f)`, never `a --2.5f`, which would lex as a decrement).
/// Values below f32's normal range keep their subnormal or zero rounding; GPUs may flush
/// subnormals to zero, which is within f32 rounding of the f64 value.
pub fn f32_literal(value: f64) -> Option<String> {
    let rounded = value as f32; // round to nearest; beyond f32::MAX (+ half an ulp) gives ±inf
    if !rounded.is_finite() {
        return None;
    }
    // `{:?}` prints "1.0", "0.1", "1e-7", "3.4028235e38": each is a WGSL decimal float literal
    // once the suffix is added (the grammar accepts `1e-7f` and `1.0f`).
    let digits = format!("{:?}", rounded.abs());
    debug_assert!(
        digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'e' || b == b'-'),
        "unexpected f32 formatting {digits:?}"
    );
    Some(if rounded.is_sign_negative() {
        format!("(-{digits}f)")
    } else {
        format!("{digits}f")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a literal back the way a WGSL front end would: strip the parentheses, sign, suffix.
    fn read_back(literal: &str) -> f32 {
        let inner = literal.trim_start_matches('(').trim_end_matches(')');
        let (negative, digits) = match inner.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, inner),
        };
        let value: f32 = digits.strip_suffix('f').expect("f suffix").parse().unwrap();
        if negative { -value } else { value }
    }

    #[test]
    fn common_constants() {
        assert_eq!(f32_literal(1.0).unwrap(), "1.0f");
        assert_eq!(f32_literal(0.1).unwrap(), "0.1f");
        assert_eq!(f32_literal(-2.5).unwrap(), "(-2.5f)");
        assert_eq!(f32_literal(0.0).unwrap(), "0.0f");
        assert_eq!(f32_literal(-0.0).unwrap(), "(-0.0f)");
        assert_eq!(f32_literal(1e-7).unwrap(), "1e-7f");
        assert_eq!(f32_literal(2.5e20).unwrap(), "2.5e20f");
        assert_eq!(f32_literal(f64::from(f32::MAX)).unwrap(), "3.4028235e38f");
        assert_eq!(f32_literal(std::f64::consts::PI).unwrap(), "3.1415927f");
    }

    #[test]
    fn rounds_once_to_the_nearest_f32() {
        for v in [
            0.1,
            1.0 / 3.0,
            std::f64::consts::E,
            -123456.789,
            1e-30,
            6.02214076e23,
            5.12,
            2.0f64.powi(-140), // subnormal in f32
            1e-50,             // underflows to zero
        ] {
            let lit = f32_literal(v).unwrap();
            assert_eq!(
                read_back(&lit).to_bits(),
                (v as f32).to_bits(),
                "{v} -> {lit}"
            );
        }
    }

    #[test]
    fn non_finite_in_f32_has_no_literal() {
        assert_eq!(f32_literal(f64::INFINITY), None);
        assert_eq!(f32_literal(f64::NEG_INFINITY), None);
        assert_eq!(f32_literal(f64::NAN), None);
        assert_eq!(f32_literal(1e39), None);
        assert_eq!(f32_literal(-1e300), None);
        // Just above f32::MAX but within half an ulp still rounds to f32::MAX.
        assert!(f32_literal(f64::from(f32::MAX) * (1.0 + 1e-9)).is_some());
    }
}
