//! `/api/v1/applications`: drafts, each wizard step, the preview, "Create My Application",
//! My Applications with each application's history, revisions and cancellation requests.
//! Another user's application answers 404 on every route, exactly like one that does not exist.

use super::documents::{DocumentBody, document_body};
use super::json::{ApiJson, ApiUser};
use super::problem::Problem;
use crate::WebState;
use crate::application_texts::{applicant_actions, rule_location, rule_message};
use crate::context::RequestContext;
use crate::errors::store_failure;
use crate::extract::ValidPath;
use crate::forms::violation_message;
use crate::multipart::FormReader;
use crate::uploads::{malformed_form, upload_problem};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use izin_app::applications::exemption::ResidenceRightInquiry;
use izin_app::applications::{ApplicationDetail, ApplicationError, Preview};
use izin_app::documents::UploadError;
use izin_domain::application::work_permit_exemption::{
    AdditionalInput, ConsentInput, Draft, EmploymentInput, PlaceInput,
};
use izin_domain::application::{IdempotencyKey, Kind};
use izin_domain::documents::DocumentKind;
use izin_domain::records::{ApplicationEventRecord, ApplicationRecord, ApplicationSummary};
use izin_i18n::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

// ------------------------------------------------------------------ bodies

/// One line of My Applications.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummaryBody {
    pub id: Uuid,
    /// `work-permit-exemption`.
    pub kind: String,
    /// The application this one is about (a new card's exemption), if any.
    pub parent: Option<Uuid>,
    /// DRAFT, SUBMITTED, UNDER_EVALUATION, REVISION, PAYMENT_PENDING, APPROVAL, REJECTED or
    /// WITHDRAWN.
    pub status: String,
    /// ACTIVE, EXPIRED or CANCELLED, once approved.
    pub exemption_status: Option<String>,
    /// Given by "Create My Application", e.g. `2026-000042`.
    pub number: Option<String>,
    /// The catalogue category's code.
    pub category: Option<String>,
    /// The kind and category, named in the request's language.
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub concluded_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cancellation_requested_at: Option<OffsetDateTime>,
    /// The requested period.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// What the applicant can do now: `continue`, `delete`, `detail`, `revision`, `cancellation`.
    pub actions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceBody {
    /// `domestic` or `abroad`.
    pub place: String,
    /// An active residence right was found for the foreigner ID.
    pub residence_right: bool,
    /// Domestic without a residence right: the passport the entry was found on (the one in
    /// Passport Information, or the declared `previous_passport`).
    pub passport_number: Option<String>,
    pub passport_country: Option<String>,
    pub reference_number: Option<String>,
    /// When the registries confirmed it.
    pub checked_on: Option<String>,
    /// Domestic without a residence right: the day of the entry to Türkiye the application
    /// rests on (the deadline to apply runs from it).
    pub entered_on: Option<String>,
    /// Domestic without a residence right: the year of birth (Personal Information) the entry
    /// records were checked with; null when confirmed before that check existed.
    pub birth_year: Option<i32>,
    /// The previous passport the applicant declared having entered Türkiye with.
    pub previous_passport: Option<PreviousPassportBody>,
}

/// A declared previous passport, with its data page's scan (a document of the application).
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviousPassportBody {
    pub number: String,
    /// ISO 3166-1 alpha-3 code of the issuing country.
    pub country: String,
    /// Null once the scan was deleted from Documents (the place must then be confirmed again).
    pub scan_document_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentBody {
    /// The version of the KVKK texts consented to.
    pub version: String,
    #[serde(with = "time::serde::rfc3339")]
    pub given_at: OffsetDateTime,
}

/// The employment step as saved, in the shape `PUT …/employment` takes, with what the registries
/// answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentBody {
    #[serde(flatten)]
    pub input: EmploymentInput,
    /// The address the residential code stands for.
    pub residential_address: Option<String>,
    /// The workplace the SGK number belongs to.
    pub workplace_name: Option<String>,
    /// The province the workplace is registered in.
    pub workplace_province: Option<String>,
    /// What is accepted but worth a second look (`workplace-elsewhere`: the workplace is
    /// registered in another province than the one given).
    pub warnings: Vec<WarningBody>,
}

