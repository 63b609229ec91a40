//! Payments on SQLite. Every write runs on the one writer connection, so what a receipt, the
//! deadline job or a reinstatement reads inside its unit of work cannot change under it; a
//! replayed receipt finds the first record (`ON CONFLICT DO NOTHING`) and changes nothing.

use super::applications::{RECORD_COLUMNS, load, parse_date, record_event, record_from_row};
use super::outbox::enqueue_tx;
use super::proof_documents::issue_document;
use super::{SqliteStore, append_audit_tx, from_micros, micros, opt_from_micros, user_from_row};
use crate::StoreError;
use crate::applications::{NewEvent, stored_lifecycle};
use crate::model::User;
use crate::payments::*;
use async_trait::async_trait;
use izin_domain::application::{Event, ExemptionStatus, Facts, Lifecycle, Role, Status};
use izin_domain::audit::Actor;
use izin_domain::money::Money;
use izin_domain::officer::Authority;
use izin_domain::payment::{Matching, PaymentNotice, match_receipt};
use izin_domain::records::ApplicationRecord;
use rusqlite::{Connection, OptionalExtension, params};
use time::{Date, OffsetDateTime};
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
fn notice_from_row(row: &rusqlite::Row<'_>, o: usize) -> Result<StoredNotice, StoreError> {
    let reference: String = row.get(o + 1)?;
    let authority: String = row.get(o + 2)?;
    let deadline: String = row.get(o + 6)?;
    let items: String = row.get(o + 7)?;
    let on_approval: Option<String> = row.get(o + 8)?;
    Ok(StoredNotice {
        notice: PaymentNotice {
            application: row.get(o)?,
            reference: stored_reference(&reference)?,
            foreigner_id: row.get(o + 3)?,
            foreigner_id_assigned: row.get(o + 4)?,
            noticed_at: from_micros(row.get(o + 5)?)?,
            deadline: parse_date(Some(deadline))?
                .ok_or_else(|| StoreError::Corrupt("a notice without its deadline".into()))?,
            items: serde_json::from_str(&items)?,
            reminded_at: opt_from_micros(row.get(o + 10)?)?,
            rates_missing_for: row.get(o + 11)?,
            basis: row.get(o + 9)?,
            expired_at: opt_from_micros(row.get(o + 12)?)?,
        },
        authority: stored_authority(&authority)?,
        on_approval: stored_exemption(on_approval.as_deref())?,
        settled_at: opt_from_micros(row.get(o + 13)?)?,
    })
}

fn receipt_from_row(row: &rusqlite::Row<'_>) -> Result<ReceiptRecord, StoreError> {
    let channel: String = row.get(1)?;
    let reference: Option<String> = row.get(5)?;
    let authority: Option<String> = row.get(14)?;
    let unmatched: Option<String> = row.get(16)?;
    Ok(ReceiptRecord {
        id: row.get(0)?,
        channel: stored_channel(&channel)?,
        payment_id: row.get(2)?,
        bank: row.get(3)?,
        receipt_no: row.get(4)?,
        reference: reference.as_deref().map(stored_reference).transpose()?,
        foreigner_id: row.get(6)?,
        account_code: row.get(7)?,
        amount: Money(row.get(8)?),
        currency: row.get(9)?,
        paid_at: from_micros(row.get(10)?)?,
        received_at: from_micros(row.get(11)?)?,
        application: row.get(12)?,
        application_number: row.get(13)?,
        authority: authority.as_deref().map(stored_authority).transpose()?,
        matched: row.get(15)?,
        unmatched: stored_unmatched(unmatched.as_deref())?,
        recorded_by: row.get(17)?,
        note: row.get(18)?,
        resolved_at: opt_from_micros(row.get(19)?)?,
        resolved_by: row.get(20)?,
    })
}

