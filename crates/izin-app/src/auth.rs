//! Signing in with an e-mail code, sessions and signing out.

use crate::keys::sha256;
use crate::registries::RegistryError;
use crate::{App, mails};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::calendar::today_in_turkiye;
use izin_domain::email::EmailError;
use izin_domain::otp::{CodeInputError, CodeRejection, OneTimeCode};
use izin_domain::profile::Violation;
use izin_domain::session::{SessionExpiry, SessionState, SessionTimes};
use izin_domain::ways_in::{Declaration, DeclarationInput, Declared, reference_matches};
use izin_domain::{EmailAddress, Language};
use izin_store::{
    CodeAttempt, CodeRefusal, Hash32, IssueLoginCode, IssueOutcome, NewAuditEntry, SignInOutcome,
    User,
};
use rand::RngCore;
use std::fmt;
use time::OffsetDateTime;
use uuid::Uuid;

/// `N` random bytes from the CSPRNG, as unpadded base64url.
pub(crate) fn random_secret<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `raw` (trimmed) when it has the shape of an encoded secret of `len` characters.
fn secret_of_shape(raw: &str, len: usize) -> Option<String> {
    let raw = raw.trim();
    (raw.len() == len
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| raw.to_owned())
}

/// A session's bearer secret: 256 random bits, shown to its holder once and stored only hashed.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub(crate) fn generate() -> Self {
        Self(random_secret::<32>())
    }

    /// Accepts only strings of the shape tokens have, so junk never reaches the database.
    pub fn parse(raw: &str) -> Option<Self> {
        secret_of_shape(raw, 43).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> Hash32 {
        sha256(self.0.as_bytes())
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(***)")
    }
}

/// What a client that asked for a sign-in code holds to enter it: 128 random bits, given once
/// with the answer to the request and stored only hashed. A code can be entered only with its
/// challenge, so nobody who merely knows an address can guess at its code or wear it out.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginChallenge(String);

impl LoginChallenge {
    pub fn generate() -> Self {
        Self(random_secret::<16>())
    }

    /// Accepts only strings of the shape challenges have.
    pub fn parse(raw: &str) -> Option<Self> {
        secret_of_shape(raw, 22).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> Hash32 {
        sha256(self.0.as_bytes())
    }

    /// The hash an officer's sign-in code is stored under. Officers' codes live apart from
    /// applicants' by construction: the applicant's sign-in looks codes up by [`Self::hash`],
    /// which no officer challenge can produce, so an officer's code never opens an applicant's
    /// account, nor an applicant's code the back office.
    pub fn officer_hash(&self) -> Hash32 {
        sha256(format!("officer\0{}", self.0).as_bytes())
    }
}

impl fmt::Debug for LoginChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LoginChallenge(***)")
    }
}

/// A code on its way, and the challenge to enter it with.
#[derive(Debug, Clone)]
pub struct CodeSent {
    pub email: EmailAddress,
    pub challenge: LoginChallenge,
}

#[derive(Debug, thiserror::Error)]
pub enum CodeRequestError {
    #[error("invalid e-mail address: {0}")]
    InvalidEmail(EmailError),
    #[error("code request refused: {0:?}")]
    Refused(CodeRefusal),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("invalid e-mail address: {0}")]
    InvalidEmail(EmailError),
    /// No challenge, or not one of ours: the code cannot be checked.
    #[error("the challenge is missing or malformed")]
    InvalidChallenge,
    #[error("invalid code: {0}")]
    InvalidCode(CodeInputError),
    #[error("code rejected: {0:?}")]
    Rejected(CodeRejection),
    /// The code was right, but the passport identity declared with its request matched no
    /// registry record (told only now, after the code, so nobody learns it without the mailbox).
    #[error("the declared passport identity matched no record")]
    DeclarationNotMatched,
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

/// Why a passport or reference sign-in sent no code.
#[derive(Debug, thiserror::Error)]
pub enum DeclaredCodeError {
    /// Fields to correct (`email`, `passport_number`, `passport_country`, `reference_number`,
    /// `birth_year`).
    #[error("the sign-in details need correcting: {0:?}")]
    Invalid(Vec<Violation>),
    #[error("code request refused: {0:?}")]
    Refused(CodeRefusal),
    /// The registry that decides the match did not answer; nothing was sent.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(CodeRequestError, SignInError, DeclaredCodeError);

/// A successful sign-in.
#[derive(Debug)]
pub struct SignedIn {
    pub token: SessionToken,
    pub user: User,
    pub created: bool,
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub user: User,
    pub token_hash: Hash32,
    /// When the session ends unless there is activity (never after `absolute_deadline`).
    pub deadline: OffsetDateTime,
    pub absolute_deadline: OffsetDateTime,
}

/// What a presented token turned out to be.
#[derive(Debug)]
pub enum SessionLookup {
    Active(CurrentSession),
    Expired(SessionExpiry),
    Unknown,
}

pub struct AuthService<'a> {
    pub(crate) app: &'a App,
}

