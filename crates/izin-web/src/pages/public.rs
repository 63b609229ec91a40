//! Pages anyone may read: the home page, the information pages, the language switch, and the
//! pages shown after signing out.

use crate::WebState;
use crate::context::Ctx;
use crate::cookies::{self, CookieName};
use crate::errors::PageError;
use crate::extract::ValidPath;
use crate::forms::local_path;
use crate::layout::{Layout, Nav, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use izin_domain::Language;
use serde::Deserialize;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(home))
        .route("/who-can-apply", get(who_can_apply))
        .route(
            "/faq",
            get(|ctx: Ctx| content(ctx, "faq", "page-faq", None)),
        )
        .route(
            "/guide",
            get(|ctx: Ctx| content(ctx, "guide", "page-guide", None)),
        )
        .route("/guide/{lang}", get(guide_in))
        .route(
            "/contact",
            get(|ctx: Ctx| content(ctx, "contact", "page-contact", None)),
        )
        .route(
            "/privacy",
            get(|ctx: Ctx| content(ctx, "privacy", "page-privacy", None)),
        )
        .route(
            "/kvkk",
            get(|ctx: Ctx| content(ctx, "kvkk-information", "page-kvkk-information", None)),
        )
        .route("/lang/{lang}", axum::routing::post(switch_language))
        // The same switch inside the back office, whose forms are bound to the officer's session.
        .route("/officer/lang/{lang}", axum::routing::post(switch_language))
        .route("/signed-out", get(signed_out))
        .route("/session-expired", get(session_expired))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    l: Layout<'a>,
    intro: &'a str,
}

async fn home(ctx: Ctx) -> Response {
    let page = HomePage {
        l: Layout::new(&ctx, ctx.t("home-title")),
        intro: ctx.texts.content(ctx.language, "home").unwrap_or_default(),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "content.html")]
struct ContentPage<'a> {
    l: Layout<'a>,
    html: &'a str,
    content_lang: &'static str,
}

fn content(
    ctx: Ctx,
    page: &'static str,
    title: &'static str,
    language: Option<Language>,
) -> std::future::Ready<Response> {
    let content_language = language.unwrap_or(ctx.language);
    let Some(html) = ctx.texts.content(content_language, page) else {
        return std::future::ready(PageError::NotFound.into_response_with(&ctx));
    };
    let nav = match (language, ctx.session.is_some()) {
        (Some(Language::Tr), true) => Nav::GuideTr,
        (Some(Language::En), true) => Nav::GuideEn,
        _ => Nav::None,
    };
    let title = match language {
        Some(Language::Tr) => ctx.t("nav-guide-tr"),
        Some(Language::En) => ctx.t("nav-guide-en"),
        None => ctx.t(title),
    };
    let page = ContentPage {
        l: Layout::new(&ctx, title).with_nav(nav),
        html,
        content_lang: content_language.code(),
    };
    std::future::ready(render(&page))
}

#[derive(Template)]
#[template(path = "category_table.html")]
struct CategoryTable<'a> {
    l: &'a Ctx,
    sectors: Vec<(String, Vec<CategoryRow>)>,
}

struct CategoryRow {
    letter: String,
    name: String,
    limit: String,
}

/// "Who Can Apply": the page's text, with the categories and their limits drawn from the
/// catalogue (the same words the category step shows) where the text says `[[categories]]`.
async fn who_can_apply(State(state): State<WebState>, ctx: Ctx) -> Response {
    let Some(html) = ctx.texts.content(ctx.language, "who-can-apply") else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let table = CategoryTable {
        l: &ctx,
        sectors: state
            .app
            .catalog
            .sectors
            .iter()
            .map(|sector| {
                (
                    sector.name.get(ctx.language).to_owned(),
                    sector
                        .categories
                        .iter()
                        .map(|c| CategoryRow {
                            letter: c.letter.clone().unwrap_or_else(|| "–".to_owned()),
                            name: c.name.get(ctx.language).to_owned(),
                            limit: crate::application_texts::category_limit(&ctx, c),
                        })
                        .collect(),
                )
            })
            .collect(),
    };
    let table = match table.render() {
        Ok(table) => table,
        Err(e) => {
            tracing::error!(error = %e, "category table");
            return PageError::Internal.into_response_with(&ctx);
        }
    };
    let html = html.replace("<p>[[categories]]</p>", &table);
    render(&ContentPage {
        l: Layout::new(&ctx, ctx.t("page-who-can-apply")),
        html: &html,
        content_lang: ctx.language.code(),
    })
}

/// "Application Guide - TR" and "- EN": the guide in one language whatever the page's.
async fn guide_in(ctx: Ctx, ValidPath(lang): ValidPath<String>) -> Response {
    match Language::from_tag(&lang) {
        Some(language) if lang.len() == 2 => {
            content(ctx, "guide", "page-guide", Some(language)).await
        }
        _ => PageError::NotFound.into_response_with(&ctx),
    }
}

#[derive(Deserialize)]
struct SwitchForm {
    next: Option<String>,
}

/// Remembers the chosen language in a cookie (and, when signed in, for mail) and goes back to
/// the page. A POST: it changes what is stored. On a page with a form the switch sends the form
/// instead (see `Layout::page_form`), so nothing typed is lost.
async fn switch_language(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidPath(lang): ValidPath<String>,
    axum::extract::Form(form): axum::extract::Form<SwitchForm>,
) -> Response {
    let Some(language) = Language::from_tag(&lang).filter(|_| lang.len() == 2) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    if let Some(session) = &ctx.session
        && let Err(e) = state
            .app
            .auth()
            .set_language(session, language, &ctx.client)
            .await
    {
        tracing::warn!(error = %e, "could not store the language choice");
    }
    let mut response = Redirect::to(&local_path(form.next.as_deref())).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(
            CookieName::Language,
            language.code(),
            Some(365 * 24 * 3600),
            ctx.secure,
        ),
    );
    response
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub l: Layout<'a>,
    pub body: &'a str,
    pub action_href: &'a str,
    pub action_label: &'a str,
}

async fn signed_out(ctx: Ctx) -> Response {
    render(&MessagePage {
        l: Layout::new(&ctx, ctx.t("signed-out-title")),
        body: ctx.t("signed-out-body"),
        action_href: "/",
        action_label: ctx.t("back-to-home"),
    })
}

async fn session_expired(ctx: Ctx) -> Response {
    render(&MessagePage {
        l: Layout::new(&ctx, ctx.t("session-expired-title")),
        body: ctx.t("session-expired-body"),
        action_href: "/login",
        action_label: ctx.t("log-in-again"),
    })
}
