//! User Information pages (personal, contact, passport and education information, which every
//! application draws on): an overview of the four sections with what each still
//! lacks, and one form per section with its own "Clear Changes" and "Save". Files chosen in a
//! section form are uploaded with it; a file that was stored is kept even when other fields
//! must be corrected, so nothing typed or chosen is lost.

use crate::WebState;
use crate::context::SignedIn;
use crate::errors::store_failure;
use crate::extract::{ValidPath, ValidQuery};
use crate::forms::FormErrors;
use crate::layout::{Layout, Nav, render};
use crate::multipart::FormReader;
use crate::pages::fields::{Choice, CurrentFile, FormField, Values};
use crate::uploads::{UPLOAD_BODY_LIMIT, too_large_message, upload_message};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use izin_app::profile::{ProfileView, SaveError, SectionInput};
use izin_domain::Language;
use izin_domain::calendar::display_date;
use izin_domain::documents::DocumentKind;
use izin_domain::profile::{
    ContactInput, EducationInput, PassportInput, PersonalInput, Profile, Section, SpouseInput,
};
use izin_domain::reference::{
    EducationLevel, Gender, MaritalStatus, PassportType, Reference, TurkishLevel,
};
use izin_i18n::Value;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

pub fn router() -> Router<WebState> {
    Router::new().route("/profile", get(overview)).route(
        "/profile/{section}",
        get(section_page)
            .post(save_section)
            // Uploads are bounded by the form reader; this bounds plain forms.
            .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
    )
}

fn section_title(section: Section) -> &'static str {
    match section {
        Section::Personal => "section-personal",
        Section::Contact => "section-contact",
        Section::Passport => "section-passport",
        Section::Education => "section-education",
    }
}

fn field_label_id(field: &str) -> String {
    format!("field-{}", field.replace('.', "_"))
}

/// One section's line on the overview.
struct SectionSummary {
    href: String,
    title: String,
    complete: bool,
    status: String,
    missing: Vec<String>,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct OverviewPage<'a> {
    l: Layout<'a>,
    sections: Vec<SectionSummary>,
    complete: bool,
}

fn summaries(ctx: &crate::Ctx, view: &ProfileView) -> Vec<SectionSummary> {
    view.completeness
        .sections
        .iter()
        .map(|s| SectionSummary {
            href: format!("/profile/{}", s.section.code()),
            title: ctx.t(section_title(s.section)).to_owned(),
            complete: s.complete,
            status: if s.complete {
                ctx.t("profile-status-complete").to_owned()
            } else {
                ctx.tf(
                    "profile-status-missing",
                    &[("count", Value::from(s.missing.len()))],
                )
            },
            missing: s
                .missing
                .iter()
                .map(|f| ctx.t(&field_label_id(f)).to_owned())
                .collect(),
        })
        .collect()
}

async fn overview(State(state): State<WebState>, SignedIn(ctx, session): SignedIn) -> Response {
    let view = match state.app.profiles().view(&session.user).await {
        Ok(view) => view,
        Err(e) => return store_failure(&ctx, &e),
    };
    let page = OverviewPage {
        sections: summaries(&ctx, &view),
        complete: view.completeness.complete,
        l: Layout::new(&ctx, ctx.t("profile-title")).with_nav(Nav::UserInformation),
    };
    render(&page)
}

