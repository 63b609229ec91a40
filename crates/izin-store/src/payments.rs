//! Payments' storage: the notice an approval leaves (amounts, the transaction reference number
//! drawn from one database counter, the deadline), every receipt the payment channels report
//! (kept whether it matched or not, unique by the revenue administration's payment id or by the
//! bank and its receipt number), the deadline's rejection, the reminder, the new year's rates and
//! an approver's reinstatement.
//!
//! **Locking rule** (both databases): every write to a notice holds its application's row lock,
//! taken first. A receipt locks the applications of its payer (in id order) before reading their
//! notices, so two receipts of one payer, a receipt and the deadline job, or a receipt and a
//! withdrawal never interleave. Matching itself is [`izin_domain::payment::match_receipt`], called
//! inside the transaction on what was just locked.

use crate::StoreError;
use crate::model::{NewAuditEntry, NewMail, User};
use async_trait::async_trait;
use izin_domain::application::{ExemptionStatus, Lifecycle};
use izin_domain::money::{Amount, Money};
use izin_domain::officer::Authority;
use izin_domain::payment::{
    Channel, Matching, NoticeItem, PaymentNotice, TransactionReference, Unmatched,
};
use izin_domain::records::ApplicationRecord;
use std::sync::Arc;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What a mail about an application's payment is written from, read inside the transaction that
/// queues it: the applicant (address and language), the application as it now is, its notice.
pub struct PaymentMailContext<'a> {
    pub user: &'a User,
    pub record: &'a ApplicationRecord,
    pub notice: &'a PaymentNotice,
}

/// Writes a mail about a payment once the transaction knows what it says (the reference number
/// just drawn, the application just approved). `None`: no mail.
#[derive(Clone)]
pub struct PaymentMail(Arc<WriteMail>);

type WriteMail = dyn Fn(&PaymentMailContext<'_>) -> Option<NewMail> + Send + Sync;

impl PaymentMail {
    pub fn new(
        write: impl Fn(&PaymentMailContext<'_>) -> Option<NewMail> + Send + Sync + 'static,
    ) -> Self {
        Self(Arc::new(write))
    }

    pub fn none() -> Self {
        Self::new(|_| None)
    }

    pub fn write(&self, context: &PaymentMailContext<'_>) -> Option<NewMail> {
        (self.0)(context)
    }
}

impl std::fmt::Debug for PaymentMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaymentMail(..)")
    }
}

/// The notice a move into PAYMENT_PENDING leaves, made in the same transaction: the store draws
/// the serial of the transaction reference number (`TransactionReference::issue(year, serial)`,
/// the year of `noticed_at` in Türkiye) and queues `mail` with the notice as stored.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub authority: Authority,
    /// Quoted with both ways to pay (the applicant's, or one the authority just assigned).
    pub foreigner_id: String,
    pub foreigner_id_assigned: bool,
    pub items: Vec<Amount>,
    /// The last day to pay (`izin_domain::payment::deadline`).
    pub deadline: Date,
    /// What the application's approval starts when the payment completes it.
    pub on_approval: Option<ExemptionStatus>,
    /// The review's decision, for kinds whose price an officer decides.
    pub basis: Option<String>,
    /// The payment-notice mail; it replaces the transition's own mail.
    pub mail: PaymentMail,
}

/// A payment as a channel reported it, to be stored and matched in one transaction.
#[derive(Debug, Clone)]
pub struct NewReceipt {
    pub id: Uuid,
    pub channel: Channel,
    /// The revenue administration's id of the payment (notifications): unique.
    pub payment_id: Option<String>,
    /// The bank and its receipt number (bank files): unique together.
    pub bank: Option<String>,
    pub receipt_no: Option<String>,
    pub reference: Option<TransactionReference>,
    pub foreigner_id: String,
    pub account_code: String,
    pub amount: Money,
    pub currency: String,
    pub paid_at: OffsetDateTime,
    pub received_at: OffsetDateTime,
    /// The authority whose account the payment went to (from the payment terms); `None` when no
    /// authority's terms know the account: every authority's officers see it.
    pub authority: Option<Authority>,
    /// An approver recording a payment by hand, and why.
    pub recorded_by: Option<Uuid>,
    pub note: Option<String>,
    /// The approval mail, written when the receipt completes the payment.
    pub settled_mail: PaymentMail,
    /// Audits the receipt (the store adds `receipt`, `matched` and `reason` details).
    pub audit: NewAuditEntry,
    /// Audits the move to APPROVAL when the receipt completes the payment (system actor); the
    /// store makes the application its subject.
    pub settled_audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceiptOutcome {
    /// Stored and matched (or kept as unmatched); `approved` when it completed the payment and
    /// the application moved to APPROVAL.
    Recorded {
        receipt: Uuid,
        matching: Matching,
        approved: Option<Lifecycle>,
    },
    /// The same payment (payment id, or bank and receipt number) was stored before: nothing
    /// changed. `receipt` is the first record.
    Duplicate { receipt: Uuid },
}

/// A receipt as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRecord {
    pub id: Uuid,
    pub channel: Channel,
    pub payment_id: Option<String>,
    pub bank: Option<String>,
    pub receipt_no: Option<String>,
    pub reference: Option<TransactionReference>,
    pub foreigner_id: String,
    pub account_code: String,
    pub amount: Money,
    pub currency: String,
    pub paid_at: OffsetDateTime,
    pub received_at: OffsetDateTime,
    /// The application it paid, or the one it was most likely meant for.
    pub application: Option<Uuid>,
    pub application_number: Option<String>,
    pub authority: Option<Authority>,
    pub matched: bool,
    pub unmatched: Option<Unmatched>,
    pub recorded_by: Option<Uuid>,
    pub note: Option<String>,
    /// An approver counted it after all (a reinstatement).
    pub resolved_at: Option<OffsetDateTime>,
    pub resolved_by: Option<Uuid>,
}

