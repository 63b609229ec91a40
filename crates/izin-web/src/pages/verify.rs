//! `/verify` (seed §4.3): anyone checks a Proof Document by its number and verification code, or
//! by opening the link in its QR code, without signing in. The answer is the status and what the
//! document grants to whom, and nothing more; the photo is served only to someone who gave the
//! code. When the QR link carries the signed payload, the page also says whether it matches.

use crate::WebState;
use crate::context::Ctx;
use crate::errors::store_failure;
use crate::extract::ValidQuery;
use crate::layout::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use izin_app::proof::{VerifyAnswer, keys::published_keys};
use izin_domain::calendar::display_date;
use izin_domain::proof::code::VerificationCode;
use izin_domain::proof::number::DocumentNumber;
use izin_domain::proof::payload::{SignedProof, verify};
use izin_i18n::Value;
use serde::Deserialize;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/verify", get(page))
        .route("/verify/photo", get(photo))
        .route("/.well-known/izin-keys.json", get(keys))
}

/// The form's fields, and the QR link's: `n` the number, `c` the code, `p` the signed payload.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct Lookup {
    n: String,
    c: String,
    p: Option<String>,
}

/// A parsed lookup, or what is wrong with it.
pub(crate) fn parse_lookup(
    number: &str,
    code: &str,
) -> Result<(DocumentNumber, VerificationCode), &'static str> {
    let number = DocumentNumber::parse(number).map_err(|_| "verify-number-invalid")?;
    let code = VerificationCode::parse(code).map_err(|_| "verify-code-invalid")?;
    Ok((number, code))
}

struct Shown {
    status: &'static str,
    status_label: String,
    explanation: String,
    holder: String,
    grants: String,
    validity: String,
    photo: Option<String>,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage<'a> {
    l: Layout<'a>,
    number: String,
    code: String,
    error: Option<String>,
    shown: Option<Shown>,
    /// Whether the QR link's signature matched, when it carried one.
    signature: Option<bool>,
}

async fn page(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidQuery(lookup): ValidQuery<Lookup>,
) -> Response {
    let mut page = VerifyPage {
        l: Layout::new(&ctx, ctx.t("verify-title")),
        number: lookup.n.trim().to_owned(),
        code: lookup.c.trim().to_owned(),
        error: None,
        shown: None,
        signature: None,
    };
    if page.number.is_empty() && page.code.is_empty() {
        return render(&page);
    }
    let (number, code) = match parse_lookup(&page.number, &page.code) {
        Ok(parsed) => parsed,
        Err(message) => {
            page.error = Some(ctx.t(message).to_owned());
            return with_status(render(&page), StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let answer = match state
        .app
        .proof_documents()
        .verify(&number, &code, &ctx.client)
        .await
    {
        Ok(answer) => answer,
        Err(e) => return store_failure(&ctx, &e),
    };
    match answer {
        VerifyAnswer::Found(found) => {
            if let Some(signed) = lookup.p.as_deref().filter(|p| !p.is_empty()) {
                page.signature = Some(signature_matches(&state, signed, &found.number).await);
            }
            let status = found.status.code();
            page.shown = Some(Shown {
                status,
                status_label: ctx.t(&format!("verify-status-{status}")).to_owned(),
                explanation: ctx.t(&format!("verify-explain-{status}")).to_owned(),
                holder: found.holder.clone(),
                grants: found.grants.get(ctx.language).to_owned(),
                validity: ctx.texts.format(
                    ctx.language,
                    "verify-valid-range",
                    &[
                        ("from", Value::from(display_date(found.valid_from))),
                        ("until", Value::from(display_date(found.valid_until))),
                    ],
                ),
                photo: found
                    .has_photo
                    .then(|| format!("/verify/photo?n={}&c={}", found.number, code)),
            });
            render(&page)
        }
        VerifyAnswer::NotFound => {
            page.error = Some(ctx.t("verify-not-found").to_owned());
            with_status(render(&page), StatusCode::NOT_FOUND)
        }
        VerifyAnswer::BeingPrepared => {
            page.error = Some(ctx.t("verify-being-prepared").to_owned());
            with_status(render(&page), StatusCode::NOT_FOUND)
        }
        VerifyAnswer::TooMany(wait) => {
            page.error = Some(ctx.t("verify-too-many").to_owned());
            let mut response = with_status(render(&page), StatusCode::TOO_MANY_REQUESTS);
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

/// Whether the QR link's signed payload is genuine and names this document.
async fn signature_matches(state: &WebState, signed: &str, number: &DocumentNumber) -> bool {
    let Ok(signed) = SignedProof::decode(signed) else {
        return false;
    };
    let Ok(keys) = published_keys(state.app.store.as_ref()).await else {
        return false;
    };
    verify(&signed, &keys).is_ok_and(|payload| &payload.number == number)
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// The holder's photo, for someone who gave the number and the code (never at an address the
/// number alone makes).
async fn photo(
    State(state): State<WebState>,
    ctx: Ctx,
    ValidQuery(lookup): ValidQuery<Lookup>,
) -> Response {
    let Ok((number, code)) = parse_lookup(&lookup.n, &lookup.c) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    photo_response(&state, &ctx, &number, &code).await
}

pub(crate) async fn photo_response(
    state: &WebState,
    ctx: &Ctx,
    number: &DocumentNumber,
    code: &VerificationCode,
) -> Response {
    match state
        .app
        .proof_documents()
        .photo(number, code, &ctx.client)
        .await
    {
        Ok(Some(bytes)) => {
            let content_type = if bytes.starts_with(b"\x89PNG") {
                "image/png"
            } else {
                "image/jpeg"
            };
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, "private, no-store"),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "a verified document's photo could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The public keys that verify documents offline (a JWK Set).
async fn keys(State(state): State<WebState>) -> Response {
    match published_keys(state.app.store.as_ref()).await {
        Ok(keys) => (
            [
                (header::CONTENT_TYPE, "application/jwk-set+json"),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            serde_json::to_string(&keys).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "the published keys could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A Proof Document's PDF as a download named after its number.
pub(crate) fn pdf_response(number: &DocumentNumber, bytes: bytes::Bytes) -> Response {
    pdf_download(&format!("proof-document-{number}.pdf"), bytes)
}

/// A PDF as a download named `file_name` (plain ASCII, chosen by the portal).
pub(crate) fn pdf_download(file_name: &str, bytes: bytes::Bytes) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        bytes,
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
