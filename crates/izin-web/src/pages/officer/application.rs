//! `/officer/applications/{id}`: one application as an officer evaluates it — the frozen
//! application laid out by its kind (with what changed since the version before highlighted),
//! its documents, history, notes and the applicant's other applications — and the forms of every
//! decision the officer may take on it now. Each form posts, the decision is made, and the page
//! comes back (or comes back with what was refused and why).

use super::page_refusal;
use super::queue::Bar;
use crate::WebState;
use crate::application_texts::{date_time, status_label};
use crate::context::{OfficerPage, RequestContext};
use crate::extract::ValidPath;
use crate::layout::{Layout, render};
use crate::pages::applications::kinds::{SheetData, pages_for};
use crate::pages::applications::sheet::Sheet;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::back_office::BackOfficeError;
use izin_app::back_office::decisions::ApprovalInput;
use izin_app::back_office::evaluation::{Evaluation, ReopenLabel};
use izin_domain::application::snapshot::Snapshot;
use izin_domain::decision_reasons::Decision;
use izin_domain::records::{ApplicationVersion, Document};
use izin_i18n::Value;
use std::collections::HashMap;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/officer/applications/{id}", get(show))
        .route(
            "/officer/applications/{id}/documents/{document}",
            get(document),
        )
        .route("/officer/applications/{id}/{action}", post(act))
        .route("/officer/applications/{id}/registry/{index}", post(recheck))
}

pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub hint: String,
}

pub(crate) struct AmountLine {
    pub account: String,
    pub amount: String,
    pub estimate: bool,
}

pub(crate) struct HistoryLine {
    pub when: String,
    pub who: String,
    pub event: String,
    pub status: String,
    pub reason: String,
}

pub(crate) struct Line {
    pub id: Uuid,
    pub number: String,
    pub status: String,
}

pub(crate) struct RegistryLine {
    pub index: usize,
    pub registry: String,
    pub key: String,
    pub at_submission: String,
    /// What the registry said when the officer asked again (this page only).
    pub now: Option<String>,
}

pub(crate) struct DecisionView {
    pub title: String,
    pub lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "officer/application.html")]
struct ApplicationPage<'a> {
    l: Layout<'a>,
    bar: Bar,
    id: Uuid,
    error: Option<String>,
    kind: String,
    status: String,
    status_code: &'static str,
    exemption: Option<String>,
    submitted: String,
    holder: String,
    proposed_by: Option<String>,
    cancellation_requested: Option<String>,
    decision: Option<DecisionView>,
    may_take: bool,
    may_release: bool,
    may_reassign: bool,
    may_decide: bool,
    may_confirm: bool,
    may_cancel: bool,
    may_note: bool,
    second_approval: bool,
    reopenable: Vec<Choice>,
    reject_reasons: Vec<Choice>,
    cancel_reasons: Vec<Choice>,
    amounts: Option<Vec<AmountLine>>,
    review_outcomes: Vec<Choice>,
    version_label: String,
    sheet: Sheet,
    documents: Vec<(String, String)>,
    history: Vec<HistoryLine>,
    notes: Vec<(String, String, String)>,
    others: Vec<Line>,
    registry: Vec<RegistryLine>,
}

fn frozen(version: &ApplicationVersion) -> Option<Snapshot> {
    Snapshot::read(&version.snapshot).ok()
}

fn sheet_of(
    ctx: &RequestContext,
    state: &WebState,
    evaluation: &Evaluation,
    snapshot: &Snapshot,
    documents: &HashMap<Uuid, Document>,
) -> Option<Sheet> {
    let mut sheet = pages_for(evaluation.record.kind)
        .sheet(
            ctx,
            state,
            &SheetData {
                data: &snapshot.data,
                profile: &snapshot.profile,
                email: evaluation.applicant_email.as_deref().unwrap_or_default(),
                documents,
                edit_base: None,
            },
        )
        .ok()?;
    let id = evaluation.record.id;
    sheet.link_files(|document| format!("/officer/applications/{id}/documents/{document}"));
    Some(sheet)
}

