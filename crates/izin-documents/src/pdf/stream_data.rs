//! Finding the end of a stream's raw data without keeping it.
//!
//! A direct `/Length` says where the data ends; `endstream` must then follow (after optional
//! whitespace). Without a usable length, the data ends at the first `endstream`. Writers get
//! `/Length` wrong in both directions: too short is recovered by scanning on to `endstream`,
//! and a few bytes too long still finds the `endstream` it cut into; but a length that runs
//! past a whole `endstream` would swallow the objects after the stream unseen, so it is
//! refused.

use super::PdfProblem;
use super::lexer::is_whitespace;
use super::object_stream::ObjectStreamReader;
use super::raw_scan::{RawScan, Window};

const ENDSTREAM: &[u8] = b"endstream";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AfterLength {
    /// Expecting whitespace, then `endstream`.
    Whitespace,
    /// This many bytes of `endstream` matched.
    Matching(usize),
    /// The length was missing or wrong: the data ends at the next `endstream`.
    Scanning,
}

#[derive(Debug)]
pub(crate) struct StreamBody {
    remaining: Option<u64>,
    after_length: AfterLength,
    window: Window,
    endstream_in_data: bool,
    lost_length: bool,
    object_stream: Option<Box<ObjectStreamReader>>,
    /// Whether bytes past `/Length` still go to the object-stream reader: yes when it inflates
    /// (zlib data ends by itself), no when it reads stored bytes (which end at `/Length`).
    object_stream_takes_surplus: bool,
}

impl StreamBody {
    pub(crate) fn new(
        length: Option<u64>,
        object_stream: Option<ObjectStreamReader>,
        object_stream_takes_surplus: bool,
    ) -> Self {
        Self {
            remaining: length,
            after_length: if length.is_some() {
                AfterLength::Whitespace
            } else {
                AfterLength::Scanning
            },
            window: Window::default(),
            endstream_in_data: false,
            lost_length: false,
            object_stream: object_stream.map(Box::new),
            object_stream_takes_surplus,
        }
    }

    pub(crate) fn buffered_bytes(&self) -> usize {
        self.object_stream
            .as_ref()
            .map_or(0, |reader| reader.buffered_bytes())
    }

    pub(crate) fn take_object_stream(&mut self) -> Option<ObjectStreamReader> {
        self.object_stream.take().map(|reader| *reader)
    }

    /// Reads stream bytes from the front of `data`. Returns how many were stream data (the
    /// closing `endstream` included) and whether the stream is over.
    pub(crate) fn consume(
        &mut self,
        data: &[u8],
        first_position: u64,
        raw: &mut RawScan,
        decompressed_total: &mut u64,
    ) -> Result<(usize, bool), PdfProblem> {
        let mut used = 0;
        if let Some(remaining) = self.remaining.filter(|remaining| *remaining > 0) {
            let take = usize::try_from(remaining).map_or(data.len(), |r| r.min(data.len()));
            let known_data = &data[..take];
            raw.scan_opaque(known_data, first_position)?;
            if !self.endstream_in_data {
                self.endstream_in_data = self.contains_endstream(known_data);
            }
            self.window.push_slice(known_data);
            if let Some(reader) = &mut self.object_stream {
                reader.feed(known_data, decompressed_total)?;
            }
            self.remaining = Some(remaining - take as u64);
            used = take;
        }

        let surplus_start = used;
        let mut ended = false;
        while used < data.len() && !ended {
            let byte = data[used];
            raw.scan(byte, first_position + used as u64, true)?;
            self.window.push(byte);
            used += 1;
            ended = self.after_length_byte(byte)?;
        }
        if self.object_stream_takes_surplus
            && let Some(reader) = &mut self.object_stream
        {
            reader.feed(&data[surplus_start..used], decompressed_total)?;
        }
        Ok((used, ended))
    }

    /// Whether `endstream` ends anywhere in `data`, counting bytes seen before it.
    fn contains_endstream(&self, data: &[u8]) -> bool {
        memchr::memchr_iter(b'm', data).any(|end| {
            let start = end + 1;
            if start >= ENDSTREAM.len() {
                &data[start - ENDSTREAM.len()..start] == ENDSTREAM
            } else {
                let mut window = self.window;
                window.push_slice(&data[..start]);
                window.ends_with(ENDSTREAM)
            }
        })
    }

    fn after_length_byte(&mut self, byte: u8) -> Result<bool, PdfProblem> {
        match self.after_length {
            AfterLength::Whitespace if is_whitespace(byte) => {}
            AfterLength::Whitespace if byte == ENDSTREAM[0] => {
                self.after_length = AfterLength::Matching(1);
            }
            AfterLength::Matching(matched) if byte == ENDSTREAM[matched] => {
                if matched + 1 == ENDSTREAM.len() {
                    return Ok(true);
                }
                self.after_length = AfterLength::Matching(matched + 1);
            }
            AfterLength::Whitespace | AfterLength::Matching(_) => {
                self.lose_length()?;
                return Ok(self.window.ends_with(ENDSTREAM));
            }
            AfterLength::Scanning => {
                // Data that ran a few bytes past a too-long /Length continues into the next
                // object, never a real stream's data.
                if self.lost_length && byte == b'j' && self.window.ends_with(b"endobj") {
                    return Err(PdfProblem::Malformed("wrong stream /Length"));
                }
                return Ok(byte == b'm' && self.window.ends_with(ENDSTREAM));
            }
        }
        Ok(false)
    }

    /// `endstream` does not follow `/Length` bytes of data.
    fn lose_length(&mut self) -> Result<(), PdfProblem> {
        if self.endstream_in_data {
            return Err(PdfProblem::Malformed("stream /Length runs past endstream"));
        }
        if self.object_stream.is_some() && !self.object_stream_takes_surplus {
            return Err(PdfProblem::Malformed(
                "wrong /Length of a stored object stream",
            ));
        }
        self.after_length = AfterLength::Scanning;
        self.lost_length = true;
        Ok(())
    }
}