fn stored_values(profile: &Profile, section: Section, email: &str) -> Values {
    let mut v = Values::default();
    match section {
        Section::Personal => {
            let p = &profile.personal;
            v.set_opt("first_name", p.first_name.as_ref());
            v.set_opt("last_name", p.last_name.as_ref());
            v.set_opt("gender", p.gender.map(Gender::code));
            v.set_opt("father_name", p.father_name.as_ref());
            v.set_opt("mother_name", p.mother_name.as_ref());
            v.set_opt("marital_status", p.marital_status.map(MaritalStatus::code));
            v.set_opt("place_of_birth", p.place_of_birth.as_ref());
            v.set_opt("nationality", p.nationality.as_ref());
            v.set_opt("date_of_birth", p.date_of_birth.map(display_date));
            v.set_opt("foreigner_id", p.foreigner_id.as_ref());
            v.set_opt("photo_document_id", p.photo_document_id);
            if let Some(spouse) = &p.spouse {
                v.set_opt("spouse_first_name", spouse.first_name.as_ref());
                v.set_opt("spouse_last_name", spouse.last_name.as_ref());
                v.set_opt("spouse_nationality", spouse.nationality.as_ref());
                v.set_opt("spouse_tr_id", spouse.tr_id.as_ref());
            }
        }
        Section::Contact => {
            let c = &profile.contact;
            v.set("email", email);
            v.set_opt("phone", c.phone.as_ref().map(|p| p.international()));
            v.set_opt("address", c.address.as_ref());
            v.set_opt("second_email", c.second_email.as_ref());
            v.set_opt(
                "second_phone",
                c.second_phone.as_ref().map(|p| p.international()),
            );
        }
        Section::Passport => {
            let p = &profile.passport;
            v.set_opt("passport_type", p.passport_type.map(PassportType::code));
            v.set_opt("passport_number", p.passport_number.as_ref());
            v.set_opt("issuing_country", p.issuing_country.as_ref());
            v.set_opt("expiry_date", p.expiry_date.map(display_date));
            v.set_opt("scan_document_id", p.scan_document_id);
        }
        Section::Education => {
            let e = &profile.education;
            v.set_opt("native_language", e.native_language.as_ref());
            for language in &e.known_languages {
                v.push("known_languages", language.to_string());
            }
            v.set_opt("turkish_level", e.turkish_level.map(TurkishLevel::code));
            v.set_opt("turkish_proof_document_id", e.turkish_proof_document_id);
            v.set_opt(
                "education_level",
                e.education_level.map(EducationLevel::code),
            );
            v.set_opt("high_school", e.high_school.as_ref());
            v.set_opt("university", e.university.as_ref());
            v.set_opt("postgraduate", e.postgraduate.as_ref());
            v.set_opt("diploma_document_id", e.diploma_document_id);
        }
    }
    v
}

fn section_input(section: Section, v: &Values) -> SectionInput {
    match section {
        Section::Personal => {
            let spouse_fields = [
                "spouse_first_name",
                "spouse_last_name",
                "spouse_nationality",
                "spouse_tr_id",
            ];
            let spouse = spouse_fields
                .iter()
                .any(|f| v.get(f).is_some())
                .then(|| SpouseInput {
                    first_name: v.get("spouse_first_name"),
                    last_name: v.get("spouse_last_name"),
                    nationality: v.get("spouse_nationality"),
                    tr_id: v.get("spouse_tr_id"),
                });
            SectionInput::Personal(PersonalInput {
                first_name: v.get("first_name"),
                last_name: v.get("last_name"),
                gender: v.get("gender"),
                father_name: v.get("father_name"),
                mother_name: v.get("mother_name"),
                marital_status: v.get("marital_status"),
                place_of_birth: v.get("place_of_birth"),
                nationality: v.get("nationality"),
                date_of_birth: v.get("date_of_birth"),
                foreigner_id: v.get("foreigner_id"),
                photo_document_id: v.get("photo_document_id"),
                spouse,
            })
        }
        Section::Contact => SectionInput::Contact(ContactInput {
            email: None,
            phone: v.get("phone"),
            address: v.get("address"),
            second_email: v.get("second_email"),
            second_phone: v.get("second_phone"),
        }),
        Section::Passport => SectionInput::Passport(PassportInput {
            passport_type: v.get("passport_type"),
            passport_number: v.get("passport_number"),
            issuing_country: v.get("issuing_country"),
            expiry_date: v.get("expiry_date"),
            scan_document_id: v.get("scan_document_id"),
        }),
        Section::Education => SectionInput::Education(EducationInput {
            native_language: v.get("native_language"),
            known_languages: v.all("known_languages"),
            turkish_level: v.get("turkish_level"),
            turkish_proof_document_id: v.get("turkish_proof_document_id"),
            education_level: v.get("education_level"),
            high_school: v.get("high_school"),
            university: v.get("university"),
            postgraduate: v.get("postgraduate"),
            diploma_document_id: v.get("diploma_document_id"),
        }),
    }
}

