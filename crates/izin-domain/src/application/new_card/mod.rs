//! The New Card Application: the holder of an ACTIVE work-permit exemption that came with a card
//! asks for a new one, for one of three reasons, and names where it is to be sent.
//!
//! - *Lost or stolen* (also for a damaged card): half of one year's exemption fee and the whole
//!   valuable paper fee, at the current year's rates (Fees Law No. 492, Article 90); paid, then
//!   printed, without an officer's review.
//! - *Change in personal information*: the identity the migration authority now records differs
//!   from the one the exemption was approved with (the holder has had it changed at a Provincial
//!   Directorate of Migration Management first); no exemption fee, the valuable paper fee only.
//! - *Card printed wrongly by the administration*: described, proven with at least one
//!   supporting document and the front and back of the current card; an officer decides whether
//!   anything is to be paid.
//!
//! Only a card-bearing exemption qualifies: one requested for three months or longer, or a
//! shorter one for which a certificate was requested. A new-card application waits only for
//! another new-card application of the same exemption.

mod amounts;
mod kind;

pub use crate::identity::{Comparison, Identity, compare};
pub use amounts::{NewCardAmounts, ReviewOutcome, amounts, assessment, reviewed};
pub use kind::{NewCard, WIZARD};

use super::lifecycle::{ExemptionStatus, Lifecycle, Status};
use super::work_permit_exemption::Employment;
use crate::calendar::add_months;
use crate::catalog::Fees;
use crate::identifiers::AddressCode;
use crate::profile::{FreeText, Violation};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Why a new card is asked for, in the order the choice offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    LostOrStolen,
    PersonalInformationChange,
    AdministrationError,
}

impl Reason {
    pub const ALL: [Reason; 3] = [
        Reason::LostOrStolen,
        Reason::PersonalInformationChange,
        Reason::AdministrationError,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::LostOrStolen => "lost_or_stolen",
            Reason::PersonalInformationChange => "personal_information_change",
            Reason::AdministrationError => "administration_error",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// Whether an officer reviews the application before anything is paid or printed.
    pub fn reviewed_by_an_officer(self) -> bool {
        self == Reason::AdministrationError
    }
}

/// The document slots of a new-card application.
pub const SUPPORTING_SLOT: &str = "supporting";
pub const CARD_FRONT_BACK_SLOT: &str = "card_front_back";

/// The longest description of an administration error.
pub const DESCRIPTION_MAX: usize = 2000;

/// An address a card can be sent to: the residential address code and the address the address
/// registry records under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryAddress {
    pub residential_code: Option<AddressCode>,
    pub address: String,
    pub province: Option<String>,
    pub district: Option<String>,
}

/// What a new-card application holds while it is being prepared. What it is compared with (the
/// exemption's registered address and the identity it was approved with) is copied in when the
/// draft is started, so that the application records exactly what it was decided on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCardDraft {
    pub reason: Option<Reason>,
    /// Required for an administration error: what was printed wrongly.
    pub description: Option<FreeText>,
    /// Where to send the card instead of the exemption's registered address.
    pub different_address: Option<DeliveryAddress>,
    #[serde(default)]
    pub documents: BTreeMap<String, Vec<Uuid>>,
    /// "Your Registered Address in the System": the exemption's residential address.
    #[serde(default)]
    pub registered_address: Option<DeliveryAddress>,
    /// The identity the exemption was approved with.
    #[serde(default)]
    pub system_identity: Option<Identity>,
    /// For a change in personal information: the identity compared with the migration
    /// registry's record when the reason was saved (`None`: the registry has no record).
    #[serde(default)]
    pub comparison: Option<Comparison>,
}

/// The card step as typed: the reason's code, the description, and the residential address code
/// of a different address (empty: send to the registered address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CardInput {
    pub reason: String,
    pub description: Option<String>,
    pub different_address: Option<String>,
}

/// The card step, checked: every value is valid (what the registries say is checked next).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCard {
    pub reason: Reason,
    pub description: Option<FreeText>,
    pub different_address: Option<AddressCode>,
}

/// The shortest description of an administration error worth an officer's reading.
pub const DESCRIPTION_MIN: usize = 10;

