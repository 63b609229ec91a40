//! Proof Documents on SQLite: issued with the approval, produced by leased jobs, looked up by
//! number. One writer at a time makes a lease a plain update.

use super::applications::parse_date;
use super::outbox::enqueue_with_attachment;
use super::{SqliteStore, from_micros, micros, opt_from_micros};
use crate::StoreError;
use crate::model::NewMail;
use crate::proof_documents::*;
use async_trait::async_trait;
use izin_domain::application::ExemptionStatus;
use izin_domain::proof::number::DocumentNumber;
use rusqlite::{Connection, OptionalExtension, Row, params};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// Every approval issues a Proof Document, in the transaction that approves: the mail that
/// announces the approval waits for it and carries it. `subject` is the application whose
/// exemption it proves (a new card's parent, or the application itself).
pub(crate) fn issue_document(
    conn: &Connection,
    application: Uuid,
    subject: Uuid,
    mail: Option<&NewMail>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let serial: i64 = conn
        .prepare_cached(
            "UPDATE counters SET value = value + 1 WHERE name = 'document_number' RETURNING value",
        )?
        .query_row([], |row| row.get(0))?;
    let (number, code) = new_document_identity(now, serial)?;
    let mail = stored_mail(mail)?.map(|m| m.to_string());
    conn.prepare_cached(
        "INSERT INTO proof_documents (id, application_id, subject_id, number, verification_code,
                issued_at, mail, next_attempt_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6)",
    )?
    .execute(params![
        Uuid::now_v7(),
        application,
        subject,
        number.as_digits(),
        code.as_str(),
        micros(now),
        mail,
    ])?;
    Ok(())
}

const RECORD_COLUMNS: &str = "d.id, d.application_id, d.subject_id, d.number, d.verification_code,
    d.issued_at, d.produced_at, d.storage_key, d.sha256, d.key_id, d.signed_payload,
    d.valid_from, d.valid_until, d.shown, d.photo_key, d.with_card, d.replaced_by IS NOT NULL,
    s.exemption_status";

fn required<T>(value: Option<T>) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::Corrupt("a produced document lacks what it printed".into()))
}

fn record_from_row(row: &Row<'_>) -> Result<ProofDocumentRecord, StoreError> {
    record_from_row_at(row, 0)
}

/// The record whose columns start at `at` in `row`.
fn record_from_row_at(row: &Row<'_>, at: usize) -> Result<ProofDocumentRecord, StoreError> {
    let produced_at: Option<i64> = row.get(at + 6)?;
    let produced = match produced_at {
        Some(when) => {
            let shown: String = required(row.get(at + 13)?)?;
            Some(Produced {
                at: from_micros(when)?,
                storage_key: required(row.get(at + 7)?)?,
                sha256: required(row.get(at + 8)?)?,
                key_id: required(row.get(at + 9)?)?,
                signed_payload: required(row.get(at + 10)?)?,
                valid_from: required(parse_date(row.get(at + 11)?)?)?,
                valid_until: required(parse_date(row.get(at + 12)?)?)?,
                shown: serde_json::from_str(&shown)?,
                photo_key: row.get(at + 14)?,
                with_card: row.get(at + 15)?,
            })
        }
        None => None,
    };
    let number: String = row.get(at + 3)?;
    let code: String = row.get(at + 4)?;
    let exemption: Option<String> = row.get(at + 17)?;
    Ok(ProofDocumentRecord {
        id: row.get(at)?,
        application_id: row.get(at + 1)?,
        subject_id: row.get(at + 2)?,
        number: number_of(&number)?,
        verification_code: code_of(&code)?,
        issued_at: from_micros(row.get(at + 5)?)?,
        produced,
        replaced: row.get(at + 16)?,
        exemption: exemption
            .map(|code| {
                ExemptionStatus::parse(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("exemption status {code:?}")))
            })
            .transpose()?,
    })
}

