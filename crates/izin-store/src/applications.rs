//! The records of applications as storage reads and writes them: drafts, submissions, the
//! versions frozen at each submission and the append-only history of transitions.
//!
//! Storage never decides whether a move is allowed: it calls [`Lifecycle::apply`] inside its
//! transaction, on the state it has just locked, so two instances can never both move one
//! application.

use crate::StoreError;
use crate::model::{NewAuditEntry, NewMail};
use izin_domain::application::{
    Blocking, Event, ExemptionStatus, Facts, Kind, Lifecycle, PreviousExemption, Role, Status,
    TransitionError,
};
use izin_domain::audit::Actor;
use izin_domain::back_office::{OfficerDecision, QueueColumns};
use izin_domain::identifiers::ApplicationNumber;
use izin_domain::officer::Authority;
pub use izin_domain::records::{
    ApplicationColumns, ApplicationEventRecord, ApplicationRecord, ApplicationSummary,
    ApplicationVersion, PendingApplication,
};
use std::sync::Arc;
use time::OffsetDateTime;
use uuid::Uuid;

/// The confirmation mail of a submission, written by the services from their templates once the
/// number is known: the number is drawn inside the submitting transaction, which queues the mail.
#[derive(Clone)]
pub struct MailForNumber(Arc<dyn Fn(&ApplicationNumber) -> NewMail + Send + Sync>);

impl MailForNumber {
    pub fn new(write: impl Fn(&ApplicationNumber) -> NewMail + Send + Sync + 'static) -> Self {
        Self(Arc::new(write))
    }

    pub fn write(&self, number: &ApplicationNumber) -> NewMail {
        (self.0)(number)
    }
}

impl std::fmt::Debug for MailForNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailForNumber(..)")
    }
}

/// A new draft.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: Kind,
    /// The owner's application this one is about, if any.
    pub parent: Option<Uuid>,
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
    /// What the officers' queue lists, searches and filters on.
    pub queue: Option<QueueColumns>,
    pub year: i32,
    /// Which pending applications stop this one (the kind's rule).
    pub blocking: Blocking,
    pub now: OffsetDateTime,
    /// The confirmation, written with the number drawn.
    pub mail: Option<MailForNumber>,
    /// A kind whose price is fixed at submission (a new card for a lost card or a change of
    /// personal information) is due for payment at once: the store moves it on to
    /// PAYMENT_PENDING (`RequirePayment`, system actor) and leaves this notice, in the same
    /// transaction.
    pub payment: Option<crate::payments::NewNotice>,
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
    /// What an approval starts, as the application's kind declares it.
    pub approval_outcome: Option<ExemptionStatus>,
    /// A resubmission: the edit checked, the new frozen version and the documents it uses.
    pub resubmission: Option<Resubmission>,
    /// An officer's move: whose application it must be, and what the decision leaves.
    pub officer: Option<OfficerScope>,
    /// A move into PAYMENT_PENDING leaves this notice (and sends its mail instead of `mail`).
    pub payment: Option<crate::payments::NewNotice>,
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
    /// The queue's columns, from the profile frozen again.
    pub queue: Option<QueueColumns>,
}

/// An officer's part in a transition.
#[derive(Debug, Clone)]
pub struct OfficerScope {
    /// The authority whose application it must be (another's is not found).
    pub authority: Authority,
    /// The officer who must hold the application (the one acting, or the one whose proposal a
    /// second officer confirms); `None`: a move any officer of the authority may make (cancelling
    /// an exemption).
    pub holder: Option<Uuid>,
    /// The decision the applicant reads from now on (`None` leaves the last one).
    pub decision: Option<OfficerDecision>,
    /// A four-eyes proposal the move settles is cleared.
    pub clear_proposal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionOutcome {
    Moved {
        lifecycle: Lifecycle,
        version: i32,
    },
    NotFound,
    /// An officer acted on an application another officer holds, or nobody does.
    NotHolder {
        held_by: Option<Uuid>,
    },
    Refused(TransitionError),
    Stale,
    MissingDocuments(Vec<Uuid>),
}

impl OfficerScope {
    /// Whether the officer may move an application of `authority` held by `held_by`: another
    /// authority's is not found; one the officer does not hold is refused.
    pub(crate) fn admits(
        &self,
        authority: Option<&str>,
        held_by: Option<Uuid>,
    ) -> Result<(), TransitionOutcome> {
        if authority != Some(self.authority.code()) {
            return Err(TransitionOutcome::NotFound);
        }
        if self.holder.is_some_and(|holder| held_by != Some(holder)) {
            return Err(TransitionOutcome::NotHolder { held_by });
        }
        Ok(())
    }
}

/// The queue's columns as written, NULL where unknown (or for an application without them).
pub(crate) struct QueueValues<'a> {
    pub authority: Option<&'static str>,
    pub applicant_name: Option<&'a str>,
    pub applicant_key: Option<&'a str>,
    pub applicant_key_given: Option<&'a str>,
    pub nationality: Option<&'a str>,
    pub foreigner_id: Option<&'a str>,
    pub passport_number: Option<&'a str>,
}

