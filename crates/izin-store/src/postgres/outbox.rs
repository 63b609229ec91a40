//! The mail outbox on PostgreSQL. Workers on several instances claim disjoint batches with
//! `FOR UPDATE SKIP LOCKED` and a lease, so a message is sent by one worker at a time.

use super::{PostgresStore, language};
use crate::StoreError;
use crate::model::*;
use crate::proof_documents::MailAttachment;
use crate::traits::OutboxStore;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::{Duration, OffsetDateTime};

pub(crate) async fn enqueue_tx(
    client: &impl GenericClient,
    mail: &NewMail,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    enqueue_with_attachment(client, mail, None, now).await
}

pub(crate) async fn enqueue_with_attachment(
    client: &impl GenericClient,
    mail: &NewMail,
    attachment: Option<&MailAttachment>,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    let attachment = attachment.map(serde_json::to_value).transpose()?;
    let stmt = client
        .prepare_cached(
            "INSERT INTO outbox (kind, recipient, language, subject, body_text, body_html, created_at,
                                 not_after, next_attempt_at, attachment)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $9) RETURNING id",
        )
        .await?;
    let row = client
        .query_one(
            &stmt,
            &[
                &mail.kind,
                &mail.recipient,
                &mail.language.code(),
                &mail.subject,
                &mail.body_text,
                &mail.body_html,
                &now,
                &mail.not_after,
                &attachment,
            ],
        )
        .await?;
    Ok(row.try_get(0)?)
}

#[async_trait]
impl OutboxStore for PostgresStore {
    async fn enqueue_mail(&self, mail: NewMail, now: OffsetDateTime) -> Result<i64, StoreError> {
        let client = self.client().await?;
        enqueue_tx(&client, &mail, now).await
    }

    async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "UPDATE outbox SET lease_until = $2, attempts = attempts + 1
                  WHERE id IN (SELECT id FROM outbox
                                WHERE status = 'pending' AND next_attempt_at <= $1
                                  AND (lease_until IS NULL OR lease_until <= $1)
                                ORDER BY next_attempt_at, id
                                LIMIT $3
                                FOR UPDATE SKIP LOCKED)
                  RETURNING id, kind, recipient, language, subject, COALESCE(body_text, ''), body_html,
                            created_at, not_after, attempts, next_attempt_at, attachment",
            )
            .await?;
        let rows = client
            .query(&stmt, &[&now, &(now + lease), &i64::from(limit)])
            .await?;
        let mut items = rows
            .iter()
            .map(|row| {
                let attempts: i32 = row.try_get(9)?;
                let attachment: Option<serde_json::Value> = row.try_get(11)?;
                Ok((
                    row.try_get::<_, OffsetDateTime>(10)?,
                    OutboxItem {
                        id: row.try_get(0)?,
                        kind: row.try_get(1)?,
                        recipient: row.try_get(2)?,
                        language: language(row.try_get(3)?)?,
                        subject: row.try_get(4)?,
                        body_text: row.try_get(5)?,
                        body_html: row.try_get(6)?,
                        created_at: row.try_get(7)?,
                        not_after: row.try_get(8)?,
                        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                        attachment: attachment.map(serde_json::from_value).transpose()?,
                    },
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        items.sort_by_key(|(due, item)| (*due, item.id));
        Ok(items.into_iter().map(|(_, item)| item).collect())
    }

    async fn mark_mail_delivered(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE outbox SET status = 'delivered', finished_at = $2, lease_until = NULL,
                                   body_text = NULL, body_html = NULL, last_error = NULL
                 WHERE id = $1",
                &[&id, &now],
            )
            .await?;
        Ok(())
    }

    async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        let client = self.client().await?;
        client
            .execute(
                "UPDATE outbox SET lease_until = NULL, last_error = $2, next_attempt_at = $3
                 WHERE id = $1 AND status = 'pending'",
                &[&id, &error, &retry_at],
            )
            .await?;
        Ok(())
    }

    async fn mark_mail_expired(&self, id: i64, now: OffsetDateTime) -> Result<(), StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "UPDATE outbox SET status = 'expired', finished_at = $2, lease_until = NULL,
                                   body_text = NULL, body_html = NULL
                 WHERE id = $1 AND status = 'pending'",
                &[&id, &now],
            )
            .await?;
        Ok(())
    }

    async fn mark_mail_undeliverable(
        &self,
        id: i64,
        error: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        let client = self.client().await?;
        client
            .execute(
                "UPDATE outbox SET status = 'undeliverable', finished_at = $2, lease_until = NULL,
                                   body_text = NULL, body_html = NULL, last_error = $3
                 WHERE id = $1 AND status = 'pending'",
                &[&id, &now, &error],
            )
            .await?;
        Ok(())
    }

    async fn outbox_stats(&self) -> Result<OutboxStats, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT COUNT(*), COUNT(last_error) FROM outbox WHERE status = 'pending'",
                &[],
            )
            .await?;
        Ok(OutboxStats {
            pending: row.try_get(0)?,
            retrying: row.try_get(1)?,
        })
    }
}
