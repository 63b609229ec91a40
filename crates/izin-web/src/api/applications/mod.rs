//! `/api/v1/applications`, the routes every kind of application shares: creating a draft, My
//! Applications, one application with its history, its documents, the preview, "Create My
//! Application", revisions and cancellation requests. A kind's own steps are in its module
//! ([`work_permit_exemption`]). Another user's application answers 404 on every route, exactly
//! like one that does not exist.

mod bodies;
pub mod new_card;
mod problems;
pub mod work_permit_exemption;

use super::json::{ApiJson, ApiUser};
use super::problem::Problem;
use crate::WebState;
use crate::context::RequestContext;
use crate::errors::store_failure;
use crate::extract::ValidPath;
use crate::multipart::FormReader;
use crate::uploads::{malformed_form, upload_problem};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bodies::*;
use izin_app::applications::ApplicationError;
use izin_app::documents::UploadError;
use izin_domain::application::{IdempotencyKey, Kind};
use izin_domain::documents::DocumentKind;
use izin_i18n::Value;
use problems::*;
use uuid::Uuid;

/// Each kind's own step routes. Adding a kind adds its module's routes here.
pub(crate) fn kind_routes() -> utoipa_axum::router::OpenApiRouter<WebState> {
    work_permit_exemption::routes().merge(new_card::routes())
}

pub(crate) async fn detail_response(
    state: &WebState,
    ctx: &RequestContext,
    session: &izin_app::auth::CurrentSession,
    id: Uuid,
    status: StatusCode,
) -> Response {
    match state.app.applications().detail(&session.user, id).await {
        Ok(detail) => match application_body(ctx, state, &detail) {
            Ok(body) => (status, Json(body)).into_response(),
            Err(e) => application_problem(ctx, state, None, e.into()),
        },
        Err(e) => application_problem(ctx, state, None, e),
    }
}

/// After a step's save: the application as it now is, or why the step was refused.
pub(crate) async fn after_step<T>(
    state: &WebState,
    ctx: &RequestContext,
    session: &izin_app::auth::CurrentSession,
    id: Uuid,
    result: Result<T, ApplicationError>,
) -> Response {
    match result {
        Ok(_) => detail_response(state, ctx, session, id, StatusCode::OK).await,
        Err(e) => application_problem(ctx, state, None, e),
    }
}

/// Starts a draft of a kind: in a category for kinds that have them (`work-permit-exemption`),
/// about one of the user's applications for kinds that are about another (`new-card` is about an
/// ACTIVE work-permit exemption that came with a card: another user's answers 404, one that may
/// not have a new card 409).
#[utoipa::path(post, path = "/applications", operation_id = "create_application", tag = "applications", security(("bearer" = [])), request_body = CreateInput,
    responses((status = 201, body = CreatedBody),
              (status = 404, description = "The parent is not one of the user's applications of the kind's parent kind", body = Problem, content_type = PROBLEM),
              (status = 409, description = "The parent may not have an application of this kind now, or one that blocks it is pending", body = Problem, content_type = PROBLEM),
              (status = 422, description = "Unknown kind or category, a category missing for a kind that has them or given for one that has none, or a parent missing or not expected", body = Problem, content_type = PROBLEM)))]
