//! The revenue administration's payment notifications: a signed JSON body per payment made on
//! the Digital Tax Office's "Payment with Reference Number" screen.
//!
//! The contract: header `X-Izin-Timestamp` is the Unix time in seconds; header
//! `X-Izin-Signature` is `sha256=` and the lower-case hex HMAC-SHA256, under the shared secret,
//! of the timestamp, a dot and the raw body. A timestamp more than five minutes from now either
//! way, or a wrong signature, is refused before anything is read from the body, so a replayed or
//! forged request stores nothing. Replays inside the window are harmless: a payment is stored
//! once per `payment_id`.

use super::{IncomingPayment, PaymentError, Payments};
use hmac::{Hmac, Mac};
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::identifiers::ForeignerId;
use izin_domain::money::Money;
use izin_domain::payment::{Channel, TransactionReference};
use izin_store::ReceiptOutcome;
use serde::Deserialize;
use sha2::Sha256;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The secret the demo's Digital Tax Office (`/dev/pay`) signs with when none is set: printed
/// at start-up, never accepted outside development and demo mode.
pub const DEMO_SECRET: &str = "izin-demo-payments-secret-do-not-use-in-production";

/// How far a notification's timestamp may be from the portal's clock.
pub const TIMESTAMP_TOLERANCE_SECONDS: i64 = 300;
/// The shortest secret accepted (256 bits).
pub const MINIMUM_SECRET_BYTES: usize = 32;

pub const TIMESTAMP_HEADER: &str = "x-izin-timestamp";
pub const SIGNATURE_HEADER: &str = "x-izin-signature";

/// The shared secret notifications are signed with.
#[derive(Clone)]
pub struct NotificationSecret(Vec<u8>);

impl std::fmt::Debug for NotificationSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NotificationSecret(redacted)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error(
        "the payments secret must be at least {MINIMUM_SECRET_BYTES} bytes (it has {0}); generate one with `openssl rand -hex 32`"
    )]
    TooShort(usize),
}

impl NotificationSecret {
    pub fn new(secret: &[u8]) -> Result<Self, SecretError> {
        if secret.len() < MINIMUM_SECRET_BYTES {
            return Err(SecretError::TooShort(secret.len()));
        }
        Ok(Self(secret.to_vec()))
    }

    fn mac(&self, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
        // HMAC takes a key of any length; this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    /// The `X-Izin-Signature` value for `body` sent at `timestamp` (what a sender computes).
    pub fn sign(&self, timestamp: &str, body: &[u8]) -> String {
        let tag = self.mac(timestamp, body).finalize().into_bytes();
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256={hex}")
    }

    /// Checks the headers of a request against its raw body, in constant time.
    pub fn verify(
        &self,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), SignatureError> {
        let timestamp = timestamp.ok_or(SignatureError::Missing)?;
        let signature = signature.ok_or(SignatureError::Missing)?;
        let seconds: i64 = timestamp
            .trim()
            .parse()
            .map_err(|_| SignatureError::BadTimestamp)?;
        if (now.unix_timestamp() - seconds).abs() > TIMESTAMP_TOLERANCE_SECONDS {
            return Err(SignatureError::Stale);
        }
        let tag = signature
            .strip_prefix("sha256=")
            .and_then(decode_hex)
            .ok_or(SignatureError::Wrong)?;
        self.mac(timestamp, body)
            .verify_slice(&tag)
            .map_err(|_| SignatureError::Wrong)
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Why a notification was refused before its body was read (401).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the X-Izin-Timestamp and X-Izin-Signature headers are required")]
    Missing,
    #[error("X-Izin-Timestamp must be Unix seconds")]
    BadTimestamp,
    #[error("the timestamp is more than five minutes from now")]
    Stale,
    #[error("the signature does not match")]
    Wrong,
}

impl SignatureError {
    pub fn code(self) -> &'static str {
        match self {
            SignatureError::Missing => "payment-signature-missing",
            SignatureError::BadTimestamp => "payment-timestamp-invalid",
            SignatureError::Stale => "payment-timestamp-stale",
            SignatureError::Wrong => "payment-signature-wrong",
        }
    }
}

/// A notification's body, as sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    /// The revenue administration's id of the payment; a notification is stored once per id.
    pub payment_id: String,
    /// The transaction reference number the payer quoted.
    pub reference_number: String,
    pub foreigner_id: String,
    pub account_code: String,
    /// A decimal string with a dot and two decimals, e.g. `964.00`.
    pub amount: String,
    /// `TRY`.
    pub currency: String,
    /// When the payment was made (RFC 3339).
    pub paid_at: String,
}

