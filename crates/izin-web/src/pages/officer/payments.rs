//! `/officer/payments`: what the authority's applicants owe (nearest deadline first), the
//! payments no application could count with their reasons (for refund handling, or for
//! reinstating an application whose payment was made in time and arrived after the rejection),
//! and one application's payment with its receipts and — for an approver who did not approve
//! it — recording a payment by hand.

use super::queue::Bar;
use crate::WebState;
use crate::application_texts::{date_time, status_label};
use crate::context::{Ctx, OfficerPage};
use crate::errors::PageError;
use crate::extract::ValidPath;
use crate::forms::violation_message;
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::payments::officers::{ManualPayment, OfficerPaymentError};
use izin_app::payments::{ReceiptRecord, ReinstateOutcome};
use izin_domain::calendar::display_date;
use izin_domain::officer::Role;
use izin_domain::records::Officer;
use izin_i18n::Value;
use serde::Deserialize;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/officer/payments", get(overview))
        .route("/officer/payments/{id}", get(file))
        .route("/officer/payments/{id}/record", post(record))
        .route(
            "/officer/payments/receipts/{receipt}/reinstate",
            post(reinstate),
        )
}

pub(crate) struct ReceiptLine {
    pub id: Uuid,
    pub received: String,
    pub paid_at: String,
    pub channel: String,
    pub payer: String,
    pub account: String,
    pub amount: String,
    pub reason: String,
    pub reason_code: &'static str,
    pub application: Option<(Uuid, String)>,
    pub reinstatable: bool,
    pub note: String,
}

fn receipt_line(ctx: &Ctx, r: &ReceiptRecord) -> ReceiptLine {
    let reason_code = r.unmatched.map_or("", |u| u.code());
    ReceiptLine {
        id: r.id,
        received: date_time(r.received_at),
        paid_at: date_time(r.paid_at),
        channel: ctx
            .t(&format!("payment-channel-{}", r.channel.code()))
            .to_owned(),
        payer: r.foreigner_id.clone(),
        account: r.account_code.clone(),
        amount: format!("{} {}", r.amount.display(ctx.language), r.currency),
        reason: if r.matched {
            ctx.t("payment-paid").to_owned()
        } else {
            ctx.t(&format!("payment-unmatched-{reason_code}"))
                .to_owned()
        },
        reason_code,
        application: r
            .application
            .map(|id| (id, r.application_number.clone().unwrap_or_default())),
        reinstatable: !r.matched
            && r.resolved_at.is_none()
            && r.unmatched == Some(izin_domain::payment::Unmatched::PaidOnTimeArrivedLate),
        note: r.note.clone().unwrap_or_default(),
    }
}

pub(crate) struct OpenLine {
    pub id: Uuid,
    pub number: String,
    pub name: String,
    pub deadline: String,
    pub due: String,
    pub reference: String,
}

#[derive(Template)]
#[template(path = "officer/payments.html")]
struct OverviewPage<'a> {
    l: Layout<'a>,
    bar: Bar,
    missing_rates: Option<String>,
    open: Vec<OpenLine>,
    unmatched: Vec<ReceiptLine>,
    may_record: bool,
    notice: Option<String>,
    error: Option<String>,
}

/// The confirmation a redirect after a recorded or counted payment asks for (nothing else).
fn done_notice(ctx: &Ctx, done: &str) -> Option<String> {
    matches!(done, "recorded" | "reinstated")
        .then(|| ctx.t(&format!("payment-officer-{done}")).to_owned())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    done: Option<String>,
}

fn refusal(ctx: &Ctx, error: &OfficerPaymentError) -> (StatusCode, String) {
    match error {
        OfficerPaymentError::NotFound => {
            (StatusCode::NOT_FOUND, ctx.t("problem-not-found").to_owned())
        }
        OfficerPaymentError::RoleMissing(role) => (
            StatusCode::FORBIDDEN,
            ctx.tf(
                "officer-problem-role",
                &[(
                    "role",
                    Value::from(ctx.t(&format!("officer-role-{}", role.code()))),
                )],
            ),
        ),
        OfficerPaymentError::Invalid(violations) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            violations
                .iter()
                .map(|v| violation_message(ctx, v))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        OfficerPaymentError::Payment(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            ctx.t("problem-unavailable").to_owned(),
        ),
        other => (StatusCode::CONFLICT, ctx.t(other.code()).to_owned()),
    }
}

