//! The only way nodes are made: constructors that fold constants and keep sums, products and
//! quotients in one normal form, so that derivatives print like a textbook (`2*x`, not
//! `2*x^1*1`) and printing then parsing gives back the very same node.
//!
//! Normal forms: a sum is a left-leaning chain of `Add`/`Sub` over terms `c*t` (like terms
//! combined, constant last); a product is `c * f1 * f2 …` with the constant first and the factors
//! in a stable order (variables and their powers, then compound factors, then function calls);
//! a quotient is one `Div` at the top of a product. Arithmetic on constants always folds (it is
//! exactly what evaluation would compute); a function or power of constants folds only when the
//! result prints short, so `ln(2)*2^x` stays readable.

use super::expr::{Arena, Id, Node, Var};
use super::func::Func;

/// A term of a sum: coefficient and the rest (None for the constant term).
type Term = (f64, Option<Id>);

impl Arena {
    pub fn num(&mut self, value: f64) -> Id {
        // −0 prints as 0, which reads back as +0: one zero keeps print → parse the same node.
        // Likewise one NaN: −(0/0) must be the node (0/0) reads back to.
        let value = if value == 0.0 {
            0.0
        } else if value.is_nan() {
            f64::NAN
        } else {
            value
        };
        self.intern(Node::Const(value.to_bits()))
    }

    pub fn var(&mut self, var: Var) -> Id {
        self.intern(Node::Var(var))
    }

