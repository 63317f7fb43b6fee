//! The normal forms themselves: a sum as like terms combined with the constant last, a product
//! as a constant times factors in a stable order, and the splitting of a node into the terms
//! or factors they are built from.

use super::super::expr::{Arena, Id, Node};
use super::super::fast_hash::FastMap;
use super::Term;

impl Arena {
    /// `c * t` for a term `t` that carries no coefficient of its own. Negative coefficients
    /// become `Neg` of the positive product, so `-2*x` has one form however it was reached.
    pub(super) fn scale(&mut self, c: f64, t: Id) -> Id {
        if let Some(v) = self.as_const(t) {
            return self.num(c * v);
        }
        if c == 0.0 {
            return self.num(0.0);
        }
        if c < 0.0 {
            let p = self.scale(-c, t);
            return self.negated(p);
        }
        if c == 1.0 {
            return t;
        }
        match self.node(t) {
            // Through `div`, so that 2·(x/0.001) folds to 2000·x exactly as `2*x/0.001`
            // does when it is parsed.
            Node::Div(r, d) => {
                let n = self.scale(c, r);
                self.div(n, d)
            }
            Node::Mul(k, r) if let Some(kv) = self.as_const(k) => self.scale(c * kv, r),
            Node::Neg(r) => {
                let p = self.scale(c, r);
                self.negated(p)
            }
            _ => {
                let k = self.num(c);
                self.intern(Node::Mul(k, t))
            }
        }
    }

    pub(super) fn sum_starts_negative(&self, id: Id) -> bool {
        let mut cur = id;
        if !matches!(self.node(cur), Node::Add(..) | Node::Sub(..)) {
            return false;
        }
        while let Node::Add(l, _) | Node::Sub(l, _) = self.node(cur) {
            cur = l;
        }
        matches!(self.node(cur), Node::Neg(_)) || self.as_const(cur).is_some_and(|c| c < 0.0)
    }

    /// `-p` for a `p` already in normal form.
    pub(super) fn negated(&mut self, p: Id) -> Id {
        match self.node(p) {
            Node::Const(bits) => self.num(-f64::from_bits(bits)),
            Node::Neg(q) => q,
            // NaN/d is NaN whatever the sign: −((0/0)/d) is the node `-(0/0)/d` reads back to.
            Node::Div(n, _) if self.as_const(n).is_some_and(f64::is_nan) => p,
            // A negated sum is distributed, as `neg` does: −1·(x + 1) must be the node that
            // its printed form `-x - 1` parses back to, not a separate −(x + 1).
            Node::Add(..) | Node::Sub(..) => self.neg(p),
            _ => self.intern(Node::Neg(p)),
        }
    }

    /// Splits a normalised term into its constant coefficient and the rest.
    pub(super) fn split_coef(&mut self, id: Id) -> (f64, Id) {
        match self.node(id) {
            Node::Mul(a, b) => match self.as_const(a) {
                Some(c) => (c, b),
                None => (1.0, id),
            },
            Node::Neg(a) => {
                let (c, rest) = self.split_coef(a);
                (-c, rest)
            }
            Node::Div(n, d) => {
                let (c, rest) = self.split_coef(n);
                if c == 1.0 {
                    (1.0, id)
                } else {
                    let q = self.intern(Node::Div(rest, d));
                    (c, q)
                }
            }
            _ => (1.0, id),
        }
    }

    pub(super) fn sum_terms(&mut self, id: Id, sign: f64, out: &mut Vec<Term>) {
        match self.node(id) {
            Node::Add(a, b) => {
                self.sum_terms(a, sign, out);
                self.sum_terms(b, sign, out);
            }
            Node::Sub(a, b) => {
                self.sum_terms(a, sign, out);
                self.sum_terms(b, -sign, out);
            }
            Node::Neg(a) => self.sum_terms(a, -sign, out),
            Node::Const(bits) => out.push((sign * f64::from_bits(bits), None)),
            _ => {
                let (c, rest) = self.split_coef(id);
                out.push((sign * c, Some(rest)));
            }
        }
    }

