//! Expressions as a hash-consed DAG: every distinct sub-expression is stored once in an
//! [`Arena`] and named by an [`Id`], so f, ∇f and H share their common parts.
//! Nodes are only made through the simplifying constructors in `simplify/`.

use super::fast_hash::FastMap;
use std::sync::Arc;

use super::func::Func;

/// Handle of a node in one [`Arena`]. Ids from different arenas must not be mixed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub(crate) u32);

impl Id {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The variables of the language: an expression that mentions `y` is 2-D. A data objective's
/// arena names x and y `theta0` and `theta1` and adds its data set's columns, `Col(k)`, which
/// only ever occur under a [`Node::Mean`] over the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    X,
    Y,
    Col(u8),
}

/// Most columns one data objective's expressions may use (the variable masks have 32 bits).
pub const MAX_COLUMNS: usize = 24;

impl Var {
    /// The variables one may differentiate by, in order.
    pub const ALL: [Var; 2] = [Var::X, Var::Y];

    /// The name in a plain expression (`x`, `y`; a column's name lives in its arena's data).
    pub fn name(self) -> &'static str {
        match self {
            Var::X => "x",
            Var::Y => "y",
            Var::Col(_) => "col",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Var::X => 0,
            Var::Y => 1,
            Var::Col(k) => 2 + k as usize,
        }
    }
}

/// Bits of the variable masks that stand for data columns.
const COLUMN_BITS: u32 = !0b11;

/// The rows a data objective's [`Node::Mean`] nodes average over: the values of the columns its
/// expressions use (`Var::Col(k)` is `names[k]`), row-major, `rows × names.len()`.
#[derive(Clone, Debug, PartialEq)]
pub struct DataRows {
    pub names: Vec<String>,
    pub values: Vec<f64>,
    pub rows: usize,
}

impl DataRows {
    /// Row `r`'s values, one per column.
    pub fn row(&self, r: usize) -> &[f64] {
        let k = self.names.len();
        &self.values[r * k..(r + 1) * k]
    }
}

/// One node. Constants are kept as bit patterns so that nodes can be hashed; `Sub` and `Div`
/// are kept (rather than `a + -1*b`, `a * b^-1`) so that printed results read like a textbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    Const(u64),
    Var(Var),
    Neg(Id),
    Add(Id, Id),
    Sub(Id, Id),
    Mul(Id, Id),
    Div(Id, Id),
    Pow(Id, Id),
    Call(Func, Id),
    /// The mean over the rows of the arena's data of an expression in the columns (and θ).
    Mean(Id),
}

impl Node {
    /// The children of a node, in order.
    pub fn children(&self) -> impl Iterator<Item = Id> {
        let (a, b) = match *self {
            Node::Const(_) | Node::Var(_) => (None, None),
            Node::Neg(a) | Node::Call(_, a) | Node::Mean(a) => (Some(a), None),
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Pow(a, b) => (Some(a), Some(b)),
        };
        a.into_iter().chain(b)
    }
}

/// Storage for one family of expressions (a function and its derivatives).
#[derive(Clone, Debug, Default)]
pub struct Arena {
    nodes: Vec<Node>,
    /// Longest path from each node to a leaf: bounds every recursive walk over the DAG.
    depths: Vec<u32>,
    /// Which variables occur below each node (bit k for `Var` with index k); a mean over the
    /// rows no longer depends on the columns it averages.
    var_masks: Vec<u32>,
    index: FastMap<Node, Id>,
    /// While set, the constructors intern nodes as written, without simplifying: how the
    /// expression as typed is kept beside its normal form, to decide where f is defined.
    pub(crate) verbatim: bool,
    /// The data set a data objective's means run over; None for a plain expression.
    data: Option<Arc<DataRows>>,
}

impl Arena {
    pub fn new() -> Arena {
        Arena::default()
    }

    /// An arena for a data objective: x and y are the parameters θ0 and θ1, and the columns of
    /// `data` are variables `Col(k)` to be averaged over its rows.
    pub fn with_data(data: DataRows) -> Arena {
        Arena {
            data: Some(Arc::new(data)),
            ..Arena::default()
        }
    }

    /// The data of a data objective's arena.
    pub fn data(&self) -> Option<&Arc<DataRows>> {
        self.data.as_ref()
    }

    /// Whether a column of the data occurs in the expression (outside any mean over the rows).
    pub fn uses_columns(&self, id: Id) -> bool {
        self.var_masks[id.index()] & COLUMN_BITS != 0
    }