impl CardInput {
    /// Checks every field, reporting every problem at once.
    pub fn check(&self) -> Result<CheckedCard, Vec<Violation>> {
        let mut violations = Vec::new();
        let reason = match self.reason.trim() {
            "" => {
                violations.push(Violation::new("reason", "choice-required"));
                None
            }
            code => Reason::parse(code).or_else(|| {
                violations.push(Violation::new("reason", "choice-invalid"));
                None
            }),
        };
        let description = match self.description.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => FreeText::parse(text, DESCRIPTION_MIN, DESCRIPTION_MAX)
                .map_err(|e| {
                    violations.push(e.violation("description", DESCRIPTION_MIN, DESCRIPTION_MAX))
                })
                .ok(),
        };
        let different_address = match self.different_address.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => AddressCode::parse(code)
                .map_err(|_| {
                    violations.push(Violation::new(
                        "different_address.residential_code",
                        "address-code-shape",
                    ))
                })
                .ok(),
        };
        match reason {
            Some(reason) if violations.is_empty() => Ok(CheckedCard {
                reason,
                description,
                different_address,
            }),
            _ => Err(violations),
        }
    }
}

/// Why an exemption cannot have a new card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParentRefusal {
    /// Only an approved, ACTIVE exemption has a card that can be replaced.
    #[error("the exemption is not active")]
    NotActive,
    /// Exemptions shorter than three months without a certificate get no card.
    #[error("the exemption came without a card")]
    NoCard,
}

impl ParentRefusal {
    /// The message id that says so.
    pub fn code(self) -> &'static str {
        match self {
            ParentRefusal::NotActive => "new-card-exemption-not-active",
            ParentRefusal::NoCard => "new-card-exemption-without-card",
        }
    }
}

/// Whether an exemption came with a card: requested for three months or longer (the fee-free
/// threshold of the fee table), or shorter with a certificate requested.
pub fn comes_with_card(employment: &Employment, fees: &Fees) -> bool {
    let (Some(start), Some(end)) = (employment.start_date, employment.end_date) else {
        return false;
    };
    end >= add_months(start, i32::from(fees.fee_free_below_months))
        || employment.certificate_requested == Some(true)
}

/// Whether the application is an approved exemption still in force: only those may have a new
/// card.
pub fn is_active_exemption(lifecycle: Lifecycle) -> bool {
    lifecycle.status == Status::Approval && lifecycle.exemption == Some(ExemptionStatus::Active)
}

/// Whether the exemption (its lifecycle and the employment it was approved with) may have a
/// new card.
pub fn check_parent(
    lifecycle: Lifecycle,
    employment: &Employment,
    fees: &Fees,
) -> Result<(), ParentRefusal> {
    if !is_active_exemption(lifecycle) {
        return Err(ParentRefusal::NotActive);
    }
    if !comes_with_card(employment, fees) {
        return Err(ParentRefusal::NoCard);
    }
    Ok(())
}

/// A rule "Create My New Card Application" checks, failed: its message id and the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCardProblem {
    pub code: &'static str,
    pub field: &'static str,
}

/// Every rule that stops the application now. `comparison` is the identity check, asked of the
/// migration registry for a change in personal information (`None`: the registry has no record
/// of the holder).
pub fn problems(draft: &NewCardDraft, comparison: Option<&Comparison>) -> Vec<NewCardProblem> {
    let mut found = reason_problems(draft, comparison);
    if draft.registered_address.is_none() && draft.different_address.is_none() {
        // The exemption recorded no address: the card needs one to be sent to.
        found.push(NewCardProblem {
            code: "new-card-address-missing",
            field: "different_address",
        });
    }
    found
}

