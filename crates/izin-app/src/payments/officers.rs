//! The officers' side of payments: what is due and received per application, the receipts no
//! application could count (for refund handling), recording a payment by hand, and counting a
//! payment made in time that arrived after the deadline's rejection. Recording and counting are
//! an approver's, audited, and never on an application the same officer approved (four eyes).

use super::{IncomingPayment, PaymentError, Payments};
use izin_domain::application::Event;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::identifiers::ForeignerId;
use izin_domain::officer::{Forbidden, OfficerAction, may};
use izin_domain::payment::{Channel, PaymentNotice};
use izin_domain::profile::Violation;
use izin_domain::records::Officer;
use izin_store::{
    NewAuditEntry, NoticeListing, ReceiptCursor, ReceiptOutcome, ReceiptRecord, ReinstateOutcome,
    Reinstatement,
};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum OfficerPaymentError {
    #[error("no such application or receipt")]
    NotFound,
    #[error("the {} role is needed", .0.code())]
    RoleMissing(izin_domain::officer::Role),
    /// The officer who approved the application may not also record its payment.
    #[error("the payment must be recorded by another officer than the approver")]
    SameOfficer,
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<Violation>),
    /// Not an unmatched "paid in time, arrived late" receipt of a rejected application.
    #[error("this receipt cannot reinstate its application")]
    NotReinstatable,
    /// The application has no payment open.
    #[error("nothing is due on this application")]
    NothingDue,
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

impl From<crate::StorageFailure> for OfficerPaymentError {
    fn from(failure: crate::StorageFailure) -> Self {
        OfficerPaymentError::Payment(PaymentError::Store(failure))
    }
}

impl From<izin_store::StoreError> for OfficerPaymentError {
    fn from(error: izin_store::StoreError) -> Self {
        OfficerPaymentError::Payment(PaymentError::from(error))
    }
}

impl From<Forbidden> for OfficerPaymentError {
    fn from(forbidden: Forbidden) -> Self {
        match forbidden {
            Forbidden::OtherAuthority => OfficerPaymentError::NotFound,
            Forbidden::RoleMissing(role) => OfficerPaymentError::RoleMissing(role),
            Forbidden::SameOfficer => OfficerPaymentError::SameOfficer,
        }
    }
}

impl OfficerPaymentError {
    pub fn code(&self) -> &'static str {
        match self {
            OfficerPaymentError::NotFound => "not-found",
            OfficerPaymentError::RoleMissing(_) => "officer-role-missing",
            OfficerPaymentError::SameOfficer => "payment-same-officer",
            OfficerPaymentError::Invalid(_) => "invalid",
            OfficerPaymentError::NotReinstatable => "payment-not-reinstatable",
            OfficerPaymentError::NothingDue => "payment-nothing-due",
            OfficerPaymentError::Payment(_) => "store",
        }
    }
}

/// A payment an approver records by hand.
#[derive(Debug, Clone, Default)]
pub struct ManualPayment {
    pub account_code: String,
    /// `964.00`.
    pub amount: String,
    /// When the payment was made (`YYYY-MM-DD`; the day counts, noon Türkiye time is stored).
    pub paid_on: String,
    /// The bank and its receipt number, when there is one.
    pub bank: String,
    pub receipt_no: String,
    /// Why it is recorded by hand (required).
    pub reason: String,
}

/// An application's payment as officers see it.
#[derive(Debug, Clone)]
pub struct PaymentFile {
    pub record: izin_domain::records::ApplicationRecord,
    /// `None`: nothing was ever due.
    pub notice: Option<PaymentNotice>,
    pub receipts: Vec<ReceiptRecord>,
    /// Who approved it (may not record its payment by hand).
    pub approved_by: Option<Uuid>,
}