#[async_trait]
impl ProofDocumentStore for SqliteStore {
    async fn claim_document_jobs(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<DocumentJob>, StoreError> {
        self.write(move |tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE proof_documents SET lease_until = ?2, attempts = attempts + 1
                  WHERE id IN (SELECT id FROM proof_documents
                                WHERE produced_at IS NULL AND next_attempt_at <= ?1
                                  AND (lease_until IS NULL OR lease_until <= ?1)
                                ORDER BY next_attempt_at, id LIMIT ?3)
                  RETURNING id, application_id, subject_id, number, verification_code, issued_at,
                            attempts",
            )?;
            let mut rows = stmt.query(params![micros(now), micros(now + lease), limit])?;
            let mut jobs = Vec::new();
            while let Some(row) = rows.next()? {
                let number: String = row.get(3)?;
                let code: String = row.get(4)?;
                let attempts: i64 = row.get(6)?;
                jobs.push(DocumentJob {
                    id: row.get(0)?,
                    application_id: row.get(1)?,
                    subject_id: row.get(2)?,
                    number: number_of(&number)?,
                    verification_code: code_of(&code)?,
                    issued_at: from_micros(row.get(5)?)?,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                });
            }
            jobs.sort_by_key(|job| (job.issued_at, job.id));
            Ok(jobs)
        })
        .await
    }

    async fn complete_document(
        &self,
        p: ProducedDocument,
    ) -> Result<CompletionOutcome, StoreError> {
        self.write(move |tx| {
            let shown = p.shown.to_string();
            let done = tx
                .prepare_cached(
                    "SELECT mail, subject_id, issued_at FROM proof_documents
                      WHERE id = ?1 AND produced_at IS NULL",
                )?
                .query_row(params![p.id], |row| {
                    Ok((
                        row.get::<_, Option<String>>(0)?,
                        row.get::<_, Uuid>(1)?,
                        row.get::<_, i64>(2)?,
                    ))
                })
                .optional()?;
            if done.is_some() {
                tx.prepare_cached(
                    "UPDATE proof_documents
                        SET produced_at = ?2, storage_key = ?3, sha256 = ?4, key_id = ?5,
                            signed_payload = ?6, valid_from = ?7, valid_until = ?8, shown = ?9,
                            photo_key = ?10, with_card = ?11, lease_until = NULL,
                            last_error = NULL, mail = NULL, card = ?12, delivery_address = ?13
                      WHERE id = ?1",
                )?
                .execute(params![
                    p.id,
                    micros(p.now),
                    p.storage_key,
                    p.sha256,
                    p.key_id,
                    p.signed_payload,
                    p.valid_from.to_string(),
                    p.valid_until.to_string(),
                    shown,
                    p.photo_key,
                    p.with_card,
                    p.card.as_ref().map(|c| c.to_string()),
                    p.delivery_address,
                ])?;
            }
            let Some((mail, subject, issued_at)) = done else {
                return Ok(CompletionOutcome::AlreadyProduced);
            };
            if let Some(mail) = mail {
                let mail: NewMail = serde_json::from_str(&mail)?;
                let attachment = MailAttachment {
                    storage_key: p.storage_key.clone(),
                    file_name: p.file_name.clone(),
                    content_type: "application/pdf".into(),
                };
                enqueue_with_attachment(tx, &mail, Some(&attachment), p.now)?;
            }
            // A new card's document replaces what was issued for the same exemption before it.
            tx.prepare_cached(
                "UPDATE proof_documents SET replaced_by = ?1
                  WHERE subject_id = ?2 AND id <> ?1 AND replaced_by IS NULL AND issued_at <= ?3",
            )?
            .execute(params![p.id, subject, issued_at])?;
            Ok(CompletionOutcome::Recorded)
        })
        .await
    }

    async fn fail_document_job(
        &self,
        id: Uuid,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        self.write(move |tx| {
            tx.prepare_cached(
                "UPDATE proof_documents SET lease_until = NULL, last_error = ?2,
                        next_attempt_at = ?3
                  WHERE id = ?1 AND produced_at IS NULL",
            )?
            .execute(params![id, error, micros(retry_at)])?;
            Ok(())
        })
        .await
    }

    async fn proof_document_by_number(
        &self,
        number: &DocumentNumber,
    ) -> Result<Option<ProofDocumentRecord>, StoreError> {
        let digits = number.as_digits().to_owned();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM proof_documents d
                   JOIN applications s ON s.id = d.subject_id
                  WHERE d.number = ?1"
            ))?;
            let mut rows = stmt.query(params![digits])?;
            rows.next()?.map(record_from_row).transpose()
        })
        .await
    }

    async fn verify_lookup(
        &self,
        number: &DocumentNumber,
        guess_bucket: &str,
        window_start: OffsetDateTime,
    ) -> Result<(Option<ProofDocumentRecord>, i64), StoreError> {
        let digits = number.as_digits();
        let bucket = guess_bucket.to_owned();
        self.read(move |conn| {
            // A LEFT JOIN from the guesses' row, so the count comes back when no document matches.
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT g.hits, {RECORD_COLUMNS}
                   FROM (SELECT COALESCE((SELECT hits FROM rate_limits
                                           WHERE bucket = ?2 AND window_start = ?3), 0) AS hits) g
                   LEFT JOIN proof_documents d ON d.number = ?1
                   LEFT JOIN applications s ON s.id = d.subject_id"
            ))?;
            let mut rows = stmt.query(params![digits, bucket, micros(window_start)])?;
            let Some(row) = rows.next()? else {
                return Ok((None, 0));
            };
            let hits: i64 = row.get(0)?;
            let found: Option<Uuid> = row.get(1)?;
            let record = match found {
                Some(_) => Some(record_from_row_at(row, 1)?),
                None => None,
            };
            Ok((record, hits))
        })
        .await
    }

    async fn proof_documents_of(
        &self,
        application: Uuid,
    ) -> Result<Vec<ProofDocumentRecord>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM proof_documents d
                   JOIN applications s ON s.id = d.subject_id
                  WHERE d.application_id = ?1 ORDER BY d.issued_at, d.id"
            ))?;
            let mut rows = stmt.query(params![application])?;
            let mut records = Vec::new();
            while let Some(row) = rows.next()? {
                records.push(record_from_row(row)?);
            }
            Ok(records)
        })
        .await
    }

    async fn signing_keys(&self) -> Result<Vec<StoredSigningKey>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT key_id, public_key, sealed_key, created_at, retired_at
                   FROM signing_keys ORDER BY created_at, key_id",
            )?;
            let mut rows = stmt.query([])?;
            let mut keys = Vec::new();
            while let Some(row) = rows.next()? {
                keys.push(StoredSigningKey {
                    key_id: row.get(0)?,
                    public_key: row.get(1)?,
                    sealed_key: row.get(2)?,
                    created_at: from_micros(row.get(3)?)?,
                    retired_at: opt_from_micros(row.get(4)?)?,
                });
            }
            Ok(keys)
        })
        .await
    }

    async fn add_signing_key(
        &self,
        key: StoredSigningKey,
        retire_current: bool,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            if retire_current {
                tx.prepare_cached("UPDATE signing_keys SET retired_at = ?1 WHERE retired_at IS NULL")?
                    .execute(params![micros(key.created_at)])?;
            }
            // The unique index on the current key settles a race between two first starts.
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO signing_keys (key_id, public_key, sealed_key, created_at, retired_at)
                     VALUES (?1, ?2, ?3, ?4, NULL) ON CONFLICT DO NOTHING",
                )?
                .execute(params![
                    key.key_id,
                    key.public_key,
                    key.sealed_key,
                    micros(key.created_at)
                ])?;
            Ok(inserted == 1)
        })
        .await
    }

    async fn exemptions_ended(&self, today: Date, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        let today = today.to_string();
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id FROM applications
                  WHERE exemption_status = 'ACTIVE' AND end_date < ?1
                  ORDER BY end_date, id LIMIT ?2",
            )?;
            let mut rows = stmt.query(params![today, limit])?;
            let mut ids = Vec::new();
            while let Some(row) = rows.next()? {
                ids.push(row.get(0)?);
            }
            Ok(ids)
        })
        .await
    }
}
