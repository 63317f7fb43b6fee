//! Derivatives multiplied out where that prints no longer, as SymPy's `simplify` leaves
//! polynomials: 2·(12·y² − 4) + 24·y² is 48·y² − 8. Only the differentiator calls this, so f
//! keeps the form it was typed in.
//!
//! A node is read as a polynomial over atoms (variables, and whatever is not a sum, product,
//! negation, whole power or quotient by a whole number: calls, other quotients, fractional
//! powers), its terms multiplied out and like terms combined, and rebuilt through the
//! simplifying constructors, so the result is a normal form that reads back as itself. The
//! expanded form is kept only when it prints smaller.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::fast_hash::FastMap;
use std::rc::Rc;

use super::expr::{Arena, Id, Node, Var};

/// Atoms with their positive exponents, ordered by atom.
type Monomial = Vec<(Id, u32)>;

/// A coefficient p/q, with q a whole number (1 but for quotients by whole numbers, kept apart
/// so that x⁴/3 and 2·x⁴/3 add up exactly: x^6/3 + 2·x^6/3 is x^6, not 0.999…·x^6).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Coef {
    p: f64,
    q: f64,
}

type Poly = BTreeMap<Monomial, Coef>;

/// Most terms a polynomial may have while it is multiplied out; beyond, it is left as it is.
const MAX_TERMS: usize = 64;
/// Highest power of a sum that is multiplied out.
const MAX_POWER: u32 = 16;
/// Largest whole denominator kept apart (products of them must stay exact).
const MAX_DENOMINATOR: f64 = 1e6;
/// Deeper nodes are atoms: bounds the recursion, so any expression fits the stack.
const MAX_DEPTH: u32 = 64;
/// Printed sizes are compared up to this; larger expressions are left as they are.
const MAX_SIZE: u64 = 20_000;

/// A node's polynomial, and whether reading it multiplied anything out (a sum times something,
/// a power of a sum, a sum over a whole number); None where it is not worth reading as one.
type Read = Option<(Poly, bool)>;

/// What `Arena::expanded` has read, shared by the steps of one derivative.
#[derive(Default)]
pub(super) struct ExpandCache {
    polys: FastMap<Id, Rc<Read>>,
    /// Printed sizes: each step's result shares most of its nodes with the steps before.
    sizes: FastMap<Id, u64>,
}

impl Coef {
    fn of(v: f64) -> Coef {
        Coef { p: v, q: 1.0 }
    }

    fn is_zero(self) -> bool {
        self.p == 0.0
    }

    /// p/q with a common whole factor taken out, or None where it is no longer exact or finite.
    fn reduced(self) -> Option<Coef> {
        let Coef { mut p, mut q } = self;
        if !p.is_finite() || !q.is_finite() || q > MAX_DENOMINATOR * MAX_DENOMINATOR {
            return None;
        }
        if p == 0.0 {
            return Some(Coef::of(0.0));
        }
        if p.fract() == 0.0 && p.abs() < 9e15 && q > 1.0 {
            let g = gcd(p.abs(), q);
            p /= g;
            q /= g;
        }
        Some(Coef { p, q })
    }

    fn add(self, other: Coef) -> Option<Coef> {
        if self.q == other.q {
            return Coef {
                p: self.p + other.p,
                q: self.q,
            }
            .reduced();
        }
        Coef {
            p: self.p * other.q + other.p * self.q,
            q: self.q * other.q,
        }
        .reduced()
    }

    fn mul(self, other: Coef) -> Option<Coef> {
        Coef {
            p: self.p * other.p,
            q: self.q * other.q,
        }
        .reduced()
    }
}

/// `v`, or the shortest decimal within two units in its last place: 2.1·12 is computed as
/// 25.200000000000003, which is 25.2 written with the rounding of the steps that made it.
fn short(v: f64) -> f64 {
    // Whole numbers (most coefficients) are as short as they get; formatting is the cost here.
    if v.fract() == 0.0 || !v.is_finite() {
        return v;
    }
    let ulp = f64::EPSILON * v.abs();
    for digits in 1..16 {
        let Ok(r) = format!("{:.*e}", digits - 1, v).parse::<f64>() else {
            break;
        };
        if r == v {
            break;
        }
        if (r - v).abs() <= 2.0 * ulp {
            return r;
        }
    }
    v
}

fn gcd(mut a: f64, mut b: f64) -> f64 {
    while b != 0.0 {
        (a, b) = (b, a % b);
    }
    a
}

