//! The carrier's signed status reports (`POST /cargo/notifications`), signed exactly like the
//! payment notifications but with the cargo secret; answered 404 unless the portal has one.

use super::problem::Problem;
use crate::WebState;
use crate::context::Ctx;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use izin_app::cargo::CargoNotificationError;
use izin_app::cargo::{ReportOutcome, ShipmentRecord};
use izin_app::payments::notifications::{SIGNATURE_HEADER, TIMESTAMP_HEADER};
use serde::Serialize;
use utoipa::ToSchema;

/// What became of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct CargoAnswer {
    /// `applied` (the shipment moved on), `stale` (kept; the shipment stood further on),
    /// or `duplicate` (this report was received before).
    pub status: String,
    /// The shipment's status now.
    pub shipment_status: Option<String>,
}

/// A status report of PTT Cargo about a card it carries. Signed like the payment notifications
/// (`X-Izin-Timestamp`, `X-Izin-Signature: sha256=HMAC(secret, timestamp + "." + body)`), with
/// the cargo secret. Idempotent by `notification_id`; a report of an earlier status arriving
/// late changes nothing.
#[utoipa::path(post, path = "/cargo/notifications", tag = "cargo",
    request_body(content = String, content_type = "application/json",
        description = "`{\"notification_id\", \"tracking_number\", \"status\": accepted|in_transit|out_for_delivery|delivered|returned_to_sender, \"at\": RFC 3339}`"),
    params(
        ("X-Izin-Timestamp" = String, Header, description = "Unix seconds when signed (within five minutes)"),
        ("X-Izin-Signature" = String, Header, description = "`sha256=` and the hex HMAC-SHA256"),
    ),
    responses(
        (status = 200, body = CargoAnswer),
        (status = 401, description = "Missing, wrong or stale signature: nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Cargo notifications are not enabled, or no shipment has this tracking number", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Signed, but a field cannot be read: nothing stored", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn notification(
    State(state): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = &state.config.cargo_secret else {
        return crate::errors::not_found(ctx).await;
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let outcome = state
        .app
        .cargo()
        .notification(
            secret,
            header(TIMESTAMP_HEADER),
            header(SIGNATURE_HEADER),
            &body,
            &ctx.client,
        )
        .await;
    let answer = |status: &str, shipment: Option<&ShipmentRecord>| {
        Json(CargoAnswer {
            status: status.to_owned(),
            shipment_status: shipment.map(|s| s.status.code().to_owned()),
        })
        .into_response()
    };
    match outcome {
        Ok(ReportOutcome::Applied(shipment)) => answer("applied", Some(&shipment)),
        Ok(ReportOutcome::Stale(shipment)) => answer("stale", Some(&shipment)),
        Ok(ReportOutcome::Duplicate) => answer("duplicate", None),
        Ok(ReportOutcome::UnknownTracking) => Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-tracking-number",
            "No shipment has this tracking number.",
        )
        .into_response(),
        Err(CargoNotificationError::Signature(refusal)) => {
            super::payments::signature_problem(refusal)
        }
        Err(CargoNotificationError::Body(detail)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "The body is not a cargo notification.",
        )
        .detail(detail)
        .into_response(),
        Err(CargoNotificationError::Field { field, problem }) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "A field of the notification cannot be read.",
        )
        .field(field, "invalid", problem)
        .into_response(),
        Err(CargoNotificationError::Store(e)) => {
            crate::errors::store_failure(&ctx, &izin_app::StorageFailure::from(e))
        }
    }
}
