//! A work-permit exemption laid out as the "Application Preview" lists it (kind, personal,
//! contact, passport and education information, job and employer, supporting and additional
//! documents), for the preview and, from the frozen version, for the Detail page.

use crate::context::RequestContext;
use crate::pages::applications::sheet::{Rows, Sheet, SheetSection, files};
use izin_domain::application::work_permit_exemption::{Draft, Place};
use izin_domain::calendar::display_date;
use izin_domain::catalog::ExemptionCatalog;
use izin_domain::profile::Profile;
use izin_domain::records::Document;
use izin_domain::reference::{
    EducationLevel, Gender, MaritalStatus, PassportType, Reference, TurkishLevel,
};
use izin_i18n::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// What a sheet is drawn from.
pub struct SheetSource<'a> {
    pub draft: &'a Draft,
    pub profile: &'a Profile,
    pub email: &'a str,
    pub documents: &'a HashMap<Uuid, Document>,
    /// Links to the steps and User Information (the preview); `None` on the Detail page.
    pub edit_base: Option<String>,
}

fn yes_no(ctx: &RequestContext, value: Option<bool>) -> Option<String> {
    value.map(|v| {
        ctx.t(if v { "preview-yes" } else { "preview-no" })
            .to_owned()
    })
}

pub fn build(
    ctx: &RequestContext,
    catalog: &ExemptionCatalog,
    reference: &Reference,
    source: &SheetSource<'_>,
) -> Sheet {
    let language = ctx.language;
    let draft = source.draft;
    let profile = source.profile;
    let edit = |step: &str| {
        source
            .edit_base
            .as_ref()
            .map(|base| format!("{base}/{step}"))
    };
    let profile_edit = |section: &str| {
        source
            .edit_base
            .as_ref()
            .map(|_| format!("/profile/{section}"))
    };
    let new_rows = || Rows::new(ctx);
    let list = |list: &str, code: Option<&str>| {
        code.and_then(|c| reference.label(list, c, language).map(str::to_owned))
    };
    let country = |code: Option<String>| {
        code.map(|c| {
            reference
                .country(&c)
                .map_or(c.clone(), |country| country.names.get(language).to_owned())
        })
    };
    let mut sections = Vec::new();

    // Application kind and place.
    let category = catalog.category(&draft.category);
    let mut kind = new_rows();
    kind.add(
        "preview-kind",
        Some(
            izin_app::applications::exemption::describe_category(catalog, Some(&draft.category))
                .get(language)
                .to_owned(),
        ),
    );
    kind.add(
        "category-sector",
        category.map(|(sector, _)| sector.name.get(language).to_owned()),
    );
    let place = draft.place.as_ref().map(|p| {
        let chosen = ctx.t(match p.place {
            Place::Domestic => "place-domestic",
            Place::Abroad => "place-abroad",
        });
        let confirmation = if p.residence_right {
            ctx.t("place-confirmed-right").to_owned()
        } else if let Some(reference) = &p.reference_number {
            ctx.tf(
                "place-confirmed-reference",
                &[("reference", Value::from(reference.as_str().to_owned()))],
            )
        } else if let Some(passport) = &p.passport_number {
            ctx.tf(
                if p.previous_passport.is_some() {
                    "place-confirmed-entry-previous"
                } else {
                    "place-confirmed-entry"
                },
                &[("passport", Value::from(passport.as_str().to_owned()))],
            )
        } else {
            String::new()
        };
        format!("{chosen}\n{confirmation}")
    });
    kind.add("preview-place", place);
    // The entry an application rests on, and a previous passport declared for it, so the
    // officer sees which passport entered and can compare it with Passport Information.
    let mut place_files = Vec::new();
    if let Some(p) = draft.place.as_ref().filter(|p| p.rests_on_entry()) {
        kind.add(
            "place-passport-number",
            p.passport_number.as_ref().map(|n| {
                match country(p.passport_country.as_ref().map(|c| c.to_string())) {
                    Some(issued_by) => format!("{} — {issued_by}", n.as_str()),
                    None => n.as_str().to_owned(),
                }
            }),
        );
        kind.add("preview-entered-on", p.entered_on.map(display_date));
        if let Some(previous) = &p.previous_passport {
            kind.add(
                "preview-previous-passport",
                Some(ctx.t("preview-previous-passport-yes").to_owned()),
            );
            place_files.push((
                ctx.t("field-previous_passport_scan_document_id").to_owned(),
                previous
                    .scan_document_id
                    .map(|id| files(&[id], source.documents))
                    .unwrap_or_default(),
            ));
        }
    }
    sections.push(SheetSection {
        title: ctx.t("preview-kind").to_owned(),
        edit: edit("category"),
        rows: kind.rows,
        files: place_files,
        table: None,
    });

    // Personal information.
    let p = &profile.personal;
    let mut personal = new_rows();
    personal.add(
        "field-first_name",
        p.first_name.as_ref().map(|v| v.to_string()),
    );
    personal.add(
        "field-last_name",
        p.last_name.as_ref().map(|v| v.to_string()),
    );
    personal.add(
        "field-father_name",
        p.father_name.as_ref().map(|v| v.to_string()),
    );
    personal.add(
        "field-mother_name",
        p.mother_name.as_ref().map(|v| v.to_string()),
    );
    personal.add(
        "field-gender",
        list(Gender::LIST, p.gender.map(|g| g.code())),
    );
    personal.add(
        "field-marital_status",
        list(MaritalStatus::LIST, p.marital_status.map(|m| m.code())),
    );
    personal.add(
        "field-place_of_birth",
        p.place_of_birth.as_ref().map(|v| v.to_string()),
    );
    personal.add(
        "field-nationality",
        country(p.nationality.as_ref().map(|c| c.to_string())),
    );
    personal.add("field-date_of_birth", p.date_of_birth.map(display_date));
    personal.add(
        "field-foreigner_id",
        p.foreigner_id.as_ref().map(|v| v.to_string()),
    );
    if let Some(spouse) = &p.spouse {
        personal.add(
            "field-spouse_first_name",
            spouse.first_name.as_ref().map(|v| v.to_string()),
        );
        personal.add(
            "field-spouse_last_name",
            spouse.last_name.as_ref().map(|v| v.to_string()),
        );
        personal.add(
            "field-spouse_nationality",
            country(spouse.nationality.as_ref().map(|c| c.to_string())),
        );
        personal.add(
            "field-spouse_tr_id",
            spouse.tr_id.as_ref().map(|v| v.to_string()),
        );
    }
    let photo = p
        .photo_document_id
        .map(|id| files(&[id], source.documents))
        .unwrap_or_default();
    sections.push(SheetSection {
        title: ctx.t("section-personal").to_owned(),
        edit: profile_edit("personal"),
        rows: personal.rows,
        files: vec![(ctx.t("field-photo_document_id").to_owned(), photo)],
        table: None,
    });

    // Contact information.
    let c = &profile.contact;
    let mut contact = new_rows();
    contact.add("field-email", Some(source.email.to_owned()));
    contact.add("field-phone", c.phone.as_ref().map(|p| p.international()));
    contact.add("field-second_email", c.second_email.clone());
    contact.add(
        "field-second_phone",
        c.second_phone.as_ref().map(|p| p.international()),
    );
    contact.add("field-address", c.address.as_ref().map(|v| v.to_string()));
    sections.push(SheetSection {
        title: ctx.t("section-contact").to_owned(),
        edit: profile_edit("contact"),
        rows: contact.rows,
        files: Vec::new(),
        table: None,
    });

    // Passport information.
    let pp = &profile.passport;
    let mut passport = new_rows();
    passport.add(
        "field-passport_number",
        pp.passport_number.as_ref().map(|v| v.to_string()),
    );
    passport.add(
        "field-issuing_country",
        country(pp.issuing_country.as_ref().map(|c| c.to_string())),
    );
    passport.add(
        "field-passport_type",
        list(PassportType::LIST, pp.passport_type.map(|t| t.code())),
    );
    passport.add("field-expiry_date", pp.expiry_date.map(display_date));
    let scan = pp
        .scan_document_id
        .map(|id| files(&[id], source.documents))
        .unwrap_or_default();
    sections.push(SheetSection {
        title: ctx.t("section-passport").to_owned(),
        edit: profile_edit("passport"),
        rows: passport.rows,
        files: vec![(ctx.t("field-scan_document_id").to_owned(), scan)],
        table: None,
    });

    // Education information.
    let e = &profile.education;
    let language_name = |code: String| {
        reference
            .language(&code)
            .map_or(code.clone(), |l| l.names.get(language).to_owned())
    };
    let mut education = new_rows();
    education.add(
        "field-native_language",
        e.native_language
            .as_ref()
            .map(|l| language_name(l.to_string())),
    );
    education.add(
        "field-known_languages",
        Some(
            e.known_languages
                .iter()
                .map(|l| language_name(l.to_string()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    education.add(
        "field-education_level",
        list(EducationLevel::LIST, e.education_level.map(|l| l.code())),
    );
    education.add(
        "field-turkish_level",
        list(TurkishLevel::LIST, e.turkish_level.map(|l| l.code())),
    );
    education.add(
        "field-high_school",
        e.high_school.as_ref().map(|v| v.to_string()),
    );
    education.add(
        "field-university",
        e.university.as_ref().map(|v| v.to_string()),
    );
    education.add(
        "field-postgraduate",
        e.postgraduate.as_ref().map(|v| v.to_string()),
    );
    let mut education_files = vec![(
        ctx.t("field-diploma_document_id").to_owned(),
        e.diploma_document_id
            .map(|id| files(&[id], source.documents))
            .unwrap_or_default(),
    )];
    if let Some(proof) = e.turkish_proof_document_id {
        education_files.push((
            ctx.t("field-turkish_proof_document_id").to_owned(),
            files(&[proof], source.documents),
        ));
    }
    sections.push(SheetSection {
        title: ctx.t("section-education").to_owned(),
        edit: profile_edit("education"),
        rows: education.rows,
        files: education_files,
        table: None,
    });

    // Job and employer.
    let em = &draft.employment;
    let mut job = new_rows();
    job.add(
        "preview-occupation",
        em.occupation_code.as_ref().map(|code| {
            let name = catalog
                .occupation(code.as_str())
                .map(|o| o.names.get(language).to_owned())
                .unwrap_or_default();
            format!("{} {name}", code.as_str())
        }),
    );
    job.add(
        "preview-period",
        match (em.start_date, em.end_date) {
            (Some(start), Some(end)) => {
                Some(format!("{} – {}", display_date(start), display_date(end)))
            }
            _ => None,
        },
    );
    // Where the document goes, when one is printed and sent.
    let address = || {
        let kind = em
            .address_type
            .map(|t| ctx.t(&format!("address-type-{}", t.code())).to_owned())
            .unwrap_or_default();
        format!(
            "{} {}",
            em.residential_code
                .as_ref()
                .map(|c| c.as_str())
                .unwrap_or_default(),
            [kind, em.residential_address.clone().unwrap_or_default()].join(" — ")
        )
    };
    let sent = match (em.under_three_months(), em.certificate_requested) {
        (Some(true), Some(true)) => Some(format!("{}\n{}", ctx.t("certificate-yes"), address())),
        (Some(true), Some(false)) => Some(ctx.t("certificate-no").to_owned()),
        (Some(false), _) => Some(format!("{}\n{}", ctx.t("preview-yes"), address())),
        _ => None,
    };
    job.add("preview-document-sent", sent);
    job.add(
        "field-province",
        em.province.as_ref().map(|p| match &em.district {
            Some(d) => format!("{p} / {d}"),
            None => p.clone(),
        }),
    );
    job.add("preview-reason", em.about.as_ref().map(|v| v.to_string()));
    job.add("preview-has-employer", yes_no(ctx, em.has_employer));
    if em.has_employer == Some(true) {
        job.add(
            "field-sgk_number",
            em.sgk_number.as_ref().map(|n| match &em.workplace_name {
                Some(name) => format!("{} — {name}", n.grouped()),
                None => n.grouped(),
            }),
        );
        if let Some(warning) = crate::application_texts::workplace_warning(ctx, em) {
            job.add("preview-note", Some(warning));
        }
        job.add(
            "field-monthly_gross_salary",
            em.monthly_gross_salary.map(|m| {
                format!(
                    "{} {}",
                    m.display(language),
                    em.currency.clone().unwrap_or_default()
                )
            }),
        );
    }
    job.add(
        "field-insurance_paid",
        em.insurance_paid
            .map(|i| ctx.t(&format!("insurance-{}", i.code())).to_owned()),
    );
    let contract = em
        .employment_contract_document_id
        .map(|id| files(&[id], source.documents))
        .unwrap_or_default();
    sections.push(SheetSection {
        title: ctx.t("preview-job").to_owned(),
        edit: edit("employment"),
        rows: job.rows,
        files: if em.has_employer == Some(true) {
            vec![(
                ctx.t("field-employment_contract_document_id").to_owned(),
                contract,
            )]
        } else {
            Vec::new()
        },
        table: None,
    });

    // Supporting documents, slot by slot.
    let slot_files = category
        .map(|(_, c)| {
            c.documents
                .iter()
                .map(|slot| {
                    let ids = draft.documents.get(&slot.slot).cloned().unwrap_or_default();
                    (
                        slot.label.get(language).to_owned(),
                        files(&ids, source.documents),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    sections.push(SheetSection {
        title: ctx.t("step-documents").to_owned(),
        edit: edit("documents"),
        rows: Vec::new(),
        files: slot_files,
        table: None,
    });

    // Additional information and documents.
    let mut additional = new_rows();
    additional.add(
        "preview-description",
        draft.other_information.as_ref().map(|t| t.to_string()),
    );
    sections.push(SheetSection {
        title: ctx.t("preview-additional").to_owned(),
        edit: edit("additional"),
        rows: additional.rows,
        files: vec![(
            ctx.t("preview-documents").to_owned(),
            files(&draft.additional_document_ids, source.documents),
        )],
        table: None,
    });
    Sheet::new(sections)
}
