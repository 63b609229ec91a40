//! Proof Documents on PostgreSQL: issued with the approval, produced by leased jobs that
//! several instances' workers share (`FOR UPDATE SKIP LOCKED`), looked up by number.

use super::PostgresStore;
use super::outbox::enqueue_with_attachment;
use crate::StoreError;
use crate::model::NewMail;
use crate::proof_documents::*;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::application::ExemptionStatus;
use izin_domain::proof::number::DocumentNumber;
use time::{Date, Duration, OffsetDateTime};
use tokio_postgres::Row;
use uuid::Uuid;

/// Every approval issues a Proof Document, in the transaction that approves: the mail that
/// announces the approval waits for it and carries it. `subject` is the application whose
/// exemption it proves (a new card's parent, or the application itself).
pub(crate) async fn issue_document(
    client: &impl GenericClient,
    application: Uuid,
    subject: Uuid,
    mail: Option<&NewMail>,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let draw = client
        .prepare_cached("SELECT nextval('document_number_serial')")
        .await?;
    let serial: i64 = client.query_one(&draw, &[]).await?.try_get(0)?;
    let (number, code) = new_document_identity(now, serial)?;
    let stmt = client
        .prepare_cached(
            "INSERT INTO proof_documents (id, application_id, subject_id, number,
                    verification_code, issued_at, mail, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $6)",
        )
        .await?;
    client
        .execute(
            &stmt,
            &[
                &Uuid::now_v7(),
                &application,
                &subject,
                &number.as_digits(),
                &code.as_str(),
                &now,
                &stored_mail(mail)?,
            ],
        )
        .await?;
    Ok(())
}

const RECORD_COLUMNS: &str = "d.id, d.application_id, d.subject_id, d.number, d.verification_code,
    d.issued_at, d.produced_at, d.storage_key, d.sha256, d.key_id, d.signed_payload,
    d.valid_from, d.valid_until, d.shown, d.photo_key, d.with_card, d.replaced_by IS NOT NULL,
    s.exemption_status";

fn record_from_row(row: &Row) -> Result<ProofDocumentRecord, StoreError> {
    record_from_row_at(row, 0)
}

/// The record whose columns start at `at` in `row`.
fn record_from_row_at(row: &Row, at: usize) -> Result<ProofDocumentRecord, StoreError> {
    let produced_at: Option<OffsetDateTime> = row.try_get(at + 6)?;
    let produced = match produced_at {
        Some(when) => Some(Produced {
            at: when,
            storage_key: required(row.try_get(at + 7)?)?,
            sha256: required(row.try_get(at + 8)?)?,
            key_id: required(row.try_get(at + 9)?)?,
            signed_payload: required(row.try_get(at + 10)?)?,
            valid_from: required(row.try_get::<_, Option<Date>>(at + 11)?)?,
            valid_until: required(row.try_get::<_, Option<Date>>(at + 12)?)?,
            shown: required(row.try_get(at + 13)?)?,
            photo_key: row.try_get(at + 14)?,
            with_card: row.try_get(at + 15)?,
        }),
        None => None,
    };
    let exemption: Option<String> = row.try_get(at + 17)?;
    Ok(ProofDocumentRecord {
        id: row.try_get(at)?,
        application_id: row.try_get(at + 1)?,
        subject_id: row.try_get(at + 2)?,
        number: number_of(row.try_get(at + 3)?)?,
        verification_code: code_of(row.try_get(at + 4)?)?,
        issued_at: row.try_get(at + 5)?,
        produced,
        replaced: row.try_get(at + 16)?,
        exemption: exemption_of(exemption.as_deref())?,
    })
}

pub(crate) fn exemption_of(stored: Option<&str>) -> Result<Option<ExemptionStatus>, StoreError> {
    stored
        .map(|code| {
            ExemptionStatus::parse(code)
                .ok_or_else(|| StoreError::Corrupt(format!("exemption status {code:?}")))
        })
        .transpose()
}