impl Payments<'_> {
    fn officer_audit(
        &self,
        officer: &Officer,
        action: AuditAction,
        subject: String,
        client: &ClientInfo,
    ) -> NewAuditEntry {
        NewAuditEntry::new(
            self.app.clock.now(),
            Actor::Officer(officer.id),
            action,
            client,
        )
        .subject(subject)
    }

    /// The authority's payments still open, nearest deadline first.
    pub async fn open_for_officer(
        &self,
        officer: &Officer,
        limit: u32,
    ) -> Result<Vec<NoticeListing>, OfficerPaymentError> {
        Ok(self
            .app
            .store
            .open_notices(officer.authority, limit)
            .await?)
    }

    /// Receipts nobody could count, that the officer's authority handles, newest first.
    pub async fn unmatched_for_officer(
        &self,
        officer: &Officer,
        after: Option<ReceiptCursor>,
        limit: u32,
    ) -> Result<Vec<ReceiptRecord>, OfficerPaymentError> {
        Ok(self
            .app
            .store
            .unmatched_receipts(officer.authority, after, limit)
            .await?)
    }

    /// One application's notice and receipts (another authority's: not found).
    pub async fn file_for_officer(
        &self,
        officer: &Officer,
        application: Uuid,
    ) -> Result<PaymentFile, OfficerPaymentError> {
        let record = self
            .app
            .back_office()
            .application_for(officer, application, OfficerAction::Read)
            .await
            .map_err(|_| OfficerPaymentError::NotFound)?;
        let notice = self.app.store.payment_notice(record.id).await?;
        let receipts = self.app.store.receipts_for(record.id).await?;
        let approved_by = self.approver_of(record.id).await?;
        Ok(PaymentFile {
            record,
            notice,
            receipts,
            approved_by,
        })
    }

    /// The officer whose move put the application into PAYMENT_PENDING.
    async fn approver_of(&self, application: Uuid) -> Result<Option<Uuid>, OfficerPaymentError> {
        Ok(self
            .app
            .store
            .application_history(application)
            .await?
            .into_iter()
            .rev()
            .find(|e| e.event == Event::ApproveWithFees)
            .filter(|e| e.actor_kind == "officer")
            .and_then(|e| e.actor_id))
    }

    /// An approver records a payment the portal never received (a receipt brought in person),
    /// with a written reason; matched like any other.
    pub async fn record_by_hand(
        &self,
        officer: &Officer,
        application: Uuid,
        input: &ManualPayment,
        client: &ClientInfo,
    ) -> Result<ReceiptOutcome, OfficerPaymentError> {
        let record = self
            .app
            .back_office()
            .application_for(officer, application, OfficerAction::Read)
            .await
            .map_err(|_| OfficerPaymentError::NotFound)?;
        may(
            officer.authority,
            &officer.roles,
            officer.authority,
            OfficerAction::RecordPayment,
        )?;
        if self.approver_of(record.id).await? == Some(officer.id) {
            return Err(OfficerPaymentError::SameOfficer);
        }
        let notice = self
            .app
            .store
            .payment_notice(record.id)
            .await?
            .ok_or(OfficerPaymentError::NothingDue)?;
        let payment = read_manual(input, officer.id, &notice)?;
        Ok(self
            .receive(payment, Actor::Officer(officer.id), client)
            .await?)
    }

    /// Counts an unmatched "paid in time, arrived after the rejection" receipt: the application
    /// is approved once every amount is paid.
    pub async fn reinstate(
        &self,
        officer: &Officer,
        receipt: Uuid,
        reason: &str,
        client: &ClientInfo,
    ) -> Result<ReinstateOutcome, OfficerPaymentError> {
        may(
            officer.authority,
            &officer.roles,
            officer.authority,
            OfficerAction::RecordPayment,
        )?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(OfficerPaymentError::Invalid(vec![Violation::new(
                "reason",
                "payment-reason-required",
            )]));
        }
        let found = self
            .app
            .store
            .receipt(receipt)
            .await?
            .filter(|r| r.authority.is_none_or(|a| a == officer.authority))
            .ok_or(OfficerPaymentError::NotFound)?;
        if let Some(application) = found.application
            && self.approver_of(application).await? == Some(officer.id)
        {
            return Err(OfficerPaymentError::SameOfficer);
        }
        let now = self.app.clock.now();
        let outcome = self
            .app
            .store
            .reinstate(Reinstatement {
                receipt,
                authority: officer.authority,
                officer: officer.id,
                reason: reason.to_owned(),
                now,
                mail: self.approved_mail(),
                audit: self
                    .officer_audit(
                        officer,
                        AuditAction::PaymentReinstated,
                        format!("receipt:{receipt}"),
                        client,
                    )
                    .detail("event", Event::ReinstatePaid.code()),
            })
            .await?;
        match outcome {
            ReinstateOutcome::NotFound => Err(OfficerPaymentError::NotFound),
            ReinstateOutcome::NotReinstatable => Err(OfficerPaymentError::NotReinstatable),
            moved @ ReinstateOutcome::Approved(_) => {
                self.app.mail_queued.notify_one();
                Ok(moved)
            }
            counted => Ok(counted),
        }
    }
}

