//! The authorities' side of the portal: officers sign in with an e-mail code and a second factor
//! ([`sign_in`]), work through their authority's queue ([`queue`]), evaluate one application
//! ([`evaluation`]) and decide on it ([`decisions`]). Every officer acts only on their own
//! authority's applications (another authority's answer as if they did not exist) and only with
//! the role the action needs; every read of personal data is audited.

pub mod admin;
pub mod decisions;
pub mod evaluation;
pub mod queue;
pub mod registry_checks;
pub mod sign_in;

use crate::App;
use crate::applications::ApplicationError;
use izin_domain::application::{Status, TransitionError};
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::officer::{Authority, Forbidden, OfficerAction, Role, may};
use izin_domain::profile::Violation;
use izin_domain::records::{ApplicationRecord, Officer};
use izin_store::NewAuditEntry;
use uuid::Uuid;

pub use sign_in::{CurrentOfficer, OfficerSessionLookup, OfficerSignInError, SignedInOfficer};

/// The back office's services, borrowing the [`App`].
pub struct BackOffice<'a> {
    pub(crate) app: &'a App,
}

#[derive(Debug, thiserror::Error)]
pub enum BackOfficeError {
    /// Not there, or another authority's: the same answer.
    #[error("no such application")]
    NotFound,
    /// The officer lacks the role the action needs.
    #[error("the {} role is needed", .0.code())]
    RoleMissing(Role),
    /// A four-eyes confirmation by the officer who proposed the approval.
    #[error("the second approval must be another officer's")]
    SameOfficer,
    /// Another officer holds the application.
    #[error("held by {email}")]
    HeldBy { officer: Uuid, email: String },
    /// The officer acted on an application they do not hold.
    #[error("the application must be taken first")]
    NotHolder { held_by: Option<String> },
    /// The lifecycle refuses the move in the current status.
    #[error("refused in {}: {refusal}", .status.code())]
    Transition {
        status: Status,
        refusal: TransitionError,
    },
    /// Nothing is left to do on it (decided, withdrawn).
    #[error("the application is {}", .0.code())]
    NotOpen(Status),
    /// The request's values are wrong; each violation names its field.
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<Violation>),
    /// The amounts use a fee that is not published for `year`: an administrator must confirm
    /// them.
    #[error("the {year} fee is not published; an administrator must confirm the amounts")]
    UnpublishedFee { year: i32 },
    /// No approval waits for a second officer.
    #[error("no approval waits for confirmation")]
    NoProposal,
    /// The file store failed to give a document's bytes.
    #[error("file storage failed: {0}")]
    Files(String),
    #[error(transparent)]
    Application(#[from] ApplicationError),
    /// The payment notice could not be made (the registry could not assign a foreigner
    /// identity number now).
    #[error(transparent)]
    Payment(#[from] crate::payments::PaymentError),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(BackOfficeError);

impl BackOfficeError {
    /// A stable code for clients and logs.
    pub fn code(&self) -> &'static str {
        match self {
            BackOfficeError::NotFound => "not-found",
            BackOfficeError::RoleMissing(_) => "officer-role-missing",
            BackOfficeError::SameOfficer => "officer-second-approval-same-officer",
            BackOfficeError::HeldBy { .. } => "officer-held-by-another",
            BackOfficeError::NotHolder { .. } => "officer-not-holder",
            BackOfficeError::Transition { .. } => "transition-not-allowed",
            BackOfficeError::NotOpen(_) => "officer-application-closed",
            BackOfficeError::Invalid(_) => "invalid",
            BackOfficeError::UnpublishedFee { .. } => "officer-fee-unpublished",
            BackOfficeError::NoProposal => "officer-no-proposal",
            BackOfficeError::Files(_) => "files",
            BackOfficeError::Application(_) => "application-error",
            BackOfficeError::Payment(_) => "payment-notice-failed",
            BackOfficeError::Store(_) => "store",
        }
    }
}

impl From<Forbidden> for BackOfficeError {
    fn from(forbidden: Forbidden) -> Self {
        match forbidden {
            Forbidden::OtherAuthority => BackOfficeError::NotFound,
            Forbidden::RoleMissing(role) => BackOfficeError::RoleMissing(role),
            Forbidden::SameOfficer => BackOfficeError::SameOfficer,
        }
    }
}

impl BackOffice<'_> {
    /// The application `id` if it is submitted and of `officer`'s authority, and the officer may
    /// do `action` on it.
    pub(crate) async fn application_for(
        &self,
        officer: &Officer,
        id: Uuid,
        action: OfficerAction,
    ) -> Result<ApplicationRecord, BackOfficeError> {
        let record = self
            .app
            .store
            .application(None, id)
            .await?
            .filter(|r| r.lifecycle.status != Status::Draft)
            .ok_or(BackOfficeError::NotFound)?;
        let owner = self.authority_of(&record);
        may(officer.authority, &officer.roles, owner, action)?;
        Ok(record)
    }

    pub(crate) fn authority_of(&self, record: &ApplicationRecord) -> Authority {
        self.app.applications().kind(record.kind).authority()
    }

    pub(crate) fn audit(
        &self,
        officer: &Officer,
        action: AuditAction,
        subject: String,
        client: &ClientInfo,
    ) -> NewAuditEntry {
        NewAuditEntry::new(
            self.app.clock.now(),
            Actor::Officer(officer.id),
            action,
            client,
        )
        .subject(subject)
    }

    /// Records that `officer` read personal data about `subject`: `what` was read, and `detail`
    /// which (KVKK: access to applicants' data must be accountable).
    pub(crate) async fn record_read(
        &self,
        officer: &Officer,
        subject: String,
        what: &str,
        detail: Option<(&str, String)>,
        client: &ClientInfo,
    ) -> Result<(), BackOfficeError> {
        let mut entry = self
            .audit(officer, AuditAction::OfficerRead, subject, client)
            .detail("read", what);
        if let Some((key, value)) = detail {
            entry = entry.detail(key, value);
        }
        self.app.store.append_audit(entry).await?;
        Ok(())
    }

    /// The address of officer `id`, for "held by …" (the id when the officer is unknown).
    pub(crate) async fn officer_email(&self, id: Uuid) -> Result<String, BackOfficeError> {
        Ok(self
            .app
            .store
            .officers(None)
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.email))
    }
}
