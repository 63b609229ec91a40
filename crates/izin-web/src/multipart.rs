//! The one reader of multipart forms (every upload route of the pages and the API): text parts
//! are collected as they come, file parts are handed over one at a time as streams, so a file is
//! never held in memory, and a body over the upload limit stops the reading with what was read
//! so far — the page comes back with what was typed and the limit, not a generic error.

use crate::pages::fields::Values;
use crate::uploads::UPLOAD_BODY_LIMIT;
use axum::body::Body;
use axum::http::{HeaderMap, header};
use bytes::Bytes;
use futures_util::Stream;

/// Text parts are short; a longer one is not a form of ours.
const TEXT_PART_LIMIT: u64 = 64 * 1024;

/// Why a form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormFault {
    /// Not multipart as announced, or cut off.
    Malformed,
}

/// A file part: its form name, the uploader's file name and its bytes as they arrive.
pub struct FilePart {
    /// The form's name for it (`file`, `photo_document_id_file`, …).
    pub name: String,
    /// The uploader's file name (empty when no file was chosen).
    pub file_name: String,
    field: multer::Field<'static>,
}

impl FilePart {
    /// The file's bytes as a stream; an error ends it.
    pub fn stream(self) -> impl Stream<Item = Result<Bytes, multer::Error>> + Send + 'static {
        self.field
    }

    /// Reads the part to its end without keeping it (no file was wanted there).
    pub async fn drain(mut self) {
        while let Ok(Some(_)) = self.field.chunk().await {}
    }
}

/// A multipart form read part by part.
pub struct FormReader {
    multipart: Option<multer::Multipart<'static>>,
    values: Values,
    /// The body is (or says it is) larger than any upload may be: reading stopped.
    too_large: bool,
    /// The request said so before a byte was read (`Content-Length`): no file is read at all.
    declared_too_large: bool,
}

/// The largest body of a form with `files` file inputs: each may carry the largest document.
pub fn body_limit(files: usize) -> u64 {
    UPLOAD_BODY_LIMIT as u64 * files.max(1) as u64
}

/// Whether the request says it is larger than `limit`. Refused before a byte of a file is
/// read, so 60 MB are not read to say "at most 10 MB".
fn declared_over(headers: &HeaderMap, limit: u64) -> bool {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|length| length > limit)
}

fn is_too_large(error: &multer::Error) -> bool {
    matches!(
        error,
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. }
    )
}

impl FormReader {
    /// A reader of a form with one file input; a body that is not `multipart/form-data` reads
    /// as malformed.
    pub fn new(headers: &HeaderMap, body: Body) -> Self {
        Self::with_files(headers, body, 1)
    }

    /// A reader of a form with up to `files` file inputs.
    pub fn with_files(headers: &HeaderMap, body: Body, files: usize) -> Self {
        let limit = body_limit(files);
        let boundary = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok());
        let multipart = boundary.map(|boundary| {
            let constraints = multer::Constraints::new().size_limit(
                multer::SizeLimit::new()
                    .whole_stream(limit)
                    .per_field(UPLOAD_BODY_LIMIT as u64),
            );
            multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints)
        });
        Self {
            multipart,
            values: Values::default(),
            too_large: false,
            declared_too_large: declared_over(headers, limit),
        }
    }

    /// Reads text parts into the values up to the next file part and returns it; `None` at the
    /// end of the form, or when the body is too large (see [`FormReader::too_large`]). The
    /// anti-forgery token (checked before the handler ran) is left out of the values.
    pub async fn next_file(&mut self) -> Result<Option<FilePart>, FormFault> {
        let Some(multipart) = self.multipart.as_mut() else {
            return Err(FormFault::Malformed);
        };
        loop {
            if self.too_large {
                return Ok(None);
            }
            let mut field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => return Ok(None),
                Err(e) if is_too_large(&e) => {
                    self.too_large = true;
                    return Ok(None);
                }
                Err(_) => return Err(FormFault::Malformed),
            };
            let name = field.name().unwrap_or_default().to_owned();
            if let Some(file_name) = field.file_name().map(str::to_owned) {
                if self.declared_too_large && !file_name.is_empty() {
                    self.too_large = true;
                    return Ok(None);
                }
                return Ok(Some(FilePart {
                    name,
                    file_name,
                    field,
                }));
            }
            let mut text = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        text.extend_from_slice(&chunk);
                        if text.len() as u64 > TEXT_PART_LIMIT {
                            return Err(FormFault::Malformed);
                        }
                    }
                    Ok(None) => break,
                    Err(e) if is_too_large(&e) => {
                        self.too_large = true;
                        return Ok(None);
                    }
                    Err(_) => return Err(FormFault::Malformed),
                }
            }
            let Ok(text) = String::from_utf8(text) else {
                return Err(FormFault::Malformed);
            };
            if name != "csrf" {
                self.values.push(&name, text);
            }
        }
    }

    /// The next file part named `name`; file parts under other names are read past (drained).
    /// `None` at the end of the form, or when the body is too large.
    pub async fn file(&mut self, name: &str) -> Result<Option<FilePart>, FormFault> {
        while let Some(part) = self.next_file().await? {
            if part.name == name {
                return Ok(Some(part));
            }
            part.drain().await;
        }
        Ok(None)
    }

    /// Reads the rest of the form past (drained) and says whether the body is over the limit:
    /// after a file that failed, whether the failure was the limit, whatever the file's stream
    /// said.
    pub async fn read_to_end(&mut self) -> bool {
        while let Ok(Some(part)) = self.next_file().await {
            part.drain().await;
        }
        self.too_large
    }

    /// The text parts read so far.
    pub fn values(&self) -> &Values {
        &self.values
    }

    /// Whether reading stopped because the body is larger than an upload may be.
    pub fn too_large(&self) -> bool {
        self.too_large
    }
}

impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .finish_non_exhaustive()
    }
}
