//! A hyperparameter sweep: one start point run over a grid of learning rates (geometric) and,
//! optionally, values of a second hyperparameter (linear), as a [`Batch`] whose starts are laid
//! out row by row (row i = param_i, column j = lr_j), the shape of `gradscape sweep`'s `.npy`.

use super::{Batch, End, Start, SwarmError};
use crate::optim::{Hyperparameters, OptimizerKind, Status};

/// Values from `from` to `to` inclusive, `count` of them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepAxis {
    pub from: f64,
    pub to: f64,
    pub count: usize,
}

impl SweepAxis {
    /// Value `j` on a geometric scale: `from·(to/from)^(j/(count−1))`, computed in logarithms
    /// so that a range like 1e-300 to 1e300 (whose ratio overflows f64) steps through as well.
    pub fn geometric(&self, j: usize) -> f64 {
        if self.count <= 1 || j == 0 {
            return self.from;
        }
        let t = j as f64 / (self.count - 1) as f64;
        if j + 1 == self.count {
            // Exactly B at the end, not B up to rounding.
            return self.to;
        }
        let (log_from, log_to) = (self.from.ln(), self.to.ln());
        (log_from + t * (log_to - log_from)).exp()
    }

    /// Value `i` on a linear scale: `from + i·(to−from)/(count−1)`.
    pub fn linear(&self, i: usize) -> f64 {
        if self.count <= 1 {
            return self.from;
        }
        if i + 1 == self.count {
            return self.to;
        }
        self.from + i as f64 * (self.to - self.from) / (self.count - 1) as f64
    }
}

/// What to sweep: the learning rates, and optionally a second hyperparameter by name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepSpec {
    pub lr: SweepAxis,
    pub param: Option<(&'static str, SweepAxis)>,
}

/// A sweep's cells as `gradscape sweep` writes them to `.npy`: the shape ((M, N, 4) with a
/// second hyperparameter, else (N, 4)) and per cell `[f_end, grad_norm_end, steps, status]`,
/// value and norm NaN for a diverged run. The app's map exports the same file.
pub fn sweep_npy(spec: &SweepSpec, ends: &[End]) -> (Vec<usize>, Vec<f32>) {
    let n = spec.lr.count;
    let shape = match spec.param {
        Some((_, axis)) => vec![axis.count, n, 4],
        None => vec![n, 4],
    };
    let mut values = Vec::with_capacity(ends.len() * 4);
    for end in ends {
        let diverged = end.status == Status::Diverged;
        values.push(if diverged { f32::NAN } else { end.value as f32 });
        values.push(if diverged {
            f32::NAN
        } else {
            end.grad_norm as f32
        });
        values.push(end.steps as f32);
        values.push(f32::from(end.status_code()));
    }
    (shape, values)
}

/// The hyperparameters `kind` can sweep besides lr: its numeric flags, the app's choice first
/// (momentum for momentum and nesterov, alpha for rmsprop, beta1 for the Adam family, rho for
/// adadelta); empty for newton.
pub fn sweep_param_names(kind: OptimizerKind) -> &'static [&'static str] {
    kind.flags()
}

