//! Step 6: the category's supporting documents, uploaded or chosen from the user's documents.

use super::*;

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
pub(crate) struct DocumentsPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    slots: Vec<SlotView>,
    previous: String,
    next: String,
}

pub(crate) fn slot_anchor(slot: &str) -> String {
    format!("slot-{slot}")
}

pub(crate) fn render_documents(
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
    let mut w = frame(
        ctx,
        state,
        Kind::WorkPermitExemption,
        Some(record),
        Step::DOCUMENTS,
    );
    w.saved = saved;
    // Said on the page after the employment step, so it is seen before going on.
    w.notice = crate::application_texts::workplace_warning(ctx, &draft.employment);
    let page = DocumentsPage {
        w,
        errors,
        slots,
        previous: step_url(record.id, "employment"),
        next: after(record.id, Step::DOCUMENTS),
        l: Layout::new(ctx, ctx.t("step-documents")).with_nav(Nav::NewApplication),
    };
    let invalid = !page.errors.is_empty();
    render_step(&page, invalid)
}

pub async fn documents_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    let (record, draft) = match load_editable(&state, &ctx, &session, id, Step::DOCUMENTS).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let documents = match super::super::user_documents(&state, &ctx, &session).await {
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

pub(crate) async fn documents_outcome(
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
            let documents = match super::super::user_documents(state, ctx, session).await {
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
