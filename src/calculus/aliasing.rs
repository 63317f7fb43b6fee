//! Zeros of f′ that the evenly spaced samples step over: sin(1000x) on [−100, 100] turns
//! eight times between two of the 4001 samples, and the samples alone would show a few hundred
//! sign changes of f′ at random, a silent alias. A gap between samples is trusted only where f″
//! at its ends accounts for how f′ changes across it (the trapezoid rule agrees with the
//! change to a tenth); elsewhere it is halved until that holds, and the sign changes of f′ on the
//! finer samples are the ones reported. The test compares numbers of the same units, so it is
//! the same for c·f and f(c·x).

use serde::Serialize;

use crate::function::Function;

/// The most critical points listed from gaps that had to be refined; past it they are counted.
pub const MAX_LISTED: usize = 2000;

/// The most samples the refinement adds in all: enough for sin(1000x) on [−100, 100].
const BUDGET: usize = 1 << 20;

/// The most samples one gap between the evenly spaced samples may add: sin(1000x) on
/// [−100, 100] needs about 130 a gap; a gap where f′ is noise (an f that underflows and
/// overflows by turns) would otherwise spend the whole budget, seconds, on itself.
const PER_GAP: usize = 1 << 12;

/// How far a gap is halved at most (a gap of 1/4000 of the range down to 2⁻³⁰ of that).
const MAX_DEPTH: u32 = 30;

/// More sign changes of f′ than are listed (see [`MAX_LISTED`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TooMany {
    /// Sign changes of f′ counted on samples fine enough to resolve it (a lower bound on the
    /// critical points: a zero where f′ touches 0 without crossing is not counted).
    pub at_least: usize,
    /// Whether the refinement gave up somewhere first (see `CriticalSet::gave_up_at`): then
    /// there are more.
    pub budget_ran_out: bool,
    /// A range width that would hold about a thousand of them, to say how far to narrow.
    pub narrow_to: f64,
}

/// What the refinement found in the gaps the samples did not resolve.
#[derive(Debug, Default)]
pub(super) struct Hidden {
    /// Gaps (by the index of their left sample) that were refined: their sign changes are in
    /// `brackets` and the caller looks no further there.
    pub refined: Vec<usize>,
    /// Pairs of samples between which f′ changes sign, in order.
    pub brackets: Vec<(f64, f64)>,
    /// The first place where f′ still turned faster than the finest samples followed when the
    /// budget or the depth ran out (sin(1/x) near 0): there are more sign changes than found.
    pub gave_up_at: Option<f64>,
}

impl Hidden {
    /// The count past [`MAX_LISTED`], or None where every bracket can be listed.
    pub fn too_many(&self, width: f64) -> Option<TooMany> {
        let n = self.brackets.len();
        (n > MAX_LISTED).then(|| TooMany {
            at_least: n,
            budget_ran_out: self.gave_up_at.is_some(),
            narrow_to: width * 1000.0 / n as f64,
        })
    }
}

/// f′ (with its rounding bound) and f″ at a sample.
#[derive(Clone, Copy)]
struct Slope {
    x: f64,
    d1: f64,
    d1_error: f64,
    d2: f64,
}

impl Slope {
    fn at(f: &Function, x: f64) -> Slope {
        Slope::with_d1(f, x, f.value_and_gradient_with_error(&[x])[1])
    }

    /// At `x`, where f′ with its rounding bound is already known: only f″ is evaluated.
    fn with_d1(f: &Function, x: f64, (d1, d1_error): (f64, f64)) -> Slope {
        Slope {
            x,
            d1,
            d1_error,
            d2: f.hessian(&[x])[0],
        }
    }
}

