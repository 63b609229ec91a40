//! RFC 9457 problem details: every API error has a stable `code`, a message in the request's
//! language, and for invalid input one entry per field.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name in the request body (`email`, `code`, `spouse.tr_id`).
    pub field: String,
    /// A stable code for the rule that failed.
    pub code: String,
    /// What to fix, in the request's language.
    pub message: String,
    /// For a rule of "Create My Application": the wizard step where it is fixed
    /// (`profile`, `place`, `category`, `consent`, `employment`, `documents`, `additional`,
    /// `applications`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

/// An error answer (`application/problem+json`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:izin:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// A stable, machine-readable code.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Seconds to wait before trying again, when rate-limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<i64>,
    /// The application's status when a move is refused in it (e.g. `UNDER_EVALUATION`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_status: Option<String>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str) -> Self {
        Self {
            kind: format!("urn:izin:problem:{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            code: code.to_owned(),
            detail: None,
            errors: Vec::new(),
            retry_after: None,
            current_status: None,
        }
    }

    pub fn field(mut self, field: &str, code: &str, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
            step: None,
        });
        self
    }

    /// A failed rule, with the step where it is fixed.
    /// One field entry per violated rule, each with its message in the request's language.
    pub fn violations(
        mut self,
        ctx: &crate::context::RequestContext,
        violations: &[izin_domain::profile::Violation],
    ) -> Self {
        for v in violations {
            self = self.field(&v.field, v.code, crate::forms::violation_message(ctx, v));
        }
        self
    }

    pub fn rule(mut self, field: &str, code: &str, message: String, step: &str) -> Self {
        self.errors.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message,
            step: Some(step.to_owned()),
        });
        self
    }

    /// Names the application's status a refused move found.
    pub fn current_status(mut self, status: &str) -> Self {
        self.current_status = Some(status.to_owned());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn retry_after(mut self, seconds: i64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            headers.insert(header::RETRY_AFTER, value);
        }
        response
    }
}

/// 503: a government registry did not answer (named, so people know which system is down).
pub(crate) fn registry_unavailable(
    ctx: &crate::context::RequestContext,
    error: &izin_app::registries::RegistryError,
) -> axum::response::Response {
    tracing::warn!(error = %error, "registry unavailable");
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "registry-unavailable",
        &ctx.tf(
            "registry-unavailable",
            &[(
                "registry",
                izin_i18n::Value::from(error.registry().to_string()),
            )],
        ),
    )
    .into_response()
}
