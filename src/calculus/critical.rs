//! The critical points of a 1-D function in an interval, as a textbook counts them: where
//! f′ = 0 (refined to the last bit, classified by f″ or by f′'s change of sign), where f is
//! defined but f′ does not exist (a kink, a cusp: the verdict of `verdict.rs` decides), and
//! whole stretches where f′ ≡ 0, reported once instead of point by point.

use serde::Serialize;

use super::aliasing::{TooMany, hidden_sign_changes};
use super::precision::{Unresolved, merged, on_samples, resolved, rounding_runs, sort_stretches};
use super::verdict::{PointKind, classify_point};
use crate::function::Function;

/// What a critical point is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriticalKind {
    Minimum,
    Maximum,
    /// f′ = 0 without changing sign, like x³ at 0.
    FlatInflection,
    /// f′ does not exist and f is neither smallest nor largest here, like ∛x at 0.
    Neither,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CriticalPoint {
    pub x: f64,
    pub value: f64,
    /// NaN where f′ does not exist.
    pub second_derivative: f64,
    pub kind: CriticalKind,
    /// Where f′(x) does not exist: the verdict that says why (a kink, a cusp, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_derivative: Option<PointKind>,
}

/// f′ ≡ 0 from `start` to `end`: f is constant (`value`) there and every point is critical.
/// An end where f′ = 0 fails (a hole, as x/x has at 0, or a jump, as sign(x) has) belongs to the
/// stretch's closure but not to the stretch: that side is open.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FlatInterval {
    pub start: f64,
    pub end: f64,
    pub value: f64,
    /// Whether f′ = 0 at `start` itself (`[`), or only just after it (`(`).
    pub start_closed: bool,
    /// Whether f′ = 0 at `end` itself (`]`), or only just before it (`)`).
    pub end_closed: bool,
}

impl FlatInterval {
    /// The interval as a reader writes it, `[a, b]`, `[a, b)`, `(a, b]` or `(a, b)`, with the
    /// ends written by `number`.
    pub fn written(&self, number: impl Fn(f64) -> String) -> String {
        format!(
            "{}{}, {}{}",
            if self.start_closed { '[' } else { '(' },
            number(self.start),
            number(self.end),
            if self.end_closed { ']' } else { ')' },
        )
    }
}

/// Everything critical in an interval.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CriticalSet {
    pub points: Vec<CriticalPoint>,
    pub flat: Vec<FlatInterval>,
    /// Stretches where double precision cannot tell f′ from 0 (see `precision`).
    pub unresolved: Vec<Unresolved>,
    /// Where f′ changes sign more often than is listed (sin(1000x) on [−100, 100]): how often
    /// at least; those critical points are not in `points`.
    pub too_many: Option<TooMany>,
    /// Where f′ turns faster than the finest samples followed (sin(1/x) near 0): there are
    /// more critical points there than are listed or counted.
    pub gave_up_at: Option<f64>,
}

/// Samples of f′ used to bracket its zeros in an interval.
const SAMPLES: usize = 4001;

/// The critical points in `[a, b]` (see [`critical_set`]), without the flat stretches.
pub fn critical_points(f: &Function, a: f64, b: f64) -> Vec<CriticalPoint> {
    critical_set(f, a, b).points
}

