//! New Application's pages, one per step, each saved on the server as it is left:
//! the residence-right inquiry with the place of application, the category, the KVKK consent,
//! workplace and employer, supporting documents, additional documents and the preview with
//! "Create My Application". A refused step comes back with what was typed and every problem.

use super::sheet::{self, FileLink, SheetSource};
use super::{failure_page, page_failure};
use crate::WebState;
use crate::application_texts::{date, rule_link, rule_message};
use crate::context::{Ctx, SignedIn};
use crate::extract::ValidPath;
use crate::forms::FormErrors;
use crate::layout::{Layout, Nav, render};
use crate::multipart::FormReader;
use crate::pages::fields::{Choice, CurrentFile, FormField, Values};
use crate::uploads::{too_large_message, upload_message};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use izin_app::applications::ApplicationError;
use izin_app::applications::exemption::{KVKK_PAGES, ResidenceRightInquiry};
use izin_app::auth::CurrentSession;
use izin_app::documents::UploadError;
use izin_domain::application::work_permit_exemption::{
    AdditionalInput, Draft, EmploymentInput, PlaceInput, PreviousPassportInput,
};
use izin_domain::application::{IdempotencyKey, Status, Step};
use izin_domain::documents::DocumentKind;
use izin_domain::records::{ApplicationRecord, Document};
use izin_i18n::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// One entry of the steps bar.
pub struct WizardStep {
    pub number: usize,
    pub title: String,
    /// `None`: not reachable now (no draft yet, or locked during a revision).
    pub href: Option<String>,
    pub current: bool,
    pub complete: bool,
}

/// What every step page shows around the step.
pub struct WizardFrame {
    pub steps: Vec<WizardStep>,
    pub kind: Option<String>,
    pub saved: bool,
    pub notice: Option<String>,
    pub revision_message: Option<String>,
}

/// The steps as the wizard's header lists them: the residence-right inquiry and the place of
/// application are two pages of the Place step.
const STEPS: [(Step, &str); 8] = [
    (Step::Place, "step-inquiry"),
    (Step::Place, "step-place"),
    (Step::Category, "step-category"),
    (Step::Consent, "step-consent"),
    (Step::Employment, "step-employment"),
    (Step::Documents, "step-documents"),
    (Step::Additional, "step-additional"),
    (Step::Preview, "step-preview"),
];

fn frame(
    ctx: &Ctx,
    state: &WebState,
    record: Option<&ApplicationRecord>,
    draft: Option<&Draft>,
    current: Step,
) -> WizardFrame {
    let steps = STEPS
        .iter()
        .enumerate()
        .map(|(i, (step, title))| {
            let complete = draft.is_some_and(|d| d.step_complete(*step, &state.app.catalog));
            // In a revision the steps that stay as submitted are not links.
            let locked = |r: &ApplicationRecord| {
                r.lifecycle.status == Status::Revision && !step.editable_in(Status::Revision)
            };
            let href = match record {
                Some(r) if !locked(r) => Some(step_url(r.id, step.code())),
                None if *step == Step::Place => Some("/applications/new".to_owned()),
                _ => None,
            };
            WizardStep {
                number: i + 1,
                title: ctx.t(title).to_owned(),
                href,
                current: *step == current && (current != Step::Place || i == 1),
                complete,
            }
        })
        .collect();
    WizardFrame {
        steps,
        kind: draft.filter(|d| !d.category.is_empty()).map(|d| {
            izin_app::applications::exemption::describe_category(
                &state.app.catalog,
                Some(&d.category),
            )
            .get(ctx.language)
            .to_owned()
        }),
        saved: false,
        notice: None,
        revision_message: record
            .filter(|r| r.lifecycle.status == Status::Revision)
            .and_then(|r| r.revision_message.clone()),
    }
}

/// The draft of `id`, or the page that says why it cannot be shown.
async fn load(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    id: Uuid,
) -> Result<(ApplicationRecord, Draft), Response> {
    match state
        .app
        .applications()
        .exemption_draft(&session.user, id)
        .await
    {
        Ok(found) => Ok(found),
        Err(e) => Err(page_failure(ctx, e)),
    }
}

/// Steps that cannot change in the application's status lead to its Detail page.
fn editable(record: &ApplicationRecord, step: Step) -> bool {
    step.editable_in(record.lifecycle.status)
}

fn detail_redirect(id: Uuid) -> Response {
    Redirect::to(&format!("/applications/{id}")).into_response()
}

fn step_url(id: Uuid, step: &str) -> String {
    format!("/applications/{id}/{step}")
}

/// Where "Next" goes after `step`.
fn after(id: Uuid, step: Step) -> String {
    step_url(id, step.next().code())
}

/// Reads an urlencoded form body into values (the anti-forgery field is left out).
async fn form_values(request: axum::extract::Request, ctx: &Ctx) -> Result<Values, Response> {
    let bytes = axum::body::to_bytes(request.into_body(), crate::forms::BODY_LIMIT)
        .await
        .map_err(|_| crate::errors::payload_too_large(ctx))?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let mut values = Values::default();
    for (name, value) in pairs {
        if name != "csrf" {
            values.push(&name, value);
        }
    }
    Ok(values)
}

/// A general problem (not tied to one field) for the error summary.
fn general_error(ctx: &Ctx, errors: &mut FormErrors, error: &ApplicationError) -> bool {
    match error {
        ApplicationError::Registry(e) => {
            errors.add(
                "main",
                ctx.tf(
                    "registry-unavailable",
                    &[("registry", Value::from(e.registry().to_string()))],
                ),
            );
            true
        }
        ApplicationError::Conflict => {
            errors.add("main", ctx.t("conflict").to_owned());
            true
        }
        ApplicationError::OtherPending { number } => {
            errors.add(
                "main",
                crate::application_texts::pending_message(ctx, number.as_deref()),
            );
            true
        }
        _ => false,
    }
}

// ------------------------------------------------------------------ step 1–2: place

pub struct InquiryView {
    pub active: bool,
    pub details: Option<String>,
    pub unavailable: bool,
}

/// The passport in User Information, shown on the place step: a domestic application without a
/// residence right is checked with it (nothing to type again).
pub struct OwnPassport {
    pub number: String,
    pub country: String,
    pub birth_year: i32,
}

#[derive(Template)]
#[template(path = "applications/place.html")]
struct PlacePage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    inquiry: InquiryView,
    place: String,
    /// `None`: User Information lacks the passport number, its country or the date of birth.
    own_passport: Option<OwnPassport>,
    /// "I entered Türkiye with a previous passport" is ticked.
    previous_passport: bool,
    previous_fields: Vec<FormField>,
    abroad_fields: Vec<FormField>,
    confirmed: Option<String>,
    /// Another application is pending: why a new one cannot be made now.
    blocked: Option<String>,
    /// New Application itself (no draft yet).
    starting: bool,
    action: String,
}

