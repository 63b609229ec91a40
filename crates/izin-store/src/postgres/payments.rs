//! Payments on PostgreSQL. Every write to a notice first locks its application's row; a receipt
//! locks the applications of its payer and their notices in one statement (in application id
//! order), matches on what it locked and stores the receipt with `ON CONFLICT DO NOTHING`, so a
//! replay — however concurrent — finds the first record and changes nothing.

use super::applications::{RECORD_COLUMNS, load, record_event, record_from_row};
use super::outbox::enqueue_tx;
use super::proof_documents::issue_document;
use super::{PostgresStore, append_audit_tx, user_from_row};
use crate::StoreError;
use crate::applications::{NewEvent, stored_lifecycle};
use crate::model::User;
use crate::payments::*;
use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use izin_domain::application::{Event, ExemptionStatus, Facts, Lifecycle, Role, Status};
use izin_domain::audit::Actor;
use izin_domain::money::Money;
use izin_domain::officer::Authority;
use izin_domain::payment::{Matching, PaymentNotice, match_receipt};
use izin_domain::records::ApplicationRecord;
use time::{Date, OffsetDateTime};
use tokio_postgres::Row;
use uuid::Uuid;

const NOTICE_COLUMNS: &str = "n.application_id, n.reference_number, n.authority, n.foreigner_id, \
     n.foreigner_id_assigned, n.noticed_at, n.deadline, n.items, n.on_approval, n.basis, \
     n.reminded_at, n.rates_missing_for, n.expired_at, n.settled_at";

const RECEIPT_COLUMNS: &str = "r.id, r.channel, r.payment_id, r.bank, r.receipt_no, \
     r.reference_number, r.foreigner_id, r.account_code, r.amount, r.currency, r.paid_at, \
     r.received_at, r.application_id, a.number, r.authority, r.matched, r.unmatched_reason, \
     r.recorded_by, r.note, r.resolved_at, r.resolved_by";

const RECEIPT_FROM: &str = "payment_receipts r LEFT JOIN applications a ON a.id = r.application_id";

/// A notice read from `NOTICE_COLUMNS` starting at column `o`.
fn notice_from_row(row: &Row, o: usize) -> Result<StoredNotice, StoreError> {
    let items: serde_json::Value = row.try_get(o + 7)?;
    Ok(StoredNotice {
        notice: PaymentNotice {
            application: row.try_get(o)?,
            reference: stored_reference(row.try_get(o + 1)?)?,
            foreigner_id: row.try_get(o + 3)?,
            foreigner_id_assigned: row.try_get(o + 4)?,
            noticed_at: row.try_get(o + 5)?,
            deadline: row.try_get(o + 6)?,
            items: serde_json::from_value(items)?,
            reminded_at: row.try_get(o + 10)?,
            rates_missing_for: row.try_get(o + 11)?,
            basis: row.try_get(o + 9)?,
            expired_at: row.try_get(o + 12)?,
        },
        authority: stored_authority(row.try_get(o + 2)?)?,
        on_approval: stored_exemption(row.try_get(o + 8)?)?,
        settled_at: row.try_get(o + 13)?,
    })
}

fn receipt_from_row(row: &Row) -> Result<ReceiptRecord, StoreError> {
    let reference: Option<&str> = row.try_get(5)?;
    let authority: Option<&str> = row.try_get(14)?;
    Ok(ReceiptRecord {
        id: row.try_get(0)?,
        channel: stored_channel(row.try_get(1)?)?,
        payment_id: row.try_get(2)?,
        bank: row.try_get(3)?,
        receipt_no: row.try_get(4)?,
        reference: reference.map(stored_reference).transpose()?,
        foreigner_id: row.try_get(6)?,
        account_code: row.try_get(7)?,
        amount: Money(row.try_get(8)?),
        currency: row.try_get(9)?,
        paid_at: row.try_get(10)?,
        received_at: row.try_get(11)?,
        application: row.try_get(12)?,
        application_number: row.try_get(13)?,
        authority: authority.map(stored_authority).transpose()?,
        matched: row.try_get(15)?,
        unmatched: stored_unmatched(row.try_get(16)?)?,
        recorded_by: row.try_get(17)?,
        note: row.try_get(18)?,
        resolved_at: row.try_get(19)?,
        resolved_by: row.try_get(20)?,
    })
}

