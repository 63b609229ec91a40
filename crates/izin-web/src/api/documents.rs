//! `/api/v1/me/documents`: upload (multipart `kind`, then `file`), list, download, delete.

use super::json::ApiUser;
use super::problem::Problem;
use crate::WebState;
use crate::errors::store_failure;
use crate::extract::ValidPath;
use crate::multipart::FormReader;
use crate::uploads::{download, malformed_form, upload_problem};
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use izin_app::documents::UploadError;
use izin_domain::documents::DocumentKind;
use izin_domain::records::{Citation, DeleteOutcome, Document};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentBody {
    pub id: Uuid,
    /// `photo`, `passport`, `turkish_proof`, `diploma` or `other`.
    pub kind: String,
    /// The uploaded name, sanitised, with the extension of the detected type.
    pub file_name: String,
    pub size: i64,
    /// SHA-256 of the stored bytes, hex.
    pub sha256: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, decided by content.
    pub content_type: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CitationBody {
    pub application_id: Uuid,
    pub application_number: Option<String>,
    /// A submitted application: the document can no longer be deleted.
    pub submitted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListedDocument {
    #[serde(flatten)]
    pub document: DocumentBody,
    pub cited_by: Vec<CitationBody>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn document_body(d: &Document) -> DocumentBody {
    DocumentBody {
        id: d.id,
        kind: d.kind.code().to_owned(),
        file_name: d.file_name.clone(),
        size: d.size,
        sha256: hex(&d.sha256),
        content_type: d.content_type.mime().to_owned(),
        created_at: d.created_at,
        replaces: d.replaces,
    }
}

fn citation_body(c: &Citation) -> CitationBody {
    CitationBody {
        application_id: c.application_id,
        application_number: c.application_number.clone(),
        submitted: c.frozen,
    }
}

/// The multipart form of an upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// Send before `file`: `photo`, `passport`, `turkish_proof`, `diploma` or `other`.
    kind: String,
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Uploads a document. The type is decided by content; PDFs must parse and may not be
/// encrypted or carry JavaScript or launch actions; photos are JPEG/PNG, portrait, at least
/// 400×480, and are re-encoded without metadata.
#[utoipa::path(post, path = "/me/documents", operation_id = "upload_document", tag = "documents", security(("bearer" = [])),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = DocumentBody),
        (status = 413, description = "Larger than the kind allows", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused; `errors[0].code` says why: `kind-first` (`kind` must come before `file`: the file is checked as it streams in), `upload-wrong-type` (the content is not a type the kind takes), `pdf-encrypted`, `pdf-javascript` and the other `pdf-…` codes of active content, `image-too-small`, …", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut form = FormReader::new(&headers, body);
    let part = match form.file("file").await {
        Ok(part) => part,
        Err(_) => return malformed_form(&ctx),
    };
    if let Some(part) = part {
        let kind = match form.values().get("kind") {
            None => {
                return Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    ctx.t("problem-validation"),
                )
                .field("kind", "kind-first", ctx.t("kind-first"))
                .into_response();
            }
            Some(text) => match DocumentKind::parse(&text) {
                Some(kind) => kind,
                None => {
                    return Problem::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "validation",
                        ctx.t("problem-validation"),
                    )
                    .field("kind", "choice-invalid", ctx.t("choice-invalid"))
                    .into_response();
                }
            },
        };
        let name = part.file_name.clone();
        return match state
            .app
            .documents()
            .upload(&session.user, kind, &name, part.stream(), &ctx.client)
            .await
        {
            Ok(document) => (StatusCode::CREATED, Json(document_body(&document))).into_response(),
            Err(e) => upload_problem(&ctx, kind, &e),
        };
    }
    if form.too_large() {
        let kind = form
            .values()
            .get("kind")
            .and_then(|k| DocumentKind::parse(&k))
            .unwrap_or(DocumentKind::Other);
        return upload_problem(
            &ctx,
            kind,
            &UploadError::TooLarge {
                limit: kind.max_bytes(),
            },
        );
    }
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        ctx.t("problem-validation"),
    )
    .field("file", "upload-empty", ctx.t("upload-empty"))
    .into_response()
}

/// The user's documents, newest first, with the applications citing each.
#[utoipa::path(get, path = "/me/documents", operation_id = "list_documents", tag = "documents", security(("bearer" = [])),
    responses((status = 200, body = Vec<ListedDocument>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn list(State(state): State<WebState>, ApiUser(ctx, session): ApiUser) -> Response {
    match state.app.documents().list(&session.user).await {
        Ok(listings) => Json(
            listings
                .iter()
                .map(|l| ListedDocument {
                    document: document_body(&l.document),
                    cited_by: l.citations.iter().map(citation_body).collect(),
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => store_failure(&ctx, &e),
    }
}

/// The document's bytes, as an attachment.
#[utoipa::path(get, path = "/me/documents/{id}/content", operation_id = "get_document_content", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The document")),
    responses((status = 200, description = "The file, in the type its content was recognised as when uploaded",
               content(("application/pdf"), ("image/png"), ("image/jpeg"))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn content(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state.app.documents().content(&session.user, id).await {
        Ok(Some((document, stream))) => download(&document, stream),
        Ok(None) => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("documents-not-found"),
        )
        .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "document content unavailable");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                ctx.t("problem-unavailable"),
            )
            .into_response()
        }
    }
}

/// Deletes a document no submitted application cites.
#[utoipa::path(delete, path = "/me/documents/{id}", operation_id = "delete_document", tag = "documents", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The document")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A submitted application cites it", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .documents()
        .delete(&session.user, id, &ctx.client)
        .await
    {
        Ok(DeleteOutcome::Deleted { .. }) => StatusCode::NO_CONTENT.into_response(),
        Ok(DeleteOutcome::NotFound) => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("documents-not-found"),
        )
        .into_response(),
        Ok(DeleteOutcome::Cited) => Problem::new(
            StatusCode::CONFLICT,
            "document-cited",
            ctx.t("documents-delete-cited"),
        )
        .into_response(),
        Err(e) => store_failure(&ctx, &e),
    }
}
