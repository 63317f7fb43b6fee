//! Which minimum each descent of a basin map reached: end points grouped around the known minima
//! (a preset's) and, for the rest, around each other, so that a local minimum no catalog lists
//! still gets a basin of its own. Also the map's colours: one hue per basin, darker the more
//! steps a start took, with diverged, unsettled and singular-Hessian cells in colours of their own.

use super::End;
use crate::optim::Status;

/// The most basins the legend names one by one, each in a hue of its own; the others are
/// listed together as "N more minima", in a hue family of their own (never as unsettled).
pub const MAX_BASINS: usize = 24;

/// The most basins told apart at all (81 minima of sin(3x)·sin(3y) on [−5, 5]² are well within).
const MAX_CENTERS: usize = 4096;

/// Where one start's descent ended, as the map tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BasinClass {
    /// Reached basin k of [`BasinMap::centers`].
    Basin(u16),
    /// The run blew up (a non-finite point or value).
    Diverged,
    /// Newton met a singular Hessian.
    Singular,
    /// Still wandering when the steps ran out, near no basin's centre (or in a group too small
    /// to call a basin).
    Unsettled,
}

/// Every start's class, with what the basins are.
#[derive(Clone, Debug, PartialEq)]
pub struct BasinMap {
    pub classes: Vec<BasinClass>,
    /// Each basin's centre: the known minimum, or the first end point that founded the group.
    pub centers: Vec<[f64; 2]>,
    /// Whether basin k is one of the known minima given to [`classify`].
    pub known: Vec<bool>,
    /// Starts in each basin.
    pub sizes: Vec<usize>,
    pub diverged: usize,
    pub singular: usize,
    pub unsettled: usize,
    /// 1 or 2: a 1-D map's centres have no y.
    pub dims: usize,
    /// The fewest and the most steps any settled start took (the shading's range).
    pub fewest_steps: u32,
    pub most_steps: u32,
}

impl BasinMap {
    /// The basins past the legend's [`MAX_BASINS`] that some start reached: how many, and how
    /// many starts they hold together; None where the legend names every basin.
    pub fn more(&self) -> Option<(usize, usize)> {
        let rest = self.sizes.get(MAX_BASINS..)?;
        let reached = rest.iter().filter(|&&n| n > 0).count();
        (reached > 0).then(|| (reached, rest.iter().sum()))
    }

    /// The fraction of starts in basin k.
    pub fn share(&self, k: usize) -> f64 {
        self.sizes.get(k).copied().unwrap_or(0) as f64 / self.classes.len().max(1) as f64
    }

    /// The fraction of starts with `count` of them.
    pub fn share_of(&self, count: usize) -> f64 {
        count as f64 / self.classes.len().max(1) as f64
    }
}

/// How near an end point must be to a minimum to count as having reached it: 2 % of the
/// domain's larger side (x only for a 1-D function).
pub fn basin_radius(x_range: (f64, f64), y_range: Option<(f64, f64)>) -> f64 {
    let wx = x_range.1 - x_range.0;
    let wy = y_range.map_or(0.0, |(a, b)| b - a);
    0.02 * wx.max(wy)
}

