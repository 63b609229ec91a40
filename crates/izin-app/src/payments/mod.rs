//! Paying what an approval made due (seed §4.7): the notice (amounts with their account codes,
//! the foreigner identity number to declare, the transaction reference number, the deadline and
//! both ways to pay), the two channels payments arrive by ([`notifications`] from the revenue
//! administration, [`bank_file`] from contracted banks), the jobs that enforce the 30-day rule,
//! remind and apply a new year's rates ([`jobs`]), and the officers' side ([`officers`]).
//!
//! Matching is strict and happens in the store's transaction
//! ([`izin_domain::payment::match_receipt`]); this module decides what a receipt is and writes
//! the mails.

pub mod bank_file;
pub mod jobs;
pub mod mails;
pub mod notifications;
pub mod officers;

use crate::App;
use izin_domain::application::Kind;
use izin_domain::audit::{Actor, AuditAction, ClientInfo};
use izin_domain::calendar::today_in_turkiye;
use izin_domain::identifiers::ForeignerId;
use izin_domain::money::{Amount, Money};
use izin_domain::officer::Authority;
use izin_domain::payment::{Channel, PaymentNotice, TransactionReference, deadline};
use izin_domain::payment_catalog::{PaymentTerms, for_kind};
use izin_domain::records::ApplicationRecord;
use izin_domain::reference::CatalogError;
use izin_domain::reference::Labels;
use izin_i18n::Texts;
use izin_store::{NewAuditEntry, NewMail, NewNotice, NewReceipt, PaymentMail, User};
use std::sync::LazyLock;
use time::OffsetDateTime;
use uuid::Uuid;

pub use izin_store::{
    NoticeListing, ReceiptCursor, ReceiptOutcome, ReceiptRecord, ReinstateOutcome,
};

static TERMS: LazyLock<Result<Vec<PaymentTerms>, CatalogError>> =
    LazyLock::new(PaymentTerms::embedded);

/// Every authority's payment terms, as the catalogue embeds them (checked by the tests, so an
/// error here is a build that never passed them).
pub fn all_terms() -> &'static [PaymentTerms] {
    match &*TERMS {
        Ok(terms) => terms,
        Err(_) => &[],
    }
}

/// The terms a kind is paid under.
pub fn terms_for(kind: Kind) -> Option<&'static PaymentTerms> {
    for_kind(all_terms(), kind)
}

/// The authority whose account `account_code` is, if any authority's terms name it.
pub fn authority_of_account(account_code: &str) -> Option<Authority> {
    all_terms()
        .iter()
        .find(|t| t.account(account_code).is_some())
        .map(|t| t.authority)
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("no such application or payment")]
    NotFound,
    /// The kind has no payment terms in the catalogue.
    #[error("no payment terms for {0:?}")]
    NoTerms(Kind),
    /// The migration registry could not assign a foreigner identity number now.
    #[error(transparent)]
    Registry(#[from] crate::registries::RegistryError),
    #[error(transparent)]
    Store(#[from] crate::StorageFailure),
}

crate::failure::storage_failure_converts!(PaymentError);

/// Payments' services, borrowing the [`App`].
pub struct Payments<'a> {
    pub(crate) app: &'a App,
}

impl App {
    pub fn payments(&self) -> Payments<'_> {
        Payments { app: self }
    }
}

/// A payment as a channel reports it, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingPayment {
    pub channel: Channel,
    pub payment_id: Option<String>,
    pub bank: Option<String>,
    pub receipt_no: Option<String>,
    pub reference: Option<TransactionReference>,
    pub foreigner_id: ForeignerId,
    pub account_code: String,
    pub amount: Money,
    pub currency: String,
    pub paid_at: OffsetDateTime,
    pub recorded_by: Option<Uuid>,
    pub note: Option<String>,
}