/// The decision that stands, as the applicant reads it (the same explanation).
fn decision_view(ctx: &RequestContext, evaluation: &Evaluation) -> Option<DecisionView> {
    let explained = izin_app::back_office::decisions::explain(&evaluation.record)?;
    let title = match explained.decision {
        "revision" => "decision-revision-title",
        "rejected" => "decision-rejected-title",
        "cancelled" => "decision-cancelled-title",
        _ => "decision-amounts-title",
    };
    let mut lines: Vec<String> = Vec::new();
    lines.extend(
        explained
            .reason
            .map(|r| r.text.get(ctx.language).to_owned()),
    );
    lines.extend(explained.text);
    if !explained.reopen.is_empty() {
        lines.push(explained.reopen.join(", "));
    }
    lines.extend(
        explained
            .amounts
            .iter()
            .map(|a| crate::application_texts::amount_line(ctx, a)),
    );
    Some(DecisionView {
        title: ctx.t(title).to_owned(),
        lines,
    })
}

fn page<'a>(
    ctx: &'a RequestContext,
    state: &WebState,
    officer: &izin_domain::records::Officer,
    evaluation: &Evaluation,
    error: Option<String>,
) -> ApplicationPage<'a> {
    let record = &evaluation.record;
    let documents: HashMap<Uuid, Document> = evaluation
        .documents
        .iter()
        .map(|d| (d.id, d.clone()))
        .collect();
    let last = evaluation.versions.last();
    let mut sheet = last
        .and_then(frozen)
        .and_then(|s| sheet_of(ctx, state, evaluation, &s, &documents))
        .unwrap_or_else(|| Sheet::new(Vec::new()));
    let versions = evaluation.versions.len();
    if versions > 1
        && let Some(previous) = evaluation.versions.get(versions - 2).and_then(frozen)
        && let Some(before) = sheet_of(ctx, state, evaluation, &previous, &documents)
    {
        sheet.mark_changes_since(&before);
    }
    let version_label = last.map_or_else(String::new, |v| {
        let mut label = ctx.tf("officer-version", &[("version", Value::from(v.version))]);
        if versions > 1 {
            label.push_str(" — ");
            label.push_str(ctx.t("officer-version-changes"));
        }
        label
    });
    let back_office = state.app.back_office();
    let reasons = |decision| -> Vec<Choice> {
        back_office
            .reasons(record.kind, decision)
            .unwrap_or_default()
            .into_iter()
            .map(|r| Choice {
                value: r.code.clone(),
                label: r.text.get(ctx.language).to_owned(),
                hint: r.legal_basis.get(ctx.language).to_owned(),
            })
            .collect()
    };
    ApplicationPage {
        bar: Bar::of(ctx, officer),
        id: record.id,
        error,
        kind: evaluation.title.get(ctx.language).to_owned(),
        status: status_label(ctx, record.lifecycle.status),
        status_code: record.lifecycle.status.code(),
        exemption: record
            .lifecycle
            .exemption
            .map(|e| ctx.t(&format!("exemption-{}", e.code())).to_owned()),
        submitted: record.submitted_at.map(date_time).unwrap_or_default(),
        holder: evaluation.holder.as_ref().map_or_else(
            || ctx.t("officer-holder-none").to_owned(),
            |email| ctx.tf("officer-holder", &[("email", Value::from(email.as_str()))]),
        ),
        proposed_by: evaluation.proposed_by.as_ref().map(|email| {
            ctx.tf(
                "officer-awaiting-second",
                &[("email", Value::from(email.as_str()))],
            )
        }),
        cancellation_requested: record.cancellation_requested_at.map(|at| {
            ctx.tf(
                "officer-cancellation-requested",
                &[("date", Value::from(date_time(at)))],
            )
        }),
        decision: decision_view(ctx, evaluation),
        may_take: evaluation.may.take,
        may_release: evaluation.may.release,
        may_reassign: evaluation.may.reassign,
        may_decide: evaluation.may.decide,
        may_confirm: evaluation.may.confirm,
        may_cancel: evaluation.may.cancel,
        may_note: evaluation.may.note,
        second_approval: evaluation.second_approval,
        reopenable: evaluation
            .reopenable
            .iter()
            .map(|r| Choice {
                value: r.name.clone(),
                label: match &r.label {
                    ReopenLabel::Message(id) => ctx.t(id).to_owned(),
                    ReopenLabel::Labels(labels) => labels.get(ctx.language).to_owned(),
                },
                hint: String::new(),
            })
            .collect(),
        reject_reasons: reasons(Decision::Reject),
        cancel_reasons: reasons(Decision::Cancel),
        amounts: evaluation.amounts.as_ref().map(|amounts| {
            amounts
                .iter()
                .map(|a| AmountLine {
                    account: a.account_code.clone(),
                    amount: format!("{} {}", a.amount.display(ctx.language), a.currency),
                    estimate: !a.published,
                })
                .collect()
        }),
        review_outcomes: evaluation
            .review_outcomes
            .iter()
            .map(|code| Choice {
                value: (*code).to_owned(),
                label: ctx.t(&format!("review-{code}")).to_owned(),
                hint: String::new(),
            })
            .collect(),
        version_label,
        sheet,
        documents: evaluation
            .documents
            .iter()
            .map(|d| {
                (
                    d.file_name.clone(),
                    format!("/officer/applications/{}/documents/{}", record.id, d.id),
                )
            })
            .collect(),
        history: evaluation
            .history
            .iter()
            .map(|h| HistoryLine {
                when: date_time(h.at),
                who: ctx.t(&format!("actor-{}", h.actor_kind)).to_owned(),
                event: h.event.code().to_owned(),
                status: status_label(ctx, h.to.status),
                reason: h.reason.clone().unwrap_or_default(),
            })
            .collect(),
        notes: evaluation
            .notes
            .iter()
            .map(|n| (date_time(n.at), n.officer_email.clone(), n.text.clone()))
            .collect(),
        registry: evaluation
            .registry_facts
            .iter()
            .enumerate()
            .map(|(index, f)| RegistryLine {
                index,
                registry: ctx
                    .t(&format!("registry-check-{}", f.check.code()))
                    .to_owned(),
                key: f.check.key(),
                at_submission: f.at_submission.clone(),
                now: None,
            })
            .collect(),
        others: evaluation
            .others
            .iter()
            .map(|o| Line {
                id: o.id,
                number: o.number.clone(),
                status: status_label(ctx, o.lifecycle.status),
            })
            .collect(),
        l: Layout::new(
            ctx,
            &ctx.tf(
                "officer-application-title",
                &[(
                    "number",
                    Value::from(record.number.clone().unwrap_or_default()),
                )],
            ),
        ),
    }
}

