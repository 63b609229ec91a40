//! `/officer/admin`: an administrator's list of the authority's officers, adding one (the second
//! factor shown once, to hand over) and disabling one.

use super::page_refusal;
use super::queue::Bar;
use crate::WebState;
use crate::context::{Ctx, OfficerPage};
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use izin_app::back_office::BackOfficeError;
use izin_app::officers::Enrolment;
use izin_domain::officer::Role;
use izin_domain::records::Officer;
use izin_i18n::Value;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/officer/admin", get(show))
        .route("/officer/admin/add", post(add))
        .route("/officer/admin/disable", post(disable))
}

pub(crate) struct OfficerRow {
    pub email: String,
    pub roles: String,
    pub disabled: bool,
    pub is_me: bool,
}

pub(crate) struct EnrolmentView {
    pub title: String,
    pub secret: String,
    pub uri: String,
    pub recovery_codes: Vec<String>,
}

#[derive(Template)]
#[template(path = "officer/admin.html")]
struct AdminPage<'a> {
    l: Layout<'a>,
    bar: Bar,
    error: Option<String>,
    officers: Vec<OfficerRow>,
    roles: Vec<(String, String)>,
    enrolment: Option<EnrolmentView>,
}

async fn page(
    state: &WebState,
    ctx: &Ctx,
    admin: &Officer,
    error: Option<&BackOfficeError>,
    enrolment: Option<&Enrolment>,
) -> Response {
    let officers = match state.app.back_office().officers(admin).await {
        Ok(officers) => officers,
        Err(e) => {
            let (status, _) = page_refusal(ctx, &e);
            let mut response = crate::errors::PageError::NotFound.into_response_with(ctx);
            *response.status_mut() = status;
            return response;
        }
    };
    let role_label = |role: Role| ctx.t(&format!("officer-role-{}", role.code())).to_owned();
    let refusal = error.map(|e| page_refusal(ctx, e));
    let view = AdminPage {
        bar: Bar::of(ctx, admin),
        error: refusal.as_ref().map(|r| r.1.clone()),
        officers: officers
            .iter()
            .map(|o| OfficerRow {
                email: o.email.clone(),
                roles: o
                    .roles
                    .iter()
                    .map(role_label)
                    .collect::<Vec<_>>()
                    .join(", "),
                disabled: o.disabled_at.is_some(),
                is_me: o.id == admin.id,
            })
            .collect(),
        roles: Role::ALL
            .into_iter()
            .map(|r| (r.code().to_owned(), role_label(r)))
            .collect(),
        enrolment: enrolment.map(|e| EnrolmentView {
            title: ctx.tf(
                "officer-admin-enrolment-title",
                &[("email", Value::from(e.officer.email.as_str()))],
            ),
            secret: e.secret.base32(),
            uri: e.uri.clone(),
            recovery_codes: e
                .recovery_codes
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
        }),
        l: Layout::new(ctx, ctx.t("officer-admin-title")),
    };
    let mut response = render(&view);
    if let Some((status, _)) = refusal {
        *response.status_mut() = status;
    }
    response
}

async fn show(State(state): State<WebState>, OfficerPage(ctx, current): OfficerPage) -> Response {
    page(&state, &ctx, &current.officer, None, None).await
}

fn fields(body: &Bytes) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

async fn add(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    body: Bytes,
) -> Response {
    let fields = fields(&body);
    let email = fields
        .iter()
        .find(|(k, _)| k == "email")
        .map_or("", |(_, v)| v.as_str());
    let roles: Vec<Role> = fields
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, v)| Role::parse(v))
        .collect();
    match state
        .app
        .back_office()
        .add_officer(&current.officer, email, &roles, &ctx.client)
        .await
    {
        Ok(enrolment) => page(&state, &ctx, &current.officer, None, Some(&enrolment)).await,
        Err(e) => page(&state, &ctx, &current.officer, Some(&e), None).await,
    }
}

async fn disable(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    body: Bytes,
) -> Response {
    let fields = fields(&body);
    let email = fields
        .iter()
        .find(|(k, _)| k == "email")
        .map_or("", |(_, v)| v.as_str());
    match state
        .app
        .back_office()
        .disable_officer(&current.officer, email, &ctx.client)
        .await
    {
        Ok(_) => Redirect::to("/officer/admin").into_response(),
        Err(e) => page(&state, &ctx, &current.officer, Some(&e), None).await,
    }
}