async fn overview_page(
    state: &WebState,
    ctx: &Ctx,
    officer: &Officer,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let payments = state.app.payments();
    let loaded = async {
        let open = payments.open_for_officer(officer, 200).await?;
        let unmatched = payments.unmatched_for_officer(officer, None, 200).await?;
        let missing = state
            .app
            .store
            .notices_missing_rates()
            .await
            .map_err(izin_app::payments::PaymentError::from)?;
        Ok::<_, OfficerPaymentError>((open, unmatched, missing))
    }
    .await;
    let (open, unmatched, missing) = match loaded {
        Ok(found) => found,
        Err(e) => {
            let (status, _) = refusal(ctx, &e);
            let mut response = PageError::Unavailable.into_response_with(ctx);
            *response.status_mut() = status;
            return response;
        }
    };
    let view = OverviewPage {
        bar: Bar::of(ctx, officer),
        missing_rates: (missing > 0).then(|| {
            ctx.tf(
                "payment-officer-missing-rates",
                &[("count", Value::from(missing))],
            )
        }),
        open: open
            .iter()
            .map(|o| OpenLine {
                id: o.notice.application,
                number: o.number.clone().unwrap_or_default(),
                name: o.applicant_name.clone().unwrap_or_default(),
                deadline: display_date(o.notice.deadline),
                due: o
                    .notice
                    .items
                    .iter()
                    .filter(|i| !i.paid)
                    .map(|i| {
                        format!(
                            "{} {} {}",
                            i.amount.account_code,
                            i.amount.amount.display(ctx.language),
                            i.amount.currency
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                reference: o.notice.reference.grouped(),
            })
            .collect(),
        unmatched: unmatched.iter().map(|r| receipt_line(ctx, r)).collect(),
        may_record: officer.roles.has(Role::Approver),
        notice,
        error: error.as_ref().map(|(_, m)| m.clone()),
        l: Layout::new(ctx, ctx.t("payment-officer-title")),
    };
    let mut response = render(&view);
    if let Some((status, _)) = error {
        *response.status_mut() = status;
    }
    response
}

async fn overview(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    crate::extract::ValidQuery(done): crate::extract::ValidQuery<Done>,
) -> Response {
    let notice = done.done.as_deref().and_then(|d| done_notice(&ctx, d));
    overview_page(&state, &ctx, &current.officer, notice, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReinstateForm {
    reason: String,
}

async fn reinstate(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath(receipt): ValidPath<Uuid>,
    Form(form): Form<ReinstateForm>,
) -> Response {
    match state
        .app
        .payments()
        .reinstate(&current.officer, receipt, &form.reason, &ctx.client)
        .await
    {
        Ok(ReinstateOutcome::Approved(_) | ReinstateOutcome::Counted) => {
            Redirect::to("/officer/payments?done=reinstated").into_response()
        }
        Ok(_) => {
            let error = (
                StatusCode::CONFLICT,
                ctx.t("payment-not-reinstatable").to_owned(),
            );
            overview_page(&state, &ctx, &current.officer, None, Some(error)).await
        }
        Err(e) => {
            let error = refusal(&ctx, &e);
            overview_page(&state, &ctx, &current.officer, None, Some(error)).await
        }
    }
}

#[derive(Template)]
#[template(path = "officer/payment.html")]
struct FilePage<'a> {
    l: Layout<'a>,
    bar: Bar,
    id: Uuid,
    number: String,
    status: String,
    payment: Option<crate::pages::payment_panel::PaymentPanel>,
    receipts: Vec<ReceiptLine>,
    accounts: Vec<String>,
    may_record: bool,
    form: ManualForm,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ManualForm {
    account_code: String,
    amount: String,
    paid_on: String,
    bank: String,
    receipt_no: String,
    reason: String,
}

async fn file_page(
    state: &WebState,
    ctx: &Ctx,
    officer: &Officer,
    id: Uuid,
    form: ManualForm,
    notice: Option<String>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let file = match state.app.payments().file_for_officer(officer, id).await {
        Ok(file) => file,
        Err(OfficerPaymentError::NotFound) => return PageError::NotFound.into_response_with(ctx),
        Err(_) => return PageError::Unavailable.into_response_with(ctx),
    };
    let record = &file.record;
    let open = file.notice.as_ref().filter(|n| {
        !n.settled() && record.lifecycle.status == izin_domain::application::Status::PaymentPending
    });
    let may_record =
        officer.roles.has(Role::Approver) && file.approved_by != Some(officer.id) && open.is_some();
    let view = FilePage {
        bar: Bar::of(ctx, officer),
        id,
        number: record.number.clone().unwrap_or_default(),
        status: status_label(ctx, record.lifecycle.status),
        payment: file
            .notice
            .as_ref()
            .map(|n| crate::pages::payment_panel::payment_panel(ctx, state, record, n)),
        receipts: file.receipts.iter().map(|r| receipt_line(ctx, r)).collect(),
        accounts: open
            .map(|n| {
                n.items
                    .iter()
                    .filter(|i| !i.paid)
                    .map(|i| i.amount.account_code.clone())
                    .collect()
            })
            .unwrap_or_default(),
        may_record,
        form,
        notice,
        error: error.as_ref().map(|(_, m)| m.clone()),
        l: Layout::new(ctx, ctx.t("payment-officer-title")),
    };
    let mut response = render(&view);
    if let Some((status, _)) = error {
        *response.status_mut() = status;
    }
    response
}

async fn file(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath(id): ValidPath<Uuid>,
    crate::extract::ValidQuery(done): crate::extract::ValidQuery<Done>,
) -> Response {
    let notice = done.done.as_deref().and_then(|d| done_notice(&ctx, d));
    file_page(
        &state,
        &ctx,
        &current.officer,
        id,
        ManualForm::default(),
        notice,
        None,
    )
    .await
}

async fn record(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath(id): ValidPath<Uuid>,
    Form(form): Form<ManualForm>,
) -> Response {
    let input = ManualPayment {
        account_code: form.account_code.clone(),
        amount: form.amount.clone(),
        paid_on: form.paid_on.clone(),
        bank: form.bank.clone(),
        receipt_no: form.receipt_no.clone(),
        reason: form.reason.clone(),
    };
    match state
        .app
        .payments()
        .record_by_hand(&current.officer, id, &input, &ctx.client)
        .await
    {
        Ok(_) => Redirect::to(&format!("/officer/payments/{id}?done=recorded")).into_response(),
        Err(e) => {
            let error = refusal(&ctx, &e);
            file_page(&state, &ctx, &current.officer, id, form, None, Some(error)).await
        }
    }
}
