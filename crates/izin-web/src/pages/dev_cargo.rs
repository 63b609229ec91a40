//! `/dev/cargo`: in development or demo mode, PTT Cargo played. A newcomer moves a shipment on
//! (accepted, in transit, out for delivery, delivered) or has it returned: the page signs a
//! status report with the portal's cargo secret and hands it to the same code the real
//! endpoint runs. Outside those modes it does not exist.

use crate::WebState;
use crate::context::Ctx;
use crate::errors::PageError;
use crate::extract::ValidQuery;
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use izin_app::payments::notifications::NotificationSecret;
use izin_domain::cargo::ShipmentStatus;
use izin_i18n::Value;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new().route("/dev/cargo", get(show).post(report))
}

fn secret(state: &WebState) -> Option<&NotificationSecret> {
    state
        .config
        .cargo_secret
        .as_ref()
        .filter(|_| state.config.dev_tools)
}

struct Line {
    id: Uuid,
    tracking: String,
    number: String,
    address: String,
    status: String,
    next: Option<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "dev_cargo.html")]
struct CargoPage<'a> {
    l: Layout<'a>,
    lines: Vec<Line>,
    reported: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Reported {
    tracking: String,
    status: String,
}

async fn show(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidQuery(reported): ValidQuery<Reported>,
) -> Response {
    if secret(&state).is_none() {
        return PageError::NotFound.into_response_with(&ctx);
    }
    let shipments = match state.app.store.open_shipments(200).await {
        Ok(shipments) => shipments,
        Err(e) => return crate::errors::store_failure(&ctx, &e.into()),
    };
    let label = |status: ShipmentStatus| {
        ctx.t(&format!("shipment-status-{}", status.code()))
            .to_owned()
    };
    let lines = shipments
        .iter()
        .map(|s| Line {
            id: s.id,
            tracking: s.tracking_number.to_string(),
            number: s.number.to_string(),
            address: s.address.clone(),
            status: label(s.status),
            next: s.status.next().map(|n| {
                (
                    n.code(),
                    ctx.tf("dev-cargo-next", &[("status", Value::from(label(n)))]),
                )
            }),
        })
        .collect();
    let reported = ShipmentStatus::parse(&reported.status).map(|status| {
        ctx.tf(
            "dev-cargo-reported",
            &[
                ("status", Value::from(label(status))),
                ("tracking", Value::from(reported.tracking.clone())),
            ],
        )
    });
    render(&CargoPage {
        l: Layout::new(&ctx, ctx.t("dev-cargo-title")),
        lines,
        reported,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportForm {
    shipment: Option<Uuid>,
    status: String,
}

/// Sends the signed report PTT Cargo would send.
async fn report(State(state): State<WebState>, ctx: Ctx, Form(form): Form<ReportForm>) -> Response {
    let Some(secret) = secret(&state) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let (Some(id), Some(status)) = (form.shipment, ShipmentStatus::parse(&form.status)) else {
        return PageError::BadRequest.into_response_with(&ctx);
    };
    let shipment = match state.app.store.shipment(id).await {
        Ok(Some(shipment)) => shipment,
        Ok(None) => return PageError::NotFound.into_response_with(&ctx),
        Err(e) => return crate::errors::store_failure(&ctx, &e.into()),
    };
    let now = state.app.clock.now();
    let body = serde_json::json!({
        "notification_id": format!("DEMO-{}", Uuid::now_v7()),
        "tracking_number": shipment.tracking_number.as_str(),
        "status": status.code(),
        "at": now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    })
    .to_string();
    let timestamp = now.unix_timestamp().to_string();
    let signature = secret.sign(&timestamp, body.as_bytes());
    if let Err(e) = state
        .app
        .cargo()
        .notification(
            secret,
            Some(&timestamp),
            Some(&signature),
            body.as_bytes(),
            &ctx.client,
        )
        .await
    {
        tracing::warn!(error = %e, "the demo cargo report was refused");
        return PageError::Unavailable.into_response_with(&ctx);
    }
    Redirect::to(&format!(
        "/dev/cargo?tracking={}&status={}",
        shipment.tracking_number,
        status.code()
    ))
    .into_response()
}