/// The critical points of a 1-D function in `[a, b]` and the stretches where f′ ≡ 0.
pub fn critical_set(f: &Function, a: f64, b: f64) -> CriticalSet {
    let scan = Scan::new(f, a, b);
    let mut found = Found::default();
    // Gaps whose f′ the samples do not follow (sin(1000x): turns between samples) are refined
    // first; their sign changes come from the finer samples, or are counted where too many.
    let trusted: Vec<bool> = (0..SAMPLES)
        .map(|k| scan.ds[k].is_finite() && resolved(scan.ds_bounded[k]))
        .collect();
    let hidden = hidden_sign_changes(f, &scan.xs, &scan.ds_bounded, &trusted);
    let mut refined = vec![false; SAMPLES];
    for &k in &hidden.refined {
        refined[k] = true;
    }
    let too_many = hidden.too_many(b - a);
    if too_many.is_none() {
        for &(p, q) in &hidden.brackets {
            scan.sign_change(p, q, &mut found);
        }
    }
    scan.walk_samples(&refined, &mut found);
    scan.edges(&mut found);
    let candidates = scan.kept(found.candidates);
    let mut points = scan.classify(&candidates);
    scan.add_breaks(found.breaks, &candidates, &mut points);
    points.sort_by(|p, q| p.x.total_cmp(&q.x));
    CriticalSet {
        points,
        flat: scan.flat,
        unresolved: scan.unresolved,
        too_many,
        gave_up_at: hidden.gave_up_at,
    }
}

/// Points to look at, found while walking the samples.
#[derive(Default)]
struct Found {
    /// Where f′ may be 0 or missing: each is classified.
    candidates: Vec<f64>,
    /// Where f′ may not exist: kept only where the verdict names a break.
    breaks: Vec<f64>,
}

/// f and f′ sampled evenly over [a, b] with their rounding bounds, and what the samples say
/// at once: the flat stretches and those where f′ is not resolved.
struct Scan<'f> {
    f: &'f Function,
    a: f64,
    b: f64,
    xs: Vec<f64>,
    ds: Vec<f64>,
    fs: Vec<(f64, f64)>,
    ds_bounded: Vec<(f64, f64)>,
    flat: Vec<FlatInterval>,
    unresolved: Vec<Unresolved>,
}

impl<'f> Scan<'f> {
    fn new(f: &'f Function, a: f64, b: f64) -> Self {
        // The last sample is b itself (a + (b − a)·1 may round below it).
        let xs: Vec<f64> = (0..SAMPLES)
            .map(|k| {
                if k == SAMPLES - 1 {
                    b
                } else {
                    a + (b - a) * k as f64 / (SAMPLES - 1) as f64
                }
            })
            .collect();
        // f and f′ with their rounding bounds, for the flat stretches and the breaks.
        let bounded: Vec<Vec<(f64, f64)>> = xs
            .iter()
            .map(|&x| f.value_and_gradient_with_error(&[x]))
            .collect();
        let fs: Vec<(f64, f64)> = bounded.iter().map(|v| v[0]).collect();
        let ds_bounded: Vec<(f64, f64)> = bounded.iter().map(|v| v[1]).collect();
        // Without data the bounded evaluation computes f′ by the very operations of
        // `f.gradient`, bit for bit, so its values are f′; a data objective's means are summed
        // in another order there, so its f′ is evaluated on its own.
        let ds: Vec<f64> = if f.data_rows().is_none() {
            ds_bounded.iter().map(|&(d, _)| d).collect()
        } else {
            xs.iter().map(|&x| f.gradient(&[x])[0]).collect()
        };
        // f′ computed as 0 on a stretch is f constant there, or underflow, or rounding: only
        // the first is flat; the others, and runs where f′'s sign is rounding, are unresolved.
        let stretches = flat_intervals(f, &xs, &ds, &fs);
        let (flat, sunk) = sort_stretches(f, stretches, &xs, &fs, &ds_bounded);
        let pieces = sunk
            .into_iter()
            .chain(rounding_runs(&xs, &fs, &ds_bounded, &flat))
            .map(|u| on_samples(u, &xs))
            .collect();
        let unresolved = merged(pieces, 4.0 * (b - a) / (SAMPLES - 1) as f64);
        Scan {
            f,
            a,
            b,
            xs,
            ds,
            fs,
            ds_bounded,
            flat,
            unresolved,
        }
    }

    fn df(&self, x: f64) -> f64 {
        self.f.gradient(&[x])[0]
    }

    fn spacing(&self) -> f64 {
        (self.b - self.a) / (SAMPLES - 1) as f64
    }

