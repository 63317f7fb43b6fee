//! Recursive-descent parser for the expression language of ../shared/CLI.md, implicit
//! multiplication included. It builds straight into an [`Arena`] through the simplifying
//! constructors, and bounds its own recursion so no input can overflow the stack.

use std::collections::HashMap;

use super::error::{ParseError, Span};
use super::expr::{Arena, Id, Var};
use super::func::Func;
use super::lexer::{Token, TokenKind, tokenize};

/// Longest expression accepted, in bytes.
pub const MAX_LENGTH: usize = 50_000;
/// Deepest nesting of parentheses, signs and exponents accepted.
pub const MAX_NESTING: usize = 200;
/// Deepest expression tree accepted (a long chain `x+x+…` is deep without any parentheses);
/// every later recursive walk — derivatives, printing, code generation — relies on this bound.
pub const MAX_TREE_DEPTH: u32 = 600;

/// Parses `src` into `arena` and returns the root.
pub fn parse(arena: &mut Arena, src: &str) -> Result<Id, ParseError> {
    parse_inner(arena, src, None).map_err(|e| e.with_source(src))
}

/// The names an expression may use in place of the variables x and y (the constants and
/// functions stay): a data model's θ0, θ1 and columns, a loss's m and t. Each stands for a node
/// already in the arena.
#[derive(Clone, Debug, Default)]
pub struct NameScope {
    pub names: HashMap<String, Id>,
    /// What the names are, for the error on an unknown one ("the parameters theta0, theta1 and
    /// the columns x, y").
    pub described: String,
}

/// Parses `src` into `arena` with the names of `scope` instead of x and y.
pub fn parse_scoped(arena: &mut Arena, src: &str, scope: &NameScope) -> Result<Id, ParseError> {
    parse_inner(arena, src, Some(scope)).map_err(|e| e.with_source(src))
}

/// The expression exactly as typed, not simplified (`x/x` stays a quotient), in `arena`: what
/// decides where f is defined. Call after [`parse`] succeeded on the same text.
pub fn parse_verbatim(arena: &mut Arena, src: &str) -> Result<Id, ParseError> {
    arena.verbatim = true;
    let id = parse(arena, src);
    arena.verbatim = false;
    id
}

/// Whether the variable `y` is written anywhere in `src` (which makes it a 2-D expression).
pub fn mentions_y(src: &str) -> bool {
    tokenize(src).is_ok_and(|tokens| {
        tokens
            .iter()
            .any(|t| matches!(&t.kind, TokenKind::Name(n) if n == "y"))
    })
}

