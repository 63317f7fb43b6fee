//! Which points a grid holds and how they are stored: the ranges and resolution
//! ([`GridSpec`]) and the buffer layout ([`GridLayout`]), with the f32 steps the kernel receives.

use super::super::error::GpuError;
use super::super::layout::GridPoint;
use super::super::shaders::{GRID_ENTRY_POINT, GRID_PACKED_ENTRY_POINT};

/// Bytes per grid point in a [`GridLayout::Vec4`] output buffer (`vec4<f32>`).
pub const POINT_BYTES: u64 = size_of::<GridPoint>() as u64;

/// How a grid's points are stored in its buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridLayout {
    /// `vec4<f32>` `[f, df/dx, df/dy, 0]`: what the renderer pulls as vertices.
    Vec4,
    /// Three float32 `[f, df/dx, df/dy]`, 12 bytes a point: the .npy's layout, so `grid`
    /// writes a read-back band to disk as it is.
    Packed,
}

impl GridLayout {
    /// Bytes per grid point.
    pub const fn point_bytes(self) -> u64 {
        match self {
            GridLayout::Vec4 => POINT_BYTES,
            GridLayout::Packed => 12,
        }
    }

    /// Bytes of the array element the kernel indexes (a vec4, or one float): bounds the
    /// element indices of a binding to u32.
    pub(super) const fn element_bytes(self) -> u64 {
        match self {
            GridLayout::Vec4 => POINT_BYTES,
            GridLayout::Packed => 4,
        }
    }

    pub(super) fn entry_point(self) -> &'static str {
        match self {
            GridLayout::Vec4 => GRID_ENTRY_POINT,
            GridLayout::Packed => GRID_PACKED_ENTRY_POINT,
        }
    }

    /// The output's binding slot in shaders/grid.wgsl.
    pub(super) fn binding(self) -> u32 {
        match self {
            GridLayout::Vec4 => 1,
            GridLayout::Packed => 2,
        }
    }
}

/// Which points to evaluate: `nx` columns from `x_range.0` to `x_range.1` inclusive, `ny` rows
/// likewise over `y_range`. A 1-D function uses `ny = 1`; its y is then `y_range.0` and unused.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub nx: u32,
    pub ny: u32,
}

impl GridSpec {
    /// An `n` × `n` grid.
    pub fn square(x_range: (f64, f64), y_range: (f64, f64), n: u32) -> Self {
        Self {
            x_range,
            y_range,
            nx: n,
            ny: n,
        }
    }

    /// `n` points along x, for a 1-D function.
    pub fn line(x_range: (f64, f64), n: u32) -> Self {
        Self {
            x_range,
            y_range: (0.0, 0.0),
            nx: n,
            ny: 1,
        }
    }

    /// Number of grid points.
    pub fn points(&self) -> u64 {
        u64::from(self.nx) * u64::from(self.ny)
    }

    /// Size of a [`GridLayout::Vec4`] output buffer.
    pub fn bytes(&self) -> u64 {
        self.bytes_in(GridLayout::Vec4)
    }

    /// Size of the output buffer in `layout`.
    pub fn bytes_in(&self, layout: GridLayout) -> u64 {
        self.points() * layout.point_bytes()
    }

    /// x of column `j` in f64: `A + j·(B−A)/(nx−1)`, the CLI's definition.
    pub fn x(&self, j: u32) -> f64 {
        coordinate(self.x_range, self.nx, j)
    }

    /// y of row `i` in f64, like [`GridSpec::x`].
    pub fn y(&self, i: u32) -> f64 {
        coordinate(self.y_range, self.ny, i)
    }

    /// `(x0, y0, dx, dy)` in f32, as the kernel receives them.
    pub(super) fn steps_f32(&self) -> Result<[f32; 4], GpuError> {
        if self.nx == 0 || self.ny == 0 {
            return Err(GpuError::InvalidGrid(format!(
                "the resolution must be at least 1 in each direction (got {} × {})",
                self.nx, self.ny
            )));
        }
        let step = |(a, b): (f64, f64), n: u32| {
            if n > 1 {
                (b - a) / f64::from(n - 1)
            } else {
                0.0
            }
        };
        let values = [
            self.x_range.0 as f32,
            self.y_range.0 as f32,
            step(self.x_range, self.nx) as f32,
            step(self.y_range, self.ny) as f32,
        ];
        let ends_finite = [self.x_range.1, self.y_range.1]
            .iter()
            .all(|end| (*end as f32).is_finite());
        if values.iter().all(|v| v.is_finite()) && ends_finite {
            Ok(values)
        } else {
            Err(GpuError::InvalidGrid(format!(
                "the ranges x {:?}, y {:?} must be finite in f32",
                self.x_range, self.y_range
            )))
        }
    }
}

fn coordinate((a, b): (f64, f64), n: u32, k: u32) -> f64 {
    if n > 1 {
        a + f64::from(k) * (b - a) / f64::from(n - 1)
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_specs_are_errors() {
        let zero = GridSpec::square((0.0, 1.0), (0.0, 1.0), 0);
        assert!(matches!(zero.steps_f32(), Err(GpuError::InvalidGrid(_))));
        let infinite = GridSpec::line((0.0, f64::INFINITY), 10);
        assert!(matches!(
            infinite.steps_f32(),
            Err(GpuError::InvalidGrid(_))
        ));
        let huge = GridSpec::line((0.0, 1e300), 10);
        assert!(matches!(huge.steps_f32(), Err(GpuError::InvalidGrid(_))));
        // One point: the step is zero, not a division by zero.
        let single = GridSpec::line((2.0, 5.0), 1);
        assert_eq!(single.steps_f32().unwrap(), [2.0, 0.0, 0.0, 0.0]);
        assert_eq!(single.x(0), 2.0);
    }
}
