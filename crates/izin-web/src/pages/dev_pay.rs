//! `/dev/pay`: in development or demo mode, the revenue administration's "Payment with
//! Reference Number" screen, played. A newcomer enters the foreigner identity number and the
//! transaction reference number, sees what is due and pays: the page signs a notification per
//! amount with the portal's payments secret and hands it to the same code the real endpoint
//! runs. Outside those modes it does not exist.

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
use izin_domain::payment::{PaymentNotice, TransactionReference};
use izin_i18n::Value;
use serde::Deserialize;

pub fn router() -> Router<WebState> {
    Router::new().route("/dev/pay", get(show).post(pay))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct Lookup {
    foreigner_id: String,
    reference: String,
    paid: Option<String>,
}

struct DueLine {
    account: String,
    name: String,
    amount: String,
    paid: bool,
}

#[derive(Template)]
#[template(path = "dev_pay.html")]
struct PayPage<'a> {
    l: Layout<'a>,
    foreigner_id: String,
    reference: String,
    institution: String,
    lines: Vec<DueLine>,
    payable: bool,
    not_found: bool,
    paid: Vec<String>,
}

fn secret(state: &WebState) -> Option<&NotificationSecret> {
    state
        .config
        .payments_secret
        .as_ref()
        .filter(|_| state.config.dev_tools)
}

/// The notice `lookup` names, if the foreigner ID is the one it quotes.
async fn find(state: &WebState, lookup: &Lookup) -> Option<PaymentNotice> {
    let reference = TransactionReference::parse(&lookup.reference).ok()?;
    let notice = state
        .app
        .store
        .notice_by_reference(&reference)
        .await
        .ok()
        .flatten()?;
    (notice.foreigner_id == lookup.foreigner_id.trim()).then_some(notice)
}

async fn show(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidQuery(lookup): ValidQuery<Lookup>,
) -> Response {
    if secret(&state).is_none() {
        return PageError::NotFound.into_response_with(&ctx);
    }
    let asked = !lookup.reference.trim().is_empty();
    let notice = if asked {
        find(&state, &lookup).await
    } else {
        None
    };
    // The payee whose accounts the notice names.
    let terms = notice.as_ref().and_then(|n| {
        izin_app::payments::all_terms().iter().find(|t| {
            n.items
                .iter()
                .any(|i| t.account(&i.amount.account_code).is_some())
        })
    });
    let lines: Vec<DueLine> = notice
        .iter()
        .flat_map(|n| n.items.iter())
        .map(|i| DueLine {
            account: i.amount.account_code.clone(),
            name: terms
                .and_then(|t| t.account(&i.amount.account_code))
                .map(|a| a.name.get(ctx.language).to_owned())
                .unwrap_or_default(),
            amount: format!(
                "{} {}",
                i.amount.amount.display(ctx.language),
                i.amount.currency
            ),
            paid: i.paid,
        })
        .collect();
    let paid = lookup
        .paid
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (account, amount) = p.split_once(':').unwrap_or((p, ""));
            ctx.tf(
                "dev-pay-paid",
                &[
                    ("account", Value::from(account)),
                    ("amount", Value::from(amount)),
                ],
            )
        })
        .collect();
    render(&PayPage {
        foreigner_id: lookup.foreigner_id.trim().to_owned(),
        reference: lookup.reference.trim().to_owned(),
        institution: terms
            .map(|t| t.institution.get(ctx.language).to_owned())
            .unwrap_or_default(),
        payable: lines.iter().any(|l| !l.paid),
        lines,
        not_found: asked && notice.is_none(),
        paid,
        l: Layout::new(&ctx, ctx.t("dev-pay-title")),
    })
}

/// Pays every amount still due, one signed notification each, as the revenue administration
/// would send them.
async fn pay(State(state): State<WebState>, ctx: Ctx, Form(lookup): Form<Lookup>) -> Response {
    let Some(secret) = secret(&state) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let Some(notice) = find(&state, &lookup).await else {
        return Redirect::to(&format!(
            "/dev/pay?foreigner_id={}&reference={}",
            urlencode(&lookup.foreigner_id),
            urlencode(&lookup.reference)
        ))
        .into_response();
    };
    let now = state.app.clock.now();
    let timestamp = now.unix_timestamp().to_string();
    let mut paid = Vec::new();
    for item in notice.items.iter().filter(|i| !i.paid) {
        let body = serde_json::json!({
            "payment_id": format!("DEMO-{}", uuid::Uuid::now_v7()),
            "reference_number": notice.reference.as_str(),
            "foreigner_id": notice.foreigner_id,
            "account_code": item.amount.account_code,
            "amount": item.amount.amount.decimal(),
            "currency": item.amount.currency,
            "paid_at": now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        })
        .to_string();
        let signature = secret.sign(&timestamp, body.as_bytes());
        match state
            .app
            .payments()
            .notification(
                secret,
                Some(&timestamp),
                Some(&signature),
                body.as_bytes(),
                &ctx.client,
            )
            .await
        {
            Ok(_) => paid.push(format!(
                "{}:{}",
                item.amount.account_code,
                item.amount.amount.display(ctx.language)
            )),
            Err(e) => {
                tracing::warn!(error = %e, "the demo payment was refused");
                return PageError::Unavailable.into_response_with(&ctx);
            }
        }
    }
    Redirect::to(&format!(
        "/dev/pay?foreigner_id={}&reference={}&paid={}",
        urlencode(&notice.foreigner_id),
        urlencode(notice.reference.as_str()),
        urlencode(&paid.join(","))
    ))
    .into_response()
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("v", text)])
        .map(|s| s.trim_start_matches("v=").to_owned())
        .unwrap_or_default()
}
