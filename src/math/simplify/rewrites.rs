//! Rewrites that let a power or a quotient collect with the rest of a product or sum: a power
//! of a product distributed, common factors cancelled where no hole is lost, a sum of
//! quotients over one denominator, squared square roots unsquared.

use super::super::expr::{Arena, Id, Node};
use super::super::func::Func;
use super::pow_f64;

impl Arena {
    /// (c·f·g)^k = c^k·f^k·g^k and (n/d)^k = n^k/d^k for an integer k ≥ 2, so that powers
    /// collect with the other factors of a product: (x·y)²·x = x³·y². Exact in exact
    /// arithmetic and defined exactly where the power is; not where c^k would overflow.
    pub(super) fn distributed_power(&mut self, a: Id, k: f64) -> Option<Id> {
        if !(2.0..=64.0).contains(&k) || k.fract() != 0.0 {
            return None;
        }
        let e = self.num(k);
        match self.node(a) {
            Node::Div(n, d) => {
                let (n, d) = (self.pow(n, e), self.pow(d, e));
                Some(self.div(n, d))
            }
            Node::Mul(..) | Node::Neg(_) => {
                let mut coef = 1.0;
                let mut factors = Vec::new();
                self.product_factors(a, &mut coef, &mut factors);
                let ck = pow_f64(coef, k);
                if factors.is_empty() || !ck.is_normal() {
                    return None;
                }
                let powered: Vec<Id> = factors.into_iter().map(|f| self.pow(f, e)).collect();
                Some(self.build_product(ck, powered))
            }
            _ => None,
        }
    }

    /// n/d with what the two have in common taken out, where that is safe: a constant ratio
    /// that is exact, and a power of a common factor that d keeps a power of afterwards (so d is
    /// still zero, and the quotient still undefined, wherever it was: y/y³ → 1/y², never
    /// y/y → 1). None when nothing cancels.
    pub(super) fn cancelled(&mut self, n: Id, d: Id) -> Option<(Id, Id)> {
        let (mut cn, mut fn_) = (1.0, Vec::new());
        self.product_factors(n, &mut cn, &mut fn_);
        let (mut cd, mut fd) = (1.0, Vec::new());
        self.product_factors(d, &mut cd, &mut fd);
        let mut num = self.collected_powers(fn_);
        let mut den = self.collected_powers(fd);
        let mut changed = false;
        for (b, en) in num.iter_mut() {
            if let Some((_, ed)) = den.iter_mut().find(|(x, _)| x == b)
                && *en > 0.0
                && *ed > *en
            {
                *ed -= *en;
                *en = 0.0;
                changed = true;
            }
        }
        // 2·x/(2·s) → x/s, 6·x/(3·s) → 2·x/s: only for a whole, exact ratio (as the constant
        // denominators above), and not by a constant denominator, which keeps its own rules.
        if cd != 1.0 && cn != 0.0 && !den.is_empty() && cd.is_finite() && cn.is_finite() {
            let r = cn / cd;
            if r * cd == cn && r.fract() == 0.0 && r.abs() < 1e15 {
                cn = r;
                cd = 1.0;
                changed = true;
            }
        }
        if !changed {
            return None;
        }
        let rebuild = |arena: &mut Arena, parts: Vec<(Id, f64)>| -> Vec<Id> {
            parts
                .into_iter()
                .filter(|&(_, e)| e != 0.0)
                .map(|(b, e)| {
                    let e = arena.num(e);
                    arena.pow(b, e)
                })
                .collect()
        };
        let fn_ = rebuild(self, num);
        let fd = rebuild(self, den);
        // A base that is itself a quotient or a negation ((5e-324/e^s)^24999 over its 25000th
        // power) is no factor of a product in normal form: it would print as one and read back
        // lifted, another node. Those stay uncancelled.
        if fn_
            .iter()
            .chain(&fd)
            .any(|&f| matches!(self.node(f), Node::Div(..) | Node::Neg(_)))
        {
            return None;
        }
        let n = self.build_product(cn, fn_);
        let d = self.build_product(cd, fd);
        Some((n, d))
    }

