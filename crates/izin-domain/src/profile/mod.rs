//! User Information: the four sections a foreigner fills once and every
//! application reuses — personal, contact, passport and education information.
//!
//! A section may be saved incomplete (nothing typed is lost), but every value it holds is valid:
//! `from_input` checks all fields and reports every invalid one. What is still missing is a
//! separate question, answered by `missing`, because an application needs complete sections.

use crate::calendar::{add_years, iso_date, parse_date};
use crate::email::EmailAddress;
use crate::identifiers::{ForeignerId, IdError, PassportNumber, PhoneNumber, TrIdentityNumber};
use crate::reference::{EducationLevel, Gender, MaritalStatus, PassportType, TurkishLevel};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use time::Date;
use uuid::Uuid;

mod fields;

pub use fields::*;

/// Collects violations while reading one input.
struct Checker<'a> {
    ctx: &'a RuleContext<'a>,
    violations: Vec<Violation>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl<'a> Checker<'a> {
    fn new(ctx: &'a RuleContext<'a>) -> Self {
        Self {
            ctx,
            violations: Vec::new(),
        }
    }

    fn fail(&mut self, field: &str, code: &'static str) {
        self.violations.push(Violation::new(field, code));
    }

    fn name(&mut self, field: &str, value: &Option<String>) -> Option<PersonName> {
        let raw = present(value)?;
        PersonName::parse(raw)
            .map_err(|e| self.fail(field, e.code()))
            .ok()
    }

    fn text(
        &mut self,
        field: &str,
        value: &Option<String>,
        min: usize,
        max: usize,
    ) -> Option<FreeText> {
        let raw = present(value)?;
        match FreeText::parse(raw, min, max) {
            Ok(text) => Some(text),
            Err(e) => {
                self.violations.push(e.violation(field, min, max));
                None
            }
        }
    }

    fn choice<T>(
        &mut self,
        field: &str,
        value: &Option<String>,
        parse: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let raw = present(value)?;
        parse(raw).or_else(|| {
            self.fail(field, "choice-invalid");
            None
        })
    }

    fn country(&mut self, field: &str, value: &Option<String>) -> Option<CountryCode> {
        let raw = present(value)?;
        CountryCode::known(raw, self.ctx.reference)
            .map_err(|_| self.fail(field, "country-unknown"))
            .ok()
    }

    fn language(&mut self, field: &str, raw: &str) -> Option<LanguageCode> {
        LanguageCode::known(raw, self.ctx.reference)
            .map_err(|_| self.fail(field, "language-unknown"))
            .ok()
    }

    fn date(&mut self, field: &str, value: &Option<String>) -> Option<Date> {
        let raw = present(value)?;
        parse_date(raw).or_else(|| {
            self.fail(field, "date-invalid");
            None
        })
    }

    fn identifier<T>(
        &mut self,
        field: &str,
        value: &Option<String>,
        parse: fn(&str) -> Result<T, IdError>,
        prefix: &'static str,
    ) -> Option<T> {
        let raw = present(value)?;
        match parse(raw) {
            Ok(id) => Some(id),
            Err(e) => {
                let code = match (prefix, e) {
                    ("tr-id", IdError::Checksum) => "tr-id-checksum",
                    ("tr-id", IdError::NotForeigner) => "tr-id-not-foreigner",
                    ("tr-id", _) => "tr-id-shape",
                    ("phone", IdError::Invalid) => "phone-invalid",
                    ("phone", _) => "phone-shape",
                    ("passport", _) => "passport-number-shape",
                    _ => "value-invalid",
                };
                self.fail(field, code);
                None
            }
        }
    }

    fn document(&mut self, field: &str, value: &Option<String>) -> Option<Uuid> {
        let raw = present(value)?;
        Uuid::parse_str(raw)
            .map_err(|_| self.fail(field, "document-invalid"))
            .ok()
    }

    /// Ends the check; violations are listed in the order the fields appear in the form.
    fn finish<T>(mut self, value: T, order: &[&str]) -> Result<T, Vec<Violation>> {
        let rank = |field: &str| {
            let base = field.split('[').next().unwrap_or(field);
            order.iter().position(|f| *f == base).unwrap_or(order.len())
        };
        self.violations.sort_by_key(|v| rank(&v.field));
        if self.violations.is_empty() {
            Ok(value)
        } else {
            Err(self.violations)
        }
    }
}

