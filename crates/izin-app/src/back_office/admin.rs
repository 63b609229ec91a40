//! An authority's administrators manage its officers from the back office: add one (the second
//! factor is shown once, to hand over, like `izin officer add` prints it) and disable one (their
//! sessions end at once). Only an officer with the admin role, and only for their own authority;
//! every change is audited.

use super::{BackOffice, BackOfficeError};
use crate::officers::{self, Enrolment, OfficerError};
use izin_domain::EmailAddress;
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::officer::{Role, Roles};
use izin_domain::profile::Violation;
use izin_domain::records::Officer;

fn admin_only(admin: &Officer) -> Result<(), BackOfficeError> {
    if admin.roles.has(Role::Admin) {
        Ok(())
    } else {
        Err(BackOfficeError::RoleMissing(Role::Admin))
    }
}

fn invalid(field: &str, code: &'static str) -> BackOfficeError {
    BackOfficeError::Invalid(vec![Violation::new(field, code)])
}

impl BackOffice<'_> {
    /// The officers of the administrator's authority.
    pub async fn officers(&self, admin: &Officer) -> Result<Vec<Officer>, BackOfficeError> {
        admin_only(admin)?;
        Ok(self.app.store.officers(Some(admin.authority)).await?)
    }

    /// Adds an officer of the administrator's authority; the enrolment is shown once.
    pub async fn add_officer(
        &self,
        admin: &Officer,
        email: &str,
        roles: &[Role],
        client: &ClientInfo,
    ) -> Result<Enrolment, BackOfficeError> {
        admin_only(admin)?;
        EmailAddress::parse(email).map_err(|e| invalid("email", e.code()))?;
        let roles = Roles::of(roles).map_err(|_| invalid("roles", "officer-roles-required"))?;
        match officers::add(
            &*self.app.store,
            self.app.clock.now(),
            email,
            admin.authority,
            roles,
            Actor::Officer(admin.id),
            client,
        )
        .await
        {
            Ok(enrolment) => Ok(enrolment),
            Err(OfficerError::EmailTaken) => Err(invalid("email", "officer-email-taken")),
            Err(OfficerError::Store(e)) => Err(BackOfficeError::Store(e)),
            Err(_) => Err(invalid("email", "officer-email-taken")),
        }
    }

    /// Disables an officer of the administrator's authority (never the administrator themself).
    pub async fn disable_officer(
        &self,
        admin: &Officer,
        email: &str,
        client: &ClientInfo,
    ) -> Result<Officer, BackOfficeError> {
        admin_only(admin)?;
        let address = EmailAddress::parse(email).map_err(|e| invalid("email", e.code()))?;
        let target = self
            .app
            .store
            .officer_by_email_key(address.key())
            .await?
            .filter(|o| o.authority == admin.authority)
            .ok_or(BackOfficeError::NotFound)?;
        if target.id == admin.id {
            return Err(invalid("email", "officer-disable-self"));
        }
        match officers::disable(
            &*self.app.store,
            self.app.clock.now(),
            email,
            Actor::Officer(admin.id),
            client,
        )
        .await
        {
            Ok(officer) => Ok(officer),
            Err(OfficerError::AlreadyDisabled) => Ok(target),
            Err(OfficerError::NotFound) => Err(BackOfficeError::NotFound),
            Err(OfficerError::Store(e)) => Err(BackOfficeError::Store(e)),
            Err(_) => Err(BackOfficeError::NotFound),
        }
    }
}