/// The document field a file input of a section fills, and the kind of document it takes.
fn file_inputs(section: Section) -> &'static [(&'static str, DocumentKind)] {
    match section {
        Section::Personal => &[("photo_document_id", DocumentKind::Photo)],
        Section::Passport => &[("scan_document_id", DocumentKind::Passport)],
        Section::Education => &[
            ("turkish_proof_document_id", DocumentKind::TurkishProof),
            ("diploma_document_id", DocumentKind::Diploma),
        ],
        Section::Contact => &[],
    }
}

struct Builder<'a> {
    ctx: &'a crate::Ctx,
    values: &'a Values,
    errors: &'a FormErrors,
    profile: &'a Profile,
    section: Section,
    documents: &'a HashMap<Uuid, izin_domain::records::Document>,
    fields: Vec<FormField>,
}

impl Builder<'_> {
    fn t(&self, id: &str) -> String {
        self.ctx.t(id).to_owned()
    }

    fn hint(&self, id: &str) -> Option<String> {
        let hint_id = format!("{}-hint", field_label_id(id));
        self.ctx.texts.has(&hint_id).then(|| self.t(&hint_id))
    }

    fn base(&self, id: &str, kind: &'static str) -> FormField {
        let path = id.replacen("spouse_", "spouse.", 1);
        let mut field = FormField::new(id, kind, self.t(&field_label_id(id)));
        field.hint = self.hint(id);
        field.value = self.values.one(id);
        field.error = self.errors.get(id).map(str::to_owned);
        field.verified = self.profile.is_verified(self.section, &path);
        field
    }

    fn text(&mut self, id: &str, autocomplete: &'static str) -> &mut FormField {
        let mut field = self.base(id, "text");
        field.autocomplete = autocomplete;
        self.fields.push(field);
        self.fields.last_mut().expect("just pushed")
    }

    fn choices(&self, id: &str, items: Vec<(String, String)>) -> Vec<Choice> {
        let selected: Vec<String> = self.values.all(id);
        items
            .into_iter()
            .map(|(code, label)| Choice {
                selected: selected.contains(&code),
                code,
                label,
            })
            .collect()
    }

    fn select(
        &mut self,
        id: &str,
        items: Vec<(String, String)>,
        searchable: bool,
    ) -> &mut FormField {
        let mut field = self.base(id, "select");
        field.options = self.choices(id, items);
        field.searchable = searchable;
        self.fields.push(field);
        self.fields.last_mut().expect("just pushed")
    }

    fn file(&mut self, id: &str, accept: &'static str) -> &mut FormField {
        let mut field = self.base(id, "file");
        field.accept = accept;
        field.current = self
            .values
            .get(id)
            .and_then(|raw| Uuid::parse_str(&raw).ok())
            .and_then(|doc| self.documents.get(&doc))
            .map(|doc| CurrentFile {
                name: doc.file_name.clone(),
                href: format!("/documents/{}/download", doc.id),
            });
        self.fields.push(field);
        self.fields.last_mut().expect("just pushed")
    }
}

fn closed(reference: &Reference, list: &str, language: Language) -> Vec<(String, String)> {
    reference
        .closed_list(list)
        .unwrap_or_default()
        .iter()
        .map(|item| (item.code.clone(), item.names.get(language).to_owned()))
        .collect()
}

fn countries(reference: &Reference, language: Language) -> Vec<(String, String)> {
    reference
        .countries_sorted(language)
        .into_iter()
        .map(|c| (c.code.clone(), c.names.get(language).to_owned()))
        .collect()
}

fn languages(reference: &Reference, language: Language) -> Vec<(String, String)> {
    reference
        .languages_sorted(language)
        .into_iter()
        .map(|l| (l.code.clone(), l.names.get(language).to_owned()))
        .collect()
}

