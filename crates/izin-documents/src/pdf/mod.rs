//! Streaming PDF inspection: is an upload a well-formed, complete, unencrypted PDF without
//! active content (scripts, actions that send, fetch or open, attachments, XFA) and without
//! other data after its end?
//!
//! The upload arrives in chunks and is never held whole: [`PdfInspector`] is a byte-driven
//! state machine (lexer → syntax) that keeps a few fixed-size buffers, skips stream data, and
//! inflates object streams on the fly because actions can hide in them. Every resource it uses
//! is bounded, whatever the input.

mod active_content;
mod lexer;
mod object_stream;
mod raw_scan;
mod scanner;
mod stream_data;
mod syntax;

use crate::file_type::is_header_whitespace;
use lexer::Keyword;
use object_stream::{Encoding, ObjectStreamReader};
use scanner::{Fault, TokenScanner};
use stream_data::StreamBody;
use syntax::{Directive, Layer, StreamDictionary};

pub use lexer::MAX_TOKEN_LEN;
pub use object_stream::{MAX_DECOMPRESSED_PER_FILE, MAX_OBJECT_STREAM_BYTES};
pub use syntax::{MAX_DEPTH, MAX_OBJECTS};

/// The `%%EOF` marker must start within this many bytes of the end of the file; only white
/// space may follow it.
pub const END_MARKER_WINDOW: u64 = 2048;

const END_MARKER_LEN: u64 = b"%%EOF".len() as u64;

/// The header (`%PDF-x.y`) must start within this many bytes, as for [`crate::sniff`].
const HEADER_WINDOW: usize = crate::file_type::SNIFF_LEN;

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Why a PDF was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfProblem {
    #[error("the file is not a PDF")]
    NotPdf,
    #[error("the PDF is incomplete")]
    Truncated,
    #[error("the PDF is malformed: {0}")]
    Malformed(&'static str),
    #[error("the PDF is encrypted")]
    Encrypted,
    #[error("the PDF contains JavaScript")]
    JavaScript,
    #[error("the PDF contains a launch action")]
    LaunchAction,
    /// `/SubmitForm`: sends the form's content to an address.
    #[error("the PDF contains a form submission action")]
    SubmitForm,
    /// `/ImportData`: loads form data from another file.
    #[error("the PDF contains an import-data action")]
    ImportData,
    /// `/GoToR`: opens another PDF file.
    #[error("the PDF contains a link to another PDF file")]
    RemoteGoTo,
    /// `/GoToE`: opens an embedded (or the embedding) document.
    #[error("the PDF contains a link into an embedded document")]
    EmbeddedGoTo,
    /// `/RichMedia`: Flash, video or 3D content with its own player.
    #[error("the PDF contains rich media")]
    RichMedia,
    /// `/EmbeddedFile`, `/EmbeddedFiles`, `/FileAttachment` or `/EF`: other files inside.
    #[error("the PDF contains embedded files")]
    EmbeddedFile,
    /// `/XFA`: a form in Adobe's XML Forms Architecture, which carries its own scripts.
    #[error("the PDF contains an XFA form")]
    Xfa,
    /// Bytes other than white space after the last `%%EOF`: another file (a ZIP, a script)
    /// made to pass as a PDF.
    #[error("the file has data after the end of the PDF")]
    DataAfterEnd,
    #[error("the PDF is too complex to check")]
    TooComplex,
}

impl PdfProblem {
    /// A stable code for APIs, logs and translations.
    pub fn code(&self) -> &'static str {
        match self {
            PdfProblem::NotPdf => "pdf-not-pdf",
            PdfProblem::Truncated => "pdf-truncated",
            PdfProblem::Malformed(_) => "pdf-malformed",
            PdfProblem::Encrypted => "pdf-encrypted",
            PdfProblem::JavaScript => "pdf-javascript",
            PdfProblem::LaunchAction => "pdf-launch-action",
            PdfProblem::SubmitForm => "pdf-submit-form",
            PdfProblem::ImportData => "pdf-import-data",
            PdfProblem::RemoteGoTo => "pdf-remote-goto",
            PdfProblem::EmbeddedGoTo => "pdf-embedded-goto",
            PdfProblem::RichMedia => "pdf-rich-media",
            PdfProblem::EmbeddedFile => "pdf-embedded-file",
            PdfProblem::Xfa => "pdf-xfa",
            PdfProblem::DataAfterEnd => "pdf-data-after-end",
            PdfProblem::TooComplex => "pdf-too-complex",
        }
    }

    /// One of each problem (with a placeholder reason for `Malformed`), so that callers can
    /// check every code has a message.
    pub const ALL: [PdfProblem; 15] = [
        PdfProblem::NotPdf,
        PdfProblem::Truncated,
        PdfProblem::Malformed("any reason"),
        PdfProblem::Encrypted,
        PdfProblem::JavaScript,
        PdfProblem::LaunchAction,
        PdfProblem::SubmitForm,
        PdfProblem::ImportData,
        PdfProblem::RemoteGoTo,
        PdfProblem::EmbeddedGoTo,
        PdfProblem::RichMedia,
        PdfProblem::EmbeddedFile,
        PdfProblem::Xfa,
        PdfProblem::DataAfterEnd,
        PdfProblem::TooComplex,
    ];
}

