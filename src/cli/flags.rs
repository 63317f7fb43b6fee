//! Flags several commands share, written once (`#[command(flatten)]`): the optimizer, its
//! learning rate, the tolerance, the backend and a figure's size. Each keeps the id, name,
//! default and help it had in every command (CLI.md), so flattening changes no command line.

use std::ops::RangeInclusive;
use std::path::PathBuf;

use clap::Args;

use super::grid::Backend;
use super::swarm_common::{OutputKind, output_kind};
use super::{CliError, HyperparameterFlags};

/// `--x-range A,B` and `--y-range C,D`: the domain a figure shows (render) or the starts cover
/// (basins).
#[derive(Args, Debug, Clone)]
pub struct DomainFlags {
    /// x from A to B (default: the preset's domain; without a preset, render draws -3,3 and
    /// basins needs this flag).
    #[arg(long, value_name = "A,B", allow_hyphen_values = true)]
    pub x_range: Option<String>,
    /// y from C to D (2-D only; default: the preset's domain, else the x range).
    #[arg(long, value_name = "C,D", allow_hyphen_values = true)]
    pub y_range: Option<String>,
}

impl DomainFlags {
    /// The x and y ranges: as given, else the preset's domain, else x from `without_preset` and
    /// y like x. A given x range stands for an omitted y range too.
    pub(super) fn ranges(
        &self,
        preset: Option<&crate::presets::Preset>,
        without_preset: impl FnOnce() -> Result<(f64, f64), CliError>,
    ) -> Result<[(f64, f64); 2], CliError> {
        let x = match (&self.x_range, preset) {
            (Some(text), _) => super::parse_range("--x-range", text)?,
            (None, Some(p)) => (p.domain.x[0], p.domain.x[1]),
            (None, None) => without_preset()?,
        };
        let y = match &self.y_range {
            Some(text) => super::parse_range("--y-range", text)?,
            None if self.x_range.is_some() => x,
            None => preset.and_then(|p| p.domain.y).map_or(x, |y| (y[0], y[1])),
        };
        Ok([x, y])
    }
}

/// `--optimizer O` (descend, basins, sweep).
#[derive(Args, Debug, Clone)]
pub struct OptimizerFlag {
    /// sgd, momentum, nesterov, adagrad, rmsprop, adam, newton, adamw, adamax, nadam, radam or
    /// adadelta.
    #[arg(id = "optimizer", long = "optimizer", value_name = "O")]
    pub name: String,
}

/// `--from X[,Y]`, one start point (descend, sweep).
#[derive(Args, Debug, Clone)]
pub struct StartFlag {
    /// Start point: X or X,Y.
    #[arg(
        id = "from",
        long = "from",
        value_name = "X[,Y]",
        allow_hyphen_values = true
    )]
    pub text: String,
}

impl StartFlag {
    /// The start point of a function of `dims` variables.
    pub(super) fn point(&self, dims: usize) -> Result<Vec<f64>, CliError> {
        super::parse_point("--from", &self.text, dims)
    }
}

/// `--lr LR`, one learning rate (descend, basins).
#[derive(Args, Debug, Clone, Copy)]
pub struct LrFlag {
    /// Learning rate (> 0).
    #[arg(id = "lr", long = "lr", value_name = "LR", allow_hyphen_values = true)]
    pub value: f64,
}

/// `--tol T` (descend, basins, sweep).
#[derive(Args, Debug, Clone, Copy)]
pub struct TolFlag {
    /// A descent stops with status `converged` at the first row whose gradient norm is at most T.
    #[arg(id = "tol", long = "tol", value_name = "T", allow_hyphen_values = true)]
    pub value: Option<f64>,
}

/// `--backend gpu|cpu` (grid, basins, sweep).
#[derive(Args, Debug, Clone, Copy)]
pub struct BackendFlag {
    #[arg(
        id = "backend",
        long = "backend",
        value_name = "BACKEND",
        value_enum,
        default_value = "gpu"
    )]
    pub kind: Backend,
}

/// `--size WxH` of a basin or sweep figure.
#[derive(Args, Debug, Clone, Default)]
pub struct FigureSizeFlag {
    /// Figure size for a PNG, WIDTHxHEIGHT (default 900x700).
    #[arg(id = "size", long = "size", value_name = "WxH")]
    pub text: Option<String>,
}

/// The sides a basin or sweep figure may have, in pixels.
const FIGURE_SIDE_PX: RangeInclusive<u32> = 200..=4096;

impl FigureSizeFlag {
    /// The figure's pixels for an output of `kind`: --size on a .png, refused on a .npy.
    pub(super) fn pixels(&self, kind: OutputKind) -> Result<[u32; 2], CliError> {
        match &self.text {
            Some(text) if kind == OutputKind::Png => parse_size(text, FIGURE_SIDE_PX, "900x700"),
            Some(_) => Err(CliError::input("--size applies to a .png output only")),
            None => Ok([900, 700]),
        }
    }
}

/// The flags `basins` and `sweep` end with, in this order: the optimizer's other
/// hyperparameters, `--tol`, `--backend`, and `--out` with a figure's `--size`.
#[derive(Args, Debug)]
pub struct SwarmFlags {
    #[command(flatten)]
    pub hyperparameters: HyperparameterFlags,
    #[command(flatten)]
    pub tol: TolFlag,
    #[command(flatten)]
    pub backend: BackendFlag,
    /// Output: FILE.npy (the end of every descent) or FILE.png (the figure: the basins, or a
    /// heatmap of the final f).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[command(flatten)]
    pub size: FigureSizeFlag,
}

impl SwarmFlags {
    /// What --out asks for (by its extension), and a figure's pixels (--size on a .png only).
    pub(super) fn output(&self) -> Result<(OutputKind, [u32; 2]), CliError> {
        let kind = output_kind(&self.out)?;
        Ok((kind, self.size.pixels(kind)?))
    }
}

/// `WIDTHxHEIGHT`, each side within `sides`; the error shows `example`.
pub fn parse_size(
    text: &str,
    sides: RangeInclusive<u32>,
    example: &str,
) -> Result<[u32; 2], CliError> {
    let bad = || {
        CliError::input(format!(
            "--size '{text}': expected WIDTHxHEIGHT in pixels, e.g. --size {example}, each {} to {}",
            sides.start(),
            sides.end()
        ))
    };
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if sides.contains(&w) && sides.contains(&h) {
        Ok([w, h])
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_within_their_sides_and_say_why_not() {
        assert_eq!(
            parse_size(" 640X400 ", 16..=8192, "1280x800").unwrap(),
            [640, 400]
        );
        for bad in ["640", "x400", "640x", "100x400", "640x5000", "-1x400"] {
            let message = parse_size(bad, 200..=4096, "900x700")
                .unwrap_err()
                .to_string();
            assert!(
                message.contains(&format!("--size '{bad}'")) && message.contains("200 to 4096"),
                "{message}"
            );
        }
        let figure = |text: &str| FigureSizeFlag {
            text: Some(text.into()),
        };
        assert_eq!(
            figure("300x200").pixels(OutputKind::Png).unwrap(),
            [300, 200]
        );
        assert!(figure("300x200").pixels(OutputKind::Npy).is_err());
        assert_eq!(
            FigureSizeFlag::default().pixels(OutputKind::Npy).unwrap(),
            [900, 700]
        );
    }
}
