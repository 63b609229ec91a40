use super::*;
use crate::application::Status;
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
        no_employer.sgk_number.is_none() && no_employer.employment_contract_document_id.is_none()
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
    let reopened: Vec<Step> = WIZARD
        .steps()
        .into_iter()
        .filter(|s| WIZARD.editable_in(*s, Status::Revision))
        .collect();
    assert_eq!(
        reopened,
        vec![
            Step::EMPLOYMENT,
            Step::DOCUMENTS,
            Step::ADDITIONAL,
            Step::PREVIEW
        ]
    );
    assert!(
        WIZARD
            .steps()
            .into_iter()
            .all(|s| WIZARD.editable_in(s, Status::Draft))
    );
    for status in [Status::Submitted, Status::UnderEvaluation, Status::Approval] {
        assert!(
            WIZARD
                .steps()
                .into_iter()
                .all(|s| !WIZARD.editable_in(s, status)),
            "{status:?}"
        );
    }
    assert!(!WIZARD.editable_in(Step::PROFILE, Status::Draft));
}

#[test]
fn steps_follow_each_other_and_read_back_from_their_codes() {
    let steps = WIZARD.steps();
    assert_eq!(steps.len(), 7, "the inquiry and the place are one step");
    for pair in steps.windows(2) {
        assert_eq!(WIZARD.next(pair[0]), pair[1]);
        assert_eq!(WIZARD.parse(pair[0].code()), Some(pair[0]));
    }
    assert_eq!(WIZARD.next(Step::PREVIEW), Step::PREVIEW);
    assert_eq!(WIZARD.parse("profile"), None);
    assert_eq!(WIZARD.parse("nonsense"), None);
}

#[test]
fn continue_resumes_at_the_first_required_step_left() {
    let catalog = catalog();
    let mut draft = Draft::default();
    assert_eq!(draft.resume_at(&catalog), Step::PLACE);
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
    assert_eq!(draft.resume_at(&catalog), Step::CONSENT);
    assert!(draft.step_complete(Step::CATEGORY, &catalog));
    assert!(!draft.step_complete(Step::ADDITIONAL, &catalog));
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
    // Published is per fee: 2026's exemption fee is an estimate, its valuable paper fee is
    // published; a year with no table of its own is charged at the latest known rates without
    // claiming either is published.
    for (year, paper_published) in [(2026, true), (2031, false)] {
        let amounts = assess_fees(&year_long, fees, year).amounts(fees);
        let published: Vec<_> = amounts.iter().map(|a| (a.kind, a.published)).collect();
        assert_eq!(
            published,
            [
                (FeeKind::ExemptionFee, false),
                (FeeKind::ValuablePaperFee, paper_published)
            ],
            "{year}"
        );
        assert!(amounts.iter().all(|a| a.year == year), "{year}");
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
    assert_eq!(refused[0].step, Step::PLACE);
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