// The fields of each section in the order the forms show them; problems are reported
// in this order, so the error summary reads like the form.
const PERSONAL_FIELDS: &[&str] = &[
    "photo_document_id",
    "first_name",
    "last_name",
    "gender",
    "father_name",
    "mother_name",
    "marital_status",
    "place_of_birth",
    "nationality",
    "date_of_birth",
    "foreigner_id",
    "spouse.first_name",
    "spouse.last_name",
    "spouse.nationality",
    "spouse.tr_id",
];
const CONTACT_FIELDS: &[&str] = &["email", "phone", "address", "second_email", "second_phone"];
const PASSPORT_FIELDS: &[&str] = &[
    "passport_type",
    "passport_number",
    "issuing_country",
    "expiry_date",
    "scan_document_id",
];
const EDUCATION_FIELDS: &[&str] = &[
    "native_language",
    "known_languages",
    "turkish_level",
    "turkish_proof_document_id",
    "education_level",
    "high_school",
    "university",
    "postgraduate",
    "diploma_document_id",
];

// ---------------------------------------------------------------- personal

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SpouseInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub nationality: Option<String>,
    pub tr_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonalInput {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub gender: Option<String>,
    pub father_name: Option<String>,
    pub mother_name: Option<String>,
    pub marital_status: Option<String>,
    pub place_of_birth: Option<String>,
    pub nationality: Option<String>,
    pub date_of_birth: Option<String>,
    pub foreigner_id: Option<String>,
    pub photo_document_id: Option<String>,
    pub spouse: Option<SpouseInput>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spouse {
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub nationality: Option<CountryCode>,
    pub tr_id: Option<TrIdentityNumber>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalSection {
    pub first_name: Option<PersonName>,
    pub last_name: Option<PersonName>,
    pub gender: Option<Gender>,
    pub father_name: Option<PersonName>,
    pub mother_name: Option<PersonName>,
    pub marital_status: Option<MaritalStatus>,
    pub place_of_birth: Option<FreeText>,
    pub nationality: Option<CountryCode>,
    #[serde(with = "iso_date", default)]
    pub date_of_birth: Option<Date>,
    pub foreigner_id: Option<ForeignerId>,
    pub photo_document_id: Option<Uuid>,
    pub spouse: Option<Spouse>,
}

/// The youngest age at which a foreigner may apply.
pub const MINIMUM_AGE: i32 = 15;

impl PersonalSection {
    pub fn from_input(
        input: &PersonalInput,
        ctx: &RuleContext<'_>,
    ) -> Result<Self, Vec<Violation>> {
        let mut c = Checker::new(ctx);
        let marital_status = c.choice(
            "marital_status",
            &input.marital_status,
            MaritalStatus::parse,
        );
        let date_of_birth = c.date("date_of_birth", &input.date_of_birth);
        if let Some(born) = date_of_birth {
            if born > ctx.today {
                c.fail("date_of_birth", "date-in-future");
            } else if add_years(born, MINIMUM_AGE) > ctx.today {
                c.violations.push(
                    Violation::new("date_of_birth", "age-under-minimum")
                        .arg("years", MINIMUM_AGE.to_string()),
                );
            }
        }
        let spouse = match (marital_status, &input.spouse) {
            // Spouse details belong to married applicants only; others have none to keep.
            (Some(MaritalStatus::Married), Some(spouse)) => Some(Spouse {
                first_name: c.name("spouse.first_name", &spouse.first_name),
                last_name: c.name("spouse.last_name", &spouse.last_name),
                nationality: c.country("spouse.nationality", &spouse.nationality),
                tr_id: c.identifier(
                    "spouse.tr_id",
                    &spouse.tr_id,
                    TrIdentityNumber::parse,
                    "tr-id",
                ),
            }),
            _ => None,
        };
        let section = PersonalSection {
            first_name: c.name("first_name", &input.first_name),
            last_name: c.name("last_name", &input.last_name),
            gender: c.choice("gender", &input.gender, Gender::parse),
            father_name: c.name("father_name", &input.father_name),
            mother_name: c.name("mother_name", &input.mother_name),
            marital_status,
            place_of_birth: c.text("place_of_birth", &input.place_of_birth, 2, 100),
            nationality: c.country("nationality", &input.nationality),
            date_of_birth,
            foreigner_id: c.identifier(
                "foreigner_id",
                &input.foreigner_id,
                ForeignerId::parse,
                "tr-id",
            ),
            photo_document_id: c.document("photo_document_id", &input.photo_document_id),
            spouse,
        };
        c.finish(section, PERSONAL_FIELDS)
    }

    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        let mut need = |present: bool, field: &'static str| {
            if !present {
                missing.push(field);
            }
        };
        need(self.photo_document_id.is_some(), "photo_document_id");
        need(self.first_name.is_some(), "first_name");
        need(self.last_name.is_some(), "last_name");
        need(self.gender.is_some(), "gender");
        need(self.father_name.is_some(), "father_name");
        need(self.mother_name.is_some(), "mother_name");
        need(self.marital_status.is_some(), "marital_status");
        need(self.place_of_birth.is_some(), "place_of_birth");
        need(self.nationality.is_some(), "nationality");
        need(self.date_of_birth.is_some(), "date_of_birth");
        if self.marital_status == Some(MaritalStatus::Married) {
            let spouse = self.spouse.clone().unwrap_or_default();
            need(spouse.first_name.is_some(), "spouse.first_name");
            need(spouse.last_name.is_some(), "spouse.last_name");
            need(spouse.nationality.is_some(), "spouse.nationality");
        }
        missing
    }
}