fn receipt_by_id(conn: &Connection, id: Uuid) -> Result<Option<ReceiptRecord>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM} WHERE r.id = ?1"
    ))?
    .query_row(params![id], |row| Ok(receipt_from_row(row)))
    .optional()?
    .transpose()
}

fn notice_of(conn: &Connection, application: Uuid) -> Result<Option<StoredNotice>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {NOTICE_COLUMNS} FROM payment_notices n WHERE n.application_id = ?1"
    ))?
    .query_row(params![application], |row| Ok(notice_from_row(row, 0)))
    .optional()?
    .transpose()
}

pub(crate) fn user_of(conn: &Connection, id: Uuid) -> Result<User, StoreError> {
    conn.prepare_cached(
        "SELECT id, email, language, created_at, last_sign_in_at FROM users WHERE id = ?1",
    )?
    .query_row(params![id], |row| Ok(user_from_row(row, 0)))?
}

fn application(conn: &Connection, id: Uuid) -> Result<ApplicationRecord, StoreError> {
    load(conn, None, id)?.ok_or_else(|| {
        StoreError::Backend(format!("application {id} vanished inside its transaction"))
    })
}

/// Writes a notice's items and the marks a payment, an expiry or a repricing changes.
fn write_notice(conn: &Connection, n: &StoredNotice) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE payment_notices SET items = ?2, settled_at = ?3, expired_at = ?4,
                rates_missing_for = ?5, reminded_at = ?6
          WHERE application_id = ?1",
    )?
    .execute(params![
        n.notice.application,
        serde_json::to_string(&n.notice.items)?,
        n.settled_at.map(micros),
        n.notice.expired_at.map(micros),
        n.notice.rates_missing_for,
        n.notice.reminded_at.map(micros),
    ])?;
    Ok(())
}

/// A move made by the payments: the application's status as `transition_application` writes
/// it, and its history entry. Returns the application as it now is.
#[allow(clippy::too_many_arguments)]
fn move_application(
    conn: &Connection,
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
    conn.prepare_cached(
        "UPDATE applications SET status = ?2, exemption_status = ?3, concluded_at = ?4,
                updated_at = ?5
          WHERE id = ?1",
    )?
    .execute(params![
        current.id,
        next.status.code(),
        next.exemption.map(ExemptionStatus::code),
        concluded_at.map(micros),
        micros(now),
    ])?;
    record_event(
        conn,
        &NewEvent {
            application: current.id,
            at: now,
            actor,
            event,
            from: current.lifecycle,
            to: next,
            reason,
            version: current.version,
        },
    )?;
    application(conn, current.id)
}

/// Queues `mail` about the application's payment, written from the applicant, the application
/// and the notice as they now are.
fn queue_payment_mail(
    conn: &Connection,
    record: &ApplicationRecord,
    notice: &PaymentNotice,
    mail: &PaymentMail,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let user = user_of(conn, record.user_id)?;
    let context = PaymentMailContext {
        user: &user,
        record,
        notice,
    };
    let mail = mail.write(&context);
    if record.lifecycle.status == Status::Approval {
        // The payment approved the application: the mail waits for the document it issues.
        let subject = record.parent.unwrap_or(record.id);
        return issue_document(conn, record.id, subject, mail.as_ref(), now);
    }
    if let Some(mail) = mail {
        enqueue_tx(conn, &mail, now)?;
    }
    Ok(())
}