async fn show(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    render_evaluation(&state, &ctx, &current.officer, id, None).await
}

async fn render_evaluation(
    state: &WebState,
    ctx: &crate::context::Ctx,
    officer: &izin_domain::records::Officer,
    id: Uuid,
    refused: Option<&BackOfficeError>,
) -> Response {
    render_with(state, ctx, officer, id, refused, None).await
}

/// The page, with what was refused, or with a registry's answer of now beside its row.
async fn render_with(
    state: &WebState,
    ctx: &crate::context::Ctx,
    officer: &izin_domain::records::Officer,
    id: Uuid,
    refused: Option<&BackOfficeError>,
    rechecked: Option<(usize, String)>,
) -> Response {
    match state
        .app
        .back_office()
        .evaluation(officer, id, &ctx.client)
        .await
    {
        Ok(evaluation) => {
            let refusal = refused.map(|e| page_refusal(ctx, e));
            let mut page = page(
                ctx,
                state,
                officer,
                &evaluation,
                refusal.as_ref().map(|r| r.1.clone()),
            );
            if let Some((index, now)) = rechecked
                && let Some(line) = page.registry.get_mut(index)
            {
                line.now = Some(now);
            }
            let mut response = render(&page);
            if let Some((status, _)) = refusal {
                *response.status_mut() = status;
            }
            response
        }
        Err(e) => {
            let (status, message) = page_refusal(ctx, &e);
            let mut response = crate::errors::PageError::NotFound.into_response_with(ctx);
            if status != axum::http::StatusCode::NOT_FOUND {
                tracing::warn!(%message, "evaluation page refused");
                *response.status_mut() = status;
            }
            response
        }
    }
}

