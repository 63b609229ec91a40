//! Paying what an approval made due (seed §4.7): the transaction reference number quoted with
//! every payment, the 30-day deadline, and the strict matching of a receipt to what is due.
//! Pure rules; storage and the payment channels call them.
//!
//! - The **transaction reference number** is the year, an eight-digit serial drawn from one
//!   database counter (so it is unique across instances) and two check digits of ISO 7064
//!   MOD 97-10 (as in an IBAN): every single mistyped digit and every swap of two neighbouring
//!   digits is recognised as such.
//! - The **deadline** is the day of the payment notice in Türkiye time plus 30 days (the fee
//!   table's `payment_deadline_days`); that day is
//!   the last to pay, in full. A payment counts by the day it was made, not the day its record
//!   arrives.
//! - A receipt **matches** only when its account code is one that is still due, the foreigner ID
//!   is the applicant's and the amount is exactly the amount due; anything else is kept as
//!   unmatched with its reason, for refund handling — never dropped.

use crate::calendar::TURKIYE;
use crate::identifiers::IdError;
use crate::mod97::check_digits;
use crate::money::{Amount, Money};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

/// How many days before the deadline the reminder is sent.
pub const REMINDER_DAYS_BEFORE: i64 = 7;

/// The number quoted with a payment: `YYYY` + an eight-digit serial + two check digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransactionReference(String);

impl TransactionReference {
    pub const LENGTH: usize = 14;

    /// The reference of the `serial`-th notice of `year` (the serial from the database's counter,
    /// wrapping at 10⁸ within a year, which no authority approaches).
    pub fn issue(year: i32, serial: u64) -> Self {
        let body = format!("{:04}{:08}", year.rem_euclid(10_000), serial % 100_000_000);
        let check = check_digits(&body);
        Self(format!("{body}{check:02}"))
    }

    /// Reads a reference as people type it (spaces and hyphens forgiven); a mistyped one is
    /// refused by its check digits.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(IdError::Empty);
        }
        if compact.len() != Self::LENGTH || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Shape);
        }
        let (body, check) = compact.split_at(Self::LENGTH - 2);
        if check.parse::<u32>().ok() != Some(check_digits(body)) {
            return Err(IdError::Checksum);
        }
        Ok(Self(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// In groups of four for reading aloud and typing: `2026 0000 0123 45`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for TransactionReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for TransactionReference {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TransactionReference {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The last day to pay for a notice sent at `notice_at`: its day in Türkiye plus `days` (the fee
/// table's `payment_deadline_days`, 30 as the seed says).
pub fn deadline(notice_at: OffsetDateTime, days: u16) -> Date {
    notice_at.to_offset(TURKIYE).date() + Duration::days(i64::from(days))
}

/// Whether a payment made at `paid_at` was in time for `deadline` (any moment of the deadline
/// day, Türkiye time, counts).
pub fn paid_in_time(paid_at: OffsetDateTime, deadline: Date) -> bool {
    paid_at.to_offset(TURKIYE).date() <= deadline
}

/// The day the reminder goes out.
pub fn reminder_day(deadline: Date) -> Date {
    deadline - Duration::days(REMINDER_DAYS_BEFORE)
}

/// One amount an application owes, and whether a receipt paid it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub account_code: String,
    /// At the rates of `year`.
    pub amount: Money,
    pub year: i32,
    /// What it was at the rates of an earlier year, before the new year's rates applied: a
    /// payment made in that year is matched at that year's amount.
    pub earlier: Option<EarlierRate>,
    pub paid: bool,
}

impl DueItem {
    /// The amount a payment made at `paid_at` must be: the rates of the year it was made in.
    pub fn amount_paid_at(&self, paid_at: OffsetDateTime) -> Money {
        let year = paid_at.to_offset(TURKIYE).year();
        match self.earlier {
            Some(earlier) if earlier.year == year => earlier.amount,
            _ => self.amount,
        }
    }
}

/// An amount as it was at an earlier year's rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierRate {
    pub year: i32,
    pub amount: Money,
}

/// One amount of a payment notice, in the one money shape, and whether it is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    pub amount: Amount,
    pub earlier: Option<EarlierRate>,
    pub paid: bool,
}