fn build_fields(
    ctx: &crate::Ctx,
    reference: &Reference,
    section: Section,
    values: &Values,
    errors: &FormErrors,
    view: &ProfileView,
) -> Vec<FormField> {
    let language = ctx.language;
    let mut b = Builder {
        ctx,
        values,
        errors,
        profile: &view.profile,
        section,
        documents: &view.documents,
        fields: Vec::new(),
    };
    match section {
        Section::Personal => {
            b.file("photo_document_id", "image/jpeg,image/png");
            b.text("first_name", "given-name");
            b.text("last_name", "family-name");
            let genders = closed(reference, Gender::LIST, language);
            let gender = b.select("gender", genders, false);
            gender.kind = "radios";
            b.text("father_name", "off");
            b.text("mother_name", "off");
            b.select(
                "marital_status",
                closed(reference, MaritalStatus::LIST, language),
                false,
            );
            b.text("place_of_birth", "off");
            b.select("nationality", countries(reference, language), true);
            let born = b.text("date_of_birth", "bday");
            born.inputmode = "numeric";
            born.maxlength = 10;
            born.hint = Some(ctx.t("field-date-hint").to_owned());
            let id = b.text("foreigner_id", "off");
            id.inputmode = "numeric";
            id.maxlength = 11;
            id.optional = true;
            // Required once Married is chosen (the rule in PersonalSection): the labels say so.
            let if_married = || Some(ctx.t("profile-required-if-married").to_owned());
            let first = b.text("spouse_first_name", "off");
            first.required_when = if_married();
            first.group = Some((
                ctx.t("profile-spouse-heading").to_owned(),
                ctx.t("profile-spouse-hint").to_owned(),
            ));
            b.text("spouse_last_name", "off").required_when = if_married();
            b.select("spouse_nationality", countries(reference, language), true)
                .required_when = if_married();
            let spouse_id = b.text("spouse_tr_id", "off");
            spouse_id.inputmode = "numeric";
            spouse_id.maxlength = 11;
            spouse_id.optional = true;
        }
        Section::Contact => {
            let email = b.text("email", "email");
            email.kind = "readonly";
            let phone = b.text("phone", "tel");
            phone.input_type = "tel";
            phone.inputmode = "tel";
            phone.maxlength = 30;
            let address = b.text("address", "street-address");
            address.kind = "textarea";
            address.maxlength = 500;
            let second_email = b.text("second_email", "email");
            second_email.input_type = "email";
            second_email.inputmode = "email";
            second_email.maxlength = 254;
            second_email.optional = true;
            let second_phone = b.text("second_phone", "tel");
            second_phone.input_type = "tel";
            second_phone.inputmode = "tel";
            second_phone.maxlength = 30;
            second_phone.optional = true;
        }
        Section::Passport => {
            b.select(
                "passport_type",
                closed(reference, PassportType::LIST, language),
                false,
            );
            let number = b.text("passport_number", "off");
            number.maxlength = 30;
            // Required (PassportSection::missing): the entry records know a passport by its
            // number together with the country that issued it.
            b.select("issuing_country", countries(reference, language), true);
            let expiry = b.text("expiry_date", "off");
            expiry.inputmode = "numeric";
            expiry.maxlength = 10;
            expiry.hint = Some(ctx.t("field-expiry-date-hint").to_owned());
            b.file("scan_document_id", "application/pdf");
        }
        Section::Education => {
            b.select("native_language", languages(reference, language), true);
            let known = b.select("known_languages", languages(reference, language), false);
            known.kind = "multiselect";
            known.optional = true;
            // The ticked languages first, so they are seen without scrolling 400 names.
            known.options.sort_by_key(|o| !o.selected);
            b.select(
                "turkish_level",
                closed(reference, TurkishLevel::LIST, language),
                false,
            )
            .optional = true;
            b.file("turkish_proof_document_id", "application/pdf")
                .required_when = Some(ctx.t("profile-required-if-turkish-level").to_owned());
            b.select(
                "education_level",
                closed(reference, EducationLevel::LIST, language),
                false,
            );
            // Which schools are required follows the education level (EducationLevel::needs_*).
            let high_school = b.text("high_school", "off");
            high_school.maxlength = 200;
            high_school.required_when = Some(ctx.t("profile-required-from-high-school").to_owned());
            high_school.group = Some((
                ctx.t("profile-schools-heading").to_owned(),
                ctx.t("profile-schools-hint").to_owned(),
            ));
            let university = b.text("university", "off");
            university.maxlength = 200;
            university.required_when = Some(ctx.t("profile-required-from-university").to_owned());
            let postgraduate = b.text("postgraduate", "off");
            postgraduate.maxlength = 200;
            postgraduate.required_when =
                Some(ctx.t("profile-required-from-postgraduate").to_owned());
            b.file("diploma_document_id", "application/pdf");
        }
    }
    b.fields
}

