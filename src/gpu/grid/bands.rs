//! Splitting a grid into row bands that each fit one storage binding and one dispatch, from
//! the device's limits (a plain struct, so planning is testable without a device).

use super::super::error::GpuError;
use super::spec::{GridLayout, GridSpec, POINT_BYTES};

/// Invocations per workgroup along x; keep in sync with `@workgroup_size` in shaders/grid.wgsl.
pub(super) const WORKGROUP_SIZE_X: u64 = 256;

/// Rows each invocation evaluates; keep in sync with `GS_ROWS_PER_INVOCATION` in
/// shaders/grid.wgsl.
const ROWS_PER_INVOCATION: u32 = 16;

/// A run of whole rows that one storage binding covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    /// First grid row of the band.
    pub row0: u32,
    /// Number of rows.
    pub rows: u32,
}

impl Band {
    /// Byte offset of the band in the output buffer, given the points per row.
    pub fn byte_offset(&self, nx: u32, layout: GridLayout) -> u64 {
        u64::from(self.row0) * u64::from(nx) * layout.point_bytes()
    }

    /// Byte size of the band, given the points per row.
    pub fn byte_size(&self, nx: u32, layout: GridLayout) -> u64 {
        u64::from(self.rows) * u64::from(nx) * layout.point_bytes()
    }
}

/// The device limits band planning depends on (a plain struct so planning is testable
/// without a device).
#[derive(Clone, Copy, Debug)]
pub(super) struct BandLimits {
    pub(super) max_buffer_size: u64,
    pub(super) max_binding_bytes: u64,
    pub(super) offset_alignment: u64,
    /// Rows one dispatch covers at most (max_compute_workgroups_per_dimension).
    pub(super) max_rows: u64,
}