    /// Whether x lies in a stretch where f′ is not resolved, with half a sample's width of
    /// slack: the stretches' ends were written with fewer digits.
    fn in_unresolved(&self, x: f64) -> bool {
        let slack = 0.5 * self.spacing();
        self.unresolved
            .iter()
            .any(|u| u.start - slack <= x && x <= u.end + slack)
    }

    /// Whether x is a point of a flat stretch: inside it, or an end it holds (f′ = 0 there was
    /// checked). An end it does not hold is a candidate of its own.
    fn held(&self, x: f64) -> bool {
        self.flat.iter().any(|i| {
            (i.start < x && x < i.end)
                || (x == i.start && i.start_closed)
                || (x == i.end && i.end_closed)
        })
    }

    /// A sign change of f′ between p and q: a zero of f′, or a kink, cusp or pole. Where the
    /// bracket closes on a point f′ is no smaller at than at p and q, f′ jumps through ±∞ or
    /// across 0 there rather than passing 0 (x^(2/3) between samples around 0): a break for
    /// the verdict to name, never a smooth extremum.
    fn sign_change(&self, p: f64, q: f64, found: &mut Found) {
        let df = |x: f64| self.df(x);
        let (lo, hi) = bracket_sign_change(&df, p, q);
        let zero = if df(lo).abs() <= df(hi).abs() { lo } else { hi };
        if df(zero).abs() < df(p).abs().min(df(q).abs()) || df(zero) == 0.0 {
            found.candidates.push(polish(self.f, zero));
        } else {
            found.breaks.push(shortest_between(lo, hi));
        }
    }

    /// Each sample and the gap after it: zeros of f′ at samples and between them (except in
    /// `refined` gaps, already searched), slopes that blow up, and double zeros.
    fn walk_samples(&self, refined: &[bool], found: &mut Found) {
        let (xs, ds, ds_bounded) = (&self.xs, &self.ds, &self.ds_bounded);
        let df = |x: f64| self.df(x);
        for k in 0..SAMPLES {
            if ds[k] == 0.0 {
                if !self.in_unresolved(xs[k]) {
                    found.candidates.push(xs[k]);
                }
            } else if !ds[k].is_finite() {
                // f′ blows up or is undefined: a vertical tangent or a cusp where f itself is
                // defined (the verdict sorts out which, and drops points outside the domain).
                if self.f.value(&[xs[k]]).is_finite() {
                    found.candidates.push(xs[k]);
                }
            } else if k + 1 < SAMPLES
                && !refined[k]
                && ds[k + 1].is_finite()
                && ds[k] * ds[k + 1] < 0.0
                && ds[k + 1] != 0.0
                && (resolved(ds_bounded[k]) || resolved(ds_bounded[k + 1]))
            {
                self.sign_change(xs[k], xs[k + 1], found);
            } else if k > 0
                && k + 1 < SAMPLES
                && spikes(ds, k)
                && let Some(x) = unbounded_slope(&df, xs[k - 1], xs[k + 1], ds[k])
            {
                // |f′| peaks sharply at a sample and grows without bound between its
                // neighbours: a vertical tangent or a cusp between the samples (x^(1/3) with
                // no sample at 0).
                found.breaks.push(x);
            } else if k > 0
                && k + 1 < SAMPLES
                && !refined[k - 1]
                && !refined[k]
                && resolved(ds_bounded[k])
                && touches_zero(ds, k)
            {
                // f′ dips to (nearly) zero without crossing, like 3x² at 0: polish with Newton.
                if let Some(x) = newton_on_derivative(self.f, xs[k]) {
                    found.candidates.push(x);
                }
            }
        }
    }