impl<'a> QueueValues<'a> {
    pub(crate) fn of(queue: Option<&'a QueueColumns>) -> Self {
        QueueValues {
            authority: queue.map(|q| q.authority.code()),
            applicant_name: queue.map(|q| q.applicant_name.as_str()),
            applicant_key: queue.map(|q| q.applicant_key.as_str()),
            applicant_key_given: queue.map(|q| q.applicant_key_given.as_str()),
            nationality: queue.and_then(|q| q.nationality.as_deref()),
            foreigner_id: queue.and_then(|q| q.foreigner_id.as_deref()),
            passport_number: queue.and_then(|q| q.passport_number.as_deref()),
        }
    }
}

/// What the creation rules need from the owner's other applications.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionFacts {
    /// The owner's other submitted, undecided applications.
    pub pending: Vec<PendingApplication>,
    pub previous_exemptions: Vec<PreviousExemption>,
}

impl SubmissionFacts {
    /// The first pending application that stops a new one about `parent` under `blocking`.
    pub fn pending_blocking(
        &self,
        blocking: &Blocking,
        parent: Option<Uuid>,
    ) -> Option<&PendingApplication> {
        blocking.first_blocking(parent, &self.pending)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteDraftOutcome {
    Deleted,
    NotFound,
    NotDraft,
}

/// The number of the `serial`-th submission (the serial as the database's counter returns it).
pub(crate) fn application_number(year: i32, serial: i64) -> Result<ApplicationNumber, StoreError> {
    let serial = u64::try_from(serial)
        .map_err(|_| StoreError::Corrupt(format!("application number serial {serial}")))?;
    Ok(ApplicationNumber::issue(year, serial))
}

/// What a submission finds in the database, read inside its transaction on the locked rows.
pub(crate) struct SubmissionFindings {
    /// The application this idempotency key already submitted, with its number.
    pub earlier_with_key: Option<(Uuid, Option<String>)>,
    pub current: Option<ApplicationRecord>,
    /// The owner's other pending applications.
    pub pending: Vec<PendingApplication>,
    /// Cited documents that are not the owner's.
    pub missing_documents: Vec<Uuid>,
}

impl Submission {
    /// The one ladder both databases climb: a repeated key gets the first answer (or is refused
    /// if it submitted another application), then the application must exist, be a draft, be
    /// the edit the rules were checked on, have no blocking pending application beside it and
    /// cite only the owner's documents. `Ok` holds the move (from, to) the submission makes.
    pub(crate) fn decide(
        &self,
        found: SubmissionFindings,
    ) -> Result<(Lifecycle, Lifecycle), SubmitOutcome> {
        if let Some((id, number)) = found.earlier_with_key {
            return Err(match number {
                Some(number) if id == self.id => SubmitOutcome::AlreadySubmitted { number },
                _ => SubmitOutcome::KeyReused,
            });
        }
        let current = found.current.ok_or(SubmitOutcome::NotFound)?;
        let next = current
            .lifecycle
            .apply(Event::Submit, Role::Applicant, Facts::default())
            .map_err(|_| SubmitOutcome::NotDraft(current.lifecycle))?;
        if current.edits != self.expected_edits {
            return Err(SubmitOutcome::Stale);
        }
        if let Some(pending) = self.blocking.first_blocking(current.parent, &found.pending) {
            return Err(SubmitOutcome::OtherPending {
                number: pending.number.clone(),
            });
        }
        if !found.missing_documents.is_empty() {
            return Err(SubmitOutcome::MissingDocuments(found.missing_documents));
        }
        Ok((current.lifecycle, next))
    }
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
        number: &ApplicationNumber,
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
            audit: self
                .audit
                .clone()
                .detail("number", number.as_str().to_owned()),
            mail: self.mail.as_ref().map(|mail| mail.write(number)),
        }
    }
}