/// Groups `ends` into basins: first around `known` minima (each a basin even if no start reaches
/// it, so colours stay put as lr changes), then, leader-style in start order, around end points
/// that are near no existing centre. Only settled runs join a basin: converged, or stopped by the
/// step budget with ‖∇f‖ ≤ `settle_tol` or within `radius` of a known minimum (a run still
/// rattling in a 2-cycle elsewhere is not settled). Groups smaller than 0.2 % of the starts (at
/// least 2) that are not known minima and where no run converged are dissolved into
/// `Unsettled`: a lone wanderer is not a basin.
pub fn classify(
    ends: &[End],
    known: &[[f64; 2]],
    radius: f64,
    dims: usize,
    settle_tol: f64,
) -> BasinMap {
    let mut centers: Vec<[f64; 2]> = known.iter().take(MAX_BASINS).copied().collect();
    let mut near = CenterIndex::new(radius, dims);
    for (k, c) in centers.iter().enumerate() {
        near.insert(k, c);
    }
    let known_count = centers.len();
    let r2 = radius * radius;
    let distance2 = |a: &[f64; 2], b: &[f64; 2]| {
        let dx = a[0] - b[0];
        let dy = if dims == 1 { 0.0 } else { a[1] - b[1] };
        dx * dx + dy * dy
    };
    let mut raw: Vec<Option<usize>> = Vec::with_capacity(ends.len());
    let (mut fewest_steps, mut most_steps) = (u32::MAX, 0);
    for end in ends {
        let near_known = || known.iter().any(|m| distance2(m, &end.point) <= r2);
        let settled = match end.status {
            Status::Converged => true,
            // Rattling within a basin's radius of a known minimum (Adam and RMSprop keep steps
            // of about lr there) counts as having reached it.
            Status::MaxSteps => end.grad_norm <= settle_tol || near_known(),
            Status::Diverged | Status::SingularHessian => false,
        } && end.point.iter().all(|v| v.is_finite());
        if !settled {
            raw.push(None);
            continue;
        }
        fewest_steps = fewest_steps.min(end.steps);
        most_steps = most_steps.max(end.steps);
        let nearest = near
            .candidates(&end.point, centers.len())
            .map(|k| (k, distance2(&centers[k], &end.point)))
            .filter(|&(_, d)| d <= r2)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
            .map(|(k, _)| k);
        let k = match nearest {
            Some(k) => Some(k),
            None if centers.len() < MAX_CENTERS => {
                centers.push(end.point);
                near.insert(centers.len() - 1, &end.point);
                Some(centers.len() - 1)
            }
            None => None,
        };
        raw.push(k);
    }
    let mut sizes = vec![0usize; centers.len()];
    let mut converged = vec![false; centers.len()];
    for (end, k) in ends.iter().zip(&raw) {
        if let Some(k) = *k {
            sizes[k] += 1;
            converged[k] |= end.status == Status::Converged;
        }
    }
    let min_size = (ends.len() / 500).max(2);
    // Known minima keep their order; found ones follow, largest first; small groups dissolve
    // unless a run in them converged (a start on a saddle converges there at once: it settled).
    let mut order: Vec<usize> = (0..centers.len())
        .filter(|&k| k < known_count || sizes[k] >= min_size || converged[k])
        .collect();
    let first_found = known_count.min(order.len());
    order[first_found..].sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut new_index = vec![None; centers.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = Some(new as u16);
    }
    let mut map = BasinMap {
        classes: Vec::with_capacity(ends.len()),
        centers: order.iter().map(|&k| centers[k]).collect(),
        known: order.iter().map(|&k| k < known_count).collect(),
        sizes: vec![0; order.len()],
        diverged: 0,
        singular: 0,
        unsettled: 0,
        dims,
        fewest_steps: fewest_steps.min(most_steps),
        most_steps,
    };
    for (end, k) in ends.iter().zip(&raw) {
        let class = match (end.status, k.and_then(|k| new_index[k])) {
            (Status::Diverged, _) => BasinClass::Diverged,
            (Status::SingularHessian, _) => BasinClass::Singular,
            (_, Some(k)) => BasinClass::Basin(k),
            (_, None) => BasinClass::Unsettled,
        };
        match class {
            BasinClass::Basin(k) => map.sizes[usize::from(k)] += 1,
            BasinClass::Diverged => map.diverged += 1,
            BasinClass::Singular => map.singular += 1,
            BasinClass::Unsettled => map.unsettled += 1,
        }
        map.classes.push(class);
    }
    map
}

/// The basins' centres by the square of side `radius` they fall in, so that an end point is
/// compared with the centres of its own and the neighbouring squares only (thousands of basins
/// over millions of starts). A radius that is not a positive number compares with every centre.
struct CenterIndex {
    radius: f64,
    dims: usize,
    cells: std::collections::HashMap<(i64, i64), Vec<usize>>,
}

impl CenterIndex {
    fn new(radius: f64, dims: usize) -> Self {
        CenterIndex {
            radius,
            dims,
            cells: std::collections::HashMap::new(),
        }
    }

    fn usable(&self) -> bool {
        self.radius.is_finite() && self.radius > 0.0
    }

    fn cell(&self, p: &[f64; 2]) -> (i64, i64) {
        // Saturating float-to-int casts: a far-off point lands in an edge cell, still compared.
        let y = if self.dims == 1 { 0.0 } else { p[1] };
        (
            (p[0] / self.radius).floor() as i64,
            (y / self.radius).floor() as i64,
        )
    }

    fn insert(&mut self, k: usize, p: &[f64; 2]) {
        if self.usable() {
            let cell = self.cell(p);
            self.cells.entry(cell).or_default().push(k);
        }
    }

