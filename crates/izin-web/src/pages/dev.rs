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
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use izin_adapters::mail::{StoredMessage, read_message, read_outbox};

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/dev/mailbox", get(mailbox))
        .route("/dev/mailbox/{file}", get(message))
        .route("/dev/mailbox/{file}/attachments/{index}", get(attachment))
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

/// An attached file of a message (the Proof Document of an approval), as sent.
async fn attachment(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidPath((file, index)): ValidPath<(String, usize)>,
) -> Response {
    let Some(dir) = outbox_dir(&state) else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    let message = tokio::task::spawn_blocking(move || read_message(&dir, &file)).await;
    let Some(attached) = message
        .ok()
        .and_then(Result::ok)
        .and_then(|m| m.attachments.into_iter().nth(index))
    else {
        return PageError::NotFound.into_response_with(&ctx);
    };
    // Only what the portal attaches is served, under a name it chose.
    if attached.content_type != "application/pdf" {
        return PageError::NotFound.into_response_with(&ctx);
    }
    let safe_name: String = attached
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{safe_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        attached.bytes,
    )
        .into_response()
}
