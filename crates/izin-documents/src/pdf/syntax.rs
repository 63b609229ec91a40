//! PDF tokens to structure: objects, dictionaries, arrays, cross-reference sections.
//!
//! Only as much structure is kept as the checks need: a stack of open containers (bounded
//! depth), where the file is between top-level sections, and the few entries of a stream's
//! dictionary that say how to find the end of its data and whether it holds compressed
//! objects. Values themselves are not stored.

use super::lexer::{Keyword, Name, Token};
use super::{PdfProblem, active_content};

/// Deepest nesting of dictionaries and arrays accepted.
pub const MAX_DEPTH: usize = 64;

/// Most indirect objects (plain and compressed) accepted in one file.
pub const MAX_OBJECTS: u64 = 1_000_000;

/// Which layer of syntax is read: a file's body, or the decompressed content of an object
/// stream (bare objects, no `obj`/`endobj` and no streams).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layer {
    File,
    ObjectStream,
}

/// How a stream's data is encoded, as far as reading object streams is concerned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Filters {
    pub(crate) count: u32,
    pub(crate) all_flate: bool,
}

/// The entries of a stream's dictionary that matter to the inspector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StreamDictionary {
    /// `/Length` when given as a direct integer (an indirect one is not resolvable in one pass).
    pub(crate) length: Option<u64>,
    /// `/Type /ObjStm`, or a `/First` key: viewers read a stream as an object stream when the
    /// cross-reference section says so, without checking its `/Type`, and `/First` is what
    /// they cannot do without.
    pub(crate) is_object_stream: bool,
    /// `/N`: how many objects an object stream holds.
    pub(crate) object_count: Option<u64>,
    pub(crate) filters: Filters,
    pub(crate) has_predictor: bool,
    /// `/Filter` or `/DecodeParms` (or a part of them) is an indirect reference, which a
    /// single pass cannot resolve.
    pub(crate) indirect_decoding: bool,
}

/// What the caller must do after a token.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Directive {
    Continue,
    /// The `stream` keyword: raw data follows, described by this dictionary.
    BeginStream(StreamDictionary),
}

/// Dictionary keys whose values the inspector reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Length,
    Type,
    Filter,
    N,
    DecodeParms,
    Predictor,
    First,
    Other,
}

impl Key {
    fn of(name: &Name) -> Self {
        const KEYS: [(&[u8], Key); 7] = [
            (b"Length", Key::Length),
            (b"Type", Key::Type),
            (b"Filter", Key::Filter),
            (b"N", Key::N),
            (b"DecodeParms", Key::DecodeParms),
            (b"Predictor", Key::Predictor),
            (b"First", Key::First),
        ];
        KEYS.iter()
            .find(|(text, _)| name.is(text))
            .map_or(Key::Other, |(_, key)| *key)
    }
}

/// What a container is to the stream dictionary being read, so that nested values such as
/// `/Filter [/FlateDecode]` or `/DecodeParms << /Predictor 12 >>` are attributed correctly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Plain,
    StreamDictionary,
    FilterArray,
    ParmsDictionary,
    ParmsArray,
}

/// A scalar value as far as the stream dictionary cares.
#[derive(Clone, Copy, Debug)]
enum Value {
    Integer(i64),
    Name(Name),
    Reference,
    Other,
}

/// Where a dictionary is in its key/value alternation. References (`12 0 R`) take three
/// tokens, so an integer value is only known to be one after the next token.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Key,
    Value(Key),
    AfterInteger(Key, i64),
    AfterGeneration(Key),
}

#[derive(Clone, Copy, Debug)]
enum Container {
    Array(Role),
    Dictionary(Role, Slot),
}

/// Whether the current object has a stream, and where its data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StreamData {
    None,
    /// The caller is reading the data; `endstream` comes next.
    Open,
    Ended,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Section {
    /// Between top-level sections; up to two integers (`N G` of `N G obj`) may be pending.
    Between {
        pending_integers: u8,
    },
    Object {
        /// The object's value so far ended with a dictionary (which a stream may follow).
        last_dictionary: Option<StreamDictionary>,
        trailing_integers: u8,
        data: StreamData,
    },
    XrefTable,
    Trailer,
    StartXref,
}

