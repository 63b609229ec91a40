//! Izin's upload checks: what an uploaded file is and whether it is acceptable.
//!
//! Pure and synchronous, without I/O, so that the web layer decides how bytes arrive and where
//! they go while the rules live here:
//! - [`sniff`] names the type from the content's magic bytes (never from the file name or the
//!   client's content type);
//! - [`PdfInspector`] checks a PDF as it streams in, with bounded memory;
//! - [`plan_image_decode`] says from an image's headers what decoding it will take, or why it is
//!   refused before decoding; [`inspect_image`] decodes a JPEG or PNG within those limits and
//!   re-encodes it without metadata;
//! - [`sanitize_file_name`] makes the uploader's file name safe to store and send back.
//!
//! With the `fixtures` feature, the `fixtures` module generates test documents (valid and hostile PDFs,
//! images, a PNG bomb) for this crate's tests and other crates'.

mod file_name;
mod file_type;
mod image_check;
mod orientation;
mod pdf;

#[cfg(feature = "fixtures")]
pub mod fixtures;

pub use file_name::{MAX_FILE_NAME_CHARS, sanitize_file_name};
pub use file_type::{FileType, SNIFF_LEN, sniff};
pub use image_check::{
    CleanImage, DecodePlan, ImageProblem, ImageRules, MAX_DECODE_BYTES, MAX_PIXELS, inspect_image,
    plan_image_decode,
};
pub use pdf::{
    END_MARKER_WINDOW, MAX_DECOMPRESSED_PER_FILE, MAX_DEPTH, MAX_OBJECT_STREAM_BYTES, MAX_OBJECTS,
    MAX_TOKEN_LEN, PdfInspector, PdfProblem, PdfSummary,
};

/// Inspects a PDF held whole in memory (in tests, or when it was buffered anyway).
pub fn inspect_pdf(bytes: &[u8]) -> Result<PdfSummary, PdfProblem> {
    let mut inspector = PdfInspector::new();
    inspector.feed(bytes)?;
    inspector.finish()
}
