//! The queue, one application and the decisions, for officers.

use super::super::json::ApiJson;
use super::super::problem::Problem;
use super::{ApiOfficer, problem};
use crate::WebState;
use crate::context::Ctx;
use crate::extract::{ValidPath, ValidQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use izin_app::back_office::decisions::{ApprovalInput, ApprovalOutcome};
use izin_app::back_office::evaluation::{Evaluation, frozen_documents};
use izin_app::back_office::queue::{AssignedFilter, QueueFilter, QueueView};
use izin_domain::application::snapshot::Snapshot;
use izin_domain::application::{Kind, Status};
use izin_domain::back_office::OfficerDecision;
use izin_domain::calendar::parse_iso_date;
use izin_domain::decision_reasons::Decision;
use izin_domain::money::Amount;
use izin_domain::records::ApplicationRecord;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The queue's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `SUBMITTED`, `UNDER_EVALUATION`, `REVISION`, `PAYMENT_PENDING`, `APPROVAL`, `REJECTED`, `WITHDRAWN`.
    pub status: Option<String>,
    /// `work-permit-exemption`, `new-card`, …
    pub kind: Option<String>,
    pub category: Option<String>,
    /// An application number, a foreigner ID, a passport number or the beginning of a name
    /// (Turkish letters and accents forgiven).
    pub q: Option<String>,
    /// `me`, `none` (unassigned) or `anyone` (the default).
    pub assigned: Option<String>,
    /// ISO 3166-1 alpha-3.
    pub nationality: Option<String>,
    /// Submitted on or after this day (`YYYY-MM-DD`, Türkiye time).
    pub submitted_from: Option<String>,
    /// Submitted on or before this day (`YYYY-MM-DD`, Türkiye time).
    pub submitted_to: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemBody {
    pub id: Uuid,
    pub number: String,
    pub kind: String,
    pub category: Option<String>,
    pub status: String,
    pub applicant_name: Option<String>,
    pub nationality: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// The address of the officer holding it.
    pub assigned_to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueBody {
    /// Oldest submission first.
    pub items: Vec<QueueItemBody>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    /// The authority's submitted applications per status.
    pub counts: BTreeMap<String, i64>,
}

/// The values a filter takes, or the problem naming the one that is wrong.
pub fn queue_filter(params: &QueueParams) -> Result<QueueFilter, (&'static str, &'static str)> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let date = |field: &'static str, v: &Option<String>| match text(v) {
        Some(raw) => parse_iso_date(&raw)
            .map(Some)
            .ok_or((field, "date-invalid")),
        None => Ok(None),
    };
    Ok(QueueFilter {
        status: match text(&params.status) {
            Some(code) => Some(Status::parse(&code).ok_or(("status", "field-invalid"))?),
            None => None,
        },
        kind: match text(&params.kind) {
            Some(code) => Some(Kind::parse(&code).ok_or(("kind", "field-invalid"))?),
            None => None,
        },
        category: text(&params.category),
        submitted_from: date("submitted_from", &params.submitted_from)?,
        submitted_to: date("submitted_to", &params.submitted_to)?,
        nationality: text(&params.nationality),
        assigned: AssignedFilter::parse(params.assigned.as_deref().unwrap_or("").trim())
            .ok_or(("assigned", "field-invalid"))?,
        q: text(&params.q),
        after: text(&params.after),
    })
}

pub fn queue_body(view: &QueueView) -> QueueBody {
    QueueBody {
        items: view
            .page
            .items
            .iter()
            .map(|item| QueueItemBody {
                id: item.id,
                number: item.number.clone(),
                kind: item.kind.code().to_owned(),
                category: item.category.clone(),
                status: item.lifecycle.status.code().to_owned(),
                applicant_name: item.applicant_name.clone(),
                nationality: item.nationality.clone(),
                submitted_at: item.submitted_at,
                assigned_to: item.assigned_to.map(|id| {
                    view.holders
                        .get(&id)
                        .cloned()
                        .unwrap_or_else(|| id.to_string())
                }),
            })
            .collect(),
        next: view.next.clone(),
        counts: view
            .counts
            .iter()
            .map(|(status, count)| (status.code().to_owned(), *count))
            .collect(),
    }
}