    pub(super) fn build_sum(&mut self, terms: Vec<Term>) -> Id {
        let mut constant = 0.0;
        // Like terms gathered in the order they first appear; the index keeps this linear (a
        // search of `combined` made a 500-term sum and its derivatives take seconds).
        let mut combined: Vec<(f64, Id)> = Vec::new();
        let mut position: FastMap<Id, usize> = FastMap::default();
        for (c, t) in terms {
            match t {
                None => constant += c,
                Some(t) => match position.get(&t) {
                    Some(&k) => combined[k].0 += c,
                    None => {
                        position.insert(t, combined.len());
                        combined.push((c, t));
                    }
                },
            }
        }
        let mut acc: Option<Id> = None;
        for (c, t) in combined {
            if c == 0.0 {
                continue;
            }
            // A term whose coefficient underflows (5e-324·2·(0.5·k)) is a constant, never a
            // `0 - t` that prints as a sum reading back without its zero.
            let m = self.scale(c.abs(), t);
            if let Some(v) = self.as_const(m) {
                constant += c.signum() * v;
                continue;
            }
            acc = Some(match acc {
                None => self.scale(c, t),
                Some(sum) if c < 0.0 => {
                    let m = self.scale(-c, t);
                    self.intern(Node::Sub(sum, m))
                }
                Some(sum) => {
                    let m = self.scale(c, t);
                    self.intern(Node::Add(sum, m))
                }
            });
        }
        match acc {
            None => self.num(constant),
            Some(sum) if constant == 0.0 => sum,
            Some(sum) if constant < 0.0 => {
                let k = self.num(-constant);
                self.intern(Node::Sub(sum, k))
            }
            Some(sum) => {
                let k = self.num(constant);
                self.intern(Node::Add(sum, k))
            }
        }
    }

    pub(super) fn product_factors(&mut self, id: Id, coef: &mut f64, out: &mut Vec<Id>) {
        match self.node(id) {
            Node::Mul(a, b) => {
                self.product_factors(a, coef, out);
                self.product_factors(b, coef, out);
            }
            Node::Neg(a) => {
                *coef = -*coef;
                self.product_factors(a, coef, out);
            }
            Node::Const(bits) => *coef *= f64::from_bits(bits),
            _ => out.push(id),
        }
    }

    /// The base and integer exponent of a factor, for combining `x * x^2` into `x^3`.
    pub(super) fn base_and_exponent(&self, id: Id) -> (Id, f64) {
        if let Node::Pow(base, e) = self.node(id)
            && let Some(e) = self.as_const(e)
            && e.fract() == 0.0
        {
            return (base, e);
        }
        (id, 1.0)
    }

    /// `factors` as (base, exponent) pairs, the exponents of one base summed, in the order
    /// each base first appears: x·y·x² → [(x, 3), (y, 1)].
    pub(super) fn collected_powers(&self, factors: Vec<Id>) -> Vec<(Id, f64)> {
        // Bases in the order they first appear, found through an index as in `build_sum`.
        let mut powers: Vec<(Id, f64)> = Vec::new();
        let mut position: FastMap<Id, usize> = FastMap::default();
        for f in factors {
            let (base, e) = self.base_and_exponent(f);
            match position.get(&base) {
                Some(&k) => powers[k].1 += e,
                None => {
                    position.insert(base, powers.len());
                    powers.push((base, e));
                }
            }
        }
        powers
    }

    pub(super) fn build_product(&mut self, coef: f64, factors: Vec<Id>) -> Id {
        self.build_product_flattening(coef, factors, true)
    }

    fn build_product_flattening(&mut self, coef: f64, factors: Vec<Id>, flatten: bool) -> Id {
        if coef == 0.0 {
            return self.num(0.0);
        }
        let powers = self.collected_powers(factors);
        let mut coef = coef;
        let mut rebuilt = Vec::with_capacity(powers.len());
        let mut nested = false;
        for (base, e) in powers {
            if e == 0.0 {
                continue;
            }
            let exponent = self.num(e);
            let p = self.pow(base, exponent);
            match self.as_const(p) {
                Some(c) => coef *= c,
                None => {
                    nested |= matches!(self.node(p), Node::Mul(..) | Node::Neg(_));
                    rebuilt.push(p);
                }
            }
        }
        if nested && flatten {
            // A power that comes out as a product ((c·u)^25000 over (c·u)^24999 leaves c·u)
            // joins this product factor by factor, its coefficient with ours, as reading the
            // printed form back does: otherwise `…*1e300*ln(u)` reads back as another node.
            let mut flat = Vec::with_capacity(rebuilt.len());
            for f in rebuilt {
                self.product_factors(f, &mut coef, &mut flat);
            }
            return self.build_product_flattening(coef, flat, false);
        }
        rebuilt.sort_by_key(|&f| self.factor_rank(f));
        let Some((&first, rest)) = rebuilt.split_first() else {
            return self.num(coef);
        };
        let mut product = first;
        for &f in rest {
            product = self.intern(Node::Mul(product, f));
        }
        self.scale(coef, product)
    }

    /// Order of factors in a printed product: x before y before their powers' kin, then
    /// compound factors, then function calls (`4*x*cos(2*x^2)`, `y*cos(x*y)`).
    pub(super) fn factor_rank(&self, id: Id) -> (u8, u8) {
        if self.is_var_free(id) {
            return (0, 0); // ln(2)*2^x
        }
        match self.node(id) {
            Node::Var(v) => (1, v.index() as u8),
            Node::Pow(b, _) => match self.node(b) {
                Node::Var(v) => (1, v.index() as u8),
                _ => (2, 0),
            },
            Node::Call(..) => (4, 0),
            _ => (3, 0),
        }
    }
}