/// What an accepted PDF is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdfSummary {
    /// The header's version, such as `1.7`.
    pub version: String,
    /// Indirect objects: those in the file body (each `obj`, every revision) plus those
    /// object streams declare (`/N`).
    pub objects: u32,
}

#[derive(Debug)]
enum Phase {
    Header,
    Tokens,
    /// After the `stream` keyword, before its end of line.
    StreamLineEnd {
        body: Box<StreamBody>,
        after_carriage_return: bool,
    },
    StreamData(Box<StreamBody>),
    /// Unreadable bytes after a `%%EOF`: only the raw scan still looks at them.
    Junk {
        since: u64,
    },
}

/// Checks a PDF fed in chunks of any size, holding only bounded state.
///
/// ```
/// # use izin_documents::PdfInspector;
/// let mut inspector = PdfInspector::new();
/// for chunk in b"%PDF-1.4\n".chunks(3) {
///     inspector.feed(chunk).expect("no problem yet");
/// }
/// assert!(inspector.finish().is_err()); // a header alone is no PDF
/// ```
#[derive(Debug)]
pub struct PdfInspector {
    position: u64,
    phase: Phase,
    header: Vec<u8>,
    version: String,
    tokens: TokenScanner,
    decompressed_total: u64,
    /// End of the last byte that is not white space, wherever it was.
    content_end: u64,
    failure: Option<PdfProblem>,
}

impl Default for PdfInspector {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfInspector {
    pub fn new() -> Self {
        Self {
            position: 0,
            phase: Phase::Header,
            header: Vec::new(),
            version: String::new(),
            tokens: TokenScanner::new(Layer::File),
            decompressed_total: 0,
            content_end: 0,
            failure: None,
        }
    }

    /// Inspects the next chunk. Fails as soon as a problem is certain (JavaScript found, not a
    /// PDF…); after a failure every call returns the same problem.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), PdfProblem> {
        if let Some(problem) = self.failure {
            return Err(problem);
        }
        let result = self.feed_bytes(chunk);
        if let Err(problem) = result {
            self.failure = Some(problem);
        }
        result
    }

    /// Ends the input and makes the checks only the end allows (complete, `%%EOF`, …).
    pub fn finish(mut self) -> Result<PdfSummary, PdfProblem> {
        if let Some(problem) = self.failure {
            return Err(problem);
        }
        self.finish_checks()
    }

    /// Bytes the inspector currently holds in buffers (header, container stack, an object
    /// stream's decoder and output buffer). Independent of the file's size.
    pub fn buffered_bytes(&self) -> usize {
        let stream = match &self.phase {
            Phase::StreamLineEnd { body, .. } | Phase::StreamData(body) => body.buffered_bytes(),
            _ => 0,
        };
        self.header.capacity() + self.tokens.syntax.heap_bytes() + stream
    }

    fn feed_bytes(&mut self, chunk: &[u8]) -> Result<(), PdfProblem> {
        if let Some(last) = chunk.iter().rposition(|byte| !lexer::is_whitespace(*byte)) {
            self.content_end = self.position + last as u64 + 1;
        }
        let mut index = 0;
        while index < chunk.len() {
            if let Phase::StreamData(body) = &mut self.phase {
                let (used, ended) = body.consume(
                    &chunk[index..],
                    self.position,
                    &mut self.tokens.raw,
                    &mut self.decompressed_total,
                )?;
                index += used;
                self.position += used as u64;
                if ended {
                    self.end_stream()?;
                }
                continue;
            }
            if self.push(chunk[index])? {
                index += 1;
                self.position += 1;
            }
        }
        Ok(())
    }

