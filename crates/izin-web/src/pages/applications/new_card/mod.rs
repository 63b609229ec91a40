//! The New Card Application's own page: the reason (the seed's three, each with what it costs
//! and what it needs), the description and documents of a card printed wrongly, the two columns
//! of a change in personal information, and the address the card goes to. The preview, "Create
//! My New Card Application" and the steps bar are the shared wizard's.

use super::kinds::{KindPages, SheetData};
use super::page_failure;
use super::sheet::{FileLink, Rows, Sheet, SheetSection, SheetTable, SheetTableRow, files};
use super::wizard::{
    WizardFrame, detail_redirect, form_values, frame, general_error, render_step, step_url,
};
use crate::WebState;
use crate::context::{Ctx, RequestContext, SignedIn};
use crate::extract::ValidPath;
use crate::forms::FormErrors;
use crate::layout::{Layout, Nav};
use crate::multipart::FormReader;
use crate::pages::fields::Values;
use crate::uploads::{UPLOAD_BODY_LIMIT, too_large_message, upload_message};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::applications::ApplicationError;
use izin_app::auth::CurrentSession;
use izin_domain::application::new_card::{
    CARD_FRONT_BACK_SLOT, CardInput, DESCRIPTION_MAX, DESCRIPTION_MIN, NewCard, NewCardDraft,
    Reason, SUPPORTING_SLOT, amounts,
};
use izin_domain::application::{Kind, Step};
use izin_domain::documents::DocumentKind;
use izin_domain::identity::{Comparison, Identity};
use izin_domain::money::FeeKind;
use izin_domain::records::{ApplicationRecord, Document};
use izin_i18n::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// The new card's step routes.
pub(crate) fn router() -> Router<WebState> {
    Router::new()
        .route("/applications/{id}/card", get(card_page).post(save_card))
        .route(
            "/applications/{id}/card/upload",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/applications/{id}/card/remove", post(remove))
}

/// The new card's part of the shared pages.
pub(crate) struct NewCardPages;

impl KindPages for NewCardPages {
    fn sheet(
        &self,
        ctx: &RequestContext,
        _state: &WebState,
        source: &SheetData<'_>,
    ) -> Result<Sheet, serde_json::Error> {
        let draft = NewCard::draft(source.data)?;
        Ok(sheet(ctx, &draft, source))
    }

    fn back_from_preview(&self, id: Uuid) -> String {
        step_url(id, Step::CARD.code())
    }

    fn start_href(&self) -> Option<&'static str> {
        None
    }
}

