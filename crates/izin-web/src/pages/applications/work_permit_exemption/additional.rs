//! Step 7: other information and additional documents.

use super::*;

#[derive(Template)]
#[template(path = "applications/additional.html")]
pub(crate) struct AdditionalPage<'a> {
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
pub(crate) fn render_additional(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &Draft,
    documents: &HashMap<Uuid, Document>,
    other_information: String,
    errors: FormErrors,
    saved: bool,
) -> Response {
    let mut w = frame(
        ctx,
        state,
        Kind::WorkPermitExemption,
        Some(record),
        Step::ADDITIONAL,
    );
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
    render_step(&page, invalid)
}

pub async fn additional_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::ADDITIONAL).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let documents = match super::super::user_documents(&state, &ctx, &session).await {
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
        let documents = match super::super::user_documents(&state, &ctx, &session).await {
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
            let documents = match super::super::user_documents(&state, &ctx, &session).await {
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
pub(crate) fn already_detached(error: ApplicationError) -> Result<(), ApplicationError> {
    match error {
        ApplicationError::DocumentNotAttached => Ok(()),
        other => Err(other),
    }
}
