//! The f64 evaluator: a DAG is compiled once into a flat program (one instruction per distinct
//! node, in dependency order), then run per point or, for grids, per batch of points so that
//! each instruction's dispatch is paid once per batch and its inner loop vectorises.

use super::fast_hash::FastMap;
use std::sync::Arc;

use super::expr::{Arena, DataRows, Id, Node, Var};
use super::func::Func;
use super::real_root::{constant_exponent, pow_const};
use super::simplify::pow_f64;

/// One instruction; operands are indices of earlier instructions (registers).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Op {
    Const(f64),
    X,
    Y,
    Neg(u32),
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Div(u32, u32),
    Square(u32),
    Pow(u32, u32),
    Call(Func, u32),
    // Forms with a constant operand: the constant rides in the instruction instead of being
    // loaded from a register for every point, which is most of the work in polynomials.
    AddC(u32, f64),
    /// c − a
    SubFromC(f64, u32),
    MulC(u32, f64),
    /// a / c (not a·(1/c): that would round differently)
    DivC(u32, f64),
    /// c / a
    CDiv(f64, u32),
    PowC(u32, f64),
    /// Column k of the current data row (only in a row stage's program).
    Col(u8),
    /// The mean over the rows of the row stage's output j.
    Mean(u32),
}

/// A compiled set of expressions sharing one instruction list.
#[derive(Clone, Debug)]
pub struct Program {
    pub(super) ops: Vec<Op>,
    pub(super) outputs: Vec<u32>,
    /// Where the expressions average over a data set's rows: what each row contributes.
    pub(super) rows: Option<Box<RowStage>>,
}

/// The bodies of a program's means over the rows, compiled together, and the rows.
#[derive(Clone, Debug)]
pub(super) struct RowStage {
    pub(super) program: Program,
    pub(super) data: Arc<DataRows>,
    /// The data column-major, as the wide evaluation loads it.
    columns: Vec<Vec<f64>>,
}

impl RowStage {
    fn new(program: Program, data: Arc<DataRows>) -> RowStage {
        let k = data.names.len();
        let columns = (0..k)
            .map(|c| (0..data.rows).map(|r| data.values[r * k + c]).collect())
            .collect();
        RowStage {
            program,
            data,
            columns,
        }
    }

    /// The mean of each body over `subset` of the rows (every row for None), at θ = (x, y):
    /// the rows are the lanes of one wide evaluation.
    fn means(&self, x: f64, y: f64, subset: Option<&[u32]>) -> Vec<f64> {
        let lanes = Lanes::Rows {
            x,
            y,
            columns: &self.columns,
            subset,
            rows: self.data.rows,
        };
        let count = lanes.count();
        let mut sums = vec![0.0; self.program.outputs.len()];
        let mut regs = Vec::new();
        self.program.eval_lanes(&lanes, &mut regs, |_, o, values| {
            sums[o] += values.iter().sum::<f64>();
        });
        let n = count.max(1) as f64;
        sums.iter().map(|s| s / n).collect()
    }
}

/// Points per batch: large enough to amortise dispatch, small enough that the registers of a
/// typical program stay in L1/L2.
pub const BATCH: usize = 64;

