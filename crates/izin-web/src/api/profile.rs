//! `/api/v1/me/{personal,contact,passport,education}` and `/api/v1/me/completeness`.
//! A `GET` answers the section in the shape a `PUT` takes; a `PUT` replaces the section and
//! stores nothing if any field is invalid (422, one entry per field).

use super::json::{ApiJson, ApiUser};
use super::problem::Problem;
use crate::WebState;
use crate::errors::store_failure;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use izin_app::profile::{ProfileView, SaveError, SectionInput};
use izin_domain::profile::{
    Completeness, ContactInput, EducationInput, PassportInput, PersonalInput, Section,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A section as stored, with the fields a registry confirmed (which a `PUT` cannot change).
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionBody<T: ToSchema> {
    #[serde(flatten)]
    pub fields: T,
    /// Field paths confirmed by a government registry, e.g. `first_name`.
    pub verified_fields: Vec<String>,
}

fn verified(view: &ProfileView, section: Section) -> Vec<String> {
    let prefix = format!("{}.", section.code());
    view.profile
        .verified
        .iter()
        .filter_map(|f| f.strip_prefix(&prefix).map(str::to_owned))
        .collect()
}

fn body(view: &ProfileView, section: Section, email: &str) -> serde_json::Value {
    let fields = match section {
        Section::Personal => serde_json::to_value(PersonalInput::from(&view.profile.personal)),
        Section::Contact => {
            serde_json::to_value(ContactInput::from_section(&view.profile.contact, email))
        }
        Section::Passport => serde_json::to_value(PassportInput::from(&view.profile.passport)),
        Section::Education => serde_json::to_value(EducationInput::from(&view.profile.education)),
    };
    let mut value = fields.unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "verified_fields".into(),
            serde_json::json!(verified(view, section)),
        );
    }
    value
}

async fn get_section(state: &WebState, user: &ApiUser, section: Section) -> Response {
    let ApiUser(ctx, session) = user;
    match state.app.profiles().view(&session.user).await {
        Ok(view) => Json(body(&view, section, &session.user.email)).into_response(),
        Err(e) => store_failure(ctx, &e),
    }
}

async fn put_section(state: &WebState, user: &ApiUser, input: SectionInput) -> Response {
    let ApiUser(ctx, session) = user;
    let section = match &input {
        SectionInput::Personal(_) => Section::Personal,
        SectionInput::Contact(_) => Section::Contact,
        SectionInput::Passport(_) => Section::Passport,
        SectionInput::Education(_) => Section::Education,
    };
    match state
        .app
        .profiles()
        .save(&session.user, &input, &ctx.client)
        .await
    {
        Ok(_) => get_section(state, user, section).await,
        Err(SaveError::Invalid(violations)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .violations(ctx, &violations)
        .into_response(),
        Err(SaveError::Store(e)) => store_failure(ctx, &e),
    }
}

const INVALID: &str = "At least one field is invalid; `errors` names each and nothing was \
    stored. Rules the schema cannot state: values of closed lists come from \
    `GET /api/v1/reference/{list}`, identifiers pass their check digits, dates are real and \
    plausible (none in the future, the applicant an adult), fields another requires are given \
    (the spouse when married), free text holds no control character or direction override, and \
    documents are the caller's own, of the right kind.";

/// Personal Information: name, parents, birth, nationality, foreigner ID.
#[utoipa::path(get, path = "/me/personal", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = SectionBody<PersonalInput>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_personal(State(state): State<WebState>, user: ApiUser) -> Response {
    get_section(&state, &user, Section::Personal).await
}

/// Replaces Personal Information.
#[utoipa::path(put, path = "/me/personal", tag = "profile", security(("bearer" = [])), request_body = PersonalInput,
    responses((status = 200, body = SectionBody<PersonalInput>), (status = 422, description = INVALID, body = Problem, content_type = "application/problem+json")))]
pub async fn put_personal(
    State(state): State<WebState>,
    user: ApiUser,
    ApiJson(input): ApiJson<PersonalInput>,
) -> Response {
    put_section(&state, &user, SectionInput::Personal(input)).await
}

/// Contact Information; `email` is the sign-in address and read-only.
#[utoipa::path(get, path = "/me/contact", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = SectionBody<ContactInput>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_contact(State(state): State<WebState>, user: ApiUser) -> Response {
    get_section(&state, &user, Section::Contact).await
}

/// Replaces Contact Information (a given `email` is ignored).
#[utoipa::path(put, path = "/me/contact", tag = "profile", security(("bearer" = [])), request_body = ContactInput,
    responses((status = 200, body = SectionBody<ContactInput>), (status = 422, description = INVALID, body = Problem, content_type = "application/problem+json")))]
pub async fn put_contact(
    State(state): State<WebState>,
    user: ApiUser,
    ApiJson(input): ApiJson<ContactInput>,
) -> Response {
    put_section(&state, &user, SectionInput::Contact(input)).await
}

/// Passport Information: type, number, country of issue, dates, the scan.
#[utoipa::path(get, path = "/me/passport", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = SectionBody<PassportInput>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_passport(State(state): State<WebState>, user: ApiUser) -> Response {
    get_section(&state, &user, Section::Passport).await
}

/// Replaces Passport Information.
#[utoipa::path(put, path = "/me/passport", tag = "profile", security(("bearer" = [])), request_body = PassportInput,
    responses((status = 200, body = SectionBody<PassportInput>), (status = 422, description = INVALID, body = Problem, content_type = "application/problem+json")))]
pub async fn put_passport(
    State(state): State<WebState>,
    user: ApiUser,
    ApiJson(input): ApiJson<PassportInput>,
) -> Response {
    put_section(&state, &user, SectionInput::Passport(input)).await
}

/// Education Information: level, school, the diploma.
#[utoipa::path(get, path = "/me/education", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = SectionBody<EducationInput>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn get_education(State(state): State<WebState>, user: ApiUser) -> Response {
    get_section(&state, &user, Section::Education).await
}

/// Replaces Education Information.
#[utoipa::path(put, path = "/me/education", tag = "profile", security(("bearer" = [])), request_body = EducationInput,
    responses((status = 200, body = SectionBody<EducationInput>), (status = 422, description = INVALID, body = Problem, content_type = "application/problem+json")))]
pub async fn put_education(
    State(state): State<WebState>,
    user: ApiUser,
    ApiJson(input): ApiJson<EducationInput>,
) -> Response {
    put_section(&state, &user, SectionInput::Education(input)).await
}

/// Which sections are complete and which fields each still lacks.
#[utoipa::path(get, path = "/me/completeness", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = Completeness), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn completeness(
    State(state): State<WebState>,
    ApiUser(ctx, session): ApiUser,
) -> Response {
    match state.app.profiles().view(&session.user).await {
        Ok(view) => Json(view.completeness).into_response(),
        Err(e) => store_failure(&ctx, &e),
    }
}
