//! `gradscape presets`: the catalog of preset functions, readable or as JSON.

use std::io::Write;

use clap::Args;

use super::CliError;
use crate::presets::{Preset, catalog};

#[derive(Args, Debug)]
pub struct PresetsArgs {
    /// Print the catalog as a JSON array.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &PresetsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if args.json {
        serde_json::to_writer_pretty(&mut *out, catalog())
            .map_err(|e| CliError::machine(format!("writing JSON: {e}")))?;
        writeln!(out)?;
        return Ok(());
    }
    for (k, preset) in catalog().iter().enumerate() {
        if k > 0 {
            writeln!(out)?;
        }
        write_preset(preset, out)?;
    }
    Ok(())
}

fn write_preset(p: &Preset, out: &mut dyn Write) -> std::io::Result<()> {
    let vars = if p.domain.y.is_some() { "x, y" } else { "x" };
    writeln!(out, "{}  ({})", p.name, p.title)?;
    writeln!(out, "  f({vars}) = {}", p.expr)?;
    let mut domain = format!("x ∈ [{}, {}]", p.domain.x[0], p.domain.x[1]);
    if let Some([a, b]) = p.domain.y {
        domain.push_str(&format!(", y ∈ [{a}, {b}]"));
    }
    writeln!(out, "  domain: {domain}")?;
    let points: Vec<String> = p
        .minima
        .iter()
        .map(|m| {
            let coords: Vec<String> = m.iter().map(|c| c.to_string()).collect();
            format!("({})", coords.join(", "))
        })
        .collect();
    match (points.is_empty(), p.minimum_value) {
        (true, _) => writeln!(out, "  minima: none")?,
        (false, Some(v)) => writeln!(out, "  minima: {} with f = {v}", points.join(", "))?,
        (false, None) => writeln!(out, "  minima: {}", points.join(", "))?,
    }
    writeln!(out, "  {}", p.caption)
}
