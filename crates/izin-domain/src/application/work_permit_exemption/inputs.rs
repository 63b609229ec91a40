//! The steps' inputs as the API and the pages send them, and how each is checked into the draft.

use super::*;

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
pub(crate) fn salary_schema() -> utoipa::openapi::schema::Object {
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

pub(crate) fn present(value: &Option<String>) -> Option<&str> {
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
pub(crate) fn check_previous_passport(
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

pub(crate) fn salary(value: &serde_json::Value) -> Option<Money> {
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
pub(crate) fn sgk_violation(problem: crate::identifiers::SgkProblem) -> Violation {
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
pub(crate) fn occupation_not_admitted(category: &Category) -> Violation {
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