/// The application's notice (read after its application's lock, it is the latest).
async fn notice_of(
    client: &impl GenericClient,
    application: Uuid,
) -> Result<Option<StoredNotice>, StoreError> {
    let stmt = client
        .prepare_cached(&format!(
            "SELECT {NOTICE_COLUMNS} FROM payment_notices n WHERE n.application_id = $1"
        ))
        .await?;
    client
        .query_opt(&stmt, &[&application])
        .await?
        .map(|row| notice_from_row(&row, 0))
        .transpose()
}

pub(crate) async fn user_of(client: &impl GenericClient, id: Uuid) -> Result<User, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT id, email, language, created_at, last_sign_in_at FROM users WHERE id = $1",
        )
        .await?;
    user_from_row(&client.query_one(&stmt, &[&id]).await?, 0)
}

/// The applicant of `application`.
async fn applicant_of(client: &impl GenericClient, application: Uuid) -> Result<User, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT u.id, u.email, u.language, u.created_at, u.last_sign_in_at
               FROM users u JOIN applications a ON a.user_id = u.id
              WHERE a.id = $1",
        )
        .await?;
    user_from_row(&client.query_one(&stmt, &[&application]).await?, 0)
}

/// Writes a notice's items and the marks a payment or a repricing changes.
async fn write_notice(client: &impl GenericClient, n: &StoredNotice) -> Result<(), StoreError> {
    let stmt = client
        .prepare_cached(
            "UPDATE payment_notices SET items = $2, settled_at = $3, expired_at = $4,
                    rates_missing_for = $5, reminded_at = $6
              WHERE application_id = $1",
        )
        .await?;
    client
        .execute(
            &stmt,
            &[
                &n.notice.application,
                &serde_json::to_value(&n.notice.items)?,
                &n.settled_at,
                &n.notice.expired_at,
                &n.notice.rates_missing_for,
                &n.notice.reminded_at,
            ],
        )
        .await?;
    Ok(())
}

/// A move made by the payments (the application's row already locked): the application's
/// status as `transition_application` writes it, and its history entry. Returns the
/// application as it now is.
#[allow(clippy::too_many_arguments)]
async fn move_application(
    client: &impl GenericClient,
    current: &ApplicationRecord,
    event: Event,
    next: Lifecycle,
    actor: &Actor,
    reason: Option<&str>,
    now: OffsetDateTime,
) -> Result<ApplicationRecord, StoreError> {
    let concluded_at = if next.status.is_concluded() && !current.lifecycle.status.is_concluded() {
        Some(now)
    } else {
        current.concluded_at
    };
    let update = async {
        let stmt = client
            .prepare_cached(&format!(
                "UPDATE applications SET status = $2, exemption_status = $3, concluded_at = $4,
                        updated_at = $5
                  WHERE id = $1 RETURNING {RECORD_COLUMNS}"
            ))
            .await?;
        let row = client
            .query_one(
                &stmt,
                &[
                    &current.id,
                    &next.status.code(),
                    &next.exemption.map(ExemptionStatus::code),
                    &concluded_at,
                    &now,
                ],
            )
            .await?;
        record_from_row(&row)
    };
    let event = NewEvent {
        application: current.id,
        at: now,
        actor,
        event,
        from: current.lifecycle,
        to: next,
        reason,
        version: current.version,
    };
    let (record, ()) = tokio::try_join!(update, record_event(client, &event))?;
    Ok(record)
}

/// Queues `mail` about the application's payment, written from the applicant, the application
/// and the notice as they now are.
async fn queue_payment_mail(
    client: &impl GenericClient,
    user: &User,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
    mail: &PaymentMail,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let context = PaymentMailContext {
        user,
        record,
        notice,
    };
    let mail = mail.write(&context);
    if record.lifecycle.status == Status::Approval {
        // The payment approved the application: the mail waits for the document it issues.
        let subject = record.parent.unwrap_or(record.id);
        return issue_document(client, record.id, subject, mail.as_ref(), now).await;
    }
    if let Some(mail) = mail {
        enqueue_tx(client, &mail, now).await?;
    }
    Ok(())
}

