//! Validity tracking. WGSL lets an implementation assume that no NaN or infinity occurs and
//! leaves builtins undefined outside their domain, so NaN propagation cannot be relied on.
//! Instead every node carries a [`Validity`]: a boolean that holds where the f64 evaluator's
//! value is a number (its children are valid and its own domain condition holds). Outputs are
//! `select(gs_nan(), value, valid)`; overflow to ±inf is left to the kernel's final finite check.

/// Where a node's value is valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Validity {
    /// Everywhere (a variable, a finite constant, `sin` of something valid everywhere...).
    Always,
    /// Nowhere (a constant that is not finite in f32, `ln(-1)`...).
    Never,
    /// Where the named `bool` (a `let` of the generated function) is true.
    When(String),
}

impl Validity {
    /// The condition as a WGSL `bool` expression.
    pub fn expr(&self) -> &str {
        match self {
            Validity::Always => "true",
            Validity::Never => "false",
            Validity::When(name) => name,
        }
    }
}

/// What the validity of a node is once its children's validities and its own conditions are
/// combined: either one of the inputs unchanged (no new `let` needed), or a conjunction that
/// the writer binds to a fresh `let`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Combined {
    Same(Validity),
    /// `a && b && ...`, fully parenthesised.
    Conjunction(String),
}

/// Conjunction of `children` (their validities) and `conditions` (the node's own domain rules,
/// WGSL `bool` expressions over its operands).
pub fn all_of<'a>(
    children: impl IntoIterator<Item = &'a Validity>,
    conditions: impl IntoIterator<Item = String>,
) -> Combined {
    let mut terms: Vec<String> = Vec::new();
    for child in children {
        match child {
            Validity::Always => {}
            Validity::Never => return Combined::Same(Validity::Never),
            Validity::When(name) => {
                if !terms.contains(name) {
                    terms.push(name.clone());
                }
            }
        }
    }
    let inherited = terms.len();
    terms.extend(conditions);
    let own = terms.len() > inherited;
    match terms.len() {
        0 => Combined::Same(Validity::Always),
        1 if !own => Combined::Same(Validity::When(terms.pop().unwrap_or_default())),
        1 => Combined::Conjunction(terms.pop().unwrap_or_default()),
        _ => Combined::Conjunction(format!("({})", terms.join(" && "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(name: &str) -> Validity {
        Validity::When(name.to_string())
    }

    #[test]
    fn always_and_never_absorb() {
        assert_eq!(
            all_of([&Validity::Always, &Validity::Always], []),
            Combined::Same(Validity::Always)
        );
        assert_eq!(
            all_of([&when("ok1"), &Validity::Never], []),
            Combined::Same(Validity::Never)
        );
    }

    #[test]
    fn one_child_is_reused_without_a_new_let() {
        assert_eq!(
            all_of([&when("ok3"), &Validity::Always], []),
            Combined::Same(when("ok3"))
        );
        assert_eq!(
            all_of([&when("ok3"), &when("ok3")], []),
            Combined::Same(when("ok3"))
        );
    }

    #[test]
    fn conditions_make_a_conjunction() {
        assert_eq!(
            all_of([&Validity::Always], ["(v2 > 0.0f)".to_string()]),
            Combined::Conjunction("(v2 > 0.0f)".into())
        );
        assert_eq!(
            all_of([&when("ok1"), &when("ok2")], ["(v2 != 0.0f)".to_string()]),
            Combined::Conjunction("(ok1 && ok2 && (v2 != 0.0f))".into())
        );
    }
}
