//! The registry answers an application rests on, as they stood at submission, and an officer's
//! "check again now" for each: the registry is asked again today, and the read is audited (it is
//! a read of personal data).

use super::{BackOffice, BackOfficeError};
use crate::registries::RegistryError;
use izin_domain::application::snapshot::Snapshot;
use izin_domain::application::{RegistryCheck, RegistryFact};
use izin_domain::audit::ClientInfo;
use izin_domain::calendar::{format_date, today_in_turkiye};
use izin_domain::officer::OfficerAction;
use izin_domain::records::{ApplicationVersion, Officer};
use uuid::Uuid;

/// What a registry says now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryAnswer {
    /// What was found, as data (names, codes, dates).
    Found(String),
    NotFound,
}

/// A registry asked again.
#[derive(Debug, Clone)]
pub struct Recheck {
    pub fact: RegistryFact,
    pub now: RegistryAnswer,
}

#[derive(Debug, thiserror::Error)]
pub enum RecheckError {
    #[error(transparent)]
    BackOffice(#[from] BackOfficeError),
    /// The registry did not answer; the officer may try again.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// The registry answers of the last submitted version.
pub fn facts_of(
    kind: &dyn izin_domain::application::ApplicationKind,
    versions: &[ApplicationVersion],
) -> Vec<RegistryFact> {
    versions
        .last()
        .and_then(|v| Snapshot::read(&v.snapshot).ok())
        .and_then(|snapshot| {
            kind.read(&snapshot.data)
                .ok()
                .map(|data| data.registry_facts(&snapshot.profile))
        })
        .unwrap_or_default()
}

impl BackOffice<'_> {
    /// Asks the registry of the application's `index`-th fact again, today.
    pub async fn recheck(
        &self,
        officer: &Officer,
        id: Uuid,
        index: usize,
        client: &ClientInfo,
    ) -> Result<Recheck, RecheckError> {
        let record = self
            .application_for(officer, id, OfficerAction::Read)
            .await?;
        let kind = self.app.applications().kind(record.kind);
        let versions = self
            .app
            .store
            .application_versions(id)
            .await
            .map_err(BackOfficeError::from)?;
        let fact = facts_of(kind.as_ref(), &versions)
            .into_iter()
            .nth(index)
            .ok_or(BackOfficeError::NotFound)?;
        self.record_read(
            officer,
            format!("application:{id}"),
            "registry",
            Some(("registry", fact.check.code().to_owned())),
            client,
        )
        .await?;
        let registries = &self.app.registries;
        let today = today_in_turkiye(self.app.clock.now());
        let found =
            |text: Option<String>| text.map_or(RegistryAnswer::NotFound, RegistryAnswer::Found);
        let now = match &fact.check {
            RegistryCheck::ResidenceRight(foreigner_id) => found(
                registries
                    .active_residence_right(foreigner_id, today)
                    .await?
                    .map(|r| {
                        format!(
                            "{} {} – {}",
                            r.kind.code(),
                            format_date(r.valid_from),
                            format_date(r.valid_until)
                        )
                    }),
            ),
            RegistryCheck::Entry {
                passport,
                country,
                birth_year,
            } => found(
                registries
                    .in_turkiye_since(passport, country, *birth_year, today)
                    .await?
                    .map(format_date),
            ),
            RegistryCheck::ConsulateReference(reference) => found(
                registries
                    .consulate_reference(reference)
                    .await?
                    .map(|r| format!("{} ({})", r.passport_number.as_str(), r.birth_year)),
            ),
            RegistryCheck::Address(code) => found(
                registries
                    .address(code)
                    .await?
                    .map(|a| format!("{} — {} / {}", a.text, a.province, a.district)),
            ),
            RegistryCheck::Workplace(sgk) => found(
                registries
                    .workplace(sgk)
                    .await?
                    .map(|w| format!("{}, {} / {}", w.name, w.province, w.district)),
            ),
        };
        Ok(Recheck { fact, now })
    }
}
