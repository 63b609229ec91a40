//! The number of a Proof Document: the year, a seven-digit serial and two check digits of ISO 7064
//! MOD 97-10 over those eleven digits, 13 digits in all. Printed as `2026-0001234-56`, stored as
//! the 13 digits; a single mistyped digit or a swap of two neighbouring digits is refused by the
//! check digits rather than finding another document.

use crate::mod97::check_digits;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Why a number cannot be a document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("the document number is empty")]
    Empty,
    #[error("a document number has 13 digits")]
    Shape,
    #[error("the check digits of the document number do not match")]
    CheckDigits,
    #[error("year {0} is not a four-digit year")]
    Year(i32),
    #[error("serial {0} is not within 1–9999999")]
    Serial(u64),
}

/// A document number. Built by [`DocumentNumber::new`] or [`DocumentNumber::parse`], so its check
/// digits are always right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentNumber {
    year: u16,
    serial: u32,
}

impl DocumentNumber {
    /// Digits in the stored form.
    pub const LENGTH: usize = 13;
    pub const MAX_SERIAL: u64 = 9_999_999;

    /// The `serial`-th document of `year` (the serial from the database's counter).
    pub fn new(year: i32, serial: u64) -> Result<Self, NumberError> {
        let year_ok = u16::try_from(year)
            .ok()
            .filter(|y| (1000..=9999).contains(y));
        let year = year_ok.ok_or(NumberError::Year(year))?;
        let serial_ok = u32::try_from(serial)
            .ok()
            .filter(|s| (1..=Self::MAX_SERIAL).contains(&u64::from(*s)));
        let serial = serial_ok.ok_or(NumberError::Serial(serial))?;
        Ok(Self { year, serial })
    }

    /// Reads the stored form or the printed one, with hyphens or spaces anywhere. The check
    /// digits are compared before the year and serial, so any typo reports as
    /// [`NumberError::CheckDigits`].
    pub fn parse(input: &str) -> Result<Self, NumberError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(NumberError::Empty);
        }
        if compact.len() != Self::LENGTH || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NumberError::Shape);
        }
        let (body, check) = compact.split_at(Self::LENGTH - 2);
        if check.parse::<u32>().ok() != Some(check_digits(body)) {
            return Err(NumberError::CheckDigits);
        }
        let year = body[..4].parse::<i32>().map_err(|_| NumberError::Shape)?;
        let serial = body[4..].parse::<u64>().map_err(|_| NumberError::Shape)?;
        Self::new(year, serial)
    }

    pub fn year(&self) -> i32 {
        i32::from(self.year)
    }

    pub fn serial(&self) -> u64 {
        u64::from(self.serial)
    }

    /// Five bytes for the signed payload: the year in two, the serial in three (it is below 2²⁴).
    pub(crate) fn to_packed(self) -> [u8; 5] {
        let [y0, y1] = self.year.to_be_bytes();
        let [_, s1, s2, s3] = self.serial.to_be_bytes();
        [y0, y1, s1, s2, s3]
    }

    pub(crate) fn from_packed([y0, y1, s1, s2, s3]: [u8; 5]) -> Result<Self, NumberError> {
        let year = u16::from_be_bytes([y0, y1]);
        let serial = u32::from_be_bytes([0, s1, s2, s3]);
        Self::new(i32::from(year), u64::from(serial))
    }

    fn body(&self) -> String {
        format!("{:04}{:07}", self.year, self.serial)
    }

    pub fn check_digits(&self) -> u32 {
        check_digits(&self.body())
    }

    /// The 13 digits without separators: the storage key.
    pub fn as_digits(&self) -> String {
        format!("{}{:02}", self.body(), self.check_digits())
    }
}

/// The printed form, `2026-0001234-56`.
impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:07}-{:02}",
            self.year,
            self.serial,
            self.check_digits()
        )
    }
}

