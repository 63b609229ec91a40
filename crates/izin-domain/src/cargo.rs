//! Printed cards sent by cargo (seed §4.8): the tracking number a carrier gives a shipment and
//! the statuses it reports. Reports may arrive twice or out of order; [`ShipmentStatus::follows`]
//! is the one rule that decides whether a report moves a shipment on.
//!
//! Tracking numbers follow the Universal Postal Union's S10 standard, which PTT uses: two
//! letters for the service, eight digits, a check digit, and the country code (`KP123456785TR`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a shipment stands, as the carrier reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    /// Handed over by the officers; the carrier has not reported yet.
    Created,
    Accepted,
    InTransit,
    OutForDelivery,
    Delivered,
    /// The carrier could not deliver and brought the card back: the officers re-ship it.
    Returned,
}

impl ShipmentStatus {
    pub const ALL: [ShipmentStatus; 6] = [
        ShipmentStatus::Created,
        ShipmentStatus::Accepted,
        ShipmentStatus::InTransit,
        ShipmentStatus::OutForDelivery,
        ShipmentStatus::Delivered,
        ShipmentStatus::Returned,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ShipmentStatus::Created => "created",
            ShipmentStatus::Accepted => "accepted",
            ShipmentStatus::InTransit => "in_transit",
            ShipmentStatus::OutForDelivery => "out_for_delivery",
            ShipmentStatus::Delivered => "delivered",
            ShipmentStatus::Returned => "returned_to_sender",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Nothing moves a delivered or returned shipment.
    pub fn is_final(self) -> bool {
        matches!(self, ShipmentStatus::Delivered | ShipmentStatus::Returned)
    }

    fn rank(self) -> u8 {
        match self {
            ShipmentStatus::Created => 0,
            ShipmentStatus::Accepted => 1,
            ShipmentStatus::InTransit => 2,
            ShipmentStatus::OutForDelivery => 3,
            ShipmentStatus::Delivered | ShipmentStatus::Returned => 4,
        }
    }

    /// Whether a report of `self` moves a shipment that stands at `current` on: only forward,
    /// never out of a final status. A late report of an earlier status is kept as history but
    /// changes nothing, so reports arriving out of order end in the same place.
    pub fn follows(self, current: ShipmentStatus) -> bool {
        !current.is_final() && self.rank() > current.rank()
    }

    /// The statuses the holder is told of by mail.
    pub fn is_announced(self) -> bool {
        matches!(
            self,
            ShipmentStatus::OutForDelivery | ShipmentStatus::Returned
        )
    }

    /// The next status of the usual journey (what the demo carrier reports next).
    pub fn next(self) -> Option<ShipmentStatus> {
        match self {
            ShipmentStatus::Created => Some(ShipmentStatus::Accepted),
            ShipmentStatus::Accepted => Some(ShipmentStatus::InTransit),
            ShipmentStatus::InTransit => Some(ShipmentStatus::OutForDelivery),
            ShipmentStatus::OutForDelivery => Some(ShipmentStatus::Delivered),
            ShipmentStatus::Delivered | ShipmentStatus::Returned => None,
        }
    }
}

/// A UPU S10 tracking number: service letters, eight digits, check digit, `TR`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TrackingNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrackingNumberError {
    #[error("a tracking number is two letters, nine digits and TR, like KP123456785TR")]
    Shape,
    #[error("the check digit does not match: a digit is mistyped")]
    CheckDigit,
}

/// The S10 check digit of eight digits: weights 8 6 4 2 3 5 9 7, 11 minus the sum modulo 11,
/// where 10 becomes 0 and 11 becomes 5.
fn s10_check_digit(digits: &[u8; 8]) -> u8 {
    const WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    match 11 - (sum % 11) {
        10 => 0,
        11 => 5,
        check => check as u8,
    }
}