    pub fn neg(&mut self, a: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Neg(a));
        }
        if let Some(c) = self.as_const(a) {
            return self.num(-c);
        }
        let mut terms = Vec::new();
        self.sum_terms(a, -1.0, &mut terms);
        self.build_sum(terms)
    }

    pub fn add(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Add(a, b));
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            return self.num(p + q);
        }
        let mut terms = Vec::new();
        self.sum_terms(a, 1.0, &mut terms);
        self.sum_terms(b, 1.0, &mut terms);
        self.build_sum(terms)
    }

    pub fn sub(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Sub(a, b));
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            return self.num(p - q);
        }
        let mut terms = Vec::new();
        self.sum_terms(a, 1.0, &mut terms);
        self.sum_terms(b, -1.0, &mut terms);
        self.build_sum(terms)
    }

    pub fn mul(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Mul(a, b));
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            return self.num(p * q);
        }
        // A negated quotient lifts too, its sign outside: (−(n/d))*b = −((n*b)/d), the node
        // that the printed `-n*b/d` reads back to.
        for (q, other, q_first) in [(a, b, true), (b, a, false)] {
            if let Node::Neg(inner) = self.node(q)
                && let Node::Div(..) = self.node(inner)
            {
                let m = if q_first {
                    self.mul(inner, other)
                } else {
                    self.mul(other, inner)
                };
                return self.neg(m);
            }
        }
        // A quotient on either side lifts to the top: (n/d)*b = (n*b)/d.
        if let Node::Div(n, d) = self.node(a) {
            let num = self.mul(n, b);
            return self.div(num, d);
        }
        if let Node::Div(n, d) = self.node(b) {
            let num = self.mul(a, n);
            return self.div(num, d);
        }
        let mut coef = 1.0;
        let mut factors = Vec::new();
        self.product_factors(a, &mut coef, &mut factors);
        self.product_factors(b, &mut coef, &mut factors);
        self.build_product(coef, factors)
    }

    pub fn div(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Div(a, b));
        }
        if let (Some(p), Some(q)) = (self.as_const(a), self.as_const(b)) {
            return self.num(p / q);
        }
        if let Some(q) = self.as_const(b) {
            if q == 1.0 {
                return a;
            }
            if q == -1.0 {
                return self.neg(a);
            }
            // Dividing by a power of two is the same as multiplying by its exact reciprocal.
            if is_power_of_two(q) {
                let r = self.num(1.0 / q);
                return self.mul(r, a);
            }
            // 3*x^2/3 → x^2: fold the numerator's coefficient when the ratio is exact.
            let (c, rest) = self.split_coef(a);
            // Not for a bare sign (c = ±1): −x/0.001 must stay −(x/0.001), as x/0.001 stays.
            if c.abs() != 1.0 && (c / q) * q == c && (c / q).fract() == 0.0 {
                let k = self.num(c / q);
                return self.mul(k, rest);
            }
        }
        if self.as_const(a) == Some(0.0) {
            return a;
        }
        if a == b {
            return self.num(1.0);
        }
        if !matches!(self.node(a), Node::Div(..)) && !matches!(self.node(b), Node::Div(..)) {
            // (s − t/q)/b = (s·q − t)/(b·q): the quotient rule's numerator over one line.
            if let Some((n, q)) = self.over_common_denominator(a) {
                let d = self.mul(b, q);
                return self.div(n, d);
            }
            if let Some(n) = self.unsquared_roots(a, b) {
                return self.div(n, b);
            }
            if let Some((n, d)) = self.cancelled(a, b) {
                return self.div(n, d);
            }
        }
        if let Node::Div(n, d) = self.node(a) {
            let den = self.mul(d, b);
            return self.div(n, den);
        }
        if let Node::Div(n, d) = self.node(b) {
            let num = self.mul(a, d);
            return self.div(num, n);
        }
        // Signs move out of the quotient: a/(-b) = -(a/b) and (-a)/b = -(a/b).
        let (cb, rest_b) = self.split_coef(b);
        if cb < 0.0 {
            let pos_b = self.scale(-cb, rest_b);
            let q = self.div(a, pos_b);
            return self.neg(q);
        }
        // A numerator sum that starts with a minus is written -(…)/b, so that the printed form,
        // where the sign binds to the parenthesis, reads back to the same node.
        if self.sum_starts_negative(a) {
            let flipped = self.neg(a);
            let q = self.div(flipped, b);
            return self.neg(q);
        }
        let (ca, rest_a) = self.split_coef(a);
        if ca < 0.0 {
            let pos_a = self.scale(-ca, rest_a);
            let q = self.div(pos_a, b);
            return self.neg(q);
        }
        // A negative constant numerator too: -1/y is -(1/y), the node `-1/y` reads back to.
        if let Some(c) = self.as_const(a)
            && c < 0.0
        {
            let pos_a = self.num(-c);
            let q = self.div(pos_a, b);
            return self.neg(q);
        }
        self.intern(Node::Div(a, b))
    }

    pub fn pow(&mut self, a: Id, b: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Pow(a, b));
        }
        let (ca, cb) = (self.as_const(a), self.as_const(b));
        if let (Some(p), Some(q)) = (ca, cb) {
            let v = super::real_root::pow_const(p, q);
            if prints_short(v) {
                return self.num(v);
            }
        }
        match cb {
            Some(0.0) => return self.num(1.0),
            Some(1.0) => return a,
            _ => {}
        }
        if ca == Some(1.0) {
            return a;
        }
        if let Some(k) = cb
            && let Some(p) = self.distributed_power(a, k)
        {
            return p;
        }
        // (u^p)^q = u^(p*q) holds for every real u only when both exponents are integers,
        // and p*q must stay exact (below 2^53) or its parity, and so the sign, could change.
        if let (Node::Pow(base, p), Some(q)) = (self.node(a), cb)
            && let Some(p) = self.as_const(p)
            && p.fract() == 0.0
            && q.fract() == 0.0
            && (p * q).abs() < 9_007_199_254_740_992.0
        {
            let e = self.num(p * q);
            return self.pow(base, e);
        }
        self.intern(Node::Pow(a, b))
    }

    pub fn call(&mut self, func: Func, a: Id) -> Id {
        if self.verbatim {
            return self.intern(Node::Call(func, a));
        }
        if let Some(c) = self.as_const(a) {
            let v = func.apply(c);
            if prints_short(v) {
                return self.num(v);
            }
        }
        self.intern(Node::Call(func, a))
    }

    /// The mean over the data's rows of `a`. Free of the columns, `a` is its own mean (there is
    /// always a row); free of θ, the mean is a number, computed here once.
    pub fn mean(&mut self, a: Id) -> Id {
        if !self.uses_columns(a) {
            return a;
        }
        let id = self.intern(Node::Mean(a));
        if self.is_var_free(id) {
            let value = super::eval::Program::compile(self, &[id]).eval(0.0, 0.0)[0];
            return self.num(value);
        }
        id
    }

    /// (c·f·g)^k = c^k·f^k·g^k and (n/d)^k = n^k/d^k for an integer k ≥ 2, so that powers
    /// collect with the other factors of a product: (x·y)²·x = x³·y². Exact in exact
    /// arithmetic and defined exactly where the power is; not where c^k would overflow.
    fn distributed_power(&mut self, a: Id, k: f64) -> Option<Id> {
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
    fn cancelled(&mut self, n: Id, d: Id) -> Option<(Id, Id)> {
        let (mut cn, mut fn_) = (1.0, Vec::new());
        self.product_factors(n, &mut cn, &mut fn_);
        let (mut cd, mut fd) = (1.0, Vec::new());
        self.product_factors(d, &mut cd, &mut fd);
        let mut num: Vec<(Id, f64)> = Vec::new();
        for f in fn_ {
            let (b, e) = self.base_and_exponent(f);
            match num.iter_mut().find(|(x, _)| *x == b) {
                Some(entry) => entry.1 += e,
                None => num.push((b, e)),
            }
        }
        let mut den: Vec<(Id, f64)> = Vec::new();
        for f in fd {
            let (b, e) = self.base_and_exponent(f);
            match den.iter_mut().find(|(x, _)| *x == b) {
                Some(entry) => entry.1 += e,
                None => den.push((b, e)),
            }
        }
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
    fn over_common_denominator(&mut self, a: Id) -> Option<(Id, Id)> {
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
    fn unsquared_roots(&mut self, a: Id, b: Id) -> Option<Id> {
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

    /// `c * t` for a term `t` that carries no coefficient of its own. Negative coefficients
    /// become `Neg` of the positive product, so `-2*x` has one form however it was reached.
    fn scale(&mut self, c: f64, t: Id) -> Id {
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

    fn sum_starts_negative(&self, id: Id) -> bool {
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
    fn negated(&mut self, p: Id) -> Id {
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
    fn split_coef(&mut self, id: Id) -> (f64, Id) {
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

    fn sum_terms(&mut self, id: Id, sign: f64, out: &mut Vec<Term>) {
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

    fn build_sum(&mut self, terms: Vec<Term>) -> Id {
        let mut constant = 0.0;
        let mut combined: Vec<(f64, Id)> = Vec::new();
        for (c, t) in terms {
            match t {
                None => constant += c,
                Some(t) => match combined.iter_mut().find(|(_, u)| *u == t) {
                    Some(entry) => entry.0 += c,
                    None => combined.push((c, t)),
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

    fn product_factors(&mut self, id: Id, coef: &mut f64, out: &mut Vec<Id>) {
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
    fn base_and_exponent(&self, id: Id) -> (Id, f64) {
        if let Node::Pow(base, e) = self.node(id)
            && let Some(e) = self.as_const(e)
            && e.fract() == 0.0
        {
            return (base, e);
        }
        (id, 1.0)
    }

    fn build_product(&mut self, coef: f64, factors: Vec<Id>) -> Id {
        if coef == 0.0 {
            return self.num(0.0);
        }
        let mut powers: Vec<(Id, f64)> = Vec::new();
        for f in factors {
            let (base, e) = self.base_and_exponent(f);
            match powers.iter_mut().find(|(b, _)| *b == base) {
                Some(entry) => entry.1 += e,
                None => powers.push((base, e)),
            }
        }
        let mut coef = coef;
        let mut rebuilt = Vec::with_capacity(powers.len());
        for (base, e) in powers {
            if e == 0.0 {
                continue;
            }
            let exponent = self.num(e);
            let p = self.pow(base, exponent);
            match self.as_const(p) {
                Some(c) => coef *= c,
                None => rebuilt.push(p),
            }
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
    fn factor_rank(&self, id: Id) -> (u8, u8) {
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

/// Powers as the evaluator computes them (x^2 as x*x: exact and what every library does).
#[inline]
pub fn pow_f64(base: f64, exponent: f64) -> f64 {
    if exponent == 2.0 {
        base * base
    } else {
        base.powf(exponent)
    }
}

fn is_power_of_two(v: f64) -> bool {
    const MANTISSA: u64 = (1 << 52) - 1;
    v.is_normal() && v.to_bits() & MANTISSA == 0
}

/// Whether a folded constant reads well in print (`1`, `0.5`, `-3`), as opposed to `0.6931…`.
pub(crate) fn prints_short(v: f64) -> bool {
    v.is_finite() && ((v.fract() == 0.0 && v.abs() < 1e15) || format!("{v}").len() <= 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_combine_like_terms_and_cancel() {
        let mut a = Arena::new();
        let x = a.var(Var::X);
        let s = a.add(x, x);
        let two = a.num(2.0);
        let two_x = a.mul(two, x);
        assert_eq!(s, two_x);
        let z = a.sub(x, x);
        assert_eq!(a.as_const(z), Some(0.0));
    }

    #[test]
    fn products_collect_powers_and_constants() {
        let mut a = Arena::new();
        let x = a.var(Var::X);
        let y = a.var(Var::Y);
        let xy = a.mul(x, y);
        let yx = a.mul(y, x);
        assert_eq!(xy, yx);
        let xx = a.mul(x, x);
        let two = a.num(2.0);
        assert_eq!(xx, a.pow(x, two));
        let three = a.num(3.0);
        let x3 = a.pow(x, three);
        let x2x = a.mul(xx, x);
        assert_eq!(x2x, x3);
    }

    #[test]
    fn dividing_by_a_power_of_two_is_a_product() {
        let mut a = Arena::new();
        let x = a.var(Var::X);
        let two = a.num(2.0);
        let half = a.num(0.5);
        assert_eq!(a.div(x, two), a.mul(half, x));
    }

    #[test]
    fn quotients_cancel_only_what_keeps_their_holes() {
        let mut a = Arena::new();
        let (x, y) = (a.var(Var::X), a.var(Var::Y));
        let (two, three) = (a.num(2.0), a.num(3.0));
        let xy = a.mul(x, y);
        let xy2 = a.pow(xy, two);
        let x2 = a.pow(x, two);
        let y2 = a.pow(y, two);
        let x2y2 = a.mul(x2, y2);
        assert_eq!(xy2, x2y2, "(x·y)² collects as x²·y²");
        // y/y³ → 1/y²: y = 0 is still a zero of the denominator.
        let y3 = a.pow(y, three);
        let q = a.div(y, y3);
        assert_eq!(a.to_text(q), "1/y^2");
        // x²/x is not x: the hole at 0 stays.
        let q = a.div(x2, x);
        assert_eq!(a.to_text(q), "x^2/x");
        let p = crate::math::eval::Program::compile(&a, &[q]);
        assert!(p.eval(0.0, 0.0)[0].is_nan());
        // 2·x/(2·√x) → x/√x, never 1·x/√x or √x.
        let s = a.call(Func::Sqrt, x);
        let n = a.mul(two, x);
        let d = a.mul(two, s);
        let q = a.div(n, d);
        assert_eq!(a.to_text(q), "x/sqrt(x)");
    }

    #[test]
    fn unsquared_roots_of_quotients_and_negations_read_back() {
        // √(x/0.001)² is x/0.001 and √(−s)² is −s: as a factor of a product, where the fuzzer
        // found them, they printed forms (x^6*(x/0.001)) that read back as other nodes.
        for src in [
            "-sqrt((x)/1e-3)/(x^(7))+-(--2.5E+4)*y",
            "cos(2.5E+4/x+(x)^2/sqrt(-sigmoid(ln((sigmoid(log((ln(7)))))+(softplus(asin(x)))**(3^y)))))",
            // A cancelled base that is a quotient, and a coefficient that underflows to 0.
            "((x)*-softplus(cosh((x)*x/e+(log(1e300*((5e-324)/exp(softplus(5e-324-(e)**x)))^--(2.5E+4) 1e-300)))))",
            "1e300 abs((y ((-1e308)+y)**sqrt((x)*x)**(x)*x))-(5e-324/x-5e-324)**(2)/x",
        ] {
            let f = crate::function::Function::parse(src).unwrap();
            for &d in f.gradient_ids() {
                let text = f.arena().to_text(d);
                let mut arena = f.arena().clone();
                let again = crate::math::parse(&mut arena, &text).unwrap();
                assert_eq!(
                    again,
                    d,
                    "{src}: {text} read back as {}",
                    arena.to_text(again)
                );
            }
        }
    }

    #[test]
    fn functions_of_constants_fold_only_when_short() {
        let mut a = Arena::new();
        let zero = a.num(0.0);
        let c = a.call(Func::Cos, zero);
        assert_eq!(a.as_const(c), Some(1.0));
        let two = a.num(2.0);
        let l = a.call(Func::Ln, two);
        assert!(a.as_const(l).is_none());
    }
}