fn add_term(poly: &mut Poly, m: Monomial, c: Coef) -> Option<()> {
    let sum = match poly.get(&m) {
        Some(&old) => old.add(c)?,
        None => c,
    };
    if sum.is_zero() {
        poly.remove(&m);
    } else {
        poly.insert(m, sum);
    }
    (poly.len() <= MAX_TERMS).then_some(())
}

fn times(a: &Poly, b: &Poly) -> Option<Poly> {
    let mut out = Poly::new();
    for (ma, &ca) in a {
        for (mb, &cb) in b {
            let mut m = ma.clone();
            for &(atom, e) in mb {
                match m.iter_mut().find(|(x, _)| *x == atom) {
                    Some(entry) => entry.1 += e,
                    None => m.push((atom, e)),
                }
            }
            m.sort_unstable();
            add_term(&mut out, m, ca.mul(cb)?)?;
        }
    }
    Some(out)
}

/// Whether a polynomial is a single term, which multiplies without expanding anything.
fn is_monomial(p: &Poly) -> bool {
    p.len() <= 1
}

impl Arena {
    /// `d` multiplied out where that prints no longer (see the module's notes), else `d`.
    pub(super) fn expanded(&mut self, d: Id, cache: &mut ExpandCache) -> Id {
        // A quotient's numerator (the quotient rule's a′b − ab′) multiplies out on its own.
        match self.node(d) {
            Node::Div(n, q) => {
                let n2 = self.expanded(n, cache);
                if n2 == n {
                    return d;
                }
                let e = self.div(n2, q);
                return self.smaller_or_equal(e, d, cache);
            }
            Node::Neg(a) if matches!(self.node(a), Node::Div(..)) => {
                let a2 = self.expanded(a, cache);
                if a2 == a {
                    return d;
                }
                let e = self.neg(a2);
                return self.smaller_or_equal(e, d, cache);
            }
            _ => {}
        }
        let Some((poly, expands)) = self.read_poly_owned(d, cache) else {
            return d;
        };
        // Nothing to multiply out, but a coefficient the constructors folded with its rounding
        // showing (8.4·3 = 25.200000000000003) is written short.
        let rounded = poly.values().any(|c| short(c.p) != c.p);
        // A polynomial in the variables alone is written highest degree first, however the
        // sum rule concatenated its parts (12·x²·y² − 2·x² + 9·x + 30·x²·y⁴ …).
        let pure = poly
            .keys()
            .flatten()
            .all(|&(atom, _)| matches!(self.node(atom), Node::Var(_)));
        if !expands && !rounded && !pure {
            return d;
        }
        let e = self.build_poly(&poly);
        if !expands {
            return self.smaller_or_equal(e, d, cache);
        }
        self.smaller(e, d, cache)
    }

    /// `candidate` where it prints smaller than `d`: at a tie the product rule's form stays
    /// (2·(x + 1), as the textbook writes it, not 2·x + 2).
    fn smaller(&self, candidate: Id, d: Id, cache: &mut ExpandCache) -> Id {
        let new = self.printed_size(candidate, &mut cache.sizes);
        let old = self.printed_size(d, &mut cache.sizes);
        if new < old { candidate } else { d }
    }

    /// `candidate` where it prints no larger than `d`.
    fn smaller_or_equal(&self, candidate: Id, d: Id, cache: &mut ExpandCache) -> Id {
        if candidate == d {
            return d;
        }
        let new = self.printed_size(candidate, &mut cache.sizes);
        let old = self.printed_size(d, &mut cache.sizes);
        if new <= old && new < MAX_SIZE {
            candidate
        } else {
            d
        }
    }

    /// Nodes `id` has written out as a tree, saturating at MAX_SIZE; only the nodes below `id`
    /// are visited (an iterative walk, children before parents).
    fn printed_size(&self, id: Id, sizes: &mut FastMap<Id, u64>) -> u64 {
        let mut stack = vec![(id, false)];
        while let Some((n, ready)) = stack.pop() {
            if sizes.contains_key(&n) {
                continue;
            }
            let node = self.node(n);
            if ready {
                let s = node.children().fold(1u64, |acc, c| {
                    acc.saturating_add(sizes.get(&c).copied().unwrap_or(MAX_SIZE))
                });
                sizes.insert(n, s.min(MAX_SIZE));
            } else {
                stack.push((n, true));
                stack.extend(node.children().map(|c| (c, false)));
            }
        }
        sizes[&id]
    }

