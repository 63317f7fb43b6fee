//! Paths cut to the view: a run's polyline clipped to the box the surface spans (3-D, world
//! units) or to the domain's rectangle (the top-down map), in f64 so that a diverged run's
//! 1e300 coordinates clip exactly instead of overflowing into a line across the screen. Where
//! the path has left the box for good, the place it left is kept for a marker.

/// The part `[t0, t1]` (0 at `a`, 1 at `b`) of the segment a→b inside the box `lo..hi`, if any
/// (Liang–Barsky).
pub fn clip_segment<const N: usize>(
    a: [f64; N],
    b: [f64; N],
    lo: [f64; N],
    hi: [f64; N],
) -> Option<(f64, f64)> {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for k in 0..N {
        let d = b[k] - a[k];
        if !d.is_finite() {
            return None;
        }
        if d == 0.0 {
            if a[k] < lo[k] || a[k] > hi[k] {
                return None;
            }
            continue;
        }
        let (ta, tb) = ((lo[k] - a[k]) / d, (hi[k] - a[k]) / d);
        let (enter, leave) = if d > 0.0 { (ta, tb) } else { (tb, ta) };
        t0 = t0.max(enter);
        t1 = t1.min(leave);
        if t0 > t1 {
            return None;
        }
    }
    Some((t0, t1))
}

fn lerp<const N: usize>(a: [f64; N], b: [f64; N], t: f64) -> [f64; N] {
    std::array::from_fn(|k| a[k] + (b[k] - a[k]) * t)
}

fn inside<const N: usize>(p: [f64; N], lo: [f64; N], hi: [f64; N]) -> bool {
    (0..N).all(|k| lo[k] <= p[k] && p[k] <= hi[k])
}

/// A polyline cut to a box.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClippedPath<const N: usize> {
    /// The visible pieces of the segments, each inside the box.
    pub segments: Vec<([f64; N], [f64; N])>,
    /// The last point, when it is a number inside the box: where the ball goes.
    pub end: Option<[f64; N]>,
    /// Otherwise where the path was last seen: the point where it left the box (or its last
    /// point before it stopped being a number). None when no part of it was ever inside.
    pub exit: Option<[f64; N]>,
}

/// Cuts `points` (None: not a number, which breaks the path) to the box `lo..hi`.
pub fn clip_path<const N: usize>(
    points: &[Option<[f64; N]>],
    lo: [f64; N],
    hi: [f64; N],
) -> ClippedPath<N> {
    let mut out = ClippedPath {
        segments: Vec::new(),
        end: None,
        exit: None,
    };
    let mut last_seen = None;
    if let Some(Some(first)) = points.first()
        && inside(*first, lo, hi)
    {
        last_seen = Some(*first);
    }
    for pair in points.windows(2) {
        let (Some(a), Some(b)) = (pair[0], pair[1]) else {
            continue;
        };
        if let Some((t0, t1)) = clip_segment(a, b, lo, hi) {
            // Inside by construction; the clamp only mops up rounding, which from endpoints at
            // 1e30 is itself about 1e14.
            let within = |p: [f64; N]| std::array::from_fn(|k| p[k].clamp(lo[k], hi[k]));
            let (p, q) = (within(lerp(a, b, t0)), within(lerp(a, b, t1)));
            out.segments.push((p, q));
            last_seen = Some(q);
        }
    }
    match points.last() {
        Some(Some(p)) if inside(*p, lo, hi) => out.end = Some(*p),
        Some(_) => out.exit = last_seen,
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_is_cut_where_it_crosses_the_box() {
        let (lo, hi) = ([-1.0, -1.0], [1.0, 1.0]);
        assert_eq!(
            clip_segment([0.0, 0.0], [2.0, 0.0], lo, hi),
            Some((0.0, 0.5))
        );
        assert_eq!(
            clip_segment([-3.0, 0.0], [3.0, 0.0], lo, hi),
            Some((1.0 / 3.0, 2.0 / 3.0))
        );
        assert_eq!(clip_segment([2.0, 2.0], [3.0, -3.0], lo, hi), None);
        // A diverged step: from inside to 1e300 is cut at the edge, not lost to overflow.
        let (t0, t1) = clip_segment([0.0, 0.0], [1e300, 0.0], lo, hi).unwrap();
        assert_eq!(t0, 0.0);
        assert!((lerp([0.0, 0.0], [1e300, 0.0], t1)[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_run_that_leaves_for_good_ends_at_the_edge_with_no_ball() {
        let (lo, hi) = ([-1.0, -1.0, -0.5], [1.0, 1.0, 0.5]);
        let points = [
            Some([0.0, 0.0, 0.0]),
            Some([0.5, 0.0, 0.1]),
            Some([-2.0, 0.0, 0.1]),
            Some([1e200, 0.0, 1e200]),
            None,
        ];
        let path = clip_path(&points, lo, hi);
        assert_eq!(path.end, None);
        assert_eq!(path.segments.len(), 2);
        let exit = path.exit.expect("it left at the edge");
        assert!((exit[0] + 1.0).abs() < 1e-12, "{exit:?}");
        // Staying inside: the ball at the last point, no marker.
        let path = clip_path(&points[..2], lo, hi);
        assert_eq!(path.end, Some([0.5, 0.0, 0.1]));
        assert_eq!(path.exit, None);
        // Ending in a non-number right after an inside point: the marker is that point.
        let path = clip_path(
            &[Some([0.0, 0.0, 0.0]), Some([0.2, 0.0, 0.0]), None],
            lo,
            hi,
        );
        assert_eq!(path.exit, Some([0.2, 0.0, 0.0]));
        // Never inside: nothing.
        let path = clip_path(&[Some([5.0, 5.0, 5.0]), Some([6.0, 5.0, 5.0])], lo, hi);
        assert!(path.segments.is_empty() && path.end.is_none() && path.exit.is_none());
    }
}