pub async fn create(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ApiJson(input): ApiJson<CreateInput>,
) -> Response {
    let Some(kind) = Kind::parse(input.kind.trim()) else {
        return Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field("kind", "choice-invalid", ctx.t("choice-invalid"))
        .into_response();
    };
    let service = state.app.applications();
    // A kind with categories is started in one; a kind without takes none.
    let category = input.category.as_deref().map(str::trim);
    match (service.kind(kind).has_categories(), category) {
        (true, None) => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                ctx.t("problem-validation"),
            )
            .field("category", "required", ctx.t("category-unknown"))
            .into_response();
        }
        (false, Some(_)) => {
            return application_problem(&ctx, &state, None, ApplicationError::UnknownCategory);
        }
        _ => {}
    }
    match service
        .create(&session.user, kind, category, input.parent, &ctx.client)
        .await
    {
        Ok(record) => {
            let mut response = (
                StatusCode::CREATED,
                Json(CreatedBody {
                    id: record.id,
                    status: record.lifecycle.status.code().to_owned(),
                }),
            )
                .into_response();
            if let Ok(location) = format!("/api/v1/applications/{}", record.id).parse() {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(e) => application_problem(&ctx, &state, None, e),
    }
}

/// My Applications: drafts and applications, newest first.
#[utoipa::path(get, path = "/applications", operation_id = "list_applications", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApplicationSummaryBody>)))]
pub async fn list(State(state): State<WebState>, ApiUser(ctx, session): ApiUser) -> Response {
    let service = state.app.applications();
    let summaries = match service.list(&session.user).await {
        Ok(summaries) => summaries,
        Err(e) => return store_failure(&ctx, &e),
    };
    let offers = match service.offers(&session.user, &summaries).await {
        Ok(offers) => offers,
        Err(e) => return application_problem(&ctx, &state, None, e),
    };
    Json(
        summaries
            .iter()
            .map(|s| {
                let starts = offers.get(&s.id).map_or(&[][..], Vec::as_slice);
                summary_body(&ctx, &state, s, starts)
            })
            .collect::<Vec<_>>(),
    )
    .into_response()
}

/// One application with its data, documents, fees, history and frozen version.
#[utoipa::path(get, path = "/applications/{id}", operation_id = "get_application", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application")),
    responses((status = 200, body = ApplicationBody), (status = 404, body = Problem, content_type = PROBLEM)))]
pub async fn get(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    detail_response(&state, &ctx, &session, id, StatusCode::OK).await
}

/// Deletes a draft; submitted applications are never deleted.
#[utoipa::path(delete, path = "/applications/{id}", operation_id = "delete_application", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft")),
    responses((status = 204, description = "Deleted"), (status = 404, body = Problem, content_type = PROBLEM),
              (status = 409, description = "Not a draft", body = Problem, content_type = PROBLEM)))]
pub async fn delete(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .applications()
        .delete_draft(&session.user, id, &ctx.client)
        .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => application_problem(&ctx, &state, None, e),
    }
}

/// Step 6, a supporting document: multipart `slot` then `file`, or JSON `{slot, document_id}`
/// to reuse one of the user's documents.
#[utoipa::path(post, path = "/applications/{id}/documents", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft, or an application in REVISION")),
    request_body(content((SlotUploadForm = "multipart/form-data"), (SlotDocumentInput = "application/json"))),
    responses((status = 200, body = ApplicationBody),
              (status = 413, body = Problem, content_type = PROBLEM),
              (status = 422, description = "Unknown or full slot, `slot` not sent before `file` (the file is checked as it streams in), or the file was refused: its content is not a type the slot takes, or it is unsafe or unreadable", body = Problem, content_type = PROBLEM)))]
pub async fn post_document(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        let input = match <ApiJson<SlotDocumentInput> as axum::extract::FromRequest<WebState>>::from_request(request, &state).await {
            Ok(ApiJson(input)) => input,
            Err(rejection) => return rejection,
        };
        let result = state
            .app
            .applications()
            .attach_document(
                &session.user,
                id,
                &input.slot,
                input.document_id,
                &ctx.client,
            )
            .await;
        return after_step(&state, &ctx, &session, id, result).await;
    }
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            ctx.t("problem-unsupported-media-type-upload"),
        )
        .into_response();
    }
    let mut form = FormReader::new(&headers, request.into_body());
    let part = match form.file("file").await {
        Ok(part) => part,
        Err(_) => return malformed_form(&ctx),
    };
    if let Some(part) = part {
        let Some(slot) = form.values().get("slot") else {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                ctx.t("problem-validation"),
            )
            .field("slot", "slot-first", ctx.t("slot-first"))
            .into_response();
        };
        let name = part.file_name.clone();
        let result = state
            .app
            .applications()
            .upload_to_slot(&session.user, id, &slot, &name, part.stream(), &ctx.client)
            .await;
        return after_step(&state, &ctx, &session, id, result).await;
    }
    if form.too_large() {
        return upload_problem(
            &ctx,
            DocumentKind::Other,
            &UploadError::TooLarge {
                limit: DocumentKind::Other.max_bytes(),
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

/// Takes a document out of the application (it stays among the user's documents).
#[utoipa::path(delete, path = "/applications/{id}/documents/{document_id}", operation_id = "detach_application_document", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft"), ("document_id" = Uuid, Path, description = "The document")),
    responses((status = 200, body = ApplicationBody),
              (status = 404, description = "No such application of the caller's, or the document is not part of it", body = Problem, content_type = PROBLEM)))]
pub async fn delete_document(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath((id, document_id)): ValidPath<(Uuid, Uuid)>,
) -> Response {
    let result = state
        .app
        .applications()
        .detach_document(&session.user, id, document_id, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}

/// "Show Application Preview": everything, and every rule "Create My Application" would refuse.
#[utoipa::path(get, path = "/applications/{id}/preview", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application")),
    responses((status = 200, body = PreviewBody), (status = 404, body = Problem, content_type = PROBLEM)))]
