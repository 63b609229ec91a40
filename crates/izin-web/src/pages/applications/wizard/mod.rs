//! New Application's pages, one per step, each saved on the server as it is left:
//! the residence-right inquiry with the place of application, the category, the KVKK consent,
//! workplace and employer, supporting documents, additional documents and the preview with
//! "Create My Application". A refused step comes back with what was typed and every problem.

mod additional;
mod category;
mod consent;
mod documents;
mod employment;
mod place;
mod preview;

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
pub(crate) const STEPS: [(Step, &str); 8] = [
    (Step::Place, "step-inquiry"),
    (Step::Place, "step-place"),
    (Step::Category, "step-category"),
    (Step::Consent, "step-consent"),
    (Step::Employment, "step-employment"),
    (Step::Documents, "step-documents"),
    (Step::Additional, "step-additional"),
    (Step::Preview, "step-preview"),
];

pub(crate) fn frame(
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
    if !editable(&record, step) {
        return Err(detail_redirect(id));
    }
    Ok((record, draft))
}

/// A step page; 422 when it comes back with problems to fix.
pub(crate) fn render_step<T: Template>(page: &T, invalid: bool) -> Response {
    let mut response = render(page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// Steps that cannot change in the application's status lead to its Detail page.
pub(crate) fn editable(record: &ApplicationRecord, step: Step) -> bool {
    step.editable_in(record.lifecycle.status)
}

pub(crate) fn detail_redirect(id: Uuid) -> Response {
    Redirect::to(&format!("/applications/{id}")).into_response()
}

pub(crate) fn step_url(id: Uuid, step: &str) -> String {
    format!("/applications/{id}/{step}")
}

/// Where "Next" goes after `step`.
pub(crate) fn after(id: Uuid, step: Step) -> String {
    step_url(id, step.next().code())
}

/// Reads an urlencoded form body into values (the anti-forgery field is left out).
pub(crate) async fn form_values(
    request: axum::extract::Request,
    ctx: &Ctx,
) -> Result<Values, Response> {
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
pub(crate) fn general_error(ctx: &Ctx, errors: &mut FormErrors, error: &ApplicationError) -> bool {
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

pub(crate) use additional::*;
pub(crate) use category::*;
pub(crate) use consent::*;
pub(crate) use documents::*;
pub(crate) use employment::*;
pub(crate) use place::*;
pub(crate) use preview::*;