/// Something accepted that the applicant (and the officer) should look at again.
#[derive(Debug, Serialize, ToSchema)]
pub struct WarningBody {
    pub code: String,
    /// In the request's language.
    pub message: String,
}

/// A work-permit-exemption application's data.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExemptionDataBody {
    pub category: Option<String>,
    pub place: Option<PlaceBody>,
    pub consent: Option<ConsentBody>,
    pub employment: EmploymentBody,
    /// Supporting documents by the category's slot.
    pub documents: BTreeMap<String, Vec<Uuid>>,
    pub other_information: Option<String>,
    pub additional_document_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeesBody {
    pub year: i32,
    /// Decimal lira, e.g. `10571.60`.
    pub exemption_fee: String,
    pub valuable_paper_fee: String,
    pub total: String,
    /// Whether anything is to be paid if approved.
    pub due: bool,
    /// What would be paid, each amount to its account; empty when nothing is due.
    pub amounts: Vec<izin_domain::money::Amount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `user`, `officer` or `system`.
    pub actor: String,
    /// `submit`, `start_evaluation`, `request_revision`, `resubmit`, …
    pub event: String,
    pub from_status: String,
    pub to_status: String,
    pub exemption_status: Option<String>,
    pub reason: Option<String>,
    pub version: i32,
    /// The event in the request's language.
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedBody {
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// Exactly what was submitted: the data, the User Information it was checked with, the
    /// documents' fingerprints and the fees as assessed.
    pub snapshot: serde_json::Value,
}

/// An application with everything about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationBody {
    #[serde(flatten)]
    pub summary: ApplicationSummaryBody,
    /// The version last submitted (0 for a draft).
    pub version: i32,
    /// The officer's message while in REVISION.
    pub revision_message: Option<String>,
    pub data: ExemptionDataBody,
    /// The documents the application uses.
    pub documents: Vec<DocumentBody>,
    pub fees: Option<FeesBody>,
    pub history: Vec<HistoryEntry>,
    /// The last submitted version, frozen.
    pub submitted: Option<SubmittedBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    pub id: Uuid,
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedAnswer {
    pub id: Uuid,
    pub number: String,
    pub status: String,
}

/// One rule that stops "Create My Application".
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleBody {
    /// Where to fix it: `step` or `step.field`.
    pub field: String,
    pub step: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewBody {
    pub application: ApplicationBody,
    /// True when "Create My Application" would succeed now.
    pub ready: bool,
    pub failures: Vec<RuleBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResidenceRightBody {
    /// The foreigner ID asked about; null when User Information has none.
    pub foreigner_id: Option<String>,
    pub active: bool,
    /// `residence_permit`, `work_permit` or `work_permit_exemption`.
    pub kind: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    /// Why nothing could be asked when there is no foreigner ID, in the request's language.
    pub message: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInput {
    /// `work-permit-exemption`.
    pub kind: String,
    /// A category code of the catalogue, e.g. `compulsory-internship`.
    pub category: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryInput {
    pub category: String,
}

/// Reuses one of the user's documents in a slot.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotDocumentInput {
    pub slot: String,
    pub document_id: Uuid,
}

/// The multipart form of a slot upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SlotUploadForm {
    /// Send before `file`: the slot of the category, e.g. `student-id`.
    slot: String,
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

// ------------------------------------------------------------------ building bodies

fn iso(date: Option<Date>) -> Option<String> {
    date.map(izin_domain::calendar::format_date)
}

fn summary_body(
    ctx: &RequestContext,
    state: &WebState,
    summary: &ApplicationSummary,
) -> ApplicationSummaryBody {
    let title = izin_app::applications::exemption::describe_category(
        &state.app.catalog,
        summary.columns.category.as_deref(),
    );
    ApplicationSummaryBody {
        id: summary.id,
        kind: summary.kind.code().to_owned(),
        parent: summary.parent,
        status: summary.lifecycle.status.code().to_owned(),
        exemption_status: summary.lifecycle.exemption.map(|e| e.code().to_owned()),
        number: summary.number.clone(),
        category: summary.columns.category.clone().filter(|c| !c.is_empty()),
        title: title.get(ctx.language).to_owned(),
        created_at: summary.created_at,
        submitted_at: summary.submitted_at,
        concluded_at: summary.concluded_at,
        cancellation_requested_at: summary.cancellation_requested_at,
        start_date: iso(summary.columns.start_date),
        end_date: iso(summary.columns.end_date),
        actions: applicant_actions(
            summary.lifecycle,
            summary.cancellation_requested_at.is_some(),
        )
        .into_iter()
        .map(|a| a.code().to_owned())
        .collect(),
    }
}

fn data_body(ctx: &RequestContext, draft: &Draft) -> ExemptionDataBody {
    ExemptionDataBody {
        category: Some(draft.category.clone()).filter(|c| !c.is_empty()),
        place: draft.place.as_ref().map(|p| PlaceBody {
            place: p.place.code().to_owned(),
            residence_right: p.residence_right,
            passport_number: p.passport_number.as_ref().map(|n| n.as_str().to_owned()),
            passport_country: p.passport_country.as_ref().map(|c| c.to_string()),
            reference_number: p.reference_number.as_ref().map(|r| r.as_str().to_owned()),
            checked_on: iso(p.checked_on),
            entered_on: iso(p.entered_on),
            birth_year: p.birth_year,
            previous_passport: p
                .previous_passport
                .as_ref()
                .map(|previous| PreviousPassportBody {
                    number: previous.number.as_str().to_owned(),
                    country: previous.country.to_string(),
                    scan_document_id: previous.scan_document_id,
                }),
        }),
        consent: draft.consent.as_ref().map(|c| ConsentBody {
            version: c.version.clone(),
            given_at: c.given_at,
        }),
        employment: EmploymentBody {
            input: EmploymentInput::from(&draft.employment),
            residential_address: draft.employment.residential_address.clone(),
            workplace_name: draft.employment.workplace_name.clone(),
            workplace_province: draft.employment.workplace_province.clone(),
            warnings: crate::application_texts::workplace_warning(ctx, &draft.employment)
                .map(|message| WarningBody {
                    code: "workplace-elsewhere".to_owned(),
                    message,
                })
                .into_iter()
                .collect(),
        },
        documents: draft.documents.clone(),
        other_information: draft
            .other_information
            .as_ref()
            .map(|t| t.as_str().to_owned()),
        additional_document_ids: draft.additional_document_ids.clone(),
    }
}

fn fees_body(
    fees: Option<izin_domain::application::FeeAssessment>,
    table: &izin_domain::catalog::Fees,
) -> Option<FeesBody> {
    fees.map(|f| FeesBody {
        amounts: f.amounts(table),
        year: f.year,
        exemption_fee: f.exemption_fee.decimal(),
        valuable_paper_fee: f.valuable_paper_fee.decimal(),
        total: f.total().decimal(),
        due: f.is_due(),
    })
}

fn history_body(ctx: &RequestContext, history: &[ApplicationEventRecord]) -> Vec<HistoryEntry> {
    history
        .iter()
        .map(|h| HistoryEntry {
            at: h.at,
            actor: h.actor_kind.clone(),
            event: h.event.code().to_owned(),
            from_status: h.from.status.code().to_owned(),
            to_status: h.to.status.code().to_owned(),
            exemption_status: h.to.exemption.map(|e| e.code().to_owned()),
            reason: h.reason.clone(),
            version: h.version,
            description: crate::application_texts::event_label(ctx, h.event, h.version),
        })
        .collect()
}

fn application_body(
    ctx: &RequestContext,
    state: &WebState,
    detail: &ApplicationDetail,
) -> Result<ApplicationBody, serde_json::Error> {
    let draft: Draft = serde_json::from_value(detail.record.data.clone())?;
    let mut documents: Vec<DocumentBody> = detail.documents.values().map(document_body).collect();
    documents.sort_by_key(|d| d.created_at);
    Ok(ApplicationBody {
        summary: summary_body(ctx, state, &detail.record.summary()),
        version: detail.record.version,
        revision_message: detail.record.revision_message.clone(),
        data: data_body(ctx, &draft),
        documents,
        fees: fees_body(detail.fees, &state.app.catalog.fees),
        history: history_body(ctx, &detail.history),
        submitted: detail.submitted().map(|v| SubmittedBody {
            version: v.version,
            submitted_at: v.submitted_at,
            snapshot: v.snapshot.clone(),
        }),
    })
}

fn category_of(record: &ApplicationRecord) -> String {
    record.columns.category.clone().unwrap_or_default()
}

/// A refused call as a problem document.
pub fn application_problem(
    ctx: &RequestContext,
    state: &WebState,
    category: &str,
    error: ApplicationError,
) -> Response {
    let validation = || {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
    };
    match error {
        ApplicationError::NotFound | ApplicationError::DocumentNotAttached => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("problem-not-found"),
        )
        .into_response(),
        ApplicationError::UnknownCategory => validation()
            .field("category", "category-unknown", ctx.t("category-unknown"))
            .into_response(),
        ApplicationError::Invalid(violations) => {
            let mut problem = validation();
            for v in &violations {
                problem = problem.field(&v.field, v.code, violation_message(ctx, v));
            }
            problem.into_response()
        }
        ApplicationError::Rules(failures) => {
            let mut problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "rules",
                ctx.t("preview-blocked"),
            );
            for f in &failures {
                problem = problem.rule(
                    &rule_location(f),
                    f.code,
                    rule_message(ctx, &state.app.catalog, category, f),
                    f.step.code(),
                );
            }
            problem.into_response()
        }
        ApplicationError::NotEditable(status) => Problem::new(
            StatusCode::CONFLICT,
            "not-editable",
            &ctx.tf(
                "not-editable",
                &[(
                    "status",
                    Value::from(crate::application_texts::status_label(ctx, status)),
                )],
            ),
        )
        .into_response(),
        ApplicationError::OtherPending { number } => Problem::new(
            StatusCode::CONFLICT,
            "other-application-pending",
            &crate::application_texts::pending_message(ctx, number.as_deref()),
        )
        .into_response(),
        ApplicationError::KeyReused => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            ctx.t("key-reused"),
        )
        .into_response(),
        ApplicationError::Conflict => {
            Problem::new(StatusCode::CONFLICT, "conflict", ctx.t("conflict")).into_response()
        }
        ApplicationError::Transition(refusal) => {
            Problem::new(StatusCode::CONFLICT, refusal.code(), &refusal.to_string()).into_response()
        }
        ApplicationError::Registry(e) => {
            tracing::warn!(error = %e, "registry unavailable");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "registry-unavailable",
                &ctx.tf(
                    "registry-unavailable",
                    &[("registry", Value::from(e.registry().to_string()))],
                ),
            )
            .into_response()
        }
        ApplicationError::Upload(e) => upload_problem(ctx, DocumentKind::Other, &e),
        ApplicationError::Store(e) => store_failure(ctx, &e),
        ApplicationError::Data(e) => {
            tracing::error!(error = %e, "unreadable application data");
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                ctx.t("problem-internal"),
            )
            .into_response()
        }
    }
}

