//! `/dev/mailbox`: in development or demo mode, while mail is written to files, a newcomer reads
//! the sign-in code here. Outside those modes, or when mail goes to an SMTP server, it does not
//! exist.

use crate::WebState;
use crate::context::Ctx;
use crate::errors::PageError;
use crate::extract::ValidPath;
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use izin_adapters::mail::{StoredMessage, read_message, read_outbox};

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/dev/mailbox", get(mailbox))
        .route("/dev/mailbox/{file}", get(message))
}

#[derive(Template)]
#[template(path = "mailbox.html")]
struct MailboxPage<'a> {
    l: Layout<'a>,
    messages: Vec<StoredMessage>,
}

#[derive(Template)]
#[template(path = "mailbox_message.html")]
struct MessagePage<'a> {
    l: Layout<'a>,
    message: StoredMessage,
}

fn outbox_dir(state: &WebState) -> Option<std::path::PathBuf> {
    if !state.config.dev_tools {
        return None;
    }
    state
        .app
        .mailer
        .outbox_dir()
        .map(std::path::Path::to_path_buf)
}

async fn mailbox(State(state): State<WebState>, ctx: Ctx) -> Response {
    let Some(dir) = outbox_dir(&state) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let messages = tokio::task::spawn_blocking(move || read_outbox(&dir).unwrap_or_default())
        .await
        .unwrap_or_default();
    render(&MailboxPage {
        l: Layout::new(&ctx, ctx.t("dev-mailbox-title")),
        messages,
    })
}

async fn message(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidPath(file): ValidPath<String>,
) -> Response {
    let Some(dir) = outbox_dir(&state) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    match tokio::task::spawn_blocking(move || read_message(&dir, &file)).await {
        Ok(Ok(message)) => render(&MessagePage {
            l: Layout::new(&ctx, &message.subject.clone()),
            message,
        }),
        _ => PageError::NotFound.into_response_with(&ctx),
    }
}
