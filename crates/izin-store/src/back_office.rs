//! The back office's storage: officers' sessions (signed in with an e-mail code and a second
//! factor, separate from applicants' sessions), the work queue (filters, search, keyset pages,
//! counts per status), holding an application (take, release, reassign: one holder at a time),
//! four-eyes proposals and officers' internal notes. Each write is one transaction with its audit
//! entry.

use crate::StoreError;
use crate::model::{CodeCheck, Hash32, NewAuditEntry, NewMail, RightCode};
use async_trait::async_trait;
use izin_domain::application::{Kind, Lifecycle, Status};
use izin_domain::audit::ClientInfo;
use izin_domain::back_office::{Proposal, Search};
use izin_domain::officer::Authority;
use izin_domain::otp::CodeRejection;
use izin_domain::records::Officer;
use time::OffsetDateTime;
use uuid::Uuid;

/// A live officer session, with its officer (never a disabled one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficerSessionRecord {
    pub officer: Officer,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

/// Opens an officer's session with a right code once the second factor held.
#[derive(Debug, Clone)]
pub struct OpenOfficerSession {
    pub code_id: i64,
    pub officer: Uuid,
    pub token_hash: Hash32,
    pub now: OffsetDateTime,
    pub client: ClientInfo,
    pub audit: NewAuditEntry,
}

/// Whose applications the queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assigned {
    Anyone,
    Unassigned,
    To(Uuid),
}

/// Where a page of the queue starts: after this (submission time, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCursor {
    pub submitted_at: OffsetDateTime,
    pub id: Uuid,
}

/// One page of an authority's queue, oldest submission first.
#[derive(Debug, Clone)]
pub struct QueueQuery {
    pub authority: Authority,
    pub status: Option<Status>,
    pub kind: Option<Kind>,
    pub category: Option<String>,
    /// Submitted at or after.
    pub submitted_from: Option<OffsetDateTime>,
    /// Submitted before.
    pub submitted_before: Option<OffsetDateTime>,
    pub nationality: Option<String>,
    pub assigned: Assigned,
    pub search: Option<Search>,
    pub after: Option<QueueCursor>,
    pub limit: u32,
}

impl QueueQuery {
    /// The first page of everything of `authority`.
    pub fn all(authority: Authority, limit: u32) -> QueueQuery {
        QueueQuery {
            authority,
            status: None,
            kind: None,
            category: None,
            submitted_from: None,
            submitted_before: None,
            nationality: None,
            assigned: Assigned::Anyone,
            search: None,
            after: None,
            limit,
        }
    }
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    pub id: Uuid,
    pub number: String,
    pub kind: Kind,
    pub category: Option<String>,
    pub lifecycle: Lifecycle,
    pub applicant_name: Option<String>,
    pub nationality: Option<String>,
    pub submitted_at: OffsetDateTime,
    pub assigned_to: Option<Uuid>,
}