    /// A node's polynomial, shared with the cache: a parent that only reads it (a product)
    /// copies nothing.
    fn read_poly(&mut self, id: Id, cache: &mut ExpandCache) -> Rc<Read> {
        if let Some(read) = cache.polys.get(&id) {
            return Rc::clone(read);
        }
        let read = Rc::new(self.read_poly_uncached(id, cache));
        cache.polys.insert(id, Rc::clone(&read));
        read
    }

    /// A node's polynomial to change: a copy where the cache shares it.
    fn read_poly_owned(&mut self, id: Id, cache: &mut ExpandCache) -> Read {
        let read = self.read_poly(id, cache);
        Rc::try_unwrap(read).unwrap_or_else(|shared| (*shared).clone())
    }

    fn atom(id: Id) -> Read {
        Some((Poly::from([(vec![(id, 1)], Coef::of(1.0))]), false))
    }

    fn read_poly_uncached(&mut self, id: Id, cache: &mut ExpandCache) -> Read {
        if self.depth(id) > MAX_DEPTH {
            return Arena::atom(id);
        }
        match self.node(id) {
            Node::Const(bits) => {
                let v = f64::from_bits(bits);
                // NaN and ∞ are left where they are: multiplied out they could vanish.
                if !v.is_finite() {
                    return None;
                }
                let mut p = Poly::new();
                add_term(&mut p, Vec::new(), Coef::of(v))?;
                Some((p, false))
            }
            Node::Neg(a) => {
                let (mut p, flag) = self.read_poly_owned(a, cache)?;
                for c in p.values_mut() {
                    c.p = -c.p;
                }
                Some((p, flag))
            }
            Node::Add(a, b) | Node::Sub(a, b) => {
                let sign = if matches!(self.node(id), Node::Sub(..)) {
                    -1.0
                } else {
                    1.0
                };
                let (mut p, fa) = self.read_poly_owned(a, cache)?;
                let read_b = self.read_poly(b, cache);
                let (q, fb) = read_b.as_ref().as_ref()?;
                let fb = *fb;
                for (m, c) in q.iter().map(|(m, c)| (m.clone(), *c)) {
                    add_term(
                        &mut p,
                        m,
                        Coef {
                            p: sign * c.p,
                            q: c.q,
                        },
                    )?;
                }
                Some((p, fa || fb))
            }
            Node::Mul(a, b) => {
                let (read_a, read_b) = (self.read_poly(a, cache), self.read_poly(b, cache));
                let ((p, fa), (q, fb)) = (read_a.as_ref().as_ref()?, read_b.as_ref().as_ref()?);
                let expands = !is_monomial(p) || !is_monomial(q);
                Some((times(p, q)?, *fa || *fb || expands))
            }
            Node::Div(n, q) => match self.as_const(q) {
                Some(c) if c.fract() == 0.0 && c > 1.0 && c <= MAX_DENOMINATOR => {
                    let (mut p, flag) = self.read_poly_owned(n, cache)?;
                    for coef in p.values_mut() {
                        *coef = coef.mul(Coef { p: 1.0, q: c })?;
                    }
                    let expands = flag || !is_monomial(&p);
                    Some((p, expands))
                }
                _ => Arena::atom(id),
            },
            Node::Pow(base, e) => match self.as_const(e) {
                Some(k) if k.fract() == 0.0 && (1.0..=MAX_POWER as f64).contains(&k) => {
                    let (p, flag) = self.read_poly_owned(base, cache)?;
                    if is_monomial(&p) && !p.is_empty() {
                        // (c·x^a)^k without expanding: only the exponents grow.
                        let (m, c) = p.into_iter().next()?;
                        let m = m.into_iter().map(|(x, a)| (x, a * k as u32)).collect();
                        let mut ck = Coef::of(1.0);
                        for _ in 0..k as u32 {
                            ck = ck.mul(c)?;
                        }
                        let mut out = Poly::new();
                        add_term(&mut out, m, ck)?;
                        return Some((out, flag));
                    }
                    let mut out = p.clone();
                    for _ in 1..k as u32 {
                        out = times(&out, &p)?;
                    }
                    Some((out, true))
                }
                _ => Arena::atom(id),
            },
            Node::Var(_) | Node::Call(..) | Node::Mean(_) => Arena::atom(id),
        }
    }

