//! The differentiability verdict at a point of a 1-D function: the one place that decides
//! whether f′(a) exists and, if not, why. `analyze`, the notebook, the inspector and the lessons
//! all ask `classify_point`; none keeps thresholds of its own.
//!
//! Method: on each side, f is sampled at a ± h for h shrinking by 4 from far above to far below
//! any scale f could have. Each side is judged by whether its values settle on f(a)
//! (continuity) and whether its slopes settle at all, and on what (the one-sided derivative),
//! using only trends and f's own rounding bounds, never an absolute tolerance: the verdict is
//! the same for c·f and f(c·x). The slopes come from the secants and, where they exist and
//! agree, from the symbolic derivative's one-sided limits, which are free of cancellation.

use serde::Serialize;

use super::limits::{Limit, TAIL, limit_of};
use crate::function::Function;

/// One side of a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

/// What happens to the derivative at a point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PointKind {
    /// Both one-sided slopes settle on the same number: the derivative exists.
    Smooth { slope: f64 },
    /// They settle on different numbers (|x| at 0: −1 and +1).
    Kink { left: f64, right: f64 },
    /// The slopes grow without bound, the same way on both sides or on one (∛x at 0).
    Vertical,
    /// The slopes grow without bound in opposite directions (√|x| at 0).
    Cusp,
    /// f does not approach f(a) from one side at least (sign(x) at 0): not continuous.
    /// A limit that is ±∞ is written as such (null in JSON).
    Jump { left_limit: f64, right_limit: f64 },
    /// f is continuous but its secant slopes swing without settling.
    Oscillating,
    /// f(a) exists but f is undefined on one side (√x at 0): at most a one-sided derivative.
    DomainEdge { defined: Side },
    /// f(a) exists but f is undefined on both sides: an isolated point of the domain.
    Isolated,
    /// f(a) is not a number, but f approaches `limit` from both sides (sin(x)/x at 0): a hole.
    Removable { limit: f64 },
    /// f(a) is not a number and has no finite limit (1/x at 0, ln x at −1, sin(1/x) at 0).
    Undefined,
}

impl PointKind {
    /// f′(a) where it exists.
    pub fn slope(&self) -> Option<f64> {
        match *self {
            PointKind::Smooth { slope } => Some(slope),
            _ => None,
        }
    }

    pub fn is_differentiable(&self) -> bool {
        self.slope().is_some()
    }

    /// Whether a belongs to f's domain (f(a) is a number).
    pub fn is_defined(&self) -> bool {
        !matches!(self, PointKind::Removable { .. } | PointKind::Undefined)
    }

    /// One sentence for a learner.
    pub fn explain(&self) -> String {
        let num = crate::format::number;
        match *self {
            PointKind::Smooth { slope } => {
                format!(
                    "differentiable: the secants close in on slope {}",
                    num(slope)
                )
            }
            PointKind::Kink { left, right } => format!(
                "no derivative: a kink — the slope is {} from the left but {} from the right",
                num(left),
                num(right)
            ),
            PointKind::Vertical => {
                "no derivative: the tangent is vertical — the secant slopes grow without bound"
                    .into()
            }
            PointKind::Cusp => "no derivative: a cusp — the secant slopes grow without bound, \
                                with opposite signs on the two sides"
                .into(),
            PointKind::Jump {
                left_limit,
                right_limit,
            } => format!(
                "no derivative: f jumps here (it approaches {} from the left and {} from the right), so it is not even continuous",
                num(left_limit),
                num(right_limit)
            ),
            PointKind::Oscillating => {
                "no derivative: the secant slopes swing back and forth without settling".into()
            }
            PointKind::DomainEdge { defined } => format!(
                "no derivative: f is defined here but only to the {} of this point",
                match defined {
                    Side::Left => "left",
                    Side::Right => "right",
                }
            ),
            PointKind::Isolated => {
                "no derivative: f is defined here but nowhere around this point".into()
            }
            PointKind::Removable { limit } => format!(
                "no derivative: f is not defined at this point (it approaches {} from both sides: a hole)",
                num(limit)
            ),
            PointKind::Undefined => "no derivative: f is not defined at this point".into(),
        }
    }
}

/// Step sizes the notebook's and `analyze`'s secant tables show: 10⁻¹ … 10⁻⁸. The verdict
/// itself looks much further (see the module notes).
pub const SECANT_STEPS: [f64; 8] = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

/// The secant slope (f(a + h) − f(a)) / h; h < 0 gives the slope from the left.
pub fn secant_slope(f: &Function, a: f64, h: f64) -> f64 {
    (f.value(&[a + h]) - f.value(&[a])) / h
}

