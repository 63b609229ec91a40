//! Shared by the pages and the API: reading uploads from multipart bodies as streams, saying
//! why an upload was refused, and serving a stored document as a download.

use crate::context::RequestContext;
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use izin_app::documents::UploadError;
use izin_documents::ImageProblem;
use izin_domain::documents::{ContentType, DocumentKind};
use izin_domain::records::Document;
use izin_i18n::Value;

/// The request body limit of upload routes: the largest document plus the form around it.
pub const UPLOAD_BODY_LIMIT: usize = 11 * 1024 * 1024;

fn types_text(ctx: &RequestContext, kind: DocumentKind) -> String {
    let names: Vec<&str> = kind
        .accepts()
        .iter()
        .map(|t| match t {
            ContentType::Pdf => "PDF",
            ContentType::Jpeg => "JPEG",
            ContentType::Png => "PNG",
        })
        .collect();
    let or = if ctx.language == izin_domain::Language::Tr {
        " ya da "
    } else {
        " or "
    };
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{or}{last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// A pixel count in megapixels, rounded down so that an image of that size fits: whole
/// megapixels from 10 on, one decimal below (with the language's decimal separator).
fn megapixels(language: izin_domain::Language, pixels: u64) -> String {
    let tenths = pixels / 100_000;
    if tenths >= 100 || tenths.is_multiple_of(10) {
        return (tenths / 10).to_string();
    }
    let separator = if language == izin_domain::Language::Tr {
        ','
    } else {
        '.'
    };
    format!("{}{separator}{}", tenths / 10, tenths % 10)
}

/// An upload refused, as the API says it: 413 for a file over the limit, 422 for one the checks
/// refuse (the message names what to do), 503 when storing failed.
pub fn upload_problem(ctx: &RequestContext, kind: DocumentKind, error: &UploadError) -> Response {
    use crate::api::problem::Problem;
    use axum::http::StatusCode;
    if !error.is_user_error() {
        tracing::error!(error = %error, "upload failed");
        return Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "upload-failed",
            ctx.t("upload-failed"),
        )
        .into_response();
    }
    let status = if matches!(error, UploadError::TooLarge { .. }) {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Problem::new(status, error.code(), ctx.t("problem-validation"))
        .field("file", error.code(), upload_message(ctx, kind, error))
        .into_response()
}

/// A multipart body the API cannot read.
pub fn malformed_form(ctx: &RequestContext) -> Response {
    crate::api::problem::Problem::new(
        axum::http::StatusCode::BAD_REQUEST,
        "invalid-body",
        ctx.t("problem-bad-multipart"),
    )
    .into_response()
}

/// "The file is larger than 10 MB…": for a body that went past the upload limit, in the
/// request's language, with the limit of the kind of document.
pub fn too_large_message(ctx: &RequestContext, kind: DocumentKind) -> String {
    upload_message(
        ctx,
        kind,
        &UploadError::TooLarge {
            limit: kind.max_bytes(),
        },
    )
}

/// Why an upload was refused, in the request's language.
pub fn upload_message(ctx: &RequestContext, kind: DocumentKind, error: &UploadError) -> String {
    let n = |v: u32| Value::from(v);
    match error {
        UploadError::TooLarge { limit } => ctx.tf(
            "upload-too-large",
            &[("megabytes", Value::from(limit / (1024 * 1024)))],
        ),
        UploadError::WrongType { .. } => ctx.tf(
            "upload-wrong-type",
            &[("types", Value::from(types_text(ctx, kind)))],
        ),
        UploadError::Image(ImageProblem::TooLarge {
            width,
            height,
            max_pixels,
            max_dimension,
        }) => ctx.tf(
            "image-too-large",
            &[
                ("width", n(*width)),
                ("height", n(*height)),
                (
                    "megapixels",
                    Value::from(megapixels(ctx.language, *max_pixels)),
                ),
                ("max_side", n(*max_dimension)),
            ],
        ),
        UploadError::Image(ImageProblem::TooSmall {
            width,
            height,
            min_width,
            min_height,
        }) => ctx.tf(
            "image-too-small",
            &[
                ("width", n(*width)),
                ("height", n(*height)),
                ("min_width", n(*min_width)),
                ("min_height", n(*min_height)),
            ],
        ),
        UploadError::Image(ImageProblem::NotPortrait { width, height }) => ctx.tf(
            "image-not-portrait",
            &[("width", n(*width)), ("height", n(*height))],
        ),
        other => ctx.t(other.code()).to_owned(),
    }
}

/// `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266).
pub fn attachment_header(file_name: &str) -> HeaderValue {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in file_name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// A stored document as a download only its owner gets.
pub fn download<S>(document: &Document, stream: S) -> Response
where
    S: Stream<Item = Result<Bytes, izin_adapters::files::FileError>> + Send + 'static,
{
    serve(document, stream, false)
}

/// A stored document shown in the browser (an officer viewing an application's documents):
/// never cached, never sniffed as another type, and never able to run anything — an image is
/// sandboxed; a PDF (which browsers show only outside a sandbox) may load nothing else.
pub fn inline<S>(document: &Document, stream: S) -> Response
where
    S: Stream<Item = Result<Bytes, izin_adapters::files::FileError>> + Send + 'static,
{
    serve(document, stream, true)
}

fn serve<S>(document: &Document, stream: S, inline: bool) -> Response
where
    S: Stream<Item = Result<Bytes, izin_adapters::files::FileError>> + Send + 'static,
{
    let body = Body::from_stream(stream.map(|chunk| chunk.map_err(std::io::Error::other)));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(document.content_type.mime()),
    );
    let disposition = attachment_header(&document.file_name);
    let disposition = if inline {
        disposition
            .to_str()
            .ok()
            .and_then(|d| HeaderValue::from_str(&d.replacen("attachment", "inline", 1)).ok())
            .unwrap_or_else(|| HeaderValue::from_static("inline"))
    } else {
        disposition
    };
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    if let Ok(length) = HeaderValue::from_str(&document.size.to_string()) {
        headers.insert(header::CONTENT_LENGTH, length);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let pdf = document.content_type.mime() == "application/pdf";
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if inline && pdf {
            "default-src 'none'; frame-ancestors 'self'"
        } else {
            "default-src 'none'; sandbox"
        }),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn megapixels_are_rounded_down_to_what_fits() {
        use izin_domain::Language;
        assert_eq!(megapixels(Language::En, 16_777_215), "16");
        assert_eq!(megapixels(Language::En, 24_000_000), "24");
        assert_eq!(megapixels(Language::En, 8_388_607), "8.3");
        assert_eq!(megapixels(Language::Tr, 8_388_607), "8,3");
        assert_eq!(megapixels(Language::En, 4_000_000), "4");
        assert_eq!(megapixels(Language::En, 99_999), "0");
    }

    #[test]
    fn attachment_names_are_safe_and_keep_unicode() {
        assert_eq!(
            attachment_header("Diploma Çağrı.pdf"),
            "attachment; filename=\"Diploma _a_r_.pdf\"; filename*=UTF-8''Diploma%20%C3%87a%C4%9Fr%C4%B1.pdf"
        );
        assert_eq!(
            attachment_header("a\"b.pdf"),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }
}