/// Leaves the notice of a move into PAYMENT_PENDING (replacing an earlier one, with a new
/// reference) and queues its mail; the application is already moved.
pub(crate) fn insert_notice(
    conn: &Connection,
    application_id: Uuid,
    new: &NewNotice,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let serial: i64 = conn
        .prepare_cached(
            "UPDATE counters SET value = value + 1 WHERE name = 'payment_reference' RETURNING value",
        )?
        .query_row([], |row| row.get(0))?;
    let stored = new.stored(application_id, issue_reference(now, serial)?, now);
    conn.prepare_cached(
        "INSERT INTO payment_notices (application_id, reference_number, authority, foreigner_id,
                foreigner_id_assigned, noticed_at, deadline, items, on_approval, basis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (application_id) DO UPDATE
            SET reference_number = excluded.reference_number, authority = excluded.authority,
                foreigner_id = excluded.foreigner_id,
                foreigner_id_assigned = excluded.foreigner_id_assigned,
                noticed_at = excluded.noticed_at, deadline = excluded.deadline,
                items = excluded.items, on_approval = excluded.on_approval,
                basis = excluded.basis, reminded_at = NULL, rates_missing_for = NULL,
                expired_at = NULL, settled_at = NULL",
    )?
    .execute(params![
        application_id,
        stored.notice.reference.as_str(),
        stored.authority.code(),
        stored.notice.foreigner_id,
        stored.notice.foreigner_id_assigned,
        micros(now),
        stored.notice.deadline.to_string(),
        serde_json::to_string(&stored.notice.items)?,
        stored.on_approval.map(ExemptionStatus::code),
        stored.notice.basis,
    ])?;
    if new.foreigner_id_assigned {
        conn.prepare_cached("UPDATE applications SET foreigner_id = ?2 WHERE id = ?1")?
            .execute(params![application_id, new.foreigner_id])?;
    }
    let record = application(conn, application_id)?;
    queue_payment_mail(conn, &record, &stored.notice, &new.mail, now)
}

fn refused(event: Event, error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("{} refused: {error}", event.code()))
}

/// The application ids a listing of notices selects.
fn ids(
    conn: &Connection,
    sql: &str,
    values: impl rusqlite::Params,
) -> Result<Vec<Uuid>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(values, |row| row.get::<_, Uuid>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn receipts(
    conn: &Connection,
    sql: &str,
    values: impl rusqlite::Params,
) -> Result<Vec<ReceiptRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    stmt.query_map(values, |row| Ok(receipt_from_row(row)))?
        .collect::<Result<Result<Vec<_>, StoreError>, rusqlite::Error>>()?
}