async fn inquiry(state: &WebState, ctx: &Ctx, session: &CurrentSession) -> InquiryView {
    match state
        .app
        .applications()
        .residence_right(&session.user)
        .await
    {
        Ok(ResidenceRightInquiry {
            right: Some(right), ..
        }) => InquiryView {
            active: true,
            details: Some(
                ctx.tf(
                    "inquiry-right-details",
                    &[
                        (
                            "kind",
                            Value::from(
                                ctx.t(&format!("right-kind-{}", right.kind.code()))
                                    .to_owned(),
                            ),
                        ),
                        ("from", Value::from(date(right.valid_from))),
                        ("until", Value::from(date(right.valid_until))),
                    ],
                ),
            ),
            unavailable: false,
        },
        Ok(_) => InquiryView {
            active: false,
            details: None,
            unavailable: false,
        },
        Err(e) => {
            tracing::warn!(error = %e, "residence right inquiry failed");
            InquiryView {
                active: false,
                details: None,
                unavailable: true,
            }
        }
    }
}

/// The field of a declared previous passport's scan, and the file input that uploads one.
const PREVIOUS_SCAN: &str = "previous_passport_scan_document_id";
const PREVIOUS_SCAN_FILE: &str = "previous_passport_scan_document_id_file";

fn place_values(draft: Option<&Draft>) -> Values {
    let mut v = Values::default();
    if let Some(place) = draft.and_then(|d| d.place.as_ref()) {
        v.set("place", place.place.code());
        v.set_opt("reference_number", place.reference_number.as_ref());
        if let Some(previous) = &place.previous_passport {
            v.set("previous_passport", "yes");
            v.set("previous_passport_number", previous.number.as_str());
            v.set("previous_passport_country", previous.country.as_str());
            v.set_opt(PREVIOUS_SCAN, previous.scan_document_id);
        }
    }
    v
}

#[allow(clippy::too_many_arguments)]
async fn render_place(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    record: Option<&ApplicationRecord>,
    draft: Option<&Draft>,
    values: &Values,
    errors: FormErrors,
    saved: bool,
) -> Response {
    let inquiry = inquiry(state, ctx, session).await;
    // Said when New Application is opened, not after the whole wizard.
    let blocked = match state
        .app
        .applications()
        .blocking_application(
            &session.user,
            izin_domain::application::Kind::WorkPermitExemption,
            None,
        )
        .await
    {
        Ok(pending) => {
            pending.map(|p| crate::application_texts::pending_message(ctx, p.number.as_deref()))
        }
        Err(e) => return crate::errors::store_failure(ctx, &e),
    };
    let (profile, documents) = match tokio::try_join!(
        async {
            state
                .app
                .profiles()
                .profile(&session.user)
                .await
                .map_err(|e| crate::errors::store_failure(ctx, &e))
        },
        super::user_documents(state, ctx, session),
    ) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let reference_data = &state.app.reference;
    let country_name = |code: &str| {
        reference_data
            .country(code)
            .map_or(code.to_owned(), |c| c.names.get(ctx.language).to_owned())
    };
    let own_passport = match (
        &profile.passport.passport_number,
        &profile.passport.issuing_country,
        profile.personal.date_of_birth,
    ) {
        (Some(number), Some(country), Some(born)) => Some(OwnPassport {
            number: number.as_str().to_owned(),
            country: country_name(country.as_str()),
            birth_year: born.year(),
        }),
        _ => None,
    };
    let countries: Vec<Choice> = reference_data
        .countries_sorted(ctx.language)
        .into_iter()
        .map(|c| Choice {
            selected: values.get("previous_passport_country").as_deref() == Some(c.code.as_str()),
            code: c.code.clone(),
            label: c.names.get(ctx.language).to_owned(),
        })
        .collect();
    let field = |id: &str, label: &str, hint: Option<&str>| {
        let mut f = FormField::new(id, "text", ctx.t(label).to_owned());
        f.value = values.one(id);
        f.error = errors.get(id).map(str::to_owned);
        f.hint = hint.map(|h| ctx.t(h).to_owned());
        f
    };
    let mut previous_number = field(
        "previous_passport_number",
        "field-previous_passport_number",
        None,
    );
    previous_number.maxlength = 30;
    let mut previous_country = field(
        "previous_passport_country",
        "field-previous_passport_country",
        None,
    );
    previous_country.kind = "select";
    previous_country.searchable = true;
    previous_country.options = countries;
    let mut scan = field(
        PREVIOUS_SCAN,
        "field-previous_passport_scan_document_id",
        Some("field-previous_passport_scan_document_id-hint"),
    );
    scan.kind = "file";
    scan.accept = "application/pdf,image/jpeg,image/png";
    scan.current = values
        .get(PREVIOUS_SCAN)
        .and_then(|raw| Uuid::parse_str(&raw).ok())
        .and_then(|id| documents.get(&id))
        .map(|d| CurrentFile {
            name: d.file_name.clone(),
            href: format!("/documents/{}/download", d.id),
        });
    scan.options = reusable(&documents, &[], None);
    let mut reference = field(
        "reference_number",
        "place-reference-number",
        Some("place-reference-number-hint"),
    );
    reference.maxlength = 16;
    let confirmed = draft.and_then(|d| d.place.as_ref()).map(|p| {
        if p.residence_right {
            ctx.t("place-confirmed-right").to_owned()
        } else if let Some(r) = &p.reference_number {
            ctx.tf(
                "place-confirmed-reference",
                &[("reference", Value::from(r.as_str().to_owned()))],
            )
        } else {
            ctx.tf(
                if p.previous_passport.is_some() {
                    "place-confirmed-entry-previous"
                } else {
                    "place-confirmed-entry"
                },
                &[(
                    "passport",
                    Value::from(
                        p.passport_number
                            .as_ref()
                            .map(|n| n.as_str().to_owned())
                            .unwrap_or_default(),
                    ),
                )],
            )
        }
    });
    let mut w = frame(ctx, state, record, draft, Step::Place);
    w.saved = saved;
    let action = match record {
        Some(r) => step_url(r.id, "place"),
        None => "/applications/new".to_owned(),
    };
    let page = PlacePage {
        w,
        errors,
        inquiry,
        place: values.one("place"),
        own_passport,
        previous_passport: values.get("previous_passport").as_deref() == Some("yes"),
        previous_fields: vec![previous_number, previous_country, scan],
        abroad_fields: vec![reference],
        confirmed: confirmed.filter(|_| !saved || record.is_some()),
        blocked,
        starting: record.is_none(),
        action: action.clone(),
        l: Layout::new(ctx, ctx.t("wizard-title"))
            .with_nav(Nav::NewApplication)
            .with_form(action),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

fn place_input(values: &Values) -> PlaceInput {
    PlaceInput {
        place: values.get("place"),
        // The page shows the passport of User Information and sends none: the service looks the
        // entry up with it. A form that still sends one is held to the same rule as the API.
        passport_number: values.get("passport_number"),
        passport_country: values.get("passport_country"),
        reference_number: values.get("reference_number"),
        // Without scripts the previous passport's fields always show; they count only when
        // the box says so.
        previous_passport: (values.get("previous_passport").as_deref() == Some("yes")).then(|| {
            PreviousPassportInput {
                number: values.get("previous_passport_number"),
                country: values.get("previous_passport_country"),
                scan_document_id: values.get(PREVIOUS_SCAN),
            }
        }),
    }
}

/// Reads the place form: multipart (as the page sends it, with a previous passport's scan,
/// which is stored as the user's document at once so it is not lost if the step is refused),
/// or URL-encoded. A new file wins over a chosen document, which wins over the one already
/// there.
async fn place_form(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    request: axum::extract::Request,
    errors: &mut FormErrors,
) -> Result<Values, Response> {
    let multipart = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (mut values, uploaded) = if multipart {
        multipart_values(
            state,
            ctx,
            session,
            request,
            PREVIOUS_SCAN_FILE,
            errors,
            PREVIOUS_SCAN,
        )
        .await?
    } else {
        (form_values(request, ctx).await?, None)
    };
    if let Some(document) = uploaded {
        values.set(PREVIOUS_SCAN, document.id.to_string());
    } else if let Some(existing) = values.get(&format!("{PREVIOUS_SCAN}_existing")) {
        values.set(PREVIOUS_SCAN, existing);
    }
    Ok(values)
}

/// The place step's outcome when refused: its problems, or the page that says why it cannot
/// be shown.
fn place_errors(ctx: &Ctx, errors: &mut FormErrors, error: ApplicationError) -> Option<Response> {
    match error {
        ApplicationError::Invalid(violations) => errors.add_violations(ctx, &violations),
        other if general_error(ctx, errors, &other) => {}
        other => return Some(page_failure(ctx, other)),
    }
    None
}

pub async fn new_page(State(state): State<WebState>, SignedIn(ctx, session): SignedIn) -> Response {
    render_place(
        &state,
        &ctx,
        &session,
        None,
        None,
        &Values::default(),
        FormErrors::default(),
        false,
    )
    .await
}

pub async fn start(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    request: axum::extract::Request,
) -> Response {
    let mut errors = FormErrors::default();
    let values = match place_form(&state, &ctx, &session, request, &mut errors).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    if ctx.language_switch.is_some() {
        return render_place(
            &state,
            &ctx,
            &session,
            None,
            None,
            &values,
            FormErrors::default(),
            false,
        )
        .await;
    }
    let input = place_input(&values);
    let result = if errors.is_empty() {
        state
            .app
            .applications()
            .start_with_place(&session.user, &input, &ctx.client)
            .await
    } else {
        // The scan was refused: nothing is started; the page says why.
        Err(ApplicationError::Invalid(Vec::new()))
    };
    match result {
        Ok(record) => Redirect::to(&step_url(record.id, "category")).into_response(),
        Err(e) => {
            if let Some(response) = place_errors(&ctx, &mut errors, e) {
                return response;
            }
            render_place(&state, &ctx, &session, None, None, &values, errors, false).await
        }
    }
}

pub async fn place_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Place) {
        return detail_redirect(id);
    }
    let values = place_values(Some(&draft));
    render_place(
        &state,
        &ctx,
        &session,
        Some(&record),
        Some(&draft),
        &values,
        FormErrors::default(),
        false,
    )
    .await
}