// ---------------------------------------------------------------- contact

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// The sign-in address is shown here but cannot be changed here; a value is ignored.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub second_email: Option<String>,
    pub second_phone: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSection {
    pub phone: Option<PhoneNumber>,
    pub address: Option<FreeText>,
    pub second_email: Option<String>,
    pub second_phone: Option<PhoneNumber>,
}

impl ContactSection {
    pub fn from_input(input: &ContactInput, ctx: &RuleContext<'_>) -> Result<Self, Vec<Violation>> {
        let mut c = Checker::new(ctx);
        let second_email = match present(&input.second_email) {
            Some(raw) => match EmailAddress::parse(raw) {
                Ok(address) => Some(address.as_str().to_owned()),
                Err(e) => {
                    c.fail("second_email", e.code());
                    None
                }
            },
            None => None,
        };
        let section = ContactSection {
            phone: c.identifier("phone", &input.phone, PhoneNumber::parse, "phone"),
            address: c.text("address", &input.address, 10, 500),
            second_email,
            second_phone: c.identifier(
                "second_phone",
                &input.second_phone,
                PhoneNumber::parse,
                "phone",
            ),
        };
        c.finish(section, CONTACT_FIELDS)
    }

    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.phone.is_none() {
            missing.push("phone");
        }
        if self.address.is_none() {
            missing.push("address");
        }
        missing
    }
}

// ---------------------------------------------------------------- passport

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PassportInput {
    pub passport_type: Option<String>,
    pub passport_number: Option<String>,
    /// The country that issued the passport: an ISO 3166-1 alpha-3 code, e.g. `DEU`.
    pub issuing_country: Option<String>,
    pub expiry_date: Option<String>,
    pub scan_document_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportSection {
    pub passport_type: Option<PassportType>,
    pub passport_number: Option<PassportNumber>,
    /// Sections saved before the country of issue was asked have none (and are incomplete).
    #[serde(default)]
    pub issuing_country: Option<CountryCode>,
    #[serde(with = "iso_date", default)]
    pub expiry_date: Option<Date>,
    pub scan_document_id: Option<Uuid>,
}

impl PassportSection {
    pub fn from_input(
        input: &PassportInput,
        ctx: &RuleContext<'_>,
    ) -> Result<Self, Vec<Violation>> {
        let mut c = Checker::new(ctx);
        let expiry_date = c.date("expiry_date", &input.expiry_date);
        if expiry_date.is_some_and(|expiry| expiry <= ctx.today) {
            c.fail("expiry_date", "passport-expired");
        }
        let section = PassportSection {
            passport_type: c.choice("passport_type", &input.passport_type, PassportType::parse),
            passport_number: c.identifier(
                "passport_number",
                &input.passport_number,
                PassportNumber::parse,
                "passport",
            ),
            issuing_country: c.country("issuing_country", &input.issuing_country),
            expiry_date,
            scan_document_id: c.document("scan_document_id", &input.scan_document_id),
        };
        c.finish(section, PASSPORT_FIELDS)
    }

    /// Missing fields, and a passport that has expired since it was saved. Every passport has
    /// a country of issue, and a domestic application checks the entry records with it (a
    /// passport is known by its number together with that country), so it is required.
    pub fn missing(&self, today: Date) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.passport_type.is_none() {
            missing.push("passport_type");
        }
        if self.passport_number.is_none() {
            missing.push("passport_number");
        }
        if self.issuing_country.is_none() {
            missing.push("issuing_country");
        }
        if self.expiry_date.is_none_or(|expiry| expiry <= today) {
            missing.push("expiry_date");
        }
        if self.scan_document_id.is_none() {
            missing.push("scan_document_id");
        }
        missing
    }
}

