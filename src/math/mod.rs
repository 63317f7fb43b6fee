//! The math engine: parse typed expressions into a hash-consed DAG, differentiate them
//! symbolically, print them back, and evaluate them in f64. Knows nothing of GPUs or UIs.

mod derivation;
mod diff;
mod display;
mod error;
mod eval;
mod expand;
mod expr;
mod fast_hash;
mod formula;
mod func;
mod lexer;
mod parser;
mod pretty;
mod real_root;
mod rounding;
mod rules;
mod simplify;

pub use derivation::{Derivation, MAX_DETAILED, OuterRule, OuterText, Step, StepText};
pub use display::{Names, format_constant};
pub use error::{ParseError, Span};
pub use eval::{BATCH, Program};
pub use expr::{Arena, DataRows, Id, MAX_COLUMNS, Node, Var};
pub use formula::Formula;
pub use func::{Func, sigmoid, sign, softplus};
pub use parser::{
    MAX_LENGTH, MAX_NESTING, MAX_TREE_DEPTH, NameScope, mentions_y, parse, parse_scoped,
    parse_verbatim,
};
pub use pretty::pretty;
pub use real_root::{MAX_ODD_DENOMINATOR, OddRoot, exponent_minus_one, pow_const};
pub use rules::Rule;
pub use simplify::pow_f64;

#[cfg(test)]
mod sympy_sizes;
#[cfg(test)]
pub(crate) mod tests;
