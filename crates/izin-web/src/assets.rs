//! The stylesheet and script, compiled in and served under content-hashed names so browsers
//! may cache them for a year.

use crate::WebState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
const ICON: &str = include_str!("../static/icon.svg");

struct Urls {
    css: String,
    js: String,
}

fn short_hash(content: &str) -> String {
    Sha256::digest(content.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn urls() -> &'static Urls {
    static URLS: OnceLock<Urls> = OnceLock::new();
    URLS.get_or_init(|| Urls {
        css: format!("/static/app.{}.css", short_hash(CSS)),
        js: format!("/static/app.{}.js", short_hash(JS)),
    })
}

pub fn css_url() -> &'static str {
    &urls().css
}

pub fn js_url() -> &'static str {
    &urls().js
}

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/static/{name}", get(asset))
        .route("/favicon.ico", get(icon))
}

async fn asset(Path(name): Path<String>) -> Response {
    let path = format!("/static/{name}");
    let (content, content_type) = if path == css_url() {
        (CSS, "text/css; charset=utf-8")
    } else if path == js_url() {
        (JS, "text/javascript; charset=utf-8")
    } else if name == "icon.svg" {
        (ICON, "image/svg+xml")
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

async fn icon() -> Response {
    let mut response = ICON.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}
