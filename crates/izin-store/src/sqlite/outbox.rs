//! The mail outbox on SQLite.

use super::{SqliteStore, from_micros, language, micros, opt_from_micros};
use crate::StoreError;
use crate::model::*;
use crate::proof_documents::MailAttachment;
use crate::traits::OutboxStore;
use async_trait::async_trait;
use rusqlite::{Connection, params};
use time::{Duration, OffsetDateTime};

pub(crate) fn enqueue_tx(
    conn: &Connection,
    mail: &NewMail,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    enqueue_with_attachment(conn, mail, None, now)
}

pub(crate) fn enqueue_with_attachment(
    conn: &Connection,
    mail: &NewMail,
    attachment: Option<&MailAttachment>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    let attachment = attachment.map(serde_json::to_string).transpose()?;
    conn.prepare_cached(
        "INSERT INTO outbox (kind, recipient, language, subject, body_text, body_html, created_at,
                             not_after, next_attempt_at, attachment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9)",
    )?
    .execute(params![
        mail.kind,
        mail.recipient,
        mail.language.code(),
        mail.subject,
        mail.body_text,
        mail.body_html,
        micros(now),
        mail.not_after.map(micros),
        attachment,
    ])?;
    Ok(conn.last_insert_rowid())
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn enqueue_mail(&self, mail: NewMail, now: OffsetDateTime) -> Result<i64, StoreError> {
        self.write(move |tx| enqueue_tx(tx, &mail, now)).await
    }

    async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.write(move |tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT id, kind, recipient, language, subject, COALESCE(body_text, ''), body_html,
                        created_at, not_after, attempts, attachment
                   FROM outbox
                  WHERE status = 'pending' AND next_attempt_at <= ?1
                    AND (lease_until IS NULL OR lease_until <= ?1)
                  ORDER BY next_attempt_at, id
                  LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![micros(now), limit], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, Option<String>>(6)?,
                    row.get::<_, i64>(7)?,
                    row.get::<_, Option<i64>>(8)?,
                    row.get::<_, i64>(9)?,
                    row.get::<_, Option<String>>(10)?,
                ))
            })?;
            let mut items = Vec::new();
            for row in rows {
                let (
                    id,
                    kind,
                    recipient,
                    lang,
                    subject,
                    body_text,
                    body_html,
                    created_at,
                    not_after,
                    attempts,
                    attachment,
                ) = row?;
                items.push(OutboxItem {
                    id,
                    kind,
                    recipient,
                    language: language(&lang)?,
                    subject,
                    body_text,
                    body_html,
                    created_at: from_micros(created_at)?,
                    not_after: opt_from_micros(not_after)?,
                    attempts: u32::try_from(attempts + 1).unwrap_or(u32::MAX),
                    attachment: attachment.map(|a| serde_json::from_str(&a)).transpose()?,
                });
            }
            drop(stmt);
            let mut lease_stmt = tx.prepare_cached(
                "UPDATE outbox SET lease_until = ?2, attempts = attempts + 1 WHERE id = ?1",
            )?;
            for item in &items {
                lease_stmt.execute(params![item.id, micros(now + lease)])?;
            }
            Ok(items)
        })
        .await
    }

    async fn mark_mail_delivered(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(
                "UPDATE outbox SET status = 'delivered', finished_at = ?2, lease_until = NULL,
                                   body_text = NULL, body_html = NULL, last_error = NULL
                 WHERE id = ?1",
            )?
            .execute(params![id, micros(now)])?;
            Ok(())
        })
        .await
    }

    async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        self.write(move |tx| {
            tx.prepare_cached(
                "UPDATE outbox SET lease_until = NULL, last_error = ?2, next_attempt_at = ?3
                 WHERE id = ?1 AND status = 'pending'",
            )?
            .execute(params![id, error, micros(retry_at)])?;
            Ok(())
        })
        .await
    }

    async fn mark_mail_expired(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.prepare_cached(
                "UPDATE outbox SET status = 'expired', finished_at = ?2, lease_until = NULL,
                                   body_text = NULL, body_html = NULL
                 WHERE id = ?1 AND status = 'pending'",
            )?
            .execute(params![id, micros(now)])?;
            Ok(())
        })
        .await
    }

    async fn mark_mail_undeliverable(
        &self,
        id: i64,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        self.write(move |tx| {
            tx.prepare_cached(
                "UPDATE outbox SET status = 'undeliverable', finished_at = ?2, lease_until = NULL,
                                   body_text = NULL, body_html = NULL, last_error = ?3
                 WHERE id = ?1 AND status = 'pending'",
            )?
            .execute(params![id, micros(now), error])?;
            Ok(())
        })
        .await
    }

    async fn outbox_stats(&self) -> Result<OutboxStats, StoreError> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT COUNT(*), COUNT(last_error) FROM outbox WHERE status = 'pending'",
                )?
                .query_row([], |row| {
                    Ok(OutboxStats {
                        pending: row.get(0)?,
                        retrying: row.get(1)?,
                    })
                })?)
        })
        .await
    }
}