fn required<T>(value: Option<T>) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::Corrupt("a produced document lacks what it printed".into()))
}

#[async_trait]
impl ProofDocumentStore for PostgresStore {
    async fn claim_document_jobs(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<DocumentJob>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE proof_documents SET lease_until = $2, attempts = attempts + 1
                  WHERE id IN (SELECT id FROM proof_documents
                                WHERE produced_at IS NULL AND next_attempt_at <= $1
                                  AND (lease_until IS NULL OR lease_until <= $1)
                                ORDER BY next_attempt_at, id
                                LIMIT $3
                                FOR UPDATE SKIP LOCKED)
                  RETURNING id, application_id, subject_id, number, verification_code, issued_at,
                            attempts",
            )
            .await?;
        let rows = client
            .query(&stmt, &[&now, &(now + lease), &i64::from(limit)])
            .await?;
        let mut jobs = rows
            .iter()
            .map(|row| {
                let attempts: i32 = row.try_get(6)?;
                Ok(DocumentJob {
                    id: row.try_get(0)?,
                    application_id: row.try_get(1)?,
                    subject_id: row.try_get(2)?,
                    number: number_of(row.try_get(3)?)?,
                    verification_code: code_of(row.try_get(4)?)?,
                    issued_at: row.try_get(5)?,
                    attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        jobs.sort_by_key(|job| (job.issued_at, job.id));
        Ok(jobs)
    }

    async fn complete_document(
        &self,
        p: ProducedDocument,
    ) -> Result<CompletionOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The row is locked first: a second worker's completion waits, then finds it produced.
        let Some(row) = tx
            .query_opt(
                "SELECT mail, subject_id, issued_at FROM proof_documents
                  WHERE id = $1 AND produced_at IS NULL FOR UPDATE",
                &[&p.id],
            )
            .await?
        else {
            return Ok(CompletionOutcome::AlreadyProduced);
        };
        let stmt = tx
            .prepare_cached(
                "UPDATE proof_documents
                    SET produced_at = $2, storage_key = $3, sha256 = $4, key_id = $5,
                        signed_payload = $6, valid_from = $7, valid_until = $8, shown = $9,
                        photo_key = $10, with_card = $11, lease_until = NULL, last_error = NULL,
                        mail = NULL, card = $12, delivery_address = $13
                  WHERE id = $1",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &p.id,
                &p.now,
                &p.storage_key,
                &p.sha256,
                &p.key_id,
                &p.signed_payload,
                &p.valid_from,
                &p.valid_until,
                &p.shown,
                &p.photo_key,
                &p.with_card,
                &p.card,
                &p.delivery_address,
            ],
        )
        .await?;
        let mail: Option<serde_json::Value> = row.try_get(0)?;
        let subject: Uuid = row.try_get(1)?;
        let issued_at: OffsetDateTime = row.try_get(2)?;
        if let Some(mail) = mail {
            let mail: NewMail = serde_json::from_value(mail)?;
            let attachment = MailAttachment {
                storage_key: p.storage_key.clone(),
                file_name: p.file_name.clone(),
                content_type: "application/pdf".into(),
            };
            enqueue_with_attachment(&tx, &mail, Some(&attachment), p.now).await?;
        }
        // A new card's document replaces what was issued for the same exemption before it.
        tx.execute(
            "UPDATE proof_documents SET replaced_by = $1
              WHERE subject_id = $2 AND id <> $1 AND replaced_by IS NULL AND issued_at <= $3",
            &[&p.id, &subject, &issued_at],
        )
        .await?;
        tx.commit().await?;
        Ok(CompletionOutcome::Recorded)
    }

    async fn fail_document_job(
        &self,
        id: Uuid,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        let client = self.client().await?;
        client
            .execute(
                "UPDATE proof_documents SET lease_until = NULL, last_error = $2,
                        next_attempt_at = $3
                  WHERE id = $1 AND produced_at IS NULL",
                &[&id, &error, &retry_at],
            )
            .await?;
        Ok(())
    }

    async fn proof_document_by_number(
        &self,
        number: &DocumentNumber,
    ) -> Result<Option<ProofDocumentRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM proof_documents d
                   JOIN applications s ON s.id = d.subject_id
                  WHERE d.number = $1"
            ))
            .await?;
        client
            .query_opt(&stmt, &[&number.as_digits()])
            .await?
            .as_ref()
            .map(record_from_row)
            .transpose()
    }

    async fn verify_lookup(
        &self,
        number: &DocumentNumber,
        guess_bucket: &str,
        window_start: OffsetDateTime,
    ) -> Result<(Option<ProofDocumentRecord>, i64), StoreError> {
        let client = self.client().await?;
        // A LEFT JOIN from the guesses' row, so the count comes back when no document matches.
        let stmt = client
            .prepare_cached(&format!(
                "SELECT g.hits, {RECORD_COLUMNS}
                   FROM (SELECT COALESCE((SELECT hits FROM rate_limits
                                           WHERE bucket = $2 AND window_start = $3), 0) AS hits) g
                   LEFT JOIN proof_documents d ON d.number = $1
                   LEFT JOIN applications s ON s.id = d.subject_id"
            ))
            .await?;
        let row = client
            .query_one(&stmt, &[&number.as_digits(), &guess_bucket, &window_start])
            .await?;
        let hits: i32 = row.try_get(0)?;
        let found: Option<Uuid> = row.try_get(1)?;
        let record = match found {
            Some(_) => Some(record_from_row_at(&row, 1)?),
            None => None,
        };
        Ok((record, i64::from(hits)))
    }

    async fn proof_documents_of(
        &self,
        application: Uuid,
    ) -> Result<Vec<ProofDocumentRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {RECORD_COLUMNS} FROM proof_documents d
                   JOIN applications s ON s.id = d.subject_id
                  WHERE d.application_id = $1 ORDER BY d.issued_at, d.id"
            ))
            .await?;
        client
            .query(&stmt, &[&application])
            .await?
            .iter()
            .map(record_from_row)
            .collect()
    }

    async fn signing_keys(&self) -> Result<Vec<StoredSigningKey>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT key_id, public_key, sealed_key, created_at, retired_at
                   FROM signing_keys ORDER BY created_at, key_id",
            )
            .await?;
        client
            .query(&stmt, &[])
            .await?
            .iter()
            .map(|row| {
                Ok(StoredSigningKey {
                    key_id: row.try_get(0)?,
                    public_key: row.try_get(1)?,
                    sealed_key: row.try_get(2)?,
                    created_at: row.try_get(3)?,
                    retired_at: row.try_get(4)?,
                })
            })
            .collect()
    }

    async fn add_signing_key(
        &self,
        key: StoredSigningKey,
        retire_current: bool,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        if retire_current {
            tx.execute(
                "UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL",
                &[&key.created_at],
            )
            .await?;
        }
        // The unique index on the current key settles a race between two first starts.
        let inserted = tx
            .execute(
                "INSERT INTO signing_keys (key_id, public_key, sealed_key, created_at, retired_at)
                 VALUES ($1, $2, $3, $4, NULL) ON CONFLICT DO NOTHING",
                &[
                    &key.key_id,
                    &key.public_key,
                    &key.sealed_key,
                    &key.created_at,
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(inserted == 1)
    }

    async fn exemptions_ended(&self, today: Date, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT id FROM applications
                  WHERE exemption_status = 'ACTIVE' AND end_date < $1
                  ORDER BY end_date, id LIMIT $2",
            )
            .await?;
        client
            .query(&stmt, &[&today, &i64::from(limit)])
            .await?
            .iter()
            .map(|row| Ok(row.try_get(0)?))
            .collect()
    }
}
