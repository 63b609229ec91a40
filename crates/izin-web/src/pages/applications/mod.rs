//! The applicant's application pages, the same for every kind: My Applications (every
//! application and draft, newest first, with what can be done with each, including starting an
//! application about another), an application's Detail with its history, the shared wizard
//! ([`wizard`]: steps bar, preview, "Create", "Make a Revision"), "Exemption Cancellation" and
//! deleting a draft. Each kind's own steps are in its module, registered in [`kinds`].

pub(crate) mod kinds;
mod new_card;
pub(crate) mod sheet;
mod wizard;
mod work_permit_exemption;

use crate::WebState;
use crate::application_texts::{
    Action, applicant_actions, event_label, exemption_label, status_label,
};
use crate::context::{Ctx, SignedIn};
use crate::errors::{PageError, store_failure};
use crate::extract::{ValidPath, ValidQuery};
use crate::layout::{Layout, Nav, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::applications::ApplicationError;
use izin_app::auth::CurrentSession;
use izin_domain::application::{Kind, Status};
use izin_domain::profile::Profile;
use izin_domain::records::Document;
use izin_i18n::Value;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/applications", get(list))
        .route("/applications/{id}", get(detail))
        .route("/applications/{id}/document.pdf", get(document_pdf))
        .route("/applications/{id}/continue", get(continue_draft))
        .route("/applications/{id}/revise", get(revise))
        .route("/applications/{id}/start/{kind}", post(start_about))
        .route("/applications/{id}/preview", get(wizard::preview_page))
        .route("/applications/{id}/submit", post(wizard::submit))
        .route("/applications/{id}/revision/submit", post(wizard::resubmit))
        .route("/applications/{id}/created", get(created))
        .route(
            "/applications/{id}/cancellation",
            get(cancellation_page).post(request_cancellation),
        )
        .route("/applications/{id}/delete", get(delete_page).post(delete))
        .merge(kinds::routers())
}

/// A date and time as the portal's tables show them (`12/01/2023 15:10`, Türkiye's time; the
/// tables say the zone in their caption).
pub fn date_time(at: time::OffsetDateTime) -> String {
    crate::application_texts::date_time(at)
}

/// The page for a service failure that is not about the form.
pub fn page_failure(ctx: &Ctx, error: ApplicationError) -> Response {
    failure_page(ctx, error)
}

pub fn failure_page(ctx: &Ctx, error: ApplicationError) -> Response {
    match error {
        ApplicationError::NotFound | ApplicationError::UnknownCategory => {
            PageError::NotFound.into_response_with(ctx)
        }
        ApplicationError::Store(e) => store_failure(ctx, &e),
        ApplicationError::Registry(e) => {
            tracing::warn!(error = %e, "registry unavailable");
            PageError::Unavailable.into_response_with(ctx)
        }
        other => {
            tracing::error!(error = %other, "application page failed");
            PageError::Internal.into_response_with(ctx)
        }
    }
}

/// The user's documents by id.
pub async fn user_documents(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
) -> Result<HashMap<Uuid, Document>, Response> {
    match state.app.documents().list(&session.user).await {
        Ok(listings) => Ok(listings
            .into_iter()
            .map(|l| (l.document.id, l.document))
            .collect()),
        Err(e) => Err(store_failure(ctx, &e)),
    }
}

// ------------------------------------------------------------------ My Applications

pub struct Row {
    pub id: Uuid,
    pub number: Option<String>,
    pub date: String,
    pub concluded: String,
    pub kind: String,
    pub status: String,
    pub status_code: &'static str,
    pub exemption: String,
    pub cancellation_requested: bool,
    pub actions: Vec<(String, String)>,
    /// Applications that can be started about this one: the button's label and where it posts.
    pub starts: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "applications/list.html")]
struct ListPage<'a> {
    l: Layout<'a>,
    rows: Vec<Row>,
    notice: Option<String>,
}

fn action_link(ctx: &Ctx, id: Uuid, action: Action) -> (String, String) {
    let (label, href) = match action {
        Action::Detail => ("action-detail", format!("/applications/{id}")),
        Action::Continue => ("action-continue", format!("/applications/{id}/continue")),
        Action::Delete => ("action-delete", format!("/applications/{id}/delete")),
        // A revision opens at the first step it reopens.
        Action::Revision => ("action-revision", format!("/applications/{id}/revise")),
        Action::Cancellation => (
            "action-cancellation",
            format!("/applications/{id}/cancellation"),
        ),
    };
    (ctx.t(label).to_owned(), href)
}