    /// The polynomial through the constructors, highest degree first (48·y² − 8, x + 16·y³ −
    /// 8·y as 16·y³ + x − 8·y: degree, then x before y).
    fn build_poly(&mut self, poly: &Poly) -> Id {
        let mut terms: Vec<(&Monomial, Coef)> = poly.iter().map(|(m, &c)| (m, c)).collect();
        terms.sort_by(|a, b| self.monomial_order(a.0, b.0));
        let mut acc: Option<Id> = None;
        for (m, c) in terms {
            let mut t = self.num(short(c.p));
            for &(atom, e) in m {
                let k = self.num(f64::from(e));
                let f = self.pow(atom, k);
                t = self.mul(t, f);
            }
            if c.q != 1.0 {
                let q = self.num(c.q);
                t = self.div(t, q);
            }
            acc = Some(match acc {
                None => t,
                Some(s) => self.add(s, t),
            });
        }
        acc.unwrap_or_else(|| self.num(0.0))
    }

    /// Higher total degree first; then more of x, then of y; then by atom.
    fn monomial_order(&self, a: &Monomial, b: &Monomial) -> Ordering {
        let degree = |m: &Monomial| m.iter().map(|&(_, e)| e).sum::<u32>();
        let power_of = |m: &Monomial, v: Var| {
            m.iter()
                .find(|&&(x, _)| self.node(x) == Node::Var(v))
                .map_or(0, |&(_, e)| e)
        };
        degree(b)
            .cmp(&degree(a))
            .then_with(|| power_of(b, Var::X).cmp(&power_of(a, Var::X)))
            .then_with(|| power_of(b, Var::Y).cmp(&power_of(a, Var::Y)))
            .then_with(|| a.cmp(b))
    }
}

#[cfg(test)]
mod tests {
    use crate::function::Function;

    fn grad(src: &str) -> Vec<String> {
        Function::parse(src).unwrap().gradient_texts()
    }

    #[test]
    fn constants_distribute_and_like_terms_combine() {
        assert_eq!(
            grad("(x + 2*y - 7)^2 + (2*x + y - 5)^2"),
            ["10*x + 8*y - 34", "8*x + 10*y - 38"]
        );
        let camel = Function::parse("(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2").unwrap();
        assert_eq!(camel.gradient_texts()[0], "2*x^5 - 8.4*x^3 + 8*x + y");
        assert_eq!(camel.hessian_texts()[0], "10*x^4 - 25.2*x^2 + 8");
        assert_eq!(camel.hessian_texts()[3], "48*y^2 - 8");
    }

    #[test]
    fn f_keeps_its_form_and_larger_expansions_are_not_taken() {
        let src = "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2";
        let f = Function::parse(src).unwrap();
        assert_eq!(
            f.text(),
            "x^2*(-2.1*x^2 + x^4/3 + 4) + x*y + y^2*(4*y^2 - 4)"
        );
        // 10·(x + 1)⁹ multiplied out is ten terms.
        assert_eq!(grad("(x + 1)^10"), ["10*(x + 1)^9"]);
        // Not a polynomial in x: cos(x) is an atom, and 2·cos(x)·(x + 1) is no larger.
        assert_eq!(grad("cos(x)*(x + 1)^2")[0].matches("cos(x)").count(), 1);
    }

    #[test]
    fn values_are_those_of_the_product_rule_to_rounding() {
        // Goldstein–Price: its Hessian is multiplied out, as SymPy's is; against central
        // differences of the gradient, which is not.
        let src = "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))";
        let f = Function::parse(src).unwrap();
        assert!(
            f.hessian_texts()[0].starts_with("8064*x^6"),
            "{}",
            f.hessian_texts()[0]
        );
        for &(x, y) in &[(0.0, -1.0), (0.3, 0.7), (-1.2, 1.9)] {
            let h = f.hessian(&[x, y]);
            let step = 1e-6;
            let gx = |x: f64, y: f64| f.gradient(&[x, y]);
            let (a, b) = (gx(x + step, y), gx(x - step, y));
            let fd_xx = (a[0] - b[0]) / (2.0 * step);
            // Entry (1, 0): ∂/∂x of ∂f/∂y.
            let fd_yx = (a[1] - b[1]) / (2.0 * step);
            let tol = |v: f64| 1e-5 * v.abs().max(1e3);
            assert!(
                (h[0] - fd_xx).abs() < tol(fd_xx),
                "{x},{y}: {} vs {fd_xx}",
                h[0]
            );
            assert!(
                (h[2] - fd_yx).abs() < tol(fd_yx),
                "{x},{y}: {} vs {fd_yx}",
                h[2]
            );
        }
    }
}
