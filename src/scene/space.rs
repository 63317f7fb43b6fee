//! Where a function's domain and values land in world space: x and y of the domain map to the
//! square [-1, 1]², f to a height through a vertical scale (linear or logarithmic) whose limits
//! are taken robustly from a sample of the function. The surface shader repeats this mapping.

use glam::Vec3;

use crate::function::Function;

/// The rectangle of the xy plane that is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Domain {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Domain {
    pub fn new(x: (f64, f64), y: (f64, f64)) -> Self {
        Self { x, y }
    }

    pub fn width(&self) -> f64 {
        self.x.1 - self.x.0
    }

    pub fn height(&self) -> f64 {
        self.y.1 - self.y.0
    }

    /// Whether (x, y) lies in the domain's rectangle, edges included.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        (self.x.0..=self.x.1).contains(&x) && (self.y.0..=self.y.1).contains(&y)
    }

    pub fn center(&self) -> [f64; 2] {
        [(self.x.0 + self.x.1) * 0.5, (self.y.0 + self.y.1) * 0.5]
    }
}

/// How f becomes a height fraction `t` between `lo` and `hi`: the view's z-range. At an end
/// that is `cut` the surface stops (holes, not a flat plate) and trajectories are clipped to
/// the box; at an end that is not (the automatic range where f has no pole there, which is
/// f's sampled extreme: a finer grid may find values a hair beyond) values are clamped onto it.
///
/// Logarithmic: `t = ln(1 + (f − lo)/s) / ln(1 + (hi − lo)/s)`, so values just above the
/// minimum get room (Rosenbrock's valley floor) while the walls, decades higher, still fit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VerticalScale {
    pub lo: f64,
    pub hi: f64,
    /// `Some(s)`: logarithmic with offset `s` > 0 (in units of f).
    pub log_offset: Option<f64>,
    /// Whether the surface is cut below `lo` and above `hi` (else clamped there).
    pub cut: [bool; 2],
    /// Some((min, max)) when the automatic range found f flat: every sampled value the same, or
    /// spread over less than f32 can draw (`5e-324·sign(x·y)`). The range is then one around
    /// the middle value, so the surface is a level plate halfway up, and the colour bar says
    /// what f is instead of spreading a range f does not span.
    pub flat: Option<(f64, f64)>,
}

/// Points per axis of the f64 sample that `VerticalScale::auto` takes the limits from (odd, so
/// the centre and the edges are sampled; dense enough to find most NaN regions).
const AUTO_SAMPLES: usize = 129;
/// The log offset is this fraction of the range: about four decades are resolved.
const LOG_OFFSET_FRACTION: f64 = 1e-4;

impl VerticalScale {
    pub fn linear(lo: f64, hi: f64) -> Self {
        let (lo, hi) = sane_limits(lo, hi);
        Self {
            lo,
            hi,
            log_offset: None,
            cut: [false; 2],
            flat: None,
        }
    }

    pub fn log(lo: f64, hi: f64) -> Self {
        let (lo, hi) = sane_limits(lo, hi);
        Self {
            lo,
            hi,
            log_offset: Some(((hi - lo) * LOG_OFFSET_FRACTION).max(f64::MIN_POSITIVE)),
            cut: [false; 2],
            flat: None,
        }
    }

    /// Limits from f sampled on the domain in f64 (see [`ValueSample::auto_scale`]): robust
    /// against poles, whole where f has none.
    pub fn auto(function: &Function, domain: &Domain, log: bool) -> Self {
        Self::auto_with_holes(function, domain, log).0
    }

    /// [`VerticalScale::auto`], and whether any sampled value was not finite (NaN holes).
    pub fn auto_with_holes(function: &Function, domain: &Domain, log: bool) -> (Self, bool) {
        let (scale, finite, sampled) = Self::auto_counted(function, domain, log);
        (scale, finite < sampled)
    }

    /// [`VerticalScale::auto`] with how many of how many sampled points were finite (none:
    /// f is a number nowhere in the domain, as far as the sample shows).
    pub fn auto_counted(function: &Function, domain: &Domain, log: bool) -> (Self, usize, usize) {
        let sample = ValueSample::of(function, domain);
        (sample.auto_scale(log), sample.finite(), sample.sampled)
    }

    /// The same kind of scale (linear or log) over another range, cut at both ends: a z-range
    /// typed by hand.
    pub fn with_range(&self, lo: f64, hi: f64) -> Self {
        let scale = match self.log_offset {
            None => Self::linear(lo, hi),
            Some(_) => Self::log(lo, hi),
        };
        scale.cut_at([true, true])
    }

