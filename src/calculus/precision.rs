//! Where double precision cannot say whether f′ vanishes: f and f′ underflowed to 0
//! (exp(−x²) far out), or f′ sank below its own rounding error (1 − tanh²(50x) once tanh
//! rounds to 1; the cancellation in (1 − cos x)/x² near 0). `critical_set` reports such
//! stretches instead of calling them flat or listing the rounding's sign changes as points.

use std::collections::HashMap;

use serde::Serialize;

use super::critical::{FlatInterval, shortest_between};
use crate::function::Function;
use crate::math::{Arena, Func, Id, Node};

/// Why f′ cannot be told from 0 on a stretch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// f and f′ are below the smallest double: they underflowed to 0 (or to a few subnormals).
    Underflow,
    /// f′ is no larger than its rounding error: what it computes to, 0 or a sign, is rounding.
    Rounding,
}

/// A stretch where f′ is not resolved in double precision, with its cause.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Unresolved {
    pub start: f64,
    pub end: f64,
    pub cause: Precision,
}

impl Unresolved {
    /// One sentence for a reader, the ends written by `number`.
    pub fn explain(&self, number: impl Fn(f64) -> String) -> String {
        let (a, b) = (number(self.start), number(self.end));
        match self.cause {
            Precision::Underflow => format!(
                "f and f′ are below double precision on [{a}, {b}] (they underflow to 0): \
                 whether f′ vanishes there cannot be told, so no zero of f′ is listed there"
            ),
            Precision::Rounding => format!(
                "f′ is below its own rounding error on [{a}, {b}]: whether it vanishes there \
                 cannot be told in double precision, so no zero of f′ is listed there"
            ),
        }
    }
}

/// f′ at one sample with its rounding bound is resolved where it exceeds that bound (an exact
/// 0, with no bound, is resolved too).
pub(super) fn resolved((value, bound): (f64, f64)) -> bool {
    value.abs() > bound || bound == 0.0
}

/// Sorts stretches where f′ computed as 0 into those where it is 0 (f is constant there: an
/// exact 0, or a derivative that depends on x only through sign(), like that of |x − 1| + |x + 1|)
/// and those where the 0 is underflow or rounding. `fs` and `ds` hold f and f′ with their
/// bounds at `xs`.
pub(super) fn sort_stretches(
    f: &Function,
    stretches: Vec<FlatInterval>,
    xs: &[f64],
    fs: &[(f64, f64)],
    ds: &[(f64, f64)],
) -> (Vec<FlatInterval>, Vec<Unresolved>) {
    let piecewise_constant = f
        .gradient_ids()
        .first()
        .is_some_and(|&d| through_sign_only(f.arena(), d));
    let mut flat = Vec::new();
    let mut unresolved = Vec::new();
    for stretch in stretches {
        let inside: Vec<usize> = (0..xs.len())
            .filter(|&k| stretch.start <= xs[k] && xs[k] <= stretch.end)
            .collect();
        let largest_bound = inside
            .iter()
            .map(|&k| ds[k].1)
            .fold(0.0f64, |m, e| m.max(e));
        let cause = if largest_bound == 0.0 || piecewise_constant {
            None
        } else if underflows(&inside, fs) {
            Some(Precision::Underflow)
        } else if fades_in(&inside, ds) {
            Some(Precision::Rounding)
        } else {
            // Computed 0 within rounding, entered abruptly (√(x²) − |x| ≡ 0, or a stretch
            // that fills the range): nothing says f′ is anything but 0 there.
            None
        };
        match cause {
            None => flat.push(stretch),
            Some(cause) => unresolved.push(Unresolved {
                start: stretch.start,
                end: stretch.end,
                cause,
            }),
        }
    }
    (flat, unresolved)
}

/// Whether f itself underflowed (0 or subnormal, having lost what was below) at every sample
/// of a stretch: then f′ is lost to underflow, whatever factors scale its rounding bound.
fn underflows(samples: &[usize], fs: &[(f64, f64)]) -> bool {
    // A 0 that is exact or cancellation (√(x²) − |x|) carries no bound or a normal one; an
    // underflowed one carries the subnormals' spacing, scaled by whatever multiplied it.
    // (exp(−1/x²) at 0 is exp(−∞) = 0, exact: one underflowed sample is enough beside it.)
    let tiny =
        |(value, bound): (f64, f64)| value.abs() < f64::MIN_POSITIVE && bound < f64::MIN_POSITIVE;
    samples.iter().all(|&k| tiny(fs[k])) && samples.iter().any(|&k| fs[k].1 > 0.0)
}

