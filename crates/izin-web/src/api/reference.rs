//! `/api/v1/reference/{list}`: the reference lists with names in the request's language.

use super::problem::Problem;
use crate::WebState;
use crate::context::Ctx;
use crate::extract::ValidPath;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceItem {
    pub code: String,
    pub name: String,
    /// Provinces only: their districts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub districts: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceList {
    pub list: String,
    pub items: Vec<ReferenceItem>,
}

/// A reference list: `countries` (ISO 3166-1 alpha-3), `languages` (ISO 639-3), `provinces`
/// (plate codes, with districts), and the closed lists `gender`, `marital_status`,
/// `passport_type`, `turkish_level`, `education_level`. Ordered for display in the request's
/// language.
#[utoipa::path(get, path = "/reference/{list}", operation_id = "reference_list", tag = "reference",
    params(("list" = String, Path, description = "countries | languages | provinces | gender | marital_status | passport_type | turkish_level | education_level")),
    responses((status = 200, body = ReferenceList), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidPath(list): ValidPath<String>,
) -> Response {
    let reference = &state.app.reference;
    let language = ctx.language;
    let items: Vec<ReferenceItem> = match list.as_str() {
        "countries" => reference
            .countries_sorted(language)
            .into_iter()
            .map(|c| ReferenceItem {
                code: c.code.clone(),
                name: c.names.get(language).to_owned(),
                districts: None,
            })
            .collect(),
        "languages" => reference
            .languages_sorted(language)
            .into_iter()
            .map(|l| ReferenceItem {
                code: l.code.clone(),
                name: l.names.get(language).to_owned(),
                districts: None,
            })
            .collect(),
        "provinces" => reference
            .provinces()
            .iter()
            .map(|p| ReferenceItem {
                code: p.code.to_string(),
                name: p.name.clone(),
                districts: Some(p.districts.clone()),
            })
            .collect(),
        other => match reference.closed_list(other) {
            Some(items) => items
                .iter()
                .map(|i| ReferenceItem {
                    code: i.code.clone(),
                    name: i.names.get(language).to_owned(),
                    districts: None,
                })
                .collect(),
            None => {
                return Problem::new(
                    StatusCode::NOT_FOUND,
                    "not-found",
                    ctx.t("problem-not-found"),
                )
                .into_response();
            }
        },
    };
    let mut response = Json(ReferenceList { list, items }).into_response();
    // Public and the same for everyone in a language: cacheable, unlike personal pages.
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=3600"),
    );
    response.headers_mut().insert(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("Accept-Language"),
    );
    response
}