/// Records a receipt inside the writer's unit of work.
fn record_receipt(conn: &Connection, receipt: &NewReceipt) -> Result<ReceiptOutcome, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {NOTICE_COLUMNS}, a.status, a.exemption_status
           FROM applications a JOIN payment_notices n ON n.application_id = a.id
          WHERE n.foreigner_id = ?1
          ORDER BY a.id"
    ))?;
    let payers = stmt
        .query_map(params![receipt.foreigner_id], |row| {
            Ok((|| {
                let status: String = row.get(14)?;
                let exemption: Option<String> = row.get(15)?;
                Ok::<_, StoreError>((
                    notice_from_row(row, 0)?,
                    stored_lifecycle(&status, exemption.as_deref())?,
                ))
            })())
        })?
        .collect::<Result<Result<Vec<_>, StoreError>, rusqlite::Error>>()??;
    drop(stmt);
    let owing: Vec<_> = payers
        .iter()
        .map(|(notice, lifecycle)| {
            notice
                .notice
                .owing(lifecycle.status == Status::PaymentPending)
        })
        .collect();
    let matching = match_receipt(&receipt.as_receipt(), &owing);
    let (matched, reason, application_id) = matching_columns(&matching);
    let inserted = conn
        .prepare_cached(
            "INSERT INTO payment_receipts (id, channel, payment_id, bank, receipt_no,
                    reference_number, foreigner_id, account_code, amount, currency, paid_at,
                    received_at, application_id, authority, matched, unmatched_reason,
                    recorded_by, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18)
             ON CONFLICT DO NOTHING",
        )?
        .execute(params![
            receipt.id,
            receipt.channel.code(),
            receipt.payment_id,
            receipt.bank,
            receipt.receipt_no,
            receipt.reference.as_ref().map(|r| r.as_str()),
            receipt.foreigner_id,
            receipt.account_code,
            receipt.amount.0,
            receipt.currency,
            micros(receipt.paid_at),
            micros(receipt.received_at),
            application_id,
            receipt.authority.map(Authority::code),
            matched,
            reason,
            receipt.recorded_by,
            receipt.note,
        ])?;
    if inserted == 0 {
        // Nothing was written before the insert: the unit leaves no trace.
        let first: Uuid = conn
            .prepare_cached(
                "SELECT id FROM payment_receipts
                  WHERE payment_id = ?1 OR (bank = ?2 AND receipt_no = ?3) OR id = ?4
                  ORDER BY received_at, id LIMIT 1",
            )?
            .query_row(
                params![
                    receipt.payment_id,
                    receipt.bank,
                    receipt.receipt_no,
                    receipt.id
                ],
                |row| row.get(0),
            )?;
        return Ok(ReceiptOutcome::Duplicate { receipt: first });
    }
    let mut approved = None;
    if let Matching::Matched {
        application: paid,
        item,
        settles,
    } = &matching
    {
        let now = receipt.received_at;
        let (notice, lifecycle) = payers
            .iter()
            .find(|(n, _)| n.notice.application == *paid)
            .ok_or_else(|| StoreError::Backend("matched an application not read".into()))?;
        let mut notice = notice.clone();
        notice
            .notice
            .items
            .get_mut(*item)
            .ok_or_else(|| StoreError::Backend("matched an amount not due".into()))?
            .paid = true;
        if *settles {
            let facts = Facts {
                approval_outcome: notice.on_approval,
                ..Facts::default()
            };
            let next = lifecycle
                .apply(Event::ConfirmPayment, Role::System, facts)
                .map_err(|e| refused(Event::ConfirmPayment, e))?;
            notice.settled_at = Some(now);
            write_notice(conn, &notice)?;
            let current = application(conn, *paid)?;
            let record = move_application(
                conn,
                &current,
                Event::ConfirmPayment,
                next,
                &Actor::System,
                None,
                now,
            )?;
            queue_payment_mail(conn, &record, &notice.notice, &receipt.settled_mail, now)?;
            append_audit_tx(
                conn,
                &receipt
                    .settled_audit
                    .clone()
                    .subject(format!("application:{}", notice.notice.application)),
            )?;
            approved = Some(next);
        } else {
            write_notice(conn, &notice)?;
        }
    }
    append_audit_tx(conn, &receipt.audit_entry(&matching))?;
    Ok(ReceiptOutcome::Recorded {
        receipt: receipt.id,
        matching,
        approved,
    })
}