    /// Edges: of f's domain between two samples (√x on a range with no sample at 0: f is
    /// defined there and f′ is not), and the open ends of flat stretches, where f′ = 0 stops
    /// holding — a kink (|x − 1| + |x + 1| at ±1), a jump (sign(x) at 0) or a hole (x/x at 0).
    fn edges(&self, found: &mut Found) {
        for k in 0..SAMPLES - 1 {
            if self.fs[k].0.is_finite() != self.fs[k + 1].0.is_finite()
                && let Some(x) = domain_edge(self.f, self.xs[k], self.xs[k + 1])
            {
                found.candidates.push(x);
            }
        }
        for stretch in &self.flat {
            if !stretch.start_closed {
                found.candidates.push(stretch.start);
            }
            if !stretch.end_closed {
                found.candidates.push(stretch.end);
            }
        }
    }

    /// The candidates in [a, b] and not points of a flat stretch, sorted, each once.
    fn kept(&self, mut candidates: Vec<f64>) -> Vec<f64> {
        candidates.retain(|&x| (self.a..=self.b).contains(&x) && !self.held(x));
        candidates.sort_by(f64::total_cmp);
        candidates.dedup_by(|p, q| close(*p, *q));
        candidates
    }

    /// Each candidate as the critical point it is, or none.
    fn classify(&self, candidates: &[f64]) -> Vec<CriticalPoint> {
        let (f, a, b, spacing) = (self.f, self.a, self.b, self.spacing());
        // Inside a flat stretch every point is critical and said once; its ends stay
        // candidates in case f′ is missing there (sign(x) at 0, between two stretches).
        let on_flat = |x: f64| self.flat.iter().any(|i| i.start <= x && x <= i.end);
        candidates
            .iter()
            .filter_map(|&x| {
                let verdict = classify_point(f, x);
                match verdict {
                    PointKind::Smooth { .. } if on_flat(x) => None,
                    PointKind::Smooth { .. } => Some(classify_critical(f, x, spacing)),
                    // Defined at x, derivative missing: critical, as in any calculus text (an
                    // edge of f's domain too, like √x at 0, but not an end of the range
                    // searched, where only one side was asked about); outside the domain: not
                    // critical.
                    PointKind::DomainEdge { .. } if x == a || x == b => None,
                    // Secants that swing where f′ is not resolved are that rounding, not a
                    // point.
                    PointKind::Oscillating if self.in_unresolved(x) => None,
                    _ => critical_without_derivative(f, x, verdict, spacing),
                }
            })
            .collect()
    }

    /// Breaks found on the way, and where f′ or f itself jumps between two samples while f′
    /// keeps its sign (|x| + 2x at 0, sign(x) + x at 0): f′ does not exist there, so they are
    /// critical — where the verdict names a kink, jump, cusp or vertical tangent (secants that
    /// merely swing are rounding more often than not; a steep but smooth f is no break).
    /// With their rounding bounds: a step of a few ulps (1 − tanh² near saturation) is
    /// rounding, not a break.
    fn add_breaks(&self, breaks: Vec<f64>, candidates: &[f64], points: &mut Vec<CriticalPoint>) {
        let (xs, fs, ds_bounded) = (&self.xs, &self.fs, &self.ds_bounded);
        let df = |x: f64| self.df(x);
        let value = |x: f64| self.f.value(&[x]);
        let jumps = (0..SAMPLES - 1).filter_map(|k| {
            if isolated_jump(ds_bounded, k) {
                Some(locate_break(&df, xs[k], xs[k + 1]))
            } else if isolated_jump(fs, k) {
                Some(locate_break(&value, xs[k], xs[k + 1]))
            } else {
                None
            }
        });
        let found: Vec<f64> = breaks.into_iter().chain(jumps).collect();
        for at in found {
            if !(self.a..=self.b).contains(&at)
                || self.held(at)
                || candidates
                    .iter()
                    .chain(points.iter().map(|p| &p.x))
                    .any(|&c| close(at, c))
            {
                continue;
            }
            let verdict = classify_point(self.f, at);
            if matches!(
                verdict,
                PointKind::Kink { .. }
                    | PointKind::Jump { .. }
                    | PointKind::Cusp
                    | PointKind::Vertical
            ) && let Some(point) =
                critical_without_derivative(self.f, at, verdict, self.spacing())
            {
                points.push(point);
            }
        }
    }
}

