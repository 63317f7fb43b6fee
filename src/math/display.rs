//! Printing expressions back in the input grammar, with the fewest parentheses that still
//! parse back to the same node, and constants written as people write them (`pi`, `1/3`).

use std::collections::HashMap;
use std::fmt::Write;

use super::expr::{Arena, Id, Node};

/// Names given to shared sub-expressions in a derivation (u, v, w…): printed in their place.
pub type Names = HashMap<Id, String>;

/// Binding strength of what a node prints as; a child printed where a stronger one is
/// required gets parentheses.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Sum = 1,
    Product = 2,
    Unary = 3,
    Power = 4,
    Atom = 5,
}

impl Arena {
    /// The expression in the input grammar; parsing the result gives back the same function.
    pub fn to_text(&self, id: Id) -> String {
        let mut out = String::new();
        self.write(id, Level::Sum, &Names::new(), usize::MAX, &mut out);
        out
    }

    /// For reading: named nodes by name, cut off with `…` past `max_len` bytes. Writing stops
    /// at the cut, so a DAG whose tree is exponentially large costs no more than `max_len`.
    pub fn to_text_named(&self, id: Id, names: &Names, max_len: usize) -> String {
        let mut out = String::new();
        self.write(id, Level::Sum, names, max_len, &mut out);
        if out.len() > max_len {
            cut(&mut out, max_len);
        }
        out
    }

    pub(super) fn write_named(
        &self,
        id: Id,
        need: Level,
        names: &Names,
        max_len: usize,
        out: &mut String,
    ) {
        match names.get(&id) {
            Some(name) => out.push_str(name),
            None => self.write(id, need, names, max_len, out),
        }
    }

    pub(super) fn level_of_constant(&self, v: f64) -> Level {
        let text = format_constant(v);
        if v < 0.0 || text.starts_with('-') {
            Level::Unary
        } else if text.contains('/') {
            Level::Product
        } else {
            Level::Atom
        }
    }

    pub(super) fn level(&self, id: Id) -> Level {
        match self.node(id) {
            Node::Const(bits) => self.level_of_constant(f64::from_bits(bits)),
            Node::Var(_) | Node::Call(..) | Node::Mean(_) => Level::Atom,
            Node::Neg(_) => Level::Unary,
            Node::Add(..) | Node::Sub(..) => Level::Sum,
            Node::Mul(..) | Node::Div(..) => Level::Product,
            Node::Pow(..) => Level::Power,
        }
    }

    /// Whether the leftmost factor of a product or quotient is a sum.
    fn starts_with_sum(&self, id: Id) -> bool {
        let mut cur = id;
        while let Node::Mul(l, _) | Node::Div(l, _) = self.node(cur) {
            cur = l;
        }
        self.level(cur) == Level::Sum
    }

    /// A binary node's operator as written, and the levels its left and right operands need
    /// to read back as the same node; `b` is the right operand.
    fn operator_layout(&self, id: Id, b: Id) -> (Level, &'static str, Level) {
        match self.node(id) {
            Node::Add(..) => (Level::Sum, " + ", Level::Product),
            Node::Sub(..) => (Level::Sum, " - ", Level::Product),
            // Products are normalised on parsing, so a*b*c comes back as the same node.
            Node::Mul(..) if matches!(self.node(b), Node::Mul(..)) => {
                (Level::Product, "*", Level::Product)
            }
            Node::Mul(..) => (Level::Product, "*", Level::Unary),
            Node::Div(..) => (Level::Product, "/", Level::Power),
            // Right-associative, so a power in the exponent needs no parentheses; a sign does,
            // for readability (x^(-2)).
            Node::Pow(..) => (Level::Atom, "^", Level::Power),
            // `write` asks this of the five binary nodes only.
            _ => unreachable!("not a binary node"),
        }
    }

