//! A second look at every byte, ignoring PDF syntax.
//!
//! The tokenizer reads the file front to back, but a viewer jumps to the offsets the
//! cross-reference section gives, and those may point into what the tokenizer took for a
//! string, a comment or stream data. So names that are dangerous anywhere (`/JavaScript`,
//! `/Launch`, `/EmbeddedFile`…, see [`super::active_content`]) are looked for in all bytes, an
//! object stream (whose compressed content only the tokenizer's path would inspect; recognised
//! by `/ObjStm` or `/First`) must not hide in opaque bytes, and the positions of `%%EOF` and
//! `startxref` are noted to tell data after the end from unparsed revisions.

use super::lexer::{NameDecoder, is_delimiter, is_whitespace};
use super::{PdfProblem, active_content};

const END_OF_FILE_MARKER: &[u8] = b"%%EOF";
const STARTXREF: &[u8] = b"startxref";

/// The last bytes seen, newest in the lowest byte; long enough for `startxref`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Window(u128);

impl Window {
    pub(crate) fn push(&mut self, byte: u8) {
        self.0 = self.0 << 8 | u128::from(byte);
    }

    /// Pushes many bytes; only the last 16 can still matter.
    pub(crate) fn push_slice(&mut self, bytes: &[u8]) {
        for byte in &bytes[bytes.len().saturating_sub(16)..] {
            self.push(*byte);
        }
    }

    pub(crate) fn ends_with(&self, pattern: &[u8]) -> bool {
        let bits = 8 * pattern.len();
        let mask = (1u128 << bits) - 1;
        let expected = pattern
            .iter()
            .fold(0u128, |value, byte| value << 8 | u128::from(*byte));
        self.0 & mask == expected
    }
}

#[derive(Debug)]
struct RawName {
    decoder: NameDecoder,
    opaque: bool,
}

#[derive(Debug, Default)]
pub(crate) struct RawScan {
    window: Window,
    name: Option<RawName>,
    last_marker: Option<u64>,
}

impl RawScan {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Start of the last `%%EOF` or `startxref`, wherever it was.
    pub(crate) fn last_marker(&self) -> Option<u64> {
        self.last_marker
    }

    /// Looks at one byte. `opaque` says the tokenizer is not reading it as PDF syntax (string,
    /// comment, stream data, junk).
    pub(crate) fn scan(&mut self, byte: u8, position: u64, opaque: bool) -> Result<(), PdfProblem> {
        self.window.push(byte);
        if byte == b'F' && self.window.ends_with(END_OF_FILE_MARKER) {
            self.last_marker = Some(position + 1 - END_OF_FILE_MARKER.len() as u64);
        }
        if byte == b'f' && self.window.ends_with(STARTXREF) {
            self.last_marker = Some(position + 1 - STARTXREF.len() as u64);
        }

        if is_whitespace(byte) || is_delimiter(byte) {
            self.finish_name()?;
            if byte == b'/' {
                self.name = Some(RawName {
                    decoder: NameDecoder::new(),
                    opaque,
                });
            }
        } else if let Some(name) = &mut self.name {
            name.decoder.push(byte);
        }
        Ok(())
    }

    /// Looks at a run of opaque bytes (stream data) at once, with the same result as scanning
    /// each byte. Only three bytes can matter: `/` (a name begins) and the last letters of
    /// `%%EOF` and `startxref`; a vectorised search jumps between them. A name is decoded only
    /// if its first letter can begin a name that matters.
    pub(crate) fn scan_opaque(
        &mut self,
        data: &[u8],
        first_position: u64,
    ) -> Result<(), PdfProblem> {
        let mut start = 0;
        while self.name.is_some() && start < data.len() {
            // A name that began in an earlier chunk.
            self.scan(data[start], first_position + start as u64, true)?;
            start += 1;
        }
        // The window holds every byte before `data[start]`.
        let ends_with = |window: Window, end: usize, pattern: &[u8]| -> bool {
            if end + 1 >= pattern.len() {
                &data[end + 1 - pattern.len()..=end] == pattern
            } else {
                let mut window = window;
                window.push_slice(&data[start..=end]);
                window.ends_with(pattern)
            }
        };
        for hit in
            memchr::memchr3_iter(b'/', b'F', b'f', &data[start..]).map(|offset| start + offset)
        {
            match data[hit] {
                b'F' => {
                    if ends_with(self.window, hit, END_OF_FILE_MARKER) {
                        self.last_marker =
                            Some(first_position + hit as u64 + 1 - END_OF_FILE_MARKER.len() as u64);
                    }
                }
                b'f' => {
                    if ends_with(self.window, hit, STARTXREF) {
                        self.last_marker =
                            Some(first_position + hit as u64 + 1 - STARTXREF.len() as u64);
                    }
                }
                _ => {
                    let name_start = hit + 1;
                    let could_matter = data
                        .get(name_start)
                        .is_none_or(|first| active_content::could_begin_raw_name(*first));
                    if !could_matter {
                        continue;
                    }
                    let rest = &data[name_start..];
                    match rest
                        .iter()
                        .position(|b| is_whitespace(*b) || is_delimiter(*b))
                    {
                        Some(length) if length <= active_content::LONGEST_RAW_NAME => {
                            let mut decoder = NameDecoder::new();
                            for byte in &rest[..length] {
                                decoder.push(*byte);
                            }
                            self.name = Some(RawName {
                                decoder,
                                opaque: true,
                            });
                            self.finish_name()?;
                        }
                        Some(_) => {}
                        None => {
                            // The name runs on into the next chunk: carry what there is of it.
                            let mut decoder = NameDecoder::new();
                            for byte in rest {
                                decoder.push(*byte);
                            }
                            self.name = Some(RawName {
                                decoder,
                                opaque: true,
                            });
                            break;
                        }
                    }
                }
            }
        }
        self.window.push_slice(&data[start..]);
        Ok(())
    }