    /// The same scale with its ends cut (true) or clamped.
    pub fn cut_at(mut self, cut: [bool; 2]) -> Self {
        self.cut = cut;
        self
    }

    /// Whether the surface is drawn at `f`: not beyond an end that is cut.
    pub fn shows(&self, f: f64) -> bool {
        !(self.cut[0] && f < self.lo || self.cut[1] && f > self.hi)
    }

    /// The height fraction a path on the surface is drawn at: [`VerticalScale::t_unclamped`],
    /// except that a hair beyond an end that is not cut (a value the sample missed, which the
    /// surface there is clamped to) is put on that end; further out the box clips it.
    pub fn t_drawn(&self, f: f64) -> f64 {
        const HAIR: f64 = 0.05;
        let t = self.t_unclamped(f);
        if !self.cut[0] && (-HAIR..0.0).contains(&t) {
            0.0
        } else if !self.cut[1] && t > 1.0 && t <= 1.0 + HAIR {
            1.0
        } else {
            t
        }
    }

    /// Height fraction of `f`, clamped to [0, 1]; NaN stays NaN.
    pub fn t(&self, f: f64) -> f64 {
        let clamped = f.clamp(self.lo, self.hi);
        match self.log_offset {
            None => (clamped - self.lo) / (self.hi - self.lo),
            Some(s) => (1.0 + (clamped - self.lo) / s).ln() * self.log_norm(),
        }
    }

    /// Height fraction without clamping: 0 at `lo`, 1 at `hi`, beyond them outside the range
    /// (under a log scale, continued below `lo` by its slope there), so that overlays stay
    /// straight where they leave the range and can be clipped to the box. The surface shader's
    /// `height_fraction_free` is the same.
    pub fn t_unclamped(&self, f: f64) -> f64 {
        match self.log_offset {
            None => (f - self.lo) / (self.hi - self.lo),
            Some(s) if f >= self.lo => (1.0 + (f - self.lo) / s).ln() * self.log_norm(),
            Some(s) => (f - self.lo) / s * self.log_norm(),
        }
    }

    /// d t / d f at `f` (0 outside the range, where the surface is clamped flat); the shader's
    /// `height_slope` is the same.
    pub fn dt_df(&self, f: f64) -> f64 {
        if !(self.lo..=self.hi).contains(&f) {
            return 0.0;
        }
        match self.log_offset {
            None => 1.0 / (self.hi - self.lo),
            Some(s) => self.log_norm() / (s + f - self.lo),
        }
    }

    /// 1 / ln(1 + (hi − lo)/s) for a log scale, else 0 (what the shader receives).
    pub fn log_norm(&self) -> f64 {
        match self.log_offset {
            None => 0.0,
            Some(s) => 1.0 / (1.0 + (self.hi - self.lo) / s).ln(),
        }
    }
}

fn sane_limits(lo: f64, hi: f64) -> (f64, f64) {
    let lo = if lo.is_finite() { lo } else { 0.0 };
    let hi = if hi.is_finite() && hi > lo {
        hi
    } else {
        lo + lo.abs().max(1.0)
    };
    (lo, hi)
}

/// f sampled on an [`AUTO_SAMPLES`]² lattice over the domain in f64: what the automatic z-range
/// is taken from, kept so that a range typed by hand can be checked against the same values.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueSample {
    /// The finite values, sorted.
    sorted: Vec<f64>,
    /// How many points were sampled (finite or not).
    pub sampled: usize,
}

/// The automatic range spans the 1st to the 99th percentile of the sampled values, widened by
/// this share of that span on each side...
const AUTO_WIDEN: f64 = 0.05;
/// ...unless the extreme value lies within this many spans of the percentile: then the whole
/// tail is kept (Himmelblau's corners, exp's rise), and only poles (1/(xy), tan) are cut.
const AUTO_TAIL_SPANS: f64 = 2.0;
/// Values spread over less than this share of their size are flat to the view (f32 keeps about
/// 6e-8 of a number: a height or colour of f would come out in a handful of steps, or none).
const FLAT_SHARE: f64 = 1e-6;

impl ValueSample {
    pub fn of(function: &Function, domain: &Domain) -> Self {
        let n = AUTO_SAMPLES;
        let mut sorted: Vec<f64> = Vec::with_capacity(n * n);
        for i in 0..n {
            let y = domain.y.0 + domain.height() * i as f64 / (n - 1) as f64;
            for j in 0..n {
                let x = domain.x.0 + domain.width() * j as f64 / (n - 1) as f64;
                let f = function.value(&[x, y]);
                if f.is_finite() {
                    sorted.push(f);
                }
            }
        }
        sorted.sort_by(f64::total_cmp);
        Self {
            sorted,
            sampled: n * n,
        }
    }

