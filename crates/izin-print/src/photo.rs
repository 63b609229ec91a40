//! The holder's photo: checking it, embedding it without its metadata, and fitting it (or a
//! placeholder) into the photo box.

use krilla::image::Image;

use crate::draw::Op;
use crate::fonts::Weight;
use crate::text::{self, Rgb, Style};
use crate::{Photo, PhotoFormat, RenderError};

const BOX_LINE: Rgb = Rgb(120, 120, 120);
const PLACEHOLDER_TEXT: Rgb = Rgb(110, 110, 110);

/// A photo ready to embed.
pub(crate) struct Prepared {
    image: Image,
    width: u32,
    height: u32,
}

pub(crate) fn prepare(photo: &Photo) -> Result<Prepared, RenderError> {
    let image = match photo.format {
        PhotoFormat::Jpeg => {
            let bytes = strip_jpeg_metadata(&photo.bytes)?;
            Image::from_jpeg(bytes.into(), false)
        }
        // krilla decodes a PNG and writes its pixels anew, so no PNG chunk reaches the PDF.
        PhotoFormat::Png => Image::from_png(photo.bytes.clone().into(), false),
    }
    .map_err(RenderError::Photo)?;
    let (width, height) = image.size();
    if width == 0 || height == 0 {
        return Err(RenderError::Photo("the image has no pixels".into()));
    }
    Ok(Prepared {
        image,
        width,
        height,
    })
}

/// Draws the photo scaled to fit the box, centred (never cropped or stretched, so the face is
/// shown as the applicant gave it), or a labelled placeholder when there is none.
pub(crate) fn ops(
    photo: Option<&Prepared>,
    (x, y, w, h): crate::draw::Area,
    placeholder_size: f32,
) -> Result<Vec<Op>, RenderError> {
    let mut ops = Vec::new();
    match photo {
        Some(p) => {
            let scale = (w / p.width as f32).min(h / p.height as f32);
            let (iw, ih) = (p.width as f32 * scale, p.height as f32 * scale);
            ops.push(Op::Image {
                rect: (x + (w - iw) / 2.0, y + (h - ih) / 2.0, iw, ih),
                image: p.image.clone(),
            });
        }
        None => {
            let style = Style::new(Weight::Regular, placeholder_size, PLACEHOLDER_TEXT);
            let block = text::wrap("Fotoğraf / Photo", style, w - 4.0)?;
            let top = y + (h - block.height()) / 2.0;
            ops.push(Op::Text {
                block,
                x,
                top,
                width: w,
                centred: true,
            });
        }
    }
    ops.push(Op::StrokeRect {
        rect: (x, y, w, h),
        color: BOX_LINE,
        width: 0.5,
    });
    Ok(ops)
}

/// Drops the segments that carry metadata (APP1: Exif and XMP, APP13: IPTC, COM: comments)
/// from a JPEG, keeping everything that affects how it looks (APP0, the ICC profile in
/// APP2, APP14's colour transform). The JPEG is embedded byte for byte, so this keeps a
/// phone's location and camera data out of the document, and keeps the photo from carrying
/// an XMP packet that could be mistaken for the document's own.
pub(crate) fn strip_jpeg_metadata(jpeg: &[u8]) -> Result<Vec<u8>, RenderError> {
    let bad = |why: &str| RenderError::Photo(format!("not a readable JPEG: {why}"));
    if jpeg.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err(bad("no start-of-image marker"));
    }
    let mut out = Vec::with_capacity(jpeg.len());
    out.extend_from_slice(&jpeg[..2]);
    let mut pos = 2;
    loop {
        if jpeg.get(pos) != Some(&0xFF) {
            return Err(bad("a segment does not start with a marker"));
        }
        // Any number of 0xFF may pad a marker.
        while jpeg.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *jpeg
            .get(pos + 1)
            .ok_or_else(|| bad("it ends inside a marker"))?;
        match marker {
            0xD9 => return Err(bad("it ends before any image data")),
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                pos += 2;
                continue;
            }
            _ => {}
        }
        let length = match jpeg.get(pos + 2..pos + 4) {
            Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(bad("it ends inside a segment header")),
        };
        if length < 2 {
            return Err(bad("a segment has an impossible length"));
        }
        let end = pos + 2 + length;
        let segment = jpeg
            .get(pos..end)
            .ok_or_else(|| bad("a segment runs past the end"))?;
        if marker == 0xDA {
            // Start of scan: entropy-coded data follows, up to the end of the file.
            out.extend_from_slice(&jpeg[pos..]);
            return Ok(out);
        }
        if !matches!(marker, 0xE1 | 0xED | 0xFE) {
            out.extend_from_slice(segment);
        }
        pos = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(body);
        s
    }

    #[test]
    fn metadata_segments_are_dropped_and_the_rest_kept() {
        let app0 = segment(0xE0, b"JFIF\0\x01\x01");
        let exif = segment(0xE1, b"Exif\0\0GPS here");
        let xmp = segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>");
        let icc = segment(0xE2, b"ICC_PROFILE\0");
        let comment = segment(0xFE, b"a comment");
        let sos_and_data = [0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 0xFF, 0xE1, 0xFF, 0xD9];
        let mut jpeg = vec![0xFF, 0xD8];
        for part in [&app0, &exif, &xmp, &icc, &comment] {
            jpeg.extend_from_slice(part);
        }
        jpeg.extend_from_slice(&sos_and_data);

        let stripped = strip_jpeg_metadata(&jpeg).unwrap();
        let mut expected = vec![0xFF, 0xD8];
        expected.extend_from_slice(&app0);
        expected.extend_from_slice(&icc);
        expected.extend_from_slice(&sos_and_data);
        assert_eq!(stripped, expected);
    }

    #[test]
    fn truncated_or_foreign_bytes_are_errors() {
        for bytes in [
            &b""[..],
            b"\x89PNG",
            b"\xFF\xD8",
            b"\xFF\xD8\xFF",
            b"\xFF\xD8\xFF\xE0\x00",
            b"\xFF\xD8\xFF\xE0\x00\x10abc",
            b"\xFF\xD8\xFF\xE0\x00\x01",
            b"\xFF\xD8\xFF\xD9",
            b"\xFF\xD8\x00",
        ] {
            assert!(strip_jpeg_metadata(bytes).is_err(), "{bytes:?}");
        }
    }
}
