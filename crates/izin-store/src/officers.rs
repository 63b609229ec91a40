//! Officers: what is stored about them and the store's part in adding and disabling them. Each
//! change is written with its audit entry in one transaction.

use crate::StoreError;
use crate::model::NewAuditEntry;
use async_trait::async_trait;
use izin_domain::officer::{Authority, Roles};
use izin_domain::records::Officer;
use time::OffsetDateTime;
use uuid::Uuid;

/// An officer to add, with the second factor handed over at enrolment.
#[derive(Debug, Clone)]
pub struct NewOfficer {
    pub id: Uuid,
    pub email: String,
    /// The address as compared (`EmailAddress::key`): one officer per address.
    pub email_key: String,
    pub authority: Authority,
    pub roles: Roles,
    pub totp_secret: Vec<u8>,
    /// SHA-256 hashes of the one-time recovery codes.
    pub recovery_hashes: Vec<String>,
    pub now: OffsetDateTime,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOfficerOutcome {
    Added,
    /// An officer with this address exists (disabled or not): nothing was written.
    EmailTaken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisableOfficerOutcome {
    Disabled,
    AlreadyDisabled,
    NotFound,
}

/// What checks an officer's second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactor {
    pub totp_secret: Vec<u8>,
    /// The step of the last accepted code.
    pub totp_last_step: Option<i64>,
}

#[async_trait]
pub trait OfficerStore: Send + Sync + 'static {
    async fn add_officer(&self, officer: NewOfficer) -> Result<AddOfficerOutcome, StoreError>;
    /// The officers of `authority` (of every authority for `None`), by address.
    async fn officers(&self, authority: Option<Authority>) -> Result<Vec<Officer>, StoreError>;
    async fn officer_by_email_key(&self, email_key: &str) -> Result<Option<Officer>, StoreError>;
    /// The officer's TOTP secret and the step last used.
    async fn second_factor(&self, officer: Uuid) -> Result<Option<SecondFactor>, StoreError>;
    /// Records `step` as the officer's last used TOTP step if it is later than the one stored:
    /// whether it was (false: that step or a later one was used already, by this request's
    /// twin on any instance). The replay guard, atomic across instances.
    async fn use_totp_step(&self, officer: Uuid, step: i64) -> Result<bool, StoreError>;
    /// Uses up the recovery code with this hash: whether it was there unused.
    async fn use_recovery_code(
        &self,
        officer: Uuid,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;
    /// Disables the officer with this address, with the audit entry.
    async fn disable_officer(
        &self,
        email_key: &str,
        now: OffsetDateTime,
        audit: NewAuditEntry,
    ) -> Result<DisableOfficerOutcome, StoreError>;
}

/// Reads the roles column (`evaluator,approver`).
pub(crate) fn roles_column(text: &str) -> Result<Roles, StoreError> {
    Roles::parse(text).map_err(|e| StoreError::Corrupt(format!("officer roles {text:?}: {e}")))
}

/// Reads the authority column.
pub(crate) fn authority_column(text: &str) -> Result<Authority, StoreError> {
    Authority::parse(text).ok_or_else(|| StoreError::Corrupt(format!("officer authority {text:?}")))
}
