//! The work-permit exemption (seed 000 §3): what its draft holds, how each step of the wizard is
//! checked, the rules checked at "Create My Application", and its fee policy.
//!
//! Steps may be saved incomplete (nothing typed is lost); every value kept is valid, and what is
//! still missing is reported when the application is created, with the step to fix it in.

use super::{
    ApplicationKind, Blocking, ExemptionStatus, Kind, KindData, RuleFailure, Status, Step,
    SubmissionContext,
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

// ------------------------------------------------------------------ the wizard's steps

impl Step {
    /// The exemption wizard's steps, in order (the residence-right inquiry opens Place).
    pub const WIZARD: [Step; 7] = [
        Step::Place,
        Step::Category,
        Step::Consent,
        Step::Employment,
        Step::Documents,
        Step::Additional,
        Step::Preview,
    ];

    /// The wizard step named `code` in its address (`place`, `employment`, …).
    pub fn parse(code: &str) -> Option<Step> {
        Step::WIZARD.into_iter().find(|step| step.code() == code)
    }

    /// Whether the step can be changed in an application of `status`. A draft changes freely.
    /// In a revision the place of application, the category and the consent stay as submitted:
    /// they decide what was applied for and under which checks, so a different one is a new
    /// application; the officer's request reopens the employment, the documents and the rest.
    pub fn editable_in(self, status: Status) -> bool {
        let in_wizard = Step::WIZARD.contains(&self);
        match status {
            Status::Draft => in_wizard,
            Status::Revision => {
                in_wizard && !matches!(self, Step::Place | Step::Category | Step::Consent)
            }
            _ => false,
        }
    }

    /// The step "Next" leads to; the preview is the last.
    pub fn next(self) -> Step {
        let position = Step::WIZARD.iter().position(|s| *s == self);
        position
            .and_then(|i| Step::WIZARD.get(i + 1))
            .copied()
            .unwrap_or(Step::Preview)
    }
}

impl Draft {
    /// Whether the step holds what it asks for. The additional step is optional: it counts as
    /// complete once something was given; the preview is never "complete".
    pub fn step_complete(&self, step: Step, catalog: &ExemptionCatalog) -> bool {
        match step {
            Step::Place => self.place.is_some(),
            Step::Category => !self.category.is_empty(),
            Step::Consent => self.consent.is_some(),
            Step::Employment => {
                self.employment.occupation_code.is_some() && self.employment.end_date.is_some()
            }
            Step::Documents => catalog.category(&self.category).is_some_and(|(_, c)| {
                c.documents.iter().filter(|slot| slot.required).all(|slot| {
                    self.documents
                        .get(&slot.slot)
                        .is_some_and(|f| !f.is_empty())
                })
            }),
            Step::Additional => {
                self.other_information.is_some() || !self.additional_document_ids.is_empty()
            }
            Step::Preview | Step::Profile | Step::MyApplications => false,
        }
    }

    /// Where "Continue" resumes: the first required step not yet complete, else the preview.
    pub fn resume_at(&self, catalog: &ExemptionCatalog) -> Step {
        Step::WIZARD
            .into_iter()
            .filter(|step| !matches!(step, Step::Additional | Step::Preview))
            .find(|step| !self.step_complete(*step, catalog))
            .unwrap_or(Step::Preview)
    }
}

// ------------------------------------------------------------------ step inputs (the API's)

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    pub place: Option<String>,
    /// Domestic without an active residence right: the passport used to enter Türkiye. It may
    /// be left out: the entry is then looked up with the passport in Passport Information
    /// (number and country of issue), or with `previous_passport` when one is declared. When
    /// given, it must be one of those two; the holder's year of birth (Personal Information)
    /// is always part of the look-up.
    pub passport_number: Option<String>,
    /// ISO 3166-1 alpha-3 code of the country that issued `passport_number`.
    pub passport_country: Option<String>,
    /// Abroad: the 16-character reference number from the Turkish mission.
    pub reference_number: Option<String>,
    /// Domestic without an active residence right, when the passport was renewed after
    /// entering Türkiye: the previous passport the person entered with.
    #[serde(default)]
    pub previous_passport: Option<PreviousPassportInput>,
}

/// A declared previous passport, as the place step takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreviousPassportInput {
    /// The previous passport's number.
    pub number: Option<String>,
    /// ISO 3166-1 alpha-3 code of the country that issued it.
    pub country: Option<String>,
    /// A scan of its data page: the id of one of the user's documents (PDF, JPEG or PNG,
    /// uploaded with `POST /api/v1/me/documents`).
    pub scan_document_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    pub kvkk_explicit_consent: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EmploymentInput {
    /// `NNNN.NN`, e.g. `9901.02` (Stajyer (Öğrenci)).
    pub occupation_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub certificate_requested: Option<bool>,
    /// 10 digits, for periods of 3 months or longer.
    pub residential_code: Option<String>,
    /// `residence`, `workplace` or `different`.
    pub address_type: Option<String>,
    pub province: Option<String>,
    pub district: Option<String>,
    pub about: Option<String>,
    pub has_employer: Option<bool>,
    /// 26 digits.
    pub sgk_number: Option<String>,
    /// A number or a decimal string; 0 is allowed.
    #[cfg_attr(feature = "openapi", schema(schema_with = salary_schema))]
    pub monthly_gross_salary: Option<serde_json::Value>,
    /// ISO 4217, e.g. `TRY`.
    pub currency: Option<String>,
    pub employment_contract_document_id: Option<String>,
    /// `domestic` or `abroad`.
    pub insurance_paid: Option<String>,
}

/// The salary's JSON types, as `employment` reads them: a number, a decimal string, or nothing.
#[cfg(feature = "openapi")]
fn salary_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([
            Type::Number,
            Type::String,
            Type::Null,
        ]))
        .description(Some("A number or a decimal string; 0 is allowed."))
        .build()
}

impl AddressType {
    pub fn code(self) -> &'static str {
        match self {
            AddressType::Residence => "residence",
            AddressType::Workplace => "workplace",
            AddressType::Different => "different",
        }
    }
}

impl InsurancePaid {
    pub fn code(self) -> &'static str {
        match self {
            InsurancePaid::Domestic => "domestic",
            InsurancePaid::Abroad => "abroad",
        }
    }
}

impl Place {
    pub fn code(self) -> &'static str {
        match self {
            Place::Domestic => "domestic",
            Place::Abroad => "abroad",
        }
    }
}

