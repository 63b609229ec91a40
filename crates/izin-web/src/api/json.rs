//! Extractors for API handlers: a JSON body whose every fault is a problem document, and the
//! signed-in user (401 otherwise).

use super::problem::Problem;
use crate::context::{Ctx, RequestContext};
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use izin_app::auth::CurrentSession;
use izin_i18n::Value;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

fn rejection_problem(ctx: Option<&RequestContext>, rejection: &JsonRejection) -> Problem {
    let t = |id: &'static str| ctx.map_or(id.to_owned(), |c| c.t(id).to_owned());
    match rejection {
        JsonRejection::MissingJsonContentType(_) => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            &t("problem-unsupported-media-type"),
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            &t("problem-payload-too-large"),
        ),
        other => {
            let detail = other.body_text();
            let title = ctx.map_or_else(
                || detail.clone(),
                |c| {
                    c.tf(
                        "problem-bad-json",
                        &[("detail", Value::from(detail.clone()))],
                    )
                },
            );
            let status = if matches!(other, JsonRejection::JsonDataError(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::BAD_REQUEST
            };
            Problem::new(status, "invalid-body", &title)
        }
    }
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = request.extensions().get::<Ctx>().cloned();
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(rejection_problem(ctx.as_deref(), &rejection).into_response()),
        }
    }
}

/// The signed-in user of an API call.
pub struct ApiUser(pub Ctx, pub CurrentSession);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.session.clone() {
            Some(session) => Ok(ApiUser(ctx, session)),
            None if ctx.session_ended.is_some() => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "session-expired",
                ctx.t("problem-session-expired"),
            )
            .into_response()),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                ctx.t("problem-unauthenticated"),
            )
            .into_response()),
        }
    }
}