/// Two candidates this close are one point.
fn close(p: f64, q: f64) -> bool {
    (p - q).abs() <= 1e-9 * (1.0 + q.abs())
}

/// Whether `v` (values with their rounding bounds) jumps between samples `k` and `k + 1` by
/// far more than it changes a sample further away on either side (the next differences out;
/// the nearest ones may share the jump when a sample sits right on it), and by far more than
/// the two values' rounding.
fn isolated_jump(v: &[(f64, f64)], k: usize) -> bool {
    let step = |j: usize| {
        let ((p, _), (q, _)) = (v[j], v[j + 1]);
        (p.is_finite() && q.is_finite()).then(|| (q - p).abs())
    };
    let Some(jump) = step(k) else {
        return false;
    };
    let outer = [k.checked_sub(2), Some(k + 2).filter(|&j| j + 1 < v.len())];
    let around: Vec<f64> = outer.into_iter().flatten().filter_map(step).collect();
    let (p, q) = (v[k], v[k + 1]);
    let size = p.0.abs().max(q.0.abs());
    !around.is_empty()
        && jump > 8.0 * around.iter().fold(0.0f64, |m, &d| m.max(d))
        && jump > 1e-9 * size
        && jump > 64.0 * (p.1 + q.1)
}

/// The edge of f's domain between `p` and `q` (f defined at one of them only), where it is a
/// point f is defined at and a short decimal (0 for √x, 0.3 for √(x − 0.3)); None where the
/// domain ends at a point f does not reach (ln x towards 0) or an edge no short number marks.
fn domain_edge(f: &Function, p: f64, q: f64) -> Option<f64> {
    let defined = |x: f64| f.value(&[x]).is_finite();
    let (inside, outside) = if defined(p) { (p, q) } else { (q, p) };
    let short = edge(&defined, inside, outside);
    let digits = format!("{:e}", short)
        .split('e')
        .next()
        .map_or(17, str::len);
    (defined(short) && digits <= 10).then_some(short)
}

/// The point between `lo` and `hi` where `g` jumps: bisection keeping the half that changes
/// most, then the shortest decimal left between the two ends.
fn locate_break(g: &dyn Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let (mut g_lo, mut g_hi) = (g(lo), g(hi));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let g_mid = g(mid);
        // A NaN side is where the change is not accounted for: keep it.
        if (g_mid - g_lo).abs() >= (g_hi - g_mid).abs() || (g_mid - g_lo).is_nan() {
            (hi, g_hi) = (mid, g_mid);
        } else {
            (lo, g_lo) = (mid, g_mid);
        }
    }
    shortest_between(lo, hi)
}