impl Payments<'_> {
    /// The notice an approval of `record` with `amounts` leaves: the applicant's foreigner
    /// identity number, or one the migration registry assigns now (stored on the person as
    /// assigned by the authority), and the deadline from today.
    pub(crate) async fn notice_for(
        &self,
        record: &ApplicationRecord,
        amounts: Vec<Amount>,
        basis: Option<String>,
        client: &ClientInfo,
    ) -> Result<NewNotice, PaymentError> {
        let kind = self.app.applications().kind(record.kind);
        let terms = terms_for(record.kind).ok_or(PaymentError::NoTerms(record.kind))?;
        let (foreigner_id, assigned) = self.foreigner_id_of(record.user_id, client).await?;
        let now = self.app.clock.now();
        Ok(NewNotice {
            authority: terms.authority,
            foreigner_id: foreigner_id.as_str().to_owned(),
            foreigner_id_assigned: assigned,
            items: amounts,
            deadline: deadline(now, self.app.catalog.fees.payment_deadline_days),
            on_approval: kind.outcome_on_approval(),
            basis,
            mail: self.notice_mail(),
        })
    }

    /// The person's foreigner identity number, assigning one when they have none (typical of the
    /// passport and abroad ways in). `true` when assigned now or earlier by the authority.
    async fn foreigner_id_of(
        &self,
        user_id: Uuid,
        client: &ClientInfo,
    ) -> Result<(ForeignerId, bool), PaymentError> {
        let mut profile = self.app.store.profile(user_id).await?;
        let assigned_before = profile.is_verified(
            izin_domain::profile::Section::Personal,
            ASSIGNED_FOREIGNER_ID,
        );
        if let Some(id) = profile.personal.foreigner_id.clone() {
            return Ok((id, assigned_before));
        }
        let id = self.app.registries.allocate_foreigner_id().await?;
        let now = self.app.clock.now();
        profile.personal.foreigner_id = Some(id.clone());
        self.app
            .store
            .save_profile_section(
                user_id,
                izin_store::SectionData::Personal(profile.personal.clone()),
                now,
                NewAuditEntry::new(now, Actor::System, AuditAction::ForeignerIdAssigned, client)
                    .subject(format!("user:{user_id}"))
                    .detail("foreigner_id", id.as_str()),
            )
            .await?;
        let mut verified = profile.verified.clone();
        verified.insert(format!("personal.{ASSIGNED_FOREIGNER_ID}"));
        verified.insert("personal.foreigner_id".to_owned());
        self.app
            .store
            .set_verified_fields(user_id, verified, now)
            .await?;
        Ok((id, true))
    }

    /// A mail about a payment, written by `write` inside the store's transaction from the
    /// applicant, the application (its kind named in both languages) and the notice as stored.
    pub(crate) fn mail(
        &self,
        write: impl Fn(&Texts, &User, &Labels, &ApplicationRecord, &PaymentNotice) -> NewMail
        + Send
        + Sync
        + 'static,
    ) -> PaymentMail {
        let app = self.app.clone();
        PaymentMail::new(move |ctx| {
            let kind = app.applications().describe(ctx.record);
            Some(write(&app.texts, ctx.user, &kind, ctx.record, ctx.notice))
        })
    }

    /// The payment-notice mail, written when the store has drawn the reference number.
    pub(crate) fn notice_mail(&self) -> PaymentMail {
        self.mail(mails::notice)
    }

    /// The approval mail a payment that completes the notice sends.
    pub(crate) fn approved_mail(&self) -> PaymentMail {
        self.mail(|texts, user, kind, record, _| {
            crate::mails::application_decided(
                texts,
                user,
                kind,
                record.number.as_deref().unwrap_or_default(),
                &crate::mails::DecisionNews::Approved,
            )
        })
    }

    /// A text recorded once for readers of either language (a history entry's reason).
    pub(crate) fn in_both_languages(
        &self,
        id: &str,
        args: &[(&str, izin_i18n::Value<'_>)],
    ) -> String {
        format!(
            "{} / {}",
            self.app.texts.format(izin_domain::Language::Tr, id, args),
            self.app.texts.format(izin_domain::Language::En, id, args)
        )
    }

    /// Stores and matches one payment; a replay answers the first record.
    pub async fn receive(
        &self,
        payment: IncomingPayment,
        actor: Actor,
        client: &ClientInfo,
    ) -> Result<ReceiptOutcome, PaymentError> {
        let now = self.app.clock.now();
        let action = if payment.channel == Channel::Manual {
            AuditAction::PaymentRecordedByHand
        } else {
            AuditAction::PaymentReceived
        };
        let id = Uuid::now_v7();
        let audit = NewAuditEntry::new(now, actor, action, client)
            .subject(format!("receipt:{id}"))
            .detail("channel", payment.channel.code())
            .detail("account_code", payment.account_code.as_str())
            .detail("amount", payment.amount.decimal());
        let outcome = self
            .app
            .store
            .record_receipt(NewReceipt {
                id,
                channel: payment.channel,
                payment_id: payment.payment_id,
                bank: payment.bank,
                receipt_no: payment.receipt_no,
                reference: payment.reference,
                foreigner_id: payment.foreigner_id.as_str().to_owned(),
                authority: authority_of_account(&payment.account_code),
                account_code: payment.account_code,
                amount: payment.amount,
                currency: payment.currency,
                paid_at: payment.paid_at,
                received_at: now,
                recorded_by: payment.recorded_by,
                note: payment.note,
                settled_mail: self.approved_mail(),
                audit,
                settled_audit: NewAuditEntry::new(
                    now,
                    Actor::System,
                    AuditAction::ApplicationMoved,
                    client,
                )
                .detail(
                    "event",
                    izin_domain::application::Event::ConfirmPayment.code(),
                ),
            })
            .await?;
        match &outcome {
            ReceiptOutcome::Recorded {
                matching, approved, ..
            } => {
                let result = match matching {
                    izin_domain::payment::Matching::Matched { .. } => "matched",
                    izin_domain::payment::Matching::Unmatched { reason, .. } => reason.code(),
                };
                metrics::counter!("izin_payments_received_total", "channel" => payment.channel.code(), "result" => result)
                    .increment(1);
                if approved.is_some() {
                    self.app.mail_queued.notify_one();
                }
            }
            ReceiptOutcome::Duplicate { .. } => {
                metrics::counter!("izin_payments_received_total", "channel" => payment.channel.code(), "result" => "duplicate")
                    .increment(1);
            }
        }
        Ok(outcome)
    }

    /// The applicant's view of an application's payment: `None` when it never had a notice.
    pub async fn notice(
        &self,
        record: &ApplicationRecord,
    ) -> Result<Option<PaymentNotice>, PaymentError> {
        Ok(self.app.store.payment_notice(record.id).await?)
    }

    /// Today in Türkiye.
    pub(crate) fn today(&self) -> time::Date {
        today_in_turkiye(self.app.clock.now())
    }
}

/// Marks, among the verified fields of a profile, a foreigner identity number the authority
/// assigned (rather than one a registry confirmed or the person typed).
pub const ASSIGNED_FOREIGNER_ID: &str = "foreigner_id:assigned";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_terms_are_valid_and_name_their_accounts() {
        let terms = PaymentTerms::embedded().expect("payment terms");
        assert!(!terms.is_empty());
        assert_eq!(all_terms().len(), terms.len());
        assert_eq!(authority_of_account("9280"), Some(Authority::Labour));
        assert_eq!(authority_of_account("9268"), Some(Authority::Labour));
        assert_eq!(authority_of_account("1234"), None);
        assert!(terms_for(Kind::WorkPermitExemption).is_some());
        assert!(terms_for(Kind::NewCard).is_some());
    }
}