impl Serialize for DocumentNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DocumentNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_printed_and_stored_forms_read_back() {
        let number = DocumentNumber::new(2026, 1234).unwrap();
        assert_eq!(number.to_string(), "2026-0001234-68");
        assert_eq!(number.as_digits(), "2026000123468");
        for typed in [
            "2026-0001234-68",
            "2026000123468",
            "2026 0001234 68",
            " 2026-000 1234-68 ",
        ] {
            assert_eq!(DocumentNumber::parse(typed), Ok(number), "{typed}");
        }
        assert_eq!(number.year(), 2026);
        assert_eq!(number.serial(), 1234);
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, "\"2026-0001234-68\"");
        assert_eq!(
            serde_json::from_str::<DocumentNumber>(&json).unwrap(),
            number
        );
        assert!(serde_json::from_str::<DocumentNumber>("\"2026-0001234-69\"").is_err());
    }

    #[test]
    fn malformed_numbers_are_refused_for_what_is_wrong() {
        assert_eq!(DocumentNumber::parse(" - "), Err(NumberError::Empty));
        assert_eq!(
            DocumentNumber::parse("2026-0001234"),
            Err(NumberError::Shape)
        );
        assert_eq!(
            DocumentNumber::parse("2026-0001234-6A"),
            Err(NumberError::Shape)
        );
        assert_eq!(
            DocumentNumber::parse("2026-0001234-69"),
            Err(NumberError::CheckDigits)
        );
        assert_eq!(DocumentNumber::new(2026, 0), Err(NumberError::Serial(0)));
        assert_eq!(
            DocumentNumber::new(2026, 10_000_000),
            Err(NumberError::Serial(10_000_000))
        );
        assert_eq!(DocumentNumber::new(999, 1), Err(NumberError::Year(999)));
        assert_eq!(DocumentNumber::new(-2026, 1), Err(NumberError::Year(-2026)));
        assert_eq!(
            DocumentNumber::new(10_000, 1),
            Err(NumberError::Year(10_000))
        );
        // Right check digits over a serial of zero: the shape is right, the serial is not.
        let zero = format!("20260000000{:02}", check_digits("20260000000"));
        assert_eq!(DocumentNumber::parse(&zero), Err(NumberError::Serial(0)));
    }

    proptest! {
        #[test]
        fn numbers_read_back_in_both_forms(year in 1000i32..=9999, serial in 1u64..=9_999_999) {
            let number = DocumentNumber::new(year, serial).unwrap();
            prop_assert_eq!(number.as_digits().len(), DocumentNumber::LENGTH);
            prop_assert_eq!(DocumentNumber::parse(&number.to_string()), Ok(number));
            prop_assert_eq!(DocumentNumber::parse(&number.as_digits()), Ok(number));
            prop_assert_eq!(number.year(), year);
            prop_assert_eq!(number.serial(), serial);
        }

        #[test]
        fn every_single_mistyped_digit_is_recognised(
            year in 2000i32..2100,
            serial in 1u64..=9_999_999,
            position in 0usize..13,
            delta in 1u8..10,
        ) {
            let number = DocumentNumber::new(year, serial).unwrap();
            let mut digits: Vec<u8> = number.as_digits().into_bytes();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let typed = String::from_utf8(digits).unwrap();
            prop_assert_eq!(DocumentNumber::parse(&typed), Err(NumberError::CheckDigits));
        }

        #[test]
        fn every_swap_of_neighbouring_digits_is_recognised(
            year in 2000i32..2100,
            serial in 1u64..=9_999_999,
            position in 0usize..12,
        ) {
            let number = DocumentNumber::new(year, serial).unwrap();
            let mut digits: Vec<u8> = number.as_digits().into_bytes();
            prop_assume!(digits[position] != digits[position + 1]);
            digits.swap(position, position + 1);
            let typed = String::from_utf8(digits).unwrap();
            prop_assert_eq!(DocumentNumber::parse(&typed), Err(NumberError::CheckDigits));
        }

        #[test]
        fn the_packed_form_reads_back(year in 1000i32..=9999, serial in 1u64..=9_999_999) {
            let number = DocumentNumber::new(year, serial).unwrap();
            prop_assert_eq!(DocumentNumber::from_packed(number.to_packed()), Ok(number));
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,30}") {
            let _ = DocumentNumber::parse(&text);
        }
    }
}
