//! Animations of a descent: which step each frame shows, and the frames written as a looping
//! GIF. Shared by `gradscape render --out X.gif` and the app's GIF export.

use std::path::Path;

/// Milliseconds each GIF frame shows.
pub const GIF_FRAME_MS: u32 = 80;

/// Pixels an animation may have over all its frames (e.g. 1000 frames of 1024×1024): beyond
/// it the encoding alone takes hours.
pub const MAX_ANIMATION_PIXELS: u64 = 1 << 30;

/// Runs one command draws at most: each gets its own colour and is recomputed per frame.
pub const MAX_RUNS: usize = 16;

/// The step frame `k` of `frames` shows when the longest run has `rows` rows: evenly spread,
/// the first frame at step 0 and the last at the final row.
pub fn frame_step(k: usize, frames: usize, rows: usize) -> usize {
    let last = rows.saturating_sub(1);
    if frames > 1 {
        (k * last + (frames - 1) / 2) / (frames - 1)
    } else {
        last
    }
}

/// Why a GIF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum GifError {
    /// The file could not be created (a bad path: the user's to fix).
    #[error("cannot create {path}: {message}")]
    Create { path: String, message: String },
    #[error("writing {path}: {message}")]
    Encode { path: String, message: String },
}

/// A looping GIF written frame by frame as the frames are drawn, so an animation never holds
/// more than one frame in memory.
pub struct GifStream {
    encoder: image::codecs::gif::GifEncoder<std::io::BufWriter<std::fs::File>>,
    path: String,
}

impl GifStream {
    /// Creates (or replaces) the file at `path`.
    pub fn create(path: &Path) -> Result<Self, GifError> {
        let file = std::fs::File::create(path).map_err(|e| GifError::Create {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::into_file(file, path)
    }

    /// Into an open `file` (`path` names it in errors).
    pub fn into_file(file: std::fs::File, path: &Path) -> Result<Self, GifError> {
        use image::codecs::gif::{GifEncoder, Repeat};
        let mut stream = Self {
            encoder: GifEncoder::new_with_speed(std::io::BufWriter::new(file), 10),
            path: path.display().to_string(),
        };
        stream
            .encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| stream.error(e))?;
        Ok(stream)
    }

    /// Appends one frame, shown for `GIF_FRAME_MS`.
    pub fn push(&mut self, image: image::RgbaImage) -> Result<(), GifError> {
        let delay = image::Delay::from_numer_denom_ms(GIF_FRAME_MS, 1);
        self.encoder
            .encode_frame(image::Frame::from_parts(image, 0, 0, delay))
            .map_err(|e| self.error(e))
    }

    fn error(&self, e: image::ImageError) -> GifError {
        GifError::Encode {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }
}

/// Writes `images` as a GIF that loops forever, `GIF_FRAME_MS` per frame, to `path` (created,
/// or replaced).
pub fn write_gif(path: &Path, images: Vec<image::RgbaImage>) -> Result<(), GifError> {
    let mut stream = GifStream::create(path)?;
    images.into_iter().try_for_each(|image| stream.push(image))
}

/// Like [`write_gif`], into an open `file` (`path` names it in errors).
pub fn write_gif_to(
    file: std::fs::File,
    path: &Path,
    images: Vec<image::RgbaImage>,
) -> Result<(), GifError> {
    let mut stream = GifStream::into_file(file, path)?;
    images.into_iter().try_for_each(|image| stream.push(image))
}

#[cfg(test)]
mod tests {
    use super::frame_step;

    #[test]
    fn frames_spread_from_the_first_row_to_the_last() {
        let steps: Vec<usize> = (0..5).map(|k| frame_step(k, 5, 101)).collect();
        assert_eq!(steps, vec![0, 25, 50, 75, 100]);
        assert_eq!(frame_step(0, 1, 7), 6);
        assert_eq!(frame_step(3, 4, 0), 0);
    }
}