struct Step {
    href: String,
    title: String,
    number: usize,
    current: bool,
    complete: bool,
}

#[derive(Template)]
#[template(path = "profile_section.html")]
struct SectionPage<'a> {
    l: Layout<'a>,
    section: &'static str,
    steps: Vec<Step>,
    fields: Vec<FormField>,
    errors: FormErrors,
    saved: bool,
    /// The form was sent with nothing filled in, so nothing was saved.
    nothing_saved: bool,
    next: Option<(String, String)>,
    missing: Vec<String>,
    multipart: bool,
    action: String,
}

fn render_section(
    state: &WebState,
    ctx: &crate::Ctx,
    section: Section,
    view: &ProfileView,
    values: &Values,
    errors: FormErrors,
    saved: SavedNotice,
) -> Response {
    let steps = Section::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            href: format!("/profile/{}", s.code()),
            title: ctx.t(section_title(*s)).to_owned(),
            number: i + 1,
            current: *s == section,
            complete: view
                .completeness
                .sections
                .get(i)
                .is_some_and(|c| c.complete),
        })
        .collect();
    let position = Section::ALL.iter().position(|s| *s == section).unwrap_or(0);
    let next = Section::ALL.get(position + 1).map(|s| {
        (
            format!("/profile/{}", s.code()),
            ctx.tf(
                "profile-next",
                &[("section", Value::from(ctx.t(section_title(*s)).to_owned()))],
            ),
        )
    });
    let missing = view
        .completeness
        .sections
        .get(position)
        .map(|c| {
            c.missing
                .iter()
                .map(|f| ctx.t(&field_label_id(f)).to_owned())
                .collect()
        })
        .unwrap_or_default();
    let multipart = !file_inputs(section).is_empty();
    let page = SectionPage {
        section: section.code(),
        steps,
        fields: build_fields(ctx, &state.app.reference, section, values, &errors, view),
        errors,
        saved: saved == SavedNotice::Saved,
        nothing_saved: saved == SavedNotice::NothingFilledIn,
        next,
        missing,
        multipart,
        action: format!("/profile/{}", section.code()),
        l: Layout::new(ctx, ctx.t(section_title(section)))
            .with_nav(Nav::UserInformation)
            .with_form(format!("/profile/{}", section.code())),
    };
    render(&page)
}

#[derive(Deserialize, Default)]
struct SectionQuery {
    saved: Option<String>,
}

/// What the page says about the last save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SavedNotice {
    None,
    Saved,
    NothingFilledIn,
}

async fn section_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(section): ValidPath<String>,
    ValidQuery(query): ValidQuery<SectionQuery>,
) -> Response {
    let Some(section) = Section::parse(&section) else {
        return crate::errors::PageError::NotFound.into_response_with(&ctx);
    };
    let view = match state.app.profiles().view(&session.user).await {
        Ok(view) => view,
        Err(e) => return store_failure(&ctx, &e),
    };
    let values = stored_values(&view.profile, section, &session.user.email);
    render_section(
        &state,
        &ctx,
        section,
        &view,
        &values,
        FormErrors::default(),
        match query.saved.as_deref() {
            None => SavedNotice::None,
            Some("nothing") => SavedNotice::NothingFilledIn,
            Some(_) => SavedNotice::Saved,
        },
    )
}

