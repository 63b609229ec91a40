//! What `/verify` read from the database in the last second, so that a document checked over
//! and over (a QR code scanned at a border post, an employer's system polling) costs one read a
//! second instead of one a request.
//!
//! The database stays the authority; this only remembers, per process, for at most
//! [`FRESH_FOR`]:
//! - a produced document's facts (code, validity, holder, what it grants, whether it is cancelled
//!   or replaced). A change this process makes (a decision, the expiry job, a new card's document)
//!   forgets everything at once ([`RecentAnswers::forget_all`]); a change made by another instance
//!   shows here within [`FRESH_FOR`];
//! - whether a client was under the wrong-guess limit. A client known to be over it stays refused
//!   until its window ends. Wrong guesses are never answered from here: each is counted in the
//!   database and its answer read back, so a client over the limit is known at its first wrong
//!   guess on this instance. A client that went over the limit on other instances can have at
//!   most one more guess answered on each instance, and only within [`FRESH_FOR`] of that
//!   instance's last read.
//!
//! Numbers that are not found and documents not yet produced are never remembered.

use izin_domain::proof::number::DocumentNumber;
use izin_domain::reference::Labels;
use izin_store::ProofDocumentRecord;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// How long a read answers for.
pub const FRESH_FOR: Duration = Duration::from_secs(1);
/// At most this many documents and clients are remembered; past it, the oldest reads go first
/// (a flood of distinct numbers or addresses only costs reads, never memory).
const MOST_DOCUMENTS: usize = 10_000;
const MOST_CLIENTS: usize = 50_000;

/// A document as read, with what `/verify` shows of it already taken out of the stored JSON
/// (every answer from memory would otherwise look it up again).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDocument {
    pub record: ProofDocumentRecord,
    pub holder: String,
    pub grants: Labels,
}

impl ReadDocument {
    pub fn new(record: ProofDocumentRecord) -> Self {
        let text = |path: &[&str]| {
            record
                .produced
                .as_ref()
                .and_then(|p| path.iter().try_fold(&p.shown, |value, key| value.get(key)))
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let holder = text(&["holder"]);
        let grants = Labels {
            tr: text(&["grants", "tr"]),
            en: text(&["grants", "en"]),
        };
        Self {
            record,
            holder,
            grants,
        }
    }
}

/// What the wrong-guess count said about a client in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guesses {
    /// Under the limit when read (answers for [`FRESH_FOR`]).
    Under,
    /// Over the limit: refused until the window ends.
    Over,
}

#[derive(Debug)]
struct Remembered<T> {
    value: T,
    read_at: Instant,
    generation: u64,
}

#[derive(Debug)]
struct ClientState {
    window_start: OffsetDateTime,
    guesses: Guesses,
    read_at: Instant,
}

/// The recent `/verify` reads of this process.
#[derive(Debug, Default)]
pub struct RecentAnswers {
    generation: AtomicU64,
    documents: Mutex<HashMap<DocumentNumber, Remembered<Arc<ReadDocument>>>>,
    clients: Mutex<HashMap<String, ClientState>>,
}

impl RecentAnswers {
    /// The produced document with this number as read less than [`FRESH_FOR`] ago, unless this
    /// process changed any document since.
    pub fn document(&self, number: &DocumentNumber) -> Option<Arc<ReadDocument>> {
        let generation = self.generation.load(Ordering::Acquire);
        let documents = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        documents
            .get(number)
            .filter(|r| r.generation == generation && r.read_at.elapsed() < FRESH_FOR)
            .map(|r| r.value.clone())
    }

    /// Remembers a produced document read from the database just now (`generation` as taken
    /// before the read, so a change made meanwhile is not hidden).
    pub fn remember_document(&self, read: Arc<ReadDocument>, generation: u64) {
        if read.record.produced.is_none() {
            return;
        }
        let mut documents = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if documents.len() >= MOST_DOCUMENTS && !documents.contains_key(&read.record.number) {
            documents.retain(|_, r| r.read_at.elapsed() < FRESH_FOR);
            if documents.len() >= MOST_DOCUMENTS {
                documents.clear();
            }
        }
        documents.insert(
            read.record.number,
            Remembered {
                value: read,
                read_at: Instant::now(),
                generation,
            },
        );
    }

    /// What is known of `client`'s wrong guesses in the window starting at `window_start`.
    pub fn guesses(&self, client: &str, window_start: OffsetDateTime) -> Option<Guesses> {
        let clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        let state = clients.get(client)?;
        if state.window_start != window_start {
            return None;
        }
        match state.guesses {
            Guesses::Over => Some(Guesses::Over),
            Guesses::Under if state.read_at.elapsed() < FRESH_FOR => Some(Guesses::Under),
            Guesses::Under => None,
        }
    }

