//! Checking uploaded JPEG and PNG images and re-encoding them without metadata.
//!
//! Images are decoded anyway (to prove they are images and to strip EXIF, GPS, ICC and text
//! chunks by re-encoding), so the whole file is in memory; the dangers are decompression bombs,
//! whose header announces far more pixels than the file's size suggests. Dimensions are read
//! and judged before any pixel buffer exists, and the decoder gets allocation limits as a second
//! guard.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::metadata::Orientation;
use image::{
    DynamicImage, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader, Limits,
};

use crate::{FileType, sniff};

/// Quality of re-encoded JPEGs: visually lossless for photos and scans, still compact.
const JPEG_QUALITY: u8 = 90;

/// The most bytes one decoded pixel takes (RGBA, 16 bits per channel), for the allocation cap.
const MAX_BYTES_PER_PIXEL: u64 = 8;

/// What an image must look like to be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRules {
    pub min_width: u32,
    pub min_height: u32,
    /// Height strictly greater than width, as biometric photos are.
    pub require_portrait: bool,
    /// Most pixels (width × height) an image may announce; bounds the decoder's memory.
    pub max_pixels: u64,
    /// Longest side an image may have.
    pub max_dimension: u32,
}

impl ImageRules {
    /// The biometric photo: at least 400×480, portrait.
    pub fn photo() -> Self {
        Self {
            min_width: 400,
            min_height: 480,
            require_portrait: true,
            ..Self::document_scan()
        }
    }

    /// A scanned or photographed document: any orientation, any size above 1×1.
    pub fn document_scan() -> Self {
        Self {
            min_width: 1,
            min_height: 1,
            require_portrait: false,
            max_pixels: 40_000_000,
            max_dimension: 10_000,
        }
    }
}

/// An accepted image, re-encoded in its original format with no metadata left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CleanImage {
    pub file_type: FileType,
    /// Width as displayed (after applying the EXIF orientation, which re-encoding drops).
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Why an image was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    #[error("the file is not a JPEG or PNG image")]
    NotAnImage,
    #[error("the image cannot be decoded")]
    Undecodable,
    #[error("the image is too large ({width}×{height} pixels)")]
    TooLarge { width: u32, height: u32 },
    #[error("the image is {width}×{height} pixels; at least {min_width}×{min_height} are needed")]
    TooSmall {
        width: u32,
        height: u32,
        min_width: u32,
        min_height: u32,
    },
    #[error("the image is {width}×{height} pixels but must be portrait (taller than wide)")]
    NotPortrait { width: u32, height: u32 },
}

impl ImageProblem {
    /// A stable code for APIs, logs and translations.
    pub fn code(&self) -> &'static str {
        match self {
            ImageProblem::NotAnImage => "image-not-image",
            ImageProblem::Undecodable => "image-undecodable",
            ImageProblem::TooLarge { .. } => "image-too-large",
            ImageProblem::TooSmall { .. } => "image-too-small",
            ImageProblem::NotPortrait { .. } => "image-not-portrait",
        }
    }

    /// Every code [`ImageProblem::code`] returns, so that callers can check each has a
    /// message.
    pub const CODES: [&'static str; 5] = [
        "image-not-image",
        "image-undecodable",
        "image-too-large",
        "image-too-small",
        "image-not-portrait",
    ];
}

/// Decodes a JPEG or PNG (recognised by content), checks it against `rules` and re-encodes it.
pub fn inspect_image(bytes: &[u8], rules: &ImageRules) -> Result<CleanImage, ImageProblem> {
    let (file_type, format) = match sniff(bytes) {
        Some(FileType::Jpeg) => (FileType::Jpeg, ImageFormat::Jpeg),
        Some(FileType::Png) => (FileType::Png, ImageFormat::Png),
        Some(FileType::Pdf) | None => return Err(ImageProblem::NotAnImage),
    };

    // Reading the header allocates nothing in proportion to the announced size.
    let (stored_width, stored_height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| ImageProblem::Undecodable)?;
    check_not_too_large(stored_width, stored_height, rules)?;

    // The JPEG decoder fills in missing data (it cannot be made strict) and the PNG decoder
    // stops once it has the pixels, so truncation is recognised by the file's structure.
    let complete = match file_type {
        FileType::Jpeg => jpeg_reaches_end_marker(bytes),
        _ => png_reaches_end_chunk(bytes),
    };
    if !complete {
        return Err(ImageProblem::Undecodable);
    }
    let image = decode(bytes, format, rules, stored_width, stored_height)?;
    let (width, height) = (image.width(), image.height());
    check_shape(width, height, rules)?;

    let bytes = match file_type {
        FileType::Jpeg => encode_jpeg(&image),
        _ => encode_png(&image),
    }
    .map_err(|_| ImageProblem::Undecodable)?;
    Ok(CleanImage {
        file_type,
        width,
        height,
        bytes,
    })
}

fn check_not_too_large(width: u32, height: u32, rules: &ImageRules) -> Result<(), ImageProblem> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > rules.max_pixels || width > rules.max_dimension || height > rules.max_dimension {
        return Err(ImageProblem::TooLarge { width, height });
    }
    if pixels == 0 {
        return Err(ImageProblem::Undecodable);
    }
    Ok(())
}

fn check_shape(width: u32, height: u32, rules: &ImageRules) -> Result<(), ImageProblem> {
    if width < rules.min_width || height < rules.min_height {
        return Err(ImageProblem::TooSmall {
            width,
            height,
            min_width: rules.min_width,
            min_height: rules.min_height,
        });
    }
    if rules.require_portrait && height <= width {
        return Err(ImageProblem::NotPortrait { width, height });
    }
    Ok(())
}