/// The buttons that start an application of each of `kinds` about application `id`.
fn start_buttons(ctx: &Ctx, id: Uuid, kinds: &[Kind]) -> Vec<(String, String)> {
    kinds
        .iter()
        .map(|kind| {
            (
                ctx.t(&format!("action-start-{}", kind.code())).to_owned(),
                format!("/applications/{id}/start/{}", kind.code()),
            )
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    deleted: Option<String>,
    resubmitted: Option<String>,
    /// "Create My Application" was sent again for an application already created.
    already: Option<String>,
    cancellation: Option<String>,
}

async fn list(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidQuery(query): ValidQuery<NoticeQuery>,
) -> Response {
    let summaries = match state.app.applications().list(&session.user).await {
        Ok(summaries) => summaries,
        Err(e) => return store_failure(&ctx, &e),
    };
    let offers = match state
        .app
        .applications()
        .offers(&session.user, &summaries)
        .await
    {
        Ok(offers) => offers,
        Err(e) => return page_failure(&ctx, e),
    };
    let rows = summaries
        .iter()
        .map(|s| Row {
            id: s.id,
            number: s.number.clone(),
            date: date_time(s.submitted_at.unwrap_or(s.created_at)),
            concluded: s.concluded_at.map(date_time).unwrap_or_default(),
            kind: state
                .app
                .applications()
                .title(s.kind, s.columns.category.as_deref())
                .get(ctx.language)
                .to_owned(),
            status: status_label(&ctx, s.lifecycle.status),
            status_code: s.lifecycle.status.code(),
            exemption: s
                .lifecycle
                .exemption
                .map(|e| exemption_label(&ctx, e))
                .unwrap_or_default(),
            cancellation_requested: s.cancellation_requested_at.is_some(),
            actions: applicant_actions(s.lifecycle, s.cancellation_requested_at.is_some())
                .into_iter()
                .map(|a| action_link(&ctx, s.id, a))
                .collect(),
            starts: start_buttons(&ctx, s.id, offers.get(&s.id).map_or(&[][..], Vec::as_slice)),
        })
        .collect();
    let page = ListPage {
        rows,
        notice: query.deleted.map(|_| ctx.t("delete-done").to_owned()),
        l: Layout::new(&ctx, ctx.t("applications-title")).with_nav(Nav::MyApplications),
    };
    render(&page)
}

async fn continue_draft(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let record = match state.app.applications().get(&session.user, id).await {
        Ok(record) => record,
        Err(e) => return page_failure(&ctx, e),
    };
    if record.lifecycle.status != Status::Draft {
        return Redirect::to(&format!("/applications/{id}")).into_response();
    }
    match state
        .app
        .applications()
        .kind(record.kind)
        .read(&record.data)
    {
        Ok(data) => {
            Redirect::to(&format!("/applications/{id}/{}", data.resume_at().code())).into_response()
        }
        Err(e) => page_failure(&ctx, e.into()),
    }
}

/// "Make a Revision": the first step the revision reopened (what the officer named, or the
/// kind's default), else the preview.
async fn revise(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let record = match state.app.applications().get(&session.user, id).await {
        Ok(record) => record,
        Err(e) => return page_failure(&ctx, e),
    };
    if record.lifecycle.status != Status::Revision {
        return Redirect::to(&format!("/applications/{id}")).into_response();
    }
    let kind = state.app.applications().kind(record.kind);
    let first = kind
        .wizard()
        .steps()
        .into_iter()
        .find(|step| kind.step_editable(*step, &record))
        .unwrap_or(izin_domain::application::Step::PREVIEW);
    Redirect::to(&format!("/applications/{id}/{}", first.code())).into_response()
}

/// Starts an application of `kind` about the user's application `id` (a new card for an
/// exemption), then opens its first step. Refused, with the reason on My Applications' place,
/// when the kind's rule does not allow it now.
async fn start_about(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath((id, kind)): ValidPath<(Uuid, String)>,
) -> Response {
    let Some(kind) = Kind::parse(&kind) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let service = state.app.applications();
    match service
        .create(&session.user, kind, None, Some(id), &ctx.client)
        .await
    {
        Ok(record) => {
            let first = service.kind(kind).wizard().steps().first().copied();
            Redirect::to(&format!(
                "/applications/{}/{}",
                record.id,
                first.map_or("preview", |s| s.code())
            ))
            .into_response()
        }
        Err(ApplicationError::ParentRefused(_) | ApplicationError::OtherPending { .. }) => {
            // Offered no longer (it changed since My Applications was shown): the list says
            // what can be done now.
            Redirect::to("/applications").into_response()
        }
        Err(e) => page_failure(&ctx, e),
    }
}

// ------------------------------------------------------------------ Detail

pub struct HistoryRow {
    pub when: String,
    pub who: String,
    pub what: String,
    pub status: String,
    pub reason: String,
    pub event: &'static str,
}

/// The officer's decision on the Detail page.
pub struct DecisionPanel {
    pub kind: &'static str,
    pub title: String,
    pub text: Option<String>,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    pub objection: Option<String>,
    pub amounts: Vec<String>,
    pub amounts_intro: Option<String>,
}

fn decision_panel(
    ctx: &Ctx,
    state: &WebState,
    record: &izin_domain::records::ApplicationRecord,
) -> Option<DecisionPanel> {
    let explained = izin_app::back_office::decisions::explain(record)?;
    let title = match explained.decision {
        "revision" => return None, // the revision's message has a panel of its own
        "rejected" => ctx.t("decision-rejected-title"),
        "cancelled" => ctx.t("decision-cancelled-title"),
        _ if explained.amounts.is_empty() => return None,
        _ => ctx.t("decision-amounts-title"),
    };
    Some(DecisionPanel {
        kind: explained.decision,
        title: title.to_owned(),
        text: explained.text,
        reason: explained
            .reason
            .as_ref()
            .map(|r| r.text.get(ctx.language).to_owned()),
        legal_basis: explained
            .reason
            .as_ref()
            .map(|r| r.legal_basis.get(ctx.language).to_owned()),
        objection: explained.reason.as_ref().map(|r| {
            r.objection.as_ref().map_or_else(
                || ctx.t("decision-no-objection").to_owned(),
                |o| o.get(ctx.language).to_owned(),
            )
        }),
        amounts: explained
            .amounts
            .iter()
            .map(|a| crate::application_texts::amount_line(ctx, a))
            .collect(),
        amounts_intro: (!explained.amounts.is_empty()).then(|| {
            ctx.tf(
                "decision-amounts-intro",
                &[(
                    "days",
                    Value::from(i64::from(state.app.catalog.fees.payment_deadline_days)),
                )],
            )
        }),
    })
}

/// The holder's document on Detail: its number and code to give whoever checks it, its status,
/// and the PDF once produced.
struct DocumentPanel {
    number: String,
    code: String,
    status: Option<(&'static str, String)>,
    download: Option<String>,
    /// A card is sent by cargo (before it is handed over, the panel says it will be).
    with_card: bool,
    /// Its shipments, newest first: tracking number, status code and label, address.
    shipments: Vec<(String, &'static str, String, String)>,
}

fn document_panel(
    ctx: &Ctx,
    id: Uuid,
    document: &izin_app::proof::HolderDocument,
    shipments: &[izin_app::cargo::ShipmentRecord],
) -> DocumentPanel {
    DocumentPanel {
        with_card: document.with_card,
        shipments: shipments
            .iter()
            .map(|s| {
                (
                    s.tracking_number.to_string(),
                    s.status.code(),
                    ctx.t(&format!("shipment-status-{}", s.status.code()))
                        .to_owned(),
                    s.address.clone(),
                )
            })
            .collect(),
        number: document.number.to_string(),
        code: document.verification_code.to_string(),
        status: document.status.map(|s| {
            (
                s.code(),
                ctx.t(&format!("verify-status-{}", s.code())).to_owned(),
            )
        }),
        download: document
            .status
            .map(|_| format!("/applications/{id}/document.pdf")),
    }
}

/// The latest Proof Document of the signed-in user's application, as a PDF download.
async fn document_pdf(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state.app.proof_documents().pdf(session.user.id, id).await {
        Ok(Some(Some((number, bytes)))) => crate::pages::verify::pdf_response(&number, bytes),
        Ok(_) => PageError::NotFound.into_response_with(&ctx),
        Err(e) => {
            tracing::warn!(error = %e, "a proof document could not be read");
            PageError::Unavailable.into_response_with(&ctx)
        }
    }
}

#[derive(Template)]
#[template(path = "applications/detail.html")]
struct DetailPage<'a> {
    l: Layout<'a>,
    kind: String,
    status: String,
    status_code: &'static str,
    exemption: Option<String>,
    submitted: Option<String>,
    concluded: Option<String>,
    revision_message: Option<String>,
    /// The officer's decision that stands, as the applicant reads it.
    decision: Option<DecisionPanel>,
    /// What is due and how to pay it.
    payment: Option<crate::pages::payment_panel::PaymentPanel>,
    /// The Proof Document the approval issued (the latest).
    document: Option<DocumentPanel>,
    notice: Option<String>,
    actions: Vec<(String, String)>,
    /// Applications that can be started about this one: the button's label and where it posts.
    starts: Vec<(String, String)>,
    sheet: sheet::Sheet,
    history: Vec<HistoryRow>,
}

async fn detail(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    ValidQuery(query): ValidQuery<NoticeQuery>,
) -> Response {
    let detail = match state.app.applications().detail(&session.user, id).await {
        Ok(detail) => detail,
        Err(e) => return page_failure(&ctx, e),
    };
    let record = &detail.record;
    if record.lifecycle.status == Status::Draft {
        return Redirect::to(&format!("/applications/{id}/continue")).into_response();
    }
    // What was submitted, as frozen: the data and the profile it was checked with.
    let frozen = match detail.submitted_snapshot() {
        Some(snapshot) => snapshot.map(|s| (s.data, s.profile)),
        None => Ok((record.data.clone(), Profile::default())),
    };
    let Ok((data, profile)) = frozen else {
        return PageError::Internal.into_response_with(&ctx);
    };
    // Frozen documents stay available even if the profile now points elsewhere.
    let documents = match user_documents(&state, &ctx, &session).await {
        Ok(documents) => documents,
        Err(response) => return response,
    };
    let sheet = match kinds::pages_for(record.kind).sheet(
        &ctx,
        &state,
        &kinds::SheetData {
            data: &data,
            profile: &profile,
            email: &session.user.email,
            documents: &documents,
            edit_base: None,
        },
    ) {
        Ok(sheet) => sheet,
        Err(e) => return page_failure(&ctx, e.into()),
    };
    let history = detail
        .history
        .iter()
        .map(|h| HistoryRow {
            when: date_time(h.at),
            who: ctx.t(&format!("actor-{}", h.actor_kind)).to_owned(),
            what: event_label(&ctx, h.event, h.version),
            status: status_label(&ctx, h.to.status),
            reason: h.reason.clone().unwrap_or_default(),
            event: h.event.code(),
        })
        .collect();
    let title = ctx.tf(
        "detail-title",
        &[(
            "number",
            Value::from(record.number.clone().unwrap_or_default()),
        )],
    );
    let notice = if query.already.is_some() {
        Some(ctx.t("already-created").to_owned())
    } else if query.resubmitted.is_some() {
        Some(ctx.t("resubmitted").to_owned())
    } else if query.cancellation.is_some() || record.cancellation_requested_at.is_some() {
        record.cancellation_requested_at.map(|at| {
            ctx.tf(
                "cancellation-recorded",
                &[(
                    "date",
                    Value::from(crate::application_texts::date_time_zoned(&ctx, at)),
                )],
            )
        })
    } else {
        None
    };
    let page = DetailPage {
        kind: state
            .app
            .applications()
            .describe(record)
            .get(ctx.language)
            .to_owned(),
        status: status_label(&ctx, record.lifecycle.status),
        status_code: record.lifecycle.status.code(),
        exemption: record.lifecycle.exemption.map(|e| exemption_label(&ctx, e)),
        submitted: record.submitted_at.map(date_time),
        concluded: record.concluded_at.map(date_time),
        revision_message: record
            .revision_message
            .clone()
            .filter(|_| record.lifecycle.status == Status::Revision),
        // With a payment notice, its section shows the amounts; the decision panel does not
        // repeat them.
        decision: decision_panel(&ctx, &state, record)
            .filter(|d| detail.payment.is_none() || !matches!(d.kind, "approved")),
        payment: detail
            .payment
            .as_ref()
            .map(|n| crate::pages::payment_panel::payment_panel(&ctx, &state, record, n)),
        document: detail
            .proof_documents
            .last()
            .map(|d| document_panel(&ctx, id, d, &detail.shipments)),
        notice,
        actions: applicant_actions(record.lifecycle, record.cancellation_requested_at.is_some())
            .into_iter()
            .filter(|a| *a != Action::Detail)
            .map(|a| action_link(&ctx, id, a))
            .collect(),
        starts: start_buttons(&ctx, id, &detail.offers),
        sheet,
        history,
        l: Layout::new(&ctx, &title).with_nav(Nav::MyApplications),
    };
    render(&page)
}

// ------------------------------------------------------------------ created, confirmations

#[derive(Template)]
#[template(path = "applications/created.html")]
struct CreatedPage<'a> {
    l: Layout<'a>,
    id: Uuid,
    number: String,
    number_text: String,
    mail_text: String,
}

async fn created(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let record = match state.app.applications().get(&session.user, id).await {
        Ok(record) => record,
        Err(e) => return page_failure(&ctx, e),
    };
    let Some(number) = record.number.clone() else {
        return Redirect::to(&format!("/applications/{id}/continue")).into_response();
    };
    let page = CreatedPage {
        id,
        number_text: ctx.tf("created-number", &[("number", Value::from(number.clone()))]),
        number,
        mail_text: ctx.tf(
            "created-mail",
            &[("email", Value::from(session.user.email.clone()))],
        ),
        l: Layout::new(&ctx, ctx.t("created-title")).with_nav(Nav::MyApplications),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "applications/confirm.html")]
struct ConfirmPage<'a> {
    l: Layout<'a>,
    lead: String,
    action: String,
    back: String,
    back_label: String,
    confirm_label: String,
}

async fn cancellation_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let record = match state.app.applications().get(&session.user, id).await {
        Ok(record) => record,
        Err(e) => return page_failure(&ctx, e),
    };
    if !applicant_actions(record.lifecycle, record.cancellation_requested_at.is_some())
        .contains(&Action::Cancellation)
    {
        return Redirect::to(&format!("/applications/{id}")).into_response();
    }
    let page = ConfirmPage {
        lead: ctx.tf(
            "cancellation-lead",
            &[(
                "number",
                Value::from(record.number.clone().unwrap_or_default()),
            )],
        ),
        action: format!("/applications/{id}/cancellation"),
        back: format!("/applications/{id}"),
        back_label: ctx.t("cancellation-back").to_owned(),
        confirm_label: ctx.t("cancellation-confirm").to_owned(),
        l: Layout::new(&ctx, ctx.t("cancellation-title")).with_nav(Nav::MyApplications),
    };
    render(&page)
}