    /// Remembers what the database just said of `client`'s wrong guesses.
    pub fn remember_guesses(&self, client: &str, window_start: OffsetDateTime, guesses: Guesses) {
        let mut clients = self.clients.lock().unwrap_or_else(PoisonError::into_inner);
        if clients.len() >= MOST_CLIENTS && !clients.contains_key(client) {
            clients.retain(|_, s| s.window_start == window_start);
            if clients.len() >= MOST_CLIENTS {
                clients.clear();
            }
        }
        clients.insert(
            client.to_owned(),
            ClientState {
                window_start,
                guesses,
                read_at: Instant::now(),
            },
        );
    }

    /// The current generation: take it before reading, hand it to [`Self::remember_document`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A document's status may have changed: nothing read before answers again.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use izin_domain::proof::code::VerificationCode;
    use izin_store::Produced;
    use time::macros::{date, datetime};
    use uuid::Uuid;

    fn record(produced: bool) -> Arc<ReadDocument> {
        Arc::new(ReadDocument::new(ProofDocumentRecord {
            id: Uuid::nil(),
            application_id: Uuid::nil(),
            subject_id: Uuid::nil(),
            number: DocumentNumber::new(2026, 1).expect("number"),
            verification_code: VerificationCode::parse("ABCDEFGHJK").expect("code"),
            issued_at: datetime!(2026-11-28 10:00 UTC),
            produced: produced.then(|| Produced {
                at: datetime!(2026-11-28 10:01 UTC),
                storage_key: "k".into(),
                sha256: "s".into(),
                key_id: "key".into(),
                signed_payload: "IZ1.x".into(),
                valid_from: date!(2026 - 12 - 01),
                valid_until: date!(2027 - 11 - 30),
                shown: serde_json::json!({"holder": "Ayşe"}),
                photo_key: None,
                with_card: false,
            }),
            replaced: false,
            exemption: None,
        }))
    }

    #[test]
    fn what_is_shown_is_taken_out_once_when_read() {
        let read = record(true);
        assert_eq!(read.holder, "Ayşe");
        assert_eq!(read.grants.en, "");
        assert_eq!(record(false).holder, "");
    }

    #[test]
    fn a_produced_document_is_remembered_until_anything_changes() {
        let recent = RecentAnswers::default();
        let number = record(true).record.number;
        assert!(recent.document(&number).is_none());
        recent.remember_document(record(true), recent.generation());
        assert_eq!(recent.document(&number), Some(record(true)));
        recent.forget_all();
        assert!(recent.document(&number).is_none());
    }

    #[test]
    fn a_read_older_than_a_change_is_not_remembered() {
        let recent = RecentAnswers::default();
        let before = recent.generation();
        recent.forget_all();
        recent.remember_document(record(true), before);
        assert!(recent.document(&record(true).record.number).is_none());
    }

    #[test]
    fn documents_being_prepared_are_not_remembered() {
        let recent = RecentAnswers::default();
        recent.remember_document(record(false), recent.generation());
        assert!(recent.document(&record(false).record.number).is_none());
    }

    #[test]
    fn a_client_over_the_limit_stays_over_until_its_window_ends() {
        let recent = RecentAnswers::default();
        let window = datetime!(2026-11-28 10:00 UTC);
        assert_eq!(recent.guesses("verify:1.2.3.4", window), None);
        recent.remember_guesses("verify:1.2.3.4", window, Guesses::Under);
        assert_eq!(
            recent.guesses("verify:1.2.3.4", window),
            Some(Guesses::Under)
        );
        recent.remember_guesses("verify:1.2.3.4", window, Guesses::Over);
        assert_eq!(
            recent.guesses("verify:1.2.3.4", window),
            Some(Guesses::Over)
        );
        let next = datetime!(2026-11-28 10:10 UTC);
        assert_eq!(recent.guesses("verify:1.2.3.4", next), None);
        assert_eq!(recent.guesses("verify:5.6.7.8", window), None);
    }

    #[test]
    fn reads_answer_for_a_second_only() {
        let recent = RecentAnswers::default();
        let window = datetime!(2026-11-28 10:00 UTC);
        recent.remember_document(record(true), recent.generation());
        recent.remember_guesses("c", window, Guesses::Under);
        {
            let mut documents = recent.documents.lock().unwrap();
            for r in documents.values_mut() {
                r.read_at -= FRESH_FOR;
            }
            let mut clients = recent.clients.lock().unwrap();
            for s in clients.values_mut() {
                s.read_at -= FRESH_FOR;
            }
        }
        assert!(recent.document(&record(true).record.number).is_none());
        assert_eq!(recent.guesses("c", window), None);
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_clients() {
        let recent = RecentAnswers::default();
        let window = datetime!(2026-11-28 10:00 UTC);
        for i in 0..(MOST_CLIENTS + 10) {
            recent.remember_guesses(&format!("verify:{i}"), window, Guesses::Under);
        }
        assert!(recent.clients.lock().unwrap().len() <= MOST_CLIENTS);
    }
}
