//! Learning-rate schedules with torch.optim.lr_scheduler's values: StepLR, ExponentialLR,
//! CosineAnnealingLR and LinearLR, each computed by torch's own recursive `get_lr` (each lr from
//! the previous one), so the floating-point values match torch's, not only the closed forms.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::OptimError;

/// A schedule and its parameters, as `--schedule` spells it (`step:S:G`, `cosine:T[:ETA_MIN]`…).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Schedule {
    /// The learning rate never changes.
    #[default]
    Constant,
    /// StepLR: multiplied by `gamma` every `step_size` steps.
    Step { step_size: usize, gamma: f64 },
    /// ExponentialLR: multiplied by `gamma` every step.
    Exp { gamma: f64 },
    /// CosineAnnealingLR: from lr down to `eta_min` over `t_max` steps along half a cosine (and
    /// back up after, as torch's does).
    Cosine { t_max: usize, eta_min: f64 },
    /// LinearLR: the factor goes from `start_factor` to `end_factor` over `total_iters` steps.
    Linear {
        start_factor: f64,
        end_factor: f64,
        total_iters: usize,
    },
    /// LambdaLR with λ(k) = t/(k + t): the training-models chapter's learning schedule
    /// t0/(k + t1) is lr = t0/t1 with t = t1.
    Inverse { t: f64 },
}

/// The spellings `--schedule` accepts, for error messages and help.
pub const SCHEDULE_FORMS: &str =
    "constant, step:S:G, exp:G, cosine:T[:ETA_MIN], linear:START:END:T or inverse:T";

impl Schedule {
    /// The name of the kind (`constant`, `step`, `exp`, `cosine`, `linear`).
    pub const fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Exp { .. } => "exp",
            Schedule::Cosine { .. } => "cosine",
            Schedule::Linear { .. } => "linear",
            Schedule::Inverse { .. } => "inverse",
        }
    }

    /// Parses `--schedule`'s SPEC; errors say which forms exist.
    pub fn parse(spec: &str) -> Result<Schedule, OptimError> {
        let bad = |why: String| OptimError::BadSchedule {
            spec: spec.to_owned(),
            why,
        };
        let parts: Vec<&str> = spec.trim().split(':').map(str::trim).collect();
        let number = |text: &str| -> Result<f64, OptimError> {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| bad(format!("'{text}' is not a finite number")))
        };
        let count = |text: &str| -> Result<usize, OptimError> {
            text.parse::<usize>()
                .ok()
                .filter(|&n| n >= 1)
                .ok_or_else(|| bad(format!("'{text}' is not a whole number of steps >= 1")))
        };
        let schedule = match parts.as_slice() {
            ["constant"] => Schedule::Constant,
            ["step", s, g] => Schedule::Step {
                step_size: count(s)?,
                gamma: number(g)?,
            },
            ["exp", g] => Schedule::Exp { gamma: number(g)? },
            ["cosine", t] => Schedule::Cosine {
                t_max: count(t)?,
                eta_min: 0.0,
            },
            ["cosine", t, e] => Schedule::Cosine {
                t_max: count(t)?,
                eta_min: number(e)?,
            },
            ["linear", s, e, t] => Schedule::Linear {
                start_factor: number(s)?,
                end_factor: number(e)?,
                total_iters: count(t)?,
            },
            ["inverse", t] => Schedule::Inverse { t: number(t)? },
            _ => return Err(bad(format!("expected {SCHEDULE_FORMS}"))),
        };
        schedule.validate().map_err(|e| match e {
            OptimError::BadSchedule { why, .. } => bad(why),
            other => other,
        })?;
        Ok(schedule)
    }

    /// torch's range checks (and gamma > 0, without which the lr is no longer a step size).
    pub fn validate(&self) -> Result<(), OptimError> {
        let why = match *self {
            Schedule::Constant => None,
            Schedule::Inverse { t } => {
                (!(t.is_finite() && t > 0.0)).then(|| format!("T must be > 0, got {t}"))
            }
            Schedule::Step { step_size: 0, .. } => Some("S must be >= 1".to_owned()),
            Schedule::Step { gamma, .. } | Schedule::Exp { gamma } => (!(gamma.is_finite()
                && gamma > 0.0))
                .then(|| format!("gamma must be > 0, got {gamma}")),
            Schedule::Cosine { t_max, eta_min } => {
                if t_max == 0 {
                    Some("T must be >= 1".to_owned())
                } else if !(eta_min.is_finite() && eta_min >= 0.0) {
                    Some(format!("ETA_MIN must be finite and >= 0, got {eta_min}"))
                } else {
                    None
                }
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                // torch: 0 < start_factor <= 1 and 0 <= end_factor <= 1.
                if !(start_factor > 0.0 && start_factor <= 1.0) {
                    Some(format!("START must be in (0, 1], got {start_factor}"))
                } else if !(0.0..=1.0).contains(&end_factor) {
                    Some(format!("END must be in [0, 1], got {end_factor}"))
                } else if total_iters == 0 {
                    Some("T must be >= 1".to_owned())
                } else {
                    None
                }
            }
        };
        match why {
            None => Ok(()),
            Some(why) => Err(OptimError::BadSchedule {
                spec: self.to_string(),
                why,
            }),
        }
    }
}

