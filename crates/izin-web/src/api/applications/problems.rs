//! How a refused application call is answered: one problem document per service error.

use crate::WebState;
use crate::api::problem::Problem;
use crate::application_texts::{rule_location, rule_message};
use crate::context::RequestContext;
use crate::errors::store_failure;
use crate::uploads::upload_problem;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use izin_app::applications::ApplicationError;
use izin_domain::documents::DocumentKind;
use izin_domain::records::ApplicationRecord;
use izin_i18n::Value;

/// A refused call as a problem document.
pub fn application_problem(
    ctx: &RequestContext,
    state: &WebState,
    about: Option<&ApplicationRecord>,
    error: ApplicationError,
) -> Response {
    let validation = || {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
    };
    match error {
        ApplicationError::NotFound | ApplicationError::DocumentNotAttached => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            ctx.t("problem-not-found"),
        )
        .into_response(),
        ApplicationError::UnknownCategory => validation()
            .field("category", "category-unknown", ctx.t("category-unknown"))
            .into_response(),
        ApplicationError::ParentMismatch => validation()
            .field("parent", "parent-mismatch", ctx.t("parent-mismatch"))
            .into_response(),
        ApplicationError::ParentRefused(refused) => {
            Problem::new(StatusCode::CONFLICT, refused.code, ctx.t(refused.code)).into_response()
        }
        ApplicationError::Invalid(violations) => {
            validation().violations(ctx, &violations).into_response()
        }
        ApplicationError::Rules(failures) => {
            let mut problem = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "rules",
                ctx.t("preview-blocked"),
            );
            for f in &failures {
                problem = problem.rule(
                    &rule_location(f),
                    f.code,
                    rule_message(ctx, &state.app, about, f),
                    f.step.code(),
                );
            }
            problem.into_response()
        }
        ApplicationError::NotEditable(status) => Problem::new(
            StatusCode::CONFLICT,
            "not-editable",
            &ctx.tf(
                "not-editable",
                &[(
                    "status",
                    Value::from(crate::application_texts::status_label(ctx, status)),
                )],
            ),
        )
        .into_response(),
        ApplicationError::OtherPending { number } => Problem::new(
            StatusCode::CONFLICT,
            "other-application-pending",
            &crate::application_texts::pending_message(ctx, number.as_deref()),
        )
        .into_response(),
        ApplicationError::KeyReused => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            ctx.t("key-reused"),
        )
        .into_response(),
        ApplicationError::Conflict => {
            Problem::new(StatusCode::CONFLICT, "conflict", ctx.t("conflict")).into_response()
        }
        ApplicationError::Transition(refusal) => {
            Problem::new(StatusCode::CONFLICT, refusal.code(), &refusal.to_string()).into_response()
        }
        ApplicationError::Registry(e) => crate::api::problem::registry_unavailable(ctx, &e),
        ApplicationError::Upload(e) => upload_problem(ctx, DocumentKind::Other, &e),
        ApplicationError::Store(e) => store_failure(ctx, &e),
        ApplicationError::NoPaymentTerms => {
            tracing::error!("a kind with a price has no payment terms in the catalogue");
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                ctx.t("problem-internal"),
            )
            .into_response()
        }
        ApplicationError::Data(e) => {
            tracing::error!(error = %e, "unreadable application data");
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                ctx.t("problem-internal"),
            )
            .into_response()
        }
    }
}

pub(crate) const PROBLEM: &str = "application/problem+json";
