//! Contracted banks' collection files: one receipt per line, checked whole before anything is
//! stored, then reconciled receipt by receipt (idempotent by bank and receipt number, so the
//! same file imported twice changes nothing).
//!
//! The format (UTF-8, one header line, comma-separated, no quoting):
//!
//! ```text
//! receipt_no,bank,paid_at,account_code,foreigner_id,amount
//! 000123,ZIRAAT,2026-12-01T10:15:00+03:00,9268,99123456780,964.00
//! ```
//!
//! `paid_at` is RFC 3339 (the moment of payment decides whether it was in time); `amount` has a
//! dot and exactly two decimals. A line with a missing or extra field, a comma in an amount, an
//! unreadable value or a receipt repeated within the file refuses the whole file, naming the
//! line.

use super::notifications::strict_amount;
use super::{IncomingPayment, PaymentError, Payments};
use izin_domain::audit::{Actor, ClientInfo};
use izin_domain::identifiers::ForeignerId;
use izin_domain::payment::{Channel, Matching};
use izin_store::ReceiptOutcome;
use std::collections::HashSet;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub const HEADER: &str = "receipt_no,bank,paid_at,account_code,foreigner_id,amount";
const FIELDS: usize = 6;
/// A file larger than this is refused (a bank's daily file is far smaller).
pub const MAX_LINES: usize = 1_000_000;

/// Why a file was refused; nothing of it was stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankFileError {
    #[error("the file is empty")]
    Empty,
    #[error("line 1 must be the header `{HEADER}`")]
    Header,
    #[error("line {line}: {problem}")]
    Line { line: usize, problem: String },
    #[error("the file has more than {MAX_LINES} lines")]
    TooLong,
}

/// Reads a whole file, or refuses it naming the first bad line.
pub fn parse(text: &str) -> Result<Vec<IncomingPayment>, BankFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err(BankFileError::Empty);
    };
    if header.trim_end_matches('\r').trim() != HEADER {
        return Err(BankFileError::Header);
    }
    let mut payments = Vec::new();
    let mut seen = HashSet::new();
    for (index, raw) in lines {
        let line = index + 1;
        if line > MAX_LINES {
            return Err(BankFileError::TooLong);
        }
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let refuse = |problem: String| BankFileError::Line { line, problem };
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        if fields.len() != FIELDS {
            return Err(refuse(format!(
                "expected {FIELDS} fields ({HEADER}), found {} (a comma in an amount is not allowed: write 1234.50)",
                fields.len()
            )));
        }
        let [
            receipt_no,
            bank,
            paid_at,
            account_code,
            foreigner_id,
            amount,
        ] = [0, 1, 2, 3, 4, 5].map(|i| fields[i]);
        for (name, value) in [
            ("receipt_no", receipt_no),
            ("bank", bank),
            ("paid_at", paid_at),
            ("account_code", account_code),
            ("foreigner_id", foreigner_id),
            ("amount", amount),
        ] {
            if value.is_empty() {
                return Err(refuse(format!("{name} is missing")));
            }
        }
        if receipt_no.len() > 64 || bank.len() > 64 {
            return Err(refuse(
                "receipt_no and bank are at most 64 characters".into(),
            ));
        }
        let paid_at = OffsetDateTime::parse(paid_at, &Rfc3339)
            .map_err(|_| refuse(format!("paid_at {paid_at:?} is not an RFC 3339 time")))?;
        if !account_code.bytes().all(|b| b.is_ascii_digit()) || account_code.len() > 10 {
            return Err(refuse(format!(
                "account_code {account_code:?} is not a code"
            )));
        }
        let foreigner_id = ForeignerId::parse(foreigner_id)
            .map_err(|e| refuse(format!("foreigner_id {foreigner_id:?}: {e}")))?;
        let amount = strict_amount(amount).ok_or_else(|| {
            refuse(format!(
                "amount {amount:?} must have a dot and two decimals, such as 964.00"
            ))
        })?;
        if !seen.insert((bank.to_owned(), receipt_no.to_owned())) {
            return Err(refuse(format!(
                "receipt {receipt_no} of {bank} appears twice in the file"
            )));
        }
        payments.push(IncomingPayment {
            channel: Channel::BankFile,
            payment_id: None,
            bank: Some(bank.to_owned()),
            receipt_no: Some(receipt_no.to_owned()),
            reference: None,
            foreigner_id,
            account_code: account_code.to_owned(),
            amount,
            currency: "TRY".into(),
            paid_at,
            recorded_by: None,
            note: None,
        });
    }
    Ok(payments)
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub receipts: usize,
    pub matched: usize,
    /// Stored as unmatched, for the officers: (receipt number, reason code).
    pub unmatched: Vec<(String, &'static str)>,
    /// Already imported before.
    pub duplicates: usize,
    /// Applications that became APPROVED.
    pub approved: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] BankFileError),
    #[error(transparent)]
    Payment(#[from] PaymentError),
}