pub async fn save_place(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    // Someone else's application is not found before any file of the form is read.
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Place) {
        return detail_redirect(id);
    }
    let mut errors = FormErrors::default();
    let values = match place_form(&state, &ctx, &session, request, &mut errors).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    if ctx.language_switch.is_some() {
        return render_place(
            &state,
            &ctx,
            &session,
            Some(&record),
            Some(&draft),
            &values,
            FormErrors::default(),
            false,
        )
        .await;
    }
    let result = if errors.is_empty() {
        state
            .app
            .applications()
            .save_place(&session.user, id, &place_input(&values), &ctx.client)
            .await
    } else {
        Err(ApplicationError::Invalid(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::to(&after(id, Step::Place)).into_response(),
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => {
            if let Some(response) = place_errors(&ctx, &mut errors, e) {
                return response;
            }
            // Nothing was saved: the draft is as it was loaded.
            render_place(
                &state,
                &ctx,
                &session,
                Some(&record),
                Some(&draft),
                &values,
                errors,
                false,
            )
            .await
        }
    }
}

// ------------------------------------------------------------------ step 3: category

pub struct CategoryOption {
    pub code: String,
    pub name: String,
    pub help: String,
    pub legal: String,
    pub longest: String,
    pub selected: bool,
}

pub struct SectorOption {
    pub name: String,
    pub categories: Vec<CategoryOption>,
}

#[derive(Template)]
#[template(path = "applications/category.html")]
struct CategoryPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    sectors: Vec<SectorOption>,
    action: String,
    previous: String,
}

fn render_category(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    chosen: &str,
    errors: FormErrors,
) -> Response {
    let language = ctx.language;
    let sectors = state
        .app
        .catalog
        .sectors
        .iter()
        .map(|sector| SectorOption {
            name: sector.name.get(language).to_owned(),
            categories: sector
                .categories
                .iter()
                .map(|c| CategoryOption {
                    code: c.code.clone(),
                    name: c.name.get(language).to_owned(),
                    help: c.help.get(language).to_owned(),
                    legal: ctx.tf(
                        "category-legal",
                        &[(
                            "reference",
                            Value::from(c.legal_reference.get(language).to_owned()),
                        )],
                    ),
                    longest: crate::application_texts::category_limit(ctx, c),
                    selected: c.code == chosen,
                })
                .collect(),
        })
        .collect();
    let page = CategoryPage {
        w: frame(ctx, state, Some(record), Some(draft), Step::Category),
        errors,
        sectors,
        action: step_url(record.id, "category"),
        previous: step_url(record.id, "place"),
        l: Layout::new(ctx, ctx.t("category-title"))
            .with_nav(Nav::NewApplication)
            .with_form(step_url(record.id, "category")),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn category_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Category) {
        return detail_redirect(id);
    }
    let chosen = draft.category.clone();
    render_category(
        &state,
        &ctx,
        &record,
        &draft,
        &chosen,
        FormErrors::default(),
    )
}