    /// The centres that may lie within `radius` of `p` (all `count` of them without an index).
    fn candidates(&self, p: &[f64; 2], count: usize) -> Box<dyn Iterator<Item = usize> + '_> {
        if !self.usable() {
            return Box::new(0..count);
        }
        let (cx, cy) = self.cell(p);
        Box::new(
            (-1..=1)
                .flat_map(move |dx| {
                    (-1..=1).map(move |dy| (cx.saturating_add(dx), cy.saturating_add(dy)))
                })
                .filter_map(|cell| self.cells.get(&cell))
                .flatten()
                .copied(),
        )
    }
}

/// A `settle_tol` for [`classify`] when the runs had no tolerance of their own: 1e-3 of the
/// median ‖∇f‖ at the starts (the function's own scale, so the verdict does not change when f is
/// scaled), from at most 4096 of them.
pub fn settle_tolerance(function: &crate::function::Function, starts: &[[f64; 2]]) -> f64 {
    let every = starts.len().div_ceil(4096).max(1);
    super::median_grad_norm(function, starts.iter().step_by(every).copied())
        .map_or(f64::MIN_POSITIVE, |median| median * 1e-3)
}

/// The map's colours (sRGB, opaque): a hue per basin, diverged near-black, unsettled light grey,
/// singular magenta.
pub struct CellColors;

/// The hue family of the basins past the legend's [`MAX_BASINS`]: earth tones, told apart from
/// each other by lightness and from the named basins' hues.
const MORE_HUES: [[u8; 3]; 4] = [
    [0x8c, 0x6d, 0x31],
    [0xbd, 0x9e, 0x39],
    [0x6b, 0x4e, 0x2a],
    [0xa5, 0x8c, 0x5f],
];

/// Basin hues: Tableau 10 without its grey, which the unsettled cells use.
const BASIN_HUES: [[u8; 3]; 9] = [
    [0x4e, 0x79, 0xa7],
    [0xf2, 0x8e, 0x2b],
    [0x59, 0xa1, 0x4f],
    [0xe1, 0x57, 0x59],
    [0x76, 0xb7, 0xb2],
    [0xed, 0xc9, 0x48],
    [0xb0, 0x7a, 0xa1],
    [0xff, 0x9d, 0xa7],
    [0x9c, 0x75, 0x5f],
];

impl CellColors {
    pub const DIVERGED: [u8; 3] = [0x1a, 0x1a, 0x1a];
    pub const UNSETTLED: [u8; 3] = [0xd4, 0xd4, 0xd4];
    pub const SINGULAR: [u8; 3] = [0xff, 0x00, 0xff];

    /// Basin k's full-brightness colour (hues repeat, lighter, past the ninth).
    pub fn basin(k: usize) -> [u8; 3] {
        if k >= MAX_BASINS {
            return MORE_HUES[k % MORE_HUES.len()];
        }
        let [r, g, b] = BASIN_HUES[k % BASIN_HUES.len()];
        if k < BASIN_HUES.len() {
            [r, g, b]
        } else {
            let lighten = |c: u8| c + (255 - c) / 2;
            [lighten(r), lighten(g), lighten(b)]
        }
    }

    /// A class's colour; basins darken with the steps taken: full colour for the map's fewest,
    /// 40 % of it for its most (linear between, so a map whose runs all take many steps still
    /// shows which took more).
    pub fn of(class: BasinClass, steps: u32, map: &BasinMap) -> [u8; 3] {
        match class {
            BasinClass::Basin(k) => {
                let span = map.most_steps.saturating_sub(map.fewest_steps);
                let slowness = if span == 0 {
                    0.0
                } else {
                    f64::from(steps.saturating_sub(map.fewest_steps)) / f64::from(span)
                };
                let shade = 1.0 - 0.6 * slowness.clamp(0.0, 1.0);
                Self::basin(usize::from(k)).map(|c| (f64::from(c) * shade).round() as u8)
            }
            BasinClass::Diverged => Self::DIVERGED,
            BasinClass::Singular => Self::SINGULAR,
            BasinClass::Unsettled => Self::UNSETTLED,
        }
    }

