//! The work-permit exemption's own wizard pages, one per step, each saved on the server as it is
//! left: the residence-right inquiry with the place of application, the category, the KVKK
//! consent, workplace and employer, supporting documents and additional documents. The preview,
//! "Create My Application" and the steps bar are the shared wizard's. A refused step comes back
//! with what was typed and every problem.

mod additional;
mod category;
mod consent;
mod documents;
mod employment;
mod place;
mod sheet;

use super::kinds::{KindPages, SheetData};
use super::page_failure;
use super::sheet::{FileLink, Sheet};
use super::wizard::{
    WizardFrame, detail_redirect, form_values, frame, general_error, render_step, step_url,
};
use crate::WebState;
use crate::application_texts::date;
use crate::context::{Ctx, RequestContext, SignedIn};
use crate::extract::ValidPath;
use crate::forms::FormErrors;
use crate::layout::{Layout, Nav};
use crate::multipart::FormReader;
use crate::pages::fields::{Choice, CurrentFile, FormField, Values};
use crate::uploads::{UPLOAD_BODY_LIMIT, too_large_message, upload_message};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::applications::ApplicationError;
use izin_app::applications::exemption::{KVKK_PAGES, ResidenceRightInquiry};
use izin_app::auth::CurrentSession;
use izin_app::documents::UploadError;
use izin_domain::application::work_permit_exemption::{
    AdditionalInput, Draft, EmploymentInput, PlaceInput, PreviousPassportInput, WIZARD,
};
use izin_domain::application::{Kind, Status, Step};
use izin_domain::documents::DocumentKind;
use izin_domain::records::{ApplicationRecord, Document};
use izin_i18n::Value;
use std::collections::HashMap;
use uuid::Uuid;

pub(crate) use additional::*;
pub(crate) use category::*;
pub(crate) use consent::*;
pub(crate) use documents::*;
pub(crate) use employment::*;
pub(crate) use place::*;

/// The exemption's step routes (the preview and "Create" are the shared wizard's).
pub(crate) fn router() -> Router<WebState> {
    Router::new()
        // The place step may carry a previous passport's scan.
        .route(
            "/applications/new",
            get(new_page)
                .post(start)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/applications/{id}/place",
            get(place_page)
                .post(save_place)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/applications/{id}/category",
            get(category_page).post(save_category),
        )
        .route(
            "/applications/{id}/consent",
            get(consent_page).post(save_consent),
        )
        .route(
            "/applications/{id}/employment",
            get(employment_page)
                .post(save_employment)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/applications/{id}/documents",
            get(documents_page).post(save_documents),
        )
        .route(
            "/applications/{id}/documents/upload",
            post(upload_document).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/applications/{id}/additional",
            get(additional_page)
                .post(save_additional)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/applications/{id}/additional/remove",
            post(remove_additional),
        )
}

/// The exemption's part of the shared pages.
pub(crate) struct ExemptionPages;

impl KindPages for ExemptionPages {
    fn sheet(
        &self,
        ctx: &RequestContext,
        state: &WebState,
        source: &SheetData<'_>,
    ) -> Result<Sheet, serde_json::Error> {
        let draft = Draft::deserialize(source.data)?;
        Ok(sheet::build(
            ctx,
            &state.app.catalog,
            &state.app.reference,
            &sheet::SheetSource {
                draft: &draft,
                profile: source.profile,
                email: source.email,
                documents: source.documents,
                edit_base: source.edit_base.clone(),
            },
        ))
    }

    fn back_from_preview(&self, id: Uuid) -> String {
        step_url(id, Step::EMPLOYMENT.code())
    }

    fn start_href(&self) -> Option<&'static str> {
        Some("/applications/new")
    }
}

use serde::Deserialize;

/// The draft of `id`, or the page that says why it cannot be shown.
pub(crate) async fn load(
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

/// The draft of `id` for a step page: the page that says why it cannot be shown, or, when the
/// step cannot change in the application's status, its Detail page.
pub(crate) async fn load_editable(
    state: &WebState,
    ctx: &Ctx,
    session: &CurrentSession,
    id: Uuid,
    step: Step,
) -> Result<(ApplicationRecord, Draft), Response> {
    let (record, draft) = load(state, ctx, session, id).await?;
    if !super::wizard::editable(state, &record, step) {
        return Err(detail_redirect(id));
    }
    Ok((record, draft))
}

/// Where "Next" goes after `step`.
pub(crate) fn after(id: Uuid, step: Step) -> String {
    step_url(id, WIZARD.next(step).code())
}