impl Payments<'_> {
    /// Imports a collection file: refused whole if any line is bad, else every receipt is
    /// stored and reconciled (a receipt already imported is skipped).
    pub async fn import_bank_file(
        &self,
        text: &str,
        client: &ClientInfo,
    ) -> Result<ImportReport, ImportError> {
        let payments = parse(text)?;
        let mut report = ImportReport {
            receipts: payments.len(),
            ..ImportReport::default()
        };
        for payment in payments {
            let receipt_no = payment.receipt_no.clone().unwrap_or_default();
            match self.receive(payment, Actor::System, client).await? {
                ReceiptOutcome::Duplicate { .. } => report.duplicates += 1,
                ReceiptOutcome::Recorded {
                    matching, approved, ..
                } => {
                    match matching {
                        Matching::Matched { .. } => report.matched += 1,
                        Matching::Unmatched { reason, .. } => {
                            report.unmatched.push((receipt_no, reason.code()))
                        }
                    }
                    if approved.is_some() {
                        report.approved += 1;
                    }
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use izin_domain::money::Money;

    fn id() -> String {
        ForeignerId::assigned(42).as_str().to_owned()
    }

    fn file(lines: &[String]) -> String {
        let mut text = String::from(HEADER);
        for line in lines {
            text.push('\n');
            text.push_str(line);
        }
        text.push('\n');
        text
    }

    #[test]
    fn a_good_file_reads_every_receipt() {
        let text = file(&[
            format!(
                "000123,ZIRAAT,2026-12-01T10:15:00+03:00,9268,{},964.00",
                id()
            ),
            format!(
                "000124,ZIRAAT,2026-12-01T10:16:00+03:00,9280,{},10571.60",
                id()
            ),
            String::new(),
        ]);
        let payments = parse(&text).expect("parses");
        assert_eq!(payments.len(), 2);
        assert_eq!(payments[0].amount, Money(96_400));
        assert_eq!(payments[1].amount, Money(1_057_160));
        assert_eq!(payments[1].bank.as_deref(), Some("ZIRAAT"));
        assert_eq!(payments[1].receipt_no.as_deref(), Some("000124"));
        // Windows line ends and a byte-order mark are fine.
        let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        assert_eq!(parse(&crlf).expect("parses").len(), 2);
    }

    #[test]
    fn one_bad_line_refuses_the_file_naming_it() {
        let good = format!(
            "000123,ZIRAAT,2026-12-01T10:15:00+03:00,9268,{},964.00",
            id()
        );
        let cases = [
            (
                format!(
                    "000124,ZIRAAT,2026-12-01T10:15:00+03:00,9268,{},1,964.00",
                    id()
                ),
                "expected 6 fields",
            ),
            (
                format!("000124,ZIRAAT,2026-12-01T10:15:00+03:00,9268,{},964", id()),
                "two decimals",
            ),
            (
                format!("000124,,2026-12-01T10:15:00+03:00,9268,{},964.00", id()),
                "bank is missing",
            ),
            (
                format!("000124,ZIRAAT,01.12.2026,9268,{},964.00", id()),
                "RFC 3339",
            ),
            (
                "000124,ZIRAAT,2026-12-01T10:15:00+03:00,9268,12345678901,964.00".to_owned(),
                "foreigner_id",
            ),
            (good.clone(), "appears twice"),
        ];
        for (bad, expected) in cases {
            let text = file(&[good.clone(), bad.clone()]);
            match parse(&text) {
                Err(BankFileError::Line { line, problem }) => {
                    assert_eq!(line, 3, "{bad}");
                    assert!(problem.contains(expected), "{bad}: {problem}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert_eq!(parse(""), Err(BankFileError::Empty));
        assert_eq!(parse("a,b,c\n"), Err(BankFileError::Header));
    }
}