    /// A sum with quotient terms that all share one denominator q, as (its terms times q, q).
    /// Only for a sum with a term that is not a quotient: s − t/q, never t/q alone. Where q is
    /// 0 the quotient is still undefined, its denominator now holding q.
    pub(super) fn over_common_denominator(&mut self, a: Id) -> Option<(Id, Id)> {
        if !matches!(self.node(a), Node::Add(..) | Node::Sub(..)) {
            return None;
        }
        let mut terms = Vec::new();
        self.sum_terms(a, 1.0, &mut terms);
        let mut q = None;
        let mut plain = false;
        for &(_, t) in &terms {
            match t.map(|t| self.node(t)) {
                Some(Node::Div(_, d)) => match q {
                    None => q = Some(d),
                    Some(q) if q == d => {}
                    Some(_) => return None,
                },
                _ => plain = true,
            }
        }
        let q = q.filter(|_| plain)?;
        let mut over = Vec::with_capacity(terms.len());
        for (c, t) in terms {
            let t = match t {
                None => {
                    let k = self.num(1.0);
                    self.mul(k, q)
                }
                Some(t) => match self.node(t) {
                    Node::Div(n, _) => n,
                    _ => self.mul(t, q),
                },
            };
            self.sum_terms(t, c, &mut over);
        }
        Some((self.build_sum(over), q))
    }

    /// A numerator sum whose terms hold √A^(2k) over a denominator with a factor √A^m: the
    /// √A^(2k) become A^k. Exact where A ≥ 0; where A < 0 the denominator's √A is NaN, so the
    /// quotient is undefined there as before.
    pub(super) fn unsquared_roots(&mut self, a: Id, b: Id) -> Option<Id> {
        let (mut cb, mut fb) = (1.0, Vec::new());
        self.product_factors(b, &mut cb, &mut fb);
        let roots: Vec<Id> = fb
            .iter()
            .map(|&f| self.base_and_exponent(f))
            .filter(|&(base, e)| e > 0.0 && matches!(self.node(base), Node::Call(Func::Sqrt, _)))
            .map(|(base, _)| base)
            .collect();
        if roots.is_empty() {
            return None;
        }
        let mut terms = Vec::new();
        self.sum_terms(a, 1.0, &mut terms);
        let mut changed = false;
        let mut out = Vec::with_capacity(terms.len());
        for (c, t) in terms {
            let Some(t) = t else {
                out.push((c, None));
                continue;
            };
            let (mut k, mut factors) = (1.0, Vec::new());
            self.product_factors(t, &mut k, &mut factors);
            let mut this = false;
            for f in factors.iter_mut() {
                let (base, e) = self.base_and_exponent(*f);
                if let Node::Call(Func::Sqrt, inner) = self.node(base)
                    && roots.contains(&base)
                    && e > 0.0
                    && e % 2.0 == 0.0
                {
                    let half = self.num(e / 2.0);
                    *f = self.pow(inner, half);
                    this = true;
                }
            }
            // A term left as it was keeps its node: rebuilt, a quotient inside it would lift.
            if !this {
                out.push((c, Some(t)));
                continue;
            }
            changed = true;
            // Through `mul`, coefficient and all, as the printed term is read back: A may be a
            // quotient or a negation (√(x/0.001)² is x/0.001), which lifts to the top of the
            // term, never a factor inside it, and −7·x⁶·(x/0.001) then folds to −7000·x⁷,
            // a like term of the others.
            let mut rebuilt = self.num(c * k);
            for f in factors {
                rebuilt = self.mul(rebuilt, f);
            }
            self.sum_terms(rebuilt, 1.0, &mut out);
        }
        changed.then(|| self.build_sum(out))
    }
}
