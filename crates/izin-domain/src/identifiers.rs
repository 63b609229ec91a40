//! The identifiers of people, places and records that Turkish authorities use, each a newtype
//! whose `parse` is the only way to build it. Rules follow `shared/domain-facts.md`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Why a text is not a valid identifier. Each variant has its own message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("the value is empty")]
    Empty,
    #[error("the value has the wrong length or characters")]
    Shape,
    #[error("the check digits do not match")]
    Checksum,
    #[error("a foreigner identity number starts with 99")]
    NotForeigner,
    #[error("the value is not valid")]
    Invalid,
}

/// The 11 digits of a Turkish identity number with its two check digits (domain-facts.md):
/// d1 ≠ 0; d10 = ((d1+d3+d5+d7+d9)·7 − (d2+d4+d6+d8)) mod 10; d11 = (d1+…+d10) mod 10.
fn check_identity_digits(input: &str) -> Result<[u8; 11], IdError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(IdError::Empty);
    }
    let digits: Vec<u8> = trimmed.bytes().filter(|b| *b != b' ').collect();
    if digits.len() != 11 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(IdError::Shape);
    }
    let mut d = [0u8; 11];
    for (slot, byte) in d.iter_mut().zip(&digits) {
        *slot = byte - b'0';
    }
    if d[0] == 0 {
        return Err(IdError::Shape);
    }
    let odd = i32::from(d[0] + d[2] + d[4] + d[6] + d[8]);
    let even = i32::from(d[1] + d[3] + d[5] + d[7]);
    let tenth = (odd * 7 - even).rem_euclid(10) as u8;
    let eleventh = (d[..10].iter().map(|&x| u32::from(x)).sum::<u32>() % 10) as u8;
    if d[9] != tenth || d[10] != eleventh {
        return Err(IdError::Checksum);
    }
    Ok(d)
}

fn digits_to_string(d: &[u8]) -> String {
    d.iter().map(|x| char::from(b'0' + x)).collect()
}

/// Gives a validated string newtype `as_str`, `Display` and serde that re-validates.
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                $name::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A foreigner identity number ("TR Foreigner ID No"): 11 digits beginning 99.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignerId(String);

impl ForeignerId {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let d = check_identity_digits(input)?;
        if d[0] != 9 || d[1] != 9 {
            return Err(IdError::NotForeigner);
        }
        Ok(Self(digits_to_string(&d)))
    }

    /// The `serial`-th number of the authority's own allocation: 99, seven digits of the serial
    /// (modulo 10⁷) and the two check digits every identity number carries.
    pub fn assigned(serial: u64) -> Self {
        let mut d = [0u8; 11];
        d[0] = 9;
        d[1] = 9;
        let body = format!("{:07}", serial % 10_000_000);
        for (slot, byte) in d[2..9].iter_mut().zip(body.bytes()) {
            *slot = byte - b'0';
        }
        let odd = i32::from(d[0] + d[2] + d[4] + d[6] + d[8]);
        let even = i32::from(d[1] + d[3] + d[5] + d[7]);
        d[9] = (odd * 7 - even).rem_euclid(10) as u8;
        d[10] = (d[..10].iter().map(|&x| u32::from(x)).sum::<u32>() % 10) as u8;
        Self(digits_to_string(&d))
    }
}
string_newtype!(ForeignerId);

/// A Turkish identity number of either kind: a citizen's (T.C. Kimlik No) or a foreigner's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrIdentityNumber(String);

impl TrIdentityNumber {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        check_identity_digits(input).map(|d| Self(digits_to_string(&d)))
    }

    pub fn is_foreigner(&self) -> bool {
        self.0.starts_with("99")
    }
}
string_newtype!(TrIdentityNumber);

/// A passport number as printed: letters and digits, possibly with `/` or `-` inside, 5–20
/// characters; kept upper-case without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PassportNumber(String);

impl PassportNumber {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Err(IdError::Empty);
        }
        let len = compact.chars().count();
        let shape_ok = (5..=20).contains(&len)
            && compact
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '-')
            && compact.starts_with(|c: char| c.is_ascii_alphanumeric())
            && compact.ends_with(|c: char| c.is_ascii_alphanumeric())
            && compact.chars().any(|c| c.is_ascii_digit());
        if !shape_ok {
            return Err(IdError::Shape);
        }
        Ok(Self(compact))
    }
}
string_newtype!(PassportNumber);