/// A field of a signed notification that cannot be read (422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct NotificationProblem {
    pub field: &'static str,
    pub problem: String,
}

impl Notification {
    /// Reads the fields into their types; every problem names its field.
    pub fn read(&self) -> Result<IncomingPayment, Vec<NotificationProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field, text: String| {
            problems.push(NotificationProblem {
                field,
                problem: text,
            })
        };
        let payment_id = self.payment_id.trim();
        if payment_id.is_empty() || payment_id.len() > 100 {
            problem("payment_id", "must be 1 to 100 characters".into());
        }
        let reference = TransactionReference::parse(&self.reference_number)
            .map_err(|e| problem("reference_number", e.to_string()))
            .ok();
        let foreigner_id = ForeignerId::parse(&self.foreigner_id)
            .map_err(|e| problem("foreigner_id", e.to_string()))
            .ok();
        let account_code = self.account_code.trim();
        if account_code.is_empty()
            || account_code.len() > 10
            || !account_code.bytes().all(|b| b.is_ascii_digit())
        {
            problem("account_code", "must be digits, such as 9280".into());
        }
        let amount = strict_amount(&self.amount)
            .ok_or_else(|| problem("amount", "must be a decimal string such as 964.00".into()))
            .ok();
        if self.currency != "TRY" {
            problem("currency", "must be TRY".into());
        }
        let paid_at = OffsetDateTime::parse(&self.paid_at, &Rfc3339)
            .map_err(|_| problem("paid_at", "must be an RFC 3339 time".into()))
            .ok();
        match (reference, foreigner_id, amount, paid_at) {
            (Some(reference), Some(foreigner_id), Some(amount), Some(paid_at))
                if problems.is_empty() =>
            {
                Ok(IncomingPayment {
                    channel: Channel::Notification,
                    payment_id: Some(payment_id.to_owned()),
                    bank: None,
                    receipt_no: None,
                    reference: Some(reference),
                    foreigner_id,
                    account_code: account_code.to_owned(),
                    amount,
                    currency: self.currency.clone(),
                    paid_at,
                    recorded_by: None,
                    note: None,
                })
            }
            _ => Err(problems),
        }
    }
}

/// An amount as payment channels write it: digits, a dot, exactly two decimals, above zero.
pub fn strict_amount(text: &str) -> Option<Money> {
    let (whole, cents) = text.split_once('.')?;
    if whole.is_empty()
        || whole.len() > 12
        || cents.len() != 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !cents.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let money = Money::parse(text)?;
    (money.0 > 0).then_some(money)
}

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the body is not a notification: {0}")]
    Body(String),
    #[error("{} field(s) cannot be read", .0.len())]
    Fields(Vec<NotificationProblem>),
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

