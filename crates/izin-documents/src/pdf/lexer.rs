//! PDF bytes to tokens, one byte at a time.
//!
//! Being driven byte by byte makes the result independent of how the upload was split into
//! chunks: a token may straddle any boundary, and all the lexer carries between bytes is its
//! state plus, for names and keywords, a fixed-size prefix (never a whole token, string or
//! stream).

use super::PdfProblem;

/// Longest token (name, number, keyword or string) accepted; real files stay far below.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// Decoded bytes of a name that are kept. Every name the inspector acts on is shorter, so a
/// longer one only needs to be known as "some other name".
const NAME_KEPT: usize = 32;

/// Bytes of a keyword or number that are kept; the longest keyword is `startxref` (9).
const REGULAR_KEPT: usize = 16;

pub(crate) fn is_whitespace(byte: u8) -> bool {
    matches!(byte, 0x00 | 0x09 | 0x0A | 0x0C | 0x0D | 0x20)
}

pub(crate) fn is_delimiter(byte: u8) -> bool {
    matches!(
        byte,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn ends_token(byte: u8) -> bool {
    is_whitespace(byte) || is_delimiter(byte)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// A name after `#xx` escapes are decoded, so `/J#61vaScript` and `/JavaScript` are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Name {
    kept: [u8; NAME_KEPT],
    len: u8,
    longer: bool,
}

impl Name {
    pub(crate) fn is(&self, expected: &[u8]) -> bool {
        !self.longer && &self.kept[..usize::from(self.len)] == expected
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escape {
    None,
    Hash,
    /// `#` and one hex digit seen; the digit's value and the byte itself, in case no second
    /// digit follows and both must be taken literally.
    HashDigit(u8, u8),
}

/// Decodes a name's bytes (after the `/`) as they arrive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NameDecoder {
    name: Name,
    escape: Escape,
}

impl NameDecoder {
    pub(crate) fn new() -> Self {
        Self {
            name: Name {
                kept: [0; NAME_KEPT],
                len: 0,
                longer: false,
            },
            escape: Escape::None,
        }
    }

    pub(crate) fn push(&mut self, byte: u8) {
        match self.escape {
            Escape::None if byte == b'#' => self.escape = Escape::Hash,
            Escape::None => self.keep(byte),
            Escape::Hash => match hex_value(byte) {
                Some(value) => self.escape = Escape::HashDigit(value, byte),
                // Readers take a `#` that starts no escape literally.
                None => {
                    self.escape = Escape::None;
                    self.keep(b'#');
                    self.push(byte);
                }
            },
            Escape::HashDigit(high, high_byte) => {
                self.escape = Escape::None;
                match hex_value(byte) {
                    Some(low) => self.keep(high << 4 | low),
                    None => {
                        self.keep(b'#');
                        self.keep(high_byte);
                        self.push(byte);
                    }
                }
            }
        }
    }

    pub(crate) fn finish(mut self) -> Name {
        match self.escape {
            Escape::None => {}
            Escape::Hash => self.keep(b'#'),
            Escape::HashDigit(_, high_byte) => {
                self.keep(b'#');
                self.keep(high_byte);
            }
        }
        self.name
    }

    fn keep(&mut self, byte: u8) {
        let len = usize::from(self.name.len);
        if len < NAME_KEPT {
            self.name.kept[len] = byte;
            self.name.len += 1;
        } else {
            self.name.longer = true;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Keyword {
    Obj,
    EndObj,
    Stream,
    EndStream,
    R,
    Xref,
    Trailer,
    StartXref,
    True,
    False,
    Null,
    /// `n`: an in-use entry of a cross-reference table.
    InUse,
    /// `f`: a free entry of a cross-reference table.
    Free,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    Name(Name),
    Integer(i64),
    Real,
    /// A literal or hexadecimal string; its content does not matter to the checks.
    String,
    Keyword(Keyword),
    DictOpen,
    DictClose,
    ArrayOpen,
    ArrayClose,
    /// A `%%EOF` comment.
    EndOfFileMarker,
}

/// What one byte did.
#[derive(Debug)]
pub(crate) enum Step {
    /// The byte was consumed; no token is complete yet.
    Consumed,
    /// A token is complete. If `consumed` is false the byte only ended it and must be pushed
    /// again (it starts the next token or is whitespace).
    Token {
        token: Token,
        start: u64,
        consumed: bool,
    },
}

/// What remains when the input ends.
#[derive(Debug)]
pub(crate) enum Flush {
    Nothing,
    Token {
        token: Token,
        start: u64,
    },
    /// The input ended inside a string or a `<`/`>` pair.
    Unfinished,
}

#[derive(Clone, Copy, Debug)]
enum State {
    Ground,
    Comment {
        head: [u8; 5],
        seen: u8,
    },
    Name(NameDecoder),
    Regular {
        kept: [u8; REGULAR_KEPT],
        numeric: bool,
        has_digit: bool,
    },
    LiteralString {
        depth: u32,
        escaped: bool,
    },
    HexString,
    LessThan,
    GreaterThan,
}

#[derive(Debug)]
pub(crate) struct Lexer {
    state: State,
    token_start: u64,
    token_len: usize,
}

impl Lexer {
    pub(crate) fn new() -> Self {
        Self {
            state: State::Ground,
            token_start: 0,
            token_len: 0,
        }
    }

    /// Continues after a header line the caller has read itself: the rest of it is a comment.
    pub(crate) fn continue_comment(&mut self, start: u64) {
        self.state = State::Comment {
            head: [b'%', 0, 0, 0, 0],
            // Five bytes seen: a header line is never an end-of-file marker.
            seen: 5,
        };
        self.token_start = start;
    }

    /// True while bytes are inside a string or comment, where a viewer would see them only if
    /// told to read from there.
    pub(crate) fn is_in_opaque_text(&self) -> bool {
        matches!(
            self.state,
            State::Comment { .. } | State::LiteralString { .. } | State::HexString
        )
    }

    /// Where the token being read started, if one is.
    pub(crate) fn token_in_progress_since(&self) -> Option<u64> {
        match self.state {
            State::Ground | State::Comment { .. } => None,
            _ => Some(self.token_start),
        }
    }

    pub(crate) fn push(&mut self, byte: u8, position: u64) -> Result<Step, PdfProblem> {
        match &mut self.state {
            State::Ground => self.start_token(byte, position),
            State::Comment { head, seen } => {
                if byte == b'\r' || byte == b'\n' {
                    let is_marker = *seen >= 5 && head == b"%%EOF";
                    self.state = State::Ground;
                    if is_marker {
                        return Ok(self.token(Token::EndOfFileMarker, true));
                    }
                } else if *seen < 5 {
                    head[usize::from(*seen)] = byte;
                    *seen += 1;
                }
                Ok(Step::Consumed)
            }
            State::Name(decoder) => {
                if ends_token(byte) {
                    let name = decoder.finish();
                    self.state = State::Ground;
                    return Ok(self.token(Token::Name(name), false));
                }
                decoder.push(byte);
                self.count_token_byte()?;
                Ok(Step::Consumed)
            }
            State::Regular {
                kept,
                numeric,
                has_digit,
            } => {
                if ends_token(byte) {
                    let token = classify_regular(kept, self.token_len, *numeric, *has_digit)?;
                    self.state = State::Ground;
                    return Ok(self.token(token, false));
                }
                if self.token_len < REGULAR_KEPT {
                    kept[self.token_len] = byte;
                }
                *numeric &= matches!(byte, b'0'..=b'9' | b'+' | b'-' | b'.');
                *has_digit |= byte.is_ascii_digit();
                self.count_token_byte()?;
                Ok(Step::Consumed)
            }
            State::LiteralString { depth, escaped } => {
                if *escaped {
                    *escaped = false;
                } else {
                    match byte {
                        b'\\' => *escaped = true,
                        b'(' => *depth += 1,
                        b')' => {
                            *depth -= 1;
                            if *depth == 0 {
                                self.state = State::Ground;
                                return Ok(self.token(Token::String, true));
                            }
                        }
                        _ => {}
                    }
                }
                self.count_token_byte()?;
                Ok(Step::Consumed)
            }
            State::HexString => self.hex_string_byte(byte),
            State::LessThan => {
                if byte == b'<' {
                    self.state = State::Ground;
                    return Ok(self.token(Token::DictOpen, true));
                }
                self.state = State::HexString;
                self.hex_string_byte(byte)
            }
            State::GreaterThan => {
                if byte == b'>' {
                    self.state = State::Ground;
                    return Ok(self.token(Token::DictClose, true));
                }
                Err(PdfProblem::Malformed("unbalanced '>'"))
            }
        }
    }

    /// Ends the input: completes a token that only lacked its terminating byte.
    pub(crate) fn flush(&mut self) -> Result<Flush, PdfProblem> {
        let state = std::mem::replace(&mut self.state, State::Ground);
        let token = match state {
            State::Ground => return Ok(Flush::Nothing),
            State::Comment { head, seen } => {
                if seen >= 5 && &head == b"%%EOF" {
                    Token::EndOfFileMarker
                } else {
                    return Ok(Flush::Nothing);
                }
            }
            State::Name(decoder) => Token::Name(decoder.finish()),
            State::Regular {
                kept,
                numeric,
                has_digit,
            } => classify_regular(&kept, self.token_len, numeric, has_digit)?,
            State::LiteralString { .. }
            | State::HexString
            | State::LessThan
            | State::GreaterThan => {
                self.state = state;
                return Ok(Flush::Unfinished);
            }
        };
        Ok(Flush::Token {
            token,
            start: self.token_start,
        })
    }

    fn start_token(&mut self, byte: u8, position: u64) -> Result<Step, PdfProblem> {
        self.token_start = position;
        self.token_len = 1;
        self.state = match byte {
            _ if is_whitespace(byte) => return Ok(Step::Consumed),
            b'%' => State::Comment {
                head: [b'%', 0, 0, 0, 0],
                seen: 1,
            },
            b'/' => State::Name(NameDecoder::new()),
            b'(' => State::LiteralString {
                depth: 1,
                escaped: false,
            },
            b'<' => State::LessThan,
            b'>' => State::GreaterThan,
            b'[' => return Ok(self.token(Token::ArrayOpen, true)),
            b']' => return Ok(self.token(Token::ArrayClose, true)),
            b')' => return Err(PdfProblem::Malformed("unbalanced ')'")),
            // Braces belong to PostScript functions, which live inside streams.
            b'{' | b'}' => return Err(PdfProblem::Malformed("brace outside a stream")),
            _ => {
                let mut kept = [0; REGULAR_KEPT];
                kept[0] = byte;
                State::Regular {
                    kept,
                    numeric: matches!(byte, b'0'..=b'9' | b'+' | b'-' | b'.'),
                    has_digit: byte.is_ascii_digit(),
                }
            }
        };
        Ok(Step::Consumed)
    }

    fn hex_string_byte(&mut self, byte: u8) -> Result<Step, PdfProblem> {
        if byte == b'>' {
            self.state = State::Ground;
            return Ok(self.token(Token::String, true));
        }
        if hex_value(byte).is_none() && !is_whitespace(byte) {
            return Err(PdfProblem::Malformed(
                "invalid byte in a hexadecimal string",
            ));
        }
        self.count_token_byte()?;
        Ok(Step::Consumed)
    }

    fn count_token_byte(&mut self) -> Result<(), PdfProblem> {
        self.token_len += 1;
        if self.token_len > MAX_TOKEN_LEN {
            return Err(PdfProblem::TooComplex);
        }
        Ok(())
    }

    fn token(&self, token: Token, consumed: bool) -> Step {
        Step::Token {
            token,
            start: self.token_start,
            consumed,
        }
    }
}

/// A run of regular characters is a number or a keyword; anything else is not PDF.
fn classify_regular(
    kept: &[u8; REGULAR_KEPT],
    len: usize,
    numeric: bool,
    has_digit: bool,
) -> Result<Token, PdfProblem> {
    if numeric && has_digit {
        let integer = (len <= REGULAR_KEPT)
            .then(|| parse_integer(&kept[..len]))
            .flatten();
        // Readers accept sloppy reals such as `-.5`, `4.` or `--2`; their value never matters.
        return Ok(integer.map_or(Token::Real, Token::Integer));
    }
    let keyword = match &kept[..len.min(REGULAR_KEPT)] {
        _ if len > REGULAR_KEPT => None,
        b"obj" => Some(Keyword::Obj),
        b"endobj" => Some(Keyword::EndObj),
        b"stream" => Some(Keyword::Stream),
        b"endstream" => Some(Keyword::EndStream),
        b"R" => Some(Keyword::R),
        b"xref" => Some(Keyword::Xref),
        b"trailer" => Some(Keyword::Trailer),
        b"startxref" => Some(Keyword::StartXref),
        b"true" => Some(Keyword::True),
        b"false" => Some(Keyword::False),
        b"null" => Some(Keyword::Null),
        b"n" => Some(Keyword::InUse),
        b"f" => Some(Keyword::Free),
        _ => None,
    };
    keyword
        .map(Token::Keyword)
        .ok_or(PdfProblem::Malformed("unknown keyword"))
}

fn parse_integer(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value
            .checked_mul(10)?
            .checked_add(i64::from(digit - b'0'))?;
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(input: &[u8]) -> Result<Vec<Token>, PdfProblem> {
        let mut lexer = Lexer::new();
        let mut out = Vec::new();
        for (position, &byte) in input.iter().enumerate() {
            loop {
                match lexer.push(byte, position as u64)? {
                    Step::Consumed => break,
                    Step::Token {
                        token, consumed, ..
                    } => {
                        out.push(token);
                        if consumed {
                            break;
                        }
                    }
                }
            }
        }
        match lexer.flush()? {
            Flush::Token { token, .. } => out.push(token),
            Flush::Nothing => {}
            Flush::Unfinished => return Err(PdfProblem::Truncated),
        }
        Ok(out)
    }

    fn name(token: &Token) -> &Name {
        match token {
            Token::Name(name) => name,
            other => panic!("expected a name, got {other:?}"),
        }
    }

    #[test]
    fn names_are_decoded() {
        let found = tokens(b"/J#61vaScript/JS/A#2 /B#zz/C#").unwrap();
        assert!(name(&found[0]).is(b"JavaScript"));
        assert!(name(&found[1]).is(b"JS"));
        assert!(name(&found[2]).is(b"A#2"));
        assert!(name(&found[3]).is(b"B#zz"));
        assert!(name(&found[4]).is(b"C#"));
    }

    #[test]
    fn long_names_match_nothing() {
        let long = format!("/{}", "J".repeat(100));
        let found = tokens(long.as_bytes()).unwrap();
        assert!(!name(&found[0]).is(&[b'J'; NAME_KEPT]));
    }

    #[test]
    fn numbers_keywords_and_delimiters() {
        let found = tokens(b"1 0 obj<</Length 12/K -.5>>[true null]endobj").unwrap();
        assert_eq!(found[0], Token::Integer(1));
        assert_eq!(found[1], Token::Integer(0));
        assert_eq!(found[2], Token::Keyword(Keyword::Obj));
        assert_eq!(found[3], Token::DictOpen);
        assert_eq!(found[5], Token::Integer(12));
        assert_eq!(found[7], Token::Real);
        assert_eq!(found[8], Token::DictClose);
        assert_eq!(found[9], Token::ArrayOpen);
        assert_eq!(found[10], Token::Keyword(Keyword::True));
        assert_eq!(found[11], Token::Keyword(Keyword::Null));
        assert_eq!(found[12], Token::ArrayClose);
        assert_eq!(found[13], Token::Keyword(Keyword::EndObj));
    }

    #[test]
    fn strings_nest_and_escape() {
        let found = tokens(br"(a (b) \) c) <48 65 6C>").unwrap();
        assert_eq!(found, vec![Token::String, Token::String]);
        assert_eq!(tokens(b"(open (nested)"), Err(PdfProblem::Truncated));
    }

    #[test]
    fn comments_and_end_markers() {
        let found = tokens(b"% comment /JS\n%%EOF\r\n%%EOF").unwrap();
        assert_eq!(found, vec![Token::EndOfFileMarker, Token::EndOfFileMarker]);
    }

    #[test]
    fn garbage_is_refused() {
        assert!(matches!(tokens(b"hello"), Err(PdfProblem::Malformed(_))));
        assert!(matches!(tokens(b")"), Err(PdfProblem::Malformed(_))));
        assert!(matches!(tokens(b"<4G>"), Err(PdfProblem::Malformed(_))));
        assert!(matches!(tokens(b"> "), Err(PdfProblem::Malformed(_))));
        assert!(matches!(tokens(b"{"), Err(PdfProblem::Malformed(_))));
    }

    #[test]
    fn oversized_tokens_are_too_complex() {
        let mut huge = b"(".to_vec();
        huge.extend(std::iter::repeat_n(b'a', MAX_TOKEN_LEN + 1));
        assert_eq!(tokens(&huge), Err(PdfProblem::TooComplex));
    }
}