/// Whether f′ sinks into the stretch: a sample next to it, outside, has f′ within a thousand
/// times its rounding bound (1 − tanh² shrinks smoothly to 0), where a real flat stretch is
/// entered at a kink or a jump (f′ = ±2 beside |x − 1| + |x + 1|'s stretch).
fn fades_in(inside: &[usize], ds: &[(f64, f64)]) -> bool {
    let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
        return false;
    };
    let neighbours = [
        first.checked_sub(1),
        Some(last + 1).filter(|&k| k < ds.len()),
    ];
    neighbours.into_iter().flatten().any(|k| {
        let (value, bound) = ds[k];
        value.is_finite() && value.abs() <= 1e3 * bound
    })
}

/// Runs of two or more samples off the flat stretches where f′ is no larger than its rounding
/// bound (the cancellation in (1 − cos x)/x² near 0, a product underflowing to 0): its sign,
/// or its 0, is rounding or underflow there.
pub(super) fn rounding_runs(
    xs: &[f64],
    fs: &[(f64, f64)],
    ds: &[(f64, f64)],
    flat: &[FlatInterval],
) -> Vec<Unresolved> {
    let on_flat = |x: f64| flat.iter().any(|i| i.start <= x && x <= i.end);
    let lost = |k: usize| ds[k].0.is_finite() && !resolved(ds[k]) && !on_flat(xs[k]);
    let mut out = Vec::new();
    let mut k = 0;
    while k < xs.len() {
        if !lost(k) {
            k += 1;
            continue;
        }
        let first = k;
        while k + 1 < xs.len() && lost(k + 1) {
            k += 1;
        }
        if k > first {
            let run: Vec<usize> = (first..=k).collect();
            out.push(Unresolved {
                start: xs[first],
                end: xs[k],
                cause: if underflows(&run, fs) {
                    Precision::Underflow
                } else {
                    Precision::Rounding
                },
            });
        }
        k += 1;
    }
    out
}

/// Stretches that overlap or lie within `gap` of each other as one, in order (a single sample
/// where rounding happens to leave f′ above its bound does not split a stretch). Where an
/// underflow meets rounding, the underflow names the whole: it is what happens over most of it.
pub(super) fn merged(mut stretches: Vec<Unresolved>, gap: f64) -> Vec<Unresolved> {
    stretches.sort_by(|p, q| p.start.total_cmp(&q.start));
    let mut out: Vec<Unresolved> = Vec::with_capacity(stretches.len());
    for next in stretches {
        match out.last_mut() {
            Some(last) if next.start <= last.end + gap => {
                last.end = last.end.max(next.end);
                if next.cause == Precision::Underflow {
                    last.cause = Precision::Underflow;
                }
            }
            _ => out.push(next),
        }
    }
    out
}

/// A stretch's ends moved onto the samples it holds and written with the fewest digits within
/// a quarter of a sample's width: where f′ stops being resolved is known only to a sample's
/// width, and 17 digits would claim more.
pub(super) fn on_samples(stretch: Unresolved, xs: &[f64]) -> Unresolved {
    let width = match xs {
        [first, .., last] => (last - first) / (xs.len() - 1) as f64,
        _ => return stretch,
    };
    let short = |x: f64| shortest_between(x - 0.25 * width, x + 0.25 * width);
    let first = xs.iter().copied().find(|&x| x >= stretch.start);
    let last = xs.iter().rev().copied().find(|&x| x <= stretch.end);
    match (first, last) {
        (Some(start), Some(end)) if start <= end => Unresolved {
            start: if start == xs[0] { start } else { short(start) },
            end: if end == xs[xs.len() - 1] {
                end
            } else {
                short(end)
            },
            ..stretch
        },
        _ => stretch,
    }
}

/// Whether `id` depends on the variables only through sign(): constant between the points
/// where a sign flips. Memoised: a derivative's DAG shares nodes.
fn through_sign_only(arena: &Arena, id: Id) -> bool {
    fn walk(arena: &Arena, id: Id, seen: &mut HashMap<Id, bool>) -> bool {
        if arena.is_var_free(id) {
            return true;
        }
        if let Some(&known) = seen.get(&id) {
            return known;
        }
        let answer = match arena.node(id) {
            Node::Call(Func::Sign, _) => true,
            Node::Var(_) | Node::Mean(_) => false,
            node => node.children().all(|c| walk(arena, c, seen)),
        };
        seen.insert(id, answer);
        answer
    }
    walk(arena, id, &mut HashMap::new())
}