/// The saved step in the shape the step takes, so a form or an API client can show and resend it.
impl From<&Employment> for EmploymentInput {
    fn from(e: &Employment) -> Self {
        EmploymentInput {
            occupation_code: e.occupation_code.as_ref().map(|c| c.as_str().to_owned()),
            start_date: e.start_date.map(crate::calendar::format_date),
            end_date: e.end_date.map(crate::calendar::format_date),
            certificate_requested: e.certificate_requested,
            residential_code: e.residential_code.as_ref().map(|c| c.as_str().to_owned()),
            address_type: e.address_type.map(|a| a.code().to_owned()),
            province: e.province.clone(),
            district: e.district.clone(),
            about: e.about.as_ref().map(|a| a.as_str().to_owned()),
            has_employer: e.has_employer,
            sgk_number: e.sgk_number.as_ref().map(|n| n.as_str().to_owned()),
            monthly_gross_salary: e
                .monthly_gross_salary
                .map(|m| serde_json::Value::String(m.decimal())),
            currency: e.currency.clone(),
            employment_contract_document_id: e
                .employment_contract_document_id
                .map(|id| id.to_string()),
            insurance_paid: e.insurance_paid.map(|i| i.code().to_owned()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdditionalInput {
    pub other_information: Option<String>,
    #[serde(default)]
    pub document_ids: Vec<String>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A place input whose values have the right shape; the registries have not been asked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceFields {
    pub place: Place,
    pub passport_number: Option<PassportNumber>,
    pub passport_country: Option<CountryCode>,
    pub reference_number: Option<ReferenceNumber>,
    /// Domestic only (ignored abroad); its scan is always present here.
    pub previous_passport: Option<PreviousPassport>,
}

/// Reads a declared previous passport: every part is required.
fn check_previous_passport(
    input: &PreviousPassportInput,
    reference: &Reference,
    violations: &mut Vec<Violation>,
) -> Option<PreviousPassport> {
    let number = match present(&input.number) {
        None => {
            violations.push(Violation::new("previous_passport.number", "text-empty"));
            None
        }
        Some(raw) => PassportNumber::parse(raw)
            .map_err(|_| {
                violations.push(Violation::new(
                    "previous_passport.number",
                    "passport-number-shape",
                ))
            })
            .ok(),
    };
    let country = match present(&input.country) {
        None => {
            violations.push(Violation::new(
                "previous_passport.country",
                "choice-required",
            ));
            None
        }
        Some(raw) => CountryCode::known(raw, reference)
            .map_err(|_| {
                violations.push(Violation::new(
                    "previous_passport.country",
                    "country-unknown",
                ))
            })
            .ok(),
    };
    let scan = match present(&input.scan_document_id) {
        None => {
            violations.push(Violation::new(
                "previous_passport.scan_document_id",
                "previous-passport-scan-required",
            ));
            None
        }
        Some(raw) => Uuid::parse_str(raw)
            .map_err(|_| {
                violations.push(Violation::new(
                    "previous_passport.scan_document_id",
                    "document-invalid",
                ))
            })
            .ok(),
    };
    Some(PreviousPassport {
        number: number?,
        country: country?,
        scan_document_id: Some(scan?),
    })
}

/// The passport a domestic application's entry is looked up with, and the holder's birth year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryQuery {
    pub passport_number: PassportNumber,
    pub passport_country: CountryCode,
    pub birth_year: i32,
    /// Set when the entry passport is a declared previous passport.
    pub previous_passport: Option<PreviousPassport>,
}

impl EntryQuery {
    /// The field a refusal of this look-up belongs to.
    pub fn field(&self) -> &'static str {
        if self.previous_passport.is_some() {
            "previous_passport.number"
        } else {
            "passport_number"
        }
    }
}

/// Which entry a domestic application without a residence right may rest on: one of the
/// applicant's own passports — the one in Passport Information, or a previous one they declare
/// (with a scan) — and their own year of birth, as the abroad path checks a consulate's
/// reference. A passport typed in for someone else is refused before any registry is asked.
pub fn entry_query(fields: &PlaceFields, profile: &Profile) -> Result<EntryQuery, Vec<Violation>> {
    let passport = &profile.passport;
    let (Some(own_number), Some(own_country), Some(born)) = (
        passport.passport_number.as_ref(),
        passport.issuing_country.as_ref(),
        profile.personal.date_of_birth,
    ) else {
        return Err(vec![Violation::new(
            "passport_number",
            "entry-needs-profile",
        )]);
    };
    let own = (own_number, own_country);
    let previous = fields.previous_passport.as_ref();
    if previous.is_some_and(|p| (&p.number, &p.country) == own) {
        return Err(vec![Violation::new(
            "previous_passport.number",
            "previous-passport-is-current",
        )]);
    }
    let entry = previous.map_or(own, |p| (&p.number, &p.country));
    // The old shape names the entry passport; a part left out is the entry passport's.
    let named = (
        fields.passport_number.as_ref().unwrap_or(entry.0),
        fields.passport_country.as_ref().unwrap_or(entry.1),
    );
    if named != own && named != entry {
        return Err(vec![
            Violation::new("passport_number", "passport-not-yours")
                .arg("passport", own_number.as_str())
                .arg("country", own_country.as_str()),
        ]);
    }
    Ok(EntryQuery {
        passport_number: entry.0.clone(),
        passport_country: entry.1.clone(),
        birth_year: born.year(),
        previous_passport: previous.cloned(),
    })
}

/// Parses a place input's shape (the registry checks follow in the service).
pub fn check_place(
    input: &PlaceInput,
    reference: &Reference,
) -> Result<PlaceFields, Vec<Violation>> {
    let mut violations = Vec::new();
    let place = match present(&input.place) {
        Some("domestic") => Some(Place::Domestic),
        Some("abroad") => Some(Place::Abroad),
        Some(_) => {
            violations.push(Violation::new("place", "choice-invalid"));
            None
        }
        None => {
            violations.push(Violation::new("place", "choice-required"));
            None
        }
    };
    let passport_number = present(&input.passport_number).and_then(|raw| {
        PassportNumber::parse(raw)
            .map_err(|_| {
                violations.push(Violation::new("passport_number", "passport-number-shape"))
            })
            .ok()
    });
    let passport_country = present(&input.passport_country).and_then(|raw| {
        CountryCode::known(raw, reference)
            .map_err(|_| violations.push(Violation::new("passport_country", "country-unknown")))
            .ok()
    });
    let reference_number = present(&input.reference_number).and_then(|raw| {
        ReferenceNumber::parse(raw)
            .map_err(|_| {
                violations.push(Violation::new("reference_number", "reference-number-shape"))
            })
            .ok()
    });
    if place == Some(Place::Abroad)
        && reference_number.is_none()
        && !violations.iter().any(|v| v.field == "reference_number")
    {
        violations.push(Violation::new("reference_number", "text-empty"));
    }
    // A previous passport matters only where an entry is looked up; abroad it is ignored.
    let previous_passport = match (place, &input.previous_passport) {
        (Some(Place::Domestic), Some(previous)) => {
            check_previous_passport(previous, reference, &mut violations)
        }
        _ => None,
    };
    match place {
        Some(place) if violations.is_empty() => Ok(PlaceFields {
            place,
            passport_number,
            passport_country,
            reference_number,
            previous_passport,
        }),
        _ => Err(violations),
    }
}

fn salary(value: &serde_json::Value) -> Option<Money> {
    match value {
        serde_json::Value::Number(n) => Money::parse(&n.to_string()),
        serde_json::Value::String(s) => Money::parse(&s.trim().replace(',', ".")),
        _ => None,
    }
}

/// Checks a Workplace and Employer step. Registry look-ups (address code, SGK number) and
/// document ownership are the service's; this checks shapes, lists and dates.
pub fn check_employment(
    input: &EmploymentInput,
    category: &Category,
    catalog: &ExemptionCatalog,
    reference: &Reference,
    today: Date,
) -> Result<Employment, Vec<Violation>> {
    let mut v: Vec<Violation> = Vec::new();
    let occupation_code =
        present(&input.occupation_code).and_then(|raw| match OccupationCode::parse(raw) {
            Ok(code) if catalog.occupation(code.as_str()).is_some() => {
                if category.admits_occupation(code.as_str()) {
                    Some(code)
                } else {
                    v.push(occupation_not_admitted(category));
                    None
                }
            }
            _ => {
                v.push(Violation::new("occupation_code", "occupation-unknown"));
                None
            }
        });
    let mut date = |field: &str, raw: &Option<String>| {
        present(raw).and_then(|raw| {
            parse_date(raw).or_else(|| {
                v.push(Violation::new(field, "date-invalid"));
                None
            })
        })
    };
    let start_date = date("start_date", &input.start_date);
    let end_date = date("end_date", &input.end_date);
    if start_date.is_some_and(|s| s < today) {
        v.push(Violation::new("start_date", "start-in-past"));
    }
    if let (Some(start), Some(end)) = (start_date, end_date) {
        if end <= start {
            v.push(Violation::new("end_date", "end-before-start"));
        } else if end >= add_months(start, i32::from(category.max_months)) {
            v.push(
                Violation::new("end_date", "period-too-long")
                    .arg("months", category.max_months.to_string()),
            );
        }
    }
    let residential_code = present(&input.residential_code).and_then(|raw| {
        AddressCode::parse(raw)
            .map_err(|_| v.push(Violation::new("residential_code", "address-code-shape")))
            .ok()
    });
    let address_type = present(&input.address_type).and_then(|raw| match raw {
        "residence" => Some(AddressType::Residence),
        "workplace" => Some(AddressType::Workplace),
        "different" => Some(AddressType::Different),
        _ => {
            v.push(Violation::new("address_type", "choice-invalid"));
            None
        }
    });
    let province = present(&input.province).and_then(|raw| match reference.province(raw) {
        Some(p) => Some(p),
        None => {
            v.push(Violation::new("province", "province-unknown"));
            None
        }
    });
    let district = present(&input.district).and_then(|raw| {
        let found = province.and_then(|p| {
            let key = crate::text::search_key(raw);
            p.districts
                .iter()
                .find(|d| crate::text::search_key(d) == key)
                .cloned()
        });
        if found.is_none() && province.is_some() {
            v.push(Violation::new("district", "district-unknown"));
        }
        found
    });
    let about = present(&input.about).and_then(|raw| match FreeText::parse(raw, 10, 2000) {
        Ok(text) => Some(text),
        Err(e) => {
            v.push(e.violation("about", 10, 2000));
            None
        }
    });
    let sgk_number = present(&input.sgk_number).and_then(|raw| {
        SgkNumber::check(raw)
            .map_err(|problem| v.push(sgk_violation(problem)))
            .ok()
    });
    let monthly_gross_salary = match &input.monthly_gross_salary {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
        Some(value) => salary(value).or_else(|| {
            let negative = match value {
                serde_json::Value::Number(n) => n.as_f64().is_some_and(|n| n < 0.0),
                serde_json::Value::String(s) => s.trim().starts_with('-'),
                _ => false,
            };
            v.push(Violation::new(
                "monthly_gross_salary",
                if negative {
                    "salary-negative"
                } else {
                    "salary-invalid"
                },
            ));
            None
        }),
    };
    let currency = present(&input.currency).and_then(|raw| {
        match catalog.currency(&raw.to_ascii_uppercase()) {
            Some(c) => Some(c.code.clone()),
            None => {
                v.push(Violation::new("currency", "currency-unknown"));
                None
            }
        }
    });
    let employment_contract_document_id =
        present(&input.employment_contract_document_id).and_then(|raw| {
            Uuid::parse_str(raw)
                .map_err(|_| {
                    v.push(Violation::new(
                        "employment_contract_document_id",
                        "document-invalid",
                    ))
                })
                .ok()
        });
    let insurance_paid = present(&input.insurance_paid).and_then(|raw| match raw {
        "domestic" => Some(InsurancePaid::Domestic),
        "abroad" => Some(InsurancePaid::Abroad),
        _ => {
            v.push(Violation::new("insurance_paid", "choice-invalid"));
            None
        }
    });
    let mut employment = Employment {
        occupation_code,
        start_date,
        end_date,
        certificate_requested: input.certificate_requested,
        residential_code,
        residential_address: None,
        address_type,
        province: province.map(|p| p.name.clone()),
        district,
        about,
        has_employer: input.has_employer,
        sgk_number,
        workplace_name: None,
        workplace_province: None,
        monthly_gross_salary,
        currency,
        employment_contract_document_id,
        insurance_paid,
    };
    // Answers that do not apply to the period or to having no employer are not kept.
    if employment.under_three_months() == Some(false) {
        employment.certificate_requested = None;
    }
    // Without a printed document there is nothing to send, so no address is kept.
    if employment.document_sent() == Some(false) {
        employment.residential_code = None;
        employment.address_type = None;
    }
    if employment.has_employer == Some(false) {
        employment.sgk_number = None;
        employment.monthly_gross_salary = None;
        employment.currency = None;
        employment.employment_contract_document_id = None;
    }
    v.sort_by_key(|violation| {
        EMPLOYMENT_FIELDS
            .iter()
            .position(|f| *f == violation.field)
            .unwrap_or(usize::MAX)
    });
    if v.is_empty() { Ok(employment) } else { Err(v) }
}

/// An SGK number that is not one, with the part to check.
fn sgk_violation(problem: crate::identifiers::SgkProblem) -> Violation {
    use crate::identifiers::SgkProblem;
    let violation = |code| Violation::new("sgk_number", code);
    match problem {
        SgkProblem::Empty | SgkProblem::NotDigits => violation("sgk-number-shape"),
        SgkProblem::Length(count) => violation("sgk-number-length").arg("count", count.to_string()),
        SgkProblem::Sector(found) => violation("sgk-number-sector").arg("found", found.to_string()),
        SgkProblem::Province(found) => {
            violation("sgk-number-province").arg("found", format!("{found:03}"))
        }
    }
}

/// What the messages about the deadline after entering Türkiye quote.
pub fn entry_deadline_args(
    rule: &crate::catalog::DomesticApplication,
    entered_on: Date,
    last_day: Date,
) -> Vec<(&'static str, String)> {
    vec![
        (
            "days",
            rule.apply_within_days_of_entry
                .unwrap_or_default()
                .to_string(),
        ),
        ("entered", crate::calendar::format_date(entered_on)),
        ("last_day", crate::calendar::format_date(last_day)),
    ]
}

/// The category admits only some occupations (the compulsory internship: 9901.02).
fn occupation_not_admitted(category: &Category) -> Violation {
    Violation::new("occupation_code", "occupation-not-for-category").arg(
        "codes",
        category
            .occupations
            .as_ref()
            .map(|rule| rule.only.join(", "))
            .unwrap_or_default(),
    )
}

/// The employment step's fields in the order of the form.
pub const EMPLOYMENT_FIELDS: &[&str] = &[
    "occupation_code",
    "start_date",
    "end_date",
    "certificate_requested",
    "residential_code",
    "address_type",
    "province",
    "district",
    "about",
    "has_employer",
    "sgk_number",
    "monthly_gross_salary",
    "currency",
    "employment_contract_document_id",
    "insurance_paid",
];

// ------------------------------------------------------------------ fees

/// What an application costs, in the year it is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeAssessment {
    pub year: i32,
    pub exemption_fee: Money,
    pub valuable_paper_fee: Money,
}

impl FeeAssessment {
    pub fn total(&self) -> Money {
        Money(self.exemption_fee.0 + self.valuable_paper_fee.0)
    }

    pub fn is_due(&self) -> bool {
        self.total().0 > 0
    }

    /// The amounts to pay, in the one money shape: the exemption fee and the valuable paper fee,
    /// each to its account, with whether `year`'s table is the published one (a year with no
    /// table of its own is charged at the latest known rates, as an estimate). Nothing to pay is
    /// no amount.
    pub fn amounts(&self, fees: &Fees) -> Vec<Amount> {
        let published = fees
            .for_year(self.year)
            .is_some_and(|table| table.year == self.year && table.published);
        [
            (
                FeeKind::ExemptionFee,
                &fees.exemption_fee_account,
                self.exemption_fee,
            ),
            (
                FeeKind::ValuablePaperFee,
                &fees.valuable_paper_account,
                self.valuable_paper_fee,
            ),
        ]
        .into_iter()
        .filter(|(_, _, amount)| amount.0 > 0)
        .map(|(kind, account, amount)| Amount {
            account_code: account.clone(),
            kind,
            amount,
            currency: fees.currency.clone(),
            year: self.year,
            published,
        })
        .collect()
    }
}

/// Shorter than three months: no exemption fee, the valuable paper fee only for a requested
/// certificate. Otherwise the fee for each started year, and the card's valuable paper fee.
pub fn assess_fees(employment: &Employment, fees: &Fees, year: i32) -> FeeAssessment {
    let Some(table) = fees.for_year(year) else {
        return FeeAssessment {
            year,
            exemption_fee: Money::ZERO,
            valuable_paper_fee: Money::ZERO,
        };
    };
    let (Some(start), Some(end)) = (employment.start_date, employment.end_date) else {
        return FeeAssessment {
            year,
            exemption_fee: Money::ZERO,
            valuable_paper_fee: Money::ZERO,
        };
    };
    if end < add_months(start, i32::from(fees.fee_free_below_months)) {
        let paper = if employment.certificate_requested == Some(true) {
            table.valuable_paper_fee
        } else {
            Money::ZERO
        };
        return FeeAssessment {
            year,
            exemption_fee: Money::ZERO,
            valuable_paper_fee: paper,
        };
    }
    let mut years = 1;
    while end >= add_months(start, 12 * years) {
        years += 1;
    }
    FeeAssessment {
        year,
        exemption_fee: table.exemption_fee_per_year.times(i64::from(years)),
        valuable_paper_fee: table.valuable_paper_fee,
    }
}

// ------------------------------------------------------------------ the rules at creation

fn failure(code: &'static str, step: Step, field: Option<&'static str>) -> RuleFailure {
    RuleFailure {
        code,
        step,
        field,
        args: Vec::new(),
    }
}

/// The work-permit exemption as a kind of application.
#[derive(Debug, Clone)]
pub struct WorkPermitExemption {
    pub catalog: std::sync::Arc<ExemptionCatalog>,
}

impl WorkPermitExemption {
    pub fn draft(data: &serde_json::Value) -> Result<Draft, serde_json::Error> {
        serde_json::from_value(data.clone())
    }

    /// Every rule of "Create My Application", each failure with the step to fix it in.
    pub fn failures(&self, draft: &Draft, ctx: &SubmissionContext<'_>) -> Vec<RuleFailure> {
        let mut failures = Vec::new();
        let completeness = ctx.profile.completeness(ctx.today);
        if !completeness.complete {
            let missing: usize = completeness.sections.iter().map(|s| s.missing.len()).sum();
            failures.push(RuleFailure {
                code: "rule-profile-incomplete",
                step: Step::Profile,
                field: None,
                args: vec![("count", missing.to_string())],
            });
        }
        let Some((_, category)) = self.catalog.category(&draft.category) else {
            failures.push(failure(
                "rule-category-missing",
                Step::Category,
                Some("category"),
            ));
            return failures;
        };
        match &draft.place {
            None => failures.push(failure("rule-place-missing", Step::Place, Some("place"))),
            Some(place) if place.rests_on_entry() => {
                match (place.entered_on, place.birth_year) {
                    // Confirmed before the entry day was recorded, or before the entry was
                    // tied to the applicant's own passport and birth year: confirm it again.
                    (None, _) | (_, None) => failures.push(failure(
                        "rule-place-confirm-again",
                        Step::Place,
                        Some("place"),
                    )),
                    (Some(entered_on), Some(_)) => {
                        if !place.checked_with(ctx.profile) {
                            failures.push(failure(
                                "rule-place-check-outdated",
                                Step::Place,
                                Some("place"),
                            ));
                        }
                        if let Some(previous) = &place.previous_passport
                            && previous
                                .scan_document_id
                                .is_none_or(|id| !ctx.documents.contains(&id))
                        {
                            failures.push(failure(
                                "rule-previous-passport-scan-missing",
                                Step::Place,
                                Some("previous_passport.scan_document_id"),
                            ));
                        }
                        if let Some(last_day) = self
                            .catalog
                            .domestic_application
                            .last_day_to_apply(entered_on)
                            && ctx.today > last_day
                        {
                            failures.push(RuleFailure {
                                code: "rule-entry-deadline-passed",
                                step: Step::Place,
                                field: Some("place"),
                                args: entry_deadline_args(
                                    &self.catalog.domestic_application,
                                    entered_on,
                                    last_day,
                                ),
                            });
                        }
                    }
                }
            }
            Some(_) => {}
        }
        if draft.consent.is_none() {
            failures.push(failure(
                "rule-consent-missing",
                Step::Consent,
                Some("kvkk_explicit_consent"),
            ));
        }
        let e = &draft.employment;
        let mut missing = |present: bool, field: &'static str| {
            if !present {
                failures.push(failure("rule-field-missing", Step::Employment, Some(field)));
            }
        };
        missing(e.occupation_code.is_some(), "occupation_code");
        missing(e.start_date.is_some(), "start_date");
        missing(e.end_date.is_some(), "end_date");
        missing(e.province.is_some(), "province");
        missing(e.district.is_some(), "district");
        missing(e.about.is_some(), "about");
        missing(e.has_employer.is_some(), "has_employer");
        missing(e.insurance_paid.is_some(), "insurance_paid");
        if e.under_three_months() == Some(true) {
            missing(e.certificate_requested.is_some(), "certificate_requested");
        }
        if e.document_sent() == Some(true) {
            missing(e.residential_code.is_some(), "residential_code");
            missing(e.address_type.is_some(), "address_type");
        }
        // Saved under another category, or before the catalogue narrowed the category.
        if let Some(occupation) = &e.occupation_code
            && !category.admits_occupation(occupation.as_str())
        {
            let violation = occupation_not_admitted(category);
            failures.push(RuleFailure {
                code: "rule-occupation-not-for-category",
                step: Step::Employment,
                field: Some("occupation_code"),
                args: violation.args,
            });
        }
        if e.has_employer == Some(true) {
            for (present, field) in [
                (e.sgk_number.is_some(), "sgk_number"),
                (e.monthly_gross_salary.is_some(), "monthly_gross_salary"),
                (e.currency.is_some(), "currency"),
                (
                    e.employment_contract_document_id
                        .is_some_and(|id| ctx.documents.contains(&id)),
                    "employment_contract_document_id",
                ),
            ] {
                if !present {
                    failures.push(failure(
                        "rule-employer-incomplete",
                        Step::Employment,
                        Some(field),
                    ));
                }
            }
        }
        if let (Some(start), Some(end)) = (e.start_date, e.end_date) {
            if start < ctx.today {
                failures.push(failure(
                    "rule-start-in-past",
                    Step::Employment,
                    Some("start_date"),
                ));
            }
            if end <= start {
                failures.push(failure(
                    "rule-end-before-start",
                    Step::Employment,
                    Some("end_date"),
                ));
            } else if end >= add_months(start, i32::from(category.max_months)) {
                failures.push(RuleFailure {
                    code: "rule-period-too-long",
                    step: Step::Employment,
                    field: Some("end_date"),
                    args: vec![("months", category.max_months.to_string())],
                });
            }
            if let Some(expiry) = ctx.profile.passport.expiry_date {
                let latest_end = expiry - time::Duration::days(PASSPORT_MARGIN_DAYS);
                if end > latest_end {
                    failures.push(RuleFailure {
                        code: "rule-passport-expires-too-soon",
                        step: Step::Employment,
                        field: Some("end_date"),
                        args: vec![
                            ("days", PASSPORT_MARGIN_DAYS.to_string()),
                            ("latest", crate::calendar::format_date(latest_end)),
                        ],
                    });
                }
            }
        }
        if ctx.other_pending {
            failures.push(failure(
                "rule-other-application-pending",
                Step::MyApplications,
                None,
            ));
        }
        for previous in ctx
            .previous_exemptions
            .iter()
            .filter(|p| p.category == draft.category)
        {
            let allowed_from =
                add_months(previous.ended_on, i32::from(category.reapply_wait_months));
            if ctx.today < allowed_from {
                failures.push(RuleFailure {
                    code: "rule-waiting-period",
                    step: Step::Category,
                    field: Some("category"),
                    args: vec![
                        ("months", category.reapply_wait_months.to_string()),
                        ("date", crate::calendar::format_date(allowed_from)),
                    ],
                });
                break;
            }
        }
        for slot in category.documents.iter().filter(|s| s.required) {
            let present = draft
                .documents
                .get(&slot.slot)
                .is_some_and(|ids| ids.iter().any(|id| ctx.documents.contains(id)));
            if !present {
                failures.push(RuleFailure {
                    code: "rule-document-missing",
                    step: Step::Documents,
                    field: None,
                    args: vec![("slot", slot.slot.clone())],
                });
            }
        }
        failures
    }
}

impl ApplicationKind for WorkPermitExemption {
    fn kind(&self) -> Kind {
        Kind::WorkPermitExemption
    }

