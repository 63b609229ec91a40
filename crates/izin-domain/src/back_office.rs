//! What the back office reads and writes about an application beyond its lifecycle: the columns
//! the work queue filters and searches on (copied from the frozen profile at each submission), how
//! a search box's text is understood, and the officer's decision as the applicant reads it.

use crate::identifiers::{ApplicationNumber, ForeignerId, PassportNumber};
use crate::money::Amount;
use crate::officer::Authority;
use crate::profile::{Profile, Section};
use crate::text::search_key;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The queue's columns of a submitted application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueColumns {
    pub authority: Authority,
    /// "Given names Surname", as the applicant wrote them.
    pub applicant_name: String,
    /// The search key of "surname given names".
    pub applicant_key: String,
    /// The search key of "given names surname".
    pub applicant_key_given: String,
    /// ISO 3166 alpha-3.
    pub nationality: Option<String>,
    pub foreigner_id: Option<String>,
    pub passport_number: Option<String>,
}

impl QueueColumns {
    /// The columns of an application of `authority` submitted with `profile`.
    pub fn of(authority: Authority, profile: &Profile) -> QueueColumns {
        let personal = &profile.personal;
        let given = personal
            .first_name
            .as_ref()
            .map_or("", |n| n.as_str())
            .trim();
        let surname = personal
            .last_name
            .as_ref()
            .map_or("", |n| n.as_str())
            .trim();
        let joined = |a: &str, b: &str| format!("{a} {b}").trim().to_owned();
        QueueColumns {
            authority,
            applicant_name: joined(given, surname),
            applicant_key: search_key(&joined(surname, given)),
            applicant_key_given: search_key(&joined(given, surname)),
            nationality: personal.nationality.as_ref().map(|c| c.as_str().to_owned()),
            foreigner_id: personal
                .foreigner_id
                .as_ref()
                .map(|id| id.as_str().to_owned()),
            passport_number: profile
                .passport
                .passport_number
                .as_ref()
                .map(|n| n.as_str().to_owned()),
        }
    }
}

/// The User Information a resubmission freezes: the sections the officer reopened as they are
/// now, the others as the previous version froze them (a change there was not asked for).
pub fn refrozen_profile(previous: &Profile, current: &Profile, reopened: &[String]) -> Profile {
    let reopened = |section: Section| {
        reopened
            .iter()
            .any(|name| name.strip_prefix("profile:") == Some(section.code()))
    };
    let mut profile = previous.clone();
    if reopened(Section::Personal) {
        profile.personal = current.personal.clone();
    }
    if reopened(Section::Contact) {
        profile.contact = current.contact.clone();
    }
    if reopened(Section::Passport) {
        profile.passport = current.passport.clone();
    }
    if reopened(Section::Education) {
        profile.education = current.education.clone();
    }
    profile.verified = current.verified.clone();
    profile
}

/// What an officer's search box finds, by the shape of what was typed: an application number, a
/// foreigner ID, a passport number (letters and digits) or else the beginning of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Search {
    Number(String),
    ForeignerId(String),
    Passport(String),
    /// The search key of the typed name (Turkish letters and accents forgiven).
    Name(String),
}

impl Search {
    /// `None` for a box left empty.
    pub fn parse(typed: &str) -> Option<Search> {
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        if let Ok(number) = ApplicationNumber::parse(typed) {
            return Some(Search::Number(number.as_str().to_owned()));
        }
        if let Ok(id) = ForeignerId::parse(typed) {
            return Some(Search::ForeignerId(id.as_str().to_owned()));
        }
        if typed.chars().any(|c| c.is_ascii_digit())
            && let Ok(passport) = PassportNumber::parse(typed)
        {
            return Some(Search::Passport(passport.as_str().to_owned()));
        }
        let key = search_key(&typed.split_whitespace().collect::<Vec<_>>().join(" "));
        Some(Search::Name(key))
    }
}

/// The officer's last decision on an application, as the applicant and the officers read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum OfficerDecision {
    /// What to change, and which steps, document slots and User Information sections reopen.
    Revision {
        message: String,
        reopen: Vec<String>,
    },
    /// A coded reason of the kind's catalogue, with the officer's text.
    Rejected {
        reason: String,
        text: String,
    },
    /// The amounts due (none: approved directly).
    Approved {
        amounts: Vec<Amount>,
        /// The administrator who confirmed amounts of a year whose fee is not published.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        estimate_confirmed_by: Option<Uuid>,
    },
    Cancelled {
        reason: String,
        text: String,
    },
}

/// A first approval waiting for a second officer (four eyes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub proposed_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub proposed_at: time::OffsetDateTime,
    /// The administrator's confirmation of estimated amounts, carried to the second approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_confirmed_by: Option<Uuid>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_are_understood_by_their_shape() {
        assert_eq!(
            Search::parse(" 2026-000123 "),
            Some(Search::Number("2026-000123".into()))
        );
        assert!(matches!(
            Search::parse("99123456786"),
            Some(Search::ForeignerId(_)) | Some(Search::Passport(_))
        ));
        assert_eq!(
            Search::parse("u 1234 5678"),
            Some(Search::Passport("U12345678".into()))
        );
        assert_eq!(
            Search::parse("  YILDIZ   Ayşe "),
            Some(Search::Name("yildiz ayse".into()))
        );
        assert_eq!(Search::parse("IŞIK"), Some(Search::Name("isik".into())));
        assert_eq!(Search::parse("   "), None);
    }

    #[test]
    fn a_resubmission_freezes_only_the_reopened_sections_again() {
        use crate::profile::{ContactSection, PassportSection};
        let previous = Profile {
            contact: ContactSection {
                second_email: Some("before@example.com".into()),
                ..ContactSection::default()
            },
            ..Profile::default()
        };
        let mut current = previous.clone();
        current.contact.second_email = Some("after@example.com".into());
        current.passport = PassportSection {
            passport_number: crate::identifiers::PassportNumber::parse("U1234567").ok(),
            ..PassportSection::default()
        };
        let frozen = refrozen_profile(&previous, &current, &["profile:passport".into()]);
        assert_eq!(frozen.passport, current.passport, "reopened: as it is now");
        assert_eq!(
            frozen.contact, previous.contact,
            "not reopened: as it was frozen"
        );
        let all = refrozen_profile(
            &previous,
            &current,
            &["profile:contact".into(), "profile:passport".into()],
        );
        assert_eq!(all.contact, current.contact);
    }

    #[test]
    fn decisions_read_back_as_written() {
        let decision = OfficerDecision::Revision {
            message: "Upload a clearer passport scan".into(),
            reopen: vec!["profile.passport".into(), "documents".into()],
        };
        let json = serde_json::to_value(&decision).expect("json");
        assert_eq!(json["decision"], "revision");
        assert_eq!(
            serde_json::from_value::<OfficerDecision>(json).expect("reads"),
            decision
        );
    }
}