/// A change f(a ± h) − f(a) is read as real only when it exceeds the rounding bound this many
/// times: the secant slope is then good to 1e-3 of itself.
const TRUST: f64 = 1e3;

/// f and f′ at one sample a ± h, each with its rounding bound.
struct Sample {
    /// |x − a| exactly, after x = a ± h was rounded.
    h: f64,
    value: (f64, f64),
    slope: (f64, f64),
}

/// The straight line through a point along a direction on which f is read: the x axis
/// through a for a 1-D f; for a 2-D f any direction, so that the same verdict says whether the
/// partials exist and whether f has a tangent plane (see `plane`).
#[derive(Clone, Copy)]
pub(super) struct Line<'f> {
    pub f: &'f Function,
    pub point: [f64; 2],
    pub dir: [f64; 2],
    /// The slope the caller expects (a tangent plane's ∇f·dir): reported where both sides'
    /// secants fit it, as the symbolic derivative is otherwise.
    pub expected: Option<f64>,
}

impl Line<'_> {
    /// The 1-D function's own line through a.
    fn axis(f: &Function, a: f64) -> Line<'_> {
        Line {
            f,
            point: [a, 0.0],
            dir: [1.0, 0.0],
            expected: None,
        }
    }

    fn dims(&self) -> usize {
        self.f.dims()
    }

    /// The size of the point's coordinates, which sets how small a step can still be resolved.
    fn size(&self) -> f64 {
        self.point[..self.dims()]
            .iter()
            .fold(0.0, |m: f64, c| m.max(c.abs()))
    }

    /// f and its slope along the line (each with its rounding bound) at point + t·dir, and the
    /// step actually taken after the coordinates were rounded; None where the step vanished.
    fn at(&self, t: f64) -> Option<(f64, [(f64, f64); 2])> {
        let d = self.dims();
        let mut x = [0.0; 2];
        let mut moved = 0.0;
        let mut weight = 0.0;
        for ((xi, &p), &dir) in x.iter_mut().zip(&self.point).zip(&self.dir).take(d) {
            *xi = p + t * dir;
            if dir != 0.0 {
                moved += (*xi - p).abs() / dir.abs();
                weight += 1.0;
            }
        }
        let step = moved / weight;
        if !(step > 0.0 && x[..d].iter().all(|c| c.is_finite())) {
            return None;
        }
        let vg = self.f.value_and_gradient_with_error(&x[..d]);
        let slope = if d == 1 {
            vg[1]
        } else {
            // ∇f·dir, with the rounding of the products and the sum added to the bounds.
            let terms =
                [0, 1].map(|i| (vg[1 + i].0 * self.dir[i], vg[1 + i].1 * self.dir[i].abs()));
            let sum = terms[0].0 + terms[1].0;
            let rounding = 2.0 * f64::EPSILON * (terms[0].0.abs() + terms[1].0.abs());
            (sum, terms[0].1 + terms[1].1 + rounding)
        };
        Some((step, [vg[0], slope]))
    }

    /// f at the point itself, with its rounding bound.
    fn value_here(&self) -> (f64, f64) {
        self.f
            .value_and_gradient_with_error(&self.point[..self.dims()])[0]
    }

    /// The expected slope, else the symbolic derivative along the line at the point (∇f·dir).
    fn exact_slope(&self) -> f64 {
        if let Some(slope) = self.expected {
            return slope;
        }
        let g = self.f.gradient(&self.point[..self.dims()]);
        g.iter().zip(self.dir).map(|(g, d)| g * d).sum()
    }
}

/// The samples on one side, h decreasing by 4 from far above any scale of f (2⁴⁰ times the
/// point's size or 1) to a few ulps of the point (or 2⁻¹⁰⁰⁰ at 0, where f(c·x) for any sane c
/// is still resolved).
fn samples(line: &Line, sign: f64) -> Vec<Sample> {
    let size = line.size();
    let h_top = (size.max(1.0) * 2f64.powi(40)).min(f64::MAX / 4.0);
    let h_min = (size * 2f64.powi(-48)).max(2f64.powi(-1000));
    let mut out = Vec::new();
    let mut h = h_top;
    while h >= h_min {
        if let Some((step, [value, slope])) = line.at(sign * h) {
            out.push(Sample {
                h: step,
                value,
                slope,
            });
        }
        h *= 0.25;
    }
    out
}

/// What one side says.
enum SideView {
    /// f is not a number right next to a on this side.
    Undefined,
    /// f's values head for this, but not for f(a).
    Discontinuous(Limit),
    /// Continuous, with these slopes.
    Continuous(Limit),
}