/// Runs of two or more samples where f′ is exactly 0 and f keeps one value, their ends refined
/// to where that stops and rounded to the shortest decimal there. (f′ = 0 alone is not enough:
/// sign(x) has f′ = 0 on both sides of its jump.)
/// `fs` holds f at `xs` with its rounding bounds, `ds` f′ there.
fn flat_intervals(f: &Function, xs: &[f64], ds: &[f64], fs: &[(f64, f64)]) -> Vec<FlatInterval> {
    let value_at = |x: f64| f.value_and_gradient_with_error(&[x])[0];
    // The same value to within both rounding bounds (|x − 1| + |x + 1| is 2 only to rounding).
    let same = |p: (f64, f64), q: (f64, f64)| (p.0 - q.0).abs() <= p.1 + q.1;
    let mut out = Vec::new();
    let mut k = 0;
    while k < xs.len() {
        if ds[k] != 0.0 || !fs[k].0.is_finite() {
            k += 1;
            continue;
        }
        let first = k;
        while k + 1 < xs.len() && ds[k + 1] == 0.0 && same(fs[k + 1], fs[first]) {
            k += 1;
        }
        if k > first {
            let flat = |x: f64| f.gradient(&[x])[0] == 0.0 && same(value_at(x), fs[first]);
            let start = if first == 0 {
                xs[0]
            } else {
                edge(&flat, xs[first], xs[first - 1])
            };
            let end = if k + 1 == xs.len() {
                xs[k]
            } else {
                edge(&flat, xs[k], xs[k + 1])
            };
            // An end belongs to the stretch where f there is the stretch's value and f′ there
            // exists and is 0: the symbolic f′ says 0 at a jump (sign′ ≡ 0) and NaN at a
            // removable 0/0 (√(x²) − |x| at 0), so the verdict has the last word.
            // Secants that swing without settling at a stretch's end are rounding at the edge
            // of a saturated f (tanh(1000x) near ±0.019), not evidence against f′ = 0 there.
            // So can a "vertical" verdict where f sits within an ulp of a constant (tanh(x) at
            // ±20: one ulp over a tiny h): there too the symbolic f′ = 0 decides.
            let closed = |x: f64| {
                same(value_at(x), fs[first])
                    && match classify_point(f, x) {
                        PointKind::Smooth { slope } => slope == 0.0 || f.gradient(&[x])[0] == 0.0,
                        PointKind::Oscillating | PointKind::Vertical => flat(x),
                        _ => false,
                    }
            };
            out.push(FlatInterval {
                start,
                end,
                value: fs[first].0,
                start_closed: closed(start),
                end_closed: closed(end),
            });
        }
        k += 1;
    }
    merge_touching(out)
}

/// Stretches that meet at a point both hold, with the same value, are one (√(x²) − |x| is 0 on
/// both sides of 0, and at 0).
fn merge_touching(stretches: Vec<FlatInterval>) -> Vec<FlatInterval> {
    let mut out: Vec<FlatInterval> = Vec::with_capacity(stretches.len());
    for next in stretches {
        match out.last_mut() {
            Some(last)
                if last.end == next.start
                    && last.end_closed
                    && next.start_closed
                    && last.value == next.value =>
            {
                last.end = next.end;
                last.end_closed = next.end_closed;
            }
            _ => out.push(next),
        }
    }
    out
}

