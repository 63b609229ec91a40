//! Checking uploaded JPEG and PNG images and re-encoding them without metadata.
//!
//! Images are decoded anyway (to prove they are images and to strip EXIF, GPS, ICC and text
//! chunks by re-encoding), so the whole file is in memory; the dangers are decompression bombs,
//! whose header announces far more pixels than the file's size suggests. What decoding will
//! take is worked out from the headers alone ([`plan_image_decode`]): the pixel buffer, the
//! JPEG decoder's coefficient buffers, the copies re-encoding makes. An image over the limits
//! is refused before any pixel buffer exists, and the decoder gets allocation limits as a
//! second guard.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::metadata::Orientation;
use image::{
    ColorType, DynamicImage, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader,
    Limits,
};

use crate::{FileType, orientation, sniff};

/// Quality of re-encoded JPEGs: visually lossless for photos and scans, still compact.
const JPEG_QUALITY: u8 = 90;

/// Most memory decoding one image may take, beyond the file itself: its pixels, the decoder's
/// working buffers and the copies re-encoding makes.
///
/// A 12-megapixel phone photo (4032×3024, 8-bit RGB, the usual camera output) decodes to
/// 36.6 MB and is turned upright in place, so it fits; the same image as 16-bit PNG or as
/// progressive JPEG needs twice as much and is refused, with a message naming the megapixels
/// that would fit. The upload service lets at most this much decode at once (see
/// `izin_app::documents`), which keeps 16 concurrent hostile images under the 64 MiB the
/// benchmark allows the server.
pub const MAX_DECODE_BYTES: u64 = 48 * 1024 * 1024;

/// Most pixels an image may have, whatever their depth: 24 megapixels is twice a phone photo
/// and more than an A4 page scanned at 400 dpi (15.5 megapixels).
pub const MAX_PIXELS: u64 = 24_000_000;

/// The decoder's own buffers that do not grow with the image (tables, one row or block row of
/// each component, zlib window), rounded up.
const DECODER_FIXED_BYTES: u64 = 1024 * 1024;

/// What an image must look like to be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRules {
    pub min_width: u32,
    pub min_height: u32,
    /// Height strictly greater than width, as biometric photos are.
    pub require_portrait: bool,
    /// Most pixels (width × height) an image may announce.
    pub max_pixels: u64,
    /// Longest side an image may have.
    pub max_dimension: u32,
    /// Most memory decoding may take (see [`DecodePlan::decode_bytes`]); bounds pixels by
    /// their depth, so a 16-bit image may have fewer than an 8-bit one.
    pub max_decode_bytes: u64,
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
            max_pixels: MAX_PIXELS,
            max_dimension: 10_000,
            max_decode_bytes: MAX_DECODE_BYTES,
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
    #[error(
        "the image is too large ({width}×{height} pixels; at most {max_pixels} pixels and \
         {max_dimension} a side for this kind of image)"
    )]
    TooLarge {
        width: u32,
        height: u32,
        /// The most pixels an image of this format and depth may have.
        max_pixels: u64,
        max_dimension: u32,
    },
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

/// What decoding an image will take, known from its headers before any pixel is decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodePlan {
    /// Width as stored (before the EXIF orientation is applied).
    pub width: u32,
    pub height: u32,
    /// Memory that grows with the pixels: the decoded pixels, the JPEG decoder's coefficient
    /// buffers when the file needs them (progressive or multi-scan), the copy re-encoding
    /// makes of pixels it cannot take as they are, the bookkeeping of turning the image
    /// upright, and the decoder's fixed buffers. Judged against [`ImageRules::max_decode_bytes`].
    pub decode_bytes: u64,
    /// Memory that grows with the file: the JPEG decoder's copy of it, the re-encoded output
    /// (about as large) and the encoder's buffers.
    pub file_bytes: u64,
}

impl DecodePlan {
    /// All the memory decoding and re-encoding are expected to take: what a caller bounding
    /// concurrent decodes reserves.
    pub fn memory_bytes(&self) -> u64 {
        self.decode_bytes.saturating_add(self.file_bytes)
    }
}

/// What the headers say, read without decoding pixels.
struct Header {
    file_type: FileType,
    format: ImageFormat,
    orientation: Orientation,
    plan: DecodePlan,
}

impl Header {
    fn pixels(&self) -> u64 {
        u64::from(self.plan.width) * u64::from(self.plan.height)
    }

    /// Size as displayed, after the orientation.
    fn displayed(&self) -> (u32, u32) {
        if orientation::swaps_axes(self.orientation) {
            (self.plan.height, self.plan.width)
        } else {
            (self.plan.width, self.plan.height)
        }
    }

