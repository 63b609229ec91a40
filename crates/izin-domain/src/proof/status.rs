//! What `/verify` says about a Proof Document today: the one status that follows from its
//! validity period, Türkiye's date and what happened to it since it was issued.

use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// A document's status, in the order of precedence: a cancelled document is cancelled whatever
/// its dates, a replaced one is replaced, and only then do the dates count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DocumentStatus {
    Valid,
    NotYetValid,
    Expired,
    Cancelled,
    Replaced,
}

/// What decides a document's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusFacts {
    pub valid_from: Date,
    /// The last day the document is valid.
    pub valid_until: Date,
    /// Today in Türkiye ([`crate::calendar::today_in_turkiye`]), not the server's or the
    /// reader's day.
    pub today: Date,
    pub cancelled: bool,
    /// A newer document took its place.
    pub replaced: bool,
    /// The expiry was recorded (by the daily job or an officer), even if the dates say
    /// otherwise.
    pub expired_recorded: bool,
}

impl DocumentStatus {
    pub const ALL: [DocumentStatus; 5] = [
        DocumentStatus::Valid,
        DocumentStatus::NotYetValid,
        DocumentStatus::Expired,
        DocumentStatus::Cancelled,
        DocumentStatus::Replaced,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DocumentStatus::Valid => "VALID",
            DocumentStatus::NotYetValid => "NOT_YET_VALID",
            DocumentStatus::Expired => "EXPIRED",
            DocumentStatus::Cancelled => "CANCELLED",
            DocumentStatus::Replaced => "REPLACED",
        }
    }

    pub fn parse(code: &str) -> Option<DocumentStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Precedence: Cancelled > Replaced > Expired > NotYetValid > Valid. A document is valid
    /// through its `valid_until` day and EXPIRED from the day after.
    pub fn of(facts: &StatusFacts) -> DocumentStatus {
        if facts.cancelled {
            DocumentStatus::Cancelled
        } else if facts.replaced {
            DocumentStatus::Replaced
        } else if facts.expired_recorded || facts.today > facts.valid_until {
            DocumentStatus::Expired
        } else if facts.today < facts.valid_from {
            DocumentStatus::NotYetValid
        } else {
            DocumentStatus::Valid
        }
    }
}

impl fmt::Display for DocumentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn codes_read_back_and_match_the_json() {
        for status in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::parse(status.code()), Some(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.code())
            );
            assert_eq!(
                serde_json::from_str::<DocumentStatus>(&format!("\"{status}\"")).unwrap(),
                status
            );
        }
        assert_eq!(DocumentStatus::parse("valid"), None);
    }

    #[test]
    fn the_status_follows_the_precedence_table() {
        use DocumentStatus::*;
        let from = date!(2026 - 03 - 01);
        let until = date!(2027 - 02 - 28);
        let before = date!(2026 - 02 - 28);
        let after = date!(2027 - 03 - 01);
        // (today, cancelled, replaced, expired_recorded) → status
        let table = [
            (before, false, false, false, NotYetValid),
            (from, false, false, false, Valid),
            (date!(2026 - 09 - 15), false, false, false, Valid),
            (until, false, false, false, Valid),
            (after, false, false, false, Expired),
            (from, false, false, true, Expired),
            (before, false, false, true, Expired),
            (after, false, true, false, Replaced),
            (from, false, true, true, Replaced),
            (before, false, true, false, Replaced),
            (from, true, false, false, Cancelled),
            (after, true, true, true, Cancelled),
            (before, true, true, false, Cancelled),
        ];
        for (today, cancelled, replaced, expired_recorded, expected) in table {
            let facts = StatusFacts {
                valid_from: from,
                valid_until: until,
                today,
                cancelled,
                replaced,
                expired_recorded,
            };
            assert_eq!(DocumentStatus::of(&facts), expected, "{facts:?}");
        }
    }
}
