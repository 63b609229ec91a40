//! Object streams: compressed containers of objects, decompressed and read like the file.
//!
//! A PDF 1.5+ writer may put most objects, actions included, into `/Type /ObjStm` streams, so
//! their content must be inspected, not skipped. It is inflated as it arrives through a fixed
//! output buffer and tokenized straight away; nothing is kept but the decoder's window.

use flate2::{Decompress, FlushDecompress, Status};

use super::PdfProblem;
use super::scanner::TokenScanner;
use super::syntax::Layer;

/// Most decompressed bytes one object stream may yield.
pub const MAX_OBJECT_STREAM_BYTES: u64 = 8 * 1024 * 1024;

/// Most decompressed bytes all object streams of one file may yield together.
pub const MAX_DECOMPRESSED_PER_FILE: u64 = 32 * 1024 * 1024;

/// As large as the inflater's window: it then never holds back output it has decoded, so all
/// of it is read even when the call ends in an error.
const OUTPUT_BUFFER_BYTES: usize = 32 * 1024;

/// The inflater's own state: a 32 KiB window plus Huffman tables (miniz_oxide's
/// `InflateState` is about 43 KB); counted by [`super::PdfInspector::buffered_bytes`].
const INFLATER_STATE_BYTES: usize = 48 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Stored,
    Flate,
}

pub(crate) struct ObjectStreamReader {
    inflater: Option<Decompress>,
    inflated_to_end: bool,
    output: Vec<u8>,
    tokens: TokenScanner,
    produced: u64,
}

impl std::fmt::Debug for ObjectStreamReader {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ObjectStreamReader")
            .field("inflating", &self.inflater.is_some())
            .field("produced", &self.produced)
            .finish_non_exhaustive()
    }
}

impl ObjectStreamReader {
    pub(crate) fn new(encoding: Encoding) -> Self {
        let inflating = encoding == Encoding::Flate;
        Self {
            inflater: inflating.then(|| Decompress::new(true)),
            inflated_to_end: false,
            output: if inflating {
                vec![0; OUTPUT_BUFFER_BYTES]
            } else {
                Vec::new()
            },
            tokens: TokenScanner::new(Layer::ObjectStream),
            produced: 0,
        }
    }

    pub(crate) fn buffered_bytes(&self) -> usize {
        let inflater = if self.inflater.is_some() {
            INFLATER_STATE_BYTES
        } else {
            0
        };
        self.output.capacity() + inflater + self.tokens.syntax.heap_bytes()
    }

    /// Takes raw stream bytes. For a compressed stream, bytes after the end of the zlib data
    /// (the line end before `endstream`) are ignored.
    pub(crate) fn feed(&mut self, data: &[u8], file_total: &mut u64) -> Result<(), PdfProblem> {
        let Some(inflater) = &mut self.inflater else {
            return Self::read_content(&mut self.tokens, &mut self.produced, data, file_total);
        };
        let mut input = data;
        while !self.inflated_to_end {
            let (read_before, written_before) = (inflater.total_in(), inflater.total_out());
            let result = inflater.decompress(input, &mut self.output, FlushDecompress::None);
            let read = (inflater.total_in() - read_before) as usize;
            let written = (inflater.total_out() - written_before) as usize;
            input = &input[read..];
            // What was inflated before corrupt data is read first, so the verdict does not
            // depend on how the data was chunked.
            Self::read_content(
                &mut self.tokens,
                &mut self.produced,
                &self.output[..written],
                file_total,
            )?;
            let status = result
                .map_err(|_| PdfProblem::Malformed("object stream is not valid zlib data"))?;
            if status == Status::StreamEnd {
                self.inflated_to_end = true;
            } else if input.is_empty() && written < self.output.len() {
                // All input taken and no output held back for lack of room: wait for more.
                break;
            } else if read == 0 && written == 0 {
                return Err(PdfProblem::Malformed("object stream does not decompress"));
            }
        }
        Ok(())
    }

    /// The stream's data is over: the content must be complete.
    pub(crate) fn finish(mut self) -> Result<(), PdfProblem> {
        if self.inflater.is_some() && !self.inflated_to_end {
            return Err(PdfProblem::Malformed(
                "object stream ends inside its compressed data",
            ));
        }
        let unfinished = self.tokens.flush(self.produced)?;
        if unfinished.is_some() {
            return Err(PdfProblem::Malformed("object stream ends inside an object"));
        }
        Ok(())
    }

    fn read_content(
        tokens: &mut TokenScanner,
        produced: &mut u64,
        content: &[u8],
        file_total: &mut u64,
    ) -> Result<(), PdfProblem> {
        let length = content.len() as u64;
        *file_total += length;
        if *produced + length > MAX_OBJECT_STREAM_BYTES || *file_total > MAX_DECOMPRESSED_PER_FILE {
            return Err(PdfProblem::TooComplex);
        }
        tokens.push_all(content, *produced)?;
        *produced += length;
        Ok(())
    }
}