/// What an application owes and how to pay it: made at the approval with amounts due (or at a
/// new card's submission when its reason fixes the price), kept until it is paid or rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentNotice {
    pub application: Uuid,
    pub reference: TransactionReference,
    /// Quoted with both ways to pay.
    pub foreigner_id: String,
    /// The authority assigned the foreigner ID at the approval (the applicant had none).
    pub foreigner_id_assigned: bool,
    pub noticed_at: OffsetDateTime,
    /// The last day to pay.
    pub deadline: Date,
    pub items: Vec<NoticeItem>,
    pub reminded_at: Option<OffsetDateTime>,
    /// The new year began and its rates are not in the fee table: the amounts stay at the old
    /// year's rates, marked, until they are.
    pub rates_missing_for: Option<i32>,
    /// What the review decided, for kinds whose price an officer decides (recomputed at a new
    /// year from the same decision).
    pub basis: Option<String>,
    /// Rejected because its deadline passed.
    pub expired_at: Option<OffsetDateTime>,
}

impl PaymentNotice {
    /// Every amount is paid.
    pub fn settled(&self) -> bool {
        self.items.iter().all(|i| i.paid)
    }

    /// How matching sees this notice; `pending` when the application still waits for payment.
    pub fn owing(&self, pending: bool) -> Owing {
        Owing {
            application: self.application,
            reference: self.reference.clone(),
            pending,
            rejected_for_deadline: self.expired_at.is_some(),
            deadline: self.deadline,
            items: self
                .items
                .iter()
                .map(|i| DueItem {
                    account_code: i.amount.account_code.clone(),
                    amount: i.amount.amount,
                    year: i.amount.year,
                    earlier: i.earlier,
                    paid: i.paid,
                })
                .collect(),
        }
    }
}

/// Where a payment came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The revenue administration's signed notification (the Digital Tax Office).
    Notification,
    /// A contracted bank's collection file.
    BankFile,
    /// Recorded by an approver from a receipt the portal never received.
    Manual,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Notification => "notification",
            Channel::BankFile => "bank_file",
            Channel::Manual => "manual",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        [Channel::Notification, Channel::BankFile, Channel::Manual]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// Where an application of the payer stands, as matching sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owing {
    pub application: Uuid,
    pub reference: TransactionReference,
    /// Still PAYMENT_PENDING (a rejected or withdrawn application owes nothing any more).
    pub pending: bool,
    /// Rejected because its deadline passed (a payment made in time may reinstate it).
    pub rejected_for_deadline: bool,
    pub deadline: Date,
    pub items: Vec<DueItem>,
}

/// A payment as a channel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Quoted on the Digital Tax Office's reference screen; a bank receipt has none.
    pub reference: Option<TransactionReference>,
    pub foreigner_id: String,
    pub account_code: String,
    pub amount: Money,
    pub paid_at: OffsetDateTime,
}

/// Why a receipt could not be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unmatched {
    /// No application of this payer owes anything under this reference or account.
    UnknownReference,
    /// An amount is due on the account, but not this one.
    WrongAmount,
    /// The amount on the account was paid already.
    AlreadyPaid,
    /// The application is no longer waiting for payment.
    NotPending,
    /// Two applications of the payer owe the same amount on the same account.
    Ambiguous,
    /// Paid in time, but it arrived after the application was rejected for the deadline: an
    /// approver may reinstate it.
    PaidOnTimeArrivedLate,
}

impl Unmatched {
    pub fn code(self) -> &'static str {
        match self {
            Unmatched::UnknownReference => "unknown_reference",
            Unmatched::WrongAmount => "wrong_amount",
            Unmatched::AlreadyPaid => "already_paid",
            Unmatched::NotPending => "not_pending",
            Unmatched::Ambiguous => "ambiguous",
            Unmatched::PaidOnTimeArrivedLate => "paid_on_time_arrived_late",
        }
    }

    pub const ALL: [Unmatched; 6] = [
        Unmatched::UnknownReference,
        Unmatched::WrongAmount,
        Unmatched::AlreadyPaid,
        Unmatched::NotPending,
        Unmatched::Ambiguous,
        Unmatched::PaidOnTimeArrivedLate,
    ];

    pub fn parse(code: &str) -> Option<Unmatched> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }
}

