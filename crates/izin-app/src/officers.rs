//! Officers of the authorities: adding one (with the second factor handed over once, at
//! enrolment), listing them, disabling one. Used by `izin officer …` and, later, the
//! administrators' page; every change is audited in the same transaction.

use izin_domain::EmailAddress;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::officer::{Authority, Roles};
use izin_domain::records::Officer;
use izin_domain::totp::{RECOVERY_CODES, RecoveryCode, TotpError, TotpSecret, hash_recovery};
use izin_store::{AddOfficerOutcome, DisableOfficerOutcome, NewAuditEntry, NewOfficer, Store};
use time::OffsetDateTime;
use uuid::Uuid;

/// The issuer authenticator apps show beside the account.
pub const TOTP_ISSUER: &str = "Izin";

/// Why a second factor was refused (the sign-in says only that it was wrong or used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecondFactorRefusal {
    #[error("the code is wrong")]
    Wrong,
    #[error("the code was used already")]
    Used,
}

/// Which second factor was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorUsed {
    Totp { step: i64 },
    RecoveryCode,
}

#[derive(Debug, thiserror::Error)]
pub enum OfficerError {
    #[error("not an e-mail address an officer can sign in with")]
    InvalidEmail,
    #[error("an officer with this address exists already")]
    EmailTaken,
    #[error("no officer has this address")]
    NotFound,
    #[error("the officer is disabled already")]
    AlreadyDisabled,
    #[error(transparent)]
    SecondFactor(#[from] SecondFactorRefusal),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(OfficerError);

/// What an administrator hands over to a new officer, once: the TOTP secret (as typed into an
/// app and as an `otpauth://` URI for a QR code) and the recovery codes. None of it can be shown
/// again: the secret is kept only to check codes, the recovery codes only as hashes.
pub struct Enrolment {
    pub officer: Officer,
    pub secret: TotpSecret,
    pub uri: String,
    pub recovery_codes: Vec<RecoveryCode>,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrolment")
            .field("officer", &self.officer)
            .finish_non_exhaustive()
    }
}

/// Adds an officer of `authority` with `roles`, by `actor`, with a new random second factor.
pub async fn add(
    store: &dyn Store,
    now: OffsetDateTime,
    email: &str,
    authority: Authority,
    roles: Roles,
    actor: Actor,
    client: &ClientInfo,
) -> Result<Enrolment, OfficerError> {
    let secret = TotpSecret::generate(&mut rand::rng());
    add_with_secret(store, now, email, authority, roles, secret, actor, client).await
}

/// Adds an officer whose TOTP secret is given: the demo's officers, whose secret is printed at
/// every start so a newcomer can try the back office. Never for a real officer.
#[allow(clippy::too_many_arguments)]
pub async fn add_with_secret(
    store: &dyn Store,
    now: OffsetDateTime,
    email: &str,
    authority: Authority,
    roles: Roles,
    secret: TotpSecret,
    actor: Actor,
    client: &ClientInfo,
) -> Result<Enrolment, OfficerError> {
    let address = EmailAddress::parse(email).map_err(|_| OfficerError::InvalidEmail)?;
    let recovery_codes = RecoveryCode::generate(&mut rand::rng(), RECOVERY_CODES);
    let id = Uuid::now_v7();
    let officer = Officer {
        id,
        email: email.trim().to_owned(),
        authority,
        roles: roles.clone(),
        created_at: now,
        disabled_at: None,
    };
    let outcome = store
        .add_officer(NewOfficer {
            id,
            email: officer.email.clone(),
            email_key: address.key().to_owned(),
            authority,
            roles: roles.clone(),
            totp_secret: secret.as_bytes().to_vec(),
            recovery_hashes: recovery_codes.iter().map(RecoveryCode::hash).collect(),
            now,
            audit: NewAuditEntry::new(now, actor, AuditAction::OfficerAdded, client)
                .subject(format!("officer:{id}"))
                .detail("authority", authority.code())
                .detail("roles", roles.codes()),
        })
        .await?;
    match outcome {
        AddOfficerOutcome::Added => Ok(Enrolment {
            uri: secret.uri(TOTP_ISSUER, &officer.email),
            officer,
            secret,
            recovery_codes,
        }),
        AddOfficerOutcome::EmailTaken => Err(OfficerError::EmailTaken),
    }
}

/// The officers of `authority`, or of every authority.
pub async fn list(
    store: &dyn Store,
    authority: Option<Authority>,
) -> Result<Vec<Officer>, OfficerError> {
    Ok(store.officers(authority).await?)
}

/// Disables the officer with address `email`, by `actor`: no more sign-ins.
pub async fn disable(
    store: &dyn Store,
    now: OffsetDateTime,
    email: &str,
    actor: Actor,
    client: &ClientInfo,
) -> Result<Officer, OfficerError> {
    let address = EmailAddress::parse(email).map_err(|_| OfficerError::InvalidEmail)?;
    let found = store
        .officer_by_email_key(address.key())
        .await?
        .ok_or(OfficerError::NotFound)?;
    let audit = NewAuditEntry::new(now, actor, AuditAction::OfficerDisabled, client)
        .subject(format!("officer:{}", found.id));
    match store.disable_officer(address.key(), now, audit).await? {
        DisableOfficerOutcome::Disabled => Ok(Officer {
            disabled_at: Some(now),
            ..found
        }),
        DisableOfficerOutcome::AlreadyDisabled => Err(OfficerError::AlreadyDisabled),
        DisableOfficerOutcome::NotFound => Err(OfficerError::NotFound),
    }
}

/// Checks what an officer typed as the second factor at `now`: six digits are a TOTP code (of
/// the current step or one either side, never a step used before — the step is recorded
/// atomically, so the same code sent twice, to two instances, is accepted once); anything else
/// is tried as one of the officer's recovery codes, each of which works once.
pub async fn check_second_factor(
    store: &dyn Store,
    officer: Uuid,
    typed: &str,
    now: OffsetDateTime,
) -> Result<SecondFactorUsed, OfficerError> {
    let factor = store
        .second_factor(officer)
        .await?
        .ok_or(OfficerError::NotFound)?;
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let secret =
            TotpSecret::from_bytes(factor.totp_secret).map_err(|_| SecondFactorRefusal::Wrong)?;
        let step = match secret.verify(&digits, now, factor.totp_last_step) {
            Ok(step) => step,
            Err(TotpError::Replayed) => return Err(SecondFactorRefusal::Used.into()),
            Err(_) => return Err(SecondFactorRefusal::Wrong.into()),
        };
        return if store.use_totp_step(officer, step).await? {
            Ok(SecondFactorUsed::Totp { step })
        } else {
            Err(SecondFactorRefusal::Used.into())
        };
    }
    if store
        .use_recovery_code(officer, &hash_recovery(typed), now)
        .await?
    {
        Ok(SecondFactorUsed::RecoveryCode)
    } else {
        Err(SecondFactorRefusal::Wrong.into())
    }
}