    /// Ends the input (a name may run up to the last byte).
    pub(crate) fn finish(&mut self) -> Result<(), PdfProblem> {
        self.finish_name()
    }

    fn finish_name(&mut self) -> Result<(), PdfProblem> {
        let Some(RawName { decoder, opaque }) = self.name.take() else {
            return Ok(());
        };
        let name = decoder.finish();
        if let Some(problem) = active_content::problem_of_raw_name(&name) {
            return Err(problem);
        }
        if opaque && (name.is(b"ObjStm") || name.is(b"First")) {
            return Err(PdfProblem::Malformed("object stream hidden in other data"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_all(bytes: &[u8], opaque: bool) -> Result<RawScan, PdfProblem> {
        let mut scan = RawScan::new();
        for (position, byte) in bytes.iter().enumerate() {
            scan.scan(*byte, position as u64, opaque)?;
        }
        scan.finish()?;
        Ok(scan)
    }

    #[test]
    fn finds_dangerous_names_in_any_bytes() {
        assert_eq!(
            scan_all(b"\x00\x01(/S /J#61vaScript)", true).err(),
            Some(PdfProblem::JavaScript)
        );
        assert_eq!(
            scan_all(b"binary/Launch", true).err(),
            Some(PdfProblem::LaunchAction)
        );
        assert!(scan_all(b"/JavaScripts /Launcher /JS", true).is_ok());
    }

    #[test]
    fn object_streams_may_not_hide() {
        assert!(scan_all(b"<</Type/ObjStm>>", false).is_ok());
        assert!(matches!(
            scan_all(b"(<</Type/ObjStm>>)", true),
            Err(PdfProblem::Malformed(_))
        ));
    }

    #[test]
    fn scanning_a_run_at_once_equals_scanning_each_byte() {
        let mut data = Vec::new();
        for i in 0..20_000u32 {
            data.push((i.wrapping_mul(2_654_435_761) >> 13) as u8);
        }
        data.extend_from_slice(b" /Launc");
        for cut in [0, 1, 7, 4096, data.len()] {
            let mut whole = RawScan::new();
            let mut bulk = RawScan::new();
            let mut per_byte = Ok(());
            for (position, byte) in data.iter().enumerate() {
                per_byte = per_byte.and_then(|_| whole.scan(*byte, position as u64, true));
            }
            let bulk_result = bulk
                .scan_opaque(&data[..cut], 0)
                .and_then(|_| bulk.scan_opaque(&data[cut..], cut as u64));
            assert_eq!(per_byte, bulk_result);
            assert_eq!(whole.last_marker(), bulk.last_marker());
            assert_eq!(whole.window.0, bulk.window.0);
            assert_eq!(whole.finish(), bulk.finish());
        }
        // Names and markers cut by chunk boundaries, in every position.
        let tricky = b"xx/J#61vaScri /Launchy /ObjStmZ startxref%%EOF /Fir/F /First".to_vec();
        for cut in 0..tricky.len() {
            let mut per_byte = RawScan::new();
            let mut whole = Ok(());
            for (position, byte) in tricky.iter().enumerate() {
                whole = whole.and_then(|_| per_byte.scan(*byte, position as u64, true));
            }
            let whole = whole.and_then(|_| per_byte.finish());
            let mut bulk = RawScan::new();
            let split = bulk
                .scan_opaque(&tricky[..cut], 0)
                .and_then(|_| bulk.scan_opaque(&tricky[cut..], cut as u64))
                .and_then(|_| bulk.finish());
            assert_eq!(whole, split, "cut at {cut}");
            assert_eq!(per_byte.last_marker(), bulk.last_marker(), "cut at {cut}");
        }
        let mut hidden = b"binary data /Launch and more".to_vec();
        hidden.splice(0..0, std::iter::repeat_n(0x41u8, 5000));
        assert_eq!(
            RawScan::new().scan_opaque(&hidden, 0),
            Err(PdfProblem::LaunchAction)
        );
        let mut marker = RawScan::new();
        marker.scan_opaque(b"xx%%EOF yy startxref zz", 100).unwrap();
        assert_eq!(marker.last_marker(), Some(111));
    }

    #[test]
    fn remembers_the_last_marker() {
        let scan = scan_all(b"startxref\n9\n%%EOF\njunk", true).unwrap();
        assert_eq!(scan.last_marker(), Some(12));
        let scan = scan_all(b"%%EOF startxref", true).unwrap();
        assert_eq!(scan.last_marker(), Some(6));
        assert_eq!(scan_all(b"%%EO", true).unwrap().last_marker(), None);
    }
}
