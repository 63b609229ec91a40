//! The Documents page (seed sidebar "Documents"): every document of the user with its kind,
//! name, size, date and the applications citing it; download, replace, delete, upload.

use crate::WebState;
use crate::context::SignedIn;
use crate::errors::{PageError, store_failure};
use crate::extract::{ValidPath, ValidQuery};
use crate::forms::FormErrors;
use crate::layout::{Layout, Nav, render};
use crate::multipart::FormReader;
use crate::uploads::{UPLOAD_BODY_LIMIT, download, too_large_message, upload_message};
use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::documents::UploadError;
use izin_domain::documents::DocumentKind;
use izin_domain::records::{DeleteOutcome, DocumentListing};
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new()
        .route(
            "/documents",
            get(page)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/documents/{id}/download", get(download_document))
        .route(
            "/documents/{id}/replace",
            post(replace).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/documents/{id}/delete", post(delete))
}

struct Row {
    id: Uuid,
    kind: String,
    name: String,
    size: String,
    date: String,
    used_by: Vec<String>,
    deletable: bool,
    replace_label: String,
}

struct KindChoice {
    code: &'static str,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage<'a> {
    l: Layout<'a>,
    rows: Vec<Row>,
    notice: Option<String>,
    errors: FormErrors,
    kinds: Vec<KindChoice>,
}

/// A size people read: "1.4 MB", "820 KB".
pub fn human_size(bytes: i64) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else if bytes >= 1024.0 {
        format!("{:.0} KB", bytes / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

fn rows(ctx: &crate::Ctx, listings: Vec<DocumentListing>) -> Vec<Row> {
    listings
        .into_iter()
        .map(|listing| {
            let d = listing.document;
            let local = d.created_at.to_offset(izin_domain::calendar::TURKIYE);
            Row {
                id: d.id,
                kind: ctx.t(&format!("kind-{}", d.kind.code())).to_owned(),
                replace_label: ctx.tf(
                    "documents-replace-label",
                    &[("name", izin_i18n::Value::from(d.file_name.clone()))],
                ),
                name: d.file_name,
                size: human_size(d.size),
                date: format!(
                    "{:04}-{:02}-{:02} {:02}:{:02}",
                    local.year(),
                    u8::from(local.month()),
                    local.day(),
                    local.hour(),
                    local.minute()
                ),
                deletable: !listing.citations.iter().any(|c| c.frozen),
                used_by: listing
                    .citations
                    .iter()
                    .map(|c| {
                        c.application_number
                            .clone()
                            .unwrap_or_else(|| ctx.t("documents-application-draft").to_owned())
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    notice: Option<String>,
}

async fn render_page(
    state: &WebState,
    ctx: &crate::Ctx,
    user: &izin_domain::records::User,
    notice: Option<String>,
    errors: FormErrors,
    kind: Option<DocumentKind>,
) -> Response {
    let listings = match state.app.documents().list(user).await {
        Ok(listings) => listings,
        Err(e) => return store_failure(ctx, &e),
    };
    let kinds = DocumentKind::ALL
        .iter()
        .map(|k| KindChoice {
            code: k.code(),
            label: ctx.t(&format!("kind-{}", k.code())).to_owned(),
            selected: Some(*k) == kind,
        })
        .collect();
    let page = DocumentsPage {
        rows: rows(ctx, listings),
        notice,
        errors,
        kinds,
        l: Layout::new(ctx, ctx.t("documents-title")).with_nav(Nav::Documents),
    };
    render(&page)
}

async fn page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidQuery(query): ValidQuery<NoticeQuery>,
) -> Response {
    let notice = match query.notice.as_deref() {
        Some("uploaded") => Some(ctx.t("documents-uploaded").to_owned()),
        Some("replaced") => Some(ctx.t("documents-replaced").to_owned()),
        Some("deleted") => Some(ctx.t("documents-deleted").to_owned()),
        _ => None,
    };
    render_page(
        &state,
        &ctx,
        &session.user,
        notice,
        FormErrors::default(),
        None,
    )
    .await
}

async fn upload(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let mut form = FormReader::new(&headers, body);
    let mut kind = DocumentKind::Other;
    let mut errors = FormErrors::default();
    let mut stored = false;
    loop {
        let part = match form.next_file().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(_) => return PageError::BadRequest.into_response_with(&ctx),
        };
        kind = form
            .values()
            .get("kind")
            .and_then(|k| DocumentKind::parse(&k))
            .unwrap_or(DocumentKind::Other);
        if part.name != "file" || stored {
            part.drain().await;
            continue;
        }
        let file_name = part.file_name.clone();
        match state
            .app
            .documents()
            .upload(&session.user, kind, &file_name, part.stream(), &ctx.client)
            .await
        {
            Ok(_) => stored = true,
            Err(e) => errors.add("file", upload_message(&ctx, kind, &e)),
        }
    }
    if stored {
        return Redirect::to("/documents?notice=uploaded").into_response();
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if form.too_large() {
        // Said with the limit, on the form, whatever the reading stopped at.
        errors = FormErrors::default();
        errors.add("file", too_large_message(&ctx, kind));
        status = StatusCode::PAYLOAD_TOO_LARGE;
    } else if errors.is_empty() {
        errors.add("file", ctx.t(UploadError::Empty.code()).to_owned());
    }
    let page = render_page(&state, &ctx, &session.user, None, errors, Some(kind)).await;
    (status, page).into_response()
}

async fn replace(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Ok(Some(previous)) = state.app.documents().get(&session.user, id).await else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let mut form = FormReader::new(&headers, body);
    let mut errors = FormErrors::default();
    let field_id = format!("file-{id}");
    let part = match form.file("file").await {
        Ok(part) => part,
        Err(_) => return PageError::BadRequest.into_response_with(&ctx),
    };
    if let Some(part) = part {
        let file_name = part.file_name.clone();
        match state
            .app
            .documents()
            .replace(&session.user, id, &file_name, part.stream(), &ctx.client)
            .await
        {
            Ok(Some(_)) => return Redirect::to("/documents?notice=replaced").into_response(),
            Ok(None) => return PageError::NotFound.into_response_with(&ctx),
            Err(e) => errors.add(&field_id, upload_message(&ctx, previous.kind, &e)),
        }
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if form.read_to_end().await {
        errors = FormErrors::default();
        errors.add(&field_id, too_large_message(&ctx, previous.kind));
        status = StatusCode::PAYLOAD_TOO_LARGE;
    } else if errors.is_empty() {
        errors.add(&field_id, ctx.t(UploadError::Empty.code()).to_owned());
    }
    let page = render_page(&state, &ctx, &session.user, None, errors, None).await;
    (status, page).into_response()
}

async fn delete(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .documents()
        .delete(&session.user, id, &ctx.client)
        .await
    {
        Ok(DeleteOutcome::Deleted { .. }) => {
            Redirect::to("/documents?notice=deleted").into_response()
        }
        Ok(DeleteOutcome::NotFound) => PageError::NotFound.into_response_with(&ctx),
        Ok(DeleteOutcome::Cited) => {
            let mut errors = FormErrors::default();
            errors.add(
                &format!("delete-{id}"),
                ctx.t("documents-delete-cited").to_owned(),
            );
            let page = render_page(&state, &ctx, &session.user, None, errors, None).await;
            (StatusCode::CONFLICT, page).into_response()
        }
        Err(e) => store_failure(&ctx, &e),
    }
}

async fn download_document(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state.app.documents().content(&session.user, id).await {
        Ok(Some((document, stream))) => download(&document, stream),
        Ok(None) => PageError::NotFound.into_response_with(&ctx),
        Err(e) => {
            tracing::error!(error = %e, "document content unavailable");
            PageError::Unavailable.into_response_with(&ctx)
        }
    }
}