async fn save_section(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(section): ValidPath<String>,
    request: axum::extract::Request,
) -> Response {
    let Some(section) = Section::parse(&section) else {
        return crate::errors::PageError::NotFound.into_response_with(&ctx);
    };
    let user = &session.user;
    let mut values = Values::default();
    let mut errors = FormErrors::default();
    let is_multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let (parts, body) = request.into_parts();
        let mut form = FormReader::with_files(&parts.headers, body, file_inputs(section).len());
        let mut uploaded = Vec::new();
        loop {
            let part = match form.next_file().await {
                Ok(Some(part)) => part,
                Ok(None) => break,
                Err(_) => return crate::errors::PageError::BadRequest.into_response_with(&ctx),
            };
            let upload = file_inputs(section)
                .iter()
                .find(|(id, _)| format!("{id}_file") == part.name)
                .copied();
            let Some((id, kind)) = upload else {
                part.drain().await;
                continue;
            };
            if part.file_name.is_empty() || ctx.language_switch.is_some() {
                // No file chosen (the browser sends an empty part), or only the language is
                // switching: nothing is uploaded.
                part.drain().await;
                continue;
            }
            let file_name = part.file_name.clone();
            match state
                .app
                .documents()
                .upload(user, kind, &file_name, part.stream(), &ctx.client)
                .await
            {
                Ok(document) => uploaded.push((id, document.id)),
                Err(izin_app::documents::UploadError::Empty) => {}
                Err(e) => {
                    if !e.is_user_error() {
                        tracing::error!(error = %e, "upload failed");
                    }
                    errors.add(id, upload_message(&ctx, kind, &e));
                }
            }
        }
        if form.too_large() {
            // Said with the limit, on the form with what was typed.
            errors.add(
                file_inputs(section).first().map_or("main", |(id, _)| *id),
                too_large_message(&ctx, DocumentKind::Other),
            );
        }
        values = form.values().clone();
        // A newly uploaded file wins over the hidden id of the previous one.
        for (id, document) in uploaded {
            values.set(id, document.to_string());
        }
    } else {
        let bytes = match axum::body::to_bytes(request.into_body(), crate::forms::BODY_LIMIT).await
        {
            Ok(bytes) => bytes,
            Err(_) => return crate::errors::payload_too_large(&ctx),
        };
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        for (name, value) in pairs {
            if name != "csrf" {
                values.push(&name, value);
            }
        }
    }
    if ctx.language_switch.is_some() {
        // The language switch sent the form: shown again in the other language, nothing saved.
        let view = match state.app.profiles().view(user).await {
            Ok(view) => view,
            Err(e) => return store_failure(&ctx, &e),
        };
        if section == Section::Contact {
            values.set("email", user.email.clone());
        }
        return render_section(
            &state,
            &ctx,
            section,
            &view,
            &values,
            FormErrors::default(),
            SavedNotice::None,
        );
    }
    if errors.is_empty() && values.is_blank() {
        // Saving a blank form would erase the section (or store nothing and claim "Saved."):
        // keep what is stored and say that nothing was filled in.
        return Redirect::to(&format!("/profile/{}?saved=nothing", section.code())).into_response();
    }
    let input = section_input(section, &values);
    let result = if errors.is_empty() {
        state.app.profiles().save(user, &input, &ctx.client).await
    } else {
        // A file was refused: check the fields too, so every problem shows at once, but store nothing.
        match state.app.profiles().check(user, &input).await {
            Ok(()) => Err(SaveError::Invalid(Vec::new())),
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(_) => Redirect::to(&format!("/profile/{}?saved=1", section.code())).into_response(),
        Err(SaveError::Invalid(violations)) => {
            errors.add_violations(&ctx, &violations);
            let view = match state.app.profiles().view(user).await {
                Ok(view) => view,
                Err(e) => return store_failure(&ctx, &e),
            };
            if section == Section::Contact {
                values.set("email", user.email.clone());
            }
            let page = render_section(
                &state,
                &ctx,
                section,
                &view,
                &values,
                errors,
                SavedNotice::None,
            );
            (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
        }
        Err(SaveError::Store(e)) => store_failure(&ctx, &e),
    }
}