    fn too_large(&self, rules: &ImageRules) -> ImageProblem {
        // Pixels of this kind (depth, layout) that fit the memory limit, by proportion.
        let growing = self
            .plan
            .decode_bytes
            .saturating_sub(DECODER_FIXED_BYTES)
            .max(1);
        let room = rules.max_decode_bytes.saturating_sub(DECODER_FIXED_BYTES);
        let fitting = u128::from(room) * u128::from(self.pixels()) / u128::from(growing);
        ImageProblem::TooLarge {
            width: self.plan.width,
            height: self.plan.height,
            max_pixels: rules
                .max_pixels
                .min(u64::try_from(fitting).unwrap_or(u64::MAX)),
            max_dimension: rules.max_dimension,
        }
    }
}

/// Reads an image's headers and says what decoding it will take, or why it is refused without
/// decoding (not an image, too large, too small, not portrait). Allocates nothing in
/// proportion to the announced size.
pub fn plan_image_decode(bytes: &[u8], rules: &ImageRules) -> Result<DecodePlan, ImageProblem> {
    Ok(checked_header(bytes, rules)?.plan)
}

/// Decodes a JPEG or PNG (recognised by content), checks it against `rules` and re-encodes it.
pub fn inspect_image(bytes: &[u8], rules: &ImageRules) -> Result<CleanImage, ImageProblem> {
    let header = checked_header(bytes, rules)?;

    // The JPEG decoder fills in missing data (it cannot be made strict) and the PNG decoder
    // stops once it has the pixels, so truncation is recognised by the file's structure.
    let complete = match header.file_type {
        FileType::Jpeg => jpeg_reaches_end_marker(bytes),
        _ => png_reaches_end_chunk(bytes),
    };
    if !complete {
        return Err(ImageProblem::Undecodable);
    }
    let image = decode(bytes, &header, rules)?;
    let (width, height) = (image.width(), image.height());
    if (width, height) != header.displayed() {
        return Err(ImageProblem::Undecodable);
    }

    let bytes = match header.file_type {
        FileType::Jpeg => encode_jpeg(&image),
        _ => encode_png(&image),
    }
    .map_err(|_| ImageProblem::Undecodable)?;
    Ok(CleanImage {
        file_type: header.file_type,
        width,
        height,
        bytes,
    })
}

fn checked_header(bytes: &[u8], rules: &ImageRules) -> Result<Header, ImageProblem> {
    let header = read_header(bytes)?;
    let (width, height) = (header.plan.width, header.plan.height);
    let pixels = header.pixels();
    if pixels > rules.max_pixels
        || width > rules.max_dimension
        || height > rules.max_dimension
        || header.plan.decode_bytes > rules.max_decode_bytes
    {
        return Err(header.too_large(rules));
    }
    if pixels == 0 {
        return Err(ImageProblem::Undecodable);
    }
    let (width, height) = header.displayed();
    check_shape(width, height, rules)?;
    Ok(header)
}

/// Metadata the header reader may allocate (ICC profiles, EXIF, text chunks); pixels are not
/// read.
const HEADER_ALLOC_BYTES: u64 = 16 * 1024 * 1024;

