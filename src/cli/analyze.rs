//! `gradscape analyze`: the notebook's 1-D questions for any function — its critical points in
//! an interval, classified, and at a point the secant slopes from both sides with the verdict on
//! whether a derivative exists there (and why not).

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, FunctionArg, fmt_number, json_number, parse_numbers, parse_range};
use crate::calculus::{
    CriticalKind, CriticalPoint, FlatInterval, MAX_LISTED, PointKind, SECANT_STEPS, TooMany,
    Unresolved, classify_point, critical_set,
};

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub function: FunctionArg,
    /// Interval searched for critical points (default: the preset's domain, else -3,3).
    #[arg(long, value_name = "A,B", allow_hyphen_values = true)]
    pub x_range: Option<String>,
    /// A point whose secant slopes and differentiability are reported.
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Print one JSON object instead of the summary.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Secant {
    h: f64,
    left: serde_json::Value,
    right: serde_json::Value,
}

#[derive(Serialize)]
struct AtPoint {
    x: f64,
    secants: Vec<Secant>,
    verdict: PointKind,
    explanation: String,
}

#[derive(Serialize)]
struct Analysis {
    expr: String,
    range: [f64; 2],
    critical_points: Vec<CriticalPoint>,
    /// Stretches where f′ ≡ 0: every point of them is critical.
    flat_intervals: Vec<FlatInterval>,
    /// Stretches where double precision cannot tell f′ from 0: f and f′ underflow, or f′ is
    /// below its rounding error. No point of them is listed.
    unresolved_intervals: Vec<Unresolved>,
    /// Where f′ changes sign more often than is listed: how often at least (those points are
    /// not in `critical_points`); absent where every one is listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    too_many: Option<TooMany>,
    /// Where f′ turns faster than the finest samples followed: more critical points there
    /// than listed or counted; absent where the samples followed f′ everywhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    more_near: Option<f64>,
    at: Option<AtPoint>,
}

pub fn run(args: &AnalyzeArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let function = args.function.load()?;
    if function.dims() != 1 {
        return Err(CliError::input(
            "analyze answers 1-D questions (critical points, secants); this function uses y too",
        ));
    }
    let (a, b) = match (&args.x_range, &args.function.preset) {
        (Some(text), _) => parse_range("--x-range", text)?,
        (None, Some(name)) => crate::presets::find(name)
            .map(|p| (p.domain.x[0], p.domain.x[1]))
            .map_err(|e| CliError::input(e.to_string()))?,
        (None, None) => (-3.0, 3.0),
    };
    let at = match &args.at {
        None => None,
        Some(text) => match *parse_numbers("--at", text)?.as_slice() {
            [x] => Some(point_report(&function, x)),
            _ => {
                return Err(CliError::input(
                    "--at takes one number X for a 1-D function",
                ));
            }
        },
    };
    let critical = critical_set(&function, a, b);
    let analysis = Analysis {
        expr: function.source().to_string(),
        range: [a, b],
        critical_points: critical.points,
        flat_intervals: critical.flat,
        unresolved_intervals: critical.unresolved,
        too_many: critical.too_many,
        more_near: critical.gave_up_at,
        at,
    };
    if args.json {
        super::write_json(out, &analysis)?;
        return Ok(());
    }
    writeln!(
        out,
        "f(x) = {}   on [{}, {}]",
        function.text_within(function.f_id(), 200_000),
        fmt_number(a),
        fmt_number(b)
    )?;
    writeln!(
        out,
        "f′(x) = {}",
        function.text_within(function.gradient_ids()[0], 200_000)
    )?;
    write_critical(out, &analysis, a, b)?;
    if let Some(p) = &analysis.at {
        writeln!(
            out,
            "at x = {}: secant slopes (f(x+h) − f(x))/h",
            fmt_number(p.x)
        )?;
        writeln!(
            out,
            "  {:<8} {:<24} {:<24}",
            "h", "from the left", "from the right"
        )?;
        for s in &p.secants {
            let show = |v: &serde_json::Value| v.as_f64().map_or("undefined".into(), fmt_number);
            writeln!(
                out,
                "  {:<8} {:<24} {:<24}",
                fmt_number(s.h),
                show(&s.left),
                show(&s.right)
            )?;
        }
        writeln!(out, "  {}", p.explanation)?;
    }
    Ok(())
}

