//! Officers' sign-in: an e-mail code (under a challenge, like applicants' codes but stored apart
//! from them) **and** a second factor — a TOTP code or one of the officer's recovery codes. The
//! e-mail code alone never signs in, and never enrols anything. A wrong second factor counts as a
//! wrong attempt on the code, so guessing it wears the code out. Officers' sessions are separate
//! from applicants' and end after 15 minutes idle, or at once when the officer is disabled.

use super::BackOffice;
use crate::auth::{CodeRequestError, CodeSent, LoginChallenge, SessionToken};
use crate::mails;
use crate::officers::{SecondFactorRefusal, check_second_factor};
use izin_domain::audit::{AuditAction, ClientInfo};
use izin_domain::otp::{CodeInputError, CodeRejection, OneTimeCode};
use izin_domain::records::Officer;
use izin_domain::session::{SessionExpiry, SessionState, SessionTimes};
use izin_domain::{EmailAddress, Language};
use izin_store::{
    CodeCheck, Hash32, IssueLoginCode, IssueOutcome, NewAuditEntry, OpenOfficerSession,
};
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum OfficerSignInError {
    #[error("the challenge is missing or malformed")]
    InvalidChallenge,
    #[error("invalid code: {0}")]
    InvalidCode(CodeInputError),
    #[error("code rejected: {0:?}")]
    Rejected(CodeRejection),
    #[error("second factor refused: {0}")]
    SecondFactor(SecondFactorRefusal),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(OfficerSignInError);

/// A successful officer sign-in: the token is shown once.
#[derive(Debug)]
pub struct SignedInOfficer {
    pub token: SessionToken,
    pub officer: Officer,
}

/// The signed-in officer of a request.
#[derive(Debug, Clone)]
pub struct CurrentOfficer {
    pub officer: Officer,
    pub token_hash: Hash32,
    /// When the session ends unless there is activity.
    pub deadline: OffsetDateTime,
}

#[derive(Debug)]
pub enum OfficerSessionLookup {
    Active(CurrentOfficer),
    Expired(SessionExpiry),
    Unknown,
}

impl BackOffice<'_> {
    /// Sends a sign-in code to an officer's address under a new challenge. The answer is the
    /// same whether or not an officer has this address (and no code is sent to one that is not
    /// an enabled officer's), so nobody learns who the officers are.
    pub async fn request_code(
        &self,
        email_input: &str,
        language: Language,
        client: &ClientInfo,
    ) -> Result<CodeSent, CodeRequestError> {
        let email = EmailAddress::parse(email_input).map_err(CodeRequestError::InvalidEmail)?;
        let challenge = LoginChallenge::generate();
        let app = self.app;
        let officer = app
            .store
            .officer_by_email_key(email.key())
            .await?
            .filter(|o| o.disabled_at.is_none());
        if officer.is_none() {
            return Ok(CodeSent { email, challenge });
        }
        let policy = app.policies.otp;
        let now = app.clock.now();
        let code = OneTimeCode::generate(&mut rand::rng());
        let challenge_hash = challenge.officer_hash();
        let mut mail = mails::login_code(
            &app.texts,
            language,
            &email,
            &code,
            policy.lifetime.whole_minutes(),
            now + policy.lifetime,
        );
        mail.kind = "officer-login-code".into();
        let request = IssueLoginCode {
            code_hash: app.keys.code_hash(&challenge_hash, code.as_str()),
            challenge_hash,
            email: email.clone(),
            policy,
            now,
            mail,
            client: client.clone(),
            declared: None,
        };
        match app.store.issue_login_code(request).await? {
            IssueOutcome::Issued { .. } => {
                app.mail_queued.notify_one();
                Ok(CodeSent { email, challenge })
            }
            IssueOutcome::Refused(refusal) => Err(CodeRequestError::Refused(refusal)),
        }
    }

    /// Checks the e-mail code entered under `challenge_input` and the second factor; both right
    /// opens an officer session.
    pub async fn sign_in(
        &self,
        challenge_input: &str,
        code_input: &str,
        second_factor: &str,
        client: &ClientInfo,
    ) -> Result<SignedInOfficer, OfficerSignInError> {
        let challenge =
            LoginChallenge::parse(challenge_input).ok_or(OfficerSignInError::InvalidChallenge)?;
        let code = OneTimeCode::parse(code_input).map_err(OfficerSignInError::InvalidCode)?;
        let app = self.app;
        let now = app.clock.now();
        let challenge_hash = challenge.officer_hash();
        let right = app
            .store
            .check_officer_code(CodeCheck {
                submitted_hash: app.keys.code_hash(&challenge_hash, code.as_str()),
                challenge_hash,
                email: None,
                policy: app.policies.otp,
                now,
                client: client.clone(),
            })
            .await?
            .map_err(OfficerSignInError::Rejected)?;
        let officer = app
            .store
            .officer_by_email_key(right.email.key())
            .await?
            .filter(|o| o.disabled_at.is_none())
            .ok_or(OfficerSignInError::Rejected(CodeRejection::NoCode))?;
        if let Err(refused) = check_second_factor(&*app.store, officer.id, second_factor, now).await
        {
            app.store.count_wrong_code(right.code_id).await?;
            return Err(match refused {
                crate::officers::OfficerError::SecondFactor(refusal) => {
                    OfficerSignInError::SecondFactor(refusal)
                }
                crate::officers::OfficerError::Store(e) => OfficerSignInError::Store(e),
                _ => OfficerSignInError::SecondFactor(SecondFactorRefusal::Wrong),
            });
        }
        let token = SessionToken::generate();
        let opened = app
            .store
            .open_officer_session(OpenOfficerSession {
                code_id: right.code_id,
                officer: officer.id,
                token_hash: token.hash(),
                now,
                client: client.clone(),
                audit: self
                    .audit(
                        &officer,
                        AuditAction::OfficerSignedIn,
                        format!("officer:{}", officer.id),
                        client,
                    )
                    .detail("method", "email_code+second_factor"),
            })
            .await?;
        if !opened {
            return Err(OfficerSignInError::Rejected(CodeRejection::AlreadyUsed));
        }
        metrics::counter!("izin_officer_sign_ins_total").increment(1);
        Ok(SignedInOfficer { token, officer })
    }

    /// Resolves an officer's token, recording activity at most once a minute.
    pub async fn session(
        &self,
        token: &SessionToken,
    ) -> Result<OfficerSessionLookup, crate::StorageFailure> {
        let app = self.app;
        let token_hash = token.hash();
        let Some(record) = app.store.officer_session(&token_hash).await? else {
            return Ok(OfficerSessionLookup::Unknown);
        };
        let now = app.clock.now();
        let policy = app.policies.officer_session.0;
        let times = SessionTimes {
            created_at: record.created_at,
            last_seen_at: record.last_seen_at,
        };
        match policy.state(times, now) {
            SessionState::Expired(why) => Ok(OfficerSessionLookup::Expired(why)),
            SessionState::Active {
                absolute_deadline, ..
            } => {
                let seen = if policy.needs_touch(times, now) {
                    app.store.touch_officer_session(&token_hash, now).await?;
                    now
                } else {
                    record.last_seen_at
                };
                Ok(OfficerSessionLookup::Active(CurrentOfficer {
                    officer: record.officer,
                    token_hash,
                    deadline: (seen + policy.idle_timeout).min(absolute_deadline),
                }))
            }
        }
    }

    /// Ends the officer's session.
    pub async fn sign_out(
        &self,
        current: &CurrentOfficer,
        client: &ClientInfo,
    ) -> Result<(), crate::StorageFailure> {
        let audit: NewAuditEntry = self.audit(
            &current.officer,
            AuditAction::OfficerSignedOut,
            format!("officer:{}", current.officer.id),
            client,
        );
        self.app
            .store
            .end_officer_session(&current.token_hash, audit)
            .await?;
        Ok(())
    }
}
