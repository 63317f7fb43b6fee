//! The one number formatter: every number a person reads (panels, legends, titles, ticks, colour
//! bars, messages) goes through here, and so does the round-trip form that CSV and the terminal use.
//! It imports nothing, so every layer, `math/` included, may use it.
//!
//! Rules, for people:
//! - significant digits (4 unless a caller asks for more; fewer where fewer read back to the
//!   same f64: 5e−324), trailing zeros dropped: 0.6434;
//! - scientific form where |v| < 1e-4 or |v| ≥ 1e6 once rounded: 1.5e−5, 2.5e6 — never 60 digits;
//! - a real minus sign (U+2212), as the figures have always used; 0 and −0 are both "0";
//! - NaN is "NaN", infinities "∞" and "−∞";
//! - a set of ticks shares its form and its decimals (0.5, 1.0, 1.5; never 1e−5 beside 0.0001).
//!
//! For machines and for terminal text that may be pasted back into a command, [`exact`]: the
//! shortest digits that read back to the same f64, ASCII minus (the CSV contract, CLI.md).

/// Below this magnitude a number is written in scientific form.
const SMALL: f64 = 1e-4;
/// At or above this magnitude a number is written in scientific form.
const LARGE: f64 = 1e6;
/// The digits [`number`] keeps: enough to tell runs apart, short enough for a legend.
pub const DIGITS: usize = 4;

/// A number for people with [`DIGITS`] significant digits.
pub fn number(v: f64) -> String {
    significant(v, DIGITS)
}

/// A number for people with `digits` (at least 1) significant digits.
pub fn significant(v: f64, digits: usize) -> String {
    if let Some(text) = special(v) {
        return text;
    }
    // Fewer digits where fewer read back to the same f64: 5e-324 stays 5e−324, not 4.941e−324.
    let shortest = format!("{v:e}");
    let needed = shortest.split('e').next().map_or(usize::MAX, |m| {
        m.chars().filter(char::is_ascii_digit).count()
    });
    let digits = digits.clamp(1, needed.max(1));
    let (mantissa, exponent) = split_exponent(v, digits);
    let magnitude = 10f64.powi(exponent);
    let text = if (SMALL..LARGE).contains(&magnitude) {
        let decimals = (digits as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(format!("{v:.decimals$}"))
    } else {
        format!("{}e{exponent}", trim_zeros(mantissa))
    };
    true_minus(&text)
}

/// Ticks at evenly spaced `values`: one form for all of them and the decimals their spacing
/// needs ("0.5", "1.0", "1.5"; "2.5e6", "3.0e6"). A non-finite value gets an empty label.
pub fn ticks(values: &[f64]) -> Vec<String> {
    let step = values
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|d| *d > 0.0 && d.is_finite())
        .fold(f64::INFINITY, f64::min);
    let largest = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    values.iter().map(|&v| tick(v, step, largest)).collect()
}

/// One tick of an evenly spaced set, from what the set shares: the `step` between ticks and the
/// `largest` magnitude on the axis (a plot's formatter sees one tick at a time, but knows these).
/// Scientific form where the axis reaches 1e6 or its step is under 1e-4.
pub fn tick(value: f64, step: f64, largest: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if !(step.is_finite() && step > 0.0) {
        // A lone tick: nothing to share.
        return number(value);
    }
    if value.abs() < step * 1e-6 {
        // 1e-17 where the ticks step by 0.2 is the 0 tick, off by rounding.
        return "0".into();
    }
    let text = if largest.max(step) < LARGE && step >= SMALL {
        let decimals = decimals(step);
        format!("{value:.decimals$}")
    } else {
        let value_mag = (value.abs().log10() + 1e-9).floor() as i32;
        let step_mag = (step.log10() + 1e-9).floor() as i32;
        // Mantissa digits down to the step's own digits (2.5e5 steps need one more).
        let digits = (value_mag - step_mag).max(0) as usize + decimals(step / 10f64.powi(step_mag));
        format!("{value:.digits$e}")
    };
    true_minus(&text)
}

