//! The notebook's table of differentiation rules: each rule's name, its formula and a one-line
//! sketch of why it holds. `diff.rs` says which rule it applied at each node; the derivation,
//! the CLI and the app's Rules window read the words from here.

use super::func::Func;

/// A rule of the table. The grammar's other functions each have their own rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    Constant,
    Variable,
    Sum,
    Difference,
    ConstantMultiple,
    Product,
    Quotient,
    Power,
    /// u^v where both depend on the variable: through e^(v·ln u).
    VariableExponent,
    Exponential,
    Logarithm,
    Sin,
    Cos,
    Tan,
    Chain,
    /// The mean over a data set's rows: the mean of the rows' derivatives.
    Mean,
    /// Any other built-in function's own derivative (asin, sqrt, abs, …).
    Function(Func),
}

impl Rule {
    /// The rules in the order the notebook's table gives them, then the other functions'.
    pub fn table() -> Vec<Rule> {
        let mut rules = vec![
            Rule::Constant,
            Rule::Variable,
            Rule::Sum,
            Rule::Difference,
            Rule::ConstantMultiple,
            Rule::Product,
            Rule::Quotient,
            Rule::Power,
            Rule::Exponential,
            Rule::Logarithm,
            Rule::Sin,
            Rule::Cos,
            Rule::Tan,
            Rule::Chain,
            Rule::VariableExponent,
            Rule::Mean,
        ];
        rules.extend(
            Func::ALL
                .into_iter()
                .map(Rule::of_function)
                .filter(|r| matches!(r, Rule::Function(_))),
        );
        rules
    }

    /// The rule for differentiating `func` at the variable itself.
    pub fn of_function(func: Func) -> Rule {
        match func {
            Func::Sin => Rule::Sin,
            Func::Cos => Rule::Cos,
            Func::Tan => Rule::Tan,
            Func::Exp => Rule::Exponential,
            Func::Ln => Rule::Logarithm,
            other => Rule::Function(other),
        }
    }