fn reason_problems(draft: &NewCardDraft, comparison: Option<&Comparison>) -> Vec<NewCardProblem> {
    let problem = |code, field| NewCardProblem { code, field };
    let mut found = Vec::new();
    let Some(reason) = draft.reason else {
        return vec![problem("rule-field-missing", "reason")];
    };
    let has = |slot: &str| draft.documents.get(slot).is_some_and(|ids| !ids.is_empty());
    match reason {
        Reason::LostOrStolen => {}
        Reason::PersonalInformationChange => match comparison {
            None => found.push(problem("new-card-not-in-registry", "reason")),
            Some(c) if c.differs.is_empty() => {
                found.push(problem("new-card-nothing-changed", "reason"));
            }
            Some(_) => {}
        },
        Reason::AdministrationError => {
            if draft.description.is_none() {
                found.push(problem("rule-field-missing", "description"));
            }
            if !has(SUPPORTING_SLOT) {
                found.push(problem("rule-document-missing", SUPPORTING_SLOT));
            }
            if !has(CARD_FRONT_BACK_SLOT) {
                found.push(problem("rule-document-missing", CARD_FRONT_BACK_SLOT));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ExemptionCatalog;
    use time::macros::date;

    fn fees() -> Fees {
        ExemptionCatalog::embedded().expect("catalogue").fees
    }

    fn employment(start: time::Date, end: time::Date, certificate: Option<bool>) -> Employment {
        Employment {
            start_date: Some(start),
            end_date: Some(end),
            certificate_requested: certificate,
            ..Employment::default()
        }
    }

    const ACTIVE: Lifecycle = Lifecycle {
        status: Status::Approval,
        exemption: Some(ExemptionStatus::Active),
    };

    #[test]
    fn only_an_active_exemption_with_a_card_may_have_a_new_one() {
        let year = employment(date!(2026 - 01 - 01), date!(2026 - 12 - 31), None);
        assert_eq!(check_parent(ACTIVE, &year, &fees()), Ok(()));
        for lifecycle in [
            Lifecycle {
                exemption: Some(ExemptionStatus::Expired),
                ..ACTIVE
            },
            Lifecycle {
                exemption: Some(ExemptionStatus::Cancelled),
                ..ACTIVE
            },
            Lifecycle {
                status: Status::UnderEvaluation,
                exemption: None,
            },
        ] {
            assert_eq!(
                check_parent(lifecycle, &year, &fees()),
                Err(ParentRefusal::NotActive)
            );
            // The sieve My Applications uses before reading any data agrees.
            assert!(!is_active_exemption(lifecycle));
        }
        assert!(is_active_exemption(ACTIVE));
        let short = employment(date!(2026 - 01 - 01), date!(2026 - 03 - 31), Some(false));
        assert_eq!(
            check_parent(ACTIVE, &short, &fees()),
            Err(ParentRefusal::NoCard)
        );
        let certified = employment(date!(2026 - 01 - 01), date!(2026 - 03 - 31), Some(true));
        assert_eq!(check_parent(ACTIVE, &certified, &fees()), Ok(()));
        let three_months = employment(date!(2026 - 01 - 01), date!(2026 - 04 - 01), None);
        assert_eq!(check_parent(ACTIVE, &three_months, &fees()), Ok(()));
    }

    #[test]
    fn reasons_read_back_from_their_codes() {
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.code()), Some(reason));
            assert_eq!(
                serde_json::to_value(reason).expect("json"),
                serde_json::json!(reason.code())
            );
        }
        assert_eq!(Reason::parse("stolen"), None);
        assert!(Reason::AdministrationError.reviewed_by_an_officer());
        assert!(!Reason::LostOrStolen.reviewed_by_an_officer());
    }

    #[test]
    fn each_reason_asks_for_its_own_proof() {
        let mut draft = NewCardDraft {
            registered_address: Some(DeliveryAddress {
                residential_code: None,
                address: "Emek Mh. Bosna Hersek Cd. No:29".into(),
                province: None,
                district: None,
            }),
            ..NewCardDraft::default()
        };
        let codes = |draft: &NewCardDraft, comparison: Option<&Comparison>| {
            problems(draft, comparison)
                .into_iter()
                .map(|p| (p.code, p.field))
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&draft, None), [("rule-field-missing", "reason")]);
        draft.reason = Some(Reason::LostOrStolen);
        assert!(codes(&draft, None).is_empty());

        draft.reason = Some(Reason::AdministrationError);
        assert_eq!(
            codes(&draft, None),
            [
                ("rule-field-missing", "description"),
                ("rule-document-missing", SUPPORTING_SLOT),
                ("rule-document-missing", CARD_FRONT_BACK_SLOT),
            ]
        );
        draft.description = Some(FreeText::parse("My surname is misspelt", 1, 2000).expect("text"));
        draft
            .documents
            .insert(SUPPORTING_SLOT.into(), vec![Uuid::from_u128(1)]);
        draft
            .documents
            .insert(CARD_FRONT_BACK_SLOT.into(), vec![Uuid::from_u128(2)]);
        assert!(codes(&draft, None).is_empty());

        draft.reason = Some(Reason::PersonalInformationChange);
        assert_eq!(
            codes(&draft, None),
            [("new-card-not-in-registry", "reason")]
        );
        let person = Identity {
            foreigner_id: "99271840606".into(),
            first_name: "Anna".into(),
            last_name: "Schmidt".into(),
            mother_name: "Maria".into(),
            father_name: "Thomas".into(),
            nationality: "DEU".into(),
            date_of_birth: Some(date!(1990 - 06 - 23)),
        };
        let same = compare(person.clone(), person.clone());
        assert_eq!(
            codes(&draft, Some(&same)),
            [("new-card-nothing-changed", "reason")]
        );
        let married = compare(
            person.clone(),
            Identity {
                last_name: "Müller".into(),
                ..person
            },
        );
        assert!(codes(&draft, Some(&married)).is_empty());
    }
}