/// Ticks on a log axis (powers of ten, or any values spread over decades): each with the
/// fewest digits it needs, all in scientific form if any one needs it ("1e−5", "1e−4",
/// "1e−3"; "0.01", "0.1", "1").
pub fn log_ticks(values: &[f64]) -> Vec<String> {
    let scientific = values.iter().any(|&v| {
        let a = v.abs();
        v.is_finite() && a != 0.0 && !(SMALL..LARGE).contains(&a)
    });
    values
        .iter()
        .map(|&v| match special(v) {
            Some(_) if !v.is_finite() => String::new(),
            Some(zero) => zero,
            None if scientific => {
                let (mantissa, exponent) = split_exponent(v, DIGITS);
                true_minus(&format!("{}e{exponent}", trim_zeros(mantissa)))
            }
            None => number(v),
        })
        .collect()
}

/// The shortest digits that read back to the same f64, in exponent form where positional digits
/// would run long (4.44e-16, not 0.000…0444); ASCII minus. For CSV and for terminal text a
/// person may paste back into a command; its form is part of the CLI contract.
pub fn exact(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && a.is_finite() && !(1e-5..1e16).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The text of 0, −0 and the non-finite values, which no digits describe.
fn special(v: f64) -> Option<String> {
    if v.is_nan() {
        Some("NaN".into())
    } else if v.is_infinite() {
        Some(if v > 0.0 { "∞" } else { "−∞" }.into())
    } else if v == 0.0 {
        Some("0".into())
    } else {
        None
    }
}

/// `v` rounded to `digits` significant digits, as (mantissa, exponent): 6.4344e-5 at 4 digits
/// is ("6.434", -5). Rounding through the exponent form is exact decimal rounding, and the
/// exponent is the magnitude after rounding (999 999.7 at 4 digits is 1.000e6).
fn split_exponent(v: f64, digits: usize) -> (String, i32) {
    let sci = format!("{:.*e}", digits.max(1) - 1, v);
    match sci.split_once('e') {
        // Rust's `{:e}` always writes a whole-number exponent after the 'e'.
        Some((mantissa, exponent)) => (mantissa.to_string(), exponent.parse().unwrap_or(0)),
        None => (sci, 0),
    }
}

/// "0.2500" → "0.25", "1.000" → "1"; a whole number is left alone.
fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Rounding can leave "-0" (−0.00001 at 4 decimals): that is 0. Every other '-' is a minus.
fn true_minus(text: &str) -> String {
    let rest = text.strip_prefix('-');
    if rest.is_some_and(|r| r.chars().all(|c| c == '0' || c == '.')) {
        return "0".into();
    }
    text.replace('-', "−")
}

/// Decimals that print `step` (> 0) exactly: 0 for 5, 1 for 2.5 and 0.5, 2 for 0.25.
fn decimals(step: f64) -> usize {
    (0..15)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= scaled * 1e-9
        })
        .unwrap_or(15)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each input with what people see ([`number`]) and what CSV and the terminal get
    /// ([`exact`], whose form the CLI's contract fixes).
    const TABLE: &[(f64, &str, &str)] = &[
        (0.0, "0", "0"),
        (-0.0, "0", "-0"),
        (f64::NAN, "NaN", "NaN"),
        (f64::INFINITY, "∞", "inf"),
        (f64::NEG_INFINITY, "−∞", "-inf"),
        (1e-300, "1e−300", "1e-300"),
        (1e300, "1e300", "1e300"),
        (-1e300, "−1e300", "-1e300"),
        (5e-324, "5e−324", "5e-324"),
        (0.6434438263328994, "0.6434", "0.6434438263328994"),
        (-0.25, "−0.25", "-0.25"),
        (-1.5, "−1.5", "-1.5"),
        (std::f64::consts::SQRT_2, "1.414", "1.4142135623730951"),
        (1234.5678, "1235", "1234.5678"),
        (123456.7, "123457", "123456.7"),
        (999_999.7, "1e6", "999999.7"),
        (2.5e6, "2.5e6", "2500000"),
        (1e16, "1e16", "1e16"),
        (0.0001, "0.0001", "0.0001"),
        (0.00009999, "9.999e−5", "0.00009999"),
        (0.000099999, "0.0001", "0.000099999"),
        (1e-5, "1e−5", "0.00001"),
        (-0.00001, "−1e−5", "-0.00001"),
        (1e-12, "1e−12", "1e-12"),
        (4.440892098500626e-16, "4.441e−16", "4.440892098500626e-16"),
        (3.0, "3", "3"),
        (0.30000000000000004, "0.3", "0.30000000000000004"),
        (1.265691872788969e219, "1.266e219", "1.265691872788969e219"),
    ];

    #[test]
    fn numbers_for_people() {
        for &(v, want, _) in TABLE {
            assert_eq!(number(v), want, "number({v:e})");
        }
    }

    #[test]
    fn exact_reads_back_and_keeps_the_csv_form() {
        for &(v, _, want) in TABLE {
            assert_eq!(exact(v), want, "exact({v:e})");
            if v.is_finite() {
                assert_eq!(exact(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
            }
        }
    }

    #[test]
    fn more_digits_on_request() {
        assert_eq!(significant(0.6434438263328994, 6), "0.643444");
        assert_eq!(significant(-1.0 / 3.0, 10), "−0.3333333333");
        assert_eq!(significant(0.5, 0), "0.5");
        assert_eq!(significant(6.0221e23, 3), "6.02e23");
    }

    #[test]
    fn evenly_spaced_ticks_share_their_decimals() {
        assert_eq!(ticks(&[0.5, 1.0, 1.5]), ["0.5", "1.0", "1.5"]);
        assert_eq!(ticks(&[-2.0, -1.0, 0.0, 1.0]), ["−2", "−1", "0", "1"]);
        assert_eq!(
            ticks(&[0.2, 0.30000000000000004, 0.4]),
            ["0.2", "0.3", "0.4"]
        );
        assert_eq!(ticks(&[-0.2, 1e-17, 0.2]), ["−0.2", "0", "0.2"]);
        assert_eq!(ticks(&[0.25, 0.5, 0.75]), ["0.25", "0.50", "0.75"]);
        assert_eq!(ticks(&[500.0, 1000.0]), ["500", "1000"]);
        // One form per axis: 5e5 is not written as 500000 beside 1.0e6.
        assert_eq!(ticks(&[0.0, 5e5, 1e6]), ["0", "5e5", "1.0e6"]);
        assert_eq!(ticks(&[2.5e6, 5e6, 7.5e6]), ["2.5e6", "5.0e6", "7.5e6"]);
        assert_eq!(ticks(&[1e-5, 2e-5, 3e-5]), ["1e−5", "2e−5", "3e−5"]);
        assert_eq!(ticks(&[0.0001, 0.0002]), ["0.0001", "0.0002"]);
        assert_eq!(ticks(&[1.0, f64::NAN]), ["1", ""]);
        assert_eq!(ticks(&[7.0]), ["7"]);
    }

    #[test]
    fn one_tick_from_what_its_axis_shares() {
        assert_eq!(tick(0.30000000000000004, 0.1, 1.0), "0.3");
        assert_eq!(tick(-5.0, 5.0, 10.0), "−5");
        assert_eq!(tick(2.5e5, 2.5e5, 1e6), "2.5e5");
        assert_eq!(tick(2.5e5, 2.5e5, 5e5), "250000");
        assert_eq!(tick(3e-5, 1e-5, 5e-5), "3e−5");
    }

    #[test]
    fn log_ticks_never_mix_forms() {
        // The hyperparameter map once wrote "1.000e-5" beside "0.0001" and they ran together.
        assert_eq!(log_ticks(&[1e-5, 1e-4]), ["1e−5", "1e−4"]);
        assert_eq!(
            log_ticks(&[1e-5, 1e-4, 1e-3, 1e-2, 1e-1]),
            ["1e−5", "1e−4", "1e−3", "1e−2", "1e−1"]
        );
        assert_eq!(
            log_ticks(&[0.01, 0.1, 1.0, 10.0]),
            ["0.01", "0.1", "1", "10"]
        );
        assert_eq!(log_ticks(&[1e5, 1e6]), ["1e5", "1e6"]);
        assert_eq!(log_ticks(&[0.0, f64::INFINITY]), ["0", ""]);
    }
}