    /// The notebook's name (and the CLI's `"rule"`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::Constant => "constant",
            Rule::Variable => "variable",
            Rule::Sum => "sum",
            Rule::Difference => "difference",
            Rule::ConstantMultiple => "constant multiple",
            Rule::Product => "product",
            Rule::Quotient => "quotient",
            Rule::Power => "power",
            Rule::VariableExponent => "variable exponent",
            Rule::Exponential => "exponential",
            Rule::Logarithm => "logarithm",
            Rule::Sin => "sin",
            Rule::Cos => "cos",
            Rule::Tan => "tan",
            Rule::Chain => "chain",
            Rule::Mean => "mean over the rows",
            Rule::Function(f) => match f {
                Func::Asin => "arcsine",
                Func::Acos => "arccosine",
                Func::Atan => "arctangent",
                Func::Sinh => "sinh",
                Func::Cosh => "cosh",
                Func::Tanh => "tanh",
                Func::Asinh => "inverse sinh",
                Func::Acosh => "inverse cosh",
                Func::Atanh => "inverse tanh",
                Func::Sqrt => "square root",
                Func::Cbrt => "cube root",
                Func::Abs => "absolute value",
                Func::Sign => "sign",
                Func::Sigmoid => "sigmoid",
                Func::Softplus => "softplus",
                // Mapped to their own variants by `of_function`.
                Func::Sin | Func::Cos | Func::Tan | Func::Exp | Func::Ln => f.name(),
            },
        }
    }

    /// The rule itself, in Unicode maths (c a constant, u and v functions of x).
    pub fn formula(self) -> &'static str {
        match self {
            Rule::Constant => "(c)′ = 0",
            Rule::Variable => "(x)′ = 1",
            Rule::Sum => "(u + v)′ = u′ + v′",
            Rule::Difference => "(u − v)′ = u′ − v′",
            Rule::ConstantMultiple => "(c·u)′ = c·u′",
            Rule::Product => "(u·v)′ = u′·v + u·v′",
            Rule::Quotient => "(u/v)′ = (u′·v − u·v′)/v²",
            Rule::Power => "(x^n)′ = n·x^(n−1)",
            Rule::VariableExponent => "(u^v)′ = u^v·(v′·ln(u) + v·u′/u)",
            Rule::Exponential => "(e^x)′ = e^x,  (a^x)′ = ln(a)·a^x",
            Rule::Logarithm => "(ln(x))′ = 1/x",
            Rule::Sin => "(sin(x))′ = cos(x)",
            Rule::Cos => "(cos(x))′ = −sin(x)",
            Rule::Tan => "(tan(x))′ = 1/cos²(x)",
            Rule::Chain => "(f(g(x)))′ = f′(g(x))·g′(x)",
            Rule::Mean => "(mean over the rows of u)′ = mean over the rows of u′",
            Rule::Function(f) => match f {
                Func::Asin => "(asin(x))′ = 1/√(1 − x²)",
                Func::Acos => "(acos(x))′ = −1/√(1 − x²)",
                Func::Atan => "(atan(x))′ = 1/(1 + x²)",
                Func::Sinh => "(sinh(x))′ = cosh(x)",
                Func::Cosh => "(cosh(x))′ = sinh(x)",
                Func::Tanh => "(tanh(x))′ = 1 − tanh²(x)",
                Func::Asinh => "(asinh(x))′ = 1/√(x² + 1)",
                Func::Acosh => "(acosh(x))′ = 1/√(x² − 1)",
                Func::Atanh => "(atanh(x))′ = 1/(1 − x²)",
                Func::Sqrt => "(√x)′ = 1/(2·√x)",
                Func::Cbrt => "(∛x)′ = 1/(3·∛x²)",
                Func::Abs => "(|x|)′ = sign(x), for x ≠ 0",
                Func::Sign => "(sign(x))′ = 0, for x ≠ 0",
                Func::Sigmoid => "(σ(x))′ = σ(x)·(1 − σ(x))",
                Func::Softplus => "(softplus(x))′ = σ(x)",
                Func::Sin | Func::Cos | Func::Tan | Func::Exp | Func::Ln => "",
            },
        }
    }

    /// One line on why the rule holds, from the limit of (f(x+h) − f(x))/h.
    pub fn proof(self) -> &'static str {
        match self {
            Rule::Constant => "A constant never changes: (c − c)/h = 0 for every h.",
            Rule::Variable => "((x + h) − x)/h = 1 for every h.",
            Rule::Sum => "The quotient of u + v is the sum of their quotients, and limits add.",
            Rule::Difference => {
                "The quotient of u − v is the difference of theirs; limits subtract."
            }
            Rule::ConstantMultiple => "c factors out of (c·u(x+h) − c·u(x))/h.",
            Rule::Product => {
                "Add and subtract u(x+h)·v(x): the quotient splits into u(x+h)·Δv/h + v(x)·Δu/h."
            }
            Rule::Quotient => "Write u/v = u·v⁻¹ and use the product, power and chain rules.",
            Rule::Power => {
                "(x+h)^n = x^n + n·x^(n−1)·h + terms in h²; for real n, x^n = e^(n·ln(x))."
            }
            Rule::VariableExponent => {
                "u^v = e^(v·ln(u)): the exponential, chain and product rules."
            }
            Rule::Exponential => {
                "e^(x+h) − e^x = e^x·(e^h − 1) and (e^h − 1)/h → 1; a^x = e^(x·ln(a))."
            }
            Rule::Logarithm => "Differentiate e^(ln(x)) = x by the chain rule: x·(ln(x))′ = 1.",
            Rule::Sin => {
                "sin(x+h) = sin(x)·cos(h) + cos(x)·sin(h), (cos(h) − 1)/h → 0, sin(h)/h → 1."
            }
            Rule::Cos => "cos(x+h) = cos(x)·cos(h) − sin(x)·sin(h), with the same two limits.",
            Rule::Tan => "tan = sin/cos; the quotient rule gives (cos² + sin²)/cos² = 1/cos².",
            Rule::Chain => "g moves by g′·h, and f moves f′(g(x)) times as much as its input.",
            Rule::Mean => {
                "A mean is a sum times the constant 1/n: the sum and constant multiple rules."
            }
            Rule::Function(f) => match f {
                Func::Asin | Func::Acos | Func::Atan | Func::Asinh | Func::Acosh | Func::Atanh => {
                    "An inverse function: differentiate f(f⁻¹(x)) = x by the chain rule."
                }
                Func::Sinh | Func::Cosh | Func::Tanh => {
                    "Written with e^x and e^(−x): the exponential rule, term by term."
                }
                Func::Sqrt | Func::Cbrt => "A power: √x = x^(1/2), ∛x = x^(1/3).",
                Func::Abs | Func::Sign => "Away from 0 the function is ±x or constant.",
                Func::Sigmoid => {
                    "σ = 1/(1 + e^(−x)): the quotient and exponential rules give e^(−x)/(1 + e^(−x))²."
                }
                Func::Softplus => {
                    "softplus = ln(1 + e^x): the logarithm and chain rules give e^x/(1 + e^x) = σ(x)."
                }
                Func::Sin | Func::Cos | Func::Tan | Func::Exp | Func::Ln => "",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_every_rule_once_with_words() {
        let table = Rule::table();
        for (i, rule) in table.iter().enumerate() {
            assert!(!rule.formula().is_empty(), "{rule:?}");
            assert!(!rule.proof().is_empty(), "{rule:?}");
            assert!(
                !table[..i].iter().any(|r| r.name() == rule.name()),
                "{rule:?}"
            );
        }
        for f in Func::ALL {
            assert!(table.contains(&Rule::of_function(f)), "{f:?}");
        }
    }
}