fn parse_inner(arena: &mut Arena, src: &str, scope: Option<&NameScope>) -> Result<Id, ParseError> {
    if src.len() > MAX_LENGTH {
        return Err(ParseError::new(
            format!(
                "expression too long ({} bytes; the limit is {MAX_LENGTH})",
                src.len()
            ),
            Span::new(MAX_LENGTH, src.len()),
        ));
    }
    let tokens = tokenize(src)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        arena,
        nesting: 0,
        scope,
    };
    if p.peek().kind == TokenKind::End {
        return Err(ParseError::new("the expression is empty", Span::new(0, 0)));
    }
    let root = p.expr()?;
    let tok = p.peek();
    match tok.kind {
        TokenKind::End => Ok(root),
        TokenKind::RParen => Err(ParseError::new(
            "unmatched ')': there is no '(' for it to close",
            tok.span,
        )),
        _ => Err(ParseError::new(
            format!(
                "unexpected {}: expected an operator (+ - * / ^) or the end",
                tok.kind.describe()
            ),
            tok.span,
        )),
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    arena: &'a mut Arena,
    nesting: usize,
    scope: Option<&'a NameScope>,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        // The token list always ends with End, and `pos` never moves past it.
        &self.tokens[self.pos]
    }

    fn advance(&mut self) -> Token {
        let t = self.tokens[self.pos].clone();
        if t.kind != TokenKind::End {
            self.pos += 1;
        }
        t
    }

    fn enter(&mut self, span: Span) -> Result<(), ParseError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(ParseError::new(
                format!("expression nested too deeply (more than {MAX_NESTING} levels)"),
                span,
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    fn check_depth(&self, id: Id, span: Span) -> Result<Id, ParseError> {
        if self.arena.depth(id) > MAX_TREE_DEPTH {
            return Err(ParseError::new(
                format!(
                    "expression too deep (more than {MAX_TREE_DEPTH} operations in a chain); \
                     split it into smaller parts"
                ),
                span,
            ));
        }
        Ok(id)
    }

    /// expr := term (('+' | '-') term)*
    fn expr(&mut self) -> Result<Id, ParseError> {
        let mut lhs = self.term()?;
        loop {
            let op = self.peek().clone();
            let rhs = match op.kind {
                TokenKind::Plus | TokenKind::Minus => {
                    self.advance();
                    self.term()?
                }
                _ => return Ok(lhs),
            };
            lhs = if op.kind == TokenKind::Plus {
                self.arena.add(lhs, rhs)
            } else {
                self.arena.sub(lhs, rhs)
            };
            lhs = self.check_depth(lhs, op.span)?;
        }
    }

    /// term := unary (('*' | '/') unary | power)*   — the bare `power` is implicit multiplication.
    fn term(&mut self) -> Result<Id, ParseError> {
        let mut lhs = self.unary()?;
        loop {
            let op = self.peek().clone();
            lhs = match op.kind {
                TokenKind::Star => {
                    self.advance();
                    let rhs = self.unary()?;
                    self.arena.mul(lhs, rhs)
                }
                TokenKind::Slash => {
                    self.advance();
                    let rhs = self.unary()?;
                    self.arena.div(lhs, rhs)
                }
                TokenKind::Number(_) | TokenKind::Name(_) | TokenKind::LParen => {
                    if matches!(op.kind, TokenKind::Number(_))
                        && matches!(self.tokens[self.pos - 1].kind, TokenKind::Number(_))
                    {
                        return Err(ParseError::new(
                            "two numbers in a row: put an operator between them",
                            op.span,
                        ));
                    }
                    let rhs = self.power()?;
                    self.arena.mul(lhs, rhs)
                }
                _ => return Ok(lhs),
            };
            lhs = self.check_depth(lhs, op.span)?;
        }
    }

    /// unary := ('-' | '+') unary | power   — binds looser than '^', tighter than '*'.
    fn unary(&mut self) -> Result<Id, ParseError> {
        let tok = self.peek().clone();
        match tok.kind {
            TokenKind::Minus | TokenKind::Plus => {
                self.advance();
                self.enter(tok.span)?;
                let v = self.unary()?;
                self.leave();
                if tok.kind == TokenKind::Minus {
                    let n = self.arena.neg(v);
                    self.check_depth(n, tok.span)
                } else {
                    Ok(v)
                }
            }
            _ => self.power(),
        }
    }

    /// power := primary ('^' unary)?   — right-associative: 2^3^2 = 2^9, and x^-2 works.
    fn power(&mut self) -> Result<Id, ParseError> {
        let base = self.primary()?;
        let tok = self.peek().clone();
        if tok.kind != TokenKind::Caret {
            return Ok(base);
        }
        self.advance();
        self.enter(tok.span)?;
        let exponent = self.unary()?;
        self.leave();
        let p = self.arena.pow(base, exponent);
        self.check_depth(p, tok.span)
    }

    fn primary(&mut self) -> Result<Id, ParseError> {
        let tok = self.advance();
        match tok.kind {
            TokenKind::Number(v) => Ok(self.arena.num(v)),
            TokenKind::Name(name) => self.name(&name, tok.span),
            TokenKind::LParen => {
                self.enter(tok.span)?;
                if self.peek().kind == TokenKind::RParen {
                    return Err(ParseError::new(
                        "empty parentheses: expected an expression inside",
                        self.peek().span,
                    ));
                }
                let inner = self.expr()?;
                self.expect_close(tok.span)?;
                self.leave();
                Ok(inner)
            }
            other => Err(ParseError::new(
                format!(
                    "expected a number, x, y, a function or '(' but found {}",
                    other.describe()
                ),
                tok.span,
            )),
        }
    }

    fn expect_close(&mut self, open: Span) -> Result<(), ParseError> {
        let tok = self.peek().clone();
        if tok.kind == TokenKind::RParen {
            self.advance();
            return Ok(());
        }
        let what = if tok.kind == TokenKind::End {
            "missing ')' to close a '('".to_string()
        } else {
            format!("expected ')' but found {}", tok.kind.describe())
        };
        // Point at the '(' that is left open when the expression simply ends.
        let span = if tok.kind == TokenKind::End {
            open
        } else {
            tok.span
        };
        Err(ParseError::new(what, span))
    }

    fn name(&mut self, name: &str, span: Span) -> Result<Id, ParseError> {
        match (self.scope, name) {
            (Some(scope), _) if let Some(&id) = scope.names.get(name) => return Ok(id),
            (None, "x") => return Ok(self.arena.var(Var::X)),
            (None, "y") => return Ok(self.arena.var(Var::Y)),
            (_, "pi") => return Ok(self.arena.num(std::f64::consts::PI)),
            (_, "e") => return Ok(self.arena.num(std::f64::consts::E)),
            _ => {}
        }
        let Some(func) = Func::from_name(name) else {
            let message = match self.scope {
                Some(scope) => format!(
                    "unknown name '{name}': the names here are {}, the constants pi and e, \
                     and the functions {}",
                    scope.described,
                    Func::ALL.map(|f| f.name()).join(", ")
                ),
                None => unknown_name_message(name),
            };
            return Err(ParseError::new(message, span));
        };
        let open = self.peek().clone();
        if open.kind != TokenKind::LParen {
            return Err(ParseError::new(
                format!("expected '(' after the function name '{name}', as in {name}(x)"),
                open.span,
            ));
        }
        self.advance();
        self.enter(open.span)?;
        if self.peek().kind == TokenKind::RParen {
            return Err(ParseError::new(
                format!("{name}() needs an argument"),
                self.peek().span,
            ));
        }
        let arg = self.expr()?;
        self.expect_close(open.span)?;
        self.leave();
        let c = self.arena.call(func, arg);
        self.check_depth(c, span)
    }
}

/// "unknown name 'xy' (did you mean x*y?)" and friends: a guess at what was meant.
fn unknown_name_message(name: &str) -> String {
    let hint = guess(name);
    match hint {
        Some(h) => format!("unknown name '{name}' (did you mean {h}?)"),
        None => format!(
            "unknown name '{name}': the variables are x and y, the constants pi and e, \
             and the functions {}",
            Func::ALL.map(|f| f.name()).join(", ")
        ),
    }
}

fn guess(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower != name
        && (["x", "y", "pi", "e", "log"].contains(&lower.as_str())
            || Func::from_name(&lower).is_some())
    {
        return Some(lower);
    }
    // A run of variables and constants written together: xy → x*y, x2 → x*2, pix → pi*x.
    if let Some(parts) = split_factors(name)
        && parts.len() > 1
    {
        return Some(parts.join("*"));
    }
    // A function name run into its argument: sinx → sin(x).
    let mut funcs: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
    funcs.push("log");
    funcs.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for f in funcs {
        if let Some(rest) = name.strip_prefix(f)
            && !rest.is_empty()
            && split_factors(rest).is_some()
        {
            return Some(format!("{f}({})", split_factors(rest)?.join("*")));
        }
    }
    let alias = match name {
        "arcsin" => "asin",
        "arccos" => "acos",
        "arctan" => "atan",
        "arsinh" | "arcsinh" => "asinh",
        "arcosh" | "arccosh" => "acosh",
        "artanh" | "arctanh" => "atanh",
        "log10" => "ln(x)/ln(10)",
        "log2" => "ln(x)/ln(2)",
        "sqr" => "x^2",
        "pow" => "x^y",
        "Pi" | "PI" => "pi",
        _ => return None,
    };
    Some(alias.to_string())
}

/// Splits `xy2pi` into ["x", "y", "2", "pi"] when it is made only of variables, constants and
/// digit runs.
fn split_factors(s: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("pi") {
            parts.push("pi".to_string());
            rest = r;
        } else if rest.starts_with(['x', 'y', 'e']) {
            parts.push(rest[..1].to_string());
            rest = &rest[1..];
        } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
            let n = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            parts.push(rest[..n].to_string());
            rest = &rest[n..];
        } else {
            return None;
        }
    }
    Some(parts)
}