/// A field of an identity as a row shows it.
type IdentityField = (&'static str, fn(&Identity) -> String);

fn identity_rows(ctx: &RequestContext, comparison: &Comparison) -> SheetTable {
    let fields: [IdentityField; 7] = [
        ("foreigner_id", |i| i.foreigner_id.clone()),
        ("first_name", |i| i.first_name.clone()),
        ("last_name", |i| i.last_name.clone()),
        ("mother_name", |i| i.mother_name.clone()),
        ("father_name", |i| i.father_name.clone()),
        ("nationality", |i| i.nationality.clone()),
        ("date_of_birth", |i| {
            i.date_of_birth
                .map(izin_domain::calendar::display_date)
                .unwrap_or_default()
        }),
    ];
    SheetTable {
        caption: ctx.t("card-comparison-caption").to_owned(),
        headings: vec![
            ctx.t("card-comparison-field").to_owned(),
            ctx.t("card-comparison-system").to_owned(),
            ctx.t("card-comparison-registry").to_owned(),
        ],
        rows: fields
            .iter()
            .map(|(field, value)| SheetTableRow {
                cells: vec![
                    ctx.t(&format!("field-{field}")).to_owned(),
                    value(&comparison.system),
                    value(&comparison.registry),
                ],
                marked: comparison.differs.iter().any(|d| d == field),
            })
            .collect(),
    }
}

fn sheet(ctx: &RequestContext, draft: &NewCardDraft, source: &SheetData<'_>) -> Sheet {
    let edit = source.edit_base.as_ref().map(|base| format!("{base}/card"));
    let mut reason = Rows::new(ctx);
    reason.add(
        "field-reason",
        draft
            .reason
            .map(|r| ctx.t(&format!("reason-{}", r.code())).to_owned()),
    );
    if draft.reason == Some(Reason::AdministrationError) || draft.description.is_some() {
        reason.add(
            "field-description",
            draft.description.as_ref().map(|d| d.as_str().to_owned()),
        );
    }
    let slot_files = |slot: &str| {
        files(
            &draft.documents.get(slot).cloned().unwrap_or_default(),
            source.documents,
        )
    };
    let mut sections = vec![SheetSection {
        title: ctx.t("card-title").to_owned(),
        edit: edit.clone(),
        rows: reason.rows,
        files: if draft.reason == Some(Reason::AdministrationError) || !draft.documents.is_empty() {
            vec![
                (
                    ctx.t("slot-supporting").to_owned(),
                    slot_files(SUPPORTING_SLOT),
                ),
                (
                    ctx.t("slot-card_front_back").to_owned(),
                    slot_files(CARD_FRONT_BACK_SLOT),
                ),
            ]
        } else {
            Vec::new()
        },
        table: None,
    }];
    if draft.reason == Some(Reason::PersonalInformationChange)
        && let Some(comparison) = &draft.comparison
    {
        sections.push(SheetSection {
            title: ctx.t("card-comparison-title").to_owned(),
            edit: None,
            rows: Vec::new(),
            files: Vec::new(),
            table: Some(identity_rows(ctx, comparison)),
        });
    }
    let mut address = Rows::new(ctx);
    address.add(
        "card-address-registered",
        draft.registered_address.as_ref().map(|a| a.address.clone()),
    );
    if let Some(different) = &draft.different_address {
        address.add("card-address-different", Some(different.address.clone()));
    }
    sections.push(SheetSection {
        title: ctx.t("card-address-registered").to_owned(),
        edit,
        rows: address.rows,
        files: Vec::new(),
        table: None,
    });
    Sheet::new(sections)
}

/// One reason as the page offers it: its label, what it needs, and what it costs.
pub struct ReasonView {
    pub code: &'static str,
    pub label: String,
    pub help: String,
    pub amounts: Vec<String>,
    pub checked: bool,
}

/// A document slot of the page.
pub struct SlotView {
    pub slot: &'static str,
    pub anchor: String,
    pub label: String,
    pub help: String,
    pub files: Vec<FileLink>,
}

#[derive(Template)]
#[template(path = "applications/card.html")]
pub(crate) struct CardPage<'a> {
    l: Layout<'a>,
    w: WizardFrame,
    errors: FormErrors,
    reasons: Vec<ReasonView>,
    estimate: bool,
    description: String,
    description_help: String,
    comparison: Option<SheetTable>,
    nothing_changed: bool,
    registered_address: Option<String>,
    different: bool,
    residential_code: String,
    different_saved: Option<String>,
    slots: Vec<SlotView>,
    action: String,
    upload_action: String,
    remove_action: String,
}

/// What the form shows: the values typed (when coming back with problems) or the draft's.
fn card_values(draft: &NewCardDraft) -> Values {
    let mut values = Values::default();
    if let Some(reason) = draft.reason {
        values.push("reason", reason.code().to_owned());
    }
    if let Some(description) = &draft.description {
        values.push("description", description.as_str().to_owned());
    }
    if let Some(code) = draft
        .different_address
        .as_ref()
        .and_then(|a| a.residential_code.as_ref())
    {
        values.push("different", "yes".to_owned());
        values.push("residential_code", code.as_str().to_owned());
    }
    values
}

