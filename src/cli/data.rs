//! `gradscape data`: describe a data set (a built-in or a CSV file) — its columns, rows and
//! each column's range and mean — or list the built-ins; readable or as JSON.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, fmt_number, json_number};
use crate::data::{BUILTINS, ColumnSummary, load_table};

#[derive(Args, Debug)]
pub struct DataArgs {
    /// A built-in data set's name or a CSV file's path.
    #[arg(value_name = "FILE.csv|NAME", required_unless_present = "list")]
    pub source: Option<String>,
    /// List the built-in data sets instead.
    #[arg(long, conflicts_with = "source")]
    pub list: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct BuiltinJson {
    name: &'static str,
    description: &'static str,
}

#[derive(Serialize)]
struct ColumnJson {
    name: String,
    min: serde_json::Value,
    max: serde_json::Value,
    mean: serde_json::Value,
}

#[derive(Serialize)]
struct TableJson {
    name: String,
    rows: usize,
    columns: Vec<ColumnJson>,
}

pub fn run(args: &DataArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if args.list {
        return list(args.json, out);
    }
    let Some(source) = &args.source else {
        return Err(CliError::input(
            "name a data set (a built-in or a CSV file) or pass --list",
        ));
    };
    let table = load_table(source).map_err(|e| CliError::input(e.to_string()))?;
    let summary = table.summary();
    if args.json {
        let doc = TableJson {
            name: table.name().to_string(),
            rows: table.rows(),
            columns: summary.into_iter().map(column_json).collect(),
        };
        super::write_json(out, &doc)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}: {} rows, {} columns",
        table.name(),
        table.rows(),
        table.columns().len()
    )?;
    let width = summary
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "  {:<width$}  {:>12}  {:>12}  {:>12}",
        "column", "min", "max", "mean"
    )?;
    for c in &summary {
        writeln!(
            out,
            "  {:<width$}  {:>12}  {:>12}  {:>12}",
            c.name,
            fmt_number(c.min),
            fmt_number(c.max),
            fmt_number(six_digits(c.mean))
        )?;
    }
    Ok(())
}

/// `v` to six significant digits, for reading (the JSON keeps every digit): a mean such as
/// 3.7580000000000027 reads 3.758.
fn six_digits(v: f64) -> f64 {
    format!("{v:.5e}").parse().unwrap_or(v)
}

fn column_json(c: ColumnSummary) -> ColumnJson {
    ColumnJson {
        name: c.name,
        min: json_number(c.min),
        max: json_number(c.max),
        mean: json_number(c.mean),
    }
}

fn list(json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    if json {
        let doc: Vec<BuiltinJson> = BUILTINS
            .iter()
            .map(|b| BuiltinJson {
                name: b.name,
                description: b.description,
            })
            .collect();
        super::write_json(out, &doc)?;
        return Ok(());
    }
    for b in &BUILTINS {
        writeln!(out, "{:<8}{}", b.name, b.description)?;
    }
    Ok(())
}
