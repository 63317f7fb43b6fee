//! Frame timing for the app's benchmark: with `GRADSCAPE_FRAME_STATS=1` set, the app records
//! how long each frame took to build and draw (and whether the start was being dragged or the
//! balls were rolling) and prints launch-to-first-frame and the medians when it exits.

use std::time::{Duration, Instant};

/// The environment variable that turns the statistics on.
pub const ENV: &str = "GRADSCAPE_FRAME_STATS";

/// What a frame showed, for the statistics' groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    /// The start is being dragged in the view.
    Dragging,
    /// Playback is on: the balls roll.
    Playing,
    /// Anything else (the first frames, hovers, clicks, a step of the camera).
    Other,
}

pub struct FrameStats {
    launched: Instant,
    first_frame: Option<Duration>,
    /// (time from the start of one redraw to the start of the next, time the redraw took,
    /// what it showed).
    frames: Vec<(Duration, Duration, FrameKind)>,
    last_start: Option<Instant>,
    /// The playback steps the playing frames showed: the first and the last.
    played: Option<(usize, usize)>,
}

impl FrameStats {
    /// Some when the environment asks for statistics.
    pub fn from_env(launched: Instant) -> Option<Self> {
        std::env::var_os(ENV).filter(|v| !v.is_empty() && v != "0")?;
        Some(Self {
            launched,
            first_frame: None,
            frames: Vec::new(),
            last_start: None,
            played: None,
        })
    }

    /// How many frames have been recorded.
    pub fn frames(&self) -> usize {
        self.frames.len()
    }

    /// One redraw that started at `started` and has just presented, showing playback `step`.
    pub fn record(&mut self, started: Instant, kind: FrameKind, step: usize) {
        let took = started.elapsed();
        if self.first_frame.is_none() {
            self.first_frame = Some(started.duration_since(self.launched) + took);
        }
        let interval = self
            .last_start
            .map_or(took, |last| started.duration_since(last));
        self.last_start = Some(started);
        self.frames.push((interval, took, kind));
        if kind == FrameKind::Playing {
            self.played = Some(self.played.map_or((step, step), |(first, _)| (first, step)));
        }
    }

    /// The report printed on exit.
    pub fn summary(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let mut lines = vec![format!(
            "launch to first frame: {}",
            self.first_frame
                .map_or("none drawn".into(), |d| format!("{:.0} ms", ms(d)))
        )];
        let played = self.played.map_or(String::new(), |(first, last)| {
            format!(" (steps {first} to {last})")
        });
        for (label, kind) in [
            ("while dragging the start".to_string(), FrameKind::Dragging),
            (format!("while playing{played}"), FrameKind::Playing),
            ("other".to_string(), FrameKind::Other),
        ] {
            let pick = |f: &dyn Fn(&(Duration, Duration, FrameKind)) -> Duration| {
                let mut v: Vec<f64> = self
                    .frames
                    .iter()
                    .filter(|s| s.2 == kind)
                    .map(|s| ms(f(s)))
                    .collect();
                v.sort_by(f64::total_cmp);
                v
            };
            let took = pick(&|s| s.1);
            let interval = pick(&|s| s.0);
            if took.is_empty() {
                continue;
            }
            lines.push(format!(
                "frames {label}: {} — redraw median {:.1} ms (p90 {:.1}), frame interval \
                 median {:.1} ms",
                took.len(),
                percentile(&took, 0.5),
                percentile(&took, 0.9),
                percentile(&interval, 0.5),
            ));
        }
        lines.join("\n")
    }
}

/// The `q` quantile of sorted values (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::assert_contains;

    #[test]
    fn playing_frames_are_a_group_of_their_own() {
        let launched = Instant::now();
        let mut stats = FrameStats {
            launched,
            first_frame: None,
            frames: Vec::new(),
            last_start: None,
            played: None,
        };
        stats.record(launched, FrameKind::Other, 0);
        for step in [0, 2, 5] {
            stats.record(Instant::now(), FrameKind::Playing, step);
        }
        stats.record(Instant::now(), FrameKind::Dragging, 5);
        let summary = stats.summary();
        assert_contains(&summary, "frames while playing (steps 0 to 5): 3 ");
        assert_contains(&summary, "frames while dragging the start: 1 ");
        assert_contains(&summary, "frames other: 1 ");
    }

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.9), 5.0);
        assert!(percentile(&[], 0.5).is_nan());
    }
}