impl QueueItem {
    pub fn cursor(&self) -> QueueCursor {
        QueueCursor {
            submitted_at: self.submitted_at,
            id: self.id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// Where the next page starts, when there is one.
    pub next: Option<QueueCursor>,
}

impl QueuePage {
    /// A page from up to `limit + 1` rows read: the extra row says whether there is more.
    pub(crate) fn of(mut items: Vec<QueueItem>, limit: u32) -> QueuePage {
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next = more.then(|| items.last().map(QueueItem::cursor)).flatten();
        QueuePage { items, next }
    }
}

/// Taking an application from the queue: SUBMITTED moves to UNDER_EVALUATION; an application
/// nobody holds (released, or in revision) is simply taken.
#[derive(Debug, Clone)]
pub struct Take {
    pub id: Uuid,
    pub authority: Authority,
    pub officer: Uuid,
    pub now: OffsetDateTime,
    /// Sent to the applicant when the evaluation starts.
    pub mail: Option<NewMail>,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeOutcome {
    Taken {
        lifecycle: Lifecycle,
    },
    /// Another officer holds it.
    HeldBy(Uuid),
    NotFound,
    /// Nothing is left to evaluate (decided, withdrawn).
    NotOpen(Lifecycle),
}

/// Giving an application to an officer (`None`: back to the queue).
#[derive(Debug, Clone)]
pub struct Assignment {
    pub id: Uuid,
    pub authority: Authority,
    pub to: Option<Uuid>,
    pub now: OffsetDateTime,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignOutcome {
    Assigned,
    NotFound,
    /// Only an application under evaluation or in revision is held.
    NotOpen(Lifecycle),
}

/// Recording (or withdrawing, `None`) a first approval that waits for a second officer.
#[derive(Debug, Clone)]
pub struct ProposalWrite {
    pub id: Uuid,
    pub authority: Authority,
    /// The officer acting, who must hold the application.
    pub officer: Uuid,
    pub proposal: Option<Proposal>,
    pub now: OffsetDateTime,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposalOutcome {
    Recorded,
    NotFound,
    NotHolder { held_by: Option<Uuid> },
    NotUnderEvaluation(Lifecycle),
}

/// An officer's internal note on an application (never shown to the applicant).
#[derive(Debug, Clone)]
pub struct NewNote {
    pub application: Uuid,
    pub authority: Authority,
    pub officer: Uuid,
    pub text: String,
    pub now: OffsetDateTime,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub id: i64,
    pub officer: Uuid,
    pub officer_email: String,
    pub at: OffsetDateTime,
    pub text: String,
}

#[async_trait]
pub trait BackOfficeStore: Send + Sync + 'static {
    /// Checks an officer's sign-in code (a wrong one is counted); a right one is not used yet.
    async fn check_officer_code(
        &self,
        check: CodeCheck,
    ) -> Result<Result<RightCode, CodeRejection>, StoreError>;
    /// Counts a wrong second factor against the code it came with.
    async fn count_wrong_code(&self, code_id: i64) -> Result<(), StoreError>;
    /// Uses the code up and opens the session, audited; false when the code was used meanwhile.
    async fn open_officer_session(&self, open: OpenOfficerSession) -> Result<bool, StoreError>;
    async fn officer_session(
        &self,
        token_hash: &Hash32,
    ) -> Result<Option<OfficerSessionRecord>, StoreError>;
    async fn touch_officer_session(
        &self,
        token_hash: &Hash32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError>;
    async fn end_officer_session(
        &self,
        token_hash: &Hash32,
        audit: NewAuditEntry,
    ) -> Result<bool, StoreError>;

    /// A page of the queue.
    async fn queue(&self, query: QueueQuery) -> Result<QueuePage, StoreError>;
    /// Submitted applications of `authority` per status (kept by the database as they move).
    async fn queue_counts(&self, authority: Authority) -> Result<Vec<(Status, i64)>, StoreError>;
    /// The applicant's other submitted applications at `authority`, newest first.
    async fn other_applications(
        &self,
        authority: Authority,
        user_id: Uuid,
        except: Uuid,
    ) -> Result<Vec<QueueItem>, StoreError>;

    /// Takes an application: one officer wins, the other is told who holds it.
    async fn take_application(&self, take: Take) -> Result<TakeOutcome, StoreError>;
    async fn assign_application(&self, assignment: Assignment)
    -> Result<AssignOutcome, StoreError>;
    async fn set_proposal(&self, write: ProposalWrite) -> Result<ProposalOutcome, StoreError>;
    /// Adds a note; false when the application is not the authority's.
    async fn add_note(&self, note: NewNote) -> Result<bool, StoreError>;
    async fn notes(&self, application: Uuid) -> Result<Vec<NoteRecord>, StoreError>;
}

/// The upper bound of a prefix range: every text starting with `prefix` sorts below it.
pub(crate) fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}