/// A telephone number in international format, validated against libphonenumber's metadata
/// and kept in E.164 form (`+905321234567`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let international = if let Some(rest) = trimmed.strip_prefix("00") {
            format!("+{rest}")
        } else {
            trimmed.to_owned()
        };
        if !international.starts_with('+') || international.chars().any(|c| c.is_alphabetic()) {
            return Err(IdError::Shape);
        }
        let parsed = phonenumber::parse(None, &international).map_err(|_| IdError::Shape)?;
        if !phonenumber::is_valid(&parsed) {
            return Err(IdError::Invalid);
        }
        Ok(Self(
            parsed.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// The number spaced for reading (`+90 532 123 45 67`).
    pub fn international(&self) -> String {
        phonenumber::parse(None, &self.0)
            .map(|n| {
                n.format()
                    .mode(phonenumber::Mode::International)
                    .to_string()
            })
            .unwrap_or_else(|_| self.0.clone())
    }
}
string_newtype!(PhoneNumber);

/// An SGK workplace registration number: 26 digits = sector 1 · line of business 4 · old unit 2
/// · new unit 2 · sequence 7 · province 3 · district 2 · check 2 · subcontractor 3. The check
/// algorithm is not public, so the parts are validated, not the check pair.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SgkNumber(String);

/// Which part of an SGK registration number is wrong, so a person can be told what to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SgkProblem {
    #[error("the value is empty")]
    Empty,
    #[error("only digits (and spaces) are allowed")]
    NotDigits,
    #[error("{0} digits instead of 26")]
    Length(usize),
    /// The first digit, the sector: 1–5.
    #[error("sector {0} (the first digit) is not 1–5")]
    Sector(u8),
    /// Digits 17–19, the province: 001–081.
    #[error("province {0:03} (digits 17–19) is not 001–081")]
    Province(u32),
}

impl SgkNumber {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        Self::check(input).map_err(|problem| match problem {
            SgkProblem::Empty => IdError::Empty,
            SgkProblem::NotDigits | SgkProblem::Length(_) => IdError::Shape,
            SgkProblem::Sector(_) | SgkProblem::Province(_) => IdError::Invalid,
        })
    }

    /// Like [`SgkNumber::parse`], naming the part that is wrong.
    pub fn check(input: &str) -> Result<Self, SgkProblem> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '.')
            .collect();
        if compact.is_empty() {
            return Err(SgkProblem::Empty);
        }
        if !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SgkProblem::NotDigits);
        }
        if compact.len() != 26 {
            return Err(SgkProblem::Length(compact.len()));
        }
        let sector = compact.as_bytes()[0] - b'0';
        // Sector codes are 1–5 (private, public, …) and SGK provinces are numbered 1–81.
        if !(1..=5).contains(&sector) {
            return Err(SgkProblem::Sector(sector));
        }
        let province: u32 = compact[16..19].parse().unwrap_or(0);
        if !(1..=81).contains(&province) {
            return Err(SgkProblem::Province(province));
        }
        Ok(Self(compact))
    }

    /// The number grouped by its parts, as on SGK documents.
    pub fn grouped(&self) -> String {
        let s = &self.0;
        format!(
            "{} {} {} {} {} {} {} {} {}",
            &s[0..1],
            &s[1..5],
            &s[5..7],
            &s[7..9],
            &s[9..16],
            &s[16..19],
            &s[19..21],
            &s[21..23],
            &s[23..26]
        )
    }

    pub fn province_code(&self) -> u32 {
        self.0[16..19].parse().unwrap_or(0)
    }
}
string_newtype!(SgkNumber);

/// A residential (address) code of the population registry's address system: 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AddressCode(String);

impl AddressCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(IdError::Empty);
        }
        if compact.len() != 10 || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Shape);
        }
        Ok(Self(compact))
    }
}
string_newtype!(AddressCode);

/// A reference number from a Turkish mission abroad: 16 characters, digits and letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReferenceNumber(String);

impl ReferenceNumber {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Err(IdError::Empty);
        }
        if compact.len() != 16 || !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IdError::Shape);
        }
        Ok(Self(compact))
    }
}
string_newtype!(ReferenceNumber);

/// An application's number, `2026-000042`: the year it was submitted and a serial unique across
/// all years and instances, at least six digits (more once a year needs them). Every kind of
/// application draws from the one series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationNumber(String);

impl ApplicationNumber {
    /// The number for the `serial`-th submission, submitted in `year`.
    pub fn issue(year: i32, serial: u64) -> Self {
        Self(format!("{year}-{serial:06}"))
    }

    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let (year, serial) = trimmed.split_once('-').ok_or(IdError::Shape)?;
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year) || serial.len() < 6 || !digits(serial) {
            return Err(IdError::Shape);
        }
        Ok(Self(trimmed.to_owned()))
    }
}
string_newtype!(ApplicationNumber);