/// The officer's authority's queue.
#[utoipa::path(get, path = "/officer/applications", operation_id = "officer_queue", tag = "officer",
    security(("bearer" = [])), params(QueueParams),
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = QueueBody),
              (status = 400, description = "A filter is not one of its values", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "Not an officer", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "A filter is not valid", body = Problem, content_type = "application/problem+json")))]
pub async fn queue(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidQuery(params): ValidQuery<QueueParams>,
) -> Response {
    let filter = match queue_filter(&params) {
        Ok(filter) => filter,
        Err((field, code)) => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                ctx.t("problem-validation"),
            )
            .field(field, code, ctx.t(code))
            .into_response();
        }
    };
    match state
        .app
        .back_office()
        .queue(&current.officer, &filter, &ctx.client)
        .await
    {
        Ok(view) => Json(queue_body(&view)).into_response(),
        Err(e) => problem(&ctx, e),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionBody {
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// The application as frozen: the kind's data, the profile it was checked with, the
    /// documents' fingerprints and the fees as assessed.
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryBody {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `user`, `officer` or `system`.
    pub actor: String,
    pub event: String,
    pub from: String,
    pub to: String,
    pub reason: Option<String>,
    pub version: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteBody {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub officer: String,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentBody {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// Its bytes, shown in the browser.
    pub href: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionsBody {
    pub take: bool,
    pub release: bool,
    pub reassign: bool,
    pub decide: bool,
    pub confirm: bool,
    pub cancel: bool,
    pub note: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationBody {
    pub id: Uuid,
    pub number: Option<String>,
    pub kind: String,
    pub category: Option<String>,
    pub status: String,
    pub exemption_status: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    pub assigned_to: Option<String>,
    /// The officer's last decision.
    #[schema(value_type = Option<Object>)]
    pub decision: Option<OfficerDecision>,
    /// The officer whose approval waits for a second officer.
    pub approval_proposed_by: Option<String>,
    pub second_approval_required: bool,
    /// What an approval today would set; absent when a review decides it.
    pub amounts: Option<Vec<Amount>>,
    /// The decisions a fee review chooses among (`review` of the approval).
    pub review_outcomes: Vec<String>,
    /// The names `request-revision` accepts in `reopen`.
    pub reopenable: Vec<String>,
    pub versions: Vec<VersionBody>,
    pub documents: Vec<DocumentBody>,
    pub history: Vec<HistoryBody>,
    pub notes: Vec<NoteBody>,
    /// The applicant's other applications at this authority.
    pub other_applications: Vec<QueueItemBody>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cancellation_requested_at: Option<OffsetDateTime>,
    /// The registry answers the application rests on, as at submission; each can be asked
    /// again with `POST …/registry/{index}`.
    pub registry_answers: Vec<RegistryFactBody>,
    pub may: PermissionsBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryFactBody {
    pub index: usize,
    /// `residence_right`, `entry`, `consulate_reference`, `address` or `workplace`.
    pub registry: String,
    /// What is looked up (a foreigner ID, a passport, a code).
    pub key: String,
    pub at_submission: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecheckBody {
    #[serde(flatten)]
    pub fact: RegistryFactBody,
    /// Whether the registry knows it today.
    pub found: bool,
    /// What it says today.
    pub now: Option<String>,
}

fn lifecycle_text(l: izin_domain::application::Lifecycle) -> String {
    match l.exemption {
        Some(e) => format!("{}/{}", l.status.code(), e.code()),
        None => l.status.code().to_owned(),
    }
}

fn evaluation_body(e: &Evaluation) -> EvaluationBody {
    let r = &e.record;
    let documents = e
        .versions
        .last()
        .and_then(|v| Snapshot::read(&v.snapshot).ok())
        .map(|snapshot| {
            let mut listed: Vec<DocumentBody> = snapshot
                .documents
                .iter()
                .map(|d| DocumentBody {
                    id: d.id,
                    file_name: d.file_name.clone(),
                    content_type: d.content_type.clone(),
                    size: d.size,
                    href: format!("/api/v1/officer/applications/{}/documents/{}", r.id, d.id),
                })
                .collect();
            for id in frozen_documents(&snapshot) {
                if !listed.iter().any(|d| d.id == id) {
                    listed.push(DocumentBody {
                        id,
                        file_name: String::new(),
                        content_type: String::new(),
                        size: 0,
                        href: format!("/api/v1/officer/applications/{}/documents/{id}", r.id),
                    });
                }
            }
            listed
        })
        .unwrap_or_default();
    EvaluationBody {
        id: r.id,
        number: r.number.clone(),
        kind: r.kind.code().to_owned(),
        category: r.columns.category.clone(),
        status: r.lifecycle.status.code().to_owned(),
        exemption_status: r.lifecycle.exemption.map(|x| x.code().to_owned()),
        submitted_at: r.submitted_at,
        assigned_to: e.holder.clone(),
        decision: r.decision.clone(),
        approval_proposed_by: e.proposed_by.clone(),
        second_approval_required: e.second_approval,
        amounts: e.amounts.clone(),
        review_outcomes: e.review_outcomes.iter().map(|s| (*s).to_owned()).collect(),
        reopenable: e.reopenable.iter().map(|r| r.name.clone()).collect(),
        versions: e
            .versions
            .iter()
            .map(|v| VersionBody {
                version: v.version,
                submitted_at: v.submitted_at,
                snapshot: v.snapshot.clone(),
            })
            .collect(),
        documents,
        history: e
            .history
            .iter()
            .map(|h| HistoryBody {
                at: h.at,
                actor: h.actor_kind.clone(),
                event: h.event.code().to_owned(),
                from: lifecycle_text(h.from),
                to: lifecycle_text(h.to),
                reason: h.reason.clone(),
                version: h.version,
            })
            .collect(),
        notes: e
            .notes
            .iter()
            .map(|n| NoteBody {
                at: n.at,
                officer: n.officer_email.clone(),
                text: n.text.clone(),
            })
            .collect(),
        other_applications: e
            .others
            .iter()
            .map(|item| QueueItemBody {
                id: item.id,
                number: item.number.clone(),
                kind: item.kind.code().to_owned(),
                category: item.category.clone(),
                status: item.lifecycle.status.code().to_owned(),
                applicant_name: item.applicant_name.clone(),
                nationality: item.nationality.clone(),
                submitted_at: item.submitted_at,
                assigned_to: None,
            })
            .collect(),
        cancellation_requested_at: r.cancellation_requested_at,
        registry_answers: e
            .registry_facts
            .iter()
            .enumerate()
            .map(|(index, f)| RegistryFactBody {
                index,
                registry: f.check.code().to_owned(),
                key: f.check.key(),
                at_submission: f.at_submission.clone(),
            })
            .collect(),
        may: PermissionsBody {
            take: e.may.take,
            release: e.may.release,
            reassign: e.may.reassign,
            decide: e.may.decide,
            confirm: e.may.confirm,
            cancel: e.may.cancel,
            note: e.may.note,
        },
    }
}

/// One application as the officer evaluates it (the read is audited).
#[utoipa::path(get, path = "/officer/applications/{id}", operation_id = "officer_application", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")),
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = EvaluationBody),
              (status = 404, description = "Not there, or another authority's", body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .back_office()
        .evaluation(&current.officer, id, &ctx.client)
        .await
    {
        Ok(evaluation) => Json(evaluation_body(&evaluation)).into_response(),
        Err(e) => problem(&ctx, e),
    }
}

/// Asks a registry again, today, what the application rested on at submission (audited).
#[utoipa::path(post, path = "/officer/applications/{id}/registry/{index}", operation_id = "officer_registry_recheck", tag = "officer",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application"), ("index" = usize, Path, description = "The `index` of one of its `registry_answers`")),
    responses((status = 200, body = RecheckBody),
              (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 401, description = "No officer's token, or the session ended", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 503, description = "The registry did not answer", body = Problem, content_type = "application/problem+json")))]
pub async fn recheck(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath((id, index)): ValidPath<(Uuid, usize)>,
) -> Response {
    use izin_app::back_office::registry_checks::{RecheckError, RegistryAnswer};
    match state
        .app
        .back_office()
        .recheck(&current.officer, id, index, &ctx.client)
        .await
    {
        Ok(recheck) => {
            let (found, now) = match recheck.now {
                RegistryAnswer::Found(text) => (true, Some(text)),
                RegistryAnswer::NotFound => (false, None),
            };
            Json(RecheckBody {
                fact: RegistryFactBody {
                    index,
                    registry: recheck.fact.check.code().to_owned(),
                    key: recheck.fact.check.key(),
                    at_submission: recheck.fact.at_submission,
                },
                found,
                now,
            })
            .into_response()
        }
        Err(RecheckError::BackOffice(e)) => problem(&ctx, e),
        Err(RecheckError::Registry(e)) => {
            tracing::warn!(error = %e, "registry unavailable for a re-check");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "registry-unavailable",
                ctx.t("officer-registry-unavailable"),
            )
            .into_response()
        }
    }
}

/// A document of the application, shown in the browser (the read is audited).
#[utoipa::path(get, path = "/officer/applications/{id}/documents/{document}", operation_id = "officer_document", tag = "officer",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The application"), ("document" = Uuid, Path, description = "A document its versions cite")),
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, description = "The file, inline", content(("application/pdf"), ("image/png"), ("image/jpeg"))),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn document(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath((id, document)): ValidPath<(Uuid, Uuid)>,
) -> Response {
    match state
        .app
        .back_office()
        .document(&current.officer, id, document, &ctx.client)
        .await
    {
        Ok((document, stream)) => crate::uploads::inline(&document, stream),
        Err(e) => problem(&ctx, e),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationState {
    pub id: Uuid,
    pub number: Option<String>,
    pub status: String,
    pub exemption_status: Option<String>,
    /// The officer holding it.
    pub assigned_to: Option<Uuid>,
    #[schema(value_type = Option<Object>)]
    pub decision: Option<OfficerDecision>,
}

fn state_body(record: &ApplicationRecord) -> ApplicationState {
    ApplicationState {
        id: record.id,
        number: record.number.clone(),
        status: record.lifecycle.status.code().to_owned(),
        exemption_status: record.lifecycle.exemption.map(|e| e.code().to_owned()),
        assigned_to: record.assigned_to,
        decision: record.decision.clone(),
    }
}

fn answer(
    ctx: &Ctx,
    result: Result<ApplicationRecord, izin_app::back_office::BackOfficeError>,
) -> Response {
    match result {
        Ok(record) => Json(state_body(&record)).into_response(),
        Err(e) => problem(ctx, e),
    }
}

/// Takes the application (SUBMITTED → UNDER_EVALUATION); one officer holds it at a time.
#[utoipa::path(post, path = "/officer/applications/{id}/take", operation_id = "officer_take", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")),
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, description = "The evaluator role is needed", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Another officer holds it (`detail` names them), or it is decided", body = Problem, content_type = "application/problem+json")))]
pub async fn take(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let result = state
        .app
        .back_office()
        .take(&current.officer, id, &ctx.client)
        .await;
    answer(&ctx, result)
}

/// Gives the application back to the queue (its holder, or an approver).
#[utoipa::path(post, path = "/officer/applications/{id}/release", operation_id = "officer_release", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")),
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json")))]
pub async fn release(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let result = state
        .app
        .back_office()
        .release(&current.officer, id, &ctx.client)
        .await;
    answer(&ctx, result)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignBody {
    /// The address of an evaluator of the same authority.
    pub to: String,
}

/// Gives the application to another evaluator of the authority (an approver's move).
#[utoipa::path(post, path = "/officer/applications/{id}/reassign", operation_id = "officer_reassign", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = ReassignBody,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn reassign(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<ReassignBody>,
) -> Response {
    let result = state
        .app
        .back_office()
        .reassign(&current.officer, id, &body.to, &ctx.client)
        .await;
    answer(&ctx, result)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevisionBody {
    /// What the applicant should change (they read it).
    pub message: String,
    /// What reopens: names from the application's `reopenable` (`step:…`, `slot:…`,
    /// `profile:…`).
    pub reopen: Vec<String>,
}

/// Asks the applicant for a revision (UNDER_EVALUATION → REVISION), reopening what is named.
#[utoipa::path(post, path = "/officer/applications/{id}/request-revision", operation_id = "officer_request_revision", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = RevisionBody,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Refused in the current status (`current_status`), or not held by this officer", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn request_revision(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<RevisionBody>,
) -> Response {
    let result = state
        .app
        .back_office()
        .request_revision(
            &current.officer,
            id,
            &body.message,
            &body.reopen,
            &ctx.client,
        )
        .await;
    answer(&ctx, result)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonedBody {
    /// A code of `GET /officer/reasons`.
    pub reason: String,
    /// The officer's explanation for the applicant.
    #[serde(default)]
    pub text: String,
}

/// Rejects with a coded reason (UNDER_EVALUATION → REJECTED).
#[utoipa::path(post, path = "/officer/applications/{id}/reject", operation_id = "officer_reject", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = ReasonedBody,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn reject(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<ReasonedBody>,
) -> Response {
    let result = state
        .app
        .back_office()
        .reject(&current.officer, id, &body.reason, &body.text, &ctx.client)
        .await;
    answer(&ctx, result)
}

/// Cancels what an approval granted (an ACTIVE exemption → CANCELLED), with a coded reason.
#[utoipa::path(post, path = "/officer/applications/{id}/cancel", operation_id = "officer_cancel", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = ReasonedBody,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn cancel(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<ReasonedBody>,
) -> Response {
    let result = state
        .app
        .back_office()
        .cancel(&current.officer, id, &body.reason, &body.text, &ctx.client)
        .await;
    answer(&ctx, result)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ApproveBody {
    /// For kinds whose fees a review decides: one of the application's `review_outcomes`.
    pub review: Option<String>,
    /// An administrator confirms amounts using a fee not published for their year.
    pub confirm_estimate: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApprovalBody {
    /// `PAYMENT_PENDING`, `APPROVAL`, or `UNDER_EVALUATION` while a second approval is awaited.
    pub status: String,
    /// The amounts due (empty: nothing due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amounts: Option<Vec<Amount>>,
    /// `second_approval` when another officer must confirm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awaiting: Option<&'static str>,
}

fn approval_answer(
    ctx: &Ctx,
    result: Result<ApprovalOutcome, izin_app::back_office::BackOfficeError>,
) -> Response {
    match result {
        Ok(ApprovalOutcome::Decided { record, amounts }) => Json(ApprovalBody {
            status: record.lifecycle.status.code().to_owned(),
            amounts: Some(amounts),
            awaiting: None,
        })
        .into_response(),
        Ok(ApprovalOutcome::AwaitingSecondApproval { record }) => (
            StatusCode::ACCEPTED,
            Json(ApprovalBody {
                status: record.lifecycle.status.code().to_owned(),
                amounts: None,
                awaiting: Some("second_approval"),
            }),
        )
            .into_response(),
        Err(e) => problem(ctx, e),
    }
}

/// Approves: the kind's fee policy computes the amounts → PAYMENT_PENDING, or APPROVAL when
/// nothing is due; where the category needs four eyes, 202 and a second officer confirms.
#[utoipa::path(post, path = "/officer/applications/{id}/approve", operation_id = "officer_approve", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = ApproveBody,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApprovalBody),
              (status = 202, description = "Recorded; awaits a second approval", body = ApprovalBody),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "Refused in the current status, not held, or a fee of the year is not published (`officer-fee-unpublished`: an administrator confirms with `confirm_estimate`)", body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn approve(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<ApproveBody>,
) -> Response {
    let input = ApprovalInput {
        review: body.review,
        confirm_estimate: body.confirm_estimate,
    };
    let result = state
        .app
        .back_office()
        .approve(&current.officer, id, &input, &ctx.client)
        .await;
    approval_answer(&ctx, result)
}

/// The second approval of another officer's proposal (an approver's move); the amounts are
/// computed now.
#[utoipa::path(post, path = "/officer/applications/{id}/confirm-approval", operation_id = "officer_confirm_approval", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = ApproveBody,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApprovalBody),
              (status = 403, description = "The approver role is needed, or this officer proposed it", body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn confirm_approval(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<ApproveBody>,
) -> Response {
    let input = ApprovalInput {
        review: body.review,
        confirm_estimate: body.confirm_estimate,
    };
    let result = state
        .app
        .back_office()
        .confirm_approval(&current.officer, id, &input, &ctx.client)
        .await;
    approval_answer(&ctx, result)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub text: String,
}

/// Sends a proposed approval back to its proposer with a note.
#[utoipa::path(post, path = "/officer/applications/{id}/return-proposal", operation_id = "officer_return_proposal", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = NoteRequest,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = ApplicationState),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn return_proposal(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> Response {
    let result = state
        .app
        .back_office()
        .return_proposal(&current.officer, id, &body.text, &ctx.client)
        .await;
    answer(&ctx, result)
}

/// An internal note, seen only by officers.
#[utoipa::path(post, path = "/officer/applications/{id}/notes", operation_id = "officer_add_note", tag = "officer",
    security(("bearer" = [])), params(("id" = Uuid, Path, description = "The application")), request_body = NoteRequest,
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A path parameter is malformed", body = Problem, content_type = "application/problem+json"),
              (status = 201, description = "Added"),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn add_note(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidPath(id): ValidPath<Uuid>,
    ApiJson(body): ApiJson<NoteRequest>,
) -> Response {
    match state
        .app
        .back_office()
        .add_note(&current.officer, id, &body.text, &ctx.client)
        .await
    {
        Ok(()) => StatusCode::CREATED.into_response(),
        Err(e) => problem(&ctx, e),
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ReasonsParams {
    /// The application kind, e.g. `work-permit-exemption`.
    pub kind: String,
    /// `reject` or `cancel`.
    pub action: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonBody {
    pub code: String,
    /// In the request's language.
    pub text: String,
    pub legal_basis: String,
    /// How to object; absent when no objection is possible.
    pub objection: Option<String>,
}

/// The coded reasons of a kind for rejecting or cancelling, in the request's language.
#[utoipa::path(get, path = "/officer/reasons", operation_id = "officer_reasons", tag = "officer",
    security(("bearer" = [])), params(ReasonsParams),
    responses((status = 401, description = "No officer's token (an applicant's token is not found here: 404), or the officer's session ended", body = Problem, content_type = "application/problem+json"),
              (status = 200, body = [ReasonBody]),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn reasons(
    State(state): State<WebState>,
    ApiOfficer(ctx, _current): ApiOfficer,
    ValidQuery(params): ValidQuery<ReasonsParams>,
) -> Response {
    let invalid = |field: &str| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field(field, "field-invalid", ctx.t("field-invalid"))
        .into_response()
    };
    let Some(kind) = Kind::parse(&params.kind) else {
        return invalid("kind");
    };
    let Some(decision) = Decision::parse(&params.action) else {
        return invalid("action");
    };
    match state.app.back_office().reasons(kind, decision) {
        Ok(reasons) => Json(
            reasons
                .iter()
                .map(|r| ReasonBody {
                    code: r.code.clone(),
                    text: r.text.get(ctx.language).to_owned(),
                    legal_basis: r.legal_basis.get(ctx.language).to_owned(),
                    objection: r.objection.as_ref().map(|o| o.get(ctx.language).to_owned()),
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => problem(&ctx, e),
    }
}