    /// Only one work-permit exemption may be pending at a time.
    fn blocking(&self) -> Blocking {
        Blocking {
            kinds: vec![Kind::WorkPermitExemption],
            same_parent: false,
        }
    }

    /// An approved exemption is ACTIVE until it ends, expires or is cancelled.
    fn outcome_on_approval(&self) -> Option<ExemptionStatus> {
        Some(ExemptionStatus::Active)
    }

    fn read<'a>(
        &'a self,
        data: &serde_json::Value,
    ) -> Result<Box<dyn KindData + 'a>, serde_json::Error> {
        Ok(Box::new(ExemptionData {
            kind: self,
            draft: Self::draft(data)?,
        }))
    }
}

/// A work-permit-exemption draft with the catalogue its rules read.
struct ExemptionData<'a> {
    kind: &'a WorkPermitExemption,
    draft: Draft,
}

impl KindData for ExemptionData<'_> {
    fn submission_failures(&self, ctx: &SubmissionContext<'_>) -> Vec<RuleFailure> {
        self.kind.failures(&self.draft, ctx)
    }

    fn fees(&self, year: i32) -> Option<FeeAssessment> {
        Some(assess_fees(
            &self.draft.employment,
            &self.kind.catalog.fees,
            year,
        ))
    }

    fn period(&self) -> (Option<Date>, Option<Date>) {
        (
            self.draft.employment.start_date,
            self.draft.employment.end_date,
        )
    }

    fn category(&self) -> Option<String> {
        Some(self.draft.category.clone())
    }

    fn cited_documents(&self) -> Vec<Uuid> {
        let draft = &self.draft;
        let mut ids: Vec<Uuid> = draft.documents.values().flatten().copied().collect();
        ids.extend(draft.employment.employment_contract_document_id);
        ids.extend(draft.additional_document_ids.iter().copied());
        // The previous passport's scan is frozen with the application, for the officer.
        ids.extend(
            draft
                .place
                .as_ref()
                .and_then(|p| p.previous_passport.as_ref())
                .and_then(|p| p.scan_document_id),
        );
        ids.sort();
        ids.dedup();
        ids
    }

    fn forget_documents(&mut self, exists: &dyn Fn(Uuid) -> bool) -> bool {
        let draft = &mut self.draft;
        let before = draft.clone();
        for ids in draft.documents.values_mut() {
            ids.retain(|id| exists(*id));
        }
        draft.documents.retain(|_, ids| !ids.is_empty());
        draft.additional_document_ids.retain(|id| exists(*id));
        if draft
            .employment
            .employment_contract_document_id
            .is_some_and(|id| !exists(id))
        {
            draft.employment.employment_contract_document_id = None;
        }
        if let Some(previous) = draft
            .place
            .as_mut()
            .and_then(|p| p.previous_passport.as_mut())
            && previous.scan_document_id.is_some_and(|id| !exists(id))
        {
            previous.scan_document_id = None;
        }
        *draft != before
    }

    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(&self.draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::*;
    use std::collections::HashSet;
    use std::sync::Arc;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    fn catalog() -> Arc<ExemptionCatalog> {
        Arc::new(ExemptionCatalog::embedded().unwrap())
    }

    fn input() -> EmploymentInput {
        EmploymentInput {
            occupation_code: Some("9901.02".into()),
            start_date: Some("2026-12-01".into()),
            end_date: Some("2027-02-28".into()),
            certificate_requested: Some(false),
            residential_code: Some("1234567890".into()),
            address_type: Some("residence".into()),
            province: Some("istanbul".into()),
            district: Some("sisli".into()),
            about: Some("Compulsory internship in the software team.".into()),
            has_employer: Some(true),
            sgk_number: Some("28540010111812660342762000".into()),
            monthly_gross_salary: Some(serde_json::json!(0)),
            currency: Some("try".into()),
            employment_contract_document_id: Some("0190b8a2-7c1e-7d3a-9f00-000000000009".into()),
            insurance_paid: Some("domestic".into()),
        }
    }

    fn check(input: &EmploymentInput) -> Result<Employment, Vec<Violation>> {
        let catalog = catalog();
        let reference = Reference::embedded().unwrap();
        let category = catalog.category("compulsory-internship").unwrap().1.clone();
        check_employment(input, &category, &catalog, &reference, TODAY)
    }

    #[test]
    fn a_short_internship_keeps_only_the_answers_that_apply() {
        let employment = check(&input()).unwrap();
        assert_eq!(employment.under_three_months(), Some(true));
        assert_eq!(employment.certificate_requested, Some(false));
        assert!(
            employment.residential_code.is_none(),
            "no card, no address needed"
        );
        assert_eq!(employment.province.as_deref(), Some("İstanbul"));
        assert_eq!(employment.district.as_deref(), Some("Şişli"));
        assert_eq!(employment.currency.as_deref(), Some("TRY"));
        assert_eq!(employment.monthly_gross_salary, Some(Money::ZERO));
        let long = check(&EmploymentInput {
            end_date: Some("2027-05-31".into()),
            ..input()
        })
        .unwrap();
        assert!(long.certificate_requested.is_none());
        assert_eq!(long.residential_code.unwrap().as_str(), "1234567890");
        let no_employer = check(&EmploymentInput {
            has_employer: Some(false),
            ..input()
        })
        .unwrap();
        assert!(
            no_employer.sgk_number.is_none()
                && no_employer.employment_contract_document_id.is_none()
        );
    }

    #[test]
    fn every_bad_employment_value_is_reported_in_form_order() {
        let bad = EmploymentInput {
            occupation_code: Some("1234.56".into()),
            start_date: Some("2026-11-01".into()),
            end_date: Some("2026-10-01".into()),
            residential_code: Some("12345".into()),
            address_type: Some("moon".into()),
            province: Some("Atlantis".into()),
            about: Some("short".into()),
            sgk_number: Some("123".into()),
            monthly_gross_salary: Some(serde_json::json!("a lot")),
            currency: Some("XXX".into()),
            employment_contract_document_id: Some("nope".into()),
            insurance_paid: Some("maybe".into()),
            ..input()
        };
        let codes: Vec<(String, &str)> = check(&bad)
            .unwrap_err()
            .into_iter()
            .map(|v| (v.field, v.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("occupation_code".to_owned(), "occupation-unknown"),
                ("start_date".to_owned(), "start-in-past"),
                ("end_date".to_owned(), "end-before-start"),
                ("residential_code".to_owned(), "address-code-shape"),
                ("address_type".to_owned(), "choice-invalid"),
                ("province".to_owned(), "province-unknown"),
                ("about".to_owned(), "text-too-short"),
                ("sgk_number".to_owned(), "sgk-number-length"),
                ("monthly_gross_salary".to_owned(), "salary-invalid"),
                ("currency".to_owned(), "currency-unknown"),
                (
                    "employment_contract_document_id".to_owned(),
                    "document-invalid"
                ),
                ("insurance_paid".to_owned(), "choice-invalid"),
            ]
        );
        let too_long = check(&EmploymentInput {
            end_date: Some("2027-12-01".into()),
            ..input()
        })
        .unwrap_err();
        assert_eq!(too_long[0].code, "period-too-long");
        assert_eq!(too_long[0].args, [("months", "12".to_owned())]);
        let wrong_district = check(&EmploymentInput {
            district: Some("Çankaya".into()),
            ..input()
        })
        .unwrap_err();
        assert_eq!(wrong_district[0].code, "district-unknown");
    }

    #[test]
    fn fees_follow_the_period_and_the_certificate() {
        let catalog = catalog();
        let fees = &catalog.fees;
        let short = Employment {
            start_date: Some(date!(2026 - 12 - 01)),
            end_date: Some(date!(2027 - 02 - 28)),
            certificate_requested: Some(false),
            ..Default::default()
        };
        assert!(!assess_fees(&short, fees, 2026).is_due());
        let with_certificate = Employment {
            certificate_requested: Some(true),
            ..short.clone()
        };
        assert_eq!(
            assess_fees(&with_certificate, fees, 2026).valuable_paper_fee,
            Money(96_400)
        );
        assert_eq!(
            assess_fees(&with_certificate, fees, 2026).exemption_fee,
            Money::ZERO
        );
        let exactly_three = Employment {
            end_date: Some(date!(2027 - 03 - 01)),
            ..short.clone()
        };
        let assessed = assess_fees(&exactly_three, fees, 2025);
        assert_eq!(assessed.exemption_fee, Money(1_057_160));
        assert_eq!(assessed.valuable_paper_fee, Money(81_000));
        let two_years = Employment {
            end_date: Some(date!(2028 - 06 - 30)),
            ..short
        };
        assert_eq!(
            assess_fees(&two_years, fees, 2025).exemption_fee,
            Money(2 * 1_057_160)
        );
    }

    #[test]
    fn a_revision_reopens_what_follows_the_consent_only() {
        let reopened: Vec<Step> = Step::WIZARD
            .into_iter()
            .filter(|s| s.editable_in(Status::Revision))
            .collect();
        assert_eq!(
            reopened,
            vec![
                Step::Employment,
                Step::Documents,
                Step::Additional,
                Step::Preview
            ]
        );
        assert!(
            Step::WIZARD
                .into_iter()
                .all(|s| s.editable_in(Status::Draft))
        );
        for status in [Status::Submitted, Status::UnderEvaluation, Status::Approval] {
            assert!(
                Step::WIZARD.into_iter().all(|s| !s.editable_in(status)),
                "{status:?}"
            );
        }
        assert!(!Step::Profile.editable_in(Status::Draft));
    }

    #[test]
    fn steps_follow_each_other_and_read_back_from_their_codes() {
        for pair in Step::WIZARD.windows(2) {
            assert_eq!(pair[0].next(), pair[1]);
            assert_eq!(Step::parse(pair[0].code()), Some(pair[0]));
        }
        assert_eq!(Step::Preview.next(), Step::Preview);
        assert_eq!(Step::parse("profile"), None);
        assert_eq!(Step::parse("nonsense"), None);
    }

    #[test]
    fn continue_resumes_at_the_first_required_step_left() {
        let catalog = catalog();
        let mut draft = Draft::default();
        assert_eq!(draft.resume_at(&catalog), Step::Place);
        draft.place = Some(PlaceRecord {
            place: Place::Domestic,
            residence_right: true,
            passport_number: None,
            passport_country: None,
            reference_number: None,
            checked_on: Some(TODAY),
            entered_on: None,
            birth_year: None,
            previous_passport: None,
        });
        draft.category = "compulsory-internship".into();
        assert_eq!(draft.resume_at(&catalog), Step::Consent);
        assert!(draft.step_complete(Step::Category, &catalog));
        assert!(!draft.step_complete(Step::Additional, &catalog));
    }

    #[test]
    fn amounts_name_their_account_and_whether_the_rates_are_published() {
        let catalog = catalog();
        let fees = &catalog.fees;
        let year_long = Employment {
            start_date: Some(date!(2025 - 12 - 01)),
            end_date: Some(date!(2026 - 11 - 30)),
            certificate_requested: Some(false),
            ..Default::default()
        };
        let published = assess_fees(&year_long, fees, 2025).amounts(fees);
        let shape: Vec<_> = published
            .iter()
            .map(|a| {
                (
                    a.kind,
                    a.account_code.as_str(),
                    a.amount.decimal(),
                    a.published,
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (FeeKind::ExemptionFee, "9280", "10571.60".to_owned(), true),
                (FeeKind::ValuablePaperFee, "9268", "810.00".to_owned(), true),
            ]
        );
        assert!(
            published
                .iter()
                .all(|a| a.currency == "TRY" && a.year == 2025)
        );
        // 2026's rates are an estimate, and a year with no table of its own is charged at the
        // latest known rates without claiming they are published.
        for year in [2026, 2031] {
            let amounts = assess_fees(&year_long, fees, year).amounts(fees);
            assert_eq!(amounts.len(), 2);
            assert!(
                amounts.iter().all(|a| !a.published && a.year == year),
                "{year}"
            );
        }
        // Nothing to pay is no amount at all.
        let short = Employment {
            end_date: Some(date!(2026 - 01 - 31)),
            ..year_long
        };
        assert!(assess_fees(&short, fees, 2025).amounts(fees).is_empty());
    }

    fn complete_profile() -> Profile {
        let reference = Reference::embedded().unwrap();
        let ctx = RuleContext {
            today: TODAY,
            reference: &reference,
        };
        let doc = Some("0190b8a2-7c1e-7d3a-9f00-000000000001".to_owned());
        Profile {
            personal: PersonalSection::from_input(
                &PersonalInput {
                    first_name: Some("Ayşe".into()),
                    last_name: Some("Yılmaz".into()),
                    gender: Some("female".into()),
                    father_name: Some("Ali".into()),
                    mother_name: Some("Fatma".into()),
                    marital_status: Some("single".into()),
                    place_of_birth: Some("Bakı".into()),
                    nationality: Some("AZE".into()),
                    date_of_birth: Some("1999-01-01".into()),
                    photo_document_id: doc.clone(),
                    ..Default::default()
                },
                &ctx,
            )
            .unwrap(),
            contact: ContactSection::from_input(
                &ContactInput {
                    phone: Some("+905321234567".into()),
                    address: Some("Kızılay Mh. No 1, Ankara".into()),
                    ..Default::default()
                },
                &ctx,
            )
            .unwrap(),
            passport: PassportSection::from_input(
                &PassportInput {
                    passport_type: Some("ordinary".into()),
                    passport_number: Some("C01X00T47".into()),
                    issuing_country: Some("DEU".into()),
                    expiry_date: Some("2027-06-30".into()),
                    scan_document_id: doc.clone(),
                },
                &ctx,
            )
            .unwrap(),
            education: EducationSection::from_input(
                &EducationInput {
                    native_language: Some("aze".into()),
                    education_level: Some("secondary".into()),
                    diploma_document_id: doc,
                    ..Default::default()
                },
                &ctx,
            )
            .unwrap(),
            verified: Default::default(),
        }
    }

    fn ready_draft() -> (Draft, HashSet<Uuid>) {
        let employment = check(&input()).unwrap();
        let doc = Uuid::parse_str("0190b8a2-7c1e-7d3a-9f00-000000000009").unwrap();
        let mut documents = BTreeMap::new();
        for slot in [
            "student-id",
            "mandatory-internship-certificate",
            "internship-application-form",
        ] {
            documents.insert(slot.to_owned(), vec![doc]);
        }
        let draft = Draft {
            category: "compulsory-internship".into(),
            place: Some(PlaceRecord {
                place: Place::Domestic,
                residence_right: true,
                passport_number: None,
                passport_country: None,
                reference_number: None,
                checked_on: Some(TODAY),
                entered_on: None,
                birth_year: None,
                previous_passport: None,
            }),
            consent: Some(Consent {
                version: "2026-11-01".into(),
                given_at: time::macros::datetime!(2026-11-22 10:00 UTC),
            }),
            employment,
            documents,
            other_information: None,
            additional_document_ids: Vec::new(),
        };
        (draft, [doc].into())
    }

    fn failures(
        draft: &Draft,
        profile: &Profile,
        documents: &HashSet<Uuid>,
        other_pending: bool,
        previous: Vec<crate::application::PreviousExemption>,
    ) -> Vec<&'static str> {
        let kind = WorkPermitExemption { catalog: catalog() };
        let ctx = SubmissionContext {
            today: TODAY,
            profile,
            other_pending,
            previous_exemptions: previous,
            documents,
        };
        kind.failures(draft, &ctx)
            .into_iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn a_short_exemption_with_a_certificate_asks_where_to_send_it() {
        let with_certificate = check(&EmploymentInput {
            certificate_requested: Some(true),
            ..input()
        })
        .unwrap();
        assert_eq!(with_certificate.under_three_months(), Some(true));
        assert_eq!(with_certificate.document_sent(), Some(true));
        assert_eq!(
            with_certificate
                .residential_code
                .as_ref()
                .map(|c| c.as_str().to_owned()),
            Some("1234567890".to_owned()),
            "the certificate is sent by cargo: the address is kept"
        );
        assert_eq!(with_certificate.address_type, Some(AddressType::Residence));

        let (mut draft, documents) = ready_draft();
        draft.employment = check(&EmploymentInput {
            certificate_requested: Some(true),
            residential_code: None,
            address_type: None,
            ..input()
        })
        .unwrap();
        let kind = WorkPermitExemption { catalog: catalog() };
        let profile = complete_profile();
        let ctx = SubmissionContext {
            today: TODAY,
            profile: &profile,
            other_pending: false,
            previous_exemptions: Vec::new(),
            documents: &documents,
        };
        let missing: Vec<_> = kind
            .failures(&draft, &ctx)
            .into_iter()
            .map(|f| (f.code, f.field))
            .collect();
        assert_eq!(
            missing,
            [
                ("rule-field-missing", Some("residential_code")),
                ("rule-field-missing", Some("address_type")),
            ]
        );
    }

    #[test]
    fn a_domestic_application_on_an_entry_is_made_within_thirty_days_of_it() {
        let (mut draft, documents) = ready_draft();
        let profile = complete_profile();
        let entry = |entered_on: Option<Date>| PlaceRecord {
            place: Place::Domestic,
            residence_right: false,
            passport_number: PassportNumber::parse("C01X00T47").ok(),
            passport_country: CountryCode::parse("DEU").ok(),
            reference_number: None,
            checked_on: Some(TODAY),
            entered_on,
            birth_year: Some(1999),
            previous_passport: None,
        };
        // The day of entry is day 0; day 30 is the last day.
        draft.place = Some(entry(Some(TODAY - time::Duration::days(30))));
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            Vec::<&str>::new()
        );
        draft.place = Some(entry(Some(TODAY - time::Duration::days(31))));
        let kind = WorkPermitExemption { catalog: catalog() };
        let ctx = SubmissionContext {
            today: TODAY,
            profile: &profile,
            other_pending: false,
            previous_exemptions: Vec::new(),
            documents: &documents,
        };
        let refused = kind.failures(&draft, &ctx);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0].code, "rule-entry-deadline-passed");
        assert_eq!(refused[0].step, Step::Place);
        assert_eq!(
            refused[0].args,
            [
                ("days", "30".to_owned()),
                ("entered", "2026-10-22".to_owned()),
                ("last_day", "2026-11-21".to_owned()),
            ]
        );
        // Confirmed before the entry day was kept: confirm again.
        draft.place = Some(entry(None));
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            ["rule-place-confirm-again"]
        );
        // A residence right or a consulate reference is not an entry: no deadline.
        draft.place = Some(PlaceRecord {
            residence_right: true,
            ..entry(Some(TODAY - time::Duration::days(400)))
        });
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            Vec::<&str>::new()
        );
    }

    fn fields(passport: Option<(&str, &str)>, previous: Option<(&str, &str)>) -> PlaceFields {
        PlaceFields {
            place: Place::Domestic,
            passport_number: passport.map(|(n, _)| PassportNumber::parse(n).unwrap()),
            passport_country: passport.map(|(_, c)| CountryCode::parse(c).unwrap()),
            reference_number: None,
            previous_passport: previous.map(|(n, c)| PreviousPassport {
                number: PassportNumber::parse(n).unwrap(),
                country: CountryCode::parse(c).unwrap(),
                scan_document_id: Some(Uuid::from_u128(7)),
            }),
        }
    }

    fn codes(result: Result<EntryQuery, Vec<Violation>>) -> Vec<&'static str> {
        result.unwrap_err().into_iter().map(|v| v.code).collect()
    }

    #[test]
    fn the_entry_is_looked_up_with_the_applicants_own_passport_and_birth_year() {
        // User Information: passport C01X00T47 issued by DEU, born 1999.
        let profile = complete_profile();
        // Someone else's passport is refused before any registry is asked (the finding).
        let refused = entry_query(&fields(Some(("U7654321", "AZE")), None), &profile);
        let violation = refused.clone().unwrap_err().remove(0);
        assert_eq!(violation.code, "passport-not-yours");
        assert_eq!(violation.field, "passport_number");
        assert_eq!(
            violation.args,
            [
                ("passport", "C01X00T47".to_owned()),
                ("country", "DEU".to_owned())
            ],
            "the message names the passport to use"
        );
        // The right number of another country is another passport.
        assert_eq!(
            codes(entry_query(
                &fields(Some(("C01X00T47", "FRA")), None),
                &profile
            )),
            ["passport-not-yours"]
        );
        // The applicant's own passport, typed or left out, with their own birth year.
        for given in [Some(("C01X00T47", "DEU")), None] {
            let query = entry_query(&fields(given, None), &profile).unwrap();
            assert_eq!(query.passport_number.as_str(), "C01X00T47");
            assert_eq!(query.passport_country.as_str(), "DEU");
            assert_eq!(query.birth_year, 1999);
            assert_eq!(query.field(), "passport_number");
        }
        // Renewed after entering: the declared previous passport is the one looked up, whether
        // the old shape names it, names the current one, or is left out.
        for given in [None, Some(("P1234567", "DEU")), Some(("C01X00T47", "DEU"))] {
            let query = entry_query(&fields(given, Some(("P1234567", "DEU"))), &profile).unwrap();
            assert_eq!(query.passport_number.as_str(), "P1234567", "{given:?}");
            assert_eq!(query.birth_year, 1999);
            assert_eq!(query.field(), "previous_passport.number");
        }
        // A declaration does not open the door to a third passport.
        assert_eq!(
            codes(entry_query(
                &fields(Some(("U7654321", "AZE")), Some(("P1234567", "DEU"))),
                &profile
            )),
            ["passport-not-yours"]
        );
        // The current passport is not a previous one.
        assert_eq!(
            codes(entry_query(
                &fields(None, Some(("C01X00T47", "DEU"))),
                &profile
            )),
            ["previous-passport-is-current"]
        );
        // Without a country of issue or a date of birth there is nothing to check against.
        let mut no_country = profile.clone();
        no_country.passport.issuing_country = None;
        let mut no_birth = profile.clone();
        no_birth.personal.date_of_birth = None;
        for incomplete in [no_country, no_birth] {
            assert_eq!(
                codes(entry_query(&fields(None, None), &incomplete)),
                ["entry-needs-profile"]
            );
        }
    }

    #[test]
    fn a_previous_passport_is_declared_whole_and_only_at_home() {
        let reference = Reference::embedded().unwrap();
        let declared = |previous: PreviousPassportInput, place: &str| {
            check_place(
                &PlaceInput {
                    place: Some(place.into()),
                    previous_passport: Some(previous),
                    ..Default::default()
                },
                &reference,
            )
        };
        let errors = declared(PreviousPassportInput::default(), "domestic").unwrap_err();
        assert_eq!(
            errors
                .iter()
                .map(|v| (v.field.as_str(), v.code))
                .collect::<Vec<_>>(),
            [
                ("previous_passport.number", "text-empty"),
                ("previous_passport.country", "choice-required"),
                (
                    "previous_passport.scan_document_id",
                    "previous-passport-scan-required"
                ),
            ]
        );
        let bad = PreviousPassportInput {
            number: Some("A1".into()),
            country: Some("XXX".into()),
            scan_document_id: Some("not-an-id".into()),
        };
        assert_eq!(
            declared(bad.clone(), "domestic")
                .unwrap_err()
                .iter()
                .map(|v| v.code)
                .collect::<Vec<_>>(),
            [
                "passport-number-shape",
                "country-unknown",
                "document-invalid"
            ]
        );
        // Abroad, nothing is looked up by passport: the declaration is ignored.
        let abroad = check_place(
            &PlaceInput {
                place: Some("abroad".into()),
                reference_number: Some("2026ABCD12340101".into()),
                previous_passport: Some(bad),
                ..Default::default()
            },
            &reference,
        )
        .unwrap();
        assert_eq!(abroad.previous_passport, None);
        let good = declared(
            PreviousPassportInput {
                number: Some("p 1234567".into()),
                country: Some("deu".into()),
                scan_document_id: Some("0190b8a2-7c1e-7d3a-9f00-000000000009".into()),
            },
            "domestic",
        )
        .unwrap()
        .previous_passport
        .unwrap();
        assert_eq!(good.number.as_str(), "P1234567");
        assert_eq!(good.country.as_str(), "DEU");
        assert!(good.scan_document_id.is_some());
    }

    #[test]
    fn an_entry_must_still_be_the_applicants_when_the_application_is_created() {
        let (mut draft, mut documents) = ready_draft();
        let profile = complete_profile();
        let scan = Uuid::from_u128(42);
        let entry = PlaceRecord {
            place: Place::Domestic,
            residence_right: false,
            passport_number: PassportNumber::parse("C01X00T47").ok(),
            passport_country: CountryCode::parse("DEU").ok(),
            reference_number: None,
            checked_on: Some(TODAY),
            entered_on: Some(TODAY - time::Duration::days(3)),
            birth_year: Some(1999),
            previous_passport: None,
        };
        draft.place = Some(entry.clone());
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            Vec::<&str>::new()
        );
        // Confirmed before entries were tied to the applicant: confirm again.
        draft.place = Some(PlaceRecord {
            birth_year: None,
            ..entry.clone()
        });
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            ["rule-place-confirm-again"]
        );
        // User Information changed since: another passport, or another year of birth.
        draft.place = Some(entry.clone());
        let mut other_passport = profile.clone();
        other_passport.passport.passport_number = PassportNumber::parse("U7654321").ok();
        let mut other_country = profile.clone();
        other_country.passport.issuing_country = CountryCode::parse("AUT").ok();
        let mut other_birth = profile.clone();
        other_birth.personal.date_of_birth = Some(date!(1990 - 01 - 01));
        for changed in [&other_passport, &other_country, &other_birth] {
            assert_eq!(
                failures(&draft, changed, &documents, false, Vec::new()),
                ["rule-place-check-outdated"]
            );
        }
        // Entered with a previous passport: the renewed one in User Information is expected,
        // the birth year still counts, and the scan must still be there.
        draft.place = Some(PlaceRecord {
            passport_number: PassportNumber::parse("P1234567").ok(),
            previous_passport: Some(PreviousPassport {
                number: PassportNumber::parse("P1234567").unwrap(),
                country: CountryCode::parse("DEU").unwrap(),
                scan_document_id: Some(scan),
            }),
            ..entry
        });
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            ["rule-previous-passport-scan-missing"]
        );
        documents.insert(scan);
        assert_eq!(
            failures(&draft, &profile, &documents, false, Vec::new()),
            Vec::<&str>::new()
        );
        assert_eq!(
            failures(&draft, &other_birth, &documents, false, Vec::new()),
            ["rule-place-check-outdated"]
        );
        // The scan is part of the application, and forgotten when deleted from Documents.
        let kind = WorkPermitExemption { catalog: catalog() };
        let mut read = kind.read(&serde_json::to_value(&draft).unwrap()).unwrap();
        assert!(read.cited_documents().contains(&scan));
        assert!(read.forget_documents(&|id| id != scan));
        assert!(
            !read.forget_documents(&|id| id != scan),
            "nothing left to forget"
        );
        let data = read.to_stored().unwrap();
        let after: Draft = serde_json::from_value(data.clone()).unwrap();
        let previous = after.place.unwrap().previous_passport.unwrap();
        assert_eq!(previous.scan_document_id, None);
        assert_eq!(
            previous.number.as_str(),
            "P1234567",
            "the declaration stays"
        );
        assert!(!read.cited_documents().contains(&scan));
        documents.remove(&scan);
        let forgotten: Draft = serde_json::from_value(data).unwrap();
        assert_eq!(
            failures(&forgotten, &profile, &documents, false, Vec::new()),
            ["rule-previous-passport-scan-missing"]
        );
    }

    #[test]
    fn a_negative_salary_is_told_it_is_negative() {
        for raw in [serde_json::json!(-100), serde_json::json!(" -2500.50 ")] {
            let refused = check(&EmploymentInput {
                monthly_gross_salary: Some(raw.clone()),
                ..input()
            })
            .unwrap_err();
            assert_eq!(refused[0].code, "salary-negative", "{raw}");
        }
        let refused = check(&EmploymentInput {
            monthly_gross_salary: Some(serde_json::json!("twelve")),
            ..input()
        })
        .unwrap_err();
        assert_eq!(refused[0].code, "salary-invalid");
    }

    #[test]
    fn the_internship_admits_only_the_intern_occupation() {
        let refused = check(&EmploymentInput {
            occupation_code: Some("1219.01".into()),
            ..input()
        })
        .unwrap_err();
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert_eq!(refused[0].field, "occupation_code");
        assert_eq!(refused[0].code, "occupation-not-for-category");
        assert_eq!(refused[0].args, [("codes", "9901.02".to_owned())]);
        // Another category takes any occupation of the list.
        let catalog = catalog();
        let reference = Reference::embedded().unwrap();
        let research = catalog
            .category("research-and-experience")
            .unwrap()
            .1
            .clone();
        let employment = check_employment(
            &EmploymentInput {
                occupation_code: Some("1219.01".into()),
                ..input()
            },
            &research,
            &catalog,
            &reference,
            TODAY,
        )
        .unwrap();
        assert_eq!(
            employment.occupation_code.map(|c| c.as_str().to_owned()),
            Some("1219.01".to_owned())
        );

        // A draft that holds another occupation (saved under another category) is refused at
        // "Create My Application".
        let (mut draft, documents) = ready_draft();
        draft.employment.occupation_code = Some(OccupationCode::parse("1219.01").unwrap());
        assert_eq!(
            failures(&draft, &complete_profile(), &documents, false, Vec::new()),
            ["rule-occupation-not-for-category"]
        );
    }

    #[test]
    fn a_ready_application_passes_every_rule() {
        let (draft, documents) = ready_draft();
        assert_eq!(
            failures(&draft, &complete_profile(), &documents, false, Vec::new()),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn each_rule_fails_on_its_own() {
        let (draft, documents) = ready_draft();
        let profile = complete_profile();
        let mut incomplete = profile.clone();
        incomplete.contact.phone = None;
        assert_eq!(
            failures(&draft, &incomplete, &documents, false, Vec::new()),
            ["rule-profile-incomplete"]
        );
        let no_place = Draft {
            place: None,
            ..draft.clone()
        };
        assert_eq!(
            failures(&no_place, &profile, &documents, false, Vec::new()),
            ["rule-place-missing"]
        );
        let no_consent = Draft {
            consent: None,
            ..draft.clone()
        };
        assert_eq!(
            failures(&no_consent, &profile, &documents, false, Vec::new()),
            ["rule-consent-missing"]
        );
        let past = Draft {
            employment: Employment {
                start_date: Some(date!(2026 - 11 - 21)),
                end_date: Some(date!(2027 - 02 - 10)),
                ..draft.employment.clone()
            },
            ..draft.clone()
        };
        assert_eq!(
            failures(&past, &profile, &documents, false, Vec::new()),
            ["rule-start-in-past"]
        );
        let backwards = Draft {
            employment: Employment {
                end_date: Some(date!(2026 - 11 - 30)),
                ..draft.employment.clone()
            },
            ..draft.clone()
        };
        assert_eq!(
            failures(&backwards, &profile, &documents, false, Vec::new()),
            ["rule-end-before-start"]
        );
        let long = Draft {
            employment: Employment {
                end_date: Some(date!(2027 - 12 - 01)),
                residential_code: Some(AddressCode::parse("1234567890").unwrap()),
                address_type: Some(AddressType::Residence),
                ..draft.employment.clone()
            },
            ..draft.clone()
        };
        let mut long_profile = profile.clone();
        long_profile.passport.expiry_date = Some(date!(2030 - 01 - 01));
        assert_eq!(
            failures(&long, &long_profile, &documents, false, Vec::new()),
            ["rule-period-too-long"]
        );
        let mut soon = profile.clone();
        soon.passport.expiry_date = Some(date!(2027 - 04 - 28));
        assert_eq!(
            failures(&draft, &soon, &documents, false, Vec::new()),
            ["rule-passport-expires-too-soon"]
        );
        soon.passport.expiry_date = Some(date!(2027 - 04 - 29));
        assert!(
            failures(&draft, &soon, &documents, false, Vec::new()).is_empty(),
            "exactly 60 days is enough"
        );
        assert_eq!(
            failures(&draft, &profile, &documents, true, Vec::new()),
            ["rule-other-application-pending"]
        );
        let recent = vec![crate::application::PreviousExemption {
            category: "compulsory-internship".into(),
            ended_on: date!(2026 - 06 - 30),
        }];
        assert_eq!(
            failures(&draft, &profile, &documents, false, recent),
            ["rule-waiting-period"]
        );
        let long_ago = vec![crate::application::PreviousExemption {
            category: "compulsory-internship".into(),
            ended_on: date!(2025 - 11 - 22),
        }];
        assert!(failures(&draft, &profile, &documents, false, long_ago).is_empty());
        let other_category = vec![crate::application::PreviousExemption {
            category: "sports-activities".into(),
            ended_on: date!(2026 - 10 - 30),
        }];
        assert!(failures(&draft, &profile, &documents, false, other_category).is_empty());
        let mut missing_document = draft.clone();
        missing_document.documents.remove("student-id");
        assert_eq!(
            failures(&missing_document, &profile, &documents, false, Vec::new()),
            ["rule-document-missing"]
        );
        let deleted = HashSet::new();
        let codes = failures(&draft, &profile, &deleted, false, Vec::new());
        assert!(
            codes.contains(&"rule-employer-incomplete")
                && codes
                    .iter()
                    .filter(|c| **c == "rule-document-missing")
                    .count()
                    == 3,
            "{codes:?}"
        );
        let no_salary = Draft {
            employment: Employment {
                monthly_gross_salary: None,
                ..draft.employment.clone()
            },
            ..draft.clone()
        };
        assert_eq!(
            failures(&no_salary, &profile, &documents, false, Vec::new()),
            ["rule-employer-incomplete"]
        );
        let unanswered = Draft {
            employment: Employment {
                certificate_requested: None,
                ..draft.employment.clone()
            },
            ..draft.clone()
        };
        assert_eq!(
            failures(&unanswered, &profile, &documents, false, Vec::new()),
            ["rule-field-missing"]
        );
    }

    #[test]
    fn the_engine_reads_the_draft_through_the_kind() {
        let (draft, _) = ready_draft();
        let kind = WorkPermitExemption { catalog: catalog() };
        let read = kind.read(&serde_json::to_value(&draft).unwrap()).unwrap();
        assert_eq!(read.category().as_deref(), Some("compulsory-internship"));
        assert_eq!(
            read.period(),
            (Some(date!(2026 - 12 - 01)), Some(date!(2027 - 02 - 28)))
        );
        assert_eq!(read.cited_documents().len(), 1);
        assert!(!read.fees(2026).unwrap().is_due());
        let back: Draft = serde_json::from_value(read.to_stored().unwrap()).unwrap();
        assert_eq!(back, draft);
    }

    #[test]
    fn a_saved_step_shown_again_and_resent_stays_the_same() {
        let saved = check(&input()).unwrap();
        let shown = EmploymentInput::from(&saved);
        assert_eq!(check(&shown).unwrap(), saved);
        let mut long = input();
        long.end_date = Some("2027-10-31".into());
        let saved = check(&long).unwrap();
        assert!(saved.residential_code.is_some() && saved.certificate_requested.is_none());
        assert_eq!(check(&EmploymentInput::from(&saved)).unwrap(), saved);
    }

    #[test]
    fn deleted_documents_are_forgotten_everywhere_and_nothing_else_changes() {
        let (mut draft, _) = ready_draft();
        let kept = Uuid::from_u128(1);
        let gone = Uuid::parse_str("0190b8a2-7c1e-7d3a-9f00-000000000009").unwrap();
        draft
            .documents
            .insert("student-id".to_owned(), vec![kept, gone]);
        draft.additional_document_ids = vec![gone, kept];
        assert_eq!(draft.employment.employment_contract_document_id, Some(gone));
        let kind = WorkPermitExemption { catalog: catalog() };
        let untouched = serde_json::to_value(&draft).unwrap();
        let mut read = kind.read(&untouched).unwrap();
        assert!(!read.forget_documents(&|_| true));
        assert_eq!(
            read.to_stored().unwrap(),
            untouched,
            "nothing to forget changes nothing"
        );

        assert!(read.forget_documents(&|id| id != gone));
        let after: Draft = serde_json::from_value(read.to_stored().unwrap()).unwrap();
        assert_eq!(after.documents.get("student-id"), Some(&vec![kept]));
        assert!(
            !after
                .documents
                .contains_key("mandatory-internship-certificate")
        );
        assert!(!after.documents.contains_key("internship-application-form"));
        assert_eq!(after.additional_document_ids, vec![kept]);
        assert_eq!(after.employment.employment_contract_document_id, None);
        assert_eq!(read.cited_documents(), vec![kept]);
        assert_eq!(after.category, draft.category);
        assert_eq!(after.place, draft.place);
        assert_eq!(after.consent, draft.consent);
        assert_eq!(after.employment.start_date, draft.employment.start_date);
    }

    #[test]
    fn places_are_checked_for_shape() {
        let reference = Reference::embedded().unwrap();
        assert!(
            check_place(
                &PlaceInput {
                    place: Some("domestic".into()),
                    ..Default::default()
                },
                &reference
            )
            .is_ok()
        );
        let abroad = check_place(
            &PlaceInput {
                place: Some("abroad".into()),
                reference_number: Some("2026abcd12340101".into()),
                ..Default::default()
            },
            &reference,
        )
        .unwrap();
        assert_eq!(
            abroad.reference_number.unwrap().as_str(),
            "2026ABCD12340101"
        );
        let errors = check_place(
            &PlaceInput {
                place: Some("abroad".into()),
                reference_number: Some("short".into()),
                ..Default::default()
            },
            &reference,
        )
        .unwrap_err();
        assert_eq!(errors[0].code, "reference-number-shape");
        assert_eq!(
            check_place(&PlaceInput::default(), &reference).unwrap_err()[0].code,
            "choice-required"
        );
    }
}