#[derive(Debug)]
pub(crate) struct Syntax {
    layer: Layer,
    section: Section,
    containers: Vec<Container>,
    stream_dictionary: StreamDictionary,
    unfinished_since: Option<u64>,
    objects: u64,
    saw_startxref: bool,
    last_end_marker: Option<u64>,
}

impl Syntax {
    pub(crate) fn new(layer: Layer) -> Self {
        Self {
            layer,
            section: Section::Between {
                pending_integers: 0,
            },
            containers: Vec::new(),
            stream_dictionary: StreamDictionary::default(),
            unfinished_since: None,
            objects: 0,
            saw_startxref: false,
            last_end_marker: None,
        }
    }

    pub(crate) fn objects(&self) -> u64 {
        self.objects
    }

    pub(crate) fn saw_startxref(&self) -> bool {
        self.saw_startxref
    }

    /// Start of the last `%%EOF` met between sections (not one inside an object).
    pub(crate) fn last_end_marker(&self) -> Option<u64> {
        self.last_end_marker
    }

    /// Where the construct still open began: `None` when between sections.
    pub(crate) fn unfinished_since(&self) -> Option<u64> {
        match self.layer {
            Layer::File => self.unfinished_since,
            Layer::ObjectStream => (!self.containers.is_empty()).then_some(0),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.containers.capacity() * std::mem::size_of::<Container>()
    }

    /// Counts the objects an object stream says it holds.
    pub(crate) fn add_compressed_objects(&mut self, count: u64) -> Result<(), PdfProblem> {
        self.objects = self.objects.saturating_add(count);
        if self.objects > MAX_OBJECTS {
            return Err(PdfProblem::TooComplex);
        }
        Ok(())
    }

    pub(crate) fn accept(&mut self, token: Token, start: u64) -> Result<Directive, PdfProblem> {
        if let Token::Name(name) = &token {
            self.check_name(name)?;
        }
        if let Some(&container) = self.containers.last() {
            self.accept_in_container(container, token)?;
            return Ok(Directive::Continue);
        }
        match self.layer {
            Layer::File => self.accept_in_file(token, start),
            Layer::ObjectStream => self.accept_in_object_stream(token),
        }
    }

    fn check_name(&self, name: &Name) -> Result<(), PdfProblem> {
        match active_content::problem_of_name(name, self.is_key_position()) {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    fn is_key_position(&self) -> bool {
        matches!(
            self.containers.last(),
            Some(Container::Dictionary(_, Slot::Key | Slot::AfterInteger(..)))
        )
    }

    fn accept_in_file(&mut self, token: Token, start: u64) -> Result<Directive, PdfProblem> {
        match self.section {
            Section::Between { pending_integers } => {
                self.accept_between(token, start, pending_integers)
            }
            Section::Object {
                last_dictionary,
                trailing_integers,
                data,
            } => self.accept_in_object(token, start, last_dictionary, trailing_integers, data),
            Section::XrefTable => match token {
                Token::Integer(_) | Token::Keyword(Keyword::InUse | Keyword::Free) => {
                    Ok(Directive::Continue)
                }
                Token::Keyword(Keyword::Trailer) => {
                    self.section = Section::Trailer;
                    Ok(Directive::Continue)
                }
                _ => Err(PdfProblem::Malformed("invalid cross-reference table")),
            },
            Section::Trailer => match token {
                Token::DictOpen => self.open(Container::Dictionary(Role::Plain, Slot::Key)),
                _ => Err(PdfProblem::Malformed("trailer without a dictionary")),
            },
            Section::StartXref => match token {
                Token::Integer(offset) if offset >= 0 => {
                    self.saw_startxref = true;
                    self.end_section();
                    Ok(Directive::Continue)
                }
                _ => Err(PdfProblem::Malformed("startxref without an offset")),
            },
        }
    }

    fn accept_between(
        &mut self,
        token: Token,
        start: u64,
        pending_integers: u8,
    ) -> Result<Directive, PdfProblem> {
        let next_section = match token {
            Token::EndOfFileMarker => {
                if pending_integers == 0 {
                    self.last_end_marker = Some(start);
                }
                return Ok(Directive::Continue);
            }
            Token::Integer(number) if number >= 0 && pending_integers < 2 => {
                self.unfinished_since.get_or_insert(start);
                Section::Between {
                    pending_integers: pending_integers + 1,
                }
            }
            Token::Keyword(Keyword::Obj) if pending_integers == 2 => {
                self.count_object()?;
                Section::Object {
                    last_dictionary: None,
                    trailing_integers: 0,
                    data: StreamData::None,
                }
            }
            Token::Keyword(Keyword::Xref) if pending_integers == 0 => Section::XrefTable,
            Token::Keyword(Keyword::Trailer) if pending_integers == 0 => Section::Trailer,
            Token::Keyword(Keyword::StartXref) if pending_integers == 0 => Section::StartXref,
            _ => return Err(PdfProblem::Malformed("unexpected token between objects")),
        };
        self.unfinished_since.get_or_insert(start);
        self.section = next_section;
        Ok(Directive::Continue)
    }

    fn accept_in_object(
        &mut self,
        token: Token,
        start: u64,
        last_dictionary: Option<StreamDictionary>,
        trailing_integers: u8,
        data: StreamData,
    ) -> Result<Directive, PdfProblem> {
        let mut next = Section::Object {
            last_dictionary: None,
            trailing_integers: 0,
            data,
        };
        match token {
            Token::Keyword(Keyword::EndObj) => {
                self.end_section();
                return Ok(Directive::Continue);
            }
            Token::Keyword(Keyword::Stream) => {
                let dictionary = match (last_dictionary, data) {
                    (Some(dictionary), StreamData::None) => dictionary,
                    _ => return Err(PdfProblem::Malformed("stream without a dictionary")),
                };
                self.section = Section::Object {
                    last_dictionary: None,
                    trailing_integers: 0,
                    data: StreamData::Open,
                };
                return Ok(Directive::BeginStream(dictionary));
            }
            Token::Keyword(Keyword::EndStream) => {
                if data != StreamData::Open {
                    return Err(PdfProblem::Malformed("endstream without stream"));
                }
                next = Section::Object {
                    last_dictionary: None,
                    trailing_integers: 0,
                    data: StreamData::Ended,
                };
            }
            // Some writers omit `endobj`; the next object's header ends the previous object.
            Token::Keyword(Keyword::Obj) if trailing_integers >= 2 => {
                self.count_object()?;
                next = Section::Object {
                    last_dictionary: None,
                    trailing_integers: 0,
                    data: StreamData::None,
                };
            }
            // Likewise a missing `endobj` before the cross-reference section.
            Token::Keyword(Keyword::Xref | Keyword::Trailer | Keyword::StartXref) => {
                self.end_section();
                return self.accept_between(token, start, 0);
            }
            Token::DictOpen => {
                self.section = next;
                self.stream_dictionary = StreamDictionary::default();
                return self.open(Container::Dictionary(Role::StreamDictionary, Slot::Key));
            }
            Token::ArrayOpen => {
                self.section = next;
                return self.open(Container::Array(Role::Plain));
            }
            Token::Integer(_) => {
                next = Section::Object {
                    last_dictionary: None,
                    trailing_integers: (trailing_integers + 1).min(2),
                    data,
                };
            }
            Token::Name(_)
            | Token::Real
            | Token::String
            | Token::Keyword(Keyword::R | Keyword::True | Keyword::False | Keyword::Null) => {}
            // A `%%EOF` inside an object is only a comment.
            Token::EndOfFileMarker => return Ok(Directive::Continue),
            Token::DictClose | Token::ArrayClose => {
                return Err(PdfProblem::Malformed("unbalanced closing bracket"));
            }
            Token::Keyword(_) => {
                return Err(PdfProblem::Malformed("unexpected keyword inside an object"));
            }
        }
        self.section = next;
        Ok(Directive::Continue)
    }

    fn accept_in_object_stream(&mut self, token: Token) -> Result<Directive, PdfProblem> {
        match token {
            Token::DictOpen => self.open(Container::Dictionary(Role::Plain, Slot::Key)),
            Token::ArrayOpen => self.open(Container::Array(Role::Plain)),
            Token::Integer(_)
            | Token::Real
            | Token::String
            | Token::Name(_)
            | Token::EndOfFileMarker
            | Token::Keyword(Keyword::R | Keyword::True | Keyword::False | Keyword::Null) => {
                Ok(Directive::Continue)
            }
            Token::DictClose | Token::ArrayClose => {
                Err(PdfProblem::Malformed("unbalanced closing bracket"))
            }
            Token::Keyword(_) => Err(PdfProblem::Malformed(
                "keyword not allowed in an object stream",
            )),
        }
    }

    fn accept_in_container(
        &mut self,
        container: Container,
        token: Token,
    ) -> Result<(), PdfProblem> {
        match (container, token) {
            (Container::Dictionary(role, Slot::Key), Token::DictClose) => {
                self.close(role, None);
                Ok(())
            }
            (Container::Dictionary(role, Slot::AfterInteger(key, number)), Token::DictClose) => {
                self.close(role, Some((key, Value::Integer(number))));
                Ok(())
            }
            (Container::Array(role), Token::ArrayClose) => {
                self.close(role, None);
                Ok(())
            }
            (_, Token::DictClose | Token::ArrayClose) => {
                Err(PdfProblem::Malformed("unbalanced closing bracket"))
            }
            (Container::Dictionary(role, slot), token) => {
                self.accept_in_dictionary(role, slot, token)
            }
            (Container::Array(role), token) => self.accept_in_array(role, token),
        }
    }

    fn accept_in_dictionary(
        &mut self,
        role: Role,
        slot: Slot,
        token: Token,
    ) -> Result<(), PdfProblem> {
        let next_slot = match (slot, token) {
            (_, Token::EndOfFileMarker) => slot,
            (Slot::Key, Token::Name(name)) => {
                let key = Key::of(&name);
                if role == Role::StreamDictionary && key == Key::First {
                    self.stream_dictionary.is_object_stream = true;
                }
                Slot::Value(key)
            }
            (Slot::Value(key), Token::Integer(number)) => Slot::AfterInteger(key, number),
            (Slot::Value(key), Token::DictOpen | Token::ArrayOpen) => {
                self.set_slot(Slot::Key);
                let child_role = child_role(role, key, token == Token::DictOpen);
                let child = if token == Token::DictOpen {
                    Container::Dictionary(child_role, Slot::Key)
                } else {
                    Container::Array(child_role)
                };
                self.open(child)?;
                return Ok(());
            }
            (Slot::Value(key), Token::Name(name)) => {
                self.record(role, key, Value::Name(name));
                Slot::Key
            }
            (
                Slot::Value(key),
                Token::Real
                | Token::String
                | Token::Keyword(Keyword::True | Keyword::False | Keyword::Null),
            ) => {
                self.record(role, key, Value::Other);
                Slot::Key
            }
            (Slot::AfterInteger(key, _), Token::Integer(_)) => Slot::AfterGeneration(key),
            (Slot::AfterInteger(key, number), Token::Name(name)) => {
                self.record(role, key, Value::Integer(number));
                let next_key = Key::of(&name);
                if role == Role::StreamDictionary && next_key == Key::First {
                    self.stream_dictionary.is_object_stream = true;
                }
                Slot::Value(next_key)
            }
            (Slot::AfterGeneration(key), Token::Keyword(Keyword::R)) => {
                self.record(role, key, Value::Reference);
                Slot::Key
            }
            (Slot::Key | Slot::AfterInteger(..), _) => {
                return Err(PdfProblem::Malformed("dictionary key is not a name"));
            }
            (Slot::AfterGeneration(_), _) => {
                return Err(PdfProblem::Malformed("malformed reference"));
            }
            (Slot::Value(_), _) => {
                return Err(PdfProblem::Malformed("unexpected token in a dictionary"));
            }
        };
        self.set_slot(next_slot);
        Ok(())
    }

    fn accept_in_array(&mut self, role: Role, token: Token) -> Result<(), PdfProblem> {
        match token {
            Token::DictOpen => {
                let child_role = if role == Role::ParmsArray {
                    Role::ParmsDictionary
                } else {
                    Role::Plain
                };
                self.open(Container::Dictionary(child_role, Slot::Key))?;
            }
            Token::ArrayOpen => {
                self.open(Container::Array(Role::Plain))?;
            }
            Token::Name(name) => {
                if role == Role::FilterArray {
                    self.add_filter(&name);
                }
            }
            Token::Keyword(Keyword::R) => {
                if matches!(role, Role::FilterArray | Role::ParmsArray) {
                    self.stream_dictionary.indirect_decoding = true;
                }
            }
            Token::Integer(_)
            | Token::Real
            | Token::String
            | Token::EndOfFileMarker
            | Token::Keyword(Keyword::True | Keyword::False | Keyword::Null) => {}
            Token::Keyword(_) => {
                return Err(PdfProblem::Malformed("unexpected keyword in an array"));
            }
            Token::DictClose | Token::ArrayClose => {
                return Err(PdfProblem::Malformed("unbalanced closing bracket"));
            }
        }
        Ok(())
    }

    fn record(&mut self, role: Role, key: Key, value: Value) {
        let dictionary = &mut self.stream_dictionary;
        match (role, key, value) {
            (Role::StreamDictionary, Key::Length, Value::Integer(length)) => {
                dictionary.length = u64::try_from(length).ok();
            }
            (Role::StreamDictionary, Key::Length, _) => dictionary.length = None,
            (Role::StreamDictionary, Key::Type, Value::Name(name)) => {
                dictionary.is_object_stream |= name.is(b"ObjStm");
            }
            (Role::StreamDictionary, Key::Filter | Key::DecodeParms, Value::Reference)
            | (Role::ParmsDictionary, Key::Predictor, Value::Reference) => {
                dictionary.indirect_decoding = true;
            }
            (Role::StreamDictionary, Key::N, Value::Integer(count)) => {
                dictionary.object_count = u64::try_from(count).ok();
            }
            (Role::StreamDictionary, Key::Filter, Value::Name(name)) => self.add_filter(&name),
            (Role::ParmsDictionary, Key::Predictor, Value::Integer(predictor)) => {
                dictionary.has_predictor |= predictor > 1;
            }
            _ => {}
        }
    }

    fn add_filter(&mut self, name: &Name) {
        let filters = &mut self.stream_dictionary.filters;
        let is_flate = name.is(b"FlateDecode") || name.is(b"Fl");
        filters.all_flate = is_flate && (filters.count == 0 || filters.all_flate);
        filters.count += 1;
    }

    fn open(&mut self, container: Container) -> Result<Directive, PdfProblem> {
        if self.containers.len() >= MAX_DEPTH {
            return Err(PdfProblem::TooComplex);
        }
        self.containers.push(container);
        Ok(Directive::Continue)
    }

    fn close(&mut self, role: Role, pending: Option<(Key, Value)>) {
        if let Some((key, value)) = pending {
            self.record(role, key, value);
        }
        self.containers.pop();
        if self.containers.is_empty()
            && role == Role::StreamDictionary
            && let Section::Object {
                last_dictionary, ..
            } = &mut self.section
        {
            *last_dictionary = Some(self.stream_dictionary);
        }
        self.child_closed();
    }

    /// A top-level container closed: a trailer dictionary completes its section.
    fn child_closed(&mut self) {
        if self.containers.is_empty() && self.section == Section::Trailer {
            self.end_section();
        }
    }

    fn set_slot(&mut self, slot: Slot) {
        if let Some(Container::Dictionary(_, current)) = self.containers.last_mut() {
            *current = slot;
        }
    }

    fn end_section(&mut self) {
        self.section = Section::Between {
            pending_integers: 0,
        };
        self.unfinished_since = None;
    }

    fn count_object(&mut self) -> Result<(), PdfProblem> {
        self.add_compressed_objects(1)
    }
}

fn child_role(parent: Role, key: Key, is_dictionary: bool) -> Role {
    match (parent, key, is_dictionary) {
        (Role::StreamDictionary, Key::Filter, false) => Role::FilterArray,
        (Role::StreamDictionary, Key::DecodeParms, true) => Role::ParmsDictionary,
        (Role::StreamDictionary, Key::DecodeParms, false) => Role::ParmsArray,
        _ => Role::Plain,
    }
}
