//! The anti-forgery token of a form that uploads files: it must be the first part of the
//! multipart body (browsers send fields in the order of the form, and the token's hidden input
//! comes first), so it is read and checked before any byte of a file, uploads stay streamed,
//! and the token never travels in the address bar. The parts read are handed on unchanged.

use axum::body::Body;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

/// The most bytes read looking for the token: the boundary, the part's headers and the token.
const FIRST_PART_LIMIT: usize = 8 * 1024;

/// Why no token could be read from the front of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenProblem {
    /// The first part is another field (or a file): the token came later, or not at all.
    NotFirst,
    /// The body is not multipart as announced, or ended early.
    Malformed,
}

/// The `boundary` parameter of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
            .filter(|b| !b.is_empty() && b.len() <= 70)
    })
}

/// Reads the first part of a multipart body; returns the token it holds (the field must be
/// named `csrf`) and the whole body again, the bytes read put back in front.
pub async fn take(body: Body, boundary: &str) -> (Result<String, TokenProblem>, Body) {
    let mut stream = body.into_data_stream();
    let mut read = BytesMut::new();
    let outcome = loop {
        match first_field(&read, boundary) {
            Parsed::Field { name, value } => {
                break if name == "csrf" {
                    Ok(value)
                } else {
                    Err(TokenProblem::NotFirst)
                };
            }
            Parsed::Invalid(problem) => break Err(problem),
            Parsed::NeedMore if read.len() > FIRST_PART_LIMIT => {
                break Err(TokenProblem::NotFirst);
            }
            Parsed::NeedMore => match stream.next().await {
                Some(Ok(chunk)) => read.extend_from_slice(&chunk),
                Some(Err(_)) | None => break Err(TokenProblem::Malformed),
            },
        }
    };
    let front = read.freeze();
    let rest = stream;
    let body = Body::from_stream(
        futures_util::stream::once(async move { Ok::<Bytes, axum::Error>(front) }).chain(rest),
    );
    (outcome, body)
}

enum Parsed {
    Field { name: String, value: String },
    Invalid(TokenProblem),
    NeedMore,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The first part of `bytes` as a field name and text value, if all of it has arrived.
fn first_field(bytes: &[u8], boundary: &str) -> Parsed {
    let delimiter = format!("--{boundary}");
    // Leading line breaks before the first delimiter are allowed by RFC 2046.
    let start = bytes
        .iter()
        .position(|b| *b != b'\r' && *b != b'\n')
        .unwrap_or(bytes.len());
    let body = &bytes[start..];
    let opening = format!("{delimiter}\r\n");
    if body.len() < opening.len() {
        return if opening.as_bytes().starts_with(body) {
            Parsed::NeedMore
        } else {
            Parsed::Invalid(TokenProblem::Malformed)
        };
    }
    if !body.starts_with(opening.as_bytes()) {
        return Parsed::Invalid(TokenProblem::Malformed);
    }
    let part = &body[opening.len()..];
    let Some(headers_end) = find(part, b"\r\n\r\n") else {
        return Parsed::NeedMore;
    };
    let headers = String::from_utf8_lossy(&part[..headers_end]);
    let Some(disposition) = headers.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-disposition")
            .then(|| value.trim().to_owned())
    }) else {
        return Parsed::Invalid(TokenProblem::Malformed);
    };
    let mut name = None;
    for param in disposition.split(';').skip(1) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(value.trim().trim_matches('"').to_owned()),
            // A file is never the token.
            "filename" | "filename*" => return Parsed::Invalid(TokenProblem::NotFirst),
            _ => {}
        }
    }
    let Some(name) = name else {
        return Parsed::Invalid(TokenProblem::Malformed);
    };
    let value_start = headers_end + 4;
    let closing = format!("\r\n{delimiter}");
    let Some(value_len) = find(&part[value_start..], closing.as_bytes()) else {
        return Parsed::NeedMore;
    };
    match std::str::from_utf8(&part[value_start..value_start + value_len]) {
        Ok(value) => Parsed::Field {
            name,
            value: value.to_owned(),
        },
        Err(_) => Parsed::Invalid(TokenProblem::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    const BOUNDARY: &str = "----x7d1f";

    fn body(parts: &[(&str, Option<&str>, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, value) in parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match file {
                Some(file) => out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/pdf\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    /// Sends `bytes` in chunks of `size`, as a network would.
    fn chunked(bytes: Vec<u8>, size: usize) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> = bytes
            .chunks(size)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    async fn all(body: Body) -> Vec<u8> {
        body.collect().await.unwrap().to_bytes().to_vec()
    }

    #[tokio::test]
    async fn the_token_first_is_read_and_the_body_is_handed_on_whole() {
        let sent = body(&[
            ("csrf", None, "tok-en_123"),
            ("kind", None, "photo"),
            ("file", Some("a.pdf"), "%PDF-1.7 ..."),
        ]);
        for size in [1, 3, 17, 4096] {
            let (token, rest) = take(chunked(sent.clone(), size), BOUNDARY).await;
            assert_eq!(token, Ok("tok-en_123".to_owned()), "chunks of {size}");
            assert_eq!(all(rest).await, sent, "chunks of {size}");
        }
    }

    #[tokio::test]
    async fn a_token_after_the_file_or_missing_is_refused_before_the_file_is_read() {
        let after = body(&[("file", Some("a.pdf"), "%PDF"), ("csrf", None, "tok")]);
        let (token, _) = take(chunked(after, 5), BOUNDARY).await;
        assert_eq!(token, Err(TokenProblem::NotFirst));
        let other_first = body(&[("kind", None, "photo"), ("csrf", None, "tok")]);
        let (token, _) = take(chunked(other_first, 5), BOUNDARY).await;
        assert_eq!(token, Err(TokenProblem::NotFirst));
        // A first part that never ends within the limit is not waited for.
        let endless = body(&[("csrf", None, &"x".repeat(20_000))]);
        let (token, _) = take(chunked(endless, 1000), BOUNDARY).await;
        assert_eq!(token, Err(TokenProblem::NotFirst));
        let (token, _) = take(chunked(b"not multipart".to_vec(), 4), BOUNDARY).await;
        assert_eq!(token, Err(TokenProblem::Malformed));
        let (token, _) = take(chunked(Vec::new(), 4), BOUNDARY).await;
        assert_eq!(token, Err(TokenProblem::Malformed));
    }

    #[test]
    fn the_boundary_is_read_from_the_content_type() {
        assert_eq!(
            boundary("multipart/form-data; boundary=----x7d1f").as_deref(),
            Some("----x7d1f")
        );
        assert_eq!(
            boundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=----WebKitFormBoundaryAbC").as_deref(),
            Some("----WebKitFormBoundaryAbC"),
            "kept as sent: boundaries are case-sensitive"
        );
        assert_eq!(boundary("multipart/form-data"), None);
    }
}
