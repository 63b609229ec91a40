//! The JSON bodies of the application routes every kind shares, and how records become them.

use super::work_permit_exemption::*;
use crate::WebState;
use crate::api::documents::{DocumentBody, document_body};
use crate::application_texts::{applicant_actions, rule_location, rule_message};
use crate::context::RequestContext;
use izin_app::applications::{ApplicationDetail, Preview};
use izin_domain::application::Kind;
use izin_domain::application::work_permit_exemption::Draft;
use izin_domain::records::{ApplicationEventRecord, ApplicationRecord, ApplicationSummary};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

/// One line of My Applications.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationSummaryBody {
    pub id: Uuid,
    /// `work-permit-exemption`.
    pub kind: String,
    /// The application this one is about (a new card's exemption), if any.
    pub parent: Option<Uuid>,
    /// DRAFT, SUBMITTED, UNDER_EVALUATION, REVISION, PAYMENT_PENDING, APPROVAL, REJECTED or
    /// WITHDRAWN.
    pub status: String,
    /// ACTIVE, EXPIRED or CANCELLED, once approved.
    pub exemption_status: Option<String>,
    /// Given by "Create My Application", e.g. `2026-000042`.
    pub number: Option<String>,
    /// The catalogue category's code.
    pub category: Option<String>,
    /// The kind and category, named in the request's language.
    pub title: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub concluded_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cancellation_requested_at: Option<OffsetDateTime>,
    /// The requested period.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// What the applicant can do now: `continue`, `delete`, `detail`, `revision`, `cancellation`.
    pub actions: Vec<String>,
    /// The kinds of application that can be started about this one now (`new-card` for an
    /// ACTIVE exemption that came with a card, unless one is pending): `POST /applications`
    /// with that kind and this application as `parent`.
    pub starts: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeesBody {
    pub year: i32,
    /// Decimal lira, e.g. `10571.60`.
    pub exemption_fee: String,
    pub valuable_paper_fee: String,
    pub total: String,
    /// Whether anything is to be paid if approved.
    pub due: bool,
    /// What would be paid, each amount to its account; empty when nothing is due.
    pub amounts: Vec<izin_domain::money::Amount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `user`, `officer` or `system`.
    pub actor: String,
    /// `submit`, `start_evaluation`, `request_revision`, `resubmit`, …
    pub event: String,
    pub from_status: String,
    pub to_status: String,
    pub exemption_status: Option<String>,
    pub reason: Option<String>,
    pub version: i32,
    /// The event in the request's language.
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedBody {
    pub version: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    /// Exactly what was submitted: the data, the User Information it was checked with, the
    /// documents' fingerprints and the fees as assessed.
    pub snapshot: serde_json::Value,
}

/// An application with everything about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationBody {
    #[serde(flatten)]
    pub summary: ApplicationSummaryBody,
    /// The version last submitted (0 for a draft).
    pub version: i32,
    /// The officer's message while in REVISION.
    pub revision_message: Option<String>,
    /// The officer's decision that stands: a revision asked (with what reopened), a rejection
    /// or cancellation (with its reason, legal basis and how to object), an approval's amounts.
    pub decision: Option<DecisionBody>,
    /// The kind's own data (for a work-permit exemption, its steps as saved).
    pub data: KindDataBody,
    /// The documents the application uses.
    pub documents: Vec<DocumentBody>,
    pub fees: Option<FeesBody>,
    pub history: Vec<HistoryEntry>,
    /// The last submitted version, frozen.
    pub submitted: Option<SubmittedBody>,
    /// What is due and how to pay it, once an approval (or, for a new card whose reason fixes
    /// its price, the submission) made a payment due; absent before.
    pub payment: Option<crate::api::payments::PaymentBody>,
    /// The Proof Document the approval issued (the latest), once approved.
    pub document: Option<crate::api::verify::ProofDocumentBody>,
}