    pub fn node(&self, id: Id) -> Node {
        self.nodes[id.index()]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn depth(&self, id: Id) -> u32 {
        self.depths[id.index()]
    }

    pub fn uses_y(&self, id: Id) -> bool {
        self.var_masks[id.index()] & (1 << Var::Y.index()) != 0
    }

    /// Whether `var` occurs in the expression.
    pub fn mentions(&self, id: Id, var: Var) -> bool {
        self.var_masks[id.index()] & (1 << var.index()) != 0
    }

    /// Whether no variable occurs in the expression (like `ln(2)`).
    pub fn is_var_free(&self, id: Id) -> bool {
        self.var_masks[id.index()] == 0
    }

    /// The constant a node holds, if it is one.
    pub fn as_const(&self, id: Id) -> Option<f64> {
        match self.node(id) {
            Node::Const(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }

    /// Number of nodes `id` has when written out as a tree (what printing costs), saturating
    /// at `cap`: shared nodes are counted at every use, so this can be exponential in depth.
    pub fn tree_size(&self, id: Id, cap: u64) -> u64 {
        let mut sizes: Vec<u64> = vec![0; id.index() + 1];
        // Children always have smaller ids than their parents, so one pass in id order works.
        for k in 0..=id.index() {
            let node = self.nodes[k];
            let size = node
                .children()
                .fold(1u64, |acc, c| acc.saturating_add(sizes[c.index()]));
            sizes[k] = size.min(cap);
        }
        sizes[id.index()]
    }

    /// Number of distinct nodes reachable from `roots` (what a shared evaluation costs).
    pub fn reachable_count(&self, roots: &[Id]) -> usize {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<Id> = roots.to_vec();
        let mut count = 0;
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.index()], true) {
                continue;
            }
            count += 1;
            stack.extend(self.node(id).children());
        }
        count
    }

    /// Returns the one node equal to `node`, creating it if new. Constructors in `simplify/`
    /// call this after normalising; nothing else should.
    pub(crate) fn intern(&mut self, node: Node) -> Id {
        let node = match node {
            // One NaN and one zero of each sign: keeps hashing consistent with evaluation.
            Node::Const(bits) if f64::from_bits(bits).is_nan() => Node::Const(f64::NAN.to_bits()),
            other => other,
        };
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let depth = node
            .children()
            .map(|c| self.depths[c.index()] + 1)
            .max()
            .unwrap_or(0);
        let own = match node {
            Node::Var(v) => 1u32 << v.index(),
            _ => 0,
        };
        let mut mask = node
            .children()
            .fold(own, |m, c| m | self.var_masks[c.index()]);
        if let Node::Mean(_) = node {
            mask &= !COLUMN_BITS;
        }
        // The parser's length and depth limits keep arenas far below 2^32 nodes.
        let id = Id(u32::try_from(self.nodes.len()).expect("expression arena exceeds u32 nodes"));
        self.nodes.push(node);
        self.depths.push(depth);
        self.var_masks.push(mask);
        self.index.insert(node, id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_nodes_are_stored_once() {
        let mut a = Arena::new();
        let x = a.intern(Node::Var(Var::X));
        let x2 = a.intern(Node::Var(Var::X));
        assert_eq!(x, x2);
        let s1 = a.intern(Node::Call(Func::Sin, x));
        let s2 = a.intern(Node::Call(Func::Sin, x));
        assert_eq!(s1, s2);
        assert_eq!(a.len(), 2);
        assert_eq!(a.depth(s1), 1);
        assert!(!a.uses_y(s1));
    }

    #[test]
    fn tree_size_counts_shared_nodes_at_every_use_and_saturates() {
        let mut a = Arena::new();
        let x = a.intern(Node::Var(Var::X));
        let mut e = x;
        for _ in 0..100 {
            e = a.intern(Node::Add(e, e)); // a DAG of 101 nodes, a tree of 2^101 − 1
        }
        assert_eq!(a.tree_size(x, u64::MAX), 1);
        let two = a.intern(Node::Add(x, x));
        assert_eq!(a.tree_size(two, u64::MAX), 3);
        assert_eq!(a.tree_size(e, 1_000_000), 1_000_000);
    }

    #[test]
    fn nan_constants_are_one_node() {
        let mut a = Arena::new();
        let n1 = a.intern(Node::Const(f64::NAN.to_bits()));
        let n2 = a.intern(Node::Const((-f64::NAN).to_bits()));
        assert_eq!(n1, n2);
    }
}
