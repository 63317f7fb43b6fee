//! The built-in functions of the expression language: names, f64 evaluation and the
//! rule that decides which of them fold when their argument is a constant.

/// Every one-argument function the grammar knows (see ../shared/CLI.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Exp,
    Ln,
    Sqrt,
    Cbrt,
    Abs,
    Sign,
    /// The logistic function 1/(1 + e^(−x)), evaluated without overflow.
    Sigmoid,
    /// ln(1 + e^x), evaluated without overflow (the logistic loss is softplus(m) − t·m).
    Softplus,
}

impl Func {
    pub const ALL: [Func; 20] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Asin,
        Func::Acos,
        Func::Atan,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Asinh,
        Func::Acosh,
        Func::Atanh,
        Func::Exp,
        Func::Ln,
        Func::Sqrt,
        Func::Cbrt,
        Func::Abs,
        Func::Sign,
        Func::Sigmoid,
        Func::Softplus,
    ];

    /// The name printed for this function; `log` parses to `Ln` and prints as `ln`.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Asinh => "asinh",
            Func::Acosh => "acosh",
            Func::Atanh => "atanh",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sqrt => "sqrt",
            Func::Cbrt => "cbrt",
            Func::Abs => "abs",
            Func::Sign => "sign",
            Func::Sigmoid => "sigmoid",
            Func::Softplus => "softplus",
        }
    }

    /// Looks a name up as the parser sees it (`log` is the natural logarithm, as in the notebook).
    pub fn from_name(name: &str) -> Option<Func> {
        if name == "log" {
            return Some(Func::Ln);
        }
        Func::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Evaluates in f64 with IEEE semantics: out-of-domain arguments give NaN or ±inf, never a panic.
    #[inline]
    pub fn apply(self, v: f64) -> f64 {
        match self {
            Func::Sin => v.sin(),
            Func::Cos => v.cos(),
            Func::Tan => v.tan(),
            Func::Asin => v.asin(),
            Func::Acos => v.acos(),
            Func::Atan => v.atan(),
            Func::Sinh => v.sinh(),
            Func::Cosh => v.cosh(),
            Func::Tanh => v.tanh(),
            Func::Asinh => v.asinh(),
            Func::Acosh => v.acosh(),
            Func::Atanh => v.atanh(),
            Func::Exp => v.exp(),
            Func::Ln => v.ln(),
            Func::Sqrt => v.sqrt(),
            Func::Cbrt => v.cbrt(),
            Func::Abs => v.abs(),
            Func::Sign => sign(v),
            Func::Sigmoid => sigmoid(v),
            Func::Softplus => softplus(v),
        }
    }
}

display_as_name!(Func);

/// sign as mathematics (and NumPy, PyTorch) define it: 0 at 0. Rust's `signum` gives 1 at +0.
#[inline]
pub fn sign(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        v // ±0 stays, NaN stays NaN
    }
}

/// 1/(1 + e^(−v)) through e^(−|v|) ≤ 1, so no input overflows (torch.sigmoid's values).
#[inline]
pub fn sigmoid(v: f64) -> f64 {
    let e = (-v.abs()).exp();
    if v >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// ln(1 + e^v) = max(v, 0) + ln(1 + e^(−|v|)): exact to rounding for every v, where the
/// textbook form overflows past v ≈ 709 (torch.nn.functional.softplus does the same).
#[inline]
pub fn softplus(v: f64) -> f64 {
    v.max(0.0) + (-v.abs()).exp().ln_1p()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_log_is_ln() {
        for f in Func::ALL {
            assert_eq!(Func::from_name(f.name()), Some(f));
        }
        assert_eq!(Func::from_name("log"), Some(Func::Ln));
        assert_eq!(Func::from_name("Sin"), None);
    }

    #[test]
    fn sigmoid_and_softplus_never_overflow_and_match_their_textbook_forms() {
        for v in [-30.0, -2.5, -1e-3, 0.0, 1e-3, 0.7, 4.0, 30.0] {
            let s = 1.0 / (1.0 + f64::exp(-v));
            assert!((sigmoid(v) - s).abs() <= 1e-15 * s.max(1e-300), "{v}");
            let p = f64::exp(v).ln_1p();
            assert!(
                (softplus(v) - p).abs() <= 1e-14 * p,
                "{v}: {} vs {p}",
                softplus(v)
            );
        }
        assert_eq!(sigmoid(1e3), 1.0);
        assert_eq!(sigmoid(-1e3), 0.0);
        assert_eq!(softplus(1e3), 1e3);
        assert_eq!(softplus(-1e3), 0.0);
        assert_eq!(sigmoid(0.0), 0.5);
        assert!(sigmoid(f64::NAN).is_nan() && softplus(f64::NAN).is_nan());
    }

    #[test]
    fn sign_is_zero_at_zero_and_keeps_nan() {
        assert_eq!(sign(0.0), 0.0);
        assert_eq!(sign(-3.0), -1.0);
        assert_eq!(sign(2.0), 1.0);
        assert!(sign(f64::NAN).is_nan());
    }
}