    /// How many sampled values were finite.
    pub fn finite(&self) -> usize {
        self.sorted.len()
    }

    /// The robust range: from the 1st to the 99th percentile widened a little, or out to the
    /// extreme value where that lies within [`AUTO_TAIL_SPANS`] of the percentile. Minima and
    /// the whole of a smooth surface stay; a pole's spikes are cut.
    /// The range, and which of its ends cut the surface (those the percentile rule chose).
    pub fn auto_range(&self) -> Option<((f64, f64), [bool; 2])> {
        let values = &self.sorted;
        let (&min, &max) = (values.first()?, values.last()?);
        let quantile = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
        let (p_lo, p_hi) = (quantile(0.01), quantile(0.99));
        let span = p_hi - p_lo;
        let cut = [
            min < p_lo - AUTO_TAIL_SPANS * span,
            max > p_hi + AUTO_TAIL_SPANS * span,
        ];
        let lo = if cut[0] {
            p_lo - AUTO_WIDEN * span
        } else {
            min
        };
        let hi = if cut[1] {
            p_hi + AUTO_WIDEN * span
        } else {
            max
        };
        Some(((lo, hi), cut))
    }

    /// The sampled values' least and greatest when f is flat as far as the view can tell: all
    /// equal, or spread over a span f32 cannot draw (under about 1e-6 of their size, or below
    /// f32's smallest normal number).
    pub fn flat(&self) -> Option<(f64, f64)> {
        let (&min, &max) = (self.sorted.first()?, self.sorted.last()?);
        let span = max - min;
        let size = min.abs().max(max.abs());
        (span <= size * FLAT_SHARE || span < f64::from(f32::MIN_POSITIVE)).then_some((min, max))
    }

    /// The automatic scale, linear or logarithmic; (0, 1) when no value was finite. A flat f
    /// gets a range centred on its value (half its size either side, at least ±0.5), flagged
    /// in [`VerticalScale::flat`].
    pub fn auto_scale(&self, log: bool) -> VerticalScale {
        let flat = self.flat();
        let ((lo, hi), cut) = match flat {
            Some((min, max)) => {
                let mid = min * 0.5 + max * 0.5;
                let half = (mid.abs() * 0.5).max(0.5);
                (
                    ((mid - half).max(-f64::MAX), (mid + half).min(f64::MAX)),
                    [false; 2],
                )
            }
            None => self.auto_range().unwrap_or(((0.0, 1.0), [false; 2])),
        };
        let scale = if log {
            VerticalScale::log(lo, hi)
        } else {
            VerticalScale::linear(lo, hi)
        };
        VerticalScale {
            flat,
            ..scale.cut_at(cut)
        }
    }
}

/// World-space height of the value range: f spans z from −HEIGHT/2 to +HEIGHT/2.
pub const WORLD_HEIGHT: f32 = 1.0;

/// Domain plus vertical scale: the whole mapping from (x, y, f) to world space.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldMap {
    pub domain: Domain,
    pub scale: VerticalScale,
}

impl WorldMap {
    pub fn new(domain: Domain, scale: VerticalScale) -> Self {
        Self { domain, scale }
    }

    /// World units per unit of x and of y.
    pub fn xy_scale(&self) -> [f64; 2] {
        [2.0 / self.domain.width(), 2.0 / self.domain.height()]
    }

    pub fn world_from_domain(&self, x: f64, y: f64, f: f64) -> Vec3 {
        self.world_from_t(x, y, self.scale.t_unclamped(f))
    }

    /// Like [`WorldMap::world_from_domain`] but with the value clamped into the range, as the
    /// surface itself is drawn.
    pub fn world_on_surface(&self, x: f64, y: f64, f: f64) -> Vec3 {
        self.world_from_t(x, y, self.scale.t(f))
    }

    fn world_from_t(&self, x: f64, y: f64, t: f64) -> Vec3 {
        let [cx, cy] = self.domain.center();
        let [sx, sy] = self.xy_scale();
        Vec3::new(
            ((x - cx) * sx) as f32,
            ((y - cy) * sy) as f32,
            ((t - 0.5) * f64::from(WORLD_HEIGHT)) as f32,
        )
    }