/// Where a page of receipts starts: after this (arrival, id), newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptCursor {
    pub received_at: OffsetDateTime,
    pub id: Uuid,
}

/// One application's payment as officers list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeListing {
    pub number: Option<String>,
    pub applicant_name: Option<String>,
    pub lifecycle: Lifecycle,
    pub notice: PaymentNotice,
}

/// Rejects an unpaid application whose deadline day ended and whose grace passed.
#[derive(Debug, Clone)]
pub struct Expiry {
    pub application: Uuid,
    /// Only a notice whose deadline is on or before this day is rejected (the caller computed
    /// it from today and the grace).
    pub deadline_on_or_before: Date,
    pub reason: String,
    pub now: OffsetDateTime,
    pub mail: PaymentMail,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiryOutcome {
    Rejected,
    /// Nothing to do: paid, withdrawn, already rejected (by another worker), or not yet due.
    NotDue,
}

/// The new year's amounts for a payment still open.
#[derive(Debug, Clone)]
pub struct Repricing {
    pub application: Uuid,
    /// The year the notice's unpaid amounts were priced at; anything else means another worker
    /// did it already, and nothing changes.
    pub priced_year: i32,
    /// The amounts now (paid ones unchanged; unpaid ones at the new rates, each with its
    /// earlier rate).
    pub items: Vec<NoticeItem>,
    /// Recorded with the history's move (`RecomputeFees`).
    pub reason: String,
    pub now: OffsetDateTime,
    pub mail: PaymentMail,
    pub audit: NewAuditEntry,
}

/// An approver counts a payment made in time that arrived after the deadline's rejection.
#[derive(Debug, Clone)]
pub struct Reinstatement {
    pub receipt: Uuid,
    pub authority: Authority,
    pub officer: Uuid,
    pub reason: String,
    pub now: OffsetDateTime,
    pub mail: PaymentMail,
    pub audit: NewAuditEntry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReinstateOutcome {
    /// Every amount is now paid: the application is APPROVED.
    Approved(Lifecycle),
    /// The receipt is counted; other amounts are still unpaid (their late receipts can be
    /// counted too).
    Counted,
    NotFound,
    /// Not an unmatched "paid on time, arrived late" receipt, already counted, or its
    /// application is not rejected for the deadline.
    NotReinstatable,
}

/// The payments' storage.
#[async_trait]
pub trait PaymentStore: Send + Sync + 'static {
    /// The application's notice, if it ever had one.
    async fn payment_notice(&self, application: Uuid) -> Result<Option<PaymentNotice>, StoreError>;

    /// The notice quoting `reference` (what the Digital Tax Office's screen looks up).
    async fn notice_by_reference(
        &self,
        reference: &TransactionReference,
    ) -> Result<Option<PaymentNotice>, StoreError>;

    /// Stores a receipt and matches it against what its payer owes, in one transaction: the
    /// item paid, and the move to APPROVAL (system actor, `ConfirmPayment`, history, audit, the
    /// approval mail) when nothing else is due. Idempotent by payment id and by bank and receipt
    /// number: a replay, however concurrent, stores nothing and changes nothing.
    async fn record_receipt(&self, receipt: NewReceipt) -> Result<ReceiptOutcome, StoreError>;

    async fn receipt(&self, id: Uuid) -> Result<Option<ReceiptRecord>, StoreError>;

    /// The receipts of one application (matched or meant for it), oldest first.
    async fn receipts_for(&self, application: Uuid) -> Result<Vec<ReceiptRecord>, StoreError>;

