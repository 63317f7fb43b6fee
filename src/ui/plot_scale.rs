//! A plot's scale is the runs that stay on it: a run whose values leave for good (a divergence,
//! f climbing to 1e17 in a few steps) is cut where it leaves, marked there and named in a note,
//! so that the other runs are not flattened into a line at 0.

/// Plot lines: (run name, colour, [step, value] points).
pub type Series = Vec<(String, [f32; 4], Vec<[f64; 2]>)>;

/// Values beyond this size are off every linear plot's scale whatever the other runs do: they
/// would overflow the f32 screen coordinates the plot is drawn in.
pub const PLOT_LIMIT: f64 = 1e30;

/// A run leaves the scale when its values end up this many times beyond the size the runs
/// started at (every run starts at A): far more than any overshoot that comes back.
pub const LEAVE_FACTOR: f64 = 1e4;

/// Where a run was cut.
#[derive(Clone, Debug, PartialEq)]
pub struct Cut {
    pub name: String,
    pub color: [f32; 4],
    /// Its last drawn point, where the marker goes.
    pub last: [f64; 2],
    /// Whether it left upwards (else downwards, or into NaN below).
    pub up: bool,
    /// The step of its first point not drawn.
    pub from_step: f64,
}

/// The runs cut to the scale of the others, the cuts, and a note for each.
pub struct Scaled {
    pub series: Series,
    pub cuts: Vec<Cut>,
    pub notes: Vec<String>,
}

/// Cuts every run that leaves the scale of `quantity`'s plot: see the module's note.
pub fn cut_to_scale(series: Series, quantity: &str) -> Scaled {
    let bound = runaway_bound(&series);
    let out_of_bound = |v: f64| !v.is_finite() || v.abs() > bound;
    // A run leaves when from some point on every value is beyond the bound (or not a number).
    let leaves: Vec<bool> = series
        .iter()
        .map(|(_, _, points)| points.last().is_some_and(|p| out_of_bound(p[1])))
        .collect();
    // The scale: the runs that stay, their whole range; without any, the bound itself.
    let (lo, hi) = series
        .iter()
        .zip(&leaves)
        .filter(|(_, leaves)| !**leaves)
        .flat_map(|((_, _, points), _)| points.iter().map(|p| p[1]))
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let (lo, hi) = if lo <= hi {
        // Some room around the staying runs, so a cut run may be seen leaving.
        let margin = ((hi - lo) * 0.25).max(hi.abs().max(lo.abs()) * 0.05);
        (lo - margin, hi + margin)
    } else {
        (-bound, bound)
    };
    let on_scale = |v: f64| v.is_finite() && (lo..=hi).contains(&v) && v.abs() <= PLOT_LIMIT;
    let mut cuts = Vec::new();
    let mut notes = Vec::new();
    let series = series
        .into_iter()
        .zip(leaves)
        .map(|((name, color, points), leaves)| {
            let cut_at = if leaves {
                // After its last point on the scale: an overshoot that came back stays drawn.
                Some(
                    points
                        .iter()
                        .rposition(|p| on_scale(p[1]))
                        .map_or(0, |i| i + 1),
                )
            } else {
                // A run that stays is still cut at values no f32 screen coordinate holds.
                points
                    .iter()
                    .position(|p| p[1].is_nan() || p[1].abs() > PLOT_LIMIT)
            };
            let Some(at) = cut_at.filter(|&at| at < points.len()) else {
                return (name, color, points);
            };
            let left = points[at];
            let up = left[1] > 0.0
                || (left[1].is_nan() && points[..at].last().is_some_and(|p| p[1] > 0.0));
            notes.push(format!(
                "run {name}: off the scale from step {} ({quantity} {}, it diverges); cut there \
                 {}, the axes follow the other runs",
                left[0],
                if left[1].is_finite() {
                    format!("= {}", super::format_value(left[1]))
                } else {
                    "is not a number".to_owned()
                },
                if up { "▲" } else { "▼" },
            ));
            if let Some(&last) = points[..at].last() {
                cuts.push(Cut {
                    name: name.clone(),
                    color,
                    last,
                    up,
                    from_step: left[0],
                });
            }
            (name, color, points[..at].to_vec())
        })
        .collect();
    Scaled {
        series,
        cuts,
        notes,
    }
}

