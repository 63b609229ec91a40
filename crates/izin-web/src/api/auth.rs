//! Signing in through the API: request a code, exchange it for a token, sign out.

use super::json::{ApiJson, ApiUser};
use super::me::{Me, me_body};
use super::problem::Problem;
use super::problem::registry_unavailable;
use crate::WebState;
use crate::context::Ctx;
use crate::cookies::{self, CookieName};
use crate::errors::store_failure;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use izin_app::auth::{CodeRequestError, CodeSent, DeclaredCodeError, SignInError};
use izin_domain::otp::CodeRefusal;
use izin_domain::otp::CodeRejection;
use izin_domain::ways_in::DeclarationInput;
use izin_i18n::Value;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailCodeRequest {
    /// The address to send the code to; an account is created when the code is first used.
    #[schema(example = "ayse@example.com")]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailCodeAccepted {
    /// Send it back with the code (`POST /auth/email-code/verify`): the code can be entered
    /// only with the challenge of the request that sent it, so nobody who merely knows the
    /// address can guess at it or wear it out.
    #[schema(example = "q3Jb0vX9mT4cL1wZsY8eAa")]
    pub challenge: String,
    /// The address as understood (trimmed).
    pub email: String,
    /// How long the code works.
    pub expires_in_seconds: i64,
    /// When a new code may be requested.
    pub resend_after_seconds: i64,
}

