//! Error pages and their API counterparts. Every failure a person can meet has a page in their
//! language that says what happened and what to do; nothing internal is shown.

use crate::api::problem::Problem;
use crate::context::{Ctx, RequestContext};
use crate::layout::{ErrorPage, Layout};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use izin_domain::Language;
use izin_i18n::Texts;

/// A failure to show as a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageError {
    NotFound,
    BadRequest,
    /// The anti-forgery check failed.
    Forged,
    /// The session this request relied on is over.
    SessionEnded,
    TooLarge,
    Unavailable,
    Internal,
}

impl PageError {
    fn parts(self) -> (StatusCode, &'static str, &'static str) {
        match self {
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "error-not-found-title",
                "error-not-found-body",
            ),
            PageError::BadRequest => (
                StatusCode::BAD_REQUEST,
                "error-bad-request-title",
                "error-bad-request-body",
            ),
            PageError::Forged => (
                StatusCode::FORBIDDEN,
                "error-forbidden-title",
                "error-forbidden-body",
            ),
            PageError::SessionEnded => (
                StatusCode::UNAUTHORIZED,
                "session-expired-title",
                "session-expired-body",
            ),
            PageError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "error-bad-request-title",
                "problem-payload-too-large",
            ),
            PageError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "error-unavailable-title",
                "error-unavailable-body",
            ),
            PageError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "error-server-title",
                "error-server-body",
            ),
        }
    }

    pub fn into_response_with(self, ctx: &RequestContext) -> Response {
        let (status, title, body) = self.parts();
        let page = ErrorPage {
            l: Layout::new(ctx, ctx.t(title)),
            body: ctx.t(body),
            offer_login: self == PageError::SessionEnded,
        };
        (status, crate::layout::render(&page)).into_response()
    }
}

/// The fallback for unknown addresses.
pub async fn not_found(ctx: Ctx) -> Response {
    if ctx.is_api {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("problem-not-found"),
        )
        .into_response()
    } else {
        PageError::NotFound.into_response_with(&ctx)
    }
}

pub async fn method_not_allowed(ctx: Ctx) -> Response {
    if ctx.is_api {
        Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            ctx.t("problem-method-not-allowed"),
        )
        .into_response()
    } else {
        let mut response = PageError::NotFound.into_response_with(&ctx);
        *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        response
    }
}

pub fn payload_too_large(ctx: &RequestContext) -> Response {
    if ctx.is_api {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            ctx.t("problem-payload-too-large"),
        )
        .into_response()
    } else {
        PageError::TooLarge.into_response_with(ctx)
    }
}

/// For faults that leave no request context to speak in (a bug).
pub fn internal(what: &str) -> Response {
    tracing::error!(what, "internal error");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal error / İç hata",
    )
        .into_response()
}

/// The database did not answer: the request cannot be served, nothing was changed.
pub fn store_unavailable(
    error: &izin_app::StorageFailure,
    is_api: bool,
    language: Language,
    texts: &Texts,
) -> Response {
    tracing::error!(%error, "database unavailable");
    let message = texts.get(language, "problem-unavailable");
    if is_api {
        Problem::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            message.to_owned(),
        )
            .into_response()
    }
}

/// A storage failure inside a handler: logged, and answered without detail.
pub fn store_failure(ctx: &RequestContext, error: &izin_app::StorageFailure) -> Response {
    tracing::error!(%error, "storage failure");
    let unavailable = error.is_unavailable();
    if ctx.is_api {
        let (status, code, text) = if unavailable {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "problem-unavailable",
            )
        } else {
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "problem-internal",
            )
        };
        Problem::new(status, code, ctx.t(text)).into_response()
    } else if unavailable {
        PageError::Unavailable.into_response_with(ctx)
    } else {
        PageError::Internal.into_response_with(ctx)
    }
}

/// A panic in a handler becomes a plain 500 in both languages; the panic is logged.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = detail, "handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        )],
        "Something went wrong on our side; nothing you saved has been lost.\n\
         Bizim tarafımızda bir sorun oluştu; kaydettiğiniz hiçbir şey kaybolmadı.\n",
    )
        .into_response()
}
