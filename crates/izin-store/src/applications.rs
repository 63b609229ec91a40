//! The records of applications as storage reads and writes them: drafts, submissions, the
//! versions frozen at each submission and the append-only history of transitions.
//!
//! Storage never decides whether a move is allowed: it calls [`Lifecycle::apply`] inside its
//! transaction, on the state it has just locked, so two instances can never both move one
//! application.

use crate::StoreError;
use crate::model::{NewAuditEntry, NewMail};
use izin_domain::application::{Event, Kind, Lifecycle, PreviousExemption, Role, TransitionError};
use izin_domain::audit::Actor;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Replaced by the application's number in the confirmation mail queued with a submission, since
/// the number is only drawn inside the submitting transaction.
pub const NUMBER_PLACEHOLDER: &str = "%APPLICATION_NUMBER%";

/// Columns copied out of an application's data so lists and rules need not parse it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationColumns {
    pub category: Option<String>,
    pub start_date: Option<Date>,
    pub end_date: Option<Date>,
}

/// An application as stored, with its editable data.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: Kind,
    pub lifecycle: Lifecycle,
    pub number: Option<String>,
    /// The last submitted version (0 while a draft).
    pub version: i32,
    /// How many times the data was saved; a submission names the edit it checked.
    pub edits: i64,
    pub data: serde_json::Value,
    pub columns: ApplicationColumns,
    /// The officer's message while the application is in REVISION.
    pub revision_message: Option<String>,
    pub cancellation_requested_at: Option<OffsetDateTime>,
    /// The key of the request that submitted it.
    pub idempotency_key: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
    pub concluded_at: Option<OffsetDateTime>,
}

/// One line of My Applications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationSummary {
    pub id: Uuid,
    pub kind: Kind,
    pub lifecycle: Lifecycle,
    pub number: Option<String>,
    pub columns: ApplicationColumns,
    pub cancellation_requested_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
    pub concluded_at: Option<OffsetDateTime>,
}

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: Kind,
    pub data: serde_json::Value,
    pub columns: ApplicationColumns,
    pub now: OffsetDateTime,
    pub audit: NewAuditEntry,
}

/// A save of an editable application's data.
#[derive(Debug, Clone)]
pub struct ApplicationEdit {
    pub owner: Uuid,
    pub id: Uuid,
    /// The edit the caller read; a later one wins over this save, which is refused.
    pub expected_edits: i64,
    pub data: serde_json::Value,
    pub columns: ApplicationColumns,
    /// Every document the data now uses; citations of others (not frozen) are dropped.
    pub documents: Vec<Uuid>,
    pub now: OffsetDateTime,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    Saved {
        edits: i64,
    },
    NotFound,
    /// Only a draft or an application in revision can be edited.
    NotEditable,
    /// Someone saved in between; reload and apply the change again.
    Stale,
    /// A cited document is not (or no longer) the owner's.
    MissingDocuments(Vec<Uuid>),
}

/// "Create My Application": everything that becomes true at once.
#[derive(Debug, Clone)]
pub struct Submission {
    pub owner: Uuid,
    pub id: Uuid,
    /// Repeats of one request (a double click, a retried call) get the first answer.
    pub idempotency_key: Option<String>,
    /// The edit the rules were checked on.
    pub expected_edits: i64,
    /// What was submitted, frozen as version 1 (the data and the profile it was checked with).
    pub snapshot: serde_json::Value,
    pub columns: ApplicationColumns,
    pub documents: Vec<Uuid>,
    pub year: i32,
    /// The kinds whose pending applications stop this one (the kind's rule).
    pub blocked_by: Vec<Kind>,
    pub now: OffsetDateTime,
    /// The confirmation; [`NUMBER_PLACEHOLDER`] in it becomes the number.
    pub mail: Option<NewMail>,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    Submitted {
        number: String,
    },
    /// This key already created this application.
    AlreadySubmitted {
        number: String,
    },
    /// This key was used for another application.
    KeyReused,
    NotFound,
    /// The application is not a draft (it was submitted by another request).
    NotDraft(Lifecycle),
    /// Another application of the owner is pending.
    OtherPending {
        number: Option<String>,
    },
    Stale,
    MissingDocuments(Vec<Uuid>),
}

