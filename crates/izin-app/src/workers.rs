//! Background work every instance runs: delivering queued mail and removing expired records.
//! Both are safe to run on many instances at once; the database hands out the work.

use crate::App;
use izin_adapters::mail::{Envelope, MailError, MailFile};
use izin_store::{OutboxItem, Retention, StoreError};
use std::time::Duration as StdDuration;
use time::Duration;
use tokio_util::sync::CancellationToken;

const BATCH: u32 = 16;
const LEASE: Duration = Duration::minutes(2);
const IDLE_POLL: StdDuration = StdDuration::from_secs(2);
const FIRST_RETRY: Duration = Duration::seconds(15);
const LONGEST_RETRY: Duration = Duration::hours(1);

/// When a message that failed `attempts` times is tried again: doubling, at most hourly.
pub fn retry_delay(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    (FIRST_RETRY * 2_i32.pow(doublings)).min(LONGEST_RETRY)
}

/// Delivers what is due now; returns how many messages it handled.
pub async fn deliver_due_mail(app: &App) -> Result<usize, StoreError> {
    let now = app.clock.now();
    let batch = app.store.claim_due_mail(now, LEASE, BATCH).await?;
    let handled = batch.len();
    for item in batch {
        deliver_one(app, item).await?;
    }
    Ok(handled)
}

async fn deliver_one(app: &App, item: OutboxItem) -> Result<(), StoreError> {
    let now = app.clock.now();
    if item.not_after.is_some_and(|deadline| now >= deadline) {
        tracing::info!(id = item.id, kind = %item.kind, "mail expired before delivery; dropped");
        metrics::counter!("izin_mail_expired_total", "kind" => item.kind.clone()).increment(1);
        return app.store.mark_mail_expired(item.id, now).await;
    }
    let mut attachments = Vec::new();
    if let Some(attachment) = &item.attachment {
        match app.files.get_bytes(&attachment.storage_key).await {
            Ok(bytes) => attachments.push(MailFile {
                file_name: attachment.file_name.clone(),
                content_type: attachment.content_type.clone(),
                bytes: bytes.to_vec(),
            }),
            Err(e) => {
                // The file store is down: the message waits rather than going out without it.
                let retry_at = now + retry_delay(item.attempts);
                tracing::warn!(id = item.id, kind = %item.kind, error = %e,
                    "the mail's attachment cannot be read; will retry");
                return app
                    .store
                    .mark_mail_failed(item.id, &format!("attachment: {e}"), retry_at)
                    .await;
            }
        }
    }
    let envelope = Envelope {
        id: item.id,
        to: item.recipient.clone(),
        subject: item.subject.clone(),
        text: item.body_text.clone(),
        html: item.body_html.clone(),
        created_at: item.created_at,
        attachments,
    };
    match app.mailer.deliver(&envelope).await {
        Ok(()) => {
            metrics::counter!("izin_mail_delivered_total", "kind" => item.kind.clone())
                .increment(1);
            app.store
                .mark_mail_delivered(item.id, app.clock.now())
                .await
        }
        Err(MailError::Permanent(reason)) => {
            tracing::warn!(id = item.id, kind = %item.kind, %reason, "mail undeliverable");
            metrics::counter!("izin_mail_delivery_failures_total", "kind" => item.kind.clone(), "permanent" => "true")
                .increment(1);
            app.store
                .mark_mail_undeliverable(item.id, &reason, app.clock.now())
                .await
        }
        Err(MailError::Temporary(reason)) => {
            let retry_at = app.clock.now() + retry_delay(item.attempts);
            tracing::warn!(id = item.id, kind = %item.kind, attempts = item.attempts, %reason, %retry_at,
                "mail delivery failed; will retry");
            metrics::counter!("izin_mail_delivery_failures_total", "kind" => item.kind.clone(), "permanent" => "false")
                .increment(1);
            app.store.mark_mail_failed(item.id, &reason, retry_at).await
        }
    }
}

/// Delivers mail until `shutdown`, waking when mail is queued in this instance and polling for
/// mail queued by others.
pub async fn run_mail_worker(app: App, shutdown: CancellationToken) {
    loop {
        match deliver_due_mail(&app).await {
            Ok(handled) if handled > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "mail worker could not reach the database"),
        }
        if let Ok(stats) = app.store.outbox_stats().await {
            metrics::gauge!("izin_outbox_pending").set(stats.pending as f64);
            metrics::gauge!("izin_outbox_retrying").set(stats.retrying as f64);
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = app.mail_queued.notified() => {}
            () = tokio::time::sleep(IDLE_POLL) => {}
        }
    }
}

/// What the cleanup keeps, measured back from `now`.
pub fn retention(app: &App) -> Retention {
    let now = app.clock.now();
    let session = app.policies.session;
    Retention {
        sessions_seen_before: now - session.idle_timeout,
        sessions_created_before: now - session.absolute_timeout,
        codes_issued_before: now - Duration::days(1),
        rate_windows_before: now - Duration::hours(2),
        outbox_finished_before: now - Duration::days(30),
    }
}

/// Removes expired sessions, codes, rate-limit windows and old finished mail every few minutes.
pub async fn run_cleanup(app: App, shutdown: CancellationToken) {
    let mut interval = tokio::time::interval(StdDuration::from_secs(300));
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = interval.tick() => {}
        }
        match app.store.purge(retention(&app)).await {
            Ok(report) => tracing::debug!(?report, "cleanup done"),
            Err(e) => tracing::warn!(error = %e, "cleanup failed"),
        }
        if let Err(e) = app.documents().sweep_orphans().await {
            tracing::warn!(error = %e, "the sweep of orphaned files failed");
        }
    }
}

/// Runs the payment jobs (deadline rejections, reminders, the new year's rates) every minute.
/// Every instance runs them: each move re-checks its state under lock, so none is done twice.
pub async fn run_payment_jobs(app: App, shutdown: CancellationToken) {
    let mut interval = tokio::time::interval(StdDuration::from_secs(60));
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = interval.tick() => {}
        }
        match app.payments().run_jobs().await {
            Ok(report) => tracing::debug!(?report, "payment jobs done"),
            Err(e) => tracing::warn!(error = %e, "the payment jobs failed"),
        }
    }
}

/// Produces the Proof Documents approvals issued, as soon as they are due (polling for those
/// other instances issued), and once a minute moves exemptions past their end date to EXPIRED.
/// Every instance runs this: documents are leased and each expiry is decided under lock.
pub async fn run_document_jobs(app: App, shutdown: CancellationToken) {
    let mut last_expiry: Option<tokio::time::Instant> = None;
    loop {
        match crate::proof::produce::produce_due_documents(&app).await {
            Ok(handled) if handled > 0 => continue,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "the document worker could not reach the database")
            }
        }
        if last_expiry.is_none_or(|at| at.elapsed() >= StdDuration::from_secs(60)) {
            last_expiry = Some(tokio::time::Instant::now());
            match crate::proof::expire_ended_exemptions(&app).await {
                Ok(moved) if moved > 0 => tracing::info!(moved, "exemptions expired"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the expiry job failed"),
            }
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(IDLE_POLL) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(1), Duration::seconds(15));
        assert_eq!(retry_delay(2), Duration::seconds(30));
        assert_eq!(retry_delay(5), Duration::minutes(4));
        assert_eq!(retry_delay(9), Duration::hours(1));
        assert_eq!(retry_delay(1000), Duration::hours(1));
    }
}
