//! Liveness, readiness and metrics for operators and load balancers.

use crate::WebState;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::PrometheusHandle;

pub fn router() -> Router<WebState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/api/openapi.json", get(openapi))
}

/// The process is up and serving.
async fn healthz() -> &'static str {
    "ok\n"
}

/// The database answers; a load balancer should send traffic here.
async fn readyz(State(state): State<WebState>) -> Response {
    match state.app.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

async fn metrics_text(State(state): State<WebState>) -> Response {
    match &state.metrics {
        Some(handle) => prometheus_text(handle),
        None => (StatusCode::NOT_FOUND, "metrics are not served here\n").into_response(),
    }
}

fn prometheus_text(handle: &PrometheusHandle) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}

/// `/metrics` on a listener of its own.
pub fn metrics_router(handle: PrometheusHandle) -> Router {
    Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move { prometheus_text(&handle) }
        }),
    )
}

async fn openapi(State(state): State<WebState>) -> Response {
    let mut response = state.openapi.as_str().to_owned().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    response
}
