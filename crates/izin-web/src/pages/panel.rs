//! The signed-in area's home page.

use crate::WebState;
use crate::context::SignedIn;
use crate::layout::{Layout, Nav, render};
use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use izin_i18n::Value;

pub fn router() -> Router<WebState> {
    Router::new().route("/panel", get(panel))
}

#[derive(Template)]
#[template(path = "panel.html")]
struct PanelPage<'a> {
    l: Layout<'a>,
    signed_in_as: String,
}

async fn panel(SignedIn(ctx, session): SignedIn) -> Response {
    let page = PanelPage {
        signed_in_as: ctx.tf(
            "panel-signed-in-as",
            &[("email", Value::from(session.user.email.clone()))],
        ),
        l: Layout::new(&ctx, ctx.t("panel-title")).with_nav(Nav::Home),
    };
    render(&page)
}