/// Whether f′ across a gap is what f′ and f″ at its ends say, to a tenth of the change's own
/// size: its change is the trapezoid rule's, and its value at the middle the cubic Hermite
/// interpolant's (two checks, so that a gap with a few turns inside rarely passes by chance).
/// Then a sign change, or none, on the gap is what it seems.
fn follows(p: Slope, mid: Slope, q: Slope) -> bool {
    let w = q.x - p.x;
    let actual = q.d1 - p.d1;
    let predicted = 0.5 * w * (p.d2 + q.d2);
    let middle = 0.5 * (p.d1 + q.d1) + w * (p.d2 - q.d2) / 8.0;
    let scale = actual.abs() + 0.5 * w * (p.d2.abs() + q.d2.abs());
    let finite = [p.d1, q.d1, mid.d1, p.d2, q.d2]
        .iter()
        .all(|v| v.is_finite());
    // Within f′'s rounding the change is whatever rounding made it (f′ = 1000·(1 − tanh²) + 1
    // stays 1.0 where f″ is 1e-20).
    let tolerance = 0.1 * scale + p.d1_error + q.d1_error + mid.d1_error;
    // Non-finite slopes are poles and cusps, which the caller looks at; a zero scale is a
    // line.
    !finite
        || scale == 0.0
        || ((actual - predicted).abs() <= tolerance && (mid.d1 - middle).abs() <= tolerance)
}

/// Refines every gap between `xs` (f′ there with its rounding bound in `d1s`, as
/// `value_and_gradient_with_error` gives it; each sample's f′ resolved or not in `trusted`)
/// whose f′ the samples do not follow, and returns the sign changes found on the finer
/// samples. Gaps where f′ is lost to rounding at either end are left alone (halving noise
/// never settles).
pub(super) fn hidden_sign_changes(
    f: &Function,
    xs: &[f64],
    d1s: &[(f64, f64)],
    trusted: &[bool],
) -> Hidden {
    let mut hidden = Hidden::default();
    let mut spent = 0usize;
    let sample = |k: usize| Slope::with_d1(f, xs[k], d1s[k]);
    let mut left = sample(0);
    for k in 0..xs.len().saturating_sub(1) {
        let right = sample(k + 1);
        if trusted[k]
            && trusted[k + 1]
            && !follows(left, Slope::at(f, 0.5 * (left.x + right.x)), right)
        {
            hidden.refined.push(k);
            let mut finer = Vec::new();
            let mut stuck = Vec::new();
            let limit = (spent + PER_GAP).min(BUDGET);
            let budget = (&mut spent, limit);
            refine(f, left, right, MAX_DEPTH, budget, &mut finer, &mut stuck);
            // Pieces left unfollowed at the finest level around one point are a break: a
            // kink, jump or pole of f′ (|x|, x^(1/3) at 0), which the verdict names. Pieces
            // spread over the gap, or a spent budget, are f′ turning faster than the samples
            // go.
            let spread = stuck
                .iter()
                .fold(0.0f64, |m, &x| m.max((x - stuck[0]).abs()));
            let width = right.x - left.x;
            if (spread > width * 0.5f64.powi(20) || spent >= limit) && hidden.gave_up_at.is_none() {
                hidden.gave_up_at = stuck.first().copied().or(Some(left.x));
            }
            let mut previous = left;
            for s in finer.into_iter().chain(std::iter::once(right)) {
                if previous.d1 * s.d1 < 0.0 {
                    hidden.brackets.push((previous.x, s.x));
                }
                previous = s;
            }
        }
        left = right;
    }
    hidden
}

/// The samples strictly inside (p, q), in order: its middle, and, where f′ does not follow
/// f″ across (p, q), the halves' samples in turn, until the depth runs out or `spent` reaches
/// `limit` (the pieces still not followed then are in `stuck`).
fn refine(
    f: &Function,
    p: Slope,
    q: Slope,
    depth: u32,
    (spent, limit): (&mut usize, usize),
    out: &mut Vec<Slope>,
    stuck: &mut Vec<f64>,
) {
    let x = 0.5 * (p.x + q.x);
    if depth == 0 || *spent >= limit || x <= p.x || x >= q.x {
        stuck.push(x);
        return;
    }
    *spent += 1;
    let mid = Slope::at(f, x);
    // The middle sample is kept either way: a sign change on either side of it counts.
    if follows(p, mid, q) {
        out.push(mid);
        return;
    }
    refine(f, p, mid, depth - 1, (&mut *spent, limit), out, stuck);
    out.push(mid);
    refine(f, mid, q, depth - 1, (&mut *spent, limit), out, stuck);
}
