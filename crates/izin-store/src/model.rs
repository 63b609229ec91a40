//! The records storage reads and writes.

use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::otp::{CodeRejection, OtpPolicy};
use izin_domain::ways_in::Declared;
use izin_domain::{EmailAddress, Language};

pub use izin_domain::otp::CodeRefusal;
pub use izin_domain::records::{
    Citation, DeleteOutcome, Document, DocumentListing, ReplaceOutcome, User,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// The SHA-256 of a session token or code; the secret itself is never stored.
pub type Hash32 = [u8; 32];

/// A live session and its user, as one lookup returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub token_hash: Hash32,
    pub user: User,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

/// A message to queue for delivery, written in the same transaction as its cause.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewMail {
    /// What kind of message this is (`login-code`, …), for metrics and support.
    pub kind: String,
    pub recipient: String,
    pub language: Language,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// After this instant the message is useless (an expired code) and is not sent.
    pub not_after: Option<OffsetDateTime>,
}

/// A queued message claimed by a delivery worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub language: Language,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub created_at: OffsetDateTime,
    pub not_after: Option<OffsetDateTime>,
    /// Delivery attempts so far, this one included.
    pub attempts: u32,
    /// A stored file sent with the message (the Proof Document with the approval).
    pub attachment: Option<crate::proof_documents::MailAttachment>,
}

/// One entry to append to the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    pub at: OffsetDateTime,
    pub actor: Actor,
    pub action: AuditAction,
    /// The record acted on, as `kind:id` (`user:…`, `application:…`).
    pub subject: Option<String>,
    pub details: serde_json::Value,
    pub client: ClientInfo,
}

impl NewAuditEntry {
    pub fn new(at: OffsetDateTime, actor: Actor, action: AuditAction, client: &ClientInfo) -> Self {
        Self {
            at,
            actor,
            action,
            subject: None,
            details: serde_json::Value::Object(Default::default()),
            client: client.clone(),
        }
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        if let serde_json::Value::Object(map) = &mut self.details {
            map.insert(key.to_owned(), value.into());
        }
        self
    }
}

/// An audit entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject: Option<String>,
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// A request for a sign-in code.
#[derive(Debug, Clone)]
pub struct IssueLoginCode {
    pub email: EmailAddress,
    pub code_hash: Hash32,
    /// The hash of the challenge the client that asked holds; the code is entered with it.
    pub challenge_hash: Hash32,
    pub policy: OtpPolicy,
    pub now: OffsetDateTime,
    /// The mail carrying the code, queued only if the code is issued.
    pub mail: NewMail,
    pub client: ClientInfo,
    /// The passport identity declared with the request (passport and reference sign-ins) and
    /// the registry's verdict on it, decided when the code is entered.
    pub declared: Option<Declared>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueOutcome {
    Issued { expires_at: OffsetDateTime },
    Refused(CodeRefusal),
}

/// An entered code, with everything needed to sign in if it is right.
#[derive(Debug, Clone)]
pub struct CodeAttempt {
    /// The challenge the code was sent under (the client's proof that it asked for it).
    pub challenge_hash: Hash32,
    /// The address the client says the code was sent to; when given it must be the one.
    pub email: Option<EmailAddress>,
    /// The keyed hash of the entered code under this challenge.
    pub submitted_hash: Hash32,
    pub policy: OtpPolicy,
    pub now: OffsetDateTime,
    /// Used if this is the address's first sign-in.
    pub new_user_id: Uuid,
    pub language: Language,
    /// The hash of the new session's token, stored if sign-in succeeds.
    pub session_token_hash: Hash32,
    pub client: ClientInfo,
}

/// What checking an entered code needs, whoever it signs in (an applicant or an officer).
#[derive(Debug, Clone)]
pub struct CodeCheck {
    pub challenge_hash: Hash32,
    pub email: Option<EmailAddress>,
    pub submitted_hash: Hash32,
    pub policy: OtpPolicy,
    pub now: OffsetDateTime,
    pub client: ClientInfo,
}

impl CodeAttempt {
    pub(crate) fn check(&self) -> CodeCheck {
        CodeCheck {
            challenge_hash: self.challenge_hash,
            email: self.email.clone(),
            submitted_hash: self.submitted_hash,
            policy: self.policy,
            now: self.now,
            client: self.client.clone(),
        }
    }
}

/// A right code, not yet used: the caller uses it (`consumed_at`) in the transaction that signs
/// in, once everything else needed for it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RightCode {
    pub code_id: i64,
    pub email: EmailAddress,
    /// What was declared with the code's request, if anything.
    pub declared: Option<Declared>,
}