fn expire_notice(conn: &Connection, expiry: &Expiry) -> Result<ExpiryOutcome, StoreError> {
    let Some(current) = load(conn, None, expiry.application)? else {
        return Ok(ExpiryOutcome::NotDue);
    };
    if current.lifecycle.status != Status::PaymentPending {
        return Ok(ExpiryOutcome::NotDue);
    }
    let Some(mut notice) = notice_of(conn, expiry.application)? else {
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
    write_notice(conn, &notice)?;
    let record = move_application(
        conn,
        &current,
        Event::PaymentDeadlinePassed,
        next,
        &Actor::System,
        Some(&expiry.reason),
        expiry.now,
    )?;
    queue_payment_mail(conn, &record, &notice.notice, &expiry.mail, expiry.now)?;
    append_audit_tx(conn, &expiry.audit)?;
    Ok(ExpiryOutcome::Rejected)
}

fn reprice_notice(conn: &Connection, repricing: &Repricing) -> Result<bool, StoreError> {
    let Some(current) = load(conn, None, repricing.application)? else {
        return Ok(false);
    };
    if current.lifecycle.status != Status::PaymentPending {
        return Ok(false);
    }
    let Some(mut notice) = notice_of(conn, repricing.application)? else {
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
    write_notice(conn, &notice)?;
    let record = move_application(
        conn,
        &current,
        Event::RecomputeFees,
        next,
        &Actor::System,
        Some(&repricing.reason),
        repricing.now,
    )?;
    queue_payment_mail(
        conn,
        &record,
        &notice.notice,
        &repricing.mail,
        repricing.now,
    )?;
    append_audit_tx(conn, &repricing.audit)?;
    Ok(true)
}

fn reinstate(conn: &Connection, r: &Reinstatement) -> Result<ReinstateOutcome, StoreError> {
    let Some(receipt) = receipt_by_id(conn, r.receipt)? else {
        return Ok(ReinstateOutcome::NotFound);
    };
    if !handled_by(&receipt, r.authority) {
        return Ok(ReinstateOutcome::NotFound);
    }
    let (true, Some(application_id)) = (reinstatable(&receipt), receipt.application) else {
        return Ok(ReinstateOutcome::NotReinstatable);
    };
    let Some(current) = load(conn, None, application_id)? else {
        return Ok(ReinstateOutcome::NotReinstatable);
    };
    if current.lifecycle.status != Status::Rejected {
        return Ok(ReinstateOutcome::NotReinstatable);
    }
    let Some(mut notice) = notice_of(conn, application_id)? else {
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
    conn.prepare_cached(
        "UPDATE payment_receipts SET matched = 1, resolved_at = ?2, resolved_by = ?3
          WHERE id = ?1",
    )?
    .execute(params![r.receipt, micros(r.now), r.officer])?;
    write_notice(conn, &notice)?;
    let outcome = match next {
        Some(next) => {
            let record = move_application(
                conn,
                &current,
                Event::ReinstatePaid,
                next,
                &Actor::Officer(r.officer),
                Some(&r.reason),
                r.now,
            )?;
            queue_payment_mail(conn, &record, &notice.notice, &r.mail, r.now)?;
            ReinstateOutcome::Approved(next)
        }
        None => ReinstateOutcome::Counted,
    };
    append_audit_tx(conn, &r.audit)?;
    Ok(outcome)
}

#[async_trait]
impl PaymentStore for SqliteStore {
    async fn payment_notice(&self, application: Uuid) -> Result<Option<PaymentNotice>, StoreError> {
        self.read(move |conn| Ok(notice_of(conn, application)?.map(|n| n.notice)))
            .await
    }

    async fn notice_by_reference(
        &self,
        reference: &izin_domain::payment::TransactionReference,
    ) -> Result<Option<PaymentNotice>, StoreError> {
        let reference = reference.as_str().to_owned();
        self.read(move |conn| {
            conn.prepare_cached(&format!(
                "SELECT {NOTICE_COLUMNS} FROM payment_notices n WHERE n.reference_number = ?1"
            ))?
            .query_row(params![reference], |row| Ok(notice_from_row(row, 0)))
            .optional()?
            .transpose()
            .map(|n| n.map(|n| n.notice))
        })
        .await
    }

    async fn record_receipt(&self, receipt: NewReceipt) -> Result<ReceiptOutcome, StoreError> {
        self.write(move |tx| record_receipt(tx, &receipt)).await
    }

    async fn receipt(&self, id: Uuid) -> Result<Option<ReceiptRecord>, StoreError> {
        self.read(move |conn| receipt_by_id(conn, id)).await
    }

    async fn receipts_for(&self, application: Uuid) -> Result<Vec<ReceiptRecord>, StoreError> {
        self.read(move |conn| {
            receipts(
                conn,
                &format!(
                    "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM} WHERE r.application_id = ?1
                      ORDER BY r.received_at, r.id"
                ),
                params![application],
            )
        })
        .await
    }

    async fn unmatched_receipts(
        &self,
        authority: Authority,
        after: Option<ReceiptCursor>,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, StoreError> {
        self.read(move |conn| {
            receipts(
                conn,
                &format!(
                    "SELECT {RECEIPT_COLUMNS} FROM {RECEIPT_FROM}
                      WHERE NOT r.matched AND r.resolved_at IS NULL
                        AND (r.authority = ?1 OR r.authority IS NULL)
                        AND (?2 IS NULL OR (r.received_at, r.id) < (?2, ?3))
                      ORDER BY r.received_at DESC, r.id DESC
                      LIMIT ?4"
                ),
                params![
                    authority.code(),
                    after.map(|c| micros(c.received_at)),
                    after.map(|c| c.id),
                    limit
                ],
            )
        })
        .await
    }

    async fn open_notices(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<NoticeListing>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {NOTICE_COLUMNS}, a.number, a.applicant_name, a.status,
                        a.exemption_status
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE a.status = 'PAYMENT_PENDING' AND n.authority = ?1
                    AND n.settled_at IS NULL AND n.expired_at IS NULL
                  ORDER BY n.deadline, n.application_id
                  LIMIT ?2"
            ))?;
            stmt.query_map(params![authority.code(), limit], |row| {
                Ok((|| {
                    let status: String = row.get(16)?;
                    let exemption: Option<String> = row.get(17)?;
                    Ok::<_, StoreError>(NoticeListing {
                        notice: notice_from_row(row, 0)?.notice,
                        number: row.get(14)?,
                        applicant_name: row.get(15)?,
                        lifecycle: stored_lifecycle(&status, exemption.as_deref())?,
                    })
                })())
            })?
            .collect::<Result<Result<Vec<_>, StoreError>, rusqlite::Error>>()?
        })
        .await
    }

    async fn overdue_notices(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError> {
        self.read(move |conn| {
            ids(
                conn,
                "SELECT n.application_id
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE n.settled_at IS NULL AND n.expired_at IS NULL AND n.deadline <= ?1
                    AND a.status = 'PAYMENT_PENDING'
                  ORDER BY n.deadline, n.application_id
                  LIMIT ?2",
                params![deadline_on_or_before.to_string(), limit],
            )
        })
        .await
    }

    async fn expire_notice(&self, expiry: Expiry) -> Result<ExpiryOutcome, StoreError> {
        self.write(move |tx| expire_notice(tx, &expiry)).await
    }

    async fn reminders_due(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError> {
        self.read(move |conn| {
            ids(
                conn,
                "SELECT n.application_id
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE n.settled_at IS NULL AND n.expired_at IS NULL AND n.deadline <= ?1
                    AND n.reminded_at IS NULL AND a.status = 'PAYMENT_PENDING'
                  ORDER BY n.deadline, n.application_id
                  LIMIT ?2",
                params![deadline_on_or_before.to_string(), limit],
            )
        })
        .await
    }

    async fn send_reminder(
        &self,
        application_id: Uuid,
        now: OffsetDateTime,
        mail: PaymentMail,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let Some(current) = load(tx, None, application_id)? else {
                return Ok(false);
            };
            if current.lifecycle.status != Status::PaymentPending {
                return Ok(false);
            }
            let changed = tx
                .prepare_cached(
                    "UPDATE payment_notices SET reminded_at = ?2
                      WHERE application_id = ?1 AND reminded_at IS NULL
                        AND settled_at IS NULL AND expired_at IS NULL",
                )?
                .execute(params![application_id, micros(now)])?;
            if changed == 0 {
                return Ok(false);
            }
            let notice = notice_of(tx, application_id)?
                .ok_or_else(|| StoreError::Backend("a reminded notice vanished".into()))?;
            queue_payment_mail(tx, &current, &notice.notice, &mail, now)?;
            Ok(true)
        })
        .await
    }

    async fn notices_priced_before(
        &self,
        year: i32,
        include_marked: bool,
        limit: u32,
    ) -> Result<Vec<(ApplicationRecord, PaymentNotice)>, StoreError> {
        self.read(move |conn| {
            let record_columns = RECORD_COLUMNS
                .split(", ")
                .map(|c| format!("a.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            let columns = RECORD_COLUMNS.split(", ").count();
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {record_columns}, {NOTICE_COLUMNS}
                   FROM payment_notices n JOIN applications a ON a.id = n.application_id
                  WHERE n.settled_at IS NULL AND n.expired_at IS NULL
                    AND a.status = 'PAYMENT_PENDING'
                    AND (?3 OR n.rates_missing_for IS NULL OR n.rates_missing_for <> ?1)
                    AND EXISTS (SELECT 1 FROM json_each(n.items) AS i
                                 WHERE json_extract(i.value, '$.paid') = 0
                                   AND json_extract(i.value, '$.amount.year') < ?1)
                  ORDER BY n.deadline, n.application_id
                  LIMIT ?2"
            ))?;
            stmt.query_map(params![year, limit, include_marked], |row| {
                Ok((|| {
                    Ok::<_, StoreError>((
                        record_from_row(row)?,
                        notice_from_row(row, columns)?.notice,
                    ))
                })())
            })?
            .collect::<Result<Result<Vec<_>, StoreError>, rusqlite::Error>>()?
        })
        .await
    }

    async fn reprice_notice(&self, repricing: Repricing) -> Result<bool, StoreError> {
        self.write(move |tx| reprice_notice(tx, &repricing)).await
    }

    async fn mark_rates_missing(
        &self,
        application_id: Uuid,
        year: i32,
    ) -> Result<bool, StoreError> {
        self.write(move |tx| {
            let changed = tx
                .prepare_cached(
                    "UPDATE payment_notices SET rates_missing_for = ?2
                      WHERE application_id = ?1 AND settled_at IS NULL AND expired_at IS NULL
                        AND rates_missing_for IS NOT ?2
                        AND EXISTS (SELECT 1 FROM applications
                                     WHERE id = ?1 AND status = 'PAYMENT_PENDING')",
                )?
                .execute(params![application_id, year])?;
            Ok(changed > 0)
        })
        .await
    }

    async fn notices_missing_rates(&self) -> Result<u64, StoreError> {
        self.read(|conn| {
            let count: i64 = conn
                .prepare_cached(
                    "SELECT COUNT(*) FROM payment_notices n JOIN applications a
                         ON a.id = n.application_id
                      WHERE n.rates_missing_for IS NOT NULL AND n.settled_at IS NULL
                        AND n.expired_at IS NULL AND a.status = 'PAYMENT_PENDING'",
                )?
                .query_row([], |row| row.get(0))?;
            serial(count)
        })
        .await
    }

    async fn reinstate(
        &self,
        reinstatement: Reinstatement,
    ) -> Result<ReinstateOutcome, StoreError> {
        self.write(move |tx| reinstate(tx, &reinstatement)).await
    }

    async fn draw_foreigner_id_serial(&self) -> Result<u64, StoreError> {
        self.write(|tx| {
            let value: i64 = tx
                .prepare_cached(
                    "UPDATE counters SET value = value + 1 WHERE name = 'foreigner_id'
                     RETURNING value",
                )?
                .query_row([], |row| row.get(0))?;
            serial(value)
        })
        .await
    }

    async fn foreigner_id_in_use(&self, foreigner_id: &str) -> Result<bool, StoreError> {
        let foreigner_id = foreigner_id.to_owned();
        self.read(move |conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM profiles WHERE foreigner_id = ?1)
                         OR EXISTS (SELECT 1 FROM registry_records WHERE key = ?1)
                         OR EXISTS (SELECT 1 FROM registry_residence_rights
                                     WHERE foreigner_id = ?1)
                         OR EXISTS (SELECT 1 FROM applications WHERE foreigner_id = ?1)
                         OR EXISTS (SELECT 1 FROM payment_notices WHERE foreigner_id = ?1)",
                )?
                .query_row(params![foreigner_id], |row| row.get(0))?)
        })
        .await
    }
}