/// The samples down to the deepest one whose value means something: a value whose rounding
/// bound is infinite is a number only by accident (sqrt(−x²) at x = 1e-300 is sqrt(−0), after
/// x² underflowed), and is passed over. So is one whose bound is as large as everything f does
/// on this side (`fa` given): 1e-6·|sign(10¹²·x²)| at x = 1e-300 is 0 ± 1e-6 once 10¹²·x²
/// underflowed, which says nothing about whether f jumps.
fn meaningful(mut samples: Vec<Sample>, fa: Option<f64>) -> Vec<Sample> {
    let keep = samples
        .iter()
        .rposition(|s| !(s.value.0.is_finite() && s.value.1.is_infinite()))
        .map_or(0, |j| j + 1);
    samples.truncate(keep);
    let Some(fa) = fa else {
        return samples;
    };
    let spread = samples
        .iter()
        .map(|s| (s.value.0 - fa).abs())
        .filter(|d| d.is_finite())
        .fold(0.0, f64::max);
    // Where f never moves off f(a) the bounds have nothing to hide; where no sample stands
    // clear of its bound, the side is left to the other tests.
    if spread > 0.0
        && let Some(j) = samples
            .iter()
            .rposition(|s| !s.value.0.is_finite() || s.value.1 < spread)
    {
        samples.truncate(j + 1);
    }
    samples
}

fn side_view(line: &Line, fa: (f64, f64), sign: f64) -> SideView {
    let samples = meaningful(samples(line, sign), Some(fa.0));
    let Some(bottom) = samples.last() else {
        return SideView::Undefined;
    };
    let v = bottom.value.0;
    if v.is_infinite() {
        return SideView::Discontinuous(Limit::Infinite { sign: v.signum() });
    }
    if v.is_nan() {
        return SideView::Undefined;
    }
    // The values next to a: do they settle on f(a)?
    let run = finite_run(&samples, |s| s.value);
    let values = limit_of(&run);
    let continuous = match values {
        Limit::Finite { value, err } => {
            (value - fa.0).abs() <= 2.0 * (err + fa.1) + 4.0 * f64::EPSILON * fa.0.abs()
        }
        _ => false,
    };
    if !continuous {
        return SideView::Discontinuous(values);
    }
    SideView::Continuous(one_sided_slope(&samples, fa, sign))
}

/// The tail of terms that are finite, ending at the last sample (nearest a).
fn finite_run(samples: &[Sample], term: impl Fn(&Sample) -> (f64, f64)) -> Vec<(f64, f64)> {
    let mut run: Vec<(f64, f64)> = samples
        .iter()
        .rev()
        .map(term)
        .take_while(|(v, e)| v.is_finite() && e.is_finite())
        .take(TAIL)
        .collect();
    run.reverse();
    run
}

/// The one-sided derivative: the secant slopes over the deepest run of samples where f's change
/// stands clear of rounding, cross-checked with the limit of the symbolic f′ (which has no
/// cancellation, so it can be read right down to the last sample).
fn one_sided_slope(samples: &[Sample], fa: (f64, f64), sign: f64) -> Limit {
    let trusted = |s: &Sample| {
        let d = s.value.0 - fa.0;
        let noise = s.value.1 + fa.1;
        d.is_finite() && (d.abs() > TRUST * noise || (d == 0.0 && noise == 0.0))
    };
    // Just below the deepest trusted sample, is f's change merely near the rounding floor
    // (a power law fading into noise) or gone altogether? Gone means the secants read there
    // were made far from a (sign(x) at −1 changes only where x crosses 0).
    let deepest = samples.iter().rposition(trusted);
    let detached = deepest
        .and_then(|j| samples.get(j + 1))
        .is_some_and(|s| (s.value.0 - fa.0).abs() <= s.value.1 + fa.1);
    let secants: Vec<(f64, f64)> = {
        let mut run: Vec<(f64, f64)> = samples
            .iter()
            .rev()
            .skip_while(|s| !trusted(s))
            .take_while(|s| trusted(s))
            .take(TAIL)
            .map(|s| {
                let d = s.value.0 - fa.0;
                (d / (sign * s.h), (s.value.1 + fa.1) / s.h)
            })
            .collect();
        run.reverse();
        run
    };
    let secant = (secants.len() >= 3).then(|| limit_of(&secants));
    // f′ itself may be 0·∞ where f only underflowed (exp(−1/x²)·2/x³ near 0): read it down to
    // the deepest point where it is a number.
    let symbolic_terms = {
        let end = samples
            .iter()
            .rposition(|s| s.slope.0.is_finite() && s.slope.1.is_finite())
            .map_or(0, |j| j + 1);
        finite_run(&samples[..end], |s| s.slope)
    };
    let symbolic = (symbolic_terms.len() >= 3).then(|| limit_of(&symbolic_terms));
    match (secant, symbolic) {
        (Some(s), Some(g)) if agree(s, g) || detached => g,
        (Some(s), _) => s,
        (None, Some(g)) => g,
        // f's changes never clear rounding: flat as far as f64 can tell.
        (None, None) => Limit::Finite {
            value: 0.0,
            err: f64::INFINITY,
        },
    }
}