    /// Handles one byte outside stream data; returns whether it was consumed.
    fn push(&mut self, byte: u8) -> Result<bool, PdfProblem> {
        let position = self.position;
        match &mut self.phase {
            Phase::Header => self.push_header(byte),
            Phase::Tokens => match self.tokens.push(byte, position) {
                Ok(pushed) => {
                    if let Directive::BeginStream(dictionary) = pushed.directive {
                        self.phase = Phase::StreamLineEnd {
                            body: Box::new(self.begin_stream(dictionary)?),
                            after_carriage_return: false,
                        };
                    }
                    Ok(pushed.consumed)
                }
                Err(fault) => self.recover_as_junk(fault, position),
            },
            Phase::StreamLineEnd {
                after_carriage_return,
                ..
            } => {
                let consumed = match (byte, *after_carriage_return) {
                    (b'\r', false) => {
                        *after_carriage_return = true;
                        self.tokens.raw.scan(byte, position, true)?;
                        return Ok(true);
                    }
                    (b'\n', _) => true,
                    // A lone CR ends the line; this byte is already data.
                    (_, true) => false,
                    (_, false) => {
                        return Err(PdfProblem::Malformed(
                            "stream keyword not followed by an end of line",
                        ));
                    }
                };
                if consumed {
                    self.tokens.raw.scan(byte, position, true)?;
                }
                if let Phase::StreamLineEnd { body, .. } =
                    std::mem::replace(&mut self.phase, Phase::Tokens)
                {
                    self.phase = Phase::StreamData(body);
                }
                Ok(consumed)
            }
            // Stream data is read in bulk by `feed_bytes`, never byte by byte here.
            Phase::StreamData(_) => Ok(false),
            Phase::Junk { .. } => {
                self.tokens.raw.scan(byte, position, true)?;
                Ok(true)
            }
        }
    }

    fn push_header(&mut self, byte: u8) -> Result<bool, PdfProblem> {
        self.header.push(byte);
        match check_header(&self.header) {
            HeaderCheck::NeedMore => {
                self.tokens.raw.scan(byte, self.position, true)?;
                Ok(true)
            }
            HeaderCheck::Invalid => Err(PdfProblem::NotPdf),
            HeaderCheck::Complete {
                header_start,
                version,
            } => {
                self.version = version;
                self.header = Vec::new();
                // The rest of the header line is a comment; this byte is its first.
                self.tokens.lexer.continue_comment(header_start as u64);
                self.phase = Phase::Tokens;
                Ok(false)
            }
        }
    }

    fn begin_stream(&mut self, dictionary: StreamDictionary) -> Result<StreamBody, PdfProblem> {
        if !dictionary.is_object_stream {
            return Ok(StreamBody::new(dictionary.length, None, false));
        }
        self.tokens
            .syntax
            .add_compressed_objects(dictionary.object_count.unwrap_or(0))?;
        if dictionary.has_predictor {
            return Err(PdfProblem::Malformed("object stream with a predictor"));
        }
        if dictionary.indirect_decoding {
            return Err(PdfProblem::Malformed(
                "object stream with indirect decoding parameters",
            ));
        }
        let encoding = match (dictionary.filters.count, dictionary.filters.all_flate) {
            (0, _) => Encoding::Stored,
            (1, true) => Encoding::Flate,
            _ => return Err(PdfProblem::Malformed("unsupported object stream filter")),
        };
        if encoding == Encoding::Stored && dictionary.length.is_none() {
            // Stored content has no end of its own; only /Length says where objects stop.
            return Err(PdfProblem::Malformed(
                "stored object stream without a direct /Length",
            ));
        }
        Ok(StreamBody::new(
            dictionary.length,
            Some(ObjectStreamReader::new(encoding)),
            encoding == Encoding::Flate,
        ))
    }

    fn end_stream(&mut self) -> Result<(), PdfProblem> {
        if let Phase::StreamData(mut body) = std::mem::replace(&mut self.phase, Phase::Tokens)
            && let Some(reader) = body.take_object_stream()
        {
            reader.finish()?;
        }
        self.tokens
            .syntax
            .accept(lexer::Token::Keyword(Keyword::EndStream), self.position)?;
        Ok(())
    }

