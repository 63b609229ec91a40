//! The names that get a PDF refused: features that run code, send or fetch data, open other
//! files, or carry other files inside.
//!
//! Each is judged by its name alone, wherever it is, because a single pass cannot follow
//! references to learn whether a dictionary is reachable; honest uploads (scans, exported
//! letters and diplomas) use none of them. Names arrive decoded (`/Java#53cript` is
//! `/JavaScript`).

use super::PdfProblem;
use super::lexer::Name;

/// Names refused wherever they appear, also in bytes the tokenizer does not read as syntax
/// (strings, comments, stream data), where a viewer following a cross-reference offset would
/// still find them. They are long enough that binary data does not contain one by chance.
const ANYWHERE: &[(&[u8], PdfProblem)] = &[
    (b"JavaScript", PdfProblem::JavaScript),
    (b"Launch", PdfProblem::LaunchAction),
    (b"SubmitForm", PdfProblem::SubmitForm),
    (b"ImportData", PdfProblem::ImportData),
    (b"GoToR", PdfProblem::RemoteGoTo),
    (b"GoToE", PdfProblem::EmbeddedGoTo),
    (b"RichMedia", PdfProblem::RichMedia),
    (b"EmbeddedFile", PdfProblem::EmbeddedFile),
    (b"EmbeddedFiles", PdfProblem::EmbeddedFile),
    (b"FileAttachment", PdfProblem::EmbeddedFile),
    // Three letters, but `/XFA` plus a delimiter in random bytes is a 1 in 2^32 event per
    // byte, and an XFA form hidden in a string is exactly what the raw scan is for.
    (b"XFA", PdfProblem::Xfa),
];

/// Names refused where the tokenizer reads them as names: too short to look for in binary
/// data, which would contain them by chance.
const AS_NAME: &[(&[u8], PdfProblem)] = &[(b"JS", PdfProblem::JavaScript)];

/// Names refused as dictionary keys only; as values they mean nothing. `/Encrypt` as a key
/// (trailer or cross-reference stream) means strings and streams cannot be inspected; `/EF`
/// is the embedded file streams of a file specification.
const AS_KEY: &[(&[u8], PdfProblem)] = &[
    (b"Encrypt", PdfProblem::Encrypted),
    (b"EF", PdfProblem::EmbeddedFile),
];

/// Most bytes a name in [`ANYWHERE`] takes in a file: `FileAttachment` with every letter
/// written as a `#xx` escape.
pub(crate) const LONGEST_RAW_NAME: usize = 3 * 14;

fn find(table: &[(&[u8], PdfProblem)], name: &Name) -> Option<PdfProblem> {
    table
        .iter()
        .find(|(text, _)| name.is(text))
        .map(|(_, problem)| *problem)
}

/// The problem a name read by the tokenizer causes, if any.
pub(crate) fn problem_of_name(name: &Name, is_key: bool) -> Option<PdfProblem> {
    find(ANYWHERE, name)
        .or_else(|| find(AS_NAME, name))
        .or_else(|| if is_key { find(AS_KEY, name) } else { None })
}

/// The problem a name found in any bytes causes, if any.
pub(crate) fn problem_of_raw_name(name: &Name) -> Option<PdfProblem> {
    find(ANYWHERE, name)
}

/// Whether a name starting with this byte (as written, before decoding) can be one the raw
/// scan looks for; `ObjStm` and `First` are the object-stream markers it also looks for.
pub(crate) fn could_begin_raw_name(byte: u8) -> bool {
    byte == b'#' || byte == b'O' || byte == b'F' || ANYWHERE.iter().any(|(text, _)| text[0] == byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_raw_name_is_counted() {
        let longest = ANYWHERE
            .iter()
            .map(|(text, _)| text.len())
            .max()
            .unwrap_or(0);
        assert_eq!(LONGEST_RAW_NAME, 3 * longest);
    }
}