// ---------------------------------------------------------------- education

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EducationInput {
    pub native_language: Option<String>,
    #[serde(default)]
    pub known_languages: Vec<String>,
    pub turkish_level: Option<String>,
    pub turkish_proof_document_id: Option<String>,
    pub education_level: Option<String>,
    pub high_school: Option<String>,
    pub university: Option<String>,
    pub postgraduate: Option<String>,
    pub diploma_document_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationSection {
    pub native_language: Option<LanguageCode>,
    #[serde(default)]
    pub known_languages: Vec<LanguageCode>,
    pub turkish_level: Option<TurkishLevel>,
    pub turkish_proof_document_id: Option<Uuid>,
    pub education_level: Option<EducationLevel>,
    pub high_school: Option<FreeText>,
    pub university: Option<FreeText>,
    pub postgraduate: Option<FreeText>,
    pub diploma_document_id: Option<Uuid>,
}

impl EducationSection {
    pub fn from_input(
        input: &EducationInput,
        ctx: &RuleContext<'_>,
    ) -> Result<Self, Vec<Violation>> {
        let mut c = Checker::new(ctx);
        let native_language =
            present(&input.native_language).and_then(|raw| c.language("native_language", raw));
        let mut known_languages: Vec<LanguageCode> = Vec::new();
        for (index, raw) in input.known_languages.iter().enumerate() {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            if let Some(code) = c.language(&format!("known_languages[{index}]"), raw)
                && !known_languages.contains(&code)
                && Some(&code) != native_language.as_ref()
            {
                known_languages.push(code);
            }
        }
        let education_level = c.choice(
            "education_level",
            &input.education_level,
            EducationLevel::parse,
        );
        // School names the level does not call for are not kept: they would be shown nowhere.
        let wants = |f: fn(EducationLevel) -> bool| education_level.is_none_or(f);
        let section = EducationSection {
            native_language,
            known_languages,
            turkish_level: c.choice("turkish_level", &input.turkish_level, TurkishLevel::parse),
            turkish_proof_document_id: c.document(
                "turkish_proof_document_id",
                &input.turkish_proof_document_id,
            ),
            education_level,
            high_school: if wants(EducationLevel::needs_high_school) {
                c.text("high_school", &input.high_school, 2, 200)
            } else {
                None
            },
            university: if wants(EducationLevel::needs_university) {
                c.text("university", &input.university, 2, 200)
            } else {
                None
            },
            postgraduate: if wants(EducationLevel::needs_postgraduate) {
                c.text("postgraduate", &input.postgraduate, 2, 200)
            } else {
                None
            },
            diploma_document_id: c.document("diploma_document_id", &input.diploma_document_id),
        };
        c.finish(section, EDUCATION_FIELDS)
    }

    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.native_language.is_none() {
            missing.push("native_language");
        }
        if self.turkish_level.is_some() && self.turkish_proof_document_id.is_none() {
            missing.push("turkish_proof_document_id");
        }
        match self.education_level {
            None => missing.push("education_level"),
            Some(level) => {
                if level.needs_high_school() && self.high_school.is_none() {
                    missing.push("high_school");
                }
                if level.needs_university() && self.university.is_none() {
                    missing.push("university");
                }
                if level.needs_postgraduate() && self.postgraduate.is_none() {
                    missing.push("postgraduate");
                }
            }
        }
        if self.diploma_document_id.is_none() {
            missing.push("diploma_document_id");
        }
        missing
    }
}

// ---------------------------------------------------------------- sections as input again

fn text<T: fmt::Display>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

fn date(value: Option<Date>) -> Option<String> {
    value.map(crate::calendar::format_date)
}

impl From<&PersonalSection> for PersonalInput {
    fn from(s: &PersonalSection) -> Self {
        PersonalInput {
            first_name: text(&s.first_name),
            last_name: text(&s.last_name),
            gender: s.gender.map(|g| g.code().to_owned()),
            father_name: text(&s.father_name),
            mother_name: text(&s.mother_name),
            marital_status: s.marital_status.map(|m| m.code().to_owned()),
            place_of_birth: text(&s.place_of_birth),
            nationality: text(&s.nationality),
            date_of_birth: date(s.date_of_birth),
            foreigner_id: text(&s.foreigner_id),
            photo_document_id: text(&s.photo_document_id),
            spouse: s.spouse.as_ref().map(|sp| SpouseInput {
                first_name: text(&sp.first_name),
                last_name: text(&sp.last_name),
                nationality: text(&sp.nationality),
                tr_id: text(&sp.tr_id),
            }),
        }
    }
}

impl ContactInput {
    pub fn from_section(s: &ContactSection, email: &str) -> Self {
        ContactInput {
            email: Some(email.to_owned()),
            phone: text(&s.phone),
            address: text(&s.address),
            second_email: s.second_email.clone(),
            second_phone: text(&s.second_phone),
        }
    }
}

impl From<&PassportSection> for PassportInput {
    fn from(s: &PassportSection) -> Self {
        PassportInput {
            passport_type: s.passport_type.map(|t| t.code().to_owned()),
            passport_number: text(&s.passport_number),
            issuing_country: text(&s.issuing_country),
            expiry_date: date(s.expiry_date),
            scan_document_id: text(&s.scan_document_id),
        }
    }
}

impl From<&EducationSection> for EducationInput {
    fn from(s: &EducationSection) -> Self {
        EducationInput {
            native_language: text(&s.native_language),
            known_languages: s.known_languages.iter().map(ToString::to_string).collect(),
            turkish_level: s.turkish_level.map(|t| t.code().to_owned()),
            turkish_proof_document_id: text(&s.turkish_proof_document_id),
            education_level: s.education_level.map(|e| e.code().to_owned()),
            high_school: text(&s.high_school),
            university: text(&s.university),
            postgraduate: text(&s.postgraduate),
            diploma_document_id: text(&s.diploma_document_id),
        }
    }
}