pub async fn preview(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let service = state.app.applications();
    let result = match service.preview(&session.user, id).await {
        Ok(preview) => match service.detail(&session.user, id).await {
            Ok(detail) => preview_body(&ctx, &state, &preview, &detail).map_err(Into::into),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(body) => Json(body).into_response(),
        Err(e) => application_problem(&ctx, &state, None, e),
    }
}

/// "Create My Application". Send an `Idempotency-Key` header: a repeat with the same key answers
/// the same number instead of failing.
#[utoipa::path(post, path = "/applications/{id}/submit", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft"),
           ("Idempotency-Key" = Option<String>, Header, description = "Any unique string per intended submission")),
    responses((status = 200, body = SubmittedAnswer),
              (status = 400, description = "The Idempotency-Key is longer than 200 characters or not visible ASCII", body = Problem, content_type = PROBLEM),
              (status = 409, description = "Not a draft any more", body = Problem, content_type = PROBLEM),
              (status = 422, description = "One entry per failed rule, with the step to fix it in", body = Problem, content_type = PROBLEM)))]
pub async fn submit(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    headers: HeaderMap,
) -> Response {
    let raw = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => "",
        Some(Ok(text)) => text,
        // Bytes that are not visible ASCII: the same refusal as any other bad key.
        Some(Err(_)) => "\u{0}",
    };
    let key = match IdempotencyKey::parse(raw) {
        Ok(key) => key,
        Err(e) => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "idempotency-key-invalid",
                ctx.t("problem-validation"),
            )
            .field(
                "Idempotency-Key",
                "idempotency-key-invalid",
                ctx.tf(
                    "idempotency-key-invalid",
                    &[("max", Value::from(IdempotencyKey::MAX_LEN))],
                ),
            )
            .detail(e.to_string())
            .into_response();
        }
    };
    let service = state.app.applications();
    match service
        .submit(&session.user, id, key.as_ref(), &ctx.client)
        .await
    {
        Ok(number) => Json(SubmittedAnswer {
            id,
            number,
            status: "SUBMITTED".to_owned(),
        })
        .into_response(),
        Err(e) => {
            let record = service.get(&session.user, id).await.ok();
            application_problem(&ctx, &state, record.as_ref(), e)
        }
    }
}

/// "Make a Revision": sends the revised application back to evaluation as a new version.
#[utoipa::path(post, path = "/applications/{id}/revision/submit", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "An application in REVISION")),
    responses((status = 200, body = ApplicationBody),
              (status = 409, description = "Not in revision", body = Problem, content_type = PROBLEM),
              (status = 422, description = "One entry per failed rule", body = Problem, content_type = PROBLEM)))]
pub async fn resubmit(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let service = state.app.applications();
    match service.resubmit(&session.user, id, &ctx.client).await {
        Ok(_) => detail_response(&state, &ctx, &session, id, StatusCode::OK).await,
        Err(e) => {
            let record = service.get(&session.user, id).await.ok();
            application_problem(&ctx, &state, record.as_ref(), e)
        }
    }
}

/// "Exemption Cancellation": records the holder's request for the officers. Asking twice keeps
/// the first request.
#[utoipa::path(post, path = "/applications/{id}/cancellation-request", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "An approved application with an ACTIVE exemption")),
    responses((status = 200, body = ApplicationBody),
              (status = 409, description = "No active exemption", body = Problem, content_type = PROBLEM)))]
pub async fn request_cancellation(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let result = state
        .app
        .applications()
        .request_cancellation(&session.user, id, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}
