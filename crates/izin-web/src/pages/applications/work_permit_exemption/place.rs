//! Steps 1–2: the residence-right inquiry and the place of application (in Türkiye with a
//! residence right or an entry within the deadline, or abroad with a consulate's reference number).

use super::*;

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
pub(crate) struct PlacePage<'a> {
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

pub(crate) async fn inquiry(state: &WebState, ctx: &Ctx, session: &CurrentSession) -> InquiryView {
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
pub(crate) const PREVIOUS_SCAN: &str = "previous_passport_scan_document_id";
pub(crate) const PREVIOUS_SCAN_FILE: &str = "previous_passport_scan_document_id_file";

pub(crate) fn place_values(draft: Option<&Draft>) -> Values {
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
pub(crate) async fn render_place(
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
        super::super::user_documents(state, ctx, session),
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
    let mut w = frame(ctx, state, Kind::WorkPermitExemption, record, Step::PLACE);
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
    render_step(&page, invalid)
}

pub(crate) fn place_input(values: &Values) -> PlaceInput {
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
pub(crate) async fn place_form(
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
pub(crate) fn place_errors(
    ctx: &Ctx,
    errors: &mut FormErrors,
    error: ApplicationError,
) -> Option<Response> {
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
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::PLACE).await {
        Ok(found) => found,
        Err(response) => return response,
    };
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
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::PLACE).await {
        Ok(found) => found,
        Err(response) => return response,
    };
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
        Ok(_) => Redirect::to(&after(id, Step::PLACE)).into_response(),
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