    /// Receipts not counted and not resolved, that `authority` handles (its own and those of no
    /// known authority), newest first.
    async fn unmatched_receipts(
        &self,
        authority: Authority,
        after: Option<ReceiptCursor>,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, StoreError>;

    /// The authority's open notices (PAYMENT_PENDING), nearest deadline first.
    async fn open_notices(
        &self,
        authority: Authority,
        limit: u32,
    ) -> Result<Vec<NoticeListing>, StoreError>;

    /// Applications still PAYMENT_PENDING whose deadline is on or before `deadline_on_or_before`.
    async fn overdue_notices(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError>;

    /// Rejects one overdue application (`PaymentDeadlinePassed`, system actor, the reason, the
    /// mail, audit), or does nothing if it is no longer due. Safe to run from several workers.
    async fn expire_notice(&self, expiry: Expiry) -> Result<ExpiryOutcome, StoreError>;

    /// PAYMENT_PENDING applications not yet reminded whose deadline is on or before
    /// `deadline_on_or_before` (today plus the reminder's days).
    async fn reminders_due(
        &self,
        deadline_on_or_before: Date,
        limit: u32,
    ) -> Result<Vec<Uuid>, StoreError>;

    /// Marks the reminder sent and queues its mail, once: `false` when it was sent already or
    /// the application no longer waits for payment.
    async fn send_reminder(
        &self,
        application: Uuid,
        now: OffsetDateTime,
        mail: PaymentMail,
    ) -> Result<bool, StoreError>;

    /// Open notices with an unpaid amount priced before `year`, with their applications;
    /// those already marked as waiting for `year`'s rates only when `include_marked` (the rates
    /// arrived), so that marking pages through every notice.
    async fn notices_priced_before(
        &self,
        year: i32,
        include_marked: bool,
        limit: u32,
    ) -> Result<Vec<(ApplicationRecord, PaymentNotice)>, StoreError>;

    /// Applies the new year's amounts (`RecomputeFees` in the history with the reason, the
    /// mail, audit), unless another worker did; clears the missing-rates mark.
    async fn reprice_notice(&self, repricing: Repricing) -> Result<bool, StoreError>;

    /// Marks an open notice as still at old rates because `year` has none; returns whether the
    /// mark is new (so the alert is raised once).
    async fn mark_rates_missing(&self, application: Uuid, year: i32) -> Result<bool, StoreError>;

    /// How many open notices wait for a year's rates (for `/metrics` and the officers' view).
    async fn notices_missing_rates(&self) -> Result<u64, StoreError>;

    /// Counts an unmatched "paid on time, arrived late" receipt.
    async fn reinstate(&self, reinstatement: Reinstatement)
    -> Result<ReinstateOutcome, StoreError>;

    /// The next number of the authority's foreigner-ID allocation (a database counter, so
    /// every instance draws a different one).
    async fn draw_foreigner_id_serial(&self) -> Result<u64, StoreError>;

    /// Whether a profile or a registry record already holds `foreigner_id`.
    async fn foreigner_id_in_use(&self, foreigner_id: &str) -> Result<bool, StoreError>;
}

// ----- What both backends share -----

/// A notice as stored, with the columns [`PaymentNotice`] does not carry.
#[derive(Debug, Clone)]
pub(crate) struct StoredNotice {
    pub notice: PaymentNotice,
    pub authority: Authority,
    pub on_approval: Option<ExemptionStatus>,
    pub settled_at: Option<OffsetDateTime>,
}

impl StoredNotice {
    /// Neither paid in full nor rejected for its deadline.
    pub(crate) fn open(&self) -> bool {
        self.settled_at.is_none() && self.notice.expired_at.is_none()
    }
}

/// The year of `now` in Türkiye (the year of a reference number).
pub(crate) fn turkiye_year(now: OffsetDateTime) -> i32 {
    now.to_offset(izin_domain::calendar::TURKIYE).year()
}

/// The reference number of the notice made at `now` with the counter's `serial`.
pub(crate) fn issue_reference(
    now: OffsetDateTime,
    serial: i64,
) -> Result<TransactionReference, StoreError> {
    let serial = u64::try_from(serial)
        .map_err(|_| StoreError::Corrupt(format!("payment reference serial {serial}")))?;
    Ok(TransactionReference::issue(turkiye_year(now), serial))
}

/// A counter's value as the unsigned serial it is.
pub(crate) fn serial(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("serial {value}")))
}

impl NewNotice {
    /// The notice as it is stored for `application`: nothing paid, no earlier rates.
    pub(crate) fn stored(
        &self,
        application: Uuid,
        reference: TransactionReference,
        now: OffsetDateTime,
    ) -> StoredNotice {
        StoredNotice {
            notice: PaymentNotice {
                application,
                reference,
                foreigner_id: self.foreigner_id.clone(),
                foreigner_id_assigned: self.foreigner_id_assigned,
                noticed_at: now,
                deadline: self.deadline,
                items: self
                    .items
                    .iter()
                    .map(|amount| NoticeItem {
                        amount: amount.clone(),
                        earlier: None,
                        paid: false,
                    })
                    .collect(),
                reminded_at: None,
                rates_missing_for: None,
                basis: self.basis.clone(),
                expired_at: None,
            },
            authority: self.authority,
            on_approval: self.on_approval,
            settled_at: None,
        }
    }
}

/// Stored codes read back.
pub(crate) fn stored_authority(code: &str) -> Result<Authority, StoreError> {
    Authority::parse(code).ok_or_else(|| StoreError::Corrupt(format!("authority {code:?}")))
}

pub(crate) fn stored_exemption(code: Option<&str>) -> Result<Option<ExemptionStatus>, StoreError> {
    code.map(|c| {
        ExemptionStatus::parse(c).ok_or_else(|| StoreError::Corrupt(format!("exemption {c:?}")))
    })
    .transpose()
}

pub(crate) fn stored_reference(text: &str) -> Result<TransactionReference, StoreError> {
    TransactionReference::parse(text)
        .map_err(|e| StoreError::Corrupt(format!("reference number {text:?}: {e}")))
}

pub(crate) fn stored_channel(code: &str) -> Result<Channel, StoreError> {
    Channel::parse(code).ok_or_else(|| StoreError::Corrupt(format!("payment channel {code:?}")))
}

pub(crate) fn stored_unmatched(code: Option<&str>) -> Result<Option<Unmatched>, StoreError> {
    code.map(|c| {
        Unmatched::parse(c).ok_or_else(|| StoreError::Corrupt(format!("unmatched reason {c:?}")))
    })
    .transpose()
}

/// What matching decided, as the receipt's row stores it: (matched, reason, application).
pub(crate) fn matching_columns(matching: &Matching) -> (bool, Option<&'static str>, Option<Uuid>) {
    match matching {
        Matching::Matched { application, .. } => (true, None, Some(*application)),
        Matching::Unmatched {
            reason,
            application,
        } => (false, Some(reason.code()), *application),
    }
}

impl NewReceipt {
    /// How matching sees this payment.
    pub(crate) fn as_receipt(&self) -> izin_domain::payment::Receipt {
        izin_domain::payment::Receipt {
            reference: self.reference.clone(),
            foreigner_id: self.foreigner_id.clone(),
            account_code: self.account_code.clone(),
            amount: self.amount,
            paid_at: self.paid_at,
        }
    }

