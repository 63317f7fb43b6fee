//! Parse errors that point at the fault: a message, a byte span, and a rendering that echoes
//! the expression with a caret under the offending characters.

use std::fmt;

/// Byte range `[start, end)` in the source expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    /// The expression as typed, kept so the error can be shown on its own.
    pub source_text: String,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Span) -> ParseError {
        ParseError {
            message: message.into(),
            span,
            source_text: String::new(),
        }
    }

    pub(crate) fn with_source(mut self, src: &str) -> ParseError {
        self.source_text = src.to_string();
        self
    }

    /// 1-based column (in characters, not bytes) where the fault starts.
    pub fn column(&self) -> usize {
        char_index(&self.source_text, self.span.start) + 1
    }

    /// The expression on one line and a caret line under the fault. Tabs and newlines in the
    /// expression are shown as spaces so that the caret lines up.
    /// Control characters are shown as '?' so that nothing typed can steer the terminal, and
    /// a long expression is cut to a window around the fault.
    pub fn caret_lines(&self) -> String {
        let chars: Vec<char> = self
            .source_text
            .chars()
            .map(|c| {
                if c.is_whitespace() {
                    ' '
                } else if c.is_control() {
                    '?'
                } else {
                    c
                }
            })
            .collect();
        let start = char_index(&self.source_text, self.span.start);
        let end = char_index(&self.source_text, self.span.end).max(start + 1);
        let from = start.saturating_sub(WINDOW_CHARS / 2);
        let to = chars.len().min(from + WINDOW_CHARS);
        let lead = if from > 0 { "…" } else { "" };
        let tail = if to < chars.len() { "…" } else { "" };
        let shown: String = chars[from..to].iter().collect();
        let carets = (end.min(to.max(start + 1)) - start).max(1);
        format!(
            "  {lead}{shown}{tail}\n  {}{}",
            " ".repeat(start - from + lead.chars().count()),
            "^".repeat(carets)
        )
    }
}

/// How much of a long expression an error shows around its fault.
const WINDOW_CHARS: usize = 100;

fn char_index(src: &str, byte: usize) -> usize {
    let byte = byte.min(src.len());
    src.char_indices().take_while(|&(i, _)| i < byte).count()
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (column {})\n{}",
            self.message,
            self.column(),
            self.caret_lines()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_fault_counting_characters() {
        let e = ParseError::new("unexpected ')'", Span::new(6, 7)).with_source("sin(x*)");
        assert_eq!(e.caret_lines(), "  sin(x*)\n        ^");
        assert_eq!(e.column(), 7);
        // A multi-byte character before the fault must not shift the caret.
        let e = ParseError::new("bad", Span::new(5, 6)).with_source("é + #");
        assert_eq!(e.caret_lines(), "  é + #\n      ^");
    }

    #[test]
    fn long_expressions_are_cut_around_the_fault_and_controls_hidden() {
        let src = format!("{}#{}", "x+".repeat(200), "+x".repeat(200));
        let e = ParseError::new("bad", Span::new(400, 401)).with_source(&src);
        let lines = e.caret_lines();
        let (text, carets) = lines.split_once('\n').unwrap();
        assert!(text.chars().count() < 110, "{text}");
        assert_eq!(text.chars().nth(carets.find('^').unwrap()), Some('#'));
        let e = ParseError::new("bad", Span::new(1, 2)).with_source("x\u{1b}[31m");
        assert!(!e.caret_lines().contains('\u{1b}'));
    }

    #[test]
    fn an_error_at_the_end_gets_a_caret_past_the_last_character() {
        let e = ParseError::new("expected an operand", Span::new(2, 2)).with_source("x+");
        assert_eq!(e.caret_lines(), "  x+\n    ^");
    }
}
