//! Lexer, syntax and raw scan driven together, one byte at a time.
//!
//! Both the file body and the content of each object stream are read this way.

use super::PdfProblem;
use super::lexer::{Flush, Lexer, Step};
use super::raw_scan::RawScan;
use super::syntax::{Directive, Layer, Syntax};

/// A problem found while pushing a byte, with what the caller needs to recover from trailing
/// junk.
#[derive(Debug)]
pub(crate) struct Fault {
    pub(crate) problem: PdfProblem,
    /// The problem is the file's structure (not its content or size), so bytes after the last
    /// `%%EOF` that cause it can be junk.
    pub(crate) structural: bool,
    /// The byte was consumed (and raw-scanned) before the problem arose.
    pub(crate) consumed: bool,
}

impl Fault {
    fn structure(problem: PdfProblem, consumed: bool) -> Self {
        Self {
            structural: matches!(problem, PdfProblem::Malformed(_)),
            problem,
            consumed,
        }
    }

    fn content(problem: PdfProblem) -> Self {
        Self {
            problem,
            structural: false,
            consumed: true,
        }
    }
}

impl From<Fault> for PdfProblem {
    fn from(fault: Fault) -> Self {
        fault.problem
    }
}

#[derive(Debug)]
pub(crate) struct Pushed {
    /// False when the byte only ended the `stream` keyword: it is the first byte after it.
    pub(crate) consumed: bool,
    pub(crate) directive: Directive,
}

#[derive(Debug)]
pub(crate) struct TokenScanner {
    pub(crate) lexer: Lexer,
    pub(crate) syntax: Syntax,
    pub(crate) raw: RawScan,
}

impl TokenScanner {
    pub(crate) fn new(layer: Layer) -> Self {
        Self {
            lexer: Lexer::new(),
            syntax: Syntax::new(layer),
            raw: RawScan::new(),
        }
    }

    /// Pushes one byte until it is consumed or has started a stream. The raw scan sees each
    /// byte exactly once, when it is consumed, in the lexer's state at that moment.
    pub(crate) fn push(&mut self, byte: u8, position: u64) -> Result<Pushed, Fault> {
        loop {
            let opaque = self.lexer.is_in_opaque_text();
            let step = self
                .lexer
                .push(byte, position)
                .map_err(|problem| Fault::structure(problem, false))?;
            let (token, start, consumed) = match step {
                Step::Consumed => {
                    self.raw
                        .scan(byte, position, opaque)
                        .map_err(Fault::content)?;
                    return Ok(Pushed {
                        consumed: true,
                        directive: Directive::Continue,
                    });
                }
                Step::Token {
                    token,
                    start,
                    consumed,
                } => (token, start, consumed),
            };
            if consumed {
                self.raw
                    .scan(byte, position, opaque)
                    .map_err(Fault::content)?;
            }
            let directive = self
                .syntax
                .accept(token, start)
                .map_err(|problem| Fault::structure(problem, consumed))?;
            if consumed || directive != Directive::Continue {
                return Ok(Pushed {
                    consumed,
                    directive,
                });
            }
        }
    }

    pub(crate) fn push_all(&mut self, bytes: &[u8], first_position: u64) -> Result<(), Fault> {
        for (offset, byte) in bytes.iter().enumerate() {
            let position = first_position + offset as u64;
            let pushed = self.push(*byte, position)?;
            if pushed.directive != Directive::Continue || !pushed.consumed {
                return Err(Fault::structure(
                    PdfProblem::Malformed("stream inside an object stream"),
                    pushed.consumed,
                ));
            }
        }
        Ok(())
    }

    /// Ends the input. Returns whether a construct is left open (and since where).
    pub(crate) fn flush(&mut self, end: u64) -> Result<Option<u64>, Fault> {
        let unfinished_token = match self
            .lexer
            .flush()
            .map_err(|problem| Fault::structure(problem, true))?
        {
            Flush::Nothing => None,
            Flush::Unfinished => self.lexer.token_in_progress_since(),
            Flush::Token { token, start } => {
                self.syntax
                    .accept(token, start)
                    .map_err(|problem| Fault::structure(problem, true))?;
                None
            }
        };
        self.raw.finish().map_err(Fault::content)?;
        let since = match (unfinished_token, self.syntax.unfinished_since()) {
            (Some(token), Some(construct)) => Some(token.min(construct)),
            (token, construct) => token.or(construct),
        };
        Ok(since.map(|since| since.min(end)))
    }

    /// Where the construct being read started, if one is open.
    pub(crate) fn unfinished_since(&self) -> Option<u64> {
        match (
            self.lexer.token_in_progress_since(),
            self.syntax.unfinished_since(),
        ) {
            (Some(token), Some(construct)) => Some(token.min(construct)),
            (token, construct) => token.or(construct),
        }
    }
}
