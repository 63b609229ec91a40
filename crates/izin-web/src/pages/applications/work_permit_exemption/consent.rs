//! Step 4: the explicit consent to the processing of personal data (KVKK), recorded with its
//! version and time.

use super::*;

#[derive(Template)]
#[template(path = "applications/consent.html")]
pub(crate) struct ConsentPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    information: String,
    statement: String,
    given: Option<String>,
    action: String,
    previous: String,
}

pub(crate) fn render_consent(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    errors: FormErrors,
) -> Response {
    let texts = &state.app.texts;
    let page = ConsentPage {
        w: frame(
            ctx,
            state,
            Kind::WorkPermitExemption,
            Some(record),
            Step::CONSENT,
        ),
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
    render_step(&page, invalid)
}

pub async fn consent_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::CONSENT).await {
        Ok(found) => found,
        Err(response) => return response,
    };
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
        Ok(_) => Redirect::to(&after(id, Step::CONSENT)).into_response(),
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