/// Leaves the notice of a move into PAYMENT_PENDING (replacing an earlier one, with a new
/// reference) and queues its mail; the application's row is locked and already moved.
pub(crate) async fn insert_notice(
    client: &impl GenericClient,
    application: Uuid,
    new: &NewNotice,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let draw = client
        .prepare_cached("SELECT nextval('payment_reference_serial')")
        .await?;
    let serial: i64 = client.query_one(&draw, &[]).await?.try_get(0)?;
    let stored = new.stored(application, issue_reference(now, serial)?, now);
    let items = serde_json::to_value(&stored.notice.items)?;
    let insert = async {
        let stmt = client
            .prepare_cached(
                "INSERT INTO payment_notices (application_id, reference_number, authority,
                        foreigner_id, foreigner_id_assigned, noticed_at, deadline, items,
                        on_approval, basis)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (application_id) DO UPDATE
                    SET reference_number = EXCLUDED.reference_number,
                        authority = EXCLUDED.authority, foreigner_id = EXCLUDED.foreigner_id,
                        foreigner_id_assigned = EXCLUDED.foreigner_id_assigned,
                        noticed_at = EXCLUDED.noticed_at, deadline = EXCLUDED.deadline,
                        items = EXCLUDED.items, on_approval = EXCLUDED.on_approval,
                        basis = EXCLUDED.basis, reminded_at = NULL, rates_missing_for = NULL,
                        expired_at = NULL, settled_at = NULL",
            )
            .await?;
        client
            .execute(
                &stmt,
                &[
                    &application,
                    &stored.notice.reference.as_str(),
                    &stored.authority.code(),
                    &stored.notice.foreigner_id,
                    &stored.notice.foreigner_id_assigned,
                    &now,
                    &stored.notice.deadline,
                    &items,
                    &stored.on_approval.map(ExemptionStatus::code),
                    &stored.notice.basis,
                ],
            )
            .await?;
        Ok::<_, StoreError>(())
    };
    let assign = async {
        if new.foreigner_id_assigned {
            let stmt = client
                .prepare_cached("UPDATE applications SET foreigner_id = $2 WHERE id = $1")
                .await?;
            client
                .execute(&stmt, &[&application, &new.foreigner_id])
                .await?;
        }
        Ok::<_, StoreError>(())
    };
    let (record, user, (), ()) = tokio::try_join!(
        load(client, None, application, false),
        applicant_of(client, application),
        insert,
        assign
    )?;
    let Some(record) = record else {
        return Err(StoreError::Backend(format!(
            "application {application} vanished inside its transaction"
        )));
    };
    queue_payment_mail(client, &user, &record, &stored.notice, &new.mail, now).await
}

fn refused(event: Event, error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("{} refused: {error}", event.code()))
}

/// One of the payer's applications, locked with its notice.
struct Payer {
    notice: StoredNotice,
    lifecycle: Lifecycle,
    version: i32,
}

#[async_trait]
impl PaymentStore for PostgresStore {
    async fn payment_notice(&self, application: Uuid) -> Result<Option<PaymentNotice>, StoreError> {
        let client = self.client().await?;
        Ok(notice_of(&client, application).await?.map(|n| n.notice))
    }

