//! `/officer/queue`: the authority's applications, oldest submission first, with the filters,
//! the search box, counts per status and keyset pages.

use crate::WebState;
use crate::api::officer::applications::{QueueParams, queue_filter};
use crate::application_texts::{date_time, status_label};
use crate::context::OfficerPage;
use crate::extract::ValidQuery;
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use izin_app::back_office::queue::QueueFilter;
use izin_domain::application::{Kind, Status};
use izin_i18n::Value;

pub fn router() -> Router<WebState> {
    Router::new().route("/officer/queue", get(queue))
}

/// The officer's bar at the top of every back-office page.
pub(crate) struct Bar {
    pub email: String,
    pub signed_in_as: String,
    /// The officer manages the authority's officers.
    pub admin: bool,
}

impl Bar {
    pub fn of(
        ctx: &crate::context::RequestContext,
        officer: &izin_domain::records::Officer,
    ) -> Bar {
        Bar {
            admin: officer.roles.has(izin_domain::officer::Role::Admin),
            email: officer.email.clone(),
            signed_in_as: ctx.tf(
                "officer-signed-in-as",
                &[
                    ("email", Value::from(officer.email.as_str())),
                    (
                        "authority",
                        Value::from(
                            ctx.t(&format!("officer-authority-{}", officer.authority.code())),
                        ),
                    ),
                ],
            ),
        }
    }
}

pub(crate) struct CountLink {
    pub code: &'static str,
    pub label: String,
    pub count: i64,
}

pub(crate) struct Row {
    pub id: uuid::Uuid,
    pub number: String,
    pub kind: String,
    pub applicant: String,
    pub nationality: String,
    pub submitted: String,
    pub status: String,
    pub status_code: &'static str,
    pub holder: String,
}

#[derive(Template)]
#[template(path = "officer/queue.html")]
struct QueuePage<'a> {
    l: Layout<'a>,
    bar: Bar,
    error: Option<String>,
    counts: Vec<CountLink>,
    kinds: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    assigned_choices: Vec<(String, String)>,
    status: String,
    kind: String,
    category: String,
    nationality: String,
    submitted_from: String,
    submitted_to: String,
    assigned: String,
    q: String,
    rows: Vec<Row>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
}

async fn queue(
    State(state): State<WebState>,
    OfficerPage(ctx, current): OfficerPage,
    ValidQuery(params): ValidQuery<QueueParams>,
) -> Response {
    let officer = &current.officer;
    let (filter, mut error) = match queue_filter(&params) {
        Ok(filter) => (filter, None),
        Err((_, code)) => (QueueFilter::default(), Some(ctx.t(code).to_owned())),
    };
    let back_office = state.app.back_office();
    let view = match back_office.queue(officer, &filter, &ctx.client).await {
        Ok(view) => Some(view),
        Err(e) => {
            error = Some(super::page_refusal(&ctx, &e).1);
            None
        }
    };
    let applications = state.app.applications();
    let kinds_of_authority: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| applications.kind(*k).authority() == officer.authority)
        .collect();
    let counted = |status: Status| {
        view.as_ref()
            .and_then(|v| v.counts.iter().find(|(s, _)| *s == status))
            .map_or(0, |(_, n)| *n)
    };
    let counts = Status::ALL
        .into_iter()
        .filter(|s| *s != Status::Draft)
        .map(|s| CountLink {
            code: s.code(),
            label: status_label(&ctx, s),
            count: counted(s),
        })
        .collect();
    let mut categories: Vec<(String, String)> = Vec::new();
    if kinds_of_authority.contains(&Kind::WorkPermitExemption) {
        for sector in &state.app.catalog.sectors {
            for c in &sector.categories {
                categories.push((c.code.clone(), c.name.get(ctx.language).to_owned()));
            }
        }
    }
    let rows = view
        .as_ref()
        .map(|v| {
            v.page
                .items
                .iter()
                .map(|item| Row {
                    id: item.id,
                    number: item.number.clone(),
                    kind: applications
                        .title(item.kind, item.category.as_deref())
                        .get(ctx.language)
                        .to_owned(),
                    applicant: item.applicant_name.clone().unwrap_or_default(),
                    nationality: item.nationality.clone().unwrap_or_default(),
                    submitted: date_time(item.submitted_at),
                    status: status_label(&ctx, item.lifecycle.status),
                    status_code: item.lifecycle.status.code(),
                    holder: item
                        .assigned_to
                        .and_then(|id| v.holders.get(&id).cloned())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let query_without_after = {
        let pairs: Vec<(&str, String)> = [
            ("status", text(&params.status)),
            ("kind", text(&params.kind)),
            ("category", text(&params.category)),
            ("nationality", text(&params.nationality)),
            ("submitted_from", text(&params.submitted_from)),
            ("submitted_to", text(&params.submitted_to)),
            ("assigned", text(&params.assigned)),
            ("q", text(&params.q)),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    };
    let href = |after: Option<&str>| {
        let mut query = query_without_after.clone();
        if let Some(after) = after {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("after={after}"));
        }
        if query.is_empty() {
            "/officer/queue".to_owned()
        } else {
            format!("/officer/queue?{query}")
        }
    };
    let page = QueuePage {
        bar: Bar::of(&ctx, officer),
        counts,
        kinds: kinds_of_authority
            .iter()
            .map(|k| {
                (
                    k.code().to_owned(),
                    applications.title(*k, None).get(ctx.language).to_owned(),
                )
            })
            .collect(),
        categories,
        assigned_choices: ["anyone", "me", "none"]
            .into_iter()
            .map(|code| {
                (
                    code.to_owned(),
                    ctx.t(&format!("officer-queue-assigned-{code}")).to_owned(),
                )
            })
            .collect(),
        status: text(&params.status),
        kind: text(&params.kind),
        category: text(&params.category),
        nationality: text(&params.nationality),
        submitted_from: text(&params.submitted_from),
        submitted_to: text(&params.submitted_to),
        assigned: text(&params.assigned),
        q: text(&params.q),
        rows,
        first_page: params.after.as_deref().is_none_or(str::is_empty),
        first_href: href(None),
        next_href: view
            .as_ref()
            .and_then(|v| v.next.as_deref())
            .map(|n| href(Some(n))),
        error: error.clone(),
        l: Layout::new(&ctx, ctx.t("officer-queue-title")),
    };
    let mut response = render(&page);
    if error.is_some() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}