pub async fn save_category(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let chosen = values.one("category");
    if ctx.language_switch.is_some() {
        let (record, draft) = match load(&state, &ctx, &session, id).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        return render_category(
            &state,
            &ctx,
            &record,
            &draft,
            &chosen,
            FormErrors::default(),
        );
    }
    let result = if chosen.is_empty() {
        Err(ApplicationError::Invalid(vec![
            izin_domain::profile::Violation::new("category", "choice-required"),
        ]))
    } else {
        state
            .app
            .applications()
            .save_category(&session.user, id, &chosen, &ctx.client)
            .await
    };
    match result {
        Ok(_) => Redirect::to(&after(id, Step::Category)).into_response(),
        Err(ApplicationError::Invalid(violations)) => {
            let (record, draft) = match load(&state, &ctx, &session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let mut errors = FormErrors::default();
            errors.add_violations(&ctx, &violations);
            render_category(&state, &ctx, &record, &draft, &chosen, errors)
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => page_failure(&ctx, e),
    }
}

// ------------------------------------------------------------------ step 4: consent

#[derive(Template)]
#[template(path = "applications/consent.html")]
struct ConsentPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    information: String,
    statement: String,
    given: Option<String>,
    action: String,
    previous: String,
}

fn render_consent(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    errors: FormErrors,
) -> Response {
    let texts = &state.app.texts;
    let page = ConsentPage {
        w: frame(ctx, state, Some(record), Some(draft), Step::Consent),
        errors,
        information: texts
            .content(ctx.language, KVKK_PAGES[0])
            .unwrap_or_default()
            .to_owned(),
        statement: texts
            .content(ctx.language, KVKK_PAGES[1])
            .unwrap_or_default()
            .to_owned(),
        given: draft.consent.as_ref().map(|c| {
            ctx.tf(
                "consent-given",
                &[
                    (
                        "date",
                        Value::from(crate::application_texts::date_time_zoned(ctx, c.given_at)),
                    ),
                    ("version", Value::from(c.version.clone())),
                ],
            )
        }),
        action: step_url(record.id, "consent"),
        previous: step_url(record.id, "category"),
        l: Layout::new(ctx, ctx.t("consent-title"))
            .with_nav(Nav::NewApplication)
            .with_form(step_url(record.id, "consent")),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn consent_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Consent) {
        return detail_redirect(id);
    }
    render_consent(&state, &ctx, &record, &draft, FormErrors::default())
}

pub async fn save_consent(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let consent = values.get("kvkk_explicit_consent").is_some();
    if ctx.language_switch.is_some() {
        let (record, draft) = match load(&state, &ctx, &session, id).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        return render_consent(&state, &ctx, &record, &draft, FormErrors::default());
    }
    match state
        .app
        .applications()
        .save_consent(&session.user, id, consent, &ctx.client)
        .await
    {
        Ok(_) => Redirect::to(&after(id, Step::Consent)).into_response(),
        Err(ApplicationError::Invalid(violations)) => {
            let (record, draft) = match load(&state, &ctx, &session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let mut errors = FormErrors::default();
            errors.add_violations(&ctx, &violations);
            render_consent(&state, &ctx, &record, &draft, errors)
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => page_failure(&ctx, e),
    }
}

// ------------------------------------------------------------------ step 5: employment

#[derive(Template)]
#[template(path = "applications/form.html")]
struct FormPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    fields: Vec<FormField>,
    found: HashMap<&'static str, String>,
    action: String,
    previous: String,
}

fn employment_values(catalog: &izin_domain::catalog::ExemptionCatalog, draft: &Draft) -> Values {
    let input = EmploymentInput::from(&draft.employment);
    let mut v = Values::default();
    v.set_opt("occupation_code", input.occupation_code);
    v.set_opt("start_date", draft.employment.start_date.map(date));
    v.set_opt("end_date", draft.employment.end_date.map(date));
    v.set_opt("certificate_requested", input.certificate_requested);
    v.set_opt("residential_code", input.residential_code);
    v.set_opt("address_type", input.address_type);
    v.set_opt("province", input.province);
    v.set_opt("district", input.district);
    v.set_opt("about", input.about);
    v.set_opt("has_employer", input.has_employer);
    v.set_opt("sgk_number", input.sgk_number);
    v.set_opt(
        "monthly_gross_salary",
        input
            .monthly_gross_salary
            .and_then(|s| s.as_str().map(str::to_owned)),
    );
    v.set_opt("currency", input.currency);
    v.set_opt(
        "employment_contract_document_id",
        input.employment_contract_document_id,
    );
    v.set_opt("insurance_paid", input.insurance_paid);
    // The category's usual occupation (9901.02 for internships) is offered until one is chosen.
    if draft.employment.occupation_code.is_none()
        && let Some((_, category)) = catalog.category(&draft.category)
        && let Some(default) = &category.default_occupation
    {
        v.set("occupation_code", default.clone());
    }
    v
}

fn employment_input(v: &Values) -> EmploymentInput {
    let flag = |name: &str| v.get(name).map(|raw| raw == "true");
    EmploymentInput {
        occupation_code: v.get("occupation_code"),
        start_date: v.get("start_date"),
        end_date: v.get("end_date"),
        certificate_requested: flag("certificate_requested"),
        residential_code: v.get("residential_code"),
        address_type: v.get("address_type"),
        province: v.get("province"),
        district: v.get("district"),
        about: v.get("about"),
        has_employer: flag("has_employer"),
        sgk_number: v.get("sgk_number"),
        monthly_gross_salary: v.get("monthly_gross_salary").map(serde_json::Value::String),
        currency: v.get("currency"),
        employment_contract_document_id: v.get("employment_contract_document_id"),
        insurance_paid: v.get("insurance_paid"),
    }
}

#[allow(clippy::too_many_arguments)]
fn render_employment(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    values: &Values,
    errors: FormErrors,
    documents: &HashMap<Uuid, Document>,
    saved: bool,
) -> Response {
    let language = ctx.language;
    let catalog = &state.app.catalog;
    let field = |id: &str, kind: &'static str| {
        let mut f = FormField::new(id, kind, ctx.t(&format!("field-{id}")).to_owned());
        let hint_id = format!("field-{id}-hint");
        f.hint = ctx.texts.has(&hint_id).then(|| ctx.t(&hint_id).to_owned());
        f.value = values.one(id);
        f.error = errors.get(id).map(str::to_owned);
        f
    };
    let choices = |id: &str, items: Vec<(String, String)>| -> Vec<Choice> {
        let selected = values.one(id);
        items
            .into_iter()
            .map(|(code, label)| Choice {
                selected: code == selected,
                code,
                label,
            })
            .collect()
    };
    let radios = |id: &str, items: Vec<(&str, &str)>| {
        let mut f = field(id, "radios");
        f.options = choices(
            id,
            items
                .into_iter()
                .map(|(code, label)| (code.to_owned(), ctx.t(label).to_owned()))
                .collect(),
        );
        f
    };
    let mut fields = Vec::new();
    let category = catalog.category(&draft.category).map(|(_, c)| c);
    let mut occupation = field("occupation_code", "select");
    occupation.searchable = true;
    occupation.options = choices(
        "occupation_code",
        catalog
            .occupations
            .iter()
            // A category that admits only some occupations offers only those.
            .filter(|o| category.is_none_or(|c| c.admits_occupation(&o.code)))
            .map(|o| {
                (
                    o.code.clone(),
                    format!("{} {}", o.code, o.names.get(language)),
                )
            })
            .collect(),
    );
    fields.push(occupation);
    let months = category.map_or(12, |c| c.max_months);
    let mut start = field("start_date", "text");
    start.inputmode = "numeric";
    start.maxlength = 10;
    start.hint = Some(ctx.t("field-period-hint").to_owned());
    start.group = Some((
        ctx.t("employment-period-heading").to_owned(),
        ctx.tf("employment-limit", &[("months", Value::from(months))]),
    ));
    fields.push(start);
    let mut end = field("end_date", "text");
    end.inputmode = "numeric";
    end.maxlength = 10;
    end.hint = Some(ctx.t("field-period-hint").to_owned());
    fields.push(end);
    let mut certificate = radios(
        "certificate_requested",
        vec![("false", "certificate-no"), ("true", "certificate-yes")],
    );
    certificate.show_when = "period=short";
    fields.push(certificate);
    let mut residential = field("residential_code", "text");
    residential.inputmode = "numeric";
    residential.maxlength = 10;
    residential.show_when = "card";
    residential.group = Some((
        ctx.t("employment-address-heading").to_owned(),
        String::new(),
    ));
    fields.push(residential);
    let mut address_type = radios(
        "address_type",
        vec![
            ("residence", "address-type-residence"),
            ("workplace", "address-type-workplace"),
            ("different", "address-type-different"),
        ],
    );
    address_type.show_when = "card";
    fields.push(address_type);
    let provinces = state.app.reference.provinces();
    let mut province = field("province", "select");
    province.searchable = true;
    province.options = choices(
        "province",
        provinces
            .iter()
            .map(|p| (p.name.clone(), p.name.clone()))
            .collect(),
    );
    fields.push(province);
    let mut district = field("district", "grouped");
    district.depends_on = "province";
    let chosen_district = values.one("district");
    district.groups = provinces
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.districts
                    .iter()
                    .map(|d| Choice {
                        selected: *d == chosen_district && values.one("province") == p.name,
                        code: d.clone(),
                        label: d.clone(),
                    })
                    .collect(),
            )
        })
        .collect();
    fields.push(district);
    let mut about = field("about", "textarea");
    about.maxlength = 2000;
    fields.push(about);
    let mut employer = radios(
        "has_employer",
        vec![("true", "employer-yes"), ("false", "employer-no")],
    );
    employer.group = Some((
        ctx.t("employment-employer-heading").to_owned(),
        String::new(),
    ));
    fields.push(employer);
    let mut sgk = field("sgk_number", "text");
    sgk.inputmode = "numeric";
    sgk.maxlength = 40;
    sgk.show_when = "has_employer=true";
    fields.push(sgk);
    let mut salary = field("monthly_gross_salary", "text");
    salary.inputmode = "decimal";
    salary.maxlength = 20;
    salary.show_when = "has_employer=true";
    fields.push(salary);
    let mut currency = field("currency", "select");
    currency.options = choices(
        "currency",
        catalog
            .currencies
            .iter()
            .map(|c| {
                (
                    c.code.clone(),
                    format!("{} ({}) {}", c.code, c.symbol, c.names.get(language)),
                )
            })
            .collect(),
    );
    currency.show_when = "has_employer=true";
    fields.push(currency);
    let mut contract = field("employment_contract_document_id", "file");
    contract.accept = "application/pdf,image/jpeg,image/png";
    contract.show_when = "has_employer=true";
    contract.current = values
        .get("employment_contract_document_id")
        .and_then(|raw| Uuid::parse_str(&raw).ok())
        .and_then(|id| documents.get(&id))
        .map(|d| CurrentFile {
            name: d.file_name.clone(),
            href: format!("/documents/{}/download", d.id),
        });
    contract.options = reusable(documents, &[], None);
    fields.push(contract);
    fields.push(radios(
        "insurance_paid",
        vec![
            ("domestic", "insurance-domestic"),
            ("abroad", "insurance-abroad"),
        ],
    ));
    let mut found = HashMap::new();
    if let Some(address) = &draft.employment.residential_address
        && values.one("residential_code")
            == draft
                .employment
                .residential_code
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default()
    {
        found.insert(
            "residential_code",
            ctx.tf(
                "employment-address-found",
                &[("address", Value::from(address.clone()))],
            ),
        );
    }
    if let Some(name) = &draft.employment.workplace_name
        && values.one("sgk_number")
            == draft
                .employment
                .sgk_number
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default()
    {
        found.insert(
            "sgk_number",
            ctx.tf(
                "employment-workplace-found",
                &[("name", Value::from(name.clone()))],
            ),
        );
    }
    let mut w = frame(ctx, state, Some(record), Some(draft), Step::Employment);
    w.saved = saved;
    let page = FormPage {
        w,
        errors,
        fields,
        found,
        action: step_url(record.id, "employment"),
        previous: if record.lifecycle.status == Status::Revision {
            format!("/applications/{}", record.id)
        } else {
            step_url(record.id, "consent")
        },
        l: Layout::new(ctx, ctx.t("employment-title"))
            .with_nav(Nav::NewApplication)
            .with_form(step_url(record.id, "employment")),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// The user's documents that can go into a slot taking `types` (all when empty), newest first.
fn reusable(
    documents: &HashMap<Uuid, Document>,
    exclude: &[Uuid],
    types: Option<&[izin_domain::documents::ContentType]>,
) -> Vec<Choice> {
    let mut list: Vec<&Document> = documents
        .values()
        .filter(|d| !exclude.contains(&d.id))
        .filter(|d| types.is_none_or(|t| t.contains(&d.content_type)))
        .collect();
    list.sort_by_key(|d| std::cmp::Reverse(d.created_at));
    list.into_iter()
        .map(|d| Choice {
            code: d.id.to_string(),
            label: format!(
                "{} ({})",
                d.file_name,
                date(izin_domain::calendar::today_in_turkiye(d.created_at))
            ),
            selected: false,
        })
        .collect()
}

pub async fn employment_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Employment) {
        return detail_redirect(id);
    }
    let documents = match super::user_documents(&state, &ctx, &session).await {
        Ok(documents) => documents,
        Err(response) => return response,
    };
    let values = employment_values(&state.app.catalog, &draft);
    render_employment(
        &state,
        &ctx,
        &record,
        &draft,
        &values,
        FormErrors::default(),
        &documents,
        false,
    )
}