/// One move of the lifecycle, by anyone.
#[derive(Debug, Clone)]
pub struct Transition {
    pub id: Uuid,
    /// When an applicant acts, only their own applications are found.
    pub owner: Option<Uuid>,
    pub event: Event,
    pub actor: Actor,
    pub reason: Option<String>,
    /// Whether the application's fee policy asks for a payment.
    pub fees_due: bool,
    /// A resubmission: the edit checked, the new frozen version and the documents it uses.
    pub resubmission: Option<Resubmission>,
    pub now: OffsetDateTime,
    pub mail: Option<NewMail>,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone)]
pub struct Resubmission {
    pub expected_edits: i64,
    pub snapshot: serde_json::Value,
    pub columns: ApplicationColumns,
    pub documents: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionOutcome {
    Moved { lifecycle: Lifecycle, version: i32 },
    NotFound,
    Refused(TransitionError),
    Stale,
    MissingDocuments(Vec<Uuid>),
}

/// One entry of an application's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationEventRecord {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub event: Event,
    pub from: Lifecycle,
    pub to: Lifecycle,
    pub reason: Option<String>,
    /// The version the application was at after the move.
    pub version: i32,
}

/// A submitted version, as frozen.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationVersion {
    pub version: i32,
    pub snapshot: serde_json::Value,
    pub submitted_at: OffsetDateTime,
}

/// What the creation rules need from the owner's other applications.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionFacts {
    /// The owner's other submitted, undecided applications.
    pub pending: Vec<PendingApplication>,
    pub previous_exemptions: Vec<PreviousExemption>,
}

/// A submitted application of the owner that is not yet decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingApplication {
    pub kind: Kind,
    pub number: Option<String>,
}

impl SubmissionFacts {
    /// The first pending application of one of `kinds` (those that block a new application).
    pub fn pending_of(&self, kinds: &[Kind]) -> Option<&PendingApplication> {
        self.pending.iter().find(|p| kinds.contains(&p.kind))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteDraftOutcome {
    Deleted,
    NotFound,
    NotDraft,
}

/// `2026-000042`: the year of submission and a serial unique across all years and instances.
pub(crate) fn application_number(year: i32, serial: i64) -> String {
    format!("{year}-{serial:06}")
}

/// Who a transition's actor acts as. An applicant only ever moves their own application.
pub(crate) fn transition_role(transition: &Transition) -> Result<Role, StoreError> {
    match transition.actor {
        Actor::User(user) if transition.owner == Some(user) => Ok(Role::Applicant),
        Actor::Officer(_) => Ok(Role::Officer),
        Actor::System => Ok(Role::System),
        Actor::User(_) | Actor::Anonymous => Err(StoreError::Backend(
            "an applicant's transition must be scoped to their own application".into(),
        )),
    }
}

/// What a submission leaves besides the application's own row, the same on every database.
pub(crate) struct SubmissionRecords<'a> {
    pub event: NewEvent<'a>,
    pub audit: NewAuditEntry,
    pub mail: Option<NewMail>,
}

impl Submission {
    /// The history entry, audit entry and confirmation mail of this submission under `number`.
    pub(crate) fn records(
        &self,
        from: Lifecycle,
        to: Lifecycle,
        number: &str,
    ) -> SubmissionRecords<'_> {
        SubmissionRecords {
            event: NewEvent {
                application: self.id,
                at: self.now,
                actor: &self.audit.actor,
                event: Event::Submit,
                from,
                to,
                reason: None,
                version: 1,
            },
            audit: self.audit.clone().detail("number", number.to_owned()),
            mail: self
                .mail
                .as_ref()
                .map(|mail| mail_with_number(mail, number)),
        }
    }
}

/// The confirmation mail with the number drawn for it.
pub(crate) fn mail_with_number(mail: &NewMail, number: &str) -> NewMail {
    NewMail {
        subject: mail.subject.replace(NUMBER_PLACEHOLDER, number),
        body_text: mail.body_text.replace(NUMBER_PLACEHOLDER, number),
        body_html: mail
            .body_html
            .as_ref()
            .map(|html| html.replace(NUMBER_PLACEHOLDER, number)),
        ..mail.clone()
    }
}

/// The status codes of applications that block another one.
pub(crate) fn pending_status_codes() -> Vec<&'static str> {
    izin_domain::application::Status::ALL
        .into_iter()
        .filter(|s| s.is_pending())
        .map(|s| s.code())
        .collect()
}

/// One move to append to an application's history.
pub(crate) struct NewEvent<'a> {
    pub application: Uuid,
    pub at: OffsetDateTime,
    pub actor: &'a Actor,
    pub event: Event,
    pub from: Lifecycle,
    pub to: Lifecycle,
    pub reason: Option<&'a str>,
    pub version: i32,
}
