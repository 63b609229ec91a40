//! Payments in the API: the `payment` of an application (what is due, what to quote, by when),
//! and the revenue administration's signed notifications (`POST /payments/notifications`),
//! answered 404 unless the portal has a payments secret.

use super::problem::Problem;
use crate::WebState;
use crate::context::{Ctx, RequestContext};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use izin_app::payments::notifications::{
    NotificationError, SIGNATURE_HEADER, SignatureError, TIMESTAMP_HEADER,
};
use izin_app::payments::{PaymentError, ReceiptOutcome, terms_for};
use izin_domain::calendar::format_date;
use izin_domain::money::Amount;
use izin_domain::payment::{Matching, PaymentNotice};
use izin_domain::records::ApplicationRecord;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// One amount of a payment, and whether it is paid.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentItemBody {
    #[serde(flatten)]
    pub amount: Amount,
    /// The account's name in the request's language (`Valuable Paper Fee`).
    pub account_name: String,
    pub paid: bool,
}

/// What an application owes and how to pay it (seed §4.7).
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentBody {
    /// The transaction reference number to quote on the Digital Tax Office's "Payment with
    /// Reference Number" screen (14 digits, the last two check digits).
    pub reference_number: String,
    /// The foreigner identity number to declare with either way to pay.
    pub foreigner_id: String,
    /// The authority assigned the foreigner identity number (the applicant had none).
    pub foreigner_id_assigned: bool,
    /// The last day to pay, in full (`YYYY-MM-DD`, Türkiye's calendar).
    #[schema(example = "2026-12-28")]
    pub deadline: String,
    /// The payee institution to choose, in the request's language.
    pub institution: String,
    pub items: Vec<PaymentItemBody>,
    /// Every amount is paid.
    pub settled: bool,
    /// The deadline passed unpaid and the application was rejected.
    pub expired: bool,
    /// A new year began and its rates are not published: the amounts are the old year's and
    /// may change.
    pub rates_missing_for: Option<i32>,
}

pub(crate) fn payment_body(
    ctx: &RequestContext,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
) -> PaymentBody {
    let terms = terms_for(record.kind);
    PaymentBody {
        reference_number: notice.reference.as_str().to_owned(),
        foreigner_id: notice.foreigner_id.clone(),
        foreigner_id_assigned: notice.foreigner_id_assigned,
        deadline: format_date(notice.deadline),
        institution: terms
            .map(|t| t.institution.get(ctx.language).to_owned())
            .unwrap_or_default(),
        items: notice
            .items
            .iter()
            .map(|item| PaymentItemBody {
                account_name: terms
                    .and_then(|t| t.account(&item.amount.account_code))
                    .map(|a| a.name.get(ctx.language).to_owned())
                    .unwrap_or_default(),
                amount: item.amount.clone(),
                paid: item.paid,
            })
            .collect(),
        settled: notice.settled(),
        expired: notice.expired_at.is_some(),
        rates_missing_for: notice.rates_missing_for,
    }
}

/// A notification's body (the revenue administration's contract).
#[derive(Debug, serde::Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct NotificationBody {
    /// The revenue administration's id of the payment; stored once per id.
    pub payment_id: String,
    /// The transaction reference number the payer quoted.
    #[schema(example = "20260000000134")]
    pub reference_number: String,
    #[schema(example = "99123456780")]
    pub foreigner_id: String,
    #[schema(example = "9268")]
    pub account_code: String,
    /// A decimal string with a dot and two decimals.
    #[schema(example = "964.00")]
    pub amount: String,
    #[schema(example = "TRY")]
    pub currency: String,
    /// When the payment was made (RFC 3339); a payment counts by this day, not by when its
    /// record arrives.
    #[schema(example = "2026-12-01T10:15:00+03:00")]
    pub paid_at: String,
}

/// How a notification was taken.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationAnswer {
    /// The portal's record of the payment (the first one, for a replay).
    pub receipt_id: Uuid,
    /// `recorded`, or `duplicate` for a payment id seen before (nothing changed).
    pub status: String,
    /// Whether it paid an amount due (absent for a duplicate).
    pub matched: Option<bool>,
    /// Why it could not be counted, when it could not (kept for refund handling).
    pub unmatched_reason: Option<String>,
}

/// The revenue administration reports one payment. Signed: `X-Izin-Timestamp` (Unix seconds,
/// within five minutes of now) and `X-Izin-Signature` = `sha256=` + lower-case hex
/// HMAC-SHA256(secret, timestamp + "." + raw body). Idempotent by `payment_id`. Answers 404
/// when the portal has no payments secret.
#[utoipa::path(post, path = "/payments/notifications", operation_id = "payment_notification", tag = "payments",
    request_body(content = NotificationBody, content_type = "application/json"),
    params(
        ("X-Izin-Timestamp" = String, Header, description = "Unix seconds"),
        ("X-Izin-Signature" = String, Header, description = "sha256=<hex HMAC-SHA256 of timestamp.body>")
    ),
    responses(
        (status = 200, description = "Recorded (matched or kept as unmatched), or a replay of a payment recorded before", body = NotificationAnswer),
        (status = 401, description = "Missing, wrong or stale signature: nothing stored", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Payment notifications are not enabled on this portal", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Signed, but a field cannot be read: nothing stored", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn notification(
    State(state): State<WebState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = &state.config.payments_secret else {
        return crate::errors::not_found(ctx).await;
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let outcome = state
        .app
        .payments()
        .notification(
            secret,
            header(TIMESTAMP_HEADER),
            header(SIGNATURE_HEADER),
            &body,
            &ctx.client,
        )
        .await;
    match outcome {
        Ok(ReceiptOutcome::Recorded {
            receipt, matching, ..
        }) => Json(NotificationAnswer {
            receipt_id: receipt,
            status: "recorded".into(),
            matched: Some(matches!(matching, Matching::Matched { .. })),
            unmatched_reason: match matching {
                Matching::Matched { .. } => None,
                Matching::Unmatched { reason, .. } => Some(reason.code().to_owned()),
            },
        })
        .into_response(),
        Ok(ReceiptOutcome::Duplicate { receipt }) => Json(NotificationAnswer {
            receipt_id: receipt,
            status: "duplicate".into(),
            matched: None,
            unmatched_reason: None,
        })
        .into_response(),
        Err(NotificationError::Signature(refusal)) => signature_problem(refusal),
        Err(NotificationError::Body(detail)) => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "The body is not a payment notification.",
        )
        .detail(detail)
        .into_response(),
        Err(NotificationError::Fields(problems)) => problems
            .into_iter()
            .fold(
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "A field of the notification cannot be read.",
                ),
                |p, problem| p.field(problem.field, "invalid", problem.problem),
            )
            .into_response(),
        Err(NotificationError::Payment(PaymentError::Store(e))) => {
            crate::errors::store_failure(&ctx, &e)
        }
        Err(NotificationError::Payment(other)) => {
            tracing::error!(error = %other, "a payment notification could not be recorded");
            Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The payment could not be recorded now; send it again.",
            )
            .into_response()
        }
    }
}

/// The sender is a machine: the answer is in English and names the rule broken.
pub(crate) fn signature_problem(refusal: SignatureError) -> Response {
    Problem::new(
        StatusCode::UNAUTHORIZED,
        refusal.code(),
        &refusal.to_string(),
    )
    .into_response()
}
