//! The frame every page shares (header with the language switch, the signed-in menu of the
//! seed, the footer, the session-timeout warning) and the helpers templates call.

use crate::context::RequestContext;
use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Which entry of the signed-in menu a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// A public page: no menu.
    None,
    Home,
    NewApplication,
    UserInformation,
    MyApplications,
    Documents,
    GuideTr,
    GuideEn,
}

impl Nav {
    pub fn key(self) -> &'static str {
        match self {
            Nav::None => "",
            Nav::Home => "home",
            Nav::NewApplication => "new-application",
            Nav::UserInformation => "user-information",
            Nav::MyApplications => "my-applications",
            Nav::Documents => "documents",
            Nav::GuideTr => "guide-tr",
            Nav::GuideEn => "guide-en",
        }
    }
}

pub struct Layout<'a> {
    pub ctx: &'a RequestContext,
    pub title: String,
    pub nav: Nav,
    /// Where the page's form (`id="page-form"`) is sent: the language switch then sends the
    /// form with it, so that whatever was typed comes back in the other language.
    pub page_form: Option<String>,
}

impl<'a> Layout<'a> {
    pub fn new(ctx: &'a RequestContext, title: &str) -> Self {
        Self {
            ctx,
            title: title.to_owned(),
            nav: Nav::None,
            page_form: None,
        }
    }

    pub fn with_nav(mut self, nav: Nav) -> Self {
        self.nav = nav;
        self
    }

    /// The page's main form is sent to `action`; see [`Layout::page_form`].
    pub fn with_form(mut self, action: impl Into<String>) -> Self {
        self.page_form = Some(action.into());
        self
    }

    /// The form's own address with the language to switch to.
    pub fn switch_action(&self, code: &str) -> String {
        let action = self.page_form.as_deref().unwrap_or_default();
        let separator = if action.contains('?') { '&' } else { '?' };
        format!("{action}{separator}switch_language={code}")
    }

    /// Whether this installation runs in development or demo mode (a banner says so).
    pub fn dev_mode(&self) -> bool {
        self.ctx.dev_mode
    }

    pub fn t(&self, id: &'a str) -> &'a str {
        self.ctx.t(id)
    }

    pub fn lang(&self) -> &'static str {
        self.ctx.language.code()
    }

    pub fn is_lang(&self, code: &str) -> bool {
        self.ctx.language.code() == code
    }

    pub fn csrf(&self) -> String {
        self.ctx.csrf_token()
    }

    pub fn signed_in(&self) -> bool {
        self.ctx.session.is_some()
    }

    pub fn has_sidebar(&self) -> bool {
        self.signed_in() && self.nav != Nav::None
    }

    /// Whether this page is the menu entry named `key`.
    pub fn current(&self, key: &str) -> bool {
        self.nav.key() == key
    }

    pub fn user_email(&self) -> &str {
        self.ctx.user().map_or("", |u| u.email.as_str())
    }

    /// Seconds until the session ends without activity, for the warning script.
    pub fn session_seconds(&self) -> Option<i64> {
        let session = self.ctx.session.as_ref()?;
        Some((session.deadline - self.ctx.now).whole_seconds().max(0))
    }

    /// Switches language (a POST: it is remembered) and comes back to this page.
    pub fn switch_url(&self, code: &str) -> String {
        if self.ctx.officer_area {
            format!("/officer/lang/{code}")
        } else {
            format!("/lang/{code}")
        }
    }

    pub fn here(&self) -> &str {
        &self.ctx.here
    }

    pub fn css_url(&self) -> &'static str {
        crate::assets::css_url()
    }

    pub fn js_url(&self) -> &'static str {
        crate::assets::js_url()
    }
}

/// Renders a template as an HTML response; a template fault becomes a logged 500.
pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = html.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(e) => crate::errors::internal(&format!("template failed: {e}")),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub l: Layout<'a>,
    pub body: &'a str,
    pub offer_login: bool,
}
