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
}

impl<'a> Layout<'a> {
    pub fn new(ctx: &'a RequestContext, title: &str) -> Self {
        Self {
            ctx,
            title: title.to_owned(),
            nav: Nav::None,
        }
    }

    pub fn with_nav(mut self, nav: Nav) -> Self {
        self.nav = nav;
        self
    }

    pub fn t(&self, id: &'a str) -> &'a str {
        self.ctx.t(id)
    }

    pub fn lang(&self) -> &'static str {
        self.ctx.language.code()
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

    /// Switches language and comes back to this page.
    pub fn switch_url(&self, code: &str) -> String {
        format!("/lang/{code}?next={}", urlencode(&self.ctx.here))
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

/// Percent-encodes a value for a query string.
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
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
