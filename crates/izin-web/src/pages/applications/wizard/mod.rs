//! The wizard every kind of application goes through: the steps bar, saving a step and moving
//! to the next, the preview with every rule that still fails, "Create" and "Make a Revision".
//! A kind's own step pages are in its module (registered in [`super::kinds`]); they use what is
//! here and nothing here names them.

mod preview;

use super::kinds::pages_for;
use super::{failure_page, page_failure};
use crate::WebState;
use crate::application_texts::{rule_link, rule_message};
use crate::context::{Ctx, SignedIn};
use crate::extract::ValidPath;
use crate::forms::FormErrors;
use crate::layout::{Layout, Nav, render};
use crate::pages::fields::Values;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use izin_app::applications::ApplicationError;
use izin_app::auth::CurrentSession;
use izin_domain::application::{IdempotencyKey, Kind, Status, Step};
use izin_domain::records::ApplicationRecord;
use izin_i18n::Value;
use uuid::Uuid;

pub(crate) use preview::*;

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

/// The frame of a step page of `record` (`None`: the first page of a kind started without a
/// draft, such as New Application): the kind's steps, which are done and which can be opened.
/// A step spanning several pages is current on its last.
pub(crate) fn frame(
    ctx: &Ctx,
    state: &WebState,
    kind: Kind,
    record: Option<&ApplicationRecord>,
    current: Step,
) -> WizardFrame {
    let rules = state.app.applications().kind(kind);
    let wizard = rules.wizard();
    let data = record.and_then(|r| match rules.read(&r.data) {
        Ok(data) => Some(data),
        Err(e) => {
            tracing::error!(error = %e, "unreadable application data");
            None
        }
    });
    let last_page_of = |step: Step| wizard.pages.iter().rposition(|(s, _)| *s == step);
    let steps = wizard
        .pages
        .iter()
        .enumerate()
        .map(|(i, (step, title))| {
            let complete = data.as_ref().is_some_and(|d| d.step_complete(*step));
            let href = match record {
                Some(r) if rules.step_editable(*step, r) => Some(step_url(r.id, step.code())),
                None if i == 0 => pages_for(kind).start_href().map(str::to_owned),
                _ => None,
            };
            WizardStep {
                number: i + 1,
                title: ctx.t(title).to_owned(),
                href,
                current: *step == current && last_page_of(current) == Some(i),
                complete,
            }
        })
        .collect();
    WizardFrame {
        steps,
        kind: record
            .filter(|r| {
                !rules.has_categories()
                    || r.columns.category.as_deref().is_some_and(|c| !c.is_empty())
            })
            .map(|r| {
                state
                    .app
                    .applications()
                    .title(kind, r.columns.category.as_deref())
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

/// A step page; 422 when it comes back with problems to fix.
pub(crate) fn render_step<T: Template>(page: &T, invalid: bool) -> Response {
    let mut response = render(page);
    if invalid {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// Whether `step` of the application can change in its status; steps that cannot lead to its
/// Detail page.
pub(crate) fn editable(state: &WebState, record: &ApplicationRecord, step: Step) -> bool {
    state
        .app
        .applications()
        .kind(record.kind)
        .step_editable(step, record)
}

pub(crate) fn detail_redirect(id: Uuid) -> Response {
    Redirect::to(&format!("/applications/{id}")).into_response()
}

pub(crate) fn step_url(id: Uuid, step: &str) -> String {
    format!("/applications/{id}/{step}")
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