    /// RGBA for every cell of `map`, in the starts' order.
    pub fn image(map: &BasinMap, ends: &[End]) -> Vec<[u8; 4]> {
        map.classes
            .iter()
            .zip(ends)
            .map(|(&class, end)| {
                let [r, g, b] = Self::of(class, end.steps, map);
                [r, g, b, 255]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(x: f64, y: f64, status: Status, steps: u32) -> End {
        End {
            point: [x, y],
            value: 0.0,
            grad_norm: 0.0,
            steps,
            status,
        }
    }

    #[test]
    fn minima_past_the_legend_are_more_minima_not_unsettled() {
        // 81 minima, as sin(3x)·sin(3y) has on [−5, 5]²: every converged run is in a basin, the
        // first 24 named, the other 57 grouped with colours of their own family.
        let mut ends = Vec::new();
        for i in 0..9 {
            for j in 0..9 {
                for _ in 0..3 {
                    ends.push(end(
                        f64::from(i) - 4.0,
                        f64::from(j) - 4.0,
                        Status::Converged,
                        10,
                    ));
                }
            }
        }
        let map = classify(&ends, &[], 0.2, 2, 1e-6);
        assert_eq!(map.unsettled, 0);
        assert_eq!(map.centers.len(), 81);
        assert_eq!(map.more(), Some((81 - MAX_BASINS, 3 * (81 - MAX_BASINS))));
        let image = CellColors::image(&map, &ends);
        let unsettled = CellColors::UNSETTLED;
        assert!(image.iter().all(|p| p[..3] != unsettled));
        // A run that never settled is still unsettled.
        ends.push(end(0.5, 0.5, Status::MaxSteps, 10));
        let map = classify(&ends, &[], 0.2, 2, 1e-6);
        assert_eq!(map.unsettled, 1);
    }

    #[test]
    fn known_minima_first_then_found_ones_by_size() {
        let mut ends = Vec::new();
        // 3 near the known minimum (1, 1), 5 near an unknown (-2, 0), 4 near another (0, 3),
        // one lone wanderer, one diverged and one singular.
        for k in 0..3 {
            ends.push(end(1.0 + 0.01 * f64::from(k), 1.0, Status::Converged, 10));
        }
        for k in 0..4 {
            ends.push(end(0.0, 3.0 + 0.01 * f64::from(k), Status::MaxSteps, 100));
        }
        for k in 0..5 {
            ends.push(end(-2.0, 0.01 * f64::from(k), Status::MaxSteps, 100));
        }
        ends.push(end(7.0, 7.0, Status::MaxSteps, 100));
        // Stopped between minima with a gradient far from zero: a 2-cycle.
        let mut rattling = end(2.5, 2.5, Status::MaxSteps, 100);
        rattling.grad_norm = 5.0;
        ends.push(rattling);
        ends.push(end(f64::NAN, f64::NAN, Status::Diverged, 3));
        ends.push(end(0.5, 0.5, Status::SingularHessian, 0));
        let map = classify(&ends, &[[1.0, 1.0], [5.0, 5.0]], 0.2, 2, 1e-3);
        assert_eq!(map.centers.len(), 4, "{map:?}");
        assert_eq!(map.known, [true, true, false, false]);
        assert_eq!(map.sizes, [3, 0, 5, 4]);
        assert_eq!(map.centers[2], [-2.0, 0.0]);
        assert_eq!(map.classes[0], BasinClass::Basin(0));
        assert_eq!(map.classes[3], BasinClass::Basin(3));
        assert_eq!(map.classes[7], BasinClass::Basin(2));
        assert_eq!(map.classes[12], BasinClass::Unsettled);
        assert_eq!(
            map.classes[13],
            BasinClass::Unsettled,
            "rattling is not settling"
        );
        assert_eq!(map.classes[14], BasinClass::Diverged);
        assert_eq!(map.classes[15], BasinClass::Singular);
        assert_eq!((map.diverged, map.singular, map.unsettled), (1, 1, 2));
        assert_eq!((map.fewest_steps, map.most_steps), (10, 100));
    }

    #[test]
    fn one_d_ignores_y_and_colours_darken_with_steps() {
        let ends = [
            end(1.0, 0.0, Status::Converged, 1),
            end(1.05, 9.0, Status::Converged, 50),
        ];
        let map = classify(&ends, &[], 0.1, 1, 1e-3);
        assert_eq!(map.classes, [BasinClass::Basin(0), BasinClass::Basin(0)]);
        let fast = CellColors::of(map.classes[0], 1, &map);
        let slow = CellColors::of(map.classes[1], 50, &map);
        assert!(
            fast.iter().zip(slow).all(|(f, s)| *f > s),
            "{fast:?} {slow:?}"
        );
        assert_eq!(fast, CellColors::basin(0), "the fewest steps: full colour");
        let at_most: Vec<u8> = CellColors::basin(0)
            .iter()
            .map(|&c| (f64::from(c) * 0.4).round() as u8)
            .collect();
        assert_eq!(slow.to_vec(), at_most);
    }
}