async fn detail_response(
    state: &WebState,
    ctx: &RequestContext,
    session: &izin_app::auth::CurrentSession,
    id: Uuid,
    status: StatusCode,
) -> Response {
    match state.app.applications().detail(&session.user, id).await {
        Ok(detail) => match application_body(ctx, state, &detail) {
            Ok(body) => (status, Json(body)).into_response(),
            Err(e) => application_problem(ctx, state, "", e.into()),
        },
        Err(e) => application_problem(ctx, state, "", e),
    }
}

/// After a step's save: the application as it now is, or why the step was refused.
async fn after_step<T>(
    state: &WebState,
    ctx: &RequestContext,
    session: &izin_app::auth::CurrentSession,
    id: Uuid,
    result: Result<T, ApplicationError>,
) -> Response {
    match result {
        Ok(_) => detail_response(state, ctx, session, id, StatusCode::OK).await,
        Err(e) => application_problem(ctx, state, "", e),
    }
}

const PROBLEM: &str = "application/problem+json";

// ------------------------------------------------------------------ handlers

/// Step 1, "Active Residence Right Inquiry", on the foreigner ID in User Information.
#[utoipa::path(get, path = "/me/residence-right", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = ResidenceRightBody),
              (status = 503, description = "The registry did not answer", body = Problem, content_type = PROBLEM)))]
