//! The last step of every kind: the preview with every rule that still fails, and "Create My
//! Application" (and, in a revision, "Make a Revision").

use super::*;

#[derive(Template)]
#[template(path = "applications/preview.html")]
pub(crate) struct PreviewPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    sheet: crate::pages::applications::sheet::Sheet,
    failures: Vec<(String, Option<String>)>,
    fees: Vec<(String, String)>,
    /// The amounts are decided by an officer's review.
    fees_after_review: bool,
    create_label: String,
    revision: bool,
    idempotency_key: String,
    action: String,
    back: String,
}

pub(crate) async fn render_preview(
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
    if !editable(state, record, Step::PREVIEW) {
        return detail_redirect(id);
    }
    let pages = pages_for(record.kind);
    let sheet = match pages.sheet(
        ctx,
        state,
        &super::super::kinds::SheetData {
            data: &record.data,
            profile: &preview.profile,
            email: &session.user.email,
            documents: &preview.documents,
            edit_base: Some(format!("/applications/{id}")),
        },
    ) {
        Ok(sheet) => sheet,
        Err(e) => return page_failure(ctx, e.into()),
    };
    let kind = state.app.applications().kind(record.kind);
    let failures = preview
        .failures
        .iter()
        .map(|f| {
            let href = if revision && f.step != Step::PROFILE && !kind.step_editable(f.step, record)
            {
                Some(format!("/applications/{id}"))
            } else {
                rule_link(id, f)
            };
            (rule_message(ctx, &state.app, Some(record), f), href)
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
    // A kind may name its button ("Create My New Card Application").
    let create_label = format!("preview-create-{}", record.kind.code());
    let create_label = if ctx.texts.has(&create_label) {
        ctx.t(&create_label).to_owned()
    } else {
        ctx.t("preview-create").to_owned()
    };
    let page = PreviewPage {
        fees_after_review: preview.fees_decided_after_review,
        create_label,
        w: frame(ctx, state, record.kind, Some(record), Step::PREVIEW),
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
        back: pages.back_from_preview(id),
        l: Layout::new(ctx, ctx.t("step-preview")).with_nav(Nav::NewApplication),
    };
    let invalid = !page.errors.is_empty();
    render_step(&page, invalid)
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