fn render_card(
    state: &WebState,
    ctx: &Ctx,
    record: &ApplicationRecord,
    draft: &NewCardDraft,
    documents: &HashMap<Uuid, Document>,
    values: &Values,
    errors: FormErrors,
) -> Response {
    let year = izin_domain::calendar::today_in_turkiye(state.app.clock.now()).year();
    let fees = &state.app.catalog.fees;
    let chosen = values.one("reason");
    let mut estimate = false;
    let reasons = Reason::ALL
        .into_iter()
        .map(|reason| {
            let due = amounts(reason, fees, year);
            estimate |= due.amounts.iter().any(|a| !a.published);
            let amounts = if due.decided_after_review {
                vec![ctx.t("card-amount-after-review").to_owned()]
            } else {
                let of = |kind: FeeKind| {
                    due.amounts
                        .iter()
                        .find(|a| a.kind == kind)
                        .map_or_else(|| "0".to_owned(), |a| a.amount.display(ctx.language))
                };
                vec![
                    ctx.tf(
                        "card-amount-fee",
                        &[("amount", Value::from(of(FeeKind::ExemptionFee)))],
                    ),
                    ctx.tf(
                        "card-amount-paper",
                        &[("amount", Value::from(of(FeeKind::ValuablePaperFee)))],
                    ),
                ]
            };
            ReasonView {
                code: reason.code(),
                label: ctx.t(&format!("reason-{}", reason.code())).to_owned(),
                help: ctx.t(&format!("reason-{}-help", reason.code())).to_owned(),
                amounts,
                checked: chosen == reason.code(),
            }
        })
        .collect();
    let comparison = draft
        .comparison
        .as_ref()
        .filter(|_| draft.reason == Some(Reason::PersonalInformationChange));
    let slots = [SUPPORTING_SLOT, CARD_FRONT_BACK_SLOT]
        .into_iter()
        .map(|slot| SlotView {
            slot,
            anchor: format!("slot-{slot}"),
            label: ctx.t(&format!("slot-{slot}")).to_owned(),
            help: ctx.t(&format!("slot-{slot}-help")).to_owned(),
            files: files(
                &draft.documents.get(slot).cloned().unwrap_or_default(),
                documents,
            ),
        })
        .collect();
    let action = step_url(record.id, Step::CARD.code());
    let page = CardPage {
        w: frame(ctx, state, Kind::NewCard, Some(record), Step::CARD),
        errors,
        reasons,
        estimate,
        description: values.one("description"),
        description_help: ctx.tf(
            "card-description-help",
            &[
                ("min", Value::from(DESCRIPTION_MIN)),
                ("max", Value::from(DESCRIPTION_MAX)),
            ],
        ),
        comparison: comparison.map(|c| identity_rows(ctx, c)),
        nothing_changed: comparison.is_some_and(|c| c.differs.is_empty()),
        registered_address: draft.registered_address.as_ref().map(|a| a.address.clone()),
        different: values.get("different").as_deref() == Some("yes"),
        residential_code: values.one("residential_code"),
        different_saved: draft.different_address.as_ref().map(|a| {
            ctx.tf(
                "card-address-different-saved",
                &[("address", Value::from(a.address.clone()))],
            )
        }),
        slots,
        upload_action: format!("{action}/upload"),
        remove_action: format!("{action}/remove"),
        l: Layout::new(ctx, ctx.t("card-title"))
            .with_nav(Nav::MyApplications)
            .with_form(action.clone()),
        action,
    };
    let invalid = !page.errors.is_empty();
    render_step(&page, invalid)
}

/// The new-card draft `id` for the card page, or the page that says why not (its Detail page
/// once the step cannot change).
async fn load_editable(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    id: Uuid,
) -> Result<(ApplicationRecord, NewCardDraft, HashMap<Uuid, Document>), Response> {
    let (record, draft) = match state
        .app
        .applications()
        .new_card_draft(&session.user, id)
        .await
    {
        Ok(found) => found,
        Err(e) => return Err(page_failure(ctx, e)),
    };
    if !super::wizard::editable(state, &record, Step::CARD) {
        return Err(detail_redirect(id));
    }
    let documents = super::user_documents(state, ctx, session).await?;
    Ok((record, draft, documents))
}

async fn card_page(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
) -> Response {
    match load_editable(&state, &ctx, &session, id).await {
        Ok((record, draft, documents)) => render_card(
            &state,
            &ctx,
            &record,
            &draft,
            &documents,
            &card_values(&draft),
            FormErrors::default(),
        ),
        Err(response) => response,
    }
}

