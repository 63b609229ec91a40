//! Izin's services: each use case once, shared by the HTML pages and the JSON API.
//!
//! [`App`] bundles the storage, the clock, the texts, the server keys and the adapters; services
//! borrow from it. Background work (mail delivery, cleanup) runs in [`workers`].

pub mod applications;
pub mod auth;
pub mod back_office;
pub mod cargo;
pub mod documents;
mod failure;
pub mod keys;
pub mod mails;
pub mod officers;
pub mod payments;
pub mod profile;
pub mod proof;
pub mod registries;
pub mod workers;

/// Opening the database, for whoever assembles an [`App`] (the binary, test harnesses): the
/// layers above the services never reach storage otherwise.
pub mod storage {
    pub use izin_store::{DatabaseUrl, open};
}

use izin_adapters::files::FileStore;
use izin_adapters::mail::Mailer;
use izin_domain::Clock;
use izin_domain::catalog::ExemptionCatalog;
use izin_domain::otp::OtpPolicy;
use izin_domain::reference::Reference;
use izin_domain::session::SessionPolicy;
use izin_i18n::Texts;
use izin_store::Store;
use std::sync::Arc;
use tokio::sync::Notify;

pub use failure::StorageFailure;
pub use keys::Keys;
use registries::Registries;

/// The rules an installation runs with (sign-in codes, sessions).
#[derive(Debug, Clone, Copy, Default)]
pub struct Policies {
    pub otp: OtpPolicy,
    pub session: SessionPolicy,
    /// Officers' sessions: 15 minutes idle.
    pub officer_session: OfficerSessionPolicy,
}

/// How long an officer's session lives: shorter than an applicant's, because an officer's
/// screen shows many people's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficerSessionPolicy(pub SessionPolicy);

impl Default for OfficerSessionPolicy {
    fn default() -> Self {
        Self(SessionPolicy {
            idle_timeout: time::Duration::minutes(15),
            absolute_timeout: time::Duration::hours(10),
            warning_before: time::Duration::minutes(2),
            touch_interval: time::Duration::minutes(1),
        })
    }
}

/// Everything a service needs, cheap to clone.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub texts: Arc<Texts>,
    /// Countries, languages, provinces and the closed lists.
    pub reference: Arc<Reference>,
    /// Work-permit-exemption sectors, categories, occupations, currencies and fees.
    pub catalog: Arc<ExemptionCatalog>,
    /// The government registries the wizard asks.
    pub registries: Arc<dyn Registries>,
    pub keys: Arc<Keys>,
    pub policies: Policies,
    pub mailer: Arc<dyn Mailer>,
    pub files: FileStore,
    /// Where Proof Documents point (the portal's address).
    pub proof: Arc<proof::ProofSettings>,
    /// The keys that sign Proof Documents, sealed in the database.
    pub proof_keys: Arc<proof::DocumentKeys>,
    /// The carrier printed cards are handed to.
    pub carrier: Arc<dyn cargo::carrier::Carrier>,
    /// Wakes the mail worker as soon as a message is queued.
    pub mail_queued: Arc<Notify>,
    /// What `/verify` read in the last second (answers, never decides).
    pub recent_verifications: Arc<proof::recent::RecentAnswers>,
}

impl App {
    /// Whether the database answers (readiness for a load balancer).
    pub async fn ping(&self) -> Result<(), StorageFailure> {
        Ok(self.store.ping().await?)
    }

    pub fn auth(&self) -> auth::AuthService<'_> {
        auth::AuthService { app: self }
    }

    pub fn profiles(&self) -> profile::ProfileService<'_> {
        profile::ProfileService { app: self }
    }

    pub fn documents(&self) -> documents::DocumentService<'_> {
        documents::DocumentService { app: self }
    }

    pub fn applications(&self) -> applications::ApplicationService<'_> {
        applications::ApplicationService { app: self }
    }

    /// The authorities' side: officers' sign-in, the queue, evaluation and decisions.
    pub fn back_office(&self) -> back_office::BackOffice<'_> {
        back_office::BackOffice { app: self }
    }
}