impl AuthService<'_> {
    /// Sends a sign-in code to `email_input` under a new challenge, or under `resend` (a new
    /// code for the same client, which supersedes the one before). The answer is the same
    /// whether or not an account exists for the address: a code is sent either way.
    pub async fn request_code(
        &self,
        email_input: &str,
        resend: Option<LoginChallenge>,
        language: Language,
        client: &ClientInfo,
    ) -> Result<CodeSent, CodeRequestError> {
        let email = EmailAddress::parse(email_input).map_err(CodeRequestError::InvalidEmail)?;
        self.issue_code(email, resend, language, client, None).await
    }

    /// The passport and consulate-reference ways in: checks the declared passport identity
    /// against the registry (entry records in Türkiye, the consulate's record abroad) and sends
    /// a code to `email_input` whatever the verdict, which is told only after the code (a match
    /// signs into the address's account, which keeps the declaration as declared; no match signs
    /// nobody in). So the answer never says whether a passport is known, and the throttles are
    /// the e-mail code's: per address and client, never per passport, so nobody can lock
    /// another person out.
    pub async fn request_declared_code(
        &self,
        email_input: &str,
        input: &DeclarationInput,
        language: Language,
        client: &ClientInfo,
    ) -> Result<CodeSent, DeclaredCodeError> {
        let app = self.app;
        let today = today_in_turkiye(app.clock.now());
        let email = EmailAddress::parse(email_input);
        let declaration = input.check(&app.reference, today);
        let (email, declaration) = match (email, declaration) {
            (Ok(email), Ok(declaration)) => (email, declaration),
            (email, declaration) => {
                let mut violations = email
                    .err()
                    .map(|e| vec![Violation::new("email", e.code())])
                    .unwrap_or_default();
                violations.extend(declaration.err().unwrap_or_default());
                return Err(DeclaredCodeError::Invalid(violations));
            }
        };
        let matched = match &declaration {
            Declaration::Passport(p) => app
                .registries
                .in_turkiye_since(&p.passport_number, &p.passport_country, p.birth_year, today)
                .await?
                .is_some(),
            Declaration::Reference(r) => {
                let recorded = app
                    .registries
                    .consulate_reference(&r.reference_number)
                    .await?;
                reference_matches(
                    r,
                    recorded
                        .as_ref()
                        .map(|c| (&c.passport_number, c.birth_year)),
                )
            }
        };
        metrics::counter!("izin_declared_sign_ins_total", "way" => declaration.way().code())
            .increment(1);
        let declared = Declared {
            declaration,
            matched,
        };
        self.issue_code(email, None, language, client, Some(declared))
            .await
            .map_err(|e| match e {
                CodeRequestError::InvalidEmail(e) => {
                    DeclaredCodeError::Invalid(vec![Violation::new("email", e.code())])
                }
                CodeRequestError::Refused(refusal) => DeclaredCodeError::Refused(refusal),
                CodeRequestError::Store(e) => DeclaredCodeError::Store(e),
            })
    }

    async fn issue_code(
        &self,
        email: EmailAddress,
        resend: Option<LoginChallenge>,
        language: Language,
        client: &ClientInfo,
        declared: Option<Declared>,
    ) -> Result<CodeSent, CodeRequestError> {
        let challenge = resend.unwrap_or_else(LoginChallenge::generate);
        let challenge_hash = challenge.hash();
        let app = self.app;
        let policy = app.policies.otp;
        let now = app.clock.now();
        let code = OneTimeCode::generate(&mut rand::rng());
        let mail = mails::login_code(
            &app.texts,
            language,
            &email,
            &code,
            policy.lifetime.whole_minutes(),
            now + policy.lifetime,
        );
        let request = IssueLoginCode {
            code_hash: app.keys.code_hash(&challenge_hash, code.as_str()),
            challenge_hash,
            email: email.clone(),
            policy,
            now,
            mail,
            client: client.clone(),
            declared,
        };
        match app.store.issue_login_code(request).await? {
            IssueOutcome::Issued { .. } => {
                metrics::counter!("izin_login_codes_issued_total").increment(1);
                app.mail_queued.notify_one();
                Ok(CodeSent { email, challenge })
            }
            IssueOutcome::Refused(refusal) => {
                metrics::counter!("izin_login_codes_refused_total").increment(1);
                Err(CodeRequestError::Refused(refusal))
            }
        }
    }

    /// Checks a code entered under `challenge` and, if right, opens a session (creating the
    /// account on first use). `email_input`, when the client gives it, must be the address the
    /// code went to.
    pub async fn sign_in(
        &self,
        challenge_input: &str,
        email_input: Option<&str>,
        code_input: &str,
        language: Language,
        client: &ClientInfo,
    ) -> Result<SignedIn, SignInError> {
        let challenge =
            LoginChallenge::parse(challenge_input).ok_or(SignInError::InvalidChallenge)?;
        let email = email_input
            .map(|raw| EmailAddress::parse(raw).map_err(SignInError::InvalidEmail))
            .transpose()?;
        let code = OneTimeCode::parse(code_input).map_err(SignInError::InvalidCode)?;
        let app = self.app;
        let token = SessionToken::generate();
        let challenge_hash = challenge.hash();
        let attempt = CodeAttempt {
            submitted_hash: app.keys.code_hash(&challenge_hash, code.as_str()),
            challenge_hash,
            email,
            policy: app.policies.otp,
            now: app.clock.now(),
            new_user_id: Uuid::now_v7(),
            language,
            session_token_hash: token.hash(),
            client: client.clone(),
        };
        match app.store.sign_in_with_code(attempt).await? {
            SignInOutcome::SignedIn { user, created } => {
                metrics::counter!("izin_sign_ins_total").increment(1);
                Ok(SignedIn {
                    token,
                    user,
                    created,
                })
            }
            SignInOutcome::Rejected(rejection) => {
                metrics::counter!("izin_sign_in_rejections_total", "reason" => rejection.code())
                    .increment(1);
                Err(SignInError::Rejected(rejection))
            }
            SignInOutcome::DeclarationNotMatched => {
                metrics::counter!("izin_sign_in_rejections_total", "reason" => izin_domain::ways_in::DECLARATION_NOT_MATCHED)
                    .increment(1);
                Err(SignInError::DeclarationNotMatched)
            }
        }
    }

    /// Resolves a presented token, recording activity at most once a minute.
    pub async fn session(
        &self,
        token: &SessionToken,
    ) -> Result<SessionLookup, crate::StorageFailure> {
        let app = self.app;
        let token_hash = token.hash();
        let Some(record) = app.store.session(&token_hash).await? else {
            return Ok(SessionLookup::Unknown);
        };
        let now = app.clock.now();
        let policy = app.policies.session;
        let times = SessionTimes {
            created_at: record.created_at,
            last_seen_at: record.last_seen_at,
        };
        match policy.state(times, now) {
            SessionState::Expired(why) => Ok(SessionLookup::Expired(why)),
            SessionState::Active {
                absolute_deadline, ..
            } => {
                let deadline = if policy.needs_touch(times, now) {
                    app.store.touch_session(&token_hash, now).await?;
                    (now + policy.idle_timeout).min(absolute_deadline)
                } else {
                    (record.last_seen_at + policy.idle_timeout).min(absolute_deadline)
                };
                Ok(SessionLookup::Active(CurrentSession {
                    user: record.user,
                    token_hash,
                    deadline,
                    absolute_deadline,
                }))
            }
        }
    }

    /// Renews the idle deadline now ("stay signed in"); returns the new deadline.
    pub async fn extend(
        &self,
        session: &CurrentSession,
    ) -> Result<OffsetDateTime, crate::StorageFailure> {
        let now = self.app.clock.now();
        self.app
            .store
            .touch_session(&session.token_hash, now)
            .await?;
        Ok((now + self.app.policies.session.idle_timeout).min(session.absolute_deadline))
    }

    /// Ends the session on the server.
    pub async fn sign_out(
        &self,
        session: &CurrentSession,
        client: &ClientInfo,
    ) -> Result<(), crate::StorageFailure> {
        let user = &session.user;
        let entry = NewAuditEntry::new(
            self.app.clock.now(),
            Actor::User(user.id),
            AuditAction::SignedOut,
            client,
        )
        .subject(format!("user:{}", user.id));
        self.app
            .store
            .end_session(&session.token_hash, entry)
            .await?;
        Ok(())
    }

    /// Remembers the language the user chose, for the mail sent to them.
    pub async fn set_language(
        &self,
        session: &CurrentSession,
        language: Language,
        client: &ClientInfo,
    ) -> Result<(), crate::StorageFailure> {
        if session.user.language == language {
            return Ok(());
        }
        let user = &session.user;
        let entry = NewAuditEntry::new(
            self.app.clock.now(),
            Actor::User(user.id),
            AuditAction::LanguageChanged,
            client,
        )
        .subject(format!("user:{}", user.id))
        .detail("language", language.code());
        self.app
            .store
            .set_user_language(user.id, language, entry)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges_are_random_hidden_and_parse_back() {
        let a = LoginChallenge::generate();
        let b = LoginChallenge::generate();
        assert_ne!(a, b);
        assert_eq!(LoginChallenge::parse(a.as_str()), Some(a.clone()));
        assert_eq!(LoginChallenge::parse("short"), None);
        assert_eq!(LoginChallenge::parse(&"*".repeat(22)), None);
        assert!(!format!("{a:?}").contains(a.as_str()));
        assert_ne!(a.hash(), b.hash());
    }

    #[test]
    fn tokens_are_long_random_and_parse_back() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(SessionToken::parse(a.as_str()), Some(a.clone()));
        assert_eq!(SessionToken::parse("short"), None);
        assert_eq!(SessionToken::parse(&"!".repeat(43)), None);
        assert!(!format!("{a:?}").contains(a.as_str()));
        assert_ne!(a.hash(), b.hash());
    }
}