    /// Unreadable bytes after a `%%EOF` may be data appended after the end or a broken later
    /// revision; which of the two, only the end of the file tells, so they are left to the
    /// end-of-file checks.
    fn recover_as_junk(&mut self, fault: Fault, position: u64) -> Result<bool, PdfProblem> {
        if !fault.structural || self.tokens.syntax.last_end_marker().is_none() {
            return Err(fault.problem);
        }
        let since = self
            .tokens
            .unfinished_since()
            .map_or(position, |since| since.min(position));
        self.phase = Phase::Junk { since };
        Ok(fault.consumed)
    }

    fn finish_checks(&mut self) -> Result<PdfSummary, PdfProblem> {
        let end = self.position;
        let trailing_since = match &self.phase {
            Phase::Header => return Err(PdfProblem::NotPdf),
            Phase::Junk { since } => Some(*since),
            Phase::StreamLineEnd { .. } | Phase::StreamData(_) => {
                Some(self.tokens.unfinished_since().unwrap_or(end))
            }
            Phase::Tokens => match self.tokens.flush(end) {
                Ok(since) => since,
                Err(fault) => {
                    self.recover_as_junk(fault, end)?;
                    match self.phase {
                        Phase::Junk { since } => Some(since),
                        _ => Some(end),
                    }
                }
            },
        };
        self.tokens.raw.finish()?;

        let last_end_marker = self.tokens.syntax.last_end_marker();
        if let Some(since) = trailing_since {
            // Only what follows the last `%%EOF` may be left unread.
            if last_end_marker.is_none_or(|marker| marker >= since) {
                return Err(PdfProblem::Truncated);
            }
            if self
                .tokens
                .raw
                .last_marker()
                .is_some_and(|marker| marker >= since)
            {
                return Err(PdfProblem::Malformed("unreadable data before the end"));
            }
        }
        // White space after the end is what honest writers leave (a line end, NUL padding to
        // a block size); anything else is another file riding along (a ZIP, a script).
        if let Some(marker) = last_end_marker
            && self.content_end > marker + END_MARKER_LEN
        {
            return Err(PdfProblem::DataAfterEnd);
        }
        if !self.tokens.syntax.saw_startxref() {
            return Err(PdfProblem::Truncated);
        }
        match last_end_marker {
            Some(marker) if end - marker <= END_MARKER_WINDOW => {}
            _ => return Err(PdfProblem::Truncated),
        }
        let objects = self.tokens.syntax.objects();
        if objects == 0 {
            return Err(PdfProblem::Malformed("no indirect object"));
        }
        Ok(PdfSummary {
            version: std::mem::take(&mut self.version),
            objects: u32::try_from(objects).unwrap_or(u32::MAX),
        })
    }
}

#[derive(Debug, PartialEq, Eq)]
enum HeaderCheck {
    NeedMore,
    Invalid,
    /// The last byte is the first after `%PDF-M.m`.
    Complete {
        header_start: usize,
        version: String,
    },
}