/// Decodes the pixels and turns them upright: the EXIF orientation is about to be dropped with
/// the rest of the metadata, and a phone photo stored sideways must still be judged (and shown)
/// as the person took it.
fn decode(
    bytes: &[u8],
    format: ImageFormat,
    rules: &ImageRules,
    width: u32,
    height: u32,
) -> Result<DynamicImage, ImageProblem> {
    let too_large = |error: ImageError| match error {
        ImageError::Limits(_) => ImageProblem::TooLarge { width, height },
        _ => ImageProblem::Undecodable,
    };

    let mut limits = Limits::default();
    limits.max_image_width = Some(rules.max_dimension);
    limits.max_image_height = Some(rules.max_dimension);
    limits.max_alloc = Some(rules.max_pixels.saturating_mul(MAX_BYTES_PER_PIXEL));

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(too_large)?;
    // `into_decoder` checks dimensions only; reserve the output buffer as `decode()` would.
    limits.reserve(decoder.total_bytes()).map_err(too_large)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(too_large)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Walks a JPEG's segments and entropy-coded scans to its end-of-image marker. Segments are
/// skipped by their length, so an EXIF thumbnail's own end marker does not count; bytes after
/// the end marker (some cameras append data) are allowed.
fn jpeg_reaches_end_marker(bytes: &[u8]) -> bool {
    const MARKER_PREFIX: u8 = 0xFF;
    const END_OF_IMAGE: u8 = 0xD9;
    const START_OF_SCAN: u8 = 0xDA;
    let is_restart = |marker: u8| (0xD0..=0xD7).contains(&marker);

    if !bytes.starts_with(&[MARKER_PREFIX, 0xD8]) {
        return false;
    }
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&MARKER_PREFIX) {
            return false;
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while bytes.get(at) == Some(&MARKER_PREFIX) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return false;
        };
        at += 1;
        if marker == END_OF_IMAGE {
            return true;
        }
        // Restart markers and TEM stand alone; every other marker heads a sized segment.
        if is_restart(marker) || marker == 0x01 {
            continue;
        }
        let Some(length) = bytes.get(at..at + 2) else {
            return false;
        };
        let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
        if length < 2 {
            return false;
        }
        at += length;
        if marker == START_OF_SCAN {
            // Entropy-coded data: 0xFF appears only stuffed (FF 00) or as a restart marker
            // until the next real marker.
            loop {
                let Some(offset) = bytes
                    .get(at..)
                    .and_then(|rest| rest.iter().position(|byte| *byte == MARKER_PREFIX))
                else {
                    return false;
                };
                at += offset;
                match bytes.get(at + 1) {
                    None => return false,
                    Some(&next) if next == 0x00 || is_restart(next) => at += 2,
                    Some(_) => break,
                }
            }
        }
    }
}

/// Walks a PNG's chunks (length, type, data, CRC) to `IEND`.
fn png_reaches_end_chunk(bytes: &[u8]) -> bool {
    const SIGNATURE_LEN: usize = 8;
    // Length and type before the data, CRC after it.
    const CHUNK_OVERHEAD: usize = 12;
    let mut at = SIGNATURE_LEN;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let Some(end) = at
            .checked_add(CHUNK_OVERHEAD)
            .and_then(|end| end.checked_add(length))
        else {
            return false;
        };
        if end > bytes.len() {
            return false;
        }
        if &header[4..] == b"IEND" {
            return true;
        }
        at = end;
    }
    false
}

/// Re-encoding writes only pixels: no EXIF (GPS, camera, orientation), no ICC, no comments.
fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
    match image {
        DynamicImage::ImageLuma8(gray) => encoder.encode_image(gray)?,
        other => encoder.encode_image(&other.to_rgb8())?,
    }
    Ok(out)
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out).write_image(
        image.as_bytes(),
        image.width(),
        image.height(),
        image.color().into(),
    )?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_structure_walk() {
        let minimal = [
            &[0xFF, 0xD8][..],                           // SOI
            &[0xFF, 0xE0, 0x00, 0x04, 1, 2],             // APP0, 2 bytes of payload
            &[0xFF, 0xDA, 0x00, 0x02],                   // SOS, empty header
            &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD3, 0x56], // data, stuffed FF, restart
            &[0xFF, 0xFF, 0xD9],                         // fill byte, EOI
            b"trailing camera data",
        ]
        .concat();
        assert!(jpeg_reaches_end_marker(&minimal));
        let end = minimal.len() - b"trailing camera data".len();
        for cut in 0..end {
            assert!(!jpeg_reaches_end_marker(&minimal[..cut]), "cut at {cut}");
        }
        // An end marker inside a segment (a thumbnail) does not end the image.
        let thumbnail = [
            &[0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0xFF, 0xD9][..],
            &[0xFF, 0xDA, 0x00, 0x02, 0x00],
        ]
        .concat();
        assert!(!jpeg_reaches_end_marker(&thumbnail));
    }

    #[test]
    fn png_chunk_walk() {
        let chunk = |kind: &[u8], data: &[u8]| {
            [&(data.len() as u32).to_be_bytes()[..], kind, data, &[0; 4]].concat()
        };
        let png = [
            &b"\x89PNG\r\n\x1a\n"[..],
            &chunk(b"IHDR", &[0; 13]),
            &chunk(b"IDAT", b"data"),
            &chunk(b"IEND", b""),
        ]
        .concat();
        assert!(png_reaches_end_chunk(&png));
        for cut in 0..png.len() {
            assert!(!png_reaches_end_chunk(&png[..cut]), "cut at {cut}");
        }
        let huge_length = [&png[..8], &[0xFF; 8][..]].concat();
        assert!(!png_reaches_end_chunk(&huge_length));
    }
}