/// Whether two limits are the same to within their error bars.
fn agree(p: Limit, q: Limit) -> bool {
    match (p, q) {
        (Limit::Finite { value: u, err: eu }, Limit::Finite { value: v, err: ev }) => {
            (u - v).abs() <= 2.0 * (eu + ev) + 8.0 * f64::EPSILON * u.abs().max(v.abs())
        }
        (Limit::Infinite { sign: s }, Limit::Infinite { sign: t }) => s == t,
        _ => false,
    }
}

fn limit_value(limit: Limit, fallback: f64) -> f64 {
    match limit {
        Limit::Finite { value, .. } => value,
        Limit::Infinite { sign } => sign * f64::INFINITY,
        Limit::None => fallback,
    }
}

/// Classifies the point `a` of a 1-D function (see the module notes).
pub fn classify_point(f: &Function, a: f64) -> PointKind {
    classify_line(&Line::axis(f, a))
}

/// The verdict for f restricted to a line: does the derivative along it exist at the point?
pub(super) fn classify_line(line: &Line) -> PointKind {
    let fa = line.value_here();
    if !fa.0.is_finite() {
        return hole_or_undefined(line);
    }
    let (left, right) = (side_view(line, fa, -1.0), side_view(line, fa, 1.0));
    use SideView::*;
    match (left, right) {
        (Undefined, Undefined) => PointKind::Isolated,
        (Undefined, _) => PointKind::DomainEdge {
            defined: Side::Right,
        },
        (_, Undefined) => PointKind::DomainEdge {
            defined: Side::Left,
        },
        (Discontinuous(l), Discontinuous(r)) => jump(l, r, fa.0),
        (Discontinuous(l), Continuous(_)) => jump(
            l,
            Limit::Finite {
                value: fa.0,
                err: 0.0,
            },
            fa.0,
        ),
        (Continuous(_), Discontinuous(r)) => jump(
            Limit::Finite {
                value: fa.0,
                err: 0.0,
            },
            r,
            fa.0,
        ),
        (Continuous(l), Continuous(r)) => from_slopes(line, l, r),
    }
}

fn jump(left: Limit, right: Limit, fa: f64) -> PointKind {
    if left == Limit::None || right == Limit::None {
        return PointKind::Oscillating;
    }
    PointKind::Jump {
        left_limit: limit_value(left, fa),
        right_limit: limit_value(right, fa),
    }
}

fn from_slopes(line: &Line, left: Limit, right: Limit) -> PointKind {
    match (left, right) {
        (Limit::None, _) | (_, Limit::None) => PointKind::Oscillating,
        (Limit::Infinite { sign: s }, Limit::Infinite { sign: t }) if s != t => PointKind::Cusp,
        (Limit::Infinite { .. }, _) | (_, Limit::Infinite { .. }) => PointKind::Vertical,
        (Limit::Finite { value: l, .. }, Limit::Finite { value: r, .. }) => {
            if agree(left, right) {
                // The symbolic f′(a) is exact where it exists and sits within both sides'
                // error bars; at a point the rules mistreat (sign(0) for |x|′) it would not.
                let exact = line.exact_slope();
                let fits = |side: Limit| {
                    agree(
                        side,
                        Limit::Finite {
                            value: exact,
                            err: 0.0,
                        },
                    )
                };
                let slope = if exact.is_finite() && fits(left) && fits(right) {
                    exact
                } else {
                    0.5 * (l + r)
                };
                // + 0.0 turns a −0 from the rules (−20·sin(0)) into the 0 a reader expects.
                PointKind::Smooth { slope: slope + 0.0 }
            } else {
                PointKind::Kink { left: l, right: r }
            }
        }
    }
}

/// f(a) is not a number: a hole if both sides head for the same finite value.
fn hole_or_undefined(line: &Line) -> PointKind {
    let side = |sign: f64| {
        let samples = meaningful(samples(line, sign), None);
        let run = finite_run(&samples, |s| s.value);
        if run.len() < 3 || samples.last().is_none_or(|s| !s.value.0.is_finite()) {
            return Limit::None;
        }
        limit_of(&run)
    };
    match (side(-1.0), side(1.0)) {
        (l @ Limit::Finite { value, .. }, r @ Limit::Finite { .. }) if agree(l, r) => {
            PointKind::Removable { limit: value }
        }
        _ => PointKind::Undefined,
    }
}