/// Splits the grid into row bands that each fit one storage binding, with every band's byte
/// offset a multiple of the storage offset alignment.
pub(super) fn plan_bands(
    spec: &GridSpec,
    limits: BandLimits,
    layout: GridLayout,
) -> Result<Vec<Band>, GpuError> {
    let total = spec.bytes_in(layout);
    if total > limits.max_buffer_size {
        return Err(GpuError::TooLarge {
            what: "the grid",
            bytes: total,
            limit: limits.max_buffer_size,
            limit_name: "max_buffer_size",
        });
    }
    // Keeps every element index the kernel computes inside u32.
    let binding_limit = limits
        .max_binding_bytes
        .min((u64::from(u32::MAX) / 2) * layout.element_bytes());
    if total <= binding_limit && u64::from(spec.ny) <= limits.max_rows {
        return Ok(vec![Band {
            row0: 0,
            rows: spec.ny,
        }]);
    }
    let row_bytes = u64::from(spec.nx) * layout.point_bytes();
    let alignment = limits.offset_alignment.max(1);
    // The smallest number of rows whose byte size is a multiple of the alignment.
    let granule_rows = alignment / gcd(row_bytes, alignment);
    let rows_per_band =
        (binding_limit / row_bytes).min(limits.max_rows.max(1)) / granule_rows * granule_rows;
    if rows_per_band == 0 {
        return Err(GpuError::TooLarge {
            what: "one aligned band of rows",
            bytes: granule_rows * row_bytes,
            limit: binding_limit,
            limit_name: "max_storage_buffer_binding_size",
        });
    }
    // rows_per_band <= ny here because the whole grid did not fit in one binding.
    let rows_per_band = u32::try_from(rows_per_band).unwrap_or(u32::MAX);
    let bands = (0..spec.ny)
        .step_by(rows_per_band as usize)
        .map(|row0| Band {
            row0,
            rows: rows_per_band.min(spec.ny - row0),
        })
        .collect();
    Ok(bands)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Workgroup counts `(x, y)` for one band: groups of 256 columns along x, a run of
/// [`ROWS_PER_INVOCATION`] rows per workgroup along y (the kernel maps them straight to
/// (column, rows), without a division).
pub(super) fn dispatch_size(
    nx: u32,
    rows: u32,
    max_per_dimension: u32,
) -> Result<(u32, u32), GpuError> {
    let groups_x = u64::from(nx).div_ceil(WORKGROUP_SIZE_X).max(1);
    let max = u64::from(max_per_dimension.max(1));
    let groups_y = rows.div_ceil(ROWS_PER_INVOCATION).max(1);
    if groups_x > max || u64::from(rows) > max {
        return Err(GpuError::TooLarge {
            what: "one band's dispatch",
            bytes: u64::from(nx) * u64::from(rows) * POINT_BYTES,
            limit: max * WORKGROUP_SIZE_X * max * POINT_BYTES,
            limit_name: "max_compute_workgroups_per_dimension (256 columns × rows)",
        });
    }
    // Both are <= max_per_dimension, a u32.
    Ok((groups_x as u32, groups_y))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAVAPIPE: BandLimits = BandLimits {
        max_buffer_size: (1 << 31) - 1,
        max_binding_bytes: 128 << 20,
        offset_alignment: 256,
        max_rows: 65535,
    };

    #[test]
    fn band_plan_for_4096_squared_on_lavapipe_limits_is_two_bands() {
        let spec = GridSpec::square((0.0, 1.0), (0.0, 1.0), 4096);
        let bands = plan_bands(&spec, LAVAPIPE, GridLayout::Vec4).unwrap();
        assert_eq!(
            bands,
            [
                Band {
                    row0: 0,
                    rows: 2048
                },
                Band {
                    row0: 2048,
                    rows: 2048
                }
            ]
        );
    }

    #[test]
    fn band_plan_aligns_offsets_and_covers_every_row() {
        for (nx, ny, cap) in [
            (300, 300, 64 << 10),
            (4097, 4097, 128 << 20),
            (1, 5000, 1024),
            // Packed rows of 84 bytes align every 64 rows (5376 bytes), vec4 ones every 16.
            (7, 1000, 6000),
        ] {
            let spec = GridSpec {
                x_range: (0.0, 1.0),
                y_range: (0.0, 1.0),
                nx,
                ny,
            };
            let limits = BandLimits {
                max_binding_bytes: cap,
                ..LAVAPIPE
            };
            for layout in [GridLayout::Vec4, GridLayout::Packed] {
                let bands = plan_bands(&spec, limits, layout).unwrap();
                let mut next_row = 0;
                for band in &bands {
                    let at = format!("{nx}×{ny} {layout:?}: {band:?}");
                    assert_eq!(band.row0, next_row);
                    assert!(band.rows > 0);
                    assert_eq!(band.byte_offset(nx, layout) % 256, 0, "{at}");
                    assert!(band.byte_size(nx, layout) <= cap, "{at}");
                    next_row += band.rows;
                }
                assert_eq!(next_row, ny);
            }
        }
    }

    #[test]
    fn band_plan_keeps_each_dispatch_within_the_row_limit() {
        // A tall, narrow grid fits one binding but not one dispatch (rows ≤ 65535).
        let spec = GridSpec {
            x_range: (0.0, 1.0),
            y_range: (0.0, 1.0),
            nx: 2,
            ny: 100_000,
        };
        let bands = plan_bands(&spec, LAVAPIPE, GridLayout::Vec4).unwrap();
        assert!(
            bands.len() >= 2 && bands.iter().all(|b| b.rows <= 65535),
            "{bands:?}"
        );
        assert_eq!(bands.iter().map(|b| b.rows).sum::<u32>(), 100_000);
    }

    #[test]
    fn band_plan_refuses_a_row_wider_than_a_binding() {
        let spec = GridSpec::square((0.0, 1.0), (0.0, 1.0), 1000); // 16000 B per row
        let limits = BandLimits {
            max_binding_bytes: 10_000,
            ..LAVAPIPE
        };
        let error = plan_bands(&spec, limits, GridLayout::Vec4).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("max_storage_buffer_binding_size"),
            "{error}"
        );
    }

    #[test]
    fn dispatch_respects_the_per_dimension_limit() {
        assert_eq!(dispatch_size(1, 1, 65535).unwrap(), (1, 1));
        // 2046 rows in runs of 16: 128 workgroups, the last one 14 rows.
        assert_eq!(dispatch_size(4097, 2046, 65535).unwrap(), (17, 128));
        assert_eq!(dispatch_size(4097, 16, 65535).unwrap(), (17, 1));
        assert_eq!(dispatch_size(4097, 17, 65535).unwrap(), (17, 2));
        let widest = (WORKGROUP_SIZE_X * 65535) as u32;
        assert_eq!(dispatch_size(widest, 1, 65535).unwrap(), (65535, 1));
        assert!(dispatch_size(widest + 1, 1, 65535).is_err());
        assert!(dispatch_size(10, 65536, 65535).is_err());
    }
}