/// The address a challenge's codes were sent to, as stored with them (`None`: no code under
/// this challenge, or the client names another address than the one the codes went to).
pub(crate) fn challenge_address(
    stored: Option<(String, Option<String>)>,
    named: Option<&EmailAddress>,
) -> Result<Option<EmailAddress>, crate::StoreError> {
    let Some((email_key, email)) = stored else {
        return Ok(None);
    };
    let email = EmailAddress::parse(email.as_deref().unwrap_or(&email_key))
        .map_err(|e| crate::StoreError::Corrupt(format!("login code address: {e}")))?;
    Ok(match named {
        Some(named) if named.key() != email_key => None,
        _ => Some(email),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    SignedIn {
        user: User,
        created: bool,
    },
    Rejected(CodeRejection),
    /// The code was right (and is used up), but the passport identity declared with its
    /// request matched no registry record: no session, nothing recorded on any account.
    DeclarationNotMatched,
}

/// What a cleanup pass removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub sessions: u64,
    pub login_codes: u64,
    pub rate_limit_windows: u64,
    pub outbox_messages: u64,
}

/// How long expired records are kept before cleanup removes them.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Sessions last seen before this are dead (idle or absolute limit passed).
    pub sessions_seen_before: OffsetDateTime,
    pub sessions_created_before: OffsetDateTime,
    pub codes_issued_before: OffsetDateTime,
    pub rate_windows_before: OffsetDateTime,
    /// Delivered or expired messages finished before this are removed.
    pub outbox_finished_before: OffsetDateTime,
}

/// The state of the outbox, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxStats {
    pub pending: i64,
    /// Pending messages that have failed at least once.
    pub retrying: i64,
}

/// One profile section, as saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionData {
    Personal(izin_domain::profile::PersonalSection),
    Contact(izin_domain::profile::ContactSection),
    Passport(izin_domain::profile::PassportSection),
    Education(izin_domain::profile::EducationSection),
}

impl SectionData {
    pub fn section(&self) -> izin_domain::profile::Section {
        use izin_domain::profile::Section;
        match self {
            SectionData::Personal(_) => Section::Personal,
            SectionData::Contact(_) => Section::Contact,
            SectionData::Passport(_) => Section::Passport,
            SectionData::Education(_) => Section::Education,
        }
    }

    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            SectionData::Personal(s) => serde_json::to_value(s),
            SectionData::Contact(s) => serde_json::to_value(s),
            SectionData::Passport(s) => serde_json::to_value(s),
            SectionData::Education(s) => serde_json::to_value(s),
        }
    }

    /// The foreigner ID and passport number copied into columns for lookups.
    pub fn lookup_columns(&self) -> (Option<String>, Option<String>) {
        match self {
            SectionData::Personal(s) => (
                s.foreigner_id.as_ref().map(|id| id.as_str().to_owned()),
                None,
            ),
            SectionData::Passport(s) => (
                None,
                s.passport_number.as_ref().map(|n| n.as_str().to_owned()),
            ),
            _ => (None, None),
        }
    }
}

/// Rebuilds a profile from its stored JSON columns.
pub fn profile_from_json(
    personal: serde_json::Value,
    contact: serde_json::Value,
    passport: serde_json::Value,
    education: serde_json::Value,
    verified: serde_json::Value,
) -> Result<izin_domain::profile::Profile, serde_json::Error> {
    Ok(izin_domain::profile::Profile {
        personal: serde_json::from_value(personal)?,
        contact: serde_json::from_value(contact)?,
        passport: serde_json::from_value(passport)?,
        education: serde_json::from_value(education)?,
        verified: serde_json::from_value(verified)?,
    })
}