impl Program {
    /// Compiles `roots` (evaluated together, sharing every common node).
    pub fn compile(arena: &Arena, roots: &[Id]) -> Program {
        let mut reg_of: FastMap<Id, u32> = FastMap::default();
        let mut ops = Vec::new();
        let mut mean_bodies: Vec<Id> = Vec::new();
        // Iterative post-order walk: the DAG can be deep, the stack must not be.
        for &root in roots {
            let mut stack = vec![(root, false)];
            while let Some((id, expanded)) = stack.pop() {
                if reg_of.contains_key(&id) {
                    continue;
                }
                let node = arena.node(id);
                if let Node::Mean(body) = node {
                    // A leaf here: its body runs per row, in the row stage.
                    let j = match mean_bodies.iter().position(|&b| b == body) {
                        Some(j) => j,
                        None => {
                            mean_bodies.push(body);
                            mean_bodies.len() - 1
                        }
                    };
                    reg_of.insert(id, ops.len() as u32);
                    ops.push(Op::Mean(j as u32));
                    continue;
                }
                if !expanded {
                    stack.push((id, true));
                    for c in node.children() {
                        if !reg_of.contains_key(&c) {
                            stack.push((c, false));
                        }
                    }
                    continue;
                }
                let r = |c: Id| reg_of[&c];
                let k = |c: Id| arena.as_const(c);
                // + and · commute: a constant on either side becomes the op's constant operand.
                let commuting = |a: Id,
                                 b: Id,
                                 with_const: fn(u32, f64) -> Op,
                                 plain: fn(u32, u32) -> Op| {
                    match (k(a), k(b)) {
                        (Some(c), _) => with_const(r(b), c),
                        (_, Some(c)) => with_const(r(a), c),
                        _ => plain(r(a), r(b)),
                    }
                };
                let op = match node {
                    Node::Const(bits) => Op::Const(f64::from_bits(bits)),
                    Node::Var(Var::X) => Op::X,
                    Node::Var(Var::Y) => Op::Y,
                    Node::Var(Var::Col(k)) => Op::Col(k),
                    // Handled before expanding: a mean is a leaf of this program.
                    Node::Mean(_) => Op::Const(f64::NAN),
                    Node::Neg(a) => Op::Neg(r(a)),
                    // a − c is a + (−c) exactly in IEEE arithmetic, so both use AddC.
                    Node::Add(a, b) => commuting(a, b, Op::AddC, Op::Add),
                    Node::Sub(a, b) => match (k(a), k(b)) {
                        (Some(c), _) => Op::SubFromC(c, r(b)),
                        (_, Some(c)) => Op::AddC(r(a), -c),
                        _ => Op::Sub(r(a), r(b)),
                    },
                    Node::Mul(a, b) => commuting(a, b, Op::MulC, Op::Mul),
                    Node::Div(a, b) => match (k(a), k(b)) {
                        (Some(c), _) => Op::CDiv(c, r(b)),
                        (_, Some(c)) => Op::DivC(r(a), c),
                        _ => Op::Div(r(a), r(b)),
                    },
                    Node::Pow(a, b) if k(b) == Some(2.0) => Op::Square(r(a)),
                    Node::Pow(a, b) => match constant_exponent(arena, b) {
                        Some(c) => Op::PowC(r(a), c),
                        None => Op::Pow(r(a), r(b)),
                    },
                    Node::Call(f, a) => Op::Call(f, r(a)),
                };
                reg_of.insert(id, ops.len() as u32);
                ops.push(op);
            }
        }
        let outputs = roots.iter().map(|r| reg_of[r]).collect();
        let rows = match arena.data() {
            Some(data) if !mean_bodies.is_empty() => Some(Box::new(RowStage::new(
                Program::compile(arena, &mean_bodies),
                Arc::clone(data),
            ))),
            _ => None,
        };
        Program { ops, outputs, rows }
    }

    /// Whether the program averages over a data set's rows.
    pub fn has_rows(&self) -> bool {
        self.rows.is_some()
    }