impl fmt::Display for Schedule {
    /// The `--schedule` spelling, which [`Schedule::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Schedule::Constant => write!(f, "constant"),
            Schedule::Step { step_size, gamma } => write!(f, "step:{step_size}:{gamma}"),
            Schedule::Exp { gamma } => write!(f, "exp:{gamma}"),
            Schedule::Cosine { t_max, eta_min } => write!(f, "cosine:{t_max}:{eta_min}"),
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => write!(f, "linear:{start_factor}:{end_factor}:{total_iters}"),
            Schedule::Inverse { t } => write!(f, "inverse:{t}"),
        }
    }
}

/// A schedule in motion: torch's `scheduler` with its `last_epoch` and the group's current lr.
#[derive(Clone, Debug, PartialEq)]
pub struct LrScheduler {
    schedule: Schedule,
    base_lr: f64,
    lr: f64,
    /// torch's `last_epoch`: scheduler steps taken since construction.
    last_epoch: usize,
}

impl LrScheduler {
    /// Built as torch builds one: its initial step already applies (LinearLR's start factor).
    pub fn new(schedule: Schedule, base_lr: f64) -> Self {
        let lr = match schedule {
            Schedule::Linear { start_factor, .. } => base_lr * start_factor,
            _ => base_lr,
        };
        LrScheduler {
            schedule,
            base_lr,
            lr,
            last_epoch: 0,
        }
    }

    /// The learning rate the next optimizer step uses.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// `scheduler.step()`: torch's recursive `get_lr` for the next epoch.
    pub fn step(&mut self) {
        self.last_epoch += 1;
        let k = self.last_epoch;
        let lr = self.lr;
        self.lr = match self.schedule {
            Schedule::Constant => lr,
            Schedule::Step { step_size, gamma } => {
                if k.is_multiple_of(step_size) {
                    lr * gamma
                } else {
                    lr
                }
            }
            Schedule::Exp { gamma } => lr * gamma,
            // LambdaLR is not recursive: base_lr · λ(k).
            Schedule::Inverse { t } => self.base_lr * (t / (k as f64 + t)),
            Schedule::Cosine { t_max, eta_min } => {
                let t_max_f = t_max as f64;
                let pi = std::f64::consts::PI;
                if (k as i64 - 1 - t_max as i64).rem_euclid(2 * t_max as i64) == 0 {
                    // The bottom of the cosine, where the ratio below would divide by zero.
                    lr + (self.base_lr - eta_min) * (1.0 - (pi / t_max_f).cos()) / 2.0
                } else {
                    (1.0 + (pi * k as f64 / t_max_f).cos())
                        / (1.0 + (pi * (k as f64 - 1.0) / t_max_f).cos())
                        * (lr - eta_min)
                        + eta_min
                }
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                if k > total_iters {
                    lr
                } else {
                    lr * (1.0
                        + (end_factor - start_factor)
                            / (total_iters as f64 * start_factor
                                + (k as f64 - 1.0) * (end_factor - start_factor)))
                }
            }
        };
    }