/// Saves the step. A change in personal information comes back to show both columns; a card
/// printed wrongly comes back until its documents are in; otherwise on to the preview.
async fn save_card(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let (record, draft, documents) = match load_editable(&state, &ctx, &session, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if ctx.language_switch.is_some() {
        return render_card(
            &state,
            &ctx,
            &record,
            &draft,
            &documents,
            &values,
            FormErrors::default(),
        );
    }
    let different = values.get("different").as_deref() == Some("yes");
    let input = CardInput {
        reason: values.one("reason"),
        description: values.get("description"),
        different_address: values.get("residential_code").filter(|_| different),
    };
    let mut errors = FormErrors::default();
    if different
        && input
            .different_address
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
    {
        errors.add(
            "different_address_residential_code",
            ctx.t("address-code-shape").to_owned(),
        );
        return render_card(&state, &ctx, &record, &draft, &documents, &values, errors);
    }
    match state
        .app
        .applications()
        .save_card(&session.user, id, &input, &ctx.client)
        .await
    {
        Ok(saved) => {
            let saved_draft = NewCard::draft(&saved.data).unwrap_or_default();
            let next = match saved_draft.reason {
                Some(Reason::PersonalInformationChange) => {
                    format!("{}#comparison", step_url(id, "card"))
                }
                Some(Reason::AdministrationError)
                    if ![SUPPORTING_SLOT, CARD_FRONT_BACK_SLOT].iter().all(|slot| {
                        saved_draft
                            .documents
                            .get(*slot)
                            .is_some_and(|d| !d.is_empty())
                    }) =>
                {
                    format!("{}#slot-{SUPPORTING_SLOT}", step_url(id, "card"))
                }
                _ => step_url(id, Step::PREVIEW.code()),
            };
            Redirect::to(&next).into_response()
        }
        Err(ApplicationError::Invalid(violations)) => {
            errors.add_violations(&ctx, &violations);
            render_card(&state, &ctx, &record, &draft, &documents, &values, errors)
        }
        Err(ApplicationError::NotEditable(_)) => detail_redirect(id),
        Err(e) => {
            if general_error(&ctx, &mut errors, &e) {
                render_card(&state, &ctx, &record, &draft, &documents, &values, errors)
            } else {
                page_failure(&ctx, e)
            }
        }
    }
}

/// Back to the card page after a document's upload or removal, with the slot's problem if any.
async fn after_document(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    id: Uuid,
    slot: &str,
    result: Result<(), ApplicationError>,
    mut errors: FormErrors,
) -> Response {
    let anchor = format!("slot-{slot}");
    match result {
        Ok(()) if errors.is_empty() => {
            return Redirect::to(&format!("{}#{anchor}", step_url(id, "card"))).into_response();
        }
        Ok(()) => {}
        Err(ApplicationError::Invalid(violations)) => {
            for v in &violations {
                errors.add(&anchor, crate::forms::violation_message(ctx, v));
            }
        }
        Err(ApplicationError::Upload(e)) => {
            errors.add(&anchor, upload_message(ctx, DocumentKind::Other, &e));
        }
        Err(ApplicationError::NotEditable(_)) => return detail_redirect(id),
        Err(ApplicationError::DocumentNotAttached) => {}
        Err(other) if general_error(ctx, &mut errors, &other) => {}
        Err(other) => return page_failure(ctx, other),
    }
    match load_editable(state, ctx, session, id).await {
        Ok((record, draft, documents)) => render_card(
            state,
            ctx,
            &record,
            &draft,
            &documents,
            &card_values(&draft),
            errors,
        ),
        Err(response) => response,
    }
}

/// A file into one of the slots.
async fn upload(
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
    let slot = form.values().one("slot");
    let mut errors = FormErrors::default();
    let result = match part {
        Some(part) => {
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
            match result {
                // The body went past the limit while the file was read: say the limit.
                Err(_) if form.read_to_end().await => {
                    errors.add(
                        &format!("slot-{slot}"),
                        too_large_message(&ctx, DocumentKind::Other),
                    );
                    Ok(())
                }
                other => other,
            }
        }
        None if form.too_large() => {
            errors.add(
                &format!("slot-{slot}"),
                too_large_message(&ctx, DocumentKind::Other),
            );
            Ok(())
        }
        None => {
            errors.add(&format!("slot-{slot}"), ctx.t("upload-empty").to_owned());
            Ok(())
        }
    };
    after_document(&state, &ctx, &session, id, &slot, result, errors).await
}

/// Takes a document out of its slot (it stays in Documents).
async fn remove(
    State(state): State<WebState>,
    SignedIn(ctx, session): SignedIn,
    ValidPath(id): ValidPath<Uuid>,
    request: axum::extract::Request,
) -> Response {
    let values = match form_values(request, &ctx).await {
        Ok(values) => values,
        Err(response) => return response,
    };
    let slot = values.one("slot");
    let Some(document) = values.get("remove").and_then(|r| Uuid::parse_str(&r).ok()) else {
        return Redirect::to(&step_url(id, "card")).into_response();
    };
    let result = state
        .app
        .applications()
        .detach_document(&session.user, id, document, &ctx.client)
        .await
        .map(|_| ());
    after_document(
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
