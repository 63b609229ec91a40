//! Money as the portal states it: exact amounts in minor units, and the one shape an amount to
//! pay has everywhere (the preview, an officer's approval, a payment order): which account it is
//! paid into, what it is for, how much, in which currency, by which year's table and whether that
//! table is the published one.

use crate::Language;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money in minor units (kuruş for lira), exact.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    /// Parses `"10571.60"` (a decimal string with at most two decimals).
    pub fn parse(text: &str) -> Option<Money> {
        let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
        if whole.is_empty()
            || fraction.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(fraction).map(Money)
    }

    /// `12574.92`: the form [`Money::parse`] reads, for forms and the API.
    pub fn decimal(self) -> String {
        format!("{}.{:02}", self.0 / 100, (self.0 % 100).abs())
    }

    /// `12.574,92` in Turkish, `12,574.92` in English.
    pub fn display(self, language: Language) -> String {
        let (thousands, decimal) = match language {
            Language::Tr => ('.', ','),
            Language::En => (',', '.'),
        };
        let whole = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(thousands);
            }
            grouped.push(c);
        }
        format!("{grouped}{decimal}{:02}", (self.0 % 100).abs())
    }

    pub fn times(self, factor: i64) -> Money {
        Money(self.0 * factor)
    }
}

/// A share of an amount between 0 and 1, exact to a hundredth of a per cent (`"0.5"` is half).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(u32);

impl Share {
    const WHOLE: u32 = 10_000;
    pub const ALL: Share = Share(Self::WHOLE);

    /// Parses `"0.5"`, `"1"`, `"0.25"` (at most four decimals, at most 1).
    pub fn parse(text: &str) -> Option<Share> {
        let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
        if whole.is_empty()
            || fraction.len() > 4
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let fraction: u32 = format!("{fraction:0<4}").parse().ok()?;
        let share = whole.checked_mul(Self::WHOLE)?.checked_add(fraction)?;
        (share <= Self::WHOLE).then_some(Share(share))
    }

    /// This share of `amount`, to the nearest kuruş (a half rounds up).
    pub fn of(self, amount: Money) -> Money {
        let scaled = i128::from(amount.0) * i128::from(self.0);
        let whole = i128::from(Self::WHOLE);
        Money(i64::try_from((scaled + whole / 2) / whole).unwrap_or(i64::MAX))
    }
}

/// What an amount is paid for. Each goes to its own account of the revenue office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FeeKind {
    /// The fee for the exemption itself (Fees Law No. 492), paid to account code 9280.
    ExemptionFee,
    /// The price of the printed card or certificate, a valuable paper, paid to account code 9268.
    ValuablePaperFee,
}

/// An amount to pay, in the API's one money shape:
/// `{"account_code","kind","amount":"10571.60","currency":"TRY","year":2026,"published":true}`.
/// Amounts are decimal strings with a dot and two decimals, never floats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amount {
    /// The revenue office's account the amount is paid into, e.g. `9280`.
    pub account_code: String,
    pub kind: FeeKind,
    /// A decimal string with a dot and two decimals, e.g. `10571.60`.
    #[serde(serialize_with = "as_decimal", deserialize_with = "from_decimal")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]+\\.[0-9]{2}$", example = "10571.60"))]
    pub amount: Money,
    /// ISO 4217, e.g. `TRY`.
    pub currency: String,
    /// The year whose rates apply.
    pub year: i32,
    /// False when that year's rates are not published yet and the amount is our estimate.
    pub published: bool,
}

fn as_decimal<S: Serializer>(money: &Money, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&money.decimal())
}

fn from_decimal<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
    let text = String::deserialize(deserializer)?;
    Money::parse(&text)
        .ok_or_else(|| serde::de::Error::custom(format!("not an amount of money: {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_exact_and_round_to_the_kurus() {
        let half = Share::parse("0.5").expect("half");
        assert_eq!(half.of(Money(1_257_492)), Money(628_746));
        assert_eq!(
            half.of(Money(1_057_161)),
            Money(528_581),
            "a half kuruş rounds up"
        );
        assert_eq!(Share::parse("1"), Some(Share::ALL));
        assert_eq!(Share::ALL.of(Money(96_400)), Money(96_400));
        assert_eq!(
            Share::parse("0").map(|s| s.of(Money(500))),
            Some(Money::ZERO)
        );
        for wrong in ["", "1.5", "2", "-0.5", "0.12345", "half", ".5"] {
            assert_eq!(Share::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn an_amount_is_a_decimal_string_never_a_float() {
        let amount = Amount {
            account_code: "9280".into(),
            kind: FeeKind::ExemptionFee,
            amount: Money::parse("10571.6").expect("money"),
            currency: "TRY".into(),
            year: 2025,
            published: true,
        };
        assert_eq!(
            serde_json::to_value(&amount).expect("json"),
            serde_json::json!({
                "account_code": "9280",
                "kind": "exemption_fee",
                "amount": "10571.60",
                "currency": "TRY",
                "year": 2025,
                "published": true
            })
        );
        let back: Amount = serde_json::from_value(serde_json::to_value(&amount).expect("json"))
            .expect("reads back");
        assert_eq!(back, amount);
    }
}