pub async fn residence_right(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
) -> Response {
    match state
        .app
        .applications()
        .residence_right(&session.user)
        .await
    {
        Ok(ResidenceRightInquiry {
            foreigner_id,
            right,
        }) => Json(ResidenceRightBody {
            message: foreigner_id
                .is_none()
                .then(|| ctx.t("inquiry-no-foreigner-id").to_owned()),
            foreigner_id: foreigner_id.map(|f| f.as_str().to_owned()),
            active: right.is_some(),
            kind: right.map(|r| r.kind.code().to_owned()),
            valid_from: iso(right.map(|r| r.valid_from)),
            valid_until: iso(right.map(|r| r.valid_until)),
        })
        .into_response(),
        Err(e) => application_problem(&ctx, &state, "", e),
    }
}

/// Starts a draft of a kind in a category.
#[utoipa::path(post, path = "/applications", operation_id = "create_application", tag = "applications", security(("bearer" = [])), request_body = CreateInput,
    responses((status = 201, body = CreatedBody),
              (status = 422, description = "Unknown kind or category", body = Problem, content_type = PROBLEM)))]
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
    match state
        .app
        .applications()
        .create(
            &session.user,
            kind,
            Some(&input.category),
            None,
            &ctx.client,
        )
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
        Err(e) => application_problem(&ctx, &state, "", e),
    }
}

