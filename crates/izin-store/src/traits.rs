//! The storage traits. A backend implements all of them; services hold an `Arc<dyn Store>`.

use crate::StoreError;
use crate::applications::*;
use crate::back_office::BackOfficeStore;
use crate::cargo::CargoStore;
use crate::model::*;
use crate::officers::OfficerStore;
use crate::payments::PaymentStore;
use crate::proof_documents::ProofDocumentStore;
use crate::registry::RegistryStore;
use async_trait::async_trait;
use izin_domain::Language;
use izin_domain::profile::Profile;
use izin_domain::ways_in::Declaration;
use std::collections::{BTreeSet, HashSet};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Everything the portal stores.
pub trait Store:
    HealthStore
    + SettingsStore
    + AuthStore
    + SessionStore
    + UserStore
    + OutboxStore
    + AuditStore
    + ProfileStore
    + DocumentStore
    + ApplicationStore
    + RegistryStore
    + OfficerStore
    + BackOfficeStore
    + PaymentStore
    + ProofDocumentStore
    + CargoStore
{
}

impl<T> Store for T where
    T: HealthStore
        + SettingsStore
        + AuthStore
        + SessionStore
        + UserStore
        + OutboxStore
        + AuditStore
        + ProfileStore
        + DocumentStore
        + ApplicationStore
        + RegistryStore
        + OfficerStore
        + BackOfficeStore
        + PaymentStore
        + ProofDocumentStore
        + CargoStore
{
}

#[async_trait]
pub trait HealthStore: Send + Sync + 'static {
    /// Answers when the database can serve a query.
    async fn ping(&self) -> Result<(), StoreError>;
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Removes records past their retention in one pass; safe to run from several instances.
    async fn purge(&self, retention: Retention) -> Result<PurgeReport, StoreError>;
}

/// Values shared by every instance, such as the server's secret keys.
#[async_trait]
pub trait SettingsStore: Send + Sync + 'static {
    /// Returns the secret stored under `name`, storing `candidate` first if there is none yet.
    /// Concurrent first calls from several instances all get the same value.
    async fn secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>, StoreError>;
}

/// Sign-in codes and the sign-in they lead to.
#[async_trait]
pub trait AuthStore: Send + Sync + 'static {
    /// Checks the limits, then stores the code, queues its mail and audits the request, all at
    /// once. A refusal is audited too.
    async fn issue_login_code(&self, request: IssueLoginCode) -> Result<IssueOutcome, StoreError>;

    /// Decides an entered code. A right code is consumed, the account is created on first use,
    /// the session is stored and the sign-in audited, all at once; a wrong one is counted.
    /// A code issued with a declared passport identity signs in only if the registry matched
    /// it; the account then keeps the declaration (as declared, not verified), audited.
    async fn sign_in_with_code(&self, attempt: CodeAttempt) -> Result<SignInOutcome, StoreError>;

    /// The last passport identity the user declared to sign in, and when.
    async fn declared_identity(
        &self,
        user: Uuid,
    ) -> Result<Option<(Declaration, OffsetDateTime)>, StoreError>;

    /// Counts a hit in a fixed window of `window` starting at a multiple of it; refuses past
    /// `limit`. Returns the seconds until the window ends when refused.
    async fn hit_rate_limit(
        &self,
        bucket: &str,
        window: Duration,
        limit: u32,
        now: OffsetDateTime,
    ) -> Result<Result<(), i64>, StoreError>;
}