    /// The receipt's audit entry with what the store adds.
    pub(crate) fn audit_entry(&self, matching: &Matching) -> NewAuditEntry {
        let (matched, reason, _) = matching_columns(matching);
        self.audit
            .clone()
            .detail("receipt", self.id.to_string())
            .detail("matched", matched)
            .detail(
                "reason",
                reason.map_or(serde_json::Value::Null, serde_json::Value::from),
            )
    }
}

/// Whether every unpaid amount of `items` is still at the rates of `year` (and one is unpaid).
pub(crate) fn unpaid_priced_at(items: &[NoticeItem], year: i32) -> bool {
    let mut unpaid = items.iter().filter(|i| !i.paid).peekable();
    unpaid.peek().is_some() && unpaid.all(|i| i.amount.year == year)
}

/// The amount of `items` a late receipt pays: still unpaid, on its account, at the amount due
/// on the day it was paid.
pub(crate) fn item_paid_by(items: &[NoticeItem], receipt: &ReceiptRecord) -> Option<usize> {
    items.iter().position(|item| {
        let due = izin_domain::payment::DueItem {
            account_code: item.amount.account_code.clone(),
            amount: item.amount.amount,
            year: item.amount.year,
            earlier: item.earlier,
            paid: item.paid,
        };
        !item.paid
            && due.account_code == receipt.account_code
            && due.amount_paid_at(receipt.paid_at) == receipt.amount
    })
}

/// Whether a receipt can be counted by a reinstatement (before its application is looked at).
pub(crate) fn reinstatable(receipt: &ReceiptRecord) -> bool {
    !receipt.matched
        && receipt.unmatched == Some(Unmatched::PaidOnTimeArrivedLate)
        && receipt.resolved_at.is_none()
        && receipt.application.is_some()
}

/// Whether officers of `authority` handle this receipt.
pub(crate) fn handled_by(receipt: &ReceiptRecord, authority: Authority) -> bool {
    receipt.authority.is_none_or(|a| a == authority)
}
