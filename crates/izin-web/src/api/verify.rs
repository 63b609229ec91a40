//! `/verify` as JSON, and the holder's Proof Document: what anyone may learn of a document from
//! its number and verification code, and the PDF for its holder.

use super::problem::Problem;
use crate::WebState;
use crate::context::Ctx;
use crate::extract::{ValidPath, ValidQuery};
use crate::pages::verify::{parse_lookup, pdf_response, photo_response};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use izin_app::proof::{HolderDocument, VerifyAnswer};
use izin_domain::proof::code::VerificationCode;
use izin_domain::proof::number::{DocumentNumber, NumberError};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

const PROBLEM: &str = "application/problem+json";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct CodeQuery {
    /// The verification code printed on the document (ten Crockford base-32 characters).
    #[param(pattern = r"^[0-9A-TV-Za-tv-z]{5}[- ]?[0-9A-TV-Za-tv-z]{5}$")]
    code: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct NumberPath {
    /// The document number as printed, such as `2026-0001234-56`.
    #[param(pattern = r"^[0-9]{4}[- ]?[0-9]{7}[- ]?[0-9]{2}$")]
    number: String,
}

/// A lookup's number and code. No document has a number whose check digits do not match, nor
/// an empty code (404); a malformed number or code is a request to correct (422).
fn lookup(
    ctx: &Ctx,
    number: &str,
    code: &str,
) -> Result<(DocumentNumber, VerificationCode), Box<Response>> {
    if code.trim().is_empty() || DocumentNumber::parse(number) == Err(NumberError::CheckDigits) {
        return Err(Box::new(
            Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                ctx.t("verify-not-found"),
            )
            .into_response(),
        ));
    }
    parse_lookup(number, code).map_err(|message| {
        Box::new(
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-lookup",
                ctx.t(message),
            )
            .into_response(),
        )
    })
}

/// What a document number and its code tell anyone: no foreigner ID, no address.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyBody {
    /// As printed, such as `2026-0001234-56`.
    pub number: String,
    /// `VALID`, `NOT_YET_VALID`, `EXPIRED`, `CANCELLED` or `REPLACED`.
    pub status: String,
    /// The status in the request's language.
    pub status_label: String,
    pub holder: String,
    /// What the document grants, in the request's language (generic where the category is
    /// sensitive).
    pub grants: String,
    #[serde(with = "izin_domain::calendar::iso_day")]
    #[schema(value_type = String, format = Date)]
    pub valid_from: Date,
    #[serde(with = "izin_domain::calendar::iso_day")]
    #[schema(value_type = String, format = Date)]
    pub valid_until: Date,
    /// Where the holder's photo is served (the code is part of the address), when there is one.
    pub photo: Option<String>,
}

/// The holder's document, on the application's detail.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProofDocumentBody {
    pub number: String,
    pub verification_code: String,
    /// As `/verify` answers it; `PREPARING` until the document is produced.
    pub status: String,
    /// Where the PDF is downloaded, once produced.
    pub pdf: Option<String>,
    /// Whether a printed card is sent by cargo.
    pub card: bool,
    /// The card's shipments, newest first.
    pub shipments: Vec<ShipmentBody>,
}

/// A card in the post.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentBody {
    pub tracking_number: String,
    /// `created`, `accepted`, `in_transit`, `out_for_delivery`, `delivered` or
    /// `returned_to_sender`.
    pub status: String,
    pub status_label: String,
    #[serde(with = "time::serde::rfc3339")]
    pub status_at: time::OffsetDateTime,
    pub address: String,
}

pub(crate) fn proof_document_body(
    ctx: &crate::context::RequestContext,
    application: Uuid,
    document: &HolderDocument,
    shipments: &[izin_app::cargo::ShipmentRecord],
) -> ProofDocumentBody {
    ProofDocumentBody {
        card: document.with_card,
        shipments: shipments
            .iter()
            .map(|s| ShipmentBody {
                tracking_number: s.tracking_number.to_string(),
                status: s.status.code().to_owned(),
                status_label: ctx
                    .t(&format!("shipment-status-{}", s.status.code()))
                    .to_owned(),
                status_at: s.status_at,
                address: s.address.clone(),
            })
            .collect(),
        number: document.number.to_string(),
        verification_code: document.verification_code.to_string(),
        status: document.status.map_or("PREPARING", |s| s.code()).to_owned(),
        pdf: document
            .status
            .map(|_| format!("/api/v1/applications/{application}/document")),
    }
}