async fn request_cancellation(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .applications()
        .request_cancellation(&session.user, id, &ctx.client)
        .await
    {
        Ok(_) => Redirect::to(&format!("/applications/{id}?cancellation=1")).into_response(),
        Err(ApplicationError::Transition(_)) => {
            Redirect::to(&format!("/applications/{id}")).into_response()
        }
        Err(e) => page_failure(&ctx, e),
    }
}

async fn delete_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let record = match state.app.applications().get(&session.user, id).await {
        Ok(record) => record,
        Err(e) => return page_failure(&ctx, e),
    };
    if record.lifecycle.status != Status::Draft {
        return Redirect::to(&format!("/applications/{id}")).into_response();
    }
    let page = ConfirmPage {
        lead: ctx.t("delete-lead").to_owned(),
        action: format!("/applications/{id}/delete"),
        back: "/applications".to_owned(),
        back_label: ctx.t("cancellation-back").to_owned(),
        confirm_label: ctx.t("delete-confirm").to_owned(),
        l: Layout::new(&ctx, ctx.t("delete-title")).with_nav(Nav::MyApplications),
    };
    render(&page)
}

async fn delete(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .applications()
        .delete_draft(&session.user, id, &ctx.client)
        .await
    {
        Ok(()) => Redirect::to("/applications?deleted=1").into_response(),
        Err(ApplicationError::NotEditable(_)) => {
            Redirect::to(&format!("/applications/{id}")).into_response()
        }
        Err(e) => page_failure(&ctx, e),
    }
}
