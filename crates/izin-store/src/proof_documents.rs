//! The records of Proof Documents (seed §4.3) as storage keeps them: issued in the transaction
//! that approves an application, produced later by a worker (leased, retried, recorded once),
//! looked up by number for `/verify`, and the sealed keys that sign them.
//!
//! Storage draws the number and the verification code when the approval commits, so neither can
//! exist without the approval nor the approval without them; what is printed on the document
//! (the holder, the validity, the signed payload) is fixed by the worker that produces it.

use crate::StoreError;
use crate::model::NewMail;
use async_trait::async_trait;
use izin_domain::application::ExemptionStatus;
use izin_domain::proof::code::VerificationCode;
use izin_domain::proof::number::DocumentNumber;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// A stored file a mail carries, read from the file store when the mail is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailAttachment {
    pub storage_key: String,
    pub file_name: String,
    pub content_type: String,
}

/// A document waiting to be produced, as a worker claims it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentJob {
    pub id: Uuid,
    /// The application whose approval issued it.
    pub application_id: Uuid,
    /// The application whose exemption it proves (the one a new card is about, or itself).
    pub subject_id: Uuid,
    pub number: DocumentNumber,
    pub verification_code: VerificationCode,
    pub issued_at: OffsetDateTime,
    /// Production attempts so far, this one included.
    pub attempts: u32,
}

/// What production fixed: the file, and what the document says.
#[derive(Debug, Clone, PartialEq)]
pub struct ProducedDocument {
    pub id: Uuid,
    pub storage_key: String,
    /// SHA-256 of the PDF, lowercase hex.
    pub sha256: String,
    pub key_id: String,
    pub signed_payload: String,
    pub valid_from: Date,
    pub valid_until: Date,
    /// What `/verify` shows beside the status (the holder's name, what it grants).
    pub shown: serde_json::Value,
    /// The holder's photo as printed, for `/verify` to those who give the code.
    pub photo_key: Option<String>,
    pub with_card: bool,
    /// What the card prints (for the print queue), when there is one.
    pub card: Option<serde_json::Value>,
    /// Where the card is sent, as the application gave it.
    pub delivery_address: Option<String>,
    /// The file name the approval mail gives the PDF.
    pub file_name: String,
    pub now: OffsetDateTime,
}

/// How recording a production ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompletionOutcome {
    /// Recorded; the approval mail is queued with the file, older documents of the same
    /// exemption are marked replaced.
    Recorded,
    /// Another worker recorded it first: the caller's file is surplus.
    AlreadyProduced,
}

/// A document as `/verify` and the holder's Detail see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProofDocumentRecord {
    pub id: Uuid,
    pub application_id: Uuid,
    pub subject_id: Uuid,
    pub number: DocumentNumber,
    pub verification_code: VerificationCode,
    pub issued_at: OffsetDateTime,
    /// `None` until the worker produced it.
    pub produced: Option<Produced>,
    pub replaced: bool,
    /// The exemption's status of the application it proves.
    pub exemption: Option<ExemptionStatus>,
}

/// The produced part of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Produced {
    pub at: OffsetDateTime,
    pub storage_key: String,
    pub sha256: String,
    pub key_id: String,
    pub signed_payload: String,
    pub valid_from: Date,
    pub valid_until: Date,
    pub shown: serde_json::Value,
    pub photo_key: Option<String>,
    pub with_card: bool,
}

/// A signing key as stored: the public half in clear, the private half sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSigningKey {
    pub key_id: String,
    pub public_key: Vec<u8>,
    pub sealed_key: Vec<u8>,
    pub created_at: OffsetDateTime,
    pub retired_at: Option<OffsetDateTime>,
}

#[async_trait]
pub trait ProofDocumentStore: Send + Sync + 'static {
    /// Leases up to `limit` documents due for production; a lease that runs out (a worker that
    /// died) makes the document due again.
    async fn claim_document_jobs(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<DocumentJob>, StoreError>;

    /// Records a produced document once, with the approval mail and the replacement of older
    /// documents of the same exemption, in one transaction.
    async fn complete_document(
        &self,
        produced: ProducedDocument,
    ) -> Result<CompletionOutcome, StoreError>;

    /// Records a failed attempt; the document is tried again at `retry_at`.
    async fn fail_document_job(
        &self,
        id: Uuid,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// The document with this number, produced or not.
    async fn proof_document_by_number(
        &self,
        number: &DocumentNumber,
    ) -> Result<Option<ProofDocumentRecord>, StoreError>;

    /// `/verify`'s one round trip: the document with this number, and the wrong guesses the
    /// asker's bucket holds in the rate-limit window starting at `window_start`.
    async fn verify_lookup(
        &self,
        number: &DocumentNumber,
        guess_bucket: &str,
        window_start: OffsetDateTime,
    ) -> Result<(Option<ProofDocumentRecord>, i64), StoreError>;

    /// The documents the approval of `application` issued, oldest first.
    async fn proof_documents_of(
        &self,
        application: Uuid,
    ) -> Result<Vec<ProofDocumentRecord>, StoreError>;

    /// Every signing key, the current one (no `retired_at`) among them.
    async fn signing_keys(&self) -> Result<Vec<StoredSigningKey>, StoreError>;

    /// Adds a signing key. With `retire_current`, the current key is retired in the same
    /// transaction (a rotation); without, the key is added only if there is no current key (the
    /// first start, which two instances may race: the loser's key is not added and `false`
    /// answers).
    async fn add_signing_key(
        &self,
        key: StoredSigningKey,
        retire_current: bool,
    ) -> Result<bool, StoreError>;

    /// Applications whose exemption is ACTIVE and ended before `today` (Türkiye's day), oldest
    /// end first.
    async fn exemptions_ended(&self, today: Date, limit: u32) -> Result<Vec<Uuid>, StoreError>;
}

/// The number and code of a document issued now: the number's serial drawn from the database's
/// counter, the code from the operating system's random generator.
pub(crate) fn new_document_identity(
    now: OffsetDateTime,
    serial: i64,
) -> Result<(DocumentNumber, VerificationCode), StoreError> {
    let year = izin_domain::calendar::today_in_turkiye(now).year();
    let serial = u64::try_from(serial)
        .map_err(|_| StoreError::Corrupt(format!("document serial {serial}")))?;
    let number = DocumentNumber::new(year, serial)
        .map_err(|e| StoreError::Backend(format!("document number: {e}")))?;
    let code = VerificationCode::generate(&mut rand::rng());
    Ok((number, code))
}

/// The approval mail stored with its document until the document exists.
pub(crate) fn stored_mail(mail: Option<&NewMail>) -> Result<Option<serde_json::Value>, StoreError> {
    Ok(mail.map(serde_json::to_value).transpose()?)
}

pub(crate) fn number_of(stored: &str) -> Result<DocumentNumber, StoreError> {
    DocumentNumber::parse(stored)
        .map_err(|_| StoreError::Corrupt(format!("document number {stored:?}")))
}

pub(crate) fn code_of(stored: &str) -> Result<VerificationCode, StoreError> {
    VerificationCode::parse(stored).map_err(|_| StoreError::Corrupt("verification code".into()))
}