/// The flat stretches once each, then the critical points with what kind each is.
fn write_critical(out: &mut dyn Write, analysis: &Analysis, a: f64, b: f64) -> std::io::Result<()> {
    for flat in &analysis.flat_intervals {
        if flat.start <= a && flat.end >= b && flat.start_closed && flat.end_closed {
            writeln!(
                out,
                "f′ ≡ 0 on the whole interval: f is constant ({}), so every point is critical",
                fmt_number(flat.value)
            )?;
        } else {
            writeln!(
                out,
                "f′ ≡ 0 on {} (f = {} there): every point of it is critical",
                flat.written(fmt_number),
                fmt_number(flat.value)
            )?;
        }
    }
    for stretch in &analysis.unresolved_intervals {
        writeln!(out, "{}", stretch.explain(fmt_number))?;
    }
    if let Some(many) = &analysis.too_many {
        let narrow = match analysis.more_near {
            Some(x) => format!(
                "narrow --x-range away from x = {} to list them",
                fmt_number(x)
            ),
            None => format!(
                "narrow --x-range to a width of about {} to list them",
                fmt_number(round_to_2_digits(many.narrow_to))
            ),
        };
        writeln!(
            out,
            "f′ changes sign at least {} times in this interval: too many critical points to \
             list (at most {MAX_LISTED}); {narrow}",
            many.at_least,
        )?;
    }
    if let Some(x) = analysis.more_near {
        writeln!(
            out,
            "f′ turns faster near x = {} than samples 2⁻³⁰ of the sampling step apart can \
             follow: there are more critical points there than are listed",
            fmt_number(x)
        )?;
    }
    let points = &analysis.critical_points;
    if points.is_empty() {
        if analysis.too_many.is_some() {
            writeln!(out, "no other critical points in this interval")?;
        } else if analysis.flat_intervals.is_empty() && analysis.unresolved_intervals.is_empty() {
            writeln!(out, "no critical points (f′ ≠ 0) in this interval")?;
        } else if analysis.flat_intervals.is_empty() {
            writeln!(out, "no critical points elsewhere in this interval")?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "critical points (f′ = 0, or f′ does not exist where f does):"
    )?;
    for c in points {
        let kind = match c.kind {
            CriticalKind::Minimum => "minimum",
            CriticalKind::Maximum => "maximum",
            CriticalKind::FlatInflection => "flat inflection",
            CriticalKind::Neither => "neither minimum nor maximum",
        };
        match c.no_derivative {
            None => writeln!(
                out,
                "  x = {:<22} f = {:<22} f″ = {:<22} {kind}",
                fmt_number(c.x),
                fmt_number(c.value),
                fmt_number(c.second_derivative)
            )?,
            Some(verdict) => writeln!(
                out,
                "  x = {:<22} f = {:<22} {kind}; {}",
                fmt_number(c.x),
                fmt_number(c.value),
                verdict.explain()
            )?,
        }
    }
    Ok(())
}

fn point_report(function: &crate::function::Function, x: f64) -> AtPoint {
    let secants = SECANT_STEPS
        .iter()
        .map(|&h| Secant {
            h,
            left: json_number(crate::calculus::secant_slope(function, x, -h)),
            right: json_number(crate::calculus::secant_slope(function, x, h)),
        })
        .collect();
    let verdict = classify_point(function, x);
    AtPoint {
        x,
        secants,
        verdict,
        explanation: verdict.explain(),
    }
}

/// A width to suggest, to two significant digits (1.6, not 1.5707963…).
fn round_to_2_digits(v: f64) -> f64 {
    format!("{v:.1e}").parse().unwrap_or(v)
}
