//! What an uploaded file is, decided from its first bytes alone.
//!
//! File names and client-sent content types are chosen by the uploader and so prove nothing; the
//! magic bytes at the start of the content are what decoders and viewers will act on.

/// The kinds of file the portal accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    /// The media type to serve the file with.
    pub fn mime(&self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    /// The file-name extension (without the dot) that stored and downloaded copies get.
    pub fn extension(&self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
        }
    }
}

/// How many leading bytes [`sniff`] looks at; callers need not pass more.
pub const SNIFF_LEN: usize = 1024;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
// SOI followed by the first byte of the next marker: every JPEG (JFIF, Exif, raw) starts so.
const JPEG_SIGNATURE: &[u8] = &[0xFF, 0xD8, 0xFF];
const PDF_SIGNATURE: &[u8] = b"%PDF-";
const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Identifies the file type from the first bytes of its content (up to [`SNIFF_LEN`]).
///
/// A PDF header may legally follow up to 1024 bytes of arbitrary junk, but accepting that would
/// let a file be a valid PDF and something else at once (a polyglot); only a UTF-8 byte-order
/// mark and whitespace may precede `%PDF-` here.
pub fn sniff(head: &[u8]) -> Option<FileType> {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if head.starts_with(PNG_SIGNATURE) {
        return Some(FileType::Png);
    }
    if head.starts_with(JPEG_SIGNATURE) {
        return Some(FileType::Jpeg);
    }
    if pdf_header_offset(head).is_some() {
        return Some(FileType::Pdf);
    }
    None
}

/// Where `%PDF-` starts once the tolerated prefix (BOM, whitespace) is skipped.
pub(crate) fn pdf_header_offset(head: &[u8]) -> Option<usize> {
    let start = pdf_prefix_len(head)?;
    head[start..].starts_with(PDF_SIGNATURE).then_some(start)
}

/// Length of the tolerated prefix (an optional BOM, then whitespace) if `head` holds anything
/// after it; `None` if `head` is all prefix so far.
fn pdf_prefix_len(head: &[u8]) -> Option<usize> {
    let after_bom = if head.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    head[after_bom..]
        .iter()
        .position(|byte| !is_header_whitespace(*byte))
        .map(|position| after_bom + position)
}

pub(crate) fn is_header_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | 0x0C)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_each_signature() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(FileType::Png));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(FileType::Jpeg)
        );
    }

    #[test]
    fn pdf_may_follow_a_bom_and_whitespace_only() {
        assert_eq!(sniff(b"\xEF\xBB\xBF%PDF-1.4"), Some(FileType::Pdf));
        assert_eq!(sniff(b" \r\n\t%PDF-1.4"), Some(FileType::Pdf));
        assert_eq!(sniff(b"\xEF\xBB\xBF \n%PDF-1.4"), Some(FileType::Pdf));
        assert_eq!(sniff(b"junk%PDF-1.4"), None);
        assert_eq!(sniff(b"<html>%PDF-1.4"), None);
        assert_eq!(sniff(b"%PDF"), None);
    }

    #[test]
    fn header_beyond_the_sniffed_window_is_ignored() {
        let mut head = vec![b' '; SNIFF_LEN];
        head.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&head), None);
    }

    #[test]
    fn unknown_or_short_content_is_none() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(&[0xFF, 0xD8]), None);
        assert_eq!(sniff(b"\x89PNG"), None);
    }

    #[test]
    fn mime_and_extension() {
        assert_eq!(FileType::Pdf.mime(), "application/pdf");
        assert_eq!(FileType::Jpeg.extension(), "jpg");
        assert_eq!(FileType::Png.mime(), "image/png");
    }
}