/// Reads a multipart form: its text fields into values, and an uploaded file (the field named
/// `file_field`) stored as the user's document.
async fn multipart_values(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    request: axum::extract::Request,
    file_field: &str,
    errors: &mut FormErrors,
    error_field: &str,
) -> Result<(Values, Option<Document>), Response> {
    let (parts, body) = request.into_parts();
    let mut form = FormReader::new(&parts.headers, body);
    let mut uploaded = None;
    loop {
        let part = match form.next_file().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(_) => return Err(crate::errors::PageError::BadRequest.into_response_with(ctx)),
        };
        if part.name != file_field || part.file_name.is_empty() || ctx.language_switch.is_some() {
            part.drain().await;
            continue;
        }
        let file_name = part.file_name.clone();
        match state
            .app
            .documents()
            .upload(
                &session.user,
                DocumentKind::Other,
                &file_name,
                part.stream(),
                &ctx.client,
            )
            .await
        {
            Ok(document) => uploaded = Some(document),
            Err(UploadError::Empty) => {}
            Err(e) => {
                if !e.is_user_error() {
                    tracing::error!(error = %e, "upload failed");
                }
                errors.add(error_field, upload_message(ctx, DocumentKind::Other, &e));
            }
        }
    }
    if form.too_large() {
        // Said with the limit, on the form with what was typed.
        errors.add(error_field, too_large_message(ctx, DocumentKind::Other));
    }
    let values = form.values().clone();
    Ok((values, uploaded))
}

