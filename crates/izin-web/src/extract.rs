//! Path and query extractors whose faults people can read: on the API a problem document
//! naming the parameter, on pages the page a person expects (a mistyped address is "not found";
//! a mangled query is ignored rather than refused).

use crate::api::problem::Problem;
use crate::context::Ctx;
use crate::errors::PageError;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The path's parameters (`/applications/{id}`), or the answer that says which one is wrong.
pub struct ValidPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ValidPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ValidPath(value)),
            Err(rejection) => {
                let ctx = Ctx::from_request_parts(parts, state).await?;
                Err(path_problem(&ctx, &rejection))
            }
        }
    }
}

fn path_problem(ctx: &Ctx, rejection: &PathRejection) -> Response {
    if !ctx.is_api {
        return PageError::NotFound.into_response_with(ctx);
    }
    let key = match rejection {
        PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
            axum::extract::path::ErrorKind::ParseErrorAtKey { key, .. }
            | axum::extract::path::ErrorKind::DeserializeError { key, .. } => key.clone(),
            _ => "path".to_owned(),
        },
        _ => "path".to_owned(),
    };
    Problem::new(
        StatusCode::BAD_REQUEST,
        "invalid-path",
        ctx.t("problem-invalid-path"),
    )
    .field(&key, "path-invalid", ctx.t("path-invalid"))
    .into_response()
}

/// The query's parameters. Pages ignore a query they cannot read (its defaults apply): a person
/// who followed a mangled link still gets the page. The API names the parameter.
pub struct ValidQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ValidQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ValidQuery(value)),
            Err(_) => {
                let ctx = Ctx::from_request_parts(parts, state).await?;
                if ctx.is_api {
                    Err(Problem::new(
                        StatusCode::BAD_REQUEST,
                        "invalid-query",
                        ctx.t("problem-invalid-query"),
                    )
                    .into_response())
                } else {
                    Ok(ValidQuery(T::default()))
                }
            }
        }
    }
}