/// A lifecycle as stored in its two columns.
pub(crate) fn stored_lifecycle(
    status: &str,
    exemption: Option<&str>,
) -> Result<Lifecycle, StoreError> {
    Ok(Lifecycle {
        status: Status::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("application status {status:?}")))?,
        exemption: exemption
            .map(|e| {
                ExemptionStatus::parse(e)
                    .ok_or_else(|| StoreError::Corrupt(format!("exemption status {e:?}")))
            })
            .transpose()?,
    })
}

/// A kind as stored.
pub(crate) fn stored_kind(code: &str) -> Result<Kind, StoreError> {
    Kind::parse(code).ok_or_else(|| StoreError::Corrupt(format!("application kind {code:?}")))
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

#[cfg(test)]
mod tests {
    use super::*;
    use izin_domain::application::Status;
    use izin_domain::audit::{AuditAction, ClientInfo};

    const T0: OffsetDateTime = OffsetDateTime::UNIX_EPOCH;

    fn submission(id: Uuid) -> Submission {
        let owner = Uuid::from_u128(1);
        Submission {
            payment: None,
            owner,
            id,
            idempotency_key: Some("key-1".into()),
            expected_edits: 3,
            snapshot: serde_json::json!({}),
            columns: ApplicationColumns::default(),
            documents: Vec::new(),
            queue: None,
            year: 2026,
            blocking: Blocking {
                kinds: vec![Kind::WorkPermitExemption],
                same_parent: false,
            },
            now: T0,
            mail: None,
            audit: NewAuditEntry::new(
                T0,
                Actor::User(owner),
                AuditAction::ApplicationMoved,
                &ClientInfo::default(),
            ),
        }
    }

    fn draft(id: Uuid, edits: i64) -> ApplicationRecord {
        ApplicationRecord {
            id,
            user_id: Uuid::from_u128(1),
            kind: Kind::WorkPermitExemption,
            parent: None,
            lifecycle: Lifecycle::NEW,
            number: None,
            version: 0,
            edits,
            data: serde_json::json!({}),
            columns: ApplicationColumns::default(),
            revision_message: None,
            cancellation_requested_at: None,
            idempotency_key: None,
            assigned_to: None,
            decision: None,
            proposal: None,
            created_at: T0,
            updated_at: T0,
            submitted_at: None,
            concluded_at: None,
        }
    }

    fn found(current: Option<ApplicationRecord>) -> SubmissionFindings {
        SubmissionFindings {
            earlier_with_key: None,
            current,
            pending: Vec::new(),
            missing_documents: Vec::new(),
        }
    }

    #[test]
    fn a_current_draft_without_obstacles_is_submitted() {
        let id = Uuid::from_u128(7);
        let (from, to) = submission(id)
            .decide(found(Some(draft(id, 3))))
            .expect("submitted");
        assert_eq!(from.status, Status::Draft);
        assert_ne!(to.status, Status::Draft);
    }

    #[test]
    fn the_ladder_answers_in_its_order() {
        let id = Uuid::from_u128(7);
        let s = submission(id);
        // A repeated key wins over everything else, even a missing application.
        let mut repeat = found(None);
        repeat.earlier_with_key = Some((id, Some("2026-000001".into())));
        assert_eq!(
            s.decide(repeat),
            Err(SubmitOutcome::AlreadySubmitted {
                number: "2026-000001".into()
            })
        );
        let mut reused = found(Some(draft(id, 3)));
        reused.earlier_with_key = Some((Uuid::from_u128(8), Some("2026-000002".into())));
        assert_eq!(s.decide(reused), Err(SubmitOutcome::KeyReused));
        assert_eq!(s.decide(found(None)), Err(SubmitOutcome::NotFound));
        let mut submitted = draft(id, 3);
        submitted.lifecycle.status = Status::Submitted;
        assert!(matches!(
            s.decide(found(Some(submitted))),
            Err(SubmitOutcome::NotDraft(_))
        ));
        assert_eq!(
            s.decide(found(Some(draft(id, 4)))),
            Err(SubmitOutcome::Stale)
        );
        let mut blocked = found(Some(draft(id, 3)));
        blocked.pending = vec![PendingApplication {
            kind: Kind::WorkPermitExemption,
            number: Some("2026-000003".into()),
            parent: None,
        }];
        blocked.missing_documents = vec![Uuid::from_u128(9)];
        assert_eq!(
            s.decide(blocked),
            Err(SubmitOutcome::OtherPending {
                number: Some("2026-000003".into())
            })
        );
        let mut foreign = found(Some(draft(id, 3)));
        foreign.missing_documents = vec![Uuid::from_u128(9)];
        assert_eq!(
            s.decide(foreign),
            Err(SubmitOutcome::MissingDocuments(vec![Uuid::from_u128(9)]))
        );
    }
}