    /// Where a point of a path on the surface goes, in f64 and clamped only at the range's ends
    /// that are not cut: for clipping paths whose coordinates f32 cannot hold (a diverged run).
    /// Not finite where the input is not.
    pub fn world_f64(&self, x: f64, y: f64, f: f64) -> [f64; 3] {
        let [cx, cy] = self.domain.center();
        let [sx, sy] = self.xy_scale();
        [
            (x - cx) * sx,
            (y - cy) * sy,
            (self.scale.t_drawn(f) - 0.5) * f64::from(WORLD_HEIGHT),
        ]
    }

    /// x, y of the domain at a world point (the inverse of the horizontal part of the map).
    pub fn domain_xy_from_world(&self, world: Vec3) -> [f64; 2] {
        let [cx, cy] = self.domain.center();
        let [sx, sy] = self.xy_scale();
        [f64::from(world.x) / sx + cx, f64::from(world.y) / sy + cy]
    }

    /// The box the surface occupies in world space.
    pub fn bounds_world(&self) -> (Vec3, Vec3) {
        let h = WORLD_HEIGHT * 0.5;
        (Vec3::new(-1.0, -1.0, -h), Vec3::new(1.0, 1.0, h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_and_log_scales_hit_both_ends() {
        for scale in [
            VerticalScale::linear(2.0, 10.0),
            VerticalScale::log(2.0, 10.0),
        ] {
            assert!(scale.t(2.0).abs() < 1e-12);
            assert!((scale.t(10.0) - 1.0).abs() < 1e-12);
            assert_eq!(scale.t(100.0), 1.0);
            assert_eq!(scale.t(-5.0), 0.0);
        }
        // The log scale gives small values far more height than the linear one.
        let log = VerticalScale::log(0.0, 1e4);
        assert!(log.t(1.0) > 0.05, "{}", log.t(1.0));
        assert!(VerticalScale::linear(0.0, 1e4).t(1.0) < 1e-3);
    }

    #[test]
    fn auto_limits_are_robust_and_degenerate_ranges_survive() {
        let function = Function::parse("(1 - x)^2 + 100*(y - x^2)^2").unwrap();
        let domain = Domain::new((-2.0, 2.0), (-1.0, 3.0));
        let scale = VerticalScale::auto(&function, &domain, true);
        assert!(scale.lo >= 0.0 && scale.lo < 1.0, "{scale:?}");
        assert!(scale.hi < 3609.0 && scale.hi > 1000.0, "{scale:?}");
        assert_eq!(scale.flat, None);
        // A constant: a range centred on it, flagged flat, the plate halfway up.
        let flat = Function::parse("0*x + 0*y + 3").unwrap();
        let scale = VerticalScale::auto(&flat, &domain, false);
        assert_eq!((scale.lo, scale.hi), (1.5, 4.5));
        assert_eq!(scale.flat, Some((3.0, 3.0)));
        assert_eq!(scale.t(3.0), 0.5);
        // A spread f32 cannot draw is flat too, with its ends kept.
        let tiny = Function::parse("5e-324*sign(x*y)").unwrap();
        let scale = VerticalScale::auto(&tiny, &domain, false);
        assert_eq!(scale.flat, Some((-5e-324, 5e-324)));
        assert_eq!((scale.lo, scale.hi), (-0.5, 0.5));
        let scale = VerticalScale::auto(&Function::parse("1e9 + 1e-3*x").unwrap(), &domain, true);
        assert!(
            scale.flat.is_some() && scale.lo < 1e9 && scale.hi > 1e9,
            "{scale:?}"
        );
        // A small but drawable spread is not.
        let small = Function::parse("1e-20*x").unwrap();
        assert_eq!(VerticalScale::auto(&small, &domain, false).flat, None);
    }

    #[test]
    fn world_map_centres_the_domain_and_inverts() {
        let map = WorldMap::new(
            Domain::new((-2.0, 2.0), (-1.0, 3.0)),
            VerticalScale::linear(0.0, 1.0),
        );
        assert_eq!(
            map.world_from_domain(-2.0, -1.0, 0.0),
            Vec3::new(-1.0, -1.0, -0.5)
        );
        assert_eq!(
            map.world_from_domain(2.0, 3.0, 1.0),
            Vec3::new(1.0, 1.0, 0.5)
        );
        let xy = map.domain_xy_from_world(map.world_from_domain(0.5, 2.0, 0.3));
        assert!((xy[0] - 0.5).abs() < 1e-6 && (xy[1] - 2.0).abs() < 1e-6);
    }
}
