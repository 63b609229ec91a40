//! Extractors for API handlers: a JSON body whose every fault is a problem document, and the
//! signed-in user (401 otherwise).

use super::objects_only::ObjectsOnly;
use super::problem::Problem;
use crate::context::{Ctx, RequestContext};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use izin_app::auth::CurrentSession;
use izin_i18n::Value;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

/// What a body that does not fit the call's shape is told: which field, and what to send.
fn not_json(ctx: Option<&RequestContext>, error: &serde_json::Error) -> Problem {
    let message = ctx.map_or_else(
        || "not JSON".to_owned(),
        |c| {
            c.tf(
                "problem-not-json",
                &[
                    ("line", Value::from(error.line())),
                    ("column", Value::from(error.column())),
                ],
            )
        },
    );
    Problem::new(StatusCode::BAD_REQUEST, "invalid-json", &message)
}

fn body_problem(
    ctx: Option<&RequestContext>,
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> Problem {
    let t = |id: &'static str| ctx.map_or(id.to_owned(), |c| c.t(id).to_owned());
    let inner = error.inner();
    if inner.is_syntax() || inner.is_eof() {
        return not_json(ctx, inner);
    }
    let text = inner.to_string();
    let path = error.path().to_string();
    let quoted = |after: &str| {
        text.split_once(after)
            .and_then(|(_, rest)| rest.split('`').nth(1))
            .map(str::to_owned)
    };
    let join = |parent: &str, name: &str| {
        if parent.is_empty() || parent == "." {
            name.to_owned()
        } else {
            format!("{parent}.{name}")
        }
    };
    let (field, code, message) = if let Some(name) = quoted("missing field") {
        (join(&path, &name), "field-required", t("field-required"))
    } else if let Some(name) = quoted("unknown field") {
        let field = if path.ends_with(&name) {
            path.clone()
        } else {
            join(&path, &name)
        };
        (field, "field-unknown", t("field-unknown"))
    } else if text.starts_with("invalid type") || text.starts_with("invalid length") {
        let expected = text
            .split_once(", expected ")
            .map(|(_, e)| e.split(" at line").next().unwrap_or(e).to_owned())
            .unwrap_or_default();
        let what = expected_kind(&expected);
        let message = ctx.map_or_else(
            || format!("wrong type, expected {expected}"),
            |c| {
                c.tf(
                    "field-wrong-type",
                    &[("expected", Value::from(c.t(what).to_owned()))],
                )
            },
        );
        (path.clone(), "field-wrong-type", message)
    } else {
        (path.clone(), "field-invalid", t("field-invalid"))
    };
    let field = if field.is_empty() || field == "." {
        "body".to_owned()
    } else {
        field
    };
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
        &t("problem-validation"),
    )
    .field(&field, code, message)
}

/// The message id naming what serde expected, in words people read.
fn expected_kind(expected: &str) -> &'static str {
    let e = expected.to_ascii_lowercase();
    if e.contains("string") || e.contains("char") {
        "expected-text"
    } else if e.contains("bool") {
        "expected-boolean"
    } else if e.contains("integer")
        || e.contains("i32")
        || e.contains("i64")
        || e.contains("u32")
        || e.contains("u64")
        || e.contains("u8")
        || e.contains("u16")
    {
        "expected-whole-number"
    } else if e.contains("f64") || e.contains("f32") || e.contains("number") {
        "expected-number"
    } else if e.contains("sequence") || e.contains("array") || e.contains("tuple") {
        "expected-list"
    } else if e.contains("struct") || e.contains("map") {
        "expected-object"
    } else {
        "expected-other"
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
        let t = |id: &'static str| ctx.as_deref().map_or(id.to_owned(), |c| c.t(id).to_owned());
        let json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        if !json {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                &t("problem-unsupported-media-type"),
            )
            .into_response());
        }
        let bytes = match axum::body::Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload-too-large",
                    &t("problem-payload-too-large"),
                )
                .into_response());
            }
            Err(_) => {
                return Err(Problem::new(
                    StatusCode::BAD_REQUEST,
                    "invalid-body",
                    &t("problem-body-unreadable"),
                )
                .into_response());
            }
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(ObjectsOnly(&mut deserializer)) {
            Ok(value) => match deserializer.end() {
                Ok(()) => Ok(ApiJson(value)),
                // Something after the JSON value: not JSON as a whole.
                Err(trailing) => Err(not_json(ctx.as_deref(), &trailing).into_response()),
            },
            Err(error) => Err(body_problem(ctx.as_deref(), &error).into_response()),
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