    /// Like [`Program::eval`], with every mean over the rows taken over `rows` alone (a
    /// mini-batch: row indices, repeats counted as often as they occur).
    pub fn eval_on_rows(&self, x: f64, y: f64, rows: &[u32]) -> Vec<f64> {
        let means = self
            .rows
            .as_ref()
            .map(|stage| stage.means(x, y, Some(rows)))
            .unwrap_or_default();
        let mut regs = Vec::new();
        let mut out = vec![0.0; self.outputs.len()];
        self.run(x, y, &[], &means, &mut regs, &mut out);
        out
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn output_count(&self) -> usize {
        self.outputs.len()
    }

    /// Evaluates at one point, writing each root's value into `out`. `regs` is scratch space,
    /// reused between calls to avoid allocation.
    pub fn eval_into(&self, x: f64, y: f64, regs: &mut Vec<f64>, out: &mut [f64]) {
        let means = self
            .rows
            .as_ref()
            .map(|stage| stage.means(x, y, None))
            .unwrap_or_default();
        self.run(x, y, &[], &means, regs, out);
    }

    /// One pass over the instructions with the current data row's values `cols` and the means
    /// over the rows already taken.
    fn run(
        &self,
        x: f64,
        y: f64,
        cols: &[f64],
        means: &[f64],
        regs: &mut Vec<f64>,
        out: &mut [f64],
    ) {
        regs.clear();
        regs.resize(self.ops.len(), 0.0);
        for (i, op) in self.ops.iter().enumerate() {
            let g = |k: u32| regs[k as usize];
            regs[i] = match *op {
                Op::Const(c) => c,
                Op::X => x,
                Op::Y => y,
                Op::Neg(a) => -g(a),
                Op::Add(a, b) => g(a) + g(b),
                Op::Sub(a, b) => g(a) - g(b),
                Op::Mul(a, b) => g(a) * g(b),
                Op::Div(a, b) => g(a) / g(b),
                Op::Square(a) => g(a) * g(a),
                Op::Pow(a, b) => pow_f64(g(a), g(b)),
                Op::Call(f, a) => f.apply(g(a)),
                Op::AddC(a, c) => g(a) + c,
                Op::SubFromC(c, a) => c - g(a),
                Op::MulC(a, c) => g(a) * c,
                Op::DivC(a, c) => g(a) / c,
                Op::CDiv(c, a) => c / g(a),
                Op::PowC(a, c) => pow_const(g(a), c),
                Op::Col(k) => cols.get(k as usize).copied().unwrap_or(f64::NAN),
                Op::Mean(j) => means.get(j as usize).copied().unwrap_or(f64::NAN),
            };
        }
        for (o, &r) in out.iter_mut().zip(&self.outputs) {
            *o = regs[r as usize];
        }
    }

    /// Convenience for one point: allocates; use [`Program::eval_into`] in loops.
    pub fn eval(&self, x: f64, y: f64) -> Vec<f64> {
        let mut regs = Vec::new();
        let mut out = vec![0.0; self.outputs.len()];
        self.eval_into(x, y, &mut regs, &mut out);
        out
    }

    /// Evaluates at the points `(xs[k], ys[k])` (`xs.len() == ys.len()`); `out[o][k]` receives
    /// output `o` at point `k`. `regs` is scratch space reused between calls.
    pub fn eval_batch(&self, xs: &[f64], ys: &[f64], regs: &mut Vec<f64>, out: &mut [&mut [f64]]) {
        assert_eq!(xs.len(), ys.len(), "eval_batch: xs and ys differ in length");
        if self.rows.is_some() {
            // Each point is a pass over the data: the rows, not the points, are the wide loop.
            let mut point_out = vec![0.0; self.outputs.len()];
            for (k, (&x, &y)) in xs.iter().zip(ys).enumerate() {
                self.eval_into(x, y, regs, &mut point_out);
                for (o, &v) in out.iter_mut().zip(&point_out) {
                    o[k] = v;
                }
            }
            return;
        }
        self.eval_lanes(&Lanes::Points { xs, ys }, regs, |start, o, values| {
            out[o][start..start + values.len()].copy_from_slice(values);
        });
    }

    /// Runs the program over every lane of `lanes`, [`BATCH`] lanes at a time, handing each
    /// output's values of a block to `sink(first lane, output index, values)`.
    fn eval_lanes(
        &self,
        lanes: &Lanes,
        regs: &mut Vec<f64>,
        mut sink: impl FnMut(usize, usize, &[f64]),
    ) {
        regs.resize(self.ops.len() * BATCH, 0.0);
        // Constants never change: fill their registers once, not once per batch.
        for (i, op) in self.ops.iter().enumerate() {
            if let Op::Const(c) = *op {
                regs[i * BATCH..(i + 1) * BATCH].fill(c);
            }
        }
        let count = lanes.count();
        for start in (0..count).step_by(BATCH) {
            let n = BATCH.min(count - start);
            for (i, op) in self.ops.iter().enumerate() {
                let (done, rest) = regs.split_at_mut(i * BATCH);
                let dst = &mut rest[..n];
                let src = |k: u32| &done[k as usize * BATCH..k as usize * BATCH + n];
                match *op {
                    Op::Const(_) => {}
                    Op::X | Op::Y | Op::Col(_) => lanes.load(op, start, dst),
                    Op::Neg(a) => unary(dst, src(a), |v| -v),
                    Op::Add(a, b) => binary(dst, src(a), src(b), |p, q| p + q),
                    Op::Sub(a, b) => binary(dst, src(a), src(b), |p, q| p - q),
                    Op::Mul(a, b) => binary(dst, src(a), src(b), |p, q| p * q),
                    Op::Div(a, b) => binary(dst, src(a), src(b), |p, q| p / q),
                    Op::Square(a) => unary(dst, src(a), |v| v * v),
                    Op::Pow(a, b) => binary(dst, src(a), src(b), pow_f64),
                    Op::Call(f, a) => call(dst, src(a), f),
                    Op::AddC(a, c) => unary(dst, src(a), |v| v + c),
                    Op::SubFromC(c, a) => unary(dst, src(a), |v| c - v),
                    Op::MulC(a, c) => unary(dst, src(a), |v| v * c),
                    Op::DivC(a, c) => unary(dst, src(a), |v| v / c),
                    Op::CDiv(c, a) => unary(dst, src(a), |v| c / v),
                    Op::PowC(a, c) => unary(dst, src(a), |v| pow_const(v, c)),
                    // A mean over rows is no lane's value (programs with rows run point by point).
                    Op::Mean(_) => dst.fill(f64::NAN),
                }
            }
            for (o, &r) in self.outputs.iter().enumerate() {
                let r = r as usize * BATCH;
                sink(start, o, &regs[r..r + n]);
            }
        }
    }
}

/// What the lanes of a wide evaluation are: grid points, or the rows of a data set at one θ.
enum Lanes<'a> {
    Points {
        xs: &'a [f64],
        ys: &'a [f64],
    },
    Rows {
        x: f64,
        y: f64,
        /// The data column-major: `columns[k][row]`.
        columns: &'a [Vec<f64>],
        /// The rows to take, in order (a mini-batch), or None for every row.
        subset: Option<&'a [u32]>,
        rows: usize,
    },
}

