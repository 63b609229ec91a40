//! Officers' sign-in through the API: request an e-mail code, then exchange it together with
//! the second factor for a token.

use super::super::json::ApiJson;
use super::super::problem::Problem;
use super::ApiOfficer;
use crate::WebState;
use crate::context::Ctx;
use crate::cookies::{self, CookieName};
use crate::errors::store_failure;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use izin_app::auth::CodeRequestError;
use izin_app::back_office::OfficerSignInError;
use izin_app::officers::SecondFactorRefusal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerCodeRequest {
    /// The officer's address.
    #[schema(example = "officer.labour@izin.example")]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerCodeAccepted {
    /// Send it back with the code and the second factor.
    pub challenge: String,
}

/// Sends a sign-in code to an officer's address. The answer is the same whether or not an
/// officer has it (and no code goes to an address that is not an enabled officer's).
#[utoipa::path(
    post,
    path = "/officer/auth/email-code",
    operation_id = "officer_request_code",
    tag = "officer",
    request_body = OfficerCodeRequest,
    responses(
        (status = 202, description = "A code is on its way if the address is an officer's", body = OfficerCodeAccepted),
        (status = 422, description = "Not an address mail can be sent to: exactly one @, a local part of at most 64 characters without leading, trailing or double dots, a domain of letters, digits and hyphens with a top-level part of at least two characters", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes; see retry_after", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_code(
    State(state): State<WebState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<OfficerCodeRequest>,
) -> Response {
    match state
        .app
        .back_office()
        .request_code(&body.email, ctx.language, &ctx.client)
        .await
    {
        Ok(sent) => (
            StatusCode::ACCEPTED,
            Json(OfficerCodeAccepted {
                challenge: sent.challenge.as_str().to_owned(),
            }),
        )
            .into_response(),
        Err(CodeRequestError::InvalidEmail(e)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field("email", e.code(), ctx.t(e.code()))
        .into_response(),
        Err(CodeRequestError::Refused(refusal)) => {
            super::super::auth::refusal_problem(&ctx, refusal).into_response()
        }
        Err(CodeRequestError::Store(e)) => store_failure(&ctx, &e),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerVerify {
    /// The `challenge` of the answer that sent the code.
    pub challenge: String,
    /// The 6 digits from the e-mail.
    #[schema(example = "123456")]
    pub code: String,
    /// The 6 digits of the authenticator app (RFC 6238), or one of the recovery codes.
    #[schema(example = "287082")]
    pub totp: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerBody {
    pub id: Uuid,
    pub email: String,
    /// `labour` or `migration`.
    pub authority: String,
    /// `evaluator`, `approver`, `admin`.
    pub roles: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerSessionIssued {
    /// Send as `Authorization: Bearer <token>` on `/api/v1/officer/…`.
    pub token: String,
    pub token_type: &'static str,
    /// When the session ends without activity (15 minutes).
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub officer: OfficerBody,
}

pub fn officer_body(officer: &izin_domain::records::Officer) -> OfficerBody {
    OfficerBody {
        id: officer.id,
        email: officer.email.clone(),
        authority: officer.authority.code().to_owned(),
        roles: officer.roles.iter().map(|r| r.code().to_owned()).collect(),
    }
}

/// Exchanges the e-mail code and the second factor for an officer's token (and cookie).
#[utoipa::path(
    post,
    path = "/officer/auth/verify",
    operation_id = "officer_verify",
    tag = "officer",
    request_body = OfficerVerify,
    responses(
        (status = 200, description = "Signed in", body = OfficerSessionIssued),
        (status = 401, description = "The e-mail code (`code-…`) or the second factor (`second-factor-wrong`, `second-factor-used`) was not accepted; a wrong second factor counts against the code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The challenge (22 characters of base64url) or the code (6 digits) is not of its shape", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes entered from this client", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify(
    State(state): State<WebState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<OfficerVerify>,
) -> Response {
    match state
        .app
        .back_office()
        .sign_in(&body.challenge, &body.code, &body.totp, &ctx.client)
        .await
    {
        Ok(signed_in) => {
            let now = state.app.clock.now();
            let issued = OfficerSessionIssued {
                token: signed_in.token.as_str().to_owned(),
                token_type: "Bearer",
                expires_at: now + state.app.policies.officer_session.0.idle_timeout,
                officer: officer_body(&signed_in.officer),
            };
            let mut response = Json(issued).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::set(
                    CookieName::OfficerSession,
                    signed_in.token.as_str(),
                    None,
                    ctx.secure,
                ),
            );
            response
        }
        Err(error) => sign_in_problem(&ctx, error).into_response(),
    }
}

/// Why an officer's sign-in was refused, as a problem (shared with the sign-in page's texts).
pub fn sign_in_problem(
    ctx: &crate::context::RequestContext,
    error: OfficerSignInError,
) -> Response {
    let validation = |field: &str, code: &str| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field(field, code, ctx.t(code))
        .into_response()
    };
    match error {
        OfficerSignInError::InvalidChallenge => validation("challenge", "challenge-invalid"),
        OfficerSignInError::InvalidCode(e) => validation("code", e.code()),
        OfficerSignInError::Rejected(rejection) => {
            super::super::auth::rejection_problem(ctx, rejection).into_response()
        }
        OfficerSignInError::SecondFactor(refusal) => {
            let (code, text) = match refusal {
                SecondFactorRefusal::Wrong => {
                    ("second-factor-wrong", "officer-second-factor-wrong")
                }
                SecondFactorRefusal::Used => ("second-factor-used", "officer-second-factor-used"),
            };
            Problem::new(StatusCode::UNAUTHORIZED, code, ctx.t(text)).into_response()
        }
        OfficerSignInError::Store(e) => store_failure(ctx, &e),
    }
}

/// Ends the officer's session.
#[utoipa::path(
    post,
    path = "/officer/auth/logout",
    operation_id = "officer_logout",
    tag = "officer",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "No officer's token, or the session ended", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not an officer's session", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn logout(
    State(state): State<WebState>,
    ApiOfficer(ctx, officer): ApiOfficer,
) -> Response {
    if let Err(e) = state
        .app
        .back_office()
        .sign_out(&officer, &ctx.client)
        .await
    {
        return store_failure(&ctx, &e);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(CookieName::OfficerSession, ctx.secure),
    );
    response
}
