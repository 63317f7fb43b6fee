//! Our printed derivatives against SymPy's `simplify`: every first and second derivative of the
//! presets and the notebook's functions is at most 1.5× the size of SymPy's, by the count that
//! tests/reference/sympy_sizes.py made (its output is read here, so CI needs no SymPy).

use crate::function::Function;

const REFERENCE: &str = include_str!("../../tests/reference/sympy_sizes.tsv");

/// Allowed ratio of our printed size to SymPy's.
const MAX_RATIO: f64 = 1.5;

/// Operators, symbols, function names and numbers of a printed expression: the tokens
/// sympy_sizes.py counts (parentheses and commas are not counted; `**` counts once, as `^`).
pub(crate) fn printed_size(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
        } else if c.is_ascii_digit() || c == b'.' {
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            // An exponent belongs to the number: 1e-7 is one token.
            if i + 1 < b.len() && (b[i] == b'e' || b[i] == b'E') {
                let mut j = i + 1;
                if b[j] == b'-' || b[j] == b'+' {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_digit() {
                    i = j;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
        } else if b[i..].starts_with(b"**") {
            i += 2;
        } else if b"+-*/^".contains(&c) {
            i += 1;
        } else {
            i += 1;
            continue;
        }
        n += 1;
    }
    n
}

/// (expression, which derivative, SymPy's size, our text, our size) for every reference row.
pub(crate) fn measure() -> Vec<(String, String, usize, String, usize)> {
    let mut rows = Vec::new();
    for line in REFERENCE.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (src, which, theirs) = (cols[0], cols[1], cols[2].parse::<usize>().unwrap());
        let f = Function::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let index = |c: u8| usize::from(c == b'y');
        let w = which.as_bytes();
        let ours = match w.len() {
            1 => f.gradient_texts()[index(w[0])].clone(),
            _ => f.hessian_texts()[index(w[0]) * f.dims() + index(w[1])].clone(),
        };
        let size = printed_size(&ours);
        rows.push((src.to_string(), which.to_string(), theirs, ours, size));
    }
    rows
}

#[test]
fn the_size_count_matches_the_scripts() {
    // The script's regex on the same strings (checked by hand against sympy_sizes.py).
    assert_eq!(printed_size("1/(x**2*y**2)"), 9);
    assert_eq!(printed_size("-(((x*y)^2 - 2*x^2*y^2)/(x*y)^4)"), 22);
    assert_eq!(printed_size("2.0*sqrt(2)*x*exp(-0.1*y)"), 12);
    assert_eq!(printed_size("1e-7*y^2"), 5);
}

#[test]
fn printed_derivatives_are_at_most_one_and_a_half_times_sympys() {
    let rows = measure();
    assert!(rows.len() > 100, "{}", rows.len());
    let mut ratios: Vec<(f64, &str, &str, &str)> = rows
        .iter()
        .map(|(src, which, theirs, ours, size)| {
            (
                *size as f64 / *theirs as f64,
                src.as_str(),
                which.as_str(),
                ours.as_str(),
            )
        })
        .collect();
    ratios.sort_by(|a, b| b.0.total_cmp(&a.0));
    let median = ratios[ratios.len() / 2].0;
    eprintln!("max ratio {:.2}, median {median:.2}; worst:", ratios[0].0);
    for (r, src, which, ours) in ratios.iter().take(8) {
        eprintln!("  {r:.2}  {src}  ∂{which}: {ours}");
    }
    let over: Vec<String> = ratios
        .iter()
        .filter(|r| r.0 > MAX_RATIO)
        .map(|(r, src, which, ours)| format!("{r:.2} {src} ∂{which}: {ours}"))
        .collect();
    assert!(over.is_empty(), "over {MAX_RATIO}×:\n{}", over.join("\n"));
}