/// The boundary between `inside` (where `flat` holds) and `outside`, as the shortest decimal
/// between the last point where it holds and the first where it does not (found by bisection).
fn edge(flat: &dyn Fn(f64) -> bool, mut inside: f64, mut outside: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (inside + outside);
        if mid == inside || mid == outside {
            break;
        }
        if flat(mid) {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    shortest_between(inside.min(outside), inside.max(outside))
}

/// The number with the fewest significant digits in [lo, hi] (0 if it lies there).
pub(super) fn shortest_between(lo: f64, hi: f64) -> f64 {
    if lo <= 0.0 && 0.0 <= hi {
        return 0.0;
    }
    let mid = 0.5 * (lo + hi);
    (0..17)
        .filter_map(|digits| format!("{mid:.digits$e}").parse::<f64>().ok())
        .find(|v| (lo..=hi).contains(v))
        .unwrap_or(mid)
}

/// The critical point at `x` if f is defined there but f′ is not (`verdict` says why): a
/// minimum or maximum if f is larger (smaller) than f(x) on both sides at every distance tried
/// below `step`, else neither. None where f′ exists or f is undefined around x.
pub fn critical_without_derivative(
    f: &Function,
    x: f64,
    verdict: PointKind,
    step: f64,
) -> Option<CriticalPoint> {
    match verdict {
        PointKind::Kink { .. }
        | PointKind::Vertical
        | PointKind::Cusp
        | PointKind::Jump { .. }
        | PointKind::Oscillating
        | PointKind::DomainEdge { .. } => {}
        _ => return None,
    }
    // At an edge of the domain, a minimum or maximum is judged among the points f is defined
    // at (√x has its smallest value at 0), as the textbook's local extremum on a domain is.
    let one_sided = matches!(verdict, PointKind::DomainEdge { .. });
    let value = f.value(&[x]);
    let step = step.max(4.0 * f64::EPSILON * x.abs());
    // A minimum in the textbook's sense, f(x) ≤ f near x: nowhere below and somewhere above
    // (|x − 1| + |x + 1| at 1 is constant on one side and rises on the other). "Equal" is equal
    // within both values' rounding bounds: that constant side is 2 only to rounding, and stays
    // so when f or x is scaled.
    let with_error = |x: f64| f.value_and_gradient_with_error(&[x])[0];
    let (value_here, doubt_here) = with_error(x);
    let (mut nowhere_below, mut nowhere_above) = (true, true);
    let (mut somewhere_above, mut somewhere_below) = (false, false);
    for k in 1..=12 {
        let h = step * 0.25f64.powi(k);
        for side in [-1.0, 1.0] {
            let at = x + side * h;
            let (v, doubt) = with_error(at);
            if one_sided && v.is_nan() {
                continue;
            }
            let mut above = v > value_here + (doubt + doubt_here);
            let mut below = v < value_here - (doubt + doubt_here);
            let mut equal = false;
            if !above && !below && v.is_finite() && doubt.is_finite() {
                // Within rounding of f(x): equal only where f′ is exactly 0 there (a flat
                // side); else the slope says which way f goes from x (x³ + |x| + x + 10⁶ at
                // 0 drops to the left by less than an ulp of 10⁶, but drops).
                let slope = f.gradient(&[at])[0] * side;
                equal = slope == 0.0;
                above = slope > 0.0;
                below = slope < 0.0;
            }
            // NaN (outside the domain) is neither above nor below, and not "equal" either.
            nowhere_below &= above || equal;
            nowhere_above &= below || equal;
            somewhere_above |= above;
            somewhere_below |= below;
        }
    }
    let kind = if nowhere_below && somewhere_above {
        CriticalKind::Minimum
    } else if nowhere_above && somewhere_below {
        CriticalKind::Maximum
    } else {
        CriticalKind::Neither
    };
    Some(CriticalPoint {
        x,
        value,
        second_derivative: f64::NAN,
        kind,
        no_derivative: Some(verdict),
    })
}

/// A local minimum of |f′| among the samples that is tiny next to its neighbours.
fn touches_zero(ds: &[f64], k: usize) -> bool {
    let (p, c, n) = (ds[k - 1].abs(), ds[k].abs(), ds[k + 1].abs());
    // Small next to both neighbours: next to only one, f′ is more likely to jump there (x³ + |x|
    // + x has f′ = 3x² left of 0, tiny but no zero, and 2 right of it).
    c.is_finite() && c <= p && c <= n && ds[k - 1] * ds[k + 1] > 0.0 && c < 1e-3 * (p.min(n))
}

/// Bisection on a sign change, to the last representable bit: the two neighbouring doubles
/// between which g changes sign, or the point where it is 0 twice over.
fn bracket_sign_change(g: &dyn Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> (f64, f64) {
    let mut g_lo = g(lo);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        let g_mid = g(mid);
        if g_mid == 0.0 {
            return (mid, mid);
        }
        if (g_mid < 0.0) == (g_lo < 0.0) {
            lo = mid;
            g_lo = g_mid;
        } else {
            hi = mid;
        }
    }
    (lo, hi)
}

/// Whether |f′| at sample k stands well above both neighbours: the mark of a slope that grows
/// without bound between samples, or of a narrow smooth peak (which `unbounded_slope` rules out).
fn spikes(ds: &[f64], k: usize) -> bool {
    let (p, c, n) = (ds[k - 1].abs(), ds[k].abs(), ds[k + 1].abs());
    c.is_finite() && p.is_finite() && n.is_finite() && c > 1.5 * p.max(n)
}

/// Where |g| grows without bound in (lo, hi), found by a golden-section search for its largest
/// value, or None where it stays within 1000 times `seen` (a smooth peak).
fn unbounded_slope(g: &dyn Fn(f64) -> f64, mut lo: f64, mut hi: f64, seen: f64) -> Option<f64> {
    const SHRINK: f64 = 0.381_966_011_250_105_1; // 2 − φ
    let size = |x: f64| {
        let v = g(x).abs();
        if v.is_nan() { f64::INFINITY } else { v }
    };
    let mut best = (0.5 * (lo + hi), 0.0);
    for _ in 0..300 {
        let (p, q) = (lo + SHRINK * (hi - lo), hi - SHRINK * (hi - lo));
        if !(lo < p && p <= q && q < hi) {
            break;
        }
        let (gp, gq) = (size(p), size(q));
        if gp >= gq {
            hi = q;
            best = (p, gp);
        } else {
            lo = p;
            best = (q, gq);
        }
        if best.1.is_infinite() {
            break;
        }
    }
    (best.1 > 1e3 * seen.abs()).then(|| shortest_between(lo.min(best.0), hi.max(best.0)))
}

/// Bisection leaves x within an ulp or two; Newton steps on f′ pick the double that f′ itself
/// says is closest (√2 rather than its lower neighbour), and stop as soon as |f′| stops falling.
fn polish(f: &Function, mut x: f64) -> f64 {
    let df = |x: f64| f.gradient(&[x])[0];
    for _ in 0..3 {
        let d2 = f.hessian(&[x])[0];
        let next = x - df(x) / d2;
        if !next.is_finite() || next == x || df(next).abs() > df(x).abs() {
            break;
        }
        x = next;
    }
    x
}

/// Newton's method on f′ (using f″) from `x`, for zeros where f′ does not change sign.
fn newton_on_derivative(f: &Function, mut x: f64) -> Option<f64> {
    for _ in 0..100 {
        let d1 = f.gradient(&[x])[0];
        if d1 == 0.0 {
            return Some(x);
        }
        let d2 = f.hessian(&[x])[0];
        if d2 == 0.0 || !d2.is_finite() {
            return None;
        }
        let next = x - d1 / d2;
        if !next.is_finite() {
            return None;
        }
        if next == x {
            break;
        }
        x = next;
    }
    (f.gradient(&[x])[0].abs() < 1e-12).then_some(x)
}

fn classify_critical(f: &Function, x: f64, spacing: f64) -> CriticalPoint {
    let d2 = f.hessian(&[x])[0];
    let value = f.value(&[x]);
    let kind = if d2 > 1e-9 {
        CriticalKind::Minimum
    } else if d2 < -1e-9 {
        CriticalKind::Maximum
    } else {
        // f″ vanishes (or is lost): look at the sign of f′ on either side, at the nearest
        // distance where it is resolved (exp(−1/x²) has f′ underflowing to 0 near its minimum).
        let mut h = spacing.max(1e-6 * (1.0 + x.abs()));
        let slope = |x: f64| f.value_and_gradient_with_error(&[x])[1];
        let (mut l, mut r) = (slope(x - h), slope(x + h));
        // A side is settled where f′ is a resolved number: nonzero beyond its rounding, or an
        // exact 0 (no bound).
        let settled = |(v, e): (f64, f64)| e == 0.0 || (v != 0.0 && resolved((v, e)));
        // Out to the range's width at most: past it f′ says nothing about this point.
        let widest = spacing * SAMPLES as f64;
        for _ in 0..64 {
            if (settled(l) && settled(r)) || !h.is_finite() || h > widest {
                break;
            }
            h *= 2.0;
            (l, r) = (slope(x - h), slope(x + h));
        }
        let (l, r) = (l.0, r.0);
        match (l < 0.0, r > 0.0, l > 0.0, r < 0.0) {
            (true, true, _, _) => CriticalKind::Minimum,
            (_, _, true, true) => CriticalKind::Maximum,
            _ => CriticalKind::FlatInflection,
        }
    };
    CriticalPoint {
        x,
        value,
        second_derivative: d2,
        kind,
        no_derivative: None,
    }
}