/// Cuts each run of `series` at the step its run was cut on another plot (ρ follows f: a run
/// whose f left the scale has no ρ worth drawing after that), and at [`PLOT_LIMIT`].
pub fn cut_like(series: Series, cuts: &[Cut]) -> Series {
    series
        .into_iter()
        .map(|(name, color, points)| {
            let from = cuts
                .iter()
                .find(|c| c.name == name)
                .map_or(f64::INFINITY, |c| c.from_step);
            let end = points
                .iter()
                .position(|p| p[0] >= from || p[1].is_nan() || p[1].abs() > PLOT_LIMIT)
                .unwrap_or(points.len());
            (name, color, points[..end].to_vec())
        })
        .collect()
}

/// How far from 0 values may end up before a run counts as gone: [`LEAVE_FACTOR`] times the
/// size at the runs' first points, or, where that is 0, times the tamest run's largest size.
fn runaway_bound(series: &Series) -> f64 {
    let size = |p: &[f64; 2]| p[1].abs();
    let first = series
        .iter()
        .filter_map(|(_, _, points)| points.first())
        .map(size)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let base = if first > 0.0 {
        first
    } else {
        series
            .iter()
            .map(|(_, _, points)| {
                points
                    .iter()
                    .map(size)
                    .filter(|v| v.is_finite())
                    .fold(0.0, f64::max)
            })
            .filter(|&v| v > 0.0)
            .fold(f64::INFINITY, f64::min)
    };
    if base.is_finite() && base > 0.0 {
        (base * LEAVE_FACTOR).min(PLOT_LIMIT)
    } else {
        PLOT_LIMIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, values: &[f64]) -> (String, [f32; 4], Vec<[f64; 2]>) {
        let points = values
            .iter()
            .enumerate()
            .map(|(i, &v)| [i as f64, v])
            .collect();
        (name.to_owned(), [0.0; 4], points)
    }

    #[test]
    fn a_run_that_blows_up_is_cut_where_it_leaves_the_others_scale() {
        let scaled = cut_to_scale(
            vec![
                run("sgd", &[106.0, 90.0, 300.0, 4e3, 1e8, 2e17, f64::NAN]),
                run("adam", &[106.0, 60.0, 20.0, 3.0, 0.5, 0.01, 0.0]),
            ],
            "f",
        );
        // Adam stays whole; sgd keeps what lies on adam's scale (0…106, with room).
        assert_eq!(scaled.series[1].2.len(), 7);
        assert_eq!(
            scaled.series[0].2,
            vec![[0.0, 106.0], [1.0, 90.0]],
            "cut where it leaves"
        );
        assert_eq!(scaled.cuts.len(), 1);
        assert_eq!(scaled.cuts[0].last, [1.0, 90.0]);
        assert!(scaled.cuts[0].up);
        assert_eq!(scaled.cuts[0].from_step, 2.0);
        assert!(
            scaled.notes[0].starts_with("run sgd: off the scale from step 2"),
            "{:?}",
            scaled.notes
        );
        // ρ of the cut run stops at the same step.
        let rho = cut_like(
            vec![
                run("sgd", &[0.9, 0.5, -3.0, -4e23]),
                run("adam", &[0.9, 0.8]),
            ],
            &scaled.cuts,
        );
        assert_eq!(rho[0].2.len(), 2);
        assert_eq!(rho[1].2.len(), 2);
    }

    #[test]
    fn an_overshoot_that_comes_back_is_not_cut() {
        let scaled = cut_to_scale(
            vec![
                run("momentum", &[1.0, 50.0, 900.0, 40.0, 2.0, 0.1]),
                run("sgd", &[1.0, 0.5, 0.2]),
            ],
            "f",
        );
        assert!(scaled.cuts.is_empty() && scaled.notes.is_empty());
        assert_eq!(scaled.series[0].2.len(), 6);
    }

    #[test]
    fn a_lone_diverging_run_is_cut_at_the_runaway_bound() {
        let scaled = cut_to_scale(vec![run("sgd", &[2.0, 8.0, 1e3, 1e6, 1e12, 1e40])], "f");
        assert_eq!(scaled.series[0].2.len(), 3, "{:?}", scaled.series);
    }
}
