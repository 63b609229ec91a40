//! The back office's pages under `/officer`: the officers' sign-in (an e-mail code and the
//! second factor), the work queue and one application with its decisions. Server-rendered and
//! usable without JavaScript, like the applicants' pages, but reached only with an officer's
//! session (an applicant's session is never looked up here).

mod admin;
mod application;
mod cards;
mod payments;
mod queue;

use crate::WebState;
use crate::api::officer::refusal;
use crate::context::{Ctx, OfficerPage};
use crate::cookies::{self, CookieName};
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::auth::CodeRequestError;
use izin_app::back_office::{BackOfficeError, OfficerSignInError};
use izin_app::officers::SecondFactorRefusal;
use serde::Deserialize;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/officer", get(sign_in_page))
        .route("/officer/code", post(request_code))
        .route("/officer/sign-in", post(sign_in))
        .route("/officer/sign-out", post(sign_out))
        .merge(queue::router())
        .merge(admin::router())
        .merge(application::router())
        .merge(payments::router())
        .merge(cards::router())
}

#[derive(Template)]
#[template(path = "officer/sign_in.html")]
struct SignInPage<'a> {
    l: Layout<'a>,
    /// Set once a code was asked for: the second form is shown.
    challenge: Option<String>,
    email: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInQuery {
    ended: Option<String>,
}

async fn sign_in_page(
    ctx: Ctx,
    crate::extract::ValidQuery(query): crate::extract::ValidQuery<SignInQuery>,
) -> Response {
    if ctx.officer.is_some() {
        return Redirect::to("/officer/queue").into_response();
    }
    let page = SignInPage {
        challenge: None,
        email: String::new(),
        notice: query
            .ended
            .map(|_| ctx.t("officer-session-ended").to_owned()),
        error: None,
        l: Layout::new(&ctx, ctx.t("officer-sign-in-title")).with_form("/officer/code"),
    };
    render(&page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CodeForm {
    email: String,
}

async fn request_code(
    State(state): State<WebState>,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> Response {
    if ctx.language_switch.is_some() {
        let page = SignInPage {
            challenge: None,
            email: form.email.clone(),
            notice: None,
            error: None,
            l: Layout::new(&ctx, ctx.t("officer-sign-in-title")).with_form("/officer/code"),
        };
        return render(&page);
    }
    let (challenge, notice, error) = match state
        .app
        .back_office()
        .request_code(&form.email, ctx.language, &ctx.client)
        .await
    {
        Ok(sent) => (
            Some(sent.challenge.as_str().to_owned()),
            Some(ctx.t("officer-code-sent").to_owned()),
            None,
        ),
        Err(CodeRequestError::InvalidEmail(e)) => (None, None, Some(ctx.t(e.code()).to_owned())),
        Err(CodeRequestError::Refused(refusal)) => (
            None,
            None,
            Some(crate::api::auth_refusal_message(&ctx, refusal)),
        ),
        Err(CodeRequestError::Store(e)) => return crate::errors::store_failure(&ctx, &e),
    };
    let invalid = error.is_some();
    let page = SignInPage {
        challenge,
        email: form.email.trim().to_owned(),
        notice,
        error,
        l: Layout::new(&ctx, ctx.t("officer-sign-in-title")).with_form("/officer/code"),
    };
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    challenge: String,
    email: String,
    code: String,
    totp: String,
}

async fn sign_in(
    State(state): State<WebState>,
    ctx: Ctx,
    Form(form): Form<SignInForm>,
) -> Response {
    let result = state
        .app
        .back_office()
        .sign_in(&form.challenge, &form.code, &form.totp, &ctx.client)
        .await;
    match result {
        Ok(signed_in) => {
            let mut response = Redirect::to("/officer/queue").into_response();
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
        Err(OfficerSignInError::Store(e)) => crate::errors::store_failure(&ctx, &e),
        Err(error) => {
            let message = match error {
                OfficerSignInError::InvalidChallenge => ctx.t("challenge-invalid").to_owned(),
                OfficerSignInError::InvalidCode(e) => ctx.t(e.code()).to_owned(),
                OfficerSignInError::Rejected(rejection) => {
                    crate::api::code_rejection_message(&ctx, rejection)
                }
                OfficerSignInError::SecondFactor(SecondFactorRefusal::Wrong) => {
                    ctx.t("officer-second-factor-wrong").to_owned()
                }
                OfficerSignInError::SecondFactor(SecondFactorRefusal::Used) => {
                    ctx.t("officer-second-factor-used").to_owned()
                }
                OfficerSignInError::Store(_) => String::new(),
            };
            let page = SignInPage {
                challenge: Some(form.challenge.clone()),
                email: form.email.clone(),
                notice: None,
                error: Some(message),
                l: Layout::new(&ctx, ctx.t("officer-sign-in-title")).with_form("/officer/code"),
            };
            let mut response = render(&page);
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
    }
}

async fn sign_out(
    State(state): State<WebState>,
    OfficerPage(ctx, officer): OfficerPage,
) -> Response {
    if let Err(e) = state
        .app
        .back_office()
        .sign_out(&officer, &ctx.client)
        .await
    {
        return crate::errors::store_failure(&ctx, &e);
    }
    let mut response = Redirect::to("/officer").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::clear(CookieName::OfficerSession, ctx.secure),
    );
    response
}

/// A refused action shown on a page: the page's message and status.
pub(crate) fn page_refusal(ctx: &Ctx, error: &BackOfficeError) -> (StatusCode, String) {
    refusal(ctx, error)
}