/// Sends a 6-digit sign-in code. The answer never tells whether the address has an account.
#[utoipa::path(
    post,
    path = "/auth/email-code",
    tag = "auth",
    request_body = EmailCodeRequest,
    responses(
        (status = 202, description = "A code is on its way", body = EmailCodeAccepted),
        (status = 422, description = "The address is not one mail can be sent to: exactly one @, a local part of at most 64 characters without leading, trailing or double dots, a domain of letters, digits and hyphens with a top-level part of at least two characters (no quoted or IP-literal forms)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes; see retry_after", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_code(
    State(state): State<WebState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<EmailCodeRequest>,
) -> Response {
    match state
        .app
        .auth()
        .request_code(&body.email, None, ctx.language, &ctx.client)
        .await
    {
        Ok(sent) => code_accepted(state.app.policies.otp, &sent),
        Err(CodeRequestError::InvalidEmail(e)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field("email", e.code(), ctx.t(e.code()))
        .into_response(),
        Err(CodeRequestError::Refused(refusal)) => refusal_problem(&ctx, refusal).into_response(),
        Err(CodeRequestError::Store(e)) => store_failure(&ctx, &e),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassportSignIn {
    /// The passport the person entered Türkiye with.
    #[schema(example = "U12345678")]
    pub passport_number: String,
    /// Its country of issue, ISO 3166-1 alpha-3.
    #[schema(example = "DEU")]
    pub passport_country: String,
    #[schema(example = 1990, minimum = 1900)]
    pub birth_year: i32,
    /// Where the code goes; the account of this address is the one signed into.
    #[schema(example = "ayse@example.com")]
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceSignIn {
    /// The 16-character reference number a Turkish mission abroad gave.
    #[schema(example = "AB12CD34EF56GH78")]
    pub reference_number: String,
    #[schema(example = "U12345678")]
    pub passport_number: String,
    #[schema(example = 1990, minimum = 1900)]
    pub birth_year: i32,
    #[schema(example = "ayse@example.com")]
    pub email: String,
}

/// In Türkiye without e-Government: the passport the person entered with, its country of issue
/// and their birth year, checked against the entry records, and an e-mail address. The answer
/// is the same whether or not anything matched: a code goes to the address, and the outcome is
/// told only at `POST /auth/email-code/verify` (a match signs into the address's account, which
/// keeps the passport identity as declared, not verified; no match: 403
/// `declaration-not-matched`).
#[utoipa::path(
    post,
    path = "/auth/passport",
    tag = "auth",
    request_body = PassportSignIn,
    responses(
        (status = 202, description = "A code is on its way", body = EmailCodeAccepted),
        (status = 422, description = "Fields to correct: the passport number is 5–20 letters and digits, the country one of `GET /reference/countries`, the birth year from 1900 to this year, the address one mail can be sent to", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes; see retry_after", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The entry records did not answer; nothing was sent", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_passport_code(
    State(state): State<WebState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<PassportSignIn>,
) -> Response {
    let input = DeclarationInput {
        in_turkiye: true,
        passport_number: body.passport_number,
        passport_country: body.passport_country,
        reference_number: String::new(),
        birth_year: Some(body.birth_year),
    };
    declared_code(&state, &ctx, &body.email, &input).await
}

/// Abroad, with a reference number from a Turkish mission: the reference number, the passport
/// number and the birth year recorded under it, and an e-mail address. Answered like
/// `POST /auth/passport`: always a code, the outcome only after it.
#[utoipa::path(
    post,
    path = "/auth/reference",
    tag = "auth",
    request_body = ReferenceSignIn,
    responses(
        (status = 202, description = "A code is on its way", body = EmailCodeAccepted),
        (status = 422, description = "Fields to correct: the reference number is 16 letters and digits, the passport number 5–20, the birth year from 1900 to this year, the address one mail can be sent to", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes; see retry_after", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The consulates' records did not answer; nothing was sent", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_reference_code(
    State(state): State<WebState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<ReferenceSignIn>,
) -> Response {
    let input = DeclarationInput {
        in_turkiye: false,
        passport_number: body.passport_number,
        passport_country: String::new(),
        reference_number: body.reference_number,
        birth_year: Some(body.birth_year),
    };
    declared_code(&state, &ctx, &body.email, &input).await
}

async fn declared_code(
    state: &WebState,
    ctx: &crate::context::RequestContext,
    email: &str,
    input: &DeclarationInput,
) -> Response {
    match state
        .app
        .auth()
        .request_declared_code(email, input, ctx.language, &ctx.client)
        .await
    {
        Ok(sent) => code_accepted(state.app.policies.otp, &sent),
        Err(DeclaredCodeError::Invalid(violations)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .violations(ctx, &violations)
        .into_response(),
        Err(DeclaredCodeError::Refused(refusal)) => refusal_problem(ctx, refusal).into_response(),
        Err(DeclaredCodeError::Registry(e)) => registry_unavailable(ctx, &e),
        Err(DeclaredCodeError::Store(e)) => store_failure(ctx, &e),
    }
}

/// 202: a code is on its way, and the challenge to enter it with.
fn code_accepted(policy: izin_domain::otp::OtpPolicy, sent: &CodeSent) -> Response {
    (
        StatusCode::ACCEPTED,
        Json(EmailCodeAccepted {
            challenge: sent.challenge.as_str().to_owned(),
            email: sent.email.as_str().to_owned(),
            expires_in_seconds: policy.lifetime.whole_seconds(),
            resend_after_seconds: policy.min_interval.whole_seconds(),
        }),
    )
        .into_response()
}

pub(crate) fn refusal_problem(
    ctx: &crate::context::RequestContext,
    refusal: CodeRefusal,
) -> Problem {
    let (code, seconds, message) = match refusal {
        CodeRefusal::TooSoon {
            retry_after_seconds: s,
        } => (
            "code-too-soon",
            s,
            ctx.tf("code-too-soon", &[("seconds", Value::from(s))]),
        ),
        CodeRefusal::AddressHourlyLimit {
            retry_after_seconds: s,
        } => (
            "code-hourly-limit",
            s,
            ctx.tf(
                "code-hourly-limit",
                &[("minutes", Value::from((s + 59) / 60))],
            ),
        ),
        CodeRefusal::ClientHourlyLimit {
            retry_after_seconds: s,
        } => (
            "code-client-limit",
            s,
            ctx.tf(
                "code-client-limit",
                &[("minutes", Value::from((s + 59) / 60))],
            ),
        ),
    };
    Problem::new(StatusCode::TOO_MANY_REQUESTS, code, &message).retry_after(seconds)
}

/// Why an entered code was not accepted, for applicants and officers alike: 429 when the client
/// entered too many, 401 otherwise, with what to do in the request's language.
pub(crate) fn rejection_problem(
    ctx: &crate::context::RequestContext,
    rejection: CodeRejection,
) -> Problem {
    match rejection {
        CodeRejection::TooManyAttempts {
            retry_after_seconds,
        } => Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            rejection.code(),
            &ctx.tf(
                "code-too-many-attempts",
                &[("minutes", Value::from((retry_after_seconds + 59) / 60))],
            ),
        )
        .retry_after(retry_after_seconds),
        CodeRejection::Wrong { attempts_left } => Problem::new(
            StatusCode::UNAUTHORIZED,
            rejection.code(),
            &ctx.tf("code-wrong", &[("attempts", Value::from(attempts_left))]),
        ),
        other => Problem::new(StatusCode::UNAUTHORIZED, other.code(), ctx.t(other.code())),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailCodeVerify {
    /// The `challenge` of the answer that sent the code.
    #[schema(example = "q3Jb0vX9mT4cL1wZsY8eAa")]
    pub challenge: String,
    /// The 6 digits from the e-mail; spaces and hyphens are ignored.
    #[schema(example = "123 456")]
    pub code: String,
    /// Optional: when given, it must be the address the code was sent to.
    #[schema(example = "ayse@example.com")]
    pub email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionIssued {
    /// Send as `Authorization: Bearer <token>`. The same value is set as the session cookie.
    pub token: String,
    pub token_type: &'static str,
    /// Whether this sign-in created the account.
    pub account_created: bool,
    /// When the session ends without activity.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// When the session ends regardless of activity.
    #[serde(with = "time::serde::rfc3339")]
    pub absolute_expires_at: OffsetDateTime,
    pub user: Me,
}

/// Exchanges a code for a session token (and the session cookie).
#[utoipa::path(
    post,
    path = "/auth/email-code/verify",
    tag = "auth",
    request_body = EmailCodeVerify,
    responses(
        (status = 200, description = "Signed in", body = SessionIssued),
        (status = 401, description = "The code was not accepted; `code` says why (code-wrong, code-expired, code-used, code-superseded, code-voided, code-none: no code under this challenge for this address). Wrong entries count against the challenge.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The challenge or the code is not of its shape, or the optional address is not a valid address (see `POST /auth/email-code`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes entered from this client; see retry_after", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify_code(
    State(state): State<WebState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<EmailCodeVerify>,
) -> Response {
    match state
        .app
        .auth()
        .sign_in(
            &body.challenge,
            body.email.as_deref(),
            &body.code,
            ctx.language,
            &ctx.client,
        )
        .await
    {
        Ok(signed_in) => {
            let now = state.app.clock.now();
            let policy = state.app.policies.session;
            let issued = SessionIssued {
                token: signed_in.token.as_str().to_owned(),
                token_type: "Bearer",
                account_created: signed_in.created,
                expires_at: now + policy.idle_timeout,
                absolute_expires_at: now + policy.absolute_timeout,
                user: me_body(&signed_in.user, None),
            };
            let mut response = Json(issued).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookies::set(
                    CookieName::Session,
                    signed_in.token.as_str(),
                    None,
                    ctx.secure,
                ),
            );
            response
        }
        Err(SignInError::InvalidEmail(e)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field("email", e.code(), ctx.t(e.code()))
        .into_response(),
        Err(SignInError::InvalidChallenge) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field("challenge", "challenge-invalid", ctx.t("challenge-invalid"))
        .into_response(),

        Err(SignInError::InvalidCode(e)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field("code", e.code(), ctx.t(e.code()))
        .into_response(),
        Err(SignInError::Rejected(rejection)) => rejection_problem(&ctx, rejection).into_response(),
        Err(SignInError::DeclarationNotMatched) => Problem::new(
            StatusCode::FORBIDDEN,
            izin_domain::ways_in::DECLARATION_NOT_MATCHED,
            ctx.t(izin_domain::ways_in::DECLARATION_NOT_MATCHED),
        )
        .into_response(),
        Err(SignInError::Store(e)) => store_failure(&ctx, &e),
    }
}

/// Ends the session on the server.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn logout(State(state): State<WebState>, ApiUser(ctx, session): ApiUser) -> Response {
    if let Err(e) = state.app.auth().sign_out(&session, &ctx.client).await {
        return store_failure(&ctx, &e);
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(CookieName::Session, ctx.secure),
    );
    response
}