pub async fn save_employment(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let mut errors = FormErrors::default();
    let (mut values, uploaded) = match multipart_values(
        &state,
        &ctx,
        &session,
        request,
        "employment_contract_document_id_file",
        &mut errors,
        "employment_contract_document_id",
    )
    .await
    {
        Ok(read) => read,
        Err(response) => return response,
    };
    if ctx.language_switch.is_some() {
        let (record, draft) = match load(&state, &ctx, &session, id).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        let documents = match super::user_documents(&state, &ctx, &session).await {
            Ok(documents) => documents,
            Err(response) => return response,
        };
        return render_employment(
            &state,
            &ctx,
            &record,
            &draft,
            &values,
            FormErrors::default(),
            &documents,
            false,
        );
    }
    // A new file wins over a chosen document, which wins over the one already there.
    if let Some(document) = &uploaded {
        values.set("employment_contract_document_id", document.id.to_string());
    } else if let Some(existing) = values.get("employment_contract_document_id_existing") {
        values.set("employment_contract_document_id", existing);
    }
    let service = state.app.applications();
    let result = if errors.is_empty() {
        service
            .save_employment(&session.user, id, &employment_input(&values), &ctx.client)
            .await
    } else {
        Err(ApplicationError::Invalid(Vec::new()))
    };
    match result {
        Ok(_) => Redirect::to(&after(id, Step::Employment)).into_response(),
        Err(e) => {
            match e {
                ApplicationError::Invalid(violations) => errors.add_violations(&ctx, &violations),
                ApplicationError::NotEditable(_) => return detail_redirect(id),
                other if general_error(&ctx, &mut errors, &other) => {}
                other => return page_failure(&ctx, other),
            }
            let (record, draft) = match load(&state, &ctx, &session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let documents = match super::user_documents(&state, &ctx, &session).await {
                Ok(documents) => documents,
                Err(response) => return response,
            };
            render_employment(
                &state, &ctx, &record, &draft, &values, errors, &documents, false,
            )
        }
    }
}

// ------------------------------------------------------------------ step 6: documents

pub struct SlotView {
    pub slot: String,
    pub anchor: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub count: String,
    pub full: bool,
    pub files: Vec<FileLink>,
    pub reusable: Vec<Choice>,
    pub accept: String,
    pub action: String,
    pub upload_action: String,
}

#[derive(Template)]
#[template(path = "applications/documents.html")]
struct DocumentsPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    slots: Vec<SlotView>,
    previous: String,
    next: String,
}

fn slot_anchor(slot: &str) -> String {
    format!("slot-{slot}")
}