/// Checks a document by its number and verification code (no sign-in). Wrong guesses are
/// limited per client.
#[utoipa::path(get, path = "/verify/{number}", tag = "verify",
    params(NumberPath, CodeQuery),
    responses((status = 200, body = VerifyBody),
              (status = 404, description = "No document has this number and code, or it is being prepared", body = Problem, content_type = PROBLEM),
              (status = 422, description = "Not a document number or not a verification code", body = Problem, content_type = PROBLEM),
              (status = 429, description = "Too many wrong guesses from this client", body = Problem, content_type = PROBLEM)))]
pub async fn verify(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidPath(path): ValidPath<NumberPath>,
    ValidQuery(query): ValidQuery<CodeQuery>,
) -> Response {
    let (number, code) = match lookup(&ctx, &path.number, &query.code) {
        Ok(parsed) => parsed,
        Err(response) => return *response,
    };
    let answer = match state
        .app
        .proof_documents()
        .verify(&number, &code, &ctx.client)
        .await
    {
        Ok(answer) => answer,
        Err(e) => return crate::errors::store_failure(&ctx, &e),
    };
    match answer {
        VerifyAnswer::Found(found) => {
            let status = found.status.code();
            Json(VerifyBody {
                number: found.number.to_string(),
                status: status.to_owned(),
                status_label: ctx.t(&format!("verify-status-{status}")).to_owned(),
                holder: found.holder.clone(),
                grants: found.grants.get(ctx.language).to_owned(),
                valid_from: found.valid_from,
                valid_until: found.valid_until,
                photo: found
                    .has_photo
                    .then(|| format!("/api/v1/verify/{}/photo?code={code}", found.number)),
            })
            .into_response()
        }
        VerifyAnswer::NotFound => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("verify-not-found"),
        )
        .into_response(),
        VerifyAnswer::BeingPrepared => Problem::new(
            StatusCode::NOT_FOUND,
            "being-prepared",
            ctx.t("verify-being-prepared"),
        )
        .into_response(),
        VerifyAnswer::TooMany(wait) => Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-guesses",
            ctx.t("verify-too-many"),
        )
        .retry_after(wait)
        .into_response(),
    }
}

/// The holder's photo as printed, for someone who gives the number and the code.
#[utoipa::path(get, path = "/verify/{number}/photo", tag = "verify",
    params(NumberPath, CodeQuery),
    responses((status = 200, description = "The photo", content(("image/jpeg"), ("image/png"))),
              (status = 404, description = "No such document, wrong code, or no photo")))]
pub async fn photo(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidPath(path): ValidPath<NumberPath>,
    ValidQuery(query): ValidQuery<CodeQuery>,
) -> Response {
    let Ok((number, code)) = parse_lookup(&path.number, &query.code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    photo_response(&state, &ctx, &number, &code).await
}

/// The latest Proof Document of one of the user's applications, as PDF.
#[utoipa::path(get, path = "/applications/{id}/document", operation_id = "get_proof_document", tag = "applications", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The approved application")),
    responses((status = 200, description = "The signed Proof Document", content(("application/pdf"))),
              (status = 404, description = "Not the user's application", body = Problem, content_type = PROBLEM),
              (status = 409, description = "The application has no document (yet): it is not approved, or the document is being prepared", body = Problem, content_type = PROBLEM)))]
pub async fn document(
    State(state): State<WebState>,
    super::json::ApiUser(ctx, session): super::json::ApiUser,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state.app.proof_documents().pdf(session.user.id, id).await {
        Ok(Some(Some((number, bytes)))) => pdf_response(&number, bytes),
        Ok(Some(None)) => Problem::new(
            StatusCode::CONFLICT,
            "no-document-yet",
            ctx.t("document-being-prepared"),
        )
        .into_response(),
        Ok(None) => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("error-not-found-title"),
        )
        .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "a proof document could not be read");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                ctx.t("problem-unavailable"),
            )
            .into_response()
        }
    }
}
