//! Pixel comparisons shared by the test binaries that look at images (`gpu`, `ui`): how many
//! pixels two renders disagree on, and the frames a GIF holds.

/// Share of pixels whose largest channel difference exceeds `channel_tolerance` (of 255).
pub fn differing_share(a: &image::RgbaImage, b: &image::RgbaImage, channel_tolerance: u8) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| {
            p.0.iter()
                .zip(q.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > channel_tolerance)
        })
        .count();
    differing as f64 / f64::from(a.width() * a.height())
}

/// Every frame of the GIF at `path`, decoded.
pub fn gif_frames(path: &std::path::Path) -> Vec<image::Frame> {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let decoder = image::codecs::gif::GifDecoder::new(file).unwrap();
    image::AnimationDecoder::into_frames(decoder)
        .collect_frames()
        .unwrap()
}
