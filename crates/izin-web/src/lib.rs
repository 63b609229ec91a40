//! Izin's web layer. Pages are rendered on the server and work with JavaScript off; the JSON
//! API under `/api/v1` (described at `/api/openapi.json`) calls the same services.
//!
//! Every request passes through [`context`]: language, client address, session and the
//! anti-forgery check are settled once there, before any handler runs.

mod api;
mod application_texts;
mod assets;
mod context;
mod cookies;
mod errors;
mod extract;
mod forms;
mod health;
mod layout;
mod multipart;
mod multipart_token;
mod observe;
mod pages;
mod security;
mod uploads;

pub use context::Ctx;

use axum::Router;
use izin_app::App;
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;

/// How this installation is reached and what it may reveal.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The public address, e.g. `https://izin.example.gov.tr`; decides cookie security.
    pub base_url: String,
    /// Trust the last `X-Forwarded-For` hop (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Development or demo mode: the development tools (`/dev/mailbox` today) are served and
    /// every page says so. Never on a deployment: `izin` refuses it with an https address or a
    /// listen address other than loopback.
    pub dev_tools: bool,
    /// The secret payment notifications are signed with; `None`: the notifications endpoint
    /// answers 404.
    pub payments_secret: Option<izin_app::payments::notifications::NotificationSecret>,
    /// The secret the carrier signs its status reports with; `None`: the endpoint answers 404.
    pub cargo_secret: Option<izin_app::payments::notifications::NotificationSecret>,
}

impl WebConfig {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// What handlers share; one pointer, so handing it to each layer of a request is cheap.
#[derive(Clone)]
pub struct WebState(Arc<Shared>);

pub struct Shared {
    pub app: App,
    pub config: WebConfig,
    pub metrics: Option<PrometheusHandle>,
    pub(crate) openapi: String,
    pub(crate) request_metrics: observe::RequestMetrics,
}

impl std::ops::Deref for WebState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// `/metrics` alone, for a listener of its own (`--metrics-listen`), so that the public
/// listener need not serve it.
pub fn metrics_router(metrics: PrometheusHandle) -> Router {
    health::metrics_router(metrics)
}

/// The whole application as one router.
pub fn router(app: App, config: WebConfig, metrics: Option<PrometheusHandle>) -> Router {
    let (api_router, openapi) = api::router();
    let vocabulary = api::openapi::Vocabulary {
        kinds_with_categories: izin_domain::application::Kind::ALL
            .into_iter()
            .filter(|k| app.applications().kind(*k).has_categories())
            .map(|k| k.code().to_owned())
            .collect(),
        kinds_about_another: izin_domain::application::Kind::ALL
            .into_iter()
            .filter(|k| app.applications().kind(*k).parent_kind().is_some())
            .map(|k| k.code().to_owned())
            .collect(),
        categories: app
            .catalog
            .sectors
            .iter()
            .flat_map(|s| s.categories.iter().map(|c| c.code.clone()))
            .collect(),
        reference_lists: ["countries", "languages", "provinces"]
            .into_iter()
            .chain(app.reference.closed_list_names())
            .map(str::to_owned)
            .collect(),
    };
    let openapi = serde_json::to_string_pretty(&api::openapi::document(&openapi, &vocabulary))
        .unwrap_or_default();
    let state = WebState(Arc::new(Shared {
        app,
        config,
        metrics,
        openapi,
        request_metrics: observe::RequestMetrics::default(),
    }));
    let dynamic = Router::new()
        .merge(pages::router())
        .nest("/api/v1", api_router)
        .merge(health::router())
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ));
    Router::new()
        .merge(assets::router())
        .merge(dynamic)
        .layer(axum::extract::DefaultBodyLimit::max(forms::BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::edge,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            errors::panic_response,
        ))
        .with_state(state)
}