/// `next`/`after` of a page of receipts, opaque and URL-safe like the queue's.
pub fn encode_receipt_cursor(cursor: ReceiptCursor) -> String {
    crate::back_office::queue::encode_cursor(izin_store::QueueCursor {
        submitted_at: cursor.received_at,
        id: cursor.id,
    })
}

/// The cursor a client sent back, if it is one of ours.
pub fn parse_receipt_cursor(text: &str) -> Option<ReceiptCursor> {
    crate::back_office::queue::parse_cursor(text).map(|c| ReceiptCursor {
        received_at: c.submitted_at,
        id: c.id,
    })
}

/// Reads a manual payment's form; every problem names its field.
fn read_manual(
    input: &ManualPayment,
    officer: Uuid,
    notice: &PaymentNotice,
) -> Result<IncomingPayment, OfficerPaymentError> {
    let mut violations = Vec::new();
    let account_code = input.account_code.trim();
    if !notice
        .items
        .iter()
        .any(|i| i.amount.account_code == account_code)
    {
        violations.push(Violation::new("account_code", "payment-account-unknown"));
    }
    let amount = super::notifications::strict_amount(input.amount.trim());
    if amount.is_none() {
        violations.push(Violation::new("amount", "payment-amount-invalid"));
    }
    let paid_on = izin_domain::calendar::parse_iso_date(input.paid_on.trim());
    if paid_on.is_none() {
        violations.push(Violation::new("paid_on", "payment-date-invalid"));
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        violations.push(Violation::new("reason", "payment-reason-required"));
    }
    let (bank, receipt_no) = (input.bank.trim(), input.receipt_no.trim());
    if bank.is_empty() != receipt_no.is_empty() {
        violations.push(Violation::new("receipt_no", "payment-receipt-incomplete"));
    }
    let foreigner_id = ForeignerId::parse(&notice.foreigner_id).ok();
    match (amount, paid_on, foreigner_id) {
        (Some(amount), Some(day), Some(foreigner_id)) if violations.is_empty() => {
            Ok(IncomingPayment {
                channel: Channel::Manual,
                payment_id: None,
                bank: (!bank.is_empty()).then(|| bank.to_owned()),
                receipt_no: (!receipt_no.is_empty()).then(|| receipt_no.to_owned()),
                reference: Some(notice.reference.clone()),
                foreigner_id,
                account_code: account_code.to_owned(),
                amount,
                currency: "TRY".into(),
                paid_at: noon_in_turkiye(day),
                recorded_by: Some(officer),
                note: Some(reason.to_owned()),
            })
        }
        _ => Err(OfficerPaymentError::Invalid(violations)),
    }
}

/// A day as a moment: noon in Türkiye, safely inside the day whatever the offset.
fn noon_in_turkiye(day: time::Date) -> OffsetDateTime {
    day.with_hms(12, 0, 0)
        .unwrap_or_else(|_| unreachable!("noon exists"))
        .assume_offset(izin_domain::calendar::TURKIYE)
}
