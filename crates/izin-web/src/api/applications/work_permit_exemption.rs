//! The work-permit exemption's own steps under `/api/v1/applications/{id}`: the place of
//! application (with the residence-right inquiry), the category, the KVKK consent, workplace and
//! employer, and "Other Information" with the additional documents; and the shape of its data.

use super::after_step;
use super::bodies::*;
use super::problems::*;
use crate::WebState;
use crate::api::json::{ApiJson, ApiUser};
use crate::api::problem::Problem;
use crate::context::RequestContext;
use crate::extract::ValidPath;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use izin_app::applications::exemption::ResidenceRightInquiry;
use izin_domain::application::work_permit_exemption::{
    AdditionalInput, ConsentInput, Draft, EmploymentInput, PlaceInput,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// The exemption's step routes.
pub(crate) fn routes() -> utoipa_axum::router::OpenApiRouter<WebState> {
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(residence_right))
        .routes(routes!(put_place))
        .routes(routes!(put_category))
        .routes(routes!(put_consent))
        .routes(routes!(put_employment))
        .routes(routes!(put_additional))
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
#[serde(deny_unknown_fields)]
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
pub struct CategoryInput {
    pub category: String,
}

pub(crate) fn data_body(ctx: &RequestContext, draft: &Draft) -> ExemptionDataBody {
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
        Err(e) => application_problem(&ctx, &state, None, e),
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

/// What `PUT …/employment` refuses that its schema cannot state.
pub(crate) const EMPLOYMENT_INVALID: &str = "A field is invalid; `errors` names each and nothing was stored. \
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