    fn write(&self, id: Id, need: Level, names: &Names, max_len: usize, out: &mut String) {
        if out.len() > max_len {
            return;
        }
        let paren = self.level(id) < need;
        if paren {
            out.push('(');
        }
        match self.node(id) {
            Node::Const(bits) => out.push_str(&format_constant(f64::from_bits(bits))),
            Node::Var(v) => out.push_str(self.var_name(v)),
            Node::Neg(a) => {
                out.push('-');
                // -x*y reads as (-x)*y, which is the same number bit for bit, so a product or
                // quotient needs no parentheses here; a sum does.
                // But -(y + x)*z would read as (-(y + x))*z, a different node, so a product that
                // starts with a sum keeps its parentheses.
                let inner = match self.level(a) {
                    Level::Product if !self.starts_with_sum(a) => Level::Product,
                    _ => Level::Unary,
                };
                self.write_named(a, inner, names, max_len, out);
            }
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Pow(a, b) => {
                let (left, op, right) = self.operator_layout(id, b);
                self.write_named(a, left, names, max_len, out);
                out.push_str(op);
                self.write_named(b, right, names, max_len, out);
            }
            Node::Call(f, a) => {
                let _ = write!(out, "{}(", f.name());
                self.write_named(a, Level::Sum, names, max_len, out);
                out.push(')');
            }
            Node::Mean(a) => {
                out.push_str("mean(");
                self.write_named(a, Level::Sum, names, max_len, out);
                out.push(')');
            }
        }
        if paren {
            out.push(')');
        }
    }

    /// A variable's name: `x`, `y`, or in a data objective's arena `theta0`, `theta1` and the
    /// columns' names.
    pub fn var_name(&self, v: super::expr::Var) -> &str {
        use super::expr::Var;
        match (self.data(), v) {
            (Some(_), Var::X) => "theta0",
            (Some(_), Var::Y) => "theta1",
            (Some(data), Var::Col(k)) => data.names.get(k as usize).map_or("col", |n| n.as_str()),
            (None, v) => v.name(),
        }
    }
}

/// Cuts `text` to at most `max_len` bytes (at a character boundary) and marks the cut with `…`.
pub(super) fn cut(text: &mut String, max_len: usize) {
    let mut end = max_len.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
}

/// `pi`, `e`, `1/3` where the constant is exactly that, else the shortest decimal that reads
/// back to the same f64 (Rust's `Display` for f64 guarantees the round trip).
pub fn format_constant(v: f64) -> String {
    if v.is_nan() {
        // Not in the grammar as a literal; 0/0 evaluates to NaN in every backend.
        return "(0/0)".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "(1/0)" } else { "(-1/0)" }.to_string();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a == std::f64::consts::PI {
        return format!("{sign}pi");
    }
    if a == std::f64::consts::E {
        return format!("{sign}e");
    }
    let decimal = format_decimal(a);
    if decimal.len() > 4 && a.fract() != 0.0 {
        for k in 2..=64u32 {
            let n = (a * f64::from(k)).round();
            if n < 1e6 && n / f64::from(k) == a {
                return format!("{sign}{n}/{k}");
            }
        }
    }
    format!("{sign}{decimal}")
}

/// Shortest round-tripping decimal, with an exponent where plain digits would be long.
fn format_decimal(a: f64) -> String {
    let plain = format!("{a}");
    let sci = format!("{a:e}");
    if plain.len() > sci.len() + 3 {
        sci
    } else {
        plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_print_as_people_write_them() {
        assert_eq!(format_constant(std::f64::consts::PI), "pi");
        assert_eq!(format_constant(-std::f64::consts::E), "-e");
        assert_eq!(format_constant(1.0 / 3.0), "1/3");
        assert_eq!(format_constant(0.25), "0.25");
        assert_eq!(format_constant(2.0), "2");
        assert_eq!(format_constant(1e-20), "1e-20");
        assert_eq!(format_constant(0.1), "0.1");
    }
}