/// The batch of a sweep from `start`; errors name the bad value the way the CLI's flags do.
pub fn sweep_batch(
    hyper: Hyperparameters,
    start: [f64; 2],
    spec: &SweepSpec,
    max_steps: usize,
    tol: Option<f64>,
    dims: usize,
) -> Result<Batch, SwarmError> {
    let lr = spec.lr;
    if !(lr.from > 0.0 && lr.to > 0.0 && lr.from.is_finite() && lr.to.is_finite()) {
        return Err(SwarmError::Invalid(format!(
            "--lr-range {},{}: learning rates must be finite and > 0",
            lr.from, lr.to
        )));
    }
    if lr.from > lr.to {
        return Err(SwarmError::Invalid(format!(
            "--lr-range {},{}: the start must not exceed the end",
            lr.from, lr.to
        )));
    }
    let (swept, rows) = match spec.param {
        None => (None, 1),
        Some((name, axis)) => {
            if !sweep_param_names(hyper.kind).contains(&name) {
                let takes = sweep_param_names(hyper.kind);
                return Err(SwarmError::Invalid(if takes.is_empty() {
                    format!(
                        "--param {name}: {} has no hyperparameter to sweep besides lr",
                        hyper.kind
                    )
                } else {
                    format!("--param {name}: {} sweeps {}", hyper.kind, takes.join(", "))
                }));
            }
            if axis.from > axis.to {
                return Err(SwarmError::Invalid(format!(
                    "--param-range {},{}: the start must not exceed the end",
                    axis.from, axis.to
                )));
            }
            (Some(name), axis.count)
        }
    };
    let mut starts = Vec::with_capacity(rows * lr.count);
    for i in 0..rows {
        let param = spec.param.map_or(0.0, |(_, axis)| axis.linear(i));
        for j in 0..lr.count {
            starts.push(Start {
                point: start,
                lr: lr.geometric(j),
                param,
            });
        }
    }
    let batch = Batch {
        hyper,
        swept,
        max_steps,
        tol,
        dims,
        starts,
    };
    batch.validate()?;
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_geometric_and_linear_inclusive() {
        let lr = SweepAxis {
            from: 1e-3,
            to: 1.0,
            count: 4,
        };
        let values: Vec<f64> = (0..4).map(|j| lr.geometric(j)).collect();
        assert_eq!(values[0], 1e-3);
        assert!((values[1] - 1e-2).abs() < 1e-15);
        assert!((values[2] - 1e-1).abs() < 1e-14);
        assert_eq!(values[3], 1.0);
        let m = SweepAxis {
            from: 0.0,
            to: 0.9,
            count: 4,
        };
        assert_eq!(
            (0..4).map(|i| m.linear(i)).collect::<Vec<_>>(),
            [0.0, 0.3, 0.6, 0.9]
        );
    }

    #[test]
    fn batch_rows_are_param_columns_are_lr_and_bad_names_are_refused() {
        let hyper = Hyperparameters::new(OptimizerKind::Momentum, 0.1);
        let spec = SweepSpec {
            lr: SweepAxis {
                from: 0.01,
                to: 0.1,
                count: 3,
            },
            param: Some((
                "momentum",
                SweepAxis {
                    from: 0.0,
                    to: 0.5,
                    count: 2,
                },
            )),
        };
        let batch = sweep_batch(hyper, [1.0, 2.0], &spec, 10, None, 2).unwrap();
        assert_eq!(batch.starts.len(), 6);
        assert_eq!(batch.starts[4].param, 0.5);
        assert_eq!(batch.starts[4].lr, spec.lr.geometric(1));
        let newton = Hyperparameters::new(OptimizerKind::Newton, 0.1);
        let err = sweep_batch(newton, [1.0, 2.0], &spec, 10, None, 2).unwrap_err();
        assert!(
            err.to_string().contains("newton has no hyperparameter"),
            "{err}"
        );
        let sgd = Hyperparameters::new(OptimizerKind::Sgd, 0.1);
        let err = sweep_batch(sgd, [1.0, 2.0], &spec, 10, None, 2).unwrap_err();
        assert!(err.to_string().contains("sgd sweeps weight-decay"), "{err}");
        let mut reversed = spec;
        reversed.lr = SweepAxis {
            from: 1.0,
            to: 0.1,
            count: 3,
        };
        let err = sweep_batch(hyper, [1.0, 2.0], &reversed, 10, None, 2).unwrap_err();
        assert!(err.to_string().contains("must not exceed"), "{err}");
        // momentum 1.0 is out of torch's range here: refused before anything runs.
        let mut too_far = spec;
        too_far.param = Some((
            "momentum",
            SweepAxis {
                from: 0.5,
                to: 1.0,
                count: 2,
            },
        ));
        assert!(sweep_batch(hyper, [1.0, 2.0], &too_far, 10, None, 2).is_err());
    }
}