fn read_header(bytes: &[u8]) -> Result<Header, ImageProblem> {
    let (file_type, format) = match sniff(bytes) {
        Some(FileType::Jpeg) => (FileType::Jpeg, ImageFormat::Jpeg),
        Some(FileType::Png) => (FileType::Png, ImageFormat::Png),
        Some(FileType::Pdf) | None => return Err(ImageProblem::NotAnImage),
    };
    // No dimension limits here: a bomb's dimensions are what the refusal reports.
    let mut limits = Limits::no_limits();
    limits.max_alloc = Some(HEADER_ALLOC_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|_| ImageProblem::Undecodable)?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let color = decoder.color_type();
    let pixels = u64::from(width) * u64::from(height);
    let decoded = decoder.total_bytes();

    let coefficients = match file_type {
        // A JPEG whose layout cannot be read here still decodes in the crate: assume the worst,
        // four full-size components kept as coefficients.
        FileType::Jpeg => jpeg_layout(bytes).map_or(pixels.saturating_mul(8), |layout| {
            layout.coefficient_bytes(width, height)
        }),
        _ => 0,
    };
    let bytes_per_channel = u64::from(color.bytes_per_pixel()) / u64::from(color.channel_count());
    let conversion = match file_type {
        // `encode_jpeg` takes 8-bit gray and RGB as they are; anything else becomes RGB first.
        FileType::Jpeg if !matches!(color, ColorType::L8 | ColorType::Rgb8) => {
            pixels.saturating_mul(3)
        }
        // The PNG encoder copies 16-bit samples to put them in big-endian order.
        FileType::Png if bytes_per_channel > 1 => decoded,
        _ => 0,
    };
    let decode_bytes = decoded
        .saturating_add(coefficients)
        .saturating_add(conversion)
        .saturating_add(orientation::bookkeeping_bytes(orientation, pixels))
        .saturating_add(DECODER_FIXED_BYTES);
    // The JPEG decoder's copy of the file, then the encoder's output and working buffers,
    // measured at up to four times the output, which is about as large as the file.
    let file_bytes = 4 * bytes.len() as u64;
    Ok(Header {
        file_type,
        format,
        orientation,
        plan: DecodePlan {
            width,
            height,
            decode_bytes,
            file_bytes,
        },
    })
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
fn decode(bytes: &[u8], header: &Header, rules: &ImageRules) -> Result<DynamicImage, ImageProblem> {
    let too_large = |error: ImageError| match error {
        ImageError::Limits(_) => header.too_large(rules),
        _ => ImageProblem::Undecodable,
    };

    let mut limits = Limits::default();
    limits.max_image_width = Some(rules.max_dimension);
    limits.max_image_height = Some(rules.max_dimension);
    limits.max_alloc = Some(rules.max_decode_bytes);

    let mut reader = ImageReader::with_format(Cursor::new(bytes), header.format);
    reader.limits(limits.clone());
    let decoder = reader.into_decoder().map_err(too_large)?;
    // `into_decoder` checks dimensions only; reserve the output buffer as `decode()` would.
    limits.reserve(decoder.total_bytes()).map_err(too_large)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(too_large)?;
    orientation::apply_in_place(&mut image, header.orientation);
    Ok(image)
}

/// What the JPEG decoder needs to know to size its buffers: the frame's components and
/// whether all coefficients must be kept until the last scan.
#[derive(Debug, PartialEq, Eq)]
struct JpegLayout {
    progressive: bool,
    /// Horizontal and vertical sampling factors of each component.
    sampling: Vec<(u8, u8)>,
    components_in_first_scan: usize,
}

impl JpegLayout {
    /// Bytes of the coefficient buffers (16 bits per coefficient, 64 per 8×8 block, for every
    /// block of every component) a progressive or multi-scan JPEG is decoded through; a
    /// baseline JPEG with all components in one scan is decoded row by row without them.
    fn coefficient_bytes(&self, width: u32, height: u32) -> u64 {
        let whole_image = self.progressive || self.components_in_first_scan < self.sampling.len();
        if !whole_image {
            return 0;
        }
        let largest = |factor: fn(&(u8, u8)) -> u8| {
            u64::from(self.sampling.iter().map(factor).max().unwrap_or(1).max(1))
        };
        let (h_max, v_max) = if self.sampling.len() == 1 {
            (1, 1)
        } else {
            (largest(|s| s.0), largest(|s| s.1))
        };
        let mcus_across = u64::from(width).div_ceil(8 * h_max);
        let mcus_down = u64::from(height).div_ceil(8 * v_max);
        self.sampling
            .iter()
            .map(|&(h, v)| {
                let (h, v) = if self.sampling.len() == 1 {
                    (1, 1)
                } else {
                    (u64::from(h.max(1)), u64::from(v.max(1)))
                };
                mcus_across * h * mcus_down * v * 64 * 2
            })
            .sum()
    }
}

/// Reads a JPEG's frame header and first scan header.
fn jpeg_layout(bytes: &[u8]) -> Option<JpegLayout> {
    const MARKER_PREFIX: u8 = 0xFF;
    if !bytes.starts_with(&[MARKER_PREFIX, 0xD8]) {
        return None;
    }
    let mut frame: Option<(bool, Vec<(u8, u8)>)> = None;
    let mut at = 2;
    loop {
        if bytes.get(at) != Some(&MARKER_PREFIX) {
            return None;
        }
        while bytes.get(at) == Some(&MARKER_PREFIX) {
            at += 1;
        }
        let marker = *bytes.get(at)?;
        at += 1;
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            continue;
        }
        let length = bytes.get(at..at + 2)?;
        let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
        let segment = bytes.get(at + 2..at + length.max(2))?;
        match marker {
            // Start of frame, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let count = usize::from(*segment.get(5)?);
                let sampling = (0..count)
                    .map(|index| {
                        segment
                            .get(6 + 3 * index + 1)
                            .map(|factors| (factors >> 4, factors & 0x0F))
                    })
                    .collect::<Option<Vec<_>>>()?;
                let progressive = matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE);
                frame = Some((progressive, sampling));
            }
            0xDA => {
                let (progressive, sampling) = frame?;
                return Some(JpegLayout {
                    progressive,
                    sampling,
                    components_in_first_scan: usize::from(*segment.first()?),
                });
            }
            0xD9 => return None,
            _ => {}
        }
        at += length;
    }
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
        DynamicImage::ImageRgb8(rgb) => encoder.encode_image(rgb)?,
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