/// Checks the bytes read so far against `[BOM] whitespace* %PDF-<digits>.<digits>`.
fn check_header(bytes: &[u8]) -> HeaderCheck {
    const SIGNATURE: &[u8] = b"%PDF-";
    let bom_len = bytes.len().min(UTF8_BOM.len());
    let mut start = 0;
    if bytes[..bom_len] == UTF8_BOM[..bom_len] {
        if bytes.len() < UTF8_BOM.len() {
            return HeaderCheck::NeedMore;
        }
        start = UTF8_BOM.len();
    }
    while start < bytes.len() && is_header_whitespace(bytes[start]) {
        start += 1;
    }
    if start + SIGNATURE.len() > HEADER_WINDOW {
        return HeaderCheck::Invalid;
    }
    let rest = &bytes[start..];
    if rest.len() <= SIGNATURE.len() {
        return if SIGNATURE.starts_with(rest) {
            HeaderCheck::NeedMore
        } else {
            HeaderCheck::Invalid
        };
    }
    if !rest.starts_with(SIGNATURE) {
        return HeaderCheck::Invalid;
    }
    let version = &rest[SIGNATURE.len()..];
    let major = version.iter().take_while(|b| b.is_ascii_digit()).count();
    if major == version.len() {
        return if major <= 2 {
            HeaderCheck::NeedMore
        } else {
            HeaderCheck::Invalid
        };
    }
    if major == 0 || major > 2 || version[major] != b'.' {
        return HeaderCheck::Invalid;
    }
    let after_dot = &version[major + 1..];
    let minor = after_dot.iter().take_while(|b| b.is_ascii_digit()).count();
    if minor == after_dot.len() {
        return if minor <= 2 {
            HeaderCheck::NeedMore
        } else {
            HeaderCheck::Invalid
        };
    }
    if minor == 0 || minor > 2 {
        return HeaderCheck::Invalid;
    }
    let version_len = major + 1 + minor;
    HeaderCheck::Complete {
        header_start: start,
        version: String::from_utf8_lossy(&version[..version_len]).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_versions() {
        assert_eq!(
            check_header(b"%PDF-1.7\n"),
            HeaderCheck::Complete {
                header_start: 0,
                version: "1.7".into()
            }
        );
        assert_eq!(
            check_header(b"\xEF\xBB\xBF \r\n%PDF-2.0 "),
            HeaderCheck::Complete {
                header_start: 6,
                version: "2.0".into()
            }
        );
        assert_eq!(check_header(b"%PDF-1.7"), HeaderCheck::NeedMore);
        assert_eq!(check_header(b"\xEF\xBB"), HeaderCheck::NeedMore);
        assert_eq!(check_header(b"  %PD"), HeaderCheck::NeedMore);
        assert_eq!(check_header(b"%PDF-1.x"), HeaderCheck::Invalid);
        assert_eq!(check_header(b"%PDF-.7 "), HeaderCheck::Invalid);
        assert_eq!(check_header(b"%PDF-1. "), HeaderCheck::Invalid);
        assert_eq!(check_header(b"%PDF-123"), HeaderCheck::Invalid);
        assert_eq!(check_header(b"%!PS-Adobe"), HeaderCheck::Invalid);
        assert_eq!(check_header(b"x%PDF-1.4"), HeaderCheck::Invalid);
        let far = [b" ".repeat(HEADER_WINDOW), b"%PDF-1.4\n".to_vec()].concat();
        assert_eq!(check_header(&far), HeaderCheck::Invalid);
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(PdfProblem::NotPdf.code(), "pdf-not-pdf");
        assert_eq!(PdfProblem::Truncated.code(), "pdf-truncated");
        assert_eq!(PdfProblem::Malformed("x").code(), "pdf-malformed");
        assert_eq!(PdfProblem::Encrypted.code(), "pdf-encrypted");
        assert_eq!(PdfProblem::JavaScript.code(), "pdf-javascript");
        assert_eq!(PdfProblem::LaunchAction.code(), "pdf-launch-action");
        assert_eq!(PdfProblem::TooComplex.code(), "pdf-too-complex");
        assert_eq!(PdfProblem::SubmitForm.code(), "pdf-submit-form");
        assert_eq!(PdfProblem::ImportData.code(), "pdf-import-data");
        assert_eq!(PdfProblem::RemoteGoTo.code(), "pdf-remote-goto");
        assert_eq!(PdfProblem::EmbeddedGoTo.code(), "pdf-embedded-goto");
        assert_eq!(PdfProblem::RichMedia.code(), "pdf-rich-media");
        assert_eq!(PdfProblem::EmbeddedFile.code(), "pdf-embedded-file");
        assert_eq!(PdfProblem::Xfa.code(), "pdf-xfa");
        assert_eq!(PdfProblem::DataAfterEnd.code(), "pdf-data-after-end");
    }

    #[test]
    fn all_lists_every_problem_once() {
        // Adding a variant breaks this match, and so leads here to add it to `ALL`.
        let position = |problem: PdfProblem| match problem {
            PdfProblem::NotPdf => 0,
            PdfProblem::Truncated => 1,
            PdfProblem::Malformed(_) => 2,
            PdfProblem::Encrypted => 3,
            PdfProblem::JavaScript => 4,
            PdfProblem::LaunchAction => 5,
            PdfProblem::SubmitForm => 6,
            PdfProblem::ImportData => 7,
            PdfProblem::RemoteGoTo => 8,
            PdfProblem::EmbeddedGoTo => 9,
            PdfProblem::RichMedia => 10,
            PdfProblem::EmbeddedFile => 11,
            PdfProblem::Xfa => 12,
            PdfProblem::DataAfterEnd => 13,
            PdfProblem::TooComplex => 14,
        };
        for (index, problem) in PdfProblem::ALL.into_iter().enumerate() {
            assert_eq!(position(problem), index, "{problem:?}");
        }
        let codes: std::collections::HashSet<_> =
            PdfProblem::ALL.iter().map(PdfProblem::code).collect();
        assert_eq!(codes.len(), PdfProblem::ALL.len());
    }
}
