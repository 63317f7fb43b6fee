//! A trajectory as text, in the two shapes of ../shared/CLI.md's `descend`: CSV rows
//! (`step,x,y,value,grad_norm`, 1-D without y, plus `lr` where it varies) or one JSON object whose
//! rows after the first carry `lr` and the tangent plane's `predicted` change. The CLI prints
//! them; the app writes them to files.

use std::io::Write;

use serde::Serialize;

use super::{OptimizerKind, Status, Trajectory, predicted_change};
use crate::format::exact as format_number;

/// CSV with a header; numbers in the shortest form that round-trips.
pub fn write_csv(t: &Trajectory, dims: usize, out: &mut dyn Write) -> std::io::Result<()> {
    write_csv_lr(t, dims, false, out)
}

/// [`write_csv`], with a last column `lr` (empty on row 0) when `lr_column` is set: what
/// `descend` writes when a schedule or line search makes the lr vary.
pub fn write_csv_lr(
    t: &Trajectory,
    dims: usize,
    lr_column: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    write_csv_columns(t, dims, lr_column, false, out)
}

/// [`write_csv_lr`], with a last column `epoch` (empty on row 0) when `epoch_column` is set:
/// what `descend` writes on a data objective.
pub fn write_csv_columns(
    t: &Trajectory,
    dims: usize,
    lr_column: bool,
    epoch_column: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let header = if dims == 1 {
        "step,x,value,grad_norm"
    } else {
        "step,x,y,value,grad_norm"
    };
    writeln!(
        out,
        "{header}{}{}",
        if lr_column { ",lr" } else { "" },
        if epoch_column { ",epoch" } else { "" }
    )?;
    for s in &t.steps {
        write!(out, "{}", s.step)?;
        for &c in &s.point {
            write!(out, ",{}", format_number(c))?;
        }
        write!(
            out,
            ",{},{}",
            format_number(s.value),
            format_number(s.grad_norm())
        )?;
        if lr_column {
            write!(out, ",{}", s.lr.map(format_number).unwrap_or_default())?;
        }
        if epoch_column {
            write!(
                out,
                ",{}",
                s.epoch.map(|e| e.to_string()).unwrap_or_default()
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct StepJson {
    step: usize,
    point: Vec<serde_json::Value>,
    value: serde_json::Value,
    gradient: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lr: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predicted: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    epoch: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    batch: Option<Vec<u32>>,
}

#[derive(Serialize)]
struct TrajectoryJson {
    optimizer: &'static str,
    status: Status,
    steps: Vec<StepJson>,
}

/// `{"optimizer": O, "status": S, "steps": [...]}` and a newline; non-finite numbers as null.
pub fn write_json(t: &Trajectory, kind: OptimizerKind, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = TrajectoryJson {
        optimizer: kind.name(),
        status: t.status,
        steps: t
            .steps
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let before = k.checked_sub(1).and_then(|b| t.steps.get(b));
                StepJson {
                    step: s.step,
                    point: s.point.iter().map(|&v| json_number(v)).collect(),
                    value: json_number(s.value),
                    gradient: s.gradient.iter().map(|&v| json_number(v)).collect(),
                    lr: before.map(|_| json_number(s.lr.unwrap_or(f64::NAN))),
                    predicted: before.map(|b| json_number(predicted_change(b, s))),
                    epoch: s.epoch,
                    batch: s.batch.clone(),
                }
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// JSON can't hold NaN or infinity; the contract writes them as null.
pub fn json_number(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}
