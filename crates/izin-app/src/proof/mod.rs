//! Proof Documents (seed §4.3): what an approval issues, how the holder gets it, and how anyone
//! checks it. An approval issues the document in its own transaction (storage draws the number
//! and the verification code); [`produce`] typesets and signs it; [`ProofService`] answers the
//! holder's Detail and `/verify`; [`expire_ended_exemptions`] moves exemptions past their end date.

pub mod card;
pub mod keys;
pub mod produce;
pub mod recent;

use crate::{App, StorageFailure};
use bytes::Bytes;
use izin_adapters::files::FileError;
use izin_domain::application::Event;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::calendar::today_in_turkiye;
use izin_domain::profile::Profile;
use izin_domain::proof::code::VerificationCode;
use izin_domain::proof::number::DocumentNumber;
use izin_domain::proof::status::{DocumentStatus, StatusFacts};
use izin_domain::reference::Labels;
use izin_store::{NewAuditEntry, ProofDocumentRecord, StoreError, Transition, TransitionOutcome};
use recent::{Guesses, ReadDocument};
use std::sync::Arc;
use time::{Date, Duration};
use uuid::Uuid;

pub use keys::DocumentKeys;

/// What documents need to know of the installation.
#[derive(Debug, Clone)]
pub struct ProofSettings {
    /// The address people reach the portal at (no trailing slash): QR links point there.
    pub base_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Storage(#[from] StorageFailure),
    #[error(transparent)]
    Files(#[from] FileError),
    #[error(transparent)]
    Keys(#[from] keys::KeyError),
    #[error("the approved application cannot be read: {0}")]
    Unreadable(String),
    #[error("the PDF could not be typeset: {0}")]
    Render(String),
}

/// The holder's name as printed and signed: first name and surname.
pub fn holder_name(profile: &Profile) -> String {
    [&profile.personal.first_name, &profile.personal.last_name]
        .into_iter()
        .flatten()
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `/verify` link of a document, as its QR code holds it (with the signed payload) or as
/// Detail links it (without).
pub fn verify_link(
    base_url: &str,
    number: &DocumentNumber,
    code: &VerificationCode,
    signed: Option<&str>,
) -> String {
    let mut link = format!("{base_url}/verify?n={number}&c={code}");
    if let Some(signed) = signed {
        link.push_str("&p=");
        link.push_str(signed);
    }
    link
}

/// A document as its holder sees it on Detail.
#[derive(Debug, Clone, PartialEq)]
pub struct HolderDocument {
    pub number: DocumentNumber,
    pub verification_code: VerificationCode,
    /// `None` while it is being produced.
    pub status: Option<DocumentStatus>,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    /// Whether a printed card is sent by cargo.
    pub with_card: bool,
}

/// What `/verify` answers.
#[derive(Debug, Clone, PartialEq)]
pub enum VerifyAnswer {
    Found(VerifiedDocument),
    /// No document has this number and code (both cases look the same to the asker).
    NotFound,
    /// The number and code are right but the worker has not produced it yet.
    BeingPrepared,
    /// Too many wrong guesses from this client: the seconds to wait.
    TooMany(i64),
}

/// What `/verify` shows: the status, the holder's name, what it grants, its validity — and
/// nothing more (no foreigner ID, no address).
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedDocument {
    pub number: DocumentNumber,
    pub status: DocumentStatus,
    pub holder: String,
    pub grants: Labels,
    pub valid_from: Date,
    pub valid_until: Date,
    pub has_photo: bool,
}

/// Wrong guesses a client may make in [`GUESS_WINDOW`] before `/verify` stops answering it.
pub const WRONG_GUESSES_ALLOWED: u32 = 20;
pub const GUESS_WINDOW: Duration = Duration::minutes(10);

fn status_of(record: &ProofDocumentRecord, today: Date) -> Option<DocumentStatus> {
    let produced = record.produced.as_ref()?;
    Some(DocumentStatus::of(&StatusFacts {
        valid_from: produced.valid_from,
        valid_until: produced.valid_until,
        today,
        cancelled: record.exemption == Some(izin_domain::application::ExemptionStatus::Cancelled),
        replaced: record.replaced,
        expired_recorded: record.exemption
            == Some(izin_domain::application::ExemptionStatus::Expired),
    }))
}

/// A stored document as its holder sees it on `today`.
pub fn holder_document(record: ProofDocumentRecord, today: Date) -> HolderDocument {
    HolderDocument {
        status: status_of(&record, today),
        valid_from: record.produced.as_ref().map(|p| p.valid_from),
        valid_until: record.produced.as_ref().map(|p| p.valid_until),
        with_card: record.produced.as_ref().is_some_and(|p| p.with_card),
        number: record.number,
        verification_code: record.verification_code,
    }
}

pub struct ProofService<'a> {
    pub(crate) app: &'a App,
}

impl App {
    /// Proof Documents: the holder's, and `/verify`.
    pub fn proof_documents(&self) -> ProofService<'_> {
        ProofService { app: self }
    }
}

impl ProofService<'_> {
    /// The documents the approval of the owner's application issued (another's: none).
    pub async fn of_application(
        &self,
        owner: Uuid,
        application: Uuid,
    ) -> Result<Vec<HolderDocument>, StorageFailure> {
        if self
            .app
            .store
            .application(Some(owner), application)
            .await?
            .is_none()
        {
            return Ok(Vec::new());
        }
        let today = today_in_turkiye(self.app.clock.now());
        Ok(self
            .app
            .store
            .proof_documents_of(application)
            .await?
            .into_iter()
            .map(|record| holder_document(record, today))
            .collect())
    }

    /// The PDF of the owner's latest produced document of `application`; `None` for another's
    /// application, `Some(None)` for the owner's without a produced document yet.
    pub async fn pdf(
        &self,
        owner: Uuid,
        application: Uuid,
    ) -> Result<Option<Option<(DocumentNumber, Bytes)>>, ProofError> {
        if self
            .app
            .store
            .application(Some(owner), application)
            .await?
            .is_none()
        {
            return Ok(None);
        }
        let documents = self.app.store.proof_documents_of(application).await?;
        let Some((record, produced)) = documents
            .iter()
            .rev()
            .find_map(|d| d.produced.as_ref().map(|p| (d, p)))
        else {
            return Ok(Some(None));
        };
        let bytes = self.app.files.get_bytes(&produced.storage_key).await?;
        Ok(Some(Some((record.number, bytes))))
    }

    /// `/verify`: the document with this number, if `code` is its code. Wrong guesses are
    /// counted per client; past [`WRONG_GUESSES_ALLOWED`] the client is refused for the rest of
    /// the window, right or wrong. Every answer is counted in the metrics, without the number.
    pub async fn verify(
        &self,
        number: &DocumentNumber,
        code: &VerificationCode,
        client: &ClientInfo,
    ) -> Result<VerifyAnswer, StorageFailure> {
        Ok(self.check(number, code, client).await?.0)
    }

    /// The holder's photo as printed, for someone who gave the document's number and code.
    pub async fn photo(
        &self,
        number: &DocumentNumber,
        code: &VerificationCode,
        client: &ClientInfo,
    ) -> Result<Option<Bytes>, ProofError> {
        match self.check(number, code, client).await? {
            (VerifyAnswer::Found(_), Some(key)) => Ok(Some(self.app.files.get_bytes(&key).await?)),
            _ => Ok(None),
        }
    }

    /// The answer to a `/verify` question, with the stored photo's key when the answer shows a
    /// document (so the photo address needs one lookup, like the answer itself).
    async fn check(
        &self,
        number: &DocumentNumber,
        code: &VerificationCode,
        client: &ClientInfo,
    ) -> Result<(VerifyAnswer, Option<String>), StorageFailure> {
        let now = self.app.clock.now();
        let today = today_in_turkiye(now);
        let bucket = guess_bucket(client);
        let window = izin_domain::rate_limit::FixedWindow::containing(now, GUESS_WINDOW);
        let recent = &self.app.recent_verifications;
        // A right code for a document read in the last second, from a client known to be under
        // the limit, is answered without the database (see `recent`).
        if let Some(read) = recent.document(number)
            && read.record.verification_code.matches(code)
        {
            match recent.guesses(&bucket, window.start) {
                Some(Guesses::Over) => {
                    count("too_many");
                    return Ok((VerifyAnswer::TooMany(window.seconds_left(now)), None));
                }
                Some(Guesses::Under) => return Ok(found(&read, today)),
                None => {}
            }
        }
        let generation = recent.generation();
        // One round trip answers both the document and the asker's wrong guesses so far.
        let (record, guesses) = self
            .app
            .store
            .verify_lookup(number, &bucket, window.start)
            .await?;
        if let Some(wait) = window.over_limit(guesses, WRONG_GUESSES_ALLOWED, now) {
            recent.remember_guesses(&bucket, window.start, Guesses::Over);
            count("too_many");
            return Ok((VerifyAnswer::TooMany(wait), None));
        }
        let record = record.filter(|r| r.verification_code.matches(code));
        let Some(record) = record else {
            count("not_found");
            let counted = self
                .app
                .store
                .hit_rate_limit(&bucket, GUESS_WINDOW, WRONG_GUESSES_ALLOWED, now)
                .await?;
            return Ok(match counted {
                Ok(()) => {
                    recent.remember_guesses(&bucket, window.start, Guesses::Under);
                    (VerifyAnswer::NotFound, None)
                }
                Err(wait) => {
                    recent.remember_guesses(&bucket, window.start, Guesses::Over);
                    (VerifyAnswer::TooMany(wait), None)
                }
            });
        };
        recent.remember_guesses(&bucket, window.start, Guesses::Under);
        let read = Arc::new(ReadDocument::new(record));
        recent.remember_document(read.clone(), generation);
        Ok(found(&read, today))
    }
}

/// The answer for a document whose code was given, with its photo's key.
fn found(read: &ReadDocument, today: Date) -> (VerifyAnswer, Option<String>) {
    let record = &read.record;
    let (Some(status), Some(produced)) = (status_of(record, today), record.produced.as_ref())
    else {
        count("being_prepared");
        return (VerifyAnswer::BeingPrepared, None);
    };
    count(status.code());
    let answer = VerifyAnswer::Found(VerifiedDocument {
        number: record.number,
        status,
        holder: read.holder.clone(),
        grants: read.grants.clone(),
        valid_from: produced.valid_from,
        valid_until: produced.valid_until,
        has_photo: produced.photo_key.is_some(),
    });
    (answer, produced.photo_key.clone())
}

fn guess_bucket(client: &ClientInfo) -> String {
    format!("verify:{}", client.ip.as_deref().unwrap_or("unknown"))
}

fn count(outcome: &'static str) {
    metrics::counter!("izin_verifications_total", "outcome" => outcome).increment(1);
}

/// Moves every ACTIVE exemption whose end date passed to EXPIRED (system actor). Safe on many
/// instances at once: each move is decided on the locked application, so a second worker's
/// attempt is refused and nothing happens twice. Answers how many it moved.
pub async fn expire_ended_exemptions(app: &App) -> Result<usize, StoreError> {
    let now = app.clock.now();
    let today = today_in_turkiye(now);
    let mut moved = 0;
    loop {
        let ended = app.store.exemptions_ended(today, 100).await?;
        if ended.is_empty() {
            return Ok(moved);
        }
        let mut progressed = false;
        for id in ended {
            let outcome = app
                .store
                .transition_application(Transition {
                    id,
                    owner: None,
                    event: Event::ExpireExemption,
                    actor: Actor::System,
                    reason: None,
                    fees_due: false,
                    approval_outcome: None,
                    resubmission: None,
                    officer: None,
                    payment: None,
                    now,
                    mail: None,
                    audit: NewAuditEntry::new(
                        now,
                        Actor::System,
                        AuditAction::ExemptionExpired,
                        &ClientInfo::default(),
                    )
                    .subject(format!("application:{id}")),
                })
                .await?;
            // A refusal means another instance moved it first.
            if let TransitionOutcome::Moved { .. } = outcome {
                app.recent_verifications.forget_all();
                moved += 1;
                progressed = true;
            }
        }
        if !progressed {
            return Ok(moved);
        }
    }
}
