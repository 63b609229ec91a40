//! The officers' payments in the API: the receipts no application could count, with their
//! reasons, for refund handling or reinstatement.

use super::{ApiOfficer, Problem};
use crate::WebState;
use crate::extract::ValidQuery;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use izin_app::payments::officers::{
    OfficerPaymentError, encode_receipt_cursor, parse_receipt_cursor,
};
use izin_app::payments::{ReceiptCursor, ReceiptRecord};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct UnmatchedParams {
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// At most this many (1–200, default 50).
    pub limit: Option<u32>,
}

/// A payment no application could count.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedReceipt {
    pub id: Uuid,
    /// `notification`, `bank_file` or `manual`.
    pub channel: String,
    pub payment_id: Option<String>,
    pub bank: Option<String>,
    pub receipt_no: Option<String>,
    pub reference_number: Option<String>,
    pub foreigner_id: String,
    #[serde(flatten)]
    pub money: UnmatchedMoney,
    #[serde(with = "time::serde::rfc3339")]
    pub paid_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    /// `unknown_reference`, `wrong_amount`, `already_paid`, `not_pending`, `ambiguous` or
    /// `paid_on_time_arrived_late` (an approver may reinstate the application).
    pub reason: String,
    /// The application it was most likely meant for.
    pub application_id: Option<Uuid>,
    pub application_number: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedMoney {
    pub account_code: String,
    /// A decimal string, e.g. `964.00`.
    pub amount: String,
    pub currency: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnmatchedPage {
    pub items: Vec<UnmatchedReceipt>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

fn body(r: &ReceiptRecord) -> UnmatchedReceipt {
    UnmatchedReceipt {
        id: r.id,
        channel: r.channel.code().to_owned(),
        payment_id: r.payment_id.clone(),
        bank: r.bank.clone(),
        receipt_no: r.receipt_no.clone(),
        reference_number: r.reference.as_ref().map(|x| x.as_str().to_owned()),
        foreigner_id: r.foreigner_id.clone(),
        money: UnmatchedMoney {
            account_code: r.account_code.clone(),
            amount: r.amount.decimal(),
            currency: r.currency.clone(),
        },
        paid_at: r.paid_at,
        received_at: r.received_at,
        reason: r.unmatched.map(|u| u.code()).unwrap_or_default().to_owned(),
        application_id: r.application,
        application_number: r.application_number.clone(),
    }
}

/// The receipts of the officer's authority (and of no known authority) that no application
/// could count, newest first.
#[utoipa::path(get, path = "/officer/payments/unmatched", operation_id = "officer_unmatched_payments", tag = "officer",
    security(("bearer" = [])), params(UnmatchedParams),
    responses((status = 200, body = UnmatchedPage),
              (status = 400, description = "`limit` is not a number", body = Problem, content_type = "application/problem+json"),
              (status = 401, description = "No officer's token, or the officer's session ended", body = Problem, content_type = "application/problem+json"),
              (status = 404, description = "Not an officer", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "`after` or `limit` is not valid", body = Problem, content_type = "application/problem+json")))]
pub async fn unmatched(
    State(state): State<WebState>,
    ApiOfficer(ctx, current): ApiOfficer,
    ValidQuery(params): ValidQuery<UnmatchedParams>,
) -> Response {
    let invalid = |field: &str| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            ctx.t("problem-validation"),
        )
        .field(field, "invalid", ctx.t("problem-validation"))
        .into_response()
    };
    let limit = params.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return invalid("limit");
    }
    let after = match params.after.as_deref() {
        None => None,
        Some(text) => match parse_receipt_cursor(text) {
            Some(cursor) => Some(cursor),
            None => return invalid("after"),
        },
    };
    match state
        .app
        .payments()
        .unmatched_for_officer(&current.officer, after, limit + 1)
        .await
    {
        Ok(mut receipts) => {
            let more = receipts.len() > limit as usize;
            receipts.truncate(limit as usize);
            let next = receipts.last().filter(|_| more).map(|r| {
                encode_receipt_cursor(ReceiptCursor {
                    received_at: r.received_at,
                    id: r.id,
                })
            });
            Json(UnmatchedPage {
                items: receipts.iter().map(body).collect(),
                next,
            })
            .into_response()
        }
        Err(OfficerPaymentError::Payment(izin_app::payments::PaymentError::Store(e))) => {
            crate::errors::store_failure(&ctx, &e)
        }
        Err(_) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            ctx.t("problem-unavailable"),
        )
        .into_response(),
    }
}
