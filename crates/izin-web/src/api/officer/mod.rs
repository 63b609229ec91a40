//! The back office's JSON API under `/api/v1/officer`: sign-in (an e-mail code and a second
//! factor), the queue, one application, and the decisions. Only an officer's token reaches these
//! routes (an applicant's is not found here, as anything of another authority is); an officer's
//! token reaches no applicant route.

pub(crate) mod applications;
mod auth;
mod payments;

use super::problem::Problem;
use crate::context::{Ctx, RequestContext};
use crate::forms::violation_message;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use izin_app::back_office::{BackOfficeError, CurrentOfficer};
use izin_i18n::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The back office's routes, relative to `/api/v1`.
pub fn routes() -> OpenApiRouter<crate::WebState> {
    OpenApiRouter::new()
        .routes(routes!(auth::request_code))
        .routes(routes!(auth::verify))
        .routes(routes!(auth::logout))
        .routes(routes!(applications::queue))
        .routes(routes!(applications::get))
        .routes(routes!(applications::document))
        .routes(routes!(applications::recheck))
        .routes(routes!(applications::take))
        .routes(routes!(applications::release))
        .routes(routes!(applications::reassign))
        .routes(routes!(applications::request_revision))
        .routes(routes!(applications::reject))
        .routes(routes!(applications::approve))
        .routes(routes!(applications::confirm_approval))
        .routes(routes!(applications::return_proposal))
        .routes(routes!(applications::cancel))
        .routes(routes!(applications::add_note))
        .routes(routes!(applications::reasons))
        .routes(routes!(payments::unmatched))
}

/// The signed-in officer of an API call. A token that is no officer's (an applicant's, say)
/// finds nothing here (404); no token at all, or an officer's session that ended, is told to
/// sign in (401).
pub struct ApiOfficer(pub Ctx, pub CurrentOfficer);

impl<S: Send + Sync> FromRequestParts<S> for ApiOfficer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.officer.clone() {
            Some(officer) => Ok(ApiOfficer(ctx, officer)),
            None if matches!(ctx.session_ended, Some(Some(_))) => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "session-expired",
                ctx.t("officer-session-ended"),
            )
            .into_response()),
            None if ctx.session_ended.is_some() => Err(not_found(&ctx)),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                ctx.t("problem-unauthenticated"),
            )
            .into_response()),
        }
    }
}

fn not_found(ctx: &RequestContext) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        ctx.t("problem-not-found"),
    )
    .into_response()
}

/// How a refused back-office call is told: its HTTP status and the message in the request's
/// language (the pages show the same message).
pub(crate) fn refusal(ctx: &RequestContext, error: &BackOfficeError) -> (StatusCode, String) {
    let status_label = |status: izin_domain::application::Status| {
        crate::application_texts::status_label(ctx, status)
    };
    match error {
        BackOfficeError::NotFound => (StatusCode::NOT_FOUND, ctx.t("problem-not-found").to_owned()),
        BackOfficeError::RoleMissing(role) => (
            StatusCode::FORBIDDEN,
            ctx.tf(
                "officer-problem-role",
                &[(
                    "role",
                    Value::from(ctx.t(&format!("officer-role-{}", role.code()))),
                )],
            ),
        ),
        BackOfficeError::SameOfficer => (
            StatusCode::FORBIDDEN,
            ctx.t("officer-problem-same-officer").to_owned(),
        ),
        BackOfficeError::HeldBy { email, .. } => (
            StatusCode::CONFLICT,
            ctx.tf(
                "officer-problem-held",
                &[("email", Value::from(email.as_str()))],
            ),
        ),
        BackOfficeError::NotHolder { .. } => (
            StatusCode::CONFLICT,
            ctx.t("officer-problem-not-holder").to_owned(),
        ),
        BackOfficeError::Transition { status, .. } => (
            StatusCode::CONFLICT,
            ctx.tf(
                "officer-problem-transition",
                &[("status", Value::from(status_label(*status)))],
            ),
        ),
        BackOfficeError::NotOpen(status) => (
            StatusCode::CONFLICT,
            ctx.tf(
                "officer-problem-closed",
                &[("status", Value::from(status_label(*status)))],
            ),
        ),
        BackOfficeError::Invalid(violations) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            violations
                .iter()
                .map(|v| violation_message(ctx, v))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        BackOfficeError::UnpublishedFee { year } => (
            StatusCode::CONFLICT,
            ctx.tf(
                "officer-problem-unpublished",
                &[("year", Value::from(*year))],
            ),
        ),
        BackOfficeError::NoProposal => (
            StatusCode::CONFLICT,
            ctx.t("officer-problem-no-proposal").to_owned(),
        ),
        BackOfficeError::Store(e) if e.is_unavailable() => (
            StatusCode::SERVICE_UNAVAILABLE,
            ctx.t("problem-unavailable").to_owned(),
        ),
        BackOfficeError::Store(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            ctx.t("problem-internal").to_owned(),
        ),
        BackOfficeError::Files(_)
        | BackOfficeError::Application(_)
        | BackOfficeError::Payment(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            ctx.t("problem-unavailable").to_owned(),
        ),
    }
}

/// A refused back-office call as a problem document.
pub fn problem(ctx: &RequestContext, error: BackOfficeError) -> Response {
    let (status, message) = refusal(ctx, &error);
    let code = match &error {
        BackOfficeError::NotFound => "not-found",
        BackOfficeError::Transition { refusal, .. } => refusal.code(),
        BackOfficeError::Invalid(_) => "validation",
        BackOfficeError::Store(e) if e.is_unavailable() => "unavailable",
        BackOfficeError::Store(_) => "internal",
        BackOfficeError::Files(_)
        | BackOfficeError::Application(_)
        | BackOfficeError::Payment(_) => "unavailable",
        other => other.code(),
    };
    if matches!(
        error,
        BackOfficeError::Store(_) | BackOfficeError::Files(_) | BackOfficeError::Application(_)
    ) {
        tracing::error!(%error, "back office failure");
    }
    let mut problem = Problem::new(status, code, &message);
    match &error {
        BackOfficeError::HeldBy { email, .. } => problem = problem.detail(email.clone()),
        BackOfficeError::NotHolder {
            held_by: Some(email),
        } => problem = problem.detail(email.clone()),
        BackOfficeError::Transition { status, .. } | BackOfficeError::NotOpen(status) => {
            problem = problem.current_status(status.code())
        }
        BackOfficeError::Invalid(violations) => {
            problem.title = ctx.t("problem-validation").to_owned();
            problem = problem.violations(ctx, violations);
        }
        _ => {}
    }
    problem.into_response()
}
