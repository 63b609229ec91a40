//! The JSON API under `/api/v1`. Routes and their OpenAPI description are registered together,
//! so the document at `/api/openapi.json` cannot drift from what the server answers.

mod applications;
mod auth;
mod cargo;
mod catalog;
mod documents;
mod json;
mod me;
mod objects_only;
pub(crate) mod officer;
pub mod openapi;
pub(crate) mod payments;
pub mod problem;
mod profile;
mod reference;
pub(crate) mod verify;

use crate::WebState;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Izin API",
        version = "1",
        description = "Work-permit exemption and residence-permit applications. Authenticate with \
                       the token from POST /api/v1/auth/email-code/verify as `Authorization: Bearer`. \
                       Errors are RFC 9457 problem details with a stable `code`; messages follow \
                       `Accept-Language` (tr or en)."
    ),
    modifiers(&BearerAuth),
    components(schemas(problem::Problem, problem::FieldError)),
    tags(
        (name = "auth", description = "Signing in with an e-mail code"),
        (name = "account", description = "The signed-in user"),
        (name = "profile", description = "User Information: the four sections every application draws on"),
        (name = "documents", description = "The user's documents"),
        (name = "reference", description = "Countries, languages, provinces and closed lists"),
        (name = "catalog", description = "What can be applied for: work-permit-exemption sectors, categories, occupations, currencies"),
        (name = "applications", description = "New Application (the wizard's steps, preview, Create My Application) and My Applications"),
        (name = "cargo", description = "Status reports of the carrier that delivers printed cards (signed notifications)"),
        (name = "verify", description = "Checking a Proof Document by its number and verification code; no sign-in"),
        (name = "payments", description = "Payments reported by the revenue administration (signed notifications)"),
        (name = "officer", description = "The back office: officers of the authorities sign in (e-mail code and second factor), work through their authority's queue and decide. Only an officer's token reaches these routes.")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The message of a refused request for a sign-in code (the pages show it too).
pub(crate) fn auth_refusal_message(
    ctx: &crate::context::RequestContext,
    refusal: izin_domain::otp::CodeRefusal,
) -> String {
    auth::refusal_problem(ctx, refusal).title
}

/// What to do about an entered code that was not accepted (the pages show it too).
pub(crate) fn code_rejection_message(
    ctx: &crate::context::RequestContext,
    rejection: izin_domain::otp::CodeRejection,
) -> String {
    auth::rejection_problem(ctx, rejection).title
}

/// The API's routes (relative to `/api/v1`) and its OpenAPI document (with full paths).
pub fn router() -> (Router<WebState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::request_code))
        .routes(routes!(auth::request_passport_code))
        .routes(routes!(auth::request_reference_code))
        .routes(routes!(auth::verify_code))
        .routes(routes!(auth::logout))
        .routes(routes!(me::me))
        .routes(routes!(profile::get_personal, profile::put_personal))
        .routes(routes!(profile::get_contact, profile::put_contact))
        .routes(routes!(profile::get_passport, profile::put_passport))
        .routes(routes!(profile::get_education, profile::put_education))
        .routes(routes!(profile::completeness))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(documents::upload, documents::list))
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::uploads::UPLOAD_BODY_LIMIT,
                )),
        )
        .routes(routes!(documents::content))
        .routes(routes!(documents::delete))
        .routes(routes!(reference::list))
        .routes(routes!(catalog::work_permit_exemption))
        .routes(routes!(applications::create, applications::list))
        .routes(routes!(applications::get, applications::delete))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(applications::post_document))
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::uploads::UPLOAD_BODY_LIMIT,
                )),
        )
        .routes(routes!(applications::delete_document))
        .routes(routes!(applications::preview))
        .routes(routes!(applications::submit))
        .routes(routes!(applications::resubmit))
        .routes(routes!(applications::request_cancellation))
        .merge(applications::kind_routes())
        .merge(officer::routes())
        .routes(routes!(payments::notification))
        .routes(routes!(cargo::notification))
        .routes(routes!(verify::verify))
        .routes(routes!(verify::photo))
        .routes(routes!(verify::document))
        .split_for_parts();
    openapi.paths.paths = std::mem::take(&mut openapi.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("/api/v1{path}"), item))
        .collect();
    (router, openapi)
}
