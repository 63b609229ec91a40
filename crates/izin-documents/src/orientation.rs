//! Turning a decoded image upright (its EXIF orientation) without a second pixel buffer.
//!
//! Phones store most portrait photos sideways with orientation 6 ("rotate 90°"). The `image`
//! crate rotates by 90° into a new buffer, which doubles the memory of the largest photos
//! while both exist; here the pixels are transposed in place by following the cycles of the
//! permutation, with one bit of bookkeeping per pixel, and flipped in place.

use image::metadata::Orientation;
use image::{DynamicImage, ImageBuffer, Pixel};

/// Bytes of bookkeeping [`apply_in_place`] needs for an image of `pixels` pixels.
pub(crate) fn bookkeeping_bytes(orientation: Orientation, pixels: u64) -> u64 {
    if swaps_axes(orientation) {
        pixels.div_ceil(64) * 8
    } else {
        0
    }
}

/// Whether the orientation turns the image by a quarter, so width and height trade places.
pub(crate) fn swaps_axes(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Applies `orientation` as [`DynamicImage::apply_orientation`] does, with the same result.
pub(crate) fn apply_in_place(image: &mut DynamicImage, orientation: Orientation) {
    if !swaps_axes(orientation) {
        // The crate does these in place already.
        image.apply_orientation(orientation);
        return;
    }
    transpose(image);
    // Transposing is "rotate 90° then flip horizontally"; each quarter turn is a transpose and
    // a flip (which the crate does in place).
    let rest = match orientation {
        Orientation::Rotate90 => Orientation::FlipHorizontal,
        Orientation::Rotate270 => Orientation::FlipVertical,
        Orientation::Rotate270FlipH => Orientation::Rotate180,
        _ => Orientation::NoTransforms,
    };
    image.apply_orientation(rest);
}

fn transpose(image: &mut DynamicImage) {
    macro_rules! transposed {
        ($buffer:expr, $variant:path) => {{
            let (width, height) = $buffer.dimensions();
            let channels = channels_of(&*$buffer);
            let mut raw = std::mem::take($buffer).into_raw();
            transpose_raw(&mut raw, width, height, channels);
            // Always some: the buffer keeps its length.
            if let Some(buffer) = ImageBuffer::from_raw(height, width, raw) {
                *image = $variant(buffer);
            }
        }};
    }
    match image {
        DynamicImage::ImageLuma8(buffer) => transposed!(buffer, DynamicImage::ImageLuma8),
        DynamicImage::ImageLumaA8(buffer) => transposed!(buffer, DynamicImage::ImageLumaA8),
        DynamicImage::ImageRgb8(buffer) => transposed!(buffer, DynamicImage::ImageRgb8),
        DynamicImage::ImageRgba8(buffer) => transposed!(buffer, DynamicImage::ImageRgba8),
        DynamicImage::ImageLuma16(buffer) => transposed!(buffer, DynamicImage::ImageLuma16),
        DynamicImage::ImageLumaA16(buffer) => transposed!(buffer, DynamicImage::ImageLumaA16),
        DynamicImage::ImageRgb16(buffer) => transposed!(buffer, DynamicImage::ImageRgb16),
        DynamicImage::ImageRgba16(buffer) => transposed!(buffer, DynamicImage::ImageRgba16),
        DynamicImage::ImageRgb32F(buffer) => transposed!(buffer, DynamicImage::ImageRgb32F),
        DynamicImage::ImageRgba32F(buffer) => transposed!(buffer, DynamicImage::ImageRgba32F),
        // A layout this code does not know (the enum is non-exhaustive): the crate's way.
        other => *other = other.rotate90().fliph(),
    }
}

fn channels_of<P: Pixel>(_: &ImageBuffer<P, Vec<P::Subpixel>>) -> usize {
    usize::from(P::CHANNEL_COUNT)
}

/// Transposes a `width`×`height` row-major matrix of pixels (`channels` values each) in place:
/// the pixel at (x, y) moves to (y, x) of the `height`×`width` result.
fn transpose_raw<T: Copy>(data: &mut [T], width: u32, height: u32, channels: usize) {
    let (width, height) = (width as usize, height as usize);
    let pixels = width * height;
    debug_assert_eq!(data.len(), pixels * channels);
    if width <= 1 || height <= 1 {
        return; // A single row or column reads the same either way.
    }
    // Index i = y·width + x goes to x·height + y, which is i·height mod (pixels − 1); the
    // first and last pixels stay.
    let last = pixels - 1;
    let destination =
        |index: usize| -> usize { ((index as u128 * height as u128) % last as u128) as usize };
    let mut moved = vec![0u64; pixels.div_ceil(64)];
    let is_moved = |moved: &[u64], index: usize| moved[index / 64] & (1 << (index % 64)) != 0;
    for start in 1..last {
        if is_moved(&moved, start) {
            continue;
        }
        // Carry the pixel at `start` round its cycle, swapping it into each destination.
        let mut index = start;
        loop {
            let next = destination(index);
            moved[next / 64] |= 1 << (next % 64);
            if next == start {
                break;
            }
            for channel in 0..channels {
                data.swap(start * channels + channel, next * channels + channel);
            }
            index = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, ImageBuffer, Rgb, Rgb32FImage, RgbImage, Rgba};

    const ALL: [Orientation; 8] = [
        Orientation::NoTransforms,
        Orientation::Rotate90,
        Orientation::Rotate180,
        Orientation::Rotate270,
        Orientation::FlipHorizontal,
        Orientation::FlipVertical,
        Orientation::Rotate90FlipH,
        Orientation::Rotate270FlipH,
    ];

    fn samples() -> Vec<DynamicImage> {
        let mut images = Vec::new();
        for (width, height) in [
            (1, 1),
            (1, 7),
            (7, 1),
            (2, 3),
            (3, 2),
            (5, 5),
            (13, 8),
            (8, 13),
        ] {
            images.push(DynamicImage::ImageRgb8(RgbImage::from_fn(
                width,
                height,
                |x, y| Rgb([x as u8, y as u8, (x * 31 + y * 7) as u8]),
            )));
            images.push(DynamicImage::ImageLuma8(GrayImage::from_fn(
                width,
                height,
                |x, y| image::Luma([(x * 16 + y) as u8]),
            )));
            images.push(DynamicImage::ImageRgba16(ImageBuffer::from_fn(
                width,
                height,
                |x, y| Rgba([x as u16 * 1000, y as u16 * 1000, 7, 65535]),
            )));
            images.push(DynamicImage::ImageRgb32F(Rgb32FImage::from_fn(
                width,
                height,
                |x, y| Rgb([x as f32, y as f32, 0.5]),
            )));
        }
        images
    }

    #[test]
    fn in_place_equals_the_crates_orientation_for_every_case() {
        for original in samples() {
            for orientation in ALL {
                let mut expected = original.clone();
                expected.apply_orientation(orientation);
                let mut actual = original.clone();
                apply_in_place(&mut actual, orientation);
                assert_eq!(
                    actual,
                    expected,
                    "{orientation:?} on {}×{} {:?}",
                    original.width(),
                    original.height(),
                    original.color()
                );
            }
        }
    }

    #[test]
    fn a_large_transpose_keeps_every_pixel() {
        let (width, height) = (257u32, 1000u32);
        let mut data: Vec<u32> = (0..width * height).collect();
        transpose_raw(&mut data, width, height, 1);
        for y in 0..height {
            for x in 0..width {
                assert_eq!(data[(x * height + y) as usize], y * width + x);
            }
        }
    }
}