/// A coded reason, in the request's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionReasonBody {
    pub code: String,
    pub text: String,
    pub legal_basis: String,
    /// How to object; absent when no objection is possible.
    pub objection: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionBody {
    /// `revision`, `rejected`, `approved` or `cancelled`.
    pub decision: String,
    /// The officer's words to the applicant.
    pub text: Option<String>,
    /// What a revision reopened (`step:…`, `slot:…`, `profile:…`).
    pub reopen: Vec<String>,
    pub reason: Option<DecisionReasonBody>,
    /// The amounts due after an approval (empty: nothing due).
    pub amounts: Vec<izin_domain::money::Amount>,
}

pub(crate) fn decision_body(
    ctx: &RequestContext,
    record: &ApplicationRecord,
) -> Option<DecisionBody> {
    let explained = izin_app::back_office::decisions::explain(record)?;
    Some(DecisionBody {
        decision: explained.decision.to_owned(),
        text: explained.text,
        reopen: explained.reopen,
        reason: explained.reason.map(|r| DecisionReasonBody {
            text: r.text.get(ctx.language).to_owned(),
            legal_basis: r.legal_basis.get(ctx.language).to_owned(),
            objection: r.objection.as_ref().map(|o| o.get(ctx.language).to_owned()),
            code: r.code,
        }),
        amounts: explained.amounts,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedBody {
    pub id: Uuid,
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmittedAnswer {
    pub id: Uuid,
    pub number: String,
    pub status: String,
}

/// One rule that stops "Create My Application".
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleBody {
    /// Where to fix it: `step` or `step.field`.
    pub field: String,
    pub step: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewBody {
    pub application: ApplicationBody,
    /// True when "Create My Application" would succeed now.
    pub ready: bool,
    pub failures: Vec<RuleBody>,
    /// What would be paid, each amount to its account (the year's rates; `published` false for
    /// an estimate at the latest known rates); empty when nothing is due or nothing is known yet.
    pub amounts: Vec<izin_domain::money::Amount>,
    /// The amounts are decided by an officer's review ("0 ₺, or you will be notified by e-mail
    /// after the review").
    pub decided_after_review: bool,
    /// For a kind that shows it (a new card for a change in personal information): the identity
    /// the application was approved with beside the migration authority's record.
    pub comparison: Option<izin_domain::identity::Comparison>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInput {
    /// `work-permit-exemption` or `new-card`.
    pub kind: String,
    /// For a kind with categories (a work-permit exemption), a category code of the catalogue,
    /// e.g. `compulsory-internship`; absent for a kind without.
    #[serde(default)]
    pub category: Option<String>,
    /// For a kind about another application (a new card), the application it is about.
    #[serde(default)]
    pub parent: Option<Uuid>,
}

/// Reuses one of the user's documents in a slot.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotDocumentInput {
    pub slot: String,
    pub document_id: Uuid,
}

/// The multipart form of a slot upload (for the OpenAPI document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SlotUploadForm {
    /// Send before `file`: the slot of the category, e.g. `student-id`.
    slot: String,
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

pub(crate) fn iso(date: Option<Date>) -> Option<String> {
    date.map(izin_domain::calendar::format_date)
}

pub(crate) fn summary_body(
    ctx: &RequestContext,
    state: &WebState,
    summary: &ApplicationSummary,
    starts: &[Kind],
) -> ApplicationSummaryBody {
    let title = state
        .app
        .applications()
        .title(summary.kind, summary.columns.category.as_deref());
    ApplicationSummaryBody {
        id: summary.id,
        kind: summary.kind.code().to_owned(),
        parent: summary.parent,
        status: summary.lifecycle.status.code().to_owned(),
        exemption_status: summary.lifecycle.exemption.map(|e| e.code().to_owned()),
        number: summary.number.clone(),
        category: summary.columns.category.clone().filter(|c| !c.is_empty()),
        title: title.get(ctx.language).to_owned(),
        created_at: summary.created_at,
        submitted_at: summary.submitted_at,
        concluded_at: summary.concluded_at,
        cancellation_requested_at: summary.cancellation_requested_at,
        start_date: iso(summary.columns.start_date),
        end_date: iso(summary.columns.end_date),
        actions: applicant_actions(
            summary.lifecycle,
            summary.cancellation_requested_at.is_some(),
        )
        .into_iter()
        .map(|a| a.code().to_owned())
        .collect(),
        starts: starts.iter().map(|k| k.code().to_owned()).collect(),
    }
}

pub(crate) fn fees_body(
    fees: Option<izin_domain::application::FeeAssessment>,
    table: &izin_domain::catalog::Fees,
) -> Option<FeesBody> {
    fees.map(|f| FeesBody {
        amounts: f.amounts(table),
        year: f.year,
        exemption_fee: f.exemption_fee.decimal(),
        valuable_paper_fee: f.valuable_paper_fee.decimal(),
        total: f.total().decimal(),
        due: f.is_due(),
    })
}

pub(crate) fn history_body(
    ctx: &RequestContext,
    history: &[ApplicationEventRecord],
) -> Vec<HistoryEntry> {
    history
        .iter()
        .map(|h| HistoryEntry {
            at: h.at,
            actor: h.actor_kind.clone(),
            event: h.event.code().to_owned(),
            from_status: h.from.status.code().to_owned(),
            to_status: h.to.status.code().to_owned(),
            exemption_status: h.to.exemption.map(|e| e.code().to_owned()),
            reason: h.reason.clone(),
            version: h.version,
            description: crate::application_texts::event_label(ctx, h.event, h.version),
        })
        .collect()
}

/// An application's data in its kind's own shape. Serialised without a tag: the body's `kind`
/// says which it is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum KindDataBody {
    WorkPermitExemption(ExemptionDataBody),
    NewCard(super::new_card::NewCardDataBody),
}

/// The kind's part of an application body: each kind says how its data is shown. This is where
/// a kind is registered with the API's shared bodies.
fn kind_data_body(
    ctx: &RequestContext,
    record: &ApplicationRecord,
) -> Result<KindDataBody, serde_json::Error> {
    match record.kind {
        Kind::WorkPermitExemption => Ok(KindDataBody::WorkPermitExemption(data_body(
            ctx,
            &Draft::deserialize(&record.data)?,
        ))),
        Kind::NewCard => Ok(KindDataBody::NewCard(super::new_card::data_body(
            &izin_domain::application::new_card::NewCard::draft(&record.data)?,
        ))),
    }
}

pub(crate) fn application_body(
    ctx: &RequestContext,
    state: &WebState,
    detail: &ApplicationDetail,
) -> Result<ApplicationBody, serde_json::Error> {
    let mut documents: Vec<DocumentBody> = detail.documents.values().map(document_body).collect();
    documents.sort_by_key(|d| d.created_at);
    Ok(ApplicationBody {
        summary: summary_body(ctx, state, &detail.record.summary(), &detail.offers),
        version: detail.record.version,
        revision_message: detail.record.revision_message.clone(),
        decision: decision_body(ctx, &detail.record),
        data: kind_data_body(ctx, &detail.record)?,
        documents,
        fees: fees_body(detail.fees, &state.app.catalog.fees),
        history: history_body(ctx, &detail.history),
        submitted: detail.submitted().map(|v| SubmittedBody {
            version: v.version,
            submitted_at: v.submitted_at,
            snapshot: v.snapshot.clone(),
        }),
        payment: detail
            .payment
            .as_ref()
            .map(|notice| crate::api::payments::payment_body(ctx, &detail.record, notice)),
        document: detail.proof_documents.last().map(|d| {
            crate::api::verify::proof_document_body(ctx, detail.record.id, d, &detail.shipments)
        }),
    })
}

pub(crate) fn preview_body(
    ctx: &RequestContext,
    state: &WebState,
    preview: &Preview,
    detail: &ApplicationDetail,
) -> Result<PreviewBody, serde_json::Error> {
    Ok(PreviewBody {
        application: application_body(ctx, state, detail)?,
        ready: preview.failures.is_empty(),
        amounts: preview
            .fees
            .map(|f| f.amounts(&state.app.catalog.fees))
            .unwrap_or_default(),
        decided_after_review: preview.fees_decided_after_review,
        comparison: preview.identity_comparison.clone(),
        failures: preview
            .failures
            .iter()
            .map(|f| RuleBody {
                field: rule_location(f),
                step: f.step.code().to_owned(),
                code: f.code.to_owned(),
                message: rule_message(ctx, &state.app, Some(&preview.record), f),
            })
            .collect(),
    })
}