// ---------------------------------------------------------------- the whole profile

/// The four sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Personal,
    Contact,
    Passport,
    Education,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Personal,
        Section::Contact,
        Section::Passport,
        Section::Education,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Personal => "personal",
            Section::Contact => "contact",
            Section::Passport => "passport",
            Section::Education => "education",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub personal: PersonalSection,
    pub contact: ContactSection,
    pub passport: PassportSection,
    pub education: EducationSection,
    /// Fields confirmed by a government registry (`personal.first_name`, …): shown, not editable.
    #[serde(default)]
    pub verified: BTreeSet<String>,
}

/// Which sections are complete and what each still lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    pub complete: bool,
    pub sections: Vec<SectionCompleteness>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SectionCompleteness {
    pub section: Section,
    pub complete: bool,
    pub missing: Vec<&'static str>,
}

impl Profile {
    pub fn completeness(&self, today: Date) -> Completeness {
        let sections: Vec<SectionCompleteness> = Section::ALL
            .into_iter()
            .map(|section| {
                let missing = match section {
                    Section::Personal => self.personal.missing(),
                    Section::Contact => self.contact.missing(),
                    Section::Passport => self.passport.missing(today),
                    Section::Education => self.education.missing(),
                };
                SectionCompleteness {
                    section,
                    complete: missing.is_empty(),
                    missing,
                }
            })
            .collect();
        Completeness {
            complete: sections.iter().all(|s| s.complete),
            sections,
        }
    }

    pub fn is_verified(&self, section: Section, field: &str) -> bool {
        self.verified
            .contains(&format!("{}.{field}", section.code()))
    }

    /// Applies a newly checked personal section, keeping registry-verified values as they were.
    pub fn with_personal(&self, mut new: PersonalSection) -> PersonalSection {
        let old = &self.personal;
        let keep = |field: &str| self.is_verified(Section::Personal, field);
        if keep("first_name") {
            new.first_name = old.first_name.clone();
        }
        if keep("last_name") {
            new.last_name = old.last_name.clone();
        }
        if keep("gender") {
            new.gender = old.gender;
        }
        if keep("father_name") {
            new.father_name = old.father_name.clone();
        }
        if keep("mother_name") {
            new.mother_name = old.mother_name.clone();
        }
        if keep("nationality") {
            new.nationality = old.nationality.clone();
        }
        if keep("date_of_birth") {
            new.date_of_birth = old.date_of_birth;
        }
        if keep("foreigner_id") {
            new.foreigner_id = old.foreigner_id.clone();
        }
        if keep("place_of_birth") {
            new.place_of_birth = old.place_of_birth.clone();
        }
        new
    }

    /// Applies a newly checked passport section, keeping registry-verified values.
    pub fn with_passport(&self, mut new: PassportSection) -> PassportSection {
        let old = &self.passport;
        if self.is_verified(Section::Passport, "passport_number") {
            new.passport_number = old.passport_number.clone();
        }
        if self.is_verified(Section::Passport, "passport_type") {
            new.passport_type = old.passport_type;
        }
        if self.is_verified(Section::Passport, "issuing_country") {
            new.issuing_country = old.issuing_country.clone();
        }
        if self.is_verified(Section::Passport, "expiry_date") {
            new.expiry_date = old.expiry_date;
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Reference;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn free_text_refuses_control_characters_instead_of_dropping_them() {
        assert_eq!(
            FreeText::parse("Kadıköy\u{0}İstanbul", 1, 100),
            Err(TextError::ControlCharacter { position: 8 })
        );
        assert_eq!(
            FreeText::parse("\u{1b}[31mred", 1, 100),
            Err(TextError::ControlCharacter { position: 1 })
        );
        assert_eq!(
            FreeText::parse("C1 \u{85} control", 1, 100),
            Err(TextError::ControlCharacter { position: 4 })
        );
        assert_eq!(
            FreeText::parse("delete\u{7f}", 1, 100),
            Err(TextError::ControlCharacter { position: 7 })
        );
    }

    #[test]
    fn free_text_refuses_direction_overrides_and_isolates() {
        for c in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'] {
            let text = format!("invoice{c}fdp.exe");
            assert_eq!(
                FreeText::parse(&text, 1, 100),
                Err(TextError::DirectionOverride { position: 8 }),
                "{c:?}"
            );
        }
        for c in ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(matches!(
                FreeText::parse(&format!("a{c}b"), 1, 100),
                Err(TextError::DirectionOverride { position: 2 })
            ));
        }
    }