/// My Applications: drafts and applications, newest first.
#[utoipa::path(get, path = "/applications", operation_id = "list_applications", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApplicationSummaryBody>)))]
pub async fn list(State(state): State<WebState>, ApiUser(ctx, session): ApiUser) -> Response {
    match state.app.applications().list(&session.user).await {
        Ok(summaries) => Json(
            summaries
                .iter()
                .map(|s| summary_body(&ctx, &state, s))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => store_failure(&ctx, &e),
    }
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
        Err(e) => application_problem(&ctx, &state, "", e),
    }
}

/// Step 2, the place of application, checked against the registries.
#[utoipa::path(put, path = "/applications/{id}/place", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft")), request_body = PlaceInput,
    responses((status = 200, body = ApplicationBody),
              (status = 422, description = "Not confirmed: `errors` says why. Domestic without a residence right, the entry is looked up with the applicant's own passport (Passport Information: number and country of issue, or a declared `previous_passport` with the id of a scan among the user's documents) and birth year (Personal Information): passport-not-yours, entry-needs-profile, previous-passport-is-current, document-not-found, passport-not-in-turkiye, entry-deadline-passed; abroad: reference-number-unknown, reference-number-mismatch, …", body = Problem, content_type = PROBLEM),
              (status = 503, description = "A registry did not answer", body = Problem, content_type = PROBLEM)))]
