//! Textbook display of a printed expression: `x^2` → `x²`, `x^(-1)` → `x⁻¹`, `*` → `·`,
//! `sqrt(` → `√(`. For reading only: the plain form is what parses back.

/// The printed expression `text` (as `display::to_text` writes it) with integer powers as
/// superscripts, products as middle dots and square roots as √.
pub fn pretty(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while let Some(c) = rest.chars().next() {
        // A data model's parameters, as the chapter writes them.
        let word_starts = !out.chars().next_back().is_some_and(is_name_char);
        if let Some((name, after)) = [("theta0", "θ₀"), ("theta1", "θ₁")]
            .iter()
            .find_map(|(word, name)| rest.strip_prefix(word).map(|after| (*name, after)))
            && word_starts
            && !after.chars().next().is_some_and(is_name_char)
        {
            out.push_str(name);
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix("sqrt(") {
            out.push_str("√(");
            rest = after;
            continue;
        }
        if c == '^'
            && let Some((superscript, used)) = integer_power(&rest[1..])
        {
            out.push_str(&superscript);
            rest = &rest[1 + used..];
            continue;
        }
        out.push(if c == '*' { '·' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// An integer exponent at the start of `s` (`12`, or `(-3)`) as superscript, and the bytes it
/// took; None for anything else (`0.5`, `(x+1)`), which stays as typed.
fn integer_power(s: &str) -> Option<(String, usize)> {
    let (negative, digits_start) = match s.strip_prefix("(-") {
        Some(_) => (true, 2),
        None => (false, 0),
    };
    let digits: String = s[digits_start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    let mut used = digits_start + digits.len();
    if negative {
        if !s[used..].starts_with(')') {
            return None;
        }
        used += 1;
    } else if s[used..].starts_with(['.', 'e', 'E']) {
        // A decimal or exponent-form power: not an integer.
        return None;
    }
    let mut superscript = String::new();
    if negative {
        superscript.push('⁻');
    }
    superscript.extend(
        digits
            .chars()
            .map(|d| ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][(d as u8 - b'0') as usize]),
    );
    Some((superscript, used))
}

#[cfg(test)]
mod tests {
    use super::pretty;

    #[test]
    fn powers_products_and_roots_read_as_in_a_textbook() {
        assert_eq!(pretty("4*x*cos(2*x^2)"), "4·x·cos(2·x²)");
        assert_eq!(pretty("3*x^2 - sin(x)"), "3·x² - sin(x)");
        assert_eq!(pretty("x^(-2) + x^10"), "x⁻² + x¹⁰");
        assert_eq!(pretty("x^0.5 + x^(y+1) + x^1e3"), "x^0.5 + x^(y+1) + x^1e3");
        assert_eq!(pretty("1/(2*sqrt(x))"), "1/(2·√(x))");
        assert_eq!(pretty("x^(-1.5)"), "x^(-1.5)");
    }

    #[test]
    fn a_data_models_parameters_read_as_theta_and_columns_keep_their_names() {
        assert_eq!(
            pretty("mean((theta0 + theta1*x - y)^2)"),
            "mean((θ₀ + θ₁·x - y)²)"
        );
        assert_eq!(
            pretty("theta10 + my_theta0 + theta0"),
            "theta10 + my_theta0 + θ₀"
        );
    }
}
