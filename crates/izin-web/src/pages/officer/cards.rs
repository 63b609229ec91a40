//! `/officer/cards`: the authority's cards waiting to be printed (seed §4.8). An officer downloads
//! the chosen cards as one PDF, prints them, and marks them printed, which hands each to the
//! carrier (a shipment with a tracking number); cards the carrier returned are sent again to a
//! corrected address.

use super::queue::Bar;
use crate::WebState;
use crate::application_texts::date_time;
use crate::context::{Ctx, OfficerPage};
use crate::errors::PageError;
use crate::extract::ValidPath;
use crate::layout::{Layout, render};
use crate::pages::verify::pdf_download;
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use izin_app::cargo::{CargoError, HandOver};
use izin_domain::records::Officer;
use izin_i18n::Value;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/officer/cards", get(show).post(act))
        .route("/officer/cards/returned/{shipment}/reship", post(reship))
}

struct CardLine {
    id: Uuid,
    number: String,
    holder: String,
    address: String,
    printed: bool,
}

struct ReturnedLine {
    id: Uuid,
    number: String,
    tracking: String,
    address: String,
    when: String,
}

#[derive(Template)]
#[template(path = "officer/cards.html")]
struct CardsPage<'a> {
    l: Layout<'a>,
    bar: Bar,
    cards: Vec<CardLine>,
    returned: Vec<ReturnedLine>,
    notices: Vec<String>,
    errors: Vec<String>,
}

async fn page(
    state: &WebState,
    ctx: &Ctx,
    officer: &Officer,
    notices: Vec<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    let (cards, returned) = match state.app.cargo().queue(officer).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "the print queue cannot be read");
            return PageError::Unavailable.into_response_with(ctx);
        }
    };
    let view = CardsPage {
        l: Layout::new(ctx, ctx.t("officer-cards-title")),
        bar: Bar::of(ctx, officer),
        cards: cards
            .iter()
            .map(|c| CardLine {
                id: c.document_id,
                number: c.number.to_string(),
                holder: c.holder.clone(),
                address: c.delivery_address.clone().unwrap_or_default(),
                printed: c.printed_at.is_some(),
            })
            .collect(),
        returned: returned
            .iter()
            .map(|s| ReturnedLine {
                id: s.id,
                number: s.number.to_string(),
                tracking: s.tracking_number.to_string(),
                address: s.address.clone(),
                when: date_time(s.status_at),
            })
            .collect(),
        notices,
        errors,
    };
    let mut response = render(&view);
    *response.status_mut() = status;
    response
}

/// The page again with one error above the queue, answered with `status`.
async fn refused(
    state: &WebState,
    ctx: &Ctx,
    officer: &Officer,
    error: String,
    status: StatusCode,
) -> Response {
    page(state, ctx, officer, Vec::new(), vec![error], status).await
}

async fn show(State(state): State<WebState>, OfficerPage(ctx, current): OfficerPage) -> Response {
    page(
        &state,
        &ctx,
        &current.officer,
        Vec::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The chosen cards (`d`, repeated) and what to do: `download` or `print`.
async fn act(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let chosen: Vec<Uuid> = fields
        .iter()
        .filter(|(name, _)| name == "d")
        .filter_map(|(_, value)| Uuid::parse_str(value).ok())
        .collect();
    let action = fields
        .iter()
        .find(|(name, _)| name == "action")
        .map_or("", |(_, value)| value.as_str());
    let officer = &current.officer;
    let nothing = || ctx.t("officer-cards-nothing-chosen").to_owned();
    match action {
        "download" => match state.app.cargo().batch_pdf(officer, &chosen).await {
            Ok(pdf) => pdf_download(
                &format!("cards-{}.pdf", ctx.now.unix_timestamp()),
                pdf.into(),
            ),
            Err(CargoError::NothingChosen) => {
                refused(
                    &state,
                    &ctx,
                    officer,
                    nothing(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => {
                tracing::error!(error = %e, "cards could not be typeset");
                let error = ctx.tf(
                    "officer-cards-failed",
                    &[
                        ("number", Value::from("PDF")),
                        ("reason", Value::from(e.to_string())),
                    ],
                );
                refused(
                    &state,
                    &ctx,
                    officer,
                    error,
                    StatusCode::SERVICE_UNAVAILABLE,
                )
                .await
            }
        },
        "print" if chosen.is_empty() => {
            refused(
                &state,
                &ctx,
                officer,
                nothing(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        "print" => match state
            .app
            .cargo()
            .print_and_ship(officer, &chosen, &ctx.client)
            .await
        {
            Ok(hand_over) => {
                let (notices, errors) = hand_over_messages(&ctx, &state, officer, &hand_over).await;
                page(&state, &ctx, officer, notices, errors, StatusCode::OK).await
            }
            Err(e) => {
                tracing::error!(error = %e, "cards could not be marked printed");
                PageError::Unavailable.into_response_with(&ctx)
            }
        },
        _ => PageError::BadRequest.into_response_with(&ctx),
    }
}

async fn hand_over_messages(
    ctx: &Ctx,
    state: &WebState,
    officer: &Officer,
    hand_over: &HandOver,
) -> (Vec<String>, Vec<String>) {
    let mut notices = Vec::new();
    if !hand_over.shipped.is_empty() {
        notices.push(ctx.tf(
            "officer-cards-shipped",
            &[("count", Value::from(hand_over.shipped.len()))],
        ));
    }
    let failed_ids: Vec<Uuid> = hand_over.failed.iter().map(|(id, _)| *id).collect();
    let numbers = state
        .app
        .store
        .cards(officer.authority, &failed_ids)
        .await
        .unwrap_or_default();
    let errors = hand_over
        .failed
        .iter()
        .map(|(id, reason)| {
            let number = numbers
                .iter()
                .find(|c| c.document_id == *id)
                .map_or_else(|| id.to_string(), |c| c.number.to_string());
            ctx.tf(
                "officer-cards-failed",
                &[
                    ("number", Value::from(number)),
                    ("reason", Value::from(reason.as_str())),
                ],
            )
        })
        .collect();
    (notices, errors)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReshipForm {
    address: String,
}

async fn reship(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath(shipment): ValidPath<Uuid>,
    Form(form): Form<ReshipForm>,
) -> Response {
    let officer = &current.officer;
    match state
        .app
        .cargo()
        .reship(officer, shipment, &form.address, &ctx.client)
        .await
    {
        Ok(tracking) => {
            let notice = ctx.tf(
                "officer-cards-reshipped",
                &[("tracking", Value::from(tracking.to_string()))],
            );
            page(
                &state,
                &ctx,
                officer,
                vec![notice],
                Vec::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(CargoError::AddressRequired) => {
            let error = ctx.t("officer-cards-address-required").to_owned();
            refused(
                &state,
                &ctx,
                officer,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(CargoError::NotReshippable) => {
            let error = ctx.t("officer-cards-not-reshippable").to_owned();
            refused(&state, &ctx, officer, error, StatusCode::CONFLICT).await
        }
        Err(e) => {
            tracing::error!(error = %e, "a returned card could not be sent again");
            let error = ctx.tf(
                "officer-cards-failed",
                &[
                    ("number", Value::from(shipment.to_string())),
                    ("reason", Value::from(e.to_string())),
                ],
            );
            refused(
                &state,
                &ctx,
                officer,
                error,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}