    /// The learning rates of the first `n` optimizer steps.
    pub fn first(schedule: Schedule, base_lr: f64, n: usize) -> Vec<f64> {
        let mut s = LrScheduler::new(schedule, base_lr);
        (0..n)
            .map(|_| {
                let lr = s.lr();
                s.step();
                lr
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (k, (x, y)) in a.iter().zip(b).enumerate() {
            assert!(
                (x - y).abs() <= 1e-12 * y.abs().max(1e-300),
                "step {k}: {x} vs {y}\n{a:?}\n{b:?}"
            );
        }
    }

    #[test]
    fn parse_and_display_round_trip() {
        for spec in [
            "constant",
            "step:3:0.5",
            "exp:0.9",
            "cosine:10:0.001",
            "linear:0.1:1:5",
        ] {
            let s = Schedule::parse(spec).unwrap();
            assert_eq!(s.to_string(), spec);
            assert_eq!(Schedule::parse(&s.to_string()).unwrap(), s);
        }
        assert_eq!(
            Schedule::parse("cosine:10").unwrap(),
            Schedule::Cosine {
                t_max: 10,
                eta_min: 0.0
            }
        );
        for bad in [
            "",
            "cos:10",
            "step:0:0.5",
            "step:2",
            "exp:-1",
            "exp:nan",
            "cosine:0",
            "cosine:5:-1",
            "linear:0:1:5",
            "linear:0.1:2:5",
            "linear:0.1:1:0",
            "step:1.5:0.5",
        ] {
            let err = Schedule::parse(bad).unwrap_err().to_string();
            assert!(err.contains("--schedule"), "{bad}: {err}");
        }
        let err = Schedule::parse("warm").unwrap_err().to_string();
        assert!(err.contains(SCHEDULE_FORMS), "{err}");
    }

    #[test]
    fn step_lr_by_hand() {
        // StepLR(step_size=2, gamma=0.5) from 0.1: 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125.
        let got = LrScheduler::first(Schedule::parse("step:2:0.5").unwrap(), 0.1, 7);
        close(&got, &[0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
    }

    #[test]
    fn exponential_lr_by_hand() {
        let got = LrScheduler::first(Schedule::Exp { gamma: 0.9 }, 2.0, 4);
        close(&got, &[2.0, 1.8, 1.62, 1.458]);
    }

    #[test]
    fn cosine_matches_the_closed_form_and_comes_back_up() {
        // torch's closed form: eta_min + (base - eta_min)(1 + cos(pi k / T)) / 2.
        let (base, eta, t) = (0.1, 0.01, 4usize);
        let got = LrScheduler::first(
            Schedule::Cosine {
                t_max: t,
                eta_min: eta,
            },
            base,
            13,
        );
        let closed: Vec<f64> = (0..13)
            .map(|k| {
                eta + (base - eta) * (1.0 + (std::f64::consts::PI * k as f64 / t as f64).cos())
                    / 2.0
            })
            .collect();
        close(&got, &closed);
        // By hand at T = 4: k = 2 is halfway, k = 4 the bottom, k = 8 back at the top.
        close(&[got[2], got[4], got[8]], &[0.055, 0.01, 0.1]);
    }

    #[test]
    fn linear_warm_up_by_hand() {
        // LinearLR(start 0.25, end 1, total 3) from 0.4: factors 0.25, 0.5, 0.75, 1, 1, ...
        let got = LrScheduler::first(
            Schedule::Linear {
                start_factor: 0.25,
                end_factor: 1.0,
                total_iters: 3,
            },
            0.4,
            6,
        );
        close(&got, &[0.1, 0.2, 0.3, 0.4, 0.4, 0.4]);
        // And a decay: start 1, end 0.5 over 2 steps.
        let got = LrScheduler::first(Schedule::parse("linear:1:0.5:2").unwrap(), 1.0, 4);
        close(&got, &[1.0, 0.75, 0.5, 0.5]);
    }

    #[test]
    fn constant_never_moves_and_serde_round_trips() {
        let got = LrScheduler::first(Schedule::Constant, 0.3, 5);
        assert_eq!(got, vec![0.3; 5]);
        for s in [
            Schedule::Constant,
            Schedule::parse("cosine:50:0.001").unwrap(),
            Schedule::parse("linear:0.1:1:10").unwrap(),
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
        }
    }
}