#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    async fn session(&self, token_hash: &Hash32) -> Result<Option<SessionRecord>, StoreError>;
    /// Records activity; does nothing for an ended session.
    async fn touch_session(
        &self,
        token_hash: &Hash32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// Ends a session and audits it. Returns whether there was one.
    async fn end_session(
        &self,
        token_hash: &Hash32,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError>;
}

#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    async fn user(&self, id: Uuid) -> Result<Option<User>, StoreError>;
    async fn user_by_email_key(&self, email_key: &str) -> Result<Option<User>, StoreError>;
    /// Remembers the language mail to this user is written in.
    async fn set_user_language(
        &self,
        id: Uuid,
        language: Language,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;
}

/// The durable queue of outgoing mail.
#[async_trait]
pub trait OutboxStore: Send + Sync + 'static {
    async fn enqueue_mail(&self, mail: NewMail, now: OffsetDateTime) -> Result<i64, StoreError>;
    /// Leases up to `limit` due messages to one worker for `lease`; other workers skip them.
    async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError>;
    /// Marks a message sent and forgets its body.
    async fn mark_mail_delivered(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError>;
    /// Records a failed attempt; the message is tried again at `retry_at`.
    async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), StoreError>;
    /// Gives up on a message that is no longer useful (an expired code) and forgets its body.
    async fn mark_mail_expired(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError>;
    /// Gives up on a message no retry can deliver (a refused address), keeping the reason.
    async fn mark_mail_undeliverable(
        &self,
        id: i64,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
    async fn outbox_stats(&self) -> Result<OutboxStats, StoreError>;
}

/// The append-only audit log.
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    async fn append_audit(&self, entry: NewAuditEntry) -> Result<i64, StoreError>;
    /// The newest entries first, optionally only those about one subject.
    async fn audit_entries(
        &self,
        subject: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError>;
}

/// The User Information sections.
#[async_trait]
pub trait ProfileStore: Send + Sync + 'static {
    /// The user's profile; empty sections when nothing was saved yet.
    async fn profile(&self, user_id: Uuid) -> Result<Profile, StoreError>;
    /// Stores one section alone (the others stay as they are) and audits it.
    async fn save_profile_section(
        &self,
        user_id: Uuid,
        data: SectionData,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;
    /// Marks fields (`personal.first_name`, …) as confirmed by a registry.
    async fn set_verified_fields(
        &self,
        user_id: Uuid,
        fields: BTreeSet<String>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
}

/// Users' documents. Every read is scoped to the owner, so another user's document is simply
/// not there.
#[async_trait]
pub trait DocumentStore: Send + Sync + 'static {
    async fn insert_document(
        &self,
        document: Document,
        audit: NewAuditEntry,
    ) -> Result<(), StoreError>;
    async fn document(&self, owner: Uuid, id: Uuid) -> Result<Option<Document>, StoreError>;
    /// The owner's documents, newest first, with the applications citing each.
    async fn documents(&self, owner: Uuid) -> Result<Vec<DocumentListing>, StoreError>;
    /// Removes a document no submitted application cites (draft citations go with it).
    async fn delete_document(
        &self,
        owner: Uuid,
        id: Uuid,
        audit: NewAuditEntry,
    ) -> Result<DeleteOutcome, StoreError>;
    /// Stores `new` as the successor of `old`; drafts citing `old` now cite `new`; `old` is
    /// removed unless a submitted application cites it.
    async fn replace_document(
        &self,
        owner: Uuid,
        old: Uuid,
        new: Document,
        audit: NewAuditEntry,
    ) -> Result<ReplaceOutcome, StoreError>;
    /// Records that an application uses a document; `frozen` once the application is submitted.
    async fn cite_document(
        &self,
        document_id: Uuid,
        application_id: Uuid,
        application_number: Option<&str>,
        frozen: bool,
    ) -> Result<(), StoreError>;
    /// Which of `keys` belong to a stored document (the rest are orphans to sweep).
    async fn known_storage_keys(&self, keys: &[String]) -> Result<HashSet<String>, StoreError>;
}

/// Applications of every kind. Reads take the owner when an applicant asks, so another user's
/// application is simply not there; officers and the system pass `None`.
#[async_trait]
pub trait ApplicationStore: Send + Sync + 'static {
    /// Stores a new draft and audits it.
    async fn create_application(&self, new: NewApplication) -> Result<(), StoreError>;
    async fn application(
        &self,
        owner: Option<Uuid>,
        id: Uuid,
    ) -> Result<Option<ApplicationRecord>, StoreError>;
    /// The owner's applications, drafts included, newest first.
    async fn applications(&self, owner: Uuid) -> Result<Vec<ApplicationSummary>, StoreError>;
    /// Saves a draft's (or a revision's) data and the documents it cites, unless a later save won.
    async fn save_application(&self, edit: ApplicationEdit) -> Result<EditOutcome, StoreError>;
    /// Removes a draft and its citations; submitted applications are never deleted.
    async fn delete_draft(
        &self,
        owner: Uuid,
        id: Uuid,
        audit: NewAuditEntry,
    ) -> Result<DeleteDraftOutcome, StoreError>;
    /// "Create My Application": draws the number, freezes version 1 and its documents, records
    /// the move, queues the confirmation and audits, all at once; refused if another application
    /// of the owner is pending.
    async fn submit_application(&self, submission: Submission)
    -> Result<SubmitOutcome, StoreError>;
    /// Any other move of the lifecycle, decided by [`izin_domain::application::Lifecycle::apply`]
    /// on the locked current state, recorded in the history and audited with its mail.
    async fn transition_application(
        &self,
        transition: Transition,
    ) -> Result<TransitionOutcome, StoreError>;
    /// Every move of one application, oldest first.
    async fn application_history(
        &self,
        id: Uuid,
    ) -> Result<Vec<ApplicationEventRecord>, StoreError>;
    /// The frozen versions of one application, oldest first.
    async fn application_versions(&self, id: Uuid) -> Result<Vec<ApplicationVersion>, StoreError>;
    /// The owner's applications among `ids`; ids that are not the owner's are left out. One
    /// read for a whole page, so a list that weighs what can be done about each application
    /// does not cost a round trip a row.
    async fn applications_among(
        &self,
        owner: Uuid,
        ids: Vec<Uuid>,
    ) -> Result<Vec<ApplicationRecord>, StoreError>;
    /// The owner's other applications as the creation rules see them.
    async fn submission_facts(
        &self,
        owner: Uuid,
        except: Uuid,
    ) -> Result<SubmissionFacts, StoreError>;
}