/// An occupation code of the employment agency's ISCO-08 based list, written `NNNN.NN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccupationCode(String);

impl OccupationCode {
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(IdError::Empty);
        }
        let b = trimmed.as_bytes();
        let ok = b.len() == 7
            && b[4] == b'.'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit());
        if !ok {
            return Err(IdError::Shape);
        }
        Ok(Self(trimmed.to_owned()))
    }
}
string_newtype!(OccupationCode);

pub(crate) use string_newtype;

#[cfg(test)]
pub(crate) mod tests {

    #[test]
    fn assigned_foreigner_ids_are_valid_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for serial in (0..20_000u64).chain([5_000_000, 9_999_999, 10_000_001]) {
            let id = ForeignerId::assigned(serial);
            assert_eq!(ForeignerId::parse(id.as_str()), Ok(id.clone()), "{serial}");
            if serial < 10_000_000 {
                assert!(seen.insert(id), "{serial} repeats");
            }
        }
    }
    use super::*;
    use proptest::prelude::*;

    /// Completes nine leading digits into a valid identity number.
    pub fn complete(first_nine: [u8; 9]) -> String {
        let d = first_nine;
        let odd = i32::from(d[0] + d[2] + d[4] + d[6] + d[8]);
        let even = i32::from(d[1] + d[3] + d[5] + d[7]);
        let tenth = (odd * 7 - even).rem_euclid(10) as u8;
        let eleventh =
            ((d.iter().map(|&x| u32::from(x)).sum::<u32>() + u32::from(tenth)) % 10) as u8;
        let mut all = d.to_vec();
        all.push(tenth);
        all.push(eleventh);
        digits_to_string(&all)
    }

    #[test]
    fn known_numbers() {
        // 10000000146 is the classic valid test number for the citizen algorithm.
        assert!(TrIdentityNumber::parse("10000000146").is_ok());
        assert_eq!(
            TrIdentityNumber::parse("10000000147"),
            Err(IdError::Checksum)
        );
        assert_eq!(TrIdentityNumber::parse("01234567890"), Err(IdError::Shape));
        assert_eq!(TrIdentityNumber::parse("1234"), Err(IdError::Shape));
        assert_eq!(TrIdentityNumber::parse(""), Err(IdError::Empty));
        assert_eq!(
            ForeignerId::parse("10000000146"),
            Err(IdError::NotForeigner)
        );
        let foreigner = complete([9, 9, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(ForeignerId::parse(&foreigner).unwrap().as_str(), foreigner);
        assert!(TrIdentityNumber::parse(&foreigner).unwrap().is_foreigner());
    }

    fn nine(first: (u8, u8)) -> impl Strategy<Value = [u8; 9]> {
        proptest::array::uniform7(0u8..10).prop_map(move |rest| {
            [
                first.0, first.1, rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6],
            ]
        })
    }

    proptest! {
        #[test]
        fn valid_foreigner_ids_pass(d in nine((9, 9))) {
            let id = complete(d);
            prop_assert!(ForeignerId::parse(&id).is_ok(), "{}", id);
        }

        #[test]
        fn any_one_changed_digit_fails(d in nine((9, 9)), position in 0usize..11, bump in 1u8..10) {
            let id = complete(d);
            let mut bytes = id.into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + bump) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(ForeignerId::parse(&changed).is_err(), "{}", changed);
            prop_assert!(TrIdentityNumber::parse(&changed).is_err() || !changed.starts_with("99"), "{}", changed);
        }

        #[test]
        fn valid_citizen_ids_pass_and_one_changed_digit_fails(first in 1u8..10, second in 0u8..10, rest in proptest::array::uniform7(0u8..10), position in 0usize..11, bump in 1u8..10) {
            let d = [first, second, rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6]];
            let id = complete(d);
            prop_assert!(TrIdentityNumber::parse(&id).is_ok());
            let mut bytes = id.into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + bump) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(TrIdentityNumber::parse(&changed).is_err(), "{}", changed);
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = ForeignerId::parse(&s);
            let _ = TrIdentityNumber::parse(&s);
            let _ = PassportNumber::parse(&s);
            let _ = PhoneNumber::parse(&s);
            let _ = SgkNumber::parse(&s);
            let _ = AddressCode::parse(&s);
            let _ = ReferenceNumber::parse(&s);
            let _ = OccupationCode::parse(&s);
        }
    }

    #[test]
    fn passport_numbers_are_normalised() {
        assert_eq!(
            PassportNumber::parse(" u 1234567 ").unwrap().as_str(),
            "U1234567"
        );
        assert_eq!(
            PassportNumber::parse("UIG/H12345600").unwrap().as_str(),
            "UIG/H12345600"
        );
        assert_eq!(PassportNumber::parse("ABC"), Err(IdError::Shape));
        assert_eq!(
            PassportNumber::parse("ABCDEFG"),
            Err(IdError::Shape),
            "needs a digit"
        );
        assert_eq!(PassportNumber::parse("U123_4567"), Err(IdError::Shape));
        assert_eq!(PassportNumber::parse("-U1234567"), Err(IdError::Shape));
    }

    #[test]
    fn phone_numbers_need_a_country_code_and_must_exist() {
        assert_eq!(
            PhoneNumber::parse("+90 532 123 45 67").unwrap().as_str(),
            "+905321234567"
        );
        assert_eq!(
            PhoneNumber::parse("0049 30 901820").unwrap().as_str(),
            "+4930901820"
        );
        assert_eq!(
            PhoneNumber::parse("+90 532 123 45 67")
                .unwrap()
                .international(),
            "+90 532 123 45 67"
        );
        assert_eq!(
            PhoneNumber::parse("0532 123 45 67"),
            Err(IdError::Shape),
            "no country code"
        );
        assert_eq!(PhoneNumber::parse("+90 123"), Err(IdError::Invalid));
        assert_eq!(PhoneNumber::parse("+90 abc"), Err(IdError::Shape));
    }

    #[test]
    fn sgk_numbers_are_checked_by_parts() {
        let sgk = SgkNumber::parse("5 2064 08 08 6666666 014 65 74 000").unwrap();
        assert_eq!(sgk.as_str(), "52064080866666660146574000");
        assert_eq!(sgk.grouped(), "5 2064 08 08 6666666 014 65 74 000");
        assert_eq!(sgk.province_code(), 14);
        assert!(
            SgkNumber::parse("28540010111812660342762000").is_ok(),
            "the placeholder for an unnamed internship workplace"
        );
        assert_eq!(SgkNumber::parse("1234"), Err(IdError::Shape));
        assert_eq!(SgkNumber::check("1234"), Err(SgkProblem::Length(4)));
        assert_eq!(
            SgkNumber::check("5206408086666666014657400x"),
            Err(SgkProblem::NotDigits)
        );
        assert_eq!(
            SgkNumber::check("92064080866666660146574000"),
            Err(SgkProblem::Sector(9))
        );
        assert_eq!(
            SgkNumber::check("02064080866666660146574000"),
            Err(SgkProblem::Sector(0))
        );
        assert_eq!(
            SgkNumber::check("52064080866666669996574000"),
            Err(SgkProblem::Province(999))
        );
        assert_eq!(
            SgkNumber::check("52064080866666660006574000"),
            Err(SgkProblem::Province(0))
        );
        assert_eq!(
            SgkNumber::parse("92064080866666660146574000"),
            Err(IdError::Invalid),
            "no sector 9"
        );
        assert_eq!(
            SgkNumber::parse("52064080866666669996574000"),
            Err(IdError::Invalid),
            "no province 999"
        );
    }

    #[test]
    fn codes_have_their_shapes() {
        assert!(AddressCode::parse("1234567890").is_ok());
        assert_eq!(AddressCode::parse("123456789"), Err(IdError::Shape));
        assert_eq!(
            ReferenceNumber::parse("2026abcd12340101").unwrap().as_str(),
            "2026ABCD12340101"
        );
        assert_eq!(
            ReferenceNumber::parse("2026ABCD1234010"),
            Err(IdError::Shape)
        );
        assert!(OccupationCode::parse("9901.02").is_ok());
        assert_eq!(OccupationCode::parse("990102"), Err(IdError::Shape));
        assert_eq!(OccupationCode::parse("9901.2"), Err(IdError::Shape));
    }

    #[test]
    fn application_numbers_have_six_digits_at_least_and_read_back() {
        assert_eq!(ApplicationNumber::issue(2026, 42).as_str(), "2026-000042");
        assert_eq!(
            ApplicationNumber::issue(2027, 1_234_567).as_str(),
            "2027-1234567"
        );
        for number in [
            ApplicationNumber::issue(2026, 42),
            ApplicationNumber::issue(2027, 1_234_567),
        ] {
            assert_eq!(ApplicationNumber::parse(number.as_str()), Ok(number));
        }
        for wrong in ["", "2026-42", "26-000042", "2026000042", "2026-00004x"] {
            assert!(ApplicationNumber::parse(wrong).is_err(), "{wrong}");
        }
    }
}