async fn document(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath((id, document)): ValidPath<(Uuid, Uuid)>,
) -> Response {
    match state
        .app
        .back_office()
        .document(&current.officer, id, document, &ctx.client)
        .await
    {
        Ok((document, stream)) => crate::uploads::inline(&document, stream),
        Err(_) => crate::errors::PageError::NotFound.into_response_with(&ctx),
    }
}

async fn recheck(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath((id, index)): ValidPath<(Uuid, usize)>,
) -> Response {
    use izin_app::back_office::registry_checks::{RecheckError, RegistryAnswer};
    let officer = &current.officer;
    let now = match state
        .app
        .back_office()
        .recheck(officer, id, index, &ctx.client)
        .await
    {
        Ok(recheck) => match recheck.now {
            RegistryAnswer::Found(text) => text,
            RegistryAnswer::NotFound => ctx.t("officer-registry-not-found").to_owned(),
        },
        Err(RecheckError::Registry(e)) => {
            tracing::warn!(error = %e, "registry unavailable for a re-check");
            ctx.t("officer-registry-unavailable").to_owned()
        }
        Err(RecheckError::BackOffice(BackOfficeError::NotFound)) => {
            return crate::errors::PageError::NotFound.into_response_with(&ctx);
        }
        Err(RecheckError::BackOffice(e)) => {
            return render_evaluation(&state, &ctx, officer, id, Some(&e)).await;
        }
    };
    render_with(&state, &ctx, officer, id, None, Some((index, now))).await
}

/// A form's fields; a name may repeat (the ticked boxes of what a revision reopens).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

async fn act(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidPath((id, action)): ValidPath<(Uuid, String)>,
    body: Bytes,
) -> Response {
    let fields = Fields(serde_urlencoded::from_bytes(&body).unwrap_or_default());
    let officer = &current.officer;
    let back_office = state.app.back_office();
    let client = &ctx.client;
    let approval = || ApprovalInput {
        review: Some(fields.get("review").to_owned()).filter(|r| !r.is_empty()),
        confirm_estimate: fields.get("confirm_estimate") == "yes",
    };
    let result: Result<(), BackOfficeError> = match action.as_str() {
        "take" => back_office.take(officer, id, client).await.map(drop),
        "release" => back_office.release(officer, id, client).await.map(drop),
        "reassign" => back_office
            .reassign(officer, id, fields.get("to"), client)
            .await
            .map(drop),
        "revision" => back_office
            .request_revision(
                officer,
                id,
                fields.get("message"),
                &fields.all("reopen"),
                client,
            )
            .await
            .map(drop),
        "reject" => back_office
            .reject(
                officer,
                id,
                fields.get("reason"),
                fields.get("text"),
                client,
            )
            .await
            .map(drop),
        "cancel" => back_office
            .cancel(
                officer,
                id,
                fields.get("reason"),
                fields.get("text"),
                client,
            )
            .await
            .map(drop),
        "approve" => back_office
            .approve(officer, id, &approval(), client)
            .await
            .map(drop),
        "confirm" => back_office
            .confirm_approval(officer, id, &approval(), client)
            .await
            .map(drop),
        "return" => back_office
            .return_proposal(officer, id, fields.get("note"), client)
            .await
            .map(drop),
        "notes" => {
            back_office
                .add_note(officer, id, fields.get("text"), client)
                .await
        }
        _ => return crate::errors::PageError::NotFound.into_response_with(&ctx),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/officer/applications/{id}")).into_response(),
        Err(BackOfficeError::NotFound) => {
            crate::errors::PageError::NotFound.into_response_with(&ctx)
        }
        Err(e) => render_evaluation(&state, &ctx, officer, id, Some(&e)).await,
    }
}
