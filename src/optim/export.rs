//! A trajectory as text, in the two shapes of ../shared/CLI.md's `descend`: CSV rows
//! (`step,x,y,value,grad_norm`, 1-D without y) or one JSON object. The CLI prints them; the app
//! writes them to files.

use std::io::Write;

use serde::Serialize;

use super::{OptimizerKind, Status, Trajectory};
use crate::math::format_number;

/// CSV with a header; numbers in the shortest form that round-trips.
pub fn write_csv(t: &Trajectory, dims: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let header = if dims == 1 {
        "step,x,value,grad_norm"
    } else {
        "step,x,y,value,grad_norm"
    };
    writeln!(out, "{header}")?;
    for s in &t.steps {
        write!(out, "{}", s.step)?;
        for &c in &s.point {
            write!(out, ",{}", format_number(c))?;
        }
        writeln!(
            out,
            ",{},{}",
            format_number(s.value),
            format_number(s.grad_norm())
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct StepJson {
    step: usize,
    point: Vec<serde_json::Value>,
    value: serde_json::Value,
    gradient: Vec<serde_json::Value>,
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
            .map(|s| StepJson {
                step: s.step,
                point: s.point.iter().map(|&v| json_number(v)).collect(),
                value: json_number(s.value),
                gradient: s.gradient.iter().map(|&v| json_number(v)).collect(),
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
