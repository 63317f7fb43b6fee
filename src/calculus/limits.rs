//! Where a sequence is heading as h → 0: a finite limit (with an error bar), ±∞, or nowhere.
//! Judged from the trend of its successive differences, so the verdict does not depend on the
//! sequence's size (scaling every term by c changes nothing) nor on the spacing of h.

/// The fate of a sequence sampled at h, h/4, h/16, …
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Limit {
    /// Settles on `value`, known to within `err` (∞ when too few terms to tell).
    Finite { value: f64, err: f64 },
    /// Grows without bound with this sign.
    Infinite { sign: f64 },
    /// Neither settles nor grows: oscillates, or changes too slowly to tell.
    None,
}

/// Terms of the tail the trend is read from: 12 terms at ratio 4 span about seven decades.
pub(super) const TAIL: usize = 12;

/// `terms`: (value, rounding bound) in order of decreasing h, each h a quarter of the one
/// before. A difference within the two terms' rounding bounds counts as no change.
pub(super) fn limit_of(terms: &[(f64, f64)]) -> Limit {
    let terms = &terms[terms.len().saturating_sub(TAIL)..];
    let Some(&(last, last_err)) = terms.last() else {
        return Limit::None;
    };
    if terms.len() < 3 {
        return Limit::Finite {
            value: last,
            err: f64::INFINITY,
        };
    }
    let diffs: Vec<f64> = terms
        .windows(2)
        .map(|w| {
            let d = w[1].0 - w[0].0;
            if d.abs() <= 2.0 * (w[0].1 + w[1].1) {
                0.0
            } else {
                d
            }
        })
        .collect();
    let n = terms.len();
    let half = diffs.len() / 2;
    let sum = |ds: &[f64]| ds.iter().map(|d| d.abs()).sum::<f64>();
    let (early, late) = (sum(&diffs[..half]), sum(&diffs[diffs.len() - half..]));
    // The band the terms lie in around the last one: value's distance plus its bound.
    let band: Vec<f64> = terms.iter().map(|&(v, e)| (v - last).abs() + e).collect();
    let max_of = |xs: &[f64]| xs.iter().copied().fold(0.0, f64::max);
    let (early_band, late_band) = (max_of(&band[..n / 2]), max_of(&band[n / 2..]));
    let finite = |r: f64| {
        // Geometric shrinking by r per term leaves r/(1 − r) of the last change to come.
        let to_come = diffs.last().map_or(0.0, |d| d.abs()) * r / (1.0 - r);
        Limit::Finite {
            value: last,
            err: late_band.max(to_come) + last_err,
        }
    };
    if late == 0.0 {
        // No change beyond rounding in the second half. Settled if nothing moves at all
        // (0 ± underflow), if the band is narrow next to the value, or if it narrows steadily
        // (x·sin(1/x) near 0, all rounding yet squeezed to 0); a band as wide as the terms that
        // does not narrow (sin(1/x) near 0) settles nothing.
        let still = terms[n / 2..].iter().all(|t| t.0 == last);
        let narrowing = trend(&band[..n - 1]) <= -TREND && late_band <= 0.25 * early_band;
        return if still || late_band <= 0.125 * last.abs() || narrowing {
            finite(0.5)
        } else {
            Limit::None
        };
    }
    // The trend of the real changes' sizes (those beyond rounding): steadily shrinking is
    // convergence, steadily growing with one sign is divergence; a sequence that wanders
    // (sin(1/x)) or steps evenly (ln x) has none. A rank trend, so one odd term does not decide.
    let sizes: Vec<f64> = diffs
        .iter()
        .filter(|d| **d != 0.0)
        .map(|d| d.abs().ln())
        .collect();
    if sizes.len() < 3 {
        return Limit::None;
    }
    let t = trend(&sizes);
    // Shrinking changes must also leave the terms settled: small next to the value, or in a
    // band that narrows (changes as large as the terms, in a shrinking trend by chance, are
    // what pseudo-random rounding looks like).
    let settled = late <= 0.5 * last.abs() || late_band <= 0.5 * early_band;
    if t <= -TREND && late <= SHRINK * early && settled {
        let r = if early > 0.0 {
            (late / early).powf(1.0 / half as f64).min(0.99)
        } else {
            0.5
        };
        return finite(r);
    }
    let signs_agree = diffs
        .iter()
        .all(|d| *d == 0.0 || d.signum() == last.signum());
    if t >= TREND && late * SHRINK >= early && signs_agree && last != 0.0 {
        return Limit::Infinite {
            sign: last.signum(),
        };
    }
    Limit::None
}

/// Besides running steadily, the changes of the second half of the tail must together be this
/// much smaller than the first half's (or 1/this larger): any power law h^q with |q| ≳ 0.03
/// does, while ln h's even steps do not.
const SHRINK: f64 = 0.8;

/// How steadily a trend must run (Kendall's τ) to count: a clean power law has |τ| = 1, and
/// eleven terms in random order reach |τ| ≥ 0.5 only a few times in a hundred.
const TREND: f64 = 0.5;

/// Kendall's τ of the values against their order: +1 rising throughout, −1 falling.
fn trend(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    // Tied pairs (changes that are all 0, below rounding) say nothing either way.
    let (mut score, mut pairs) = (0.0, 0.0);
    for i in 0..n {
        for j in i + 1..n {
            let s = match values[j].partial_cmp(&values[i]) {
                Some(std::cmp::Ordering::Greater) => 1.0,
                Some(std::cmp::Ordering::Less) => -1.0,
                _ => continue,
            };
            score += s;
            pairs += 1.0;
        }
    }
    if pairs == 0.0 { 0.0 } else { score / pairs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
        (0..20)
            .map(|k| {
                let v = f(0.25f64.powi(k));
                (v, f64::EPSILON * v.abs())
            })
            .collect()
    }

    #[test]
    fn power_laws_converge_or_diverge_and_constants_settle() {
        assert!(
            matches!(limit_of(&seq(|h| 2.0 + h)), Limit::Finite { value, err } if (value - 2.0).abs() <= err && err < 1e-8)
        );
        assert!(
            matches!(limit_of(&seq(|h| 1.0 - h.powf(0.1))), Limit::Finite { value, err } if (value - 1.0).abs() <= err)
        );
        assert!(
            matches!(limit_of(&seq(|_| -1.0)), Limit::Finite { value, err } if value == -1.0 && err <= 4.0 * f64::EPSILON)
        );
        assert_eq!(
            limit_of(&seq(|h| h.powf(-2.0 / 3.0))),
            Limit::Infinite { sign: 1.0 }
        );
        assert_eq!(
            limit_of(&seq(|h| -h.powf(-0.08))),
            Limit::Infinite { sign: -1.0 }
        );
        assert_eq!(limit_of(&seq(|h| (1.0 / h).sin())), Limit::None);
    }

    #[test]
    fn scaling_the_terms_changes_nothing() {
        for c in [1e-300, 1e-6, 1.0, 1e6, 1e300] {
            match limit_of(&seq(|h| c * (3.0 + h * h))) {
                Limit::Finite { value, err } => assert!((value - 3.0 * c).abs() <= err, "{c}"),
                other => panic!("{c}: {other:?}"),
            }
        }
    }
}
