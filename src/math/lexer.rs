//! Splits an expression into tokens, each with the byte span it came from, so that every
//! later error can point at the exact place in what the user typed.

use super::error::{ParseError, Span};

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Number(f64),
    Name(String),
    Plus,
    Minus,
    Star,
    Slash,
    /// `^` or `**`.
    Caret,
    LParen,
    RParen,
    End,
}

impl TokenKind {
    /// How the token is named in "expected … but found …" messages.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Number(_) => "a number".into(),
            TokenKind::Name(n) => format!("'{n}'"),
            TokenKind::Plus => "'+'".into(),
            TokenKind::Minus => "'-'".into(),
            TokenKind::Star => "'*'".into(),
            TokenKind::Slash => "'/'".into(),
            TokenKind::Caret => "'^'".into(),
            TokenKind::LParen => "'('".into(),
            TokenKind::RParen => "')'".into(),
            TokenKind::End => "the end of the expression".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub fn tokenize(src: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let single = |kind| Token {
            kind,
            span: Span::new(start, start + 1),
        };
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'+' => tokens.push(single(TokenKind::Plus)),
            b'-' => tokens.push(single(TokenKind::Minus)),
            b'/' => tokens.push(single(TokenKind::Slash)),
            b'^' => tokens.push(single(TokenKind::Caret)),
            b'(' => tokens.push(single(TokenKind::LParen)),
            b')' => tokens.push(single(TokenKind::RParen)),
            b'*' => {
                if bytes.get(i + 1) == Some(&b'*') {
                    tokens.push(Token {
                        kind: TokenKind::Caret,
                        span: Span::new(i, i + 2),
                    });
                    i += 2;
                    continue;
                }
                tokens.push(single(TokenKind::Star));
            }
            b'0'..=b'9' | b'.' => {
                let mut end = scan_number(bytes, i);
                // `1.2.3` or `1..2`: report the whole run, not a confusing "missing operator".
                if bytes.get(end) == Some(&b'.') {
                    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                        end += 1;
                    }
                }
                let text = &src[i..end];
                let value: f64 = text.parse().map_err(|_| {
                    ParseError::new(format!("'{text}' is not a number"), Span::new(i, end))
                })?;
                if !value.is_finite() {
                    return Err(ParseError::new(
                        format!("the number '{text}' is too large for a 64-bit float"),
                        Span::new(i, end),
                    ));
                }
                tokens.push(Token {
                    kind: TokenKind::Number(value),
                    span: Span::new(i, end),
                });
                i = end;
                continue;
            }
            // θ starts a name too: a data model's parameters may be written θ0 and θ1.
            c if c.is_ascii_alphabetic() || c == b'_' || src[i..].starts_with('θ') => {
                let mut end = if c.is_ascii() { i } else { i + 'θ'.len_utf8() };
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_')
                {
                    end += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Name(src[i..end].to_string()),
                    span: Span::new(i, end),
                });
                i = end;
                continue;
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                let end = i + ch.len_utf8();
                let hint = match ch {
                    ',' => " (functions take one argument; use '.' as the decimal point)",
                    '[' | ']' | '{' | '}' => " (use round parentheses)",
                    '²' => " (write x^2)",
                    '·' | '×' => " (write * for multiplication)",
                    '÷' => " (write / for division)",
                    '−' => " (write - for minus)",
                    _ => "",
                };
                return Err(ParseError::new(
                    format!("unexpected character '{ch}'{hint}"),
                    Span::new(i, end),
                ));
            }
        }
        i += 1;
    }
    tokens.push(Token {
        kind: TokenKind::End,
        span: Span::new(src.len(), src.len()),
    });
    Ok(tokens)
}

/// End of a number starting at `i`: digits, one '.', then an exponent only when a digit follows
/// (`2e3` is 2000, while `2e` and `2ex` leave the `e` to be a name).
fn scan_number(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    let digits = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
    };
    digits(&mut i);
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        digits(&mut i);
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            i = j;
            digits(&mut i);
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<TokenKind> {
        tokenize(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn numbers_in_every_form() {
        for (src, v) in [
            ("1", 1.0),
            ("0.5", 0.5),
            (".5", 0.5),
            ("1e-3", 1e-3),
            ("2.5E+4", 2.5e4),
        ] {
            assert_eq!(
                kinds(src),
                vec![TokenKind::Number(v), TokenKind::End],
                "{src}"
            );
        }
    }

    #[test]
    fn double_star_is_power_and_exponent_needs_a_digit() {
        assert_eq!(
            kinds("x**2"),
            vec![
                TokenKind::Name("x".into()),
                TokenKind::Caret,
                TokenKind::Number(2.0),
                TokenKind::End
            ]
        );
        assert_eq!(
            kinds("2e"),
            vec![
                TokenKind::Number(2.0),
                TokenKind::Name("e".into()),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn bad_characters_and_numbers_are_errors_with_spans() {
        let e = tokenize("x # 2").unwrap_err();
        assert_eq!(e.span, Span::new(2, 3));
        let e = tokenize("1.2.3").unwrap_err();
        assert!(e.message.contains("not a number"), "{}", e.message);
        assert!(tokenize("x²").unwrap_err().message.contains("x^2"));
        assert!(tokenize("1e999").unwrap_err().message.contains("too large"));
    }
}