    #[test]
    fn free_text_keeps_line_breaks_tabs_and_right_to_left_scripts() {
        let text = FreeText::parse("Line one\r\nLine\ttwo\rthree", 1, 100).unwrap();
        assert_eq!(text.as_str(), "Line one\nLine\ttwo\nthree");
        // Arabic and Hebrew with the direction marks their writers use.
        let arabic = "شارع الاستقلال \u{200F}رقم 5\u{061C}";
        assert_eq!(FreeText::parse(arabic, 1, 100).unwrap().as_str(), arabic);
        assert_eq!(
            FreeText::parse("רחוב הרצל \u{200E}12", 1, 100)
                .unwrap()
                .as_str(),
            "רחוב הרצל \u{200E}12"
        );
    }

    #[test]
    fn free_text_violations_quote_what_their_messages_need() {
        let v = TextError::ControlCharacter { position: 3 }.violation("address", 10, 500);
        assert_eq!(v.code, "text-control-character");
        assert_eq!(v.args, vec![("position", "3".to_owned())]);
        let v = TextError::TooShort.violation("about", 10, 2000);
        assert_eq!(v.code, "text-too-short");
        assert!(v.args.contains(&("min", "10".to_owned())));
    }

    proptest! {
        #[test]
        fn accepted_free_text_holds_no_control_or_override(raw in "\\PC*[\\x00-\\x1f\\u{202a}-\\u{202e}]?\\PC*") {
            if let Ok(text) = FreeText::parse(&raw, 1, 10_000) {
                let clean = text.as_str().chars().all(|c| {
                    (!c.is_control() || c == '\n' || c == '\t')
                        && !('\u{202A}'..='\u{202E}').contains(&c)
                        && !('\u{2066}'..='\u{2069}').contains(&c)
                });
                prop_assert!(clean, "{:?}", text);
            }
        }

        #[test]
        fn free_text_never_loses_a_visible_character(raw in "[a-zA-Zçğıöşü0-9 ,.\\n-]{1,60}") {
            if let Ok(text) = FreeText::parse(&raw, 1, 10_000) {
                prop_assert_eq!(text.as_str(), raw.trim());
            }
        }
    }

    fn reference() -> Reference {
        Reference::embedded().unwrap()
    }