impl TrackingNumber {
    /// The tracking number of serial `serial` (below 10⁸) in service `service` (two letters).
    pub fn new(service: &str, serial: u32) -> Result<Self, TrackingNumberError> {
        if service.len() != 2 || !service.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(TrackingNumberError::Shape);
        }
        if serial >= 100_000_000 {
            return Err(TrackingNumberError::Shape);
        }
        let text = format!("{serial:08}");
        let mut digits = [0u8; 8];
        for (slot, b) in digits.iter_mut().zip(text.bytes()) {
            *slot = b - b'0';
        }
        let check = s10_check_digit(&digits);
        Ok(Self(format!("{service}{text}{check}TR")))
    }

    /// Accepts upper or lower case and spaces as printed on a label.
    pub fn parse(input: &str) -> Result<Self, TrackingNumberError> {
        let text: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bytes = text.as_bytes();
        if bytes.len() != 13
            || !bytes[..2].iter().all(u8::is_ascii_uppercase)
            || !bytes[2..11].iter().all(u8::is_ascii_digit)
            || &bytes[11..] != b"TR"
        {
            return Err(TrackingNumberError::Shape);
        }
        let mut digits = [0u8; 8];
        for (slot, b) in digits.iter_mut().zip(&bytes[2..10]) {
            *slot = b - b'0';
        }
        if s10_check_digit(&digits) != bytes[10] - b'0' {
            return Err(TrackingNumberError::CheckDigit);
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TrackingNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TrackingNumber::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_standard_example_checks() {
        let number = TrackingNumber::new("RR", 47_326_585).unwrap();
        assert_eq!(TrackingNumber::parse(number.as_str()), Ok(number.clone()));
        assert_eq!(number.as_str().len(), 13);
        assert!(number.as_str().ends_with("TR"));
        assert_eq!(
            TrackingNumber::parse("kp 12345678 5 tr").map(|n| n.to_string()),
            TrackingNumber::new("KP", 12_345_678).map(|n| n.to_string())
        );
    }

    #[test]
    fn check_digits_follow_the_s10_rule() {
        // 1 2 3 4 5 6 7 8 · 8 6 4 2 3 5 9 7 = 8+12+12+8+15+30+63+56 = 204; 204 mod 11 = 6; 11-6 = 5.
        assert_eq!(s10_check_digit(&[1, 2, 3, 4, 5, 6, 7, 8]), 5);
        // A sum divisible by 11 gives 11 → 5; a remainder of 1 gives 10 → 0.
        assert_eq!(s10_check_digit(&[0; 8]), 5);
        assert_eq!(s10_check_digit(&[0, 0, 0, 0, 0, 0, 0, 8]), 0); // 56 mod 11 = 1
    }

    #[test]
    fn shapes_are_refused() {
        for bad in [
            "",
            "KP12345678TR",
            "K112345678 5TR",
            "KP123456785DE",
            "KP1234567X5TR",
        ] {
            assert_eq!(
                TrackingNumber::parse(bad),
                Err(TrackingNumberError::Shape),
                "{bad}"
            );
        }
        assert!(TrackingNumber::new("K", 1).is_err());
        assert!(TrackingNumber::new("KP", 100_000_000).is_err());
    }

    #[test]
    fn statuses_move_forward_only_and_stop_when_final() {
        use ShipmentStatus::*;
        assert!(Accepted.follows(Created));
        assert!(OutForDelivery.follows(Accepted), "a skipped report is fine");
        assert!(
            !InTransit.follows(OutForDelivery),
            "a late report changes nothing"
        );
        assert!(!Accepted.follows(Accepted), "a repeat changes nothing");
        assert!(Returned.follows(InTransit));
        assert!(!Delivered.follows(Returned));
        assert!(!Returned.follows(Delivered));
        for s in ShipmentStatus::ALL {
            assert_eq!(ShipmentStatus::parse(s.code()), Some(s));
        }
        assert_eq!(Created.next(), Some(Accepted));
        assert_eq!(Delivered.next(), None);
    }

    proptest! {
        #[test]
        fn a_wrong_check_digit_is_caught(serial in 0u32..100_000_000, to in 0u8..10) {
            // (S10 maps two remainders to 5, so not every mistyped serial digit is caught;
            // a wrong check digit always is.)
            let number = TrackingNumber::new("KP", serial).unwrap();
            let mut bytes = number.as_str().as_bytes().to_vec();
            prop_assume!(bytes[10] != b'0' + to);
            bytes[10] = b'0' + to;
            let typed = String::from_utf8(bytes).unwrap();
            prop_assert!(TrackingNumber::parse(&typed).is_err());
        }

        #[test]
        fn any_text_parses_or_is_refused(text in ".{0,20}") {
            let _ = TrackingNumber::parse(&text);
        }

        #[test]
        fn reports_in_any_order_end_in_the_same_place(order in Just(vec![1u8, 2, 3, 4]).prop_shuffle()) {
            let statuses = [ShipmentStatus::Created, ShipmentStatus::Accepted, ShipmentStatus::InTransit, ShipmentStatus::OutForDelivery, ShipmentStatus::Delivered];
            let mut current = ShipmentStatus::Created;
            for i in order {
                let report = statuses[usize::from(i)];
                if report.follows(current) {
                    current = report;
                }
            }
            prop_assert_eq!(current, ShipmentStatus::Delivered);
        }
    }
}