impl Lanes<'_> {
    fn count(&self) -> usize {
        match self {
            Lanes::Points { xs, .. } => xs.len(),
            Lanes::Rows { subset, rows, .. } => subset.map_or(*rows, <[u32]>::len),
        }
    }

    /// The leaf `op` (x, y or a column) for the lanes from `start` on, into `dst`.
    fn load(&self, op: &Op, start: usize, dst: &mut [f64]) {
        let n = dst.len();
        match (self, op) {
            (Lanes::Points { xs, .. }, Op::X) => dst.copy_from_slice(&xs[start..start + n]),
            (Lanes::Points { ys, .. }, Op::Y) => dst.copy_from_slice(&ys[start..start + n]),
            (Lanes::Rows { x, .. }, Op::X) => dst.fill(*x),
            (Lanes::Rows { y, .. }, Op::Y) => dst.fill(*y),
            (
                Lanes::Rows {
                    columns, subset, ..
                },
                Op::Col(k),
            ) => match columns.get(*k as usize) {
                Some(column) => match subset {
                    None => dst.copy_from_slice(&column[start..start + n]),
                    Some(rows) => {
                        for (d, &r) in dst.iter_mut().zip(&rows[start..start + n]) {
                            *d = column.get(r as usize).copied().unwrap_or(f64::NAN);
                        }
                    }
                },
                None => dst.fill(f64::NAN),
            },
            _ => dst.fill(f64::NAN),
        }
    }
}

#[inline(always)]
fn unary(dst: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    for (d, &v) in dst.iter_mut().zip(a) {
        *d = f(v);
    }
}

#[inline(always)]
fn binary(dst: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    for ((d, &p), &q) in dst.iter_mut().zip(a).zip(b) {
        *d = f(p, q);
    }
}

/// One loop per function so each monomorphises to a tight loop around its libm call.
fn call(dst: &mut [f64], a: &[f64], f: Func) {
    match f {
        Func::Sin => unary(dst, a, f64::sin),
        Func::Cos => unary(dst, a, f64::cos),
        Func::Exp => unary(dst, a, f64::exp),
        Func::Sqrt => unary(dst, a, f64::sqrt),
        Func::Abs => unary(dst, a, f64::abs),
        _ => unary(dst, a, |v| f.apply(v)),
    }
}