pub async fn put_place(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(input): ApiJson<PlaceInput>,
) -> Response {
    let result = state
        .app
        .applications()
        .save_place(&session.user, id, &input, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}

/// Step 3, changes the category of a draft.
#[utoipa::path(put, path = "/applications/{id}/category", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft")), request_body = CategoryInput,
    responses((status = 200, body = ApplicationBody), (status = 422, body = Problem, content_type = PROBLEM)))]
pub async fn put_category(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(input): ApiJson<CategoryInput>,
) -> Response {
    let result = state
        .app
        .applications()
        .save_category(&session.user, id, &input.category, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}

/// Step 4, the explicit consent to the KVKK text (its version is recorded).
#[utoipa::path(put, path = "/applications/{id}/consent", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft")), request_body = ConsentInput,
    responses((status = 200, body = ApplicationBody), (status = 422, body = Problem, content_type = PROBLEM)))]
pub async fn put_consent(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(input): ApiJson<ConsentInput>,
) -> Response {
    let result = state
        .app
        .applications()
        .save_consent(&session.user, id, input.kvkk_explicit_consent, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}

/// Step 5, workplace and employer; the residential code and SGK number are looked up.
#[utoipa::path(put, path = "/applications/{id}/employment", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft, or an application in REVISION")), request_body = EmploymentInput,
    responses((status = 200, body = ApplicationBody),
              (status = 422, description = EMPLOYMENT_INVALID, body = Problem, content_type = PROBLEM)))]
pub async fn put_employment(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(input): ApiJson<EmploymentInput>,
) -> Response {
    let result = state
        .app
        .applications()
        .save_employment(&session.user, id, &input, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
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

/// What `PUT …/employment` refuses that its schema cannot state.
const EMPLOYMENT_INVALID: &str = "A field is invalid; `errors` names each and nothing was stored. \
    Rules the schema cannot state: the occupation is one the category admits (see the catalogue), \
    dates are real with the end after the start and within the category's limit, the residential \
    code and the SGK number are known to the registries, the province and district are in the \
    reference list, the currency is one of the catalogue's, fields that depend on others (the \
    employer's details when there is one) are given, and the contract is one of the caller's \
    documents.";

/// Step 7, "Other Information" and the additional documents (the user's own).
#[utoipa::path(put, path = "/applications/{id}/additional", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The draft, or an application in REVISION")), request_body = AdditionalInput,
    responses((status = 200, body = ApplicationBody),
              (status = 422, description = "Other information holds a control character or a direction override, or is too long; or a document is not one of the caller's own", body = Problem, content_type = PROBLEM)))]
pub async fn put_additional(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(input): ApiJson<AdditionalInput>,
) -> Response {
    let result = state
        .app
        .applications()
        .save_additional(&session.user, id, &input, &ctx.client)
        .await;
    after_step(&state, &ctx, &session, id, result).await
}

fn preview_body(
    ctx: &RequestContext,
    state: &WebState,
    preview: &Preview,
    detail: &ApplicationDetail,
) -> Result<PreviewBody, serde_json::Error> {
    let category = category_of(&preview.record);
    Ok(PreviewBody {
        application: application_body(ctx, state, detail)?,
        ready: preview.failures.is_empty(),
        failures: preview
            .failures
            .iter()
            .map(|f| RuleBody {
                field: rule_location(f),
                step: f.step.code().to_owned(),
                code: f.code.to_owned(),
                message: rule_message(ctx, &state.app.catalog, &category, f),
            })
            .collect(),
    })
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
        Err(e) => application_problem(&ctx, &state, "", e),
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
            let category = match service.get(&session.user, id).await {
                Ok(record) => category_of(&record),
                Err(_) => String::new(),
            };
            application_problem(&ctx, &state, &category, e)
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
            let category = match service.get(&session.user, id).await {
                Ok(record) => category_of(&record),
                Err(_) => String::new(),
            };
            application_problem(&ctx, &state, &category, e)
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
