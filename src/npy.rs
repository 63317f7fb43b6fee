//! A streaming writer for NumPy's `.npy` format (version 1.0, little-endian float32), so that
//! grids of any size go to disk row by row without being held in memory whole.

use std::io::{self, Write};

/// Writes the header for a C-ordered float32 array of `shape`; the caller then writes exactly
/// `shape.iter().product()` values with [`write_f32s`].
pub fn write_header(out: &mut impl Write, shape: &[usize]) -> io::Result<()> {
    let dims = match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {dims}, }}");
    // Magic (6) + version (2) + length (2) + dict + '\n' must be a multiple of 64.
    let unpadded = 10 + dict.len() + 1;
    dict.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    dict.push('\n');
    let len = u16::try_from(dict.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "npy header too long"))?;
    out.write_all(b"\x93NUMPY\x01\x00")?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(dict.as_bytes())
}

/// Writes `values` little-endian; on a little-endian machine straight from memory, without
/// building a copy.
pub fn write_f32s(out: &mut impl Write, values: &[f32]) -> io::Result<()> {
    if cfg!(target_endian = "little") {
        return out.write_all(bytemuck::cast_slice(values));
    }
    let mut bytes = Vec::with_capacity(values.len() * 4);
    for v in values {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    out.write_all(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_padded_to_64_bytes_and_describes_the_array() {
        let mut buf = Vec::new();
        write_header(&mut buf, &[3, 3, 3]).unwrap();
        assert_eq!(buf.len() % 64, 0);
        assert_eq!(&buf[..8], b"\x93NUMPY\x01\x00");
        let len = u16::from_le_bytes([buf[8], buf[9]]) as usize;
        assert_eq!(len + 10, buf.len());
        let text = std::str::from_utf8(&buf[10..]).unwrap();
        assert!(text.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3, 3), }"));
        assert!(text.ends_with('\n'));
        let mut one = Vec::new();
        write_header(&mut one, &[5]).unwrap();
        assert!(
            std::str::from_utf8(&one[10..])
                .unwrap()
                .contains("'shape': (5,)")
        );
    }

    #[test]
    fn values_are_little_endian_float32() {
        let mut buf = Vec::new();
        write_f32s(&mut buf, &[1.0, f32::NAN]).unwrap();
        assert_eq!(&buf[..4], &1.0f32.to_le_bytes());
        assert!(f32::from_le_bytes([buf[4], buf[5], buf[6], buf[7]]).is_nan());
    }
}