/// What a receipt pays, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matching {
    /// It pays item `item` of `application`; `settles` when nothing else remains due.
    Matched {
        application: Uuid,
        item: usize,
        settles: bool,
    },
    Unmatched {
        reason: Unmatched,
        /// The application it was most likely meant for, for the officer handling the refund.
        application: Option<Uuid>,
    },
}

/// Decides what `receipt` pays among the payer's applications `owing` (those of its foreigner ID).
pub fn match_receipt(receipt: &Receipt, owing: &[Owing]) -> Matching {
    let unmatched = |reason, application| Matching::Unmatched {
        reason,
        application,
    };
    // A quoted reference names the application; a bank receipt is found by account and amount.
    let candidates: Vec<&Owing> = match &receipt.reference {
        Some(reference) => owing.iter().filter(|o| &o.reference == reference).collect(),
        None => owing
            .iter()
            .filter(|o| {
                o.items
                    .iter()
                    .any(|i| i.account_code == receipt.account_code)
            })
            .collect(),
    };
    if candidates.is_empty() {
        return unmatched(Unmatched::UnknownReference, None);
    }
    let pending: Vec<&Owing> = candidates.iter().copied().filter(|o| o.pending).collect();
    if pending.is_empty() {
        let late = candidates
            .iter()
            .find(|o| o.rejected_for_deadline && paid_in_time(receipt.paid_at, o.deadline));
        return match late {
            Some(o) => unmatched(Unmatched::PaidOnTimeArrivedLate, Some(o.application)),
            None => unmatched(Unmatched::NotPending, Some(candidates[0].application)),
        };
    }
    // Exactly the amount due, on an account still due.
    let exact: Vec<(&Owing, usize)> = pending
        .iter()
        .flat_map(|o| {
            o.items.iter().enumerate().filter_map(move |(i, item)| {
                (item.account_code == receipt.account_code
                    && item.amount_paid_at(receipt.paid_at) == receipt.amount
                    && !item.paid)
                    .then_some((*o, i))
            })
        })
        .collect();
    match exact.as_slice() {
        [(o, i)] => Matching::Matched {
            application: o.application,
            item: *i,
            settles: o
                .items
                .iter()
                .enumerate()
                .all(|(j, item)| j == *i || item.paid),
        },
        [] => {
            let on_account: Vec<(&Owing, &DueItem)> = pending
                .iter()
                .flat_map(|o| {
                    o.items
                        .iter()
                        .filter(|i| i.account_code == receipt.account_code)
                        .map(move |i| (*o, i))
                })
                .collect();
            let first = pending.first().map(|o| o.application);
            if on_account.is_empty() {
                unmatched(Unmatched::UnknownReference, first)
            } else if on_account.iter().all(|(_, item)| {
                item.paid && item.amount_paid_at(receipt.paid_at) == receipt.amount
            }) {
                unmatched(Unmatched::AlreadyPaid, Some(on_account[0].0.application))
            } else {
                unmatched(Unmatched::WrongAmount, Some(on_account[0].0.application))
            }
        }
        _ => unmatched(Unmatched::Ambiguous, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[test]
    fn references_carry_check_digits_and_read_back() {
        let reference = TransactionReference::issue(2026, 123);
        assert_eq!(reference.as_str().len(), 14);
        assert!(reference.as_str().starts_with("202600000123"));
        assert_eq!(
            TransactionReference::parse(reference.as_str()),
            Ok(reference.clone())
        );
        assert_eq!(
            TransactionReference::parse(&reference.grouped()),
            Ok(reference.clone()),
            "typed in groups"
        );
        assert_eq!(TransactionReference::parse(""), Err(IdError::Empty));
        assert_eq!(
            TransactionReference::parse("2026-0000"),
            Err(IdError::Shape)
        );
        assert_eq!(
            TransactionReference::parse("2026000001230a"),
            Err(IdError::Shape)
        );
        assert_ne!(
            TransactionReference::issue(2026, 1),
            TransactionReference::issue(2027, 1)
        );
    }

    proptest! {
        #[test]
        fn every_single_mistyped_digit_is_recognised(serial in 0u64..100_000_000, position in 0usize..14, delta in 1u8..10) {
            let reference = TransactionReference::issue(2026, serial);
            let mut digits: Vec<u8> = reference.as_str().bytes().collect();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let typed = String::from_utf8(digits).unwrap();
            prop_assert_eq!(TransactionReference::parse(&typed), Err(IdError::Checksum));
        }

        #[test]
        fn every_swap_of_neighbouring_digits_is_recognised(serial in 0u64..100_000_000, position in 0usize..13) {
            let reference = TransactionReference::issue(2026, serial);
            let mut digits: Vec<u8> = reference.as_str().bytes().collect();
            prop_assume!(digits[position] != digits[position + 1]);
            digits.swap(position, position + 1);
            let typed = String::from_utf8(digits).unwrap();
            prop_assert_eq!(TransactionReference::parse(&typed), Err(IdError::Checksum));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,30}") {
            let _ = TransactionReference::parse(&text);
        }
    }

    #[test]
    fn the_deadline_is_the_notices_day_in_turkiye_plus_thirty_and_counts_whole() {
        // 22:30 UTC is already the next day in Türkiye.
        let notice = datetime!(2026-11-30 22:30 UTC);
        let last = deadline(notice, 30);
        assert_eq!(last, date!(2026 - 12 - 31));
        assert!(paid_in_time(datetime!(2026-12-31 23:59 +03:00), last));
        assert!(!paid_in_time(datetime!(2027-01-01 00:00 +03:00), last));
        // Paid on the deadline day late in the evening UTC: already the next day in Türkiye.
        assert!(!paid_in_time(datetime!(2026-12-31 21:30 UTC), last));
        assert_eq!(reminder_day(last), date!(2026 - 12 - 24));
    }

    /// A payment open on 31 December is due at the new year's rates from 1 January (Türkiye
    /// time); one made in the old year counts at the old year's rate, however late it arrives.
    #[test]
    fn a_payment_counts_at_the_rates_of_the_year_it_was_made_in() {
        let item = DueItem {
            account_code: "9268".into(),
            amount: Money(110_000),
            year: 2027,
            earlier: Some(EarlierRate {
                year: 2026,
                amount: Money(96_400),
            }),
            paid: false,
        };
        assert_eq!(
            item.amount_paid_at(datetime!(2026-12-31 23:59 +03:00)),
            Money(96_400)
        );
        // 22:30 UTC on 31 December is already 1 January in Türkiye.
        assert_eq!(
            item.amount_paid_at(datetime!(2026-12-31 22:30 UTC)),
            Money(110_000)
        );
        assert_eq!(
            item.amount_paid_at(datetime!(2027-01-02 10:00 +03:00)),
            Money(110_000)
        );
        let mut owed = owing(1, &[("9268", 0, false)]);
        owed.items = vec![item];
        let on_new_year_eve = Receipt {
            paid_at: datetime!(2026-12-31 16:00 +03:00),
            ..receipt(None, "9268", 96_400)
        };
        assert!(matches!(
            match_receipt(&on_new_year_eve, std::slice::from_ref(&owed)),
            Matching::Matched { settles: true, .. }
        ));
        let old_rate_in_january = Receipt {
            paid_at: datetime!(2027-01-02 10:00 +03:00),
            ..receipt(None, "9268", 96_400)
        };
        assert!(matches!(
            match_receipt(&old_rate_in_january, &[owed]),
            Matching::Unmatched {
                reason: Unmatched::WrongAmount,
                ..
            }
        ));
    }

    fn owing(id: u128, items: &[(&str, i64, bool)]) -> Owing {
        Owing {
            application: Uuid::from_u128(id),
            reference: TransactionReference::issue(2026, id as u64),
            pending: true,
            rejected_for_deadline: false,
            deadline: date!(2026 - 12 - 31),
            items: items
                .iter()
                .map(|(account, amount, paid)| DueItem {
                    account_code: (*account).to_owned(),
                    amount: Money(*amount),
                    year: 2026,
                    earlier: None,
                    paid: *paid,
                })
                .collect(),
        }
    }

    fn receipt(reference: Option<TransactionReference>, account: &str, amount: i64) -> Receipt {
        Receipt {
            reference,
            foreigner_id: "99123456740".into(),
            account_code: account.into(),
            amount: Money(amount),
            paid_at: datetime!(2026-12-10 10:00 +03:00),
        }
    }

    #[test]
    fn an_exact_payment_on_an_account_due_matches_and_the_last_settles() {
        let a = owing(1, &[("9280", 1_257_492, false), ("9268", 96_400, false)]);
        let first = match_receipt(&receipt(None, "9268", 96_400), std::slice::from_ref(&a));
        assert_eq!(
            first,
            Matching::Matched {
                application: a.application,
                item: 1,
                settles: false
            }
        );
        let mut half_paid = a.clone();
        half_paid.items[1].paid = true;
        let last = match_receipt(
            &receipt(Some(a.reference.clone()), "9280", 1_257_492),
            &[half_paid],
        );
        assert_eq!(
            last,
            Matching::Matched {
                application: a.application,
                item: 0,
                settles: true
            }
        );
    }

    #[test]
    fn anything_but_the_exact_amount_is_kept_unmatched_with_its_reason() {
        let a = owing(1, &[("9280", 1_257_492, false), ("9268", 96_400, true)]);
        let reason = |m: Matching| match m {
            Matching::Unmatched { reason, .. } => Some(reason),
            Matching::Matched { .. } => None,
        };
        let owes = std::slice::from_ref(&a);
        assert_eq!(
            reason(match_receipt(&receipt(None, "9280", 1_257_491), owes)),
            Some(Unmatched::WrongAmount),
            "short"
        );
        assert_eq!(
            reason(match_receipt(&receipt(None, "9280", 1_257_493), owes)),
            Some(Unmatched::WrongAmount),
            "over"
        );
        assert_eq!(
            reason(match_receipt(&receipt(None, "9268", 96_400), owes)),
            Some(Unmatched::AlreadyPaid),
            "duplicate"
        );
        assert_eq!(
            reason(match_receipt(&receipt(None, "1234", 96_400), owes)),
            Some(Unmatched::UnknownReference),
            "wrong account"
        );
        assert_eq!(
            reason(match_receipt(&receipt(None, "9280", 1_257_492), &[])),
            Some(Unmatched::UnknownReference),
            "wrong person"
        );
        assert_eq!(
            reason(match_receipt(
                &receipt(
                    Some(TransactionReference::issue(2026, 999)),
                    "9280",
                    1_257_492
                ),
                owes
            )),
            Some(Unmatched::UnknownReference),
            "another reference"
        );
        let b = owing(2, &[("9280", 1_257_492, false)]);
        assert_eq!(
            reason(match_receipt(
                &receipt(None, "9280", 1_257_492),
                &[a.clone(), b.clone()]
            )),
            Some(Unmatched::Ambiguous)
        );
        // With the reference quoted, the same payment is not ambiguous.
        assert!(matches!(
            match_receipt(
                &receipt(Some(b.reference.clone()), "9280", 1_257_492),
                &[a.clone(), b]
            ),
            Matching::Matched { .. }
        ));
    }

    #[test]
    fn a_payment_after_the_rejection_is_late_if_made_in_time_else_for_refund() {
        let mut rejected = owing(1, &[("9280", 1_257_492, false)]);
        rejected.pending = false;
        rejected.rejected_for_deadline = true;
        let on_time = receipt(None, "9280", 1_257_492);
        assert_eq!(
            match_receipt(&on_time, std::slice::from_ref(&rejected)),
            Matching::Unmatched {
                reason: Unmatched::PaidOnTimeArrivedLate,
                application: Some(rejected.application)
            }
        );
        let mut too_late = on_time.clone();
        too_late.paid_at = datetime!(2027-01-02 10:00 +03:00);
        assert_eq!(
            match_receipt(&too_late, std::slice::from_ref(&rejected)),
            Matching::Unmatched {
                reason: Unmatched::NotPending,
                application: Some(rejected.application)
            }
        );
    }
}