    fn ctx(reference: &Reference) -> RuleContext<'_> {
        RuleContext {
            today: date!(2026 - 11 - 22),
            reference,
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn personal() -> PersonalInput {
        PersonalInput {
            first_name: s(" Ayşe  Nur "),
            last_name: s("Yılmaz-O'Brien"),
            gender: s("female"),
            father_name: s("Mehmet"),
            mother_name: s("Гульнара"),
            marital_status: s("single"),
            place_of_birth: s("Bakı"),
            nationality: s("aze"),
            date_of_birth: s("1995-04-01"),
            foreigner_id: None,
            photo_document_id: s("0190b8a2-7c1e-7d3a-9f00-000000000001"),
            spouse: None,
        }
    }

    #[test]
    fn a_complete_personal_section() {
        let reference = reference();
        let section = PersonalSection::from_input(&personal(), &ctx(&reference)).unwrap();
        assert_eq!(section.first_name.as_ref().unwrap().as_str(), "Ayşe Nur");
        assert_eq!(section.nationality.as_ref().unwrap().as_str(), "AZE");
        assert!(section.missing().is_empty(), "{:?}", section.missing());
        let json = serde_json::to_value(&section).unwrap();
        assert_eq!(json["date_of_birth"], "1995-04-01");
        assert_eq!(json["gender"], "female");
        let back: PersonalSection = serde_json::from_value(json).unwrap();
        assert_eq!(back, section);
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let reference = reference();
        let input = PersonalInput {
            first_name: s("Ayşe2"),
            gender: s("other"),
            nationality: s("XXX"),
            date_of_birth: s("2030-01-01"),
            foreigner_id: s("99123456789"),
            marital_status: s("married"),
            spouse: Some(SpouseInput {
                tr_id: s("12345678901"),
                nationality: s("TUR"),
                ..Default::default()
            }),
            ..personal()
        };
        let violations = PersonalSection::from_input(&input, &ctx(&reference)).unwrap_err();
        let found: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| (v.field.as_str(), v.code))
            .collect();
        for expected in [
            ("first_name", "name-characters"),
            ("gender", "choice-invalid"),
            ("nationality", "country-unknown"),
            ("date_of_birth", "date-in-future"),
            ("foreigner_id", "tr-id-checksum"),
            ("spouse.tr_id", "tr-id-checksum"),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
    }

    #[test]
    fn applicants_are_at_least_fifteen() {
        let reference = reference();
        let young = PersonalInput {
            date_of_birth: s("2011-11-23"),
            ..personal()
        };
        let violations = PersonalSection::from_input(&young, &ctx(&reference)).unwrap_err();
        assert_eq!(violations[0].code, "age-under-minimum");
        let fifteen_today = PersonalInput {
            date_of_birth: s("2011-11-22"),
            ..personal()
        };
        assert!(PersonalSection::from_input(&fifteen_today, &ctx(&reference)).is_ok());
    }

    #[test]
    fn married_applicants_need_their_spouse() {
        let reference = reference();
        let married = PersonalInput {
            marital_status: s("married"),
            ..personal()
        };
        let section = PersonalSection::from_input(&married, &ctx(&reference)).unwrap();
        assert_eq!(
            section.missing(),
            [
                "spouse.first_name",
                "spouse.last_name",
                "spouse.nationality"
            ]
        );
        let with_spouse = PersonalInput {
            spouse: Some(SpouseInput {
                first_name: s("Ali"),
                last_name: s("Veli"),
                nationality: s("TUR"),
                tr_id: s("10000000146"),
            }),
            ..married
        };
        let section = PersonalSection::from_input(&with_spouse, &ctx(&reference)).unwrap();
        assert!(section.missing().is_empty());
        // Spouse details typed for a single applicant are not kept.
        let single = PersonalInput {
            marital_status: s("single"),
            ..with_spouse
        };
        assert!(
            PersonalSection::from_input(&single, &ctx(&reference))
                .unwrap()
                .spouse
                .is_none()
        );
    }

    #[test]
    fn partial_sections_save_and_say_what_is_missing() {
        let reference = reference();
        let section = PersonalSection::from_input(
            &PersonalInput {
                first_name: s("Ali"),
                ..Default::default()
            },
            &ctx(&reference),
        )
        .unwrap();
        assert!(section.missing().contains(&"last_name"));
        assert!(!section.missing().contains(&"first_name"));
    }

    #[test]
    fn names_accept_any_script_and_refuse_digits_and_symbols() {
        for ok in [
            "Ayşe",
            "İsmail Çağrı",
            "O'Brien",
            "Jean-Luc",
            "Анна",
            "محمد",
            "李小龍",
            "D’Arcy",
            "Ñuño",
        ] {
            assert!(PersonName::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "   ", "Ali2", "a@b", "<script>", "---"] {
            assert!(PersonName::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PersonName::parse(&"a".repeat(101)), Err(TextError::TooLong));
        assert!(
            PersonName::parse(&"ş".repeat(100)).is_ok(),
            "100 characters, not bytes"
        );
    }

    #[test]
    fn contact_numbers_are_international() {
        let reference = reference();
        let input = ContactInput {
            email: s("ignored@example.com"),
            phone: s("+90 532 123 45 67"),
            address: s("Emek Mh. Bosna Hersek Cd. No:29\r\nÇankaya / Ankara"),
            second_email: s("second@example"),
            second_phone: s("0532 123 45 67"),
        };
        let violations = ContactSection::from_input(&input, &ctx(&reference)).unwrap_err();
        let found: Vec<(&str, &str)> = violations
            .iter()
            .map(|v| (v.field.as_str(), v.code))
            .collect();
        assert_eq!(
            found,
            [
                ("second_email", "email-bad-domain"),
                ("second_phone", "phone-shape")
            ]
        );
        let fixed = ContactInput {
            second_email: None,
            second_phone: None,
            ..input
        };
        let section = ContactSection::from_input(&fixed, &ctx(&reference)).unwrap();
        assert_eq!(section.phone.unwrap().as_str(), "+905321234567");
        assert_eq!(
            section.address.unwrap().as_str(),
            "Emek Mh. Bosna Hersek Cd. No:29\nÇankaya / Ankara"
        );
    }

    #[test]
    fn passports_must_be_valid_after_today() {
        let reference = reference();
        let input = PassportInput {
            passport_type: s("ordinary"),
            passport_number: s("U 1234567"),
            issuing_country: s("deu"),
            expiry_date: s("2026-11-22"),
            scan_document_id: None,
        };
        let violations = PassportSection::from_input(&input, &ctx(&reference)).unwrap_err();
        assert_eq!(violations[0].code, "passport-expired");
        let input = PassportInput {
            expiry_date: s("2026-11-23"),
            ..input
        };
        let section = PassportSection::from_input(&input, &ctx(&reference)).unwrap();
        assert_eq!(section.missing(date!(2026 - 11 - 22)), ["scan_document_id"]);
        assert_eq!(
            section.missing(date!(2026 - 11 - 23)),
            ["expiry_date", "scan_document_id"],
            "expired since saved"
        );
    }

    #[test]
    fn a_passport_needs_its_country_of_issue() {
        let reference = reference();
        let without = PassportInput {
            passport_type: s("ordinary"),
            passport_number: s("U7654321"),
            issuing_country: None,
            expiry_date: s("2030-01-31"),
            scan_document_id: s("0190b8a2-7c1e-7d3a-9f00-000000000001"),
        };
        // Saved without it (nothing typed is lost), but the section is not complete.
        let section = PassportSection::from_input(&without, &ctx(&reference)).unwrap();
        assert_eq!(section.missing(date!(2026 - 11 - 22)), ["issuing_country"]);
        // A code of the reference list, in any case, is kept upper-case and completes it.
        let with = PassportInput {
            issuing_country: s(" aze "),
            ..without.clone()
        };
        let section = PassportSection::from_input(&with, &ctx(&reference)).unwrap();
        assert_eq!(section.issuing_country.as_ref().unwrap().as_str(), "AZE");
        assert!(section.missing(date!(2026 - 11 - 22)).is_empty());
        assert_eq!(
            PassportInput::from(&section).issuing_country.as_deref(),
            Some("AZE"),
            "read back in the shape it is sent"
        );
        // Anything not in the reference list is refused, with the other problems at once.
        for bad in ["XXX", "DE", "Germany"] {
            let input = PassportInput {
                issuing_country: s(bad),
                passport_number: s("A1"),
                ..without.clone()
            };
            let found: Vec<(String, &str)> = PassportSection::from_input(&input, &ctx(&reference))
                .unwrap_err()
                .into_iter()
                .map(|v| (v.field, v.code))
                .collect();
            assert_eq!(
                found,
                [
                    ("passport_number".to_owned(), "passport-number-shape"),
                    ("issuing_country".to_owned(), "country-unknown")
                ],
                "{bad}"
            );
        }
        // A section stored before the country was asked reads back without it.
        let old: PassportSection = serde_json::from_value(serde_json::json!({
            "passport_type": "ordinary", "passport_number": "U7654321",
            "expiry_date": "2030-01-31", "scan_document_id": null
        }))
        .unwrap();
        assert_eq!(old.issuing_country, None);
        assert!(
            old.missing(date!(2026 - 11 - 22))
                .contains(&"issuing_country")
        );
    }

    #[test]
    fn education_asks_for_the_schools_and_proofs_the_level_calls_for() {
        let reference = reference();
        let input = EducationInput {
            native_language: s("tat"),
            known_languages: vec!["aar".into(), "AAR".into(), "tat".into(), "".into()],
            turkish_level: s("beginner"),
            education_level: s("master"),
            high_school: s("Kazan Lisesi"),
            ..Default::default()
        };
        let section = EducationSection::from_input(&input, &ctx(&reference)).unwrap();
        assert_eq!(
            section
                .known_languages
                .iter()
                .map(LanguageCode::as_str)
                .collect::<Vec<_>>(),
            ["aar"]
        );
        assert_eq!(
            section.missing(),
            [
                "turkish_proof_document_id",
                "university",
                "postgraduate",
                "diploma_document_id"
            ]
        );
        let secondary = EducationInput {
            education_level: s("secondary"),
            turkish_level: None,
            ..input.clone()
        };
        let section = EducationSection::from_input(&secondary, &ctx(&reference)).unwrap();
        assert!(section.high_school.is_none(), "not asked for at this level");
        assert_eq!(section.missing(), ["diploma_document_id"]);
        let unknown = EducationInput {
            native_language: s("xxx"),
            known_languages: vec!["zzz".into()],
            ..input
        };
        let violations = EducationSection::from_input(&unknown, &ctx(&reference)).unwrap_err();
        assert_eq!(
            violations
                .iter()
                .map(|v| v.field.as_str())
                .collect::<Vec<_>>(),
            ["native_language", "known_languages[0]"]
        );
    }

    #[test]
    fn verified_values_cannot_be_changed() {
        let reference = reference();
        let profile = Profile {
            personal: PersonalSection::from_input(&personal(), &ctx(&reference)).unwrap(),
            verified: ["personal.first_name".to_owned()].into(),
            ..Profile::default()
        };
        let edited = PersonalSection::from_input(
            &PersonalInput {
                first_name: s("Someone Else"),
                ..personal()
            },
            &ctx(&reference),
        )
        .unwrap();
        let merged = profile.with_personal(edited);
        assert_eq!(merged.first_name.unwrap().as_str(), "Ayşe Nur");
    }

    #[test]
    fn stored_sections_read_back_as_the_same_input() {
        let reference = reference();
        let input = PersonalInput {
            first_name: s("Ayşe Nur"),
            nationality: s("AZE"),
            ..personal()
        };
        let section = PersonalSection::from_input(&input, &ctx(&reference)).unwrap();
        let again =
            PersonalSection::from_input(&PersonalInput::from(&section), &ctx(&reference)).unwrap();
        assert_eq!(again, section);
    }

    #[test]
    fn completeness_lists_every_section() {
        let profile = Profile::default();
        let report = profile.completeness(date!(2026 - 11 - 22));
        assert!(!report.complete);
        assert_eq!(report.sections.len(), 4);
        assert!(report.sections.iter().all(|s| !s.complete));
        assert_eq!(report.sections[1].missing, ["phone", "address"]);
    }
}
