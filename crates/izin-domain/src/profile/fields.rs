//! The field types User Information is made of, each with the one `parse` that builds it:
//! names as a passport prints them, free text without hidden characters, ISO country and
//! language codes; and a rule's violation, named by its field, with the values its message
//! quotes.

use crate::identifiers::{IdError, string_newtype};
use crate::reference::Reference;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::Date;

/// What rules need to know besides the input.
pub struct RuleContext<'a> {
    pub today: Date,
    pub reference: &'a Reference,
}

/// One invalid field: its path in the input (`spouse.tr_id`), the rule's stable code (also the
/// message id in `locales/*/profile.ftl`), and values the message may quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub field: String,
    pub code: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Violation {
    pub fn new(field: &str, code: &'static str) -> Self {
        Self {
            field: field.to_owned(),
            code,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

/// Why a name or free text is not acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong,
    TooShort,
    Characters,
    /// An invisible control character (NUL, escape, …) at this 1-based character position.
    ControlCharacter {
        position: usize,
    },
    /// A bidirectional embedding, override or isolate at this 1-based character position.
    DirectionOverride {
        position: usize,
    },
}

impl TextError {
    pub(crate) fn code(self) -> &'static str {
        match self {
            TextError::Empty => "text-empty",
            TextError::TooLong => "text-too-long",
            TextError::TooShort => "text-too-short",
            TextError::Characters => "name-characters",
            TextError::ControlCharacter { .. } => "text-control-character",
            TextError::DirectionOverride { .. } => "text-direction-override",
        }
    }

    /// The violation for `field`, with the values its message quotes.
    pub fn violation(self, field: &str, min: usize, max: usize) -> Violation {
        let violation = Violation::new(field, self.code());
        match self {
            TextError::TooShort | TextError::TooLong => violation
                .arg("min", min.to_string())
                .arg("max", max.to_string()),
            TextError::ControlCharacter { position }
            | TextError::DirectionOverride { position } => {
                violation.arg("position", position.to_string())
            }
            TextError::Empty | TextError::Characters => violation,
        }
    }
}

/// Whether `c` may appear in free text. Refused: C0 and C1 control characters other than the
/// line break and the tab (they are invisible, and NUL truncates text in other systems), and
/// the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
/// make text display in an order other than the one stored — a way to disguise a value in an
/// officer's view. The direction *marks* (U+200E, U+200F, U+061C) stay: right-to-left
/// scripts need them, and they cannot reorder anything beyond their neighbour.
pub(super) fn free_text_problem(position: usize, c: char) -> Option<TextError> {
    match c {
        '\n' | '\t' => None,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
            Some(TextError::DirectionOverride { position })
        }
        c if c.is_control() => Some(TextError::ControlCharacter { position }),
        _ => None,
    }
}

pub(super) fn collapse_spaces(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's name: letters of any script (Turkish included), spaces, hyphens and apostrophes;
/// trimmed; 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<Self, TextError> {
        let name = collapse_spaces(input);
        if name.is_empty() {
            return Err(TextError::Empty);
        }
        if name.chars().count() > Self::MAX {
            return Err(TextError::TooLong);
        }
        let allowed =
            |c: char| c.is_alphabetic() || is_mark(c) || matches!(c, ' ' | '-' | '\'' | '’' | '.');
        if !name.chars().all(allowed) || !name.chars().any(char::is_alphabetic) {
            return Err(TextError::Characters);
        }
        Ok(Self(name))
    }
}

/// Combining marks (accents written as separate characters in some scripts).
pub(super) fn is_mark(c: char) -> bool {
    matches!(u32::from(c), 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x1AB0..=0x1AFF | 0x20D0..=0x20FF)
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PersonName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for PersonName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for PersonName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        PersonName::parse(&raw).map_err(|e| serde::de::Error::custom(format!("{e:?}")))
    }
}

/// Free text with a length range. Line breaks are normalised to `\n`; control characters and
/// direction overrides are refused, never silently dropped (see `free_text_problem`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FreeText(String);

impl FreeText {
    pub fn parse(input: &str, min: usize, max: usize) -> Result<Self, TextError> {
        let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
        if let Some(problem) = normalised
            .chars()
            .enumerate()
            .find_map(|(i, c)| free_text_problem(i + 1, c))
        {
            return Err(problem);
        }
        let text = normalised.trim().to_owned();
        if text.is_empty() {
            return Err(TextError::Empty);
        }
        let length = text.chars().count();
        if length < min {
            return Err(TextError::TooShort);
        }
        if length > max {
            return Err(TextError::TooLong);
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for FreeText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for FreeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Stored text was checked when saved; only its cleanliness is re-established here.
        let raw = String::deserialize(d)?;
        FreeText::parse(&raw, 1, usize::MAX).map_err(|e| serde::de::Error::custom(format!("{e:?}")))
    }
}

/// An ISO 3166-1 alpha-3 code known to the reference data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);
/// An ISO 639-3 code known to the reference data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LanguageCode(String);

impl CountryCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let code = input.trim().to_ascii_uppercase();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(code))
        } else if code.is_empty() {
            Err(IdError::Empty)
        } else {
            Err(IdError::Shape)
        }
    }

    /// Parses and checks the code against the reference data.
    pub fn known(input: &str, reference: &Reference) -> Result<Self, IdError> {
        let code = Self::parse(input)?;
        reference
            .country(&code.0)
            .map(|_| code)
            .ok_or(IdError::Invalid)
    }
}
string_newtype!(CountryCode);

impl LanguageCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let code = input.trim().to_ascii_lowercase();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Self(code))
        } else if code.is_empty() {
            Err(IdError::Empty)
        } else {
            Err(IdError::Shape)
        }
    }

    pub fn known(input: &str, reference: &Reference) -> Result<Self, IdError> {
        let code = Self::parse(input)?;
        reference
            .language(&code.0)
            .map(|_| code)
            .ok_or(IdError::Invalid)
    }
}
string_newtype!(LanguageCode);