impl Payments<'_> {
    /// A signed notification, from its raw body: checked, stored once, matched.
    pub async fn notification(
        &self,
        secret: &NotificationSecret,
        timestamp: Option<&str>,
        signature: Option<&str>,
        body: &[u8],
        client: &ClientInfo,
    ) -> Result<ReceiptOutcome, NotificationError> {
        let now = self.app.clock.now();
        if let Err(refusal) = secret.verify(timestamp, signature, body, now) {
            metrics::counter!("izin_payment_notifications_refused_total", "reason" => refusal.code())
                .increment(1);
            tracing::warn!(reason = refusal.code(), ip = ?client.ip, "payment notification refused");
            return Err(refusal.into());
        }
        let notification: Notification =
            serde_json::from_slice(body).map_err(|e| NotificationError::Body(e.to_string()))?;
        let payment = notification.read().map_err(NotificationError::Fields)?;
        Ok(self.receive(payment, Actor::System, client).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-28 12:00 UTC);

    fn secret() -> NotificationSecret {
        NotificationSecret::new(&[7u8; 32]).expect("secret")
    }

    #[test]
    fn a_short_secret_is_refused() {
        assert_eq!(
            NotificationSecret::new(b"short").err(),
            Some(SecretError::TooShort(5))
        );
        assert!(NotificationSecret::new(&[0u8; 32]).is_ok());
    }

    #[test]
    fn signatures_check_time_body_and_key() {
        let s = secret();
        let ts = NOW.unix_timestamp().to_string();
        let body = br#"{"payment_id":"p1"}"#;
        let sig = s.sign(&ts, body);
        assert!(sig.starts_with("sha256="));
        assert_eq!(sig.len(), 7 + 64);
        assert_eq!(s.verify(Some(&ts), Some(&sig), body, NOW), Ok(()));
        // Four minutes either way is fine; six is not.
        let later = NOW + time::Duration::minutes(4);
        assert_eq!(s.verify(Some(&ts), Some(&sig), body, later), Ok(()));
        let earlier = NOW - time::Duration::minutes(4);
        assert_eq!(s.verify(Some(&ts), Some(&sig), body, earlier), Ok(()));
        assert_eq!(
            s.verify(
                Some(&ts),
                Some(&sig),
                body,
                NOW + time::Duration::minutes(6)
            ),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            s.verify(
                Some(&ts),
                Some(&sig),
                body,
                NOW - time::Duration::minutes(6)
            ),
            Err(SignatureError::Stale)
        );
        // Another body, another timestamp, another key, a mangled signature.
        assert_eq!(
            s.verify(Some(&ts), Some(&sig), br#"{"payment_id":"p2"}"#, NOW),
            Err(SignatureError::Wrong)
        );
        let ts2 = (NOW.unix_timestamp() + 1).to_string();
        assert_eq!(
            s.verify(Some(&ts2), Some(&sig), body, NOW),
            Err(SignatureError::Wrong)
        );
        let other = NotificationSecret::new(&[8u8; 32]).expect("secret");
        assert_eq!(
            other.verify(Some(&ts), Some(&sig), body, NOW),
            Err(SignatureError::Wrong)
        );
        assert_eq!(
            s.verify(Some(&ts), Some(&sig.to_uppercase()), body, NOW),
            Err(SignatureError::Wrong)
        );
        assert_eq!(
            s.verify(Some(&ts), Some(&sig[..20]), body, NOW),
            Err(SignatureError::Wrong)
        );
        assert_eq!(
            s.verify(None, Some(&sig), body, NOW),
            Err(SignatureError::Missing)
        );
        assert_eq!(
            s.verify(Some("yesterday"), Some(&sig), body, NOW),
            Err(SignatureError::BadTimestamp)
        );
    }

    fn notification() -> Notification {
        Notification {
            payment_id: "GIB-1".into(),
            reference_number: TransactionReference::issue(2026, 1).as_str().to_owned(),
            foreigner_id: "99123456780".into(),
            account_code: "9268".into(),
            amount: "964.00".into(),
            currency: "TRY".into(),
            paid_at: "2026-11-28T23:59:00+03:00".into(),
        }
    }

    #[test]
    fn a_notification_reads_into_typed_fields() {
        let foreigner = ForeignerId::assigned(1);
        let mut n = notification();
        n.foreigner_id = foreigner.as_str().to_owned();
        let payment = n.read().expect("reads");
        assert_eq!(payment.amount, Money(96_400));
        assert_eq!(payment.foreigner_id, foreigner);
        assert_eq!(payment.channel, Channel::Notification);
        assert_eq!(payment.paid_at, datetime!(2026-11-28 20:59 UTC));
    }

    #[test]
    fn every_unreadable_field_is_named() {
        let mut n = notification();
        n.reference_number = "2026000000010".into();
        n.foreigner_id = "12345678901".into();
        n.amount = "964".into();
        n.currency = "EUR".into();
        n.paid_at = "28.11.2026".into();
        n.account_code = "92 80".into();
        let fields: Vec<&str> = n
            .read()
            .expect_err("refused")
            .iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "reference_number",
                "foreigner_id",
                "account_code",
                "amount",
                "currency",
                "paid_at"
            ]
        );
    }

    #[test]
    fn amounts_have_exactly_two_decimals() {
        assert_eq!(strict_amount("964.00"), Some(Money(96_400)));
        assert_eq!(strict_amount("10571.60"), Some(Money(1_057_160)));
        for wrong in [
            "964", "964.0", "964.000", "9,64.00", "964,00", "-964.00", "0.00", ".50", "1e3.00",
            " 964.00",
        ] {
            assert_eq!(strict_amount(wrong), None, "{wrong}");
        }
    }
}