fn render_documents(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    documents: &HashMap<Uuid, Document>,
    errors: FormErrors,
    saved: bool,
) -> Response {
    let language = ctx.language;
    let slots = state
        .app
        .catalog
        .category(&draft.category)
        .map(|(_, category)| {
            category
                .documents
                .iter()
                .map(|slot| {
                    let ids = draft.documents.get(&slot.slot).cloned().unwrap_or_default();
                    let files: Vec<FileLink> = ids
                        .iter()
                        .filter_map(|id| documents.get(id))
                        .map(FileLink::new)
                        .collect();
                    let accepts = slot.accepts();
                    let accept = accepts
                        .iter()
                        .map(|t| t.mime())
                        .collect::<Vec<_>>()
                        .join(",");
                    SlotView {
                        anchor: slot_anchor(&slot.slot),
                        label: slot.label.get(language).to_owned(),
                        help: slot.help.get(language).to_owned(),
                        required: slot.required,
                        count: ctx.tf(
                            "slot-count",
                            &[
                                ("count", Value::from(files.len())),
                                ("max", Value::from(slot.max_files)),
                            ],
                        ),
                        full: files.len() >= usize::from(slot.max_files),
                        reusable: reusable(documents, &ids, Some(&accepts)),
                        files,
                        accept,
                        action: step_url(record.id, "documents"),
                        upload_action: format!("{}/upload", step_url(record.id, "documents")),
                        slot: slot.slot.clone(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let mut w = frame(ctx, state, Some(record), Some(draft), Step::Documents);
    w.saved = saved;
    // Said on the page after the employment step, so it is seen before going on.
    w.notice = crate::application_texts::workplace_warning(ctx, &draft.employment);
    let page = DocumentsPage {
        w,
        errors,
        slots,
        previous: step_url(record.id, "employment"),
        next: after(record.id, Step::Documents),
        l: Layout::new(ctx, ctx.t("step-documents")).with_nav(Nav::NewApplication),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn documents_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Documents) {
        return detail_redirect(id);
    }
    let documents = match super::user_documents(&state, &ctx, &session).await {
        Ok(documents) => documents,
        Err(response) => return response,
    };
    render_documents(
        &state,
        &ctx,
        &record,
        &draft,
        &documents,
        FormErrors::default(),
        false,
    )
}

async fn documents_outcome(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    id: Uuid,
    slot: &str,
    result: Result<(), ApplicationError>,
    mut errors: FormErrors,
) -> Response {
    match result {
        Ok(()) if errors.is_empty() => {
            // Back to the slot the person was working on (the top when none was named).
            let anchor = if slot.is_empty() {
                String::new()
            } else {
                format!("#{}", slot_anchor(slot))
            };
            Redirect::to(&format!("{}{anchor}", step_url(id, "documents"))).into_response()
        }
        Ok(()) => {
            let (record, draft) = match load(state, ctx, session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let documents = match super::user_documents(state, ctx, session).await {
                Ok(documents) => documents,
                Err(response) => return response,
            };
            render_documents(state, ctx, &record, &draft, &documents, errors, false)
        }
        Err(e) => {
            match e {
                ApplicationError::Invalid(violations) => {
                    for v in &violations {
                        errors.add(&slot_anchor(slot), crate::forms::violation_message(ctx, v));
                    }
                }
                ApplicationError::Upload(e) => {
                    errors.add(
                        &slot_anchor(slot),
                        upload_message(ctx, DocumentKind::Other, &e),
                    );
                }
                ApplicationError::NotEditable(_) => return detail_redirect(id),
                other if general_error(ctx, &mut errors, &other) => {}
                other => return page_failure(ctx, other),
            }
            Box::pin(documents_outcome(
                state,
                ctx,
                session,
                id,
                slot,
                Ok(()),
                errors,
            ))
            .await
        }
    }
}

/// Reuses a document in a slot, or removes one.
pub async fn save_documents(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let service = state.app.applications();
    let slot = values.one("slot");
    let result = if let Some(remove) = values.get("remove").and_then(|r| Uuid::parse_str(&r).ok()) {
        service
            .detach_document(&session.user, id, remove, &ctx.client)
            .await
            .map(|_| ())
            .or_else(already_detached)
    } else {
        match values
            .get("document_id")
            .and_then(|r| Uuid::parse_str(&r).ok())
        {
            Some(document) => service
                .attach_document(&session.user, id, &slot, document, &ctx.client)
                .await
                .map(|_| ()),
            None => Err(ApplicationError::Invalid(vec![
                izin_domain::profile::Violation::new("document_id", "choice-required"),
            ])),
        }
    };
    documents_outcome(
        &state,
        &ctx,
        &session,
        id,
        &slot,
        result,
        FormErrors::default(),
    )
    .await
}

/// Uploads a file into a slot.
pub async fn upload_document(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut form = FormReader::new(&parts.headers, body);
    let part = match form.file("file").await {
        Ok(part) => part,
        Err(_) => return crate::errors::PageError::BadRequest.into_response_with(&ctx),
    };
    if let Some(part) = part {
        let slot = form.values().one("slot");
        let file_name = part.file_name.clone();
        let result = state
            .app
            .applications()
            .upload_to_slot(
                &session.user,
                id,
                &slot,
                &file_name,
                part.stream(),
                &ctx.client,
            )
            .await
            .map(|_| ());
        let mut errors = FormErrors::default();
        let result = match result {
            // The body went past the limit while the file was read: say the limit.
            Err(_) if form.read_to_end().await => {
                errors.add(
                    &slot_anchor(&slot),
                    too_large_message(&ctx, DocumentKind::Other),
                );
                Ok(())
            }
            other => other,
        };
        return documents_outcome(&state, &ctx, &session, id, &slot, result, errors).await;
    }
    let slot = form.values().one("slot");
    let mut errors = FormErrors::default();
    if form.too_large() {
        errors.add(
            &slot_anchor(&slot),
            too_large_message(&ctx, DocumentKind::Other),
        );
    } else {
        errors.add(&slot_anchor(&slot), ctx.t("upload-empty").to_owned());
    }
    documents_outcome(&state, &ctx, &session, id, &slot, Ok(()), errors).await
}

// ------------------------------------------------------------------ step 7: additional

#[derive(Template)]
#[template(path = "applications/additional.html")]
struct AdditionalPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    files: Vec<FileLink>,
    other_information: String,
    action: String,
    remove_action: String,
    previous: String,
}

#[allow(clippy::too_many_arguments)]
fn render_additional(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    documents: &HashMap<Uuid, Document>,
    other_information: String,
    errors: FormErrors,
    saved: bool,
) -> Response {
    let mut w = frame(ctx, state, Some(record), Some(draft), Step::Additional);
    w.saved = saved;
    let page = AdditionalPage {
        w,
        errors,
        files: draft
            .additional_document_ids
            .iter()
            .filter_map(|id| documents.get(id))
            .map(FileLink::new)
            .collect(),
        other_information,
        action: step_url(record.id, "additional"),
        remove_action: format!("{}/remove", step_url(record.id, "additional")),
        previous: step_url(record.id, "documents"),
        l: Layout::new(ctx, ctx.t("step-additional"))
            .with_nav(Nav::NewApplication)
            .with_form(step_url(record.id, "additional")),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn additional_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !editable(&record, Step::Additional) {
        return detail_redirect(id);
    }
    let documents = match super::user_documents(&state, &ctx, &session).await {
        Ok(documents) => documents,
        Err(response) => return response,
    };
    let text = draft
        .other_information
        .as_ref()
        .map(|t| t.as_str().to_owned())
        .unwrap_or_default();
    render_additional(
        &state,
        &ctx,
        &record,
        &draft,
        &documents,
        text,
        FormErrors::default(),
        false,
    )
}

pub async fn save_additional(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let mut errors = FormErrors::default();
    let (values, uploaded) = match multipart_values(
        &state,
        &ctx,
        &session,
        request,
        "file",
        &mut errors,
        "file",
    )
    .await
    {
        Ok(read) => read,
        Err(response) => return response,
    };
    let (record, draft) = match load(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if ctx.language_switch.is_some() {
        let documents = match super::user_documents(&state, &ctx, &session).await {
            Ok(documents) => documents,
            Err(response) => return response,
        };
        return render_additional(
            &state,
            &ctx,
            &record,
            &draft,
            &documents,
            values.one("other_information"),
            FormErrors::default(),
            false,
        );
    }
    let mut ids: Vec<String> = draft
        .additional_document_ids
        .iter()
        .map(Uuid::to_string)
        .collect();
    if let Some(document) = &uploaded {
        ids.push(document.id.to_string());
    }
    let input = AdditionalInput {
        other_information: values.get("other_information"),
        document_ids: ids,
    };
    let result = state
        .app
        .applications()
        .save_additional(&session.user, id, &input, &ctx.client)
        .await;
    match result {
        Ok(_) if errors.is_empty() => {
            if values.one("then") == "preview" {
                Redirect::to(&step_url(id, "preview")).into_response()
            } else {
                Redirect::to(&step_url(id, "additional")).into_response()
            }
        }
        Ok(_)
        | Err(ApplicationError::Invalid(_))
        | Err(ApplicationError::Registry(_))
        | Err(ApplicationError::Conflict) => {
            if let Err(e) = result {
                match e {
                    ApplicationError::Invalid(violations) => {
                        errors.add_violations(&ctx, &violations)
                    }
                    other => {
                        general_error(&ctx, &mut errors, &other);
                    }
                }
                if let Some(document) = uploaded {
                    // The text was refused, so the new file was not added: it is not wanted.
                    let _ = state
                        .app
                        .documents()
                        .delete(&session.user, document.id, &ctx.client)
                        .await;
                }
            }
            let (record, draft) = match load(&state, &ctx, &session, id).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            let documents = match super::user_documents(&state, &ctx, &session).await {
                Ok(documents) => documents,
                Err(response) => return response,
            };
            render_additional(
                &state,
                &ctx,
                &record,
                &draft,
                &documents,
                values.one("other_information"),
                errors,
                false,
            )
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => page_failure(&ctx, e),
    }
}

pub async fn remove_additional(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let Some(remove) = values.get("remove").and_then(|r| Uuid::parse_str(&r).ok()) else {
        return match load(&state, &ctx, &session, id).await {
            Ok(_) => Redirect::to(&step_url(id, "additional")).into_response(),
            Err(response) => response,
        };
    };
    match state
        .app
        .applications()
        .detach_document(&session.user, id, remove, &ctx.client)
        .await
    {
        Ok(_) | Err(ApplicationError::DocumentNotAttached) => {
            Redirect::to(&step_url(id, "additional")).into_response()
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => page_failure(&ctx, e),
    }
}

/// A page's Remove pressed twice (a second tab, a resent form) finds the document gone already:
/// what the person wanted is done.
fn already_detached(error: ApplicationError) -> Result<(), ApplicationError> {
    match error {
        ApplicationError::DocumentNotAttached => Ok(()),
        other => Err(other),
    }
}

// ------------------------------------------------------------------ step 8: preview

#[derive(Template)]
#[template(path = "applications/preview.html")]
struct PreviewPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    sheet: sheet::Sheet,
    failures: Vec<(String, Option<String>)>,
    fees: Vec<(String, String)>,
    revision: bool,
    idempotency_key: String,
    action: String,
    back: String,
}

async fn render_preview(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    id: Uuid,
    errors: FormErrors,
) -> Response {
    let preview = match state.app.applications().preview(&session.user, id).await {
        Ok(preview) => preview,
        Err(e) => return page_failure(ctx, e),
    };
    let record = &preview.record;
    let revision = record.lifecycle.status == Status::Revision;
    if !editable(record, Step::Preview) {
        return detail_redirect(id);
    }
    let draft: Draft = match serde_json::from_value(record.data.clone()) {
        Ok(draft) => draft,
        Err(e) => return page_failure(ctx, e.into()),
    };
    let sheet = sheet::build(
        ctx,
        &state.app.catalog,
        &state.app.reference,
        &SheetSource {
            draft: &draft,
            profile: &preview.profile,
            email: &session.user.email,
            documents: &preview.documents,
            edit_base: Some(format!("/applications/{id}")),
        },
    );
    let failures = preview
        .failures
        .iter()
        .map(|f| {
            let href = if revision && !f.step.editable_in(Status::Revision) {
                Some(format!("/applications/{id}"))
            } else {
                rule_link(id, f)
            };
            (
                rule_message(ctx, &state.app.catalog, &draft.category, f),
                href,
            )
        })
        .collect();
    let fees = preview
        .fees
        .filter(|f| f.is_due())
        .map(|f| {
            vec![
                (
                    ctx.t("preview-fee-exemption").to_owned(),
                    format!("{} ₺", f.exemption_fee.display(ctx.language)),
                ),
                (
                    ctx.t("preview-fee-paper").to_owned(),
                    format!("{} ₺", f.valuable_paper_fee.display(ctx.language)),
                ),
                (
                    ctx.t("preview-fee-total").to_owned(),
                    format!("{} ₺", f.total().display(ctx.language)),
                ),
            ]
        })
        .unwrap_or_default();
    let page = PreviewPage {
        w: frame(ctx, state, Some(record), Some(&draft), Step::Preview),
        errors,
        sheet,
        failures,
        fees,
        revision,
        idempotency_key: Uuid::new_v4().to_string(),
        action: if revision {
            format!("/applications/{id}/revision/submit")
        } else {
            format!("/applications/{id}/submit")
        },
        back: step_url(id, "employment"),
        l: Layout::new(ctx, ctx.t("step-preview")).with_nav(Nav::NewApplication),
    };
    let invalid = !page.errors.is_empty();
    let mut response = render(&page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

pub async fn preview_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    render_preview(&state, &ctx, &session, id, FormErrors::default()).await
}

/// "Create My Application". The form carries a key made when the preview was shown, so a double
/// click (or a resent form) gets the application the first click created.
pub async fn submit(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    // The same rule as the API's header; the page makes a good key, so a bad one was altered.
    let Ok(key) = IdempotencyKey::parse(&values.one("idempotency_key")) else {
        return crate::errors::PageError::BadRequest.into_response_with(&ctx);
    };
    match state
        .app
        .applications()
        .submit(&session.user, id, key.as_ref(), &ctx.client)
        .await
    {
        Ok(_) => Redirect::to(&format!("/applications/{id}/created")).into_response(),
        Err(ApplicationError::Rules(_)) => {
            render_preview(&state, &ctx, &session, id, FormErrors::default()).await
        }
        Err(ApplicationError::NotEditable(_)) => {
            // Sent again (the Back button, an old tab): say it is already created.
            Redirect::to(&format!("/applications/{id}?already=created")).into_response()
        }
        Err(e) => {
            let mut errors = FormErrors::default();
            if general_error(&ctx, &mut errors, &e) {
                render_preview(&state, &ctx, &session, id, errors).await
            } else {
                failure_page(&ctx, e)
            }
        }
    }
}

/// "Make a Revision", sent back.
pub async fn resubmit(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match state
        .app
        .applications()
        .resubmit(&session.user, id, &ctx.client)
        .await
    {
        Ok(_) => Redirect::to(&format!("/applications/{id}?resubmitted=1")).into_response(),
        Err(ApplicationError::Rules(_)) => {
            render_preview(&state, &ctx, &session, id, FormErrors::default()).await
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => {
            let mut errors = FormErrors::default();
            if general_error(&ctx, &mut errors, &e) {
                render_preview(&state, &ctx, &session, id, errors).await
            } else {
                failure_page(&ctx, e)
            }
        }
    }
}

/// The first step still to do of a draft ("Continue" in My Applications).
pub fn next_step(state: &WebState, draft: &Draft) -> &'static str {
    draft.resume_at(&state.app.catalog).code()
}
