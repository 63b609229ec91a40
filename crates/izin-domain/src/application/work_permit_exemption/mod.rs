//! The work-permit exemption (Regulation on the Implementation of the International Labour Force
//! Law, Article 48(1)): what its draft holds, how each step of the wizard is checked, the rules
//! checked at "Create My Application", and its fee policy.
//!
//! Steps may be saved incomplete (nothing typed is lost); every value kept is valid, and what is
//! still missing is reported when the application is created, with the step to fix it in.

mod fees;
mod inputs;
mod rules;
mod steps;
#[cfg(test)]
mod tests;

use super::{
    ApplicationKind, Blocking, ExemptionStatus, Kind, KindData, NewDraftError, RuleFailure, Step,
    SubmissionContext, Wizard,
};
use crate::calendar::{add_months, iso_date, parse_date};
use crate::catalog::{Category, ExemptionCatalog, Fees, Money};
use crate::identifiers::{AddressCode, OccupationCode, PassportNumber, ReferenceNumber, SgkNumber};
use crate::money::{Amount, FeeKind};
use crate::profile::{CountryCode, FreeText, Profile, Violation};
use crate::reference::Reference;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;
use uuid::Uuid;

/// Exemptions of this length or longer pay the exemption fee and get a card (and so need an
/// address for the cargo); shorter ones may ask for a certificate.
pub const CARD_FROM_MONTHS: i32 = 3;
/// The exemption must end this long before the passport expires (domain-facts.md).
pub const PASSPORT_MARGIN_DAYS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// "Domestic Application (I am in Türkiye or I have active residence right)".
    Domestic,
    /// "Abroad Application (I am located outside of Türkiye)".
    Abroad,
}

/// The place of application and how it was confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceRecord {
    pub place: Place,
    /// The active residence right found for the foreigner ID, if any.
    pub residence_right: bool,
    pub passport_number: Option<PassportNumber>,
    pub passport_country: Option<CountryCode>,
    pub reference_number: Option<ReferenceNumber>,
    #[serde(with = "iso_date")]
    pub checked_on: Option<Date>,
    /// Domestic without a residence right: the day the passport last entered Türkiye, as the
    /// entry records gave it (the deadline to apply runs from it).
    #[serde(with = "iso_date", default)]
    pub entered_on: Option<Date>,
    /// Domestic without a residence right: the applicant's year of birth (Personal
    /// Information) the entry records were checked with. `None`: confirmed before entries were
    /// tied to the applicant, so it must be confirmed again.
    #[serde(default)]
    pub birth_year: Option<i32>,
    /// The applicant entered Türkiye with a passport that has since been replaced by the one
    /// in Passport Information: the entry above was found on this declared previous passport.
    #[serde(default)]
    pub previous_passport: Option<PreviousPassport>,
}

/// A passport the applicant declares having entered Türkiye with before it was renewed, with a
/// scan of its data page for the officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousPassport {
    pub number: PassportNumber,
    pub country: CountryCode,
    /// One of the applicant's documents; `None` once it was deleted from Documents (the
    /// application then cannot be created until the place is confirmed again with a scan).
    pub scan_document_id: Option<Uuid>,
}

impl PlaceRecord {
    /// Whether the application rests on an entry to Türkiye rather than on a residence right
    /// or a consulate's reference.
    pub fn rests_on_entry(&self) -> bool {
        self.place == Place::Domestic && !self.residence_right
    }

    /// Whether User Information still holds what the entry was checked with: the birth year,
    /// and (unless a previous passport was declared) the passport's number and country of
    /// issue. Values missing from User Information are left to its completeness rule.
    fn checked_with(&self, profile: &Profile) -> bool {
        let born = profile.personal.date_of_birth.map(|d| d.year());
        if born.is_some_and(|year| Some(year) != self.birth_year) {
            return false;
        }
        if self.previous_passport.is_some() {
            return true;
        }
        let passport = &profile.passport;
        match (&passport.passport_number, &passport.issuing_country) {
            (Some(number), Some(country)) => {
                self.passport_number.as_ref() == Some(number)
                    && self.passport_country.as_ref() == Some(country)
            }
            _ => true,
        }
    }
}

/// The explicit consent to the KVKK text, and which version of the text it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub version: String,
    #[serde(with = "time::serde::rfc3339")]
    pub given_at: time::OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressType {
    Residence,
    Workplace,
    Different,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsurancePaid {
    Domestic,
    Abroad,
}

/// Workplace and Employer Information: the job, the period, the workplace and the employer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    pub occupation_code: Option<OccupationCode>,
    #[serde(with = "iso_date", default)]
    pub start_date: Option<Date>,
    #[serde(with = "iso_date", default)]
    pub end_date: Option<Date>,
    /// Under 3 months: "Are you requesting a work permit exemption certificate?"
    pub certificate_requested: Option<bool>,
    /// 3 months or longer: where the card is sent.
    pub residential_code: Option<AddressCode>,
    /// The address the code stands for, as the registry gave it.
    pub residential_address: Option<String>,
    pub address_type: Option<AddressType>,
    pub province: Option<String>,
    pub district: Option<String>,
    pub about: Option<FreeText>,
    pub has_employer: Option<bool>,
    pub sgk_number: Option<SgkNumber>,
    /// The workplace's name, as the registry gave it.
    pub workplace_name: Option<String>,
    /// The province the workplace is registered in, as the registry gave it.
    #[serde(default)]
    pub workplace_province: Option<String>,
    pub monthly_gross_salary: Option<Money>,
    pub currency: Option<String>,
    pub employment_contract_document_id: Option<Uuid>,
    pub insurance_paid: Option<InsurancePaid>,
}

impl Employment {
    /// Whether the requested period is shorter than three months.
    pub fn under_three_months(&self) -> Option<bool> {
        let (start, end) = (self.start_date?, self.end_date?);
        Some(end < add_months(start, CARD_FROM_MONTHS))
    }

    /// The province the SGK workplace is registered in, when it is not the province the person
    /// says they will work in. Not an error (a branch may be elsewhere), but worth a second look
    /// by the applicant and the officer.
    pub fn workplace_elsewhere(&self) -> Option<&str> {
        match (&self.workplace_province, &self.province) {
            (Some(registered), Some(work)) if registered != work => Some(registered),
            _ => None,
        }
    }

    /// Whether a printed document will be sent by cargo (a card from three months, or a
    /// certificate asked for under three), and so an address is needed.
    pub fn document_sent(&self) -> Option<bool> {
        self.under_three_months()
            .map(|short| !short || self.certificate_requested == Some(true))
    }
}

/// What a work-permit-exemption application holds while it is being prepared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub category: String,
    pub place: Option<PlaceRecord>,
    pub consent: Option<Consent>,
    #[serde(default)]
    pub employment: Employment,
    /// The supporting documents, by the category's slot.
    #[serde(default)]
    pub documents: BTreeMap<String, Vec<Uuid>>,
    pub other_information: Option<FreeText>,
    #[serde(default)]
    pub additional_document_ids: Vec<Uuid>,
}

pub use fees::*;
pub use inputs::*;
pub use rules::*;
pub use steps::WIZARD;