    async fn notice_by_reference(
        &self,
        reference: &izin_domain::payment::TransactionReference,
    ) -> Result<Option<PaymentNotice>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {NOTICE_COLUMNS} FROM payment_notices n WHERE n.reference_number = $1"
            ))
            .await?;
        client
            .query_opt(&stmt, &[&reference.as_str()])
            .await?
            .map(|row| notice_from_row(&row, 0).map(|n| n.notice))
            .transpose()
    }

    async fn record_receipt(&self, receipt: NewReceipt) -> Result<ReceiptOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The payer's applications and their notices, locked in one statement (applications
        // first, in id order, as every other writer of a notice takes them).
        let lock = tx
            .prepare_cached(&format!(
                "SELECT {NOTICE_COLUMNS}, a.status, a.exemption_status, a.version
                   FROM applications a JOIN payment_notices n ON n.application_id = a.id
                  WHERE n.foreigner_id = $1
                  ORDER BY a.id
                    FOR UPDATE OF a, n"
            ))
            .await?;
        let payers = tx
            .query(&lock, &[&receipt.foreigner_id])
            .await?
            .iter()
            .map(|row| {
                Ok(Payer {
                    notice: notice_from_row(row, 0)?,
                    lifecycle: stored_lifecycle(row.try_get(14)?, row.try_get(15)?)?,
                    version: row.try_get(16)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let owing: Vec<_> = payers
            .iter()
            .map(|p| {
                p.notice
                    .notice
                    .owing(p.lifecycle.status == Status::PaymentPending)
            })
            .collect();
        let matching = match_receipt(&receipt.as_receipt(), &owing);
        let (matched, reason, application) = matching_columns(&matching);
        let now = receipt.received_at;
        // What the payment changes, decided before anything is written.
        let mut paid: Option<(StoredNotice, Option<Lifecycle>, Lifecycle, i32)> = None;
        if let Matching::Matched {
            application,
            item,
            settles,
        } = &matching
        {
            let payer = payers
                .iter()
                .find(|p| p.notice.notice.application == *application)
                .ok_or_else(|| StoreError::Backend("matched an application not locked".into()))?;
            let mut notice = payer.notice.clone();
            let due = notice
                .notice
                .items
                .get_mut(*item)
                .ok_or_else(|| StoreError::Backend("matched an amount not due".into()))?;
            due.paid = true;
            let next = if *settles {
                notice.settled_at = Some(now);
                let facts = Facts {
                    approval_outcome: notice.on_approval,
                    ..Facts::default()
                };
                Some(
                    payer
                        .lifecycle
                        .apply(Event::ConfirmPayment, Role::System, facts)
                        .map_err(|e| refused(Event::ConfirmPayment, e))?,
                )
            } else {
                None
            };
            paid = Some((notice, next, payer.lifecycle, payer.version));
        }
        let insert = async {
            let stmt = tx
                .prepare_cached(
                    "INSERT INTO payment_receipts (id, channel, payment_id, bank, receipt_no,
                            reference_number, foreigner_id, account_code, amount, currency,
                            paid_at, received_at, application_id, authority, matched,
                            unmatched_reason, recorded_by, note)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                             $16, $17, $18)
                     ON CONFLICT DO NOTHING
                     RETURNING id",
                )
                .await?;
            let inserted = tx
                .query_opt(
                    &stmt,
                    &[
                        &receipt.id,
                        &receipt.channel.code(),
                        &receipt.payment_id,
                        &receipt.bank,
                        &receipt.receipt_no,
                        &receipt.reference.as_ref().map(|r| r.as_str()),
                        &receipt.foreigner_id,
                        &receipt.account_code,
                        &receipt.amount.0,
                        &receipt.currency,
                        &receipt.paid_at,
                        &receipt.received_at,
                        &application,
                        &receipt.authority.map(Authority::code),
                        &matched,
                        &reason,
                        &receipt.recorded_by,
                        &receipt.note,
                    ],
                )
                .await?;
            Ok::<_, StoreError>(inserted.is_some())
        };
        let audit = receipt.audit_entry(&matching);
        let system = Actor::System;
        // The payment's consequences go out in the same pipeline; a duplicate rolls them back.
        let settle = async {
            let Some((notice, next, from, version)) = &paid else {
                return Ok(None);
            };
            let Some(next) = next else {
                write_notice(&tx, notice).await?;
                return Ok(None);
            };
            let moved = async {
                let stmt = tx
                    .prepare_cached(&format!(
                        "UPDATE applications SET status = $2, exemption_status = $3,
                                concluded_at = COALESCE(concluded_at, $4), updated_at = $4
                          WHERE id = $1 RETURNING {RECORD_COLUMNS}"
                    ))
                    .await?;
                let row = tx
                    .query_one(
                        &stmt,
                        &[
                            &notice.notice.application,
                            &next.status.code(),
                            &next.exemption.map(ExemptionStatus::code),
                            &now,
                        ],
                    )
                    .await?;
                record_from_row(&row)
            };
            let event = NewEvent {
                application: notice.notice.application,
                at: now,
                actor: &system,
                event: Event::ConfirmPayment,
                from: *from,
                to: *next,
                reason: None,
                version: *version,
            };
            let settled_audit = receipt
                .settled_audit
                .clone()
                .subject(format!("application:{}", notice.notice.application));
            let (record, user, (), (), _) = tokio::try_join!(
                moved,
                applicant_of(&tx, notice.notice.application),
                record_event(&tx, &event),
                write_notice(&tx, notice),
                append_audit_tx(&tx, &settled_audit),
            )?;
            Ok::<_, StoreError>(Some((record, user)))
        };
        let (inserted, settled, _) =
            tokio::try_join!(insert, settle, append_audit_tx(&tx, &audit))?;
        if !inserted {
            tx.rollback().await?;
            let stmt = client
                .prepare_cached(
                    "SELECT id FROM payment_receipts
                      WHERE payment_id = $1 OR (bank = $2 AND receipt_no = $3) OR id = $4
                      ORDER BY received_at, id LIMIT 1",
                )
                .await?;
            let row = client
                .query_opt(
                    &stmt,
                    &[
                        &receipt.payment_id,
                        &receipt.bank,
                        &receipt.receipt_no,
                        &receipt.id,
                    ],
                )
                .await?
                .ok_or_else(|| StoreError::Conflict("a receipt's duplicate vanished".into()))?;
            return Ok(ReceiptOutcome::Duplicate {
                receipt: row.try_get(0)?,
            });
        }
        let mut approved = None;
        if let (Some((record, user)), Some((notice, next, _, _))) = (&settled, &paid) {
            queue_payment_mail(
                &tx,
                user,
                record,
                &notice.notice,
                &receipt.settled_mail,
                now,
            )
            .await?;
            approved = *next;
        }
        tx.commit().await?;
        Ok(ReceiptOutcome::Recorded {
            receipt: receipt.id,
            matching,
            approved,
        })
    }

    async fn receipt(&self, id: Uuid) -> Result<Option<ReceiptRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM} WHERE r.id = $1"
            ))
            .await?;
        client
            .query_opt(&stmt, &[&id])
            .await?
            .map(|row| receipt_from_row(&row))
            .transpose()
    }

    async fn receipts_for(&self, application: Uuid) -> Result<Vec<ReceiptRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM} WHERE r.application_id = $1
                  ORDER BY r.received_at, r.id"
            ))
            .await?;
        client
            .query(&stmt, &[&application])
            .await?
            .iter()
            .map(receipt_from_row)
            .collect()
    }

    async fn unmatched_receipts(
        &self,
        authority: Authority,
        after: Option<ReceiptCursor>,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM}
                  WHERE NOT r.matched AND r.resolved_at IS NULL
                    AND (r.authority = $1 OR r.authority IS NULL)
                    AND ($2::timestamptz IS NULL OR (r.received_at, r.id) < ($2, $3::uuid))
                  ORDER BY r.received_at DESC, r.id DESC
                  LIMIT $4"
            ))
            .await?;
        client
            .query(
                &stmt,
                &[
                    &authority.code(),
                    &after.map(|c| c.received_at),
                    &after.map(|c| c.id),
                    &i64::from(limit),
                ],
            )
            .await?
            .iter()
            .map(receipt_from_row)
            .collect()
    }

    async fn open_notices(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<NoticeListing>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {NOTICE_COLUMNS}, a.number, a.applicant_name, a.status,
                        a.exemption_status
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE a.status = 'PAYMENT_PENDING' AND n.authority = $1
                    AND n.settled_at IS NULL AND n.expired_at IS NULL
                  ORDER BY n.deadline, n.application_id
                  LIMIT $2"
            ))
            .await?;
        client
            .query(&stmt, &[&authority.code(), &i64::from(limit)])
            .await?
            .iter()
            .map(|row| {
                Ok(NoticeListing {
                    notice: notice_from_row(row, 0)?.notice,
                    number: row.try_get(14)?,
                    applicant_name: row.try_get(15)?,
                    lifecycle: stored_lifecycle(row.try_get(16)?, row.try_get(17)?)?,
                })
            })
            .collect()
    }

    async fn overdue_notices(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT n.application_id
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE n.settled_at IS NULL AND n.expired_at IS NULL AND n.deadline <= $1
                    AND a.status = 'PAYMENT_PENDING'
                  ORDER BY n.deadline, n.application_id
                  LIMIT $2",
            )
            .await?;
        client
            .query(&stmt, &[&deadline_on_or_before, &i64::from(limit)])
            .await?
            .iter()
            .map(|row| Ok(row.try_get(0)?))
            .collect()
    }

    async fn expire_notice(&self, expiry: Expiry) -> Result<ExpiryOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(current) = load(&tx, None, expiry.application, true).await? else {
            return Ok(ExpiryOutcome::NotDue);
        };
        if current.lifecycle.status != Status::PaymentPending {
            return Ok(ExpiryOutcome::NotDue);
        }
        let Some(mut notice) = notice_of(&tx, expiry.application).await? else {
            return Ok(ExpiryOutcome::NotDue);
        };
        if !notice.open() || notice.notice.deadline > expiry.deadline_on_or_before {
            return Ok(ExpiryOutcome::NotDue);
        }
        let facts = Facts {
            reason: Some(&expiry.reason),
            ..Facts::default()
        };
        let Ok(next) = current
            .lifecycle
            .apply(Event::PaymentDeadlinePassed, Role::System, facts)
        else {
            return Ok(ExpiryOutcome::NotDue);
        };
        notice.notice.expired_at = Some(expiry.now);
        let (record, user, (), _) = tokio::try_join!(
            move_application(
                &tx,
                &current,
                Event::PaymentDeadlinePassed,
                next,
                &Actor::System,
                Some(&expiry.reason),
                expiry.now,
            ),
            user_of(&tx, current.user_id),
            write_notice(&tx, &notice),
            append_audit_tx(&tx, &expiry.audit),
        )?;
        queue_payment_mail(
            &tx,
            &user,
            &record,
            &notice.notice,
            &expiry.mail,
            expiry.now,
        )
        .await?;
        tx.commit().await?;
        Ok(ExpiryOutcome::Rejected)
    }

    async fn reminders_due(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT n.application_id
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE n.settled_at IS NULL AND n.expired_at IS NULL AND n.deadline <= $1
                    AND n.reminded_at IS NULL AND a.status = 'PAYMENT_PENDING'
                  ORDER BY n.deadline, n.application_id
                  LIMIT $2",
            )
            .await?;
        client
            .query(&stmt, &[&deadline_on_or_before, &i64::from(limit)])
            .await?
            .iter()
            .map(|row| Ok(row.try_get(0)?))
            .collect()
    }

    async fn send_reminder(
        &self,
        application: Uuid,
        now: OffsetDateTime,
        mail: PaymentMail,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(current) = load(&tx, None, application, true).await? else {
            return Ok(false);
        };
        if current.lifecycle.status != Status::PaymentPending {
            return Ok(false);
        }
        let stmt = tx
            .prepare_cached(&format!(
                "UPDATE payment_notices n SET reminded_at = $2
                  WHERE n.application_id = $1 AND n.reminded_at IS NULL
                    AND n.settled_at IS NULL AND n.expired_at IS NULL
                  RETURNING {NOTICE_COLUMNS}"
            ))
            .await?;
        let Some(row) = tx.query_opt(&stmt, &[&application, &now]).await? else {
            return Ok(false);
        };
        let notice = notice_from_row(&row, 0)?;
        let user = user_of(&tx, current.user_id).await?;
        queue_payment_mail(&tx, &user, &current, &notice.notice, &mail, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn notices_priced_before(
        &self,
        year: i32,
        include_marked: bool,
        limit: u32,
    ) -> Result<Vec<(ApplicationRecord, PaymentNotice)>, StoreError> {
        let client = self.client().await?;
        let record_columns = RECORD_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {record_columns}, {NOTICE_COLUMNS}
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE n.settled_at IS NULL AND n.expired_at IS NULL
                    AND a.status = 'PAYMENT_PENDING'
                    AND ($3 OR n.rates_missing_for IS NULL OR n.rates_missing_for <> $1)
                    AND EXISTS (SELECT 1 FROM jsonb_array_elements(n.items) AS i
                                 WHERE NOT (i->>'paid')::boolean
                                   AND (i->'amount'->>'year')::int < $1)
                  ORDER BY n.deadline, n.application_id
                  LIMIT $2"
            ))
            .await?;
        let columns = RECORD_COLUMNS.split(", ").count();
        client
            .query(&stmt, &[&year, &i64::from(limit), &include_marked])
            .await?
            .iter()
            .map(|row| Ok((record_from_row(row)?, notice_from_row(row, columns)?.notice)))
            .collect()
    }

    async fn reprice_notice(&self, repricing: Repricing) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let Some(current) = load(&tx, None, repricing.application, true).await? else {
            return Ok(false);
        };
        if current.lifecycle.status != Status::PaymentPending {
            return Ok(false);
        }
        let Some(mut notice) = notice_of(&tx, repricing.application).await? else {
            return Ok(false);
        };
        if !notice.open() || !unpaid_priced_at(&notice.notice.items, repricing.priced_year) {
            return Ok(false);
        }
        let facts = Facts {
            reason: Some(&repricing.reason),
            ..Facts::default()
        };
        let next = current
            .lifecycle
            .apply(Event::RecomputeFees, Role::System, facts)
            .map_err(|e| refused(Event::RecomputeFees, e))?;
        notice.notice.items = repricing.items.clone();
        notice.notice.rates_missing_for = None;
        let (record, user, (), _) = tokio::try_join!(
            move_application(
                &tx,
                &current,
                Event::RecomputeFees,
                next,
                &Actor::System,
                Some(&repricing.reason),
                repricing.now,
            ),
            user_of(&tx, current.user_id),
            write_notice(&tx, &notice),
            append_audit_tx(&tx, &repricing.audit),
        )?;
        queue_payment_mail(
            &tx,
            &user,
            &record,
            &notice.notice,
            &repricing.mail,
            repricing.now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn mark_rates_missing(&self, application: Uuid, year: i32) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let lock = tx
            .prepare_cached("SELECT status FROM applications WHERE id = $1 FOR UPDATE")
            .await?;
        let Some(row) = tx.query_opt(&lock, &[&application]).await? else {
            return Ok(false);
        };
        if row.try_get::<_, &str>(0)? != Status::PaymentPending.code() {
            return Ok(false);
        }
        let stmt = tx
            .prepare_cached(
                "UPDATE payment_notices SET rates_missing_for = $2
                  WHERE application_id = $1 AND settled_at IS NULL AND expired_at IS NULL
                    AND rates_missing_for IS DISTINCT FROM $2",
            )
            .await?;
        let changed = tx.execute(&stmt, &[&application, &year]).await?;
        tx.commit().await?;
        Ok(changed > 0)
    }

    async fn notices_missing_rates(&self) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT COUNT(*) FROM payment_notices n JOIN applications a
                     ON a.id = n.application_id
                  WHERE n.rates_missing_for IS NOT NULL AND n.settled_at IS NULL
                    AND n.expired_at IS NULL AND a.status = 'PAYMENT_PENDING'",
            )
            .await?;
        let count: i64 = client.query_one(&stmt, &[]).await?.try_get(0)?;
        serial(count)
    }

    async fn reinstate(
        &self,
        reinstatement: Reinstatement,
    ) -> Result<ReinstateOutcome, StoreError> {
        let r = &reinstatement;
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let stmt = tx
            .prepare_cached(&format!(
                "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM} WHERE r.id = $1 FOR UPDATE OF r"
            ))
            .await?;
        let Some(row) = tx.query_opt(&stmt, &[&r.receipt]).await? else {
            return Ok(ReinstateOutcome::NotFound);
        };
        let receipt = receipt_from_row(&row)?;
        if !handled_by(&receipt, r.authority) {
            return Ok(ReinstateOutcome::NotFound);
        }
        let (true, Some(application)) = (reinstatable(&receipt), receipt.application) else {
            return Ok(ReinstateOutcome::NotReinstatable);
        };
        let Some(current) = load(&tx, None, application, true).await? else {
            return Ok(ReinstateOutcome::NotReinstatable);
        };
        if current.lifecycle.status != Status::Rejected {
            return Ok(ReinstateOutcome::NotReinstatable);
        }
        let Some(mut notice) = notice_of(&tx, application).await? else {
            return Ok(ReinstateOutcome::NotReinstatable);
        };
        if notice.notice.expired_at.is_none() || notice.settled_at.is_some() {
            return Ok(ReinstateOutcome::NotReinstatable);
        }
        let Some(item) = item_paid_by(&notice.notice.items, &receipt) else {
            return Ok(ReinstateOutcome::NotReinstatable);
        };
        notice.notice.items[item].paid = true;
        let next = if notice.notice.settled() {
            let facts = Facts {
                reason: Some(&r.reason),
                approval_outcome: notice.on_approval,
                ..Facts::default()
            };
            notice.settled_at = Some(r.now);
            Some(
                current
                    .lifecycle
                    .apply(Event::ReinstatePaid, Role::Officer, facts)
                    .map_err(|e| refused(Event::ReinstatePaid, e))?,
            )
        } else {
            None
        };
        let resolve = async {
            let stmt = tx
                .prepare_cached(
                    "UPDATE payment_receipts SET matched = TRUE, resolved_at = $2,
                            resolved_by = $3
                      WHERE id = $1",
                )
                .await?;
            tx.execute(&stmt, &[&r.receipt, &r.now, &r.officer]).await?;
            Ok::<_, StoreError>(())
        };
        let moved = async {
            let Some(next) = next else {
                return Ok(None);
            };
            let actor = Actor::Officer(r.officer);
            let (record, user) = tokio::try_join!(
                move_application(
                    &tx,
                    &current,
                    Event::ReinstatePaid,
                    next,
                    &actor,
                    Some(&r.reason),
                    r.now,
                ),
                user_of(&tx, current.user_id),
            )?;
            Ok::<_, StoreError>(Some((record, user)))
        };
        let ((), (), moved, _) = tokio::try_join!(
            resolve,
            write_notice(&tx, &notice),
            moved,
            append_audit_tx(&tx, &r.audit),
        )?;
        let outcome = match (moved, next) {
            (Some((record, user)), Some(next)) => {
                queue_payment_mail(&tx, &user, &record, &notice.notice, &r.mail, r.now).await?;
                ReinstateOutcome::Approved(next)
            }
            _ => ReinstateOutcome::Counted,
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn draw_foreigner_id_serial(&self) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT nextval('foreigner_id_serial')")
            .await?;
        serial(client.query_one(&stmt, &[]).await?.try_get(0)?)
    }

    async fn foreigner_id_in_use(&self, foreigner_id: &str) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM profiles WHERE foreigner_id = $1)
                     OR EXISTS (SELECT 1 FROM registry_records WHERE key = $1)
                     OR EXISTS (SELECT 1 FROM registry_residence_rights WHERE foreigner_id = $1)
                     OR EXISTS (SELECT 1 FROM applications WHERE foreigner_id = $1)
                     OR EXISTS (SELECT 1 FROM payment_notices WHERE foreigner_id = $1)",
            )
            .await?;
        Ok(client
            .query_one(&stmt, &[&foreigner_id])
            .await?
            .try_get(0)?)
    }
}
